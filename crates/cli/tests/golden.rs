//! Every output of the pipeline on the bundled sample and on `simulate --seed 1 --scale 1`
//! is byte-identical to the recorded one (`tests/golden/outputs.sha256`; `run.json` is left
//! out: it records times and paths). A change that alters any output fails here and must be
//! deliberate: rerun with `CIBSCAN_BLESS=1` to record the new hashes, and say why in the
//! commit.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn cibscan(dir: &Path, args: &[&str]) -> Vec<u8> {
    let o = Command::cargo_bin("cibscan").unwrap().current_dir(dir).arg("-q").args(args).output().unwrap();
    assert!(o.status.success(), "cibscan {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    o.stdout
}

/// SHA-256 of every file under `dir` (but run.json and the key), by path relative to `base`.
fn hash_tree(base: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            hash_tree(base, &p, out);
        } else if p.file_name().is_some_and(|n| n != "run.json" && n != "key") {
            let rel = p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
            out.insert(rel, cibscan_core::run::hash_file(&p).unwrap().1);
        }
    }
}

/// Runs detect and every command acting on the run; their printed output is kept as files.
fn act_on(dir: &Path, run: &str, priors: &[String]) {
    let accounts = std::fs::read_to_string(dir.join(run).join("accounts.csv")).unwrap();
    let flagged = accounts.lines().skip(1).find(|l| l.split(',').nth(2).is_some_and(|n| !n.is_empty())).unwrap();
    let (account, network) = (flagged.split(',').next().unwrap(), flagged.split(',').nth(2).unwrap());
    let save = |name: &str, bytes: Vec<u8>| std::fs::write(dir.join(format!("{run}.{name}")), bytes).unwrap();
    save("explain.json", cibscan(dir, &["explain", account, "--run", run, "--json"]));
    save("explain.txt", cibscan(dir, &["explain", account, "--run", run]));
    cibscan(dir, &["export", "takedown", "--run", run]);
    cibscan(dir, &["export", "indicators", "--run", run]);
    let disclosure = format!("{run}-disclosure");
    cibscan(
        dir,
        &["export", "disclosure", "--run", run, "--network", network, "--out", &disclosure, "--key-file", "key"],
    );
    let mut link = vec!["link", "--run", run];
    link.extend(priors.iter().map(String::as_str));
    save("link.txt", cibscan(dir, &link));
}

#[test]
fn outputs_are_byte_identical_to_the_recorded_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("key"), "0123456789abcdef0123456789abcdef\n").unwrap();
    let sample = root().join("samples/sim");
    let mut priors = Vec::new();
    for name in ["spamouflage_2019", "gulf_2019"] {
        priors.push("--prior".to_string());
        priors.push(format!("{name}={}", sample.join("priors").join(name).display()));
    }
    let platform = sample.join("platform").display().to_string();
    let mut detect = vec!["detect", platform.as_str(), "--out", "sample"];
    detect.extend(priors.iter().map(String::as_str));
    std::fs::write(dir.join("sample.detect.txt"), cibscan(dir, &detect)).unwrap();
    act_on(dir, "sample", &priors);
    let list = sample.join("third_party_list.csv").display().to_string();
    cibscan(dir, &["assess", "--list", &list, "--run", "sample", "--out", "assess"]);

    cibscan(dir, &["simulate", "--seed", "1", "--scale", "1", "--out", "sim1"]);
    std::fs::write(dir.join("sim1.detect.txt"), cibscan(dir, &["detect", "sim1/platform", "--out", "sim1-run"]))
        .unwrap();
    let sim_priors: Vec<String> = std::fs::read_dir(dir.join("sim1/priors"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .flat_map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            ["--prior".to_string(), format!("{name}={}", p.display())]
        })
        .collect();
    act_on(dir, "sim1-run", &sim_priors);
    std::fs::write(dir.join("sim1.eval.txt"), cibscan(dir, &["eval", "--truth", "sim1", "--result", "sim1-run"]))
        .unwrap();

    let mut got = BTreeMap::new();
    hash_tree(dir, dir, &mut got);
    let text: String = got.iter().map(|(f, h)| format!("{h}  {f}\n")).collect();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/outputs.sha256");
    if std::env::var_os("CIBSCAN_BLESS").is_some() {
        std::fs::write(&golden, &text).unwrap();
        return;
    }
    let want: BTreeMap<String, String> = std::fs::read_to_string(&golden)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(h, f)| (f.to_string(), h.to_string()))
        .collect();
    let differ: Vec<&String> = want.keys().chain(got.keys()).filter(|f| want.get(*f) != got.get(*f)).collect();
    assert!(
        differ.is_empty(),
        "outputs differ from tests/golden/outputs.sha256 (rerun with CIBSCAN_BLESS=1 if intended): {differ:?}"
    );
}
