//! `cibscan ingest` end to end: every input variant of PRODUCT.md §2 from fixtures the repo
//! owns, compression, the Parquet round trip, broken files, and the real sample data.

use assert_cmd::Command;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// The real sample data beside the repository, if present. Absent, the test says so on the
/// terminal (past the test harness's capture), so that a skip never passes silently.
fn shared_data(test: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if !p.exists() {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "SKIPPED {test}: ../shared/data is not present");
    }
    p.exists().then_some(p)
}

fn cibscan() -> Command {
    Command::cargo_bin("cibscan").unwrap()
}

/// Runs `cibscan ingest --json ARGS` and returns the summary; panics with stderr on failure.
fn summary(args: &[&std::ffi::OsStr]) -> Value {
    let out = cibscan().arg("--quiet").arg("ingest").arg("--json").args(args).output().unwrap();
    assert!(out.status.success(), "ingest failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn summary_of(path: &Path) -> Value {
    summary(&[path.as_os_str()])
}

#[test]
fn archive_users_and_tweets_in_both_column_orders() {
    let s = summary_of(&fixtures().join("archive"));
    // 33 Qatar users (22 hashed) + 2 hashed accounts of the 2018 excerpt + 2 of the 2020 demo.
    assert_eq!(s["accounts"], 37);
    assert_eq!(s["hashed_accounts"], 25);
    assert_eq!(s["posts"], 6);
    assert_eq!((s["originals"].as_u64(), s["retweets"].as_u64()), (Some(2), Some(2)));
    assert_eq!((s["replies"].as_u64(), s["quotes"].as_u64()), (Some(1), Some(1)));
    // Snowflake ids give seconds that the minute-precision tweet_time lacks.
    assert_eq!(s["first_post"], "2014-07-24T19:20:04Z");
    assert_eq!(s["last_post"], "2020-03-10T10:30:59Z");
    assert_eq!(s["languages"]["zh"], 2);
    assert_eq!(s["skipped"], serde_json::json!({}));
}

#[test]
fn ira_original_layout_never_merges_handles_with_a_damaged_id() {
    let s = summary_of(&fixtures().join("ira538"));
    // TEN_GOP and PAMELA_MOORE13 share external_author_id 906000000000000000.
    assert_eq!(s["accounts"], 3);
    assert_eq!(s["posts"], 4);
    assert_eq!(s["retweets"], 1);
    assert_eq!(s["quotes"], 1);
    assert_eq!(s["replies"], 1);
    assert_eq!(s["first_post"], "2016-01-15T14:00:00Z");
}

#[test]
fn ira_by_author_layout_with_authors_file() {
    let s = summary_of(&fixtures().join("ira-by-author"));
    assert_eq!(s["accounts"], 3);
    assert_eq!(s["posts"], 45);
    assert_eq!(s["retweets"], 31);
    assert_eq!(s["languages"]["Russian"], 26);
}

#[test]
fn json_lines_cibscan_v1_and_v2() {
    let dir = fixtures().join("jsonl");
    let c = summary_of(&dir.join("cibscan.jsonl"));
    assert_eq!((c["accounts"].as_u64(), c["posts"].as_u64()), (Some(2), Some(3)));
    assert_eq!((c["retweets"].as_u64(), c["replies"].as_u64()), (Some(1), Some(1)));
    let v1 = summary_of(&dir.join("twitter_v1.jsonl"));
    assert_eq!((v1["accounts"].as_u64(), v1["posts"].as_u64(), v1["retweets"].as_u64()), (Some(2), Some(3), Some(1)));
    assert_eq!(v1["first_post"], "2018-10-10T20:19:24Z");
    let v2 = summary_of(&dir.join("twitter_v2_page.jsonl"));
    assert_eq!((v2["accounts"].as_u64(), v2["posts"].as_u64()), (Some(2), Some(3)));
    assert_eq!((v2["retweets"].as_u64(), v2["quotes"].as_u64()), (Some(1), Some(1)));
}

#[test]
fn gzip_and_zstd_read_like_plain() {
    let src = fixtures().join("archive/demo_2020_tweets_csv_hashed.csv");
    let raw = std::fs::read(&src).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("demo_tweets.csv.gz");
    let mut enc = flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), Default::default());
    enc.write_all(&raw).unwrap();
    enc.finish().unwrap();
    let zst = dir.path().join("demo_tweets.csv.zst");
    std::fs::write(&zst, zstd::encode_all(&raw[..], 3).unwrap()).unwrap();
    let plain = summary_of(&src);
    assert_eq!(summary_of(&gz), plain);
    assert_eq!(summary_of(&zst), plain);
}

