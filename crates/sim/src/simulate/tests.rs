//! Tests of the scenario generator. They run small scales (0.05-0.3) to stay quick.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use super::*;

fn run(seed: u64, scale: f64, dir: &Path) -> SimulateSummary {
    let opts = SimulateOptions { seed, scale, out: dir.to_path_buf(), scenario: Scenario::default() };
    simulate(&opts, &mut |_, _| {}).expect("simulate")
}

/// Rows of a CSV file as maps from header name to value.
fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers: Vec<String> = r.headers().expect("headers").iter().map(|s| s.to_string()).collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            assert_eq!(rec.len(), headers.len(), "{}: ragged record", path.display());
            headers.iter().cloned().zip(rec.iter().map(|s| s.to_string())).collect()
        })
        .collect()
}

/// Whether every field of a CSV document starts with a double quote.
fn all_fields_quoted(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        // At the start of a field.
        if bytes[i] != b'"' {
            return false;
        }
        i += 1;
        loop {
            match bytes.get(i) {
                None => return false,
                Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                Some(b'"') => {
                    i += 1;
                    break;
                }
                Some(_) => i += 1,
            }
        }
        match bytes.get(i) {
            Some(b',') | Some(b'\n') => i += 1,
            None => return true,
            _ => return false,
        }
    }
    true
}

fn ms_of(id: &str) -> i64 {
    time::snowflake_ms(id.parse::<u64>().expect("numeric tweet id"))
}

fn minute_of(ms: i64) -> String {
    let mut v = Vec::new();
    time::push_minute(&mut v, ms);
    String::from_utf8(v).expect("ascii")
}

fn files_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("prefix").to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

#[test]
fn same_seed_gives_identical_files_and_another_seed_differs() {
    let (a, b, c) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sa = run(7, 0.1, a.path());
    let sb = run(7, 0.1, b.path());
    let sc = run(8, 0.1, c.path());
    let (fa, fb, fc) = (files_of(a.path()), files_of(b.path()), files_of(c.path()));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (k, v) in &fa {
        assert!(v == &fb[k], "{k} differs between two runs with the same seed");
    }
    assert_eq!(sa.posts, sb.posts);
    assert_ne!(fa["platform/sim_tweets_csv_unhashed.csv"], fc["platform/sim_tweets_csv_unhashed.csv"]);
    assert_ne!(fa["truth.csv"], fc["truth.csv"]);
    assert!(sc.posts > 0);
    let mut files: Vec<&String> = fa.keys().collect();
    files.sort();
    let mut listed: Vec<&String> = sa.files.iter().collect();
    listed.sort();
    assert_eq!(files, listed, "the summary lists exactly the files written");
}

