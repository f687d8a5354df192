//! SD-Turbo against diffusers' goldens in tests/fixtures/sd (models/export.py, the tiny
//! random-weight model): with the golden's initial noise injected, the prompt embeddings, every
//! step's UNet input, output and latents, the final latents, the raw VAE output and the float
//! image must match diffusers within 1e-4, and the bytes must round the same way. Also the
//! request checks, the fp16 choice and the seeded noise, through the public API.

use std::path::{Path, PathBuf};

use serde_json::Value;
use t2d::models::sd::{seeded_noise, LatentShape, SdError};
use t2d::models::{
    ClipTokenizer, Device, GenerateRequest, ModelFolder, Precision, Progress, Runtime, SdTurbo, SharedSession,
};

const TOLERANCE: f32 = 1e-4;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn folder() -> ModelFolder {
    Runtime::init(root()).unwrap_or_else(|e| panic!("{e}"));
    ModelFolder::open(root().join("models/sd-turbo-tiny")).unwrap()
}

fn model() -> SdTurbo {
    SdTurbo::load(&folder(), Device::Cpu, 1, Precision::Fp32).unwrap()
}

fn case(name: &str) -> Value {
    let text = std::fs::read_to_string(root().join("tests/fixtures/sd/index.json")).unwrap();
    let index: Value = serde_json::from_str(&text).unwrap();
    index["cases"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap().clone()
}

/// A golden tensor (`{"file", "shape"}`): raw little-endian f32.
fn tensor(reference: &Value) -> Vec<f32> {
    let path = root().join("tests/fixtures/sd").join(reference["file"].as_str().unwrap());
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let values: Vec<f32> = bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
    let shape: usize = reference["shape"].as_array().unwrap().iter().map(|d| d.as_u64().unwrap() as usize).product();
    assert_eq!(values.len(), shape, "{}", path.display());
    values
}

fn ids(value: &Value) -> Vec<i64> {
    value.as_array().unwrap().iter().map(|x| x.as_i64().unwrap()).collect()
}

/// Max |a − b| and that relative to max |b|.
fn diff(a: &[f32], b: &[f32]) -> (f32, f32) {
    assert_eq!(a.len(), b.len());
    let abs = a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max);
    let scale = b.iter().map(|x| x.abs()).fold(0.0, f32::max);
    (abs, abs / scale.max(f32::MIN_POSITIVE))
}

#[derive(Default)]
struct Trace {
    embeds: Vec<f32>,
    steps: Vec<[Vec<f32>; 3]>,
    decoded: Vec<f32>,
}

