//! Fuzzes the theme loader the way a user's file meets it: the input is written to
//! `<config>/themes/user.yaml` and loaded by name (`--theme user`), `base:` chains included.
//! No panic; a refused file falls back to the built-in default with a message naming it (a
//! `base:` that cannot be loaded is reported at the line of `user.yaml` that names it).

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

use bkscope::ui::theme::Theme;

/// A config dir of this process, made once.
fn config_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("bkscope-fuzz-theme-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("themes")).expect("temp dir");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let dir = config_dir();
    std::fs::write(dir.join("themes").join("user.yaml"), text.as_bytes())
        .expect("write the theme file");
    let (_theme, problem) = Theme::load_or_default(Some("user"), Some(dir));
    if let Some(e) = problem {
        assert!(e.to_string().contains("user.yaml"), "{e}");
    }
});
