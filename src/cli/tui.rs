//! The default command: the interactive explorer. Until the explorer lands (issue 4) it prints
//! the `summary` report of the sources it is given, so the README's run command works.

use super::exit::Exit;
use super::{Env, GlobalArgs, SummaryArgs, TuiArgs};

/// Runs the explorer.
pub fn run(args: &TuiArgs, global: &GlobalArgs, env: &Env) -> anyhow::Result<Exit> {
    if args.sources.is_empty() {
        anyhow::bail!(
            "name a log file (or '-' for stdin); following a builder needs the explorer, not built yet"
        );
    }
    let summary = SummaryArgs {
        sources: args.sources.clone(),
        json: false,
        config: args.config.clone(),
        fail_on: Vec::new(),
    };
    super::summary::run(&summary, global, env, &mut std::io::stdout().lock())
}
