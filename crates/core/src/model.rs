//! The dataset model: accounts, posts and the items they share, in compact columns.
//!
//! Every string that repeats (handles, languages, hashtags, URLs, client apps, labels) is
//! interned once in [`StrTable`] and referred to by a `u32` [`StrId`]. Accounts are interned
//! by their platform key (user id, hash or handle) and referred to by [`AccountIdx`]. Posts
//! are plain columns indexed by post row; lists (hashtags, URLs, mentions) are CSR columns.
//! This is the layout the shard-then-merge kernels read directly, and it converts to and
//! from Arrow record batches (see [`crate::ingest::columnar`]).
//!
//! Memory: about 100 bytes per post plus its text, so 100 million posts fit in 24 GiB.

use hashbrown::HashTable;
use xxhash_rust::xxh3::xxh3_64;

/// Index of an interned string in a [`StrTable`].
pub type StrId = u32;
/// Index of an account in [`Accounts`].
pub type AccountIdx = u32;

/// "No string": the field was empty or absent.
pub const NO_STR: StrId = u32::MAX;
/// "No account": the post refers to no account.
pub const NO_ACCOUNT: AccountIdx = u32::MAX;
/// "No post": the post refers to no other post (or the source has no post ids).
pub const NO_POST: u64 = 0;
/// A count the source did not give.
pub const UNKNOWN_COUNT: u32 = u32::MAX;
/// A time the source did not give.
pub const UNKNOWN_TIME: i64 = i64::MIN;

/// Interned strings in one buffer, with a hash index.
///
/// An index entry holds the string's place in the buffer, so a lookup touches the table
/// slot and the bytes, not the offsets array: interning runs once per field of every post,
/// and at 10 million posts the cache misses are what it costs.
#[derive(Default, Clone)]
pub struct StrTable {
    buf: String,
    ends: Vec<u64>,
    index: HashTable<Entry>,
}

#[derive(Clone, Copy)]
struct Entry {
    start: u64,
    len: u32,
    id: StrId,
}

impl std::fmt::Debug for StrTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StrTable").field("len", &self.len()).finish()
    }
}

fn entry_bytes<'b>(buf: &'b str, e: &Entry) -> &'b [u8] {
    &buf.as_bytes()[e.start as usize..e.start as usize + e.len as usize]
}

impl StrTable {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The string with this id. Panics on an id that this table did not hand out.
    pub fn get(&self, id: StrId) -> &str {
        let i = id as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.buf[start..self.ends[i] as usize]
    }

    /// The string with this id, or `None` for [`NO_STR`].
    pub fn opt(&self, id: StrId) -> Option<&str> {
        (id != NO_STR).then(|| self.get(id))
    }

    pub fn lookup(&self, s: &str) -> Option<StrId> {
        let h = xxh3_64(s.as_bytes());
        self.index.find(h, |e| e.len as usize == s.len() && entry_bytes(&self.buf, e) == s.as_bytes()).map(|e| e.id)
    }

    /// Interns `s`; empty strings map to [`NO_STR`].
    pub fn intern(&mut self, s: &str) -> StrId {
        if s.is_empty() {
            return NO_STR;
        }
        self.intern_nonempty(s)
    }

    /// Interns `s`, including the empty string (used for account keys, which are never empty).
    fn intern_nonempty(&mut self, s: &str) -> StrId {
        let h = xxh3_64(s.as_bytes());
        let Self { buf, ends, index } = self;
        if let Some(e) = index.find(h, |e| e.len as usize == s.len() && entry_bytes(buf, e) == s.as_bytes()) {
            return e.id;
        }
        let id = ends.len() as StrId;
        let entry = Entry { start: buf.len() as u64, len: s.len() as u32, id };
        buf.push_str(s);
        ends.push(buf.len() as u64);
        let buf = &self.buf;
        self.index.insert_unique(h, entry, |e| xxh3_64(entry_bytes(buf, e)));
        id
    }