#[test]
fn generated_slice_is_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let mut calls = Vec::new();
    let opts = SimulateOptions { seed: 11, scale: 0.25, out: dir.path().to_path_buf(), scenario: Scenario::default() };
    let summary = simulate(&opts, &mut |w, p| calls.push((w, p))).unwrap();
    let last = *calls.last().expect("progress is reported");
    assert_eq!(last.0, last.1, "the last progress call is complete");
    assert!(summary.to_string().contains("simulated"));

    let root = dir.path();
    let tweets_path = root.join("platform/sim_tweets_csv_unhashed.csv");
    let users_path = root.join("platform/sim_users_csv_unhashed.csv");
    let raw_tweets = std::fs::read(&tweets_path).unwrap();
    let raw_users = std::fs::read(&users_path).unwrap();
    assert!(raw_tweets.starts_with(engine::HEADER_2020.as_bytes()));
    assert!(raw_users.starts_with(engine::USERS_HEADER.as_bytes()));
    assert!(all_fields_quoted(&raw_tweets), "every tweets field is double-quoted");
    assert!(all_fields_quoted(&raw_users), "every users field is double-quoted");

    let users = read_csv(&users_path);
    let truth = read_csv(&root.join("truth.csv"));
    let tweets = read_csv(&tweets_path);
    assert_eq!(users.len() as u64, summary.accounts);
    assert_eq!(tweets.len() as u64, summary.posts);
    assert!(summary.posts > 15_000 && summary.posts < 40_000, "about 25,000 posts at scale 0.25: {}", summary.posts);

    // truth.csv has one row per account of the users file, in the same order.
    assert_eq!(users.len(), truth.len());
    for (u, t) in users.iter().zip(&truth) {
        assert_eq!(u["userid"], t["userid"]);
        let kind = t["kind"].as_str();
        assert!(["organic", "journalist", "ngo", "fan", "newsbot", "operation"].contains(&kind), "{kind}");
        if kind == "operation" {
            assert!(summary.operations.contains(&t["operation"]));
            assert!(t["role"] == "core" || t["role"] == "amplifier");
        } else {
            assert!(t["operation"].is_empty() && t["role"].is_empty());
        }
        let d = &u["account_creation_date"];
        assert!(time::parse_date(d).is_some(), "creation date {d}");
    }
    let user_ids: BTreeSet<&str> = users.iter().map(|u| u["userid"].as_str()).collect();
    assert_eq!(user_ids.len(), users.len(), "userids are unique");
    let screen_of: HashMap<&str, &str> =
        users.iter().map(|u| (u["userid"].as_str(), u["user_screen_name"].as_str())).collect();
    let kind_of: HashMap<&str, &HashMap<String, String>> = truth.iter().map(|t| (t["userid"].as_str(), t)).collect();

    // Tweets: authors exist, ids are Snowflakes matching tweet_time, references exist and precede.
    let mut by_id: HashMap<&str, (i64, &str)> = HashMap::new();
    for t in &tweets {
        assert!(user_ids.contains(t["userid"].as_str()), "tweet by unknown user {}", t["userid"]);
        let ms = ms_of(&t["tweetid"]);
        assert_eq!(minute_of(ms), t["tweet_time"], "snowflake time of {}", t["tweetid"]);
        assert!(by_id.insert(t["tweetid"].as_str(), (ms, t["userid"].as_str())).is_none(), "duplicate tweet id");
        for col in ["hashtags", "urls", "user_mentions"] {
            let v = &t[col];
            assert!(v.starts_with('[') && v.ends_with(']'), "{col} = {v}");
        }
        assert!(t["is_retweet"] == "true" || t["is_retweet"] == "false");
        for col in ["quote_count", "reply_count", "like_count", "retweet_count"] {
            t[col].parse::<u64>().unwrap_or_else(|_| panic!("{col} = {}", t[col]));
        }
    }
    let (mut retweets, mut replies, mut quotes) = (0, 0, 0);
    for t in &tweets {
        let ms = ms_of(&t["tweetid"]);
        for col in ["retweet_tweetid", "in_reply_to_tweetid", "quoted_tweet_tweetid"] {
            if t[col].is_empty() {
                continue;
            }
            let (pms, author) =
                by_id.get(t[col].as_str()).unwrap_or_else(|| panic!("{col} {} is not in the file", t[col]));
            assert!(*pms < ms, "{col} {} does not precede {}", t[col], t["tweetid"]);
            match col {
                "retweet_tweetid" => {
                    retweets += 1;
                    assert_eq!(t["is_retweet"], "true");
                    assert_eq!(t["retweet_userid"], *author);
                    let prefix = format!("RT @{}: ", screen_of[author]);
                    assert!(t["tweet_text"].starts_with(&prefix), "{} does not start with {prefix}", t["tweet_text"]);
                    assert!(t["user_mentions"].starts_with(&format!("[{author}")));
                }
                "in_reply_to_tweetid" => {
                    replies += 1;
                    assert_eq!(t["in_reply_to_userid"], *author);
                }
                _ => quotes += 1,
            }
        }
        if t["is_retweet"] == "true" {
            assert!(!t["retweet_tweetid"].is_empty());
        }
    }
    assert!(retweets > 3000 && replies > 500 && quotes > 100, "{retweets} {replies} {quotes}");

    // Languages and scripts.
    let langs: BTreeSet<&str> = tweets.iter().map(|t| t["tweet_language"].as_str()).collect();
    for l in ["en", "es", "zh", "ru", "ar", "fr"] {
        assert!(langs.contains(l), "no {l} posts");
    }
    let has = |f: &dyn Fn(char) -> bool| tweets.iter().any(|t| t["tweet_text"].chars().any(f));
    assert!(has(&|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "Chinese script");
    assert!(has(&|c| ('\u{0400}'..='\u{04ff}').contains(&c)), "Cyrillic script");
    assert!(has(&|c| ('\u{0600}'..='\u{06ff}').contains(&c)), "Arabic script");

    // Heavy-tailed activity of ordinary accounts.
    let mut per_acct: HashMap<&str, u64> = HashMap::new();
    for t in &tweets {
        *per_acct.entry(t["userid"].as_str()).or_default() += 1;
    }
    let mut organic: Vec<u64> =
        truth.iter().filter(|t| t["kind"] == "organic").map(|t| per_acct[t["userid"].as_str()]).collect();
    organic.sort_unstable();
    let median = organic[organic.len() / 2];
    assert!(median <= 3, "most ordinary accounts post rarely (median {median})");
    assert!(*organic.last().unwrap() >= 20 * median, "a few post a lot");

    // Operations: enough accounts, office hours in Beijing, dormancy, creation waves,
    // almost no outside retweets.
    let ops: BTreeMap<&str, usize> =
        truth.iter().filter(|t| t["kind"] == "operation").fold(BTreeMap::new(), |mut m, t| {
            *m.entry(t["operation"].as_str()).or_default() += 1;
            m
        });
    assert_eq!(ops.len(), 2, "{ops:?}");
    let (mut in_hours, mut core_posts, mut dormant_posts) = (0, 0, 0);
    let dormant = (time::parse_date("2019-11-25").unwrap(), time::parse_date("2020-01-19").unwrap());
    for t in &tweets {
        let k = kind_of[t["userid"].as_str()];
        if k["operation"] != "spamouflage" {
            continue;
        }
        let ms = ms_of(&t["tweetid"]);
        let day = ms.div_euclid(time::MS_PER_DAY);
        if t["is_retweet"] == "false" && k["role"] == "core" && t["in_reply_to_tweetid"].is_empty() {
            core_posts += 1;
            let local_hour = ((ms + 8 * 3_600_000).rem_euclid(time::MS_PER_DAY)) / 3_600_000;
            if (9..18).contains(&local_hour) {
                in_hours += 1;
            }
            if day >= dormant.0 && day <= dormant.1 {
                dormant_posts += 1;
            }
        }
    }
    assert!(core_posts > 100);
    // During dormancy, only a residual trickle (3 % of the level by default) over 56 days of
    // a ~460-day slice.
    assert!(
        (dormant_posts as f64) < 0.02 * core_posts as f64,
        "{dormant_posts} of {core_posts} core posts while dormant"
    );
    assert!(in_hours as f64 >= 0.97 * core_posts as f64, "{in_hours} of {core_posts} core posts in office hours");
    let op_users: Vec<&HashMap<String, String>> =
        users.iter().filter(|u| kind_of[u["userid"].as_str()]["kind"] == "operation").collect();
    let mut days: HashMap<&str, usize> = HashMap::new();
    for u in &op_users {
        *days.entry(u["account_creation_date"].as_str()).or_default() += 1;
    }
    let mut counts: Vec<usize> = days.values().copied().collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    assert!(counts.iter().take(7).sum::<usize>() as f64 >= 0.8 * op_users.len() as f64, "creation waves: {counts:?}");
    let (mut inside, mut outside) = (0, 0);
    for t in &tweets {
        if t["retweet_tweetid"].is_empty() {
            continue;
        }
        let src = by_id[t["retweet_tweetid"].as_str()].1;
        if kind_of[src]["kind"] == "operation" {
            if kind_of[t["userid"].as_str()]["kind"] == "operation" {
                inside += 1;
            } else {
                outside += 1;
            }
        }
    }
    assert!(inside > 500);
    assert!((outside as f64) < 0.02 * inside as f64, "outside retweets of operation posts: {outside} vs {inside}");

    // Hard negatives: bots post identical headlines; journalists share the same stories.
    let mut headlines: HashMap<String, BTreeSet<&str>> = HashMap::new();
    for t in &tweets {
        if kind_of[t["userid"].as_str()]["kind"] == "newsbot" {
            let text = t["tweet_text"].split(" https://t.co/").next().unwrap_or("").to_string();
            headlines.entry(text).or_default().insert(t["userid"].as_str());
        }
    }
    assert!(headlines.values().filter(|s| s.len() >= 2).count() > 50, "syndicated headlines");
    let mut story_sharers: HashMap<String, BTreeSet<&str>> = HashMap::new();
    for t in &tweets {
        if kind_of[t["userid"].as_str()]["kind"] == "journalist" {
            for u in t["urls"].trim_matches(|c| c == '[' || c == ']').split(", ").filter(|u| !u.is_empty()) {
                let canon = u
                    .split(['?', '#'])
                    .next()
                    .unwrap_or(u)
                    .replace("http://", "https://")
                    .replace("https://www.", "https://");
                story_sharers.entry(canon).or_default().insert(t["userid"].as_str());
            }
        }
    }
    assert!(story_sharers.values().filter(|s| s.len() >= 3).count() > 30, "journalists share the same stories");

    // Earlier takedowns: hashed accounts, and the same actor's reused accounts.
    let mut reused = 0;
    for p in &summary.priors {
        let d = root.join("priors").join(&p.name);
        let pu = read_csv(&d.join(format!("{}_users_csv_hashed.csv", p.name)));
        let pt = read_csv(&d.join(format!("{}_tweets_csv_hashed.csv", p.name)));
        assert!(!pu.is_empty() && !pt.is_empty());
        let ids: BTreeSet<&str> = pu.iter().map(|u| u["userid"].as_str()).collect();
        for u in &pu {
            let followers: u64 = u["follower_count"].parse().unwrap();
            if followers < 5000 {
                let h = &u["userid"];
                assert!(h.len() == 44 && h.ends_with('='), "hash {h}");
                assert_eq!(&u["user_screen_name"], h);
                assert_eq!(&u["user_display_name"], h);
            } else if user_ids.contains(u["userid"].as_str()) {
                reused += 1;
                assert_eq!(screen_of[u["userid"].as_str()], u["user_screen_name"]);
                assert_eq!(kind_of[u["userid"].as_str()]["operation"], p.same_actor_as);
            }
        }
        for t in &pt {
            assert!(ids.contains(t["userid"].as_str()));
            assert!(t["tweet_time"] < format!("{} 00:00", Scenario::default().start));
        }
    }
    assert!(reused >= 3, "accounts reused by the later network: {reused}");

    // The third-party list mixes operation accounts with journalists, NGOs and unknown accounts.
    let list = read_csv(&root.join("third_party_list.csv"));
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &list {
        let k = kind_of.get(r["userid"].as_str()).map(|t| t["kind"].as_str()).unwrap_or("missing");
        *kinds.entry(k).or_default() += 1;
        if k != "missing" {
            assert_eq!(screen_of[r["userid"].as_str()], r["screen_name"]);
        }
    }
    for k in ["operation", "journalist", "ngo", "missing"] {
        assert!(kinds.get(k).copied().unwrap_or(0) > 0, "{k} on the list: {kinds:?}");
    }

    // The effective scenario parses back.
    let doc = std::fs::read_to_string(root.join("scenario.toml")).unwrap();
    assert!(doc.contains("# seed = 11") && doc.contains("# scale = 0.25"));
    assert_eq!(Scenario::from_toml_str(&doc).unwrap(), Scenario::default());
}

