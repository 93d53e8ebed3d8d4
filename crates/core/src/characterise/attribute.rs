//! Attribution of low-activity accounts to a network, on account-level evidence.
//!
//! An operation has a long tail of accounts that act a handful of times or never (they are
//! only in the users file): too little for any co-action signal, yet platforms remove them
//! on account-level evidence. After the networks are found, every account outside them with
//! at most `max_posts` posts is a candidate, and each network's *templates* are measured:
//!
//! | kind | the candidate … | network template |
//! |---|---|---|
//! | `creation_wave` | was created on one of the network's creation-wave days | the network's waves (screen evidence) |
//! | `handle_template` | has a handle of a shape the network uses | shapes held by ≥ 10% of members, ≥ `min_lift`× the others' share |
//! | `profile_template` | has a profile of a kind the network uses (description, location, link present or not; followers by order of magnitude) | as above, ≥ 25% of members |
//! | `client` | posted from a client app the network favours | clients used by ≥ 10% of members, ≥ `min_lift`× the others' share |
//! | `boosted_network` | retweeted, quoted or replied to a member | — |
//! | `shared_items` | used a URL, domain or hashtag distinctive of the network | items used by ≥ 3 and ≥ 5% of members, ≥ `min_lift`× the others' share |
//! | `shared_text` | wrote a near-duplicate (MinHash) of a member's text | the members' texts |
//!
//! The kinds fall into four independent **families**: how the account was made
//! (`creation_wave`), how it looks (`handle_template`, `profile_template`), how it is run
//! (`client`) and what it did (`boosted_network`, `shared_items`, `shared_text`). An account
//! is attributed only with evidence from **at least two families**, and only when that is
//! unlikely by chance: a family's background rate `r` is the share of candidates that match
//! the network on (at least) the same kinds of that family *and on no other family* (the
//! accounts matching several families are the ones under test, so they are kept out of the
//! background; within a family the rate is measured jointly, not multiplied, since a
//! family's kinds go together); and the expected number of candidates matching the same
//! families by chance, `candidates × Π r_family`, must be at most `max_expected_false` (default
//! 0.05) for the account, and, summed over all the accounts attributed (most specific
//! first), at most `max_false_share` (1%) of their number: a false discovery rate. An ordinary account created on a busy creation day matches one family; even with
//! a second weak coincidence (a common profile), the product stays far above the bound.
//! A candidate that qualifies for several networks goes to the one with the fewest
//! expected chance matches. An attributed account is counted with the amplifiers: it is too
//! quiet to be a source of the network's content (and one with no posts is the operation's
//! reserve).

use crate::characterise::indicators::handle_pattern;
use crate::characterise::link::NearIndex;
use crate::characterise::screen::CreationWave;
use crate::model::{
    account_flags, Dataset, PostIndex, PostKind, NO_ACCOUNT, NO_POST, NO_STR, UNKNOWN_COUNT, UNKNOWN_TIME,
};
use crate::signals::neardup::{signature, NearDupOptions};
use crate::signals::traces::{normalise_text, normalise_url};
use crate::units::MS_PER_DAY;
use hashbrown::{HashMap, HashSet};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Options of attribution (`[attribution]` in the run configuration).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AttributionOptions {
    pub enabled: bool,
    /// Accounts with more posts are left to the co-action signals.
    pub max_posts: u64,
    /// Most expected chance matches for one attribution (`candidates × Π r`).
    pub max_expected_false: f64,
    /// Most expected chance matches, as a share of the accounts attributed (the false
    /// discovery rate the attributions are held to).
    pub max_false_share: f64,
    /// Fewest evidence families (made, looks, run, did).
    pub min_families: usize,
    /// How much more common among members than among the others a template must be.
    pub min_lift: f64,
}

impl Default for AttributionOptions {
    fn default() -> Self {
        AttributionOptions {
            enabled: true,
            max_posts: 20,
            max_expected_false: 0.05,
            max_false_share: 0.01,
            min_families: 2,
            min_lift: 5.0,
        }
    }
}

