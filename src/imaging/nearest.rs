//! Pillow's nearest-neighbour resize (`ImagingScaleAffine`): each output
//! pixel copies the source pixel under its centre, positions accumulated
//! step by step in doubles exactly as Pillow does.

use std::ops::Range;

use super::plane::{Plane, PlaneMut};

/// Output pixels `cols` × `rows` of an `in_size` → `out_size` scaling.
pub(super) fn nearest(
    src: &Plane,
    dst: &mut PlaneMut,
    (in_w, in_h): (usize, usize),
    (out_w, out_h): (usize, usize),
    rows: Range<usize>,
    cols: Range<usize>,
) {
    let xs = positions(in_w, out_w, cols.end);
    let ys = positions(in_h, out_h, rows.end);
    for y in rows {
        let Some(sy) = ys[y] else { continue };
        let line = src.span(sy, 0..in_w);
        for (out, x) in dst.span(y, cols.clone()).chunks_exact_mut(3).zip(cols.clone()) {
            if let Some(sx) = xs[x] {
                out.copy_from_slice(&line[sx * 3..sx * 3 + 3]);
            }
        }
    }
}

/// Source index for each of the first `count` output pixels, `None` where
/// Pillow leaves the pixel black.
fn positions(in_size: usize, out_size: usize, count: usize) -> Vec<Option<usize>> {
    let step = f64::from(in_size as f32) / out_size as f64;
    let mut pos = step * 0.5;
    (0..count)
        .map(|_| {
            let index = (pos >= 0.0 && pos < in_size as f64).then_some(pos as usize);
            pos += step;
            index
        })
        .collect()
}
