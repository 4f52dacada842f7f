//! What the rules read beyond a scan, reads only: per account, the roles
//! its LAUNCH constraints name (`GetRole`), whether each provisioned
//! product's stack still exists (`DescribeStacks`), since when what is
//! UNDER_CHANGE has been (`DescribeRecord`), and the parameters of the
//! latest version of each product a TEMPLATE constraint restricts
//! (`DescribeProvisioningArtifact`), and how each organization share
//! spoke's journal names for the account ended (`DescribePortfolioShareStatus`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use futures::StreamExt;

use crate::aws::read::{ShareProgress, concurrently};
use crate::aws::{AwsError, CallLog, ProfileSource, Reader};
use crate::model::{
    ConstraintKind, ConstraintParams, IamRole, Inventory, LaunchRole, PpStatus, account_of_arn,
};
use crate::ops::fleet::{self, ACCOUNTS_AT_ONCE, Member, Selection};
use crate::ops::scan;

use super::Offers;

/// One account of the fleet: its inventory and the extra reads, or why it
/// could not be read.
#[derive(Debug, Clone, Default)]
pub struct AccountFacts {
    pub label: String,
    pub account: Option<String>,
    pub inventory: Option<Inventory>,
    pub unreachable: Option<String>,
    pub extra: Extra,
}

/// A read's answer, or why it failed (one line).
pub type Answer<T> = Result<T, String>;

/// The reads the rules make beyond the scan.
#[derive(Debug, Clone, Default)]
pub struct Extra {
    /// By role name, in the account: the role, or `None` when IAM says
    /// there is no such role.
    pub roles: BTreeMap<String, Answer<Option<IamRole>>>,
    /// By provisioned product id: whether its stack exists.
    pub stacks: BTreeMap<String, Answer<bool>>,
    /// By provisioned product id (UNDER_CHANGE only): when its running
    /// request started.
    pub changing_since: BTreeMap<String, Answer<Option<DateTime<Utc>>>>,
    /// By product id: the parameter keys of its latest version.
    pub latest_parameters: BTreeMap<String, Answer<Vec<String>>>,
    /// By share token (the account's organization shares, from spoke's
    /// journal): where the share stands.
    pub share_status: BTreeMap<String, Answer<ShareProgress>>,
}

/// The name of the role a LAUNCH constraint uses in `account`, if the
/// role lives there (a `RoleArn` of another account cannot be asked).
pub fn role_in(role: &LaunchRole, account: &str) -> Option<String> {
    match role {
        LaunchRole::LocalRoleName(name) => Some(name.clone()),
        LaunchRole::RoleArn(arn) if account_of_arn(arn) == Some(account) => {
            arn.rsplit('/').next().map(str::to_string)
        }
        LaunchRole::RoleArn(_) => None,
    }
}

/// Connects to every member of `selection`, scans each and makes the
/// extra reads, [`ACCOUNTS_AT_ONCE`] accounts at a time; `offers` names
/// the organization shares whose status to read.
pub async fn gather(
    source: &ProfileSource,
    selection: &Selection,
    region: Option<&str>,
    log: CallLog,
    offers: &Offers,
) -> Result<Vec<AccountFacts>, AwsError> {
    let members = fleet::connect(source, selection, region, log).await?;
    Ok(
        futures::stream::iter(members.into_iter().map(|m| account(m, offers)))
            .buffered(ACCOUNTS_AT_ONCE)
            .collect()
            .await,
    )
}

async fn account(member: Member, offers: &Offers) -> AccountFacts {
    let mut facts = AccountFacts {
        label: member.label.clone(),
        account: member.account.clone(),
        ..AccountFacts::default()
    };
    let reader = match &member.reach {
        Ok((_, reader)) => reader,
        Err(e) => {
            facts.unreachable = Some(e.to_string());
            return facts;
        }
    };
    match scan(reader).await {
        Ok(inventory) => {
            facts.account = Some(inventory.account.clone());
            let tokens = offers.tokens_of(&inventory.account, &inventory.region);
            facts.extra = extra(reader, &inventory, tokens).await;
            facts.inventory = Some(inventory);
        }
        Err(e) => facts.unreachable = Some(e.to_string()),
    }
    facts
}

/// The extra reads of one scanned account; `tokens`: its organization
/// shares to follow.
pub async fn extra(reader: &Reader, inv: &Inventory, tokens: Vec<String>) -> Extra {
    let roles: BTreeSet<String> = inv
        .constraints
        .iter()
        .filter(|c| c.kind == ConstraintKind::Launch)
        .filter_map(|c| match &c.params {
            Some(ConstraintParams::Launch { role }) => role_in(role, &inv.account),
            _ => None,
        })
        .collect();
    let stacks: Vec<(String, String)> = inv
        .provisioned
        .iter()
        .filter_map(|p| Some((p.id.clone(), p.stack_arn.clone()?)))
        .collect();
    let changing: Vec<(String, String)> = inv
        .provisioned
        .iter()
        .filter(|p| p.status == PpStatus::UnderChange)
        .filter_map(|p| Some((p.id.clone(), p.last_record_id.clone()?)))
        .collect();
    let templated: BTreeSet<String> = inv
        .constraints
        .iter()
        .filter(|c| c.kind == ConstraintKind::Template)
        .map(|c| c.product_id.clone())
        .collect();
    let latest: Vec<(String, String)> = templated
        .into_iter()
        .filter_map(|id| {
            let v = inv.product(&id)?.latest_version()?;
            Some((id, v.id.clone()))
        })
        .collect();
    let line = |e: AwsError| e.to_string();
    let (roles, stacks, changing, latest, shares) = futures::join!(
        concurrently(roles, |name| async move {
            let r = reader.role(&name).await.map_err(line);
            (name, r)
        }),
        concurrently(stacks, |(pp, stack)| async move {
            let r = reader
                .stack_state(&stack)
                .await
                .map(|s| s.is_some_and(|s| s.status != "DELETE_COMPLETE"))
                .map_err(line);
            (pp, r)
        }),
        concurrently(changing, |(pp, record)| async move {
            let r = reader
                .record(&record)
                .await
                .map(|r| r.created)
                .map_err(line);
            (pp, r)
        }),
        concurrently(latest, |(product, version)| async move {
            let r = reader
                .version_parameter_keys(&product, &version)
                .await
                .map_err(line);
            (product, r)
        }),
        concurrently(tokens, |token| async move {
            let r = reader.share_progress(&token).await.map_err(line);
            (token, r)
        }),
    );
    Extra {
        roles: roles.into_iter().collect(),
        stacks: stacks.into_iter().collect(),
        changing_since: changing.into_iter().collect(),
        latest_parameters: latest.into_iter().collect(),
        share_status: shares.into_iter().collect(),
    }
}
