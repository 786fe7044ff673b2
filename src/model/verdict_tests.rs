//! Mirror verdict tests: a mirror no pull reached (not needed, unused, unknown and why), the
//! evidence's order across sources, its cap counted, configured hosts in any case.

use super::mirror::{EVIDENCE_PER_REASON, MirrorConfig, Verdict};
use super::*;

const MIRROR_USED: &str = include_str!("../../tests/fixtures/dockerd-20.10/mirror_used.log");
const MIRROR_FALLBACK: &str =
    include_str!("../../tests/fixtures/dockerd-20.10/mirror_fallback.log");
const PLAIN_PULL: &str = include_str!("../../tests/fixtures/dockerd-20.10/plain_pull.log");
const DEMO: &str = include_str!("../../tests/fixtures/sample/demo.log");
const SEED: &str = include_str!("../../tests/fixtures/seed/mirror_gcr.log");

fn toml(mirrors: &[&str]) -> MirrorConfig {
    let list: Vec<String> = mirrors.iter().map(|m| format!("\"{m}\"")).collect();
    MirrorConfig::from_buildkitd_toml(&format!(
        "[registry.\"docker.io\"]\n  mirrors = [{}]\n",
        list.join(", ")
    ))
    .unwrap()
}

fn verdicts(sources: &[&str], cfg: MirrorConfig) -> Vec<mirror::MirrorVerdict> {
    let mut m = Model::new(ModelOptions {
        mirrors: cfg,
        ..ModelOptions::default()
    });
    for (i, text) in sources.iter().enumerate() {
        m.ingest_text(i as u32, text);
    }
    m.mirror_verdicts()
}

#[test]
fn a_backup_mirror_an_earlier_one_made_unnecessary_is_unknown_and_not_needed() {
    let v = verdicts(&[MIRROR_USED], toml(&["127.0.0.1:5001", "mirror.gcr.io"]));
    assert_eq!(v.len(), 2, "{v:?}");
    assert_eq!(
        (v[0].mirror.as_str(), v[0].verdict),
        ("127.0.0.1:5001", Verdict::Used)
    );
    assert!(!v[0].not_needed && v[0].reason.is_none(), "{v:?}");
    let b = &v[1];
    assert_eq!(
        (b.mirror.as_str(), b.verdict),
        ("mirror.gcr.io", Verdict::Unknown)
    );
    assert!(b.not_needed, "{b:?}");
    assert_eq!(
        b.reason.as_deref(),
        Some("not needed: 127.0.0.1:5001, before it in the config, served every pull")
    );
}

#[test]
fn a_configured_mirror_the_pulls_went_past_is_unused() {
    // Through a mirror the config does not name.
    let v = verdicts(&[MIRROR_USED], toml(&["mirror.gcr.io"]));
    let g = v.iter().find(|v| v.mirror == "mirror.gcr.io").unwrap();
    assert_eq!(g.verdict, Verdict::Unused, "{g:?}");
    assert!(!g.not_needed);
    assert_eq!(
        g.reason.as_deref(),
        Some(
            "configured, yet no request reached it while docker.io was pulled elsewhere: 4 via 127.0.0.1:5001 (not in the config)"
        )
    );
    // Its evidence is the pulls that went past it, each naming the mirror that served it
    // (under this mirror's heading, "served by the mirror" would read as this one).
    assert_eq!(g.evidence.len(), 4, "{g:?}");
    for e in &g.evidence {
        assert!(
            e.why
                .starts_with("served by another mirror (not in the config): ")
                && e.why
                    .contains(" to 127.0.0.1:5001 with ns=docker.io: 200 OK"),
            "{g:?}"
        );
    }
    // The mirror's own verdict keeps its own words.
    let own = v.iter().find(|v| v.mirror == "127.0.0.1:5001").unwrap();
    assert!(
        own.evidence[0].why.starts_with("served by the mirror: "),
        "{own:?}"
    );
    // Listed after it in the config, a later mirror that served is no reason either.
    let v = verdicts(&[MIRROR_USED], toml(&["mirror.gcr.io", "127.0.0.1:5001"]));
    let g = v.iter().find(|v| v.mirror == "mirror.gcr.io").unwrap();
    assert_eq!(g.verdict, Verdict::Unused, "{g:?}");
    assert!(
        g.reason
            .as_deref()
            .is_some_and(|r| r.ends_with("4 via 127.0.0.1:5001 (after it in the config)")),
        "{g:?}"
    );
    assert!(
        g.evidence[0]
            .why
            .starts_with("served by another mirror (after it in the config): "),
        "{g:?}"
    );
}

