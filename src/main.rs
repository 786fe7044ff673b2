//! The `bkscope` binary: resolves the environment once (config dir, colour, locale, terminals),
//! runs the command and maps errors to exit codes (`cli/exit.rs`).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use bkscope::cli::exit::Exit;
use bkscope::cli::{Cli, Env, run};

fn config_dir(flag: Option<&PathBuf>) -> Option<PathBuf> {
    if let Some(d) = flag {
        return Some(d.clone());
    }
    if let Some(x) = std::env::var_os("XDG_CONFIG_HOME").filter(|x| !x.is_empty()) {
        return Some(PathBuf::from(x).join("bkscope"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config").join("bkscope"))
}

fn main() -> ExitCode {
    let cli = Cli::try_parse_checked_from(std::env::args_os()).unwrap_or_else(|e| e.exit());
    let lang = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .unwrap_or_default();
    let env = Env {
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        stdout_tty: std::io::stdout().is_terminal(),
        stdin_tty: std::io::stdin().is_terminal(),
        config_dir: config_dir(cli.global.config_dir.as_ref()),
        lang_zh: lang.starts_with("zh"),
        hyperlinks: bkscope::cli::hyperlinks::known(|k| std::env::var(k).ok()),
        spool_dir: spool_dir(),
    };
    match run(cli, &env) {
        Ok(exit) => exit.into(),
        Err(e) => {
            // A path or a text from the input can be in the message: never raw escapes.
            let msg = format!("{e:#}");
            eprintln!("bkscope: {}", bkscope::model::sanitize::inert(&msg));
            Exit::Error.into()
        }
    }
}

/// Where the explorer spools line text: `$TMPDIR`, else `/var/tmp` (disk on most systems, where
/// `/tmp` and `$XDG_RUNTIME_DIR` are often tmpfs, which would keep the text in RAM), else `/tmp`.
fn spool_dir() -> std::path::PathBuf {
    if let Some(d) = std::env::var_os("TMPDIR").filter(|v| !v.is_empty()) {
        return d.into();
    }
    let var_tmp = std::path::Path::new("/var/tmp");
    if var_tmp.is_dir() {
        return var_tmp.to_owned();
    }
    std::path::PathBuf::from("/tmp")
}
