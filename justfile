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

# Run the demo pipeline (bundled synthetic catalogue, tiny models).
demo: setup
    cargo run --release --bin t2d -- exec pipelines/demo.yaml

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
