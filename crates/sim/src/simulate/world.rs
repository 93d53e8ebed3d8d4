//! The accounts of a generated slice and the groups they act in.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use rand::{Rng, SeedableRng};

use super::banks::{self, Lang, NarrativeText, Topic, TOPICS};
use super::scenario::{OperationConfig, PriorConfig, Scenario};
use super::time::{self, fmt_date, parse_date, MS_PER_DAY};
use super::util::{
    alnum, base64, capitalise, digest32, lognormal, lower_alnum, mix64, normal, pick, pick_weighted, push_field, Alias,
    Rng8,
};

pub const HANDLE_STYLES: &[&str] = &["name_digits", "random", "name_year", "word_digits"];
pub const NONE: u32 = u32::MAX;

pub const F_IDOL: u8 = 1;
pub const F_VETERAN: u8 = 2;
pub const F_REEMERGE: u8 = 4;
pub const F_BILINGUAL: u8 = 8;
/// An operation amplifier that acts only a handful of times (its budget is in `aux`).
pub const F_QUIET: u8 = 16;
/// A quiet amplifier that never posts: it is only in the users file.
pub const F_SILENT: u8 = 32;
/// An ordinary account created on an operation's creation-wave day.
pub const F_WAVE_DAY: u8 = 64;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Organic,
    Journalist,
    Ngo,
    Fan,
    Newsbot,
    Operation,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Organic => "organic",
            Kind::Journalist => "journalist",
            Kind::Ngo => "ngo",
            Kind::Fan => "fan",
            Kind::Newsbot => "newsbot",
            Kind::Operation => "operation",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Role {
    None,
    Core,
    Amplifier,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::None => "",
            Role::Core => "core",
            Role::Amplifier => "amplifier",
        }
    }
}

/// One account. Its users-file row is pre-rendered in the world's arena.
#[derive(Clone, Debug)]
pub struct Account {
    pub id: u64,
    pub kind: Kind,
    pub role: Role,
    pub lang: Lang,
    pub flags: u8,
    pub uid_len: u8,
    pub screen_len: u8,
    pub op: u16,
    pub client: u16,
    pub screen_off: u16,
    pub tz_min: i32,
    pub group: u32,
    pub friend: u32,
    pub aux: u32,
    pub followers: u32,
    pub created_ms: i64,
    pub act: f32,
    pub pop: f32,
    pub frag: u32,
    pub frag_len: u32,
}

/// Profile strings before rendering.
struct Proto {
    display: String,
    screen: String,
    location: String,
    description: String,
    url: String,
    followers: u32,
    following: u32,
    account_lang: &'static str,
}

pub struct Desk {
    pub members: Vec<u32>,
    pub topics: Vec<Topic>,
    pub outlets: Vec<&'static str>,
    pub coalition: u32,
    pub lang: Lang,
    pub tz_min: i32,
}

pub struct Fandom {
    pub idol: u32,
    pub members: Vec<u32>,
    pub idol_name: String,
    pub fandom_name: String,
}

pub struct Wire {
    pub bots: Vec<u32>,
    pub name: String,
    pub domain: &'static str,
    pub lang: Lang,
    pub tz_min: i32,
}

#[derive(Default)]
pub struct Cell {
    /// Core accounts, sorted by creation time.
    pub core: Vec<u32>,
    /// Amplifiers, sorted by creation time.
    pub amps: Vec<u32>,
    /// Amplifiers assigned to each core account (same order as `core`).
    pub squads: Vec<Vec<u32>>,
    /// Quiet amplifiers (a few actions each, budget in `Account::aux`), sorted by creation.
    pub quiet: Vec<u32>,
    /// Chance that a core post of this cell is also boosted by a quiet amplifier, set so
    /// that the quiet budgets are about used up over the slice.
    pub quiet_rate: f64,
}

pub struct NarrRt {
    pub start: i64,
    pub end: i64,
    pub weight: f64,
    pub hashtags: Vec<String>,
    pub texts: Vec<&'static NarrativeText>,
    pub urls: Vec<String>,
}

pub struct OpRuntime {
    pub name: String,
    pub cfg: OperationConfig,
    pub cells: Vec<Cell>,
    pub langs: Vec<(Lang, f64)>,
    pub narratives: Vec<NarrRt>,
    pub tz_min: i32,
    /// Activity multiplier per day of the slice (0 when dormant).
    pub day_mult: Vec<f32>,
    pub clients: Vec<(u16, f64)>,
    pub camo_rate: f64,
}

/// Expected volumes used to calibrate the ordinary population.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub extra_originals: f64,
    pub retweet_frac: f64,
    pub reply_frac: f64,
    pub quote_frac: f64,
    pub planned_posts: f64,
}

/// Scalar parameters the event loop needs.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pub stories_per_desk_per_day: f64,
    pub share_probability: f64,
    pub share_delay_median_seconds: f64,
    pub ngo_story_share_probability: f64,
    pub peer_retweet_probability: f64,
    pub joint_statements_per_month: f64,
    pub statement_participation: f64,
    pub games_per_week: f64,
    pub participation: f64,
    pub posts_per_game: f64,
    pub fan_retweet_delay_median_seconds: f64,
    pub headlines_per_day: f64,
    pub pickup_probability: f64,
    pub max_lag_minutes: f64,
    pub friend_engage_probability: f64,
    pub friend_delay_median_seconds: f64,
}

impl Params {
    fn new(sc: &Scenario) -> Params {
        Params {
            stories_per_desk_per_day: sc.journalists.stories_per_desk_per_day,
            share_probability: sc.journalists.share_probability,
            share_delay_median_seconds: sc.journalists.share_delay_median_seconds,
            ngo_story_share_probability: sc.ngos.story_share_probability,
            peer_retweet_probability: sc.journalists.peer_retweet_probability,
            joint_statements_per_month: sc.ngos.joint_statements_per_month,
            statement_participation: sc.ngos.statement_participation,
            games_per_week: sc.fans.games_per_week,
            participation: sc.fans.participation,
            posts_per_game: sc.fans.posts_per_game,
            fan_retweet_delay_median_seconds: sc.fans.retweet_delay_median_seconds,
            headlines_per_day: sc.newsbots.headlines_per_day,
            pickup_probability: sc.newsbots.pickup_probability,
            max_lag_minutes: sc.newsbots.max_lag_minutes,
            friend_engage_probability: sc.friend_clusters.engage_probability,
            friend_delay_median_seconds: sc.friend_clusters.delay_median_seconds,
        }
    }
}

pub struct World {
    pub params: Params,
    /// Real screen names of accounts whose rendered screen name is hashed (archives only).
    pub real_screens: Vec<Box<str>>,
    pub start_day: i64,
    pub end_day: i64,
    pub accounts: Vec<Account>,
    pub arena: String,
    pub clients: Vec<String>,
    pub desks: Vec<Desk>,
    pub coalitions: Vec<Vec<u32>>,
    pub ngo_domains: Vec<String>,
    pub fandoms: Vec<Fandom>,
    pub wires: Vec<Wire>,
    pub friends: Vec<Vec<u32>>,
    pub ops: Vec<OpRuntime>,
    /// Accounts that post ordinary originals, and an alias table over their activity.
    pub general_ids: Vec<u32>,
    pub general: Alias,
    /// Engagers (retweeters, repliers) per account language, and over everyone.
    pub engager_ids: Vec<Vec<u32>>,
    pub engagers: Vec<Alias>,
    pub all_engager_ids: Vec<u32>,
    pub all_engagers: Alias,
    /// Popular accounts per language (mention targets).
    pub popular: Vec<Vec<u32>>,
    pub plan: Plan,
    /// A takedown archive: no ordinary population, references may point outside the file.
    pub external: bool,
    pub organic_cfg: super::scenario::OrganicConfig,
}

impl World {
    pub fn frag(&self, a: &Account) -> &[u8] {
        &self.arena.as_bytes()[a.frag as usize..(a.frag + a.frag_len) as usize]
    }

    /// The userid as written (numeric, or a hash in takedown archives).
    pub fn uid(&self, a: &Account) -> &[u8] {
        self.uid_str(a).as_bytes()
    }

    pub fn uid_str(&self, a: &Account) -> &str {
        let s = a.frag as usize + 1;
        self.arena.get(s..s + a.uid_len as usize).unwrap_or("")
    }

    pub fn screen(&self, a: &Account) -> &str {
        let s = a.frag as usize + a.screen_off as usize;
        self.arena.get(s..s + a.screen_len as usize).unwrap_or("")
    }

