//! Share a local portfolio with accounts, an OU or the organization.

use std::time::Duration;

use super::ActError;
use crate::aws::{Reader, ShareProgress, Writer};
use crate::model::share::{check_account_id, check_organization_id, check_ou_id};
use crate::model::{FieldError, Portfolio, Share, ShareKind, ShareTarget};

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
    /// Asked for but left out, with why: it is shared already.
    pub already: Vec<String>,
    /// What else a reader of the plan should know (the organization or an
    /// OU it is shared with, which may already reach an account asked for;
    /// the existing shares not read).
    pub notes: Vec<String>,
}

impl SharePlan {
    /// Nothing would be sent: every target is shared already.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// What the plan will do, a line per target, then what it leaves out
    /// and why.
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
        lines.extend(self.already.iter().map(|a| format!("left out: {a}")));
        lines.extend(self.notes.iter().cloned());
        if !self.targets.is_empty() {
            lines.push(format!(
                "TagOptions shared: {} · principals shared: {}",
                yes_no(self.share_tag_options),
                yes_no(self.share_principals)
            ));
        }
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
/// `existing`: the portfolio's shares as read (`None`: not read); a target
/// shared already is left out, saying so.
pub fn plan(
    portfolio: &Portfolio,
    own_account: &str,
    input: &ShareInput,
    existing: Option<&[Share]>,
) -> Result<SharePlan, ActError> {
    let targets = parse_targets(portfolio, own_account, input)?;
    let (targets, already, notes) = against_existing(targets, existing);
    Ok(SharePlan {
        portfolio_id: portfolio.id.clone(),
        portfolio_name: portfolio.name.clone(),
        targets,
        share_tag_options: input.share_tag_options,
        share_principals: input.share_principals,
        already,
        notes,
    })
}

/// The targets `input` names, checked: the portfolio is local, exactly one
/// kind of target, account ids of 12 digits and not this account, OU and
/// organization ids well formed; repeated accounts once.
fn parse_targets(
    portfolio: &Portfolio,
    own_account: &str,
    input: &ShareInput,
) -> Result<Vec<ShareTarget>, ActError> {
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
    Ok(targets)
}

/// The kind of share a target makes.
fn kind_of(t: &ShareTarget) -> ShareKind {
    match t {
        ShareTarget::Account(_) => ShareKind::Account,
        ShareTarget::OrganizationalUnit(_) => ShareKind::OrganizationalUnit,
        ShareTarget::Organization(_) => ShareKind::Organization,
    }
}

/// Splits `targets` into those to share and those shared already (with
/// why), and says what else the existing shares mean for the plan.
fn against_existing(
    targets: Vec<ShareTarget>,
    existing: Option<&[Share]>,
) -> (Vec<ShareTarget>, Vec<String>, Vec<String>) {
    let Some(existing) = existing else {
        return (
            targets,
            Vec::new(),
            vec!["whom it is shared with already was not read: a share that exists is sent again (AWS keeps one)".into()],
        );
    };
    let mut to_share = Vec::new();
    let mut already = Vec::new();
    for t in targets {
        match existing
            .iter()
            .find(|s| s.kind == kind_of(&t) && s.principal == t.id())
        {
            Some(s) if s.kind == ShareKind::Account && s.accepted => {
                already.push(format!("{} — shared already, and accepted", t.describe()))
            }
            Some(s) if s.kind == ShareKind::Account => already.push(format!(
                "{} — shared already, waiting for that account to accept it",
                t.describe()
            )),
            Some(_) => already.push(format!("{} — shared already", t.describe())),
            None => to_share.push(t),
        }
    }
    // An account asked for may be reached already through Organizations.
    let mut notes = Vec::new();
    if to_share
        .iter()
        .any(|t| matches!(t, ShareTarget::Account(_)))
    {
        for s in existing.iter().filter(|s| {
            matches!(
                s.kind,
                ShareKind::Organization | ShareKind::OrganizationalUnit
            )
        }) {
            let what = match s.kind {
                ShareKind::Organization => format!("the organization {}", s.principal),
                _ => format!("the OU {}", s.principal),
            };
            notes.push(format!(
                "note: it is also shared with {what}: an account in it has it already, no acceptance needed (an account share adds nothing for it)"
            ));
        }
    }
    (to_share, already, notes)
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
        self.line_as("shared, waiting for that account to accept it")
    }

