//! `cibscan simulate` → `ingest` → `baseline` → `eval` end to end: the generated slice reads
//! with zero skipped rows, a trivial baseline scores clearly imperfectly, an oracle scores 1.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn cibscan() -> Command {
    Command::cargo_bin("cibscan").unwrap()
}

fn run_json(args: &[&std::ffi::OsStr]) -> Value {
    let out = cibscan().arg("-q").args(args).output().unwrap();
    assert!(out.status.success(), "{:?} failed: {}", args, String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn simulate(dir: &Path, seed: &str, scale: &str) {
    let out = cibscan().args(["-q", "simulate", "--seed", seed, "--scale", scale, "--out"]).arg(dir).output().unwrap();
    assert!(out.status.success(), "simulate failed: {}", String::from_utf8_lossy(&out.stderr));
}

fn eval_json(truth: &Path, result: &Path) -> Value {
    run_json(&[
        "eval".as_ref(),
        "--json".as_ref(),
        "--truth".as_ref(),
        truth.as_os_str(),
        "--result".as_ref(),
        result.as_os_str(),
    ])
}

/// Writes accounts.csv from truth.csv: networks = operations, roles = true roles.
fn oracle(truth_dir: &Path, out: &Path) {
    let mut r = csv::Reader::from_path(truth_dir.join("truth.csv")).unwrap();
    let mut w = csv::Writer::from_path(out.join("accounts.csv")).unwrap();
    w.write_record(cibscan_core::run::output::ACCOUNTS_HEADER).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        let (id, op, role) = (&rec[0], &rec[2], &rec[3]);
        w.write_record([id, "", op, op, role, "1", "0", "0", ""]).unwrap();
    }
    w.flush().unwrap();
}

#[test]
fn simulate_ingest_baseline_and_oracle_eval() {
    let tmp = tempfile::tempdir().unwrap();
    let sim = tmp.path().join("sim");
    simulate(&sim, "3", "0.2");

    let platform = sim.join("platform");
    let s = run_json(&["ingest".as_ref(), "--json".as_ref(), platform.as_os_str()]);
    assert_eq!(s["skipped"], serde_json::json!({}), "{s}");
    let posts = s["posts"].as_u64().unwrap();
    assert!((10_000..40_000).contains(&posts), "scale 0.2 should give about 20k posts, got {posts}");
    for kind in ["originals", "retweets", "replies", "quotes"] {
        assert!(s[kind].as_u64().unwrap() > 0, "no {kind}: {s}");
    }
    assert!(s["languages"].as_object().unwrap().len() >= 5, "{s}");
    let truth_rows = csv::Reader::from_path(sim.join("truth.csv")).unwrap().records().count() as u64;
    assert_eq!(s["accounts"].as_u64().unwrap(), truth_rows);

    // Priors and the third-party list read too.
    for prior in std::fs::read_dir(sim.join("priors")).unwrap() {
        let p = prior.unwrap().path();
        let ps = run_json(&["ingest".as_ref(), "--json".as_ref(), p.as_os_str()]);
        assert_eq!(ps["skipped"], serde_json::json!({}), "{}", p.display());
        assert!(ps["hashed_accounts"].as_u64().unwrap() > 0, "{}", p.display());
    }
    assert!(sim.join("third_party_list.csv").exists());

    // The trivial baseline: flag every account that retweets.
    let base = tmp.path().join("baseline");
    let out = cibscan().args(["-q", "baseline"]).arg(&platform).arg("--out").arg(&base).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let e = eval_json(&sim, &base);
    let ops = e["operations"].as_array().unwrap();
    assert!(ops.len() >= 2, "{e}");
    let best_f1 = ops.iter().map(|o| o["f1"].as_f64().unwrap()).fold(0.0, f64::max);
    assert!(best_f1 < 0.5, "a flag-all-retweeters baseline must score poorly: {e}");
    let organic_fp = e["false_positives"].as_array().unwrap().iter().find(|k| k["kind"] == "organic").unwrap();
    assert!(organic_fp["rate"].as_f64().unwrap() > 0.2, "{organic_fp}");

    // The oracle scores perfectly.
    let orc = tmp.path().join("oracle");
    std::fs::create_dir_all(&orc).unwrap();
    oracle(&sim, &orc);
    let e = eval_json(&sim, &orc);
    for o in e["operations"].as_array().unwrap() {
        assert_eq!(o["f1"].as_f64(), Some(1.0), "{o}");
    }
    assert_eq!(e["ari"].as_f64(), Some(1.0));
    assert_eq!(e["nmi"].as_f64(), Some(1.0));
    assert_eq!(e["role_accuracy"].as_f64(), Some(1.0));
    // The human table prints too.
    let table = cibscan().args(["eval", "--truth"]).arg(&sim).arg("--result").arg(&orc).output().unwrap();
    assert!(String::from_utf8_lossy(&table.stdout).contains("precision"));
}

#[test]
fn simulate_is_deterministic_per_seed() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("c"));
    simulate(&a, "11", "0.05");
    simulate(&b, "11", "0.05");
    simulate(&c, "12", "0.05");
    let tweets = "platform/sim_tweets_csv_unhashed.csv";
    let read = |d: &Path, f: &str| std::fs::read(d.join(f)).unwrap();
    assert_eq!(read(&a, tweets), read(&b, tweets));
    assert_eq!(read(&a, "truth.csv"), read(&b, "truth.csv"));
    assert_ne!(read(&a, tweets), read(&c, tweets));
}

#[test]
fn simulate_rejects_bad_scale_and_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let out = cibscan().args(["simulate", "--scale", "-1", "--out"]).arg(tmp.path().join("x")).output().unwrap();
    assert!(!out.status.success());
    let bad = tmp.path().join("bad.toml");
    std::fs::write(&bad, "no_such_key = 3\n").unwrap();
    let out =
        cibscan().args(["simulate", "--scenario"]).arg(&bad).arg("--out").arg(tmp.path().join("y")).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.toml"));
    // The printed default scenario parses back.
    let out = cibscan().args(["simulate", "--print-default-scenario"]).output().unwrap();
    let def = tmp.path().join("default.toml");
    std::fs::write(&def, &out.stdout).unwrap();
    let out = cibscan()
        .args(["-q", "simulate", "--scale", "0.02", "--scenario"])
        .arg(&def)
        .arg("--out")
        .arg(tmp.path().join("z"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
