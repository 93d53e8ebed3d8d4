//! Linking a network to earlier takedowns: is this the same actor again?
//!
//! Each network and each prior takedown archive gets a **fingerprint** from independent
//! traces: the accounts themselves (ids, handles), what they post (identical normalised
//! and near-duplicate texts (MinHash), distinctive terms), what they push (URLs, domains,
//! hashtags), how the accounts were
//! made (handle patterns, batch creation) and how they are run (client apps, languages,
//! hour-of-week signature). For each fingerprint a similarity in [0, 1]:
//!
//! - **sets** (accounts, handles, texts, URLs, domains, hashtags): only *distinctive* items
//!   count — used by more of the network's accounts than of the other accounts in the data
//!   (everyone's `#covid19` or `youtube.com` proves nothing); similarity is the overlap
//!   coefficient `|N ∩ P| / min(|N|, |P|)` of the network's distinctive items and the prior's
//!   items;
//! - **distributions** (terms, client apps, languages, handle patterns, hour of week):
//!   histogram intersection, *lifted* over what the rest of the data shares with the prior:
//!   `max(0, (I(N,P) − I(B,P)) / (1 − I(B,P)))`, so two operations that both post in
//!   English from the web app are not linked by that;
//! - **batch creation**: both were made in creation waves (weak: most operations are).
//!
//! The score is a weighted noisy-OR, `1 − Π (1 − wᵢ·sᵢ)`, weights favouring the specific
//! fingerprints (shared accounts 1.0 … languages 0.2). A link is `linked` when the score is
//! at least 0.6 and at least two content fingerprints (accounts, handles, texts, near-duplicate
//! texts (share of texts with a MinHash near-duplicate on the other side), URLs,
//! domains, hashtags, terms) reach 0.3: one coincidence never links two operations. Every
//! link lists its evidence with examples.

use crate::characterise::narratives::terms;
use crate::model::{account_flags, Dataset, PostKind, NO_STR, UNKNOWN_TIME};
use crate::signals::neardup::{estimated_jaccard, signature, NearDupOptions};
use crate::signals::traces::normalise_text;
use crate::signals::traces::normalise_url;
use crate::units::{MS_PER_DAY, MS_PER_HOUR};
use serde::{Deserialize, Serialize};
// foldhash (hashbrown's default): these maps hold every text, term and link of a run.
use hashbrown::{HashMap, HashSet};
use xxhash_rust::xxh3::xxh3_64;

/// Most distinct texts of a fingerprint compared as near-duplicates.
pub const MAX_SIGNATURES: usize = 20_000;

/// Items with the number of accounts that used them.
type Counted = HashMap<String, u32>;

/// What identifies an operation, from a set of accounts.
#[derive(Debug, Clone, Default)]
pub struct Fingerprint {
    pub accounts: usize,
    ids: Counted,
    handles: Counted,
    texts: HashMap<u64, (u32, String)>,
    /// The distinct texts with their accounts, as a set fingerprint (built once: a run's
    /// networks are compared pairwise).
    text_set: Counted,
    /// MinHash signatures of the most repeated distinct texts (at most [`MAX_SIGNATURES`]).
    signatures: Vec<(Vec<u8>, String)>,
    /// The LSH index of `signatures` (built once: a fingerprint is compared with many).
    near: Option<NearIndex>,
    urls: Counted,
    domains: Counted,
    hashtags: Counted,
    terms: HashMap<String, f64>,
    clients: HashMap<String, f64>,
    languages: HashMap<String, f64>,
    handle_patterns: HashMap<String, f64>,
    hours: HashMap<String, f64>,
    wave_share: Option<f64>,
}

fn normalise(m: &mut HashMap<String, f64>) {
    let total: f64 = m.values().sum();
    if total > 0.0 {
        m.values_mut().for_each(|v| *v /= total);
    }
}

fn handle_class(h: &str) -> &'static str {
    match crate::characterise::indicators::handle_pattern(h) {
        x if x >= 1.0 => "random",
        x if x >= 0.7 => "name_digits",
        x if x >= 0.5 => "name_year",
        _ => "plain",
    }
}

/// The fingerprint of `members` (account indices of `data`), or of every account with
/// `None`.
pub fn fingerprint(data: &Dataset, members: Option<&[u32]>) -> Fingerprint {
    fingerprint_with(data, members, true)
}

/// The fingerprint of the accounts outside the networks, to tell what everyone shares: its
/// near-duplicate signatures are never compared, so they are not computed.
pub fn background_fingerprint(data: &Dataset, rest: &[u32]) -> Fingerprint {
    fingerprint_with(data, Some(rest), false)
}

