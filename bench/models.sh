#!/usr/bin/env bash
# Models (issue 4): CLIP image-embedding throughput with the full-size ViT-B/32 architecture
# (random weights, exported at bench time by models/export.py --full-random into bench/work/) on
# synthetic 60×80 JPEGs. t2d: the real `embed` node (`t2d exec` of sample → embed, fresh cache),
# its own duration from `--json`. Python: the seed's PIL + transformers/torch CPU, and PIL +
# onnxruntime on the same vision.onnx (bench/embed_ref.py), batch 32 everywhere. Then the opt-in
# int8 image tower (`embed.precision: int8`, vision.int8.onnx from export.py --int8): t2d's embed
# node and PIL + onnxruntime on the same file, with the cosine of its embeddings to fp32's.
#
#   bash bench/models.sh   knobs: MODELS_N (default 640 images), MODELS_ROUNDS (default 2), BENCH_PYTHON
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
N=${MODELS_N:-640}
ROUNDS=${MODELS_ROUNDS:-2}
SMALL=$((N / 4))

python_env
build
W=$WORK/models
MODEL=$WORK/clip-full-random
mkdir -p "$W"
if ! grep -q int8_files "$MODEL/manifest.json" 2>/dev/null; then
    log "models/export.py clip --full-random --int8 (ViT-B/32 sizes, random weights)"
    "$PY" "$ROOT/models/export.py" clip --full-random --int8 --out "$MODEL" >&2
fi

# t2d_embed N MIB_FILE [PRECISION]: the embed node over a synthetic catalogue of N images, from an
# empty cache; prints a JSON line (images, seconds, images_per_s) and leaves peak memory in MIB_FILE
t2d_embed() {
    local dir precision=${3:-fp32}
    dir=$(synth "$1")
    cat >"$W/embed-$1.yaml" <<YAML
name: bench-embed
nodes:
  sample: {kind: sample, params: {dataset: $dir, n: $1}}
  embed:
    kind: embed
    inputs: {items: sample.items, images: sample.images}
    params: {model: $MODEL, batch: 32, precision: $precision}
YAML
    rm -rf "$W/cache-$1" "$W/out-$1"
    (cd "$ROOT" && peak "$2" "$T2D" --cache "$W/cache-$1" exec "$W/embed-$1.yaml" --outputs "$W/out-$1" --json) |
        python3 -c '
import json, re, sys
reports = [json.loads(l) for l in sys.stdin if l.startswith("{")]
embed = [r for r in reports if r.get("node") == "embed"]
assert embed and embed[-1]["status"] == "ran", reports
n = int(re.search(r"(\d+) image\(s\) embedded", " ".join(embed[-1]["log"])).group(1))
s = embed[-1]["duration_ms"] / 1000
print(json.dumps({"images": n, "seconds": s, "images_per_s": round(n / s, 2)}))'
}

# Other work on a shared machine slows single runs unevenly, so the paths take turns, ROUNDS
# times, and each keeps its best round.
DIR=$(synth "$N")/images
declare -A BEST
keep() { # keep NAME JSON FIELD: remember JSON as NAME's best so far by FIELD
    echo "  $1: $2" >&2
    if [[ -z ${BEST[$1]:-} ]] || (($(calc "int($(json "$3" <<<"$2") > $(json "$3" <<<"${BEST[$1]}"))"))); then
        BEST[$1]=$2
        cp "$W/$1.mib.run" "$W/$1.mib"
    fi
}
for round in $(seq "$ROUNDS"); do
    log "round $round of $ROUNDS, $N images: t2d embed node, t2d model only, PIL + onnxruntime, PIL + torch"
    keep t2d "$(t2d_embed "$N" "$W/t2d.mib.run")" images_per_s
    keep t2d_model "$(peak "$W/t2d_model.mib.run" "$EXAMPLES/bench_embed" "$MODEL" "$DIR" "$N")" model_images_per_s
    keep ort "$(peak "$W/ort.mib.run" "$PY" "$BENCH/embed_ref.py" ort "$DIR" "$N" "$MODEL")" model_images_per_s
    keep torch "$(peak "$W/torch.mib.run" "$PY" "$BENCH/embed_ref.py" torch "$DIR" "$N")" images_per_s
    keep t2d_int8 "$(t2d_embed "$N" "$W/t2d_int8.mib.run" int8)" images_per_s
    keep ort_int8 "$(peak "$W/ort_int8.mib.run" "$PY" "$BENCH/embed_ref.py" ort-int8 "$DIR" "$N" "$MODEL")" model_images_per_s