    /// Appends `s` under a new id without indexing it: for keys found another way
    /// (numeric account ids). `lookup` will not find it.
    fn push_unindexed(&mut self, s: &str) -> StrId {
        let id = self.ends.len() as StrId;
        self.buf.push_str(s);
        self.ends.push(self.buf.len() as u64);
        id
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len() as StrId).map(|i| self.get(i))
    }

    pub fn heap_bytes(&self) -> usize {
        self.buf.capacity() + self.ends.capacity() * 8 + self.index.capacity() * 17
    }
}

/// Strings that are not interned (post texts): one buffer and end offsets.
#[derive(Debug, Default, Clone)]
pub struct TextColumn {
    buf: String,
    ends: Vec<u64>,
}

impl TextColumn {
    pub fn push(&mut self, s: &str) {
        self.buf.push_str(s);
        self.ends.push(self.buf.len() as u64);
    }
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.buf[start..self.ends[i] as usize]
    }
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    pub fn heap_bytes(&self) -> usize {
        self.buf.capacity() + self.ends.capacity() * 8
    }
}

/// A list per row, stored as one values vector and row end offsets (CSR).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ListColumn {
    pub values: Vec<u32>,
    pub ends: Vec<u32>,
}

impl ListColumn {
    pub fn push_row(&mut self, items: impl IntoIterator<Item = u32>) {
        self.values.extend(items);
        self.ends.push(self.values.len() as u32);
    }
    pub fn row(&self, i: usize) -> &[u32] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.values[start..self.ends[i] as usize]
    }
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    pub fn heap_bytes(&self) -> usize {
        (self.values.capacity() + self.ends.capacity()) * 4
    }
}

/// What a post is. A reply that quotes is a `Quote` with a reply target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum PostKind {
    Original = 0,
    Retweet = 1,
    Reply = 2,
    Quote = 3,
}

impl PostKind {
    pub fn from_u8(v: u8) -> Option<PostKind> {
        Some(match v {
            0 => PostKind::Original,
            1 => PostKind::Retweet,
            2 => PostKind::Reply,
            3 => PostKind::Quote,
            _ => return None,
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            PostKind::Original => "original",
            PostKind::Retweet => "retweet",
            PostKind::Reply => "reply",
            PostKind::Quote => "quote",
        }
    }
}

/// Account flags (bit set).
pub mod account_flags {
    /// The id, name and screen name are a hash published in place of the real ones.
    pub const HASHED: u8 = 1;
    /// The account has a profile (a users-file row or authored posts), not only references.
    pub const PROFILED: u8 = 2;
}

/// Post flags (bit set).
pub mod post_flags {
    /// The post id was made up by the reader (the source has no post ids).
    pub const SYNTHETIC_ID: u8 = 1;
    /// The millisecond time was recovered from a Snowflake id.
    pub const SNOWFLAKE_TIME: u8 = 2;
}

/// A key that is a canonical decimal number (no leading zero, fits u64): most platform
/// user ids. Looking these up by value is one cache miss instead of three.
fn numeric_key(key: &str) -> Option<u64> {
    let b = key.as_bytes();
    if b.is_empty() || b.len() > 19 || (b[0] == b'0' && b.len() > 1) || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u64, |a, &d| a * 10 + (d - b'0') as u64))
}

/// Account columns, indexed by [`AccountIdx`].
#[derive(Debug, Default, Clone)]
pub struct Accounts {
    /// Platform key: user id, published hash, or (for sources without reliable ids) handle.
    /// Numeric keys are found through `numeric`, others through the table's index.
    pub key: StrTable,
    numeric: hashbrown::HashMap<u64, AccountIdx>,
    pub screen_name: Vec<StrId>,
    pub display_name: Vec<StrId>,
    pub location: Vec<StrId>,
    pub description: Vec<StrId>,
    pub profile_url: Vec<StrId>,
    pub followers: Vec<u32>,
    pub following: Vec<u32>,
    /// Creation time, UTC milliseconds, or [`UNKNOWN_TIME`].
    pub created_ms: Vec<i64>,
    pub language: Vec<StrId>,
    /// A label from the source (e.g. the IRA data's `account_category`).
    pub label: Vec<StrId>,
    pub flags: Vec<u8>,
}

