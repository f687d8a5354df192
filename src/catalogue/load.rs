//! The product table: `styles.csv` rows joined to their photos, rows without
//! a photo dropped, as in the notebook's `find_image_path` + `dropna`.

use std::path::{Path, PathBuf};

use super::column::Column;
use super::error::CatalogueError;
use super::images::ImageIndex;
use super::report::IngestReport;
use super::style::Style;
use super::styles::read_styles;

/// A product with metadata and a photo on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub style: Style,
    pub image: PathBuf,
}

/// The products of a catalogue folder, in `styles.csv` order.
#[derive(Debug, Clone)]
pub struct Catalogue {
    /// Known columns present in the `styles.csv` header; absent ones read as missing.
    pub columns: Vec<Column>,
    pub products: Vec<Product>,
    pub report: IngestReport,
}

impl Catalogue {
    /// Loads `dir/styles.csv` and `dir/images/`, the Kaggle layout.
    pub fn load(dir: &Path) -> Result<Self, CatalogueError> {
        Self::load_parts(&dir.join("styles.csv"), &dir.join("images"))
    }

    /// Loads a styles file and an images folder that need not sit together.
    pub fn load_parts(styles_csv: &Path, images_root: &Path) -> Result<Self, CatalogueError> {
        let table = read_styles(styles_csv)?;
        let index = ImageIndex::build(images_root)?;
        let mut report = table.report;
        let mut products = Vec::with_capacity(table.rows.len());
        for style in table.rows {
            match index.find(style.id) {
                Some(path) => products.push(Product { image: path.to_owned(), style }),
                None => report.missing_images.push(style.id),
            }
        }
        report.products = products.len();
        Ok(Catalogue { columns: table.columns, products, report })
    }

    /// Whether `column` was in the `styles.csv` header.
    pub fn has_column(&self, column: Column) -> bool {
        self.columns.contains(&column)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::catalogue::report::MalformedReason;
    use crate::catalogue::synth::{synth, NESTED_DIR};

    #[test]
    fn ingest_counts_match_the_planted_defects() {
        let dir = tempfile::tempdir().unwrap();
        let planted = synth(dir.path(), 300, 5).unwrap();
        let cat = Catalogue::load(dir.path()).unwrap();
        let r = &cat.report;

        assert_eq!(r.records, planted.records);
        assert_eq!(r.rows_read, planted.rows_read());
        let lines: Vec<u64> = r.malformed.first.iter().map(|m| m.line).collect();
        assert_eq!(lines, planted.malformed_lines);
        assert!(r.malformed.first.iter().all(|m| matches!(m.reason, MalformedReason::TooManyFields { .. })));
        assert_eq!(r.short_rows.first, planted.short_lines);
        assert_eq!(r.duplicate_ids.count, 0);
        assert_eq!(r.invalid_years.count, 0);
        let missing: BTreeSet<i64> = r.missing_images.first.iter().copied().collect();
        assert_eq!(missing, planted.missing_image_ids.iter().copied().collect());
        assert_eq!(r.products, planted.products());
        assert_eq!(cat.products.len(), planted.products());

        let image = |id: i64| cat.products.iter().find(|p| p.style.id == id).map(|p| p.image.clone());
        for &id in &planted.nested_image_ids {
            assert_eq!(image(id), Some(planted.images_dir.join(NESTED_DIR).join(format!("{id}.jpg"))));
        }
        for &id in &planted.shadowed_image_ids {
            assert_eq!(image(id), Some(planted.images_dir.join(format!("{id}.jpg"))), "top level wins");
        }
        for &id in planted.empty_image_ids.iter().chain(&planted.truncated_image_ids) {
            assert!(image(id).is_some(), "like the notebook, ingest only checks that the file exists");
        }
        for &id in &planted.malformed_ids {
            assert_eq!(image(id), None, "skipped rows stay skipped though their photo exists");
        }
        // pandas 3.1.1 on this very output: read_csv(on_bad_lines="warn") gives
        // 297 rows and skips lines 111, 194, 263; find_image_path finds 294.
        assert_eq!((r.rows_read, lines.as_slice(), r.products), (297, &[111, 194, 263][..], 294));

        let shown = r.to_string();
        assert!(shown.contains(&format!("{} rows read", planted.rows_read())), "{shown}");
    }

    #[test]
    fn a_folder_without_the_layout_is_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = Catalogue::load(dir.path()).unwrap_err();
        assert!(matches!(err, CatalogueError::StylesNotFound { .. }), "{err}");
        std::fs::write(dir.path().join("styles.csv"), "id\n1\n").unwrap();
        let err = Catalogue::load(dir.path()).unwrap_err();
        assert!(matches!(err, CatalogueError::ImagesNotFound { .. }), "{err}");
    }
}
