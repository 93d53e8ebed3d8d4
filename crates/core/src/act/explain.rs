//! Explanations: why an account is in its network, down to the posts an analyst can check.
//!
//! For an account, its strongest co-actors per signal (from the run's `edges.csv`) and, for
//! each, the concrete items both acted on within the signal's window, with both posts and
//! both timestamps — recomputed from the data, not stored, so every flag can be checked by
//! hand against the input.

use crate::model::{AccountIdx, Dataset};
use crate::pipeline::Signal;
use crate::signals::traces::extract_rows;
use serde::Serialize;

/// One shared item: both posts and their times.
#[derive(Debug, Clone, Serialize)]
pub struct SharedItem {
    /// Post ids are strings in JSON: they exceed 2^53, where JSON readers lose digits.
    #[serde(serialize_with = "crate::run::output::serialize_id")]
    pub post_id: u64,
    pub time: String,
    #[serde(serialize_with = "crate::run::output::serialize_id")]
    pub other_post_id: u64,
    pub other_time: String,
    /// The account's post text (what the item is about).
    pub text: String,
}

/// One co-actor under one signal.
#[derive(Debug, Clone, Serialize)]
pub struct CoActor {
    pub account_id: String,
    pub screen_name: String,
    /// `−log10 p` of the edge.
    pub surprise: f64,
    pub items: Vec<SharedItem>,
}

