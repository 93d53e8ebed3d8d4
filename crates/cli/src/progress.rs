//! The terminal side of progress reporting: an indicatif bar and per-record messages.

use cibscan_core::ingest::RecordIssue;
use cibscan_core::progress::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::atomic::{AtomicU64, Ordering};

/// Issues printed one by one before the rest are only counted.
const SHOWN_ISSUES: u64 = 20;

pub struct Bar {
    bar: ProgressBar,
    quiet: bool,
    issues: AtomicU64,
}

impl Bar {
    /// A bar counting bytes (reading input).
    pub fn new(quiet: bool, what: &str) -> Bar {
        Self::styled(quiet, what, "{msg:>10} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
    }

    /// A bar counting steps (stages, signals).
    pub fn steps(quiet: bool, what: &str) -> Bar {
        Self::styled(quiet, what, "{msg:>10} [{bar:30}] {pos}/{len} {elapsed}")
    }

    fn styled(quiet: bool, what: &str, template: &str) -> Bar {
        let bar = ProgressBar::hidden();
        if !quiet {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.set_style(ProgressStyle::with_template(template).expect("static template").progress_chars("=> "));
            bar.set_message(what.to_string());
        }
        Bar { bar, quiet, issues: AtomicU64::new(0) }
    }

    /// Sets absolute progress (for stages that count units, not bytes).
    pub fn set(&self, done: u64, total: u64) {
        if self.bar.length() != Some(total) {
            self.bar.set_style(
                ProgressStyle::with_template("{msg:>10} [{bar:30}] {human_pos}/{human_len} {per_sec} eta {eta}")
                    .expect("static template")
                    .progress_chars("=> "),
            );
            self.bar.set_length(total);
        }
        self.bar.set_position(done);
    }

    pub fn done(&self) {
        self.bar.finish_and_clear();
        let n = self.issues.load(Ordering::Relaxed);
        if !self.quiet && n > SHOWN_ISSUES {
            eprintln!("warning: {} more bad records not shown (see the summary's skipped counts)", n - SHOWN_ISSUES);
        }
    }
}

impl Progress for Bar {
    fn begin(&self, total: u64) {
        self.bar.set_length(total);
    }
    fn advance(&self, n: u64) {
        self.bar.inc(n);
    }
    fn issue(&self, issue: &RecordIssue) {
        let n = self.issues.fetch_add(1, Ordering::Relaxed);
        if !self.quiet && n < SHOWN_ISSUES {
            self.bar.suspend(|| eprintln!("warning: {issue}"));
        }
    }
}
