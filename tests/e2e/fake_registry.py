#!/usr/bin/env python3
"""Canned-answer fake registries for tests/e2e/capture.sh (loopback only).

Usage:
  fake_registry.py token     PORT
      Bearer-token registry.  /v2/ and every /v2/<repo>/... answer
      401 + `WWW-Authenticate: Bearer realm="http://127.0.0.1:PORT/token",
      service="bkscope-token-test",scope="repository:<repo>:pull"`.
      /token answers 200 with a token ONLY when no `scope` is asked for
      (that is what `docker login` does: GET /token?account=..&offline_token=true),
      and 401 `{"details":"incorrect username or password"}` to any GET or POST
      that asks for a scope (what BuildKit does when it pulls).  A request to
      /v2/ carrying the token handed out at login answers 200, so `docker login`
      succeeds and the client stores the credentials.

  fake_registry.py ratelimit PORT UPSTREAM
      /v2/ answers 200.  For repositories under `library/`, HEAD of a manifest
      is proxied to UPSTREAM (a real registry, e.g. http://127.0.0.1:5000) so
      the resolve step succeeds (Docker Hub does not count HEADs), and GET of a
      manifest answers 429 Too Many Requests with a Docker Hub style
      TOOMANYREQUESTS body and ratelimit-limit/ratelimit-remaining headers.
      For any other repository (e.g. `ratelimited/head`) HEAD answers 429 too.

  fake_registry.py denied    PORT
      Docker Hub's answer for a private or missing repository.  /v2/ and every
      /v2/<repo>/... without a token answer the same Bearer challenge as `token`;
      /token hands an anonymous token to anyone, for any scope (as auth.docker.io
      does); a /v2/<repo>/... request carrying that token answers 401 again, with
      `error="insufficient_scope"` in the challenge and Docker Hub's UNAUTHORIZED
      body naming the repository.

Only ever bind 127.0.0.1.  Requests are logged to stderr.
"""
import json
import re
import sys
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LOGIN_TOKEN = "bkscope-throwaway-login-token"
SERVICE = "bkscope-token-test"
RATE_BODY = json.dumps({"errors": [{
    "code": "TOOMANYREQUESTS",
    "message": "You have reached your pull rate limit. You may increase the limit "
               "by authenticating and upgrading: https://www.docker.com/increase-rate-limit",
}]}).encode()
REPO_RE = re.compile(r"^/v2/(?P<repo>.+?)/(?P<kind>manifests|blobs|tags)/(?P<ref>[^/]+)$")


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # clients (containerd) may reset kept-alive connections; not worth a traceback
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


