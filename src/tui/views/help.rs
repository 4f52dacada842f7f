//! `?`: the keys, generated from the keymap itself (so it never disagrees
//! with what the keys do), grouped, and the `:` commands; typing filters.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::tui::app::State;
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;
use crate::tui::views::overlay_area;
use crate::tui::widgets::command::COMMANDS;

/// One line of the help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Group(String),
    Entry { keys: String, help: String },
}

/// The help, keeping the entries where every word of `filter` appears (in
/// the keys, the description or the group, ignoring case).
pub fn lines(keymap: &Keymap, filter: &str) -> Vec<HelpLine> {
    let words: Vec<String> = filter.split_whitespace().map(str::to_lowercase).collect();
    let keep = |group: &str, keys: &str, help: &str, name: &str| {
        let text = format!("{group} {keys} {help} {name}").to_lowercase();
        words.iter().all(|w| text.contains(w.as_str()))
    };
    let mut groups: Vec<(String, Vec<(String, String)>)> = keymap
        .groups()
        .into_iter()
        .map(|(group, bindings)| {
            let entries = bindings
                .into_iter()
                .map(|b| (b.keys_label(), b.help.clone(), b.action.name()))
                .filter(|(keys, help, name)| keep(group, keys, help, name))
                .map(|(keys, help, _)| (keys, help))
                .collect();
            (group.to_string(), entries)
        })
        .collect();
    let commands = COMMANDS
        .iter()
        .map(|c| {
            let mut keys = format!(":{}", c.name);
            for alias in c.aliases {
                keys.push_str(&format!(" :{alias}"));
            }
            match c.arg {
                crate::tui::widgets::command::Arg::None => {}
                crate::tui::widgets::command::Arg::Profile => keys.push_str(" [NAME]"),
                crate::tui::widgets::command::Arg::Region => keys.push_str(" NAME"),
                crate::tui::widgets::command::Arg::Policy => keys.push_str(" [POLICY]"),
                crate::tui::widgets::command::Arg::Path => keys.push_str(" DIR"),
            }
            (keys, c.help.to_string(), c.name)
        })
        .filter(|(keys, help, name)| keep("Commands", keys, help, name))
        .map(|(keys, help, _)| (keys, help))
        .collect();
    groups.push(("Commands".into(), commands));
    groups
        .into_iter()
        .filter(|(_, entries)| !entries.is_empty())
        .flat_map(|(group, entries)| {
            std::iter::once(HelpLine::Group(group)).chain(
                entries
                    .into_iter()
                    .map(|(keys, help)| HelpLine::Entry { keys, help }),
            )
        })
        .collect()
}

/// Draws the overlay over `area`; returns how many lines fit.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) -> usize {
    let area = overlay_area(frame, area, 84, 90);
    let all = lines(state.keymap(), state.help().filter());
    let key_width = all
        .iter()
        .map(|l| match l {
            HelpLine::Entry { keys, .. } => keys.chars().count(),
            HelpLine::Group(_) => 0,
        })
        .max()
        .unwrap_or(0);
    let mut title = vec![Span::styled(" Help ", theme.overlay.title)];
    if !state.help().filter().is_empty() {
        title.push(Span::styled(
            format!("/{} ", state.help().filter()),
            theme.table.filter,
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.overlay.border)
        .title(Line::from(title));
    let height = block.inner(area).height as usize;
    let inner_width = block.inner(area).width as usize;
    let text: Vec<Line> = if all.is_empty() {
        vec![Line::styled(
            format!(
                "  Nothing matches “{}” — Esc clears.",
                state.help().filter()
            ),
            theme.table.empty,
        )]
    } else {
        all.iter()
            .skip(state.help().offset())
            .take(height)
            .map(|l| match l {
                HelpLine::Group(g) => Line::styled(g.clone(), theme.table.header),
                // A help cut by a narrow overlay ends in an ellipsis.
                HelpLine::Entry { keys, help } => {
                    Line::from(crate::tui::widgets::text::truncate_spans(
                        vec![
                            Span::styled(format!("  {keys:<key_width$}  "), theme.hints.key),
                            Span::raw(help.clone()),
                        ],
                        inner_width,
                    ))
                }
            })
            .collect()
    };
    frame.render_widget(Paragraph::new(text).block(block), area);
    height
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_help_lists_every_action_by_group_then_the_commands() {
        let keymap = Keymap::defaults();
        let all = lines(keymap, "");
        let entries = all
            .iter()
            .filter(|l| matches!(l, HelpLine::Entry { .. }))
            .count();
        assert_eq!(
            entries,
            crate::tui::keymap::Action::ALL.len() + COMMANDS.len()
        );
        assert_eq!(all[0], HelpLine::Group("Move".into()));
        assert_eq!(
            all[1],
            HelpLine::Entry {
                keys: "j/↓".into(),
                help: "next row".into()
            }
        );
        assert!(all.contains(&HelpLine::Entry {
            keys: ":portfolios :pf".into(),
            help: "the portfolios screen".into()
        }));
    }

    #[test]
    fn typing_filters_the_help() {
        let keymap = Keymap::defaults();
        let found = lines(keymap, "MARK");
        assert_eq!(found[0], HelpLine::Group("Table".into()));
        let keys: Vec<&str> = found
            .iter()
            .filter_map(|l| match l {
                HelpLine::Entry { keys, .. } => Some(keys.as_str()),
                HelpLine::Group(_) => None,
            })
            .collect();
        // The marking keys, and terminate, which takes the marked rows.
        assert_eq!(keys, ["Space", "Ctrl-a", "Ctrl-\\", "T"]);
        // Words may come from the group and the description.
        assert_eq!(lines(keymap, "move page").len(), 3);
        assert_eq!(
            lines(keymap, "region").last(),
            Some(&HelpLine::Entry {
                keys: ":region NAME".into(),
                help: "switch region".into()
            })
        );
        assert!(lines(keymap, "zzzz").is_empty());
    }
}
