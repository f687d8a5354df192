//! The `styles.csv` reader. It reproduces `pandas.read_csv(path,
//! on_bad_lines="skip")` row for row, because that is what the reference
//! notebook ran: a record with more fields than the header is skipped, one
//! with fewer is kept with the missing cells null, pandas' NA strings are
//! null, blank and whitespace-only lines are ignored.
//!
//! Where pandas and a typed table must differ, the choice is recorded in the
//! report rather than made silently:
//! - `id` must be an integer (it names the image); other rows are malformed.
//! - A repeated id keeps its first row; later ones are counted and dropped.
//! - Line numbers are physical file lines, as an editor shows them. pandas'
//!   "Skipping line N" warnings undercount by one per newline inside a quoted
//!   field earlier in the file; the Kaggle file has none, so they agree there.
//! - pandas turns the first column into the index when the first data row has
//!   exactly one field more than the header; here that row is malformed like
//!   any other.
//! - Bytes that are not UTF-8 are replaced (U+FFFD) instead of failing.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::Path;

use super::column::Column;
use super::error::CatalogueError;
use super::fields::{self, Year};
use super::report::{IngestReport, Malformed, MalformedReason};
use super::style::Style;

/// The rows of `styles.csv` with an integer id, first occurrence of each id.
#[derive(Debug, Clone)]
pub struct StylesTable {
    /// Known columns present in the header, in header order.
    pub columns: Vec<Column>,
    pub rows: Vec<Style>,
    pub report: IngestReport,
}

/// Reads `styles.csv` as pandas `read_csv(on_bad_lines="skip")` would, into typed rows.
pub fn read_styles(path: &Path) -> Result<StylesTable, CatalogueError> {
    let bytes = fs::read(path).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => CatalogueError::StylesNotFound { path: path.to_owned() },
        _ => CatalogueError::Io { path: path.to_owned(), source },
    })?;
    Parser::new(path, &bytes).run()
}

struct Parser<'a> {
    path: &'a Path,
    lines: LineCounter<'a>,
    reader: csv::Reader<&'a [u8]>,
}

/// Where each known column sits in a record.
struct Layout {
    width: usize,
    slots: Vec<(Column, usize)>,
    columns: Vec<Column>,
}

impl<'a> Parser<'a> {
    fn new(path: &'a Path, bytes: &'a [u8]) -> Self {
        let reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
        Parser { path, lines: LineCounter::new(bytes), reader }
    }

    fn run(mut self) -> Result<StylesTable, CatalogueError> {
        let mut record = csv::ByteRecord::new();
        if !self.next(&mut record)? {
            return Err(CatalogueError::EmptyStyles { path: self.path.to_owned() });
        }
        let layout = self.layout(&record)?;
        let mut report = IngestReport { styles_csv: self.path.to_owned(), ..IngestReport::default() };
        let mut rows = Vec::new();
        let mut seen = HashSet::new();
        while self.next(&mut record)? {
            let line = self.line_of(&record);
            report.records += 1;
            if record.len() > layout.width {
                report.malformed.push(Malformed {
                    line,
                    reason: MalformedReason::TooManyFields { expected: layout.width, found: record.len() },
                });
                continue;
            }
            report.rows_read += 1;
            if record.len() < layout.width {
                report.short_rows.push(line);
            }
            let Some(style) = self.style(&layout, &record, line, &mut report) else {
                continue;
            };
            if seen.insert(style.id) {
                rows.push(style);
            } else {
                report.duplicate_ids.push(style.id);
            }
        }
        report.products = rows.len();
        Ok(StylesTable { columns: layout.columns, rows, report })
    }

    /// The next non-blank record, if any.
    fn next(&mut self, record: &mut csv::ByteRecord) -> Result<bool, CatalogueError> {
        loop {
            let more = self.reader.read_byte_record(record).map_err(|source| {
                let line = source.position().map_or(0, |p| p.line());
                CatalogueError::Csv { path: self.path.to_owned(), line, source }
            })?;
            if !more {
                return Ok(false);
            }
            let blank = record.len() == 1 && record[0].iter().all(|b| matches!(b, b' ' | b'\t'));
            if !blank {
                return Ok(true);
            }
        }
    }

