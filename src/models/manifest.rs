//! A model folder and its `manifest.json`, as models/export.py writes them: checked (folder,
//! manifest, every listed file) before anything is loaded, with the command that fixes it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::error::ModelError;
use super::precision::Precision;

/// The manifest format this code reads.
pub const FORMAT_VERSION: u32 = 1;

/// The fields every model folder has; architecture-specific ones are read with
/// [`ModelFolder::params`] ([`ClipParams`], [`SdParams`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    pub name: String,
    /// `clip` or `sd-turbo`.
    pub architecture: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub dtype: String,
    /// Role (`vision`, `text`, `unet`, `tokenizer`, ...) to file name.
    pub files: BTreeMap<String, String>,
    /// Role to the fp16-weight copy (float32 I/O), when exported with `--fp16`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fp16_files: BTreeMap<String, String>,
    /// Role to the int8 copy (weights quantised, float32 I/O), when exported with `--int8`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub int8_files: BTreeMap<String, String>,
    /// ONNX file to its external-weights file, for models over 2 GiB.
    #[serde(default)]
    pub external_data: BTreeMap<String, String>,
    /// Role to the ONNX file's inputs and outputs.
    pub io: BTreeMap<String, IoSignature>,
    pub max_length: usize,
    pub pad_id: u32,
    pub bos_id: u32,
    pub eos_id: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IoSignature {
    pub inputs: Vec<TensorSpec>,
    pub outputs: Vec<TensorSpec>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TensorSpec {
    pub name: String,
    /// `float32`, `int64`, ...
    pub dtype: String,
    pub shape: Vec<Dim>,
}

/// A fixed size, or a named dynamic one (`batch`, `height`, `8*height`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Dim {
    Fixed(i64),
    Named(String),
}

impl fmt::Display for Dim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dim::Fixed(n) => write!(f, "{n}"),
            Dim::Named(name) => f.write_str(name),
        }
    }
}

/// The fields of an `architecture: clip` manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClipParams {
    pub embedding_dim: usize,
    /// Whether the ONNX outputs are already L2-normalised (t2d normalises either way).
    #[serde(default)]
    pub embeddings_normalized: bool,
    pub image_size: usize,
    pub mean: [f32; 3],
    pub std: [f32; 3],
}

/// The fields of an `architecture: sd-turbo` manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SdParams {
    pub text_hidden_size: usize,
    pub latent_channels: usize,
    pub vae_scaling_factor: f32,
    pub vae_scale_factor: usize,
    pub latent_multiple: usize,
    pub default_image_size: usize,
    pub scheduler: String,
    pub prediction_type: String,
}

/// An opened, checked model folder.
#[derive(Clone, Debug)]
pub struct ModelFolder {
    dir: PathBuf,
    manifest: Manifest,
    raw: serde_json::Value,
}

impl ModelFolder {
    /// Checks that `dir` exists, its manifest.json parses and every file it lists is there.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, ModelError> {
        let dir = dir.as_ref().to_path_buf();
        if !dir.is_dir() {
            let fix = export_hint(&dir, guess_architecture(&dir));
            return Err(ModelError::FolderMissing { dir, fix });
        }
        let path = dir.join("manifest.json");
        let bad = |message: String| ModelError::Manifest {
            path: path.clone(),
            message,
            fix: export_hint(&dir, guess_architecture(&dir)),
        };
        let text = std::fs::read_to_string(&path).map_err(|e| bad(format!("cannot read it ({e})")))?;
        let raw: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(format!("not valid JSON ({e})")))?;
        let manifest = Manifest::deserialize(&raw).map_err(|e| bad(format!("not a t2d model manifest ({e})")))?;
        let folder = ModelFolder { dir, manifest, raw };
        folder.check()?;
        Ok(folder)
    }

    fn check(&self) -> Result<(), ModelError> {
        let m = &self.manifest;
        if m.format_version != FORMAT_VERSION {
            return Err(
                self.manifest_error(format!("format_version is {}, this t2d reads {FORMAT_VERSION}", m.format_version))
            );
        }
        if let Some(role) = m.io.keys().find(|role| !m.files.contains_key(*role)) {
            return Err(self.manifest_error(format!("io lists `{role}` but files does not")));
        }
        let listed =
            m.files.values().chain(m.fp16_files.values()).chain(m.int8_files.values()).chain(m.external_data.values());
        match listed.into_iter().find(|file| !self.dir.join(file).is_file()) {
            Some(file) => Err(ModelError::FileMissing { dir: self.dir.clone(), file: file.clone(), fix: self.fix() }),
            None => Ok(()),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The path of the file listed for `role` (`vision`, `tokenizer`, ...).
    pub fn file(&self, role: &str) -> Result<PathBuf, ModelError> {
        match self.manifest.files.get(role) {
            Some(name) => Ok(self.dir.join(name)),
            None => Err(self.manifest_error(format!("files has no `{role}` entry"))),
        }
    }

    /// The file of `role`'s `precision` copy, or an error naming the export flag that writes it.
    pub fn weights_file(&self, role: &str, precision: Precision) -> Result<PathBuf, ModelError> {
        let copies = match precision {
            Precision::Fp32 => return self.file(role),
            Precision::Fp16 => &self.manifest.fp16_files,
            Precision::Int8 => &self.manifest.int8_files,
        };
        let Some(name) = copies.get(role) else {
            let (field, flag) = precision.manifest_field();
            return Err(ModelError::CopyMissing {
                dir: self.dir.clone(),
                role: role.to_string(),
                precision,
                field,
                flag,
                fix: self.fix(),
            });
        };
        Ok(self.dir.join(name))
    }

    /// The inputs and outputs declared for the ONNX file of `role`.
    pub fn signature(&self, role: &str) -> Result<&IoSignature, ModelError> {
        self.manifest.io.get(role).ok_or_else(|| self.manifest_error(format!("io has no `{role}` entry")))
    }

    /// The architecture-specific fields, e.g. `folder.params::<ClipParams>()`.
    pub fn params<T: DeserializeOwned>(&self) -> Result<T, ModelError> {
        T::deserialize(&self.raw)
            .map_err(|e| self.manifest_error(format!("{} fields: {e}", self.manifest.architecture)))
    }

    /// Fails unless the manifest says `architecture`.
    pub fn expect_architecture(&self, architecture: &str) -> Result<(), ModelError> {
        if self.manifest.architecture == architecture {
            return Ok(());
        }
        Err(ModelError::Manifest {
            path: self.dir.join("manifest.json"),
            message: format!(
                "this is a `{}` model, a `{architecture}` model is needed here",
                self.manifest.architecture
            ),
            fix: export_hint(&self.dir, Some(architecture)),
        })
    }

    /// What to run to (re)create this folder.
    pub fn fix(&self) -> String {
        export_hint(&self.dir, Some(&self.manifest.architecture))
    }

    fn manifest_error(&self, message: String) -> ModelError {
        ModelError::Manifest { path: self.dir.join("manifest.json"), message, fix: self.fix() }
    }
}

fn guess_architecture(dir: &Path) -> Option<&'static str> {
    let name = dir.file_name()?.to_str()?.to_ascii_lowercase();
    if name.contains("clip") {
        Some("clip")
    } else if name.contains("sd") || name.contains("diffusion") {
        Some("sd-turbo")
    } else {
        None
    }
}

