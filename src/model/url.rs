//! What a registry URL says: host, repository, object kind, the mirror's `ns=` parameter.
//!
//! Pure string work on the `url` field containerd logs (`scheme://host/path?query`).

use std::borrow::Cow;
use std::sync::LazyLock;

use memchr::memmem;
use serde::Serialize;

/// What a request fetched, from its path (or its `Accept` header when the log has no url).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ObjectKind {
    /// `GET /v2/`: the API version check.
    Ping,
    /// `/v2/<repo>/manifests/<ref>`.
    Manifest,
    /// `/v2/<repo>/blobs/<digest>` (config and layers).
    Blob,
    /// A token endpoint (`/token`, `/oauth2/token`, `/service/token`).
    Token,
    /// The log does not say.
    #[default]
    Unknown,
}

impl ObjectKind {
    /// The lowercase word used in tables and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Ping => "ping",
            ObjectKind::Manifest => "manifest",
            ObjectKind::Blob => "blob",
            ObjectKind::Token => "token",
            ObjectKind::Unknown => "unknown",
        }
    }
}

/// The parts of a registry URL bkscope cares about.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UrlParts<'a> {
    /// `host[:port]`, without userinfo.
    pub host: &'a str,
    /// The path, from the first `/`.
    pub path: &'a str,
    /// The query, without `?`.
    pub query: &'a str,
}

