//! The models room against the transformers goldens in tests/fixtures: both tokenizers id for id,
//! CLIP text and image embeddings within 1e-4, and the runtime, sessions and doctor around them.
//! ONNX Runtime is found as the binary finds it (project root = this crate); without it these
//! tests fail with the message that says to run `just setup`.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;
use t2d::models::{
    doctor, ClipModel, ClipTokenizer, Device, ModelFolder, Precision, Runtime, RuntimeReport, SharedSession,
};

const TOLERANCE: f32 = 1e-4;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn runtime() -> &'static Runtime {
    Runtime::init(root()).unwrap_or_else(|e| panic!("{e}"))
}

fn folder(name: &str) -> ModelFolder {
    ModelFolder::open(root().join("models").join(name)).unwrap()
}

fn clip() -> ClipModel {
    runtime();
    ClipModel::load(&folder("clip-tiny"), Device::Cpu, 1).unwrap()
}

fn fixture(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join("tests/fixtures").join(path)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn floats(value: &Value) -> Vec<f32> {
    value.as_array().unwrap().iter().map(|x| x.as_f64().unwrap() as f32).collect()
}

fn ids(value: &Value) -> Vec<i64> {
    value.as_array().unwrap().iter().map(|x| x.as_i64().unwrap()).collect()
}

fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
}

#[test]
fn onnx_runtime_is_found_like_the_binary_finds_it() {
    let runtime = runtime();
    assert!(runtime.library().starts_with(root().join(".ort")) || std::env::var_os("ORT_DYLIB_PATH").is_some());
    assert!(runtime.version().starts_with("1."), "{}", runtime.version());
    assert!(runtime.providers().iter().any(|p| p == "CPUExecutionProvider"), "{:?}", runtime.providers());
    eprintln!("ONNX Runtime {} from {} with {:?}", runtime.version(), runtime.library().display(), runtime.providers());
}

#[test]
fn both_tokenizers_match_transformers_id_for_id() {
    runtime();
    let cases = fixture("tokenizer/tokens.json");
    let cases = cases.as_array().unwrap();
    for (model, key) in [("clip-tiny", "clip"), ("sd-turbo-tiny", "sd")] {
        let tokenizer = ClipTokenizer::load(&folder(model)).unwrap();
        let mismatches: Vec<String> = cases
            .iter()
            .filter_map(|case| {
                let text = case["text"].as_str().unwrap();
                let got = tokenizer.encode(text).unwrap();
                (got != ids(&case[key])).then(|| format!("{text:?}: got {:?}", &got[..got.len().min(12)]))
            })
            .collect();
        assert!(
            mismatches.is_empty(),
            "{model}: {} of {} texts differ:\n{}",
            mismatches.len(),
            cases.len(),
            mismatches.join("\n")
        );
        let texts: Vec<&str> = cases.iter().map(|c| c["text"].as_str().unwrap()).collect();
        let batch = tokenizer.encode_batch(&texts).unwrap();
        assert!(batch.iter().zip(cases).all(|(row, case)| *row == ids(&case[key])), "{model}: batch differs");
        eprintln!("{model}: {} texts, ids identical to transformers", cases.len());
    }
}

#[test]
fn text_embeddings_match_transformers() {
    let clip = clip();
    let golden = fixture("clip/embeddings.json");
    let cases = golden["texts"].as_array().unwrap();
    let texts: Vec<&str> = cases.iter().map(|c| c["text"].as_str().unwrap()).collect();
    let tokenizer = ClipTokenizer::load(clip.folder()).unwrap();
    for case in cases {
        assert_eq!(tokenizer.encode(case["text"].as_str().unwrap()).unwrap(), ids(&case["input_ids"]));
    }
    let embeddings = clip.encode_texts(&texts).unwrap();
    let diff =
        embeddings.iter().zip(cases).map(|(e, case)| max_abs_diff(e, &floats(&case["embedding"]))).fold(0.0, f32::max);
    eprintln!("text embeddings: {} texts, max |rust - transformers| = {diff:.3e}", texts.len());
    assert!(diff <= TOLERANCE, "max diff {diff}");
}

#[test]
fn encode_images_checks_the_buffer_length() {
    let err = clip().encode_images(&[0.0; 10], 1).unwrap_err().to_string();
    assert!(err.contains("expected 150528"), "{err}");
}

#[test]
fn repeated_texts_give_the_same_embedding() {
    let clip = clip();
    let first = clip.encode_texts(&["memo check", "memo check", "other"]).unwrap();
    assert_eq!(first[0], first[1]);
    let again = clip.encode_texts(&["other", "memo check"]).unwrap();
    assert_eq!((&again[0], &again[1]), (&first[2], &first[0]));
}

#[test]
fn sessions_are_shared_per_file_device_and_threads() {
    runtime();
    let clip = folder("clip-tiny");
    let (file, signature) = (clip.file("text").unwrap(), clip.signature("text").unwrap());
    let a = SharedSession::open(&file, Device::Cpu, 2, signature, "").unwrap();
    let b = SharedSession::open(&file, Device::Cpu, 2, signature, "").unwrap();
    let c = SharedSession::open(&file, Device::Cpu, 3, signature, "").unwrap();
    assert!(Arc::ptr_eq(&a, &b));
    assert!(!Arc::ptr_eq(&a, &c));
}

