//! `events --json` says which events failed as `summary --json` counts failures: `failed`,
//! and `findings` with the same kind, `recovered_by` and knowledge-base ids, on real fixtures.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers, not input paths

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_bkscope"))
        .args(args)
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .env("HOME", "/nonexistent")
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn events(path: &Path) -> Vec<Value> {
    run(&["events", path.to_str().unwrap()])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `[line, kind, recovered_by, kb]` of every finding of the events, and of `summary --json`'s
/// findings on the events' lines (a line of no request, such as dockerd's `Download failed
/// after 6 attempts: …` in `blob_not_found.log`, is a finding of no fetch event: `summary`
/// only).
fn findings(path: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let key = |f: &Value| {
        serde_json::json!([f["line"], f["kind"], f["recovered_by"], f["kb"]]).to_string()
    };
    let evs = events(path);
    let lines: BTreeSet<u64> = evs
        .iter()
        .flat_map(|e| e["lines"].as_array().unwrap().clone())
        .filter_map(|l| l.as_u64())
        .collect();
    let ev = evs
        .iter()
        .flat_map(|e| e["findings"].as_array().unwrap().clone())
        .map(|f| key(&f))
        .collect();
    let s: Value =
        serde_json::from_str(&run(&["summary", "--json", path.to_str().unwrap()])).unwrap();
    let sum = ["auth_failures", "errors"]
        .iter()
        .flat_map(|k| s[k].as_array().unwrap().clone())
        .filter(|f| f["line"].as_u64().is_some_and(|l| lines.contains(&l)))
        .map(|f| key(&f))
        .collect();
    (ev, sum)
}

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "log"))
        .collect();
    v.sort();
    v
}

#[test]
fn the_401_challenge_is_no_failure_and_the_oauth_failure_is() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample/demo.log");
    let evs = events(&path);
    let id = |i: u64| evs.iter().find(|e| e["id"] == i).unwrap();
    assert_eq!(id(12)["status"], 401);
    assert_eq!(id(12)["failed"], false);
    assert_eq!(id(12)["findings"], serde_json::json!([]));
    let f = &id(13)["findings"][0];
    assert_eq!(id(13)["failed"], true);
    assert_eq!(
        (&f["category"], &f["kind"]),
        (&"auth".into(), &"oauth-token".into())
    );
    assert_eq!(f["kb"][0], "auth/oauth-token-401");
    assert_eq!(id(4)["findings"][0]["recovered_by"], "registry-1.docker.io");
    let failed: Vec<u64> = evs
        .iter()
        .filter(|e| e["failed"] == true)
        .map(|e| e["id"].as_u64().unwrap())
        .collect();
    assert_eq!(failed, [4, 6, 8, 10, 13, 15, 16, 17, 18, 19, 20]);
    assert!(
        evs.iter()
            .all(|e| e["failed"] == !e["findings"].as_array().unwrap().is_empty())
    );
}

/// Every finding `summary` makes of a fetch event is on that event in `events`, with the same
/// kind, `recovered_by` and kb ids; a 401 challenge that nothing overcame by the end of the log
/// (`basic_auth_401`: no credentials) too, held until the end. Before, it was printed as a
/// challenge when it came (`failed: false`) and the pull's failure was on no event.
#[test]
fn events_findings_are_summarys_findings() {
    let mut all = fixtures("dockerd-20.10");
    all.extend(fixtures("sample"));
    for path in &all {
        let (ev, sum) = findings(path);
        assert_eq!(ev, sum, "{path:?}");
    }
    let basic = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dockerd-20.10/basic_auth_401.log");
    let evs = events(&basic);
    assert_eq!(evs.len(), 1);
    assert_eq!(
        (&evs[0]["status"], &evs[0]["failed"]),
        (&401.into(), &true.into())
    );
    assert_eq!(evs[0]["findings"][0]["kind"], "basic");
    assert_eq!(evs[0]["findings"][0]["kb"][0], "auth/basic-auth-401");
    // The public issues' findings are text lines with no fetch event: none is invented.
    for path in fixtures("public-issues") {
        let (ev, sum) = findings(&path);
        assert!(ev.is_subset(&sum), "{path:?}");
    }
}

