//! A synthetic detection result for the report's tests and benchmark: one network of any
//! size with communities, bursts and a dormant period, a small second network, a set-aside
//! group and some bystanders. Not a simulation of behaviour (see `cibscan-sim` for that):
//! only the shapes the report draws.

use crate::characterise::narratives::Narrative;
use crate::characterise::roles::Role;
use crate::characterise::screen::{ScreenOptions, Screening};
use crate::model::{PostKind, PostRecord, ProfileRecord};
use crate::pipeline::{Detection, Network, SIGNALS};
use crate::signals::score::Edges;
use crate::Dataset;
use std::collections::BTreeMap;

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;
/// 2020-01-06, a Monday.
const START_DAY: i64 = 18_267;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A dataset and detection with a main network of `accounts` accounts (each joined to about
/// `degree` others), deterministic for `seed`. `hostile` strings are used as screen names,
/// display names, an account id, a language, narrative labels, terms and hashtags and a
/// screening reason.
pub fn synthetic(accounts: usize, degree: usize, seed: u64, hostile: &[&str]) -> (Dataset, Detection) {
    let mut rng = Rng(seed);
    let mut data = Dataset::new();
    let pick = |i: usize, fallback: String| -> String {
        if !hostile.is_empty() && i < 2 * hostile.len() {
            hostile[i % hostile.len()].to_string()
        } else {
            fallback
        }
    };
    // Groups: main network, a second network, a set-aside crowd, bystanders.
    let sizes = [accounts, 25, 20, 200];
    let mut groups: Vec<Vec<u32>> = Vec::new();
    let mut next_post = 1u64;
    for (g, &size) in sizes.iter().enumerate() {
        let mut members = Vec::with_capacity(size);
        for i in 0..size {
            let key = if g == 0 && i == 1 && !hostile.is_empty() {
                hostile[0].to_string()
            } else {
                format!("{}", 1_000_000 * (g + 1) + i)
            };
            let screen = if g == 0 { pick(i, format!("acct_{g}_{i}")) } else { format!("user_{g}_{i}") };
            let display = if g == 0 { pick(i + 1, format!("Account {i}")) } else { String::new() };
            // Network accounts are made in batches; others over years.
            let created = if g <= 1 {
                (START_DAY - 40 - (i % 3) as i64 * 7) * DAY
            } else {
                (START_DAY - 400 - rng.below(3000) as i64) * DAY
            };
            let p = ProfileRecord {
                screen_name: &screen,
                display_name: &display,
                created_ms: Some(created),
                language: "en",
                ..Default::default()
            };
            members.push(data.set_profile(&key, &p, true));
        }
        groups.push(members);
    }
    let lang = if hostile.is_empty() { "en".to_string() } else { hostile[1 % hostile.len()].to_string() };
    // Posts: office hours at UTC+3 for the networks, a dormant stretch on days 60-99 and a
    // burst on days 120-126 for the main network; bystanders post at any time.
    for (g, members) in groups.iter().enumerate() {
        for (i, &a) in members.iter().enumerate() {
            let n = if g == 3 { 2 } else { 3 };
            for _ in 0..n {
                let mut day = rng.below(180) as i64;
                if g == 0 && (60..100).contains(&day) {
                    day += 60;
                }
                if g == 0 && rng.below(4) == 0 {
                    day = 120 + rng.below(7) as i64;
                }
                let weekday = (START_DAY + day + 3).rem_euclid(7);
                if g <= 1 && weekday >= 5 {
                    day += 7 - weekday;
                }
                let hour = if g <= 1 { 6 + rng.below(9) as i64 } else { rng.below(24) as i64 };
                let time_ms = (START_DAY + day) * DAY + hour * HOUR + rng.below(HOUR as u64) as i64;
                let kind = if i % 10 == 0 { PostKind::Original } else { PostKind::Retweet };
                let r = PostRecord {
                    id: next_post,
                    time_ms,
                    kind,
                    lang: if g == 0 && i % 5 == 0 { &lang } else { "en" },
                    text: "synthetic post",
                    ..Default::default()
                };
                next_post += 1;
                data.push_post(a, &r);
            }
        }
    }

    let n = data.accounts.len();
    // Fused edges: inside communities of 500 in the main network, plus a few across; a
    // clique-ish second network and set-aside crowd.
    let mut fused: Vec<(u32, u32, f64)> = Vec::new();
    for (g, members) in groups.iter().enumerate().take(3) {
        let m = members.len();
        for i in 0..m {
            let community = i / 500;
            let lo = community * 500;
            let hi = (lo + 500).min(m);
            for _ in 0..degree {
                let j = if rng.below(50) == 0 || g > 0 {
                    rng.below(m as u64) as usize
                } else {
                    // Biased to the community's first accounts: hubs that are tied to one another.
                    lo + (rng.unit().powi(2) * (hi - lo) as f64) as usize
                };
                if i != j {
                    let (a, b) = (members[i].min(members[j]), members[i].max(members[j]));
                    fused.push((a, b, 0.5 + 4.5 * rng.unit()));
                }
            }
        }
    }
    fused.sort_by_key(|x| (x.0, x.1));
    fused.dedup_by(|x, y| (x.0, x.1) == (y.0, y.1));

    let mut network_of = vec![None; n];
    let mut dismissed_of = vec![None; n];
    let mut group_of = vec![None; n];
    for (g, members) in groups.iter().enumerate().take(3) {
        for &a in members {
            group_of[a as usize] = Some(g as u32);
            match g {
                0 | 1 => network_of[a as usize] = Some(g as u32),
                _ => dismissed_of[a as usize] = Some(0),
            }
        }
    }
    let mut role = vec![None; n];
    let mut coordination_score = vec![0.0; n];
    let mut account_signals = vec![0u32; n];
    for (g, members) in groups.iter().enumerate().take(3) {
        for (i, &a) in members.iter().enumerate() {
            if g <= 1 {
                role[a as usize] = Some(if i % 10 == 0 { Role::Core } else { Role::Amplifier });
            }
            coordination_score[a as usize] = 0.3 + 0.7 * rng.unit();
            account_signals[a as usize] = (rng.next() & 0x3ff) as u32 | 1;
        }
    }
    let traction =
        crate::characterise::traction::traction(&data, &crate::model::PostIndex::new(&data.posts), &group_of, 3);
    let mut first_post = vec![i64::MAX; n];
    for (i, &a) in data.posts.account.iter().enumerate() {
        first_post[a as usize] = first_post[a as usize].min(data.posts.time_ms[i]);
    }
    let opts = ScreenOptions::default();
    let mut nets = Vec::new();
    for (g, members) in groups.iter().enumerate().take(3) {
        let mut members = members.clone();
        members.sort_unstable();
        let times: Vec<i64> = (0..data.posts.len())
            .filter(|&i| group_of[data.posts.account[i] as usize] == Some(g as u32))
            .map(|i| data.posts.time_ms[i])
            .collect();
        let timeline = crate::characterise::timeline::timeline(&times, &Default::default());
        let evidence = crate::characterise::screen::evidence(&data, &members, &first_post, &opts);
        let tr = traction[g].clone();
        let screening = if g == 2 {
            Screening {
                verdict: crate::characterise::screen::ScreenVerdict::Authentic,
                indicators: Vec::new(),
                authenticity: vec![
                    "no creation wave (0% of accounts created on wave days)".into(),
                    "established accounts: median age 1500 days at first post".into(),
                    hostile.first().map_or("outside audience: 40 outside engagers".into(), |h| h.to_string()),
                ],
            }
        } else {
            crate::characterise::screen::screen(&evidence, &tr, &opts)
        };
        let mut languages = BTreeMap::new();
        for i in 0..data.posts.len() {
            if group_of[data.posts.account[i] as usize] == Some(g as u32) {
                *languages.entry(data.strings.get(data.posts.lang[i]).to_string()).or_insert(0u64) += 1;
            }
        }
        let mut signals = BTreeMap::new();
        for (k, s) in SIGNALS.iter().enumerate().take(6) {
            signals.insert(s.name.to_string(), (members.len() as u64 * (6 - k as u64)) / 2);
        }
        let narratives: Vec<Narrative> = if g == 2 {
            Vec::new()
        } else {
            (0..3)
                .map(|k| {
                    let daily: Vec<u64> =
                        timeline.daily.iter().enumerate().map(|(d, &c)| if d % 3 == k { c } else { 0 }).collect();
                    let word = |w: &str| {
                        if hostile.is_empty() {
                            w.to_string()
                        } else {
                            hostile[k % hostile.len()].to_string()
                        }
                    };
                    Narrative {
                        label: word(&format!("narrative {k}")),
                        terms: vec![word("sanctions"), "energy".into(), "香港".into()],
                        hashtags: vec![word("tag"), "stopwar".into()],
                        posts: daily.iter().sum(),
                        first: timeline.first_day.clone().unwrap_or_default(),
                        last: timeline.first_day.clone().unwrap_or_default(),
                        daily,
                        // A ramp row carries the (hostile) narrative label into a table.
                        ramps: vec![crate::characterise::timeline::Ramp {
                            onset: timeline.first_day.clone().unwrap_or_default(),
                            end: timeline.first_day.clone().unwrap_or_default(),
                            from_per_day: 1.0,
                            to_per_day: 3.0,
                        }],
                    }
                })
                .collect()
        };
        let core = members.iter().filter(|&&a| role[a as usize] == Some(Role::Core)).count();
        let fmt = |t: Option<i64>| t.map(crate::ingest::parse::format_time);
        nets.push(Network {
            id: if g == 2 { "D1".into() } else { format!("N{}", g + 1) },
            accounts: members.len(),
            core_accounts: if g == 2 { 0 } else { core },
            amplifier_accounts: if g == 2 { 0 } else { members.len() - core },
            attributed_accounts: 0,
            operation: if g == 2 { String::new() } else { "O1".into() },
            posts: times.len() as u64,
            first_post: fmt(times.iter().copied().min()),
            last_post: fmt(times.iter().copied().max()),
            confidence: 0.8,
            signals,
            languages,
            evidence,
            traction: tr,
            breakout: None,
            screening,
            timeline: if g == 2 { crate::characterise::timeline::timeline(&[], &Default::default()) } else { timeline },
            narratives,
            links: if g == 0 {
                vec![crate::characterise::link::Link {
                    operation: hostile.first().map_or("prc_2020".to_string(), |h| h.to_string()),
                    score: 0.91,
                    linked: true,
                    evidence: vec![crate::characterise::link::LinkEvidence {
                        fingerprint: "hashtags".into(),
                        similarity: 0.8,
                        detail: hostile.get(1).map_or("#stopwar, #tag".to_string(), |h| h.to_string()),
                    }],
                }]
            } else {
                Vec::new()
            },
            members,
        });
    }
    let dismissed = vec![nets.pop().expect("three groups")];
    // The two networks are cells of one operation, tied by (hostile) evidence.
    let mut op_members: Vec<u32> = nets.iter().flat_map(|n| n.members.iter().copied()).collect();
    op_members.sort_unstable();
    let operation = crate::characterise::Operation {
        id: "O1".into(),
        networks: nets.iter().map(|n| n.id.clone()).collect(),
        accounts: op_members.len(),
        core_accounts: nets.iter().map(|n| n.core_accounts).sum(),
        amplifier_accounts: nets.iter().map(|n| n.amplifier_accounts).sum(),
        attributed_accounts: 0,
        posts: nets.iter().map(|n| n.posts).sum(),
        first_post: nets.iter().filter_map(|n| n.first_post.clone()).min(),
        last_post: nets.iter().filter_map(|n| n.last_post.clone()).max(),
        confidence: 0.8,
        ties: vec![crate::characterise::operations::Tie {
            networks: ["N1".into(), "N2".into()],
            score: 0.93,
            evidence: vec![crate::characterise::link::LinkEvidence {
                fingerprint: "hashtags".into(),
                similarity: 0.7,
                detail: hostile.get(2).map_or("#tag".to_string(), |h| h.to_string()),
            }],
        }],
        links: nets[0].links.clone(),
        traction: nets[0].traction.clone(),
        breakout: None,
        timeline: nets[0].timeline.clone(),
        narratives: nets[0].narratives.clone(),
        members: op_members,
    };
    let mut operation_of = vec![None; data.accounts.len()];
    for &m in &operation.members {
        operation_of[m as usize] = Some(0);
    }
    let det = Detection {
        signals: SIGNALS.to_vec(),
        edges: SIGNALS.iter().map(|_| Edges::default()).collect(),
        fused,
        network_of,
        networks: nets,
        dismissed_of,
        dismissed,
        account_signals,
        coordination_score,
        role,
        indicators: crate::characterise::indicators::indicators(&data),
        attributions: Vec::new(),
        operations: vec![operation],
        operation_of,
        timings: Vec::new(),
    };
    (data, det)
}
