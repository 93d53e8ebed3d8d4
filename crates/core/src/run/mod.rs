//! A detection run folder: what `detect` writes and what every command acting on a run
//! (`explain`, `link`, `assess`, `export`) reads back. This module owns the files' names,
//! their typed rows and the manifest; no other module parses a run's files.
//!
//! A run written in another format version, or with a missing or damaged file, is an error
//! naming the file: never a silent default, never a panic.

pub mod config;
mod manifest;
pub mod output;
mod write;

pub use manifest::{
    describe_input, hash_file, now_utc, Counts, InputFile, Manifest, OutputFile, Prior, StageTiming, FORMAT_VERSION,
    TOOL,
};
pub use write::{replace_file, write_run, RunInfo, Staging};

use crate::ingest::{IngestError, IngestOptions, IngestStats};
use crate::model::Dataset;
use crate::pipeline::Network;
use crate::progress::Progress;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The files of a run folder.
pub mod file {
    pub const MANIFEST: &str = "run.json";
    pub const ACCOUNTS: &str = "accounts.csv";
    pub const NETWORKS: &str = "networks.json";
    pub const DISMISSED: &str = "dismissed.json";
    pub const OPERATIONS: &str = "operations.json";
    pub const ATTRIBUTIONS: &str = "attributions.json";
    pub const EDGES: &str = "edges.csv";
    pub const INDICATORS: &str = "indicators.csv";
    pub const GEXF: &str = "network.gexf";
    pub const GRAPHML: &str = "network.graphml";
    pub const REPORT: &str = "report.html";
    /// The files that commands acting on a run read (and so must be present and sound).
    pub const READ_BACK: [&str; 8] =
        [MANIFEST, ACCOUNTS, NETWORKS, OPERATIONS, ATTRIBUTIONS, DISMISSED, EDGES, INDICATORS];
    /// Every file `detect` writes besides the manifest (recorded in it with their hashes).
    pub const ALL: [&str; 10] =
        [ACCOUNTS, NETWORKS, OPERATIONS, ATTRIBUTIONS, DISMISSED, EDGES, INDICATORS, GEXF, GRAPHML, REPORT];
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    #[error("{dir}: no cibscan run here (no run.json; `cibscan detect --out DIR` writes one)")]
    NotARun { dir: PathBuf },
    #[error("{path}: missing (the run folder is incomplete; run `cibscan detect` again)")]
    Missing { path: PathBuf },
    #[error("{path}: {error}")]
    Io { path: PathBuf, error: std::io::Error },
    #[error("{path}: damaged: {reason}")]
    Damaged { path: PathBuf, reason: String },
    #[error(
        "{path}: written in run format {found} by {tool}; this {TOOL} reads format {FORMAT_VERSION} (run `cibscan \
         detect` again)"
    )]
    Version { path: PathBuf, found: u32, tool: String },
    #[error("{path}: the input changed since the run ({what}); run `cibscan detect` again")]
    InputChanged { path: PathBuf, what: String },
    #[error("{path}: account {account} is not in the run's input")]
    UnknownAccount { path: PathBuf, account: String },
    #[error("{dir}: {reason}")]
    Output { dir: PathBuf, reason: String },
    #[error(transparent)]
    Input(#[from] IngestError),
}

/// One row of `accounts.csv`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AccountRow {
    pub account_id: String,
    pub screen_name: String,
    pub network_id: String,
    /// The operation the account's network is a cell of (empty outside networks).
    pub operation_id: String,
    pub role: String,
    pub coordination_score: f64,
    /// Mean of the account's indicators (`indicators.csv`); empty when none is measurable.
    pub inauthenticity_score: Option<f64>,
    pub posts: u64,
    pub signals: String,
}

/// A coordinated group the authenticity screen set aside, with its members' ids so an
/// analyst can check it (`dismissed.json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DismissedGroup {
    #[serde(flatten)]
    pub group: Network,
    pub account_ids: Vec<String>,
}

/// One account attributed to a network on account-level evidence (`attributions.json`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AttributionRow {
    pub account_id: String,
    pub network_id: String,
    #[serde(flatten)]
    pub attribution: crate::characterise::attribute::Attribution,
}