/// `retry_refused` is in the output where a retry was refused, and such a 401 failed.
#[test]
fn a_refused_retry_is_marked_and_failed() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dockerd-20.10/basic_auth_bad_creds.log");
    let refused: Vec<Value> = events(&path)
        .into_iter()
        .filter(|e| e["retry_refused"] == true)
        .collect();
    assert!(!refused.is_empty());
    assert!(
        refused
            .iter()
            .all(|e| e["failed"] == true && e["findings"][0]["category"] == "auth")
    );
}

/// A held challenge does not wait for the end of a long input: 2,000 lines after it, nothing
/// having overcome it, it is printed as failed, before the events read after that. Here a
/// second build with credentials (`basic_auth_ok`) comes 20,000 lines later: a new pull (its
/// own `resolving` line), whose success does not overcome the first pull's challenge, so
/// `summary` counts that one failed too.
#[test]
fn a_challenge_nothing_overcame_is_printed_failed_2000_lines_later() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dockerd-20.10");
    let mut log = std::fs::read_to_string(dir.join("basic_auth_401.log")).unwrap();
    for _ in 0..20_000 {
        log.push_str("time=\"2026-11-24T13:09:00Z\" level=debug msg=\"Calling HEAD /_ping\"\n");
    }
    log.push_str(&std::fs::read_to_string(dir.join("basic_auth_ok.log")).unwrap());
    let path = std::env::temp_dir().join(format!("bkscope-held-{}.log", std::process::id()));
    std::fs::write(&path, log).unwrap();
    let evs = events(&path);
    let _ = std::fs::remove_file(&path);
    let first = &evs[0];
    assert_eq!((&first["id"], &first["failed"]), (&0.into(), &true.into()));
    assert_eq!(first["findings"][0]["line"], 22);
    // Printed in the order read: the held challenge before the second build's events.
    let ids: Vec<u64> = evs.iter().map(|e| e["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, [0, 1, 2, 3, 4, 5]);
}

/// A failed pull then a successful pull of the same image on the same host (the captures
/// basic_auth_401 and basic_auth_ok, one after the other in one file, then as two sources):
/// the second pull's challenge is a fresh one its retry got past, not a refused retry of the
/// first, and the first pull's 401 is the one auth failure, as each capture alone says.
#[test]
fn a_failed_pull_then_a_successful_one_is_one_failure_and_no_refusal() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dockerd-20.10");
    let (failed, ok) = (
        dir.join("basic_auth_401.log"),
        dir.join("basic_auth_ok.log"),
    );
    let mut log = std::fs::read_to_string(&failed).unwrap();
    log.push_str(&std::fs::read_to_string(&ok).unwrap());
    let path = std::env::temp_dir().join(format!("bkscope-login-{}.log", std::process::id()));
    std::fs::write(&path, log).unwrap();
    let one = path.to_str().unwrap();
    let two = [failed.to_str().unwrap(), ok.to_str().unwrap()];
    for args in [vec![one], two.to_vec()] {
        let evs: Vec<Value> = run(&[&["events"][..], &args].concat())
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(evs.len(), 6, "{args:?}");
        assert!(evs.iter().all(|e| e["retry_refused"].is_null()), "{evs:?}");
        let failed: Vec<(u64, u64, u64)> = evs
            .iter()
            .filter(|e| e["failed"] == true)
            .map(|e| {
                let f = &e["findings"][0];
                assert_eq!(f["kind"], "basic", "{e}");
                (
                    e["source"].as_u64().unwrap(),
                    e["id"].as_u64().unwrap(),
                    f["line"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(failed, [(0, 0, 22)], "{args:?}");
        // In one file the second build's first request settles the first build's challenge:
        // printed in its place, not held to the end.
        if args.len() == 1 {
            let ids: Vec<u64> = evs.iter().map(|e| e["id"].as_u64().unwrap()).collect();
            assert_eq!(ids, [0, 1, 2, 3, 4, 5]);
        }
        let s: Value =
            serde_json::from_str(&run(&[&["summary", "--json"][..], &args].concat())).unwrap();
        let auth: Vec<(u64, u64, &str)> = s["auth_failures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["source"].as_u64().unwrap(),
                    f["line"].as_u64().unwrap(),
                    f["kind"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(auth, [(0, 22, "basic")], "{args:?}");
        assert_eq!(s["errors"].as_array().map(Vec::len), Some(0), "{args:?}");
    }
    let _ = std::fs::remove_file(&path);
}

/// `registry` is the registry a request was for: the mirror's `?ns=` upstream, and for a direct
/// request, which names none, the host's registry (Docker Hub's `registry-1.docker.io` is
/// `docker.io`), so `select(.registry == "docker.io")` takes the pull through the mirror and
/// the fallback to Docker Hub alike; it was `null` for the direct one.
#[test]
fn registry_is_the_ns_upstream_or_the_hosts_registry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dockerd-20.10/mirror_fallback.log");
    let pairs: BTreeSet<(String, String)> = events(&path)
        .iter()
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or("null").to_owned();
            (text("host"), text("registry"))
        })
        .collect();
    let want: BTreeSet<(String, String)> = [
        ("127.0.0.1:5001", "docker.io"),
        ("registry-1.docker.io", "docker.io"),
    ]
    .iter()
    .map(|(h, r)| ((*h).to_owned(), (*r).to_owned()))
    .collect();
    assert_eq!(pairs, want);
    // A host of no known registry is its own.
    let direct = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dockerd-20.10/basic_auth_401.log");
    for e in events(&direct) {
        assert_eq!(e["registry"], e["host"], "{e}");
    }
    // A url-less request (no host logged): the upstream `--config` routes it to, as `route`
    // says and the explorer's `registry=docker.io` counts it; `null` without `--config`.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed");
    let (gcr, toml) = (dir.join("mirror_gcr.log"), dir.join("buildkitd.toml"));
    let routed: Vec<Value> = run(&[
        "events",
        "--config",
        toml.to_str().unwrap(),
        gcr.to_str().unwrap(),
    ])
    .lines()
    .map(|l| serde_json::from_str(l).unwrap())
    .collect();
    assert_eq!(routed.len(), 3);
    for e in &routed {
        assert_eq!(e["host"], Value::Null, "{e}");
        assert_eq!(e["route"]["upstream"], "docker.io", "{e}");
        assert_eq!(e["registry"], "docker.io", "{e}");
    }
    for e in events(&gcr) {
        assert_eq!(e["registry"], Value::Null, "{e}");
    }
}

/// Past `MAX_FINDINGS` (10,000) the model counts findings without keeping them, and `events`
/// printed such an event `failed: true` with `findings: []`: no word of what failed. Now it
/// has `findings_omitted` (`{"category": "error", "kind": "rate-limited", "count": 1}`), and
/// the counts add up to `summary --json`'s `findings_omitted`. The real capture
/// dockerd-20.10/rate_limited_429.log (six 429s, each an error of an event) 1,700 times:
/// 10,200 findings, 200 past the cap.
#[test]
fn events_past_the_findings_cap_still_say_what_failed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dockerd-20.10");
    let one = std::fs::read_to_string(dir.join("rate_limited_429.log")).unwrap();
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), one.repeat(1_700)).unwrap();
    let path = file.path().to_str().unwrap();
    let evs: Vec<Value> = run(&["events", path])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let omitted: Vec<&Value> = evs
        .iter()
        .filter_map(|e| e.get("findings_omitted"))
        .collect();
    assert_eq!(omitted.len(), 200);
    assert!(
        omitted
            .iter()
            .all(|o| o["category"] == "error" && o["kind"] == "rate-limited" && o["count"] == 1),
        "{omitted:?}"
    );
    let unsaid = evs.iter().filter(|e| {
        e["failed"] == true
            && e["findings"].as_array().unwrap().is_empty()
            && e.get("findings_omitted").is_none()
    });
    assert_eq!(unsaid.count(), 0);
    let s: Value = serde_json::from_str(&run(&["summary", "--json", path])).unwrap();
    assert_eq!(s["findings_omitted"], 200);
    // Below the cap no event has the key.
    let evs = events(&dir.join("rate_limited_429.log"));
    assert!(evs.iter().all(|e| e.get("findings_omitted").is_none()));
}

