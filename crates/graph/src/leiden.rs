//! The Leiden algorithm (Traag, Waltman & van Eck 2019), deterministic for a seed.
//!
//! Structure follows the paper's pseudo-code (Supplementary Information, Algorithm A.2)
//! and the reference implementations (CWTS `networkanalysis`, `leidenalg`):
//!
//! ```text
//! iteration(G, P):
//!   loop:
//!     P <- move_nodes_fast(G, P)              queue-based local moving
//!     if |P| == |V(G)|: break                 every (aggregate) node alone: done
//!     R <- refine(G, P)                       merge singletons within each community
//!     if |R| == |V(G)|: break                 nothing to aggregate (see below)
//!     G <- aggregate(G, R); P <- {R-sets grouped by their P-community}
//!   return P flattened to the original nodes
//! ```
//!
//! Internally the quality is `Σ_c [ w_in(c) − r · W_c² / 2 ]` over node weights `W`:
//! modularity uses strengths and `r = γ/2m`, CPM unit weights and `r = γ`. The gain of
//! putting node `v` (weight `W_v`) into community `c` is `w(v, c) − r · W_v · W_c`.
//!
//! Iterations repeat from the previous partition until one moves no node, or the quality
//! (recomputed exactly) stops increasing, or `max_iterations` is reached.
//!
//! Performance notes (none changes what the algorithm computes, only how fast):
//!
//! * Local moving starts from a queue ordered community by community (communities in
//!   random order, members shuffled); from singletons this is a uniform random order.
//! * Refinement runs per community, in parallel, each community with its own random
//!   stream derived from `(seed, level, community)`, on dense per-community arrays.
//! * After the first iteration the level-0 graph is copied with communities renumbered to
//!   contiguous ids, so later iterations touch memory almost sequentially.
//! * Adjacency lists of nodes about to be visited are prefetched.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::graph::{node_ranges, PAR_CHUNK};
use crate::quality::compact_labels;
use crate::rng::Rng;
use crate::{Graph, GraphError};

/// The quality function Leiden maximises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quality {
    /// Modularity with resolution γ (default). Node weights are strengths and the
    /// effective resolution is `γ / 2m`, so γ = 1 is classic modularity.
    #[default]
    Modularity,
    /// Constant Potts model with resolution γ in edge-weight units: a community is worth
    /// keeping when its internal edge density (weight per node pair) exceeds γ. Unit node
    /// sizes. Unlike modularity, it has no resolution limit.
    Cpm,
}

/// Options of [`leiden`]. All fields are public; [`Default`] gives the defaults listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeidenOptions {
    /// Quality function. Default [`Quality::Modularity`].
    pub quality: Quality,
    /// Resolution γ, finite and `>= 0`. Default `1.0`.
    pub resolution: f64,
    /// Randomness θ of the refinement phase, finite and `> 0`. Default `0.01` (the paper's
    /// value). A candidate merge with gain `ΔH >= 0` is chosen with probability
    /// `∝ exp(ΔH / θ)`, `ΔH` in raw edge-weight units (the convention of the CWTS
    /// reference implementation and igraph's `beta`); small θ is nearly greedy.
    pub randomness: f64,
    /// Maximum number of Leiden iterations. `None` (default): iterate until an iteration
    /// changes nothing. `Some(0)` returns singletons. On large graphs the first iteration
    /// does most of the work and each later one costs a fraction of it while improving the
    /// quality only slightly (leidenalg's default is 2 iterations); see the crate docs for
    /// measurements.
    pub max_iterations: Option<u32>,
    /// Seed of the pseudo-random generator. Default `0`.
    pub seed: u64,
}

impl Default for LeidenOptions {
    fn default() -> Self {
        LeidenOptions { quality: Quality::Modularity, resolution: 1.0, randomness: 0.01, max_iterations: None, seed: 0 }
    }
}

impl LeidenOptions {
    /// Default options with the given seed.
    pub fn with_seed(seed: u64) -> Self {
        LeidenOptions { seed, ..Self::default() }
    }

    /// Checks `resolution` (finite, `>= 0`) and `randomness` (finite, `> 0`).
    ///
    /// # Errors
    /// [`GraphError::InvalidOption`] naming the offending field.
    pub fn validate(&self) -> Result<(), GraphError> {
        if !(self.resolution.is_finite() && self.resolution >= 0.0) {
            return Err(GraphError::InvalidOption {
                name: "resolution",
                value: self.resolution,
                reason: "must be finite and >= 0",
            });
        }
        if !(self.randomness.is_finite() && self.randomness > 0.0) {
            return Err(GraphError::InvalidOption {
                name: "randomness",
                value: self.randomness,
                reason: "must be finite and > 0",
            });
        }
        Ok(())
    }
}

/// A partition of the nodes `0..n` into `communities` communities.
///
/// Canonical numbering: community 0 is the largest; ties are broken by the smallest node
/// id in the community (smaller first). Two equal partitions therefore always have equal
/// `membership` vectors.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Partition {
    /// `membership[u]` is the community of node `u`, in `0..communities`.
    pub membership: Vec<u32>,
    /// Number of communities.
    pub communities: u32,
}

impl Partition {
    /// Canonically renumbers arbitrary labels (see the type docs).
    pub fn from_membership(labels: &[u32]) -> Self {
        let (compact, k) = compact_labels(labels);
        // Compact labels are numbered by first appearance, i.e. by smallest member.
        let mut sizes = vec![0usize; k];
        for &c in &compact {
            sizes[c as usize] += 1;
        }
        let mut order: Vec<u32> = (0..k as u32).collect();
        order.sort_by_key(|&c| (std::cmp::Reverse(sizes[c as usize]), c));
        let mut rank = vec![0u32; k];
        for (new, &old) in order.iter().enumerate() {
            rank[old as usize] = new as u32;
        }
        Partition { membership: compact.iter().map(|&c| rank[c as usize]).collect(), communities: k as u32 }
    }