impl Accounts {
    pub fn len(&self) -> usize {
        self.flags.len()
    }
    pub fn is_empty(&self) -> bool {
        self.flags.is_empty()
    }

    /// The account for `key`, created (without a profile) if new.
    pub fn intern(&mut self, key: &str) -> AccountIdx {
        let before = self.key.len();
        let idx = match numeric_key(key) {
            Some(n) => match self.numeric.entry(n) {
                hashbrown::hash_map::Entry::Occupied(e) => *e.get(),
                hashbrown::hash_map::Entry::Vacant(e) => *e.insert(self.key.push_unindexed(key)),
            },
            None => self.key.intern_nonempty(key),
        };
        if self.key.len() > before {
            self.screen_name.push(NO_STR);
            self.display_name.push(NO_STR);
            self.location.push(NO_STR);
            self.description.push(NO_STR);
            self.profile_url.push(NO_STR);
            self.followers.push(UNKNOWN_COUNT);
            self.following.push(UNKNOWN_COUNT);
            self.created_ms.push(UNKNOWN_TIME);
            self.language.push(NO_STR);
            self.label.push(NO_STR);
            self.flags.push(0);
        }
        idx
    }

    pub fn lookup(&self, key: &str) -> Option<AccountIdx> {
        match numeric_key(key) {
            Some(n) => self.numeric.get(&n).copied(),
            None => self.key.lookup(key),
        }
    }

    pub fn has(&self, idx: AccountIdx, flag: u8) -> bool {
        self.flags[idx as usize] & flag != 0
    }

    pub fn heap_bytes(&self) -> usize {
        self.key.heap_bytes() + self.flags.capacity() * (4 * 8 + 8 + 1)
    }
}

/// Post columns, indexed by post row.
#[derive(Debug, Default, Clone)]
pub struct Posts {
    /// Platform post id, or a synthetic one (see [`post_flags::SYNTHETIC_ID`]).
    pub id: Vec<u64>,
    pub account: Vec<AccountIdx>,
    /// UTC milliseconds.
    pub time_ms: Vec<i64>,
    pub kind: Vec<PostKind>,
    /// Retweeted or quoted post id, or [`NO_POST`].
    pub ref_post: Vec<u64>,
    /// Author of the retweeted or quoted post, or [`NO_ACCOUNT`].
    pub ref_account: Vec<AccountIdx>,
    pub reply_post: Vec<u64>,
    pub reply_account: Vec<AccountIdx>,
    pub lang: Vec<StrId>,
    pub client: Vec<StrId>,
    pub text: TextColumn,
    pub hashtags: ListColumn,
    pub urls: ListColumn,
    /// Mentioned accounts.
    pub mentions: ListColumn,
    pub quote_count: Vec<u32>,
    pub reply_count: Vec<u32>,
    pub like_count: Vec<u32>,
    pub retweet_count: Vec<u32>,
    /// Sparse: (post row, latitude, longitude) for the few geotagged posts.
    pub geo: Vec<(u32, f32, f32)>,
    pub flags: Vec<u8>,
    /// While a reader fills the columns: the ids seen, so that a post given again is not
    /// stored twice (a file of repeated rows must not grow memory). `None` otherwise.
    seen_ids: Option<hashbrown::HashSet<u64>>,
    /// Posts not stored because their id had been seen.
    skipped_duplicates: u64,
}