#[test]
fn default_toml_round_trips_and_documents_every_key() {
    let doc = Scenario::default_toml();
    let parsed = Scenario::from_toml_str(&doc).expect("the defaults parse");
    assert_eq!(parsed, Scenario::default());
    scenario::all_keys_commented(&doc).unwrap();
    for line in doc.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#') && !l.starts_with('[')) {
        assert!(line.contains('='), "{line}");
    }
    // An empty document is the defaults.
    assert_eq!(Scenario::from_toml_str("").unwrap(), Scenario::default());
}

#[test]
fn scenario_docs_show_the_defaults() {
    let docs = include_str!("../../../../docs/SCENARIO.md");
    assert!(
        docs.contains(&Scenario::default_toml()),
        "docs/SCENARIO.md must contain Scenario::default_toml() verbatim"
    );
}

#[test]
fn unknown_keys_and_bad_values_are_errors() {
    for doc in [
        "bogus = 1",
        "[organic]\nacounts = 5",
        "[[operations]]\nname = \"x\"\ncolour = \"red\"",
        "[third_party]\nlist = 3",
    ] {
        match Scenario::from_toml_str(doc) {
            Err(SimError::Scenario(m)) => assert!(m.contains("unknown field"), "{doc}: {m}"),
            other => panic!("{doc}: expected an unknown-field error, got {other:?}"),
        }
    }
    for doc in [
        "start = \"2019-13-01\"",
        "start = \"2020-06-30\"\nend = \"2020-01-01\"",
        "[organic]\nretweet_share = 1.5",
        "[organic.languages]\nxx = 1.0",
        "[[operations]]\nname = \"a\"\nnarratives = [{ name = \"no_such\" }]",
        "[[operations]]\nname = \"a b\"",
        "[[operations]]\nname = \"a\"\namplification_delay_seconds = [100.0, 10.0]",
        "[[priors]]\nname = \"p\"\nsame_actor_as = \"missing\"",
        "[[priors]]\nname = \"../x\"",
        "posts = 0",
    ] {
        assert!(matches!(Scenario::from_toml_str(doc), Err(SimError::Scenario(_))), "{doc} should be rejected");
    }
    let partial = Scenario::from_toml_str("posts = 5000\n[organic]\naccounts = 700\n").unwrap();
    assert_eq!(partial.posts, 5000);
    assert_eq!(partial.organic.accounts, 700);
    assert_eq!(partial.organic.languages, Scenario::default().organic.languages);
}

