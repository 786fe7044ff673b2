//! `bkscope events --json`: fetch events as NDJSON, one per line, printed as they complete, so
//! it works on a pipe that is still growing. Each event says whether it failed as `summary`
//! counts failures (`failed`) and carries the findings the model made of it (`findings`: kind,
//! classification, `recovered_by`, knowledge-base ids), as far as the lines read so far show.
//! A 401 challenge is the one event held back until its outcome is known (`Held`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{BufWriter, Write};

use serde::Serialize;

use crate::kb::{Facts, KnowledgeBase, MatchMemo};
use crate::model::fetch::FetchEvent;
use crate::model::finding::Finding;
use crate::model::intern::Shared;
use crate::model::sanitize::inert;
use crate::model::summary::{input_hints, with_not_text};
use crate::model::url::{canonical_registry, mirror_key, registry_key};
use crate::model::{Model, ModelOptions};
use crate::source::lines::READ_SIZE;

use super::exit::{Exit, closed_pipe_is_success};
use super::inert_json::InertJson;
use super::input;
use super::{Env, EventsArgs, GlobalArgs};

/// One line of output: the event as before (no key renamed or removed), `route` with
/// `--config`, then the failure classification.
#[derive(Serialize)]
struct EventLine<'a> {
    #[serde(flatten)]
    ev: &'a FetchEvent,
    /// `--config` only: `null` where the log cannot tell.
    #[serde(skip_serializing_if = "Option::is_none")]
    route: Option<Option<Route<'a>>>,
    /// Extension: `started` and `finished` as RFC 3339 text (a review: their integer
    /// nanoseconds pass 2^53, which jq's doubles round; `todate` wants seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    finished_at: Option<String>,
    /// A failure as `summary` counts one: [`FetchEvent::failed`] (so not a `Bearer`/`Basic`
    /// 401 challenge, the first step of an authenticated pull) or a finding of it.
    failed: bool,
    /// The findings the model made of this event, in the order found; `[]` for none.
    findings: Vec<FindingOut<'a>>,
    /// Extension: findings made of it past `MAX_FINDINGS`, counted but not kept (so not in
    /// `findings`): the first one's category and kind, and how many.
    #[serde(skip_serializing_if = "Option::is_none")]
    findings_omitted: Option<Omitted>,
}

/// `{"category": "error", "kind": "not-found", "count": 1}`: what the model found of an event
/// past `MAX_FINDINGS` and did not keep, in the words of [`FindingOut`].
#[derive(Serialize)]
struct Omitted {
    category: &'static str,
    kind: &'static str,
    count: u8,
}

/// `{"upstream": "docker.io", "mirror": "mirror.gcr.io"}`; `mirror` is `null` for a request to
/// the upstream itself.
#[derive(Serialize)]
struct Route<'a> {
    /// Lowercased as `summary`'s verdicts name it, so the two join on it.
    upstream: Cow<'a, str>,
    mirror: Option<Cow<'a, str>>,
}

/// A finding of an event, in the words of `summary --json`: `category` says which list it is
/// in there (`auth`: `auth_failures`, `error`: `errors`), `kind` is that list's `kind`.
#[derive(Serialize)]
struct FindingOut<'a> {
    category: &'static str,
    kind: &'static str,
    /// The line (in the event's source) the finding was made on.
    line: u64,
    status: Option<u16>,
    /// The token endpoint of an auth failure, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    realm: Option<&'a str>,
    /// The error text, redacted as the event is.
    text: &'a str,
    /// The host that served the same object next (a fallback or a retry got past it), when
    /// that answer was read before the event was printed.
    recovered_by: Option<&'a str>,
    /// Knowledge-base entries that diagnose it, best first (`summary --json`'s `kb`).
    kb: Vec<String>,
}

/// Findings looked at again below the count kept after the last batch: a refusal finding an
/// explaining line replaces is taken from among the last few kept (`model::text_findings`),
/// which moves the newer ones down by one each time.
const LOOK_BACK: usize = 64;

/// Lines read after a held 401 challenge (see [`Held`]) before it is printed as failed when
/// nothing overcame it: containerd's retry with a token or credentials comes within a few lines,
/// so a long input does not wait for its end to hear of a pull that failed.
const HOLD_LINES: u64 = 2_000;

/// How long a held challenge waits for its retry on a live pipe: a daemon goes quiet after a
/// build failed, so neither [`HOLD_LINES`] more lines nor the end may come (`docker logs -f`).
/// A file is read far faster than this, so there the lines decide.
const HOLD_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// A 401 challenge (`Bearer`/`Basic`, the first step of an authenticated pull) held back until
/// its outcome is known: printed `failed: false` once a retry on its host got past it, else
/// `failed: true` with the auth finding `summary` lists once a new pull of its path began
/// (`Model::settled_challenge_events`), at the end of the input, [`HOLD_LINES`] lines later or
/// [`HOLD_WAIT`] later, whichever comes first. Before, it was printed as it came, `failed:
/// false`, and a pull that failed for want of credentials (`basic_auth_401`) had no failed
/// event at all.
struct Held {
    id: usize,
    ev: FetchEvent,
    /// `--config` only: the upstream and mirror, as [`Route`].
    route: Option<Option<(String, Option<String>)>>,
    /// The model's line count when it was held.
    at_line: u64,
    /// When it was held.
    since: std::time::Instant,
}

