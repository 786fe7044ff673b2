//! TUI state and `update(Action)`: everything the explorer shows, changed only by actions; draws
//! nothing and does no I/O (files to write and sources to restart leave as [`Effect`]s).

pub mod action;
pub mod bypass;
pub mod clock;
pub mod diagnosis;
pub mod events;
pub mod feed;
pub mod filter;
pub mod filter_forms;
mod filter_time;
mod filter_units;
pub mod help;
pub mod host_diagnosis;
pub mod keymap;
mod keymap_user;
pub mod line_edit;
pub mod lines;
pub mod list;
pub mod markdown;
pub mod mirror_report;
pub mod mirrors;
pub mod no_trace;
pub mod raw_rows;
pub mod report;
pub mod route;
pub mod scroll;
pub mod trace_facts;
pub mod traces;
pub mod words;
pub mod wrap;

mod back;
mod effect;
mod error_jump;
mod exchange;
mod export;
mod hidden_failures;
mod hscroll;
mod ingest;
mod match_count;
mod navigate;
mod open;
mod open_line;
pub mod prompt;
mod reach_note;
mod scan;
mod search;
mod source_keys;
mod update;
mod view;
mod waterfall_cache;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::Arc;

use ratatui::layout::Rect;
use regex::Regex;

use crate::kb::KnowledgeBase;
use crate::model::finding::Finding;
use crate::model::mirror::{MirrorConfig, MirrorVerdict};
use crate::model::{FindingTotals, Model, ModelOptions};
use crate::source::{SourceSpec, SourceState};

pub use crate::source::LineDamage;
pub use action::{Action, InputEdit};
use diagnosis::DiagnosisView;
pub use effect::{Effect, Picker, write_new, write_report};
use events::EventsState;
use keymap::Keymap;
pub(crate) use keymap_user::edits;
use lines::{LineStore, StoreOptions};
use list::Cursor;
use mirrors::Activity;
pub use navigate::Severity;
pub use prompt::{Prompt, PromptKind};
use raw_rows::RawRows;
use traces::TracesState;
pub use view::View;

/// A source as the header shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    /// Short label (`demo.log`, `buildx_buildkit_b0`).
    pub label: String,
    /// What it is doing.
    pub state: SourceState,
    /// Bytes read of total while loading.
    pub progress: Option<(u64, u64)>,
    /// True for `docker logs` sources (`r` restarts them).
    pub restartable: bool,
    /// The number of the newest line read from it (0 before any).
    pub last_number: u64,
    /// The last time its content started again (`truncated`, `rotated`, `recreated`,
    /// `restarted`) and the number of the first line of the new content: the header keeps
    /// saying it (`live (truncated at line 1234)`) after the status message is gone.
    pub reset: Option<(String, u64)>,
}

/// Which lists stick to their newest row. Each view keeps its own: `G` or `F` turns it on,
/// moving off the last row turns it off, and switching views changes neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Follow {
    /// The events table (the Mirrors view, a list of hosts with no tail, shows this one).
    pub events: bool,
    /// The Raw view.
    pub raw: bool,
    /// The Traces list: the newest trace stays selected. Opening a trace's waterfall pauses
    /// it (Esc comes back to the trace opened); a waterfall, one trace, has no tail of its own.
    pub traces: bool,
}

/// A message for the status bar. It is shown until the next key or click (any input action:
/// `App::update` clears it before applying one, and the action may set a new one), then the
/// key hints come back; a key bound to nothing, or an Esc with nothing to step back from,
/// leaves it (but for the words of the Esc before it, `detail pane closed …`). Messages from the sources (a file
/// rotated, lines dropped, a report written) stay until a key too. A count that changes as
/// lines arrive is not frozen into text: [`Status::FilterMatches`] is counted when drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Said once.
    Text(String),
    /// Said once, in the shorter form where the long one does not fit the bar.
    Fitted {
        /// The whole message.
        long: String,
        /// The same, its notes shortened.
        short: String,
    },
    /// How many rows the filter in force lets through in the view on screen (lines in the Raw
    /// view, events elsewhere), or its progress while a text filter re-reads the lines.
    FilterMatches,
}

/// Fetch events the TUI keeps by default (`--max-events`): past it the oldest completed ones
/// are dropped. About 700 bytes each in the model (docs/performance.md, "TUI memory").
pub const DEFAULT_MAX_EVENTS: usize = 150_000;

