#!/usr/bin/env bash
# Catalogue (issue 3): decode + CLIP preprocess throughput on synthetic 60×80 JPEGs
# (t2d dataset synth): t2d's imaging (examples/bench_preprocess.rs, rayon as `embed` runs it)
# vs the seed's PIL open_and_preprocess + numpy normalisation in one process
# (bench/pil_preprocess.py). Best of CATALOGUE_RUNS runs each; peak memory with /usr/bin/time;
# then one t2d run on 44,000 images to show memory does not grow with the image count.
#
#   bash bench/catalogue.sh       knobs: CATALOGUE_RUNS (default 3), CATALOGUE_BIG (default 44000)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUNS=${CATALOGUE_RUNS:-3}
BIG=${CATALOGUE_BIG:-44000}

python_env
build
SMALL_DIR=$(synth 4000)/images
W=$WORK/catalogue
mkdir -p "$W"

# best NAME CMD...: the fastest of RUNS runs (JSON line), peak memory of the last in $W/NAME.mib
best() {
    local name=$1 out fastest="" rate
    shift
    for _ in $(seq "$RUNS"); do
        out=$(peak "$W/$name.mib" "$@")
        echo "  $name: $out" >&2
        rate=$(json images_per_s <<<"$out")
        if [[ -z $fastest ]] || (( $(calc "int($rate > $(json images_per_s <<<"$fastest"))") )); then fastest=$out; fi
    done
    echo "$fastest"
}

log "4000 images: t2d (all cores), t2d (1 thread), PIL (one process)"
t2d=$(best t2d "$EXAMPLES/bench_preprocess" "$SMALL_DIR")
t2d1=$(best t2d1 "$EXAMPLES/bench_preprocess" "$SMALL_DIR" --threads 1)
pil=$(best pil "$PY" "$BENCH/pil_preprocess.py" "$SMALL_DIR")
BIG_DIR=$(synth "$BIG")/images
log "$BIG images: t2d (all cores), one run"
big=$(peak "$W/big.mib" "$EXAMPLES/bench_preprocess" "$BIG_DIR")
echo "  big: $big" >&2

rate() { json images_per_s <<<"$1"; }
row() { echo "| $1 | $(json images <<<"$2") | $(rate "$2") | $(calc "f'{$(rate "$2") / $(rate "$pil"):.1f}×'") | $(cat "$W/$3.mib") |"; }
TMP=$(mktemp)
trap 'rm -f "$TMP"' EXIT
{
    echo "<!-- written by bench/catalogue.sh on $(date -u +%Y-%m-%dT%H:%MZ) -->"
    machine
    echo "Pillow $("$PY" -c 'import PIL; print(PIL.__version__)'), numpy $("$PY" -c 'import numpy; print(numpy.__version__)'); t2d release build."
    echo "Synthetic 60×80 JPEGs (\`t2d dataset synth\`), warm page cache; each image read, decoded, resized, cropped to 224×224 and normalised to a CHW float tensor, 32 per batch. Best of $RUNS runs; peak memory is the process's maximum resident set (/usr/bin/time)."
    echo
    echo "| decode + preprocess | images | images/s | vs PIL | peak MiB |"
    echo "|---|---:|---:|---:|---:|"
    row "PIL + numpy (seed), one process" "$pil" pil
    row "t2d, 1 thread" "$t2d1" t2d1
    row "t2d, rayon on $(nproc) cores (as \`embed\`)" "$t2d" t2d
    row "t2d, rayon on $(nproc) cores, $(printf "%'d" "$BIG") images (one run)" "$big" big
} >"$TMP"
publish catalogue "$TMP"
