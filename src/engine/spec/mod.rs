//! Pipeline files: YAML text → a checked [`Pipeline`](super::pipeline::Pipeline), or every problem at once.

mod diagnostic;
mod document;
mod overrides;
mod substitute;
pub mod yaml;

pub use diagnostic::{InvalidPipeline, Sources, SpecDiagnostic};
pub use document::{parse_document, InputDoc, NodeDoc, PipelineDoc};
pub use overrides::{apply_overrides, Override};
pub use substitute::substitute_refs;
