//! What a form does with a key: moving between fields, editing the focused
//! one, submitting or cancelling, and the hint line of the keys valid now.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::super::text::{snap, step_grapheme};
use super::{Form, FormOutcome, Input};

impl Form {
    /// The keys valid now, as (key, what it does), for a hint line.
    pub fn hints(&self) -> Vec<(&'static str, &'static str)> {
        if self.picker.is_some() {
            return vec![
                ("↑/↓", "move"),
                ("type", "filter"),
                ("Enter", "pick"),
                ("Esc", "close list"),
            ];
        }
        let mut hints = vec![("Tab", "next")];
        let submit = match (self.read_only, self.plan_only) {
            (false, _) => "submit",
            (true, true) => "see the plan",
            (true, false) => "next",
        };
        match self.fields.get(self.focus).map(|f| &f.input) {
            Some(Input::Text { .. }) => hints.push((
                "Enter",
                if self.is_last(self.focus) {
                    submit
                } else {
                    "next"
                },
            )),
            Some(Input::Choice { .. }) => {
                hints.extend([("←/→", "choose"), ("Enter", "list")]);
            }
            Some(Input::Toggle(_)) => hints.push(("Space", "flip")),
            Some(Input::Note(_)) => {}
            None if !self.read_only || self.plan_only => hints.push(("Enter", submit)),
            None => {}
        }
        if !self.read_only {
            hints.push(("Ctrl-s", "submit"));
        } else if self.plan_only {
            hints.push(("Ctrl-s", "see the plan"));
        }
        hints.push(("Esc", if self.read_only { "close" } else { "cancel" }));
        hints
    }

    /// Handles a key.
    pub fn key(&mut self, key: KeyEvent) -> FormOutcome {
        if key.kind == KeyEventKind::Release {
            return FormOutcome::Editing;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && matches!(key.code, KeyCode::Char('s' | 'S')) {
            self.picker = None;
            return self.submit();
        }
        if self.picker.is_some() {
            self.picker_key(key);
            return FormOutcome::Editing;
        }
        let shift = key.modifiers.contains(KeyModifiers::SHIFT);
        match key.code {
            KeyCode::Esc => return FormOutcome::Cancel,
            KeyCode::Tab if shift => self.move_focus(false),
            KeyCode::Tab | KeyCode::Down => self.move_focus(true),
            KeyCode::BackTab | KeyCode::Up => self.move_focus(false),
            _ => return self.field_key(key),
        }
        FormOutcome::Editing
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

    fn field_key(&mut self, key: KeyEvent) -> FormOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let typed = typed_char(&key);
        let Some(field) = self.fields.get_mut(self.focus) else {
            // The submit line.
            return match key.code {
                KeyCode::Enter | KeyCode::Char(' ') => self.submit(),
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
            } => match key.code {
                KeyCode::Enter => return self.next_or_submit(),
                KeyCode::Left => *cursor = step_grapheme(value, *cursor, false),
                KeyCode::Right => *cursor = step_grapheme(value, *cursor, true),
                KeyCode::Home => *cursor = 0,
                KeyCode::End => *cursor = value.len(),
                KeyCode::Char('a') if ctrl => *cursor = 0,
                KeyCode::Char('e') if ctrl => *cursor = value.len(),
                KeyCode::Char('u') if ctrl => {
                    value.clear();
                    *cursor = 0;
                }
                KeyCode::Backspace => {
                    let start = step_grapheme(value, *cursor, false);
                    value.replace_range(start..*cursor, "");
                    *cursor = start;
                }
                KeyCode::Delete => {
                    let end = step_grapheme(value, *cursor, true);
                    value.replace_range(*cursor..end, "");
                }
                _ => {
                    if let Some(c) = typed {
                        if value.chars().count() >= *max_len {
                            field.error = Some(format!("at most {max_len} characters"));
                            return FormOutcome::Editing;
                        }
                        value.insert(*cursor, c);
                        *cursor = snap(value, *cursor + c.len_utf8());
                    }
                }
            },
            Input::Choice { options, selected } => match key.code {
                KeyCode::Left | KeyCode::Right if !options.is_empty() => {
                    let n = options.len();
                    *selected = if key.code == KeyCode::Right {
                        (*selected + 1) % n
                    } else {
                        (*selected + n - 1) % n
                    };
                }
                KeyCode::Enter | KeyCode::Char(' ') => {
                    let highlight = *selected;
                    self.open_picker(String::new(), highlight);
                }
                _ => {
                    if let Some(c) = typed {
                        self.open_picker(c.to_string(), 0);
                    }
                }
            },
            Input::Toggle(on) => match key.code {
                KeyCode::Enter => return self.next_or_submit(),
                KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right => *on = !*on,
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

/// The character a key types, if it types one: not a control character,
/// not with Ctrl or Alt alone (Ctrl and Alt together are AltGr on Windows).
pub(crate) fn typed_char(key: &KeyEvent) -> Option<char> {
    let KeyCode::Char(c) = key.code else {
        return None;
    };
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    (ctrl == alt && !c.is_control()).then_some(c)
}
