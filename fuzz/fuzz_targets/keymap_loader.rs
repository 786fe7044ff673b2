//! Fuzzes the keymap loader (`<config>/keymap.yaml` merged over the built-in bindings) and the
//! key-name parser. No panic; every problem's message names the file, and quit keeps a key
//! (Ctrl-C, the emergency exit, at least).

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

use bkscope::app::action::Action;
use bkscope::app::keymap::{Keymap, parse_key};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (map, problems) = Keymap::from_sources(Some((Path::new("keymap.yaml"), &text)));
    for e in &problems {
        assert!(e.to_string().contains("keymap.yaml"), "{e}");
    }
    // Ctrl-C quits whatever the file says.
    assert!(map.key_of(&Action::Quit).is_some(), "quit keeps a key");
    for word in text.split_whitespace().take(64) {
        let _ = parse_key(word);
    }
});