#[test]
fn an_unknown_verdict_says_why() {
    let v = verdicts(&[PLAIN_PULL], toml(&["mirror.gcr.io"]));
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].verdict, Verdict::Unknown);
    assert!(!v[0].not_needed);
    assert_eq!(
        v[0].reason.as_deref(),
        Some(
            "no docker.io pull in this log (pulls only from 127.0.0.1:5000): the build used no docker.io image, or had them cached"
        )
    );
    let v = verdicts(&[""], toml(&["mirror.gcr.io"]));
    assert!(
        v[0].reason.as_deref().is_some_and(
            |r| r.starts_with("no docker.io pull in this log (no pull of any registry)")
        ),
        "{v:?}"
    );
    // The real capture of a refused mirror, cut after its `trying next host` (the upstream
    // not asked yet): a docker.io pull was tried, but only through another mirror, which
    // failed. Nothing says whether the configured one would have been asked.
    let refused: Vec<&str> = MIRROR_FALLBACK.lines().take(22).collect();
    let v = verdicts(&[&refused.join("\n")], toml(&["mirror.gcr.io"]));
    let g = v.iter().find(|v| v.mirror == "mirror.gcr.io").unwrap();
    assert_eq!(
        (g.verdict, g.not_needed),
        (Verdict::Unknown, false),
        "{g:?}"
    );
    assert_eq!(
        g.reason.as_deref(),
        Some(
            "no docker.io pull served in this log: only failed requests to 127.0.0.1:5001 (none reached this mirror or the upstream after them)"
        )
    );
    let other = v.iter().find(|v| v.mirror == "127.0.0.1:5001").unwrap();
    assert_eq!(
        (other.verdict, other.fallbacks),
        (Verdict::Unused, 1),
        "{other:?}"
    );
}

#[test]
fn evidence_is_ordered_by_source_then_line() {
    let lines: Vec<&str> = DEMO.lines().collect();
    let (a, b) = lines.split_at(100);
    let v = verdicts(&[&a.join("\n"), &b.join("\n")], MirrorConfig::default());
    let at: Vec<(u32, u64)> = v[0].evidence.iter().map(|e| (e.source, e.line)).collect();
    let mut sorted = at.clone();
    sorted.sort_unstable();
    assert_eq!(at, sorted);
    assert!(at.contains(&(1, 2)), "{at:?}");
}

/// `n` pulls of each kind: served by the mirror, failed on it, straight to Docker Hub.
fn eight_each(n: usize) -> String {
    let mut log = Vec::new();
    let t = "time=\"2024-01-01T00:00:00.000Z\" level=debug";
    for i in 0..n {
        let m = format!("http://127.0.0.1:5001/v2/library/a{i}/manifests/latest?ns=docker.io");
        log.push(format!(
            "{t} msg=\"do request\" host=\"127.0.0.1:5001\" request.method=HEAD url=\"{m}\""
        ));
        log.push(format!("{t} msg=\"fetch response received\" host=\"127.0.0.1:5001\" response.status=\"200 OK\" url=\"{m}\""));
        let f = format!("http://127.0.0.1:5001/v2/library/b{i}/manifests/latest?ns=docker.io");
        log.push(format!(
            "{t} msg=\"do request\" host=\"127.0.0.1:5001\" request.method=HEAD url=\"{f}\""
        ));
        log.push(format!("{t} msg=\"fetch response received\" host=\"127.0.0.1:5001\" response.status=\"404 Not Found\" url=\"{f}\""));
        let d = format!("https://registry-1.docker.io/v2/library/b{i}/manifests/latest");
        log.push(format!(
            "{t} msg=\"do request\" host=registry-1.docker.io request.method=HEAD url=\"{d}\""
        ));
        log.push(format!("{t} msg=\"fetch response received\" host=registry-1.docker.io response.status=\"200 OK\" url=\"{d}\""));
    }
    log.join("\n")
}

