//! Chance-corrected scoring of co-action pairs.
//!
//! The null model: accounts pick items independently, each account `x` acting on `d_x`
//! distinct items, and an item's chance of being picked proportional to its popularity
//! `n_i` (the number of distinct accounts acting on it). Under this configuration model the
//! expected number of items two accounts share is
//!
//! ```text
//! λ_ab = d_a · d_b · Σ_i n_i (n_i − 1) / (Σ_i n_i)²  ·  f_w
//! ```
//!
//! where `f_w` is the share of co-occurring account pairs, over the whole data, whose actions
//! fall within the signal's time window (so a tight window is not mistaken for luck). The
//! observed count `k` of items shared within the window is scored by the Poisson tail
//! `p = P(X ≥ k | λ_ab)`; an edge is kept when `k ≥ min_items` and `p ≤ alpha / m`, with `m`
//! the number of pairs tested (Bonferroni). Popular items raise `Σ n_i (n_i − 1)` and with
//! it every pair's λ, so hundreds of journalists sharing the day's top link do not stand out,
//! while accounts repeatedly sharing rare items within seconds do. docs/METHODS.md has the
//! full write-up.

use crate::signals::pairs::Pairs;
use crate::signals::traces::Traces;

/// Options of the chance model for one signal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreOptions {
    /// Family-wise false-positive rate over all pairs tested.
    pub alpha: f64,
    /// Fewest shared items for an edge, whatever the p-value.
    pub min_items: u32,
}

impl Default for ScoreOptions {
    fn default() -> Self {
        ScoreOptions { alpha: 0.01, min_items: 2 }
    }
}

/// The fitted null model of one signal.
#[derive(Debug, Clone, PartialEq)]
pub struct NullModel {
    /// Distinct items per account, indexed by account.
    pub degree: Vec<u32>,
    /// `Σ n_i (n_i − 1) / (Σ n_i)²`.
    pub pair_rate: f64,
    /// Share of co-occurring pairs within the window.
    pub window_fraction: f64,
}

impl NullModel {
    /// Fits the model from the traces of a signal and the pairs generated from them.
    pub fn fit(traces: &Traces, pairs: &Pairs, accounts: usize) -> NullModel {
        let mut degree = vec![0u32; accounts];
        let (mut sum_n, mut sum_nn) = (0f64, 0f64);
        let mut seen: Vec<u32> = Vec::new();
        for run in traces.runs() {
            seen.clear();
            seen.extend_from_slice(&traces.account[run]);
            seen.sort_unstable();
            seen.dedup();
            for &a in &seen {
                if let Some(d) = degree.get_mut(a as usize) {
                    *d += 1;
                }
            }
            let n = seen.len() as f64;
            sum_n += n;
            sum_nn += n * (n - 1.0);
        }
        let pair_rate = if sum_n > 0.0 { sum_nn / (sum_n * sum_n) } else { 0.0 };
        let window_fraction =
            if pairs.all_pairs > 0 { pairs.window_pairs as f64 / pairs.all_pairs as f64 } else { 1.0 };
        NullModel { degree, pair_rate, window_fraction }
    }

    /// Expected shared items within the window for accounts `a` and `b` by chance.
    pub fn expected(&self, a: u32, b: u32) -> f64 {
        let d = |x: u32| self.degree.get(x as usize).copied().unwrap_or(0) as f64;
        d(a) * d(b) * self.pair_rate * self.window_fraction
    }
}

/// Scored edges of one signal, sorted by `(a, b)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Edges {
    pub a: Vec<u32>,
    pub b: Vec<u32>,
    pub items: Vec<u32>,
    pub expected: Vec<f64>,
    /// `−log10 p`.
    pub surprise: Vec<f64>,
    /// Pairs tested (the Bonferroni `m`).
    pub tested: u64,
}

impl Edges {
    pub fn len(&self) -> usize {
        self.a.len()
    }
    pub fn is_empty(&self) -> bool {
        self.a.is_empty()
    }
}

/// `log10 P(X ≥ k)` for `X ~ Poisson(λ)`, accurate far into the tail.
pub fn log10_poisson_sf(k: u32, lambda: f64) -> f64 {
    if k == 0 {
        return 0.0;
    }
    if lambda <= 0.0 {
        return f64::NEG_INFINITY;
    }
    let ln_term = |j: u32| -lambda + j as f64 * lambda.ln() - ln_factorial(j);
    if (k as f64) <= lambda {
        // Not in the upper tail: 1 − CDF is well conditioned.
        let cdf: f64 = (0..k).map(|j| ln_term(j).exp()).sum();
        return (1.0 - cdf).max(f64::MIN_POSITIVE).log10();
    }
    // Sum the tail from k upward in log space; terms shrink geometrically past λ.
    let first = ln_term(k);
    let mut sum = 1.0f64;
    let mut ratio_term = 1.0f64;
    let mut j = k;
    loop {
        j += 1;
        ratio_term *= lambda / j as f64;
        sum += ratio_term;
        if ratio_term < 1e-17 * sum || j > k + 10_000 {
            break;
        }
    }
    (first + sum.ln()) / std::f64::consts::LN_10
}

