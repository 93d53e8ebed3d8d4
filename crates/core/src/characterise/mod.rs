//! Characterisation of each candidate group: the authenticity screen (networks vs
//! authentic crowds), traction, breakout, roles, time analysis, narratives, account
//! indicators and links to earlier takedowns.
//!
//! The authenticity screen ([`screen`]) sets aside groups that are authentic crowds
//! (newsrooms, fandoms, syndication) on positive evidence; the rest are the networks.

pub mod breakout;
pub mod indicators;
pub mod link;
pub mod narratives;
pub mod roles;
pub mod screen;
pub mod timeline;
pub mod traction;

use crate::cluster::Groups;
use crate::model::{Dataset, PostIndex, NO_STR};
use screen::{Evidence, ScreenOptions, Screening};
use serde::Serialize;
use std::collections::BTreeMap;
use timeline::{Timeline, TimelineOptions};
use traction::Traction;

/// Options of the characterisation stage.
#[derive(Debug, Clone, PartialEq)]
pub struct CharacteriseOptions {
    pub screen: ScreenOptions,
    pub timeline: TimelineOptions,
    pub narratives: narratives::NarrativeOptions,
}

/// One detected network.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Network {
    pub id: String,
    /// Member accounts (indices into the dataset's accounts), ascending. Not in
    /// `networks.json` (membership is in `accounts.csv`): empty when read back from a run.
    #[serde(skip)]
    pub members: Vec<u32>,
    pub accounts: usize,
    pub core_accounts: usize,
    pub amplifier_accounts: usize,
    pub posts: u64,
    pub first_post: Option<String>,
    pub last_post: Option<String>,
    /// How sure the network is, in [0, 1]: the median member's strongest tie to it
    /// (`1 − e^(−surprise/10)`, surprise = −log10 p), damped for groups of fewer than 10
    /// accounts, and by a quarter when the screen found no indicator of inauthenticity.
    pub confidence: f64,
    /// Per signal: edges inside the network.
    pub signals: BTreeMap<String, u64>,
    pub languages: BTreeMap<String, u64>,
    /// Creation waves, account age and profiles (`creation_waves` is a top-level field).
    #[serde(flatten)]
    pub evidence: Evidence,
    pub traction: Traction,
    /// Breakout Scale estimate (networks only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakout: Option<breakout::Breakout>,
    /// The authenticity screen's verdict and reasons.
    pub screening: Screening,
    /// Daily series, bursts, dormant periods, hour-of-week signature (top-level fields).
    #[serde(flatten)]
    pub timeline: Timeline,
    pub narratives: Vec<narratives::Narrative>,
    /// Links to earlier takedowns (filled when priors are given: `link`).
    pub links: Vec<link::Link>,
}

impl Network {
    fn new(members: Vec<u32>) -> Network {
        Network {
            id: String::new(),
            accounts: members.len(),
            core_accounts: 0,
            amplifier_accounts: 0,
            members,
            posts: 0,
            first_post: None,
            last_post: None,
            confidence: 0.0,
            signals: BTreeMap::new(),
            languages: BTreeMap::new(),
            evidence: Evidence {
                creation_waves: Vec::new(),
                creation_wave_share: None,
                median_account_age_days: None,
                default_profile_share: None,
            },
            traction: Traction::default(),
            breakout: None,
            screening: Screening {
                verdict: screen::ScreenVerdict::Undetermined,
                indicators: Vec::new(),
                authenticity: Vec::new(),
            },
            timeline: timeline::timeline(&[], &Default::default()),
            narratives: Vec::new(),
            links: Vec::new(),
        }
    }
}

/// What characterisation made of the candidate groups.
#[derive(Debug, Clone)]
pub struct Characterised {
    pub networks: Vec<Network>,
    /// Network index per account, or `None`.
    pub network_of: Vec<Option<u32>>,
    /// Coordinated groups the screen judged to be authentic crowds.
    pub dismissed: Vec<Network>,
    pub dismissed_of: Vec<Option<u32>>,
    pub role: Vec<Option<roles::Role>>,
    pub indicators: Vec<indicators::Indicators>,
}

