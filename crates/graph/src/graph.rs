//! Compact undirected weighted graph in CSR (compressed sparse row) form.

use rayon::prelude::*;

use crate::GraphError;

/// Target number of adjacency entries per parallel work item. Work items are formed from
/// the data alone (never from the thread count), and each produces output that depends
/// only on its own input, so results are identical for any number of threads.
pub(crate) const PAR_CHUNK: usize = 1 << 16;

/// What [`Graph::from_edges_with`] does with self-loops `(u, u, w)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SelfLoops {
    /// Ignore them (the default, and what [`Graph::from_edges`] does). A self-loop in an
    /// account-coordination graph carries no information about coordination *between*
    /// accounts.
    #[default]
    Drop,
    /// Keep them. A self-loop of weight `w` appears once in `neighbors(u)`, counts `2w`
    /// towards `strength(u)` and `w` towards `total_weight()` (the usual convention, under
    /// which `sum of strengths == 2 * total_weight`).
    Keep,
}

/// An undirected graph with non-negative `f64` edge weights over the nodes `0..n`, stored
/// in CSR form: for each node, its neighbours sorted by id, each distinct neighbour once.
///
/// Memory: 12 bytes per stored adjacency entry (each undirected edge is stored in both
/// endpoints' lists) plus 16 bytes per node. `f64` weights are used rather than `f32`
/// because Leiden sums weights repeatedly (strengths, community totals, aggregated edges):
/// with `f32`, sums over millions of edges lose the low-order differences that decide
/// moves, and the 4 extra bytes per entry are affordable at the target scale.
///
/// The structure is canonical: it depends only on the multiset of input edges, not on
/// their order (duplicates are merged by summing their weights in a fixed order).
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f64>,
    strength: Vec<f64>,
    total_weight: f64,
    num_edges: usize,
}

impl Graph {
    /// Builds a graph with nodes `0..n` from `(u, v, weight)` edges, dropping self-loops
    /// (see [`SelfLoops`]; use [`Graph::from_edges_with`] to keep them).
    ///
    /// * Edges are undirected: `(u, v, w)` and `(v, u, w)` are the same edge.
    /// * Duplicate edges are merged into one edge whose weight is the sum of theirs.
    /// * Edges of weight `0` (after merging: all their copies have weight 0) are dropped.
    /// * Neighbour lists are sorted, so the result does not depend on the input order.
    ///
    /// # Errors
    /// [`GraphError::NodeOutOfRange`] if an id is `>= n`, [`GraphError::InvalidWeight`] for
    /// a NaN, infinite or negative weight, [`GraphError::WeightOverflow`] if summed weights
    /// overflow `f64`, [`GraphError::TooManyNodes`] if `n > u32::MAX`.
    pub fn from_edges<I>(n: usize, edges: I) -> Result<Self, GraphError>
    where
        I: IntoIterator<Item = (u32, u32, f64)>,
    {
        Self::from_edges_with(n, edges, SelfLoops::Drop)
    }

