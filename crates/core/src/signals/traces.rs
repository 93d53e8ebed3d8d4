//! Traces: per account, timed actions on shared items — the raw material of coordination.
//!
//! A trace is `(item, time, account, post)`: account `account` acted on `item` at `time` in
//! post row `post`. Each [`TraceKind`] says what the item is (the retweeted post, a
//! normalised URL, an ordered hashtag sequence, …). Items are 64-bit keys: ids where the data
//! has them, stable xxh3 hashes of normalised strings otherwise.
//!
//! Extraction is a shard-then-merge kernel (PRODUCT.md §7): [`extract_shard`] reads a range
//! of post rows and [`merge`] concatenates shards and sorts by `(item, time, account, post)`,
//! an order that does not depend on how rows were sharded. [`extract`] runs the shards on
//! the rayon pool; the result is identical for any shard count (tested).
//!
//! Adding a kind of trace touches one place: a variant of [`TraceKind`] and its arm in
//! [`items_of`]. The exception is [`TraceKind::NearDuplicateText`], whose item (a cluster of
//! near-duplicate texts) comes from a clustering of all posts at once: [`extract`] and
//! [`extract_rows`] hand it to [`crate::signals::neardup`], and [`extract_shard`] yields nothing for it.

use crate::model::{Dataset, PostKind, NO_ACCOUNT, NO_POST};
use rayon::prelude::*;
use serde::Serialize;
use std::ops::Range;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// What the shared item of a trace is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TraceKind {
    /// A retweet of post X (by id; for sources without ids, by the retweeted text).
    RetweetOf,
    /// A quote of post X.
    QuoteOf,
    /// A reply to post X.
    ReplyToPost,
    /// A reply to account Y.
    ReplyToAccount,
    /// A retweet or quote of any post by account Y (amplifiers boosting the same core).
    AmplifiedAccount,
    /// An original, reply or quote with this normalised text (exact match after
    /// normalisation; texts shorter than [`MIN_TEXT_CHARS`] are ignored).
    Text,
    /// A normalised URL.
    Url,
    /// A URL's domain.
    Domain,
    /// The ordered sequence of a post's hashtags (at least two).
    HashtagSequence,
    /// One hashtag.
    Hashtag,
    /// A mentioned account.
    Mention,
    /// A cluster of near-duplicate texts (originals, replies and quotes; MinHash over
    /// character shingles + LSH, see [`crate::signals::neardup`]); the item is the cluster's smallest
    /// post row.
    NearDuplicateText,
}

impl TraceKind {
    pub const ALL: [TraceKind; 12] = [
        TraceKind::RetweetOf,
        TraceKind::QuoteOf,
        TraceKind::ReplyToPost,
        TraceKind::ReplyToAccount,
        TraceKind::AmplifiedAccount,
        TraceKind::Text,
        TraceKind::Url,
        TraceKind::Domain,
        TraceKind::HashtagSequence,
        TraceKind::Hashtag,
        TraceKind::Mention,
        TraceKind::NearDuplicateText,
    ];

    pub fn name(self) -> &'static str {
        match self {
            TraceKind::RetweetOf => "retweet_of",
            TraceKind::QuoteOf => "quote_of",
            TraceKind::ReplyToPost => "reply_to_post",
            TraceKind::ReplyToAccount => "reply_to_account",
            TraceKind::AmplifiedAccount => "amplified_account",
            TraceKind::Text => "text",
            TraceKind::Url => "url",
            TraceKind::Domain => "domain",
            TraceKind::HashtagSequence => "hashtag_sequence",
            TraceKind::Hashtag => "hashtag",
            TraceKind::Mention => "mention",
            TraceKind::NearDuplicateText => "near_duplicate_text",
        }
    }
}

/// Normalised texts shorter than this are too generic to be evidence. Counted in letters and
/// digits, a CJK character counting three (it carries about as much as a short word).
pub const MIN_TEXT_CHARS: usize = 20;

