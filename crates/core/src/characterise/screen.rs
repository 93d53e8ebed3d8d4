//! The authenticity screen: is a coordinated group an influence operation, or an authentic
//! crowd that happens to act together?
//!
//! Coordination alone does not make an operation. A newsroom's journalists share their
//! outlet's stories within minutes, a coalition of NGOs posts the same joint statement, a
//! fandom retweets its idol in seconds, syndication bots post the same wire headline: all of
//! them pass the chance test honestly. What sets a state-backed operation apart is
//! inauthenticity — accounts created in batches shortly before use, and an audience made of
//! its own amplifiers (the 2020 PRC network was an echo chamber). For every candidate group
//! the screen measures:
//!
//! - **creation waves**: days on which far more of the group's accounts were created than a
//!   uniform spread over the group's creation span gives (Poisson tail, Bonferroni over the
//!   days of the span, at least 3 accounts), and the share of accounts created on such days;
//! - **account age** at the account's first post in the data (median over the group);
//! - **traction** ([`crate::characterise::traction`]): the share of engagement from inside the group and the
//!   number of outside engagers;
//! - the share of **default profiles** (reported, not used in the verdict: hashed archives
//!   blank profiles).
//!
//! A group is dismissed as authentic only on positive evidence on all three counts — no
//! creation wave, established accounts, and engagement from outside — and no indicator of
//! inauthenticity. Where the data cannot tell (no creation dates, no engagement in the data,
//! as in the FiveThirtyEight IRA tweets), the group stays a network: the screen never hides a
//! group for lack of evidence. Dismissed groups are written to `dismissed.json` with their
//! evidence, so an analyst can overrule the screen.

use crate::characterise::traction::Traction;
use crate::model::{account_flags, Dataset, NO_STR, UNKNOWN_TIME};
use crate::signals::score::log10_poisson_sf;
use serde::{Deserialize, Serialize};

use crate::units::MS_PER_DAY;

/// Thresholds of the screen (the `[screen]` section of the configuration file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScreenOptions {
    /// `false`: every coordinated group is a network.
    pub enabled: bool,
    /// A group with at least this share of accounts created in creation waves is not
    /// dismissed.
    pub max_wave_share: f64,
    /// A group whose median account age at first post is below this is not dismissed.
    pub min_median_age_days: f64,
    /// A group with at least this share of its engagement from inside is an echo chamber
    /// and is not dismissed.
    pub max_internal_engagement_share: f64,
    /// Fewest outside engagers that count as an outside audience.
    pub min_external_engagers: u64,
    /// Fewest engagement events in the data for any claim about traction.
    pub min_engagements: u64,
    /// Family-wise false-positive rate of the creation-wave test over a group's days.
    pub wave_alpha: f64,
}

impl Default for ScreenOptions {
    fn default() -> Self {
        ScreenOptions {
            enabled: true,
            max_wave_share: 0.25,
            min_median_age_days: 180.0,
            max_internal_engagement_share: 0.9,
            min_external_engagers: 5,
            min_engagements: 20,
            wave_alpha: 0.01,
        }
    }
}

/// A day on which unusually many of a group's accounts were created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreationWave {
    /// `YYYY-MM-DD` (UTC).
    pub date: String,
    pub accounts: u64,
}

/// What the screen measured on a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub creation_waves: Vec<CreationWave>,
    /// Share of the accounts with a creation date that were created in a wave; `None`
    /// without creation dates.
    pub creation_wave_share: Option<f64>,
    /// Median days from account creation to the account's first post in the data.
    pub median_account_age_days: Option<f64>,
    /// Share of profiled, unhashed accounts without description, location or link.
    pub default_profile_share: Option<f64>,
}

/// The screen's verdict on a coordinated group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScreenVerdict {
    /// An indicator of inauthenticity was found.
    Inauthentic,
    /// Kept as a network: the data cannot show authenticity.
    Undetermined,
    /// Set aside as an authentic crowd (`dismissed.json`).
    Authentic,
}

impl ScreenVerdict {
    pub fn name(self) -> &'static str {
        match self {
            ScreenVerdict::Inauthentic => "inauthentic",
            ScreenVerdict::Undetermined => "undetermined",
            ScreenVerdict::Authentic => "authentic",
        }
    }
}

