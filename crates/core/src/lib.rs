//! cibscan core: the dataset model, readers for the real formats and the pipeline stages.
//!
//! One folder per stage, in pipeline order: [`ingest`] (files → [`Dataset`]), [`signals`]
//! (co-action evidence scored against chance), [`cluster`] (fusion and Leiden → groups),
//! [`characterise`] (screen, roles, traction, time, narratives, links → networks), with
//! [`pipeline`] driving the three; then [`report`] (report.html, GEXF/GraphML), [`run`]
//! (the run folder: manifest, typed files, writing) and [`act`] (explain, assess, export,
//! disclosure). A stage imports only earlier ones.
//!
//! The library has no CLI, terminal or HTTP concerns: stages take typed values and report
//! progress through [`progress::Progress`]. See `ARCHITECTURE.md` for the data flow.

// The core never prints: the binaries decide what the user sees (progress goes through
// `progress::Progress`).
#![deny(clippy::print_stdout, clippy::print_stderr)]

// Shared by every stage: the dataset, progress reporting, units.
pub mod model;
pub mod progress;
pub mod text;
pub mod units;

// The stages, in pipeline order; a stage imports only earlier ones.
pub mod act;
pub mod characterise;
pub mod cluster;
pub mod ingest;
pub mod pipeline;
pub mod report;
pub mod run;
pub mod signals;

pub use ingest::{ingest, IngestError, IngestOptions, IngestStats, InputFormat, Summary};
pub use model::Dataset;
