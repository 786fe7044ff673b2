//! Builder discovery through fake docker CLIs: each failure has its own error and message.

use bkscope::source::{BuilderInfo, DiscoverError, discover_builders};

use crate::harness::fake_docker;

async fn discover_with(script: &str) -> Result<Vec<BuilderInfo>, DiscoverError> {
    let dir = tempfile::tempdir().unwrap();
    let docker = fake_docker(dir.path(), script);
    discover_builders(&docker.display().to_string()).await
}

#[tokio::test]
async fn running_builders_are_listed_with_their_status() {
    let dir = tempfile::tempdir().unwrap();
    let args = dir.path().join("args");
    let docker = fake_docker(
        dir.path(),
        &format!(
            r#"printf '%s\n' "$@" > '{}'
printf 'buildx_buildkit_ci0\tUp 3 minutes\nbuildx_buildkit_dev0\tUp 2 days\n'"#,
            args.display()
        ),
    );
    let found = discover_builders(&docker.display().to_string())
        .await
        .unwrap();
    let nodes: Vec<(&str, &str)> = found
        .iter()
        .map(|b| (b.node.as_str(), b.status.as_str()))
        .collect();
    assert_eq!(nodes, [("ci0", "Up 3 minutes"), ("dev0", "Up 2 days")]);
    assert_eq!(found[0].container, "buildx_buildkit_ci0");
    let args = std::fs::read_to_string(args).unwrap();
    assert_eq!(
        args.lines().collect::<Vec<_>>(),
        [
            "ps",
            "--all",
            "--filter",
            "name=buildx_buildkit_",
            "--format",
            r"{{.Names}}\t{{.Status}}"
        ]
    );
}

#[tokio::test]
async fn no_builder_running_is_an_error_that_says_what_to_do() {
    let err = discover_with("exit 0").await.unwrap_err();
    assert!(matches!(err, DiscoverError::NoBuilder), "{err:?}");
    assert!(err.to_string().contains("docker buildx create"), "{err}");
}

/// `docker ps --all` lists stopped builders too: running ones are followed, and when only
/// stopped ones exist the error names them, with how to start one or read its log.
#[tokio::test]
async fn stopped_builders_are_named_when_none_runs() {
    let found = discover_with(
        r"printf 'buildx_buildkit_old0\tExited (1) 2 hours ago\nbuildx_buildkit_ci0\tUp 3 minutes (Paused)\n'",
    )
    .await
    .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].node, "ci0");
    let err = discover_with(
        r"printf 'buildx_buildkit_old0\tExited (1) 2 hours ago\nbuildx_buildkit_new0\tCreated\n'",
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&err, DiscoverError::OnlyStopped { builders } if builders.len() == 2),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "no BuildKit builder is running: buildx_buildkit_old0 (Exited (1) 2 hours ago), \
buildx_buildkit_new0 (Created) are stopped; start one with 'docker start buildx_buildkit_old0', \
or read what it logged with 'bkscope --container buildx_buildkit_old0'"
    );
}

#[tokio::test]
async fn an_unreachable_daemon_is_told_apart() {
    let err = discover_with(
        "echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. \
         Is the docker daemon running?' >&2; exit 1",
    )
    .await
    .unwrap_err();
    match &err {
        DiscoverError::DaemonUnreachable { detail } => {
            assert!(detail.starts_with("Cannot connect"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with("cannot reach the docker daemon: ")
    );
}

#[tokio::test]
async fn other_docker_failures_keep_docker_s_words() {
    let err = discover_with("echo 'unknown flag: --format' >&2; exit 125")
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "'docker ps' failed (exit code 125): unknown flag: --format"
    );
}

#[tokio::test]
async fn a_missing_docker_cli_is_reported_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let docker = dir.path().join("docker");
    let err = discover_builders(&docker.display().to_string())
        .await
        .unwrap_err();
    assert!(
        matches!(err, DiscoverError::DockerMissing { .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "docker CLI '{}' not found: install the docker CLI or pass a log file",
            docker.display()
        )
    );
}
