//! Who served a response: fingerprints read from `kb/servers.yaml` (rules as data, not code).
//!
//! Pure: headers in, a server name and the reason out.

use std::sync::LazyLock;

use serde::Deserialize;

use super::intern::Shared;

/// The built-in fingerprint rules.
const BUILTIN_RULES: &str = include_str!("../../kb/servers.yaml");

/// One server fingerprint.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerRule {
    /// Stable id used in JSON (`google-cloud-storage`).
    pub name: String,
    /// Human name.
    pub label: String,
    /// Registry hosts this server stands behind.
    #[serde(default)]
    pub serves: Vec<String>,
    /// A CDN in front of many registries (Cloudflare: Docker Hub's blobs and self-hosted
    /// mirrors alike): who answered, but no evidence of which registry; serves nothing.
    #[serde(default)]
    pub shared: bool,
    /// Any one of these conditions identifies the server.
    pub when: Vec<Condition>,
}

/// A header condition of a [`ServerRule`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Lowercase header name.
    pub header: String,
    /// The value must equal this (ASCII case-insensitive).
    #[serde(default)]
    pub equals: Option<String>,
    /// The value must contain this.
    #[serde(default)]
    pub contains: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    servers: Vec<ServerRule>,
}

/// The rule set, in order.
#[derive(Debug, Clone)]
pub struct ServerRules {
    rules: Vec<ServerRule>,
    /// Each rule's name, shared by the events it fingerprints.
    names: Vec<Shared>,
    /// Each condition's evidence text when it names a header alone (`header x-goog-hash`),
    /// written once rather than for every response.
    whys: Vec<Vec<Shared>>,
}

/// Which rule matched a response and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Index into the rule set.
    pub rule: usize,
    /// The evidence, e.g. `header x-goog-generation`.
    pub why: Shared,
}

static BUILTIN: LazyLock<ServerRules> = LazyLock::new(|| {
    ServerRules::from_yaml(BUILTIN_RULES).unwrap_or_else(|_| ServerRules::new(Vec::new()))
});

