//! A world from TOML (`assets/sandbox/*.toml`). Mistakes are reported with the
//! file, line and column, and what was expected.
//!
//! Names tie the file together: accounts by `name`, products by `name`,
//! OUs by `name`, versions by `name` within their product. Ids are derived
//! from names, so they are the same on every run. Times are given as ages
//! (`"40d"`, `"3h"`, `"90s"`) before the moment the world is loaded.
//!
//! Beyond the catalog, a world may say (every field optional, see
//! `assets/sandbox/default.toml` for examples):
//!
//! - on `[organization]`: `delegated_administrators = ["name", …]`, member
//!   accounts that may call Organizations' ListAccounts like the management account;
//! - on `[[accounts]]`: `email`, `status` (`ACTIVE`, `SUSPENDED`,
//!   `PENDING_CLOSURE`), `joined` (`CREATED`, `INVITED`; by default the
//!   management account INVITED, the others CREATED), `joined_ago`,
//!   `in_organization = false` (an account outside the organization),
//!   `end_user_full_access = true` (the caller holds
//!   AWSServiceCatalogEndUserFullAccess; `end_user_only = true` is
//!   AWSServiceCatalogEndUserReadOnlyAccess), and `[[accounts.roles]]`: IAM
//!   roles others may assume (`name`, `trusted = ["account", …]`,
//!   `max_session_seconds`). Every member account but the management one
//!   also has `OrganizationAccountAccessRole`, trusted by the management account;
//! - on a version's resource: `replacement = "TRUE" | "CONDITIONAL" | "FALSE"`,
//!   how updating to this version changes the resource (TRUE: it is deleted
//!   and created anew, with a new physical id), and `properties = ["…"]`, the
//!   properties it changes. Plans report them; updates replace TRUE resources.

mod identity;

use std::collections::BTreeMap;
use std::fmt;

use chrono::Duration;
use serde::Deserialize;
use toml::Spanned;

use super::world::ids::{named_id, stable_hash};
use super::world::provisioning::{Change, Launch};
use super::world::{
    Account, Constraint, IdGen, Organization, OrganizationalUnit, Parameter, Portfolio, Product,
    Share, ShareKind, TagOption, Template, TemplateOutput, TemplateResource, Time, Version, World,
};

