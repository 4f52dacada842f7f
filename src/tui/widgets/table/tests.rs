use std::cmp::Ordering;

use ratatui::layout::Rect;

use super::draw::wrap;
use super::*;
use crate::tui::theme::Theme;

pub(super) fn columns() -> Vec<Column> {
    vec![
        Column::new("Name", Width::Fill(1)),
        Column::new("Id", Width::Auto { min: 4, max: 20 }),
        Column::new("Drift", Width::Fixed(10)).sort(SortKey::Value),
        Column::new("Note", Width::Fill(1)).sort(SortKey::Unsorted),
    ]
}

pub(super) fn row(id: &str, name: &str, drift: (&str, i64)) -> TableRow {
    TableRow::new(
        id,
        vec![
            Cell::new(name),
            Cell::new(id),
            Cell::new(drift.0).value(drift.1),
            Cell::new(""),
        ],
    )
}

pub(super) fn model() -> TableModel {
    let mut m = TableModel::new(columns());
    m.set_rows(vec![
        row("pp-10", "web-prod", ("CURRENT", 5)),
        row("pp-2", "Network hub", ("TAINTED", 0)),
        row("pp-1", "api-dev", ("BEHIND 2", 4)),
        row("pp-3", "Web-dev", ("ON_INACTIVE", 1)),
    ]);
    m.set_height(10);
    m
}

pub(super) fn keys(m: &TableModel) -> Vec<&str> {
    m.visible_rows().map(|r| r.key.as_str()).collect()
}

#[test]
fn the_filter_is_fuzzy_across_cells() {
    let mut m = model();
    m.set_filter("web");
    assert_eq!(keys(&m), ["pp-10", "pp-3"]);
    // Every word must match.
    m.set_filter("web dev");
    assert_eq!(keys(&m), ["pp-3"]);
    m.set_filter("zzz");
    assert!(m.is_empty());
    assert_eq!(m.total(), 4);
    m.clear_filter();
    assert_eq!(m.len(), 4);
}

#[test]
fn one_character_is_found_in_any_cell_either_case_and_a_word_within_one_cell() {
    let mut m = model();
    // a "t" (either case) in some cell of every row but pp-1; TAINTED's
    // is a word's first letter: its row ranks first.
    m.set_filter("t");
    assert_eq!(keys(&m), ["pp-2", "pp-10", "pp-3"]);
    m.set_filter("!t");
    assert_eq!(keys(&m), ["pp-1"]);
    // "pc": p in the key-like first cell, c in another: no one cell holds both in order
    m.set_filter("pc");
    assert!(m.is_empty(), "{:?}", keys(&m));
    m.set_filter("É");
    assert!(m.is_empty());
}

#[test]
fn a_bang_keeps_the_rows_without_that_word() {
    let mut m = model();
    m.set_filter("!web");
    assert_eq!(keys(&m), ["pp-2", "pp-1"]);
    // Per word: not web, and dev.
    m.set_filter("!web dev");
    assert_eq!(keys(&m), ["pp-1"]);
    // A lone `!` filters nothing yet.
    m.set_filter("!");
    assert_eq!(m.len(), 4);
}

#[test]
fn column_value_matches_in_one_column_named_by_a_prefix() {
    let mut m = model();
    m.set_filter("dr:tainted");
    assert_eq!(keys(&m), ["pp-2"]);
    m.set_filter("DRIFT:b");
    assert_eq!(keys(&m), ["pp-1"]);
    // "id:1" looks in the id column only ("pp-10", "pp-1").
    m.set_filter("id:1");
    assert_eq!(keys(&m), ["pp-10", "pp-1"]);
    // `!id:1` is `id:!1`.
    m.set_filter("!id:1");
    assert_eq!(keys(&m), ["pp-2", "pp-3"]);
    m.set_filter("id:!1");
    assert_eq!(keys(&m), ["pp-2", "pp-3"]);
    // Not a column: the whole word is a fuzzy term.
    m.set_filter("xyz:1");
    assert!(m.is_empty());
    // While the value is still being typed, the column alone filters nothing.
    m.set_filter("drift:");
    assert_eq!(m.len(), 4);
}

