//! The console's fleet: accounts marked into one, each with its rows or
//! why it was not read, stale results dropped, the view exported.

use super::bulk_tests::{account, connected_fleet, fleet};
use super::tests::{code, connected, key, type_in};
use super::*;
use crate::ops::fleet::Selection;

#[test]
fn marked_profiles_open_as_a_fleet() {
    let mut state = State::new("hub", None, false);
    state.start();
    state.update(Msg::ProfilesDiscovered(
        Ok(crate::tui::fixtures::profiles()),
    ));
    state.update(key('P'));
    assert_eq!(state.overlay, Some(Overlay::Profiles));
    state.profiles.table_mut().select_key("spoke-dev");
    state.update(key(' '));
    state.profiles.table_mut().select_key("spoke-prod");
    state.update(key(' '));
    let commands = state.update(code(KeyCode::Enter));
    assert!(
        matches!(commands.as_slice(), [Command::Connect { profile, .. }] if profile == "spoke-dev")
    );
    assert_eq!(
        state.fleet_selection,
        Some(Selection::Profiles {
            names: vec!["spoke-dev".into(), "spoke-prod".into()]
        })
    );
    assert_eq!(state.screen(), Screen::Provisioned);
    let commands = connected(&mut state);
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::LoadCatalog { .. }))
    );
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::LoadFleet { .. }))
    );
}

#[test]
fn every_account_shows_with_its_rows_and_the_unreachable_with_their_reason() {
    let state = fleet(false);
    let table = &state.level().table;
    let titles: Vec<&str> = table.columns().iter().map(|c| c.title).collect();
    assert_eq!(titles[0], "Account");
    let rows: Vec<(String, String)> = table
        .visible_rows()
        .map(|r| (r.text(0).to_string(), r.key.clone()))
        .collect();
    // Accounts in name order, whatever order their scans finished in.
    assert_eq!(
        rows,
        [
            ("gone".to_string(), "account:gone".to_string()),
            ("spoke-dev".into(), "pp-d1".into()),
            ("spoke-prod".into(), "pp-p1".into()),
            ("spoke-prod".into(), "pp-p2".into()),
        ]
    );
    let gone = table.visible_rows().next().unwrap();
    assert!(
        gone.cells
            .iter()
            .any(|c| c.text == "cannot assume the role")
    );
    let summary = state.catalog.fleet.as_ref().unwrap().summary();
    assert!(
        summary.starts_with("2 of 3 accounts read (1 not read): 3 provisioned, 2 drifted"),
        "{summary}"
    );
    assert!(summary.contains("spoke-dev 1 · spoke-prod 1"), "{summary}");
}

#[test]
fn stale_fleet_results_are_dropped() {
    let mut state = fleet(false);
    let before = state.level().table.len();
    state.update(Msg::FleetAccount {
        generation: state.generation() + 1,
        request: 999,
        account: Box::new(account("late", &[("pp-x", "pa-1")])),
    });
    assert_eq!(state.level().table.len(), before);
}

#[test]
fn x_exports_the_table_in_view_as_filtered() {
    let mut state = fleet(false);
    state.update(key('/'));
    type_in(&mut state, "spoke-prod");
    state.update(code(KeyCode::Enter));
    match state.update(key('x')).as_slice() {
        [Command::Export { file, text }] => {
            assert!(file.starts_with("spoke-provisioned-") && file.ends_with(".csv"));
            let lines: Vec<&str> = text.lines().collect();
            assert!(lines[0].starts_with("Account,Name,Id,Product"), "{text}");
            assert_eq!(
                lines.len(),
                3,
                "the header and the two rows in view: {text}"
            );
            assert!(
                lines[1].starts_with("spoke-prod,name-pp-p1,pp-p1"),
                "{text}"
            );
        }
        other => panic!("{other:?}"),
    }
    state.update(Msg::Exported(Ok("Exported 2 rows to /tmp/x.csv".into())));
    assert_eq!(state.status.text, "Exported 2 rows to /tmp/x.csv");
    // An overlay's table is exported when it is in front.
    state.update(key('@'));
    match state.update(key('x')).as_slice() {
        [Command::Export { file, .. }] => assert!(file.starts_with("spoke-calls-")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn accounts_arriving_before_their_count_are_shown_and_counted_once_it_comes() {
    let mut state = State::new("hub", None, true);
    state.start();
    state.open_fleet(Selection::Organization {
        profile: "hub".into(),
        role: "OrganizationAccountAccessRole".into(),
    });
    let request = connected_fleet(&mut state);
    let generation = state.generation();
    // The first page's accounts are scanned while the next page is listed.
    state.update(Msg::FleetAccount {
        generation,
        request,
        account: Box::new(account("spoke-001", &[("pp-1", "pa-1")])),
    });
    assert!(
        state.status.text.contains("1 of ? accounts"),
        "{:?}",
        state.status
    );
    state.update(Msg::FleetMembers {
        generation,
        request,
        result: Ok(2),
    });
    assert!(
        state
            .status
            .text
            .contains("1 of 2 accounts read: 1 provisioned, 1 drifted"),
        "{:?}",
        state.status
    );
}
