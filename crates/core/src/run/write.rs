//! Writing a run folder safely: a run is written into a fresh hidden folder beside the
//! target and renamed into place when complete, so a failure half-way never leaves a mix of
//! old and new files, and a symlink planted in the output folder is never followed. Files
//! rewritten in place (`link`) are written beside the original and renamed over it.

use super::{Counts, InputFile, Manifest, OutputFile, Prior, RunError, StageTiming};
use crate::ingest::{IngestStats, InputFormat};
use crate::model::Dataset;
use crate::pipeline::{DetectOptions, Detection};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What the caller knows of a run besides the detection itself.
#[derive(Debug, Clone)]
pub struct RunInfo {
    pub format: InputFormat,
    pub max_errors: u64,
    pub priors: Vec<Prior>,
    /// When the run began (`now_utc`).
    pub started: String,
    /// Stages timed before detection (reading the input).
    pub stages: Vec<StageTiming>,
}

/// Writes every file of a run into `staging`, then the manifest, then moves the run into
/// place. Returns the manifest.
pub fn write_run(
    staging: Staging,
    data: &Dataset,
    stats: &IngestStats,
    det: &Detection,
    opts: &DetectOptions,
    info: RunInfo,
) -> Result<Manifest, RunError> {
    let started = Instant::now();
    let dir = staging.dir().to_path_buf();
    let edges = crate::run::output::write_detection(&dir, data, det)
        .map_err(|error| RunError::Io { path: dir.clone(), error })?;
    let mut names: Vec<&str> = std::fs::read_dir(&dir)
        .map_err(|error| RunError::Io { path: dir.clone(), error })?
        .filter_map(|e| e.ok()?.file_name().to_str().map(str::to_string))
        .filter_map(|n| super::file::ALL.iter().copied().find(|f| *f == n))
        .collect();
    names.sort_unstable();
    let outputs = names.par_iter().map(|n| OutputFile::describe(&dir, n)).collect::<Result<Vec<_>, _>>()?;
    // Exactly the files the run read (folders already expanded by ingest), in path order.
    let mut files: Vec<PathBuf> = stats.files.iter().map(|f| f.path.clone()).collect();
    files.sort();
    let inputs: Vec<InputFile> = files.par_iter().map(|f| super::describe_input(f)).collect::<Result<_, _>>()?;
    let mut stages = info.stages;
    stages.extend(det.timings.iter().map(|(stage, seconds)| StageTiming { stage: stage.clone(), seconds: *seconds }));
    stages.push(StageTiming { stage: "write outputs".into(), seconds: started.elapsed().as_secs_f64() });
    let manifest = Manifest {
        format_version: super::FORMAT_VERSION,
        tool: super::TOOL.into(),
        started: info.started,
        finished: super::now_utc(),
        inputs,
        format: info.format,
        max_errors: info.max_errors,
        seed: opts.seed,
        options: crate::run::config::DetectConfig::resolved(opts),
        priors: info.priors,
        counts: Counts {
            accounts: data.accounts.len() as u64,
            posts: data.posts.len() as u64,
            skipped_records: stats.skipped_total(),
            duplicate_posts: stats.duplicate_posts,
            warnings: stats.warnings.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            networks: det.networks.len() as u64,
            flagged_accounts: det.networks.iter().map(|n| n.accounts as u64).sum(),
            dismissed_groups: det.dismissed.len() as u64,
            dismissed_accounts: det.dismissed.iter().map(|n| n.accounts as u64).sum(),
            edges,
        },
        stages,
        outputs,
    };
    let path = dir.join(super::file::MANIFEST);
    crate::run::output::write_json(&path, &manifest).map_err(|error| RunError::Io { path, error })?;
    staging.commit()?;
    Ok(manifest)
}

/// A run folder being written.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    temp: Option<tempfile::TempDir>,
}

fn output_err(dir: &Path, reason: impl Into<String>) -> RunError {
    RunError::Output { dir: dir.to_path_buf(), reason: reason.into() }
}

