//! A tiny, fully deterministic pseudo-random generator (SplitMix64).
//!
//! Leiden needs random node orders and, in the refinement phase, random choices between
//! candidate merges. Statistical quality requirements are modest; what matters is that
//! the stream depends only on the seed (not on the platform, the crate versions of a
//! general-purpose RNG library, or thread timing).

/// SplitMix64 (Steele, Lea & Flood 2014), as used to seed the xoshiro family.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    state: u64,
}

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        // Decorrelate small consecutive seeds a little; any 64-bit value is a valid state.
        Rng { state: seed ^ 0x6A09_E667_F3BC_C909 }
    }

    /// An independent stream for `(seed, stream)`: the state is a strong hash of both, so
    /// streams for consecutive indices do not overlap in practice.
    pub(crate) fn stream(seed: u64, stream: u64) -> Self {
        Rng { state: mix(seed ^ mix(stream.wrapping_add(0xA076_1D64_78BD_642F))) }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.state)
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    pub(crate) fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `0..bound` (`bound > 0`), unbiased (Lemire's multiply-and-reject).
    pub(crate) fn below(&mut self, bound: u64) -> u64 {
        debug_assert!(bound > 0);
        let mut m = u128::from(self.next_u64()) * u128::from(bound);
        if (m as u64) < bound {
            let threshold = bound.wrapping_neg() % bound;
            while (m as u64) < threshold {
                m = u128::from(self.next_u64()) * u128::from(bound);
            }
        }
        (m >> 64) as u64
    }

    /// A uniformly random permutation of `0..n` (Fisher–Yates).
    pub(crate) fn permutation(&mut self, n: usize) -> Vec<u32> {
        let mut p = Vec::new();
        self.permutation_into(n, &mut p);
        p
    }

    /// [`Rng::permutation`] into a reused buffer.
    pub(crate) fn permutation_into(&mut self, n: usize, p: &mut Vec<u32>) {
        p.clear();
        p.extend(0..n as u32);
        self.shuffle(p);
    }

    /// Shuffles `v` uniformly (Fisher–Yates).
    pub(crate) fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            v.swap(i, j);
        }
    }
}

/// The SplitMix64 output function: a bijective 64-bit mixer.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_ranges() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..1000 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        let mut c = Rng::new(8);
        assert_ne!(Rng::new(7).next_u64(), c.next_u64());
        for _ in 0..1000 {
            let x = a.next_f64();
            assert!((0.0..1.0).contains(&x));
            assert!(a.below(3) < 3);
        }
        assert_eq!(a.below(1), 0);
    }

    #[test]
    fn permutation_is_a_permutation_and_roughly_uniform() {
        let mut rng = Rng::new(1);
        let mut first = [0usize; 4];
        for _ in 0..4000 {
            let mut p = rng.permutation(4);
            first[p[0] as usize] += 1;
            p.sort_unstable();
            assert_eq!(p, vec![0, 1, 2, 3]);
        }
        for &c in &first {
            assert!((800..1200).contains(&c), "{first:?}");
        }
        assert!(rng.permutation(0).is_empty());
        let a: Vec<u64> = (0..3).map(|i| Rng::stream(5, i).next_u64()).collect();
        assert!(a[0] != a[1] && a[1] != a[2]);
        assert_eq!(Rng::stream(5, 1).next_u64(), a[1]);
    }
}
