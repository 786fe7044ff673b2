//! Lines in: parse (or, for a line the model only counts, a quick look), feed the model, store
//! the redacted raw line, then bring every view's rows, the findings and their diagnoses up to
//! date. One batch per `Action::Source`, bounded by the feed, so the event loop stays
//! responsive during a large load.

use crate::model::Model;
use crate::model::fetch::FetchEvent;
use crate::parse::parse_line;
use crate::source::{Line, SourceEvent, SourceState};

use super::lines::LineFacts;
use super::mirrors::Activity;
use super::raw_rows::RawRows;
use super::{App, SourceInfo, View, diagnosis};

/// While full batches arrive, the findings are re-read once per this many lines.
const FINDINGS_EVERY: usize = 65_536;

/// A batch of at most this many lines means the lines trickle in: the findings are re-read at
/// once. (Any batch short of full did that before; a load whose 1 MiB reads each left a short
/// last batch re-read 10,000 findings every 3,000 lines: a tenth of a 1 GiB load.)
const TRICKLE: usize = super::feed::MAX_BATCH / 4;

/// What the status bar says when `s` enters `state`: an error in full (the header may have
/// room for a few words of it), and that a `docker logs` source ended and `r` follows it again.
fn told(s: &SourceInfo, state: &SourceState) -> Option<String> {
    let again = if s.restartable { "; r tries again" } else { "" };
    match state {
        SourceState::Error(e) => Some(format!("{}: {e}{again}", s.label)),
        SourceState::Waiting(e) => Some(format!("{}: {e}", s.label)),
        SourceState::Ended(_) if s.restartable => Some(format!(
            "{}: docker logs ended (the container stopped or is gone); r follows it again",
            s.label
        )),
        _ => None,
    }
}

/// The newest content seams the Raw view marks; a follow rotated every hour for a year keeps
/// the last 1,024.
const MAX_RESET_MARKS: usize = 1024;

impl App {
    /// True when line `number` of `source` is the first of new content: the file was
    /// truncated or replaced, or `docker logs` restarted, just before it (the Raw view marks it
    /// `↺` after its number).
    pub fn starts_again(&self, source: u32, number: u64) -> bool {
        self.reset_lines.contains(&(source, number))
    }

