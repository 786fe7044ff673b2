//! The default command: the interactive explorer. Resolves sources (files, `-`, `--builder`,
//! `--container`, else the running buildx builders, with a picker when there are several),
//! theme, keymap, knowledge base and `--config`, then hands an `App` and the source feed to
//! `ui::run`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use tokio::sync::mpsc;

use crate::app::keymap::Keymap;
use crate::app::lines::StoreOptions;
use crate::app::{App, AppOptions, feed};
use crate::kb::KnowledgeBase;
use crate::source::discover::{container_for_builder, discover_builders};
use crate::source::merge::{MergedSources, spawn_merged};
use crate::source::sniff;
use crate::source::{SourceEvent, SourceHandle, SourceOptions, SourceSpec, spawn_with};
use crate::ui::Theme;
use crate::ui::run::{RunOptions, SourceControl};

use super::exit::Exit;
use super::{ColorWhen, Env, GlobalArgs, TuiArgs, input};

/// True when a source word names a report subcommand rather than a file (`bkscope build.log
/// summary`: the subcommand put last, which clap reads as a second file).
fn names_a_report(word: &str) -> bool {
    matches!(word, "summary" | "events") && !Path::new(word).exists()
}

/// The subcommand a source word that names no file is one or two keystrokes away from
/// (`sumary`, `event`), if any.
fn mistyped_subcommand(word: &str) -> Option<&'static str> {
    // The short ones (`kb`, `man`) are left out: two keystrokes from them is any short name.
    ["summary", "events", "completions"]
        .into_iter()
        .find(|sub| crate::app::edits(word, sub) <= 2)
}

/// The report command for what was given to the explorer: the subcommand first (`summary`, or
/// the one a source word names), then the options it takes (`--config`, the shared ones), then
/// the files (`FILE` when none: a real example, not an empty argument); each word once.
fn report_command(args: &TuiArgs, global: &GlobalArgs) -> String {
    let sub = args
        .sources
        .iter()
        .find(|w| names_a_report(w))
        .map_or("summary", String::as_str);
    let mut words = vec!["bkscope".to_owned(), sub.to_owned()];
    if let Some(config) = &args.config {
        words.extend(["--config".to_owned(), config.to_string_lossy().into_owned()]);
    }
    if global.no_redact {
        words.push("--no-redact".to_owned());
    }
    match global.color {
        ColorWhen::Auto => {}
        ColorWhen::Always => words.extend(["--color".to_owned(), "always".to_owned()]),
        ColorWhen::Never => words.extend(["--color".to_owned(), "never".to_owned()]),
    }
    if let Some(dir) = &global.config_dir {
        words.extend([
            "--config-dir".to_owned(),
            dir.to_string_lossy().into_owned(),
        ]);
    }
    let files: Vec<&String> = args.sources.iter().filter(|w| !names_a_report(w)).collect();
    if files.is_empty() {
        words.push("FILE".to_owned());
    }
    words.extend(files.into_iter().cloned());
    let line: Vec<String> = words.iter().map(|w| super::shell_word(w)).collect();
    crate::model::sanitize::inert(&line.join(" ")).into_owned()
}

