//! Pieces the screens are built from.

pub mod command;
pub mod confirm;
pub mod form;
pub mod modal;
pub mod table;
pub mod text;
