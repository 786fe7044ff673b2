#!/usr/bin/env bash
# Capture REAL dockerd (embedded BuildKit) debug logs of registry fetches, as bkscope test fixtures.
#
# usage (as root, Debian 12):   bash tests/e2e/capture.sh OUTDIR
#   e.g.                         bash tests/e2e/capture.sh tests/fixtures/dockerd-20.10
#
# What it does, from scratch:
#   * apt-get installs docker.io docker-registry apache2-utils openssl curl python3 if missing;
#   * starts, in a temp dir, its own dockerd (debug, vfs, no iptables, no bridge, its own socket,
#     data-root, exec-root, containerd namespace and daemon config file passed with --config-file:
#     /etc/docker/daemon.json is NOT read nor written), with registry-mirrors=[http://127.0.0.1:$P1]
#     and SSL_CERT_FILE = a throwaway CA that signed the fake "registry-1.docker.io" cert;
#   * starts real registries (Debian docker-registry = distribution 2.8) on loopback:
#       127.0.0.1:$P0  open upstream               127.0.0.1:$P1  pull-through mirror of $P0
#       127.0.0.1:$P2  htpasswd basic auth         127.0.0.1:$P3  open, seeds the fake Docker Hub storage
#       (last scenario: 127.0.0.1:$P1 again, a pull-through mirror behind htpasswd basic auth)
#       127.0.0.3:443  TLS "registry-1.docker.io" (trusted CA, serves $P3's storage)
#       127.0.0.2:443  TLS "tls.bkscope.test" (self-signed CA unknown to dockerd)
#     and canned python servers (tests/e2e/fake_registry.py): token auth on $P10, rate limit on $P11,
#     Docker Hub's insufficient_scope denial on $P12;
#   * names registry-1.docker.io and tls.bkscope.test in /etc/hosts (restored on exit);
#   * runs one `DOCKER_BUILDKIT=1 docker build --no-cache --progress=plain` per scenario, and slices
#     dockerd's stderr by byte offsets taken before/after each build into OUTDIR/<name>.log, plus
#     the client's output in OUTDIR/<name>.client.txt;
#   * stops everything it started and restores what it changed (trap on EXIT/INT/TERM).
# Nothing but 127.0.0.0/8 is ever contacted (registry-1.docker.io is pinned to 127.0.0.3).
# Env: BKSCOPE_PORT_BASE (default 5000) -> P0=base, P1=base+1, P2=base+2, P3=base+3, P10=base+10, P11=base+11,
#      P12=base+12.
set -Eeuo pipefail

die() { echo "capture.sh: ERROR: $*" >&2; exit 1; }
log() { echo "capture.sh: $*" >&2; }

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
[ "$(id -u)" = 0 ] || die "must run as root (starts dockerd, binds :443, edits /etc/hosts)"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FAKE="$HERE/fake_registry.py"
[ -f "$FAKE" ] || die "missing $FAKE"
mkdir -p "$1"
OUT=$(cd "$1" && pwd)

BASE=${BKSCOPE_PORT_BASE:-5000}
P0=$BASE; P1=$((BASE + 1)); P2=$((BASE + 2)); P3=$((BASE + 3)); P10=$((BASE + 10)); P11=$((BASE + 11)); P12=$((BASE + 12))
PY=/usr/bin/python3

