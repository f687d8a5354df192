//! The product catalogue: reading the Kaggle "Fashion Product Images (Small)"
//! layout (`styles.csv` + `images/{id}.jpg`) into a typed table, drawing a
//! stratified sample from it, and writing realistic synthetic catalogues so the
//! rest of the pipeline can be exercised without the 44k-photo download.
//!
//! This is a leaf library: it knows nothing of the engine or of any model.

mod column;
mod error;
mod fields;
mod images;
mod load;
mod report;
pub mod sampling;
mod seeding;
mod style;
mod styles;
pub mod synth;
mod tally;

pub use column::{Column, UnknownColumn};
pub use error::CatalogueError;
pub use images::ImageIndex;
pub use load::{Catalogue, Product};
pub use report::{IngestReport, Malformed, MalformedReason};
pub use sampling::{sample, Sample, SampleError, SampleSpec, Stratum};
pub use style::{Style, Value};
pub use styles::{read_styles, StylesTable};
pub use synth::{synth, SynthError, SynthReport};
pub use tally::Tally;
