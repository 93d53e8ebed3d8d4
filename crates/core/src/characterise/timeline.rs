//! Time: a network's daily activity, its bursts, dormant periods and re-emergence, and the
//! hour-of-week signature with the time zone it best fits.
//!
//! - **Bursts** are days whose post count is improbable under the network's own baseline:
//!   the median of the same weekday within ±`baseline_days` days (dormant days excluded, so a
//!   re-emerging network is not one long burst), at least one post a day. A window (1, 3, 7 or 14 consecutive active days) is a burst when its quasi-Poisson tail
//!   under the summed baseline (counts scaled by the network's robustly estimated
//!   dispersion: posts come in clumps) is below `alpha / windows` (Bonferroni) and its count
//!   is at least `min_ratio` times the baseline; its days raised as much, and busier than the
//!   network's median day, are burst days. Burst days
//!   closer than `merge_gap_days` are one burst (a weekend inside a campaign does not split
//!   it).
//! - **Dormant periods** are runs of at least `min_dormant_days` days without a post between
//!   the first and last post; the day after one is a re-emergence.
//! - **Time zone**: the UTC offset (whole hours, −12…+14) that puts the largest share of
//!   posts in local office hours, Monday to Friday 09:00–18:00. State operations post in
//!   their operators' working hours (the 2020 PRC network in Beijing's); ordinary crowds
//!   spread over the waking day, so the share is reported with the offset.

use crate::signals::score::log10_poisson_sf;
use serde::{Deserialize, Serialize};

pub use crate::units::MS_PER_DAY;
use crate::units::MS_PER_HOUR;

/// Parameters of the time analysis (the `[timeline]` section of the configuration file,
/// documented there).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TimelineOptions {
    pub alpha: f64,
    pub min_ratio: f64,
    pub baseline_days: i64,
    pub merge_gap_days: i64,
    pub min_dormant_days: i64,
}

impl Default for TimelineOptions {
    fn default() -> Self {
        TimelineOptions { alpha: 0.01, min_ratio: 2.0, baseline_days: 28, merge_gap_days: 3, min_dormant_days: 14 }
    }
}

/// A burst of activity (PRODUCT.md §4 `bursts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Burst {
    pub start: String,
    pub end: String,
    pub posts: u64,
    /// Posts the baseline expected over the same days.
    pub expected: f64,
    /// The busiest day.
    pub peak: String,
}

/// A period without posts (PRODUCT.md §4 `dormant_periods`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dormancy {
    pub start: String,
    pub end: String,
    pub days: i64,
}

/// The best-fitting time zone of a posting signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeZoneFit {
    /// Hours east of UTC.
    pub utc_offset_hours: i32,
    /// Share of posts in local office hours (Mon-Fri 09:00-18:00) at that offset.
    pub office_hours_share: f64,
}

/// The time analysis of one network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// First day of `daily` (`YYYY-MM-DD`).
    pub first_day: Option<String>,
    /// Posts per day from `first_day` to the last post.
    pub daily: Vec<u64>,
    pub bursts: Vec<Burst>,
    pub dormant_periods: Vec<Dormancy>,
    /// Days on which the network posted again after a dormant period.
    pub reemergence: Vec<String>,
    /// Posts per UTC hour of the week: index `24 * weekday + hour`, Monday 0.
    pub hour_of_week: Vec<u64>,
    pub timezone: Option<TimeZoneFit>,
}

pub fn day_string(day: i64) -> String {
    crate::ingest::parse::format_day(day.saturating_mul(MS_PER_DAY))
}

