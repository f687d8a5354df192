//! Trend discovery maths: from image embeddings to one text prompt per trend.
//!
//! This is a leaf library (arrays in, numbers and strings out; no engine, no
//! models, no files) so that the pipeline stage that calls it stays thin and
//! the numbers can be checked against the Python reference in isolation.
//!
//! - [`silhouette_score`]: scikit-learn's silhouette, blocked so that no n×n
//!   matrix is ever held in memory.
//! - [`kmeans`]: seeded k-means (k-means++ init, Lloyd iterations).
//! - [`pick_k_auto`]: the seed notebook's choice of K by silhouette, with the
//!   minimum-cluster-size back-off.
//! - [`dominant_colour`]: the main colour of a product photo, named from a
//!   [`Palette`].
//! - [`rank_tags`], [`most_common`], [`choose_without_replacement`],
//!   [`PromptParts`] and [`PromptTemplate`]: the pieces of a cluster's prompt.

mod auto_k;
mod background;
mod colour;
mod error;
mod kmeans;
mod kmeans_init;
mod most_common;
mod pairwise;
mod palette;
mod points;
mod prompt_parts;
mod prompt_template;
mod seeded;
mod silhouette;
mod tags;
mod validate;

#[cfg(test)]
mod golden_tests;
#[cfg(test)]
mod test_data;

pub use auto_k::{pick_k_auto, AutoK, AutoKParams, KCandidate};
pub use background::{foreground_mask, BackgroundRule};
pub use colour::{dominant_colour, DominantColour, DominantColourOptions};
pub use error::{TemplateError, TrendsError};
pub use kmeans::{kmeans, KMeansFit, KMeansParams};
pub use most_common::most_common;
pub use palette::{Palette, BASIC_COLOURS};
pub use prompt_parts::PromptParts;
pub use prompt_template::{build_prompt, PromptTemplate, DEFAULT_TEMPLATE};
pub use seeded::choose_without_replacement;
pub use silhouette::{silhouette_samples, silhouette_score, silhouette_scores};
pub use tags::rank_tags;
