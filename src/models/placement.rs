//! Turns the device the user asked for into the one sessions run on: `cuda` must work or fail
//! with the provider's own reason; `auto` takes CUDA when it can and says once, with the reason,
//! when it falls back to the CPU.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, OnceLock, PoisonError};

use ort::ep::{ExecutionProviderDispatch, CUDA};
use ort::session::Session;

use super::device::Device;
use super::error::ModelError;
use super::runtime::Runtime;

const CUDA_PROVIDER: &str = "CUDAExecutionProvider";

static AUTO: OnceLock<Device> = OnceLock::new();
/// Each GPU is probed once per process: every session open resolves its device.
static CUDA_PROBES: LazyLock<Mutex<HashMap<u32, Result<(), String>>>> = LazyLock::new(Mutex::default);

impl Runtime {
    /// `Cpu` or `Cuda(n)`, never `Auto`.
    pub fn resolve(&self, device: Device) -> Result<Device, ModelError> {
        match device {
            Device::Cpu => Ok(Device::Cpu),
            Device::Cuda(index) => {
                self.probe_cuda(index).map(|()| device).map_err(|reason| ModelError::Cuda { device, reason })
            }
            Device::Auto => Ok(*AUTO.get_or_init(|| self.resolve_auto())),
        }
    }

    fn resolve_auto(&self) -> Device {
        if !self.has_cuda_provider() {
            tracing::info!(
                "device auto: running on the CPU; the ONNX Runtime library {} (version {}) has no CUDA support \
                 (install the `onnxruntime-gpu` wheel's library, or point ORT_DYLIB_PATH at one, to use a GPU)",
                self.library().display(),
                self.version()
            );
            return Device::Cpu;
        }
        match self.probe_cuda(0) {
            Ok(()) => {
                tracing::info!("device auto: running on CUDA (cuda:0)");
                Device::Cuda(0)
            }
            Err(reason) => {
                tracing::warn!("device auto: running on the CPU; the CUDA execution provider failed to load: {reason}");
                Device::Cpu
            }
        }
    }

    fn has_cuda_provider(&self) -> bool {
        self.providers().iter().any(|p| p == CUDA_PROVIDER)
    }

    fn probe_cuda(&self, index: u32) -> Result<(), String> {
        let mut probes = CUDA_PROBES.lock().unwrap_or_else(PoisonError::into_inner);
        probes.entry(index).or_insert_with(|| self.register_cuda(index)).clone()
    }

    /// Registers the CUDA provider on a throwaway session builder: that loads its library and
    /// the CUDA/cuDNN libraries it needs, so a missing one is named here.
    fn register_cuda(&self, index: u32) -> Result<(), String> {
        if !self.has_cuda_provider() {
            return Err(format!(
                "the ONNX Runtime library {} (version {}) was built without it (providers: {}); install the \
                 `onnxruntime-gpu` wheel's library instead, or set ORT_DYLIB_PATH to one",
                self.library().display(),
                self.version(),
                self.providers().join(", ")
            ));
        }
        let builder = Session::builder(self.environment()).map_err(|e| e.to_string())?;
        builder.with_execution_providers([cuda_provider(index)]).map(drop).map_err(|e| {
            // ONNX Runtime prefixes its source location: keep only what it says went wrong.
            let message = e.message();
            let reason = message.rsplit_once(" : FAIL : ").map_or(message, |(_, reason)| reason).trim();
            format!("{reason} (the CUDA and cuDNN libraries it needs must be on the loader path, e.g. LD_LIBRARY_PATH)")
        })
    }
}

/// The CUDA provider on GPU `index`, failing loudly instead of silently falling back to the CPU.
pub(crate) fn cuda_provider(index: u32) -> ExecutionProviderDispatch {
    CUDA::default().with_device_id(i32::try_from(index).unwrap_or(i32::MAX)).build().error_on_failure()
}
