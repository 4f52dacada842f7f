//! Acting on one thing from the command line: share, accept, launch, update.

mod access;
mod actions;
mod actions_console;
mod change_product;
mod headless;
mod hub_and_spoke;
mod hub_console;
mod json;
mod life;
mod life_console;
mod names;
mod pipeline;
mod provision;
mod readme;
mod repair;
mod repair_console;
mod resource_drift;
mod sync;
mod version;