/// `edges.csv`: the fused weight of each account pair and each signal's surprise.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EdgeTable {
    /// Signal names, in column order.
    pub signals: Vec<String>,
    pub rows: Vec<EdgeRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EdgeRow {
    pub source: String,
    pub target: String,
    pub weight: f64,
    /// Per signal of [`EdgeTable::signals`]: −log10 p, or `None` when the signal has no edge.
    pub surprise: Vec<Option<f64>>,
    /// The network or set-aside group both ends are in, or empty.
    pub group: String,
}

/// One row of `indicators.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorRow {
    pub account_id: String,
    /// `YYYY-MM-DD`, when known.
    pub account_created: Option<String>,
    /// In the order of [`crate::characterise::indicators::Indicators::NAMES`].
    pub parts: Vec<Option<f64>>,
    pub inauthenticity_score: Option<f64>,
}

/// Which network each account of a dataset is in, by a run's `accounts.csv`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Membership {
    /// Per account of the dataset: the index into `networks`.
    pub network_of: Vec<Option<u32>>,
    /// Network ids, in order of first appearance in `accounts.csv`.
    pub networks: Vec<String>,
}

impl Membership {
    /// The member accounts of each network, ascending.
    pub fn members(&self) -> Vec<Vec<u32>> {
        let mut members = vec![Vec::new(); self.networks.len()];
        for (a, n) in self.network_of.iter().enumerate() {
            if let Some(n) = n {
                members[*n as usize].push(a as u32);
            }
        }
        members
    }
}

/// A cell as written (spreadsheet formulas neutralised with a leading `'`, see
/// [`crate::run::output::neutralise`]), back to its value.
fn unneutralise(mut cell: String) -> String {
    if cell.starts_with('\'') {
        cell.remove(0);
    }
    cell
}

/// An opened run folder: its manifest, and readers for its files.
#[derive(Debug, Clone)]
pub struct Run {
    dir: PathBuf,
    pub manifest: Manifest,
}

