//! Golden tests on logs captured from a real dockerd 20.10 (embedded BuildKit, containerd 1.6
//! resolver) and real loopback registries: verdicts and classifications, through the real binary.
//!
//! By default they read the committed captures in tests/fixtures/dockerd-20.10. The e2e step of
//! .ci/run captures a fresh set from a real daemon (tests/e2e/capture.sh) and runs these same
//! tests on it with `BKSCOPE_FIXTURES_DIR`, so the assertions hold for any capture, not for one
//! set of line numbers: evidence lines are checked against the text of the lines they name.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers, not input paths

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn dir() -> PathBuf {
    std::env::var_os("BKSCOPE_FIXTURES_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dockerd-20.10")
        })
}

fn fixture(name: &str) -> PathBuf {
    let p = dir().join(format!("{name}.log"));
    assert!(p.exists(), "missing fixture {}", p.display());
    p
}

fn bkscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bkscope"))
        .args(args)
        .output()
        .expect("bkscope runs")
}

fn summary(name: &str, extra: &[&str]) -> Value {
    let path = fixture(name);
    let mut args = vec!["summary", "--json", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = bkscope(&args);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    serde_json::from_slice(&out.stdout).expect("summary --json is JSON")
}

fn line_text(name: &str, line: u64) -> String {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    text.lines().nth(line as usize - 1).unwrap_or("").to_owned()
}

fn kinds(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap().to_owned())
        .collect()
}

fn healthy(v: &Value) {
    assert!(
        v["auth_failures"].as_array().unwrap().is_empty(),
        "{}",
        v["auth_failures"]
    );
    assert!(
        v["errors"].as_array().unwrap().is_empty(),
        "{}",
        v["errors"]
    );
}

#[test]
fn plain_pull_is_healthy_and_every_request_is_an_event() {
    let v = summary("plain_pull", &[]);
    healthy(&v);
    assert!(v["mirrors"].as_array().unwrap().is_empty());
    let req = v["requests"].as_u64().unwrap();
    assert!(req >= 3, "manifest, config and layer: {req}");
    assert_eq!(v["status_counts"]["200"].as_u64(), Some(req));
    assert_eq!(v["servers"][0]["name"], "distribution");
    let path = fixture("plain_pull");
    let out = bkscope(&["events", "--json", path.to_str().unwrap()]);
    assert!(out.status.success());
    let events: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len() as u64, req);
    let text = std::fs::read_to_string(&path).unwrap();
    for (i, l) in text.lines().enumerate() {
        if l.contains("msg=\"do request\"") {
            let n = i as u64 + 1;
            let ev = events
                .iter()
                .find(|e| e["lines"].as_array().unwrap().contains(&n.into()));
            let ev = ev.unwrap_or_else(|| panic!("line {n} is in no event"));
            assert_eq!(ev["status"], 200, "{ev}");
            assert!(ev["url"].as_str().unwrap().contains("/v2/"));
        }
    }
    assert!(
        events.iter().any(|e| e["kind"] == "blob")
            && events.iter().any(|e| e["kind"] == "manifest")
    );
}

