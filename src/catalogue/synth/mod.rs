//! Synthetic catalogues in the Kaggle layout, for tests and demos without
//! the 44k-photo download: `styles.csv` with the real columns, vocabularies
//! and skew, `images/{id}.jpg` (60 × 80) drawn as recognisable silhouettes,
//! and the real file's defects planted where the report says they are.
//!
//! Output is byte-identical for a given `(n, seed)`: every product draws from
//! its own random stream, and pictures are rendered in parallel but written
//! to their own files.

mod defects;
mod draw;
mod item;
mod table;
mod vocab;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::catalogue::seeding::{choose, derive_rng};
use defects::{ImageDefect, RowDefect};
use draw::Look;
use item::Item;

/// Nested folder under `images/` that holds some photos, as in the real download.
pub const NESTED_DIR: &str = "extra";

/// JPEG quality of the pictures.
const QUALITY: u8 = 90;

/// What was written, and exactly where the planted defects are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthReport {
    pub styles_csv: PathBuf,
    pub images_dir: PathBuf,
    /// Data lines in `styles.csv` (one per product, defective ones included).
    pub records: usize,
    /// 1-based lines with more fields than the header (an unquoted comma in the name).
    pub malformed_lines: Vec<u64>,
    /// Ids on those lines; their photos exist but no row will name them.
    pub malformed_ids: Vec<i64>,
    /// 1-based lines with fewer fields than the header.
    pub short_lines: Vec<u64>,
    /// Rows whose id has no photo at all.
    pub missing_image_ids: Vec<i64>,
    /// Photos only at `images/extra/{id}.jpg`.
    pub nested_image_ids: Vec<i64>,
    /// Photos at `images/{id}.jpg` and, a different picture, at `images/extra/{id}.jpg`.
    pub shadowed_image_ids: Vec<i64>,
    /// Photos that are zero-byte files.
    pub empty_image_ids: Vec<i64>,
    /// Photos cut off before their JPEG scan data.
    pub truncated_image_ids: Vec<i64>,
    /// Image files written, defective ones included.
    pub images_written: usize,
}

impl SynthReport {
    /// Rows `pandas.read_csv(on_bad_lines="skip")` returns.
    pub fn rows_read(&self) -> usize {
        self.records - self.malformed_lines.len()
    }

    /// Rows with a photo file (readable or not).
    pub fn products(&self) -> usize {
        self.rows_read() - self.missing_image_ids.len()
    }
}

/// A failure to write a synthetic catalogue.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    #[error(
        "{path} is not empty; write synthetic catalogues to a new or empty folder so old \
         files cannot mix with new ones"
    )]
    NotEmpty { path: PathBuf },

    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("cannot encode the picture of product {id}: {source}")]
    Encode {
        id: i64,
        #[source]
        source: image::ImageError,
    },
}

/// Writes `n` synthetic products under `out_dir` (created if needed, must be empty).
pub fn synth(out_dir: &Path, n: usize, seed: u64) -> Result<SynthReport, SynthError> {
    prepare(out_dir)?;
    let images_dir = out_dir.join("images");
    let nested_dir = images_dir.join(NESTED_DIR);
    fs::create_dir_all(&nested_dir).map_err(io_at(&nested_dir))?;

    let weights = item::Weights::new();
    let items: Vec<Item> =
        ids(n, seed).into_iter().enumerate().map(|(i, id)| item::item(seed, i, id, &weights)).collect();
    let plan = defects::plan(n, seed);

    let styles_csv = out_dir.join("styles.csv");
    fs::write(&styles_csv, table::styles_csv(&items, &plan.rows)).map_err(io_at(&styles_csv))?;

    let images_written = items
        .par_iter()
        .zip(plan.images.par_iter())
        .map(|(item, defect)| write_image(&images_dir, item, *defect))
        .try_reduce(|| 0, |a, b| Ok(a + b))?;

    let mut report = SynthReport {
        styles_csv,
        images_dir,
        records: n,
        malformed_lines: Vec::new(),
        malformed_ids: Vec::new(),
        short_lines: Vec::new(),
        missing_image_ids: Vec::new(),
        nested_image_ids: Vec::new(),
        shadowed_image_ids: Vec::new(),
        empty_image_ids: Vec::new(),
        truncated_image_ids: Vec::new(),
        images_written,
    };
    for (i, item) in items.iter().enumerate() {
        let line = i as u64 + 2;
        match plan.rows[i] {
            Some(RowDefect::ExtraFields(_)) => {
                report.malformed_lines.push(line);
                report.malformed_ids.push(item.id);
            }
            Some(RowDefect::Short(_)) => report.short_lines.push(line),
            None => {}
        }
        let list = match plan.images[i] {
            Some(ImageDefect::Missing) => &mut report.missing_image_ids,
            Some(ImageDefect::Nested) => &mut report.nested_image_ids,
            Some(ImageDefect::Shadowed) => &mut report.shadowed_image_ids,
            Some(ImageDefect::Empty) => &mut report.empty_image_ids,
            Some(ImageDefect::Truncated) => &mut report.truncated_image_ids,
            None => continue,
        };
        list.push(item.id);
    }
    Ok(report)
}