/// The screen's decision on a group, with the reasons both ways.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Screening {
    pub verdict: ScreenVerdict,
    /// Indicators of inauthenticity found.
    pub indicators: Vec<String>,
    /// Evidence of an authentic crowd found.
    pub authenticity: Vec<String>,
}

impl Screening {
    pub fn dismissed(&self) -> bool {
        self.verdict == ScreenVerdict::Authentic
    }
}

/// Measures a group (`members`: account indices; `first_post_ms`: per account, the time of
/// its first post, `i64::MAX` if none).
pub fn evidence(data: &Dataset, members: &[u32], first_post_ms: &[i64], opts: &ScreenOptions) -> Evidence {
    let acc = &data.accounts;
    let days: Vec<i64> = members
        .iter()
        .map(|&m| acc.created_ms[m as usize])
        .filter(|&t| t != UNKNOWN_TIME)
        .map(|t| t.div_euclid(MS_PER_DAY))
        .collect();
    let (creation_waves, creation_wave_share) = waves(&days, opts.wave_alpha);
    let mut ages: Vec<f64> = members
        .iter()
        .filter_map(|&m| {
            let (c, f) = (acc.created_ms[m as usize], first_post_ms[m as usize]);
            (c != UNKNOWN_TIME && f != i64::MAX && f >= c).then(|| (f - c) as f64 / MS_PER_DAY as f64)
        })
        .collect();
    ages.sort_by(f64::total_cmp);
    let median_account_age_days = (!ages.is_empty()).then(|| {
        let h = ages.len() / 2;
        if ages.len() % 2 == 1 {
            ages[h]
        } else {
            (ages[h - 1] + ages[h]) / 2.0
        }
    });
    let empty = |id: u32| id == NO_STR || data.strings.get(id).trim().is_empty();
    let profiled: Vec<usize> = members
        .iter()
        .map(|&m| m as usize)
        .filter(|&i| acc.flags[i] & account_flags::PROFILED != 0 && acc.flags[i] & account_flags::HASHED == 0)
        .collect();
    let defaults = profiled
        .iter()
        .filter(|&&i| empty(acc.description[i]) && empty(acc.location[i]) && empty(acc.profile_url[i]))
        .count();
    Evidence {
        creation_waves,
        creation_wave_share,
        median_account_age_days,
        default_profile_share: (!profiled.is_empty()).then(|| defaults as f64 / profiled.len() as f64),
    }
}

/// Creation waves among creation days (days since the epoch), and the share of accounts
/// created in them. Expected creations per day: the accounts spread uniformly over their
/// span (at least 30 days, so a handful of accounts is never a wave by arithmetic).
fn waves(days: &[i64], alpha: f64) -> (Vec<CreationWave>, Option<f64>) {
    if days.is_empty() {
        return (Vec::new(), None);
    }
    let mut sorted = days.to_vec();
    sorted.sort_unstable();
    let span = (sorted[sorted.len() - 1] - sorted[0] + 1).max(30);
    let lambda = sorted.len() as f64 / span as f64;
    let threshold = (alpha / span as f64).log10();
    let mut out = Vec::new();
    let mut in_waves = 0u64;
    let mut i = 0;
    while i < sorted.len() {
        let day = sorted[i];
        let c = sorted[i..].partition_point(|&d| d == day);
        if c >= 3 && log10_poisson_sf(c as u32, lambda) <= threshold {
            out.push(CreationWave {
                date: crate::ingest::parse::format_day(day.saturating_mul(MS_PER_DAY)),
                accounts: c as u64,
            });
            in_waves += c as u64;
        }
        i += c;
    }
    (out, Some(in_waves as f64 / sorted.len() as f64))
}

