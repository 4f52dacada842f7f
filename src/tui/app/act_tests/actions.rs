//! Self-service actions in the console: `e` opens the actions level (read
//! off the input path), Enter plans running the selected one, `y` sends
//! it; a read-only session sees the plan and can never send it; a busy
//! product is refused before anything is read.

use super::*;
use crate::model::{ActionParameter, ExecuteRequest, ServiceAction};
use crate::ops::act::service_action::{ActionPlan, PlannedParameter};
use crate::ops::life::{LifeData, LifePart};
use crate::tui::screens::Screen;

fn reboot() -> ServiceAction {
    ServiceAction {
        id: "act-reboot".into(),
        name: "Reboot database".into(),
        description: Some("Reboots the DB instance".into()),
        definition_type: "SSM_AUTOMATION".into(),
        document: Some("AWS-RebootRdsInstance".into()),
        document_version: Some("1".into()),
        assume_role: Some("LAUNCH_ROLE".into()),
        parameters: Some(vec![ActionParameter {
            name: "InstanceId".into(),
            kind: "TARGET".into(),
        }]),
        detail_error: None,
    }
}

/// `e` on `pp`, answered with the reboot action.
fn actions_of(state: &mut State, pp: &str) {
    state.update(key('4'));
    select(state, pp);
    let cmds = state.update(key('e'));
    let (request, part) = cmds
        .iter()
        .find_map(|c| match c {
            Command::LoadLife { request, part, .. } => Some((*request, *part)),
            _ => None,
        })
        .expect("the actions are read");
    assert_eq!(part, LifePart::Actions);
    assert_eq!(state.screen(), Screen::Actions);
    assert!(
        state
            .empty_message(state.level())
            .starts_with("Reading the self-service actions of"),
        "not read yet is not empty"
    );
    state.update(Msg::LifeLoaded {
        generation: state.generation(),
        request,
        provisioned_id: pp.into(),
        part,
        result: Ok(LifeData::Actions(vec![reboot()])),
    });
    assert_eq!(
        state
            .active_table()
            .visible_rows()
            .map(|r| r.key.clone())
            .collect::<Vec<_>>(),
        ["act-reboot"]
    );
}

fn plan(state: &State, pp: &str) -> ActionPlan {
    let provisioned = state.catalog.provisioned_product(pp).unwrap().clone();
    ActionPlan {
        request: ExecuteRequest {
            provisioned_product_id: provisioned.id.clone(),
            provisioned_product_name: provisioned.name.clone(),
            action_id: "act-reboot".into(),
            action_name: "Reboot database".into(),
            parameters: Default::default(),
            token: "tok-1".into(),
        },
        provisioned,
        execution: vec![],
        action: reboot(),
        parameters: vec![PlannedParameter {
            name: "InstanceId".into(),
            kind: "TARGET".into(),
            values: vec!["db-1".into()],
            given: false,
        }],
    }
}

/// Enter on the action: the plan is read, then shown.
fn planned(state: &mut State, pp: &str) {
    let cmds = state.update(code(KeyCode::Enter));
    let request = cmds
        .iter()
        .find_map(|c| match c {
            Command::Prepare {
                request,
                what:
                    Prepare::ServiceAction {
                        provisioned_id,
                        action_id,
                        values: None,
                    },
                ..
            } => {
                assert_eq!(provisioned_id, pp);
                assert_eq!(action_id, "act-reboot");
                Some(*request)
            }
            _ => None,
        })
        .expect("Enter reads the plan");
    let plan = plan(state, pp);
    state.update(Msg::Prepared {
        generation: state.generation(),
        request,
        result: Ok(Prepared::ServiceAction {
            plan: Box::new(plan),
            asked: false,
        }),
    });
    assert!(matches!(state.dialog, Some(Dialog::Confirm { .. })));
}

#[test]
fn an_action_is_listed_planned_confirmed_and_followed_without_marking_the_product() {
    let mut state = writable();
    actions_of(&mut state, "pp-vpcmain0001");
    planned(&mut state, "pp-vpcmain0001");
    let cmds = state.update(key('y'));
    let request = cmds
        .iter()
        .find_map(|c| match c {
            Command::Act {
                request,
                act: Request::ServiceAction(plan),
                ..
            } => {
                assert_eq!(plan.request.token, "tok-1");
                Some(*request)
            }
            _ => None,
        })
        .expect("y sends it");
    let mut record = Record {
        id: "rec-x".into(),
        record_type: "EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION".into(),
        status: "CREATED".into(),
        created: None,
        updated: None,
        version_id: None,
        errors: vec![],
        provisioned_product_id: Some("pp-vpcmain0001".into()),
        path_id: None,
        outputs: vec![],
    };
    state.update(Msg::ActProgress {
        generation: state.generation(),
        request,
        event: ActEvent::Record(record.clone()),
    });
    // An action changes no stack: the product is not shown under change.
    assert_eq!(
        state
            .catalog
            .provisioned_product("pp-vpcmain0001")
            .unwrap()
            .status,
        crate::model::PpStatus::Available
    );
    state.update(Msg::ActProgress {
        generation: state.generation(),
        request,
        event: ActEvent::Status("IN_PROGRESS".into()),
    });
    assert!(
        state.status.text.contains("IN_PROGRESS"),
        "{:?}",
        state.status
    );
    record.status = "SUCCEEDED".into();
    let cmds = state.update(Msg::ActDone {
        generation: state.generation(),
        request,
        result: Ok(ActOutcome {
            ok: true,
            lines: vec!["Reboot database on vpc-main: SUCCEEDED (record rec-x)".into()],
            record: Some(record),
        }),
    });
    assert!(
        state.status.text.contains("SUCCEEDED"),
        "{:?}",
        state.status
    );
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Command::ReadProvisioned { id, .. } if id == "pp-vpcmain0001")),
        "the product is read again: {cmds:?}"
    );
}

