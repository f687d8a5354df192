//! The workflow engine: pipeline spec → validated DAG → content-addressed keys → store →
//! scheduler. It knows nothing of ML; node kinds reach it only through [`Stage`].

pub mod artifact;
pub mod context;
pub mod digest;
pub mod executor;
pub mod externals;
pub mod gc;
pub mod history;
pub mod inputs;
pub mod job;
pub mod key;
pub mod memo;
pub mod pipeline;
pub mod plan;
pub mod publish;
pub mod reasons;
pub mod registry;
pub mod run_record;
pub mod scheduler;
pub mod schema;
pub mod spec;
pub mod stage;
mod stage_error;
pub mod store;
mod suggest;
pub mod validate;
pub mod value;
pub mod verify;

pub use artifact::{Artifact, ArtifactKind, BundleFile};
pub use context::StageContext;
pub use inputs::Inputs;
pub use pipeline::Pipeline;
pub use registry::Registry;
pub use schema::{ParamSpec, ParamType};
pub use stage::{External, InputSlot, OutputSlot, Outputs, Params, Publish, Stage, StageError};
pub use validate::validate;
pub use value::Value;
