//! What ingest did to the raw file: how many rows pandas would have read,
//! which lines it would have skipped, and which rows were dropped on the way
//! to the product table. Tests assert on it; the CLI prints it.

use std::fmt;
use std::path::PathBuf;

use super::tally::Tally;

/// A data line that did not become a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// 1-based physical line of `styles.csv` where the record starts.
    pub line: u64,
    pub reason: MalformedReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MalformedReason {
    /// More fields than the header: pandas `on_bad_lines="skip"` drops these.
    TooManyFields { expected: usize, found: usize },
    /// pandas would keep the row (turning `id` into a string column), but every
    /// product needs an integer id to name its image, so the row is dropped.
    InvalidId { raw: String },
}

/// Counts from reading `styles.csv` and linking images.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestReport {
    pub styles_csv: PathBuf,
    /// Non-blank data records after the header.
    pub records: usize,
    /// Rows `pandas.read_csv(path, on_bad_lines="skip")` returns: every record
    /// except those with too many fields.
    pub rows_read: usize,
    /// Records dropped, too many fields first seen or invalid ids, in file order.
    pub malformed: Tally<Malformed>,
    /// Lines with fewer fields than the header; kept, the missing cells null.
    pub short_rows: Tally<u64>,
    /// Lines whose `year` is neither an integer nor an integral float; kept with a null year.
    pub invalid_years: Tally<u64>,
    /// Ids seen again after their first row; the later rows are dropped.
    pub duplicate_ids: Tally<i64>,
    /// Ids with no `{id}.jpg` anywhere under the images folder; dropped.
    /// Filled by [`super::Catalogue::load`]; empty after [`super::read_styles`].
    pub missing_images: Tally<i64>,
    /// Rows left in the table.
    pub products: usize,
}

impl fmt::Display for IngestReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} rows read, {} malformed", self.styles_csv.display(), self.rows_read, self.malformed.count)?;
        if !self.malformed.first.is_empty() {
            let lines: Vec<String> = self.malformed.first.iter().map(|m| m.line.to_string()).collect();
            write!(f, " (lines {}", lines.join(", "))?;
            if self.malformed.count > lines.len() {
                f.write_str(", …")?;
            }
            f.write_str(")")?;
        }
        write!(
            f,
            ", {} duplicate ids, {} without image; {} products",
            self.duplicate_ids.count, self.missing_images.count, self.products
        )
    }
}
