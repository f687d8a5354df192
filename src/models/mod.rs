//! ONNX model wrappers: the runtime, CLIP and SD-Turbo. Know nothing of the engine.
//!
//! - [`Runtime`]: the ONNX Runtime library, found ([`locate_library`]) and loaded once per process.
//! - [`Device`]: `auto|cpu|cuda[:N]`, resolved against the runtime ([`Runtime::resolve`]).
//! - [`ModelFolder`]: a folder models/export.py wrote, with its checked `manifest.json`, and the
//!   [`Precision`] copies of its weights.
//! - [`SharedSession`]: one ONNX session per (file, device, threads) per process, signature-checked.
//! - [`ClipTokenizer`], [`ClipModel`]: CLIP ids and L2-normalised embeddings.
//! - [`SdTurbo`]: SD-Turbo text-to-image ([`sd`]).
//! - [`doctor()`]: the report behind `t2d doctor`.

pub mod clip;
pub mod device;
pub mod doctor;
pub mod error;
mod library_info;
pub mod locate;
pub mod manifest;
mod placement;
pub mod precision;
pub mod runtime;
pub mod sd;
pub mod session;
mod signature;
pub mod tokenizer;
mod weights;

pub use clip::ClipModel;
pub use device::{Device, DeviceParseError};
pub use doctor::{doctor, DoctorReport, ModelReport, RuntimeReport};
pub use error::ModelError;
pub use locate::locate_library;
pub use manifest::{ClipParams, Manifest, ModelFolder, SdParams};
pub use precision::{Precision, PrecisionParseError};
pub use runtime::Runtime;
pub use sd::{GenerateRequest, Generated, InitialNoise, Progress, SdError, SdTurbo, Timings};
pub use session::{SessionKey, SharedSession, TensorInput, TensorOutput};
pub use tokenizer::ClipTokenizer;