/// Runs the command.
pub fn run(
    args: &EventsArgs,
    global: &GlobalArgs,
    env: &Env,
    out: &mut impl Write,
) -> anyhow::Result<Exit> {
    let routes = args.config.is_some();
    let mirrors = input::mirror_config(args.config.as_ref())?;
    let mut model = Model::new(ModelOptions {
        redact: !global.no_redact,
        keep_events: false,
        mirrors,
        ..ModelOptions::default()
    });
    input::stdin_once(&args.sources)?;
    input::no_source_from_a_terminal(&args.sources, env.stdin_tty, "events")?;
    let names = input::source_names(&args.sources);
    // The same knowledge base `summary` diagnoses with (the user's kb/ too).
    let (knowledge, problems) = KnowledgeBase::load(env.config_dir.as_deref());
    super::report_kb_problems(&problems);
    let mut memo = MatchMemo::default();
    // Findings kept after the last batch: the newer ones are this batch's.
    let mut seen = 0usize;
    let mut held: Vec<Held> = Vec::new();
    // Flushed after every batch of lines, so a growing pipe still shows events as they come.
    // Made inert after the buffer: serde writes a field in many small pieces, each one a call
    // through the escaping writer before the buffer (it doubled this command's instructions).
    let mut out = BufWriter::with_capacity(64 * 1024, InertJson::new(out));
    let mut printer = Printer {
        knowledge: &knowledge,
        memo: &mut memo,
    };
    let result = input::feed(
        (&names, "events"),
        &mut model,
        input::Reads::AsTheyCome(READ_SIZE),
        |m| {
            let completed = m.take_completed();
            let kept = m.kept_findings();
            let mut of_event: HashMap<usize, Vec<&Finding>> = HashMap::new();
            for f in kept.get(seen.saturating_sub(LOOK_BACK)..).unwrap_or(&[]) {
                // Those of events printed before are left out below (none is completed twice).
                if let Some(id) = f.event {
                    of_event.entry(id).or_default().push(f);
                }
            }
            seen = kept.len();
            // A 401 challenge containerd did not get past (it tried the next host) failed by now:
            // its auth finding is the model's open 401 (the one `summary` lists), unless a later
            // success on its host overcomes it.
            let failed_401 = |id: usize| {
                m.event(id)
                    .is_some_and(|ev| ev.failed() && ev.status == Some(401))
            };
            let challenge = |id: usize| m.event(id).is_some_and(FetchEvent::is_challenge);
            let open: Vec<Finding> = if !held.is_empty()
                || completed
                    .iter()
                    .any(|&id| !of_event.contains_key(&id) && (failed_401(id) || challenge(id)))
            {
                m.open_401_findings().collect()
            } else {
                Vec::new()
            };
            let still_open = |id: usize| open.iter().any(|f| f.event == Some(id));
            // A new pull of the path began since: nothing can overcome these any more.
            let settled: Vec<usize> = if open.is_empty() {
                Vec::new()
            } else {
                m.settled_challenge_events().collect()
            };
            for f in &open {
                if let Some(id) = f.event.filter(|&id| failed_401(id))
                    && !of_event.contains_key(&id)
                {
                    of_event.insert(id, vec![f]);
                }
            }
            // Model-wide facts (a configured mirror never tried) only where a finding needs them.
            let facts = if of_event.is_empty() && open.is_empty() {
                Facts::default()
            } else {
                Facts::from_model(m)
            };
            let lines = m.counts().lines;
            // Held challenges a retry got past, or a new pull of their path settled, or nothing
            // did for HOLD_LINES lines or HOLD_WAIT (`after` also runs when the input is quiet:
            // `input::IDLE_TICK`); first, as they completed before this batch's events.
            let mut i = 0;
            while i < held.len() {
                let h = &held[i];
                let overcome = !still_open(h.id);
                if overcome
                    || settled.contains(&h.id)
                    || lines.saturating_sub(h.at_line) >= HOLD_LINES
                    || h.since.elapsed() >= HOLD_WAIT
                {
                    let h = held.remove(i);
                    let own: Vec<&Finding> = open
                        .iter()
                        .filter(|f| !overcome && f.event == Some(h.id))
                        .collect();
                    printer.write(&mut out, &h.ev, h.held_route(), &own, &facts)?;
                } else {
                    i += 1;
                }
            }
            for id in completed {
                let Some(ev) = m.event(id) else { continue };
                let route = routes.then(|| m.mirror_route(ev));
                if ev.is_challenge() && still_open(id) && settled.contains(&id) {
                    // Its pull was over within this batch: failed, printed in its place.
                    let own: Vec<&Finding> = open.iter().filter(|f| f.event == Some(id)).collect();
                    printer.write(&mut out, ev, route, &own, &facts)?;
                    continue;
                }
                if ev.is_challenge() && still_open(id) {
                    held.push(Held {
                        id,
                        ev: ev.clone(),
                        route: route.map(|r| r.map(|(u, m)| (u.to_owned(), m.map(str::to_owned)))),
                        at_line: lines,
                        since: std::time::Instant::now(),
                    });
                    continue;
                }
                let findings = of_event.get(&id).map(Vec::as_slice).unwrap_or(&[]);
                printer.write(&mut out, ev, route, findings, &facts)?;
            }
            out.flush()
        },
    );
    // The end of the input: what nothing overcame is a failure, as `summary` counts it.
    let lossy = result.as_ref().map_or(0, |d| d.lossy);
    let rest = result.and_then(|_| {
        if held.is_empty() {
            return Ok(());
        }
        let open: Vec<Finding> = model.open_401_findings().collect();
        let facts = Facts::from_model(&model);
        for h in &held {
            let own: Vec<&Finding> = open.iter().filter(|f| f.event == Some(h.id)).collect();
            printer.write(&mut out, &h.ev, h.held_route(), &own, &facts)?;
        }
        out.flush().map_err(anyhow::Error::from)
    });
    // An input with nothing to print says why on stderr (stdout stays NDJSON): empty, the
    // wrong builder's log, debug logging off, the docker CLI's error (a review: `events` was
    // silent there, and a pipeline could not tell such a log from a clean build).
    if rest.is_ok() {
        let mut hints = input_hints(&model);
        with_not_text(&mut hints, model.counts().lines, lossy);
        for h in hints {
            eprintln!("bkscope events: [{}] {}", h.kind, inert(&h.text));
        }
    }
    closed_pipe_is_success(rest.map(|()| Exit::Success))
}

