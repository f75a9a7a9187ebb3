//! The one small seeded PRNG of the crate: synthetic exports draw every choice from it, and the
//! integration tests, benches and test code use it wherever they need repeatable randomness
//! (`arkivar::synth::rng::Rng`), so that no test writes a generator of its own.
//!
//! splitmix64, chosen over an external crate so that generated data stays identical across
//! dependency upgrades; it is fast and passes BigCrush, which is plenty for picking words or
//! mutating bytes. Its number sequence is part of the synthetic exports' contract: the same
//! seed must keep giving the same export, so [`Rng::next_u64`] and the mappings built on it
//! must not change.

/// Small deterministic PRNG (splitmix64): the whole output is determined by the seed, on every
/// platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator whose whole output is determined by `seed`.
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; 0 when `n` is 0.
    ///
    /// Multiply-shift mapping: the bias is below 2^-40 for the small `n`
    /// used here, far less than anything a text generator could notice.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// An index in `0..len`; 0 when `len` is 0 (so `bytes.truncate(rng.index(bytes.len()))`
    /// needs no special case). The same draw as [`Rng::below`].
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// `true` with probability `p` (clamped to 0..=1).
    pub fn chance(&mut self, p: f64) -> bool {
        // 53 bits: exactly the precision of an f64 in [0, 1).
        self.unit_f64() < p
    }

    /// A number in `[0, 1)` with 53 random bits (the precision of an `f64`).
    pub fn unit_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A uniformly chosen element of `items`.
    ///
    /// # Panics
    ///
    /// If `items` is empty (a programming error: there is nothing to choose).
    pub fn choose<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        assert!(!items.is_empty(), "Rng::choose on an empty slice");
        &items[self.below(items.len() as u64) as usize]
    }

    /// A number in `lo..=hi` (`lo` when `hi < lo`).
    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(u64::from(hi.saturating_sub(lo)) + 1) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_splitmix64() {
        // Reference values of splitmix64 seeded with 0.
        let mut r = Rng::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        let mut r = Rng::new(7);
        for n in [1u64, 2, 3, 10, 1000] {
            for _ in 0..200 {
                assert!(r.below(n) < n);
            }
        }
        assert_eq!(r.below(0), 0);
        assert!(!r.chance(0.0));
        assert!(r.chance(1.0));
        let xs = [1, 2, 3];
        assert!(xs.contains(r.choose(&xs)));
    }

    #[test]
    fn helpers_draw_like_below() {
        let (mut a, mut b) = (Rng::new(11), Rng::new(11));
        for n in [0usize, 1, 5, 1000] {
            assert_eq!(a.index(n), b.below(n as u64) as usize);
        }
        for _ in 0..100 {
            let r = a.range(3, 9);
            assert!((3..=9).contains(&r));
            let u = a.unit_f64();
            assert!((0.0..1.0).contains(&u));
        }
        assert_eq!(a.range(5, 2), 5);
    }
}
