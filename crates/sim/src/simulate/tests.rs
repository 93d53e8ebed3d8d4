use super::*;

/// Manual run and benchmark: `SIM_SCALE=100 SIM_OUT=/tmp/sim cargo test -p cibscan-sim --release -- --ignored --nocapture bench_run`.
#[test]
#[ignore]
fn bench_run() {
    let scale: f64 = std::env::var("SIM_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let seed: u64 = std::env::var("SIM_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(42);
    let out = std::env::var("SIM_OUT").map(PathBuf::from).unwrap_or_else(|_| std::env::temp_dir().join("cibscan-sim-bench"));
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
    let mut bytes = 0;
    for f in &s.files {
        bytes += std::fs::metadata(out.join(f)).map(|m| m.len()).unwrap_or(0);
    }
    println!("{:.2} s, {:.0} posts/s, {:.1} MB written to {}", el, s.posts as f64 / el, bytes as f64 / 1e6, out.display());
}
