//! Linking networks to earlier takedowns on the bundled simulated sample: the operation's own
//! earlier takedown scores clearly higher than an unrelated one, by `detect --prior` and by
//! `cibscan link` alike.

use assert_cmd::Command;
use std::path::Path;

#[test]
fn the_operation_links_to_its_own_earlier_takedown_and_not_to_an_unrelated_one() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/sim");
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    let prior = |name: &str| format!("{name}={}", sample.join("priors").join(name).display());
    let o = Command::cargo_bin("cibscan")
        .unwrap()
        .args(["-q", "detect"])
        .arg(sample.join("platform"))
        .arg("--out")
        .arg(&run)
        .args(["--prior", &prior("spamouflage_2019"), "--prior", &prior("gulf_2019")])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let read = || -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(run.join("networks.json")).unwrap()).unwrap()
    };
    let check = |networks: &serde_json::Value| {
        let nets = networks.as_array().unwrap();
        // The spamouflage-like network is the largest (N1 on this sample).
        let n1 = &nets[0];
        let links = n1["links"].as_array().unwrap();
        let score = |op: &str| links.iter().find(|l| l["operation"] == op).unwrap()["score"].as_f64().unwrap();
        let own = links.iter().find(|l| l["operation"] == "spamouflage_2019").unwrap();
        assert_eq!(own["linked"], true, "{own}");
        assert!(score("spamouflage_2019") >= score("gulf_2019") + 0.5, "{links:?}");
        assert!(!own["evidence"].as_array().unwrap().is_empty());
        // No network is linked to the unrelated operation.
        for n in nets {
            for l in n["links"].as_array().unwrap() {
                if l["operation"] == "gulf_2019" {
                    assert_eq!(l["linked"], false, "{l}");
                }
            }
        }
    };
    let by_detect = read();
    let bytes_by_detect = std::fs::read(run.join("networks.json")).unwrap();
    check(&by_detect);

    // `cibscan link` on the same run gives the same links.
    let o = Command::cargo_bin("cibscan")
        .unwrap()
        .args(["-q", "link", "--run"])
        .arg(&run)
        .args(["--prior", &prior("spamouflage_2019"), "--prior", &prior("gulf_2019")])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("spamouflage_2019"));
    let by_link = read();
    check(&by_link);
    assert_eq!(by_link, by_detect);
    // Read back and written again, every number is exact (no float drifts by an ulp).
    assert_eq!(std::fs::read(run.join("networks.json")).unwrap(), bytes_by_detect);

    // A run detected without priors and linked afterwards has the report of one detected
    // with them: `link` redraws report.html, and the run still opens (hashes updated).
    let plain = tmp.path().join("plain");
    let o = Command::cargo_bin("cibscan")
        .unwrap()
        .args(["-q", "detect"])
        .arg(sample.join("platform"))
        .arg("--out")
        .arg(&plain)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!std::fs::read_to_string(plain.join("report.html")).unwrap().contains("spamouflage_2019"));
    let o = Command::cargo_bin("cibscan")
        .unwrap()
        .args(["-q", "link", "--run"])
        .arg(&plain)
        .args(["--prior", &prior("spamouflage_2019"), "--prior", &prior("gulf_2019")])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in ["report.html", "networks.json"] {
        assert_eq!(std::fs::read(plain.join(f)).unwrap(), std::fs::read(run.join(f)).unwrap(), "{f}");
    }
    let o = Command::cargo_bin("cibscan")
        .unwrap()
        .args(["-q", "export", "takedown", "--run"])
        .arg(&plain)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_malformed_prior_is_refused() {
    let o = Command::cargo_bin("cibscan")
        .unwrap()
        .args(["detect", "x", "--out", "y", "--prior", "nopath"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("NAME=PATH"));
}
