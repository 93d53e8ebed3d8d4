//! The detection configuration file (TOML): every parameter with its default, in one place.
//!
//! `cibscan config --default` prints [`DetectConfig::default_toml`]; `cibscan detect
//! --config FILE` reads a file in which every key is optional. Unknown keys and unknown
//! signal names are errors, so a typo never silently falls back to a default.

use crate::characterise::attribute::AttributionOptions;
use crate::characterise::narratives::NarrativeOptions;
use crate::characterise::operations::OperationOptions;
use crate::characterise::screen::ScreenOptions;
use crate::characterise::timeline::TimelineOptions;
use crate::pipeline::{DetectOptions, Signal, SIGNALS};
use crate::signals::score::ScoreOptions;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error(transparent)]
    Toml(#[from] toml::de::Error),
    #[error("[signals.{name}]: {reason}")]
    UnknownSignal { name: String, reason: String },
    #[error("{key} = {value}: {reason}")]
    Invalid { key: String, value: String, reason: &'static str },
}

/// `[detect]`: the chance model, clustering and filtering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DetectSection {
    pub alpha: f64,
    pub min_items: u32,
    pub max_item_accounts: usize,
    pub min_network_size: usize,
    pub resolution: f64,
    pub join_share: f64,
    pub seed: u64,
    pub shards: usize,
}

impl Default for DetectSection {
    fn default() -> Self {
        let d = DetectOptions::default();
        DetectSection {
            alpha: d.score.alpha,
            min_items: d.score.min_items,
            max_item_accounts: d.max_item_accounts,
            min_network_size: d.min_network_size,
            resolution: d.resolution,
            join_share: d.join_share,
            seed: d.seed,
            shards: d.shards,
        }
    }
}

/// `[signals.NAME]`: whether a signal is computed and its window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalSection {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_seconds: Option<f64>,
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DetectConfig {
    pub detect: DetectSection,
    /// `[screen]`: the authenticity screen's thresholds, as they are.
    pub screen: ScreenOptions,
    /// `[timeline]`: bursts and dormancy.
    pub timeline: TimelineOptions,
    /// `[narratives]`: distinctive terms and hashtags grouped into narratives.
    pub narratives: NarrativeOptions,
    /// `[attribution]`: low-activity accounts tied to a network by account-level evidence.
    pub attribution: AttributionOptions,
    /// `[operations]`: networks grouped into operations by the actor's fingerprints.
    pub operations: OperationOptions,
    pub signals: BTreeMap<String, SignalSection>,
}

