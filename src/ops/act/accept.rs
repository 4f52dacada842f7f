//! Accept a portfolio share in a spoke, then (as hub-and-spoke does) add
//! its products to a local portfolio with the spoke's own launch role.
//!
//! AWS has no call listing the account shares waiting for a recipient;
//! [`pending_shares`] asks each hub profile the operator also has which
//! of its portfolios are shared with this account and not yet accepted.

use sha2::{Digest, Sha256};

use super::ActError;
use crate::aws::{Reader, Writer};
use crate::model::{FieldError, LaunchRole, Product, ShareKind, ShareType};

/// A share offered to this account by a hub the operator can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingShare {
    pub portfolio_id: String,
    pub portfolio_name: String,
    /// The profile it was seen from, and that profile's account.
    pub owner_profile: String,
    pub owner_account: String,
    pub share_type: ShareType,
}

/// The shares offered to `conn`'s account, as every other profile sees
/// them in `region` (none: each profile's own), and why the profiles that
/// could not be read were not.
pub async fn pending(
    sessions: &crate::ops::Sessions,
    conn: &crate::ops::Connected,
    region: Option<&str>,
) -> (Vec<PendingShare>, Vec<String>) {
    let (hubs, mut problems) = sessions.others(conn, region).await;
    let (shares, unread) = pending_shares(&conn.identity().account_id, &hubs).await;
    problems.extend(unread);
    (shares, problems)
}

/// The shares offered to `account` by the portfolios of `hubs` (other
/// profiles' readers), account shares not yet accepted. A hub that cannot
/// be read is reported, not dropped silently.
pub async fn pending_shares(account: &str, hubs: &[Reader]) -> (Vec<PendingShare>, Vec<String>) {
    let per_hub = crate::aws::read::concurrently(hubs, |hub| async move {
        let owner = hub.account().await?;
        if owner == account {
            return Ok(Vec::new());
        }
        let portfolios = hub.list_local_portfolios().await?;
        let shares = crate::aws::read::concurrently(&portfolios, |p| async move {
            hub.list_shares(&p.id).await.map(|s| (p, s))
        })
        .await;
        let mut found = Vec::new();
        for result in shares {
            let (portfolio, shares) = result?;
            let offered = shares
                .iter()
                .any(|s| s.kind == ShareKind::Account && s.principal == account && !s.accepted);
            if offered {
                found.push(PendingShare {
                    portfolio_id: portfolio.id.clone(),
                    portfolio_name: portfolio.name.clone(),
                    owner_profile: hub.profile().to_string(),
                    owner_account: owner.clone(),
                    share_type: ShareType::Account,
                });
            }
        }
        Ok::<_, crate::aws::AwsError>(found)
    })
    .await;
    let mut pending = Vec::new();
    let mut problems = Vec::new();
    for (hub, result) in hubs.iter().zip(per_hub) {
        match result {
            Ok(found) => pending.extend(found),
            Err(e) => problems.push(format!("{}: {e}", hub.profile())),
        }
    }
    pending.sort_by(|a, b| a.portfolio_name.cmp(&b.portfolio_name));
    pending.dedup_by(|a, b| a.portfolio_id == b.portfolio_id);
    (pending, problems)
}

/// The portfolio `wanted` names, by id or by name: an id is taken as it
/// is; a name is looked up among the portfolios this account imported and
/// the shares offered to it (as the other profiles see them). Its id and
/// name, or why not (none or several of that name, with the candidates).
pub async fn find_portfolio(
    sessions: &crate::ops::Sessions,
    conn: &crate::ops::Connected,
    region: Option<&str>,
    wanted: &str,
) -> Result<(String, Option<String>), ActError> {
    if check_portfolio_id(wanted).is_ok() {
        return Ok((wanted.to_string(), None));
    }
    let imported = conn.reader().list_imported_portfolios().await;
    let (offered, _) = pending(sessions, conn, region).await;
    let mut known: Vec<(String, String)> = imported
        .unwrap_or_default()
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    for s in offered {
        if !known.iter().any(|(id, _)| *id == s.portfolio_id) {
            known.push((s.portfolio_id, s.portfolio_name));
        }
    }
    let (id, name) = super::pick(
        &known,
        wanted,
        "portfolio offered or imported",
        |(id, _)| id,
        |(_, name)| name,
    )?;
    Ok((id.clone(), Some(name.clone())))
}

/// A portfolio id as AWS writes them: `port-` and 12 to 100 letters or digits.
pub fn check_portfolio_id(id: &str) -> Result<(), String> {
    let ok = id.strip_prefix("port-").is_some_and(|rest| {
        (1..=100).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{} is not a portfolio id (port- followed by letters and digits)",
            crate::model::launch::shown(id)
        ))
    }
}

