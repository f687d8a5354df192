//! Writing `styles.csv` as Kaggle ships it: the ten-column header, `2011`
//! years, empty cells for missing values, fields quoted only when they need
//! it, and the planted bad rows written raw.

use super::defects::RowDefect;
use super::item::{cells, Item};
use crate::catalogue::column::Column;

/// The whole file, one line per item, `\n` line ends.
pub(crate) fn styles_csv(items: &[Item], defects: &[Option<RowDefect>]) -> String {
    let header: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
    let mut out = header.join(",");
    out.push('\n');
    for (item, defect) in items.iter().zip(defects) {
        out.push_str(&line(item, *defect));
        out.push('\n');
    }
    out
}

fn line(item: &Item, defect: Option<RowDefect>) -> String {
    let cells = cells(item);
    match defect {
        None => cells.iter().map(|c| quote(c.as_deref())).collect::<Vec<_>>().join(","),
        Some(RowDefect::Short(keep)) => cells[..keep].iter().map(|c| quote(c.as_deref())).collect::<Vec<_>>().join(","),
        Some(RowDefect::ExtraFields(commas)) => {
            let mut fields: Vec<String> = cells[..9].iter().map(|c| quote(c.as_deref())).collect();
            let name = item.name.as_deref().unwrap_or("Assorted Pack");
            let tail = [", Pack of 2", ", Assorted"];
            let raw = format!("{name}{}", tail[..commas.min(tail.len())].concat());
            fields.push(raw.replace('"', ""));
            fields.join(",")
        }
    }
}

/// A CSV field, quoted (quotes doubled) only if it holds a comma, quote or line break.
fn quote(cell: Option<&str>) -> String {
    match cell {
        None => String::new(),
        Some(v) if v.contains([',', '"', '\n', '\r']) => format!("\"{}\"", v.replace('"', "\"\"")),
        Some(v) => v.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_only_when_needed() {
        assert_eq!(quote(None), "");
        assert_eq!(quote(Some("Navy Blue")), "Navy Blue");
        assert_eq!(quote(Some("Watch, Set of 2")), "\"Watch, Set of 2\"");
        assert_eq!(quote(Some("say \"hi\"")), "\"say \"\"hi\"\"\"");
    }
}
