//! Scenario parameters for `cibscan simulate`: what the generated platform slice contains.
//!
//! Every field has a default (`serde(default)`), unknown keys are rejected, and
//! [`Scenario::default_toml`] renders the defaults as a commented TOML document.
//! Counts of accounts and posts are per unit of `--scale` unless a comment says otherwise.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::banks::{narrative_by_name, Lang};
use super::time::parse_date;
use super::SimError;

/// Scenario parameters; every field has a documented default (see `docs/SCENARIO.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// First day of the main platform slice (UTC, `YYYY-MM-DD`, inclusive).
    pub start: String,
    /// Last day of the main platform slice (UTC, `YYYY-MM-DD`, inclusive).
    pub end: String,
    /// Posts in the main slice per unit of scale (approximate target).
    pub posts: u64,
    /// Ordinary accounts.
    pub organic: OrganicConfig,
    /// Journalists sharing breaking news (hard negatives).
    pub journalists: JournalistConfig,
    /// NGOs posting joint statements and sharing news (hard negatives).
    pub ngos: NgoConfig,
    /// Fan communities playing hashtag games (hard negatives).
    pub fans: FanConfig,
    /// Syndicated news bots posting identical headlines (hard negatives).
    pub newsbots: NewsbotConfig,
    /// Small groups of friends who retweet each other (hard negatives).
    pub friend_clusters: FriendClusterConfig,
    /// Planted operations (ground truth `kind = operation`).
    pub operations: Vec<OperationConfig>,
    /// Earlier takedown archives written under `priors/<name>/`.
    pub priors: Vec<PriorConfig>,
    /// Composition of `third_party_list.csv`.
    pub third_party: ThirdPartyConfig,
}

/// Ordinary accounts and their behaviour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OrganicConfig {
    pub accounts: u64,
    pub languages: BTreeMap<String, f64>,
    pub retweet_share: f64,
    pub reply_share: f64,
    pub quote_share: f64,
    pub activity_sigma: f64,
    pub popularity_sigma: f64,
    pub outside_engagement: f64,
    pub url_share: f64,
    pub hashtag_share: f64,
    pub news_topic_share: f64,
    pub geotag_share: f64,
    pub created_in_period_share: f64,
    /// Ordinary accounts (per unit of scale, taken from `accounts`) created on the days of
    /// an operation's creation waves, so that a creation day alone proves nothing.
    pub created_on_operation_days: u64,
}

/// Journalists grouped in desks that cover the same stories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JournalistConfig {
    pub accounts: u64,
    pub desk_size: u64,
    pub stories_per_desk_per_day: f64,
    pub share_probability: f64,
    pub share_delay_median_seconds: f64,
    pub peer_retweet_probability: f64,
    pub activity: f64,
}

/// NGOs grouped in coalitions that publish joint statements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NgoConfig {
    pub accounts: u64,
    pub coalition_size: u64,
    pub joint_statements_per_month: f64,
    pub statement_participation: f64,
    pub story_share_probability: f64,
    pub activity: f64,
}

/// Fan communities (one idol account each) and their hashtag games.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FanConfig {
    pub accounts: u64,
    pub fandom_size: u64,
    pub games_per_week: f64,
    pub participation: f64,
    pub posts_per_game: f64,
    pub retweet_delay_median_seconds: f64,
    pub activity: f64,
}

/// Syndicated news bots: every bot of a wire posts the wire's headline with the same link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NewsbotConfig {
    pub accounts: u64,
    pub bots_per_wire: u64,
    pub headlines_per_day: f64,
    pub pickup_probability: f64,
    pub max_lag_minutes: f64,
}

/// Small tight groups of ordinary friends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FriendClusterConfig {
    pub clusters: u64,
    pub size: u64,
    pub engage_probability: f64,
    pub delay_median_seconds: f64,
}

/// One planted operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OperationConfig {
    pub name: String,
    pub core: u64,
    pub amplifiers: u64,
    pub cells: f64,
    pub languages: BTreeMap<String, f64>,
    pub narratives: Vec<NarrativeConfig>,
    pub hashtags: Vec<String>,
    pub hashtag_sequence: bool,
    pub domains: Vec<String>,
    pub url_share: f64,
    pub timezone_offset_hours: f64,
    pub work_hours: [u32; 2],
    pub weekend_activity: f64,
    pub clients: BTreeMap<String, f64>,
    pub core_handles: String,
    pub amplifier_handles: String,
    pub empty_profile_share: f64,
    pub creation_waves: Vec<String>,
    pub repurposed_share: f64,
    pub reemergence_waves: Vec<String>,
    pub reemergence_share: f64,
    pub core_posts_per_day: f64,
    pub amplifications_per_post: f64,
    pub squad_share: f64,
    pub amplifier_mix: AmplifierMix,
    pub amplification_delay_seconds: [f64; 2],
    pub camouflage_share: f64,
    pub outside_engagement_share: f64,
    pub exact_copy_share: f64,
    pub bursts: Vec<BurstConfig>,
    pub dormancy: Vec<PeriodConfig>,
    /// Activity kept during dormancy, as a share of the normal level (a residual trickle).
    pub dormancy_residual: f64,
    /// Share of amplifiers that barely act: 1-5 amplifications or camouflage retweets in
    /// the whole slice, or none at all (see `silent_share`).
    pub quiet_share: f64,
    /// Share of the quiet amplifiers that never post: they appear only in the users file.
    pub silent_share: f64,
    /// Chance that an amplification goes to another cell's amplifiers (0: cells never
    /// boost each other).
    pub cross_cell_share: f64,
}

/// A narrative of an operation; its texts come from the built-in template catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NarrativeConfig {
    pub name: String,
    pub start: String,
    pub end: String,
    pub weight: f64,
    pub hashtags: Vec<String>,
}

/// Relative weights of the amplifiers' actions on a core post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AmplifierMix {
    pub retweet: f64,
    pub reply: f64,
    pub quote: f64,
    pub copy: f64,
}

