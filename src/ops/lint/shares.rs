//! The rules over shares that need spoke's journal: AWS does not say when
//! an account share was offered (`DescribePortfolioShares` gives
//! `Accepted`, no time), nor keeps a list of organization shares' tokens.
//! Both come from the journal of spoke's own `CreatePortfolioShare` calls,
//! read as [`Offers`](super::Offers); a share spoke did not make has no
//! age, and the finding says so rather than claim one.

use super::{Entity, Fix, Fleet, Out, Severity};
use crate::model::{Section, ShareKind};

/// "3 days", "1 day".
fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// Account shares not accepted for longer than `share_pending_days`, by
/// the journal's offer time; a pending share with no offer time in the
/// journal is a note that says its age is unknown.
pub fn share_not_accepted(fleet: &Fleet<'_>, out: &mut Out) {
    const ID: &str = "share-not-accepted";
    let limit = fleet.config.share_pending_days;
    for (a, inv) in fleet.read() {
        if let Some(p) = inv.read(Section::Shares).problem() {
            out.unchecked(ID, a, p.message.clone());
        }
        for s in inv
            .shares
            .iter()
            .filter(|s| s.kind == ShareKind::Account && !s.accepted)
        {
            let name = super::catalog::portfolio_name(inv, &s.portfolio_id);
            let who = fleet
                .accounts
                .iter()
                .find(|x| x.account.as_deref() == Some(&s.principal))
                .map_or_else(
                    || s.principal.clone(),
                    |x| format!("{} ({})", x.label, s.principal),
                );
            let key = (
                inv.account.clone(),
                s.portfolio_id.clone(),
                s.principal.clone(),
            );
            let (severity, message) = match (&fleet.offers.unread, fleet.offers.offered.get(&key)) {
                (Some(why), _) => (
                    Severity::Note,
                    format!(
                        "{name} is shared with {who}, which has not accepted it; age unknown: spoke's journal was not read ({why}) and AWS does not say when a share was offered"
                    ),
                ),
                (None, None) => (
                    Severity::Note,
                    format!(
                        "{name} is shared with {who}, which has not accepted it; age unknown: the share was not made through spoke (no CreatePortfolioShare in its journal) and AWS does not say when it was offered"
                    ),
                ),
                (None, Some(at)) => {
                    let age = fleet.now - *at;
                    if age <= chrono::Duration::days(limit) {
                        continue;
                    }
                    (
                        Severity::Warning,
                        format!(
                            "{name} was shared with {who} {} ago ({}, spoke's journal) and is still not accepted (over {})",
                            days(age.num_days()),
                            at.format("%Y-%m-%d"),
                            days(limit)
                        ),
                    )
                }
            };
            out.find_as(
                ID,
                severity,
                a,
                Entity {
                    kind: "share",
                    id: format!("{}/{}", s.portfolio_id, s.principal),
                    name: format!("{name} → {who}"),
                    arn: inv.portfolio(&s.portfolio_id).map(|p| p.arn.clone()),
                },
                message,
                Fix::Accept {
                    account: s.principal.clone(),
                    portfolio: s.portfolio_id.clone(),
                },
            );
        }
    }
}

/// Organization and OU shares spoke made (their tokens in its journal)
/// whose `DescribePortfolioShareStatus` ended ERROR or COMPLETED_WITH_ERRORS.
pub fn org_share_failed(fleet: &Fleet<'_>, out: &mut Out) {
    const ID: &str = "org-share-failed";
    if let Some(why) = &fleet.offers.unread {
        if let Some((a, _)) = fleet.read().next() {
            out.unchecked(
                ID,
                a,
                format!("the organization shares' tokens are in spoke's journal, not read: {why}"),
            );
        }
        return;
    }
    for (a, inv) in fleet.read() {
        for s in
            fleet.offers.org_shares.iter().filter(|s| {
                s.account == inv.account && (s.region.is_empty() || s.region == inv.region)
            })
        {
            // A portfolio deleted since has no share left to fix.
            let Some(portfolio) = inv.portfolio(&s.portfolio_id) else {
                continue;
            };
            let progress = match a.extra.share_status.get(&s.token) {
                None => {
                    out.unchecked(
                        ID,
                        a,
                        format!("the status of share token {} was not read", s.token),
                    );
                    continue;
                }
                Some(Err(why)) => {
                    out.unchecked(ID, a, format!("share token {}: {why}", s.token));
                    continue;
                }
                Some(Ok(p)) => p,
            };
            let severity = match progress.status.as_str() {
                "ERROR" => Severity::Error,
                "COMPLETED_WITH_ERRORS" => Severity::Warning,
                _ => continue,
            };
            let errors = if progress.errors.is_empty() {
                "AWS gives no error details".to_string()
            } else {
                progress.errors.join("; ")
            };
            let shared = if progress.succeeded.is_empty() {
                String::new()
            } else {
                format!(" ({} account(s) did get it)", progress.succeeded.len())
            };
            out.find_as(
                ID,
                severity,
                a,
                Entity {
                    kind: "share",
                    id: format!("{}/{}", s.portfolio_id, s.target.id()),
                    name: format!("{} → {}", portfolio.name, s.target.describe()),
                    arn: Some(portfolio.arn.clone()),
                },
                format!(
                    "the share of {} with {} made {} (token {}) ended {}{shared}: {errors}",
                    portfolio.name,
                    s.target.describe(),
                    s.time.format("%Y-%m-%d"),
                    s.token,
                    progress.status
                ),
                Fix::Share {
                    account: inv.account.clone(),
                    portfolio: s.portfolio_id.clone(),
                    target: s.target.clone(),
                },
            );
        }
    }
}