    /// The screen name as it appears in texts (the real one, even when the field is hashed).
    pub fn screen_text(&self, idx: u32) -> &str {
        match self.real_screens.get(idx as usize) {
            Some(s) => s,
            None => self.screen(&self.accounts[idx as usize]),
        }
    }

    pub fn days(&self) -> usize {
        (self.end_day - self.start_day + 1) as usize
    }
}

/// Ids and handles already taken (shared by the main slice and the takedown archives).
#[derive(Default)]
pub struct Registry {
    ids: HashSet<u64, BuildHasherDefault<MixHasher>>,
    /// 64-bit hashes of lowercased handles (collisions are negligible at these sizes).
    handles: HashSet<u64, BuildHasherDefault<MixHasher>>,
}

/// A hasher for u64 keys (membership only; iteration order is never used).
#[derive(Default)]
pub struct MixHasher(u64);

impl std::hash::Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix64(self.0 ^ b as u64);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = mix64(self.0 ^ v);
    }
}

fn handle_key(h: &str) -> u64 {
    h.bytes().fold(0xcbf2_9ce4_8422_2325u64, |k, b| (k ^ b.to_ascii_lowercase() as u64).wrapping_mul(0x100_0000_01b3))
}

impl Registry {
    pub fn with_capacity(n: usize) -> Registry {
        Registry {
            ids: HashSet::with_capacity_and_hasher(n, Default::default()),
            handles: HashSet::with_capacity_and_hasher(n, Default::default()),
        }
    }

    fn id(&mut self, rng: &mut Rng8, created_ms: i64) -> u64 {
        loop {
            let id = user_id(rng, created_ms);
            if self.ids.insert(id) {
                return id;
            }
        }
    }

    /// A handle not used by anyone in the data.
    pub fn fresh_handle(&mut self, rng: &mut Rng8, h: String) -> String {
        self.handle(rng, h)
    }

    fn handle(&mut self, rng: &mut Rng8, mut h: String) -> String {
        h.retain(|c| c.is_ascii_alphanumeric() || c == '_');
        if h.is_empty() {
            h = format!("user{}", lower_alnum(rng, 6));
        }
        h.truncate(15);
        let base = h.clone();
        let mut tries = 0u32;
        while !self.handles.insert(handle_key(&h)) {
            tries += 1;
            // Taken: append digits, more of them after each failure.
            let digits = (2 + tries).min(7);
            let suffix = rng.random_range(0..10u64.pow(digits)).to_string();
            let keep = 15usize.saturating_sub(suffix.len()).min(base.len());
            h = if tries > 30 { lower_alnum(rng, 12) } else { format!("{}{suffix}", &base[..keep]) };
        }
        h
    }
}

/// A plausible user id for an account created at `created_ms`: sequential-looking 32-bit ids
/// before 2016, Snowflake ids after.
fn user_id(rng: &mut Rng8, created_ms: i64) -> u64 {
    const ANCHORS: &[(i64, f64)] = &[
        (13_228, 12.0),
        (13_514, 4.0e5),
        (13_879, 1.2e7),
        (14_245, 1.9e7),
        (14_610, 1.0e8),
        (14_975, 2.3e8),
        (15_340, 4.5e8),
        (15_706, 1.1e9),
        (16_071, 2.3e9),
        (16_436, 2.95e9),
        (16_801, 4.7e9),
    ];
    let day = created_ms.div_euclid(MS_PER_DAY);
    if day >= 16_801 {
        return time::snowflake(created_ms, rng.random_range(0..1u64 << 22));
    }
    let day = day.max(ANCHORS[0].0);
    let i = ANCHORS.iter().rposition(|(d, _)| *d <= day).unwrap_or(0).min(ANCHORS.len() - 2);
    let (d0, v0) = ANCHORS[i];
    let (d1, v1) = ANCHORS[i + 1];
    let per_day = (v1 - v0) / (d1 - d0) as f64;
    let frac = (created_ms - d0 * MS_PER_DAY) as f64 / MS_PER_DAY as f64;
    (v0 + per_day * frac + rng.random::<f64>() * per_day.max(1.0)) as u64
}

/// `v` per unit of scale, at least `min` unless the scenario asks for none at all.
fn count(v: u64, scale: f64, min: u64) -> usize {
    if v == 0 {
        return 0;
    }
    ((v as f64 * scale).round() as u64).max(min) as usize
}

fn tz_of(hours: f64) -> i32 {
    (hours * 60.0).round() as i32
}

fn lang_weights(m: &std::collections::BTreeMap<String, f64>) -> Vec<(Lang, f64)> {
    m.iter().filter_map(|(k, v)| Some((Lang::from_code(k)?, *v))).filter(|(_, v)| *v > 0.0).collect()
}

fn client_index(clients: &mut Vec<String>, name: &str) -> u16 {
    if let Some(i) = clients.iter().position(|c| c == name) {
        return i as u16;
    }
    clients.push(name.to_string());
    (clients.len() - 1) as u16
}

/// A person's display name and a handle built from it.
fn person(rng: &mut Rng8, lang: Lang) -> (String, String, String) {
    let b = lang.bank();
    let fi = rng.random_range(0..b.first.len());
    let (f, fl) = b.first[fi];
    let (l, ll) = pick(rng, b.last);
    // Russian surnames agree with the (female) first names at the end of the bank.
    if lang == Lang::Ru && fi >= 10 {
        return (format!("{f} {l}а"), fl.to_string(), format!("{ll}a"));
    }
    let display = if b.family_first { format!("{l}{f}") } else { format!("{f} {l}") };
    (display, fl.to_string(), ll.to_string())
}

fn organic_handle(rng: &mut Rng8, first: &str, last: &str) -> String {
    let digits = |rng: &mut Rng8, n: u32| rng.random_range(10u32.pow(n - 1)..10u32.pow(n)).to_string();
    match rng.random_range(0..20) {
        0 => format!("{first}{last}"),
        1 => format!("{first}_{last}"),
        2 => format!("{}{}", capitalise(first), capitalise(last)),
        3 | 4 => format!("{first}{}{}", &last[..1.min(last.len())], digits(rng, 3)),
        5 | 6 => format!("{first}{}", digits(rng, 4)),
        7 | 8 => format!("{}{}", pick(rng, banks::LATIN_WORDS), digits(rng, 3)),
        9 => format!("the{}{}", capitalise(first), capitalise(last)),
        10 | 11 => format!("{}_{}{}", pick(rng, banks::LATIN_WORDS), first, digits(rng, 2)),
        12 => format!("{}{last}", &first[..1.min(first.len())]),
        13 | 14 => format!("{first}_{}", digits(rng, 4)),
        15 | 16 => format!("{}{}{}", capitalise(first), capitalise(last), digits(rng, 2)),
        _ => format!("{first}{last}{}", digits(rng, 3)),
    }
}

fn op_handle(rng: &mut Rng8, style: &str, first: &str, last: &str) -> String {
    match style {
        "random" => {
            let len = rng.random_range(8..=15);
            let mut h = alnum(rng, len);
            if h.as_bytes()[0].is_ascii_digit() {
                h.replace_range(0..1, "x");
            }
            h
        }
        "name_year" => {
            let mut base = if rng.random_bool(0.5) { format!("{first}_{last}") } else { format!("{first}{last}") };
            base.truncate(11);
            format!("{base}{}", rng.random_range(1968..2002))
        }
        "word_digits" => {
            let mut base = format!("{}{}", pick(rng, banks::LATIN_WORDS), if rng.random_bool(0.5) { "_" } else { "" });
            base.truncate(10);
            let n = rng.random_range(3..=5);
            format!("{base}{}", rng.random_range(10u32.pow(n - 1)..10u32.pow(n)))
        }
        _ => {
            let mut base = capitalise(first);
            if rng.random_bool(0.5) {
                base.push_str(&capitalise(last));
            }
            base.truncate(7);
            format!("{base}{}", rng.random_range(10_000_000u32..100_000_000))
        }
    }
}

fn bio(rng: &mut Rng8, lang: Lang) -> String {
    let b = lang.bank();
    let n = rng.random_range(1..=3);
    let sep = pick(rng, &[" | ", " · ", ". ", " ✨ ", ", "]);
    let mut parts: Vec<&str> = Vec::with_capacity(n);
    for _ in 0..n {
        let p = pick(rng, b.bio);
        if !parts.contains(&p) {
            parts.push(p);
        }
    }
    let mut s = parts.join(sep);
    if rng.random_bool(0.03) {
        s.push('\n');
        s.push_str(pick(rng, b.bio));
    }
    s
}

