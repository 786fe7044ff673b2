//! The built-in entries, compiled in so the binary works from any directory.
//!
//! One file per entry under `kb/entries/`; the id is the path without `.yaml`. A test walks the
//! directory, so a new file that is not listed here fails the build's tests.

use std::path::PathBuf;

/// (path under `kb/entries/`, file text), sorted by path.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "auth/access-denied.yaml",
        include_str!("../../kb/entries/auth/access-denied.yaml"),
    ),
    (
        "auth/anonymous-token-401.yaml",
        include_str!("../../kb/entries/auth/anonymous-token-401.yaml"),
    ),
    (
        "auth/basic-auth-401.yaml",
        include_str!("../../kb/entries/auth/basic-auth-401.yaml"),
    ),
    (
        "auth/credential-helper.yaml",
        include_str!("../../kb/entries/auth/credential-helper.yaml"),
    ),
    (
        "auth/oauth-token-401.yaml",
        include_str!("../../kb/entries/auth/oauth-token-401.yaml"),
    ),
    (
        "cache/azblob-auth.yaml",
        include_str!("../../kb/entries/cache/azblob-auth.yaml"),
    ),
    (
        "cache/gha-token.yaml",
        include_str!("../../kb/entries/cache/gha-token.yaml"),
    ),
    (
        "cache/registry-cache-auth.yaml",
        include_str!("../../kb/entries/cache/registry-cache-auth.yaml"),
    ),
    (
        "mirror/auth-required-fallback.yaml",
        include_str!("../../kb/entries/mirror/auth-required-fallback.yaml"),
    ),
    (
        "mirror/configured-never-used.yaml",
        include_str!("../../kb/entries/mirror/configured-never-used.yaml"),
    ),
    (
        "mirror/not-proxied-404.yaml",
        include_str!("../../kb/entries/mirror/not-proxied-404.yaml"),
    ),
    (
        "mirror/unreachable-fallback.yaml",
        include_str!("../../kb/entries/mirror/unreachable-fallback.yaml"),
    ),
    (
        "network/connection-refused.yaml",
        include_str!("../../kb/entries/network/connection-refused.yaml"),
    ),
    (
        "network/dns-lookup.yaml",
        include_str!("../../kb/entries/network/dns-lookup.yaml"),
    ),
    (
        "network/no-response.yaml",
        include_str!("../../kb/entries/network/no-response.yaml"),
    ),
    (
        "network/registry-connection-limit.yaml",
        include_str!("../../kb/entries/network/registry-connection-limit.yaml"),
    ),
    (
        "network/timeout.yaml",
        include_str!("../../kb/entries/network/timeout.yaml"),
    ),
    (
        "ratelimit/docker-hub-429.yaml",
        include_str!("../../kb/entries/ratelimit/docker-hub-429.yaml"),
    ),
    (
        "registry/blob-not-found.yaml",
        include_str!("../../kb/entries/registry/blob-not-found.yaml"),
    ),
    (
        "registry/manifest-not-found.yaml",
        include_str!("../../kb/entries/registry/manifest-not-found.yaml"),
    ),
    (
        "tls/http-response-to-https.yaml",
        include_str!("../../kb/entries/tls/http-response-to-https.yaml"),
    ),
    (
        "tls/x509-unknown-authority.yaml",
        include_str!("../../kb/entries/tls/x509-unknown-authority.yaml"),
    ),
];

/// The built-in files as (path, text), the path as it appears in error messages.
pub fn files() -> Vec<(PathBuf, String)> {
    BUILTIN
        .iter()
        .map(|(rel, text)| (PathBuf::from("kb/entries").join(rel), (*text).to_owned()))
        .collect()
}