fn fingerprint_with(data: &Dataset, members: Option<&[u32]>, with_signatures: bool) -> Fingerprint {
    let acc = &data.accounts;
    let p = &data.posts;
    let n = acc.len();
    let mut member = vec![members.is_none(); n];
    if let Some(m) = members {
        for &a in m {
            member[a as usize] = true;
        }
    }
    let mut f = Fingerprint::default();
    let mut seen: HashSet<(u8, u64, u32)> = HashSet::new();
    let count = |map: &mut Counted, kind: u8, item: String, a: u32, seen: &mut HashSet<(u8, u64, u32)>| {
        if seen.insert((kind, xxh3_64(item.as_bytes()), a)) {
            *map.entry(item).or_default() += 1;
        }
    };
    let mut days: Vec<i64> = Vec::new();
    for (a, &is_member) in member.iter().enumerate() {
        if !is_member || acc.flags[a] & account_flags::PROFILED == 0 {
            continue;
        }
        f.accounts += 1;
        count(&mut f.ids, 0, acc.key.get(a as u32).to_string(), a as u32, &mut seen);
        if acc.flags[a] & account_flags::HASHED == 0 {
            if let Some(h) = data.strings.opt(acc.screen_name[a]).filter(|h| !h.is_empty()) {
                count(&mut f.handles, 1, h.to_lowercase(), a as u32, &mut seen);
                *f.handle_patterns.entry(handle_class(h).to_string()).or_default() += 1.0;
            }
        }
        if acc.created_ms[a] != UNKNOWN_TIME {
            days.push(acc.created_ms[a].div_euclid(MS_PER_DAY));
        }
    }
    let mut text = String::new();
    let mut buf = Vec::new();
    for i in 0..p.len() {
        let a = p.account[i];
        if !member[a as usize] {
            continue;
        }
        let t = p.time_ms[i];
        let hour = (t.div_euclid(MS_PER_DAY) + 3).rem_euclid(7) * 24 + t.rem_euclid(MS_PER_DAY) / MS_PER_HOUR;
        *f.hours.entry(hour.to_string()).or_default() += 1.0;
        if p.client[i] != NO_STR {
            *f.clients.entry(data.strings.get(p.client[i]).to_string()).or_default() += 1.0;
        }
        if p.lang[i] != NO_STR {
            *f.languages.entry(data.strings.get(p.lang[i]).to_string()).or_default() += 1.0;
        }
        for &h in p.hashtags.row(i) {
            if h != NO_STR {
                let tag = data.strings.get(h).trim_start_matches('#').to_lowercase();
                count(&mut f.hashtags, 2, tag, a, &mut seen);
            }
        }
        for &u in p.urls.row(i) {
            if u == NO_STR {
                continue;
            }
            if let Some((url, domain)) = normalise_url(data.strings.get(u)) {
                if !crate::units::PLATFORM_DOMAINS.contains(&domain.as_str()) {
                    count(&mut f.domains, 3, domain, a, &mut seen);
                }
                count(&mut f.urls, 4, url, a, &mut seen);
            }
        }
        if p.kind[i] != PostKind::Retweet && normalise_text(p.text.get(i), &mut text) {
            let h = xxh3_64(text.as_bytes());
            if seen.insert((5, h, a)) {
                f.texts.entry(h).or_insert((0, text.clone())).0 += 1;
            }
        }
        buf.clear();
        terms(p.text.get(i), &mut buf);
        for t in buf.drain(..) {
            *f.terms.entry(t).or_default() += 1.0;
        }
    }
    // Keep the distribution of terms to the most used, so fingerprints stay small.
    if f.terms.len() > 5_000 {
        let mut v: Vec<(String, f64)> = f.terms.drain().collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(5_000);
        f.terms = v.into_iter().collect();
    }
    if with_signatures {
        let mut by_count: Vec<&(u32, String)> = f.texts.values().collect();
        by_count.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let opts = NearDupOptions::default();
        f.signatures = by_count
            .iter()
            .take(MAX_SIGNATURES)
            .filter_map(|(_, t)| signature(t, &opts).map(|s| (s, t.clone())))
            .collect();
        f.near = Some(NearIndex::new(f.signatures.iter().map(|(s, _)| s.as_slice())));
    }
    f.text_set = f.texts.values().map(|(c, t)| (t.clone(), *c)).collect();
    for m in [&mut f.terms, &mut f.clients, &mut f.languages, &mut f.handle_patterns, &mut f.hours] {
        normalise(m);
    }
    if !days.is_empty() {
        let mut per: HashMap<i64, u32> = HashMap::new();
        for d in &days {
            *per.entry(*d).or_default() += 1;
        }
        let in_waves: u32 = per.values().filter(|&&c| c >= 3 && c as usize * 20 >= days.len()).sum();
        f.wave_share = Some(in_waves as f64 / days.len() as f64);
    }
    f
}