    fn line_of(&mut self, record: &csv::ByteRecord) -> u64 {
        let offset = record.position().map_or(0, |p| p.byte());
        self.lines.record_line(usize::try_from(offset).unwrap_or(usize::MAX))
    }

    fn layout(&self, header: &csv::ByteRecord) -> Result<Layout, CatalogueError> {
        let names: Vec<Cow<str>> = header.iter().map(String::from_utf8_lossy).collect();
        let mut slots: Vec<(Column, usize)> = Vec::new();
        for (i, name) in names.iter().enumerate() {
            if let Some(c) = Column::from_name(name) {
                if !slots.iter().any(|(seen, _)| *seen == c) {
                    slots.push((c, i));
                }
            }
        }
        if !slots.iter().any(|(c, _)| *c == Column::Id) {
            return Err(CatalogueError::MissingColumns {
                path: self.path.to_owned(),
                missing: vec![Column::Id.name().to_owned()],
                found: names.iter().map(|n| n.to_string()).collect(),
            });
        }
        Ok(Layout { width: header.len(), columns: slots.iter().map(|(c, _)| *c).collect(), slots })
    }

    fn style(&self, layout: &Layout, record: &csv::ByteRecord, line: u64, report: &mut IngestReport) -> Option<Style> {
        let cell = |i: usize| record.get(i).map(String::from_utf8_lossy);
        let mut style = Style::new(0);
        style.line = line;
        let mut id = None;
        for &(column, i) in &layout.slots {
            let raw = cell(i).unwrap_or_default();
            match column {
                Column::Id => id = Some(raw),
                Column::Year => match fields::year(&raw) {
                    Year::Value(y) => style.year = Some(y),
                    Year::Missing => {}
                    Year::Invalid => report.invalid_years.push(line),
                },
                _ => {
                    if let Some(slot) = style.text_mut(column) {
                        *slot = fields::text(&raw);
                    }
                }
            }
        }
        let raw = id.unwrap_or_default();
        match fields::id(&raw) {
            Some(id) => {
                style.id = id;
                Some(style)
            }
            None => {
                report.malformed.push(Malformed { line, reason: MalformedReason::InvalidId { raw: raw.into_owned() } });
                None
            }
        }
    }
}

