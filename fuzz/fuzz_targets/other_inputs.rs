//! Fuzzes every other input cibscan reads: the first byte picks JSON lines, a Parquet file,
//! a configuration file or a run manifest; the rest is the content. Run:
//! `cargo +nightly fuzz run other_inputs`.
#![no_main]

use cibscan_core::ingest::{ingest_bytes, IngestOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else { return };
    let opts = IngestOptions { max_errors: u64::MAX, ..Default::default() };
    match pick % 4 {
        0 => {
            let _ = ingest_bytes("fuzz.jsonl", body, &opts);
        }
        1 => {
            // Parquet is read from a file (footer first).
            let Ok(dir) = tempfile::tempdir() else { return };
            let path = dir.path().join("fuzz.parquet");
            let mut bytes = b"PAR1".to_vec();
            bytes.extend_from_slice(body);
            if std::fs::write(&path, &bytes).is_ok() {
                let _ = cibscan_core::ingest(&[path], &opts, &cibscan_core::progress::NoProgress);
            }
        }
        2 => {
            if let Ok(text) = std::str::from_utf8(body) {
                let _ = cibscan_core::run::config::DetectConfig::from_toml_str(text);
            }
        }
        _ => {
            if let Ok(text) = std::str::from_utf8(body) {
                let _ = cibscan_core::run::Manifest::parse(std::path::Path::new("run.json"), text);
            }
        }
    }
});
