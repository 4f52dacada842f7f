//! One field of a form: what it is (text, choice, toggle, note), its value,
//! label, help and error, built with chained calls.

use super::MAX_LEN;

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
    /// A file path: Tab completes it (see [`super::path`]).
    pub(super) completes_paths: bool,
    /// A path field's own help, while its help lists the matches of a Tab.
    pub(super) path_help: Option<String>,
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
            completes_paths: false,
            path_help: None,
        }
    }

    /// A text that is a file path: Tab completes it as a shell does.
    pub fn path(key: impl Into<String>, label: impl Into<String>) -> Field {
        let mut f = Field::text(key, label);
        f.completes_paths = true;
        f
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

    pub fn is_required(&self) -> bool {
        self.required
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

    pub(super) fn value_str(&self) -> Option<&str> {
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

    pub(super) fn set(&mut self, new: &str) -> bool {
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
