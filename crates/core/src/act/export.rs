//! Exports for action: the takedown list and the indicators platforms publish
//! (`indicator_type,indicator_value,comment,ds`).
//!
//! Indicators are what a network shares that others do not: its accounts, and the URLs and
//! domains it pushes. A URL or domain is an indicator of a network when at least
//! [`IndicatorOptions::min_accounts`] of its accounts shared it and at least
//! [`IndicatorOptions::min_network_share`] of all the accounts that shared it in the data
//! belong to the network — so youtube.com, shared by everyone, is never one, while a
//! network's own video links and sites are. Hosting platforms ([`PLATFORM_DOMAINS`]) are
//! never domain indicators, only their URLs.

use crate::model::{Dataset, NO_STR};
use crate::signals::traces::normalise_url;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

pub use crate::units::PLATFORM_DOMAINS;

/// What a published indicator is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorType {
    Account,
    Domain,
    Url,
}

impl IndicatorType {
    pub fn name(self) -> &'static str {
        match self {
            IndicatorType::Account => "account",
            IndicatorType::Domain => "domain",
            IndicatorType::Url => "url",
        }
    }
}

/// One row of `indicators.csv` in the platforms' shape.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct IndicatorRow {
    pub indicator_type: IndicatorType,
    pub indicator_value: String,
    pub comment: String,
    /// Date stamp (`YYYY-MM-DD`): the network's last post, so exports are reproducible.
    pub ds: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorOptions {
    pub min_accounts: usize,
    pub min_network_share: f64,
}

impl Default for IndicatorOptions {
    fn default() -> Self {
        IndicatorOptions { min_accounts: 2, min_network_share: 0.5 }
    }
}

/// Indicators of each network: `network_of[account]` is the account's network index and
/// `names[n]` the network ids.
pub fn indicators(
    data: &Dataset,
    network_of: &[Option<u32>],
    names: &[String],
    opts: &IndicatorOptions,
) -> Vec<IndicatorRow> {
    let p = &data.posts;
    let mut last = vec![i64::MIN; names.len()];
    // URL / domain → accounts that shared it.
    let mut url_accounts: HashMap<String, HashSet<u32>> = HashMap::new();
    let mut domain_accounts: HashMap<String, HashSet<u32>> = HashMap::new();
    for i in 0..p.len() {
        let a = p.account[i];
        if let Some(n) = network_of.get(a as usize).copied().flatten() {
            last[n as usize] = last[n as usize].max(p.time_ms[i]);
        }
        for &u in p.urls.row(i) {
            if u == NO_STR {
                continue;
            }
            if let Some((url, domain)) = normalise_url(data.strings.get(u)) {
                url_accounts.entry(url).or_default().insert(a);
                domain_accounts.entry(domain).or_default().insert(a);
            }
        }
    }
    let ds: Vec<String> =
        last.iter().map(|&t| if t == i64::MIN { String::new() } else { crate::ingest::parse::format_day(t) }).collect();
    let mut rows = Vec::new();
    for (kind, map) in [(IndicatorType::Domain, &domain_accounts), (IndicatorType::Url, &url_accounts)] {
        for (value, accounts) in map {
            if kind == IndicatorType::Domain && PLATFORM_DOMAINS.contains(&value.as_str()) {
                continue;
            }
            let mut per: BTreeMap<u32, usize> = BTreeMap::new();
            for &a in accounts {
                if let Some(n) = network_of.get(a as usize).copied().flatten() {
                    *per.entry(n).or_default() += 1;
                }
            }
            for (n, k) in per {
                let share = k as f64 / accounts.len() as f64;
                if k >= opts.min_accounts && share >= opts.min_network_share {
                    rows.push(IndicatorRow {
                        indicator_type: kind,
                        indicator_value: value.clone(),
                        comment: format!(
                            "network {}: shared by {k} of its accounts ({:.0}% of the {} accounts sharing it)",
                            names[n as usize],
                            100.0 * share,
                            accounts.len()
                        ),
                        ds: ds[n as usize].clone(),
                    });
                }
            }
        }
    }
    for (a, n) in network_of.iter().enumerate() {
        if let Some(n) = n {
            let handle = data.strings.opt(data.accounts.screen_name[a]).unwrap_or("");
            rows.push(IndicatorRow {
                indicator_type: IndicatorType::Account,
                indicator_value: data.accounts.key.get(a as u32).to_string(),
                comment: format!("network {}; screen name {handle}", names[*n as usize]),
                ds: ds[*n as usize].clone(),
            });
        }
    }
    rows.sort();
    rows
}

/// Writes `indicator_type,indicator_value,comment,ds` (text neutralised against
/// spreadsheet formulas; hashed account ids exact).
pub fn write_indicators(path: &Path, rows: &[IndicatorRow]) -> std::io::Result<()> {
    let mut w = csv::Writer::from_path(path)?;
    w.write_record(["indicator_type", "indicator_value", "comment", "ds"])?;
    for r in rows {
        let value = if r.indicator_type == IndicatorType::Account {
            crate::run::output::neutralise_id(&r.indicator_value)
        } else {
            crate::run::output::neutralise(&r.indicator_value)
        };
        w.write_record([
            r.indicator_type.name(),
            value.as_ref(),
            crate::run::output::neutralise(&r.comment).as_ref(),
            &r.ds,
        ])?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PostKind, PostRecord};

    #[test]
    fn a_network_s_own_links_are_indicators_and_everyone_s_are_not() {
        let mut d = Dataset::default();
        let push = |d: &mut Dataset, id: u64, by: &str, url: &'static str| {
            let r = PostRecord {
                id,
                time_ms: id as i64 * 86_400_000,
                kind: PostKind::Original,
                urls: vec![url],
                ..Default::default()
            };
            let a = d.accounts.intern(by);
            d.push_post(a, &r);
        };
        push(&mut d, 1, "op1", "https://www.truthnews.example/a?utm_source=x");
        push(&mut d, 2, "op2", "https://truthnews.example/a");
        push(&mut d, 3, "op1", "https://youtube.com/watch?v=1");
        push(&mut d, 4, "op2", "https://youtube.com/watch?v=2");
        for k in 0..5 {
            push(&mut d, 10 + k, &format!("user{k}"), "https://youtube.com/watch?v=9");
        }
        let mut network_of = vec![None; d.accounts.len()];
        for k in ["op1", "op2"] {
            network_of[d.accounts.lookup(k).unwrap() as usize] = Some(0);
        }
        let rows = indicators(&d, &network_of, &["N1".to_string()], &IndicatorOptions::default());
        let v: Vec<(&str, &str)> = rows.iter().map(|r| (r.indicator_type.name(), r.indicator_value.as_str())).collect();
        assert!(v.contains(&("domain", "truthnews.example")), "{v:?}");
        assert!(v.contains(&("url", "truthnews.example/a")), "{v:?}");
        assert!(!v.iter().any(|(_, x)| x.contains("youtube")), "{v:?}");
        // Pushed by the network alone, a platform's URL is an indicator, its domain is not.
        let only = indicators(&d, &vec![Some(0); d.accounts.len()], &["N1".to_string()], &IndicatorOptions::default());
        assert!(only.iter().any(|r| r.indicator_value == "youtube.com/watch?v=9"));
        assert!(!only.iter().any(|r| r.indicator_value == "youtube.com"));
        assert_eq!(v.iter().filter(|(t, _)| *t == "account").count(), 2);
        assert!(rows.iter().all(|r| r.ds == "1970-01-05"), "{rows:?}");
    }
}
