//! Named random streams. Every random choice in this module draws from a
//! ChaCha8 generator derived from the user's seed and a label (a group key, a
//! row number), so results do not depend on iteration or thread order, and
//! the derivation is written out here rather than left to `std`'s hasher.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// A generator for the stream named by `parts` under `seed`.
pub(crate) fn derive_rng(seed: u64, parts: &[&[u8]]) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(derive_seed(seed, parts))
}

/// FNV-1a over the seed and the length-prefixed parts, then a SplitMix64 finish.
pub(crate) fn derive_seed(seed: u64, parts: &[&[u8]]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(PRIME);
        }
    };
    eat(&seed.to_le_bytes());
    for part in parts {
        eat(&(part.len() as u64).to_le_bytes());
        eat(part);
    }
    splitmix64(h)
}

pub(crate) fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `k` items drawn without replacement, in draw order (partial Fisher–Yates).
pub(crate) fn choose<T: Copy, R: rand::Rng>(rng: &mut R, items: &[T], k: usize) -> Vec<T> {
    let mut pool = items.to_vec();
    let k = k.min(pool.len());
    for i in 0..k {
        let j = rng.random_range(i..pool.len());
        pool.swap(i, j);
    }
    pool.truncate(k);
    pool
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngCore;

    #[test]
    fn streams_are_stable_and_distinct() {
        let a = derive_rng(42, &[b"group", b"Tshirts"]).next_u64();
        assert_eq!(a, derive_rng(42, &[b"group", b"Tshirts"]).next_u64());
        assert_ne!(a, derive_rng(43, &[b"group", b"Tshirts"]).next_u64());
        assert_ne!(a, derive_rng(42, &[b"group", b"Shirts"]).next_u64());
        // length prefixes keep ("ab","c") apart from ("a","bc")
        assert_ne!(derive_seed(1, &[b"ab", b"c"]), derive_seed(1, &[b"a", b"bc"]));
    }

    #[test]
    fn choose_draws_distinct_items() {
        let mut rng = derive_rng(7, &[]);
        let items: Vec<u32> = (0..50).collect();
        let mut picked = choose(&mut rng, &items, 20);
        assert_eq!(picked.len(), 20);
        picked.sort_unstable();
        picked.dedup();
        assert_eq!(picked.len(), 20);
        assert_eq!(choose(&mut rng, &items, 80).len(), 50);
    }
}
