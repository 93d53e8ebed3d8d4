//! A deterministic force-directed layout (Fruchterman–Reingold with grid repulsion).
//!
//! Repulsion is exact between nodes in neighbouring grid cells (cell side `2k`, as in the
//! FR grid variant) and, beyond them, acts cell to cell between centres of mass, so an
//! iteration costs about `O(nodes + edges + occupied cells²)` instead of `O(nodes²)` while
//! communities still push one another apart; a pull to the centre keeps disconnected parts
//! on the canvas. The
//! start positions come from a seeded generator and the number of iterations is fixed, so
//! the same graph always gets the same picture.

/// splitmix64: a tiny deterministic generator for the start positions.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn unit(state: &mut u64) -> f64 {
    (splitmix(state) >> 11) as f64 / (1u64 << 53) as f64
}

/// Positions of `n` nodes joined by weighted `edges` (node indices `< n`), scaled into the
/// square `[margin, size - margin]²`. Deterministic for the same input and `seed`.
pub fn force_layout(
    n: usize,
    edges: &[(u32, u32, f64)],
    iterations: usize,
    seed: u64,
    size: f64,
    margin: f64,
) -> Vec<(f64, f64)> {
    if n == 0 {
        return Vec::new();
    }
    let mut state = seed ^ (n as u64).wrapping_mul(0x2545_F491_4F6C_DD1D);
    let mut pos: Vec<(f64, f64)> = (0..n).map(|_| (unit(&mut state), unit(&mut state))).collect();
    if n > 1 {
        relax(&mut pos, edges, iterations);
    }
    fit(&mut pos, size, margin);
    pos
}

/// An occupied grid cell: its index and grid coordinates, centre of mass and mass.
#[derive(Clone, Copy)]
struct Cell {
    index: usize,
    ix: i32,
    iy: i32,
    x: f64,
    y: f64,
    mass: f64,
}