impl Staging {
    /// Prepares to write a run into `target`. An existing non-empty folder is refused
    /// unless `force`, and even then only when it holds a run (`run.json`), so that
    /// `--force` never wipes a folder of something else.
    pub fn new(target: &Path, force: bool) -> Result<Staging, RunError> {
        let io = |error| RunError::Io { path: target.to_path_buf(), error };
        match std::fs::symlink_metadata(target) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(output_err(target, "is a symbolic link; give the folder itself"));
            }
            Ok(meta) if !meta.is_dir() => return Err(output_err(target, "exists and is not a folder")),
            Ok(_) => {
                let non_empty = std::fs::read_dir(target).map_err(io)?.next().is_some();
                if non_empty && !force {
                    return Err(output_err(
                        target,
                        "is not empty; give a new folder, or --force to replace the run in it",
                    ));
                }
                if non_empty && !target.join(super::file::MANIFEST).is_file() {
                    return Err(output_err(target, "is not empty and holds no run (no run.json): not replaced"));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(e)),
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|error| RunError::Io { path: parent.clone(), error })?;
        let io = |error| RunError::Io { path: parent.clone(), error };
        let temp = tempfile::Builder::new().prefix(".cibscan-partial-").tempdir_in(&parent).map_err(io)?;
        // A temporary folder is private (0700); a run folder gets the user's usual
        // permissions, as `detect` always gave it: made again under the same unique name.
        std::fs::remove_dir(temp.path()).map_err(io)?;
        std::fs::create_dir(temp.path()).map_err(io)?;
        Ok(Staging { target: target.to_path_buf(), temp: Some(temp) })
    }

    /// The folder to write the run's files into.
    pub fn dir(&self) -> &Path {
        self.temp.as_ref().map(|t| t.path()).unwrap_or(&self.target)
    }

    /// Moves the written run into place (replacing the earlier run, if any). Dropped
    /// without committing, the partial folder is removed and the target left as it was.
    pub fn commit(mut self) -> Result<PathBuf, RunError> {
        let Some(temp) = self.temp.take() else { return Ok(self.target.clone()) };
        let temp = temp.keep();
        let target = &self.target;
        let io = |error| RunError::Io { path: target.clone(), error };
        if std::fs::symlink_metadata(target).is_ok() {
            // Move the old run aside, the new one in, then delete the old one.
            let parent = temp.parent().unwrap_or(Path::new("."));
            let old = tempfile::Builder::new().prefix(".cibscan-old-").tempdir_in(parent).map_err(io)?.keep();
            std::fs::remove_dir(&old).map_err(io)?;
            std::fs::rename(target, &old).map_err(io)?;
            if let Err(e) = std::fs::rename(&temp, target) {
                let _ = std::fs::rename(&old, target);
                let _ = std::fs::remove_dir_all(&temp);
                return Err(io(e));
            }
            std::fs::remove_dir_all(&old).map_err(|error| RunError::Io { path: old.clone(), error })?;
        } else if let Err(e) = std::fs::rename(&temp, target) {
            let _ = std::fs::remove_dir_all(&temp);
            return Err(io(e));
        }
        Ok(self.target.clone())
    }
}

/// Writes `path` through `write` into a new file beside it, then renames it over `path`: a
/// reader never sees half a file, and a symlink at `path` is replaced, not followed.
pub fn replace_file(path: &Path, write: impl FnOnce(&Path) -> std::io::Result<()>) -> Result<(), RunError> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let io = |error| RunError::Io { path: path.to_path_buf(), error };
    let temp = tempfile::Builder::new()
        .prefix(".cibscan-")
        .suffix(".partial")
        .tempfile_in(parent)
        .map_err(io)?
        .into_temp_path();
    // Made again by the writer under the same unique name, so that it gets the user's usual
    // permissions rather than a temporary file's 0600.
    std::fs::remove_file(&temp).map_err(io)?;
    write(&temp).map_err(io)?;
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
