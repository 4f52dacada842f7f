//! Moving between fields, errors, submitting and cancelling, read-only forms, values.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;

#[test]
fn focus_starts_on_the_first_field_that_takes_it() {
    let form = launch();
    assert_eq!(form.focused_key(), Some("name"));
    let only_notes = Form::new("t").field(Field::note("a", "A", "x"));
    assert_eq!(only_notes.focused_key(), None);
    let mut form = Form::new("t");
    form.push(Field::note("a", "A", "x"));
    form.push(Field::text("b", "B"));
    form.push(Field::text("c", "C"));
    assert_eq!(form.focused_key(), Some("b"));
}

#[test]
fn focus_moves_and_wraps_through_the_submit_line() {
    let mut form = launch();
    let mut seen = vec![form.focused_key().map(str::to_string)];
    for _ in 0..8 {
        press(&mut form, KeyCode::Tab);
        seen.push(form.focused_key().map(str::to_string));
    }
    let seen: Vec<Option<&str>> = seen.iter().map(Option::as_deref).collect();
    // The note is skipped; after the submit line, the first field again.
    assert_eq!(
        seen,
        [
            Some("name"),
            Some("version"),
            Some("path"),
            Some("InstanceClass"),
            Some("DBPassword"),
            Some("AllocatedStorage"),
            Some("notify"),
            None,
            Some("name"),
        ]
    );
    press(&mut form, KeyCode::BackTab);
    assert_eq!(form.focused_key(), None);
    press(&mut form, KeyCode::Up);
    assert_eq!(form.focused_key(), Some("notify"));
    press(&mut form, KeyCode::Down);
    press(&mut form, KeyCode::Down);
    assert_eq!(form.focused_key(), Some("name"));
    form.key(typed(KeyEvent::new(KeyCode::Tab, KeyModifiers::SHIFT)));
    assert_eq!(form.focused_key(), None);
    assert!(!form.focus("product"));
    assert!(!form.focus("nope"));
}

#[test]
fn errors_are_set_shown_cleared_and_focused() {
    let mut form = launch();
    assert_eq!(
        form.error("DBPassword"),
        Some("must be at least 16 characters (MinLength)")
    );
    assert!(form.set_error("AllocatedStorage", "must be a number from 20 to 100"));
    assert!(!form.set_error("Nope", "x"));
    form.set_form_error("Product dev-db has no launch path for you");
    assert!(form.has_errors());
    assert!(form.focus_first_error());
    assert_eq!(form.focused_key(), Some("DBPassword"));
    let text = shown(&render(100, 40, &form));
    assert!(text.contains("✗ must be a number from 20 to 100"), "{text}");
    assert!(
        text.contains("✗ Product dev-db has no launch path for you"),
        "{text}"
    );
    // The error is in the theme's error colour.
    let theme = Theme::default();
    let buffer = render(100, 40, &form).backend().buffer().clone();
    let (x, y) = (0..buffer.area.height)
        .flat_map(|y| (0..buffer.area.width).map(move |x| (x, y)))
        .find(|&(x, y)| buffer[(x, y)].symbol() == "✗" && buffer[(x + 2, y)].symbol() == "m")
        .unwrap();
    assert_eq!(Some(buffer[(x, y)].fg), theme.form.error.fg);

    // Editing a field clears its error, not the others'.
    type_in(&mut form, "x");
    assert_eq!(form.error("DBPassword"), None);
    assert!(form.error("AllocatedStorage").is_some());
    // Moving the cursor is not editing.
    form.set_error("DBPassword", "still wrong");
    press(&mut form, KeyCode::Left);
    assert_eq!(form.error("DBPassword"), Some("still wrong"));
    form.clear_errors();
    assert!(!form.has_errors());
    assert_eq!(form.form_error(), None);
    assert!(!form.focus_first_error());
}

