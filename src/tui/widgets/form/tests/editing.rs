//! Editing a field: text at the cursor, masked text, choices and their list, toggles.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::*;

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
    form.key(typed(KeyEvent::new(
        KeyCode::Char('Q'),
        KeyModifiers::SHIFT,
    )));
    form.key(typed(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT)));
    form.key(typed(KeyEvent::new(
        KeyCode::Char('@'),
        KeyModifiers::CONTROL | KeyModifiers::ALT,
    )));
    assert_eq!(text_of(&form, "a"), ("Q@bX".into(), 2));
    ctrl(&mut form, 'u');
    assert_eq!(text_of(&form, "a"), (String::new(), 0));
    // A key release is not a key.
    form.key(typed(KeyEvent::new_with_kind(
        KeyCode::Char('z'),
        KeyModifiers::NONE,
        KeyEventKind::Release,
    )));
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

    // Typing on a closed choice opens it filtered (smart case, as a
    // table's filter: a capital respects case, so T3 finds none).
    type_in(&mut form, "T3");
    assert!(form.is_choosing());
    assert!(form.matches().is_empty());
    press(&mut form, KeyCode::Esc);
    type_in(&mut form, "t3");
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