fn tco(rng: &mut Rng8) -> String {
    format!("https://t.co/{}", alnum(rng, 10))
}

/// Creation time of an ordinary account.
fn organic_created(rng: &mut Rng8, start_day: i64, end_day: i64, in_period: f64) -> i64 {
    let day = if rng.random_bool(in_period) {
        rng.random_range(start_day..=end_day.max(start_day))
    } else {
        const YEARS: &[(i64, f64)] = &[
            (2008, 2.0),
            (2009, 5.0),
            (2010, 7.0),
            (2011, 9.0),
            (2012, 10.0),
            (2013, 9.0),
            (2014, 8.0),
            (2015, 7.0),
            (2016, 7.0),
            (2017, 7.0),
            (2018, 8.0),
            (2019, 8.0),
        ];
        let y = *pick_weighted(rng, YEARS);
        let d = time::days_from_civil(y, 1, 1) + rng.random_range(0..365);
        d.min(start_day - 1)
    };
    day * MS_PER_DAY + rng.random_range(0..MS_PER_DAY)
}

fn wave_time(rng: &mut Rng8, day: i64, tz_min: i32) -> i64 {
    // Batches are created in office hours, within a few hours of each other.
    let local = day * MS_PER_DAY + rng.random_range(9 * 3_600_000..17 * 3_600_000);
    local - tz_min as i64 * 60_000
}

/// Hours-of-day weights (local time) of ordinary posting.
pub const DIURNAL: [f64; 24] = [
    1.2, 0.8, 0.5, 0.35, 0.3, 0.4, 0.8, 1.5, 2.0, 2.2, 2.3, 2.4, 2.7, 2.6, 2.4, 2.4, 2.5, 2.7, 2.9, 3.2, 3.4, 3.4, 3.0,
    2.1,
];
/// Hours-of-day weights of journalists and NGOs (working days, long hours).
pub const WORKDAY: [f64; 24] = [
    0.5, 0.3, 0.2, 0.1, 0.1, 0.2, 0.6, 1.5, 2.5, 3.0, 3.0, 3.0, 2.8, 2.8, 3.0, 3.0, 2.9, 2.6, 2.2, 1.8, 1.6, 1.4, 1.1,
    0.8,
];

struct Builder<'a> {
    scale: f64,
    rng: Rng8,
    reg: &'a mut Registry,
    accounts: Vec<Account>,
    protos: Vec<Proto>,
    clients: Vec<String>,
}

impl Builder<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: Kind,
        lang: Lang,
        tz_min: i32,
        created_ms: i64,
        client: u16,
        proto: Proto,
        act: f64,
        pop: f64,
    ) -> u32 {
        let id = self.reg.id(&mut self.rng, created_ms);
        let idx = self.accounts.len() as u32;
        self.accounts.push(Account {
            id,
            kind,
            role: Role::None,
            lang,
            flags: 0,
            uid_len: 0,
            screen_len: 0,
            op: u16::MAX,
            client,
            screen_off: 0,
            tz_min,
            group: NONE,
            friend: NONE,
            aux: NONE,
            followers: proto.followers,
            created_ms,
            act: act as f32,
            pop: pop as f32,
            frag: 0,
            frag_len: 0,
        });
        self.protos.push(proto);
        idx
    }

    fn client_for(&mut self, lang: Lang, kind: Kind) -> u16 {
        let opts: &[(&str, f64)] = match kind {
            Kind::Journalist => &[("Twitter Web App", 0.45), ("Twitter for iPhone", 0.35), ("TweetDeck", 0.2)],
            Kind::Ngo => {
                &[("Twitter Web App", 0.4), ("Hootsuite Inc.", 0.3), ("TweetDeck", 0.2), ("Sprout Social", 0.1)]
            }
            Kind::Fan => &[("Twitter for iPhone", 0.5), ("Twitter for Android", 0.45), ("Twitter Web App", 0.05)],
            _ => match lang {
                Lang::En => &[
                    ("Twitter for iPhone", 0.42),
                    ("Twitter for Android", 0.30),
                    ("Twitter Web App", 0.20),
                    ("Twitter for iPad", 0.04),
                    ("TweetDeck", 0.02),
                    ("Tweetbot for iOS", 0.02),
                ],
                _ => &[
                    ("Twitter for Android", 0.5),
                    ("Twitter for iPhone", 0.3),
                    ("Twitter Web App", 0.17),
                    ("Echofon", 0.03),
                ],
            },
        };
        let name = *pick_weighted(&mut self.rng, opts);
        client_index(&mut self.clients, name)
    }

    fn organic_proto(&mut self, lang: Lang, place: &str, followers: u32) -> Proto {
        let rng = &mut self.rng;
        let (mut display, fl, ll) = person(rng, lang);
        if rng.random_bool(0.08) {
            display = display.to_lowercase();
        }
        if rng.random_bool(0.1) {
            display.push(' ');
            display.push_str(pick(rng, banks::EMOJI));
        }
        let handle = organic_handle(rng, &fl, &ll);
        let screen = self.reg.handle(&mut self.rng, handle);
        let rng = &mut self.rng;
        let location = match rng.random_range(0..100) {
            0..=59 => place.to_string(),
            60..=62 => pick(rng, &["Earth", "🌍", "somewhere", "she/her", "in my head"]).to_string(),
            _ => String::new(),
        };
        let description = if rng.random_bool(0.7) { bio(rng, lang) } else { String::new() };
        let url = if rng.random_bool(0.1) { tco(rng) } else { String::new() };
        let following = lognormal(rng, 250.0, 1.0).min(7_500.0) as u32;
        Proto { display, screen, location, description, url, followers, following, account_lang: lang.account_code() }
    }

    fn place(&mut self, lang: Lang) -> (&'static str, i32) {
        let places = lang.bank().places;
        let total: f64 = places.iter().map(|p| p.2).sum();
        let mut x = self.rng.random::<f64>() * total;
        for &(p, tz, w) in places {
            if x < w {
                return (p, tz_of(tz));
            }
            x -= w;
        }
        let (p, tz, _) = places[places.len() - 1];
        (p, tz_of(tz))
    }
}

