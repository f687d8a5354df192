//! Parity of `t2d::imaging` with the Python reference: every fixture image
//! made by `tests/fixtures/preprocess/make_goldens.py` must come out of
//! `ClipPreprocess` exactly as Pillow's `open_and_preprocess` made it.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use t2d::imaging::{decode_rgb, resize_pil, ClipPreprocess, DecodeLimits, Filter, ImagingError, RgbImage};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/preprocess")
}

fn manifest() -> Value {
    let text = fs::read_to_string(fixtures().join("manifest.json")).expect("manifest.json");
    serde_json::from_str(&text).expect("manifest is JSON")
}

fn read(relative: &str) -> Vec<u8> {
    fs::read(fixtures().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// Goldens are read with the `image` crate, independently of the code under test.
fn golden(relative: &str) -> RgbImage {
    image::load_from_memory_with_format(&read(relative), image::ImageFormat::Png)
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
        .to_rgb8()
}

fn max_abs_diff(a: &RgbImage, b: &RgbImage) -> u8 {
    assert_eq!(a.dimensions(), b.dimensions());
    a.as_raw().iter().zip(b.as_raw()).map(|(x, y)| x.abs_diff(*y)).max().unwrap_or(0)
}

fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} in {v}"))
}

fn u32_field(v: &Value, key: &str) -> u32 {
    v[key].as_u64().unwrap_or_else(|| panic!("{key} in {v}")) as u32
}

#[test]
fn clip_crops_match_pillow_pixel_for_pixel() {
    let manifest = manifest();
    let pre = ClipPreprocess::CLIP;
    let mut report = String::new();
    let mut worst = 0;
    for entry in manifest["images"].as_array().expect("images") {
        let input = str_field(entry, "input");
        let out = pre
            .preprocess(&read(&format!("images/{input}")), &DecodeLimits::DEFAULT)
            .unwrap_or_else(|e| panic!("{input}: {e}"));
        let expected = golden(&format!("golden/{}", str_field(entry, "golden")));
        let diff = max_abs_diff(&out.crop, &expected);
        worst = worst.max(diff);
        let mode = str_field(entry, "pillow_mode");
        writeln!(report, "{diff:>3}  {mode:<5} {input}").expect("write to String");

        let size = pre.size() as usize;
        for sample in entry["normalised"].as_array().expect("normalised") {
            let [c, y, x] = ["c", "y", "x"].map(|k| sample[k].as_u64().expect("index") as usize);
            let expected = sample["value"].as_f64().expect("value");
            let actual = f64::from(out.chw[(c * size + y) * size + x]);
            assert!((actual - expected).abs() < 1e-5, "{input} c{c} y{y} x{x}: {actual} vs {expected}");
        }
    }
    println!("max |rust - pillow| per image (u8 levels):\n{report}");
    // JPEGs go through the same libjpeg-turbo decoder as Pillow's and every
    // later step is exact, so no tolerance is needed.
    assert_eq!(worst, 0, "largest per-channel difference:\n{report}");
}

#[test]
fn resize_matches_pillow_for_every_filter() {
    for case in manifest()["resize"].as_array().expect("resize") {
        let source = decode_rgb(&read(str_field(case, "source")), &DecodeLimits::DEFAULT).expect("lossless source");
        let filter = match str_field(case, "filter") {
            "nearest" => Filter::Nearest,
            "box" => Filter::Box,
            "bilinear" => Filter::Bilinear,
            "hamming" => Filter::Hamming,
            "bicubic" | "default" => Filter::Bicubic,
            "lanczos" => Filter::Lanczos,
            "mks2013" => Filter::Mks2013,
            "mks2021" => Filter::Mks2021,
            other => panic!("unknown filter {other}"),
        };
        let out = resize_pil(&source, u32_field(case, "width"), u32_field(case, "height"), filter).expect("resize");
        let name = str_field(case, "golden");
        let expected = golden(&format!("resize/{name}"));
        assert_eq!(max_abs_diff(&out, &expected), 0, "{name}");
    }
}

fn variant(err: &ImagingError) -> &'static str {
    match err {
        ImagingError::Empty => "Empty",
        ImagingError::UnknownFormat { .. } => "UnknownFormat",
        ImagingError::Truncated { .. } => "Truncated",
        ImagingError::Corrupt { .. } => "Corrupt",
        ImagingError::Unsupported { .. } => "Unsupported",
        ImagingError::TooLarge { .. } => "TooLarge",
        ImagingError::NoPixels { .. } => "NoPixels",
        ImagingError::InvalidSize { .. } => "InvalidSize",
        ImagingError::InvalidConfig(_) => "InvalidConfig",
        ImagingError::BufferSize { .. } => "BufferSize",
    }
}

#[test]
fn bad_files_give_the_error_that_names_the_problem() {
    for case in manifest()["bad"].as_array().expect("bad") {
        let file = str_field(case, "file");
        let bytes = read(&format!("bad/{file}"));
        match ClipPreprocess::CLIP.preprocess(&bytes, &DecodeLimits::DEFAULT) {
            Ok(_) => panic!("{file} decoded; Pillow said {}", case["pillow"]),
            Err(err) => assert_eq!(variant(&err), str_field(case, "expect"), "{file}: {err}"),
        }
    }
}

#[test]
fn limits_are_checked_before_decoding() {
    let small = DecodeLimits { max_side: 100, max_pixels: 60 * 80 };
    let bytes = read("images/catalogue_0.jpg");
    assert!(decode_rgb(&bytes, &small).is_ok());
    let tighter = DecodeLimits { max_pixels: 60 * 80 - 1, ..small };
    for input in ["images/catalogue_0.jpg", "images/rgb_60x80.png"] {
        let err = decode_rgb(&read(input), &tighter).expect_err("over the limit");
        assert!(matches!(err, ImagingError::TooLarge { width: 60, height: 80, .. }), "{err}");
    }
}
