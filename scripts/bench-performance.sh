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
# (TRIES=n sets the rounds of sections 1 and 2, default 3; BASELINE=rev the
# commit the batch is compared with, default the last one before the ECS redesign.)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
big=${2:-100000}
tries=${TRIES:-3}
baseline=${BASELINE:-d0b9853}
bench=../shared/bench
out=$(mktemp -d)
trap 'git worktree remove --force "$out/baseline" 2>/dev/null; rm -rf "$out"' EXIT
cargo build --release --quiet --bin ttx --example mmc_kernel --example ecs_ceiling
CARGO_TARGET_DIR="$out/mmc-target" cargo build --release --quiet --manifest-path "$bench/mmc_rs/Cargo.toml"
python3 -c 'import simpy' 2>/dev/null || pip install --quiet simpy==4.1.2
ttx=./target/release/ttx
field() { grep -o "$1=[0-9.e+-]*" | head -1 | cut -d= -f2; }
rss() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }

echo "## 1. Kernel: M/M/c, lambda 9/h, mu 1/h, c 10, $n incidents (simulation only, each its own timer, best of $tries interleaved)"
echo "| implementation | wall (s) | incidents/s | Wq (h) |"
echo "|---|---|---|---|"
# Each implementation runs $tries times, the rounds interleaved so that a slow
# minute of this machine slows all of them, and the best time of each is kept.
best() { python3 -c "import sys; print(min(float(x) for x in sys.argv[1:]))" "$@"; }
tws=() ews=() rws=() pws=() ws=() ms=()
for _ in $(seq "$tries"); do
  t=$(./target/release/examples/mmc_kernel "$n"); tws+=("$(echo "$t" | field wall_s)")
  e=$(./target/release/examples/ecs_ceiling "$n" 1); ews+=("$(echo "$e" | field wall_s)")
  r=$("$out/mmc-target/release/mmc_rs" --lam 9 --mu 1 --c 10 --customers "$n" --seed 1); rws+=("$(echo "$r" | field wall_s)")
  p=$(python3 "$bench/mmc_simpy.py" --lam 9 --mu 1 --c 10 --customers "$n" --seed 1); pws+=("$(echo "$p" | field wall_s)")
  read -r w m < <(rss "$ttx" run scenarios/triage-desk.ron --out "$out/run" --force --set horizon=100000d --set streams.reports.limit="$n")
  ws+=("$w"); ms+=("$m")
done
tw=$(best "${tws[@]}"); ew=$(best "${ews[@]}"); rw=$(best "${rws[@]}"); pw=$(best "${pws[@]}"); w=$(best "${ws[@]}")
m=$(python3 -c "import sys; print(max(int(x) for x in sys.argv[1:]))" "${ms[@]}")
echo "| ttx (Replication, scores folded, no files) | $tw | $(python3 -c "print(round($n/$tw))") | $(echo "$t" | field Wq) |"
echo "| ECS ceiling (examples/ecs_ceiling.rs, no scores) | $ew | $(python3 -c "print(round($n/$ew))") | $(echo "$e" | field Wq) |"
echo "| mmc_rs (minimal kernel) | $rw | $(python3 -c "print(round($n/$rw))") | $(echo "$r" | field Wq) |"
echo "| SimPy 4.1.2 | $pw | $(python3 -c "print(round($n/$pw))") | $(echo "$p" | field Wq) |"
echo "all times (s): ttx ${tws[*]}; ceiling ${ews[*]}; mmc_rs ${rws[*]}; SimPy ${pws[*]}; whole run ${ws[*]}"
python3 -c "print(f'ttx runs at {$ew/$tw:.0%} of the ECS ceiling, {$rw/$tw:.1%} of the minimal kernel and {$pw/$tw:.1f}x SimPy')"
echo "whole ttx run (parse, simulate, scores, events.csv, incidents.csv, report): $w s, peak $((m / 1024)) MB, $(python3 -c "print(f'{$pw/$w:.1f}')")x SimPy's simulation alone"

echo
echo "## 2. Batch: island-cable-cut, 2,000 replications (best of $tries interleaved)"
# The ECS issue's baseline: the last commit before the redesign, built once
# into target/baseline and timed in the same rounds with its own scenario file.
git worktree add -q --detach "$out/baseline" "$baseline"
CARGO_TARGET_DIR=target/baseline cargo build --release --quiet --manifest-path "$out/baseline/Cargo.toml" --bin ttx
echo "| build | jobs | wall (s) | replications/s | peak RSS (MB) |"
echo "|---|---|---|---|---|"
b1=() j1=() j2=() m1=0 m2=0
for _ in $(seq "$tries"); do
  read -r w m < <(rss target/baseline/release/ttx batch "$out/baseline/scenarios/island-cable-cut.ron" --runs 2000 --jobs 1 --quiet --out "$out/base-1")
  b1+=("$w"); rm -rf "$out/base-1"
  read -r w m < <(rss "$ttx" batch scenarios/island-cable-cut.ron --runs 2000 --jobs 1 --quiet --out "$out/jobs-1" --force)
  j1+=("$w"); m1=$((m > m1 ? m : m1))
  read -r w m < <(rss "$ttx" batch scenarios/island-cable-cut.ron --runs 2000 --jobs 2 --quiet --out "$out/jobs-2" --force)
  j2+=("$w"); m2=$((m > m2 ? m : m2))
done
wb=$(best "${b1[@]}"); w1=$(best "${j1[@]}"); w2=$(best "${j2[@]}")
echo "| before the redesign ($baseline) | 1 | $wb | $(python3 -c "print(round(2000/$wb))") | |"
echo "| this commit | 1 | $w1 | $(python3 -c "print(round(2000/$w1))") | $((m1 / 1024)) |"
echo "| this commit | 2 | $w2 | $(python3 -c "print(round(2000/$w2))") | $((m2 / 1024)) |"
echo "all times (s): before ${b1[*]}; 1 job ${j1[*]}; 2 jobs ${j2[*]}"
python3 -c "print(f'one job: {$wb/$w1:.2f}x the speed before the redesign; 2 jobs: {$w1/$w2:.2f}x one job')"
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
