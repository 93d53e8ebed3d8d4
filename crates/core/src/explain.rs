//! Explanations: why an account is in its network, down to the posts an analyst can check.
//!
//! For an account, its strongest co-actors per signal (from the run's `edges.csv`) and, for
//! each, the concrete items both acted on within the signal's window, with both posts and
//! both timestamps — recomputed from the data, not stored, so every flag can be checked by
//! hand against the input.

use crate::detect::Signal;
use crate::model::{AccountIdx, Dataset};
use crate::traces::extract_rows;
use serde::Serialize;

/// One shared item: both posts and their times.
#[derive(Debug, Clone, Serialize)]
pub struct SharedItem {
    pub post_id: u64,
    pub time: String,
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
    pub signal: &'static str,
    pub window_seconds: i64,
    pub co_actors: Vec<CoActor>,
}

/// Finds an account by platform key, or else by screen name (case-insensitive).
pub fn find_account(data: &Dataset, query: &str) -> Option<AccountIdx> {
    data.accounts.lookup(query).or_else(|| {
        (0..data.accounts.len() as AccountIdx).find(|&a| {
            data.strings.opt(data.accounts.screen_name[a as usize]).is_some_and(|s| s.eq_ignore_ascii_case(query))
        })
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
                time: crate::parse::format_time(x.0),
                other_post_id: data.posts.id[y.2 as usize],
                other_time: crate::parse::format_time(y.0),
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
                time: crate::parse::format_time(p.time_ms[i]),
                other_post_id: p.id[o],
                other_time: crate::parse::format_time(p.time_ms[o]),
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
    use crate::detect::SIGNALS;
    use crate::model::{PostKind, PostRecord, ProfileRecord};

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
        assert_eq!(find_account(&d, "alice"), Some(a));
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
