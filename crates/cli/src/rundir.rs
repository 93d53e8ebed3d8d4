//! Opening a `cibscan detect` output folder for the commands that act on it: everything goes
//! through `cibscan_core::run`; this adds only the progress bar.

use anyhow::Result;
use cibscan_core::run::Run;
use cibscan_core::Dataset;
use std::path::Path;

pub fn open(dir: &Path) -> Result<Run> {
    Ok(Run::open(dir)?)
}

/// The run's input, read again (after checking that it did not change).
pub fn dataset(run: &Run, quiet: bool) -> Result<Dataset> {
    let bar = crate::progress::Bar::new(quiet, "reading");
    let result = run.read_input(&bar);
    bar.done();
    Ok(result?.0)
}
