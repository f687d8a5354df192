//! The real file's flaws, planted on purpose and recorded exactly, so ingest
//! can be tested against known answers: rows with unquoted commas (pandas
//! skips them), short rows, products without a photo, photos in a nested
//! folder, a photo shadowed by a nested copy, and unreadable photos.
//!
//! Rates follow the Kaggle file (22 skipped rows in 44,446) with a floor so
//! small catalogues still carry every kind; below [`MIN_FOR_DEFECTS`] rows
//! there are none.

use crate::catalogue::seeding::{choose, derive_rng};

/// Catalogues smaller than this are written clean.
pub(crate) const MIN_FOR_DEFECTS: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowDefect {
    /// The display name is written unquoted with this many commas.
    ExtraFields(usize),
    /// Only this many leading fields are written.
    Short(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImageDefect {
    Missing,
    Nested,
    /// Written at the top level and, as a different picture, in the nested folder.
    Shadowed,
    Empty,
    Truncated,
}

/// Which row gets which defect.
pub(crate) struct Plan {
    pub rows: Vec<Option<RowDefect>>,
    pub images: Vec<Option<ImageDefect>>,
}

pub(crate) fn plan(n: usize, seed: u64) -> Plan {
    let mut out = Plan { rows: vec![None; n], images: vec![None; n] };
    if n < MIN_FOR_DEFECTS {
        return out;
    }
    let malformed = (n / 2000).max(3);
    let mut rows: Vec<RowDefect> = (0..malformed).map(|i| RowDefect::ExtraFields(if i == 0 { 2 } else { 1 })).collect();
    rows.extend([RowDefect::Short(9), RowDefect::Short(8)]);
    let mut images = vec![ImageDefect::Missing; (n / 9000).max(3)];
    images.extend(vec![ImageDefect::Nested; (n / 5000).max(3)]);
    images.extend([ImageDefect::Shadowed, ImageDefect::Empty, ImageDefect::Truncated]);

    let all: Vec<usize> = (0..n).collect();
    let spots = choose(&mut derive_rng(seed, &[b"defects"]), &all, rows.len() + images.len());
    let (row_spots, image_spots) = spots.split_at(rows.len());
    for (&at, d) in row_spots.iter().zip(rows) {
        out.rows[at] = Some(d);
    }
    for (&at, d) in image_spots.iter().zip(images) {
        out.images[at] = Some(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_catalogues_are_clean() {
        let p = plan(MIN_FOR_DEFECTS - 1, 1);
        assert!(p.rows.iter().all(Option::is_none));
        assert!(p.images.iter().all(Option::is_none));
    }

    #[test]
    fn defects_do_not_overlap_and_scale() {
        let p = plan(44_446, 1);
        let extra = p.rows.iter().filter(|d| matches!(d, Some(RowDefect::ExtraFields(_)))).count();
        assert_eq!(extra, 22);
        for (r, i) in p.rows.iter().zip(&p.images) {
            assert!(r.is_none() || i.is_none());
        }
        let small = plan(100, 1);
        let kinds = small.images.iter().flatten().count() + small.rows.iter().flatten().count();
        assert_eq!(kinds, 3 + 2 + 3 + 3 + 3);
    }
}