/// The kinds of evidence, in bit order.
pub const KINDS: [&str; 7] = [
    "creation_wave",
    "handle_template",
    "profile_template",
    "client",
    "boosted_network",
    "shared_items",
    "shared_text",
];

/// Family of each kind: 0 made, 1 looks, 2 run, 3 did.
const FAMILY: [usize; KINDS.len()] = [0, 1, 1, 2, 3, 3, 3];
const FAMILIES: usize = 4;

/// One piece of evidence for an attribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributionEvidence {
    pub kind: String,
    /// Share of the candidates that match the network on this kind alone.
    pub background_rate: f64,
    pub detail: String,
}

/// Why an account was attributed to a network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    /// Account index in the dataset (not serialised: files carry the account id).
    #[serde(skip)]
    pub account: u32,
    /// Network index.
    #[serde(skip)]
    pub network: u32,
    /// Expected number of candidates matching the same evidence families by chance.
    pub expected_false: f64,
    pub evidence: Vec<AttributionEvidence>,
}

impl Attribution {
    /// The evidence kinds, `;`-separated (the `signals` cell of `accounts.csv`).
    pub fn kinds(&self) -> String {
        self.evidence.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>().join(";")
    }
}

/// A handle's shape: `random` (letters and digits interleaved), else the case of its first
/// letter, an underscore or not, and the number of trailing digits (`Name_d4`).
pub fn handle_template(handle: &str) -> Option<String> {
    let h = handle.trim();
    if h.is_empty() || !h.is_ascii() {
        return None;
    }
    // Generated handles scatter capitals where names never do: a capital followed by a
    // capital or a digit, twice or more, past a leading acronym (`IMM_org`) — a name has
    // at most one (`theMohammedA797`).
    let b = h.as_bytes();
    let lead = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    let scattered = b
        .windows(2)
        .skip(lead)
        .filter(|w| w[0].is_ascii_uppercase() && (w[1].is_ascii_uppercase() || w[1].is_ascii_digit()))
        .count();
    if scattered >= 2 || handle_pattern(h) >= 1.0 {
        return Some("random letters and digits".into());
    }
    let digits = h.bytes().rev().take_while(u8::is_ascii_digit).count();
    let first = h.bytes().find(u8::is_ascii_alphabetic);
    let case = match first {
        Some(c) if c.is_ascii_uppercase() => "Name",
        Some(_) => "name",
        None => "digits",
    };
    let sep = if h.contains('_') { "_" } else { "" };
    Some(format!("{case}{sep}+{digits} digits"))
}

fn profile_template(data: &Dataset, a: usize) -> Option<String> {
    let acc = &data.accounts;
    if acc.flags[a] & account_flags::PROFILED == 0 || acc.flags[a] & account_flags::HASHED != 0 {
        return None;
    }
    let has = |id: u32| id != NO_STR && !data.strings.get(id).trim().is_empty();
    let mut parts = Vec::new();
    for (field, id) in
        [("description", acc.description[a]), ("location", acc.location[a]), ("link", acc.profile_url[a])]
    {
        parts.push(format!("{} {field}", if has(id) { "with" } else { "no" }));
    }
    let f = acc.followers[a];
    parts.push(match f {
        UNKNOWN_COUNT => "followers unknown".into(),
        0..=9 => "under 10 followers".into(),
        10..=99 => "10-99 followers".into(),
        100..=999 => "100-999 followers".into(),
        _ => "1,000+ followers".into(),
    });
    Some(parts.join(", "))
}

/// What each candidate looks like and did.
#[derive(Default)]
struct Candidate {
    day: Option<i64>,
    handle: Option<String>,
    profile: Option<String>,
    clients: Vec<u32>,
    /// (network, post id of the member's post it boosted).
    boosted: Vec<(u32, u64)>,
    items: Vec<String>,
    texts: Vec<(Vec<u8>, String)>,
}

/// A network's templates, with the members' and the others' shares for the evidence text.
#[derive(Default)]
struct Templates {
    waves: HashMap<i64, u64>,
    handles: HashMap<String, (f64, f64)>,
    profiles: HashMap<String, (f64, f64)>,
    clients: HashMap<u32, (f64, f64)>,
    items: HashMap<String, (u64, f64)>,
}

