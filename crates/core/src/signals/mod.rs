//! Signals: traces of shared behaviour, co-action pairs within a window, and the chance
//! model that keeps only the pairs coincidence does not explain.
//!
//! Each [`Signal`] is a trace kind with a time window. For every signal the stage extracts
//! traces, generates co-action pairs within the window, fits the null model and keeps the
//! pairs chance does not explain (see `docs/METHODS.md`); the directed `amplification`
//! signal scores boosts of an account's posts instead. Adding a signal touches one place: a
//! row of [`SIGNALS`] (and a trace kind if it needs a new kind of item).

pub mod amplify;
pub mod neardup;
pub mod pairs;
pub mod score;
pub mod traces;

use crate::model::{Dataset, PostIndex};
use pairs::{pairs, PairOptions};
use score::{score, Edges, NullModel, ScoreOptions};
use serde::Serialize;
use traces::{extract, TraceKind};

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

/// Options of the signal stage.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalOptions {
    pub score: ScoreOptions,
    /// Items with more distinct accounts than this are skipped.
    pub max_item_accounts: usize,
    /// Shards per kernel (the result does not depend on it).
    pub shards: usize,
}

/// The scored edges of each of `signals`, in order; `done` is called after each signal.
pub fn signal_edges(
    data: &Dataset,
    index: &PostIndex,
    signals: &[Signal],
    opts: &SignalOptions,
    done: &mut dyn FnMut(&Signal),
) -> Vec<Edges> {
    let n = data.accounts.len();
    let mut edges = Vec::with_capacity(signals.len());
    // Consecutive signals of one trace kind (co_retweet, fast_retweet) share the traces.
    let mut cache: Option<(TraceKind, traces::Traces)> = None;
    for s in signals {
        if s.directed {
            edges.push(amplify::amplification_edges(data, index, s.window_ms, &opts.score));
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
        done(s);
    }
    edges
}