/// Monday = 0 for a day count since 1970-01-01 (a Thursday).
fn weekday(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

/// The time analysis of a set of post times (ms since the epoch, any order).
pub fn timeline(times: &[i64], opts: &TimelineOptions) -> Timeline {
    // The readers keep times plausible; a dataset built another way must not make the daily
    // series below span millennia (i64::MAX would ask for terabytes).
    let plausible: Vec<i64>;
    let times = if times.iter().all(|&t| crate::units::plausible_time(t)) {
        times
    } else {
        plausible = times.iter().copied().filter(|&t| crate::units::plausible_time(t)).collect();
        &plausible
    };
    let mut hour_of_week = vec![0u64; 168];
    for &t in times {
        let day = t.div_euclid(MS_PER_DAY);
        let hour = t.rem_euclid(MS_PER_DAY) / MS_PER_HOUR;
        hour_of_week[(24 * weekday(day) + hour) as usize] += 1;
    }
    let Some(first) = times.iter().map(|t| t.div_euclid(MS_PER_DAY)).min() else {
        return Timeline {
            first_day: None,
            daily: Vec::new(),
            bursts: Vec::new(),
            dormant_periods: Vec::new(),
            reemergence: Vec::new(),
            hour_of_week,
            timezone: None,
        };
    };
    let last = times.iter().map(|t| t.div_euclid(MS_PER_DAY)).max().unwrap_or(first);
    let mut daily = vec![0u64; (last - first + 1) as usize];
    for &t in times {
        daily[(t.div_euclid(MS_PER_DAY) - first) as usize] += 1;
    }

    // Dormant periods: long runs of empty days.
    let mut dormant = vec![false; daily.len()];
    let mut dormant_periods = Vec::new();
    let mut reemergence = Vec::new();
    let mut i = 0;
    while i < daily.len() {
        if daily[i] > 0 {
            i += 1;
            continue;
        }
        let start = i;
        while i < daily.len() && daily[i] == 0 {
            i += 1;
        }
        let days = (i - start) as i64;
        if days >= opts.min_dormant_days {
            dormant[start..i].iter_mut().for_each(|d| *d = true);
            dormant_periods.push(Dormancy {
                start: day_string(first + start as i64),
                end: day_string(first + i as i64 - 1),
                days,
            });
            reemergence.push(day_string(first + i as i64));
        }
    }

    // Bursts against the surrounding median (dormant days excluded).
    let active: Vec<usize> = (0..daily.len()).filter(|&d| !dormant[d]).collect();
    let w = opts.baseline_days.max(1) as usize;
    let mut window: Vec<u64> = Vec::with_capacity(2 * w + 1);
    // The same weekday in the surrounding weeks: operations keep office weeks, and a quiet
    // weekend must not make every Monday a burst.
    let baselines: Vec<Option<f64>> = active
        .iter()
        .map(|&d| {
            window.clear();
            let mut j = d % 7;
            while j < daily.len() {
                if j != d && j.abs_diff(d) <= w && !dormant[j] {
                    window.push(daily[j]);
                }
                j += 7;
            }
            window.sort_unstable();
            (window.len() >= 2).then(|| (window[window.len() / 2] as f64).max(1.0))
        })
        .collect();
    // Posts come in clumps (a core post and its amplifications), so counts vary more than
    // Poisson: estimate the dispersion robustly (median Pearson residual² over the median of
    // χ²₁, 0.455) and test the scaled count (quasi-Poisson).
    let mut resid: Vec<f64> =
        active.iter().zip(&baselines).filter_map(|(&d, b)| b.map(|b| (daily[d] as f64 - b).powi(2) / b)).collect();
    resid.sort_by(f64::total_cmp);
    let dispersion = resid.get(resid.len() / 2).map_or(1.0, |m| (m / 0.455).max(1.0));
    // Scan windows of 1, 3, 7 and 14 active days: a campaign that triples a noisy series for
    // two weeks is certain in sum even when no single day is. Bonferroni over all windows.
    const LENGTHS: [usize; 4] = [1, 3, 7, 14];
    let threshold = (opts.alpha / (active.len().max(1) * LENGTHS.len()) as f64).log10();
    let mut hot = vec![false; active.len()];
    let typical = {
        let mut v: Vec<u64> = active.iter().map(|&d| daily[d]).collect();
        v.sort_unstable();
        v.get(v.len() / 2).copied().unwrap_or(0) as f64
    };
    for len in LENGTHS {
        if len > active.len() {
            break;
        }
        for k in 0..=active.len() - len {
            let (mut c, mut b) = (0.0, 0.0);
            for j in k..k + len {
                let Some(base) = baselines[j] else { continue };
                c += daily[active[j]] as f64;
                b += base;
            }
            if b == 0.0 || c < opts.min_ratio * b {
                continue;
            }
            if log10_poisson_sf((c / dispersion).floor() as u32, b / dispersion) <= threshold {
                // Only the window's days raised `min_ratio` times, and busier than the
                // network's typical day, are burst days: a long window must not drag in its
                // ordinary edges, the ramp before a spike, or a quiet weekend that is merely
                // less quiet than other weekends.
                for j in k..k + len {
                    let c = daily[active[j]] as f64;
                    if c >= typical && baselines[j].is_some_and(|base| c >= opts.min_ratio * base) {
                        hot[j] = true;
                    }
                }
            }
        }
    }
    let burst_days: Vec<(usize, f64)> =
        (0..active.len()).filter(|&j| hot[j]).map(|j| (active[j], baselines[j].unwrap_or(1.0))).collect();
    let mut bursts: Vec<Burst> = Vec::new();
    let mut prev: Option<usize> = None;
    let mut peak_count = 0;
    for (d, baseline) in burst_days {
        let joins = prev.is_some_and(|p| (d - p) as i64 <= opts.merge_gap_days);
        if joins {
            let b = bursts.last_mut().expect("a burst is open");
            let p = prev.expect("checked");
            b.end = day_string(first + d as i64);
            b.posts += daily[p + 1..=d].iter().sum::<u64>();
            if daily[d] > peak_count {
                peak_count = daily[d];
                b.peak = day_string(first + d as i64);
            }
            b.expected += baseline * (d - p) as f64;
        } else {
            bursts.push(Burst {
                start: day_string(first + d as i64),
                end: day_string(first + d as i64),
                posts: daily[d],
                expected: baseline,
                peak: day_string(first + d as i64),
            });
            peak_count = daily[d];
        }
        prev = Some(d);
    }
    for b in &mut bursts {
        b.expected = (b.expected * 10.0).round() / 10.0;
    }

    Timeline {
        first_day: Some(day_string(first)),
        timezone: best_timezone(&hour_of_week),
        daily,
        bursts,
        dormant_periods,
        reemergence,
        hour_of_week,
    }
}

/// The offset that puts the most posts in local office hours.
pub fn best_timezone(hour_of_week: &[u64]) -> Option<TimeZoneFit> {
    let total: u64 = hour_of_week.iter().sum();
    if total == 0 {
        return None;
    }
    let mut best: Option<TimeZoneFit> = None;
    // Prefer the offset nearest UTC among equals: try 0, +1, −1, +2, …
    let offsets = (0..=14).flat_map(|h| if h == 0 { vec![0] } else { vec![h, -h] }).filter(|&h| h >= -12);
    for off in offsets {
        let mut inside = 0u64;
        for (utc, &c) in hour_of_week.iter().enumerate() {
            let local = (utc as i64 + off as i64).rem_euclid(168);
            let (day, hour) = (local / 24, local % 24);
            if day < 5 && (9..18).contains(&hour) {
                inside += c;
            }
        }
        let share = inside as f64 / total as f64;
        if best.as_ref().is_none_or(|b| share > b.office_hours_share) {
            best = Some(TimeZoneFit { utc_offset_hours: off, office_hours_share: share });
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2020-01-06 is a Monday.
    const MONDAY: i64 = 18_267;

    fn at(day: i64, hour: i64) -> i64 {
        day * MS_PER_DAY + hour * MS_PER_HOUR
    }

    #[test]
    fn implausible_times_never_size_the_series() {
        let t = 1_577_836_800_000; // 2020-01-01
        let tl = timeline(&[t, i64::MAX, i64::MIN, t + MS_PER_DAY], &Default::default());
        assert_eq!(tl.daily, [1, 1]);
        assert_eq!(day_string(i64::MAX), "");
    }

    #[test]
    fn finds_the_spike_the_dormancy_and_the_reemergence() {
        let mut times = Vec::new();
        for d in 0..200 {
            let day = MONDAY + d;
            // Weekdays only; dormant from Monday day 35 to Monday day 91; a spike on days
            // 150-156 (a Thursday to the next Wednesday, across a weekend).
            if (35..91).contains(&d) || weekday(day) >= 5 {
                continue;
            }
            let n = if (150..157).contains(&d) { 60 } else { 10 };
            for k in 0..n {
                times.push(at(day, 1 + (k % 9)));
            }
        }
        let t = timeline(&times, &TimelineOptions::default());
        assert_eq!(t.dormant_periods.len(), 1, "{:?}", t.dormant_periods);
        // The silence begins after Friday day 32 and ends with Monday day 91.
        assert_eq!(t.dormant_periods[0].start, day_string(MONDAY + 33));
        assert_eq!(t.dormant_periods[0].days, 91 - 33);
        assert_eq!(t.reemergence, vec![day_string(MONDAY + 91)]);
        assert_eq!(t.bursts.len(), 1, "{:?}", t.bursts);
        let b = &t.bursts[0];
        assert_eq!(b.start, day_string(MONDAY + 150));
        assert_eq!(b.end, day_string(MONDAY + 156), "{b:?}");
        assert_eq!(b.posts, 5 * 60);
        // Posting 01:00-09:00 UTC on weekdays is office hours in UTC+8.
        assert_eq!(t.timezone.as_ref().unwrap().utc_offset_hours, 8);
        assert!(t.timezone.unwrap().office_hours_share > 0.95);
        assert_eq!(t.daily.iter().sum::<u64>(), times.len() as u64);
    }

    #[test]
    fn steady_activity_has_no_burst_and_no_dormancy() {
        let times: Vec<i64> = (0..100).flat_map(|d| (0..20).map(move |k| at(MONDAY + d, k))).collect();
        let t = timeline(&times, &TimelineOptions::default());
        assert!(t.bursts.is_empty(), "{:?}", t.bursts);
        assert!(t.dormant_periods.is_empty());
        assert!(timeline(&[], &TimelineOptions::default()).timezone.is_none());
    }

    proptest::proptest! {
        /// Whatever the times: the series counts every post, dormant periods are empty,
        /// bursts lie inside the series, and shifting everything by whole weeks shifts the
        /// result and changes nothing else.
        #[test]
        fn invariants_hold_for_any_times(days in proptest::collection::vec((0i64..150, 0i64..24, 0u8..4), 1..400), weeks in 1i64..50) {
            let times: Vec<i64> = days
                .iter()
                .flat_map(|&(d, h, n)| (0..n as i64 + 1).map(move |k| at(MONDAY + d, h) + k * 60_000))
                .collect();
            let t = timeline(&times, &TimelineOptions::default());
            proptest::prop_assert_eq!(t.daily.iter().sum::<u64>(), times.len() as u64);
            proptest::prop_assert_eq!(t.hour_of_week.iter().sum::<u64>(), times.len() as u64);
            let first = MONDAY + days.iter().map(|d| d.0).min().unwrap();
            for p in &t.dormant_periods {
                let start = (0..t.daily.len()).find(|&i| day_string(first + i as i64) == p.start).unwrap();
                proptest::prop_assert!(t.daily[start..start + p.days as usize].iter().all(|&c| c == 0));
            }
            let last = day_string(first + t.daily.len() as i64 - 1);
            for b in &t.bursts {
                proptest::prop_assert!(b.start <= b.end && b.end <= last && b.start >= day_string(first));
            }
            let shift = weeks * 7 * MS_PER_DAY;
            let moved: Vec<i64> = times.iter().map(|t| t + shift).collect();
            let m = timeline(&moved, &TimelineOptions::default());
            proptest::prop_assert_eq!(&m.daily, &t.daily);
            proptest::prop_assert_eq!(&m.hour_of_week, &t.hour_of_week);
            proptest::prop_assert_eq!(m.bursts.len(), t.bursts.len());
            proptest::prop_assert_eq!(m.dormant_periods.len(), t.dormant_periods.len());
            proptest::prop_assert_eq!(&m.timezone, &t.timezone);
        }
    }
}
