//! The stack events screen: following a stack, freezing, `ev`.

use super::*;

#[test]
fn the_events_screen_follows_its_stack() {
    let mut state = loaded();
    state.update(key('4'));
    state.level_mut().table.select_key("pp-tgwattach01");
    let cmds = state.update(key('5'));
    let [
        Command::LoadEvents {
            request, stack_id, ..
        },
    ] = cmds.as_slice()
    else {
        panic!("{cmds:?}");
    };
    let (request, stack_id) = (*request, stack_id.clone());
    // Nothing more is asked while the first answer is awaited.
    for _ in 0..100 {
        assert!(state.update(Msg::Tick).is_empty());
    }
    let events = fixtures::events();
    state.update(Msg::EventsLoaded {
        generation: 1,
        request,
        stack_id: stack_id.clone(),
        result: Ok(events[..4].to_vec().into()),
    });
    // Newest first.
    assert_eq!(keys(&state), ["ev-004", "ev-003", "ev-002", "ev-001"]);
    // Moving (UPDATE_ROLLBACK_IN_PROGRESS): polled every 2 s, asking for what is new.
    let mut polled = Vec::new();
    for _ in 0..20 {
        polled.extend(state.update(Msg::Tick));
    }
    let [Command::LoadEvents { request, since, .. }] = polled.as_slice() else {
        panic!("{polled:?}");
    };
    assert_eq!(since.as_deref(), Some("ev-004"));
    state.update(Msg::EventsLoaded {
        generation: 1,
        request: *request,
        stack_id: stack_id.clone(),
        result: Ok(events[4..].to_vec().into()),
    });
    assert_eq!(keys(&state).len(), 7);
    // Settled: the next poll waits 30 s.
    let mut polled = Vec::new();
    for _ in 0..299 {
        polled.extend(state.update(Msg::Tick));
    }
    assert!(polled.is_empty());
    assert_eq!(state.update(Msg::Tick).len(), 1);
    // Off the events screen, nothing is polled.
    state.update(code(KeyCode::Esc));
    let mut state2 = state.clone();
    for _ in 0..400 {
        assert!(state2.update(Msg::Tick).is_empty());
    }
    // Back on it through 5, the same stack is shown without reloading.
    state.update(key('5'));
    assert_eq!(state.screen(), Screen::Events);
    assert_eq!(keys(&state).len(), 7);
}

#[test]
fn a_provisioned_product_without_a_stack_says_so() {
    let mut state = State::new("spoke-dev", None, false);
    state.start();
    let request = catalog_request(&connected(&mut state));
    let mut inventory = fixtures::inventory();
    inventory.provisioned[0].stack_arn = None;
    state.update(Msg::CatalogLoaded {
        generation: 1,
        request,
        result: Ok(Box::new(inventory)),
    });
    state.update(key('4'));
    assert!(state.update(code(KeyCode::Enter)).is_empty());
    assert_eq!(state.screen(), Screen::Provisioned);
    assert!(
        state
            .status
            .text
            .contains("vpc-main has no CloudFormation stack")
    );
}

/// On the events of tgw-attach, the first `n` fixture events loaded;
/// returns the stack id.
fn events_of_tgw(state: &mut State, n: usize) -> String {
    state.update(key('4'));
    state.level_mut().table.select_key("pp-tgwattach01");
    let cmds = state.update(key('5'));
    let [
        Command::LoadEvents {
            request, stack_id, ..
        },
    ] = cmds.as_slice()
    else {
        panic!("{cmds:?}");
    };
    let stack_id = stack_id.clone();
    state.update(Msg::EventsLoaded {
        generation: state.generation(),
        request: *request,
        stack_id: stack_id.clone(),
        result: Ok(fixtures::events()[..n].to_vec().into()),
    });
    stack_id
}

/// The next poll, answered with the fixture events `range`.
fn poll_answered(state: &mut State, stack_id: &str, range: std::ops::Range<usize>) {
    let polled: Vec<Command> = (0..300).flat_map(|_| state.update(Msg::Tick)).collect();
    let [Command::LoadEvents { request, .. }] = polled.as_slice() else {
        panic!("{polled:?}");
    };
    state.update(Msg::EventsLoaded {
        generation: state.generation(),
        request: *request,
        stack_id: stack_id.into(),
        result: Ok(fixtures::events()[range].to_vec().into()),
    });
}

fn following(state: &State) -> bool {
    state.catalog.watch.as_ref().unwrap().follow
}

#[test]
fn f_freezes_and_follows_the_newest_event() {
    let mut state = loaded();
    let stack_id = events_of_tgw(&mut state, 3);
    // Following by default: the newest event is selected.
    assert!(following(&state));
    assert_eq!(selected(&state), Some("ev-003"));
    // New events move the selection to the newest.
    poll_answered(&mut state, &stack_id, 3..4);
    assert_eq!(selected(&state), Some("ev-004"));
    // f freezes: the next events leave the selection where it is.
    state.update(key('f'));
    assert!(!following(&state));
    assert!(
        state.status.text.starts_with("Frozen"),
        "{:?}",
        state.status
    );
    poll_answered(&mut state, &stack_id, 4..7);
    assert_eq!(keys(&state).len(), 7);
    assert_eq!(selected(&state), Some("ev-004"));
    // f follows again, from the newest at once.
    state.update(key('f'));
    assert!(following(&state));
    assert_eq!(selected(&state), Some("ev-007"));
    // Even with the oldest first, following selects the newest.
    state.update(key('o'));
    assert_eq!(keys(&state)[0], "ev-001");
    assert_eq!(selected(&state), Some("ev-007"));
}