#[test]
fn sort_cycles_through_sortable_columns_and_flips() {
    let mut m = model();
    assert_eq!(m.sort(), None);
    m.cycle_sort();
    assert_eq!(
        m.sort(),
        Some(Sort {
            column: 0,
            order: Order::Ascending
        })
    );
    // Case-insensitive.
    assert_eq!(keys(&m), ["pp-1", "pp-2", "pp-3", "pp-10"]);
    m.cycle_sort();
    // Numbers by value: pp-2 before pp-10.
    assert_eq!(keys(&m), ["pp-1", "pp-2", "pp-3", "pp-10"]);
    assert_eq!(m.sort().unwrap().column, 1);
    m.reverse_sort();
    assert_eq!(keys(&m), ["pp-10", "pp-3", "pp-2", "pp-1"]);
    m.cycle_sort();
    // By the cells' values: severity, not text.
    assert_eq!(
        m.sort(),
        Some(Sort {
            column: 2,
            order: Order::Ascending
        })
    );
    assert_eq!(keys(&m), ["pp-2", "pp-3", "pp-1", "pp-10"]);
    // The note column is not sortable: back to data order.
    m.cycle_sort();
    assert_eq!(m.sort(), None);
    assert_eq!(keys(&m), ["pp-10", "pp-2", "pp-1", "pp-3"]);
    m.reverse_sort();
    assert_eq!(
        m.sort(),
        Some(Sort {
            column: 0,
            order: Order::Descending
        })
    );
}

#[test]
fn natural_order() {
    assert_eq!(natural_cmp("pp-2", "pp-10"), Ordering::Less);
    assert_eq!(natural_cmp("pp-010", "pp-9"), Ordering::Greater);
    assert_eq!(natural_cmp("B", "a"), Ordering::Greater);
    assert_eq!(natural_cmp("a", "a1"), Ordering::Less);
    assert_eq!(natural_cmp("v1.10", "v1.9"), Ordering::Greater);
    assert_eq!(natural_cmp("x", "X"), Ordering::Equal);
}

#[test]
fn the_selection_stays_on_its_row_through_a_resort() {
    let mut m = model();
    m.move_by(2);
    assert_eq!(m.selected_key(), Some("pp-1"));
    m.cycle_sort();
    assert_eq!(m.selected_key(), Some("pp-1"));
    assert_eq!(m.selected(), 0);
    m.reverse_sort();
    assert_eq!(m.selected_key(), Some("pp-1"));
    assert_eq!(m.selected(), 3);
}

#[test]
fn the_selection_stays_on_its_row_through_a_refresh() {
    let mut m = model();
    m.select_key("pp-1");
    // New data: a row arrives before it, the order changes.
    m.set_rows(vec![
        row("pp-0", "new", ("CURRENT", 5)),
        row("pp-3", "Web-dev", ("ON_INACTIVE", 1)),
        row("pp-1", "api-dev", ("CURRENT", 5)),
        row("pp-10", "web-prod", ("CURRENT", 5)),
    ]);
    assert_eq!(m.selected_key(), Some("pp-1"));
    assert_eq!(m.selected(), 2);
    // Its row is gone: the neighbour at the same place.
    m.set_rows(vec![
        row("pp-0", "new", ("CURRENT", 5)),
        row("pp-3", "Web-dev", ("ON_INACTIVE", 1)),
        row("pp-10", "web-prod", ("CURRENT", 5)),
    ]);
    assert_eq!(m.selected_key(), Some("pp-10"));
    m.set_rows(vec![]);
    assert_eq!(m.selected_key(), None);
    assert_eq!(m.selected(), 0);
}

#[test]
fn a_filter_keeps_the_selected_row_if_it_matches_else_goes_to_the_top() {
    let mut m = model();
    m.select_key("pp-3");
    m.set_filter("web");
    assert_eq!(m.selected_key(), Some("pp-3"));
    m.set_filter("api");
    assert_eq!(m.selected_key(), Some("pp-1"));
    m.clear_filter();
    assert_eq!(m.selected_key(), Some("pp-1"));
}

