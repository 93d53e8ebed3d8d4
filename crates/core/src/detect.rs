//! Detection: signals → chance-corrected edges → one fused graph → Leiden networks.
//!
//! Each [`Signal`] is a trace kind with a time window. For every signal the stage extracts
//! traces, generates co-action pairs within the window, fits the null model and keeps the
//! pairs chance does not explain (see `docs/METHODS.md`). The fused weight of an account
//! pair is `Σ_signals ln(1 + surprise)`: every independent signal adds evidence, and no single
//! astronomically surprising signal drowns the others. The fused graph is clustered with
//! Leiden (`cibscan-graph`); communities smaller than `min_network_size` are dropped. The
//! authenticity screen ([`crate::screen`]) then sets aside groups that are authentic crowds
//! (newsrooms, fandoms, syndication) on positive evidence; the rest are the networks.
//!
//! Adding a signal touches one place: a row of [`SIGNALS`] (and a trace kind if it needs a
//! new kind of item).

use crate::model::{Dataset, NO_STR};
use crate::pairs::{pairs, PairOptions};
use crate::score::{score, Edges, NullModel, ScoreOptions};
use crate::screen::{Evidence, ScreenOptions, Screening};
use crate::timeline::{Timeline, TimelineOptions};
use crate::traces::{extract, TraceKind};
use crate::traction::Traction;
use cibscan_graph::{try_leiden, Graph, LeidenOptions};
use serde::Serialize;
use std::collections::BTreeMap;

/// A coordination signal: what is shared, and how close in time the actions must be.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Signal {
    /// The name used in every output (`accounts.csv` `signals`, `edges.csv` columns, …).
    pub name: &'static str,
    #[serde(skip)]
    pub trace: TraceKind,
    pub window_ms: i64,
    /// Edges join the amplifier and the amplified account (retweets of its posts within the
    /// window), rather than two accounts acting on the same item.
    pub directed: bool,
}

const MINUTE: i64 = crate::units::MS_PER_MINUTE;

/// The signals, with their default windows.
pub const SIGNALS: [Signal; 14] = [
    Signal { name: "co_retweet", trace: TraceKind::RetweetOf, window_ms: 60 * MINUTE, directed: false },
    Signal { name: "fast_retweet", trace: TraceKind::RetweetOf, window_ms: MINUTE, directed: false },
    Signal { name: "co_quote", trace: TraceKind::QuoteOf, window_ms: 60 * MINUTE, directed: false },
    Signal { name: "co_reply", trace: TraceKind::ReplyToPost, window_ms: 60 * MINUTE, directed: false },
    Signal { name: "co_reply_account", trace: TraceKind::ReplyToAccount, window_ms: 10 * MINUTE, directed: false },
    Signal { name: "co_amplify", trace: TraceKind::AmplifiedAccount, window_ms: 10 * MINUTE, directed: false },
    Signal { name: "amplification", trace: TraceKind::AmplifiedAccount, window_ms: 10 * MINUTE, directed: true },
    Signal { name: "identical_text", trace: TraceKind::Text, window_ms: 60 * MINUTE, directed: false },
    Signal {
        name: "near_duplicate_text",
        trace: TraceKind::NearDuplicateText,
        window_ms: 60 * MINUTE,
        directed: false,
    },
    Signal { name: "co_url", trace: TraceKind::Url, window_ms: 60 * MINUTE, directed: false },
    Signal { name: "co_domain", trace: TraceKind::Domain, window_ms: 10 * MINUTE, directed: false },
    Signal { name: "hashtag_sequence", trace: TraceKind::HashtagSequence, window_ms: 60 * MINUTE, directed: false },
    Signal { name: "co_hashtag", trace: TraceKind::Hashtag, window_ms: 5 * MINUTE, directed: false },
    Signal { name: "co_mention", trace: TraceKind::Mention, window_ms: 10 * MINUTE, directed: false },
];

