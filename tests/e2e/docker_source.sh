#!/usr/bin/env bash
# End-to-end test of the `docker logs -f` source against a REAL dockerd and the REAL docker CLI
# (Debian's docker.io 20.10), as a user meets it: the real bkscope binary in tmux, keys sent,
# the screen read with capture-pane.
#
#   bash tests/e2e/docker_source.sh   # as root; builds the debug binary first, BKSCOPE_BIN=... to skip
#
# It starts a private dockerd (tests/e2e/dockerd.sh: own data root, socket, containerd namespace;
# /etc/docker is not touched), imports an image made of /bin/sh, cat and sleep with their shared
# libraries and two fixture logs (no registry is needed), and runs containers with --network none
# that write the logs line by line, then keep running. Checked: lines and events appear while a
# container writes (`--builder e2e`); `r` while it writes and after `docker stop` + `docker start`
# continues without a line read twice (the header's count equals `docker logs | wc -l`); with no
# source one builder is followed at once and two open the picker; a replay of a container that
# wrote stdout and stderr keeps the order it wrote them in; a TTY container; the docker logs
# child still runs 12 s after `r` and is gone within 2 s of `kill -KILL` bkscope; `--container ghost`,
# `--builder nope` and an unreachable daemon say so and do not crash; `docker logs NAME 2>&1 |
# bkscope summary -` gives the verdicts of the fixture itself; with only stopped builders the
# error names them. 20-25 s here (2 cores).
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
[ "$(id -u)" = 0 ] || { echo "docker_source.sh: must run as root (starts dockerd)"; exit 2; }
command -v tmux >/dev/null || { echo "tmux is required"; exit 2; }
if [ -z "${BKSCOPE_BIN:-}" ]; then
  cargo build --quiet
  BKSCOPE_BIN=${CARGO_TARGET_DIR:-$ROOT/target}/debug/bkscope
fi
BKSCOPE_BIN=$(realpath "$BKSCOPE_BIN")
T0=$(date +%s)