#[test]
fn enter_goes_on_then_submits_and_esc_cancels() {
    let mut form = Form::new("t")
        .field(Field::text("a", "A"))
        .field(Field::text("b", "B"));
    assert_eq!(press(&mut form, KeyCode::Enter), FormOutcome::Editing);
    assert_eq!(form.focused_key(), Some("b"));
    assert_eq!(press(&mut form, KeyCode::Enter), FormOutcome::Submit);
    // From the submit line.
    press(&mut form, KeyCode::Tab);
    assert_eq!(form.focused_key(), None);
    assert_eq!(press(&mut form, KeyCode::Enter), FormOutcome::Submit);
    // Ctrl-s from anywhere, an open list included.
    let mut form = launch();
    assert_eq!(ctrl(&mut form, 's'), FormOutcome::Submit);
    form.focus("version");
    press(&mut form, KeyCode::Enter);
    assert_eq!(ctrl(&mut form, 's'), FormOutcome::Submit);
    assert!(!form.is_choosing());
    assert_eq!(press(&mut form, KeyCode::Esc), FormOutcome::Cancel);
    // Enter on a toggle that is the last field submits.
    let mut form = Form::new("t").field(Field::toggle("a", "A", true));
    assert_eq!(press(&mut form, KeyCode::Enter), FormOutcome::Submit);
}

#[test]
fn a_read_only_form_never_submits() {
    let mut form = launch().read_only(true);
    assert!(form.is_read_only());
    assert_eq!(ctrl(&mut form, 's'), FormOutcome::Editing);
    form.focus("notify");
    assert_eq!(press(&mut form, KeyCode::Enter), FormOutcome::Editing);
    press(&mut form, KeyCode::Tab);
    assert_eq!(form.focused_key(), None);
    assert_eq!(press(&mut form, KeyCode::Enter), FormOutcome::Editing);
    assert_eq!(press(&mut form, KeyCode::Char(' ')), FormOutcome::Editing);
    assert!(
        form.hints(Keymap::defaults())
            .iter()
            .all(|(_, what)| *what != "submit")
    );
    assert_eq!(press(&mut form, KeyCode::Esc), FormOutcome::Cancel);
    let text = shown(&render(100, 30, &form));
    assert!(text.contains("READ-ONLY"), "{text}");
    assert!(!text.contains("[ Submit ]"), "{text}");
}

#[test]
fn a_plan_only_form_is_marked_read_only_and_shows_its_plan_with_no_submit_key() {
    let mut form = launch().plan_only(true);
    assert!(form.is_read_only() && form.shows_plan_only());
    let hints = form.hints(Keymap::defaults());
    assert!(
        hints.iter().all(|(_, what)| !what.contains("submit")),
        "{hints:?}"
    );
    assert!(
        hints.contains(&("Ctrl-s".to_string(), "see the plan")),
        "{hints:?}"
    );
    // Ctrl-s, Enter on the last field and on the submit line hand the
    // values over, for a plan that is read-only itself.
    assert_eq!(ctrl(&mut form, 's'), FormOutcome::Submit);
    form.focus("notify");
    assert_eq!(press(&mut form, KeyCode::Enter), FormOutcome::Submit);
    press(&mut form, KeyCode::Tab);
    assert_eq!(form.focused_key(), None);
    assert!(
        form.hints(Keymap::defaults())
            .contains(&("Enter".to_string(), "see the plan"))
    );
    assert_eq!(press(&mut form, KeyCode::Enter), FormOutcome::Submit);
    assert_eq!(press(&mut form, KeyCode::Esc), FormOutcome::Cancel);
    let text = shown(&render(100, 30, &form));
    assert!(text.contains("READ-ONLY"), "{text}");
    for offered in ["[ Submit ]", "Ctrl-s submit", "Enter submit"] {
        assert!(!text.contains(offered), "{offered}: {text}");
    }
    assert!(
        text.contains("[ Submit — READ-ONLY: nothing can be submitted ]"),
        "{text}"
    );
    // Not read-only: an ordinary form.
    let form = launch().plan_only(false);
    assert!(!form.is_read_only());
    assert!(
        form.hints(Keymap::defaults())
            .contains(&("Ctrl-s".to_string(), "submit"))
    );
}

