//! Property tests on random small graphs.

mod common;

use cibscan_graph::{cpm, leiden, modularity, Graph, LeidenOptions, Partition, Quality};
use common::assert_communities_connected;
use proptest::prelude::*;

fn graph_strategy() -> impl Strategy<Value = (usize, Vec<(u32, u32, f64)>)> {
    (1usize..60).prop_flat_map(|n| {
        let edge = (0..n as u32, 0..n as u32, prop_oneof![Just(1.0), 0.01f64..10.0]);
        (Just(n), prop::collection::vec(edge, 0..(3 * n)))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn modularity_partition_is_valid_connected_and_no_worse((n, edges) in graph_strategy(), seed in 0u64..1000) {
        let g = Graph::from_edges(n, edges.iter().copied()).unwrap();
        let p = leiden(&g, &LeidenOptions::with_seed(seed));
        prop_assert_eq!(p.membership.len(), n);
        prop_assert!(p.membership.iter().all(|&c| c < p.communities));
        prop_assert_eq!(&p, &Partition::from_membership(&p.membership));
        assert_communities_connected(&g, &p.membership);
        let q = modularity(&g, &p.membership, 1.0);
        let q0 = modularity(&g, &Partition::singletons(n).membership, 1.0);
        prop_assert!(q >= q0 - 1e-12, "q {} < singletons {}", q, q0);
        // Isolated nodes stay alone.
        for u in 0..n as u32 {
            if g.degree(u) == 0 {
                prop_assert_eq!(p.sizes()[p.membership[u as usize] as usize], 1);
            }
        }
        // Deterministic, and independent of edge order.
        let mut rev = edges.clone();
        rev.reverse();
        let g2 = Graph::from_edges(n, rev).unwrap();
        prop_assert_eq!(&leiden(&g2, &LeidenOptions::with_seed(seed)), &p);
    }

    #[test]
    fn cpm_partition_is_valid_connected_and_no_worse(
        (n, edges) in graph_strategy(),
        seed in 0u64..1000,
        gamma in 0.0f64..2.0,
    ) {
        let g = Graph::from_edges(n, edges).unwrap();
        let opts = LeidenOptions { quality: Quality::Cpm, resolution: gamma, seed, ..Default::default() };
        let p = leiden(&g, &opts);
        prop_assert_eq!(p.membership.len(), n);
        assert_communities_connected(&g, &p.membership);
        let h = cpm(&g, &p.membership, gamma);
        let h0 = cpm(&g, &Partition::singletons(n).membership, gamma);
        prop_assert!(h >= h0 - 1e-9, "H {} < singletons {}", h, h0);
    }

    #[test]
    fn resolution_one_iteration_still_connected((n, edges) in graph_strategy(), seed in 0u64..1000, gamma in 0.0f64..3.0) {
        let g = Graph::from_edges(n, edges).unwrap();
        let opts = LeidenOptions { resolution: gamma, max_iterations: Some(1), seed, ..Default::default() };
        let p = leiden(&g, &opts);
        assert_communities_connected(&g, &p.membership);
        let q = modularity(&g, &p.membership, gamma);
        let q0 = modularity(&g, &Partition::singletons(n).membership, gamma);
        prop_assert!(q >= q0 - 1e-12);
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic(
        n in 0usize..10,
        edges in prop::collection::vec((0u32..12, 0u32..12, prop_oneof![Just(f64::NAN), Just(-1.0), Just(f64::INFINITY), -5.0f64..5.0]), 0..20),
    ) {
        let ok = edges.iter().all(|&(u, v, w)| (u as usize) < n && (v as usize) < n && w.is_finite() && w >= 0.0);
        let r = Graph::from_edges(n, edges);
        prop_assert_eq!(r.is_ok(), ok);
    }
}
