//! cibscan core: the dataset model, readers for the real formats and the pipeline stages.
//!
//! The library has no CLI, terminal or HTTP concerns: stages take typed values and report
//! progress through [`progress::Progress`]. See `ARCHITECTURE.md` for the data flow.

// The core never prints: the binaries decide what the user sees (progress goes through
// `progress::Progress`).
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod amplify;
pub mod assess;
pub mod baseline;
pub mod breakout;
pub mod columnar;
pub mod config;
pub mod detect;
pub mod disclosure;
pub mod explain;
pub mod export;
pub mod graphfile;
pub mod indicators;
pub mod ingest;
pub mod link;
pub mod model;
pub mod narratives;
pub mod neardup;
pub mod output;
pub mod pairs;
pub mod parse;
pub mod progress;
pub mod report;
pub mod roles;
pub mod run;
pub mod score;
pub mod screen;
pub mod timeline;
pub mod traces;
pub mod traction;
pub mod units;

pub use ingest::{ingest, IngestError, IngestOptions, IngestStats, InputFormat, Summary};
pub use model::Dataset;
