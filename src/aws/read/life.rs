//! One provisioned product's life: its record history, its stack's
//! resources and its outputs.

use aws_sdk_servicecatalog::types::{
    AccessLevelFilter, AccessLevelFilterKey, ListRecordHistorySearchFilter,
};

use super::provisioned::{output, record};
use super::{Reader, all_pages, optional, text, time};
use crate::aws::error::AwsError;
use crate::model::{Output, Record, StackResource};

/// `ListRecordHistory` and `GetProvisionedProductOutputs` page at most 20.
const PAGE: i32 = 20;

impl Reader {
    /// Every record of provisioned product `pp_id` (`ListRecordHistory`
    /// filtered by it, account level, all pages), newest first.
    pub async fn record_history(&self, pp_id: &str) -> Result<Vec<Record>, AwsError> {
        let filter = ListRecordHistorySearchFilter::builder()
            .key("provisionedproduct")
            .value(pp_id)
            .build();
        let access = AccessLevelFilter::builder()
            .key(AccessLevelFilterKey::Account)
            .value("self")
            .build();
        let (filter, access) = (&filter, &access);
        let mut records = all_pages("ListRecordHistory", |token| async move {
            let out = self
                .catalog()
                .list_record_history()
                .search_filter(filter.clone())
                .access_level_filter(access.clone())
                .page_size(PAGE)
                .set_page_token(token)
                .send()
                .await
                .map_err(|e| {
                    self.session
                        .context
                        .map("servicecatalog", "ListRecordHistory", e)
                })?;
            let page: Vec<Record> = out
                .record_details()
                .iter()
                .map(|d| record(d, ""))
                .filter(|r| !r.id.is_empty())
                .collect();
            Ok((page, out.next_page_token().map(str::to_string)))
        })
        .await?;
        let mut seen = std::collections::HashSet::new();
        records.retain(|r| seen.insert(r.id.clone()));
        records.sort_by_key(|r| std::cmp::Reverse(r.created));
        Ok(records)
    }

    /// The resources of stack `stack` (its id: `DescribeStackResources`,
    /// which answers every resource at once), in the order CloudFormation
    /// gives them.
    pub async fn stack_resources(&self, stack: &str) -> Result<Vec<StackResource>, AwsError> {
        let out = self
            .cloudformation()
            .describe_stack_resources()
            .stack_name(stack)
            .send()
            .await
            .map_err(|e| {
                self.session
                    .context
                    .map("cloudformation", "DescribeStackResources", e)
            })?;
        Ok(out
            .stack_resources()
            .iter()
            .map(|r| StackResource {
                logical_id: text(r.logical_resource_id()),
                physical_id: text(r.physical_resource_id()),
                resource_type: text(r.resource_type()),
                status: r
                    .resource_status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                status_reason: optional(r.resource_status_reason()),
                updated: time(r.timestamp()),
            })
            .collect())
    }

    /// The outputs of provisioned product `pp_id`
    /// (`GetProvisionedProductOutputs`, all pages).
    pub async fn provisioned_outputs(&self, pp_id: &str) -> Result<Vec<Output>, AwsError> {
        all_pages("GetProvisionedProductOutputs", |token| async move {
            let out = self
                .catalog()
                .get_provisioned_product_outputs()
                .provisioned_product_id(pp_id)
                .page_size(PAGE)
                .set_page_token(token)
                .send()
                .await
                .map_err(|e| {
                    self.session
                        .context
                        .map("servicecatalog", "GetProvisionedProductOutputs", e)
                })?;
            let page: Vec<Output> = out.outputs().iter().filter_map(output).collect();
            Ok((page, out.next_page_token().map(str::to_string)))
        })
        .await
    }
}