/// Runs the explorer: [`Exit::Success`] when the user quits, 128+signo when SIGTERM, SIGINT or
/// SIGHUP ended it (the terminal restored first).
pub fn run(args: &TuiArgs, global: &GlobalArgs, env: &Env) -> anyhow::Result<Exit> {
    super::input::stdin_once(&args.sources)?;
    if let Some(sub) = args.sources.iter().find(|w| names_a_report(w)) {
        anyhow::bail!(
            "'{sub}' is a subcommand, not a log file: it goes first; run '{}'",
            report_command(args, global)
        );
    }
    if !env.stdout_tty {
        // A file that is not there first: the report command offered below would fail on it
        // too (a review: `bkscope sumary demo.log | cat` was told to run `bkscope summary
        // sumary demo.log`).
        for word in args.sources.iter().filter(|w| *w != "-") {
            if let Err(e) = openable(Path::new(word)) {
                return Err(match mistyped_subcommand(word) {
                    Some(sub) => anyhow::anyhow!("{e:#}; did you mean the subcommand '{sub}'?"),
                    None => e,
                });
            }
        }
        anyhow::bail!(
            "the explorer needs a terminal on stdout; for a report run '{}'",
            report_command(args, global)
        );
    }
    let mirrors = input::mirror_config(args.config.as_ref())?;
    let config_dir = env.config_dir.as_deref();
    // One line per problem of a user file, as stderr says it: a broken theme falls back to the
    // built-in one, a keymap or kb problem says its own consequence.
    let mut problems: Vec<String> = Vec::new();
    let (theme, theme_err) = Theme::load_or_default(args.theme.as_deref(), config_dir);
    let theme = with_color(theme, global.color);
    problems.extend(theme_err.map(|e| super::problems::fallback_line(&e)));
    let (keymap, key_problems) = Keymap::load(config_dir);
    problems.extend(key_problems.iter().map(super::problems::keymap_line));
    let (kb, kb_problems) = KnowledgeBase::load(config_dir);
    problems.extend(kb_problems.iter().map(super::problems::kb_line));

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let result = runtime.block_on(async move {
        let (specs, builders) = resolve_sources(args, env).await?;
        super::problems::report(&problems);
        let mut app = App::new(
            AppOptions {
                redact: !global.no_redact,
                mirrors,
                zh: env.lang_zh,
                clipboard: args.clipboard,
                hyperlinks: args.hyperlinks.enabled(env.hyperlinks),
                export_dir: args.export_dir.clone(),
                max_events: (args.max_events > 0).then_some(args.max_events),
                lines: StoreOptions {
                    max_lines: args.max_lines,
                    spool_dir: Some(env.spool_dir.clone()),
                },
            },
            kb,
            keymap,
        );
        app.problems.clone_from(&problems);
        if !builders.is_empty() {
            app.open_picker(builders, Some(args.tail));
        }
        let options = SourceOptions {
            docker: args.docker.clone(),
            ..SourceOptions::default()
        };
        let (tx, rx) = mpsc::channel::<SourceEvent>(crate::app::feed::SOURCE_QUEUE);
        for spec in &specs {
            app.add_source(spec);
        }
        let mut control = Control {
            merged: (!specs.is_empty()).then(|| spawn_merged(specs, options.clone(), tx.clone())),
            started: Vec::new(),
            options,
            tx,
        };
        let actions = feed::spawn(rx);
        let opts = RunOptions {
            test_panic: args.test_panic,
        };
        crate::ui::run::run(app, theme, actions, &mut control, opts)
            .await
            .map_err(anyhow::Error::from)
    });
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    Ok(result?.map_or(Exit::Success, Exit::for_signal))
}

/// The top-level `--color` in the explorer: `never` draws the theme without colours (bold and
/// reverse kept, so the selected row still shows), `always` colours even with NO_COLOR set
/// (crossterm leaves colours out when it is), `auto` leaves that to crossterm.
fn with_color(theme: Theme, when: ColorWhen) -> Theme {
    match when {
        ColorWhen::Never => theme.without_colors(),
        ColorWhen::Always => {
            crossterm::style::force_color_output(true);
            theme
        }
        ColorWhen::Auto => theme,
    }
}

/// What the command line asks to follow; several running builders come back as the second
/// list, for the picker.
async fn resolve_sources(
    args: &TuiArgs,
    env: &Env,
) -> anyhow::Result<(Vec<SourceSpec>, Vec<String>)> {
    let tail = Some(args.tail);
    let mut specs: Vec<SourceSpec> = args
        .sources
        .iter()
        .map(|s| match s.as_str() {
            "-" => SourceSpec::Stdin,
            path => SourceSpec::File(PathBuf::from(path)),
        })
        .collect();
    for s in &specs {
        if let SourceSpec::File(p) = s {
            openable(p)?;
        }
    }
    if let Some(b) = &args.builder {
        specs.push(SourceSpec::Container {
            name: container_for_builder(b),
            tail,
        });
    }
    if let Some(c) = &args.container {
        specs.push(SourceSpec::Container {
            name: c.clone(),
            tail,
        });
    }
    if !specs.is_empty() {
        return Ok((specs, Vec::new()));
    }
    if !env.stdin_tty {
        return Ok((vec![SourceSpec::Stdin], Vec::new()));
    }
    let found = discover_builders(&args.docker).await?;
    let mut names: Vec<String> = found.into_iter().map(|b| b.container).collect();
    if names.len() == 1 {
        let name = names.remove(0);
        return Ok((vec![SourceSpec::Container { name, tail }], Vec::new()));
    }
    Ok((Vec::new(), names))
}

