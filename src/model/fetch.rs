//! [`FetchEvent`]: one registry request and its response, built from `do request` and
//! `fetch response received` entries.
//!
//! Pure: entries in, events out. Knows no files, terminals or knowledge base.

use serde::Serialize;

use super::auth::AuthChallenge;
use super::intern::{Interner, Shared};
use super::note::{self, AsHeader, Side};
use super::redact::Scrub;
use super::url::{
    ObjectKind, classify_path, kind_from_accept, query_param, registry_of_ref, split_url,
};
use crate::parse::{Entry, Level, Timestamp};

/// containerd `remotes/docker/resolver.go` (1.4+), request.do.
pub const MSG_DO_REQUEST: &str = "do request";
/// containerd `remotes/docker/resolver.go` (1.4+), right after client.Do.
pub const MSG_RESPONSE: &str = "fetch response received";
/// containerd 1.5–1.7 `trying next host` (+ ` - response was http.StatusNotFound`);
/// 2.0+ also `trying next host after status: <Status>`.
pub const MSG_TRYING_NEXT: &str = "trying next host";
/// containerd 2.0+: the last host failed (`fetch failed`, `fetch failed after status: <Status>`).
pub const MSG_FETCH_FAILED: &str = "fetch failed";
/// containerd resolver.go retryRequest on 401, field `header`.
pub const MSG_UNAUTHORIZED: &str = "Unauthorized";
/// containerd resolver.go Resolve, field `host`.
pub const MSG_RESOLVING: &str = "resolving";
/// containerd auth/fetch.go and BuildKit util/resolver/authorizer.go, fields `status`, `body`.
pub const MSG_TOKEN_FAILED: &str = "token request failed";

/// One HTTP header as logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Header {
    /// Lowercase name, without the `.1` repeat suffix; shared with the model's header filter
    /// when it has one, so a kept header costs no allocation for its name.
    pub name: Shared,
    /// The value (redacted unless the user opted out).
    pub value: String,
}

/// The line numbers of one event: a request and its response (most events) are kept inline,
/// with no allocation of their own (32 bytes of heap per kept event as a `Vec`).
pub type LineNumbers = smallvec::SmallVec<[u64; 2]>;

/// One registry request with its response (either may be missing from the log).
#[derive(Debug, Clone, Default, Serialize)]
pub struct FetchEvent {
    /// Position in the model's event sequence.
    pub id: usize,
    /// Index of the source the lines came from.
    pub source: u32,
    /// `GET`, `HEAD`, `POST`…; `None` when only the response was logged.
    pub method: Option<Shared>,
    /// The request url (redacted), when the log has it.
    pub url: Option<Box<str>>,
    /// The host contacted; `None` when the log does not say.
    pub host: Option<Shared>,
    /// The registry asked for: the `ns=` upstream, the span's image ref, else the host.
    pub registry: Option<Shared>,
    /// Repository path (`library/alpine`).
    pub repository: Option<Shared>,
    /// What was fetched.
    pub kind: ObjectKind,
    /// Content digest (from the url or the `digest` field).
    pub digest: Option<Box<str>>,
    /// Media type (`mediatype` field).
    pub media_type: Option<Shared>,
    /// Size in bytes (`size` field, else the response's content-length).
    pub size: Option<u64>,
    /// HTTP status code.
    pub status: Option<u16>,
    /// Status text as logged (`200 OK`).
    pub status_text: Option<Shared>,
    /// Time of the request line.
    pub started: Option<Timestamp>,
    /// Time of the response (or failure) line.
    pub finished: Option<Timestamp>,
    /// Request headers in line order.
    pub request_headers: Vec<Header>,
    /// Response headers in line order.
    pub response_headers: Vec<Header>,
    /// `traceID`.
    pub trace_id: Option<Shared>,
    /// `spanID`.
    pub span_id: Option<Shared>,
    /// BuildKit's span name (`resolving docker.io/library/alpine:latest`, v0.16+).
    pub span: Option<Shared>,
    /// Id of the server fingerprint that matched (`google-cloud-storage`).
    pub server: Option<Shared>,
    /// Why that fingerprint matched.
    pub server_why: Option<Shared>,
    /// The upstream named by `?ns=` (a mirror request).
    pub mirror_of: Option<Shared>,
    /// The `WWW-Authenticate` challenge of a 401.
    pub challenge: Option<Box<AuthChallenge>>,
    /// A transport or resolver error attached to this request.
    pub error: Option<Box<str>>,
    /// Highest level among its lines.
    pub level: Option<Level>,
    /// Every line number (1-based, in its source) the event was built from.
    pub lines: LineNumbers,
}

