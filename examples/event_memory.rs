//! Heap bytes the TUI's model (every event kept) holds per fetch event, counted by a global
//! allocator: the model alone, without the raw lines or any view.
//!
//!     cargo run --release --example event_memory -- /tmp/bkscope-bench/genlog-200.log

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::BufRead;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting the bytes live now and at most.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to `System` unchanged; only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, l, new) };
        if !q.is_null() {
            LIVE.fetch_sub(l.size(), Ordering::Relaxed);
            let now = LIVE.fetch_add(new, Ordering::Relaxed) + new;
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        q
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() -> std::io::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_default();
    if std::env::args().any(|a| a == "--app") {
        return whole_app(&path);
    }
    let mut reader = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(&path)?);
    let mut model = bkscope::model::Model::new(bkscope::model::ModelOptions::default());
    // As the TUI builds it: completed events keep no headers.
    model.forget_completed_details();
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let (mut line, mut n) = (String::new(), 0u64);
    let t = std::time::Instant::now();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        n += 1;
        let text = line.trim_end_matches(['\n', '\r']);
        model.ingest(0, n, &bkscope::parse::parse_line(text));
        model.take_completed();
    }
    model.finish();
    model.take_completed();
    let elapsed = t.elapsed();
    let held = LIVE.load(Ordering::Relaxed) - before;
    let kept = model.events().len();
    let mib = |b: usize| b as f64 / (1024.0 * 1024.0);
    println!(
        "{n} lines, {} events ({kept} kept) in {elapsed:.2?}",
        model.event_count()
    );
    println!(
        "model heap: {:.1} MiB held, {:.1} MiB peak; {} bytes per kept event",
        mib(held),
        mib(PEAK.load(Ordering::Relaxed) - before),
        held / kept.max(1)
    );
    breakdown(&model);
    Ok(())
}

/// Where a kept event's bytes go (heap capacities, plus the boxed struct itself).
fn breakdown(model: &bkscope::model::Model) {
    let (mut hdr, mut nh, mut strs, mut lines, mut other) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    let s = |o: &Option<Box<str>>| o.as_ref().map_or(0, |t| t.len());
    for ev in model.events() {
        for h in ev.request_headers.iter().chain(&ev.response_headers) {
            // Names are shared with the model's header filter (or a lone copy per header
            // without one): counted as their own length, an upper bound.
            hdr += h.name.len() + h.value.capacity();
            nh += 1;
        }
        hdr += (ev.request_headers.capacity() + ev.response_headers.capacity())
            * std::mem::size_of::<bkscope::model::Header>();
        // Texts of its own; hosts, ids, media types and the like are shared (model::intern).
        strs += [&ev.url, &ev.digest, &ev.error]
            .into_iter()
            .map(s)
            .sum::<usize>();
        // Up to two line numbers sit in the struct itself.
        lines += if ev.lines.spilled() {
            ev.lines.capacity() * 8
        } else {
            0
        };
        other += ev.challenge.as_ref().map_or(0, |_| 100);
    }
    let n = model.events().len().max(1);
    println!(
        "per event: struct {} B, headers {} B ({:.1} headers), own strings {} B, lines {} B, challenge ~{} B",
        std::mem::size_of::<bkscope::model::fetch::FetchEvent>(),
        hdr / n,
        nh as f64 / n as f64,
        strs / n,
        lines / n,
        other / n
    );
}

/// The whole explorer state (raw lines, model, views), as `App::from_log` builds it.
fn whole_app(path: &str) -> std::io::Result<()> {
    let text = std::fs::read_to_string(path)?;
    let before = LIVE.load(Ordering::Relaxed);
    let t = std::time::Instant::now();
    let app = bkscope::app::App::from_log("big.log", &text);
    let held = LIVE.load(Ordering::Relaxed) - before;
    println!(
        "app: {} lines, {} events ({} kept) in {:.2?}; {:.1} MiB held",
        app.lines.len(),
        app.model.event_count(),
        app.model.events().len(),
        t.elapsed(),
        held as f64 / (1024.0 * 1024.0)
    );
    let mib = |b: usize| b as f64 / (1024.0 * 1024.0);
    let list = |v: &[String]| v.iter().map(String::capacity).sum::<usize>();
    // A finding's own part of its diagnosis: the entry's id and title, the evidence.
    let own = |d: &bkscope::app::diagnosis::DiagnosisView| {
        d.id.capacity() + d.title.capacity() + list(&d.evidence)
    };
    // The entry's text, shared by every finding it diagnoses: counted once per copy.
    let shared = |d: &bkscope::app::diagnosis::DiagnosisView| {
        d.text.root_cause.capacity()
            + list(&d.text.dead_ends)
            + list(&d.text.docs)
            + d.text
                .workarounds
                .iter()
                .map(|w| w.text.capacity() + list(&w.commands))
                .sum::<usize>()
            + d.text.versions.len() * 120
    };
    let views: Vec<_> = app
        .findings
        .iter()
        .flat_map(|f| app.diagnoses_of(f))
        .collect();
    let mut seen = std::collections::HashSet::new();
    let texts: usize = views
        .iter()
        .filter(|d| seen.insert(std::sync::Arc::as_ptr(&d.text)))
        .map(|d| shared(d))
        .sum();
    let own: usize = views.iter().map(|d| own(d)).sum();
    let event_lines: usize = app.model.events().map(|e| e.lines.len()).sum();
    println!(
        "of which: {} findings with {:.1} MiB of their own diagnosis text (ids, titles, evidence) \
         and {:.1} KiB of entry text in {} shared copies; row lists {:.1} MiB; {} event lines in \
         the line→event map",
        app.findings.len(),
        mib(own),
        texts as f64 / 1024.0,
        seen.len(),
        mib((app.raw_rows.capacity() + app.events.rows.capacity()) * 8),
        event_lines
    );
    Ok(())
}
