//! A provisioned product's life: `h` records, `r` resources, `t` outputs,
//! each read when opened; an older answer is dropped; a failure is said.

use super::*;
use crate::model::{Output, Record};
use crate::ops::life::{LifeData, LifePart};

fn on_provisioned(state: &mut State) {
    state.update(key('4'));
    assert_eq!(state.screen(), Screen::Provisioned);
}

fn life_request(cmds: &[Command]) -> (u64, String, LifePart) {
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

fn record(id: &str, status: &str) -> Record {
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

    // Enter on a record: the stack's events.
    state.update(code(KeyCode::Enter));
    assert_eq!(state.screen(), Screen::Events);
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
