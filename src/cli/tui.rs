//! The default command: the interactive explorer. Resolves sources and theme, then hands an
//! `App` and the source feed to `ui::run`.

use super::exit::Exit;
use super::{Env, GlobalArgs, TuiArgs};

/// Runs the explorer.
pub fn run(args: &TuiArgs, _global: &GlobalArgs, _env: &Env) -> anyhow::Result<Exit> {
    anyhow::bail!(
        "the interactive explorer is not built yet; run 'bkscope summary {}' for the report",
        args.sources.join(" ")
    )
}
