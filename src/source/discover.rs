//! Finds running BuildKit builder containers (`buildx_buildkit_<node>`) with `docker ps`.
//!
//! Decisions:
//! - One `docker ps --all --filter name=buildx_buildkit_ --format '{{.Names}}\t{{.Status}}'`
//!   run; the name filter matches substrings, so names are checked again for the prefix. A
//!   container is running when its status starts with `Up` (docker's words, paused ones too:
//!   their log can be read). Stopped builders are listed only to say so when none runs
//!   ([`DiscoverError::OnlyStopped`]): a builder that crashed is what a user debugging a
//!   build meets, and "no builder" would send them to create another.
//! - Each failure is its own [`DiscoverError`] with what to do: no docker CLI, a daemon that
//!   cannot be reached (not running, `DOCKER_HOST`, socket permissions), a `docker ps` that does
//!   not answer within [`TIMEOUT`], any other failure with docker's own words, and no builder
//!   running at all (`NoBuilder` is an error: there is nothing to follow).
//! - Only `docker ps` output decides; no environment variable is read here.
//! - `docker ps` is started through `spawner.rs`, as the `docker logs` children are: it dies
//!   with bkscope.

use std::io;
use std::process::Stdio;
use std::time::Duration;

use tokio::process::Command;

use super::docker::docker_missing;

/// Prefix buildx gives the container of each node of a `docker-container` builder.
pub const CONTAINER_PREFIX: &str = "buildx_buildkit_";
/// How long `docker ps` may take before the daemon is called unreachable.
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// Phrases of the docker CLI (20.10–28) meaning the daemon could not be reached.
pub(crate) const UNREACHABLE: &[&str] = &[
    "Cannot connect to the Docker daemon",
    "Is the docker daemon running",
    "error during connect",
    "permission denied while trying to connect",
    "connection refused",
];

/// A running builder container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuilderInfo {
    /// Container name, e.g. `buildx_buildkit_mybuilder0`.
    pub container: String,
    /// The buildx node name: the container name without its prefix (`mybuilder0`, i.e. builder
    /// `mybuilder`, node 0).
    pub node: String,
    /// `docker ps` status, e.g. `Up 2 hours`.
    pub status: String,
}

/// Why builders could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// The docker CLI is not installed (or not at the configured path).
    #[error("{}", docker_missing(docker))]
    DockerMissing {
        /// The docker CLI that was tried.
        docker: String,
    },
    /// The docker CLI could not be started for another reason.
    #[error("cannot run '{docker}': {source}")]
    Spawn {
        /// The docker CLI that was tried.
        docker: String,
        /// Why.
        source: io::Error,
    },
    /// The daemon did not answer.
    #[error(
        "cannot reach the docker daemon: start it, check DOCKER_HOST and access to its socket, or pass a log file (docker said: '{detail}')"
    )]
    DaemonUnreachable {
        /// docker's own words.
        detail: String,
    },
    /// `docker ps` hung.
    #[error(
        "'docker ps' did not answer within {} s: the docker daemon may be hung or unreachable; pass a log file instead",
        TIMEOUT.as_secs()
    )]
    Timeout,
    /// `docker ps` failed otherwise.
    #[error("'docker ps' failed ({status}): {detail}")]
    Failed {
        /// Exit code or signal.
        status: String,
        /// docker's own words.
        detail: String,
    },
    /// Builder containers exist but none runs.
    #[error("{}", only_stopped(.builders))]
    OnlyStopped {
        /// The stopped builders, with docker's status (`Exited (1) 2 hours ago`).
        builders: Vec<BuilderInfo>,
    },
    /// Docker works but no builder container runs.
    #[error(
        "no BuildKit builder is running (no container named '{CONTAINER_PREFIX}*'): start one with 'docker buildx create --use --bootstrap', or pass a log file"
    )]
    NoBuilder,
}

/// The container of node 0 of buildx builder `builder` (what `--builder NAME` follows).
pub fn container_for_builder(builder: &str) -> String {
    format!("{CONTAINER_PREFIX}{builder}0")
}

