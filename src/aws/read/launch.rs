//! What launching and updating need to read: launch paths, provisioning
//! parameters, one provisioned product, its stack's state and parameters,
//! a record with its outputs, an organization share's progress.

use aws_sdk_servicecatalog::types::{AccessLevelFilterKey, ProvisioningArtifactParameter};

use super::{Reader, all_pages, optional, text};
use crate::aws::error::AwsError;
use crate::model::{
    LaunchPath, Output, Parameter, ProvisionedProduct, ProvisioningParameters, TagOption,
};

/// `ListLaunchPaths` pages at most 20.
const PATHS_PAGE: i32 = 20;
/// `DescribeRecord` outputs page at most 20.
const OUTPUTS_PAGE: i32 = 20;

/// Where an organization share stands (`DescribePortfolioShareStatus`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareProgress {
    /// NOT_STARTED, IN_PROGRESS, COMPLETED, COMPLETED_WITH_ERRORS, ERROR.
    pub status: String,
    pub succeeded: Vec<String>,
    /// One line per error: the accounts it concerns and AWS's message.
    pub errors: Vec<String>,
}

impl ShareProgress {
    pub fn is_final(&self) -> bool {
        matches!(
            self.status.as_str(),
            "COMPLETED" | "COMPLETED_WITH_ERRORS" | "ERROR"
        )
    }
}

/// The state of the stack behind a provisioned product (`DescribeStacks`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackState {
    pub status: String,
    /// Parameter key → value as CloudFormation shows it (NoEcho as `****`).
    pub parameters: Vec<(String, String)>,
}

impl StackState {
    /// A change is running on the stack (`*_IN_PROGRESS`): another
    /// update would be refused.
    pub fn is_busy(&self) -> bool {
        self.status.ends_with("_IN_PROGRESS")
    }
}

