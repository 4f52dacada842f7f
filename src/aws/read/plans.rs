//! A provisioned product plan's status and resource changes.

use std::sync::Mutex;

use super::{Reader, all_pages, text};
use crate::aws::error::AwsError;
use crate::model::{PlanChange, PlanState, PlanSummary};

/// DescribeProvisionedProductPlan takes up to 20 resource changes per page.
const PAGE: i32 = 20;

impl Reader {
    /// `DescribeProvisionedProductPlan`: its status and every resource change.
    pub async fn plan_state(&self, plan_id: &str) -> Result<PlanState, AwsError> {
        let head: Mutex<(String, Option<String>, String)> = Mutex::default();
        let changes = all_pages("DescribeProvisionedProductPlan", |token| {
            let head = &head;
            async move {
                let out = self
                    .catalog()
                    .describe_provisioned_product_plan()
                    .plan_id(plan_id)
                    .page_size(PAGE)
                    .set_page_token(token)
                    .send()
                    .await
                    .map_err(|e| {
                        self.session.context.map(
                            "servicecatalog",
                            "DescribeProvisionedProductPlan",
                            e,
                        )
                    })?;
                if let Some(d) = out.provisioned_product_plan_details() {
                    *head.lock().unwrap_or_else(|p| p.into_inner()) = (
                        d.status()
                            .map(|s| s.as_str().to_string())
                            .unwrap_or_default(),
                        d.status_message().map(str::to_string),
                        text(d.plan_name()),
                    );
                }
                let page = out
                    .resource_changes()
                    .iter()
                    .map(|c| PlanChange {
                        action: c
                            .action()
                            .map(|a| a.as_str().to_string())
                            .unwrap_or_default(),
                        logical_id: text(c.logical_resource_id()),
                        resource_type: text(c.resource_type()),
                        replacement: c.replacement().map(|r| r.as_str().to_string()),
                    })
                    .collect();
                Ok((page, out.next_page_token().map(str::to_string)))
            }
        })
        .await?;
        let (status, message, name) = head.into_inner().unwrap_or_else(|p| p.into_inner());
        Ok(PlanState {
            name,
            status,
            message,
            changes,
        })
    }

    /// `ListProvisionedProductPlans` of one provisioned product, every
    /// plan of the account (`AccessLevelFilter` Account), every page.
    pub async fn list_plans(&self, provisioned_id: &str) -> Result<Vec<PlanSummary>, AwsError> {
        let me = self.account().await?;
        let level = aws_sdk_servicecatalog::types::AccessLevelFilter::builder()
            .key(aws_sdk_servicecatalog::types::AccessLevelFilterKey::Account)
            .value(me)
            .build();
        all_pages("ListProvisionedProductPlans", |token| {
            let level = level.clone();
            async move {
                let out = self
                    .catalog()
                    .list_provisioned_product_plans()
                    .provision_product_id(provisioned_id)
                    .access_level_filter(level)
                    .page_size(PAGE)
                    .set_page_token(token)
                    .send()
                    .await
                    .map_err(|e| {
                        self.session
                            .context
                            .map("servicecatalog", "ListProvisionedProductPlans", e)
                    })?;
                let page = out
                    .provisioned_product_plans()
                    .iter()
                    .map(|p| PlanSummary {
                        id: text(p.plan_id()),
                        name: text(p.plan_name()),
                        provisioned_id: text(p.provision_product_id()),
                    })
                    .collect();
                Ok((page, out.next_page_token().map(str::to_string)))
            }
        })
        .await
    }
}