/// Builds the accounts of the main platform slice.
pub fn build_main(sc: &Scenario, scale: f64, seed: u64, reg: &mut Registry) -> World {
    let start_day = parse_date(&sc.start).unwrap_or(0);
    let end_day = parse_date(&sc.end).unwrap_or(start_day);
    let mut b = Builder {
        scale,
        rng: Rng8::seed_from_u64(mix64(seed ^ 0x5eed_0001)),
        reg,
        accounts: Vec::new(),
        protos: Vec::new(),
        clients: banks::CLIENTS.iter().map(|s| s.to_string()).collect(),
    };
    let o = &sc.organic;
    let langs = lang_weights(&o.languages);
    let sigma_act = o.activity_sigma;
    let sigma_pop = o.popularity_sigma;

    // Ordinary accounts; the first ones form the friend clusters.
    let n_org = count(o.accounts, scale, 50);
    let fc = &sc.friend_clusters;
    let n_clusters = count(fc.clusters, scale, 1).min(n_org / fc.size as usize / 4);
    let mut friends: Vec<Vec<u32>> = vec![Vec::new(); n_clusters];
    let mut cluster_home: Vec<(Lang, &'static str, i32)> = Vec::with_capacity(n_clusters);
    for _ in 0..n_clusters {
        let lang = *pick_weighted(&mut b.rng, &langs);
        let (p, tz) = b.place(lang);
        cluster_home.push((lang, p, tz));
    }
    // Operation creation-wave days (with the operation's office hours): some ordinary
    // accounts are created on them too, as on any busy day.
    let wave_days: Vec<(i64, i32)> = sc
        .operations
        .iter()
        .flat_map(|op| {
            let tz = tz_of(op.timezone_offset_hours);
            op.creation_waves.iter().chain(&op.reemergence_waves).filter_map(move |w| parse_date(w).map(|d| (d, tz)))
        })
        .collect();
    let n_on_wave_days = if wave_days.is_empty() { 0 } else { count(o.created_on_operation_days, scale, 0) };
    let first_on_wave_day = n_org.saturating_sub(n_on_wave_days);
    for i in 0..n_org {
        let cluster = if i < n_clusters * fc.size as usize { Some(i / fc.size as usize) } else { None };
        let (lang, place, tz) = match cluster {
            Some(c) => cluster_home[c],
            None => {
                let lang = *pick_weighted(&mut b.rng, &langs);
                let (p, tz) = b.place(lang);
                (lang, p, tz)
            }
        };
        let za = normal(&mut b.rng).clamp(-4.0, 3.3);
        let zp = (0.3 * za + 0.95 * normal(&mut b.rng)).clamp(-4.0, 4.0);
        let mut act = (sigma_act * za - sigma_act * sigma_act / 2.0).exp();
        if cluster.is_some() {
            act = act.max(2.0);
        }
        let pop = (sigma_pop * zp).exp();
        let followers = lognormal(&mut b.rng, 180.0, 0.5) * (0.9 * sigma_pop * zp).exp();
        let created = if i >= first_on_wave_day {
            let (day, tz) = pick(&mut b.rng, &wave_days);
            wave_time(&mut b.rng, day, tz)
        } else {
            organic_created(&mut b.rng, start_day, end_day, o.created_in_period_share)
        };
        let client = b.client_for(lang, Kind::Organic);
        let proto = b.organic_proto(lang, place, followers.min(5.0e7) as u32);
        let idx = b.push(Kind::Organic, lang, tz, created, client, proto, act, pop);
        if lang != Lang::En && b.rng.random_bool(0.12) {
            b.accounts[idx as usize].flags |= F_BILINGUAL;
        }
        if i >= first_on_wave_day {
            b.accounts[idx as usize].flags |= F_WAVE_DAY;
        }
        if let Some(c) = cluster {
            b.accounts[idx as usize].friend = c as u32;
            friends[c].push(idx);
        }
    }

    // Journalists in desks; NGOs in coalitions.
    let j = &sc.journalists;
    let n_j = count(j.accounts, scale, 2);
    let n_desks = n_j.div_ceil(j.desk_size as usize).max(1);
    let n_ngo = count(sc.ngos.accounts, scale, 2);
    let n_coal = n_ngo.div_ceil(sc.ngos.coalition_size as usize).max(1);
    let mut desks = Vec::with_capacity(n_desks);
    for k in 0..n_desks {
        let primary = TOPICS[k % TOPICS.len()];
        let mut topics = vec![primary];
        let second = pick(&mut b.rng, &TOPICS);
        if second != primary {
            topics.push(second);
        }
        let lang = match k % 7 {
            5 => Lang::Zh,
            6 => Lang::Es,
            _ => Lang::En,
        };
        let mut outlets = Vec::new();
        while outlets.len() < 4 {
            let o = pick(&mut b.rng, banks::OUTLETS);
            if !outlets.contains(&o) {
                outlets.push(o);
            }
        }
        let tz = match primary {
            Topic::HongKong | Topic::Taiwan => 480,
            Topic::UsPolitics => -300,
            Topic::Covid => 0,
            Topic::Economy => -300,
        };
        desks.push(Desk { members: Vec::new(), topics, outlets, coalition: (k % n_coal) as u32, lang, tz_min: tz });
    }
    for i in 0..n_j {
        let k = i % n_desks;
        let (lang, tz) = (desks[k].lang, desks[k].tz_min);
        let outlet = desks[k].outlets[i % desks[k].outlets.len()];
        let (display, fl, ll) = person(&mut b.rng, lang);
        let h = match b.rng.random_range(0..4) {
            0 => format!("{}{}", capitalise(&fl), capitalise(&ll)),
            1 => format!("{fl}{ll}_news"),
            2 => format!("{}{}Reports", capitalise(&fl), capitalise(&ll)),
            _ => format!("{}{}", &fl[..1], ll),
        };
        let screen = b.reg.handle(&mut b.rng, h);
        let outlet_name = outlet.split('.').next().unwrap_or(outlet);
        let beat: Vec<&str> = desks[k].topics.iter().map(|t| topic_label(*t)).collect();
        let description = match lang {
            Lang::Zh => format!("{outlet_name} 记者，关注{}。观点仅代表个人。", beat.join("、")),
            Lang::Es => format!("Periodista en {outlet_name}. Cubro {}. Opiniones propias.", beat.join(" y ")),
            _ => format!(
                "{} @{outlet_name}. Covering {}. Views my own. DMs open, Signal on request.",
                pick(&mut b.rng, &["Reporter", "Correspondent", "Editor", "Senior reporter", "Journalist"]),
                beat.join(" & ")
            ),
        };
        let zp = normal(&mut b.rng);
        let pop = 12.0 * (sigma_pop * 0.6 * zp).exp();
        let followers = (lognormal(&mut b.rng, 15_000.0, 0.4) * (0.9 * sigma_pop * 0.6 * zp).exp()) as u32;
        let created = organic_created(&mut b.rng, start_day, end_day, 0.0);
        let client = b.client_for(lang, Kind::Journalist);
        let location = match tz {
            480 => "Hong Kong",
            -300 => "Washington, DC",
            _ => "London, England",
        };
        let proto = Proto {
            display,
            screen,
            location: location.to_string(),
            description,
            url: format!("https://www.{outlet}/by/{fl}-{ll}"),
            followers,
            following: lognormal(&mut b.rng, 1500.0, 0.6) as u32,
            account_lang: lang.account_code(),
        };
        let idx = b.push(Kind::Journalist, lang, tz, created, client, proto, j.activity, pop);
        b.accounts[idx as usize].group = k as u32;
        desks[k].members.push(idx);
    }
    let mut coalitions = vec![Vec::new(); n_coal];
    let mut ngo_domains = Vec::with_capacity(n_ngo);
    let mut ngo_names = HashSet::new();
    for i in 0..n_ngo {
        let (w1, w2, w3) = banks::NGO_WORDS;
        let mut name;
        let mut tries = 0;
        loop {
            name = format!("{} {} {}", pick(&mut b.rng, w1), pick(&mut b.rng, w2), pick(&mut b.rng, w3));
            tries += 1;
            if tries > 5 {
                name = format!("{name} {}", i + 1);
            }
            if ngo_names.insert(name.clone()) {
                break;
            }
        }
        let slug: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
        let domain = format!("{slug}.org");
        let initials: String = name.split(' ').filter_map(|w| w.chars().next()).collect();
        let h = if b.rng.random_bool(0.5) { slug.clone() } else { format!("{initials}_org") };
        let screen = b.reg.handle(&mut b.rng, h);
        let (place, tz) = pick(
            &mut b.rng,
            &[
                ("Geneva, Switzerland", 60),
                ("New York, NY", -300),
                ("Hong Kong", 480),
                ("London, England", 0),
                ("Bangkok, Thailand", 420),
            ],
        );
        let zp = normal(&mut b.rng);
        let proto = Proto {
            display: name.clone(),
            screen,
            location: place.to_string(),
            description: format!(
                "{name}: {}. Retweets are not endorsements.",
                pick(
                    &mut b.rng,
                    &[
                        "defending human rights since 1998",
                        "independent monitoring and advocacy",
                        "for a free press in Asia",
                        "documenting abuses, demanding justice",
                        "a network of civil society groups"
                    ]
                )
            ),
            url: format!("https://{domain}"),
            followers: (lognormal(&mut b.rng, 25_000.0, 0.8) * (0.5 * zp).exp()) as u32,
            following: lognormal(&mut b.rng, 800.0, 0.6) as u32,
            account_lang: "en",
        };
        let created = organic_created(&mut b.rng, start_day, end_day, 0.0);
        let client = b.client_for(Lang::En, Kind::Ngo);
        let idx = b.push(Kind::Ngo, Lang::En, tz, created, client, proto, sc.ngos.activity, 6.0 * (0.8 * zp).exp());
        let c = i % n_coal;
        b.accounts[idx as usize].group = c as u32;
        b.accounts[idx as usize].aux = ngo_domains.len() as u32;
        ngo_domains.push(domain);
        coalitions[c].push(idx);
    }

    // Fandoms: an idol account (kind organic) and its fans.
    let f = &sc.fans;
    let n_fans = count(f.accounts, scale, 5);
    let n_fandoms = ((n_fans as f64 / f.fandom_size as f64).round() as usize).max(1);
    let fan_langs: Vec<(Lang, f64)> =
        vec![(Lang::En, 0.5), (Lang::Es, 0.2), (Lang::Ar, 0.1), (Lang::Fr, 0.1), (Lang::Zh, 0.05), (Lang::Ru, 0.05)];
    let mut fandoms = Vec::with_capacity(n_fandoms);
    for k in 0..n_fandoms {
        let (name, fname) = banks::FANDOMS[k % banks::FANDOMS.len()];
        let round = k / banks::FANDOMS.len();
        let idol_name = if round == 0 { name.to_string() } else { format!("{name}{}", round + 1) };
        let screen = b.reg.handle(&mut b.rng, format!("{idol_name}_official"));
        let proto = Proto {
            display: format!("{idol_name} 💫"),
            screen,
            location: "Seoul, Korea".into(),
            description: format!("{idol_name} official Twitter. {fname} forever 💜"),
            url: tco(&mut b.rng),
            followers: lognormal(&mut b.rng, 1_500_000.0, 0.7) as u32,
            following: b.rng.random_range(5..40),
            account_lang: "en",
        };
        let created = organic_created(&mut b.rng, start_day, end_day, 0.0);
        let client = client_index(&mut b.clients, "Twitter for iPhone");
        let idol = b.push(Kind::Organic, Lang::En, 540, created, client, proto, 2.0, 150.0);
        b.accounts[idol as usize].flags |= F_IDOL;
        b.accounts[idol as usize].group = k as u32;
        fandoms.push(Fandom { idol, members: Vec::new(), idol_name, fandom_name: fname.to_string() });
    }
    for i in 0..n_fans {
        let k = i % n_fandoms;
        let lang = *pick_weighted(&mut b.rng, &fan_langs);
        let (place, tz) = b.place(lang);
        let (_, fl, _) = person(&mut b.rng, lang);
        let idol = fandoms[k].idol_name.to_lowercase();
        let digits = b.rng.random_range(0..100);
        let h = match b.rng.random_range(0..4) {
            0 => format!("{idol}_{fl}{digits:02}"),
            1 => format!("{fl}4{idol}"),
            2 => format!("{fl}loves{idol}"),
            _ => format!("{idol}stan{digits}"),
        };
        let screen = b.reg.handle(&mut b.rng, h);
        let emoji = pick(&mut b.rng, banks::FAN_EMOJI);
        let za = normal(&mut b.rng);
        let zp = normal(&mut b.rng);
        let proto = Proto {
            display: format!(
                "{}{} {emoji} {}",
                fl,
                if b.rng.random_bool(0.5) { "⁷" } else { "" },
                fandoms[k].idol_name
            ),
            screen,
            location: if b.rng.random_bool(0.4) {
                place.to_string()
            } else {
                format!("{} {emoji}", fandoms[k].fandom_name)
            },
            description: format!(
                "{} {emoji} | {} | fan account",
                fandoms[k].idol_name,
                pick(&mut b.rng, lang.bank().bio)
            ),
            url: String::new(),
            followers: lognormal(&mut b.rng, 600.0, 1.0) as u32,
            following: lognormal(&mut b.rng, 700.0, 0.6) as u32,
            account_lang: lang.account_code(),
        };
        let created = organic_created(&mut b.rng, start_day, end_day, 0.05);
        let client = b.client_for(lang, Kind::Fan);
        let act = f.activity * (0.8 * za - 0.32).exp();
        let idx = b.push(Kind::Fan, lang, tz, created, client, proto, act, 0.5 * (sigma_pop * 0.5 * zp).exp());
        b.accounts[idx as usize].group = k as u32;
        fandoms[k].members.push(idx);
    }

    // News bots syndicating wires.
    let nb = &sc.newsbots;
    let n_bots = count(nb.accounts, scale, 2);
    let n_wires = n_bots.div_ceil(nb.bots_per_wire as usize).max(1);
    let mut wires = Vec::with_capacity(n_wires);
    for k in 0..n_wires {
        let (name, domain, lang) = banks::WIRES[k % banks::WIRES.len()];
        let round = k / banks::WIRES.len();
        let name = if round == 0 { name.to_string() } else { format!("{name} {}", round + 1) };
        let tz = match lang {
            Lang::En => -300,
            Lang::Es => -360,
            Lang::Ar | Lang::Ru => 180,
            Lang::Fr => 60,
            Lang::Zh => 480,
        };
        wires.push(Wire { bots: Vec::new(), name, domain, lang, tz_min: tz });
    }
    let bot_clients = ["dlvr.it", "IFTTT", "WordPress.com", "Buffer", "twitterfeed", "Hootsuite Inc."];
    for i in 0..n_bots {
        let k = i % n_wires;
        let lang = wires[k].lang;
        let (place, _) = b.place(lang);
        let city: String = place.split(',').next().unwrap_or(place).to_string();
        let city_latin: String = city.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        let city_latin = if city_latin.is_empty() { lower_alnum(&mut b.rng, 4) } else { city_latin };
        let h = match b.rng.random_range(0..3) {
            0 => format!("{city_latin}News24"),
            1 => format!("News_{city_latin}"),
            _ => format!("{city_latin}Feed{}", b.rng.random_range(1..99)),
        };
        let screen = b.reg.handle(&mut b.rng, h);
        let proto = Proto {
            display: format!("{city} {}", pick(&mut b.rng, &["News", "Noticias", "Today", "24/7", "Now", "Headlines"])),
            screen,
            location: place.to_string(),
            description: format!("Automated headlines from {}. Not affiliated.", wires[k].name),
            url: format!("https://{}", wires[k].domain),
            followers: lognormal(&mut b.rng, 2500.0, 1.0) as u32,
            following: b.rng.random_range(0..50),
            account_lang: lang.account_code(),
        };
        let created = organic_created(&mut b.rng, start_day, end_day, 0.0);
        let client = client_index(&mut b.clients, bot_clients[i % bot_clients.len()]);
        let tz = wires[k].tz_min;
        let idx = b.push(Kind::Newsbot, lang, tz, created, client, proto, 0.0, 0.2);
        b.accounts[idx as usize].group = k as u32;
        // aux: lag profile of this bot (minutes, polling phase), tracking variant.
        b.accounts[idx as usize].aux = b.rng.random_range(0..1000);
        wires[k].bots.push(idx);
    }

    // Operations.
    let mut ops = Vec::with_capacity(sc.operations.len());
    let veterans_for: Vec<u64> = sc
        .operations
        .iter()
        .map(|op| sc.priors.iter().filter(|p| p.same_actor_as == op.name).map(|p| p.reused_accounts).max().unwrap_or(0))
        .collect();
    let prior_waves: Vec<Vec<String>> = sc
        .operations
        .iter()
        .map(|op| {
            sc.priors.iter().find(|p| p.same_actor_as == op.name).map(|p| p.creation_waves.clone()).unwrap_or_default()
        })
        .collect();
    for (oi, op) in sc.operations.iter().enumerate() {
        let n_core = count(op.core, scale, 3);
        let n_amp = count(op.amplifiers, scale, 5);
        let rt = build_op(
            &mut b,
            oi as u16,
            op,
            n_core,
            n_amp,
            veterans_for[oi] as usize,
            &prior_waves[oi],
            start_day,
            end_day,
        );
        ops.push(rt);
    }

    let Builder { accounts, protos, clients, .. } = b;
    let mut world = World {
        params: Params::new(sc),
        real_screens: Vec::new(),
        start_day,
        end_day,
        accounts,
        arena: String::new(),
        clients,
        desks,
        coalitions,
        ngo_domains,
        fandoms,
        wires,
        friends,
        ops,
        general_ids: Vec::new(),
        general: Alias::default(),
        engager_ids: Vec::new(),
        engagers: Vec::new(),
        all_engager_ids: Vec::new(),
        all_engagers: Alias::default(),
        popular: Vec::new(),
        plan: Plan::default(),
        external: false,
        organic_cfg: sc.organic.clone(),
    };
    render(&mut world, protos, None);
    calibrate(&mut world, sc, scale);
    world
}

fn topic_label(t: Topic) -> &'static str {
    match t {
        Topic::HongKong => "Hong Kong",
        Topic::Covid => "public health",
        Topic::Taiwan => "Taiwan",
        Topic::UsPolitics => "US politics",
        Topic::Economy => "markets",
    }
}

