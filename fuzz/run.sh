#!/usr/bin/env bash
# Runs every fuzz target at once for the given seconds (default 600), seeded from the committed data,
# with libFuzzer's limits: 10 s per input (a hang) and 2 GB of memory (unbounded growth). Prints each
# target's runs, coverage and peak memory; failing inputs land in fuzz/artifacts/<target>/.
#
#   bash fuzz/run.sh [seconds [target ...]]      (needs `cargo install cargo-fuzz`)
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
python3 seeds.py
export RUSTC_BOOTSTRAP=1
cargo fuzz build -s none --release
targets=("${@:2}")
[ ${#targets[@]} -gt 0 ] || targets=(geojson shapefile tables custom_area requests tile_cut)
mkdir -p logs
for target in "${targets[@]}"; do
    cargo fuzz run -s none --release "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"logs/$target.log" 2>&1 &
done
status=0
wait || status=$?
for target in "${targets[@]}"; do
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$target.log" | grep -o '[0-9]*$' || echo "?")
    memory=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "logs/$target.log" | grep -o '[0-9]*$' || echo "?")
    coverage=$(grep -o 'cov: [0-9]*' "logs/$target.log" | tail -1 || echo "?")
    crashed=$(grep -c 'ERROR: libFuzzer\|panicked at' "logs/$target.log" || true)
    echo "$target: $runs runs in ${seconds} s, $coverage, peak RSS ${memory} MB, failures: $crashed"
done
exit "$status"