# ---------------------------------------------------------------- dependencies
need=()
for c in /usr/sbin/dockerd:docker.io /usr/bin/docker:docker.io /usr/bin/docker-registry:docker-registry \
         /usr/bin/htpasswd:apache2-utils /usr/bin/openssl:openssl /usr/bin/curl:curl $PY:python3 \
         /usr/bin/timeout:coreutils; do
  [ -x "${c%%:*}" ] || need+=("${c##*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 apt-get update -q || die "apt-get update failed"
  timeout 900 apt-get install -y -q --no-install-recommends "${need[@]}" ca-certificates \
    || die "apt-get install ${need[*]} failed"
fi

# ---------------------------------------------------------------- state + cleanup
WORK=$(mktemp -d /tmp/bkscope-capture.XXXXXX)
PIDS=()                 # everything we started, in start order
HOSTS_SAVED=
. "$HERE/dockerd.sh"    # dockerd_start / dockerd_stop

stop_pid() {            # stop_pid PID [seconds]: TERM, bounded wait, then KILL
  local pid=$1 t=${2:-15} i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < t * 5; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  log "pid $pid did not stop within ${t}s, sending KILL"
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$? i
  set +e
  dockerd_stop
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[$i]}" 10; done
  if [ -n "$HOSTS_SAVED" ] && [ -f "$HOSTS_SAVED" ]; then
    cat "$HOSTS_SAVED" > /etc/hosts && log "restored /etc/hosts"
  fi
  if [ "${BKSCOPE_KEEP_WORK:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  [ $rc -eq 0 ] || log "FAILED (exit $rc)"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_busy() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
for hp in 127.0.0.1:$P0 127.0.0.1:$P1 127.0.0.1:$P2 127.0.0.1:$P3 127.0.0.1:$P10 127.0.0.1:$P11 \
          127.0.0.2:443 127.0.0.3:443; do
  port_busy "${hp%:*}" "${hp#*:}" && die "$hp is already in use (stop it, or set BKSCOPE_PORT_BASE)"
done

wait_http() {           # wait_http URL SECONDS [curl args...]
  local url=$1 t=$2 i; shift 2
  for ((i = 0; i < t * 4; i++)); do
    curl -s -o /dev/null -m 2 "$@" "$url" && return 0
    sleep 0.25
  done
  return 1
}

# ---------------------------------------------------------------- TLS material (throwaway)
mkdir -p "$WORK/tls"
mkcert() {              # mkcert CA NAME
  local ca=$1 n=$2 d=$WORK/tls
  openssl req -newkey rsa:2048 -nodes -keyout "$d/$n.key" -out "$d/$n.csr" -subj "/CN=$n" 2>/dev/null
  printf 'subjectAltName=DNS:%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$n" > "$d/$n.ext"
  openssl x509 -req -in "$d/$n.csr" -CA "$d/$ca.crt" -CAkey "$d/$ca.key" -CAcreateserial \
    -out "$d/$n.crt" -days 7 -extfile "$d/$n.ext" 2>/dev/null
}
for ca in hub-ca other-ca; do
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/tls/$ca.key" -out "$WORK/tls/$ca.crt" \
    -days 7 -subj "/CN=bkscope throwaway $ca" 2>/dev/null || die "openssl failed"
done
mkcert hub-ca registry-1.docker.io      # trusted by our dockerd via SSL_CERT_FILE
mkcert other-ca tls.bkscope.test        # NOT trusted -> x509: certificate signed by unknown authority

# ---------------------------------------------------------------- registries
mkdir -p "$WORK/reg"/{up,mirror,mirrorauth,auth,hub} "$WORK/logs"
htpasswd -Bbn bkuser bkpass > "$WORK/reg/htpasswd"
regconf() {             # regconf NAME ADDR STORAGE [extra yaml]
  cat > "$WORK/reg/$1.yml" <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $3
  delete:
    enabled: true
http:
  addr: $2
${4:-}
EOF
}
regconf up     127.0.0.1:$P0 "$WORK/reg/up"
regconf mirror 127.0.0.1:$P1 "$WORK/reg/mirror" "proxy:
  remoteurl: http://127.0.0.1:$P0"
regconf auth   127.0.0.1:$P2 "$WORK/reg/auth" "auth:
  htpasswd:
    realm: bkscope-basic-realm
    path: $WORK/reg/htpasswd"
regconf hubseed 127.0.0.1:$P3 "$WORK/reg/hub"
regconf hub    127.0.0.3:443 "$WORK/reg/hub" "  tls:
    certificate: $WORK/tls/registry-1.docker.io.crt
    key: $WORK/tls/registry-1.docker.io.key"
regconf tls    127.0.0.2:443 "$WORK/reg/up" "  tls:
    certificate: $WORK/tls/tls.bkscope.test.crt
    key: $WORK/tls/tls.bkscope.test.key"

declare -A REGPID
start_reg() {           # start_reg NAME CHECKURL [curl args]
  local n=$1 url=$2; shift 2
  docker-registry serve "$WORK/reg/$n.yml" > "$WORK/logs/registry-$n.log" 2>&1 &
  REGPID[$n]=$!; PIDS+=($!)
  wait_http "$url" 20 "$@" || { tail -20 "$WORK/logs/registry-$n.log" >&2; die "registry $n did not answer $url within 20s"; }
}
stop_reg() { stop_pid "${REGPID[$1]}" 10; }

start_reg up      "http://127.0.0.1:$P0/v2/"
start_reg mirror  "http://127.0.0.1:$P1/v2/"     # only after the upstream answers (proxy mode exits otherwise)
start_reg auth    "http://127.0.0.1:$P2/v2/"
start_reg hubseed "http://127.0.0.1:$P3/v2/"

$PY "$FAKE" token "$P10" > "$WORK/logs/fake-token.log" 2>&1 &
PIDS+=($!)
$PY "$FAKE" ratelimit "$P11" "http://127.0.0.1:$P0" > "$WORK/logs/fake-ratelimit.log" 2>&1 &
PIDS+=($!)
$PY "$FAKE" denied "$P12" > "$WORK/logs/fake-denied.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$P10/v2/" 20 || die "fake token registry did not start"
wait_http "http://127.0.0.1:$P12/v2/" 20 || die "fake denying registry did not start"
wait_http "http://127.0.0.1:$P11/v2/" 20 || die "fake rate-limit registry did not start"

# ---------------------------------------------------------------- /etc/hosts
HOSTS_SAVED=$WORK/hosts.orig
cp -p /etc/hosts "$HOSTS_SAVED"
{ echo "127.0.0.2 tls.bkscope.test # bkscope-capture"
  echo "127.0.0.3 registry-1.docker.io # bkscope-capture"; } >> /etc/hosts

# ---------------------------------------------------------------- dockerd
DOCKERD_ENV=(SSL_CERT_FILE="$WORK/tls/hub-ca.crt")
dockerd_start "$WORK/docker" "\"registry-mirrors\": [\"http://127.0.0.1:$P1\"]"
DLOG=$DOCKERD_LOG
log "dockerd $($DOCKER version --format '{{.Server.Version}}') up"

# ---------------------------------------------------------------- images
CFG_EMPTY=$WORK/cfg-empty; mkdir -p "$CFG_EMPTY"; echo '{}' > "$CFG_EMPTY/config.json"
export DOCKER_CONFIG=$CFG_EMPTY
mkimg() {               # mkimg TAG MARKER
  local r=$WORK/rootfs-$2
  mkdir -p "$r/etc"
  echo "bkscope fixture image $2" > "$r/etc/bkscope-release"
  echo "hello from $2" > "$r/hello.txt"
  tar -C "$r" -cf "$r.tar" .
  timeout 60 $DOCKER import -c 'CMD ["/hello.txt"]' "$r.tar" "$1" >/dev/null || die "docker import failed"
}
push() { timeout 120 $DOCKER push -q "$1" >/dev/null || die "docker push $1 failed"; }
mkimg bkscope/alpine:latest alpine
mkimg bkscope/busybox:latest busybox
for ref in 127.0.0.1:$P0/library/alpine:latest 127.0.0.1:$P3/library/alpine:latest \
           127.0.0.1:$P3/library/busybox:latest 127.0.0.1:$P2/library/alpine:latest; do
  case $ref in *busybox*) src=bkscope/busybox:latest ;; *) src=bkscope/alpine:latest ;; esac
  $DOCKER tag "$src" "$ref"
