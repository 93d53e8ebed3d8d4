//! `cibscan export takedown|indicators` on a detection run of the bundled simulated sample.

use assert_cmd::Command;
use std::path::Path;

fn cibscan(args: &[&str], paths: &[&Path]) -> String {
    let mut c = Command::cargo_bin("cibscan").unwrap();
    c.args(args);
    for p in paths {
        c.arg(p);
    }
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn takedown_and_indicators_come_from_the_run() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/sim/platform");
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    cibscan(&["-q", "detect"], &[&sample, Path::new("--out"), &run]);

    cibscan(&["export", "takedown", "--run"], &[&run]);
    let accounts = std::fs::read_to_string(run.join("accounts.csv")).unwrap();
    let flagged: Vec<&str> =
        accounts.lines().skip(1).filter(|l| l.split(',').nth(2).is_some_and(|n| !n.is_empty())).collect();
    let takedown = std::fs::read_to_string(run.join("takedown.csv")).unwrap();
    assert!(takedown.starts_with("account_id,screen_name,network_id,operation_id,role,"));
    assert_eq!(takedown.lines().skip(1).collect::<Vec<_>>(), flagged);

    let out = tmp.path().join("ind.csv");
    let said = cibscan(&["-q", "export", "indicators", "--run"], &[&run, Path::new("--out"), &out]);
    assert!(said.contains("domains"), "{said}");
    let mut rdr = csv::Reader::from_path(&out).unwrap();
    assert_eq!(rdr.headers().unwrap(), vec!["indicator_type", "indicator_value", "comment", "ds"]);
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let of = |t: &str| rows.iter().filter(|r| &r[0] == t).map(|r| r[1].to_string()).collect::<Vec<_>>();
    assert_eq!(of("account").len(), flagged.len());
    // The planted operations' own sites, never the platforms everyone uses.
    let domains = of("domain");
    assert!(domains.iter().any(|d| d == "hktruthnews.com"), "{domains:?}");
    assert!(!domains.iter().any(|d| d == "youtube.com"), "{domains:?}");
    assert!(rows.iter().all(|r| r[3].len() == 10), "ds is a date");
}
