//! Opens one part's ONNX session (`text_encoder`, `unet`, `vae_decoder`) from the float32 file or
//! its fp16 copy. Both copies share one manifest signature: the fp16 ones keep float32 I/O.

use std::sync::Arc;

use super::error::SdError;
use super::precision::Precision;
use crate::models::device::Device;
use crate::models::manifest::ModelFolder;
use crate::models::session::SharedSession;

/// `device` must already be resolved (`Cpu` or `Cuda(n)`).
pub(crate) fn open_part(
    folder: &ModelFolder,
    role: &str,
    precision: Precision,
    device: Device,
    threads: usize,
) -> Result<Arc<SharedSession>, SdError> {
    let file = match precision {
        Precision::Fp32 => folder.file(role)?,
        Precision::Fp16 => match folder.manifest().fp16_files.get(role) {
            Some(name) => folder.dir().join(name),
            None => {
                return Err(SdError::Fp16Missing {
                    dir: folder.dir().to_path_buf(),
                    role: role.to_string(),
                    fix: folder.fix(),
                })
            }
        },
    };
    Ok(SharedSession::open(&file, device, threads, folder.signature(role)?, &folder.fix())?)
}