done
push 127.0.0.1:$P0/library/alpine:latest
push 127.0.0.1:$P3/library/alpine:latest
push 127.0.0.1:$P3/library/busybox:latest
CFG_BASIC=$WORK/cfg-basic; mkdir -p "$CFG_BASIC"
echo bkpass | DOCKER_CONFIG=$CFG_BASIC timeout 60 $DOCKER login -u bkuser --password-stdin 127.0.0.1:$P2 >/dev/null 2>&1 \
  || die "docker login to the htpasswd registry failed"
DOCKER_CONFIG=$CFG_BASIC push 127.0.0.1:$P2/library/alpine:latest
stop_reg hubseed
start_reg hub "https://registry-1.docker.io/v2/" --cacert "$WORK/tls/hub-ca.crt"
start_reg tls "https://tls.bkscope.test/v2/" --cacert "$WORK/tls/other-ca.crt"
# credentials: wrong basic password; token registry login (token endpoint accepts scope-less GETs only)
CFG_BADBASIC=$WORK/cfg-badbasic; mkdir -p "$CFG_BADBASIC"
printf '{"auths":{"127.0.0.1:%s":{"auth":"%s"}}}\n' "$P2" "$(printf 'bkuser:wrongpass' | base64)" > "$CFG_BADBASIC/config.json"
CFG_TOKEN=$WORK/cfg-token; mkdir -p "$CFG_TOKEN"
echo tokpass | DOCKER_CONFIG=$CFG_TOKEN timeout 60 $DOCKER login -u tokuser --password-stdin 127.0.0.1:$P10 >/dev/null 2>&1 \
  || die "docker login to the fake token registry failed"

