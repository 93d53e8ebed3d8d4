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
//! - **Dormant periods** are stretches of change-point segments (Bayesian blocks on the
//!   dispersion-scaled daily counts) whose rate is at most `dormant_share` of the network's
//!   own level, between activity and at least `min_dormant_days` long: a residual trickle
//!   of posts is still dormancy. The day after one is a re-emergence.
//! - **Ramps** are sustained rises: stretches of gently rising segments along which a line
//!   through the daily counts (a level per weekday) climbs at least `min_ramp_rise`-fold (docs/METHODS.md).
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
    /// A stretch whose rate is at most this share of the network's own level is dormant,
    /// however much residual activity it holds.
    pub dormant_share: f64,
    /// Fewest days a ramp spans.
    pub min_ramp_days: i64,
    /// A ramp ends at least this many times the rate it began at.
    pub min_ramp_rise: f64,
}

impl Default for TimelineOptions {
    fn default() -> Self {
        TimelineOptions {
            alpha: 0.01,
            min_ratio: 2.0,
            baseline_days: 28,
            merge_gap_days: 3,
            min_dormant_days: 14,
            dormant_share: 0.1,
            min_ramp_days: 14,
            min_ramp_rise: 1.5,
        }
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

/// A sustained rise of activity: consecutive segments of rising rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ramp {
    /// First day of the rise.
    pub onset: String,
    /// Last day of the highest segment.
    pub end: String,
    /// Posts per day in the first and the last segment.
    pub from_per_day: f64,
    pub to_per_day: f64,
}

/// A period with no or only residual activity (PRODUCT.md §4 `dormant_periods`).
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
    /// Sustained rises of activity, with their onset.
    #[serde(default)]
    pub ramps: Vec<Ramp>,
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
            ramps: Vec::new(),
            hour_of_week,
            timezone: None,
        };
    };
    let last = times.iter().map(|t| t.div_euclid(MS_PER_DAY)).max().unwrap_or(first);
    let mut daily = vec![0u64; (last - first + 1) as usize];
    for &t in times {
        daily[(t.div_euclid(MS_PER_DAY) - first) as usize] += 1;
    }

    // Dormant periods: stretches of change-point segments whose rate is far below the
    // network's own level (a residual trickle of camouflage posts is still dormancy).
    let segments = segments(&daily);
    let level = level(&daily);
    let low = |seg: &Segment| seg.rate <= opts.dormant_share * level;
    let mut dormant = vec![false; daily.len()];
    let mut dormant_periods = Vec::new();
    let mut reemergence = Vec::new();
    let mut low_runs: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k < segments.len() {
        if !low(&segments[k]) {
            k += 1;
            continue;
        }
        let first_low = k;
        while k < segments.len() && low(&segments[k]) {
            k += 1;
        }
        // A gap between activity: not the series' first or last stretch.
        if first_low == 0 || k == segments.len() {
            continue;
        }
        low_runs.push((segments[first_low].start, segments[k - 1].end));
    }
    // A blip of a few days (at most `merge_gap_days`) does not end a dormancy.
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in low_runs {
        match merged.last_mut() {
            Some(last)
                if (start - last.1) as i64 <= opts.merge_gap_days
                    && daily[last.1..start].iter().sum::<u64>() as f64 <= level * (start - last.1) as f64 =>
            {
                last.1 = end
            }
            _ => merged.push((start, end)),
        }
    }
    for (start, end) in merged {
        let days = (end - start) as i64;
        if days >= opts.min_dormant_days {
            dormant[start..end].iter_mut().for_each(|d| *d = true);
            dormant_periods.push(Dormancy {
                start: day_string(first + start as i64),
                end: day_string(first + end as i64 - 1),
                days,
            });
            reemergence.push(day_string(first + end as i64));
        }
    }
    let ramps = ramps(&daily, &segments, &dormant, first, opts);

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
        ramps,
        hour_of_week,
    }
}

/// A stretch of days `start..end` with one rate (posts per day).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Segment {
    start: usize,
    end: usize,
    rate: f64,
}