    /// Applies a source event.
    pub(super) fn on_source(&mut self, ev: SourceEvent) {
        match ev {
            SourceEvent::Lines(lines) => self.ingest(&lines),
            SourceEvent::State { source, state } => {
                let done = matches!(state, SourceState::Following | SourceState::Ended(_));
                // A source's history is read: the client's output read before the daemon's
                // log tells the daemon's failures (`model::told_across`), as `summary` says.
                let folded = done && self.model.fold_told_across();
                if done && (self.findings_due > 0 || folded) {
                    self.refresh_findings();
                }
                let s = self.source_mut(source);
                let told = told(s, &state);
                s.state = state;
                if done {
                    s.progress = None;
                }
                if let Some(msg) = told {
                    self.say(msg);
                }
                if self.view == View::Mirrors {
                    self.refresh_activity();
                }
                self.maybe_finish();
                self.maybe_land();
            }
            SourceEvent::Progress {
                source,
                read,
                total,
            } => self.source_mut(source).progress = Some((read, total)),
            SourceEvent::Reset { source, why } => {
                // Lines keep counting: the new content starts at the next number. The Raw view
                // marks that line (`App::starts_again`), the header says it until the next.
                let s = self.source_mut(source);
                let first = s.last_number + 1;
                let msg = format!(
                    "{}: {why}; following the new content from line {first}",
                    s.label
                );
                s.reset = Some((why, first));
                if self.reset_lines.len() >= MAX_RESET_MARKS {
                    self.reset_lines.pop_front();
                }
                self.reset_lines.push_back((source, first));
                self.say(msg);
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
                last_number: 0,
                reset: None,
            });
        }
        &mut self.sources[i]
    }

    /// Parses and stores a batch of lines.
    pub fn ingest(&mut self, lines: &[Line]) {
        let first_new = self.lines.end();
        // The open waterfall's selected row, found again after the batch: a request of an
        // earlier span adds a row above it.
        let wf_keep = self.open_trace().and_then(|t| {
            self.waterfall_of(t)
                .get(self.traces.wf_cursor.selected)
                .cloned()
        });
        for line in lines {
            if let Some(s) = self.sources.get_mut(line.source as usize) {
                s.last_number = line.number;
            }
            // Most of a daemon log is lines the model only counts: a quick look gives the
            // store all it keeps of them, without parsing (the headless fast path's test,
            // `Model::needs_entry`).
            if let Some(g) = Model::plain_glance(&line.text) {
                let facts = LineFacts::of_glance(&g);
                self.lines.push_facts(line, facts, self.opts.redact);
                self.model.count_plain_entries(1, u64::from(g.damaged));
                continue;
            }
            let rec = parse_line(&line.text);
            self.lines.push(line, &rec, self.opts.redact);
            self.model.ingest(line.source, line.number, &rec);
        }
        // The events and the newest time changed: the waterfall is built again.
        self.waterfall_rows.changed();
        let completed = self.model.take_completed();
        let evicted = self.model.take_evicted();
        for gone in &evicted {
            for &l in &gone.lines {
                self.lines.clear_event(gone.source, l, gone.id);
            }
        }
        let gone: Vec<usize> = evicted.iter().map(|e| e.id).collect();
        self.events.forget(&gone);
        for &id in &completed {
            if let Some(ev) = self.model.event(id) {
                for &l in &ev.lines {
                    self.lines.set_event(ev.source, l, id);
                }
            }
        }
        // Re-reading the findings copies all of them (up to 10,000): after every batch while
        // lines trickle in, but only every FINDINGS_EVERY lines while a file is indexed in full
        // batches, and at once when its source is caught up (`on_source`) or, for a burst into
        // a file already followed (no state change comes then), when a frame passes without
        // lines (`on_frame`).
        self.findings_due += lines.len();
        self.fed_this_frame |= !lines.is_empty();
        if lines.len() <= TRICKLE || self.findings_due >= FINDINGS_EVERY {
            self.refresh_findings();
        }
        self.drop_evicted_rows();
        let filter = &self.filter;
        let trace = self.trace_filter.as_deref();
        let model = &self.model;
        let page = usize::from(self.list_area.height.max(1));
        self.events.refresh(&self.model, &completed, |e| {
            pass_event(filter, trace, model, e)
        });
        self.hidden_failures.forget(&gone);
        self.hidden_failures
            .refresh(filter, trace, &self.model, &completed);
        let new = first_new.max(self.lines.first())..self.lines.end();
        if self.filter_scan.is_some() {
            // The running filter scan reaches the new lines too.
        } else if self.raw_rows.is_every() {
            new.for_each(|seq| self.raw_rows.push(seq));
        } else {
            let pass = self.passing_lines(new);
            pass.into_iter().for_each(|seq| self.raw_rows.push(seq));
        }
        // Traces and host activity cost a pass over every event: only for the view on screen,
        // and host activity only when the events grew by a tenth (or loading ended).
        // A new request is in its trace at once, answered or not (see `model::trace`).
        self.traces_stale |= !completed.is_empty()
            || !gone.is_empty()
            || self.model.event_count() != self.traces.events_seen;
        if self.view == View::Traces && self.traces_stale {
            self.traces_stale = false;
            self.traces
                .refresh(&self.model, |e| pass_event(filter, trace, model, e));
            self.follow_traces_tail();
        }
        let n = self.model.event_count();
        if self.view == View::Mirrors && n > self.activity_at + (self.activity_at / 10).max(256) {
            self.refresh_activity();
        }
        if self.follow.events {
            self.events
                .cursor
                .select(usize::MAX, self.events.rows.len(), page);
        } else {
            self.events
                .cursor
                .keep_visible(self.events.rows.len(), page);
        }
        if self.follow.raw {
            self.raw_cursor
                .select(usize::MAX, self.raw_rows.len(), page);
        } else {
            self.raw_cursor.keep_visible(self.raw_rows.len(), page);
        }
        if let Some(keep) = wf_keep
            && let Some(t) = self.open_trace()
        {
            let rows = self.waterfall_of(t);
            if let Some(i) = rows.iter().position(|r| r.same_row(&keep)) {
                self.traces.wf_cursor.select(i, rows.len(), page);
            }
        }
        self.dirty = true;
    }

    /// A frame passed. Findings a burst of full batches left due are read once a whole frame
    /// passed without lines: a burst appended to a followed file, or a truncated or rotated
    /// file read again, ends with no source state change to read them then, and the header's
    /// counts stayed those of before the burst. While a file is indexed every frame brings
    /// lines, so the findings are still re-read only every `FINDINGS_EVERY` lines then.
    pub(super) fn on_frame(&mut self) {
        if self.findings_due > 0 && !self.fed_this_frame {
            self.refresh_findings();
            self.dirty = true;
        }
        self.fed_this_frame = false;
    }

    /// Recomputes the Mirrors view's per-host activity.
    pub(super) fn refresh_activity(&mut self) {
        self.activity = Activity::compute(&self.model, self.lines.last_time());
        self.activity_at = self.model.event_count();
        let (len, page) = (self.activity.hosts.len(), self.page());
        self.hosts_cursor.keep_visible(len, page);
    }

    /// Re-reads the findings (401s are confirmed or overcome as lines arrive) and asks the
    /// knowledge base about new ones, and about the mirror verdicts (a few, asked again).
    fn refresh_findings(&mut self) {
        self.findings_due = 0;
        // A request with a finding is a failure in its waterfall.
        self.waterfall_rows.changed();
        self.findings = self.model.findings();
        self.finding_totals = self.model.finding_totals();
        // The traces a `trace=` prefix matches grow with the log too: counted as often.
        self.refresh_id_matches();
        self.event_findings.clear();
        self.line_findings.clear();
        let verdicts = self.model.mirror_verdicts();
        let facts = crate::kb::Facts::from_verdicts(&verdicts);
        self.verdicts = verdicts
            .into_iter()
            .map(|v| {
                let d =
                    diagnosis::diagnose_verdict(&self.kb, &v, self.opts.zh, &mut self.entry_texts);
                (v, d)
            })
            .collect();
        // Diagnoses of findings the model let go (a capped follow) go too.
        let kept: std::collections::HashSet<(u32, u64)> =
            self.findings.iter().map(|f| (f.source, f.line)).collect();
        self.diagnoses.retain(|k, _| kept.contains(k));
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
                let d = diagnosis::diagnose(
                    &self.kb,
                    f,
                    ev.as_ref(),
                    &facts,
                    self.opts.zh,
                    &mut self.entry_texts,
                );
                self.diagnoses.insert((f.source, f.line), d);
            }
        }
    }

    /// Every source has ended for good (stdin or a named pipe at its end, none that `r` could
    /// restart; a followed file never ends): no answer can come any more, so a request still
    /// waiting failed, as `summary` says of the same input (`Model::finish`: its `no-response`
    /// finding, its host's error). Until then a waiting request is in flight, not a failure.
    /// Done once; the completed events go through [`App::ingest`]'s bookkeeping like any batch.
    fn maybe_finish(&mut self) {
        if self.finished || !self.all_ended() {
            return;
        }
        self.finished = true;
        self.model.finish();
        self.ingest(&[]);
    }

    /// Every source has ended and none can be restarted.
    fn all_ended(&self) -> bool {
        !self.sources.is_empty()
            && self
                .sources
                .iter()
                .all(|s| matches!(s.state, SourceState::Ended(_)) && !s.restartable)
    }

    /// Once every source has loaded its history: open on the first auth failure, if any, with
    /// its diagnosis (unless the user has moved already). A pipe (`cat build.log | bkscope -`)
    /// has no history: it follows at once, so this is tried again when every source has
    /// ended, and a saved log piped in opens as the same file would.
    fn maybe_land(&mut self) {
        let loading = self
            .sources
            .iter()
            .any(|s| matches!(s.state, SourceState::Starting | SourceState::Loading));
        // A docker source that ended was followed live and says why it ended (r follows it
        // again): that message stays, and the selection with it.
        let ended = self.all_ended();
        let again = ended && !self.landed_at_end;
        if loading || self.landed && !again {
            return;
        }
        self.landed = true;
        self.landed_at_end = ended;
        if self.touched || self.view != View::Events {
            return;
        }
        let first_auth = self
            .events
            .rows
            .iter()
            .position(|&id| self.is_auth_failure(id));
        let next = self
            .keymap
            .key_of(&super::Action::NextError)
            .unwrap_or("e")
            .to_owned();
        if let Some(pos) = first_auth {
            self.follow.events = false;
            let page = self.page();
            self.events.cursor.select(pos, self.events.rows.len(), page);
            self.show_kb = !self.selected_diagnoses().is_empty();
            self.say(format!(
                "opened on the first auth failure; {next} jumps to the next error, G follows the tail"
            ));
        } else if let Some(row) = self.first_rowless_auth_row() {
            // Only read from text (a client's `ERROR: failed to solve: … 401` pasted along, a
            // CI job's whole output): no request row holds it, so the Raw view opens on its
            // line, with its diagnosis, where `e` would have taken the user.
            let back = self
                .keymap
                .key_of(&super::Action::ShowEvents)
                .unwrap_or("1")
                .to_owned();
            self.switch_view(View::Raw);
            self.follow.raw = false;
            let page = self.page();
            self.raw_cursor.select(row, self.raw_rows.len(), page);
            self.show_kb = !self.selected_diagnoses().is_empty();
            self.say_fitted(
                format!(
                    "opened on the first auth failure, in the raw lines (no request row holds \
                     it); {next} jumps to the next error, {back} shows the events"
                ),
                format!("opened on the first auth failure (raw lines); {next}: next error"),
            );
        }
    }

    /// The Raw view's row of the earliest auth failure read from text only (no event row
    /// holds it), when every line is shown (nothing filtered away).
    fn first_rowless_auth_row(&self) -> Option<usize> {
        let seq = self
            .findings
            .iter()
            .filter(|f| f.event.is_none() && f.kind.is_auth())
            .filter_map(|f| self.lines.seq_of(f.source, f.line))
            .min()?;
        self.raw_rows.position(seq)
    }

    /// Re-judges every row (the filter, trace filter or raw toggle changed).
    pub(super) fn rebuild_rows(&mut self) {
        let filter = &self.filter;
        let trace = self.trace_filter.as_deref();
        let model = &self.model;
        let page = usize::from(self.list_area.height.max(1));
        self.events
            .rebuild(&self.model, |e| pass_event(filter, trace, model, e), page);
        if self.follow.events {
            // A following table stays on the tail, not on the row that was last before.
            self.events
                .cursor
                .select(usize::MAX, self.events.rows.len(), page);
        }
        let keep = self.raw_rows.get(self.raw_cursor.selected);
        let all = self.lines.first()..self.lines.end();
        self.filter_scan = None;
        if self.every_line_passes() {
            self.raw_rows = RawRows::every(all.start, all.end);
        } else if self.filter.reads_line_text() {
            self.start_filter_scan(keep);
        } else {
            self.raw_rows = RawRows::picked(self.passing_lines(all));
        }
        if self.filter_scan.is_none() {
            let pos = keep
                .and_then(|k| self.raw_rows.position(k))
                .filter(|_| !self.follow.raw)
                .unwrap_or(self.raw_rows.len().saturating_sub(1));
            self.raw_cursor.select(pos, self.raw_rows.len(), page);
        }
        let filter = &self.filter;
        let trace = self.trace_filter.as_deref();
        let model = &self.model;
        self.traces
            .refresh(&self.model, |e| pass_event(filter, trace, model, e));
        self.traces_stale = false;
        self.follow_traces_tail();
        self.refresh_id_matches();
        self.hidden_failures
            .rebuild(&self.filter, self.trace_filter.as_deref(), &self.model);
        self.dirty = true;
    }

    /// For each `trace=` / `span=` prefix of the filter, how many traces it matches: by the
    /// trace's id (`trace=` only) or one of its spans' ids, among the traces with registry
    /// requests and the traceIDs on the kept lines. The status line names a prefix that
    /// matches more than one (see `filter`'s doc).
    pub(super) fn refresh_id_matches(&mut self) {
        let starts = super::filter::id_starts_with;
        let counted: Vec<(String, usize)> = self
            .filter
            .id_prefixes()
            .into_iter()
            .map(|(field, p)| {
                let by_trace = field == "trace";
                let mut hit = std::collections::HashSet::new();
                for t in self.model.traces().iter() {
                    if by_trace && starts(&t.trace_id, p) || t.spans.keys().any(|s| starts(s, p)) {
                        hit.insert(t.trace_id.to_ascii_lowercase());
                    }
                }
                if by_trace {
                    for n in self.lines.trace_names().filter(|n| starts(n, p)) {
                        hit.insert(n.to_ascii_lowercase());
                    }
                }
                (format!("{field}={p}"), hit.len())
            })
            .collect();
        self.id_matches = counted;
    }
}

