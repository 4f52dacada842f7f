//! Products (as an administrator sees them) and their versions.

use aws_sdk_servicecatalog::types::{
    ProductViewDetail, ProductViewSortBy, ProvisioningArtifactDetail, ProvisioningArtifactGuidance,
    SortOrder,
};

use super::{Reader, all_pages, optional, text, time};
use crate::aws::error::AwsError;
use crate::model::{Product, ProductOrigin, Version, account_of_arn};

/// SearchProductsAsAdmin takes up to 20 per page.
const PAGE: i32 = 20;
/// SearchProducts takes up to 100.
const END_USER_PAGE: i32 = 100;

impl Reader {
    /// Every product this account administers or imported:
    /// `SearchProductsAsAdmin` without a portfolio. `portfolio_ids` and
    /// `versions` are left empty (see [`Reader::list_products_in`] and
    /// [`Reader::list_versions`]).
    pub async fn list_products(&self) -> Result<Vec<Product>, AwsError> {
        self.list_products_paged(&|_| {}).await
    }

    /// [`Reader::list_products`], handing each page to `on_page` as it
    /// arrives (so that what each product needs next can start before the
    /// last page is in).
    pub async fn list_products_paged(
        &self,
        on_page: &(dyn Fn(&[Product]) + Sync),
    ) -> Result<Vec<Product>, AwsError> {
        let me = self.account().await?;
        self.search_products(None, &me, on_page).await
    }

    /// The products a portfolio (local or imported) holds:
    /// `SearchProductsAsAdmin` with its id. Fields as in [`Reader::list_products`].
    pub async fn list_products_in(&self, portfolio_id: &str) -> Result<Vec<Product>, AwsError> {
        let me = self.account().await?;
        self.search_products(Some(portfolio_id), &me, &|_| {}).await
    }

    async fn search_products(
        &self,
        portfolio_id: Option<&str>,
        me: &str,
        on_page: &(dyn Fn(&[Product]) + Sync),
    ) -> Result<Vec<Product>, AwsError> {
        all_pages("SearchProductsAsAdmin", |token| async move {
            let out = self
                .catalog()
                .search_products_as_admin()
                .set_portfolio_id(portfolio_id.map(str::to_string))
                .sort_by(ProductViewSortBy::Title)
                .sort_order(SortOrder::Ascending)
                .page_size(PAGE)
                .set_page_token(token)
                .send()
                .await
                .map_err(|e| {
                    self.session
                        .context
                        .map("servicecatalog", "SearchProductsAsAdmin", e)
                })?;
            let page: Vec<Product> = out
                .product_view_details()
                .iter()
                .filter_map(|d| product(d, me))
                .collect();
            on_page(&page);
            Ok((page, out.next_page_token().map(str::to_string)))
        })
        .await
    }

    /// The versions of a product, as listed (`ListProvisioningArtifacts`:
    /// one call, the API does not page).
    pub async fn list_versions(&self, product_id: &str) -> Result<Vec<Version>, AwsError> {
        let out = self
            .catalog()
            .list_provisioning_artifacts()
            .product_id(product_id)
            .send()
            .await
            .map_err(|e| {
                self.session
                    .context
                    .map("servicecatalog", "ListProvisioningArtifacts", e)
            })?;
        Ok(out
            .provisioning_artifact_details()
            .iter()
            .filter_map(version)
            .collect())
    }
}

/// Maps a `ProductViewDetail` seen from account `me`; `None` without a product id.
fn product(detail: &ProductViewDetail, me: &str) -> Option<Product> {
    let summary = detail.product_view_summary()?;
    let id = optional(summary.product_id())?;
    let arn = text(detail.product_arn());
    let origin = match account_of_arn(&arn) {
        Some(owner) if owner != me => ProductOrigin::Imported {
            owner_account: owner.to_string(),
        },
        _ => ProductOrigin::Local,
    };
    Some(Product {
        id,
        arn,
        name: text(summary.name()),
        owner: text(summary.owner()),
        product_type: summary
            .r#type()
            .map(|t| t.as_str().to_string())
            .unwrap_or_default(),
        description: optional(summary.short_description()),
        distributor: optional(summary.distributor()),
        created: time(detail.created_time()),
        origin,
        portfolio_ids: Vec::new(),
        versions: Vec::new(),
        tag_options: None,
    })
}

/// Maps a `ProvisioningArtifactDetail`; `None` without an id. A version
/// that does not say whether it is active is taken as active (AWS's default).
fn version(detail: &ProvisioningArtifactDetail) -> Option<Version> {
    Some(Version {
        id: optional(detail.id())?,
        name: text(detail.name()),
        description: optional(detail.description()),
        created: time(detail.created_time()),
        active: detail.active().unwrap_or(true),
        deprecated: detail.guidance() == Some(&ProvisioningArtifactGuidance::Deprecated),
    })
}