#[test]
fn bad_scale_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    for scale in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e9] {
        let opts = SimulateOptions { seed: 1, scale, out: dir.path().join("x"), scenario: Scenario::default() };
        assert!(matches!(simulate(&opts, &mut |_, _| {}), Err(SimError::Scale(_))), "scale {scale}");
    }
    assert!(!dir.path().join("x").exists(), "nothing is written for a bad scale");
    let mut sc = Scenario::default();
    sc.organic.accounts = 9_000_000;
    let opts = SimulateOptions { seed: 1, scale: 900.0, out: dir.path().join("y"), scenario: sc };
    assert!(matches!(simulate(&opts, &mut |_, _| {}), Err(SimError::TooLarge { what: "accounts", .. })));
    let sc = Scenario { posts: 90_000_000, ..Scenario::default() };
    let opts = SimulateOptions { seed: 1, scale: 100.0, out: dir.path().join("w"), scenario: sc };
    assert!(matches!(simulate(&opts, &mut |_, _| {}), Err(SimError::TooLarge { what: "posts", .. })));
    let sc = Scenario { end: "nonsense".into(), ..Scenario::default() };
    let opts = SimulateOptions { seed: 1, scale: 0.1, out: dir.path().join("z"), scenario: sc };
    assert!(matches!(simulate(&opts, &mut |_, _| {}), Err(SimError::Scenario(_))));
}