/// `n` distinct ids in random order, from a range about twice as wide, like the real ones.
fn ids(n: usize, seed: u64) -> Vec<i64> {
    const FIRST: i64 = 1163;
    let range: Vec<i64> = (FIRST..FIRST + 2 * n as i64 + 1000).collect();
    choose(&mut derive_rng(seed, &[b"ids"]), &range, n)
}

fn prepare(out_dir: &Path) -> Result<(), SynthError> {
    match fs::read_dir(out_dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(SynthError::NotEmpty { path: out_dir.to_owned() });
            }
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => fs::create_dir_all(out_dir).map_err(io_at(out_dir)),
        Err(source) => Err(SynthError::Io { path: out_dir.to_owned(), source }),
    }
}

/// Renders and writes one product's photo(s); returns how many files were written.
fn write_image(dir: &Path, item: &Item, defect: Option<ImageDefect>) -> Result<usize, SynthError> {
    if defect == Some(ImageDefect::Missing) {
        return Ok(0);
    }
    let look =
        Look { article: item.article, rgb: vocab::COLOURS[item.colour].1, pattern: item.pattern, seed: item.look_seed };
    let top = dir.join(format!("{}.jpg", item.id));
    let nested = dir.join(NESTED_DIR).join(format!("{}.jpg", item.id));
    let jpeg = encode(&look, item.id)?;
    let write = |path: &Path, bytes: &[u8]| fs::write(path, bytes).map_err(io_at(path));
    match defect {
        None => write(&top, &jpeg)?,
        Some(ImageDefect::Nested) => write(&nested, &jpeg)?,
        Some(ImageDefect::Empty) => write(&top, &[])?,
        Some(ImageDefect::Truncated) => write(&top, truncated(&jpeg))?,
        Some(ImageDefect::Shadowed) => {
            write(&top, &jpeg)?;
            let decoy = Look { seed: !look.seed, ..look };
            write(&nested, &encode(&decoy, item.id)?)?;
            return Ok(2);
        }
        Some(ImageDefect::Missing) => {}
    }
    Ok(1)
}

fn encode(look: &Look, id: i64) -> Result<Vec<u8>, SynthError> {
    let img = draw::render(look);
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, QUALITY)
        .encode_image(&img)
        .map_err(|source| SynthError::Encode { id, source })?;
    Ok(bytes)
}

/// The JPEG cut off where its scan data starts. A cut inside the scan data
/// is not reliably an error: lenient decoders fill the rest with grey.
fn truncated(jpeg: &[u8]) -> &[u8] {
    let scan = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]);
    &jpeg[..scan.unwrap_or(jpeg.len() / 2)]
}

