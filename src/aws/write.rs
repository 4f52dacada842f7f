//! Writer: the only code that changes anything in AWS — share, accept,
//! associate, constrain, launch, update.
//!
//! Every call is journaled: an intent line is written and synced before
//! the call (if it cannot be written, the call is not made), and a result
//! line after it. Idempotency tokens come from the caller, so a retry or
//! a resumed run sends the same token and AWS does the work once. The
//! SDK retries a write at most [`WRITE_ATTEMPTS`] times.
//!
//! A writer is given only by the [`Gate`] (`write/gate.rs`), which applies
//! the read-only rules to the account it writes to; nothing else can build
//! one.

use std::collections::BTreeMap;
use std::future::Future;

use aws_sdk_servicecatalog::types::{
    OrganizationNode, OrganizationNodeType, PortfolioShareType, ProvisioningParameter, Tag,
    UpdateProvisioningParameter,
};
use chrono::Utc;

use super::error::{AwsError, CallContext};
use super::read::provisioned_record;
use super::session::Session;
use crate::journal::{Actor, Entry, Journal, JournalError, Outcome, Phase, REDACTED};
use crate::model::{
    CallerIdentity, LaunchRequest, LaunchRole, ParamSetting, Record, ShareTarget, ShareType,
    UpdateRequest,
};

mod actions;
mod authoring;
mod gate;
mod life;
mod plans;
mod report;
mod stack_drift;

pub use authoring::{ProductFields, VersionSource};
pub use gate::{Gate, Refusal};
pub use life::TerminateRequest;

/// Attempts per write call, the first included. Every write that could
/// act twice carries an idempotency token (UpdateToken, ProvisionToken,
/// IdempotencyToken), the same on every attempt, so AWS acts once however
/// often it is sent; the others (share, accept, associate, delete a plan)
/// come to the same end when repeated. As many as reads: a plan that meets
/// a throttled account must not be skipped as "risk unknown" (the soak
/// lost 3 of 220 items at 3 attempts).
pub const WRITE_ATTEMPTS: u32 = crate::aws::session::READ_ATTEMPTS;

/// The target under which the result line of an organization share names
/// the token `DescribePortfolioShareStatus` follows it by.
pub const SHARE_TOKEN: &str = "portfolio_share_token";

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Nothing was sent: the journal could not record the intent.
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error(transparent)]
    Aws(#[from] AwsError),
}

/// Mutating calls of one session, each journaled.
#[derive(Debug, Clone)]
pub struct Writer {
    catalog: aws_sdk_servicecatalog::Client,
    /// Templates go to S3 before Service Catalog loads them.
    s3: aws_sdk_s3::Client,
    /// Drift detection (`DetectStackDrift`) changes a stack's drift status.
    cloudformation: aws_sdk_cloudformation::Client,
    context: CallContext,
    journal: Journal,
    actor: Actor,
    batch: Option<String>,
}

/// What one call writes to the journal besides who and when.
struct Call<'a> {
    operation: &'static str,
    targets: Vec<(&'static str, String)>,
    parameters: BTreeMap<String, String>,
    token: Option<&'a str>,
    /// NoEcho values sent: never written, even inside an error message.
    secrets: Vec<&'a str>,
}

impl Writer {
    /// A writer for `session`, acting as `identity`, journaling to
    /// `journal`. Private: [`Gate::writer`] is its only caller.
    fn open(session: &Session, identity: &CallerIdentity, journal: Journal) -> Writer {
        let retry = retry_config();
        let conf = aws_sdk_servicecatalog::config::Builder::from(&session.sdk)
            .retry_config(retry)
            .interceptor(session.recorder.clone())
            // An error sent with 200 is an error (retried with the same
            // token); an answer that does not parse is not retried: the
            // write may have happened, and the caller reads back.
            .interceptor(crate::aws::answers::UnmaskErrors)
            .build();
        let cloudformation = aws_sdk_cloudformation::config::Builder::from(&session.sdk)
            .retry_config(retry_config())
            .interceptor(session.recorder.clone())
            .interceptor(crate::aws::answers::UnmaskErrors)
            .build();
        session.recorder.set_account(&identity.account_id);
        Writer {
            catalog: aws_sdk_servicecatalog::Client::from_conf(conf),
            s3: session.s3_client(),
            cloudformation: aws_sdk_cloudformation::Client::from_conf(cloudformation),
            context: session.context.clone(),
            journal,
            actor: Actor {
                profile: session.profile().to_string(),
                account: identity.account_id.clone(),
                caller_arn: identity.arn.clone(),
                region: session.region().to_string(),
            },
            batch: None,
        }
    }