impl Run {
    /// Opens a run folder: reads and checks `run.json`, and checks that every file the
    /// commands read is present.
    pub fn open(dir: &Path) -> Result<Run, RunError> {
        let meta = std::fs::metadata(dir).map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => RunError::NotARun { dir: dir.to_path_buf() },
            _ => RunError::Io { path: dir.to_path_buf(), error },
        })?;
        if !meta.is_dir() {
            return Err(RunError::NotARun { dir: dir.to_path_buf() });
        }
        let path = dir.join(file::MANIFEST);
        if !path.exists() {
            return Err(RunError::NotARun { dir: dir.to_path_buf() });
        }
        let manifest = Manifest::parse(&path, &read_text(&path)?)?;
        for name in &file::READ_BACK[1..] {
            let Some(out) = manifest.outputs.iter().find(|o| o.name == *name) else {
                return Err(RunError::Damaged { path: path.clone(), reason: format!("lists no {name}") });
            };
            out.verify(dir)?;
        }
        Ok(Run { dir: dir.to_path_buf(), manifest })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of one of the run's files (`file::…`).
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The detection options the run used.
    pub fn options(&self) -> crate::pipeline::DetectOptions {
        // Checked when the manifest was parsed.
        self.manifest.options.options().unwrap_or_default()
    }

    /// `accounts.csv`, with text cells back to their values.
    pub fn accounts(&self) -> Result<Vec<AccountRow>, RunError> {
        let path = self.path(file::ACCOUNTS);
        let mut rdr = open_csv(&path)?;
        expect_header(&path, &mut rdr, &crate::run::output::ACCOUNTS_HEADER)?;
        let mut rows = Vec::new();
        for rec in rdr.deserialize::<AccountRow>() {
            let mut row = rec.map_err(|e| csv_damage(&path, e))?;
            row.account_id = unneutralise(row.account_id);
            row.screen_name = unneutralise(row.screen_name);
            row.signals = unneutralise(row.signals);
            rows.push(row);
        }
        Ok(rows)
    }

    /// `networks.json` (the members are not in it: see [`Run::membership`]).
    pub fn networks(&self) -> Result<Vec<Network>, RunError> {
        read_json(&self.path(file::NETWORKS))
    }

    /// `operations.json` (members are in `accounts.csv`, column `operation_id`).
    pub fn operations(&self) -> Result<Vec<crate::characterise::Operation>, RunError> {
        read_json(&self.path(file::OPERATIONS))
    }

    /// `attributions.json`: why each attributed account is in its network.
    pub fn attributions(&self) -> Result<Vec<AttributionRow>, RunError> {
        read_json(&self.path(file::ATTRIBUTIONS))
    }

    /// `dismissed.json`.
    pub fn dismissed(&self) -> Result<Vec<DismissedGroup>, RunError> {
        read_json(&self.path(file::DISMISSED))
    }

    /// `edges.csv`; its signal columns must be the run's signals.
    pub fn edges(&self) -> Result<EdgeTable, RunError> {
        let path = self.path(file::EDGES);
        let mut rdr = open_csv(&path)?;
        let signals: Vec<String> = self.options().signals.iter().map(|s| s.name.to_string()).collect::<Vec<String>>();
        let want = crate::run::output::edges_header(signals.iter().map(String::as_str));
        expect_header(&path, &mut rdr, &want)?;
        let mut table = EdgeTable { signals, rows: Vec::new() };
        for rec in rdr.records() {
            let rec = rec.map_err(|e| csv_damage(&path, e))?;
            let line = rec.position().map_or(0, |p| p.line());
            let number = |i: usize| -> Result<Option<f64>, RunError> {
                let cell = rec.get(i).unwrap_or("");
                if cell.is_empty() {
                    return Ok(None);
                }
                cell.parse::<f64>().map(Some).map_err(|_| RunError::Damaged {
                    path: path.clone(),
                    reason: format!("line {line}: column {} is {cell:?}, not a number", want[i]),
                })
            };
            let weight = number(2)?
                .ok_or_else(|| RunError::Damaged { path: path.clone(), reason: format!("line {line}: no weight") })?;
            let surprise = (3..want.len() - 1).map(number).collect::<Result<Vec<_>, _>>()?;
            table.rows.push(EdgeRow {
                source: unneutralise(rec[0].to_string()),
                target: unneutralise(rec[1].to_string()),
                weight,
                surprise,
                group: rec[want.len() - 1].to_string(),
            });
        }
        Ok(table)
    }

    /// `indicators.csv`.
    pub fn indicators(&self) -> Result<Vec<IndicatorRow>, RunError> {
        let path = self.path(file::INDICATORS);
        let mut rdr = open_csv(&path)?;
        let mut want = vec!["account_id", "account_created"];
        want.extend(crate::characterise::indicators::Indicators::NAMES);
        want.push("inauthenticity_score");
        expect_header(&path, &mut rdr, &want)?;
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| csv_damage(&path, e))?;
            let line = rec.position().map_or(0, |p| p.line());
            let number = |i: usize| -> Result<Option<f64>, RunError> {
                let cell = &rec[i];
                if cell.is_empty() {
                    return Ok(None);
                }
                cell.parse::<f64>().map(Some).map_err(|_| RunError::Damaged {
                    path: path.clone(),
                    reason: format!("line {line}: column {} is {cell:?}, not a number", want[i]),
                })
            };
            let parts = (2..want.len() - 1).map(number).collect::<Result<Vec<_>, _>>()?;
            rows.push(IndicatorRow {
                account_id: unneutralise(rec[0].to_string()),
                account_created: Some(rec[1].to_string()).filter(|s| !s.is_empty()),
                parts,
                inauthenticity_score: number(want.len() - 1)?,
            });
        }
        Ok(rows)
    }

    /// The run's input, read again after checking that no file changed since the run.
    /// Every record that was read then is read now (the bad-record budget is lifted: the
    /// run already accepted what it skipped).
    pub fn read_input(&self, progress: &dyn Progress) -> Result<(Dataset, IngestStats), RunError> {
        for input in &self.manifest.inputs {
            input.verify()?;
        }
        let files: Vec<PathBuf> = self.manifest.inputs.iter().map(|f| f.path.clone()).collect();
        let opts = IngestOptions { format: self.manifest.format, max_errors: u64::MAX };
        Ok(crate::ingest::ingest(&files, &opts, progress)?)
    }

    /// Which network each account of `data` (the run's input) is in.
    pub fn membership(&self, data: &Dataset) -> Result<Membership, RunError> {
        let path = self.path(file::ACCOUNTS);
        let mut m = Membership { network_of: vec![None; data.accounts.len()], networks: Vec::new() };
        for row in self.accounts()? {
            if row.network_id.is_empty() {
                continue;
            }
            let Some(a) = data.accounts.lookup(&row.account_id) else {
                return Err(RunError::UnknownAccount { path, account: row.account_id });
            };
            let n = match m.networks.iter().position(|x| *x == row.network_id) {
                Some(n) => n,
                None => {
                    m.networks.push(row.network_id);
                    m.networks.len() - 1
                }
            };
            m.network_of[a as usize] = Some(n as u32);
        }
        Ok(m)
    }

    /// Replaces the run's file `name` (one of `file::ALL`) atomically and records its new
    /// hash in the manifest held here; [`Run::save_manifest`] writes it.
    pub fn replace_output(
        &mut self,
        name: &str,
        write: impl FnOnce(&Path) -> std::io::Result<()>,
    ) -> Result<(), RunError> {
        replace_file(&self.path(name), write)?;
        let written = OutputFile::describe(&self.dir, name)?;
        match self.manifest.outputs.iter_mut().find(|o| o.name == name) {
            Some(o) => *o = written,
            None => self.manifest.outputs.push(written),
        }
        Ok(())
    }

    /// Writes `run.json` (atomically) after `update` changes it.
    pub fn save_manifest(&mut self, update: impl FnOnce(&mut Manifest)) -> Result<(), RunError> {
        update(&mut self.manifest);
        let path = self.path(file::MANIFEST);
        replace_file(&path, |p| crate::run::output::write_json(p, &self.manifest))
    }
}

