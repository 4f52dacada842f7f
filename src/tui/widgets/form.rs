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
//! Drawing is in [`super::form_view`].

use std::cell::Cell;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

pub use super::form_view::draw;
use super::table::fuzzy;
use super::text;

/// The longest text a field takes by default, in characters.
pub const MAX_LEN: usize = 4096;

/// How many options an open choice list shows at once.
pub const LIST_ROWS: usize = 6;

/// What a field is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text; `masked` shows `•` for each character, never the value.
    Text { masked: bool },
    /// One of `options` (the caller's words, e.g. "(keep previous value)").
    Choice { options: Vec<String> },
    /// Yes or no.
    Toggle,
    /// A read-only line ("Version: v1.2 → v1.3"); never focused.
    Note,
}

/// A field's value, as [`Form::values`] gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    /// The chosen option ("" when there are none).
    Choice(String),
    Toggle(bool),
}

impl FieldValue {
    /// The text, the chosen option, or `"true"` / `"false"`.
    pub fn as_str(&self) -> &str {
        match self {
            FieldValue::Text(s) | FieldValue::Choice(s) => s,
            FieldValue::Toggle(true) => "true",
            FieldValue::Toggle(false) => "false",
        }
    }
}

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Input {
    Text {
        value: String,
        /// A byte offset in `value`, on a grapheme boundary.
        cursor: usize,
        masked: bool,
        max_len: usize,
    },
    Choice {
        options: Vec<String>,
        selected: usize,
    },
    Toggle(bool),
    Note(String),
}

/// One field of a [`Form`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub(super) key: String,
    pub(super) label: String,
    pub(super) help: Option<String>,
    pub(super) required: bool,
    pub(super) error: Option<String>,
    pub(super) input: Input,
}

impl Field {
    pub fn new(key: impl Into<String>, label: impl Into<String>, kind: FieldKind) -> Field {
        let input = match kind {
            FieldKind::Text { masked } => Input::Text {
                value: String::new(),
                cursor: 0,
                masked,
                max_len: MAX_LEN,
            },
            FieldKind::Choice { options } => Input::Choice {
                options,
                selected: 0,
            },
            FieldKind::Toggle => Input::Toggle(false),
            FieldKind::Note => Input::Note(String::new()),
        };
        Field {
            key: key.into(),
            label: label.into(),
            help: None,
            required: false,
            error: None,
            input,
        }
    }

    pub fn text(key: impl Into<String>, label: impl Into<String>) -> Field {
        Field::new(key, label, FieldKind::Text { masked: false })
    }

    /// A text shown as `•`s (a NoEcho parameter).
    pub fn masked(key: impl Into<String>, label: impl Into<String>) -> Field {
        Field::new(key, label, FieldKind::Text { masked: true })
    }

    /// A choice among `options`, the first chosen (see [`Field::value`]).
    pub fn choice<S: Into<String>>(
        key: impl Into<String>,
        label: impl Into<String>,
        options: impl IntoIterator<Item = S>,
    ) -> Field {
        let options = options.into_iter().map(Into::into).collect();
        Field::new(key, label, FieldKind::Choice { options })
    }

    pub fn toggle(key: impl Into<String>, label: impl Into<String>, on: bool) -> Field {
        Field::new(key, label, FieldKind::Toggle).on(on)
    }

    /// A read-only line: `label` and `text`.
    pub fn note(
        key: impl Into<String>,
        label: impl Into<String>,
        text: impl Into<String>,
    ) -> Field {
        Field::new(key, label, FieldKind::Note).value(text)
    }

    /// A line of help shown dimmed under the field (a parameter's Description).
    pub fn help(mut self, help: impl Into<String>) -> Field {
        let help = help.into();
        self.help = (!help.trim().is_empty()).then_some(help);
        self
    }

    /// Marks the field as required (a marker only: the caller checks).
    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    /// The first value: a text's text (the cursor at its end), the option
    /// of a choice equal to `value` (unchanged if none is), a toggle on for
    /// "true", "yes", "on" or "1", a note's text.
    pub fn value(mut self, value: impl Into<String>) -> Field {
        self.set(&value.into());
        self
    }

    /// Turns a toggle on or off.
    pub fn on(mut self, on: bool) -> Field {
        if let Input::Toggle(v) = &mut self.input {
            *v = on;
        }
        self
    }

    /// The longest text the field takes, in characters.
    pub fn max_len(mut self, max: usize) -> Field {
        if let Input::Text { max_len, .. } = &mut self.input {
            *max_len = max;
        }
        self
    }

