//! Prints the ingest summary of the given inputs as JSON (a dependency-free check of the
//! core without the CLI): `cargo run --release -p cibscan-core --example ingest_summary -- PATH...`
fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let t = std::time::Instant::now();
    match cibscan_core::ingest(&paths, &Default::default(), &cibscan_core::progress::NoProgress) {
        Ok((data, stats)) => {
            let s = cibscan_core::Summary::new(&data, &stats);
            println!("{}", serde_json::to_string(&s).unwrap());
            eprintln!("{:.2}s, {} MB heap", t.elapsed().as_secs_f64(), data.heap_bytes() >> 20);
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
