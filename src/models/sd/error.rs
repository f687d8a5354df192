//! What can go wrong loading SD-Turbo or generating with it, beyond the shared [`ModelError`]s:
//! a scheduler config t2d cannot follow, or a request the model cannot serve.

use std::path::PathBuf;

use super::euler::SchedulerError;
use crate::models::error::ModelError;

#[derive(Debug, thiserror::Error)]
pub enum SdError {
    #[error(transparent)]
    Model(#[from] ModelError),

    #[error("{}: cannot read it ({source})", path.display())]
    Read { path: PathBuf, source: std::io::Error },

    #[error("{}: {source}; {fix}", path.display())]
    SchedulerConfig { path: PathBuf, source: SchedulerError, fix: String },

    #[error("image size {width}×{height}: width and height must be positive multiples of {multiple} for this model")]
    Size { width: usize, height: usize, multiple: usize },

    #[error("{steps} steps: {source}")]
    Steps { steps: usize, source: SchedulerError },

    #[error("guidance {0} is not a finite number")]
    Guidance(f32),

    #[error("initial noise has {got} values; a {width}×{height} image needs {expected} (shape {shape:?})")]
    NoiseLength { got: usize, expected: usize, width: usize, height: usize, shape: [usize; 4] },
}
