//! What a source's first bytes say it is not: a compressed file or UTF-16 text, which bkscope
//! cannot read as a log. Said at once, with the command that would read it, instead of a page
//! of garbage lines and a "BuildKit debug logging looks off" hint (a `docker logs > x.log` from
//! PowerShell 5 writes UTF-16; CI artifacts are often gzipped).
//!
//! Pure: bytes in, a reason out.

/// Bytes worth looking at: the longest signature below.
pub const HEAD: usize = 4;

/// What the bytes a source starts with are, when they are no text log: what it is and the
/// command that turns it into one.
pub fn unreadable(head: &[u8]) -> Option<(&'static str, &'static str)> {
    match head {
        [0x1f, 0x8b, ..] => Some(("gzip-compressed", "zcat")),
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Some(("zstd-compressed", "zstdcat")),
        [0xfd, b'7', b'z', b'X', ..] => Some(("xz-compressed", "xzcat")),
        [b'B', b'Z', b'h', ..] => Some(("bzip2-compressed", "bzcat")),
        [0xff, 0xfe, ..] | [0xfe, 0xff, ..] => Some(("UTF-16 encoded", "iconv -f UTF-16 -t UTF-8")),
        // UTF-16 without a byte order mark: ASCII with a NUL after (or before) every byte.
        [a, 0, b, 0, ..] | [0, a, 0, b, ..] if a.is_ascii_graphic() && b.is_ascii_graphic() => {
            Some(("UTF-16 encoded", "iconv -f UTF-16 -t UTF-8"))
        }
        _ => None,
    }
}

/// The one-line refusal for source `name` (`-`: standard input) starting with `head`, if it
/// is no text log; its example reads the text through `command` (`summary`, `events`; empty
/// for the explorer), the command the user ran.
pub fn refusal(name: &str, head: &[u8], command: &str) -> Option<String> {
    unreadable(head).map(|(what, how)| {
        let bkscope = if command.is_empty() {
            "bkscope -".to_owned()
        } else {
            format!("bkscope {command} -")
        };
        // A pipe by name (`<(gzip -c …)`, `/dev/fd/63`, `/dev/stdin`) is gone once read: the
        // example pipes into the command, as for standard input (a CI review).
        let a_pipe = name.starts_with("/dev/fd/")
            || name.starts_with("/proc/self/fd/")
            || name == "/dev/stdin";
        let example = if name == "-" || a_pipe {
            format!("… | {how} | {bkscope}")
        } else {
            format!("{how} '{name}' | {bkscope}")
        };
        format!("'{name}' is {what}; bkscope reads UTF-8 text logs: read it through {how} (e.g. {example})")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_and_utf16_sources_are_named_and_logs_are_not() {
        let utf16: Vec<u8> = "time=\"2024\""
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        for (head, what) in [
            (&[0x1f, 0x8b, 0x08, 0x00][..], "gzip-compressed"),
            (&[0x28, 0xb5, 0x2f, 0xfd], "zstd-compressed"),
            (&[0xfd, b'7', b'z', b'X'], "xz-compressed"),
            (b"BZh9", "bzip2-compressed"),
            (&[0xff, 0xfe, b't', 0], "UTF-16 encoded"),
            (&utf16, "UTF-16 encoded"),
        ] {
            assert_eq!(unreadable(head).map(|u| u.0), Some(what), "{head:?}");
        }
        let msg = refusal("b.log.gz", &[0x1f, 0x8b], "summary").unwrap();
        assert!(msg.contains("'b.log.gz' is gzip-compressed") && msg.contains("zcat 'b.log.gz'"));
        let msg = refusal("-", &[0x1f, 0x8b], "summary").unwrap();
        assert!(msg.contains("… | zcat | bkscope summary -"), "{msg}");
        // A process substitution's path is gone once read: the pipe form (a CI review).
        let msg = refusal("/dev/fd/63", &[0x1f, 0x8b], "summary").unwrap();
        assert!(msg.contains("(e.g. … | zcat | bkscope summary -)"), "{msg}");
        // The example runs the command the user ran.
        let msg = refusal("b.log.gz", &[0x1f, 0x8b], "events").unwrap();
        assert!(msg.contains("zcat 'b.log.gz' | bkscope events -)"), "{msg}");
        let msg = refusal("b.log.gz", &[0x1f, 0x8b], "").unwrap();
        assert!(msg.contains("zcat 'b.log.gz' | bkscope -)"), "{msg}");
        for log in [
            &b"time=\"2024-01-01T00:00:00Z\" level=debug"[..],
            b"\xef\xbb\xbftime=",
            b"DEBU[0000] do request",
            b"{\"level\":\"debug\"}",
            b"",
            b"BZ",
        ] {
            assert_eq!(unreadable(log), None, "{log:?}");
        }
    }
}
