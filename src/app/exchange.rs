//! The exchange the detail pane, the `x` report and the knowledge base look at, with its full
//! headers: the model keeps completed events without them (a kept event stays small), so they
//! are read again from the event's own lines in the line store.

use crate::model::exchange::{HeaderLists, headers_of};
use crate::model::fetch::FetchEvent;

use super::App;

impl App {
    /// Request and response headers of `ev`, re-read from its lines; the model's own lists (the
    /// headers it reads) when none of its lines is held any more.
    pub fn exchange_headers(&self, ev: &FetchEvent) -> HeaderLists {
        let texts: Vec<String> = ev
            .lines
            .iter()
            .filter_map(|&n| self.lines.find(ev.source, n))
            .map(|l| l.text().into_owned())
            .collect();
        let (request, response) = headers_of(texts.iter().map(String::as_str), self.opts.redact);
        if request.is_empty() && response.is_empty() {
            return (ev.request_headers.clone(), ev.response_headers.clone());
        }
        (request, response)
    }

    /// A copy of `ev` with its full headers, for the knowledge base's header signatures.
    pub(super) fn with_headers(&self, ev: &FetchEvent) -> FetchEvent {
        let (request_headers, response_headers) = self.exchange_headers(ev);
        FetchEvent {
            request_headers,
            response_headers,
            ..ev.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Model, ModelOptions};

    use super::*;

    /// The app keeps events without headers; what it shows equals what a model keeping every
    /// header holds, on fixtures with per-header fields, Go header maps and secrets. One
    /// difference: the line store redacts a Go map's `Authorization:[Bearer x]` whole, so the
    /// scheme word is gone from that (old containerd) form: `REDACTED`, not `Bearer REDACTED`.
    #[test]
    fn exchange_headers_equal_a_full_models_headers() {
        for text in [
            include_str!("../../tests/fixtures/seed/mirror_gcr.log"),
            include_str!("../../tests/fixtures/dockerd-20.10/basic_auth_401.log"),
            include_str!("../../tests/fixtures/dockerd-20.10/mirror_used.log"),
            include_str!("../../tests/fixtures/secrets/tokens.log"),
        ] {
            let app = App::from_log_text(text);
            let mut full = Model::new(ModelOptions::default());
            full.ingest_text(0, text);
            full.finish();
            let mut with_headers = 0;
            for ev in app.model.events() {
                let want = full.event(ev.id).unwrap();
                if ev.status.is_some() {
                    assert!(ev.response_headers.len() <= want.response_headers.len());
                }
                let (req, resp) = app.exchange_headers(ev);
                let masked = |list: &[crate::model::Header]| -> Vec<(String, String)> {
                    let mask = crate::model::redact::MASK;
                    let shown = |h: &crate::model::Header| match h.value.ends_with(mask) {
                        true => mask.to_owned(),
                        false => h.value.clone(),
                    };
                    list.iter()
                        .map(|h| (h.name.to_string(), shown(h)))
                        .collect()
                };
                assert_eq!(
                    masked(&req),
                    masked(&want.request_headers),
                    "event {}",
                    ev.id
                );
                assert_eq!(resp, want.response_headers, "event {}", ev.id);
                with_headers += usize::from(!req.is_empty() || !resp.is_empty());
            }
            assert!(with_headers > 0);
        }
    }
}
