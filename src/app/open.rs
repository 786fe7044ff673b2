//! Enter: opens what the selected row leads to — in the Traces list the waterfall (on the
//! failed request the kb pane diagnosed), in the Events view and a waterfall the detail pane,
//! in the Raw view the line's event (`open_line`), in the Mirrors view the host's requests.

use super::filter::Filter;
use super::{App, PromptKind, View};

impl App {
    /// Enter, in the view shown.
    pub(super) fn open(&mut self) {
        match self.view {
            View::Traces if self.traces.open.is_none() => {
                // On the request the kb pane diagnosed, when the trace has a failure.
                let failure = self.trace_failure().map(|e| e.id);
                self.traces.open = self.traces.selected().map(str::to_owned);
                // Esc comes back to this trace, not to the newest one.
                self.follow.traces = false;
                self.traces.wf_cursor = super::list::Cursor::default();
                let at = failure.and_then(|id| {
                    let t = self.open_trace()?;
                    self.waterfall_of(t)
                        .iter()
                        .position(|r| *r == super::traces::WaterfallRow::Event(id))
                });
                if let Some(i) = at {
                    let (len, page) = (self.list_len(), self.page());
                    self.traces.wf_cursor.select(i, len, page);
                }
            }
            View::Events | View::Traces => self.show_detail = true,
            View::Raw => self.open_line_event(),
            View::Mirrors => self.open_host(),
        }
    }

    /// Enter on a host in the Mirrors view: its requests, in the Events view (a `host=`
    /// filter, which Esc clears, as `f` would set it). An inferred host (`mirror.gcr.io?`,
    /// `app::route`) filters to it by name: the requests logged to it and inferred alike.
    fn open_host(&mut self) {
        let Some((host, inferred, never_asked)) = self
            .activity
            .hosts
            .get(self.hosts_cursor.selected)
            .map(|h| (h.filter_host().to_owned(), h.inferred, h.never_asked()))
        else {
            return;
        };
        if never_asked {
            self.say(format!(
                "{host}: a configured mirror no request went to (K: why)"
            ));
            return;
        }
        let known = inferred || self.model.stats().hosts.contains_key(&host) && host != "unknown";
        let text = format!("host={host}");
        match Filter::parse(&text) {
            Ok(f) if known && !host.contains(char::is_whitespace) => {
                self.filter = f;
                self.prompt_history.push(PromptKind::Filter, &text);
                self.host_opened = Some(text);
                self.switch_view(View::Events);
                self.rebuild_rows();
                self.status = Some(super::Status::FilterMatches);
            }
            _ => {
                self.switch_view(View::Events);
                self.say(format!(
                    "'{host}' names no logged host: every event shown (f filters)"
                ));
            }
        }
    }
}