    /// Every node alone.
    pub fn singletons(n: usize) -> Self {
        Partition { membership: (0..n as u32).collect(), communities: n as u32 }
    }

    /// Number of nodes in each community (non-increasing).
    pub fn sizes(&self) -> Vec<usize> {
        let mut sizes = vec![0usize; self.communities as usize];
        for &c in &self.membership {
            sizes[c as usize] += 1;
        }
        sizes
    }

    /// The members of each community, each list sorted by node id.
    pub fn members(&self) -> Vec<Vec<u32>> {
        let mut out: Vec<Vec<u32>> = self.sizes().into_iter().map(Vec::with_capacity).collect();
        for (u, &c) in self.membership.iter().enumerate() {
            out[c as usize].push(u as u32);
        }
        out
    }
}

/// Runs Leiden on `g` and returns the canonically numbered partition.
///
/// # Panics
/// If `opts` is invalid (see [`LeidenOptions::validate`]); use [`try_leiden`] to get an
/// error instead. Never panics because of the graph.
pub fn leiden(g: &Graph, opts: &LeidenOptions) -> Partition {
    match try_leiden(g, opts) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

/// [`leiden`], returning an error for invalid options instead of panicking.
///
/// # Errors
/// [`GraphError::InvalidOption`] from [`LeidenOptions::validate`].
pub fn try_leiden(g: &Graph, opts: &LeidenOptions) -> Result<Partition, GraphError> {
    opts.validate()?;
    Ok(Partition::from_membership(&leiden_labels(g, opts, true)))
}

/// Leiden without the final safety pass (for tests).
#[cfg(test)]
pub(crate) fn leiden_raw(g: &Graph, opts: &LeidenOptions) -> Vec<u32> {
    leiden_labels(g, opts, false)
}

/// Leiden proper: returns labels (not canonical). With `safety_split`, communities are
/// finally split into connected components: Leiden already guarantees connected
/// communities (tested on the unsplit result), and splitting a disconnected community
/// never lowers the quality (γ >= 0), so this belt-and-braces pass changes nothing in
/// practice; it runs on the community-ordered copy of the graph, where it is cheap.
fn leiden_labels(g: &Graph, opts: &LeidenOptions, safety_split: bool) -> Vec<u32> {
    let n = g.n();
    let singletons: Vec<u32> = (0..n as u32).collect();
    let (node_weight, r) = match opts.quality {
        Quality::Modularity => {
            let two_m = 2.0 * g.total_weight();
            if two_m <= 0.0 {
                return singletons; // no edges: nothing to gain anywhere
            }
            (g.strengths().to_vec(), opts.resolution / two_m)
        }
        Quality::Cpm => (vec![1.0; n], opts.resolution),
    };
    let (offsets, targets, weights) = g.csr();
    let base = NetView { offsets, targets, weights };
    let mut rng = Rng::new(opts.seed);
    // After the first iteration the graph is copied with its nodes renumbered so that
    // communities are contiguous (see `relabel_by_community`); `membership` then refers
    // to the new ids.
    let mut relabelled: Option<Relabelled> = None;
    let mut membership = singletons;
    let mut quality = net_quality(base, &membership, &node_weight, r);
    let max_iterations = opts.max_iterations.unwrap_or(u32::MAX);
    let mut done = 0u32;
    while done < max_iterations {
        done += 1;
        let (net, nw) = match &relabelled {
            Some(x) => (x.net.view(), &x.node_weight[..]),
            None => (base, &node_weight[..]),
        };
        let (next, moved) = iterate(net, nw, r, opts.randomness, &membership, &mut rng);
        if !moved {
            break; // a full iteration without a single move: stable
        }
        // Every move strictly increases the quality in exact arithmetic; stopping when the
        // recomputed quality does not increase guards against cycling on rounding noise.
        let q = net_quality(net, &next, nw, r);
        if q <= quality {
            break;
        }
        quality = q;
        membership = next;
        if relabelled.is_none() && done < max_iterations {
            let x = relabel_by_community(base, &node_weight, &membership);
            let mut relabelled_membership = vec![0u32; n];
            for (v, &i) in x.new_id.iter().enumerate() {
                relabelled_membership[i as usize] = membership[v];
            }
            membership = relabelled_membership;
            quality = net_quality(x.net.view(), &membership, &x.node_weight, r);
            relabelled = Some(x);
        }
    }
    if safety_split {
        let net = relabelled.as_ref().map_or(base, |x| x.net.view());
        membership = split_disconnected(net, &membership).0;
    }
    match relabelled {
        Some(x) => x.new_id.iter().map(|&i| membership[i as usize]).collect(),
        None => membership,
    }
}

/// The quality Leiden optimises, in raw weight units: `Σ_c [ w_in(c) − r · W_c² / 2 ]`
/// with `W_c` the node weight of community `c`, ignoring self-loops (they are a constant
/// for a given graph). For modularity (`W` = strengths, `r = γ/2m`) this is `m · Q` minus
/// a constant; for CPM it is [`crate::cpm`] minus a constant.
fn net_quality(net: NetView<'_>, labels: &[u32], nw: &[f64], r: f64) -> f64 {
    let bound = labels.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut w = vec![0f64; bound];
    for (&c, &x) in labels.iter().zip(nw) {
        w[c as usize] += x;
    }
    // Internal weight: partial sums over data-defined node ranges, added in range order,
    // so the value does not depend on the number of threads.
    let partial: Vec<f64> = node_ranges(net.offsets, PAR_CHUNK)
        .into_par_iter()
        .map(|(a, b)| {
            let mut sum = 0.0;
            for v in a..b {
                let c = labels[v];
                let (ts, ws) = net.edges(v);
                for (&u, &x) in ts.iter().zip(ws) {
                    if labels[u as usize] == c && u as usize != v {
                        sum += x;
                    }
                }
            }
            sum
        })
        .collect();
    partial.iter().sum::<f64>() / 2.0 - r * w.iter().map(|x| x * x).sum::<f64>() / 2.0
}

/// A copy of the level-0 graph with nodes renumbered community by community.
struct Relabelled {
    net: Net,
    node_weight: Vec<f64>,
    /// `new_id[v]` is the new id of original node `v`.
    new_id: Vec<u32>,
}

/// Renumbers the nodes so that each community of `membership` occupies consecutive ids
/// (communities in label order, members in increasing original id), and copies the graph
/// (without self-loops) accordingly. After the first iteration most nodes stay in their
/// community, so later iterations, which visit and refine communities one at a time, then
/// read memory almost sequentially instead of at random: several times faster on large
/// graphs. The renumbering is a deterministic function of the graph and the membership.
fn relabel_by_community(base: NetView<'_>, node_weight: &[f64], membership: &[u32]) -> Relabelled {
    let n = base.n();
    let (labels, k) = compact_labels(membership);
    let (_, order) = group_by_label(&labels, k);
    let mut new_id = vec![0u32; n];
    for (i, &v) in order.iter().enumerate() {
        new_id[v as usize] = i as u32;
    }
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0usize);
    for &v in &order {
        let v = v as usize;
        let loops = base.edges(v).0.iter().filter(|&&u| u as usize == v).count();
        offsets.push(offsets[offsets.len() - 1] + base.offsets[v + 1] - base.offsets[v] - loops);
    }
    let total = offsets[n];
    let mut targets = vec![0u32; total];
    let mut weights = vec![0f64; total];
    {
        let ranges = node_ranges(&offsets, PAR_CHUNK);
        let mut jobs = Vec::with_capacity(ranges.len());
        let (mut t_rest, mut w_rest) = (&mut targets[..], &mut weights[..]);
        for &(a, b) in &ranges {
            let len = offsets[b] - offsets[a];
            let (t, tr) = std::mem::take(&mut t_rest).split_at_mut(len);
            let (w, wr) = std::mem::take(&mut w_rest).split_at_mut(len);
            (t_rest, w_rest) = (tr, wr);
            jobs.push((a, b, t, w));
        }
        let (order, new_id) = (&order, &new_id);
        jobs.into_par_iter().for_each(|(a, b, t, w)| {
            let mut j = 0usize;
            for i in a..b {
                if let Some(&ahead) = order.get(i + 4) {
                    prefetch_edges(base, ahead as usize);
                }
                let v = order[i] as usize;
                let (ts, ws) = base.edges(v);
                for (&u, &x) in ts.iter().zip(ws) {
                    if u as usize != v {
                        t[j] = new_id[u as usize];
                        w[j] = x;
                        j += 1;
                    }
                }
            }
        });
    }
    let node_weight = order.iter().map(|&v| node_weight[v as usize]).collect();
    Relabelled { net: Net { offsets, targets, weights }, node_weight, new_id }
}

