//! Assessment of a third party's account list against a detection run.
//!
//! A government or a company publishes "N inauthentic accounts". For each listed account the
//! run either holds evidence of coordination (the account is in a network), holds enough of
//! the account's activity to say it acts alone or with an authentic crowd, or does not hold
//! enough to say anything. Verdicts: `coordinated`, `not_coordinated`,
//! `insufficient_data`, each with its reasons, so a listed journalist or NGO can be shown
//! to be one.
//!
//! `coordinated`: the account is in a network — tied by the co-action signals, or, when too
//! quiet for them, attributed on at least two independent kinds of account-level evidence
//! tested against chance (detection's attribution, [`crate::characterise::attribute`]: the
//! one rule for the run and the list, so a listed ordinary account created on a busy
//! creation day is never `coordinated` on that day alone; its reasons say it was created in a
//! network's wave). `not_coordinated`: enough posts (≥ 5) and neither; a
//! member of a coordinated group the screen set aside as authentic (a newsroom, a fandom)
//! is named with that group. `insufficient_data`: not in the run's input, or too few posts.

use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AssessError {
    #[error("{path}: {error}")]
    Io { path: PathBuf, error: std::io::Error },
    #[error("{path}: {error}")]
    Csv { path: PathBuf, error: csv::Error },
    #[error(transparent)]
    Run(#[from] crate::run::RunError),
    #[error("{path}: the list is empty")]
    EmptyList { path: PathBuf },
    #[error("{path}:{line}: {reason}")]
    BadList { path: PathBuf, line: u64, reason: String },
}

/// One account of a run: a row of `accounts.csv`.
pub type RunAccount = crate::run::output::AccountRow;

/// What an assessment needs of a detection run directory.
#[derive(Debug, Default)]
pub struct Run {
    pub accounts: Vec<RunAccount>,
    by_id: HashMap<String, usize>,
    by_handle: HashMap<String, usize>,
    /// Account id → (set-aside group id, the screen's reasons).
    dismissed: HashMap<String, (String, Vec<String>)>,
    /// Network id → (verdict, indicators).
    networks: HashMap<String, (String, Vec<String>)>,
    /// Account id → creation day (`indicators.csv`).
    created: HashMap<String, String>,
    /// Creation-wave day → (network id, accounts of the network created that day).
    wave_days: HashMap<String, (String, u64)>,
}

/// A network as the assessment sees it.
#[derive(Debug, Clone, Default)]
pub struct RunNetwork {
    pub id: String,
    pub verdict: String,
    pub indicators: Vec<String>,
    pub creation_waves: Vec<crate::characterise::screen::CreationWave>,
}

/// An account's creation day (from `indicators.csv`).
#[derive(Debug, Clone, Default)]
pub struct AccountCreation {
    pub account_id: String,
    pub created: Option<String>,
}

/// A set-aside group as the assessment sees it.
#[derive(Debug, Clone, Default)]
pub struct RunDismissed {
    pub id: String,
    pub reasons: Vec<String>,
    pub account_ids: Vec<String>,
}

impl Run {
    /// What an assessment needs of a detection run.
    pub fn load(run: &crate::run::Run) -> Result<Run, AssessError> {
        let networks = run.networks()?.into_iter().map(|n| RunNetwork {
            id: n.id,
            verdict: n.screening.verdict.name().to_string(),
            indicators: n.screening.indicators,
            creation_waves: n.evidence.creation_waves,
        });
        let created = run
            .indicators()?
            .into_iter()
            .map(|r| AccountCreation { account_id: r.account_id, created: r.account_created });
        let dismissed = run.dismissed()?.into_iter().map(|g| RunDismissed {
            id: g.group.id,
            reasons: g.group.screening.authenticity,
            account_ids: g.account_ids,
        });
        Ok(Run::new(run.accounts()?, networks, created, dismissed))
    }

    /// From the run's accounts, networks, account creation days and indicators, and
    /// set-aside groups.
    pub fn new(
        accounts: Vec<RunAccount>,
        networks: impl IntoIterator<Item = RunNetwork>,
        created: impl IntoIterator<Item = AccountCreation>,
        dismissed: impl IntoIterator<Item = RunDismissed>,
    ) -> Run {
        let mut out = Run::default();
        for a in accounts {
            let i = out.accounts.len();
            out.by_id.insert(a.account_id.clone(), i);
            if !a.screen_name.is_empty() {
                out.by_handle.entry(a.screen_name.to_lowercase()).or_insert(i);
            }
            out.accounts.push(a);
        }
        for n in networks {
            for w in &n.creation_waves {
                let e = out.wave_days.entry(w.date.clone()).or_insert((n.id.clone(), 0));
                if w.accounts > e.1 {
                    *e = (n.id.clone(), w.accounts);
                }
            }
            out.networks.insert(n.id, (n.verdict, n.indicators));
        }
        for c in created {
            if let Some(day) = c.created {
                out.created.insert(c.account_id, day);
            }
        }
        for g in dismissed {
            for a in g.account_ids {
                out.dismissed.insert(a, (g.id.clone(), g.reasons.clone()));
            }
        }
        out
    }

    /// The account an entry names: an id, else a handle (with or without `@`, any case).
    pub fn find(&self, entry: &str) -> Option<&RunAccount> {
        let e = entry.trim();
        self.by_id
            .get(e)
            .or_else(|| self.by_handle.get(&e.trim_start_matches('@').to_lowercase()))
            .map(|&i| &self.accounts[i])
    }
}

/// Reads a list: a CSV with a `userid` column, or one id or handle per line (blank lines
/// and `#` comments skipped).
pub fn read_list(path: &Path) -> Result<Vec<String>, AssessError> {
    let text = std::fs::read_to_string(path).map_err(|error| AssessError::Io { path: path.into(), error })?;
    let first = text.lines().next().unwrap_or("");
    let entries: Vec<String> = if first.split(',').any(|h| h.trim().trim_matches('"') == "userid") {
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let header = rdr.headers().map_err(|error| AssessError::Csv { path: path.into(), error })?.clone();
        let c = header.iter().position(|h| h.trim() == "userid").expect("checked above");
        let mut out = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|error| AssessError::Csv { path: path.into(), error })?;
            let line = rec.position().map_or(0, |p| p.line());
            // A quote left open swallows the lines after it into one field.
            if rec.iter().any(|f| f.contains(['\n', '\r'])) {
                let reason = "a quoted field runs over several lines (a quote left open?)".to_string();
                return Err(AssessError::BadList { path: path.into(), line, reason });
            }
            out.push(rec.get(c).unwrap_or("").trim().to_string());
        }
        out
    } else {
        text.lines().map(|l| l.trim().to_string()).collect()
    };
    let entries: Vec<String> = entries.into_iter().filter(|e| !e.is_empty() && !e.starts_with('#')).collect();
    if entries.is_empty() {
        return Err(AssessError::EmptyList { path: path.into() });
    }
    Ok(entries)
}