/// The running sources: those of the command line, merged by time, and any picked later.
struct Control {
    merged: Option<MergedSources>,
    started: Vec<SourceHandle>,
    options: SourceOptions,
    tx: mpsc::Sender<SourceEvent>,
}

impl SourceControl for Control {
    fn restart(&mut self, n: u32) -> Result<String, String> {
        let handle = self
            .merged
            .as_ref()
            .and_then(|m| m.get(n))
            .or_else(|| self.started.iter().find(|h| h.source() == n))
            .ok_or("no such source")?;
        if handle.restart() {
            Ok("restarting docker logs -f".to_owned())
        } else {
            Err("only a running docker logs source can be restarted".to_owned())
        }
    }

    fn start(&mut self, n: u32, spec: SourceSpec) -> Result<String, String> {
        let label = spec.label();
        self.started
            .push(spawn_with(n, spec, self.options.clone(), self.tx.clone()));
        Ok(format!("following {label}"))
    }
}

/// A file argument the explorer can follow: one that exists, is no directory and, if it is a
/// regular file, starts as a text log would (not compressed, not UTF-16: `source::sniff`).
/// Checked before the terminal is taken, so a mistyped path ends with one line on stderr and
/// exit 2, as `summary` does, instead of an empty explorer.
///
/// Only a regular file is opened here. A named pipe (`<(docker logs …)`, `mkfifo`) or a device
/// is only looked at: reading its head would take those bytes from the stream (the first line
/// lost its `time`), and opening a pipe no writer has opened yet blocks until one does, before
/// the explorer is drawn (q did nothing). Its source opens and reads it, the header showing it
/// starting until a writer comes (`source::file`).
fn openable(p: &std::path::Path) -> anyhow::Result<()> {
    use std::io::Read;
    let meta = std::fs::metadata(p).with_context(|| format!("cannot open '{}'", p.display()))?;
    if meta.is_dir() {
        anyhow::bail!("'{}' is a directory, not a log file", p.display());
    }
    if !meta.is_file() {
        return Ok(());
    }
    let mut head = Vec::with_capacity(sniff::HEAD);
    std::fs::File::open(p)
        .and_then(|f| f.take(sniff::HEAD as u64).read_to_end(&mut head))
        .with_context(|| format!("cannot read '{}'", p.display()))?;
    if let Some(refusal) = sniff::refusal(&p.display().to_string(), &head, "") {
        anyhow::bail!(refusal);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_a_missing_or_a_compressed_file_is_refused_before_the_explorer_starts() {
        let dir = std::env::temp_dir();
        let err = openable(&dir).unwrap_err().to_string();
        assert!(err.contains("is a directory, not a log file"), "{err}");
        let missing = dir.join(format!("bkscope-missing-{}.log", std::process::id()));
        assert!(
            openable(&missing)
                .unwrap_err()
                .to_string()
                .starts_with("cannot open")
        );
        let file = dir.join(format!("bkscope-openable-{}.log", std::process::id()));
        std::fs::write(&file, "").unwrap();
        assert!(openable(&file).is_ok());
        std::fs::write(&file, [0x1f, 0x8b, 0x08, 0x00, 0x00]).unwrap();
        let err = openable(&file).unwrap_err().to_string();
        assert!(err.contains("is gzip-compressed"), "{err}");
        let _ = std::fs::remove_file(file);
    }

    /// A named pipe is not opened before the explorer starts: no writer yet would block here
    /// (before anything is drawn), and a writer's first bytes would be read away.
    #[test]
    fn a_named_pipe_is_accepted_without_being_opened() {
        let dir =
            std::env::temp_dir().join(format!("bkscope-openable-fifo-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).unwrap();
        let fifo = dir.join("p");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let (tx, rx) = std::sync::mpsc::channel();
        let path = fifo.clone();
        std::thread::spawn(move || {
            let _ = tx.send(openable(&path).map_err(|e| e.to_string()));
        });
        let got = rx.recv_timeout(std::time::Duration::from_secs(2));
        if got.is_err() {
            // Unblock the thread stuck in open(2) before failing.
            let _ = std::fs::OpenOptions::new().write(true).open(&fifo);
        }
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            got,
            Ok(Ok(())),
            "openable blocked on (or refused) a pipe with no writer"
        );
    }
}