/// A level graph in CSR form without self-loops (self-loops of the original graph are
/// skipped on the fly; aggregate graphs never store them since they do not affect moves).
struct Net {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f64>,
}

#[derive(Clone, Copy)]
struct NetView<'a> {
    offsets: &'a [usize],
    targets: &'a [u32],
    weights: &'a [f64],
}

impl<'a> NetView<'a> {
    fn n(&self) -> usize {
        self.offsets.len() - 1
    }

    fn edges(&self, v: usize) -> (&'a [u32], &'a [f64]) {
        let (s, e) = (self.offsets[v], self.offsets[v + 1]);
        (&self.targets[s..e], &self.weights[s..e])
    }
}

impl Net {
    fn view(&self) -> NetView<'_> {
        NetView { offsets: &self.offsets, targets: &self.targets, weights: &self.weights }
    }
}

/// One Leiden iteration on the level-0 graph `base` starting from `start` (labels `< n`).
/// Returns the new membership (compact labels) and whether any node moved at any level.
fn iterate(
    base: NetView<'_>,
    node_weight: &[f64],
    r: f64,
    theta: f64,
    start: &[u32],
    rng: &mut Rng,
) -> (Vec<u32>, bool) {
    let mut moved = false;
    let mut owned: Option<Net> = None;
    let mut nw: Vec<f64> = node_weight.to_vec();
    let (mut p, _) = compact_labels(start);
    // Original node -> node of the current level (None while at level 0).
    let mut map: Option<Vec<u32>> = None;
    loop {
        let net = owned.as_ref().map_or(base, Net::view);
        let nl = net.n();
        moved |= move_nodes_fast(net, &nw, r, &mut p, rng);
        let k = renumber(&mut p);
        if k == nl {
            break;
        }
        let (refined, kr) = refine(net, &nw, r, theta, &p, k, rng.next_u64());
        if kr == nl {
            // The refinement merged nothing, so aggregating would not shrink the graph.
            // (Does not happen in practice: every community of >= 2 nodes holds a node
            // that gains from merging. leidenalg stops aggregating in the same situation.)
            break;
        }
        let (agg, agg_nw) = aggregate(net, &nw, &refined, kr);
        let mut next_p = vec![0u32; kr];
        for (v, &c) in refined.iter().enumerate() {
            next_p[c as usize] = p[v];
        }
        match &mut map {
            None => map = Some(refined),
            Some(m) => m.iter_mut().for_each(|x| *x = refined[*x as usize]),
        }
        owned = Some(agg);
        nw = agg_nw;
        p = next_p;
    }
    let result = match map {
        None => p,
        Some(m) => m.iter().map(|&x| p[x as usize]).collect(),
    };
    (result, moved)
}

/// How many queued nodes ahead local moving prefetches adjacency lists.
const PREFETCH_AHEAD: usize = 8;

