//! Opens the ONNX session of one role of a model folder (`vision`, `unet`, ...) from the copy of
//! its weights that was asked for. All copies share the role's manifest signature.

use std::path::PathBuf;
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
    let file = weights_file(folder, role, precision)?;
    SharedSession::open(&file, device, threads, folder.signature(role)?, &folder.fix())
}

/// The file of `role`'s `precision` copy, or an error naming the export flag that writes it.
pub fn weights_file(folder: &ModelFolder, role: &str, precision: Precision) -> Result<PathBuf, ModelError> {
    let manifest = folder.manifest();
    let copies = match precision {
        Precision::Fp32 => return folder.file(role),
        Precision::Fp16 => &manifest.fp16_files,
        Precision::Int8 => &manifest.int8_files,
    };
    match copies.get(role) {
        Some(name) => Ok(folder.dir().join(name)),
        None => {
            let (field, flag) = precision.manifest_field();
            Err(ModelError::CopyMissing {
                dir: folder.dir().to_path_buf(),
                role: role.to_string(),
                precision,
                field,
                flag,
                fix: folder.fix(),
            })
        }
    }
}