impl FetchEvent {
    /// True for 4xx/5xx or a transport error.
    pub fn failed(&self) -> bool {
        self.error.is_some() || self.status.is_some_and(|s| s >= 400)
    }

    /// Milliseconds from request to response.
    pub fn duration_ms(&self) -> Option<i64> {
        Some(self.started?.millis_until(self.finished?))
    }

    /// Bytes transferred, as far as the log says.
    pub fn bytes(&self) -> Option<u64> {
        self.size.or_else(|| {
            self.response_header("content-length")
                .and_then(|v| v.trim().parse().ok())
        })
    }

    /// First response header `name`.
    pub fn response_header(&self, name: &str) -> Option<&str> {
        self.response_headers
            .iter()
            .find(|h| &*h.name == name)
            .map(|h| h.value.as_str())
    }

    /// First request header `name`.
    pub fn request_header(&self, name: &str) -> Option<&str> {
        self.request_headers
            .iter()
            .find(|h| &*h.name == name)
            .map(|h| h.value.as_str())
    }

    /// The host to show: the contacted host, else `unknown`.
    pub fn host_or_unknown(&self) -> &str {
        self.host.as_deref().unwrap_or("unknown")
    }

    /// Fills the request side from a `do request` entry.
    pub(super) fn set_request(
        &mut self,
        e: &Entry<'_>,
        scrub: Scrub<'_>,
        only: Option<&HeaderFilter>,
        names: &mut Interner,
    ) {
        self.method = names.opt(note::get(e, note::METHOD, "request.method"));
        self.started = e.timestamp();
        headers_into(e, Side::Request, scrub, only, &mut self.request_headers);
        self.apply_context(e, scrub, names);
        if self.kind == ObjectKind::Unknown
            && let Some(accept) = self.request_header("accept")
        {
            self.kind = kind_from_accept(accept);
        }
    }

    /// Fills the response side from a `fetch response received` entry.
    pub(super) fn set_response(
        &mut self,
        e: &Entry<'_>,
        scrub: Scrub<'_>,
        only: Option<&HeaderFilter>,
        names: &mut Interner,
    ) {
        self.finished = e.timestamp();
        // containerd ≥1.4: `response.status`; 1.2/1.3: `status` with `response.headers` as a map.
        if let Some(st) = note::get(e, note::RESPONSE_STATUS, "response.status")
            .or_else(|| note::get(e, note::STATUS, "status"))
        {
            self.status_text = Some(names.get(st));
            self.status = st.split(' ').next().and_then(|c| c.parse().ok());
        }
        headers_into(e, Side::Response, scrub, only, &mut self.response_headers);
        self.apply_context(e, scrub, names);
    }

