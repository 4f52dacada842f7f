//! The fleet and the bulk update, as state transitions: picker marks →
//! fleet; scans arriving → rows with their account; U → plan → typed
//! word → apply; x cancels; a read-only session never applies.

use super::bulk::BulkOutcome;
use super::tests::{code, command_line, connected, key, type_in};
use super::*;
use crate::model::product::tests::version;
use crate::model::provisioned::tests::pp;
use crate::model::{AccountDrift, BulkItem, Drift, DriftRow, OptIn, PpStatus, Skip, UpdateRequest};
use crate::ops::bulk::{BulkPlan, ItemStatus, PlannedItem, Progress, Risk};
use crate::ops::fleet::Selection;

pub(super) fn account(label: &str, rows: &[(&str, &str)]) -> AccountDrift {
    let versions = vec![
        version("pa-1", Some(1), true, false),
        version("pa-2", Some(2), true, false),
    ];
    AccountDrift {
        label: label.into(),
        account: Some(format!("{label}-id")),
        rows: rows
            .iter()
            .map(|(id, v)| DriftRow::new(label, pp(id, v, PpStatus::Available), Some(&versions)))
            .collect(),
        versions: [("prod-1".to_string(), versions.clone())].into(),
        problems: Vec::new(),
        unreachable: None,
    }
}

/// Connects `state` (a fleet opened): the request of the fleet's load,
/// which comes with the catalog's.
pub(super) fn connected_fleet(state: &mut State) -> u64 {
    connected(state)
        .iter()
        .find_map(|c| match c {
            Command::LoadFleet { request, .. } => Some(*request),
            _ => None,
        })
        .expect("the fleet is loaded with the catalog")
}

/// A fleet of two profiles on the provisioned screen, both scanned, and
/// one account that could not be reached.
pub(super) fn fleet(read_only: bool) -> State {
    fleet_of(
        Selection::Profiles {
            names: vec!["spoke-dev".into(), "spoke-prod".into(), "gone".into()],
        },
        read_only,
    )
}

/// [`fleet`], of `selection`.
pub(super) fn fleet_of(selection: Selection, read_only: bool) -> State {
    let mut state = State::new("spoke-dev", None, read_only);
    state.start();
    state.open_fleet(selection);
    let request = connected_fleet(&mut state);
    let generation = state.generation();
    state.update(Msg::FleetMembers {
        generation,
        request,
        result: Ok(3),
    });
    for a in [
        account("spoke-prod", &[("pp-p1", "pa-1"), ("pp-p2", "pa-2")]),
        account("spoke-dev", &[("pp-d1", "pa-1")]),
        AccountDrift::unreachable("gone", None, "cannot assume the role".into()),
    ] {
        state.update(Msg::FleetAccount {
            generation,
            request,
            account: Box::new(a),
        });
    }
    state.update(Msg::FleetLoaded {
        generation,
        request,
    });
    state.set_heights(20, 10, 10);
    state
}

pub(super) fn item(profile: &str, id: &str, skip: Option<Skip>, risk: Risk) -> PlannedItem {
    PlannedItem {
        item: BulkItem {
            profile: profile.into(),
            account: format!("{profile}-id"),
            provisioned_id: id.into(),
            provisioned_name: format!("name-{id}"),
            product_id: "prod-1".into(),
            product_name: "Product".into(),
            from_id: "pa-1".into(),
            from_name: "v1".into(),
            to_id: Some("pa-2".into()),
            to_name: Some("v2".into()),
            drift: Drift::Behind(1),
            skip,
        },
        risk,
        request: Some(UpdateRequest {
            provisioned_product_id: id.into(),
            provisioned_product_name: format!("name-{id}"),
            product_id: "prod-1".into(),
            version_id: "pa-2".into(),
            path_id: None,
            parameters: Vec::new(),
            secret_keys: Vec::new(),
            token: format!("token-{id}"),
        }),
        stack_name: None,
        launched_by: None,
        scanned: chrono::Utc::now(),
    }
}

pub(super) fn plan() -> BulkPlan {
    BulkPlan {
        batch: "batch-1".into(),
        created: chrono::Utc::now(),
        selection: Selection::Profiles {
            names: vec!["spoke-dev".into(), "spoke-prod".into()],
        },
        region: None,
        policy: OptIn::Everything,
        include_risky: false,
        items: vec![
            item("spoke-prod", "pp-p1", None, Risk::Safe),
            item(
                "spoke-dev",
                "pp-d1",
                Some(Skip::Risky {
                    changes: vec!["replace Bucket (AWS::S3::Bucket)".into()],
                }),
                Risk::Risky {
                    changes: vec!["replace Bucket (AWS::S3::Bucket)".into()],
                },
            ),
        ],
        unreachable: vec![("gone".into(), "cannot assume the role".into())],
    }
}

