//! SD-Turbo benchmark, the Rust side of bench/sd.sh: loads a model folder, makes `--warmup`
//! untimed designs, then `--runs` timed designs, and prints the per-part timings of each as one
//! JSON object.
//!
//!     cargo run --release --example bench_sd -- --model bench/work/sd-turbo-full-random \
//!         --latents bench/work/sd/latents.f32 --image-out bench/work/sd/t2d_image.f32
//!
//! `--latents`: the initial noise (raw little-endian f32, `[1, 4, h/8, w/8]`), so that both sides
//! denoise the same latents; `--image-out`: the last design's float image (`h × w × 3`, raw f32)
//! for the comparison with torch's.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::json;
use t2d::models::{Device, GenerateRequest, ModelFolder, Precision, Runtime, SdTurbo, Timings};

#[derive(Parser)]
struct Args {
    /// Model folder (models/export.py sd-turbo).
    #[arg(long)]
    model: PathBuf,
    /// Intra-op threads per session (0: ONNX Runtime's default, one per core).
    #[arg(long, default_value_t = 2)]
    threads: usize,
    #[arg(long, default_value = "fp32")]
    precision: Precision,
    #[arg(long, default_value_t = 384)]
    width: usize,
    #[arg(long, default_value_t = 512)]
    height: usize,
    #[arg(long, default_value_t = 4)]
    steps: usize,
    /// Untimed designs before the timed one (the first run of a session sets up its memory plan).
    #[arg(long, default_value_t = 1)]
    warmup: usize,
    /// Timed designs (the report takes each part's fastest).
    #[arg(long, default_value_t = 1)]
    runs: usize,
    #[arg(long, default_value = "fashion design sheet, vintage blazer, clean studio background")]
    prompt: String,
    /// Initial latents, raw little-endian f32; default: t2d's seeded noise (seed 42).
    #[arg(long)]
    latents: Option<PathBuf>,
    /// Where to write the last design's float image (raw little-endian f32, h × w × 3).
    #[arg(long)]
    image_out: Option<PathBuf>,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench_sd: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let runtime = Runtime::init(&root).map_err(|e| e.to_string())?;
    let folder = ModelFolder::open(&args.model).map_err(|e| e.to_string())?;
    let clock = Instant::now();
    let model = SdTurbo::load(&folder, Device::Cpu, args.threads, args.precision).map_err(|e| e.to_string())?;
    let load = clock.elapsed();

    let mut request = GenerateRequest::new(&args.prompt).size(args.width, args.height).steps(args.steps).guidance(0.0);
    if let Some(path) = &args.latents {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        request =
            request.latents(bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect());
    }
    let mut warmups = Vec::with_capacity(args.warmup);
    for _ in 0..args.warmup {
        warmups.push(model.generate(&request).map_err(|e| e.to_string())?.timings);
    }
    let mut runs = Vec::with_capacity(args.runs);
    let mut generated = None;
    for _ in 0..args.runs.max(1) {
        let design = model.generate(&request).map_err(|e| e.to_string())?;
        runs.push(timings(&design.timings));
        generated = Some(design);
    }
    let generated = generated.expect("at least one run");
    if let Some(path) = &args.image_out {
        let bytes: Vec<u8> = generated.image.iter().flat_map(|x| x.to_le_bytes()).collect();
        std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let report = json!({
        "side": "t2d",
        "onnxruntime": runtime.version(),
        "precision": args.precision.to_string(),
        "threads": args.threads,
        "width": args.width,
        "height": args.height,
        "steps": args.steps,
        "warmup": args.warmup,
        "load_s": secs(load),
        "runs": runs,
        "warmup_runs": warmups.iter().map(timings).collect::<Vec<_>>(),
    });
    println!("{report}");
    Ok(())
}

fn timings(t: &Timings) -> serde_json::Value {
    json!({
        "text_encoder_s": secs(t.text_encoder),
        "unet_steps_s": t.unet_steps.iter().copied().map(secs).collect::<Vec<_>>(),
        "vae_decode_s": secs(t.vae_decode),
        "total_s": secs(t.total),
    })
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}
