//! `:matrix` over a fleet: one row per product, a column per account (the
//! one not read says so), the cursor across with ←/→, Enter on a cell
//! lists its provisioned products.

use super::bulk_tests::fleet;
use super::tests::{code, command_line};
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
