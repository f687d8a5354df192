//! Pillow's `Image.resize` for RGB images: two separable fixed-point passes
//! with u8 rounding between them, or its affine nearest-neighbour scaling.
//! Pass order changes results by a level here and there; it follows Pillow
//! 13 (vertical first when the height shrinks by more than twice as many
//! pixels as the width; Pillow 12.2 and older always go horizontal first, so
//! they agree on upscaling and on all but strongly portrait downscaling). Any rectangle of
//! the result can be computed on its own, bit-identical to cropping the full
//! result, which is how a centre crop avoids resizing pixels it throws away.

use std::ops::Range;

use image::RgbImage;

use super::coeffs::{axis_coeffs, AxisCoeffs, PRECISION_BITS};
use super::error::ImagingError;
use super::filter::Filter;

/// `img.resize((width, height), filter)` as Pillow computes it.
pub fn resize_pil(
    img: &RgbImage,
    width: u32,
    height: u32,
    filter: Filter,
) -> Result<RgbImage, ImagingError> {
    let whole = Region {
        left: 0,
        top: 0,
        width,
        height,
    };
    resize_region(img, (width, height), whole, filter)
}

/// A rectangle of the resized image, in its pixel coordinates. Parts outside
/// the image come out black, as in Pillow's `crop`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Region {
    pub left: i64,
    pub top: i64,
    pub width: u32,
    pub height: u32,
}

/// `img.resize(size, filter).crop(region)`, computing only the region.
pub(super) fn resize_region(
    img: &RgbImage,
    (out_w, out_h): (u32, u32),
    region: Region,
    filter: Filter,
) -> Result<RgbImage, ImagingError> {
    if out_w == 0 || out_h == 0 {
        return Err(ImagingError::InvalidSize {
            width: out_w,
            height: out_h,
        });
    }
    let (in_w, in_h) = img.dimensions();
    if in_w == 0 || in_h == 0 {
        return Err(ImagingError::NoPixels {
            width: in_w,
            height: in_h,
        });
    }
    let mut out = RgbImage::new(region.width, region.height);
    let cols = overlap(region.left, region.width, out_w);
    let rows = overlap(region.top, region.height, out_h);
    if cols.is_empty() || rows.is_empty() {
        return Ok(out);
    }
    let src = Plane {
        data: img.as_raw(),
        stride: in_w as usize * 3,
        x0: 0,
        y0: 0,
    };
    let out_stride = region.width as usize * 3;
    let corner = (rows.start as i64 - region.top) as usize * out_stride
        + (cols.start as i64 - region.left) as usize * 3;
    let pixels: &mut [u8] = &mut out;
    let mut dst = PlaneMut {
        data: &mut pixels[corner..],
        stride: out_stride,
        x0: cols.start,
        y0: rows.start,
    };
    let sizes = Sizes {
        in_w: in_w as usize,
        in_h: in_h as usize,
        out_w: out_w as usize,
        out_h: out_h as usize,
    };
    match filter.kernel() {
        None => nearest(&src, &mut dst, sizes, rows, cols),
        Some(kernel) => {
            let horizontal_coeffs = |run| axis_coeffs(filter, kernel, sizes.in_w, sizes.out_w, run);
            let vertical_coeffs = |run| axis_coeffs(filter, kernel, sizes.in_h, sizes.out_h, run);
            let need_h = sizes.in_w != sizes.out_w;
            let need_v = sizes.in_h != sizes.out_h;
            if sizes.vertical_first() {
                let hc = need_h.then(|| horizontal_coeffs(cols.clone()));
                let src_cols = hc.as_ref().map_or(cols.clone(), |c| c.source_span());
                let vc = vertical_coeffs(rows.clone());
                let mut mid = Buffer::new(src_cols.clone(), rows.clone());
                vertical(&src, &mut mid.plane_mut(), rows.clone(), src_cols, &vc);
                match hc {
                    Some(hc) => horizontal(&mid.plane(), &mut dst, rows, cols, &hc),
                    None => copy(&mid.plane(), &mut dst, rows, cols),
                }
            } else {
                let vc = need_v.then(|| vertical_coeffs(rows.clone()));
                let src_rows = vc.as_ref().map_or(rows.clone(), |c| c.source_span());
                let mid = need_h.then(|| {
                    let mut mid = Buffer::new(cols.clone(), src_rows.clone());
                    let hc = horizontal_coeffs(cols.clone());
                    horizontal(&src, &mut mid.plane_mut(), src_rows, cols.clone(), &hc);
                    mid
                });
                let mid_plane = mid.as_ref().map_or(src, Buffer::plane);
                match vc {
                    Some(vc) => vertical(&mid_plane, &mut dst, rows, cols, &vc),
                    None => copy(&mid_plane, &mut dst, rows, cols),
                }
            }
        }
    }
    Ok(out)
}

