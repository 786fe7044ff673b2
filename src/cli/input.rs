//! Reading the SOURCE arguments of the headless commands: files and `-` (stdin), streamed in
//! chunks through the line splitter, parsed and fed to a model. Memory stays bounded whatever
//! the size of the input.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::PathBuf;

use anyhow::Context;

use crate::model::Model;
use crate::model::mirror::MirrorConfig;
use crate::parse::parse_line;
use crate::source::Line;
use crate::source::lines::read_all;

/// Read buffer: large chunks, few syscalls.
const CHUNK: usize = 256 * 1024;

/// The sources named on the command line; none means stdin.
pub fn source_names(args: &[String]) -> Vec<String> {
    if args.is_empty() {
        vec!["-".to_owned()]
    } else {
        args.to_vec()
    }
}

/// Opens one source.
pub fn open(name: &str) -> anyhow::Result<Box<dyn BufRead>> {
    if name == "-" {
        return Ok(Box::new(BufReader::with_capacity(CHUNK, io::stdin())));
    }
    let file = File::open(name).with_context(|| format!("cannot open '{name}'"))?;
    Ok(Box::new(BufReader::with_capacity(CHUNK, file)))
}

/// Streams every source into `model`, calling `after` after each batch of lines (so `events`
/// can print what completed). Sources are read one after the other.
pub fn feed(
    names: &[String],
    model: &mut Model,
    mut after: impl FnMut(&mut Model) -> io::Result<()>,
) -> anyhow::Result<()> {
    for (i, name) in names.iter().enumerate() {
        let reader = open(name)?;
        let source = u32::try_from(i).unwrap_or(u32::MAX);
        let mut result = Ok(());
        read_all(source, reader, |batch: &[Line]| {
            if result.is_err() {
                return;
            }
            for line in batch {
                model.ingest(line.source, line.number, &parse_line(&line.text));
            }
            result = after(model);
        })
        .with_context(|| format!("cannot read '{name}'"))?;
        result?;
    }
    model.finish();
    after(model)?;
    Ok(())
}

/// Reads the mirror configuration: buildkitd.toml, or dockerd's daemon.json (a `.json` name or
/// a text starting with `{`). The error is one line: `FILE:LINE:COLUMN: what is wrong`.
pub fn mirror_config(path: Option<&PathBuf>) -> anyhow::Result<MirrorConfig> {
    let Some(path) = path else {
        return Ok(MirrorConfig::default());
    };
    let bytes =
        std::fs::read(path).with_context(|| format!("cannot read config '{}'", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = good.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        anyhow::anyhow!(
            "{}:{line}:{column}: not UTF-8 text (save the file as UTF-8)",
            path.display()
        )
    })?;
    let parsed =
        if path.extension().is_some_and(|e| e == "json") || text.trim_start().starts_with('{') {
            MirrorConfig::from_daemon_json(&text)
        } else {
            MirrorConfig::from_buildkitd_toml(&text)
        };
    // `--config` asks for verdicts against this file: a broken one stops the run (exit 2) rather
    // than judging without it (docs/reliability.md, "Bad configuration").
    parsed.map_err(|e| {
        anyhow::anyhow!(
            "{}:{e} (fix the file, or leave out --config)",
            path.display()
        )
    })
}
