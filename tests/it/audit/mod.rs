//! The audit: what a read-only session saw, exported.

mod snapshot;
mod zip;