    /// Like [`Graph::from_edges`], choosing what to do with self-loops.
    ///
    /// Time `O(m log d)` (`d` = largest number of input edges at a node), parallel over
    /// nodes; peak memory about 16 bytes per input edge plus the final CSR arrays.
    ///
    /// # Errors
    /// As [`Graph::from_edges`].
    pub fn from_edges_with<I>(n: usize, edges: I, self_loops: SelfLoops) -> Result<Self, GraphError>
    where
        I: IntoIterator<Item = (u32, u32, f64)>,
    {
        if n > u32::MAX as usize {
            return Err(GraphError::TooManyNodes { n });
        }
        let keep_loops = self_loops == SelfLoops::Keep;
        let iter = edges.into_iter();
        let mut list: Vec<(u32, u32, f64)> = Vec::with_capacity(iter.size_hint().0);
        // offsets[u + 1] counts the adjacency entries of u before the prefix sum.
        let mut offsets = vec![0usize; n + 1];
        for (index, (u, v, w)) in iter.enumerate() {
            for node in [u, v] {
                if node as usize >= n {
                    return Err(GraphError::NodeOutOfRange { index, node, n });
                }
            }
            if !w.is_finite() || w < 0.0 {
                return Err(GraphError::InvalidWeight { index, u, v, weight: w });
            }
            if w == 0.0 {
                continue; // also catches -0.0
            }
            if u == v {
                if !keep_loops {
                    continue;
                }
                offsets[u as usize + 1] += 1;
            } else {
                offsets[u as usize + 1] += 1;
                offsets[v as usize + 1] += 1;
            }
            list.push((u, v, w));
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let entries = offsets[n];
        let mut targets = vec![0u32; entries];
        let mut weights = vec![0f64; entries];
        {
            let mut pos: Vec<usize> = offsets[..n].to_vec();
            for (u, v, w) in list {
                let (ui, vi) = (u as usize, v as usize);
                targets[pos[ui]] = v;
                weights[pos[ui]] = w;
                pos[ui] += 1;
                if u != v {
                    targets[pos[vi]] = u;
                    weights[pos[vi]] = w;
                    pos[vi] += 1;
                }
            }
        }

        // Sort every adjacency list by (target, weight) and merge duplicates. Sorting by the
        // weight too fixes the order in which duplicate weights are summed, so the merged
        // weight (and hence everything downstream) is independent of the input order, and
        // both directions of an edge get bit-identical weights.
        let mut lens = vec![0usize; n];
        let overflow = {
            let ranges = node_ranges(&offsets, PAR_CHUNK);
            let mut jobs = Vec::with_capacity(ranges.len());
            let (mut t_rest, mut w_rest, mut l_rest) = (&mut targets[..], &mut weights[..], &mut lens[..]);
            for &(a, b) in &ranges {
                let len = offsets[b] - offsets[a];
                let (t, tr) = std::mem::take(&mut t_rest).split_at_mut(len);
                let (w, wr) = std::mem::take(&mut w_rest).split_at_mut(len);
                let (l, lr) = std::mem::take(&mut l_rest).split_at_mut(b - a);
                (t_rest, w_rest, l_rest) = (tr, wr, lr);
                jobs.push((a, t, w, l));
            }
            let offsets = &offsets;
            jobs.into_par_iter()
                .filter_map(|(a, t, w, l)| {
                    let base = offsets[a];
                    let mut scratch: Vec<(u32, u64)> = Vec::new();
                    let mut bad = None;
                    for (i, len_out) in l.iter_mut().enumerate() {
                        let (s, e) = (offsets[a + i] - base, offsets[a + i + 1] - base);
                        let k = sort_merge(&mut t[s..e], &mut w[s..e], &mut scratch);
                        if bad.is_none() && w[s..s + k].iter().any(|x| !x.is_finite()) {
                            bad = Some((a + i) as u32);
                        }
                        *len_out = k;
                    }
                    bad
                })
                .min()
        };
        if let Some(node) = overflow {
            return Err(GraphError::WeightOverflow { node });
        }

        // Compact the lists in place (merging only ever shrinks them).
        let mut write = 0usize;
        for u in 0..n {
            let (start, len) = (offsets[u], lens[u]);
            if write != start {
                targets.copy_within(start..start + len, write);
                weights.copy_within(start..start + len, write);
            }
            offsets[u] = write;
            write += len;
        }
        offsets[n] = write;
        targets.truncate(write);
        weights.truncate(write);
        if targets.capacity() > write + write / 8 {
            targets.shrink_to_fit();
            weights.shrink_to_fit();
        }

        let mut strength = vec![0f64; n];
        let mut loops = 0usize;
        for (u, s) in strength.iter_mut().enumerate() {
            let (ts, ws) = (&targets[offsets[u]..offsets[u + 1]], &weights[offsets[u]..offsets[u + 1]]);
            let mut acc = 0.0;
            for (&t, &w) in ts.iter().zip(ws) {
                acc += w;
                if t as usize == u {
                    acc += w;
                    loops += 1;
                }
            }
            *s = acc;
        }
        let total_weight = strength.iter().sum::<f64>() / 2.0;
        if !total_weight.is_finite() {
            let node = strength.iter().position(|s| !s.is_finite()).unwrap_or(0) as u32;
            return Err(GraphError::WeightOverflow { node });
        }
        let num_edges = (write + loops) / 2;
        Ok(Graph { offsets, targets, weights, strength, total_weight, num_edges })
    }

    /// Number of nodes `n` (node ids are `0..n`).
    pub fn n(&self) -> usize {
        self.strength.len()
    }

    /// Number of distinct undirected edges, self-loops included.
    pub fn num_edges(&self) -> usize {
        self.num_edges
    }

    /// Neighbours of `u` sorted by id, with the matching edge weights (all `> 0`). A kept
    /// self-loop appears once, as `u` itself.
    ///
    /// # Panics
    /// If `u >= n()` (like slice indexing).
    pub fn neighbors(&self, u: u32) -> (&[u32], &[f64]) {
        let (s, e) = (self.offsets[u as usize], self.offsets[u as usize + 1]);
        (&self.targets[s..e], &self.weights[s..e])
    }

    /// Number of entries in `neighbors(u)`: distinct neighbours, a kept self-loop counting
    /// once. Panics if `u >= n()`.
    pub fn degree(&self, u: u32) -> usize {
        self.offsets[u as usize + 1] - self.offsets[u as usize]
    }

    /// Weighted degree of `u`: sum of its edge weights, a self-loop counting twice.
    /// Panics if `u >= n()`.
    pub fn strength(&self, u: u32) -> f64 {
        self.strength[u as usize]
    }

    /// All strengths, indexed by node.
    pub fn strengths(&self) -> &[f64] {
        &self.strength
    }

    /// Total edge weight `m`: each undirected edge (and self-loop) counted once, so that
    /// the strengths sum to `2m`.
    pub fn total_weight(&self) -> f64 {
        self.total_weight
    }

    /// Iterates over every undirected edge once as `(u, v, w)` with `u <= v`, in
    /// increasing `(u, v)` order.
    pub fn edges(&self) -> impl Iterator<Item = (u32, u32, f64)> + '_ {
        (0..self.n() as u32).flat_map(move |u| {
            let (ts, ws) = self.neighbors(u);
            ts.iter().zip(ws).filter(move |(&v, _)| v >= u).map(move |(&v, &w)| (u, v, w))
        })
    }