/// Creates an operation's accounts and runtime. `veterans` core accounts are created in
/// `prior_waves` (they also appear in the earlier takedown archive).
#[allow(clippy::too_many_arguments)]
fn build_op(
    b: &mut Builder<'_>,
    oi: u16,
    op: &OperationConfig,
    n_core: usize,
    n_amp: usize,
    veterans: usize,
    prior_waves: &[String],
    start_day: i64,
    end_day: i64,
) -> OpRuntime {
    let tz = tz_of(op.timezone_offset_hours);
    let langs = lang_weights(&op.languages);
    let n_cells = ((op.cells * b.scale).round() as usize).clamp(1, (n_core / 3).max(1));
    let waves: Vec<i64> = op.creation_waves.iter().filter_map(|w| parse_date(w)).collect();
    let re_waves: Vec<i64> = op.reemergence_waves.iter().filter_map(|w| parse_date(w)).collect();
    let pw: Vec<i64> = prior_waves.iter().filter_map(|w| parse_date(w)).collect();
    let clients: Vec<(u16, f64)> = op.clients.iter().map(|(c, w)| (client_index(&mut b.clients, c), *w)).collect();
    let mut cells: Vec<Cell> = (0..n_cells).map(|_| Cell::default()).collect();
    let veterans = veterans.min(n_core);
    for i in 0..n_core + n_amp {
        let core = i < n_core;
        let lang = *pick_weighted(&mut b.rng, &langs);
        let veteran = core && i < veterans;
        let rng = &mut b.rng;
        let reemerge = !veteran && !re_waves.is_empty() && rng.random_bool(op.reemergence_share);
        let repurposed = !veteran && !reemerge && rng.random_bool(op.repurposed_share);
        let created = if veteran && !pw.is_empty() {
            {
                let day = pick(rng, &pw);
                wave_time(rng, day, tz)
            }
        } else if reemerge {
            {
                let day = pick(rng, &re_waves);
                wave_time(rng, day, tz)
            }
        } else if repurposed || waves.is_empty() {
            let day = rng.random_range(time::days_from_civil(2010, 1, 1)..time::days_from_civil(2018, 1, 1));
            day * MS_PER_DAY + rng.random_range(0..MS_PER_DAY)
        } else {
            {
                let day = pick(rng, &waves);
                wave_time(rng, day, tz)
            }
        };
        // Display name: a native or an English name (operations often borrow identities).
        let name_lang = if rng.random_bool(0.5) { lang } else { Lang::En };
        let (mut display, fl, ll) = person(rng, name_lang);
        if rng.random_bool(0.1) {
            display = capitalise(pick(rng, banks::LATIN_WORDS));
        }
        let style = if core { op.core_handles.as_str() } else { op.amplifier_handles.as_str() };
        let handle = op_handle(rng, style, &fl, &ll);
        let screen = b.reg.handle(&mut b.rng, handle);
        let rng = &mut b.rng;
        let empty = !veteran && !repurposed && rng.random_bool(op.empty_profile_share);
        let (location, description, url) = if empty {
            (String::new(), String::new(), String::new())
        } else {
            let places = lang.bank().places;
            let loc = if rng.random_bool(0.5) {
                places[rng.random_range(0..places.len().min(3))].0.to_string()
            } else {
                String::new()
            };
            (loc, bio(rng, lang), if rng.random_bool(0.05) { tco(rng) } else { String::new() })
        };
        let followers = if veteran {
            rng.random_range(5_200..18_000)
        } else if repurposed {
            lognormal(rng, 300.0, 1.0) as u32
        } else if core {
            lognormal(rng, 12.0, 1.0) as u32
        } else {
            lognormal(rng, 2.0, 1.2) as u32
        };
        let following = if core { lognormal(rng, 40.0, 0.8) } else { lognormal(rng, 15.0, 1.0) } as u32;
        let account_lang = if lang == Lang::Zh && rng.random_bool(0.5) { "en" } else { lang.account_code() };
        let client = *pick_weighted(rng, &clients);
        let act = if core { lognormal(rng, 1.0, 0.6) } else { lognormal(rng, 1.0, 0.7) };
        let proto = Proto { display, screen, location, description, url, followers, following, account_lang };
        let idx = b.push(Kind::Operation, lang, tz, created, client, proto, act, 0.0);
        let a = &mut b.accounts[idx as usize];
        a.op = oi;
        a.role = if core { Role::Core } else { Role::Amplifier };
        if veteran {
            a.flags |= F_VETERAN;
        }
        if reemerge {
            a.flags |= F_REEMERGE;
        }
        let cell = i % n_cells;
        a.group = cell as u32;
        if core {
            cells[cell].core.push(idx);
        } else if b.rng.random_bool(op.quiet_share) {
            // Quiet: one to five actions in the whole slice, or none (users file only).
            let silent = b.rng.random_bool(op.silent_share);
            let a = &mut b.accounts[idx as usize];
            a.flags |= F_QUIET | if silent { F_SILENT } else { 0 };
            a.aux = if silent { 0 } else { b.rng.random_range(1..=5) };
            cells[cell].quiet.push(idx);
        } else {
            cells[cell].amps.push(idx);
        }
    }
    finish_cells(&mut b.rng, &mut cells, &b.accounts);
    let narratives = op_narratives(&mut b.rng, op, &langs, start_day, end_day);
    let day_mult = op_day_mult(&mut b.rng, op, start_day, end_day, tz);
    let active_days: f64 = day_mult
        .iter()
        .enumerate()
        .map(|(k, m)| {
            let wf = if time::weekday(start_day + k as i64) >= 5 { op.weekend_activity } else { 1.0 };
            *m as f64 * wf
        })
        .sum();
    for cell in &mut cells {
        let budget: f64 = cell.quiet.iter().map(|&i| b.accounts[i as usize].aux as f64).sum();
        let core_posts = op.core_posts_per_day * cell.core.len() as f64 * active_days;
        cell.quiet_rate = if core_posts > 0.0 { (1.6 * budget / core_posts).min(1.0) } else { 0.0 };
    }
    let core_per_amp = cells.iter().map(|c| c.core.len()).sum::<usize>() as f64
        / cells.iter().map(|c| c.amps.len()).sum::<usize>().max(1) as f64;
    let amp_rate = op.core_posts_per_day * op.amplifications_per_post * core_per_amp;
    let cs = op.camouflage_share;
    OpRuntime {
        name: op.name.clone(),
        cfg: op.clone(),
        cells,
        langs,
        narratives,
        tz_min: tz,
        day_mult,
        clients,
        camo_rate: amp_rate * cs / (1.0 - cs),
    }
}

