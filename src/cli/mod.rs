//! The command line: clap definitions and the headless commands (`summary`, `events`, `kb`,
//! `completions`, `man`). The TUI is the default command.
//!
//! Uses source → parse → model → kb; never builds an `App` except to hand it to the TUI.

pub mod arena;
pub mod events;
pub mod exit;
pub mod hyperlinks;
mod inert_json;
pub mod input;
pub mod kb;
mod man;
pub mod markdown;
mod parse_hints;
pub mod problems;
pub mod report;
mod stdout;
pub mod summary;
pub mod tui;

use std::io::Write;
use std::path::PathBuf;

use std::ffi::OsString;

use clap::parser::ValueSource;
use clap::{
    ArgAction, ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum,
};

use exit::{Exit, closed_pipe_is_success};
use hyperlinks::HyperlinksWhen;

const EXAMPLES: &str = "\
Examples:
  bkscope                                   follow the running buildx builder (picker when several)
  bkscope --builder mybuilder               follow docker logs -f buildx_buildkit_mybuilder0
  bkscope buildkitd.log                     open a saved log, then keep following it
  docker logs -f buildx_buildkit_b0 2>&1 | bkscope -
  bkscope summary build.log --config buildkitd.toml --fail-on auth,mirror-unused
  bkscope summary build.log --json | jq '.mirrors[] | {upstream, verdict}'
  bkscope events build.log --json | jq -c 'select(.failed)'
  bkscope kb show cicd/buildkit-oauth-token-401";

/// bkscope: BuildKit registry traffic, made readable.
#[derive(Debug, Parser)]
#[command(name = "bkscope", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    /// The command; without one, the interactive explorer opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options of the interactive explorer.
    #[command(flatten)]
    pub tui: TuiArgs,
    /// Options every command shares.
    #[command(flatten)]
    pub global: GlobalArgs,
}

impl Cli {
    /// Parses the command line as [`Parser::try_parse_from`] does (a `--fail-on` list tidied,
    /// clearer words for a subcommand after a source and a `--format`: `parse_hints`), and refuses an option of the
    /// explorer given before a subcommand (`bkscope --config bk.toml summary a.log`): clap
    /// accepts it there, and the subcommand would silently run without it. Global options
    /// (`--color`, `--no-redact`, `--config-dir`) are fine on either side.
    pub fn try_parse_checked_from<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let args = parse_hints::tidy_lists(args.into_iter().map(Into::into).collect());
        let mut cmd = Cli::command();
        let matches = match cmd.try_get_matches_from_mut(args.iter().cloned()) {
            Ok(m) => m,
            Err(e) => return Err(parse_hints::explained(&mut cmd, e, &args)),
        };
        if let Some(msg) = misplaced_explorer_options(&cmd, &matches, &args) {
            return Err(cmd.error(clap::error::ErrorKind::ArgumentConflict, msg));
        }
        Cli::from_arg_matches(&matches)
    }
}

/// What to say when options of the explorer come before a subcommand; `None` when none do.
fn misplaced_explorer_options(
    cmd: &clap::Command,
    matches: &ArgMatches,
    args: &[OsString],
) -> Option<String> {
    let (sub_name, _) = matches.subcommand()?;
    let explorer = TuiArgs::augment_args(clap::Command::new("explorer"));
    let misplaced: Vec<&clap::Arg> = explorer
        .get_arguments()
        .filter(|a| a.get_long().is_some())
        .filter(|a| matches.value_source(a.get_id().as_str()) == Some(ValueSource::CommandLine))
        .collect();
    if misplaced.is_empty() {
        return None;
    }
    let names: Vec<String> = misplaced
        .iter()
        .filter_map(|a| a.get_long().map(|l| format!("'--{l}'")))
        .collect();
    let sub = cmd.find_subcommand(sub_name)?;
    let takes = |a: &clap::Arg| {
        sub.get_arguments()
            .any(|s| s.get_long().is_some() && s.get_long() == a.get_long())
    };
    let head = if names.len() == 1 {
        format!(
            "{} is an option of the explorer (bkscope without a subcommand); before \
             '{sub_name}' it would be ignored",
            names.join(", ")
        )
    } else {
        format!(
            "{} are options of the explorer (bkscope without a subcommand); before \
             '{sub_name}' they would be ignored",
            names.join(", ")
        )
    };
    let not_taken: Vec<String> = misplaced
        .iter()
        .filter(|a| !takes(a))
        .filter_map(|a| a.get_long().map(|l| format!("'--{l}'")))
        .collect();
    if !not_taken.is_empty() {
        return Some(format!(
            "{head}\n\n'{sub_name}' does not take {}; see 'bkscope {sub_name} --help'",
            not_taken.join(", ")
        ));
    }
    let fixed = reordered(cmd, args).map_or_else(
        || format!("bkscope {sub_name} --OPTION … SOURCE"),
        |line| crate::model::sanitize::inert(&line).into_owned(),
    );
    Some(format!(
        "{head}\n\nput the options of a subcommand after it: {fixed}"
    ))
}