/// The network's own level: the 75th percentile of its daily counts (robust to a long
/// dormancy, which fills the lower half), or the mean day when most days are empty.
fn level(daily: &[u64]) -> f64 {
    let mut v = daily.to_vec();
    v.sort_unstable();
    let p75 = v.get(v.len() * 3 / 4).copied().unwrap_or(0) as f64;
    p75.max(v.iter().sum::<u64>() as f64 / v.len().max(1) as f64)
}

/// Change points of a daily series: Bayesian blocks (Scargle et al. 2013, binned Poisson
/// data) on the counts scaled by their robust dispersion (quasi-Poisson: posts come in
/// clumps, and unscaled counts would split every noisy day into its own segment). Exact
/// dynamic programme, O(days²); a series of over 20,000 days is one segment per run of equal
/// emptiness (zero runs), which a platform slice never needs.
fn segments(daily: &[u64]) -> Vec<Segment> {
    let n = daily.len();
    if n == 0 {
        return Vec::new();
    }
    if n > 20_000 {
        let mut out: Vec<Segment> = Vec::new();
        for (d, &c) in daily.iter().enumerate() {
            match out.last_mut() {
                Some(s) if (s.rate == 0.0) == (c == 0) => s.end = d + 1,
                _ => out.push(Segment { start: d, end: d + 1, rate: c as f64 }),
            }
        }
        for s in &mut out {
            s.rate = daily[s.start..s.end].iter().sum::<u64>() as f64 / (s.end - s.start) as f64;
        }
        return out;
    }
    // Dispersion: median squared deviation from the ±3-day median, over the median of χ²₁.
    let mut resid: Vec<f64> = (0..n)
        .filter_map(|d| {
            let mut w: Vec<u64> = daily[d.saturating_sub(3)..(d + 4).min(n)].to_vec();
            w.sort_unstable();
            let m = w[w.len() / 2] as f64;
            (m > 0.0).then(|| (daily[d] as f64 - m).powi(2) / m)
        })
        .collect();
    resid.sort_by(f64::total_cmp);
    let dispersion = resid.get(resid.len() / 2).map_or(1.0, |m| (m / 0.455).max(1.0));
    let counts: Vec<f64> = daily.iter().map(|&c| c as f64 / dispersion).collect();
    let mut cum = vec![0.0; n + 1];
    for d in 0..n {
        cum[d + 1] = cum[d] + counts[d];
    }
    let prior = 4.0 - (73.53 * 0.05 * (n as f64).powf(-0.478)).ln();
    let fitness = |s: usize, e: usize| {
        let c = cum[e] - cum[s];
        if c > 0.0 {
            c * (c.ln() - ((e - s) as f64).ln())
        } else {
            0.0
        }
    };
    let mut best = vec![0.0f64; n + 1];
    let mut last = vec![0usize; n + 1];
    for e in 1..=n {
        let (mut b, mut arg) = (f64::NEG_INFINITY, 0);
        for (s, &before) in best[..e].iter().enumerate() {
            let v = before + fitness(s, e) - prior;
            if v > b {
                (b, arg) = (v, s);
            }
        }
        best[e] = b;
        last[e] = arg;
    }
    let mut cuts = Vec::new();
    let mut e = n;
    while e > 0 {
        cuts.push((last[e], e));
        e = last[e];
    }
    cuts.reverse();
    cuts.into_iter()
        .map(|(s, e)| Segment { start: s, end: e, rate: daily[s..e].iter().sum::<u64>() as f64 / (e - s) as f64 })
        .collect()
}

