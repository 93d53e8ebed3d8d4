//! Co-action pairs: two accounts acting on the same item within a time window.
//!
//! Input is [`Traces`] of one kind (sorted by item, then time). For every item, each pair of
//! distinct accounts whose actions on it lie within `window_ms` of each other is one piece of
//! evidence. Items acted on by more than `max_item_accounts` distinct accounts are skipped
//! and counted: a viral post or the day's top link says little about coordination and would
//! make the pair count explode. Each item's evidence is weighted by `1 / ln(e + n - 1)` for
//! an item with `n` accounts, so rare items count more than common ones; the chance model
//! that decides which pairs are more than coincidence comes after this stage.
//!
//! Shard-then-merge: [`pairs_shard`] handles a range of item runs, [`merge`] sorts all
//! shard outputs by `(a, b, weight)` and sums per pair in that order, so the result — float
//! sums included — is identical for any number of shards.

use crate::signals::traces::Traces;
use rayon::prelude::*;
use std::ops::Range;

/// Options of pair generation for one signal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairOptions {
    /// Two actions on an item count together when at most this far apart.
    pub window_ms: i64,
    /// Items with more distinct accounts than this are skipped.
    pub max_item_accounts: usize,
}

/// Evidence per account pair (`a < b`), sorted by `(a, b)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pairs {
    pub a: Vec<u32>,
    pub b: Vec<u32>,
    /// Distinct items both acted on within the window.
    pub items: Vec<u32>,
    /// Sum of the items' weights.
    pub weight: Vec<f64>,
    /// Items skipped for having more than `max_item_accounts` accounts.
    pub capped_items: u64,
    /// Over the items not capped: account pairs that co-acted within the window, and all
    /// account pairs. Their ratio is how often co-occurrence falls within the window.
    pub window_pairs: u64,
    pub all_pairs: u64,
}

impl Pairs {
    pub fn len(&self) -> usize {
        self.a.len()
    }
    pub fn is_empty(&self) -> bool {
        self.a.is_empty()
    }
}

/// The weight of one co-acted item with `n` distinct accounts.
pub fn item_weight(n: usize) -> f64 {
    1.0 / (std::f64::consts::E + n.saturating_sub(1) as f64).ln()
}

/// Unmerged evidence: `count` items of weight `w` for the pair `(a, b)`. Rows with the same
/// pair and weight are compacted as they accumulate, so memory follows the number of
/// distinct pairs rather than pairs × items (999 accounts sharing 400 posts are 500,000
/// rows, not 200 million).
#[derive(Debug, Default)]
pub struct PairShard {
    rows: Vec<Row>,
    /// Row count at which the rows are next compacted.
    compact_at: usize,
    capped_items: u64,
    window_pairs: u64,
    all_pairs: u64,
}

#[derive(Debug, Clone, Copy)]
struct Row {
    a: u32,
    b: u32,
    w: f64,
    count: u32,
}

/// Rows held before a shard compacts them.
const COMPACT_ROWS: usize = 1 << 22;

/// Sorts rows by `(a, b, w)` and folds equal keys into one row. Weights are positive, so
/// their bit patterns order like the numbers.
fn compact(rows: &mut Vec<Row>) {
    rows.sort_unstable_by_key(|r| (r.a, r.b, r.w.to_bits()));
    rows.dedup_by(|next, kept| {
        let same = (next.a, next.b, next.w.to_bits()) == (kept.a, kept.b, kept.w.to_bits());
        if same {
            kept.count += next.count;
        }
        same
    });
}

/// The per-shard kernel: evidence from the item runs `runs` of `traces`.
pub fn pairs_shard(traces: &Traces, runs: &[Range<usize>], opts: &PairOptions) -> PairShard {
    shard_compacting_at(traces, runs, opts, COMPACT_ROWS)
}

