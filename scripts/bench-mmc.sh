#!/usr/bin/env bash
# Times `ttx run` on triage-desk with N incidents beside the reference M/M/c
# implementations in ../shared/bench (minimal Rust kernel, SimPy), same
# parameters (lambda 9/h, mu 1/h, c 10), in one run. Usage: scripts/bench-mmc.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
bench=../shared/bench
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo build --release --quiet
CARGO_TARGET_DIR="$out/mmc-target" cargo build --release --quiet --manifest-path "$bench/mmc_rs/Cargo.toml"
python3 -c 'import simpy' 2>/dev/null || pip install --quiet simpy==4.1.2

secs() { local s; s=$(date +%s.%N); "$@" >"$out/last.txt"; echo "$(date +%s.%N) - $s" | bc; }
ttx=$(secs ./target/release/ttx run scenarios/triage-desk.ron --out "$out/ttx" \
  --set horizon=100000d --set streams.reports.limit="$n")
ttx_summary=$(grep -A3 "mean" "$out/last.txt" | head -3)
sim=$(cargo run --release --quiet --example mmc_kernel -- "$n")
rs=$(secs "$out/mmc-target/release/mmc_rs" --lam 9 --mu 1 --c 10 --customers "$n" --seed 1)
rs_wall=$(grep '^wall_s=' "$out/last.txt" | cut -d= -f2)
py=$(secs python3 "$bench/mmc_simpy.py" --lam 9 --mu 1 --c 10 --customers "$n" --seed 1)
py_wall=$(grep '^wall_s=' "$out/last.txt" | cut -d= -f2)
echo "incidents: $n"
echo "ttx run (whole command: parse, simulate, write events.csv + summary.json): ${ttx}s"
echo "ttx simulation only (no log, no files): $sim"
echo "mmc_rs  (whole process ${rs}s; its own wall_s, simulation only): ${rs_wall}s"
echo "simpy   (whole process ${py}s; its own wall_s, simulation only): ${py_wall}s"
echo "events.csv: $(du -h "$out/ttx/events.csv" | cut -f1), summary.json: $(du -h "$out/ttx/summary.json" | cut -f1)"
echo "$ttx_summary"
