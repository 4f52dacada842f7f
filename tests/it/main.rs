//! spoke's integration tests: one binary (the AWS SDK linked once), a module
//! per capability, the fixtures they share in [`fixtures`].
//!
//! ```sh
//! cargo test --test it                  # all of them
//! cargo test --test it read_only::      # one capability
//! ```

mod act;
mod audit;
mod bad_input;
mod browse;
mod bulk;
mod deploy;
mod faults;
mod fixtures;
mod lint;
mod matrix;
mod read_only;
mod sandbox;
mod shell;
