//! Information Operations archive CSVs: users files (10 columns) and tweets files
//! (31 columns, either reply-column order), by header name.

use super::csvio::{for_each_prepared, for_each_record, Fields, Header, Span};
use super::{Ctx, FileKind, IngestError, Input, SkipReason};
use crate::ingest::parse::{self, looks_hashed};
use crate::model::{post_flags, Dataset, PostKind, PostRecord, ProfileRecord};
use std::path::Path;

type Skip = (SkipReason, String);

fn skip(reason: SkipReason, field: &str, value: &str) -> Skip {
    let shown: String = value.chars().take(60).collect();
    (reason, format!("{field} = {shown:?}"))
}

/// Column positions of the profile fields, shared by users and tweets files.
#[derive(Clone, Copy)]
struct ProfileCols {
    userid: usize,
    display_name: Option<usize>,
    screen_name: Option<usize>,
    location: Option<usize>,
    description: Option<usize>,
    url: Option<usize>,
    followers: Option<usize>,
    following: Option<usize>,
    created: Option<usize>,
    language: Option<usize>,
}

impl ProfileCols {
    fn new(h: &Header, path: &Path, kind: FileKind) -> Result<Self, IngestError> {
        Ok(ProfileCols {
            userid: h.require(path, "userid", kind)?,
            display_name: h.pos("user_display_name"),
            screen_name: h.pos("user_screen_name"),
            location: h.pos("user_reported_location"),
            description: h.pos("user_profile_description"),
            url: h.pos("user_profile_url"),
            followers: h.pos("follower_count"),
            following: h.pos("following_count"),
            created: h.pos("account_creation_date"),
            language: h.pos("account_language"),
        })
    }

    /// The account key and its profile from one record.
    fn read<'r>(&self, r: &Fields<'r>) -> Result<(&'r str, ProfileRecord<'r>), Skip> {
        let key = r.at(self.userid).trim_ascii();
        if key.is_empty() {
            return Err((SkipReason::MissingAccount, "empty userid".into()));
        }
        parse::check_key(key, "userid")?;
        let count = |col: Option<usize>, name: &str| {
            let v = r.get(col);
            parse::parse_count(v).map_err(|e| skip(e, name, v))
        };
        let created = r.get(self.created);
        let created_ms = if created.trim_ascii().is_empty() {
            None
        } else {
            Some(parse::parse_time(created).map_err(|e| skip(e, "account_creation_date", created))?)
        };
        Ok((
            key,
            ProfileRecord {
                screen_name: r.get(self.screen_name),
                display_name: r.get(self.display_name),
                location: r.get(self.location),
                description: r.get(self.description),
                profile_url: r.get(self.url),
                followers: count(self.followers, "follower_count")?,
                following: count(self.following, "following_count")?,
                created_ms,
                language: r.get(self.language),
                label: "",
                hashed: looks_hashed(key),
            },
        ))
    }
}

/// Counts above what a platform reports were clamped by `parse_count`: say so.
fn warn_counts(ctx: &Ctx<'_>, p: &ProfileRecord<'_>) {
    if [p.followers, p.following].contains(&Some(u32::MAX - 1)) {
        ctx.warn("count_out_of_range");
    }
}

pub(crate) fn read_users(
    path: &Path,
    input: Input<'_>,
    ctx: &Ctx<'_>,
    data: &mut Dataset,
) -> Result<(u64, u64), IngestError> {
    for_each_record(
        path,
        input,
        ctx,
        |h| ProfileCols::new(h, path, FileKind::ArchiveUsers),
        |cols, r, _| {
            let (key, profile) = cols.read(r)?;
            if data.accounts.lookup(key).is_some_and(|a| data.accounts.has(a, crate::model::account_flags::PROFILED)) {
                ctx.warn("duplicate_profile");
            }
            warn_counts(ctx, &profile);
            data.set_profile(key, &profile, true);
            Ok(())
        },
    )
}

