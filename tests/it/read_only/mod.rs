//! The read-only gate: no mutating call in a read-only session, account or
//! profile, headless or in the console.

mod console_fleet;
mod fleet;
mod session;