/// Characterises the candidate `groups` of `data`; `lap` is called after each named step.
pub fn characterise(
    data: &Dataset,
    index: &PostIndex,
    groups: &Groups,
    opts: &CharacteriseOptions,
    lap: &mut dyn FnMut(&str),
) -> Characterised {
    let n = data.accounts.len();
    let group_of = &groups.group_of;
    let best = &groups.best_surprise;
    let mut groups: Vec<Network> = groups
        .members
        .iter()
        .zip(&groups.signal_counts)
        .map(|(m, s)| {
            let mut g = Network::new(m.clone());
            g.signals = s.clone();
            g
        })
        .collect();
    let mut times: Vec<(i64, i64)> = vec![(i64::MAX, i64::MIN); groups.len()];
    let mut first_post = vec![i64::MAX; n];
    for (i, &a) in data.posts.account.iter().enumerate() {
        let t = data.posts.time_ms[i];
        first_post[a as usize] = first_post[a as usize].min(t);
        if let Some(gi) = group_of[a as usize] {
            let g = &mut groups[gi as usize];
            g.posts += 1;
            times[gi as usize] = (times[gi as usize].0.min(t), times[gi as usize].1.max(t));
            let lang = data.posts.lang[i];
            let name = if lang == NO_STR { "unknown" } else { data.strings.get(lang) };
            *g.languages.entry(name.to_string()).or_default() += 1;
        }
    }
    let traction = traction::traction(data, index, group_of, groups.len());
    for ((gi, g), tr) in groups.iter_mut().enumerate().zip(traction) {
        let k = g.accounts as f64;
        let mut ties: Vec<f64> = g.members.iter().map(|&m| 1.0 - (-best[m as usize] / 10.0).exp()).collect();
        ties.sort_by(f64::total_cmp);
        let median = ties.get(ties.len() / 2).copied().unwrap_or(0.0);
        // A handful of accounts is weaker evidence of an operation than a crowd: damp by size.
        g.confidence = (median * (1.0 - (-k / 5.0).exp())).clamp(0.0, 1.0);
        if times[gi].0 != i64::MAX {
            g.first_post = Some(crate::ingest::parse::format_time(times[gi].0));
            g.last_post = Some(crate::ingest::parse::format_time(times[gi].1));
        }
        g.evidence = screen::evidence(data, &g.members, &first_post, &opts.screen);
        g.screening = screen::screen(&g.evidence, &tr, &opts.screen);
        if g.screening.verdict == screen::ScreenVerdict::Undetermined {
            g.confidence *= 0.75;
        }
        g.confidence = (g.confidence * 1000.0).round() / 1000.0;
        g.traction = tr;
    }

    // The screen splits the groups into networks and dismissed authentic crowds.
    let mut networks = Vec::new();
    let mut dismissed = Vec::new();
    let mut network_of = vec![None; n];
    let mut dismissed_of = vec![None; n];
    for mut g in groups {
        let (list, of, prefix) = if g.screening.dismissed() {
            (&mut dismissed, &mut dismissed_of, "D")
        } else {
            (&mut networks, &mut network_of, "N")
        };
        for &m in &g.members {
            of[m as usize] = Some(list.len() as u32);
        }
        g.id = format!("{prefix}{}", list.len() + 1);
        list.push(g);
    }
    lap("groups, traction, screen");
    let mut posts_of: Vec<Vec<usize>> = vec![Vec::new(); networks.len()];
    for (i, &a) in data.posts.account.iter().enumerate() {
        if let Some(ni) = network_of[a as usize] {
            posts_of[ni as usize].push(i);
        }
    }
    let mut first_day = Vec::with_capacity(networks.len());
    for (net, rows) in networks.iter_mut().zip(&posts_of) {
        let t: Vec<i64> = rows.iter().map(|&i| data.posts.time_ms[i]).collect();
        net.timeline = timeline::timeline(&t, &opts.timeline);
        first_day.push(t.iter().min().map_or(0, |t| t.div_euclid(timeline::MS_PER_DAY)));
    }
    let days: Vec<usize> = networks.iter().map(|n| n.timeline.daily.len()).collect();
    lap("time");
    let narratives = narratives::narratives(data, &posts_of, &first_day, &days, &opts.narratives);
    for (net, mut n) in networks.iter_mut().zip(narratives) {
        for narrative in &mut n {
            narrative.ramps = timeline::series_ramps(&narrative.daily, &net.timeline, &opts.timeline);
        }
        net.narratives = n;
    }
    drop(posts_of);
    lap("narratives");
    let labels: Vec<String> = networks.iter().chain(&dismissed).map(|g| g.id.clone()).collect();
    let breakout = breakout::breakout(data, index, &network_of, &dismissed_of, networks.len(), &labels);
    for (net, b) in networks.iter_mut().zip(breakout) {
        net.breakout = Some(b);
    }
    lap("breakout");
    let indicators = indicators::indicators(data);
    lap("indicators");
    let role = roles::roles(data, index, &network_of);
    for (a, r) in role.iter().enumerate() {
        if let (Some(r), Some(ni)) = (r, network_of[a]) {
            let net = &mut networks[ni as usize];
            match r {
                roles::Role::Core => net.core_accounts += 1,
                roles::Role::Amplifier => net.amplifier_accounts += 1,
            }
        }
    }
    lap("roles");
    Characterised { networks, network_of, dismissed, dismissed_of, role, indicators }
}
