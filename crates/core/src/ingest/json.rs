//! JSON lines: the cibscan schema (docs/FORMATS.md), Twitter API v1.1 tweet objects and
//! API v2 objects as twarc writes them (response pages with `data`/`includes`, or
//! flattened tweets with an `author` object). The kind is decided per line.

use super::{Ctx, IngestError, Input, RecordIssue, SkipReason};
use crate::ingest::parse;
use crate::model::{Dataset, PostKind, PostRecord, ProfileRecord, UNKNOWN_COUNT};
use serde_json::Value;
use std::io::BufRead;
use std::path::Path;

type Skip = (SkipReason, String);

fn bad(detail: impl Into<String>) -> Skip {
    (SkipReason::BadJson, detail.into())
}

/// Discards input up to and including the next newline; false at the end of the input.
fn skip_past_newline(input: &mut Input<'_>) -> std::io::Result<bool> {
    loop {
        input.get_mut().mark();
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        if let Some(i) = memchr::memchr(b'\n', buf) {
            input.consume(i + 1);
            return Ok(true);
        }
        let n = buf.len();
        input.consume(n);
    }
}

pub(super) fn read_lines(
    path: &Path,
    mut input: Input<'_>,
    ctx: &Ctx<'_>,
    data: &mut Dataset,
) -> Result<(u64, u64), IngestError> {
    let (mut ok, mut skipped) = (0u64, 0u64);
    let mut buf = Vec::new();
    let mut line = input.get_ref().lines_before;
    loop {
        buf.clear();
        input.get_mut().mark();
        let n = match input.read_until(b'\n', &mut buf) {
            Ok(n) => n,
            Err(e) if super::RecordTooLong::is(&e) => {
                // Skip the rest of the endless line and go on with the next one.
                line += 1;
                skipped += 1;
                ctx.skip(issue(path, line, SkipReason::BadJson, e.to_string()))?;
                buf = Vec::new();
                if !skip_past_newline(&mut input).map_err(|e| IngestError::Io { path: path.to_path_buf(), error: e })? {
                    break;
                }
                continue;
            }
            Err(e) => {
                skipped += 1;
                ctx.skip(issue(path, line + 1, SkipReason::Truncated, e.to_string()))?;
                break;
            }
        };
        if n == 0 {
            break;
        }
        line += 1;
        let text = match std::str::from_utf8(&buf) {
            Ok(t) => t.trim(),
            Err(e) => {
                skipped += 1;
                ctx.skip(issue(path, line, SkipReason::InvalidUtf8, format!("at byte {}", e.valid_up_to())))?;
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        let result = serde_json::from_str::<Value>(text)
            .map_err(|e| {
                let reason = if e.is_eof() { SkipReason::Truncated } else { SkipReason::BadJson };
                (reason, e.to_string())
            })
            .and_then(|v| read_value(&v, data));
        match result {
            Ok(()) => ok += 1,
            Err((reason, detail)) => {
                skipped += 1;
                ctx.skip(issue(path, line, reason, detail))?;
            }
        }
    }
    Ok((ok, skipped))
}

fn issue(path: &Path, line: u64, reason: SkipReason, detail: String) -> RecordIssue {
    RecordIssue { path: path.to_path_buf(), record: line, line, reason, detail }
}

fn read_value(v: &Value, data: &mut Dataset) -> Result<(), Skip> {
    let obj = v.as_object().ok_or_else(|| bad("line is not a JSON object"))?;
    if obj.contains_key("account_id") {
        cibscan_line(v, data)
    } else if let Some(d) = obj.get("data") {
        // An API v2 response page: users in `includes.users`, tweets in `data`.
        if let Some(users) = v.pointer("/includes/users").and_then(Value::as_array) {
            for u in users {
                v2_user(u, data)?;
            }
        }
        match d {
            Value::Array(tweets) => tweets.iter().try_for_each(|t| v2_tweet(t, data)),
            Value::Object(_) => v2_tweet(d, data),
            _ => Err(bad("`data` is neither a tweet nor a list of tweets")),
        }
    } else if obj.contains_key("author_id") {
        if let Some(a) = obj.get("author") {
            v2_user(a, data)?;
        }
        v2_tweet(v, data)
    } else if obj.contains_key("id_str") || obj.contains_key("user") {
        v1_tweet(v, data)
    } else {
        Err(bad("unknown object: expected cibscan `account_id`, API v2 `data`/`author_id`, or v1.1 `id_str`/`user`"))
    }
}

/// A string or number id as a string.
fn id_str(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => n.as_u64().map(|n| n.to_string()),
        _ => None,
    }
}

fn post_id(v: Option<&Value>, field: &str) -> Result<u64, Skip> {
    match id_str(v) {
        None => Ok(0),
        Some(s) => parse::parse_id(&s).map_err(|e| (e, format!("{field} = {s:?}"))),
    }
}

fn s<'a>(v: &'a Value, ptr: &str) -> &'a str {
    v.pointer(ptr).and_then(Value::as_str).unwrap_or("")
}