/// Accepts the share of `portfolio_id`.
pub async fn accept(
    writer: &Writer,
    portfolio_id: &str,
    share_type: ShareType,
) -> Result<(), ActError> {
    check_portfolio_id(portfolio_id)
        .map_err(|m| ActError::Invalid(vec![FieldError::new("portfolio", m)]))?;
    writer.accept_share(portfolio_id, share_type).await?;
    Ok(())
}

/// A launch role as typed: an IAM role ARN, or a role name every spoke has.
pub fn parse_role(text: &str) -> Result<LaunchRole, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(
            "a launch role is required: a role name (e.g. SCLaunchRole) or a role ARN".into(),
        );
    }
    if let Some(rest) = text.strip_prefix("arn:") {
        let parts: Vec<&str> = rest.splitn(5, ':').collect();
        let ok = matches!(parts.as_slice(), [_, "iam", "", account, resource]
            if account.len() == 12
                && account.bytes().all(|b| b.is_ascii_digit())
                && resource.strip_prefix("role/").is_some_and(|n| !n.is_empty()));
        return if ok {
            Ok(LaunchRole::RoleArn(text.to_string()))
        } else {
            Err(format!(
                "{} is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)",
                crate::model::launch::shown(text)
            ))
        };
    }
    let valid = text.len() <= 64
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    if valid {
        Ok(LaunchRole::LocalRoleName(text.to_string()))
    } else {
        Err(format!(
            "{} is not a role name (up to 64 letters, digits and +=,.@_-)",
            crate::model::launch::shown(text)
        ))
    }
}

/// Adding an imported portfolio's products to a local portfolio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddPlan {
    pub imported_portfolio_id: String,
    pub local_portfolio_id: String,
    pub local_portfolio_name: String,
    pub role: LaunchRole,
    pub products: Vec<(String, String)>,
    /// Products already in the local portfolio (not associated again).
    pub in_local: Vec<String>,
    /// Products that have a launch constraint there already (none is
    /// added: AWS allows one per product and portfolio).
    pub constrained: Vec<String>,
    /// The local portfolio is created first (`local_portfolio_id` is then
    /// empty until it is).
    pub create_local: Option<super::portfolio::CreatePlan>,
    /// Principals given the right to launch from the local portfolio
    /// (those it has already are left out).
    pub principals: Vec<crate::model::Principal>,
}

impl AddPlan {
    /// Nothing would be sent: every product is there, constrained.
    pub fn is_empty(&self) -> bool {
        self.create_local.is_none()
            && self.principals.is_empty()
            && self
                .products
                .iter()
                .all(|(id, _)| self.in_local.contains(id) && self.constrained.contains(id))
    }

    pub fn lines(&self) -> Vec<String> {
        let role = match &self.role {
            LaunchRole::RoleArn(arn) => arn.clone(),
            LaunchRole::LocalRoleName(name) => format!("{name} (in each account)"),
        };
        let local = &self.local_portfolio_name;
        let created = self.create_local.iter().flat_map(|c| c.lines());
        let principals = self
            .principals
            .iter()
            .map(|p| format!("let {} ({}) launch from {local}", p.arn, p.kind));
        let products: Vec<String> = self
            .products
            .iter()
            .map(
                |(id, name)| match (self.in_local.contains(id), self.constrained.contains(id)) {
                    (false, false) => {
                        format!("add {name} to {local} with a launch constraint: role {role}")
                    }
                    (false, true) => format!(
                        "add {name} to {local} (it has a launch constraint there already: kept)"
                    ),
                    (true, false) => format!(
                        "{name} is in {local} already: give it a launch constraint, role {role}"
                    ),
                    (true, true) => {
                        format!("left out: {name} is in {local} already, with a launch constraint")
                    }
                },
            )
            .collect();
        created.chain(products).chain(principals).collect()
    }

    /// The idempotency token of one product's constraint: the same plan
    /// run twice creates one constraint.
    fn token(&self, product_id: &str) -> String {
        let mut hash = Sha256::new();
        hash.update(self.local_portfolio_id.as_bytes());
        hash.update(b"/");
        hash.update(product_id.as_bytes());
        format!("spoke-{}", &hex::encode(hash.finalize())[..32])
    }
}

/// Where the products go: a local portfolio by id or name, created when
/// `create` and there is none of that name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalTarget {
    pub wanted: String,
    pub create: bool,
    /// Principals to let launch from it: ARNs, `role/NAME`, patterns.
    pub principals: Vec<String>,
}

impl LocalTarget {
    pub fn existing(wanted: &str) -> Self {
        Self {
            wanted: wanted.to_string(),
            ..Self::default()
        }
    }
}