# remove every local image so each scenario really pulls
$DOCKER image ls -q | sort -u | xargs -r $DOCKER image rm -f >/dev/null 2>&1 || true
[ -z "$($DOCKER image ls -q)" ] || die "could not remove local images"
mkdir -p "$WORK/ctx"; echo "bkscope build context" > "$WORK/ctx/added.txt"

# ---------------------------------------------------------------- scenarios
FAILURES=0
scenario() {            # scenario NAME CONFIGDIR EXPECT(ok|fail) FROMREF PATTERN...
  local name=$1 cfg=$2 expect=$3 from=$4 s e rc p; shift 4
  $DOCKER builder prune -af >/dev/null 2>&1 || die "builder prune failed"
  $DOCKER image ls -q | sort -u | xargs -r $DOCKER image rm -f >/dev/null 2>&1 || true
  sleep 0.5
  s=$(stat -c %s "$DLOG")
  set +e
  printf 'FROM %s\nCOPY added.txt /added.txt\n' "$from" |
    DOCKER_CONFIG=$cfg DOCKER_BUILDKIT=1 timeout 180 $DOCKER build --no-cache --progress=plain \
      -t "bkscope-out:$name" -f- "$WORK/ctx" > "$OUT/$name.client.txt" 2>&1
  rc=$?
  set -e
  sleep 1.5             # let dockerd flush what it logs right after the build
  e=$(stat -c %s "$DLOG")
  tail -c +$((s + 1)) "$DLOG" | head -c $((e - s)) > "$OUT/$name.log"
  [ $rc -ne 124 ] || die "$name: docker build timed out"
  if [ "$expect" = ok ] && [ $rc -ne 0 ]; then log "$name: build FAILED but success was expected"; FAILURES=$((FAILURES + 1)); fi
  if [ "$expect" = fail ] && [ $rc -eq 0 ]; then log "$name: build SUCCEEDED but failure was expected"; FAILURES=$((FAILURES + 1)); fi
  for p in "$@"; do
    grep -qE -- "$p" "$OUT/$name.log" "$OUT/$name.client.txt" \
      || { log "$name: expected pattern not found: $p"; FAILURES=$((FAILURES + 1)); }
  done
  log "$name: build rc=$rc, $(wc -l < "$OUT/$name.log") log lines, $(wc -c < "$OUT/$name.log") bytes"
}

U="127.0.0.1:$P0"
scenario plain_pull "$CFG_EMPTY" ok "$U/library/alpine:latest" \
  'msg="do request".*request.method=HEAD' 'msg=fetch ' 'msg="do request".*/blobs/sha256:' 'response.status="200 OK"'
scenario mirror_used "$CFG_EMPTY" ok alpine \
  "url=\"http://127.0.0.1:$P1/v2/library/alpine/manifests/latest\?ns=docker.io\"" '/blobs/sha256:[0-9a-f]+\?ns=docker.io'