    /// Fields containerd and BuildKit add from the context: url, host, digest, span ids.
    pub(super) fn apply_context(&mut self, e: &Entry<'_>, scrub: Scrub<'_>, names: &mut Interner) {
        let keep = |v: &str| scrub.text(v).into_owned();
        let c = Context::of(e);
        if self.url.is_none()
            && let Some(url) = c.url
        {
            if let Some(parts) = split_url(url) {
                self.host.get_or_insert_with(|| names.get(parts.host));
                let (repo, kind) = classify_path(parts.path);
                if self.repository.is_none() {
                    self.repository = names.opt(repo);
                }
                if kind != ObjectKind::Unknown {
                    self.kind = kind;
                }
                if let Some(ns) = query_param(parts.query, "ns") {
                    self.mirror_of = Some(names.get(ns));
                }
                if self.kind == ObjectKind::Blob || self.kind == ObjectKind::Manifest {
                    let last = parts.path.rsplit('/').next().unwrap_or("");
                    if last.starts_with("sha256:") {
                        self.digest.get_or_insert_with(|| last.into());
                    }
                }
            }
            self.url = Some(keep(url).into_boxed_str());
        }
        if self.host.is_none()
            && let Some(h) = c.host
        {
            self.host = Some(names.get(h));
        }
        if let Some(d) = c.digest {
            self.digest.get_or_insert_with(|| d.into());
        }
        if let Some(m) = c.mediatype {
            self.media_type.get_or_insert_with(|| names.get(m));
        }
        if let Some(s) = c.size.and_then(|s| s.parse().ok()) {
            self.size.get_or_insert(s);
        }
        for (slot, value) in [
            (&mut self.trace_id, c.trace_id),
            (&mut self.span_id, c.span_id),
            (&mut self.span, c.span),
        ] {
            if slot.is_none()
                && let Some(v) = value
            {
                *slot = Some(names.get(v));
            }
        }
        if self.registry.is_none() {
            self.registry = self
                .mirror_of
                .clone()
                .or_else(|| span_ref(self.span.as_deref()).map(|r| names.get(registry_of_ref(r))));
        }
        self.level = self.level.max(e.level);
    }
}

/// The context fields of an entry, the first of each as [`Entry::get`] finds it, in one pass.
#[derive(Default)]
struct Context<'e> {
    url: Option<&'e str>,
    host: Option<&'e str>,
    digest: Option<&'e str>,
    mediatype: Option<&'e str>,
    size: Option<&'e str>,
    trace_id: Option<&'e str>,
    span_id: Option<&'e str>,
    span: Option<&'e str>,
}

impl<'e> Context<'e> {
    fn of(e: &'e Entry<'_>) -> Self {
        let mut c = Context::default();
        for f in &e.fields {
            let slot = match note::named(f.note, &f.key) {
                note::URL => &mut c.url,
                note::HOST => &mut c.host,
                note::DIGEST => &mut c.digest,
                note::MEDIATYPE => &mut c.mediatype,
                note::SIZE => &mut c.size,
                note::TRACE_ID => &mut c.trace_id,
                note::SPAN_ID => &mut c.span_id,
                note::SPAN => &mut c.span,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(f.value.as_ref());
            }
        }
        c
    }
}

/// The image ref of a BuildKit span name (`resolving docker.io/library/alpine:latest`).
pub fn span_ref(span: Option<&str>) -> Option<&str> {
    let s = span?;
    let r = s
        .strip_prefix("resolving ")
        .or_else(|| s.strip_prefix("pulling "))?;
    Some(r.trim())
}

/// A set of header names, ASCII case-insensitive, checked with a few integer compares: only
/// names of the same length are compared, on their first 8 bytes first.
#[derive(Debug, Clone)]
pub(super) struct HeaderFilter {
    /// Lowercase, shared with every [`Header`] kept under them.
    names: Vec<Shared>,
    /// The same names, compared by [`HeaderFilter::find`]: one pointer away, where a
    /// [`Shared`] is two (a lookup for every header field of every registry line).
    texts: Vec<Box<str>>,
    /// By name length (longer names in the last bucket): first 8 bytes lowercased, index.
    by_len: Vec<Vec<(u64, usize)>>,
    /// Per name: kept without its value (read only for being there).
    pub(super) bare: Vec<bool>,
}

impl HeaderFilter {
    const LONG: usize = 64;

