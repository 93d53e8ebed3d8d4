//! The detection configuration file (TOML): every parameter with its default, in one place.
//!
//! `cibscan config --default` prints [`DetectConfig::default_toml`]; `cibscan detect
//! --config FILE` reads a file in which every key is optional. Unknown keys and unknown
//! signal names are errors, so a typo never silently falls back to a default.

use crate::characterise::screen::ScreenOptions;
use crate::pipeline::{DetectOptions, Signal, SIGNALS};
use crate::signals::score::ScoreOptions;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error(transparent)]
    Toml(#[from] toml::de::Error),
    #[error("unknown signal `{name}` (known: {known})")]
    UnknownSignal { name: String, known: String },
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
    pub signals: BTreeMap<String, SignalSection>,
}

/// What each signal means, for the documented default file.
fn signal_doc(name: &str) -> &'static str {
    match name {
        "co_retweet" => "Retweeting the same post",
        "fast_retweet" => "Retweeting the same post within seconds of each other",
        "co_quote" => "Quoting the same post",
        "co_reply" => "Replying to the same post",
        "co_reply_account" => "Replying to the same account",
        "co_amplify" => "Retweeting or quoting posts of the same account",
        "amplification" => "Retweeting or quoting an account's posts within the window of their posting, repeatedly",
        "identical_text" => "Posting the same normalised text",
        "near_duplicate_text" => "Posting near-duplicate texts (MinHash/LSH over character shingles, any script)",
        "co_url" => "Sharing the same normalised URL",
        "co_domain" => "Sharing links to the same domain",
        "hashtag_sequence" => "Using the same ordered hashtag sequence",
        "co_hashtag" => "Using the same hashtag",
        "co_mention" => "Mentioning the same account",
        _ => "",
    }
}

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
            },
            screen: opts.screen.clone(),
            signals,
        }
    }

    pub fn from_toml_str(s: &str) -> Result<DetectConfig, ConfigError> {
        let c: DetectConfig = toml::from_str(s)?;
        c.options()?;
        Ok(c)
    }

    /// The defaults as a commented TOML document.
    pub fn default_toml() -> String {
        let d = DetectSection::default();
        let mut s = String::from(
            "# cibscan detect configuration. Every key is optional; the values below are the defaults.\n\n[detect]\n",
        );
        let keys: [(&str, &str, String); 7] = [
            (
                "Family-wise false-positive rate over all account pairs tested (Bonferroni).",
                "alpha",
                d.alpha.to_string(),
            ),
            (
                "Fewest items two accounts must share for an edge, whatever the p-value.",
                "min_items",
                d.min_items.to_string(),
            ),
            (
                "Items acted on by more distinct accounts than this are skipped (viral posts, top links).",
                "max_item_accounts",
                d.max_item_accounts.to_string(),
            ),
            ("Networks with fewer accounts are dropped.", "min_network_size", d.min_network_size.to_string()),
            (
                "Leiden resolution (modularity); higher gives smaller networks.",
                "resolution",
                format!("{:.1}", d.resolution),
            ),
            (
                "Communities are joined when the weight between them is at least this share of the smaller one's (0: never).",
                "join_share",
                d.join_share.to_string(),
            ),
            ("Seed of the clustering; output is deterministic per seed.", "seed", d.seed.to_string()),
        ];
        for (doc, key, value) in keys {
            s.push_str(&format!("# {doc}\n{key} = {value}\n"));
        }
        let c = ScreenOptions::default();
        s.push_str(
            "\n# The authenticity screen: a coordinated group is set aside as an authentic crowd (newsroom,\n\
             # fandom, syndication) only with no creation wave, established accounts and an outside\n\
             # audience, and no indicator of inauthenticity. Set-aside groups go to dismissed.json.\n[screen]\n",
        );
        let keys: [(&str, &str, String); 7] = [
            ("false: every coordinated group is a network.", "enabled", c.enabled.to_string()),
            (
                "Share of accounts created in creation waves from which a group is never set aside.",
                "max_wave_share",
                c.max_wave_share.to_string(),
            ),
            (
                "Median account age (days, at first post) below which a group is never set aside.",
                "min_median_age_days",
                format!("{:.1}", c.min_median_age_days),
            ),
            (
                "Share of engagement from inside the group from which it is an echo chamber.",
                "max_internal_engagement_share",
                c.max_internal_engagement_share.to_string(),
            ),
            (
                "Fewest outside engagers that make an outside audience.",
                "min_external_engagers",
                c.min_external_engagers.to_string(),
            ),
            (
                "Fewest engagements in the data for any claim about traction.",
                "min_engagements",
                c.min_engagements.to_string(),
            ),
            (
                "False-positive rate of the creation-wave test over a group's creation days (Bonferroni).",
                "wave_alpha",
                c.wave_alpha.to_string(),
            ),
        ];
        for (doc, key, value) in keys {
            s.push_str(&format!("# {doc}\n{key} = {value}\n"));
        }
        for sig in SIGNALS {
            s.push_str(&format!(
                "\n# {}.\n[signals.{}]\nenabled = true\nwindow_seconds = {}\n",
                signal_doc(sig.name),
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
        for name in self.signals.keys() {
            if !SIGNALS.iter().any(|s| s.name == name) {
                let known = SIGNALS.iter().map(|s| s.name).collect::<Vec<_>>().join(", ");
                return Err(ConfigError::UnknownSignal { name: name.clone(), known });
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
            screen: c.clone(),
            ..DetectOptions::default()
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
