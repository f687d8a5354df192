#!/usr/bin/env bash
# All benchmarks (`just bench`). Each bench/<name>.sh writes bench/results/<name>.md;
# BENCHMARKS.md quotes them with the machine they ran on. Run one alone with `bash bench/<name>.sh`;
# BENCH_ONLY="trends catalogue" runs a subset.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

for name in ${BENCH_ONLY:-noop catalogue models trends sd}; do
    echo "=== bench/$name.sh" >&2
    bash "bench/$name.sh"
done

echo
echo "results: bench/results/*.md; scratch data and raw timings: bench/work/"
