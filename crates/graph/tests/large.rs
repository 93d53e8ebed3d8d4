//! Timing on a large random planted graph (1M nodes, ~10M edges). Ignored by default:
//!
//! ```text
//! cargo test -p cibscan-graph --release --test large -- --ignored --nocapture
//! ```
//!
//! 10,000 planted groups of 100 nodes; every node draws 10 edges, 80% inside its group
//! (mean degree ~19, of which ~15 inside). Node ids are randomly permuted so that the ids
//! carry no locality (as with interned account ids), the harder case for the caches.

mod common;

use std::time::Instant;

use cibscan_graph::{leiden, modularity, Graph, LeidenOptions, Quality};
use common::{assert_communities_connected, nmi, TestRng};

#[test]
#[ignore = "large timing run; use --release"]
fn large_planted_graph_1m_nodes_10m_edges() {
    let n: u32 = 1_000_000;
    let group = 100u32;
    let per_node = 10u32;
    let p_inside = 0.8;
    let mut rng = TestRng(2024);
    let t = Instant::now();
    let mut perm: Vec<u32> = (0..n).collect();
    rng.shuffle(&mut perm);
    let mut edges = Vec::with_capacity((n * per_node) as usize);
    for u in 0..n {
        for _ in 0..per_node {
            let v = if rng.f64() < p_inside {
                (u / group) * group + rng.below(group as u64) as u32
            } else {
                rng.below(n as u64) as u32
            };
            edges.push((perm[u as usize], perm[v as usize], 1.0));
        }
    }
    let mut truth = vec![0u32; n as usize];
    for u in 0..n {
        truth[perm[u as usize] as usize] = u / group;
    }
    let t_gen = t.elapsed();

    let t = Instant::now();
    let g = Graph::from_edges(n as usize, edges).unwrap();
    let t_build = t.elapsed();
    println!(
        "n = {}, edges = {}, rayon threads = {}; generate {t_gen:.2?}, build graph {t_build:.2?}",
        g.n(),
        g.num_edges(),
        rayon::current_num_threads()
    );
    let q_truth = modularity(&g, &truth, 1.0);

    for (label, opts) in [
        ("modularity, 2 iterations", LeidenOptions { max_iterations: Some(2), ..LeidenOptions::with_seed(1) }),
        ("modularity, until stable (default)", LeidenOptions::with_seed(1)),
        (
            "CPM γ = 0.05, until stable",
            LeidenOptions { quality: Quality::Cpm, resolution: 0.05, ..LeidenOptions::with_seed(1) },
        ),
    ] {
        let t = Instant::now();
        let p = leiden(&g, &opts);
        let t_leiden = t.elapsed();
        let q = modularity(&g, &p.membership, 1.0);
        let score = nmi(&p.membership, &truth);
        println!(
            "{label}: {t_leiden:.2?}; {} communities, Q = {q:.5} (planted partition {q_truth:.5}), NMI vs planted = {score:.4}",
            p.communities
        );
        assert_communities_connected(&g, &p.membership);
        match opts.quality {
            // Modularity's resolution limit merges planted groups here (merging two groups
            // joined by a single edge raises Q when m is this large), so compare Q, not NMI.
            Quality::Modularity => assert!(q >= q_truth),
            Quality::Cpm => assert!(score > 0.99, "{score}"),
        }
    }
}