impl Reader {
    /// The products as an end user sees them (`SearchProducts`), for a
    /// caller denied SearchProductsAsAdmin: no ARN (so no origin), no
    /// portfolios; versions come from [`Reader::versions_as_end_user`].
    pub async fn list_products_as_end_user(&self) -> Result<Vec<Product>, AwsError> {
        all_pages("SearchProducts", |token| async move {
            let out = self
                .catalog()
                .search_products()
                .sort_by(ProductViewSortBy::Title)
                .sort_order(SortOrder::Ascending)
                .page_size(END_USER_PAGE)
                .set_page_token(token)
                .send()
                .await
                .map_err(|e| {
                    self.session
                        .context
                        .map("servicecatalog", "SearchProducts", e)
                })?;
            let page = out
                .product_view_summaries()
                .iter()
                .filter_map(|s| {
                    Some(Product {
                        id: optional(s.product_id())?,
                        arn: String::new(),
                        name: text(s.name()),
                        owner: text(s.owner()),
                        product_type: s
                            .r#type()
                            .map(|t| t.as_str().to_string())
                            .unwrap_or_default(),
                        description: optional(s.short_description()),
                        distributor: optional(s.distributor()),
                        created: None,
                        origin: ProductOrigin::Unknown,
                        portfolio_ids: Vec::new(),
                        versions: Vec::new(),
                        tag_options: None,
                    })
                })
                .collect();
            Ok((page, out.next_page_token().map(str::to_string)))
        })
        .await
    }

    /// The versions an end user may launch (`DescribeProduct`: active ones
    /// only, with their guidance), for a caller denied ListProvisioningArtifacts.
    pub async fn versions_as_end_user(&self, product_id: &str) -> Result<Vec<Version>, AwsError> {
        let out = self
            .catalog()
            .describe_product()
            .id(product_id)
            .send()
            .await
            .map_err(|e| {
                self.session
                    .context
                    .map("servicecatalog", "DescribeProduct", e)
            })?;
        Ok(out
            .provisioning_artifacts()
            .iter()
            .filter_map(|a| {
                Some(Version {
                    id: optional(a.id())?,
                    name: text(a.name()),
                    description: optional(a.description()),
                    created: time(a.created_time()),
                    active: true,
                    deprecated: a.guidance() == Some(&ProvisioningArtifactGuidance::Deprecated),
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_servicecatalog::types::{ProductType, ProductViewSummary};

    fn detail(arn: &str) -> ProductViewDetail {
        ProductViewDetail::builder()
            .product_view_summary(
                ProductViewSummary::builder()
                    .id("prodview-1")
                    .product_id("prod-1")
                    .name("S3 Bucket")
                    .owner("Platform Engineering")
                    .r#type(ProductType::CloudFormationTemplate)
                    .short_description("A bucket")
                    .build(),
            )
            .product_arn(arn)
            .created_time(aws_smithy_types::DateTime::from_secs(1_700_000_000))
            .build()
    }

    #[test]
    fn a_product_is_imported_when_its_arn_names_another_account() {
        let arn = "arn:aws:catalog:us-east-1:111122223333:product/prod-1";
        let p = product(&detail(arn), "222233334444").unwrap();
        assert_eq!(p.id, "prod-1", "the product id, not the view id");
        assert_eq!(
            p.origin,
            ProductOrigin::Imported {
                owner_account: "111122223333".into()
            }
        );
        assert_eq!(p.product_type, "CLOUD_FORMATION_TEMPLATE");
        assert_eq!(p.owner, "Platform Engineering");
        let local = product(&detail(arn), "111122223333").unwrap();
        assert_eq!(local.origin, ProductOrigin::Local);
    }

    #[test]
    fn a_product_without_an_id_is_skipped() {
        let d = ProductViewDetail::builder().build();
        assert!(product(&d, "1").is_none());
    }

    #[test]
    fn versions_read_active_and_guidance() {
        let d = ProvisioningArtifactDetail::builder()
            .id("pa-1")
            .name("v1.0")
            .active(false)
            .guidance(ProvisioningArtifactGuidance::Deprecated)
            .created_time(aws_smithy_types::DateTime::from_secs(1_700_000_000))
            .build();
        let v = version(&d).unwrap();
        assert!(!v.active);
        assert!(v.deprecated);
        let d = ProvisioningArtifactDetail::builder()
            .id("pa-2")
            .guidance(ProvisioningArtifactGuidance::Default)
            .build();
        let v = version(&d).unwrap();
        assert!(v.active && !v.deprecated);
        assert!(version(&ProvisioningArtifactDetail::builder().build()).is_none());
    }
}
