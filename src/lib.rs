//! spoke: a terminal operations console for AWS Service Catalog.
//!
//! Layers point one way: `tui → ops → aws → model`. `sandbox` stands apart:
//! it is an emulator of AWS and imports nothing from the rest of spoke.

pub mod aws;
pub mod cli;
pub mod commands;
pub mod csv;
pub mod files;
pub mod journal;
pub mod logging;
pub mod model;
pub mod ops;
pub mod output;
pub mod sandbox;
pub mod settings;
pub mod start;
pub mod tui;
