# t2d: trend-to-design pipelines. `just` lists the recipes.

set shell := ["bash", "-euo", "pipefail", "-c"]

ort_version := "1.32.0"
ort_dir := justfile_directory() / ".ort"

default:
    @just --list

# Install what cargo does not: the ONNX Runtime shared library (from the PyPI wheel) into .ort/.
setup:
    #!/usr/bin/env bash
    set -euo pipefail
    if ls "{{ort_dir}}"/libonnxruntime.so* >/dev/null 2>&1; then exit 0; fi
    mkdir -p "{{ort_dir}}"
    tmp=$(mktemp -d)
    python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$tmp" "onnxruntime=={{ort_version}}"
    python3 -m zipfile -e "$tmp"/onnxruntime-*.whl "$tmp/wheel"
    cp "$tmp"/wheel/onnxruntime/capi/libonnxruntime.so* "{{ort_dir}}/"
    rm -rf "$tmp"
    echo "ONNX Runtime {{ort_version}} installed in {{ort_dir}}"

# Export the real CLIP ViT-B/32 and SD-Turbo from Hugging Face into models/ (needs internet and torch).
models:
    python3 -m venv .venv-ref
    .venv-ref/bin/pip install --quiet -r tests/reference/requirements.txt
    .venv-ref/bin/python models/export.py clip --out models/clip-vit-b32
    .venv-ref/bin/python models/export.py sd-turbo --out models/sd-turbo

# Rebuild the tiny random-weight models and the Python goldens (needs torch, no internet).
goldens:
    python3 -m venv .venv-ref
    .venv-ref/bin/pip install --quiet -r tests/reference/requirements.txt
    .venv-ref/bin/python models/export.py all --tiny --golden

# Run the demo pipeline (a synthetic catalogue made on first use, the bundled tiny models).
demo: setup
    cargo build --release --bin t2d
    [ -d data/demo ] || target/release/t2d dataset synth --out data/demo --n 600
    target/release/t2d exec pipelines/demo.yaml
    @echo "report: outputs/demo/report.html · deliverables: outputs/demo/ (see README, Outputs)"

# Run a pipeline: `just run pipelines/fashion.yaml --set cluster.k_max=12`.
run pipeline="pipelines/demo.yaml" *args="": setup
    cargo run --release --bin t2d -- exec {{pipeline}} {{args}}

# The whole test suite (unit, integration, parity against committed Python goldens).
test: setup
    cargo test --features testkit

# Benchmarks against the Python reference, recorded in BENCHMARKS.md.
bench: setup
    bash bench/run.sh

fmt:
    cargo fmt --all

lint:
    cargo fmt --all -- --check
    cargo clippy --features testkit --all-targets -- -D warnings
