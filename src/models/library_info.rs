//! Two facts about the loaded ONNX Runtime that `ort` does not expose: its version string and the
//! execution providers it was built with. One C call each; the module's only `unsafe`.

use std::ffi::{c_char, c_int, CStr};
use std::path::Path;
use std::ptr;

/// `OrtGetApiBase()->GetVersionString()` of the library at `path`, e.g. "1.32.0".
pub(crate) fn version_string(path: &Path) -> Result<String, String> {
    type GetApiBase = unsafe extern "C" fn() -> *const ort::sys::OrtApiBase;
    // SAFETY: `path` is the library ort has already loaded, so this `dlopen` only takes another
    // reference to it (no initialisers run again). `OrtGetApiBase` has this signature in every ONNX
    // Runtime 1.x, and returns a static table whose version string is static and NUL-terminated; it
    // is copied before the reference is dropped.
    unsafe {
        let library = libloading::Library::new(path).map_err(|e| e.to_string())?;
        let get_api_base = library.get::<GetApiBase>(b"OrtGetApiBase").map_err(|e| e.to_string())?;
        let base = get_api_base();
        if base.is_null() {
            return Err("OrtGetApiBase returned null".into());
        }
        let version = ((*base).GetVersionString)();
        if version.is_null() {
            return Err("GetVersionString returned null".into());
        }
        Ok(CStr::from_ptr(version).to_string_lossy().into_owned())
    }
}

/// The execution providers the loaded library was built with, e.g. `["CPUExecutionProvider"]`.
/// Call only once the library is loaded (`ort::api()` would otherwise try to load one itself).
pub(crate) fn available_providers() -> Result<Vec<String>, String> {
    let api = ort::api();
    let mut list: *mut *mut c_char = ptr::null_mut();
    let mut len: c_int = 0;
    // SAFETY: the out-pointers are valid; on success ONNX Runtime fills `list` with `len` valid
    // NUL-terminated strings, which are copied and then handed back with ReleaseAvailableProviders.
    unsafe {
        ort::Error::result_from_status((api.GetAvailableProviders)(&mut list, &mut len)).map_err(|e| e.to_string())?;
        if list.is_null() {
            return Ok(Vec::new());
        }
        let count = usize::try_from(len).unwrap_or(0);
        let names = (0..count).map(|i| CStr::from_ptr(*list.add(i)).to_string_lossy().into_owned()).collect();
        ort::Error::result_from_status((api.ReleaseAvailableProviders)(list, len)).map_err(|e| e.to_string())?;
        Ok(names)
    }
}