/// Traces of one kind, as parallel columns sorted by `(item, time, account, post)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Traces {
    pub item: Vec<u64>,
    pub time_ms: Vec<i64>,
    pub account: Vec<u32>,
    pub post: Vec<u32>,
}

impl Traces {
    pub fn len(&self) -> usize {
        self.item.len()
    }
    pub fn is_empty(&self) -> bool {
        self.item.is_empty()
    }
    /// Traces from `(item, time, account, post)` rows in any order.
    pub fn from_rows(mut rows: Vec<(u64, i64, u32, u32)>) -> Traces {
        rows.par_sort_unstable();
        let n = rows.len();
        let mut out = Traces {
            item: Vec::with_capacity(n),
            time_ms: Vec::with_capacity(n),
            account: Vec::with_capacity(n),
            post: Vec::with_capacity(n),
        };
        for (item, t, a, p) in rows {
            out.push(item, t, a, p);
        }
        out
    }

    fn push(&mut self, item: u64, time_ms: i64, account: u32, post: u32) {
        self.item.push(item);
        self.time_ms.push(time_ms);
        self.account.push(account);
        self.post.push(post);
    }

    /// Row ranges that share one item, in item order.
    pub fn runs(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        let mut start = 0;
        std::iter::from_fn(move || {
            if start >= self.item.len() {
                return None;
            }
            let item = self.item[start];
            let end = start + self.item[start..].partition_point(|&i| i == item);
            let r = start..end;
            start = end;
            Some(r)
        })
    }
}

/// Seeds that keep the hash spaces of different kinds apart.
const SEED_TEXT: u64 = 0x7465_7874;
const SEED_URL: u64 = 0x0075_726c;
const SEED_DOMAIN: u64 = 0x646f_6d61;
const SEED_TAGS: u64 = 0x7461_6773;

/// Calls `emit` with every item that post row `i` acts on for `kind`.
fn items_of(data: &Dataset, kind: TraceKind, i: usize, text_buf: &mut String, emit: &mut dyn FnMut(u64)) {
    let p = &data.posts;
    let k = p.kind[i];
    match kind {
        TraceKind::RetweetOf if k == PostKind::Retweet => {
            if p.ref_post[i] != NO_POST {
                emit(p.ref_post[i]);
            } else if normalise_text(p.text.get(i), text_buf) {
                // No ids (the IRA data): retweets of one post share its text.
                emit(xxh3_64_with_seed(text_buf.as_bytes(), SEED_TEXT));
            }
        }
        TraceKind::QuoteOf if k == PostKind::Quote && p.ref_post[i] != NO_POST => emit(p.ref_post[i]),
        TraceKind::ReplyToPost if p.reply_post[i] != NO_POST => emit(p.reply_post[i]),
        TraceKind::ReplyToAccount if p.reply_account[i] != NO_ACCOUNT => emit(p.reply_account[i] as u64),
        TraceKind::AmplifiedAccount
            if matches!(k, PostKind::Retweet | PostKind::Quote) && p.ref_account[i] != NO_ACCOUNT =>
        {
            emit(p.ref_account[i] as u64)
        }
        TraceKind::Text if k != PostKind::Retweet && normalise_text(p.text.get(i), text_buf) => {
            emit(xxh3_64_with_seed(text_buf.as_bytes(), SEED_TEXT));
        }
        TraceKind::Url | TraceKind::Domain if k != PostKind::Retweet => {
            for &u in p.urls.row(i) {
                if let Some((url, domain)) = normalise_url(data.strings.get(u)) {
                    emit(match kind {
                        TraceKind::Url => xxh3_64_with_seed(url.as_bytes(), SEED_URL),
                        _ => xxh3_64_with_seed(domain.as_bytes(), SEED_DOMAIN),
                    });
                }
            }
        }
        TraceKind::HashtagSequence if k != PostKind::Retweet && p.hashtags.row(i).len() >= 2 => {
            text_buf.clear();
            for &t in p.hashtags.row(i) {
                text_buf.extend(data.strings.get(t).chars().flat_map(char::to_lowercase));
                text_buf.push('\u{1f}');
            }
            emit(xxh3_64_with_seed(text_buf.as_bytes(), SEED_TAGS));
        }
        TraceKind::Hashtag if k != PostKind::Retweet => {
            for &t in p.hashtags.row(i) {
                text_buf.clear();
                text_buf.extend(data.strings.get(t).chars().flat_map(char::to_lowercase));
                emit(xxh3_64(text_buf.as_bytes()));
            }
        }
        TraceKind::Mention if k != PostKind::Retweet => {
            for &m in p.mentions.row(i) {
                emit(m as u64);
            }
        }
        _ => {}
    }
}

