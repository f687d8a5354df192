//! Pillow's `Image.resize` for RGB images: two separable fixed-point passes
//! with u8 rounding between them, or nearest-neighbour scaling. Any
//! rectangle of the result can be computed on its own, bit-identical to
//! cropping the full result, which is how a centre crop avoids resizing
//! pixels it throws away.
//!
//! Pass order changes results by a level here and there. It follows Pillow
//! 13: vertical first when the height shrinks by more than twice as many
//! pixels as the width. Pillow 12.2 and older always go horizontal first, so
//! they agree on upscaling and on all but strongly portrait downscaling.

use std::ops::Range;

use image::RgbImage;

use super::coeffs::axis_coeffs;
use super::convolve::{horizontal, vertical};
use super::error::ImagingError;
use super::filter::Filter;
use super::nearest::nearest;
use super::plane::{copy, Buffer, Plane, PlaneMut};

/// `img.resize((width, height), filter)` as Pillow computes it.
pub fn resize_pil(img: &RgbImage, width: u32, height: u32, filter: Filter) -> Result<RgbImage, ImagingError> {
    let whole = Region { left: 0, top: 0, width, height };
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
        return Err(ImagingError::InvalidSize { width: out_w, height: out_h });
    }
    let (in_w, in_h) = img.dimensions();
    if in_w == 0 || in_h == 0 {
        return Err(ImagingError::NoPixels { width: in_w, height: in_h });
    }
    let bytes = (region.width as usize).checked_mul(region.height as usize).and_then(|pixels| pixels.checked_mul(3));
    if bytes.is_none_or(|b| b > isize::MAX as usize) {
        return Err(ImagingError::InvalidSize { width: region.width, height: region.height });
    }
    let mut out = RgbImage::new(region.width, region.height);
    let cols = overlap(region.left, region.width, out_w);
    let rows = overlap(region.top, region.height, out_h);
    if cols.is_empty() || rows.is_empty() {
        return Ok(out);
    }
    let src = Plane { data: img.as_raw(), stride: in_w as usize * 3, x0: 0, y0: 0 };
    let out_stride = region.width as usize * 3;
    let corner =
        (rows.start as i64 - region.top) as usize * out_stride + (cols.start as i64 - region.left) as usize * 3;
    let pixels: &mut [u8] = &mut out;
    let mut dst = PlaneMut { data: &mut pixels[corner..], stride: out_stride, x0: cols.start, y0: rows.start };
    let sizes = Sizes { in_w: in_w as usize, in_h: in_h as usize, out_w: out_w as usize, out_h: out_h as usize };
    match filter.kernel() {
        None => nearest(&src, &mut dst, (sizes.in_w, sizes.in_h), (sizes.out_w, sizes.out_h), rows, cols),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient(w: u32, h: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x * 7 % 256) as u8, (y * 13 % 256) as u8, ((x + y) * 5 % 256) as u8])
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
        for filter in [Filter::Nearest, Filter::Bilinear, Filter::Bicubic, Filter::Lanczos] {
            for (w, h) in [(40, 17), (5, 90), (13, 8)] {
                let full = resize_pil(&img, w, h, filter).expect("resize");
                let region = Region { left: -2, top: 3, width: 7, height: 6 };
                let part = resize_region(&img, (w, h), region, filter).expect("region");
                for (x, y, p) in part.enumerate_pixels() {
                    let (fx, fy) = (i64::from(x) + region.left, i64::from(y) + region.top);
                    let expected = if (0..i64::from(w)).contains(&fx) && (0..i64::from(h)).contains(&fy) {
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
    fn impossible_sizes_are_refused() {
        let img = gradient(4, 4);
        assert!(matches!(resize_pil(&img, 0, 4, Filter::Bicubic), Err(ImagingError::InvalidSize { .. })));
        assert!(matches!(resize_pil(&img, u32::MAX, u32::MAX, Filter::Bicubic), Err(ImagingError::InvalidSize { .. })));
        assert!(matches!(resize_pil(&RgbImage::new(0, 3), 4, 4, Filter::Bicubic), Err(ImagingError::NoPixels { .. })));
    }
}