W=$(mktemp -d /tmp/bkscope-docker-e2e.XXXXXX)
SOCK="bkscope-docker-e2e-$$"
TM=(tmux -L "$SOCK" -f /dev/null)
. tests/e2e/dockerd.sh
cleanup() {
  local rc=$?
  set +e
  "${TM[@]}" kill-server 2>/dev/null
  dockerd_stop
  rm -rf "$W"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PASS=0 FAIL=0
ok() { PASS=$((PASS + 1)); printf 'PASS %s\n' "$*"; }
bad() { FAIL=$((FAIL + 1)); printf 'FAIL %s\n' "$*"; printf -- '--- screen ---\n%s\n--------------\n' "$(cap)"; }

WIN=""
cap() { "${TM[@]}" capture-pane -p -t "$WIN" 2>/dev/null || true; }
keys() { "${TM[@]}" send-keys -t "$WIN" "$@"; }
wait_for() {            # wait_for PATTERN [SECONDS]: polls the screen every 100 ms
  local pat=$1 limit=${2:-10} start
  start=$(date +%s%N)
  while (( ($(date +%s%N) - start) / 1000000 < limit * 1000 )); do
    cap | grep -qF -- "$pat" && return 0
    sleep 0.1
  done
  return 1
}
expect() { if wait_for "$1" "${3:-10}"; then ok "$2"; else bad "$2 (waited for '$1')"; fi; }
# lines_shown: the header's line count ("196 lines" -> 196).
lines_shown() { cap | head -1 | grep -oE '[0-9]+ lines?' | grep -oE '[0-9]+' || echo 0; }
# logged NAME: how many lines docker itself has for the container, both streams.
logged() { "$DOCKER" logs "$1" 2>&1 | wc -l; }
# settle_count NAME: waits until bkscope shows as many lines as docker has (and that stops moving).
settle_count() {
  local name=$1 want got i
  for ((i = 0; i < 150; i++)); do
    want=$(logged "$name"); got=$(lines_shown)
    [ "$got" = "$want" ] && sleep 0.5 && [ "$(lines_shown)" = "$(logged "$name")" ] && return 0
    sleep 0.2
  done
  return 1
}

# start NAME ARGS...: a window running bkscope (DOCKER_HOST set) under sh, which reports how it ended.
start() {
  local name=$1; shift
  WIN="$SOCK:$name"
  printf '%q ' "$BKSCOPE_BIN" --docker "$DOCKER" "$@" > "$W/$name.cmd"
  "${TM[@]}" new-window -d -n "$name" -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e RUST_BACKTRACE=1 \
    -e "DOCKER_HOST=${HOST_FOR_BKSCOPE:-$DOCKER_HOST}" -c "$W" \
    "sh -c '$(cat "$W/$name.cmd") 2>$W/$name.err; echo \"rc=\$?\"; sleep 600'"
}
quit() {                # quit WHAT: q ends bkscope with exit 0, no panic
  keys q
  if wait_for "rc=0" 5 && ! grep -q panicked "$W/${WIN#*:}.err"; then ok "$1: q quits with exit 0"; else bad "$1: did not quit cleanly: $(cat "$W/${WIN#*:}.err")"; fi
}

"${TM[@]}" new-session -d -s "$SOCK" -x 160 -y 40 -n idle "sleep 600"

echo "# a private dockerd and an image with sh, cat, sleep and two fixture logs"
dockerd_start "$W/d"
echo "dockerd $("$DOCKER" version --format '{{.Server.Version}}'), client $("$DOCKER" version --format '{{.Client.Version}}'), up after $(( $(date +%s) - T0 )) s"
R=$W/rootfs
mkdir -p "$R"
for bin in /bin/sh /bin/cat /bin/sleep; do
  mkdir -p "$R$(dirname "$bin")"; cp -L "$bin" "$R$bin"
  for lib in $(ldd "$bin" | grep -oE '/[^ ]+'); do mkdir -p "$R$(dirname "$lib")"; cp -L "$lib" "$R$lib"; done
done
cp tests/fixtures/sample/demo.log "$R/demo.log"
cp tests/fixtures/dockerd-20.10/mirror_used.log "$R/mirror.log"
tar -C "$R" -cf "$W/rootfs.tar" .
timeout 60 "$DOCKER" import "$W/rootfs.tar" bkscope-e2e:img >/dev/null
run() { timeout 60 "$DOCKER" run -d --network none --name "$@" >/dev/null; }
# BuildKit logs to stderr: the demo log goes there, slowly, then one line on stdout.
SLOW='while read -r l; do echo "$l" >&2; sleep 0.03; done < /demo.log; echo "stdout: demo written"; sleep 3600'
DEMO_LINES=$(( $(wc -l < tests/fixtures/sample/demo.log) + 1 ))

echo "# --builder e2e while the container writes: lines and events come as they are written"
run buildx_buildkit_e2e0 bkscope-e2e:img sh -c "$SLOW"
start builder --builder e2e
expect "buildx_buildkit_e2e0 ● live" "the header names the builder's container, live"
first=0
for _ in $(seq 100); do first=$(lines_shown); [ "$first" -gt 0 ] && break; sleep 0.1; done
sleep 1
second=$(lines_shown)
if [ "$first" -gt 0 ] && [ "$second" -gt "$first" ] && [ "$second" -lt "$DEMO_LINES" ]; then
  ok "the line count grows while the container writes ($first, then $second of $DEMO_LINES)"
else
  bad "the line count did not grow while the container wrote ($first, then $second)"
fi
keys r
expect "restarted; following the new content" "r restarts docker logs while the container writes"
expect "✖ 1 auth" "the demo's auth failure arrives" 30
if settle_count buildx_buildkit_e2e0 && [ "$(lines_shown)" = "$DEMO_LINES" ]; then
  ok "after the restart every line shows once ($(lines_shown) = docker logs | wc -l)"
else
  bad "after the restart bkscope shows $(lines_shown) lines, docker logs has $(logged buildx_buildkit_e2e0)"
fi
cap | head -1 | grep -qE ' [1-9][0-9]* events' && ok "fetch events counted in the header" || bad "no fetch events"

echo "# docker stop, docker start, r: the new run's lines follow, none twice"
timeout 30 "$DOCKER" stop -t 1 buildx_buildkit_e2e0 >/dev/null
expect "buildx_buildkit_e2e0 ■ ended (0)" "docker stop: docker logs -f ends, the header says so"
expect "docker logs ended (the container stopped or is gone); r follows it again" "the status bar says what happened and what r does"
keys 2
keys G
expect "stdout: demo written" "the raw view ends on the container's stdout line"
timeout 30 "$DOCKER" start buildx_buildkit_e2e0 >/dev/null
sleep 1
keys r
expect "buildx_buildkit_e2e0 ● live" "r follows the restarted container"
if settle_count buildx_buildkit_e2e0 && [ "$(lines_shown)" = $((2 * DEMO_LINES)) ]; then
  ok "both runs' lines, each once ($(lines_shown) = docker logs | wc -l)"
else
  bad "after stop/start/r bkscope shows $(lines_shown) lines, docker logs has $(logged buildx_buildkit_e2e0)"
fi
quit "--builder e2e"

echo "# no source, one builder running: it is followed at once"
start nosource
expect "buildx_buildkit_e2e0 ● live" "the only builder is followed without a picker"
quit "no source, one builder"

echo "# no source, two builders: the picker"
run buildx_buildkit_other0 bkscope-e2e:img sh -c 'cat /mirror.log >&2; sleep 3600'
start picker
expect "several builders run: follow which?" "the picker opens"
expect "buildx_buildkit_other0" "it lists the second builder"
if cap | grep -qF buildx_buildkit_e2e0; then ok "it lists the first builder"; else bad "the first builder is not listed"; fi
# docker ps lists the newest first; move to other0 whichever row it is on.
if cap | grep -A1 -F buildx_buildkit_e2e0 | grep -qF buildx_buildkit_other0; then keys j; fi
keys Enter
expect "buildx_buildkit_other0 ● live" "Enter follows the picked builder"
expect "54 lines" "its whole log is read"
keys 4
expect "127.0.0.1:5001 USED" "the mirror verdict of the picked builder's log"
quit "picker"

# (200 ms around each stdout line: lines written to both streams within microseconds are timed by
# the daemon's two copiers independently, and their order is lost in the daemon already; a run
# with no pause after "stdout first" saw it after the first stderr line. src/source/docker_order.rs)
echo "# a replay of a container that wrote stdout and stderr keeps the order it wrote them in"
run mixed bkscope-e2e:img sh -c \
  'echo "stdout first"; sleep 0.2; i=0; while read -r l; do i=$((i+1)); if [ $i = 28 ]; then sleep 0.2; echo "stdout middle"; sleep 0.2; fi; echo "$l" >&2; done < /mirror.log; sleep 0.2; echo "stdout last"; sleep 3600'
for _ in $(seq 100); do [ "$(logged mixed)" = 57 ] && break; sleep 0.1; done
start mixed --container mixed
expect "57 lines" "all 57 lines are read"
keys 2; keys g
expect "     1 stdout first" "line 1 is the first stdout line"
expect '     2 time="2026-11-24T13:08:35.157061924Z" level=debug msg="Calling HEAD /_ping"' "the stderr lines show as written, without docker's time"
keys /; keys -l 'stdout middle'; keys Enter
expect "line 29 of mixed" "line 29 is the stdout line written after 27 stderr lines"
keys Escape; keys G
expect "    57 stdout last" "line 57 is the last stdout line"
quit "stdout and stderr"

echo "# a TTY container (docker run -t: one stream, CRLF)"
timeout 60 "$DOCKER" run -d -t --network none --name tty bkscope-e2e:img sh -c 'cat /mirror.log; sleep 3600' >/dev/null
start tty --container tty
expect "tty ● live" "the TTY container is followed"
expect "54 lines" "its 54 lines are read"
keys 4
expect "127.0.0.1:5001 USED" "the mirror verdict through a TTY"
keys 2; keys G
if cap | grep -q $'\r' || cap | grep -qF '\r'; then bad "a carriage return is shown"; else ok "no carriage return in the raw view"; fi
quit "TTY container"

echo "# the docker logs child dies with bkscope, even on SIGKILL; after r the new child lives on"
# bkscope asks for SIGTERM when its parent dies (PR_SET_PDEATHSIG), which fires when the forking
# *thread* ends: the children are forked by a thread that lives as long as the process, so one
# started by r outlives tokio's blocking threads (they retire after 10 s idle).
# logs_child BKPID: the pid of bkscope's `docker logs --follow` child.
logs_child() { pgrep -P "$1" -f 'logs --follow' | head -1; }
# alive PID: the process exists and is no zombie.
alive() { [ -r "/proc/$1/stat" ] && ! awk '{ exit !($3 == "Z") }' "/proc/$1/stat" 2>/dev/null; }
start killed --container tty
expect "tty ● live" "followed for the SIGKILL check"
bk=$(pgrep -P "$("${TM[@]}" display -p -t "$WIN" '#{pane_pid}')" -x bkscope | head -1)
first=$(logs_child "$bk")
if [ -n "$first" ] && alive "$first"; then ok "bkscope ($bk) runs docker logs -f ($first)"; else bad "no docker logs child of bkscope '$bk'"; fi
keys r
expect "restarted; following the new content" "r restarts the docker logs child"
second=""
for _ in $(seq 50); do second=$(logs_child "$bk"); [ -n "$second" ] && [ "$second" != "$first" ] && break; sleep 0.1; done
if [ -n "$second" ] && [ "$second" != "$first" ]; then ok "r started a new child ($second)"; else bad "no new docker logs child after r ('$second')"; fi
sleep 12
if [ -n "$second" ] && alive "$second" && cap | head -1 | grep -qF "tty ● live"; then
  ok "12 s after r the new child still runs and the source is live (no early parent-death signal)"
else
  bad "the child started by r died within 12 s"
fi
kill -KILL "$bk"
gone=""
for _ in $(seq 20); do alive "$second" || { gone=1; break; }; sleep 0.1; done
if [ -n "$gone" ]; then ok "kill -KILL bkscope: its docker logs child is gone within 2 s"; else bad "docker logs ($second) outlived bkscope killed with SIGKILL"; fi
expect "rc=137" "bkscope ended by SIGKILL (137)"

echo "# a container that does not exist, a builder that does not exist"
start ghost --container ghost
expect "ghost ✖ error: no container 'ghost'" "--container ghost: the header says there is no such container"
"${TM[@]}" resize-window -t "$WIN" -x 80 -y 24
expect "ghost: no container 'ghost': check the name with 'docker ps -a'; r tries again" "at 80 columns the status bar says it in full"
"${TM[@]}" resize-window -t "$WIN" -x 160 -y 40
keys 2
expect "     1 Error: No such container: ghost" "docker's own words are kept as a line"
sleep 0.5
if ! cap | grep -q rc=; then ok "--container ghost: bkscope keeps running"; else bad "bkscope ended"; fi
quit "--container ghost"
start nope --builder nope
expect "no container 'buildx_buildkit_nope0': see 'docker buildx ls' for the builders" "--builder nope says what to check"
quit "--builder nope"

echo "# an unreachable daemon"
HOST_FOR_BKSCOPE=unix://$W/no-such.sock
start unreachable
if wait_for "rc=2" 20 && grep -q "cannot reach the docker daemon" "$W/unreachable.err"; then
  ok "no source, no daemon: exit 2, '$(head -c 120 "$W/unreachable.err")'"
else
  bad "no source, no daemon: $(cat "$W/unreachable.err")"
fi
start unreachable2 --container mixed
expect "✖ error: cannot reach the docker daemon" "--container with no daemon: the header says the daemon cannot be reached"
quit "--container with no daemon"
HOST_FOR_BKSCOPE=

echo "# docker logs NAME 2>&1 | bkscope summary -: the verdicts of the fixture itself"
file=tests/fixtures/dockerd-20.10/mirror_used.log
for name in buildx_buildkit_other0 mixed tty; do
  want=$("$BKSCOPE_BIN" summary "$file" --json | python3 -c 'import json,sys; j=json.load(sys.stdin); print([(m["upstream"],m["mirror"],m["verdict"]) for m in j["mirrors"]], j["requests"], j["responses"])')
  got=$("$DOCKER" logs "$name" 2>&1 | "$BKSCOPE_BIN" summary - --json | python3 -c 'import json,sys; j=json.load(sys.stdin); print([(m["upstream"],m["mirror"],m["verdict"]) for m in j["mirrors"]], j["requests"], j["responses"])')
  if [ "$got" = "$want" ] && [[ "$got" == *"'used'"* ]]; then ok "summary of docker logs $name: $got"; else bad "summary of docker logs $name: '$got', the file gives '$want'"; fi
done
# The container wrote the demo twice (stop, start): the same verdicts, twice the auth failures.
verdicts() { python3 -c 'import json,sys; j=json.load(sys.stdin); print(sorted((m["upstream"],m["verdict"]) for m in j["mirrors"]), len(j["auth_failures"]) * int(sys.argv[1]))' "$1"; }
want=$("$BKSCOPE_BIN" summary tests/fixtures/sample/demo.log --json | verdicts 2)
got=$("$DOCKER" logs buildx_buildkit_e2e0 2>&1 | "$BKSCOPE_BIN" summary - --json | verdicts 1)
if [ -n "$want" ] && [ "$got" = "$want" ]; then ok "summary of docker logs buildx_buildkit_e2e0: verdicts and auth failures $got"; else bad "summary: '$got', the file twice gives '$want'"; fi

echo "# only stopped builders: the error names them and says how to start one or read its log"
for c in $("$DOCKER" ps --filter name=buildx_buildkit_ --format '{{.Names}}'); do
  timeout 30 "$DOCKER" stop -t 1 "$c" >/dev/null
done
start stopped
if wait_for "rc=2" 20 && grep -q "no BuildKit builder is running: buildx_buildkit_.* (Exited (.*) are stopped; start one with 'docker start buildx_buildkit_" "$W/stopped.err" \
  && grep -q "or read what it logged with 'bkscope --container buildx_buildkit_" "$W/stopped.err"; then
  ok "no source, builders stopped: exit 2, '$(head -c 160 "$W/stopped.err")'"
else
  bad "no source, builders stopped: $(cat "$W/stopped.err")"
fi

printf '\n%d passed, %d failed (%d s)\n' "$PASS" "$FAIL" "$(( $(date +%s) - T0 ))"
[ "$FAIL" -eq 0 ]
