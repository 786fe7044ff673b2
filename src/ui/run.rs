//! Terminal lifecycle and the event loop: keys, mouse, source batches and signals become
//! actions; the screen is redrawn on a ≤30 fps tick only when the app is dirty; effects (report
//! files, the clipboard, restarts, Ctrl-Z) run here, outside `update`.
//!
//! The terminal is given back on every way out: quit, an error, SIGTERM/SIGINT/SIGHUP, and a
//! panic (ratatui's hook, plus ours for the mouse mode, installed first). A signal is returned,
//! so the command can exit 128+signo (`cli/exit.rs`); Ctrl-C in raw mode is a key (quit, 0).

use std::io::{self, Write};
use std::time::Duration;

use crossterm::event::{
    DisableMouseCapture, EnableMouseCapture, Event, EventStream, MouseButton, MouseEventKind,
};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use futures_util::StreamExt;
use ratatui::DefaultTerminal;
use ratatui::layout::Rect;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

use crate::app::{Action, App, Effect, write_report};

use super::Theme;

/// Frame interval: at most ~30 redraws a second.
const FRAME: Duration = Duration::from_millis(33);

/// What the loop may do to the sources.
pub trait SourceControl {
    /// Restarts source `n` (a `docker logs` child); the message says what happened.
    fn restart(&mut self, n: u32) -> Result<String, String>;
    /// Starts following `spec` as source `n` (a builder picked in the picker).
    fn start(&mut self, n: u32, spec: crate::source::SourceSpec) -> Result<String, String>;
}

/// Options of a run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Panic after the first frame (tests that the panic hook gives the terminal back).
    pub test_panic: bool,
}

/// Runs the TUI until the user quits or a signal arrives; the terminal is restored on every
/// way out. `Some(signo)` when SIGTERM, SIGINT or SIGHUP ended it.
pub async fn run(
    mut app: App,
    theme: Theme,
    mut feed: mpsc::Receiver<Action>,
    control: &mut dyn SourceControl,
    opts: RunOptions,
) -> io::Result<Option<i32>> {
    let mut signals = Signals::new()?;
    install_mouse_hook();
    let mut terminal = ratatui::try_init()?;
    let result = match execute!(io::stdout(), EnableMouseCapture) {
        Ok(()) => {
            event_loop(
                &mut terminal,
                &mut app,
                &theme,
                &mut feed,
                control,
                &mut signals,
                &opts,
            )
            .await
        }
        Err(e) => Err(e),
    };
    restore();
    result
}

/// Gives the terminal back: mouse off, raw mode off, main screen.
pub fn restore() {
    let _ = execute!(io::stdout(), DisableMouseCapture);
    ratatui::restore();
}

fn install_mouse_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableMouseCapture);
        previous(info);
    }));
}

struct Signals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
    hup: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> io::Result<Signals> {
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
            hup: signal(SignalKind::hangup())?,
        })
    }
}

async fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    theme: &Theme,
    feed: &mut mpsc::Receiver<Action>,
    control: &mut dyn SourceControl,
    signals: &mut Signals,
    opts: &RunOptions,
) -> io::Result<Option<i32>> {
    let mut keys = EventStream::new();
    let mut frame = tokio::time::interval(FRAME);
    frame.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let (done_tx, mut done) = mpsc::channel::<Action>(8);
    let mut size = Rect::from((ratatui::layout::Position::ORIGIN, terminal.size()?));
    let mut feed_open = true;
    let mut drawn = false;
    while !app.should_quit() {
        tokio::select! {
            biased;
            _ = signals.term.recv() => return Ok(Some(signal_hook::consts::SIGTERM)),
            _ = signals.int.recv() => return Ok(Some(signal_hook::consts::SIGINT)),
            _ = signals.hup.recv() => return Ok(Some(signal_hook::consts::SIGHUP)),
            ev = keys.next() => match ev {
                Some(Ok(Event::Resize(w, h))) => {
                    size = Rect::new(0, 0, w, h);
                    terminal.autoresize()?;
                    app.mark_dirty();
                }
                Some(Ok(ev)) => {
                    match &ev {
                        Event::Key(k) => app.on_key(k),
                        _ => {
                            if let Some(a) = mouse_action(&ev) {
                                app.update(a);
                            }
                        }
                    }
                    // A key is answered now, not at the next tick: while a file is indexed
                    // the tick may be a batch away.
                    if app.take_dirty() {
                        redraw(terminal, app, theme)?;
                    }
                }
                Some(Err(e)) => return Err(e),
                None => break,
            },
            _ = frame.tick() => {
                app.update(Action::Frame);
                if app.scanning() {
                    app.update(Action::Tick);
                }
                if app.take_dirty() {
                    redraw(terminal, app, theme)?;
                    if opts.test_panic && drawn {
                        panic!("--test-panic: checking that the terminal is restored");
                    }
                    drawn = true;
                }
            }
            Some(a) = done.recv() => app.update(a),
            a = feed.recv(), if feed_open => match a {
                Some(a) => app.update(a),
                None => feed_open = false,
            },
            // A scan (search, text filter) runs its bounded steps back to back when nothing
            // else is ready, not one per frame: a step per tick left a third of the time idle.
            // Keys, signals and the feed still come first (`biased`), and a frame is drawn at
            // each tick.
            () = tokio::task::yield_now(), if app.scanning() => app.update(Action::Tick),
        }
        for a in super::fit_actions(size, app) {
            app.update(a);
        }
        for effect in app.take_effects() {
            match effect {
                Effect::WriteReport {
                    path,
                    text,
                    clipboard,
                    note,
                } => {
                    if clipboard {
                        let _ = osc52(&text);
                    }
                    let tx = done_tx.clone();
                    tokio::task::spawn_blocking(move || {
                        let copied = format!(
                            "{}{}",
                            note.map(|n| format!(" ({n})")).unwrap_or_default(),
                            if clipboard {
                                " and copied it (OSC 52)"
                            } else {
                                ""
                            }
                        );
                        let msg = write_report(&path, &text, &std::env::temp_dir(), &copied);
                        let _ = tx.blocking_send(Action::Status(msg));
                    });
                }
                Effect::Start { source, spec } => {
                    let msg = control.start(source, spec).unwrap_or_else(|e| e);
                    app.update(Action::Status(msg));
                }
                Effect::Restart(n) => {
                    let msg = control.restart(n).unwrap_or_else(|e| e);
                    app.update(Action::Status(msg));
                }
                Effect::Suspend => {
                    suspend(terminal)?;
                    app.mark_dirty();
                }
            }
        }
    }
    Ok(None)
}

/// Draws the screen, then tells the app how tall the scrollable panes came out (their
/// scrolls stop at the last row).
fn redraw(terminal: &mut DefaultTerminal, app: &mut App, theme: &Theme) -> io::Result<()> {
    let mut extents = None;
    terminal.draw(|f| extents = Some(super::draw(f, app, theme)))?;
    if let Some(e) = extents {
        app.update(Action::Extents(e));
    }
    Ok(())
}

/// The action for a mouse event (keys: [`App::on_key`]).
fn mouse_action(ev: &Event) -> Option<Action> {
    match ev {
        Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollDown => Some(Action::Scroll(3)),
            MouseEventKind::ScrollUp => Some(Action::Scroll(-3)),
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                column: m.column,
                row: m.row,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// Ctrl-Z: give the terminal back, stop, and take it again on `fg`.
fn suspend(terminal: &mut DefaultTerminal) -> io::Result<()> {
    restore();
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    terminal.clear()
}

/// Copies text with OSC 52 (only when the user enabled it: terminals differ in what they allow).
fn osc52(text: &str) -> io::Result<()> {
    let mut out = io::stdout();
    write!(out, "\x1b]52;c;{}\x07", base64(text.as_bytes()))?;
    out.flush()
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(T[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
