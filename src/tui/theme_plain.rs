//! The theme without colours (`--color never`, `NO_COLOR`): every colour
//! goes, the modifiers stay, and what only a background colour made
//! visible (the read-only badge, the focused field) is reversed instead,
//! so the selection and the badges still show.

use ratatui::style::{Color, Modifier, Style};

use super::theme::Theme;

/// Styles that say something is wrong: bold, where red said it.
const ALARMS: &[(&str, &str)] = &[
    ("status", "error"),
    ("tones", "bad"),
    ("drift", "inactive"),
    ("drift", "tainted"),
    ("events", "failed"),
    ("form", "error"),
    ("form", "required"),
];

impl Theme {
    /// This theme with no colour at all.
    pub fn without_colours(&self) -> Theme {
        let mut theme = self.clone();
        theme.for_each_style(|section, key, style| {
            let alarm = ALARMS.contains(&(section, key));
            *style = plain(*style, alarm);
        });
        theme
    }
}

/// `style` without its colours, keeping what they meant as modifiers.
fn plain(style: Style, alarm: bool) -> Style {
    let mut add = style.add_modifier;
    let shown_by_background = style.bg.is_some_and(|c| c != Color::Reset);
    if shown_by_background && !add.contains(Modifier::REVERSED) {
        add |= Modifier::REVERSED;
    }
    if style.fg == Some(Color::DarkGray) {
        add |= Modifier::DIM;
    }
    if alarm {
        add |= Modifier::BOLD;
    }
    Style::new()
        .add_modifier(add)
        .remove_modifier(style.sub_modifier)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_colour_is_left_but_the_selection_and_badges_show() {
        let plain = Theme::defaults().without_colours();
        let mut coloured = Vec::new();
        plain.clone().for_each_style(|section, key, style| {
            if style.fg.is_some() || style.bg.is_some() || style.underline_color.is_some() {
                coloured.push(format!("{section}.{key}"));
            }
        });
        assert!(coloured.is_empty(), "still coloured: {coloured:?}");
        assert!(
            plain
                .table
                .selection
                .add_modifier
                .contains(Modifier::REVERSED)
        );
        assert!(
            plain
                .header
                .read_only
                .add_modifier
                .contains(Modifier::REVERSED)
        );
        assert!(plain.header.read_only.add_modifier.contains(Modifier::BOLD));
        assert!(plain.form.focused.add_modifier.contains(Modifier::REVERSED));
        assert!(plain.form.cursor.add_modifier.contains(Modifier::REVERSED));
        assert!(plain.tones.bad.add_modifier.contains(Modifier::BOLD));
        assert!(plain.tones.dim.add_modifier.contains(Modifier::DIM));
        // A style that removes a modifier still does.
        let s = plain_of(Style::new().fg(Color::Red).remove_modifier(Modifier::BOLD));
        assert!(s.sub_modifier.contains(Modifier::BOLD) && s.fg.is_none());
    }

    fn plain_of(style: Style) -> Style {
        plain(style, false)
    }
}