impl Posts {
    /// Reserves room for `n` more posts in every per-post column.
    pub fn reserve(&mut self, n: usize) {
        self.id.reserve_exact(n);
        self.account.reserve_exact(n);
        self.time_ms.reserve_exact(n);
        self.kind.reserve_exact(n);
        self.ref_post.reserve_exact(n);
        self.ref_account.reserve_exact(n);
        self.reply_post.reserve_exact(n);
        self.reply_account.reserve_exact(n);
        self.lang.reserve_exact(n);
        self.client.reserve_exact(n);
        self.text.ends.reserve_exact(n);
        self.hashtags.ends.reserve_exact(n);
        self.urls.ends.reserve_exact(n);
        self.mentions.ends.reserve_exact(n);
        self.quote_count.reserve_exact(n);
        self.reply_count.reserve_exact(n);
        self.like_count.reserve_exact(n);
        self.retweet_count.reserve_exact(n);
        self.flags.reserve_exact(n);
    }

    pub fn len(&self) -> usize {
        self.id.len()
    }
    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// From now on, a post whose id was pushed before is not stored again (and counted).
    pub fn track_ids(&mut self) {
        self.seen_ids = Some(self.id.iter().copied().collect());
    }

    /// Stops [`Posts::track_ids`]; returns how many posts it kept out.
    pub fn untrack_ids(&mut self) -> u64 {
        self.seen_ids = None;
        std::mem::take(&mut self.skipped_duplicates)
    }

    /// Keeps the rows `keep` marks, in order.
    pub fn retain_rows(&mut self, keep: &[bool]) {
        fn col<T: Copy>(v: &mut Vec<T>, keep: &[bool]) {
            let mut k = keep.iter();
            v.retain(|_| *k.next().unwrap_or(&true));
        }
        fn list(c: &mut ListColumn, keep: &[bool]) {
            let mut out = ListColumn::default();
            for (i, _) in keep.iter().enumerate().filter(|(_, k)| **k) {
                out.push_row(c.row(i).iter().copied());
            }
            *c = out;
        }
        col(&mut self.id, keep);
        col(&mut self.account, keep);
        col(&mut self.time_ms, keep);
        col(&mut self.kind, keep);
        col(&mut self.ref_post, keep);
        col(&mut self.ref_account, keep);
        col(&mut self.reply_post, keep);
        col(&mut self.reply_account, keep);
        col(&mut self.lang, keep);
        col(&mut self.client, keep);
        let mut text = TextColumn::default();
        for (i, _) in keep.iter().enumerate().filter(|(_, k)| **k) {
            text.push(self.text.get(i));
        }
        self.text = text;
        list(&mut self.hashtags, keep);
        list(&mut self.urls, keep);
        list(&mut self.mentions, keep);
        col(&mut self.quote_count, keep);
        col(&mut self.reply_count, keep);
        col(&mut self.like_count, keep);
        col(&mut self.retweet_count, keep);
        col(&mut self.flags, keep);
        // Geotags follow their rows' new positions.
        let mut new_row = Vec::with_capacity(keep.len());
        let mut next = 0u32;
        for &k in keep {
            new_row.push(next);
            next += k as u32;
        }
        self.geo.retain(|g| keep.get(g.0 as usize).copied().unwrap_or(false));
        for g in &mut self.geo {
            g.0 = new_row[g.0 as usize];
        }
    }

    /// Removes posts whose id an earlier row already has (the same post read twice: a file
    /// given twice, `x.csv` beside `x.csv.gz`); returns how many were removed.
    pub fn dedupe_ids(&mut self) -> u64 {
        let mut seen = hashbrown::HashSet::with_capacity(self.len());
        let keep: Vec<bool> = self.id.iter().map(|&id| seen.insert(id)).collect();
        let removed = keep.iter().filter(|k| !**k).count() as u64;
        if removed > 0 {
            self.retain_rows(&keep);
        }
        removed
    }

