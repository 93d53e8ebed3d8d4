//! Shared helpers for the integration tests (own RNG so the tests need no extra crates).
#![allow(dead_code)]

use cibscan_graph::Graph;

/// SplitMix64, independent of the crate's internal generator.
pub struct TestRng(pub u64);

impl TestRng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            v.swap(i, j);
        }
    }
}

/// Zachary's karate club, 0-based, 34 nodes, 78 edges (as in networkx/igraph).
pub const KARATE: [(u32, u32); 78] = [
    (0, 1),
    (0, 2),
    (0, 3),
    (0, 4),
    (0, 5),
    (0, 6),
    (0, 7),
    (0, 8),
    (0, 10),
    (0, 11),
    (0, 12),
    (0, 13),
    (0, 17),
    (0, 19),
    (0, 21),
    (0, 31),
    (1, 2),
    (1, 3),
    (1, 7),
    (1, 13),
    (1, 17),
    (1, 19),
    (1, 21),
    (1, 30),
    (2, 3),
    (2, 7),
    (2, 8),
    (2, 9),
    (2, 13),
    (2, 27),
    (2, 28),
    (2, 32),
    (3, 7),
    (3, 12),
    (3, 13),
    (4, 6),
    (4, 10),
    (5, 6),
    (5, 10),
    (5, 16),
    (6, 16),
    (8, 30),
    (8, 32),
    (8, 33),
    (9, 33),
    (13, 33),
    (14, 32),
    (14, 33),
    (15, 32),
    (15, 33),
    (18, 32),
    (18, 33),
    (19, 33),
    (20, 32),
    (20, 33),
    (22, 32),
    (22, 33),
    (23, 25),
    (23, 27),
    (23, 29),
    (23, 32),
    (23, 33),
    (24, 25),
    (24, 27),
    (24, 31),
    (25, 31),
    (26, 29),
    (26, 33),
    (27, 33),
    (28, 31),
    (28, 33),
    (29, 32),
    (29, 33),
    (30, 32),
    (30, 33),
    (31, 32),
    (31, 33),
    (32, 33),
];

pub fn karate_edges() -> Vec<(u32, u32, f64)> {
    KARATE.iter().map(|&(u, v)| (u, v, 1.0)).collect()
}

pub fn karate() -> Graph {
    Graph::from_edges(34, karate_edges()).unwrap()
}

/// G(n, p_in, p_out) planted partition: `groups` groups of `size` consecutive nodes.
/// Returns the edges and the true group of every node.
pub fn planted(groups: u32, size: u32, p_in: f64, p_out: f64, seed: u64) -> (Vec<(u32, u32, f64)>, Vec<u32>) {
    let n = groups * size;
    let mut rng = TestRng(seed);
    let mut edges = Vec::new();
    for u in 0..n {
        for v in u + 1..n {
            let p = if u / size == v / size { p_in } else { p_out };
            if rng.f64() < p {
                edges.push((u, v, 1.0));
            }
        }
    }
    (edges, (0..n).map(|u| u / size).collect())
}

/// Panics unless every community induces a connected subgraph. Independent BFS.
pub fn assert_communities_connected(g: &Graph, membership: &[u32]) {
    assert_eq!(membership.len(), g.n());
    let k = membership.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut seen_comm = vec![false; k];
    let mut visited = vec![false; g.n()];
    for s in 0..g.n() {
        if visited[s] {
            continue;
        }
        let c = membership[s];
        assert!(!seen_comm[c as usize], "community {c} is disconnected (second component reached from node {s})");
        seen_comm[c as usize] = true;
        let mut queue = std::collections::VecDeque::from([s as u32]);
        visited[s] = true;
        while let Some(u) = queue.pop_front() {
            for &v in g.neighbors(u).0 {
                if !visited[v as usize] && membership[v as usize] == c {
                    visited[v as usize] = true;
                    queue.push_back(v);
                }
            }
        }
    }
}

/// Whether two labelings describe the same partition (a bijection between labels).
pub fn same_partition(a: &[u32], b: &[u32]) -> bool {
    use std::collections::HashMap;
    if a.len() != b.len() {
        return false;
    }
    let mut ab = HashMap::new();
    let mut ba = HashMap::new();
    a.iter().zip(b).all(|(&x, &y)| *ab.entry(x).or_insert(y) == y && *ba.entry(y).or_insert(x) == x)
}

/// Normalised mutual information (arithmetic-mean normalisation), 1 for equal partitions.
pub fn nmi(a: &[u32], b: &[u32]) -> f64 {
    use std::collections::HashMap;
    let n = a.len() as f64;
    let mut ca: HashMap<u32, f64> = HashMap::new();
    let mut cb: HashMap<u32, f64> = HashMap::new();
    let mut cab: HashMap<(u32, u32), f64> = HashMap::new();
    for (&x, &y) in a.iter().zip(b) {
        *ca.entry(x).or_default() += 1.0;
        *cb.entry(y).or_default() += 1.0;
        *cab.entry((x, y)).or_default() += 1.0;
    }
    let h = |c: &HashMap<u32, f64>| -> f64 { c.values().map(|&k| -(k / n) * (k / n).ln()).sum() };
    let (ha, hb) = (h(&ca), h(&cb));
    if ha + hb == 0.0 {
        return 1.0;
    }
    let mi: f64 = cab.iter().map(|(&(x, y), &k)| (k / n) * ((k * n) / (ca[&x] * cb[&y])).ln()).sum();
    2.0 * mi / (ha + hb)
}
