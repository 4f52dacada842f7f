//! Share a local portfolio with accounts, an OU or the organization.

use std::time::Duration;

use super::ActError;
use crate::aws::{Reader, ShareProgress, Writer};
use crate::model::share::{check_account_id, check_organization_id, check_ou_id};
use crate::model::{FieldError, Portfolio, ShareTarget};

/// How often an organization share's progress is asked.
pub const SHARE_POLL: Duration = Duration::from_secs(2);
/// How long an organization share is followed before giving up watching.
pub const SHARE_WATCH: Duration = Duration::from_secs(600);

/// A checked share, ready to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharePlan {
    pub portfolio_id: String,
    pub portfolio_name: String,
    pub targets: Vec<ShareTarget>,
    pub share_tag_options: bool,
    pub share_principals: bool,
}

impl SharePlan {
    /// What the plan will do, a line per target.
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .targets
            .iter()
            .map(|t| match t {
                ShareTarget::Account(_) => format!(
                    "share {} with {} (an account share: that account must accept it)",
                    self.portfolio_name,
                    t.describe()
                ),
                _ => format!(
                    "share {} with {} (through AWS Organizations: no acceptance needed)",
                    self.portfolio_name,
                    t.describe()
                ),
            })
            .collect();
        lines.push(format!(
            "TagOptions shared: {} · principals shared: {}",
            yes_no(self.share_tag_options),
            yes_no(self.share_principals)
        ));
        lines
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// What the user asked for, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShareInput {
    /// Account ids, separated by commas or spaces (one or many entries).
    pub accounts: Vec<String>,
    pub ou: Option<String>,
    pub organization: Option<String>,
    pub share_tag_options: bool,
    pub share_principals: bool,
}

/// The local portfolio `wanted` (id or name) names: only the local
/// portfolios are read, so a failing read of the imported ones (which no
/// one can share) never blocks a share. When `wanted` is not among them,
/// the imported ones are asked, best effort, only to say why it cannot be
/// shared.
pub async fn find_portfolio(reader: &Reader, wanted: &str) -> Result<Portfolio, ActError> {
    let local = reader.list_local_portfolios().await?;
    match super::pick(&local, wanted, "local portfolio", |p| &p.id, |p| &p.name) {
        Ok(found) => Ok(found.clone()),
        Err(not_local) => match reader.list_imported_portfolios().await {
            Ok(imported) => match imported.iter().find(|p| p.id == wanted || p.name == wanted) {
                Some(p) => Err(ActError::Refused(format!(
                    "{} is {}: only the account that owns it can share it",
                    p.name,
                    p.origin.describe()
                ))),
                None => Err(not_local),
            },
            Err(_) => Err(not_local),
        },
    }
}

/// Checks a share before any call: the portfolio is local, exactly one
/// kind of target, account ids of 12 digits and not this account, OU and
/// organization ids well formed. Repeated accounts are shared once.
pub fn plan(
    portfolio: &Portfolio,
    own_account: &str,
    input: &ShareInput,
) -> Result<SharePlan, ActError> {
    if !portfolio.origin.is_local() {
        return Err(ActError::Refused(format!(
            "{} is {}: only the account that owns it can share it",
            portfolio.name,
            portfolio.origin.describe()
        )));
    }
    let accounts: Vec<String> = input
        .accounts
        .iter()
        .flat_map(|a| a.split(|c: char| c == ',' || c.is_whitespace()))
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect();
    let ou = input.ou.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let org = input
        .organization
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let kinds =
        usize::from(!accounts.is_empty()) + usize::from(ou.is_some()) + usize::from(org.is_some());
    if kinds != 1 {
        return Err(ActError::Invalid(vec![FieldError::new(
            "accounts",
            if kinds == 0 {
                "say whom to share with: account ids, an OU id or the organization id"
            } else {
                "share with accounts, an OU or the organization — one kind at a time"
            },
        )]));
    }
    let mut errors = Vec::new();
    let mut targets = Vec::new();
    for account in &accounts {
        match check_account_id(account, own_account) {
            Ok(()) => {
                let target = ShareTarget::Account(account.clone());
                if !targets.contains(&target) {
                    targets.push(target);
                }
            }
            Err(message) => errors.push(FieldError::new("accounts", message)),
        }
    }
    if let Some(ou) = ou {
        match check_ou_id(ou) {
            Ok(()) => targets.push(ShareTarget::OrganizationalUnit(ou.to_string())),
            Err(message) => errors.push(FieldError::new("ou", message)),
        }
    }
    if let Some(org) = org {
        match check_organization_id(org) {
            Ok(()) => targets.push(ShareTarget::Organization(org.to_string())),
            Err(message) => errors.push(FieldError::new("organization", message)),
        }
    }
    if !errors.is_empty() {
        return Err(ActError::Invalid(errors));
    }
    Ok(SharePlan {
        portfolio_id: portfolio.id.clone(),
        portfolio_name: portfolio.name.clone(),
        targets,
        share_tag_options: input.share_tag_options,
        share_principals: input.share_principals,
    })
}

/// What happened to one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareResult {
    pub target: ShareTarget,
    /// The organization share's last progress, if it is one.
    pub progress: Option<ShareProgress>,
    pub error: Option<String>,
}