#[derive(Clone, Copy)]
struct Sizes {
    in_w: usize,
    in_h: usize,
    out_w: usize,
    out_h: usize,
}

impl Sizes {
    /// Pillow 13's `horizontal_first` test, negated.
    fn vertical_first(self) -> bool {
        let shrink_h = self.in_h as i64 - self.out_h as i64;
        let shrink_w = self.in_w as i64 - self.out_w as i64;
        shrink_h > 0 && shrink_h > shrink_w * 2
    }
}

/// The part of `start..start + len` inside `0..size`.
fn overlap(start: i64, len: u32, size: u32) -> Range<usize> {
    let begin = start.clamp(0, i64::from(size));
    let end = (start + i64::from(len)).clamp(begin, i64::from(size));
    begin as usize..end as usize
}

/// RGB pixels whose top-left stored pixel is (`x0`, `y0`) of some image.
#[derive(Clone, Copy)]
struct Plane<'a> {
    data: &'a [u8],
    stride: usize,
    x0: usize,
    y0: usize,
}

impl<'a> Plane<'a> {
    fn span(&self, y: usize, cols: Range<usize>) -> &'a [u8] {
        let row = (y - self.y0) * self.stride;
        &self.data[row + (cols.start - self.x0) * 3..row + (cols.end - self.x0) * 3]
    }
}

struct PlaneMut<'a> {
    data: &'a mut [u8],
    stride: usize,
    x0: usize,
    y0: usize,
}

impl PlaneMut<'_> {
    fn span(&mut self, y: usize, cols: Range<usize>) -> &mut [u8] {
        let row = (y - self.y0) * self.stride;
        &mut self.data[row + (cols.start - self.x0) * 3..row + (cols.end - self.x0) * 3]
    }
}

/// The intermediate image between the two passes.
struct Buffer {
    data: Vec<u8>,
    cols: Range<usize>,
    rows: Range<usize>,
}

impl Buffer {
    fn new(cols: Range<usize>, rows: Range<usize>) -> Buffer {
        Buffer {
            data: vec![0; cols.len() * rows.len() * 3],
            cols,
            rows,
        }
    }

    fn plane(&self) -> Plane<'_> {
        Plane {
            data: &self.data,
            stride: self.cols.len() * 3,
            x0: self.cols.start,
            y0: self.rows.start,
        }
    }

    fn plane_mut(&mut self) -> PlaneMut<'_> {
        PlaneMut {
            stride: self.cols.len() * 3,
            x0: self.cols.start,
            y0: self.rows.start,
            data: &mut self.data,
        }
    }
}

const HALF: i32 = 1 << (PRECISION_BITS - 1);

/// Pillow's `clip8`: drop the fraction bits, clamp to a byte.
fn clip8(acc: i32) -> u8 {
    (acc >> PRECISION_BITS).clamp(0, 255) as u8
}

/// Output columns `cols` (one `coeffs` entry each) of rows `rows`.
fn horizontal(
    src: &Plane,
    dst: &mut PlaneMut,
    rows: Range<usize>,
    cols: Range<usize>,
    coeffs: &AxisCoeffs,
) {
    let span = coeffs.source_span();
    for y in rows {
        let line = src.span(y, span.clone());
        for (out, taps) in dst
            .span(y, cols.clone())
            .chunks_exact_mut(3)
            .zip(&coeffs.taps)
        {
            let first = (taps.start - span.start) * 3;
            let pixels = line[first..first + taps.weights.len() * 3].chunks_exact(3);
            let (mut r, mut g, mut b) = (HALF, HALF, HALF);
            for (p, &w) in pixels.zip(&taps.weights) {
                r += i32::from(p[0]) * w;
                g += i32::from(p[1]) * w;
                b += i32::from(p[2]) * w;
            }
            out.copy_from_slice(&[clip8(r), clip8(g), clip8(b)]);
        }
    }
}

