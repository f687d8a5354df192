//! t2d: turns a catalogue of fashion product photos into new design concepts,
//! one per discovered trend, through a declarative, cached pipeline.
//!
//! The crate is split into rooms that do not see each other:
//! - [`engine`]: pipeline spec, DAG, content-addressed cache and scheduler; knows nothing of ML.
//! - [`imaging`], [`catalogue`], [`trends`], [`models`]: domain libraries; know nothing of the engine.
//! - [`stages`]: one file per node kind, joining the two through [`engine::Stage`].
//! - [`cli`]: the command line.

pub mod catalogue;
pub mod cli;
pub mod engine;
pub mod imaging;
pub mod models;
pub mod stages;
pub mod trends;
