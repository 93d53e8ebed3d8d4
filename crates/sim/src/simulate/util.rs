//! Small deterministic helpers: alias sampling, distributions, hashing and CSV fields.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma, Poisson, StandardNormal};

pub type Rng8 = ChaCha8Rng;

/// Walker's alias table over non-negative weights (O(1) sampling).
#[derive(Debug, Clone, Default)]
pub struct Alias {
    prob: Vec<f32>,
    alias: Vec<u32>,
}

impl Alias {
    pub fn new(weights: &[f64]) -> Alias {
        let n = weights.len();
        let total: f64 = weights.iter().map(|w| w.max(0.0)).sum();
        if n == 0 || total <= 0.0 {
            return Alias { prob: Vec::new(), alias: Vec::new() };
        }
        let mut prob = vec![0f32; n];
        let mut alias = vec![0u32; n];
        let mut scaled: Vec<f64> = weights.iter().map(|w| w.max(0.0) * n as f64 / total).collect();
        let mut small = Vec::new();
        let mut large = Vec::new();
        for (i, &p) in scaled.iter().enumerate() {
            if p < 1.0 {
                small.push(i);
            } else {
                large.push(i);
            }
        }
        while let (Some(&s), Some(&l)) = (small.last(), large.last()) {
            small.pop();
            prob[s] = scaled[s] as f32;
            alias[s] = l as u32;
            scaled[l] -= 1.0 - scaled[s];
            if scaled[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        for i in large.into_iter().chain(small) {
            prob[i] = 1.0;
            alias[i] = i as u32;
        }
        Alias { prob, alias }
    }

    pub fn is_empty(&self) -> bool {
        self.prob.is_empty()
    }

    pub fn sample(&self, rng: &mut Rng8) -> usize {
        let n = self.prob.len();
        let i = rng.random_range(0..n);
        if rng.random::<f32>() < self.prob[i] {
            i
        } else {
            self.alias[i] as usize
        }
    }
}

/// Picks from a weighted list of (item, weight).
pub fn pick_weighted<'a, T>(rng: &mut Rng8, items: &'a [(T, f64)]) -> &'a T {
    let total: f64 = items.iter().map(|(_, w)| w.max(0.0)).sum();
    let mut x = rng.random::<f64>() * total;
    for (t, w) in items {
        let w = w.max(0.0);
        if x < w {
            return t;
        }
        x -= w;
    }
    &items[items.len() - 1].0
}

pub fn pick<T: Copy>(rng: &mut Rng8, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

pub fn pick_ref<'a, T>(rng: &mut Rng8, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

pub fn normal(rng: &mut Rng8) -> f64 {
    StandardNormal.sample(rng)
}

/// Log-normal with the given median and sigma.
pub fn lognormal(rng: &mut Rng8, median: f64, sigma: f64) -> f64 {
    median * (sigma * normal(rng)).exp()
}

pub fn poisson(rng: &mut Rng8, lambda: f64) -> u64 {
    if lambda.is_nan() || lambda <= 0.0 || !lambda.is_finite() {
        return 0;
    }
    if lambda < 30.0 {
        // Knuth's method is exact and cheap for small means.
        let l = (-lambda).exp();
        let mut k = 0u64;
        let mut p = 1.0f64;
        loop {
            p *= rng.random::<f64>();
            if p <= l {
                return k;
            }
            k += 1;
        }
    }
    match Poisson::new(lambda) {
        Ok(d) => {
            let v: f64 = d.sample(rng);
            v as u64
        }
        Err(_) => 0,
    }
}

/// Gamma-mixed Poisson (negative binomial): overdispersed counts with mean `lambda`.
pub fn overdispersed(rng: &mut Rng8, lambda: f64, shape: f64) -> u64 {
    if lambda.is_nan() || lambda <= 0.0 {
        return 0;
    }
    let g = Gamma::new(shape, 1.0 / shape).map(|d| d.sample(rng)).unwrap_or(1.0);
    poisson(rng, lambda * g)
}

/// A keyed 64-bit mix (splitmix64 finaliser).
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A keyed, stable 32-byte digest of `data` (not cryptographic; stable across runs).
pub fn digest32(key: u64, data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for lane in 0..4u64 {
        let mut h = mix64(key ^ lane.wrapping_mul(0x51_7cc1_b727_220a));
        for chunk in data.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            h = mix64(h ^ u64::from_le_bytes(w)).rotate_left(17) ^ (chunk.len() as u64);
        }
        h = mix64(h ^ data.len() as u64 ^ lane);
        out[lane as usize * 8..lane as usize * 8 + 8].copy_from_slice(&h.to_le_bytes());
    }
    out
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64(data: &[u8]) -> String {
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        s.push(B64[(n >> 18) as usize & 63] as char);
        s.push(B64[(n >> 12) as usize & 63] as char);
        s.push(if c.len() > 1 { B64[(n >> 6) as usize & 63] as char } else { '=' });
        s.push(if c.len() > 2 { B64[n as usize & 63] as char } else { '=' });
    }
    s
}

/// Appends a double-quoted CSV field (quotes doubled).
pub fn push_field(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let b = s.as_bytes();
    if memchr_quote(b) {
        for &c in b {
            if c == b'"' {
                out.push(b'"');
            }
            out.push(c);
        }
    } else {
        out.extend_from_slice(b);
    }
    out.push(b'"');
}

#[inline]
fn memchr_quote(b: &[u8]) -> bool {
    b.contains(&b'"')
}

/// Random alphanumeric string.
pub fn alnum(rng: &mut Rng8, len: usize) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..len).map(|_| A[rng.random_range(0..A.len())] as char).collect()
}

pub fn lower_alnum(rng: &mut Rng8, len: usize) -> String {
    const A: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..len).map(|_| A[rng.random_range(0..A.len())] as char).collect()
}

/// Uppercases the first character.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn alias_and_hash() {
        let a = Alias::new(&[1.0, 0.0, 3.0]);
        let mut rng = Rng8::seed_from_u64(1);
        let mut c = [0u32; 3];
        for _ in 0..40_000 {
            c[a.sample(&mut rng)] += 1;
        }
        assert_eq!(c[1], 0);
        assert!((c[2] as f64 / c[0] as f64 - 3.0).abs() < 0.2, "{c:?}");
        let h = base64(&digest32(7, b"12345"));
        assert_eq!(h.len(), 44);
        assert!(h.ends_with('='));
        assert_eq!(h, base64(&digest32(7, b"12345")));
        assert_ne!(h, base64(&digest32(7, b"12346")));
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(b"fo"), "Zm8=");
        let mut v = Vec::new();
        push_field(&mut v, "a\"b");
        assert_eq!(v, b"\"a\"\"b\"");
        let mut rng = Rng8::seed_from_u64(2);
        let mean = (0..20_000).map(|_| poisson(&mut rng, 3.5) as f64).sum::<f64>() / 20_000.0;
        assert!((mean - 3.5).abs() < 0.1);
        let mean = (0..20_000).map(|_| poisson(&mut rng, 80.0) as f64).sum::<f64>() / 20_000.0;
        assert!((mean - 80.0).abs() < 0.5);
    }
}
