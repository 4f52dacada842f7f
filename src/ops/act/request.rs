//! Every action as one request: what to read before a form opens
//! ([`Prepare`] → [`Prepared`]), what to do once confirmed ([`Request`] →
//! [`ActEvent`]s → [`ActOutcome`]). The console's executor runs them in
//! tasks and its state only sees the messages.

use crate::aws::{Reader, Writer};
use crate::model::{FieldError, LaunchRequest, Record, ShareType, UpdateRequest};
use crate::ops::act::accept::{AddPlan, PendingShare};
use crate::ops::act::follow::{Follow, FollowEvent, RECORD_POLL, follow_with};
use crate::ops::act::launch::LaunchForm;
use crate::ops::act::share::{SHARE_POLL, ShareEvent, SharePlan};
use crate::ops::act::update::UpdateForm;
use crate::ops::act::{self, ActError};
use crate::ops::{Connected, Sessions};

/// What to read before a form opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prepare {
    Launch {
        product_id: String,
        product_name: String,
        version: Option<String>,
        path: Option<String>,
        /// With several launch paths and none named: pick one (the first
        /// by name) and read its parameters, for a form that shows them
        /// at once; the user may pick another. Headless never guesses.
        preselect: bool,
    },
    Update {
        provisioned_id: String,
        version: Option<String>,
        /// Another product to change to (its id), if any.
        product: Option<String>,
    },
    /// The shares offered to this account, seen from the other profiles.
    PendingShares,
    AddProducts {
        imported_portfolio_id: String,
        /// The local portfolio (created if it says so) and its principals.
        target: act::accept::LocalTarget,
        role: String,
    },
    /// A product this account owns and its versions (the hub's side).
    Versions { product_id: String },
    /// The plan of one of the hub's actions (and a spoke admin's access settings).
    Hub(Box<act::hub::HubInput>),
    /// The plan of a sync of the hub with a folder.
    Sync {
        dir: std::path::PathBuf,
        bucket: Option<String>,
        /// What left the folder is deleted (`:prune`).
        prune: bool,
    },
    /// What terminating these provisioned products deletes.
    Terminate { provisioned_ids: Vec<String> },
    /// The plan of running a self-service action on a provisioned
    /// product: with Service Catalog's defaults until `values` are given
    /// (the console's form asks for them once it has read the action).
    ServiceAction {
        provisioned_id: String,
        action_id: String,
        values: Option<std::collections::BTreeMap<String, String>>,
    },
    /// The plan out of TAINTED or ERROR; `values` are NoEcho values given
    /// again for a relaunch.
    Repair {
        provisioned_id: String,
        to: act::repair::RepairTo,
        values: std::collections::BTreeMap<String, String>,
    },
}

/// What was read.
#[derive(Debug, Clone)]
pub enum Prepared {
    Launch(Box<LaunchForm>),
    Update(Box<UpdateForm>),
    PendingShares {
        shares: Vec<PendingShare>,
        problems: Vec<String>,
    },
    AddProducts(Box<AddPlan>),
    Versions {
        product: Box<crate::model::Product>,
        versions: Vec<crate::model::Version>,
    },
    Hub(Box<act::hub::HubAction>),
    Sync(Box<crate::ops::sync::SyncPlan>),
    Terminate(Vec<act::terminate::TerminatePlan>),
    /// The plan, and whether the values it has were asked for (a form
    /// comes first when they were not and the action takes some).
    ServiceAction {
        plan: Box<act::service_action::ActionPlan>,
        asked: bool,
    },
    Repair(Box<act::repair::RepairPlan>),
    /// A repair that needs values only the user can give (NoEcho ones).
    RepairNeeds(Box<act::repair::RepairNeeds>),
}

/// A confirmed action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Share(SharePlan),
    Accept {
        portfolio_id: String,
        /// Its name, when known (a share picked from those seen).
        portfolio_name: Option<String>,
        share_type: ShareType,
    },
    AddProducts(Box<AddPlan>),
    Launch(LaunchRequest),
    Update(UpdateRequest),
    /// A version deprecated, undeprecated, deactivated or activated.
    Version(Box<act::version::VersionPlan>),
    Hub(Box<act::hub::HubAction>),
    /// Stop sharing a local portfolio with an account, an OU or the organization.
    Unshare(Box<act::share::UnsharePlan>),
    /// A sync's changes, in order.
    Sync(Box<crate::ops::sync::SyncPlan>),
    /// Provisioned products terminated, one after the other.
    Terminate(Vec<act::terminate::TerminatePlan>),
    /// A self-service action run on a provisioned product.
    ServiceAction(Box<act::service_action::ActionPlan>),
    /// A TAINTED product updated again, or a failed launch terminated and
    /// launched again.
    Repair(Box<act::repair::RepairPlan>),
}

