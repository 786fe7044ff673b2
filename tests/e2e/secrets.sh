#!/usr/bin/env bash
# Issue 7 point 3 through the real binary: tests/fixtures/secrets/tokens.log, then review.log (the
# shapes a user review found: secret by name, tokens by shape), opened in tmux, every
# view walked row by row (detail pane scrolled, then wrapped beside the knowledge-base pane), the
# help popup, a search prompt, a filter, and `x` reports written; each screen is captured as text
# (capture-pane -p) and as the SVG screenshots.sh makes PNGs from (capture-pane -e | ansi2svg.py;
# a few are rasterised with rsvg-convert when it is installed). No capture, SVG or report may hold
# a secret of the log's list (secrets.tsv, review.tsv), or a 10-character piece of one (leaks.py).
# The same walk with --no-redact must show every secret whole: the walk reaches them all, so the
# check can fail.
#
#   bash tests/e2e/secrets.sh        # builds target/debug/bkscope first; BKSCOPE_BIN=... to skip
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
if [ -z "${BKSCOPE_BIN:-}" ]; then
  cargo build --quiet
  BKSCOPE_BIN=$ROOT/target/debug/bkscope
fi
for tool in tmux python3; do
  command -v "$tool" >/dev/null || { echo "$tool is required"; exit 2; }
done
FIX=$ROOT/tests/fixtures/secrets
COLS=160 ROWS=48
T=$(mktemp -d /tmp/bkscope-secrets-e2e.XXXXXX)
SOCK="bkscope-secrets-$$"
TM=(tmux -L "$SOCK" -f /dev/null)
trap '"${TM[@]}" kill-server 2>/dev/null || true; rm -rf "$T"' EXIT
"${TM[@]}" new-session -d -s "$SOCK" -x "$COLS" -y "$ROWS" -n idle "sleep 600"
"${TM[@]}" set-option -g default-size "${COLS}x${ROWS}" >/dev/null 2>&1 || true

PASS=0 FAIL=0
ok() { PASS=$((PASS + 1)); printf 'ok   %s\n' "$*"; }
bad() { FAIL=$((FAIL + 1)); printf 'FAIL %s\n' "$*"; }

WIN="" OUT="" N=0
# Two frames (33 ms each) after a key, the screen shows it.
keys() { "${TM[@]}" send-keys -t "$WIN" "$@"; sleep 0.08; }
# snap: the screen as text, and with its colours for the SVG screenshot (made by svgs).
snap() {
  N=$((N + 1))
  local f
  f=$(printf '%s/%04d' "$OUT" "$N")
  "${TM[@]}" capture-pane -p -t "$WIN" > "$f.txt"
  "${TM[@]}" capture-pane -e -p -t "$WIN" > "$f.ansi"
}
# svgs DIR: every .ansi capture in DIR made an SVG by ansi2svg.py, in one python process.
svgs() {
  python3 - "$1" "$COLS" "$ROWS" <<'PY'
import glob, os, sys
sys.path.insert(0, "tests/e2e")
import ansi2svg
d, cols, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for f in sorted(glob.glob(os.path.join(d, "*.ansi"))):
    with open(f, encoding="utf-8", errors="replace") as src:
        text = src.read()
    with open(f[:-5] + ".svg", "w", encoding="utf-8") as out:
        out.write(ansi2svg.svg(ansi2svg.parse(text, cols, rows), cols, rows) + "\n")
    os.remove(f)
PY
}
# rows COUNT: from the first row, snap each row with its pane scrolled once, and export it.
rows() {
  keys g
  for _ in $(seq "$1"); do
    snap; keys J; snap; keys x; keys j
  done
}

# walk NAME LOG EVENTS LINES ARGS...: bkscope ARGS LOG in a fresh window, every view and popup
# snapped; EVENTS and LINES are the rows of the events and raw views (a few more are walked).
walk() {
  local name=$1 log=$2 events=$(($3 + 2)) lines=$(($4 + 1)); shift 4
  OUT=$T/$name N=0
  mkdir -p "$OUT"
  cp "$FIX/$log" "$OUT/$log"
  WIN="$SOCK:$name"
  "${TM[@]}" new-window -d -n "$name" -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e TERM=xterm-256color \
    -c "$OUT" "$BKSCOPE_BIN $* $log; sleep 600"
  local i
  for i in $(seq 50); do
    "${TM[@]}" capture-pane -p -t "$WIN" | grep -qF "$log ● live" && break
    sleep 0.1
  done
  keys F                                  # pause: the selection stays where the keys put it
  keys 1; rows "$events"                  # events
  keys 2; rows "$lines"                   # raw lines
  keys 3; snap; keys Enter; snap; keys Escape
  keys 4; rows 10                         # mirrors/hosts
  keys w; keys K                          # wrapped, beside the knowledge-base pane
  keys 1; rows "$events"
  keys 2; rows "$lines"
  keys 4; snap
  keys 1; keys '?'; snap; keys Escape     # help
  keys /; keys -l 'Bearer|token|auth'; snap; keys Enter
  for i in $(seq 6); do snap; keys n; done
  keys Escape
  keys f; keys C-u; keys -l 'status>=400'; snap; keys Enter
  keys 1; rows 8
  keys 2; rows 8
  keys Escape
  keys q
  sleep 0.3
  svgs "$OUT"
}

