//! Fuzzes the line parser: any line (invalid UTF-8 read lossily, as the sources do) parses
//! without a panic, an unparsed line is kept whole, and an entry survives `into_owned` intact.
//! The quick looks the fast paths trust instead of parsing (`glance`, `peek_msg`: the headless
//! reader thread and the explorer's ingest) must say exactly what `parse_line` says.

#![no_main]

use libfuzzer_sys::fuzz_target;

use bkscope::parse::{Record, glance, parse_line, peek_msg};

fuzz_target!(|data: &[u8]| {
    let line = String::from_utf8_lossy(data);
    let rec = parse_line(&line);
    let entry = match &rec {
        Record::Unparsed(raw) => {
            assert_eq!(*raw, &*line, "an unparsed line is kept as it is");
            None
        }
        Record::Entry(e) => {
            let _ = e.timestamp();
            assert_eq!(e.clone().into_owned(), *e);
            Some(e)
        }
    };
    if let Some(g) = glance(&line) {
        let e = entry.expect("glance promised an entry");
        assert_eq!(g.msg, e.msg.as_ref());
        assert_eq!(g.level, e.level);
        assert_eq!(g.damaged, e.damaged);
        assert_eq!(g.has_error, e.get("error").is_some());
        assert_eq!(g.time, e.time.as_deref());
        assert_eq!(g.trace_id, e.trace_id());
    }
    if let Some(msg) = peek_msg(&line) {
        assert_eq!(Some(msg), entry.map(|e| e.msg.as_ref()));
    }
});
