//! Lines in: parse, feed the model, store the redacted raw line, then bring every view's rows,
//! the findings and their diagnoses up to date. One batch per `Action::Source`, bounded by the
//! feed, so the event loop stays responsive during a large load.

use crate::model::fetch::FetchEvent;
use crate::parse::parse_line;
use crate::source::{Line, SourceEvent, SourceState};

use super::lines::RawLine;
use super::mirrors::Activity;
use super::{App, SourceInfo, View, diagnosis};

impl App {
    /// Applies a source event.
    pub(super) fn on_source(&mut self, ev: SourceEvent) {
        match ev {
            SourceEvent::Lines(lines) => self.ingest(&lines),
            SourceEvent::State { source, state } => {
                let done = matches!(state, SourceState::Following | SourceState::Ended(_));
                let s = self.source_mut(source);
                s.state = state;
                if done {
                    s.progress = None;
                }
                if self.view == View::Mirrors {
                    self.refresh_activity();
                }
                self.maybe_land();
            }
            SourceEvent::Progress {
                source,
                read,
                total,
            } => self.source_mut(source).progress = Some((read, total)),
            SourceEvent::Reset { source, why } => {
                let label = self.source_mut(source).label.clone();
                self.status = Some(format!("{label}: {why}; following the new content"));
            }
        }
    }

    fn source_mut(&mut self, source: u32) -> &mut SourceInfo {
        let i = source as usize;
        while self.sources.len() <= i {
            self.sources.push(SourceInfo {
                label: format!("source {}", self.sources.len()),
                state: crate::source::SourceState::Starting,
                progress: None,
                restartable: false,
            });
        }
        &mut self.sources[i]
    }

    /// Parses and stores a batch of lines.
    pub fn ingest(&mut self, lines: &[Line]) {
        let first_new = self.lines.len();
        for line in lines {
            let rec = parse_line(&line.text);
            self.lines.push(line, &rec, self.opts.redact);
            self.model.ingest(line.source, line.number, &rec);
        }
        let completed = self.model.take_completed();
        let evicted = self.model.take_evicted();
        for gone in &evicted {
            for &l in &gone.lines {
                if self.line_event.get(&(gone.source, l)) == Some(&gone.id) {
                    self.line_event.remove(&(gone.source, l));
                }
            }
        }
        let gone: Vec<usize> = evicted.iter().map(|e| e.id).collect();
        self.events.forget(&gone);
        for &id in &completed {
            if let Some(ev) = self.model.event(id) {
                for &l in &ev.lines {
                    self.line_event.insert((ev.source, l), id);
                }
            }
        }
        self.refresh_findings();
        let filter = &self.filter;
        let trace = self.trace_filter.as_deref();
        let page = usize::from(self.list_area.height.max(1));
        self.events
            .refresh(&self.model, &completed, |e| pass_event(filter, trace, e));
        for idx in first_new..self.lines.len() {
            if self
                .lines
                .get(idx)
                .is_some_and(|l| pass_line(filter, trace, self.all_lines, l))
            {
                self.raw_rows.push(idx);
            }
        }
        // Traces and host activity cost a pass over every event: only for the view on screen,
        // and host activity only when the events grew by a tenth (or loading ended).
        self.traces_stale |= !completed.is_empty() || !gone.is_empty();
        if self.view == View::Traces && self.traces_stale {
            self.traces_stale = false;
            self.traces
                .refresh(&self.model, |e| pass_event(filter, trace, e));
        }
        let n = self.model.event_count();
        if self.view == View::Mirrors && n > self.activity_at + (self.activity_at / 10).max(256) {
            self.refresh_activity();
        }
        if self.follow {
            self.events
                .cursor
                .select(usize::MAX, self.events.rows.len(), page);
            self.raw_cursor
                .select(usize::MAX, self.raw_rows.len(), page);
        } else {
            self.events
                .cursor
                .keep_visible(self.events.rows.len(), page);
            self.raw_cursor.keep_visible(self.raw_rows.len(), page);
        }
        self.dirty = true;
    }

    /// Recomputes the Mirrors view's per-host activity.
    pub(super) fn refresh_activity(&mut self) {
        self.activity = Activity::compute(&self.model);
        self.activity_at = self.model.event_count();
        let (len, page) = (self.activity.hosts.len(), self.page());
        self.hosts_cursor.keep_visible(len, page);
    }

