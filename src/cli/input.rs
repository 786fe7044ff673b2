//! Reading the SOURCE arguments of the headless commands: files and `-` (stdin), streamed in
//! chunks of whole lines, parsed and fed to a model. Memory stays bounded whatever the size of
//! the input.
//!
//! Two threads: a reader reads, splits and takes a quick look at every line (most lines of a
//! daemon log are noise the model only counts) and cuts the registry lines into tokens; the
//! caller's thread builds the entries and runs the model, in line order. Checking the values
//! the model would scrub for secrets can be done on either: the reader does it while the model
//! thread is the slower one ([`Vouching`]; which one is slower differs between machines and
//! runs, docs/performance.md).

use std::fs::File;
use std::io::{self, Read};
use std::mem;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::mpsc;

use anyhow::Context;

use crate::model::mirror::MirrorConfig;
use crate::model::{FieldUse, Look, Model, UnreadFields};
use crate::parse::{Cut, CutLine, Record, TextMarks, drop_pairs, parse_line, record_from_cuts_in};
use crate::source::LineDamage;
use crate::source::lines::{ChunkReader, MAX_LINE, chunk_text_ascii, chunk_text_changed};
use crate::source::sniff;

/// Batches queued between the reader and the model: one being read, one queued and one being
/// ingested keep both threads busy.
const IN_FLIGHT: usize = 1;

/// The sources named on the command line; none means stdin.
pub fn source_names(args: &[String]) -> Vec<String> {
    if args.is_empty() {
        vec!["-".to_owned()]
    } else {
        args.to_vec()
    }
}

/// How a source is named in a report: `-` is `stdin` (a bare `-` before `line 4` reads as a
/// list's bullet).
pub fn label(name: &str) -> &str {
    if name == "-" { "stdin" } else { name }
}

/// Refuses `-` named twice: stdin is read once, so the second would read nothing and still be
/// listed as a source.
pub fn stdin_once(args: &[String]) -> anyhow::Result<()> {
    if args.iter().filter(|a| *a == "-").count() > 1 {
        anyhow::bail!("'-' (stdin) is named more than once: it can be read only once");
    }
    Ok(())
}

/// Refuses to wait on a terminal: `command` with no source reads stdin, and a person who typed
/// `bkscope summary` alone would look at a silent prompt. `-` reads the terminal if asked.
pub fn no_source_from_a_terminal(
    args: &[String],
    stdin_tty: bool,
    command: &str,
) -> anyhow::Result<()> {
    if args.is_empty() && stdin_tty {
        anyhow::bail!(
            "no log given, and stdin is a terminal: name a file (bkscope {command} build.log) \
or pipe one (docker logs buildx_buildkit_<builder>0 2>&1 | bkscope {command})"
        );
    }
    Ok(())
}

/// A source opened before any source is read, so a missing or refused file stops the command
/// before it prints anything (`events a.log missing.log` printed a.log's events first). A
/// compressed or UTF-16 source is refused (`source::sniff`).
enum Opened {
    /// A regular file, sniffed already.
    Ready(Box<dyn Read + Send>),
    /// Stdin or a pipe opened already (`<(…)`): sniffed when its turn comes, since looking at
    /// its first bytes waits for them, and a growing pipe named after a file must not hold that
    /// file's events back.
    Later(Box<dyn Read + Send>),
    /// A named FIFO that exists: opened when its turn comes. Opening one waits for its writer,
    /// and a script that writes its FIFOs one after the other would wait on bkscope reading
    /// the first.
    Fifo,
}