#[test]
fn a_read_only_session_sees_the_plan_and_can_never_send_it() {
    let mut state = super::super::tests::loaded();
    actions_of(&mut state, "pp-vpcmain0001");
    planned(&mut state, "pp-vpcmain0001");
    let cmds = state.update(key('y'));
    assert!(no_act(&cmds), "{cmds:?}");
}

#[test]
fn a_busy_product_is_refused_before_anything_is_read() {
    let mut state = writable();
    actions_of(&mut state, "pp-bucketdata1");
    let cmds = state.update(code(KeyCode::Enter));
    assert!(
        !cmds.iter().any(|c| matches!(c, Command::Prepare { .. })),
        "{cmds:?}"
    );
    assert!(
        state.status.text.contains("UNDER_CHANGE"),
        "{:?}",
        state.status
    );
}

/// A plan of an action that takes a value: Reason (TEXT_VALUE), empty by default.
fn with_reason(state: &State, pp: &str) -> ActionPlan {
    let mut plan = plan(state, pp);
    plan.parameters.push(PlannedParameter {
        name: "Reason".into(),
        kind: "TEXT_VALUE".into(),
        values: vec![],
        given: false,
    });
    plan
}

/// Enter on the action, answered with a plan that takes a value: the form.
fn asked_for_values(state: &mut State, pp: &str) {
    let cmds = state.update(code(KeyCode::Enter));
    let request = cmds
        .iter()
        .find_map(|c| match c {
            Command::Prepare { request, .. } => Some(*request),
            _ => None,
        })
        .expect("Enter reads the plan");
    let plan = with_reason(state, pp);
    state.update(Msg::Prepared {
        generation: state.generation(),
        request,
        result: Ok(Prepared::ServiceAction {
            plan: Box::new(plan),
            asked: false,
        }),
    });
}

#[test]
fn an_action_that_takes_a_value_asks_for_it_then_plans_with_it() {
    let mut state = writable();
    actions_of(&mut state, "pp-vpcmain0001");
    asked_for_values(&mut state, "pp-vpcmain0001");
    let Some(Dialog::Action { form, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    // The value asked; the target shown, not asked.
    assert_eq!(form.focused_key(), Some("Reason"));
    assert!(form.fields().iter().any(|f| f.key() == "InstanceId"
        && matches!(f.kind(), crate::tui::widgets::form::FieldKind::Note)));
    type_text(&mut state, "patch night");
    let cmds = state.update(ctrl('s'));
    let request = match cmds.as_slice() {
        [
            Command::Prepare {
                request,
                what:
                    Prepare::ServiceAction {
                        values: Some(values),
                        ..
                    },
                ..
            },
        ] => {
            assert_eq!(
                values.get("Reason").map(String::as_str),
                Some("patch night")
            );
            assert_eq!(values.len(), 1, "only what was given");
            *request
        }
        other => panic!("{other:?}"),
    };
    // Planned again with it: straight to the confirmation.
    let mut plan = with_reason(&state, "pp-vpcmain0001");
    plan.parameters[1].values = vec!["patch night".into()];
    plan.parameters[1].given = true;
    state.update(Msg::Prepared {
        generation: state.generation(),
        request,
        result: Ok(Prepared::ServiceAction {
            plan: Box::new(plan),
            asked: true,
        }),
    });
    let Some(Dialog::Confirm { confirm, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    assert!(
        confirm
            .plan()
            .iter()
            .any(|l| l.value == "Reason (TEXT_VALUE): patch night — given"),
        "{:?}",
        confirm.plan()
    );
}

#[test]
fn esc_in_the_values_form_sends_nothing() {
    let mut state = writable();
    actions_of(&mut state, "pp-vpcmain0001");
    asked_for_values(&mut state, "pp-vpcmain0001");
    let cmds = state.update(code(KeyCode::Esc));
    assert!(cmds.is_empty(), "{cmds:?}");
    assert!(state.dialog.is_none());
}

#[test]
fn a_read_only_session_sees_the_values_form_as_a_plan_only() {
    let mut state = read_only();
    actions_of(&mut state, "pp-vpcmain0001");
    asked_for_values(&mut state, "pp-vpcmain0001");
    let Some(Dialog::Action { form, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    assert!(form.shows_plan_only());
}
