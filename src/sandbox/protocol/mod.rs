//! The two AWS wire protocols the sandbox speaks, and pagination shared by both.

pub mod json;
pub mod paging;
pub mod query;
