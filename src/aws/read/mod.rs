//! Reader: every read call, paginated with the largest page each API
//! allows, concurrent where independent, mapped into model types.
//!
//! One file per group: [`portfolios`] (and shares), [`products`] (and
//! versions), [`constraints`], [`provisioned`], [`stacks`] (events).

mod actions;
mod authoring;
mod constraints;
mod iam;
mod launch;
mod life;
mod organization;
mod plans;
mod portfolios;
mod products;
mod provisioned;
mod resource_drift;
mod stacks;
mod templates;

use std::future::Future;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use tokio::sync::OnceCell;

pub use portfolios::ShareProgress;
pub(crate) use provisioned::record as provisioned_record;
pub use stacks::StackState;
pub use templates::{BucketState, Validated};

use super::calls::CallLog;
use super::error::AwsError;
use super::session::Session;
use crate::model::CallerIdentity;

/// A [`Reader`]'s clients, shared by its clones.
#[derive(Debug, Default)]
struct Clients {
    catalog: std::sync::OnceLock<aws_sdk_servicecatalog::Client>,
    cloudformation: std::sync::OnceLock<aws_sdk_cloudformation::Client>,
    sts: std::sync::OnceLock<aws_sdk_sts::Client>,
    organizations: std::sync::OnceLock<aws_sdk_organizations::Client>,
    s3: std::sync::OnceLock<aws_sdk_s3::Client>,
    iam: std::sync::OnceLock<aws_sdk_iam::Client>,
}

/// A guard against an endpoint that never stops paging.
pub(crate) const MAX_PAGES: usize = 10_000;
/// How many calls of one kind run at once (per-portfolio, per-product…).
/// At 24, a product's versions keep up with the product pages as they
/// arrive (20 a page) and one account of 300 products scans in about its
/// longest chain of pages (`cargo bench`, scan-one); what Service Catalog
/// throttles, the SDK retries with backoff, in the account's own partition.
pub const CONCURRENCY: usize = 24;

/// The read-only clients of one session, each built when first used (a
/// fleet's accounts mostly need one or two of the four; an SDK client
/// costs a fraction of a millisecond to build and some memory to keep).
#[derive(Debug, Clone)]
pub struct Reader {
    session: Session,
    clients: Arc<Clients>,
    identity: Arc<OnceCell<CallerIdentity>>,
}

impl Reader {
    pub fn new(session: &Session) -> Self {
        Self {
            session: session.clone(),
            clients: Arc::new(Clients::default()),
            identity: Arc::new(match &session.identity {
                Some(known) => {
                    session.recorder.set_account(&known.account_id);
                    OnceCell::new_with(Some(known.clone()))
                }
                None => OnceCell::new(),
            }),
        }
    }

    /// The same reader (its session, the identity it knows) without the
    /// clients it built: they are built again if asked for. A fleet keeps
    /// its thousands of members after their scan at this cost.
    pub fn without_clients(&self) -> Self {
        Self {
            session: self.session.clone(),
            clients: Arc::new(Clients::default()),
            identity: self.identity.clone(),
        }
    }

    /// Starts a scan: every operation is asked again, whatever failed in
    /// the last one (see [`crate::aws::breaker`]).
    pub fn begin_scan(&self) {
        self.session.breaker.reset();
    }

    fn catalog(&self) -> &aws_sdk_servicecatalog::Client {
        self.clients
            .catalog
            .get_or_init(|| self.session.catalog_client())
    }

    fn cloudformation(&self) -> &aws_sdk_cloudformation::Client {
        self.clients
            .cloudformation
            .get_or_init(|| self.session.cloudformation_client())
    }

    fn s3(&self) -> &aws_sdk_s3::Client {
        self.clients.s3.get_or_init(|| self.session.s3_client())
    }

    fn iam(&self) -> &aws_sdk_iam::Client {
        self.clients.iam.get_or_init(|| self.session.iam_client())
    }

    fn sts(&self) -> &aws_sdk_sts::Client {
        self.clients.sts.get_or_init(|| self.session.sts_client())
    }

    fn organizations(&self) -> &aws_sdk_organizations::Client {
        self.clients
            .organizations
            .get_or_init(|| self.session.organizations_client())
    }

    pub fn profile(&self) -> &str {
        &self.session.context.profile
    }

    pub fn region(&self) -> &str {
        &self.session.context.region
    }

    /// The log every call of this reader goes to.
    pub fn call_log(&self) -> &CallLog {
        self.session.recorder.log()
    }

    /// STS `GetCallerIdentity`, asked once per reader: later calls answer
    /// from memory (the account behind a session does not change).
    pub async fn caller_identity(&self) -> Result<CallerIdentity, AwsError> {
        let identity = self
            .identity
            .get_or_try_init(|| async {
                let out = self
                    .sts()
                    .get_caller_identity()
                    .send()
                    .await
                    .map_err(|e| self.session.context.map("sts", "GetCallerIdentity", e))?;
                Ok::<_, AwsError>(CallerIdentity {
                    account_id: out.account().unwrap_or_default().to_string(),
                    arn: out.arn().unwrap_or_default().to_string(),
                    user_id: out.user_id().unwrap_or_default().to_string(),
                })
            })
            .await?;
        self.session.recorder.set_account(&identity.account_id);
        Ok(identity.clone())
    }

    /// The account of this session's credentials.
    pub async fn account(&self) -> Result<String, AwsError> {
        Ok(self.caller_identity().await?.account_id)
    }
}

/// Fetches every page: `fetch(token)` returns one page and the next token.
async fn all_pages<T, F, Fut>(operation: &str, mut fetch: F) -> Result<Vec<T>, AwsError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), AwsError>>,
{
    let mut items = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let (page, next) = fetch(token.take()).await?;
        items.extend(page);
        match next.filter(|t| !t.is_empty()) {
            Some(next) => token = Some(next),
            None => return Ok(items),
        }
    }
    Err(AwsError::Other {
        operation: operation.to_string(),
        detail: format!("more than {MAX_PAGES} pages; stopped"),
    })
}

/// Runs `f` on every item, at most [`CONCURRENCY`] at once; results in the
/// order of `items`.
pub async fn concurrently<I, T, F, Fut>(items: I, f: F) -> Vec<T>
where
    I: IntoIterator,
    F: Fn(I::Item) -> Fut,
    Fut: Future<Output = T>,
{
    let f = &f;
    let mut done: Vec<(usize, T)> = futures::stream::iter(items.into_iter().enumerate())
        .map(|(i, item)| async move { (i, f(item).await) })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, t)| t).collect()
}

fn time(t: Option<&aws_smithy_types::DateTime>) -> Option<DateTime<Utc>> {
    t.and_then(|t| DateTime::from_timestamp(t.secs(), t.subsec_nanos()))
}

fn text(s: Option<&str>) -> String {
    s.unwrap_or_default().to_string()
}

fn optional(s: Option<&str>) -> Option<String> {
    s.filter(|s| !s.is_empty()).map(str::to_string)
}