fn count(v: &Value, ptr: &str) -> Option<u32> {
    v.pointer(ptr).and_then(Value::as_u64).map(|n| n.min((u32::MAX - 1) as u64) as u32)
}

fn time_field(v: &Value, ptr: &str) -> Result<Option<i64>, Skip> {
    match v.pointer(ptr) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(t)) => parse::parse_time(t).map(Some).map_err(|e| (e, format!("{ptr} = {t:?}"))),
        Some(Value::Number(n)) => n
            .as_i64()
            .and_then(|t| parse::check_time(t).ok())
            .map(Some)
            .ok_or((SkipReason::BadTime, format!("{ptr} = {n} (not Unix milliseconds in 2000-2100)"))),
        Some(other) => Err((SkipReason::BadTime, format!("{ptr} = {other}"))),
    }
}

fn strings<'a>(v: &'a Value, ptr: &str, inner: Option<&str>) -> Vec<&'a str> {
    v.pointer(ptr)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| match inner {
                    Some(p) => x.pointer(p).and_then(Value::as_str),
                    None => x.as_str(),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn ids(v: &Value, ptr: &str, inner: Option<&str>) -> Vec<String> {
    v.pointer(ptr)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|x| id_str(inner.map_or(Some(x), |p| x.pointer(p)))).collect())
        .unwrap_or_default()
}

fn geo(v: &Value, ptr: &str) -> Option<(f32, f32)> {
    let c = v.pointer(ptr)?.as_array()?;
    let (lon, lat) = (c.first()?.as_f64()?, c.get(1)?.as_f64()?);
    Some((lat as f32, lon as f32))
}

/// `<a href="…">Twitter Web App</a>` → `Twitter Web App`.
fn strip_tags(s: &str) -> &str {
    match (s.find('>'), s.rfind("</")) {
        (Some(a), Some(b)) if a < b => &s[a + 1..b],
        _ => s,
    }
}

/// The cibscan schema: one post per line, or a profile-only line (no `post_id`).
fn cibscan_line(v: &Value, data: &mut Dataset) -> Result<(), Skip> {
    let key = id_str(v.get("account_id")).ok_or((SkipReason::MissingAccount, "empty account_id".into()))?;
    parse::check_key(&key, "account_id")?;
    let a = v.get("account").cloned().unwrap_or(Value::Null);
    let profile = ProfileRecord {
        screen_name: s(&a, "/screen_name"),
        display_name: s(&a, "/display_name"),
        location: s(&a, "/location"),
        description: s(&a, "/description"),
        profile_url: s(&a, "/url"),
        followers: count(&a, "/followers"),
        following: count(&a, "/following"),
        created_ms: time_field(&a, "/created")?,
        language: s(&a, "/language"),
        label: s(&a, "/label"),
        hashed: a.get("hashed").and_then(Value::as_bool).unwrap_or_else(|| parse::looks_hashed(&key)),
    };
    let has_profile = a.is_object();
    if v.get("post_id").is_none() {
        if !has_profile {
            return Err(bad("a line without `post_id` must carry an `account` object"));
        }
        data.set_profile(&key, &profile, true);
        return Ok(());
    }
    let id = post_id(v.get("post_id"), "post_id")?;
    if id == 0 {
        return Err((SkipReason::BadId, "post_id is empty".into()));
    }
    let time_ms = match time_field(v, "/time")? {
        Some(t) => t,
        None => time_field(v, "/time_ms")?.ok_or((SkipReason::MissingTime, "no `time` or `time_ms`".into()))?,
    };
    let kind = match s(v, "/kind") {
        "" | "original" => PostKind::Original,
        "retweet" => PostKind::Retweet,
        "reply" => PostKind::Reply,
        "quote" => PostKind::Quote,
        other => return Err(bad(format!("kind = {other:?} (original, retweet, reply or quote)"))),
    };
    let ref_account = id_str(v.get("ref_account"));
    let reply_account = id_str(v.get("reply_to_account"));
    let mentions = ids(v, "/mentions", None);
    let lat = v.get("latitude").and_then(Value::as_f64);
    let lon = v.get("longitude").and_then(Value::as_f64);
    let record = PostRecord {
        id,
        time_ms,
        kind,
        ref_post: post_id(v.get("ref_post"), "ref_post")?,
        ref_account: ref_account.as_deref(),
        reply_post: post_id(v.get("reply_to_post"), "reply_to_post")?,
        reply_account: reply_account.as_deref(),
        lang: s(v, "/lang"),
        client: s(v, "/client"),
        text: s(v, "/text"),
        hashtags: strings(v, "/hashtags", None),
        urls: strings(v, "/urls", None),
        mentions: mentions.iter().map(String::as_str).collect(),
        quote_count: count(v, "/quote_count").unwrap_or(UNKNOWN_COUNT),
        reply_count: count(v, "/reply_count").unwrap_or(UNKNOWN_COUNT),
        like_count: count(v, "/like_count").unwrap_or(UNKNOWN_COUNT),
        retweet_count: count(v, "/retweet_count").unwrap_or(UNKNOWN_COUNT),
        geo: lat.zip(lon).map(|(a, b)| (a as f32, b as f32)),
        flags: 0,
    };
    let author = data.set_profile(&key, &profile, has_profile);
    data.push_post(author, &record);
    Ok(())
}

