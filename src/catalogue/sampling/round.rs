//! The notebook's per-stratum quota, `max(1, int(round(len(g) * N / len(df))))`,
//! with Python's `round`: ties go to the even neighbour, on the exact binary
//! value of the float, so `round(2.5) == 2` and `round(3.5) == 4`.

/// Python 3's `round(x)` for a float.
pub(crate) fn python_round(x: f64) -> f64 {
    x.round_ties_even()
}

/// How many rows the notebook draws from a stratum of `size` rows when `n`
/// of `total` are wanted, before clamping to `size`. The float operations run
/// in the notebook's order (`frac = n / total`, then `size * frac`) so that
/// near-ties round the same way.
pub(crate) fn quota(size: usize, n: usize, total: usize) -> usize {
    let frac = n as f64 / total as f64;
    let k = python_round(size as f64 * frac);
    (k as usize).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_round_to_even() {
        for (x, want) in [
            (0.5, 0.0),
            (1.5, 2.0),
            (2.5, 2.0),
            (3.5, 4.0),
            (-0.5, -0.0),
            (-1.5, -2.0),
            (2.4999999999999996, 2.0),
            (2.5000000000000004, 3.0),
            (1e15 + 0.5, 1e15),
        ] {
            assert_eq!(python_round(x), want, "round({x})");
        }
    }

    #[test]
    fn quota_follows_the_notebook() {
        // frac = 4/8 = 0.5: 1*0.5 → 0 → max(1, 0) = 1; 3*0.5 = 1.5 → 2; 5*0.5 = 2.5 → 2
        assert_eq!(quota(1, 4, 8), 1);
        assert_eq!(quota(3, 4, 8), 2);
        assert_eq!(quota(5, 4, 8), 2);
        assert_eq!(quota(7, 4, 8), 4);
        // 0.1 is not exact in binary: 5 * (1/10) = 0.5 exactly, rounds to 0 → 1
        assert_eq!(quota(5, 1, 10), 1);
        assert_eq!(quota(15, 1, 10), 2);
        assert_eq!(quota(25, 1, 10), 2);
        // 4000 of 44419, as in the notebook run
        assert_eq!(quota(7067, 4000, 44419), 636);
    }
}
