//! Integration tests of the source layer through real files, pipes and child processes:
//! following files through truncation, rotation and deletion; stdin-like streams from a real
//! child; `docker logs` and `docker ps` through fake docker CLIs; several sources merged by time.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers, not input paths

mod discover;
mod docker;
mod file;
mod harness;
mod merge;
mod stdin;