impl Request {
    /// "Launch dev-db", "Share Networking"…
    pub fn title(&self) -> String {
        match self {
            Request::Share(plan) => format!("Share {}", plan.portfolio_name),
            Request::Accept {
                portfolio_id,
                portfolio_name,
                ..
            } => match portfolio_name {
                Some(name) => format!("Accept {name} ({portfolio_id})"),
                None => format!("Accept {portfolio_id}"),
            },
            Request::AddProducts(plan) => format!("Add products to {}", plan.local_portfolio_name),
            Request::Launch(r) => format!("Launch {}", r.name),
            Request::Update(r) => format!("Update {}", r.provisioned_product_name),
            Request::Hub(a) => a.title(),
            Request::Unshare(p) => format!("Stop sharing {}", p.portfolio_name),
            Request::Sync(p) => format!("Sync: {} change(s)", p.changes.len()),
            Request::Terminate(plans) => match plans.as_slice() {
                [one] => format!("Terminate {}", one.provisioned.name),
                many => format!("Terminate {} provisioned products", many.len()),
            },
            Request::ServiceAction(p) => {
                format!("Run {} on {}", p.action.name, p.provisioned.name)
            }
            Request::Repair(p) => format!("Repair {}", p.provisioned().name),
            Request::Version(p) => format!(
                "{} {} of {}",
                p.action.verb(),
                p.version.name,
                p.product.name
            ),
        }
    }
}

/// Something that happened while an action runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActEvent {
    /// A line for the progress view.
    Line(String),
    /// The request's record was created.
    Record(Record),
    /// The stack of the provisioned product is known: follow its events.
    Stack {
        provisioned_id: String,
        name: String,
        stack_arn: String,
    },
    /// The record's status changed.
    Status(String),
}

/// How an action ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActOutcome {
    pub ok: bool,
    pub lines: Vec<String>,
    /// The final record of a launch or update.
    pub record: Option<Record>,
}

/// Why an action or a preparation failed, for the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActFailure {
    pub message: String,
    /// Mistakes tied to a field of the form.
    pub fields: Vec<FieldError>,
    /// Nothing was sent to AWS.
    pub sent_nothing: bool,
}

impl From<ActError> for ActFailure {
    fn from(e: ActError) -> Self {
        ActFailure {
            message: e.to_string(),
            fields: e.field_errors().to_vec(),
            sent_nothing: e.sent_nothing(),
        }
    }
}

impl From<crate::aws::AwsError> for ActFailure {
    fn from(e: crate::aws::AwsError) -> Self {
        ActError::from(e).into()
    }
}