/// Turns the byte offsets the csv reader gives into 1-based physical lines.
///
/// The reader reports a record's start *before* any blank lines it skipped,
/// so line terminators at the offset are stepped over first.
struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter { bytes, pos: 0, line: 1 }
    }

    fn record_line(&mut self, offset: usize) -> u64 {
        let mut start = offset.max(self.pos);
        while matches!(self.bytes.get(start), Some(b'\n' | b'\r')) {
            start += 1;
        }
        self.advance_to(start);
        self.line
    }

    fn advance_to(&mut self, target: usize) {
        let end = target.min(self.bytes.len());
        while self.pos < end {
            match self.bytes[self.pos] {
                b'\n' => self.line += 1,
                b'\r' if self.bytes.get(self.pos + 1) != Some(&b'\n') => self.line += 1,
                _ => {}
            }
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    const HEADER: &str =
        "id,gender,masterCategory,subCategory,articleType,baseColour,season,year,usage,productDisplayName";

    fn fixture() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalogue/pandas_parity.csv")
    }

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("styles.csv");
        fs::write(&path, text).unwrap();
        (dir, path)
    }

    /// Expected values from pandas 3.1.1, `pd.read_csv(path, on_bad_lines="skip")`:
    /// 12 rows; "Skipping line" warnings for physical lines 4, 10, 12 (pandas
    /// prints 4, 9, 11: it does not count the newline inside the quoted field
    /// on line 8). Of its 12 rows we drop `abc`, the empty id and the repeated 15970.
    #[test]
    fn matches_pandas_on_handcrafted_csv() {
        let table = read_styles(&fixture()).unwrap();
        let r = &table.report;
        assert_eq!(r.records, 15);
        assert_eq!(r.rows_read, 12);
        let malformed: Vec<(u64, MalformedReason)> =
            r.malformed.first.iter().map(|m| (m.line, m.reason.clone())).collect();
        let extra = |found| MalformedReason::TooManyFields { expected: 10, found };
        let bad_id = |raw: &str| MalformedReason::InvalidId { raw: raw.into() };
        assert_eq!(
            malformed,
            vec![(4, extra(11)), (10, extra(12)), (12, extra(11)), (14, bad_id("abc")), (15, bad_id(""))]
        );
        assert_eq!(r.short_rows.first, vec![6, 7, 18]);
        assert_eq!(r.invalid_years.first, vec![17]);
        assert_eq!(r.duplicate_ids.first, vec![15970]);
        assert_eq!(r.products, 9);

        let ids: Vec<i64> = table.rows.iter().map(|s| s.id).collect();
        assert_eq!(ids, vec![15970, 39386, 21379, 53759, 1855, 29114, 1164, 9204, 48123]);
        let lines: Vec<u64> = table.rows.iter().map(|s| s.line).collect();
        assert_eq!(lines, vec![2, 3, 6, 7, 8, 13, 17, 18, 19]);

        // pandas' isna().sum() over the same 9 rows; year adds the unparsable "twenty"
        let nulls = |c: Column| table.rows.iter().filter(|s| s.value(c).is_none()).count();
        let expected = [
            (Column::Gender, 2),
            (Column::MasterCategory, 1),
            (Column::SubCategory, 1),
            (Column::ArticleType, 1),
            (Column::BaseColour, 2),
            (Column::Season, 2),
            (Column::Year, 2 + 1),
            (Column::Usage, 3),
            (Column::ProductDisplayName, 3),
        ];
        for (c, n) in expected {
            assert_eq!(nulls(c), n, "{c}");
        }

        let by_id = |id| table.rows.iter().find(|s| s.id == id).unwrap();
        assert_eq!(by_id(39386).product_display_name.as_deref(), Some("Peter England Men Party Blue Jeans, Slim"));
        assert_eq!(by_id(29114).product_display_name.as_deref(), Some("Puma Men Pack of 3 \"Socks\""));
        assert_eq!(by_id(1855).product_display_name.as_deref(), Some("Inkfruit Mens Chain\nReaction T-shirt"));
        assert_eq!(by_id(21379).year, Some(2011));
        assert_eq!(by_id(48123).product_display_name.as_deref(), Some("Gini and Jony Girls Pink Dress"));
        assert_eq!(table.columns, Column::ALL.to_vec());
    }

    #[test]
    fn absent_columns_read_as_missing() {
        let (_d, path) = write("articleType,id,extra\nTshirts,5,x\n");
        let table = read_styles(&path).unwrap();
        assert_eq!(table.columns, vec![Column::ArticleType, Column::Id]);
        assert_eq!(table.rows[0].id, 5);
        assert_eq!(table.rows[0].article_type.as_deref(), Some("Tshirts"));
        assert_eq!(table.rows[0].gender, None);
    }

    #[test]
    fn errors_name_the_file_and_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("styles.csv");
        let err = read_styles(&missing).unwrap_err();
        assert!(matches!(err, CatalogueError::StylesNotFound { .. }));
        assert!(err.to_string().contains(&missing.display().to_string()), "{err}");
        assert!(err.to_string().contains("images/"), "{err}");

        let (_d, path) = write("\n\n");
        assert!(matches!(read_styles(&path).unwrap_err(), CatalogueError::EmptyStyles { .. }));

        let (_d, path) = write("sku;gender\n1;Men\n");
        let err = read_styles(&path).unwrap_err();
        assert!(matches!(err, CatalogueError::MissingColumns { .. }));
        let msg = err.to_string();
        assert!(msg.contains("no id column") && msg.contains("sku;gender") && msg.contains("comma-separated"), "{msg}");

        let err = read_styles(dir.path()).unwrap_err();
        assert!(matches!(err, CatalogueError::Io { .. }), "a folder is not a file: {err}");
    }

    #[test]
    fn line_numbers_survive_blank_lines_and_crlf() {
        let text = format!("{HEADER}\r\n\r\n\r\n1,Men\r\n   \r\n2,Men,a,b,c,d,e,f,g,h,i\r\n3\r\n");
        let (_d, path) = write(&text);
        let table = read_styles(&path).unwrap();
        assert_eq!(table.rows.iter().map(|s| s.line).collect::<Vec<_>>(), vec![4, 7]);
        assert_eq!(table.report.malformed.first[0].line, 6);
        assert_eq!(table.report.records, 3);
    }
}
