//! Portfolios of a world file: their products (each reachable by the owner),
//! their shares (exactly one principal each) and their constraints.

use super::error::WorldError;
use super::names::{Names, region_of};
use super::schema::{ConstraintFile, PortfolioFile, ShareFile};
use crate::sandbox::world::ids::named_id;
use crate::sandbox::world::{
    Constraint, Portfolio, SeededOffer, Share, ShareKind, ShareOperation, World,
};

/// The constraint types Service Catalog knows (CreateConstraint's Type).
const CONSTRAINT_TYPES: [&str; 5] = [
    "LAUNCH",
    "NOTIFICATION",
    "RESOURCE_UPDATE",
    "STACKSET",
    "TEMPLATE",
];

pub(super) fn portfolios(
    n: &mut Names<'_>,
    w: &mut World,
    list: &[PortfolioFile],
) -> Result<(), WorldError> {
    let src = n.src;
    let mut pending_constraints = Vec::new();
    for p in list {
        let owner = n.account(&p.account)?;
        let id = named_id("port", &[&owner, p.name.get_ref()]);
        if n.portfolios
            .insert((owner.clone(), p.name.get_ref().clone()), id.clone())
            .is_some()
        {
            return Err(src.on(
                &p.name,
                format!(
                    "portfolio `{}` is declared twice in this account",
                    p.name.get_ref()
                ),
            ));
        }
        let products = p
            .products
            .iter()
            .map(|s| n.product(s))
            .collect::<Result<Vec<_>, _>>()?;
        let mut shares = Vec::new();
        for s in &p.shares {
            if let Some(share) = share(n, w, p, &owner, &id, s)? {
                shares.push(share);
            }
        }
        for c in &p.constraints {
            pending_constraints.push((owner.clone(), id.clone(), c));
        }
        w.portfolios.insert(
            id.clone(),
            Portfolio {
                id,
                region: region_of(w, &owner),
                owner,
                name: p.name.get_ref().clone(),
                description: p.description.clone(),
                provider: p.provider.clone(),
                created: n.age(p.created_ago.as_ref(), 400)?,
                products,
                shares,
                tag_options: n.tag_ids(&p.tag_options)?,
                principals: principals(n.src, &p.principals)?,
                tags: Vec::new(),
            },
        );
    }
    reachable(n, w, list)?;
    for (owner, portfolio_id, c) in pending_constraints {
        constraint(n, w, owner, portfolio_id, c)?;
    }
    Ok(())
}

/// One share of portfolio `id`, owned by `owner`; an accepted account share
/// imports it into that account. One `ended_in_error` is no share: its
/// operation ended ERROR. One `offered_ago` is seeded in spoke's journal.
fn share(
    n: &Names<'_>,
    w: &mut World,
    p: &PortfolioFile,
    owner: &str,
    id: &str,
    s: &ShareFile,
) -> Result<Option<Share>, WorldError> {
    let src = n.src;
    let chosen = usize::from(s.account.is_some())
        + usize::from(s.ou.is_some())
        + usize::from(s.organization);
    if chosen != 1 {
        return Err(src.on(
            &p.name,
            "each share names exactly one of: account, ou, organization = true",
        ));
    }
    let (kind, principal) = if let Some(a) = &s.account {
        let to = n.account(a)?;
        if to == owner {
            return Err(src.on(a, "a portfolio cannot be shared with its own account"));
        }
        if s.accepted
            && let Some(acc) = w.accounts.get_mut(&to)
        {
            acc.accepted.insert(id.to_string());
        }
        (ShareKind::Account, to)
    } else if let Some(ou) = &s.ou {
        let org = w
            .organization
            .as_ref()
            .ok_or_else(|| src.on(ou, "an OU share needs an [organization]"))?;
        let found = org
            .ous
            .iter()
            .find(|o| o.name == *ou.get_ref())
            .ok_or_else(|| {
                src.on(
                    ou,
                    format!(
                        "unknown OU `{}`; declare it under [[organization.ous]]",
                        ou.get_ref()
                    ),
                )
            })?;
        (ShareKind::OrganizationalUnit, found.id.clone())
    } else {
        let org = w
            .organization
            .as_ref()
            .ok_or_else(|| src.on(&p.name, "an organization share needs an [organization]"))?;
        (ShareKind::Organization, org.id.clone())
    };
    let offered = match &s.offered_ago {
        Some(ago) => Some(n.age(Some(ago), 0)?),
        None => None,
    };
    let token = (kind != ShareKind::Account).then(|| named_id("share", &[id, &principal]));
    if let Some(message) = &s.ended_in_error {
        if kind == ShareKind::Account {
            return Err(src.on(
                &p.name,
                "ended_in_error is for an organization or OU share (an account share has no status to follow)",
            ));
        }
        let accounts = w.accounts_under(kind, &principal);
        let token = token.clone().unwrap_or_default();
        w.share_operations.insert(
            token.clone(),
            ShareOperation {
                token,
                portfolio_id: id.to_string(),
                node_value: principal.clone(),
                started: offered.unwrap_or(n.now),
                failures: accounts
                    .iter()
                    .map(|a| (a.clone(), message.clone()))
                    .collect(),
                accounts,
            },
        );
    }
    if let Some(time) = offered {
        w.seeded_offers.push(SeededOffer {
            owner: owner.to_string(),
            region: region_of(w, owner),
            portfolio_id: id.to_string(),
            kind,
            principal: principal.clone(),
            time,
            token: token.filter(|_| s.ended_in_error.is_some()),
        });
    }
    if s.ended_in_error.is_some() {
        return Ok(None);
    }
    Ok(Some(Share {
        kind,
        principal,
        share_tag_options: s.share_tag_options,
        share_principals: s.share_principals,
    }))
}