    pub(crate) fn csr(&self) -> (&[usize], &[u32], &[f64]) {
        (&self.offsets, &self.targets, &self.weights)
    }
}

/// Sorts one adjacency list by `(target, weight)` and merges equal targets, summing their
/// weights in that order. Returns the new length.
fn sort_merge(t: &mut [u32], w: &mut [f64], scratch: &mut Vec<(u32, u64)>) -> usize {
    if t.len() <= 1 {
        return t.len();
    }
    scratch.clear();
    // Weights are finite and > 0, so their bit patterns sort like the values.
    scratch.extend(t.iter().zip(w.iter()).map(|(&t, &w)| (t, w.to_bits())));
    scratch.sort_unstable();
    let mut k = 0usize;
    for &(target, bits) in scratch.iter() {
        let weight = f64::from_bits(bits);
        if k > 0 && t[k - 1] == target {
            w[k - 1] += weight;
        } else {
            t[k] = target;
            w[k] = weight;
            k += 1;
        }
    }
    k
}

/// Splits the nodes `0..n` into consecutive ranges holding about `chunk` adjacency entries
/// each (at least one node per range). Depends only on `offsets`.
pub(crate) fn node_ranges(offsets: &[usize], chunk: usize) -> Vec<(usize, usize)> {
    let n = offsets.len() - 1;
    let mut ranges = Vec::new();
    let mut a = 0usize;
    while a < n {
        let mut b = a + 1;
        // Extend while the range stays under `chunk` entries (also bounds nodes per range).
        while b < n && offsets[b + 1] - offsets[a] <= chunk && b - a < chunk {
            b += 1;
        }
        ranges.push((a, b));
        a = b;
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_duplicates_sorts_and_drops_loops() {
        let g = Graph::from_edges(4, [(2, 0, 1.0), (0, 2, 2.0), (1, 0, 0.5), (3, 3, 7.0), (1, 2, 0.0)]).unwrap();
        assert_eq!(g.n(), 4);
        assert_eq!(g.num_edges(), 2);
        assert_eq!(g.neighbors(0), (&[1u32, 2][..], &[0.5, 3.0][..]));
        assert_eq!(g.neighbors(2), (&[0u32][..], &[3.0][..]));
        assert_eq!(g.degree(3), 0);
        assert_eq!(g.strength(0), 3.5);
        assert_eq!(g.total_weight(), 3.5);
        assert_eq!(g.edges().collect::<Vec<_>>(), vec![(0, 1, 0.5), (0, 2, 3.0)]);
    }

    #[test]
    fn keeps_self_loops_when_asked() {
        let g = Graph::from_edges_with(3, [(0, 0, 2.0), (0, 1, 1.0), (0, 0, 1.0)], SelfLoops::Keep).unwrap();
        assert_eq!(g.neighbors(0), (&[0u32, 1][..], &[3.0, 1.0][..]));
        assert_eq!(g.strength(0), 7.0);
        assert_eq!(g.total_weight(), 4.0);
        assert_eq!(g.num_edges(), 2);
        assert_eq!(g.strengths().iter().sum::<f64>(), 2.0 * g.total_weight());
    }

    #[test]
    fn rejects_bad_input_without_panicking() {
        assert_eq!(
            Graph::from_edges(2, [(0, 1, 1.0), (0, 2, 1.0)]),
            Err(GraphError::NodeOutOfRange { index: 1, node: 2, n: 2 })
        );
        assert!(matches!(
            Graph::from_edges(2, [(0, 1, -1.0)]),
            Err(GraphError::InvalidWeight { index: 0, u: 0, v: 1, .. })
        ));
        assert!(matches!(Graph::from_edges(2, [(0, 1, f64::NAN)]), Err(GraphError::InvalidWeight { .. })));
        assert!(matches!(Graph::from_edges(2, [(0, 1, f64::INFINITY)]), Err(GraphError::InvalidWeight { .. })));
        assert_eq!(
            Graph::from_edges(2, [(0, 1, f64::MAX), (1, 0, f64::MAX)]),
            Err(GraphError::WeightOverflow { node: 0 })
        );
        assert!(matches!(
            Graph::from_edges(3, [(0, 1, f64::MAX), (1, 2, f64::MAX)]),
            Err(GraphError::WeightOverflow { .. })
        ));
        assert_eq!(Graph::from_edges(0, [(0, 0, 1.0)]), Err(GraphError::NodeOutOfRange { index: 0, node: 0, n: 0 }));
        if usize::BITS > 32 {
            let n = u32::MAX as usize + 1;
            assert_eq!(Graph::from_edges(n, []), Err(GraphError::TooManyNodes { n }));
        }
        // Error messages render.
        let e = Graph::from_edges(2, [(0, 1, -1.0)]).unwrap_err();
        assert!(e.to_string().contains("weight -1"), "{e}");
    }

    #[test]
    fn canonical_regardless_of_input_order_and_chunking() {
        // Many duplicates with different weights, big enough to span several chunks.
        let mut edges = Vec::new();
        let n = 3000u32;
        let mut x = 12345u64;
        for _ in 0..200_000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let u = ((x >> 33) % n as u64) as u32;
            let v = ((x >> 13) % 40) as u32;
            let w = ((x >> 40) % 1000) as f64 * 0.001 + 1e-3;
            edges.push((u, (u + v) % n, w));
        }
        let g1 = Graph::from_edges(n as usize, edges.iter().copied()).unwrap();
        edges.reverse();
        let g2 = Graph::from_edges(n as usize, edges.iter().copied()).unwrap();
        assert_eq!(g1, g2);
        // Symmetric, sorted, strictly positive.
        for u in 0..n {
            let (ts, ws) = g1.neighbors(u);
            assert!(ts.windows(2).all(|p| p[0] < p[1]));
            for (&v, &w) in ts.iter().zip(ws) {
                assert!(w > 0.0);
                let (tv, wv) = g1.neighbors(v);
                let i = tv.binary_search(&u).unwrap();
                assert_eq!(wv[i].to_bits(), w.to_bits());
            }
        }
    }

    #[test]
    fn node_ranges_cover_everything() {
        let offsets = [0usize, 5, 5, 30, 31, 100, 101];
        let r = node_ranges(&offsets, 10);
        assert_eq!(r.first().unwrap().0, 0);
        assert_eq!(r.last().unwrap().1, 6);
        assert!(r.windows(2).all(|p| p[0].1 == p[1].0 && p[0].0 < p[0].1));
        assert!(node_ranges(&[0], 10).is_empty());
    }
}
