//! The AWS wire protocols the sandbox speaks (S3's REST/XML lives in `s3`),
//! pagination shared by them, and base64.

pub mod base64;
pub mod json;
pub mod paging;
pub mod query;
