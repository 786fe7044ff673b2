//! The floor the performance issue measures against: a throwaway logfmt tokenizer that reads
//! every `key=value` pair of a log (quoted values with their escapes), pairs each `fetch
//! response received` with the `do request` of the same url and counts distinct trace ids, on
//! one thread. No redaction, no entries, no events, no verdicts: what any reader of the log
//! must at least do. `benches/compare.sh` times it beside `bkscope summary --json` so the
//! distance to the bound is measured on the same file in the same run (docs/performance.md).
//!
//!     cargo run --release --example floor -- FILE
//!     cargo run --release --example floor -- --halves FILE
//!
//! `--halves` is the two-core figure ("~4.5 GB/s on two"): the file is split at the
//! line boundary nearest its middle and each half read on its own thread; a response in the
//! second half whose request is in the first is paired when the halves are joined.
//!
//! Prints lines, pairs, requests, responses, paired responses and distinct trace ids (the same
//! numbers either way).

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::hash::BuildHasher;
use std::io::{Read, Seek, SeekFrom};

/// Bytes per read.
const READ: usize = 1 << 20;

#[derive(Default, Debug)]
struct Counts {
    lines: u64,
    pairs: u64,
    requests: u64,
    responses: u64,
    paired: u64,
}

struct Floor {
    counts: Counts,
    hasher: foldhash::fast::RandomState,
    /// Open requests by the hash of their url, with how many are open.
    open: HashMap<u64, u32>,
    traces: HashSet<u64>,
    /// Responses whose request was not seen (in the second half: it may be in the first).
    unpaired: Vec<u64>,
}

impl Floor {
    fn new(hasher: foldhash::fast::RandomState) -> Floor {
        Floor {
            counts: Counts::default(),
            hasher,
            open: HashMap::new(),
            traces: HashSet::new(),
            unpaired: Vec::new(),
        }
    }

    /// Every pair of one line (without its `\n`).
    fn line(&mut self, b: &[u8]) {
        self.counts.lines += 1;
        let (mut msg, mut url, mut trace): (&[u8], &[u8], &[u8]) = (b"", b"", b"");
        let mut i = 0;
        while i < b.len() {
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
            let key_start = i;
            let Some(eq) = memchr::memchr2(b'=', b' ', &b[i..]).map(|n| i + n) else {
                break;
            };
            if b[eq] != b'=' {
                i = eq;
                continue;
            }
            let key = &b[key_start..eq];
            let (value, next) = if b.get(eq + 1) == Some(&b'"') {
                let mut j = eq + 2;
                loop {
                    match memchr::memchr2(b'"', b'\\', &b[j.min(b.len())..]) {
                        Some(n) if b[j + n] == b'\\' => j += n + 2,
                        Some(n) => break (&b[eq + 2..j + n], j + n + 1),
                        None => break (&b[eq + 2..], b.len()),
                    }
                }
            } else {
                let end = memchr::memchr(b' ', &b[eq + 1..]).map_or(b.len(), |n| eq + 1 + n);
                (&b[eq + 1..end], end)
            };
            self.counts.pairs += 1;
            match key {
                b"msg" => msg = value,
                b"url" => url = value,
                b"traceID" => trace = value,
                _ => {}
            }
            i = next;
        }
        if !trace.is_empty() {
            self.traces.insert(self.hasher.hash_one(trace));
        }
        match msg {
            b"do request" => {
                self.counts.requests += 1;
                *self.open.entry(self.hasher.hash_one(url)).or_default() += 1;
            }
            b"fetch response received" => {
                self.counts.responses += 1;
                let key = self.hasher.hash_one(url);
                match self.open.get_mut(&key) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        self.counts.paired += 1;
                    }
                    _ => self.unpaired.push(key),
                }
            }
            _ => {}
        }
    }
}

/// Reads `input` (at most `limit` bytes) line by line into `floor`.
fn read_into(floor: &mut Floor, mut input: impl Read, limit: u64) -> std::io::Result<()> {
    let mut input = (&mut input).take(limit);
    let mut buf = vec![0u8; READ];
    let mut held = 0;
    loop {
        if held == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        let n = input.read(&mut buf[held..])?;
        let end = held + n;
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', &buf[..end]) {
            floor.line(&buf[start..nl]);
            start = nl + 1;
        }
        if n == 0 {
            if start < end {
                floor.line(&buf[start..end]);
            }
            return Ok(());
        }
        buf.copy_within(start..end, 0);
        held = end - start;
    }
}

/// The offset just past the first `\n` at or after `at` (the file's length when none).
fn line_start_after(file: &mut File, at: u64) -> std::io::Result<u64> {
    file.seek(SeekFrom::Start(at))?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut pos = at;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(pos);
        }
        if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
            return Ok(pos + i as u64 + 1);
        }
        pos += n as u64;
    }
}

/// Both halves of `path` on two threads, joined: the second half's unpaired responses are
/// paired with the first half's open requests.
fn halves(path: &str, hasher: foldhash::fast::RandomState) -> std::io::Result<Floor> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    let split = line_start_after(&mut file, len / 2)?;
    let both = std::thread::scope(|s| {
        let path = path.to_owned();
        let h = hasher.clone();
        let job = s.spawn(move || -> std::io::Result<Floor> {
            let mut f = File::open(path)?;
            f.seek(SeekFrom::Start(split))?;
            let mut floor = Floor::new(h);
            read_into(&mut floor, f, u64::MAX)?;
            Ok(floor)
        });
        let mut first = Floor::new(hasher);
        file.seek(SeekFrom::Start(0))?;
        read_into(&mut first, &mut file, split)?;
        let second = job
            .join()
            .map_err(|_| std::io::Error::other("second half panicked"))??;
        Ok::<_, std::io::Error>((first, second))
    })?;
    let (mut first, second) = both;
    for key in &second.unpaired {
        if let Some(n) = first.open.get_mut(key)
            && *n > 0
        {
            *n -= 1;
            first.counts.paired += 1;
        }
    }
    let c = &mut first.counts;
    c.lines += second.counts.lines;
    c.pairs += second.counts.pairs;
    c.requests += second.counts.requests;
    c.responses += second.counts.responses;
    c.paired += second.counts.paired;
    first.traces.extend(second.traces);
    Ok(first)
}

fn main() -> std::io::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let two = args.first().is_some_and(|a| a == "--halves");
    if two {
        args.remove(0);
    }
    let path = args.first().cloned().unwrap_or_else(|| "-".to_owned());
    let hasher = foldhash::fast::RandomState::default();
    let floor = if two && path != "-" {
        halves(&path, hasher)?
    } else {
        let input: Box<dyn Read> = if path == "-" {
            Box::new(std::io::stdin())
        } else {
            Box::new(File::open(&path)?)
        };
        let mut floor = Floor::new(hasher);
        read_into(&mut floor, input, u64::MAX)?;
        floor
    };
    let c = &floor.counts;
    println!(
        "lines {} pairs {} requests {} responses {} paired {} traces {}",
        c.lines,
        c.pairs,
        c.requests,
        c.responses,
        c.paired,
        floor.traces.len()
    );
    Ok(())
}
