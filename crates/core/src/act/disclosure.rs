//! Disclosure dataset: a removed network published in the Information Operations archive
//! format (2020 column order), with small accounts' identities replaced by a keyed hash.
//!
//! The rule is the archive's: an account with fewer followers than the threshold (default
//! 5,000) is identified by `base64(HMAC-SHA-256(key, user id))` in `userid`,
//! `user_display_name` and `user_screen_name` (all three the same hash), and every reference
//! to it (`in_reply_to_userid`, `retweet_userid`, the ids in `user_mentions`) carries the
//! same hash, so the published network keeps its structure. Tweet ids are kept. An account
//! whose follower count is unknown is hashed too; one the input already identifies by a hash
//! keeps it (a hash is never hashed again). `@handles` of hashed accounts are replaced in
//! `tweet_text` as well (a departure from the archive, which left texts alone: see
//! [`POLICY_TEXT`]).
//!
//! [`write_disclosure`] writes `<name>_users_csv_hashed.csv`, `<name>_tweets_csv_hashed.csv`
//! (every field quoted, as the archive does) and `manifest.json`, which records the policy,
//! the counts, the key's fingerprint (never the key) and each file's SHA-256. The output is
//! byte-identical for the same dataset, network and key, and cibscan's own reader reads it
//! back (the ingest folder walk skips `manifest.json`).

use crate::ingest::parse;
use crate::model::{account_flags, AccountIdx, Dataset, PostKind, NO_ACCOUNT, NO_POST, UNKNOWN_COUNT, UNKNOWN_TIME};
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

type HmacSha256 = Hmac<Sha256>;

/// Accounts with fewer followers than this are hashed unless told otherwise.
pub const DEFAULT_THRESHOLD: u32 = 5000;
/// The shortest key accepted (128 bits).
pub const MIN_KEY_BYTES: usize = 16;
/// Longest key file read (anything longer is not a key).
pub const MAX_KEY_BYTES: usize = 4096;
/// The manifest's file name, in the output folder.
pub const MANIFEST_FILE: &str = crate::units::DISCLOSURE_MANIFEST_FILE;
/// The hashing algorithm, as the manifest names it.
pub const ALGORITHM: &str = "HMAC-SHA-256, base64";

/// Users file columns (the archive's, in its order).
pub const USERS_COLUMNS: [&str; 10] = [
    "userid",
    "user_display_name",
    "user_screen_name",
    "user_reported_location",
    "user_profile_description",
    "user_profile_url",
    "follower_count",
    "following_count",
    "account_creation_date",
    "account_language",
];

/// Tweets file columns in the 2020 order (`in_reply_to_userid` before `in_reply_to_tweetid`).
pub const TWEETS_COLUMNS: [&str; 31] = [
    "tweetid",
    "userid",
    "user_display_name",
    "user_screen_name",
    "user_reported_location",
    "user_profile_description",
    "user_profile_url",
    "follower_count",
    "following_count",
    "account_creation_date",
    "account_language",
    "tweet_language",
    "tweet_text",
    "tweet_time",
    "tweet_client_name",
    "in_reply_to_userid",
    "in_reply_to_tweetid",
    "quoted_tweet_tweetid",
    "is_retweet",
    "retweet_userid",
    "retweet_tweetid",
    "latitude",
    "longitude",
    "quote_count",
    "reply_count",
    "like_count",
    "retweet_count",
    "hashtags",
    "urls",
    "user_mentions",
    "poll_choices",
];

/// The hashing policy, as the manifest states it. `{threshold}` is filled in.
pub const POLICY_TEXT: &str = "Accounts with fewer than {threshold} followers, and accounts whose follower count is \
unknown to the publisher, are identified by a keyed hash: HMAC-SHA-256 of the account's original user id (as the source \
gave it) under the publisher's secret key, in standard base64 with padding (44 characters). The hash replaces userid, \
user_display_name and user_screen_name (all three carry the same hash, as in the 2020 archive releases) and every \
reference to the account: in_reply_to_userid, retweet_userid and the user ids in user_mentions, so the same account \
has the same hash everywhere in this release. Accounts with {threshold} or more followers keep their id, display name \
and screen name. Accounts the source already identified by a hash keep that hash (it is not hashed again). Tweet ids \
are not hashed. Location, profile description and profile URL are published as the source gave them. In tweet_text, \
@handles of hashed accounts whose screen name the publisher knew are replaced by @ followed by the account's hash; the \
archive left tweet texts unchanged, but then 'RT @handle:' prefixes and mentions undo the hashing. Handles of accounts \
known only by id cannot be replaced and stay as written. The same key gives the same hashes, so releases made with one \
key can be joined; the key is not published, only its fingerprint (the first 16 hex digits of its SHA-256).";

/// Options for [`write_disclosure`].
#[derive(Debug, Clone)]
pub struct DisclosureOptions {
    /// The secret HMAC key (at least [`MIN_KEY_BYTES`] bytes). Keep it to make later
    /// releases joinable; never publish it.
    pub key: Vec<u8>,
    /// Accounts with fewer followers than this are hashed ([`DEFAULT_THRESHOLD`]; 0 hashes
    /// only accounts with unknown follower counts, `u32::MAX` hashes every account).
    pub threshold: u32,
    /// File name prefix, e.g. the network id: `<name>_users_csv_hashed.csv`.
    pub name: String,
}

