#!/usr/bin/env bash
# Engine overhead: a no-op `t2d exec` (everything cached) of a 7-node pipeline over a dataset
# folder of N files, side by side with `dvc repro` of an equivalent DVC pipeline.
#
#   bash bench/noop.sh                       # N = 4000 44000 440000
#   NOOP_SIZES="4000 44000" bash bench/noop.sh
#
# Knobs (environment): NOOP_SIZES, T2D_RUNS (default 20), DVC_RUNS (default 5), NOOP_QUIET_WAIT,
# DVC_SPEC (pip requirement, default pinned below), CARGO_TARGET_DIR, BENCH_LOCK (lock file held
# around each timed batch, default /tmp/t2d-bench.lock).
# Writes bench/results/noop.md; scratch (datasets, caches, raw hyperfine JSON) in bench/work/.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
WORK=$BENCH/work
RESULTS=$BENCH/results
VENV=$BENCH/.venv-dvc
SIZES=${NOOP_SIZES:-"4000 44000 440000"}
T2D_RUNS=${T2D_RUNS:-20}
DVC_RUNS=${DVC_RUNS:-5}
DVC_SPEC=${DVC_SPEC:-"dvc==3.67.1"}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
T2D=$TARGET/release/t2d-testkit
ROWS=4000

export DVC_NO_ANALYTICS=1 NO_COLOR=1
mkdir -p "$WORK/raw" "$RESULTS"

log() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'noop.sh: %s\n' "$*" >&2; exit 1; }

# --- tools ---------------------------------------------------------------------------------

log "dvc ($DVC_SPEC) in $VENV"
if [[ ! -x $VENV/bin/dvc ]]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "$DVC_SPEC"
fi
DVC=$VENV/bin/dvc
DVC_VERSION=$("$DVC" --version)
echo "dvc $DVC_VERSION" >&2

log "t2d-testkit (release)"
(cd "$ROOT" && cargo build --quiet --release --features testkit --bin t2d-testkit)
T2D_VERSION=$("$T2D" --version)
echo "$T2D_VERSION ($T2D)" >&2

# hyperfine times; eatmydata (optional) shows the cost of fsync. Both from apt when root.
missing=$(for t in hyperfine eatmydata; do command -v $t >/dev/null || echo $t; done)
if [[ -n $missing ]] && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    log "apt-get install" $missing
    { apt-get update -qq && apt-get install -y -qq $missing; } >/dev/null 2>&1 || true
fi
if command -v hyperfine >/dev/null; then
    TIMER="hyperfine $(hyperfine --version | awk '{print $2}')"
else
    TIMER="python timing loop"
fi
echo "timer: $TIMER" >&2

# measure NAME RUNS WARMUP CMD... → prints the median wall time in ms (raw data in work/raw/NAME.json)
measure() {
    local name=$1 runs=$2 warmup=$3
    shift 3
    local json=$WORK/raw/$name.json
    if command -v hyperfine >/dev/null; then
        local cmd
        cmd=$(printf '%q ' "$@")
        flock "${BENCH_LOCK:-/tmp/t2d-bench.lock}" hyperfine -N --style basic --warmup "$warmup" --runs "$runs" --export-json "$json" -- "$cmd" >&2
    else
        flock "${BENCH_LOCK:-/tmp/t2d-bench.lock}" python3 - "$json" "$runs" "$warmup" "$@" <<'PY'
import json, statistics, subprocess, sys, time
out, runs, warmup, cmd = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
for _ in range(warmup):
    subprocess.run(cmd, **quiet)
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, **quiet)
    times.append(time.perf_counter() - t)
json.dump({"results": [{"command": " ".join(cmd), "times": times, "median": statistics.median(times),
                        "min": min(times), "max": max(times)}]}, open(out, "w"))
print(f"  median {statistics.median(times) * 1000:.1f} ms over {runs} runs", file=sys.stderr)
PY
    fi
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f" % (r["median"] * 1000))' "$json"
}

# fastest NAME → the fastest run's wall time in ms (from the raw data measure kept)
fastest() {
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f" % (min(r["times"]) * 1000))' "$WORK/raw/$1.json"
}

# --- per dataset size ----------------------------------------------------------------------

write_t2d_pipelines() {
    local with_ds
    for with_ds in yes no; do
        {
            echo "name: noop"
            echo "nodes:"
            [[ $with_ds == yes ]] && echo "  ds: {kind: files, params: {dir: data}}"
            echo "  a: {kind: numbers, params: {count: $ROWS}}"
            local prev=a n
            for n in b c d e f; do
                echo "  $n: {kind: scale, inputs: {values: $prev}, params: {factor: 2}}"
                prev=$n
            done
        } >"$( [[ $with_ds == yes ]] && echo t2d.yaml || echo t2d-no-dataset.yaml)"
    done
}

