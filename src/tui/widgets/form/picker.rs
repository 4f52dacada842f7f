//! A choice's open list: typing filters it as a table's `/` does (best
//! match first), ↑/↓ move, Enter picks.

use super::super::table::{Matcher, ranked};
use super::{Form, Input, LIST_ROWS};
use crate::tui::keymap::{Action, Typed};

/// An open choice list: what is typed to filter it, the highlighted match
/// and the first match shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Picker {
    pub(super) filter: String,
    pub(super) highlight: usize,
    pub(super) offset: usize,
    /// The filter's matcher, kept while the list is open.
    pub(super) matcher: Matcher,
}

impl Form {
    pub(super) fn open_picker(&mut self, filter: String, highlight: usize) {
        let mut picker = Picker {
            filter,
            highlight,
            offset: 0,
            matcher: Matcher::default(),
        };
        if !picker.filter.is_empty() {
            picker.highlight = 0;
        }
        picker.offset = picker.highlight.saturating_sub(LIST_ROWS - 1);
        self.picker = Some(picker);
    }

    /// The options the open list shows: indices into the focused choice's.
    pub(super) fn matches(&self) -> Vec<usize> {
        let (Some(picker), Some(Input::Choice { options, .. })) =
            (&self.picker, self.fields.get(self.focus).map(|f| &f.input))
        else {
            return Vec::new();
        };
        ranked(
            &picker.filter,
            options.iter().map(String::as_str),
            &picker.matcher,
        )
    }

    pub(super) fn picker_key(&mut self, key: Typed) {
        let matches = self.matches();
        let Some(picker) = self.picker.as_mut() else {
            return;
        };
        let last = matches.len().saturating_sub(1);
        match key {
            Typed::Do(Action::Cancel) => self.picker = None,
            Typed::Do(step @ (Action::NextField | Action::PreviousField)) => {
                self.picker = None;
                self.move_focus(step == Action::NextField);
            }
            Typed::Do(Action::Enter) => {
                if let Some(&choice) = matches.get(picker.highlight) {
                    let field = &mut self.fields[self.focus];
                    if let Input::Choice { selected, .. } = &mut field.input
                        && *selected != choice
                    {
                        *selected = choice;
                        field.error = None;
                    }
                }
                self.picker = None;
            }
            Typed::Do(Action::LineUp) => picker.highlight = picker.highlight.saturating_sub(1),
            Typed::Do(Action::LineDown) => picker.highlight = (picker.highlight + 1).min(last),
            Typed::Do(Action::ListPageUp) => {
                picker.highlight = picker.highlight.saturating_sub(LIST_ROWS)
            }
            Typed::Do(Action::ListPageDown) => {
                picker.highlight = (picker.highlight + LIST_ROWS).min(last)
            }
            Typed::Do(Action::LineStart) => picker.highlight = 0,
            Typed::Do(Action::LineEnd) => picker.highlight = last,
            Typed::Do(Action::DeleteBack) => {
                picker.filter.pop();
                picker.highlight = 0;
            }
            Typed::Do(Action::ClearLine) => {
                picker.filter.clear();
                picker.highlight = 0;
            }
            Typed::Char(c) if picker.filter.chars().count() < 256 => {
                picker.filter.push(c);
                picker.highlight = 0;
            }
            _ => {}
        }
        if let Some(picker) = self.picker.as_mut() {
            if picker.highlight < picker.offset {
                picker.offset = picker.highlight;
            } else if picker.highlight >= picker.offset + LIST_ROWS {
                picker.offset = picker.highlight + 1 - LIST_ROWS;
            }
        }
    }
}
