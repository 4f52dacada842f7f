//! Plain domain types: no I/O, no SDK types, no terminal.
//!
//! One file per concept: [`portfolio`](Portfolio) (and shares),
//! [`product`](Product) (and versions), [`constraint`](Constraint),
//! [`provisioned`](ProvisionedProduct), [`drift`], stack [`events`](StackEvent),
//! the [`Inventory`] of an account, and the [`CallEntry`] log of AWS calls.

use serde::{Deserialize, Serialize};

pub mod bulk;
pub mod calls;
pub mod console_url;
mod constraint;
pub mod drift;
mod events;
pub mod fleet;
mod inventory;
pub mod launch;
mod life;
pub mod mapping;
pub mod matrix;
mod portfolio;
mod principal;
pub(crate) mod product;
mod profile;
pub(crate) mod provisioned;
pub mod read_only;
pub mod resource_drift;
pub mod service_action;
pub mod share;
pub mod snapshot;
mod tag_option;
pub mod template;

pub use bulk::{BulkItem, OptIn, PlanChange, PlanState, PlanSummary, Skip, TEMPORARY_PLAN_PREFIX};
pub use calls::{CallEntry, CallOutcome};
pub use constraint::{
    Assertion, Constraint, ConstraintKind, ConstraintParams, LaunchRole, Rule, render_intrinsic,
};
pub use drift::{Drift, DriftSummary, drift, drift_unread};
pub use events::{
    EventPhase, POLL_MOVING, POLL_SETTLED, Progress, STACK_RESOURCE_TYPE, StackEvent, StackWatch,
    phase_of, stack_is_moving,
};
pub use fleet::{AccountDrift, DriftRow, OrgAccount};
pub use inventory::{Inventory, Missing, Problem, Read, Section};
pub use launch::{
    FieldError, LaunchPath, LaunchRequest, ParamSetting, Parameter, ProvisioningParameters,
    TagOption, UpdateRequest,
};
pub use life::StackResource;
pub use portfolio::{Origin, Portfolio, Share, ShareKind, ShareType};
pub use principal::{IamRole, Principal};
pub use product::{Product, ProductOrigin, Version, latest_version};
pub use profile::{ProfileInfo, ProfileKind};
pub use provisioned::{Output, PpStatus, ProvisionedProduct, Record};
pub use read_only::{AccountPattern, ReadOnlyRules, Subject};
pub use resource_drift::{
    DriftDetection, PropertyDifference, ResourceDrift, ResourceDriftStatus, StackDrift,
    StackDriftStatus,
};
pub use service_action::{ActionParameter, ExecuteRequest, ExecutionParameter, ServiceAction};
pub use share::ShareTarget;
pub use snapshot::{AccountSnapshot, SNAPSHOT_FORMAT, Snapshot};
pub use tag_option::TagOptionEntry;

/// Who the current credentials belong to (STS `GetCallerIdentity`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallerIdentity {
    pub account_id: String,
    pub arn: String,
    pub user_id: String,
}

/// The account id in an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`),
/// if it has one.
pub fn account_of_arn(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let account = parts.nth(3)?;
    parts.next()?;
    (!account.is_empty()).then_some(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_comes_from_the_arn() {
        assert_eq!(
            account_of_arn("arn:aws:catalog:us-east-1:111122223333:portfolio/port-abc"),
            Some("111122223333")
        );
        assert_eq!(account_of_arn("arn:aws:s3:::bucket"), None);
        assert_eq!(account_of_arn("not an arn"), None);
        assert_eq!(account_of_arn("arn:aws:catalog:us-east-1:1"), None);
    }
}
