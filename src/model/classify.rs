//! Non-auth failures: what an error text or a status says went wrong.
//!
//! Pure: strings and status codes in, an [`ErrorKind`] out. Texts come from containerd's resolver
//! and Go's net/http and crypto/x509 (see ../shared/log-catalog.md §2).

use serde::Serialize;

/// The kinds of fetch error. The names are the `summary --json` contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// `connect: connection refused`.
    ConnectionRefused,
    /// Name resolution failed (`no such host`, `server misbehaving`).
    Dns,
    /// `x509: certificate signed by unknown authority`.
    TlsUnknownAuthority,
    /// `http: server gave HTTP response to HTTPS client`.
    HttpToHttps,
    /// `i/o timeout`, `context deadline exceeded`, `TLS handshake timeout`.
    Timeout,
    /// 429 / `toomanyrequests`.
    RateLimited,
    /// 404 / `manifest unknown` / `not found`.
    NotFound,
    /// A request with no response and no error logged by the end of the input (`finish`):
    /// containerd 1.6 logs no transport failure of the fetch phase, or the log was cut.
    NoResponse,
    /// Anything else.
    Other,
}

impl ErrorKind {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::ConnectionRefused => "connection-refused",
            ErrorKind::Dns => "dns",
            ErrorKind::TlsUnknownAuthority => "tls-unknown-authority",
            ErrorKind::HttpToHttps => "http-to-https",
            ErrorKind::Timeout => "timeout",
            ErrorKind::RateLimited => "rate-limited",
            ErrorKind::NotFound => "not-found",
            ErrorKind::NoResponse => "no-response",
            ErrorKind::Other => "other",
        }
    }
}

/// The error kind an error text names.
pub fn error_kind_of_text(t: &str) -> ErrorKind {
    if t.contains("connection refused") {
        ErrorKind::ConnectionRefused
    } else if t.contains("no such host")
        || t.contains("server misbehaving")
        || t.contains("Temporary failure in name resolution")
        || t.contains("dial tcp: lookup")
    {
        ErrorKind::Dns
    } else if t.contains("certificate signed by unknown authority") {
        // Only this x509 failure: Go writes `tls: failed to verify certificate: x509: …` for a
        // wrong name (`certificate is valid for a, not b`) or an expired certificate too, and
        // installing a CA fixes neither. Those are `other`, with their text.
        ErrorKind::TlsUnknownAuthority
    } else if t.contains("server gave HTTP response to HTTPS client") {
        ErrorKind::HttpToHttps
    } else if t.contains("i/o timeout")
        || t.contains("context deadline exceeded")
        || t.contains("TLS handshake timeout")
        || t.contains("Client.Timeout exceeded")
        || t.contains("timeout awaiting response headers")
    {
        ErrorKind::Timeout
    } else if t.contains("429 Too Many Requests") || t.contains("toomanyrequests") {
        ErrorKind::RateLimited
    } else if t.contains("manifest unknown")
        || t.contains("404 Not Found")
        || t.contains(": not found")
        || t.contains("StatusNotFound")
    {
        ErrorKind::NotFound
    } else {
        ErrorKind::Other
    }
}

/// The error kind of a failing HTTP status (not 401/403, which are auth).
pub fn error_kind_of_status(status: u16) -> Option<ErrorKind> {
    match status {
        429 => Some(ErrorKind::RateLimited),
        404 => Some(ErrorKind::NotFound),
        400..=599 if status != 401 && status != 403 => Some(ErrorKind::Other),
        _ => None,
    }
}

/// The request url Go's net/http names in an error (`Head "https://m/v2/…?ns=docker.io": dial
/// tcp …`): the quoted `http(s)://` text after the method.
pub fn request_url_in_text(t: &str) -> Option<&str> {
    let start = t.find("\"http")? + 1;
    let rest = &t[start..];
    let url = &rest[..rest.find('"')?];
    url.contains("://").then_some(url)
}