/// One fingerprint's contribution to a link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkEvidence {
    pub fingerprint: String,
    pub similarity: f64,
    pub detail: String,
}

/// A network's link to one prior operation (PRODUCT.md §4 `links`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub operation: String,
    pub score: f64,
    pub linked: bool,
    pub evidence: Vec<LinkEvidence>,
}

const CONTENT: [&str; 8] = ["accounts", "handles", "texts", "near_texts", "urls", "domains", "hashtags", "terms"];

fn weight(name: &str) -> f64 {
    match name {
        "accounts" => 1.0,
        "handles" => 0.9,
        "texts" => 0.8,
        "near_texts" => 0.7,
        "urls" | "domains" => 0.7,
        "hashtags" => 0.6,
        "terms" => 0.5,
        "hour_of_week" => 0.4,
        "handle_patterns" => 0.3,
        "clients" | "languages" => 0.2,
        _ => 0.1,
    }
}

/// Distinctive shared items of a set fingerprint: (similarity, examples).
fn sets(net: &Counted, background: &Counted, prior: &Counted) -> (f64, Vec<String>) {
    let distinctive: Vec<&String> =
        net.iter().filter(|(k, &c)| background.get(*k).copied().unwrap_or(0) < c).map(|(k, _)| k).collect();
    if distinctive.is_empty() || prior.is_empty() {
        return (0.0, Vec::new());
    }
    let mut shared: Vec<(&String, u32)> =
        distinctive.iter().filter(|k| prior.contains_key(**k)).map(|k| (*k, net[*k] + prior[*k])).collect();
    shared.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let sim = shared.len() as f64 / distinctive.len().min(prior.len()) as f64;
    (sim.min(1.0), shared.iter().take(5).map(|(k, _)| k.to_string()).collect())
}

/// Mean of the two sides' shares of texts with a near-duplicate (MinHash estimate ≥ the
/// near-duplicate threshold) on the other side, with examples.
fn near_texts(net: &Fingerprint, prior: &Fingerprint) -> (f64, Vec<String>) {
    let (a, examples) = near_share(&net.signatures, &prior.signatures, prior.near.as_ref());
    let (b, _) = near_share(&prior.signatures, &net.signatures, net.near.as_ref());
    ((a + b) / 2.0, examples)
}

/// An LSH index of MinHash signatures (the near-duplicate signal's bands), to find a
/// near-duplicate of a text among many.
#[derive(Debug, Clone)]
pub struct NearIndex {
    rows: usize,
    bands: usize,
    threshold: f64,
    buckets: HashMap<u64, Vec<u32>>,
}

impl NearIndex {
    /// Indexes `signatures` (all of one length, from [`signature`]); a hit is reported by
    /// its position in `signatures`.
    pub fn new<'a>(signatures: impl IntoIterator<Item = &'a [u8]>) -> NearIndex {
        let opts = NearDupOptions::default();
        let rows = (opts.hashes / opts.bands.max(1)).max(1);
        let mut index = NearIndex { rows, bands: 0, threshold: opts.threshold, buckets: HashMap::new() };
        for (i, sig) in signatures.into_iter().enumerate() {
            index.bands = (sig.len() / rows).min(opts.bands);
            for b in 0..index.bands {
                index.buckets.entry(index.key(sig, b)).or_default().push(i as u32);
            }
        }
        index
    }

    fn key(&self, sig: &[u8], b: usize) -> u64 {
        xxh3_64(&sig[b * self.rows..(b + 1) * self.rows]) ^ (b as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }

    /// The first indexed signature (by `get`, which returns it by position) whose
    /// estimated Jaccard similarity with `sig` reaches the near-duplicate threshold.
    pub fn find<'a>(&self, sig: &[u8], get: impl Fn(u32) -> &'a [u8]) -> Option<u32> {
        if sig.len() < self.bands * self.rows {
            return None;
        }
        (0..self.bands).find_map(|b| {
            self.buckets
                .get(&self.key(sig, b))?
                .iter()
                .copied()
                .find(|&j| estimated_jaccard(sig, get(j)) >= self.threshold)
        })
    }
}

