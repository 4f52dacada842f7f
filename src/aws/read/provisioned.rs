//! Provisioned products (all of them, or one by id or name) and their
//! records (the history, or one with its outputs).

use aws_sdk_servicecatalog::types::{
    AccessLevelFilter, AccessLevelFilterKey, ProvisionedProductAttribute, SortOrder,
};

use super::{Reader, all_pages, optional, text, time};
use crate::aws::error::AwsError;
use crate::model::{Output, PpStatus, ProvisionedProduct, Record, account_of_arn};

/// SearchProvisionedProducts takes up to 100 per page.
pub(super) const PAGE: i32 = 100;

/// `DescribeRecord` outputs page at most 20.
const OUTPUTS_PAGE: i32 = 20;

impl Reader {
    /// Every provisioned product of the account (`SearchProvisionedProducts`
    /// with access level `Account`, sorted by name, all pages, each once).
    /// Where `Account` is denied (an end user), falls back to the caller's
    /// own (`User`).
    pub async fn list_provisioned(&self) -> Result<Vec<ProvisionedProduct>, AwsError> {
        Ok(self.list_provisioned_noting().await?.0)
    }

    /// [`Reader::list_provisioned`], with why the list is only the caller's
    /// own when Account-level access was denied.
    pub async fn list_provisioned_noting(
        &self,
    ) -> Result<(Vec<ProvisionedProduct>, Option<AwsError>), AwsError> {
        let me = self.account().await?;
        match self
            .search_provisioned(AccessLevelFilterKey::Account, &me, None)
            .await
        {
            Err(denied @ AwsError::AccessDenied { .. }) => {
                tracing::info!(
                    profile = self.session.context.profile,
                    "account-level search denied; listing the caller's own provisioned products"
                );
                let own = self
                    .search_provisioned(AccessLevelFilterKey::User, &me, None)
                    .await?;
                Ok((own, Some(denied)))
            }
            other => Ok((other?, None)),
        }
    }

    /// `SearchProvisionedProducts` at `level`, all pages; with `query`, only
    /// what its `SearchQuery` filter (`id:…`, `name:…`) matches.
    pub(super) async fn search_provisioned(
        &self,
        level: AccessLevelFilterKey,
        me: &str,
        query: Option<&str>,
    ) -> Result<Vec<ProvisionedProduct>, AwsError> {
        let filters = query.map(|q| {
            std::collections::HashMap::from([(
                aws_sdk_servicecatalog::types::ProvisionedProductViewFilterBy::SearchQuery,
                vec![q.to_string()],
            )])
        });
        let filters = &filters;
        let filter = AccessLevelFilter::builder()
            .key(level)
            .value("self")
            .build();
        let filter = &filter;
        let all = all_pages("SearchProvisionedProducts", |token| async move {
            let out = self
                .catalog()
                .search_provisioned_products()
                .access_level_filter(filter.clone())
                .set_filters(filters.clone())
                .sort_by("name")
                .sort_order(SortOrder::Ascending)
                .page_size(PAGE)
                .set_page_token(token)
                .send()
                .await
                .map_err(|e| {
                    self.session
                        .context
                        .map("servicecatalog", "SearchProvisionedProducts", e)
                })?;
            let page: Vec<ProvisionedProduct> = out
                .provisioned_products()
                .iter()
                .filter_map(|a| provisioned(a, me))
                .collect();
            Ok((page, out.next_page_token().map(str::to_string)))
        })
        .await?;
        Ok(dedup_by_id(all))
    }

