//! One malloc arena for `summary`, so its peak RSS does not grow with its threads.
//!
//! glibc gives every thread that meets contention an arena of its own (up to eight per core),
//! and memory freed into one arena is not reused by another. `summary`'s reader thread fills
//! buffers that the model thread drops, and the knowledge-base thread loads YAML and regexes:
//! three arenas, each holding some slack. On the generated 1 GiB log that slack was 0.5–0.9 MB
//! of a 16 MB budget (docs/performance.md). With one arena the peak on the generated 200 MiB
//! log fell from 12.5–13.0 MB to 11.5–11.9 MB (1 GiB: 14.8–15.3 → 14.4–14.8 MB), and the time
//! did not change: the threads hand whole batches over, they do not allocate in step. `MALLOC_ARENA_MAX=1` does the same from the environment; the call makes it the default.
//!
//! glibc only: musl and other allocators have no arenas to limit, and the call is left out.

/// Limits the process to one malloc arena. Call before the threads that would make more.
pub fn single() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt takes two ints and only changes a malloc tunable; M_ARENA_MAX is one
        // glibc knows (since 2.10). A refused value (return 0) leaves the default, which is
        // only more memory, so the result is ignored.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 1);
        }
    }
}
