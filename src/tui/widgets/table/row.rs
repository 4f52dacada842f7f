//! What a table shows: its columns and its rows of cells.

use crate::tui::theme::{RowTone, Tone};

/// How wide a column is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// Exactly this many cells.
    Fixed(u16),
    /// As wide as its widest cell or title, within these bounds.
    Auto { min: u16, max: u16 },
    /// A share of the space left by the others.
    Fill(u16),
}

/// How a column sorts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// By text, ignoring case, numbers in the text by value (`pp-2` < `pp-10`).
    Text,
    /// By each cell's [`Cell::value`], then by text.
    Value,
    /// Not sortable.
    Unsorted,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub title: &'static str,
    pub width: Width,
    pub sort: SortKey,
    /// Drawn only when the table has room for it beside the others at
    /// their full width (what would crowd a narrow terminal).
    pub wide: bool,
}

impl Column {
    pub const fn new(title: &'static str, width: Width) -> Self {
        Self {
            title,
            width,
            sort: SortKey::Text,
            wide: false,
        }
    }

    /// Shown only when there is room for it (see [`Column::wide`]).
    pub const fn wide(mut self) -> Self {
        self.wide = true;
        self
    }

    pub const fn sort(mut self, sort: SortKey) -> Self {
        self.sort = sort;
        self
    }
}

/// One cell: its text, and optionally a tone of its own and a sort value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub tone: Option<Tone>,
    pub value: Option<i64>,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            tone: None,
            value: None,
        }
    }

    pub fn tone(mut self, tone: Tone) -> Self {
        self.tone = Some(tone);
        self
    }

    pub fn value(mut self, value: i64) -> Self {
        self.value = Some(value);
        self
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::new(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::new(text)
    }
}

/// One row: a key that names it across refreshes (an id), its cells in
/// column order, and the tone the data gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub key: String,
    pub cells: Vec<Cell>,
    pub tone: RowTone,
}

impl TableRow {
    pub fn new(key: impl Into<String>, cells: Vec<Cell>) -> Self {
        Self {
            key: key.into(),
            cells,
            tone: RowTone::Normal,
        }
    }

    pub fn tone(mut self, tone: RowTone) -> Self {
        self.tone = tone;
        self
    }

    /// The text of cell `column` ("" past the last).
    pub fn text(&self, column: usize) -> &str {
        self.cells.get(column).map_or("", |c| c.text.as_str())
    }
}