    /// A record (`DescribeRecord`): what a request did, when, and why it failed.
    pub async fn record(&self, record_id: &str) -> Result<Record, AwsError> {
        let out = self
            .catalog()
            .describe_record()
            .id(record_id)
            .send()
            .await
            .map_err(|e| {
                self.session
                    .context
                    .map("servicecatalog", "DescribeRecord", e)
            })?;
        match out.record_detail() {
            Some(detail) => Ok(record(detail, record_id)),
            None => Err(AwsError::Other {
                operation: "DescribeRecord".into(),
                detail: format!("no detail for record {record_id}"),
            }),
        }
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
                .extend(out.record_outputs().iter().filter_map(output));
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
}

/// Maps a `RecordOutput` (of a record or of a provisioned product); `None` without a key.
pub(super) fn output(o: &aws_sdk_servicecatalog::types::RecordOutput) -> Option<Output> {
    Some(Output {
        key: optional(o.output_key())?,
        value: text(o.output_value()),
        description: optional(o.description()),
    })
}

/// Maps a `RecordDetail` (outputs come separately).
pub(crate) fn record(
    detail: &aws_sdk_servicecatalog::types::RecordDetail,
    record_id: &str,
) -> Record {
    Record {
        id: optional(detail.record_id()).unwrap_or_else(|| record_id.to_string()),
        record_type: text(detail.record_type()),
        status: detail
            .status()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        created: time(detail.created_time()),
        updated: time(detail.updated_time()),
        version_id: optional(detail.provisioning_artifact_id()),
        errors: detail
            .record_errors()
            .iter()
            .map(|e| match (e.code(), e.description()) {
                (Some(c), Some(d)) => format!("{c}: {d}"),
                (c, d) => text(d.or(c)),
            })
            .collect(),
        provisioned_product_id: optional(detail.provisioned_product_id()),
        path_id: optional(detail.path_id()),
        outputs: Vec::new(),
    }
}

/// Keeps the first of each id: pages of a list that changes while it is
/// read may repeat an item.
fn dedup_by_id(all: Vec<ProvisionedProduct>) -> Vec<ProvisionedProduct> {
    let mut seen = std::collections::HashSet::new();
    all.into_iter()
        .filter(|p| seen.insert(p.id.clone()))
        .collect()
}

/// Maps a `ProvisionedProductAttribute`; `None` without an id. The account
/// comes from its ARN, else it is the caller's (`me`).
pub(super) fn provisioned(a: &ProvisionedProductAttribute, me: &str) -> Option<ProvisionedProduct> {
    let arn = text(a.arn());
    Some(ProvisionedProduct {
        id: optional(a.id())?,
        name: text(a.name()),
        account: account_of_arn(&arn).unwrap_or(me).to_string(),
        arn,
        product_id: text(a.product_id()),
        product_name: optional(a.product_name()),
        version_id: text(a.provisioning_artifact_id()),
        version_name: optional(a.provisioning_artifact_name()),
        status: a
            .status()
            .map(|s| PpStatus::from(s.as_str()))
            .unwrap_or_else(|| PpStatus::Other(String::new())),
        status_message: optional(a.status_message()),
        created: time(a.created_time()),
        last_record_id: optional(a.last_record_id()),
        last_provisioning_record_id: optional(a.last_provisioning_record_id()),
        last_successful_record_id: optional(a.last_successful_provisioning_record_id()),
        stack_arn: optional(a.physical_id()),
        owner: optional(a.user_arn()),
        kind: text(a.r#type()),
        tags: a
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_servicecatalog::types::ProvisionedProductStatus;

    fn attribute(id: &str) -> ProvisionedProductAttribute {
        ProvisionedProductAttribute::builder()
            .id(id)
            .name("dev-vpc")
            .arn(format!(
                "arn:aws:servicecatalog:us-east-1:222233334444:stack/dev-vpc/{id}"
            ))
            .status(ProvisionedProductStatus::Tainted)
            .product_id("prod-1")
            .provisioning_artifact_id("pa-1")
            .last_record_id("rec-2")
            .last_provisioning_record_id("rec-2")
            .last_successful_provisioning_record_id("rec-1")
            .physical_id(
                "arn:aws:cloudformation:us-east-1:222233334444:stack/SC-222233334444-pp-1/x",
            )
            .user_arn("arn:aws:sts::222233334444:assumed-role/Admin/alice")
            .build()
    }

    #[test]
    fn maps_the_attributes_drift_needs() {
        let p = provisioned(&attribute("pp-1"), "999999999999").unwrap();
        assert_eq!(p.account, "222233334444");
        assert_eq!(p.status, PpStatus::Tainted);
        assert_eq!(p.version_id, "pa-1");
        assert_eq!(p.last_provisioning_record_id.as_deref(), Some("rec-2"));
        assert_eq!(p.last_successful_record_id.as_deref(), Some("rec-1"));
        assert!(p.stack_arn.unwrap().contains(":stack/SC-"));
        assert!(provisioned(&ProvisionedProductAttribute::builder().build(), "1").is_none());
    }

    #[test]
    fn repeats_are_dropped() {
        let a = provisioned(&attribute("pp-1"), "1").unwrap();
        let b = provisioned(&attribute("pp-2"), "1").unwrap();
        let kept = dedup_by_id(vec![a.clone(), b.clone(), a.clone()]);
        assert_eq!(kept, vec![a, b]);
    }
}
