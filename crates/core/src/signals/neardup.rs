//! Near-duplicate texts: MinHash over character shingles, LSH banding and union-find.
//!
//! Operations post one template with small edits — a word swapped, a number changed, an emoji
//! or hashtag appended, punctuation changed — which defeats exact matching
//! ([`TraceKind::Text`](crate::signals::traces::TraceKind::Text)). Here every original, reply and quote
//! (not retweets) whose [`normalise_text`] passes the [`MIN_TEXT_CHARS`](crate::signals::traces::MIN_TEXT_CHARS)
//! rule gets a MinHash signature of its character shingles; signatures are banded into LSH
//! buckets, and within a bucket a post joins a representative whose estimated Jaccard
//! similarity reaches [`NearDupOptions::threshold`]. Union-find closes the joins into clusters
//! (checking cluster roots against each other, so they do not chain); a cluster is named by
//! its smallest post row, and every post of a cluster of two or more is
//! one trace `(cluster, time, account, post)` of kind `near_duplicate_text`.
//!
//! - **Shingles.** Characters of the normalised text, after a light per-script fold (Arabic
//!   diacritics and tatweel dropped, alef/yeh/kaf/teh-marbuta variants unified, Arabic-Indic
//!   digits to ASCII, `ё` to `е`). Alphabetic scripts (Latin, Cyrillic, Arabic, …) use
//!   [`shingle_chars`](NearDupOptions::shingle_chars) characters including the single spaces
//!   between words. Dense scripts (a post most of whose letters are CJK, kana or Hangul, the
//!   same `≥ U+2E80` rule as the length count) drop spaces — in Chinese they only mark where
//!   punctuation was — and use [`dense_shingle_chars`](NearDupOptions::dense_shingle_chars).
//! - **Signature.** One xxh3 hash per shingle (no allocation: shingles are slices of one
//!   buffer), one-permutation hashing into `hashes` bins (the minimum per bin) and optimal
//!   densification (Shrivastava 2017: an empty bin copies the first non-empty bin of a
//!   probe sequence that depends only on the bin), so a signature costs one hash per shingle
//!   instead of `hashes`. Each bin keeps the low 8 bits of its minimum (b-bit MinHash): 128
//!   bytes per post; the chance agreement of 1/256 is corrected in [`estimated_jaccard`].
//! - **Identical signatures** (exact and trivially edited copies) are joined first, by a sort
//!   on a hash of the whole signature, and only one post per signature goes on to banding.
//! - **Banding.** `bands` bands of `r = hashes / bands` bins. Per band, posts are sorted by
//!   band key (radix sort) and each run of equal keys is a bucket. In a bucket, in row order,
//!   a post is compared with up to `leaders` representatives (the first posts that matched no
//!   earlier representative) and joined to the first it agrees with; buckets larger than
//!   `max_bucket` use a single representative. Work is linear in posts × bands whatever the
//!   bucket sizes. Two posts with Jaccard `J` share a bucket in at least one band with
//!   probability `1 − (1 − J^r)^b`.
//! - **Clusters.** The joins of all bands are sorted and applied in that order to a
//!   union-find whose roots are the smallest members. A join is applied only if the roots
//!   of the two clusters it merges agree as well (for a join of two roots that is the join
//!   itself, checked in its band). Single linkage would chain a template's variants into
//!   the next template's (on simulated data, one cluster of 2,681 headlines from many
//!   templates); the check keeps each cluster near its root.
//! - **Determinism.** Signatures are per post, bands are scanned in row order, joins are
//!   applied in sorted order, clusters are named by their smallest row: the result is
//!   identical for any shard or thread count.