/// Share of `net`'s texts with a near-duplicate in `prior`; candidates through the LSH bands.
fn near_share(
    net: &[(Vec<u8>, String)],
    prior: &[(Vec<u8>, String)],
    prior_index: Option<&NearIndex>,
) -> (f64, Vec<String>) {
    if net.is_empty() || prior.is_empty() {
        return (0.0, Vec::new());
    }
    let built;
    let index = match prior_index {
        Some(i) => i,
        None => {
            built = NearIndex::new(prior.iter().map(|(s, _)| s.as_slice()));
            &built
        }
    };
    let mut matched = 0usize;
    let mut examples = Vec::new();
    for (sig, text) in net {
        if let Some(j) = index.find(sig, |j| &prior[j as usize].0) {
            matched += 1;
            if examples.len() < 3 {
                let short = |t: &str| t.chars().take(50).collect::<String>();
                examples.push(format!("{} ~ {}", short(text), short(&prior[j as usize].1)));
            }
        }
    }
    (matched as f64 / net.len() as f64, examples)
}

fn intersection(a: &HashMap<String, f64>, b: &HashMap<String, f64>) -> f64 {
    a.iter().map(|(k, v)| v.min(b.get(k).copied().unwrap_or(0.0))).sum()
}

fn lifted(net: &HashMap<String, f64>, background: &HashMap<String, f64>, prior: &HashMap<String, f64>) -> f64 {
    if net.is_empty() || prior.is_empty() {
        return 0.0;
    }
    let base = if background.is_empty() { 0.0 } else { intersection(background, prior) };
    let i = intersection(net, prior);
    if base >= 1.0 {
        return 0.0;
    }
    ((i - base) / (1.0 - base)).clamp(0.0, 1.0)
}

fn top(m: &HashMap<String, f64>, k: usize) -> String {
    let mut v: Vec<(&String, &f64)> = m.iter().collect();
    v.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
    v.iter().take(k).map(|(s, x)| format!("{s} {:.0}%", 100.0 * **x)).collect::<Vec<_>>().join(", ")
}

/// The link of a network to a prior operation, `background` being the rest of the data.
pub fn link(name: &str, net: &Fingerprint, background: &Fingerprint, prior: &Fingerprint) -> Link {
    let mut evidence = Vec::new();
    let mut push = |fingerprint: &'static str, similarity: f64, detail: String| {
        evidence.push(LinkEvidence {
            fingerprint: fingerprint.to_string(),
            similarity: (similarity * 1000.0).round() / 1000.0,
            detail,
        });
    };
    for (fp, n, b, p) in [
        ("accounts", &net.ids, &background.ids, &prior.ids),
        ("handles", &net.handles, &background.handles, &prior.handles),
        ("urls", &net.urls, &background.urls, &prior.urls),
        ("domains", &net.domains, &background.domains, &prior.domains),
        ("hashtags", &net.hashtags, &background.hashtags, &prior.hashtags),
    ] {
        let (s, ex) = sets(n, b, p);
        push(fp, s, if ex.is_empty() { "none shared".into() } else { format!("shared: {}", ex.join(", ")) });
    }
    {
        let (s, ex) = sets(&net.text_set, &background.text_set, &prior.text_set);
        let ex: Vec<String> = ex.iter().map(|t| t.chars().take(60).collect()).collect();
        push("texts", s, if ex.is_empty() { "none shared".into() } else { format!("identical: {}", ex.join(" | ")) });
    }
    let (s, ex) = near_texts(net, prior);
    push(
        "near_texts",
        s,
        if ex.is_empty() { "none near-duplicate".into() } else { format!("near-duplicates: {}", ex.join(" | ")) },
    );
    let s = lifted(&net.terms, &background.terms, &prior.terms);
    push("terms", s, format!("prior's top terms: {}", top(&prior.terms, 5)));
    for (fp, n, b, p) in [
        ("hour_of_week", &net.hours, &background.hours, &prior.hours),
        ("clients", &net.clients, &background.clients, &prior.clients),
        ("languages", &net.languages, &background.languages, &prior.languages),
        ("handle_patterns", &net.handle_patterns, &background.handle_patterns, &prior.handle_patterns),
    ] {
        let s = lifted(n, b, p);
        let detail = if fp == "hour_of_week" {
            format!("{:.0}% of the signature shared beyond the rest of the data", 100.0 * s)
        } else {
            format!("network: {}; prior: {}", top(n, 3), top(p, 3))
        };
        push(fp, s, detail);
    }
    let w = match (net.wave_share, prior.wave_share) {
        (Some(a), Some(b)) => a.min(b),
        _ => 0.0,
    };
    push(
        "batch_creation",
        w,
        format!(
            "share of accounts made in batches: network {:.0}%, prior {:.0}%",
            100.0 * net.wave_share.unwrap_or(0.0),
            100.0 * prior.wave_share.unwrap_or(0.0)
        ),
    );

    let score = 1.0 - evidence.iter().map(|e| 1.0 - weight(&e.fingerprint) * e.similarity).product::<f64>();
    let strong = evidence.iter().filter(|e| CONTENT.contains(&e.fingerprint.as_str()) && e.similarity >= 0.3).count();
    evidence
        .sort_by(|a, b| (weight(&b.fingerprint) * b.similarity).total_cmp(&(weight(&a.fingerprint) * a.similarity)));
    Link {
        operation: name.to_string(),
        score: (score * 1000.0).round() / 1000.0,
        linked: score >= 0.6 && strong >= 2,
        evidence,
    }
}