/// The command line with the explorer's options moved after the subcommand (globals stay where
/// they are), or `None` when the words before the subcommand cannot be told apart.
fn reordered(cmd: &clap::Command, args: &[OsString]) -> Option<String> {
    let words: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut globals = Vec::new();
    let mut moved = Vec::new();
    let mut i = 0;
    while i < words.len() && words[i].starts_with("--") && words[i] != "--" {
        let (long, inline) = match words[i][2..].split_once('=') {
            Some((l, _)) => (l, true),
            None => (&words[i][2..], false),
        };
        let arg = cmd.get_arguments().find(|a| a.get_long() == Some(long))?;
        let takes_value = !matches!(
            arg.get_action(),
            ArgAction::SetTrue | ArgAction::SetFalse | ArgAction::Count
        );
        let end = if takes_value && !inline { i + 2 } else { i + 1 };
        let group = words.get(i..end)?;
        if arg.is_global_set() {
            globals.extend_from_slice(group);
        } else {
            moved.extend_from_slice(group);
        }
        i = end;
    }
    let (sub, rest) = words.get(i..)?.split_first()?;
    let line: Vec<String> = std::iter::once("bkscope".to_owned())
        .chain(globals)
        .chain(std::iter::once(sub.clone()))
        .chain(moved)
        .chain(rest.iter().cloned())
        .map(|w| shell_word(&w))
        .collect();
    Some(line.join(" "))
}