/// A mistake in a world file: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for WorldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for WorldError {}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorldFile {
    pub organization: Option<OrgFile>,
    #[serde(default)]
    pub accounts: Vec<AccountFile>,
    #[serde(default)]
    pub tag_options: Vec<TagOptionFile>,
    #[serde(default)]
    pub products: Vec<ProductFile>,
    #[serde(default)]
    pub portfolios: Vec<PortfolioFile>,
    #[serde(default)]
    pub provisioned: Vec<ProvisionedFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgFile {
    /// `o-` followed by 10 to 32 lower-case letters or digits.
    pub id: Spanned<String>,
    pub management_account: Spanned<String>,
    #[serde(default)]
    pub delegated_administrators: Vec<Spanned<String>>,
    #[serde(default)]
    pub ous: Vec<OuFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OuFile {
    pub id: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub accounts: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountFile {
    pub name: Spanned<String>,
    pub id: Spanned<String>,
    #[serde(default = "default_region")]
    pub region: String,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    /// The caller, as the tail of its ARN: `assumed-role/PlatformAdmin/alice` or `user/bob`.
    pub caller: Option<String>,
    /// The caller holds AWSServiceCatalogEndUserReadOnlyAccess only.
    #[serde(default)]
    pub end_user_only: bool,
    /// The caller holds AWSServiceCatalogEndUserFullAccess only.
    #[serde(default)]
    pub end_user_full_access: bool,
    pub email: Option<Spanned<String>>,
    #[serde(default)]
    pub status: identity::StatusFile,
    pub joined: Option<identity::JoinedFile>,
    pub joined_ago: Option<Spanned<String>>,
    #[serde(default = "yes")]
    pub in_organization: bool,
    #[serde(default)]
    pub roles: Vec<identity::RoleFile>,
}

fn default_region() -> String {
    "us-east-1".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagOptionFile {
    pub account: Spanned<String>,
    pub key: String,
    pub value: String,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductFile {
    pub account: Spanned<String>,
    pub name: Spanned<String>,
    pub owner: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub distributor: String,
    #[serde(default)]
    pub support_email: String,
    #[serde(default = "default_product_type", rename = "type")]
    pub product_type: String,
    pub created_ago: Option<Spanned<String>>,
    /// TagOptions as `key=value`.
    #[serde(default)]
    pub tag_options: Vec<Spanned<String>>,
    pub versions: Vec<VersionFile>,
}

fn default_product_type() -> String {
    "CLOUD_FORMATION_TEMPLATE".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionFile {
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: String,
    pub created_ago: Spanned<String>,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub deprecated: bool,
    pub resources: Vec<ResourceFile>,
    #[serde(default)]
    pub parameters: Vec<ParameterFile>,
    #[serde(default)]
    pub outputs: Vec<OutputFile>,
    /// A resource of this version that fails to deploy (a broken version).
    pub fails_on: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceFile {
    pub id: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    #[serde(default = "default_seconds")]
    pub seconds: u32,
    /// How updating to this version changes the resource.
    pub replacement: Option<identity::ReplacementFile>,
    /// The properties this version changes on the resource.
    #[serde(default)]
    pub properties: Vec<String>,
}

fn default_seconds() -> u32 {
    4
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterFile {
    pub key: String,
    #[serde(default = "default_param_type", rename = "type")]
    pub parameter_type: String,
    pub default: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub no_echo: bool,
    #[serde(default)]
    pub allowed_values: Vec<String>,
    pub allowed_pattern: Option<String>,
    pub constraint_description: Option<String>,
}

fn default_param_type() -> String {
    "String".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputFile {
    pub key: String,
    #[serde(default)]
    pub description: String,
    pub value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortfolioFile {
    pub account: Spanned<String>,
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: String,
    pub provider: String,
    pub created_ago: Option<Spanned<String>>,
    /// Product names; a spoke may name products it imported.
    #[serde(default)]
    pub products: Vec<Spanned<String>>,
    #[serde(default)]
    pub shares: Vec<ShareFile>,
    #[serde(default)]
    pub constraints: Vec<ConstraintFile>,
    #[serde(default)]
    pub tag_options: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareFile {
    /// An account name of the world.
    pub account: Option<Spanned<String>>,
    /// An OU name of the organization.
    pub ou: Option<Spanned<String>>,
    #[serde(default)]
    pub organization: bool,
    /// Whether the recipient accepted an account share.
    #[serde(default)]
    pub accepted: bool,
    #[serde(default)]
    pub share_tag_options: bool,
    #[serde(default)]
    pub share_principals: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConstraintFile {
    pub product: Spanned<String>,
    #[serde(rename = "type")]
    pub constraint_type: Spanned<String>,
    #[serde(default)]
    pub description: String,
    /// The constraint's parameters, as the JSON AWS stores (written as TOML).
    pub parameters: serde_json::Value,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvisionedFile {
    pub account: Spanned<String>,
    pub name: Spanned<String>,
    pub product: Spanned<String>,
    /// The portfolio it was launched through; the first that holds the product by default.
    pub portfolio: Option<Spanned<String>>,
    /// What happened to it: the launch first, then updates. A step on a broken
    /// version fails: a failed launch leaves it ERROR, a failed update TAINTED.
    pub history: Vec<StepFile>,
    /// An update still running when the world is loaded (UNDER_CHANGE).
    pub in_progress: Option<StepFile>,
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepFile {
    pub version: Spanned<String>,
    pub ago: Spanned<String>,
}

/// Turns source positions into lines and columns for messages.
struct Source<'a> {
    file: &'a str,
    text: &'a str,
}

impl Source<'_> {
    fn at(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> WorldError {
        let upto = &self.text[..span.start.min(self.text.len())];
        let line = upto.matches('\n').count() + 1;
        let column = upto.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        WorldError {
            file: self.file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }
    fn on<T>(&self, s: &Spanned<T>, message: impl Into<String>) -> WorldError {
        self.at(s.span(), message)
    }
}

/// Parses an age such as `40d`, `3h`, `15m`, `90s`.
pub fn parse_age(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit() && c != '.')?);
    let n: f64 = num.parse().ok()?;
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    let secs = match unit {
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        "d" => n * 86400.0,
        _ => return None,
    };
    Some(Duration::milliseconds((secs * 1000.0) as i64))
}

/// Keys of the account, derived from its id when the file gives none.
fn default_keys(id: &str) -> (String, String) {
    let h = stable_hash(&[id, "access-key"]);
    let access = format!("AKIASBX{:013}", h % 10_000_000_000_000);
    let mut secret = String::new();
    let mut x = stable_hash(&[id, "secret"]);
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for i in 0..40 {
        secret.push(CHARS[(x % 64) as usize] as char);
        x = stable_hash(&[&x.to_string(), &i.to_string()]);
    }
    (access, secret)
}

/// Loads a world file: parses, checks every reference, and plays the
/// provisioned products' histories so their stacks carry real events.
pub fn load(file: &str, text: &str, now: Time) -> Result<World, WorldError> {
    let src = Source { file, text };
    let parsed: WorldFile = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        src.at(span, e.message().to_string())
    })?;
    build(&src, parsed, now)
}

fn age(
    src: &Source<'_>,
    now: Time,
    s: &Option<Spanned<String>>,
    default_days: i64,
) -> Result<Time, WorldError> {
    match s {
        None => Ok(now - Duration::days(default_days)),
        Some(s) => parse_age(s.get_ref()).map(|d| now - d).ok_or_else(|| {
            src.on(
                s,
                format!(
                    "invalid age `{}`: expected a number and a unit, like 40d, 3h, 15m or 90s",
                    s.get_ref()
                ),
            )
        }),
    }
}

fn build(src: &Source<'_>, f: WorldFile, now: Time) -> Result<World, WorldError> {
    let mut w = World {
        ids: IdGen::new(stable_hash(&[src.file, "world"])),
        ..World::default()
    };
    let mut by_name: BTreeMap<String, String> = BTreeMap::new();
    for a in &f.accounts {
        let id = a.id.get_ref();
        if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(src.on(&a.id, format!("account id `{id}` must be 12 digits")));
        }
        if by_name
            .insert(a.name.get_ref().clone(), id.clone())
            .is_some()
        {
            return Err(src.on(
                &a.name,
                format!("account name `{}` is used twice", a.name.get_ref()),
            ));
        }
        if w.accounts.contains_key(id) {
            return Err(src.on(&a.id, format!("account id `{id}` is used twice")));
        }
        let (ak, sk) = default_keys(id);
        let caller = a
            .caller
            .clone()
            .unwrap_or_else(|| "assumed-role/ServiceCatalogAdmin/operator".into());
        let (kind, rest) = caller.split_once('/').unwrap_or(("user", caller.as_str()));
        let arn = if kind == "assumed-role" {
            format!("arn:aws:sts::{id}:assumed-role/{rest}")
        } else {
            format!("arn:aws:iam::{id}:{caller}")
        };
        let user_id = format!("AROA{:016X}", stable_hash(&[id, &caller]));
        let user_id = if kind == "assumed-role" {
            format!(
                "{}:{}",
                &user_id[..21.min(user_id.len())],
                rest.rsplit('/').next().unwrap_or("session")
            )
        } else {
            user_id.replacen("AROA", "AIDA", 1)
        };
        w.accounts.insert(
            id.clone(),
            Account {
                id: id.clone(),
                name: a.name.get_ref().clone(),
                region: a.region.clone(),
                access_key_id: a.access_key_id.clone().unwrap_or(ak),
                secret_access_key: a.secret_access_key.clone().unwrap_or(sk),
                caller_arn: arn,
                user_id,
                end_user: identity::end_user(src, a)?,
                accepted: Default::default(),
                in_organization: a.in_organization,
                email: identity::email(src, a)?,
                status: a.status.into(),
                joined_method: String::new(),
                joined: age(src, now, &a.joined_ago, 700)?,
                roles: Vec::new(),
            },
        );
    }
    let account = |s: &Spanned<String>| -> Result<String, WorldError> {
        by_name.get(s.get_ref()).cloned().ok_or_else(|| {
            let known: Vec<&str> = by_name.keys().map(String::as_str).collect();
            src.on(
                s,
                format!(
                    "unknown account `{}`; the accounts are: {}",
                    s.get_ref(),
                    known.join(", ")
                ),
            )
        })
    };
    let region_of = |w: &World, id: &str| {
        w.accounts
            .get(id)
            .map(|a| a.region.clone())
            .unwrap_or_else(default_region)
    };

    if let Some(o) = &f.organization {
        let id = o.id.get_ref();
        let valid = id.starts_with("o-")
            && (10..=32).contains(&(id.len() - 2))
            && id[2..]
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if !valid {
            return Err(src.on(
                &o.id,
                format!(
                    "organization id `{id}` must be `o-` and 10 to 32 lower-case letters or digits"
                ),
            ));
        }
        let mut ous = Vec::new();
        for ou in &o.ous {
            let oid = ou.id.get_ref();
            if !oid.starts_with("ou-") {
                return Err(src.on(
                    &ou.id,
                    format!("OU id `{oid}` must look like ou-abcd-12345678"),
                ));
            }
            let accounts = ou
                .accounts
                .iter()
                .map(&account)
                .collect::<Result<Vec<_>, _>>()?;
            ous.push(OrganizationalUnit {
                id: oid.clone(),
                name: ou.name.clone(),
                account_ids: accounts,
            });
        }
        w.organization = Some(Organization {
            id: id.clone(),
            management_account_id: account(&o.management_account)?,
            delegated_admins: Vec::new(),
            ous,
        });
    }
    identity::apply(src, &f, &mut w, &account)?;

    let mut tag_by_kv: BTreeMap<(String, String), String> = BTreeMap::new();
    for t in &f.tag_options {
        let owner = account(&t.account)?;
        let id = named_id("tag", &[&owner, &t.key, &t.value]);
        tag_by_kv.insert((t.key.clone(), t.value.clone()), id.clone());
        w.tag_options.insert(
            id.clone(),
            TagOption {
                id,
                owner,
                key: t.key.clone(),
                value: t.value.clone(),
                active: t.active,
            },
        );
    }
    let tag_ids = |list: &[Spanned<String>]| -> Result<Vec<String>, WorldError> {
        list.iter()
            .map(|s| {
                let (k, v) = s
                    .get_ref()
                    .split_once('=')
                    .ok_or_else(|| src.on(s, "a TagOption is written `key=value`"))?;
                tag_by_kv
                    .get(&(k.to_string(), v.to_string()))
                    .cloned()
                    .ok_or_else(|| {
                        src.on(
                            s,
                            format!(
                                "unknown TagOption `{}`: declare it under [[tag_options]] first",
                                s.get_ref()
                            ),
                        )
                    })
            })
            .collect()
    };

    let mut product_by_name: BTreeMap<String, String> = BTreeMap::new();
    for p in &f.products {
        let owner = account(&p.account)?;
        let id = named_id("prod", &[&owner, p.name.get_ref()]);
        if product_by_name
            .insert(p.name.get_ref().clone(), id.clone())
            .is_some()
        {
            return Err(src.on(
                &p.name,
                format!("product name `{}` is used twice", p.name.get_ref()),
            ));
        }
        let known_types = [
            "CLOUD_FORMATION_TEMPLATE",
            "MARKETPLACE",
            "TERRAFORM_OPEN_SOURCE",
            "TERRAFORM_CLOUD",
            "EXTERNAL",
        ];
        if !known_types.contains(&p.product_type.as_str()) {
            return Err(src.on(
                &p.name,
                format!(
                    "product `{}`: type must be one of {}",
                    p.name.get_ref(),
                    known_types.join(", ")
                ),
            ));
        }
        if p.versions.is_empty() {
            return Err(src.on(
                &p.name,
                format!("product `{}` needs at least one version", p.name.get_ref()),
            ));
        }
        let mut versions = Vec::new();
        for v in &p.versions {
            if versions
                .iter()
                .any(|x: &Version| x.name == *v.name.get_ref())
            {
                return Err(src.on(
                    &v.name,
                    format!(
                        "version `{}` is used twice in product `{}`",
                        v.name.get_ref(),
                        p.name.get_ref()
                    ),
                ));
            }
            if let Some(fo) = &v.fails_on
                && !v.resources.iter().any(|r| r.id == *fo.get_ref())
            {
                return Err(src.on(
                    fo,
                    format!(
                        "fails_on `{}` is not a resource of this version",
                        fo.get_ref()
                    ),
                ));
            }
            versions.push(Version {
                id: named_id("pa", &[&id, v.name.get_ref()]),
                name: v.name.get_ref().clone(),
                description: v.description.clone(),
                created: age(src, now, &Some(v.created_ago.clone()), 0)?,
                active: v.active,
                guidance: if v.deprecated {
                    "DEPRECATED"
                } else {
                    "DEFAULT"
                }
                .into(),
                template: Template {
                    resources: v
                        .resources
                        .iter()
                        .map(|r| TemplateResource {
                            logical_id: r.id.clone(),
                            resource_type: r.resource_type.clone(),
                            seconds: r.seconds,
                            replacement: r.replacement.map(Into::into),
                            properties: r.properties.clone(),
                        })
                        .collect(),
                    parameters: v
                        .parameters
                        .iter()
                        .map(|q| Parameter {
                            key: q.key.clone(),
                            parameter_type: q.parameter_type.clone(),
                            default: q.default.clone(),
                            description: q.description.clone(),
                            no_echo: q.no_echo,
                            allowed_values: q.allowed_values.clone(),
                            allowed_pattern: q.allowed_pattern.clone(),
                            constraint_description: q.constraint_description.clone(),
                        })
                        .collect(),
                    outputs: v
                        .outputs
                        .iter()
                        .map(|o| TemplateOutput {
                            key: o.key.clone(),
                            description: o.description.clone(),
                            value: o.value.clone(),
                        })
                        .collect(),
                },
                fails_on: v.fails_on.as_ref().map(|s| s.get_ref().clone()),
            });
        }
        let created = age(src, now, &p.created_ago, 365)?;
        w.products.insert(
            id.clone(),
            Product {
                view_id: named_id("prodview", &[&id]),
                id,
                region: region_of(&w, &owner),
                owner_account: owner,
                name: p.name.get_ref().clone(),
                owner: p.owner.clone(),
                description: p.description.clone(),
                distributor: p.distributor.clone(),
                support_email: p.support_email.clone(),
                product_type: p.product_type.clone(),
                created,
                versions,
                tag_options: tag_ids(&p.tag_options)?,
            },
        );
    }
    let product = |s: &Spanned<String>| -> Result<String, WorldError> {
        product_by_name.get(s.get_ref()).cloned().ok_or_else(|| {
            src.on(
                s,
                format!(
                    "unknown product `{}`: declare it under [[products]]",
                    s.get_ref()
                ),
            )
        })
    };

    let mut portfolio_by_name: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut pending_constraints = Vec::new();
    for p in &f.portfolios {
        let owner = account(&p.account)?;
        let id = named_id("port", &[&owner, p.name.get_ref()]);
        if portfolio_by_name
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
            .map(&product)
            .collect::<Result<Vec<_>, _>>()?;
        let mut shares = Vec::new();
        for s in &p.shares {
            let chosen = usize::from(s.account.is_some())
                + usize::from(s.ou.is_some())
                + usize::from(s.organization);
            if chosen != 1 {
                return Err(src.on(
                    &p.name,
                    "each share names exactly one of: account, ou, organization = true",
                ));
            }
            let org = w.organization.as_ref();
            let (kind, principal) = if let Some(a) = &s.account {
                let to = account(a)?;
                if to == owner {
                    return Err(src.on(a, "a portfolio cannot be shared with its own account"));
                }
                if s.accepted
                    && let Some(acc) = w.accounts.get_mut(&to)
                {
                    acc.accepted.insert(id.clone());
                }
                (ShareKind::Account, to)
            } else if let Some(ou) = &s.ou {
                let org = org.ok_or_else(|| src.on(ou, "an OU share needs an [organization]"))?;
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
                let org = org.ok_or_else(|| {
                    src.on(&p.name, "an organization share needs an [organization]")
                })?;
                (ShareKind::Organization, org.id.clone())
            };
            shares.push(Share {
                kind,
                principal,
                share_tag_options: s.share_tag_options,
                share_principals: s.share_principals,
            });
        }
        for c in &p.constraints {
            pending_constraints.push((owner.clone(), id.clone(), c));
        }
        w.portfolios.insert(
            id.clone(),
            Portfolio {
                id,
                region: region_of(&w, &owner),
                owner,
                name: p.name.get_ref().clone(),
                description: p.description.clone(),
                provider: p.provider.clone(),
                created: age(src, now, &p.created_ago, 400)?,
                products,
                shares,
                tag_options: tag_ids(&p.tag_options)?,
            },
        );
    }
    // Products a spoke puts in its local portfolios must be reachable by it.
    for p in &f.portfolios {
        let owner = account(&p.account)?;
        let region = region_of(&w, &owner);
        let reachable = w.visible_product_ids(&owner, &region);
        for name in &p.products {
            let pid = product(name)?;
            let own = w
                .products
                .get(&pid)
                .is_some_and(|x| x.owner_account == owner);
            if !own && !reachable.contains(&pid) {
                return Err(src.on(name, format!(
                    "product `{}` belongs to another account and no portfolio shared with `{}` and imported by it holds it",
                    name.get_ref(),
                    p.account.get_ref()
                )));
            }
        }
    }
    const TYPES: [&str; 5] = [
        "LAUNCH",
        "NOTIFICATION",
        "RESOURCE_UPDATE",
        "STACKSET",
        "TEMPLATE",
    ];
    for (owner, portfolio_id, c) in pending_constraints {
        let ctype = c.constraint_type.get_ref();
        if !TYPES.contains(&ctype.as_str()) {
            return Err(src.on(
                &c.constraint_type,
                format!(
                    "constraint type `{ctype}` must be one of {}",
                    TYPES.join(", ")
                ),
            ));
        }
        let pid = product(&c.product)?;
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
    }

    for pp in &f.provisioned {
        play_history(src, &mut w, pp, &account, &product, &portfolio_by_name, now)?;
    }
    w.advance(now);
    Ok(w)
}

fn play_history(
    src: &Source<'_>,
    w: &mut World,
    pp: &ProvisionedFile,
    account: &dyn Fn(&Spanned<String>) -> Result<String, WorldError>,
    product: &dyn Fn(&Spanned<String>) -> Result<String, WorldError>,
    portfolio_by_name: &BTreeMap<(String, String), String>,
    now: Time,
) -> Result<(), WorldError> {
    let acc = account(&pp.account)?;
    let pid = product(&pp.product)?;
    let region = w
        .accounts
        .get(&acc)
        .map(|a| a.region.clone())
        .unwrap_or_else(default_region);
    let path = match &pp.portfolio {
        Some(name) => {
            let key = portfolio_by_name
                .iter()
                .find(|((_, n), id)| {
                    n == name.get_ref() && w.visible_portfolios(&acc, &region).any(|p| p.id == **id)
                })
                .map(|(_, id)| id.clone());
            key.ok_or_else(|| {
                src.on(
                    name,
                    format!(
                        "`{}` sees no portfolio named `{}`",
                        pp.account.get_ref(),
                        name.get_ref()
                    ),
                )
            })?
        }
        None => w
            .visible_portfolios(&acc, &region)
            .find(|p| p.products.contains(&pid))
            .map(|p| p.id.clone())
            .ok_or_else(|| {
                src.on(
                    &pp.product,
                    format!(
                        "`{}` has no portfolio holding `{}`",
                        pp.account.get_ref(),
                        pp.product.get_ref()
                    ),
                )
            })?,
    };
    let path = super::world::launch_path_id(&path);
    if pp.history.is_empty() {
        return Err(src.on(
            &pp.name,
            "history needs at least the launch: history = [{ version = \"v1\", ago = \"30d\" }]",
        ));
    }
    let caller = w
        .accounts
        .get(&acc)
        .map(|a| a.caller_arn.clone())
        .unwrap_or_default();
    let mut steps: Vec<&StepFile> = pp.history.iter().collect();
    steps.extend(pp.in_progress.iter());
    let mut last = None;
    let mut pp_id: Option<String> = None;
    for (i, step) in steps.iter().enumerate() {
        let at = age(src, now, &Some(step.ago.clone()), 0)?;
        if last.is_some_and(|l| at <= l) {
            return Err(src.on(
                &step.ago,
                "history steps must go forward in time (each `ago` smaller than the one before)",
            ));
        }
        last = Some(at);
        let version = w
            .products
            .get(&pid)
            .and_then(|p| {
                p.versions
                    .iter()
                    .find(|v| v.name == *step.version.get_ref())
            })
            .map(|v| v.id.clone())
            .ok_or_else(|| {
                src.on(
                    &step.version,
                    format!(
                        "product `{}` has no version `{}`",
                        pp.product.get_ref(),
                        step.version.get_ref()
                    ),
                )
            })?;
        w.advance(at);
        let token = format!(
            "world-{}",
            stable_hash(&[&acc, pp.name.get_ref(), &i.to_string()])
        );
        let result = match &pp_id {
            None => w.provision(Launch {
                account: acc.clone(),
                region: region.clone(),
                product_id: pid.clone(),
                artifact_id: version,
                path_id: path.clone(),
                name: pp.name.get_ref().clone(),
                parameters: pp.parameters.clone(),
                tags: pp
                    .tags
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                token,
                user_arn: caller.clone(),
                at,
            }),
            Some(id) => w.update_provisioned(Change {
                pp_id: id.clone(),
                artifact_id: version,
                path_id: path.clone(),
                parameters: pp.parameters.clone(),
                token,
                at,
            }),
        };
        let record = result.map_err(|e| {
            src.on(
                &step.version,
                format!("this step cannot be played: {}", e.message),
            )
        })?;
        if pp_id.is_none() {
            pp_id = w.records.get(&record).map(|r| r.pp_id.clone());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_parse() {
        assert_eq!(parse_age("40d"), Some(Duration::days(40)));
        assert_eq!(parse_age("90s"), Some(Duration::seconds(90)));
        assert_eq!(parse_age("1.5h"), Some(Duration::minutes(90)));
        assert_eq!(parse_age("forty days"), None);
        assert_eq!(parse_age("10y"), None);
        assert_eq!(parse_age(""), None);
    }

    #[test]
    fn a_typo_names_file_line_and_field() {
        let text = "[[accounts]]\nname = \"hub\"\nid = \"111111111111\"\nregoin = \"us-east-1\"\n";
        let e = load("w.toml", text, chrono::Utc::now()).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("w.toml", 4), "{e}");
        assert!(e.message.contains("unknown field `regoin`"), "{e}");
    }

    #[test]
    fn an_unknown_reference_names_its_line() {
        let text = "[[accounts]]\nname = \"hub\"\nid = \"111111111111\"\n\n[[portfolios]]\naccount = \"hubb\"\nname = \"P\"\nprovider = \"x\"\n";
        let e = load("w.toml", text, chrono::Utc::now()).unwrap_err();
        assert_eq!(e.line, 6, "{e}");
        assert!(e.message.contains("unknown account `hubb`"), "{e}");
        assert!(e.to_string().starts_with("w.toml:6:"), "{e}");
    }
}
