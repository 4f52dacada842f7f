//! A form: the fields an action needs (share a portfolio, accept a share,
//! launch a product, update a provisioned product), filled in before its
//! plan is shown.
//!
//! Fields are text (masked for NoEcho parameters), choices (allowed values,
//! launch paths, versions), toggles and read-only notes. Each has a key the
//! caller reads it back by, a label, optional help and an error of its own;
//! the form has an error line too. The form does no I/O and checks nothing
//! but lengths: the caller checks the values on [`FormOutcome::Submit`] and
//! puts its findings back with [`Form::set_error`].
//!
//! Keys: Tab / Shift-Tab / ↓ / ↑ move between fields, typing edits the
//! focused text (←/→, Home/End, Backspace/Delete, Ctrl-u clears), Enter goes
//! to the next field and submits from the last one or from the `[ Submit ]`
//! line, Ctrl-s submits from anywhere. A choice cycles with ←/→; Enter,
//! Space or typing opens its list (↑/↓ move, typing filters, Enter picks,
//! Esc closes it). Space flips a toggle. Esc cancels. A read-only form is
//! marked READ-ONLY and can be looked through but never submits; one made
//! with [`Form::plan_only`] (a read-only session) offers to show its plan
//! instead of a submit key, and the plan says nothing will be done.
//!
//! Drawing is in [`draw`](self::draw).

use std::cell::Cell;

mod draw;
mod field;
mod keys;
pub mod path;
mod picker;

pub use draw::draw;
use field::Input;
pub use field::{Field, FieldKind, FieldValue};
use picker::Picker;

/// The longest text a field takes by default, in characters.
pub const MAX_LEN: usize = 4096;

/// How many options an open choice list shows at once.
pub const LIST_ROWS: usize = 6;

/// What the form did with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    Editing,
    /// Enter on the last field or on `[ Submit ]`, or Ctrl-s (never when
    /// read-only, but for [`Form::plan_only`]): the caller checks the values.
    Submit,
    /// Esc: close the form, change nothing.
    Cancel,
}

/// A form: a title, an intro line, fields, and a `[ Submit ]` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    title: String,
    intro: String,
    fields: Vec<Field>,
    /// An index into `fields`; `fields.len()` is the submit line.
    focus: usize,
    read_only: bool,
    /// Read-only, but Enter on the last field or Ctrl-s still hands the
    /// values over, for a plan that is itself read-only.
    plan_only: bool,
    error: Option<String>,
    submit_label: String,
    picker: Option<Picker>,
    /// Where drawing last scrolled to (the first item shown, the first
    /// grapheme of the focused text shown), so that the window moves only
    /// when the focus or the cursor leaves it.
    scroll: Cell<usize>,
    hscroll: Cell<usize>,
}

impl Form {
    pub fn new(title: impl Into<String>) -> Form {
        Form {
            title: title.into(),
            intro: String::new(),
            fields: Vec::new(),
            focus: 0,
            read_only: false,
            plan_only: false,
            error: None,
            submit_label: "Submit".into(),
            picker: None,
            scroll: Cell::new(0),
            hscroll: Cell::new(0),
        }
    }

    /// A short line under the title.
    pub fn intro(mut self, intro: impl Into<String>) -> Form {
        self.intro = intro.into();
        self
    }

    /// Adds a field (focus goes to the first field that can take it).
    pub fn field(mut self, field: Field) -> Form {
        self.push(field);
        self
    }

    /// Adds a field.
    pub fn push(&mut self, field: Field) {
        let on_submit = self.focus == self.fields.len();
        let none_before = !self.fields.iter().any(Field::focusable);
        let takes = field.focusable();
        self.fields.push(field);
        if on_submit {
            // The submit line stays focused, unless this is the first field
            // that can take the focus.
            self.focus = self.fields.len() - usize::from(none_before && takes);
        }
    }

    /// A read-only session: everything is shown, nothing submits.
    pub fn read_only(mut self, read_only: bool) -> Form {
        self.read_only = read_only;
        self.plan_only = false;
        self
    }

    /// A read-only session where the plan may still be seen: marked
    /// READ-ONLY, no submit key; Enter on the last field (or the `[ … ]`
    /// line) and Ctrl-s give [`FormOutcome::Submit`] so that the caller
    /// shows the plan — read-only itself, with no way to confirm it.
    pub fn plan_only(mut self, read_only: bool) -> Form {
        self.read_only = read_only;
        self.plan_only = read_only;
        self
    }

    /// Whether a read-only form still shows its plan ([`Form::plan_only`]).
    pub fn shows_plan_only(&self) -> bool {
        self.read_only && self.plan_only
    }

    /// The words of the submit line (default "Submit").
    pub fn submit_label(mut self, label: impl Into<String>) -> Form {
        self.submit_label = label.into();
        self
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    fn find(&self, key: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.key == key)
    }