/// A text field keeps the keyboard whatever is typed into it: Backspace
/// on an empty field does nothing, and no key but Esc, Enter, Ctrl-s and
/// the focus keys leaves it or submits.
#[test]
fn a_text_field_keeps_the_keyboard_whatever_is_typed() {
    use proptest::prelude::*;
    let key = prop_oneof![
        8 => Just(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)),
        3 => any::<char>().prop_map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        2 => prop_oneof![
            Just(KeyCode::Delete),
            Just(KeyCode::Left),
            Just(KeyCode::Right),
            Just(KeyCode::Home),
            Just(KeyCode::End),
            Just(KeyCode::PageUp),
            Just(KeyCode::PageDown),
            Just(KeyCode::Insert),
            (1u8..=12).prop_map(KeyCode::F),
        ]
        .prop_map(|c| KeyEvent::new(c, KeyModifiers::NONE)),
        1 => (proptest::char::range('a', 'z'), prop_oneof![
            Just(KeyModifiers::CONTROL),
            Just(KeyModifiers::ALT),
            Just(KeyModifiers::SHIFT),
        ])
            .prop_filter("Ctrl-s submits", |(c, m)| !(*c == 's' && *m == KeyModifiers::CONTROL))
            .prop_map(|(c, m)| KeyEvent::new(KeyCode::Char(c), m)),
    ];
    let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases: 128,
        failure_persistence: None,
        ..Default::default()
    });
    runner
        .run(
            &(
                proptest::collection::vec(key, 1..60),
                any::<bool>(),
                any::<bool>(),
            ),
            |(keys, masked, read_only)| {
                let field = if masked {
                    Field::masked("secret", "Secret")
                } else {
                    Field::text("name", "Name")
                };
                let mut form = Form::new("t")
                    .field(field)
                    .field(Field::text("other", "Other"))
                    .plan_only(read_only);
                let focused = form.focused_key().map(str::to_string);
                for key in keys {
                    prop_assert_eq!(form.key(typed(key)), FormOutcome::Editing, "{:?}", key);
                    prop_assert_eq!(form.focused_key().map(str::to_string), focused.clone());
                }
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn values_are_read_back_by_key() {
    let mut form = launch();
    assert_eq!(
        form.values(),
        [
            ("name".to_string(), FieldValue::Text("dev-db-1".into())),
            (
                "version".to_string(),
                FieldValue::Choice("v1.3 (latest)".into())
            ),
            (
                "path".to_string(),
                FieldValue::Choice("Networking (launch role ops-launch)".into())
            ),
            (
                "InstanceClass".to_string(),
                FieldValue::Choice("db.t3.small".into())
            ),
            (
                "DBPassword".to_string(),
                FieldValue::Text("hunter2-secret".into())
            ),
            (
                "AllocatedStorage".to_string(),
                FieldValue::Text("20".into())
            ),
            ("notify".to_string(), FieldValue::Toggle(false)),
        ]
    );
    assert_eq!(form.value("product"), None);
    assert_eq!(form.value("nope"), None);
    assert_eq!(FieldValue::Toggle(true).as_str(), "true");
    assert!(form.set_value("version", "v1.2"));
    assert!(!form.set_value("version", "v9"));
    assert_eq!(form.selected("version"), Some(1));
    assert!(form.set_value("notify", "yes"));
    assert!(form.is_on("notify"));
    assert!(form.set_value("name", "other"));
    assert_eq!(form.value("name"), Some("other"));
    // New options keep the chosen one when it is still offered.
    assert!(form.set_options("version", vec!["v1.4".into(), "v1.2".into()]));
    assert_eq!(form.value("version"), Some("v1.2"));
    assert!(form.set_options("version", vec!["v2".into()]));
    assert_eq!(form.value("version"), Some("v2"));
    assert!(!form.set_options("name", vec![]));
    assert_eq!(
        form.fields()[0].kind(),
        FieldKind::Note,
        "{:?}",
        form.fields()[0]
    );
    assert_eq!(form.fields()[1].key(), "name");
    assert_eq!(form.fields()[1].label(), "Provisioned name");
}

#[test]
fn a_rebound_submit_key_submits_and_its_hint_says_so() {
    let keymap = Keymap::defaults()
        .overlay("[actions]\nsubmit = [\"ctrl-o\"]\n", "keymap.toml")
        .unwrap();
    let mut form = launch();
    let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    assert_eq!(form.key(keymap.typed(&ctrl('s'))), FormOutcome::Editing);
    assert_eq!(form.key(keymap.typed(&ctrl('o'))), FormOutcome::Submit);
    assert!(
        form.hints(&keymap)
            .contains(&("Ctrl-o".to_string(), "submit"))
    );
}