#[test]
fn operations_have_at_least_fifty_accounts_at_scale_one() {
    let sc = Scenario::default();
    let mut reg = world::Registry::default();
    let w = world::build_main(&sc, 1.0, 3, &mut reg);
    assert_eq!(w.ops.len(), sc.operations.len());
    assert!(w.ops.len() >= 2);
    for (i, op) in w.ops.iter().enumerate() {
        let n = w.accounts.iter().filter(|a| a.op as usize == i && a.kind == world::Kind::Operation).count();
        assert!(n >= 50, "{} has {n} accounts", op.name);
        let cfg = &sc.operations[i];
        assert_eq!(n as u64, cfg.core + cfg.amplifiers);
    }
    // About 100,000 posts are planned at scale 1.
    assert!((80_000.0..130_000.0).contains(&w.plan.planned_posts), "{}", w.plan.planned_posts);
}

#[test]
fn custom_scenario_and_legacy_prior_format() {
    let doc = r#"
start = "2020-02-01"
end = "2020-03-15"
posts = 20000

[organic]
accounts = 2000

[[operations]]
name = "solo_op"
core = 10
amplifiers = 30
creation_waves = ["2020-01-10"]
reemergence_waves = []
reemergence_share = 0.0
dormancy = []
bursts = []

[[priors]]
name = "old_solo"
start = "2019-05-01"
end = "2019-06-30"
same_actor_as = "solo_op"
reused_accounts = 2
core = 8
amplifiers = 12
legacy_format = true
"#;
    let sc = Scenario::from_toml_str(doc).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let opts = SimulateOptions { seed: 5, scale: 0.5, out: dir.path().to_path_buf(), scenario: sc };
    let s = simulate(&opts, &mut |_, _| {}).unwrap();
    assert_eq!(s.operations, vec!["solo_op".to_string()]);
    assert_eq!(s.priors.len(), 1);
    let truth = read_csv(&dir.path().join("truth.csv"));
    let ops: BTreeSet<&str> =
        truth.iter().filter(|t| t["kind"] == "operation").map(|t| t["operation"].as_str()).collect();
    assert_eq!(ops, BTreeSet::from(["solo_op"]));
    let raw = std::fs::read_to_string(dir.path().join("priors/old_solo/old_solo_tweets_csv_hashed.csv")).unwrap();
    assert!(raw.starts_with(engine::HEADER_LEGACY));
    let pt = read_csv(&dir.path().join("priors/old_solo/old_solo_tweets_csv_hashed.csv"));
    assert!(pt.iter().all(|t| t["is_retweet"] == "True" || t["is_retweet"] == "False"));
    assert!(pt.iter().all(|t| t["like_count"].ends_with(".0")));
    let pu = read_csv(&dir.path().join("priors/old_solo/old_solo_users_csv_hashed.csv"));
    let hashed: Vec<&str> = pu.iter().map(|u| u["userid"].as_str()).filter(|id| id.len() == 64).collect();
    assert!(!hashed.is_empty() && hashed.iter().all(|h| h.bytes().all(|b| b.is_ascii_hexdigit())));
    let tweets = read_csv(&dir.path().join("platform/sim_tweets_csv_unhashed.csv"));
    assert!(tweets
        .iter()
        .all(|t| t["tweet_time"].as_str() >= "2020-02-01 00:00" && t["tweet_time"].as_str() <= "2020-03-15 23:59"));
}

