//! `genlog`: writes a deterministic, realistic BuildKit debug log of about `--mb` MiB to stdout,
//! for benchmarks (`benches/compare.sh`, docs/performance.md).
//!
//! `cargo run --release --example genlog -- --mb 200 --seed 1 > /tmp/x.log`

use std::io::{self, BufWriter};
use std::process::ExitCode;

mod corpus;

fn usage() -> ExitCode {
    eprintln!("usage: genlog [--mb N] [--seed S]   (writes to stdout; defaults: 200 MiB, seed 1)");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut mb: u64 = 200;
    let mut seed: u64 = 1;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let value = args.next().and_then(|v| v.parse().ok());
        match (a.as_str(), value) {
            ("--mb", Some(v)) => mb = v,
            ("--seed", Some(v)) => seed = v,
            _ => return usage(),
        }
    }
    let stdout = io::stdout().lock();
    let mut corpus = corpus::Corpus::new(BufWriter::with_capacity(1 << 20, stdout), seed);
    match corpus.write_until(mb << 20) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("genlog: {e}");
            ExitCode::FAILURE
        }
    }
}