/// Renumbers labels `< p.len()` to `0..k` by first appearance; returns `k`.
fn renumber(p: &mut [u32]) -> usize {
    let mut map = vec![u32::MAX; p.len()];
    let mut k = 0u32;
    for x in p.iter_mut() {
        let slot = &mut map[*x as usize];
        if *slot == u32::MAX {
            *slot = k;
            k += 1;
        }
        *x = *slot;
    }
    k as usize
}

/// Fast local moving (paper Algorithm A.2, `MoveNodesFast`): visit nodes from a queue
/// initialised in random order; move each to the community (a neighbour's, or an empty
/// one) with the largest strictly positive gain over staying; when a node moves, enqueue
/// its neighbours outside its new community that are not already queued. Labels in `p`
/// must be `< n`. Returns whether any node moved.
fn move_nodes_fast(net: NetView<'_>, nw: &[f64], r: f64, p: &mut [u32], rng: &mut Rng) -> bool {
    let n = net.n();
    if n == 0 {
        return false;
    }
    let mut cw = vec![0f64; n];
    let mut count = vec![0u32; n];
    for (v, &c) in p.iter().enumerate() {
        cw[c as usize] += nw[v];
        count[c as usize] += 1;
    }
    let mut unused: Vec<u32> = (0..n as u32).rev().filter(|&c| count[c as usize] == 0).collect();
    // Circular queue holding each unstable node once.
    let mut queue = community_blocked_order(p, n - unused.len(), rng);
    let mut queued = vec![true; n];
    let (mut head, mut len) = (0usize, n);
    let mut ew = vec![0f64; n];
    let mut cands: Vec<u32> = Vec::new();
    let mut moved = false;
    while len > 0 {
        // Software pipelining of the cache misses of upcoming visits: adjacency lists
        // first, then (once those have arrived) the neighbours' community labels.
        if len > PREFETCH_AHEAD {
            let ahead = head + PREFETCH_AHEAD;
            prefetch_edges(net, queue[if ahead >= n { ahead - n } else { ahead }] as usize);
        }
        if len > PREFETCH_AHEAD / 2 {
            let ahead = head + PREFETCH_AHEAD / 2;
            let w = queue[if ahead >= n { ahead - n } else { ahead }] as usize;
            for &u in net.edges(w).0 {
                prefetch(p, u as usize);
            }
        }
        let v = queue[head] as usize;
        head = if head + 1 == n { 0 } else { head + 1 };
        len -= 1;
        queued[v] = false;

        let cur = p[v] as usize;
        let wv = nw[v];
        cw[cur] -= wv;
        count[cur] -= 1;
        if count[cur] == 0 {
            cw[cur] = 0.0; // no rounding residue in empty communities
            unused.push(cur as u32);
        }
        // v is in no community right now, so at most n - 1 are in use.
        let empty = *unused.last().expect("an unused community id always exists");
        cands.clear();
        cands.push(empty);
        let (ts, ws) = net.edges(v);
        for (&u, &w) in ts.iter().zip(ws) {
            if u as usize == v {
                continue;
            }
            let c = p[u as usize] as usize;
            // Weights are > 0, so 0 means "not seen yet".
            if ew[c] == 0.0 {
                cands.push(c as u32);
            }
            ew[c] += w;
        }
        let mut best = cur;
        let mut best_gain = ew[cur] - wv * cw[cur] * r;
        for &c in &cands {
            let c = c as usize;
            let gain = ew[c] - wv * cw[c] * r;
            if gain > best_gain {
                best = c;
                best_gain = gain;
            }
            ew[c] = 0.0;
        }
        ew[cur] = 0.0;

        cw[best] += wv;
        count[best] += 1;
        if best == empty as usize {
            unused.pop();
        }
        if best != cur {
            moved = true;
            p[v] = best as u32;
            for &u in ts {
                let u = u as usize;
                if u != v && !queued[u] && p[u] as usize != best {
                    queued[u] = true;
                    let tail = head + len;
                    queue[if tail >= n { tail - n } else { tail }] = u as u32;
                    len += 1;
                }
            }
        }
    }
    moved
}

/// Refinement (paper Algorithm A.2, `RefinePartition` / `MergeNodesSubset`): within each
/// community `S` of `p` (compact labels `0..k`), start from singletons and visit the nodes
/// once in random order. A node that is still a singleton and well connected to `S`
/// (`w(v, S−v) >= r·W_v·(W_S − W_v)`) may join a refined sub-community `C ⊆ S` that is
/// itself well connected (`w(C, S−C) >= r·W_C·(W_S − W_C)`) and gives a gain `ΔH >= 0`,
/// chosen at random with probability `∝ exp(ΔH/θ)` (staying alone has `ΔH = 0`). Refined
/// communities only grow by merging along edges, so each is connected.
///
/// Communities are independent, so they are refined in parallel, each with its own random
/// stream derived from `(seed, community)`: the result does not depend on the number of
/// threads. Per-community state lives in small dense arrays indexed by the position of a
/// node in its community, which keeps the working set in cache. Returns compact refined
/// labels (grouped by community) and their count.
fn refine(net: NetView<'_>, nw: &[f64], r: f64, theta: f64, p: &[u32], k: usize, seed: u64) -> (Vec<u32>, usize) {
    let n = net.n();
    let (start, members) = group_by_label(p, k);
    let mut local = vec![0u32; n];
    let mut work = vec![0usize; k + 1];
    for c in 0..k {
        for (i, &v) in members[start[c]..start[c + 1]].iter().enumerate() {
            local[v as usize] = i as u32;
            work[c + 1] += 1 + net.offsets[v as usize + 1] - net.offsets[v as usize];
        }
        work[c + 1] += work[c];
    }
    let ctx = RefineCtx { net, nw, r, theta, p, local: &local, seed };
    let parts: Vec<(Vec<u32>, Vec<u32>)> = node_ranges(&work, PAR_CHUNK)
        .into_par_iter()
        .map_init(RefineScratch::default, |scratch, (a, b)| {
            let mut labels = Vec::with_capacity(start[b] - start[a]);
            let mut counts = Vec::with_capacity(b - a);
            for c in a..b {
                counts.push(ctx.community(c as u32, &members[start[c]..start[c + 1]], scratch, &mut labels));
            }
            (labels, counts)
        })
        .collect();
    let mut refined = vec![0u32; n];
    let mut base = 0u32;
    let mut c = 0usize;
    for (labels, counts) in parts {
        let mut labels = labels.into_iter();
        for count in counts {
            for &v in &members[start[c]..start[c + 1]] {
                refined[v as usize] = base + labels.next().expect("one label per member");
            }
            base += count;
            c += 1;
        }
    }
    (refined, base as usize)
}