fn shard_compacting_at(traces: &Traces, runs: &[Range<usize>], opts: &PairOptions, compact_rows: usize) -> PairShard {
    let mut out = PairShard { compact_at: compact_rows, ..Default::default() };
    let mut accounts: Vec<u32> = Vec::new();
    let mut local: Vec<u32> = Vec::new();
    let mut in_window: Vec<u32> = Vec::new();
    let mut count: Vec<u32> = Vec::new();
    let mut seen: Vec<bool> = Vec::new();
    let mut item_pairs: Vec<(u32, u32)> = Vec::new();
    for run in runs {
        accounts.clear();
        accounts.extend_from_slice(&traces.account[run.clone()]);
        accounts.sort_unstable();
        accounts.dedup();
        let n = accounts.len();
        if n < 2 {
            continue;
        }
        if n > opts.max_item_accounts {
            out.capped_items += 1;
            continue;
        }
        // Actions are in time order within the run: a sliding window finds the pairs. The
        // window is kept as its distinct accounts, so an account acting many times on one
        // item costs no more than acting once, and each pair is emitted once per item.
        item_pairs.clear();
        let t = &traces.time_ms[run.clone()];
        local.clear();
        local.extend(traces.account[run.clone()].iter().map(|a| accounts.partition_point(|x| x < a) as u32));
        in_window.clear();
        count.clear();
        count.resize(n, 0);
        seen.clear();
        seen.resize(n * n, false);
        let mut lo = 0;
        for hi in 0..t.len() {
            while t[hi] - t[lo] > opts.window_ms {
                let l = local[lo] as usize;
                count[l] -= 1;
                if count[l] == 0 {
                    let at = in_window.iter().position(|&x| x as usize == l).expect("counted accounts are listed");
                    in_window.swap_remove(at);
                }
                lo += 1;
            }
            let y = local[hi];
            for &x in &in_window {
                if x != y {
                    let (p, q) = (x.min(y) as usize, x.max(y) as usize);
                    if !std::mem::replace(&mut seen[p * n + q], true) {
                        item_pairs.push((accounts[p], accounts[q]));
                    }
                }
            }
            if count[y as usize] == 0 {
                in_window.push(y);
            }
            count[y as usize] += 1;
        }
        out.window_pairs += item_pairs.len() as u64;
        out.all_pairs += (n * (n - 1) / 2) as u64;
        let w = item_weight(n);
        out.rows.extend(item_pairs.iter().map(|&(a, b)| Row { a, b, w, count: 1 }));
        if out.rows.len() >= out.compact_at {
            compact(&mut out.rows);
            out.compact_at = compact_rows.max(2 * out.rows.len());
        }
    }
    out
}

/// The merge: sums evidence per pair in a fixed order (ascending weight), whatever the
/// sharding and compaction.
pub fn merge(shards: Vec<PairShard>) -> Pairs {
    let capped_items = shards.iter().map(|s| s.capped_items).sum();
    let window_pairs = shards.iter().map(|s| s.window_pairs).sum();
    let all_pairs = shards.iter().map(|s| s.all_pairs).sum();
    let mut rows: Vec<Row> = shards.into_iter().flat_map(|s| s.rows).collect();
    rows.par_sort_unstable_by_key(|r| (r.a, r.b, r.w.to_bits()));
    let mut out = Pairs { capped_items, window_pairs, all_pairs, ..Default::default() };
    for r in rows {
        if out.a.last() != Some(&r.a) || out.b.last() != Some(&r.b) {
            out.a.push(r.a);
            out.b.push(r.b);
            out.items.push(0);
            out.weight.push(0.0);
        }
        *out.items.last_mut().expect("same length") += r.count;
        // One addition per item, in ascending order: the same float sum as uncompacted rows.
        let sum = out.weight.last_mut().expect("same length");
        for _ in 0..r.count {
            *sum += r.w;
        }
    }
    out
}

