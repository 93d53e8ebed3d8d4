//! Account indicators of inauthenticity, each in [0, 1], and their mean as the account's
//! `inauthenticity_score`. None of them proves anything alone (a new account with a
//! default profile is most new accounts); together they show how an account was made and
//! run. A part the data cannot measure (a hashed handle, no creation date, too few posts) is
//! left out of the mean rather than guessed.
//!
//! - `creation_batch`: 1 when the account was created on a day on which, across the whole
//!   dataset, far more accounts were created than on the surrounding days (Poisson tail
//!   against the median of ±15 days, Bonferroni over the days).
//! - `handle_pattern`: 1 for a random-looking handle (letters and digits interleaved, or
//!   five consonants in a row), 0.7 for a name with four or more trailing digits, 0.5 for a
//!   name with a trailing year (1950-2029), 0 otherwise.
//! - `default_profile`: 1 without description, location and link; 0.5 with one of them.
//! - `follower_shape`: 1 with no followers, falling with `log10(followers)` to 0 at 1,000;
//!   raised when the account follows far more accounts than follow it.
//! - `automation`: regularity of the gaps between posts, `1 − CV` (coefficient of
//!   variation), from 10 posts on.
//! - `amplification_share`: the share of the account's posts that are retweets.

use crate::model::{account_flags, Dataset, PostKind, NO_STR, UNKNOWN_COUNT, UNKNOWN_TIME};
use crate::signals::score::log10_poisson_sf;
use serde::Serialize;
use std::collections::HashMap;

use crate::units::MS_PER_DAY;

/// One account's indicators (`None`: not measurable from the data).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Indicators {
    pub creation_batch: Option<f64>,
    pub handle_pattern: Option<f64>,
    pub default_profile: Option<f64>,
    pub follower_shape: Option<f64>,
    pub automation: Option<f64>,
    pub amplification_share: Option<f64>,
}

