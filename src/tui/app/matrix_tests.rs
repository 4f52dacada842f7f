//! `:matrix` over a fleet: one row per product, a column per account (the
//! one not read says so), the cursor across with ←/→, Enter on a cell
//! lists its provisioned products.

use super::bulk_tests::fleet;
use super::tests::{code, command_line, key};
use super::*;
use crate::tui::screens::Scope;

fn matrix() -> State {
    let mut state = fleet(false);
    command_line(&mut state, "matrix");
    assert_eq!(state.screen(), Screen::Matrix);
    state
}

#[test]
fn a_row_per_product_and_a_cell_per_account() {
    let state = matrix();
    let table = &state.level().table;
    assert_eq!(table.len(), 1, "one product in the fleet");
    let row = table.selected_row().unwrap();
    // Accounts by label: gone (not read), spoke-dev, spoke-prod.
    let cells: Vec<&str> = row.cells[crate::tui::views::matrix::FROZEN..]
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(
        cells,
        ["not read", "name of pa-1↓", "name of pa-2 name of pa-1↓"]
    );
    assert_eq!(row.cells[2].text, "2 of 3", "drifted of provisioned");
}

#[test]
fn the_cursor_moves_across_and_enter_lists_that_cell() {
    let mut state = matrix();
    // The account not read: nothing to list, and said so.
    state.update(code(KeyCode::Enter));
    assert_eq!(state.screen(), Screen::Matrix);
    assert!(
        state.status.text.contains("gone was not read"),
        "{}",
        state.status.text
    );
    for _ in 0..5 {
        state.update(code(KeyCode::Right));
    }
    assert_eq!(state.level().column, 2, "stops at the last account");
    state.update(code(KeyCode::Left));
    state.update(code(KeyCode::Enter));
    assert_eq!(state.screen(), Screen::Provisioned);
    assert!(matches!(
        &state.level().scope,
        Scope::Cell { account, .. } if account == "spoke-dev"
    ));
    let catalog = state.catalog.clone();
    state.level_mut().refresh(&catalog);
    let keys: Vec<&str> = state.level().table.visible_keys();
    assert_eq!(keys, ["pp-d1"]);
    // Esc: back on the matrix, the cursor where it was.
    state.update(code(KeyCode::Esc));
    assert_eq!(state.screen(), Screen::Matrix);
    assert_eq!(state.level().column, 1);
}

#[test]
fn snapshot_the_matrix() {
    let mut state = matrix();
    state.update(code(KeyCode::Right));
    let shown = super::act_tests::screen(&mut state, 110, 12);
    insta::assert_snapshot!(shown);
}

// ---------------------------------------------------------------- by OU

fn org_matrix() -> State {
    let mut state = super::bulk_tests::fleet_of(
        crate::ops::fleet::Selection::Organization {
            profile: "spoke-dev".into(),
            role: "OrganizationAccountAccessRole".into(),
        },
        false,
    );
    command_line(&mut state, "matrix");
    assert_eq!(state.screen(), Screen::Matrix);
    state
}

/// `b`: the request of the OU tree it sends.
fn ask_by_ou(state: &mut State) -> u64 {
    match state.update(key('b')).as_slice() {
        [Command::ReadOus { request, .. }] => *request,
        other => panic!("b reads the OU tree: {other:?}"),
    }
}

fn tree() -> std::sync::Arc<std::collections::HashMap<String, String>> {
    std::sync::Arc::new(
        [
            ("spoke-dev-id".to_string(), "Root/Dev".to_string()),
            ("spoke-prod-id".to_string(), "Root/Prod".to_string()),
        ]
        .into(),
    )
}

fn answer(state: &mut State, request: u64, result: Result<(), String>) {
    let generation = state.generation();
    state.update(Msg::OusRead {
        generation,
        request,
        result: result.map(|_| tree()),
    });
}

fn across(state: &State) -> Vec<String> {
    crate::tui::views::matrix::matrix(&state.catalog)
        .matrix
        .accounts
        .iter()
        .map(|a| a.label.clone())
        .collect()
}

#[test]
fn b_on_a_fleet_of_profiles_says_there_is_no_tree() {
    let mut state = matrix();
    assert!(state.update(key('b')).is_empty());
    assert!(state.catalog.by_ou.is_none());
    let said = &state.status.text;
    assert!(said.contains("not an organization"), "{said}");
    assert!(said.contains("--org-role"), "{said}");
    assert_eq!(across(&state), ["gone", "spoke-dev", "spoke-prod"]);
}

#[test]
fn b_reads_the_tree_then_ous_are_across_and_enter_lists_the_ous_accounts() {
    let mut state = org_matrix();
    state.update(code(KeyCode::Right));
    let request = ask_by_ou(&mut state);
    // While it is read: accounts stay across, and the screen says so.
    assert!(state.status.text.contains("Reading the OU tree"));
    assert_eq!(
        crate::tui::views::matrix::grouping_words(&state.catalog),
        Some("reading the OU tree… (accounts across until it is in)")
    );
    assert_eq!(across(&state), ["gone", "spoke-dev", "spoke-prod"]);
    answer(&mut state, request, Ok(()));
    assert_eq!(across(&state), ["Root/Dev", "Root/Prod", "(no OU)"]);
    assert_eq!(state.level().column, 0, "the cursor on the first OU");
    let row = state.level().table.selected_row().unwrap();
    let cells: Vec<&str> = row.cells[crate::tui::views::matrix::FROZEN..]
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(
        cells,
        ["name of pa-1↓", "name of pa-2 name of pa-1↓", "not read"]
    );
    // Enter on Root/Prod: the product's provisioned products in its accounts.
    state.update(code(KeyCode::Right));
    state.update(code(KeyCode::Enter));
    assert_eq!(state.screen(), Screen::Provisioned);
    assert!(matches!(
        &state.level().scope,
        Scope::Cell { account, within, .. } if account == "Root/Prod" && within == &["spoke-prod"]
    ));
    let catalog = state.catalog.clone();
    state.level_mut().refresh(&catalog);
    assert_eq!(state.level().table.visible_keys(), ["pp-p1", "pp-p2"]);
    state.update(code(KeyCode::Esc));
    // b again: accounts across.
    assert!(state.update(key('b')).is_empty());
    assert_eq!(across(&state), ["gone", "spoke-dev", "spoke-prod"]);
}

#[test]
fn stale_answers_are_dropped_and_a_failed_read_groups_nothing() {
    let mut state = org_matrix();
    let first = ask_by_ou(&mut state);
    state.update(key('b')); // back to accounts before it answers
    answer(&mut state, first, Ok(()));
    assert!(
        state.catalog.by_ou.is_none(),
        "an answer no longer asked for"
    );
    let second = ask_by_ou(&mut state);
    assert_ne!(first, second);
    answer(&mut state, first, Ok(()));
    assert!(
        state.catalog.by_ou.as_ref().is_some_and(|o| o.loading),
        "the older answer is stale"
    );
    answer(
        &mut state,
        second,
        Err("ListRoots: HTTP 400 access denied".into()),
    );
    assert!(state.catalog.by_ou.is_none());
    assert!(
        state
            .status
            .text
            .contains("could not be read: ListRoots: HTTP 400"),
        "{}",
        state.status.text
    );
    assert_eq!(across(&state), ["gone", "spoke-dev", "spoke-prod"]);
}

#[test]
fn snapshot_the_matrix_by_ou() {
    let mut state = org_matrix();
    let request = ask_by_ou(&mut state);
    answer(&mut state, request, Ok(()));
    let shown = super::act_tests::screen(&mut state, 110, 12);
    insta::assert_snapshot!(shown);
}