scenario mirror_miss_fallback_ok "$CFG_EMPTY" ok busybox \
  'response.status="404 Not Found"' 'trying next host - response was http.StatusNotFound' 'host=registry-1.docker.io'
stop_reg mirror         # connection refused on the mirror from now on
stop_reg hub            # ... and on registry-1.docker.io (127.0.0.3:443) for this one scenario
scenario mirror_fallback "$CFG_EMPTY" fail alpine \
  'msg="trying next host".*connection refused' 'msg=resolving host=registry-1.docker.io'
start_reg hub "https://registry-1.docker.io/v2/" --cacert "$WORK/tls/hub-ca.crt"
scenario mirror_fallback_ok "$CFG_EMPTY" ok alpine \
  'msg="trying next host"' 'url="https://registry-1.docker.io/v2/library/alpine/blobs/sha256:'
scenario basic_auth_401 "$CFG_EMPTY" fail "127.0.0.1:$P2/library/alpine:latest" \
  'msg=Unauthorized header="Basic realm' 'response.status="401 Unauthorized"'
scenario basic_auth_bad_creds "$CFG_BADBASIC" fail "127.0.0.1:$P2/library/alpine:latest" \
  'msg=Unauthorized header="Basic realm'
scenario basic_auth_ok "$CFG_BASIC" ok "127.0.0.1:$P2/library/alpine:latest" \
  'msg=Unauthorized header="Basic realm' '/blobs/sha256:'
scenario oauth_token_401 "$CFG_TOKEN" fail "127.0.0.1:$P10/library/alpine:latest" \
  'msg=Unauthorized header="Bearer realm' 'failed to fetch oauth token'
scenario anonymous_token_401 "$CFG_EMPTY" fail "127.0.0.1:$P10/library/alpine:latest" \
  'msg=Unauthorized header="Bearer realm' 'failed to fetch anonymous token'
scenario rate_limited_429 "$CFG_EMPTY" fail "127.0.0.1:$P11/library/alpine:latest" \
  'response.status="429 Too Many Requests"' 'toomanyrequests' 'ratelimit-remaining'
scenario rate_limited_429_head "$CFG_EMPTY" fail "127.0.0.1:$P11/ratelimited/head:latest" \
  'response.status="429 Too Many Requests"'
# Docker Hub's answer for a private or missing repository: an anonymous token is granted, the
# request with it refused again (401, error="insufficient_scope"): "pull access denied".
scenario insufficient_scope "$CFG_EMPTY" fail "127.0.0.1:$P12/private/app:latest" \
  'error=\\"insufficient_scope\\"' 'insufficient_scope'
scenario not_found_404 "$CFG_EMPTY" fail "$U/library/alpine:does-not-exist" \
  'response.status="404 Not Found"' 'trying next host - response was http.StatusNotFound'
scenario unknown_ca "$CFG_EMPTY" fail tls.bkscope.test/library/alpine:latest \
  'x509: certificate signed by unknown authority'
# A registry whose manifest names a layer it no longer has (a garbage collection, a broken
# push or cache): the manifest resolves, the layer's GET answers 404 BLOB_UNKNOWN. The blob's
# data file is removed from the upstream registry's storage (no blob cache is configured).
mkimg "$U/library/brokenblob:latest" brokenblob
push "$U/library/brokenblob:latest"
layer=$(curl -fsS -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
  "http://$U/v2/library/brokenblob/manifests/latest" |
  $PY -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["digest"].split(":")[1])') \
  || die "brokenblob: no manifest"
rm -f "$WORK/reg/up/docker/registry/v2/blobs/sha256/${layer:0:2}/$layer/data" || die "brokenblob: rm"
$DOCKER image rm -f "$U/library/brokenblob:latest" >/dev/null 2>&1 || true
scenario blob_not_found "$CFG_EMPTY" fail "$U/library/brokenblob:latest" \
  "url=\"http://$U/v2/library/brokenblob/blobs/sha256:$layer\"" 'response.status="404 Not Found"'
