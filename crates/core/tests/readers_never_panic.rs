//! Property tests: whatever bytes a CSV or JSON-lines input holds, the readers return a
//! dataset or an error, never panic, and account for every record they were given.

use cibscan_core::ingest::{ingest_bytes, IngestOptions};
use proptest::prelude::*;

const ARCHIVE_HEADER: &str = "\"tweetid\",\"userid\",\"user_display_name\",\"user_screen_name\",\"user_reported_location\",\"user_profile_description\",\"user_profile_url\",\"follower_count\",\"following_count\",\"account_creation_date\",\"account_language\",\"tweet_language\",\"tweet_text\",\"tweet_time\",\"tweet_client_name\",\"in_reply_to_userid\",\"in_reply_to_tweetid\",\"quoted_tweet_tweetid\",\"is_retweet\",\"retweet_userid\",\"retweet_tweetid\",\"latitude\",\"longitude\",\"quote_count\",\"reply_count\",\"like_count\",\"retweet_count\",\"hashtags\",\"urls\",\"user_mentions\",\"poll_choices\"\n";
const GOOD_ROW: &str = "\"1229000000000000001\",\"42\",\"n\",\"s\",\"\",\"\",\"\",\"1\",\"2\",\"2020-01-01\",\"en\",\"en\",\"hi\",\"2020-02-16 10:00\",\"Web\",\"\",\"\",\"\",\"false\",\"\",\"\",\"absent\",\"absent\",\"0\",\"0\",\"0\",\"0\",\"[a]\",\"[]\",\"[]\",\"\"\n";
const IRA_HEADER: &str =
    "author_id,content,region,language,publish_date,harvested_date,following,followers,updates,post_type,retweet\n";

fn opts() -> IngestOptions {
    IngestOptions { max_errors: u64::MAX, ..Default::default() }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn archive_reader_survives_any_body(body in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let mut bytes = ARCHIVE_HEADER.as_bytes().to_vec();
        bytes.extend_from_slice(&body);
        let _ = ingest_bytes("fuzz.csv", &bytes, &opts());
    }

    #[test]
    fn ira_reader_survives_any_body(body in "(?s).{0,600}") {
        let text = format!("{IRA_HEADER}{body}");
        let _ = ingest_bytes("fuzz.csv", text.as_bytes(), &opts());
    }

    #[test]
    fn json_reader_survives_any_line(body in "\\{(?s).{0,300}") {
        let _ = ingest_bytes("fuzz.jsonl", body.as_bytes(), &opts());
    }

    /// Good rows around one damaged row: every good row is read, the bad one is counted.
    #[test]
    fn good_rows_survive_a_bad_neighbour(n_before in 0usize..5, n_after in 0usize..5, junk in "[a-z,;|]{1,40}") {
        let mut text = String::from(ARCHIVE_HEADER);
        // Distinct post ids: the same post read twice is counted once.
        let row = |i: usize| GOOD_ROW.replacen("1229000000000000001", &(1229000000000000001u64 + i as u64).to_string(), 1);
        for i in 0..n_before { text.push_str(&row(i)); }
        text.push_str(&junk);
        text.push('\n');
        for i in 0..n_after { text.push_str(&row(10 + i)); }
        let (data, stats) = ingest_bytes("mixed.csv", text.as_bytes(), &opts()).unwrap();
        prop_assert_eq!(data.posts.len(), n_before + n_after);
        prop_assert_eq!(stats.skipped_total(), 1);
    }
}

/// A small valid dataset file, damaged at will below.
fn dataset_file() -> Vec<u8> {
    use cibscan_core::model::{PostRecord, ProfileRecord};
    let mut d = cibscan_core::Dataset::new();
    for i in 0..20u64 {
        let key = format!("u{i}");
        let a = d.set_profile(&key, &ProfileRecord { screen_name: &key, ..Default::default() }, true);
        let text = format!("post {i} #tag");
        d.push_post(
            a,
            &PostRecord { id: 100 + i, time_ms: 1_577_836_800_000 + i as i64, text: &text, ..Default::default() },
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.parquet");
    cibscan_core::ingest::columnar::write_parquet(&d, &path).unwrap();
    std::fs::read(path).unwrap()
}

fn ingest_file(name: &str, bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let _ = cibscan_core::ingest(&[path], &opts(), &cibscan_core::progress::NoProgress);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A dataset file with bytes overwritten or cut short: an error, never a panic.
    #[test]
    fn damaged_parquet_is_an_error(cut in 0usize..100, flips in proptest::collection::vec((0usize..100, any::<u8>()), 0..8)) {
        let mut bytes = dataset_file();
        let n = bytes.len();
        for (at, b) in flips {
            bytes[at * (n - 1) / 99] = b;
        }
        if cut < 50 {
            bytes.truncate(n * cut / 50);
        }
        ingest_file("d.parquet", &bytes);
    }

    /// Any text as a configuration file: a value or an error.
    #[test]
    fn any_config_text_is_a_config_or_an_error(text in "(?s).{0,300}", key in "[a-z_.]{1,30}", value in "[-0-9.a-z\"]{0,12}") {
        let _ = cibscan_core::run::config::DetectConfig::from_toml_str(&text);
        let _ = cibscan_core::run::config::DetectConfig::from_toml_str(&format!("[detect]\n{key} = {value}\n"));
        let _ = cibscan_core::run::config::DetectConfig::from_toml_str(&format!("[signals.{key}]\nwindow_seconds = {value}\n"));
    }

    /// Any bytes as a run's manifest: an error naming run.json, never a panic.
    #[test]
    fn any_manifest_is_a_run_or_a_named_error(text in "(?s).{0,400}") {
        if let Err(e) = cibscan_core::run::Manifest::parse(std::path::Path::new("x/run.json"), &text) {
            prop_assert!(e.to_string().contains("run.json"));
        }
    }
}
