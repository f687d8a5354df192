//! The models side of `t2d doctor`: which ONNX Runtime is loaded and what it can run on, and
//! whether each model folder opens and its ONNX files (every precision copy) match their manifest.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::device::Device;
use super::manifest::ModelFolder;
use super::precision::Precision;
use super::runtime::Runtime;
use super::session;

#[derive(Clone, Debug, Serialize)]
pub struct DoctorReport {
    pub runtime: RuntimeReport,
    pub models: Vec<ModelReport>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RuntimeReport {
    Loaded {
        library: PathBuf,
        version: String,
        providers: Vec<String>,
        /// What `--device auto` runs on: `cpu` or `cuda:N`.
        auto_device: String,
    },
    Missing {
        error: String,
    },
}

#[derive(Clone, Debug, Serialize)]
pub struct ModelReport {
    pub folder: PathBuf,
    pub name: Option<String>,
    pub architecture: Option<String>,
    /// Empty when the folder is usable.
    pub problems: Vec<String>,
}

impl ModelReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Loads the runtime for `project_root` and checks every model folder under `models_dir` (each
/// ONNX file is loaded once on the CPU, unoptimised, to read its inputs and outputs).
pub fn doctor(project_root: &Path, models_dir: &Path) -> DoctorReport {
    let runtime = match Runtime::init(project_root) {
        Ok(runtime) => RuntimeReport::Loaded {
            library: runtime.library().to_path_buf(),
            version: runtime.version().to_string(),
            providers: runtime.providers().to_vec(),
            auto_device: runtime.resolve(Device::Auto).map_or_else(|e| e.to_string(), |d| d.to_string()),
        },
        Err(e) => RuntimeReport::Missing { error: e.to_string() },
    };
    let loaded = matches!(runtime, RuntimeReport::Loaded { .. });
    let models = model_folders(models_dir).iter().map(|dir| check_folder(dir, loaded)).collect();
    DoctorReport { runtime, models }
}

/// Subfolders holding a manifest.json or an .onnx file, sorted.
fn model_folders(models_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(models_dir) else { return Vec::new() };
    let looks_like_model = |dir: &Path| {
        dir.join("manifest.json").is_file()
            || std::fs::read_dir(dir)
                .is_ok_and(|files| files.flatten().any(|f| f.path().extension().is_some_and(|e| e == "onnx")))
    };
    let mut dirs: Vec<PathBuf> =
        entries.flatten().map(|e| e.path()).filter(|p| p.is_dir() && looks_like_model(p)).collect();
    dirs.sort();
    dirs
}

fn check_folder(dir: &Path, runtime_loaded: bool) -> ModelReport {
    let mut report = ModelReport { folder: dir.to_path_buf(), name: None, architecture: None, problems: Vec::new() };
    let folder = match ModelFolder::open(dir) {
        Ok(folder) => folder,
        Err(e) => {
            report.problems.push(e.to_string());
            return report;
        }
    };
    let manifest = folder.manifest();
    report.name = Some(manifest.name.clone());
    report.architecture = Some(manifest.architecture.clone());
    if !runtime_loaded {
        report.problems.push("signatures not checked: ONNX Runtime is not loaded".into());
        return report;
    }
    for (role, signature) in &manifest.io {
        let copies = [
            (Precision::Fp32, true),
            (Precision::Fp16, manifest.fp16_files.contains_key(role)),
            (Precision::Int8, manifest.int8_files.contains_key(role)),
        ];
        for (precision, _) in copies.into_iter().filter(|(_, listed)| *listed) {
            let checked = folder
                .weights_file(role, precision)
                .and_then(|file| session::check_file(&file, signature, &folder.fix()));
            if let Err(e) = checked {
                report.problems.push(format!("{role} ({precision}): {e}"));
            }
        }
    }
    report
}
