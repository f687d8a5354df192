"""SD-Turbo benchmark, the torch side of bench/sd.sh, and its report.

    python bench/sd_torch.py run --model bench/work/sd-turbo-full-random --work bench/work/sd
    python bench/sd_torch.py report --work bench/work/sd --out bench/results/sd.md

`run`: rebuilds the full-size random-weight SD-Turbo exactly as models/export.py does (same configs,
torch.manual_seed(0), so the same weights as the ONNX files), writes the initial latents both sides
start from (latents.f32), then makes `--warmup` untimed designs and `--runs` timed designs with diffusers'
StableDiffusionPipeline on the CPU (float32, `--threads` intra-op threads), 512 high × 384 wide,
4 steps, guidance 0. Per-part times come from wrappers around the text encoder, the UNet and
vae.decode; prints them as one JSON object and writes the last design's float image (torch_image.f32).

`report`: reads torch.json, t2d.json, the two `/usr/bin/time -v` logs and both images, and writes
the Markdown result (bench/results/sd.md) through a temporary file.
"""

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Appended to the report: what was tried for the decode and the memory, measured while writing
# bench/sd.sh (2-core Xeon with AMX/AVX-512, ONNX Runtime 1.32.0 from Python with the same options, one
# process per configuration, 2 intra-op threads, spinning off, CPU seconds per decode because other
# jobs shared the machine).
NOTES = """\
Notes on the VAE decode and memory (measured when this benchmark was written, not by each run):

- The decode is the whole-image VAE decode diffusers does (no tiling), so the image matches torch's.
  Conv is ~80% of its kernel time (ONNX Runtime profile), GroupNorm (InstanceNormalization) ~7%.
- Graph optimisation: t2d opens sessions at ONNX Runtime's default level, ORT_ENABLE_ALL, whose
  NCHWc layout transform makes the convolutions faster: ~12 CPU s per decode against ~14.5 CPU s at
  ORT_ENABLE_EXTENDED, for ~0.9 GB more activation memory. Kept at ALL.
- fp16 (the decoder converted like `export.py --fp16`) on the CPU: 11.6–12.2 CPU s against 11.7–12.7
  for fp32, same peak memory: no gain on ONNX Runtime's CPU provider, so the benchmark stays fp32.
- Tiled decode: not used. It does not reduce the work (tiles overlap), it changes the output (the
  mid-block attention and the GroupNorm statistics become per tile), and at 512×384 it would only
  bound memory, which the change below already does. `SdTurbo::with_decoder` is the seam for one.
- Memory: each session used to have its own CPU arena plus a memory pattern. Arenas never give memory
  back, so the UNet's and the VAE's activation peaks both stayed resident, and the pattern grew again
  on the second design: peak RSS 7.70 GB over two designs. All CPU sessions now share one arena
  registered on the ONNX Runtime environment (`session.use_env_allocators`), without memory pattern:
  ~6.0 GB, flat from the second design on, no measurable speed cost (CPU s per UNet step and per decode
  unchanged in the same comparison).
- The machine is shared: timed runs take /tmp/t2d-bench.lock and run at nice -5, and each figure is the
  fastest of several designs, but single designs still moved by tens of percent while other jobs ran
  (torch's first measurement here: 2.9–6.5 s per UNet step, 9–17 s per decode). The issue's torch
  reference (5.6–6.0 s per step, 18–20 s per decode) is slower than what this machine gives torch
  when quiet; the comparison above is the same-run one.
"""
PROMPT = "fashion design sheet, vintage blazer, clean studio background"  # bench_sd.rs's default