/// True when the event passes the trace filter and the filter, its host inferred when none
/// is logged and its registry the one the verdicts count it for (`app::route`).
pub(super) fn pass_event<'e>(
    filter: &super::filter::Filter,
    trace: Option<&str>,
    model: &'e crate::model::Model,
    e: &'e FetchEvent,
) -> bool {
    trace.is_none_or(|t| e.trace_id.as_deref() == Some(t))
        && filter.matches_routed(e, || super::route::of(model, e))
}

impl App {
    /// True when the Raw view lists every kept line (no filter, trace or registry-only toggle).
    fn every_line_passes(&self) -> bool {
        self.all_lines && self.trace_filter.is_none() && self.filter.is_empty()
    }

    /// The positions in `range` the Raw view lists: facts first, the text (read a block at a
    /// time) only when a filter term needs it.
    pub(super) fn passing_lines(&self, range: std::ops::Range<usize>) -> Vec<usize> {
        let want = self
            .trace_filter
            .as_deref()
            .map(|t| self.lines.trace_id(t).unwrap_or(u32::MAX));
        let f = &self.filter;
        let text = f.reads_line_text();
        let mut reader = self.lines.reader();
        range
            .filter(|&seq| {
                let Some((level, kind, trace)) = self.lines.facts(seq) else {
                    return false;
                };
                let name = self.lines.trace_name(trace);
                (self.all_lines || kind.is_registry())
                    && want.is_none_or(|w| w == trace)
                    && f.matches_line_facts(level, name.as_deref())
                    && (!text
                        || reader
                            .get(seq)
                            .is_some_and(|l| f.matches_line_text(&l.text(), name.as_deref())))
            })
            .collect()
    }