/// A period of raised activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BurstConfig {
    pub start: String,
    pub end: String,
    pub multiplier: f64,
    pub ramp: bool,
}

/// A closed date range.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PeriodConfig {
    pub start: String,
    pub end: String,
}

/// An earlier takedown archive written under `priors/<name>/`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PriorConfig {
    pub name: String,
    pub start: String,
    pub end: String,
    pub same_actor_as: String,
    pub reused_accounts: u64,
    pub core: u64,
    pub amplifiers: u64,
    pub creation_waves: Vec<String>,
    pub hash_below_followers: u64,
    pub legacy_format: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub style: Option<OperationConfig>,
}

/// Composition of the third-party "inauthentic accounts" list (absolute counts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThirdPartyConfig {
    pub operation_accounts: u64,
    pub other_operation_accounts: u64,
    pub journalists: u64,
    pub ngos: u64,
    pub organic: u64,
    /// Of `organic`, how many were created on an operation's creation-wave days (the
    /// accounts a creation-day rule alone would wrongly call coordinated).
    pub organic_created_on_operation_days: u64,
    pub missing: u64,
}

fn map(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn narrative(name: &str, start: &str, end: &str, weight: f64, hashtags: &[&str]) -> NarrativeConfig {
    NarrativeConfig { name: name.into(), start: start.into(), end: end.into(), weight, hashtags: strings(hashtags) }
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            start: "2019-10-01".into(),
            end: "2020-06-30".into(),
            posts: 100_000,
            organic: OrganicConfig::default(),
            journalists: JournalistConfig::default(),
            ngos: NgoConfig::default(),
            fans: FanConfig::default(),
            newsbots: NewsbotConfig::default(),
            friend_clusters: FriendClusterConfig::default(),
            operations: vec![OperationConfig::spamouflage(), OperationConfig::ru_sequence()],
            priors: vec![PriorConfig::same_actor(), PriorConfig::unrelated()],
            third_party: ThirdPartyConfig::default(),
        }
    }
}

impl Default for OrganicConfig {
    fn default() -> Self {
        OrganicConfig {
            accounts: 15_000,
            languages: map(&[("ar", 0.09), ("en", 0.46), ("es", 0.15), ("fr", 0.07), ("ru", 0.10), ("zh", 0.13)]),
            retweet_share: 0.40,
            reply_share: 0.10,
            quote_share: 0.03,
            activity_sigma: 1.4,
            popularity_sigma: 1.8,
            outside_engagement: 2.0,
            url_share: 0.18,
            hashtag_share: 0.22,
            news_topic_share: 0.30,
            geotag_share: 0.004,
            created_in_period_share: 0.03,
            created_on_operation_days: 60,
        }
    }
}

impl Default for JournalistConfig {
    fn default() -> Self {
        JournalistConfig {
            accounts: 60,
            desk_size: 20,
            stories_per_desk_per_day: 1.0,
            share_probability: 0.25,
            share_delay_median_seconds: 240.0,
            peer_retweet_probability: 0.02,
            activity: 3.0,
        }
    }
}

impl Default for NgoConfig {
    fn default() -> Self {
        NgoConfig {
            accounts: 15,
            coalition_size: 15,
            joint_statements_per_month: 2.0,
            statement_participation: 0.5,
            story_share_probability: 0.08,
            activity: 2.0,
        }
    }
}

impl Default for FanConfig {
    fn default() -> Self {
        FanConfig {
            accounts: 240,
            fandom_size: 120,
            games_per_week: 0.5,
            participation: 0.5,
            posts_per_game: 1.5,
            retweet_delay_median_seconds: 45.0,
            activity: 2.0,
        }
    }
}

impl Default for NewsbotConfig {
    fn default() -> Self {
        NewsbotConfig {
            accounts: 16,
            bots_per_wire: 8,
            headlines_per_day: 2.0,
            pickup_probability: 0.75,
            max_lag_minutes: 20.0,
        }
    }
}

impl Default for FriendClusterConfig {
    fn default() -> Self {
        FriendClusterConfig { clusters: 25, size: 6, engage_probability: 0.3, delay_median_seconds: 900.0 }
    }
}

impl Default for AmplifierMix {
    fn default() -> Self {
        AmplifierMix { retweet: 0.8, reply: 0.1, quote: 0.05, copy: 0.05 }
    }
}

impl Default for BurstConfig {
    fn default() -> Self {
        BurstConfig { start: String::new(), end: String::new(), multiplier: 2.0, ramp: false }
    }
}

impl Default for NarrativeConfig {
    fn default() -> Self {
        narrative("", "", "", 1.0, &[])
    }
}

impl Default for OperationConfig {
    fn default() -> Self {
        OperationConfig::spamouflage()
    }
}

