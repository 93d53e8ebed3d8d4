//! Characterisation of each candidate group: the authenticity screen (networks vs
//! authentic crowds), traction, breakout, roles, time analysis, narratives, account
//! indicators and links to earlier takedowns.
//!
//! The authenticity screen ([`screen`]) sets aside groups that are authentic crowds
//! (newsrooms, fandoms, syndication) on positive evidence; the rest are the networks.

pub mod attribute;
pub mod breakout;
pub mod indicators;
pub mod link;
pub mod narratives;
pub mod operations;
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
    pub attribution: attribute::AttributionOptions,
    pub operations: operations::OperationOptions,
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
    /// Members attributed on account-level evidence (see [`attribute`]), counted in
    /// `accounts` and in their role.
    #[serde(default)]
    pub attributed_accounts: usize,
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
    /// The operation this network is a cell of (networks only).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub operation: String,
}

/// An operation: the networks (cells) of one actor, tied by the actor's fingerprints (see
/// [`operations`]), with the time, narrative, traction and breakout analysis of all its
/// accounts together (`operations.json`).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Operation {
    pub id: String,
    /// Its networks' ids.
    pub networks: Vec<String>,
    /// Member accounts (indices), ascending; not serialised (see `accounts.csv`).
    #[serde(skip)]
    pub members: Vec<u32>,
    pub accounts: usize,
    pub core_accounts: usize,
    pub amplifier_accounts: usize,
    pub attributed_accounts: usize,
    pub posts: u64,
    pub first_post: Option<String>,
    pub last_post: Option<String>,
    /// The highest confidence of its networks.
    pub confidence: f64,
    /// What ties its networks (empty for an operation of one network).
    pub ties: Vec<operations::Tie>,
    /// Links to earlier takedowns: per prior, its best-linked network's link.
    pub links: Vec<link::Link>,
    pub traction: Traction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakout: Option<breakout::Breakout>,
    #[serde(flatten)]
    pub timeline: Timeline,
    pub narratives: Vec<narratives::Narrative>,
}

/// Per prior, the best link among an operation's networks.
pub fn operation_links(op_networks: &[&Network]) -> Vec<link::Link> {
    let mut best: BTreeMap<String, link::Link> = BTreeMap::new();
    for net in op_networks {
        for l in &net.links {
            match best.get(&l.operation) {
                Some(b) if b.score >= l.score => {}
                _ => {
                    best.insert(l.operation.clone(), l.clone());
                }
            }
        }
    }
    let mut v: Vec<link::Link> = best.into_values().collect();
    v.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.operation.cmp(&b.operation)));
    v
}