/// Reads what a form needs.
pub async fn prepare(
    sessions: &Sessions,
    conn: &Connected,
    what: Prepare,
) -> Result<Prepared, ActFailure> {
    let reader = conn.reader();
    match what {
        Prepare::Launch {
            product_id,
            product_name,
            version,
            path,
            preselect,
        } => {
            let form = act::launch::prepare(
                reader,
                &product_id,
                &product_name,
                version.as_deref(),
                path.as_deref(),
                preselect,
            )
            .await?;
            Ok(Prepared::Launch(Box::new(form)))
        }
        Prepare::Update {
            provisioned_id,
            version,
            product,
        } => {
            let pp = act::update::find_provisioned(reader, &provisioned_id).await?;
            let other = product.as_deref().map(|product| act::update::OtherProduct {
                product,
                path: None,
            });
            let form = act::update::prepare_to(reader, pp, other, version.as_deref()).await?;
            Ok(Prepared::Update(Box::new(form)))
        }
        Prepare::PendingShares => {
            let (shares, problems) =
                act::accept::pending(sessions, conn, Some(conn.region())).await;
            Ok(Prepared::PendingShares { shares, problems })
        }
        Prepare::AddProducts {
            imported_portfolio_id,
            target,
            role,
        } => {
            let plan =
                act::accept::plan_add_to(reader, &imported_portfolio_id, &target, &role).await?;
            Ok(Prepared::AddProducts(Box::new(plan)))
        }
        Prepare::Sync { dir, bucket, prune } => {
            let dirs = crate::model::mapping::read_dir(&dir)
                .map_err(|e| ActFailure::from(ActError::Refused(e.to_string())))?;
            let plan = crate::ops::sync::plan(
                reader,
                &dirs,
                &crate::ops::sync::SyncOptions { bucket, prune },
            )
            .await?;
            Ok(Prepared::Sync(Box::new(plan)))
        }
        Prepare::ServiceAction {
            provisioned_id,
            action_id,
            values,
        } => {
            let pp = act::update::find_provisioned(reader, &provisioned_id).await?;
            let given = values.clone().unwrap_or_default();
            let plan = act::service_action::plan(reader, pp, &action_id, &given).await?;
            Ok(Prepared::ServiceAction {
                plan: Box::new(plan),
                asked: values.is_some(),
            })
        }
        Prepare::Repair {
            provisioned_id,
            to,
            values,
        } => {
            let pp = act::update::find_provisioned(reader, &provisioned_id).await?;
            let name = pp.name.clone();
            match act::repair::plan(reader, pp, to.clone(), &values).await {
                Ok(plan) => Ok(Prepared::Repair(Box::new(plan))),
                // Values only the user can give: asked for, then planned again.
                Err(ActError::Invalid(fields)) => {
                    Ok(Prepared::RepairNeeds(Box::new(act::repair::RepairNeeds {
                        provisioned_id,
                        name,
                        to,
                        values,
                        fields,
                    })))
                }
                Err(e) => Err(e.into()),
            }
        }
        Prepare::Hub(input) => Ok(Prepared::Hub(Box::new(
            act::hub::plan(reader, *input).await?,
        ))),
        Prepare::Terminate { provisioned_ids } => {
            let mut plans = Vec::new();
            for id in &provisioned_ids {
                let pp = act::update::find_provisioned(reader, id).await?;
                plans.push(act::terminate::plan(reader, pp, Default::default()).await?);
            }
            Ok(Prepared::Terminate(plans))
        }
        Prepare::Versions { product_id } => {
            let (product, versions) = act::version::read(reader, &product_id).await?;
            Ok(Prepared::Versions {
                product: Box::new(product),
                versions,
            })
        }
    }
}

/// Does a confirmed action, telling `report` as it goes.
pub async fn run(
    conn: &Connected,
    request: Request,
    mut report: impl FnMut(ActEvent),
) -> Result<ActOutcome, ActFailure> {
    let reader = conn.reader();
    let writer = conn.writer().map_err(|refusal| ActFailure {
        message: refusal.to_string(),
        fields: Vec::new(),
        sent_nothing: true,
    })?;
    match request {
        Request::Share(plan) => {
            let results = act::share::apply(writer, reader, &plan, SHARE_POLL, |event| {
                if let ShareEvent::Progress(target, p) = &event {
                    report(ActEvent::Line(format!(
                        "{}: {}",
                        target.describe(),
                        p.status
                    )));
                }
            })
            .await?;
            Ok(ActOutcome {
                ok: results.iter().all(|r| r.ok()),
                lines: results.iter().map(|r| r.line()).collect(),
                record: None,
            })
        }
        Request::Accept {
            portfolio_id,
            portfolio_name,
            share_type,
        } => {
            act::accept::accept(writer, &portfolio_id, share_type).await?;
            let what = match portfolio_name {
                Some(name) => format!("{name} ({portfolio_id})"),
                None => portfolio_id,
            };
            Ok(ActOutcome {
                ok: true,
                lines: vec![format!("accepted the share of {what}")],
                record: None,
            })
        }
        Request::AddProducts(plan) => {
            let lines = act::accept::apply_add(writer, &plan).await?;
            Ok(ActOutcome {
                ok: !lines.iter().any(|l| l.contains("FAILED")),
                lines,
                record: None,
            })
        }
        Request::Launch(request) => {
            let record = act::launch::launch(writer, &request).await?;
            let how = Follow::record_and_stack(RECORD_POLL);
            followed(
                reader,
                writer,
                record,
                request.name.clone(),
                how,
                &mut report,
            )
            .await
        }
        Request::Sync(plan) => {
            let done = crate::ops::sync::apply(writer, reader, &plan, |a| {
                report(ActEvent::Line(a.line.clone()))
            })
            .await?;
            Ok(ActOutcome {
                ok: done.iter().all(|a| a.ok),
                lines: done.into_iter().map(|a| a.line).collect(),
                record: None,
            })
        }
        Request::Unshare(plan) => {
            let results = act::share::apply_unshare(writer, reader, &plan, SHARE_POLL, |event| {
                if let ShareEvent::Progress(target, p) = &event {
                    report(ActEvent::Line(format!(
                        "{}: {}",
                        target.describe(),
                        p.status
                    )));
                }
            })
            .await?;
            Ok(ActOutcome {
                ok: results.iter().all(|r| r.ok()),
                lines: results.iter().map(|r| r.line()).collect(),
                record: None,
            })
        }
        Request::Hub(action) => Ok(ActOutcome {
            ok: true,
            lines: act::hub::apply(writer, reader, &action).await?,
            record: None,
        }),
        Request::Version(plan) => {
            let done = act::version::apply(writer, &plan).await?;
            Ok(ActOutcome {
                ok: true,
                lines: vec![
                    done,
                    "the spokes see it at their next read (R here)".to_string(),
                ],
                record: None,
            })
        }
        Request::Terminate(plans) => {
            // One after the other, each followed to its end; a failure
            // stops the rest (nothing more is sent).
            let mut lines = Vec::new();
            let mut ok = true;
            let mut last = None;
            for (i, plan) in plans.iter().enumerate() {
                let record = act::terminate::terminate(writer, plan).await?;
                let name = plan.provisioned.name.clone();
                let how = Follow::record_and_stack(RECORD_POLL);
                let outcome = followed(reader, writer, record, name, how, &mut report).await?;
                ok &= outcome.ok;
                lines.extend(outcome.lines);
                last = outcome.record;
                if !ok {
                    let left = plans.len() - i - 1;
                    if left > 0 {
                        lines.push(format!("{left} not terminated: stopped after this failure"));
                    }
                    break;
                }
            }
            Ok(ActOutcome {
                ok,
                lines,
                record: last,
            })
        }
        Request::Update(request) => {
            let record = act::update::update(writer, &request).await?;
            followed(
                reader,
                writer,
                record,
                request.provisioned_product_name.clone(),
                Follow::record_and_stack(RECORD_POLL),
                &mut report,
            )
            .await
        }
        Request::Repair(plan) => repaired(reader, writer, *plan, &mut report).await,
        Request::ServiceAction(plan) => {
            let record = act::service_action::execute(writer, &plan).await?;
            // It changes no stack: its record only.
            let how = Follow::record_only(RECORD_POLL);
            let name = format!("{} on {}", plan.action.name, plan.provisioned.name);
            followed(reader, writer, record, name, how, &mut report).await
        }
    }
}