#[test]
fn marks_follow_keys_and_drop_with_their_rows() {
    let mut m = model();
    m.toggle_mark();
    assert!(m.is_marked("pp-10"));
    // Marking moves on, so Space Space marks two rows.
    assert_eq!(m.selected_key(), Some("pp-2"));
    m.toggle_mark();
    assert_eq!(m.marked_keys(), ["pp-10", "pp-2"]);
    m.move_by(-2);
    m.toggle_mark();
    assert_eq!(m.marked_keys(), ["pp-2"]);

    m.set_filter("web");
    m.mark_all_visible();
    assert_eq!(m.marked_keys(), ["pp-10", "pp-2", "pp-3"]);
    m.clear_filter();
    m.cycle_sort();
    assert_eq!(m.mark_count(), 3);

    m.set_rows(vec![row("pp-3", "Web-dev", ("ON_INACTIVE", 1))]);
    assert_eq!(m.marked_keys(), ["pp-3"]);
    m.clear_marks();
    assert_eq!(m.mark_count(), 0);
}

#[test]
fn moving_keeps_the_selection_in_the_window() {
    let mut m = TableModel::new(columns());
    m.set_rows(
        (0..100)
            .map(|i| row(&format!("pp-{i}"), "n", ("CURRENT", 5)))
            .collect(),
    );
    m.set_height(10);
    m.move_by(15);
    assert_eq!((m.selected(), m.offset()), (15, 6));
    m.page_down();
    assert_eq!((m.selected(), m.offset()), (25, 16));
    m.page_up();
    assert_eq!((m.selected(), m.offset()), (15, 16 - 1));
    m.bottom();
    assert_eq!((m.selected(), m.offset()), (99, 90));
    m.move_by(5);
    assert_eq!(m.selected(), 99);
    m.top();
    assert_eq!((m.selected(), m.offset()), (0, 0));
    m.move_by(-3);
    assert_eq!(m.selected(), 0);
    // A taller screen shows more; the window never runs past the end.
    m.bottom();
    assert_eq!(m.window(30), (70, 30));
    assert_eq!(m.window(200), (0, 100));
}

#[test]
fn the_view_is_recomputed_only_when_filter_sort_or_data_change() {
    let mut m = model();
    let before = m.recomputes();
    m.move_by(1);
    m.page_down();
    m.top();
    m.toggle_mark();
    m.set_height(5);
    assert_eq!(m.recomputes(), before);
    m.set_filter("w");
    m.set_filter("w");
    assert_eq!(m.recomputes(), before + 1);
    // A filter that parses the same (a trailing space) does not recompute.
    m.set_filter("w ");
    assert_eq!(m.recomputes(), before + 1);
    m.cycle_sort();
    assert_eq!(m.recomputes(), before + 2);
}

#[test]
fn ten_thousand_rows_cost_what_the_visible_rows_cost() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let mut m = TableModel::new(columns());
    let rows: Vec<TableRow> = (0..10_000)
        .map(|i| {
            row(
                &format!("pp-{i:05}"),
                &format!("product {i} of team {}", i % 37),
                ("CURRENT", 5),
            )
        })
        .collect();
    m.set_rows(rows);
    let theme = Theme::default();
    let mut terminal = Terminal::new(TestBackend::new(160, 50)).unwrap();
    let mut draw = |m: &mut TableModel| {
        terminal
            .draw(|f| {
                let h = draw(
                    f,
                    f.area(),
                    m,
                    &theme,
                    Chrome::new("Provisioned", "none", &theme),
                );
                m.set_height(h);
            })
            .unwrap();
    };
    draw(&mut m);
    let started = std::time::Instant::now();
    for _ in 0..20 {
        m.move_by(1);
        draw(&mut m);
    }
    let per_move = started.elapsed() / 20;
    let started = std::time::Instant::now();
    for filter in ["t", "te", "tea", "team", "team 1", "team 12"] {
        m.set_filter(filter);
        draw(&mut m);
    }
    let per_keystroke = started.elapsed() / 6;
    assert!(!m.is_empty() && m.len() < 10_000);
    eprintln!("10,000 rows: {per_move:?} per move, {per_keystroke:?} per filter keystroke");
    // Generous for unoptimized test builds on a loaded machine; release is far below 16 ms.
    assert!(per_move.as_millis() < 100, "{per_move:?}");
    assert!(per_keystroke.as_millis() < 200, "{per_keystroke:?}");
}

