//! Planning a bulk update: what would be updated, from which version to
//! which, and what is skipped and why.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use chrono::Utc;
use futures::StreamExt;

use super::{BulkPlan, PlannedItem, Risk};
use crate::aws::{AwsError, Reader, Writer};
use crate::model::bulk::plan_item;
use crate::model::{AccountDrift, DriftRow, OptIn, ParamSetting, Skip, UpdateRequest, Version};
use crate::ops::act::new_token;
use crate::ops::fleet::{Member, Selection};

/// How many items of one account are planned at once (each a handful of
/// calls); [`FLEET_AT_ONCE`](super::limits::FLEET_AT_ONCE) in all.
pub const ITEMS_AT_ONCE: usize = 16;
/// How often a provisioned product plan is asked whether it is ready, and
/// for how long at most.
const PLAN_POLL: Duration = Duration::from_secs(1);
const PLAN_WAIT: Duration = Duration::from_secs(120);

/// What to plan.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    pub selection: Selection,
    pub region: Option<String>,
    pub policy: OptIn,
    /// Update items whose update replaces or removes resources too.
    pub include_risky: bool,
    /// Only these provisioned product ids (the marked rows); else every
    /// drifted one.
    pub only: Option<BTreeSet<String>>,
    /// How often to ask whether a provisioned product plan is ready.
    pub plan_poll: Duration,
}

impl PlanOptions {
    pub fn new(selection: Selection, region: Option<String>, policy: OptIn) -> Self {
        Self {
            selection,
            region,
            policy,
            include_risky: false,
            only: None,
            plan_poll: PLAN_POLL,
        }
    }
}

/// Plans the update of every drifted provisioned product of `accounts`
/// (or of `options.only`). `writers` holds a writer per member label for a
/// session that may write: with one, each item to update gets a
/// provisioned product plan (its risk); without (read-only), the risk is
/// "unavailable" and no plan is created.
pub async fn plan(
    members: &[Member],
    accounts: &[AccountDrift],
    writers: &HashMap<String, Writer>,
    options: &PlanOptions,
) -> BulkPlan {
    let batch = new_token();
    let readers: HashMap<&str, &Reader> = members
        .iter()
        .filter_map(|m| Some((m.label.as_str(), m.reader()?)))
        .collect();
    let rows: Vec<(&DriftRow, &[Version])> = accounts
        .iter()
        .flat_map(|a| {
            a.rows.iter().map(|r| {
                let vs = a.versions.get(&r.provisioned.product_id);
                (r, vs.map_or(&[][..], Vec::as_slice))
            })
        })
        .filter(|(r, _)| match &options.only {
            Some(ids) => ids.contains(&r.provisioned.id),
            None => r.drifts(),
        })
        .collect();
    let limits = &super::limits::Limits::new(ITEMS_AT_ONCE);
    let planned = futures::stream::iter(
        rows.into_iter()
            .map(|(row, versions)| {
                let reader = readers.get(row.label.as_str()).copied();
                let writer = writers.get(&row.label);
                let batch = &batch;
                async move {
                    let _permit = limits.acquire(&row.label).await;
                    plan_row(row, versions, reader, writer, options, batch).await
                }
            })
            .collect::<Vec<_>>(),
    )
    .buffered(super::limits::FLEET_AT_ONCE)
    .collect()
    .await;
    BulkPlan {
        batch,
        created: Utc::now(),
        selection: options.selection.clone(),
        region: options.region.clone(),
        policy: options.policy.clone(),
        include_risky: options.include_risky,
        items: planned,
        unreachable: accounts
            .iter()
            .filter_map(|a| Some((a.label.clone(), a.unreachable.clone()?)))
            .collect(),
    }
}

async fn plan_row(
    row: &DriftRow,
    versions: &[Version],
    reader: Option<&Reader>,
    writer: Option<&Writer>,
    options: &PlanOptions,
    batch: &str,
) -> PlannedItem {
    let pp = &row.provisioned;
    let item = plan_item(&row.label, pp, versions, &row.drift, &options.policy);
    let mut planned = PlannedItem {
        stack_name: pp
            .stack_arn
            .as_deref()
            .and_then(|a| a.split('/').nth(1))
            .map(str::to_string),
        launched_by: pp.owner.clone(),
        scanned: Utc::now(),
        item,
        risk: Risk::NotAsked,
        request: None,
    };
    if !planned.item.will_update() {
        return planned;
    }
    let Some(reader) = reader else {
        planned.item.skip = Some(Skip::RiskUnknown {
            why: "the account is not reachable".into(),
        });
        return planned;
    };
    match update_request(reader, row).await {
        Ok(Ok(request)) => planned.request = Some(request),
        Ok(Err(skip)) => {
            planned.item.skip = Some(skip);
            return planned;
        }
        Err(e) => {
            planned.item.skip = Some(Skip::RiskUnknown { why: e.to_string() });
            return planned;
        }
    }
    let request = planned.request.as_ref().expect("set above");
    planned.risk = match writer {
        None => Risk::Unavailable {
            why: "a read-only session creates no provisioned product plan".into(),
        },
        Some(writer) => match risk_of(reader, writer, request, batch, options.plan_poll).await {
            Ok(changes) if changes.is_empty() => Risk::Safe,
            Ok(changes) => Risk::Risky { changes },
            Err(why) => {
                planned.item.skip = Some(Skip::RiskUnknown { why: why.clone() });
                Risk::Unavailable { why }
            }
        },
    };
    if let Risk::Risky { changes } = &planned.risk
        && !options.include_risky
    {
        planned.item.skip = Some(Skip::Risky {
            changes: changes.clone(),
        });
    }
    // A risky item keeps its request: the operator may include it.
    if !planned.item.will_update() && !matches!(planned.item.skip, Some(Skip::Risky { .. })) {
        planned.request = None;
    }
    planned
}