fn share_templates<K: std::hash::Hash + Eq + Clone>(
    members: &HashMap<K, u64>,
    all: &HashMap<K, u64>,
    size: f64,
    others: f64,
    min_share: f64,
    min_lift: f64,
) -> HashMap<K, (f64, f64)> {
    members
        .iter()
        .filter_map(|(k, &c)| {
            let share = c as f64 / size;
            let other = all.get(k).copied().unwrap_or(0).saturating_sub(c) as f64 / others.max(1.0);
            (c >= 3 && share >= min_share && share >= min_lift * other).then(|| (k.clone(), (share, other)))
        })
        .collect()
}

/// The items of posts (hashtags, URLs and their domains), each interned string normalised
/// once: URL parsing is the cost of this stage.
#[derive(Default)]
struct Items {
    memo: hashbrown::HashMap<u32, Vec<String>>,
}

impl Items {
    fn of_post(&mut self, data: &Dataset, i: usize, out: &mut Vec<String>) {
        let p = &data.posts;
        for &h in p.hashtags.row(i) {
            if h != NO_STR {
                let v = self.memo.entry(h).or_insert_with(|| {
                    vec![format!("#{}", data.strings.get(h).trim_start_matches('#').to_lowercase())]
                });
                out.extend(v.iter().cloned());
            }
        }
        for &u in p.urls.row(i) {
            if u == NO_STR {
                continue;
            }
            let v = self.memo.entry(u).or_insert_with(|| match normalise_url(data.strings.get(u)) {
                Some((url, domain)) if !crate::units::PLATFORM_DOMAINS.contains(&domain.as_str()) => vec![domain, url],
                _ => Vec::new(),
            });
            out.extend(v.iter().cloned());
        }
    }
}

fn day_of(data: &Dataset, a: usize) -> Option<i64> {
    let t = data.accounts.created_ms[a];
    (t != UNKNOWN_TIME).then(|| t.div_euclid(MS_PER_DAY))
}