impl DisclosureOptions {
    /// Options with the default threshold.
    pub fn new(key: Vec<u8>, name: impl Into<String>) -> Self {
        DisclosureOptions { key, threshold: DEFAULT_THRESHOLD, name: name.into() }
    }
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DisclosureError {
    #[error("{path}: {error}")]
    Io { path: PathBuf, error: std::io::Error },
    #[error("{path}: {error}")]
    Csv { path: PathBuf, error: csv::Error },
    #[error("{path}: more than {MAX_KEY_BYTES} bytes: not a key file")]
    KeyFileTooLong { path: PathBuf },
    #[error("the operating system's random source failed: {0}")]
    Random(String),
    #[error("{path}: the key would be inside the folder to publish; keep it elsewhere")]
    KeyInsidePublication { path: PathBuf },
    #[error("{path}: key is {len} bytes; at least {MIN_KEY_BYTES} are needed (e.g. 32 random bytes, hex-encoded)")]
    KeyFileTooShort { path: PathBuf, len: usize },
    #[error("the key is {len} bytes; at least {MIN_KEY_BYTES} are needed")]
    KeyTooShort { len: usize },
    #[error("{path}: already exists; refusing to overwrite a key file")]
    KeyFileExists { path: PathBuf },
    #[error("invalid disclosure name {0:?}: use letters, digits, '.', '_' or '-' (not starting with '.')")]
    BadName(String),
    #[error("no accounts given for the disclosure")]
    NoMembers,
    #[error("account index {index} is not in the dataset ({accounts} accounts)")]
    BadMember { index: AccountIdx, accounts: usize },
    #[error("post {post_id}: no time, and the archive format needs tweet_time")]
    MissingTime { post_id: u64 },
    #[error("post {post_id}: {field} item {item:?} cannot be written as an archive list that reads back the same")]
    Unrepresentable { post_id: u64, field: &'static str, item: String },
    #[error("manifest: {0}")]
    Manifest(serde_json::Error),
}

// By hand rather than `#[from]`: a source would print the JSON error twice.
impl From<serde_json::Error> for DisclosureError {
    fn from(e: serde_json::Error) -> Self {
        DisclosureError::Manifest(e)
    }
}

/// What was written, with the policy and counts; also written as `manifest.json`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Manifest {
    pub tool: String,
    pub tool_version: String,
    /// The file prefix (network id).
    pub name: String,
    pub format: String,
    pub policy: Policy,
    /// First 16 hex digits of SHA-256 of the key: tells keys apart without revealing them.
    pub key_fingerprint: String,
    pub counts: Counts,
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Policy {
    pub algorithm: String,
    pub encoding: String,
    pub threshold: u32,
    /// Who is hashed, in one line.
    pub rule: String,
    pub hashed_fields: Vec<String>,
    pub unknown_followers: String,
    pub already_hashed: String,
    pub tweet_text: String,
    pub kept: String,
    /// The whole policy in prose.
    pub text: String,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// Network accounts (rows of the users file).
    pub accounts: u64,
    /// Network accounts hashed by this release (under the threshold or unknown followers).
    pub hashed_accounts: u64,
    /// Of `hashed_accounts`, those hashed because their follower count is unknown.
    pub hashed_unknown_followers: u64,
    /// Network accounts whose id the source already gave as a hash (kept as is).
    pub already_hashed_accounts: u64,
    /// Network accounts published with their id, name and screen name.
    pub accounts_in_clear: u64,
    /// Tweets (rows of the tweets file).
    pub tweets: u64,
    pub retweets: u64,
    pub replies: u64,
    pub quotes: u64,
    /// Accounts outside the network that the tweets refer to (retweeted, replied to,
    /// mentioned by id or by @handle in the text).
    pub referenced_accounts: u64,
    pub referenced_hashed: u64,
    pub referenced_hashed_unknown_followers: u64,
    pub referenced_already_hashed: u64,
    pub referenced_in_clear: u64,
    /// `@handle`s replaced by `@<hash>` in tweet texts.
    pub text_handles_replaced: u64,
    /// Quotes whose quoted tweet id is unknown: the archive format cannot mark them as
    /// quotes, so they read back as originals (or replies).
    pub quotes_without_quoted_id: u64,
    /// Tweets whose id the reader made up (the source had none, e.g. the IRA data).
    pub synthetic_tweet_ids: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FileEntry {
    pub name: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    pub bytes: u64,
    /// Data rows (the header excluded).
    pub rows: u64,
}

/// `base64(HMAC-SHA-256(key, id))`: the hash that replaces an account's id, display name
/// and screen name.
pub fn keyed_hash(key: &[u8], id: &str) -> String {
    IdHasher::new(key).hash(id)
}

/// First 16 hex digits of SHA-256 of the key.
pub fn key_fingerprint(key: &[u8]) -> String {
    crate::text::hex(&Sha256::digest(key)[..8])
}

/// Reads a key file: its raw bytes, without trailing newline characters (CR/LF). Errors if
/// fewer than [`MIN_KEY_BYTES`] bytes remain. A binary key that ends in a CR or LF byte
/// loses it: store binary keys hex- or base64-encoded (the text itself is then the key).
pub fn key_from_file(path: &Path) -> Result<Vec<u8>, DisclosureError> {
    use std::io::Read as _;
    let io = |error| DisclosureError::Io { path: path.to_path_buf(), error };
    // Bounded: `--key-file /dev/zero` (or a data file given by mistake) is not read whole.
    let mut key = Vec::new();
    std::fs::File::open(path).map_err(io)?.take(MAX_KEY_BYTES as u64 + 1).read_to_end(&mut key).map_err(io)?;
    if key.len() > MAX_KEY_BYTES {
        return Err(DisclosureError::KeyFileTooLong { path: path.to_path_buf() });
    }
    while key.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
        key.pop();
    }
    if key.len() < MIN_KEY_BYTES {
        return Err(DisclosureError::KeyFileTooShort { path: path.to_path_buf(), len: key.len() });
    }
    Ok(key)
}

/// A new key: 32 random bytes from the operating system, hex-encoded (64 ASCII bytes, 256
/// bits of entropy), so that it survives being stored in a text file and read back with
/// [`key_from_file`].
///
/// Fails only if the operating system's random source fails: there is no safe fallback.
pub fn generate_key() -> Result<Vec<u8>, DisclosureError> {
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw).map_err(|e| DisclosureError::Random(e.to_string()))?;
    Ok(crate::text::hex(&raw).into_bytes())
}

/// Where a new key for a disclosure written to `out` is saved: beside the folder, never in
/// it (`d/` and `d` both give `d.key`).
pub fn key_path_for(out: &Path) -> Result<PathBuf, DisclosureError> {
    let out = std::path::absolute(out).map_err(|error| DisclosureError::Io { path: out.to_path_buf(), error })?;
    let clean: PathBuf = out.components().collect();
    let Some(name) = clean.file_name() else {
        return Err(DisclosureError::KeyInsidePublication { path: clean.join(".key") });
    };
    let mut file = name.to_os_string();
    file.push(".key");
    Ok(clean.with_file_name(file))
}

/// Writes `key` and a newline to a new file readable only by its owner (on Unix); refuses
/// to overwrite an existing file.
pub fn write_key_file(path: &Path, key: &[u8]) -> Result<(), DisclosureError> {
    let io = |error: std::io::Error| DisclosureError::Io { path: path.to_path_buf(), error };
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            DisclosureError::KeyFileExists { path: path.to_path_buf() }
        } else {
            io(e)
        }
    })?;
    f.write_all(key).map_err(io)?;
    f.write_all(b"\n").map_err(io)?;
    f.sync_all().map_err(io)
}