    /// One line of an unshare: "account 2222…: no longer shared".
    pub fn unshare_line(&self) -> String {
        self.line_as("no longer shared")
    }

    /// `done`: what an account target's success reads as.
    fn line_as(&self, done: &str) -> String {
        let target = self.target.describe();
        if let Some(error) = &self.error {
            // Sent, then not followed: not a failure, an unknown.
            if error.starts_with("sent, but") {
                return format!("{target}: SENT, NOT FOLLOWED — {error}");
            }
            return format!("{target}: FAILED — {error}");
        }
        match &self.progress {
            None => format!("{target}: {done}"),
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
        let sent = writer
            .share_portfolio(
                &plan.portfolio_id,
                target,
                plan.share_tag_options,
                plan.share_principals,
            )
            .await;
        let result = settle(reader, target, sent, poll, &mut on_event).await?;
        on_event(ShareEvent::Done(result.clone()));
        results.push(result);
    }
    Ok(results)
}

/// What a share or an unshare of `target` came to: its answer, and an
/// organization node's progress followed with its token until it ends
/// (or [`SHARE_WATCH`] passes).
async fn settle(
    reader: &Reader,
    target: &ShareTarget,
    sent: Result<Option<String>, crate::aws::WriteError>,
    poll: Duration,
    on_event: &mut impl FnMut(ShareEvent),
) -> Result<ShareResult, ActError> {
    let mut result = ShareResult {
        target: target.clone(),
        progress: None,
        error: None,
    };
    match sent {
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
                            "sent, but its progress cannot be read: {e} (token {token})"
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
    Ok(result)
}

/// A checked unshare, ready to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsharePlan {
    pub portfolio_id: String,
    pub portfolio_name: String,
    pub targets: Vec<ShareTarget>,
    /// Asked for but left out, with why: it is not shared with them.
    pub not_shared: Vec<String>,
    pub notes: Vec<String>,
}

impl UnsharePlan {
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .targets
            .iter()
            .map(|t| {
                format!(
                    "stop sharing {} with {} (it loses the imported portfolio; provisioned products launched from it stay)",
                    self.portfolio_name,
                    t.describe()
                )
            })
            .collect();
        lines.extend(self.not_shared.iter().map(|n| format!("left out: {n}")));
        lines.extend(self.notes.iter().cloned());
        lines
    }
}

/// Checks an unshare as a share is checked, and keeps the targets the
/// portfolio is shared with (`existing`; `None`: not read, every target is
/// asked and AWS says which is not shared).
pub fn plan_unshare(
    portfolio: &Portfolio,
    own_account: &str,
    input: &ShareInput,
    existing: Option<&[Share]>,
) -> Result<UnsharePlan, ActError> {
    let targets = parse_targets(portfolio, own_account, input)?;
    let (targets, not_shared, notes) = match existing {
        None => (
            targets,
            Vec::new(),
            vec!["whom it is shared with was not read: AWS answers for a target it is not shared with".into()],
        ),
        Some(existing) => {
            let (shared, absent): (Vec<ShareTarget>, Vec<ShareTarget>) =
                targets.into_iter().partition(|t| {
                    existing.iter().any(|s| s.kind == kind_of(t) && s.principal == t.id())
                });
            (
                shared,
                absent
                    .iter()
                    .map(|t| format!("{} — it is not shared with it", t.describe()))
                    .collect(),
                Vec::new(),
            )
        }
    };
    Ok(UnsharePlan {
        portfolio_id: portfolio.id.clone(),
        portfolio_name: portfolio.name.clone(),
        targets,
        not_shared,
        notes,
    })
}

