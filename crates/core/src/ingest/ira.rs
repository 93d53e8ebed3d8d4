//! FiveThirtyEight IRA tweets: the original files (`external_author_id, author, content, …`)
//! and the by-author layout (`authors.csv` plus one file per author).
//!
//! Accounts are keyed by lower-cased handle: the data's `external_author_id` was damaged by
//! float rounding (many authors share `906000000000000000`), so ids would merge distinct
//! accounts. There are no post ids (except `tweet_id` in later releases): ids are synthesised
//! from the handle, time and text. Hashtags, mentions and links are taken from the text.

use super::csvio::{for_each_record, Fields};
use super::{Ctx, FileKind, IngestError, Input, SkipReason};
use crate::ingest::parse;
use crate::model::{post_flags, Dataset, PostKind, PostRecord, ProfileRecord, UNKNOWN_COUNT};
use std::path::Path;
use xxhash_rust::xxh3::xxh3_64_with_seed;

pub(super) fn read_authors(
    path: &Path,
    input: Input<'_>,
    ctx: &Ctx<'_>,
    data: &mut Dataset,
) -> Result<(u64, u64), IngestError> {
    let kind = FileKind::IraAuthors;
    let mut key = String::new();
    for_each_record(
        path,
        input,
        ctx,
        |h| Ok((h.require(path, "author_id", kind)?, h.pos("author"), h.pos("account_category"))),
        |&(id, author, category), r, _| {
            // `author_id` names the per-author file and is unique; `author` is the handle,
            // which two accounts of the sample share with a suffixed `author_id`.
            let id = r.at(id).trim();
            if id.is_empty() {
                return Err((SkipReason::MissingAccount, "empty author_id".into()));
            }
            parse::check_key(id, "author_id")?;
            let handle = Some(r.get(author).trim()).filter(|a| !a.is_empty()).unwrap_or(id);
            lower_into(id, &mut key);
            let p = ProfileRecord { screen_name: handle, label: r.get(category).trim(), ..Default::default() };
            data.set_profile(&key, &p, true);
            Ok(())
        },
    )
}

struct Cols {
    author: usize,
    content: usize,
    region: Option<usize>,
    language: Option<usize>,
    publish_date: usize,
    following: Option<usize>,
    followers: Option<usize>,
    post_type: Option<usize>,
    retweet: Option<usize>,
    category: Option<usize>,
    tweet_id: Option<usize>,
    url_cols: Vec<usize>,
}

pub(super) fn read_tweets(
    path: &Path,
    input: Input<'_>,
    ctx: &Ctx<'_>,
    data: &mut Dataset,
    kind: FileKind,
) -> Result<(u64, u64), IngestError> {
    let mut key = String::new();
    let mut mention_keys: Vec<String> = Vec::new();
    for_each_record(
        path,
        input,
        ctx,
        |h| {
            let author = if kind == FileKind::IraByAuthor { "author_id" } else { "author" };
            Ok(Cols {
                author: h.require(path, author, kind)?,
                content: h.require(path, "content", kind)?,
                region: h.pos("region"),
                language: h.pos("language"),
                publish_date: h.require(path, "publish_date", kind)?,
                following: h.pos("following"),
                followers: h.pos("followers"),
                post_type: h.pos("post_type"),
                retweet: h.pos("retweet"),
                category: h.pos("account_category"),
                tweet_id: h.pos("tweet_id"),
                url_cols: ["article_url", "tco1_step1", "tco2_step1", "tco3_step1"]
                    .iter()
                    .filter_map(|c| h.pos(c))
                    .collect(),
            })
        },
        |c, r, pos| {
            let handle = r.at(c.author).trim();
            if handle.is_empty() {
                return Err((SkipReason::MissingAccount, "empty author".into()));
            }
            parse::check_key(handle, "author")?;
            lower_into(handle, &mut key);
            let post = post(c, r, &key, pos.record, &mut mention_keys)?;
            let count = |col: Option<usize>, name: &str| {
                let v = r.get(col);
                parse::parse_count(v).map_err(|e| (e, format!("{name} = {v:?}")))
            };
            let profile = ProfileRecord {
                // In the by-author layout `author_id` may carry a suffix; authors.csv has the handle.
                screen_name: if kind == FileKind::IraByAuthor { "" } else { handle },
                location: r.get(c.region).trim(),
                followers: count(c.followers, "followers")?,
                following: count(c.following, "following")?,
                label: r.get(c.category).trim(),
                ..Default::default()
            };
            // Rows are in time order: the latest row's counts describe the account best.
            let author = data.set_profile(&key, &profile, true);
            let mut post = post;
            post.mentions = mention_keys.iter().map(String::as_str).collect();
            if post.kind == PostKind::Reply {
                post.reply_account = post.mentions.first().copied();
            }
            data.push_post(author, &post);
            Ok(())
        },
    )
}

fn lower_into(s: &str, out: &mut String) {
    out.clear();
    out.extend(s.chars().flat_map(char::to_lowercase));
}