/// How the app is set up.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// Scrub secrets (off with `--no-redact`).
    pub redact: bool,
    /// Configured mirrors.
    pub mirrors: MirrorConfig,
    /// Chinese kb text where it exists.
    pub zh: bool,
    /// `x` also copies to the clipboard with OSC 52.
    pub clipboard: bool,
    /// The knowledge-base pane's doc links are OSC 8 hyperlinks (`--hyperlinks`; `ui::hyperlink`).
    pub hyperlinks: bool,
    /// Where `x` writes its reports (`--export-dir`); the temp dir when it cannot.
    pub export_dir: PathBuf,
    /// Most fetch events kept (`None`: all); see [`DEFAULT_MAX_EVENTS`].
    pub max_events: Option<usize>,
    /// How many lines are kept and where their text is spooled.
    pub lines: StoreOptions,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            redact: true,
            mirrors: MirrorConfig::default(),
            zh: false,
            clipboard: false,
            hyperlinks: false,
            export_dir: PathBuf::from("."),
            max_events: Some(DEFAULT_MAX_EVENTS),
            lines: StoreOptions::default(),
        }
    }
}

/// All TUI state.
#[derive(Debug)]
pub struct App {
    /// The model every view reads.
    pub model: Model,
    /// Raw lines, redacted.
    pub lines: LineStore,
    /// Sources, by index.
    pub sources: Vec<SourceInfo>,
    /// Key bindings.
    pub keymap: Keymap,
    /// The view shown.
    pub view: View,
    /// Events table state.
    pub events: EventsState,
    /// Raw view rows (line positions in [`App::lines`]).
    pub raw_rows: RawRows,
    /// Raw view cursor.
    pub raw_cursor: Cursor,
    /// Traces list and waterfall.
    pub traces: TracesState,
    /// Per-host activity for the Mirrors view.
    pub activity: Activity,
    /// Mirrors view cursor (over hosts).
    pub hosts_cursor: Cursor,
    /// The filter expression in force.
    pub filter: filter::Filter,
    /// The `host=` filter Enter set from the Mirrors view, while in force: Esc clearing it
    /// goes back there.
    host_opened: Option<String>,
    /// Only this trace, when set (`t`).
    pub trace_filter: Option<String>,
    /// The search in force.
    pub search: Option<Regex>,
    /// The open prompt.
    pub prompt: Option<Prompt>,
    /// What the prompts were given before (Up brings it back).
    prompt_history: prompt::PromptHistory,
    /// The builder picker, while open.
    pub picker: Option<Picker>,
    /// Detail pane shown.
    pub show_detail: bool,
    /// The Mirrors view's evidence shown under its hosts (`d` there; its own, as
    /// [`App::show_host_kb`] is).
    pub show_evidence: bool,
    /// Knowledge-base pane shown.
    pub show_kb: bool,
    /// Knowledge-base pane shown in the Mirrors view (its own: the pane opened on an error
    /// elsewhere does not narrow the hosts table; `K` there opens the host's diagnosis).
    pub show_host_kb: bool,
    /// Help popup shown.
    pub show_help: bool,
    /// Its scroll, when it does not fit the terminal.
    pub help: help::HelpScroll,
    /// Wrap long lines.
    pub wrap: bool,
    /// The Raw view's first text column shown while its lines are cut (`→`), in screen columns.
    pub raw_col: usize,
    /// Which views' selections stick to the newest row.
    pub follow: Follow,
    /// Raw view shows every line (else only registry lines).
    pub all_lines: bool,
    /// Scroll of the detail and kb panes and of the Mirrors view's evidence.
    pub scrolls: scroll::Scrolls,
    /// How far each of them can scroll, as the last frame drew them.
    extents: scroll::Extents,
    /// What the status bar says in place of the key hints, until the next key (see
    /// [`Status`]).
    pub status: Option<Status>,
    /// What the last Esc that stepped back said (`detail pane closed …`): an Esc after it with
    /// nothing left to step back from clears it, where another message would stay, so it does
    /// not read as if something closed again.
    back_said: Option<Status>,
    /// Where a source's content started again (`SourceEvent::Reset`): the source and the
    /// number of its first new line, oldest first, at most `ingest::MAX_RESET_MARKS`.
    pub reset_lines: VecDeque<(u32, u64)>,
    /// Findings, refreshed after each batch: those still kept (past `--max-events` the
    /// findings of dropped events go with them).
    pub findings: Vec<Finding>,
    /// Each `trace=` / `span=` prefix of the filter (as typed) and how many traces it
    /// matches, refreshed with the rows and the findings.
    pub id_matches: Vec<(String, usize)>,
    /// How many auth failures and errors were found in all, refreshed with `findings`: what
    /// the header counts (the totals `summary` counts, kept or not).
    pub finding_totals: FindingTotals,
    /// Lines read with invalid UTF-8 or cut at the line cap.
    pub damage: LineDamage,
    /// Broken user files (theme, keymap, kb entries), each message with its file and line and
    /// what is done about it, the line stderr prints (`crate::cli::problems`); the first shown
    /// above the status bar until Esc, with nothing else to step back from, hides it.
    pub problems: Vec<String>,
    /// Esc, with nothing else to step back from, hid the broken-file line (stderr keeps it).
    pub problems_hidden: bool,
    /// Options.
    pub opts: AppOptions,
    kb: KnowledgeBase,
    event_findings: HashMap<usize, Vec<usize>>,
    line_findings: HashMap<(u32, u64), usize>,
    diagnoses: HashMap<(u32, u64), Vec<DiagnosisView>>,
    /// Every mirror verdict with its diagnoses, refreshed with the findings (the Mirrors
    /// view's knowledge-base pane reads them).
    verdicts: Vec<(MirrorVerdict, Vec<DiagnosisView>)>,
    /// Each knowledge-base entry's text, built once and shared by its diagnoses.
    entry_texts: diagnosis::EntryTexts,
    list_area: Rect,
    /// The terminal's width (`Action::Screen`; 0 before the first draw).
    pub screen_width: u16,
    /// The event selected elsewhere when the Raw view was last shown: the Raw view jumps to
    /// the lines of a newly selected event, and keeps its own place (or its follow) otherwise.
    raw_anchor: Option<usize>,
    traces_stale: bool,
    activity_at: usize,
    effects: Vec<Effect>,
    dirty: bool,
    quit: bool,
    touched: bool,
    landed: bool,
    /// Landed again when every source had ended (a pipe has no history to load first).
    landed_at_end: bool,
    /// Every source ended for good and the model finished its waiting requests.
    finished: bool,
    told_dropping: bool,
    scan: Option<scan::Scan>,
    filter_scan: Option<scan::Scan>,
    /// Counting the Raw view's search matches after a jump (`match 3 of 7`).
    match_count: Option<match_count::MatchCount>,
    /// Failed events with no HTTP status the filter's status compare hides (`status>=400` and
    /// an `ERR` row), for the status line.
    hidden_failures: hidden_failures::HiddenFailures,
    findings_due: usize,
    /// Lines arrived since the last [`Action::Frame`]: the findings a burst left due wait
    /// until a frame passes without any (see `App::on_frame`).
    fed_this_frame: bool,
    /// The open waterfall's rows, built once while the data they come from stays the same.
    waterfall_rows: waterfall_cache::WaterfallCache,
}

