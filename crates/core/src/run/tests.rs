use super::*;

fn manifest() -> Manifest {
    Manifest {
        format_version: FORMAT_VERSION,
        tool: TOOL.into(),
        started: "2026-12-02T10:00:00Z".into(),
        finished: "2026-12-02T10:00:01Z".into(),
        inputs: Vec::new(),
        format: crate::ingest::InputFormat::Auto,
        max_errors: 100,
        seed: 1,
        options: crate::run::config::DetectConfig::resolved(&Default::default()),
        priors: Vec::new(),
        counts: Counts::default(),
        stages: vec![StageTiming { stage: "read input".into(), seconds: 0.5 }],
        outputs: Vec::new(),
    }
}

#[test]
fn the_manifest_round_trips_and_its_options_give_the_same_detection() {
    let m = manifest();
    let text = serde_json::to_string_pretty(&m).unwrap();
    let back = Manifest::parse(Path::new("run.json"), &text).unwrap();
    assert_eq!(back, m);
    assert_eq!(back.options.options().unwrap(), crate::pipeline::DetectOptions::default());
}

#[test]
fn other_versions_unknown_fields_and_bad_options_are_named_errors() {
    let p = Path::new("r/run.json");
    // The untyped manifest of earlier versions.
    let old = r#"{"tool":"cibscan 0.1.0","inputs":["/x.csv"],"format":"auto","signals":[]}"#;
    let e = Manifest::parse(p, old).unwrap_err();
    assert!(matches!(e, RunError::Version { found: 1, .. }), "{e}");
    assert!(e.to_string().contains("r/run.json") && e.to_string().contains("cibscan 0.1.0"), "{e}");
    let future = r#"{"format_version": 99, "tool": "cibscan 9"}"#;
    assert!(matches!(Manifest::parse(p, future), Err(RunError::Version { found: 99, .. })));

    let mut v: serde_json::Value = serde_json::to_value(manifest()).unwrap();
    v["surprise"] = serde_json::json!(1);
    let e = Manifest::parse(p, &v.to_string()).unwrap_err();
    assert!(matches!(e, RunError::Damaged { .. }) && e.to_string().contains("surprise"), "{e}");

    let mut v: serde_json::Value = serde_json::to_value(manifest()).unwrap();
    v["options"]["detect"]["alpha"] = serde_json::json!(7.0);
    let e = Manifest::parse(p, &v.to_string()).unwrap_err();
    assert!(e.to_string().contains("alpha"), "{e}");

    for text in ["", "{", "[]", "null", "{\"format_version\": \"2\"}"] {
        assert!(matches!(Manifest::parse(p, text), Err(RunError::Damaged { .. })), "{text:?}");
    }
}

