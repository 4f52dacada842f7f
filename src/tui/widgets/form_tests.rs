use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

use super::*;
use crate::tui::theme::Theme;

fn press(form: &mut Form, code: KeyCode) -> FormOutcome {
    form.key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(form: &mut Form, c: char) -> FormOutcome {
    form.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn type_in(form: &mut Form, text: &str) {
    for c in text.chars() {
        assert_eq!(press(form, KeyCode::Char(c)), FormOutcome::Editing);
    }
}

/// A launch: a name, a version, a launch path, a parameter with allowed
/// values, a NoEcho one with an error, a free one, a toggle.
fn launch() -> Form {
    Form::new("Launch dev-db")
        .intro("Product dev-db from portfolio Networking (imported from 111111111111)")
        .field(Field::note(
            "product",
            "Product",
            "dev-db · owner Platform team",
        ))
        .field(
            Field::text("name", "Provisioned name")
                .required()
                .value("dev-db-1")
                .help("A name for the provisioned product, unique in this account"),
        )
        .field(Field::choice(
            "version",
            "Version",
            ["v1.3 (latest)", "v1.2", "v1.1 (deprecated)"],
        ))
        .field(Field::choice(
            "path",
            "Launch path",
            ["Networking (launch role ops-launch)", "Sandbox"],
        ))
        .field(
            Field::choice(
                "InstanceClass",
                "InstanceClass",
                ["db.t3.micro", "db.t3.small", "db.m5.large", "db.r6g.xlarge"],
            )
            .value("db.t3.small")
            .help("The database instance class"),
        )
        .field(
            Field::masked("DBPassword", "DBPassword")
                .required()
                .value("hunter2-secret")
                .help("The master password (NoEcho)")
                .error("must be at least 16 characters (MinLength)"),
        )
        .field(
            Field::text("AllocatedStorage", "AllocatedStorage")
                .value("20")
                .help("Storage in GiB, 20 to 100"),
        )
        .field(Field::toggle("notify", "Notify on events", false))
}

fn render(width: u16, height: u16, form: &Form) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let theme = Theme::default();
    terminal
        .draw(|frame| draw(frame, frame.area(), form, &theme))
        .unwrap();
    terminal
}

fn shown(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut hidden = 0;
        for x in 0..buffer.area.width {
            // The cells a wide character covers.
            if hidden > 0 {
                hidden -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            hidden = crate::tui::widgets::text::width(symbol).saturating_sub(1);
            out.push_str(symbol);
        }
        out.push('\n');
    }
    out
}

fn text_of(form: &Form, key: &str) -> (String, usize) {
    let field = form.fields.iter().find(|f| f.key == key).unwrap();
    match &field.input {
        Input::Text { value, cursor, .. } => (value.clone(), *cursor),
        other => panic!("{other:?}"),
    }
}

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
fn typing_edits_at_the_cursor() {
    let mut form = Form::new("t").field(Field::text("a", "A"));
    type_in(&mut form, "abc");
    press(&mut form, KeyCode::Left);
    type_in(&mut form, "X");
    assert_eq!(text_of(&form, "a"), ("abXc".into(), 3));
    press(&mut form, KeyCode::Home);
    press(&mut form, KeyCode::Delete);
    assert_eq!(text_of(&form, "a"), ("bXc".into(), 0));
    press(&mut form, KeyCode::End);
    press(&mut form, KeyCode::Backspace);
    assert_eq!(text_of(&form, "a"), ("bX".into(), 2));
    // Backspace at the start and Delete at the end do nothing.
    press(&mut form, KeyCode::Delete);
    press(&mut form, KeyCode::Home);
    press(&mut form, KeyCode::Backspace);
    press(&mut form, KeyCode::Left);
    assert_eq!(text_of(&form, "a"), ("bX".into(), 0));
    ctrl(&mut form, 'e');
    assert_eq!(text_of(&form, "a").1, 2);
    ctrl(&mut form, 'a');
    assert_eq!(text_of(&form, "a").1, 0);
    // Shifted letters type; Ctrl and Alt letters do not; AltGr does.
    form.key(KeyEvent::new(KeyCode::Char('Q'), KeyModifiers::SHIFT));
    form.key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT));
    form.key(KeyEvent::new(
        KeyCode::Char('@'),
        KeyModifiers::CONTROL | KeyModifiers::ALT,
    ));
    assert_eq!(text_of(&form, "a"), ("Q@bX".into(), 2));
    ctrl(&mut form, 'u');
    assert_eq!(text_of(&form, "a"), (String::new(), 0));
    // A key release is not a key.
    form.key(KeyEvent::new_with_kind(
        KeyCode::Char('z'),
        KeyModifiers::NONE,
        KeyEventKind::Release,
    ));
    assert_eq!(form.value("a"), Some(""));
}

