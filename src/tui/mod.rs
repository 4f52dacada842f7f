//! The terminal console: state (`app`), the event loop (`run`), drawing
//! (`views`, `widgets`), keys (`keymap`) and colours (`theme`). The TUI
//! never names SDK types; it goes through `crate::aws` and `crate::ops`.

pub mod actions;
pub mod app;
mod bulk_tasks;
pub mod clock;
#[doc(hidden)]
pub mod fixtures;
pub mod forms;
pub mod keymap;
pub mod offline;
pub mod run;
pub mod screens;
pub mod settings;
pub mod terminal;
pub mod theme;
pub mod views;
pub mod widgets;

pub use run::{RunOptions, TuiError, run};