/// The content without the single quotes the by-author layout puts around some texts.
fn unquote(s: &str) -> &str {
    match s.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        Some(inner) if !inner.is_empty() => inner,
        _ => s,
    }
}

fn post<'r>(
    c: &Cols,
    r: &Fields<'r>,
    key: &str,
    record: u64,
    mention_keys: &mut Vec<String>,
) -> Result<PostRecord<'r>, (SkipReason, String)> {
    let date = r.at(c.publish_date);
    let time_ms = parse::parse_time(date).map_err(|e| (e, format!("publish_date = {date:?}")))?;
    let text = unquote(r.at(c.content));
    let post_type = r.get(c.post_type).trim();
    let retweet_flag = r.get(c.retweet).trim();
    let is_retweet = parse::parse_bool(retweet_flag).map_err(|e| (e, format!("retweet = {retweet_flag:?}")))?;
    let kind = match post_type {
        "R" | "RETWEET" => PostKind::Retweet,
        "Q" | "QUOTE_TWEET" => PostKind::Quote,
        _ if is_retweet => PostKind::Retweet,
        _ if text.starts_with('@') => PostKind::Reply,
        _ => PostKind::Original,
    };
    let given_id = r.get(c.tweet_id).trim();
    let (id, flags) = match parse::parse_opt_id(given_id) {
        Ok(id) if id != 0 => (id, 0),
        _ => {
            // Deterministic for the same author, record and text; never 0.
            let h = xxh3_64_with_seed(text.as_bytes(), record) ^ xxh3_64_with_seed(key.as_bytes(), time_ms as u64);
            (h | 1, post_flags::SYNTHETIC_ID)
        }
    };
    let ents = entities(text);
    mention_keys.clear();
    for m in &ents.mentions {
        let mut k = String::new();
        lower_into(m, &mut k);
        mention_keys.push(k);
    }
    let mut urls = ents.urls;
    urls.extend(c.url_cols.iter().map(|&i| r.at(i).trim()).filter(|u| !u.is_empty()));
    Ok(PostRecord {
        id,
        time_ms,
        kind,
        lang: r.get(c.language).trim(),
        text,
        hashtags: ents.hashtags,
        urls,
        flags,
        quote_count: UNKNOWN_COUNT,
        ..Default::default()
    })
}

/// Hashtags, mentions and links written in a text.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Entities<'a> {
    pub hashtags: Vec<&'a str>,
    pub mentions: Vec<&'a str>,
    pub urls: Vec<&'a str>,
}

/// Finds `#tag`, `@handle` and `http(s)://…` in a text. A tag or handle must start a word
/// and must not be inside a link. Scans for the marker bytes only (this runs on every post).
pub(crate) fn entities(text: &str) -> Entities<'_> {
    let b = text.as_bytes();
    let mut e = Entities::default();
    let mut url_spans: Vec<(usize, usize)> = Vec::new();
    for i in memchr::memmem::find_iter(b, b"http") {
        let rest = &text[i..];
        if !(rest.starts_with("http://") || rest.starts_with("https://")) || !word_start(text, i) {
            continue;
        }
        if url_spans.last().is_some_and(|&(_, end)| i < end) {
            continue;
        }
        let end = rest.find(char::is_whitespace).map_or(text.len(), |n| i + n);
        let url = text[i..end].trim_end_matches(['.', ',', ')', '"', '\'', '…']);
        if url.len() > "https://".len() {
            e.urls.push(url);
        }
        url_spans.push((i, end));
    }
    for i in memchr::memchr2_iter(b'#', b'@', b) {
        if url_spans.iter().any(|&(s, end)| i >= s && i < end) || !word_start(text, i) {
            continue;
        }
        let is_mention = b[i] == b'@';
        let rest = &text[i + 1..];
        let len = rest
            .char_indices()
            .find(|&(_, c)| !(c == '_' || if is_mention { c.is_ascii_alphanumeric() } else { c.is_alphanumeric() }))
            .map_or(rest.len(), |(j, _)| j);
        if len > 0 {
            let item = &rest[..len];
            if is_mention {
                e.mentions.push(item);
            } else {
                e.hashtags.push(item);
            }
        }
    }
    e
}

fn word_start(text: &str, i: usize) -> bool {
    text[..i].chars().next_back().is_none_or(|p| !(p.is_alphanumeric() || p == '_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_from_text_in_any_script() {
        let e = entities("RT @Some_One: смотри #Новости и #MAGA2016 http://t.co/abc. mail@x.com #");
        assert_eq!(e.mentions, ["Some_One"]);
        assert_eq!(e.hashtags, ["Новости", "MAGA2016"]);
        assert_eq!(e.urls, ["http://t.co/abc"]);
        assert_eq!(entities("no entities here"), Entities::default());
    }

    #[test]
    fn quotes_around_content_are_removed() {
        assert_eq!(unquote("'@a hello'"), "@a hello");
        assert_eq!(unquote("it's"), "it's");
        assert_eq!(unquote("'"), "'");
    }
}
