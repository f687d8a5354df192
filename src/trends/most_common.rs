//! Python's `Counter(items).most_common(n)`, whose tie-break (first seen
//! wins) decides which two colour names a prompt gets.

use std::collections::HashMap;
use std::hash::Hash;

/// The `n` most frequent items with their counts, most frequent first; equal
/// counts keep the order in which the items first appear.
pub fn most_common<T: Eq + Hash + Clone>(items: &[T], n: usize) -> Vec<(T, usize)> {
    let mut position: HashMap<&T, usize> = HashMap::new();
    let mut counts: Vec<(T, usize)> = Vec::new();
    for item in items {
        let slot = *position.entry(item).or_insert_with(|| {
            counts.push((item.clone(), 0));
            counts.len() - 1
        });
        counts[slot].1 += 1;
    }
    counts.sort_by_key(|&(_, count)| std::cmp::Reverse(count));
    counts.truncate(n);
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_go_to_the_first_seen() {
        let colours = ["blue", "red", "red", "blue", "black", "black"];
        assert_eq!(most_common(&colours, 2), vec![("blue", 2), ("red", 2)]);
        let colours = ["white", "black", "black", "white", "white"];
        assert_eq!(most_common(&colours, 2), vec![("white", 3), ("black", 2)]);
        assert_eq!(most_common(&colours, 1), vec![("white", 3)]);
    }

    #[test]
    fn short_and_empty_inputs() {
        assert_eq!(most_common(&[7], 2), vec![(7, 1)]);
        assert!(most_common::<u8>(&[], 2).is_empty());
    }
}
