//! Fuzzes the line parser: any line (invalid UTF-8 read lossily, as the sources do) parses
//! without a panic, an unparsed line is kept whole, and an entry survives `into_owned` intact.

#![no_main]

use libfuzzer_sys::fuzz_target;

use bkscope::parse::{Record, parse_line};

fuzz_target!(|data: &[u8]| {
    let line = String::from_utf8_lossy(data);
    match parse_line(&line) {
        Record::Unparsed(raw) => assert_eq!(raw, &*line, "an unparsed line is kept as it is"),
        Record::Entry(e) => {
            let _ = e.timestamp();
            assert_eq!(e.clone().into_owned(), e);
        }
    }
});
