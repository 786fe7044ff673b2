//! The explorer on the client's output and the daemon's log as two files: the client's
//! failure is the daemon's, counted once in the header, in either order (`model::told_across`).

use crate::test_support::files_with_seed_config;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/dockerd-20.10/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_clients_file_before_the_log_is_one_auth_failure_in_the_header() {
    let (client, log) = (
        fixture("oauth_token_401.client.txt"),
        fixture("oauth_token_401.log"),
    );
    let alone = files_with_seed_config(&[("daemon.log", &log)], false);
    assert_eq!(alone.finding_totals.auth, 1);
    for files in [
        [("build.txt", client.as_str()), ("daemon.log", log.as_str())],
        [("daemon.log", log.as_str()), ("build.txt", client.as_str())],
    ] {
        let app = files_with_seed_config(&files, false);
        let t = app.finding_totals;
        assert_eq!((t.auth, t.errors), (1, 0), "{:?}", files.map(|f| f.0));
        // The one left is the daemon's, on its 401's request.
        let daemon = files.iter().position(|f| f.0 == "daemon.log");
        let kept = app.model.findings();
        assert_eq!(kept.len(), 1);
        assert_eq!(Some(kept[0].source as usize), daemon);
        assert_eq!(kept[0].line, 25);
    }
    // The client's file alone is still its own auth failure.
    let client_alone = files_with_seed_config(&[("build.txt", &client)], false);
    assert_eq!(client_alone.finding_totals.auth, 1);
}
