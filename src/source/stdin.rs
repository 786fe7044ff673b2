//! Standard input, or any byte stream: read until EOF, then `Ended(None)`.
//!
//! [`read_stream`] is generic over [`AsyncRead`], so a test (or a caller with its own pipe) feeds
//! it a real child's stdout exactly as `bkscope -` feeds it stdin. A stream has no history to
//! load: the state goes `Following` at once and `Ended(None)` at EOF. A read error ends the
//! source with `Error(msg)`. Lines are sent as soon as the stream pauses (a read that would
//! wait), so an interactive pipe shows each line promptly while a burst stays a few batches.

use std::io;

use futures_util::FutureExt;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::mpsc;

use super::batch::{Batcher, Closed};
use super::lines::LineSplitter;
use super::{SourceEvent, SourceOptions, SourceState};

/// Bytes asked for per read.
const READ_BUF: usize = 64 * 1024;

/// Reads `reader` to its end as source `source`, sending batches of lines and state changes.
/// Returns when the stream ends or fails, or when the receiver is gone.
pub async fn read_stream<R>(
    source: u32,
    reader: R,
    options: &SourceOptions,
    tx: mpsc::Sender<SourceEvent>,
) where
    R: AsyncRead + Unpin,
{
    let mut batcher = Batcher::new(source, options.batch_lines, options.batch_bytes, tx);
    // `Closed`: nobody listens any more, nothing left to do.
    let _ = pump(source, reader, options.line_cap, &mut batcher).await;
}

/// Reads a stream to its end through `batcher`: `Following`, lines, then `Ended(None)` (or
/// `Error` on a read error). Also used for a named pipe given as a file.
pub(crate) async fn pump<R>(
    source: u32,
    mut reader: R,
    cap: usize,
    batcher: &mut Batcher,
) -> Result<(), Closed>
where
    R: AsyncRead + Unpin,
{
    batcher.state(SourceState::Following).await?;
    let mut splitter = LineSplitter::with_cap(source, cap);
    let mut buf = vec![0u8; READ_BUF];
    let mut lines = Vec::new();
    let failure = loop {
        // A read that is not ready at once means the input paused: send what we have first.
        let read = match reader.read(&mut buf).now_or_never() {
            Some(r) => r,
            None => {
                batcher.flush().await?;
                reader.read(&mut buf).await
            }
        };
        match read {
            Ok(0) => break None,
            Ok(n) => {
                splitter.push(&buf[..n], &mut lines);
                batcher.push(&mut lines).await?;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => break Some(e),
        }
    };
    splitter.finish(&mut lines);
    batcher.push(&mut lines).await?;
    let state = match failure {
        None => SourceState::Ended(None),
        Some(e) => SourceState::Error(format!("cannot read the input stream: {e}")),
    };
    batcher.state(state).await
}

#[cfg(test)]
mod tests {
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use tokio::io::ReadBuf;

    use super::*;

    /// Yields its chunks, then fails like a disk would.
    struct Failing(Vec<&'static [u8]>);

    impl AsyncRead for Failing {
        fn poll_read(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            if self.0.is_empty() {
                return Poll::Ready(Err(io::Error::other("input/output error")));
            }
            let chunk = self.0.remove(0);
            buf.put_slice(chunk);
            Poll::Ready(Ok(()))
        }
    }

    #[tokio::test]
    async fn read_error_ends_with_error_after_the_lines_read() {
        let (tx, mut rx) = mpsc::channel(64);
        let reader = Failing(vec![b"one\ntw", b"o\npartial"]);
        read_stream(4, reader, &SourceOptions::default(), tx).await;
        let mut texts = Vec::new();
        let mut last = None;
        while let Ok(ev) = rx.try_recv() {
            match ev {
                SourceEvent::Lines(l) => texts.extend(l.into_iter().map(|l| l.text)),
                SourceEvent::State { state, .. } => last = Some(state),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(texts, ["one", "two", "partial"]);
        match last {
            Some(SourceState::Error(msg)) => assert!(msg.contains("input/output error"), "{msg}"),
            other => panic!("{other:?}"),
        }
    }
}
