//! The floor the performance issue measures against: a throwaway logfmt tokenizer that reads
//! every `key=value` pair of a log (quoted values with their escapes), pairs each `fetch
//! response received` with the `do request` of the same url and counts distinct trace ids, on
//! one thread. No redaction, no entries, no events, no verdicts: what any reader of the log
//! must at least do. `benches/compare.sh` times it beside `bkscope summary --json` so the
//! distance to the bound is measured on the same file in the same run (docs/performance.md).
//!
//!     cargo run --release --example floor -- FILE
//!
//! Prints lines, pairs, requests, responses, paired responses and distinct trace ids.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::hash::BuildHasher;
use std::io::Read;

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
}

impl Floor {
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
                if let Some(n) = self.open.get_mut(&self.hasher.hash_one(url))
                    && *n > 0
                {
                    *n -= 1;
                    self.counts.paired += 1;
                }
            }
            _ => {}
        }
    }
}

fn main() -> std::io::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "-".to_owned());
    let mut input: Box<dyn Read> = if path == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(File::open(&path)?)
    };
    let mut floor = Floor {
        counts: Counts::default(),
        hasher: foldhash::fast::RandomState::default(),
        open: HashMap::new(),
        traces: HashSet::new(),
    };
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
            break;
        }
        buf.copy_within(start..end, 0);
        held = end - start;
    }
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