impl Held {
    fn held_route(&self) -> Option<Option<(&str, Option<&str>)>> {
        self.route
            .as_ref()
            .map(|r| r.as_ref().map(|(u, m)| (u.as_str(), m.as_deref())))
    }
}

/// Writes event lines: the knowledge base and its memo, shared by every line.
struct Printer<'k, 'm> {
    knowledge: &'k KnowledgeBase,
    memo: &'m mut MatchMemo,
}

impl Printer<'_, '_> {
    /// One NDJSON line: `ev`, its route (`--config`), `failed` and `findings`.
    fn write(
        &mut self,
        out: &mut impl Write,
        ev: &FetchEvent,
        route: Option<Option<(&str, Option<&str>)>>,
        findings: &[&Finding],
        facts: &Facts,
    ) -> std::io::Result<()> {
        let findings: Vec<FindingOut<'_>> = findings
            .iter()
            .map(|f| FindingOut {
                category: if f.kind.is_auth() { "auth" } else { "error" },
                kind: f.kind.name(),
                line: f.line,
                status: f.status,
                realm: f.realm.as_deref(),
                text: &f.text,
                recovered_by: f.recovered_by.as_deref(),
                kb: self
                    .knowledge
                    .diagnose_ids_with(f, Some(ev), facts, self.memo),
            })
            .collect();
        // `registry` is the registry asked for; where the lines name none (a direct request
        // with neither `ns=` nor a span's image ref) it is the upstream `--config` routes it to
        // (a url-less request answered by a configured mirror), else the one the host is,
        // Docker Hub's hosts all `docker.io`: as the explorer's `registry=` filter and the
        // verdicts count it.
        let upstream = route.flatten().map(|(u, _)| u);
        let filled;
        let ev = match (&ev.registry, upstream.or(ev.host.as_deref())) {
            (None, Some(registry)) => {
                filled = FetchEvent {
                    registry: Some(Shared::from(canonical_registry(registry))),
                    ..ev.clone()
                };
                &filled
            }
            _ => ev,
        };
        let findings_omitted = ev.omitted.map(|(kind, count)| Omitted {
            category: if kind.is_auth() { "auth" } else { "error" },
            kind: kind.name(),
            count,
        });
        let line = EventLine {
            ev,
            started_at: ev.started.map(|t| t.rfc3339_nanos()),
            finished_at: ev.finished.map(|t| t.rfc3339_nanos()),
            route: route.map(|r| {
                r.map(|(upstream, mirror)| Route {
                    upstream: registry_key(upstream),
                    mirror: mirror.map(mirror_key),
                })
            }),
            failed: ev.failed() || !findings.is_empty() || findings_omitted.is_some(),
            findings,
            findings_omitted,
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")
    }
}