#[test]
fn moving_off_the_newest_event_freezes() {
    let mut state = loaded();
    events_of_tgw(&mut state, 7);
    assert_eq!(selected(&state), Some("ev-007"));
    // Up at the newest goes nowhere: still following.
    state.update(key('k'));
    assert!(following(&state));
    // Down reads an older event: following would yank it away.
    state.update(key('j'));
    assert_eq!(selected(&state), Some("ev-006"));
    assert!(!following(&state));
    assert!(
        state.status.text.contains("f follows again"),
        "{:?}",
        state.status
    );
    state.update(key('f'));
    assert_eq!(selected(&state), Some("ev-007"));
    // The mouse wheel too.
    state.update(Msg::ScrollDown);
    assert!(!following(&state));
    // A filter typed while following keeps following, on the newest it shows.
    state.update(key('f'));
    state.update(key('o'));
    assert_eq!(keys(&state)[0], "ev-001");
    state.update(key('/'));
    type_in(&mut state, "Attachment");
    assert!(following(&state));
    assert_eq!(selected(&state), Some("ev-005"));
}

#[test]
fn f_elsewhere_says_what_it_is_for() {
    let mut state = loaded();
    state.update(key('f'));
    assert!(state.status.text.starts_with("Nothing to follow here"));
    assert!(state.catalog.watch.is_none());
}

#[test]
fn ev_opens_the_events_of_the_selected_provisioned_product() {
    let mut state = loaded();
    state.update(key('4'));
    state.level_mut().table.select_key("pp-vpcedge0001");
    let cmds = command_line(&mut state, "ev");
    let [
        Command::LoadEvents {
            stack_id, since, ..
        },
    ] = cmds.as_slice()
    else {
        panic!("{cmds:?}");
    };
    assert_eq!(*stack_id, fixtures::stack_arn("pp-vpcedge0001"));
    assert_eq!(*since, None);
    assert_eq!(state.screen(), Screen::Events);
    // A screen of its own, like every number key.
    assert_eq!(state.nav().len(), 1);
    assert_eq!(state.level().title(), "Stack events of vpc-edge");
    assert_eq!(
        state.catalog.watch.as_ref().unwrap().provisioned_id,
        "pp-vpcedge0001"
    );

    // 5 does the same, from a provisioned screen reached by Enter.
    let mut state = loaded();
    state.update(key('2'));
    state.level_mut().table.select_key("prod-tgw0000001");
    state.update(code(KeyCode::Enter));
    assert_eq!(state.screen(), Screen::Versions);
    let version = state
        .catalog
        .provisioned
        .iter()
        .find(|p| p.id == "pp-tgwattach01")
        .map(|p| p.version_id.clone())
        .unwrap();
    state.level_mut().table.select_key(&version);
    state.update(code(KeyCode::Enter));
    assert_eq!(state.screen(), Screen::Provisioned);
    let cmds = state.update(key('5'));
    assert!(
        matches!(cmds.as_slice(), [Command::LoadEvents { stack_id, .. }] if *stack_id == fixtures::stack_arn("pp-tgwattach01")),
        "{cmds:?}"
    );
    assert_eq!(state.level().title(), "Stack events of tgw-attach");
}

#[test]
fn ev_without_a_selected_provisioned_product_shows_the_hint() {
    // From another screen.
    let mut state = loaded();
    assert!(command_line(&mut state, "ev").is_empty());
    assert_eq!(state.screen(), Screen::Events);
    assert!(
        state
            .empty_message(state.level())
            .starts_with("Select a provisioned product")
    );
    // From a provisioned screen whose filter shows nothing.
    let mut state = loaded();
    state.update(key('4'));
    state.update(key('/'));
    type_in(&mut state, "zzz");
    state.update(code(KeyCode::Enter));
    assert!(state.update(key('5')).is_empty());
    assert!(
        state
            .empty_message(state.level())
            .starts_with("Select a provisioned product")
    );
}

#[test]
fn ev_on_a_provisioned_product_without_a_stack_says_why() {
    let mut state = State::new("spoke-dev", None, false);
    state.start();
    let request = catalog_request(&connected(&mut state));
    let mut inventory = fixtures::inventory();
    inventory.provisioned[0].stack_arn = None;
    state.update(Msg::CatalogLoaded {
        generation: 1,
        request,
        result: Ok(Box::new(inventory)),
    });
    state.update(key('4'));
    assert!(state.update(key('5')).is_empty());
    assert_eq!(state.screen(), Screen::Events);
    assert!(
        state
            .status
            .text
            .contains("vpc-main has no CloudFormation stack"),
        "{:?}",
        state.status
    );
}
