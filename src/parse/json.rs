//! The logrus JSON formatter (`--log-format json`): `time`, `level`, `msg` and every field at top
//! level under its dotted name.
//!
//! Pure: parses with serde_json; the rare JSON lines pay for owned strings.

use std::borrow::Cow;

use serde_json::Value;

use super::{Entry, Field, Format, Level};

/// Parses a JSON-format line; `None` when it is not a JSON object with `msg` or `level`.
pub(super) fn parse(body: &str) -> Option<Entry<'static>> {
    let Value::Object(map) = serde_json::from_str::<Value>(body.trim_end()).ok()? else {
        return None;
    };
    if !map.contains_key("msg") && !map.contains_key("level") {
        return None;
    }
    let mut entry = Entry {
        format: Format::Json,
        time: None,
        level: None,
        msg: Cow::Borrowed(""),
        fields: Vec::with_capacity(map.len()),
        damaged: false,
    };
    for (key, value) in map {
        let text = match value {
            Value::String(s) => s,
            Value::Null => String::new(),
            other => other.to_string(),
        };
        match key.as_str() {
            "time" => entry.time = Some(Cow::Owned(text)),
            "level" => entry.level = Level::parse(&text),
            "msg" => entry.msg = Cow::Owned(text),
            _ => entry.fields.push(Field {
                key: Cow::Owned(key),
                value: Cow::Owned(text),
                note: 0,
            }),
        }
    }
    Some(entry)
}