struct TweetCols {
    profile: ProfileCols,
    tweetid: usize,
    tweet_language: Option<usize>,
    text: Option<usize>,
    time: usize,
    client: Option<usize>,
    reply_user: Option<usize>,
    reply_tweet: Option<usize>,
    quoted: Option<usize>,
    is_retweet: Option<usize>,
    retweet_user: Option<usize>,
    retweet_tweet: Option<usize>,
    lat: Option<usize>,
    lon: Option<usize>,
    quote_count: Option<usize>,
    reply_count: Option<usize>,
    like_count: Option<usize>,
    retweet_count: Option<usize>,
    hashtags: Option<usize>,
    urls: Option<usize>,
    mentions: Option<usize>,
}

pub(crate) fn read_tweets(
    path: &Path,
    input: Input<'_>,
    ctx: &Ctx<'_>,
    data: &mut Dataset,
) -> Result<(u64, u64), IngestError> {
    let kind = FileKind::ArchiveTweets;
    for_each_prepared(
        path,
        input,
        ctx,
        |h| {
            Ok(TweetCols {
                profile: ProfileCols::new(h, path, kind)?,
                tweetid: h.require(path, "tweetid", kind)?,
                tweet_language: h.pos("tweet_language"),
                text: h.pos("tweet_text"),
                time: h.require(path, "tweet_time", kind)?,
                client: h.pos("tweet_client_name"),
                reply_user: h.pos("in_reply_to_userid"),
                reply_tweet: h.pos("in_reply_to_tweetid"),
                quoted: h.pos("quoted_tweet_tweetid"),
                is_retweet: h.pos("is_retweet"),
                retweet_user: h.pos("retweet_userid"),
                retweet_tweet: h.pos("retweet_tweetid"),
                lat: h.pos("latitude"),
                lon: h.pos("longitude"),
                quote_count: h.pos("quote_count"),
                reply_count: h.pos("reply_count"),
                like_count: h.pos("like_count"),
                retweet_count: h.pos("retweet_count"),
                hashtags: h.pos("hashtags"),
                urls: h.pos("urls"),
                mentions: h.pos("user_mentions"),
            })
        },
        |c, r| tweet(c, r).map(|post| Prepared::new(r, &post)),
        |c, r, prepared, _| {
            let key = r.at(c.profile.userid).trim_ascii();
            let post = prepared.resolve(r);
            // Tweet rows repeat the profile; the first copy (or the users file) wins, so
            // the profile fields are only parsed for an account's first row.
            let author = match data.accounts.lookup(key) {
                Some(a) if data.accounts.has(a, crate::model::account_flags::PROFILED) => a,
                _ => {
                    let (key, profile) = c.profile.read(r)?;
                    warn_counts(ctx, &profile);
                    data.set_profile(key, &profile, false)
                }
            };
            data.push_post(author, &post);
            Ok(())
        },
    )
}

