use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use crate::tui::keymap::Keymap;

fn typed(key: KeyEvent) -> Typed {
    Keymap::defaults().typed(&key)
}

fn press(confirm: &mut Confirm, code: KeyCode) -> ConfirmOutcome {
    confirm.key(typed(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn type_in(confirm: &mut Confirm, text: &str) {
    for c in text.chars() {
        assert_eq!(
            press(confirm, KeyCode::Char(c)),
            ConfirmOutcome::Pending,
            "{c}"
        );
    }
}

/// Updating one provisioned product: versions and parameters before → after.
fn update() -> Confirm {
    Confirm::new("Update vpc-main", "Update vpc-main now?")
        .line(PlanLine::new(
            "Provisioned product",
            "vpc-main (pp-vpc0000001)",
        ))
        .line(PlanLine::change("Version", "v1.2", "v1.3 (latest)").tone(PlanTone::Ok))
        .line(PlanLine::change("CidrBlock", "10.0.0.0/16", "10.1.0.0/16").tone(PlanTone::Warn))
        .line(PlanLine::new("EnableFlowLogs", "true (previous value kept)").tone(PlanTone::Skip))
        .line(
            PlanLine::new(
                "Replaces",
                "the VPC and every subnet in it: resources attached to them are deleted with them",
            )
            .tone(PlanTone::Danger),
        )
}

/// Updating many provisioned products at once.
fn bulk() -> Confirm {
    let mut confirm = Confirm::new(
        "Update 12 provisioned products",
        "Update 12 provisioned products to their latest version?",
    )
    .typed("12");
    for i in 1..=12 {
        confirm.push(PlanLine::change(
            format!("vpc-{i:02}"),
            "v1.2",
            "v1.3 (latest)",
        ));
    }
    confirm.push(
        PlanLine::text("tgw-attach: skipped, its stack is UPDATE_IN_PROGRESS").tone(PlanTone::Skip),
    );
    confirm
}

fn render(width: u16, height: u16, confirm: &Confirm) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let theme = Theme::default();
    terminal
        .draw(|frame| draw(frame, frame.area(), confirm, &theme, Keymap::defaults()))
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

#[test]
fn y_confirms_and_everything_else_says_no() {
    for key in ['y', 'Y'] {
        assert_eq!(
            press(&mut update(), KeyCode::Char(key)),
            ConfirmOutcome::Confirmed
        );
    }
    for code in [
        KeyCode::Char('n'),
        KeyCode::Char('N'),
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Char('x'),
        KeyCode::Char(' '),
        KeyCode::Tab,
        KeyCode::Backspace,
    ] {
        assert_eq!(
            press(&mut update(), code),
            ConfirmOutcome::Cancelled,
            "{code:?}"
        );
    }
    // Ctrl-y is not y; a release or a lone modifier is no answer.
    let mut confirm = update();
    assert_eq!(
        confirm.key(typed(KeyEvent::new(
            KeyCode::Char('y'),
            KeyModifiers::CONTROL
        ))),
        ConfirmOutcome::Cancelled
    );
    let mut confirm = update();
    assert_eq!(
        confirm.key(typed(KeyEvent::new_with_kind(
            KeyCode::Enter,
            KeyModifiers::NONE,
            KeyEventKind::Release
        ))),
        ConfirmOutcome::Pending
    );
    assert_eq!(
        press(
            &mut confirm,
            KeyCode::Modifier(crossterm::event::ModifierKeyCode::LeftShift)
        ),
        ConfirmOutcome::Pending
    );
    // The scroll keys scroll.
    for code in [
        KeyCode::Down,
        KeyCode::Up,
        KeyCode::PageDown,
        KeyCode::PageUp,
        KeyCode::Char('j'),
        KeyCode::Char('k'),
        KeyCode::Home,
        KeyCode::End,
    ] {
        assert_eq!(
            press(&mut confirm, code),
            ConfirmOutcome::Pending,
            "{code:?}"
        );
    }
    assert_eq!(
        press(&mut confirm, KeyCode::Char('y')),
        ConfirmOutcome::Confirmed
    );
    assert_eq!(confirm.kind(), &ConfirmKind::YesNo);
}

#[test]
fn a_typed_confirmation_needs_the_word() {
    let mut confirm = bulk();
    assert_eq!(
        press(&mut confirm, KeyCode::Char('y')),
        ConfirmOutcome::Pending
    );
    assert_eq!(press(&mut confirm, KeyCode::Enter), ConfirmOutcome::Pending);
    assert_eq!(
        confirm.error(),
        Some("“y” is not 12: type 12 to go ahead, or Esc to change nothing")
    );
    assert_eq!(confirm.typed_text(), "");
    type_in(&mut confirm, "11");
    assert_eq!(confirm.error(), None);
    assert_eq!(press(&mut confirm, KeyCode::Enter), ConfirmOutcome::Pending);
    assert!(confirm.error().unwrap().contains("“11” is not 12"));
    let text = shown(&render(100, 30, &confirm));
    assert!(text.contains("✗ “11” is not 12"), "{text}");
    // Empty: says what to type.
    assert_eq!(press(&mut confirm, KeyCode::Enter), ConfirmOutcome::Pending);
    assert_eq!(
        confirm.error(),
        Some("Type 12 to go ahead, or Esc to change nothing")
    );
    // Editing, scrolling, then the right word.
    type_in(&mut confirm, "129");
    press(&mut confirm, KeyCode::Backspace);
    assert_eq!(confirm.typed_text(), "12");
    assert_eq!(press(&mut confirm, KeyCode::Down), ConfirmOutcome::Pending);
    assert_eq!(press(&mut confirm, KeyCode::Tab), ConfirmOutcome::Pending);
    assert_eq!(
        press(&mut confirm, KeyCode::Enter),
        ConfirmOutcome::Confirmed
    );
    // Ctrl-u clears; Esc cancels.
    let mut confirm = bulk();
    type_in(&mut confirm, "12");
    confirm.key(typed(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(confirm.typed_text(), "");
    assert_eq!(press(&mut confirm, KeyCode::Esc), ConfirmOutcome::Cancelled);
    // A word, in any case, with spaces around it.
    let mut confirm = Confirm::new("Share", "Share with the organization?").typed("share");
    type_in(&mut confirm, " SHARE ");
    assert_eq!(
        press(&mut confirm, KeyCode::Enter),
        ConfirmOutcome::Confirmed
    );
    // The answer has a length limit.
    let mut confirm = bulk();
    type_in(&mut confirm, &"1".repeat(200));
    assert_eq!(confirm.typed_text().len(), 64);
}

#[test]
fn a_read_only_plan_is_shown_and_cannot_be_confirmed() {
    let mut confirm = update().read_only(true);
    assert!(confirm.is_read_only());
    assert_eq!(press(&mut confirm, KeyCode::Down), ConfirmOutcome::Pending);
    assert_eq!(
        press(&mut confirm, KeyCode::Char('y')),
        ConfirmOutcome::Cancelled
    );
    let mut confirm = bulk().read_only(true);
    for c in "12".chars() {
        assert_ne!(
            press(&mut confirm, KeyCode::Char(c)),
            ConfirmOutcome::Confirmed
        );
    }
    assert_eq!(
        press(&mut confirm, KeyCode::Enter),
        ConfirmOutcome::Cancelled
    );
    let text = shown(&render(100, 30, &confirm));
    assert!(text.contains("READ-ONLY"), "{text}");
    assert!(!text.contains("Type 12"), "{text}");
    assert_eq!(
        confirm.hints(Keymap::defaults())[0],
        ("any key".to_string(), "close")
    );
}

#[test]
fn a_long_plan_scrolls_within_its_box() {
    let mut confirm = bulk();
    let text = shown(&render(80, 12, &confirm));
    assert!(text.contains("vpc-01"), "{text}");
    assert!(!text.contains("tgw-attach"), "{text}");
    assert!(text.contains("▼ more"), "{text}");
    // The question and the answer stay in sight.
    assert!(text.contains("Type 12 to go ahead"), "{text}");
    press(&mut confirm, KeyCode::End);
    let text = shown(&render(80, 12, &confirm));
    assert!(text.contains("tgw-attach"), "{text}");
    assert!(!text.contains("vpc-01 "), "{text}");
    assert!(text.contains("▲ more"), "{text}");
    // Drawing brought the scroll back in range: one line up shows more.
    let bottom = confirm.scroll();
    press(&mut confirm, KeyCode::Up);
    assert_eq!(confirm.scroll(), bottom - 1);
    press(&mut confirm, KeyCode::PageUp);
    press(&mut confirm, KeyCode::PageUp);
    assert_eq!(confirm.scroll(), 0);
}

#[test]
fn tones_have_symbols_and_colours_from_the_theme() {
    let confirm = update();
    let terminal = render(100, 20, &confirm);
    let text = shown(&terminal);
    assert!(text.contains("✓ Version"), "{text}");
    assert!(text.contains("v1.2 → v1.3 (latest)"), "{text}");
    assert!(text.contains("! CidrBlock"), "{text}");
    assert!(text.contains("· EnableFlowLogs"), "{text}");
    assert!(text.contains("✗ Replaces"), "{text}");
    assert!(text.contains("Update vpc-main now? [y/N]"), "{text}");
    let theme = Theme::default();
    let buffer = terminal.backend().buffer();
    let fg_of = |symbol: &str| {
        let cell = buffer
            .content()
            .iter()
            .find(|c| c.symbol() == symbol)
            .unwrap();
        Some(cell.fg)
    };
    assert_eq!(fg_of("✓"), theme.tones.good.fg);
    assert_eq!(fg_of("!"), theme.tones.warn.fg);
    assert_eq!(fg_of("✗"), theme.tones.bad.fg);
    assert_eq!(fg_of("→"), theme.tones.dim.fg);
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let confirm = Confirm::new("T\u{1b}[2J", "Go\u{7}?")
        .line(PlanLine::change("a\u{1b}", "b\u{9b}", "c\nd"))
        .note("n\u{1b}]0;x\u{7}")
        .typed("w\u{1b}");
    let terminal = render(80, 20, &confirm);
    for cell in terminal.backend().buffer().content() {
        assert!(
            !cell.symbol().chars().any(char::is_control),
            "{:?}",
            cell.symbol()
        );
    }
    // Whitespace (a newline too) separates the words of a plan line.
    assert!(shown(&terminal).contains("b? → c d"));
}

#[test]
fn any_size_draws_without_panicking() {
    let mut confirm = bulk();
    type_in(&mut confirm, "1");
    press(&mut confirm, KeyCode::Enter);
    for c in [
        confirm,
        update(),
        update().read_only(true),
        Confirm::new("", ""),
    ] {
        for width in [0, 1, 2, 3, 5, 10, 20, 24, 40, 100, 250] {
            for height in [0, 1, 2, 3, 4, 5, 8, 40] {
                render(width, height, &c);
            }
        }
    }
}

#[test]
fn snapshot_an_update_plan() {
    insta::assert_snapshot!(render(100, 20, &update()).backend());
}

#[test]
fn snapshot_a_typed_confirmation() {
    let mut confirm =
        bulk().note("Each update is journaled; Esc on the progress leaves it running.");
    type_in(&mut confirm, "1");
    insta::assert_snapshot!(render(90, 26, &confirm).backend());
}

#[test]
fn snapshot_a_read_only_plan() {
    insta::assert_snapshot!(render(100, 20, &update().read_only(true)).backend());
}

#[test]
fn snapshot_a_tiny_terminal() {
    insta::assert_snapshot!(render(20, 5, &update()).backend());
}
