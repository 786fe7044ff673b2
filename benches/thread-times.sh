#!/usr/bin/env bash
# CPU seconds per thread of one command (docs/performance.md, "Per-thread CPU time"):
#
#   benches/thread-times.sh target/release/bkscope summary --json /tmp/bkscope-bench/genlog-1024.log
#
# Samples /proc/PID/task/*/stat every 50 ms while the command runs (its stdout is discarded)
# and prints the last utime/stime seen for each thread, in seconds, busiest first. A thread
# that ends between two samples (summary's knowledge-base loader, some 30 ms) may be missing.
# Instruction counts (callgrind) are exact but blind to how fast each thread retires them; this
# shows which thread the wall time waits for.
set -Eeuo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
tick=$(getconf CLK_TCK)
"$@" >/dev/null &
pid=$!
declare -A seen
while kill -0 "$pid" 2>/dev/null; do
  for t in /proc/"$pid"/task/*; do
    stat=$(cat "$t/stat" 2>/dev/null) || continue
    # Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    read -r -a f <<<"${stat##*) }"
    seen[${t##*/}]="${f[11]} ${f[12]}"
  done
  sleep 0.05
done
wait "$pid" || true
for tid in "${!seen[@]}"; do
  read -r u s <<<"${seen[$tid]}"
  role=thread; [ "$tid" = "$pid" ] && role=main
  awk -v tid="$tid" -v role="$role" -v u="$u" -v s="$s" -v hz="$tick" \
    'BEGIN { printf "%-8s %-6s user %6.2f s  sys %5.2f s\n", tid, role, u / hz, s / hz }'
done | sort -k4,4nr