fn io_at(path: &Path) -> impl Fn(io::Error) -> SynthError + '_ {
    move |source| SynthError::Io { path: path.to_owned(), source }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut pending = vec![dir.to_owned()];
        while let Some(d) = pending.pop() {
            for e in fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    pending.push(p);
                } else {
                    out.push((p.strip_prefix(dir).unwrap().to_owned(), fs::read(&p).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_catalogue() {
        let (a, b, c) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let ra = synth(a.path(), 120, 7).unwrap();
        let rb = synth(b.path(), 120, 7).unwrap();
        synth(c.path(), 120, 8).unwrap();
        let (fa, fb) = (files(a.path()), files(b.path()));
        assert_eq!(fa.len(), fb.len());
        assert_eq!(fa, fb, "every file byte-identical");
        assert_eq!(ra.malformed_lines, rb.malformed_lines);
        let csv = |d: &tempfile::TempDir| fs::read(d.path().join("styles.csv")).unwrap();
        assert_ne!(csv(&a), csv(&c));
    }

    #[test]
    fn defects_are_where_the_report_says() {
        let dir = tempfile::tempdir().unwrap();
        let r = synth(dir.path(), 200, 3).unwrap();
        let img = |id: i64| r.images_dir.join(format!("{id}.jpg"));
        let nested = |id: i64| r.images_dir.join(NESTED_DIR).join(format!("{id}.jpg"));
        assert_eq!(r.records, 200);
        assert_eq!(r.malformed_lines.len(), 3);
        assert_eq!(r.short_lines.len(), 2);
        for id in &r.missing_image_ids {
            assert!(!img(*id).exists() && !nested(*id).exists());
        }
        for id in &r.nested_image_ids {
            assert!(!img(*id).exists());
            assert!(image::open(nested(*id)).is_ok());
        }
        for id in &r.shadowed_image_ids {
            assert_ne!(fs::read(img(*id)).unwrap(), fs::read(nested(*id)).unwrap());
        }
        for id in &r.empty_image_ids {
            assert_eq!(fs::metadata(img(*id)).unwrap().len(), 0);
        }
        for id in r.empty_image_ids.iter().chain(&r.truncated_image_ids) {
            assert!(image::open(img(*id)).is_err(), "{id} should not decode");
        }
        for id in &r.malformed_ids {
            assert!(image::open(img(*id)).is_ok(), "orphan photo of a skipped row");
        }
        assert_eq!(r.images_written, 200 - r.missing_image_ids.len() + r.shadowed_image_ids.len());

        let text = fs::read_to_string(&r.styles_csv).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 201);
        assert_eq!(
            lines[0],
            "id,gender,masterCategory,subCategory,articleType,baseColour,season,year,usage,productDisplayName"
        );
        for &l in &r.malformed_lines {
            let fields = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(lines[l as usize - 1].as_bytes())
                .records()
                .next()
                .unwrap()
                .unwrap()
                .len();
            assert!(fields > 10, "line {l}: {}", lines[l as usize - 1]);
        }
    }

    #[test]
    fn pictures_decode_at_60_by_80() {
        let dir = tempfile::tempdir().unwrap();
        let r = synth(dir.path(), 30, 11).unwrap();
        assert!(r.malformed_lines.is_empty() && r.missing_image_ids.is_empty(), "small catalogues are clean");
        let text = fs::read_to_string(&r.styles_csv).unwrap();
        for line in text.lines().skip(1).take(5) {
            let id = line.split(',').next().unwrap();
            let img = image::open(r.images_dir.join(format!("{id}.jpg"))).unwrap();
            assert_eq!((img.width(), img.height()), (60, 80));
        }
    }

    #[test]
    fn refuses_a_non_empty_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("styles.csv"), "old").unwrap();
        let err = synth(dir.path(), 10, 1).unwrap_err();
        assert!(matches!(err, SynthError::NotEmpty { .. }), "{err}");
    }

    /// `cargo test --release --lib synth_throughput -- --ignored --nocapture`;
    /// writes under `$TMPDIR` (try `TMPDIR=/dev/shm` to leave the disk out).
    #[test]
    #[ignore = "timing; run in release"]
    fn synth_throughput() {
        let dir = tempfile::tempdir().unwrap();
        let n = 20_000;
        let start = std::time::Instant::now();
        synth(dir.path(), n, 42).unwrap();
        let secs = start.elapsed().as_secs_f64();
        println!(
            "synth: {n} products in {secs:.2} s = {:.0} products/s on {} threads",
            n as f64 / secs,
            rayon::current_num_threads()
        );
    }
}