fn finish_cells(rng: &mut Rng8, cells: &mut [Cell], accounts: &[Account]) {
    for cell in cells.iter_mut() {
        cell.core.sort_by_key(|&i| (accounts[i as usize].created_ms, i));
        cell.amps.sort_by_key(|&i| (accounts[i as usize].created_ms, i));
        cell.quiet.sort_by_key(|&i| (accounts[i as usize].created_ms, i));
        cell.squads = vec![Vec::new(); cell.core.len()];
        if cell.core.is_empty() {
            continue;
        }
        for &a in &cell.amps {
            let first = rng.random_range(0..cell.core.len());
            cell.squads[first].push(a);
            if cell.core.len() > 1 {
                let mut second = rng.random_range(0..cell.core.len() - 1);
                if second >= first {
                    second += 1;
                }
                cell.squads[second].push(a);
            }
        }
    }
}

fn op_narratives(
    rng: &mut Rng8,
    op: &OperationConfig,
    langs: &[(Lang, f64)],
    start_day: i64,
    end_day: i64,
) -> Vec<NarrRt> {
    let mut out = Vec::new();
    for n in &op.narratives {
        let Some(nar) = banks::narrative_by_name(&n.name) else { continue };
        let mut texts: Vec<&'static NarrativeText> =
            nar.texts.iter().filter(|t| langs.iter().any(|(l, _)| *l == t.lang)).collect();
        if texts.is_empty() {
            texts = nar.texts.iter().collect();
        }
        let s = if n.start.is_empty() { i64::MIN } else { parse_date(&n.start).unwrap_or(start_day) };
        let e = if n.end.is_empty() { i64::MAX } else { parse_date(&n.end).unwrap_or(end_day) };
        // A pool of links per narrative, reused across posts (co-links).
        let n_urls = 12 + (op.core as usize / 4).min(40);
        let slug_words = texts[0].slug;
        let mut urls = Vec::with_capacity(n_urls);
        for k in 0..n_urls {
            let domain = if op.domains.is_empty() { "youtube.com" } else { op.domains[k % op.domains.len()].as_str() };
            let url = if domain.contains("youtube") {
                format!("https://www.youtube.com/watch?v={}", alnum(rng, 11))
            } else if domain == "telegra.ph" {
                let (_, m, d) = time::civil_from_days(rng.random_range(start_day - 30..=end_day));
                format!(
                    "https://telegra.ph/{}-{}-{m:02}-{d:02}",
                    capitalise(pick(rng, slug_words)),
                    capitalise(pick(rng, slug_words))
                )
            } else {
                let w: Vec<&str> = (0..rng.random_range(3..6)).map(|_| pick(rng, slug_words)).collect();
                let (y, m, _) = time::civil_from_days(rng.random_range(start_day - 30..=end_day));
                format!("https://{domain}/{y}/{m:02}/{}-{}.html", w.join("-"), rng.random_range(1000..99999))
            };
            urls.push(url);
        }
        out.push(NarrRt { start: s, end: e, weight: n.weight, hashtags: n.hashtags.clone(), texts, urls });
    }
    out
}

