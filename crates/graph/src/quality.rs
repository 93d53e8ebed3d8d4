//! Quality functions of a partition: modularity and the constant Potts model.

use crate::Graph;

/// Maps arbitrary `u32` labels to `0..k` (in order of first appearance). Returns the
/// compact labels and `k`.
pub(crate) fn compact_labels(labels: &[u32]) -> (Vec<u32>, usize) {
    let max = labels.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut out = Vec::with_capacity(labels.len());
    let mut k = 0u32;
    if max <= 4 * labels.len() + 64 {
        let mut map = vec![u32::MAX; max];
        for &l in labels {
            let slot = &mut map[l as usize];
            if *slot == u32::MAX {
                *slot = k;
                k += 1;
            }
            out.push(*slot);
        }
    } else {
        let mut map = std::collections::HashMap::with_capacity(labels.len());
        for &l in labels {
            let id = *map.entry(l).or_insert_with(|| {
                k += 1;
                k - 1
            });
            out.push(id);
        }
    }
    (out, k as usize)
}

/// Per community (compact labels `0..k`): internal edge weight (each edge and self-loop
/// once) and total strength.
fn community_sums(g: &Graph, labels: &[u32], k: usize) -> (Vec<f64>, Vec<f64>) {
    let (offsets, targets, weights) = g.csr();
    // Twice the internal weight: edges between distinct nodes are seen from both ends,
    // self-loops once (so they are added twice).
    let mut inside2 = vec![0f64; k];
    let mut tot = vec![0f64; k];
    for u in 0..g.n() {
        let c = labels[u] as usize;
        tot[c] += g.strengths()[u];
        for i in offsets[u]..offsets[u + 1] {
            let v = targets[i] as usize;
            if v == u {
                inside2[c] += 2.0 * weights[i];
            } else if labels[v] as usize == c {
                inside2[c] += weights[i];
            }
        }
    }
    for x in &mut inside2 {
        *x /= 2.0;
    }
    (inside2, tot)
}

/// Newman–Girvan modularity with resolution `gamma`:
///
/// `Q = Σ_c [ w_in(c) / m − γ · (K_c / 2m)² ]`
///
/// where `m` = [`Graph::total_weight`], `w_in(c)` the weight of edges inside `c` (each
/// once, self-loops included) and `K_c` the sum of strengths in `c`. This equals the
/// matrix form `1/2m Σ_ij (A_ij − γ k_i k_j / 2m) δ(c_i, c_j)` with `A_ii = 2 × self-loop`,
/// the convention of igraph and leidenalg. `membership` holds arbitrary `u32` labels.
/// Returns `0.0` for a graph without edges.
///
/// # Panics
/// If `membership.len() != g.n()`.
pub fn modularity(g: &Graph, membership: &[u32], gamma: f64) -> f64 {
    assert_eq!(membership.len(), g.n(), "membership must have one label per node");
    let m = g.total_weight();
    if m <= 0.0 {
        return 0.0;
    }
    let (labels, k) = compact_labels(membership);
    let (inside, tot) = community_sums(g, &labels, k);
    let two_m = 2.0 * m;
    inside.iter().zip(&tot).map(|(&w, &t)| w / m - gamma * (t / two_m) * (t / two_m)).sum()
}

/// Constant Potts model quality (Traag, Van Dooren & Nesterov 2011) with resolution
/// `gamma` and unit node sizes:
///
/// `H = Σ_c [ w_in(c) − γ · n_c (n_c − 1) / 2 ]`
///
/// (the same form as leidenalg's `CPMVertexPartition.quality()`), unnormalised.
///
/// # Panics
/// If `membership.len() != g.n()`.
pub fn cpm(g: &Graph, membership: &[u32], gamma: f64) -> f64 {
    assert_eq!(membership.len(), g.n(), "membership must have one label per node");
    let (labels, k) = compact_labels(membership);
    let (inside, _) = community_sums(g, &labels, k);
    let mut sizes = vec![0f64; k];
    for &l in &labels {
        sizes[l as usize] += 1.0;
    }
    inside.iter().zip(&sizes).map(|(&w, &s)| w - gamma * s * (s - 1.0) / 2.0).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SelfLoops;

    #[test]
    fn compact_labels_dense_and_sparse() {
        assert_eq!(compact_labels(&[5, 5, 2, 9, 2]), (vec![0, 0, 1, 2, 1], 3));
        assert_eq!(compact_labels(&[u32::MAX, 7, u32::MAX]), (vec![0, 1, 0], 2));
        assert_eq!(compact_labels(&[]), (vec![], 0));
    }

    #[test]
    fn modularity_matches_hand_computation() {
        // Two triangles joined by one edge: m = 7.
        let g =
            Graph::from_edges(6, [(0, 1, 1.), (1, 2, 1.), (0, 2, 1.), (3, 4, 1.), (4, 5, 1.), (3, 5, 1.), (2, 3, 1.)])
                .unwrap();
        let q = modularity(&g, &[0, 0, 0, 1, 1, 1], 1.0);
        let expected = 2.0 * (3.0 / 7.0 - (7.0 / 14.0f64).powi(2));
        assert!((q - expected).abs() < 1e-12, "{q} vs {expected}");
        // Arbitrary labels give the same value.
        assert_eq!(q, modularity(&g, &[40, 40, 40, 3, 3, 3], 1.0));
        // Everything together: Q = 1 - 1 = 0.
        assert!(modularity(&g, &[0; 6], 1.0).abs() < 1e-12);
        // Resolution 0: fraction of internal weight.
        assert!((modularity(&g, &[0, 0, 0, 1, 1, 1], 0.0) - 6.0 / 7.0).abs() < 1e-12);
        // Empty graph.
        assert_eq!(modularity(&Graph::from_edges(3, []).unwrap(), &[0, 1, 2], 1.0), 0.0);
    }

    #[test]
    fn self_loop_convention_is_consistent_with_aggregation() {
        // A graph with a self-loop equals the aggregate of a graph where that loop is an
        // internal edge of a 2-node community.
        let g = Graph::from_edges_with(3, [(0, 0, 2.0), (0, 1, 1.0), (1, 2, 1.0)], SelfLoops::Keep).unwrap();
        let h = Graph::from_edges(4, [(0, 3, 2.0), (0, 1, 1.0), (1, 2, 1.0)]).unwrap();
        let qg = modularity(&g, &[0, 0, 1], 1.0);
        let qh = modularity(&h, &[0, 0, 1, 0], 1.0);
        assert!((qg - qh).abs() < 1e-12, "{qg} vs {qh}");
    }

    #[test]
    fn cpm_value() {
        let g = Graph::from_edges(4, [(0, 1, 1.0), (1, 2, 1.0), (2, 0, 1.0), (2, 3, 1.0)]).unwrap();
        assert!((cpm(&g, &[0, 0, 0, 1], 0.5) - (3.0 - 0.5 * 3.0)).abs() < 1e-12);
        assert!((cpm(&g, &[0, 0, 0, 0], 0.5) - (4.0 - 0.5 * 6.0)).abs() < 1e-12);
    }
}