/// The verdict on one listed account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Coordinated,
    NotCoordinated,
    InsufficientData,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Coordinated => "coordinated",
            Verdict::NotCoordinated => "not_coordinated",
            Verdict::InsufficientData => "insufficient_data",
        }
    }
}

/// The basis of a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The account is in one of the run's networks.
    InNetwork,
    /// In a network by attribution: too quiet for the co-action signals, tied on
    /// account-level evidence tested against chance.
    Attributed,
    /// A member of a coordinated group the screen set aside as authentic.
    AuthenticGroup,
    /// Enough posts, and none co-acted with a network.
    ActsAlone,
    /// Too few posts in the run's input to say.
    TooFewPosts,
    /// Not in the run's input.
    NotInInput,
}

impl Basis {
    pub fn name(self) -> &'static str {
        match self {
            Basis::InNetwork => "in_network",
            Basis::Attributed => "attributed",
            Basis::AuthenticGroup => "authentic_group",
            Basis::ActsAlone => "acts_alone",
            Basis::TooFewPosts => "too_few_posts",
            Basis::NotInInput => "not_in_input",
        }
    }
}

/// One row of `assessment.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// The account id when the run knows the account, else the entry as listed.
    pub userid: String,
    pub verdict: Verdict,
    pub network_id: String,
    pub reasons: String,
    /// For `not_coordinated`: the account looks ordinary or institutional (low
    /// inauthenticity score or a member of a group set aside as authentic).
    #[serde(skip)]
    pub looks_authentic: bool,
    /// Why, in one word, for the summary.
    #[serde(skip)]
    pub basis: Basis,
}