    pub fn new(names: impl IntoIterator<Item = String>) -> Self {
        let names: Vec<Shared> = names
            .into_iter()
            .map(|n| Shared::from(n.to_ascii_lowercase()))
            .collect();
        let mut by_len = vec![Vec::new(); Self::LONG + 1];
        for (i, n) in names.iter().enumerate() {
            by_len[n.len().min(Self::LONG)].push((prefix_key(n), i));
        }
        let bare = vec![false; names.len()];
        let texts = names.iter().map(|n| Box::from(&**n)).collect();
        HeaderFilter {
            names,
            texts,
            by_len,
            bare,
        }
    }

    /// The same filter, keeping the headers named in `bare` without their values.
    pub fn without_values(mut self, bare: impl IntoIterator<Item = String>) -> Self {
        for name in bare {
            if let Some(i) = self.find(&name)
                && let Some(b) = self.bare.get_mut(i)
            {
                *b = true;
            }
        }
        self
    }

    /// For a per-header field (`response.header.x-goog-hash.1`): `Some` of the index of its
    /// header in this filter, `Some(None)` when the filter leaves it out ([`headers`] with this
    /// filter never reads it). `None` for any other field.
    pub(super) fn field_header(&self, key: &str) -> Option<(Side, Option<usize>)> {
        let (side, name) = if let Some(name) = key.strip_prefix(Side::Request.prefix()) {
            (Side::Request, name)
        } else {
            (Side::Response, key.strip_prefix(Side::Response.prefix())?)
        };
        Some((side, self.find(header_name(name))))
    }

    /// True when header `i` is kept without its value.
    pub(super) fn is_bare(&self, i: usize) -> bool {
        self.bare.get(i) == Some(&true)
    }

    pub(super) fn find(&self, name: &str) -> Option<usize> {
        let bucket = self.by_len.get(name.len().min(Self::LONG))?;
        if bucket.is_empty() {
            return None;
        }
        let k = prefix_key(name);
        // Up to 8 bytes the key is the whole name, lowercased: equal keys in a bucket of one
        // length are equal names. Past 8 bytes the rest is compared too, bytes first (logged
        // names are lowercase, like the filter's).
        let rest = name.as_bytes().get(8..).unwrap_or(&[]);
        bucket.iter().find_map(|&(key, i)| {
            (key == k
                && self.texts.get(i).is_some_and(|w| {
                    let w = w.as_bytes().get(8..).unwrap_or(&[]);
                    w == rest || w.eq_ignore_ascii_case(rest)
                }))
            .then_some(i)
        })
    }

    /// The header kept under name `i` of this filter: the shared name, and the value unless
    /// the name is kept bare (read only for being there: neither checked for secrets nor
    /// copied).
    fn header(&self, i: usize, value: &str, scrub: Scrub<'_>) -> Option<Header> {
        let name = self.names.get(i)?;
        if self.bare.get(i) == Some(&true) {
            return Some(Header {
                name: Shared::clone(name),
                value: String::new(),
            });
        }
        Some(Header {
            name: Shared::clone(name),
            value: scrub.header_value(name, value).into_owned(),
        })
    }

    /// [`HeaderFilter::header`] written over `slot`, reusing its value's buffer; false (slot
    /// untouched) when `i` is not a name of this filter.
    fn header_into(&self, i: usize, value: &str, scrub: Scrub<'_>, slot: &mut Header) -> bool {
        let Some(name) = self.names.get(i) else {
            return false;
        };
        if !Shared::ptr_eq(&slot.name, name) {
            slot.name = Shared::clone(name);
        }
        slot.value.clear();
        if self.bare.get(i) != Some(&true) {
            slot.value.push_str(&scrub.header_value(name, value));
        }
        true
    }
}

/// The first 8 bytes of a name, ASCII-lowercased, as one word (zero-padded).
fn prefix_key(name: &str) -> u64 {
    let b = name.as_bytes();
    let mut k = [0u8; 8];
    let n = b.len().min(8);
    k[..n].copy_from_slice(&b[..n]);
    ascii_lowercase_word(u64::from_le_bytes(k))
}

