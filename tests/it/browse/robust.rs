//! The console against what it cannot choose: AWS data carrying terminal
//! escape sequences, whatever a person types into the filter, the command
//! line and the forms, and a terminal of any size, resized between frames.

use crate::fixtures;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use fixtures::console::{answer_events, events_of, loaded, loaded_with, press, render, type_in};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spoke::model::{Inventory, StackEvent};
use spoke::tui::app::{Command, Input, Msg, State};
use spoke::tui::fixtures as data;
use spoke::tui::views::{self, ViewState};

/// What a hostile or broken name may hold: a window-title change, a
/// clear-screen, a C1 CSI, a bell, a right-to-left override, a newline.
const EVIL: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202e}gnp.exe\n\r\u{7f}";

/// Whether a cell would send the terminal anything but text.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// Every cell of the frame: no control character or reordering mark.
fn assert_safe(terminal: &Terminal<TestBackend>, what: &str) {
    let buffer = terminal.backend().buffer();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            assert!(
                !symbol.chars().any(unsafe_char),
                "{what}: cell ({x}, {y}) holds {symbol:?}\n{}",
                terminal.backend()
            );
        }
    }
}

/// `value` with EVIL after every text field a person reads (names,
/// descriptions, owners, reasons): what an account's data could hold.
fn poisoned<T: serde::Serialize + serde::de::DeserializeOwned>(value: &T) -> T {
    const READ: [&str; 12] = [
        "name",
        "description",
        "provider",
        "owner",
        "distributor",
        "support_description",
        "status_message",
        "reason",
        "logical_id",
        "product_name",
        "path_name",
        "label",
    ];
    fn walk(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m.iter_mut() {
                    match v {
                        serde_json::Value::String(s) if READ.contains(&k.as_str()) => {
                            s.push_str(EVIL)
                        }
                        other => walk(other),
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(walk),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(value).unwrap();
    walk(&mut v);
    serde_json::from_value(v).unwrap()
}

#[test]
fn escape_sequences_in_aws_data_never_reach_the_terminal() {
    let inventory: Inventory = poisoned(&data::inventory());
    assert!(
        serde_json::to_string(&inventory).unwrap().contains("pwned"),
        "the fixture was poisoned"
    );
    let events: Vec<StackEvent> = poisoned(&data::events());
    // Each screen with its detail pane, and the overlays.
    let views: [&[KeyCode]; 8] = [
        &[KeyCode::Char('1')],
        &[KeyCode::Char('1'), KeyCode::Enter],
        &[KeyCode::Char('2')],
        &[KeyCode::Char('3')],
        &[KeyCode::Char('4')],
        &[KeyCode::Char('4'), KeyCode::Char('j'), KeyCode::Char('j')],
        &[KeyCode::Char('?')],
        &[KeyCode::Char('@')],
    ];
    for keys in views {
        let mut state = loaded_with(inventory.clone(), true);
        for k in keys {
            press(&mut state, *k);
        }
        for (width, height) in [(160, 40), (80, 24)] {
            assert_safe(&render(&mut state, width, height), &format!("{keys:?}"));
        }
    }
    // A stack's events: the header, the failure reasons, the table.
    let mut state = loaded_with(inventory, true);
    events_of(&mut state, 0, events);
    assert_safe(&render(&mut state, 160, 40), "events");
    // An error from AWS carrying them, in the status bar.
    let polled: Vec<Command> = (0..400).flat_map(|_| state.update(Msg::Tick)).collect();
    answer_events(&mut state, &polled, Err(format!("AccessDenied: {EVIL}")));
    assert_safe(&render(&mut state, 160, 40), "an error");
}

/// Text a person might type or paste: wide characters, combining marks,
/// regex syntax, control characters, and very long runs.
fn typed() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,40}",
        "[\\[\\]()*+?.^$|{}\\\\]{1,20}",
        "[\u{4e00}-\u{4e10}\u{1f600}-\u{1f610}\u{301}\u{200d}a-z]{0,30}",
        proptest::collection::vec(any::<char>(), 0..30).prop_map(|c| c.into_iter().collect()),
        "[a-z]{1,3}".prop_map(|s| s.repeat(2000)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn whatever_is_typed_into_the_filter_or_the_command_line_is_drawn_safely(
        text in typed(),
        screen in 1u8..=4,
        command in any::<bool>(),
    ) {
        let mut state = loaded();
        press(&mut state, KeyCode::Char(char::from(b'0' + screen)));
        press(&mut state, KeyCode::Char(if command { ':' } else { '/' }));
        type_in(&mut state, &text);
        assert_safe(&render(&mut state, 100, 24), "typing");
        press(&mut state, KeyCode::Enter);
        assert_safe(&render(&mut state, 100, 24), "entered");
        press(&mut state, KeyCode::Esc);
        render(&mut state, 30, 6);
    }
}

/// A key a person may press while typing into a prompt: printable text
/// (the console's own bindings among it), Backspace far more often than
/// anything (more of them than characters typed), Delete, the arrows,
/// Tab, function keys, and keys with Ctrl, Alt or Shift — all but Esc and
/// Enter (which leave the prompt) and Ctrl-c (which always quits).
fn prompt_key() -> impl Strategy<Value = KeyEvent> {
    fn plain(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }
    let named = prop_oneof![
        Just(KeyCode::Delete),
        Just(KeyCode::Left),
        Just(KeyCode::Right),
        Just(KeyCode::Up),
        Just(KeyCode::Down),
        Just(KeyCode::Home),
        Just(KeyCode::End),
        Just(KeyCode::PageUp),
        Just(KeyCode::PageDown),
        Just(KeyCode::Tab),
        Just(KeyCode::BackTab),
        Just(KeyCode::Insert),
        (1u8..=12).prop_map(KeyCode::F),
    ];
    let modifiers = prop_oneof![
        Just(KeyModifiers::NONE),
        Just(KeyModifiers::SHIFT),
        Just(KeyModifiers::ALT),
        Just(KeyModifiers::CONTROL),
    ];
    prop_oneof![
        8 => Just(plain(KeyCode::Backspace)),
        // The console's bindings: sort, command, filter, act, quit, screens.
        4 => proptest::sample::select("oO:/?@PRxUuslaqjkgG12345 cdf!".chars().collect::<Vec<_>>())
            .prop_map(|c| plain(KeyCode::Char(c))),
        2 => any::<char>().prop_map(|c| plain(KeyCode::Char(c))),
        2 => (named, modifiers.clone()).prop_map(|(code, m)| KeyEvent::new(code, m)),
        1 => (proptest::char::range('a', 'z'), modifiers)
            .prop_filter("Ctrl-c always quits", |(c, m)| !(*c == 'c' && m.contains(KeyModifiers::CONTROL)))
            .prop_map(|(c, m)| KeyEvent::new(KeyCode::Char(c), m)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// A text prompt keeps the keyboard until Esc or Enter: whatever is
    /// typed after `/` or `:`, on any screen or over the call log or the
    /// profile picker, in a read-only session or not, the prompt stays
    /// open, nothing is asked of AWS (no command at all), no overlay or
    /// dialog opens or closes, the screen and its sort stay.
    #[test]
    fn a_prompt_keeps_the_keyboard_whatever_is_typed(
        keys in proptest::collection::vec(prompt_key(), 1..60),
        screen in 1u8..=4,
        over in 0u8..3,
        command in any::<bool>(),
        read_only in any::<bool>(),
    ) {
        let mut state = loaded_with(data::inventory(), read_only);
        press(&mut state, KeyCode::Char(char::from(b'0' + screen)));
        match over {
            1 => { press(&mut state, KeyCode::Char('@')); }
            2 => { press(&mut state, KeyCode::Char('P')); }
            _ => {}
        }
        let prompt = if command { Input::Command } else { Input::Filter };
        press(&mut state, KeyCode::Char(if command { ':' } else { '/' }));
        prop_assert_eq!(state.input(), prompt);
        let (overlay, screen, depth) = (state.overlay(), state.screen(), state.nav().len());
        let sorts = (state.level().table.sort(), state.active_table().sort());
        for key in &keys {
            let commands = state.update(Msg::Key(*key));
            prop_assert!(commands.is_empty(), "{:?} gave {:?}", key, commands);
            prop_assert_eq!(state.input(), prompt, "{:?} closed the prompt", key);
            prop_assert_eq!(state.overlay(), overlay, "{:?}", key);
            prop_assert!(state.dialog().is_none(), "{:?} opened {:?}", key, state.dialog());
            prop_assert_eq!(state.screen(), screen, "{:?}", key);
            prop_assert_eq!(state.nav().len(), depth, "{:?}", key);
            prop_assert_eq!(
                (state.level().table.sort(), state.active_table().sort()),
                sorts,
                "{:?} re-sorted",
                key
            );
            prop_assert!(!state.should_quit(), "{:?} quit", key);
        }
        assert_safe(&render(&mut state, 100, 24), "typed into a prompt");
        // Esc still leaves.
        press(&mut state, KeyCode::Esc);
        prop_assert_eq!(state.input(), Input::None);
    }
}

/// Every screen and overlay, at sizes from one cell to a wall display, and
/// resized between frames: the layout adapts and nothing panics.
#[test]
fn every_screen_at_any_size_and_resized_between_frames() {
    const SIZES: [(u16, u16); 7] = [
        (1, 1),
        (20, 5),
        (40, 10),
        (80, 24),
        (120, 40),
        (200, 60),
        (400, 120),
    ];
    // Screens 1–5, the help, the call log, the profile picker, a command line.
    let views: [&[KeyCode]; 9] = [
        &[KeyCode::Char('1')],
        &[KeyCode::Char('2')],
        &[KeyCode::Char('3')],
        &[KeyCode::Char('4')],
        &[KeyCode::Char('4'), KeyCode::Char('5')],
        &[KeyCode::Char('?')],
        &[KeyCode::Char('@')],
        &[KeyCode::Char('P')],
        &[KeyCode::Char(':'), KeyCode::Char('p')],
    ];
    for keys in views {
        let mut state: State = loaded();
        for k in keys {
            press(&mut state, *k);
        }
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        let mut view = ViewState::default();
        for (width, height) in SIZES.iter().chain(SIZES.iter().rev()) {
            terminal.backend_mut().resize(*width, *height);
            terminal.autoresize().unwrap();
            terminal
                .draw(|frame| views::draw(frame, &state, &mut view))
                .unwrap();
            state.update(view.drawn());
            // and a key on the new size: moving must stay within the table
            press(&mut state, KeyCode::Char('G'));
            press(&mut state, KeyCode::PageUp);
        }
    }
}