impl OperationConfig {
    /// The main planted operation: a Beijing-backed "Spamouflage"-like network.
    pub fn spamouflage() -> Self {
        OperationConfig {
            name: "spamouflage".into(),
            core: 60,
            amplifiers: 240,
            cells: 4.0,
            languages: map(&[("en", 0.4), ("zh", 0.6)]),
            narratives: vec![
                narrative("hong_kong", "", "", 1.0, &["HongKong", "香港", "StopViolence", "香港暴乱", "HKPolice"]),
                narrative(
                    "coronavirus",
                    "2020-01-20",
                    "",
                    2.0,
                    &["coronavirus", "COVID19", "新冠肺炎", "武汉加油", "ChinaFightsVirus"],
                ),
                narrative("exiled_billionaire", "", "", 0.6, &["高文辉", "GaoWenhui", "骗子", "FugitiveTycoon"]),
                narrative("taiwan", "2020-01-01", "", 0.5, &["Taiwan", "台湾", "台独", "OneChina"]),
            ],
            hashtags: strings(&["China", "中国", "真相"]),
            hashtag_sequence: false,
            domains: strings(&["youtube.com", "hktruthnews.com", "globalchinareview.net", "cn-newsfront.com"]),
            url_share: 0.45,
            timezone_offset_hours: 8.0,
            work_hours: [9, 18],
            weekend_activity: 0.05,
            clients: map(&[("Twitter Web App", 0.55), ("Twitter for Android", 0.35), ("Twitter for iPhone", 0.10)]),
            core_handles: "name_digits".into(),
            amplifier_handles: "random".into(),
            empty_profile_share: 0.7,
            creation_waves: strings(&["2019-08-13", "2019-09-03", "2019-09-24"]),
            repurposed_share: 0.1,
            reemergence_waves: strings(&["2020-01-08", "2020-01-14"]),
            reemergence_share: 0.25,
            core_posts_per_day: 0.15,
            amplifications_per_post: 3.0,
            squad_share: 0.85,
            amplifier_mix: AmplifierMix::default(),
            amplification_delay_seconds: [5.0, 900.0],
            camouflage_share: 0.15,
            outside_engagement_share: 0.005,
            exact_copy_share: 0.3,
            bursts: vec![
                BurstConfig { start: "2020-01-20".into(), end: "2020-03-08".into(), multiplier: 2.0, ramp: true },
                BurstConfig { start: "2020-03-09".into(), end: "2020-03-22".into(), multiplier: 5.0, ramp: false },
            ],
            dormancy: vec![PeriodConfig { start: "2019-11-25".into(), end: "2020-01-19".into() }],
            dormancy_residual: 0.03,
            quiet_share: 0.35,
            silent_share: 0.3,
            cross_cell_share: 0.0,
        }
    }

    /// The second, smaller operation: a Russian-language network using hashtag sequences
    /// and co-links rather than retweets.
    pub fn ru_sequence() -> Self {
        OperationConfig {
            name: "ru_sequence".into(),
            core: 20,
            amplifiers: 50,
            cells: 1.0,
            languages: map(&[("en", 0.1), ("ru", 0.9)]),
            narratives: vec![
                narrative("sanctions", "", "", 1.0, &["Санкции", "Россия", "Запад", "Европа"]),
                narrative("nato", "", "", 1.0, &["НАТО", "Россия", "Безопасность", "США"]),
                narrative("biolabs", "2020-02-01", "", 1.5, &["Биолаборатории", "Коронавирус", "США", "Правда"]),
            ],
            hashtags: strings(&["Россия", "Новости"]),
            hashtag_sequence: true,
            domains: strings(&["novosti-front.ru", "rusvesti24.ru", "telegra.ph"]),
            url_share: 0.8,
            timezone_offset_hours: 3.0,
            work_hours: [10, 19],
            weekend_activity: 0.3,
            clients: map(&[("TweetDeck", 0.5), ("Twitter Web Client", 0.5)]),
            core_handles: "name_year".into(),
            amplifier_handles: "name_year".into(),
            empty_profile_share: 0.3,
            creation_waves: strings(&["2019-06-11", "2019-07-02"]),
            repurposed_share: 0.05,
            reemergence_waves: Vec::new(),
            reemergence_share: 0.0,
            core_posts_per_day: 0.2,
            amplifications_per_post: 2.5,
            squad_share: 0.8,
            amplifier_mix: AmplifierMix { retweet: 0.3, reply: 0.0, quote: 0.0, copy: 0.7 },
            amplification_delay_seconds: [60.0, 3600.0],
            camouflage_share: 0.1,
            outside_engagement_share: 0.01,
            exact_copy_share: 0.2,
            bursts: vec![BurstConfig {
                start: "2020-04-01".into(),
                end: "2020-04-14".into(),
                multiplier: 3.0,
                ramp: false,
            }],
            dormancy: Vec::new(),
            dormancy_residual: 0.0,
            quiet_share: 0.0,
            silent_share: 0.0,
            cross_cell_share: 0.1,
        }
    }

    /// Style of the unrelated earlier actor: an Arabic-language Gulf network.
    pub fn gulf_style() -> Self {
        OperationConfig {
            name: "gulf_2019".into(),
            core: 30,
            amplifiers: 90,
            cells: 1.0,
            languages: map(&[("ar", 0.85), ("en", 0.15)]),
            narratives: vec![
                narrative("gulf_rival", "", "", 1.0, &["قطر", "الإرهاب", "تنظيم_الحمدين", "Qatar"]),
                narrative("dissident_smear", "", "", 0.7, &["خونة_الوطن", "المرتزقة", "الحقيقة"]),
            ],
            hashtags: strings(&["عاجل", "السعودية"]),
            hashtag_sequence: false,
            domains: strings(&["akhbar-alkhaleej24.net", "alhaqiqa-news.com"]),
            url_share: 0.4,
            timezone_offset_hours: 3.0,
            work_hours: [8, 23],
            weekend_activity: 0.8,
            clients: map(&[("Twitter for Android", 0.2), ("Twitter for iPhone", 0.8)]),
            core_handles: "word_digits".into(),
            amplifier_handles: "name_digits".into(),
            empty_profile_share: 0.4,
            creation_waves: strings(&["2018-11-20", "2019-01-15"]),
            repurposed_share: 0.05,
            reemergence_waves: Vec::new(),
            reemergence_share: 0.0,
            core_posts_per_day: 0.2,
            amplifications_per_post: 2.5,
            squad_share: 0.8,
            amplifier_mix: AmplifierMix { retweet: 0.85, reply: 0.1, quote: 0.05, copy: 0.0 },
            amplification_delay_seconds: [10.0, 1800.0],
            camouflage_share: 0.2,
            outside_engagement_share: 0.02,
            exact_copy_share: 0.3,
            bursts: Vec::new(),
            dormancy: Vec::new(),
            dormancy_residual: 0.0,
            quiet_share: 0.0,
            silent_share: 0.0,
            cross_cell_share: 0.1,
        }
    }
}