/// The evidence of one signal.
#[derive(Debug, Clone, Serialize)]
pub struct SignalEvidence {
    pub signal: crate::signals::SignalKind,
    pub window_seconds: i64,
    pub co_actors: Vec<CoActor>,
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExplainError {
    #[error("account {0:?} is not in the run's input")]
    NotFound(String),
    #[error("@{handle} names {} accounts ({}): give the account id", ids.len(), ids.join(", "))]
    Ambiguous { handle: String, ids: Vec<String> },
    #[error(transparent)]
    Run(#[from] crate::run::RunError),
}

/// Finds an account: `@handle` by screen name (case-insensitive), else a platform id, else a
/// screen name. A handle that several accounts bear is an error naming them.
pub fn find_account(data: &Dataset, query: &str) -> Result<AccountIdx, ExplainError> {
    let query = query.trim();
    let handle = query.strip_prefix('@');
    if handle.is_none() {
        if let Some(a) = data.accounts.lookup(query) {
            return Ok(a);
        }
    }
    let handle = handle.unwrap_or(query);
    let found: Vec<AccountIdx> = (0..data.accounts.len() as AccountIdx)
        .filter(|&a| {
            data.strings.opt(data.accounts.screen_name[a as usize]).is_some_and(|s| s.eq_ignore_ascii_case(handle))
        })
        .collect();
    match found.as_slice() {
        [] => Err(ExplainError::NotFound(query.to_string())),
        [a] => Ok(*a),
        many => Err(ExplainError::Ambiguous {
            handle: handle.to_string(),
            ids: many.iter().map(|&a| data.accounts.key.get(a).to_string()).collect(),
        }),
    }
}

/// A set-aside group an account is in, with the screen's reasons.
#[derive(Debug, Clone, Serialize)]
pub struct SetAside {
    pub id: String,
    pub authenticity: Vec<String>,
}

/// An operation and what ties its networks (cells) together.
#[derive(Debug, Clone, Serialize)]
pub struct OperationEvidence {
    pub id: String,
    pub networks: Vec<String>,
    pub accounts: usize,
    pub attributed_accounts: usize,
    /// Pairs of cells and the fingerprints they share (empty for one cell).
    pub ties: Vec<crate::characterise::operations::Tie>,
    /// Earlier takedowns the operation is linked to.
    pub links: Vec<crate::characterise::link::Link>,
}

impl From<crate::characterise::Operation> for OperationEvidence {
    fn from(o: crate::characterise::Operation) -> Self {
        OperationEvidence {
            id: o.id,
            networks: o.networks,
            accounts: o.accounts,
            attributed_accounts: o.attributed_accounts,
            ties: o.ties,
            links: o.links.into_iter().filter(|l| l.linked).collect(),
        }
    }
}

/// Why an account is where the run put it.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub account_id: String,
    pub screen_name: String,
    /// Empty when the account is in no network.
    pub network_id: String,
    /// The operation its network is a cell of, with what ties the cells.
    pub operation: Option<OperationEvidence>,
    /// Why the account was attributed to its network on account-level evidence (a quiet
    /// account the co-action signals could not tie), if it was.
    pub attribution: Option<crate::characterise::attribute::Attribution>,
    /// The coordinated group the screen set aside as authentic, if the account is in one.
    pub dismissed_group: Option<SetAside>,
    pub signals: Vec<SignalEvidence>,
}

/// The operation `id` of a run (`O1`, …), with what ties its cells, if there is one.
pub fn explain_operation(run: &crate::run::Run, id: &str) -> Result<Option<OperationEvidence>, ExplainError> {
    Ok(run.operations()?.into_iter().find(|o| o.id == id).map(OperationEvidence::from))
}

/// Explains `query` (see [`find_account`]) from a run and its input, read again: the
/// strongest `top` co-actors per signal, each with at most `items` shared items.
pub fn explain(
    run: &crate::run::Run,
    data: &Dataset,
    query: &str,
    top: usize,
    items: usize,
) -> Result<Explanation, ExplainError> {
    let a = find_account(data, query)?;
    let key = data.accounts.key.get(a).to_string();
    let (network_id, operation_id) = run
        .accounts()?
        .into_iter()
        .find(|r| r.account_id == key)
        .map(|r| (r.network_id, r.operation_id))
        .unwrap_or_default();
    let operation = if operation_id.is_empty() { None } else { explain_operation(run, &operation_id)? };
    let attribution = if network_id.is_empty() {
        None
    } else {
        run.attributions()?.into_iter().find(|r| r.account_id == key).map(|r| r.attribution)
    };
    let dismissed_group = if network_id.is_empty() {
        run.dismissed()?
            .into_iter()
            .find(|g| g.account_ids.contains(&key))
            .map(|g| SetAside { id: g.group.id, authenticity: g.group.screening.authenticity })
    } else {
        None
    };
    let signals = run.options().signals;
    let edges = run.edges()?;
    let mut per_signal: Vec<Vec<(f64, &str)>> = vec![Vec::new(); signals.len()];
    for e in &edges.rows {
        let other = if e.source == key {
            &e.target
        } else if e.target == key {
            &e.source
        } else {
            continue;
        };
        for (si, s) in e.surprise.iter().enumerate() {
            if let Some(s) = s {
                per_signal[si].push((*s, other));
            }
        }
    }
    let mut evidence = Vec::new();
    for (si, sig) in signals.iter().enumerate() {
        let mut list = std::mem::take(&mut per_signal[si]);
        list.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(y.1)));
        let co_actors: Vec<CoActor> = list
            .into_iter()
            .take(top)
            .filter_map(|(surprise, other)| {
                let b = data.accounts.lookup(other)?;
                Some(CoActor {
                    screen_name: data.strings.opt(data.accounts.screen_name[b as usize]).unwrap_or("").to_string(),
                    account_id: other.to_string(),
                    surprise,
                    items: shared_items(data, sig, a, b, items),
                })
            })
            .collect();
        if !co_actors.is_empty() {
            evidence.push(SignalEvidence { signal: sig.kind, window_seconds: sig.window_ms / 1000, co_actors });
        }
    }
    Ok(Explanation {
        account_id: key,
        screen_name: data.strings.opt(data.accounts.screen_name[a as usize]).unwrap_or("").to_string(),
        network_id,
        operation,
        attribution,
        dismissed_group,
        signals: evidence,
    })
}

/// The shared items of `a` and `b` under `signal`, at most `limit`, oldest first.
pub fn shared_items(data: &Dataset, signal: &Signal, a: AccountIdx, b: AccountIdx, limit: usize) -> Vec<SharedItem> {
    if signal.directed {
        return boosts(data, signal.window_ms, a, b, limit);
    }
    let rows = (0..data.posts.len()).filter(|&i| {
        let x = data.posts.account[i];
        x == a || x == b
    });
    let traces = extract_rows(data, signal.trace, rows);
    let mut out = Vec::new();
    for run in traces.runs() {
        let acts: Vec<(i64, u32, u32)> = run.map(|j| (traces.time_ms[j], traces.account[j], traces.post[j])).collect();
        let best = acts
            .iter()
            .filter(|x| x.1 == a)
            .flat_map(|x| acts.iter().filter(|y| y.1 == b).map(move |y| (x, y)))
            .filter(|(x, y)| (x.0 - y.0).abs() <= signal.window_ms)
            .min_by_key(|(x, y)| ((x.0 - y.0).abs(), x.2, y.2));
        if let Some((x, y)) = best {
            let text: String = data.posts.text.get(x.2 as usize).chars().take(120).collect();
            out.push(SharedItem {
                post_id: data.posts.id[x.2 as usize],
                time: crate::ingest::parse::format_time(x.0),
                other_post_id: data.posts.id[y.2 as usize],
                other_time: crate::ingest::parse::format_time(y.0),
                text,
            });
        }
    }
    out.sort_by(|p, q| p.time.cmp(&q.time).then(p.post_id.cmp(&q.post_id)));
    out.truncate(limit);
    out
}