/// A repair: the update, or the termination followed to its end and —
/// only if it ended well — the launch under the same name.
async fn repaired(
    reader: &Reader,
    writer: &Writer,
    plan: act::repair::RepairPlan,
    report: &mut impl FnMut(ActEvent),
) -> Result<ActOutcome, ActFailure> {
    let how = || Follow::record_and_stack(RECORD_POLL);
    match plan {
        act::repair::RepairPlan::Update { request, .. } => {
            let record = act::update::update(writer, &request).await?;
            let name = request.provisioned_product_name.clone();
            followed(reader, writer, record, name, how(), report).await
        }
        act::repair::RepairPlan::Relaunch {
            terminate, launch, ..
        } => {
            let name = terminate.provisioned.name.clone();
            let record = act::terminate::terminate(writer, &terminate).await?;
            let ended = followed(reader, writer, record, name.clone(), how(), report).await?;
            if !ended.ok {
                let mut ended = ended;
                ended.lines.push(format!(
                    "{name} was not launched again: its termination did not end well"
                ));
                return Ok(ended);
            }
            let record = act::launch::launch(writer, &launch).await?;
            let mut outcome = followed(reader, writer, record, name, how(), report).await?;
            let mut lines = ended.lines;
            lines.append(&mut outcome.lines);
            outcome.lines = lines;
            Ok(outcome)
        }
    }
}

/// Follows a launch's, an update's or an action's record to its end, as
/// `how` says.
async fn followed(
    reader: &Reader,
    writer: &Writer,
    record: Record,
    name: String,
    how: Follow,
    report: &mut impl FnMut(ActEvent),
) -> Result<ActOutcome, ActFailure> {
    report(ActEvent::Record(record.clone()));
    let last = follow_with(reader, &record.id, how, |event| match event {
        FollowEvent::Stack {
            provisioned_id,
            stack_arn,
        } => report(ActEvent::Stack {
            provisioned_id,
            name: name.clone(),
            stack_arn,
        }),
        FollowEvent::Status(status) => report(ActEvent::Status(status)),
        FollowEvent::Events(_) => {}
    })
    .await?;
    writer.settled(&last);
    let mut lines = vec![format!("{name}: {} (record {})", last.status, last.id)];
    lines.extend(last.errors.iter().map(|e| format!("error: {e}")));
    lines.extend(
        last.outputs
            .iter()
            .map(|o| format!("output {} = {}", o.key, o.value)),
    );
    Ok(ActOutcome {
        ok: last.succeeded(),
        lines,
        record: Some(last),
    })
}