# The configured mirror again, now behind basic auth (an Artifactory/Nexus/Harbor mirror with
# credentials): a pull-through registry with htpasswd on the mirror's port, `docker login` to it.
# Every request is first challenged (401 Basic), then sent again with the credentials.
regconf mirrorauth 127.0.0.1:$P1 "$WORK/reg/mirrorauth" "proxy:
  remoteurl: http://127.0.0.1:$P0
auth:
  htpasswd:
    realm: bkscope-mirror-realm
    path: $WORK/reg/htpasswd"
start_reg mirrorauth "http://127.0.0.1:$P1/v2/" -f -u bkuser:bkpass
CFG_MIRRORAUTH=$WORK/cfg-mirrorauth; mkdir -p "$CFG_MIRRORAUTH"
echo bkpass | DOCKER_CONFIG=$CFG_MIRRORAUTH timeout 60 $DOCKER login -u bkuser --password-stdin 127.0.0.1:$P1 >/dev/null 2>&1 \
  || die "docker login to the basic-auth mirror failed"
# The same mirror without credentials: it refuses, the pull goes to the upstream (containerd 1.6
# logs no `trying next host` for it: the same path is simply asked of the next host).
scenario mirror_basic_auth_no_creds "$CFG_EMPTY" ok alpine \
  'msg=Unauthorized header="Basic realm=\\"bkscope-mirror-realm' \
  'url="https://registry-1.docker.io/v2/library/alpine/manifests/latest"'
scenario mirror_basic_auth_ok "$CFG_MIRRORAUTH" ok alpine \
  'msg=Unauthorized header="Basic realm=\\"bkscope-mirror-realm' \
  "url=\"http://127.0.0.1:$P1/v2/library/alpine/blobs/sha256:[0-9a-f]+\\?ns=docker.io\".*response.status=\"200 OK\"|response.status=\"200 OK\".*url=\"http://127.0.0.1:$P1/v2/library/alpine/blobs/sha256:[0-9a-f]+\\?ns=docker.io\""

# ---------------------------------------------------------------- provenance
{
  echo "captured: $(date -u +%Y-%m-%dT%H:%M:%SZ) by tests/e2e/capture.sh"
  echo "dockerd: $(/usr/sbin/dockerd --version)"
  echo "docker client: $($DOCKER --version)"
  echo "containerd (Debian package, also the Go library Debian's dockerd is built against): $(containerd --version 2>/dev/null || echo n/a)"
  echo "runc: $(runc --version 2>/dev/null | head -1 || echo n/a)"
  echo "docker-registry: $(docker-registry --version 2>/dev/null)"
  echo "kernel: $(uname -sr)"
  echo "ports: upstream=127.0.0.1:$P0 mirror=127.0.0.1:$P1 basic=127.0.0.1:$P2 hubseed=127.0.0.1:$P3 token=127.0.0.1:$P10 ratelimit=127.0.0.1:$P11 denied=127.0.0.1:$P12 hub=127.0.0.3:443(registry-1.docker.io) tls=127.0.0.2:443(tls.bkscope.test)"
  echo "credentials (throwaway): htpasswd bkuser/bkpass (wrong: bkuser/wrongpass), token registry tokuser/tokpass"
} > "$OUT/CAPTURE_INFO.txt"

# what the canned servers were asked (e.g. who fetched the token, GET vs POST), for SOURCES.md
{ echo "# requests received by tests/e2e/fake_registry.py during this capture (stderr of each server)"
  echo "## token registry 127.0.0.1:$P10"; cat "$WORK/logs/fake-token.log"
  echo "## rate-limit registry 127.0.0.1:$P11"; cat "$WORK/logs/fake-ratelimit.log"
  echo "## denying registry 127.0.0.1:$P12"; cat "$WORK/logs/fake-denied.log"; } > "$OUT/fake_registry.requests.txt"

big=$(find "$OUT" -name '*.log' -size +300k)
[ -z "$big" ] || log "WARNING: fixture(s) over 300 KB: $big"
[ $FAILURES -eq 0 ] || die "$FAILURES scenario check(s) failed (fixtures were written to $OUT anyway)"
log "done: fixtures in $OUT"