fn op_day_mult(rng: &mut Rng8, op: &OperationConfig, start_day: i64, end_day: i64, _tz: i32) -> Vec<f32> {
    let bursts: Vec<(i64, i64, f64, bool)> = op
        .bursts
        .iter()
        .filter_map(|b| Some((parse_date(&b.start)?, parse_date(&b.end)?, b.multiplier, b.ramp)))
        .collect();
    let dormant: Vec<(i64, i64)> =
        op.dormancy.iter().filter_map(|d| Some((parse_date(&d.start)?, parse_date(&d.end)?))).collect();
    (start_day..=end_day)
        .map(|d| {
            if dormant.iter().any(|(s, e)| d >= *s && d <= *e) {
                // A residual trickle (camouflage, a few stray posts), not silence.
                return (op.dormancy_residual * lognormal(rng, 1.0, 0.25)) as f32;
            }
            let mut m: f64 = 1.0;
            for &(s, e, mult, ramp) in &bursts {
                if d >= s && d <= e {
                    let v = if ramp { 1.0 + (mult - 1.0) * (d - s + 1) as f64 / (e - s + 1) as f64 } else { mult };
                    m = m.max(v);
                }
            }
            (m * lognormal(rng, 1.0, 0.25)) as f32
        })
        .collect()
}

/// Renders every account's users-file row into the arena. With `hash` (key, threshold, hex),
/// accounts under the follower threshold get the keyed hash as userid, display name and
/// screen name.
fn render(world: &mut World, protos: Vec<Proto>, hash: Option<(u64, u64, bool)>) {
    let mut arena = Vec::with_capacity(protos.len() * 160);
    if hash.is_some() {
        world.real_screens = protos.iter().map(|p| p.screen.as_str().into()).collect();
    }
    let mut num = Vec::with_capacity(24);
    for (a, p) in world.accounts.iter_mut().zip(protos) {
        let start = arena.len();
        num.clear();
        time::push_u64(&mut num, a.id);
        let hashed = match hash {
            // 2020 releases: base64 of a 32-byte digest; 2018-19 releases: 64 hex digits.
            Some((key, threshold, hex)) if (p.followers as u64) < threshold => {
                let d = digest32(key, &num);
                Some(if hex { d.iter().map(|b| format!("{b:02x}")).collect() } else { base64(&d) })
            }
            _ => None,
        };
        let uid: &str = match &hashed {
            Some(h) => h,
            None => std::str::from_utf8(&num).unwrap_or("0"),
        };
        push_field(&mut arena, uid);
        a.uid_len = uid.len() as u8;
        arena.push(b',');
        push_field(&mut arena, hashed.as_deref().unwrap_or(&p.display));
        arena.push(b',');
        let screen = hashed.as_deref().unwrap_or(&p.screen);
        a.screen_off = (arena.len() - start + 1) as u16;
        a.screen_len = screen.len() as u8;
        push_field(&mut arena, screen);
        for s in [&p.location, &p.description, &p.url] {
            arena.push(b',');
            push_field(&mut arena, s);
        }
        arena.extend_from_slice(b",\"");
        time::push_u64(&mut arena, p.followers as u64);
        arena.extend_from_slice(b"\",\"");
        time::push_u64(&mut arena, p.following as u64);
        arena.extend_from_slice(b"\",\"");
        arena.extend_from_slice(fmt_date(a.created_ms.div_euclid(MS_PER_DAY)).as_bytes());
        arena.extend_from_slice(b"\",\"");
        arena.extend_from_slice(p.account_lang.as_bytes());
        arena.push(b'"');
        a.frag = start as u32;
        a.frag_len = (arena.len() - start) as u32;
    }
    // Built from UTF-8 strings only, so this never fails.
    world.arena = String::from_utf8(arena).unwrap_or_default();
}

/// Expected event-driven volumes, the ordinary budget, and per-account popularity.
fn calibrate(world: &mut World, sc: &Scenario, scale: f64) {
    let days = world.days() as f64;
    let j = &sc.journalists;
    let stories: f64 = world.desks.len() as f64 * j.stories_per_desk_per_day * days;
    let desk_members =
        world.desks.iter().map(|d| d.members.len()).sum::<usize>() as f64 / world.desks.len().max(1) as f64;
    let shares = stories * desk_members * j.share_probability;
    let peer = shares * (desk_members - 1.0).max(0.0) * j.peer_retweet_probability;
    let coal_members =
        world.coalitions.iter().map(|c| c.len()).sum::<usize>() as f64 / world.coalitions.len().max(1) as f64;
    let ngo_story = stories * 0.4 * coal_members * sc.ngos.story_share_probability;
    let statements = world.coalitions.len() as f64 * sc.ngos.joint_statements_per_month * days / 30.44
        * coal_members
        * sc.ngos.statement_participation;
    let f = &sc.fans;
    let fans_per =
        world.fandoms.iter().map(|x| x.members.len()).sum::<usize>() as f64 / world.fandoms.len().max(1) as f64;
    let games = world.fandoms.len() as f64 * f.games_per_week * days / 7.0;
    let game_posts = games
        * (1.0
            + fans_per * f.participation * (f.posts_per_game + 0.8)
            + fans_per * 0.03 * f.posts_per_game * f.participation);
    let nb = &sc.newsbots;
    let bots = world.wires.iter().map(|w| w.bots.len()).sum::<usize>() as f64;
    let bot_posts = bots * nb.headlines_per_day * days * nb.pickup_probability;
    let mut op_posts = 0.0;
    for op in &world.ops {
        let cfg = &op.cfg;
        let mut core_posts = 0.0;
        for (k, m) in op.day_mult.iter().enumerate() {
            let d = world.start_day + k as i64;
            let wd = time::weekday(d);
            let wf = if wd >= 5 { cfg.weekend_activity } else { 1.0 };
            let t = (d + 1) * MS_PER_DAY;
            let active =
                op.cells.iter().flat_map(|c| &c.core).filter(|&&i| world.accounts[i as usize].created_ms < t).count();
            core_posts += *m as f64 * wf * cfg.core_posts_per_day * active as f64;
        }
        let amp = core_posts * (cfg.amplifications_per_post + 0.3);
        op_posts += core_posts + amp + amp * cfg.camouflage_share / (1.0 - cfg.camouflage_share);
    }
    // Friend groups: each friend engages with a friend's originals.
    let o = &sc.organic;
    let special = shares + peer + ngo_story + statements + game_posts + bot_posts + op_posts;
    let target = sc.posts as f64 * scale;
    let general = (target - special).max(0.25 * target);
    let eng_share = o.retweet_share + o.reply_share + o.quote_share;
    let general_originals = general * (1.0 - eng_share);
    let engagement = general * eng_share;

    // The general pool: ordinary accounts, journalists, NGOs and fans.
    let mut ids = Vec::new();
    let mut w = Vec::new();
    for (i, a) in world.accounts.iter().enumerate() {
        if matches!(a.kind, Kind::Organic | Kind::Journalist | Kind::Ngo | Kind::Fan) {
            ids.push(i as u32);
            w.push(a.act as f64);
        }
    }
    let guaranteed = ids.len() as f64;
    let fc = &sc.friend_clusters;
    let total_w: f64 = w.iter().sum();
    let extra = (general_originals - guaranteed).max(0.0);
    // Friend engagement comes out of the general budget.
    let friend_eng: f64 = world
        .friends
        .iter()
        .map(|c| {
            c.iter().map(|&i| 1.0 + extra * world.accounts[i as usize].act as f64 / total_w.max(1e-9)).sum::<f64>()
                * (c.len() as f64 - 1.0)
                * fc.engage_probability
        })
        .sum();
    let engagement = (engagement - friend_eng).max(0.1 * engagement);
    // Expected engageable originals per account, weighted by raw popularity.
    let per_w = extra / total_w.max(1e-9);
    let mut weighted = 0.0;
    for &i in &ids {
        let a = &world.accounts[i as usize];
        let mut o_a = 1.0 + per_w * a.act as f64;
        o_a += match a.kind {
            Kind::Journalist => shares / (desk_members * world.desks.len() as f64).max(1.0),
            Kind::Ngo => (statements + ngo_story) / (coal_members * world.coalitions.len() as f64).max(1.0),
            Kind::Fan => games / world.fandoms.len().max(1) as f64 * f.participation * f.posts_per_game,
            _ if a.flags & F_IDOL != 0 => games / world.fandoms.len().max(1) as f64,
            _ => 0.0,
        };
        weighted += o_a * a.pop as f64;
    }
    for a in world.accounts.iter().filter(|a| a.kind == Kind::Newsbot) {
        weighted += nb.headlines_per_day * days * nb.pickup_probability * a.pop as f64;
    }
    let c = if weighted > 0.0 { engagement / weighted } else { 0.0 };
    for a in world.accounts.iter_mut() {
        if a.kind != Kind::Operation {
            a.pop *= c as f32;
        }
    }
    world.general = Alias::new(&w);
    world.general_ids = ids;

    // Engagers per language: everyone in the general pool, by activity.
    let mut per_lang: Vec<(Vec<u32>, Vec<f64>)> = vec![(Vec::new(), Vec::new()); Lang::ALL.len()];
    let mut all = (Vec::new(), Vec::new());
    for (i, a) in world.accounts.iter().enumerate() {
        let e = match a.kind {
            Kind::Organic if a.flags & F_IDOL != 0 => 0.05,
            Kind::Organic => a.act as f64,
            Kind::Fan => a.act as f64,
            Kind::Journalist => 0.5,
            Kind::Ngo => 0.3,
            _ => 0.0,
        };
        if e > 0.0 {
            per_lang[a.lang.index()].0.push(i as u32);
            per_lang[a.lang.index()].1.push(e);
            all.0.push(i as u32);
            all.1.push(e);
        }
    }
    world.engagers = per_lang.iter().map(|(_, w)| Alias::new(w)).collect();
    world.engager_ids = per_lang.into_iter().map(|(ids, _)| ids).collect();
    world.all_engagers = Alias::new(&all.1);
    world.all_engager_ids = all.0;
    // Mention targets: the most popular accounts per language.
    let mut popular: Vec<Vec<u32>> = vec![Vec::new(); Lang::ALL.len()];
    let mut by_pop: Vec<(f32, u32)> = (0..world.accounts.len() as u32)
        .filter(|&i| world.accounts[i as usize].kind != Kind::Operation)
        .map(|i| (world.accounts[i as usize].pop, i))
        .collect();
    by_pop.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    for (_, i) in by_pop {
        let l = world.accounts[i as usize].lang.index();
        if popular[l].len() < 40 {
            popular[l].push(i);
        }
    }
    world.popular = popular;
    world.plan = Plan {
        extra_originals: extra,
        retweet_frac: o.retweet_share / eng_share.max(1e-9),
        reply_frac: o.reply_share / eng_share.max(1e-9),
        quote_frac: o.quote_share / eng_share.max(1e-9),
        planned_posts: special + guaranteed.max(general_originals) + engagement + friend_eng,
    };
}