use crate::model::{Dataset, PostKind};
use crate::signals::traces::{normalise_text, Traces};
use rayon::prelude::*;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// Parameters of near-duplicate detection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NearDupOptions {
    /// Shingle width in characters for alphabetic scripts (spaces included). Default 5: about
    /// one word, so a swapped word changes about `len + 4` shingles of a tweet's 60-250.
    pub shingle_chars: usize,
    /// Shingle width for dense scripts (CJK, kana, Hangul; spaces dropped). Default 3: a
    /// Chinese word is one or two characters, so three spans about what five Latin letters do;
    /// bigrams are mostly single words, and posts on one topic share too many of them.
    pub dense_shingle_chars: usize,
    /// Signature length (bins of one-permutation hashing, one byte each). Default 128: the
    /// estimate of `J` around 0.6 has a standard error of about 0.045.
    pub hashes: usize,
    /// LSH bands; each has `r = hashes / bands` bins (the rest, if any, only verify).
    /// Default 25 bands of 5: a pair at `J = 0.6` meets in some band with probability 0.87,
    /// at 0.65 with 0.95, at 0.7 with 0.99 and at 0.8 with 0.99995, while pairs at 0.3 meet
    /// with 0.06 — few wasted comparisons. 32 bands of 4 catch 0.99 at `J = 0.6` but let
    /// 0.23 of pairs at 0.3 into a bucket (on 3 million synthetic posts, about 20% more time).
    pub bands: usize,
    /// Estimated Jaccard similarity (of shingle sets) at which two posts are joined. Default
    /// 0.6: one edited word or number in a tweet-length template stays above 0.7; unrelated
    /// posts on one topic stay below 0.2.
    pub threshold: f64,
    /// Representatives compared per bucket member at most. Default 4: a bucket mixing a few
    /// templates still joins each post to its own.
    pub leaders: usize,
    /// Buckets with more members than this use a single representative (one comparison per
    /// member). Default 1,000. Identical signatures are joined before banding, so only
    /// distinct texts fill buckets.
    pub max_bucket: usize,
}

impl Default for NearDupOptions {
    fn default() -> Self {
        NearDupOptions {
            shingle_chars: 5,
            dense_shingle_chars: 3,
            hashes: 128,
            bands: 25,
            threshold: 0.6,
            leaders: 4,
            max_bucket: 1000,
        }
    }
}

impl NearDupOptions {
    /// The options with every value in its valid range.
    fn checked(&self) -> NearDupOptions {
        let hashes = self.hashes.clamp(1, 4096);
        NearDupOptions {
            shingle_chars: self.shingle_chars.max(1),
            dense_shingle_chars: self.dense_shingle_chars.max(1),
            hashes,
            bands: self.bands.clamp(1, hashes),
            threshold: if self.threshold.is_nan() { 1.0 } else { self.threshold.clamp(0.0, 1.0) },
            leaders: self.leaders.max(1),
            max_bucket: self.max_bucket.max(1),
        }
    }

    /// The least number of agreeing bins whose [`estimated_jaccard`] reaches the threshold.
    fn min_agree(&self) -> usize {
        let k = self.hashes as f64;
        let need = (self.threshold * (1.0 - CHANCE) + CHANCE) * k;
        ((need - 1e-9).ceil().max(0.0) as usize).min(self.hashes)
    }
}

/// The chance that two different minima agree in their low 8 bits.
const CHANCE: f64 = 1.0 / 256.0;
const SEED_SHINGLE: u64 = 0x6e65_6172_6475_7031;
const SEED_PROBE: u64 = 0x6465_6e73_6966_7931;

/// Estimated Jaccard similarity of the shingle sets behind two signatures of equal length:
/// the share of agreeing bins, corrected for the 1/256 chance agreement of 8-bit values.
pub fn estimated_jaccard(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    let share = agree(a, b) as f64 / a.len() as f64;
    ((share - CHANCE) / (1.0 - CHANCE)).clamp(0.0, 1.0)
}

/// Number of agreeing bins: one byte compare per bin, summed in byte lanes per block of 32
/// (vectorises).
fn agree(a: &[u8], b: &[u8]) -> usize {
    let (ca, cb) = (a.chunks_exact(32), b.chunks_exact(32));
    let tail: usize = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| (x == y) as usize).sum();
    ca.zip(cb).map(|(x, y)| block_agree(x, y)).sum::<usize>() + tail
}

fn block_agree(x: &[u8], y: &[u8]) -> usize {
    let (x, y): (&[u8; 32], &[u8; 32]) = (x.try_into().expect("32 bytes"), y.try_into().expect("32 bytes"));
    (0..32).fold(0u8, |s, i| s + (x[i] == y[i]) as u8) as usize
}

