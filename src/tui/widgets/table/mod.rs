//! The table every screen is: columns, rows of text cells with a tone,
//! selection, marks, a filter and a sort, and a detail pane.
//!
//! The cells are built once, when the data changes. The filtered and sorted
//! list of row indices (the *view*) is cached and recomputed only when the
//! filter, the sort or the rows change; moving the selection costs nothing,
//! and drawing builds only the visible rows. The selection and the marks
//! follow rows by their key, so they stay on the same row through a re-sort,
//! a new filter or a refresh.

mod draw;
#[cfg(test)]
mod filter_tests;
mod hay;
mod highlight;
mod layout;
mod matching;
mod model;
mod prepared;
mod query;
mod row;
#[cfg(test)]
mod tests;

pub use crate::tui::theme::{RowTone, Tone};
pub use draw::{Chrome, draw, draw_detail};
pub use hay::Hay;
pub use layout::{column_widths, split_detail};
pub use matching::{Matcher, ranked};
pub use model::{Order, Sort, TableModel};
pub use prepared::{Discarded, Prepared, Spec};
pub use query::natural_cmp;
pub use row::{Cell, Column, SortKey, TableRow, Width};