    pub fn heap_bytes(&self) -> usize {
        self.id.capacity() * (8 * 4 + 4 * 9 + 2)
            + self.text.heap_bytes()
            + self.hashtags.heap_bytes()
            + self.urls.heap_bytes()
            + self.mentions.heap_bytes()
            + self.geo.capacity() * 12
    }
}

/// One post as a reader produces it, before interning.
#[derive(Debug, Clone, PartialEq)]
pub struct PostRecord<'a> {
    pub id: u64,
    pub time_ms: i64,
    pub kind: PostKind,
    pub ref_post: u64,
    pub ref_account: Option<&'a str>,
    pub reply_post: u64,
    pub reply_account: Option<&'a str>,
    pub lang: &'a str,
    pub client: &'a str,
    pub text: &'a str,
    pub hashtags: Vec<&'a str>,
    pub urls: Vec<&'a str>,
    /// Mentioned account keys.
    pub mentions: Vec<&'a str>,
    pub quote_count: u32,
    pub reply_count: u32,
    pub like_count: u32,
    pub retweet_count: u32,
    pub geo: Option<(f32, f32)>,
    pub flags: u8,
}

impl Default for PostRecord<'_> {
    fn default() -> Self {
        PostRecord {
            id: NO_POST,
            time_ms: UNKNOWN_TIME,
            kind: PostKind::Original,
            ref_post: NO_POST,
            ref_account: None,
            reply_post: NO_POST,
            reply_account: None,
            lang: "",
            client: "",
            text: "",
            hashtags: Vec::new(),
            urls: Vec::new(),
            mentions: Vec::new(),
            quote_count: UNKNOWN_COUNT,
            reply_count: UNKNOWN_COUNT,
            like_count: UNKNOWN_COUNT,
            retweet_count: UNKNOWN_COUNT,
            geo: None,
            flags: 0,
        }
    }
}

/// An account profile as a reader produces it. Empty strings and `None` mean "not given".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileRecord<'a> {
    pub screen_name: &'a str,
    pub display_name: &'a str,
    pub location: &'a str,
    pub description: &'a str,
    pub profile_url: &'a str,
    pub followers: Option<u32>,
    pub following: Option<u32>,
    pub created_ms: Option<i64>,
    pub language: &'a str,
    pub label: &'a str,
    pub hashed: bool,
}

/// Post id → row, to resolve references (the retweeted, quoted or replied-to post) once for
/// every stage that needs them.
#[derive(Debug, Default)]
pub struct PostIndex {
    rows: hashbrown::HashMap<u64, u32>,
}

impl PostIndex {
    pub fn new(posts: &Posts) -> PostIndex {
        let mut rows = hashbrown::HashMap::with_capacity(posts.len());
        for (i, &id) in posts.id.iter().enumerate() {
            if id != NO_POST {
                rows.insert(id, i as u32);
            }
        }
        PostIndex { rows }
    }

    /// The row of post `id`, if the data holds it.
    pub fn row(&self, id: u64) -> Option<usize> {
        self.rows.get(&id).map(|&r| r as usize)
    }

    /// The author of post `id`, or [`NO_ACCOUNT`].
    pub fn author(&self, posts: &Posts, id: u64) -> AccountIdx {
        self.row(id).map_or(NO_ACCOUNT, |r| posts.account[r])
    }
}

/// The whole dataset.
#[derive(Debug, Default, Clone)]
pub struct Dataset {
    /// Interned short strings: handles, names, languages, clients, hashtags, URLs, labels.
    pub strings: StrTable,
    pub accounts: Accounts,
    pub posts: Posts,
}

