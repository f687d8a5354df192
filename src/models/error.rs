//! Everything that can go wrong between a model folder and its outputs, each with the fix.

use std::path::PathBuf;

use super::device::Device;
use super::precision::Precision;

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error(
        "ONNX Runtime library not found; looked in:\n{}\nrun `just setup` to install it into <project>/.ort/, or set \
         ORT_DYLIB_PATH to a libonnxruntime.so (on a GPU machine: the `onnxruntime-gpu` wheel's library)",
        looked.iter().map(|p| format!("  - {}", p.display())).collect::<Vec<_>>().join("\n")
    )]
    LibraryNotFound { looked: Vec<PathBuf> },

    #[error("ORT_DYLIB_PATH is set to {} but nothing is there; fix or unset it (`just setup` installs the library into <project>/.ort/)", path.display())]
    LibraryPathMissing { path: PathBuf },

    #[error("could not load ONNX Runtime from {}: {reason}", path.display())]
    LibraryLoad { path: PathBuf, reason: String },

    #[error("device {device}: the CUDA execution provider cannot be used: {reason}")]
    Cuda { device: Device, reason: String },

    #[error("model folder {} does not exist; {fix}", dir.display())]
    FolderMissing { dir: PathBuf, fix: String },

    #[error("{}: {message}; {fix}", path.display())]
    Manifest { path: PathBuf, message: String, fix: String },

    #[error(
        "{}: {precision} was asked for but manifest.json lists no {precision} copy of `{role}` ({field}); \
         re-export with `{flag}` (or use fp32). {fix}",
        dir.display()
    )]
    CopyMissing {
        dir: PathBuf,
        role: String,
        precision: Precision,
        field: &'static str,
        flag: &'static str,
        fix: String,
    },

    #[error("{}: manifest.json lists `{file}` but it is missing; {fix}", dir.display())]
    FileMissing { dir: PathBuf, file: String, fix: String },

    #[error("{}: the model does not match its manifest.json entry\n  expected: {expected}\n  found:    {found}\n{fix}", file.display())]
    Signature { file: PathBuf, expected: String, found: String, fix: String },

    #[error("{}: {message}", file.display())]
    Session { file: PathBuf, message: String },

    #[error("{}: {message}", path.display())]
    Tokenizer { path: PathBuf, message: String },

    #[error("{0}")]
    Input(String),
}