/// Products a spoke puts in its local portfolios must be reachable by it.
fn reachable(n: &Names<'_>, w: &World, list: &[PortfolioFile]) -> Result<(), WorldError> {
    for p in list {
        let owner = n.account(&p.account)?;
        let region = region_of(w, &owner);
        let reachable = w.visible_product_ids(&owner, &region);
        for name in &p.products {
            let pid = n.product(name)?;
            let own = w
                .products
                .get(&pid)
                .is_some_and(|x| x.owner_account == owner);
            if !own && !reachable.contains(&pid) {
                return Err(n.src.on(name, format!(
                    "product `{}` belongs to another account and no portfolio shared with `{}` and imported by it holds it",
                    name.get_ref(),
                    p.account.get_ref()
                )));
            }
        }
    }
    Ok(())
}

fn constraint(
    n: &Names<'_>,
    w: &mut World,
    owner: String,
    portfolio_id: String,
    c: &ConstraintFile,
) -> Result<(), WorldError> {
    let src = n.src;
    let ctype = c.constraint_type.get_ref();
    if !CONSTRAINT_TYPES.contains(&ctype.as_str()) {
        return Err(src.on(
            &c.constraint_type,
            format!(
                "constraint type `{ctype}` must be one of {}",
                CONSTRAINT_TYPES.join(", ")
            ),
        ));
    }
    let pid = n.product(&c.product)?;
    if !w
        .portfolios
        .get(&portfolio_id)
        .is_some_and(|p| p.products.contains(&pid))
    {
        return Err(src.on(
            &c.product,
            format!("product `{}` is not in this portfolio", c.product.get_ref()),
        ));
    }
    let id = named_id("cons", &[&portfolio_id, &pid, ctype]);
    if w.constraints.contains_key(&id) {
        return Err(src.on(
            &c.constraint_type,
            format!("a {ctype} constraint is already set on this product in this portfolio"),
        ));
    }
    w.constraints.insert(
        id.clone(),
        Constraint {
            id,
            owner,
            portfolio_id,
            product_id: pid,
            constraint_type: ctype.clone(),
            description: c.description.clone(),
            parameters: c.parameters.to_string(),
        },
    );
    Ok(())
}

/// A portfolio's `principals`: IAM ARNs of roles, users or groups.
fn principals(
    src: &super::error::Source<'_>,
    list: &[toml::Spanned<String>],
) -> Result<Vec<crate::sandbox::world::Principal>, WorldError> {
    list.iter()
        .map(|arn| {
            let a = arn.get_ref();
            let ok = a.starts_with("arn:aws:iam::")
                && [":role/", ":user/", ":group/"].iter().any(|k| a.contains(k));
            if !ok {
                return Err(src.on(
                    arn,
                    format!("`{a}` is not an IAM role, user or group ARN (arn:aws:iam::ACCOUNT:role/NAME)"),
                ));
            }
            Ok(crate::sandbox::world::Principal {
                arn: a.clone(),
                kind: "IAM".into(),
            })
        })
        .collect()
}
