//! Acting on one thing from the command line: share, accept, launch, update.

mod headless;
mod names;
mod readme;
mod version;
