//! Fuzzes the output filters: `redact::text` never panics and a second pass finds nothing the
//! first one left; a secret header keeps at most its scheme word; `sanitize::inert` output holds
//! no character a terminal would act on, and leaves safe text untouched.

#![no_main]

use libfuzzer_sys::fuzz_target;

use bkscope::model::redact::{self, MASK};
use bkscope::model::sanitize::{inert, is_unsafe};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);

    let once = redact::text(&text);
    let twice = redact::text(&once);
    assert_eq!(once, twice, "redaction is not stable on {text:?}");

    let shown = redact::header_value("Authorization", &text);
    let scheme_ok = |s: &str| s.len() < 16 && s.chars().all(|c| c.is_ascii_alphabetic());
    assert!(
        shown == MASK
            || shown
                .strip_suffix(&format!(" {MASK}"))
                .is_some_and(scheme_ok),
        "{shown:?}"
    );

    let safe = inert(&text);
    assert!(!safe.chars().any(is_unsafe), "{safe:?}");
    if !text.chars().any(is_unsafe) {
        assert_eq!(safe, text);
    }
    let _ = inert(&once);
});
