//! What a form does with a key: moving between fields, editing the focused
//! one, submitting or cancelling, and the hint line of the keys valid now.
//! Keys come as [`Typed`]: what the keymap's typing actions make of them.

use super::super::modal::Hint;
use super::super::text::{snap, step_grapheme};
use super::{Form, FormOutcome, Input};
use crate::tui::keymap::{Action, Keymap, Typed};

impl Form {
    /// The keys valid now, as (key, what it does), for a hint line.
    pub fn hints(&self, keys: &Keymap) -> Vec<Hint> {
        let k = |a: Action| keys.hint(a);
        if self.picker.is_some() {
            return vec![
                (keys.hint_pair(Action::LineUp, Action::LineDown), "move"),
                ("type".into(), "filter"),
                (k(Action::Enter), "pick"),
                (k(Action::Cancel), "close list"),
            ];
        }
        let mut hints = vec![(k(Action::NextField), "next")];
        let submit = match (self.read_only, self.plan_only) {
            (false, _) => "submit",
            (true, true) => "see the plan",
            (true, false) => "next",
        };
        match self.fields.get(self.focus).map(|f| &f.input) {
            Some(Input::Text { .. }) => hints.push((
                k(Action::Enter),
                if self.is_last(self.focus) {
                    submit
                } else {
                    "next"
                },
            )),
            Some(Input::Choice { .. }) => {
                hints.extend([
                    (
                        keys.hint_pair(Action::CursorLeft, Action::CursorRight),
                        "choose",
                    ),
                    (k(Action::Enter), "list"),
                ]);
            }
            Some(Input::Toggle(_)) => hints.push(("Space".into(), "flip")),
            Some(Input::Note(_)) => {}
            None if !self.read_only || self.plan_only => hints.push((k(Action::Enter), submit)),
            None => {}
        }
        if !self.read_only {
            hints.push((k(Action::Submit), "submit"));
        } else if self.plan_only {
            hints.push((k(Action::Submit), "see the plan"));
        }
        hints.push((
            k(Action::Cancel),
            if self.read_only { "close" } else { "cancel" },
        ));
        hints
    }

    /// Handles a key.
    pub fn key(&mut self, key: Typed) -> FormOutcome {
        if key == Typed::Do(Action::Submit) {
            self.picker = None;
            return self.submit();
        }
        if self.picker.is_some() {
            self.picker_key(key);
            return FormOutcome::Editing;
        }
        match key {
            Typed::Do(Action::Cancel) => return FormOutcome::Cancel,
            Typed::Do(Action::NextField) if self.complete_path() => {}
            Typed::Do(Action::NextField | Action::LineDown) => self.move_focus(true),
            Typed::Do(Action::PreviousField | Action::LineUp) => self.move_focus(false),
            _ => return self.field_key(key),
        }
        FormOutcome::Editing
    }

    /// Tab in a path field: completes it; false (Tab moves on) when it
    /// has nothing to add and nothing to list.
    fn complete_path(&mut self) -> bool {
        use super::path::{Completion, complete};
        let Some(field) = self.fields.get_mut(self.focus) else {
            return false;
        };
        let Input::Text { value, cursor, .. } = &mut field.input else {
            return false;
        };
        if !field.completes_paths || value.is_empty() || *cursor != value.len() {
            return false;
        }
        match complete(value) {
            Completion::Extended(path) if path != *value => {
                *value = path;
                *cursor = value.len();
                field.error = None;
                field.help = field.path_help.clone();
                true
            }
            Completion::Choices(names) => {
                if field.path_help.is_none() {
                    field.path_help = field.help.clone();
                }
                let shown: Vec<&str> = names.iter().take(8).map(String::as_str).collect();
                field.help = Some(format!(
                    "{} matches: {}{}",
                    names.len(),
                    shown.join(", "),
                    if names.len() > 8 { ", …" } else { "" }
                ));
                true
            }
            _ => false,
        }
    }

    fn submit(&mut self) -> FormOutcome {
        if self.read_only && !self.plan_only {
            FormOutcome::Editing
        } else {
            FormOutcome::Submit
        }
    }

    /// Enter on a text or a toggle: the next field, or submit from the last.
    fn next_or_submit(&mut self) -> FormOutcome {
        if self.is_last(self.focus) {
            self.submit()
        } else {
            self.move_focus(true);
            FormOutcome::Editing
        }
    }

    fn field_key(&mut self, key: Typed) -> FormOutcome {
        let Some(field) = self.fields.get_mut(self.focus) else {
            // The submit line.
            return match key {
                Typed::Do(Action::Enter) | Typed::Char(' ') => self.submit(),
                _ => FormOutcome::Editing,
            };
        };
        let before = field.input.clone();
        match &mut field.input {
            Input::Text {
                value,
                cursor,
                max_len,
                ..
            } => match key {
                Typed::Do(Action::Enter) => return self.next_or_submit(),
                Typed::Do(Action::CursorLeft) => *cursor = step_grapheme(value, *cursor, false),
                Typed::Do(Action::CursorRight) => *cursor = step_grapheme(value, *cursor, true),
                Typed::Do(Action::LineStart) => *cursor = 0,
                Typed::Do(Action::LineEnd) => *cursor = value.len(),
                Typed::Do(Action::ClearLine) => {
                    value.clear();
                    *cursor = 0;
                }
                Typed::Do(Action::DeleteBack) => {
                    let start = step_grapheme(value, *cursor, false);
                    value.replace_range(start..*cursor, "");
                    *cursor = start;
                }
                Typed::Do(Action::DeleteForward) => {
                    let end = step_grapheme(value, *cursor, true);
                    value.replace_range(*cursor..end, "");
                }
                Typed::Char(c) => {
                    if value.chars().count() >= *max_len {
                        field.error = Some(format!("at most {max_len} characters"));
                        return FormOutcome::Editing;
                    }
                    value.insert(*cursor, c);
                    *cursor = snap(value, *cursor + c.len_utf8());
                }
                _ => {}
            },
            Input::Choice { options, selected } => match key {
                Typed::Do(step @ (Action::CursorLeft | Action::CursorRight))
                    if !options.is_empty() =>
                {
                    let n = options.len();
                    *selected = if step == Action::CursorRight {
                        (*selected + 1) % n
                    } else {
                        (*selected + n - 1) % n
                    };
                }
                Typed::Do(Action::Enter) | Typed::Char(' ') => {
                    let highlight = *selected;
                    self.open_picker(String::new(), highlight);
                }
                Typed::Char(c) => self.open_picker(c.to_string(), 0),
                _ => {}
            },
            Input::Toggle(on) => match key {
                Typed::Do(Action::Enter) => return self.next_or_submit(),
                Typed::Char(' ') | Typed::Do(Action::CursorLeft | Action::CursorRight) => {
                    *on = !*on
                }
                _ => {}
            },
            Input::Note(_) => {}
        }
        // Changing a value clears the error it had.
        if let Some(field) = self.fields.get_mut(self.focus)
            && field.input != before
            && value_changed(&before, &field.input)
        {
            field.error = None;
        }
        FormOutcome::Editing
    }
}

/// Whether the value (not only the cursor) differs.
fn value_changed(before: &Input, after: &Input) -> bool {
    match (before, after) {
        (Input::Text { value: a, .. }, Input::Text { value: b, .. }) => a != b,
        _ => before != after,
    }
}
