//! The event loop: schedules each day's activity, pops events in time order, decides each
//! post's engagement when it is written (so counts are known), and streams rows to disk.
//!
//! Memory is bounded by the accounts plus the pending events of about a day (and the posts
//! that still have pending engagement), never by the number of posts written.

use std::collections::VecDeque;
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::rc::Rc;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};

use rand::{Rng, SeedableRng};

use super::banks::{self, Lang, Topic, TOPICS};
use super::text::{self, Draft, OpMessage};
use super::time::{self, civil_from_days, parse_date, push_minute, push_u64, snowflake, MS_PER_DAY};
use super::util::{lognormal, mix64, overdispersed, pick, pick_weighted, poisson, push_field, Alias, Rng8};
use super::world::{Account, Kind, World, DIURNAL, F_BILINGUAL, F_IDOL, F_QUIET, F_SILENT, NONE, WORKDAY};
use super::SimError;

pub const HEADER_2020: &str = "\"tweetid\",\"userid\",\"user_display_name\",\"user_screen_name\",\"user_reported_location\",\"user_profile_description\",\"user_profile_url\",\"follower_count\",\"following_count\",\"account_creation_date\",\"account_language\",\"tweet_language\",\"tweet_text\",\"tweet_time\",\"tweet_client_name\",\"in_reply_to_userid\",\"in_reply_to_tweetid\",\"quoted_tweet_tweetid\",\"is_retweet\",\"retweet_userid\",\"retweet_tweetid\",\"latitude\",\"longitude\",\"quote_count\",\"reply_count\",\"like_count\",\"retweet_count\",\"hashtags\",\"urls\",\"user_mentions\",\"poll_choices\"\n";
pub const HEADER_LEGACY: &str = "\"tweetid\",\"userid\",\"user_display_name\",\"user_screen_name\",\"user_reported_location\",\"user_profile_description\",\"user_profile_url\",\"follower_count\",\"following_count\",\"account_creation_date\",\"account_language\",\"tweet_language\",\"tweet_text\",\"tweet_time\",\"tweet_client_name\",\"in_reply_to_tweetid\",\"in_reply_to_userid\",\"quoted_tweet_tweetid\",\"is_retweet\",\"retweet_userid\",\"retweet_tweetid\",\"latitude\",\"longitude\",\"quote_count\",\"reply_count\",\"like_count\",\"retweet_count\",\"hashtags\",\"urls\",\"user_mentions\",\"poll_choices\"\n";
pub const USERS_HEADER: &str = "\"userid\",\"user_display_name\",\"user_screen_name\",\"user_reported_location\",\"user_profile_description\",\"user_profile_url\",\"follower_count\",\"following_count\",\"account_creation_date\",\"account_language\"\n";

/// A written post that others may still engage with.
pub struct Post {
    pub id: u64,
    pub author: u32,
    pub t: i64,
    /// Text, hashtags, links and mentions, one after the other.
    data: Box<str>,
    ends: [u32; 3],
    pub lang: Lang,
    pub msg: Option<(u16, OpMessage)>,
}

impl Post {
    fn new(id: u64, author: u32, t: i64, d: &Draft, lang: Lang, msg: Option<(u16, OpMessage)>) -> Post {
        let mut s = String::with_capacity(d.text.len() + d.tags.len() + d.urls.len() + d.mentions.len());
        s.push_str(&d.text);
        let e0 = s.len() as u32;
        s.push_str(&d.tags);
        let e1 = s.len() as u32;
        s.push_str(&d.urls);
        let e2 = s.len() as u32;
        s.push_str(&d.mentions);
        Post { id, author, t, data: s.into_boxed_str(), ends: [e0, e1, e2], lang, msg }
    }

    pub fn text(&self) -> &str {
        &self.data[..self.ends[0] as usize]
    }

    pub fn tags(&self) -> &str {
        &self.data[self.ends[0] as usize..self.ends[1] as usize]
    }

    pub fn urls(&self) -> &str {
        &self.data[self.ends[1] as usize..self.ends[2] as usize]
    }

    pub fn mentions(&self) -> &str {
        &self.data[self.ends[2] as usize..]
    }
}

pub struct Story {
    pub topic: Topic,
    pub url: String,
    pub headline: String,
    pub t: i64,
    pub orgs: u32,
}

pub struct Game {
    pub fandom: u32,
    pub tag: String,
    pub award: &'static str,
}

enum Ev {
    General,
    Retweet(Rc<Post>),
    Reply(Rc<Post>, bool),
    Quote(Rc<Post>),
    Share(Rc<Story>),
    Statement(Rc<Story>),
    IdolGame(Rc<Game>),
    FanGame(Rc<Game>),
    BotPost(Rc<Story>),
    OpCore,
    OpCopy(Rc<Post>),
    OpReply(Rc<Post>),
    OpQuote(Rc<Post>),
    Camo,
}

struct Event {
    t: i64,
    acct: u32,
    ev: Ev,
}

/// A monotone priority queue (radix heap) of events keyed by (time, insertion order).
///
/// Every key pushed is at least the last key popped (children come after their parent, and
/// a day is scheduled only after everything before it has been written), which is what a
/// radix heap needs; it is much cheaper than a binary heap here. Payloads live in a slab.
struct Queue {
    base: i64,
    last: u64,
    seq: u64,
    buckets: Vec<Vec<(u64, u32)>>,
    slab: Vec<Option<(u32, Ev)>>,
    free: Vec<u32>,
}

impl Queue {
    const SEQ_BITS: u32 = 22;

    fn new(base: i64) -> Queue {
        Queue {
            base,
            last: 0,
            seq: 0,
            buckets: (0..65).map(|_| Vec::new()).collect(),
            slab: Vec::new(),
            free: Vec::new(),
        }
    }

    fn bucket(&self, key: u64) -> usize {
        if key == self.last {
            0
        } else {
            64 - (key ^ self.last).leading_zeros() as usize
        }
    }

    fn push(&mut self, t: i64, acct: u32, ev: Ev) {
        self.seq += 1;
        let off = (t - self.base).max(0) as u64;
        let key = (off << Self::SEQ_BITS) | (self.seq & ((1 << Self::SEQ_BITS) - 1));
        let key = key.max(self.last);
        let slot = match self.free.pop() {
            Some(s) => {
                self.slab[s as usize] = Some((acct, ev));
                s
            }
            None => {
                self.slab.push(Some((acct, ev)));
                (self.slab.len() - 1) as u32
            }
        };
        let b = self.bucket(key);
        self.buckets[b].push((key, slot));
    }

    /// The time of the earliest event, moving it to bucket 0.
    fn peek_time(&mut self) -> Option<i64> {
        if self.buckets[0].is_empty() {
            let i = self.buckets.iter().position(|b| !b.is_empty())?;
            let items = std::mem::take(&mut self.buckets[i]);
            self.last = items.iter().map(|x| x.0).min()?;
            for it in &items {
                let b = self.bucket(it.0);
                self.buckets[b].push(*it);
            }
            let mut items = items;
            items.clear();
            if self.buckets[i].is_empty() {
                // Keep the allocation.
                self.buckets[i] = items;
            }
        }
        self.buckets[0].last().map(|&(k, _)| self.base + (k >> Self::SEQ_BITS) as i64)
    }

    fn pop(&mut self) -> Option<Event> {
        let t = self.peek_time()?;
        let (_, slot) = self.buckets[0].pop()?;
        let (acct, ev) = self.slab[slot as usize].take()?;
        self.free.push(slot);
        Some(Event { t, acct, ev })
    }
}

#[derive(Clone, Copy)]
enum KidKind {
    Retweet,
    Reply,
    Quote,
    OpCopy,
    OpReply,
    OpQuote,
}

struct Kid {
    t: i64,
    acct: u32,
    kind: KidKind,
}

/// Output format of a tweets file.
#[derive(Clone, Copy)]
pub struct Format {
    /// 2018-19 column order, `True`/`False`, counts like `3.0`, empty lists as empty fields.
    pub legacy: bool,
    /// Geo fields `absent` (else empty) when there is no location.
    pub geo_absent: bool,
}

/// What a run wrote.
#[derive(Debug, Default, Clone)]
pub struct RunStats {
    pub posts: u64,
    pub posts_by_kind: [u64; 6],
    pub posted: Vec<bool>,
}