/// Attributes candidates to the groups `members` (account indices, per group: a network, or
/// all the networks of an operation) whose creation waves are `waves` and whose names (for
/// the evidence text) are `names`; `excluded` accounts (already in a network or a set-aside
/// crowd) are never candidates. Returns the attributions, by account, each with the index
/// of its group.
pub fn attribute(
    data: &Dataset,
    index: &PostIndex,
    members: &[Vec<u32>],
    waves: &[Vec<CreationWave>],
    names: &[String],
    excluded: &[bool],
    opts: &AttributionOptions,
) -> Vec<Attribution> {
    if !opts.enabled || members.is_empty() {
        return Vec::new();
    }
    let n = data.accounts.len();
    let p = &data.posts;
    let mut network_of = vec![u32::MAX; n];
    for (ni, m) in members.iter().enumerate() {
        for &a in m {
            network_of[a as usize] = ni as u32;
        }
    }
    let mut posts = vec![0u64; n];
    for &a in &p.account {
        posts[a as usize] += 1;
    }
    let is_candidate: Vec<bool> = (0..n)
        .map(|a| {
            !excluded[a]
                && network_of[a] == u32::MAX
                && posts[a] <= opts.max_posts
                && (posts[a] > 0 || data.accounts.flags[a] & account_flags::PROFILED != 0)
        })
        .collect();
    let n_candidates = is_candidate.iter().filter(|&&c| c).count();
    if n_candidates == 0 {
        return Vec::new();
    }

    // Dataset-wide counts of handle shapes, profiles, clients (accounts using them).
    let handle: Vec<Option<String>> = (0..n)
        .map(|a| {
            if data.accounts.flags[a] & account_flags::HASHED != 0 {
                return None;
            }
            data.strings.opt(data.accounts.screen_name[a]).and_then(handle_template)
        })
        .collect();
    let profile: Vec<Option<String>> = (0..n).map(|a| profile_template(data, a)).collect();
    let mut clients_of: Vec<Vec<u32>> = vec![Vec::new(); n];
    for i in 0..p.len() {
        let c = p.client[i];
        let v = &mut clients_of[p.account[i] as usize];
        if c != NO_STR && !v.contains(&c) {
            v.push(c);
        }
    }
    let count_all = |f: &dyn Fn(usize) -> Vec<String>| {
        let mut m: HashMap<String, u64> = HashMap::new();
        for a in 0..n {
            for k in f(a) {
                *m.entry(k).or_default() += 1;
            }
        }
        m
    };
    let handles_all = count_all(&|a| handle[a].clone().into_iter().collect());
    let profiles_all = count_all(&|a| profile[a].clone().into_iter().collect());
    let mut clients_all: HashMap<u32, u64> = HashMap::new();
    for v in &clients_of {
        for &c in v {
            *clients_all.entry(c).or_default() += 1;
        }
    }
    let with_handle = handle.iter().filter(|h| h.is_some()).count() as f64;
    let with_profile = profile.iter().filter(|h| h.is_some()).count() as f64;
    let with_client = clients_of.iter().filter(|v| !v.is_empty()).count() as f64;

    // Items used by members, and by how many accounts of the whole data.
    let mut items = Items::default();
    let mut member_items: Vec<HashMap<String, u64>> = vec![HashMap::new(); members.len()];
    let mut seen: HashSet<(u32, String)> = HashSet::new();
    let mut buf = Vec::new();
    for i in 0..p.len() {
        let a = p.account[i];
        let ni = network_of[a as usize];
        if ni == u32::MAX {
            continue;
        }
        buf.clear();
        items.of_post(data, i, &mut buf);
        for it in buf.drain(..) {
            if seen.insert((a, it.clone())) {
                *member_items[ni as usize].entry(it).or_default() += 1;
            }
        }
    }
    let wanted: HashSet<&String> = member_items.iter().flat_map(|m| m.keys()).collect();
    let mut items_all: HashMap<String, u64> = HashMap::new();
    let mut seen_all: HashSet<(u32, u64)> = HashSet::new();
    for i in 0..p.len() {
        buf.clear();
        items.of_post(data, i, &mut buf);
        for it in buf.drain(..) {
            if wanted.contains(&it) && seen_all.insert((p.account[i], xxhash_rust::xxh3::xxh3_64(it.as_bytes()))) {
                *items_all.entry(it).or_default() += 1;
            }
        }
    }
    drop(seen);
    drop(seen_all);

    let templates: Vec<Templates> = members
        .iter()
        .enumerate()
        .map(|(ni, m)| {
            let size = m.len() as f64;
            let mut t = Templates::default();
            for w in &waves[ni] {
                if let Ok(t0) = crate::ingest::parse::parse_time(&w.date) {
                    t.waves.insert(t0.div_euclid(MS_PER_DAY), w.accounts);
                }
            }
            let mut h: HashMap<String, u64> = HashMap::new();
            let mut pr: HashMap<String, u64> = HashMap::new();
            let mut cl: HashMap<u32, u64> = HashMap::new();
            for &a in m {
                if let Some(k) = &handle[a as usize] {
                    *h.entry(k.clone()).or_default() += 1;
                }
                if let Some(k) = &profile[a as usize] {
                    *pr.entry(k.clone()).or_default() += 1;
                }
                for &c in &clients_of[a as usize] {
                    *cl.entry(c).or_default() += 1;
                }
            }
            t.handles = share_templates(&h, &handles_all, size, with_handle - size, 0.10, opts.min_lift);
            t.profiles = share_templates(&pr, &profiles_all, size, with_profile - size, 0.25, opts.min_lift);
            t.clients = share_templates(&cl, &clients_all, size, with_client - size, 0.10, opts.min_lift);
            let others = (n as f64 - size).max(1.0);
            t.items = member_items[ni]
                .iter()
                .filter_map(|(k, &c)| {
                    let other = items_all.get(k).copied().unwrap_or(c).saturating_sub(c) as f64 / others;
                    (c >= 3 && c as f64 >= 0.05 * size && c as f64 / size >= opts.min_lift * other)
                        .then(|| (k.clone(), (c, other)))
                })
                .collect();
            t
        })
        .collect();

    // The members' texts, one near-duplicate index over all networks.
    let nd = NearDupOptions::default();
    let mut sigs: Vec<(Vec<u8>, u32, String)> = Vec::new();
    let mut text = String::new();
    let mut seen_text: HashSet<u64> = HashSet::new();
    for i in 0..p.len() {
        let ni = network_of[p.account[i] as usize];
        if ni == u32::MAX || p.kind[i] == PostKind::Retweet || !normalise_text(p.text.get(i), &mut text) {
            continue;
        }
        if seen_text.insert(xxhash_rust::xxh3::xxh3_64(text.as_bytes()) ^ ni as u64) {
            if let Some(s) = signature(&text, &nd) {
                sigs.push((s, ni, p.text.get(i).chars().take(80).collect()));
            }
        }
    }
    drop(seen_text);
    let near = NearIndex::new(sigs.iter().map(|(s, _, _)| s.as_slice()));

    // Each candidate: what it looks like and did.
    let mut cands: BTreeMap<u32, Candidate> = BTreeMap::new();
    for a in 0..n {
        if is_candidate[a] {
            cands.insert(
                a as u32,
                Candidate {
                    day: day_of(data, a),
                    handle: handle[a].clone(),
                    profile: profile[a].clone(),
                    clients: clients_of[a].clone(),
                    ..Default::default()
                },
            );
        }
    }
    for i in 0..p.len() {
        let a = p.account[i];
        let Some(c) = cands.get_mut(&a) else { continue };
        let resolve = |acc: u32, post: u64| if acc != NO_ACCOUNT { acc } else { index.author(p, post) };
        if matches!(p.kind[i], PostKind::Retweet | PostKind::Quote) && p.ref_post[i] != NO_POST {
            let b = resolve(p.ref_account[i], p.ref_post[i]);
            if b != NO_ACCOUNT && network_of[b as usize] != u32::MAX {
                c.boosted.push((network_of[b as usize], p.ref_post[i]));
            }
        }
        if p.reply_post[i] != NO_POST || p.reply_account[i] != NO_ACCOUNT {
            let b = resolve(p.reply_account[i], p.reply_post[i]);
            if b != NO_ACCOUNT && network_of[b as usize] != u32::MAX {
                c.boosted.push((network_of[b as usize], p.reply_post[i]));
            }
        }
        items.of_post(data, i, &mut c.items);
        if p.kind[i] != PostKind::Retweet && normalise_text(p.text.get(i), &mut text) {
            if let Some(s) = signature(&text, &nd) {
                c.texts.push((s, p.text.get(i).chars().take(80).collect()));
            }
        }
    }

    // Per candidate and network: which kinds match, with their evidence text.
    type Match = (u32, u32, u8, Vec<(usize, String)>);
    let mut matches: Vec<Match> = Vec::new();
    for (&a, c) in &cands {
        let mut per: BTreeMap<u32, (u8, Vec<(usize, String)>)> = BTreeMap::new();
        let mut add = |ni: u32, kind: usize, detail: String| {
            let e = per.entry(ni).or_default();
            if e.0 & (1 << kind) == 0 {
                e.0 |= 1 << kind;
                e.1.push((kind, detail));
            }
        };
        for (ni, t) in templates.iter().enumerate() {
            let ni = ni as u32;
            if let Some(d) = c.day {
                if let Some(&k) = t.waves.get(&d) {
                    add(
                        ni,
                        0,
                        format!(
                            "created {}, a creation wave of the {} ({k} of its accounts)",
                            fmt_day(d),
                            names[ni as usize]
                        ),
                    );
                }
            }
            if let Some((share, other)) = c.handle.as_ref().and_then(|h| t.handles.get(h)) {
                add(
                    ni,
                    1,
                    format!(
                        "handle {:?} has the shape \"{}\" of {} of the {}'s accounts ({} of other accounts)",
                        data.strings.opt(data.accounts.screen_name[a as usize]).unwrap_or(""),
                        c.handle.as_deref().unwrap_or(""),
                        pct(*share),
                        names[ni as usize],
                        pct(*other)
                    ),
                );
            }
            if let Some((share, other)) = c.profile.as_ref().and_then(|h| t.profiles.get(h)) {
                add(
                    ni,
                    2,
                    format!(
                        "profile \"{}\" like {} of the {}'s accounts ({} of other accounts)",
                        c.profile.as_deref().unwrap_or(""),
                        pct(*share),
                        names[ni as usize],
                        pct(*other)
                    ),
                );
            }
            if let Some((cl, (share, other))) = c.clients.iter().find_map(|cl| t.clients.get(cl).map(|x| (cl, x))) {
                add(
                    ni,
                    3,
                    format!(
                        "posts from {:?}, used by {} of the {}'s accounts ({} of other accounts)",
                        data.strings.get(*cl),
                        pct(*share),
                        names[ni as usize],
                        pct(*other)
                    ),
                );
            }
            let shared: Vec<&String> = {
                let mut v: Vec<&String> = c.items.iter().filter(|it| t.items.contains_key(*it)).collect();
                v.sort();
                v.dedup();
                v
            };
            if !shared.is_empty() {
                let (k, _) = t.items[shared[0]];
                let more = if shared.len() > 1 { format!(" and {} more", shared.len() - 1) } else { String::new() };
                add(ni, 5, format!("shared {}{more}, used by {k} of the {}'s accounts", shared[0], names[ni as usize]));
            }
        }
        for &(ni, post) in &c.boosted {
            add(ni, 4, format!("boosted post {post} of the {}", names[ni as usize]));
        }
        for (sig, t) in &c.texts {
            if let Some(j) = near.find(sig, |j| &sigs[j as usize].0) {
                let (_, ni, ref other) = sigs[j as usize];
                add(ni, 6, format!("wrote {t:?}, a near-duplicate of the {}'s {other:?}", names[ni as usize]));
            }
        }
        for (ni, (mask, ev)) in per {
            matches.push((a, ni, mask, ev));
        }
    }

    // Background rates, per network: among the candidates whose matches all lie in one
    // family (the ones not under test), how many match a given set of that family's kinds.
    // A family's rate is then measured jointly (a handle template and an empty profile
    // together are rarer than either, and as rare as the data says, not as independence
    // would say).
    let family_mask = |f: usize| -> u8 { (0..KINDS.len()).filter(|&k| FAMILY[k] == f).fold(0, |m, k| m | 1 << k) };
    let masks: [u8; FAMILIES] = std::array::from_fn(family_mask);
    let mut within: Vec<HashMap<u8, u64>> = vec![HashMap::new(); members.len()];
    for (_, ni, mask, _) in &matches {
        if masks.iter().any(|&f| mask & !f == 0) {
            *within[*ni as usize].entry(*mask).or_default() += 1;
        }
    }
    let c_total = n_candidates as f64;
    // Candidates (of the background) matching at least the kinds `sub` of one family.
    let rate = |ni: u32, sub: u8| {
        let hits: u64 = within[ni as usize].iter().filter(|(m, _)| *m & sub == sub).map(|(_, c)| c).sum();
        (hits as f64 + 1.0) / (c_total + 1.0)
    };

    let mut best: BTreeMap<u32, Attribution> = BTreeMap::new();
    for (a, ni, mask, ev) in matches {
        let family_rate: Vec<f64> = masks.iter().filter(|&&f| mask & f != 0).map(|&f| rate(ni, mask & f)).collect();
        let families = family_rate.len();
        if families < opts.min_families {
            continue;
        }
        let expected = c_total * family_rate.iter().product::<f64>();
        if expected > opts.max_expected_false {
            continue;
        }
        let mut evidence: Vec<AttributionEvidence> = ev
            .into_iter()
            .map(|(k, detail)| AttributionEvidence {
                kind: KINDS[k].to_string(),
                background_rate: round_sig(rate(ni, 1 << k)),
                detail,
            })
            .collect();
        evidence.sort_by_key(|e| KINDS.iter().position(|k| *k == e.kind));
        let cand = Attribution { account: a, network: ni, expected_false: round_sig(expected), evidence };
        match best.get(&a) {
            Some(b) if b.expected_false <= cand.expected_false => {}
            _ => {
                best.insert(a, cand);
            }
        }
    }
    // Control the false attributions among those made: the most specific first, as long
    // as the expected chance matches stay within `max_false_share` of the accounts taken
    // (Benjamini-Hochberg style, with expectations in place of p-values).
    let mut ranked: Vec<Attribution> = best.into_values().collect();
    ranked.sort_by(|a, b| a.expected_false.total_cmp(&b.expected_false).then(a.account.cmp(&b.account)));
    let mut sum = 0.0;
    let mut keep = 0;
    for (k, at) in ranked.iter().enumerate() {
        sum += at.expected_false;
        if sum <= opts.max_false_share * (k + 1) as f64 {
            keep = k + 1;
        }
    }
    ranked.truncate(keep);
    ranked.sort_by_key(|a| a.account);
    ranked
}