fn check_case(name: &str) {
    let golden = case(name);
    let sd = model();
    let tokenizer = ClipTokenizer::load(sd.folder()).unwrap();
    let prompt = golden["prompt"].as_str().unwrap();
    let negative = golden["negative_prompt"].as_str();
    assert_eq!(tokenizer.encode(prompt).unwrap(), ids(&golden["prompt_ids"]), "{name}: prompt ids");
    if let Some(negative) = negative {
        assert_eq!(tokenizer.encode(negative).unwrap(), ids(&golden["negative_prompt_ids"]), "{name}: negative ids");
    }

    let request = GenerateRequest::new(prompt)
        .negative_prompt(negative.unwrap_or(""))
        .size(golden["width"].as_u64().unwrap() as usize, golden["height"].as_u64().unwrap() as usize)
        .steps(golden["num_inference_steps"].as_u64().unwrap() as usize)
        .guidance(golden["guidance_scale"].as_f64().unwrap() as f32)
        .latents(tensor(&golden["initial_latents"]));
    let mut trace = Trace::default();
    let generated = sd
        .generate_with(&request, |progress| match progress {
            Progress::PromptEmbeds { embeds, .. } => trace.embeds = embeds.to_vec(),
            Progress::Step { unet_input, unet_output, latents, .. } => {
                trace.steps.push([unet_input.to_vec(), unet_output.to_vec(), latents.to_vec()])
            }
            Progress::Decoded { raw } => trace.decoded = raw.to_vec(),
        })
        .unwrap();

    let mut rows: Vec<(String, (f32, f32))> = Vec::new();
    let mut embeds = Vec::new();
    if negative.is_some() {
        embeds.extend(tensor(&golden["negative_prompt_embeds"]));
    }
    embeds.extend(tensor(&golden["prompt_embeds"]));
    rows.push(("prompt_embeds".into(), diff(&trace.embeds, &embeds)));
    let steps = golden["steps"].as_array().unwrap();
    assert_eq!(trace.steps.len(), steps.len());
    for (i, ([input, output, latents], step)) in trace.steps.iter().zip(steps).enumerate() {
        rows.push((format!("step{i} unet_sample"), diff(input, &tensor(&step["unet_sample"]))));
        rows.push((format!("step{i} noise_pred"), diff(output, &tensor(&step["noise_pred"]))));
        rows.push((format!("step{i} latents"), diff(latents, &tensor(&step["latents"]))));
    }
    let final_latents = &trace.steps.last().unwrap()[2];
    rows.push(("final_latents".into(), diff(final_latents, &tensor(&golden["final_latents"]))));
    rows.push(("decoded".into(), diff(&trace.decoded, &tensor(&golden["decoded"]))));
    let image = tensor(&golden["image"]);
    rows.push(("image".into(), diff(&generated.image, &image)));

    let report: Vec<String> =
        rows.iter().map(|(stage, (abs, rel))| format!("  {stage:<20} max abs {abs:.3e}  rel {rel:.3e}")).collect();
    eprintln!("{name} (rust vs diffusers):\n{}", report.join("\n"));
    let failed: Vec<&String> =
        rows.iter().zip(&report).filter(|((_, (abs, _)), _)| *abs > TOLERANCE).map(|(_, line)| line).collect();
    assert!(failed.is_empty(), "{name}: over {TOLERANCE}:\n{failed:#?}");

    // Bytes: the golden image through numpy's rounding, allowing only pixels so close to a half
    // that the float difference above can flip them.
    let (image_diff, _) = diff(&generated.image, &image);
    let flips = generated
        .rgb
        .iter()
        .zip(&image)
        .filter(|(&byte, &x)| byte != (x * 255.0).round_ties_even() as u8)
        .map(|(_, &x)| {
            let fraction = (x * 255.0).fract();
            assert!((fraction - 0.5).abs() <= image_diff * 255.0 + 1e-4, "{name}: a byte differs at {x}");
        })
        .count();
    eprintln!("  rgb bytes: {} of {} differ from diffusers' rounding", flips, generated.rgb.len());
    assert_eq!((generated.width, generated.height), (48, 64));
}

#[test]
fn one_step_without_guidance_matches_diffusers() {
    check_case("steps1_guidance0");
}

#[test]
fn four_steps_without_guidance_match_diffusers() {
    check_case("steps4_guidance0");
}

#[test]
fn one_step_with_guidance_matches_diffusers() {
    check_case("steps1_guidance2");
}

#[test]
fn seeded_generation_is_reproducible_and_timed() {
    let sd = model();
    let request = GenerateRequest::new("a red dress").size(48, 64).steps(4).seed(7);
    let first = sd.generate(&request).unwrap();
    let again = sd.generate(&request).unwrap();
    assert_eq!(first.image, again.image);
    assert_eq!(first.rgb.len(), 48 * 64 * 3);
    let other = sd.generate(&request.clone().seed(8)).unwrap();
    assert_ne!(first.rgb, other.rgb);
    // The seed's noise is exactly what injecting it gives.
    let injected = sd.generate(&request.clone().latents(seeded_noise(7, 4 * 8 * 6))).unwrap();
    assert_eq!(first.image, injected.image);

    let t = &again.timings;
    assert_eq!(t.unet_steps.len(), 4);
    let parts = t.text_encoder + t.unet_steps.iter().sum() + t.vae_decode;
    assert!(parts <= t.total);
    eprintln!(
        "tiny model, 48×64, 4 steps, 1 thread: text encoder {:?}, UNet steps {:?}, VAE decode {:?}, total {:?}",
        t.text_encoder, t.unet_steps, t.vae_decode, t.total
    );
}

