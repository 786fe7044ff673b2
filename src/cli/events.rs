//! `bkscope events --json`: fetch events as NDJSON, one per line, printed as they complete, so
//! it works on a pipe that is still growing.

use std::io::{BufWriter, Write};

use serde::Serialize;

use crate::model::fetch::FetchEvent;
use crate::model::{Model, ModelOptions};
use crate::source::lines::READ_SIZE;

use super::exit::{Exit, closed_pipe_is_success};
use super::inert_json::InertJson;
use super::input;
use super::{EventsArgs, GlobalArgs};

/// An event with the `route` extension (`--config`): which upstream the pull was for and the
/// mirror it went to, `null` where the log cannot tell or no verdict counts the request.
#[derive(Serialize)]
struct WithRoute<'a> {
    #[serde(flatten)]
    ev: &'a FetchEvent,
    route: Option<Route<'a>>,
}

/// `{"upstream": "docker.io", "mirror": "mirror.gcr.io"}`; `mirror` is `null` for a request to
/// the upstream itself.
#[derive(Serialize)]
struct Route<'a> {
    upstream: &'a str,
    mirror: Option<&'a str>,
}

/// Runs the command.
pub fn run(
    args: &EventsArgs,
    global: &GlobalArgs,
    stdin_tty: bool,
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
    input::no_source_from_a_terminal(&args.sources, stdin_tty, "events")?;
    let names = input::source_names(&args.sources);
    // Flushed after every batch of lines, so a growing pipe still shows events as they come.
    // Made inert after the buffer: serde writes a field in many small pieces, each one a call
    // through the escaping writer before the buffer (it doubled this command's instructions).
    let mut out = BufWriter::with_capacity(64 * 1024, InertJson::new(out));
    let result = input::feed(
        &names,
        &mut model,
        input::Reads::AsTheyCome(READ_SIZE),
        |m| {
            for id in m.take_completed() {
                let Some(ev) = m.event(id) else { continue };
                if routes {
                    let route = m
                        .mirror_route(ev)
                        .map(|(upstream, mirror)| Route { upstream, mirror });
                    serde_json::to_writer(&mut out, &WithRoute { ev, route })?;
                } else {
                    serde_json::to_writer(&mut out, ev)?;
                }
                out.write_all(b"\n")?;
            }
            out.flush()
        },
    );
    closed_pipe_is_success(result.map(|_| Exit::Success))
}