impl Default for PriorConfig {
    fn default() -> Self {
        PriorConfig::same_actor()
    }
}

impl PriorConfig {
    /// The earlier takedown of the main operation's actor.
    pub fn same_actor() -> Self {
        PriorConfig {
            name: "spamouflage_2019".into(),
            start: "2019-03-01".into(),
            end: "2019-08-16".into(),
            same_actor_as: "spamouflage".into(),
            reused_accounts: 6,
            core: 40,
            amplifiers: 110,
            creation_waves: strings(&["2018-11-06", "2018-12-18", "2019-03-05"]),
            hash_below_followers: 5000,
            legacy_format: false,
            style: None,
        }
    }

    /// An earlier takedown of an unrelated actor.
    pub fn unrelated() -> Self {
        PriorConfig {
            name: "gulf_2019".into(),
            start: "2019-03-01".into(),
            end: "2019-09-30".into(),
            same_actor_as: String::new(),
            reused_accounts: 0,
            core: 30,
            amplifiers: 90,
            creation_waves: strings(&["2018-11-20", "2019-01-15"]),
            hash_below_followers: 5000,
            legacy_format: false,
            style: Some(OperationConfig::gulf_style()),
        }
    }
}

impl Default for ThirdPartyConfig {
    fn default() -> Self {
        ThirdPartyConfig {
            operation_accounts: 30,
            other_operation_accounts: 5,
            journalists: 10,
            ngos: 5,
            organic: 100,
            organic_created_on_operation_days: 20,
            missing: 5,
        }
    }
}

impl Scenario {
    /// Parses a scenario TOML document; unknown keys and invalid values are errors.
    pub fn from_toml_str(s: &str) -> Result<Scenario, SimError> {
        let sc: Scenario = toml::from_str(s).map_err(|e| SimError::Scenario(e.to_string()))?;
        sc.validate()?;
        Ok(sc)
    }

    /// The defaults as a commented TOML document (every key has a one-line comment).
    pub fn default_toml() -> String {
        Scenario::default().to_commented_toml()
    }

