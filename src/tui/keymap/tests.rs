//! The keymap: the embedded defaults, the user's file laid over them,
//! keys as terminals send them.

use super::*;
use crossterm::event::{KeyCode, KeyModifiers};

fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

#[test]
fn the_embedded_keymap_binds_every_action() {
    let keymap = Keymap::defaults();
    for &action in Action::ALL {
        let binding = keymap.binding(action);
        assert!(!binding.keys.is_empty(), "{action:?} has no key");
        assert!(!binding.help.is_empty(), "{action:?} has no help");
    }
    assert_eq!(
        keymap.groups().iter().map(|(g, _)| *g).collect::<Vec<_>>(),
        [
            "Move",
            "Navigate",
            "Table",
            "Stack events",
            "Provisioned product",
            "Act",
            "Console",
            "Typing",
            "Bulk update"
        ]
    );
}

#[test]
fn keys_parse_as_the_file_writes_them() {
    let cases: &[(&str, KeyCode, KeyModifiers)] = &[
        ("j", KeyCode::Char('j'), KeyModifiers::NONE),
        ("G", KeyCode::Char('G'), KeyModifiers::NONE),
        ("shift-g", KeyCode::Char('G'), KeyModifiers::NONE),
        ("?", KeyCode::Char('?'), KeyModifiers::NONE),
        ("-", KeyCode::Char('-'), KeyModifiers::NONE),
        ("down", KeyCode::Down, KeyModifiers::NONE),
        ("ctrl-a", KeyCode::Char('a'), KeyModifiers::CONTROL),
        ("Ctrl-A", KeyCode::Char('a'), KeyModifiers::CONTROL),
        ("ctrl-\\", KeyCode::Char('\\'), KeyModifiers::CONTROL),
        ("ctrl--", KeyCode::Char('-'), KeyModifiers::CONTROL),
        ("shift-tab", KeyCode::BackTab, KeyModifiers::NONE),
        ("space", KeyCode::Char(' '), KeyModifiers::NONE),
        ("enter", KeyCode::Enter, KeyModifiers::NONE),
        ("esc", KeyCode::Esc, KeyModifiers::NONE),
        ("pgup", KeyCode::PageUp, KeyModifiers::NONE),
        ("pgdn", KeyCode::PageDown, KeyModifiers::NONE),
        ("alt-f5", KeyCode::F(5), KeyModifiers::ALT),
    ];
    for (text, code, modifiers) in cases {
        assert_eq!(
            Key::parse(text).unwrap(),
            Key {
                code: *code,
                modifiers: *modifiers
            },
            "{text}"
        );
    }
    assert!(Key::parse("").is_err());
    assert!(Key::parse("f13").is_err());
    let e = Key::parse("dwon").unwrap_err();
    assert!(e.contains("unknown key `dwon`"), "{e}");
}

#[test]
fn terminal_events_find_their_action() {
    let keymap = Keymap::defaults();
    let cases = [
        (press(KeyCode::Char('j'), KeyModifiers::NONE), Action::Down),
        (press(KeyCode::Down, KeyModifiers::NONE), Action::Down),
        // Terminals report G with shift held.
        (
            press(KeyCode::Char('G'), KeyModifiers::SHIFT),
            Action::Bottom,
        ),
        (
            press(KeyCode::Char('a'), KeyModifiers::CONTROL),
            Action::MarkAll,
        ),
        // Ctrl-\ arrives as Ctrl-4 from a plain terminal.
        (
            press(KeyCode::Char('4'), KeyModifiers::CONTROL),
            Action::ClearMarks,
        ),
        (
            press(KeyCode::Char('\\'), KeyModifiers::CONTROL),
            Action::ClearMarks,
        ),
        (press(KeyCode::Char(' '), KeyModifiers::NONE), Action::Mark),
        (press(KeyCode::Char('?'), KeyModifiers::SHIFT), Action::Help),
        (press(KeyCode::Enter, KeyModifiers::NONE), Action::Drill),
        (press(KeyCode::Esc, KeyModifiers::NONE), Action::Back),
        (
            press(KeyCode::Char('3'), KeyModifiers::NONE),
            Action::ScreenConstraints,
        ),
    ];
    for (event, action) in cases {
        assert_eq!(keymap.action(&event), Some(action), "{event:?}");
    }
    assert_eq!(
        keymap.action(&press(KeyCode::Char('z'), KeyModifiers::NONE)),
        None
    );
}

