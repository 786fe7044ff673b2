#!/usr/bin/env bash
# Soak of the interactive explorer (issue #7, docs/reliability.md): hours of a busy builder's
# log, compressed into SECONDS by a fast writer, must leave bkscope's memory and spool bounded,
# with no line skipped or read twice across rotations.
#
#   bash tests/e2e/soak.sh [SECONDS]     default 90; builds target/release/bkscope first
#   BKSCOPE_BIN=... SOAK_MBPS=10 SOAK_MAX_LINES=200000 SOAK_ROTATE_MB=100 bash tests/e2e/soak.sh 60
#
# bkscope runs in tmux (private socket) with --max-lines SOAK_MAX_LINES and --max-events
# SOAK_MAX_EVENTS on a file a writer
# appends genlog lines to at SOAK_MBPS, renaming it away every SOAK_ROTATE_MB (logrotate's
# create mode: the old file is renamed, a new one created; the one before is deleted). Every
# second: VmRSS, the spool's size on disk (bkscope's deleted .bkscope-spool-* files) and the
# header's line count. Fails when: RSS at the end > RSS at mid-run + 10 % + 8 MB; the spool
# at the end > the spool at mid-run + 10 % + 8 MB; the header does not reach the writer's
# line count within 30 s of the writer stopping (a line lost) or passes it (a line twice);
# fewer lines than 5 × the cap went through (not a soak); bkscope does not exit 0 on q.
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-90}
MBPS=${SOAK_MBPS:-10}
CAP=${SOAK_MAX_LINES:-200000}
# Events kept: the model's cap, small enough that it is reached well before mid-run.
ECAP=${SOAK_MAX_EVENTS:-30000}
ROTATE_MB=${SOAK_ROTATE_MB:-100}
command -v tmux >/dev/null || { echo "tmux is required"; exit 2; }
command -v python3 >/dev/null || { echo "python3 is required"; exit 2; }
if [ -z "${BKSCOPE_BIN:-}" ]; then
  cargo build --release --quiet --bin bkscope --example genlog
  BKSCOPE_BIN=$PWD/target/release/bkscope
fi
GEN=target/release/examples/genlog
[ -x "$GEN" ] || cargo build --release --quiet --example genlog

T=$(mktemp -d /tmp/bkscope-soak.XXXXXX)
SOCK="bkscope-soak-$$"
TM=(tmux -L "$SOCK" -f /dev/null)
WRITER=""
cleanup() {
  [ -n "$WRITER" ] && kill "$WRITER" 2>/dev/null || true
  "${TM[@]}" kill-server 2>/dev/null || true
  rm -rf "$T"
}
trap cleanup EXIT

"$GEN" --mb 64 --seed 3 >"$T/corpus.log"
: >"$T/follow.log"
"${TM[@]}" new-session -d -s soak -x 160 -y 45 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -c "$T" \
  "$(printf '%q ' "$BKSCOPE_BIN" --max-lines "$CAP" --max-events "$ECAP" follow.log); echo rc=\$? > $T/rc; sleep 600"
