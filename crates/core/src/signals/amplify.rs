//! Amplification edges: account `a` retweets or quotes account `b`'s posts within a window
//! of their posting, more often than chance allows.
//!
//! Amplifiers boost their core within seconds to minutes; co-action signals miss them when
//! each amplifier boosts a different subset of the core's posts. The null model: `a` makes
//! `r_a` fast boosts (within the window) in all, and an account receives a share of all fast
//! boosts equal to its share `R_b / R` of all boosts received; so
//! `λ_ab = r_a · R_b / R`, and the observed count `k_ab` is scored by the Poisson tail with
//! the same `min_items` and Bonferroni threshold as the co-action signals. A popular account
//! receives a large share, so an ordinary fan retweeting a celebrity quickly is expected.

use crate::model::{Dataset, PostIndex, PostKind, NO_ACCOUNT};
use crate::signals::score::{log10_poisson_sf, Edges, ScoreOptions};
use std::collections::HashMap;

/// The amplification edges of a dataset, `(a, b)` ordered `a < b` (undirected in the graph).
pub fn amplification_edges(data: &Dataset, index: &PostIndex, window_ms: i64, opts: &ScoreOptions) -> Edges {
    let p = &data.posts;
    let n = data.accounts.len();
    let mut fast_by = vec![0u64; n];
    let mut received = vec![0u64; n];
    let mut total = 0u64;
    let mut counts: HashMap<(u32, u32), u32> = HashMap::new();
    for i in 0..p.len() {
        if !matches!(p.kind[i], PostKind::Retweet | PostKind::Quote) {
            continue;
        }
        let (a, b) = (p.account[i], p.ref_account[i]);
        if b == NO_ACCOUNT || a == b {
            continue;
        }
        received[b as usize] += 1;
        total += 1;
        // The boosted post's time: from the data, else from its Snowflake id (an archive of
        // amplifiers often lacks the posts they boosted; the id still says when it was made).
        let t0 = index
            .row(p.ref_post[i])
            .map(|r| p.time_ms[r])
            .or_else(|| crate::ingest::parse::snowflake_ms(p.ref_post[i]));
        let Some(t0) = t0 else { continue };
        let delay = p.time_ms[i] - t0;
        if (0..=window_ms).contains(&delay) {
            fast_by[a as usize] += 1;
            *counts.entry((a, b)).or_default() += 1;
        }
    }
    let mut pairs: Vec<((u32, u32), u32)> = counts.into_iter().collect();
    pairs.sort_unstable();
    let tested = pairs.len() as u64;
    let threshold = (opts.alpha / tested.max(1) as f64).log10();
    // Both directions of one account pair: keep the stronger.
    let mut best: std::collections::BTreeMap<(u32, u32), (u32, f64, f64)> = Default::default();
    for ((a, b), k) in pairs {
        if k < opts.min_items || total == 0 {
            continue;
        }
        let lambda = fast_by[a as usize] as f64 * received[b as usize] as f64 / total as f64;
        let lp = log10_poisson_sf(k, lambda);
        if lp <= threshold {
            let key = (a.min(b), a.max(b));
            let e = best.entry(key).or_insert((k, lambda, -lp));
            if -lp > e.2 {
                *e = (k, lambda, -lp);
            }
        }
    }
    let mut out = Edges { tested, ..Default::default() };
    for ((a, b), (k, lambda, surprise)) in best {
        out.a.push(a);
        out.b.push(b);
        out.items.push(k);
        out.expected.push(lambda);
        out.surprise.push(surprise);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PostRecord, ProfileRecord};

    /// 10 amplifiers each boost 8 of a core account's 40 posts within seconds; 200 fans
    /// retweet a celebrity (who gets most of all retweets) within minutes, 3 times each.
    #[test]
    fn amplifiers_link_to_their_core_and_fans_do_not() {
        let mut d = Dataset::new();
        let core = d.set_profile("core", &ProfileRecord::default(), true);
        let celeb = d.set_profile("celeb", &ProfileRecord::default(), true);
        let mut id = 1u64;
        let mut post = |d: &mut Dataset, who, t: i64, kind, ref_post, ref_account: Option<&str>| {
            d.push_post(who, &PostRecord { id, time_ms: t, kind, ref_post, ref_account, ..Default::default() });
            id += 1;
            id - 1
        };
        let core_posts: Vec<(u64, i64)> =
            (0..40).map(|j| (post(&mut d, core, j * 3_600_000, PostKind::Original, 0, None), j * 3_600_000)).collect();
        let celeb_posts: Vec<(u64, i64)> =
            (0..20).map(|j| (post(&mut d, celeb, j * 7_200_000, PostKind::Original, 0, None), j * 7_200_000)).collect();
        for a in 0..10u64 {
            let acc = d.set_profile(&format!("amp{a}"), &ProfileRecord::default(), true);
            for j in 0..8u64 {
                let (pid, t) = core_posts[((a * 3 + j * 5) % 40) as usize];
                post(&mut d, acc, t + 5_000 + a as i64, PostKind::Retweet, pid, Some("core"));
            }
        }
        for f in 0..200u64 {
            let acc = d.set_profile(&format!("fan{f}"), &ProfileRecord::default(), true);
            for j in 0..3u64 {
                let (pid, t) = celeb_posts[((f + j * 7) % 20) as usize];
                post(&mut d, acc, t + 60_000 + f as i64, PostKind::Retweet, pid, Some("celeb"));
            }
        }
        let e = amplification_edges(&d, &PostIndex::new(&d.posts), 600_000, &ScoreOptions::default());
        let touches = |x: u32| (0..e.len()).filter(|&i| e.a[i] == x || e.b[i] == x).count();
        assert_eq!(touches(core), 10, "every amplifier links to the core");
        assert_eq!(touches(celeb), 0, "fans of a celebrity are expected to retweet it");
    }

    /// An archive of amplifiers alone: the boosted posts are not in the data, but their
    /// Snowflake ids say when they were posted, so fast boosts are still seen.
    #[test]
    fn boosts_of_posts_missing_from_the_data_are_timed_by_their_ids() {
        let mut d = Dataset::new();
        let snowflake = |ms: i64| ((ms - crate::ingest::parse::SNOWFLAKE_EPOCH_MS) as u64) << 22;
        let t0 = 1_580_000_000_000i64; // 2020-01-26
        let mut id = 1u64;
        for a in 0..6u64 {
            let acc = d.set_profile(&format!("amp{a}"), &ProfileRecord::default(), true);
            for j in 0..10i64 {
                let posted = t0 + j * 3_600_000;
                let r = PostRecord {
                    id,
                    time_ms: posted + 20_000 + a as i64 * 1_000,
                    kind: PostKind::Retweet,
                    ref_post: snowflake(posted),
                    ref_account: Some("core"),
                    ..Default::default()
                };
                d.push_post(acc, &r);
                id += 1;
            }
        }
        // Everyone else's boosts, spread over 100 accounts.
        for f in 0..200u64 {
            let acc = d.set_profile(&format!("user{f}"), &ProfileRecord::default(), true);
            let target = format!("t{}", f % 100);
            for j in 0..5i64 {
                let posted = t0 + (f as i64 * 5 + j) * 600_000;
                let r = PostRecord {
                    id,
                    time_ms: posted + 120_000,
                    kind: PostKind::Retweet,
                    ref_post: snowflake(posted) + f,
                    ref_account: Some(&target),
                    ..Default::default()
                };
                d.push_post(acc, &r);
                id += 1;
            }
        }
        let e = amplification_edges(&d, &PostIndex::new(&d.posts), 600_000, &ScoreOptions::default());
        let core = d.accounts.lookup("core").unwrap();
        assert_eq!((0..e.len()).filter(|&i| e.a[i] == core || e.b[i] == core).count(), 6, "{e:?}");
    }
}