impl Reader {
    /// The launch paths of a product (`ListLaunchPaths`).
    pub async fn launch_paths(&self, product_id: &str) -> Result<Vec<LaunchPath>, AwsError> {
        all_pages("ListLaunchPaths", |token| async move {
            let out = self
                .catalog()
                .list_launch_paths()
                .product_id(product_id)
                .page_size(PATHS_PAGE)
                .set_page_token(token)
                .send()
                .await
                .map_err(|e| {
                    self.session
                        .context
                        .map("servicecatalog", "ListLaunchPaths", e)
                })?;
            let page = out
                .launch_path_summaries()
                .iter()
                .filter_map(|s| {
                    Some(LaunchPath {
                        id: optional(s.id())?,
                        name: text(s.name()),
                        constraints: s
                            .constraint_summaries()
                            .iter()
                            .filter_map(|c| optional(c.r#type()))
                            .collect(),
                    })
                })
                .collect();
            Ok((page, out.next_page_token().map(str::to_string)))
        })
        .await
    }

    /// The parameters, TagOptions and constraints of launching `version_id`
    /// of `product_id` through `path_id` (`DescribeProvisioningParameters`).
    pub async fn provisioning_parameters(
        &self,
        product_id: &str,
        version_id: &str,
        path_id: Option<&str>,
    ) -> Result<ProvisioningParameters, AwsError> {
        let out = self
            .catalog()
            .describe_provisioning_parameters()
            .product_id(product_id)
            .provisioning_artifact_id(version_id)
            .set_path_id(path_id.map(str::to_string))
            .send()
            .await
            .map_err(|e| {
                self.session
                    .context
                    .map("servicecatalog", "DescribeProvisioningParameters", e)
            })?;
        Ok(ProvisioningParameters {
            parameters: out
                .provisioning_artifact_parameters()
                .iter()
                .filter_map(parameter)
                .collect(),
            tag_options: out
                .tag_options()
                .iter()
                .filter_map(|t| {
                    Some(TagOption {
                        key: optional(t.key())?,
                        values: t.values().to_vec(),
                    })
                })
                .collect(),
            constraints: out
                .constraint_summaries()
                .iter()
                .map(|c| match optional(c.description()) {
                    Some(d) => format!("{}: {d}", text(c.r#type())),
                    None => text(c.r#type()),
                })
                .collect(),
        })
    }

    /// One provisioned product by id, as `SearchProvisionedProducts` shows
    /// it (with its stack ARN, which `DescribeProvisionedProduct` lacks).
    pub async fn provisioned_by_id(
        &self,
        id: &str,
    ) -> Result<Option<ProvisionedProduct>, AwsError> {
        let found = self.search_one(&format!("id:{id}")).await?;
        Ok(found.into_iter().find(|p| p.id == id))
    }

    /// One provisioned product by its exact name.
    pub async fn provisioned_by_name(
        &self,
        name: &str,
    ) -> Result<Option<ProvisionedProduct>, AwsError> {
        // `name:` may match more than the exact name: keep the exact one.
        let found = self.search_one(&format!("name:{name}")).await?;
        Ok(found.into_iter().find(|p| p.name == name))
    }

    async fn search_one(&self, query: &str) -> Result<Vec<ProvisionedProduct>, AwsError> {
        let me = self.account().await?;
        self.search_provisioned(AccessLevelFilterKey::Account, &me, Some(query))
            .await
    }

    /// The status and parameters of a stack (`DescribeStacks` by its ARN).
    pub async fn stack_state(&self, stack: &str) -> Result<Option<StackState>, AwsError> {
        let out = match self
            .cloudformation()
            .describe_stacks()
            .stack_name(stack)
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) => {
                let error = self
                    .session
                    .context
                    .map("cloudformation", "DescribeStacks", e);
                // "Stack with id X does not exist" is a ValidationError.
                if let AwsError::Service { code, message, .. } = &error
                    && code == "ValidationError"
                    && message.contains("does not exist")
                {
                    return Ok(None);
                }
                return Err(error);
            }
        };
        Ok(out.stacks().first().map(|s| StackState {
            status: s
                .stack_status()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            parameters: s
                .parameters()
                .iter()
                .filter_map(|p| Some((optional(p.parameter_key())?, text(p.parameter_value()))))
                .collect(),
        }))
    }

    /// A record and, once it succeeded, its outputs (`DescribeRecord`, all pages).
    pub async fn record_with_outputs(
        &self,
        record_id: &str,
    ) -> Result<crate::model::Record, AwsError> {
        let mut record: Option<crate::model::Record> = None;
        let mut token: Option<String> = None;
        for _ in 0..super::MAX_PAGES {
            let out = self
                .catalog()
                .describe_record()
                .id(record_id)
                .page_size(OUTPUTS_PAGE)
                .set_page_token(token.take())
                .send()
                .await
                .map_err(|e| {
                    self.session
                        .context
                        .map("servicecatalog", "DescribeRecord", e)
                })?;
            let record = match &mut record {
                Some(r) => r,
                None => {
                    let detail = out.record_detail().ok_or_else(|| AwsError::Other {
                        operation: "DescribeRecord".into(),
                        detail: format!("no detail for record {record_id}"),
                    })?;
                    record.insert(super::provisioned::record(detail, record_id))
                }
            };
            record
                .outputs
                .extend(out.record_outputs().iter().filter_map(|o| {
                    Some(Output {
                        key: optional(o.output_key())?,
                        value: text(o.output_value()),
                        description: optional(o.description()),
                    })
                }));
            match out.next_page_token().filter(|t| !t.is_empty()) {
                Some(next) => token = Some(next.to_string()),
                None => break,
            }
        }
        record.ok_or_else(|| AwsError::Other {
            operation: "DescribeRecord".into(),
            detail: format!("no answer for record {record_id}"),
        })
    }

    /// The progress of an organization share (`DescribePortfolioShareStatus`).
    pub async fn share_progress(&self, token: &str) -> Result<ShareProgress, AwsError> {
        let out = self
            .catalog()
            .describe_portfolio_share_status()
            .portfolio_share_token(token)
            .send()
            .await
            .map_err(|e| {
                self.session
                    .context
                    .map("servicecatalog", "DescribePortfolioShareStatus", e)
            })?;
        let details = out.share_details();
        Ok(ShareProgress {
            status: out
                .status()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            succeeded: details
                .map(|d| d.successful_shares().to_vec())
                .unwrap_or_default(),
            errors: details
                .map(|d| d.share_errors())
                .unwrap_or_default()
                .iter()
                .map(|e| {
                    let accounts = e.accounts().join(", ");
                    let what = text(e.message().or(e.error()));
                    if accounts.is_empty() {
                        what
                    } else {
                        format!("{accounts}: {what}")
                    }
                })
                .collect(),
        })
    }
}

/// Maps a `ProvisioningArtifactParameter`; `None` without a key.
fn parameter(p: &ProvisioningArtifactParameter) -> Option<Parameter> {
    let c = p.parameter_constraints();
    let number = |s: Option<&str>| s.and_then(|s| s.parse::<usize>().ok());
    Some(Parameter {
        key: optional(p.parameter_key())?,
        default: p.default_value().map(str::to_string),
        kind: p.parameter_type().unwrap_or("String").to_string(),
        description: optional(p.description()),
        no_echo: p.is_no_echo(),
        allowed: c.map(|c| c.allowed_values().to_vec()).unwrap_or_default(),
        pattern: c.and_then(|c| optional(c.allowed_pattern())),
        constraint_description: c.and_then(|c| optional(c.constraint_description())),
        min_length: number(c.and_then(|c| c.min_length())),
        max_length: number(c.and_then(|c| c.max_length())),
    })
}