fn export_hint(dir: &Path, architecture: Option<&str>) -> String {
    let model = architecture.filter(|a| matches!(*a, "clip" | "sd-turbo")).unwrap_or("clip|sd-turbo");
    format!(
        "export it with `python models/export.py {model} --out {}` (real weights; `just models` exports both \
         into models/), or add `--tiny` for the small random-weight test model",
        dir.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/models/clip-tiny");
    const SD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/models/sd-turbo-tiny");

    #[test]
    fn reads_the_tiny_clip_manifest() {
        let folder = ModelFolder::open(CLIP).unwrap();
        let m = folder.manifest();
        assert_eq!(
            (m.architecture.as_str(), m.max_length, m.pad_id, m.bos_id, m.eos_id),
            ("clip", 77, 49407, 49406, 49407)
        );
        let vision = folder.signature("vision").unwrap();
        assert_eq!(vision.inputs[0].name, "pixel_values");
        assert_eq!(
            vision.inputs[0].shape,
            [Dim::Named("batch".into()), Dim::Fixed(3), Dim::Fixed(224), Dim::Fixed(224)]
        );
        let clip: ClipParams = folder.params().unwrap();
        assert_eq!((clip.embedding_dim, clip.image_size), (16, 224));
        assert_eq!(clip.mean, [0.48145466, 0.4578275, 0.40821073]);
        assert!(folder.file("text").unwrap().ends_with("text.onnx"));
    }

    #[test]
    fn reads_the_tiny_sd_manifest() {
        let folder = ModelFolder::open(SD).unwrap();
        assert_eq!(folder.manifest().pad_id, 0);
        let sd: SdParams = folder.params().unwrap();
        assert_eq!((sd.latent_channels, sd.vae_scale_factor, sd.scheduler.as_str()), (4, 8, "EulerDiscreteScheduler"));
        assert_eq!(folder.signature("unet").unwrap().inputs.len(), 3);
        assert!(folder.params::<ClipParams>().unwrap_err().to_string().contains("embedding_dim"));
        assert!(folder.expect_architecture("clip").unwrap_err().to_string().contains("export.py clip"));
    }

    #[test]
    fn a_missing_folder_names_the_export_command() {
        let err = ModelFolder::open("/nonexistent/clip-vit-b32").unwrap_err().to_string();
        assert!(err.contains("/nonexistent/clip-vit-b32 does not exist"), "{err}");
        assert!(err.contains("python models/export.py clip --out /nonexistent/clip-vit-b32"), "{err}");
        assert!(err.contains("just models") && err.contains("--tiny"), "{err}");
    }

    #[test]
    fn a_missing_file_or_broken_manifest_is_named() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("clip-test");
        std::fs::create_dir(&dir).unwrap();
        let err = ModelFolder::open(&dir).unwrap_err().to_string();
        assert!(err.contains("manifest.json: cannot read it"), "{err}");

        let manifest = std::fs::read_to_string(Path::new(CLIP).join("manifest.json")).unwrap();
        std::fs::write(dir.join("manifest.json"), &manifest).unwrap();
        let err = ModelFolder::open(&dir).unwrap_err().to_string();
        assert!(err.contains("lists `text.onnx` but it is missing"), "{err}");

        std::fs::write(dir.join("manifest.json"), manifest.replace("\"io\"", "\"oi\"")).unwrap();
        let err = ModelFolder::open(&dir).unwrap_err().to_string();
        assert!(err.contains("missing field `io`"), "{err}");
    }
}
