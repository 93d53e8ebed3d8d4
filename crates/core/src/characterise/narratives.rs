//! Narratives: what a network talks about, in any script.
//!
//! 1. **Features** of a post: its hashtags (lower-cased) and the terms of its text. Terms
//!    are runs of letters and digits, lower-cased; words of 3+ characters in scripts that
//!    separate words with spaces, and overlapping character bigrams in runs of Han, kana
//!    (Chinese and Japanese are written without spaces, and bigrams are the standard
//!    indexing unit for them). URLs, mentions, hashtags inside the text, numbers and the
//!    `RT @user:` prefix are skipped.
//! 2. **Distinctive features** of a network against the rest of the data (estimated from
//!    every k-th post beyond [`MAX_BACKGROUND_POSTS`]): the log-odds
//!    ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), as a
//!    z-score; features used in fewer than [`NarrativeOptions::min_posts`] posts, and
//!    function words (terms in 3 % or more of a language's posts), are not considered.
//! 3. **Narratives**: the top distinctive features are joined by how often they occur in the
//!    same posts (lift above 1.5: co-occurring half again as often as chance), and the
//!    feature graph is clustered with Leiden;
//!    each cluster is a narrative. Every post of the network goes to the narrative with
//!    which it shares the most features, weighted by inverse frequency in the network. A
//!    narrative's label is its top hashtag, else its top terms.

use crate::characterise::timeline::MS_PER_DAY;
use crate::model::{Dataset, NO_STR};
use cibscan_graph::{leiden, Graph, LeidenOptions};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use xxhash_rust::xxh3::xxh3_64;

/// One narrative of a network (PRODUCT.md §4 `narratives`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Narrative {
    /// A short label: the narrative's top hashtag, else its top terms.
    pub label: String,
    /// Distinctive terms (words; for Chinese and Japanese, character bigrams), best first.
    pub terms: Vec<String>,
    /// Distinctive hashtags (without `#`), best first.
    pub hashtags: Vec<String>,
    /// Posts of the network assigned to the narrative.
    pub posts: u64,
    /// First and last day (`YYYY-MM-DD`).
    pub first: String,
    pub last: String,
    /// Posts per day from the network's `first_day` (same length as the network's `daily`).
    pub daily: Vec<u64>,
    /// Sustained rises of the narrative (onset dates), as for the whole network.
    #[serde(default)]
    pub ramps: Vec<crate::characterise::timeline::Ramp>,
}

/// Parameters of the narrative analysis (the `[narratives]` section of the configuration
/// file, documented there).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NarrativeOptions {
    /// Distinctive features considered per network.
    pub top_features: usize,
    /// Fewest network posts a feature must occur in.
    pub min_posts: u32,
    /// Smallest z-score of a distinctive feature.
    pub min_z: f64,
    /// Most narratives reported per network.
    pub max_narratives: usize,
    /// Strength of the Dirichlet prior (pseudo-count mass).
    pub prior: f64,
}

impl Default for NarrativeOptions {
    fn default() -> Self {
        NarrativeOptions { top_features: 40, min_posts: 5, min_z: 3.0, max_narratives: 8, prior: 500.0 }
    }
}

/// A feature: a hashtag or a term, by hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Feature(u64);

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// The terms of a text, appended to `out` (lower-cased; see the module documentation).
pub fn terms(text: &str, out: &mut Vec<String>) {
    let mut t = text.trim_start();
    if let Some(rest) = t.strip_prefix("RT @") {
        t = rest.split_once(':').map_or("", |(_, r)| r);
    }
    for word in t.split_whitespace() {
        if word.starts_with("http://") || word.starts_with("https://") || word.starts_with(['@', '#', '＃']) {
            continue;
        }
        let mut run = String::new();
        let mut cjk: Vec<char> = Vec::new();
        let flush_run = |run: &mut String, out: &mut Vec<String>| {
            if run.chars().count() >= 3 && !run.chars().all(|c| c.is_numeric()) {
                out.push(std::mem::take(run));
            }
            run.clear();
        };
        let flush_cjk = |cjk: &mut Vec<char>, out: &mut Vec<String>| {
            for w in cjk.windows(2) {
                out.push(w.iter().collect());
            }
            cjk.clear();
        };
        for c in word.chars() {
            if is_cjk(c) {
                flush_run(&mut run, out);
                cjk.push(c);
            } else if c.is_alphanumeric() {
                flush_cjk(&mut cjk, out);
                run.extend(c.to_lowercase());
            } else {
                flush_run(&mut run, out);
                flush_cjk(&mut cjk, out);
            }
        }
        flush_run(&mut run, out);
        flush_cjk(&mut cjk, out);
    }
}