/// Output rows `rows` (one `coeffs` entry each) over columns `cols`, a whole
/// row at a time so the inner loop vectorises.
fn vertical(
    src: &Plane,
    dst: &mut PlaneMut,
    rows: Range<usize>,
    cols: Range<usize>,
    coeffs: &AxisCoeffs,
) {
    let mut acc = vec![0i32; cols.len() * 3];
    for (y, taps) in rows.zip(&coeffs.taps) {
        acc.fill(HALF);
        for (t, &w) in taps.weights.iter().enumerate() {
            let line = src.span(taps.start + t, cols.clone());
            for (a, &s) in acc.iter_mut().zip(line) {
                *a += i32::from(s) * w;
            }
        }
        for (d, &a) in dst.span(y, cols.clone()).iter_mut().zip(&acc) {
            *d = clip8(a);
        }
    }
}

fn copy(src: &Plane, dst: &mut PlaneMut, rows: Range<usize>, cols: Range<usize>) {
    for y in rows {
        dst.span(y, cols.clone())
            .copy_from_slice(src.span(y, cols.clone()));
    }
}

/// Pillow's `ImagingScaleAffine`: each output pixel takes the source pixel
/// under its centre, with positions accumulated step by step in doubles.
fn nearest(src: &Plane, dst: &mut PlaneMut, s: Sizes, rows: Range<usize>, cols: Range<usize>) {
    let xs = nearest_positions(s.in_w, s.out_w, cols.end);
    let ys = nearest_positions(s.in_h, s.out_h, rows.end);
    for y in rows {
        let Some(sy) = ys[y] else { continue };
        let line = src.span(sy, 0..s.in_w);
        for (out, x) in dst
            .span(y, cols.clone())
            .chunks_exact_mut(3)
            .zip(cols.clone())
        {
            if let Some(sx) = xs[x] {
                out.copy_from_slice(&line[sx * 3..sx * 3 + 3]);
            }
        }
    }
}

/// Source index for each of the first `count` output pixels, `None` where
/// Pillow leaves the pixel black.
fn nearest_positions(in_size: usize, out_size: usize, count: usize) -> Vec<Option<usize>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient(w: u32, h: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([
                (x * 7 % 256) as u8,
                (y * 13 % 256) as u8,
                ((x + y) * 5 % 256) as u8,
            ])
        })
    }

    #[test]
    fn same_size_is_a_copy() {
        let img = gradient(9, 5);
        for filter in [Filter::Nearest, Filter::Bicubic] {
            assert_eq!(resize_pil(&img, 9, 5, filter).ok(), Some(img.clone()));
        }
    }

    #[test]
    fn regions_equal_crops_of_the_full_resize() {
        let img = gradient(13, 31);
        for filter in [
            Filter::Nearest,
            Filter::Bilinear,
            Filter::Bicubic,
            Filter::Lanczos,
        ] {
            for (w, h) in [(40, 17), (5, 90), (13, 8)] {
                let full = resize_pil(&img, w, h, filter).expect("resize");
                let region = Region {
                    left: -2,
                    top: 3,
                    width: 7,
                    height: 6,
                };
                let part = resize_region(&img, (w, h), region, filter).expect("region");
                for (x, y, p) in part.enumerate_pixels() {
                    let (fx, fy) = (i64::from(x) + region.left, i64::from(y) + region.top);
                    let expected =
                        if (0..i64::from(w)).contains(&fx) && (0..i64::from(h)).contains(&fy) {
                            *full.get_pixel(fx as u32, fy as u32)
                        } else {
                            image::Rgb([0, 0, 0])
                        };
                    assert_eq!(*p, expected, "{filter:?} {w}x{h} at {x},{y}");
                }
            }
        }
    }

    #[test]
    fn flat_colour_stays_flat() {
        let img = RgbImage::from_pixel(17, 3, image::Rgb([200, 10, 77]));
        let out = resize_pil(&img, 64, 40, Filter::Bicubic).expect("resize");
        assert!(out.pixels().all(|p| p.0 == [200, 10, 77]));
    }

    #[test]
    fn zero_sizes_are_refused() {
        let img = gradient(4, 4);
        assert!(matches!(
            resize_pil(&img, 0, 4, Filter::Bicubic),
            Err(ImagingError::InvalidSize { .. })
        ));
        assert!(matches!(
            resize_pil(&RgbImage::new(0, 3), 4, 4, Filter::Bicubic),
            Err(ImagingError::NoPixels { .. })
        ));
    }
}
