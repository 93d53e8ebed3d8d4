//! A run folder read back by every command that acts on it: each file damaged in turn gives
//! a clear error naming the file (never a panic, never a silent default); a changed input
//! is refused; `detect` never mixes an old run with a new one and never follows symlinks.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/sim")
}

fn cibscan(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::cargo_bin("cibscan").unwrap().arg("-q").args(args).output().unwrap()
}

macro_rules! args {
    ($($a:expr),* $(,)?) => { &[$(std::ffi::OsStr::new($a)),*] };
}

fn detect(input: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args: Vec<&std::ffi::OsStr> = vec!["detect".as_ref(), input.as_os_str(), "--out".as_ref(), out.as_os_str()];
    args.extend(extra.iter().map(|s| std::ffi::OsStr::new(*s)));
    cibscan(&args)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
}

/// The commands that act on a run (all of them open it; the ones that need posts read the
/// input again).
fn commands_on(run: &Path, work: &Path, account: &str) -> Vec<Vec<std::ffi::OsString>> {
    let list = sample().join("third_party_list.csv");
    let prior = format!("p={}", sample().join("priors/gulf_2019").display());
    let r = run.as_os_str().to_owned();
    let s = |x: &str| std::ffi::OsString::from(x);
    vec![
        vec![s("explain"), s(account), s("--run"), r.clone()],
        vec![s("assess"), s("--list"), list.into(), s("--run"), r.clone(), s("--out"), work.join("assess").into()],
        vec![s("export"), s("takedown"), s("--run"), r.clone(), s("--out"), work.join("t.csv").into()],
        vec![s("export"), s("indicators"), s("--run"), r.clone(), s("--out"), work.join("i.csv").into()],
        vec![s("link"), s("--run"), r.clone(), s("--prior"), s(&prior)],
    ]
}

#[test]
fn every_damaged_run_file_is_a_clear_error_for_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    let good = tmp.path().join("good");
    let o = detect(&sample().join("platform"), &good, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let accounts = std::fs::read_to_string(good.join("accounts.csv")).unwrap();
    let account = accounts.lines().nth(1).unwrap().split(',').next().unwrap().to_string();

    type Damage = fn(&Path);
    let damages: [(&str, Damage); 5] = [
        ("missing", |p| std::fs::remove_file(p).unwrap()),
        ("empty", |p| std::fs::write(p, "").unwrap()),
        ("truncated", |p| {
            let b = std::fs::read(p).unwrap();
            std::fs::write(p, &b[..b.len() / 2]).unwrap()
        }),
        ("garbage", |p| std::fs::write(p, b"\xff\xfe\x00\x1b[31m,\"unterminated\n{{{").unwrap()),
        ("one byte changed", |p| {
            let mut b = std::fs::read(p).unwrap();
            let i = b.len() / 3;
            b[i] = if b[i] == b'7' { b'8' } else { b'7' };
            std::fs::write(p, &b).unwrap()
        }),
    ];
    let mut checked = 0;
    for name in [
        "run.json",
        "accounts.csv",
        "networks.json",
        "operations.json",
        "attributions.json",
        "dismissed.json",
        "edges.csv",
        "indicators.csv",
    ] {
        for (what, damage) in &damages {
            let case = tmp.path().join(format!("{name}-{}", what.replace(' ', "_")));
            copy_dir(&good, &case);
            damage(&case.join(name));
            for cmd in commands_on(&case, tmp.path(), &account) {
                let o = Command::cargo_bin("cibscan").unwrap().arg("-q").args(&cmd).output().unwrap();
                let err = String::from_utf8_lossy(&o.stderr);
                assert_eq!(o.status.code(), Some(1), "{name} {what}: {cmd:?} should fail cleanly: {err}");
                assert!(err.contains(name) && !err.contains("panicked"), "{name} {what}: {cmd:?}: {err}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 8 * 5 * 5);

    // A run written by an earlier cibscan (untyped run.json) is named as such.
    let old = tmp.path().join("old");
    copy_dir(&good, &old);
    std::fs::write(old.join("run.json"), r#"{"tool":"cibscan 0.1.0","inputs":["x"],"format":"auto","signals":[]}"#)
        .unwrap();
    let o = cibscan(args!["export", "takedown", "--run", old.as_os_str()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success() && err.contains("run format 1") && err.contains("cibscan 0.1.0"), "{err}");
}

#[test]
fn a_changed_input_is_refused_and_detect_never_mixes_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    copy_dir(&sample().join("platform"), &input);
    let run = tmp.path().join("run");
    assert!(detect(&input, &run, &[]).status.success());
    let before = std::fs::read(run.join("accounts.csv")).unwrap();

    // Detect again into the same folder: refused without --force, and nothing is touched.
    let o = detect(&input, &run, &[]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(run.join("accounts.csv")).unwrap(), before);
    // With --force, but failing half-way (an unreadable input): the old run is intact.
    let o = detect(&tmp.path().join("no-such-input"), &run, &["--force"]);
    assert!(!o.status.success());
    assert_eq!(std::fs::read(run.join("accounts.csv")).unwrap(), before);
    assert!(std::fs::read_dir(tmp.path()).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .starts_with(".cibscan")));
    // --force replaces a run, never a folder of something else.
    assert!(detect(&input, &run, &["--force"]).status.success());
    let o = detect(&input, &input, &["--force"]);
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("holds no run"));

    // A symlink planted in the run folder is replaced, not followed.
    #[cfg(unix)]
    {
        let outside = tmp.path().join("outside.txt");
        std::fs::write(&outside, "keep").unwrap();
        std::os::unix::fs::symlink(&outside, run.join("takedown.csv")).unwrap();
        assert!(cibscan(args!["export", "takedown", "--run", run.as_os_str()]).status.success());
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep");
    }

    // The input changes after the run: commands that read it again refuse.
    let tweets = std::fs::read_dir(&input)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().contains("tweets"));
    let tweets = tweets.unwrap();
    let mut text = std::fs::read(&tweets).unwrap();
    let i = text.len() - 10;
    text[i] = if text[i] == b'1' { b'2' } else { b'1' };
    std::fs::write(&tweets, text).unwrap();
    let o = cibscan(args!["export", "indicators", "--run", run.as_os_str()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success() && err.contains("input changed") && err.contains("tweets"), "{err}");
}

#[test]
fn the_same_posts_read_twice_are_counted_once() {
    let tmp = tempfile::tempdir().unwrap();
    let platform = sample().join("platform");
    let once = tmp.path().join("once");
    let twice = tmp.path().join("twice");
    assert!(detect(&platform, &once, &[]).status.success());
    // The folder given twice, and an uncompressed copy of the tweets (`x.csv` beside
    // `x.csv.gz`).
    let input = tmp.path().join("input");
    copy_dir(&platform, &input);
    let gz = std::fs::read_dir(&input)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().contains("tweets"));
    let gz = gz.unwrap();
    let mut plain = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(std::fs::File::open(&gz).unwrap()), &mut plain)
        .unwrap();
    std::fs::write(gz.with_extension(""), plain).unwrap();
    let o = cibscan(args!["detect", input.as_os_str(), platform.as_os_str(), "--out", twice.as_os_str()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("read more than once"));
    for f in ["accounts.csv", "networks.json", "edges.csv"] {
        assert_eq!(std::fs::read(once.join(f)).unwrap(), std::fs::read(twice.join(f)).unwrap(), "{f}");
    }
    let manifest = std::fs::read_to_string(twice.join("run.json")).unwrap();
    assert!(!manifest.contains("\"duplicate_posts\": 0"), "{manifest}");
}
