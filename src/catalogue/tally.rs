//! A count plus the first few examples: how the ingest report says "22 rows
//! were skipped, starting with lines 6044, 6569, …" without growing unbounded.

/// How many times something happened, and the first [`Tally::KEPT`] instances.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally<T> {
    pub count: usize,
    pub first: Vec<T>,
}

impl<T> Tally<T> {
    /// How many examples are kept.
    pub const KEPT: usize = 10;

    pub(crate) fn push(&mut self, item: T) {
        self.count += 1;
        if self.first.len() < Self::KEPT {
            self.first.push(item);
        }
    }
}

impl<T> Default for Tally<T> {
    fn default() -> Self {
        Tally { count: 0, first: Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_count_but_only_first_examples() {
        let mut t = Tally::default();
        for i in 0..25 {
            t.push(i);
        }
        assert_eq!(t.count, 25);
        assert_eq!(t.first, (0..10).collect::<Vec<_>>());
    }
}
