//! Planning a bulk update: what would be updated, from which version to
//! which, and what is skipped and why — with reads only ([`plan()`]).
//!
//! What an update would replace or remove is learned by a separate,
//! explicit step, [`preview_risk`]: a temporary provisioned product plan
//! per item (CreateProvisionedProductPlan → DescribeProvisionedProductPlan
//! → DeleteProvisionedProductPlan). It is a change in AWS, so it runs only
//! when the user asked for it (`--preview-risk`, `--yes`, the dialog's
//! preview key) and only in accounts the gate gave a writer. Before each
//! plan, spoke lists the provisioned product's plans
//! (ListProvisionedProductPlans) and deletes the temporary ones of its own
//! left behind by a run that was killed; a plan it could not delete is
//! returned, never only logged.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::Utc;
use futures::StreamExt;

use super::{BulkPlan, PlannedItem, Risk};
use crate::aws::{AwsError, Reader, Writer};
use crate::model::TEMPORARY_PLAN_PREFIX;
use crate::model::bulk::plan_item;
use crate::model::{AccountDrift, DriftRow, OptIn, ParamSetting, Skip, UpdateRequest, Version};
use crate::ops::act::new_token;
use crate::ops::fleet::{Member, Selection, Writers};

/// How many items of one account are planned at once (each a handful of
/// calls); [`FLEET_AT_ONCE`](super::limits::FLEET_AT_ONCE) in all.
pub const ITEMS_AT_ONCE: usize = 16;
/// How often a provisioned product plan is asked whether it is ready, and
/// for how long at most.
pub const PLAN_POLL: Duration = Duration::from_secs(1);
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
/// (or of `options.only`), with reads only. An item of a member the gate
/// refused (`writers.refused`) is skipped with the reason; the risk of the
/// others is [`Risk::NotPreviewed`] until [`preview_risk`] asks.
pub async fn plan(
    members: &[Member],
    accounts: &[AccountDrift],
    writers: &Writers,
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
    let tagged = &products_tagged(&rows, &readers, &options.policy).await;
    let limits = &super::limits::Limits::new(ITEMS_AT_ONCE);
    let planned = futures::stream::iter(
        rows.into_iter()
            .map(|(row, versions)| {
                let reader = readers.get(row.label.as_str()).copied();
                let product_tagged = tagged
                    .get(row.label.as_str())
                    .is_some_and(|set| set.contains(&row.provisioned.product_id));
                let refused = writers
                    .refused(&row.label)
                    .filter(|r| r.is_read_only())
                    .map(ToString::to_string);
                async move {
                    let _permit = limits.acquire(&row.label).await;
                    plan_row(row, versions, reader, refused, options, product_tagged).await
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

/// Under a tag policy, the products of each account whose drifted
/// provisioned products are not tagged themselves but whose product
/// carries the TagOption (the opt-in of the auto-update convention). An
/// account whose TagOptions cannot be read has none: its items are skipped
/// as not opted in (the log says why).
async fn products_tagged<'a>(
    rows: &[(&'a DriftRow, &[Version])],
    readers: &HashMap<&'a str, &'a Reader>,
    policy: &OptIn,
) -> HashMap<&'a str, HashSet<String>> {
    let OptIn::Tag { key, value } = policy else {
        return HashMap::new();
    };
    let mut wanted: BTreeMap<&'a str, BTreeSet<String>> = BTreeMap::new();
    for (row, _) in rows {
        if row.drifts() && !policy.admits(&row.provisioned, false) {
            wanted
                .entry(row.label.as_str())
                .or_default()
                .insert(row.provisioned.product_id.clone());
        }
    }
    let asked = wanted.into_iter().filter_map(|(label, ids)| {
        let reader = *readers.get(label)?;
        Some(async move {
            let ids: Vec<String> = ids.into_iter().collect();
            match crate::ops::act::opt_in::products_carrying(reader, &ids, key, value).await {
                Ok(set) => (label, set),
                Err(e) => {
                    tracing::warn!(account = label, error = %e, "product TagOptions not read");
                    (label, HashSet::new())
                }
            }
        })
    });
    futures::future::join_all(asked).await.into_iter().collect()
}

async fn plan_row(
    row: &DriftRow,
    versions: &[Version],
    reader: Option<&Reader>,
    refused: Option<String>,
    options: &PlanOptions,
    product_tagged: bool,
) -> PlannedItem {
    let pp = &row.provisioned;
    let item = plan_item(
        &row.label,
        pp,
        versions,
        &row.drift,
        &options.policy,
        product_tagged,
    );
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
        Ok(Err(skip)) => planned.item.skip = Some(skip),
        Err(e) => planned.item.skip = Some(Skip::RiskUnknown { why: e.to_string() }),
    }
    if !planned.item.will_update() {
        return planned;
    }
    // An account the rules make read-only is planned like the others (so
    // its rows say what would be done) and then skipped, with the rule.
    if let Some(why) = refused {
        planned.item.skip = Some(Skip::ReadOnly { why });
        planned.request = None;
        return planned;
    }
    planned.risk = Risk::NotPreviewed;
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

/// A temporary plan spoke created (or found left behind) and could not
/// delete: said at the end with the command that removes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    /// The member (profile, or account name in an organization).
    pub label: String,
    pub account: Option<String>,
    pub plan_id: String,
    pub plan_name: String,
    pub why: String,
}

impl Leftover {
    /// "spoke-… (pp-…) in spoke-dev (111…): why — remove it with `aws …`".
    pub fn line(&self, region: Option<&str>) -> String {
        let region = region.map(|r| format!(" --region {r}")).unwrap_or_default();
        format!(
            "temporary plan {} ({}) in {}{} could not be deleted: {} — remove it with `aws servicecatalog delete-provisioned-product-plan --plan-id {}{region}` in that account",
            self.plan_name,
            self.plan_id,
            self.label,
            self.account
                .as_deref()
                .map(|a| format!(" ({a})"))
                .unwrap_or_default(),
            self.why,
            self.plan_id
        )
    }
}

/// What [`preview_risk`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RiskPreview {
    /// Items whose risk is now known (safe or risky).
    pub previewed: usize,
    /// Temporary plans created (and deleted, but for `leftover`).
    pub created: usize,
    /// Temporary plans of spoke's own left by an earlier run, deleted.
    pub cleaned: usize,
    /// Temporary plans that could not be deleted.
    pub leftover: Vec<Leftover>,
    /// Stopped before every item was previewed (`cancel`).
    pub cancelled: bool,
}

/// How many temporary plans previewing `plan`'s risk creates: one per
/// item whose risk is not previewed yet.
pub fn to_preview(plan: &BulkPlan) -> usize {
    plan.items
        .iter()
        .filter(|i| i.request.is_some() && i.risk == Risk::NotPreviewed)
        .count()
}

/// Learns what each item's update would replace or remove, with a
/// temporary provisioned product plan of each (in accounts `writers`
/// holds a writer for), deleted once read — also when it fails. Risky
/// items are then skipped unless the plan includes them. `cancel` stops
/// starting more; the ones started finish, and delete their plan.
pub async fn preview_risk(
    plan: &mut BulkPlan,
    members: &[Member],
    writers: &Writers,
    poll: Duration,
    cancel: &AtomicBool,
) -> RiskPreview {
    let readers: HashMap<&str, (&Reader, Option<&str>)> = members
        .iter()
        .filter_map(|m| Some((m.label.as_str(), (m.reader()?, m.account.as_deref()))))
        .collect();
    let batch = plan.batch.clone();
    let todo: Vec<usize> = (0..plan.items.len())
        .filter(|&i| plan.items[i].request.is_some() && plan.items[i].risk == Risk::NotPreviewed)
        .collect();
    let limits = &super::limits::Limits::new(ITEMS_AT_ONCE);
    let items = &plan.items;
    let results: Vec<(usize, Option<ItemPreview>)> = futures::stream::iter(
        todo.into_iter()
            .map(|index| {
                let planned = &items[index];
                let label = planned.item.profile.as_str();
                let reader = readers.get(label).copied();
                let writer = writers.get(label);
                let refused = writers.refused(label).map(ToString::to_string);
                let batch = &batch;
                async move {
                    let _permit = limits.acquire(label).await;
                    if cancel.load(Ordering::SeqCst) {
                        return (index, None);
                    }
                    let request = planned.request.as_ref().expect("filtered above");
                    let preview = match (reader, writer) {
                        (Some((reader, account)), Some(writer)) => {
                            preview_one(reader, writer, account, request, batch, poll).await
                        }
                        _ => ItemPreview {
                            risk: Err(refused.unwrap_or_else(|| {
                                format!("account {label} is not reachable now")
                            })),
                            ..ItemPreview::default()
                        },
                    };
                    (index, Some(preview))
                }
            })
            .collect::<Vec<_>>(),
    )
    .buffer_unordered(super::limits::FLEET_AT_ONCE)
    .collect()
    .await;
    let mut outcome = RiskPreview::default();
    for (index, preview) in results {
        let Some(preview) = preview else {
            outcome.cancelled = true;
            continue;
        };
        outcome.created += usize::from(preview.created);
        outcome.cleaned += preview.cleaned;
        outcome.leftover.extend(preview.leftover);
        let item = &mut plan.items[index];
        match preview.risk {
            Ok(changes) => {
                outcome.previewed += 1;
                item.risk = if changes.is_empty() {
                    Risk::Safe
                } else {
                    Risk::Risky { changes }
                };
            }
            Err(why) => {
                item.item.skip = Some(Skip::RiskUnknown { why: why.clone() });
                item.risk = Risk::Unavailable { why };
                item.request = None;
            }
        }
    }
    // Risky items are skipped unless the plan includes them (and keep
    // their request: the operator may include them).
    for item in &mut plan.items {
        if let (Risk::Risky { changes }, None) = (&item.risk, &item.item.skip) {
            item.item.skip = Some(Skip::Risky {
                changes: changes.clone(),
            });
        }
    }
    let include = plan.include_risky;
    plan.set_include_risky(include);
    outcome
}

/// What previewing one item did.
#[derive(Debug)]
struct ItemPreview {
    /// The replacements and removals, or why they are unknown.
    risk: Result<Vec<String>, String>,
    created: bool,
    cleaned: usize,
    leftover: Vec<Leftover>,
}

impl Default for ItemPreview {
    fn default() -> Self {
        Self {
            risk: Ok(Vec::new()),
            created: false,
            cleaned: 0,
            leftover: Vec::new(),
        }
    }
}

/// Deletes spoke's own temporary plans of the provisioned product (left by
/// a run that was killed), creates one of `request`, waits for its
/// resource changes, deletes it.
async fn preview_one(
    reader: &Reader,
    writer: &Writer,
    account: Option<&str>,
    request: &UpdateRequest,
    batch: &str,
    poll: Duration,
) -> ItemPreview {
    let mut out = ItemPreview::default();
    let leftover = |id: &str, name: &str, why: String| Leftover {
        label: writer.profile().to_string(),
        account: account
            .map(str::to_string)
            .or(Some(writer.account().to_string())),
        plan_id: id.to_string(),
        plan_name: name.to_string(),
        why,
    };
    // Found the documented way, never by reading an error's words.
    let existing = match reader.list_plans(&request.provisioned_product_id).await {
        Ok(plans) => plans,
        Err(e) => {
            out.risk = Err(e.to_string());
            return out;
        }
    };
    for stale in existing.iter().filter(|p| p.is_spokes()) {
        match writer.delete_plan(&stale.id).await {
            Ok(()) => out.cleaned += 1,
            Err(e) => out
                .leftover
                .push(leftover(&stale.id, &stale.name, e.to_string())),
        }
    }
    if let Some(theirs) = existing.iter().find(|p| !p.is_spokes()) {
        out.risk = Err(format!(
            "its provisioned product plan {} ({}) is not spoke's: it is left alone — execute or delete it, then plan again",
            theirs.name, theirs.id
        ));
        return out;
    }
    if !out.leftover.is_empty() {
        out.risk = Err("a temporary plan of an earlier run could not be deleted".into());
        return out;
    }
    let name = format!(
        "{TEMPORARY_PLAN_PREFIX}{}-{}",
        batch.get(..8).unwrap_or(batch),
        request.provisioned_product_name
    );
    let plan_id = match writer
        .create_update_plan(request, &name, &new_token())
        .await
    {
        Ok(id) => id,
        Err(e) => {
            out.risk = Err(e.to_string());
            return out;
        }
    };
    out.created = true;
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
        out.leftover.push(leftover(&plan_id, &name, e.to_string()));
    }
    out.risk = state.and_then(|state| {
        if state.failed() {
            Err(format!(
                "the plan failed: {}",
                state.message.unwrap_or_else(|| "no reason given".into())
            ))
        } else {
            Ok(state.risks())
        }
    });
    out
}
