//! Why a catalogue could not be loaded. Each message names the file and says
//! what to do about it; all of them are the user's to fix (a wrong path, a
//! wrong file), except an unreadable disk.

use std::io;
use std::path::PathBuf;

/// A failure to load a catalogue.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error(
        "styles file {path} not found; point the catalogue at the folder that holds styles.csv \
         and images/ (the Kaggle \"Fashion Product Images (Small)\" layout)"
    )]
    StylesNotFound { path: PathBuf },

    #[error(
        "images folder {path} not found; the catalogue expects product photos at \
         images/{{id}}.jpg next to styles.csv"
    )]
    ImagesNotFound { path: PathBuf },

    #[error("cannot read {path}: {source}; check that it is readable by this user")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("{path} is empty; expected a header line `id,gender,masterCategory,…` and one row per product")]
    EmptyStyles { path: PathBuf },

    #[error(
        "{path}: header has no {} column (found: {}); expected the Kaggle styles.csv, \
         comma-separated, with its header on line 1",
        .missing.join(", "),
        .found.join(", ")
    )]
    MissingColumns { path: PathBuf, missing: Vec<String>, found: Vec<String> },

    #[error("{path} line {line}: {source}")]
    Csv {
        path: PathBuf,
        line: u64,
        #[source]
        source: csv::Error,
    },
}
