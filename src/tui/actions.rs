//! The console's actions as work for the executor: what to read before a
//! form opens ([`Prepare`] → [`Prepared`]), what to do once confirmed
//! ([`Act`] → [`ActEvent`]s → [`ActOutcome`]). Both run in tasks through
//! `ops::act`; the state only sees the messages.

use std::sync::Arc;
use std::time::Duration;

use crate::aws::{ProfileSource, Reader, Session, Writer};
use crate::model::{FieldError, LaunchRequest, Record, ShareType, UpdateRequest};
use crate::ops::act::accept::{AddPlan, PendingShare};
use crate::ops::act::follow::{FollowEvent, follow_record};
use crate::ops::act::launch::LaunchForm;
use crate::ops::act::share::{SHARE_POLL, ShareEvent, SharePlan};
use crate::ops::act::update::UpdateForm;
use crate::ops::act::{self, ActError};

/// What to read before a form opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prepare {
    Launch {
        product_id: String,
        product_name: String,
        version: Option<String>,
        path: Option<String>,
    },
    Update {
        provisioned_id: String,
        version: Option<String>,
    },
    /// The shares offered to this account, seen from the other profiles.
    PendingShares,
    AddProducts {
        imported_portfolio_id: String,
        local_portfolio_id: String,
        role: String,
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
    AddProducts(AddPlan),
}

/// A confirmed action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Act {
    Share(SharePlan),
    Accept {
        portfolio_id: String,
        share_type: ShareType,
    },
    AddProducts(AddPlan),
    Launch(LaunchRequest),
    Update(UpdateRequest),
}

impl Act {
    /// "Launch dev-db", "Share Networking"…
    pub fn title(&self) -> String {
        match self {
            Act::Share(plan) => format!("Share {}", plan.portfolio_name),
            Act::Accept { portfolio_id, .. } => format!("Accept {portfolio_id}"),
            Act::AddProducts(plan) => format!("Add products to {}", plan.local_portfolio_name),
            Act::Launch(r) => format!("Launch {}", r.name),
            Act::Update(r) => format!("Update {}", r.provisioned_product_name),
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

/// How often the console asks for a running request's record.
pub const RECORD_POLL: Duration = Duration::from_secs(2);

/// Reads what a form needs.
pub async fn prepare(
    reader: &Reader,
    source: &ProfileSource,
    log: crate::aws::CallLog,
    what: Prepare,
) -> Result<Prepared, ActFailure> {
    match what {
        Prepare::Launch {
            product_id,
            product_name,
            version,
            path,
        } => {
            let form = act::launch::prepare(
                reader,
                &product_id,
                &product_name,
                version.as_deref(),
                path.as_deref(),
            )
            .await?;
            Ok(Prepared::Launch(Box::new(form)))
        }
        Prepare::Update {
            provisioned_id,
            version,
        } => {
            let pp = act::update::find_provisioned(reader, &provisioned_id).await?;
            let form = act::update::prepare(reader, pp, version.as_deref()).await?;
            Ok(Prepared::Update(Box::new(form)))
        }
        Prepare::PendingShares => {
            let account = reader.account().await?;
            let (hubs, mut problems) = other_readers(reader, source, log).await;
            let (shares, more) = act::accept::pending_shares(&account, &hubs).await;
            problems.extend(more);
            Ok(Prepared::PendingShares { shares, problems })
        }
        Prepare::AddProducts {
            imported_portfolio_id,
            local_portfolio_id,
            role,
        } => {
            let plan =
                act::accept::plan_add(reader, &imported_portfolio_id, &local_portfolio_id, &role)
                    .await?;
            Ok(Prepared::AddProducts(plan))
        }
    }
}

/// Readers of every other profile, in the same region.
async fn other_readers(
    reader: &Reader,
    source: &ProfileSource,
    log: crate::aws::CallLog,
) -> (Vec<Reader>, Vec<String>) {
    let profiles = match source.discover() {
        Ok(p) => p,
        Err(e) => return (Vec::new(), vec![e.to_string()]),
    };
    let mut readers = Vec::new();
    let mut problems = Vec::new();
    for p in profiles.iter().filter(|p| p.name != reader.profile()) {
        match Session::connect_with_log(source, &p.name, Some(reader.region()), log.clone()).await {
            Ok(session) => readers.push(Reader::new(&session)),
            Err(e) => problems.push(format!("{}: {e}", p.name)),
        }
    }
    (readers, problems)
}

/// Does a confirmed action, telling `report` as it goes.
pub async fn run(
    writer: Arc<Writer>,
    reader: Arc<Reader>,
    act: Act,
    mut report: impl FnMut(ActEvent),
) -> Result<ActOutcome, ActFailure> {
    match act {
        Act::Share(plan) => {
            let results = act::share::apply(&writer, &reader, &plan, SHARE_POLL, |event| {
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
        Act::Accept {
            portfolio_id,
            share_type,
        } => {
            act::accept::accept(&writer, &portfolio_id, share_type).await?;
            Ok(ActOutcome {
                ok: true,
                lines: vec![format!("accepted the share of {portfolio_id}")],
                record: None,
            })
        }
        Act::AddProducts(plan) => {
            let lines = act::accept::apply_add(&writer, &plan).await?;
            Ok(ActOutcome {
                ok: !lines.iter().any(|l| l.contains("FAILED")),
                lines,
                record: None,
            })
        }
        Act::Launch(request) => {
            let record = act::launch::launch(&writer, &request).await?;
            followed(&reader, &writer, record, request.name.clone(), &mut report).await
        }
        Act::Update(request) => {
            let record = act::update::update(&writer, &request).await?;
            followed(
                &reader,
                &writer,
                record,
                request.provisioned_product_name.clone(),
                &mut report,
            )
            .await
        }
    }
}

/// Follows a launch's or an update's record to its end.
async fn followed(
    reader: &Reader,
    writer: &Writer,
    record: Record,
    name: String,
    report: &mut impl FnMut(ActEvent),
) -> Result<ActOutcome, ActFailure> {
    report(ActEvent::Record(record.clone()));
    let last = follow_record(reader, &record.id, RECORD_POLL, |event| match event {
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
