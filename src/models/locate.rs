//! Where the ONNX Runtime shared library is: `ORT_DYLIB_PATH` if set, else `<project>/.ort/` (where
//! `just setup` puts it), else next to the executable. Pure path logic, so it is tested without loading.

use std::env::consts::{DLL_PREFIX, DLL_SUFFIX};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::error::ModelError;

pub const ENV_VAR: &str = "ORT_DYLIB_PATH";

/// The library `ort::init_from` should load for a project rooted at `project_root`.
pub fn locate_library(project_root: &Path) -> Result<PathBuf, ModelError> {
    let exe_dir = std::env::current_exe().ok().and_then(|exe| exe.parent().map(Path::to_path_buf));
    let found = locate_with(std::env::var_os(ENV_VAR), project_root, exe_dir)?;
    // ort resolves a relative path against the executable's folder first; make it mean the cwd.
    Ok(std::path::absolute(&found).unwrap_or(found))
}

fn locate_with(env: Option<OsString>, root: &Path, exe_dir: Option<PathBuf>) -> Result<PathBuf, ModelError> {
    if let Some(path) = env.filter(|p| !p.is_empty()).map(PathBuf::from) {
        return if path.is_file() { Ok(path) } else { Err(ModelError::LibraryPathMissing { path }) };
    }
    let mut looked = Vec::new();
    for dir in std::iter::once(root.join(".ort")).chain(exe_dir) {
        if let Some(found) = find_in(&dir) {
            return Ok(found);
        }
        looked.push(dir.join(format!("{DLL_PREFIX}onnxruntime{DLL_SUFFIX}*")));
    }
    Err(ModelError::LibraryNotFound { looked })
}

/// The newest `libonnxruntime.so[.X.Y.Z]` (or the platform's spelling) in `dir`.
fn find_in(dir: &Path) -> Option<PathBuf> {
    let mut found: Vec<(Vec<u64>, PathBuf)> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_file() && path.file_name().and_then(|n| n.to_str()).is_some_and(is_library_name))
        .map(|path| (version_of(&path), path))
        .collect();
    found.sort();
    found.pop().map(|(_, path)| path)
}

fn is_library_name(name: &str) -> bool {
    let plain = format!("{DLL_PREFIX}onnxruntime{DLL_SUFFIX}");
    let versioned_suffix = name.strip_prefix(&format!("{plain}.")); // libonnxruntime.so.1.32.0
    let versioned_stem = name.strip_prefix(&format!("{DLL_PREFIX}onnxruntime.")); // libonnxruntime.1.32.0.dylib
    name == plain
        || versioned_suffix.is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
        || versioned_stem
            .and_then(|v| v.strip_suffix(DLL_SUFFIX))
            .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn version_of(path: &Path) -> Vec<u64> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    name.split(|c: char| !c.is_ascii_digit()).filter_map(|part| part.parse().ok()).collect()
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn touch(dir: &Path, name: &str) {
        std::fs::write(dir.join(name), b"").unwrap();
    }

    #[test]
    fn env_var_wins_and_must_exist() {
        let tmp = tempfile::tempdir().unwrap();
        touch(tmp.path(), "custom.so");
        let env = Some(tmp.path().join("custom.so").into_os_string());
        assert_eq!(locate_with(env, tmp.path(), None).unwrap(), tmp.path().join("custom.so"));

        let missing = Some(tmp.path().join("nope.so").into_os_string());
        let err = locate_with(missing, tmp.path(), None).unwrap_err().to_string();
        assert!(err.contains("ORT_DYLIB_PATH") && err.contains("nope.so"), "{err}");
    }

    #[test]
    fn project_ort_folder_then_executable_folder() {
        let root = tempfile::tempdir().unwrap();
        let exe = tempfile::tempdir().unwrap();
        touch(exe.path(), "libonnxruntime.so");
        let found = locate_with(None, root.path(), Some(exe.path().to_path_buf())).unwrap();
        assert_eq!(found, exe.path().join("libonnxruntime.so"));

        std::fs::create_dir(root.path().join(".ort")).unwrap();
        touch(&root.path().join(".ort"), "libonnxruntime.so.1.9.0");
        touch(&root.path().join(".ort"), "libonnxruntime.so.1.32.0");
        touch(&root.path().join(".ort"), "libonnxruntime_providers_shared.so");
        let found = locate_with(None, root.path(), Some(exe.path().to_path_buf())).unwrap();
        assert_eq!(found, root.path().join(".ort/libonnxruntime.so.1.32.0"));
    }

    #[test]
    fn missing_library_says_where_it_looked_and_how_to_install() {
        let root = tempfile::tempdir().unwrap();
        let err = locate_with(Some(OsString::new()), root.path(), None).unwrap_err().to_string();
        assert!(err.contains(&root.path().join(".ort").display().to_string()), "{err}");
        assert!(err.contains("just setup") && err.contains("onnxruntime-gpu"), "{err}");
    }
}
