#!/usr/bin/env bash
# All benchmarks (`just bench`). Each writes a markdown table under bench/results/;
# BENCHMARKS.md quotes them with the machine they ran on.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash bench/noop.sh

echo
echo "results: bench/results/ (noop.md); scratch data and raw timings: bench/work/"
