//! Portfolios (local and imported), the shares of local ones, and how an
//! organization share is getting on.

use aws_sdk_servicecatalog::types::{
    DescribePortfolioShareType, PortfolioDetail, PortfolioShareDetail, PortfolioShareType,
};

use super::{Reader, all_pages, concurrently, optional, text, time};
use crate::aws::error::AwsError;
use crate::model::{Origin, Portfolio, Share, ShareKind, ShareType, account_of_arn};

/// ListPortfolios, ListAcceptedPortfolioShares and DescribePortfolioShares
/// take up to 100 per page.
const PAGE: i32 = 100;

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

impl Reader {
    /// Portfolios created in this account (`ListPortfolios`, all pages).
    pub async fn list_local_portfolios(&self) -> Result<Vec<Portfolio>, AwsError> {
        all_pages("ListPortfolios", |token| async move {
            let out = self
                .catalog()
                .list_portfolios()
                .page_size(PAGE)
                .set_page_token(token)
                .send()
                .await
                .map_err(|e| {
                    self.session
                        .context
                        .map("servicecatalog", "ListPortfolios", e)
                })?;
            let page = out
                .portfolio_details()
                .iter()
                .map(|d| portfolio(d, None))
                .collect();
            Ok((page, out.next_page_token().map(str::to_string)))
        })
        .await
    }

    /// Portfolios shared with this account and imported: accepted account
    /// shares (`IMPORTED`) and organization shares (`AWS_ORGANIZATIONS`),
    /// fetched concurrently. A portfolio imported both ways is listed once,
    /// as an account share.
    pub async fn list_imported_portfolios(&self) -> Result<Vec<Portfolio>, AwsError> {
        let (by_account, by_organization) = futures::try_join!(
            self.list_accepted(PortfolioShareType::Imported, ShareType::Account),
            self.list_accepted(
                PortfolioShareType::AwsOrganizations,
                ShareType::Organization
            ),
        )?;
        let mut portfolios = by_account;
        for p in by_organization {
            if !portfolios.iter().any(|q| q.id == p.id) {
                portfolios.push(p);
            }
        }
        Ok(portfolios)
    }

    /// Local then imported portfolios, fetched concurrently.
    pub async fn list_portfolios(&self) -> Result<Vec<Portfolio>, AwsError> {
        let (mut local, imported) = futures::try_join!(
            self.list_local_portfolios(),
            self.list_imported_portfolios()
        )?;
        local.extend(imported);
        Ok(local)
    }

    async fn list_accepted(
        &self,
        sdk_type: PortfolioShareType,
        share_type: ShareType,
    ) -> Result<Vec<Portfolio>, AwsError> {
        let sdk_type = &sdk_type;
        all_pages("ListAcceptedPortfolioShares", |token| async move {
            let out = self
                .catalog()
                .list_accepted_portfolio_shares()
                .portfolio_share_type(sdk_type.clone())
                .page_size(PAGE)
                .set_page_token(token)
                .send()
                .await
                .map_err(|e| {
                    self.session
                        .context
                        .map("servicecatalog", "ListAcceptedPortfolioShares", e)
                })?;
            let page = out
                .portfolio_details()
                .iter()
                .map(|d| portfolio(d, Some(share_type)))
                .collect();
            Ok((page, out.next_page_token().map(str::to_string)))
        })
        .await
    }

    /// Whom a local portfolio is shared with: `DescribePortfolioShares`
    /// for each of the four share types, concurrently. Account shares say
    /// whether they were accepted; organization shares need no acceptance.
    pub async fn list_shares(&self, portfolio_id: &str) -> Result<Vec<Share>, AwsError> {
        let per_kind = concurrently(ShareKind::ALL, |kind| {
            self.list_shares_of_kind(portfolio_id, kind)
        })
        .await;
        let mut shares = Vec::new();
        for result in per_kind {
            shares.extend(result?);
        }
        Ok(shares)
    }

