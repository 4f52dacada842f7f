//! AWS Organizations: the member accounts an organization-mode session reaches.

use super::{Reader, all_pages, text};
use crate::aws::error::AwsError;
use crate::model::OrgAccount;

/// ListAccounts takes up to 20 per page.
const PAGE: i32 = 20;

impl Reader {
    /// The id (`o-…`) of the organization this account belongs to
    /// (`DescribeOrganization`, callable from any member).
    pub async fn organization_id(&self) -> Result<String, AwsError> {
        let out = self
            .organizations()
            .describe_organization()
            .send()
            .await
            .map_err(|e| {
                self.session
                    .context
                    .map("organizations", "DescribeOrganization", e)
            })?;
        Ok(text(out.organization().and_then(|o| o.id())))
    }

    /// Every account of the organization (`ListAccounts`): callable from the
    /// management account or a delegated administrator.
    pub async fn list_org_accounts(&self) -> Result<Vec<OrgAccount>, AwsError> {
        self.list_org_accounts_paged(&|_| {}).await
    }

    /// [`Reader::list_org_accounts`], handing each page to `on_page` as it
    /// arrives (a fleet reaches the first accounts while the next page is
    /// asked for).
    pub async fn list_org_accounts_paged(
        &self,
        on_page: &(dyn Fn(&[OrgAccount]) + Sync),
    ) -> Result<Vec<OrgAccount>, AwsError> {
        all_pages("ListAccounts", |token| async move {
            let out = self
                .organizations()
                .list_accounts()
                .max_results(PAGE)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| self.session.context.map("organizations", "ListAccounts", e))?;
            let page: Vec<OrgAccount> = out
                .accounts()
                .iter()
                .map(|a| OrgAccount {
                    id: text(a.id()),
                    name: text(a.name()),
                    status: a
                        .state()
                        .map(|s| s.as_str().to_string())
                        .or_else(|| a.status().map(|s| s.as_str().to_string()))
                        .unwrap_or_default(),
                })
                .collect();
            on_page(&page);
            Ok((page, out.next_token().map(str::to_string)))
        })
        .await
    }
}
