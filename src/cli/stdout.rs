//! Standard output for the headless commands: a failed write says what it was writing to
//! (`writing to standard output: No space left on device`, where a CI review saw the bare OS
//! error), its kind kept, so a closed pipe is still a quiet success (`exit.rs`).

use std::io::{self, Write};

/// `inner`, whose write errors name standard output.
pub struct Stdout<W> {
    inner: W,
}

impl<W: Write> Stdout<W> {
    /// Wraps `inner` (the locked standard output).
    pub fn new(inner: W) -> Self {
        Stdout { inner }
    }
}

/// `e` with what failed in front of it, its kind kept.
fn named(e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("writing to standard output: {e}"))
}

impl<W: Write> Write for Stdout<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf).map_err(named)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush().map_err(named)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that fails every write with `kind`.
    struct Failing(io::ErrorKind);

    impl Write for Failing {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::new(
                self.0,
                "No space left on device (os error 28)",
            ))
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::Error::new(self.0, "flush"))
        }
    }

    #[test]
    fn a_failed_write_names_standard_output_and_keeps_its_kind() {
        let mut out = Stdout::new(Failing(io::ErrorKind::StorageFull));
        let e = out.write_all(b"x").expect_err("it fails");
        assert_eq!(e.kind(), io::ErrorKind::StorageFull);
        assert_eq!(
            e.to_string(),
            "writing to standard output: No space left on device (os error 28)"
        );
        let mut pipe = Stdout::new(Failing(io::ErrorKind::BrokenPipe));
        let e = anyhow::Error::from(pipe.flush().expect_err("it fails"));
        assert!(
            super::super::exit::is_broken_pipe(&e),
            "still a closed pipe"
        );
    }
}
