//! One row of `styles.csv`, typed: the integer id, the nullable text columns
//! and the nullable year, plus the file line it came from.

use std::fmt;

use super::column::Column;

/// A product's metadata as read from `styles.csv`. Missing cells are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Style {
    pub id: i64,
    pub gender: Option<String>,
    pub master_category: Option<String>,
    pub sub_category: Option<String>,
    pub article_type: Option<String>,
    pub base_colour: Option<String>,
    pub season: Option<String>,
    pub year: Option<i32>,
    pub usage: Option<String>,
    pub product_display_name: Option<String>,
    /// 1-based line of `styles.csv` where the row starts.
    pub line: u64,
}

/// A non-missing cell value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Value<'a> {
    Int(i64),
    Text(&'a str),
}

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(v) => write!(f, "{v}"),
            Value::Text(v) => f.write_str(v),
        }
    }
}

impl Style {
    /// A row with only its id set, the rest missing.
    pub fn new(id: i64) -> Self {
        Style {
            id,
            gender: None,
            master_category: None,
            sub_category: None,
            article_type: None,
            base_colour: None,
            season: None,
            year: None,
            usage: None,
            product_display_name: None,
            line: 0,
        }
    }

    /// The cell in `column`, or `None` when it is missing.
    pub fn value(&self, column: Column) -> Option<Value<'_>> {
        fn text(v: &Option<String>) -> Option<Value<'_>> {
            v.as_deref().map(Value::Text)
        }
        match column {
            Column::Id => Some(Value::Int(self.id)),
            Column::Gender => text(&self.gender),
            Column::MasterCategory => text(&self.master_category),
            Column::SubCategory => text(&self.sub_category),
            Column::ArticleType => text(&self.article_type),
            Column::BaseColour => text(&self.base_colour),
            Column::Season => text(&self.season),
            Column::Year => self.year.map(|y| Value::Int(i64::from(y))),
            Column::Usage => text(&self.usage),
            Column::ProductDisplayName => text(&self.product_display_name),
        }
    }

    pub(crate) fn text_mut(&mut self, column: Column) -> Option<&mut Option<String>> {
        match column {
            Column::Id | Column::Year => None,
            Column::Gender => Some(&mut self.gender),
            Column::MasterCategory => Some(&mut self.master_category),
            Column::SubCategory => Some(&mut self.sub_category),
            Column::ArticleType => Some(&mut self.article_type),
            Column::BaseColour => Some(&mut self.base_colour),
            Column::Season => Some(&mut self.season),
            Column::Usage => Some(&mut self.usage),
            Column::ProductDisplayName => Some(&mut self.product_display_name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_reads_each_column() {
        let mut s = Style::new(7);
        s.year = Some(2011);
        s.base_colour = Some("Navy Blue".into());
        assert_eq!(s.value(Column::Id), Some(Value::Int(7)));
        assert_eq!(s.value(Column::Year), Some(Value::Int(2011)));
        assert_eq!(s.value(Column::BaseColour), Some(Value::Text("Navy Blue")));
        assert_eq!(s.value(Column::Gender), None);
        assert_eq!(Value::Int(2011).to_string(), "2011");
    }
}