/// Plans adding the products of an imported portfolio to a local one.
pub async fn plan_add(
    reader: &Reader,
    imported_portfolio_id: &str,
    local_portfolio_id: &str,
    role: &str,
) -> Result<AddPlan, ActError> {
    plan_add_to(
        reader,
        imported_portfolio_id,
        &LocalTarget::existing(local_portfolio_id),
        role,
    )
    .await
}

/// [`plan_add`] into `target`, which may be created and given principals.
pub async fn plan_add_to(
    reader: &Reader,
    imported_portfolio_id: &str,
    target: &LocalTarget,
    role: &str,
) -> Result<AddPlan, ActError> {
    let role = parse_role(role).map_err(|m| ActError::Invalid(vec![FieldError::new("role", m)]))?;
    let account = reader.account().await?;
    let partition = reader.caller_identity().await?.arn;
    let partition = partition.split(':').nth(1).unwrap_or("aws").to_string();
    let principals: Vec<crate::model::Principal> = target
        .principals
        .iter()
        .map(|p| crate::model::Principal::parse(p, &account, &partition))
        .collect::<Result<_, _>>()
        .map_err(|m| ActError::Invalid(vec![FieldError::new("principal", m)]))?;
    let locals = reader.list_local_portfolios().await?;
    let found = super::pick(
        &locals,
        &target.wanted,
        "local portfolio",
        |p| &p.id,
        |p| &p.name,
    );
    let (local, create_local) = match found {
        Ok(local) => (Some(local.clone()), None),
        Err(ActError::Refused(why)) if target.create && !why.starts_with("more than one") => {
            let plan = super::portfolio::plan_create(
                reader,
                &target.wanted,
                reader.profile(),
                Some("Imported products, with this account's launch constraints"),
            )
            .await?;
            (None, Some(plan))
        }
        Err(ActError::Refused(why)) if !target.create && !why.starts_with("more than one") => {
            return Err(ActError::Refused(format!(
                "{why} — or create it: in the console pick “new local portfolio”, headless add --create"
            )));
        }
        Err(e) => return Err(e),
    };
    let products: Vec<Product> = reader.list_products_in(imported_portfolio_id).await?;
    if products.is_empty() {
        return Err(ActError::Refused(format!(
            "portfolio {imported_portfolio_id} holds no products this account can see yet"
        )));
    }
    // What is there already: the local portfolio's products, its launch
    // constraints and its principals (none for one still to create).
    let (in_local, constrained, present) = match &local {
        Some(local) => {
            let (in_local, constraints, present) = tokio::join!(
                reader.list_products_in(&local.id),
                reader.list_constraints(&local.id),
                reader.list_principals(&local.id)
            );
            let in_local: Vec<String> = in_local?.into_iter().map(|p| p.id).collect();
            let constrained: Vec<String> = constraints?
                .into_iter()
                .filter(|c| c.kind == crate::model::ConstraintKind::Launch)
                .map(|c| c.product_id)
                .collect();
            (in_local, constrained, present?)
        }
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    let principals = principals
        .into_iter()
        .filter(|p| !present.iter().any(|x| x.arn == p.arn))
        .collect();
    let products: Vec<(String, String)> = products.into_iter().map(|p| (p.id, p.name)).collect();
    Ok(AddPlan {
        imported_portfolio_id: imported_portfolio_id.to_string(),
        local_portfolio_id: local.as_ref().map(|l| l.id.clone()).unwrap_or_default(),
        local_portfolio_name: local
            .as_ref()
            .map(|l| l.name.clone())
            .unwrap_or_else(|| target.wanted.trim().to_string()),
        create_local,
        principals,
        role,
        in_local: in_local
            .into_iter()
            .filter(|id| products.iter().any(|(p, _)| p == id))
            .collect(),
        constrained: constrained
            .into_iter()
            .filter(|id| products.iter().any(|(p, _)| p == id))
            .collect(),
        products,
    })
}

/// Associates each product, then gives it the launch constraint. A
/// product that already has a launch constraint there keeps it.
pub async fn apply_add(writer: &Writer, plan: &AddPlan) -> Result<Vec<String>, ActError> {
    let mut lines = Vec::new();
    let mut plan = plan.clone();
    if let Some(create) = &plan.create_local {
        let id = super::portfolio::create(writer, create).await?;
        lines.push(format!(
            "created the local portfolio {} ({id})",
            create.name
        ));
        plan.local_portfolio_id = id;
    }
    let plan = &plan;
    for (id, name) in &plan.products {
        let (there, constrained) = (plan.in_local.contains(id), plan.constrained.contains(id));
        if there && constrained {
            lines.push(format!(
                "{name}: left out — there already, with a launch constraint"
            ));
            continue;
        }
        if !there
            && let Err(e) = writer
                .associate_product(
                    id,
                    &plan.local_portfolio_id,
                    Some(&plan.imported_portfolio_id),
                )
                .await
        {
            match e {
                crate::aws::WriteError::Journal(e) => return Err(e.into()),
                crate::aws::WriteError::Aws(e) => {
                    lines.push(format!("{name}: FAILED to add — {e}"));
                    continue;
                }
            }
        }
        if constrained {
            lines.push(format!(
                "{name}: added; its launch constraint there is kept"
            ));
            continue;
        }
        let token = plan.token(id);
        match writer
            .create_launch_constraint(&plan.local_portfolio_id, id, &plan.role, &token)
            .await
        {
            Ok(constraint) => lines.push(format!("{name}: added, launch constraint {constraint}")),
            Err(crate::aws::WriteError::Aws(crate::aws::AwsError::Service { code, .. }))
                if code == "DuplicateResourceException" =>
            {
                lines.push(format!(
                    "{name}: added; it already had a launch constraint there"
                ))
            }
            Err(crate::aws::WriteError::Journal(e)) => return Err(e.into()),
            Err(crate::aws::WriteError::Aws(e)) => lines.push(format!(
                "{name}: added, but the launch constraint FAILED — {e}"
            )),
        }
    }
    for p in &plan.principals {
        match writer
            .set_principal(&plan.local_portfolio_id, &p.arn, &p.kind, true)
            .await
        {
            Ok(()) => lines.push(format!(
                "{} may launch from {}",
                p.arn, plan.local_portfolio_name
            )),
            Err(crate::aws::WriteError::Journal(e)) => return Err(e.into()),
            Err(crate::aws::WriteError::Aws(e)) => {
                lines.push(format!("principal {}: FAILED — {e}", p.arn))
            }
        }
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_names_or_arns() {
        assert_eq!(
            parse_role(" SCLaunchRole ").unwrap(),
            LaunchRole::LocalRoleName("SCLaunchRole".into())
        );
        assert_eq!(
            parse_role("arn:aws:iam::222233334444:role/SCLaunch").unwrap(),
            LaunchRole::RoleArn("arn:aws:iam::222233334444:role/SCLaunch".into())
        );
        assert!(parse_role("").is_err());
        assert!(parse_role("arn:aws:iam::2222:role/x").is_err());
        assert!(parse_role("arn:aws:s3:::bucket").is_err());
        assert!(parse_role("has space").is_err());
    }

    #[test]
    fn portfolio_ids_are_checked() {
        assert!(check_portfolio_id("port-abc123def456").is_ok());
        assert!(check_portfolio_id("prod-abc").is_err());
        assert!(check_portfolio_id("port-").is_err());
        assert!(check_portfolio_id("port-a b").is_err());
    }

    #[test]
    fn the_add_plan_says_what_is_there_already() {
        let plan = AddPlan {
            imported_portfolio_id: "port-hub".into(),
            local_portfolio_id: "port-local".into(),
            local_portfolio_name: "Local".into(),
            role: LaunchRole::LocalRoleName("SCLaunchRole".into()),
            products: vec![
                ("prod-1".into(), "VPC".into()),
                ("prod-2".into(), "DynamoDB Table".into()),
                ("prod-3".into(), "S3 Bucket".into()),
            ],
            in_local: vec!["prod-2".into(), "prod-3".into()],
            constrained: vec!["prod-3".into()],
            create_local: None,
            principals: Vec::new(),
        };
        assert_eq!(
            plan.lines(),
            [
                "add VPC to Local with a launch constraint: role SCLaunchRole (in each account)",
                "DynamoDB Table is in Local already: give it a launch constraint, role SCLaunchRole (in each account)",
                "left out: S3 Bucket is in Local already, with a launch constraint",
            ]
        );
        assert!(!plan.is_empty());
        let done = AddPlan {
            in_local: vec!["prod-1".into(), "prod-2".into(), "prod-3".into()],
            constrained: vec!["prod-1".into(), "prod-2".into(), "prod-3".into()],
            ..plan
        };
        assert!(done.is_empty());
    }

    #[test]
    fn the_same_plan_gives_the_same_tokens() {
        let plan = AddPlan {
            imported_portfolio_id: "port-hub".into(),
            local_portfolio_id: "port-local".into(),
            local_portfolio_name: "Local".into(),
            role: LaunchRole::LocalRoleName("SCLaunchRole".into()),
            products: vec![("prod-1".into(), "VPC".into())],
            in_local: vec![],
            constrained: vec![],
            create_local: None,
            principals: Vec::new(),
        };
        assert_eq!(plan.token("prod-1"), plan.clone().token("prod-1"));
        assert_ne!(plan.token("prod-1"), plan.token("prod-2"));
        assert!(plan.token("prod-1").len() <= 128);
    }
}
