//! `host=` and `registry=` in the Events view agree with what it shows: `host=unknown` keeps
//! the rows whose HOST column reads `unknown` (a url-less BuildKit ≥ v0.16 request), and
//! `registry=docker.io` keeps the direct requests to Docker Hub's hosts too.

use ratatui::layout::Rect;

use super::{kept, press};
use crate::app::{Action, App};

const GCR: &str = include_str!("../../../tests/fixtures/seed/mirror_gcr.log");
const DEMO: &str = include_str!("../../../tests/fixtures/sample/demo.log");

fn events_of(label: &str, text: &str) -> App {
    let mut app = App::from_log(label, text);
    app.update(Action::Layout(Rect::new(0, 3, 100, 10)));
    press(&mut app, "1");
    app
}

// On seed/mirror_gcr.log the reviewer saw the HOST column read `unknown` on every row, while
// `f host=unknown` matched 0 and `f host!=unknown` matched all.
#[test]
fn host_unknown_keeps_the_rows_the_column_shows_unknown() {
    let mut app = events_of("mirror_gcr.log", GCR);
    let all = app.model.events().count();
    let unknown = app
        .model
        .events()
        .filter(|e| e.host_or_unknown() == "unknown")
        .count();
    assert!(unknown > 0 && unknown == all, "{unknown} of {all}");
    assert_eq!(kept(&mut app, "host=unknown"), unknown);
    assert_eq!(kept(&mut app, "host!=unknown"), all - unknown);
    assert_eq!(kept(&mut app, "host~unkn"), unknown);

    // A log with hosts: none of them is `unknown`.
    let mut app = events_of("demo.log", DEMO);
    let all = app.model.events().count();
    assert_eq!(kept(&mut app, "host=unknown"), 0);
    assert_eq!(kept(&mut app, "host!=unknown"), all);
}

// On demo.log the direct requests to registry-1.docker.io carry no `registry` (`null` in
// `events --json`): `registry=docker.io` kept only the mirror's `?ns=docker.io` requests.
#[test]
fn registry_docker_io_keeps_direct_requests_to_docker_hub() {
    let mut app = events_of("demo.log", DEMO);
    let direct = app
        .model
        .events()
        .filter(|e| e.host.as_deref() == Some("registry-1.docker.io"))
        .count();
    let via_ns = app
        .model
        .events()
        .filter(|e| e.registry.as_deref() == Some("docker.io"))
        .count();
    assert!(direct > 0 && via_ns > 0, "{direct} {via_ns}");
    assert_eq!(kept(&mut app, "registry=docker.io"), direct + via_ns);
    assert_eq!(
        kept(&mut app, "registry=registry-1.docker.io"),
        direct + via_ns
    );
    let all = app.model.events().count();
    assert_eq!(kept(&mut app, "registry!=docker.io"), all - direct - via_ns);
    // A host that is no known registry's is its own registry.
    let own = app
        .model
        .events()
        .filter(|e| e.registry.is_none() && e.host.as_deref() == Some("127.0.0.1:5011"))
        .count();
    assert!(own > 0);
    assert_eq!(kept(&mut app, "registry=127.0.0.1:5011"), own);
}
