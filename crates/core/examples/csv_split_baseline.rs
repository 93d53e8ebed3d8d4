//! The speed reference for ingest benchmarks: a bare `csv`-crate loop that only splits the
//! given files (or folders of .csv files) into records and counts them.
//! `cargo run --release -p cibscan-core --example csv_split_baseline -- PATH...`
use std::path::{Path, PathBuf};

fn files(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for e in entries {
            files(&e, out);
        }
    } else if p.extension().is_some_and(|e| e == "csv") {
        out.push(p.to_path_buf());
    }
}

fn main() {
    let mut all = Vec::new();
    for a in std::env::args().skip(1) {
        files(Path::new(&a), &mut all);
    }
    let t = std::time::Instant::now();
    let (mut records, mut bytes) = (0u64, 0u64);
    let mut rec = csv::ByteRecord::new();
    for f in &all {
        bytes += std::fs::metadata(f).unwrap().len();
        let mut r = csv::ReaderBuilder::new().flexible(true).from_path(f).unwrap();
        while r.read_byte_record(&mut rec).unwrap() {
            records += 1;
        }
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "{{\"files\":{},\"records\":{records},\"bytes\":{bytes},\"seconds\":{s:.3},\"mb_per_s\":{:.1},\"rows_per_s\":{:.0}}}",
        all.len(),
        bytes as f64 / 1e6 / s,
        records as f64 / s
    );
}