fn relax(pos: &mut [(f64, f64)], edges: &[(u32, u32, f64)], iterations: usize) {
    let n = pos.len();
    let k = (1.0 / n as f64).sqrt();
    let k2 = k * k;
    let wmax = edges.iter().map(|e| e.2).fold(0.0f64, f64::max);
    // Attraction grows with the weight, but every edge pulls a little; damped by the mean
    // degree so that dense graphs do not collapse into a ball.
    let mean_degree = (2.0 * edges.len() as f64 / n as f64).max(1.0);
    let damp = 1.0 / mean_degree.sqrt();
    let weights: Vec<f64> = edges
        .iter()
        .map(|e| damp * if wmax > 0.0 { 0.25 + 0.75 * (e.2 / wmax).max(0.0).sqrt() } else { 1.0 })
        .collect();
    // The whole cloud repels itself with about 1/R at radius R: this pull holds it near
    // radius 0.5 and keeps disconnected parts on the canvas.
    let gravity = 4.0;
    let mut disp = vec![(0.0f64, 0.0f64); n];
    let mut order: Vec<u32> = vec![0; n];
    let mut starts: Vec<u32> = Vec::new();
    let mut fill: Vec<u32> = Vec::new();
    let mut cell_of: Vec<u32> = vec![0; n];
    let mut occupied: Vec<Cell> = Vec::new();
    let mut far: Vec<(f64, f64)> = Vec::new();
    let mut sorted: Vec<(f64, f64)> = Vec::with_capacity(n);
    for it in 0..iterations {
        let temp = 0.1 * (1.0 - it as f64 / iterations as f64) + 0.002;
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));

        // A grid of cells of side 2k over the current bounding box (at most 128 × 128).
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in pos.iter() {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let side = (2.0 * k).max((x1 - x0).max(y1 - y0) / 128.0);
        let gx = (((x1 - x0) / side) as usize + 1).min(128);
        let gy = (((y1 - y0) / side) as usize + 1).min(128);
        // Counting sort of the nodes by cell.
        starts.clear();
        starts.resize(gx * gy + 1, 0);
        for (i, &(x, y)) in pos.iter().enumerate() {
            let cx = (((x - x0) / side) as usize).min(gx - 1);
            let cy = (((y - y0) / side) as usize).min(gy - 1);
            let c = cy * gx + cx;
            cell_of[i] = c as u32;
            starts[c + 1] += 1;
        }
        for c in 0..gx * gy {
            starts[c + 1] += starts[c];
        }
        fill.clear();
        fill.extend_from_slice(&starts);
        for (i, &c) in cell_of.iter().enumerate() {
            order[fill[c as usize] as usize] = i as u32;
            fill[c as usize] += 1;
        }

        // Far field: every occupied cell repels every cell outside its 3 × 3 block as one
        // mass at its centre of mass (cell to cell, symmetric).
        occupied.clear();
        for c in 0..gx * gy {
            let (s, e) = (starts[c] as usize, starts[c + 1] as usize);
            if s == e {
                continue;
            }
            let (mut sx, mut sy) = (0.0, 0.0);
            for &j in &order[s..e] {
                sx += pos[j as usize].0;
                sy += pos[j as usize].1;
            }
            let m = (e - s) as f64;
            occupied.push(Cell { index: c, ix: (c % gx) as i32, iy: (c / gx) as i32, x: sx / m, y: sy / m, mass: m });
        }
        far.clear();
        far.resize(occupied.len(), (0.0, 0.0));
        for a in 0..occupied.len() {
            let ca = occupied[a];
            let (mut fx, mut fy) = (0.0, 0.0);
            for (cb, fb) in occupied[a + 1..].iter().zip(&mut far[a + 1..]) {
                if (ca.ix - cb.ix).abs() <= 1 && (ca.iy - cb.iy).abs() <= 1 {
                    continue;
                }
                let (dx, dy) = (ca.x - cb.x, ca.y - cb.y);
                let f = k2 / (dx * dx + dy * dy);
                fx += dx * f * cb.mass;
                fy += dy * f * cb.mass;
                fb.0 -= dx * f * ca.mass;
                fb.1 -= dy * f * ca.mass;
            }
            far[a].0 += fx;
            far[a].1 += fy;
        }
        for (o, f) in occupied.iter().zip(&far) {
            for &j in &order[starts[o.index] as usize..starts[o.index + 1] as usize] {
                disp[j as usize] = *f;
            }
        }

        // Near field: exact repulsion k²/d from the nodes in the 3 × 3 block. The nodes are
        // copied in cell order, so each row of the block is one contiguous run.
        sorted.clear();
        sorted.extend(order.iter().map(|&j| pos[j as usize]));
        for o in &occupied {
            let (lo_x, hi_x) = ((o.ix - 1).max(0) as usize, (o.ix + 1).min(gx as i32 - 1) as usize);
            let mut runs = [(0usize, 0usize); 3];
            for (r, ny) in ((o.iy - 1).max(0)..=(o.iy + 1).min(gy as i32 - 1)).enumerate() {
                let row = ny as usize * gx;
                runs[r] = (starts[row + lo_x] as usize, starts[row + hi_x + 1] as usize);
            }
            for p in starts[o.index] as usize..starts[o.index + 1] as usize {
                let (xi, yi) = sorted[p];
                let (mut dx_sum, mut dy_sum) = (0.0, 0.0);
                for &(s, e) in &runs {
                    for (q, &(xj, yj)) in sorted[s..e].iter().enumerate() {
                        let (mut dx, mut dy) = (xi - xj, yi - yj);
                        let mut d2 = dx * dx + dy * dy;
                        if d2 < 1e-12 {
                            if s + q == p {
                                continue;
                            }
                            // Coincident nodes: push apart along a direction fixed by the pair.
                            let mut h = (p as u64) << 32 | (s + q) as u64;
                            dx = (unit(&mut h) - 0.5) * 1e-4;
                            dy = (unit(&mut h) - 0.5) * 1e-4;
                            d2 = dx * dx + dy * dy;
                        }
                        let f = k2 / d2; // (k²/d) · (1/d) for the unit vector
                        dx_sum += dx * f;
                        dy_sum += dy * f;
                    }
                }
                let i = order[p] as usize;
                disp[i].0 += dx_sum;
                disp[i].1 += dy_sum;
            }
        }

        // Attraction d²/k along the edges, scaled by weight.
        for (e, &w) in edges.iter().zip(&weights) {
            let (a, b) = (e.0 as usize, e.1 as usize);
            if a == b || a >= n || b >= n {
                continue;
            }
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (dx * dx + dy * dy).sqrt();
            let f = w * d / k; // (d²/k) · (1/d)
            disp[a].0 -= dx * f;
            disp[a].1 -= dy * f;
            disp[b].0 += dx * f;
            disp[b].1 += dy * f;
        }

        // Gravity to the centre, then a step of at most `temp`.
        for (p, d) in pos.iter_mut().zip(&disp) {
            let (dx, dy) = (d.0 + (0.5 - p.0) * gravity, d.1 + (0.5 - p.1) * gravity);
            let len = (dx * dx + dy * dy).sqrt();
            if len > 0.0 {
                let step = len.min(temp);
                p.0 += dx / len * step;
                p.1 += dy / len * step;
            }
        }
    }
}

