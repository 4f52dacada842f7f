//! The filter as a picker's: nucleo's atoms, columns, smart case, the
//! ranking, and the highlights traced onto the cells drawn.

use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Modifier, Style};

use super::highlight::spans;
use super::tests::{columns, keys, model, row};
use super::*;
use crate::tui::theme::Theme;

fn named(names: &[&str]) -> TableModel {
    let mut m = TableModel::new(columns());
    m.set_rows(
        names
            .iter()
            .enumerate()
            .map(|(i, n)| row(&format!("r{i}"), n, ("CURRENT", 0)))
            .collect(),
    );
    m.set_height(10);
    m
}

#[test]
fn each_atom_kind_filters_as_helix_pickers_do() {
    let mut m = model();
    // fuzzy: in order, gaps allowed, within one cell
    m.set_filter("wbv");
    assert_eq!(keys(&m), ["pp-3"]);
    // d at a word's start in Web-dev, not in web-prod
    m.set_filter("wbd");
    assert_eq!(keys(&m), ["pp-3", "pp-10"]);
    // 'exact: a substring
    m.set_filter("'web");
    assert_eq!(keys(&m), ["pp-10", "pp-3"]);
    m.set_filter("'wbd");
    assert!(m.is_empty());
    // ^prefix and suffix$: of a cell
    m.set_filter("^net");
    assert_eq!(keys(&m), ["pp-2"]);
    m.set_filter("^hub");
    assert!(m.is_empty());
    m.set_filter("dev$");
    assert_eq!(keys(&m), ["pp-1", "pp-3"]);
    // ^whole$
    m.set_filter("^pp-1$");
    assert_eq!(keys(&m), ["pp-1"]);
    // !not: a substring no cell holds
    m.set_filter("!dev");
    assert_eq!(keys(&m), ["pp-10", "pp-2"]);
    m.set_filter("!^pp-1");
    assert_eq!(keys(&m), ["pp-2", "pp-3"]);
    // An escaped space is part of the word.
    m.set_filter("network\\ h");
    assert_eq!(keys(&m), ["pp-2"]);
}

#[test]
fn case_is_smart_lower_case_ignores_it_a_capital_respects_it() {
    let mut m = named(&["ABC", "abc"]);
    m.set_filter("abc");
    assert_eq!(keys(&m), ["r0", "r1"]);
    m.set_filter("Abc");
    assert!(m.is_empty());
    m.set_filter("ABC");
    assert_eq!(keys(&m), ["r0"]);
    // Unicode too, and accents are matched loosely from a plain letter.
    let mut m = named(&["Été", "ete"]);
    m.set_filter("été");
    assert_eq!(keys(&m), ["r0"]);
    m.set_filter("ete");
    assert_eq!(keys(&m).len(), 2);
}

#[test]
fn a_column_scoped_term_takes_the_atoms_in_its_value() {
    let mut m = model();
    m.set_filter("drift:^TAIN");
    assert_eq!(keys(&m), ["pp-2"]);
    m.set_filter("drift:^tain");
    assert_eq!(keys(&m), ["pp-2"]);
    // TAINTED holds "tain" but not at its start.
    m.set_filter("drift:'ain");
    assert_eq!(keys(&m), ["pp-2"]);
    m.set_filter("name:!web");
    assert_eq!(keys(&m), ["pp-2", "pp-1"]);
    m.set_filter("name:dev$ id:!3");
    assert_eq!(keys(&m), ["pp-1"]);
    // In another column, the word does not count.
    m.set_filter("id:web");
    assert!(m.is_empty());
}

#[test]
fn a_contiguous_or_word_start_match_ranks_above_a_scattered_one() {
    let mut m = named(&["vault-provider-config", "my-vpcs", "vpc-main", "legacy vpc"]);
    m.set_filter("vpc");
    // Whole at a word's start, then whole inside a word, then strewn.
    assert_eq!(keys(&m), ["r2", "r3", "r1", "r0"]);
    // Equal scores keep the data order.
    let mut m = named(&["b-web", "a-web", "c-web"]);
    m.set_filter("web");
    assert_eq!(keys(&m), ["r0", "r1", "r2"]);
    // Typed on, ranked again: the same as typed at once.
    let mut m = named(&["vault-provider-config", "my-vpcs", "vpc-main", "legacy vpc"]);
    for typed in ["v", "vp", "vpc"] {
        m.set_filter(typed);
    }
    assert_eq!(keys(&m), ["r2", "r3", "r1", "r0"]);
}