/// Options of the detection stage.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectOptions {
    /// The signals to compute, with their windows (default: [`SIGNALS`]).
    pub signals: Vec<Signal>,
    pub score: ScoreOptions,
    /// Items with more distinct accounts than this are skipped.
    pub max_item_accounts: usize,
    /// Networks with fewer accounts are dropped.
    pub min_network_size: usize,
    /// Leiden resolution (modularity).
    pub resolution: f64,
    /// Communities are joined when the weight between them is at least this share of the
    /// smaller one's total weight (0: never).
    pub join_share: f64,
    pub seed: u64,
    /// Shards per kernel (the result does not depend on it).
    pub shards: usize,
    /// The authenticity screen.
    pub screen: ScreenOptions,
    /// Bursts and dormancy.
    pub timeline: TimelineOptions,
    pub narratives: crate::narratives::NarrativeOptions,
}

impl Default for DetectOptions {
    fn default() -> Self {
        DetectOptions {
            signals: SIGNALS.to_vec(),
            score: ScoreOptions::default(),
            max_item_accounts: 1_000,
            min_network_size: 5,
            resolution: 1.0,
            join_share: 0.02,
            seed: 1,
            shards: 8,
            screen: ScreenOptions::default(),
            timeline: TimelineOptions::default(),
            narratives: Default::default(),
        }
    }
}

/// One detected network.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Network {
    pub id: String,
    /// Member accounts (indices into the dataset's accounts), ascending. Not in
    /// `networks.json` (membership is in `accounts.csv`): empty when read back from a run.
    #[serde(skip)]
    pub members: Vec<u32>,
    pub accounts: usize,
    pub core_accounts: usize,
    pub amplifier_accounts: usize,
    pub posts: u64,
    pub first_post: Option<String>,
    pub last_post: Option<String>,
    /// How sure the network is, in [0, 1]: the median member's strongest tie to it
    /// (`1 − e^(−surprise/10)`, surprise = −log10 p), damped for groups of fewer than 10
    /// accounts, and by a quarter when the screen found no indicator of inauthenticity.
    pub confidence: f64,
    /// Per signal: edges inside the network.
    pub signals: BTreeMap<String, u64>,
    pub languages: BTreeMap<String, u64>,
    /// Creation waves, account age and profiles (`creation_waves` is a top-level field).
    #[serde(flatten)]
    pub evidence: Evidence,
    pub traction: Traction,
    /// Breakout Scale estimate (networks only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakout: Option<crate::breakout::Breakout>,
    /// The authenticity screen's verdict and reasons.
    pub screening: Screening,
    /// Daily series, bursts, dormant periods, hour-of-week signature (top-level fields).
    #[serde(flatten)]
    pub timeline: Timeline,
    pub narratives: Vec<crate::narratives::Narrative>,
    /// Links to earlier takedowns (filled when priors are given: `crate::link`).
    pub links: Vec<crate::link::Link>,
}

impl Network {
    fn new(members: Vec<u32>) -> Network {
        Network {
            id: String::new(),
            accounts: members.len(),
            core_accounts: 0,
            amplifier_accounts: 0,
            members,
            posts: 0,
            first_post: None,
            last_post: None,
            confidence: 0.0,
            signals: BTreeMap::new(),
            languages: BTreeMap::new(),
            evidence: Evidence {
                creation_waves: Vec::new(),
                creation_wave_share: None,
                median_account_age_days: None,
                default_profile_share: None,
            },
            traction: Traction::default(),
            breakout: None,
            screening: Screening {
                verdict: crate::screen::ScreenVerdict::Undetermined,
                indicators: Vec::new(),
                authenticity: Vec::new(),
            },
            timeline: crate::timeline::timeline(&[], &Default::default()),
            narratives: Vec::new(),
            links: Vec::new(),
        }
    }
}

