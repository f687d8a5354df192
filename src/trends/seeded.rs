//! Seeded randomness: one ChaCha8 generator per (seed, purpose), so that the
//! same seed always gives the same subsample, centres and adjectives, and the
//! different uses of one seed do not share a random stream.

use rand::seq::index;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::error::TrendsError;

/// The independent random streams drawn from one seed.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Stream {
    KMeansInit = 0,
    Subsample = 1,
    Choice = 2,
}

/// A generator for `seed`, on the stream reserved for `stream`.
pub(crate) fn seeded_rng(seed: u64, stream: Stream) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream as u64);
    rng
}

/// `amount` distinct indices below `length`, in the order drawn.
pub(crate) fn sample_indices(
    length: usize,
    amount: usize,
    seed: u64,
    stream: Stream,
) -> Result<Vec<usize>, TrendsError> {
    if amount > length {
        return Err(TrendsError::ChooseTooMany { wanted: amount, available: length });
    }
    let mut rng = seeded_rng(seed, stream);
    Ok(index::sample(&mut rng, length, amount).into_vec())
}

/// Picks `count` distinct items in a seeded random order, like the seed's
/// `np.random.choice(ADJ, size=2, replace=False)` (same contract, not the same
/// draws: numpy's generator is not reproduced).
pub fn choose_without_replacement<T: Clone>(items: &[T], count: usize, seed: u64) -> Result<Vec<T>, TrendsError> {
    let picked = sample_indices(items.len(), count, seed, Stream::Choice)?;
    Ok(picked.into_iter().map(|i| items[i].clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn choice_is_distinct_and_deterministic() {
        let items: Vec<u32> = (0..12).collect();
        let a = choose_without_replacement(&items, 5, 7).unwrap();
        assert_eq!(a, choose_without_replacement(&items, 5, 7).unwrap());
        assert_eq!(a.iter().collect::<HashSet<_>>().len(), 5);
        let all = choose_without_replacement(&items, 12, 7).unwrap();
        assert_eq!(all.iter().collect::<HashSet<_>>().len(), 12);
    }

    #[test]
    fn choice_rejects_too_many() {
        assert_eq!(
            choose_without_replacement(&[1, 2], 3, 0),
            Err(TrendsError::ChooseTooMany { wanted: 3, available: 2 })
        );
    }

    #[test]
    fn streams_differ() {
        let a = sample_indices(1000, 10, 1, Stream::Subsample).unwrap();
        let b = sample_indices(1000, 10, 1, Stream::Choice).unwrap();
        assert_ne!(a, b);
    }
}