/// The users and tweets file names for a disclosure called `name`.
pub fn file_names(name: &str) -> (String, String) {
    (format!("{name}_users_csv_hashed.csv"), format!("{name}_tweets_csv_hashed.csv"))
}

/// An HMAC keyed once and cloned per id.
struct IdHasher(HmacSha256);

impl IdHasher {
    fn new(key: &[u8]) -> Self {
        // HMAC takes keys of any length (long ones are hashed first), so this cannot fail.
        IdHasher(HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length")))
    }

    fn hash(&self, id: &str) -> String {
        let mut mac = self.0.clone();
        mac.update(id.as_bytes());
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    }
}

/// How an account is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Disposition {
    Clear,
    Hashed { unknown_followers: bool },
    AlreadyHashed,
}

fn disposition(data: &Dataset, a: AccountIdx, threshold: u32) -> Disposition {
    let acc = &data.accounts;
    // A referenced-only account has no flags: its key tells whether the source hashed it.
    if acc.has(a, account_flags::HASHED) || parse::looks_hashed(acc.key.get(a)) {
        return Disposition::AlreadyHashed;
    }
    match acc.followers[a as usize] {
        UNKNOWN_COUNT => Disposition::Hashed { unknown_followers: true },
        f if f < threshold => Disposition::Hashed { unknown_followers: false },
        _ => Disposition::Clear,
    }
}

fn is_handle_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `@handle` spans in a text: (position of `@`, end of the handle). An `@` right after a
/// handle character (an e-mail address) does not start a mention.
fn handle_spans(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'@', &b[i..]) {
        let at = i + p;
        let mut end = at + 1;
        while end < b.len() && is_handle_byte(b[end]) {
            end += 1;
        }
        if end > at + 1 && (at == 0 || !is_handle_byte(b[at - 1])) {
            out.push((at, end));
        }
        i = end.max(at + 1);
    }
    out
}

/// A list field the archive reader parses back into exactly `items`: `[a, b]`, or quoted
/// items when an item needs it. `None` if no spelling round-trips.
fn format_list(items: &[&str]) -> Option<String> {
    if items.is_empty() {
        return Some("[]".into());
    }
    for quote in ["", "'", "\""] {
        let mut s = String::from("[");
        for (k, it) in items.iter().enumerate() {
            if k > 0 {
                s.push_str(", ");
            }
            s.push_str(quote);
            s.push_str(it);
            s.push_str(quote);
        }
        s.push(']');
        if parse::parse_list(&s).is_ok_and(|v| v == items) {
            return Some(s);
        }
    }
    None
}

/// A writer that hashes and counts what passes through.
struct Hashing<W: Write> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

type CsvOut = csv::Writer<Hashing<std::io::BufWriter<std::fs::File>>>;

fn create_csv(path: &Path) -> Result<CsvOut, DisclosureError> {
    let f = std::fs::File::create(path).map_err(|e| DisclosureError::Io { path: path.to_path_buf(), error: e })?;
    let inner = Hashing { inner: std::io::BufWriter::with_capacity(1 << 20, f), hasher: Sha256::new(), bytes: 0 };
    Ok(csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(inner))
}