/// Stops sharing with each target in turn; an organization node's removal
/// is followed to its end.
pub async fn apply_unshare(
    writer: &Writer,
    reader: &Reader,
    plan: &UnsharePlan,
    poll: Duration,
    mut on_event: impl FnMut(ShareEvent),
) -> Result<Vec<ShareResult>, ActError> {
    let mut results = Vec::new();
    for target in &plan.targets {
        on_event(ShareEvent::Started(target.clone()));
        let sent = writer.unshare_portfolio(&plan.portfolio_id, target).await;
        let result = settle(reader, target, sent, poll, &mut on_event).await?;
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
        let plan = plan(&p, "111122223333", &input, Some(&[])).unwrap();
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
        let err = super::plan(&p, "111122223333", &bad, Some(&[])).unwrap_err();
        assert_eq!(err.field_errors().len(), 2);
        assert!(err.to_string().contains("12 digits"));
        assert!(err.to_string().contains("this account"));
        assert!(err.sent_nothing());
    }

    #[test]
    fn one_kind_of_target_and_only_local_portfolios() {
        let p = portfolio(Origin::Local);
        let none = super::plan(&p, "1", &ShareInput::default(), None).unwrap_err();
        assert!(none.to_string().contains("whom to share with"));
        let both = ShareInput {
            accounts: vec!["222233334444".into()],
            organization: Some("o-a1b2c3d4e5".into()),
            ..Default::default()
        };
        assert!(super::plan(&p, "1", &both, Some(&[])).is_err());
        let org = ShareInput {
            organization: Some("o-a1b2c3d4e5".into()),
            share_tag_options: true,
            ..Default::default()
        };
        let plan = super::plan(&p, "1", &org, Some(&[])).unwrap();
        assert!(plan.targets[0].is_organization());
        assert!(plan.lines()[1].contains("TagOptions shared: yes"));

        let imported = portfolio(Origin::Imported {
            owner_account: "111122223333".into(),
            share_type: ShareType::Account,
        });
        let err = super::plan(&imported, "222233334444", &org, Some(&[])).unwrap_err();
        assert!(matches!(err, ActError::Refused(_)));
        assert!(err.to_string().contains("only the account that owns it"));
    }

    #[test]
    fn what_is_shared_already_is_left_out_and_said() {
        let p = portfolio(Origin::Local);
        let share = |kind, principal: &str, accepted| Share {
            portfolio_id: "port-1".into(),
            kind,
            principal: principal.into(),
            accepted,
            share_tag_options: false,
            share_principals: false,
        };
        let existing = [
            share(ShareKind::Account, "222233334444", true),
            share(ShareKind::Account, "333344445555", false),
            share(ShareKind::Organization, "o-abc123def4", true),
        ];
        let input = ShareInput {
            accounts: vec!["222233334444 333344445555 444455556666".into()],
            ..Default::default()
        };
        let plan = super::plan(&p, "111122223333", &input, Some(&existing)).unwrap();
        assert_eq!(plan.targets, [ShareTarget::Account("444455556666".into())]);
        let lines = plan.lines().join("\n");
        assert!(
            lines.contains("left out: account 222233334444 — shared already, and accepted"),
            "{lines}"
        );
        assert!(lines.contains("left out: account 333344445555 — shared already, waiting for that account to accept it"), "{lines}");
        assert!(
            lines.contains("also shared with the organization o-abc123def4"),
            "{lines}"
        );
        // All of them there already: nothing to send.
        let again = ShareInput {
            accounts: vec!["222233334444".into()],
            ..Default::default()
        };
        assert!(
            super::plan(&p, "111122223333", &again, Some(&existing))
                .unwrap()
                .is_empty()
        );
        // Not read: said, and everything is sent.
        let unread = super::plan(&p, "111122223333", &again, None).unwrap();
        assert_eq!(unread.targets.len(), 1);
        assert!(unread.lines().join(" ").contains("was not read"));
    }

    #[test]
    fn an_unshare_keeps_only_what_is_shared() {
        let p = portfolio(Origin::Local);
        let existing = [Share {
            portfolio_id: "port-1".into(),
            kind: ShareKind::Account,
            principal: "222233334444".into(),
            accepted: true,
            share_tag_options: false,
            share_principals: false,
        }];
        let input = ShareInput {
            accounts: vec!["222233334444 333344445555".into()],
            ..Default::default()
        };
        let plan = plan_unshare(&p, "111122223333", &input, Some(&existing)).unwrap();
        assert_eq!(plan.targets, [ShareTarget::Account("222233334444".into())]);
        assert!(
            plan.lines()
                .iter()
                .any(|l| l == "left out: account 333344445555 — it is not shared with it")
        );
        // The same checks as a share: not this account, 12 digits.
        let bad = ShareInput {
            accounts: vec!["111122223333".into()],
            ..Default::default()
        };
        assert!(plan_unshare(&p, "111122223333", &bad, Some(&existing)).is_err());
        // Not read: every target asked, and said.
        let unread = plan_unshare(&p, "111122223333", &input, None).unwrap();
        assert_eq!(unread.targets.len(), 2);
        assert!(unread.lines().join(" ").contains("was not read"));
    }
}
