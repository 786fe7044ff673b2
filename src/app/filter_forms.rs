//! The filter's forms as the `?` help lists them: one example of each kind of term and what it
//! selects, short enough for the help's two columns (nine rows, so the help still fits in two
//! columns on a 130×24 terminal; `mirror=`, the `?ns=` upstream, is left to the parser's
//! message naming every field). The `host~` row also says what a `?` after a host means: the
//! host inferred for a request logged without one (`app::route`), which `host` matches too. Kept beside the parser
//! ([`super::filter`]) and checked against it, so an example the parser refuses fails a test.

/// `(example, what it selects)`, in the order the help shows them.
pub const FORMS: &[(&str, &str)] = &[
    ("status>=400", "status: = != >= <= > <; 4xx a class"),
    ("status=failed", "every failure (status=err: no answer)"),
    ("host=ghcr.io", "a field is it, any case; != is not"),
    ("host~mirror", "contains it; HOST x.io? is inferred"),
    ("trace=a41c", "trace or span id, or its first digits"),
    ("span=9460", "span ids only"),
    ("time>=13:08", "UTC; also level>=info dur>2s size>1m"),
    ("repo~node", "and url method kind registry server error"),
    ("grpc", "a bare word: anywhere in the row"),
];

/// The heading above [`FORMS`], naming the key that opens the filter prompt.
pub fn heading(key: &str) -> String {
    format!("filter terms ({key}), all must hold:")
}

#[cfg(test)]
mod tests {
    use super::super::filter::Filter;
    use super::*;

    #[test]
    fn every_example_parses() {
        for (example, _) in FORMS {
            assert!(Filter::parse(example).is_ok(), "{example}");
        }
    }

    /// The help lays them out in two columns beside the bindings: each part stays short.
    #[test]
    fn every_form_is_short() {
        for (example, what) in FORMS {
            assert!(example.chars().count() <= 13, "{example}");
            assert!(what.chars().count() <= 41, "{what}");
        }
    }
}