/// Opens `name` ([`Opened`]): the `cannot open` error now, the sniffing of a regular file too
/// (its refusal names `command`, the one run).
fn open_early(name: &str, command: &str) -> anyhow::Result<Opened> {
    if name == "-" {
        return Ok(Opened::Later(Box::new(io::stdin())));
    }
    let meta = std::fs::metadata(name).with_context(|| format!("cannot open '{name}'"))?;
    if is_fifo(&meta) {
        return Ok(Opened::Fifo);
    }
    // Opening a directory succeeds on Linux; reading it fails, but only at its turn, after
    // the files before it were printed.
    if meta.is_dir() {
        anyhow::bail!("'{name}' is a directory, not a log file");
    }
    let file = File::open(name).with_context(|| format!("cannot open '{name}'"))?;
    if file.metadata().is_ok_and(|m| m.is_file()) {
        Ok(Opened::Ready(sniffed(name, Box::new(file), command)?))
    } else {
        Ok(Opened::Later(Box::new(file)))
    }
}

/// True for a named pipe (on Unix; elsewhere there are none to wait on).
fn is_fifo(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        meta.file_type().is_fifo()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}

/// `reader` with its first bytes looked at (a compressed or UTF-16 source refused, with an
/// example that reads it through `command`).
fn sniffed(
    name: &str,
    mut reader: Box<dyn Read + Send>,
    command: &str,
) -> anyhow::Result<Box<dyn Read + Send>> {
    // The first bytes are looked at, then read again ahead of the rest.
    let mut head = Vec::with_capacity(sniff::HEAD);
    (&mut reader)
        .take(sniff::HEAD as u64)
        .read_to_end(&mut head)
        .with_context(|| format!("cannot read '{name}'"))?;
    if let Some(refusal) = sniff::refusal(name, &head, command) {
        anyhow::bail!(refusal);
    }
    Ok(Box::new(io::Cursor::new(head).chain(reader)))
}

/// Whole lines of one source, looked at by the reader thread.
struct Batch {
    source: u32,
    /// The lines' text (see [`chunk_text`](crate::source::lines::chunk_text)).
    text: String,
    /// Lines the model must ingest whole, in line order.
    full: Vec<FullLine>,
    /// The tokens of the full lines the reader could cut.
    cuts: Vec<Cut>,
    /// Values of the full lines the reader found free of secrets (`(offset, length)` in their
    /// line), so the model keeps them without checking again.
    clean: Vec<(u32, u32)>,
    /// Lines the model only counts, and how many of them are damaged.
    plain: u64,
    plain_damaged: u64,
    /// Lines the reading changed: invalid UTF-8 replaced, cut at the cap.
    damage: LineDamage,
}

/// The buffers of an ingested batch, back to the reader for the next one.
#[derive(Default)]
struct Spare {
    text: Vec<u8>,
    full: Vec<FullLine>,
    cuts: Vec<Cut>,
    clean: Vec<(u32, u32)>,
}

/// A line for the model: its number, its range in the batch text and, when the reader cut it
/// into tokens, their range in the batch's cuts and its clean values' range in the batch's
/// `clean`.
struct FullLine {
    number: u64,
    range: Range<usize>,
    cut: Option<(Range<usize>, CutLine)>,
    clean: Range<usize>,
}

/// How [`feed`] reads its sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    /// Up to this many bytes a read, lines handed on as soon as a read returns them (`events`,
    /// which prints events as a growing pipe completes them).
    AsTheyCome(usize),
    /// Reads filled to this many bytes or the end of the source (`summary`, which only needs
    /// the end result; see [`ChunkReader::fill_reads`]).
    Filled(usize),
}

/// How long [`feed`] waits for a batch before it calls `after` without one.
pub const IDLE_TICK: std::time::Duration = std::time::Duration::from_secs(1);

/// How `summary` reads: 128 KiB (half the default, so less memory is in flight), filled.
pub const SUMMARY_READS: Reads = Reads::Filled(128 * 1024);

/// Which thread checks for secrets the values the model would scrub: the one piece of work
/// either thread can do, so it goes to whichever has time (docs/performance.md, "Balancing by
/// the queue"). Outputs are the same whichever does it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vouching {
    /// The reader checks a batch's values when its last batch had to wait for room in the
    /// queue (the model thread is the slower one), the model otherwise.
    Balanced,
    /// Always the reader.
    Always,
    /// Always the model.
    Never,
}

