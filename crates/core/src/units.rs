//! Constants every stage shares: time units, the range of plausible times, platform domains.

pub const MS_PER_MINUTE: i64 = 60_000;
pub const MS_PER_HOUR: i64 = 3_600_000;
pub const MS_PER_DAY: i64 = 86_400_000;

/// Post and account-creation times outside this range (UTC milliseconds, 2000-01-01 to
/// 2100-01-01) are a reader's `bad_time`: no social platform in the data predates 2000, and
/// a later time is a corrupted or hostile value (`i64::MAX` would make day-indexed series
/// allocate terabytes).
pub const PLAUSIBLE_TIME_MS: std::ops::Range<i64> = 946_684_800_000..4_102_444_800_000;

/// Whether a time is within [`PLAUSIBLE_TIME_MS`].
pub fn plausible_time(ms: i64) -> bool {
    PLAUSIBLE_TIME_MS.contains(&ms)
}

/// Hosting platforms, shorteners and publishing services: their URLs can be indicators, the
/// domains themselves never (a takedown does not block youtube.com).
pub const PLATFORM_DOMAINS: [&str; 16] = [
    "youtube.com",
    "youtu.be",
    "facebook.com",
    "twitter.com",
    "x.com",
    "t.co",
    "instagram.com",
    "bit.ly",
    "google.com",
    "telegra.ph",
    "t.me",
    "medium.com",
    "vk.com",
    "weibo.com",
    "tiktok.com",
    "reddit.com",
];

/// The file a disclosure folder describes itself in (`cibscan export disclosure`); input
/// folders skip it, since it holds no posts.
pub const DISCLOSURE_MANIFEST_FILE: &str = "manifest.json";
