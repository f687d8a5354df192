//! ONNX Runtime sessions, created once per process per (model file, device, threads) and shared:
//! loading a model is slow, and ort's `run` needs `&mut Session`, so each sits behind a mutex.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError};

use ort::session::builder::{AutoDevicePolicy, GraphOptimizationLevel, SessionBuilder};
use ort::session::{Session, SessionInputValue};
use ort::value::TensorRef;

use super::device::Device;
use super::error::ModelError;
use super::manifest::IoSignature;
use super::placement::cuda_provider;
use super::runtime::Runtime;
use super::signature;

/// What makes two sessions the same. `device` is resolved: `Cpu` or `Cuda(n)`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SessionKey {
    pub file: PathBuf,
    pub device: Device,
    /// Intra-op threads; 0 lets ONNX Runtime choose (one per core).
    pub threads: usize,
}

pub struct SharedSession {
    key: SessionKey,
    session: Mutex<Session>,
}

/// A borrowed input tensor: its shape and row-major data.
pub enum TensorInput<'a> {
    F32(Vec<i64>, &'a [f32]),
    I64(Vec<i64>, &'a [i64]),
}

/// An output tensor, copied out as f32.
#[derive(Clone, Debug, PartialEq)]
pub struct TensorOutput {
    pub shape: Vec<i64>,
    pub data: Vec<f32>,
}

type Slot = Arc<Mutex<Option<Arc<SharedSession>>>>;

static SESSIONS: LazyLock<Mutex<HashMap<SessionKey, Slot>>> = LazyLock::new(Mutex::default);

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SharedSession {
    /// The process's session for `file` on `device`, created (and its signature checked against
    /// `expected`; `fix` says how to re-export) on first use.
    pub fn open(
        file: &Path,
        device: Device,
        threads: usize,
        expected: &IoSignature,
        fix: &str,
    ) -> Result<Arc<SharedSession>, ModelError> {
        let runtime = Runtime::get()?;
        let device = runtime.resolve(device)?;
        let canonical = std::fs::canonicalize(file).map_err(|e| ModelError::Session {
            file: file.to_path_buf(),
            message: format!("cannot open it ({e}); {fix}"),
        })?;
        let key = SessionKey { file: canonical, device, threads };
        // One slot per key: a second caller waits for the first to finish loading, other keys don't.
        let slot = lock(&SESSIONS).entry(key.clone()).or_default().clone();
        let mut slot = lock(&slot);
        if let Some(shared) = slot.as_ref() {
            return Ok(shared.clone());
        }
        let session = create(runtime, &key)?;
        signature::check(&key.file, &session, expected, fix)?;
        tracing::debug!(file = %key.file.display(), device = %key.device, threads, "ONNX session created");
        let shared = Arc::new(SharedSession { key, session: Mutex::new(session) });
        *slot = Some(shared.clone());
        Ok(shared)
    }

    pub fn key(&self) -> &SessionKey {
        &self.key
    }

    /// Runs the model on named inputs; returns every output, in the model's order, as f32.
    pub fn run(&self, inputs: &[(&str, TensorInput<'_>)]) -> Result<Vec<TensorOutput>, ModelError> {
        let failed = |e: ort::Error| ModelError::Session { file: self.key.file.clone(), message: e.to_string() };
        let mut values: Vec<(Cow<'_, str>, SessionInputValue<'_>)> = Vec::with_capacity(inputs.len());
        for (name, input) in inputs {
            let value: SessionInputValue<'_> = match input {
                TensorInput::F32(shape, data) => {
                    TensorRef::from_array_view((shape.clone(), *data)).map_err(failed)?.into()
                }
                TensorInput::I64(shape, data) => {
                    TensorRef::from_array_view((shape.clone(), *data)).map_err(failed)?.into()
                }
            };
            values.push((Cow::Borrowed(*name), value));
        }
        let mut session = lock(&self.session);
        let outputs = session.run(values).map_err(failed)?;
        outputs
            .iter()
            .map(|(_, value)| {
                let (shape, data) = value.try_extract_tensor::<f32>().map_err(failed)?;
                Ok(TensorOutput { shape: shape.to_vec(), data: data.to_vec() })
            })
            .collect()
    }
}

fn create(runtime: &Runtime, key: &SessionKey) -> Result<Session, ModelError> {
    let failed = load_error(&key.file, key.device);
    let mut builder = builder(runtime, &key.file, key.device)?;
    if let Device::Cuda(index) = key.device {
        builder = builder.with_execution_providers([cuda_provider(index)]).map_err(|e| failed(e.into()))?;
    }
    if key.threads > 0 {
        builder = builder.with_intra_threads(key.threads).map_err(|e| failed(e.into()))?;
    }
    if key.device == Device::Cpu {
        // The runtime's one CPU arena (see `Runtime`), and no memory pattern: a pattern reserves
        // each session's planned peak in a block of its own, and with the arena it grew again on the second SD-Turbo design.
        builder = builder
            .with_env_allocators()
            .map_err(|e| failed(e.into()))?
            .with_memory_pattern(false)
            .map_err(|e| failed(e.into()))?;
    }
    builder.commit_from_file(&key.file).map_err(failed)
}

/// Loads `file` on the CPU, unoptimised and not cached, only to check its signature (`t2d doctor`).
pub(crate) fn check_file(file: &Path, expected: &IoSignature, fix: &str) -> Result<(), ModelError> {
    let failed = load_error(file, Device::Cpu);
    let session = builder(Runtime::get()?, file, Device::Cpu)?
        .with_optimization_level(GraphOptimizationLevel::Disable)
        .map_err(|e| failed(e.into()))?
        .with_intra_threads(1)
        .map_err(|e| failed(e.into()))?
        .commit_from_file(file)
        .map_err(failed)?;
    signature::check(file, &session, expected, fix)
}

fn builder(runtime: &Runtime, file: &Path, device: Device) -> Result<SessionBuilder, ModelError> {
    let failed = load_error(file, device);
    // ort (api-22) asks ONNX Runtime to pick a device by "efficiency" unless told otherwise;
    // t2d places sessions itself, so the CPU means the CPU.
    Session::builder(runtime.environment())
        .map_err(&failed)?
        .with_auto_device(AutoDevicePolicy::PreferCPU)
        .map_err(|e| failed(e.into()))
}

fn load_error(file: &Path, device: Device) -> impl Fn(ort::Error) -> ModelError + '_ {
    move |e| ModelError::Session {
        file: file.to_path_buf(),
        message: format!("ONNX Runtime could not load it on {device}: {e}"),
    }
}
