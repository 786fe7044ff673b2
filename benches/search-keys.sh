#!/usr/bin/env bash
# A key pressed in the middle of a search, in the explorer, as a user meets it (tmux):
#   benches/search-keys.sh [FILE]          # default /tmp/bkscope-bench/genlog-1024.log
#   BKSCOPE_BIN=/path/to/bkscope benches/search-keys.sh FILE
# Waits until FILE is indexed (`● live` in the header), opens the Raw view, then three times: starts a
# search for a word found nowhere, waits one second, prints how far the search got
# (`searching… N%`), presses Escape and prints how long until the status stops saying
# `searching`. tmux and the polling are included in the figure (docs/performance.md).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FILE=${1:-/tmp/bkscope-bench/genlog-1024.log}
BIN=${BKSCOPE_BIN:-$ROOT/target/release/bkscope}
[ -x "$BIN" ] || (cd "$ROOT" && cargo build --release --quiet)
[ -f "$FILE" ] || { echo "no $FILE (make one: cargo run --release --example genlog -- --mb 1024 --seed 1 > $FILE)" >&2; exit 2; }
SOCK=bkscope-search-keys-$$
trap 'tmux -L "$SOCK" kill-server 2>/dev/null || true' EXIT
tmux -L "$SOCK" new-session -d -x 160 -y 45 "$BIN $FILE"
for _ in $(seq 1 600); do
  sleep 0.2
  tmux -L "$SOCK" capture-pane -p | grep -q " live " && break
done
tmux -L "$SOCK" send-keys 2
sleep 0.5
for run in 1 2 3; do
  tmux -L "$SOCK" send-keys / z q x j w v Enter
  sleep 1.0
  got=$(tmux -L "$SOCK" capture-pane -p | grep -o "searching… [0-9]*%" | head -1 || true)
  t0=$(date +%s%N)
  tmux -L "$SOCK" send-keys Escape
  while tmux -L "$SOCK" capture-pane -p | grep -q "searching…"; do :; done
  t1=$(date +%s%N)
  echo "run $run: after 1 s ${got:-(search already over)}; Escape answered in $(( (t1 - t0) / 1000000 )) ms"
  sleep 0.5
done