/// Every byte of `x` in `A..=Z` made lowercase, the others left as they are: eight bytes at
/// once (a loop of `to_ascii_lowercase` was most of a filter lookup).
fn ascii_lowercase_word(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Each byte's low seven bits plus a bias sets its high bit when they are at least `A`
    // (or more than `Z`); the biased sums stay below 0x100, so no byte carries into the next.
    let low = x & !HIGH;
    let at_least_a = low + ONES * (0x80 - u64::from(b'A'));
    let above_z = low + ONES * (0x80 - u64::from(b'Z') - 1);
    // ASCII (high bit clear) and within A..=Z: add 0x20.
    let upper = at_least_a & !above_z & !x & HIGH;
    x | (upper >> 2)
}

/// Headers from per-header fields (`request.header.accept`, `.1` repeats) or, in containerd < 1.4,
/// one Go map field (`request.headers="map[Accept:[…] Authorization:[Bearer …]]"`). With `only`,
/// just the headers it names, in line order.
pub(super) fn headers(
    e: &Entry<'_>,
    side: Side,
    scrub: Scrub<'_>,
    only: Option<&HeaderFilter>,
) -> Vec<Header> {
    let mut out = Vec::new();
    headers_into(e, side, scrub, only, &mut out);
    out
}

/// [`headers`] written into `out`, whose headers are overwritten in place: a lean model hands
/// back the lists of completed events (`Model::spare_headers`), so a kept header costs no
/// allocation once the lists have grown to the log's headers.
pub(super) fn headers_into(
    e: &Entry<'_>,
    side: Side,
    scrub: Scrub<'_>,
    only: Option<&HeaderFilter>,
    out: &mut Vec<Header>,
) {
    let prefix = side.prefix();
    // The header as kept, when the filter keeps it.
    let keep = |name: &str, value: &str| match only {
        None => Some(header(name, value, scrub)),
        Some(o) => o.find(name).and_then(|i| o.header(i, value, scrub)),
    };
    match only {
        None => {
            out.clear();
            for f in &e.fields {
                if let Some(name) = f.key.strip_prefix(prefix).map(header_name) {
                    out.push(header(name, &f.value, scrub));
                }
            }
        }
        Some(o) => {
            let mut n = 0;
            for f in &e.fields {
                // The reader noted which header a field is (model/note.rs); an unnoted field
                // is looked up by name.
                let found = match note::as_header(f.note, side) {
                    AsHeader::Kept(i) => Some(i),
                    AsHeader::Not => None,
                    AsHeader::Unknown => f
                        .key
                        .strip_prefix(prefix)
                        .map(header_name)
                        .and_then(|name| o.find(name)),
                };
                let Some(i) = found else {
                    continue;
                };
                match out.get_mut(n) {
                    Some(slot) => n += usize::from(o.header_into(i, &f.value, scrub, slot)),
                    None => {
                        if let Some(h) = o.header(i, &f.value, scrub) {
                            out.push(h);
                            n += 1;
                        }
                    }
                }
            }
            out.truncate(n);
        }
    }
    if out.is_empty()
        && let Some(map) = e.get(side.map_key())
    {
        out.extend(
            parse_go_header_map(map)
                .into_iter()
                .filter_map(|(k, v)| keep(&k, &v)),
        );
    }
}

/// The header a field names after its `request.header.` or `response.header.` prefix:
/// `x-goog-hash.1` is the second `x-goog-hash`.
fn header_name(name: &str) -> &str {
    // Only names ending in a digit or a dot can carry such a suffix, so the others skip the
    // search for the dot.
    match name.as_bytes().last() {
        Some(b'0'..=b'9' | b'.') => match name.rsplit_once('.') {
            Some((base, n)) if n.bytes().all(|b| b.is_ascii_digit()) => base,
            _ => name,
        },
        _ => name,
    }
}

fn header(name: &str, value: &str, scrub: Scrub<'_>) -> Header {
    let name = name.to_ascii_lowercase();
    let value = scrub.header_value(&name, value).into_owned();
    Header {
        name: Shared::from(name),
        value,
    }
}