/// The pull request (`HEAD` or `GET`, and its url) an error text names, in the words
/// containerd and Go's net/http use (../shared/log-catalog.md §2): `Head "<url>": …` (a
/// transport error, `failed to do request`), `unexpected status from GET request to <url>: …`,
/// `unexpected status code <url>: …` (a 1.x fetch), `unexpected HEAD status code <url>: …` and
/// `content at <url> not found` (2.x). Other methods (a push's `Put`, `Post`) are no pull:
/// `None`, as for a text that names no request.
pub fn pull_request_in_text(t: &str) -> Option<(&'static str, &str)> {
    // Go's url.Error: `Head "https://…"`, its quotes escaped when the text is a logfmt value
    // read raw (`Head \"https://…\"`).
    let mut from = 0;
    while let Some(i) = t.get(from..)?.find("\"http").map(|i| from + i) {
        from = i + 1;
        let before = t[..i].strip_suffix('\\').unwrap_or(&t[..i]);
        let method = if before.ends_with("Head ") {
            "HEAD"
        } else if before.ends_with("Get ") {
            "GET"
        } else {
            continue;
        };
        let rest = &t[i + 1..];
        let url = &rest[..rest.find('"').unwrap_or(rest.len())];
        let url = url.strip_suffix('\\').unwrap_or(url);
        if url.contains("://") {
            return Some((method, url));
        }
    }
    for (words, method) in [
        ("unexpected status from HEAD request to ", "HEAD"),
        ("unexpected status from GET request to ", "GET"),
        ("unexpected HEAD status code ", "HEAD"),
        ("unexpected status code ", "GET"),
        ("content at ", "GET"),
    ] {
        if let Some(i) = t.find(words) {
            let rest = &t[i + words.len()..];
            let url = &rest[..rest.find([' ', '"']).unwrap_or(rest.len())];
            let url = url.trim_end_matches(':');
            if url.contains("://") {
                return Some((method, url));
            }
        }
    }
    None
}

/// The first `scheme://host[:port]` host named in a free text (an error message).
pub fn host_in_text(t: &str) -> Option<&str> {
    let rest = &t[t.find("://")? + 3..];
    let end = rest.find(['/', '"', ' ', '?', '\'']).unwrap_or(rest.len());
    let authority = rest[..end].trim_end_matches(':');
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    (!host.is_empty()).then_some(host)
}

/// The registry host an error text names: the host of its first url, else the host of
/// containerd's `pulling from host <host> failed with status code …` (a resolve that ended on
/// an HTTP status, which names no url), else the `dial tcp <addr>:` target.
pub fn host_named_in(t: &str) -> Option<&str> {
    host_in_text(t)
        .or_else(|| pulling_host(t))
        .or_else(|| dial_target(t))
}

/// `pulling from host <host> failed`: containerd's resolver, 1.5+.
fn pulling_host(t: &str) -> Option<&str> {
    let rest = &t[t.find("pulling from host ")? + 18..];
    let host = &rest[..rest.find(" failed")?];
    (!host.is_empty() && !host.contains([' ', '"', '/'])).then_some(host)
}

/// The `dial tcp <addr>:` target of a transport error, when no url is named.
pub fn dial_target(t: &str) -> Option<&str> {
    let rest = &t[t.find("dial tcp ")? + 9..];
    let end = rest.find(": ")?;
    let addr = &rest[..end];
    (!addr.starts_with("lookup")).then_some(addr)
}

/// The telling end of a Go error chain: Go wraps each cause as `context: cause`, so the last
/// `: ` segment is the cause; an operation word before it (one word, `connect`, `x509`,
/// `http`, `tls`, `toomanyrequests`) stays with it. `failed to do request: Head "…": dial tcp
/// 127.0.0.1:5001: connect: connection refused` → `connect: connection refused`. A bare HTTP
/// status does not say what was refused: it keeps the chain from the last `failed to …`
/// (`failed to fetch oauth token: unexpected status: 401 Unauthorized`). A text with no `: `
/// is its own cause.
pub fn cause_of(t: &str) -> &str {
    let t = t.trim();
    let Some((head, last)) = t.rsplit_once(": ") else {
        return t;
    };
    if last.trim().is_empty() {
        return t;
    }
    let is_status = last.len() > 3
        && last.as_bytes()[..3].iter().all(u8::is_ascii_digit)
        && last.as_bytes()[3] == b' ';
    if is_status && let Some(i) = head.rfind("failed to ") {
        return &t[i..];
    }
    let op = head.rsplit_once(": ").map_or(head, |(_, op)| op);
    let one_word = !op.is_empty() && !op.contains([' ', '"', '\'']);
    if one_word {
        &t[head.len() - op.len()..]
    } else {
        last
    }
}

