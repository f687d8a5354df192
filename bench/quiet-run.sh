#!/usr/bin/env bash
# quiet-run.sh CMD...: run a timed measurement as cleanly as a shared machine allows. Called under
# the bench lock by bench/lib.sh's `locked`. Waits up to BENCH_QUIET_WAIT seconds (default 30)
# for other work to leave the CPU (10-second CPU pressure under 10 %), then runs CMD at a raised
# priority when root (nice -10), so that a build beside it takes a small share instead of half.
set -euo pipefail
waited=0
limit=${BENCH_QUIET_WAIT:-30}
busy() {
    [[ -r /proc/pressure/cpu ]] || return 1
    awk '/^some/ { split($2, a, "="); exit !(a[2] > 10) }' /proc/pressure/cpu
}
while busy && ((waited < limit)); do
    ((waited == 0)) && echo "  (CPU busy with other work; waiting up to $limit s)" >&2
    sleep 5
    waited=$((waited + 5))
done
if [[ $(id -u) == 0 ]]; then exec nice -n -10 "$@"; else exec "$@"; fi