write_dvc_pipeline() {
    cat >params.yaml <<EOF
a: {count: $ROWS}
b: {factor: 2}
c: {factor: 2}
d: {factor: 2}
e: {factor: 2}
f: {factor: 2}
EOF
    {
        echo "stages:"
        echo "  ds:"
        echo "    cmd: find data -type f -printf '%s\\n' | sort -n > ds.txt"
        echo "    deps: [data]"
        echo "    outs: [ds.txt]"
        echo "  a:"
        echo "    cmd: seq 0 \$((\${a.count} - 1)) > a.txt"
        echo "    params: [a.count]"
        echo "    outs: [a.txt]"
        local prev=a n
        for n in b c d e f; do
            echo "  $n:"
            echo "    cmd: awk -v f=\${$n.factor} '{print \$1 * f}' $prev.txt > $n.txt"
            echo "    deps: [$prev.txt]"
            echo "    params: [$n.factor]"
            echo "    outs: [$n.txt]"
            prev=$n
        done
    } >dvc.yaml
    printf '/t2d-cache\n/t2d-outputs\n' >.dvcignore
}

t2d_exec() { "$T2D" --cache t2d-cache exec "$@" --outputs t2d-outputs; }

# expect_cached SUMMARY_JSON_LINES NODES: every node cached, none ran
expect_cached() {
    python3 -c '
import json, sys
nodes = int(sys.argv[1])
s = [json.loads(l)["summary"] for l in sys.stdin if l.startswith("{") and "\"summary\"" in l][-1]
ok = s["cached"] == nodes and s["ran"] == 0 and s["failed"] == 0 and s["blocked"] == 0
print("  t2d: cached={cached} ran={ran} ({duration_ms} ms by its own clock)".format(**s), file=sys.stderr)
sys.exit(0 if ok else 1)' "$1" || die "t2d no-op ran something"
}

# These timings mean little on a busy machine (a cargo build beside them doubles them), so
# before each size wait up to NOOP_QUIET_WAIT seconds (default 300) for the CPU to be idle:
# 10-second CPU and I/O pressure (PSI) under 5 %, else the 1-minute load average under 0.5.
load() { cut -d' ' -f1 /proc/loadavg; }
busy() {
    if [[ -r /proc/pressure/cpu ]]; then
        cat /proc/pressure/cpu /proc/pressure/io 2>/dev/null | awk '/^some/ { split($2, a, "="); if (a[2] > 5) b = 1 } END { exit !b }'
    else
        awk '{ exit !($1 > 0.5) }' /proc/loadavg
    fi
}
wait_quiet() {
    local waited=0 limit=${NOOP_QUIET_WAIT:-300}
    while busy && ((waited < limit)); do
        ((waited == 0)) && echo "  machine busy (load $(load)); waiting up to $limit s for it to settle" >&2
        sleep 5
        waited=$((waited + 5))
    done
    busy && echo "  still busy after $limit s (load $(load)); timing anyway" >&2 || true
}

