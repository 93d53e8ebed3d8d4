//! `cibscan assess` end to end: detect on the bundled simulated sample, then assess its
//! third-party list (operation accounts mixed with journalists, NGOs and ordinary accounts)
//! against the truth.

use assert_cmd::Command;
use std::collections::HashMap;
use std::path::Path;

#[test]
fn the_list_s_operation_accounts_are_told_from_journalists_and_ngos() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/sim");
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    let o = Command::cargo_bin("cibscan")
        .unwrap()
        .args(["-q", "detect"])
        .arg(sample.join("platform"))
        .arg("--out")
        .arg(&run)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = tmp.path().join("assess");
    let o = Command::cargo_bin("cibscan")
        .unwrap()
        .args(["assess", "--list"])
        .arg(sample.join("third_party_list.csv"))
        .arg("--run")
        .arg(&run)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("coordinated"));

    let kind: HashMap<String, String> = csv::Reader::from_path(sample.join("truth.csv"))
        .unwrap()
        .records()
        .map(|r| r.unwrap())
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect();
    let mut rdr = csv::Reader::from_path(out.join("assessment.csv")).unwrap();
    assert_eq!(rdr.headers().unwrap(), vec!["userid", "verdict", "network_id", "reasons"]);
    let (mut right, mut judged) = (0, 0);
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let expected = match kind.get(&rec[0]).map(String::as_str) {
            Some("operation") => "coordinated",
            Some("journalist" | "ngo") => "not_coordinated",
            _ => continue,
        };
        judged += 1;
        right += (&rec[1] == expected) as usize;
        assert!(!rec[3].is_empty(), "a verdict without reasons: {rec:?}");
        assert_eq!(rec[2].is_empty(), &rec[1] != "coordinated", "{rec:?}");
    }
    assert!(judged >= 10, "the sample's list holds operation accounts, journalists and NGOs");
    assert!(right as f64 >= 0.95 * judged as f64, "{right} of {judged} right");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("assessment.json")).unwrap()).unwrap();
    assert_eq!(
        summary["listed"].as_u64().unwrap() as usize,
        csv::Reader::from_path(sample.join("third_party_list.csv")).unwrap().records().count()
    );
}

#[test]
fn a_missing_run_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let list = tmp.path().join("list.txt");
    std::fs::write(&list, "123\n").unwrap();
    let o = Command::cargo_bin("cibscan")
        .unwrap()
        .args(["assess", "--list"])
        .arg(&list)
        .arg("--run")
        .arg(tmp.path().join("nope"))
        .arg("--out")
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("run.json"), "{}", String::from_utf8_lossy(&o.stderr));
}
