//! The console's state machine driven as a person would, drawn on a test
//! backend: keys in, frames out.
#![allow(dead_code)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spoke::model::{Inventory, StackEvent};
use spoke::tui::app::{Command, Connection, Msg, State};
use spoke::tui::fixtures;
use spoke::tui::views::{self, ViewState};

pub fn press(state: &mut State, code: KeyCode) -> Vec<Command> {
    state.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

pub fn type_in(state: &mut State, text: &str) {
    for c in text.chars() {
        press(state, KeyCode::Char(c));
    }
}

pub fn connect(state: &mut State) -> u64 {
    let commands = state.update(Msg::Connected {
        read_only: state.read_only(),
        generation: state.generation(),
        connection: Connection {
            profile: state.profile().to_string(),
            region: "eu-west-1".into(),
            endpoint: Some("http://127.0.0.1:41234".into()),
        },
        identity: fixtures::identity(),
        no_writer: None,
    });
    let [Command::LoadCatalog { request, .. }] = commands.as_slice() else {
        panic!("expected a load, got {commands:?}");
    };
    *request
}

/// A session on spoke-dev (read-only or not) with `inventory` loaded.
pub fn loaded_with(inventory: Inventory, read_only: bool) -> State {
    let mut state = State::new("spoke-dev", None, read_only);
    state.start();
    let request = connect(&mut state);
    state.update(Msg::CatalogLoaded {
        generation: state.generation(),
        request,
        result: Ok(Box::new(inventory)),
    });
    state.update(Msg::ProfilesDiscovered(Ok(fixtures::profiles())));
    state
}

/// A read-only session on spoke-dev with the fixture catalog loaded.
pub fn loaded() -> State {
    loaded_with(fixtures::inventory(), true)
}

/// Draws twice, as the console does: the state learns the viewport from
/// the first frame.
pub fn render(state: &mut State, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut view = ViewState::default();
    for _ in 0..2 {
        terminal
            .draw(|frame| views::draw(frame, state, &mut view))
            .unwrap();
        state.update(view.drawn());
    }
    terminal
}

pub fn text(terminal: &Terminal<TestBackend>) -> String {
    terminal.backend().to_string()
}

/// Opens the stack of the provisioned product `up` rows above the last
/// one and answers with `events`.
pub fn events_of(state: &mut State, up: usize, events: Vec<StackEvent>) {
    press(state, KeyCode::Char('4'));
    press(state, KeyCode::Char('G'));
    for _ in 0..up {
        press(state, KeyCode::Char('k'));
    }
    let commands = press(state, KeyCode::Enter);
    answer_events(state, &commands, Ok(events));
}

/// Answers the one events load in `commands` with `result`.
pub fn answer_events(
    state: &mut State,
    commands: &[Command],
    result: Result<Vec<StackEvent>, String>,
) {
    let [
        Command::LoadEvents {
            request, stack_id, ..
        },
    ] = commands
    else {
        panic!("{commands:?}");
    };
    state.update(Msg::EventsLoaded {
        generation: state.generation(),
        request: *request,
        stack_id: stack_id.clone(),
        result,
    });
}