impl App {
    /// An app with no lines yet.
    pub fn new(opts: AppOptions, kb: KnowledgeBase, keymap: Keymap) -> App {
        let mut model = Model::new(ModelOptions {
            redact: opts.redact,
            keep_events: true,
            mirrors: opts.mirrors.clone(),
            max_events: opts.max_events,
        });
        // Completed events drop their headers; `exchange_headers` re-reads them from the lines.
        model.forget_completed_details();
        App {
            model,
            lines: LineStore::new(opts.lines.clone()),
            sources: Vec::new(),
            keymap,
            view: View::Events,
            events: EventsState::default(),
            raw_rows: RawRows::default(),
            raw_cursor: Cursor::default(),
            traces: TracesState::default(),
            activity: Activity::default(),
            hosts_cursor: Cursor::default(),
            filter: filter::Filter::default(),
            host_opened: None,
            trace_filter: None,
            search: None,
            prompt: None,
            prompt_history: prompt::PromptHistory::default(),
            picker: None,
            show_detail: true,
            show_evidence: true,
            show_kb: false,
            show_host_kb: false,
            show_help: false,
            help: help::HelpScroll::default(),
            wrap: false,
            raw_col: 0,
            follow: Follow {
                events: true,
                raw: true,
                traces: true,
            },
            all_lines: true,
            scrolls: scroll::Scrolls::default(),
            extents: scroll::Extents::default(),
            status: None,
            back_said: None,
            findings: Vec::new(),
            finding_totals: FindingTotals::default(),
            id_matches: Vec::new(),
            damage: LineDamage::default(),
            problems: Vec::new(),
            problems_hidden: false,
            opts,
            kb,
            event_findings: HashMap::new(),
            line_findings: HashMap::new(),
            diagnoses: HashMap::new(),
            verdicts: Vec::new(),
            entry_texts: HashMap::new(),
            list_area: Rect::new(0, 4, 100, 10),
            screen_width: 0,
            raw_anchor: None,
            traces_stale: false,
            activity_at: 0,
            effects: Vec::new(),
            dirty: true,
            quit: false,
            touched: false,
            landed: false,
            landed_at_end: false,
            finished: false,
            told_dropping: false,
            scan: None,
            filter_scan: None,
            match_count: None,
            hidden_failures: hidden_failures::HiddenFailures::default(),
            findings_due: 0,
            fed_this_frame: false,
            waterfall_rows: waterfall_cache::WaterfallCache::default(),
            reset_lines: VecDeque::new(),
        }
    }

