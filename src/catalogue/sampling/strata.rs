//! Grouping rows into strata the way `df.groupby(keys, dropna=False)` does:
//! one group per distinct key tuple, missing values a group of their own,
//! groups in sorted key order with missing values last in each column.

use std::collections::BTreeMap;

use crate::catalogue::column::Column;
use crate::catalogue::style::{Style, Value};

/// One column's part of a stratum key. The variant order makes missing sort last.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Part {
    Int(i64),
    Text(String),
    Missing,
}

pub(crate) type Key = Vec<Part>;

pub(crate) fn key_of(style: &Style, columns: &[Column]) -> Key {
    columns
        .iter()
        .map(|&c| match style.value(c) {
            Some(Value::Int(v)) => Part::Int(v),
            Some(Value::Text(v)) => Part::Text(v.to_owned()),
            None => Part::Missing,
        })
        .collect()
}

/// Groups `rows` (indices into `styles`) by key; members keep their input order.
pub(crate) fn group<'a>(
    rows: &[usize],
    style: impl Fn(usize) -> &'a Style,
    columns: &[Column],
) -> BTreeMap<Key, Vec<usize>> {
    let mut groups: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
    for &row in rows {
        groups.entry(key_of(style(row), columns)).or_default().push(row);
    }
    groups
}

/// The key as bytes, to name the stratum's random stream.
pub(crate) fn key_bytes(key: &Key) -> Vec<u8> {
    let mut out = Vec::new();
    for part in key {
        match part {
            Part::Int(v) => {
                out.push(b'i');
                out.extend_from_slice(&v.to_le_bytes());
            }
            Part::Text(v) => {
                out.push(b's');
                out.extend_from_slice(&(v.len() as u64).to_le_bytes());
                out.extend_from_slice(v.as_bytes());
            }
            Part::Missing => out.push(b'n'),
        }
    }
    out
}

/// The key as the text of each part, `None` for missing.
pub(crate) fn key_text(key: &Key) -> Vec<Option<String>> {
    key.iter()
        .map(|p| match p {
            Part::Int(v) => Some(v.to_string()),
            Part::Text(v) => Some(v.clone()),
            Part::Missing => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(colour: Option<&str>, year: Option<i32>) -> Style {
        let mut s = Style::new(0);
        s.base_colour = colour.map(str::to_owned);
        s.year = year;
        s
    }

    #[test]
    fn groups_sort_like_pandas_with_missing_last() {
        let styles = [
            style(None, Some(2012)),
            style(Some("White"), Some(2011)),
            style(Some("Black"), None),
            style(Some("Black"), Some(2012)),
            style(Some("Black"), Some(2011)),
            style(None, Some(2012)),
        ];
        let rows: Vec<usize> = (0..styles.len()).collect();
        let groups = group(&rows, |i| &styles[i], &[Column::BaseColour, Column::Year]);
        let order: Vec<Vec<usize>> = groups.into_values().collect();
        assert_eq!(order, vec![vec![4], vec![3], vec![2], vec![1], vec![0, 5]]);
    }

    #[test]
    fn key_bytes_are_unambiguous() {
        let a = vec![Part::Text("ab".into()), Part::Text("c".into())];
        let b = vec![Part::Text("a".into()), Part::Text("bc".into())];
        assert_ne!(key_bytes(&a), key_bytes(&b));
        assert_ne!(key_bytes(&[Part::Missing].to_vec()), key_bytes(&[Part::Text(String::new())].to_vec()));
    }
}