/// Streams every source into `model`, calling `after` after each batch of lines (so `events`
/// can print what completed), and when no batch came for [`IDLE_TICK`] (a pipe gone quiet: a
/// caller holding output back can decide then). Sources are read one after the other, as
/// `reads` says. Returns how many lines the reading had to change (not UTF-8, cut at the cap).
/// `command` (`summary`, `events`) is named in the example of a refusal (a compressed file).
pub fn feed(
    (names, command): (&[String], &str),
    model: &mut Model,
    reads: Reads,
    after: impl FnMut(&mut Model) -> io::Result<()>,
) -> anyhow::Result<LineDamage> {
    feed_vouching((names, command), model, reads, Vouching::Balanced, after)
}

/// [`feed`], with the values checked for secrets where `vouching` says.
pub fn feed_vouching(
    (names, command): (&[String], &str),
    model: &mut Model,
    reads: Reads,
    vouching: Vouching,
    mut after: impl FnMut(&mut Model) -> io::Result<()>,
) -> anyhow::Result<LineDamage> {
    let mut damage = LineDamage::default();
    let (batches, inbox) = mpsc::sync_channel::<anyhow::Result<Batch>>(IN_FLIGHT);
    let (recycle, spare) = mpsc::channel::<Spare>();
    let unread = model.unread_fields();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            read_sources(
                (names, command),
                reads,
                (unread.as_ref(), vouching),
                &batches,
                &spare,
            );
        });
        // Owned here, so an early return (a closed output) drops it before the scope waits for
        // the reader: blocked on a full queue, its send then fails and it ends.
        let inbox = inbox;
        loop {
            let batch = match inbox.recv_timeout(IDLE_TICK) {
                Ok(batch) => batch?,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    after(model)?;
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            // One field list for the batch, taken back from each entry.
            let mut fields = Vec::new();
            for line in &batch.full {
                let text = batch.text.get(line.range.clone()).unwrap_or("");
                match &line.cut {
                    Some((cuts, cut)) => {
                        let cuts = batch.cuts.get(cuts.clone()).unwrap_or(&[]);
                        let record = record_from_cuts_in(text, cuts, *cut, mem::take(&mut fields));
                        let clean = batch.clean.get(line.clean.clone()).unwrap_or(&[]);
                        model.ingest_known_clean(batch.source, line.number, &record, text, clean);
                        if let Record::Entry(e) = record {
                            fields = e.fields;
                        }
                    }
                    None => model.ingest(batch.source, line.number, &parse_line(text)),
                }
            }
            model.count_plain_entries(batch.plain, batch.plain_damaged);
            damage.add(batch.damage);
            after(model)?;
            let _ = recycle.send(Spare {
                text: batch.text.into_bytes(),
                full: batch.full,
                cuts: batch.cuts,
                clean: batch.clean,
            });
        }
        // Dropping the receiver here (on an early return too) stops the reader at its next send.
        anyhow::Ok(())
    })?;
    model.finish();
    after(model)?;
    Ok(damage)
}