struct RefineCtx<'a> {
    net: NetView<'a>,
    nw: &'a [f64],
    r: f64,
    theta: f64,
    p: &'a [u32],
    /// Position of every node in its community's member list.
    local: &'a [u32],
    seed: u64,
}

#[derive(Default)]
struct RefineScratch {
    refined: Vec<u32>,
    cw: Vec<f64>,
    ext: Vec<f64>,
    ew: Vec<f64>,
    non_singleton: Vec<bool>,
    order: Vec<u32>,
    cands: Vec<u32>,
    gains: Vec<f64>,
    relabel: Vec<u32>,
}

impl RefineCtx<'_> {
    /// Refines community `c` (its members in increasing id order); appends one compact
    /// local label per member to `out` and returns the number of refined communities.
    fn community(&self, c: u32, members: &[u32], s: &mut RefineScratch, out: &mut Vec<u32>) -> u32 {
        let size = members.len();
        if size == 1 {
            out.push(0);
            return 1;
        }
        let (net, nw, r, p, local) = (self.net, self.nw, self.r, self.p, self.local);
        // Local indices: refined community ids are positions in `members`.
        s.refined.clear();
        s.refined.extend(0..size as u32);
        s.cw.clear();
        s.cw.extend(members.iter().map(|&v| nw[v as usize]));
        let tot: f64 = s.cw.iter().sum();
        // ext[i]: weight of edges from refined community i to the rest of the community.
        s.ext.clear();
        s.ext.extend(members.iter().map(|&v| {
            let (ts, ws) = net.edges(v as usize);
            ts.iter().zip(ws).filter(|(&u, _)| u != v && p[u as usize] == c).map(|(_, &w)| w).sum::<f64>()
        }));
        s.ew.clear();
        s.ew.resize(size, 0.0);
        s.non_singleton.clear();
        s.non_singleton.resize(size, false);
        let mut rng = Rng::stream(self.seed, u64::from(c));
        rng.permutation_into(size, &mut s.order);

        for idx in 0..size {
            if let Some(&ahead) = s.order.get(idx + 4) {
                prefetch_edges(net, members[ahead as usize] as usize);
            }
            let i = s.order[idx] as usize;
            if s.non_singleton[i] {
                continue; // others joined i: no longer a singleton
            }
            let v = members[i] as usize;
            let wv = nw[v];
            if s.ext[i] < wv * (tot - wv) * r {
                continue; // v is not well connected to its community
            }
            s.cw[i] = 0.0;
            s.ext[i] = 0.0;
            s.cands.clear();
            s.cands.push(i as u32); // staying alone, gain 0
            let (ts, ws) = net.edges(v);
            for (&u, &w) in ts.iter().zip(ws) {
                if u as usize == v || p[u as usize] != c {
                    continue;
                }
                let cl = s.refined[local[u as usize] as usize] as usize;
                if s.ew[cl] == 0.0 {
                    s.cands.push(cl as u32);
                }
                s.ew[cl] += w;
            }
            let mut best = i;
            let mut best_gain = 0.0f64;
            s.gains.clear();
            for &cl in &s.cands {
                let cl = cl as usize;
                let (cw, ext) = (s.cw[cl], s.ext[cl]);
                let gain = if ext >= cw * (tot - cw) * r { s.ew[cl] - wv * cw * r } else { f64::NEG_INFINITY };
                if gain > best_gain {
                    best = cl;
                    best_gain = gain;
                }
                s.gains.push(gain);
                s.ew[cl] = 0.0;
            }
            // Sample among candidates with gain >= 0, P ∝ exp(gain/θ); shifting by the best
            // gain avoids overflow and leaves the distribution unchanged.
            let mut total = 0.0f64;
            for g in s.gains.iter_mut() {
                *g = if *g >= 0.0 { ((*g - best_gain) / self.theta).exp() } else { 0.0 };
                total += *g;
            }
            let mut x = rng.next_f64() * total;
            let mut chosen = best;
            for (&cl, &g) in s.cands.iter().zip(&s.gains) {
                if g > 0.0 && x < g {
                    chosen = cl as usize;
                    break;
                }
                x -= g;
            }

            s.cw[chosen] += wv;
            for (&u, &w) in ts.iter().zip(ws) {
                if u as usize == v || p[u as usize] != c {
                    continue;
                }
                if s.refined[local[u as usize] as usize] as usize == chosen {
                    s.ext[chosen] -= w;
                } else {
                    s.ext[chosen] += w;
                }
            }
            if chosen != i {
                s.refined[i] = chosen as u32;
                s.non_singleton[chosen] = true;
            }
        }
        s.relabel.clear();
        s.relabel.resize(size, u32::MAX);
        let mut count = 0u32;
        for &x in &s.refined {
            let slot = &mut s.relabel[x as usize];
            if *slot == u32::MAX {
                *slot = count;
                count += 1;
            }
            out.push(*slot);
        }
        count
    }
}