#[test]
fn the_cursor_moves_by_grapheme_through_wide_and_combined_characters() {
    let mut form = Form::new("t").field(Field::text("a", "A").value("日本e\u{301}👩‍💻x"));
    press(&mut form, KeyCode::Left);
    press(&mut form, KeyCode::Left);
    // Before the emoji (one grapheme, 11 bytes).
    assert_eq!(text_of(&form, "a").1, "日本e\u{301}".len());
    press(&mut form, KeyCode::Backspace);
    assert_eq!(form.value("a"), Some("日本👩‍💻x"));
    press(&mut form, KeyCode::Left);
    type_in(&mut form, "中");
    assert_eq!(form.value("a"), Some("日中本👩‍💻x"));
    // A combining mark joins the character before it; the cursor stays
    // on a boundary.
    type_in(&mut form, "a\u{308}");
    assert_eq!(form.value("a"), Some("日中a\u{308}本👩‍💻x"));
    let (value, cursor) = text_of(&form, "a");
    assert_eq!(&value[cursor..], "本👩‍💻x");
    press(&mut form, KeyCode::Backspace);
    assert_eq!(form.value("a"), Some("日中本👩‍💻x"));
    press(&mut form, KeyCode::Delete);
    assert_eq!(form.value("a"), Some("日中👩‍💻x"));
    // Inserting a letter before a combining mark it then carries.
    let mut form = Form::new("t").field(Field::text("a", "A").value("\u{301}"));
    press(&mut form, KeyCode::Home);
    type_in(&mut form, "e");
    assert_eq!(text_of(&form, "a"), ("e\u{301}".into(), 3));
    // Control characters are not typed.
    type_in(&mut form, "\u{1b}\n");
    assert_eq!(form.value("a"), Some("e\u{301}"));
}

#[test]
fn typing_past_the_maximum_is_refused_and_said() {
    let mut form = Form::new("t").field(Field::text("a", "A").max_len(3));
    type_in(&mut form, "abcd");
    assert_eq!(form.value("a"), Some("abc"));
    assert_eq!(form.error("a"), Some("at most 3 characters"));
    press(&mut form, KeyCode::Backspace);
    assert_eq!(form.error("a"), None);
    // The default maximum.
    let full = "x".repeat(MAX_LEN);
    let mut form = Form::new("t").field(Field::text("a", "A").value(full.clone()));
    type_in(&mut form, "yz");
    assert_eq!(form.value("a"), Some(full.as_str()));
    assert!(form.error("a").is_some());
    // A huge value is drawn without trouble.
    let terminal = render(80, 12, &form);
    assert!(shown(&terminal).contains("xxxxxxxx"));
}

#[test]
fn a_masked_field_never_shows_its_value() {
    let mut form = launch();
    assert!(form.focus("DBPassword"));
    for (width, height) in [(100, 30), (60, 40), (30, 10), (20, 5)] {
        let text = shown(&render(width, height, &form));
        assert!(!text.contains("hunter"), "{text}");
        assert!(!text.contains("secret"), "{text}");
    }
    let text = shown(&render(100, 30, &form));
    assert!(text.contains("••••••••••••••"), "{text}");
    // Typed in, still dots; the value is there to read back.
    type_in(&mut form, "!");
    let text = shown(&render(100, 30, &form));
    assert!(!text.contains('!'), "{text}");
    assert_eq!(form.value("DBPassword"), Some("hunter2-secret!"));
    // Unfocused too.
    press(&mut form, KeyCode::Tab);
    let text = shown(&render(100, 30, &form));
    assert!(!text.contains("hunter"), "{text}");
}