/// The update of `row` to its latest version, or why it is skipped: its
/// stack busy, a new parameter without a value. Parameters it had keep
/// their values (UsePreviousValue); new ones take their defaults.
async fn update_request(
    reader: &Reader,
    row: &DriftRow,
) -> Result<Result<UpdateRequest, Skip>, AwsError> {
    let pp = &row.provisioned;
    let Some(to) = &row.latest else {
        return Ok(Err(Skip::NoNewerVersion));
    };
    let stack = async {
        match &pp.stack_arn {
            Some(arn) => reader.stack_state(arn).await,
            None => Ok(None),
        }
    };
    let record = async {
        match &pp.last_successful_record_id {
            Some(id) => reader.record(id).await.map(Some),
            None => Ok(None),
        }
    };
    let (stack, record) = tokio::join!(stack, record);
    let (stack, record) = (stack?, record?);
    if let Some(stack) = stack.as_ref().filter(|s| s.is_busy()) {
        return Ok(Err(Skip::StackBusy {
            status: stack.status.clone(),
        }));
    }
    let path_id = record.and_then(|r| r.path_id);
    let params = reader
        .provisioning_parameters(&pp.product_id, &to.id, path_id.as_deref())
        .await?;
    let previous: Vec<String> = stack
        .map(|s| s.parameters.into_iter().map(|(k, _)| k).collect())
        .unwrap_or_default();
    let mut parameters = Vec::new();
    for p in &params.parameters {
        if previous.contains(&p.key) {
            parameters.push((p.key.clone(), ParamSetting::Previous));
        } else if p.default.is_none() {
            return Ok(Err(Skip::NeedsInput {
                parameter: p.key.clone(),
            }));
        }
    }
    Ok(Ok(UpdateRequest {
        provisioned_product_id: pp.id.clone(),
        provisioned_product_name: pp.name.clone(),
        product_id: pp.product_id.clone(),
        version_id: to.id.clone(),
        path_id,
        parameters,
        secret_keys: params
            .parameters
            .iter()
            .filter(|p| p.no_echo)
            .map(|p| p.key.clone())
            .collect(),
        token: new_token(),
    }))
}

/// The plan a "… already has plan PLAN_ID; execute or delete it first"
/// refusal names.
fn leftover_plan(message: &str) -> Option<String> {
    let (_, rest) = message.split_once("already has plan ")?;
    let id: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    (!id.is_empty()).then_some(id)
}

/// Creates a provisioned product plan of `request`, waits for its
/// resource changes, deletes it, and returns the risky changes.
async fn risk_of(
    reader: &Reader,
    writer: &Writer,
    request: &UpdateRequest,
    batch: &str,
    poll: Duration,
) -> Result<Vec<String>, String> {
    let name = format!(
        "spoke-{}-{}",
        batch.get(..8).unwrap_or(batch),
        request.provisioned_product_name
    );
    let plan_id = match writer
        .create_update_plan(request, &name, &new_token())
        .await
    {
        Ok(id) => id,
        // A plan of spoke's own left behind (a run killed between creating
        // and deleting it) blocks a new one: it is deleted, once, and the
        // plan made again. Anyone else's plan is left alone.
        Err(e) => {
            let Some(stale) = leftover_plan(&e.to_string()) else {
                return Err(e.to_string());
            };
            let theirs = reader.plan_state(&stale).await.map_err(|e| e.to_string())?;
            if !theirs.name.starts_with("spoke-") {
                return Err(format!(
                    "{e} (plan {:?} is not spoke's: it is left alone)",
                    theirs.name
                ));
            }
            writer
                .delete_plan(&stale)
                .await
                .map_err(|e| e.to_string())?;
            writer
                .create_update_plan(request, &name, &new_token())
                .await
                .map_err(|e| e.to_string())?
        }
    };
    let started = std::time::Instant::now();
    let state = loop {
        match reader.plan_state(&plan_id).await {
            Ok(state) if state.is_ready() => break Ok(state),
            Ok(_) if started.elapsed() > PLAN_WAIT => {
                break Err(format!(
                    "plan {plan_id} not ready after {} s",
                    PLAN_WAIT.as_secs()
                ));
            }
            Ok(_) => tokio::time::sleep(poll).await,
            Err(e) => break Err(e.to_string()),
        }
    };
    if let Err(e) = writer.delete_plan(&plan_id).await {
        tracing::warn!(plan = plan_id, error = %e, "the plan could not be deleted");
    }
    let state = state?;
    if state.failed() {
        return Err(format!(
            "the plan failed: {}",
            state.message.unwrap_or_else(|| "no reason given".into())
        ));
    }
    Ok(state.risks())
}

#[cfg(test)]
mod tests {
    use super::leftover_plan;

    #[test]
    fn a_leftover_plan_is_found_in_the_refusal() {
        assert_eq!(
            leftover_plan(
                "CreateProvisionedProductPlan failed: InvalidParametersException: Provisioned product web already has plan pp-n4365hwlwtlyi; execute or delete it first."
            )
            .as_deref(),
            Some("pp-n4365hwlwtlyi")
        );
        assert_eq!(leftover_plan("ThrottlingException: Rate exceeded"), None);
    }
}