    /// The same writer, its journal lines tagged with a bulk run's id.
    pub fn in_batch(&self, batch: impl Into<String>) -> Writer {
        Writer {
            batch: Some(batch.into()),
            ..self.clone()
        }
    }

    pub fn profile(&self) -> &str {
        &self.actor.profile
    }

    pub fn account(&self) -> &str {
        &self.actor.account
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Journals the intent, makes the call, journals its result.
    /// `summary` says what a success did (and may name a record id).
    async fn journaled<T, F, Fut>(
        &self,
        call: Call<'_>,
        send: F,
        summary: impl FnOnce(&T) -> (Option<String>, String),
    ) -> Result<T, WriteError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, AwsError>>,
    {
        self.journaled_answering(call, send, |value| {
            let (record_id, message) = summary(value);
            (record_id, message, Vec::new())
        })
        .await
    }

    /// [`Writer::journaled`], the result line of a success also naming
    /// the ids the call answered (added to its `targets`, e.g. the
    /// `portfolio_share_token` of an organization share).
    async fn journaled_answering<T, F, Fut>(
        &self,
        call: Call<'_>,
        send: F,
        summary: impl FnOnce(&T) -> (Option<String>, String, Vec<(&'static str, String)>),
    ) -> Result<T, WriteError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, AwsError>>,
    {
        let mut entry = Entry {
            time: Utc::now(),
            action: uuid::Uuid::new_v4().to_string(),
            phase: Phase::Intent,
            batch: self.batch.clone(),
            actor: self.actor.clone(),
            operation: call.operation.to_string(),
            targets: call
                .targets
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            parameters: call.parameters,
            token: call.token.map(str::to_string),
            record_id: None,
            outcome: None,
        };
        self.journal.append(&entry)?;
        let result = send().await;
        entry.time = Utc::now();
        entry.phase = Phase::Result;
        entry.outcome = Some(match &result {
            Ok(value) => {
                let (record_id, message, answered) = summary(value);
                entry.record_id = record_id;
                entry
                    .targets
                    .extend(answered.into_iter().map(|(k, v)| (k.to_string(), v)));
                Outcome { ok: true, message }
            }
            Err(e) => Outcome {
                ok: false,
                message: without_secrets(e.to_string(), &call.secrets),
            },
        });
        if let Err(e) = self.journal.append(&entry) {
            // The call was made: its result matters more than the journal
            // line, which the intent already covers.
            tracing::error!(error = %e, operation = call.operation, "journal result not written");
        }
        Ok(result?)
    }

    /// Journals how a launch's or an update's request ended (a `settled`
    /// line with its record id). A failure to write it is logged: the
    /// request itself is already journaled.
    pub fn settled(&self, record: &Record) {
        let entry = Entry {
            time: Utc::now(),
            action: uuid::Uuid::new_v4().to_string(),
            phase: Phase::Settled,
            batch: self.batch.clone(),
            actor: self.actor.clone(),
            // One spelling of each operation in the journal: the API's.
            operation: operation_of_record(&record.record_type),
            targets: record
                .provisioned_product_id
                .iter()
                .map(|id| ("provisioned_product_id".to_string(), id.clone()))
                .collect(),
            parameters: BTreeMap::new(),
            token: None,
            record_id: Some(record.id.clone()),
            outcome: Some(Outcome {
                ok: record.succeeded(),
                message: if record.errors.is_empty() {
                    record.status.clone()
                } else {
                    format!("{}: {}", record.status, record.errors.join("; "))
                },
            }),
        };
        if let Err(e) = self.journal.append(&entry) {
            tracing::error!(error = %e, record = record.id, "journal: settled line not written");
        }
    }

    /// Journals that a bulk run's update was not sent (a `halted` line
    /// with its token and why); nothing is called.
    pub fn not_started(&self, request: &UpdateRequest, reason: &str) {
        let entry = Entry {
            time: Utc::now(),
            action: uuid::Uuid::new_v4().to_string(),
            phase: Phase::Halted,
            batch: self.batch.clone(),
            actor: self.actor.clone(),
            operation: "UpdateProvisionedProduct".into(),
            targets: BTreeMap::from([
                (
                    "provisioned_product_id".to_string(),
                    request.provisioned_product_id.clone(),
                ),
                (
                    "provisioned_product_name".to_string(),
                    request.provisioned_product_name.clone(),
                ),
            ]),
            parameters: BTreeMap::new(),
            token: Some(request.token.clone()),
            record_id: None,
            outcome: Some(Outcome {
                ok: false,
                message: reason.to_string(),
            }),
        };
        if let Err(e) = self.journal.append(&entry) {
            tracing::error!(error = %e, "journal: halted line not written");
        }
    }

    /// `CreatePortfolioShare`. For an organization or OU, the token to
    /// follow with `DescribePortfolioShareStatus`.
    pub async fn share_portfolio(
        &self,
        portfolio_id: &str,
        target: &ShareTarget,
        share_tag_options: bool,
        share_principals: bool,
    ) -> Result<Option<String>, WriteError> {
        let (kind, node) = share_node(target);
        let call = Call {
            operation: "CreatePortfolioShare",
            targets: vec![
                ("portfolio_id", portfolio_id.to_string()),
                (kind, target.id().to_string()),
            ],
            parameters: BTreeMap::from([
                ("ShareTagOptions".into(), share_tag_options.to_string()),
                ("SharePrincipals".into(), share_principals.to_string()),
            ]),
            token: None,
            secrets: Vec::new(),
        };
        self.journaled_answering(
            call,
            || async {
                let mut request = self
                    .catalog
                    .create_portfolio_share()
                    .portfolio_id(portfolio_id)
                    .share_tag_options(share_tag_options)
                    .share_principals(share_principals);
                request = match node.clone() {
                    None => request.account_id(target.id()),
                    Some(node) => request.organization_node(node),
                };
                let out = request.send().await.map_err(|e| {
                    self.context
                        .map("servicecatalog", "CreatePortfolioShare", e)
                })?;
                Ok(out.portfolio_share_token().map(str::to_string))
            },
            |token: &Option<String>| match token {
                Some(t) => (
                    None,
                    format!("share started, token {t}"),
                    vec![(SHARE_TOKEN, t.clone())],
                ),
                None => (None, "shared".into(), Vec::new()),
            },
        )
        .await
    }

    /// `CreatePortfolio`: a local portfolio; `token` makes a repeat of the
    /// same request answer the same portfolio. Its id.
    pub async fn create_portfolio(
        &self,
        name: &str,
        provider: &str,
        description: Option<&str>,
        token: &str,
    ) -> Result<String, WriteError> {
        let mut parameters = BTreeMap::from([
            ("DisplayName".to_string(), name.to_string()),
            ("ProviderName".to_string(), provider.to_string()),
        ]);
        if let Some(d) = description {
            parameters.insert("Description".into(), d.to_string());
        }
        let call = Call {
            operation: "CreatePortfolio",
            targets: vec![("portfolio_name", name.to_string())],
            parameters,
            token: Some(token),
            secrets: Vec::new(),
        };
        self.journaled(
            call,
            || async {
                let out = self
                    .catalog
                    .create_portfolio()
                    .display_name(name)
                    .provider_name(provider)
                    .set_description(description.map(str::to_string))
                    .idempotency_token(token)
                    .send()
                    .await
                    .map_err(|e| self.context.map("servicecatalog", "CreatePortfolio", e))?;
                Ok(out
                    .portfolio_detail()
                    .and_then(|d| d.id())
                    .unwrap_or_default()
                    .to_string())
            },
            |id: &String| (None, format!("created {id}")),
        )
        .await
    }

    /// `DeletePortfolio`: a local portfolio with nothing in it.
    pub async fn delete_portfolio(&self, portfolio_id: &str) -> Result<(), WriteError> {
        let call = Call {
            operation: "DeletePortfolio",
            targets: vec![("portfolio_id", portfolio_id.to_string())],
            parameters: BTreeMap::new(),
            token: None,
            secrets: Vec::new(),
        };
        self.journaled(
            call,
            || async {
                self.catalog
                    .delete_portfolio()
                    .id(portfolio_id)
                    .send()
                    .await
                    .map_err(|e| self.context.map("servicecatalog", "DeletePortfolio", e))?;
                Ok(())
            },
            |_| (None, "deleted".into()),
        )
        .await
    }

    /// `DeletePortfolioShare`: stops sharing a portfolio with an account
    /// or an organization node; an organization node's removal runs on,
    /// and its token is returned to follow it.
    pub async fn unshare_portfolio(
        &self,
        portfolio_id: &str,
        target: &ShareTarget,
    ) -> Result<Option<String>, WriteError> {
        let (kind, node) = share_node(target);
        let call = Call {
            operation: "DeletePortfolioShare",
            targets: vec![
                ("portfolio_id", portfolio_id.to_string()),
                (kind, target.id().to_string()),
            ],
            parameters: BTreeMap::new(),
            token: None,
            secrets: Vec::new(),
        };
        self.journaled(
            call,
            || async {
                let mut request = self
                    .catalog
                    .delete_portfolio_share()
                    .portfolio_id(portfolio_id);
                request = match node.clone() {
                    None => request.account_id(target.id()),
                    Some(node) => request.organization_node(node),
                };
                let out = request.send().await.map_err(|e| {
                    self.context
                        .map("servicecatalog", "DeletePortfolioShare", e)
                })?;
                Ok(out.portfolio_share_token().map(str::to_string))
            },
            |token: &Option<String>| {
                (
                    None,
                    match token {
                        Some(t) => format!("unshare started, token {t}"),
                        None => "unshared".into(),
                    },
                )
            },
        )
        .await
    }

    /// `UpdateProvisioningArtifact`: a version's `Active` flag and
    /// `Guidance` (`DEPRECATED` or `DEFAULT`), as the product's owner sets
    /// them.
    pub async fn update_version(
        &self,
        product_id: &str,
        version_id: &str,
        active: Option<bool>,
        deprecated: Option<bool>,
    ) -> Result<(), WriteError> {
        use aws_sdk_servicecatalog::types::ProvisioningArtifactGuidance as Guidance;
        let guidance = deprecated.map(|d| {
            if d {
                Guidance::Deprecated
            } else {
                Guidance::Default
            }
        });
        let mut parameters = BTreeMap::new();
        if let Some(a) = active {
            parameters.insert("Active".to_string(), a.to_string());
        }
        if let Some(g) = &guidance {
            parameters.insert("Guidance".to_string(), g.as_str().to_string());
        }
        let call = Call {
            operation: "UpdateProvisioningArtifact",
            targets: vec![
                ("product_id", product_id.to_string()),
                ("version_id", version_id.to_string()),
            ],
            parameters,
            token: None,
            secrets: Vec::new(),
        };
        self.journaled(
            call,
            || async {
                self.catalog
                    .update_provisioning_artifact()
                    .product_id(product_id)
                    .provisioning_artifact_id(version_id)
                    .set_active(active)
                    .set_guidance(guidance.clone())
                    .send()
                    .await
                    .map_err(|e| {
                        self.context
                            .map("servicecatalog", "UpdateProvisioningArtifact", e)
                    })?;
                Ok(())
            },
            |_| (None, "updated".into()),
        )
        .await
    }

    /// `AcceptPortfolioShare` of the given type.
    pub async fn accept_share(
        &self,
        portfolio_id: &str,
        share_type: ShareType,
    ) -> Result<(), WriteError> {
        let sdk_type = match share_type {
            ShareType::Account => PortfolioShareType::Imported,
            ShareType::Organization => PortfolioShareType::AwsOrganizations,
        };
        let call = Call {
            operation: "AcceptPortfolioShare",
            targets: vec![("portfolio_id", portfolio_id.to_string())],
            parameters: BTreeMap::from([(
                "PortfolioShareType".into(),
                sdk_type.as_str().to_string(),
            )]),
            token: None,
            secrets: Vec::new(),
        };
        self.journaled(
            call,
            || async {
                self.catalog
                    .accept_portfolio_share()
                    .portfolio_id(portfolio_id)
                    .portfolio_share_type(sdk_type.clone())
                    .send()
                    .await
                    .map_err(|e| {
                        self.context
                            .map("servicecatalog", "AcceptPortfolioShare", e)
                    })?;
                Ok(())
            },
            |_| (None, "accepted".into()),
        )
        .await
    }

    /// `AssociateProductWithPortfolio`: adds a product (from an imported
    /// portfolio `source`, if given) to a local portfolio.
    pub async fn associate_product(
        &self,
        product_id: &str,
        portfolio_id: &str,
        source_portfolio_id: Option<&str>,
    ) -> Result<(), WriteError> {
        let mut targets = vec![
            ("product_id", product_id.to_string()),
            ("portfolio_id", portfolio_id.to_string()),
        ];
        if let Some(source) = source_portfolio_id {
            targets.push(("source_portfolio_id", source.to_string()));
        }
        let call = Call {
            operation: "AssociateProductWithPortfolio",
            targets,
            parameters: BTreeMap::new(),
            token: None,
            secrets: Vec::new(),
        };
        self.journaled(
            call,
            || async {
                self.catalog
                    .associate_product_with_portfolio()
                    .product_id(product_id)
                    .portfolio_id(portfolio_id)
                    .set_source_portfolio_id(source_portfolio_id.map(str::to_string))
                    .send()
                    .await
                    .map_err(|e| {
                        self.context
                            .map("servicecatalog", "AssociateProductWithPortfolio", e)
                    })?;
                Ok(())
            },
            |_| (None, "associated".into()),
        )
        .await
    }

    /// `CreateConstraint` of type LAUNCH; returns the constraint id.
    pub async fn create_launch_constraint(
        &self,
        portfolio_id: &str,
        product_id: &str,
        role: &LaunchRole,
        token: &str,
    ) -> Result<String, WriteError> {
        let parameters = match role {
            LaunchRole::RoleArn(arn) => serde_json::json!({ "RoleArn": arn }),
            LaunchRole::LocalRoleName(name) => serde_json::json!({ "LocalRoleName": name }),
        }
        .to_string();
        self.create_constraint(portfolio_id, product_id, "LAUNCH", &parameters, None, token)
            .await
    }

    /// `ProvisionProduct`; the record of the launch.
    pub async fn provision(&self, request: &LaunchRequest) -> Result<Record, WriteError> {
        let mut targets = vec![
            ("product_id", request.product_id.clone()),
            ("version_id", request.version_id.clone()),
            ("provisioned_product_name", request.name.clone()),
        ];
        if let Some(path) = &request.path_id {
            targets.push(("path_id", path.clone()));
        }
        let mut parameters = redacted(
            request
                .parameters
                .iter()
                .map(|(k, v)| (k.clone(), v.clone())),
            &request.secret_keys,
        );
        for (k, v) in &request.tags {
            parameters.insert(format!("tag:{k}"), v.clone());
        }
        let call = Call {
            operation: "ProvisionProduct",
            targets,
            parameters,
            token: Some(&request.token),
            secrets: request.secret_values(),
        };
        self.journaled(
            call,
            || async {
                let out = self
                    .catalog
                    .provision_product()
                    .product_id(&request.product_id)
                    .provisioning_artifact_id(&request.version_id)
                    .set_path_id(request.path_id.clone())
                    .provisioned_product_name(&request.name)
                    .set_provisioning_parameters(Some(
                        request
                            .parameters
                            .iter()
                            .map(|(k, v)| ProvisioningParameter::builder().key(k).value(v).build())
                            .collect(),
                    ))
                    .set_tags(Some(
                        request
                            .tags
                            .iter()
                            .map(|(k, v)| Tag::builder().key(k).value(v).build())
                            .collect::<Result<Vec<_>, _>>()
                            .map_err(|e| AwsError::Other {
                                operation: "ProvisionProduct".into(),
                                detail: e.to_string(),
                            })?,
                    ))
                    .provision_token(&request.token)
                    .customize()
                    .config_override(harmless_repeat_retries())
                    .send()
                    .await
                    .map_err(|e| self.context.map("servicecatalog", "ProvisionProduct", e))?;
                record_of(out.record_detail(), "ProvisionProduct")
            },
            record_summary,
        )
        .await
    }

    /// `UpdateProvisionedProduct`; the record of the update.
    pub async fn update(&self, request: &UpdateRequest) -> Result<Record, WriteError> {
        let call = update_call(request, "UpdateProvisionedProduct");
        self.journaled(
            call,
            || async {
                let out = self
                    .catalog
                    .update_provisioned_product()
                    .provisioned_product_id(&request.provisioned_product_id)
                    .product_id(&request.product_id)
                    .provisioning_artifact_id(&request.version_id)
                    .set_path_id(request.path_id.clone())
                    .set_provisioning_parameters(Some(update_parameters(request)))
                    .update_token(&request.token)
                    .customize()
                    .config_override(harmless_repeat_retries())
                    .send()
                    .await
                    .map_err(|e| {
                        self.context
                            .map("servicecatalog", "UpdateProvisionedProduct", e)
                    })?;
                record_of(out.record_detail(), "UpdateProvisionedProduct")
            },
            record_summary,
        )
        .await
    }
}

/// How every write client retries: [`WRITE_ATTEMPTS`], the reads' backoff.
fn retry_config() -> aws_config::retry::RetryConfig {
    aws_config::retry::RetryConfig::standard()
        .with_max_attempts(WRITE_ATTEMPTS)
        .with_max_backoff(crate::aws::session::READ_MAX_BACKOFF)
}

/// The journal's view of an update (or of a plan of one).
/// For a call whose repeat does no harm — one that carries an idempotency
/// token (AWS answers a repeat with what the first attempt did) or a
/// delete (a repeat finds it gone): an answer cut short or unreadable is
/// asked for again (the SDK already does so for a reset mid-answer).
/// Other calls are not repeated on such an answer.
pub(crate) fn harmless_repeat_retries() -> aws_sdk_servicecatalog::config::Builder {
    aws_sdk_servicecatalog::config::Builder::default()
        .retry_classifier(crate::aws::answers::RetryUnreadableAnswers)
}

fn update_call<'a>(request: &'a UpdateRequest, operation: &'static str) -> Call<'a> {
    let mut targets = vec![
        (
            "provisioned_product_id",
            request.provisioned_product_id.clone(),
        ),
        (
            "provisioned_product_name",
            request.provisioned_product_name.clone(),
        ),
        ("product_id", request.product_id.clone()),
        ("version_id", request.version_id.clone()),
    ];
    if let Some(path) = &request.path_id {
        targets.push(("path_id", path.clone()));
    }
    let parameters = redacted(
        request.parameters.iter().map(|(k, v)| {
            let shown = match v {
                ParamSetting::Value(v) => v.clone(),
                ParamSetting::Previous => "<previous value>".into(),
            };
            (k.clone(), shown)
        }),
        &request.secret_keys,
    );
    Call {
        operation,
        targets,
        parameters,
        token: Some(&request.token),
        secrets: request.secret_values(),
    }
}

/// The parameters of an update (or of a plan of one) as the SDK takes them.
fn update_parameters(request: &UpdateRequest) -> Vec<UpdateProvisioningParameter> {
    request
        .parameters
        .iter()
        .map(|(k, v)| match v {
            ParamSetting::Value(v) => UpdateProvisioningParameter::builder()
                .key(k)
                .value(v)
                .build(),
            ParamSetting::Previous => UpdateProvisioningParameter::builder()
                .key(k)
                .use_previous_value(true)
                .build(),
        })
        .collect()
}

/// `text` with every secret value in it replaced by [`REDACTED`].
fn without_secrets(mut text: String, secrets: &[&str]) -> String {
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        text = text.replace(secret, REDACTED);
    }
    text
}

/// Parameters for the journal, secret values replaced.
fn redacted(
    parameters: impl Iterator<Item = (String, String)>,
    secret_keys: &[String],
) -> BTreeMap<String, String> {
    parameters
        .map(|(k, v)| {
            let v = if secret_keys.contains(&k) {
                REDACTED.to_string()
            } else {
                v
            };
            (k, v)
        })
        .collect()
}

fn record_of(
    detail: Option<&aws_sdk_servicecatalog::types::RecordDetail>,
    operation: &str,
) -> Result<Record, AwsError> {
    detail
        .map(|d| provisioned_record(d, ""))
        .ok_or_else(|| AwsError::Other {
            operation: operation.into(),
            detail: "the answer has no RecordDetail".into(),
        })
}

fn record_summary(record: &Record) -> (Option<String>, String) {
    (
        Some(record.id.clone()),
        format!(
            "record {} {}{}",
            record.id,
            record.status,
            record
                .provisioned_product_id
                .as_ref()
                .map(|id| format!(" for {id}"))
                .unwrap_or_default()
        ),
    )
}

/// How a share target is journaled (`account`, `organizational_unit`,
/// `organization`) and the organization node a request names (none for an
/// account, which is `AccountId`).
fn share_node(target: &ShareTarget) -> (&'static str, Option<OrganizationNode>) {
    let node = |t: OrganizationNodeType| {
        Some(
            OrganizationNode::builder()
                .r#type(t)
                .value(target.id())
                .build(),
        )
    };
    match target {
        ShareTarget::Account(_) => ("account", None),
        ShareTarget::OrganizationalUnit(_) => (
            "organizational_unit",
            node(OrganizationNodeType::OrganizationalUnit),
        ),
        ShareTarget::Organization(_) => ("organization", node(OrganizationNodeType::Organization)),
    }
}

/// The API operation a record's type stands for (`UPDATE_PROVISIONED_PRODUCT`
/// → `UpdateProvisionedProduct`), as the journal spells every operation.
pub fn operation_of_record(record_type: &str) -> String {
    match record_type {
        "PROVISION_PRODUCT" => "ProvisionProduct".into(),
        "UPDATE_PROVISIONED_PRODUCT" => "UpdateProvisionedProduct".into(),
        "TERMINATE_PROVISIONED_PRODUCT" => "TerminateProvisionedProduct".into(),
        // A type spoke does not know: as AWS wrote it, camel-cased.
        other => other
            .split('_')
            .map(|w| {
                let mut c = w.chars();
                match c.next() {
                    Some(f) => {
                        f.to_ascii_uppercase().to_string() + &c.as_str().to_ascii_lowercase()
                    }
                    None => String::new(),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_record_type_is_journaled_as_its_operation() {
        assert_eq!(
            super::operation_of_record("UPDATE_PROVISIONED_PRODUCT"),
            "UpdateProvisionedProduct"
        );
        assert_eq!(
            super::operation_of_record("PROVISION_PRODUCT"),
            "ProvisionProduct"
        );
        assert_eq!(
            super::operation_of_record("EXECUTE_SERVICE_ACTION"),
            "ExecuteServiceAction"
        );
    }

    use super::*;

    #[test]
    fn secrets_are_redacted_for_the_journal() {
        let out = redacted(
            [
                ("DbPassword".to_string(), "hunter2".to_string()),
                ("Env".to_string(), "dev".to_string()),
            ]
            .into_iter(),
            &["DbPassword".to_string()],
        );
        assert_eq!(out["DbPassword"], REDACTED);
        assert_eq!(out["Env"], "dev");
        assert_eq!(
            without_secrets("Value 'hunter2' failed".into(), &["hunter2", ""]),
            format!("Value '{REDACTED}' failed")
        );
    }
}