/// Traces of `kind` in the given post rows (for explanations: a few accounts' posts). For
/// [`TraceKind::NearDuplicateText`] the clusters are formed among these rows only.
pub fn extract_rows(data: &Dataset, kind: TraceKind, rows: impl IntoIterator<Item = usize>) -> Traces {
    if kind == TraceKind::NearDuplicateText {
        return crate::signals::neardup::near_duplicate_traces_in(data, rows, &Default::default());
    }
    let mut out = Vec::new();
    let mut buf = String::new();
    for i in rows {
        let (t, a) = (data.posts.time_ms[i], data.posts.account[i]);
        items_of(data, kind, i, &mut buf, &mut |item| out.push((item, t, a, i as u32)));
    }
    Traces::from_rows(out)
}

/// The per-shard kernel: traces of `kind` in post rows `rows`, unsorted. Empty for
/// [`TraceKind::NearDuplicateText`], which needs all posts at once (use [`extract`]).
pub fn extract_shard(data: &Dataset, kind: TraceKind, rows: Range<usize>) -> Traces {
    let mut out = Traces::default();
    let mut buf = String::new();
    for i in rows {
        let (t, a) = (data.posts.time_ms[i], data.posts.account[i]);
        items_of(data, kind, i, &mut buf, &mut |item| out.push(item, t, a, i as u32));
    }
    out
}

/// The merge: concatenates shards and sorts, so the result does not depend on the sharding.
pub fn merge(shards: Vec<Traces>) -> Traces {
    let n = shards.iter().map(Traces::len).sum();
    let mut rows: Vec<(u64, i64, u32, u32)> = Vec::with_capacity(n);
    for s in &shards {
        rows.extend((0..s.len()).map(|j| (s.item[j], s.time_ms[j], s.account[j], s.post[j])));
    }
    drop(shards);
    Traces::from_rows(rows)
}

/// Traces of `kind` over the whole dataset, in `shards` shards on the rayon pool.
pub fn extract(data: &Dataset, kind: TraceKind, shards: usize) -> Traces {
    if kind == TraceKind::NearDuplicateText {
        return crate::signals::neardup::near_duplicate_traces(data, &Default::default(), shards);
    }
    let n = data.posts.len();
    let shards = shards.clamp(1, n.max(1));
    let size = n.div_ceil(shards).max(1);
    let parts: Vec<Traces> = (0..shards)
        .into_par_iter()
        .map(|s| extract_shard(data, kind, (s * size).min(n)..((s + 1) * size).min(n)))
        .collect();
    merge(parts)
}

/// Normalises a post text for exact-duplicate matching into `out`: drops a leading
/// `RT @x:`, links and mentions, lower-cases, keeps letters and digits of any script, and
/// collapses everything else to single spaces. Returns false when too short to be evidence.
pub fn normalise_text(text: &str, out: &mut String) -> bool {
    out.clear();
    let mut t = text.trim_start();
    if let Some(rest) = t.strip_prefix("RT @") {
        t = rest.split_once(':').map_or("", |(_, r)| r);
    }
    let chars = if t.is_ascii() { normalise_ascii(t.as_bytes(), out) } else { normalise_any(t, out) };
    chars >= MIN_TEXT_CHARS
}

