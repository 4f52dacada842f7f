//! Pieces the screens are built from.

pub mod command;
pub mod confirm;
pub mod form;
mod form_view;
pub mod table;
pub mod text;
