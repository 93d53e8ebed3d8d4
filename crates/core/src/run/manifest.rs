//! `run.json`: what a detection run read, with which options, what it found and how long
//! each stage took. Versioned: a run written in another format version is refused by name,
//! never read with silent defaults.

use super::RunError;
use crate::ingest::InputFormat;
use crate::run::config::DetectConfig;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The version of the run folder's layout and files this build writes and reads. Version 1
/// (cibscan before the typed run) had no `format_version` field; version 2 had no `group`
/// column in `edges.csv`; version 3 had no operations (`operations.json`, the `operation_id`
/// column of `accounts.csv`) and no attributions (`attributions.json`).
pub const FORMAT_VERSION: u32 = 4;

/// The tool that wrote a run.
pub const TOOL: &str = concat!("cibscan ", env!("CARGO_PKG_VERSION"));

/// The manifest of a detection run (`run.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format_version: u32,
    /// `cibscan VERSION`.
    pub tool: String,
    /// UTC, RFC 3339.
    pub started: String,
    pub finished: String,
    /// Every input file read (folders expanded), with its size and content hash.
    pub inputs: Vec<InputFile>,
    /// The format family forced with `--format`, or `auto`.
    pub format: InputFormat,
    /// The bad-record budget the run was read with.
    pub max_errors: u64,
    /// The clustering seed.
    pub seed: u64,
    /// Every option the run used, in the configuration file's shape.
    pub options: DetectConfig,
    /// Earlier takedowns the networks were linked to (`--prior`, `cibscan link`).
    pub priors: Vec<Prior>,
    pub counts: Counts,
    /// Wall seconds per stage, in order.
    pub stages: Vec<StageTiming>,
    /// The run's files as written, so that a damaged or edited file is found on opening.
    pub outputs: Vec<OutputFile>,
}

/// One output file of a run, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputFile {
    /// File name inside the run folder.
    pub name: String,
    pub bytes: u64,
    /// SHA-256 of the file, hex.
    pub sha256: String,
}

impl OutputFile {
    /// Describes the file `name` of `dir`.
    pub fn describe(dir: &Path, name: &str) -> Result<OutputFile, RunError> {
        let (bytes, sha256) = hash_file(&dir.join(name))?;
        Ok(OutputFile { name: name.to_string(), bytes, sha256 })
    }

    /// Checks that the file in `dir` is as the run wrote it.
    pub fn verify(&self, dir: &Path) -> Result<(), RunError> {
        let path = dir.join(&self.name);
        let meta = std::fs::metadata(&path).map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => RunError::Missing { path: path.clone() },
            _ => RunError::Io { path: path.clone(), error },
        })?;
        let damaged = |what: String| RunError::Damaged {
            path: path.clone(),
            reason: format!("changed since the run wrote it ({what}): edited, truncated or corrupted"),
        };
        if meta.len() != self.bytes {
            return Err(damaged(format!("{} bytes, written as {}", meta.len(), self.bytes)));
        }
        if hash_file(&path)?.1 != self.sha256 {
            return Err(damaged("same size, other content".into()));
        }
        Ok(())
    }
}

/// One input file of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputFile {
    /// Absolute path.
    pub path: PathBuf,
    pub bytes: u64,
    /// SHA-256 of the file's bytes (as stored, before decompression), hex.
    pub sha256: String,
}

/// An earlier takedown given as a prior.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prior {
    pub name: String,
    pub path: PathBuf,
}

/// What the run read and found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub accounts: u64,
    pub posts: u64,
    /// Records skipped as unreadable (see the ingest summary for reasons).
    pub skipped_records: u64,
    /// Posts read more than once (the same post id in two files or twice in one) and
    /// counted once.
    pub duplicate_posts: u64,
    /// Records read with a doubt, by kind (`cibscan ingest` lists them).
    pub warnings: std::collections::BTreeMap<String, u64>,
    pub networks: u64,
    pub flagged_accounts: u64,
    pub dismissed_groups: u64,
    pub dismissed_accounts: u64,
    /// Rows of `edges.csv`.
    pub edges: u64,
}

/// The wall time of one stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageTiming {
    pub stage: String,
    pub seconds: f64,
}

/// The smallest part of any manifest version: read first, so that a manifest of another
/// version is named as such rather than reported as a list of unknown fields.
#[derive(Deserialize)]
struct VersionProbe {
    format_version: Option<u32>,
    tool: Option<String>,
}

impl Manifest {
    /// Parses `run.json` (its text), checking the format version first.
    pub fn parse(path: &Path, text: &str) -> Result<Manifest, RunError> {
        let damaged = |e: serde_json::Error| RunError::Damaged { path: path.to_path_buf(), reason: e.to_string() };
        let probe: VersionProbe = serde_json::from_str(text).map_err(damaged)?;
        let found = probe.format_version.unwrap_or(1);
        if found != FORMAT_VERSION {
            return Err(RunError::Version {
                path: path.to_path_buf(),
                found,
                tool: probe.tool.unwrap_or_else(|| "an unknown tool".into()),
            });
        }
        let manifest: Manifest = serde_json::from_str(text).map_err(damaged)?;
        // Options that could not have produced a run are damage too.
        manifest
            .options
            .options()
            .map_err(|e| RunError::Damaged { path: path.to_path_buf(), reason: format!("options: {e}") })?;
        Ok(manifest)
    }
}

/// Current UTC time, RFC 3339 (seconds).
pub fn now_utc() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default();
    crate::ingest::parse::format_time(ms)
}

/// Describes `path` for the manifest: absolute path, size and SHA-256.
pub fn describe_input(path: &Path) -> Result<InputFile, RunError> {
    let io = |error| RunError::Io { path: path.to_path_buf(), error };
    let absolute = std::fs::canonicalize(path).map_err(io)?;
    let (bytes, sha256) = hash_file(&absolute)?;
    Ok(InputFile { path: absolute, bytes, sha256 })
}

/// Size and SHA-256 (hex) of a file's bytes.
pub fn hash_file(path: &Path) -> Result<(u64, String), RunError> {
    let io = |error| RunError::Io { path: path.to_path_buf(), error };
    let mut f = std::fs::File::open(path).map_err(io)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let n = f.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok((bytes, crate::text::hex(&hasher.finalize())))
}

impl InputFile {
    /// Checks that the file is still what the run read: same size, same hash.
    pub fn verify(&self) -> Result<(), RunError> {
        let changed = |what: String| RunError::InputChanged { path: self.path.clone(), what };
        let meta = std::fs::metadata(&self.path).map_err(|error| RunError::Io { path: self.path.clone(), error })?;
        if meta.len() != self.bytes {
            return Err(changed(format!("{} bytes now, {} when the run read it", meta.len(), self.bytes)));
        }
        let (_, sha256) = hash_file(&self.path)?;
        if sha256 != self.sha256 {
            return Err(changed("same size, different content".into()));
        }
        Ok(())
    }
}