/// Options of the assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessOptions {
    /// Fewer posts in the run's input than this: `insufficient_data`.
    pub min_posts: u64,
    /// An inauthenticity score below this counts as an ordinary or institutional account.
    pub authentic_below: f64,
}

impl Default for AssessOptions {
    fn default() -> Self {
        AssessOptions { min_posts: 5, authentic_below: 0.25 }
    }
}

/// Assesses every entry of a list (duplicates kept, in list order).
pub fn assess(entries: &[String], run: &Run, opts: &AssessOptions) -> Vec<Assessment> {
    entries
        .iter()
        .map(|entry| {
            let Some(a) = run.find(entry) else {
                return Assessment {
                    userid: entry.trim().to_string(),
                    verdict: Verdict::InsufficientData,
                    network_id: String::new(),
                    reasons: "not in the run's input".into(),
                    looks_authentic: false,
                    basis: Basis::NotInInput,
                };
            };
            let score = a.inauthenticity_score.map(|s| format!("inauthenticity score {s:.2}"));
            if !a.network_id.is_empty() {
                let mut r = vec![format!("member of network {}", a.network_id)];
                if !a.role.is_empty() {
                    r.push(format!("role {}", a.role));
                }
                let attributed = a.signals.starts_with("attributed");
                if attributed {
                    r.push(format!(
                        "attributed on account-level evidence: {} (`cibscan explain` shows it)",
                        a.signals.trim_start_matches("attributed").trim_start_matches(';').replace(';', ", ")
                    ));
                } else {
                    r.push(format!("signals {}", a.signals.replace(';', ", ")));
                }
                r.push(format!("coordination score {:.2}", a.coordination_score));
                if let Some((verdict, indicators)) = run.networks.get(&a.network_id) {
                    if !indicators.is_empty() {
                        r.push(format!("network {verdict}: {}", indicators.join(", ")));
                    }
                }
                r.extend(score);
                return Assessment {
                    userid: a.account_id.clone(),
                    verdict: Verdict::Coordinated,
                    network_id: a.network_id.clone(),
                    reasons: r.join("; "),
                    looks_authentic: false,
                    basis: if attributed { Basis::Attributed } else { Basis::InNetwork },
                };
            }
            if let Some((group, why)) = run.dismissed.get(&a.account_id) {
                let mut r =
                    vec![format!("acts with group {group}, which is coordinated but authentic: {}", why.join(", "))];
                r.extend(score);
                return Assessment {
                    userid: a.account_id.clone(),
                    verdict: Verdict::NotCoordinated,
                    network_id: String::new(),
                    reasons: r.join("; "),
                    looks_authentic: true,
                    basis: Basis::AuthenticGroup,
                };
            }
            // Created in a network's creation wave but not attributed to it: one kind of
            // evidence, which an ordinary account created on a busy day also has. Said, not
            // counted.
            let wave = run.created.get(&a.account_id).and_then(|day| Some((day, run.wave_days.get(day)?))).map(
                |(day, (network, k))| {
                    format!(
                        "created on {day}, a creation wave of network {network} ({k} of its accounts), \
                         without a second kind of evidence that holds against chance"
                    )
                },
            );
            if a.posts < opts.min_posts {
                return Assessment {
                    userid: a.account_id.clone(),
                    verdict: Verdict::InsufficientData,
                    network_id: String::new(),
                    reasons: std::iter::once(format!(
                        "only {} posts in the run's input (fewer than {})",
                        a.posts, opts.min_posts
                    ))
                    .chain(wave)
                    .collect::<Vec<_>>()
                    .join("; "),
                    looks_authentic: false,
                    basis: Basis::TooFewPosts,
                };
            }
            let mut r = vec![format!("{} posts, no coordination beyond chance with any network", a.posts)];
            r.extend(wave);
            r.extend(score);
            Assessment {
                userid: a.account_id.clone(),
                verdict: Verdict::NotCoordinated,
                network_id: String::new(),
                reasons: r.join("; "),
                looks_authentic: a.inauthenticity_score.is_some_and(|s| s < opts.authentic_below),
                basis: Basis::ActsAlone,
            }
        })
        .collect()
}