/// Whether at least `need` bins agree; gives up as soon as too many disagree.
fn agrees(a: &[u8], b: &[u8], need: usize) -> bool {
    let (mut ca, mut cb) = (a.chunks_exact(32), b.chunks_exact(32));
    let mut left = a.len();
    let mut got = 0;
    for (x, y) in ca.by_ref().zip(cb.by_ref()) {
        got += block_agree(x, y);
        left -= 32;
        if got + left < need {
            return false;
        }
    }
    got + ca.remainder().iter().zip(cb.remainder()).filter(|(x, y)| x == y).count() >= need
}

/// The signature of one text, or `None` when it is too short to be evidence
/// ([`normalise_text`] rejects it).
pub fn signature(text: &str, opts: &NearDupOptions) -> Option<Vec<u8>> {
    let o = opts.checked();
    let mut out = vec![0u8; o.hashes];
    Scratch::default().signature(text, &o, &mut out).then_some(out)
}

/// splitmix64's finaliser.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Maps a 64-bit hash to `0..k` by its high bits.
fn bin(h: u64, k: usize) -> usize {
    ((h as u128 * k as u128) >> 64) as usize
}

/// Folds spelling variants that carry no meaning; `None` drops the character.
fn fold(c: char) -> Option<char> {
    if (c as u32) < 0x0451 {
        return Some(c); // Latin, Greek, most of Cyrillic: nothing to fold
    }
    Some(match c {
        // Tatweel, harakat and the superscript alef.
        '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' => return None,
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' | 'ی' => 'ي',
        'ک' => 'ك',
        'ة' => 'ه',
        '٠'..='٩' => char::from(b'0' + (c as u32 - 0x0660) as u8),
        '۰'..='۹' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
        'ё' => 'е',
        _ => c,
    })
}

/// Probes of the densification sequence kept in a table per bin (later ones are computed).
const TABLE_PROBES: usize = 8;

/// Bin probed at `attempt` (from 1) by empty bin `i`: the same for every text.
fn probe(i: usize, attempt: u64, k: usize) -> usize {
    bin(mix(SEED_PROBE ^ ((i as u64) << 32) ^ attempt), k)
}

/// Reusable buffers: a signature allocates nothing once they have grown.
#[derive(Default)]
struct Scratch {
    norm: String,
    folded: String,
    /// Byte offset of each character of `folded`, then its length.
    offs: Vec<u32>,
    mins: Vec<u64>,
    /// The first [`TABLE_PROBES`] probes of each bin, for the current signature length.
    probes: Vec<u16>,
    /// The empty bins of the current signature.
    empty: Vec<u16>,
}

impl Scratch {
    /// Calls `emit` with the hash of every shingle of `text`; false when it is too short.
    fn shingles(&mut self, text: &str, o: &NearDupOptions, mut emit: impl FnMut(u64)) -> bool {
        if !normalise_text(text, &mut self.norm) {
            return false;
        }
        let norm = self.norm.as_bytes();
        if norm.is_empty() {
            return false;
        }
        if self.norm.is_ascii() {
            // Nothing to fold: shingles are byte windows of the normalised text.
            let w = o.shingle_chars.min(norm.len());
            for win in norm.windows(w) {
                emit(xxh3_64_with_seed(win, SEED_SHINGLE));
            }
            return true;
        }
        self.folded.clear();
        self.offs.clear();
        let (mut dense, mut spaces) = (0usize, 0usize);
        for c in self.norm.chars() {
            if let Some(f) = fold(c) {
                self.offs.push(self.folded.len() as u32);
                self.folded.push(f);
                dense += (f as u32 >= 0x2E80) as usize;
                spaces += (f == ' ') as usize;
            }
        }
        let is_dense = 2 * dense > self.offs.len() - spaces;
        if is_dense && spaces > 0 {
            // In Chinese, spaces only mark where punctuation was.
            self.folded.retain(|c| c != ' ');
            self.offs.clear();
            self.offs.extend(self.folded.char_indices().map(|(at, _)| at as u32));
        }
        self.offs.push(self.folded.len() as u32);
        let chars = self.offs.len() - 1;
        if chars == 0 {
            return false;
        }
        let w = if is_dense { o.dense_shingle_chars } else { o.shingle_chars }.min(chars);
        let bytes = self.folded.as_bytes();
        for (&from, &to) in self.offs.iter().zip(&self.offs[w..]) {
            emit(xxh3_64_with_seed(&bytes[from as usize..to as usize], SEED_SHINGLE));
        }
        true
    }