    /// This scenario as a commented TOML document.
    pub fn to_commented_toml(&self) -> String {
        let plain = toml::to_string(self).expect("a scenario always serialises to TOML");
        let mut out = String::with_capacity(plain.len() * 2);
        out.push_str("# cibscan simulate scenario. Counts of accounts and posts are per unit of --scale\n");
        out.push_str("# unless a comment says otherwise; dates are UTC `YYYY-MM-DD`.\n");
        let mut section = String::new();
        for line in plain.lines() {
            let trimmed = line.trim();
            if trimmed.starts_with('[') {
                let name = trimmed.trim_matches(|c| c == '[' || c == ']').to_string();
                section = name;
                if let Some(c) = section_comment(&section) {
                    out.push_str("# ");
                    out.push_str(c);
                    out.push('\n');
                }
                out.push_str(line);
                out.push('\n');
                continue;
            }
            if let Some(eq) = key_of(line) {
                let c = key_comment(&section, &eq);
                out.push_str("# ");
                out.push_str(&c);
                out.push('\n');
            }
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// Checks values that serde cannot (dates, ranges, names, known languages and narratives).
    pub fn validate(&self) -> Result<(), SimError> {
        let err = |m: String| Err(SimError::Scenario(m));
        let (s, e) = (date("start", &self.start)?, date("end", &self.end)?);
        if e < s {
            return err(format!("end {} is before start {}", self.end, self.start));
        }
        if e - s > 3660 {
            return err("the period is longer than ten years".into());
        }
        if self.posts == 0 || self.posts > 100_000_000 {
            return err(format!("posts = {} is out of range (1 ..= 100000000)", self.posts));
        }
        let o = &self.organic;
        if o.accounts == 0 || o.accounts > 10_000_000 {
            return err(format!("organic.accounts = {} is out of range (1 ..= 10000000)", o.accounts));
        }
        languages("organic.languages", &o.languages)?;
        for (k, v) in [
            ("organic.retweet_share", o.retweet_share),
            ("organic.reply_share", o.reply_share),
            ("organic.quote_share", o.quote_share),
            ("organic.url_share", o.url_share),
            ("organic.hashtag_share", o.hashtag_share),
            ("organic.news_topic_share", o.news_topic_share),
            ("organic.geotag_share", o.geotag_share),
            ("organic.created_in_period_share", o.created_in_period_share),
            ("journalists.share_probability", self.journalists.share_probability),
            ("journalists.peer_retweet_probability", self.journalists.peer_retweet_probability),
            ("ngos.statement_participation", self.ngos.statement_participation),
            ("ngos.story_share_probability", self.ngos.story_share_probability),
            ("fans.participation", self.fans.participation),
            ("newsbots.pickup_probability", self.newsbots.pickup_probability),
            ("friend_clusters.engage_probability", self.friend_clusters.engage_probability),
        ] {
            prob(k, v)?;
        }
        if o.retweet_share + o.reply_share + o.quote_share > 0.9 {
            return err("organic retweet_share + reply_share + quote_share must be at most 0.9".into());
        }
        for (k, v, max) in [
            ("organic.activity_sigma", o.activity_sigma, 4.0),
            ("organic.popularity_sigma", o.popularity_sigma, 4.0),
            ("organic.outside_engagement", o.outside_engagement, 1000.0),
            ("journalists.stories_per_desk_per_day", self.journalists.stories_per_desk_per_day, 100.0),
            ("journalists.share_delay_median_seconds", self.journalists.share_delay_median_seconds, 86_400.0),
            ("journalists.activity", self.journalists.activity, 1000.0),
            ("ngos.joint_statements_per_month", self.ngos.joint_statements_per_month, 100.0),
            ("ngos.activity", self.ngos.activity, 1000.0),
            ("fans.games_per_week", self.fans.games_per_week, 50.0),
            ("fans.posts_per_game", self.fans.posts_per_game, 50.0),
            ("fans.retweet_delay_median_seconds", self.fans.retweet_delay_median_seconds, 86_400.0),
            ("fans.activity", self.fans.activity, 1000.0),
            ("newsbots.headlines_per_day", self.newsbots.headlines_per_day, 500.0),
            ("newsbots.max_lag_minutes", self.newsbots.max_lag_minutes, 1440.0),
            ("friend_clusters.delay_median_seconds", self.friend_clusters.delay_median_seconds, 86_400.0),
        ] {
            range(k, v, 0.0, max)?;
        }
        for (k, v) in [
            ("journalists.desk_size", self.journalists.desk_size),
            ("ngos.coalition_size", self.ngos.coalition_size),
            ("fans.fandom_size", self.fans.fandom_size),
            ("newsbots.bots_per_wire", self.newsbots.bots_per_wire),
        ] {
            if v == 0 || v > 100_000 {
                return err(format!("{k} = {v} is out of range (1 ..= 100000)"));
            }
        }
        if self.friend_clusters.size < 2 || self.friend_clusters.size > 50 {
            return err("friend_clusters.size must be between 2 and 50".into());
        }
        for (k, v) in [
            ("journalists.accounts", self.journalists.accounts),
            ("ngos.accounts", self.ngos.accounts),
            ("fans.accounts", self.fans.accounts),
            ("newsbots.accounts", self.newsbots.accounts),
            ("friend_clusters.clusters", self.friend_clusters.clusters),
        ] {
            if v > 1_000_000 {
                return err(format!("{k} = {v} is too large (at most 1000000)"));
            }
        }
        let mut names = std::collections::BTreeSet::new();
        for (i, op) in self.operations.iter().enumerate() {
            let what = format!("operations[{i}] ({})", op.name);
            if !names.insert(op.name.clone()) {
                return err(format!("{what}: duplicate operation name"));
            }
            validate_operation(&what, op, true)?;
        }
        let mut prior_names = std::collections::BTreeSet::new();
        for (i, p) in self.priors.iter().enumerate() {
            let what = format!("priors[{i}] ({})", p.name);
            if !safe_name(&p.name) {
                return err(format!("{what}: name must be 1-64 characters of A-Z a-z 0-9 _ -"));
            }
            if !prior_names.insert(p.name.clone()) {
                return err(format!("{what}: duplicate prior name"));
            }
            let (ps, pe) = (date(&format!("{what}.start"), &p.start)?, date(&format!("{what}.end"), &p.end)?);
            if pe < ps || pe - ps > 3660 {
                return err(format!("{what}: end must be after start, within ten years"));
            }
            for w in &p.creation_waves {
                date(&format!("{what}.creation_waves"), w)?;
            }
            if p.core == 0 || p.core > 1_000_000 || p.amplifiers > 1_000_000 {
                return err(format!("{what}: core must be 1 ..= 1000000 and amplifiers at most 1000000"));
            }
            if p.same_actor_as.is_empty() {
                match &p.style {
                    None => {
                        return err(format!(
                            "{what}: an unrelated prior (empty same_actor_as) needs a [priors.style] table"
                        ))
                    }
                    Some(st) => validate_operation(&format!("{what}.style"), st, false)?,
                }
                if p.reused_accounts > 0 {
                    return err(format!("{what}: reused_accounts needs same_actor_as"));
                }
            } else {
                let Some(op) = self.operations.iter().find(|o| o.name == p.same_actor_as) else {
                    return err(format!("{what}: same_actor_as = {:?} names no operation", p.same_actor_as));
                };
                if p.reused_accounts > op.core {
                    return err(format!("{what}: reused_accounts exceeds the core accounts of {}", op.name));
                }
            }
        }
        Ok(())
    }
}

fn safe_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn date(what: &str, s: &str) -> Result<i64, SimError> {
    parse_date(s).ok_or_else(|| SimError::Scenario(format!("{what}: {s:?} is not a date YYYY-MM-DD")))
}

fn opt_date(what: &str, s: &str) -> Result<(), SimError> {
    if s.is_empty() {
        Ok(())
    } else {
        date(what, s).map(|_| ())
    }
}

fn prob(what: &str, v: f64) -> Result<(), SimError> {
    range(what, v, 0.0, 1.0)
}

fn range(what: &str, v: f64, lo: f64, hi: f64) -> Result<(), SimError> {
    if v.is_finite() && v >= lo && v <= hi {
        Ok(())
    } else {
        Err(SimError::Scenario(format!("{what} = {v} is out of range ({lo} ..= {hi})")))
    }
}

fn languages(what: &str, m: &BTreeMap<String, f64>) -> Result<(), SimError> {
    let mut total = 0.0;
    for (k, v) in m {
        if Lang::from_code(k).is_none() {
            return Err(SimError::Scenario(format!("{what}: unknown language {k:?} (known: ar, en, es, fr, ru, zh)")));
        }
        range(&format!("{what}.{k}"), *v, 0.0, 1e6)?;
        total += v;
    }
    if total <= 0.0 {
        return Err(SimError::Scenario(format!("{what}: needs at least one language with a positive share")));
    }
    Ok(())
}

fn validate_operation(what: &str, op: &OperationConfig, main: bool) -> Result<(), SimError> {
    let err = |m: String| Err(SimError::Scenario(format!("{what}: {m}")));
    if main && !safe_name(&op.name) {
        return err("name must be 1-64 characters of A-Z a-z 0-9 _ -".into());
    }
    if op.core == 0 || op.core > 1_000_000 || op.amplifiers > 1_000_000 {
        return err("core must be 1 ..= 1000000 and amplifiers at most 1000000".into());
    }
    range(&format!("{what}.cells"), op.cells, 0.0, 100_000.0)?;
    languages(&format!("{what}.languages"), &op.languages)?;
    if op.narratives.is_empty() {
        return err("needs at least one narrative".into());
    }
    for n in &op.narratives {
        if narrative_by_name(&n.name).is_none() {
            return err(format!(
                "unknown narrative {:?} (known: {})",
                n.name,
                super::banks::NARRATIVE_NAMES.join(", ")
            ));
        }
        opt_date(&format!("{what}.narratives.start"), &n.start)?;
        opt_date(&format!("{what}.narratives.end"), &n.end)?;
        range(&format!("{what}.narratives.weight"), n.weight, 0.0, 1e6)?;
        for h in &n.hashtags {
            hashtag(what, h)?;
        }
    }
    for h in &op.hashtags {
        hashtag(what, h)?;
    }
    for d in &op.domains {
        if d.is_empty() || !d.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-') {
            return err(format!("domain {d:?} must be letters, digits, '.' and '-'"));
        }
    }
    prob(&format!("{what}.url_share"), op.url_share)?;
    range(&format!("{what}.timezone_offset_hours"), op.timezone_offset_hours, -12.0, 14.0)?;
    if op.work_hours[0] >= op.work_hours[1] || op.work_hours[1] > 24 {
        return err("work_hours must be [start, end] with 0 <= start < end <= 24".into());
    }
    prob(&format!("{what}.weekend_activity"), op.weekend_activity)?;
    if op.clients.is_empty() || op.clients.values().all(|v| *v <= 0.0) {
        return err("clients needs at least one client with a positive share".into());
    }
    for (c, v) in &op.clients {
        if c.is_empty() || c.contains(['"', '\n', '\r']) {
            return err(format!("client name {c:?} must be non-empty without quotes or newlines"));
        }
        range(&format!("{what}.clients"), *v, 0.0, 1e6)?;
    }
    for h in [&op.core_handles, &op.amplifier_handles] {
        if !super::world::HANDLE_STYLES.contains(&h.as_str()) {
            return err(format!("unknown handle style {h:?} (known: {})", super::world::HANDLE_STYLES.join(", ")));
        }
    }
    prob(&format!("{what}.empty_profile_share"), op.empty_profile_share)?;
    if main && op.creation_waves.is_empty() {
        return err("needs at least one creation wave".into());
    }
    for w in op.creation_waves.iter().chain(&op.reemergence_waves) {
        date(&format!("{what}.creation_waves"), w)?;
    }
    prob(&format!("{what}.repurposed_share"), op.repurposed_share)?;
    prob(&format!("{what}.reemergence_share"), op.reemergence_share)?;
    if op.reemergence_share > 0.0 && op.reemergence_waves.is_empty() {
        return err("reemergence_share > 0 needs reemergence_waves".into());
    }
    range(&format!("{what}.core_posts_per_day"), op.core_posts_per_day, 0.0, 200.0)?;
    range(&format!("{what}.amplifications_per_post"), op.amplifications_per_post, 0.0, 200.0)?;
    prob(&format!("{what}.squad_share"), op.squad_share)?;
    let m = &op.amplifier_mix;
    for v in [m.retweet, m.reply, m.quote, m.copy] {
        range(&format!("{what}.amplifier_mix"), v, 0.0, 1e6)?;
    }
    if m.retweet + m.reply + m.quote + m.copy <= 0.0 {
        return err("amplifier_mix needs a positive weight".into());
    }
    let [lo, hi] = op.amplification_delay_seconds;
    if !(lo.is_finite() && hi.is_finite() && lo >= 1.0 && lo <= hi && hi <= 30.0 * 86_400.0) {
        return err("amplification_delay_seconds must be [min, max] with 1 <= min <= max <= 2592000".into());
    }
    range(&format!("{what}.camouflage_share"), op.camouflage_share, 0.0, 0.9)?;
    prob(&format!("{what}.outside_engagement_share"), op.outside_engagement_share)?;
    prob(&format!("{what}.exact_copy_share"), op.exact_copy_share)?;
    for b in &op.bursts {
        let (s, e) = (date(&format!("{what}.bursts.start"), &b.start)?, date(&format!("{what}.bursts.end"), &b.end)?);
        if e < s {
            return err("a burst ends before it starts".into());
        }
        range(&format!("{what}.bursts.multiplier"), b.multiplier, 0.0, 1000.0)?;
    }
    prob(&format!("{what}.dormancy_residual"), op.dormancy_residual)?;
    prob(&format!("{what}.quiet_share"), op.quiet_share)?;
    prob(&format!("{what}.silent_share"), op.silent_share)?;
    prob(&format!("{what}.cross_cell_share"), op.cross_cell_share)?;
    for d in &op.dormancy {
        let (s, e) =
            (date(&format!("{what}.dormancy.start"), &d.start)?, date(&format!("{what}.dormancy.end"), &d.end)?);
        if e < s {
            return err("a dormancy period ends before it starts".into());
        }
    }
    Ok(())
}

fn hashtag(what: &str, h: &str) -> Result<(), SimError> {
    if h.is_empty()
        || h.starts_with('#')
        || h.chars().any(|c| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '"' | '\''))
    {
        return Err(SimError::Scenario(format!(
            "{what}: hashtag {h:?} must be non-empty, without '#', spaces, commas, brackets or quotes"
        )));
    }
    Ok(())
}