/// Ramps: a stretch of change-point segments (dormancy excluded), each a little busier than
/// the one before, along which a least-squares line through the daily counts (a level per weekday) climbs at
/// least `min_ramp_rise`-fold over at least `min_ramp_days`, with a slope over 2.5
/// standard errors. A change-point segment is flat by construction, so a steady climb hides
/// inside one or a few; the line finds it, and its onset is the stretch's first day.
fn ramps(daily: &[u64], segments: &[Segment], dormant: &[bool], first: i64, opts: &TimelineOptions) -> Vec<Ramp> {
    let ramp = |start: usize, end: usize, from: f64, to: f64| Ramp {
        onset: day_string(first + start as i64),
        end: day_string(first + end as i64 - 1),
        from_per_day: (from * 10.0).round() / 10.0,
        to_per_day: (to * 10.0).round() / 10.0,
    };
    // Segments cut at dormant days (a narrative's segments need not end where the network's
    // dormancy does): a ramp never spans a dormant period.
    let mut pieces: Vec<Segment> = Vec::new();
    for seg in segments {
        let mut d = seg.start;
        while d < seg.end {
            if dormant[d] {
                d += 1;
                continue;
            }
            let start = d;
            while d < seg.end && !dormant[d] {
                d += 1;
            }
            let rate = daily[start..d].iter().sum::<u64>() as f64 / (d - start) as f64;
            pieces.push(Segment { start, end: d, rate });
        }
    }
    let active: Vec<&Segment> = pieces.iter().filter(|s| s.rate > 0.0).collect();
    // From each piece, the contiguous pieces after it that rise gently (never a jump of
    // `min_ratio` or more, which is a burst's onset, not a ramp): the longest such run whose
    // line rises enough is a ramp starting at that piece.
    let mut out = Vec::new();
    let mut k = 0;
    while k < active.len() {
        let mut j = k;
        while j + 1 < active.len()
            // Next to each other, or across a few empty days (a weekend) and never across
            // dormancy.
            && active[j + 1].start - active[j].end <= opts.merge_gap_days.max(0) as usize
            && !dormant[active[j].end..active[j + 1].start].iter().any(|&d| d)
            && active[j + 1].rate > active[j].rate
            && active[j + 1].rate < opts.min_ratio * active[j].rate
        {
            j += 1;
        }
        // The longest stretch that rises: ending with a later piece, or inside the last
        // piece a whole number of weeks before its end (a climb that levels off).
        let found = (k..=j).rev().find_map(|e| {
            let (start, end) = (active[k].start, active[e].end);
            let floor = if e > k { active[e].start + 1 } else { start + opts.min_ramp_days.max(1) as usize };
            (0..)
                .map(|w| end.saturating_sub(7 * w))
                .take_while(|&stop| stop >= floor && stop > start)
                .find_map(|stop| rising_line(&daily[start..stop], opts).map(|(from, to)| (e, stop, from, to)))
        });
        match found {
            Some((e, stop, from, to)) => {
                out.push(ramp(active[k].start, stop, from, to));
                k = e + 1;
            }
            None => k += 1,
        }
    }
    out
}

/// The start and end (posts per day) of a least-squares line through the daily counts of
/// `days` with a level per day of the week (operations keep office weeks: a weekday cycle
/// would drown a daily trend, and weekly totals leave too few points), when it rises at
/// least `min_ramp_rise`-fold with a slope over 2.5 standard errors (see [`ramps`]).
fn rising_line(days: &[u64], opts: &TimelineOptions) -> Option<(f64, f64)> {
    let n = days.len();
    if (n as i64) < opts.min_ramp_days || n < 14 {
        return None;
    }
    // Centre counts and times within each day of the week: the slope is then free of the
    // weekday levels (fixed effects).
    let mut sum_y = [0.0f64; 7];
    let mut sum_t = [0.0f64; 7];
    let mut count = [0.0f64; 7];
    for (t, &y) in days.iter().enumerate() {
        sum_y[t % 7] += y as f64;
        sum_t[t % 7] += t as f64;
        count[t % 7] += 1.0;
    }
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (t, &y) in days.iter().enumerate() {
        let (ct, cy) = (t as f64 - sum_t[t % 7] / count[t % 7], y as f64 - sum_y[t % 7] / count[t % 7]);
        sxy += ct * cy;
        sxx += ct * ct;
    }
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let resid: f64 = days
        .iter()
        .enumerate()
        .map(|(t, &y)| {
            let (ct, cy) = (t as f64 - sum_t[t % 7] / count[t % 7], y as f64 - sum_y[t % 7] / count[t % 7]);
            (cy - slope * ct).powi(2)
        })
        .sum();
    let se = (resid / (n as f64 - 8.0) / sxx).sqrt();
    let mean = days.iter().sum::<u64>() as f64 / n as f64;
    let half = slope * (n as f64 - 1.0) / 2.0;
    let (from, to) = (mean - half, mean + half);
    (slope > 2.5 * se && from > 0.0 && to >= opts.min_ramp_rise * from).then_some((from, to))
}

