//! AWS Organizations: the member accounts an organization-mode session
//! reaches, and the OU each sits in (read only when a view groups by OU).

use std::collections::HashMap;

use super::{Reader, all_pages, concurrently, text};
use crate::aws::error::AwsError;
use crate::model::OrgAccount;

/// ListAccounts and the tree's lists take up to 20 per page.
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

/// How deep OUs may nest (AWS allows five levels under the root): a tree
/// deeper than this is not walked further.
const MAX_DEPTH: usize = 8;

impl Reader {
    /// Each member account's OU as a path of names from the root
    /// (`Root/Workloads/Prod`; an account directly under the root:
    /// `Root`): `ListRoots`, then per parent, level by level,
    /// `ListOrganizationalUnitsForParent` and `ListAccountsForParent`
    /// ([`super::CONCURRENCY`] parents at a time). Callable from the
    /// management account or a delegated administrator.
    pub async fn ou_paths(&self) -> Result<HashMap<String, String>, AwsError> {
        let roots = all_pages("ListRoots", |token| async move {
            let out = self
                .organizations()
                .list_roots()
                .max_results(PAGE)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| self.session.context.map("organizations", "ListRoots", e))?;
            let page: Vec<(String, String)> = out
                .roots()
                .iter()
                .map(|r| {
                    let name = text(r.name());
                    (
                        text(r.id()),
                        if name.is_empty() { "Root".into() } else { name },
                    )
                })
                .collect();
            Ok((page, out.next_token().map(str::to_string)))
        })
        .await?;
        let mut paths = HashMap::new();
        let mut level = roots;
        for _ in 0..MAX_DEPTH {
            if level.is_empty() {
                break;
            }
            let read = concurrently(level, |(id, path)| async move {
                let (ous, accounts) = tokio::join!(self.ous_of(&id), self.accounts_of(&id));
                Ok::<_, AwsError>((path, ous?, accounts?))
            })
            .await;
            let mut next = Vec::new();
            for parent in read {
                let (path, ous, accounts) = parent?;
                for account in accounts {
                    paths.insert(account, path.clone());
                }
                next.extend(
                    ous.into_iter()
                        .map(|(id, name)| (id, format!("{path}/{name}"))),
                );
            }
            level = next;
        }
        Ok(paths)
    }

    /// The (id, name) of the OUs directly under `parent`.
    async fn ous_of(&self, parent: &str) -> Result<Vec<(String, String)>, AwsError> {
        all_pages("ListOrganizationalUnitsForParent", |token| async move {
            let out = self
                .organizations()
                .list_organizational_units_for_parent()
                .parent_id(parent)
                .max_results(PAGE)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| {
                    self.session
                        .context
                        .map("organizations", "ListOrganizationalUnitsForParent", e)
                })?;
            let page = out
                .organizational_units()
                .iter()
                .map(|o| (text(o.id()), text(o.name())))
                .collect();
            Ok((page, out.next_token().map(str::to_string)))
        })
        .await
    }

    /// The ids of the accounts directly under `parent`.
    async fn accounts_of(&self, parent: &str) -> Result<Vec<String>, AwsError> {
        all_pages("ListAccountsForParent", |token| async move {
            let out = self
                .organizations()
                .list_accounts_for_parent()
                .parent_id(parent)
                .max_results(PAGE)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| {
                    self.session
                        .context
                        .map("organizations", "ListAccountsForParent", e)
                })?;
            let page = out.accounts().iter().map(|a| text(a.id())).collect();
            Ok((page, out.next_token().map(str::to_string)))
        })
        .await
    }
}