#[test]
fn a_choice_cycles_and_its_list_opens_filters_and_picks() {
    let mut form = launch();
    assert!(form.focus("InstanceClass"));
    assert_eq!(form.value("InstanceClass"), Some("db.t3.small"));
    press(&mut form, KeyCode::Right);
    assert_eq!(form.value("InstanceClass"), Some("db.m5.large"));
    press(&mut form, KeyCode::Right);
    press(&mut form, KeyCode::Right);
    assert_eq!(form.value("InstanceClass"), Some("db.t3.micro"));
    press(&mut form, KeyCode::Left);
    assert_eq!(form.selected("InstanceClass"), Some(3));

    // Enter opens the list on the chosen option; ↑/↓ move in it.
    press(&mut form, KeyCode::Enter);
    assert!(form.is_choosing());
    press(&mut form, KeyCode::Up);
    press(&mut form, KeyCode::Up);
    assert_eq!(press(&mut form, KeyCode::Enter), FormOutcome::Editing);
    assert!(!form.is_choosing());
    assert_eq!(form.value("InstanceClass"), Some("db.t3.small"));
    assert_eq!(form.focused_key(), Some("InstanceClass"));

    // Typing filters; Enter picks the highlighted match.
    press(&mut form, KeyCode::Char(' '));
    type_in(&mut form, "m5");
    assert_eq!(form.matches(), [2]);
    press(&mut form, KeyCode::Enter);
    assert_eq!(form.value("InstanceClass"), Some("db.m5.large"));

    // Typing on a closed choice opens it filtered.
    type_in(&mut form, "T3");
    assert!(form.is_choosing());
    assert_eq!(form.matches(), [0, 1]);
    press(&mut form, KeyCode::Down);
    press(&mut form, KeyCode::Down);
    press(&mut form, KeyCode::Enter);
    assert_eq!(form.value("InstanceClass"), Some("db.t3.small"));

    // Esc closes the list only; nothing matching keeps the value.
    press(&mut form, KeyCode::Enter);
    press(&mut form, KeyCode::Down);
    assert_eq!(press(&mut form, KeyCode::Esc), FormOutcome::Editing);
    assert_eq!(form.value("InstanceClass"), Some("db.t3.small"));
    type_in(&mut form, "zzz");
    assert!(form.matches().is_empty());
    press(&mut form, KeyCode::Enter);
    assert_eq!(form.value("InstanceClass"), Some("db.t3.small"));
    // Backspace and Ctrl-u edit the filter.
    type_in(&mut form, "r6x");
    press(&mut form, KeyCode::Backspace);
    assert_eq!(form.matches(), [3]);
    ctrl(&mut form, 'u');
    assert_eq!(form.matches().len(), 4);
    // Tab closes the list and moves on.
    press(&mut form, KeyCode::Tab);
    assert!(!form.is_choosing());
    assert_eq!(form.focused_key(), Some("DBPassword"));
    assert_eq!(form.value("InstanceClass"), Some("db.t3.small"));
}

#[test]
fn a_long_list_scrolls_with_its_highlight() {
    let options: Vec<String> = (1..=30).map(|i| format!("v{i}")).collect();
    let mut form = Form::new("t").field(Field::choice("v", "Version", options));
    press(&mut form, KeyCode::Enter);
    for _ in 0..10 {
        press(&mut form, KeyCode::Down);
    }
    let picker = form.picker.clone().unwrap();
    assert_eq!((picker.highlight, picker.offset), (10, 10 + 1 - LIST_ROWS));
    press(&mut form, KeyCode::PageDown);
    press(&mut form, KeyCode::End);
    assert_eq!(form.picker.as_ref().unwrap().highlight, 29);
    let text = shown(&render(60, 20, &form));
    assert!(text.contains("v30"), "{text}");
    assert!(!text.contains(" v2 "), "{text}");
    press(&mut form, KeyCode::Home);
    press(&mut form, KeyCode::Enter);
    assert_eq!(form.value("v"), Some("v1"));
    // A choice with no options: nothing to choose, nothing breaks.
    let mut form = Form::new("t").field(Field::choice("v", "V", Vec::<String>::new()));
    press(&mut form, KeyCode::Right);
    press(&mut form, KeyCode::Enter);
    press(&mut form, KeyCode::Enter);
    assert_eq!(form.value("v"), Some(""));
    assert_eq!(form.selected("v"), None);
    render(40, 10, &form);
}