/// The reader thread: every source in turn, chunk by chunk, until the model side hangs up.
fn read_sources(
    (names, command): (&[String], &str),
    reads: Reads,
    (unread, vouching): (Option<&UnreadFields>, Vouching),
    out: &mpsc::SyncSender<anyhow::Result<Batch>>,
    spare: &mpsc::Receiver<Spare>,
) {
    // Every source is opened before any is read ([`Opened`]).
    let mut opened = Vec::with_capacity(names.len());
    for name in names {
        match open_early(name, command) {
            Ok(o) => opened.push(o),
            Err(e) => {
                let _ = out.send(Err(e));
                return;
            }
        }
    }
    for (i, (name, opened)) in names.iter().zip(opened).enumerate() {
        let source = u32::try_from(i).unwrap_or(u32::MAX);
        let opened = match opened {
            Opened::Ready(reader) => Ok(reader),
            Opened::Later(reader) => sniffed(name, reader, command),
            Opened::Fifo => File::open(name)
                .with_context(|| format!("cannot open '{name}'"))
                .and_then(|f| sniffed(name, Box::new(f), command)),
        };
        let reader = match opened {
            Ok(r) => r,
            Err(e) => {
                let _ = out.send(Err(e));
                return;
            }
        };
        let mut reader = match reads {
            Reads::AsTheyCome(size) => ChunkReader::new(reader).read_size(size),
            Reads::Filled(size) => ChunkReader::new(reader).read_size(size).fill_reads(),
        };
        let mut number = 1;
        // Whether this thread checks values for secrets (see `Vouching`); it starts helping.
        let mut vouch = vouching != Vouching::Never;
        let mut ranges = Vec::new();
        let mut marks = TextMarks::default();
        loop {
            let Spare {
                text: mut chunk,
                mut full,
                mut cuts,
                mut clean,
            } = spare.try_recv().unwrap_or_default();
            match reader.next_chunk(&mut chunk) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let _ = out.send(Err(
                        anyhow::Error::from(e).context(format!("cannot read '{name}'"))
                    ));
                    return;
                }
            }
            let mut damage = LineDamage::default();
            // One pass classifies the bytes for the tokenizer and says whether they are all
            // ASCII (the common case), which then need no UTF-8 validation: that second pass
            // was 3-4 % of this thread's instructions.
            let text = if marks.mark_bytes(&chunk) {
                // SAFETY: `mark_bytes` found every byte of `chunk` below 0x80.
                unsafe { chunk_text_ascii(chunk, MAX_LINE, &mut ranges, &mut damage) }
            } else {
                let (text, changed) = chunk_text_changed(chunk, MAX_LINE, &mut ranges, &mut damage);
                if changed {
                    // Lines were made valid UTF-8 and moved: the marks must be of the text.
                    marks.mark(&text);
                }
                text
            };
            damage.cut += reader.take_cut();
            full.clear();
            cuts.clear();
            clean.clear();
            let lines = Lines {
                text,
                ranges: &ranges,
                marks: &marks,
            };
            let unread_here = unread.map(|u| (u, vouch));
            let mut batch = look(source, &mut number, lines, (full, cuts, clean), unread_here);
            batch.damage = damage;
            // A batch that must wait for room says the model thread is the slower one: the
            // next batch's values are checked here, taking that work off it. A batch taken at
            // once says this thread is the slower one: the model checks them.
            match out.try_send(Ok(batch)) {
                Ok(()) => vouch = vouching == Vouching::Always,
                Err(mpsc::TrySendError::Full(batch)) => {
                    vouch = vouching != Vouching::Never;
                    if out.send(batch).is_err() {
                        return;
                    }
                }
                Err(mpsc::TrySendError::Disconnected(_)) => return,
            }
        }
    }
}

/// A chunk's lines: the text, each line's range in it, and the text's marks.
struct Lines<'a> {
    text: String,
    ranges: &'a [Range<usize>],
    marks: &'a TextMarks,
}