done
log "t2d embed, $SMALL images (memory check)"
t2d_small=$(t2d_embed "$SMALL" "$W/t2d_small.mib")
echo "  $t2d_small" >&2
t2d=${BEST[t2d]} t2d_model=${BEST[t2d_model]} ort=${BEST[ort]} torch=${BEST[torch]}
t2d_int8=${BEST[t2d_int8]} ort_int8=${BEST[ort_int8]}

e2e() { json images_per_s <<<"$1"; }
model() { json model_images_per_s <<<"$1"; }
TMP=$(mktemp)
trap 'rm -f "$TMP"' EXIT
{
    echo "<!-- written by bench/models.sh on $(date -u +%Y-%m-%dT%H:%MZ) -->"
    machine
    echo "Model: CLIP ViT-B/32 architecture (vision 12×768, projection 512), random weights, fp32, exported by \`models/export.py clip --full-random\`. Synthetic 60×80 JPEGs (\`t2d dataset synth\`), batch 32, CPU."
    echo "Python: $(json runtime <<<"$torch"); $(json runtime <<<"$ort"). Best of $ROUNDS interleaved rounds per path. Python rates exclude imports, model construction and one warm-up batch; t2d's is the embed node's own duration, which includes opening the ONNX session."
    echo
    echo "| path | images | end-to-end images/s | model-only images/s | peak MiB |"
    echo "|---|---:|---:|---:|---:|"
    echo "| PIL + transformers/torch (seed) | $(json images <<<"$torch") | $(e2e "$torch") | $(model "$torch") | $(cat "$W/torch.mib") |"
    echo "| PIL + onnxruntime (same vision.onnx) | $(json images <<<"$ort") | $(e2e "$ort") | $(model "$ort") | $(cat "$W/ort.mib") |"
    echo "| t2d \`ClipModel\` alone (examples/bench_embed.rs; session opened in $(json session_seconds <<<"$t2d_model") s) | $(json images <<<"$t2d_model") | – | $(model "$t2d_model") | $(cat "$W/t2d_model.mib") |"
    echo "| t2d \`embed\` node (decode + preprocess + ONNX) | $(json images <<<"$t2d") | $(e2e "$t2d") | – | $(cat "$W/t2d.mib") |"
    echo "| t2d \`embed\` node | $(json images <<<"$t2d_small") | $(e2e "$t2d_small") | – | $(cat "$W/t2d_small.mib") |"
    echo "| PIL + onnxruntime, int8 copy (vision.int8.onnx) | $(json images <<<"$ort_int8") | $(e2e "$ort_int8") | $(model "$ort_int8") | $(cat "$W/ort_int8.mib") |"
    echo "| t2d \`embed\` node, \`precision: int8\` | $(json images <<<"$t2d_int8") | $(e2e "$t2d_int8") | – | $(cat "$W/t2d_int8.mib") |"
    echo
    echo "t2d end-to-end vs onnxruntime model-only: $(calc "f'{100 * $(e2e "$t2d") / $(model "$ort"):.0f} %'") (target ≥ 95 %); vs torch end-to-end: $(calc "f'{$(e2e "$t2d") / $(e2e "$torch"):.2f}×'") (target ≥ 1.2×). t2d peak memory at $SMALL → $N images: $(cat "$W/t2d_small.mib") → $(cat "$W/t2d.mib") MiB (whole \`t2d exec\` process, sample node included). The Python runs' peak memory includes the interpreter and, for torch, the PyTorch model in memory."
    echo
    echo "Opt-in int8 image tower (\`embed.precision: int8\`; MatMul weights quantised by onnxruntime, activations on the fly): t2d end-to-end $(calc "f'{$(e2e "$t2d_int8") / $(e2e "$torch"):.2f}×'") torch's fp32 path and $(calc "f'{100 * $(e2e "$t2d_int8") / $(model "$ort_int8"):.0f} %'") of onnxruntime's int8 model-only rate; cosine of int8 to fp32 embeddings over 256 images: lowest $(json int8_cosine_min <<<"$ort_int8"), mean $(json int8_cosine_mean <<<"$ort_int8") (random weights: real CLIP weights have activation outliers, check on yours)."
} >"$TMP"
publish models "$TMP"
