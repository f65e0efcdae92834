#!/usr/bin/env bash
# National `prepare`: wall time and peak resident memory (GNU time -v) of a run over all of
# England's LSOA files, for the compiled-in district and for each district named in $LADS, with
# the same runs of a baseline binary (for example a build of an earlier commit) in the same session,
# so the ratio holds on a busy machine.
#
# usage: bash benches/prepare_national.sh [RUNS] [BASELINE_BINARY]
#   RUNS              runs of each case (default 3); the median time and the largest peak are shown
#   BASELINE_BINARY   another locality-atlas binary to time the same way (optional)
# environment: RAW (default ../shared/data/raw), LADS (space-separated district codes, default
#   none: only the compiled-in district), BIN (default target/release/locality-atlas, built here)
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-3}
baseline=${2:-}
raw=${RAW:-../shared/data/raw}
target=${CARGO_TARGET_DIR:-target}
bin=${BIN:-$target/release/locality-atlas}
if [ -z "${BIN:-}" ]; then cargo build --release --quiet; fi
[ -d "$raw/national" ] || { echo "no national files under $raw" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time at /usr/bin/time" >&2; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# One run: prints "seconds peak_kb".
run_once() {
    local binary=$1; shift
    rm -rf "$scratch/out"
    /usr/bin/time -v -o "$scratch/time" "$binary" prepare --raw "$raw" --out "$scratch/out" "$@" >/dev/null
    local wall peak
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$scratch/time")
    peak=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$scratch/time")
    # m:ss.ss or h:mm:ss to seconds
    echo "$wall" | awk -F: -v peak="$peak" '{s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s, peak}'
}

# RUNS runs of one case: prints "median_seconds max_peak_mb".
measure() {
    local binary=$1; shift
    for _ in $(seq "$runs"); do run_once "$binary" "$@"; done |
        sort -n | awk '{t[NR] = $1; if ($2 > p) p = $2} END {printf "%.2f %.0f\n", t[int((NR + 1) / 2)], p / 1024}'
}

printf "%-22s %-12s %10s %12s\n" case binary "median s" "peak MB"
for lad in default ${LADS:-}; do
    args=()
    [ "$lad" = default ] || args=(--lad "$lad")
    read -r t p < <(measure "$bin" "${args[@]}")
    printf "%-22s %-12s %10s %12s\n" "$lad" current "$t" "$p"
    if [ -n "$baseline" ]; then
        read -r bt bp < <(measure "$baseline" "${args[@]}")
        printf "%-22s %-12s %10s %12s\n" "$lad" baseline "$bt" "$bp"
        awk -v a="$t" -v b="$bt" -v pa="$p" -v pb="$bp" \
            'BEGIN {printf "%-22s %-12s %10.2f %12.2f\n", "", "ratio", a / b, pa / pb}'
    fi
done