    async fn list_shares_of_kind(
        &self,
        portfolio_id: &str,
        kind: ShareKind,
    ) -> Result<Vec<Share>, AwsError> {
        let sdk_kind = match kind {
            ShareKind::Account => DescribePortfolioShareType::Account,
            ShareKind::OrganizationalUnit => DescribePortfolioShareType::OrganizationalUnit,
            ShareKind::Organization => DescribePortfolioShareType::Organization,
            ShareKind::OrganizationMemberAccount => {
                DescribePortfolioShareType::OrganizationMemberAccount
            }
        };
        let sdk_kind = &sdk_kind;
        all_pages("DescribePortfolioShares", |token| async move {
            let out = self
                .catalog()
                .describe_portfolio_shares()
                .portfolio_id(portfolio_id)
                .r#type(sdk_kind.clone())
                .page_size(PAGE)
                .set_page_token(token)
                .send()
                .await
                .map_err(|e| {
                    self.session
                        .context
                        .map("servicecatalog", "DescribePortfolioShares", e)
                })?;
            let page = out
                .portfolio_share_details()
                .iter()
                .map(|d| share(portfolio_id, kind, d))
                .collect();
            Ok((page, out.next_page_token().map(str::to_string)))
        })
        .await
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

/// Maps a `PortfolioDetail`; `shared` is how it was imported, if it was.
fn portfolio(detail: &PortfolioDetail, shared: Option<ShareType>) -> Portfolio {
    let arn = text(detail.arn());
    let origin = match shared {
        None => Origin::Local,
        Some(share_type) => Origin::Imported {
            owner_account: account_of_arn(&arn).unwrap_or("unknown").to_string(),
            share_type,
        },
    };
    Portfolio {
        id: text(detail.id()),
        name: text(detail.display_name()),
        description: optional(detail.description()),
        provider: optional(detail.provider_name()),
        created: time(detail.created_time()),
        origin,
        arn,
    }
}

/// Maps a `PortfolioShareDetail` of a `kind` asked for. Only account shares
/// wait for acceptance; AWS reports organization shares as accepted.
fn share(portfolio_id: &str, kind: ShareKind, detail: &PortfolioShareDetail) -> Share {
    Share {
        portfolio_id: portfolio_id.to_string(),
        kind,
        principal: text(detail.principal_id()),
        accepted: detail.accepted(),
        share_tag_options: detail.share_tag_options(),
        share_principals: detail.share_principals(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imported_portfolio_owner_comes_from_its_arn() {
        let detail = PortfolioDetail::builder()
            .id("port-abc")
            .arn("arn:aws:catalog:eu-west-1:111111111111:portfolio/port-abc")
            .display_name("Networking")
            .provider_name("Platform")
            .description("")
            .created_time(aws_smithy_types::DateTime::from_secs(1_700_000_000))
            .build();
        let p = portfolio(&detail, Some(ShareType::Organization));
        assert_eq!(
            p.origin,
            Origin::Imported {
                owner_account: "111111111111".into(),
                share_type: ShareType::Organization
            }
        );
        assert_eq!(p.name, "Networking");
        assert_eq!(p.description, None, "an empty description is none");
        assert_eq!(p.created.unwrap().timestamp(), 1_700_000_000);
        assert_eq!(portfolio(&detail, None).origin, Origin::Local);
    }

    #[test]
    fn account_shares_carry_acceptance() {
        let pending = PortfolioShareDetail::builder()
            .principal_id("222233334444")
            .accepted(false)
            .share_tag_options(true)
            .build();
        let s = share("port-1", ShareKind::Account, &pending);
        assert!(!s.accepted);
        assert!(s.share_tag_options);
        assert_eq!(s.principal, "222233334444");
        assert_eq!(
            share("port-1", ShareKind::Organization, &pending).kind,
            ShareKind::Organization
        );
    }
}