#[test]
fn columns_take_what_they_need_and_fill_columns_share_the_rest() {
    let cols = columns();
    // Name (fill) wants 12, Id (auto 4..20) 8, Drift fixed 10, Note (fill) 6.
    let content = [12, 8, 10, 6];
    // Room: 60 - 2 - 4 = 54; wanted 36; 18 more shared by weight 1:1.
    assert_eq!(column_widths(&cols, &content, None, 60), [21, 8, 10, 15]);
    // Short of room: the Fill columns give first, down to their floor.
    assert_eq!(column_widths(&cols, &content, None, 40), [10, 8, 10, 6]);
    // Then the Auto columns.
    assert_eq!(column_widths(&cols, &content, None, 37), [10, 5, 10, 6]);
    // The sorted column makes room for its arrow.
    let sorted = Some(Sort {
        column: 1,
        order: Order::Ascending,
    });
    assert_eq!(column_widths(&cols, &[12, 2, 10, 6], sorted, 37)[1], 4);
    // Far too narrow: the floors, and the table clips.
    assert_eq!(column_widths(&cols, &content, None, 10), [10, 4, 10, 6]);
}

#[test]
fn long_values_wrap_by_words_and_cut_long_words() {
    assert_eq!(wrap("a bb ccc", 8), ["a bb ccc"]);
    assert_eq!(wrap("aaaa bbbb cccc", 9), ["aaaa bbbb", "cccc"]);
    assert_eq!(
        wrap(
            "arn:aws:catalog:eu-west-1:111111111111:portfolio/port-x",
            20
        ),
        // Between the ARN's parts, not mid-token.
        [
            "arn:aws:catalog:",
            "eu-west-1:",
            "111111111111:",
            "portfolio/port-x"
        ]
    );
    assert_eq!(wrap("", 10), [""]);
}

#[test]
fn the_detail_pane_goes_right_when_wide_below_when_tall() {
    let (table, detail) = split_detail(Rect::new(0, 0, 160, 30), true);
    assert_eq!(table.width + detail.unwrap().width, 160);
    assert_eq!(detail.unwrap().x, table.width);
    let (table, detail) = split_detail(Rect::new(0, 0, 100, 40), true);
    assert_eq!(detail.unwrap().y, table.height);
    assert_eq!(split_detail(Rect::new(0, 0, 100, 20), true).1, None);
    assert_eq!(split_detail(Rect::new(0, 0, 200, 40), false).1, None);
}

#[test]
fn a_wide_column_is_shown_only_with_room_for_every_column_at_full_width() {
    let mut cols = columns();
    cols.push(Column::new("Owner", Width::Auto { min: 5, max: 30 }).wide());
    let content = [12, 8, 10, 6, 20];
    // Room for all: 2 + (12+1) + (8+1) + (10+1) + (6+1) + (20+1) = 63.
    let wide = column_widths(&cols, &content, None, 63);
    assert_eq!(wide, [12, 8, 10, 6, 20]);
    // One cell short: the wide column goes, the others take its room.
    let narrow = column_widths(&cols, &content, None, 62);
    assert_eq!(narrow[4], 0);
    assert_eq!(
        &narrow[..4],
        column_widths(&cols[..4], &content[..4], None, 62)
    );
    // A sort on a column after it still points at the right one.
    let sorted = Some(Sort {
        column: 1,
        order: Order::Ascending,
    });
    assert_eq!(column_widths(&cols, &[12, 2, 10, 6, 20], sorted, 37)[1], 4);
}

#[test]
fn a_filter_on_a_column_that_does_not_exist_says_so_and_lists_the_columns() {
    let mut m = TableModel::new(columns());
    m.set_rows(vec![row("pp-1", "vpc", ("CURRENT", 0))]);
    m.set_filter("regoin:x");
    let problem = m.filter_problem().unwrap();
    assert_eq!(
        problem,
        "no column regoin: regoin:… is matched as text — columns: name, id, drift, note"
    );
    m.set_filter("dr:cur");
    assert_eq!(m.filter_problem(), None);
    m.set_filter("!name:vpc");
    assert_eq!(m.filter_problem(), None);
}