impl Dataset {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the profile of an account. With `overwrite` false, only fields not yet known are
    /// filled (a tweets file repeats the profile; a users file is authoritative).
    pub fn set_profile(&mut self, key: &str, p: &ProfileRecord<'_>, overwrite: bool) -> AccountIdx {
        let idx = self.accounts.intern(key);
        let i = idx as usize;
        let a = &mut self.accounts;
        let s = &mut self.strings;
        let first = a.flags[i] & account_flags::PROFILED == 0;
        let take = overwrite || first;
        macro_rules! set_str {
            ($col:ident, $v:expr) => {
                if !$v.is_empty() && (take || a.$col[i] == NO_STR) {
                    a.$col[i] = s.intern($v);
                }
            };
        }
        set_str!(screen_name, p.screen_name);
        set_str!(display_name, p.display_name);
        set_str!(location, p.location);
        set_str!(description, p.description);
        set_str!(profile_url, p.profile_url);
        set_str!(language, p.language);
        set_str!(label, p.label);
        if let Some(v) = p.followers {
            if take || a.followers[i] == UNKNOWN_COUNT {
                a.followers[i] = v;
            }
        }
        if let Some(v) = p.following {
            if take || a.following[i] == UNKNOWN_COUNT {
                a.following[i] = v;
            }
        }
        if let Some(v) = p.created_ms {
            if take || a.created_ms[i] == UNKNOWN_TIME {
                a.created_ms[i] = v;
            }
        }
        if p.hashed {
            a.flags[i] |= account_flags::HASHED;
        }
        a.flags[i] |= account_flags::PROFILED;
        idx
    }

    /// Appends a post by the account `author`.
    pub fn push_post(&mut self, author: AccountIdx, r: &PostRecord<'_>) {
        if let Some(seen) = &mut self.posts.seen_ids {
            if !seen.insert(r.id) {
                self.posts.skipped_duplicates += 1;
                return;
            }
        }
        let row = self.posts.len() as u32;
        let ref_account = r.ref_account.map_or(NO_ACCOUNT, |k| self.accounts.intern(k));
        let reply_account = r.reply_account.map_or(NO_ACCOUNT, |k| self.accounts.intern(k));
        let lang = self.strings.intern(r.lang);
        let client = self.strings.intern(r.client);
        let Dataset { strings, accounts, posts } = self;
        posts.id.push(r.id);
        posts.account.push(author);
        posts.time_ms.push(r.time_ms);
        posts.kind.push(r.kind);
        posts.ref_post.push(r.ref_post);
        posts.ref_account.push(ref_account);
        posts.reply_post.push(r.reply_post);
        posts.reply_account.push(reply_account);
        posts.lang.push(lang);
        posts.client.push(client);
        posts.text.push(r.text);
        posts.hashtags.push_row(r.hashtags.iter().filter(|t| !t.is_empty()).map(|t| strings.intern(t)));
        posts.urls.push_row(r.urls.iter().filter(|u| !u.is_empty()).map(|u| strings.intern(u)));
        posts.mentions.push_row(r.mentions.iter().filter(|m| !m.is_empty()).map(|m| accounts.intern(m)));
        posts.quote_count.push(r.quote_count);
        posts.reply_count.push(r.reply_count);
        posts.like_count.push(r.like_count);
        posts.retweet_count.push(r.retweet_count);
        if let Some((lat, lon)) = r.geo {
            posts.geo.push((row, lat, lon));
        }
        posts.flags.push(r.flags);
    }

