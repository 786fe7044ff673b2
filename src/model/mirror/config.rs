//! The configured mirrors: buildkitd.toml and dockerd's daemon.json read into [`MirrorConfig`],
//! with `LINE:COLUMN` errors, and the API base of a mirror configured with a path.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::url::{ObjectPath, mirror_host, mirror_path_segments, registry_key, split_url};

/// Mirrors configured in buildkitd.toml (`[registry."docker.io"] mirrors = [...]`) or dockerd's
/// daemon.json (`"registry-mirrors"`, which apply to docker.io).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MirrorConfig {
    /// Upstream registry → mirror hosts, in the configured order.
    pub mirrors: BTreeMap<String, Vec<String>>,
    /// Mirrors configured with a path (Harbor's proxy projects, `core.harbor.domain/proxy.docker.io`):
    /// the mirror's host and the API base its requests' paths start with instead of `/v2`
    /// (`/v2/proxy.docker.io`). See [`MirrorConfig::object_path`].
    pub bases: Vec<(String, String)>,
}

impl MirrorConfig {
    /// Reads buildkitd.toml text. The error is one line, `LINE:COLUMN: what is wrong`.
    pub fn from_buildkitd_toml(text: &str) -> Result<MirrorConfig, String> {
        let file: BuildkitdToml = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |s| line_column(text, s.start));
            format!("{line}:{column}: {}", one_line(e.message()))
        })?;
        let mut cfg = MirrorConfig::default();
        for (name, reg) in file.registry {
            let Some(list) = reg.mirrors else {
                continue;
            };
            let (line, column) = line_column(text, list.span().start);
            let wrong = || {
                format!(
                    "{line}:{column}: registry.\"{name}\".mirrors must be an array of strings, \
e.g. mirrors = [\"mirror.gcr.io\"]"
                )
            };
            let entries = list
                .get_ref()
                .as_array()
                .ok_or_else(wrong)?
                .iter()
                .map(|m| m.as_str().ok_or_else(wrong))
                .collect::<Result<Vec<_>, _>>()?;
            let hosts: Vec<String> = entries.iter().map(|s| config_host(s)).collect();
            for entry in entries {
                // BuildKit (util/resolver, v0.12+): `path.Join("/v2", <the entry's path>)`.
                let segments = mirror_path_segments(entry);
                if !segments.is_empty() {
                    cfg.add_base(&config_host(entry), format!("/v2/{}", segments.join("/")));
                }
            }
            if !hosts.is_empty() {
                cfg.mirrors.insert(registry_key(&name).into_owned(), hosts);
            }
        }
        Ok(cfg)
    }

    /// Reads dockerd's daemon.json (`registry-mirrors` apply to docker.io). The error is one
    /// line, `LINE:COLUMN: what is wrong`.
    pub fn from_daemon_json(text: &str) -> Result<MirrorConfig, String> {
        // serde would read `[…]` as the struct's fields in order; daemon.json is an object.
        if let Some((at, c)) = text.char_indices().find(|(_, c)| !c.is_whitespace())
            && c != '{'
        {
            let (line, column) = line_column(text, at);
            return Err(format!(
                "{line}:{column}: daemon.json must be a JSON object, e.g. {{\"registry-mirrors\": [\"https://mirror.gcr.io\"]}}"
            ));
        }
        let file: DaemonJson = serde_json::from_str(text).map_err(|e| {
            let at = format!(" at line {} column {}", e.line(), e.column());
            let message = e.to_string();
            let message = message.strip_suffix(&at).unwrap_or(&message);
            let hint = if e.is_data() {
                "; \"registry-mirrors\" must be an array of strings"
            } else {
                ""
            };
            // serde_json counts columns from 0 at the end of a line (an empty file is 1:0).
            let column = e.column().max(1);
            format!("{}:{column}: {}{hint}", e.line(), one_line(message))
        })?;
        let mut cfg = MirrorConfig::default();
        let entries = file.registry_mirrors.unwrap_or_default();
        let hosts: Vec<String> = entries.iter().map(|s| config_host(s)).collect();
        for entry in &entries {
            let mut segments = mirror_path_segments(entry);
            if segments.last() == Some(&"v2") {
                segments.pop();
            }
            if segments.is_empty() {
                continue;
            }
            // dockerd 20.10–27's builder keeps only the host; moby's daemon/hosts.go (the
            // containerd image store, 2024) joined `/v2` and the path, and from 28 the path and
            // `/v2`. Both bases: a request's path says which one it was built with.
            let path = segments.join("/");
            cfg.add_base(&config_host(entry), format!("/{path}/v2"));
            cfg.add_base(&config_host(entry), format!("/v2/{path}"));
        }
        if !hosts.is_empty() {
            cfg.mirrors.insert("docker.io".to_owned(), hosts);
        }
        Ok(cfg)
    }

    fn add_base(&mut self, host: &str, base: String) {
        let b = (host.to_owned(), base);
        if !self.bases.contains(&b) {
            self.bases.push(b);
        }
    }

    /// The one place that says which object a request's url asks for
    /// ([`ObjectPath`]): its path below the API base of the host it went to. That is `/v2`,
    /// except on a mirror configured with a path, whose base the configuration gives: with
    /// `mirrors = ["core.harbor.domain/proxy.docker.io"]` containerd asks
    /// `/v2/proxy.docker.io/library/node/manifests/20` of the mirror and
    /// `/v2/library/node/manifests/20` of Docker Hub, one object (`/library/node/manifests/20`).
    /// A url on such a host whose path is not below the configured base (an older dockerd
    /// that sent only the host) is read under `/v2`. `None` for a text that is no url.
    ///
    /// Without a configuration nothing is taken off: a mirror's extra path segments cannot be
    /// told from a deeper repository (`ghcr.io/org/team/app`), so a guess could pair one
    /// image's request with another's (see the module doc).
    pub fn object_path<'u>(&self, url: &'u str) -> Option<ObjectPath<'u>> {
        let p = split_url(url)?;
        Some(match self.below_base(p.host, p.path) {
            Some(rest) => ObjectPath { rest, api: true },
            None => ObjectPath::plain(p.path),
        })
    }

    /// `path` below the longest configured base of mirror `host` it is under, from its `/`.
    pub fn below_base<'u>(&self, host: &str, path: &'u str) -> Option<&'u str> {
        if self.bases.is_empty() {
            return None;
        }
        self.bases
            .iter()
            .filter(|(h, _)| h.eq_ignore_ascii_case(host))
            .filter_map(|(_, base)| path.strip_prefix(base.as_str()))
            .filter(|rest| rest.starts_with('/'))
            .min_by_key(|rest| rest.len())
    }

    /// The upstream `host` is a configured mirror of.
    pub fn upstream_of(&self, host: &str) -> Option<&str> {
        self.mirrors
            .iter()
            .find(|(_, ms)| ms.iter().any(|m| m.eq_ignore_ascii_case(host)))
            .map(|(u, _)| u.as_str())
    }
}

/// A configured mirror entry's `host[:port]`, lowercased: host names are case-insensitive
/// (`https://MIRROR.GCR.IO` is the `mirror.gcr.io` a log names).
fn config_host(entry: &str) -> String {
    mirror_host(entry).to_ascii_lowercase()
}

/// The part of buildkitd.toml bkscope reads; other keys are ignored.
#[derive(Debug, Deserialize)]
struct BuildkitdToml {
    #[serde(default)]
    registry: BTreeMap<String, RegistryToml>,
}

/// `[registry."<host>"]`.
#[derive(Debug, Deserialize)]
struct RegistryToml {
    mirrors: Option<toml::Spanned<toml::Value>>,
}

/// The part of daemon.json bkscope reads; other keys are ignored.
#[derive(Debug, Deserialize)]
struct DaemonJson {
    #[serde(rename = "registry-mirrors")]
    registry_mirrors: Option<Vec<String>>,
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

fn one_line(message: &str) -> String {
    message.trim().replace('\n', " ")
}
