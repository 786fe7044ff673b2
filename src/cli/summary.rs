//! `bkscope summary`: source → parse → model → kb, then the report or the JSON contract, and the
//! exit code `--fail-on` asks for. Never touches terminal modes.

use std::io::{BufWriter, Write};

use crate::kb::{self, KnowledgeBase};
use crate::model::mirror::Verdict;
use crate::model::{Model, ModelOptions, Summary, redact};

use super::exit::Exit;
use super::exit::is_broken_pipe;
use super::inert_json::InertJson;
use super::{Env, FailOn, GlobalArgs, SummaryArgs, input, markdown, report};

/// Runs the command.
pub fn run(
    args: &SummaryArgs,
    global: &GlobalArgs,
    env: &Env,
    out: &mut impl Write,
) -> anyhow::Result<Exit> {
    super::arena::single();
    let mirrors = input::mirror_config(args.config.as_ref())?;
    let mut model = Model::new(ModelOptions {
        redact: !global.no_redact,
        keep_events: false,
        mirrors,
        max_events: None,
    });
    model.forget_completed_details();
    input::no_source_from_a_terminal(&args.sources, env.stdin_tty, "summary")?;
    let names = input::source_names(&args.sources);
    // The knowledge base (YAML and regexes, some 10 ms) loads while the log is read: it is
    // needed only for the verdicts at the end. The redaction word searchers are built there too.
    let (fed, (knowledge, problems)) = std::thread::scope(|scope| {
        let kb = scope.spawn(|| {
            redact::warm_up();
            KnowledgeBase::load(env.config_dir.as_deref())
        });
        let fed = input::feed(&names, &mut model, input::SUMMARY_READS, |_| Ok(()));
        let kb = kb
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (fed, kb)
    });
    super::report_problems(&problems);
    let damage = fed?;
    let mut summary = Summary::from_model(&model);
    summary.not_utf8 = damage.lossy;
    summary.cut = damage.cut;
    summary.sources = names;
    kb::annotate_summary(&knowledge, &model, &mut summary);
    // One write per 64 KiB, not one per line of pretty JSON.
    let mut out = BufWriter::with_capacity(64 * 1024, out);
    let written = if args.json {
        serde_json::to_writer_pretty(InertJson::new(&mut out), &summary)
            .map_err(anyhow::Error::from)
            .and_then(|()| writeln!(out).map_err(anyhow::Error::from))
    } else if args.markdown {
        markdown::write(&summary, &knowledge, &mut out).map_err(anyhow::Error::from)
    } else {
        report::write(&summary, &knowledge, env.color(global.color), &mut out)
            .map_err(anyhow::Error::from)
    }
    .and_then(|()| out.flush().map_err(anyhow::Error::from));
    match written {
        Err(e) if !is_broken_pipe(&e) => return Err(e),
        _ => {}
    }
    Ok(if fails(&summary, &args.fail_on) {
        Exit::ConditionMet
    } else {
        Exit::Success
    })
}

/// True when one of the `--fail-on` conditions holds.
pub fn fails(s: &Summary, conditions: &[FailOn]) -> bool {
    conditions.iter().any(|c| match c {
        FailOn::Auth => !s.auth_failures.is_empty(),
        FailOn::Errors => !s.errors.is_empty(),
        FailOn::UnrecoveredErrors => s.errors.iter().any(|e| e.recovered_by.is_none()),
        FailOn::MirrorUnused => s
            .mirrors
            .iter()
            .any(|m| matches!(m.verdict, Verdict::Unused | Verdict::Partial)),
        // Proof, not the absence of a bypass: a log without the pulls (debug logging off, a
        // build served from cache) proves nothing.
        FailOn::MirrorUnproven => {
            s.mirrors.is_empty() || s.mirrors.iter().any(|m| m.verdict != Verdict::Used)
        }
    })
}