#[test]
fn tiny_scales_and_empty_populations_work() {
    let dir = tempfile::tempdir().unwrap();
    let s = run(2, 0.001, dir.path());
    assert!(s.posts > 0 && s.accounts > 0);
    assert_eq!(s.operation_accounts.len(), 2, "{:?}", s.operation_accounts);
    // No hard negatives, an operation without amplifiers, no priors.
    let doc = r#"
posts = 3000
priors = []
[organic]
accounts = 400
[journalists]
accounts = 0
[ngos]
accounts = 0
[fans]
accounts = 0
[newsbots]
accounts = 0
[friend_clusters]
clusters = 0
[[operations]]
name = "lonely"
core = 5
amplifiers = 0
"#;
    let sc = Scenario::from_toml_str(doc).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let opts = SimulateOptions { seed: 9, scale: 1.0, out: dir.path().to_path_buf(), scenario: sc };
    let s = simulate(&opts, &mut |_, _| {}).unwrap();
    let kinds: Vec<&String> = s.accounts_by_kind.keys().collect();
    assert_eq!(kinds, ["operation", "organic"], "{s}");
    assert!(s.priors.is_empty());
}

/// Manual run and benchmark:
/// `SIM_SCALE=100 SIM_OUT=/tmp/sim cargo test -p cibscan-sim --release -- --ignored --nocapture bench_run`.
#[test]
#[ignore]
fn bench_run() {
    let scale: f64 = std::env::var("SIM_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let seed: u64 = std::env::var("SIM_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(42);
    let out = std::env::var("SIM_OUT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir().join("cibscan-sim-bench"));
    let opts = SimulateOptions { seed, scale, out: out.clone(), scenario: Scenario::default() };
    let t0 = std::time::Instant::now();
    let mut last = 0;
    let s = simulate(&opts, &mut |w, p| {
        if w - last >= 1_000_000 {
            last = w;
            eprintln!("  {w} / {p} at {:.1} s", t0.elapsed().as_secs_f64());
        }
    })
    .unwrap();
    let el = t0.elapsed().as_secs_f64();
    println!("{s}");
    let bytes: u64 = s.files.iter().map(|f| std::fs::metadata(out.join(f)).map(|m| m.len()).unwrap_or(0)).sum();
    println!(
        "{:.2} s, {:.0} posts/s, {:.1} MB written to {}",
        el,
        s.posts as f64 / el,
        bytes as f64 / 1e6,
        out.display()
    );
}