/// Sorts the lines of a chunk: registry lines (and anything unusual) go to the model whole,
/// cut into tokens without the fields it never reads (`unread`), with the values it would
/// scrub checked for secrets here when `unread`'s flag says so; the rest are only counted.
fn look(
    source: u32,
    number: &mut u64,
    Lines {
        text,
        ranges,
        marks,
    }: Lines<'_>,
    (full, cuts, clean): (Vec<FullLine>, Vec<Cut>, Vec<(u32, u32)>),
    unread: Option<(&UnreadFields, bool)>,
) -> Batch {
    let mut batch = Batch {
        source,
        full,
        cuts,
        clean,
        plain: 0,
        plain_damaged: 0,
        damage: LineDamage::default(),
        text: String::new(),
    };
    for r in ranges {
        let line = text.get(r.clone()).unwrap_or("");
        let marking = marks.at(r.start);
        let first = batch.cuts.len();
        let look = Model::look_marked(line, marking, &mut batch.cuts);
        if let Look::Plain(g) = look {
            batch.plain += 1;
            batch.plain_damaged += u64::from(g.damaged);
        } else {
            let first_clean = batch.clean.len();
            let cut = match look {
                Look::Cut(c) => {
                    if let Some((unread, vouching)) = unread {
                        let clean = &mut batch.clean;
                        drop_pairs(line, &mut batch.cuts, first, |key, cut| {
                            let (used, note) = unread.field_use(key);
                            match used {
                                FieldUse::Unread => return true,
                                FieldUse::Scrubbed if vouching => vouch(line, cut, unread, clean),
                                FieldUse::Scrubbed => {}
                                FieldUse::Read => {}
                            }
                            cut.set_note(note);
                            false
                        });
                    }
                    Some((first..batch.cuts.len(), c))
                }
                Look::Plain(_) | Look::Whole => None,
            };
            batch.full.push(FullLine {
                number: *number,
                range: r.clone(),
                cut,
                clean: first_clean..batch.clean.len(),
            });
        }
        *number += 1;
    }
    batch.text = text;
    batch
}

