//! A provisioned product's life: `h` records, `r` resources, `t` outputs,
//! each read when opened; an older answer is dropped; a failure is said.

use super::*;
use crate::model::{Output, Record};
use crate::ops::life::{LifeData, LifePart};

fn on_provisioned(state: &mut State) {
    state.update(key('4'));
    assert_eq!(state.screen(), Screen::Provisioned);
}

pub(super) fn life_request(cmds: &[Command]) -> (u64, String, LifePart) {
    cmds.iter()
        .find_map(|c| match c {
            Command::LoadLife {
                request,
                provisioned_id,
                part,
                ..
            } => Some((*request, provisioned_id.clone(), *part)),
            _ => None,
        })
        .expect("a life read is asked for")
}

pub(super) fn record(id: &str, status: &str) -> Record {
    Record {
        id: id.into(),
        record_type: "UPDATE_PROVISIONED_PRODUCT".into(),
        status: status.into(),
        created: None,
        updated: None,
        version_id: None,
        errors: vec![],
        provisioned_product_id: None,
        path_id: None,
        outputs: vec![],
    }
}

#[test]
fn records_open_as_a_level_read_when_opened_and_say_loading_until_then() {
    let mut state = loaded();
    on_provisioned(&mut state);
    let cmds = state.update(key('h'));
    let (request, pp, part) = life_request(&cmds);
    assert_eq!(part, LifePart::Records);
    assert_eq!(state.screen(), Screen::Records);
    assert!(
        state
            .empty_message(state.level())
            .starts_with("Reading the records of")
    );

    state.update(Msg::LifeLoaded {
        generation: state.generation(),
        request,
        provisioned_id: pp.clone(),
        part,
        result: Ok(LifeData::Records(vec![
            record("rec-2", "FAILED"),
            record("rec-1", "SUCCEEDED"),
        ])),
    });
    assert_eq!(keys(&state), ["rec-2", "rec-1"]);
}

#[test]
fn enter_opens_the_records_and_a_record_opens_the_stack_events_of_its_time() {
    let mut state = loaded();
    on_provisioned(&mut state);
    state.level_mut().table.select_key("pp-tgwattach01");
    let cmds = state.update(code(KeyCode::Enter));
    let (request, pp, part) = life_request(&cmds);
    assert_eq!((part, state.screen()), (LifePart::Records, Screen::Records));
    assert_eq!(pp, "pp-tgwattach01");
    // The fixture's events are 7 s apart from 11:00:07; the update ran
    // from 11:00:10 to 11:00:30 (events 2, 3 and 4), the launch before.
    let timed = |id: &str, status: &str, from: u32, to: u32| Record {
        created: Some(fixtures::at(20, 11, 0, from)),
        updated: Some(fixtures::at(20, 11, 0, to)),
        ..record(id, status)
    };
    state.update(Msg::LifeLoaded {
        generation: state.generation(),
        request,
        provisioned_id: pp,
        part,
        result: Ok(LifeData::Records(vec![
            timed("rec-2", "FAILED", 10, 30),
            Record {
                record_type: "PROVISION_PRODUCT".into(),
                ..timed("rec-1", "SUCCEEDED", 0, 5)
            },
        ])),
    });
    state.level_mut().table.select_key("rec-2");
    let cmds = state.update(code(KeyCode::Enter));
    let [
        Command::LoadEvents {
            request, stack_id, ..
        },
    ] = cmds.as_slice()
    else {
        panic!("{cmds:?}");
    };
    assert_eq!(state.screen(), Screen::Events);
    assert_eq!(
        state.level().title(),
        "Stack events of tgw-attach during rec-2 (2025-03-20 11:00:10 – 11:00:30)"
    );
    state.update(Msg::EventsLoaded {
        generation: state.generation(),
        request: *request,
        stack_id: stack_id.clone(),
        result: Ok(fixtures::events().into()),
    });
    assert_eq!(keys(&state), ["ev-004", "ev-003", "ev-002"]);

    // The launch's stretch holds none of them: said, with how many there are.
    state.update(code(KeyCode::Esc));
    assert_eq!(state.screen(), Screen::Records);
    state.level_mut().table.select_key("rec-1");
    state.update(code(KeyCode::Enter));
    assert!(keys(&state).is_empty());
    let message = state.empty_message(state.level());
    assert!(
        message.starts_with("The stack of tgw-attach has no events during rec-1 (")
            && message.contains("(7 in all: 5 shows them)"),
        "{message}"
    );
    // `5`: the whole stack's events.
    state.update(code(KeyCode::Esc));
    state.update(code(KeyCode::Esc));
    state.update(key('5'));
    assert_eq!(keys(&state).len(), 7);
}

#[test]
fn an_older_answer_is_dropped_and_a_failure_is_not_shown_as_empty() {
    let mut state = loaded();
    on_provisioned(&mut state);
    let first = life_request(&state.update(key('t')));
    // `t` again before the answer: the first answer is stale.
    let second = life_request(&state.update(key('t')));
    assert_eq!(state.nav().len(), 2, "the same level, not stacked");
    let outputs = |n: usize| {
        LifeData::Outputs(
            (0..n)
                .map(|i| Output {
                    key: format!("K{i}"),
                    value: "v".into(),
                    description: None,
                })
                .collect(),
        )
    };
    state.update(Msg::LifeLoaded {
        generation: state.generation(),
        request: first.0,
        provisioned_id: first.1.clone(),
        part: first.2,
        result: Ok(outputs(3)),
    });
    assert!(keys(&state).is_empty(), "the stale answer is not shown");
    state.update(Msg::LifeLoaded {
        generation: state.generation(),
        request: second.0,
        provisioned_id: second.1.clone(),
        part: second.2,
        result: Err("AccessDenied (HTTP 403)".into()),
    });
    let message = state.empty_message(state.level());
    assert!(
        message.contains("were not read: AccessDenied (HTTP 403)"),
        "{message}"
    );

    // `r` from the outputs: the resources, in place of them.
    let cmds = state.update(key('r'));
    assert_eq!(life_request(&cmds).2, LifePart::Resources);
    assert_eq!(state.screen(), Screen::Resources);
    assert_eq!(state.nav().len(), 2);
}

#[test]
fn the_life_keys_need_a_provisioned_product() {
    let mut state = loaded();
    let cmds = state.update(key('h'));
    assert!(cmds.iter().all(|c| !matches!(c, Command::LoadLife { .. })));
    assert_eq!(state.screen(), Screen::Portfolios);
}
