//! Updating every drifted provisioned product of a fleet: plan, apply,
//! resume, report; and the soak that kills it at random moments.

mod drift_report;
mod fleet;
mod s3_report;
mod soak;
mod waves;
