//! Times loading a log into the explorer's state (parse, model, rows), without a terminal.
//!
//!     cargo run --release --example load_time -- big.log

use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let t = Instant::now();
    let app = bkscope::app::App::from_log("big.log", &text);
    println!(
        "{} lines, {} events, {} findings in {:?}",
        app.lines.len(),
        app.model.event_count(),
        app.findings.len(),
        t.elapsed()
    );
}
