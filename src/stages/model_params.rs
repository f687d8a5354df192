//! Params and loading shared by the stages that run models: the model folder and the device.

use crate::engine::{External, ParamSpec, Params, StageContext, StageError};
use crate::models::{ClipModel, Device, ModelFolder};

pub const CLIP_HELP: &str = "export it with `just models` (real CLIP ViT-B/32), or use the bundled test model \
                             `models/clip-tiny` (made by `python models/export.py all --tiny`)";
pub const SD_HELP: &str = "export it with `just models` (real SD-Turbo), or use the bundled test model \
                           `models/sd-turbo-tiny` (made by `python models/export.py all --tiny`)";

pub fn model_param(name: &'static str, default: &'static str, doc: &'static str) -> ParamSpec {
    ParamSpec::path(name).default(default).doc(doc)
}

pub fn device_param() -> ParamSpec {
    ParamSpec::string("device").default("auto").execution_only().doc("auto | cpu | cuda | cuda:N")
}

/// A model folder as an external input (its contents enter the key), with the command that makes it.
pub fn model_external(params: &Params, param: &str, help: &str) -> External {
    External { param: param.into(), path: params.str(param).unwrap_or_default().into(), help: Some(help.into()) }
}

/// Validation of the `device` param.
pub fn check_device(params: &Params) -> Vec<(String, String)> {
    match params.str("device").map(str::parse::<Device>) {
        Ok(Err(e)) => vec![("device".into(), e.to_string())],
        _ => Vec::new(),
    }
}

pub fn device(ctx: &StageContext) -> Result<Device, StageError> {
    ctx.params.str("device")?.parse::<Device>().map_err(|e| StageError::new(e.to_string()))
}

pub fn open_folder(ctx: &StageContext, param: &str) -> Result<ModelFolder, StageError> {
    ModelFolder::open(ctx.path(param)?).map_err(|e| StageError::new(e.to_string()))
}

pub fn load_clip(ctx: &StageContext, param: &str) -> Result<ClipModel, StageError> {
    let folder = open_folder(ctx, param)?;
    ClipModel::load(&folder, device(ctx)?, ctx.threads).map_err(|e| StageError::new(e.to_string()))
}
