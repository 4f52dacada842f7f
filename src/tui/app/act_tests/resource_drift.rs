//! `D`: a provisioned product's resource drift level, read when opened
//! (the last detection, no write); `D` there asks, then hands a detection
//! to the executor; an older answer is dropped, a failure keeps what was
//! shown, and a read-only session is never offered it.

use super::*;
use crate::model::{
    PropertyDifference, ResourceDrift, ResourceDriftStatus, StackDrift, StackDriftStatus,
};
use crate::ops::life::{LifeData, LifePart};
use crate::tui::screens::Screen;

fn drift_level(state: &mut State) -> (u64, String) {
    state.update(key('4'));
    let cmds = state.update(key('D'));
    assert_eq!(state.screen(), Screen::ResourceDrift);
    cmds.iter()
        .find_map(|c| match c {
            Command::LoadLife {
                request,
                provisioned_id,
                part: LifePart::Drift,
                ..
            } => Some((*request, provisioned_id.clone())),
            _ => None,
        })
        .expect("the last results are read")
}

fn never_checked() -> StackDrift {
    StackDrift {
        stack: Some("arn:stack".into()),
        status: StackDriftStatus::NotChecked,
        last_checked: None,
        resources: vec![],
        fresh: false,
        note: None,
    }
}

fn drifted() -> StackDrift {
    let resource =
        |id: &str, status: ResourceDriftStatus, diffs: Vec<PropertyDifference>| ResourceDrift {
            logical_id: id.into(),
            physical_id: format!("{id}-1"),
            resource_type: "AWS::S3::Bucket".into(),
            status,
            differences: diffs,
            checked: None,
        };
    StackDrift {
        stack: Some("arn:stack".into()),
        status: StackDriftStatus::Drifted,
        last_checked: chrono::DateTime::from_timestamp(1_800_000_000, 0),
        resources: vec![
            resource(
                "Bucket",
                ResourceDriftStatus::Modified,
                vec![PropertyDifference {
                    path: "/VersioningConfiguration/Status".into(),
                    expected: "Enabled".into(),
                    actual: "Suspended".into(),
                    kind: "NOT_EQUAL".into(),
                }],
            ),
            resource("BucketPolicy", ResourceDriftStatus::Deleted, vec![]),
        ],
        fresh: true,
        note: None,
    }
}

fn loaded_drift(state: &mut State, drift: StackDrift) -> String {
    let (request, pp) = drift_level(state);
    state.update(Msg::LifeLoaded {
        generation: state.generation(),
        request,
        provisioned_id: pp.clone(),
        part: LifePart::Drift,
        result: Ok(LifeData::Drift(Box::new(drift))),
    });
    pp
}

/// `D` on the level, `y`: the detection's request.
fn detect(state: &mut State) -> u64 {
    assert!(state.update(key('D')).is_empty(), "asked first");
    assert!(matches!(state.dialog(), Some(Dialog::Detect { .. })));
    let cmds = state.update(key('y'));
    match cmds.as_slice() {
        [Command::DetectDrift { request, .. }] => *request,
        other => panic!("one detection, got {other:?}"),
    }
}

fn visible(state: &State) -> Vec<String> {
    state
        .active_table()
        .visible_rows()
        .map(|r| r.key.clone())
        .collect()
}

