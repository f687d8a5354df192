//! Opens the ONNX session of one role of a model folder (`vision`, `unet`, ...) from the copy of
//! its weights that was asked for ([`ModelFolder::weights_file`]). All copies share the role's
//! manifest signature.

use std::sync::Arc;

use super::device::Device;
use super::error::ModelError;
use super::manifest::ModelFolder;
use super::precision::Precision;
use super::session::SharedSession;

/// `device` must already be resolved (`Cpu` or `Cuda(n)`).
pub(crate) fn open_weights(
    folder: &ModelFolder,
    role: &str,
    precision: Precision,
    device: Device,
    threads: usize,
) -> Result<Arc<SharedSession>, ModelError> {
    let file = folder.weights_file(role, precision)?;
    SharedSession::open(&file, device, threads, folder.signature(role)?, &folder.fix())
}