/// Counts for the summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub listed: usize,
    pub coordinated: usize,
    pub not_coordinated: usize,
    /// Of `not_coordinated`: ordinary or institutional-looking accounts.
    pub looks_authentic: usize,
    pub insufficient_data: usize,
    /// Networks the coordinated accounts belong to, with counts.
    pub networks: std::collections::BTreeMap<String, usize>,
    /// Why, per verdict: `verdict/basis` → accounts (e.g. `not_coordinated/authentic_group`).
    pub why: std::collections::BTreeMap<String, usize>,
}

pub fn summary(rows: &[Assessment]) -> Summary {
    let mut s = Summary { listed: rows.len(), ..Default::default() };
    for r in rows {
        *s.why.entry(format!("{}/{}", r.verdict.name(), r.basis.name())).or_default() += 1;
        match r.verdict {
            Verdict::Coordinated => {
                s.coordinated += 1;
                *s.networks.entry(r.network_id.clone()).or_default() += 1;
            }
            Verdict::NotCoordinated => {
                s.not_coordinated += 1;
                s.looks_authentic += r.looks_authentic as usize;
            }
            Verdict::InsufficientData => s.insufficient_data += 1,
        }
    }
    s
}

/// Writes `assessment.csv` (`userid,verdict,network_id,reasons`; text neutralised against
/// spreadsheet formulas, ids exact).
pub fn write_assessment(path: &Path, rows: &[Assessment]) -> std::io::Result<()> {
    let mut w = csv::Writer::from_path(path)?;
    w.write_record(["userid", "verdict", "network_id", "reasons"])?;
    for r in rows {
        w.write_record([
            crate::run::output::neutralise_id(&r.userid).as_ref(),
            r.verdict.name(),
            r.network_id.as_str(),
            crate::run::output::neutralise(&r.reasons).as_ref(),
        ])?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run() -> ((), Run) {
        let row = |id: &str, handle: &str, network: &str, score: Option<f64>, posts: u64, signals: &str| RunAccount {
            account_id: id.into(),
            screen_name: handle.into(),
            network_id: network.into(),
            operation_id: if network.is_empty() { String::new() } else { "O1".into() },
            role: if network.is_empty() { String::new() } else { "amplifier".into() },
            coordination_score: if network.is_empty() { 0.0 } else { 0.99 },
            inauthenticity_score: score,
            posts,
            signals: signals.into(),
        };
        let accounts = vec![
            row("1", "opA", "N1", Some(0.7), 40, "co_retweet;amplification"),
            row("2", "Reporter", "", Some(0.05), 300, ""),
            row("3", "quiet", "", None, 2, ""),
            row("4", "someone", "", Some(0.4), 50, ""),
            row("5", "batch7731", "", Some(0.8), 9, ""),
            // Created on the wave day, high only because of it: an ordinary account.
            row("6", "ordinary", "", Some(0.55), 7, ""),
            // Too quiet for the signals, attributed by detection.
            row("7", "quiet7", "N1", Some(0.8), 2, "attributed;creation_wave;handle_template;boosted_network"),
        ];
        let networks = [RunNetwork {
            id: "N1".into(),
            verdict: "inauthentic".into(),
            indicators: vec!["echo chamber".into()],
            creation_waves: vec![crate::characterise::screen::CreationWave { date: "2019-09-03".into(), accounts: 40 }],
        }];
        let created =
            ["1", "4", "5", "6"].map(|a| AccountCreation { account_id: a.into(), created: Some("2019-09-03".into()) });
        let dismissed =
            [RunDismissed { id: "D1".into(), reasons: vec!["outside audience".into()], account_ids: vec!["2".into()] }];
        ((), Run::new(accounts, networks, created, dismissed))
    }

    #[test]
    fn every_kind_of_entry_gets_its_verdict_and_reasons() {
        let (_d, run) = run();
        let list: Vec<String> =
            ["1", "@reporter", "quiet", "4", "999", "5", "6", "7"].iter().map(|s| s.to_string()).collect();
        let rows = assess(&list, &run, &AssessOptions::default());
        let v: Vec<(&str, Verdict)> = rows.iter().map(|r| (r.userid.as_str(), r.verdict)).collect();
        assert_eq!(
            v,
            [
                ("1", Verdict::Coordinated),
                ("2", Verdict::NotCoordinated),
                ("3", Verdict::InsufficientData),
                ("4", Verdict::NotCoordinated),
                ("999", Verdict::InsufficientData),
                ("5", Verdict::NotCoordinated),
                ("6", Verdict::NotCoordinated),
                ("7", Verdict::Coordinated),
            ]
        );
        // Accounts 5 and 6: created on N1's wave day, but not attributed by detection (no
        // second kind of evidence held against chance): said, not counted.
        for k in [5, 6] {
            assert_eq!(rows[k].basis, Basis::ActsAlone, "{}", rows[k].reasons);
            assert!(rows[k].reasons.contains("creation wave of network N1"), "{}", rows[k].reasons);
        }
        // Account 7: attributed, with its kinds of evidence.
        assert_eq!((rows[7].basis, rows[7].network_id.as_str()), (Basis::Attributed, "N1"));
        assert!(rows[7].reasons.contains("creation_wave, handle_template, boosted_network"), "{}", rows[7].reasons);
        assert!(rows[0].reasons.contains("echo chamber") && rows[0].reasons.contains("co_retweet, amplification"));
        assert!(rows[1].reasons.contains("group D1") && rows[1].looks_authentic);
        assert!(!rows[3].looks_authentic);
        let s = summary(&rows);
        assert_eq!((s.coordinated, s.not_coordinated, s.looks_authentic, s.insufficient_data), (2, 4, 1, 2));
        assert_eq!(s.why["coordinated/attributed"], 1);
        assert_eq!(s.why["not_coordinated/authentic_group"], 1);
        assert_eq!(s.why["insufficient_data/not_in_input"], 1);
    }

    #[test]
    fn lists_are_csv_with_userid_or_one_per_line() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        std::fs::write(&a, "screen_name,userid\nx,11\ny,12\n").unwrap();
        assert_eq!(read_list(&a).unwrap(), ["11", "12"]);
        let b = dir.path().join("b.txt");
        std::fs::write(&b, "# from the ministry\n@x\n\n12\n").unwrap();
        assert_eq!(read_list(&b).unwrap(), ["@x", "12"]);
        let q = dir.path().join("q.csv");
        std::fs::write(&q, "userid,name\n11,\"open\n12,x\n13,y\n").unwrap();
        let e = read_list(&q).unwrap_err();
        assert!(matches!(e, AssessError::BadList { line: 2, .. }), "{e}");
        let c = dir.path().join("c.txt");
        std::fs::write(&c, "\n# nothing\n").unwrap();
        assert!(matches!(read_list(&c), Err(AssessError::EmptyList { .. })));
    }
}
