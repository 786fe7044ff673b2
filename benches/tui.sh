#!/usr/bin/env bash
# The interactive explorer on generated BuildKit debug logs, measured as a user meets it
# (docs/performance.md, "TUI"): the release binary runs in tmux on a private socket and the
# screen is polled with capture-pane about every 10 ms.
#
#   benches/tui.sh [MB...]                       default: 200
#   RUNS=5 benches/tui.sh 200 1024               runs per size (default 3)
#   FOLLOW_MBPS=50 FOLLOW_SECS=10 benches/tui.sh follow test writer rate and length
#   BKSCOPE_BIN=/path/to/bkscope benches/tui.sh  another binary (no build)
#   FOLLOW=0 / SEARCH=0                           skip those parts
#
# Per size, RUNS runs of `bkscope FILE` (FILE is /tmp/bkscope-bench/genlog-<MB>.log, made by
# examples/genlog with seed 1 when missing; page cache warmed first), each reporting:
#   first frame   from launch to the first non-empty screen
#   key 2         `2` (Raw view) pressed at the first frame, until the Raw view is on screen
#                 (so it is answered while the file is still being indexed); and once more
#                 after indexing ("idle": what tmux and the polling take by themselves)
#   indexed       from launch until the header says '● live'
#   VmHWM, VmRSS  peak and current RSS from /proc after indexing
#   search        `/` + a regex found nowhere, on the Raw view of every line: until the
#                 status bar says 'no match' (a full scan of the text)
# and min/median/max of each over the runs. Then, once (FOLLOW=1): bkscope follows a file
# that a writer appends to at FOLLOW_MBPS for FOLLOW_SECS (lines of another genlog corpus);
# every second the header's line count is compared with the lines written; at the end, the
# lag in lines and the time until the header caught up.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
DIR=${BKSCOPE_BENCH_DIR:-/tmp/bkscope-bench}
FOLLOW=${FOLLOW:-1}
SEARCH=${SEARCH:-1}
FOLLOW_MBPS=${FOLLOW_MBPS:-50}
FOLLOW_SECS=${FOLLOW_SECS:-10}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(200)
command -v tmux >/dev/null || { echo "tmux is required"; exit 2; }
command -v python3 >/dev/null || { echo "python3 is required (follow writer)"; exit 2; }

# Cargo's own CARGO_TARGET_DIR is honoured (a build kept outside the checkout).
T=${CARGO_TARGET_DIR:-$PWD/target}
GEN=$T/release/examples/genlog
if [ -z "${BKSCOPE_BIN:-}" ]; then
  cargo build --release --quiet --bin bkscope --example genlog
  BKSCOPE_BIN=$T/release/bkscope
else
  [ -x "$GEN" ] || cargo build --release --quiet --example genlog
fi
mkdir -p "$DIR"
WORK=$(mktemp -d /tmp/bkscope-tui-bench.XXXXXX)
SOCK="bkscope-bench-$$"
TM=(tmux -L "$SOCK" -f /dev/null)
WRITER=""
cleanup() {
  [ -n "$WRITER" ] && kill "$WRITER" 2>/dev/null || true
  "${TM[@]}" kill-server 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }
cap() { "${TM[@]}" capture-pane -p -t bench 2>/dev/null || true; }
# poll_until PATTERN LIMIT_S: polls every ~10 ms; prints the ms since $T0 when PATTERN shows
# (grep -E), or "-" after LIMIT_S seconds.
poll_until() {
  local pat=$1 limit=$(( $2 * 1000 )) t
  while :; do
    t=$(( $(now_ms) - T0 ))
    if cap | grep -qE -- "$pat"; then echo "$t"; return; fi
    (( t > limit )) && { echo "-"; return; }
    sleep 0.01
  done
}
# launch ARGS...: a fresh tmux server running bkscope ARGS at 160x45; sets T0 and PID.
launch() {
  "${TM[@]}" kill-server 2>/dev/null || true
  # The previous run's bkscope may take a moment to free gigabytes: let it go first.
  for _ in $(seq 200); do
    { [ -z "${PID:-}" ] || ! kill -0 "$PID" 2>/dev/null; } && break
    sleep 0.05
  done
  T0=$(now_ms)
  "${TM[@]}" new-session -d -s bench -x 160 -y 45 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
    "exec $(printf '%q ' "$BKSCOPE_BIN" "$@")"
  PID=$("${TM[@]}" display -p -t bench '#{pane_pid}' || true)
}
vm() { awk -v k="$1:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$PID/status" 2>/dev/null || echo "-"; }
# stats NAME VALUES...: "NAME min median max" ("-" values are left out, and counted).
stats() {
  local name=$1; shift
  local vals=() miss=0 v
  for v in "$@"; do if [ "$v" = "-" ]; then miss=$((miss + 1)); else vals+=("$v"); fi; done
  if [ ${#vals[@]} -eq 0 ]; then printf '  %-22s -\n' "$name"; return; fi
  local sorted; sorted=$(printf '%s\n' "${vals[@]}" | sort -g)
  printf '  %-22s min %-9s median %-9s max %-9s%s\n' "$name" "$(head -1 <<<"$sorted")" \
    "$(sed -n "$(( (${#vals[@]} + 1) / 2 ))p" <<<"$sorted")" "$(tail -1 <<<"$sorted")" \
    "$([ $miss -gt 0 ] && echo " ($miss runs timed out)")"
}

RAW_VIEW='^ *[0-9]+ time='
FOLLOWING='● live'
for mb in "${SIZES[@]}"; do
  file=$DIR/genlog-$mb.log
  if [ ! -s "$file" ]; then
    echo "generating $file"
    "$GEN" --mb "$mb" --seed 1 >"$file.tmp" && mv "$file.tmp" "$file"
  fi
  cat "$file" >/dev/null
  lines=$(wc -l <"$file")
  echo "== $file: $(( $(stat -c %s "$file") / 1048576 )) MiB, $lines lines, $RUNS runs, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  first=() key=() idle=() done_=() hwm=() rss=() search=()
  limit=$(( 60 + mb / 5 ))
  for run in $(seq 1 "$RUNS"); do
    launch "$file"
    f=$(poll_until '[^[:space:]]' 10)
    "${TM[@]}" send-keys -t bench 2
    k=$(poll_until "$RAW_VIEW" 10)
    [ "$k" != "-" ] && [ "$f" != "-" ] && k=$(( k - f ))
    "${TM[@]}" send-keys -t bench 1
    d=$(poll_until "$FOLLOWING" "$limit")
    sleep 0.5
    h=$(vm VmHWM) r=$(vm VmRSS)
    # The same key once indexing is over: what the harness itself takes (send-keys, polling).
    "${TM[@]}" send-keys -t bench 1
    sleep 0.3
    T0=$(now_ms)
    "${TM[@]}" send-keys -t bench 2
    i=$(poll_until "$RAW_VIEW" 10)
    "${TM[@]}" send-keys -t bench 1
    sleep 0.3
    s="-"
    if [ "$SEARCH" = 1 ] && [ "$d" != "-" ]; then
      "${TM[@]}" send-keys -t bench 2
      poll_until "$RAW_VIEW" 10 >/dev/null
      "${TM[@]}" send-keys -t bench / z q x j w v
      sleep 0.2
      T0=$(now_ms)
      "${TM[@]}" send-keys -t bench Enter
      s=$(poll_until 'no match' 120)
    fi
    echo "  run $run: first frame ${f} ms, key 2 ${k} ms (idle ${i} ms), indexed ${d} ms, VmHWM ${h} MB, VmRSS ${r} MB, search ${s} ms"
    first+=("$f") key+=("$k") idle+=("$i") done_+=("$d") hwm+=("$h") rss+=("$r") search+=("$s")
  done
  stats "first frame ms" "${first[@]}"
  stats "key 2 while indexing ms" "${key[@]}"
  stats "key 2 idle (harness) ms" "${idle[@]}"
  stats "indexed ms" "${done_[@]}"
  stats "VmHWM MB" "${hwm[@]}"
  stats "VmRSS MB" "${rss[@]}"
  [ "$SEARCH" = 1 ] && stats "search (no match) ms" "${search[@]}"
done
"${TM[@]}" kill-server 2>/dev/null || true

if [ "$FOLLOW" = 1 ]; then
  # The writer's text: another corpus, so the followed file is not the page-cached one.
  need_mb=$(( FOLLOW_MBPS * FOLLOW_SECS + 10 ))
  src=$DIR/genlog-follow-$need_mb.log
  [ -s "$src" ] || "$GEN" --mb "$need_mb" --seed 2 >"$src"
  cat "$src" >/dev/null
  target=$WORK/follow.log
  : >"$target"
  launch "$target"
  poll_until "$FOLLOWING" 10 >/dev/null
  echo "== follow: writer appends $FOLLOW_MBPS MB/s for $FOLLOW_SECS s to $target"
  python3 - "$src" "$target" "$FOLLOW_MBPS" "$FOLLOW_SECS" "$WORK/written" <<'EOF' &
import os, sys, time
src, dst, mbps, secs, report = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
data = open(src, "rb").read()
step = 0.01
chunk = int(mbps * 1e6 * step)
pos, lines, start = 0, 0, time.monotonic()
with open(dst, "ab", buffering=0) as out:
    while time.monotonic() - start < secs:
        end = data.find(b"\n", pos + chunk) + 1 or len(data)
        piece = data[pos:end]
        out.write(piece)
        lines += piece.count(b"\n")
        pos = end
        with open(report + ".tmp", "w") as r:
            r.write(f"{lines} {pos}\n")
        os.replace(report + ".tmp", report)
        # Paced against the clock, so a slow iteration is caught up, not lost.
        ahead = pos / (mbps * 1e6) - (time.monotonic() - start)
        if ahead > 0:
            time.sleep(ahead)
with open(report + ".tmp", "w") as r:
    r.write(f"{lines} {pos} done {time.monotonic() - start:.2f}\n")
os.replace(report + ".tmp", report)
EOF
  WRITER=$!
  for _ in $(seq 500); do [ -s "$WORK/written" ] && break; sleep 0.01; done
  shown() { cap | grep -oE '[0-9]+ lines' | head -1 | cut -d' ' -f1; }
  for s in $(seq "$FOLLOW_SECS"); do
    sleep 1
    read -r w b _ <"$WORK/written" || true
    printf '  t=%2ss written %9s lines (%4s MB)  header %9s lines  VmRSS %s MB\n' \
      "$s" "$w" "$(( b / 1000000 ))" "$(shown)" "$(vm VmRSS)"
  done
  wait "$WRITER" || true
  WRITER=""
  read -r w b _ t <"$WORK/written"
  lag=$(( w - $(shown) ))
  T0=$(now_ms)
  caught="-"
  while (( $(now_ms) - T0 < 60000 )); do
    if [ "$(shown)" = "$w" ]; then caught=$(( $(now_ms) - T0 )); break; fi
    sleep 0.01
  done
  echo "  writer done: $w lines, $(( b / 1000000 )) MB in ${t:-?} s ($(awk -v b="$b" -v t="${t:-1}" 'BEGIN{printf "%.1f", b / 1e6 / t}') MB/s)"
  echo "  lag when the writer stopped: $lag lines; header caught up ${caught} ms later; VmHWM $(vm VmHWM) MB"
fi