PID=""
for _ in $(seq 100); do
  PID=$(pgrep -P "$("${TM[@]}" display -p -t soak "#{pane_pid}")" | head -1 || true)
  [ -n "$PID" ] && "${TM[@]}" capture-pane -p -t soak | grep -q '● live' && break
  sleep 0.1
done
[ -n "$PID" ] || { echo "FAIL bkscope did not start"; "${TM[@]}" capture-pane -p -t soak; exit 1; }

cap() { "${TM[@]}" capture-pane -p -t soak 2>/dev/null || true; }
shown() { cap | grep -oE '[0-9]+ lines' | head -1 | cut -d' ' -f1; }
rss_mb() { awk '$1 == "VmRSS:" { printf "%.1f", $2 / 1024 }' "/proc/$PID/status"; }
spool_mb() {
  local total=0 f
  for f in /proc/"$PID"/fd/*; do
    [[ "$(readlink "$f" 2>/dev/null)" == *.bkscope-spool-*"(deleted)" ]] || continue
    total=$(( total + $(stat -L -c %s "$f" 2>/dev/null || echo 0) ))
  done
  awk -v b="$total" 'BEGIN { printf "%.1f", b / 1048576 }'
}

python3 - "$T/corpus.log" "$T/follow.log" "$MBPS" "$SECS" "$ROTATE_MB" "$T/written" <<'EOF' &
import os, sys, time
src, dst, mbps, secs, rotate_mb, report = sys.argv[1:7]
mbps, secs, rotate = float(mbps), float(secs), int(float(rotate_mb) * 1e6)
data = open(src, "rb").read()
step = int(mbps * 1e6 * 0.01)
pos, lines, total, in_file, rotations = 0, 0, 0, 0, 0
out = open(dst, "ab", buffering=0)
start = time.monotonic()
while time.monotonic() - start < secs:
    end = data.find(b"\n", pos + step) + 1 or len(data)
    piece = data[pos:end]
    out.write(piece)
    lines += piece.count(b"\n")
    total += len(piece)
    in_file += len(piece)
    pos = 0 if end >= len(data) else end
    if in_file >= rotate:
        out.close()
        if os.path.exists(dst + ".1"):
            os.remove(dst + ".1")
        os.rename(dst, dst + ".1")
        out = open(dst, "ab", buffering=0)
        in_file, rotations = 0, rotations + 1
    with open(report + ".tmp", "w") as r:
        r.write(f"{lines} {total} {rotations}\n")
    os.replace(report + ".tmp", report)
    ahead = total / (mbps * 1e6) - (time.monotonic() - start)
    if ahead > 0:
        time.sleep(ahead)
out.close()
with open(report + ".tmp", "w") as r:
    r.write(f"{lines} {total} {rotations} done\n")
os.replace(report + ".tmp", report)
EOF
WRITER=$!

echo "soak: $SECS s, writer $MBPS MB/s rotating every $ROTATE_MB MB, bkscope --max-lines $CAP --max-events $ECAP (pid $PID)"
mid_rss="" mid_spool="" peak_rss=0 next_print=5
start=${EPOCHREALTIME/./}
while kill -0 "$WRITER" 2>/dev/null; do
  sleep 1
  kill -0 "$PID" 2>/dev/null || { echo "FAIL bkscope died"; cap; exit 1; }
  # Seconds by the clock: a loaded machine makes each round of this loop longer than 1 s.
  s=$(( (${EPOCHREALTIME/./} - start) / 1000000 ))
  read -r w b rot _ <"$T/written" || true
  h=$(shown) r=$(rss_mb) sp=$(spool_mb)
  peak_rss=$(awk -v a="$peak_rss" -v b="$r" 'BEGIN { print (b > a ? b : a) }')
  if (( s >= next_print )); then
    printf '  t=%3ss written %9s lines %6s MB (%s rotations)  header %9s  VmRSS %6s MB  spool %6s MB\n' \
      "$s" "$w" "$(( b / 1000000 ))" "$rot" "$h" "$r" "$sp"
    next_print=$(( s + 5 ))
  fi
  if [ -z "$mid_rss" ] && (( s >= SECS / 2 )); then mid_rss=$r mid_spool=$sp; fi
done
wait "$WRITER" || true
WRITER=""
read -r w b rot _ <"$T/written"
caught="-"
for i in $(seq 300); do
  [ "$(shown)" = "$w" ] && { caught=$(( i * 100 )); break; }
  sleep 0.1
done
end_rss=$(rss_mb) end_spool=$(spool_mb) last=$(shown)
hwm=$(awk '$1 == "VmHWM:" { printf "%.1f", $2 / 1024 }' "/proc/$PID/status")
echo "  writer: $w lines, $(( b / 1000000 )) MB, $rot rotations; header $last lines (caught up ${caught} ms after the writer stopped)"
echo "  VmRSS mid $mid_rss MB, end $end_rss MB, VmHWM $hwm MB; spool mid $mid_spool MB, end $end_spool MB"
cap | head -1

fail=0
bound() { awk -v m="$1" 'BEGIN { printf "%.1f", m * 1.10 + 8 }'; }
if awk -v e="$end_rss" -v b="$(bound "$mid_rss")" 'BEGIN { exit !(e > b) }'; then
  echo "FAIL RSS grew: $end_rss MB at the end > $(bound "$mid_rss") MB (mid-run + 10 % + 8 MB)"; fail=1
else echo "ok   RSS bounded: $end_rss MB at the end ≤ $(bound "$mid_rss") MB"; fi
if awk -v e="$end_spool" -v b="$(bound "$mid_spool")" 'BEGIN { exit !(e > b) }'; then
  echo "FAIL spool grew: $end_spool MB at the end > $(bound "$mid_spool") MB"; fail=1
else echo "ok   spool bounded: $end_spool MB at the end ≤ $(bound "$mid_spool") MB"; fi
if [ "$last" = "$w" ]; then echo "ok   every line read once across $rot rotations ($w lines)"
else echo "FAIL header shows $last lines, the writer wrote $w"; fail=1; fi
if (( w >= 5 * CAP )); then echo "ok   $w lines went through a cap of $CAP"
else echo "FAIL only $w lines went through a cap of $CAP (not a soak)"; fail=1; fi
cap | grep -q 'older lines dropped' && echo "ok   the header says older lines were dropped" \
  || { echo "FAIL the header does not say older lines were dropped"; fail=1; }
"${TM[@]}" send-keys -t soak q
for _ in $(seq 300); do [ -s "$T/rc" ] && break; sleep 0.1; done
if [ "$(cat "$T/rc" 2>/dev/null)" = "rc=0" ]; then echo "ok   q exits 0"
else echo "FAIL bkscope did not exit 0 on q: $(cat "$T/rc" 2>/dev/null)"; fail=1; fi
exit "$fail"