#[test]
fn a_sort_chosen_wins_over_the_ranking() {
    let mut m = named(&["vault-provider-config", "my-vpcs", "vpc-main", "legacy vpc"]);
    m.set_filter("vpc");
    m.cycle_sort();
    // By name: legacy, my, vault, vpc.
    assert_eq!(keys(&m), ["r3", "r1", "r0", "r2"]);
    // Typing on keeps the sort.
    m.set_filter("vpcs");
    assert_eq!(keys(&m), ["r1"]);
    m.set_filter("vpc");
    assert_eq!(keys(&m), ["r3", "r1", "r0", "r2"]);
    // Back to data order: ranked again.
    m.sort_by(None);
    assert_eq!(keys(&m), ["r2", "r3", "r1", "r0"]);
}

#[test]
fn a_list_is_ranked_the_same_way() {
    let matcher = Matcher::default();
    let options = ["vault-provider-config", "vpc", "other"];
    assert_eq!(ranked("vpc", options.into_iter(), &matcher), [1, 0]);
    assert_eq!(ranked("", options.into_iter(), &matcher), [0, 1, 2]);
    assert_eq!(ranked("!vpc", options.into_iter(), &matcher), [0, 2]);
}

fn hits(line: &ratatui::text::Line) -> String {
    line.spans
        .iter()
        .map(|s| {
            if s.style.add_modifier.contains(Modifier::BOLD) {
                format!("[{}]", s.content)
            } else {
                s.content.to_string()
            }
        })
        .collect()
}

#[test]
fn highlights_are_traced_onto_what_is_drawn() {
    let hit = Style::new().add_modifier(Modifier::BOLD);
    let base = Style::new();
    let line = spans("web-prod", "web-prod".into(), &[0, 1, 2], base, hit);
    assert_eq!(hits(&line), "[web]-prod");
    // The end cut: what is past the cut is not drawn, the ellipsis never hit.
    let line = spans("web-prod", "web-p…".into(), &[4, 7], base, hit);
    assert_eq!(hits(&line), "web-[p]…");
    // An id's middle cut: the tail keeps its positions.
    let line = spans("pp-0000000123", "pp-0…123".into(), &[0, 10, 12], base, hit);
    assert_eq!(hits(&line), "[p]p-0…[1]2[3]");
    // Positions are characters, not bytes.
    let line = spans("été-dev", "été-dev".into(), &[1, 4], base, hit);
    assert_eq!(hits(&line), "é[t]é-[d]ev");
    // A control character drawn as its stand-in keeps its place.
    let line = spans("a\u{7}b", "a\u{2407}b".into(), &[2], base, hit);
    assert_eq!(hits(&line), "a\u{2407}[b]");
}

#[test]
fn the_drawn_cells_show_the_matched_characters_of_the_best_cell() {
    let mut m = named(&["my-vpcs", "vpc-main"]);
    m.set_filter("vpc");
    let theme = Theme::default();
    let mut terminal = Terminal::new(TestBackend::new(60, 8)).unwrap();
    terminal
        .draw(|f| {
            draw(f, f.area(), &m, &theme, Chrome::new("T", "none", &theme));
        })
        .unwrap();
    let buffer = terminal.backend().buffer();
    // The first row drawn (under the title and the header): the best.
    let y = 2;
    let line: String = (0..60).map(|x| buffer[(x, y)].symbol()).collect();
    let x0 = line[..line.find("vpc-main").unwrap()].chars().count() as u16;
    let matched = |x: u16| buffer[(x, y)].modifier.contains(Modifier::UNDERLINED);
    assert!((x0..x0 + 3).all(matched), "{line}");
    assert!(!matched(x0 + 3));
}

proptest! {
    #[test]
    fn no_filter_panics_and_typing_on_ranks_as_typing_at_once(
        names in prop::collection::vec("[a-cA-C é\\-'^$!:\\\\]{0,8}", 1..8),
        filter in "[a-cA-C é\\-'^$!:\\\\]{0,6}",
    ) {
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut typed = named(&refs);
        let mut end = String::new();
        for c in filter.chars() {
            end.push(c);
            typed.set_filter(&end);
        }
        let mut fresh = named(&refs);
        fresh.set_filter(&filter);
        prop_assert_eq!(keys(&typed), keys(&fresh));
        let theme = Theme::default();
        let mut terminal = Terminal::new(TestBackend::new(24, 8)).unwrap();
        terminal
            .draw(|f| {
                draw(f, f.area(), &fresh, &theme, Chrome::new("T", "none", &theme));
            })
            .unwrap();
    }

    #[test]
    fn highlights_never_panic(
        text in "\\PC{0,12}",
        drawn in "\\PC{0,12}",
        mut matched in prop::collection::vec(0u32..20, 0..6),
    ) {
        matched.sort_unstable();
        let line = spans(&text, drawn.clone(), &matched, Style::new(), Style::new());
        let out: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        prop_assert_eq!(out, drawn);
    }
}
