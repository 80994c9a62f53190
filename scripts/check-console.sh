#!/usr/bin/env bash
# Drives the terminal console (ttx play) in a real 80x24 terminal with tmux,
# prints each screen, and checks that what a facilitator needs is on it:
# the clock and local times, the inject, the decision and its options, the
# rationale prompt, the help screen, the ground truth, and that the choice was
# journaled, then resumes the session and ends it. Usage: scripts/check-console.sh   (needs tmux)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "tmux is needed: apt-get install tmux" >&2; exit 2; }
cargo build --release --quiet --bin ttx
work=$(mktemp -d)
session="ttx-check-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT
tmux new-session -d -s "$session" -x 80 -y 24 \
  "./target/release/ttx play scenarios/island-cable-cut.ron --out $work/exercise; sleep 30"
fails=0
screen() { sleep 0.6; tmux capture-pane -p -t "$session"; }
expect() { # name, text that must be on the screen
  if grep -qF -- "$2" <<<"$last"; then echo "ok   $1"; else echo "FAIL $1: \"$2\" not on screen"; fails=$((fails + 1)); fi
}
show() { echo "---- $1 ----"; echo "$last"; }

last=$(screen); show "start"
expect "clock" "T+0s"
expect "local time" "Republic of Kavala Mon 12:00"
expect "key hints" "n next"

tmux send-keys -t "$session" n; last=$(screen); show "after n"
expect "inject delivered" "cable-cut"
expect "services" "Submarine telecom cable 0%"

tmux send-keys -t "$session" n; last=$(screen); show "after n (decision)"
expect "decision posed" "DECISION port-response"
expect "option 2" "2 monitor"

tmux send-keys -t "$session" 2; last=$(screen); show "after 2"
expect "rationale prompt" "why monitor?"
tmux send-keys -t "$session" "the terminal must keep running" Enter; last=$(screen); show "after rationale"
expect "decision taken" "decision port-response: monitor"

tmux send-keys -t "$session" '?'; last=$(screen); show "help"
expect "help screen" "answer the waiting decision"
tmux send-keys -t "$session" x
tmux send-keys -t "$session" t; last=$(screen); show "truth asks first"
expect "truth asks first" "y to show"
tmux send-keys -t "$session" y; last=$(screen); show "truth"
expect "ground truth" "ground truth"

# A pasted two-line note stays text: its second line does not run as keys.
tmux send-keys -t "$session" o; sleep 0.3
tmux set-buffer -b note $'the CISO is unreachable\nt e q'
tmux paste-buffer -p -b note -t "$session"; last=$(screen); show "pasted note"
expect "paste in the prompt" "note: the CISO is unreachable t e q"
tmux send-keys -t "$session" Enter; last=$(screen)
expect "note taken" "noted at"
# The same without bracketed paste: keys that arrive with Enter are dropped.
tmux send-keys -t "$session" o; sleep 0.3
tmux send-keys -t "$session" -l $'a second note\rq'; last=$(screen); show "typed-in paste"
expect "keys after Enter dropped" "ignored 1 keys that arrived with Enter"

tmux send-keys -t "$session" q; last=$(screen)
expect "quit asks first" "y to leave"
tmux send-keys -t "$session" y; sleep 0.6
journal=$(cat "$work/exercise/journal.txt")
echo "---- journal ----"; echo "$journal"
if grep -qF "choose monitor the terminal must keep running" <<<"$journal"; then echo "ok   journaled"; else echo "FAIL journal"; fails=$((fails + 1)); fi
# Resume in the terminal console, end the exercise, and find the reports.
tmux kill-session -t "$session" 2>/dev/null || true
tmux new-session -d -s "$session" -x 80 -y 24 "./target/release/ttx play --resume $work/exercise; sleep 30"
last=$(screen); show "resumed"
expect "resumed where it stopped" "option=monitor"
tmux send-keys -t "$session" e; last=$(screen)
expect "end asks first" "y to end"
tmux send-keys -t "$session" y; sleep 3; last=$(screen); show "after end"
expect "reports written" "exercise report:"
if [ -f "$work/exercise/report.html" ] && [ -f "$work/exercise/branch-1/report.html" ]; then
  echo "ok   report files"
else
  echo "FAIL report files"; fails=$((fails + 1))
fi
echo "$fails checks failed"
exit $((fails > 0))