/// The key of a `key = value` line (quoted keys unquoted), if the line is one.
fn key_of(line: &str) -> Option<String> {
    let t = line.trim_start();
    if t.is_empty() || t.starts_with('#') {
        return None;
    }
    if let Some(rest) = t.strip_prefix('"') {
        let end = rest.find('"')?;
        return Some(rest[..end].to_string());
    }
    let eq = t.find('=')?;
    Some(t[..eq].trim().to_string())
}

/// Section names as the comment tables know them: a prior's style is an operation.
fn schema_section(section: &str) -> String {
    section.replacen("priors.style", "operations", 1)
}

fn section_comment(section: &str) -> Option<&'static str> {
    Some(match section {
        "organic" => "Ordinary accounts: heavy-tailed activity, daily rhythms, several languages.",
        "organic.languages" => "Language mix of ordinary accounts (relative weights; known: ar, en, es, fr, ru, zh).",
        "journalists" => "Journalists in desks who share the same breaking-news links within minutes (hard negatives).",
        "ngos" => "NGOs in coalitions that post joint statements and share news (hard negatives).",
        "fans" => "Fan communities around an idol account, playing hashtag games (hard negatives).",
        "newsbots" => "Syndicated news bots: each bot of a wire posts the wire's headline and link (hard negatives).",
        "friend_clusters" => "Small groups of ordinary friends who retweet and reply to each other (hard negatives).",
        "operations" => "A planted operation (one [[operations]] table each).",
        "operations.languages" => "Languages of the operation's posts (relative weights).",
        "operations.narratives" => "A narrative (built-in templates: hong_kong, coronavirus, exiled_billionaire, taiwan, sanctions, nato, biolabs, gulf_rival, dissident_smear).",
        "operations.clients" => "Client apps of the operation's accounts (relative weights).",
        "operations.amplifier_mix" => "Relative weights of the amplifiers' actions on a core post.",
        "operations.bursts" => "A burst: activity multiplied between start and end (ramp = rise linearly to the multiplier).",
        "operations.dormancy" => "A dormant period: the operation posts nothing between start and end.",
        "priors" => "An earlier takedown archive written to priors/<name>/ (hashed like the real releases).",
        "priors.style" => "Style of an unrelated earlier actor (same keys as an [[operations]] table).",
        "third_party" => "Composition of third_party_list.csv (absolute counts, capped by what exists).",
        _ => return None,
    })
}