/// Builds an earlier takedown archive's network. For the same actor, `main` provides the
/// style and the reused (veteran) accounts.
pub fn build_prior(
    sc: &Scenario,
    prior: &PriorConfig,
    main: &World,
    scale: f64,
    seed: u64,
    reg: &mut Registry,
) -> World {
    let start_day = parse_date(&prior.start).unwrap_or(0);
    let end_day = parse_date(&prior.end).unwrap_or(start_day);
    let same = sc.operations.iter().position(|o| o.name == prior.same_actor_as);
    let mut style = match (same, &prior.style) {
        (Some(i), _) => sc.operations[i].clone(),
        (None, Some(s)) => s.clone(),
        (None, None) => OperationConfig::gulf_style(),
    };
    style.creation_waves = prior.creation_waves.clone();
    style.reemergence_waves.clear();
    style.reemergence_share = 0.0;
    style.bursts.clear();
    style.dormancy.clear();
    // Narratives active during the prior period (all of them if none is).
    let active: Vec<_> = style
        .narratives
        .iter()
        .filter(|n| {
            let s = if n.start.is_empty() { i64::MIN } else { parse_date(&n.start).unwrap_or(i64::MIN) };
            let e = if n.end.is_empty() { i64::MAX } else { parse_date(&n.end).unwrap_or(i64::MAX) };
            s <= end_day && e >= start_day
        })
        .cloned()
        .collect();
    if !active.is_empty() {
        style.narratives = active;
    }
    for n in &mut style.narratives {
        n.start.clear();
        n.end.clear();
    }
    let mut b = Builder {
        scale,
        rng: Rng8::seed_from_u64(mix64(
            seed ^ 0x0070_7269_6f72
                ^ mix64(prior.name.len() as u64 + prior.name.bytes().map(|c| c as u64).sum::<u64>()),
        )),
        reg,
        accounts: Vec::new(),
        protos: Vec::new(),
        clients: banks::CLIENTS.iter().map(|s| s.to_string()).collect(),
    };
    let n_core = count(prior.core, scale, 3);
    let n_amp = count(prior.amplifiers, scale, 5);
    let mut rt = build_op(&mut b, 0, &style, n_core, n_amp, 0, &[], start_day, end_day);
    rt.name = prior.name.clone();
    // Replace the first core accounts by the main operation's veterans (same id and handle).
    if let Some(oi) = same {
        let veterans: Vec<&Account> =
            main.accounts.iter().filter(|a| a.op as usize == oi && a.flags & F_VETERAN != 0).collect();
        let core0: Vec<u32> = rt.cells.iter().flat_map(|c| c.core.iter().copied()).collect();
        for (slot, v) in core0.iter().zip(veterans.iter().take(prior.reused_accounts as usize)) {
            let a = &mut b.accounts[*slot as usize];
            a.id = v.id;
            a.created_ms = v.created_ms;
            a.lang = v.lang;
            a.flags |= F_VETERAN;
            let p = &mut b.protos[*slot as usize];
            let row = std::str::from_utf8(main.frag(v)).unwrap_or("");
            let fields = split_row(row);
            p.display = fields.get(1).cloned().unwrap_or_default();
            p.screen = fields.get(2).cloned().unwrap_or_default();
            p.location = fields.get(3).cloned().unwrap_or_default();
            p.description = fields.get(4).cloned().unwrap_or_default();
            p.url = fields.get(5).cloned().unwrap_or_default();
            let f: u32 = fields.get(6).and_then(|s| s.parse().ok()).unwrap_or(6000);
            p.followers = (f as f64 * 0.8) as u32;
            p.followers = p.followers.max(prior.hash_below_followers as u32 + 100);
            a.followers = p.followers;
        }
        finish_cells(&mut b.rng, &mut rt.cells, &b.accounts);
    }
    let Builder { accounts, protos, clients, .. } = b;
    let mut world = World {
        params: Params::new(sc),
        real_screens: Vec::new(),
        start_day,
        end_day,
        accounts,
        arena: String::new(),
        clients,
        desks: Vec::new(),
        coalitions: Vec::new(),
        ngo_domains: Vec::new(),
        fandoms: Vec::new(),
        wires: Vec::new(),
        friends: Vec::new(),
        ops: vec![rt],
        general_ids: Vec::new(),
        general: Alias::default(),
        engager_ids: vec![Vec::new(); Lang::ALL.len()],
        engagers: vec![Alias::default(); Lang::ALL.len()],
        all_engager_ids: Vec::new(),
        all_engagers: Alias::default(),
        popular: vec![Vec::new(); Lang::ALL.len()],
        plan: Plan::default(),
        external: true,
        organic_cfg: sc.organic.clone(),
    };
    let key = mix64(seed ^ 0x4a5b_6c7d ^ prior.name.bytes().fold(0u64, |h, c| mix64(h ^ c as u64)));
    render(&mut world, protos, Some((key, prior.hash_below_followers, prior.legacy_format)));
    let op = &world.ops[0];
    let mut planned = 0.0;
    for (k, m) in op.day_mult.iter().enumerate() {
        let wd = time::weekday(world.start_day + k as i64);
        let wf = if wd >= 5 { op.cfg.weekend_activity } else { 1.0 };
        let core = op.cells.iter().map(|c| c.core.len()).sum::<usize>() as f64;
        planned += *m as f64 * wf * op.cfg.core_posts_per_day * core;
    }
    let amp = planned * (op.cfg.amplifications_per_post + 0.3);
    world.plan.planned_posts = planned + amp + amp * op.cfg.camouflage_share / (1.0 - op.cfg.camouflage_share);
    world
}

/// Splits a pre-rendered row of quoted fields.
fn split_row(row: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = row.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', false) => quoted = true,
            ('"', true) => {
                if chars.peek() == Some(&'"') {
                    cur.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            }
            (',', false) => out.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    out.push(cur);
    out
}