    /// Writes the signature of `text` into `out` (`o.hashes` bytes); false when too short.
    fn signature(&mut self, text: &str, o: &NearDupOptions, out: &mut [u8]) -> bool {
        let k = o.hashes;
        if self.probes.len() != k * TABLE_PROBES {
            self.probes = (0..k * TABLE_PROBES)
                .map(|x| probe(x / TABLE_PROBES, (x % TABLE_PROBES) as u64 + 1, k) as u16)
                .collect();
        }
        let mut mins = std::mem::take(&mut self.mins);
        mins.clear();
        mins.resize(k, u64::MAX);
        let ok = self.shingles(text, o, |h| {
            let m = &mut mins[bin(h, k)];
            *m = (*m).min(h.min(u64::MAX - 1)); // MAX marks an empty bin
        });
        if ok {
            // Optimal densification: an empty bin takes the value of the first non-empty bin
            // of its own probe sequence, which is the same for every text. Branch-free over
            // the tabled probes: whether a bin is empty is a coin flip a branch would lose.
            let mut empty = std::mem::take(&mut self.empty);
            empty.resize(k, 0);
            let mut n_empty = 0;
            for (i, (&m, slot)) in mins.iter().zip(out.iter_mut()).enumerate() {
                *slot = m as u8;
                empty[n_empty] = i as u16;
                n_empty += (m == u64::MAX) as usize;
            }
            for &i in &empty[..n_empty] {
                let i = i as usize;
                let mut v = u64::MAX;
                for &j in self.probes[i * TABLE_PROBES..(i + 1) * TABLE_PROBES].iter().rev() {
                    let c = mins[j as usize];
                    v = if c != u64::MAX { c } else { v };
                }
                let mut attempt = TABLE_PROBES as u64;
                while v == u64::MAX {
                    attempt += 1;
                    v = mins[probe(i, attempt, k)];
                }
                out[i] = v as u8;
            }
            self.empty = empty;
        }
        self.mins = mins;
        ok
    }
}

/// Signatures of the eligible posts: `rows[e]` is a post row, `sig[e * k..][..k]` its signature.
struct Signatures {
    rows: Vec<u32>,
    sig: Vec<u8>,
    k: usize,
}

impl Signatures {
    fn get(&self, e: usize) -> &[u8] {
        &self.sig[e * self.k..(e + 1) * self.k]
    }
}

/// Originals, replies and quotes among `rows` with a long-enough text, and their signatures,
/// computed in `shards` contiguous ranges on the rayon pool.
fn signatures(data: &Dataset, rows: &[u32], o: &NearDupOptions, shards: usize) -> Signatures {
    let k = o.hashes;
    let size = rows.len().div_ceil(shards.clamp(1, rows.len().max(1))).max(1);
    let parts: Vec<(Vec<u32>, Vec<u8>)> = rows
        .par_chunks(size)
        .map(|chunk| {
            let mut scratch = Scratch::default();
            let (mut kept, mut sig) = (Vec::new(), Vec::new());
            for &r in chunk {
                let i = r as usize;
                if data.posts.kind[i] == PostKind::Retweet {
                    continue;
                }
                let at = sig.len();
                sig.resize(at + k, 0);
                if scratch.signature(data.posts.text.get(i), o, &mut sig[at..]) {
                    kept.push(r);
                } else {
                    sig.truncate(at);
                }
            }
            (kept, sig)
        })
        .collect();
    let n: usize = parts.iter().map(|p| p.0.len()).sum();
    let mut out = Signatures { rows: Vec::with_capacity(n), sig: Vec::with_capacity(n * k), k };
    for (kept, sig) in parts {
        out.rows.extend_from_slice(&kept);
        out.sig.extend_from_slice(&sig);
    }
    out
}

/// Union-find over eligible indices; the root of a set is its smallest index.
struct UnionFind(Vec<u32>);

