# Sourced by the e2e scripts: start and stop a private dockerd (Debian's docker.io), as root.
#
#   . tests/e2e/dockerd.sh
#   dockerd_start DIR [EXTRA_JSON]   # DIR: an empty directory for data, exec root, socket, logs
#   ...                              # DOCKER_HOST now points at DIR/docker.sock
#   dockerd_stop                     # call from the caller's EXIT trap
#
# The daemon has its own --data-root, --exec-root, socket, pidfile and containerd namespace, and a
# config file passed with --config-file (/etc/docker/daemon.json is neither read nor written):
# vfs storage, no iptables, no bridge, debug on; EXTRA_JSON (e.g. '"registry-mirrors": [...]') is
# added to it. Extra environment for dockerd (SSL_CERT_FILE) goes in DOCKERD_ENV=(VAR=value ...).
# Its stderr is DIR/dockerd.log (DOCKERD_LOG). Nothing but loopback is ever contacted: containers
# are started with --network none by the callers, and bridge "none" gives them no other way out.
# A `die` function of the caller's is used when it exists.

DOCKER=${DOCKER:-/usr/bin/docker}   # Debian's 20.10 client
DOCKERD_PID=
DOCKERD_DIR=
DOCKERD_LOG=
_DOCKERD_RUN_DOCKER_EXISTED=0
declare -F die >/dev/null || die() { echo "dockerd.sh: ERROR: $*" >&2; exit 1; }
declare -p DOCKERD_ENV >/dev/null 2>&1 || DOCKERD_ENV=()

_dockerd_stop_pid() {   # _dockerd_stop_pid PID SECONDS: TERM, bounded wait, then KILL
  local pid=$1 t=$2 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < t * 5; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  echo "dockerd.sh: dockerd $pid did not stop within ${t}s, sending KILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
}

# dockerd_start DIR [EXTRA_JSON]: starts dockerd and waits (60 s at most) until it answers.
dockerd_start() {
  local dir=$1 extra=${2:-} i ok=0 why
  [ "$(id -u)" = 0 ] || die "dockerd needs root"
  [ -x /usr/sbin/dockerd ] && [ -x "$DOCKER" ] || die "needs /usr/sbin/dockerd and $DOCKER (apt-get install docker.io)"
  [ -e /run/docker ] && _DOCKERD_RUN_DOCKER_EXISTED=1
  DOCKERD_DIR=$dir
  mkdir -p "$dir/data" "$dir/exec"
  {
    echo '{'
    echo '  "storage-driver": "vfs", "iptables": false, "ip-masq": false, "ip-forward": false,'
    echo '  "bridge": "none", "debug": true,'
    [ -n "$extra" ] && echo "  $extra,"
    echo "  \"deprecated-key-path\": \"$dir/key.json\""
    echo '}'
  } > "$dir/daemon.json"
  DOCKERD_LOG=$dir/dockerd.log
  env "${DOCKERD_ENV[@]}" /usr/sbin/dockerd \
    --config-file "$dir/daemon.json" --data-root "$dir/data" --exec-root "$dir/exec" \
    --pidfile "$dir/docker.pid" -H "unix://$dir/docker.sock" \
    --containerd-namespace "bkscope-$$" --containerd-plugins-namespace "bkscope-$$-plugins" \
    > "$dir/dockerd.stdout" 2> "$DOCKERD_LOG" &
  DOCKERD_PID=$!
  export DOCKER_HOST=unix://$dir/docker.sock
  for ((i = 0; i < 240; i++)); do        # 60 s
    kill -0 "$DOCKERD_PID" 2>/dev/null || break
    if timeout 5 "$DOCKER" version --format '{{.Server.Version}}' >/dev/null 2>&1; then ok=1; break; fi
    sleep 0.25
  done
  if [ $ok != 1 ]; then
    echo "----- last lines of dockerd log ($DOCKERD_LOG) -----" >&2; tail -30 "$DOCKERD_LOG" >&2
    if kill -0 "$DOCKERD_PID" 2>/dev/null; then why="did not answer on $DOCKER_HOST within 60s"; else why="exited"; fi
    die "dockerd could not start ($why)"
  fi
}

# dockerd_stop: removes every container, stops dockerd, unmounts what it left under DIR and removes
# /run/docker if it was not there before. Safe to call twice and before dockerd_start.
# Runs to its end under `set -e -o pipefail` too (an EXIT trap that stops half way leaks).
dockerd_stop() {
  local m
  [ -n "$DOCKERD_DIR" ] || return 0
  if [ -n "$DOCKERD_PID" ] && kill -0 "$DOCKERD_PID" 2>/dev/null; then
    { timeout 30 "$DOCKER" ps -aq 2>/dev/null | xargs -r timeout 60 "$DOCKER" rm -f >/dev/null 2>&1; } || true
    _dockerd_stop_pid "$DOCKERD_PID" 40
  fi
  DOCKERD_PID=
  # leftovers under DIR (data-root is a private bind mount while dockerd runs)
  { findmnt -rn -o TARGET | grep -F "$DOCKERD_DIR" | sort -r | while read -r m; do umount -l "$m"; done; } || true
  # dockerd always creates /run/docker/plugins; remove it if it was not there before and is empty
  if [ "$_DOCKERD_RUN_DOCKER_EXISTED" = 0 ] && [ -d /run/docker ]; then
    rmdir /run/docker/plugins /run/docker 2>/dev/null || true
  fi
  return 0
}