#[test]
fn a_user_file_rebinds_and_takes_keys_from_the_defaults() {
    let keymap = Keymap::defaults()
        .overlay(
            "[actions]\ndown = [\"n\", \"down\"]\n\n[actions.quit]\nkeys = [\"j\"]\nhelp = \"leave\"\n",
            "/home/op/.config/spoke/keymap.toml",
        )
        .unwrap();
    let key = |c| press(KeyCode::Char(c), KeyModifiers::NONE);
    assert_eq!(keymap.action(&key('n')), Some(Action::Down));
    assert_eq!(keymap.action(&key('j')), Some(Action::Quit));
    assert_eq!(keymap.action(&key('q')), None);
    assert_eq!(keymap.help(Action::Quit), "leave");
    assert_eq!(keymap.binding(Action::Down).keys_label(), "n/↓");
    // Actions the file leaves alone keep their keys and help.
    assert_eq!(keymap.action(&key('k')), Some(Action::Up));
    assert_eq!(keymap.help(Action::Up), "previous row");
}

#[test]
fn a_bad_file_names_its_line_and_what_was_expected() {
    let path = "/home/op/.config/spoke/keymap.toml";
    let bad = |text: &str| Keymap::defaults().overlay(text, path).unwrap_err();

    let e = bad("[actions]\ndown = [\"j\"]\ndwon = [\"n\"]\n");
    assert_eq!(e.line, Some((3, 1)), "{e}");
    assert!(
        e.to_string().starts_with(&format!(
            "{path}:3:1: unknown action `dwon`, expected one of: down, up"
        )),
        "{e}"
    );

    let e = bad("[actions]\n\ndown = [\"j\", \"pgdwn\"]\n");
    assert_eq!(e.line, Some((3, 14)), "{e}");
    assert!(e.message.contains("unknown key `pgdwn`"), "{e}");

    let e = bad("[actions]\ndown = [\"x\"]\nup = [\"x\"]\n");
    assert_eq!(e.line, Some((3, 7)), "{e}");
    assert!(e.message.contains("bound to both `down` and `up`"), "{e}");

    let e = bad("[actions.down]\nkyes = [\"x\"]\n");
    assert_eq!(e.line.map(|l| l.0), Some(2), "{e}");
    assert!(e.message.contains("unknown field `kyes`"), "{e}");

    let e = bad("[actions]\ndown = 3\n");
    assert_eq!(e.line.map(|l| l.0), Some(2), "{e}");
    assert!(e.message.contains("a list of keys"), "{e}");

    let e = bad("[actions\n");
    assert_eq!(e.line.map(|l| l.0), Some(1), "{e}");

    let e = bad("[keys]\n");
    assert!(e.message.contains("unknown field `keys`"), "{e}");
}

#[test]
fn load_uses_the_defaults_when_the_file_is_bad_or_missing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keymap.toml");
    let (keymap, error) = Keymap::load(Some(&path));
    assert_eq!(&keymap, Keymap::defaults());
    assert_eq!(error, None);

    std::fs::write(&path, "[actions]\nup = [\"e\"]\n").unwrap();
    let (keymap, error) = Keymap::load(Some(&path));
    assert_eq!(error, None);
    assert_eq!(keymap.keys(Action::Up), [Key::char('e')]);

    std::fs::write(&path, "[actions]\nup = [\"nope-key\"]\n").unwrap();
    let (keymap, error) = Keymap::load(Some(&path));
    assert_eq!(&keymap, Keymap::defaults());
    let error = error.unwrap();
    assert_eq!(error.path, path.display().to_string());
    assert_eq!(error.line, Some((2, 7)));
}

