//! Times `report.html` for a synthetic network: `cargo run --release -p cibscan-core
//! --example report_bench -- [ACCOUNTS] [DEGREE] [OUT]` (default 10,000 accounts, about
//! 20 fused edges each, `report_bench.html`). With `CIBSCAN_HOSTILE=1` the profiles and
//! narratives are HTML/script injection attempts, to look at the page they make.

use std::time::Instant;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let accounts: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let degree: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(20);
    let out = args.get(2).cloned().unwrap_or_else(|| "report_bench.html".into());
    let t = Instant::now();
    let hostile: &[&str] = if std::env::var_os("CIBSCAN_HOSTILE").is_some() {
        &[
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "'><svg onload=alert(1)>",
            "</style><b>bold?</b>",
        ]
    } else {
        &[]
    };
    let (data, det) = cibscan_core::report::synthetic::synthetic(accounts, degree, 5, hostile);
    let built = t.elapsed().as_secs_f64();
    let internal = det
        .fused
        .iter()
        .filter(|e| det.network_of[e.0 as usize] == Some(0) && det.network_of[e.1 as usize] == Some(0))
        .count();
    println!(
        "network N1: {} accounts, {} internal fused edges; {} posts in the dataset (built in {built:.3} s)",
        det.networks[0].accounts,
        internal,
        data.posts.len()
    );
    let mut best = f64::MAX;
    let mut html = String::new();
    for _ in 0..3 {
        let t = Instant::now();
        html = cibscan_core::report::render_report(&data, &det);
        best = best.min(t.elapsed().as_secs_f64());
    }
    let t = Instant::now();
    let edges: Vec<(u32, u32, f64)> =
        (0..2000u32).flat_map(|i| (1..6u32).map(move |k| (i, (i * 7 + k * 13) % 2000, 1.0))).collect();
    let _ = cibscan_core::report::layout::force_layout(2000, &edges, 250, 1, 600.0, 10.0);
    let layout = t.elapsed().as_secs_f64();
    std::fs::write(&out, &html)?;
    println!(
        "report rendered in {best:.3} s (best of 3): {} bytes, {} <circle> elements; written to {out}",
        html.len(),
        html.matches("<circle ").count()
    );
    println!("layout alone, 2,000 nodes and 10,000 edges of a random graph: {layout:.3} s");
    Ok(())
}