/// A folder `name` in `parent` with `files` of models/clip-tiny and its tokenizer; returns it and clip-tiny.
fn clip_tiny_copy(parent: &Path, name: &str, files: &[&str]) -> (std::path::PathBuf, std::path::PathBuf) {
    let (dir, source) = (parent.join(name), root().join("models/clip-tiny"));
    std::fs::create_dir(&dir).unwrap();
    for file in files.iter().chain(&["tokenizer.json"]) {
        std::fs::copy(source.join(file), dir.join(file)).unwrap();
    }
    (dir, source)
}

#[test]
fn a_model_that_does_not_match_its_manifest_is_named_with_both_sides() {
    runtime();
    let tmp = tempfile::tempdir().unwrap();
    let (dir, source) = clip_tiny_copy(tmp.path(), "clip-edited", &["vision.onnx", "vision.int8.onnx", "text.onnx"]);
    let manifest = std::fs::read_to_string(source.join("manifest.json")).unwrap();
    std::fs::write(dir.join("manifest.json"), manifest.replace("\"pixel_values\"", "\"pixels\"")).unwrap();
    let clip = ClipModel::load(&ModelFolder::open(&dir).unwrap(), Device::Cpu, 1).unwrap();
    let err = clip.encode_images(&vec![0.0; 3 * 224 * 224], 1).unwrap_err().to_string();
    assert!(err.contains("vision.onnx: the model does not match its manifest.json entry"), "{err}");
    assert!(err.contains("expected: inputs [pixels: float32[batch, 3, 224, 224]]"), "{err}");
    assert!(err.contains("found:    inputs [pixel_values: float32[batch, 3, 224, 224]]"), "{err}");
    assert!(err.contains("python models/export.py clip --out"), "{err}");
}

#[test]
fn an_int8_request_without_an_int8_copy_names_the_export_flag() {
    runtime();
    let tmp = tempfile::tempdir().unwrap();
    let (dir, source) = clip_tiny_copy(tmp.path(), "clip-fp32-only", &["vision.onnx", "text.onnx"]);
    let mut manifest: Value = serde_json::from_slice(&std::fs::read(source.join("manifest.json")).unwrap()).unwrap();
    assert!(manifest.as_object_mut().unwrap().remove("int8_files").is_some(), "clip-tiny has an int8 copy");
    std::fs::write(dir.join("manifest.json"), manifest.to_string()).unwrap();
    let clip = ClipModel::load(&ModelFolder::open(&dir).unwrap(), Device::Cpu, 1).unwrap();
    let err = clip.with_vision_precision(Precision::Int8).err().unwrap().to_string();
    assert!(err.contains("int8 was asked for but manifest.json lists no int8 copy of `vision` (int8_files)"), "{err}");
    assert!(err.contains("re-export with `--int8`") && err.contains("python models/export.py clip --out"), "{err}");
}

#[test]
fn devices_resolve_to_what_the_runtime_can_do() {
    let runtime = runtime();
    assert_eq!(runtime.resolve(Device::Cpu).unwrap(), Device::Cpu);
    match runtime.resolve(Device::Cuda(0)) {
        Ok(device) => assert_eq!(device, Device::Cuda(0)),
        Err(e) => {
            // A CPU build says to install the GPU one; a GPU build without CUDA names the missing library.
            let err = e.to_string();
            eprintln!("{err}");
            assert!(err.contains("cuda:0"), "{err}");
            assert!(err.contains("onnxruntime-gpu") || err.contains("cannot open shared object file"), "{err}");
            assert_eq!(runtime.resolve(Device::Auto).unwrap(), Device::Cpu);
        }
    }
}

#[test]
fn doctor_reports_the_runtime_and_the_tiny_models() {
    let report = doctor(root(), &root().join("models"));
    let RuntimeReport::Loaded { version, auto_device, .. } = &report.runtime else { panic!("{:?}", report.runtime) };
    assert!(version.starts_with("1.") && !auto_device.is_empty());
    for (name, architecture) in [("clip-tiny", "clip"), ("sd-turbo-tiny", "sd-turbo")] {
        let model = report.models.iter().find(|m| m.name.as_deref() == Some(name)).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(model.architecture.as_deref(), Some(architecture));
        assert!(model.ok(), "{name}: {:?}", model.problems);
    }
}

#[test]
fn doctor_checks_every_precision_copy_against_the_signature() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, source) = clip_tiny_copy(tmp.path(), "clip-bad-int8", &["manifest.json", "vision.onnx", "text.onnx"]);
    // An "int8 vision tower" that is really the text tower: wrong inputs and outputs.
    std::fs::copy(source.join("text.onnx"), dir.join("vision.int8.onnx")).unwrap();
    let report = doctor(root(), tmp.path());
    let problems = &report.models[0].problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("vision (int8): ") && problems[0].contains("vision.int8.onnx"), "{problems:?}");
}