#[test]
fn space_flips_a_toggle() {
    let mut form = launch();
    assert!(form.focus("notify"));
    assert!(!form.is_on("notify"));
    press(&mut form, KeyCode::Char(' '));
    assert!(form.is_on("notify"));
    assert_eq!(form.value("notify"), Some("true"));
    press(&mut form, KeyCode::Left);
    assert!(!form.is_on("notify"));
    press(&mut form, KeyCode::Char('x'));
    assert!(!form.is_on("notify"));
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
    form.key(KeyEvent::new(KeyCode::Tab, KeyModifiers::SHIFT));
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
    assert!(form.hints().iter().all(|(_, what)| *what != "submit"));
    assert_eq!(press(&mut form, KeyCode::Esc), FormOutcome::Cancel);
    let text = shown(&render(100, 30, &form));
    assert!(text.contains("READ-ONLY"), "{text}");
    assert!(!text.contains("[ Submit ]"), "{text}");
}

#[test]
fn a_plan_only_form_is_marked_read_only_and_shows_its_plan_with_no_submit_key() {
    let mut form = launch().plan_only(true);
    assert!(form.is_read_only() && form.shows_plan_only());
    let hints = form.hints();
    assert!(
        hints.iter().all(|(_, what)| !what.contains("submit")),
        "{hints:?}"
    );
    assert!(hints.contains(&("Ctrl-s", "see the plan")), "{hints:?}");
    // Ctrl-s, Enter on the last field and on the submit line hand the
    // values over, for a plan that is read-only itself.
    assert_eq!(ctrl(&mut form, 's'), FormOutcome::Submit);
    form.focus("notify");
    assert_eq!(press(&mut form, KeyCode::Enter), FormOutcome::Submit);
    press(&mut form, KeyCode::Tab);
    assert_eq!(form.focused_key(), None);
    assert!(form.hints().contains(&("Enter", "see the plan")));
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
    assert!(form.hints().contains(&("Ctrl-s", "submit")));
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
                    prop_assert_eq!(form.key(key), FormOutcome::Editing, "{:?}", key);
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
fn control_characters_never_reach_the_terminal() {
    let form = Form::new("Evil\u{1b}]0;pwned\u{7}")
        .intro("intro \u{1b}[2J")
        .field(
            Field::text("a", "Label\u{1b}[31m")
                .value("x\u{1b}[1;1H\u{9b}y")
                .help("help\u{1b}[5m\nmore"),
        )
        .field(Field::choice("b", "B", ["opt\u{1b}c"]).error("bad\u{7}"));
    let terminal = render(100, 20, &form);
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert!(
            !cell.symbol().chars().any(char::is_control),
            "{:?}",
            cell.symbol()
        );
    }
    let text = shown(&terminal);
    assert!(text.contains("x␛[1;1H?y"), "{text}");
    assert!(text.contains("Label␛[31m"), "{text}");
    assert!(text.contains("opt␛c"), "{text}");
    // The value itself is untouched.
    assert_eq!(form.value("a"), Some("x\u{1b}[1;1H\u{9b}y"));
}

