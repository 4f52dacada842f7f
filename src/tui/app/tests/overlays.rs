//! The overlays and the command line: help, calls, the profile picker,
//! `:` commands.

use super::*;

#[test]
fn the_help_overlay_toggles_and_filters_as_you_type() {
    let mut state = loaded();
    state.update(key('?'));
    assert_eq!(state.overlay, Some(Overlay::Help));
    state.set_heights(10, 10, 10);
    type_in(&mut state, "mark");
    assert_eq!(state.help.filter(), "mark");
    assert!(!state.should_quit());
    state.update(code(KeyCode::Backspace));
    assert_eq!(state.help.filter(), "mar");
    // Esc clears the filter, then closes.
    state.update(code(KeyCode::Esc));
    assert_eq!(state.help.filter(), "");
    assert_eq!(state.overlay, Some(Overlay::Help));
    state.update(code(KeyCode::Down));
    state.update(code(KeyCode::Down));
    assert_eq!(state.help.offset(), 2);
    state.update(code(KeyCode::End));
    let lines = crate::tui::views::help::lines(&state.keymap, "").len();
    assert_eq!(state.help.offset(), lines - 10);
    state.update(code(KeyCode::Esc));
    assert_eq!(state.overlay, None);
    // `?` toggles; :help opens it too.
    state.update(key('?'));
    state.update(key('?'));
    assert_eq!(state.overlay, None);
    command_line(&mut state, "help");
    assert_eq!(state.overlay, Some(Overlay::Help));
}

#[test]
fn at_shows_the_calls_made() {
    let mut state = loaded();
    state.update(Msg::CallsLogged(fixtures::calls()));
    state.update(key('@'));
    assert_eq!(state.overlay, Some(Overlay::Calls));
    // Newest first.
    assert_eq!(keys(&state), ["4", "3", "2", "1"]);
    // New calls arrive while it is open.
    let mut more = fixtures::calls();
    more.truncate(1);
    more[0].seq = 5;
    state.update(Msg::CallsLogged(more));
    assert_eq!(keys(&state).len(), 5);
    // The selection stayed on its call; keys act on the overlay's table.
    assert_eq!(state.calls.table().selected_key(), Some("4"));
    state.update(key('j'));
    assert_eq!(state.calls.table().selected_key(), Some("3"));
    assert_eq!(state.level().table.selected(), 0);
    state.update(key('/'));
    type_in(&mut state, "denied");
    state.update(code(KeyCode::Enter));
    assert_eq!(keys(&state), ["4"]);
    // Esc clears the filter, then closes; @ toggles.
    state.update(code(KeyCode::Esc));
    assert_eq!(keys(&state).len(), 5);
    state.update(code(KeyCode::Esc));
    assert_eq!(state.overlay, None);
    state.update(key('@'));
    state.update(key('@'));
    assert_eq!(state.overlay, None);
    command_line(&mut state, "calls");
    assert_eq!(state.overlay, Some(Overlay::Calls));
}

#[test]
fn the_call_log_keeps_the_newest() {
    let mut state = loaded();
    let entries: Vec<CallEntry> = (1..=CALLS_KEPT as u64 + 5)
        .map(|seq| CallEntry {
            seq,
            ..fixtures::calls()[0].clone()
        })
        .collect();
    state.update(Msg::CallsLogged(entries));
    assert_eq!(state.calls.entries().len(), CALLS_KEPT);
    assert_eq!(state.calls.entries()[0].seq, 6);
}

#[test]
fn enter_in_the_call_log_opens_the_call_with_its_target() {
    let mut state = loaded();
    let mut entries = fixtures::calls();
    entries[0].target = Some("PortfolioId=port-dev0000001".into());
    let seq = entries[0].seq;
    state.update(Msg::CallsLogged(entries));
    state.update(key('@'));
    assert!(state.calls.table_mut().select_key(&seq.to_string()));
    state.update(code(KeyCode::Enter));
    let Some(Dialog::Report { lines, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    assert!(
        lines
            .iter()
            .any(|l| l == "Target     PortfolioId=port-dev0000001"),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("Attempts   ")),
        "{lines:?}"
    );
    // Any key closes it; the log stays open beneath.
    state.update(key('x'));
    assert!(state.dialog.is_none());
    assert_eq!(state.overlay, Some(Overlay::Calls));
}

#[test]
fn the_profile_picker_lists_profiles_and_enter_switches() {
    let mut state = loaded();
    state.update(Msg::ProfilesDiscovered(Ok(fixtures::profiles())));
    let cmds = state.update(key('P'));
    assert_eq!(cmds, [Command::DiscoverProfiles]);
    assert_eq!(state.overlay, Some(Overlay::Profiles));
    // On the current profile.
    assert_eq!(state.profiles.table_mut().selected_key(), Some("spoke-dev"));
    state.update(key('j'));
    let cmds = state.update(code(KeyCode::Enter));
    assert_eq!(
        cmds,
        [Command::Connect {
            generation: 2,
            profile: "spoke-prod".into(),
            region: None
        }]
    );
    assert_eq!(state.overlay, None);
    assert_eq!(state.session.profile(), "spoke-prod");
    assert!(state.catalog.portfolios.is_empty());

    // :profile without a name opens the picker; Esc closes it.
    let cmds = command_line(&mut state, "profile");
    assert_eq!(cmds, [Command::DiscoverProfiles]);
    assert_eq!(state.overlay, Some(Overlay::Profiles));
    assert_eq!(
        state.profiles.table_mut().selected_key(),
        Some("spoke-prod")
    );
    state.update(code(KeyCode::Esc));
    assert_eq!(state.overlay, None);
    // R in the picker reads the files again.
    state.update(key('P'));
    assert_eq!(state.update(key('R')), [Command::DiscoverProfiles]);
}

#[test]
fn profile_and_region_commands_switch_and_complete() {
    let mut state = loaded();
    state.update(Msg::ProfilesDiscovered(Ok(fixtures::profiles())));
    state.update(key(':'));
    type_in(&mut state, "profile spoke-p");
    state.update(code(KeyCode::Tab));
    assert_eq!(state.command.input(), "profile spoke-prod");
    let cmds = state.update(code(KeyCode::Enter));
    assert_eq!(
        cmds,
        [Command::Connect {
            generation: 2,
            profile: "spoke-prod".into(),
            region: None
        }]
    );
    let cmds = command_line(&mut state, "region eu-central-1");
    assert_eq!(
        cmds,
        [Command::Connect {
            generation: 3,
            profile: "spoke-prod".into(),
            region: Some("eu-central-1".into())
        }]
    );
    // History: Up brings the last line back.
    state.update(key(':'));
    state.update(code(KeyCode::Up));
    assert_eq!(state.command.input(), "region eu-central-1");
    state.update(code(KeyCode::Esc));
    assert_eq!(state.input, Input::None);
}

#[test]
fn unknown_commands_and_missing_arguments_are_explained() {
    let mut state = loaded();
    command_line(&mut state, "frob");
    assert_eq!(state.input, Input::None);
    assert_eq!(state.status.kind, StatusKind::Error);
    assert!(state.status.text.starts_with("unknown command :frob"));
    command_line(&mut state, "region");
    assert!(state.status.text.contains(":region needs a name"));
    // An empty line does nothing.
    let before = state.status.clone();
    assert!(command_line(&mut state, "").is_empty());
    assert_eq!(state.status, before);
}