/// Links of every network (`members[n]`) to every prior (`(name, dataset)`).
pub fn links(data: &Dataset, members: &[Vec<u32>], priors: &[(String, Dataset)]) -> Vec<Vec<Link>> {
    let in_network: HashSet<u32> = members.iter().flatten().copied().collect();
    let rest: Vec<u32> = (0..data.accounts.len() as u32).filter(|a| !in_network.contains(a)).collect();
    let background = background_fingerprint(data, &rest);
    let prior_fps: Vec<(String, Fingerprint)> =
        priors.iter().map(|(name, d)| (name.clone(), fingerprint(d, None))).collect();
    members
        .iter()
        .map(|m| {
            let f = fingerprint(data, Some(m));
            let mut v: Vec<Link> = prior_fps.iter().map(|(name, p)| link(name, &f, &background, p)).collect();
            v.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.operation.cmp(&b.operation)));
            v
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PostRecord, ProfileRecord};

    /// Accounts `prefix0..` posting `text` with `tag` and a link to `site` (at 15:00 UTC for
    /// the Gulf operation, 03:00 otherwise).
    fn op(
        d: &mut Dataset,
        prefix: &str,
        tag: &'static str,
        site: &'static str,
        text: &'static str,
        n: usize,
    ) -> Vec<u32> {
        let hour = if tag == "Qatar" { 15 } else { 3 };
        let mut members = Vec::new();
        for k in 0..n {
            let handle = format!("{prefix}{k}");
            let a = d.set_profile(&handle, &ProfileRecord { screen_name: &handle, ..Default::default() }, false);
            members.push(a);
            for j in 0..5i64 {
                let r = PostRecord {
                    id: 1 + d.posts.len() as u64,
                    time_ms: (18_000 + j) * 86_400_000 + hour * 3_600_000,
                    text,
                    hashtags: vec![tag],
                    urls: vec![site],
                    lang: "en",
                    client: "Twitter Web App",
                    ..Default::default()
                };
                d.push_post(a, &r);
            }
        }
        members
    }

    #[test]
    fn the_same_actor_links_and_a_different_one_does_not() {
        let mut d = Dataset::default();
        let net = op(
            &mut d,
            "now",
            "StopRiots",
            "https://truth-news.example/a",
            "the truth they hide from you every day",
            20,
        );
        for k in 0..200 {
            let h = format!("crowd{k}");
            let a = d.set_profile(&h, &ProfileRecord { screen_name: &h, ..Default::default() }, false);
            let r = PostRecord {
                id: 10_000 + k,
                time_ms: 18_000 * 86_400_000 + (k as i64 % 24) * 3_600_000,
                text: "lunch with friends was great today",
                lang: "en",
                client: "Twitter for iPhone",
                ..Default::default()
            };
            d.push_post(a, &r);
        }
        let mut same = Dataset::default();
        op(
            &mut same,
            "then",
            "StopRiots",
            "https://truth-news.example/b",
            "the truth they hide from you every day",
            15,
        );
        let mut other = Dataset::default();
        op(
            &mut other,
            "gulf",
            "Qatar",
            "https://gulf-truth.example/x",
            "a regime that funds terror must answer now",
            15,
        );
        let l = links(&d, &[net], &[("same".into(), same), ("other".into(), other)]);
        let (first, second) = (&l[0][0], &l[0][1]);
        assert_eq!(first.operation, "same");
        assert!(first.linked, "{first:?}");
        assert!(!second.linked && second.score < 0.5, "{second:?}");
        assert!(first.evidence.iter().any(|e| e.fingerprint == "domains" && e.detail.contains("truth-news.example")));
    }
}
