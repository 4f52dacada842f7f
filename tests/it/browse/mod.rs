//! Reading accounts and showing them: the inventory over the real SDK, the
//! console's views and screens, its robustness to any key, and walks through
//! the real binary in tmux.

mod aws;
mod inventory;
mod new_stack;
mod robust;
mod screen;
mod sizes;
mod tmux_drift;
mod tmux_matrix;
mod tmux_walk;
mod tmux_xray;
mod views;
