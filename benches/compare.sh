#!/usr/bin/env bash
# Whole-process comparison on generated BuildKit debug logs (docs/performance.md).
#
#   benches/compare.sh [MB...]          default: 200
#   RUNS=7 benches/compare.sh 200 1024  runs per tool (default 5)
#
# For each size: generates /tmp/bkscope-bench/genlog-<MB>.log (examples/genlog, seed 1; kept
# for the next run), warms the page cache, then times on that same file, in the same run:
#   bkscope summary --json FILE
#   rg -c 'fetch response received' FILE
#   lnav -n -c ';SELECT count(*) FROM all_logs WHERE log_raw_text LIKE "%401 Unauthorized%"' FILE
#   hl (pamburus/hl) with a field query, only where it is installed
#   floor: examples/floor, a throwaway one-thread tokenizer of every pair that pairs responses
#          with requests and counts traces (the issue's reference bound; nothing else)
#   floor2: the same on two threads, one per half of the file (the issue's "on two cores")
# and prints min/median/max wall time, each median as a multiple of rg's, peak RSS and the
# median user+sys CPU time (/usr/bin/time). Installs ripgrep, lnav and time with apt-get when they are missing.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
DIR=${BKSCOPE_BENCH_DIR:-/tmp/bkscope-bench}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(200)

need=()
command -v rg >/dev/null || need+=(ripgrep)
command -v lnav >/dev/null || need+=(lnav)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi

cargo build --release --quiet --bin bkscope --example genlog --example floor
# Cargo's own CARGO_TARGET_DIR is honoured (a build kept outside the checkout).
T=${CARGO_TARGET_DIR:-target}
BK=$T/release/bkscope
GEN=$T/release/examples/genlog
FLOOR=$T/release/examples/floor
mkdir -p "$DIR"

# time_runs NAME CMD...: RUNS timed runs; appends "name min median max rss_kb cpu_s" to
# $RESULTS (wall times; peak RSS over the runs; median user+sys CPU seconds).
time_runs() {
  local name=$1; shift
  local times=() cpus=() rss=0 t0 t1 r
  for _ in $(seq "$RUNS"); do
    t0=$EPOCHREALTIME
    /usr/bin/time -f '%M %U %S' -o "$DIR/rss" "$@" >"$DIR/out" 2>"$DIR/err" || {
      echo "  $name failed: $(head -c 300 "$DIR/err")"; return 0; }
    t1=$EPOCHREALTIME
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.4f", b - a}')")
    read -r r u sy < <(tail -1 "$DIR/rss")
    [ "$r" -gt "$rss" ] && rss=$r
    cpus+=("$(awk -v a="$u" -v b="$sy" 'BEGIN{printf "%.2f", a + b}')")
  done
  local cpu; cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p")
  local sorted; sorted=$(printf '%s\n' "${times[@]}" | sort -g)
  local min med max
  min=$(echo "$sorted" | head -1)
  max=$(echo "$sorted" | tail -1)
  med=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
  echo "$name $min $med $max $rss $cpu" >>"$RESULTS"
  echo "  $name: $(head -c 60 "$DIR/out" | tr '\n' ' ')"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(a shared machine: other engineers' builds may be running; compare ratios from the same run)"
for mb in "${SIZES[@]}"; do
  file=$DIR/genlog-$mb.log
  if [ ! -s "$file" ]; then
    echo "generating $file"
    "$GEN" --mb "$mb" --seed 1 >"$file"
  fi
  cat "$file" >/dev/null # page cache
  RESULTS=$DIR/results-$mb.txt
  : >"$RESULTS"
  echo
  echo "== $mb MiB: $file ($(wc -l <"$file") lines), $RUNS runs each"
  time_runs bkscope "$BK" summary --json "$file"
  time_runs rg rg -c 'fetch response received' "$file"
  time_runs lnav lnav -n -c ';SELECT count(*) FROM all_logs WHERE log_raw_text LIKE "%401 Unauthorized%"' "$file"
  if command -v hl >/dev/null; then
    time_runs hl hl -P -q 'response.status = "401 Unauthorized"' "$file"
  else
    echo "  hl not installed, skipped (pamburus/hl is not packaged in Debian; docs/performance.md says how to build it)"
  fi
  time_runs floor "$FLOOR" "$file"
  time_runs floor2 "$FLOOR" --halves "$file"
  echo "  check: rg counts $(rg -c '401 Unauthorized' "$file") lines with '401 Unauthorized'"
  rg_med=$(awk '$1=="rg"{print $3}' "$RESULTS")
  echo
  printf '  %-8s %8s %8s %8s %9s %9s %7s\n' tool min_s median_s max_s "x_rg_med" peak_rss cpu_s
  while read -r name min med max rss cpu; do
    awk -v n="$name" -v a="$min" -v m="$med" -v b="$max" -v r="$rss" -v g="$rg_med" -v c="$cpu" \
      'BEGIN{printf "  %-8s %8.3f %8.3f %8.3f %9.1f %6.1f MB %7.2f\n", n, a, m, b, m / g, r / 1024, c}'
  done <"$RESULTS"
done
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
