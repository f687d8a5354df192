//! Pillow's two 8-bit resampling passes (`ImagingResampleHorizontal_8bpc`,
//! `ImagingResampleVertical_8bpc`): 22-bit fixed-point weighted sums,
//! rounded and clamped to a byte. The vertical pass runs a whole row at a
//! time so its inner loop is contiguous and vectorises; the horizontal pass
//! is the vertical pass run over transposed pixels, with identical sums.

use std::ops::Range;

use super::coeffs::{AxisCoeffs, PRECISION_BITS};
use super::plane::{transpose, Buffer, Plane, PlaneMut};
use super::simd;

const HALF: i32 = 1 << (PRECISION_BITS - 1);

/// Output pixels `cols` (one `coeffs` entry each) of rows `rows`.
pub(super) fn horizontal(src: &Plane, dst: &mut PlaneMut, rows: Range<usize>, cols: Range<usize>, coeffs: &AxisCoeffs) {
    let span = coeffs.source_span();
    let mut flipped_src = Buffer::new(rows.clone(), span.clone());
    transpose(src, &mut flipped_src.plane_mut(), rows.clone(), span);
    let mut flipped_dst = Buffer::new(rows.clone(), cols.clone());
    let flipped = &mut flipped_dst.plane_mut();
    vertical(&flipped_src.plane(), flipped, cols.clone(), rows.clone(), coeffs);
    transpose(&flipped_dst.plane(), dst, cols, rows);
}

simd::multiversion! {
    /// Output rows `rows` (one `coeffs` entry each) over pixels `cols`.
    pub(super) fn vertical(
        src: &Plane,
        dst: &mut PlaneMut,
        rows: Range<usize>,
        cols: Range<usize>,
        coeffs: &AxisCoeffs,
    ) {
        let mut acc = vec![0i32; cols.len() * 3];
        for (y, (start, weights)) in rows.zip(coeffs.iter()) {
            let line = |t: usize| src.span(start + t, cols.clone());
            acc.fill(HALF);
            // Four source rows per sweep keeps the sums in registers longer.
            let mut quads = weights.chunks_exact(4);
            let mut t = 0;
            for w in &mut quads {
                let lines = line(t).iter().zip(line(t + 1)).zip(line(t + 2)).zip(line(t + 3));
                for (a, (((&s0, &s1), &s2), &s3)) in acc.iter_mut().zip(lines) {
                    *a += i32::from(s0) * w[0]
                        + i32::from(s1) * w[1]
                        + i32::from(s2) * w[2]
                        + i32::from(s3) * w[3];
                }
                t += 4;
            }
            for (dt, &w) in quads.remainder().iter().enumerate() {
                for (a, &s) in acc.iter_mut().zip(line(t + dt)) {
                    *a += i32::from(s) * w;
                }
            }
            for (d, &a) in dst.span(y, cols.clone()).iter_mut().zip(&acc) {
                *d = clip8(a);
            }
        }
    }
}

/// Pillow's `clip8`: drop the fraction bits, clamp to a byte.
#[inline(always)]
fn clip8(acc: i32) -> u8 {
    (acc >> PRECISION_BITS).clamp(0, 255) as u8
}