impl UnionFind {
    fn find(&mut self, mut x: u32) -> u32 {
        while self.0[x as usize] != x {
            let up = self.0[self.0[x as usize] as usize];
            self.0[x as usize] = up;
            x = up;
        }
        x
    }
    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            self.0[hi as usize] = lo;
        }
    }
}

/// Stable LSD radix sort of packed `key << 32 | index` values by their high 32 bits (three
/// passes of 11, 11 and 10 bits), so runs of one key keep their indices ascending.
fn radix_sort_high(v: &mut Vec<u64>, tmp: &mut Vec<u64>) {
    tmp.clear();
    tmp.resize(v.len(), 0);
    let mut count = [0usize; 2049];
    for (shift, bits) in [(32u32, 11u32), (43, 11), (54, 10)] {
        let mask = (1usize << bits) - 1;
        count.iter_mut().for_each(|c| *c = 0);
        for &x in v.iter() {
            count[((x >> shift) as usize & mask) + 1] += 1;
        }
        for d in 1..count.len() {
            count[d] += count[d - 1];
        }
        for &x in v.iter() {
            let d = (x >> shift) as usize & mask;
            tmp[count[d]] = x;
            count[d] += 1;
        }
        std::mem::swap(v, tmp);
    }
}

/// The key of band `b` (bins `b * r..(b + 1) * r`): the bytes themselves up to four bins,
/// their hash beyond.
fn band_key(sig: &[u8], b: usize, r: usize) -> u32 {
    let bytes = &sig[b * r..(b + 1) * r];
    if r <= 4 {
        bytes.iter().fold(0u32, |acc, &x| (acc << 8) | x as u32)
    } else {
        xxh3_64(bytes) as u32
    }
}

/// Packs `key << 32 | index` for every index in `of` and sorts by key, indices ascending.
fn sorted_keys(of: &[u32], key: impl Fn(u32) -> u32 + Sync) -> Vec<u64> {
    let mut keys: Vec<u64> = Vec::with_capacity(of.len());
    of.par_iter().map(|&e| (key(e) as u64) << 32 | e as u64).collect_into_vec(&mut keys);
    radix_sort_high(&mut keys, &mut Vec::new());
    keys
}

/// Runs of equal keys of length two or more, as index slices of `keys`.
fn buckets(keys: &[u64]) -> impl Iterator<Item = &[u64]> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        while start < keys.len() {
            let key = keys[start] >> 32;
            let end = start + 1 + keys[start + 1..].iter().take_while(|&&x| x >> 32 == key).count();
            let run = &keys[start..end];
            start = end;
            if run.len() >= 2 {
                return Some(run);
            }
        }
        None
    })
}

/// Posts with identical signatures join the first of them (estimated similarity 1, no need
/// to band them); returns the joins and the indices left for banding, one per signature.
fn identical(s: &Signatures) -> (Vec<(u32, u32)>, Vec<u32>) {
    let all: Vec<u32> = (0..s.rows.len() as u32).collect();
    let keys = sorted_keys(&all, |e| xxh3_64(s.get(e as usize)) as u32);
    let mut joins = Vec::new();
    for run in buckets(&keys) {
        let first = run[0] as u32;
        for &x in &run[1..] {
            if s.get(x as u32 as usize) == s.get(first as usize) {
                joins.push((first, x as u32));
            }
        }
    }
    let mut copy = vec![false; all.len()];
    for &(_, m) in &joins {
        copy[m as usize] = true;
    }
    (joins, all.into_iter().filter(|&e| !copy[e as usize]).collect())
}

/// The joins of band `b` among `unique`: `(representative, member)` pairs that agree on
/// enough bins.
fn band_joins(s: &Signatures, unique: &[u32], b: usize, o: &NearDupOptions, min_agree: usize) -> Vec<(u32, u32)> {
    let r = o.hashes / o.bands;
    let keys = sorted_keys(unique, |e| band_key(s.get(e as usize), b, r));
    let mut joins = Vec::new();
    let mut leaders: Vec<u32> = Vec::with_capacity(o.leaders);
    for run in buckets(&keys) {
        let cap = if run.len() > o.max_bucket { 1 } else { o.leaders };
        leaders.clear();
        leaders.push(run[0] as u32);
        for &x in &run[1..] {
            let m = x as u32;
            let sig = s.get(m as usize);
            match leaders.iter().find(|&&l| agrees(s.get(l as usize), sig, min_agree)) {
                Some(&l) => joins.push((l, m)),
                None if leaders.len() < cap => leaders.push(m),
                None => {}
            }
        }
    }
    joins
}

