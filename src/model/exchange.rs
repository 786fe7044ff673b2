//! The full request and response headers of one fetch event, read again from its own log lines.
//!
//! The TUI keeps completed events without their headers (see
//! [`Model::forget_completed_details`](super::Model::forget_completed_details)): a kept event
//! then costs a few hundred bytes instead of kilobytes, and the exchange view, the `x` report
//! and the knowledge base re-read the headers of the one event they look at with
//! [`headers_of`]. Pure: line texts in, headers out.

use crate::parse::{Record, parse_line};

use super::headers::{Header, headers};
use super::note::Side;
use super::redact::Scrub;
use super::route::{Route, route};

/// Request and response headers, each in line order.
pub type HeaderLists = (Vec<Header>, Vec<Header>);

/// The headers of the `do request` and `fetch response received` lines among `lines` (the lines
/// an event was built from), exactly as the model builds them when it keeps every header: the
/// last line of each kind wins, values are redacted when `redact` is set.
pub fn headers_of<'a>(lines: impl IntoIterator<Item = &'a str>, redact: bool) -> HeaderLists {
    let (mut request, mut response) = (Vec::new(), Vec::new());
    for text in lines {
        let Record::Entry(e) = parse_line(text) else {
            continue;
        };
        match route(e.msg.as_ref()) {
            Route::Request => {
                request = headers(&e, Side::Request, Scrub::new(redact), None);
            }
            Route::Response => {
                response = headers(&e, Side::Response, Scrub::new(redact), None);
            }
            _ => {}
        }
    }
    (request, response)
}

#[cfg(test)]
mod tests {

    use super::super::{Model, ModelOptions};
    use super::*;

    /// Every fixture: each event's headers, re-read from its lines, equal the headers the model
    /// built while reading them (with and without redaction).
    #[test]
    fn headers_of_equals_the_models_headers_on_every_fixture() {
        let files = crate::test_support::fixture_logs();
        let mut checked = 0;
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            for redact in [true, false] {
                let mut m = Model::new(ModelOptions {
                    redact,
                    ..ModelOptions::default()
                });
                m.ingest_text(0, &text);
                m.finish();
                for ev in m.events() {
                    let own = ev.lines.iter().map(|&n| lines[n as usize - 1]);
                    let (req, resp) = headers_of(own, redact);
                    assert_eq!(
                        req,
                        ev.request_headers,
                        "{} event {}",
                        path.display(),
                        ev.id
                    );
                    assert_eq!(
                        resp,
                        ev.response_headers,
                        "{} event {}",
                        path.display(),
                        ev.id
                    );
                    checked += usize::from(!req.is_empty() || !resp.is_empty());
                }
            }
        }
        assert!(checked > 100, "only {checked} events with headers");
    }
}
