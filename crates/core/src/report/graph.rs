//! The network picture: the members with the highest fused degree and the strongest
//! internal edges, laid out in Rust ([`super::layout`]) and drawn as SVG.

use super::layout::force_layout;
use super::svg::{AMPLIFIER, CORE, UNKNOWN};
use super::{thousands, E};
use crate::characterise::roles::Role;
use crate::pipeline::{Detection, Network};
use crate::Dataset;
use std::fmt::Write as _;

/// Most accounts drawn in one picture (those with the highest fused degree).
pub const MAX_NODES: usize = 2_000;
/// Most edges drawn in one picture (the strongest among the drawn accounts).
pub const MAX_EDGES: usize = 10_000;
/// Layout iterations (fixed: the picture must not depend on timing).
const ITERATIONS: usize = 200;
const SIZE: f64 = 600.0;

/// Writes the picture of network `net` (its internal fused edges `edges`, account indices),
/// at most `max_nodes` accounts and `max_edges` edges, and returns its caption.
#[allow(clippy::too_many_arguments)]
pub fn picture(
    out: &mut String,
    data: &Dataset,
    det: &Detection,
    net: &Network,
    edges: &[(u32, u32, f64)],
    seed: u64,
    max_nodes: usize,
    max_edges: usize,
) -> String {
    let members = &net.members;
    let pos_of = |a: u32| members.binary_search(&a).ok();
    let mut degree = vec![0.0f64; members.len()];
    for &(a, b, w) in edges {
        if let (Some(i), Some(j)) = (pos_of(a), pos_of(b)) {
            degree[i] += w;
            degree[j] += w;
        }
    }
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by(|&i, &j| degree[j].total_cmp(&degree[i]).then(i.cmp(&j)));
    order.truncate(max_nodes);
    // Drawn in member order, so the layout's input does not depend on sort stability.
    order.sort_unstable();
    let mut slot = vec![u32::MAX; members.len()];
    for (k, &i) in order.iter().enumerate() {
        slot[i] = k as u32;
    }
    let mut drawn: Vec<(u32, u32, f64)> = edges
        .iter()
        .filter_map(|&(a, b, w)| {
            let (i, j) = (slot[pos_of(a)?], slot[pos_of(b)?]);
            (i != u32::MAX && j != u32::MAX && i != j).then_some((i, j, w))
        })
        .collect();
    let candidate_edges = drawn.len();
    drawn.sort_by(|x, y| y.2.total_cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    drawn.truncate(max_edges);
    let n = order.len();
    let pos = force_layout(n, &drawn, ITERATIONS, seed, SIZE, 14.0);

    let _ = write!(
        out,
        "<svg class=\"graph\" viewBox=\"0 0 {SIZE} {SIZE}\" width=\"{SIZE}\" height=\"{SIZE}\" role=\"img\" aria-label=\"Coordination graph\">"
    );
    // Edges: five opacity classes by weight, one path each, weakest first.
    let wmax = drawn.iter().map(|e| e.2).fold(0.0f64, f64::max);
    let dim = if drawn.len() > 3_000 {
        0.45
    } else if drawn.len() > 600 {
        0.7
    } else {
        1.0
    };
    let mut classes: [String; 5] = Default::default();
    for &(i, j, w) in drawn.iter().rev() {
        let c = if wmax > 0.0 { ((w / wmax * 5.0).ceil() as usize).clamp(1, 5) - 1 } else { 4 };
        let (p, q) = (pos[i as usize], pos[j as usize]);
        let _ = write!(classes[c], "M{:.1} {:.1}L{:.1} {:.1}", p.0, p.1, q.0, q.1);
    }
    for (c, d) in classes.iter().enumerate() {
        if !d.is_empty() {
            let opacity = dim * (0.08 + 0.16 * c as f64);
            let _ = write!(
                out,
                "<path d=\"{d}\" stroke=\"#344054\" stroke-opacity=\"{opacity:.2}\" stroke-width=\"{:.1}\" fill=\"none\"/>",
                0.6 + 0.3 * c as f64
            );
        }
    }
    // Nodes: amplifiers, then core on top; size by fused degree.
    let dmax = order.iter().map(|&i| degree[i]).fold(0.0f64, f64::max);
    let r0 = (110.0 / (n.max(1) as f64).sqrt()).clamp(1.6, 7.0);
    for pass in [Some(Role::Amplifier), None, Some(Role::Core)] {
        for (k, &i) in order.iter().enumerate() {
            let a = members[i];
            let role = det.role.get(a as usize).copied().flatten();
            if role != pass {
                continue;
            }
            let (fill, role_name) = match role {
                Some(Role::Core) => (CORE, "core"),
                Some(Role::Amplifier) => (AMPLIFIER, "amplifier"),
                None => (UNKNOWN, "no role"),
            };
            let r = r0 * (0.7 + 0.8 * if dmax > 0.0 { (degree[i] / dmax).sqrt() } else { 0.0 });
            let name = data.strings.opt(data.accounts.screen_name[a as usize]).unwrap_or("");
            let score = det.coordination_score.get(a as usize).copied().unwrap_or(0.0);
            let _ = write!(
                out,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{r:.1}\" fill=\"{fill}\"><title>@{} · {} · {role_name} · score {score:.2}</title></circle>",
                pos[k].0,
                pos[k].1,
                E(&super::clip(name, 60)),
                E(&super::clip(data.accounts.key.get(a), 60)),
            );
        }
    }
    out.push_str("</svg>");

    let mut caption = String::new();
    if n < members.len() || drawn.len() < edges.len() {
        let _ = write!(
            caption,
            "Showing the {} accounts with the highest fused degree (of {}) and the {} strongest of their {} internal edges ({} internal edges in all).",
            thousands(n as u64),
            thousands(members.len() as u64),
            thousands(drawn.len() as u64),
            thousands(candidate_edges as u64),
            thousands(edges.len() as u64)
        );
    } else {
        let _ = write!(
            caption,
            "All {} accounts and {} internal fused edges.",
            thousands(n as u64),
            thousands(edges.len() as u64)
        );
    }
    caption.push_str(
        " Force-directed layout; darker, thicker lines are stronger coordination; larger dots have more of it.",
    );
    caption
}
