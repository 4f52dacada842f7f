//! `:xray`: the findings are read off the input path (a stale answer is
//! dropped), listed worst first with what was not checked, and Enter on a
//! finding opens its fix's flow — or says why it cannot from here.

use super::tests::{code, command_line, loaded};
use super::*;
use crate::ops::act::request::Prepare;
use crate::ops::lint::{AccountRead, Entity, Finding, Fix, Report, Severity, Unchecked};

fn report(state: &State) -> Report {
    let own = state.identity().unwrap().account_id.clone();
    let finding = |rule: &'static str, severity, fix| Finding {
        rule,
        severity,
        label: "spoke-dev".into(),
        account: own.clone(),
        entity: Entity {
            kind: "provisioned product",
            id: "pp-vpclegacy01".into(),
            name: "vpc-legacy".into(),
            arn: None,
        },
        message: format!("{rule} here"),
        fix,
    };
    Report {
        schema_version: 1,
        checked_at: chrono::DateTime::UNIX_EPOCH,
        rules: vec!["pp-outdated-version", "launch-role-missing"],
        accounts: vec![AccountRead {
            label: "spoke-dev".into(),
            account: Some(own.clone()),
            unreachable: None,
        }],
        findings: vec![
            finding(
                "pp-outdated-version",
                Severity::Warning,
                Fix::Update {
                    account: own.clone(),
                    provisioned: "pp-vpclegacy01".into(),
                },
            ),
            finding(
                "share-not-accepted",
                Severity::Error,
                Fix::Accept {
                    account: "999999999999".into(),
                    portfolio: "port-x".into(),
                },
            ),
        ],
        unchecked: vec![Unchecked {
            rule: "launch-role-missing",
            label: "spoke-dev".into(),
            account: Some(own),
            why: "GetRole: AccessDenied".into(),
        }],
    }
}

/// `:xray`, answered with [`report`].
fn xray() -> State {
    let mut state = loaded();
    let commands = command_line(&mut state, "xray");
    let request = match commands.as_slice() {
        [Command::Lint { request, .. }] => *request,
        other => panic!("{other:?}"),
    };
    assert_eq!(state.screen(), Screen::Xray);
    assert!(
        state
            .empty_message(state.level())
            .starts_with("Reading the accounts"),
        "not read yet is not 'no findings'"
    );
    // A stale answer (an older request) is dropped.
    let report = report(&state);
    state.update(Msg::Linted {
        generation: state.generation(),
        request: request + 100,
        result: Ok(Box::new(report.clone())),
    });
    assert_eq!(state.level().table.total(), 0);
    state.update(Msg::Linted {
        generation: state.generation(),
        request,
        result: Ok(Box::new(report)),
    });
    state
}

#[test]
fn findings_worst_first_and_what_was_not_checked() {
    let state = xray();
    let rows: Vec<(String, String)> = state
        .level()
        .table
        .visible_rows()
        .map(|r| (r.text(0).to_string(), r.text(2).to_string()))
        .collect();
    assert_eq!(
        rows,
        [
            ("error".to_string(), "share-not-accepted".to_string()),
            ("warning".to_string(), "pp-outdated-version".to_string()),
            ("not checked".to_string(), "launch-role-missing".to_string()),
        ]
    );
}

#[test]
fn enter_on_a_finding_opens_its_fix_or_says_why_not() {
    let mut state = xray();
    // The share is accepted by the account it is offered to.
    let commands = state.update(code(KeyCode::Enter));
    assert!(commands.is_empty(), "{commands:?}");
    assert!(
        state.status.text.contains("999999999999"),
        "{}",
        state.status.text
    );
    // The outdated product: its update form is read, as `u` reads it.
    state.update(code(KeyCode::Down));
    let commands = state.update(code(KeyCode::Enter));
    assert!(
        matches!(
            commands.as_slice(),
            [Command::Prepare { what: Prepare::Update { provisioned_id, .. }, .. }] if provisioned_id == "pp-vpclegacy01"
        ),
        "{commands:?}"
    );
    assert_eq!(state.screen(), Screen::Provisioned);
}

#[test]
fn enter_on_a_failed_org_share_opens_the_share_form_with_its_node() {
    let mut state = xray();
    let own = state.identity().unwrap().account_id.clone();
    let mut report = report(&state);
    let share = |account: &str| Finding {
        rule: "org-share-failed",
        severity: Severity::Error,
        label: "spoke-dev".into(),
        account: account.into(),
        entity: Entity {
            kind: "share",
            id: "port-dev0000001/ou-ab12-cdef1234".into(),
            name: "Team sandbox → OU ou-ab12-cdef1234".into(),
            arn: None,
        },
        message: "ended ERROR".into(),
        fix: Fix::Share {
            account: account.into(),
            portfolio: "port-dev0000001".into(),
            target: crate::model::ShareTarget::OrganizationalUnit("ou-ab12-cdef1234".into()),
        },
    };
    report.findings = vec![share(&own)];
    let commands = command_line(&mut state, "xray");
    let request = match commands.as_slice() {
        [Command::Lint { request, .. }] => *request,
        other => panic!("{other:?}"),
    };
    state.update(Msg::Linted {
        generation: state.generation(),
        request,
        result: Ok(Box::new(report.clone())),
    });
    state.update(code(KeyCode::Enter));
    match &state.dialog {
        Some(act::Dialog::Share { form, .. }) => {
            assert_eq!(form.value("ou"), Some("ou-ab12-cdef1234"));
        }
        other => panic!("{other:?} / {}", state.status.text),
    }
    assert_eq!(state.screen(), Screen::Portfolios);
    // Another account's share: which profile to open.
    state.dialog = None;
    report.findings = vec![share("999999999999")];
    let commands = command_line(&mut state, "xray");
    let request = match commands.as_slice() {
        [Command::Lint { request, .. }] => *request,
        other => panic!("{other:?}"),
    };
    state.update(Msg::Linted {
        generation: state.generation(),
        request,
        result: Ok(Box::new(report)),
    });
    let commands = state.update(code(KeyCode::Enter));
    assert!(
        commands.is_empty() && state.dialog.is_none(),
        "{commands:?}"
    );
    assert!(
        state.status.text.contains("999999999999") && state.status.text.contains("owns it"),
        "{}",
        state.status.text
    );
}