def run(args):
    import numpy as np
    import torch
    from diffusers import EulerDiscreteScheduler, StableDiffusionPipeline
    from transformers import CLIPTokenizer

    sys.path.insert(0, str(REPO / "models"))
    import export  # noqa: E402  (models/export.py: the configs and the seed the ONNX files come from)

    torch.set_num_threads(args.threads)
    args.work.mkdir(parents=True, exist_ok=True)
    clock = time.perf_counter()
    parts = export.load_sd_turbo("full-random")
    pipe = StableDiffusionPipeline(
        vae=parts.vae, text_encoder=parts.text_encoder, tokenizer=CLIPTokenizer.from_pretrained(args.model),
        unet=parts.unet, scheduler=EulerDiscreteScheduler.from_pretrained(args.model),
        safety_checker=None, feature_extractor=None, requires_safety_checker=False)
    pipe.set_progress_bar_config(disable=True)
    load = time.perf_counter() - clock
    params = {name: sum(p.numel() for p in getattr(parts, name).parameters())
              for name in ("text_encoder", "unet", "vae")}

    latent_shape = (1, parts.unet.config.in_channels, args.height // pipe.vae_scale_factor,
                    args.width // pipe.vae_scale_factor)
    latents = np.random.default_rng(0).standard_normal(latent_shape, dtype=np.float32)
    latents.astype("<f4").tofile(args.work / "latents.f32")

    times = {"text_encoder": [], "unet": [], "vae_decode": []}

    def timed(name, fn):
        def wrapper(*a, **k):
            start = time.perf_counter()
            out = fn(*a, **k)
            times[name].append(time.perf_counter() - start)
            return out
        return wrapper

    # Instance attributes shadow the methods the pipeline calls: text_encoder(...), unet(...), vae.decode(...).
    pipe.text_encoder.forward = timed("text_encoder", pipe.text_encoder.forward)
    pipe.unet.forward = timed("unet", pipe.unet.forward)
    pipe.vae.decode = timed("vae_decode", pipe.vae.decode)

    def design():
        for v in times.values():
            v.clear()
        start = time.perf_counter()
        with torch.inference_mode():
            image = pipe(args.prompt, height=args.height, width=args.width, num_inference_steps=args.steps,
                         guidance_scale=0.0, latents=torch.from_numpy(latents), output_type="np").images
        total = time.perf_counter() - start
        assert len(times["text_encoder"]) == 1 and len(times["unet"]) == args.steps, times
        return image, {"text_encoder_s": times["text_encoder"][0], "unet_steps_s": list(times["unet"]),
                       "vae_decode_s": times["vae_decode"][0], "total_s": total}

    warmups = [design()[1] for _ in range(args.warmup)]
    runs = []
    for _ in range(max(args.runs, 1)):
        image, timed_run = design()
        runs.append(timed_run)
    np.ascontiguousarray(image[0], dtype="<f4").tofile(args.work / "torch_image.f32")
    print(json.dumps({
        "side": "torch", "torch": torch.__version__, "threads": torch.get_num_threads(),
        "width": args.width, "height": args.height, "steps": args.steps, "warmup": args.warmup,
        "params": params, "load_s": load, "runs": runs, "warmup_runs": warmups,
    }))


# --------------------------------------------------------------------------------------------


def peak_rss_gb(log):
    """Maximum resident set size from a `/usr/bin/time -v` log, in GB (10^9 bytes)."""
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", log.read_text())
    return int(match.group(1)) * 1024 / 1e9


def fastest(runs):
    """Each part's fastest time over the timed runs (each UNet step separately)."""
    return {
        "text_encoder_s": min(r["text_encoder_s"] for r in runs),
        "unet_steps_s": [min(steps) for steps in zip(*(r["unet_steps_s"] for r in runs))],
        "unet_s": min(sum(r["unet_steps_s"]) for r in runs),
        "vae_decode_s": min(r["vae_decode_s"] for r in runs),
        "total_s": min(r["total_s"] for r in runs),
    }


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, no GPU used ({platform.system()} {platform.release()})"


def report(args):
    import numpy as np

    torch_run = json.loads((args.work / "torch.json").read_text())
    t2d_run = json.loads((args.work / "t2d.json").read_text())
    rss = {side: peak_rss_gb(args.work / f"{side}.time") for side in ("torch", "t2d")}
    a = np.fromfile(args.work / "torch_image.f32", dtype="<f4")
    b = np.fromfile(args.work / "t2d_image.f32", dtype="<f4")
    image_diff = float(np.abs(a - b).max())
    byte_diff = int(np.abs(np.round(a * 255) - np.round(b * 255)).max())

    tt, rt = fastest(torch_run["runs"]), fastest(t2d_run["runs"])
    steps = len(tt["unet_steps_s"])
    rows = [("text encoder", tt["text_encoder_s"], rt["text_encoder_s"])]
    rows += [(f"UNet step {i + 1}", x, y) for i, (x, y) in enumerate(zip(tt["unet_steps_s"], rt["unet_steps_s"]))]
    rows += [(f"UNet, {steps} steps", tt["unet_s"], rt["unet_s"]),
             ("VAE decode", tt["vae_decode_s"], rt["vae_decode_s"]),
             ("whole design", tt["total_s"], rt["total_s"])]
    slower = [name for name, x, y in rows if y >= x]
    lighter = rss["t2d"] < min(rss["torch"], 7.2)
    verdict = "met" if not slower and lighter else "missed"
    verdict += ": every part and the whole design faster than torch" if not slower else \
        f": not faster than torch for {', '.join(slower)}"
    verdict += (f"; peak memory {rss['t2d']:.2f} GB, {'below' if lighter else 'NOT below'} torch's "
                f"{rss['torch']:.2f} GB and 7.2 GB")

    p = torch_run["params"]
    lines = [
        "## SD-Turbo, full-size architecture (random weights), 512 high × 384 wide, 4 steps",
        "",
        f"- Command: `just bench` (runs `bash bench/sd.sh`)",
        f"- Date: {datetime.date.today().isoformat()}",
        f"- Machine: {machine()}",
        f"- Model: SD-Turbo / SD 2.1 layout with random weights (seed 0, made by models/export.py "
        f"`--full-random`): UNet {p['unet'] / 1e6:.0f} M parameters, text encoder (OpenCLIP ViT-H text tower, "
        f"1024-d) {p['text_encoder'] / 1e6:.0f} M, VAE {p['vae'] / 1e6:.0f} M; float32 on both sides.",
        f"- torch: diffusers StableDiffusionPipeline, torch {torch_run['torch']} CPU, "
        f"{torch_run['threads']} threads. t2d: `examples/bench_sd.rs` (SdTurbo), ONNX Runtime "
        f"{t2d_run['onnxruntime']} CPU, {t2d_run['precision']}, {t2d_run['threads']} intra-op threads.",
        f"- Both sides start from the same initial latents, guidance 0, prompt \"{PROMPT}\". Each process makes "
        f"{torch_run['warmup']} untimed design(s), then {len(torch_run['runs'])} (torch) and {len(t2d_run['runs'])} "
        f"(t2d) timed ones; each figure below is the fastest of those runs (per part, per step; the whole design "
        f"is the fastest total). Model loading is not in the "
        f"design time (torch builds its modules: {torch_run['load_s']:.1f} s; t2d opens its ONNX sessions: "
        f"{t2d_run['load_s']:.1f} s). t2d's text encoder time includes tokenizing, torch's does not. Peak memory: "
        f"maximum RSS of each process (`/usr/bin/time -v`), loading included.",
        f"- Same output: max |image t2d − image torch| = {image_diff:.2g} (on [0, 1]); "
        f"bytes differ by at most {byte_diff}.",
        "",
        "| part | torch (s) | t2d (s) | t2d / torch |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {name} | {x:.2f} | {y:.2f} | {y / x:.2f} |" for name, x, y in rows]
    lines += [f"| peak memory (GB) | {rss['torch']:.2f} | {rss['t2d']:.2f} | {rss['t2d'] / rss['torch']:.2f} |", ""]
    lines += [f"Verdict: {verdict}.", ""]
    lines += [NOTES]
    text = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(args.out.name + ".tmp")
    tmp.write_text(text)
    tmp.replace(args.out)
    print(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("--model", type=Path, required=True, help="the exported folder (tokenizer, scheduler)")
    r.add_argument("--work", type=Path, required=True)
    r.add_argument("--threads", type=int, default=2)
    r.add_argument("--width", type=int, default=384)
    r.add_argument("--height", type=int, default=512)
    r.add_argument("--steps", type=int, default=4)
    r.add_argument("--warmup", type=int, default=1)
    r.add_argument("--runs", type=int, default=1, help="timed designs (the report takes each part's fastest)")
    r.add_argument("--prompt", default=PROMPT)
    p = sub.add_parser("report")
    p.add_argument("--work", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    run(args) if args.command == "run" else report(args)


if __name__ == "__main__":
    main()
