//! A way out of the stuck states, as plans (never automatic):
//!
//! - **TAINTED** (an update failed and the stack rolled back): update
//!   again, to the version of its last successful record (what the stack
//!   runs after the rollback) or forward to the latest version — the
//!   update of [`super::update`], nothing of its own.
//! - **ERROR** (the launch failed): terminate it, then launch it again
//!   under the same name with the parameters the failed stack was given
//!   (NoEcho ones must be given again: CloudFormation never shows them),
//!   on the latest version unless one is named.

use std::collections::BTreeMap;

use super::launch::{LaunchForm, LaunchInput};
use super::terminate::{TerminateOptions, TerminatePlan};
use super::update::UpdateForm;
use super::{ActError, launch, terminate, update};
use crate::aws::{AwsError, Reader};
use crate::model::{FieldError, LaunchRequest, PpStatus, ProvisionedProduct, UpdateRequest};
use crate::ops::life::MASK;

/// Where a repair takes a TAINTED product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepairTo {
    /// The version of its last successful record.
    LastGood,
    /// The latest active, non-deprecated version.
    Latest,
    /// A version named (id or name).
    Version(String),
}

/// A repair, planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepairPlan {
    /// TAINTED: an update.
    Update {
        form: Box<UpdateForm>,
        request: UpdateRequest,
        /// Why this version ("its last successful version", …).
        why: String,
    },
    /// ERROR: terminate, then launch again.
    Relaunch {
        terminate: Box<TerminatePlan>,
        form: Box<LaunchForm>,
        launch: LaunchRequest,
        /// Where the parameters came from, for the plan.
        from: String,
    },
}

/// A repair that cannot be planned before the user gives some values:
/// what was asked, what was given, and what is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairNeeds {
    pub provisioned_id: String,
    pub name: String,
    pub to: RepairTo,
    pub values: BTreeMap<String, String>,
    /// Each value missing (or wrong), by parameter.
    pub fields: Vec<FieldError>,
}

impl RepairPlan {
    pub fn provisioned(&self) -> &ProvisionedProduct {
        match self {
            RepairPlan::Update { form, .. } => &form.provisioned,
            RepairPlan::Relaunch { terminate, .. } => &terminate.provisioned,
        }
    }

