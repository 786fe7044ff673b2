//! Fuzzes the line parser: any line (invalid UTF-8 read lossily, as the sources do) parses
//! without a panic, an unparsed line is kept whole, and an entry survives `into_owned` intact.
//! The quick look the fast paths trust instead of parsing (`glance`: the headless reader thread
//! and the explorer's ingest) must say exactly what `parse_line` says, and read the same
//! through the marks of a text the line lies in as on its own (`glance_unless`, `cut_line`).

#![no_main]

use libfuzzer_sys::fuzz_target;

use bkscope::parse::{
    Marking, Record, TextMarks, cut_line, cut_line_marked, glance, glance_unless, parse_line,
};

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
    // Stopping at a msg is glance without the lines of that msg.
    let skip = |m: &str| m.len() % 2 == 1;
    assert_eq!(
        glance_unless(&line, Marking::NONE, skip),
        glance(&line).filter(|g| !skip(g.msg))
    );
    // The same line in a marked text, at an odd offset, with stop bytes before it.
    let text = format!("a= \"\\ \n{line}\n");
    let mut marks = TextMarks::default();
    marks.mark(&text);
    let marking = marks.at(7);
    assert_eq!(glance_unless(&line, marking, skip), glance_unless(&line, Marking::NONE, skip));
    let (mut marked, mut lone) = (Vec::new(), Vec::new());
    assert_eq!(cut_line_marked(&line, marking, &mut marked), cut_line(&line, &mut lone));
    assert_eq!(marked, lone);
});