pub struct Progress<'a> {
    pub f: &'a mut dyn FnMut(u64, u64),
    pub base: u64,
    pub planned: u64,
}

struct External {
    uid: String,
    screen: String,
    lang: Lang,
}

struct Engine<'w, 'p> {
    w: &'w World,
    rng: Rng8,
    queue: Queue,
    path: std::path::PathBuf,
    geo_absent: bool,
    last_ms: i64,
    ms_seq: u64,
    salt: u64,
    stats: RunStats,
    draft: Draft,
    kids: Vec<Kid>,
    start_ms: i64,
    end_ms: i64,
    camo_pool: VecDeque<Rc<Post>>,
    camo_threshold: f32,
    /// Actions left per quiet operation amplifier (0 for every other account).
    quiet_left: Vec<u8>,
    stories: Vec<VecDeque<Rc<Story>>>,
    buckets: Vec<u32>,
    bucket_start: Vec<u32>,
    extra_per_day: Vec<f64>,
    hour_organic: Alias,
    hour_work: Alias,
    external: Vec<External>,
    progress: Progress<'p>,
    topics: TopicTable,
    batch: Batch,
    tx: Option<SyncSender<Batch>>,
    recycle: Receiver<Batch>,
}

/// One row as the event loop decided it; the writer thread formats it (so that formatting
/// and the kernel's copy run on the other core).
struct Rec {
    id: u64,
    t: i64,
    reply_id: u64,
    quoted_id: u64,
    rt_id: u64,
    counts: [u64; 4],
    acct: u32,
    reply_author: u32,
    rt_author: u32,
    client: u16,
    lang: Lang,
    is_rt: bool,
    geo: Option<(f64, f64)>,
    poll: &'static str,
    /// Offsets into the batch's strings: text, hashtags, links, mentions, external rt userid.
    bounds: [u32; 6],
}

#[derive(Default)]
struct Batch {
    recs: Vec<Rec>,
    strings: String,
}

const BATCH_ROWS: usize = 4096;

/// The writer thread: formats batches of rows and writes them.
fn writer(w: &World, fmt: Format, rx: Receiver<Batch>, back: Sender<Batch>, mut file: File) -> std::io::Result<()> {
    let mut out: Vec<u8> = Vec::with_capacity(1 << 21);
    out.extend_from_slice(if fmt.legacy { HEADER_LEGACY } else { HEADER_2020 }.as_bytes());
    let mut minute = (i64::MIN, [0u8; 16]);
    for mut b in rx {
        for r in &b.recs {
            format_row(w, fmt, r, &b.strings, &mut out, &mut minute);
            if out.len() > 1 << 20 {
                file.write_all(&out)?;
                out.clear();
            }
        }
        b.recs.clear();
        b.strings.clear();
        let _ = back.send(b);
    }
    file.write_all(&out)?;
    file.flush()
}

/// Topic weights by date: the news cycle of the default period.
fn topic_weights(d: i64) -> [f64; 5] {
    let date = |s| parse_date(s).unwrap_or(0);
    let mut w = [1.0, 0.0, 0.6, 1.0, 0.8];
    if d < date("2019-12-31") {
        w[Topic::HongKong as usize] = 3.0;
    }
    if d >= date("2020-05-20") {
        w[Topic::HongKong as usize] = 2.5;
    }
    let covid = date("2020-01-15");
    if d >= covid {
        w[Topic::Covid as usize] = ((d - covid) as f64 / 10.0).min(6.0);
    }
    if d >= date("2020-01-01") && d <= date("2020-01-20") {
        w[Topic::Taiwan as usize] = 1.6;
    }
    if d >= date("2020-01-16") && d <= date("2020-02-10") {
        w[Topic::UsPolitics as usize] = 1.6;
    }
    if d >= date("2020-03-01") && d <= date("2020-04-30") {
        w[Topic::Economy as usize] = 2.5;
    }
    w
}

/// Topic weights for every day of a slice (plus a margin for local times).
struct TopicTable {
    first: i64,
    w: Vec<[f64; 5]>,
}

impl TopicTable {
    fn new(start: i64, end: i64) -> TopicTable {
        let first = start - 2;
        TopicTable { first, w: (first..=end + 2).map(topic_weights).collect() }
    }

    fn pick(&self, rng: &mut Rng8, d: i64, allowed: &[Topic]) -> Topic {
        let i = (d - self.first).clamp(0, self.w.len() as i64 - 1) as usize;
        let tw = &self.w[i];
        let total: f64 = allowed.iter().map(|t| tw[*t as usize]).sum();
        let (allowed, total) = if total > 0.0 { (allowed, total) } else { (&TOPICS[..], tw.iter().sum::<f64>()) };
        let mut x = rng.random::<f64>() * total;
        for t in allowed {
            x -= tw[*t as usize];
            if x < 0.0 {
                return *t;
            }
        }
        allowed[allowed.len() - 1]
    }
}

