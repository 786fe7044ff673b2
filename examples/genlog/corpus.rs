//! A deterministic BuildKit debug-log corpus for benchmarks: modern buildkitd lines (spanID,
//! traceID, no url, Google Cloud Storage or Docker Hub response headers), dockerd-style lines
//! (host=, url=, `?ns=docker.io` mirror requests), gRPC/API noise, and a sprinkle of 401, 429,
//! `trying next host` fallbacks and `failed to fetch oauth token` errors.
//!
//! Line shapes are copied from tests/fixtures/seed/mirror_gcr.log and
//! tests/fixtures/dockerd-20.10/*.log. Shared by `examples/genlog` and `benches/`.

use std::fmt::Write as _;
use std::io::{self, Write};

/// xorshift64*: small, fast and the same on every platform.
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed` (0 is mapped to a fixed non-zero state).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn hex(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len);
        while s.len() < len {
            let _ = write!(s, "{:016x}", self.next());
        }
        s.truncate(len);
        s
    }

    fn alnum(&mut self, len: usize) -> String {
        const A: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        (0..len)
            .map(|_| char::from(A[self.below(A.len() as u64) as usize]))
            .collect()
    }

    fn b64(&mut self, len: usize) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        (0..len)
            .map(|_| char::from(A[self.below(A.len() as u64) as usize]))
            .collect()
    }
}

const IMAGES: &[&str] = &[
    "library/alpine",
    "library/busybox",
    "library/golang",
    "library/node",
    "library/python",
    "moby/buildkit",
    "docker/dockerfile",
];
const ACCEPT_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, */*";
const ACCEPT_CONFIG: &str = "application/vnd.docker.container.image.v1+json, */*";
const ACCEPT_LAYER: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip, */*";
const MT_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
const MT_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
const MT_LAYER: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";
const UA_DOCKERD: &str = "containerd/1.6.20+unknown";
const UA_BUILDKIT: &str = "containerd/1.5.8+unknown";

/// Writes the corpus: whole lines until at least `bytes` bytes.
pub struct Corpus<W: Write> {
    out: W,
    rng: Rng,
    written: u64,
    /// Nanoseconds since the Unix epoch of the current line.
    now: i64,
    line: String,
}

impl<W: Write> Corpus<W> {
    /// A corpus for `seed` written to `out`.
    pub fn new(out: W, seed: u64) -> Self {
        Corpus {
            out,
            rng: Rng::new(seed),
            written: 0,
            now: 1_795_957_200_000_000_000, // 2026-11-24T09:00:00Z
            line: String::with_capacity(4096),
        }
    }

    /// Writes blocks of lines until `bytes` bytes are out; returns the bytes written.
    pub fn write_until(&mut self, bytes: u64) -> io::Result<u64> {
        while self.written < bytes {
            match self.rng.below(100) {
                0..=39 => self.noise()?,
                40..=59 => self.buildkitd_pull(true)?,
                60..=74 => self.buildkitd_pull(false)?,
                75..=89 => self.dockerd_pull()?,
                90..=94 => self.dockerd_mirror_fallback()?,
                _ => self.dockerd_auth_failure()?,
            }
        }
        self.out.flush()?;
        Ok(self.written)
    }

    fn tick(&mut self) {
        self.now += 20_000 + self.rng.below(3_000_000) as i64;
    }

    fn emit(&mut self) -> io::Result<()> {
        self.line.push('\n');
        self.out.write_all(self.line.as_bytes())?;
        self.written += self.line.len() as u64;
        self.line.clear();
        Ok(())
    }

    /// `time="…" level=… msg=…` with dockerd's nanosecond or buildkitd's second precision.
    fn head(&mut self, nanos: bool, level: &str, msg: &str) {
        self.tick();
        let ts = rfc3339(self.now, nanos);
        let _ = write!(self.line, "time=\"{ts}\" level={level} msg={}", quote(msg));
    }

    fn noise(&mut self) -> io::Result<()> {
        let n = 4 + self.rng.below(20);
        for _ in 0..n {
            match self.rng.below(12) {
                0 => self.head(true, "debug", "Calling HEAD /_ping"),
                1 => {
                    let id = self.rng.hex(64);
                    let msg = format!("Calling GET /v1.41/containers/{id}/json");
                    self.head(true, "debug", &msg);
                }
                2..=4 => {
                    const GRPC: &[&str] = &[
                        "[core] Subchannel Connectivity change to CONNECTING",
                        "[core] Channel Connectivity change to READY",
                        "[core] Subchannel picks a new address \"localhost\" to connect",
                        "[core] ClientConn switching balancer to \"pick_first\"",
                        "[core] Channel switches to new LB policy \"pick_first\"",
                        "[core] Channel Connectivity change to SHUTDOWN",
                    ];
                    let m = GRPC[self.rng.below(GRPC.len() as u64) as usize];
                    self.head(true, "info", m);
                    self.line.push_str(" module=grpc");
                }
                5 => {
                    let msg = format!("new ref for local: {}", self.rng.alnum(25));
                    self.head(true, "debug", &msg);
                }
                6 => {
                    let us = self.rng.below(3000);
                    let msg = format!("diffcopy took: {}.{:06}ms", us / 1000, us * 997 % 1_000_000);
                    self.head(true, "debug", &msg);
                }
                7 => {
                    let msg = format!(
                        "saved {} as local.sharedKey:context:context-.dockerignore:{}",
                        self.rng.alnum(25),
                        self.rng.hex(64)
                    );
                    self.head(true, "debug", &msg);
                }
                8 => {
                    self.head(true, "debug", "Start untar layer");
                    let id = self.rng.hex(64);
                    let _ = write!(self.line, " id={id}");
                }
                9 => {
                    let (span, trace) = (self.rng.hex(16), self.rng.hex(32));
                    self.head(false, "debug", "session started");
                    let _ = write!(self.line, " spanID={span} traceID={trace}");
                }
                10 => {
                    let (span, trace) = (self.rng.hex(16), self.rng.hex(32));
                    let step = self.rng.below(9) + 1;
                    let msg = format!(
                        "> creating {} [/bin/sh -c make -j{step}]",
                        self.rng.alnum(25)
                    );
                    self.head(false, "debug", &msg);
                    let _ = write!(
                        self.line,
                        " span=\"[{step}/9] RUN make -j{step}\" spanID={span} traceID={trace}"
                    );
                }
                _ => {
                    self.head(true, "debug", "remove content");
                    let d = self.rng.hex(64);
                    let _ = write!(self.line, " key=\"sha256:{d}\"");
                }
            }
            self.emit()?;
        }
        Ok(())
    }

    /// A modern buildkitd pull: no url or host, only request/response headers and span ids.
    fn buildkitd_pull(&mut self, gcs: bool) -> io::Result<()> {
        let span = self.rng.hex(16);
        let trace = self.rng.hex(32);
        let ids = format!(" spanID={span} traceID={trace}");
        let layers = 1 + self.rng.below(4);
        let auth_401 = !gcs && self.rng.chance(20);
        let limited = !gcs && self.rng.chance(3);
        for i in 0..layers + 2 {
            let (accept, len) = match i {
                0 => (ACCEPT_MANIFEST, 523 + self.rng.below(2000)),
                1 => (ACCEPT_CONFIG, 900 + self.rng.below(9000)),
                _ => (ACCEPT_LAYER, 100_000 + self.rng.below(80_000_000)),
            };
            let tries = if auth_401 && i == 0 { 2 } else { 1 };
            for t in 0..tries {
                self.head(false, "debug", "do request");
                let _ = write!(
                    self.line,
                    " request.header.accept=\"{accept}\" request.header.user-agent={UA_BUILDKIT} request.method=GET{ids}"
                );
                self.emit()?;
                if tries == 2 && t == 0 {
                    self.hub_response("401 Unauthorized", 157, &ids)?;
                    self.head(false, "debug", "Unauthorized");
                    let _ = write!(
                        self.line,
                        " header=\"Bearer realm=\\\"https://auth.docker.io/token\\\",service=\\\"registry.docker.io\\\",scope=\\\"repository:library/alpine:pull\\\"\"{ids}"
                    );
                    self.emit()?;
                    continue;
                }
                if gcs {
                    self.gcs_response(len, &ids)?;
                } else if limited && i == 0 {
                    self.hub_response("429 Too Many Requests", 197, &ids)?;
                    return Ok(());
                } else {
                    self.hub_response("200 OK", len, &ids)?;
                }
            }
            if i < 2 {
                for _ in 0..1 + self.rng.below(3) {
                    self.head(false, "debug", "fetch");
                    self.line.push_str(&ids);
                    self.emit()?;
                }
            }
        }
        Ok(())
    }

    fn gcs_response(&mut self, len: u64, ids: &str) -> io::Result<()> {
        let age = self.rng.below(3600);
        let etag = self.rng.hex(32);
        let generation = 1_637_788_000_000_000 + self.rng.below(99_999_999);
        let (crc, md5, upload) = (self.rng.b64(6), self.rng.b64(22), self.rng.b64(96));
        self.head(false, "debug", "fetch response received");
        let _ = write!(
            self.line,
            " response.header.accept-ranges=bytes response.header.age={age} response.header.alt-svc=\"h3=\\\":443\\\"; ma=2592000,h3-29=\\\":443\\\"; ma=2592000,h3-Q050=\\\":443\\\"; ma=2592000,h3-Q046=\\\":443\\\"; ma=2592000,h3-Q043=\\\":443\\\"; ma=2592000,quic=\\\":443\\\"; ma=2592000; v=\\\"46,43\\\"\" response.header.cache-control=\"public, max-age=3600\" response.header.content-length={len} response.header.content-type=application/octet-stream response.header.date=\"Sun, 06 Feb 2022 17:25:17 GMT\" response.header.etag=\"\\\"{etag}\\\"\" response.header.expires=\"Sun, 06 Feb 2022 18:25:17 GMT\" response.header.last-modified=\"Wed, 24 Nov 2021 21:07:57 GMT\" response.header.server=UploadServer response.header.x-goog-generation={generation} response.header.x-goog-hash=\"crc32c={crc}==\" response.header.x-goog-hash.1=\"md5={md5}==\" response.header.x-goog-metageneration=1 response.header.x-goog-storage-class=STANDARD response.header.x-goog-stored-content-encoding=identity response.header.x-goog-stored-content-length={len} response.header.x-guploader-uploadid={upload} response.status=\"200 OK\"{ids}"
        );
        self.emit()
    }

    fn hub_response(&mut self, status: &str, len: u64, ids: &str) -> io::Result<()> {
        let digest = self.rng.hex(64);
        let remaining = self.rng.below(100);
        self.head(false, "debug", "fetch response received");
        let _ = write!(
            self.line,
            " response.header.content-length={len} response.header.content-type=application/vnd.docker.distribution.manifest.v2+json response.header.date=\"Tue, 24 Nov 2026 13:08:58 GMT\" response.header.docker-content-digest=\"sha256:{digest}\" response.header.docker-distribution-api-version=registry/2.0 response.header.docker-ratelimit-source=203.0.113.7 response.header.etag=\"\\\"sha256:{digest}\\\"\" response.header.ratelimit-limit=\"100;w=21600\" response.header.ratelimit-remaining=\"{remaining};w=21600\" response.header.strict-transport-security=\"max-age=31536000\""
        );
        if status.starts_with("401") {
            self.line.push_str(" response.header.www-authenticate=\"Bearer realm=\\\"https://auth.docker.io/token\\\",service=\\\"registry.docker.io\\\",scope=\\\"repository:library/alpine:pull\\\"\"");
        }
        let _ = write!(self.line, " response.status=\"{status}\"{ids}");
        self.emit()
    }

    /// dockerd's embedded BuildKit: host= and url= on every line.
    fn dockerd_pull(&mut self) -> io::Result<()> {
        let image = IMAGES[self.rng.below(IMAGES.len() as u64) as usize];
        let mirror = self.rng.chance(40);
        let host = if mirror {
            "mirror.example.internal:5000"
        } else {
            "registry-1.docker.io"
        };
        let ns = if mirror { "?ns=docker.io" } else { "" };
        let scheme = if mirror { "http" } else { "https" };
        self.head(true, "debug", "resolving");
        let _ = write!(self.line, " host={}", quote(host));
        self.emit()?;
        let digest = self.rng.hex(64);
        let url = format!("{scheme}://{host}/v2/{image}/manifests/latest{ns}");
        self.dockerd_exchange(host, "HEAD", &url, ACCEPT_MANIFEST, None, "200 OK", 523)?;
        self.head(true, "debug", "resolved");
        let _ = write!(
            self.line,
            " desc.digest=\"sha256:{digest}\" host={}",
            quote(host)
        );
        self.emit()?;
        let layers = 1 + self.rng.below(4);
        for i in 0..layers + 2 {
            let d = if i == 0 {
                digest.clone()
            } else {
                self.rng.hex(64)
            };
            let (kind, accept, mt, size) = match i {
                0 => ("manifests", ACCEPT_MANIFEST, MT_MANIFEST, 523),
                1 => (
                    "blobs",
                    ACCEPT_CONFIG,
                    MT_CONFIG,
                    905 + self.rng.below(5000),
                ),
                _ => (
                    "blobs",
                    ACCEPT_LAYER,
                    MT_LAYER,
                    10_000 + self.rng.below(50_000_000),
                ),
            };
            self.head(true, "debug", "fetch");
            let _ = write!(
                self.line,
                " digest=\"sha256:{d}\" mediatype={mt} size={size}"
            );
            self.emit()?;
            let url = format!("{scheme}://{host}/v2/{image}/{kind}/sha256:{d}{ns}");
            let status = if self.rng.chance(1) {
                "429 Too Many Requests"
            } else {
                "200 OK"
            };
            self.dockerd_exchange(
                host,
                "GET",
                &url,
                accept,
                Some((&d, mt, size)),
                status,
                size,
            )?;
            if status != "200 OK" {
                break;
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn dockerd_exchange(
        &mut self,
        host: &str,
        method: &str,
        url: &str,
        accept: &str,
        desc: Option<(&str, &str, u64)>,
        status: &str,
        len: u64,
    ) -> io::Result<()> {
        let ctx = match desc {
            Some((d, mt, _)) => format!(" digest=\"sha256:{d}\" mediatype={mt}"),
            None => format!(" host={}", quote(host)),
        };
        let size = desc
            .map(|(_, _, s)| format!(" size={s}"))
            .unwrap_or_default();
        self.head(true, "debug", "do request");
        let _ = write!(
            self.line,
            "{ctx} request.header.accept={} request.header.user-agent={UA_DOCKERD} request.method={method}{size} url={}",
            quote(accept),
            quote(url)
        );
        self.emit()?;
        let digest = self.rng.hex(64);
        self.head(true, "debug", "fetch response received");
        let _ = write!(
            self.line,
            "{ctx} response.header.content-length={len} response.header.content-type=application/octet-stream response.header.date=\"Tue, 24 Nov 2026 13:08:44 GMT\" response.header.docker-content-digest=\"sha256:{digest}\" response.header.docker-distribution-api-version=registry/2.0 response.header.etag=\"\\\"sha256:{digest}\\\"\" response.status={}{size} url={}",
            quote(status),
            quote(url)
        );
        self.emit()
    }

    /// A mirror that refuses connections: `trying next host`, then the upstream.
    fn dockerd_mirror_fallback(&mut self) -> io::Result<()> {
        let image = IMAGES[self.rng.below(IMAGES.len() as u64) as usize];
        let mirror = "127.0.0.1:5001";
        let url = format!("http://{mirror}/v2/{image}/manifests/latest?ns=docker.io");
        self.head(true, "debug", "resolving");
        let _ = write!(self.line, " host={}", quote(mirror));
        self.emit()?;
        self.head(true, "debug", "do request");
        let _ = write!(
            self.line,
            " host={} request.header.accept={} request.header.user-agent={UA_DOCKERD} request.method=HEAD url={}",
            quote(mirror),
            quote(ACCEPT_MANIFEST),
            quote(&url)
        );
        self.emit()?;
        let err = format!(
            "failed to do request: Head \"{url}\": dial tcp {mirror}: connect: connection refused"
        );
        self.head(true, "info", "trying next host");
        let _ = write!(self.line, " error={} host={}", quote(&err), quote(mirror));
        self.emit()?;
        let up = format!("https://registry-1.docker.io/v2/{image}/manifests/latest");
        self.dockerd_exchange(
            "registry-1.docker.io",
            "HEAD",
            &up,
            ACCEPT_MANIFEST,
            None,
            "200 OK",
            523,
        )
    }

    /// A 401 challenge whose token request fails: `failed to fetch oauth token`.
    fn dockerd_auth_failure(&mut self) -> io::Result<()> {
        let host = "registry.example.com";
        let url = format!(
            "https://{host}/v2/team/app/manifests/v{}",
            self.rng.below(40)
        );
        let realm = format!("https://{host}/token");
        for attempt in 0..2 {
            self.head(true, "debug", "do request");
            let _ = write!(
                self.line,
                " host={host} request.header.accept={} request.header.user-agent={UA_DOCKERD} request.method=HEAD url={}",
                quote(ACCEPT_MANIFEST),
                quote(&url)
            );
            self.emit()?;
            if attempt == 1 {
                break;
            }
            let challenge = format!(
                "Bearer realm=\"{realm}\",service=\"registry.example.com\",scope=\"repository:team/app:pull\""
            );
            self.head(true, "debug", "fetch response received");
            let _ = write!(
                self.line,
                " host={host} response.header.content-length=92 response.header.content-type=application/json response.header.date=\"Tue, 24 Nov 2026 13:08:54 GMT\" response.header.docker-distribution-api-version=registry/2.0 response.header.www-authenticate={} response.status=\"401 Unauthorized\" url={}",
                quote(&challenge),
                quote(&url)
            );
            self.emit()?;
            self.head(true, "debug", "Unauthorized");
            let _ = write!(self.line, " header={} host={host}", quote(&challenge));
            self.emit()?;
        }
        let err = format!(
            "failed to authorize: rpc error: code = Unknown desc = failed to fetch oauth token: unexpected status from POST request to {realm}: 401 Unauthorized"
        );
        self.head(true, "info", "trying next host");
        let _ = write!(self.line, " error={} host={host}", quote(&err));
        self.emit()
    }
}

/// logrus's quoting: bare when every byte is in `[A-Za-z0-9-._/@^+]`, else Go `%q`.
fn quote(v: &str) -> String {
    let bare = !v.is_empty()
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._/@^+".contains(&b));
    if bare {
        return v.to_owned();
    }
    let mut s = String::with_capacity(v.len() + 8);
    s.push('"');
    for c in v.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// RFC 3339 in UTC: dockerd's 9 fractional digits, or buildkitd's whole seconds.
fn rfc3339(nanos: i64, frac: bool) -> String {
    let secs = nanos.div_euclid(1_000_000_000);
    let (days, day) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let (hh, mm, ss) = (day / 3600, day / 60 % 60, day % 60);
    if frac {
        let ns = nanos.rem_euclid(1_000_000_000);
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{ns:09}Z")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
    }
}

/// Howard Hinnant's civil_from_days.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The corpus for `seed`, about `bytes` long, in memory (benchmarks).
#[allow(dead_code)] // used by benches/, not by the example binary
pub fn generate(bytes: u64, seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes as usize + 8192);
    let _ = Corpus::new(&mut out, seed).write_until(bytes);
    out
}
