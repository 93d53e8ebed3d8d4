//! How long-running stages report progress. The library never prints: the CLI implements
//! [`Progress`] with a progress bar and messages, tests use [`NoProgress`].

use crate::ingest::RecordIssue;

pub trait Progress: Sync {
    /// Work of `total` bytes (or units) begins.
    fn begin(&self, _total: u64) {}
    /// `n` more bytes (or units) are done.
    fn advance(&self, _n: u64) {}
    /// A record was skipped.
    fn issue(&self, _issue: &RecordIssue) {}
    /// The work is done.
    fn finish(&self) {}
}

/// Reports nothing.
pub struct NoProgress;

impl Progress for NoProgress {}
