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

/// The kinds of coordination signal: each with its name in every output, its meaning, the
/// trace it is computed from and its default window. The one table of signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    CoRetweet,
    FastRetweet,
    CoQuote,
    CoReply,
    CoReplyAccount,
    CoAmplify,
    Amplification,
    IdenticalText,
    NearDuplicateText,
    CoUrl,
    CoDomain,
    HashtagSequence,
    CoHashtag,
    CoMention,
}

const MINUTE: i64 = crate::units::MS_PER_MINUTE;

impl SignalKind {
    /// Every signal, in the order outputs list them.
    pub const ALL: [SignalKind; 14] = [
        SignalKind::CoRetweet,
        SignalKind::FastRetweet,
        SignalKind::CoQuote,
        SignalKind::CoReply,
        SignalKind::CoReplyAccount,
        SignalKind::CoAmplify,
        SignalKind::Amplification,
        SignalKind::IdenticalText,
        SignalKind::NearDuplicateText,
        SignalKind::CoUrl,
        SignalKind::CoDomain,
        SignalKind::HashtagSequence,
        SignalKind::CoHashtag,
        SignalKind::CoMention,
    ];

    /// The name used in every output (`accounts.csv` `signals`, `edges.csv` columns, the
    /// configuration file's `[signals.NAME]`).
    pub const fn name(self) -> &'static str {
        match self {
            SignalKind::CoRetweet => "co_retweet",
            SignalKind::FastRetweet => "fast_retweet",
            SignalKind::CoQuote => "co_quote",
            SignalKind::CoReply => "co_reply",
            SignalKind::CoReplyAccount => "co_reply_account",
            SignalKind::CoAmplify => "co_amplify",
            SignalKind::Amplification => "amplification",
            SignalKind::IdenticalText => "identical_text",
            SignalKind::NearDuplicateText => "near_duplicate_text",
            SignalKind::CoUrl => "co_url",
            SignalKind::CoDomain => "co_domain",
            SignalKind::HashtagSequence => "hashtag_sequence",
            SignalKind::CoHashtag => "co_hashtag",
            SignalKind::CoMention => "co_mention",
        }
    }

    /// What the signal means (the configuration file's documentation).
    pub const fn doc(self) -> &'static str {
        match self {
            SignalKind::CoRetweet => "Retweeting the same post",
            SignalKind::FastRetweet => "Retweeting the same post within seconds of each other",
            SignalKind::CoQuote => "Quoting the same post",
            SignalKind::CoReply => "Replying to the same post",
            SignalKind::CoReplyAccount => "Replying to the same account",
            SignalKind::CoAmplify => "Retweeting or quoting posts of the same account",
            SignalKind::Amplification => {
                "Retweeting or quoting an account's posts within the window of their posting, repeatedly"
            }
            SignalKind::IdenticalText => "Posting the same normalised text",
            SignalKind::NearDuplicateText => {
                "Posting near-duplicate texts (MinHash/LSH over character shingles, any script)"
            }
            SignalKind::CoUrl => "Sharing the same normalised URL",
            SignalKind::CoDomain => "Sharing links to the same domain",
            SignalKind::HashtagSequence => "Using the same ordered hashtag sequence",
            SignalKind::CoHashtag => "Using the same hashtag",
            SignalKind::CoMention => "Mentioning the same account",
        }
    }

    /// The traces the signal is computed from.
    pub const fn trace(self) -> TraceKind {
        match self {
            SignalKind::CoRetweet | SignalKind::FastRetweet => TraceKind::RetweetOf,
            SignalKind::CoQuote => TraceKind::QuoteOf,
            SignalKind::CoReply => TraceKind::ReplyToPost,
            SignalKind::CoReplyAccount => TraceKind::ReplyToAccount,
            SignalKind::CoAmplify | SignalKind::Amplification => TraceKind::AmplifiedAccount,
            SignalKind::IdenticalText => TraceKind::Text,
            SignalKind::NearDuplicateText => TraceKind::NearDuplicateText,
            SignalKind::CoUrl => TraceKind::Url,
            SignalKind::CoDomain => TraceKind::Domain,
            SignalKind::HashtagSequence => TraceKind::HashtagSequence,
            SignalKind::CoHashtag => TraceKind::Hashtag,
            SignalKind::CoMention => TraceKind::Mention,
        }
    }

    /// How close in time two actions must be, by default.
    pub const fn default_window_ms(self) -> i64 {
        match self {
            SignalKind::FastRetweet => MINUTE,
            SignalKind::CoHashtag => 5 * MINUTE,
            SignalKind::CoReplyAccount
            | SignalKind::CoAmplify
            | SignalKind::Amplification
            | SignalKind::CoDomain
            | SignalKind::CoMention => 10 * MINUTE,
            _ => 60 * MINUTE,
        }
    }

    /// Edges join the amplifier and the amplified account (retweets of its posts within the
    /// window), rather than two accounts acting on the same item.
    pub const fn directed(self) -> bool {
        matches!(self, SignalKind::Amplification)
    }

    /// The signal of a name (as outputs and the configuration file write it).
    pub fn from_name(name: &str) -> Option<SignalKind> {
        SignalKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl std::fmt::Display for SignalKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for SignalKind {
    type Err = String;

    /// Parses a signal name (so that `clap` can take one with `value_parser`).
    fn from_str(s: &str) -> Result<Self, String> {
        SignalKind::from_name(s).ok_or_else(|| {
            let known: Vec<&str> = SignalKind::ALL.iter().map(|k| k.name()).collect();
            format!("unknown signal `{s}` (known: {})", known.join(", "))
        })
    }
}

/// A coordination signal as a run computes it: its kind and its time window. `name`,
/// `trace` and `directed` are the kind's (kept as fields for the kernels' convenience).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Signal {
    pub kind: SignalKind,
    /// The name used in every output (`kind.name()`).
    pub name: &'static str,
    #[serde(skip)]
    pub trace: TraceKind,
    pub window_ms: i64,
    pub directed: bool,
}

impl Signal {
    /// The signal of `kind` with its default window.
    pub const fn of(kind: SignalKind) -> Signal {
        Signal {
            kind,
            name: kind.name(),
            trace: kind.trace(),
            window_ms: kind.default_window_ms(),
            directed: kind.directed(),
        }
    }
}

/// The signals, with their default windows.
pub const SIGNALS: [Signal; 14] = {
    let mut out = [Signal::of(SignalKind::CoRetweet); 14];
    let mut i = 0;
    while i < 14 {
        out[i] = Signal::of(SignalKind::ALL[i]);
        i += 1;
    }
    out
};

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