/// A log cut after a challenge's retry was sent (`basic_auth_ok` to its 24th line: the 401,
/// then the request with the credentials, whose answer never came): one failure, the retry's
/// missing answer, in `events` and in `summary`; not an auth failure as well (the pull was
/// counted twice, `--fail-on auth` failed a build whose credentials were sent).
#[test]
fn a_retry_cut_off_is_one_failure_in_events_and_summary() {
    let full = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/dockerd-20.10/basic_auth_ok.log"),
    )
    .unwrap();
    let cut: String = full.lines().take(24).map(|l| format!("{l}\n")).collect();
    assert!(cut.lines().last().unwrap().contains("msg=\"do request\""));
    let path = std::env::temp_dir().join(format!("bkscope-cut-retry-{}.log", std::process::id()));
    std::fs::write(&path, cut).unwrap();
    let evs = events(&path);
    let statuses: Vec<&Value> = evs.iter().map(|e| &e["status"]).collect();
    assert_eq!(statuses, [&Value::from(401), &Value::Null], "{evs:?}");
    assert_eq!(evs[0]["failed"], false, "{evs:?}");
    assert_eq!(evs[1]["findings"][0]["kind"], "no-response", "{evs:?}");
    let s: Value =
        serde_json::from_str(&run(&["summary", "--json", path.to_str().unwrap()])).unwrap();
    assert_eq!(s["auth_failures"].as_array().map(Vec::len), Some(0), "{s}");
    assert_eq!(s["errors"].as_array().map(Vec::len), Some(1), "{s}");
    let code = |fail_on: &str| {
        Command::new(env!("CARGO_BIN_EXE_bkscope"))
            .args(["summary", "--fail-on", fail_on, path.to_str().unwrap()])
            .env("XDG_CONFIG_HOME", "/nonexistent")
            .env("HOME", "/nonexistent")
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!((code("auth"), code("errors")), (Some(0), Some(1)));
    std::fs::remove_file(&path).ok();
}

/// Each event carries its times as RFC 3339 text too, to the log's nanosecond, beside the
/// integer nanoseconds jq rounds (a review: `jq .started` gave 1795525715240329500 for
/// 1795525715240329552); a whole-second log's times stay whole seconds.
#[test]
fn events_carry_their_times_as_rfc3339_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let used = dir.join("dockerd-20.10/mirror_used.log");
    let log = std::fs::read_to_string(&used).unwrap();
    let first = &events(&used)[0];
    let at = first["started_at"].as_str().unwrap();
    assert_eq!(at, "2026-11-24T13:08:35.240329552Z");
    // The request line's own `time=`.
    let request = first["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| log.lines().nth(n.as_u64().unwrap() as usize - 1))
        .find(|l| l.contains("msg=\"do request\""))
        .unwrap();
    assert!(request.starts_with(&format!("time=\"{at}\"")), "{request}");
    assert!(first["finished_at"].as_str().unwrap() > at);
    let seed = &events(&dir.join("seed/mirror_gcr.log"))[0];
    assert_eq!(seed["started_at"], "2022-02-06T17:47:48Z");
}