#[test]
fn requests_the_model_cannot_serve_are_named() {
    let sd = model();
    let base = GenerateRequest::new("a coat").size(48, 64).steps(1);
    let err = |request: &GenerateRequest| sd.generate(request).unwrap_err().to_string();
    let size = err(&base.clone().size(40, 64));
    assert!(size.contains("40×64") && size.contains("multiples of 16"), "{size}");
    let noise = err(&base.clone().latents(vec![0.0; 10]));
    assert!(noise.contains("10 values") && noise.contains("needs 192") && noise.contains("[1, 4, 8, 6]"), "{noise}");
    let steps = err(&base.clone().steps(0));
    assert!(steps.contains("0 steps") && steps.contains("at least 1"), "{steps}");
    assert!(matches!(sd.generate(&base.clone().guidance(f32::NAN)), Err(SdError::Guidance(_))));
    assert_eq!(sd.latent_shape(384, 512).unwrap(), LatentShape { channels: 4, height: 64, width: 48 });
}

#[test]
fn folders_that_cannot_serve_are_named() {
    let clip = ModelFolder::open(root().join("models/clip-tiny")).unwrap();
    let err = SdTurbo::load(&clip, Device::Cpu, 1, Precision::Fp32).err().unwrap().to_string();
    assert!(err.contains("a `sd-turbo` model is needed"), "{err}");
    let err = SdTurbo::load(&folder(), Device::Cpu, 1, Precision::Fp16).err().unwrap().to_string();
    assert!(err.contains("no fp16 copy of `text_encoder`") && err.contains("--fp16"), "{err}");
}

/// A copy of the tiny folder whose fp16_files point at renamed float32 files: fp16 must open those.
#[test]
fn fp16_opens_the_fp16_files() {
    folder();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sd-turbo-fp16");
    std::fs::create_dir(&dir).unwrap();
    let source = root().join("models/sd-turbo-tiny");
    for entry in std::fs::read_dir(&source).unwrap().flatten() {
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    let mut manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let mut fp16 = serde_json::Map::new();
    for role in ["text_encoder", "unet", "vae_decoder"] {
        std::fs::copy(source.join(format!("{role}.onnx")), dir.join(format!("{role}.fp16.onnx"))).unwrap();
        fp16.insert(role.into(), format!("{role}.fp16.onnx").into());
    }
    manifest["fp16_files"] = fp16.into();
    std::fs::write(dir.join("manifest.json"), serde_json::to_string(&manifest).unwrap()).unwrap();

    let folder = ModelFolder::open(&dir).unwrap();
    let sd = SdTurbo::load(&folder, Device::Cpu, 1, Precision::Fp16).unwrap();
    assert_eq!(sd.precision(), Precision::Fp16);
    let request = GenerateRequest::new("a coat").size(48, 64).steps(1);
    let fp16 = sd.generate(&request).unwrap();
    let fp32 = SdTurbo::load(&folder, Device::Cpu, 1, Precision::Fp32).unwrap().generate(&request).unwrap();
    assert_eq!(fp16.image, fp32.image, "the same weights under both names");
    // Sessions are per file: the fp16 name has its own.
    let opened = |file: PathBuf| {
        SharedSession::open(&file, Device::Cpu, 1, folder.signature("unet").unwrap(), "").unwrap().key().file.clone()
    };
    assert!(opened(dir.join("unet.fp16.onnx")).ends_with("unet.fp16.onnx"));
}