/// What detection produced.
#[derive(Debug, Clone)]
pub struct Detection {
    /// The signals computed, in order.
    pub signals: Vec<Signal>,
    /// Scored edges per signal, in `signals` order.
    pub edges: Vec<Edges>,
    /// Fused edges `(a, b, weight)`, sorted.
    pub fused: Vec<(u32, u32, f64)>,
    /// Network index per account, or `None`.
    pub network_of: Vec<Option<u32>>,
    pub networks: Vec<Network>,
    /// Dismissed group index per account, or `None`.
    pub dismissed_of: Vec<Option<u32>>,
    /// Coordinated groups the authenticity screen judged to be authentic crowds.
    pub dismissed: Vec<Network>,
    /// Per account: bit `s` set when signal `s` (of `signals`) ties it to its group (network
    /// or dismissed group).
    pub account_signals: Vec<u32>,
    /// Per account: the largest surprise of an edge to its group, mapped to [0, 1).
    pub coordination_score: Vec<f64>,
    /// Per account: `core` or `amplifier` inside its network.
    pub role: Vec<Option<crate::roles::Role>>,
    /// Per account: indicators of inauthenticity.
    pub indicators: Vec<crate::indicators::Indicators>,
    /// Wall seconds per stage (signals, fusion and clustering, screen), in order. Not part
    /// of any output file, which stay deterministic.
    pub timings: Vec<(String, f64)>,
}

impl Detection {
    /// The names of the signals that tie `account` to its network, `;`-separated.
    pub fn signal_names(&self, account: u32) -> String {
        let bits = self.account_signals[account as usize];
        let names: Vec<&str> =
            self.signals.iter().enumerate().filter(|(s, _)| bits & (1 << s) != 0).map(|(_, s)| s.name).collect();
        names.join(";")
    }

    /// Fused edges with each signal's surprise (`None` where the signal has no edge), in
    /// `fused` order; `keep` filters edges before the lookups.
    pub fn fused_with_signals(&self, keep: impl Fn(u32, u32) -> bool) -> Vec<(u32, u32, f64, Vec<Option<f64>>)> {
        let per_signal: Vec<std::collections::HashMap<(u32, u32), f64>> =
            self.edges.iter().map(|e| (0..e.len()).map(|i| ((e.a[i], e.b[i]), e.surprise[i])).collect()).collect();
        self.fused
            .iter()
            .filter(|&&(a, b, _)| keep(a, b))
            .map(|&(a, b, w)| (a, b, w, per_signal.iter().map(|m| m.get(&(a, b)).copied()).collect()))
            .collect()
    }
}

/// Communities of `membership` joined (union-find) when the fused weight between two of
/// them is at least `share` of the smaller one's total weight. Modularity splits a network
/// into its squads when the data holds little else (a takedown archive is all operation);
/// squads that share 2 % of their ties are one operation (default [`DetectOptions::join_share`]). Members ascending; groups in
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

/// Runs detection on a dataset.
/// Why detection could not finish (bad data is never a panic).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DetectError {
    #[error("clustering the coordination graph: {0}")]
    Graph(cibscan_graph::GraphError),
}