/// For a directed signal: boosts of one account's posts by the other within the window, as
/// (boost, original) pairs.
fn boosts(data: &Dataset, window_ms: i64, a: AccountIdx, b: AccountIdx, limit: usize) -> Vec<SharedItem> {
    let p = &data.posts;
    let originals: std::collections::HashMap<u64, usize> =
        (0..p.len()).filter(|&i| p.account[i] == a || p.account[i] == b).map(|i| (p.id[i], i)).collect();
    let mut out = Vec::new();
    for i in 0..p.len() {
        let (who, whom) = (p.account[i], p.ref_account[i]);
        if !((who == a && whom == b) || (who == b && whom == a)) {
            continue;
        }
        let Some(&o) = originals.get(&p.ref_post[i]) else { continue };
        if (0..=window_ms).contains(&(p.time_ms[i] - p.time_ms[o])) {
            out.push(SharedItem {
                post_id: p.id[i],
                time: crate::ingest::parse::format_time(p.time_ms[i]),
                other_post_id: p.id[o],
                other_time: crate::ingest::parse::format_time(p.time_ms[o]),
                text: p.text.get(i).chars().take(120).collect(),
            });
        }
    }
    out.sort_by(|x, y| x.time.cmp(&y.time).then(x.post_id.cmp(&y.post_id)));
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PostKind, PostRecord, ProfileRecord};
    use crate::pipeline::SIGNALS;

    #[test]
    fn shared_retweets_come_with_both_times() {
        let mut d = Dataset::new();
        let a = d.set_profile("1", &ProfileRecord { screen_name: "Alice", ..Default::default() }, true);
        let b = d.set_profile("2", &ProfileRecord::default(), true);
        let rt = |id: u64, r: u64, t: i64| PostRecord {
            id,
            kind: PostKind::Retweet,
            ref_post: r,
            time_ms: t,
            text: "RT @x: y",
            ..Default::default()
        };
        d.push_post(a, &rt(10, 500, 1_000));
        d.push_post(b, &rt(11, 500, 4_000));
        d.push_post(a, &rt(12, 600, 10_000));
        d.push_post(b, &rt(13, 600, 9_000_000)); // outside the fast window
        assert_eq!(find_account(&d, "alice").unwrap(), a);
        assert_eq!(find_account(&d, "@ALICE").unwrap(), a);
        assert_eq!(find_account(&d, "1").unwrap(), a);
        assert!(matches!(find_account(&d, "@1"), Err(ExplainError::NotFound(_))));
        // Two accounts with one handle (renamed, or a hashed archive): ambiguous, named.
        d.set_profile("7", &ProfileRecord { screen_name: "alice", ..Default::default() }, true);
        let e = find_account(&d, "@alice").unwrap_err();
        assert!(matches!(e, ExplainError::Ambiguous { .. }) && e.to_string().contains("1, 7"), "{e}");
        let fast = SIGNALS.iter().find(|s| s.name == "fast_retweet").unwrap();
        let items = shared_items(&d, fast, a, b, 10);
        assert_eq!(items.len(), 1);
        assert_eq!((items[0].post_id, items[0].other_post_id), (10, 11));
        assert_eq!(items[0].time, "1970-01-01T00:00:01Z");
        assert_eq!(items[0].other_time, "1970-01-01T00:00:04Z");
        let amp = SIGNALS.iter().find(|s| s.name == "amplification").unwrap();
        let c = d.set_profile("3", &ProfileRecord::default(), true);
        let orig = PostRecord { id: 99, time_ms: 100_000, text: "core post", ..Default::default() };
        d.push_post(c, &orig);
        d.push_post(
            a,
            &PostRecord {
                id: 100,
                time_ms: 100_500,
                kind: PostKind::Retweet,
                ref_post: 99,
                ref_account: Some("3"),
                ..Default::default()
            },
        );
        let boosts = shared_items(&d, amp, a, c, 10);
        assert_eq!((boosts.len(), boosts[0].post_id, boosts[0].other_post_id), (1, 100, 99));
        let slow = SIGNALS.iter().find(|s| s.name == "co_retweet").unwrap();
        assert_eq!(shared_items(&d, slow, a, b, 10).len(), 1, "9,000 s apart is outside the hour too");
    }
}