    /// Registers a source before its lines arrive (the header lists it from the start).
    pub fn add_source(&mut self, spec: &SourceSpec) -> u32 {
        self.sources.push(SourceInfo {
            label: spec.label(),
            state: SourceState::Starting,
            progress: None,
            restartable: matches!(spec, SourceSpec::Container { .. }),
            last_number: 0,
            reset: None,
        });
        u32::try_from(self.sources.len() - 1).unwrap_or(u32::MAX)
    }

    /// Opens the builder picker: several builders run, the user picks the one to follow.
    pub fn open_picker(&mut self, names: Vec<String>, tail: Option<u64>) {
        self.picker = Some(Picker {
            names,
            cursor: 0,
            tail,
        });
        self.dirty = true;
    }

    /// True once `Quit` was applied.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// True when something changed since the last call (then the screen is redrawn).
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    /// Marks the screen for a redraw (after a resize or a resume).
    pub fn mark_dirty(&mut self) {
        self.dirty = true;
    }

    /// Work for the event loop, oldest first.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// Where the current list is drawn.
    pub fn list_area(&self) -> Rect {
        self.list_area
    }

    /// Rows in a page of the current list.
    pub fn page(&self) -> usize {
        usize::from(self.list_area.height.max(1))
    }

    /// The label of `source` when more than one source is open (`demo.log`), so that a line
    /// number said with it is not ambiguous; `None` with one source, where `line 2` is enough.
    /// As `summary` names the file of a line when given several.
    pub fn source_if_several(&self, source: u32) -> Option<&str> {
        (self.sources.len() > 1)
            .then(|| self.sources.get(source as usize))
            .flatten()
            .map(|s| s.label.as_str())
    }

    /// `line 25`, or `b.log line 25` when several sources are open (`line 25` alone could be
    /// any of them), as the evidence lists and `x` reports cite a line.
    pub fn line_ref(&self, source: u32, line: u64) -> String {
        match self.source_if_several(source) {
            Some(label) => format!("{label} line {line}"),
            None => format!("line {line}"),
        }
    }

    /// The findings that belong to a fetch event.
    pub fn findings_of_event(&self, id: usize) -> impl Iterator<Item = &Finding> {
        self.event_findings
            .get(&id)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.findings.get(i))
    }

    /// The finding on a line, if any.
    pub fn finding_of_line(&self, source: u32, number: u64) -> Option<&Finding> {
        self.line_findings
            .get(&(source, number))
            .and_then(|&i| self.findings.get(i))
    }

    /// The fetch event a line belongs to, if any.
    pub fn event_of_line(&self, source: u32, number: u64) -> Option<usize> {
        self.lines
            .seq_of(source, number)
            .and_then(|seq| self.lines.event_of(seq))
    }

    /// The diagnoses of a finding.
    pub fn diagnoses_of(&self, f: &Finding) -> &[DiagnosisView] {
        self.diagnoses
            .get(&(f.source, f.line))
            .map_or(&[], Vec::as_slice)
    }

    /// Sets the diagnoses of the finding on `source:line` (the kb layer's answer; tests).
    pub fn set_diagnoses(&mut self, source: u32, line: u64, d: Vec<DiagnosisView>) {
        let ranked = d
            .into_iter()
            .map(|mut v| {
                v.text = Arc::new((*v.text).clone().rank());
                v
            })
            .collect();
        self.diagnoses.insert((source, line), ranked);
        self.dirty = true;
    }

    /// The status bar's message, if any, as it reads now.
    pub fn status_message(&self) -> Option<String> {
        match self.status.as_ref()? {
            Status::Text(t) | Status::Fitted { long: t, .. } => Some(t.clone()),
            Status::FilterMatches => Some(self.filter_matches()),
        }
    }

    /// The status bar's message for a bar `cols` columns wide: the short form of a long
    /// message that does not fit (it may still be cut).
    pub fn status_message_within(&self, cols: usize) -> Option<String> {
        match self.status.as_ref()? {
            Status::Fitted { long, short } if wrap::width(long) > cols => Some(short.clone()),
            _ => self.status_message(),
        }
    }

    /// Says `long`, or `short` where `long` does not fit the bar.
    pub(crate) fn say_fitted(&mut self, long: String, short: String) {
        self.status = Some(if long == short {
            Status::Text(long)
        } else {
            Status::Fitted { long, short }
        });
    }

    /// Sets the status bar's message.
    pub(crate) fn say(&mut self, msg: impl Into<String>) {
        self.status = Some(Status::Text(msg.into()));
    }

    /// The knowledge base in use.
    pub fn kb(&self) -> &KnowledgeBase {
        &self.kb
    }
}
