//! Pieces the screens are built from.

pub mod command;
pub mod table;
