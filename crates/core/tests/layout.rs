//! The core is laid out by stage, in pipeline order, and no stage imports a later one
//! (ARCHITECTURE.md). Shared modules (`model`, `progress`, `text`, `units`) may be used by
//! all; test modules are free.

use std::path::{Path, PathBuf};

const STAGES: [&str; 8] = ["ingest", "signals", "cluster", "characterise", "pipeline", "report", "run", "act"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_stage_imports_a_later_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut bad = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        let top = rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        let Some(stage) = STAGES.iter().position(|s| *s == top) else { continue };
        let text = std::fs::read_to_string(f).unwrap();
        let body = text.split("#[cfg(test)]").next().unwrap();
        for (n, line) in body.lines().enumerate() {
            for name in STAGES.iter().skip(stage + 1) {
                if line.contains(&format!("crate::{name}::")) || line.contains(&format!("crate::{name}}}")) {
                    bad.push(format!("{}:{}: {top} uses later stage {name}", rel.display(), n + 1));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // Every top-level module is a stage or a shared module.
    let mut tops: Vec<String> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".rs").to_string())
        .filter(|n| n != "lib")
        .collect();
    tops.sort();
    for t in &tops {
        assert!(
            STAGES.contains(&t.as_str()) || ["model", "progress", "text", "units"].contains(&t.as_str()),
            "src/{t}: neither a stage nor a shared module; place it (and update ARCHITECTURE.md)"
        );
    }
}