/// Parses Go's `fmt` of an `http.Header`: `map[Accept:[a, b] User-Agent:[c]]`.
pub fn parse_go_header_map(s: &str) -> Vec<(String, String)> {
    let Some(inner) = s.strip_prefix("map[").and_then(|r| r.strip_suffix(']')) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut rest = inner;
    while let Some(colon) = rest.find(":[") {
        let name = rest[..colon].trim();
        let after = &rest[colon + 2..];
        let close = after
            .find("] ")
            .or_else(|| after.rfind(']'))
            .unwrap_or(after.len());
        out.push((name.to_owned(), after[..close].to_owned()));
        rest = after.get(close + 1..).unwrap_or("");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_header_maps() {
        let h = parse_go_header_map(
            "map[Accept:[application/vnd.docker.distribution.manifest.v2+json, */*] Authorization:[Bearer abc] User-Agent:[docker/18.09]]",
        );
        assert_eq!(h.len(), 3);
        assert_eq!(h[1], ("Authorization".into(), "Bearer abc".into()));
        assert!(parse_go_header_map("garbage").is_empty());
        assert!(parse_go_header_map("map[x:[").len() <= 1);
    }

    #[test]
    fn a_filter_leaves_out_the_fields_of_other_headers() {
        let only = HeaderFilter::new(["x-goog-hash".to_owned(), "accept".to_owned()]);
        for kept in [
            "response.header.x-goog-hash",
            "response.header.x-goog-hash.1",
            "request.header.Accept",
            "url",
            "response.status",
            "request.headers",
            "header",
        ] {
            assert_ne!(only.field_header(kept).map(|h| h.1), Some(None), "{kept}");
        }
        for dropped in [
            "response.header.etag",
            "response.header.x-goog-hash-other",
            "request.header.user-agent",
            "request.header.accept.x",
        ] {
            assert_eq!(
                only.field_header(dropped).map(|h| h.1),
                Some(None),
                "{dropped}"
            );
        }
    }

    #[test]
    fn bare_headers_are_kept_without_their_values() {
        let line = r#"time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" response.header.x-goog-hash=crc32c=AAA response.header.server=UploadServer response.header.www-authenticate="Bearer realm=\"https://a/token?token=hunter2\"" response.header.etag=x"#;
        let rec = crate::parse::parse_line(line);
        let e = rec.entry().unwrap();
        let only =
            HeaderFilter::new(["x-goog-hash", "server", "www-authenticate"].map(str::to_owned))
                .without_values(["x-goog-hash".to_owned()]);
        let kept = headers(e, Side::Response, Scrub::new(true), Some(&only));
        let pairs: Vec<(&str, &str)> = kept.iter().map(|h| (&*h.name, h.value.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("x-goog-hash", ""),
                ("server", "UploadServer"),
                (
                    "www-authenticate",
                    "Bearer realm=\"https://a/token?token=REDACTED\""
                ),
            ]
        );
    }

    /// Every kept header comes out, in line order, with the filter's shared lowercase name;
    /// the unfiltered list keeps them all too.
    #[test]
    fn many_kept_headers_come_out_in_line_order_with_shared_names() {
        let mut line =
            r#"time="2024-01-01T00:00:00Z" level=debug msg="fetch response received""#.to_owned();
        for i in 0..40 {
            line.push_str(&format!(" response.header.X-H{}=v{i}", i % 20));
            line.push_str(&format!(" response.header.skip{i}=s"));
        }
        let rec = crate::parse::parse_line(&line);
        let e = rec.entry().unwrap();
        let only = HeaderFilter::new((0..20).map(|i| format!("x-h{i}")));
        let kept = headers(e, Side::Response, Scrub::new(true), Some(&only));
        let pairs: Vec<(String, String)> = kept
            .iter()
            .map(|h| (h.name.to_string(), h.value.clone()))
            .collect();
        let want: Vec<(String, String)> = (0..40)
            .map(|i| (format!("x-h{}", i % 20), format!("v{i}")))
            .collect();
        assert_eq!(pairs, want);
        for h in &kept {
            let i = only.find(&h.name).unwrap();
            assert!(Shared::ptr_eq(&h.name, &only.names[i]));
        }
        let all = headers(e, Side::Response, Scrub::new(true), None);
        assert_eq!(all.len(), 80);
        assert_eq!(&*all[0].name, "x-h0");
    }

    /// A list written over (a lean model's spare list) holds exactly what a new one would:
    /// longer, shorter and bare-valued lists alike, in whatever order they come.
    #[test]
    fn headers_written_over_a_used_list_equal_a_new_list() {
        let only = HeaderFilter::new(
            [
                "content-length",
                "server",
                "x-goog-hash",
                "www-authenticate",
            ]
            .map(str::to_owned),
        )
        .without_values(["server".to_owned()]);
        let lines = [
            r#"time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" response.header.content-length=10 response.header.server=UploadServer response.header.x-goog-hash=crc32c=AAA response.header.x-goog-hash.1=md5=BBB"#,
            r#"time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" response.header.www-authenticate="Bearer realm=\"https://a/token?token=hunter2\"""#,
            r#"time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" response.header.server=nginx response.header.content-length=3"#,
            r#"time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" response.status="200 OK""#,
            r#"time="2024-01-01T00:00:00Z" level=debug msg="fetch response received" response.header.x-goog-hash=crc32c=CCC response.header.server=x response.header.content-length=99999 response.header.www-authenticate=Basic"#,
        ];
        let mut used = Vec::new();
        for round in 0..2 {
            for line in lines {
                let rec = crate::parse::parse_line(line);
                let e = rec.entry().unwrap();
                let new = headers(e, Side::Response, Scrub::new(true), Some(&only));
                headers_into(e, Side::Response, Scrub::new(true), Some(&only), &mut used);
                assert_eq!(used, new, "round {round}: {line}");
            }
        }
        assert!(used.capacity() >= 4, "the list kept its room");
    }

    /// The word-wide lowercase equals `to_ascii_lowercase` on every byte value in every place.
    #[test]
    fn lowercase_word_equals_the_byte_loop() {
        for c in 0..=255u8 {
            for at in 0..8 {
                let mut b = *b"aZ-9\xe9Q_z";
                b[at] = c;
                let want = u64::from_le_bytes(b.map(|x| x.to_ascii_lowercase()));
                assert_eq!(
                    ascii_lowercase_word(u64::from_le_bytes(b)),
                    want,
                    "{c:#x} at {at}"
                );
            }
        }
    }

    proptest::proptest! {
        /// A lookup finds what comparing every name ignoring ASCII case finds.
        #[test]
        fn find_equals_a_scan_ignoring_case(
            names in proptest::collection::vec("[a-zA-Z0-9-]{0,12}|x-[a-z]{60,70}", 1..12),
            probe in "[a-zA-Z0-9-]{0,12}|X-[a-zA-Z]{60,70}",
            pick in proptest::prelude::any::<proptest::sample::Index>(),
        ) {
            let lower: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
            let mut unique = lower.clone();
            unique.sort();
            unique.dedup();
            let filter = HeaderFilter::new(unique.clone());
            let scan = |p: &str| unique.iter().position(|n| n.eq_ignore_ascii_case(p));
            proptest::prop_assert_eq!(filter.find(&probe), scan(&probe));
            let known = &names[pick.index(names.len())];
            proptest::prop_assert_eq!(filter.find(known), scan(known));
            proptest::prop_assert!(filter.find(known).is_some());
        }
    }

    #[test]
    fn span_refs() {
        assert_eq!(
            span_ref(Some("resolving docker.io/library/alpine:latest")),
            Some("docker.io/library/alpine:latest")
        );
        assert_eq!(span_ref(Some("other")), None);
    }
}
