//! What the Mirrors view marks, on the sample log: with several sources the evidence names
//! each line's file (two files' `L22` told apart, as the summary's `A.log line 22`); a mirror
//! the `--config` file names is marked `(configured)`; verdict words are upper-case, as the
//! summary writes them; a silent fallback's evidence names the mirror's failed answer and its
//! line beside the line that proves the next host was tried.

use super::{DEMO, app, screen, screen_text};
use crate::app::{Action, App, AppOptions};
use crate::model::mirror::MirrorConfig;

/// In the snapshots' directory, with the other view snapshots.
fn snapshots(f: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(f);
}

// Before: `L22 served by the mirror…` twice (A.log's and demo.log's), nothing telling them
// apart.
#[test]
fn with_several_sources_each_evidence_line_names_its_file() {
    snapshots(|| {
        let lines: Vec<&str> = DEMO.lines().collect();
        let head = lines[..100].join("\n") + "\n";
        let tail = lines[100..].join("\n") + "\n";
        let mut a = App::from_logs(&[("A.log", &head), ("B.log", &tail), ("demo.log", DEMO)]);
        a.update(Action::ShowMirrors);
        let rows = screen_text(&screen(&mut a, 140, 80));
        let all = rows.join("\n");
        let label = ["A.log", "B.log", "demo.log"];
        // Every evidence line the model gives is shown with its file, the texts in one column.
        let mut columns = std::collections::BTreeSet::new();
        let mut files = std::collections::BTreeSet::new();
        for e in a.model.mirror_verdicts().iter().flat_map(|v| &v.evidence) {
            let at = format!("{} L{} ", label[e.source as usize], e.line);
            let why: String = e.why.chars().take(30).collect();
            let below = rows.iter().skip_while(|r| !r.starts_with("evidence: "));
            let row = below.clone().find(|r| r.contains(&format!("{at}{why}")));
            let row = row.unwrap_or_else(|| panic!("{at}{why}: {all}"));
            columns.insert(row.find(&why));
            files.insert(e.source);
        }
        assert!(files.len() > 1, "evidence from several files: {files:?}");
        assert_eq!(columns.len(), 1, "{columns:?}: {all}");
        insta::assert_snapshot!(
            "mirrors_evidence_names_sources",
            screen(&mut a, 120, 40).backend()
        );
    });
}

#[test]
fn with_one_source_the_evidence_line_is_its_number_alone() {
    let mut a = app("demo.log", DEMO);
    a.update(Action::ShowMirrors);
    let rows = screen_text(&screen(&mut a, 140, 80));
    assert!(
        rows.iter()
            .any(|r| r.starts_with("    L22 served by the mirror")),
        "{}",
        rows.join("\n")
    );
    assert!(!rows.iter().any(|r| r.contains("demo.log L")));
}

// Before: `mirror.gcr.io` (configured, never asked) looked like `127.0.0.1:5001` (seen in the
// log), and the words read `used`, `partial`, `UNUSED`, `unknown`.
#[test]
fn configured_mirrors_are_marked_and_verdicts_are_upper_case() {
    snapshots(|| {
        let opts = AppOptions {
            mirrors: MirrorConfig::from_buildkitd_toml(
                "[registry.\"docker.io\"]\nmirrors = [\"mirror.gcr.io\"]\n",
            )
            .unwrap(),
            ..AppOptions::default()
        };
        let mut a = App::from_log_with(opts, "demo.log", DEMO);
        a.update(Action::ShowMirrors);
        let t = screen(&mut a, 120, 40);
        insta::assert_snapshot!("mirrors_configured_marked", t.backend());
        let rows = screen_text(&t);
        let row = |mirror: &str| {
            rows.iter()
                .find(|r| r.starts_with("docker.io") && r.contains(mirror))
                .cloned()
                .unwrap_or_default()
        };
        let gcr = row("mirror.gcr.io");
        assert!(gcr.contains("mirror.gcr.io (configured)"), "{gcr}");
        assert!(gcr.contains("UNUSED"), "{gcr}");
        let seen = row("127.0.0.1:5001");
        assert!(!seen.contains("(configured)"), "{seen}");
        assert!(seen.contains("PARTIAL"), "{seen}");
        let all = rows.join("\n");
        assert!(
            all.contains("evidence: docker.io → mirror.gcr.io (configured; "),
            "{all}"
        );
    });
}

// Before: `L25 mirror failed, next host tried: … 401 Unauthorized`, L25 being the upstream's
// request; the mirror's 401 (line 22) was named nowhere in the view.
#[test]
fn a_silent_fallbacks_evidence_names_the_mirrors_401_and_its_line() {
    const NO_CREDS: &str =
        include_str!("../../../tests/fixtures/dockerd-20.10/mirror_basic_auth_no_creds.log");
    snapshots(|| {
        let mut a = app("no_creds.log", NO_CREDS);
        a.update(Action::ShowMirrors);
        let t = screen(&mut a, 120, 40);
        let all = screen_text(&t).join("\n");
        for (cited, answer) in [(25, 22), (32, 30), (38, 36), (50, 48)] {
            assert!(all.contains(&format!("L{cited} mirror failed")), "{all}");
            assert!(
                all.contains(&format!("401 Unauthorized at line {answer}")),
                "{answer}: {all}"
            );
        }
        insta::assert_snapshot!("mirrors_silent_fallback_names_its_401", t.backend());
    });
}