#[test]
fn evidence_left_out_is_counted() {
    let v = verdicts(&[&eight_each(8)], MirrorConfig::default());
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!((v[0].via_mirror, v[0].direct, v[0].fallbacks), (8, 8, 8));
    assert_eq!(v[0].evidence.len(), 3 * EVIDENCE_PER_REASON);
    assert_eq!(v[0].evidence_omitted, 24 - 3 * EVIDENCE_PER_REASON as u64);
    let v = verdicts(&[&eight_each(2)], MirrorConfig::default());
    assert_eq!((v[0].evidence.len(), v[0].evidence_omitted), (6, 0));
}

#[test]
fn configured_mirror_hosts_are_case_insensitive() {
    let cfg = MirrorConfig::from_daemon_json(r#"{"registry-mirrors": ["https://MIRROR.GCR.IO"]}"#)
        .unwrap();
    assert_eq!(cfg.mirrors["docker.io"], ["mirror.gcr.io"]);
    let v = verdicts(&[SEED], cfg);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!((v[0].verdict, v[0].via_mirror), (Verdict::Used, 3));
    assert!(v[0].configured);
    let cfg = toml(&["HTTPS://Mirror.Gcr.Io"]);
    assert_eq!(cfg.upstream_of("mirror.gcr.io"), Some("docker.io"));
    assert_eq!(cfg.upstream_of("MIRROR.gcr.io"), Some("docker.io"));
}

#[test]
fn a_log_host_in_another_case_is_the_configured_mirror() {
    // containerd writes the host as the configuration spells it (`Mirror.Example:5001`);
    // bkscope reads the configuration lowercased: one mirror, one verdict, the canonical name.
    let log = MIRROR_USED
        .replace("127.0.0.1:5001", "Mirror.Example:5001")
        .replace("ns=docker.io", "ns=Docker.IO");
    let v = verdicts(&[&log], toml(&["MIRROR.example:5001"]));
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(
        (v[0].upstream.as_str(), v[0].mirror.as_str()),
        ("docker.io", "mirror.example:5001")
    );
    assert_eq!((v[0].verdict, v[0].via_mirror), (Verdict::Used, 4), "{v:?}");
    assert!(v[0].configured);
    // Unconfigured, the ns= parameter names it a mirror: still one pair, in one case.
    let mixed = format!(
        "{log}\n{}",
        MIRROR_USED.replace("127.0.0.1:5001", "mirror.example:5001")
    );
    let v = verdicts(&[&mixed], MirrorConfig::default());
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(
        (v[0].mirror.as_str(), v[0].via_mirror),
        ("mirror.example:5001", 8)
    );
}

#[test]
fn a_mirror_that_only_failed_says_so() {
    let v = verdicts(&[MIRROR_FALLBACK], MirrorConfig::default());
    let m = v.iter().find(|v| v.mirror == "127.0.0.1:5001").unwrap();
    assert_eq!((m.verdict, m.via_mirror), (Verdict::Unused, 0), "{m:?}");
    assert!(m.fallbacks > 0);
    let reason = m.reason.as_deref().unwrap_or("");
    assert!(reason.starts_with("asked, served nothing: "), "{reason}");
}