/// A post's distinct features (hashtags marked apart from terms), with their strings.
fn features(data: &Dataset, post: usize, buf: &mut Vec<String>) -> Vec<(Feature, bool, String)> {
    buf.clear();
    let p = &data.posts;
    let mut out: Vec<(Feature, bool, String)> = Vec::new();
    for &h in p.hashtags.row(post) {
        if h != NO_STR {
            let tag = data.strings.get(h).trim_start_matches(['#', '＃']).to_lowercase();
            if !tag.is_empty() {
                out.push((Feature(xxh3_64(tag.as_bytes()) | 1), true, tag));
            }
        }
    }
    terms(p.text.get(post), buf);
    for t in buf.drain(..) {
        out.push((Feature(xxh3_64(t.as_bytes()) & !1), false, t));
    }
    out.sort_unstable_by_key(|a| a.0);
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// Posts containing each feature among `rows`, and the function words: terms found in
/// at least [`FUNCTION_WORD_SHARE`] of the posts of some language with 500+ posts ("the",
/// "и", "的是"). They say how a language is written, not what a network says.
fn background(data: &Dataset, rows: &[usize]) -> (HashMap<Feature, u32>, HashSet<Feature>) {
    type Acc = (HashMap<Feature, u32>, HashMap<(u32, Feature), u32>, HashMap<u32, u32>, Vec<String>);
    let (all, by_lang, lang_posts, _) = rows
        .par_iter()
        .copied()
        .fold(
            || (HashMap::new(), HashMap::new(), HashMap::new(), Vec::new()),
            |(mut m, mut bl, mut lp, mut buf): Acc, i| {
                let lang = data.posts.lang[i];
                *lp.entry(lang).or_default() += 1;
                for (f, tag, _) in features(data, i, &mut buf) {
                    *m.entry(f).or_default() += 1;
                    if !tag {
                        *bl.entry((lang, f)).or_default() += 1;
                    }
                }
                (m, bl, lp, buf)
            },
        )
        .reduce(
            || (HashMap::new(), HashMap::new(), HashMap::new(), Vec::new()),
            |(mut a, mut b, mut c, buf), (x, y, z, _)| {
                for (k, v) in x {
                    *a.entry(k).or_default() += v;
                }
                for (k, v) in y {
                    *b.entry(k).or_default() += v;
                }
                for (k, v) in z {
                    *c.entry(k).or_default() += v;
                }
                (a, b, c, buf)
            },
        );
    let function_words = by_lang
        .into_iter()
        .filter(|((lang, _), df)| {
            let n = lang_posts.get(lang).copied().unwrap_or(0);
            n >= 500 && *df as f64 >= FUNCTION_WORD_SHARE * n as f64
        })
        .map(|((_, f), _)| f)
        .collect();
    (all, function_words)
}

/// Posts of the rest of the data read for the background (a deterministic stride sample
/// beyond this).
pub const MAX_BACKGROUND_POSTS: usize = 1_000_000;

/// Share of a language's posts a term must appear in to count as a function word.
pub const FUNCTION_WORD_SHARE: f64 = 0.03;

/// Narratives of every network: `posts_of[n]` are the post rows of network `n`, and
/// `first_day[n]`/`days[n]` its daily series' start (days since the epoch) and length.
pub fn narratives(
    data: &Dataset,
    posts_of: &[Vec<usize>],
    first_day: &[i64],
    days: &[usize],
    opts: &NarrativeOptions,
) -> Vec<Vec<Narrative>> {
    if posts_of.iter().all(|p| p.is_empty()) {
        return vec![Vec::new(); posts_of.len()];
    }
    // The background: every `stride`-th post, so that it costs the same for 3 or 100 million
    // posts; counts are scaled back up.
    let stride = data.posts.len().div_ceil(MAX_BACKGROUND_POSTS).max(1);
    let sample: Vec<usize> = (0..data.posts.len()).step_by(stride).collect();
    let (counts, function_words) = background(data, &sample);
    let all: HashMap<Feature, f64> = counts.into_iter().map(|(f, c)| (f, c as f64 * stride as f64)).collect();
    let n_all = data.posts.len() as f64;
    posts_of
        .par_iter()
        .enumerate()
        .map(|(ni, posts)| network_narratives(data, posts, &all, &function_words, n_all, first_day[ni], days[ni], opts))
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn network_narratives(
    data: &Dataset,
    posts: &[usize],
    all: &HashMap<Feature, f64>,
    function_words: &HashSet<Feature>,
    n_all: f64,
    first_day: i64,
    days: usize,
    opts: &NarrativeOptions,
) -> Vec<Narrative> {
    let mut buf = Vec::new();
    let post_features: Vec<Vec<(Feature, bool, String)>> = posts.iter().map(|&i| features(data, i, &mut buf)).collect();
    let mut count: HashMap<Feature, (u32, bool, &str)> = HashMap::new();
    for fs in &post_features {
        for (f, tag, s) in fs {
            count.entry(*f).or_insert((0, *tag, s.as_str())).0 += 1;
        }
    }
    // Log-odds with an informative Dirichlet prior: network posts vs the other posts.
    let n_i = posts.len() as f64;
    let n_j = (n_all - n_i).max(1.0);
    let a0 = opts.prior;
    let mut scored: Vec<(f64, Feature)> = count
        .iter()
        .filter(|(f, &(c, _, _))| c >= opts.min_posts && !function_words.contains(f))
        .map(|(&f, &(c, _, _))| {
            // The sampled total can fall short of the network's exact count: never below it.
            let total = all.get(&f).copied().unwrap_or(0.0).max(c as f64);
            let (yi, yj) = (c as f64, total - c as f64);
            let a = (a0 * total / n_all).max(0.01);
            let delta =
                ((yi + a) / (n_i + a0 - yi - a).max(1e-9)).ln() - ((yj + a) / (n_j + a0 - yj - a).max(1e-9)).ln();
            let z = delta / (1.0 / (yi + a) + 1.0 / (yj + a)).sqrt();
            (z, f)
        })
        .filter(|(z, _)| *z >= opts.min_z)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.truncate(opts.top_features);
    if scored.is_empty() {
        return Vec::new();
    }
    let index: HashMap<Feature, usize> = scored.iter().enumerate().map(|(k, &(_, f))| (f, k)).collect();
    let k = scored.len();

    // Feature co-occurrence → association above chance → Leiden.
    let mut occurs = vec![0u32; k];
    let mut pair: HashMap<(usize, usize), u32> = HashMap::new();
    let mut ids: Vec<Vec<usize>> = Vec::with_capacity(post_features.len());
    for fs in &post_features {
        let mut v: Vec<usize> = fs.iter().filter_map(|(f, _, _)| index.get(f).copied()).collect();
        v.sort_unstable();
        for &x in &v {
            occurs[x] += 1;
        }
        for a in 0..v.len() {
            for b in a + 1..v.len() {
                *pair.entry((v[a], v[b])).or_default() += 1;
            }
        }
        ids.push(v);
    }
    let mut edges: Vec<(u32, u32, f64)> = pair
        .into_iter()
        .filter_map(|((a, b), c)| {
            let expected = occurs[a] as f64 * occurs[b] as f64 / n_i;
            (c as f64 > 1.5 * expected && c >= 2).then(|| (a as u32, b as u32, c as f64 / expected))
        })
        .collect();
    edges.sort_by_key(|x| (x.0, x.1));
    let membership: Vec<u32> = match Graph::from_edges(k, edges.iter().copied()) {
        Ok(g) => leiden(&g, &LeidenOptions::with_seed(1)).membership,
        Err(_) => (0..k as u32).collect(),
    };
    let groups = membership.iter().copied().max().map_or(0, |m| m as usize + 1);

    // Assign posts to the narrative whose features they share, each feature weighted by
    // its inverse frequency in the network: a hashtag the network puts on everything says
    // little about which story a post tells (ties: the lower index).
    let idf: Vec<f64> = occurs.iter().map(|&o| (n_i / o.max(1) as f64).ln().max(0.01)).collect();
    let mut narrative_posts: Vec<Vec<usize>> = vec![Vec::new(); groups];
    for (pi, v) in ids.iter().enumerate() {
        if v.is_empty() {
            continue;
        }
        let mut hits = vec![0f64; groups];
        for &x in v {
            hits[membership[x] as usize] += idf[x];
        }
        let best = (0..groups).max_by(|&a, &b| hits[a].total_cmp(&hits[b]).then(b.cmp(&a))).expect("groups > 0");
        narrative_posts[best].push(posts[pi]);
    }
    let mut out: Vec<Narrative> = (0..groups)
        .filter(|&g| !narrative_posts[g].is_empty())
        .map(|g| {
            let members: Vec<usize> = (0..k).filter(|&x| membership[x] as usize == g).collect();
            let name = |x: usize| count[&scored[x].1].2.to_string();
            let hashtags: Vec<String> = members.iter().filter(|&&x| count[&scored[x].1].1).map(|&x| name(x)).collect();
            let terms: Vec<String> = members.iter().filter(|&&x| !count[&scored[x].1].1).map(|&x| name(x)).collect();
            let label = match hashtags.first() {
                Some(h) => format!("#{h}"),
                None => terms.iter().take(3).cloned().collect::<Vec<_>>().join(" / "),
            };
            let mut daily = vec![0u64; days];
            let (mut lo, mut hi) = (i64::MAX, i64::MIN);
            for &p in &narrative_posts[g] {
                let t = data.posts.time_ms[p];
                lo = lo.min(t);
                hi = hi.max(t);
                let d = t.div_euclid(MS_PER_DAY) - first_day;
                if let Some(slot) = usize::try_from(d).ok().and_then(|d| daily.get_mut(d)) {
                    *slot += 1;
                }
            }
            Narrative {
                label,
                terms,
                hashtags,
                posts: narrative_posts[g].len() as u64,
                first: crate::characterise::timeline::day_string(lo.div_euclid(MS_PER_DAY)),
                last: crate::characterise::timeline::day_string(hi.div_euclid(MS_PER_DAY)),
                daily,
                ramps: Vec::new(),
            }
        })
        .collect();
    out.sort_by(|a, b| b.posts.cmp(&a.posts).then(a.label.cmp(&b.label)));
    out.truncate(opts.max_narratives);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_work_without_spaces_and_skip_links_mentions_and_tags() {
        let mut v = Vec::new();
        terms("RT @x: 香港暴乱 must stop! https://t.co/x @someone #HongKong 2020", &mut v);
        assert_eq!(v, ["香港", "港暴", "暴乱", "must", "stop"]);
        v.clear();
        terms("Вирус создан в лаборатории США", &mut v);
        assert_eq!(v, ["вирус", "создан", "лаборатории", "сша"]);
        v.clear();
        terms("الفيروس من المختبر", &mut v);
        assert_eq!(v, ["الفيروس", "المختبر"]);
    }

    #[test]
    fn two_stories_become_two_narratives_with_their_own_terms_and_dates() {
        use crate::model::{PostKind, PostRecord};
        let mut d = Dataset::default();
        let day = 18_300 * MS_PER_DAY;
        let mut rows = Vec::new();
        let push = |d: &mut Dataset, id: u64, by: &str, t: i64, text: &str, tags: Vec<&str>| {
            let r = PostRecord { id, time_ms: t, kind: PostKind::Original, text, hashtags: tags, ..Default::default() };
            let a = d.accounts.intern(by);
            d.push_post(a, &r);
        };
        for k in 0..30u64 {
            // The network: a Chinese virus story from day 10, an English Hong Kong story from day 0.
            push(
                &mut d,
                1 + k,
                "op",
                day + (10 + k as i64 % 5) * MS_PER_DAY,
                "美国实验室制造病毒 真相",
                vec!["新冠肺炎"],
            );
            rows.push(d.posts.len() - 1);
            push(
                &mut d,
                100 + k,
                "op",
                day + (k as i64 % 5) * MS_PER_DAY,
                "rioters attack police again",
                vec!["HongKong"],
            );
            rows.push(d.posts.len() - 1);
        }
        for k in 0..300u64 {
            push(&mut d, 1000 + k, "crowd", day, "lovely weather for a walk today", vec!["weekend"]);
        }
        let n = narratives(&d, &[rows], &[18_300], &[20], &NarrativeOptions::default());
        let n = &n[0];
        assert_eq!(n.len(), 2, "{n:?}");
        let virus = n.iter().find(|x| x.hashtags.contains(&"新冠肺炎".to_string())).unwrap_or_else(|| panic!("{n:?}"));
        assert!(virus.terms.iter().any(|t| t == "病毒"), "{virus:?}");
        assert_eq!(virus.posts, 30);
        assert_eq!(virus.first, crate::characterise::timeline::day_string(18_310));
        let hk = n.iter().find(|x| x.label == "#hongkong").unwrap_or_else(|| panic!("{n:?}"));
        assert!(hk.terms.iter().any(|t| t == "rioters"), "{hk:?}");
        assert_eq!(hk.daily.iter().sum::<u64>(), 30);
        assert!(!n.iter().any(|x| x.terms.iter().any(|t| t == "weather")));
    }
}