/// The documentation of every key of the file, in the order the default file lists them:
/// the one place the file's documentation is written (a test checks that every key of the
/// default configuration has an entry and every entry a key). Defaults come from the
/// options' `Default`s.
const KEY_DOCS: &[(&str, &str, &str)] = &[
    ("detect", "alpha", "Family-wise false-positive rate over all account pairs tested (Bonferroni)."),
    ("detect", "min_items", "Fewest items two accounts must share for an edge, whatever the p-value."),
    (
        "detect",
        "max_item_accounts",
        "Items acted on by more distinct accounts than this are skipped (viral posts, top links).",
    ),
    ("detect", "min_network_size", "Networks with fewer accounts are dropped."),
    ("detect", "resolution", "Leiden resolution (modularity); higher gives smaller networks."),
    (
        "detect",
        "join_share",
        "Communities are joined when the weight between them is at least this share of the smaller one's (0: never).",
    ),
    ("detect", "seed", "Seed of the clustering; output is deterministic per seed."),
    ("detect", "shards", "Shards per kernel (parallelism; the result does not depend on it)."),
    ("screen", "enabled", "false: every coordinated group is a network."),
    ("screen", "max_wave_share", "Share of accounts created in creation waves from which a group is never set aside."),
    (
        "screen",
        "min_median_age_days",
        "Median account age (days, at first post) below which a group is never set aside.",
    ),
    (
        "screen",
        "max_internal_engagement_share",
        "Share of engagement from inside the group from which it is an echo chamber.",
    ),
    ("screen", "min_external_engagers", "Fewest outside engagers that make an outside audience."),
    ("screen", "min_engagements", "Fewest engagements in the data for any claim about traction."),
    (
        "screen",
        "wave_alpha",
        "False-positive rate of the creation-wave test over a group's creation days (Bonferroni).",
    ),
    (
        "timeline",
        "alpha",
        "False-positive rate of a burst against its baseline (Poisson tail over 1, 3, 7 or 14 days; Bonferroni).",
    ),
    ("timeline", "min_ratio", "A burst day has at least this many times the posts its baseline expects."),
    (
        "timeline",
        "baseline_days",
        "A day's baseline is the median of the same weekday within this many days around it.",
    ),
    ("timeline", "merge_gap_days", "Burst days at most this far apart are one burst."),
    ("timeline", "min_dormant_days", "Fewest days that make a dormant period."),
    (
        "timeline",
        "dormant_share",
        "A stretch (change-point segment) at most this share of the network's level (its 75th-percentile day) is dormant, residual posts and all.",
    ),
    ("timeline", "min_ramp_days", "Fewest days a ramp (consecutive segments of rising activity) spans."),
    ("timeline", "min_ramp_rise", "A ramp ends at least this many times busier than it began."),
    ("narratives", "top_features", "Distinctive features (terms, hashtags) considered per network."),
    ("narratives", "min_posts", "Fewest network posts a feature must occur in."),
    ("narratives", "min_z", "Smallest z-score of a distinctive feature against the rest of the data."),
    ("narratives", "max_narratives", "Most narratives reported per network."),
    ("narratives", "prior", "Strength of the Dirichlet prior (pseudo-count mass) of the feature model."),
    ("attribution", "enabled", "false: only accounts tied by the co-action signals are members."),
    ("attribution", "max_posts", "Accounts with more posts than this are left to the co-action signals."),
    (
        "attribution",
        "max_expected_false",
        "Most candidates expected to match one account's evidence by chance (candidates x product of background rates).",
    ),
    (
        "attribution",
        "max_false_share",
        "Most expected chance matches as a share of the accounts attributed (a false discovery rate).",
    ),
    (
        "attribution",
        "min_families",
        "Fewest independent evidence families (how the account was made, looks, is run, what it did).",
    ),
    ("attribution", "min_lift", "How many times more common among members than among the others a template must be."),
    ("operations", "enabled", "false: every network is an operation of its own."),
    (
        "operations",
        "min_score",
        "Smallest link score, in both directions, that ties two networks as cells of one operation (also needs two content fingerprints).",
    ),
];

/// What each section is, for the documented default file.
const SECTION_DOCS: &[(&str, &str)] = &[
    ("detect", "The chance model, clustering and filtering."),
    (
        "screen",
        "The authenticity screen: a coordinated group is set aside as an authentic crowd (newsroom,\n\
         fandom, syndication) only with no creation wave, established accounts and an outside\n\
         audience, and no indicator of inauthenticity. Set-aside groups go to dismissed.json.",
    ),
    ("timeline", "Bursts, dormant periods and re-emergence in each network's daily series."),
    ("narratives", "Narratives: distinctive terms and hashtags of each network, grouped."),
    (
        "attribution",
        "Attribution: accounts too quiet for the co-action signals (or only in a users file) join a\n\
         network on at least two independent kinds of account-level evidence, tested against chance.",
    ),
    (
        "operations",
        "Operations: networks tied by an actor's fingerprints (the link test, between the networks of\n\
         the run) are cells of one operation.",
    ),
];