/// Notes the value of `cut`, a field the model would scrub, when it holds no secret: this
/// thread has time to spare, the model thread has not (docs/performance.md, "Checking values
/// on the reader").
fn vouch(line: &str, cut: &Cut, unread: &UnreadFields, clean: &mut Vec<(u32, u32)>) {
    if let Some((_, value, at)) = cut.plain_pair(line)
        && unread.is_clean(value)
        && let Ok(len) = u32::try_from(value.len())
    {
        clean.push((at, len));
    }
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

#[cfg(test)]
mod tests {

    use super::*;
    use crate::model::{ModelOptions, Summary};
    use crate::source::lines::READ_SIZE;

    fn summary_json(m: &Model) -> String {
        serde_json::to_string_pretty(&Summary::from_model(m)).unwrap()
    }

    /// `summary`'s reading of one file into `m`, the values checked where `vouching` says.
    fn feed_summary(name: &str, m: &mut Model, vouching: Vouching) {
        let names = [name.to_owned()];
        feed_vouching((&names, "summary"), m, SUMMARY_READS, vouching, |_| Ok(())).unwrap();
    }

    /// The fast path (reader thread, quick look, cuts, lean model) and plain `parse_line` +
    /// `Model::ingest` of every line must give the same summary and the same events. Fails
    /// when `Model::ingest` learns a message the quick look does not route (see `model::route`).
    #[test]
    fn fast_path_equals_line_by_line_ingest() {
        let mut files = crate::test_support::fixture_logs();
        assert!(files.len() > 10);
        // The hand-written logs of message forms no capture here shows (BuildKit ≥ v0.16 without
        // urls, containerd 2.4's transport retries), kept out of the `*.log` sweeps.
        let hand =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hand-written");
        for name in [
            "buildkit-v0.26-mirror-miss.txt",
            "containerd-2.4-transport-retry.txt",
        ] {
            files.push(hand.join(name));
        }
        let mixed = std::env::temp_dir().join(format!("bkscope-mixed-{}.log", std::process::id()));
        let mut text = String::new();
        for f in &files {
            text.push_str(&std::fs::read_to_string(f).unwrap());
        }
        std::fs::write(&mixed, &text).unwrap();
        files.push(mixed.clone());
        for f in &files {
            let name = f.to_string_lossy().into_owned();
            let mut plain = Model::new(ModelOptions {
                keep_events: false,
                ..ModelOptions::default()
            });
            plain.ingest_text(0, &std::fs::read_to_string(f).unwrap());
            plain.finish();
            // Whichever thread checks the values for secrets.
            for vouching in [Vouching::Balanced, Vouching::Always, Vouching::Never] {
                let mut fast = Model::new(ModelOptions {
                    keep_events: false,
                    ..ModelOptions::default()
                });
                fast.forget_completed_details();
                feed_summary(&name, &mut fast, vouching);
                assert_eq!(
                    summary_json(&fast),
                    summary_json(&plain),
                    "{name} {vouching:?}"
                );
            }
            // Every event, every line it was built from (what `events` prints).
            let mut fast = Model::new(ModelOptions::default());
            feed(
                (std::slice::from_ref(&name), "events"),
                &mut fast,
                Reads::AsTheyCome(READ_SIZE),
                |_| Ok(()),
            )
            .unwrap();
            let mut plain = Model::new(ModelOptions::default());
            plain.ingest_text(0, &std::fs::read_to_string(f).unwrap());
            plain.finish();
            let events =
                |m: &Model| serde_json::to_string(&m.events().collect::<Vec<_>>()).unwrap();
            assert_eq!(events(&fast), events(&plain), "{name}");
        }
        let _ = std::fs::remove_file(mixed);
    }

    /// The reader vouches only for clean values: a url or kept header value with a secret is
    /// still scrubbed on the model thread, one without is kept as it is; and the model scrubs
    /// them alike when the reader does not check them.
    #[test]
    fn values_the_reader_vouches_for_are_clean_and_secrets_still_go() {
        for vouching in [Vouching::Always, Vouching::Never, Vouching::Balanced] {
            vouched_values_are_clean_and_secrets_still_go(vouching);
        }
    }

    fn vouched_values_are_clean_and_secrets_still_go(vouching: Vouching) {
        let log = [
            r#"time="2024-01-01T00:00:00Z" level=debug msg="do request" request.header.accept="Bearer sekrit-accept" request.header.user-agent=containerd/1.7 request.method=GET url="https://bob:hunter2@reg.example/v2/a/manifests/latest""#,
            r#"time="2024-01-01T00:00:01Z" level=debug msg="fetch response received" response.status="404 Not Found" url="https://bob:hunter2@reg.example/v2/a/manifests/latest""#,
            r#"time="2024-01-01T00:00:02Z" level=debug msg="do request" request.header.user-agent=containerd/1.7 request.method=GET url="https://reg.example/v2/b/manifests/latest""#,
            r#"time="2024-01-01T00:00:03Z" level=debug msg="fetch response received" response.status="404 Not Found" url="https://reg.example/v2/b/manifests/latest""#,
        ]
        .join("\n");
        let path = std::env::temp_dir().join(format!("bkscope-vouch-{}.log", std::process::id()));
        std::fs::write(&path, log).unwrap();
        let mut m = Model::new(ModelOptions {
            keep_events: false,
            ..ModelOptions::default()
        });
        m.forget_completed_details();
        let unread = m.unread_fields().unwrap();
        let scrubs = |key| unread.field_use(key).0 == FieldUse::Scrubbed;
        assert!(scrubs("url") && scrubs("request.header.user-agent"));
        assert!(!scrubs("request.header.x-unread") && !scrubs("msg"));
        assert_eq!(
            unread.field_use("request.header.x-unread").0,
            FieldUse::Unread
        );
        feed_summary(&path.to_string_lossy(), &mut m, vouching);
        let json = summary_json(&m);
        assert!(
            !json.contains("hunter2") && !json.contains("sekrit"),
            "{json}"
        );
        assert!(
            json.contains("https://REDACTED@reg.example/v2/a/manifests/latest"),
            "{json}"
        );
        assert!(
            json.contains("GET https://reg.example/v2/b/manifests/latest"),
            "{json}"
        );
        let _ = std::fs::remove_file(path);
    }
}
