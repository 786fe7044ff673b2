//! The default command: the interactive explorer. Resolves sources (files, `-`, `--builder`,
//! `--container`, else the running buildx builder), theme, keymap, knowledge base and
//! `--config`, then hands an `App` and the source feed to `ui::run`.

use std::path::PathBuf;

use anyhow::Context;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::app::keymap::Keymap;
use crate::app::{App, AppOptions, feed};
use crate::kb::KnowledgeBase;
use crate::source::{SourceEvent, SourceSpec};
use crate::ui::Theme;
use crate::ui::run::{RunOptions, SourceControl};

use super::exit::Exit;
use super::{Env, GlobalArgs, TuiArgs, follow, input};

/// Runs the explorer.
pub fn run(args: &TuiArgs, global: &GlobalArgs, env: &Env) -> anyhow::Result<Exit> {
    if !env.stdout_tty {
        anyhow::bail!(
            "the explorer needs a terminal on stdout; for a report run 'bkscope summary {}'",
            args.sources.join(" ")
        );
    }
    let specs = resolve_sources(args, env)?;
    let mirrors = input::mirror_config(args.config.as_ref())?;
    let config_dir = env.config_dir.as_deref();
    let mut problems: Vec<String> = Vec::new();
    let (theme, theme_err) = Theme::load_or_default(args.theme.as_deref(), config_dir);
    problems.extend(theme_err.map(|e| e.to_string()));
    let (keymap, key_err) = Keymap::load(config_dir);
    problems.extend(key_err.map(|e| e.to_string()));
    let (kb, kb_problems) = KnowledgeBase::load(config_dir);
    problems.extend(kb_problems.iter().map(ToString::to_string));
    super::report_problems(&problems);

    let mut app = App::new(
        AppOptions {
            redact: !global.no_redact,
            mirrors,
            zh: env.lang_zh,
            clipboard: args.clipboard,
            export_dir: PathBuf::from("."),
        },
        kb,
        keymap,
    );
    if let Some(p) = problems.first() {
        app.status = Some(format!("{p} (using the default)"));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let (tx, rx) = mpsc::channel::<SourceEvent>(64);
        let mut sources = Sources {
            specs: Vec::new(),
            tasks: Vec::new(),
            tx,
        };
        for spec in specs {
            let n = app.add_source(&spec);
            sources.start(n, spec);
        }
        let actions = feed::spawn(rx);
        let opts = RunOptions {
            test_panic: args.test_panic,
        };
        crate::ui::run::run(app, theme, actions, &mut sources, opts).await
    })?;
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    Ok(Exit::Success)
}

/// What the command line asks to follow.
fn resolve_sources(args: &TuiArgs, env: &Env) -> anyhow::Result<Vec<SourceSpec>> {
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
            std::fs::metadata(p).with_context(|| format!("cannot open '{}'", p.display()))?;
        }
    }
    if let Some(b) = &args.builder {
        specs.push(SourceSpec::Container {
            name: format!("buildx_buildkit_{b}0"),
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
        return Ok(specs);
    }
    if !env.stdin_tty {
        return Ok(vec![SourceSpec::Stdin]);
    }
    let found = follow::discover_builders(&args.docker).map_err(anyhow::Error::msg)?;
    if found.is_empty() {
        anyhow::bail!(
            "no running buildx builder found ('{} ps --filter name=buildx_buildkit_' lists none); \
start one with 'docker buildx create --use --buildkitd-flags --debug' and build, or open a log: \
'bkscope build.log', 'docker logs -f NAME 2>&1 | bkscope -'",
            args.docker
        );
    }
    Ok(found
        .into_iter()
        .map(|name| SourceSpec::Container { name, tail })
        .collect())
}

/// The running sources, restartable by index.
struct Sources {
    specs: Vec<SourceSpec>,
    tasks: Vec<JoinHandle<()>>,
    tx: mpsc::Sender<SourceEvent>,
}

impl Sources {
    fn start(&mut self, n: u32, spec: SourceSpec) {
        let task = follow::spawn(n, spec.clone(), self.tx.clone());
        self.specs.push(spec);
        self.tasks.push(task);
    }
}

impl SourceControl for Sources {
    fn restart(&mut self, n: u32) -> Result<String, String> {
        let i = n as usize;
        let spec = self.specs.get(i).cloned().ok_or("no such source")?;
        if !matches!(spec, SourceSpec::Container { .. }) {
            return Err(format!("'{}' is not a docker logs source", spec.label()));
        }
        if let Some(t) = self.tasks.get(i) {
            t.abort();
        }
        let tail = SourceSpec::Container {
            name: match &spec {
                SourceSpec::Container { name, .. } => name.clone(),
                _ => String::new(),
            },
            tail: Some(0),
        };
        self.tasks[i] = follow::spawn(n, tail, self.tx.clone());
        Ok(format!("restarted docker logs -f {}", spec.label()))
    }
}

impl Drop for Sources {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}
