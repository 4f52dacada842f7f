//! Workflows with no terminal: the inventory scan and its cache, and the
//! actions (share, accept, launch, update) in [`act`].

pub mod act;
pub mod audit;
pub mod audit_html;
pub mod bulk;
pub mod cache;
pub mod charts;
pub mod drift_report;
pub mod fleet;
pub mod inventory;
pub mod life;
pub mod lint;
pub mod ou;
pub mod resource_drift;
pub mod session;
pub mod stack;
pub mod sync;

pub use cache::{Cache, CacheError, Cached};
pub use inventory::{scan, scan_with};
pub use session::{Connected, Sessions};