    /// Accounts with a profile (users-file rows or authors), as opposed to accounts that
    /// are only referenced (retweeted, replied to, mentioned).
    pub fn profiled_accounts(&self) -> impl Iterator<Item = AccountIdx> + '_ {
        (0..self.accounts.len() as AccountIdx).filter(|&a| self.accounts.has(a, account_flags::PROFILED))
    }

    /// Releases the spare capacity that growing the columns left behind (up to half of it).
    pub fn shrink_to_fit(&mut self) {
        let p = &mut self.posts;
        p.id.shrink_to_fit();
        p.account.shrink_to_fit();
        p.time_ms.shrink_to_fit();
        p.kind.shrink_to_fit();
        p.ref_post.shrink_to_fit();
        p.ref_account.shrink_to_fit();
        p.reply_post.shrink_to_fit();
        p.reply_account.shrink_to_fit();
        p.lang.shrink_to_fit();
        p.client.shrink_to_fit();
        p.text.buf.shrink_to_fit();
        p.text.ends.shrink_to_fit();
        for l in [&mut p.hashtags, &mut p.urls, &mut p.mentions] {
            l.values.shrink_to_fit();
            l.ends.shrink_to_fit();
        }
        p.quote_count.shrink_to_fit();
        p.reply_count.shrink_to_fit();
        p.like_count.shrink_to_fit();
        p.retweet_count.shrink_to_fit();
        p.geo.shrink_to_fit();
        p.flags.shrink_to_fit();
        self.strings.buf.shrink_to_fit();
        self.strings.ends.shrink_to_fit();
    }

    /// Approximate heap size in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.strings.heap_bytes() + self.accounts.heap_bytes() + self.posts.heap_bytes()
    }

    /// Appends every account and post of `other`, re-interning its strings and accounts.
    /// With `overwrite`, `other`'s profiles win for fields both give (it is a users file);
    /// otherwise they only fill fields not known here.
    pub fn append(&mut self, other: &Dataset, overwrite: bool) {
        let o = &other.accounts;
        let os = &other.strings;
        let mut account_map = Vec::with_capacity(o.len());
        for i in 0..o.len() {
            let key = o.key.get(i as AccountIdx);
            if o.flags[i] & account_flags::PROFILED != 0 {
                let p = ProfileRecord {
                    screen_name: os.opt(o.screen_name[i]).unwrap_or(""),
                    display_name: os.opt(o.display_name[i]).unwrap_or(""),
                    location: os.opt(o.location[i]).unwrap_or(""),
                    description: os.opt(o.description[i]).unwrap_or(""),
                    profile_url: os.opt(o.profile_url[i]).unwrap_or(""),
                    followers: (o.followers[i] != UNKNOWN_COUNT).then_some(o.followers[i]),
                    following: (o.following[i] != UNKNOWN_COUNT).then_some(o.following[i]),
                    created_ms: (o.created_ms[i] != UNKNOWN_TIME).then_some(o.created_ms[i]),
                    language: os.opt(o.language[i]).unwrap_or(""),
                    label: os.opt(o.label[i]).unwrap_or(""),
                    hashed: o.flags[i] & account_flags::HASHED != 0,
                };
                account_map.push(self.set_profile(key, &p, overwrite));
            } else {
                account_map.push(self.accounts.intern(key));
            }
        }
        let mut str_map = vec![NO_STR; os.len()];
        for (i, s) in os.iter().enumerate() {
            str_map[i] = self.strings.intern(s);
        }
        let map_s = |id: StrId| if id == NO_STR { NO_STR } else { str_map[id as usize] };
        let map_a = |id: AccountIdx| if id == NO_ACCOUNT { NO_ACCOUNT } else { account_map[id as usize] };
        let op = &other.posts;
        let base = self.posts.len() as u32;
        let p = &mut self.posts;
        p.id.extend_from_slice(&op.id);
        p.account.extend(op.account.iter().map(|&a| map_a(a)));
        p.time_ms.extend_from_slice(&op.time_ms);
        p.kind.extend_from_slice(&op.kind);
        p.ref_post.extend_from_slice(&op.ref_post);
        p.ref_account.extend(op.ref_account.iter().map(|&a| map_a(a)));
        p.reply_post.extend_from_slice(&op.reply_post);
        p.reply_account.extend(op.reply_account.iter().map(|&a| map_a(a)));
        p.lang.extend(op.lang.iter().map(|&s| map_s(s)));
        p.client.extend(op.client.iter().map(|&s| map_s(s)));
        for i in 0..op.len() {
            p.text.push(op.text.get(i));
            p.hashtags.push_row(op.hashtags.row(i).iter().map(|&s| map_s(s)));
            p.urls.push_row(op.urls.row(i).iter().map(|&s| map_s(s)));
            p.mentions.push_row(op.mentions.row(i).iter().map(|&a| map_a(a)));
        }
        p.quote_count.extend_from_slice(&op.quote_count);
        p.reply_count.extend_from_slice(&op.reply_count);
        p.like_count.extend_from_slice(&op.like_count);
        p.retweet_count.extend_from_slice(&op.retweet_count);
        p.geo.extend(op.geo.iter().map(|&(r, la, lo)| (r + base, la, lo)));
        p.flags.extend_from_slice(&op.flags);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_is_stable_and_dedups() {
        let mut t = StrTable::default();
        let a = t.intern("alpha");
        let b = t.intern("бета");
        assert_eq!(t.intern("alpha"), a);
        assert_ne!(a, b);
        assert_eq!(t.get(b), "бета");
        assert_eq!(t.intern(""), NO_STR);
        assert_eq!(t.lookup("бета"), Some(b));
        assert_eq!(t.lookup("gamma"), None);
        for i in 0..10_000 {
            t.intern(&format!("s{i}"));
        }
        assert_eq!(t.get(a), "alpha");
        assert_eq!(t.lookup("s9999").map(|i| t.get(i)), Some("s9999"));
    }

    #[test]
    fn numeric_and_textual_account_keys_never_collide() {
        let mut a = Accounts::default();
        let n = a.intern("123");
        let z = a.intern("0123");
        let h = a.intern("Fa0nMj9dZ+zhLS9CHiXYwCOtryR8b6m5wMR+UQI9lQ=");
        let big = a.intern("18446744073709551615"); // 20 digits: kept as text
        assert_eq!(a.len(), 4);
        assert_ne!(n, z);
        assert_eq!(a.intern("123"), n);
        assert_eq!(a.lookup("0123"), Some(z));
        assert_eq!(a.lookup("18446744073709551615"), Some(big));
        assert_eq!(a.lookup("124"), None);
        assert_eq!(a.key.get(h), "Fa0nMj9dZ+zhLS9CHiXYwCOtryR8b6m5wMR+UQI9lQ=");
        assert_eq!(a.key.get(n), "123");
    }

    #[test]
    fn users_file_profile_wins_over_tweet_copies() {
        let mut d = Dataset::new();
        let p1 = ProfileRecord { screen_name: "old", followers: Some(1), ..Default::default() };
        let p2 = ProfileRecord { screen_name: "new", followers: Some(2), ..Default::default() };
        let a = d.set_profile("42", &p1, false);
        d.set_profile("42", &p2, false);
        assert_eq!(d.strings.get(d.accounts.screen_name[a as usize]), "old");
        d.set_profile("42", &p2, true);
        assert_eq!(d.strings.get(d.accounts.screen_name[a as usize]), "new");
        assert_eq!(d.accounts.followers[a as usize], 2);
    }

    #[test]
    fn append_remaps_ids() {
        let mut a = Dataset::new();
        let x = a.set_profile("x", &ProfileRecord::default(), true);
        a.push_post(x, &PostRecord { id: 1, hashtags: vec!["h1"], text: "one", ..Default::default() });
        let mut b = Dataset::new();
        let y = b.set_profile("y", &ProfileRecord::default(), true);
        b.push_post(
            y,
            &PostRecord { id: 2, hashtags: vec!["h2", "h1"], mentions: vec!["x"], text: "two", ..Default::default() },
        );
        a.append(&b, false);
        assert_eq!(a.posts.len(), 2);
        assert_eq!(a.accounts.len(), 2);
        let tags: Vec<&str> = a.posts.hashtags.row(1).iter().map(|&s| a.strings.get(s)).collect();
        assert_eq!(tags, ["h2", "h1"]);
        assert_eq!(a.posts.mentions.row(1), &[x]);
        assert_eq!(a.posts.text.get(1), "two");
    }
}