#[test]
fn neutralised_cells_read_back_as_written() {
    for cell in ["=HYPERLINK(1)", "+Fa0n", "-1", "@x", "plain", "'quoted", "''=x", ""] {
        let written = crate::run::output::neutralise(cell).to_string();
        assert_eq!(unneutralise(written), cell);
        let id = crate::run::output::neutralise_id(cell).to_string();
        assert_eq!(unneutralise(id), cell);
    }
    // Hashes stay exact; formulas do not.
    assert_eq!(
        crate::run::output::neutralise_id("+Fa0nMj9dZzhLS9CHiXYwCOtryR8b6m5wMR+UQI9lQ="),
        "+Fa0nMj9dZzhLS9CHiXYwCOtryR8b6m5wMR+UQI9lQ="
    );
    assert_eq!(crate::run::output::neutralise_id("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
    assert_eq!(crate::run::output::neutralise_id("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
}

#[test]
fn a_non_empty_folder_is_refused_and_force_only_replaces_a_run() {
    let tmp = tempfile::tempdir().unwrap();
    let other = tmp.path().join("photos");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("a.jpg"), "x").unwrap();
    assert!(matches!(Staging::new(&other, false), Err(RunError::Output { .. })));
    assert!(matches!(Staging::new(&other, true), Err(RunError::Output { .. })));
    assert!(other.join("a.jpg").exists());

    let run = tmp.path().join("run");
    let s = Staging::new(&run, false).unwrap();
    std::fs::write(s.dir().join(file::MANIFEST), "1").unwrap();
    s.commit().unwrap();
    assert_eq!(std::fs::read_to_string(run.join(file::MANIFEST)).unwrap(), "1");
    assert!(Staging::new(&run, false).is_err());

    // A failed write (dropped without commit) leaves the earlier run as it was.
    let s = Staging::new(&run, true).unwrap();
    std::fs::write(s.dir().join(file::MANIFEST), "2").unwrap();
    drop(s);
    assert_eq!(std::fs::read_to_string(run.join(file::MANIFEST)).unwrap(), "1");

    let s = Staging::new(&run, true).unwrap();
    std::fs::write(s.dir().join(file::MANIFEST), "3").unwrap();
    s.commit().unwrap();
    assert_eq!(std::fs::read_to_string(run.join(file::MANIFEST)).unwrap(), "3");
    // Nothing left behind beside it.
    let names: Vec<String> =
        std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[cfg(unix)]
#[test]
fn writes_replace_symlinks_instead_of_following_them() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside.txt");
    std::fs::write(&outside, "keep me").unwrap();
    let dir = tmp.path().join("run");
    std::fs::create_dir(&dir).unwrap();
    let link = dir.join("takedown.csv");
    std::os::unix::fs::symlink(&outside, &link).unwrap();
    replace_file(&link, |p| std::fs::write(p, "new")).unwrap();
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep me");
    assert_eq!(std::fs::read_to_string(&link).unwrap(), "new");
    assert!(!std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());

    // A symlink as the output folder itself is refused.
    let target = tmp.path().join("elsewhere");
    std::fs::create_dir(&target).unwrap();
    let out = tmp.path().join("out");
    std::os::unix::fs::symlink(&target, &out).unwrap();
    assert!(matches!(Staging::new(&out, true), Err(RunError::Output { .. })));
}

#[test]
fn opening_names_what_is_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let e = Run::open(tmp.path()).unwrap_err();
    assert!(matches!(e, RunError::NotARun { .. }), "{e}");
    std::fs::write(tmp.path().join(file::MANIFEST), serde_json::to_string(&manifest()).unwrap()).unwrap();
    let e = Run::open(tmp.path()).unwrap_err();
    assert!(e.to_string().contains("run.json") && e.to_string().contains("lists no accounts.csv"), "{e}");
    assert!(matches!(Run::open(&tmp.path().join("nope")), Err(RunError::NotARun { .. })));
}

/// A run folder with the given file contents and a manifest that vouches for them (as a
/// crafted run shared by someone else would).
fn crafted_run(dir: &Path, files: &[(&str, &[u8])]) -> Result<Run, RunError> {
    let mut m = manifest();
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
        m.outputs.push(OutputFile::describe(dir, name).unwrap());
    }
    std::fs::write(dir.join(file::MANIFEST), serde_json::to_string(&m).unwrap()).unwrap();
    Run::open(dir)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

    /// Files that match their hashes but hold anything: each reader gives rows or a
    /// `Damaged` error naming the file, never a panic.
    #[test]
    fn crafted_run_files_never_panic(
        accounts in "(?s)(account_id,screen_name,network_id,operation_id,role,coordination_score,inauthenticity_score,posts,signals\n)?.{0,200}",
        networks in "(?s)\\[?.{0,200}",
        edges in "(?s)(source,target,weight\n)?.{0,200}",
        indicators in "(?s).{0,200}",
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let files: [(&str, &[u8]); 7] = [
            (file::ACCOUNTS, accounts.as_bytes()),
            (file::NETWORKS, networks.as_bytes()),
            (file::OPERATIONS, networks.as_bytes()),
            (file::ATTRIBUTIONS, networks.as_bytes()),
            (file::DISMISSED, networks.as_bytes()),
            (file::EDGES, edges.as_bytes()),
            (file::INDICATORS, indicators.as_bytes()),
        ];
        let run = crafted_run(tmp.path(), &files).unwrap();
        let named = |e: RunError, f: &str| e.to_string().contains(f);
        if let Err(e) = run.accounts() { proptest::prop_assert!(named(e, file::ACCOUNTS)); }
        if let Err(e) = run.networks() { proptest::prop_assert!(named(e, file::NETWORKS)); }
        if let Err(e) = run.dismissed() { proptest::prop_assert!(named(e, file::DISMISSED)); }
        if let Err(e) = run.operations() { proptest::prop_assert!(named(e, file::OPERATIONS)); }
        if let Err(e) = run.attributions() { proptest::prop_assert!(named(e, file::ATTRIBUTIONS)); }
        if let Err(e) = run.edges() { proptest::prop_assert!(named(e, file::EDGES)); }
        if let Err(e) = run.indicators() { proptest::prop_assert!(named(e, file::INDICATORS)); }
    }
}