#[test]
fn parquet_dataset_round_trip_keeps_every_count() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("all.parquet");
    let all = [fixtures().join("archive"), fixtures().join("ira-by-author"), fixtures().join("jsonl")];
    let mut args: Vec<&std::ffi::OsStr> = all.iter().map(|p| p.as_os_str()).collect();
    args.push("--out".as_ref());
    args.push(out.as_os_str());
    let first = summary(&args);
    let mut back = summary_of(&out);
    // Files differ (one Parquet file instead of many); everything else must match.
    back["files"] = first["files"].clone();
    assert_eq!(back, first);
    // Forcing the wrong family is an error that names the file.
    let o = cibscan().args(["-q", "ingest", "--format", "ira"]).arg(&out).output().unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("all.parquet"));
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

const HEADER: &str = "\"tweetid\",\"userid\",\"user_screen_name\",\"tweet_text\",\"tweet_time\",\"is_retweet\",\"hashtags\",\"like_count\"\n";
fn row(id: u64, text: &str) -> String {
    format!("\"{id}\",\"42\",\"alice\",\"{text}\",\"2020-02-16 10:00\",\"false\",\"[a, b]\",\"1.0\"\n")
}

/// Runs ingest on a broken file; returns (success, summary if any, stderr).
fn broken(path: &Path, extra: &[&str]) -> (bool, Option<Value>, String) {
    let out = cibscan().arg("ingest").arg("--json").args(extra).arg(path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    (out.status.success(), serde_json::from_slice(&out.stdout).ok(), stderr)
}

#[test]
fn broken_files_give_file_line_reason_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    // Garbage lines between good rows.
    let text = format!(
        "{HEADER}{}garbage line\n{}\"x\",\"42\",\"a\",\"t\",\"2020-02-16 10:00\",\"false\",\"[]\",\"0\"\n{}",
        row(1, "a"),
        row(2, "b"),
        row(3, "c")
    );
    let (ok, s, err) = broken(&write(d, "garbage.csv", text.as_bytes()), &[]);
    assert!(ok, "{err}");
    let s = s.unwrap();
    assert_eq!(s["posts"], 3);
    assert_eq!(s["skipped"], serde_json::json!({"wrong_field_count": 1, "bad_id": 1}));
    assert!(err.contains("garbage.csv:3: record 2: wrong_field_count"), "{err}");
    assert!(err.contains("garbage.csv:5: record 4: bad_id"), "{err}");

    // Wrong encoding: Latin-1 bytes in one record.
    let mut bytes = format!("{HEADER}{}", row(1, "a")).into_bytes();
    bytes.extend_from_slice(&row(2, "caf\u{e9}").replace('\u{e9}', "\u{1}").into_bytes());
    let pos = bytes.iter().rposition(|&b| b == 1).unwrap();
    bytes[pos] = 0xe9;
    let (ok, s, err) = broken(&write(d, "latin1.csv", &bytes), &[]);
    assert!(ok);
    assert_eq!(s.unwrap()["skipped"]["invalid_utf8"], 1);
    assert!(err.contains("latin1.csv:3: record 2: invalid_utf8: invalid UTF-8 at byte 3 of a field"), "{err}");

    // UTF-16 is refused as a whole, with a hint.
    let (ok, _, err) = broken(&write(d, "utf16.csv", &[0xff, 0xfe, b't', 0]), &[]);
    assert!(!ok);
    assert!(err.contains("utf16.csv") && err.contains("UTF-16"), "{err}");

    // Unbalanced quote: the quoted field runs into the next line, which becomes part of one
    // damaged record (reported with the lines it spans); the reader resynchronises after it.
    let text = format!("{HEADER}{}\"3\",\"42\",\"alice\",\"oops\n{}{}", row(1, "a"), row(2, "b"), row(4, "d"));
    let (ok, s, err) = broken(&write(d, "quote.csv", text.as_bytes()), &[]);
    assert!(ok);
    let s = s.unwrap();
    assert_eq!(s["posts"], 2);
    assert_eq!(s["skipped"], serde_json::json!({"wrong_field_count": 1}));
    assert!(err.contains("quote.csv:3: record 2") && err.contains("spans lines 3-5: an unbalanced quote"), "{err}");

    // Truncated mid-record.
    let full = format!("{HEADER}{}{}", row(1, "a"), row(2, "b"));
    let (ok, s, err) = broken(&write(d, "cut.csv", &full.as_bytes()[..full.len() - 25]), &[]);
    assert!(ok);
    assert_eq!(s.unwrap()["posts"], 1);
    assert!(err.contains("cut.csv:3: record 2: truncated"), "{err}");

    // Truncated gzip stream.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), Default::default());
    for i in 0..2000 {
        enc.write_all(if i == 0 { HEADER.as_bytes() } else { b"" }).unwrap();
        enc.write_all(row(i + 1, "some text to compress").as_bytes()).unwrap();
    }
    let gz = enc.finish().unwrap();
    let (ok, s, err) = broken(&write(d, "cut.csv.gz", &gz[..gz.len() / 2]), &[]);
    assert!(ok, "{err}");
    let s = s.unwrap();
    assert!(s["posts"].as_u64().unwrap() > 100 && s["posts"].as_u64().unwrap() < 2000);
    assert_eq!(s["skipped"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum::<u64>(), 1, "{s}");
    assert!(err.contains("cut.csv.gz"), "{err}");

    // --max-errors: more bad records than allowed stops the run with a non-zero exit.
    let text = format!("{HEADER}{}bad\nbad\nbad\n", row(1, "a"));
    let (ok, _, err) = broken(&write(d, "many.csv", text.as_bytes()), &["--max-errors", "2"]);
    assert!(!ok);
    assert!(err.contains("too many bad records (3 > --max-errors 2)") && err.contains("many.csv:5"), "{err}");

    // A header of no known layout names the file and what was expected.
    let (ok, _, err) = broken(&write(d, "other.csv", b"a,b,c\n1,2,3\n"), &[]);
    assert!(!ok);
    assert!(err.contains("other.csv") && err.contains("matches no known layout"), "{err}");

    // A missing input is an error, not an empty run.
    let (ok, _, err) = broken(&d.join("nope.csv"), &[]);
    assert!(!ok);
    assert!(err.contains("nope.csv: no such file"), "{err}");
}

#[test]
fn real_ira_sample_reads_completely() {
    let Some(data) = shared_data("real_ira_sample_reads_completely") else { return };
    let s = summary_of(&data.join("ira-sample"));
    assert_eq!(s["accounts"], 270);
    assert_eq!(s["posts"], 237_274);
    assert_eq!(s["retweets"], 108_351);
    assert_eq!(s["quotes"], 2_526);
    assert_eq!(s["skipped"], serde_json::json!({}));
    assert_eq!(s["languages"]["English"], 169_193);
}

#[test]
fn real_archive_users_files_read_completely() {
    let Some(data) = shared_data("real_archive_users_files_read_completely") else { return };
    let dir = data.join("io-archive-users");
    let expect = [("cuba", 526, 490), ("ira", 5, 5), ("iran", 104, 104), ("qatar", 33, 22), ("thailand", 926, 926)];
    for (campaign, accounts, hashed) in expect {
        let name = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_str().unwrap().starts_with(&format!("{campaign}_")))
            .unwrap();
        let s = summary_of(&name);
        assert_eq!(
            (s["accounts"].as_u64(), s["hashed_accounts"].as_u64()),
            (Some(accounts), Some(hashed)),
            "{campaign}"
        );
        assert_eq!(s["skipped"], serde_json::json!({}), "{campaign}");
    }
}
