//! [`Action`]: every change to the TUI state. Serde names are the words of the keymap file.

use ratatui::layout::Rect;
use serde::Deserialize;

use crate::source::SourceEvent;

/// Everything that can change the TUI state. Serde names are keymap names.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Move the selection one row down.
    SelectNext,
    /// Move the selection one row up.
    SelectPrev,
    /// Move the selection one page down.
    PageDown,
    /// Move the selection one page up.
    PageUp,
    /// Jump to the first row.
    SelectFirst,
    /// Jump to the last row.
    SelectLast,
    /// Switch to the next view.
    NextView,
    /// Switch to the previous view.
    PrevView,
    /// Show the fetch events table.
    ShowEvents,
    /// Show the raw log lines.
    ShowRaw,
    /// Show the traces list.
    ShowTraces,
    /// Show mirrors and hosts.
    ShowMirrors,
    /// Jump to the next auth failure or error.
    NextError,
    /// Jump to the previous auth failure or error.
    PrevError,
    /// Open or close the knowledge-base diagnosis pane (in the Mirrors view: of the selected
    /// host, its mirror verdicts and failed requests).
    ToggleDiagnosis,
    /// Open or close the request/response detail pane (in the Mirrors view: the evidence
    /// under the hosts).
    ToggleDetail,
    /// Scroll down the diagnosis pane while it is open, else the detail pane (the evidence in
    /// the Mirrors view).
    ScrollPaneDown,
    /// Scroll up the diagnosis pane while it is open, else the detail pane (the evidence in
    /// the Mirrors view).
    ScrollPaneUp,
    /// Start a regex search.
    Search,
    /// Jump to the next search match.
    SearchNext,
    /// Jump to the previous search match.
    SearchPrev,
    /// Edit the filter expression (`status>=400 host=ghcr.io level>=info`).
    Filter,
    /// Show only the selected row's trace.
    FilterTrace,
    /// Open: a trace's waterfall (Traces), the detail pane (Events), the line's event (Raw),
    /// the host's requests (Mirrors).
    Open,
    /// Step back: close the pane or the waterfall, leave the trace filter, clear the search,
    /// then the filter.
    Back,
    /// Follow the end of the log, or pause.
    ToggleFollow,
    /// Wrap long lines, or cut them.
    ToggleWrap,
    /// Scroll the Raw view's cut lines right (half the list's width).
    ScrollRight,
    /// Scroll the Raw view's cut lines left.
    ScrollLeft,
    /// Scroll the Raw view's cut lines back to column 0.
    ScrollLineStart,
    /// In the raw view: show every line, or only registry-related ones.
    ToggleAllLines,
    /// Show text in Chinese where the knowledge base has it, or in English.
    ToggleLanguage,
    /// Write a redacted markdown report of the selected exchange, trace or failure line.
    Export,
    /// Restart the selected `docker logs` source.
    Restart,
    /// Show this help (scroll keys scroll it, any other key closes it).
    Help,
    /// Suspend to the shell (resume with `fg`).
    Suspend,
    /// Leave bkscope.
    Quit,
    /// A source event (lines, state, progress); never bound to a key.
    #[serde(skip)]
    Source(SourceEvent),
    /// A key typed into the open prompt; never bound to a key.
    #[serde(skip)]
    Input(InputEdit),
    /// Mouse wheel: rows to scroll (negative is up); never bound to a key.
    #[serde(skip)]
    Scroll(i32),
    /// Mouse click at a screen cell; never bound to a key.
    #[serde(skip)]
    Click {
        /// Column.
        column: u16,
        /// Row.
        row: u16,
    },
    /// Where the list of the current view is on screen (after a resize or a layout change).
    #[serde(skip)]
    Layout(Rect),
    /// The terminal's width (the tab titles shorten on a narrow one); never bound to a key.
    #[serde(skip)]
    Screen(u16),
    /// How the help overlay fits the terminal: its rows, and how many show (the ui lays it
    /// out); never bound to a key.
    #[serde(skip)]
    HelpFit {
        /// Rows of bindings.
        rows: u16,
        /// Rows on screen.
        visible: u16,
    },
    /// A message for the status bar (an effect's outcome).
    #[serde(skip)]
    Status(String),
    /// How tall the scrollable panes' contents were drawn (scrolls stop at the last row).
    #[serde(skip)]
    Extents(super::scroll::Extents),
    /// A frame passed while a scan runs: one more bounded step of it.
    #[serde(skip)]
    Tick,
    /// A frame passed (every frame): findings left due by a burst of lines are read once a
    /// whole frame passed without new lines.
    #[serde(skip)]
    Frame,
}