pub fn detect(
    data: &Dataset,
    opts: &DetectOptions,
    progress: &dyn crate::progress::Progress,
) -> Result<Detection, DetectError> {
    let n = data.accounts.len();
    let signals = opts.signals.clone();
    progress.begin(signals.len() as u64 + 1);
    let mut edges = Vec::with_capacity(signals.len());
    let mut cache: Option<(TraceKind, crate::traces::Traces)> = None;
    let mut timings = Vec::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |name: String, timings: &mut Vec<(String, f64)>| {
        timings.push((name, clock.elapsed().as_secs_f64()));
        clock = std::time::Instant::now();
    };
    // Post id → row, built once: amplification, traction, roles and breakout resolve
    // references through it.
    let index = crate::model::PostIndex::new(&data.posts);
    lap("post index".into(), &mut timings);
    for &s in &signals {
        if s.directed {
            edges.push(crate::amplify::amplification_edges(data, &index, s.window_ms, &opts.score));
        } else {
            if cache.as_ref().map(|c| c.0) != Some(s.trace) {
                cache = Some((s.trace, extract(data, s.trace, opts.shards)));
            }
            let traces = &cache.as_ref().expect("just set").1;
            let p = pairs(
                traces,
                &PairOptions { window_ms: s.window_ms, max_item_accounts: opts.max_item_accounts },
                opts.shards,
            );
            let model = NullModel::fit(traces, &p, n);
            edges.push(score(&p, &model, &opts.score));
        }
        lap(format!("signal {}", s.name), &mut timings);
        progress.advance(1);
    }
    drop(cache);

    // Fuse: Σ ln(1 + surprise) per pair, summed in signal order after sorting.
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
    let graph = Graph::from_edges(n, fused.iter().copied()).map_err(DetectError::Graph)?;
    let mut lo = LeidenOptions::with_seed(opts.seed);
    lo.resolution = opts.resolution;
    let partition = try_leiden(&graph, &lo).map_err(DetectError::Graph)?;
    lap("fusion and leiden".into(), &mut timings);
    progress.advance(1);

    // Candidate groups: communities with enough members that have at least one edge, after
    // joining communities tied to each other by a large share of their weight.
    let mut groups: Vec<Network> = Vec::new();
    let mut group_of = vec![None; n];
    for members in join_tied_communities(&partition.membership, &fused, opts.join_share) {
        if members.len() < opts.min_network_size.max(2) || graph.degree(members[0]) == 0 {
            continue;
        }
        for &m in &members {
            group_of[m as usize] = Some(groups.len() as u32);
        }
        groups.push(Network::new(members));
    }

    // Per-group and per-account evidence.
    let mut account_signals = vec![0u32; n];
    let mut best = vec![0f64; n];
    for (si, e) in edges.iter().enumerate() {
        for i in 0..e.len() {
            let (a, b) = (e.a[i] as usize, e.b[i] as usize);
            if let (Some(na), Some(nb)) = (group_of[a], group_of[b]) {
                if na == nb {
                    *groups[na as usize].signals.entry(signals[si].name.to_string()).or_default() += 1;
                    account_signals[a] |= 1 << si;
                    account_signals[b] |= 1 << si;
                    best[a] = best[a].max(e.surprise[i]);
                    best[b] = best[b].max(e.surprise[i]);
                }
            }
        }
    }
    let mut times: Vec<(i64, i64)> = vec![(i64::MAX, i64::MIN); groups.len()];
    let mut first_post = vec![i64::MAX; n];
    for (i, &a) in data.posts.account.iter().enumerate() {
        let t = data.posts.time_ms[i];
        first_post[a as usize] = first_post[a as usize].min(t);
        if let Some(gi) = group_of[a as usize] {
            let g = &mut groups[gi as usize];
            g.posts += 1;
            times[gi as usize] = (times[gi as usize].0.min(t), times[gi as usize].1.max(t));
            let lang = data.posts.lang[i];
            let name = if lang == NO_STR { "unknown" } else { data.strings.get(lang) };
            *g.languages.entry(name.to_string()).or_default() += 1;
        }
    }
    let traction = crate::traction::traction(data, &index, &group_of, groups.len());
    for ((gi, g), tr) in groups.iter_mut().enumerate().zip(traction) {
        let k = g.accounts as f64;
        let mut ties: Vec<f64> = g.members.iter().map(|&m| 1.0 - (-best[m as usize] / 10.0).exp()).collect();
        ties.sort_by(f64::total_cmp);
        let median = ties.get(ties.len() / 2).copied().unwrap_or(0.0);
        // A handful of accounts is weaker evidence of an operation than a crowd: damp by size.
        g.confidence = (median * (1.0 - (-k / 5.0).exp())).clamp(0.0, 1.0);
        if times[gi].0 != i64::MAX {
            g.first_post = Some(crate::parse::format_time(times[gi].0));
            g.last_post = Some(crate::parse::format_time(times[gi].1));
        }
        g.evidence = crate::screen::evidence(data, &g.members, &first_post, &opts.screen);
        g.screening = crate::screen::screen(&g.evidence, &tr, &opts.screen);
        if g.screening.verdict == crate::screen::ScreenVerdict::Undetermined {
            g.confidence *= 0.75;
        }
        g.confidence = (g.confidence * 1000.0).round() / 1000.0;
        g.traction = tr;
    }

    // The screen splits the groups into networks and dismissed authentic crowds.
    let mut networks = Vec::new();
    let mut dismissed = Vec::new();
    let mut network_of = vec![None; n];
    let mut dismissed_of = vec![None; n];
    for mut g in groups {
        let (list, of, prefix) = if g.screening.dismissed() {
            (&mut dismissed, &mut dismissed_of, "D")
        } else {
            (&mut networks, &mut network_of, "N")
        };
        for &m in &g.members {
            of[m as usize] = Some(list.len() as u32);
        }
        g.id = format!("{prefix}{}", list.len() + 1);
        list.push(g);
    }
    lap("groups, traction, screen".into(), &mut timings);
    let mut posts_of: Vec<Vec<usize>> = vec![Vec::new(); networks.len()];
    for (i, &a) in data.posts.account.iter().enumerate() {
        if let Some(ni) = network_of[a as usize] {
            posts_of[ni as usize].push(i);
        }
    }
    let mut first_day = Vec::with_capacity(networks.len());
    for (net, rows) in networks.iter_mut().zip(&posts_of) {
        let t: Vec<i64> = rows.iter().map(|&i| data.posts.time_ms[i]).collect();
        net.timeline = crate::timeline::timeline(&t, &opts.timeline);
        first_day.push(t.iter().min().map_or(0, |t| t.div_euclid(crate::timeline::MS_PER_DAY)));
    }
    let days: Vec<usize> = networks.iter().map(|n| n.timeline.daily.len()).collect();
    lap("time".into(), &mut timings);
    let narratives = crate::narratives::narratives(data, &posts_of, &first_day, &days, &opts.narratives);
    for (net, n) in networks.iter_mut().zip(narratives) {
        net.narratives = n;
    }
    drop(posts_of);
    lap("narratives".into(), &mut timings);
    let labels: Vec<String> = networks.iter().chain(&dismissed).map(|g| g.id.clone()).collect();
    let breakout = crate::breakout::breakout(data, &index, &network_of, &dismissed_of, networks.len(), &labels);
    for (net, b) in networks.iter_mut().zip(breakout) {
        net.breakout = Some(b);
    }
    lap("breakout".into(), &mut timings);
    let indicators = crate::indicators::indicators(data);
    lap("indicators".into(), &mut timings);
    let role = crate::roles::roles(data, &index, &network_of);
    for (a, r) in role.iter().enumerate() {
        if let (Some(r), Some(ni)) = (r, network_of[a]) {
            let net = &mut networks[ni as usize];
            match r {
                crate::roles::Role::Core => net.core_accounts += 1,
                crate::roles::Role::Amplifier => net.amplifier_accounts += 1,
            }
        }
    }
    lap("roles".into(), &mut timings);
    let coordination_score = best.iter().map(|&s| 1.0 - (-s / 10.0).exp()).collect();
    progress.finish();
    Ok(Detection {
        signals,
        edges,
        fused,
        network_of,
        networks,
        dismissed_of,
        dismissed,
        account_signals,
        coordination_score,
        role,
        indicators,
        timings,
    })
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

    #[test]
    fn finds_the_planted_operations_in_the_bundled_sample() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/sim/platform");
        let (d, _) = crate::ingest(&[dir], &Default::default(), &crate::progress::NoProgress).unwrap();
        let det = detect(&d, &DetectOptions::default(), &crate::progress::NoProgress).unwrap();
        assert!(!det.networks.is_empty());
        // Same input, same seed: same result, whatever the sharding.
        let again =
            detect(&d, &DetectOptions { shards: 1, ..Default::default() }, &crate::progress::NoProgress).unwrap();
        assert_eq!(again.network_of, det.network_of);
        assert_eq!(again.fused, det.fused);
    }
}