/// [`normalise_text`] after the prefix, for any text; returns the weighted length.
fn normalise_any(t: &str, out: &mut String) -> usize {
    let mut chars = 0usize;
    let mut pending_space = false;
    for word in t.split_whitespace() {
        if word.starts_with("http://") || word.starts_with("https://") || word.starts_with('@') {
            continue;
        }
        for c in word.chars() {
            if c.is_alphanumeric() {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.extend(c.to_lowercase());
                // A CJK character carries about as much as a short word.
                chars += if c as u32 >= 0x2E80 { 3 } else { 1 };
            } else {
                pending_space = true;
            }
        }
        pending_space = true;
    }
    chars
}

/// [`normalise_any`] for ASCII text, byte by byte (the common case, without Unicode tables;
/// the same result, tested).
fn normalise_ascii(t: &[u8], out: &mut String) -> usize {
    let mut chars = 0usize;
    let mut pending_space = false;
    // ASCII's White_Space characters, as `split_whitespace` splits on them.
    for word in t.split(|&b| matches!(b, b'\t'..=b'\r' | b' ')).filter(|w| !w.is_empty()) {
        if word.starts_with(b"http://") || word.starts_with(b"https://") || word.starts_with(b"@") {
            continue;
        }
        for &b in word {
            if b.is_ascii_alphanumeric() {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(b.to_ascii_lowercase() as char);
                chars += 1;
            } else {
                pending_space = true;
            }
        }
        pending_space = true;
    }
    chars
}

/// Query parameters that only track clicks; dropped when comparing URLs.
fn is_tracking_param(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("utm_")
        || matches!(
            n.as_str(),
            "fbclid"
                | "gclid"
                | "dclid"
                | "msclkid"
                | "igshid"
                | "mc_cid"
                | "mc_eid"
                | "ref_src"
                | "ref_url"
                | "cmpid"
                | "s"
                | "si"
                | "feature"
        )
}