    /// An error to show next to the field from the start.
    pub fn error(mut self, error: impl Into<String>) -> Field {
        self.error = Some(error.into());
        self
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn kind(&self) -> FieldKind {
        match &self.input {
            Input::Text { masked, .. } => FieldKind::Text { masked: *masked },
            Input::Choice { options, .. } => FieldKind::Choice {
                options: options.clone(),
            },
            Input::Toggle(_) => FieldKind::Toggle,
            Input::Note(_) => FieldKind::Note,
        }
    }

    /// The field's value (none for a note).
    pub fn field_value(&self) -> Option<FieldValue> {
        match &self.input {
            Input::Text { value, .. } => Some(FieldValue::Text(value.clone())),
            Input::Choice { options, selected } => Some(FieldValue::Choice(
                options.get(*selected).cloned().unwrap_or_default(),
            )),
            Input::Toggle(on) => Some(FieldValue::Toggle(*on)),
            Input::Note(_) => None,
        }
    }

    fn value_str(&self) -> Option<&str> {
        match &self.input {
            Input::Text { value, .. } => Some(value),
            Input::Choice { options, selected } => {
                Some(options.get(*selected).map_or("", String::as_str))
            }
            Input::Toggle(true) => Some("true"),
            Input::Toggle(false) => Some("false"),
            Input::Note(_) => None,
        }
    }

    fn set(&mut self, new: &str) -> bool {
        match &mut self.input {
            Input::Text { value, cursor, .. } => {
                *value = new.to_string();
                *cursor = value.len();
            }
            Input::Choice { options, selected } => match options.iter().position(|o| o == new) {
                Some(i) => *selected = i,
                None => return false,
            },
            Input::Toggle(on) => {
                *on = matches!(
                    new.trim().to_ascii_lowercase().as_str(),
                    "true" | "yes" | "on" | "1"
                )
            }
            Input::Note(text) => *text = new.to_string(),
        }
        true
    }

    pub(super) fn focusable(&self) -> bool {
        !matches!(self.input, Input::Note(_))
    }
}

/// An open choice list: what is typed to filter it, the highlighted match
/// and the first match shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Picker {
    pub(super) filter: String,
    pub(super) highlight: usize,
    pub(super) offset: usize,
}

/// A form: a title, an intro line, fields, and a `[ Submit ]` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub(super) title: String,
    pub(super) intro: String,
    pub(super) fields: Vec<Field>,
    /// An index into `fields`; `fields.len()` is the submit line.
    pub(super) focus: usize,
    pub(super) read_only: bool,
    /// Read-only, but Enter on the last field or Ctrl-s still hands the
    /// values over, for a plan that is itself read-only.
    pub(super) plan_only: bool,
    pub(super) error: Option<String>,
    pub(super) submit_label: String,
    pub(super) picker: Option<Picker>,
    /// Where drawing last scrolled to (the first item shown, the first
    /// grapheme of the focused text shown), so that the window moves only
    /// when the focus or the cursor leaves it.
    pub(super) scroll: Cell<usize>,
    pub(super) hscroll: Cell<usize>,
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

    // --- keys ---

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

    // --- the open choice list ---

    fn open_picker(&mut self, filter: String, highlight: usize) {
        let mut picker = Picker {
            filter,
            highlight,
            offset: 0,
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
        let needle: Vec<char> = picker
            .filter
            .chars()
            .map(|c| c.to_lowercase().next().unwrap_or(c))
            .collect();
        (0..options.len())
            .filter(|&i| fuzzy(&options[i], &needle))
            .collect()
    }

    fn picker_key(&mut self, key: KeyEvent) {
        let matches = self.matches();
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let typed = typed_char(&key);
        let Some(picker) = self.picker.as_mut() else {
            return;
        };
        let last = matches.len().saturating_sub(1);
        match key.code {
            KeyCode::Esc => self.picker = None,
            KeyCode::Tab | KeyCode::BackTab => {
                self.picker = None;
                let back =
                    key.code == KeyCode::BackTab || key.modifiers.contains(KeyModifiers::SHIFT);
                self.move_focus(!back);
            }
            KeyCode::Enter => {
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
            KeyCode::Up => picker.highlight = picker.highlight.saturating_sub(1),
            KeyCode::Down => picker.highlight = (picker.highlight + 1).min(last),
            KeyCode::PageUp => picker.highlight = picker.highlight.saturating_sub(LIST_ROWS),
            KeyCode::PageDown => picker.highlight = (picker.highlight + LIST_ROWS).min(last),
            KeyCode::Home => picker.highlight = 0,
            KeyCode::End => picker.highlight = last,
            KeyCode::Backspace => {
                picker.filter.pop();
                picker.highlight = 0;
            }
            KeyCode::Char('u') if ctrl => {
                picker.filter.clear();
                picker.highlight = 0;
            }
            _ => {
                if let Some(c) = typed
                    && picker.filter.chars().count() < 256
                {
                    picker.filter.push(c);
                    picker.highlight = 0;
                }
            }
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

/// The grapheme boundaries of `value`, 0 and its length included.
fn boundaries(value: &str) -> Vec<usize> {
    let mut at = 0;
    let mut out = vec![0];
    for g in text::graphemes(value) {
        at += g.len();
        out.push(at);
    }
    out
}

/// The boundary after (or before) `cursor`.
fn step_grapheme(value: &str, cursor: usize, forward: bool) -> usize {
    let bounds = boundaries(value);
    if forward {
        bounds
            .into_iter()
            .find(|&b| b > cursor)
            .unwrap_or(value.len())
    } else {
        bounds.into_iter().rev().find(|&b| b < cursor).unwrap_or(0)
    }
}

/// The first boundary at or after `at` (an insertion may join a cluster).
fn snap(value: &str, at: usize) -> usize {
    boundaries(value)
        .into_iter()
        .find(|&b| b >= at)
        .unwrap_or(value.len())
}

#[cfg(test)]
#[path = "form_tests.rs"]
mod tests;
