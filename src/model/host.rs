//! Who served a response: fingerprints read from `kb/servers.yaml` (rules as data, not code).
//!
//! Pure: headers in, a server name and the reason out.

use std::sync::LazyLock;

use serde::Deserialize;

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
}

/// Which rule matched a response and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Index into the rule set.
    pub rule: usize,
    /// The evidence, e.g. `header x-goog-generation`.
    pub why: String,
}

static BUILTIN: LazyLock<ServerRules> = LazyLock::new(|| {
    ServerRules::from_yaml(BUILTIN_RULES).unwrap_or(ServerRules { rules: Vec::new() })
});

impl ServerRules {
    /// The rules compiled into the binary (a test proves they parse).
    pub fn builtin() -> &'static ServerRules {
        &BUILTIN
    }

    /// Parses a rules file.
    pub fn from_yaml(text: &str) -> Result<ServerRules, serde_yaml::Error> {
        let file: RuleFile = serde_yaml::from_str(text)?;
        Ok(ServerRules {
            rules: file.servers,
        })
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
            for cond in &rule.when {
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
                        format!("header {name}: {value}")
                    } else {
                        format!("header {name}")
                    };
                    return Some(Fingerprint { rule: i, why });
                }
            }
        }
        None
    }

    /// The rule names whose `serves` list covers `host` (exact, or a subdomain).
    pub fn serves(&self, rule: usize, host: &str) -> bool {
        let host = host.split(':').next().unwrap_or(host);
        self.rules.get(rule).is_some_and(|r| {
            r.serves
                .iter()
                .any(|s| host == s || host.ends_with(&format!(".{s}")))
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
        assert_eq!(name(&[("content-type", "text/plain")]), None);
        let gcs = rules
            .rules()
            .iter()
            .position(|r| r.name == "google-cloud-storage")
            .unwrap();
        assert!(rules.serves(gcs, "mirror.gcr.io"));
        assert!(rules.serves(gcs, "europe-docker.pkg.dev"));
        assert!(!rules.serves(gcs, "docker.io"));
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
