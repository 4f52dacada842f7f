//! The terminal console: state (`app`), the event loop (`run`), the
//! executor that runs the state's commands through `ops` (`executor`),
//! drawing (`views`, `widgets`), keys (`keymap`) and colours (`theme`).
//! The console is a front end: every workflow and session lives in
//! `ops`; it never reaches the AWS layer itself.

pub mod app;
pub mod clock;
mod executor;
#[doc(hidden)]
pub mod fixtures;
mod fleet_catalog;
pub mod keymap;
pub mod names;
pub mod offline;
pub mod run;
pub mod screens;
pub mod terminal;
pub mod theme;
mod theme_plain;
pub mod views;
pub mod widgets;

pub use run::{RunOptions, TuiError, run};
