#!/usr/bin/env bash
# Fuzzes every cargo-fuzz target in fuzz/ for SECONDS each (default 60) and fails on any crash,
# panic, leak, timeout or out-of-memory. Installs cargo-fuzz when missing (bounded), seeds each
# corpus from the real fixtures (tests/fixtures/**/*.log) and fuzz/seeds/<target>/, and keeps the
# corpus in fuzz/corpus/ (not in git) so longer runs build on earlier ones.
#
#   bash tests/fuzz/run.sh 60                  # CI: one minute per target
#   nice -n 19 bash tests/fuzz/run.sh 1200     # a longer run (see docs/reliability.md)
#   FUZZ_TARGETS="parse_line model_ingest" bash tests/fuzz/run.sh 600
#
# A crash leaves its input in fuzz/artifacts/<target>/; reproduce it with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run <target> fuzz/artifacts/<target>/<file>
# then commit the input under tests/fixtures/fuzz-regressions/ with a regression test.
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}
[[ $secs =~ ^[0-9]+$ ]] || { echo "usage: $0 [SECONDS]" >&2; exit 2; }
# cargo-fuzz needs unstable rustc flags (sanitizers, sancov); the toolchain here is stable.
export RUSTC_BOOTSTRAP=1 CARGO_TERM_COLOR=never

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  timeout 900 cargo install --locked cargo-fuzz
fi

targets=${FUZZ_TARGETS:-$(cargo fuzz list)}
timeout 1800 cargo fuzz build

# Seeds: one file per fixture line for the line-level targets, windows of 12 consecutive lines
# (so requests meet their responses) for the model, whole files for the config, kb, theme and
# keymap loaders.
seed_corpus() {
  local target=$1 dir=fuzz/corpus/$1
  mkdir -p "$dir"
  if [ -d "fuzz/seeds/$target" ]; then cp "fuzz/seeds/$target"/* "$dir"/; fi
  local logs
  logs=$(find tests/fixtures -name '*.log' -o -path '*/fuzz-regressions/*' -type f | sort)
  case $target in
    parse_line | parse_json_line | redact_sanitize | www_authenticate)
      local f
      for f in $logs; do split -l 1 -d -a 4 "$f" "$dir/seed-$(basename "$f" .log)-"; done ;;
    model_ingest)
      local f
      for f in $logs; do split -l 12 -d -a 3 "$f" "$dir/seed-$(basename "$f" .log)-"; done ;;
    buildkitd_toml)
      find tests/fixtures -name '*.toml' -exec cp {} "$dir"/ \; ;;
    daemon_json)
      find tests/fixtures -name '*.json' -exec cp {} "$dir"/ \; ;;
    kb_loader)
      local f
      for f in $(find kb/entries tests/fixtures/bad_kb -name '*.yaml' 2>/dev/null); do
        cp "$f" "$dir/seed-$(echo "$f" | tr / _)"
      done ;;
    theme_loader)
      local f
      for f in $(find themes tests/fixtures/bad_theme -name '*.yaml' 2>/dev/null); do
        cp "$f" "$dir/seed-$(echo "$f" | tr / _)"
      done ;;
    keymap_loader)
      cp src/app/keymap.yaml "$dir/seed-keymap.yaml" ;;
  esac
}

failed=()
for t in $targets; do
  seed_corpus "$t"
  max_len=8192
  [ "$t" = model_ingest ] && max_len=32768
  echo "=== fuzz $t for ${secs}s ($(find "fuzz/corpus/$t" -type f | wc -l) corpus inputs)"
  log=$(mktemp)
  if timeout $((secs + 600)) cargo fuzz run "$t" "fuzz/corpus/$t" -- \
      -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -max_len="$max_len" \
      -print_final_stats=1 >"$log" 2>&1; then
    grep -E '^Done [0-9]+ runs|^stat::(number_of_executed_units|slowest_unit_time_sec|peak_rss_mb)' "$log" || true
  else
    tail -n 60 "$log"
    echo "=== fuzz $t FAILED: see fuzz/artifacts/$t/"
    failed+=("$t")
  fi
  rm -f "$log"
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found crashes in: ${failed[*]}"
  exit 1
fi
echo "fuzzing: no crash in $(wc -w <<<"$targets") targets, ${secs}s each"