fn tweet<'r>(c: &TweetCols, r: &Fields<'r>) -> Result<PostRecord<'r>, Skip> {
    let id_s = r.at(c.tweetid);
    let id = parse::parse_id(id_s).map_err(|e| skip(e, "tweetid", id_s))?;
    let time_s = r.at(c.time);
    let file_ms = parse::parse_time(time_s).map_err(|e| skip(e, "tweet_time", time_s))?;
    let (time_ms, from_id) = parse::refine_time(id, file_ms);
    let opt_id = |col: Option<usize>, name: &str| {
        let v = r.get(col);
        parse::parse_opt_id(v).map_err(|e| skip(e, name, v))
    };
    let count = |col: Option<usize>, name: &str| {
        let v = r.get(col);
        parse::parse_count(v).map(|c| c.unwrap_or(crate::model::UNKNOWN_COUNT)).map_err(|e| skip(e, name, v))
    };
    let list = |col: Option<usize>, name: &str| {
        let v = r.get(col);
        parse::parse_list(v).map_err(|e| skip(e, name, v))
    };
    let rt_s = r.get(c.is_retweet);
    let is_retweet = parse::parse_bool(rt_s).map_err(|e| skip(e, "is_retweet", rt_s))?;
    let retweet_tweet = opt_id(c.retweet_tweet, "retweet_tweetid")?;
    let quoted = opt_id(c.quoted, "quoted_tweet_tweetid")?;
    let reply_post = opt_id(c.reply_tweet, "in_reply_to_tweetid")?;
    let nonempty = |col: Option<usize>| Some(r.get(col).trim_ascii()).filter(|s| !s.is_empty());
    let reply_account = nonempty(c.reply_user);
    let retweet_user = nonempty(c.retweet_user);
    let (kind, ref_post, ref_account) = if is_retweet || retweet_tweet != 0 {
        (PostKind::Retweet, retweet_tweet, retweet_user)
    } else if quoted != 0 {
        (PostKind::Quote, quoted, None)
    } else if reply_post != 0 || reply_account.is_some() {
        (PostKind::Reply, 0, None)
    } else {
        (PostKind::Original, 0, None)
    };
    let lat_s = r.get(c.lat);
    let lon_s = r.get(c.lon);
    let lat = parse::parse_geo(lat_s).map_err(|e| skip(e, "latitude", lat_s))?;
    let lon = parse::parse_geo(lon_s).map_err(|e| skip(e, "longitude", lon_s))?;
    Ok(PostRecord {
        id,
        time_ms,
        kind,
        ref_post,
        ref_account,
        reply_post,
        reply_account,
        lang: r.get(c.tweet_language).trim_ascii(),
        client: r.get(c.client).trim_ascii(),
        text: r.get(c.text),
        hashtags: list(c.hashtags, "hashtags")?,
        urls: list(c.urls, "urls")?,
        mentions: list(c.mentions, "user_mentions")?,
        quote_count: count(c.quote_count, "quote_count")?,
        reply_count: count(c.reply_count, "reply_count")?,
        like_count: count(c.like_count, "like_count")?,
        retweet_count: count(c.retweet_count, "retweet_count")?,
        geo: lat.zip(lon),
        flags: if from_id { post_flags::SNOWFLAKE_TIME } else { 0 },
    })
}

/// A parsed tweet whose strings are spans of its record, so parsing can run on the
/// splitting thread and only interning on the reading one.
struct Prepared {
    post: PostRecord<'static>,
    ref_account: Option<Span>,
    reply_account: Option<Span>,
    lang: Span,
    client: Span,
    text: Span,
    hashtags: Vec<Span>,
    urls: Vec<Span>,
    mentions: Vec<Span>,
}

impl Prepared {
    fn new(r: &Fields<'_>, p: &PostRecord<'_>) -> Prepared {
        let spans = |v: &[&str]| v.iter().map(|s| r.span(s)).collect();
        Prepared {
            post: PostRecord {
                ref_account: None,
                reply_account: None,
                lang: "",
                client: "",
                text: "",
                hashtags: Vec::new(),
                urls: Vec::new(),
                mentions: Vec::new(),
                ..*p
            },
            ref_account: p.ref_account.map(|s| r.span(s)),
            reply_account: p.reply_account.map(|s| r.span(s)),
            lang: r.span(p.lang),
            client: r.span(p.client),
            text: r.span(p.text),
            hashtags: spans(&p.hashtags),
            urls: spans(&p.urls),
            mentions: spans(&p.mentions),
        }
    }

    fn resolve<'r>(self, r: &Fields<'r>) -> PostRecord<'r> {
        let texts = |v: Vec<Span>| v.into_iter().map(|s| r.text(s)).collect();
        PostRecord {
            ref_account: self.ref_account.map(|s| r.text(s)),
            reply_account: self.reply_account.map(|s| r.text(s)),
            lang: r.text(self.lang),
            client: r.text(self.client),
            text: r.text(self.text),
            hashtags: texts(self.hashtags),
            urls: texts(self.urls),
            mentions: texts(self.mentions),
            ..self.post
        }
    }
}