/// Members of each label `0..k`, in increasing node order: `(start, members)` with the
/// members of label `c` at `members[start[c]..start[c + 1]]`.
fn group_by_label(labels: &[u32], k: usize) -> (Vec<usize>, Vec<u32>) {
    let mut start = vec![0usize; k + 1];
    for &c in labels {
        start[c as usize + 1] += 1;
    }
    for c in 0..k {
        start[c + 1] += start[c];
    }
    let mut members = vec![0u32; labels.len()];
    let mut pos = start.clone();
    for (v, &c) in labels.iter().enumerate() {
        members[pos[c as usize]] = v as u32;
        pos[c as usize] += 1;
    }
    (start, members)
}

/// Random visiting order that keeps communities together: communities in random order,
/// the members of each in random order. With singletons this is a uniform random
/// permutation; otherwise consecutive visits touch the same small set of nodes, which
/// keeps them in cache.
/// `distinct` is the number of distinct labels in `p`.
fn community_blocked_order(p: &[u32], distinct: usize, rng: &mut Rng) -> Vec<u32> {
    if distinct == p.len() {
        return rng.permutation(distinct);
    }
    let bound = p.iter().copied().max().map_or(0, |m| m as usize + 1);
    let (start, members) = group_by_label(p, bound);
    let mut order = Vec::with_capacity(p.len());
    for c in rng.permutation(bound) {
        let from = order.len();
        order.extend_from_slice(&members[start[c as usize]..start[c as usize + 1]]);
        rng.shuffle(&mut order[from..]);
    }
    order
}

/// Hints the CPU to fetch `v`'s adjacency list (a pure performance hint).
#[inline(always)]
fn prefetch_edges(net: NetView<'_>, v: usize) {
    let s = net.offsets[v];
    prefetch(net.targets, s);
    prefetch(net.weights, s);
    prefetch(net.weights, s + 8);
}

