//! Windows onto packed RGB pixels addressed in the coordinates of a larger
//! image, so a pass can work on any rectangle (and on transposed copies)
//! without offset arithmetic at every call site.

use std::ops::Range;

/// Read-only RGB pixels whose first stored pixel is (`x0`, `y0`).
#[derive(Clone, Copy)]
pub(super) struct Plane<'a> {
    pub data: &'a [u8],
    pub stride: usize,
    pub x0: usize,
    pub y0: usize,
}

impl<'a> Plane<'a> {
    /// The bytes of pixels `cols` in row `y`.
    #[inline(always)]
    pub(super) fn span(&self, y: usize, cols: Range<usize>) -> &'a [u8] {
        let row = (y - self.y0) * self.stride;
        &self.data[row + (cols.start - self.x0) * 3..row + (cols.end - self.x0) * 3]
    }
}

/// Writable RGB pixels whose first stored pixel is (`x0`, `y0`).
pub(super) struct PlaneMut<'a> {
    pub data: &'a mut [u8],
    pub stride: usize,
    pub x0: usize,
    pub y0: usize,
}

impl PlaneMut<'_> {
    #[inline(always)]
    pub(super) fn span(&mut self, y: usize, cols: Range<usize>) -> &mut [u8] {
        let row = (y - self.y0) * self.stride;
        &mut self.data[row + (cols.start - self.x0) * 3..row + (cols.end - self.x0) * 3]
    }
}

/// An owned rectangle: pixels `cols` × `rows`.
pub(super) struct Buffer {
    data: Vec<u8>,
    cols: Range<usize>,
    rows: Range<usize>,
}

impl Buffer {
    pub(super) fn new(cols: Range<usize>, rows: Range<usize>) -> Buffer {
        Buffer { data: vec![0; cols.len() * rows.len() * 3], cols, rows }
    }

    pub(super) fn plane(&self) -> Plane<'_> {
        Plane { data: &self.data, stride: self.cols.len() * 3, x0: self.cols.start, y0: self.rows.start }
    }

    pub(super) fn plane_mut(&mut self) -> PlaneMut<'_> {
        PlaneMut { stride: self.cols.len() * 3, x0: self.cols.start, y0: self.rows.start, data: &mut self.data }
    }
}

pub(super) fn copy(src: &Plane, dst: &mut PlaneMut, rows: Range<usize>, cols: Range<usize>) {
    for y in rows {
        dst.span(y, cols.clone()).copy_from_slice(src.span(y, cols.clone()));
    }
}

/// Pixel (x, y) of `src`, for x in `cols` and y in `rows`, to (y, x) of `dst`,
/// in tiles so both sides stay in cache.
pub(super) fn transpose(src: &Plane, dst: &mut PlaneMut, rows: Range<usize>, cols: Range<usize>) {
    const TILE: usize = 16;
    for tile_y in rows.clone().step_by(TILE) {
        let tile_rows = tile_y..(tile_y + TILE).min(rows.end);
        for tile_x in cols.clone().step_by(TILE) {
            let tile_cols = tile_x..(tile_x + TILE).min(cols.end);
            for y in tile_rows.clone() {
                let line = src.span(y, tile_cols.clone());
                for (x, pixel) in tile_cols.clone().zip(line.chunks_exact(3)) {
                    dst.span(x, y..y + 1).copy_from_slice(pixel);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transpose_swaps_coordinates() {
        let mut src = Buffer::new(2..7, 10..13);
        for (i, b) in src.data.iter_mut().enumerate() {
            *b = i as u8;
        }
        let mut dst = Buffer::new(10..13, 2..7);
        transpose(&src.plane(), &mut dst.plane_mut(), 10..13, 2..7);
        let (s, d) = (src.plane(), dst.plane());
        for y in 10..13 {
            for x in 2..7 {
                assert_eq!(s.span(y, x..x + 1), d.span(x, y..y + 1));
            }
        }
    }
}