fn key_comment(section: &str, key: &str) -> String {
    let s = schema_section(section);
    let c: &str = match (s.as_str(), key) {
        ("", "start") => "first day of the main slice (inclusive)",
        ("", "end") => "last day of the main slice (inclusive)",
        ("", "posts") => "posts in the main slice per unit of scale (approximate; --scale 1 gives about this many)",
        ("organic", "accounts") => "ordinary accounts per unit of scale (every one posts at least once)",
        ("organic", "retweet_share") => "share of ordinary activity that is retweets",
        ("organic", "reply_share") => "share of ordinary activity that is replies",
        ("organic", "quote_share") => "share of ordinary activity that is quote tweets",
        ("organic", "activity_sigma") => "log-normal sigma of per-account activity (heavy tail: most post rarely)",
        ("organic", "popularity_sigma") => "log-normal sigma of per-account popularity (preferential attachment of retweets)",
        ("organic", "outside_engagement") => "invisible outside retweets per visible one on ordinary posts (counts only)",
        ("organic", "url_share") => "share of original posts with a link",
        ("organic", "hashtag_share") => "share of original posts with hashtags",
        ("organic", "news_topic_share") => "share of original posts about the news topics the operations also push",
        ("organic", "geotag_share") => "share of posts with latitude/longitude",
        ("organic", "created_in_period_share") => "share of ordinary accounts created during the slice",
        ("journalists", "accounts") => "journalists per unit of scale",
        ("journalists", "desk_size") => "journalists per desk (a desk covers the same stories)",
        ("journalists", "stories_per_desk_per_day") => "breaking stories per desk per day",
        ("journalists", "share_probability") => "probability that a desk member shares a story",
        ("journalists", "share_delay_median_seconds") => "median delay between a story breaking and a share",
        ("journalists", "peer_retweet_probability") => "probability that a desk member retweets a colleague's share",
        ("journalists", "activity") => "ordinary posting activity relative to the mean ordinary account",
        ("ngos", "accounts") => "NGO accounts per unit of scale",
        ("ngos", "coalition_size") => "NGOs per coalition (joint statements are posted by a coalition)",
        ("ngos", "joint_statements_per_month") => "joint statements per coalition per month",
        ("ngos", "statement_participation") => "probability that a coalition member posts a joint statement",
        ("ngos", "story_share_probability") => "probability that an NGO shares a human-rights story",
        ("ngos", "activity") => "ordinary posting activity relative to the mean ordinary account",
        ("fans", "accounts") => "fans per unit of scale",
        ("fans", "fandom_size") => "fans per fandom (each fandom has one idol account, kind organic)",
        ("fans", "games_per_week") => "hashtag games per fandom per week",
        ("fans", "participation") => "probability that a fan joins a game",
        ("fans", "posts_per_game") => "mean game posts per participating fan",
        ("fans", "retweet_delay_median_seconds") => "median delay of fans retweeting the idol during a game",
        ("fans", "activity") => "ordinary posting activity relative to the mean ordinary account",
        ("newsbots", "accounts") => "news bots per unit of scale",
        ("newsbots", "bots_per_wire") => "bots syndicating the same wire",
        ("newsbots", "headlines_per_day") => "headlines per wire per day",
        ("newsbots", "pickup_probability") => "probability that a bot posts a headline of its wire",
        ("newsbots", "max_lag_minutes") => "longest polling lag of a bot behind its wire",
        ("friend_clusters", "clusters") => "friend groups per unit of scale",
        ("friend_clusters", "size") => "accounts per friend group",
        ("friend_clusters", "engage_probability") => "probability that a friend retweets or replies to a friend's post",
        ("friend_clusters", "delay_median_seconds") => "median delay of a friend's retweet or reply",
        ("operations", "name") => "operation name (the `operation` column of truth.csv)",
        ("operations", "core") => "core accounts per unit of scale (they originate content)",
        ("operations", "amplifiers") => "amplifier accounts per unit of scale (they boost the core)",
        ("operations", "cells") => "sub-networks per unit of scale (at least one; each has its own core and amplifiers)",
        ("operations", "hashtags") => "hashtags the operation adds to some posts besides the narrative ones",
        ("operations", "hashtag_sequence") => "true: posts carry the narrative's hashtags as one fixed ordered sequence",
        ("operations", "domains") => "domains of the operation's links",
        ("operations", "url_share") => "share of core posts with a link",
        ("operations", "timezone_offset_hours") => "UTC offset of the operators' office",
        ("operations", "work_hours") => "local office hours [start, end) when the operation posts",
        ("operations", "weekend_activity") => "activity on weekends relative to weekdays",
        ("operations", "core_handles") => "handle pattern of core accounts (name_digits, random, name_year, word_digits)",
        ("operations", "amplifier_handles") => "handle pattern of amplifiers (name_digits, random, name_year, word_digits)",
        ("operations", "empty_profile_share") => "share of accounts with a default profile (no description, location or link)",
        ("operations", "creation_waves") => "days on which batches of the operation's accounts were created",
        ("operations", "repurposed_share") => "share of accounts that are old repurposed accounts (creation dates spread over years)",
        ("operations", "reemergence_waves") => "creation days of the new accounts used after dormancy",
        ("operations", "reemergence_share") => "share of accounts created for the re-emergence (active only after dormancy)",
        ("operations", "core_posts_per_day") => "posts per core account per active weekday (before bursts)",
        ("operations", "amplifications_per_post") => "mean amplifier actions per core post",
        ("operations", "squad_share") => "share of amplifications by the amplifiers assigned to the posting core account",
        ("operations", "amplification_delay_seconds") => "range [min, max] of seconds between a core post and its amplification",
        ("operations", "camouflage_share") => "share of amplifier actions that retweet popular unrelated posts",
        ("operations", "outside_engagement_share") => "probability that an ordinary account retweets a core post",
        ("operations", "exact_copy_share") => "share of core posts that copy a template exactly (the rest are small edits)",
        ("operations", "bursts") => "bursts of activity (none)",
        ("operations", "dormancy") => "dormant periods (none)",
        ("operations", "dormancy_residual") => "activity kept during dormancy, as a share of the normal level",
        ("operations", "quiet_share") => "share of amplifiers that act only 1-5 times in the slice, or never",
        ("operations", "silent_share") => "share of the quiet amplifiers that never post (users file only)",
        ("operations", "cross_cell_share") => "chance that an amplification goes to another cell (0: cells never boost each other)",
        ("organic", "created_on_operation_days") => "ordinary accounts (per unit of scale) created on an operation's creation-wave days",
        ("operations", "narratives") => "narratives (none)",
        ("operations.narratives", "name") => "narrative from the built-in catalogue",
        ("operations.narratives", "start") => "first day the narrative is pushed (empty: from the start)",
        ("operations.narratives", "end") => "last day the narrative is pushed (empty: to the end)",
        ("operations.narratives", "weight") => "relative weight among the narratives active on a day",
        ("operations.narratives", "hashtags") => "the narrative's hashtags (without #)",
        ("operations.amplifier_mix", "retweet") => "weight of retweets",
        ("operations.amplifier_mix", "reply") => "weight of replies",
        ("operations.amplifier_mix", "quote") => "weight of quote tweets",
        ("operations.amplifier_mix", "copy") => "weight of copies (own post with the same link and hashtags, edited text)",
        ("operations.bursts", "start") => "first day of the burst",
        ("operations.bursts", "end") => "last day of the burst",
        ("operations.bursts", "multiplier") => "activity multiplier during the burst",
        ("operations.bursts", "ramp") => "true: rise linearly from 1 to the multiplier over the burst",
        ("operations.dormancy", "start") => "first dormant day",
        ("operations.dormancy", "end") => "last dormant day (re-emergence the day after)",
        ("priors", "name") => "archive name (files priors/<name>/<name>_{users,tweets}_csv_hashed.csv)",
        ("priors", "start") => "first day of the earlier takedown's activity",
        ("priors", "end") => "last day of activity (the takedown; dormancy follows)",
        ("priors", "same_actor_as") => "operation whose actor this was (same style); empty: an unrelated actor described by [priors.style]",
        ("priors", "reused_accounts") => "accounts of this archive reused (same id and handle) by the later operation",
        ("priors", "core") => "core accounts per unit of scale",
        ("priors", "amplifiers") => "amplifier accounts per unit of scale",
        ("priors", "creation_waves") => "days on which this network's accounts were created",
        ("priors", "hash_below_followers") => "accounts with fewer followers get hashed userid, display name and screen name",
        ("priors", "legacy_format") => "true: a 2018-19 style release (in_reply_to_tweetid first, True/False, counts like 0.0, empty lists as empty fields, 64-hex hashes)",
        ("third_party", "operation_accounts") => "accounts of the first operation on the list",
        ("third_party", "other_operation_accounts") => "accounts of the other operations on the list",
        ("third_party", "journalists") => "journalists wrongly on the list",
        ("third_party", "ngos") => "NGOs wrongly on the list",
        ("third_party", "organic") => "ordinary accounts wrongly on the list",
        ("third_party", "organic_created_on_operation_days") => "of those, accounts created on an operation's creation-wave days",
        ("third_party", "missing") => "accounts on the list that are not in the data",
        ("organic.languages", _) => return format!("relative share of ordinary accounts writing in {key}"),
        ("operations.languages", _) => return format!("relative share of posts in {key}"),
        ("operations.clients", _) => return format!("relative share of posts from {key}"),
        _ => "",
    };
    if c.is_empty() {
        format!("{key} (see docs/SCENARIO.md)")
    } else {
        c.to_string()
    }
}

#[cfg(test)]
pub(crate) fn all_keys_commented(doc: &str) -> Result<(), String> {
    let mut section = String::new();
    for line in doc.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            section = t.trim_matches(|c| c == '[' || c == ']').to_string();
            continue;
        }
        if let Some(k) = key_of(line) {
            if key_comment(&section, &k).ends_with("(see docs/SCENARIO.md)") {
                return Err(format!("no comment for [{section}] {k}"));
            }
        }
    }
    Ok(())
}
