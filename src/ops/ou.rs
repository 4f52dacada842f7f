//! The OU of each account of an organization fleet, for the matrix grouped
//! by OU: read from the selection's base profile (the management account
//! or a delegated administrator) only when asked for, never as part of the
//! fleet scan.

use std::collections::HashMap;

use crate::aws::{AwsError, CallLog, ProfileSource, Reader, Session};

use super::fleet::Selection;

/// What to do when the tree cannot be read.
pub const FIX: &str = "grouping by OU reads the organization's tree, which needs the management account or a delegated administrator: use --org-role with the management account's --profile";

/// Account id → its OU's path of names (`Root/Workloads/Prod`), read
/// through the base profile of an organization selection. A fleet of
/// profiles has no tree to read: an error says so (no grouping is made up).
pub async fn ou_paths(
    source: &ProfileSource,
    selection: &Selection,
    region: Option<&str>,
    log: CallLog,
) -> Result<HashMap<String, String>, AwsError> {
    let Selection::Organization { profile, .. } = selection else {
        return Err(AwsError::Other {
            operation: "ListRoots".into(),
            detail: format!(
                "not asked: {} is not an organization — {FIX}",
                selection.describe()
            ),
        });
    };
    let session = Session::connect_with_log(source, profile, region, log).await?;
    Reader::new(&session).ou_paths().await.map_err(explain)
}

/// The caller's error, with what to do when it is the caller's standing
/// (not the management account, not in an organization).
pub fn explain(e: AwsError) -> AwsError {
    match e {
        AwsError::AccessDenied {
            profile,
            operation,
            status,
            message,
        } => AwsError::AccessDenied {
            profile,
            operation,
            status,
            message: format!("{message} — {FIX}"),
        },
        AwsError::Service {
            operation,
            status,
            code,
            message,
        } if code == "AWSOrganizationsNotInUseException" => AwsError::Service {
            operation,
            status,
            code,
            message: format!("{message} — {FIX}"),
        },
        other => other,
    }
}