impl Network {
    fn new(members: Vec<u32>) -> Network {
        Network {
            id: String::new(),
            accounts: members.len(),
            core_accounts: 0,
            amplifier_accounts: 0,
            attributed_accounts: 0,
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
            operation: String::new(),
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
    /// Accounts attributed to a network on account-level evidence, by account.
    pub attributions: Vec<attribute::Attribution>,
    pub operations: Vec<Operation>,
    /// Operation index per account, or `None`.
    pub operation_of: Vec<Option<u32>>,
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
    // Networks of one actor are cells of one operation (grouped on the accounts the signals
    // found).
    let ids: Vec<String> = networks.iter().map(|g| g.id.clone()).collect();
    let members: Vec<Vec<u32>> = networks.iter().map(|g| g.members.clone()).collect();
    let grouping = operations::group(data, &members, &ids, &opts.operations);
    drop(members);
    lap("operations");
    // Quiet accounts tied to an operation by account-level evidence join it, in the cell they
    // are closest to. Templates are measured on the whole operation: a cell alone is too
    // small to show every creation wave of its actor.
    let excluded: Vec<bool> = (0..n).map(|a| network_of[a].is_some() || dismissed_of[a].is_some()).collect();
    let op_members: Vec<Vec<u32>> = grouping
        .cells
        .iter()
        .map(|cells| {
            let mut m: Vec<u32> = cells.iter().flat_map(|&c| networks[c].members.iter().copied()).collect();
            m.sort_unstable();
            m
        })
        .collect();
    let op_waves: Vec<Vec<screen::CreationWave>> = grouping
        .cells
        .iter()
        .zip(&op_members)
        .map(|(cells, m)| {
            if cells.len() == 1 {
                networks[cells[0]].evidence.creation_waves.clone()
            } else {
                screen::evidence(data, m, &first_post, &opts.screen).creation_waves
            }
        })
        .collect();
    let names: Vec<String> = grouping
        .cells
        .iter()
        .map(|cells| match cells.as_slice() {
            [one] => format!("network {}", networks[*one].id),
            many => {
                format!("operation of {}", many.iter().map(|&c| networks[c].id.as_str()).collect::<Vec<_>>().join(", "))
            }
        })
        .collect();
    let mut attributions =
        attribute::attribute(data, index, &op_members, &op_waves, &names, &excluded, &opts.attribution);
    drop(op_members);
    attribute::place_in_cells(data, index, &mut attributions, &grouping.cells, &network_of);
    let mut posts_by_account = vec![0u64; if attributions.is_empty() { 0 } else { n }];
    if !attributions.is_empty() {
        for &a in &data.posts.account {
            posts_by_account[a as usize] += 1;
        }
    }
    for at in &attributions {
        let net = &mut networks[at.network as usize];
        net.members.push(at.account);
        net.accounts += 1;
        net.attributed_accounts += 1;
        net.posts += posts_by_account[at.account as usize];
    }
    for at in &attributions {
        network_of[at.account as usize] = Some(at.network);
    }
    for net in &mut networks {
        net.members.sort_unstable();
    }
    lap("attribution");
    let mut operation_of = vec![None; n];
    let mut ops: Vec<Operation> = Vec::with_capacity(grouping.cells.len());
    for (oi, (cells, ties)) in grouping.cells.iter().zip(grouping.ties).enumerate() {
        let id = format!("O{}", oi + 1);
        let mut op_members = Vec::new();
        for &c in cells {
            networks[c].operation = id.clone();
            op_members.extend_from_slice(&networks[c].members);
        }
        op_members.sort_unstable();
        for &m in &op_members {
            operation_of[m as usize] = Some(oi as u32);
        }
        ops.push(Operation {
            id,
            networks: cells.iter().map(|&c| networks[c].id.clone()).collect(),
            accounts: op_members.len(),
            members: op_members,
            core_accounts: 0,
            amplifier_accounts: 0,
            attributed_accounts: cells.iter().map(|&c| networks[c].attributed_accounts).sum(),
            posts: cells.iter().map(|&c| networks[c].posts).sum(),
            first_post: cells.iter().filter_map(|&c| networks[c].first_post.clone()).min(),
            last_post: cells.iter().filter_map(|&c| networks[c].last_post.clone()).max(),
            confidence: cells.iter().map(|&c| networks[c].confidence).fold(0.0, f64::max),
            ties,
            links: Vec::new(),
            traction: networks[cells[0]].traction.clone(),
            breakout: None,
            timeline: timeline::timeline(&[], &Default::default()),
            narratives: Vec::new(),
        });
    }
    // Operations of several cells get their own analysis; one of one cell shares its network's.
    let multi: Vec<usize> = (0..ops.len()).filter(|&o| grouping.cells[o].len() > 1).collect();
    let mut posts_of: Vec<Vec<usize>> = vec![Vec::new(); networks.len() + multi.len()];
    let mut multi_slot = vec![usize::MAX; ops.len()];
    for (k, &o) in multi.iter().enumerate() {
        multi_slot[o] = networks.len() + k;
    }
    for (i, &a) in data.posts.account.iter().enumerate() {
        if let Some(ni) = network_of[a as usize] {
            posts_of[ni as usize].push(i);
            if let Some(oi) = operation_of[a as usize] {
                let slot = multi_slot[oi as usize];
                if slot != usize::MAX {
                    posts_of[slot].push(i);
                }
            }
        }
    }
    let mut first_day = Vec::with_capacity(posts_of.len());
    let mut series: Vec<Timeline> = Vec::with_capacity(posts_of.len());
    for rows in &posts_of {
        let t: Vec<i64> = rows.iter().map(|&i| data.posts.time_ms[i]).collect();
        series.push(timeline::timeline(&t, &opts.timeline));
        first_day.push(t.iter().min().map_or(0, |t| t.div_euclid(timeline::MS_PER_DAY)));
    }
    let days: Vec<usize> = series.iter().map(|s| s.daily.len()).collect();
    lap("time");
    let narratives = narratives::narratives(data, &posts_of, &first_day, &days, &opts.narratives);
    drop(posts_of);
    let mut analysed: Vec<(Timeline, Vec<narratives::Narrative>)> = series
        .into_iter()
        .zip(narratives)
        .map(|(tl, mut n)| {
            for narrative in &mut n {
                narrative.ramps = timeline::series_ramps(&narrative.daily, &tl, &opts.timeline);
            }
            (tl, n)
        })
        .collect();
    let op_analysed = analysed.split_off(networks.len());
    for (net, (tl, n)) in networks.iter_mut().zip(analysed) {
        net.timeline = tl;
        net.narratives = n;
    }
    lap("narratives");
    let labels: Vec<String> = networks.iter().chain(&dismissed).map(|g| g.id.clone()).collect();
    let breakout = breakout::breakout(data, index, &network_of, &dismissed_of, networks.len(), &labels);
    for (net, b) in networks.iter_mut().zip(breakout) {
        net.breakout = Some(b);
    }
    for (o, op) in ops.iter_mut().enumerate() {
        if multi_slot[o] == usize::MAX {
            let net = &networks[grouping.cells[o][0]];
            op.timeline = net.timeline.clone();
            op.narratives = net.narratives.clone();
            op.breakout = net.breakout.clone();
        }
    }
    if !multi.is_empty() {
        for ((tl, n), &o) in op_analysed.into_iter().zip(&multi) {
            ops[o].timeline = tl;
            ops[o].narratives = n;
        }
        let labels: Vec<String> =
            ops.iter().map(|o| o.id.clone()).chain(dismissed.iter().map(|g| g.id.clone())).collect();
        let mut tr = traction::traction(data, index, &operation_of, ops.len());
        let br = breakout::breakout(data, index, &operation_of, &dismissed_of, ops.len(), &labels);
        for &o in &multi {
            ops[o].traction = std::mem::take(&mut tr[o]);
            ops[o].breakout = Some(br[o].clone());
        }
    }
    lap("breakout");
    let indicators = indicators::indicators(data);
    lap("indicators");
    let mut role = roles::roles(data, index, &network_of);
    for at in &attributions {
        role[at.account as usize] = Some(roles::Role::Amplifier);
    }
    for (a, r) in role.iter().enumerate() {
        if let (Some(r), Some(ni)) = (r, network_of[a]) {
            let net = &mut networks[ni as usize];
            match r {
                roles::Role::Core => net.core_accounts += 1,
                roles::Role::Amplifier => net.amplifier_accounts += 1,
            }
        }
    }
    for op in &mut ops {
        for net in op.networks.iter().filter_map(|id| networks.iter().find(|n| &n.id == id)) {
            op.core_accounts += net.core_accounts;
            op.amplifier_accounts += net.amplifier_accounts;
        }
    }
    lap("roles");
    Characterised {
        networks,
        network_of,
        dismissed,
        dismissed_of,
        role,
        indicators,
        attributions,
        operations: ops,
        operation_of,
    }
}
