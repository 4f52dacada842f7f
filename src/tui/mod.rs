//! The terminal console: state (`app`), the event loop (`run`), drawing
//! (`views`). The TUI never names SDK types; it goes through `crate::aws`.

pub mod app;
pub mod run;
pub mod terminal;
pub mod theme;
pub mod views;

pub use run::{RunOptions, TuiError, run};