/// Runs one slice and writes its tweets file. Returns what was written.
pub fn run(world: &World, seed: u64, path: &Path, fmt: Format, progress: Progress<'_>) -> Result<RunStats, SimError> {
    let io = |e: std::io::Error| SimError::Io { path: path.to_path_buf(), error: e };
    let file = File::create(path).map_err(io)?;
    let days = world.days();
    let mut rng = Rng8::seed_from_u64(mix64(seed ^ 0xe7e7_0002 ^ world.start_day as u64));
    // Each account of the general pool posts at least once, on a random day.
    let mut day_of: Vec<(u32, u32)> = Vec::with_capacity(world.general_ids.len());
    for &i in &world.general_ids {
        let a = &world.accounts[i as usize];
        let first = (a.created_ms.div_euclid(MS_PER_DAY) + 1).max(world.start_day);
        if first > world.end_day {
            continue;
        }
        let d = rng.random_range(first..=world.end_day);
        day_of.push(((d - world.start_day) as u32, i));
    }
    let mut bucket_start = vec![0u32; days + 1];
    for &(d, _) in &day_of {
        bucket_start[d as usize + 1] += 1;
    }
    for k in 0..days {
        bucket_start[k + 1] += bucket_start[k];
    }
    let mut fill = bucket_start.clone();
    let mut buckets = vec![0u32; day_of.len()];
    for &(d, i) in &day_of {
        buckets[fill[d as usize] as usize] = i;
        fill[d as usize] += 1;
    }
    drop(day_of);
    // Extra originals per day: weekly rhythm and a news surge in March-April 2020.
    let surge = (parse_date("2020-03-01").unwrap_or(0), parse_date("2020-04-30").unwrap_or(0));
    let factors: Vec<f64> = (0..days as i64)
        .map(|k| {
            let d = world.start_day + k;
            let wk = if time::weekday(d) >= 5 { 0.9 } else { 1.0 };
            let s = if d >= surge.0 && d <= surge.1 { 1.25 } else { 1.0 };
            wk * s
        })
        .collect();
    let fsum: f64 = factors.iter().sum::<f64>().max(1e-9);
    let extra_per_day: Vec<f64> = factors.iter().map(|f| world.plan.extra_originals * f / fsum).collect();
    let mut pops: Vec<f32> = world.general_ids.iter().map(|&i| world.accounts[i as usize].pop).collect();
    pops.sort_by(|a, b| a.total_cmp(b));
    let camo_threshold = pops.get(pops.len() * 97 / 100).copied().unwrap_or(f32::MAX);
    let external: Vec<External> = if world.external {
        (0..40)
            .map(|k| {
                let lang = if k % 3 == 0 { Lang::Zh } else { Lang::En };
                External {
                    uid: rng.random_range(10_000_000u64..3_000_000_000).to_string(),
                    screen: format!(
                        "{}{}",
                        pick(&mut rng, banks::LATIN_WORDS),
                        pick(&mut rng, &["News", "Daily", "TV", "Life", "Pics", "World", ""])
                    ),
                    lang,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let (tx, rx) = sync_channel::<Batch>(4);
    let (back, recycle) = channel::<Batch>();
    let mut e = Engine {
        w: world,
        rng,
        queue: Queue::new((world.start_day - 3) * MS_PER_DAY),
        path: path.to_path_buf(),
        geo_absent: fmt.geo_absent,
        last_ms: i64::MIN,
        ms_seq: 0,
        salt: mix64(seed ^ 0x51a7),
        stats: RunStats { posted: vec![false; world.accounts.len()], ..RunStats::default() },
        draft: Draft::default(),
        kids: Vec::new(),
        start_ms: world.start_day * MS_PER_DAY,
        end_ms: (world.end_day + 1) * MS_PER_DAY - 1,
        camo_pool: VecDeque::new(),
        camo_threshold,
        quiet_left: world.accounts.iter().map(|a| if a.flags & F_QUIET != 0 { a.aux as u8 } else { 0 }).collect(),
        stories: (0..TOPICS.len()).map(|_| VecDeque::new()).collect(),
        buckets,
        bucket_start,
        extra_per_day,
        hour_organic: Alias::new(&DIURNAL),
        hour_work: Alias::new(&WORKDAY),
        external,
        progress,
        topics: TopicTable::new(world.start_day, world.end_day),
        batch: Batch::default(),
        tx: Some(tx),
        recycle,
    };
    std::thread::scope(|scope| {
        let wr = scope.spawn(move || writer(world, fmt, rx, back, file));
        let gen = e.generate();
        // Closing the channel ends the writer; its error explains a failed send.
        e.tx = None;
        let written = wr.join().unwrap_or_else(|_| Err(std::io::Error::other("the writer thread panicked")));
        written.map_err(|err| SimError::Io { path: path.to_path_buf(), error: err })?;
        gen
    })?;
    (e.progress.f)(e.progress.base + e.stats.posts, e.progress.planned.max(e.progress.base + e.stats.posts));
    Ok(e.stats)
}

impl Engine<'_, '_> {
    fn generate(&mut self) -> Result<(), SimError> {
        let w = self.w;
        for d in w.start_day..=w.end_day {
            self.schedule_day(d);
            // Nothing scheduled later can fall before this instant (time zones span -12..+14 h).
            self.flush_until((d + 1) * MS_PER_DAY - 16 * 3_600_000)?;
        }
        self.flush_until(i64::MAX)?;
        self.send_batch()
    }

    /// Hands the current batch to the writer thread.
    fn send_batch(&mut self) -> Result<(), SimError> {
        if self.batch.recs.is_empty() {
            return Ok(());
        }
        let next = self.recycle.try_recv().unwrap_or_default();
        let full = std::mem::replace(&mut self.batch, next);
        let sent = self.tx.as_ref().map(|tx| tx.send(full).is_ok()).unwrap_or(false);
        if sent {
            Ok(())
        } else {
            // The writer stopped: `run` reports its error after joining it.
            Err(SimError::Io { path: self.path.clone(), error: std::io::Error::other("the writer thread stopped") })
        }
    }

    fn push(&mut self, t: i64, acct: u32, ev: Ev) {
        self.queue.push(t, acct, ev);
    }

    fn local_time(&mut self, day: i64, tz_min: i32, work: bool) -> i64 {
        let h =
            if work { self.hour_work.sample(&mut self.rng) } else { self.hour_organic.sample(&mut self.rng) } as i64;
        day * MS_PER_DAY + h * 3_600_000 + self.rng.random_range(0..3_600_000) - tz_min as i64 * 60_000
    }

    fn office_time(&mut self, day: i64, tz_min: i32, hours: [u32; 2]) -> i64 {
        // Uniform over office hours with a lunch dip at 12:00-13:00.
        loop {
            let h = self.rng.random_range(hours[0]..hours[1]) as i64;
            if h == 12 && self.rng.random_bool(0.6) {
                continue;
            }
            return day * MS_PER_DAY + h * 3_600_000 + self.rng.random_range(0..3_600_000) - tz_min as i64 * 60_000;
        }
    }

    fn schedule_day(&mut self, d: i64) {
        let w = self.w;
        let di = (d - w.start_day) as usize;
        // Ordinary originals: the guaranteed first posts, then activity-weighted extras.
        let (b0, b1) = (self.bucket_start[di] as usize, self.bucket_start[di + 1] as usize);
        for k in b0..b1 {
            let acct = self.buckets[k];
            self.schedule_general(acct, d);
        }
        let n = poisson(&mut self.rng, self.extra_per_day[di]);
        for _ in 0..n {
            let acct = w.general_ids[w.general.sample(&mut self.rng)];
            self.schedule_general(acct, d);
        }
        self.schedule_news(d);
        self.schedule_statements(d);
        self.schedule_games(d);
        self.schedule_wires(d);
        self.schedule_ops(d);
    }

    fn schedule_general(&mut self, acct: u32, d: i64) {
        let a = &self.w.accounts[acct as usize];
        let work = matches!(a.kind, Kind::Journalist | Kind::Ngo);
        let t = self.local_time(d, a.tz_min, work);
        self.push(t, acct, Ev::General);
    }

    fn schedule_news(&mut self, d: i64) {
        let w = self.w;
        let j = self.sc_j();
        for desk in &w.desks {
            let n = poisson(&mut self.rng, j.0);
            for _ in 0..n {
                let topic = self.topics.pick(&mut self.rng, d, &desk.topics);
                let outlet = pick(&mut self.rng, &desk.outlets);
                let t0 = self.local_time(d, desk.tz_min, true);
                let url = text::story_url(
                    &mut self.rng,
                    outlet,
                    civil_from_days(t0.div_euclid(MS_PER_DAY)),
                    desk.lang,
                    topic,
                );
                let story = Rc::new(Story { topic, url, headline: String::new(), t: t0, orgs: 0 });
                for &m in &desk.members {
                    if self.rng.random_bool(j.1) {
                        let delay = lognormal(&mut self.rng, j.2, 0.8).max(15.0);
                        self.push(t0 + (delay * 1000.0) as i64, m, Ev::Share(story.clone()));
                    }
                }
                if matches!(topic, Topic::HongKong | Topic::Taiwan | Topic::Covid) {
                    if let Some(coal) = w.coalitions.get(desk.coalition as usize) {
                        for &m in coal {
                            if self.rng.random_bool(j.3) {
                                let delay = lognormal(&mut self.rng, 1800.0, 0.9).max(60.0);
                                self.push(t0 + (delay * 1000.0) as i64, m, Ev::Share(story.clone()));
                            }
                        }
                    }
                }
                let ring = &mut self.stories[topic as usize];
                ring.push_back(story);
                if ring.len() > 60 {
                    ring.pop_front();
                }
            }
        }
    }

    /// (stories per desk per day, share probability, share delay median, NGO story share probability)
    fn sc_j(&self) -> (f64, f64, f64, f64) {
        let p = &self.w.params;
        (p.stories_per_desk_per_day, p.share_probability, p.share_delay_median_seconds, p.ngo_story_share_probability)
    }

    fn schedule_statements(&mut self, d: i64) {
        let w = self.w;
        let p = &w.params;
        for coal in &w.coalitions {
            let n = poisson(&mut self.rng, p.joint_statements_per_month / 30.44);
            for _ in 0..n {
                let Some(&lead) = coal.first() else { continue };
                let lead_a = &w.accounts[lead as usize];
                let domain = &w.ngo_domains[lead_a.aux as usize];
                let topic = self.topics.pick(&mut self.rng, d, &[Topic::HongKong, Topic::Taiwan, Topic::Covid]);
                let t0 = self.local_time(d, 60, true);
                let (y, m, _) = civil_from_days(d);
                let slug =
                    pick(&mut self.rng, &["joint-statement", "open-letter", "civil-society-statement", "joint-appeal"]);
                let url = format!("https://{domain}/news/{y}/{m:02}/{slug}-{}", self.rng.random_range(100..9999));
                let participants: Vec<u32> =
                    coal.iter().copied().filter(|_| self.rng.random_bool(p.statement_participation)).collect();
                let story = Rc::new(Story {
                    topic,
                    url,
                    headline: String::new(),
                    t: t0,
                    orgs: participants.len().max(2) as u32 * 3,
                });
                for m in participants {
                    let delay = lognormal(&mut self.rng, 900.0, 1.0).max(30.0);
                    self.push(t0 + (delay * 1000.0) as i64, m, Ev::Statement(story.clone()));
                }
            }
        }
    }

    fn schedule_games(&mut self, d: i64) {
        let w = self.w;
        let p = &w.params;
        for (k, f) in w.fandoms.iter().enumerate() {
            let n = poisson(&mut self.rng, p.games_per_week / 7.0);
            for _ in 0..n {
                let t0 = d * MS_PER_DAY + 11 * 3_600_000 + self.rng.random_range(-3_600_000..3_600_000);
                let suffix = pick(
                    &mut self.rng,
                    &[
                        "Comeback",
                        "Day",
                        "IsComing",
                        "OnTop",
                        "Forever",
                        "Era",
                        "World",
                        "Anniversary",
                        "TeaserOut",
                        "MVTonight",
                    ],
                );
                let game = Rc::new(Game {
                    fandom: k as u32,
                    tag: format!("{}{suffix}", f.idol_name),
                    award: pick(&mut self.rng, banks::AWARDS),
                });
                self.push(t0, f.idol, Ev::IdolGame(game.clone()));
                for &m in &f.members {
                    if self.rng.random_bool(p.participation) {
                        let posts = 1 + poisson(&mut self.rng, (p.posts_per_game - 1.0).max(0.0));
                        for _ in 0..posts {
                            let delay = lognormal(&mut self.rng, 1200.0, 1.0).clamp(10.0, 4.0 * 3600.0);
                            self.push(t0 + (delay * 1000.0) as i64, m, Ev::FanGame(game.clone()));
                        }
                    }
                }
            }
        }
    }

    fn schedule_wires(&mut self, d: i64) {
        let w = self.w;
        let p = &w.params;
        for wire in &w.wires {
            let n = poisson(&mut self.rng, p.headlines_per_day);
            for _ in 0..n {
                let topic = self.topics.pick(&mut self.rng, d, &TOPICS);
                let t0 = self.local_time(d, wire.tz_min, true);
                let headline = text::headline(&mut self.rng, wire.lang, topic);
                let (y, m, dd) = civil_from_days(t0.div_euclid(MS_PER_DAY));
                let en = &Lang::En.bank().topics[topic as usize];
                let slug: String = pick(&mut self.rng, en.subjects)
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
                    .collect();
                let url = format!(
                    "https://{}/{y}/{m:02}/{dd:02}/{slug}-{}",
                    wire.domain,
                    self.rng.random_range(100_000..999_999)
                );
                let story = Rc::new(Story { topic, url, headline, t: t0, orgs: 0 });
                let max_lag = p.max_lag_minutes.max(1.0) as u32;
                for &b in &wire.bots {
                    if self.rng.random_bool(p.pickup_probability) {
                        let aux = w.accounts[b as usize].aux;
                        let lag_s = (aux % max_lag) as i64 * 60 + 5 + self.rng.random_range(0..60);
                        self.push(t0 + lag_s * 1000, b, Ev::BotPost(story.clone()));
                    }
                }
            }
        }
    }

    fn schedule_ops(&mut self, d: i64) {
        let w = self.w;
        let di = (d - w.start_day) as usize;
        for op in &w.ops {
            let m = op.day_mult.get(di).copied().unwrap_or(0.0) as f64;
            if m <= 0.0 {
                continue;
            }
            let cfg = &op.cfg;
            let wf = if time::weekday(d) >= 5 { cfg.weekend_activity } else { 1.0 };
            let day_end = (d + 1) * MS_PER_DAY - op.tz_min as i64 * 60_000;
            for cell in &op.cells {
                let n_core = cell.core.partition_point(|&i| w.accounts[i as usize].created_ms < day_end);
                let n_amp = cell.amps.partition_point(|&i| w.accounts[i as usize].created_ms < day_end);
                if n_core > 0 {
                    let n = poisson(&mut self.rng, cfg.core_posts_per_day * n_core as f64 * m * wf);
                    let total: f64 = cell.core[..n_core].iter().map(|&i| w.accounts[i as usize].act as f64).sum();
                    for _ in 0..n {
                        let mut x = self.rng.random::<f64>() * total;
                        let mut author = cell.core[n_core - 1];
                        for &i in &cell.core[..n_core] {
                            x -= w.accounts[i as usize].act as f64;
                            if x <= 0.0 {
                                author = i;
                                break;
                            }
                        }
                        let t = self.office_time(d, op.tz_min, cfg.work_hours);
                        self.push(t, author, Ev::OpCore);
                    }
                }
                if n_amp > 0 || n_core > 0 {
                    let n = poisson(&mut self.rng, op.camo_rate * n_amp.max(1) as f64 * m * wf);
                    for _ in 0..n {
                        let who = if n_amp > 0 && (n_core == 0 || self.rng.random_bool(0.8)) {
                            cell.amps[self.rng.random_range(0..n_amp)]
                        } else {
                            cell.core[self.rng.random_range(0..n_core)]
                        };
                        let t = self.office_time(d, op.tz_min, cfg.work_hours);
                        self.push(t, who, Ev::Camo);
                    }
                }
            }
        }
    }

    fn flush_until(&mut self, until: i64) -> Result<(), SimError> {
        while let Some(t) = self.queue.peek_time() {
            if t >= until {
                break;
            }
            let Some(ev) = self.queue.pop() else { break };
            if ev.t < self.start_ms || ev.t > self.end_ms {
                continue;
            }
            self.handle(ev)?;
            if self.batch.recs.len() >= BATCH_ROWS {
                self.send_batch()?;
            }
        }
        Ok(())
    }

    /// The next Snowflake id at `t` (nudged 1 ms later if a millisecond is full).
    fn next_id(&mut self, t: &mut i64) -> u64 {
        if *t < self.last_ms {
            *t = self.last_ms;
        }
        if *t == self.last_ms {
            self.ms_seq += 1;
            if self.ms_seq >= 4096 {
                *t += 1;
                self.last_ms = *t;
                self.ms_seq = 0;
            }
        } else {
            self.last_ms = *t;
            self.ms_seq = 0;
        }
        let worker = mix64(self.salt ^ (*t as u64)) & 0x3ff;
        snowflake(*t, (worker << 12) | self.ms_seq)
    }

    fn client(&mut self, a: &Account) -> u16 {
        if a.kind == Kind::Newsbot || !self.rng.random_bool(0.1) {
            return a.client;
        }
        if a.kind == Kind::Operation {
            let op = &self.w.ops[a.op as usize];
            return *pick_weighted(&mut self.rng, &op.clients);
        }
        // Twitter for iPhone, Android, Web App are the first three entries.
        self.rng.random_range(0..3) as u16
    }

    fn engager(&mut self, lang: Lang, exclude: u32, t: i64) -> Option<u32> {
        let w = self.w;
        let li = lang.index();
        let local = !w.engagers.get(li).map(|a| a.is_empty()).unwrap_or(true) && self.rng.random_bool(0.85);
        for _ in 0..3 {
            let id = if local {
                w.engager_ids[li][w.engagers[li].sample(&mut self.rng)]
            } else if !w.all_engagers.is_empty() {
                w.all_engager_ids[w.all_engagers.sample(&mut self.rng)]
            } else {
                return None;
            };
            if id != exclude && w.accounts[id as usize].created_ms < t {
                return Some(id);
            }
        }
        None
    }

    fn organic_delay(&mut self) -> i64 {
        (lognormal(&mut self.rng, 1800.0, 1.7).clamp(5.0, 14.0 * 86_400.0) * 1000.0) as i64
    }

    /// Ordinary engagement of an original by `author` at `t`: pushes kids, returns the
    /// (quote, reply, like, retweet) counts including invisible outside engagement.
    fn engage(&mut self, author: u32, t: i64, lang: Lang, boost: f64) -> [u64; 4] {
        let w = self.w;
        let a = &w.accounts[author as usize];
        let lam = a.pop as f64 * boost;
        let mut vis = [0u64; 3];
        if lam > 0.0 {
            let total = overdispersed(&mut self.rng, lam, 0.8).min(3000);
            let p = &w.plan;
            for _ in 0..total {
                let x = self.rng.random::<f64>();
                let kind = if x < p.retweet_frac {
                    KidKind::Retweet
                } else if x < p.retweet_frac + p.reply_frac {
                    KidKind::Reply
                } else {
                    KidKind::Quote
                };
                let dt = self.organic_delay();
                if let Some(e) = self.engager(lang, author, t + dt) {
                    self.kids.push(Kid { t: t + dt, acct: e, kind });
                    vis[match kind {
                        KidKind::Retweet => 0,
                        KidKind::Reply => 1,
                        _ => 2,
                    }] += 1;
                }
            }
        }
        // Friends engage with each other.
        if a.friend != NONE {
            let fc = &w.params;
            for &f in &w.friends[a.friend as usize] {
                if f != author && self.rng.random_bool(fc.friend_engage_probability) {
                    let dt = (lognormal(&mut self.rng, fc.friend_delay_median_seconds, 1.0).max(20.0) * 1000.0) as i64;
                    let kind = if self.rng.random_bool(0.7) { KidKind::Retweet } else { KidKind::Reply };
                    self.kids.push(Kid { t: t + dt, acct: f, kind });
                    vis[if matches!(kind, KidKind::Retweet) { 0 } else { 1 }] += 1;
                }
            }
        }
        let outside = w.organic_cfg.outside_engagement;
        let inv = |rng: &mut Rng8, l: f64| poisson(rng, l);
        let rt = vis[0] + inv(&mut self.rng, lam * w.plan.retweet_frac * outside);
        let rep = vis[1] + inv(&mut self.rng, lam * w.plan.reply_frac * outside * 0.5);
        let q = vis[2] + inv(&mut self.rng, lam * w.plan.quote_frac * outside * 0.5);
        let likes = (rt as f64 * lognormal(&mut self.rng, 2.5, 0.6)) as u64 + poisson(&mut self.rng, 0.4 + lam);
        [q, rep, likes, rt]
    }

    fn pick_story_url(&mut self, topic: Topic, t: i64) -> Option<String> {
        let ring = &self.stories[topic as usize];
        if ring.is_empty() {
            return None;
        }
        let s = ring[self.rng.random_range(0..ring.len())].clone();
        if s.t < t {
            Some(text::url_variant(&mut self.rng, &s.url))
        } else {
            None
        }
    }

    fn handle(&mut self, e: Event) -> Result<(), SimError> {
        let w = self.w;
        let acct = e.acct;
        let a = &w.accounts[acct as usize];
        if e.t <= a.created_ms {
            return Ok(());
        }
        let mut t = e.t;
        let mut draft = std::mem::take(&mut self.draft);
        draft.clear();
        self.kids.clear();
        let mut counts = [0u64; 4];
        let mut lang = a.lang;
        let mut reply_to: Option<Rc<Post>> = None;
        let mut quoted: Option<Rc<Post>> = None;
        let mut retweeted: Option<Rc<Post>> = None;
        let mut ext_rt: Option<(String, u64)> = None;
        let mut engageable = true;
        let mut msg = None;
        let mut poll = "";
        match e.ev {
            Ev::General => {
                if a.flags & F_BILINGUAL != 0 && self.rng.random_bool(0.3) {
                    lang = Lang::En;
                }
                let day = t.div_euclid(MS_PER_DAY);
                match a.kind {
                    Kind::Journalist => {
                        let desk = &w.desks[a.group as usize];
                        let topic = self.topics.pick(&mut self.rng, day, &desk.topics);
                        text::organic(&mut self.rng, lang, Some(topic), &mut draft);
                        if self.rng.random_bool(0.3) {
                            let b = lang.bank();
                            draft.tag(pick(&mut self.rng, b.topics[topic as usize].hashtags));
                        }
                        if self.rng.random_bool(0.3) {
                            if let Some(u) = self.pick_story_url(topic, t) {
                                draft.url(&mut self.rng, &u);
                            }
                        }
                    }
                    Kind::Ngo => {
                        let topic =
                            self.topics.pick(&mut self.rng, day, &[Topic::HongKong, Topic::Taiwan, Topic::Covid]);
                        text::news_share(&mut self.rng, lang, topic, true, &mut draft);
                        if self.rng.random_bool(0.5) {
                            let domain = &w.ngo_domains[a.aux as usize];
                            let u = format!(
                                "https://{domain}/{}/{}",
                                pick(&mut self.rng, &["news", "reports", "take-action", "blog"]),
                                super::util::lower_alnum(&mut self.rng, 8)
                            );
                            draft.url(&mut self.rng, &u);
                        }
                    }
                    Kind::Fan => {
                        let f = &w.fandoms[a.group as usize];
                        let tpl = pick(&mut self.rng, lang.bank().fan_chat);
                        text::fan_template(
                            &mut self.rng,
                            tpl,
                            &f.idol_name,
                            &f.idol_name,
                            "",
                            &f.fandom_name,
                            &mut draft,
                        );
                        if self.rng.random_bool(0.3) {
                            draft.text.push(' ');
                            draft.text.push_str(pick(&mut self.rng, banks::FAN_EMOJI));
                        }
                        if self.rng.random_bool(0.15) {
                            draft.tag(&f.idol_name);
                        }
                    }
                    _ if a.flags & F_IDOL != 0 => {
                        let f = &w.fandoms[a.group as usize];
                        let tpl = pick(&mut self.rng, Lang::En.bank().idol_posts);
                        lang = Lang::En;
                        text::fan_template(
                            &mut self.rng,
                            tpl,
                            &f.idol_name,
                            &f.idol_name,
                            "",
                            &f.fandom_name,
                            &mut draft,
                        );
                    }
                    _ => {
                        let oc = &w.organic_cfg;
                        let topic = if self.rng.random_bool(oc.news_topic_share) {
                            Some(self.topics.pick(&mut self.rng, day, &TOPICS))
                        } else {
                            None
                        };
                        if self.rng.random_bool(0.05) {
                            if let Some(m) = w.popular.get(lang.index()).and_then(|p| {
                                if p.is_empty() {
                                    None
                                } else {
                                    Some(pick(&mut self.rng, p))
                                }
                            }) {
                                if m != acct {
                                    draft.text.push('@');
                                    draft.text.push_str(w.screen(&w.accounts[m as usize]));
                                    draft.text.push(' ');
                                    draft.mention(w.uid_str(&w.accounts[m as usize]));
                                }
                            }
                        }
                        text::organic(&mut self.rng, lang, topic, &mut draft);
                        if self.rng.random_bool(oc.hashtag_share) {
                            let b = lang.bank();
                            let n = if self.rng.random_bool(0.25) { 2 } else { 1 };
                            for _ in 0..n {
                                let tag = match topic {
                                    Some(tp) => pick(&mut self.rng, b.topics[tp as usize].hashtags),
                                    None => pick(&mut self.rng, b.hashtags),
                                };
                                draft.tag(tag);
                            }
                        }
                        if self.rng.random_bool(oc.url_share) {
                            let u = match topic {
                                Some(tp) if self.rng.random_bool(0.5) => self.pick_story_url(tp, t),
                                _ => None,
                            };
                            let u = u.unwrap_or_else(|| text::general_url(&mut self.rng, day));
                            draft.url(&mut self.rng, &u);
                        }
                        if self.rng.random_bool(0.001) {
                            poll = pick(
                                &mut self.rng,
                                &["Yes|No", "Coffee|Tea|Neither", "Cats|Dogs", "Today|Tomorrow|Never"],
                            );
                        }
                    }
                }
                counts = self.engage(acct, t, lang, 1.0);
                if a.flags & F_IDOL != 0 {
                    // Fans retweet their idol's everyday posts within minutes.
                    let f = &w.fandoms[a.group as usize];
                    for &m in &f.members {
                        if self.rng.random_bool(0.06) {
                            let dt = (lognormal(&mut self.rng, 300.0, 1.0).max(5.0) * 1000.0) as i64;
                            self.kids.push(Kid { t: t + dt, acct: m, kind: KidKind::Retweet });
                            counts[3] += 1;
                        }
                    }
                }
            }
            Ev::Share(story) => {
                let ngo = a.kind == Kind::Ngo;
                text::news_share(&mut self.rng, lang, story.topic, ngo, &mut draft);
                let u = text::url_variant(&mut self.rng, &story.url);
                draft.url(&mut self.rng, &u);
                if self.rng.random_bool(0.5) {
                    let b = lang.bank();
                    draft.tag(pick(&mut self.rng, b.topics[story.topic as usize].hashtags));
                }
                counts = self.engage(acct, t, lang, 1.0);
                if a.kind == Kind::Journalist {
                    let desk = &w.desks[a.group as usize];
                    let p = w.params.peer_retweet_probability;
                    for &m in &desk.members {
                        if m != acct && self.rng.random_bool(p) {
                            let dt = (lognormal(&mut self.rng, 600.0, 1.0).max(10.0) * 1000.0) as i64;
                            self.kids.push(Kid { t: t + dt, acct: m, kind: KidKind::Retweet });
                            counts[3] += 1;
                        }
                    }
                }
            }
            Ev::Statement(story) => {
                let b = lang.bank();
                draft.text.push_str(pick(
                    &mut self.rng,
                    &["Joint statement:", "Today we join", "We stand with partners:", "Open letter:"],
                ));
                draft.text.push(' ');
                draft.text.push_str(&format!(
                    "{} organisations call for {}.",
                    story.orgs,
                    pick(
                        &mut self.rng,
                        &[
                            "an end to the crackdown",
                            "the release of detained journalists",
                            "an independent investigation",
                            "transparency and accountability",
                            "the protection of civil society"
                        ]
                    )
                ));
                let u = text::url_variant(&mut self.rng, &story.url);
                draft.url(&mut self.rng, &u);
                draft.tag(pick(&mut self.rng, b.topics[story.topic as usize].hashtags));
                counts = self.engage(acct, t, lang, 1.0);
            }
            Ev::IdolGame(game) => {
                let f = &w.fandoms[game.fandom as usize];
                lang = Lang::En;
                let tpl = pick(&mut self.rng, Lang::En.bank().idol_posts);
                text::fan_template(&mut self.rng, tpl, &f.idol_name, &game.tag, game.award, &f.fandom_name, &mut draft);
                counts = self.engage(acct, t, lang, 2.0);
                let p = w.params.participation;
                let med = w.params.fan_retweet_delay_median_seconds;
                for &m in &f.members {
                    if self.rng.random_bool(p * 0.8) {
                        let dt = (lognormal(&mut self.rng, med, 0.9).max(2.0) * 1000.0) as i64;
                        self.kids.push(Kid { t: t + dt, acct: m, kind: KidKind::Retweet });
                        counts[3] += 1;
                    }
                }
                counts[2] += counts[3] * 3;
            }
            Ev::FanGame(game) => {
                let f = &w.fandoms[game.fandom as usize];
                let tpl = pick(&mut self.rng, lang.bank().fan_game);
                text::fan_template(&mut self.rng, tpl, &f.idol_name, &game.tag, game.award, &f.fandom_name, &mut draft);
                counts = self.engage(acct, t, lang, 0.5);
                for &m in &f.members {
                    if m != acct && self.rng.random_bool(0.006) {
                        let dt = (lognormal(&mut self.rng, 120.0, 1.0).max(3.0) * 1000.0) as i64;
                        self.kids.push(Kid { t: t + dt, acct: m, kind: KidKind::Retweet });
                        counts[3] += 1;
                    }
                }
            }
            Ev::BotPost(story) => {
                let wire = &w.wires[a.group as usize];
                lang = wire.lang;
                draft.text.push_str(&story.headline);
                let url = if a.aux % 3 == 0 {
                    format!("{}?utm_source=twitter&utm_medium=feed", story.url)
                } else {
                    story.url.clone()
                };
                draft.url(&mut self.rng, &url);
                counts = self.engage(acct, t, lang, 1.0);
            }
            Ev::OpCore => {
                msg = self.op_core(a, acct, t, &mut draft, &mut counts, &mut lang);
            }
            Ev::OpCopy(p) => {
                engageable = false;
                if let Some((oi, m)) = p.msg {
                    let op = &w.ops[oi as usize];
                    let nr = &op.narratives[m.narrative as usize];
                    let tx = nr.texts[m.text as usize % nr.texts.len()];
                    lang = tx.lang;
                    text::op_message(&mut self.rng, tx, m, true, &mut draft.text);
                    // Same links and hashtags as the core post, in the same order.
                    for tag in p.tags().split(", ").filter(|s| !s.is_empty()) {
                        draft.tag(tag);
                    }
                    for u in p.urls().split(", ").filter(|s| !s.is_empty()) {
                        draft.url(&mut self.rng, u);
                    }
                }
                counts = [0, 0, self.rng.random_range(0..3), 0];
            }
            Ev::OpReply(p) => {
                engageable = false;
                lang = if a.lang == p.lang || self.rng.random_bool(0.5) { p.lang } else { a.lang };
                text::op_reply(&mut self.rng, lang, w.screen_text(p.author), &mut draft);
                draft.mention(w.uid_str(&w.accounts[p.author as usize]));
                if self.rng.random_bool(0.3) {
                    if let Some(tag) = p.tags().split(", ").next().filter(|s| !s.is_empty()) {
                        draft.tag(tag);
                    }
                }
                reply_to = Some(p);
                counts = [0, 0, self.rng.random_range(0..2), 0];
            }
            Ev::OpQuote(p) => {
                engageable = false;
                lang = p.lang;
                text::op_quote(&mut self.rng, lang, &mut draft);
                let link = format!("https://twitter.com/{}/status/{}", w.screen_text(p.author), p.id);
                draft.url(&mut self.rng, &link);
                quoted = Some(p);
                counts = [0, 0, self.rng.random_range(0..3), 0];
            }
            Ev::Retweet(p) => {
                engageable = false;
                retweeted = Some(p);
            }
            Ev::Reply(p, back) => {
                let pa = &w.accounts[p.author as usize];
                lang = if a.lang == p.lang || a.flags & F_BILINGUAL != 0 { p.lang } else { a.lang };
                text::reply(&mut self.rng, lang, w.screen_text(p.author), &mut draft);
                draft.mention(w.uid_str(pa));
                if back && matches!(pa.kind, Kind::Organic | Kind::Fan | Kind::Journalist) && self.rng.random_bool(0.25)
                {
                    let dt = (lognormal(&mut self.rng, 600.0, 1.2).max(20.0) * 1000.0) as i64;
                    self.kids.push(Kid { t: t + dt, acct: p.author, kind: KidKind::Reply });
                    counts[1] += 1;
                }
                counts[2] += poisson(&mut self.rng, 0.8);
                reply_to = Some(p);
            }
            Ev::Quote(p) => {
                text::quote(&mut self.rng, lang, &mut draft);
                let link = format!("https://twitter.com/{}/status/{}", w.screen_text(p.author), p.id);
                draft.url(&mut self.rng, &link);
                counts = self.engage(acct, t, lang, 0.3);
                quoted = Some(p);
            }
            Ev::Camo => {
                engageable = false;
                if self.external.is_empty() {
                    // Retweet a popular ordinary post written at least a minute ago.
                    let n = self.camo_pool.len();
                    if n == 0 {
                        self.draft = draft;
                        return Ok(());
                    }
                    let mut p = self.camo_pool[self.rng.random_range(0..n)].clone();
                    if p.t + 3 * MS_PER_DAY < t {
                        // Prefer something recent: the newest popular post.
                        p = self.camo_pool[n - 1].clone();
                    }
                    if p.t + 60_000 > t || p.t + 14 * MS_PER_DAY < t {
                        self.draft = draft;
                        return Ok(());
                    }
                    retweeted = Some(p);
                } else {
                    let k = self.rng.random_range(0..self.external.len());
                    let (l, screen, uid) =
                        (self.external[k].lang, self.external[k].screen.clone(), self.external[k].uid.clone());
                    let age = self.rng.random_range(600_000..2 * MS_PER_DAY);
                    let id = snowflake(t - age, self.rng.random_range(0..1u64 << 22));
                    text::organic(&mut self.rng, l, None, &mut draft);
                    lang = l;
                    let body = std::mem::take(&mut draft.text);
                    draft.text = format!("RT @{screen}: {body}");
                    draft.mention(&uid);
                    ext_rt = Some((uid, id));
                }
            }
        }
        let id = self.next_id(&mut t);
        // Keep the post only if something will refer to it.
        let keep_for_camo = engageable && !w.external && a.pop > self.camo_threshold && a.kind != Kind::Operation;
        let post = if !self.kids.is_empty() || keep_for_camo {
            Some(Rc::new(Post::new(id, acct, t, &draft, lang, msg)))
        } else {
            None
        };
        if let Some(p) = &post {
            let kids = std::mem::take(&mut self.kids);
            for k in &kids {
                let ev = match k.kind {
                    KidKind::Retweet => Ev::Retweet(p.clone()),
                    KidKind::Reply => Ev::Reply(p.clone(), true),
                    KidKind::Quote => Ev::Quote(p.clone()),
                    KidKind::OpCopy => Ev::OpCopy(p.clone()),
                    KidKind::OpReply => Ev::OpReply(p.clone()),
                    KidKind::OpQuote => Ev::OpQuote(p.clone()),
                };
                self.push(k.t.max(t + 1000), k.acct, ev);
            }
            self.kids = kids;
            if keep_for_camo {
                self.camo_pool.push_back(p.clone());
                if self.camo_pool.len() > 400 {
                    self.camo_pool.pop_front();
                }
            }
        }
        // Write the row.
        let client = self.client(a);
        let geo = if a.kind == Kind::Organic && !w.external && self.rng.random_bool(w.organic_cfg.geotag_share) {
            geo_for(&mut self.rng, a.tz_min)
        } else {
            None
        };
        let b = &mut self.batch;
        let base = b.strings.len() as u32;
        let mut bounds = [base; 6];
        match &retweeted {
            Some(p) => {
                // A retweet's text is `RT @author: original`, and it carries the original's entities.
                lang = p.lang;
                b.strings.push_str("RT @");
                b.strings.push_str(w.screen_text(p.author));
                b.strings.push_str(": ");
                b.strings.push_str(p.text());
                bounds[1] = b.strings.len() as u32;
                b.strings.push_str(p.tags());
                bounds[2] = b.strings.len() as u32;
                b.strings.push_str(p.urls());
                bounds[3] = b.strings.len() as u32;
                b.strings.push_str(p.mentions());
            }
            None => {
                b.strings.push_str(&draft.text);
                bounds[1] = b.strings.len() as u32;
                b.strings.push_str(&draft.tags);
                bounds[2] = b.strings.len() as u32;
                b.strings.push_str(&draft.urls);
                bounds[3] = b.strings.len() as u32;
                b.strings.push_str(&draft.mentions);
            }
        }
        bounds[4] = b.strings.len() as u32;
        if let Some((uid, _)) = &ext_rt {
            b.strings.push_str(uid);
        }
        bounds[5] = b.strings.len() as u32;
        b.recs.push(Rec {
            id,
            t,
            reply_id: reply_to.as_ref().map(|p| p.id).unwrap_or(0),
            quoted_id: quoted.as_ref().map(|p| p.id).unwrap_or(0),
            rt_id: retweeted.as_ref().map(|p| p.id).or(ext_rt.as_ref().map(|x| x.1)).unwrap_or(0),
            counts,
            acct,
            reply_author: reply_to.as_ref().map(|p| p.author).unwrap_or(NONE),
            rt_author: retweeted.as_ref().map(|p| p.author).unwrap_or(NONE),
            client,
            lang,
            is_rt: retweeted.is_some() || ext_rt.is_some(),
            geo: geo.or(if self.geo_absent { None } else { Some((f64::NAN, f64::NAN)) }),
            poll,
            bounds,
        });
        self.draft = draft;
        self.stats.posts += 1;
        self.stats.posts_by_kind[a.kind as usize] += 1;
        self.stats.posted[acct as usize] = true;
        if self.stats.posts % 65_536 == 0 {
            (self.progress.f)(self.progress.base + self.stats.posts, self.progress.planned);
        }
        Ok(())
    }

    /// A core post of an operation, and its amplification.
    /// Schedules an amplification of the post being written and counts it on the post.
    fn amplify(&mut self, acct: u32, t: i64, kind: KidKind, counts: &mut [u64; 4]) {
        self.kids.push(Kid { t, acct, kind });
        match kind {
            KidKind::Retweet => counts[3] += 1,
            KidKind::OpReply => counts[1] += 1,
            KidKind::OpQuote => counts[0] += 1,
            _ => {}
        }
    }

    fn op_core(
        &mut self,
        a: &Account,
        acct: u32,
        t: i64,
        draft: &mut Draft,
        counts: &mut [u64; 4],
        lang: &mut Lang,
    ) -> Option<(u16, OpMessage)> {
        let w = self.w;
        let op = &w.ops[a.op as usize];
        let cfg = &op.cfg;
        let day = t.div_euclid(MS_PER_DAY);
        let items: Vec<(usize, f64)> = op
            .narratives
            .iter()
            .enumerate()
            .filter(|(_, n)| day >= n.start && day <= n.end)
            .map(|(i, n)| (i, n.weight))
            .collect();
        let ni = if items.is_empty() { 0 } else { *pick_weighted(&mut self.rng, &items) };
        let nr = op.narratives.get(ni)?;
        // Text language: the account's if the narrative has it, else by the operation's mix.
        let ti = match nr.texts.iter().position(|x| x.lang == a.lang) {
            Some(i) if self.rng.random_bool(0.8) => i,
            _ => {
                let l = *pick_weighted(&mut self.rng, &op.langs);
                nr.texts.iter().position(|x| x.lang == l).unwrap_or(0)
            }
        };
        let tx = nr.texts[ti];
        *lang = tx.lang;
        let m = OpMessage::new(&mut self.rng, ni as u16, ti, tx);
        let exact = self.rng.random_bool(cfg.exact_copy_share);
        text::op_message(&mut self.rng, tx, m, !exact, &mut draft.text);
        if cfg.hashtag_sequence {
            for (k, tag) in nr.hashtags.iter().chain(cfg.hashtags.iter()).enumerate() {
                if !nr.hashtags.iter().chain(cfg.hashtags.iter()).take(k).any(|x| x == tag) {
                    draft.tag(tag);
                }
            }
        } else if exact {
            // A verbatim copy of the message, with its usual hashtags.
            for tag in nr.hashtags.iter().take(2) {
                draft.tag(tag);
            }
        } else if !nr.hashtags.is_empty() {
            let n = self.rng.random_range(1..=3.min(nr.hashtags.len()));
            let start = self.rng.random_range(0..nr.hashtags.len());
            for k in 0..n {
                draft.tag(&nr.hashtags[(start + k) % nr.hashtags.len()]);
            }
            if !cfg.hashtags.is_empty() && self.rng.random_bool(0.3) {
                draft.tag(super::util::pick_ref(&mut self.rng, &cfg.hashtags).as_str());
            }
        }
        if self.rng.random_bool(cfg.url_share) && !nr.urls.is_empty() {
            let u = nr.urls[self.rng.random_range(0..nr.urls.len())].clone();
            draft.url(&mut self.rng, &u);
        }
        // Amplification by the squad of this core account (and some of the rest of the cell).
        let cell = &op.cells[a.group as usize];
        let ci = cell.core.iter().position(|&c| c == acct).unwrap_or(0);
        let mean = cfg.amplifications_per_post;
        let k =
            if mean >= 1.0 { 1 + poisson(&mut self.rng, mean - 1.0) } else { poisson(&mut self.rng, mean) } as usize;
        let [lo, hi] = cfg.amplification_delay_seconds;
        let mix = &cfg.amplifier_mix;
        let mix_items = [
            (KidKind::Retweet, mix.retweet),
            (KidKind::OpReply, mix.reply),
            (KidKind::OpQuote, mix.quote),
            (KidKind::OpCopy, mix.copy),
        ];
        let mut chosen: Vec<u32> = Vec::with_capacity(k);
        for _ in 0..k {
            for _try in 0..4 {
                let cand = if self.rng.random_bool(cfg.squad_share)
                    && !cell.squads.get(ci).map(|s| s.is_empty()).unwrap_or(true)
                {
                    pick(&mut self.rng, &cell.squads[ci])
                } else if op.cells.len() > 1 && self.rng.random_bool(cfg.cross_cell_share) {
                    let other = &op.cells[self.rng.random_range(0..op.cells.len())];
                    if other.amps.is_empty() {
                        continue;
                    }
                    pick(&mut self.rng, &other.amps)
                } else {
                    if cell.amps.is_empty() {
                        continue;
                    }
                    pick(&mut self.rng, &cell.amps)
                };
                if chosen.contains(&cand) || w.accounts[cand as usize].created_ms >= t {
                    continue;
                }
                chosen.push(cand);
                let kind = *pick_weighted(&mut self.rng, &mix_items);
                let dt = (lo * (hi / lo).powf(self.rng.random::<f64>()) * 1000.0) as i64;
                self.amplify(cand, t + dt.max(1000), kind, counts);
                break;
            }
        }
        // Now and then a quiet amplifier spends one of its few actions on this post (or,
        // like the others, on camouflage).
        if !cell.quiet.is_empty() && self.rng.random_bool(cell.quiet_rate) {
            for _try in 0..4 {
                let q = pick(&mut self.rng, &cell.quiet);
                if self.quiet_left[q as usize] == 0 || w.accounts[q as usize].created_ms >= t || chosen.contains(&q) {
                    continue;
                }
                self.quiet_left[q as usize] -= 1;
                chosen.push(q);
                let dt = (lo * (hi / lo).powf(self.rng.random::<f64>()) * 1000.0) as i64;
                if self.rng.random_bool(cfg.camouflage_share) {
                    self.push(t + dt.max(1000), q, Ev::Camo);
                    break;
                }
                let kind = *pick_weighted(&mut self.rng, &mix_items);
                self.amplify(q, t + dt.max(1000), kind, counts);
                break;
            }
        }
        // Core accounts retweet each other now and then.
        let n_peer = poisson(&mut self.rng, 0.3);
        for _ in 0..n_peer {
            let c = pick(&mut self.rng, &cell.core);
            if c != acct && w.accounts[c as usize].created_ms < t && !chosen.contains(&c) {
                chosen.push(c);
                let dt = (lo * (2.0 * hi / lo).powf(self.rng.random::<f64>()) * 1000.0) as i64;
                self.kids.push(Kid { t: t + dt.max(1000), acct: c, kind: KidKind::Retweet });
                counts[3] += 1;
            }
        }
        // Almost nobody outside the network engages.
        if !w.external && self.rng.random_bool(cfg.outside_engagement_share) {
            let dt = self.organic_delay();
            if let Some(e) = self.engager(*lang, acct, t + dt) {
                self.kids.push(Kid { t: t + dt, acct: e, kind: KidKind::Retweet });
                counts[3] += 1;
            }
        }
        counts[2] = (chosen.len() as f64 * self.rng.random_range(0.2..0.9)) as u64;
        Some((a.op, m))
    }
}

/// Formats one row of the tweets file.
fn format_row(w: &World, fmt: Format, r: &Rec, strings: &str, out: &mut Vec<u8>, minute: &mut (i64, [u8; 16])) {
    let a = &w.accounts[r.acct as usize];
    let legacy = fmt.legacy;
    let part = |k: usize| &strings[r.bounds[k] as usize..r.bounds[k + 1] as usize];
    out.push(b'"');
    push_u64(out, r.id);
    out.extend_from_slice(b"\",");
    out.extend_from_slice(w.frag(a));
    out.extend_from_slice(b",\"");
    out.extend_from_slice(r.lang.code().as_bytes());
    out.extend_from_slice(b"\",");
    push_field(out, part(0));
    out.extend_from_slice(b",\"");
    let m = r.t.div_euclid(60_000);
    if m != minute.0 {
        let mut v = Vec::with_capacity(16);
        push_minute(&mut v, r.t);
        minute.0 = m;
        minute.1.copy_from_slice(&v[..16]);
    }
    out.extend_from_slice(&minute.1);
    out.extend_from_slice(b"\",\"");
    out.extend_from_slice(w.clients[r.client as usize].as_bytes());
    out.extend_from_slice(b"\",\"");
    // in_reply_to_userid, in_reply_to_tweetid (swapped in the legacy order).
    let reply_uid: &[u8] = if r.reply_author != NONE { w.uid(&w.accounts[r.reply_author as usize]) } else { b"" };
    let reply_id = |out: &mut Vec<u8>| {
        if r.reply_id != 0 {
            push_u64(out, r.reply_id);
        }
    };
    if legacy {
        reply_id(out);
        out.extend_from_slice(b"\",\"");
        out.extend_from_slice(reply_uid);
    } else {
        out.extend_from_slice(reply_uid);
        out.extend_from_slice(b"\",\"");
        reply_id(out);
    }
    out.extend_from_slice(b"\",\"");
    if r.quoted_id != 0 {
        push_u64(out, r.quoted_id);
    }
    out.extend_from_slice(b"\",\"");
    out.extend_from_slice(match (r.is_rt, legacy) {
        (true, false) => b"true",
        (false, false) => b"false",
        (true, true) => b"True",
        (false, true) => b"False",
    });
    out.extend_from_slice(b"\",\"");
    let rt_uid: Option<&[u8]> = if r.rt_author != NONE {
        Some(w.uid(&w.accounts[r.rt_author as usize]))
    } else if r.is_rt {
        Some(part(4).as_bytes())
    } else {
        None
    };
    if let Some(u) = rt_uid {
        out.extend_from_slice(u);
        out.extend_from_slice(b"\",\"");
        push_u64(out, r.rt_id);
    } else {
        out.extend_from_slice(b"\",\"");
    }
    out.extend_from_slice(b"\",\"");
    match r.geo {
        Some((lat, lon)) if lat.is_finite() => out.extend_from_slice(format!("{lat:.5}\",\"{lon:.5}").as_bytes()),
        Some(_) => out.extend_from_slice(b"\",\""),
        None => out.extend_from_slice(b"absent\",\"absent"),
    }
    out.extend_from_slice(b"\",\"");
    for (k, c) in r.counts.iter().enumerate() {
        if k > 0 {
            out.extend_from_slice(b"\",\"");
        }
        push_u64(out, if r.is_rt { 0 } else { *c });
        if legacy {
            out.extend_from_slice(b".0");
        }
    }
    out.extend_from_slice(b"\",");
    let list = |out: &mut Vec<u8>, s: &str, first: Option<&[u8]>| {
        if s.is_empty() && first.is_none() && legacy {
            out.extend_from_slice(b"\"\"");
            return;
        }
        out.extend_from_slice(b"\"[");
        if let Some(f) = first {
            out.extend_from_slice(f);
            if !s.is_empty() {
                out.extend_from_slice(b", ");
            }
        }
        out.extend_from_slice(s.as_bytes());
        out.extend_from_slice(b"]\"");
    };
    list(out, part(1), None);
    out.push(b',');
    list(out, part(2), None);
    out.push(b',');
    // A retweet mentions the retweeted author first.
    list(out, part(3), if r.rt_author != NONE { rt_uid } else { None });
    out.extend_from_slice(b",\"");
    out.extend_from_slice(r.poll.as_bytes());
    out.extend_from_slice(b"\"\n");
}

fn geo_for(rng: &mut Rng8, tz_min: i32) -> Option<(f64, f64)> {
    let (lat, lon) = match tz_min {
        -300 => (40.71, -74.0),
        -360 => (41.88, -87.63),
        -480 => (34.05, -118.24),
        0 => (51.5, -0.12),
        60 => (48.85, 2.35),
        120 => (30.04, 31.24),
        180 => (55.75, 37.62),
        330 => (19.07, 72.88),
        480 => (22.3, 114.17),
        600 => (-33.87, 151.2),
        -180 => (-34.6, -58.4),
        _ => return None,
    };
    Some((lat + rng.random_range(-0.2..0.2), lon + rng.random_range(-0.2..0.2)))
}

/// Writes the users file: accounts that posted and the silent operation accounts (which
/// never post), in a shuffled but deterministic order.
/// Returns the written accounts in file order.
pub fn write_users(world: &World, posted: &[bool], seed: u64, path: &Path) -> Result<Vec<u32>, SimError> {
    let io = |e: std::io::Error| SimError::Io { path: path.to_path_buf(), error: e };
    let mut order: Vec<u32> = (0..world.accounts.len() as u32)
        .filter(|&i| posted[i as usize] || world.accounts[i as usize].flags & F_SILENT != 0)
        .collect();
    let mut rng = Rng8::seed_from_u64(mix64(seed ^ 0x05e2_5000));
    for i in (1..order.len()).rev() {
        let j = rng.random_range(0..=i);
        order.swap(i, j);
    }
    let mut out = Vec::with_capacity(1 << 20);
    out.extend_from_slice(USERS_HEADER.as_bytes());
    let mut f = File::create(path).map_err(io)?;
    for &i in &order {
        out.extend_from_slice(world.frag(&world.accounts[i as usize]));
        out.push(b'\n');
        if out.len() > 1 << 20 {
            f.write_all(&out).map_err(io)?;
            out.clear();
        }
    }
    f.write_all(&out).map_err(io)?;
    f.flush().map_err(io)?;
    Ok(order)
}