fn read_text(path: &Path) -> Result<String, RunError> {
    let bytes = std::fs::read(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => RunError::Missing { path: path.to_path_buf() },
        _ => RunError::Io { path: path.to_path_buf(), error },
    })?;
    String::from_utf8(bytes)
        .map_err(|e| RunError::Damaged { path: path.to_path_buf(), reason: format!("not UTF-8 text ({e})") })
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, RunError> {
    serde_json::from_str(&read_text(path)?)
        .map_err(|e| RunError::Damaged { path: path.to_path_buf(), reason: e.to_string() })
}

fn open_csv(path: &Path) -> Result<csv::Reader<std::fs::File>, RunError> {
    let f = std::fs::File::open(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => RunError::Missing { path: path.to_path_buf() },
        _ => RunError::Io { path: path.to_path_buf(), error },
    })?;
    Ok(csv::Reader::from_reader(f))
}

fn csv_damage(path: &Path, e: csv::Error) -> RunError {
    let reason = match e.position() {
        Some(p) => format!("line {}: {}", p.line(), csv_reason(&e)),
        None => csv_reason(&e),
    };
    RunError::Damaged { path: path.to_path_buf(), reason }
}

/// The csv crate's message without its own position prefix (the caller gives the line).
fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!("not UTF-8 text ({err})"),
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("{len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Deserialize { err, .. } => match err.field() {
            Some(f) => format!("field {}: {}", f + 1, err.kind()),
            None => err.kind().to_string(),
        },
        _ => e.to_string(),
    }
}

fn expect_header<R: std::io::Read, S: AsRef<str>>(
    path: &Path,
    rdr: &mut csv::Reader<R>,
    want: &[S],
) -> Result<(), RunError> {
    let header = rdr.headers().map_err(|e| csv_damage(path, e))?;
    let got: Vec<&str> = header.iter().collect();
    let want: Vec<&str> = want.iter().map(|s| s.as_ref()).collect();
    if got != want {
        let reason = if got.iter().all(|h| h.is_empty()) {
            "empty (no header)".to_string()
        } else {
            format!("header is {:?}, expected {:?}", got.join(","), want.join(","))
        };
        return Err(RunError::Damaged { path: path.to_path_buf(), reason });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