    /// After the store dropped its oldest lines: the Raw view's rows of them go, its cursor
    /// moves up by as many, and the user hears once that lines are being dropped.
    fn drop_evicted_rows(&mut self) {
        let gone = self.raw_rows.evict(self.lines.first());
        if gone > 0 {
            let c = &mut self.raw_cursor;
            c.selected = c.selected.saturating_sub(gone);
            c.offset = c.offset.saturating_sub(gone);
            self.scan_rows_dropped(gone);
        }
        if let Some(w) = self.lines.take_warning() {
            self.say(w);
        }
        if self.lines.first() > 0 && !self.told_dropping {
            self.told_dropping = true;
            self.say(format!(
                "older lines are being dropped: at most {} are kept (--max-lines)",
                self.lines.max_lines()
            ));
        }
    }
}

impl App {
    /// An app that has read `text` as one file named `label`, loaded to its end (tests,
    /// screenshots): the same batches, parse and model path as a live source.
    pub fn from_log(label: &str, text: &str) -> App {
        App::from_log_with(super::AppOptions::default(), label, text)
    }

    /// [`App::from_log`] with these options (a cap on kept events, no redaction).
    pub fn from_log_with(opts: super::AppOptions, label: &str, text: &str) -> App {
        App::from_logs_with(opts, &[(label, text)])
    }