#[test]
fn keys_read_well_in_the_help() {
    let keymap = Keymap::defaults();
    assert_eq!(keymap.binding(Action::Down).keys_label(), "j/↓");
    assert_eq!(keymap.binding(Action::ClearMarks).keys_label(), "Ctrl-\\");
    assert_eq!(keymap.key_label(Action::Mark).as_deref(), Some("Space"));
    assert_eq!(keymap.binding(Action::PageUp).keys_label(), "PgUp/Ctrl-b");
}

#[test]
fn typing_keys_are_data_a_user_may_rebind_in_their_own_context() {
    let key = |code, modifiers| press(code, modifiers);
    let defaults = Keymap::defaults();
    // Esc means `back` while browsing and `cancel` while typing.
    let esc = key(KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(defaults.action(&esc), Some(Action::Back));
    assert_eq!(defaults.typed(&esc), Typed::Do(Action::Cancel));
    // A character types itself, a released key or a lone modifier is nothing.
    assert_eq!(
        defaults.typed(&key(KeyCode::Char('j'), KeyModifiers::NONE)),
        Typed::Char('j')
    );
    assert_eq!(
        defaults.typed(&key(KeyCode::Char('x'), KeyModifiers::CONTROL)),
        Typed::Other
    );
    assert_eq!(
        defaults.typed(&KeyEvent::new_with_kind(
            KeyCode::Enter,
            KeyModifiers::NONE,
            crossterm::event::KeyEventKind::Release
        )),
        Typed::Ignored
    );
    // Shift-Tab as some terminals send it.
    assert_eq!(
        defaults.typed(&key(KeyCode::Tab, KeyModifiers::SHIFT)),
        Typed::Do(Action::PreviousField)
    );
    // Tab is `next_field` while typing and `include_risky` in the bulk plan.
    let tab = key(KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(defaults.typed(&tab), Typed::Do(Action::NextField));
    assert_eq!(
        defaults.action_in(Context::Bulk, &tab),
        Some(Action::IncludeRisky)
    );

    // Submit on Ctrl-o: Ctrl-s leaves `submit`, the hint follows.
    let keymap = defaults
        .overlay("[actions]\nsubmit = [\"ctrl-o\"]\n", "keymap.toml")
        .unwrap();
    assert_eq!(
        keymap.typed(&key(KeyCode::Char('o'), KeyModifiers::CONTROL)),
        Typed::Do(Action::Submit)
    );
    assert_eq!(
        keymap.typed(&key(KeyCode::Char('s'), KeyModifiers::CONTROL)),
        Typed::Other
    );
    assert_eq!(keymap.hint(Action::Submit), "Ctrl-o");
    // A browsing key given to a typing action stays where it was: each
    // context keeps its own keys.
    let keymap = defaults
        .overlay("[actions]\ncancel = [\"ctrl-g\"]\n", "keymap.toml")
        .unwrap();
    assert_eq!(keymap.action(&esc), Some(Action::Back));
    assert_eq!(keymap.typed(&esc), Typed::Other);
}

#[test]
fn a_typing_key_that_types_a_character_is_refused() {
    let e = Keymap::defaults()
        .overlay("[actions]\ndelete_back = [\"h\"]\n", "keymap.toml")
        .unwrap_err();
    assert_eq!(e.line, Some((2, 16)), "{e}");
    assert!(
        e.message
            .contains("`delete_back` is a typing action, and `h` types a character"),
        "{e}"
    );
    // With ctrl- it types nothing, so it may.
    assert!(
        Keymap::defaults()
            .overlay("[actions]\ndelete_back = [\"ctrl-h\"]\n", "keymap.toml")
            .is_ok()
    );
}