fn ln_factorial(n: u32) -> f64 {
    if n < 2 {
        return 0.0;
    }
    // Stirling's series; exact to double precision for n ≥ 10, summed directly below.
    if n < 10 {
        return (2..=n).map(|j| (j as f64).ln()).sum();
    }
    let x = n as f64;
    x * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI * x).ln() + 1.0 / (12.0 * x) - 1.0 / (360.0 * x.powi(3))
}

/// Keeps the pairs that chance does not explain.
pub fn score(pairs: &Pairs, model: &NullModel, opts: &ScoreOptions) -> Edges {
    let tested = pairs.len() as u64;
    let threshold = (opts.alpha / tested.max(1) as f64).log10();
    let mut out = Edges { tested, ..Default::default() };
    for i in 0..pairs.len() {
        let (a, b, k) = (pairs.a[i], pairs.b[i], pairs.items[i]);
        if k < opts.min_items {
            continue;
        }
        let lambda = model.expected(a, b);
        let lp = log10_poisson_sf(k, lambda);
        if lp <= threshold {
            out.a.push(a);
            out.b.push(b);
            out.items.push(k);
            out.expected.push(lambda);
            out.surprise.push(-lp);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signals::pairs::{pairs, PairOptions};

    fn traces(rows: &[(u64, i64, u32)]) -> Traces {
        Traces::from_rows(rows.iter().enumerate().map(|(i, &(item, t, a))| (item, t, a, i as u32)).collect())
    }

    #[test]
    fn poisson_tail_matches_known_values() {
        // P(X ≥ 1 | 1) = 1 − e^−1; P(X ≥ 5 | 1) = 0.00365984...; P(X ≥ 3 | 0.001) ≈ 1.66542e-10.
        assert!((10f64.powf(log10_poisson_sf(1, 1.0)) - (1.0 - (-1f64).exp())).abs() < 1e-12);
        assert!((10f64.powf(log10_poisson_sf(5, 1.0)) - 0.003_659_846_827_343_712).abs() < 1e-12);
        assert!((10f64.powf(log10_poisson_sf(3, 0.001)) / 1.665_417_166_527_808e-10 - 1.0).abs() < 1e-6);
        assert_eq!(log10_poisson_sf(0, 3.0), 0.0);
        assert!(log10_poisson_sf(200, 0.5) < -200.0);
        assert!((ln_factorial(20) - (2_432_902_008_176_640_000f64).ln()).abs() < 1e-9);
    }

    /// A small operation (12 accounts retweeting the same 30 rare posts within seconds)
    /// among a crowd of 300 "journalists" who all share one top link within minutes and
    /// otherwise share links of their own; plus organic accounts with random activity.
    #[test]
    fn operations_stand_out_and_crowds_do_not() {
        let mut rows: Vec<(u64, i64, u32)> = Vec::new();
        let mut rng = 12345u64;
        let mut next = |m: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % m
        };
        for post in 0..30u64 {
            for a in 0..12u32 {
                rows.push((1_000 + post, post as i64 * 86_400_000 + a as i64 * 2_000, a));
            }
        }
        for j in 0..300u32 {
            let acc = 100 + j;
            rows.push((5, (next(600) * 1_000) as i64, acc)); // the day's top story
            rows.push((6, (next(600) * 1_000) as i64 + 3_600_000, acc)); // and the next one
            for _ in 0..20 {
                rows.push((10_000 + next(5_000), (next(1_000_000) * 1_000) as i64, acc));
            }
        }
        for j in 0..2_000u32 {
            for _ in 0..(1 + next(10)) {
                rows.push((100_000 + next(20_000), (next(10_000_000) * 1_000) as i64, 1_000 + j));
            }
        }
        let t = traces(&rows);
        let p = pairs(&t, &PairOptions { window_ms: 3_600_000, max_item_accounts: 1_000 }, 2);
        let model = NullModel::fit(&t, &p, 3_000);
        let e = score(&p, &model, &ScoreOptions::default());
        let op_edges = (0..e.len()).filter(|&i| e.a[i] < 12 && e.b[i] < 12).count();
        assert_eq!(op_edges, 12 * 11 / 2, "every operation pair is an edge");
        let others = e.len() - op_edges;
        assert_eq!(
            others,
            0,
            "no edge outside the operation: {:?}",
            (0..e.len()).map(|i| (e.a[i], e.b[i], e.items[i])).find(|x| x.0 >= 12)
        );
    }
}
