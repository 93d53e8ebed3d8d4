use super::*;
use cibscan_core::run::{write_run, RunInfo, Staging};

/// A run folder detected from the bundled sample (`seed` changes the manifest, not the
/// networks).
fn sample_run(dir: &Path, seed: u64) -> Run {
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/sim/platform");
    let progress = cibscan_core::progress::NoProgress;
    let (data, stats) = cibscan_core::ingest(std::slice::from_ref(&input), &Default::default(), &progress).unwrap();
    let opts = cibscan_core::pipeline::DetectOptions { seed, ..Default::default() };
    let det = cibscan_core::pipeline::detect(&data, &opts, &progress).unwrap();
    let info = RunInfo {
        format: Default::default(),
        max_errors: 100,
        priors: Vec::new(),
        started: cibscan_core::run::now_utc(),
        stages: Vec::new(),
    };
    write_run(Staging::new(dir, false).unwrap(), &data, &stats, &det, &opts, info).unwrap();
    Run::open(dir).unwrap()
}

#[test]
fn the_schema_migrates_once_and_the_audit_log_refuses_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("cases.db");
    let s = Store::open(&db).unwrap();
    assert_eq!(s.version().unwrap(), schema::MIGRATIONS.len() as i64);
    drop(s);
    let s = Store::open(&db).unwrap();
    assert_eq!(s.audit().unwrap().iter().filter(|a| a.action == "migrate").count(), schema::MIGRATIONS.len());
    let journal: String = s.connection().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(journal, "wal");
    let fk: i64 = s.connection().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
    for statement in ["UPDATE audit SET actor = 'mallory'", "DELETE FROM audit", "DELETE FROM audit WHERE id = 1"] {
        let e = s.connection().execute(statement, []).unwrap_err();
        assert!(e.to_string().contains("append-only"), "{statement}: {e}");
    }
    // A store from a newer cibscan is refused by name.
    s.connection().pragma_update(None, "user_version", 99).unwrap();
    drop(s);
    assert!(matches!(Store::open(&db), Err(StoreError::TooNew { found: 99, .. })));
}

#[test]
fn runs_import_once_and_later_runs_continue_their_cases() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("cases.db");
    let mut s = Store::open(&db).unwrap();
    let first = sample_run(&tmp.path().join("run1"), 1);
    let nets = first.networks().unwrap();
    let sum = s.import_run(&first, "tester").unwrap();
    assert_eq!(sum.networks, nets.len());
    assert_eq!(sum.new_cases.len(), nets.len());
    let flagged = first.accounts().unwrap().iter().filter(|a| !a.network_id.is_empty()).count();
    assert_eq!(sum.accounts, flagged);
    assert!(matches!(s.import_run(&first, "tester"), Err(StoreError::AlreadyImported { .. })));

    // The same data again (another manifest): every network continues its case, unchanged.
    let second = sample_run(&tmp.path().join("run2"), 1);
    let sum2 = s.import_run(&second, "tester").unwrap();
    assert!(sum2.new_cases.is_empty(), "{sum2:?}");
    assert_eq!(sum2.same_cases.len(), nets.len());
    let cases = s.cases().unwrap();
    assert_eq!(cases.len(), nets.len());
    assert!(cases.iter().all(|c| c.run == sum2.run && c.state == "new"));
    let imports = s.audit().unwrap().into_iter().filter(|a| a.action == "import").count();
    assert_eq!(imports, 2);

    // A backup is a store with the same runs and cases.
    let copy = tmp.path().join("backup.db");
    s.backup(&copy, "tester").unwrap();
    let b = Store::open(&copy).unwrap();
    assert_eq!(b.runs().unwrap().len(), 2);
    assert_eq!(b.cases().unwrap(), cases);
    assert_eq!(s.integrity().unwrap(), "ok");
}
