#!/usr/bin/env bash
# Trends (issue 5): auto-K (K 6..10, min cluster size 50, silhouette on ≤ 4000 points) on unit
# vectors: t2d's pick_k_auto (examples/bench_trends.rs) vs the seed's scikit-learn pick_k_auto
# (KMeans(n_init="auto", random_state=42) + silhouette_score; bench/trends.py). Each side runs in
# its own process per matrix, timed in-process (best of TRENDS_RUNS on 4000 rows, one run on
# 44,000) and measured for peak resident memory with /usr/bin/time.
#
#   bash bench/trends.sh          knobs: TRENDS_RUNS (default 3), BENCH_PYTHON, BENCH_LOCK
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUNS=${TRENDS_RUNS:-3}

python_env
build
W=$WORK/trends
if [[ ! -f $W/ready ]]; then
    log "data: random and blob-structured unit vectors (bench/trends.py data)"
    "$PY" "$BENCH/trends.py" data "$W"
    touch "$W/ready"
fi

TMP=$(mktemp)
trap 'rm -f "$TMP"' EXIT
{
    echo "<!-- written by bench/trends.sh on $(date -u +%Y-%m-%dT%H:%MZ) -->"
    machine
    echo "scikit-learn $("$PY" -c 'import sklearn; print(sklearn.__version__)'), numpy $("$PY" -c 'import numpy; print(numpy.__version__)'); t2d release build, rayon on all cores."
    echo "Time: best of $RUNS in-process runs for 4000 rows, one run for 44,000 (data load and imports excluded)."
    echo "Peak memory: the whole process's maximum resident set (/usr/bin/time), imports and input matrix included."
    echo
    echo "| data (×512) | t2d s | scikit-learn s | speed-up | t2d K | sklearn K | t2d peak MiB | sklearn peak MiB |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
} >"$TMP"
for name in random_4000 blobs_4000 blobs_44000; do
    rows=${name#*_}
    runs=$([[ $rows == 4000 ]] && echo "$RUNS" || echo 1)
    log "$name: t2d, $runs run(s)"
    rust=$(peak "$W/$name.rust.mib" "$EXAMPLES/bench_trends" "$W/$name.f32" "$rows" "$runs")
    echo "$rust" >&2
    log "$name: scikit-learn, $runs run(s)"
    sk=$(peak "$W/$name.sk.mib" "$PY" "$BENCH/trends.py" run "$W/$name.f32" "$rows" "$runs")
    echo "$sk" >&2
    t_rust=$(json seconds <<<"$rust")
    t_sk=$(json seconds <<<"$sk")
    echo "| ${name%_*} $(printf "%'d" "$rows") | $t_rust | $t_sk | $(calc "f'{$t_sk / $t_rust:.1f}×'") | $(json k <<<"$rust") | $(json k <<<"$sk") | $(cat "$W/$name.rust.mib") | $(cat "$W/$name.sk.mib") |" >>"$TMP"
done
baseline_mib=$(peak "$W/baseline.mib" "$PY" -c 'import numpy, pandas, sklearn.cluster, sklearn.metrics' && cat "$W/baseline.mib")
{
    echo
    echo "For scale: the Python interpreter with numpy, pandas and scikit-learn imported peaks at $baseline_mib MiB; the 44,000×512 float32 input is 86 MiB."
} >>"$TMP"
publish trends "$TMP"