impl Indicators {
    pub const NAMES: [&'static str; 6] =
        ["creation_batch", "handle_pattern", "default_profile", "follower_shape", "automation", "amplification_share"];

    pub fn parts(&self) -> [Option<f64>; 6] {
        [
            self.creation_batch,
            self.handle_pattern,
            self.default_profile,
            self.follower_shape,
            self.automation,
            self.amplification_share,
        ]
    }

    /// The mean of the measurable parts, or `None` when none is.
    pub fn score(&self) -> Option<f64> {
        let v: Vec<f64> = self.parts().into_iter().flatten().collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    }
}

/// How random or patterned a handle looks (see the module documentation).
pub fn handle_pattern(handle: &str) -> f64 {
    let h = handle.trim().to_ascii_lowercase();
    if h.is_empty() || !h.is_ascii() {
        return 0.0;
    }
    let b = h.as_bytes();
    let transitions = b.windows(2).filter(|w| w[0].is_ascii_digit() != w[1].is_ascii_digit()).count();
    let mut run = 0;
    let mut longest = 0;
    for &c in b {
        if c.is_ascii_alphabetic() && !b"aeiouy".contains(&c) {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let digits = b.iter().rev().take_while(|c| c.is_ascii_digit()).count();
    let letters = b.iter().filter(|c| c.is_ascii_alphabetic()).count();
    if transitions >= 3 || longest >= 5 {
        1.0
    } else if digits >= 4 && letters >= 3 {
        let tail = &h[h.len() - digits..];
        let year = digits == 4 && tail.parse::<u32>().is_ok_and(|y| (1950..=2029).contains(&y));
        if year {
            0.5
        } else {
            0.7
        }
    } else {
        0.0
    }
}

/// Creation days (days since the epoch) that are dataset-wide creation waves.
fn wave_days(data: &Dataset) -> HashMap<i64, bool> {
    let mut per_day: HashMap<i64, u32> = HashMap::new();
    for &t in &data.accounts.created_ms {
        if t != UNKNOWN_TIME {
            *per_day.entry(t.div_euclid(MS_PER_DAY)).or_default() += 1;
        }
    }
    let days = per_day.len().max(1) as f64;
    let threshold = (0.01 / days).log10();
    per_day
        .iter()
        .map(|(&d, &c)| {
            let mut around: Vec<u32> =
                (d - 15..=d + 15).filter(|&x| x != d).map(|x| per_day.get(&x).copied().unwrap_or(0)).collect();
            around.sort_unstable();
            let baseline = (around[around.len() / 2] as f64).max(0.5);
            (d, c >= 3 && log10_poisson_sf(c, baseline) <= threshold)
        })
        .collect()
}

/// Indicators of every account.
pub fn indicators(data: &Dataset) -> Vec<Indicators> {
    let acc = &data.accounts;
    let p = &data.posts;
    let n = acc.len();
    let mut times: Vec<Vec<i64>> = vec![Vec::new(); n];
    let mut retweets = vec![0u64; n];
    for i in 0..p.len() {
        let a = p.account[i] as usize;
        times[a].push(p.time_ms[i]);
        if p.kind[i] == PostKind::Retweet {
            retweets[a] += 1;
        }
    }
    let waves = wave_days(data);
    let empty = |id: u32| id == NO_STR || data.strings.get(id).trim().is_empty();
    (0..n)
        .map(|a| {
            let profiled = acc.flags[a] & account_flags::PROFILED != 0;
            let hashed = acc.flags[a] & account_flags::HASHED != 0;
            let created = acc.created_ms[a];
            let creation_batch = (created != UNKNOWN_TIME).then(|| {
                if waves.get(&created.div_euclid(MS_PER_DAY)).copied().unwrap_or(false) {
                    1.0
                } else {
                    0.0
                }
            });
            let handle = data.strings.opt(acc.screen_name[a]).filter(|_| !hashed).map(handle_pattern);
            let default_profile = (profiled && !hashed).then(|| {
                let filled =
                    [acc.description[a], acc.location[a], acc.profile_url[a]].iter().filter(|&&s| !empty(s)).count();
                match filled {
                    0 => 1.0,
                    1 => 0.5,
                    _ => 0.0,
                }
            });
            let (fo, fi) = (acc.followers[a], acc.following[a]);
            let follower_shape = (fo != UNKNOWN_COUNT).then(|| {
                let base = (1.0 - (fo as f64 + 1.0).log10() / 3.0).clamp(0.0, 1.0);
                let ratio = if fi != UNKNOWN_COUNT { (fi as f64 + 1.0) / (fo as f64 + 1.0) } else { 1.0 };
                // Following ten times more accounts than follow back adds half the way to 1.
                if ratio >= 10.0 {
                    base + (1.0 - base) / 2.0
                } else {
                    base
                }
            });
            let t = &mut times[a];
            let automation = (t.len() >= 10).then(|| {
                t.sort_unstable();
                let gaps: Vec<f64> = t.windows(2).map(|w| (w[1] - w[0]) as f64).collect();
                let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
                if mean <= 0.0 {
                    return 1.0;
                }
                let var = gaps.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / gaps.len() as f64;
                (1.0 - var.sqrt() / mean).clamp(0.0, 1.0)
            });
            let amplification_share = (!t.is_empty()).then(|| retweets[a] as f64 / t.len() as f64);
            Indicators {
                creation_batch,
                handle_pattern: handle,
                default_profile,
                follower_shape,
                automation,
                amplification_share,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles() {
        assert_eq!(handle_pattern("julienmoreau"), 0.0);
        assert_eq!(handle_pattern("x7k2p9q4"), 1.0);
        assert_eq!(handle_pattern("qwrtzkp"), 1.0);
        assert_eq!(handle_pattern("wangfang88317"), 0.7);
        assert_eq!(handle_pattern("ivanpetrov1987"), 0.5);
        assert_eq!(handle_pattern("bob22"), 0.0);
        assert_eq!(handle_pattern(""), 0.0);
    }

    #[test]
    fn scores_average_what_is_measurable() {
        let i = Indicators { creation_batch: Some(1.0), default_profile: Some(0.0), ..Default::default() };
        assert_eq!(i.score(), Some(0.5));
        assert_eq!(Indicators::default().score(), None);
    }

    #[test]
    fn a_creation_wave_is_found_across_the_dataset() {
        use crate::model::ProfileRecord;
        let mut d = Dataset::default();
        let base = 17_000 * MS_PER_DAY;
        for k in 0..200i64 {
            let p = ProfileRecord { created_ms: Some(base + (k % 100) * MS_PER_DAY), ..Default::default() };
            d.set_profile(&format!("o{k}"), &p, false);
        }
        for k in 0..40 {
            let p = ProfileRecord { created_ms: Some(base + 50 * MS_PER_DAY + k), ..Default::default() };
            d.set_profile(&format!("w{k}"), &p, false);
        }
        let ind = indicators(&d);
        let of = |k: &str| ind[d.accounts.lookup(k).unwrap() as usize].creation_batch;
        assert_eq!(of("w3"), Some(1.0));
        assert_eq!(of("o7"), Some(0.0));
    }
}