impl DetectConfig {
    /// The configuration that gives `opts`, every section and signal spelled out (what a
    /// run's manifest records, so that the run can be repeated from it alone).
    pub fn resolved(opts: &DetectOptions) -> DetectConfig {
        let signals = SIGNALS
            .iter()
            .map(|sig| {
                let used = opts.signals.iter().find(|s| s.name == sig.name);
                let section = SignalSection {
                    enabled: Some(used.is_some()),
                    window_seconds: Some(used.unwrap_or(sig).window_ms as f64 / 1000.0),
                };
                (sig.name.to_string(), section)
            })
            .collect();
        DetectConfig {
            detect: DetectSection {
                alpha: opts.score.alpha,
                min_items: opts.score.min_items,
                max_item_accounts: opts.max_item_accounts,
                min_network_size: opts.min_network_size,
                resolution: opts.resolution,
                join_share: opts.join_share,
                seed: opts.seed,
                shards: opts.shards,
            },
            screen: opts.screen.clone(),
            timeline: opts.timeline.clone(),
            narratives: opts.narratives.clone(),
            attribution: opts.attribution.clone(),
            operations: opts.operations.clone(),
            signals,
        }
    }

    pub fn from_toml_str(s: &str) -> Result<DetectConfig, ConfigError> {
        let c: DetectConfig = toml::from_str(s)?;
        c.options()?;
        Ok(c)
    }

    /// The defaults as a commented TOML document.
    /// The default file, documented: generated from the options' defaults and [`KEY_DOCS`].
    pub fn default_toml() -> String {
        let defaults = toml::Value::try_from(DetectConfig::resolved(&DetectOptions::default()))
            .expect("the configuration serialises to TOML");
        let mut s =
            String::from("# cibscan detect configuration. Every key is optional; the values below are the defaults.\n");
        for (section, doc) in SECTION_DOCS {
            s.push('\n');
            for line in doc.lines() {
                s.push_str(&format!("# {}\n", line.trim()));
            }
            s.push_str(&format!("[{section}]\n"));
            for (_, key, doc) in KEY_DOCS.iter().filter(|(sec, _, _)| sec == section) {
                let value = &defaults[section][key];
                s.push_str(&format!("# {doc}\n{key} = {value}\n"));
            }
        }
        for sig in SIGNALS {
            s.push_str(&format!(
                "\n# {}.\n[signals.{}]\nenabled = true\nwindow_seconds = {}\n",
                sig.kind.doc(),
                sig.name,
                sig.window_ms / 1000
            ));
        }
        s
    }

