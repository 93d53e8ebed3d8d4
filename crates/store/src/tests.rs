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

#[test]
fn a_case_is_confirmed_by_two_reviewers_and_exported_minus_its_exclusions() {
    use crate::workflow::{Decision, Role, WorkflowError};
    let tmp = tempfile::tempdir().unwrap();
    let mut s = Store::open(&tmp.path().join("cases.db")).unwrap();
    let run = sample_run(&tmp.path().join("run"), 1);
    s.import_run(&run, "tester").unwrap();
    s.add_user("ana", Role::Analyst, Some("correct horse"), "admin").unwrap();
    s.add_user("rev1", Role::Reviewer, None, "admin").unwrap();
    s.add_user("rev2", Role::Reviewer, None, "admin").unwrap();
    s.add_user("vic", Role::Viewer, None, "admin").unwrap();
    assert!(matches!(s.add_user("ana", Role::Viewer, None, "admin"), Err(WorkflowError::UserExists(_))));
    assert!(s.verify_password("ana", "correct horse").unwrap());
    assert!(!s.verify_password("ana", "wrong").unwrap());
    assert!(!s.verify_password("rev1", "").unwrap() && !s.verify_password("nobody", "x").unwrap());
    // API tokens: shown once, stored as a digest, naming their user.
    let token = s.create_token("rev1", "admin").unwrap();
    assert!(token.starts_with("cib_") && token.len() == 4 + 64);
    assert_eq!(s.token_user(&token).unwrap(), Some(("rev1".to_string(), Role::Reviewer)));
    assert_eq!(s.token_user("cib_forged").unwrap(), None);
    let stored: i64 = s
        .connection()
        .query_row("SELECT count(*) FROM tokens WHERE token_sha256 = ?1", [&token], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 0, "the token itself is never stored");
    assert!(matches!(s.create_token("nobody", "admin"), Err(WorkflowError::NoUser(_))));
    let stored: String =
        s.connection().query_row("SELECT password_hash FROM users WHERE name = 'ana'", [], |r| r.get(0)).unwrap();
    assert!(stored.starts_with("$argon2id$") && !stored.contains("correct horse"));

    // A viewer may not act; a reason is required; an analyst proposes, not confirms.
    assert!(matches!(s.decide("C1", "vic", Decision::Propose, "looks bad"), Err(WorkflowError::NotAllowed { .. })));
    assert!(matches!(s.decide("C1", "ana", Decision::Propose, "  "), Err(WorkflowError::NoReason)));
    assert!(matches!(s.decide("C1", "rev1", Decision::Confirm, "x"), Err(WorkflowError::WrongState { .. })));
    assert_eq!(s.decide("C1", "ana", Decision::Propose, "echo chamber, creation waves").unwrap(), "in_review");
    assert!(matches!(s.decide("C1", "ana", Decision::Confirm, "x"), Err(WorkflowError::NotAllowed { .. })));
    // Four eyes: one reviewer twice is still one.
    assert_eq!(s.decide("C1", "rev1", Decision::Confirm, "evidence holds").unwrap(), "in_review");
    assert_eq!(s.decide("C1", "rev1", Decision::Confirm, "again").unwrap(), "in_review");
    assert!(s.takedown().unwrap().is_empty(), "nothing is exported before confirmation");
    assert_eq!(s.decide("C1", "rev2", Decision::Confirm, "agree").unwrap(), "confirmed");

    // Exclusions: only an account of the case, with a reason; the export leaves it out.
    let members = s.takedown().unwrap();
    assert!(!members.is_empty() && members.iter().all(|r| r[0] == "C1"));
    let excluded = members[0][2].clone();
    assert!(matches!(s.exclude("C1", "no-such-account", "ana", "x"), Err(WorkflowError::NotInCase { .. })));
    assert!(matches!(s.exclude("C1", &excluded, "vic", "x"), Err(WorkflowError::NotAllowed { .. })));
    s.exclude("C1", &excluded, "ana", "a journalist quoting the network").unwrap();
    let out = tmp.path().join("takedown.csv");
    assert_eq!(s.export_takedown(&out, "rev2").unwrap(), members.len() - 1);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("case,network_id,account_id,screen_name,role,coordination_score\n"));
    assert!(!text.contains(&format!(",{excluded},")));
    let audit = s.audit().unwrap();
    for action in ["user_add", "decision", "exclude", "export_takedown"] {
        assert!(audit.iter().any(|a| a.action == action), "{action}");
    }
    let export = audit.iter().find(|a| a.action == "export_takedown").unwrap();
    assert!(export.detail.contains("sha256"), "{}", export.detail);

    // needs_evidence starts a new round: earlier confirmations no longer count.
    assert_eq!(
        s.decide("C1", "ana", Decision::NeedsEvidence, "check the excluded one's peers").unwrap(),
        "needs_evidence"
    );
    assert_eq!(s.decide("C1", "ana", Decision::Propose, "checked").unwrap(), "in_review");
    assert_eq!(s.decide("C1", "rev1", Decision::Confirm, "still holds").unwrap(), "in_review");
    assert!(matches!(s.decide("C9", "rev1", Decision::Confirm, "x"), Err(WorkflowError::NoCase(_))));
}