fn v1_tweet(v: &Value, data: &mut Dataset) -> Result<(), Skip> {
    let id = post_id(v.get("id_str").or_else(|| v.get("id")), "id_str")?;
    if id == 0 {
        return Err((SkipReason::BadId, "tweet without id_str".into()));
    }
    let u = v.get("user").ok_or_else(|| bad("tweet without `user`"))?;
    let key = id_str(u.get("id_str").or_else(|| u.get("id")))
        .ok_or((SkipReason::MissingAccount, "user without id_str".into()))?;
    let created = s(v, "/created_at");
    let time_ms = parse::parse_time(created).map_err(|e| (e, format!("created_at = {created:?}")))?;
    let rt = v.get("retweeted_status").filter(|x| x.is_object());
    let quoted = id_str(v.get("quoted_status_id_str"));
    let reply_post = post_id(v.get("in_reply_to_status_id_str"), "in_reply_to_status_id_str")?;
    let reply_account = id_str(v.get("in_reply_to_user_id_str"));
    let (kind, ref_post, ref_account) = if let Some(rt) = rt {
        (PostKind::Retweet, post_id(rt.get("id_str"), "retweeted_status.id_str")?, id_str(rt.pointer("/user/id_str")))
    } else if let Some(q) = quoted {
        let qid = parse::parse_id(&q).map_err(|e| (e, format!("quoted_status_id_str = {q:?}")))?;
        (PostKind::Quote, qid, id_str(v.pointer("/quoted_status/user/id_str")))
    } else if reply_post != 0 || reply_account.is_some() {
        (PostKind::Reply, 0, None)
    } else {
        (PostKind::Original, 0, None)
    };
    let ext = if v.get("extended_tweet").is_some() { "/extended_tweet" } else { "" };
    let text = [format!("{ext}/full_text"), "/full_text".into(), "/text".into()]
        .iter()
        .map(|p| s(v, p))
        .find(|t| !t.is_empty())
        .unwrap_or("");
    let ent = format!("{ext}/entities");
    let mentions = ids(v, &format!("{ent}/user_mentions"), Some("/id_str"));
    let profile = ProfileRecord {
        screen_name: s(u, "/screen_name"),
        display_name: s(u, "/name"),
        location: s(u, "/location"),
        description: s(u, "/description"),
        profile_url: s(u, "/url"),
        followers: count(u, "/followers_count"),
        following: count(u, "/friends_count"),
        created_ms: time_field(u, "/created_at")?,
        language: s(u, "/lang"),
        label: "",
        hashed: false,
    };
    let record = PostRecord {
        id,
        time_ms,
        kind,
        ref_post,
        ref_account: ref_account.as_deref(),
        reply_post,
        reply_account: reply_account.as_deref(),
        lang: s(v, "/lang"),
        client: strip_tags(s(v, "/source")),
        text,
        hashtags: strings(v, &format!("{ent}/hashtags"), Some("/text")),
        urls: strings(v, &format!("{ent}/urls"), Some("/expanded_url")),
        mentions: mentions.iter().map(String::as_str).collect(),
        quote_count: count(v, "/quote_count").unwrap_or(UNKNOWN_COUNT),
        reply_count: count(v, "/reply_count").unwrap_or(UNKNOWN_COUNT),
        like_count: count(v, "/favorite_count").unwrap_or(UNKNOWN_COUNT),
        retweet_count: count(v, "/retweet_count").unwrap_or(UNKNOWN_COUNT),
        geo: geo(v, "/coordinates/coordinates"),
        flags: 0,
    };
    let author = data.set_profile(&key, &profile, false);
    data.push_post(author, &record);
    Ok(())
}