/// `(post row, cluster)` for every post among `rows` in a near-duplicate cluster of two or
/// more posts, in row order; a cluster is named by its smallest post row.
fn cluster_rows(data: &Dataset, rows: &[u32], opts: &NearDupOptions, shards: usize) -> Vec<(u32, u32)> {
    let o = opts.checked();
    let s = signatures(data, rows, &o, shards);
    let n = s.rows.len();
    let min_agree = o.min_agree();
    let mut uf = UnionFind((0..n as u32).collect());
    let (copies, unique) = identical(&s);
    for (a, m) in copies {
        uf.union(a, m);
    }
    // All bands' joins as `member << 32 | representative`, in one fixed order.
    let mut joins: Vec<u64> = (0..o.bands)
        .into_par_iter()
        .flat_map_iter(|b| {
            band_joins(&s, &unique, b, &o, min_agree).into_iter().map(|(l, m)| (m as u64) << 32 | l as u64)
        })
        .collect();
    joins.par_sort_unstable();
    joins.dedup();
    // A join merges two clusters only if their roots agree too, so clusters do not chain from
    // one template's variants to the next; a join of two roots was checked in its band.
    for j in joins {
        let (m, l) = ((j >> 32) as u32, j as u32);
        let (rm, rl) = (uf.find(m), uf.find(l));
        if rm != rl && ((rm == m && rl == l) || agrees(s.get(rm as usize), s.get(rl as usize), min_agree)) {
            uf.union(rm, rl);
        }
    }
    let roots: Vec<u32> = (0..n as u32).map(|e| uf.find(e)).collect();
    let mut size = vec![0u32; n];
    for &r in &roots {
        size[r as usize] += 1;
    }
    (0..n).filter(|&e| size[roots[e] as usize] >= 2).map(|e| (s.rows[e], s.rows[roots[e] as usize])).collect()
}

/// Sentinel of [`cluster_ids`] for a post in no near-duplicate cluster.
pub const NO_CLUSTER: u32 = u32::MAX;

/// Per post row, the near-duplicate cluster it belongs to (the cluster's smallest post row),
/// or [`NO_CLUSTER`] for retweets, short texts and texts without a near duplicate.
pub fn cluster_ids(data: &Dataset, opts: &NearDupOptions, shards: usize) -> Vec<u32> {
    let rows: Vec<u32> = (0..data.posts.len() as u32).collect();
    let mut ids = vec![NO_CLUSTER; rows.len()];
    for (r, c) in cluster_rows(data, &rows, opts, shards) {
        ids[r as usize] = c;
    }
    ids
}

fn to_traces(data: &Dataset, members: Vec<(u32, u32)>) -> Traces {
    let p = &data.posts;
    Traces::from_rows(
        members.into_iter().map(|(r, c)| (c as u64, p.time_ms[r as usize], p.account[r as usize], r)).collect(),
    )
}

/// Near-duplicate traces over the whole dataset: item = cluster (its smallest post row),
/// sorted by `(item, time, account, post)`. The signature pass runs in `shards` ranges; the
/// result does not depend on `shards`.
pub fn near_duplicate_traces(data: &Dataset, opts: &NearDupOptions, shards: usize) -> Traces {
    let rows: Vec<u32> = (0..data.posts.len() as u32).collect();
    to_traces(data, cluster_rows(data, &rows, opts, shards))
}

/// Near-duplicate traces among the given post rows only (for explanations: the posts of two
/// accounts). Clusters are formed within these rows, so every pair of posts shown shares
/// its cluster with no help from other accounts' posts.
pub fn near_duplicate_traces_in(
    data: &Dataset,
    rows: impl IntoIterator<Item = usize>,
    opts: &NearDupOptions,
) -> Traces {
    let mut rows: Vec<u32> = rows.into_iter().map(|r| r as u32).collect();
    rows.sort_unstable();
    rows.dedup();
    to_traces(data, cluster_rows(data, &rows, opts, 1))
}

#[cfg(test)]
mod tests;