    /// The plan's lines, what goes first.
    pub fn lines(&self) -> Vec<String> {
        match self {
            RepairPlan::Update { form, request, why } => {
                let mut lines = vec![format!(
                    "update {} ({}, TAINTED) again: {} → {} ({why})",
                    form.provisioned.name,
                    form.provisioned.id,
                    form.from.as_ref().map_or(
                        form.provisioned
                            .version_name
                            .clone()
                            .unwrap_or_else(|| form.provisioned.version_id.clone()),
                        |v| v.name.clone()
                    ),
                    form.to.name
                )];
                lines.extend(
                    update::diff_lines(form, request)
                        .into_iter()
                        .map(|(k, from, to)| format!("  {k}: {from} → {to}")),
                );
                lines
            }
            RepairPlan::Relaunch {
                terminate,
                form,
                launch,
                from,
            } => {
                let mut lines = vec!["1. terminate the failed launch:".to_string()];
                lines.extend(terminate.lines().into_iter().map(|l| format!("   {l}")));
                lines.push(format!(
                    "2. launch {} again: {} {} through {}",
                    launch.name,
                    form.product_name,
                    form.version.name,
                    form.path.as_ref().map_or("—", |p| p.name.as_str())
                ));
                lines.push(format!("   parameters {from}:"));
                lines.extend(launch.parameters.iter().map(|(k, v)| {
                    let shown = if launch.secret_keys.contains(k) {
                        MASK
                    } else {
                        v.as_str()
                    };
                    format!("     {k} = {shown}")
                }));
                if !launch.tags.is_empty() {
                    lines.push(format!(
                        "   tags: {}",
                        launch
                            .tags
                            .iter()
                            .map(|(k, v)| format!("{k}={v}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                lines
            }
        }
    }
}

impl RepairTo {
    /// Where a repair goes unless told: a TAINTED product back to its last
    /// good version, a failed launch forward (its version failed).
    pub fn default_for(pp: &ProvisionedProduct) -> RepairTo {
        match pp.status {
            PpStatus::Error => RepairTo::Latest,
            _ => RepairTo::LastGood,
        }
    }
}

/// Can `pp` be repaired (TAINTED or ERROR)? If not, why not.
pub fn refusal(pp: &ProvisionedProduct) -> Option<String> {
    match pp.status {
        PpStatus::Tainted | PpStatus::Error => None,
        _ => Some(format!(
            "{} is {}: repair is for TAINTED (update again) and ERROR (terminate and launch again) products — an update changes one that is well",
            pp.name, pp.status
        )),
    }
}

/// Plans the repair of `pp`: TAINTED and ERROR only. `values` are
/// parameter values given (a NoEcho one of a relaunch must be).
pub async fn plan(
    reader: &Reader,
    pp: ProvisionedProduct,
    to: RepairTo,
    values: &BTreeMap<String, String>,
) -> Result<RepairPlan, ActError> {
    if let Some(why) = refusal(&pp) {
        return Err(ActError::Refused(why));
    }
    match pp.status {
        PpStatus::Error => plan_relaunch(reader, pp, to, values).await,
        _ => plan_update(reader, pp, to, values).await,
    }
}

async fn plan_update(
    reader: &Reader,
    pp: ProvisionedProduct,
    to: RepairTo,
    values: &BTreeMap<String, String>,
) -> Result<RepairPlan, ActError> {
    let (version, why) = match &to {
        RepairTo::LastGood => {
            let record = match &pp.last_successful_record_id {
                Some(id) => reader.record(id).await?,
                None => {
                    return Err(ActError::Refused(format!(
                        "{} has no successful record to go back to: repair it forward (to the latest version)",
                        pp.name
                    )));
                }
            };
            let version = record.version_id.ok_or_else(|| {
                ActError::Refused(format!(
                    "the last successful record of {} ({}) names no version: repair it forward",
                    pp.name, record.id
                ))
            })?;
            (
                Some(version),
                format!("the version of its last successful record, {}", record.id),
            )
        }
        RepairTo::Latest => (None, "the latest version".to_string()),
        RepairTo::Version(v) => (Some(v.clone()), "the version named".to_string()),
    };
    let form = update::prepare(reader, pp, version.as_deref()).await?;
    let request = update::check(&form, values)?;
    Ok(RepairPlan::Update {
        form: Box::new(form),
        request,
        why,
    })
}

async fn plan_relaunch(
    reader: &Reader,
    pp: ProvisionedProduct,
    to: RepairTo,
    values: &BTreeMap<String, String>,
) -> Result<RepairPlan, ActError> {
    // What the failed launch was given: the stack's parameters (NoEcho
    // ones masked), and the path of its record.
    let stack = async {
        match &pp.stack_arn {
            Some(arn) => match reader.stack_state(arn).await {
                Ok(s) => Ok(s),
                Err(AwsError::Service { code, .. }) if code == "ValidationError" => Ok(None),
                Err(e) => Err(e),
            },
            None => Ok(None),
        }
    };
    let record = async {
        match &pp.last_record_id {
            Some(id) => reader.record(id).await.map(Some),
            None => Ok(None),
        }
    };
    let (stack, record) = tokio::join!(stack, record);
    let (stack, record) = (stack?, record?);
    let path = record.as_ref().and_then(|r| r.path_id.clone());
    let version = match &to {
        RepairTo::Version(v) => Some(v.clone()),
        RepairTo::LastGood => Some(pp.version_id.clone()),
        RepairTo::Latest => None,
    };
    let product_name = pp
        .product_name
        .clone()
        .unwrap_or_else(|| pp.product_id.clone());
    let form = launch::prepare(
        reader,
        &pp.product_id,
        &product_name,
        version.as_deref(),
        path.as_deref(),
        false,
    )
    .await?;
    let (mut given, from) = match &stack {
        Some(s) => (
            s.parameters
                .iter()
                .filter(|(_, v)| v != MASK)
                .cloned()
                .collect::<BTreeMap<_, _>>(),
            format!(
                "as the failed launch was given them (its stack, {})",
                s.status
            ),
        ),
        None => (
            BTreeMap::new(),
            "from the defaults (the failed launch's stack could not be read)".to_string(),
        ),
    };
    // A NoEcho value CloudFormation masked must be given again.
    let masked: Vec<String> = stack
        .iter()
        .flat_map(|s| s.parameters.iter())
        .filter(|(k, v)| v == MASK && !values.contains_key(k))
        .map(|(k, _)| k.clone())
        .collect();
    if !masked.is_empty() {
        // Tied to the parameters, so a form can ask for them.
        return Err(ActError::Invalid(
            masked
                .iter()
                .map(|k| {
                    FieldError::new(
                        k.clone(),
                        format!(
                            "NoEcho: the failed launch of {} was given a value CloudFormation never gives back — give it again",
                            pp.name
                        ),
                    )
                    .secret()
                })
                .collect(),
        ));
    }
    given.extend(values.iter().map(|(k, v)| (k.clone(), v.clone())));
    // Only what the version to launch takes.
    given.retain(|k, _| form.parameters.parameters.iter().any(|p| &p.key == k));
    let launch = launch::check(
        &form,
        &LaunchInput {
            name: pp.name.clone(),
            values: given,
            // Its tags, those the path's TagOptions still allow.
            tags: pp
                .tags
                .iter()
                .filter(|(k, _)| !k.starts_with("aws:"))
                .filter(|(k, v)| {
                    form.parameters
                        .tag_options
                        .iter()
                        .find(|o| &o.key == k)
                        .is_none_or(|o| o.values.contains(v))
                })
                .cloned()
                .collect(),
        },
    )?;
    let terminate = terminate::plan(reader, pp, TerminateOptions::default()).await?;
    Ok(RepairPlan::Relaunch {
        terminate: Box::new(terminate),
        form: Box::new(form),
        launch,
        from,
    })
}