fn finish_csv(w: CsvOut, path: &Path, name: String, rows: u64) -> Result<FileEntry, DisclosureError> {
    let io = |error: std::io::Error| DisclosureError::Io { path: path.to_path_buf(), error };
    let mut h = w.into_inner().map_err(|e| io(e.into_error()))?;
    h.flush().map_err(io)?;
    h.inner.get_ref().sync_all().map_err(io)?;
    Ok(FileEntry { name, sha256: crate::text::hex(&h.hasher.finalize()), bytes: h.bytes, rows })
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

fn date(ms: i64) -> String {
    if ms == UNKNOWN_TIME {
        return String::new();
    }
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

fn count(v: u32) -> String {
    if v == UNKNOWN_COUNT {
        String::new()
    } else {
        v.to_string()
    }
}

fn post_id(v: u64) -> String {
    if v == NO_POST {
        String::new()
    } else {
        v.to_string()
    }
}

/// Writes the disclosure dataset of the network `members` (account indices) into `dir`:
/// the users file (one row per member), the tweets file (the members' posts, in dataset
/// order) and `manifest.json`. See the module documentation for the hashing rule.
pub fn write_disclosure(
    data: &Dataset,
    members: &[AccountIdx],
    dir: &Path,
    opts: &DisclosureOptions,
) -> Result<Manifest, DisclosureError> {
    if opts.key.len() < MIN_KEY_BYTES {
        return Err(DisclosureError::KeyTooShort { len: opts.key.len() });
    }
    if !valid_name(&opts.name) {
        return Err(DisclosureError::BadName(opts.name.clone()));
    }
    let n_accounts = data.accounts.len();
    let mut members: Vec<AccountIdx> = members.to_vec();
    members.sort_unstable();
    members.dedup();
    if members.is_empty() {
        return Err(DisclosureError::NoMembers);
    }
    if let Some(&bad) = members.iter().find(|&&a| a as usize >= n_accounts) {
        return Err(DisclosureError::BadMember { index: bad, accounts: n_accounts });
    }
    let mut is_member = vec![false; n_accounts];
    for &a in &members {
        is_member[a as usize] = true;
    }
    let posts = &data.posts;
    let acc = &data.accounts;
    let threshold = opts.threshold;

    // Pass 1: the members' posts, the accounts they refer to, the @handles in their texts.
    let rows: Vec<u32> =
        (0..posts.len() as u32).filter(|&r| is_member.get(posts.account[r as usize] as usize) == Some(&true)).collect();
    let mut referenced: HashSet<AccountIdx> = HashSet::new();
    let mut handles: HashSet<String> = HashSet::new();
    for &r in &rows {
        let r = r as usize;
        for a in [posts.ref_account[r], posts.reply_account[r]] {
            if a != NO_ACCOUNT {
                referenced.insert(a);
            }
        }
        referenced.extend(posts.mentions.row(r).iter().copied().filter(|&a| a != NO_ACCOUNT));
        let text = posts.text.get(r);
        for (at, end) in handle_spans(text) {
            handles.insert(text[at + 1..end].to_ascii_lowercase());
        }
    }
    // Handles in the texts that name accounts to be hashed (the first account with that
    // screen name, in dataset order, when several share it).
    let mut handle_owner: HashMap<String, AccountIdx> = HashMap::new();
    if !handles.is_empty() {
        let mut lower = String::new();
        for a in 0..n_accounts as AccountIdx {
            let Some(sn) = data.strings.opt(acc.screen_name[a as usize]) else { continue };
            let sn = sn.strip_prefix('@').unwrap_or(sn);
            if sn.is_empty() || !sn.bytes().all(is_handle_byte) {
                continue;
            }
            lower.clear();
            lower.extend(sn.chars().map(|c| c.to_ascii_lowercase()));
            if let Some(h) = handles.take(lower.as_str()) {
                handle_owner.insert(h, a);
            }
        }
        handle_owner.retain(|_, a| matches!(disposition(data, *a, threshold), Disposition::Hashed { .. }));
        referenced.extend(handle_owner.values().copied());
    }

    // Pass 2: every account's published identity.
    let hasher = IdHasher::new(&opts.key);
    let mut ident: HashMap<AccountIdx, String> = HashMap::with_capacity(referenced.len() + members.len());
    let mut counts = Counts::default();
    let mut all: Vec<AccountIdx> = referenced.iter().copied().chain(members.iter().copied()).collect();
    all.sort_unstable();
    all.dedup();
    for &a in &all {
        let d = disposition(data, a, threshold);
        let key = acc.key.get(a);
        let id = match d {
            Disposition::Hashed { .. } => hasher.hash(key),
            Disposition::Clear | Disposition::AlreadyHashed => key.to_string(),
        };
        ident.insert(a, id);
        let member = is_member[a as usize];
        let c = &mut counts;
        match (member, d) {
            (true, Disposition::Hashed { unknown_followers }) => {
                c.hashed_accounts += 1;
                c.hashed_unknown_followers += unknown_followers as u64;
            }
            (true, Disposition::AlreadyHashed) => c.already_hashed_accounts += 1,
            (true, Disposition::Clear) => c.accounts_in_clear += 1,
            (false, Disposition::Hashed { unknown_followers }) => {
                c.referenced_hashed += 1;
                c.referenced_hashed_unknown_followers += unknown_followers as u64;
            }
            (false, Disposition::AlreadyHashed) => c.referenced_already_hashed += 1,
            (false, Disposition::Clear) => c.referenced_in_clear += 1,
        }
        if !member {
            c.referenced_accounts += 1;
        }
    }
    counts.accounts = members.len() as u64;
    let id_of = |a: AccountIdx| -> &str {
        if a == NO_ACCOUNT {
            ""
        } else {
            ident.get(&a).map_or("", String::as_str)
        }
    };
    let replacement: HashMap<&str, &str> = handle_owner.iter().map(|(h, &a)| (h.as_str(), id_of(a))).collect();

    // The members' profile columns, shared by both files.
    let profiles: HashMap<AccountIdx, [String; 10]> = members
        .iter()
        .map(|&a| {
            let i = a as usize;
            let s = |id| data.strings.opt(id).unwrap_or("").to_string();
            let id = id_of(a).to_string();
            let hashed = matches!(disposition(data, a, threshold), Disposition::Hashed { .. });
            let (display, screen) =
                if hashed { (id.clone(), id.clone()) } else { (s(acc.display_name[i]), s(acc.screen_name[i])) };
            let row = [
                id,
                display,
                screen,
                s(acc.location[i]),
                s(acc.description[i]),
                s(acc.profile_url[i]),
                count(acc.followers[i]),
                count(acc.following[i]),
                date(acc.created_ms[i]),
                s(acc.language[i]),
            ];
            (a, row)
        })
        .collect();

    let dir_io = |e: std::io::Error| DisclosureError::Io { path: dir.to_path_buf(), error: e };
    std::fs::create_dir_all(dir).map_err(dir_io)?;
    let (users_name, tweets_name) = file_names(&opts.name);

    // Users file.
    let users_path = dir.join(&users_name);
    let csv_err = |path: &Path| {
        let path = path.to_path_buf();
        move |e: csv::Error| DisclosureError::Csv { path: path.clone(), error: e }
    };
    let mut w = create_csv(&users_path)?;
    w.write_record(USERS_COLUMNS).map_err(csv_err(&users_path))?;
    for a in &members {
        w.write_record(&profiles[a]).map_err(csv_err(&users_path))?;
    }
    let users_entry = finish_csv(w, &users_path, users_name, members.len() as u64)?;

    // Tweets file.
    let geo: HashMap<u32, (f32, f32)> = posts.geo.iter().map(|&(r, la, lo)| (r, (la, lo))).collect();
    let tweets_path = dir.join(&tweets_name);
    let mut w = create_csv(&tweets_path)?;
    w.write_record(TWEETS_COLUMNS).map_err(csv_err(&tweets_path))?;
    let mut rec = csv::StringRecord::with_capacity(1024, TWEETS_COLUMNS.len());
    let mut minute = (i64::MIN, String::new());
    for &row in &rows {
        let r = row as usize;
        let id = posts.id[r];
        let kind = posts.kind[r];
        let time_ms = posts.time_ms[r];
        if time_ms == UNKNOWN_TIME {
            return Err(DisclosureError::MissingTime { post_id: id });
        }
        let m = time_ms.div_euclid(60_000);
        if m != minute.0 {
            minute = (
                m,
                chrono::DateTime::from_timestamp_millis(time_ms)
                    .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_default(),
            );
        }
        match kind {
            PostKind::Retweet => counts.retweets += 1,
            PostKind::Reply => counts.replies += 1,
            PostKind::Quote => {
                counts.quotes += 1;
                if posts.ref_post[r] == NO_POST {
                    counts.quotes_without_quoted_id += 1;
                }
            }
            PostKind::Original => {}
        }
        if posts.flags[r] & crate::model::post_flags::SYNTHETIC_ID != 0 {
            counts.synthetic_tweet_ids += 1;
        }
        let text = posts.text.get(r);
        let text: Cow<'_, str> = if replacement.is_empty() {
            Cow::Borrowed(text)
        } else {
            let spans = handle_spans(text);
            let mut out = String::new();
            let mut last = 0;
            for (at, end) in spans {
                if let Some(h) = replacement.get(text[at + 1..end].to_ascii_lowercase().as_str()) {
                    out.push_str(&text[last..at + 1]);
                    out.push_str(h);
                    last = end;
                    counts.text_handles_replaced += 1;
                }
            }
            if last == 0 {
                Cow::Borrowed(text)
            } else {
                out.push_str(&text[last..]);
                Cow::Owned(out)
            }
        };
        let list = |field: &'static str, items: Vec<&str>| {
            format_list(&items).ok_or_else(|| DisclosureError::Unrepresentable {
                post_id: id,
                field,
                item: items.iter().find(|it| format_list(&[**it]).is_none()).copied().unwrap_or("").to_string(),
            })
        };
        let hashtags = list("hashtags", posts.hashtags.row(r).iter().map(|&s| data.strings.get(s)).collect())?;
        let urls = list("urls", posts.urls.row(r).iter().map(|&s| data.strings.get(s)).collect())?;
        let mentions = list("user_mentions", posts.mentions.row(r).iter().map(|&a| id_of(a)).collect())?;
        let is_retweet = kind == PostKind::Retweet;
        let (rt_user, rt_tweet) =
            if is_retweet { (id_of(posts.ref_account[r]), post_id(posts.ref_post[r])) } else { ("", String::new()) };
        let quoted = if kind == PostKind::Quote { post_id(posts.ref_post[r]) } else { String::new() };
        let (lat, lon) = match geo.get(&row) {
            Some((la, lo)) => (la.to_string(), lo.to_string()),
            None => ("absent".to_string(), "absent".to_string()),
        };
        rec.clear();
        rec.push_field(&id.to_string());
        rec.extend(profiles[&posts.account[r]].iter());
        rec.push_field(data.strings.opt(posts.lang[r]).unwrap_or(""));
        rec.push_field(&text);
        rec.push_field(&minute.1);
        rec.push_field(data.strings.opt(posts.client[r]).unwrap_or(""));
        rec.push_field(id_of(posts.reply_account[r]));
        rec.push_field(&post_id(posts.reply_post[r]));
        rec.push_field(&quoted);
        rec.push_field(if is_retweet { "true" } else { "false" });
        rec.push_field(rt_user);
        rec.push_field(&rt_tweet);
        rec.push_field(&lat);
        rec.push_field(&lon);
        rec.push_field(&count(posts.quote_count[r]));
        rec.push_field(&count(posts.reply_count[r]));
        rec.push_field(&count(posts.like_count[r]));
        rec.push_field(&count(posts.retweet_count[r]));
        rec.push_field(&hashtags);
        rec.push_field(&urls);
        rec.push_field(&mentions);
        rec.push_field("");
        w.write_record(&rec).map_err(csv_err(&tweets_path))?;
    }
    counts.tweets = rows.len() as u64;
    let tweets_entry = finish_csv(w, &tweets_path, tweets_name, rows.len() as u64)?;

    let manifest = Manifest {
        tool: "cibscan".into(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        name: opts.name.clone(),
        format: "Twitter/X Information Operations archive, 2020 column order, every field quoted, UTF-8".into(),
        policy: policy(threshold),
        key_fingerprint: key_fingerprint(&opts.key),
        counts,
        files: vec![users_entry, tweets_entry],
    };
    let mut json = serde_json::to_vec_pretty(&manifest)?;
    json.push(b'\n');
    let manifest_path = dir.join(MANIFEST_FILE);
    std::fs::write(&manifest_path, json).map_err(|e| DisclosureError::Io { path: manifest_path, error: e })?;
    Ok(manifest)
}

fn policy(threshold: u32) -> Policy {
    Policy {
        algorithm: ALGORITHM.into(),
        encoding: "base64, standard alphabet, padded (44 characters for the 32-byte MAC)".into(),
        threshold,
        rule: format!("accounts with fewer than {threshold} followers, or an unknown follower count, are hashed"),
        hashed_fields: [
            "userid",
            "user_display_name",
            "user_screen_name",
            "in_reply_to_userid",
            "retweet_userid",
            "user_mentions",
            "tweet_text @handles",
        ]
        .map(String::from)
        .to_vec(),
        unknown_followers: "hashed (treated as under the threshold)".into(),
        already_hashed: "ids the source already published as a hash are kept as they are".into(),
        tweet_text: "@handles of hashed accounts with a known screen name are replaced by @<hash>; \
            other text is unchanged (the archive left texts unchanged)"
            .into(),
        kept: "tweet ids; location, profile description and profile URL as the source gave them".into(),
        text: POLICY_TEXT.replace("{threshold}", &threshold.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PostRecord, ProfileRecord};

    const KEY: &[u8] = b"0123456789abcdef-test-key";

    #[test]
    fn hmac_sha256_rfc4231_case_2() {
        // RFC 4231 test case 2: 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843.
        let h = keyed_hash(b"Jefe", "what do ya want for nothing?");
        assert_eq!(h, "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
        let bytes = base64::engine::general_purpose::STANDARD.decode(&h).unwrap();
        assert_eq!(crate::text::hex(&bytes), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assert_eq!(h.len(), 44);
        assert!(parse::looks_hashed(&h));
    }

    #[test]
    fn keys_and_fingerprints() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("key");
        std::fs::write(&p, b"0123456789abcdef\r\n").unwrap();
        assert_eq!(key_from_file(&p).unwrap(), b"0123456789abcdef");
        std::fs::write(&p, b"short\n").unwrap();
        assert!(matches!(key_from_file(&p), Err(DisclosureError::KeyFileTooShort { len: 5, .. })));
        let k1 = generate_key().unwrap();
        let k2 = generate_key().unwrap();
        assert_eq!(k1.len(), 64);
        assert!(k1.iter().all(u8::is_ascii_hexdigit));
        assert_ne!(k1, k2);
        let kp = dir.path().join("new.key");
        write_key_file(&kp, &k1).unwrap();
        assert_eq!(key_from_file(&kp).unwrap(), k1);
        assert!(matches!(write_key_file(&kp, &k2), Err(DisclosureError::KeyFileExists { .. })));
        assert_eq!(key_fingerprint(b"abc"), "ba7816bf8f01cfea"); // SHA-256("abc")
    }

    #[test]
    fn lists_round_trip_through_the_reader() {
        assert_eq!(format_list(&[]).unwrap(), "[]");
        assert_eq!(format_list(&["a", "b"]).unwrap(), "[a, b]");
        // A comma inside an item needs quotes.
        let l = format_list(&["https://example.com/a,b"]).unwrap();
        assert_eq!(parse::parse_list(&l).unwrap(), ["https://example.com/a,b"]);
        let l = format_list(&["it's", "x,y"]).unwrap();
        assert_eq!(parse::parse_list(&l).unwrap(), ["it's", "x,y"]);
    }

    #[test]
    fn handles_in_text() {
        let t = "RT @Two: hi @x_1, mail a@b.com @ alone";
        let spans: Vec<&str> = handle_spans(t).into_iter().map(|(a, e)| &t[a..e]).collect();
        assert_eq!(spans, ["@Two", "@x_1"]);
    }

    /// Tweet time 2020-02-16 10:00 UTC plus `s` seconds, as a Snowflake id.
    fn snowflake(s: i64, seq: u64) -> (u64, i64) {
        let ms = 1_581_847_200_000 + s * 1000;
        ((((ms - 1_288_834_974_657) as u64) << 22) | seq, ms)
    }

    struct Fixture {
        data: Dataset,
        members: Vec<AccountIdx>,
        ids: Vec<u64>,
    }

    fn fixture() -> Fixture {
        let mut d = Dataset::new();
        let prof = |sn: &'static str, followers: Option<u32>| ProfileRecord {
            screen_name: sn,
            display_name: sn,
            location: "Somewhere, \"quoted\"",
            description: "line one\nline two",
            followers,
            following: Some(7),
            created_ms: Some(1_500_000_000_000),
            language: "en",
            ..Default::default()
        };
        let big = d.set_profile("1001", &prof("Big_One", Some(10_000)), true);
        let small = d.set_profile("1002", &prof("two", Some(50)), true);
        let unknown = d.set_profile("1003", &prof("three", None), true);
        let outsider = d.set_profile("2001", &prof("small_other", Some(10)), true);
        let prehashed = d.set_profile(
            "Fa0nMj9dZzhLS9CHiXYwCOtryR8b6m5wMR+UQI9lQk4=",
            &ProfileRecord { hashed: true, followers: Some(3), ..prof("x", Some(3)) },
            true,
        );
        let ids: Vec<(u64, i64)> = (0..7).map(|k| snowflake(k * 37, k as u64)).collect();
        let p = |k: usize| PostRecord { id: ids[k].0, time_ms: ids[k].1, lang: "en", ..Default::default() };
        // 0: original by the small account, mentioning the big one and an outsider.
        d.push_post(
            small,
            &PostRecord {
                text: "hello @Big_One and @small_other, \"quoted\"\nnew line",
                mentions: vec!["1001", "2001"],
                hashtags: vec!["Taiwan", "台灣"],
                urls: vec!["https://example.com/a,b?x=1"],
                geo: Some((55.75, 37.62)),
                like_count: 3,
                client: "Twitter Web App",
                ..p(0)
            },
        );
        // 1: the big account retweets it.
        d.push_post(
            big,
            &PostRecord {
                kind: PostKind::Retweet,
                ref_post: ids[0].0,
                ref_account: Some("1002"),
                text: "RT @two: hello",
                mentions: vec!["1002"],
                ..p(1)
            },
        );
        // 2: the unknown-followers account replies to it.
        d.push_post(
            unknown,
            &PostRecord {
                kind: PostKind::Reply,
                reply_post: ids[0].0,
                reply_account: Some("1002"),
                text: "@two @THREE agreed",
                mentions: vec!["1002"],
                ..p(2)
            },
        );
        // 3: the small account retweets the outsider.
        d.push_post(
            small,
            &PostRecord {
                kind: PostKind::Retweet,
                ref_post: 12345,
                ref_account: Some("2001"),
                text: "RT @small_other: news",
                ..p(3)
            },
        );
        // 4: the big account quotes post 0.
        d.push_post(big, &PostRecord { kind: PostKind::Quote, ref_post: ids[0].0, text: "look", ..p(4) });
        // 5: not a member: not published.
        d.push_post(outsider, &PostRecord { text: "outside", ..p(5) });
        // 6: the pre-hashed member mentions an id known only by reference.
        d.push_post(prehashed, &PostRecord { text: "hi", mentions: vec!["3001"], ..p(6) });
        Fixture {
            data: d,
            members: vec![small, big, unknown, prehashed, small],
            ids: ids.iter().map(|x| x.0).collect(),
        }
    }

    /// Every field of a CSV file is double-quoted.
    fn all_quoted(bytes: &[u8]) -> bool {
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] != b'"' {
                return false;
            }
            i += 1;
            loop {
                match bytes.get(i) {
                    None => return false,
                    Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => break,
                    Some(_) => i += 1,
                }
            }
            i += 1;
            match bytes.get(i) {
                Some(b',') | Some(b'\n') => i += 1,
                None => {}
                Some(_) => return false,
            }
        }
        true
    }

    #[test]
    fn round_trip_through_the_reader() {
        let f = fixture();
        let dir = tempfile::tempdir().unwrap();
        let opts = DisclosureOptions::new(KEY.to_vec(), "net-1");
        let m = write_disclosure(&f.data, &f.members, dir.path(), &opts).unwrap();
        let c = &m.counts;
        assert_eq!((c.accounts, c.hashed_accounts, c.hashed_unknown_followers), (4, 2, 1));
        assert_eq!((c.already_hashed_accounts, c.accounts_in_clear, c.tweets), (1, 1, 6));
        assert_eq!((c.retweets, c.replies, c.quotes), (2, 1, 1));
        // Outsiders: 2001 (small: hashed), 3001 (unknown: hashed).
        assert_eq!((c.referenced_accounts, c.referenced_hashed, c.referenced_hashed_unknown_followers), (2, 2, 1));
        // @two (x2), @small_other (x2), @THREE; @Big_One stays.
        assert_eq!(c.text_handles_replaced, 5);
        assert_eq!(m.key_fingerprint, key_fingerprint(KEY));
        assert_eq!(m.key_fingerprint.len(), 16);
        assert!(m.policy.text.contains("fewer than 5000 followers"));

        let users = std::fs::read(dir.path().join("net-1_users_csv_hashed.csv")).unwrap();
        let tweets = std::fs::read(dir.path().join("net-1_tweets_csv_hashed.csv")).unwrap();
        assert!(all_quoted(&users) && all_quoted(&tweets));
        assert!(!all_quoted(b"\"a\",b\n"));
        assert!(tweets.starts_with(b"\"tweetid\",\"userid\",\"user_display_name\""));
        let header: Vec<String> = TWEETS_COLUMNS.iter().map(|c| format!("\"{c}\"")).collect();
        assert!(tweets.starts_with(format!("{}\n", header.join(",")).as_bytes()));
        assert_eq!(m.files[1].sha256, crate::text::hex(&Sha256::digest(&tweets)));
        assert_eq!(m.files[0].bytes, users.len() as u64);
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join(MANIFEST_FILE)).unwrap()).unwrap();
        assert_eq!(manifest["counts"]["hashed_accounts"], 2);
        assert!(!String::from_utf8_lossy(&std::fs::read(dir.path().join(MANIFEST_FILE)).unwrap())
            .contains("0123456789abcdef-test-key"));

        // Read it back with cibscan's own reader (the folder, manifest included).
        let (d, stats) =
            crate::ingest(&[dir.path().to_path_buf()], &Default::default(), &crate::progress::NoProgress).unwrap();
        assert_eq!(stats.skipped_total(), 0);
        assert_eq!(stats.files.len(), 2);
        let s = crate::ingest::Summary::new(&d, &stats);
        assert_eq!((s.accounts, s.posts, s.retweets, s.replies, s.quotes), (4, 6, 2, 1, 1));
        assert_eq!(s.hashed_accounts, 3);

        let h2 = keyed_hash(KEY, "1002");
        let h3 = keyed_hash(KEY, "1003");
        let h_out = keyed_hash(KEY, "2001");
        let h_ref = keyed_hash(KEY, "3001");
        let a = &d.accounts;
        let small = a.lookup(&h2).expect("hashed small account");
        let unknown = a.lookup(&h3).expect("hashed unknown-followers account");
        let big = a.lookup("1001").expect("big account in clear");
        let outsider = a.lookup(&h_out).expect("hashed outsider");
        assert!(a.lookup("1002").is_none() && a.lookup("1003").is_none() && a.lookup("2001").is_none());
        assert!(a.lookup(&h_ref).is_some() && a.lookup("3001").is_none());
        for (x, h) in [(small, &h2), (unknown, &h3)] {
            assert!(a.has(x, account_flags::HASHED));
            assert_eq!(d.strings.opt(a.screen_name[x as usize]), Some(h.as_str()));
            assert_eq!(d.strings.opt(a.display_name[x as usize]), Some(h.as_str()));
            // Other profile fields survive, quotes and newlines included.
            assert_eq!(d.strings.opt(a.location[x as usize]), Some("Somewhere, \"quoted\""));
            assert_eq!(d.strings.opt(a.description[x as usize]), Some("line one\nline two"));
        }
        assert_eq!(a.followers[unknown as usize], UNKNOWN_COUNT);
        assert!(!a.has(big, account_flags::HASHED));
        assert_eq!(d.strings.opt(a.screen_name[big as usize]), Some("Big_One"));
        assert_eq!(a.followers[big as usize], 10_000);
        let pre = a.lookup("Fa0nMj9dZzhLS9CHiXYwCOtryR8b6m5wMR+UQI9lQk4=").expect("pre-hashed kept");
        assert!(a.has(pre, account_flags::HASHED));

        let row = |id: u64| d.posts.id.iter().position(|&x| x == id).expect("post present");
        let p = &d.posts;
        let r0 = row(f.ids[0]);
        assert_eq!(p.account[r0], small);
        assert_eq!(p.time_ms[r0], f.data.posts.time_ms[0]);
        assert_eq!(p.text.get(r0), format!("hello @Big_One and @{h_out}, \"quoted\"\nnew line"));
        assert_eq!(p.mentions.row(r0), &[big, outsider]);
        let tags: Vec<&str> = p.hashtags.row(r0).iter().map(|&s| d.strings.get(s)).collect();
        assert_eq!(tags, ["Taiwan", "台灣"]);
        let urls: Vec<&str> = p.urls.row(r0).iter().map(|&s| d.strings.get(s)).collect();
        assert_eq!(urls, ["https://example.com/a,b?x=1"]);
        assert_eq!(p.geo, vec![(r0 as u32, 55.75, 37.62)]);
        assert_eq!(p.like_count[r0], 3);
        assert_eq!(d.strings.opt(p.client[r0]), Some("Twitter Web App"));
        let r1 = row(f.ids[1]);
        assert_eq!((p.kind[r1], p.ref_account[r1], p.ref_post[r1]), (PostKind::Retweet, small, f.ids[0]));
        assert_eq!(p.text.get(r1), format!("RT @{h2}: hello"));
        let r2 = row(f.ids[2]);
        assert_eq!((p.kind[r2], p.reply_account[r2], p.reply_post[r2]), (PostKind::Reply, small, f.ids[0]));
        assert_eq!(p.account[r2], unknown);
        assert_eq!(p.text.get(r2), format!("@{h2} @{h3} agreed"));
        let r3 = row(f.ids[3]);
        assert_eq!((p.kind[r3], p.ref_account[r3], p.ref_post[r3]), (PostKind::Retweet, outsider, 12345));
        let r4 = row(f.ids[4]);
        assert_eq!((p.kind[r4], p.ref_post[r4], p.account[r4]), (PostKind::Quote, f.ids[0], big));
        assert!(!p.id.contains(&f.ids[5]), "non-members' posts are not published");
        assert_eq!(p.account[row(f.ids[6])], pre);
    }

    #[test]
    fn deterministic_for_a_key_and_different_across_keys() {
        let f = fixture();
        let read = |dir: &Path| -> Vec<Vec<u8>> {
            let (u, t) = file_names("n");
            [u, t, MANIFEST_FILE.to_string()].iter().map(|n| std::fs::read(dir.join(n)).unwrap()).collect()
        };
        let (d1, d2, d3) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let opts = DisclosureOptions::new(KEY.to_vec(), "n");
        write_disclosure(&f.data, &f.members, d1.path(), &opts).unwrap();
        write_disclosure(&f.data, &f.members, d2.path(), &opts).unwrap();
        assert_eq!(read(d1.path()), read(d2.path()));
        let other = DisclosureOptions::new(b"another key of 16+ bytes".to_vec(), "n");
        let m3 = write_disclosure(&f.data, &f.members, d3.path(), &other).unwrap();
        let (t1, t3) = (
            String::from_utf8(read(d1.path())[1].clone()).unwrap(),
            String::from_utf8(read(d3.path())[1].clone()).unwrap(),
        );
        assert_ne!(t1, t3);
        assert!(t1.contains(&keyed_hash(KEY, "1002")) && !t3.contains(&keyed_hash(KEY, "1002")));
        assert!(t3.contains(&keyed_hash(b"another key of 16+ bytes", "1002")));
        assert!(t1.contains("\"1001\"") && t3.contains("\"1001\""));
        assert_ne!(m3.key_fingerprint, key_fingerprint(KEY));
        assert_ne!(keyed_hash(KEY, "1002"), keyed_hash(KEY, "1003"));
    }

    #[test]
    fn threshold_and_bad_options() {
        let f = fixture();
        let dir = tempfile::tempdir().unwrap();
        // Threshold 0: only unknown follower counts are hashed.
        let opts = DisclosureOptions { threshold: 0, ..DisclosureOptions::new(KEY.to_vec(), "n") };
        let m = write_disclosure(&f.data, &f.members, dir.path(), &opts).unwrap();
        assert_eq!((m.counts.hashed_accounts, m.counts.accounts_in_clear), (1, 2));
        // Every account hashed.
        let opts = DisclosureOptions { threshold: u32::MAX, ..DisclosureOptions::new(KEY.to_vec(), "n") };
        let m = write_disclosure(&f.data, &f.members, dir.path(), &opts).unwrap();
        assert_eq!((m.counts.hashed_accounts, m.counts.accounts_in_clear), (3, 0));
        let short = DisclosureOptions::new(b"short".to_vec(), "n");
        assert!(matches!(
            write_disclosure(&f.data, &f.members, dir.path(), &short),
            Err(DisclosureError::KeyTooShort { .. })
        ));
        for bad in ["", "../x", "a/b", ".hidden"] {
            let o = DisclosureOptions::new(KEY.to_vec(), bad);
            assert!(matches!(write_disclosure(&f.data, &f.members, dir.path(), &o), Err(DisclosureError::BadName(_))));
        }
        let o = DisclosureOptions::new(KEY.to_vec(), "n");
        assert!(matches!(write_disclosure(&f.data, &[999], dir.path(), &o), Err(DisclosureError::BadMember { .. })));
        assert!(matches!(write_disclosure(&f.data, &[], dir.path(), &o), Err(DisclosureError::NoMembers)));
    }
}