#[test]
fn the_drift_level_shows_the_last_results_then_detects_after_a_yes() {
    let mut state = writable();
    let pp = loaded_drift(&mut state, never_checked());
    let empty = state.empty_message(state.level());
    assert!(
        empty.contains("was never checked for drift — D detects it now"),
        "{empty}"
    );
    let text = screen(&mut state, 150, 20);
    assert!(
        text.contains("Stack drift: NOT_CHECKED, never checked"),
        "{text}"
    );
    assert!(text.contains("D detect drift"), "{text}");

    let request = detect(&mut state);
    assert!(state.detecting(&state.level().scope.clone()));
    assert!(state.status().text.contains("Detecting the drift"));
    // An answer of another request is dropped.
    state.update(Msg::DriftDetected {
        generation: state.generation(),
        request: request + 100,
        provisioned_id: pp.clone(),
        result: Ok(drifted()),
    });
    assert!(visible(&state).is_empty(), "a stale answer is not shown");
    state.update(Msg::DriftDetected {
        generation: state.generation(),
        request,
        provisioned_id: pp,
        result: Ok(drifted()),
    });
    assert_eq!(visible(&state), ["Bucket", "BucketPolicy"]);
    assert!(state.status().text.starts_with("Drift detected: DRIFTED"));
    // The detail of a modified resource: expected vs actual.
    let detail = state.detail();
    let has = |k: &str, v: &str| detail.iter().any(|(a, b)| a == k && b == v);
    assert!(
        has("Property", "/VersioningConfiguration/Status (NOT_EQUAL)"),
        "{detail:?}"
    );
    assert!(has("  expected", "Enabled") && has("  actual", "Suspended"));
    // Enter shows the detail, and stays on the level.
    state.update(code(KeyCode::Enter));
    assert_eq!(state.screen(), Screen::ResourceDrift);
    let text = screen(&mut state, 150, 20);
    assert!(
        text.contains("✗ MODIFIED") && text.contains("✗ DELETED"),
        "{text}"
    );
}

#[test]
fn a_failed_detection_keeps_the_last_results_and_says_why() {
    let mut state = writable();
    let pp = loaded_drift(&mut state, drifted());
    assert_eq!(visible(&state), ["Bucket", "BucketPolicy"]);
    let request = detect(&mut state);
    // Another `D` while it runs: no second detection.
    state.update(key('D'));
    assert!(state.dialog().is_none());
    assert!(state.status().text.contains("already runs"));
    state.update(Msg::DriftDetected {
        generation: state.generation(),
        request,
        provisioned_id: pp,
        result: Err(
            "DetectStackDrift: HTTP 400 ValidationError: stack in UPDATE_IN_PROGRESS — wait".into(),
        ),
    });
    assert_eq!(
        visible(&state),
        ["Bucket", "BucketPolicy"],
        "not shown as empty"
    );
    let status = &state.status().text;
    assert!(status.contains("HTTP 400 ValidationError"), "{status}");
    assert!(status.contains("the last results stay"), "{status}");
    assert!(!state.detecting(&state.level().scope.clone()));
}

#[test]
fn an_answer_after_a_profile_switch_is_dropped() {
    let mut state = writable();
    let pp = loaded_drift(&mut state, never_checked());
    let request = detect(&mut state);
    let old = state.generation();
    command_line_profile(&mut state);
    assert_ne!(state.generation(), old, "another session");
    state.update(Msg::DriftDetected {
        generation: old,
        request,
        provisioned_id: pp,
        result: Ok(drifted()),
    });
    assert!(visible(&state).iter().all(|k| k != "Bucket"));
}

fn command_line_profile(state: &mut State) {
    state.update(key(':'));
    for c in "profile hub".chars() {
        state.update(key(c));
    }
    state.update(code(KeyCode::Enter));
}

#[test]
fn a_read_only_session_reads_the_last_results_but_is_never_offered_a_detection() {
    let mut state = read_only();
    loaded_drift(&mut state, drifted());
    let cmds = state.update(key('D'));
    assert!(cmds.is_empty());
    assert!(state.dialog().is_none(), "no confirm to say yes to");
    assert!(
        state.status().text.contains("read-only"),
        "{:?}",
        state.status()
    );
    let text = screen(&mut state, 150, 20);
    assert!(!text.contains("detect drift"), "{text}");
    assert!(
        text.contains("Stack drift: DRIFTED (2 of 2 resources drifted)"),
        "{text}"
    );
    let empty = state.empty_message(state.level());
    assert!(!empty.contains("detects"), "{empty}");
}