declare -a TABLE BREAKDOWN LOADS
for N in $SIZES; do
    W=$WORK/n$N
    mkdir -p "$W"
    cd "$W"

    if [[ $(cat data.ready 2>/dev/null) != "$N" ]]; then
        log "N=$N: writing dataset ($N images + styles.csv)"
        rm -rf data data.ready
        start=$(date +%s.%N)
        python3 "$BENCH/make_dataset.py" "$N" data
        echo "$N" >data.ready
        echo "  $(du -sh data | cut -f1) in $(echo "$(date +%s.%N) - $start" | bc) s" >&2
    fi

    write_t2d_pipelines
    write_dvc_pipeline
    if [[ ! -d .dvc ]]; then
        "$DVC" init --no-scm --quiet
        "$DVC" config core.analytics false
        "$DVC" config core.check_update false
    fi

    log "N=$N: populate caches (first runs)"
    start=$(date +%s.%N)
    t2d_exec t2d.yaml >/dev/null
    t2d_first=$(echo "$(date +%s.%N) - $start" | bc)
    start=$(date +%s.%N)
    "$DVC" repro --quiet
    dvc_first=$(echo "$(date +%s.%N) - $start" | bc)
    printf '  t2d %.2f s, dvc %.2f s (whatever was left to do)\n' "$t2d_first" "$dvc_first" >&2

    log "N=$N: check that a second run runs nothing"
    t2d_exec t2d.yaml --json | expect_cached 7
    t2d_exec t2d-no-dataset.yaml --json | expect_cached 6
    dvc_out=$("$DVC" repro 2>&1)
    echo "$dvc_out" | sed 's/^/  dvc: /' >&2
    grep -q "Data and pipelines are up to date" <<<"$dvc_out" || die "dvc no-op ran something"
    ! grep -qi "running stage" <<<"$dvc_out" || die "dvc no-op ran a stage"
    lock_before=$(md5sum dvc.lock)

    wait_quiet
    load_before=$(load)
    log "N=$N: t2d exec no-op, $T2D_RUNS runs (load average $load_before)"
    export T2D_TESTKIT_LOG=$W/t2d-node-runs.log
    rm -f "$T2D_TESTKIT_LOG"
    t2d_ms=$(measure "t2d-$N" "$T2D_RUNS" 3 "$T2D" --cache t2d-cache exec t2d.yaml --outputs t2d-outputs)
    [[ ! -s $T2D_TESTKIT_LOG ]] || die "a timed t2d run ran a node: $(sort "$T2D_TESTKIT_LOG" | uniq -c)"

    log "N=$N: dvc repro no-op, $DVC_RUNS runs"
    dvc_ms=$(measure "dvc-$N" "$DVC_RUNS" 1 "$DVC" repro)
    [[ $(md5sum dvc.lock) == "$lock_before" ]] || die "a timed dvc run changed dvc.lock"

    log "N=$N: t2d breakdown"
    start_ms=$(measure "t2d-version-$N" "$T2D_RUNS" 3 "$T2D" --version)
    nods_ms=$(measure "t2d-nods-$N" "$T2D_RUNS" 3 "$T2D" --cache t2d-cache exec t2d-no-dataset.yaml --outputs t2d-outputs)
    # The same no-op with fsync turned into a no-op (eatmydata), to show what durable writes cost.
    nosync_ms=-
    if command -v eatmydata >/dev/null; then
        nosync_ms=$(measure "t2d-nosync-$N" "$T2D_RUNS" 3 eatmydata "$T2D" --cache t2d-cache exec t2d.yaml --outputs t2d-outputs)
    fi
    [[ ! -s $T2D_TESTKIT_LOG ]] || die "a timed t2d run ran a node"
    unset T2D_TESTKIT_LOG
    LOADS+=("N=$(printf "%'d" "$N"): $load_before → $(load)")
    stat_kb=$(du -sk t2d-cache/stat | cut -f1)

    ratio=$(python3 -c "print(f'{$dvc_ms / $t2d_ms:.0f}×')")
    TABLE+=("| $(printf "%'d" "$N") | $t2d_ms | $dvc_ms | $ratio | $(fastest "t2d-$N") | $(fastest "dvc-$N") |")
    BREAKDOWN+=("| $(printf "%'d" "$N") | $start_ms | $nods_ms | $t2d_ms | $(python3 -c "print(f'{$t2d_ms - $nods_ms:.1f}')") | $nosync_ms | $(printf "%'d" "$stat_kb") |")
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
{
    echo "<!-- written by bench/noop.sh on $(date -u +%Y-%m-%dT%H:%MZ) -->"
    echo "Machine: $(nproc) cores, $cpu, $mem RAM; $(uname -sr)."
    echo "Tools: $T2D_VERSION (t2d-testkit, release), dvc $DVC_VERSION, $TIMER."
    echo "Warm page cache; medians of $T2D_RUNS t2d runs (3 warm-up) and $DVC_RUNS dvc runs (1 warm-up)."
    echo "1-minute load average before → after each size's timings: $(IFS=';'; echo "${LOADS[*]}" | sed 's/;/; /g')."
    echo
    echo "| dataset files | t2d exec no-op, median ms | dvc repro no-op, median ms | dvc / t2d (medians) | t2d fastest ms | dvc fastest ms |"
    echo "|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${TABLE[@]}"
    echo
    echo "Where the t2d time goes (medians, ms):"
    echo
    echo "| dataset files | \`t2d --version\` (process start) | exec without the dataset node (6 nodes) | full exec (7 nodes) | dataset node's share | full exec, fsync off (eatmydata) | stat cache, KiB |"
    echo "|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${BREAKDOWN[@]}"
} >"$RESULTS/noop.md.tmp"
mv "$RESULTS/noop.md.tmp" "$RESULTS/noop.md"

log "results ($RESULTS/noop.md)"
cat "$RESULTS/noop.md"