/// Splits `scheme://[user@]host/path?query`; `None` when there is no `://`.
///
/// Byte searches only (every separator is ASCII): the model splits the url of every request
/// and response, and `str::find` with a string needle sets up a two-way searcher each time.
pub fn split_url(url: &str) -> Option<UrlParts<'_>> {
    let b = url.as_bytes();
    let sep = memchr::memchr_iter(b':', b).find(|&i| b.get(i + 1..i + 3) == Some(b"//"))?;
    let rest = url.get(sep + 3..)?;
    let path_start = rest
        .bytes()
        .position(|c| matches!(c, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let (authority, tail) = rest.split_at_checked(path_start)?;
    let host = match memchr::memrchr(b'@', authority.as_bytes()) {
        Some(i) => authority.get(i + 1..)?,
        None => authority,
    };
    let tail = match memchr::memchr(b'#', tail.as_bytes()) {
        Some(i) => tail.get(..i)?,
        None => tail,
    };
    let (path, query) = match memchr::memchr(b'?', tail.as_bytes()) {
        Some(i) => (tail.get(..i)?, tail.get(i + 1..)?),
        None => (tail, ""),
    };
    Some(UrlParts { host, path, query })
}

/// The value of query parameter `name`, as written (still escaped: see [`query_unescape`]).
pub fn query_param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A query value as Go's `url.QueryUnescape` reads it: `%XX` is the byte XX and `+` a space.
/// containerd writes `?ns=` with `url.Values.Encode`, so an upstream with a port comes as
/// `ns=registry.corp%3A5000`. An escape that is not two hex digits stays as it is; bytes that
/// do not make UTF-8 become U+FFFD. Borrows when there is nothing to undo (`ns=docker.io`).
pub fn query_unescape(value: &str) -> Cow<'_, str> {
    if !value.bytes().any(|b| b == b'%' || b == b'+') {
        return Cow::Borrowed(value);
    }
    let b = value.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let hex = |at: usize| b.get(at).and_then(|d| char::from(*d).to_digit(16));
        match (c, hex(i + 1), hex(i + 2)) {
            (b'%', Some(hi), Some(lo)) => {
                // Two hex digits: at most 0xff.
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// Repository and object kind from a `/v2/...` path.
pub fn classify_path(path: &str) -> (Option<&str>, ObjectKind) {
    let find = &*SEARCHES;
    let b = path.as_bytes();
    if path.ends_with("/token")
        || find.oauth2_token.find(b).is_some()
        || find.service_token.find(b).is_some()
    {
        return (None, ObjectKind::Token);
    }
    let Some(rest) = path.strip_prefix("/v2/") else {
        return (None, ObjectKind::Unknown);
    };
    if rest.is_empty() {
        return (None, ObjectKind::Ping);
    }
    // The last occurrence of each marker starts at one of the few `/` of the path: looking at
    // those from the end is cheaper than a reverse substring search (Two-Way, no SIMD).
    for (marker, kind) in [
        ("/manifests/", ObjectKind::Manifest),
        ("/blobs/", ObjectKind::Blob),
    ] {
        let rb = rest.as_bytes();
        if let Some(i) =
            memchr::memrchr_iter(b'/', rb).find(|&i| rb[i..].starts_with(marker.as_bytes()))
        {
            return (rest.get(..i), kind);
        }
    }
    (None, ObjectKind::Unknown)
}

/// Object kind from an `Accept` header, for logs without a url (BuildKit ≥ v0.16 inside spans).
///
/// A client sends the same few `Accept` values over and over (one for manifests, one for the
/// image config, one for layers): the last four values seen on this thread are
/// remembered with their kind, and a value equal to one of them is answered without the six
/// substring searches (about 350 instructions a request).
pub fn kind_from_accept(accept: &str) -> ObjectKind {
    if accept.len() > ACCEPT_MEMO_LEN {
        return kind_from_accept_searched(accept);
    }
    let known = ACCEPTS.with(|m| {
        let m = m.try_borrow().ok()?;
        m.iter().find(|(a, _)| a == accept).map(|&(_, k)| k)
    });
    if let Some(kind) = known {
        return kind;
    }
    let kind = kind_from_accept_searched(accept);
    ACCEPTS.with(|m| {
        if let Ok(mut m) = m.try_borrow_mut() {
            if m.len() >= ACCEPT_MEMO {
                m.remove(0);
            }
            m.push((accept.to_owned(), kind));
        }
    });
    kind
}

/// `Accept` values [`kind_from_accept`] remembers per thread, and the longest it remembers.
const ACCEPT_MEMO: usize = 4;
const ACCEPT_MEMO_LEN: usize = 512;

thread_local! {
    static ACCEPTS: std::cell::RefCell<Vec<(String, ObjectKind)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// [`kind_from_accept`] by searching the value.
fn kind_from_accept_searched(accept: &str) -> ObjectKind {
    let find = &*SEARCHES;
    let b = accept.as_bytes();
    if find.blob_accept.iter().any(|f| f.find(b).is_some()) {
        ObjectKind::Blob
    } else if find.manifest_accept.iter().any(|f| f.find(b).is_some()) {
        ObjectKind::Manifest
    } else {
        ObjectKind::Unknown
    }
}

/// The substrings [`classify_path`] and [`kind_from_accept`] look for, each searcher built once:
/// `str::contains` and `rfind` with a string needle set one up on every call, which cost more
/// than the search itself on a url or an `Accept` value (a few thousand instructions per
/// request).
struct Searches {
    oauth2_token: memmem::Finder<'static>,
    service_token: memmem::Finder<'static>,
    blob_accept: [memmem::Finder<'static>; 4],
    manifest_accept: [memmem::Finder<'static>; 2],
}

static SEARCHES: LazyLock<Searches> = LazyLock::new(|| Searches {
    oauth2_token: memmem::Finder::new("/oauth2/token"),
    service_token: memmem::Finder::new("/service/token"),
    blob_accept: [
        "rootfs.diff",
        "layer.v1",
        "container.image.v1+json",
        "image.config.v1",
    ]
    .map(memmem::Finder::new),
    manifest_accept: ["manifest", "image.index"].map(memmem::Finder::new),
});

/// The registry's canonical name: Docker Hub's hosts all become `docker.io`.
pub fn canonical_registry(host: &str) -> &str {
    match host {
        "registry-1.docker.io" | "index.docker.io" | "registry.hub.docker.com" | "docker.io" => {
            "docker.io"
        }
        h => h,
    }
}

/// A registry host as the mirror verdicts key it: lowercased (host names are case-insensitive;
/// containerd writes a host as the configuration spelled it) and Docker Hub's hosts as
/// `docker.io`. Borrowed when already so.
pub fn registry_key(host: &str) -> Cow<'_, str> {
    match mirror_key(host) {
        Cow::Borrowed(h) => Cow::Borrowed(canonical_registry(h)),
        Cow::Owned(h) => Cow::Owned(canonical_registry(&h).to_owned()),
    }
}

/// A mirror host as the verdicts key it: lowercased, borrowed when it is already.
pub fn mirror_key(host: &str) -> Cow<'_, str> {
    if host.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(host.to_ascii_lowercase())
    } else {
        Cow::Borrowed(host)
    }
}

/// The host part of a mirror entry as buildkitd.toml or daemon.json writes it
/// (`https://m.example/proxy`, `m:5000`), without the credentials a URL may carry
/// (`http://user:password@m:5000`): they name no host, and nothing prints them.
pub fn mirror_host(entry: &str) -> &str {
    let no_scheme = entry.split_once("://").map_or(entry, |(_, r)| r);
    let authority = no_scheme.split('/').next().unwrap_or(no_scheme);
    authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host)
}

/// The path part of a mirror entry (`core.harbor.domain/proxy.docker.io` →
/// `["proxy.docker.io"]`), as its segments without empty ones (Go's `path.Join` drops them);
/// empty for a bare host. No query or fragment.
pub fn mirror_path_segments(entry: &str) -> Vec<&str> {
    let no_scheme = entry.split_once("://").map_or(entry, |(_, r)| r);
    let Some((_, path)) = no_scheme.split_once('/') else {
        return Vec::new();
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect()
}

/// What one request for an object shares with the same request sent to another host: its
/// url's path below the registry API's base. containerd builds a request's path as
/// `<host's base>/<repository>/manifests/<ref>`, where the base is `/v2` for a registry and
/// for a plain mirror, and longer for a mirror configured with a path
/// ([`MirrorConfig::object_path`](super::mirror::MirrorConfig::object_path) takes it off).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ObjectPath<'a> {
    /// Below the API base, from its `/` (`/library/node/manifests/20`); the whole path when
    /// `api` is false.
    pub rest: &'a str,
    /// The path was below an API base (`/v2/…`): not a token endpoint or another path.
    pub api: bool,
}

impl<'a> ObjectPath<'a> {
    /// A path under the plain `/v2` base, or else the path as it is.
    pub fn plain(path: &'a str) -> Self {
        match path.strip_prefix("/v2") {
            Some(rest) if rest.starts_with('/') => ObjectPath { rest, api: true },
            _ => ObjectPath {
                rest: path,
                api: false,
            },
        }
    }
}

/// The registry of an image reference (`docker.io/library/alpine:latest`, `alpine`, `ghcr.io/o/r`).
pub fn registry_of_ref(reference: &str) -> &str {
    match reference.split_once('/') {
        Some((first, _)) if first.contains('.') || first.contains(':') || first == "localhost" => {
            first
        }
        _ => "docker.io",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The version `split_url` replaced, to check it against.
    fn split_url_reference(url: &str) -> Option<UrlParts<'_>> {
        let rest = &url[url.find("://")? + 3..];
        let path_start = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..path_start];
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let tail = &rest[path_start..];
        let tail = tail.split('#').next().unwrap_or("");
        let (path, query) = tail.split_once('?').unwrap_or((tail, ""));
        Some(UrlParts { host, path, query })
    }

    /// The `str`-method versions `classify_path` and `kind_from_accept` replaced.
    fn classify_path_reference(path: &str) -> (Option<&str>, ObjectKind) {
        if path.ends_with("/token")
            || path.contains("/oauth2/token")
            || path.contains("/service/token")
        {
            return (None, ObjectKind::Token);
        }
        let Some(rest) = path.strip_prefix("/v2/") else {
            return (None, ObjectKind::Unknown);
        };
        if rest.is_empty() {
            return (None, ObjectKind::Ping);
        }
        for (marker, kind) in [
            ("/manifests/", ObjectKind::Manifest),
            ("/blobs/", ObjectKind::Blob),
        ] {
            if let Some(i) = rest.rfind(marker) {
                return (rest.get(..i), kind);
            }
        }
        (None, ObjectKind::Unknown)
    }

    fn kind_from_accept_reference(accept: &str) -> ObjectKind {
        if [
            "rootfs.diff",
            "layer.v1",
            "container.image.v1+json",
            "image.config.v1",
        ]
        .iter()
        .any(|n| accept.contains(n))
        {
            ObjectKind::Blob
        } else if accept.contains("manifest") || accept.contains("image.index") {
            ObjectKind::Manifest
        } else {
            ObjectKind::Unknown
        }
    }

    proptest! {
        #[test]
        fn classify_path_matches_the_reference(
            path in "(/v2/)?([a-z0-9é]{0,4}|/manifests/|/blobs/|/oauth2/token|/service/token|/token|/){0,6}"
        ) {
            prop_assert_eq!(classify_path(&path), classify_path_reference(&path));
        }

        #[test]
        fn kind_from_accept_matches_the_reference(
            accept in "(application/vnd[.a-z]{0,3}|rootfs.diff|layer.v1|container.image.v1[+]json|image.config.v1|manifest|image.index|, |é)*"
        ) {
            prop_assert_eq!(kind_from_accept(&accept), kind_from_accept_reference(&accept));
        }

        #[test]
        fn split_url_matches_the_reference(
            url in "[a-z:/@?#&=.é0-9]{0,40}|https?://[a-z@:.0-9]{0,12}(/[a-z0-9:]{0,6}){0,3}([?][a-z=&]{0,8})?(#[a-z?]{0,4})?"
        ) {
            prop_assert_eq!(split_url(&url), split_url_reference(&url));
        }
    }

    #[test]
    fn splits_registry_urls() {
        let u = split_url(
            "http://user:pw@127.0.0.1:5001/v2/library/alpine/manifests/latest?ns=docker.io",
        )
        .unwrap();
        assert_eq!(u.host, "127.0.0.1:5001");
        assert_eq!(u.path, "/v2/library/alpine/manifests/latest");
        assert_eq!(query_param(u.query, "ns"), Some("docker.io"));
        assert_eq!(split_url("no scheme"), None);
        assert_eq!(split_url("https://ghcr.io").unwrap().path, "");
    }

    /// `?ns=` as containerd writes it (`url.Values.Encode`): a port's colon is `%3A`.
    #[test]
    fn query_values_are_unescaped_as_go_does() {
        assert!(matches!(
            query_unescape("docker.io"),
            Cow::Borrowed("docker.io")
        ));
        assert_eq!(query_unescape("registry.corp%3A5000"), "registry.corp:5000");
        assert_eq!(query_unescape("%5B%3A%3A1%5D%3a5000"), "[::1]:5000");
        assert_eq!(query_unescape("a+b"), "a b");
        // Not an escape: left as written.
        assert_eq!(query_unescape("50%"), "50%");
        assert_eq!(query_unescape("%zz%4"), "%zz%4");
        // Bytes that are not UTF-8.
        assert_eq!(query_unescape("%ff"), "\u{fffd}");
    }

    #[test]
    fn classifies_paths() {
        assert_eq!(classify_path("/v2/"), (None, ObjectKind::Ping));
        assert_eq!(
            classify_path("/v2/library/alpine/manifests/sha256:ab"),
            (Some("library/alpine"), ObjectKind::Manifest)
        );
        assert_eq!(
            classify_path("/v2/a/b/c/blobs/sha256:cd"),
            (Some("a/b/c"), ObjectKind::Blob)
        );
        assert_eq!(classify_path("/token").1, ObjectKind::Token);
        assert_eq!(classify_path("/other").1, ObjectKind::Unknown);
    }

    #[test]
    fn names_registries() {
        assert_eq!(canonical_registry("registry-1.docker.io"), "docker.io");
        assert_eq!(
            mirror_host("https://core.harbor.domain/proxy.docker.io"),
            "core.harbor.domain"
        );
        assert_eq!(
            mirror_host("yourmirror.local:5000"),
            "yourmirror.local:5000"
        );
        assert_eq!(
            mirror_host("http://user:pass@word@127.0.0.1:5001/x"),
            "127.0.0.1:5001"
        );
        assert_eq!(mirror_host("user:pw@m.example"), "m.example");
        assert_eq!(
            registry_of_ref("docker.io/library/alpine:latest"),
            "docker.io"
        );
        assert_eq!(registry_of_ref("alpine"), "docker.io");
        assert_eq!(registry_of_ref("ghcr.io/o/r:1"), "ghcr.io");
        assert_eq!(registry_of_ref("localhost:5000/x"), "localhost:5000");
        assert_eq!(
            kind_from_accept("application/vnd.docker.image.rootfs.diff.tar.gzip, */*"),
            ObjectKind::Blob
        );
        assert_eq!(
            kind_from_accept("application/vnd.docker.distribution.manifest.v2+json"),
            ObjectKind::Manifest
        );
    }

    /// The memo changes no answer: values seen in any order, more of them than it holds,
    /// repeated, each answered as a search answers it.
    #[test]
    fn remembered_accept_values_keep_their_kind() {
        let values = [
            "application/vnd.docker.distribution.manifest.v2+json, */*",
            "application/vnd.docker.container.image.v1+json, */*",
            "application/vnd.docker.image.rootfs.diff.tar.gzip, */*",
            "application/vnd.oci.image.index.v1+json",
            "*/*",
            "application/vnd.oci.image.layer.v1.tar+gzip",
            "text/plain",
        ];
        for round in 0..3 {
            for (i, v) in values.iter().enumerate() {
                for w in values.iter().skip(i).chain(values.iter().take(i)) {
                    assert_eq!(
                        kind_from_accept(w),
                        kind_from_accept_reference(w),
                        "{w}, {round}"
                    );
                }
                assert_eq!(kind_from_accept(v), kind_from_accept_reference(v), "{v}");
            }
        }
        let long = format!(
            "{}, application/vnd.oci.image.layer.v1.tar",
            "x".repeat(600)
        );
        assert_eq!(kind_from_accept(&long), ObjectKind::Blob);
    }
}
