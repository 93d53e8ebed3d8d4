//! The stage driver: signals → chance-corrected edges ([`crate::signals`]) → fused graph
//! and Leiden groups ([`crate::cluster`]) → screened, characterised networks
//! ([`crate::characterise`]). Names the stages, times them (the timings go to the run
//! manifest) and reports progress.

pub use crate::characterise::Network;
pub use crate::signals::{Signal, SignalKind, SIGNALS};

use crate::characterise::screen::ScreenOptions;
use crate::characterise::timeline::TimelineOptions;
use crate::characterise::{characterise, CharacteriseOptions};
use crate::cluster::{cluster, ClusterOptions};
use crate::model::{Dataset, PostIndex};
use crate::signals::score::{Edges, ScoreOptions};
use crate::signals::{signal_edges, SignalOptions};

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
    pub narratives: crate::characterise::narratives::NarrativeOptions,
    /// Attribution of low-activity accounts.
    pub attribution: crate::characterise::attribute::AttributionOptions,
    /// Grouping of networks into operations.
    pub operations: crate::characterise::operations::OperationOptions,
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
            attribution: Default::default(),
            operations: Default::default(),
        }
    }
}

impl DetectOptions {
    pub fn signal_options(&self) -> SignalOptions {
        SignalOptions { score: self.score, max_item_accounts: self.max_item_accounts, shards: self.shards }
    }

    pub fn cluster_options(&self) -> ClusterOptions {
        ClusterOptions {
            min_network_size: self.min_network_size,
            resolution: self.resolution,
            join_share: self.join_share,
            seed: self.seed,
        }
    }

    pub fn characterise_options(&self) -> CharacteriseOptions {
        CharacteriseOptions {
            screen: self.screen.clone(),
            timeline: self.timeline.clone(),
            narratives: self.narratives.clone(),
            attribution: self.attribution.clone(),
            operations: self.operations.clone(),
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
    pub role: Vec<Option<crate::characterise::roles::Role>>,
    /// Per account: indicators of inauthenticity.
    pub indicators: Vec<crate::characterise::indicators::Indicators>,
    /// Accounts attributed to a network on account-level evidence, ascending by account.
    pub attributions: Vec<crate::characterise::attribute::Attribution>,
    /// Operations: networks grouped by the actor's fingerprints.
    pub operations: Vec<crate::characterise::Operation>,
    /// Operation index per account, or `None`.
    pub operation_of: Vec<Option<u32>>,
    /// Wall seconds per stage (signals, fusion and clustering, screen), in order. Not part
    /// of any output file, which stay deterministic.
    pub timings: Vec<(String, f64)>,
}

impl Detection {
    /// Sets each operation's links to earlier takedowns from its networks' links (after
    /// `link` filled those).
    pub fn refresh_operation_links(&mut self) {
        for op in &mut self.operations {
            let nets: Vec<&Network> = self.networks.iter().filter(|n| op.networks.contains(&n.id)).collect();
            op.links = crate::characterise::operation_links(&nets);
        }
    }

    /// Why `account` was attributed to its network, if it was.
    pub fn attribution(&self, account: u32) -> Option<&crate::characterise::attribute::Attribution> {
        let i = self.attributions.binary_search_by_key(&account, |a| a.account).ok()?;
        Some(&self.attributions[i])
    }

    /// The names of the signals that tie `account` to its network, `;`-separated; for an
    /// attributed account, `attributed;` and its evidence kinds.
    pub fn signal_names(&self, account: u32) -> String {
        if let Some(at) = self.attribution(account) {
            return format!("attributed;{}", at.kinds());
        }
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

/// Why detection could not finish (bad data is never a panic).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DetectError {
    #[error("clustering the coordination graph: {0}")]
    Graph(cibscan_graph::GraphError),
}

/// Wall time per named stage.
struct Stages {
    clock: std::time::Instant,
    timings: Vec<(String, f64)>,
}

impl Stages {
    fn lap(&mut self, name: &str) {
        self.timings.push((name.to_string(), self.clock.elapsed().as_secs_f64()));
        self.clock = std::time::Instant::now();
    }
}

/// Runs detection and characterisation on a dataset.
pub fn detect(
    data: &Dataset,
    opts: &DetectOptions,
    progress: &dyn crate::progress::Progress,
) -> Result<Detection, DetectError> {
    let signals = opts.signals.clone();
    progress.begin(signals.len() as u64 + 1);
    let mut stages = Stages { clock: std::time::Instant::now(), timings: Vec::new() };
    // Post id → row, built once: amplification, traction, roles and breakout resolve
    // references through it.
    let index = PostIndex::new(&data.posts);
    stages.lap("post index");
    let edges = signal_edges(data, &index, &signals, &opts.signal_options(), &mut |s| {
        stages.lap(&format!("signal {}", s.name));
        progress.advance(1);
    });
    let groups = cluster(data.accounts.len(), &signals, &edges, &opts.cluster_options()).map_err(DetectError::Graph)?;
    stages.lap("fusion and leiden");
    progress.advance(1);
    let c = characterise(data, &index, &groups, &opts.characterise_options(), &mut |name| stages.lap(name));
    let mut coordination_score: Vec<f64> = groups.best_surprise.iter().map(|&s| 1.0 - (-s / 10.0).exp()).collect();
    // An attributed account's tie is its attribution: surprise −log10(expected chance matches).
    for at in &c.attributions {
        let s = -at.expected_false.max(1e-300).log10();
        coordination_score[at.account as usize] = 1.0 - (-s / 10.0).exp();
    }
    progress.finish();
    Ok(Detection {
        signals,
        edges,
        fused: groups.fused,
        network_of: c.network_of,
        networks: c.networks,
        dismissed_of: c.dismissed_of,
        dismissed: c.dismissed,
        account_signals: groups.account_signals,
        coordination_score,
        role: c.role,
        indicators: c.indicators,
        attributions: c.attributions,
        operations: c.operations,
        operation_of: c.operation_of,
        timings: stages.timings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
