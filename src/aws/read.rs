//! Reader: every read call, paginated, mapped into model types.

use aws_sdk_servicecatalog::types::{PortfolioDetail, PortfolioShareType};

use super::error::{AwsError, CallContext};
use super::session::Session;
use crate::model::{CallerIdentity, Origin, Portfolio, ShareType, account_of_arn};

/// Service Catalog's maximum page size for the list calls used here.
const PAGE_SIZE: i32 = 20;
/// A guard against an endpoint that never stops paging.
const MAX_PAGES: usize = 10_000;

/// The read-only clients of one session.
#[derive(Debug, Clone)]
pub struct Reader {
    catalog: aws_sdk_servicecatalog::Client,
    // Used by the next issue (the stack behind a provisioned product).
    #[allow(dead_code)]
    cloudformation: aws_sdk_cloudformation::Client,
    sts: aws_sdk_sts::Client,
    context: CallContext,
}

impl Reader {
    pub fn new(session: &Session) -> Self {
        Self {
            catalog: aws_sdk_servicecatalog::Client::new(&session.sdk),
            cloudformation: aws_sdk_cloudformation::Client::new(&session.sdk),
            sts: aws_sdk_sts::Client::new(&session.sdk),
            context: session.context.clone(),
        }
    }

    /// STS `GetCallerIdentity`.
    pub async fn caller_identity(&self) -> Result<CallerIdentity, AwsError> {
        let out = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| self.context.map("sts", "GetCallerIdentity", e))?;
        Ok(CallerIdentity {
            account_id: out.account().unwrap_or_default().to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
            user_id: out.user_id().unwrap_or_default().to_string(),
        })
    }

    /// Portfolios created in this account (`ListPortfolios`, all pages).
    pub async fn list_local_portfolios(&self) -> Result<Vec<Portfolio>, AwsError> {
        let mut portfolios = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let out = self
                .catalog
                .list_portfolios()
                .page_size(PAGE_SIZE)
                .set_page_token(token.take())
                .send()
                .await
                .map_err(|e| self.context.map("servicecatalog", "ListPortfolios", e))?;
            portfolios.extend(out.portfolio_details().iter().map(|d| portfolio(d, None)));
            token = next_token(out.next_page_token());
            if token.is_none() {
                break;
            }
        }
        Ok(portfolios)
    }

    /// Portfolios shared with this account and accepted, by account share
    /// and through AWS Organizations (`ListAcceptedPortfolioShares`).
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
        let mut portfolios = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let out = self
                .catalog
                .list_accepted_portfolio_shares()
                .portfolio_share_type(sdk_type.clone())
                .page_size(PAGE_SIZE)
                .set_page_token(token.take())
                .send()
                .await
                .map_err(|e| {
                    self.context
                        .map("servicecatalog", "ListAcceptedPortfolioShares", e)
                })?;
            portfolios.extend(
                out.portfolio_details()
                    .iter()
                    .map(|d| portfolio(d, Some(share_type))),
            );
            token = next_token(out.next_page_token());
            if token.is_none() {
                break;
            }
        }
        Ok(portfolios)
    }
}

fn next_token(token: Option<&str>) -> Option<String> {
    token.filter(|t| !t.is_empty()).map(str::to_string)
}

/// Maps a `PortfolioDetail`; `shared` is how it was imported, if it was.
fn portfolio(detail: &PortfolioDetail, shared: Option<ShareType>) -> Portfolio {
    let arn = detail.arn().unwrap_or_default().to_string();
    let origin = match shared {
        None => Origin::Local,
        Some(share_type) => Origin::Imported {
            owner_account: account_of_arn(&arn).unwrap_or("unknown").to_string(),
            share_type,
        },
    };
    Portfolio {
        id: detail.id().unwrap_or_default().to_string(),
        name: detail.display_name().unwrap_or_default().to_string(),
        description: detail.description().map(str::to_string),
        provider: detail.provider_name().map(str::to_string),
        created: detail
            .created_time()
            .and_then(|t| chrono::DateTime::from_timestamp(t.secs(), t.subsec_nanos())),
        origin,
        arn,
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
        assert_eq!(p.created.unwrap().timestamp(), 1_700_000_000);
        assert_eq!(portfolio(&detail, None).origin, Origin::Local);
    }
}
