//! What the hub's authoring reads before it writes: a portfolio's
//! principals and the accounts it reaches, the account's TagOptions, a
//! product's TagOptions, and a version's template URL.

use super::{Reader, all_pages, text};
use crate::aws::error::AwsError;
use crate::model::{Principal, TagOptionEntry};

/// ListPrincipalsForPortfolio takes up to 20 per page, ListPortfolioAccess
/// and ListTagOptions up to 100 and 20.
const PRINCIPALS_PAGE: i32 = 20;
const ACCESS_PAGE: i32 = 100;
const TAG_OPTIONS_PAGE: i32 = 20;

fn entry(t: &aws_sdk_servicecatalog::types::TagOptionDetail) -> TagOptionEntry {
    TagOptionEntry {
        id: text(t.id()),
        key: text(t.key()),
        value: text(t.value()),
        active: t.active().unwrap_or(true),
        owner: text(t.owner()),
    }
}

impl Reader {
    /// `ListPrincipalsForPortfolio`.
    pub async fn list_principals(&self, portfolio_id: &str) -> Result<Vec<Principal>, AwsError> {
        all_pages("ListPrincipalsForPortfolio", |token| async move {
            let out = self
                .catalog()
                .list_principals_for_portfolio()
                .portfolio_id(portfolio_id)
                .page_size(PRINCIPALS_PAGE)
                .set_page_token(token)
                .send()
                .await
                .map_err(|e| {
                    self.session
                        .context
                        .map("servicecatalog", "ListPrincipalsForPortfolio", e)
                })?;
            let page = out
                .principals()
                .iter()
                .map(|p| Principal {
                    arn: text(p.principal_arn()),
                    kind: p
                        .principal_type()
                        .map(|t| t.as_str().to_string())
                        .unwrap_or_else(|| "IAM".into()),
                })
                .collect();
            Ok((page, out.next_page_token().map(str::to_string)))
        })
        .await
    }

    /// `ListPortfolioAccess`: the accounts a portfolio of this account reaches.
    pub async fn list_portfolio_access(&self, portfolio_id: &str) -> Result<Vec<String>, AwsError> {
        all_pages("ListPortfolioAccess", |token| async move {
            let out = self
                .catalog()
                .list_portfolio_access()
                .portfolio_id(portfolio_id)
                .page_size(ACCESS_PAGE)
                .set_page_token(token)
                .send()
                .await
                .map_err(|e| {
                    self.session
                        .context
                        .map("servicecatalog", "ListPortfolioAccess", e)
                })?;
            Ok((
                out.account_ids().to_vec(),
                out.next_page_token().map(str::to_string),
            ))
        })
        .await
    }

    /// `ListTagOptions` of this account, optionally those of one key.
    pub async fn list_tag_options(
        &self,
        key: Option<&str>,
    ) -> Result<Vec<TagOptionEntry>, AwsError> {
        use aws_sdk_servicecatalog::types::ListTagOptionsFilters;
        let filters = ListTagOptionsFilters::builder()
            .set_key(key.map(str::to_string))
            .build();
        all_pages("ListTagOptions", |token| {
            let filters = filters.clone();
            async move {
                let out = self
                    .catalog()
                    .list_tag_options()
                    .filters(filters)
                    .page_size(TAG_OPTIONS_PAGE)
                    .set_page_token(token)
                    .send()
                    .await
                    .map_err(|e| {
                        self.session
                            .context
                            .map("servicecatalog", "ListTagOptions", e)
                    })?;
                let page = out.tag_option_details().iter().map(entry).collect();
                Ok((page, out.page_token().map(str::to_string)))
            }
        })
        .await
    }

    /// The TagOptions of a portfolio of this account (`DescribePortfolio`).
    pub async fn portfolio_tag_options(
        &self,
        portfolio_id: &str,
    ) -> Result<Vec<TagOptionEntry>, AwsError> {
        Ok(self.portfolio_tags(portfolio_id).await?.1)
    }

    /// A portfolio's tags and TagOptions (`DescribePortfolio`).
    pub async fn portfolio_tags(
        &self,
        portfolio_id: &str,
    ) -> Result<(Vec<(String, String)>, Vec<TagOptionEntry>), AwsError> {
        let out = self
            .catalog()
            .describe_portfolio()
            .id(portfolio_id)
            .send()
            .await
            .map_err(|e| {
                self.session
                    .context
                    .map("servicecatalog", "DescribePortfolio", e)
            })?;
        let tags = out
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect();
        Ok((tags, out.tag_options().iter().map(entry).collect()))
    }

    /// The TagOptions of a product (`DescribeProductAsAdmin`): its owner's,
    /// and for an imported product those its share passes on
    /// (`source_portfolio`, the imported portfolio that holds it).
    pub async fn product_tag_options(
        &self,
        product_id: &str,
        source_portfolio: Option<&str>,
    ) -> Result<Vec<TagOptionEntry>, AwsError> {
        let out = self
            .catalog()
            .describe_product_as_admin()
            .id(product_id)
            .set_source_portfolio_id(source_portfolio.map(str::to_string))
            .send()
            .await
            .map_err(|e| {
                self.session
                    .context
                    .map("servicecatalog", "DescribeProductAsAdmin", e)
            })?;
        Ok(out.tag_options().iter().map(entry).collect())
    }
}