/// Places each attribution (whose `network` is, on entry, an index into `groups`: the
/// networks of each operation) in the network of its operation it is closest to: the one it
/// boosted most, else the one with most accounts created on its creation day, else the
/// largest; ties to the first. One pass over the posts and one over the members.
pub fn place_in_cells(
    data: &Dataset,
    index: &PostIndex,
    attributions: &mut [Attribution],
    groups: &[Vec<usize>],
    network_of: &[Option<u32>],
) {
    // (boosts, same creation day, size) per attribution and cell of its group.
    let mut score: Vec<Vec<(u64, u64, u64)>> =
        attributions.iter().map(|at| vec![(0, 0, 0); groups[at.network as usize].len()]).collect();
    let slot: HashMap<u32, usize> = attributions.iter().enumerate().map(|(k, at)| (at.account, k)).collect();
    let cell_in = |k: usize, b: u32| -> Option<usize> {
        let n = network_of.get(b as usize).copied().flatten()?;
        groups[attributions[k].network as usize].iter().position(|&c| c as u32 == n)
    };
    let p = &data.posts;
    let mut boosts: Vec<(usize, usize)> = Vec::new();
    for i in 0..p.len() {
        let Some(&k) = slot.get(&p.account[i]) else { continue };
        let resolve = |acc: u32, post: u64| if acc != NO_ACCOUNT { acc } else { index.author(p, post) };
        for b in [resolve(p.ref_account[i], p.ref_post[i]), resolve(p.reply_account[i], p.reply_post[i])] {
            if let Some(c) = (b != NO_ACCOUNT).then(|| cell_in(k, b)).flatten() {
                boosts.push((k, c));
            }
        }
    }
    for (k, c) in boosts {
        score[k][c].0 += 1;
    }
    // Members per (network, creation day), and network sizes.
    let mut per_day: HashMap<(u32, i64), u64> = HashMap::new();
    let mut size: HashMap<u32, u64> = HashMap::new();
    for (b, n) in network_of.iter().enumerate() {
        if let Some(n) = *n {
            *size.entry(n).or_default() += 1;
            if let Some(d) = day_of(data, b) {
                *per_day.entry((n, d)).or_default() += 1;
            }
        }
    }
    for (k, at) in attributions.iter_mut().enumerate() {
        let cells = &groups[at.network as usize];
        let day = day_of(data, at.account as usize);
        for (c, &net) in cells.iter().enumerate() {
            let net = net as u32;
            score[k][c].1 = day.and_then(|d| per_day.get(&(net, d)).copied()).unwrap_or(0);
            score[k][c].2 = size.get(&net).copied().unwrap_or(0);
        }
        let best = (0..cells.len()).max_by_key(|&c| (score[k][c], std::cmp::Reverse(c))).unwrap_or(0);
        at.network = cells[best] as u32;
    }
}

