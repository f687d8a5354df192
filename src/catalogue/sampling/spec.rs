//! What to sample: how many, with which seed, stratified by which columns,
//! from which subset of the catalogue.

use std::collections::BTreeMap;

use crate::catalogue::column::Column;

/// A stratified sampling request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleSpec {
    /// Rows wanted.
    pub n: usize,
    pub seed: u64,
    /// Strata columns; those absent from the catalogue are ignored, as in the notebook.
    pub strata: Vec<Column>,
    /// Rows are kept only if, for every listed column, their value (as text,
    /// years as `2011`) is one of the allowed values. Missing cells never match.
    pub filters: BTreeMap<Column, Vec<String>>,
}

impl SampleSpec {
    /// The notebook's strata.
    pub const DEFAULT_STRATA: [Column; 3] = [Column::ArticleType, Column::BaseColour, Column::Gender];

    /// `n` rows under `seed`, default strata, no filter.
    pub fn new(n: usize, seed: u64) -> Self {
        SampleSpec { n, seed, strata: Self::DEFAULT_STRATA.to_vec(), filters: BTreeMap::new() }
    }

    pub fn with_strata(mut self, strata: impl IntoIterator<Item = Column>) -> Self {
        self.strata = strata.into_iter().collect();
        self
    }

    /// Adds (or replaces) the allowed values of `column`.
    pub fn with_filter<S: Into<String>>(mut self, column: Column, allowed: impl IntoIterator<Item = S>) -> Self {
        self.filters.insert(column, allowed.into_iter().map(Into::into).collect());
        self
    }
}

/// A sampling request the catalogue cannot serve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SampleError {
    #[error(
        "sample filter on `{column}`, but the catalogue's styles.csv has no such column; \
         remove the filter or use a column from the header"
    )]
    FilterColumnAbsent { column: Column },
}
