#!/usr/bin/env bash
# SD-Turbo, full-size architecture with random weights, 512 high × 384 wide, 4 steps, guidance 0:
# diffusers/torch CPU and t2d (ONNX Runtime) one after the other, each in its own process under
# /usr/bin/time -v, per part (text encoder, each UNet step, VAE decode) and peak memory.
# Writes bench/results/sd.md. Everything generated (venv, model, runs) goes to bench/work/.
#
#   T2D_BENCH_VENV=/path/to/venv   an existing env with tests/reference/requirements.txt installed
#   SD_THREADS=2                   threads on both sides (default: 2)
#   SD_WARMUP=1                    untimed designs before the timed ones, each side
#   SD_RUNS=3                      timed designs each side; the report takes each part's fastest
set -euo pipefail
cd "$(dirname "$0")/.."

work=bench/work
runs=$work/sd
model=$work/sd-turbo-full-random
threads=${SD_THREADS:-2}
warmup=${SD_WARMUP:-1}
nruns=${SD_RUNS:-3}
mkdir -p "$runs"
[ -f "$work/.gitignore" ] || echo '*' >"$work/.gitignore"
# Timed runs never overlap other benchmarks (the lock), and run ahead of background builds (nice,
# where allowed: both sides alike).
prio=()
if nice -n -5 true 2>/dev/null; then prio=(nice -n -5); fi
lock() { flock /tmp/t2d-bench.lock "${prio[@]}" "$@"; }

[ -x /usr/bin/time ] || { echo "sd.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }

venv=${T2D_BENCH_VENV:-$work/venv}
if [ ! -x "$venv/bin/python" ]; then
    echo "== python env in $venv (tests/reference/requirements.txt)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet -r tests/reference/requirements.txt
fi
py=$venv/bin/python

if [ ! -f "$model/manifest.json" ]; then
    echo "== exporting the full-size random-weight SD-Turbo to $model (several minutes, ~5 GB)"
    "$py" models/export.py sd-turbo --full-random --out "$model"
fi

echo "== building examples/bench_sd"
cargo build --release --quiet --example bench_sd
bin=${CARGO_TARGET_DIR:-target}/release/examples/bench_sd

echo "== torch (diffusers, CPU, $threads threads)"
lock /usr/bin/time -v -o "$runs/torch.time" "$py" bench/sd_torch.py run --model "$model" --work "$runs" \
    --threads "$threads" --warmup "$warmup" --runs "$nruns" >"$runs/torch.json.tmp"
mv "$runs/torch.json.tmp" "$runs/torch.json"

echo "== t2d (ONNX Runtime, CPU, $threads threads)"
lock /usr/bin/time -v -o "$runs/t2d.time" "$bin" --model "$model" --threads "$threads" --warmup "$warmup" --runs "$nruns" \
    --latents "$runs/latents.f32" --image-out "$runs/t2d_image.f32" >"$runs/t2d.json.tmp"
mv "$runs/t2d.json.tmp" "$runs/t2d.json"

"$py" bench/sd_torch.py report --work "$runs" --out bench/results/sd.md
