//! Clustering: the signals' edges fused into one graph, Leiden communities, squads tied by
//! a share of their weight joined into candidate groups.
//!
//! The fused weight of an account pair is `Σ_signals ln(1 + surprise)`: every independent
//! signal adds evidence, and no single astronomically surprising signal drowns the others.
//! The fused graph is clustered with Leiden (`cibscan-graph`); communities smaller than
//! `min_network_size` are dropped.

use crate::signals::score::Edges;
use crate::signals::Signal;
use cibscan_graph::{try_leiden, Graph, GraphError, LeidenOptions};
use std::collections::BTreeMap;

/// Options of the clustering stage.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterOptions {
    /// Groups with fewer accounts are dropped.
    pub min_network_size: usize,
    /// Leiden resolution (modularity).
    pub resolution: f64,
    /// Communities are joined when the weight between them is at least this share of the
    /// smaller one's total weight (0: never).
    pub join_share: f64,
    pub seed: u64,
}

/// Candidate groups of coordinated accounts and what ties each account to its group.
#[derive(Debug, Clone, Default)]
pub struct Groups {
    /// Fused edges `(a, b, weight)`, sorted.
    pub fused: Vec<(u32, u32, f64)>,
    /// Members of each group, ascending; groups in order of their smallest member.
    pub members: Vec<Vec<u32>>,
    /// Group index per account, or `None`.
    pub group_of: Vec<Option<u32>>,
    /// Per group: edges inside it, per signal name.
    pub signal_counts: Vec<BTreeMap<String, u64>>,
    /// Per account: bit `s` set when signal `s` ties it to its group.
    pub account_signals: Vec<u32>,
    /// Per account: the largest surprise (−log10 p) of an edge to its group.
    pub best_surprise: Vec<f64>,
}

/// Fuses per-signal edges: `Σ ln(1 + surprise)` per pair, summed in signal order.
pub fn fuse(edges: &[Edges]) -> Vec<(u32, u32, f64)> {
    let mut all: Vec<(u32, u32, usize, f64)> = Vec::new();
    for (si, e) in edges.iter().enumerate() {
        all.extend((0..e.len()).map(|i| (e.a[i], e.b[i], si, e.surprise[i])));
    }
    all.sort_unstable_by_key(|x| (x.0, x.1, x.2));
    let mut fused: Vec<(u32, u32, f64)> = Vec::new();
    for (a, b, _, s) in &all {
        // An infinite surprise (p underflowing to 0) still gives a finite weight.
        let w = (1.0 + s.min(f64::MAX)).ln();
        match fused.last_mut() {
            Some(last) if last.0 == *a && last.1 == *b => last.2 += w,
            _ => fused.push((*a, *b, w)),
        }
    }
    fused
}

/// Clusters the `n` accounts by the edges of `signals` into candidate groups.
pub fn cluster(n: usize, signals: &[Signal], edges: &[Edges], opts: &ClusterOptions) -> Result<Groups, GraphError> {
    let fused = fuse(edges);
    let graph = Graph::from_edges(n, fused.iter().copied())?;
    let mut lo = LeidenOptions::with_seed(opts.seed);
    lo.resolution = opts.resolution;
    let partition = try_leiden(&graph, &lo)?;

    // Candidate groups: communities with enough members that have at least one edge, after
    // joining communities tied to each other by a large share of their weight.
    let mut members_of = Vec::new();
    let mut group_of = vec![None; n];
    for members in join_tied_communities(&partition.membership, &fused, opts.join_share) {
        if members.len() < opts.min_network_size.max(2) || graph.degree(members[0]) == 0 {
            continue;
        }
        for &m in &members {
            group_of[m as usize] = Some(members_of.len() as u32);
        }
        members_of.push(members);
    }

    // Per-group and per-account evidence.
    let mut signal_counts = vec![BTreeMap::new(); members_of.len()];
    let mut account_signals = vec![0u32; n];
    let mut best = vec![0f64; n];
    for (si, e) in edges.iter().enumerate() {
        for i in 0..e.len() {
            let (a, b) = (e.a[i] as usize, e.b[i] as usize);
            if let (Some(na), Some(nb)) = (group_of[a], group_of[b]) {
                if na == nb {
                    *signal_counts[na as usize].entry(signals[si].name.to_string()).or_default() += 1;
                    account_signals[a] |= 1 << si;
                    account_signals[b] |= 1 << si;
                    best[a] = best[a].max(e.surprise[i]);
                    best[b] = best[b].max(e.surprise[i]);
                }
            }
        }
    }
    Ok(Groups { fused, members: members_of, group_of, signal_counts, account_signals, best_surprise: best })
}

/// Communities of `membership` joined (union-find) when the fused weight between two of
/// them is at least `share` of the smaller one's total weight. Modularity splits a network
/// into its squads when the data holds little else (a takedown archive is all operation);
/// squads that share 2 % of their ties are one operation (the default `join_share` of the detection options). Members ascending; groups in
/// order of their smallest member.
fn join_tied_communities(membership: &[u32], fused: &[(u32, u32, f64)], share: f64) -> Vec<Vec<u32>> {
    let k = membership.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let mut strength = vec![0f64; k];
    let mut between: BTreeMap<(u32, u32), f64> = BTreeMap::new();
    for &(a, b, w) in fused {
        let (ca, cb) = (membership[a as usize], membership[b as usize]);
        strength[ca as usize] += w;
        strength[cb as usize] += w;
        if ca != cb {
            *between.entry((ca.min(cb), ca.max(cb))).or_default() += w;
        }
    }
    let mut parent: Vec<u32> = (0..k as u32).collect();
    fn root(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            parent[x as usize] = parent[parent[x as usize] as usize];
            x = parent[x as usize];
        }
        x
    }
    if share > 0.0 {
        for (&(a, b), &w) in &between {
            if w >= share * strength[a as usize].min(strength[b as usize]) {
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                parent[ra.max(rb) as usize] = ra.min(rb);
            }
        }
    }
    let mut by_root: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (a, &c) in membership.iter().enumerate() {
        by_root.entry(root(&mut parent, c)).or_default().push(a as u32);
    }
    let mut out: Vec<Vec<u32>> = by_root.into_values().collect();
    out.sort_by_key(|m| m[0]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squads_tied_by_enough_weight_are_joined_and_strangers_are_not() {
        // Communities 0 and 1 (two squads) share 3 of their 33 weight; community 2 shares 0.1
        // of its 30 with community 1.
        let membership = [0, 0, 0, 1, 1, 1, 2, 2, 2];
        let fused = vec![
            (0, 1, 10.0),
            (1, 2, 10.0),
            (2, 0, 10.0),
            (3, 4, 10.0),
            (4, 5, 10.0),
            (5, 3, 10.0),
            (0, 3, 3.0),
            (6, 7, 10.0),
            (7, 8, 10.0),
            (8, 6, 10.0),
            (5, 6, 0.1),
        ];
        assert_eq!(join_tied_communities(&membership, &fused, 0.02), vec![vec![0, 1, 2, 3, 4, 5], vec![6, 7, 8]]);
        assert_eq!(join_tied_communities(&membership, &fused, 0.0).len(), 3, "0 never joins");
        assert_eq!(join_tied_communities(&membership, &fused, 0.001).len(), 1);
    }
}
