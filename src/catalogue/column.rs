//! The columns of `styles.csv`, named once so that strata, filters and error
//! messages all spell them the way the Kaggle file does.

use std::fmt;
use std::str::FromStr;

/// A column of the Kaggle `styles.csv` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Id,
    Gender,
    MasterCategory,
    SubCategory,
    ArticleType,
    BaseColour,
    Season,
    Year,
    Usage,
    ProductDisplayName,
}

impl Column {
    /// Every column, in the order of the Kaggle header.
    pub const ALL: [Column; 10] = [
        Column::Id,
        Column::Gender,
        Column::MasterCategory,
        Column::SubCategory,
        Column::ArticleType,
        Column::BaseColour,
        Column::Season,
        Column::Year,
        Column::Usage,
        Column::ProductDisplayName,
    ];

    /// The header name, spelled as in `styles.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Column::Id => "id",
            Column::Gender => "gender",
            Column::MasterCategory => "masterCategory",
            Column::SubCategory => "subCategory",
            Column::ArticleType => "articleType",
            Column::BaseColour => "baseColour",
            Column::Season => "season",
            Column::Year => "year",
            Column::Usage => "usage",
            Column::ProductDisplayName => "productDisplayName",
        }
    }

    /// The column with this exact header name, if any.
    pub fn from_name(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A column name that is not part of the `styles.csv` header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown styles.csv column `{name}`; expected one of: {}", Column::ALL.map(Column::name).join(", "))]
pub struct UnknownColumn {
    pub name: String,
}

impl FromStr for Column {
    type Err = UnknownColumn;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Column::from_name(s).ok_or_else(|| UnknownColumn { name: s.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Column::ALL {
            assert_eq!(c.name().parse::<Column>(), Ok(c));
        }
    }

    #[test]
    fn unknown_name_lists_the_valid_ones() {
        let err = "articletype".parse::<Column>().unwrap_err();
        assert!(err.to_string().contains("articleType"), "{err}");
    }
}
