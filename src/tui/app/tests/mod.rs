//! State transitions, key by key and command by command; no terminal.
//! The helpers every test of the state uses; the tests by component.

use super::*;
use crate::model::{Origin, Portfolio, Section};
use crate::tui::fixtures;
use crate::tui::keymap::Keymap;

mod console_url;
mod events;
mod life;
mod navigation;
mod overlays;
mod refresh;
mod session;

pub(super) fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

pub(super) fn code(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub(super) fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub(super) fn type_in(state: &mut State, text: &str) -> Vec<Command> {
    text.chars().flat_map(|c| state.update(key(c))).collect()
}

/// `:line` Enter.
pub(super) fn command_line(state: &mut State, line: &str) -> Vec<Command> {
    state.update(key(':'));
    assert_eq!(state.input, Input::Command);
    type_in(state, line);
    state.update(code(KeyCode::Enter))
}

pub(super) fn connected(state: &mut State) -> Vec<Command> {
    let generation = state.generation();
    state.update(Msg::Connected {
        read_only: state.session.read_only(),
        generation,
        connection: Connection {
            profile: state.profile().to_string(),
            region: "eu-west-1".into(),
            endpoint: None,
        },
        identity: fixtures::identity(),
        no_writer: None,
    })
}

pub(super) fn catalog_request(cmds: &[Command]) -> u64 {
    match cmds {
        [Command::LoadCatalog { request, .. }] => *request,
        other => panic!("expected one catalog load, got {other:?}"),
    }
}

/// Connected to spoke-dev with the fixture catalog loaded, on the
/// portfolios screen with a 10-row viewport.
pub(super) fn loaded() -> State {
    let mut state = State::new("spoke-dev", None, true);
    state.start();
    let request = catalog_request(&connected(&mut state));
    state.update(Msg::CatalogLoaded {
        generation: state.generation(),
        request,
        result: Ok(Box::new(fixtures::inventory())),
    });
    state.set_heights(10, 10, 10);
    state
}

pub(super) fn selected(state: &State) -> Option<&str> {
    state.level().table.selected_key()
}

pub(super) fn keys(state: &State) -> Vec<String> {
    state
        .active_table()
        .visible_rows()
        .map(|r| r.key.clone())
        .collect()
}
