//! ONNX Runtime, loaded once per process from the library [`locate_library`] finds. Never through
//! `ort::init()`, which panics when no library is on the loader's path.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use ort::environment::Environment;

use super::error::ModelError;
use super::library_info;
use super::locate::locate_library;

pub struct Runtime {
    library: PathBuf,
    version: String,
    providers: Vec<String>,
    environment: Environment,
}

static RUNTIME: OnceLock<Runtime> = OnceLock::new();
static LOADING: Mutex<()> = Mutex::new(());

impl Runtime {
    /// Loads ONNX Runtime for the project rooted at `project_root`. Once per process: later calls
    /// return the runtime already loaded, whatever their root. A failure is not remembered.
    pub fn init(project_root: &Path) -> Result<&'static Runtime, ModelError> {
        if let Some(runtime) = RUNTIME.get() {
            return Ok(runtime);
        }
        let _loading = LOADING.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(runtime) = RUNTIME.get() {
            return Ok(runtime);
        }
        let runtime = Self::load(project_root)?;
        Ok(RUNTIME.get_or_init(|| runtime))
    }

    /// The runtime loaded so far, or else the one for the current directory.
    pub fn get() -> Result<&'static Runtime, ModelError> {
        match RUNTIME.get() {
            Some(runtime) => Ok(runtime),
            None => Self::init(&std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))),
        }
    }

    fn load(project_root: &Path) -> Result<Runtime, ModelError> {
        let library = locate_library(project_root)?;
        let failed = |reason: String| ModelError::LibraryLoad { path: library.clone(), reason };
        let environment = ort::init_from(&library)
            .map_err(|e| failed(e.to_string()))?
            .with_name("t2d")
            .with_telemetry(false)
            .build()
            .map_err(|e| failed(e.to_string()))?;
        register_shared_cpu_arena(&environment).map_err(failed)?;
        let version = library_info::version_string(&library).map_err(failed)?;
        let providers = library_info::available_providers().map_err(failed)?;
        tracing::debug!(library = %library.display(), %version, ?providers, "ONNX Runtime loaded");
        Ok(Runtime { library, version, providers, environment })
    }

    /// The shared library file in use.
    pub fn library(&self) -> &Path {
        &self.library
    }

    /// Its version, e.g. "1.32.0".
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The execution providers it was built with, e.g. `CPUExecutionProvider`, `CUDAExecutionProvider`.
    pub fn providers(&self) -> &[String] {
        &self.providers
    }

    pub(crate) fn environment(&self) -> &Environment {
        &self.environment
    }
}

/// Registers one CPU arena allocator on the environment, which CPU sessions use instead of an arena
/// each (`session.use_env_allocators`). An arena never gives memory back, so with one per session
/// the peaks of all sessions add up: SD-Turbo's UNet and VAE decoder activations would both stay
/// resident. Shared, the process holds the largest of them once (bench/results/sd.md).
fn register_shared_cpu_arena(environment: &Environment) -> Result<(), String> {
    use ort::memory::{AllocationDevice, AllocatorType, MemoryInfo, MemoryType};
    use ort::AsPointer;

    let info = MemoryInfo::new(AllocationDevice::CPU, 0, AllocatorType::Arena, MemoryType::Default)
        .map_err(|e| e.to_string())?;
    // SAFETY: both pointers come from live ort objects; a null arena config asks for ONNX
    // Runtime's default arena settings. The call copies what it needs from `info`.
    let status =
        unsafe { (ort::api().CreateAndRegisterAllocator)(environment.ptr().cast_mut(), info.ptr(), std::ptr::null()) };
    // SAFETY: `status` was just returned by ONNX Runtime and is consumed here.
    unsafe { ort::Error::result_from_status(status) }.map_err(|e| format!("registering the shared CPU arena: {e}"))
}
