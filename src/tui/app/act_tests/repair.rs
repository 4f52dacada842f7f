//! `F`: only a TAINTED or ERROR product is repaired; its plan is read off
//! the input path; an update again is confirmed with `y`, a relaunch by
//! typing the name; NoEcho values are asked for (masked) and planned
//! again with; a read-only session sees the plan and cannot confirm.

use std::collections::BTreeMap;

use super::*;
use crate::model::FieldError;
use crate::ops::act::launch::LaunchInput;
use crate::ops::act::repair::{RepairNeeds, RepairPlan, RepairTo};
use crate::ops::act::terminate::{TerminateOptions, TerminatePlan};

/// `F` on `id`: the read it asks for.
fn asked(state: &mut State, id: &str) -> (u64, RepairTo, BTreeMap<String, String>) {
    state.update(key('4'));
    select(state, id);
    match state.update(key('F')).as_slice() {
        [
            Command::Prepare {
                request,
                what:
                    Prepare::Repair {
                        provisioned_id,
                        to,
                        values,
                    },
                ..
            },
        ] => {
            assert_eq!(provisioned_id, id);
            (*request, to.clone(), values.clone())
        }
        other => panic!("{other:?}"),
    }
}

fn answer(state: &mut State, request: u64, prepared: Prepared) {
    state.update(Msg::Prepared {
        generation: state.generation(),
        request,
        result: Ok(prepared),
    });
}

fn update_plan(state: &State) -> RepairPlan {
    let form = update_form(state);
    let request = crate::ops::act::update::check(&form, &BTreeMap::new()).unwrap();
    RepairPlan::Update {
        form: Box::new(form),
        request,
        why: "the version of its last successful record, rec-1".into(),
    }
}

fn relaunch_plan(state: &State) -> RepairPlan {
    let pp = state
        .catalog
        .provisioned_product("pp-tgwattach01")
        .unwrap()
        .clone();
    let form = launch_form();
    let launch = crate::ops::act::launch::check(
        &form,
        &LaunchInput {
            name: pp.name.clone(),
            values: [("Env", "dev"), ("Secret", "s3cret")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            tags: vec![],
        },
    )
    .unwrap();
    RepairPlan::Relaunch {
        terminate: Box::new(TerminatePlan {
            request: crate::aws::TerminateRequest {
                provisioned_product_id: pp.id.clone(),
                provisioned_product_name: pp.name.clone(),
                ignore_errors: false,
                retain_physical_resources: false,
                token: "token-t".into(),
            },
            resources: Ok(Some(vec![])),
            options: TerminateOptions::default(),
            provisioned: pp,
        }),
        form: Box::new(form),
        launch,
        from: "as the failed launch was given them".into(),
    }
}

#[test]
fn f_on_a_product_that_is_well_is_refused_before_anything_is_read() {
    let mut state = writable();
    state.update(key('4'));
    select(&mut state, "pp-vpclegacy01");
    let commands = state.update(key('F'));
    assert!(commands.is_empty(), "{commands:?}");
    assert!(
        state.status.text.contains("repair is for TAINTED"),
        "{}",
        state.status.text
    );
}

#[test]
fn a_tainted_product_goes_back_to_its_last_good_version_confirmed_with_y() {
    let mut state = writable();
    let (request, to, values) = asked(&mut state, "pp-tgwattach01");
    assert_eq!(to, RepairTo::LastGood);
    assert!(values.is_empty());
    let plan = update_plan(&state);
    answer(&mut state, request, Prepared::Repair(Box::new(plan)));
    let Some(Dialog::Confirm { confirm, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    assert!(
        confirm.plan()[0].value.contains("last successful record"),
        "{:?}",
        confirm.plan()
    );
    let commands = state.update(key('y'));
    assert!(
        matches!(
            commands.as_slice(),
            [Command::Act {
                act: Request::Repair(p),
                ..
            }] if matches!(p.as_ref(), RepairPlan::Update { .. })
        ),
        "{commands:?}"
    );
}

#[test]
fn a_relaunch_is_confirmed_only_by_typing_the_name() {
    let mut state = writable();
    let (request, _, _) = asked(&mut state, "pp-tgwattach01");
    let plan = relaunch_plan(&state);
    answer(&mut state, request, Prepared::Repair(Box::new(plan)));
    let Some(Dialog::Confirm { confirm, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    let lines: Vec<&str> = confirm.plan().iter().map(|l| l.value.as_str()).collect();
    assert!(
        lines.iter().any(|l| l.contains("Secret = ****")),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l.contains("s3cret")), "{lines:?}");
    assert!(no_act(&state.update(key('y'))));
    state.update(code(crossterm::event::KeyCode::Backspace));
    type_text(&mut state, "tgw-attach");
    let commands = state.update(code(crossterm::event::KeyCode::Enter));
    assert!(
        matches!(
            commands.as_slice(),
            [Command::Act {
                act: Request::Repair(p),
                ..
            }] if matches!(p.as_ref(), RepairPlan::Relaunch { .. })
        ),
        "{commands:?}"
    );
}

#[test]
fn a_noecho_value_is_asked_masked_then_planned_again_with_it() {
    let mut state = writable();
    let (request, to, _) = asked(&mut state, "pp-tgwattach01");
    answer(
        &mut state,
        request,
        Prepared::RepairNeeds(Box::new(RepairNeeds {
            provisioned_id: "pp-tgwattach01".into(),
            name: "tgw-attach".into(),
            to: to.clone(),
            values: BTreeMap::new(),
            fields: vec![FieldError::new("DbPassword", "NoEcho: give it again").secret()],
        })),
    );
    let Some(Dialog::Repair { form, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    assert!(matches!(
        form.fields()[0].kind(),
        crate::tui::widgets::form::FieldKind::Text { masked: true }
    ));
    // Empty: told so at the field, nothing read.
    let commands = state.update(ctrl('s'));
    assert!(commands.is_empty(), "{commands:?}");
    let Some(Dialog::Repair { form, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    assert_eq!(form.error("DbPassword"), Some("a value is required"));
    type_text(&mut state, "hunter2");
    match state.update(ctrl('s')).as_slice() {
        [
            Command::Prepare {
                what: Prepare::Repair { values, to: t, .. },
                ..
            },
        ] => {
            assert_eq!(
                values.get("DbPassword").map(String::as_str),
                Some("hunter2")
            );
            assert_eq!(t, &to);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_read_only_session_sees_the_plan_and_cannot_confirm_it() {
    let mut state = read_only();
    let (request, _, _) = asked(&mut state, "pp-tgwattach01");
    let plan = update_plan(&state);
    answer(&mut state, request, Prepared::Repair(Box::new(plan)));
    let Some(Dialog::Confirm { confirm, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    assert!(confirm.is_read_only());
    assert!(no_act(&state.update(key('y'))));
}