/// How the plan's run ends: its first item failed, the second skipped.
fn failed_and_skipped() -> BulkOutcome {
    BulkOutcome {
        ends: vec![
            ItemStatus::Failed {
                record: Some("rec-1".into()),
                reason: "BucketPolicy: CREATE_FAILED".into(),
                at: None,
            },
            ItemStatus::Skipped {
                reason: "would replace".into(),
            },
        ],
        leftover: Vec::new(),
        report: Ok("/tmp/report.jsonl".into()),
    }
}

/// U, then the plan arrives.
pub(super) fn planned(state: &mut State) -> Vec<Command> {
    let commands = state.update(key('U'));
    let request = match commands.as_slice() {
        [Command::PlanBulk { request, .. }] => *request,
        other => panic!("{other:?}"),
    };
    state.update(Msg::BulkPlanned {
        generation: state.generation(),
        request,
        result: Ok(Box::new(plan())),
        resumed: None,
    });
    commands
}

#[test]
fn u_plans_the_drifted_rows_in_view_or_the_marked_ones() {
    let mut state = fleet(false);
    let commands = state.update(key('U'));
    match commands.as_slice() {
        [Command::PlanBulk { only, policy, .. }] => {
            assert_eq!(
                only.iter().map(String::as_str).collect::<Vec<_>>(),
                ["pp-d1", "pp-p1"],
                "the drifted rows, not the current one nor the unreachable account"
            );
            assert_eq!(*policy, OptIn::default());
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        state.dialog,
        Some(Dialog::BulkPlanning { count: 2, .. })
    ));
    state.update(code(KeyCode::Esc));
    assert!(state.dialog.is_none());

    // A filter narrows what is in view.
    state.update(key('/'));
    type_in(&mut state, "spoke-prod");
    state.update(code(KeyCode::Enter));
    match state.update(key('U')).as_slice() {
        [Command::PlanBulk { only, .. }] => assert_eq!(only.len(), 1),
        other => panic!("{other:?}"),
    }
    state.update(code(KeyCode::Esc));
    state.update(code(KeyCode::Esc));

    // Marked rows win, drifted or not.
    assert!(state.level_mut().table.select_key("pp-p2"));
    state.update(key(' '));
    match state.update(key('U')).as_slice() {
        [Command::PlanBulk { only, .. }] => {
            assert_eq!(only.iter().collect::<Vec<_>>(), ["pp-p2"])
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn bulk_policy_is_set_by_the_command_line() {
    let mut state = fleet(false);
    match command_line(&mut state, "bulk products:VPC,RDS").as_slice() {
        [Command::PlanBulk { policy, .. }] => assert_eq!(
            *policy,
            OptIn::Products {
                names: vec!["VPC".into(), "RDS".into()]
            }
        ),
        other => panic!("{other:?}"),
    }
    state.update(code(KeyCode::Esc));
    assert!(command_line(&mut state, "bulk sometimes").is_empty());
    assert_eq!(state.status.kind, StatusKind::Error);
    assert!(
        state.status.text.contains("not a policy"),
        "{}",
        state.status.text
    );
}

#[test]
fn the_plan_applies_only_after_the_typed_word() {
    let mut state = fleet(false);
    planned(&mut state);
    assert!(matches!(state.dialog, Some(Dialog::BulkPlan { .. })));
    // y is not enough; Enter before the word does nothing.
    assert!(state.update(key('y')).is_empty());
    assert!(state.update(code(KeyCode::Enter)).is_empty());
    assert!(matches!(state.dialog, Some(Dialog::BulkPlan { .. })));
    state.update(code(KeyCode::Backspace));
    type_in(&mut state, CONFIRM_WORD);
    let commands = state.update(code(KeyCode::Enter));
    match commands.as_slice() {
        [Command::ApplyBulk { plan, .. }] => {
            assert_eq!(plan.to_update(), 1, "the risky one stays skipped");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(state.dialog, Some(Dialog::BulkRun)));
    assert!(state.bulk_running());
}

#[test]
fn tab_includes_the_risky_updates() {
    let mut state = fleet(false);
    planned(&mut state);
    state.update(code(KeyCode::Tab));
    type_in(&mut state, CONFIRM_WORD);
    match state.update(code(KeyCode::Enter)).as_slice() {
        [Command::ApplyBulk { plan, .. }] => {
            assert_eq!(plan.to_update(), 2);
            assert!(plan.include_risky);
        }
        other => panic!("{other:?}"),
    }
}

/// The plan of a fleet in which the gate refused every member.
fn refused_plan() -> BulkPlan {
    let mut plan = plan();
    for i in &mut plan.items {
        i.item.skip = Some(Skip::ReadOnly {
            why: format!("{} is read-only (--read-only)", i.item.profile),
        });
        i.request = None;
        i.risk = Risk::NotAsked;
    }
    plan
}

fn planned_with(state: &mut State, plan: BulkPlan) {
    let request = match state.update(key('U')).as_slice() {
        [Command::PlanBulk { request, .. }] => *request,
        other => panic!("{other:?}"),
    };
    state.update(Msg::BulkPlanned {
        generation: state.generation(),
        request,
        result: Ok(Box::new(plan)),
        resumed: None,
    });
}

#[test]
fn a_fleet_whose_members_are_all_read_only_plans_but_never_applies() {
    let mut state = fleet(true);
    planned_with(&mut state, refused_plan());
    match &state.dialog {
        Some(Dialog::BulkPlan { confirm, .. }) => assert!(confirm.is_read_only()),
        other => panic!("{other:?}"),
    }
    type_in(&mut state, CONFIRM_WORD);
    let commands = state.update(code(KeyCode::Enter));
    assert!(
        !commands
            .iter()
            .any(|c| matches!(c, Command::ApplyBulk { .. })),
        "{commands:?}"
    );
}

#[test]
fn a_read_only_first_profile_does_not_decide_for_the_others() {
    // spoke-dev opened read-only; spoke-prod's item was given a writer by
    // the gate (it is not skipped), so the plan can be applied: the gate
    // refuses spoke-dev again when it is.
    let mut state = fleet(true);
    planned(&mut state);
    type_in(&mut state, CONFIRM_WORD);
    let commands = state.update(code(KeyCode::Enter));
    assert!(
        matches!(commands.as_slice(), [Command::ApplyBulk { .. }]),
        "{commands:?}"
    );
}

#[test]
fn the_risk_is_previewed_only_when_asked_with_ctrl_p() {
    let mut state = fleet(false);
    let mut unpreviewed = plan();
    unpreviewed.items[0].risk = Risk::NotPreviewed;
    planned_with(&mut state, unpreviewed);
    // Typing the word (which holds a p) never previews.
    for c in "up".chars() {
        assert!(state.update(key(c)).is_empty());
    }
    let ctrl_p = Msg::Key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL));
    let request = match state.update(ctrl_p.clone()).as_slice() {
        [Command::PreviewRisk { request, plan, .. }] => {
            assert_eq!(plan.items[0].risk, Risk::NotPreviewed);
            *request
        }
        other => panic!("{other:?}"),
    };
    assert!(matches!(state.dialog, Some(Dialog::BulkPlanning { .. })));
    let mut previewed = plan();
    previewed.items[0].risk = Risk::Safe;
    state.update(Msg::RiskPreviewed {
        generation: state.generation(),
        request,
        result: Ok((
            Box::new(previewed),
            crate::ops::bulk::RiskPreview {
                previewed: 1,
                created: 1,
                ..Default::default()
            },
        )),
    });
    assert!(matches!(state.dialog, Some(Dialog::BulkPlan { .. })));
    assert!(
        state
            .status
            .text
            .contains("Risk previewed for 1 item: 1 temporary plan created and deleted"),
        "{:?}",
        state.status
    );
    // Nothing left to preview: Ctrl-p says so and asks nothing.
    assert!(state.update(ctrl_p).is_empty());
}

#[test]
fn progress_cancel_and_the_end_of_a_run() {
    let mut state = fleet(false);
    planned(&mut state);
    type_in(&mut state, CONFIRM_WORD);
    let request = match state.update(code(KeyCode::Enter)).as_slice() {
        [Command::ApplyBulk { request, .. }] => *request,
        other => panic!("{other:?}"),
    };
    state.update(Msg::BulkProgress {
        request,
        progress: Progress {
            index: 0,
            status: ItemStatus::Running {
                record: "rec-1".into(),
                status: "IN_PROGRESS".into(),
            },
        },
    });
    let run = state.bulk.as_ref().unwrap();
    assert_eq!(run.progress(), (1, 0));
    assert_eq!(run.count("IN_PROGRESS"), 1);
    // Its row says so at once, before AWS is asked again.
    assert_eq!(
        state
            .catalog
            .provisioned_product("pp-p1")
            .map(|p| p.status.clone()),
        Some(crate::model::PpStatus::UnderChange)
    );
    // x cancels what has not started.
    assert_eq!(state.update(key('x')), [Command::CancelBulk]);
    assert!(state.bulk.as_ref().unwrap().cancelled);
    // Esc hides the progress; the run goes on and U shows it again.
    state.update(code(KeyCode::Esc));
    assert!(state.dialog.is_none());
    assert!(state.update(key('U')).is_empty());
    assert!(matches!(state.dialog, Some(Dialog::BulkRun)));
    state.update(code(KeyCode::Esc));
    // A message for another run is dropped.
    state.update(Msg::BulkProgress {
        request: request + 100,
        progress: Progress {
            index: 0,
            status: ItemStatus::Cancelled,
        },
    });
    assert_eq!(state.bulk.as_ref().unwrap().count("IN_PROGRESS"), 1);
    let commands = state.update(Msg::BulkDone {
        request,
        result: Ok(failed_and_skipped()),
    });
    assert!(!state.bulk_running());
    assert_eq!(state.status.kind, StatusKind::Error);
    assert!(
        state.status.text.contains("1 failed"),
        "{}",
        state.status.text
    );
    // The item that settled is read again, alone: no whole scan.
    assert_eq!(
        commands,
        [Command::ReadProvisioned {
            generation: state.generation(),
            account: crate::model::account_of_arn(
                &state.catalog.provisioned_product("pp-p1").unwrap().arn
            )
            .map(str::to_string),
            id: "pp-p1".into(),
        }],
    );
    // Read, it replaces the row, and the drift with it.
    let mut pp = state.catalog.provisioned_product("pp-p1").unwrap().clone();
    pp.status = crate::model::PpStatus::Available;
    pp.version_id = "pa-2".into();
    state.update(Msg::ProvisionedRead {
        generation: state.generation(),
        id: "pp-p1".into(),
        result: Ok(Some(pp)),
    });
    let shown = state.catalog.provisioned_product("pp-p1").unwrap();
    assert_eq!(shown.status, crate::model::PpStatus::Available);
    assert_eq!(
        state.catalog.drift_of("pp-p1"),
        Some(crate::model::Drift::Current)
    );
}

#[test]
fn resume_asks_the_executor_then_shows_the_plan_with_the_journal() {
    let mut state = fleet(false);
    let request = match command_line(&mut state, "resume").as_slice() {
        [Command::ResumeBulk { request, .. }] => *request,
        other => panic!("{other:?}"),
    };
    state.update(Msg::BulkPlanned {
        generation: state.generation(),
        request,
        result: Ok(Box::new(plan())),
        resumed: Some((1, 0)),
    });
    let Some(Dialog::BulkPlan { confirm, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog);
    };
    assert!(confirm.title().starts_with("Resume bulk update"));
    assert!(
        confirm
            .plan()
            .iter()
            .any(|l| l.value.contains("1 already sent")),
        "{:?}",
        confirm.plan()
    );
}

/// Draws `state` at each size in turn, from a wall display to one cell.
fn draw_resized(
    state: &mut State,
    terminal: &mut ratatui::Terminal<ratatui::backend::TestBackend>,
) {
    const SIZES: [(u16, u16); 7] = [
        (20, 5),
        (400, 120),
        (1, 1),
        (80, 24),
        (40, 10),
        (200, 60),
        (120, 40),
    ];
    let mut view = crate::tui::views::ViewState::default();
    for (width, height) in SIZES {
        terminal.backend_mut().resize(width, height);
        terminal.autoresize().unwrap();
        terminal
            .draw(|frame| crate::tui::views::draw(frame, state, &mut view))
            .unwrap();
        state.update(view.drawn());
    }
}

#[test]
fn the_bulk_dialogs_survive_resizes_from_planning_to_the_end_of_the_run() {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    let mut state = fleet(false);
    let commands = state.update(key('U'));
    let [Command::PlanBulk { request, .. }] = commands.as_slice() else {
        panic!("{commands:?}");
    };
    draw_resized(&mut state, &mut terminal);
    state.update(Msg::BulkPlanned {
        generation: state.generation(),
        request: *request,
        result: Ok(Box::new(plan())),
        resumed: None,
    });
    draw_resized(&mut state, &mut terminal);
    for c in CONFIRM_WORD.chars() {
        state.update(key(c));
        draw_resized(&mut state, &mut terminal);
    }
    let request = match state.update(code(KeyCode::Enter)).as_slice() {
        [Command::ApplyBulk { request, .. }] => *request,
        other => panic!("{other:?}"),
    };
    draw_resized(&mut state, &mut terminal);
    for status in [
        ItemStatus::Running {
            record: "rec-1".into(),
            status: "IN_PROGRESS".into(),
        },
        ItemStatus::Running {
            record: "rec-1".into(),
            status: "IN_PROGRESS_IN_ERROR".into(),
        },
    ] {
        state.update(Msg::BulkProgress {
            request,
            progress: Progress { index: 0, status },
        });
        draw_resized(&mut state, &mut terminal);
        // Keys while it runs, on the new size.
        state.update(key('j'));
        state.update(code(KeyCode::PageDown));
        draw_resized(&mut state, &mut terminal);
    }
    // At a usable size the run's progress is there, whatever came before.
    let shown = terminal.backend().to_string();
    assert!(shown.contains("IN_PROGRESS"), "{shown}");
    state.update(Msg::BulkDone {
        request,
        result: Ok(failed_and_skipped()),
    });
    draw_resized(&mut state, &mut terminal);
    assert!(!state.bulk_running());
}

#[test]
fn the_bulk_confirmation_fits_its_state_glyphs_words_and_keys() {
    use crate::tui::widgets::confirm::{ConfirmKind, PlanTone};
    // Included with Tab, a risky update will run: a warning, not a failure.
    let mut risky = plan();
    risky.include_risky = true;
    risky.items[1].item.skip = None;
    let confirm = super::bulk::plan_confirm(&risky, None, false);
    let line = confirm
        .plan()
        .iter()
        .find(|l| l.label.contains("name-pp-d1"))
        .unwrap();
    assert_eq!(line.tone, PlanTone::Risky);
    assert_eq!(PlanTone::Risky.symbol(), "⚠");
    assert!(matches!(confirm.kind(), ConfirmKind::Typed(_)));

    // Nothing to update: nothing to type, any key closes.
    let confirm = super::bulk::plan_confirm(&refused_plan(), None, false);
    assert_eq!(confirm.kind(), &ConfirmKind::Notice);
    assert!(
        confirm
            .hints(crate::tui::keymap::Keymap::defaults())
            .iter()
            .any(|(k, what)| k == "any key" && *what == "close")
    );

    // Resumed with everything sent: says so, and asks only to follow.
    let confirm = super::bulk::plan_confirm(&plan(), Some((1, 0)), false);
    assert_eq!(confirm.kind(), &ConfirmKind::YesNo);
    // Resumed with some left: what will and will not be sent.
    let mut two = plan();
    two.items[1].item.skip = None;
    two.include_risky = true;
    let confirm = super::bulk::plan_confirm(&two, Some((1, 0)), false);
    assert!(matches!(confirm.kind(), ConfirmKind::Typed(_)));
}

#[test]
fn the_ends_of_a_run_are_counted_over_its_span() {
    use chrono::TimeZone;
    let at = |s: u32| Some(chrono::Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, s).unwrap());
    let plan = plan();
    let n = plan.items.len();
    assert!(n >= 2, "the plan has two items to end");
    let mut statuses = vec![ItemStatus::Waiting; n];
    let mut run = BulkRun {
        request: 1,
        plan: Box::new(plan),
        statuses: statuses.clone(),
        cancelled: false,
        done: false,
        report: None,
        error: None,
    };
    assert_eq!(run.ends_over_time(4), None, "nothing ended yet");
    statuses[0] = ItemStatus::Succeeded {
        record: "rec-1".into(),
        at: at(0),
    };
    statuses[1] = ItemStatus::Failed {
        record: None,
        reason: "x".into(),
        at: at(40),
    };
    run.statuses = statuses;
    let (counts, first, last) = run.ends_over_time(4).unwrap();
    assert_eq!(counts, [1, 0, 0, 1]);
    assert_eq!((last - first).num_seconds(), 40);
}