# check NAME LIST MIN SHOWN...: the redacted walk NAME made at least MIN screens and an x report,
# none of its captures, SVGs or reports holds a secret of LIST, and each SHOWN text is on a screen.
check() {
  local name=$1 list=$2 min=$3; shift 3
  local shots=("$T/$name"/*.svg) reports=("$T/$name"/bkscope-*.md)
  if [ "${#shots[@]}" -gt "$min" ] && [ -e "${reports[0]}" ]; then
    ok "$name: ${#shots[@]} screens captured, ${#reports[@]} reports written"
  else
    bad "$name: too few screens (${#shots[@]}) or no report"
  fi
  if python3 tests/e2e/leaks.py "$list" --none "$T/$name"/*.txt; then
    ok "$name: no secret on any screen (capture-pane text)"
  else
    bad "$name: a secret reached the screen"
  fi
  if python3 tests/e2e/leaks.py "$list" --none "$T/$name"/*.svg; then
    ok "$name: no secret in any SVG screenshot"
  else
    bad "$name: a secret is in an SVG screenshot"
  fi
  if python3 tests/e2e/leaks.py "$list" --none "${reports[@]}"; then
    ok "$name: no secret in any x report"
  else
    bad "$name: a secret is in an x report"
  fi
  local shown missing=""
  for shown in "$@"; do
    grep -qF -- "$shown" "$T/$name"/*.txt || missing="$missing '$shown'"
  done
  if [ -z "$missing" ]; then
    ok "$name: the redacted values are on screen in their place"
  else
    bad "$name: not on any screen:$missing"
  fi
}

# check_plain NAME LIST: the walk NAME with --no-redact shows every secret of LIST whole.
check_plain() {
  local name=$1 list=$2
  if python3 tests/e2e/leaks.py "$list" --all "$T/$name"/*.txt; then
    ok "$name --no-redact: every secret is on some screen (the check above can fail)"
  else
    bad "$name --no-redact: the walk does not reach every secret"
  fi
  if python3 tests/e2e/leaks.py "$list" --all "$T/$name"/*.svg; then
    ok "$name --no-redact: every secret is in some SVG screenshot"
  else
    bad "$name --no-redact: the SVGs miss a secret"
  fi
  if ! python3 tests/e2e/leaks.py "$list" --none "$T/$name"/*.txt >/dev/null; then
    ok "$name --no-redact: the leak check fails on these screens"
  else
    bad "$name --no-redact: the leak check passed on unredacted screens"
  fi
}

echo "# tokens.log, redacted (the default)"
walk redacted tokens.log 12 32
check redacted "$FIX/secrets.tsv" 200 "Bearer REDACTED" "REDACTED@"
if command -v rsvg-convert >/dev/null; then
  for svg in "$T"/redacted/0001.svg "$T"/redacted/0030.svg "$T"/redacted/0100.svg; do
    rsvg-convert "$svg" -o "${svg%.svg}.png"
  done
  ok "the SVGs rasterise to PNG (rsvg-convert), as screenshots.sh does"
else
  echo "skip rsvg-convert not installed (apt-get install librsvg2-bin): PNGs not made"
fi

echo "# tokens.log with --no-redact: the same walk shows every secret"
walk plain tokens.log 12 32 --no-redact
check_plain plain "$FIX/secrets.tsv"

echo "# review.log (secret by name, tokens by shape), redacted"
walk review review.log 5 24
check review "$FIX/review.tsv" 80 "api_key=REDACTED" "GITHUB_TOKEN=REDACTED" "ghp_REDACTED" \
  "offline_token=true" 'key="sha256:86147dd5caace3d2e2d7f3f6add2cf569efbbf1246699729bc6a2fa1f8e07da0"' \
  "Password: REDACTED" "PWD=/home/builder" "author=bob" "REDACTED@git.example.com" "xoxb-REDACTED"

echo "# review.log with --no-redact"
walk review-plain review.log 5 24 --no-redact
check_plain review-plain "$FIX/review.tsv"

printf '\n%d passed, %d failed\n' "$PASS" "$FAIL"
[ "$FAIL" -eq 0 ]
