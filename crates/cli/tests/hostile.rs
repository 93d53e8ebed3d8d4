//! Hostile inputs and mistakes a user makes, end to end: each ends in a clean error or a
//! correct result, never a panic, a hang, unbounded memory or lost data.

use assert_cmd::Command;
use std::path::Path;
use std::time::Duration;

fn cibscan(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("cibscan").unwrap().arg("-q").args(args).timeout(Duration::from_secs(120)).output().unwrap()
}

fn ok(o: &std::process::Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &std::process::Output) -> String {
    let e = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1), "expected a clean failure: {e}");
    assert!(!e.contains("panicked"), "{e}");
    e
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Five accounts retweeting the same posts within seconds: a network, plus hostile lines.
fn jsonl_with_extreme_times(dir: &Path) -> std::path::PathBuf {
    let mut lines = Vec::new();
    for a in 0..6 {
        let created = if a == 0 { i64::MAX.to_string() } else { "1262304000000".to_string() };
        lines.push(format!(r#"{{"account_id":"{a}","account":{{"screen_name":"acct{a}","created":{created}}}}}"#));
        for p in 0..12u64 {
            let t = 1_577_836_800_000u64 + p * 3_600_000 + a * 1000;
            lines.push(format!(
                r#"{{"account_id":"{a}","post_id":"{}","time_ms":{t},"kind":"retweet","ref_post":"{}","text":"RT"}}"#,
                1000 + a * 100 + p,
                90 + p
            ));
        }
    }
    // A post at the end of time and one at its beginning.
    lines.push(format!(r#"{{"account_id":"1","post_id":"5","time_ms":{},"text":"x"}}"#, i64::MAX));
    lines.push(format!(r#"{{"account_id":"1","post_id":"6","time_ms":{},"text":"x"}}"#, i64::MIN));
    lines.push(r#"{"account_id":"1","post_id":"7","time":"9999-12-31T23:59:59Z","text":"x"}"#.into());
    let path = dir.join("posts.jsonl");
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

#[test]
fn extreme_times_are_bad_records_and_detect_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let input = jsonl_with_extreme_times(tmp.path());
    let summary = ok(&cibscan(&["ingest", s(&input), "--json"]));
    let v: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(v["skipped"]["bad_time"], 4, "{summary}");
    let run = tmp.path().join("run");
    ok(&cibscan(&["detect", s(&input), "--out", s(&run)]));
    let indicators = std::fs::read_to_string(run.join("indicators.csv")).unwrap();
    assert!(indicators.lines().count() > 1);
}

#[test]
fn ingest_never_overwrites_its_input() {
    let tmp = tempfile::tempdir().unwrap();
    let input = jsonl_with_extreme_times(tmp.path());
    let before = std::fs::read(&input).unwrap();
    let e = err(&cibscan(&["ingest", s(&input), "--out", s(&input)]));
    assert!(e.contains("is one of the inputs"), "{e}");
    let e = err(&cibscan(&["ingest", s(tmp.path()), "--out", s(&input)]));
    assert!(e.contains("is one of the inputs"), "{e}");
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[cfg(unix)]
#[test]
fn special_files_and_symlink_loops_in_an_input_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    jsonl_with_extreme_times(&dir);
    // A FIFO named like an input would block forever if opened; a loop would never end.
    let fifo = dir.join("stream.jsonl");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    std::os::unix::fs::symlink(".", dir.join("me")).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("again")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&ok(&cibscan(&["ingest", s(&dir), "--json"]))).unwrap();
    assert_eq!(v["files"], 1, "{v}");
    assert_eq!(v["duplicate_posts"], 0, "{v}");
}

#[test]
fn key_files_are_bounded_and_new_keys_stay_out_of_the_publication() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/sim/platform");
    let run = tmp.path().join("run");
    ok(&cibscan(&["detect", s(&sample), "--out", s(&run)]));

    #[cfg(unix)]
    {
        let e = err(&cibscan(&[
            "export",
            "disclosure",
            "--run",
            s(&run),
            "--network",
            "N1",
            "--out",
            s(&tmp.path().join("z")),
            "--key-file",
            "/dev/zero",
        ]));
        assert!(e.contains("not a key file"), "{e}");
    }
    // A failed export (no such network) leaves no key and no folder behind.
    let d = tmp.path().join("d");
    let e = err(&cibscan(&["export", "disclosure", "--run", s(&run), "--network", "N99", "--out", s(&d)]));
    assert!(e.contains("N99"), "{e}");
    assert!(!tmp.path().join("d.key").exists() && !d.exists());
    // `--out d/`: the folder is created, the key goes beside it.
    let with_slash = format!("{}/", s(&d));
    ok(&cibscan(&["export", "disclosure", "--run", s(&run), "--network", "N1", "--out", &with_slash]));
    assert!(tmp.path().join("d.key").exists());
    assert!(std::fs::read_dir(&d).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().contains("key")));
    // Again without --key-file: the existing key is not replaced, and nothing is written.
    let e = err(&cibscan(&["export", "disclosure", "--run", s(&run), "--network", "N1", "--out", s(&d)]));
    assert!(e.contains("already there"), "{e}");
}

#[test]
fn two_digit_years_are_read_in_this_century() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("ira.csv");
    std::fs::write(
        &path,
        "author_id,content,region,language,publish_date,harvested_date,following,followers,updates,post_type,retweet\n\
         TROLL,hello world,United States,English,6/21/15 16:28,6/21/15 16:30,1,2,3,,0\n",
    )
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&ok(&cibscan(&["ingest", s(&path), "--json"]))).unwrap();
    assert_eq!(v["first_post"], "2015-06-21T16:28:00Z", "{v}");
}

/// A gzip bomb whose quoted field never ends, and an endless JSON line: a clean error (or one
/// skipped line), never all the memory there is.
#[test]
fn endless_records_are_refused() {
    use std::io::Write;
    let tmp = tempfile::tempdir().unwrap();
    let bomb = tmp.path().join("bomb.csv.gz");
    let mut gz = flate2::write::GzEncoder::new(std::fs::File::create(&bomb).unwrap(), flate2::Compression::fast());
    gz.write_all(b"tweetid,userid,tweet_time,tweet_text\n1,2,2020-01-01 00:00,\"").unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..100 {
        gz.write_all(&chunk).unwrap();
    }
    gz.finish().unwrap();
    let e = err(&cibscan(&["ingest", s(&bomb)]));
    assert!(e.contains("longer than 64 MiB") && e.contains("bomb.csv.gz:2"), "{e}");

    let lines = tmp.path().join("endless.jsonl");
    let mut f = std::fs::File::create(&lines).unwrap();
    f.write_all(br#"{"account_id":"1","post_id":"1","time":"2020-01-01T00:00:00Z","text":""#).unwrap();
    for _ in 0..70 {
        f.write_all(&chunk).unwrap();
    }
    f.write_all(b"\"}\n").unwrap();
    f.write_all(br#"{"account_id":"1","post_id":"2","time":"2020-01-01T00:00:00Z","text":"ok"}"#).unwrap();
    f.write_all(b"\n").unwrap();
    drop(f);
    let v: serde_json::Value = serde_json::from_str(&ok(&cibscan(&["ingest", s(&lines), "--json"]))).unwrap();
    assert_eq!((v["posts"].as_u64(), v["skipped"]["bad_json"].as_u64()), (Some(1), Some(1)), "{v}");
}

const TWEETS_HEADER: &str = "tweetid,userid,user_screen_name,follower_count,tweet_time,tweet_text\n";

#[test]
fn leading_blank_lines_odd_encodings_and_escapes_in_headers() {
    let tmp = tempfile::tempdir().unwrap();
    // Two megabytes of blank lines before the header: read, with true line numbers.
    let blank = tmp.path().join("blank.csv");
    let mut text = "\n".repeat(2 << 20);
    text.push_str(TWEETS_HEADER);
    text.push_str("1,42,a,5,2020-01-01 00:00,hi\n2,42,a,5,not a time,hi\n");
    std::fs::write(&blank, text).unwrap();
    let o = Command::cargo_bin("cibscan").unwrap().args(["ingest", s(&blank), "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_str(&ok(&o)).unwrap();
    assert_eq!(v["posts"], 1, "{v}");
    let line = (2 << 20) + 3;
    assert!(
        String::from_utf8_lossy(&o.stderr).contains(&format!("blank.csv:{line}:")),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    // UTF-16 without a byte-order mark, and a header with a terminal escape sequence.
    let utf16 = tmp.path().join("utf16.csv");
    std::fs::write(&utf16, TWEETS_HEADER.encode_utf16().flat_map(|u| u.to_le_bytes()).collect::<Vec<u8>>()).unwrap();
    let e = err(&cibscan(&["ingest", s(&utf16)]));
    assert!(e.contains("UTF-16 without a byte-order mark"), "{e}");
    let esc = tmp.path().join("esc.csv");
    std::fs::write(&esc, "\x1b[2J\x1b]0;owned\x07name,x\n1,2\n").unwrap();
    let e = err(&cibscan(&["ingest", s(&esc)]));
    assert!(!e.contains('\x1b') && e.contains("\\u{1b}"), "{e:?}");
}

#[test]
fn formula_ids_are_neutralised_and_doubtful_profiles_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.csv");
    let mut text = String::from(TWEETS_HEADER);
    // Six accounts retweeting... as originals posting the same text within minutes: a
    // network under identical_text; one of them with a formula for an id.
    for p in 0..12 {
        for a in 0..6 {
            let id = if a == 0 { "\"=HYPERLINK(\"\"http://x\"\")\"".to_string() } else { format!("{}", 100 + a) };
            text.push_str(&format!(
                "{},{id},acct{a},99999999999,2020-01-0{} 0{}:0{}:00,the same words number {p} for everyone\n",
                1000 + p * 10 + a,
                1 + p % 9,
                p % 10,
                a
            ));
        }
    }
    std::fs::write(&input, text).unwrap();
    let o = Command::cargo_bin("cibscan").unwrap().args(["ingest", s(&input)]).output().unwrap();
    assert!(ok(&o).contains("count_out_of_range"));
    let run = tmp.path().join("run");
    ok(&cibscan(&["detect", s(&input), "--out", s(&run)]));
    for f in ["accounts.csv", "indicators.csv", "edges.csv"] {
        let text = std::fs::read_to_string(run.join(f)).unwrap();
        assert!(!text.lines().any(|l| l.starts_with("=") || l.starts_with("\"=")), "{f}: {text}");
    }
    // The run reads its own neutralised ids back.
    ok(&cibscan(&["export", "takedown", "--run", s(&run)]));
}

#[test]
fn duplicate_profiles_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let users = tmp.path().join("users.csv");
    std::fs::write(&users, "userid,user_screen_name,follower_count\n1,a,5\n1,b,6\n2,c,7\n").unwrap();
    let v: serde_json::Value = serde_json::from_str(&ok(&cibscan(&["ingest", s(&users), "--json"]))).unwrap();
    assert_eq!(v["warnings"]["duplicate_profile"], 1, "{v}");
}

/// Screen names with terminal escape sequences never reach the terminal raw in `explain`;
/// ids with control characters are refused at reading; an I/O error's cause is said once.
#[test]
fn explain_output_is_terminal_safe_and_causes_are_said_once() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.jsonl");
    let mut lines = Vec::new();
    for a in 0..6 {
        let name = if a == 0 { "evil\\u001b]0;pwned\\u0007\\u001b[2J".to_string() } else { format!("acct{a}") };
        lines.push(format!(r#"{{"account_id":"{a}","account":{{"screen_name":"{name}"}}}}"#));
        for p in 0..12u64 {
            let t = 1_577_836_800_000u64 + p * 3_600_000 + a * 1000;
            lines.push(format!(
                r#"{{"account_id":"{a}","post_id":"{}","time_ms":{t},"kind":"retweet","ref_post":"{}","text":"RT \u001b[31mred"}}"#,
                1000 + a * 100 + p,
                90 + p
            ));
        }
    }
    lines.push(r#"{"account_id":"bad\u0000id","post_id":"7","time":"2020-01-01T00:00:00Z","text":"x"}"#.into());
    std::fs::write(&input, lines.join("\n")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&ok(&cibscan(&["ingest", s(&input), "--json"]))).unwrap();
    assert_eq!(v["skipped"]["bad_id"], 1, "{v}");
    let run = tmp.path().join("run");
    ok(&cibscan(&["detect", s(&input), "--out", s(&run)]));
    let out = ok(&cibscan(&["explain", "0", "--run", s(&run)]));
    assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out:?}");
    assert!(out.contains("\\u{1b}"), "{out}");

    // accounts.csv replaced by a folder: the OS error is said once, after the file's name.
    std::fs::remove_file(run.join("accounts.csv")).unwrap();
    std::fs::create_dir(run.join("accounts.csv")).unwrap();
    let e = err(&cibscan(&["export", "takedown", "--run", s(&run)]));
    assert!(e.contains("accounts.csv"), "{e}");
    let cause = e.rsplit(": ").next().unwrap().trim();
    assert_eq!(e.matches(cause).count(), 1, "{e}");
}

/// The same rows repeated (a file concatenated with itself, over and over) are stored once:
/// memory follows the distinct posts, and the repeats are reported.
#[test]
fn repeated_rows_are_stored_once() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("repeated.csv");
    let mut text = String::from(TWEETS_HEADER);
    for _ in 0..2000 {
        for p in 0..5 {
            text.push_str(&format!("{},42,a,5,2020-01-01 00:0{p},hello {p}\n", 1000 + p));
        }
    }
    std::fs::write(&path, text).unwrap();
    let v: serde_json::Value = serde_json::from_str(&ok(&cibscan(&["ingest", s(&path), "--json"]))).unwrap();
    assert_eq!((v["posts"].as_u64(), v["duplicate_posts"].as_u64()), (Some(5), Some(9995)), "{v}");
}
