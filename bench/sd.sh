#!/usr/bin/env bash
# SD-Turbo, full-size architecture with random weights, 512 high × 384 wide, 4 steps, guidance 0:
# diffusers/torch CPU and t2d (ONNX Runtime) one after the other, each in its own process under
# /usr/bin/time -v, per part (text encoder, each UNet step, VAE decode) and peak memory.
# Writes bench/results/sd.md. The model and runs go to bench/work/ (git-ignored); the Python env
# is bench/lib.sh's (bench/.venv, or BENCH_PYTHON).
#
#   SD_THREADS=2                   threads on both sides (default: 2)
#   SD_WARMUP=1                    untimed designs before the timed ones, each side
#   SD_RUNS=3                      timed designs each side; the report takes each part's fastest
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

work=bench/work
runs=$work/sd
model=$work/sd-turbo-full-random
threads=${SD_THREADS:-2}
warmup=${SD_WARMUP:-1}
nruns=${SD_RUNS:-3}
mkdir -p "$runs"
lock() { locked "$@"; }

[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"

python_env
py=$PY

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
