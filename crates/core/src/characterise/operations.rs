//! Operations above networks: cells of one actor, grouped by the actor's fingerprints.
//!
//! An operation is often run as cells that never boost each other, so the co-action signals
//! find each cell as its own network. What ties the cells is what `link` measures between a
//! network and an earlier takedown: the same templates and texts, URLs, domains, hashtags,
//! terms, handle patterns, clients and hours (see [`super::link`]). The same test is applied
//! between the networks of one run, with the accounts outside every network as the
//! background: two networks are **tied** when each is `linked` to the other (score at least
//! 0.6 and at least two content fingerprints at 0.3 or more, in both directions: one
//! coincidence never ties two operations). An operation is a connected set of tied networks;
//! a network tied to none is an operation of one cell. Operation ids (`O1`, `O2`, …) follow
//! the order of their first network.

use crate::characterise::link::{background_fingerprint, fingerprint, link, Fingerprint, LinkEvidence};
use crate::model::Dataset;
use serde::{Deserialize, Serialize};

/// Options of the grouping (`[operations]` in the run configuration).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OperationOptions {
    /// false: every network is an operation of its own.
    pub enabled: bool,
    /// Smallest link score (both directions) that ties two networks.
    pub min_score: f64,
}

impl Default for OperationOptions {
    fn default() -> Self {
        OperationOptions { enabled: true, min_score: 0.6 }
    }
}

/// Why two networks are cells of one operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tie {
    /// The two networks' ids.
    pub networks: [String; 2],
    /// The lower of the two directions' link scores.
    pub score: f64,
    /// The strongest fingerprints shared (as `link` reports them), strongest first.
    pub evidence: Vec<LinkEvidence>,
}

/// The grouping: the networks (indices) of each operation, and the ties within them.
#[derive(Debug, Clone, Default)]
pub struct Grouping {
    pub cells: Vec<Vec<usize>>,
    /// Per operation, the ties between its networks.
    pub ties: Vec<Vec<Tie>>,
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// Groups networks (`members`: account indices per network, `ids`: their ids) into
/// operations.
pub fn group(data: &Dataset, members: &[Vec<u32>], ids: &[String], opts: &OperationOptions) -> Grouping {
    let n = members.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut ties: Vec<(usize, usize, Tie)> = Vec::new();
    if opts.enabled && n > 1 {
        let mut in_network = vec![false; data.accounts.len()];
        for &a in members.iter().flatten() {
            in_network[a as usize] = true;
        }
        let rest: Vec<u32> = (0..data.accounts.len() as u32).filter(|&a| !in_network[a as usize]).collect();
        let background = background_fingerprint(data, &rest);
        let fps: Vec<Fingerprint> = members.iter().map(|m| fingerprint(data, Some(m))).collect();
        for i in 0..n {
            for j in i + 1..n {
                let ij = link(&ids[j], &fps[i], &background, &fps[j]);
                if !ij.linked || ij.score < opts.min_score {
                    continue;
                }
                let ji = link(&ids[i], &fps[j], &background, &fps[i]);
                if !ji.linked || ji.score < opts.min_score {
                    continue;
                }
                let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                parent[ri.max(rj)] = ri.min(rj);
                let mut evidence = ij.evidence;
                evidence.retain(|e| e.similarity > 0.0);
                evidence.truncate(6);
                // `link` speaks of a prior takedown; here the other side is a network.
                for e in &mut evidence {
                    e.detail = e
                        .detail
                        .replace("prior's", &format!("{}'s", ids[j]))
                        .replace("prior:", &format!("{}:", ids[j]));
                }
                ties.push((
                    i,
                    j,
                    Tie { networks: [ids[i].clone(), ids[j].clone()], score: ij.score.min(ji.score), evidence },
                ));
            }
        }
    }
    // Operations in the order of their first network.
    let mut op_of_root = vec![usize::MAX; n];
    let mut cells: Vec<Vec<usize>> = Vec::new();
    for i in 0..n {
        let r = find(&mut parent, i);
        if op_of_root[r] == usize::MAX {
            op_of_root[r] = cells.len();
            cells.push(Vec::new());
        }
        cells[op_of_root[r]].push(i);
    }
    let mut by_op: Vec<Vec<Tie>> = vec![Vec::new(); cells.len()];
    for (i, _, t) in ties {
        by_op[op_of_root[find(&mut parent, i)]].push(t);
    }
    Grouping { cells, ties: by_op }
}
