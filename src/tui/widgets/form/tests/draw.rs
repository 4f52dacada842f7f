//! Drawing: nothing unprintable, scrolling to the focus and the cursor, any size, snapshots.

use crossterm::event::KeyCode;

use super::*;

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
            draw(frame, area, &form, &Theme::default(), Keymap::defaults());
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
