//! Starts the `docker` children so they die with bkscope, even when it is killed with SIGKILL.
//!
//! Decisions:
//! - `kill_on_drop` only works when bkscope gets to drop the child; after SIGKILL a
//!   `docker logs -f` went on until the container wrote again (then it met EPIPE). On Linux each
//!   child asks for SIGTERM when its parent dies (`prctl(PR_SET_PDEATHSIG)`, in `pre_exec`).
//! - That signal comes when the *thread* that forked the child ends, not the process. Tokio's
//!   blocking threads retire after a pause, and any task may run on them, so a child spawned
//!   there (say by a restart) would be killed early. Every child is therefore forked by one
//!   thread of our own, which waits on a channel for the rest of the process' life: the static
//!   sender never drops, so its loop never ends. A job that panics is caught, so the thread
//!   stays.
//! - bkscope dying between the fork and the `prctl` would leave the child without the signal:
//!   after the call the child checks that its parent is still the process that forked it, and
//!   fails the spawn (ESRCH) if not.
//! - Elsewhere than Linux there is no such call: children are spawned the same way, without it.

use std::io;
use std::sync::OnceLock;
use std::sync::mpsc::{Sender, channel};

use tokio::process::{Child, Command};
use tokio::sync::oneshot;

/// Work for the spawner thread.
type Job = Box<dyn FnOnce() + Send>;

/// The spawner thread's queue, started on first use; `None` if the thread could not start.
fn queue() -> Option<&'static Sender<Job>> {
    static QUEUE: OnceLock<Option<Sender<Job>>> = OnceLock::new();
    QUEUE
        .get_or_init(|| {
            let (tx, rx) = channel::<Job>();
            std::thread::Builder::new()
                .name("bkscope-spawner".to_owned())
                .spawn(move || {
                    for job in rx {
                        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                    }
                })
                .ok()
                .map(|_| tx)
        })
        .as_ref()
}

/// Spawns `cmd` from the spawner thread (in the caller's runtime), the child set to die with
/// bkscope where the system allows it.
pub(crate) async fn spawn(mut cmd: Command) -> io::Result<Child> {
    die_with_parent(&mut cmd);
    let gone = || io::Error::other("the thread that starts child processes is gone");
    let queue = queue().ok_or_else(gone)?;
    let runtime = tokio::runtime::Handle::current();
    let (reply, answer) = oneshot::channel();
    let job: Job = Box::new(move || {
        let _entered = runtime.enter();
        // If the caller stopped waiting, the child is dropped here and killed (kill_on_drop).
        let _ = reply.send(cmd.spawn());
    });
    queue.send(job).map_err(|_| gone())?;
    answer.await.map_err(|_| gone())?
}

#[cfg(target_os = "linux")]
fn die_with_parent(cmd: &mut Command) {
    // SAFETY: getpid has no preconditions.
    let parent = unsafe { libc::getpid() };
    // SAFETY: between fork and exec the closure makes only async-signal-safe calls (prctl,
    // getppid) and allocates nothing: the errors are raw OS errors.
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM, 0, 0, 0) == -1 {
                return Err(io::Error::last_os_error());
            }
            if libc::getppid() != parent {
                // The parent died before the prctl: no signal will ever come.
                return Err(io::Error::from_raw_os_error(libc::ESRCH));
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn die_with_parent(_cmd: &mut Command) {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// A child asked for by a task on a blocking thread that retires at once is still running
    /// after that thread is gone: it was forked by the spawner thread, so its parent-death
    /// signal did not fire (forked on the retiring thread, it was killed within milliseconds).
    #[test]
    fn a_child_gets_sigterm_as_its_parent_death_signal_and_outlives_the_asking_thread() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .max_blocking_threads(1)
            .thread_keep_alive(std::time::Duration::from_millis(10))
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            // Spawned from a blocking thread that retires right after.
            let child = tokio::task::spawn_blocking(|| {
                tokio::runtime::Handle::current().block_on(async {
                    let mut cmd = Command::new("sleep");
                    cmd.arg("30").kill_on_drop(true);
                    spawn(cmd).await
                })
            })
            .await
            .unwrap()
            .unwrap();
            let pid = child.id().unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
            let state = status.lines().find(|l| l.starts_with("State:")).unwrap();
            assert!(!state.contains("zombie"), "{state}");
            let ppid = status.lines().find(|l| l.starts_with("PPid:")).unwrap();
            assert_eq!(
                ppid.split_whitespace().nth(1),
                Some(std::process::id().to_string().as_str())
            );
            drop(child);
        });
    }
}