class Base(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "bkscope-fake-registry/1"

    def log_message(self, fmt, *args):
        # non-printable bytes (e.g. a TLS ClientHello sent to this plain-http port) are escaped
        line = "%s %s%s" % (self.address_string(), fmt % args, getattr(self, "note", ""))
        line = "".join(c if " " <= c < "\x7f" else "\\x%02x" % ord(c) if ord(c) < 256 else
                       c.encode("ascii", "backslashreplace").decode("ascii") for c in line)
        sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def send(self, status, body=b"", headers=None, ctype="application/json"):
        self.send_response(status)
        self.send_header("Docker-Distribution-Api-Version", "registry/2.0")
        if body or self.command != "HEAD":
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def drain(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""


class TokenHandler(Base):
    def challenge(self, scope=None):
        port = self.server.server_address[1]
        v = 'Bearer realm="http://127.0.0.1:%d/token",service="%s"' % (port, SERVICE)
        if scope:
            v += ',scope="%s"' % scope
        body = json.dumps({"errors": [{"code": "UNAUTHORIZED",
                                       "message": "authentication required",
                                       "detail": None}]}).encode()
        self.send(401, body, {"WWW-Authenticate": v})

    def token(self):
        body = self.drain()
        q = parse_qs(urlsplit(self.path).query)
        if self.command == "POST":
            form = parse_qs(body.decode("latin-1"))
            q.update(form)
        else:
            form = {}
        # log what kind of credentials came with the token request, never their values
        authz = self.headers.get("Authorization", "")
        shown = {k: (v[0] if k in ("grant_type", "client_id", "service", "scope", "username") else "<redacted>")
                 for k, v in sorted(form.items())}
        self.note = "  [authorization: %s; form: %s]" % (authz.split(" ")[0] or "none", shown or "-")
        if "scope" not in q:
            self.send(200, json.dumps({"token": LOGIN_TOKEN, "access_token": LOGIN_TOKEN,
                                       "expires_in": 300}).encode())
        else:
            self.send(401, json.dumps({"details": "incorrect username or password"}).encode())

    def route(self):
        self.note = ""
        path = urlsplit(self.path).path
        if path == "/token":
            return self.token()
        self.drain()
        if path in ("/v2/", "/v2"):
            if self.headers.get("Authorization", "") == "Bearer " + LOGIN_TOKEN:
                return self.send(200, b"{}")
            return self.challenge()
        m = REPO_RE.match(path)
        if m:
            return self.repository(m.group("repo"))
        return self.send(404, b'{"errors":[{"code":"NOT_FOUND","message":"not found"}]}')

    def repository(self, repo):
        self.challenge("repository:%s:pull" % repo)

    do_GET = do_HEAD = do_POST = route


class DeniedHandler(TokenHandler):
    ANON_TOKEN = "bkscope-throwaway-anonymous-token"

    def token(self):
        self.drain()
        q = parse_qs(urlsplit(self.path).query)
        self.note = "  [scope: %s]" % ",".join(q.get("scope", ["-"]))
        self.send(200, json.dumps({"token": self.ANON_TOKEN, "access_token": self.ANON_TOKEN,
                                   "expires_in": 300}).encode())

    def repository(self, repo):
        if self.headers.get("Authorization", "").startswith("Bearer "):
            port = self.server.server_address[1]
            v = ('Bearer realm="http://127.0.0.1:%d/token",service="%s",'
                 'scope="repository:%s:pull",error="insufficient_scope"' % (port, SERVICE, repo))
            body = json.dumps({"errors": [{"code": "UNAUTHORIZED",
                                           "message": "authentication required",
                                           "detail": [{"Type": "repository", "Class": "",
                                                       "Name": repo, "Action": "pull"}]}]}).encode()
            self.note = "  [token refused: insufficient_scope]"
            return self.send(401, body, {"WWW-Authenticate": v})
        return super().repository(repo)


class RateLimitHandler(Base):
    RL = {"ratelimit-limit": "100;w=21600", "ratelimit-remaining": "0;w=21600",
          "docker-ratelimit-source": "127.0.0.1"}

    def head_upstream(self):
        req = urllib.request.Request(self.server.upstream + self.path, method="HEAD",
                                     headers={"Accept": self.headers.get("Accept", "*/*")})
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                status, hdrs = r.status, r.headers
        except urllib.error.HTTPError as e:
            status, hdrs = e.code, e.headers
        self.send_response(status)
        for k in ("Content-Type", "Content-Length", "Docker-Content-Digest", "Etag",
                  "Docker-Distribution-Api-Version"):
            if hdrs.get(k):
                self.send_header(k, hdrs.get(k))
        for k, v in self.RL.items():
            self.send_header(k, v)
        self.end_headers()

    def route(self):
        self.drain()
        path = urlsplit(self.path).path
        if path in ("/v2/", "/v2"):
            return self.send(200, b"{}")
        m = REPO_RE.match(path)
        if not m:
            return self.send(404, b'{"errors":[{"code":"NOT_FOUND","message":"not found"}]}')
        if self.command == "HEAD" and m.group("kind") == "manifests" and m.group("repo").startswith("library/"):
            return self.head_upstream()
        return self.send(429, RATE_BODY, self.RL)

    do_GET = do_HEAD = do_POST = route


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    handler = {"token": TokenHandler, "denied": DeniedHandler, "ratelimit": RateLimitHandler}[mode]
    srv = Server(("127.0.0.1", port), handler)
    srv.upstream = sys.argv[3].rstrip("/") if len(sys.argv) > 3 else ""
    sys.stderr.write("fake registry %s listening on 127.0.0.1:%d\n" % (mode, port))
    sys.stderr.flush()
    srv.serve_forever()


if __name__ == "__main__":
    main()