/// Ramps of another daily series over the same days as `timeline` (a narrative's): the
/// network's dormant periods are not part of any ramp.
pub fn series_ramps(daily: &[u64], timeline: &Timeline, opts: &TimelineOptions) -> Vec<Ramp> {
    let Some(first) = timeline.first_day.as_deref().and_then(parse_day) else { return Vec::new() };
    let mut dormant = vec![false; daily.len()];
    for d in &timeline.dormant_periods {
        if let (Some(s), Some(e)) = (parse_day(&d.start), parse_day(&d.end)) {
            for day in s.max(first)..=e {
                if let Some(x) = usize::try_from(day - first).ok().and_then(|i| dormant.get_mut(i)) {
                    *x = true;
                }
            }
        }
    }
    ramps(daily, &segments(daily), &dormant, first, opts)
}

/// Days since 1970-01-01 of `YYYY-MM-DD`.
fn parse_day(s: &str) -> Option<i64> {
    crate::ingest::parse::parse_time(s).ok().map(|ms| ms.div_euclid(MS_PER_DAY))
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

    /// An office-hours operation: `rate(d)` posts on each weekday `d` (deterministic noise).
    fn office_series(days: i64, rate: impl Fn(i64) -> f64) -> Vec<i64> {
        let mut times = Vec::new();
        for d in 0..days {
            let day = MONDAY + d;
            if weekday(day) >= 5 {
                continue;
            }
            let wobble = 1.0 + 0.2 * ((d * 7919) % 11) as f64 / 10.0 - 0.1;
            let n = (rate(d) * wobble).round() as i64;
            for k in 0..n {
                times.push(at(day, 1 + (k % 9)));
            }
        }
        times
    }

    #[test]
    fn dormancy_with_a_residual_trickle_and_a_ramp_are_found() {
        // 40/day; days 60-115 a trickle of 1/day (dormant, not silent); from day 116 a rise
        // from 40 to 100/day over 7 weeks; then 40/day again.
        let times = office_series(260, |d| match d {
            60..=115 => 1.0,
            116..=164 => 40.0 + 60.0 * (d - 116) as f64 / 48.0,
            _ => 40.0,
        });
        let tl = timeline(&times, &Default::default());
        let day = |d: i64| day_string(MONDAY + d);
        assert_eq!(tl.dormant_periods.len(), 1, "{:?}", tl.dormant_periods);
        let dp = &tl.dormant_periods[0];
        // Within a weekend of the truth (the trickle starts and ends on weekdays).
        assert!(dp.start.as_str() >= day(57).as_str() && dp.start.as_str() <= day(60).as_str(), "{dp:?}");
        assert!(dp.end.as_str() >= day(115).as_str() && dp.end.as_str() <= day(118).as_str(), "{dp:?}");
        assert_eq!(tl.reemergence.len(), 1);
        assert!(
            tl.ramps.iter().any(|r| r.onset.as_str() >= day(113).as_str() && r.onset.as_str() <= day(123).as_str()),
            "{:?}",
            tl.ramps
        );
        // Steady activity has neither.
        let flat = timeline(&office_series(260, |_| 40.0), &Default::default());
        assert!(
            flat.dormant_periods.is_empty() && flat.ramps.is_empty(),
            "{:?} {:?}",
            flat.dormant_periods,
            flat.ramps
        );
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
            // Dormant periods lie strictly inside the series, in order, long enough, each
            // followed by its re-emergence; a quiet period, not a busy one.
            proptest::prop_assert_eq!(t.dormant_periods.len(), t.reemergence.len());
            let mut prev_end = String::new();
            for (p, re) in t.dormant_periods.iter().zip(&t.reemergence) {
                let start = (0..t.daily.len()).find(|&i| day_string(first + i as i64) == p.start).unwrap();
                let end = start + p.days as usize;
                proptest::prop_assert!(start > 0 && end < t.daily.len() && p.days >= 14 && p.start > prev_end);
                proptest::prop_assert_eq!(re, &day_string(first + end as i64));
                let mean = t.daily[start..end].iter().sum::<u64>() as f64 / p.days as f64;
                proptest::prop_assert!(mean <= level(&t.daily), "{mean} in {p:?}");
                prev_end = p.end.clone();
            }
            for r in &t.ramps {
                proptest::prop_assert!(r.onset < r.end && r.to_per_day >= 1.5 * r.from_per_day - 0.1);
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