/// `w` quoted for a POSIX shell when it needs it.
pub(super) fn shell_word(w: &str) -> String {
    let plain = !w.is_empty()
        && w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=:,@%+".contains(&b));
    if plain {
        w.to_owned()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

/// Options every command shares.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Show secrets (Authorization headers, tokens, passwords in URLs) instead of redacting them.
    #[arg(long, global = true)]
    pub no_redact: bool,
    /// When to colour output; `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,
    /// Directory of user kb/, themes/ and keymap.yaml (default: $XDG_CONFIG_HOME/bkscope).
    #[arg(long, global = true, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour when writing to a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Options of the interactive explorer (the default command).
#[derive(Debug, Clone, Args)]
pub struct TuiArgs {
    /// Log files to open and follow, or `-` for stdin. None: follow the running buildx builder.
    #[arg(value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// Follow `docker logs -f buildx_buildkit_<NAME>0`.
    #[arg(long, value_name = "NAME")]
    pub builder: Option<String>,
    /// Follow `docker logs -f <NAME>` (any container, e.g. a standalone buildkitd).
    #[arg(long, value_name = "NAME")]
    pub container: Option<String>,
    /// Lines of history `docker logs` starts with.
    #[arg(long, default_value_t = 5000, value_name = "N")]
    pub tail: u64,
    /// Theme name (dark, light, high-contrast) or a path to a theme YAML file.
    #[arg(long, value_name = "NAME|PATH")]
    pub theme: Option<String>,
    /// buildkitd.toml (or dockerd daemon.json) with the configured registry mirrors.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The docker CLI to run.
    #[arg(long, default_value = "docker", value_name = "PATH")]
    pub docker: String,
    /// Most log lines kept; the oldest are dropped beyond it, so a long follow stays bounded
    /// (memory holds about 20 bytes per line, the text is spooled to disk).
    #[arg(long, default_value_t = crate::app::lines::DEFAULT_MAX_LINES, value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_lines: usize,
    /// `x` also copies the report to the clipboard with OSC 52 (off by default: terminals differ
    /// in what they allow, and a shared screen may not want it).
    #[arg(long)]
    pub clipboard: bool,
    /// The knowledge-base pane's doc links as OSC 8 hyperlinks, clickable whole even where the
    /// pane wraps them: `auto` where the terminal is known to show them (kitty, iTerm2, WezTerm,
    /// VTE, Windows Terminal, …; not inside tmux).
    #[arg(long, value_enum, default_value_t = HyperlinksWhen::Auto, value_name = "WHEN")]
    pub hyperlinks: HyperlinksWhen,
    /// Where `x` writes its reports (default: the current directory). When it cannot be
    /// written, the report goes to the temp dir and the status line says where.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub export_dir: PathBuf,
    /// Fetch events kept in memory; past it the oldest completed ones are dropped (the header
    /// counts them). 0 keeps every event.
    #[arg(long, default_value_t = crate::app::DEFAULT_MAX_EVENTS, value_name = "N")]
    pub max_events: usize,
    /// Panic after the first frame (for the test that the terminal is restored on panic).
    #[arg(long, hide = true)]
    pub test_panic: bool,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a report (hosts, who served, mirror verdicts, auth failures, errors) and exit.
    Summary(SummaryArgs),
    /// Stream fetch events as NDJSON, also from a pipe that is still growing.
    Events(EventsArgs),
    /// The knowledge base of diagnoses.
    Kb {
        /// What to do.
        #[command(subcommand)]
        action: KbAction,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

/// `bkscope summary`.
#[derive(Debug, Clone, Args)]
pub struct SummaryArgs {
    /// Log files, or `-` for stdin (the default when none is given and stdin is not a terminal).
    #[arg(value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// Print the JSON contract instead of the readable report.
    #[arg(long)]
    pub json: bool,
    /// Print the report as GitHub-flavoured Markdown (a CI step summary:
    /// `>> "$GITHUB_STEP_SUMMARY"`, or a merge-request comment).
    #[arg(long, conflicts_with = "json")]
    pub markdown: bool,
    /// buildkitd.toml (or dockerd daemon.json) with the configured registry mirrors.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Exit 1 when one of these holds: auth (an auth failure), mirror-unused (a mirror verdict
    /// `unused` or `partial`: some pulls bypassed the mirror), mirror-unproven (no mirror, or a
    /// verdict other than `used`: the log does not prove every mirror served), errors (any
    /// fetch error), unrecovered-errors (a fetch error no fallback or retry got past: not a
    /// mirror's miss that another host then served, nor an attempt a retry then got),
    /// no-requests (the log shows no registry request or response: empty input, the wrong
    /// builder's log, debug logging off). Any case (`AUTH`).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        value_name = "LIST",
        ignore_case = true
    )]
    pub fail_on: Vec<FailOn>,
}

/// `--fail-on` conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any auth failure.
    Auth,
    /// A mirror that served nothing (`unused`) or not every pull (`partial`).
    MirrorUnused,
    /// No mirror seen or configured, or one not proven `used` (also `unknown`: no pull of its
    /// upstream in the log, e.g. debug logging off).
    MirrorUnproven,
    /// Any fetch error (connection, DNS, TLS, 404, 429, …).
    Errors,
    /// A fetch error no fallback or retry got past: `errors` without a mirror's miss or
    /// refusal that another host then served, or an attempt a retry then got (`recovered_by`
    /// in the JSON).
    UnrecoveredErrors,
    /// No registry request or response in the log (`requests` and `responses` are 0, as for
    /// the `debug-off` hint and the Markdown headline's ❔): an empty input, the wrong builder's
    /// log, debug logging off, or a build served wholly from cache. With `mirror-unused`, the
    /// proof a shared `--config` needs without `mirror-unproven`'s verdict for every registry.
    NoRequests,
}

/// `bkscope events`.
#[derive(Debug, Clone, Args)]
pub struct EventsArgs {
    /// Log files, or `-` for stdin (the default when none is given and stdin is not a terminal).
    #[arg(value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// NDJSON output (the only format for now; accepted for clarity in scripts).
    #[arg(long)]
    pub json: bool,
    /// buildkitd.toml (or dockerd daemon.json) with the configured registry mirrors: each
    /// pull request then says which upstream it was for and the mirror it went to (`route`),
    /// as `summary --config` counts it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `bkscope kb …`.
#[derive(Debug, Subcommand)]
pub enum KbAction {
    /// List every entry.
    List {
        /// Titles in Chinese where the entry has them (also when LANG is zh_*).
        #[arg(long)]
        zh: bool,
    },
    /// Show one entry.
    Show {
        /// Entry id.
        id: String,
        /// Show the Chinese text where the entry has it.
        #[arg(long)]
        zh: bool,
    },
    /// Validate entries (default: the user's kb directory, else the built-in ones).
    Check {
        /// Directory of YAML entries.
        dir: Option<PathBuf>,
    },
}

/// What `main` learned from the environment; library code reads no environment variables.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// NO_COLOR is set.
    pub no_color: bool,
    /// Standard output is a terminal.
    pub stdout_tty: bool,
    /// Standard input is a terminal (so `bkscope` without sources does not read it).
    pub stdin_tty: bool,
    /// The resolved config directory.
    pub config_dir: Option<PathBuf>,
    /// The locale asks for Chinese.
    pub lang_zh: bool,
    /// The terminal is known to show OSC 8 hyperlinks (`hyperlinks::known`).
    pub hyperlinks: bool,
    /// Where the explorer spools the text of the lines it keeps.
    pub spool_dir: PathBuf,
}

impl Env {
    /// True when output should be coloured.
    pub fn color(&self, when: ColorWhen) -> bool {
        match when {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => self.stdout_tty && !self.no_color,
        }
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli, env: &Env) -> anyhow::Result<Exit> {
    let mut out = stdout::Stdout::new(std::io::stdout().lock());
    match cli.command {
        None => tui::run(&cli.tui, &cli.global, env),
        Some(Command::Summary(args)) => summary::run(&args, &cli.global, env, &mut out),
        Some(Command::Events(args)) => events::run(&args, &cli.global, env, &mut out),
        Some(Command::Kb { action }) => closed_pipe_is_success(kb_command(action, env, &mut out)),
        Some(Command::Completions { shell }) => {
            // clap_complete panics when a write fails (`completions bash | head`): the script
            // is made in memory, then written.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut completion_command(), "bkscope", &mut script);
            closed_pipe_is_success(written(out.write_all(&script)))
        }
        Some(Command::Man) => {
            closed_pipe_is_success(written(man::render(Cli::command(), &mut out)))
        }
    }
}

/// The command line for the completion scripts: without the hidden arguments of the top level
/// (`--test-panic`). clap_complete offers every argument, hidden ones too, and has no setting to
/// skip them (its maintainers chose so, clap-rs/clap#1335). Subcommands are kept as they are; a
/// test keeps them free of hidden arguments.
fn completion_command() -> clap::Command {
    let cmd = Cli::command();
    let mut out = clap::Command::new("bkscope")
        .version(env!("CARGO_PKG_VERSION"))
        .args(cmd.get_arguments().filter(|a| !a.is_hide_set()).cloned())
        .subcommands(cmd.get_subcommands().cloned());
    if let Some(about) = cmd.get_about() {
        out = out.about(about.clone());
    }
    out
}

/// Success once the output is written.
fn written(result: std::io::Result<()>) -> anyhow::Result<Exit> {
    result.map(|()| Exit::Success).map_err(anyhow::Error::from)
}

fn kb_command(action: KbAction, env: &Env, out: &mut impl Write) -> anyhow::Result<Exit> {
    let (base, problems) = crate::kb::KnowledgeBase::load(env.config_dir.as_deref());
    match action {
        KbAction::List { zh } => {
            report_kb_problems(&problems);
            kb::list(&base, zh || env.lang_zh, out)?;
            Ok(Exit::Success)
        }
        KbAction::Show { id, zh } => {
            report_kb_problems(&problems);
            kb::show(&base, &id, zh || env.lang_zh, out)?;
            Ok(Exit::Success)
        }
        KbAction::Check { dir } => {
            // A directory named on the command line must be one; the default (the user's kb
            // directory) may be missing, then the built-in entries are checked.
            if let Some(d) = dir.as_deref().filter(|d| !d.is_dir()) {
                anyhow::bail!(
                    "'{}' is not a directory; 'bkscope kb check DIR' checks the entry files in \
                     DIR ('bkscope kb check' alone checks your kb directory or the built-in entries)",
                    d.display()
                );
            }
            let dir = dir.or_else(|| env.config_dir.as_ref().map(|d| d.join("kb")));
            Ok(if kb::check(dir.as_deref(), out)? {
                Exit::Success
            } else {
                Exit::Error
            })
        }
    }
}

/// Prints the problems of the user's kb directory to stderr, each with what is done about it
/// ([`problems::kb_line`], the explorer's wording too).
pub fn report_kb_problems(problems: &[crate::kb::KbError]) {
    let lines: Vec<String> = problems.iter().map(problems::kb_line).collect();
    problems::report(&lines);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
        completion_command().debug_assert();
    }

    /// The completion scripts offer no hidden option, and everything else as before.
    #[test]
    fn completions_skip_hidden_options() {
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Fish,
            clap_complete::Shell::Zsh,
        ] {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut completion_command(), "bkscope", &mut script);
            let script = String::from_utf8_lossy(&script);
            // Only the top level's hidden arguments are left out: a subcommand must have none.
            fn hidden_below(c: &clap::Command) -> bool {
                c.get_subcommands()
                    .any(|s| s.get_arguments().any(clap::Arg::is_hide_set) || hidden_below(s))
            }
            assert!(
                !hidden_below(&Cli::command()),
                "completion_command keeps them"
            );
            assert!(!script.contains("test-panic"), "{shell}");
            for visible in ["builder", "config-dir", "fail-on", "summary", "check", "zh"] {
                assert!(script.contains(visible), "{shell}: {visible}");
            }
        }
    }
}