impl ShareResult {
    pub fn ok(&self) -> bool {
        self.error.is_none()
            && self
                .progress
                .as_ref()
                .is_none_or(|p| p.status == "COMPLETED")
    }

    /// One line: "account 2222…: shared, waiting for its acceptance".
    pub fn line(&self) -> String {
        let target = self.target.describe();
        if let Some(error) = &self.error {
            return format!("{target}: FAILED — {error}");
        }
        match &self.progress {
            None => format!("{target}: shared, waiting for that account to accept it"),
            Some(p) => {
                let mut line = format!(
                    "{target}: {} ({} accounts shared)",
                    p.status,
                    p.succeeded.len()
                );
                for e in &p.errors {
                    line.push_str(&format!("; error {e}"));
                }
                line
            }
        }
    }
}

/// Something to tell while a share runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareEvent {
    Started(ShareTarget),
    Progress(ShareTarget, ShareProgress),
    Done(ShareResult),
}

/// Shares with each target in turn; an organization share is followed
/// until it completes (or [`SHARE_WATCH`] passes).
pub async fn apply(
    writer: &Writer,
    reader: &Reader,
    plan: &SharePlan,
    poll: Duration,
    mut on_event: impl FnMut(ShareEvent),
) -> Result<Vec<ShareResult>, ActError> {
    let mut results = Vec::new();
    for target in &plan.targets {
        on_event(ShareEvent::Started(target.clone()));
        let mut result = ShareResult {
            target: target.clone(),
            progress: None,
            error: None,
        };
        match writer
            .share_portfolio(
                &plan.portfolio_id,
                target,
                plan.share_tag_options,
                plan.share_principals,
            )
            .await
        {
            Ok(Some(token)) => {
                let started = std::time::Instant::now();
                loop {
                    match reader.share_progress(&token).await {
                        Ok(progress) => {
                            let done = progress.is_final();
                            on_event(ShareEvent::Progress(target.clone(), progress.clone()));
                            result.progress = Some(progress);
                            if done {
                                break;
                            }
                        }
                        Err(e) => {
                            result.error = Some(format!(
                                "shared, but its progress cannot be read: {e} (token {token})"
                            ));
                            break;
                        }
                    }
                    if started.elapsed() > SHARE_WATCH {
                        result.error = Some(format!(
                            "still {} after {} s; follow it with token {token}",
                            result.progress.as_ref().map_or("", |p| p.status.as_str()),
                            SHARE_WATCH.as_secs()
                        ));
                        break;
                    }
                    tokio::time::sleep(poll).await;
                }
            }
            Ok(None) => {}
            Err(crate::aws::WriteError::Journal(e)) => return Err(e.into()),
            Err(crate::aws::WriteError::Aws(e)) => result.error = Some(e.to_string()),
        }
        on_event(ShareEvent::Done(result.clone()));
        results.push(result);
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, ShareType};

    fn portfolio(origin: Origin) -> Portfolio {
        Portfolio {
            id: "port-1".into(),
            arn: String::new(),
            name: "Networking".into(),
            description: None,
            provider: None,
            created: None,
            origin,
        }
    }

    #[test]
    fn accounts_are_checked_before_anything_is_sent() {
        let p = portfolio(Origin::Local);
        let input = ShareInput {
            accounts: vec!["222233334444, 333344445555 222233334444".into()],
            ..Default::default()
        };
        let plan = plan(&p, "111122223333", &input).unwrap();
        assert_eq!(
            plan.targets,
            vec![
                ShareTarget::Account("222233334444".into()),
                ShareTarget::Account("333344445555".into())
            ]
        );
        let bad = ShareInput {
            accounts: vec!["12345, 111122223333".into()],
            ..Default::default()
        };
        let err = super::plan(&p, "111122223333", &bad).unwrap_err();
        assert_eq!(err.field_errors().len(), 2);
        assert!(err.to_string().contains("12 digits"));
        assert!(err.to_string().contains("this account"));
        assert!(err.sent_nothing());
    }

    #[test]
    fn one_kind_of_target_and_only_local_portfolios() {
        let p = portfolio(Origin::Local);
        let none = super::plan(&p, "1", &ShareInput::default()).unwrap_err();
        assert!(none.to_string().contains("whom to share with"));
        let both = ShareInput {
            accounts: vec!["222233334444".into()],
            organization: Some("o-a1b2c3d4e5".into()),
            ..Default::default()
        };
        assert!(super::plan(&p, "1", &both).is_err());
        let org = ShareInput {
            organization: Some("o-a1b2c3d4e5".into()),
            share_tag_options: true,
            ..Default::default()
        };
        let plan = super::plan(&p, "1", &org).unwrap();
        assert!(plan.targets[0].is_organization());
        assert!(plan.lines()[1].contains("TagOptions shared: yes"));

        let imported = portfolio(Origin::Imported {
            owner_account: "111122223333".into(),
            share_type: ShareType::Account,
        });
        let err = super::plan(&imported, "222233334444", &org).unwrap_err();
        assert!(matches!(err, ActError::Refused(_)));
        assert!(err.to_string().contains("only the account that owns it"));
    }
}