/// What the docker CLI says on stderr when `docker logs` could not read a container's log
/// (20.10–28): such a line piped in (`docker logs NAME 2>&1 | bkscope summary -`) is the
/// reason the input holds no daemon log. `Some` with what to do, `None` for any other line.
pub fn docker_cli_error(line: &str) -> Option<&'static str> {
    const UNREACHABLE: &[&str] = &[
        "Cannot connect to the Docker daemon",
        "Is the docker daemon running",
        "error during connect",
        "permission denied while trying to connect to the Docker daemon",
    ];
    let line = line.trim_start();
    if line.starts_with("Error: No such container")
        || line.starts_with("Error response from daemon: No such container")
    {
        Some(
            "check the container's name: a buildx builder B runs in buildx_buildkit_B0 \
(docker buildx ls lists the builders; docker ps -a the containers)",
        )
    } else if UNREACHABLE.iter().any(|p| line.contains(p)) {
        Some(
            "start the docker daemon, or point DOCKER_HOST or --context at the one that runs the builder",
        )
    } else if line.starts_with("Error response from daemon:") {
        Some("docker answered with an error instead of the log")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each form containerd and net/http name a request in (../shared/log-catalog.md §2).
    #[test]
    fn a_pull_request_is_read_from_each_form_of_error_text() {
        for (text, want) in [
            (
                r#"failed to do request: Head "https://registry-1.docker.io/v2/library/centos/manifests/8.3.2011": dial tcp 34.194.164.123:443: i/o timeout"#,
                Some((
                    "HEAD",
                    "https://registry-1.docker.io/v2/library/centos/manifests/8.3.2011",
                )),
            ),
            (
                r#"failed to do request: Head \"http://127.0.0.1:5001/v2/library/alpine/manifests/latest?ns=docker.io\": dial tcp"#,
                Some((
                    "HEAD",
                    "http://127.0.0.1:5001/v2/library/alpine/manifests/latest?ns=docker.io",
                )),
            ),
            (
                r#"failed to copy: httpReadSeeker: failed open: failed to do request: Get "https://m.example/v2/a/blobs/sha256:aa?ns=docker.io": EOF"#,
                Some(("GET", "https://m.example/v2/a/blobs/sha256:aa?ns=docker.io")),
            ),
            (
                "httpReadSeeker: failed open: unexpected status code http://127.0.0.1:5011/v2/library/alpine/manifests/sha256:aa: 429 Too Many Requests",
                Some((
                    "GET",
                    "http://127.0.0.1:5011/v2/library/alpine/manifests/sha256:aa",
                )),
            ),
            (
                "unexpected status from HEAD request to https://registry-1.docker.io/v2/library/alpine/manifests/3: 503 Service Unavailable",
                Some((
                    "HEAD",
                    "https://registry-1.docker.io/v2/library/alpine/manifests/3",
                )),
            ),
            (
                "unexpected HEAD status code https://ghcr.io/v2/o/r/manifests/1: 500 Internal Server Error",
                Some(("HEAD", "https://ghcr.io/v2/o/r/manifests/1")),
            ),
            (
                "content at https://ghcr.io/v2/o/r/blobs/sha256:aa not found: not found",
                Some(("GET", "https://ghcr.io/v2/o/r/blobs/sha256:aa")),
            ),
            // A push's upload and a token POST are no pull.
            (
                r#"failed to do request: Put "https://registry-1.docker.io/v2/me/app/blobs/uploads/x": EOF"#,
                None,
            ),
            (
                "unexpected status from POST request to https://auth.docker.io/token: 401 Unauthorized",
                None,
            ),
            ("dial tcp 1.2.3.4:443: i/o timeout", None),
        ] {
            assert_eq!(pull_request_in_text(text), want, "{text}");
        }
    }

    #[test]
    fn the_cause_is_the_end_of_the_chain() {
        for (text, cause) in [
            (
                r#"failed to do request: Head "http://127.0.0.1:5001/v2/library/alpine/manifests/latest?ns=docker.io": dial tcp 127.0.0.1:5001: connect: connection refused"#,
                "connect: connection refused",
            ),
            (
                r#"failed to do request: Head "https://tls.bkscope.test/v2/x/manifests/1": x509: certificate signed by unknown authority"#,
                "x509: certificate signed by unknown authority",
            ),
            (
                r#"failed to do request: Head "https://127.0.0.1:5000/v2/": http: server gave HTTP response to HTTPS client"#,
                "http: server gave HTTP response to HTTPS client",
            ),
            (
                r#"failed to do request: Head "https://ci:***@flaky.example.com/v2/app/manifests/latest": dial tcp: lookup flaky.example.com: no such host"#,
                "no such host",
            ),
            (
                "failed to authorize: rpc error: code = Unknown desc = failed to fetch oauth token: unexpected status: 401 Unauthorized",
                "failed to fetch oauth token: unexpected status: 401 Unauthorized",
            ),
            (
                "unexpected status: 500 Internal Server Error",
                "500 Internal Server Error",
            ),
            ("dial tcp 1.2.3.4:443: i/o timeout", "i/o timeout"),
            ("plain words", "plain words"),
            ("ends with a colon: ", "ends with a colon:"),
            ("x509: bad", "x509: bad"),
        ] {
            assert_eq!(cause_of(text), cause, "{text}");
        }
    }

    #[test]
    fn classifies_transport_errors() {
        let cases = [
            (
                r#"failed to do request: Head "http://127.0.0.1:5001/v2/library/alpine/manifests/latest?ns=docker.io": dial tcp 127.0.0.1:5001: connect: connection refused"#,
                ErrorKind::ConnectionRefused,
            ),
            (
                r#"failed to do request: Head "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.0.0.1:53: no such host"#,
                ErrorKind::Dns,
            ),
            (
                r#"failed to do request: Head "https://tls.bkscope.test/v2/x/manifests/1": x509: certificate signed by unknown authority"#,
                ErrorKind::TlsUnknownAuthority,
            ),
            (
                r#"failed to do request: Head "https://127.0.0.1:5000/v2/": http: server gave HTTP response to HTTPS client"#,
                ErrorKind::HttpToHttps,
            ),
            (
                r#"failed to do request: Head "https://r.example/v2/a/manifests/b": tls: failed to verify certificate: x509: certificate signed by unknown authority"#,
                ErrorKind::TlsUnknownAuthority,
            ),
            // Other certificate failures are not an unknown CA: a CA would not fix them.
            (
                r#"failed to do request: Head "https://h08.example/v2/a/manifests/b": tls: failed to verify certificate: x509: certificate is valid for a.example, not h08.example"#,
                ErrorKind::Other,
            ),
            (
                r#"failed to do request: Head "https://h28.example/v2/a/manifests/b": x509: certificate has expired or is not yet valid: current time 2024-06-01T10:00:27Z is after 2024-01-01T00:00:00Z"#,
                ErrorKind::Other,
            ),
            ("dial tcp 1.2.3.4:443: i/o timeout", ErrorKind::Timeout),
            (
                "unexpected status code https://registry-1.docker.io/v2/library/alpine/manifests/latest: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.",
                ErrorKind::RateLimited,
            ),
            (
                "docker.io/library/nope:latest: not found",
                ErrorKind::NotFound,
            ),
            ("something else", ErrorKind::Other),
        ];
        for (text, kind) in cases {
            assert_eq!(error_kind_of_text(text), kind, "{text}");
        }
        assert_eq!(error_kind_of_status(429), Some(ErrorKind::RateLimited));
        assert_eq!(error_kind_of_status(401), None);
        assert_eq!(error_kind_of_status(200), None);
    }

    #[test]
    fn finds_the_request_url_in_an_error() {
        assert_eq!(
            request_url_in_text(
                r#"failed to do request: Head "https://mirror.gcr.io/v2/library/alpine/manifests/latest?ns=docker.io": dial tcp 142.250.1.82:443: i/o timeout"#
            ),
            Some("https://mirror.gcr.io/v2/library/alpine/manifests/latest?ns=docker.io")
        );
        assert_eq!(
            request_url_in_text("dial tcp: lookup x: no such host"),
            None
        );
        assert_eq!(request_url_in_text(r#"say "http"#), None);
    }

    #[test]
    fn finds_hosts_in_texts() {
        assert_eq!(
            host_in_text(r#"Head "http://127.0.0.1:5001/v2/x": dial"#),
            Some("127.0.0.1:5001")
        );
        assert_eq!(
            host_in_text("POST request to https://ghcr.io/token: 401"),
            Some("ghcr.io")
        );
        assert_eq!(host_in_text("no url here"), None);
        assert_eq!(
            dial_target("dial tcp 127.0.0.1:5001: connect: connection refused"),
            Some("127.0.0.1:5001")
        );
        assert_eq!(dial_target("dial tcp: lookup x on y: no such host"), None);
        // containerd's resolve that ended on a status names the host, not the url (the client
        // error of tests/fixtures/dockerd-20.10/rate_limited_429_head.client.txt).
        let status = "failed to solve with frontend dockerfile.v0: failed to create LLB definition: \
                      pulling from host 127.0.0.1:5011 failed with status code [manifests latest]: \
                      429 Too Many Requests";
        assert_eq!(host_named_in(status), Some("127.0.0.1:5011"));
        assert_eq!(
            host_named_in(r#"Head "https://r.example/v2/x": dial tcp 1.2.3.4:443: i/o timeout"#),
            Some("r.example")
        );
        assert_eq!(host_named_in("pulling from host  failed"), None);
        assert_eq!(host_named_in("pulling from host a b failed"), None);
    }
}