    fn find_mut(&mut self, key: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.key == key)
    }

    // --- values ---

    /// Every value but the notes', by key, in the order of the fields.
    pub fn values(&self) -> Vec<(String, FieldValue)> {
        self.fields
            .iter()
            .filter_map(|f| f.field_value().map(|v| (f.key.clone(), v)))
            .collect()
    }

    /// A field's value as text: the text, the chosen option, `"true"` or
    /// `"false"`. None for a note or a key the form has not.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.fields.iter().find(|f| f.key == key)?.value_str()
    }

    /// Whether a toggle is on (false for anything else).
    pub fn is_on(&self, key: &str) -> bool {
        self.fields
            .iter()
            .any(|f| f.key == key && f.input == Input::Toggle(true))
    }

    /// Which option of a choice is chosen.
    pub fn selected(&self, key: &str) -> Option<usize> {
        match &self.fields.iter().find(|f| f.key == key)?.input {
            Input::Choice { options, selected } if !options.is_empty() => Some(*selected),
            _ => None,
        }
    }

    /// Sets a field's value as [`Field::value`] does; false if the form has
    /// no such field or the choice no such option.
    pub fn set_value(&mut self, key: &str, value: &str) -> bool {
        self.find_mut(key).is_some_and(|f| f.set(value))
    }

    /// Replaces a choice's options, keeping the chosen one if it is still
    /// offered (else the first).
    pub fn set_options(&mut self, key: &str, new: Vec<String>) -> bool {
        let Some(index) = self.find(key) else {
            return false;
        };
        let Input::Choice { options, selected } = &mut self.fields[index].input else {
            return false;
        };
        let kept = options
            .get(*selected)
            .and_then(|old| new.iter().position(|o| o == old));
        *options = new;
        *selected = kept.unwrap_or(0);
        if self.focus == index {
            self.picker = None;
        }
        true
    }

    // --- errors ---

    /// Shows `message` next to a field; false if the form has no such field.
    pub fn set_error(&mut self, key: &str, message: impl Into<String>) -> bool {
        match self.find_mut(key) {
            Some(field) => {
                field.error = Some(message.into());
                true
            }
            None => false,
        }
    }

    /// A field's error.
    pub fn error(&self, key: &str) -> Option<&str> {
        self.fields.iter().find(|f| f.key == key)?.error.as_deref()
    }

    /// The line for an error that is no field's.
    pub fn set_form_error(&mut self, message: impl Into<String>) {
        self.error = Some(message.into());
    }

    pub fn form_error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Whether any field or the form shows an error.
    pub fn has_errors(&self) -> bool {
        self.error.is_some() || self.fields.iter().any(|f| f.error.is_some())
    }

    /// Clears every error, the form's included.
    pub fn clear_errors(&mut self) {
        self.error = None;
        for field in &mut self.fields {
            field.error = None;
        }
    }

    /// Moves to the first field with an error; false if none has.
    pub fn focus_first_error(&mut self) -> bool {
        match self
            .fields
            .iter()
            .position(|f| f.error.is_some() && f.focusable())
        {
            Some(index) => {
                self.focus_on(index);
                true
            }
            None => false,
        }
    }

    // --- focus ---

    /// The key of the focused field; None on the submit line.
    pub fn focused_key(&self) -> Option<&str> {
        self.fields.get(self.focus).map(|f| f.key.as_str())
    }

    /// Moves to a field; false if the form has no such field or it is a note.
    pub fn focus(&mut self, key: &str) -> bool {
        match self.find(key) {
            Some(index) if self.fields[index].focusable() => {
                self.focus_on(index);
                true
            }
            _ => false,
        }
    }

    /// Whether a choice list is open (its keys are the list's).
    pub fn is_choosing(&self) -> bool {
        self.picker.is_some()
    }

    fn focus_on(&mut self, index: usize) {
        if index != self.focus {
            self.picker = None;
            self.hscroll.set(0);
        }
        self.focus = index;
    }

    /// The next position that takes the focus, `step` ±1, wrapping through
    /// the submit line.
    fn step(&self, from: usize, forward: bool) -> usize {
        let n = self.fields.len() + 1;
        let mut i = from;
        for _ in 0..n {
            i = if forward {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            if i == self.fields.len() || self.fields[i].focusable() {
                return i;
            }
        }
        from
    }

    fn move_focus(&mut self, forward: bool) {
        self.focus_on(self.step(self.focus, forward));
    }

    /// Whether `index` is the last field before the submit line that takes
    /// the focus.
    fn is_last(&self, index: usize) -> bool {
        self.step(index, true) == self.fields.len()
    }
}

#[cfg(test)]
mod tests;