/// Lists running builder containers, oldest name first as `docker ps` prints them.
pub async fn discover_builders(docker: &str) -> Result<Vec<BuilderInfo>, DiscoverError> {
    let mut cmd = Command::new(docker);
    cmd.arg("ps")
        .arg("--all")
        .arg("--filter")
        .arg(format!("name={CONTAINER_PREFIX}"))
        .arg("--format")
        .arg("{{.Names}}\\t{{.Status}}")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let run = async move { super::spawner::spawn(cmd).await?.wait_with_output().await };
    let output = match tokio::time::timeout(TIMEOUT, run).await {
        Err(_) => return Err(DiscoverError::Timeout),
        Ok(Err(e)) if e.kind() == io::ErrorKind::NotFound => {
            return Err(DiscoverError::DockerMissing {
                docker: docker.to_owned(),
            });
        }
        Ok(Err(source)) => {
            return Err(DiscoverError::Spawn {
                docker: docker.to_owned(),
                source,
            });
        }
        Ok(Ok(output)) => output,
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let detail = stderr.trim().lines().last().unwrap_or("").trim().to_owned();
        if UNREACHABLE.iter().any(|p| stderr.contains(p)) {
            return Err(DiscoverError::DaemonUnreachable { detail });
        }
        let status = match output.status.code() {
            Some(code) => format!("exit code {code}"),
            None => "killed by a signal".to_owned(),
        };
        return Err(DiscoverError::Failed { status, detail });
    }
    let (running, stopped): (Vec<_>, Vec<_>) = parse_ps(&String::from_utf8_lossy(&output.stdout))
        .into_iter()
        .partition(|b| b.status.starts_with("Up"));
    match (running.is_empty(), stopped.is_empty()) {
        (false, _) => Ok(running),
        (true, false) => Err(DiscoverError::OnlyStopped { builders: stopped }),
        (true, true) => Err(DiscoverError::NoBuilder),
    }
}

/// What [`DiscoverError::OnlyStopped`] says: each stopped builder with docker's status, and how
/// to start the first or read what it logged (`docker logs` reads a stopped container too).
fn only_stopped(builders: &[BuilderInfo]) -> String {
    let one = |b: &BuilderInfo| match b.status.as_str() {
        "" => b.container.clone(),
        s => format!("{} ({s})", b.container),
    };
    let (list, it) = match builders {
        [b] => (format!("{} is stopped", one(b)), "it"),
        _ => (
            format!(
                "{} are stopped",
                builders.iter().map(one).collect::<Vec<_>>().join(", ")
            ),
            "one",
        ),
    };
    let first = builders.first().map_or("", |b| b.container.as_str());
    format!(
        "no BuildKit builder is running: {list}; start {it} with 'docker start {first}', or read \
what it logged with 'bkscope --container {first}'"
    )
}

/// `name<TAB>status` lines → builders; other containers and blank lines are skipped.
fn parse_ps(stdout: &str) -> Vec<BuilderInfo> {
    stdout
        .lines()
        .filter_map(|line| {
            let (name, status) = line.split_once('\t').unwrap_or((line, ""));
            let node = name.trim().strip_prefix(CONTAINER_PREFIX)?;
            (!node.is_empty()).then(|| BuilderInfo {
                container: name.trim().to_owned(),
                node: node.to_owned(),
                status: status.trim().to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ps_lines_become_builders_and_strangers_are_skipped() {
        let out = "buildx_buildkit_mybuilder0\tUp 2 hours\n\
                   my_buildx_buildkit_fake\tUp 1 second\n\
                   \n\
                   buildx_buildkit_\tUp 3 days\n\
                   buildx_buildkit_ci1\tUp 5 minutes (healthy)\n";
        let got = parse_ps(out);
        assert_eq!(
            got,
            [
                BuilderInfo {
                    container: "buildx_buildkit_mybuilder0".into(),
                    node: "mybuilder0".into(),
                    status: "Up 2 hours".into(),
                },
                BuilderInfo {
                    container: "buildx_buildkit_ci1".into(),
                    node: "ci1".into(),
                    status: "Up 5 minutes (healthy)".into(),
                },
            ]
        );
        assert_eq!(
            container_for_builder("mybuilder"),
            "buildx_buildkit_mybuilder0"
        );
    }

    #[test]
    fn messages_say_what_to_do() {
        let missing = DiscoverError::DockerMissing {
            docker: "docker".into(),
        };
        assert_eq!(
            missing.to_string(),
            "docker not found on PATH: install the docker CLI or pass a log file"
        );
        assert!(
            DiscoverError::NoBuilder
                .to_string()
                .contains("pass a log file")
        );
    }
}