    /// Re-reads the findings (401s are confirmed or overcome as lines arrive) and asks the
    /// knowledge base about new ones.
    fn refresh_findings(&mut self) {
        self.findings = self.model.findings();
        self.event_findings.clear();
        self.line_findings.clear();
        let facts = crate::kb::Facts::from_model(&self.model);
        for (i, f) in self.findings.iter().enumerate() {
            self.line_findings.entry((f.source, f.line)).or_insert(i);
            if let Some(ev) = f.event {
                self.event_findings.entry(ev).or_default().push(i);
            }
            if !self.diagnoses.contains_key(&(f.source, f.line)) {
                // The knowledge base matches response headers: the event's full ones.
                let ev = f
                    .event
                    .and_then(|id| self.model.event(id))
                    .map(|e| self.with_headers(e));
                let d = diagnosis::diagnose(&self.kb, f, ev.as_ref(), &facts, self.opts.zh);
                self.diagnoses.insert((f.source, f.line), d);
            }
        }
    }

    /// Once every source has loaded its history: open on the first auth failure, if any, with
    /// its diagnosis (unless the user has moved already).
    fn maybe_land(&mut self) {
        let loading = self
            .sources
            .iter()
            .any(|s| matches!(s.state, SourceState::Starting | SourceState::Loading));
        if self.landed || loading {
            return;
        }
        self.landed = true;
        if self.touched || self.view != View::Events {
            return;
        }
        let first_auth = self
            .events
            .rows
            .iter()
            .position(|&id| self.is_auth_failure(id));
        if let Some(pos) = first_auth {
            self.follow = false;
            let page = self.page();
            self.events.cursor.select(pos, self.events.rows.len(), page);
            self.show_kb = !self.selected_diagnoses().is_empty();
            self.status = Some(format!(
                "opened on the first auth failure; {} jumps to the next error, G follows the tail",
                self.keymap.key_of(&super::Action::NextError).unwrap_or("e")
            ));
        }
    }

    /// Re-judges every row (the filter, trace filter or raw toggle changed).
    pub(super) fn rebuild_rows(&mut self) {
        let filter = &self.filter;
        let trace = self.trace_filter.as_deref();
        let page = usize::from(self.list_area.height.max(1));
        self.events
            .rebuild(&self.model, |e| pass_event(filter, trace, e), page);
        let keep = self.raw_rows.get(self.raw_cursor.selected).copied();
        self.raw_rows = (0..self.lines.len())
            .filter(|&i| {
                self.lines
                    .get(i)
                    .is_some_and(|l| pass_line(filter, trace, self.all_lines, l))
            })
            .collect();
        let pos = keep
            .and_then(|k| self.raw_rows.binary_search(&k).ok())
            .unwrap_or(self.raw_rows.len().saturating_sub(1));
        self.raw_cursor.select(pos, self.raw_rows.len(), page);
        self.traces
            .refresh(&self.model, |e| pass_event(filter, trace, e));
        self.traces_stale = false;
        self.dirty = true;
    }
}

fn pass_event(filter: &super::filter::Filter, trace: Option<&str>, e: &FetchEvent) -> bool {
    trace.is_none_or(|t| e.trace_id.as_deref() == Some(t)) && filter.matches_event(e)
}

fn pass_line(filter: &super::filter::Filter, trace: Option<&str>, all: bool, l: &RawLine) -> bool {
    (all || l.kind.is_registry())
        && trace.is_none_or(|t| l.trace.as_deref() == Some(t))
        && filter.matches_line(l)
}

impl App {
    /// An app that has read `text` as one file named `label`, loaded to its end (tests,
    /// screenshots): the same batches, parse and model path as a live source.
    pub fn from_log(label: &str, text: &str) -> App {
        App::from_log_with(super::AppOptions::default(), label, text)
    }

    /// [`App::from_log`] with these options (a cap on kept events, no redaction).
    pub fn from_log_with(opts: super::AppOptions, label: &str, text: &str) -> App {
        let mut app = App::new(
            opts,
            crate::kb::KnowledgeBase::builtin(),
            super::keymap::Keymap::builtin(),
        );
        let n = app.add_source(&crate::source::SourceSpec::File(label.into()));
        app.update(super::Action::Source(SourceEvent::State {
            source: n,
            state: SourceState::Loading,
        }));
        let mut lines = Vec::new();
        let _ = crate::source::lines::read_all(n, text.as_bytes(), |b| lines.extend_from_slice(b));
        for chunk in lines.chunks(super::feed::MAX_BATCH) {
            app.update(super::Action::Source(SourceEvent::Lines(chunk.to_vec())));
        }
        app.update(super::Action::Source(SourceEvent::State {
            source: n,
            state: SourceState::Following,
        }));
        app
    }

    /// [`App::from_log`] with the label `test.log`.
    pub fn from_log_text(text: &str) -> App {
        App::from_log("test.log", text)
    }
}