fn fmt_day(d: i64) -> String {
    crate::ingest::parse::format_day(d.saturating_mul(MS_PER_DAY))
}

fn pct(x: f64) -> String {
    if x > 0.0 && x < 0.001 {
        "<0.1%".into()
    } else {
        format!("{:.1}%", 100.0 * x)
    }
}

/// Rounds to three significant digits (rates and expectations span many magnitudes).
fn round_sig(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let m = 10f64.powi(2 - x.abs().log10().floor() as i32);
    (x * m).round() / m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ProfileRecord;

    fn account(d: &mut Dataset, key: &str, handle: &str, day: i64, description: &str) -> u32 {
        let p = ProfileRecord {
            screen_name: handle,
            description,
            created_ms: Some(day * MS_PER_DAY + 3_600_000),
            followers: Some(if description.is_empty() { 2 } else { 300 }),
            ..Default::default()
        };
        d.set_profile(key, &p, true)
    }

    /// A generated-looking handle: capitals, digits and lower case interleaved.
    fn random_handle(k: usize) -> String {
        format!("x{}Q{}z{}W", k % 7, (k * 7919) % 1000, k)
    }

    #[test]
    fn quiet_accounts_with_two_kinds_of_evidence_join_and_a_busy_creation_day_alone_does_not() {
        let mut d = Dataset::default();
        let wave = 18_000; // 2019-04-14
        let members: Vec<u32> =
            (0..40).map(|k| account(&mut d, &format!("m{k}"), &random_handle(k), wave, "")).collect();
        // Ordinary accounts: spread over years (under one a day), with names; 8 of them made
        // on the wave day, a busy day.
        let ordinary: Vec<u32> = (0..3000)
            .map(|k| {
                let day = if k < 8 { wave } else { 14_000 + (k as i64 * 37) % 4000 };
                account(&mut d, &format!("o{k}"), &format!("john_smith{k}"), day, "runner, dad")
            })
            .collect();
        // Quiet operation accounts: made in the wave, the template handle, never posted.
        let quiet: Vec<u32> =
            (100..103).map(|k| account(&mut d, &format!("q{k}"), &random_handle(k), wave, "")).collect();
        // A lookalike handle made on another day: one family of evidence only.
        let lookalike = account(&mut d, "lookalike", &random_handle(200), 16_000, "");
        let index = PostIndex::new(&d.posts);
        let waves = vec![vec![CreationWave { date: fmt_day(wave), accounts: 40 }]];
        let excluded = vec![false; d.accounts.len()];
        let names = vec!["network N1".to_string()];
        let got = attribute(&d, &index, &[members], &waves, &names, &excluded, &AttributionOptions::default());
        let attributed: Vec<u32> = got.iter().map(|a| a.account).collect();
        assert_eq!(attributed, quiet, "{got:#?}");
        for a in &got {
            let kinds = a.kinds();
            assert!(kinds.contains("creation_wave") && kinds.contains("handle_template"), "{kinds}");
            assert!(a.expected_false <= 0.05);
        }
        assert!(!attributed.contains(&lookalike));
        assert!(ordinary.iter().all(|o| !attributed.contains(o)));
        // Disabled: nothing.
        let off = AttributionOptions { enabled: false, ..Default::default() };
        assert!(attribute(&d, &index, &[vec![0]], &waves, &names, &excluded, &off).is_empty());
    }

    #[test]
    fn handle_templates() {
        assert_eq!(handle_template("bIOWJyLnk6wM").as_deref(), Some("random letters and digits"));
        assert_eq!(handle_template("x4Kq92mz").as_deref(), Some("random letters and digits"));
        assert_eq!(handle_template("APNTsmZE1").as_deref(), Some("random letters and digits"));
        // Names and acronyms are not random.
        assert_eq!(handle_template("theMohammedA797").as_deref(), Some("name+3 digits"));
        assert_eq!(handle_template("IMM_org").as_deref(), Some("Name_+0 digits"));
        assert_eq!(handle_template("Linda48213598").as_deref(), Some("Name+8 digits"));
        assert_eq!(handle_template("john_smith12").as_deref(), Some("name_+2 digits"));
        assert_eq!(handle_template("JohnSmith").as_deref(), Some("Name+0 digits"));
        assert_eq!(handle_template(""), None);
        assert_eq!(handle_template("李明"), None);
    }
}