/// Scales positions into `[margin, size - margin]²`, keeping the aspect ratio and centring.
fn fit(pos: &mut [(f64, f64)], size: f64, margin: f64) {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in pos.iter() {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let span = (x1 - x0).max(y1 - y0);
    let inner = size - 2.0 * margin;
    if span <= 0.0 || !span.is_finite() {
        pos.iter_mut().for_each(|p| *p = (size / 2.0, size / 2.0));
        return;
    }
    let s = inner / span;
    let (ox, oy) = (margin + (inner - (x1 - x0) * s) / 2.0, margin + (inner - (y1 - y0) * s) / 2.0);
    for p in pos.iter_mut() {
        *p = (ox + (p.0 - x0) * s, oy + (p.1 - y0) * s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring_of_cliques(cliques: u32, size: u32) -> (usize, Vec<(u32, u32, f64)>) {
        let mut e = Vec::new();
        for c in 0..cliques {
            let base = c * size;
            for i in 0..size {
                for j in i + 1..size {
                    e.push((base + i, base + j, 1.0 + (i + j) as f64));
                }
            }
            e.push((base, ((c + 1) % cliques) * size, 0.5));
        }
        ((cliques * size) as usize, e)
    }

    #[test]
    fn nodes_stay_in_bounds_and_the_layout_is_deterministic() {
        let (n, e) = ring_of_cliques(12, 9);
        let a = force_layout(n, &e, 150, 7, 500.0, 10.0);
        let b = force_layout(n, &e, 150, 7, 500.0, 10.0);
        assert_eq!(a, b);
        assert_eq!(a.len(), n);
        for &(x, y) in &a {
            assert!((10.0 - 1e-9..=490.0 + 1e-9).contains(&x) && (10.0 - 1e-9..=490.0 + 1e-9).contains(&y), "{x},{y}");
        }
        // Members of a clique end up closer to one another than to other cliques.
        let d = |i: usize, j: usize| ((a[i].0 - a[j].0).powi(2) + (a[i].1 - a[j].1).powi(2)).sqrt();
        let within: f64 = (1..9).map(|j| d(0, j)).sum::<f64>() / 8.0;
        let across: f64 = (0..n).filter(|j| j / 9 != 0).map(|j| d(0, j)).sum::<f64>() / (n - 9) as f64;
        assert!(within < across / 2.0, "within {within}, across {across}");
        // Isolated nodes, one node and no node are fine too.
        for p in force_layout(30, &[], 50, 1, 100.0, 5.0) {
            assert!((5.0..=95.0).contains(&p.0) && (5.0..=95.0).contains(&p.1));
        }
        assert_eq!(force_layout(1, &[], 50, 1, 100.0, 5.0), vec![(50.0, 50.0)]);
        assert!(force_layout(0, &[], 50, 1, 100.0, 5.0).is_empty());
    }
}