#[inline(always)]
fn prefetch<T>(slice: &[T], i: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(x) = slice.get(i) {
        // SAFETY: `_mm_prefetch` only hints the cache; it never faults and has no
        // observable effect. The address comes from a live reference. SSE is part of the
        // x86_64 baseline. (The `unsafe` block is needed on older toolchains.)
        #[allow(unused_unsafe, unsafe_code)]
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch::<_MM_HINT_T0>((x as *const T).cast::<i8>());
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (slice, i);
}

/// Aggregate graph of `net` under `labels` (compact, `0..k`): one node per label, edge
/// weights summed, internal edges dropped. Parallel over ranges of aggregate nodes; each
/// aggregate node's list depends only on the input, so the result is thread-independent.
fn aggregate(net: NetView<'_>, nw: &[f64], labels: &[u32], k: usize) -> (Net, Vec<f64>) {
    let (start, members) = group_by_label(labels, k);
    let mut agg_nw = vec![0f64; k];
    let mut entries = vec![0usize; k + 1]; // upper bound on adjacency entries per aggregate node
    for c in 0..k {
        for &v in &members[start[c]..start[c + 1]] {
            agg_nw[c] += nw[v as usize];
            entries[c + 1] += net.offsets[v as usize + 1] - net.offsets[v as usize];
        }
        entries[c + 1] += entries[c];
    }
    let ranges = node_ranges(&entries, PAR_CHUNK);
    // Each aggregate node's row depends only on the input, so how ranges are grouped into
    // jobs (here: a few per thread, to amortise the dense accumulator) only affects
    // scheduling, never the result.
    let per_job = ranges.len().div_ceil(4 * rayon::current_num_threads()).max(1);
    let parts: Vec<(Vec<usize>, Vec<u32>, Vec<f64>)> = ranges
        .par_chunks(per_job)
        .map(|jobs| {
            let mut acc = vec![0f64; k];
            let mut touched: Vec<u32> = Vec::new();
            let (a, b) = (jobs[0].0, jobs[jobs.len() - 1].1);
            let mut lens = Vec::with_capacity(b - a);
            let mut ts_out = Vec::new();
            let mut ws_out = Vec::new();
            for c in a..b {
                let group = &members[start[c]..start[c + 1]];
                for (j, &v) in group.iter().enumerate() {
                    if let Some(&ahead) = group.get(j + 4) {
                        prefetch_edges(net, ahead as usize);
                    }
                    let (ts, ws) = net.edges(v as usize);
                    for (&u, &w) in ts.iter().zip(ws) {
                        let d = labels[u as usize] as usize;
                        if d == c {
                            continue;
                        }
                        if acc[d] == 0.0 {
                            touched.push(d as u32);
                        }
                        acc[d] += w;
                    }
                }
                lens.push(touched.len());
                for &d in touched.iter() {
                    ts_out.push(d);
                    ws_out.push(acc[d as usize]);
                    acc[d as usize] = 0.0;
                }
                touched.clear();
            }
            (lens, ts_out, ws_out)
        })
        .collect();
    let total: usize = parts.iter().map(|p| p.1.len()).sum();
    let mut offsets = Vec::with_capacity(k + 1);
    offsets.push(0usize);
    let mut targets = Vec::with_capacity(total);
    let mut weights = Vec::with_capacity(total);
    for (lens, ts, ws) in parts {
        for l in lens {
            offsets.push(offsets.last().copied().unwrap_or(0) + l);
        }
        targets.extend_from_slice(&ts);
        weights.extend_from_slice(&ws);
    }
    (Net { offsets, targets, weights }, agg_nw)
}

/// Splits every community into its connected components (BFS inside the community).
/// Returns labels numbered by first appearance and whether anything was split.
fn split_disconnected(net: NetView<'_>, labels: &[u32]) -> (Vec<u32>, bool) {
    let n = net.n();
    let (offsets, targets) = (net.offsets, net.targets);
    let mut comp = vec![u32::MAX; n];
    let mut next = 0u32;
    let mut stack = Vec::new();
    for s in 0..n {
        if comp[s] != u32::MAX {
            continue;
        }
        comp[s] = next;
        stack.push(s as u32);
        while let Some(u) = stack.pop() {
            let u = u as usize;
            for &v in &targets[offsets[u]..offsets[u + 1]] {
                let v = v as usize;
                if comp[v] == u32::MAX && labels[v] == labels[u] {
                    comp[v] = next;
                    stack.push(v as u32);
                }
            }
        }
        next += 1;
    }
    let (_, k) = compact_labels(labels);
    (comp, next as usize != k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modularity;

    fn view(g: &Graph) -> NetView<'_> {
        let (offsets, targets, weights) = g.csr();
        NetView { offsets, targets, weights }
    }

    fn karate() -> Graph {
        let adj: [(u32, &[u32]); 26] = [
            (0, &[1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 17, 19, 21, 31]),
            (1, &[2, 3, 7, 13, 17, 19, 21, 30]),
            (2, &[3, 7, 8, 9, 13, 27, 28, 32]),
            (3, &[7, 12, 13]),
            (4, &[6, 10]),
            (5, &[6, 10, 16]),
            (6, &[16]),
            (8, &[30, 32, 33]),
            (9, &[33]),
            (13, &[33]),
            (14, &[32, 33]),
            (15, &[32, 33]),
            (18, &[32, 33]),
            (19, &[33]),
            (20, &[32, 33]),
            (22, &[32, 33]),
            (23, &[25, 27, 29, 32, 33]),
            (24, &[25, 27, 31]),
            (25, &[31]),
            (26, &[29, 33]),
            (27, &[33]),
            (28, &[31, 33]),
            (29, &[32, 33]),
            (30, &[32, 33]),
            (31, &[32, 33]),
            (32, &[33]),
        ];
        let edges = adj.iter().flat_map(|&(u, vs)| vs.iter().map(move |&v| (u, v, 1.0)));
        Graph::from_edges(34, edges).unwrap()
    }

    /// Dense-ish random graph with planted groups, for internal checks.
    fn random_graph(n: u32, m: usize, groups: u32, seed: u64) -> Graph {
        let mut rng = Rng::new(seed);
        let edges: Vec<_> = (0..m)
            .map(|_| {
                let u = rng.below(n as u64) as u32;
                let v = if rng.next_f64() < 0.7 {
                    let g = u % groups;
                    (rng.below((n / groups) as u64) as u32 * groups + g).min(n - 1)
                } else {
                    rng.below(n as u64) as u32
                };
                (u, v, 1.0 + rng.below(3) as f64)
            })
            .collect();
        Graph::from_edges(n as usize, edges).unwrap()
    }

    #[test]
    fn raw_result_never_needs_the_connectivity_split() {
        // The safety pass in `try_leiden` must be a no-op: Leiden itself guarantees it.
        let mut graphs = vec![karate()];
        for s in 0..6 {
            graphs.push(random_graph(300, 900 + 300 * s as usize, 7, s));
        }
        for g in &graphs {
            for seed in 0..8 {
                for quality in [Quality::Modularity, Quality::Cpm] {
                    for max_iterations in [Some(1), None] {
                        let resolution = if quality == Quality::Cpm { 0.05 } else { 1.0 };
                        let opts = LeidenOptions { quality, resolution, seed, max_iterations, ..Default::default() };
                        let raw = leiden_raw(g, &opts);
                        let (_, split) = split_disconnected(view(g), &raw);
                        assert!(!split, "seed {seed} {quality:?} produced a disconnected community");
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, ..Default::default() })]
        #[test]
        fn raw_leiden_communities_are_connected(
            n in 1u32..80,
            raw_edges in proptest::collection::vec((0u32..80, 0u32..80, 0.05f64..5.0), 0..250),
            seed in 0u64..1000,
            cpm in proptest::bool::ANY,
            resolution in 0.0f64..2.0,
            iterations in proptest::option::of(1u32..3),
        ) {
            let edges = raw_edges.into_iter().map(|(u, v, w)| (u % n, v % n, w));
            let g = Graph::from_edges(n as usize, edges).unwrap();
            let quality = if cpm { Quality::Cpm } else { Quality::Modularity };
            let opts = LeidenOptions { quality, resolution, seed, max_iterations: iterations, ..Default::default() };
            let raw = leiden_raw(&g, &opts);
            proptest::prop_assert!(!split_disconnected(view(&g), &raw).1);
        }
    }

    #[test]
    fn net_quality_matches_public_quality_functions() {
        let g = Graph::from_edges_with(
            5,
            [(0, 1, 1.0), (1, 2, 2.0), (2, 0, 1.0), (2, 3, 1.0), (3, 4, 3.0), (4, 4, 2.0)],
            crate::SelfLoops::Keep,
        )
        .unwrap();
        let (o, t, w) = g.csr();
        let net = NetView { offsets: o, targets: t, weights: w };
        let m = g.total_weight();
        let r = 1.0 / (2.0 * m);
        let a = [0u32, 0, 0, 1, 1];
        let b = [0u32, 0, 1, 1, 2];
        // Same differences as m * modularity (self-loops are a constant).
        let dq = (net_quality(net, &a, g.strengths(), r) - net_quality(net, &b, g.strengths(), r)) / m;
        assert!((dq - (modularity(&g, &a, 1.0) - modularity(&g, &b, 1.0))).abs() < 1e-12);
        let ones = [1.0; 5];
        let dh = net_quality(net, &a, &ones, 0.3) - net_quality(net, &b, &ones, 0.3);
        assert!((dh - (crate::cpm(&g, &a, 0.3) - crate::cpm(&g, &b, 0.3))).abs() < 1e-12);
    }

    #[test]
    fn relabelling_is_a_consistent_permutation() {
        let g = random_graph(300, 1500, 6, 4);
        let (o, t, w) = g.csr();
        let base = NetView { offsets: o, targets: t, weights: w };
        let membership: Vec<u32> = (0..300u32).map(|u| (u * 7) % 11).collect();
        let x = relabel_by_community(base, g.strengths(), &membership);
        let view = x.net.view();
        // Communities are contiguous in the new numbering.
        let mut new_membership = vec![0u32; 300];
        for (v, &i) in x.new_id.iter().enumerate() {
            new_membership[i as usize] = membership[v];
        }
        assert!(new_membership.windows(2).filter(|p| p[0] != p[1]).count() == 10);
        // Same edges, same weights.
        for (v, &i) in x.new_id.iter().enumerate() {
            let (ts, ws) = base.edges(v);
            let (nts, nws) = view.edges(i as usize);
            let mut a: Vec<(u32, u64)> =
                ts.iter().zip(ws).map(|(&u, &w)| (x.new_id[u as usize], w.to_bits())).collect();
            let mut b: Vec<(u32, u64)> = nts.iter().zip(nws).map(|(&u, &w)| (u, w.to_bits())).collect();
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b);
            assert_eq!(x.node_weight[i as usize], g.strengths()[v]);
        }
    }

    #[test]
    fn split_disconnected_splits() {
        let g = Graph::from_edges(5, [(0, 1, 1.0), (2, 3, 1.0)]).unwrap();
        let (labels, split) = split_disconnected(view(&g), &[0, 0, 0, 0, 1]);
        assert!(split);
        assert_eq!(labels, vec![0, 0, 1, 1, 2]);
        let (labels, split) = split_disconnected(view(&g), &[0, 0, 1, 1, 2]);
        assert!(!split);
        assert_eq!(labels, vec![0, 0, 1, 1, 2]);
    }

    #[test]
    fn iterations_increase_quality_monotonically() {
        let g = random_graph(500, 3000, 10, 3);
        let mut last = f64::NEG_INFINITY;
        for it in 1..6 {
            let opts = LeidenOptions { max_iterations: Some(it), seed: 5, ..Default::default() };
            let q = modularity(&g, &leiden(&g, &opts).membership, 1.0);
            assert!(q >= last - 1e-12, "iteration {it}: {q} < {last}");
            last = q;
        }
        let q = modularity(&g, &leiden(&g, &LeidenOptions::with_seed(5)).membership, 1.0);
        assert!(q >= last - 1e-12);
    }

    #[test]
    fn local_moving_improves_and_nearly_converges() {
        let g = random_graph(400, 2500, 8, 9);
        let (o, t, w) = g.csr();
        let net = NetView { offsets: o, targets: t, weights: w };
        let r = 1.0 / (2.0 * g.total_weight());
        let mut p: Vec<u32> = (0..g.n() as u32).collect();
        let q0 = net_quality(net, &p, g.strengths(), r);
        let mut rng = Rng::new(1);
        assert!(move_nodes_fast(net, g.strengths(), r, &mut p, &mut rng));
        let q1 = net_quality(net, &p, g.strengths(), r);
        assert!(q1 > q0);
        // The queue only re-checks neighbours outside the new community, so a second pass
        // may still find a few moves, but never lowers the quality.
        let before = p.clone();
        move_nodes_fast(net, g.strengths(), r, &mut p, &mut rng);
        assert!(net_quality(net, &p, g.strengths(), r) >= q1 - 1e-12);
        let changed = before.iter().zip(&p).filter(|(a, b)| a != b).count();
        assert!(changed < 20, "{changed}");
    }

    #[test]
    fn aggregate_preserves_weights() {
        let g = random_graph(200, 1000, 4, 2);
        let (o, t, w) = g.csr();
        let net = NetView { offsets: o, targets: t, weights: w };
        let labels: Vec<u32> = (0..200u32).map(|u| u % 13).collect();
        let (agg, agg_nw) = aggregate(net, g.strengths(), &labels, 13);
        let view = agg.view();
        let mut between = 0.0;
        for c in 0..13 {
            let (ts, ws) = view.edges(c);
            for (&d, &x) in ts.iter().zip(ws) {
                assert_ne!(d as usize, c);
                let (td, wd) = view.edges(d as usize);
                let i = td.iter().position(|&e| e as usize == c).unwrap();
                assert!((wd[i] - x).abs() < 1e-9);
                between += x;
            }
        }
        let expected: f64 =
            g.edges().filter(|&(u, v, _)| labels[u as usize] != labels[v as usize]).map(|e| 2.0 * e.2).sum();
        assert!((between - expected).abs() < 1e-6);
        assert!((agg_nw.iter().sum::<f64>() - 2.0 * g.total_weight()).abs() < 1e-6);
    }

    #[test]
    fn options_validate_and_roundtrip() {
        assert!(LeidenOptions::default().validate().is_ok());
        let bad = LeidenOptions { resolution: f64::NAN, ..Default::default() };
        assert!(matches!(bad.validate(), Err(GraphError::InvalidOption { name: "resolution", .. })));
        let bad = LeidenOptions { randomness: 0.0, ..Default::default() };
        assert!(matches!(try_leiden(&karate(), &bad), Err(GraphError::InvalidOption { name: "randomness", .. })));
        let o = LeidenOptions { quality: Quality::Cpm, max_iterations: Some(3), seed: 9, ..Default::default() };
        let json = serde_json::to_string(&o).unwrap();
        assert!(json.contains("\"cpm\""), "{json}");
        assert_eq!(serde_json::from_str::<LeidenOptions>(&json).unwrap(), o);
        assert_eq!(serde_json::from_str::<LeidenOptions>("{\"seed\": 4}").unwrap(), LeidenOptions::with_seed(4));
    }

    #[test]
    fn partition_numbering_is_canonical() {
        let p = Partition::from_membership(&[7, 3, 3, 9, 9, 1]);
        assert_eq!(p.membership, vec![2, 0, 0, 1, 1, 3]);
        assert_eq!(p.communities, 4);
        assert_eq!(p.sizes(), vec![2, 2, 1, 1]);
        assert_eq!(p.members(), vec![vec![1, 2], vec![3, 4], vec![0], vec![5]]);
        assert_eq!(Partition::singletons(2), Partition::from_membership(&[5, 4]));
    }
}
