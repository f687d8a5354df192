# Shared by the bench/*.sh scripts (sourced). Each script writes bench/results/<name>.md;
# scratch data goes to bench/work/ (git-ignored).
#
# Environment knobs common to all:
#   BENCH_PYTHON  a Python with bench/requirements.txt already installed (skips making bench/.venv)
#   BENCH_LOCK    lock file taken around each timed run, so that concurrent benchmarks on one
#                 machine do not disturb each other (default /tmp/t2d-bench.lock)
#   CARGO_TARGET_DIR

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
WORK=$BENCH/work
RESULTS=$BENCH/results
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
LOCK=${BENCH_LOCK:-/tmp/t2d-bench.lock}
mkdir -p "$WORK" "$RESULTS"

log() { printf '\n== %s\n' "$*" >&2; }
die() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

# locked CMD...: run a timed measurement holding the bench lock, once the CPU is quiet
locked() { flock "$LOCK" "$BENCH/quiet-run.sh" "$@"; }

# peak FILE CMD...: run CMD (holding the lock) with its stdout passed through; its peak resident
# memory in MiB is written to FILE
peak() {
    local file=$1
    shift
    [[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"
    locked /usr/bin/time -f %M -o "$file.kib" "$@"
    echo $(( $(tail -1 "$file.kib") / 1024 )) >"$file"
}

# python: bench/.venv from bench/requirements.txt, unless BENCH_PYTHON names one
python_env() {
    if [[ -n ${BENCH_PYTHON:-} ]]; then
        PY=$BENCH_PYTHON
    else
        PY=$BENCH/.venv/bin/python
        if ! cmp -s "$BENCH/requirements.txt" "$BENCH/.venv/requirements.txt" 2>/dev/null; then
            log "Python environment bench/.venv (bench/requirements.txt; torch is large)"
            python3 -m venv "$BENCH/.venv"
            "$BENCH/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$BENCH/requirements.txt"
            cp "$BENCH/requirements.txt" "$BENCH/.venv/requirements.txt"
        fi
    fi
    echo "python: $PY ($("$PY" --version))" >&2
}

# release builds of t2d and the bench examples
build() {
    log "cargo build --release (t2d, examples)"
    (cd "$ROOT" && cargo build --quiet --release --bin t2d --examples)
    # (the examples load ONNX Runtime from this checkout's .ort/, where `just setup` puts it)
    # Copied out at once: a target folder shared with other checkouts may be rebuilt under us.
    mkdir -p "$WORK/bin"
    cp "$TARGET/release/t2d" "$TARGET"/release/examples/bench_{preprocess,trends,embed} "$WORK/bin/"
    T2D=$WORK/bin/t2d
    EXAMPLES=$WORK/bin
}

# synth N: a synthetic catalogue of N 60×80 JPEGs (t2d dataset synth) in bench/work/synth-N;
# prints its folder
synth() {
    local dir=$WORK/synth-$1
    if [[ $(cat "$dir.ready" 2>/dev/null) != "$1" ]]; then
        log "t2d dataset synth --n $1"
        rm -rf "$dir" "$dir.ready"
        "$T2D" dataset synth --out "$dir" --n "$1" >&2
        echo "$1" >"$dir.ready"
    fi
    find "$dir/images" -type f -exec cat {} + >/dev/null # warm the page cache
    echo "$dir"
}

machine() {
    local cpu mem
    cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
    mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
    echo "Machine: $(nproc) cores, $cpu, $mem RAM, no GPU used; $(uname -sr). Shared with other work: each timed run waited for a quiet CPU (bench/quiet-run.sh) and ran at nice -10; 1-minute load average when this table was written: $(cut -d' ' -f1 /proc/loadavg)."
}

# json FIELD: one field of the JSON line on stdin
json() { python3 -c 'import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1])[sys.argv[1]])' "$1"; }

# calc EXPR: a Python expression, printed
calc() { python3 -c "print($1)"; }

# publish NAME FILE: move a finished results file into place (never a half-written one)
publish() { mv "$2" "$RESULTS/$1.md"; log "results ($RESULTS/$1.md)"; cat "$RESULTS/$1.md" >&2; }
