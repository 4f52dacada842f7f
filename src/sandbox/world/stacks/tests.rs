use super::*;
use chrono::{Duration, TimeZone};

fn res(id: &str, secs: u32) -> TemplateResource {
    TemplateResource {
        logical_id: id.into(),
        resource_type: "AWS::S3::Bucket".into(),
        seconds: secs,
        replacement: None,
        properties: Vec::new(),
    }
}

fn stack() -> Stack {
    let t = chrono::Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    Stack::new(
        "arn:aws:cloudformation:us-east-1:1:stack/SC-1-pp-x/u".into(),
        "SC-1-pp-x".into(),
        "1".into(),
        "us-east-1".into(),
        t,
    )
}

#[test]
fn create_moves_through_events_over_time() {
    let mut s = stack();
    let t0 = s.created;
    let r = [res("A", 3), res("B", 5)];
    s.deploy(Deployment {
        kind: DeploymentKind::Create,
        before: &[],
        after: &r,
        replaced: &[],
        fails_on: None,
        start: t0,
        record_id: "rec-1".into(),
    });
    assert_eq!(s.advance(t0), None);
    assert_eq!(s.status, "CREATE_IN_PROGRESS");
    assert_eq!(s.events.len(), 1);
    assert_eq!(s.advance(t0 + Duration::seconds(2)), None);
    assert!(s.events.len() > 1);
    assert_eq!(
        s.advance(t0 + Duration::seconds(60)),
        Some(Outcome::Succeeded)
    );
    assert_eq!(s.status, "CREATE_COMPLETE");
    assert_eq!(s.resources.len(), 2);
    assert!(s.resources.values().all(|r| r.status == "CREATE_COMPLETE"));
    assert!(!s.is_moving());
}

#[test]
fn failed_create_rolls_back_and_removes_resources() {
    let mut s = stack();
    let t0 = s.created;
    let r = [res("A", 3), res("B", 5), res("C", 2)];
    s.deploy(Deployment {
        kind: DeploymentKind::Create,
        before: &[],
        after: &r,
        replaced: &[],
        fails_on: Some("B"),
        start: t0,
        record_id: "r".into(),
    });
    let out = s.advance(t0 + Duration::seconds(600));
    assert!(matches!(out, Some(Outcome::Failed { .. })));
    assert_eq!(s.status, "ROLLBACK_COMPLETE");
    assert!(s.resources.is_empty(), "{:?}", s.resources);
    assert!(
        s.events
            .iter()
            .any(|e| e.status == "CREATE_FAILED" && e.logical_id == "B")
    );
}

#[test]
fn failed_update_rolls_back() {
    let mut s = stack();
    let t0 = s.created;
    let v1 = [res("A", 3)];
    let v2 = [res("A", 3), res("B", 4)];
    s.deploy(Deployment {
        kind: DeploymentKind::Create,
        before: &[],
        after: &v1,
        replaced: &[],
        fails_on: None,
        start: t0,
        record_id: "r1".into(),
    });
    s.advance(t0 + Duration::seconds(60));
    let t1 = t0 + Duration::seconds(100);
    s.deploy(Deployment {
        kind: DeploymentKind::Update,
        before: &v1,
        after: &v2,
        replaced: &[],
        fails_on: Some("B"),
        start: t1,
        record_id: "r2".into(),
    });
    assert!(s.is_busy());
    let out = s.advance(t1 + Duration::seconds(600));
    assert!(matches!(out, Some(Outcome::Failed { .. })));
    assert_eq!(s.status, "UPDATE_ROLLBACK_COMPLETE");
    assert_eq!(s.resources.keys().collect::<Vec<_>>(), vec!["A"]);
    assert!(
        s.events
            .windows(2)
            .all(|w| w[0].timestamp <= w[1].timestamp),
        "events come in time order"
    );
}

#[test]
fn update_removes_dropped_resources() {
    let mut s = stack();
    let t0 = s.created;
    let v1 = [res("A", 3), res("Old", 2)];
    let v2 = [res("A", 3), res("New", 2)];
    s.deploy(Deployment {
        kind: DeploymentKind::Create,
        before: &[],
        after: &v1,
        replaced: &[],
        fails_on: None,
        start: t0,
        record_id: "r1".into(),
    });
    s.advance(t0 + Duration::seconds(60));
    s.deploy(Deployment {
        kind: DeploymentKind::Update,
        before: &v1,
        after: &v2,
        replaced: &[],
        fails_on: None,
        start: t0 + Duration::seconds(100),
        record_id: "r2".into(),
    });
    assert_eq!(
        s.advance(t0 + Duration::seconds(600)),
        Some(Outcome::Succeeded)
    );
    assert_eq!(s.status, "UPDATE_COMPLETE");
    assert_eq!(s.resources.keys().collect::<Vec<_>>(), vec!["A", "New"]);
}

#[test]
fn a_replaced_resource_gets_a_new_physical_id_and_the_old_one_is_deleted() {
    let mut s = stack();
    let t0 = s.created;
    let v1 = [res("A", 3), res("B", 2)];
    s.deploy(Deployment {
        kind: DeploymentKind::Create,
        before: &[],
        after: &v1,
        replaced: &[],
        fails_on: None,
        start: t0,
        record_id: "r1".into(),
    });
    s.advance(t0 + Duration::seconds(60));
    let old = s.resources["A"].physical_id.clone();
    let untouched = s.resources["B"].physical_id.clone();
    s.deploy(Deployment {
        kind: DeploymentKind::Update,
        before: &v1,
        after: &v1,
        replaced: &["A".to_string()],
        fails_on: None,
        start: t0 + Duration::seconds(100),
        record_id: "r2".into(),
    });
    assert_eq!(
        s.advance(t0 + Duration::seconds(600)),
        Some(Outcome::Succeeded)
    );
    let new = &s.resources["A"].physical_id;
    assert_ne!(new, &old, "a new physical resource");
    assert_eq!(s.resources["A"].status, "UPDATE_COMPLETE");
    assert_eq!(s.resources["B"].physical_id, untouched);
    assert!(
        s.events
            .iter()
            .any(|e| e.logical_id == "A" && e.physical_id == old && e.status == "DELETE_COMPLETE")
    );
    assert!(
        s.events
            .windows(2)
            .all(|w| w[0].timestamp <= w[1].timestamp)
    );
}
