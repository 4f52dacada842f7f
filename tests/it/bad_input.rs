//! Malformed files never panic spoke, and each mistake is reported with
//! the file, the line and what was expected: spoke's config, keymap and
//! theme, a sandbox world and a snapshot, from arbitrary text and from
//! valid files cut short or with a character changed (proptest).

use std::path::Path;

use proptest::prelude::*;
use spoke::model::Snapshot;
use spoke::settings::Config;
use spoke::tui::keymap::Keymap;
use spoke::tui::theme::Theme;

const KEYMAP: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/keymap.toml"));
const THEME: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/themes/default.toml"
));
const WORLD: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/sandbox/default.toml"
));
const CONFIG: &str = "read_only = false\nbulk_policy = \"tag:AutoUpdateProvisionedProduct=true\"\n\n[profiles.prod]\nread_only = true\n";

/// A valid text cut at `cut` (a fraction of it) with `c` put in at `at`.
fn mutated(valid: &str, cut: f64, at: f64, c: char) -> String {
    let mut text: String = valid
        .chars()
        .take((valid.chars().count() as f64 * cut) as usize)
        .collect();
    let at = (text.chars().count() as f64 * at) as usize;
    let byte = text.char_indices().nth(at).map_or(text.len(), |(i, _)| i);
    text.insert(byte, c);
    text
}

/// Text a person or a broken editor might leave in a file.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,200}",
        "[\\[\\]=\"a-z_. \n#{}0-9,:-]{0,200}",
        proptest::collection::vec(any::<u8>(), 0..200)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A settings file's mistake names the file and, when it has one, a line
/// within the file.
fn named(error: &spoke::settings::FileError, path: &Path, text: &str) {
    assert_eq!(error.path, path.display().to_string());
    assert!(!error.message.is_empty());
    if let Some((line, column)) = error.line {
        assert!(
            line >= 1 && line <= text.lines().count().max(1) + 1,
            "{error}"
        );
        assert!(column >= 1, "{error}");
    }
}

fn check_keymap_and_theme(text: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "keymap.toml", text);
    if let (_, Some(e)) = Keymap::load(Some(&path)) {
        named(&e, &path, text);
    }
    let path = write(dir.path(), "theme.toml", text);
    if let (_, Some(e)) = Theme::load(Some(&path)) {
        named(&e, &path, text);
    }
}

fn check_config(text: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "config.toml", text);
    if let Err(e) = Config::load(Some(&path)) {
        let said = e.to_string();
        assert!(said.contains(&path.display().to_string()), "{said}");
    }
}

fn check_world(text: &str) {
    let now = chrono::Utc::now();
    if let Err(e) = spoke::sandbox::scenario::load("world.toml", text, now) {
        assert_eq!(e.file, "world.toml");
        assert!(e.line >= 1 && e.column >= 1, "{e}");
        assert!(!e.message.is_empty());
    }
}

fn check_snapshot(text: &str) {
    if let Err(e) = Snapshot::parse(text.as_bytes()) {
        assert!(!e.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_text_as_a_keymap_or_a_theme(t in text()) {
        check_keymap_and_theme(&t);
    }

    #[test]
    fn a_keymap_or_theme_cut_short_or_changed(cut in 0.0..1.0f64, at in 0.0..1.0f64, c in any::<char>()) {
        check_keymap_and_theme(&mutated(KEYMAP, cut, at, c));
        check_keymap_and_theme(&mutated(THEME, cut, at, c));
    }

    #[test]
    fn any_text_or_a_damaged_config(t in text(), cut in 0.0..1.0f64, at in 0.0..1.0f64, c in any::<char>()) {
        check_config(&t);
        check_config(&mutated(CONFIG, cut, at, c));
    }

    #[test]
    fn any_text_or_a_damaged_world(t in text(), cut in 0.0..1.0f64, at in 0.0..1.0f64, c in any::<char>()) {
        check_world(&t);
        check_world(&mutated(WORLD, cut, at, c));
    }

    #[test]
    fn any_text_or_a_damaged_snapshot(t in text(), cut in 0.0..1.0f64, at in 0.0..1.0f64, c in any::<char>()) {
        check_snapshot(&t);
        let valid = serde_json::to_string(&Snapshot {
            format: spoke::model::SNAPSHOT_FORMAT,
            taken: chrono::DateTime::UNIX_EPOCH,
            tool: "spoke".into(),
            source: "a test".into(),
            accounts: vec![spoke::model::AccountSnapshot::read(
                "spoke-dev".into(),
                spoke::tui::fixtures::inventory(),
            )],
        })
        .unwrap();
        check_snapshot(&mutated(&valid, cut, at, c));
    }
}

#[test]
fn a_config_mistake_names_its_line_and_what_was_expected() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "config.toml",
        "read_only = false\nbulk_policy = 3\n",
    );
    let said = Config::load(Some(&path)).unwrap_err().to_string();
    assert!(said.contains(&path.display().to_string()), "{said}");
    assert!(said.contains("line 2"), "{said}");
    assert!(said.contains("string"), "{said}");
}