#[test]
fn mirror_used_is_used_with_ns_evidence() {
    let v = summary("mirror_used", &[]);
    healthy(&v);
    let m = &v["mirrors"][0];
    assert_eq!(v["mirrors"].as_array().unwrap().len(), 1);
    assert_eq!(m["upstream"], "docker.io");
    assert_eq!(m["verdict"], "used");
    assert!(m["via_mirror"].as_u64().unwrap() >= 3);
    assert_eq!(
        (m["direct"].as_u64(), m["fallbacks"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(m["configured"], false);
    for e in m["evidence"].as_array().unwrap() {
        let line = line_text("mirror_used", e["line"].as_u64().unwrap());
        assert!(
            line.contains("ns=docker.io") && line.contains("fetch response received"),
            "{line}"
        );
    }
    // With dockerd's own config the same mirror is reported as configured.
    let mirror = m["mirror"].as_str().unwrap().to_owned();
    let cfg = std::env::temp_dir().join(format!("bkscope-daemon-{}.json", std::process::id()));
    std::fs::write(
        &cfg,
        format!(r#"{{"registry-mirrors": ["http://{mirror}"]}}"#),
    )
    .unwrap();
    let v = summary("mirror_used", &["--config", cfg.to_str().unwrap()]);
    assert_eq!(v["mirrors"][0]["configured"], true);
    assert_eq!(v["mirrors"][0]["verdict"], "used");
    let _ = std::fs::remove_file(cfg);
}

#[test]
fn mirror_down_is_unused_with_fallback_and_fails_ci() {
    let v = summary("mirror_fallback", &[]);
    let m = &v["mirrors"][0];
    assert_eq!(m["verdict"], "unused");
    assert!(m["fallbacks"].as_u64().unwrap() >= 1);
    let errs = v["errors"].as_array().unwrap();
    assert!(
        errs.iter()
            .any(|e| e["kind"] == "connection-refused" && e["host"] == m["mirror"]),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|e| e["host"] == "registry-1.docker.io"),
        "the fallback to the upstream shows"
    );
    let path = fixture("mirror_fallback");
    let out = bkscope(&[
        "summary",
        path.to_str().unwrap(),
        "--fail-on",
        "mirror-unused",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(
        report.contains("UNUSED") && report.contains("connection-refused"),
        "{report}"
    );
}

#[test]
fn mirror_down_with_working_upstream_counts_every_bypass() {
    for name in ["mirror_fallback_ok", "mirror_miss_fallback_ok"] {
        let v = summary(name, &[]);
        let m = &v["mirrors"][0];
        assert_eq!(m["verdict"], "unused", "{name}: {m}");
        assert_eq!(m["via_mirror"], 0);
        assert!(m["direct"].as_u64().unwrap() >= 3, "{name}: {m}");
        assert!(m["fallbacks"].as_u64().unwrap() >= 3, "{name}: {m}");
        assert!(v["auth_failures"].as_array().unwrap().is_empty());
        let upstream = v["hosts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["host"] == "registry-1.docker.io")
            .unwrap();
        assert_eq!(upstream["errors"], 0);
    }
    let v = summary("mirror_miss_fallback_ok", &[]);
    assert!(kinds(&v, "errors").contains(&"not-found".to_owned()));
}

#[test]
fn basic_auth_without_credentials_is_a_basic_failure() {
    let v = summary("basic_auth_401", &[]);
    let a = &v["auth_failures"];
    assert_eq!(a.as_array().unwrap().len(), 1, "{a}");
    assert_eq!(a[0]["kind"], "basic");
    assert_eq!(a[0]["status"], 401);
    assert!(
        line_text("basic_auth_401", a[0]["line"].as_u64().unwrap()).contains("401 Unauthorized")
    );
    let path = fixture("basic_auth_401");
    assert_eq!(
        bkscope(&["summary", path.to_str().unwrap(), "--fail-on", "auth"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        bkscope(&["summary", path.to_str().unwrap(), "--fail-on", "errors"])
            .status
            .code(),
        Some(0)
    );
    // The challenge nothing answered is its host's error.
    assert_eq!(
        (
            host(&v, 0)["requests"].as_u64(),
            host(&v, 0)["errors"].as_u64()
        ),
        (Some(1), Some(1))
    );
    // Wrong credentials: the first 401 is the challenge, every retry after it is refused.
    let v = summary("basic_auth_bad_creds", &[]);
    assert!(kinds(&v, "auth_failures").iter().all(|k| k == "basic"));
    let requests = host(&v, 0)["requests"].as_u64().unwrap();
    assert!(requests >= 2, "{v}");
    assert_eq!(
        v["auth_failures"].as_array().unwrap().len() as u64,
        requests - 1
    );
    assert_eq!(host(&v, 0)["errors"].as_u64(), Some(requests - 1));
}

fn host(v: &Value, i: usize) -> &Value {
    &v["hosts"][i]
}

#[test]
fn a_401_challenge_that_login_answers_is_not_a_failure() {
    let v = summary("basic_auth_ok", &[]);
    healthy(&v);
    assert_eq!(v["status_counts"]["401"], 1);
    assert_eq!(host(&v, 0)["errors"], 0);
}

/// A mirror behind basic auth (Artifactory, Nexus, Harbor with credentials): each pull's
/// first request is challenged, then sent again with the credentials. Used, no fallback.
#[test]
fn a_mirror_behind_basic_auth_is_used_its_challenge_no_fallback() {
    let v = summary("mirror_basic_auth_ok", &[]);
    healthy(&v);
    assert_eq!(v["status_counts"]["401"], 1);
    let m = &v["mirrors"][0];
    assert_eq!(m["verdict"], "used", "{m}");
    assert!(m["via_mirror"].as_u64().unwrap() >= 3, "{m}");
    assert_eq!(
        (m["direct"].as_u64(), m["fallbacks"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(host(&v, 0)["errors"], 0);
    for e in m["evidence"].as_array().unwrap() {
        let line = line_text("mirror_basic_auth_ok", e["line"].as_u64().unwrap());
        assert!(
            line.contains("200 OK") && line.contains("ns=docker.io"),
            "{line}"
        );
    }
}

/// The same mirror without a login: each request is challenged, and containerd asks the
/// upstream next without a word (no `trying next host`). Every pull bypassed the mirror, each
/// challenge is a fallback and an error of the mirror, the refusal an auth failure.
#[test]
fn a_mirror_behind_basic_auth_without_a_login_is_unused() {
    let name = "mirror_basic_auth_no_creds";
    let v = summary(name, &[]);
    let m = &v["mirrors"][0];
    assert_eq!(m["verdict"], "unused", "{m}");
    let fallbacks = m["fallbacks"].as_u64().unwrap();
    assert!(fallbacks >= 3, "{m}");
    assert_eq!(m["direct"].as_u64(), Some(fallbacks), "{m}");
    let mirror = m["mirror"].as_str().unwrap();
    // A fallback's evidence is the line that shows it: the same request sent to the upstream.
    // It names the mirror's 401 and its line too (`answer_line`), to jump to.
    let mut named = 0;
    for e in m["evidence"].as_array().unwrap() {
        let why = e["why"].as_str().unwrap();
        if why.starts_with("mirror failed") {
            let answer = e["answer_line"].as_u64().expect("the 401's line");
            assert!(
                why.ends_with(&format!("401 Unauthorized at line {answer}")),
                "{why}"
            );
            let line = line_text(name, e["line"].as_u64().unwrap());
            assert!(
                line.contains("msg=\"do request\"")
                    && line.contains("https://registry-1.docker.io/v2/"),
                "{line}"
            );
            let answered = line_text(name, answer);
            assert!(
                answered.contains("msg=\"fetch response received\"")
                    && answered.contains(&format!("{mirror}/v2/"))
                    && answered.contains("401 Unauthorized"),
                "{answered}"
            );
            assert!(answer < e["line"].as_u64().unwrap(), "{e}");
            named += 1;
        } else {
            assert!(e.get("answer_line").is_none(), "{e}");
        }
    }
    assert!(named >= 3, "{m}");
    let hosts = v["hosts"].as_array().unwrap();
    let host = |h: &str| hosts.iter().find(|x| x["host"] == h).unwrap();
    assert_eq!(host(mirror)["errors"], host(mirror)["requests"]);
    assert_eq!(host(mirror)["bytes"], 0);
    assert_eq!(host("registry-1.docker.io")["errors"], 0);
    assert!(kinds(&v, "auth_failures").iter().all(|k| k == "basic"));
    assert!(!v["auth_failures"].as_array().unwrap().is_empty());
    assert!(
        v["errors"].as_array().unwrap().is_empty(),
        "{}",
        v["errors"]
    );
}

/// The readable report and the Markdown show a silent fallback's evidence as the JSON has it:
/// the cited line (the upstream's request) and the mirror's 401 with its line, to jump to.
#[test]
fn a_silent_fallbacks_evidence_names_the_mirrors_answer_in_every_report() {
    let name = "mirror_basic_auth_no_creds";
    let v = summary(name, &[]);
    let path = fixture(name);
    let read = |extra: &[&str]| {
        let mut args = vec!["summary", path.to_str().unwrap()];
        args.extend_from_slice(extra);
        String::from_utf8(bkscope(&args).stdout).unwrap()
    };
    let (text, markdown) = (read(&[]), read(&["--markdown"]));
    let named: Vec<&Value> = v["mirrors"][0]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e.get("answer_line").is_some())
        .collect();
    assert!(!named.is_empty(), "{}", v["mirrors"]);
    for e in named {
        let why = e["why"].as_str().unwrap();
        let answer = e["answer_line"].as_u64().unwrap();
        assert!(why.ends_with(&format!(" at line {answer}")), "{why}");
        let shown = format!("line {}: {why}", e["line"]);
        assert!(text.contains(&format!("    {shown}\n")), "{shown}: {text}");
        assert!(
            markdown.contains(&format!("- {shown}\n")),
            "{shown}: {markdown}"
        );
    }
}

#[test]
fn token_failures_are_oauth_or_anonymous_with_their_realm() {
    for (name, kind) in [
        ("oauth_token_401", "oauth-token"),
        ("anonymous_token_401", "anonymous-token"),
    ] {
        let v = summary(name, &[]);
        let a = v["auth_failures"].as_array().unwrap();
        assert_eq!(a.len(), 1, "{name}: {a:?}");
        assert_eq!(a[0]["kind"], kind);
        assert!(
            a[0]["realm"].as_str().unwrap().ends_with("/token"),
            "{name}: {a:?}"
        );
        assert!(
            line_text(name, a[0]["line"].as_u64().unwrap()).contains("token: unexpected status")
        );
    }
}

/// Docker Hub's answer for a private or missing repository: the anonymous token is granted and
/// the request with it refused again (`error="insufficient_scope"`). One failure, told in
/// containerd's words (`pull access denied … insufficient_scope`), with its status, realm and
/// the knowledge base's diagnosis; not the refusal and its explanation as two.
#[test]
fn a_refused_token_is_one_insufficient_scope_failure_with_its_diagnosis() {
    let name = "insufficient_scope";
    let v = summary(name, &[]);
    let a = v["auth_failures"].as_array().unwrap();
    assert_eq!(a.len(), 1, "{a:?}");
    let f = &a[0];
    assert_eq!(f["kind"], "insufficient-scope", "{f}");
    assert_eq!(f["status"], 401, "{f}");
    assert!(f["realm"].as_str().unwrap().ends_with("/token"), "{f}");
    assert!(
        f["text"].as_str().unwrap().contains("pull access denied"),
        "{f}"
    );
    assert_eq!(f["kb"][0], "auth/access-denied", "{f}");
    let line = line_text(name, f["line"].as_u64().unwrap());
    assert!(
        line.contains("insufficient_scope") && line.contains("pull access denied"),
        "{line}"
    );
    assert!(
        v["errors"].as_array().unwrap().is_empty(),
        "{}",
        v["errors"]
    );
    let h = &v["hosts"][0];
    assert_eq!(
        h["errors"], 1,
        "the challenge is not an error, the refusal is: {h}"
    );
    let out = bkscope(&[
        "summary",
        fixture(name).to_str().unwrap(),
        "--fail-on",
        "auth",
    ]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn rate_limit_429_is_classified_and_the_limit_reported() {
    for name in ["rate_limited_429", "rate_limited_429_head"] {
        let v = summary(name, &[]);
        let k = kinds(&v, "errors");
        assert!(
            !k.is_empty() && k.iter().all(|k| k == "rate-limited"),
            "{name}: {k:?}"
        );
        assert!(v["status_counts"]["429"].as_u64().unwrap() >= 1);
    }
    let v = summary("rate_limited_429", &[]);
    let r = &v["rate_limits"][0];
    assert!(
        r["limit"].as_u64().is_some() && r["lowest_remaining"].as_u64().is_some(),
        "{r}"
    );
}

#[test]
fn not_found_and_unknown_ca_are_classified() {
    let v = summary("not_found_404", &[]);
    assert_eq!(kinds(&v, "errors"), ["not-found"]);
    assert_eq!(v["errors"][0]["kb"][0], "registry/manifest-not-found");
    // A manifest that names a layer the registry lost: every GET of it 404, then dockerd's
    // "Download failed after N attempts"; a missing blob, not a missing manifest.
    let v = summary("blob_not_found", &[]);
    let errors = v["errors"].as_array().unwrap();
    assert!(errors.len() >= 2, "{errors:?}");
    for e in errors {
        assert_eq!(e["kind"], "not-found", "{e}");
        assert_eq!(e["kb"][0], "registry/blob-not-found", "{e}");
        assert!(e["recovered_by"].is_null(), "{e}");
    }
    assert!(
        errors
            .iter()
            .any(|e| e["text"].as_str().unwrap_or("").contains("/blobs/sha256:")),
        "{errors:?}"
    );
    let v = summary("unknown_ca", &[]);
    assert_eq!(kinds(&v, "errors"), ["tls-unknown-authority"]);
    assert_eq!(v["errors"][0]["host"], "tls.bkscope.test");
}

/// The mirror's misses (404, 500) and refusals that the upstream then served are errors with
/// `recovered_by`: `--fail-on errors` fails on them, `--fail-on unrecovered-errors` does not;
/// where the upstream failed too, nothing is recovered.
#[test]
fn mirror_misses_the_upstream_served_are_recovered_errors() {
    for name in ["mirror_miss_fallback_ok", "mirror_fallback_ok"] {
        let v = summary(name, &[]);
        let errors = v["errors"].as_array().unwrap();
        assert!(!errors.is_empty(), "{name}");
        for e in errors {
            assert_eq!(e["recovered_by"], "registry-1.docker.io", "{name}: {e}");
        }
        let path = fixture(name);
        let code = |cond: &str| {
            bkscope(&["summary", path.to_str().unwrap(), "--fail-on", cond])
                .status
                .code()
        };
        assert_eq!(code("errors"), Some(1), "{name}");
        assert_eq!(code("unrecovered-errors"), Some(0), "{name}");
    }
    let v = summary("mirror_fallback", &[]);
    let errors = v["errors"].as_array().unwrap();
    assert!(!errors.is_empty());
    assert!(
        errors.iter().all(|e| e.get("recovered_by").is_none()),
        "{errors:?}"
    );
    let path = fixture("mirror_fallback");
    let out = bkscope(&[
        "summary",
        path.to_str().unwrap(),
        "--fail-on",
        "unrecovered-errors",
    ]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn healthy_fixtures_pass_every_fail_on() {
    for name in [
        "plain_pull",
        "mirror_used",
        "basic_auth_ok",
        "mirror_basic_auth_ok",
    ] {
        let path = fixture(name);
        let out = bkscope(&[
            "summary",
            path.to_str().unwrap(),
            "--fail-on",
            "auth,errors,mirror-unused",
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn events_json_lists_every_request_of_every_capture_with_its_outcome() {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "log").then(|| p.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    names.sort();
    assert!(names.len() >= 9, "{names:?}");
    for name in names {
        let path = fixture(&name);
        let out = bkscope(&["events", "--json", path.to_str().unwrap()]);
        assert!(out.status.success(), "{name}");
        let events: Vec<Value> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, l) in text.lines().enumerate() {
            let n = serde_json::json!(i as u64 + 1);
            let holders: Vec<&Value> = events
                .iter()
                .filter(|e| e["lines"].as_array().unwrap().contains(&n))
                .collect();
            if l.contains("msg=\"do request\"") {
                assert_eq!(
                    holders.len(),
                    1,
                    "{name}: request line {n} in {} events",
                    holders.len()
                );
                let ev = holders[0];
                assert!(
                    ev["status"].is_u64() || ev["error"].is_string(),
                    "{name}: line {n} has no outcome: {ev}"
                );
            }
            if l.contains("msg=\"fetch response received\"") {
                assert_eq!(holders.len(), 1, "{name}: response line {n}");
                let code: u64 = l.split("response.status=\"").nth(1).unwrap()[..3]
                    .parse()
                    .unwrap();
                assert_eq!(
                    holders[0]["status"].as_u64(),
                    Some(code),
                    "{name}: line {n}"
                );
            }
        }
    }
}

/// Every capture with its build's client output given as a second file, before or after the
/// log (a CI job's two artefacts): as many auth failures and errors as the log alone, the
/// client's lines held by one of them as `also_elsewhere`, where the client printed a failure.
#[test]
fn the_client_output_as_a_file_of_its_own_counts_no_failure_twice() {
    let mut failed_builds = 0;
    for entry in std::fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".client.txt"))
        else {
            continue;
        };
        let (log, client) = (fixture(name), path.clone());
        let (log, client) = (log.to_str().unwrap(), client.to_str().unwrap());
        let n = |v: &Value| {
            v["auth_failures"].as_array().unwrap().len() + v["errors"].as_array().unwrap().len()
        };
        let alone = n(&summary(name, &[]));
        let told = bkscope(&["summary", "--json", client]);
        let told = n(&serde_json::from_slice(&told.stdout).expect("summary --json is JSON"));
        for (files, client_source) in [([log, client], 1), ([client, log], 0)] {
            let out = bkscope(&["summary", "--json", files[0], files[1]]);
            let v: Value = serde_json::from_slice(&out.stdout).expect("summary --json is JSON");
            assert_eq!(n(&v), alone, "{name} {files:?}");
            let elsewhere: Vec<&Value> = ["auth_failures", "errors"]
                .iter()
                .flat_map(|k| v[*k].as_array().unwrap())
                .flat_map(|f| f["also_elsewhere"].as_array().into_iter().flatten())
                .collect();
            // Where the client printed a failure (a build a fallback saved printed none).
            assert_eq!(elsewhere.is_empty(), told == 0, "{name} {files:?}: {v}");
            for at in elsewhere {
                assert_eq!(at["source"], client_source, "{name}");
                let line = at["line"].as_u64().unwrap() as usize;
                let text = std::fs::read_to_string(&path).unwrap();
                let said = text.lines().nth(line - 1).unwrap_or("");
                assert!(
                    said.contains("ERROR") || said.contains("failed"),
                    "{name}: {said}"
                );
            }
        }
        failed_builds += usize::from(told > 0);
    }
    assert!(
        failed_builds >= 8,
        "{failed_builds} failed builds among the captures"
    );
}
