//! What a launch or an update form needs to read: a product's launch paths
//! and the parameters, TagOptions and constraints of launching a version.

use aws_sdk_servicecatalog::types::ProvisioningArtifactParameter;

use super::{Reader, all_pages, optional, text};
use crate::aws::error::AwsError;
use crate::model::{LaunchPath, Parameter, ProvisioningParameters, TagOption};

/// `ListLaunchPaths` pages at most 20.
const PATHS_PAGE: i32 = 20;

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
