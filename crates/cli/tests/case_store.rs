//! The case store from the CLI: import, list, audit, backup; a run imported twice is
//! refused; and `kill -9` during an import leaves the store with what was committed before
//! and no half-imported run.

use assert_cmd::Command;
use std::path::Path;

fn ok(c: &mut Command) -> String {
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn detect(input: &Path, out: &Path) {
    ok(Command::cargo_bin("cibscan").unwrap().args(["-q", "detect"]).arg(input).arg("--out").arg(out));
}

/// (runs, networks, accounts) rows in the store, and whether every run is whole.
fn census(db: &Path) -> (i64, i64, i64, bool) {
    let store = cibscan_store::Store::open(db).unwrap();
    assert_eq!(store.integrity().unwrap(), "ok");
    let c = store.connection();
    let count = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    // Every run has exactly the networks and accounts its manifest counts.
    let whole = {
        let mut st = c.prepare("SELECT id, manifest FROM runs").unwrap();
        let runs: Vec<(i64, String)> =
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(|r| r.unwrap()).collect();
        runs.iter().all(|(id, manifest)| {
            let m: serde_json::Value = serde_json::from_str(manifest).unwrap();
            let nets: i64 = c.query_row("SELECT count(*) FROM networks WHERE run = ?1", [id], |r| r.get(0)).unwrap();
            let accs: i64 = c.query_row("SELECT count(*) FROM accounts WHERE run = ?1", [id], |r| r.get(0)).unwrap();
            nets == m["counts"]["networks"].as_i64().unwrap()
                && accs == m["counts"]["flagged_accounts"].as_i64().unwrap()
        })
    };
    (
        count("SELECT count(*) FROM runs"),
        count("SELECT count(*) FROM networks"),
        count("SELECT count(*) FROM accounts"),
        whole,
    )
}

#[test]
fn runs_are_imported_listed_audited_and_backed_up() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/sim/platform");
    let run = tmp.path().join("run");
    detect(&sample, &run);
    let db = tmp.path().join("cases.db");
    let said = ok(Command::cargo_bin("cibscan").unwrap().args(["-q", "case", "import"]).arg(&run).arg("--db").arg(&db));
    assert!(said.contains("new cases C1"), "{said}");
    let o = Command::cargo_bin("cibscan")
        .unwrap()
        .args(["-q", "case", "import"])
        .arg(&run)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already in the store"));
    // detect --db imports as it writes: the same networks continue their cases.
    let again = tmp.path().join("again");
    let said = ok(Command::cargo_bin("cibscan")
        .unwrap()
        .args(["-q", "detect"])
        .arg(&sample)
        .arg("--out")
        .arg(&again)
        .arg("--db")
        .arg(&db));
    assert!(said.contains("new cases none"), "{said}");
    let list = ok(Command::cargo_bin("cibscan").unwrap().args(["case", "list", "--db"]).arg(&db));
    assert!(list.lines().nth(1).is_some_and(|l| l.starts_with("C1\tnew\t2\t")), "{list}");
    let audit = ok(Command::cargo_bin("cibscan").unwrap().args(["case", "audit", "--db"]).arg(&db));
    assert_eq!(audit.lines().filter(|l| l.contains("\timport\t")).count(), 2, "{audit}");
    // Review from the command line: an analyst proposes, two reviewers confirm, one account
    // is excluded, and the takedown list comes from the confirmed case without it.
    let cib = || Command::cargo_bin("cibscan").unwrap();
    ok(cib()
        .args(["-q", "user", "add", "ana", "--role", "analyst", "--password-stdin", "--db"])
        .arg(&db)
        .write_stdin("s3cret pass\n"));
    for r in ["rev1", "rev2"] {
        ok(cib().args(["-q", "user", "add", r, "--role", "reviewer", "--db"]).arg(&db));
    }
    ok(cib().args(["-q", "user", "add", "vic", "--role", "viewer", "--db"]).arg(&db));
    let token = ok(cib().args(["-q", "token", "create", "rev1", "--db"]).arg(&db));
    assert!(token.trim().starts_with("cib_") && token.trim().len() == 68, "{token}");
    let decide = |user: &str, d: &str| {
        cib()
            .args([
                "-q",
                "case",
                "decide",
                "C1",
                "--decision",
                d,
                "--reason",
                "checked the posts",
                "--user",
                user,
                "--db",
            ])
            .arg(&db)
            .output()
            .unwrap()
    };
    let o = decide("vic", "propose");
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("may not"), "a viewer may not decide");
    assert!(decide("ana", "propose").status.success());
    let o = decide("rev1", "confirm");
    assert!(String::from_utf8_lossy(&o.stdout).contains("now in_review"));
    let o = decide("rev2", "confirm");
    assert!(String::from_utf8_lossy(&o.stdout).contains("now confirmed"), "{}", String::from_utf8_lossy(&o.stderr));
    let member = csv::Reader::from_path(again.join("accounts.csv"))
        .unwrap()
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[2] == "N1")
        .map(|r| r[0].to_string())
        .unwrap();
    ok(cib()
        .args(["-q", "case", "exclude", "C1", &member, "--reason", "a journalist", "--user", "ana", "--db"])
        .arg(&db));
    let takedown = tmp.path().join("takedown.csv");
    let said = ok(cib().args(["-q", "case", "takedown", "--db"]).arg(&db).arg("--out").arg(&takedown));
    let text = std::fs::read_to_string(&takedown).unwrap();
    assert!(!text.contains(&member) && text.lines().count() > 1, "{said}");
    let audit = ok(cib().args(["case", "audit", "--db"]).arg(&db));
    for action in ["\tuser_add\t", "\tdecision\t", "\texclude\t", "\texport_takedown\t"] {
        assert!(audit.contains(action), "{action}: {audit}");
    }
    // Reading or deciding never creates a store.
    let absent = tmp.path().join("absent.db");
    let o = cib().args(["case", "list", "--db"]).arg(&absent).output().unwrap();
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("no case store here"));
    assert!(!absent.exists());
    let copy = tmp.path().join("copy.db");
    ok(Command::cargo_bin("cibscan").unwrap().args(["case", "backup", "--db"]).arg(&db).arg("--out").arg(&copy));
    assert_eq!(census(&copy).0, 2);
    let o = Command::cargo_bin("cibscan")
        .unwrap()
        .args(["case", "backup", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(&copy)
        .output()
        .unwrap();
    assert!(!o.status.success(), "a backup never overwrites");
}

#[test]
fn kill_9_during_an_import_leaves_no_half_imported_run() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/sim/platform");
    let small = tmp.path().join("small");
    detect(&sample, &small);
    // A larger run to interrupt: simulate at scale 2 (about 200,000 posts).
    let sim = tmp.path().join("sim");
    ok(Command::cargo_bin("cibscan")
        .unwrap()
        .args(["-q", "simulate", "--seed", "3", "--scale", "2", "--out"])
        .arg(&sim));
    let large = tmp.path().join("large");
    detect(&sim.join("platform"), &large);

    let db = tmp.path().join("cases.db");
    ok(Command::cargo_bin("cibscan").unwrap().args(["-q", "case", "import"]).arg(&small).arg("--db").arg(&db));
    let before = census(&db);
    assert_eq!((before.0, before.3), (1, true));
    let bin = assert_cmd::cargo::cargo_bin("cibscan");
    let mut outcomes = (0, 0);
    for delay_ms in [0u64, 2, 5, 10, 20, 35, 50, 75, 100, 150, 250] {
        let mut child = std::process::Command::new(&bin)
            .args(["-q", "case", "import"])
            .arg(&large)
            .arg("--db")
            .arg(&db)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let after = census(&db);
        assert!(after.3, "after a kill at {delay_ms} ms a run is half there: {after:?}");
        assert!(after.0 >= 1 && after.1 >= before.1 && after.2 >= before.2, "{after:?}");
        if after.0 == 2 {
            outcomes.1 += 1;
            break; // it finished before the kill: nothing more to interrupt
        }
        outcomes.0 += 1;
        assert_eq!(after, before, "killed at {delay_ms} ms: nothing of the import may stay");
    }
    // At least one import was interrupted (none of it stayed).
    assert!(outcomes.0 >= 1, "{outcomes:?}");
    if census(&db).0 == 1 {
        ok(Command::cargo_bin("cibscan").unwrap().args(["-q", "case", "import"]).arg(&large).arg("--db").arg(&db));
    }
    let done = census(&db);
    assert_eq!((done.0, done.3), (2, true));
}