    /// The options this file gives, checked.
    pub fn options(&self) -> Result<DetectOptions, ConfigError> {
        let d = &self.detect;
        let invalid = |key: &str, value: String, reason| ConfigError::Invalid { key: key.into(), value, reason };
        if !(d.alpha > 0.0 && d.alpha < 1.0) {
            return Err(invalid("detect.alpha", d.alpha.to_string(), "must be between 0 and 1"));
        }
        if d.max_item_accounts < 2 {
            return Err(invalid("detect.max_item_accounts", d.max_item_accounts.to_string(), "must be at least 2"));
        }
        if !(0.0..=1.0).contains(&d.join_share) {
            return Err(invalid("detect.join_share", d.join_share.to_string(), "must be between 0 and 1"));
        }
        if !(d.resolution.is_finite() && d.resolution >= 0.0) {
            return Err(invalid("detect.resolution", d.resolution.to_string(), "must be a finite number >= 0"));
        }
        let c = &self.screen;
        for (key, v) in [
            ("screen.max_wave_share", c.max_wave_share),
            ("screen.max_internal_engagement_share", c.max_internal_engagement_share),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(invalid(key, v.to_string(), "must be between 0 and 1"));
            }
        }
        if !(c.wave_alpha > 0.0 && c.wave_alpha < 1.0) {
            return Err(invalid("screen.wave_alpha", c.wave_alpha.to_string(), "must be between 0 and 1"));
        }
        if !(c.min_median_age_days.is_finite() && c.min_median_age_days >= 0.0) {
            return Err(invalid("screen.min_median_age_days", c.min_median_age_days.to_string(), "must be >= 0"));
        }
        if d.shards == 0 || d.shards > 4096 {
            return Err(invalid("detect.shards", d.shards.to_string(), "must be between 1 and 4096"));
        }
        let t = &self.timeline;
        if !(t.alpha > 0.0 && t.alpha < 1.0) {
            return Err(invalid("timeline.alpha", t.alpha.to_string(), "must be between 0 and 1"));
        }
        if !(t.min_ratio.is_finite() && t.min_ratio >= 1.0) {
            return Err(invalid("timeline.min_ratio", t.min_ratio.to_string(), "must be a finite number >= 1"));
        }
        for (key, v) in [
            ("timeline.baseline_days", t.baseline_days),
            ("timeline.merge_gap_days", t.merge_gap_days),
            ("timeline.min_dormant_days", t.min_dormant_days),
        ] {
            if !(1..=3650).contains(&v) {
                return Err(invalid(key, v.to_string(), "must be between 1 and 3650 days"));
            }
        }
        if !(t.dormant_share > 0.0 && t.dormant_share < 1.0) {
            return Err(invalid("timeline.dormant_share", t.dormant_share.to_string(), "must be between 0 and 1"));
        }
        if !(t.min_ramp_rise.is_finite() && t.min_ramp_rise >= 1.0 && (1..=3650).contains(&t.min_ramp_days)) {
            return Err(invalid(
                "timeline.min_ramp_rise / min_ramp_days",
                format!("{} / {}", t.min_ramp_rise, t.min_ramp_days),
                "must be >= 1 and 1..=3650 days",
            ));
        }
        let nv = &self.narratives;
        if !(nv.min_z.is_finite() && nv.prior.is_finite() && nv.prior > 0.0) {
            return Err(invalid(
                "narratives.min_z / prior",
                format!("{} / {}", nv.min_z, nv.prior),
                "must be finite, prior > 0",
            ));
        }
        if nv.top_features == 0 || nv.top_features > 10_000 || nv.max_narratives > 1000 {
            return Err(invalid(
                "narratives.top_features / max_narratives",
                format!("{} / {}", nv.top_features, nv.max_narratives),
                "must be 1..=10000 and at most 1000",
            ));
        }
        let at = &self.attribution;
        if !(at.max_expected_false.is_finite() && at.max_expected_false > 0.0) {
            return Err(invalid("attribution.max_expected_false", at.max_expected_false.to_string(), "must be > 0"));
        }
        if !(at.max_false_share > 0.0 && at.max_false_share < 1.0) {
            return Err(invalid(
                "attribution.max_false_share",
                at.max_false_share.to_string(),
                "must be between 0 and 1",
            ));
        }
        if !(1..=4).contains(&at.min_families) {
            return Err(invalid("attribution.min_families", at.min_families.to_string(), "must be between 1 and 4"));
        }
        if !(at.min_lift.is_finite() && at.min_lift >= 1.0) {
            return Err(invalid("attribution.min_lift", at.min_lift.to_string(), "must be >= 1"));
        }
        if !(0.0..=1.0).contains(&self.operations.min_score) {
            return Err(invalid(
                "operations.min_score",
                self.operations.min_score.to_string(),
                "must be between 0 and 1",
            ));
        }
        for name in self.signals.keys() {
            if let Err(reason) = name.parse::<crate::signals::SignalKind>() {
                return Err(ConfigError::UnknownSignal { name: name.clone(), reason });
            }
        }
        let mut signals: Vec<Signal> = Vec::new();
        for sig in SIGNALS {
            let section = self.signals.get(sig.name);
            if section.and_then(|s| s.enabled) == Some(false) {
                continue;
            }
            let mut sig = sig;
            if let Some(w) = section.and_then(|s| s.window_seconds) {
                if !(w.is_finite() && w > 0.0 && w <= 365.0 * 86_400.0) {
                    let key = format!("signals.{}.window_seconds", sig.name);
                    return Err(invalid(&key, w.to_string(), "must be > 0 and at most a year"));
                }
                sig.window_ms = (w * 1000.0).round() as i64;
            }
            signals.push(sig);
        }
        Ok(DetectOptions {
            signals,
            score: ScoreOptions { alpha: d.alpha, min_items: d.min_items },
            max_item_accounts: d.max_item_accounts,
            min_network_size: d.min_network_size,
            resolution: d.resolution,
            join_share: d.join_share,
            seed: d.seed,
            shards: d.shards,
            screen: c.clone(),
            timeline: self.timeline.clone(),
            narratives: self.narratives.clone(),
            attribution: self.attribution.clone(),
            operations: self.operations.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_defaults_are_the_defaults() {
        let c = DetectConfig::from_toml_str(&DetectConfig::default_toml()).unwrap();
        assert_eq!(c.options().unwrap(), DetectOptions::default());
        assert_eq!(DetectConfig::from_toml_str("").unwrap().options().unwrap(), DetectOptions::default());
    }

    #[test]
    fn every_key_is_documented_once_and_reachable() {
        let defaults = toml::Value::try_from(DetectConfig::resolved(&DetectOptions::default())).unwrap();
        for (section, _) in SECTION_DOCS {
            let keys: Vec<&String> = defaults[section].as_table().unwrap().keys().collect();
            for k in &keys {
                assert!(KEY_DOCS.iter().any(|(s, key, _)| s == section && key == k), "{section}.{k} has no doc");
            }
            let documented = KEY_DOCS.iter().filter(|(s, _, _)| s == section).count();
            assert_eq!(documented, keys.len(), "[{section}]: a documented key that is not an option");
        }
        let c = DetectConfig::from_toml_str(
            "[detect]\nshards = 3\n[timeline]\nmin_dormant_days = 30\n[narratives]\nmax_narratives = 2\n",
        )
        .unwrap();
        let o = c.options().unwrap();
        assert_eq!((o.shards, o.timeline.min_dormant_days, o.narratives.max_narratives), (3, 30, 2));
        assert!(DetectConfig::from_toml_str("[timeline]\nmin_dormant_days = 0\n").is_err());
        assert!(DetectConfig::from_toml_str("[narratives]\nwhatever = 1\n").is_err());
        assert_eq!(DetectConfig::resolved(&o).options().unwrap(), o);
    }

    #[test]
    fn overrides_apply_and_mistakes_are_errors() {
        let c = DetectConfig::from_toml_str(
            "[detect]\nalpha = 0.001\n[signals.co_hashtag]\nenabled = false\n[signals.fast_retweet]\nwindow_seconds = 30\n",
        )
        .unwrap();
        let o = c.options().unwrap();
        assert_eq!(o.score.alpha, 0.001);
        assert!(!o.signals.iter().any(|s| s.name == "co_hashtag"));
        assert_eq!(o.signals.iter().find(|s| s.name == "fast_retweet").unwrap().window_ms, 30_000);
        assert!(matches!(
            DetectConfig::from_toml_str("[signals.co_tweet]\nenabled = true\n"),
            Err(ConfigError::UnknownSignal { .. })
        ));
        assert!(DetectConfig::from_toml_str("[detect]\nalpah = 0.1\n").is_err());
        assert!(DetectConfig::from_toml_str("[detect]\nalpha = 2\n").is_err());
        assert!(DetectConfig::from_toml_str("[signals.co_url]\nwindow_seconds = -5\n").is_err());
        assert!(DetectConfig::from_toml_str("[screen]\nmax_wave_share = 1.5\n").is_err());
        assert!(DetectConfig::from_toml_str("[screen]\nenable = false\n").is_err());
        let off = DetectConfig::from_toml_str("[screen]\nenabled = false\n").unwrap().options().unwrap();
        assert!(!off.screen.enabled);
    }
}
