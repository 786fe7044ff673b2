//! How a file source is named in the explorer's header: its file name (`build.log`), except
//! for a path the kernel or the shell made up, which is named whole.
//!
//! A process substitution (`bkscope <(docker logs b0 2>&1)`) hands bkscope `/dev/fd/63`; its
//! file name alone, `63`, names nothing a user typed or would recognise. `less` prompts with
//! the whole `/dev/fd/63`, `tail -f` heads its output `==> /dev/fd/63 <==`, and lnav lists
//! the path it was given: so a path under `/dev/` or `/proc/` (`/dev/fd/63`,
//! `/proc/self/fd/12`, `/dev/stdin`) keeps its whole path, which also keeps `/dev/stdin` apart
//! from the `stdin` of `-`.

use std::path::Path;

/// The header's name for a file source (see the module's doc for the decision).
pub fn file_label(path: &Path) -> String {
    let made_up = path.starts_with("/dev") || path.starts_with("/proc");
    match path.file_name() {
        Some(name) if !made_up => name.to_string_lossy().into_owned(),
        _ => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_substitution_source_is_labelled_by_its_whole_path() {
        let spec = super::super::SourceSpec::File("/dev/fd/63".into());
        assert_eq!(spec.label(), "/dev/fd/63");
    }

    #[test]
    fn a_process_substitution_is_named_by_its_whole_path() {
        assert_eq!(file_label(Path::new("/dev/fd/63")), "/dev/fd/63");
        assert_eq!(
            file_label(Path::new("/proc/self/fd/12")),
            "/proc/self/fd/12"
        );
        assert_eq!(file_label(Path::new("/dev/stdin")), "/dev/stdin");
    }

    #[test]
    fn a_file_is_named_by_its_file_name() {
        assert_eq!(file_label(Path::new("logs/build.log")), "build.log");
        assert_eq!(file_label(Path::new("/var/log/63")), "63");
        assert_eq!(file_label(Path::new("/devices/x.log")), "x.log");
        assert_eq!(file_label(Path::new("/")), "/");
    }
}
