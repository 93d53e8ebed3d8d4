//! Times near-duplicate clustering: `cargo run --release -p cibscan-core --example neardup_bench -- PATH...`
//! on ingested inputs, or `-- --synthetic N` on N generated posts (a quarter retweets, a
//! tenth templated with one edited word, some Chinese, words of a Zipf vocabulary), and prints
//! posts, clustered posts, clusters and seconds.
use cibscan_core::model::{PostKind, PostRecord, ProfileRecord};
use cibscan_core::signals::neardup::{cluster_ids, NearDupOptions, NO_CLUSTER};
use cibscan_core::Dataset;

fn synthetic(n: usize) -> Dataset {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let zh: Vec<char> = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外".chars().collect();
    // A Zipf vocabulary of 50,000 words of random letters, frequent words short (as in
    // English: word w is picked with weight about 1/(w+1)).
    let words: Vec<String> = (0..50_000u64)
        .map(|w| {
            let mut h = (w + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let len = 2 + ((w as f64 + 1.0).ln() * 0.8) as u64 + (h >> 62);
            (0..len)
                .map(|_| {
                    h = h.rotate_left(7).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                    (b'a' + ((h >> 32) % 26) as u8) as char
                })
                .collect()
        })
        .collect();
    let word =
        |r: u64| &words[((words.len() as f64).powf((r % 1_000_000) as f64 / 1e6) as usize - 1).min(words.len() - 1)];
    let templates: Vec<String> =
        (0..20_000).map(|_| (0..20).map(|_| word(rnd()).as_str()).collect::<Vec<_>>().join(" ")).collect();
    let mut d = Dataset::new();
    let accounts: Vec<u32> =
        (0..n / 20 + 1).map(|a| d.set_profile(&format!("u{a}"), &ProfileRecord::default(), false)).collect();
    let mut text = String::new();
    for i in 0..n {
        let r = rnd();
        text.clear();
        let kind = if r % 4 == 0 { PostKind::Retweet } else { PostKind::Original };
        match (r >> 8) % 20 {
            0 | 1 => {
                let t = &templates[(rnd() % templates.len() as u64) as usize];
                let cut = (rnd() % 19) as usize;
                for (j, w) in t.split(' ').enumerate() {
                    text.push_str(if j == cut { word(rnd()) } else { w });
                    text.push(' ');
                }
            }
            2 => (0..40).for_each(|_| text.push(zh[(rnd() % zh.len() as u64) as usize])),
            _ => {
                for _ in 0..8 + rnd() % 22 {
                    text.push_str(word(rnd()));
                    text.push(' ');
                }
            }
        }
        let a = accounts[(rnd() % accounts.len() as u64) as usize];
        d.push_post(
            a,
            &PostRecord { id: i as u64 + 1, time_ms: i as i64 * 1000, kind, text: &text, ..Default::default() },
        );
    }
    d
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let t = std::time::Instant::now();
    let data = if args.first().map(String::as_str) == Some("--synthetic") {
        synthetic(args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1_000_000))
    } else {
        let paths: Vec<std::path::PathBuf> = args.iter().map(Into::into).collect();
        cibscan_core::ingest(&paths, &Default::default(), &cibscan_core::progress::NoProgress).expect("ingest").0
    };
    let originals: Vec<usize> = (0..data.posts.len()).filter(|&i| data.posts.kind[i] != PostKind::Retweet).collect();
    let bytes: usize = originals.iter().map(|&i| data.posts.text.get(i).len()).sum();
    eprintln!(
        "loaded {} posts ({} not retweets, {:.0} bytes of text on average) in {:.2}s",
        data.posts.len(),
        originals.len(),
        bytes as f64 / originals.len().max(1) as f64,
        t.elapsed().as_secs_f64()
    );
    // HASHES and BANDS override the defaults; RUNS repeats the timing (default 2); SHOW=N
    // prints the N largest clusters (a few of their distinct texts) instead.
    let env = |k: &str, d: usize| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
    let d = NearDupOptions::default();
    let opts = NearDupOptions { hashes: env("HASHES", d.hashes), bands: env("BANDS", d.bands), ..d };
    let show = env("SHOW", 0);
    for _ in 0..if show > 0 { 1 } else { env("RUNS", 2) } {
        let t = std::time::Instant::now();
        let ids = cluster_ids(&data, &opts, rayon::current_num_threads());
        let secs = t.elapsed().as_secs_f64();
        let mut clusters: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
        for (r, &c) in ids.iter().enumerate().filter(|x| *x.1 != NO_CLUSTER) {
            clusters.entry(c).or_default().push(r);
        }
        let largest = clusters.values().map(Vec::len).max().unwrap_or(0);
        println!(
            "posts {} clustered {} clusters {} (largest {largest}): {secs:.2}s ({:.2}s per million posts)",
            data.posts.len(),
            clusters.values().map(Vec::len).sum::<usize>(),
            clusters.len(),
            secs / data.posts.len().max(1) as f64 * 1e6
        );
        let mut by_size: Vec<&Vec<usize>> = clusters.values().collect();
        by_size.sort_by_key(|m| std::cmp::Reverse(m.len()));
        for m in by_size.into_iter().take(show) {
            let mut texts: Vec<&str> = m.iter().map(|&r| data.posts.text.get(r)).collect();
            texts.sort_unstable();
            texts.dedup();
            println!("--- {} posts, {} distinct texts", m.len(), texts.len());
            texts.iter().take(8).for_each(|t| println!("  {t}"));
        }
    }
}
