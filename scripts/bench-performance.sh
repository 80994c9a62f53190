#!/usr/bin/env bash
# Every measurement of docs/performance.md in one run, side by side, so the
# ratios hold even on a noisy machine:
#   1. kernel: incidents/s of ttx (simulation only, in-process) beside the
#      ECS ceiling (examples/ecs_ceiling.rs, the note's recommended bevy design),
#      the minimal Rust kernel ../shared/bench/mmc_rs and SimPy, same M/M/c parameters;
#   2. batch: island replications/s with 1 and 2 jobs;
#   3. batch memory: peak RSS for 1,000 and 100,000 island replications;
#   4. scale: ttx run on scenarios 1x, 10x, 100x and 1000x the island (scripts/scale-scenario.py),
#      without the decision analysis (--counterfactuals 0: it replays every decision 200 times).
# Usage: scripts/bench-performance.sh [incidents, default 1000000] [big batch, default 100000]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
big=${2:-100000}
bench=../shared/bench
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo build --release --quiet --bin ttx --example mmc_kernel --example ecs_ceiling
CARGO_TARGET_DIR="$out/mmc-target" cargo build --release --quiet --manifest-path "$bench/mmc_rs/Cargo.toml"
python3 -c 'import simpy' 2>/dev/null || pip install --quiet simpy==4.1.2
ttx=./target/release/ttx
field() { grep -o "$1=[0-9.e+-]*" | head -1 | cut -d= -f2; }
rss() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }

echo "## 1. Kernel: M/M/c, lambda 9/h, mu 1/h, c 10, $n incidents (simulation only, each its own timer)"
echo "| implementation | wall (s) | incidents/s | Wq (h) |"
echo "|---|---|---|---|"
t=$(./target/release/examples/mmc_kernel "$n")
tw=$(echo "$t" | field wall_s)
echo "| ttx (Replication, scores folded, no files) | $tw | $(echo "$t" | field incidents_per_s) | $(echo "$t" | field Wq) |"
e=$(./target/release/examples/ecs_ceiling "$n" 1)
ew=$(echo "$e" | field wall_s)
echo "| ECS ceiling (examples/ecs_ceiling.rs, no scores) | $ew | $(python3 -c "print(round($n/$ew))") | $(echo "$e" | field Wq) |"
r=$("$out/mmc-target/release/mmc_rs" --lam 9 --mu 1 --c 10 --customers "$n" --seed 1)
rw=$(echo "$r" | field wall_s)
echo "| mmc_rs (minimal kernel) | $rw | $(python3 -c "print(round($n/$rw))") | $(echo "$r" | field Wq) |"
p=$(python3 "$bench/mmc_simpy.py" --lam 9 --mu 1 --c 10 --customers "$n" --seed 1)
pw=$(echo "$p" | field wall_s)
echo "| SimPy 4.1.2 | $pw | $(python3 -c "print(round($n/$pw))") | $(echo "$p" | field Wq) |"
python3 -c "print(f'ttx runs at {$ew/$tw:.0%} of the ECS ceiling, {$rw/$tw:.1%} of the minimal kernel and {$pw/$tw:.1f}x SimPy')"
read -r w m < <(rss "$ttx" run scenarios/triage-desk.ron --out "$out/run" --set horizon=100000d --set streams.reports.limit="$n")
echo "whole ttx run (parse, simulate, scores, events.csv, incidents.csv, report): $w s, peak $((m / 1024)) MB, $(python3 -c "print(f'{$pw/$w:.1f}')")x SimPy's simulation alone"

echo
echo "## 2. Batch: island-cable-cut, 2,000 replications"
echo "| jobs | wall (s) | replications/s | peak RSS (MB) |"
echo "|---|---|---|---|"
for j in 1 2; do
  read -r w m < <(rss "$ttx" batch scenarios/island-cable-cut.ron --runs 2000 --jobs "$j" --quiet --out "$out/jobs-$j")
  echo "| $j | $w | $(python3 -c "print(round(2000/$w))") | $((m / 1024)) |"
done
cmp -s "$out/jobs-1/runs.csv" "$out/jobs-2/runs.csv" && echo "runs.csv identical for 1 and 2 jobs"

echo
echo "## 3. Batch memory: island-cable-cut, 2 jobs"
echo "| replications | wall (s) | peak RSS (MB) | runs.csv (MB) |"
echo "|---|---|---|---|"
for runs in 1000 "$big"; do
  read -r w m < <(rss "$ttx" batch scenarios/island-cable-cut.ron --runs "$runs" --jobs 2 --quiet --out "$out/mem-$runs")
  echo "| $runs | $w | $(python3 -c "print(round($m/1024, 1))") | $(python3 -c "import os; print(round(os.path.getsize('$out/mem-$runs/runs.csv')/1e6, 1))") |"
done

echo
echo "## 4. Scale: ttx run (whole command) on K copies of the island pair"
echo "| K | nations | assets | incidents | wall (s) | simulation | scores and tables | charts and report | peak RSS (MB) |"
echo "|---|---|---|---|---|---|---|---|---|"
for k in 1 10 100 1000; do
  python3 scripts/scale-scenario.py "$k" > "$out/islands-$k.ron"
  /usr/bin/time -f "%e %M" -o "$out/time-$k" "$ttx" run "$out/islands-$k.ron" --counterfactuals 0 --out "$out/scale-$k" > "$out/log-$k" 2>&1
  read -r w m < "$out/time-$k"
  phases=$(sed -nE 's/.*simulation and events.csv ([0-9.]+)s, decisions replayed [0-9.]+s, scores and tables ([0-9.]+)s, charts and report ([0-9.]+)s.*/\1 | \2 | \3/p' "$out/log-$k")
  incidents=$(($(wc -l < "$out/scale-$k/incidents.csv") - 1))
  echo "| $k | $((2 * k)) | $((6 * k)) | $incidents | $w | $phases | $((m / 1024)) |"
  eval "wall_$k=$w"
done
python3 -c "print(f'1000x the island takes {$wall_1000/$wall_100:.1f}x the time of 100x')"