/// Pairs of one trace kind in `shards` shards of item runs on the rayon pool.
pub fn pairs(traces: &Traces, opts: &PairOptions, shards: usize) -> Pairs {
    let runs: Vec<Range<usize>> = traces.runs().collect();
    let size = runs.len().div_ceil(shards.max(1)).max(1);
    let parts: Vec<PairShard> = runs.par_chunks(size).map(|chunk| pairs_shard(traces, chunk, opts)).collect();
    merge(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn traces(rows: &[(u64, i64, u32)]) -> Traces {
        Traces::from_rows(rows.iter().enumerate().map(|(i, &(item, t, a))| (item, t, a, i as u32)).collect())
    }

    const OPTS: PairOptions = PairOptions { window_ms: 60_000, max_item_accounts: 100 };

    #[test]
    fn only_actions_within_the_window_pair() {
        let t = traces(&[(1, 0, 10), (1, 30_000, 11), (1, 200_000, 12), (2, 5, 10), (2, 6, 11)]);
        let p = pairs(&t, &OPTS, 1);
        assert_eq!((p.a.clone(), p.b.clone()), (vec![10], vec![11]));
        assert_eq!(p.items, vec![2]);
        assert!((p.weight[0] - (item_weight(3) + item_weight(2))).abs() < 1e-12);
        assert!(item_weight(2) > item_weight(3), "rarer items weigh more");
    }

    #[test]
    fn popular_items_are_capped_and_counted() {
        let rows: Vec<(u64, i64, u32)> = (0..150).map(|a| (7, a as i64, a)).collect();
        let p = pairs(&traces(&rows), &OPTS, 1);
        assert!(p.is_empty());
        assert_eq!(p.capped_items, 1);
    }

    #[test]
    fn repeated_actions_count_an_item_once() {
        let t = traces(&[(1, 0, 1), (1, 10, 2), (1, 20, 1), (1, 30, 2)]);
        let p = pairs(&t, &OPTS, 1);
        assert_eq!(p.items, vec![1]);
    }

    /// Brute force: every pair of accounts with some actions on a shared item within the window.
    fn brute(rows: &[(u64, i64, u32)], opts: &PairOptions) -> Vec<(u32, u32, u32)> {
        let mut items: std::collections::BTreeMap<u64, Vec<(i64, u32)>> = Default::default();
        for &(i, t, a) in rows {
            items.entry(i).or_default().push((t, a));
        }
        let mut count: std::collections::BTreeMap<(u32, u32), u32> = Default::default();
        for acts in items.values() {
            let distinct: std::collections::BTreeSet<u32> = acts.iter().map(|x| x.1).collect();
            if distinct.len() > opts.max_item_accounts {
                continue;
            }
            let mut seen = std::collections::BTreeSet::new();
            for &(t1, a1) in acts {
                for &(t2, a2) in acts {
                    if a1 < a2 && (t1 - t2).abs() <= opts.window_ms {
                        seen.insert((a1, a2));
                    }
                }
            }
            for p in seen {
                *count.entry(p).or_default() += 1;
            }
        }
        count.into_iter().map(|((a, b), c)| (a, b, c)).collect()
    }

    proptest! {
        #[test]
        fn matches_brute_force_and_ignores_sharding(
            rows in proptest::collection::vec((0u64..6, 0i64..300_000, 0u32..12), 0..80),
            shards in 1usize..9,
            window in 0i64..120_000,
            cap in 2usize..12,
        ) {
            let opts = PairOptions { window_ms: window, max_item_accounts: cap };
            let t = traces(&rows);
            let one = pairs(&t, &opts, 1);
            prop_assert_eq!(&pairs(&t, &opts, shards), &one);
            let got: Vec<(u32, u32, u32)> = (0..one.len()).map(|i| (one.a[i], one.b[i], one.items[i])).collect();
            prop_assert_eq!(got, brute(&rows, &opts));
            // Compacting after every item gives the same pairs and bit-identical weights.
            let runs: Vec<Range<usize>> = t.runs().collect();
            let compacted = merge(vec![shard_compacting_at(&t, &runs, &opts, 1)]);
            prop_assert_eq!(&compacted, &one);
        }
    }
}