    /// An app that has read each `(label, text)` as a file of its own, in turn, each loaded
    /// to its end (tests: several sources in the header).
    pub fn from_logs(files: &[(&str, &str)]) -> App {
        App::from_logs_with(super::AppOptions::default(), files)
    }

    /// [`App::from_logs`] with these options (several files with `--config`).
    pub fn from_logs_with(opts: super::AppOptions, files: &[(&str, &str)]) -> App {
        let mut app = App::new(
            opts,
            crate::kb::KnowledgeBase::builtin(),
            super::keymap::Keymap::builtin(),
        );
        // Every source is there before any loads, as the command line opens them: the
        // landing waits for all their histories.
        let numbers: Vec<u32> = files
            .iter()
            .map(|(label, _)| app.add_source(&crate::source::SourceSpec::File((*label).into())))
            .collect();
        for (&n, (_, text)) in numbers.iter().zip(files) {
            app.update(super::Action::Source(SourceEvent::State {
                source: n,
                state: SourceState::Loading,
            }));
            let mut lines = Vec::new();
            let _ =
                crate::source::lines::read_all(n, text.as_bytes(), |b| lines.extend_from_slice(b));
            for chunk in lines.chunks(super::feed::MAX_BATCH) {
                app.update(super::Action::Source(SourceEvent::Lines(chunk.to_vec())));
            }
            app.update(super::Action::Source(SourceEvent::State {
                source: n,
                state: SourceState::Following,
            }));
        }
        app
    }

    /// [`App::from_log`] with the label `test.log`.
    pub fn from_log_text(text: &str) -> App {
        App::from_log("test.log", text)
    }
}