/// An edit of the open prompt (the keys are [`super::prompt::input_edit`]'s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputEdit {
    /// Insert a character at the cursor.
    Char(char),
    /// Move the cursor one character left (Left, Ctrl-B).
    Left,
    /// Move the cursor one character right (Right, Ctrl-F).
    Right,
    /// Move the cursor to the start (Home, Ctrl-A).
    Home,
    /// Move the cursor to the end (End, Ctrl-E).
    End,
    /// Delete the character before the cursor (Backspace, Ctrl-H).
    Backspace,
    /// Delete the character under the cursor (Delete, Ctrl-D).
    Delete,
    /// Delete the word before the cursor (Ctrl-W, Alt-Backspace).
    DeleteWord,
    /// Delete everything before the cursor (Ctrl-U).
    DeleteToStart,
    /// Delete everything from the cursor on (Ctrl-K).
    DeleteToEnd,
    /// The previous text entered in this prompt (Up, Ctrl-P).
    Older,
    /// Back towards the text being typed (Down, Ctrl-N).
    Newer,
    /// Accept the text.
    Submit,
    /// Close the prompt without applying it.
    Cancel,
}

impl Action {
    /// True for a key or a click of the user's; false for what the sources, the terminal, the
    /// drawing or the clock send.
    pub fn is_input(&self) -> bool {
        !matches!(
            self,
            Action::Source(_)
                | Action::Layout(_)
                | Action::Screen(_)
                | Action::HelpFit { .. }
                | Action::Status(_)
                | Action::Extents(_)
                | Action::Tick
                | Action::Frame
        )
    }

    /// One line for the help popup.
    pub fn describe(&self) -> &'static str {
        match self {
            Action::SelectNext => "next row",
            Action::SelectPrev => "previous row",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::SelectFirst => "first row",
            Action::SelectLast => "last row",
            Action::NextView => "next view",
            Action::PrevView => "previous view",
            Action::ShowEvents => "events view",
            Action::ShowRaw => "raw lines view",
            Action::ShowTraces => "traces view",
            Action::ShowMirrors => "mirrors / hosts view",
            Action::NextError => "next auth failure or error",
            Action::PrevError => "previous auth failure or error",
            Action::ToggleDiagnosis => "knowledge-base pane (Mirrors: the host's)",
            Action::ToggleDetail => "detail pane (Mirrors: the evidence)",
            Action::ScrollPaneDown => "scroll down: kb pane, else detail/evidence",
            Action::ScrollPaneUp => "scroll up: kb pane, else detail/evidence",
            Action::Search => "regex search",
            Action::SearchNext => "next match",
            Action::SearchPrev => "previous match",
            Action::Filter => "filter (status>=400 host=ghcr.io level>=info)",
            Action::FilterTrace => "only the selected row's trace",
            Action::Open => "open: waterfall, detail, a host's events",
            Action::Back => "step back: pane, trace, search, filter",
            Action::ToggleFollow => "follow / pause the tail",
            Action::ToggleWrap => "wrap long lines",
            Action::ScrollRight => "raw view: scroll long lines right",
            Action::ScrollLeft => "raw view: scroll long lines left",
            Action::ScrollLineStart => "raw view: back to column 0",
            Action::ToggleAllLines => "raw view: all lines / registry lines",
            Action::ToggleLanguage => "English / 中文 (kb text)",
            Action::Export => "markdown report: selection, Mirrors view",
            Action::Restart => "restart a docker logs source",
            Action::Help => "this help",
            Action::Suspend => "suspend (fg resumes)",
            Action::Quit => "quit",
            Action::Source(_)
            | Action::Input(_)
            | Action::Scroll(_)
            | Action::Click { .. }
            | Action::Layout(_)
            | Action::Screen(_)
            | Action::HelpFit { .. }
            | Action::Status(_)
            | Action::Extents(_)
            | Action::Tick
            | Action::Frame => "",
        }
    }
}