#[test]
fn a_long_value_scrolls_to_keep_the_cursor_in_sight() {
    let long: String = (0..20).map(|i| format!("word{i:02}-")).collect();
    let mut form = Form::new("t").field(Field::text("a", "A").value(long.clone()));
    let text = shown(&render(50, 10, &form));
    assert!(text.contains("word19-"), "{text}");
    assert!(!text.contains("word00"), "{text}");
    press(&mut form, KeyCode::Home);
    let text = shown(&render(50, 10, &form));
    assert!(text.contains("word00-"), "{text}");
    assert!(!text.contains("word19"), "{text}");
    // Moving right within the window does not scroll it.
    for _ in 0..10 {
        press(&mut form, KeyCode::Right);
    }
    let text = shown(&render(50, 10, &form));
    assert!(text.contains("word00-"), "{text}");
    // Wide characters too.
    let mut form = Form::new("t").field(Field::text("a", "A").value("日本語".repeat(30)));
    let text = shown(&render(50, 10, &form));
    assert!(text.contains("日本語日本語"), "{text}");
    press(&mut form, KeyCode::Home);
    for _ in 0..45 {
        press(&mut form, KeyCode::Right);
    }
    render(50, 10, &form);
    // Unfocused, a long value shows its start and a cut.
    let form = Form::new("t")
        .field(Field::text("b", "B"))
        .field(Field::text("a", "A").value(long));
    let text = shown(&render(50, 10, &form));
    assert!(text.contains("word00-word01-"), "{text}");
    assert!(text.contains('…'), "{text}");
}

#[test]
fn many_fields_scroll_to_keep_the_focused_one_in_sight() {
    let mut form = Form::new("Many parameters");
    for i in 0..30 {
        form.push(Field::text(format!("p{i}"), format!("Param{i:02}")).help("help"));
    }
    let text = shown(&render(60, 16, &form));
    assert!(text.contains("Param00"), "{text}");
    assert!(text.contains("▼ more"), "{text}");
    for _ in 0..20 {
        press(&mut form, KeyCode::Tab);
    }
    let text = shown(&render(60, 16, &form));
    assert!(text.contains("› Param20"), "{text}");
    assert!(!text.contains("Param00"), "{text}");
    assert!(text.contains("▲▼ more"), "{text}");
    // Going back up a little does not move the window.
    let top_before = form.scroll.get();
    press(&mut form, KeyCode::Up);
    render(60, 16, &form);
    assert_eq!(form.scroll.get(), top_before);
    // The submit line at the end.
    press(&mut form, KeyCode::BackTab);
    form.focus("p29");
    press(&mut form, KeyCode::Tab);
    let text = shown(&render(60, 16, &form));
    assert!(text.contains("[ Submit ]"), "{text}");
    // Back to the first.
    press(&mut form, KeyCode::Tab);
    let text = shown(&render(60, 16, &form));
    assert!(text.contains("› Param00"), "{text}");
}

#[test]
fn any_size_draws_without_panicking() {
    let mut form = launch();
    form.set_form_error("a problem of the whole form");
    press(&mut form, KeyCode::Tab);
    press(&mut form, KeyCode::Enter);
    for width in [0, 1, 2, 3, 5, 10, 20, 23, 24, 40, 99, 100, 101, 250] {
        for height in [0, 1, 2, 3, 4, 5, 8, 12, 40] {
            render(width, height, &form);
        }
    }
    // Drawn in part of the screen, off its origin.
    let mut terminal = Terminal::new(TestBackend::new(60, 20)).unwrap();
    terminal
        .draw(|frame| {
            let area = Rect::new(7, 3, 30, 9);
            draw(frame, area, &form, &Theme::default());
        })
        .unwrap();
}

#[test]
fn snapshot_a_launch_form() {
    let mut form = launch();
    form.focus("DBPassword");
    insta::assert_snapshot!(render(100, 30, &form).backend());
}

#[test]
fn snapshot_an_open_choice_list() {
    let mut form = launch();
    form.focus("InstanceClass");
    type_in(&mut form, "t3");
    press(&mut form, KeyCode::Down);
    insta::assert_snapshot!(render(80, 30, &form).backend());
}

#[test]
fn snapshot_a_read_only_form() {
    let form = launch().read_only(true);
    insta::assert_snapshot!(render(100, 30, &form).backend());
}

#[test]
fn snapshot_a_tiny_terminal() {
    let form = launch();
    insta::assert_snapshot!(render(20, 5, &form).backend());
}
