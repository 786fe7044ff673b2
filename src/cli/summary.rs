//! `bkscope summary`: source → parse → model → kb, then the report or the JSON contract, and the
//! exit code `--fail-on` asks for. Never touches terminal modes.

use std::io::{BufWriter, Write};

use crate::kb::{self, KnowledgeBase};
use crate::model::mirror::{MirrorVerdict, Verdict};
use crate::model::sanitize::inert;
use crate::model::{Model, ModelOptions, Summary, redact};

use clap::ValueEnum;

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
    input::stdin_once(&args.sources)?;
    input::no_source_from_a_terminal(&args.sources, env.stdin_tty, "summary")?;
    let names = input::source_names(&args.sources);
    // The knowledge base (YAML and regexes, some 10 ms) loads while the log is read: it is
    // needed only for the verdicts at the end. The redaction word searchers are built there too.
    let (fed, (knowledge, problems)) = std::thread::scope(|scope| {
        let kb = scope.spawn(|| {
            redact::warm_up();
            KnowledgeBase::load(env.config_dir.as_deref())
        });
        let fed = input::feed(
            (&names, "summary"),
            &mut model,
            input::SUMMARY_READS,
            |_| Ok(()),
        );
        let kb = kb
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (fed, kb)
    });
    super::report_kb_problems(&problems);
    let damage = fed?;
    let mut summary = Summary::from_model(&model);
    summary.not_utf8 = damage.lossy;
    crate::model::summary::with_not_text(&mut summary.hints, summary.lines, damage.lossy);
    summary.cut = damage.cut;
    summary.sources = names;
    if args.config.is_some() {
        summary.config_was_given(!model.options().mirrors.mirrors.is_empty());
    }
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
    let held = held(&summary, &args.fail_on);
    // The report may have gone to a file or a step summary: the CI log says why it failed.
    for why in &held {
        eprintln!("bkscope: --fail-on {why}");
    }
    Ok(if held.is_empty() {
        Exit::Success
    } else {
        Exit::ConditionMet
    })
}

/// The `--fail-on` conditions that hold, each as `<name> held: <what>`.
pub fn held(s: &Summary, conditions: &[FailOn]) -> Vec<String> {
    let n = |k: u64, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
    let not_used = |pick: fn(&MirrorVerdict) -> bool| -> Vec<String> {
        s.mirrors
            .iter()
            .filter(|m| pick(m))
            .map(|m| {
                format!(
                    "{} → {} {}",
                    inert(&m.upstream),
                    inert(&m.mirror),
                    m.verdict.as_str()
                )
            })
            .collect()
    };
    let mut out = Vec::new();
    for c in conditions {
        let what = match c {
            // Counted past the findings listed (the cap on findings, `findings_omitted`).
            FailOn::Auth => (s.auth_failures_found > 0)
                .then(|| n(s.auth_failures_found, "auth failure", "auth failures")),
            FailOn::Errors => {
                (s.errors_found > 0).then(|| n(s.errors_found, "fetch error", "fetch errors"))
            }
            FailOn::UnrecoveredErrors => {
                // An error past the cap on findings is not known recovered: it holds too.
                let unlisted = s.errors_found.saturating_sub(s.errors.len() as u64);
                let k = s.errors.iter().filter(|e| e.recovered_by.is_none()).count() as u64;
                (k + unlisted > 0).then(|| {
                    let mut said = n(
                        k,
                        "fetch error no fallback or retry got past",
                        "fetch errors no fallback or retry got past",
                    );
                    if unlisted > 0 {
                        said += &format!(" and {unlisted} not listed, not known recovered");
                    }
                    said
                })
            }
            FailOn::MirrorUnused => {
                let m = not_used(|m| matches!(m.verdict, Verdict::Unused | Verdict::Partial));
                (!m.is_empty()).then(|| m.join(", "))
            }
            // Proof, not the absence of a bypass: a log without the pulls (debug logging off, a
            // build served from cache) proves nothing.
            FailOn::MirrorUnproven if s.mirrors.is_empty() => {
                Some("no mirror configured or seen".to_owned())
            }
            // Nothing to judge is no pass: a CI job reading the wrong container's log. The test
            // is the Markdown headline's and the debug-off hint's: a response with its request
            // line lost (a pasted excerpt, a wrapped line) still shows a registry exchange.
            FailOn::NoRequests => (s.requests == 0 && s.responses == 0).then(|| {
                format!(
                    "no registry request or response in {}",
                    n(s.lines, "line", "lines")
                )
            }),
            // A backup mirror an earlier configured one made unnecessary is no failure to prove.
            FailOn::MirrorUnproven => {
                let m = not_used(|m| m.verdict != Verdict::Used && !m.not_needed);
                (!m.is_empty()).then(|| m.join(", "))
            }
        };
        if let Some(what) = what {
            let name = c
                .to_possible_value()
                .map(|v| v.get_name().to_owned())
                .unwrap_or_default();
            out.push(format!("{name} held: {what}"));
        }
    }
    out
}