/// The verdict on a group from its evidence and traction.
pub fn screen(ev: &Evidence, tr: &Traction, opts: &ScreenOptions) -> Screening {
    let mut indicators = Vec::new();
    let mut authenticity = Vec::new();
    let pct = |x: f64| format!("{:.0}%", 100.0 * x);
    match ev.creation_wave_share {
        Some(s) if s >= opts.max_wave_share => {
            let dates: Vec<&str> = ev.creation_waves.iter().take(5).map(|w| w.date.as_str()).collect();
            indicators.push(format!("{} of accounts created in creation waves ({})", pct(s), dates.join(", ")));
        }
        Some(s) => authenticity.push(format!("no creation wave ({} of accounts created on wave days)", pct(s))),
        None => {}
    }
    match ev.median_account_age_days {
        Some(d) if d < opts.min_median_age_days => {
            indicators.push(format!("young accounts: median age {d:.0} days at first post"))
        }
        Some(d) => authenticity.push(format!("established accounts: median age {d:.0} days at first post")),
        None => {}
    }
    match tr.internal_engagement_share.filter(|_| tr.engagements >= opts.min_engagements) {
        Some(s) if s >= opts.max_internal_engagement_share => {
            indicators.push(format!("echo chamber: {} of {} engagements from inside the group", pct(s), tr.engagements))
        }
        Some(s) if tr.external_engagers >= opts.min_external_engagers => authenticity.push(format!(
            "outside audience: {} outside engagers, {} of {} engagements from outside",
            tr.external_engagers,
            pct(1.0 - s),
            tr.engagements
        )),
        _ => {}
    }
    let verdict = if !indicators.is_empty() {
        ScreenVerdict::Inauthentic
    } else if opts.enabled && authenticity.len() == 3 {
        ScreenVerdict::Authentic
    } else {
        ScreenVerdict::Undetermined
    };
    Screening { verdict, indicators, authenticity }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(wave: Option<f64>, age: Option<f64>) -> Evidence {
        Evidence {
            creation_waves: vec![],
            creation_wave_share: wave,
            median_account_age_days: age,
            default_profile_share: None,
        }
    }

    fn tr(internal: Option<f64>, engagers: u64) -> Traction {
        Traction {
            internal_engagement_share: internal,
            external_engagers: engagers,
            engagements: 100,
            ..Default::default()
        }
    }

    #[test]
    fn a_batch_of_accounts_created_on_one_day_is_a_wave() {
        // 60 accounts over two years, 40 of them on one day.
        let mut days: Vec<i64> = (0..20).map(|i| 18_000 + i * 36).collect();
        days.extend(std::iter::repeat_n(18_200, 40));
        let (w, share) = waves(&days, 0.01);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].accounts, 40);
        assert!((share.unwrap() - 40.0 / 60.0).abs() < 1e-9);
        // Journalists created over a decade: no wave, even with two on one day.
        let days: Vec<i64> = (0..20).map(|i| 14_000 + i * 170).chain([15_000, 15_000]).collect();
        assert_eq!(waves(&days, 0.01), (vec![], Some(0.0)));
        assert_eq!(waves(&[], 0.01), (vec![], None));
    }

    #[test]
    fn only_positive_evidence_on_every_count_dismisses() {
        let o = ScreenOptions::default();
        // A newsroom: old accounts, no waves, engaged from outside.
        let s = screen(&ev(Some(0.0), Some(2000.0)), &tr(Some(0.2), 500), &o);
        assert!(s.dismissed(), "{s:?}");
        // An echo chamber of old accounts is not dismissed.
        let s = screen(&ev(Some(0.0), Some(2000.0)), &tr(Some(0.99), 3), &o);
        assert_eq!(s.verdict, ScreenVerdict::Inauthentic);
        // Accounts made in a batch are not dismissed, whatever the audience.
        assert_eq!(screen(&ev(Some(0.9), Some(2000.0)), &tr(Some(0.2), 500), &o).verdict, ScreenVerdict::Inauthentic);
        assert_eq!(screen(&ev(Some(0.0), Some(30.0)), &tr(Some(0.2), 500), &o).verdict, ScreenVerdict::Inauthentic);
        // No creation dates or no engagement in the data: kept, undetermined.
        assert_eq!(screen(&ev(None, None), &tr(None, 0), &o).verdict, ScreenVerdict::Undetermined);
        assert_eq!(screen(&ev(Some(0.0), Some(2000.0)), &tr(None, 0), &o).verdict, ScreenVerdict::Undetermined);
        // Too few engagements to say anything about traction.
        let few = Traction { engagements: 3, ..tr(Some(1.0), 0) };
        assert_eq!(screen(&ev(None, None), &few, &o).verdict, ScreenVerdict::Undetermined);
        // Disabled: nothing is dismissed.
        let off = ScreenOptions { enabled: false, ..o };
        assert!(!screen(&ev(Some(0.0), Some(2000.0)), &tr(Some(0.2), 500), &off).dismissed());
    }
}
