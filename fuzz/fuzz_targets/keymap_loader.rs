//! Fuzzes the keymap loader (`<config>/keymap.yaml` merged over the built-in bindings) and the
//! key-name parser. No panic; a refused file keeps the built-in bindings and its message names
//! the file.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

use bkscope::app::action::Action;
use bkscope::app::keymap::{Keymap, parse_key};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (map, problem) = Keymap::from_sources(Some((Path::new("keymap.yaml"), &text)));
    if let Some(e) = problem {
        assert!(e.to_string().contains("keymap.yaml"), "{e}");
        assert!(
            map.key_of(&Action::Quit).is_some(),
            "built-in bindings kept"
        );
    }
    for word in text.split_whitespace().take(64) {
        let _ = parse_key(word);
    }
});