impl ServerRules {
    /// The rules compiled into the binary (a test proves they parse).
    pub fn builtin() -> &'static ServerRules {
        &BUILTIN
    }

    /// Parses a rules file.
    pub fn from_yaml(text: &str) -> Result<ServerRules, serde_yaml::Error> {
        let file: RuleFile = serde_yaml::from_str(text)?;
        Ok(ServerRules::new(file.servers))
    }

    fn new(rules: Vec<ServerRule>) -> ServerRules {
        let names = rules
            .iter()
            .map(|r| Shared::from(r.name.as_str()))
            .collect();
        let whys = rules
            .iter()
            .map(|r| {
                r.when
                    .iter()
                    .map(|c| Shared::from(format!("header {}", c.header)))
                    .collect()
            })
            .collect();
        ServerRules { rules, names, whys }
    }

    /// The name of the rule at `i`, shared.
    pub fn shared_name(&self, i: usize) -> Option<Shared> {
        self.names.get(i).cloned()
    }

    /// The rule at `i`.
    pub fn rule(&self, i: usize) -> Option<&ServerRule> {
        self.rules.get(i)
    }

    /// All rules.
    pub fn rules(&self) -> &[ServerRule] {
        &self.rules
    }

    /// The first rule matching these response headers (lowercase names).
    pub fn classify<'h>(
        &self,
        headers: impl Iterator<Item = (&'h str, &'h str)> + Clone,
    ) -> Option<Fingerprint> {
        for (i, rule) in self.rules.iter().enumerate() {
            for (c, cond) in rule.when.iter().enumerate() {
                let hit = headers.clone().find(|(name, value)| {
                    name.eq_ignore_ascii_case(&cond.header)
                        && cond
                            .equals
                            .as_ref()
                            .is_none_or(|e| value.eq_ignore_ascii_case(e))
                        && cond
                            .contains
                            .as_ref()
                            .is_none_or(|c| value.contains(c.as_str()))
                });
                if let Some((name, value)) = hit {
                    let why = if cond.equals.is_some() || cond.contains.is_some() {
                        Shared::from(format!("header {name}: {value}"))
                    } else {
                        // The text written at load names the rule's spelling of the header.
                        match self.whys.get(i).and_then(|w| w.get(c)) {
                            Some(why) if name == cond.header => why.clone(),
                            _ => Shared::from(format!("header {name}")),
                        }
                    };
                    return Some(Fingerprint { rule: i, why });
                }
            }
        }
        None
    }

    /// True when rule `rule`'s `serves` list covers `host` (exact, or a subdomain); a
    /// [`shared`](ServerRule::shared) rule serves nothing.
    pub fn serves(&self, rule: usize, host: &str) -> bool {
        let host = host.split(':').next().unwrap_or(host);
        self.rules.get(rule).is_some_and(|r| {
            !r.shared
                && r.serves.iter().any(|s| {
                    host == s
                        || host
                            .strip_suffix(s.as_str())
                            .is_some_and(|rest| rest.ends_with('.'))
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_parse_and_classify() {
        let rules = ServerRules::from_yaml(BUILTIN_RULES).unwrap();
        assert!(rules.rules().len() >= 9);
        let name = |hs: &[(&str, &str)]| {
            rules
                .classify(hs.iter().copied())
                .map(|f| rules.rule(f.rule).unwrap().name.clone())
        };
        assert_eq!(
            name(&[("server", "UploadServer")]).as_deref(),
            Some("google-cloud-storage")
        );
        assert_eq!(
            name(&[("docker-ratelimit-source", "1.2.3.4")]).as_deref(),
            Some("docker-hub")
        );
        assert_eq!(name(&[("cf-ray", "x")]).as_deref(), Some("cloudflare"));
        assert_eq!(name(&[("x-amz-request-id", "x")]).as_deref(), Some("aws"));
        assert_eq!(
            name(&[("server", "Nexus/3.61.0")]).as_deref(),
            Some("nexus")
        );
        assert_eq!(
            name(&[("docker-distribution-api-version", "registry/2.0")]).as_deref(),
            Some("distribution")
        );
        // A specific fingerprint beats the generic distribution header.
        assert_eq!(
            name(&[
                ("docker-distribution-api-version", "registry/2.0"),
                ("x-jfrog-version", "7")
            ])
            .as_deref(),
            Some("artifactory")
        );
        // A registry application behind Cloudflare is named by its own headers; the CDN
        // still beats what passes through from storage or a plain registry behind it.
        for (app, header) in [
            ("harbor", ("x-harbor-csrf-token", "t")),
            ("artifactory", ("x-jfrog-version", "7")),
            ("nexus", ("server", "Nexus/3.61.0")),
        ] {
            assert_eq!(
                name(&[("cf-ray", "8f1d-AMS"), header]).as_deref(),
                Some(app)
            );
            assert_eq!(
                name(&[header, ("server", "cloudflare")]).as_deref(),
                Some(app)
            );
        }
        for origin in [
            ("x-amz-request-id", "x"),
            ("docker-distribution-api-version", "registry/2.0"),
        ] {
            assert_eq!(
                name(&[origin, ("cf-ray", "8f1d-AMS")]).as_deref(),
                Some("cloudflare")
            );
        }
        assert_eq!(name(&[("content-type", "text/plain")]), None);
        let gcs = rules
            .rules()
            .iter()
            .position(|r| r.name == "google-cloud-storage")
            .unwrap();
        assert!(rules.serves(gcs, "mirror.gcr.io"));
        assert!(rules.serves(gcs, "europe-docker.pkg.dev"));
        assert!(!rules.serves(gcs, "docker.io"));
        // Cloudflare fronts Docker Hub's blobs and self-hosted mirrors alike: it serves neither.
        let index = |name: &str| rules.rules().iter().position(|r| r.name == name).unwrap();
        let cf = index("cloudflare");
        assert!(rules.rules()[cf].shared);
        for host in [
            "docker.io",
            "production.cloudflare.docker.com",
            "mirror.example.com",
        ] {
            assert!(!rules.serves(cf, host), "{host}");
        }
        assert!(rules.serves(index("docker-hub"), "docker.io"));
    }

    #[test]
    fn evidence_names_the_header_as_logged_and_serves_matches_whole_labels() {
        let rules = ServerRules::from_yaml(
            "servers:\n  - name: gcs\n    label: G\n    serves: [gcr.io]\n    when:\n      - header: x-goog-hash\n      - header: server\n        equals: UploadServer\n",
        )
        .unwrap();
        let why = |h: &[(&str, &str)]| rules.classify(h.iter().copied()).map(|f| f.why);
        assert_eq!(
            why(&[("x-goog-hash", "crc32c=a")]).as_deref(),
            Some("header x-goog-hash")
        );
        assert_eq!(
            why(&[("X-Goog-Hash", "crc32c=a")]).as_deref(),
            Some("header X-Goog-Hash")
        );
        assert_eq!(
            why(&[("server", "uploadserver")]).as_deref(),
            Some("header server: uploadserver")
        );
        assert_eq!(rules.shared_name(0).as_deref(), Some("gcs"));
        assert_eq!(rules.shared_name(1), None);
        assert!(rules.serves(0, "gcr.io"));
        assert!(rules.serves(0, "mirror.gcr.io:443"));
        assert!(!rules.serves(0, "notgcr.io"));
        assert!(!rules.serves(0, "gcr.io.example"));
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(
            ServerRules::from_yaml(
                "servers:\n  - name: x\n    label: y\n    when: []\n    typo: 1\n"
            )
            .is_err()
        );
    }
}