/// A URL normalised for comparison — lower-case scheme-less host without `www.`, no
/// fragment, no tracking parameters, no trailing slash — and its domain. `None` for a
/// value that is not an http(s) URL.
pub fn normalise_url(raw: &str) -> Option<(String, String)> {
    let mut u = url::Url::parse(raw.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    let host = u.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    u.set_fragment(None);
    let kept: Vec<(String, String)> =
        u.query_pairs().filter(|(k, _)| !is_tracking_param(k)).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let mut kept = kept;
    kept.sort();
    let path = u.path().trim_end_matches('/');
    let mut out = format!("{host}{path}");
    if !kept.is_empty() {
        out.push('?');
        let q: Vec<String> =
            kept.iter().map(|(k, v)| if v.is_empty() { k.clone() } else { format!("{k}={v}") }).collect();
        out.push_str(&q.join("&"));
    }
    Some((out, host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PostRecord, ProfileRecord};
    use proptest::prelude::*;

    fn dataset(posts: &[(&str, PostRecord<'_>)]) -> Dataset {
        let mut d = Dataset::new();
        for (author, p) in posts {
            let a = d.set_profile(author, &ProfileRecord::default(), false);
            d.push_post(a, p);
        }
        d
    }

    #[test]
    fn urls_normalise_to_one_key() {
        let a = normalise_url("https://www.Example.com/story/1/?utm_source=tw&id=3#top").unwrap();
        let b = normalise_url("http://example.com/story/1?id=3&fbclid=xyz").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.0, "example.com/story/1?id=3");
        assert_eq!(a.1, "example.com");
        assert_ne!(normalise_url("https://example.com/story/2").unwrap().0, a.0);
        assert_eq!(normalise_url("not a url"), None);
        assert_eq!(normalise_url("ftp://example.com/x"), None);
    }

    #[test]
    fn texts_normalise_across_scripts_and_retweet_prefixes() {
        let (mut a, mut b) = (String::new(), String::new());
        assert!(normalise_text("RT @cnd: 香港暴徒破坏社会秩序，支持警察依法执法！ https://t.co/x", &mut a));
        assert!(normalise_text("香港暴徒破坏社会秩序 支持警察依法执法 @someone", &mut b));
        assert_eq!(a, b);
        assert!(normalise_text("Россия — ВЕЛИКАЯ страна, и это факт!!!", &mut a));
        assert!(normalise_text("россия великая страна и это факт", &mut b));
        assert_eq!(a, b);
        assert!(!normalise_text("ok 👍", &mut a));
    }

    #[test]
    fn retweets_group_by_post_or_by_text() {
        let rt = |id: u64, r: u64, t: i64, text: &'static str| PostRecord {
            id,
            kind: PostKind::Retweet,
            ref_post: r,
            time_ms: t,
            text,
            ..Default::default()
        };
        let long = "RT @x: the same long retweeted text for the test";
        let d = dataset(&[
            ("a", rt(1, 100, 5, long)),
            ("b", rt(2, 100, 3, long)),
            ("c", rt(3, 0, 9, long)),
            ("d", rt(4, 0, 7, long)),
            ("e", rt(5, 200, 1, long)),
        ]);
        let t = extract(&d, TraceKind::RetweetOf, 2);
        assert_eq!(t.len(), 5);
        let runs: Vec<Vec<u32>> = t.runs().map(|r| t.post[r].to_vec()).collect();
        assert!(runs.contains(&vec![1, 0]), "{runs:?}"); // post 100: sorted by time
        assert!(runs.contains(&vec![3, 2]), "{runs:?}"); // same text, no ids
        assert!(runs.contains(&vec![4]), "{runs:?}");
    }

    #[test]
    fn real_sample_traces_do_not_depend_on_shards() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/sim/platform");
        let (d, _) = crate::ingest(&[dir], &Default::default(), &crate::progress::NoProgress).unwrap();
        for kind in TraceKind::ALL {
            let one = extract(&d, kind, 1);
            assert_eq!(extract(&d, kind, 2), one, "{kind:?}");
            assert_eq!(extract(&d, kind, 8), one, "{kind:?}");
            assert!(!one.is_empty() || kind == TraceKind::ReplyToAccount, "{kind:?} has no traces");
        }
    }

    proptest! {
        #[test]
        fn ascii_normalisation_matches_the_general_one(t in "(RT @[a-z]{1,4}: )?([ -~\t\n\x0b\x0c\r]|http://x|@ab){0,60}") {
            let (mut fast, mut general) = (String::new(), String::new());
            prop_assert_eq!(normalise_ascii(t.as_bytes(), &mut fast), normalise_any(&t, &mut general));
            prop_assert_eq!(fast, general);
        }

        #[test]
        fn shard_count_never_changes_the_result(
            posts in proptest::collection::vec((0u8..6, 0u64..4, 0i64..100, 0u8..4), 0..60),
            shards in 1usize..9,
        ) {
            let tags = ["a", "b", "c"];
            let recs: Vec<(String, PostRecord<'_>)> = posts
                .iter()
                .map(|&(author, item, t, kind)| {
                    let kind = PostKind::from_u8(kind).unwrap();
                    (format!("u{author}"), PostRecord {
                        id: t as u64 + 1,
                        kind,
                        time_ms: t,
                        ref_post: if matches!(kind, PostKind::Retweet | PostKind::Quote) { item + 1 } else { 0 },
                        hashtags: tags[..(item as usize % 3) + 1].to_vec(),
                        urls: vec!["https://example.com/a"],
                        ..Default::default()
                    })
                })
                .collect();
            let refs: Vec<(&str, PostRecord<'_>)> = recs.iter().map(|(a, p)| (a.as_str(), p.clone())).collect();
            let d = dataset(&refs);
            for kind in TraceKind::ALL {
                prop_assert_eq!(extract(&d, kind, shards), extract(&d, kind, 1));
            }
        }
    }
}