fn v2_user(u: &Value, data: &mut Dataset) -> Result<(), Skip> {
    let key = id_str(u.get("id")).ok_or((SkipReason::MissingAccount, "user without id".into()))?;
    let profile = ProfileRecord {
        screen_name: s(u, "/username"),
        display_name: s(u, "/name"),
        location: s(u, "/location"),
        description: s(u, "/description"),
        profile_url: s(u, "/url"),
        followers: count(u, "/public_metrics/followers_count"),
        following: count(u, "/public_metrics/following_count"),
        created_ms: time_field(u, "/created_at")?,
        language: "",
        label: "",
        hashed: false,
    };
    data.set_profile(&key, &profile, false);
    Ok(())
}

fn v2_tweet(v: &Value, data: &mut Dataset) -> Result<(), Skip> {
    let id = post_id(v.get("id"), "id")?;
    if id == 0 {
        return Err((SkipReason::BadId, "tweet without id".into()));
    }
    let key = id_str(v.get("author_id")).ok_or((SkipReason::MissingAccount, "tweet without author_id".into()))?;
    let created = s(v, "/created_at");
    let time_ms = parse::parse_time(created).map_err(|e| (e, format!("created_at = {created:?}")))?;
    let mut kind = PostKind::Original;
    let (mut ref_post, mut reply_post) = (0, 0);
    let mut ref_account = None;
    if let Some(refs) = v.get("referenced_tweets").and_then(Value::as_array) {
        for r in refs {
            let rid = post_id(r.get("id"), "referenced_tweets.id")?;
            match s(r, "/type") {
                "retweeted" => {
                    kind = PostKind::Retweet;
                    ref_post = rid;
                    ref_account = id_str(r.get("author_id"));
                }
                "quoted" if kind != PostKind::Retweet => {
                    kind = PostKind::Quote;
                    ref_post = rid;
                    ref_account = id_str(r.get("author_id"));
                }
                "replied_to" => {
                    reply_post = rid;
                    if kind == PostKind::Original {
                        kind = PostKind::Reply;
                    }
                }
                _ => {}
            }
        }
    }
    let reply_account = id_str(v.get("in_reply_to_user_id"));
    if kind == PostKind::Original && reply_account.is_some() {
        kind = PostKind::Reply;
    }
    let mentions = ids(v, "/entities/mentions", Some("/id"));
    let record = PostRecord {
        id,
        time_ms,
        kind,
        ref_post,
        ref_account: ref_account.as_deref(),
        reply_post,
        reply_account: reply_account.as_deref(),
        lang: s(v, "/lang"),
        client: s(v, "/source"),
        text: s(v, "/text"),
        hashtags: strings(v, "/entities/hashtags", Some("/tag")),
        urls: strings(v, "/entities/urls", Some("/expanded_url")),
        mentions: mentions.iter().map(String::as_str).collect(),
        quote_count: count(v, "/public_metrics/quote_count").unwrap_or(UNKNOWN_COUNT),
        reply_count: count(v, "/public_metrics/reply_count").unwrap_or(UNKNOWN_COUNT),
        like_count: count(v, "/public_metrics/like_count").unwrap_or(UNKNOWN_COUNT),
        retweet_count: count(v, "/public_metrics/retweet_count").unwrap_or(UNKNOWN_COUNT),
        geo: geo(v, "/geo/coordinates/coordinates"),
        flags: 0,
    };
    let author = match data.accounts.lookup(&key) {
        Some(a) => a,
        None => data.accounts.intern(&key),
    };
    // An author seen only through its tweets still has a profile (its posts).
    data.accounts.flags[author as usize] |= crate::model::account_flags::PROFILED;
    data.push_post(author, &record);
    Ok(())
}
