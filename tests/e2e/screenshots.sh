#!/usr/bin/env bash
# Regenerates screenshots/*.png from the real binary: each view is opened in tmux on the bundled
# sample logs, captured with its colours (capture-pane -e), turned into SVG (ansi2svg.py) and
# rasterised with rsvg-convert (Debian: librsvg2-bin, fonts-dejavu-core).
#
# The same capture → SVG → PNG path is checked for secrets by secrets.sh (tokens.log, every view).
#
#   bash tests/e2e/screenshots.sh        # writes screenshots/*.png (builds the debug binary into
#                                        # $CARGO_TARGET_DIR or target/; BKSCOPE_BIN=... to skip)
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
for tool in tmux python3 rsvg-convert; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install tmux python3 librsvg2-bin fonts-dejavu-core)"; exit 2; }
done
if [ -z "${BKSCOPE_BIN:-}" ]; then
  cargo build --quiet
  BKSCOPE_BIN=${CARGO_TARGET_DIR:-$ROOT/target}/debug/bkscope
fi
BIN=$(realpath "$BKSCOPE_BIN")
COLS=120 ROWS=36
T=$(mktemp -d /tmp/bkscope-shots.XXXXXX)
SOCK="bkscope-shots-$$"
TM=(tmux -L "$SOCK" -f /dev/null)
trap '"${TM[@]}" kill-server 2>/dev/null || true; rm -rf "$T"' EXIT
mkdir -p screenshots
cp tests/fixtures/sample/demo.log "$T/demo.log"
cp tests/fixtures/seed/mirror_gcr.log "$T/mirror_gcr.log"
"${TM[@]}" new-session -d -s "$SOCK" -x "$COLS" -y "$ROWS" -n idle "sleep 600"

# shot NAME "ARGS" KEYS...: start bkscope with ARGS, send KEYS (one send-keys each), capture.
shot() {
  local name=$1 args=$2; shift 2
  local win="$SOCK:$name"
  "${TM[@]}" new-window -d -n "$name" -e LANG=C.UTF-8 -e TERM=xterm-256color -e COLORTERM=truecolor \
    -c "$T" "$BIN $args; sleep 600"
  "${TM[@]}" resize-window -t "$win" -x "$COLS" -y "$ROWS" 2>/dev/null || true
  sleep 1
  for k in "$@"; do
    "${TM[@]}" send-keys -t "$win" "$k"
    sleep 0.3
  done
  sleep 0.5
  "${TM[@]}" capture-pane -e -p -t "$win" > "$T/$name.ansi"
  python3 tests/e2e/ansi2svg.py "$COLS" "$ROWS" < "$T/$name.ansi" > "$T/$name.svg"
  rsvg-convert "$T/$name.svg" -o "screenshots/$name.png"
  echo "screenshots/$name.png"
}

shot events "demo.log"
shot raw "demo.log" 2
shot mirrors "demo.log" 4
shot kb-pane "demo.log" J J J J
shot filter "demo.log" f C-u "status>=400" Enter
shot help "demo.log" "?"
shot traces "mirror_gcr.log" 3 Enter
shot light-theme "--theme light demo.log"
shot high-contrast "--theme high-contrast demo.log" 4
