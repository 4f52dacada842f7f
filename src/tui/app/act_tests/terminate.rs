//! `T`: what goes is read first and listed, the name typed to confirm;
//! marked rows go together; a busy product and a read-only session never
//! reach a termination.

use super::*;
use crate::model::StackResource;
use crate::ops::act::terminate::{TerminateOptions, TerminatePlan};

fn plan(state: &State, id: &str) -> TerminatePlan {
    let pp = state.catalog.provisioned_product(id).unwrap().clone();
    TerminatePlan {
        request: crate::aws::TerminateRequest {
            provisioned_product_id: pp.id.clone(),
            provisioned_product_name: pp.name.clone(),
            ignore_errors: false,
            retain_physical_resources: false,
            token: format!("token-{id}"),
        },
        resources: Ok(Some(vec![StackResource {
            logical_id: "Vpc".into(),
            physical_id: "vpc-0abc".into(),
            resource_type: "AWS::EC2::VPC".into(),
            status: "CREATE_COMPLETE".into(),
            status_reason: None,
            updated: None,
        }])),
        options: TerminateOptions::default(),
        provisioned: pp,
    }
}

/// `T` with the provisioned products `ids` targeted: the read it asks for,
/// answered with their plans.
fn planned(state: &mut State, ids: &[&str]) {
    let request = match state.update(key('T')).as_slice() {
        [
            Command::Prepare {
                request,
                what: Prepare::Terminate { provisioned_ids },
                ..
            },
        ] => {
            assert_eq!(provisioned_ids, ids);
            *request
        }
        other => panic!("{other:?}"),
    };
    let plans = ids.iter().map(|id| plan(state, id)).collect();
    state.update(Msg::Prepared {
        generation: state.generation(),
        request,
        result: Ok(Prepared::Terminate(plans)),
    });
}

#[test]
fn t_lists_what_goes_and_terminates_only_once_the_name_is_typed() {
    let mut state = writable();
    state.update(key('4'));
    select(&mut state, "pp-vpclegacy01");
    planned(&mut state, &["pp-vpclegacy01"]);
    let Some(Dialog::Confirm { confirm, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    let plan: Vec<&str> = confirm.plan().iter().map(|l| l.value.as_str()).collect();
    assert!(plan[0].starts_with("terminate vpc-legacy"), "{plan:?}");
    assert!(
        plan[1].contains("1 resource(s) deleted with its stack"),
        "{plan:?}"
    );
    assert!(plan[2].contains("vpc-0abc"), "{plan:?}");
    // y is not enough, nor another name.
    assert!(no_act(&state.update(key('y'))));
    state.update(code(crossterm::event::KeyCode::Backspace));
    type_text(&mut state, "vpc-main");
    assert!(no_act(
        &state.update(code(crossterm::event::KeyCode::Enter))
    ));
    type_text(&mut state, "vpc-legacy");
    let commands = state.update(code(crossterm::event::KeyCode::Enter));
    assert!(
        matches!(commands.as_slice(), [Command::Act { act: Request::Terminate(plans), .. }] if plans.len() == 1 && plans[0].request.token == "token-pp-vpclegacy01"),
        "{commands:?}"
    );
}

#[test]
fn marked_rows_are_terminated_together_confirmed_by_their_count() {
    let mut state = writable();
    state.update(key('4'));
    select(&mut state, "pp-vpcmain0001");
    state.update(key(' '));
    select(&mut state, "pp-vpcedge0001");
    state.update(key(' '));
    let marked: Vec<String> = state
        .level()
        .table
        .marked_keys()
        .into_iter()
        .map(str::to_string)
        .collect();
    let marked: Vec<&str> = marked.iter().map(String::as_str).collect();
    planned(&mut state, &marked);
    let Some(Dialog::Confirm { confirm, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    assert_eq!(
        confirm
            .plan()
            .iter()
            .filter(|l| l.value.starts_with("terminate "))
            .count(),
        2
    );
    type_text(&mut state, "terminate 2");
    let commands = state.update(code(crossterm::event::KeyCode::Enter));
    assert!(
        matches!(commands.as_slice(), [Command::Act { act: Request::Terminate(plans), .. }] if plans.len() == 2),
        "{commands:?}"
    );
}

#[test]
fn a_product_under_change_is_refused_before_anything_is_read() {
    let mut state = writable();
    state.update(key('4'));
    select(&mut state, "pp-bucketdata1");
    let commands = state.update(key('T'));
    assert!(commands.is_empty(), "{commands:?}");
    assert!(
        state.status.text.contains("then terminate"),
        "{}",
        state.status.text
    );
}

#[test]
fn a_read_only_session_sees_the_plan_and_cannot_confirm_it() {
    let mut state = read_only();
    state.update(key('4'));
    select(&mut state, "pp-vpclegacy01");
    planned(&mut state, &["pp-vpclegacy01"]);
    assert!(matches!(state.dialog, Some(Dialog::Confirm { .. })));
    type_text(&mut state, "vpc-legacy");
    assert!(no_act(
        &state.update(code(crossterm::event::KeyCode::Enter))
    ));
    // The key is not offered in the hints.
    let shown = screen(&mut state, 200, 40);
    assert!(!shown.contains("T terminate"), "{shown}");
}

#[test]
fn a_terminated_product_leaves_the_screens_once_aws_no_longer_knows_it() {
    let mut state = writable();
    state.update(key('4'));
    let before = state.level().table.len();
    state.update(Msg::ProvisionedRead {
        generation: state.generation(),
        id: "pp-vpclegacy01".into(),
        result: Ok(None),
    });
    assert_eq!(state.level().table.len(), before - 1);
    assert!(
        state
            .catalog
            .provisioned_product("pp-vpclegacy01")
            .is_none()
    );
}
