//! The emulated AWS state: accounts, organization, Service Catalog resources,
//! CloudFormation stacks. The rules AWS enforces live next to the state they
//! guard (see the submodules); handlers only translate wire shapes.

pub mod accounts_index;
pub mod buckets;
pub mod drift;
pub mod identity;
pub mod ids;
pub mod plans;
pub mod provisioning;
pub mod service_actions;
pub mod stacks;
pub mod template_file;
pub mod terminate;
pub mod timed;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};

pub use buckets::{Bucket, Object};
pub use identity::{AccountStatus, EndUserAccess, Role, Session};
pub use ids::IdGen;
pub use plans::{Plan, ResourceChange};
pub use stacks::{Stack, StackEvent, StackResource};

pub type Time = DateTime<Utc>;

/// The whole emulated world, for every account and region.
#[derive(Debug, Default)]
pub struct World {
    pub organization: Option<Organization>,
    /// By account id.
    pub accounts: BTreeMap<String, Account>,
    pub portfolios: BTreeMap<String, Portfolio>,
    pub products: BTreeMap<String, Product>,
    pub constraints: BTreeMap<String, Constraint>,
    pub tag_options: BTreeMap<String, TagOption>,
    pub provisioned: BTreeMap<String, ProvisionedProduct>,
    /// (account, region, name) of every provisioned product, kept by `provision`:
    /// names are unique per account and region, checked without a scan.
    pub provisioned_names: HashSet<(String, String, String)>,
    pub records: BTreeMap<String, Record>,
    /// By stack id (ARN).
    pub stacks: BTreeMap<String, Stack>,
    /// Organization share operations, by PortfolioShareToken.
    pub share_operations: BTreeMap<String, ShareOperation>,
    /// Shares the world file says spoke made (see [`SeededOffer`]).
    pub seeded_offers: Vec<SeededOffer>,
    /// (account id, idempotency token) → record id.
    pub idempotency: HashMap<(String, String), String>,
    /// (account id, idempotency token) → constraint id, for CreateConstraint.
    pub constraint_tokens: HashMap<(String, String), String>,
    /// (account id, "REGION::TOKEN") → portfolio id, for CreatePortfolio.
    pub portfolio_tokens: HashMap<(String, String), String>,
    /// (account id, "REGION::TOKEN") → product id, for CreateProduct.
    pub product_tokens: HashMap<(String, String), String>,
    /// (account id, "REGION:PRODUCT:TOKEN") → (product id, version id), for CreateProvisioningArtifact.
    pub artifact_tokens: HashMap<(String, String), (String, String)>,
    /// Provisioned product plans, by plan id.
    pub plans: BTreeMap<String, Plan>,
    /// (account id, idempotency token) → plan id, for CreateProvisionedProductPlan.
    pub plan_tokens: HashMap<(String, String), String>,
    /// Temporary credentials issued by AssumeRole, by access key id.
    pub sessions: HashMap<String, Session>,
    /// Stacks with events still to come.
    pub moving: BTreeSet<String>,
    pub ids: IdGen,
    /// S3 buckets by name: one namespace for every account and region.
    pub buckets: BTreeMap<String, Bucket>,
    /// The ids of the provisioned products of each (account, region), built
    /// when first asked for and dropped whenever one is added or removed
    /// (see [`World::provisioned_in`]).
    pub provisioned_index: Option<ProvisionedIndex>,
    /// Provisioned products terminated, by id: gone from every answer but
    /// their records' (ListRecordHistory still lists those).
    pub terminated: BTreeMap<String, ProvisionedProduct>,
    /// Running terminations (record id) and whether they ignore errors.
    pub terminating: HashMap<String, bool>,
    /// Records on a clock of their own (see [`timed`]).
    pub timed: Vec<timed::TimedRecord>,
    /// Stack id → the resource that fails to be deleted when the stack is.
    pub delete_fails: BTreeMap<String, String>,
    /// Drift detections (DetectStackDrift), by StackDriftDetectionId.
    pub drift_detections: BTreeMap<String, drift::Detection>,
    /// Self-service actions, by id (`act-…`).
    pub service_actions: BTreeMap<String, service_actions::ServiceAction>,
    /// Accounts by access key, the organization's members in order, their
    /// OUs: built on first use (see [`accounts_index`]).
    pub account_index: std::sync::OnceLock<accounts_index::AccountIndex>,
}

/// (account, region) → ids of its provisioned products, with the size of
/// `World::provisioned` it was built from.
#[derive(Debug, Default)]
pub struct ProvisionedIndex {
    built_from: usize,
    by_place: HashMap<(String, String), Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Organization {
    pub id: String,
    pub management_account_id: String,
    /// Member accounts registered as delegated administrators (they may call ListAccounts).
    pub delegated_admins: Vec<String>,
    pub ous: Vec<OrganizationalUnit>,
}

#[derive(Debug, Clone)]
pub struct OrganizationalUnit {
    pub id: String,
    pub name: String,
    /// The OU it sits in; `None`: directly under the root.
    pub parent: Option<String>,
    pub account_ids: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    /// The profile name the world gives it (`hub`, `spoke-dev`, …).
    pub name: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// The caller's ARN as GetCallerIdentity reports it.
    pub caller_arn: String,
    pub user_id: String,
    /// The caller holds only one of AWS's end-user policies: admin calls are denied.
    pub end_user: Option<EndUserAccess>,
    /// Account shares accepted by this account (portfolio ids), AcceptPortfolioShare IMPORTED.
    pub accepted: BTreeSet<String>,
    /// Whether the account is a member of the world's organization (when there is one).
    pub in_organization: bool,
    /// The e-mail address of the account's root user (Organizations' `Email`).
    pub email: String,
    pub status: AccountStatus,
    /// CREATED or INVITED (Organizations' `JoinedMethod`).
    pub joined_method: String,
    pub joined: Time,
    /// IAM roles other accounts may assume, besides OrganizationAccountAccessRole.
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareKind {
    /// An account share: the recipient must accept it.
    Account,
    Organization,
    OrganizationalUnit,
    /// A member account shared through AWS Organizations: no acceptance needed.
    OrganizationMemberAccount,
}

impl ShareKind {
    pub fn wire(self) -> &'static str {
        match self {
            ShareKind::Account => "ACCOUNT",
            ShareKind::Organization => "ORGANIZATION",
            ShareKind::OrganizationalUnit => "ORGANIZATIONAL_UNIT",
            ShareKind::OrganizationMemberAccount => "ORGANIZATION_MEMBER_ACCOUNT",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Share {
    pub kind: ShareKind,
    /// Account id, organization id or OU id.
    pub principal: String,
    pub share_tag_options: bool,
    pub share_principals: bool,
}

#[derive(Debug, Clone)]
pub struct Portfolio {
    pub id: String,
    pub owner: String,
    pub region: String,
    pub name: String,
    pub description: String,
    pub provider: String,
    pub created: Time,
    /// Product ids, in the order they were associated.
    pub products: Vec<String>,
    pub shares: Vec<Share>,
    pub tag_options: Vec<String>,
    /// The IAM principals that may launch from it (AssociatePrincipalWithPortfolio).
    pub principals: Vec<Principal>,
    pub tags: Vec<(String, String)>,
}

/// A principal of a portfolio: an IAM user, group or role ARN (`IAM`), or
/// a name pattern any account's principals may match (`IAM_PATTERN`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub arn: String,
    /// IAM or IAM_PATTERN.
    pub kind: String,
}

impl Portfolio {
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:catalog:{}:{}:portfolio/{}",
            self.region, self.owner, self.id
        )
    }
}

#[derive(Debug, Clone)]
pub struct Product {
    pub id: String,
    /// The product view id end users see.
    pub view_id: String,
    pub owner_account: String,
    pub region: String,
    pub name: String,
    pub owner: String,
    pub description: String,
    pub distributor: String,
    pub support_email: String,
    pub product_type: String,
    pub created: Time,
    pub versions: Vec<Version>,
    pub tag_options: Vec<String>,
    pub tags: Vec<(String, String)>,
}

impl Product {
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:catalog:{}:{}:product/{}",
            self.region, self.owner_account, self.id
        )
    }
    pub fn version(&self, id: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.id == id)
    }

    /// How moving from version `from` to version `to` changes resource
    /// `logical_id`: the strongest replacement any version in between (after
    /// the older, up to the newer) declares for it, and the properties they change.
    pub fn change_between(
        &self,
        from: &str,
        to: &str,
        logical_id: &str,
    ) -> (Option<Replacement>, Vec<String>) {
        let pos = |id: &str| self.versions.iter().position(|v| v.id == id);
        let (Some(a), Some(b)) = (pos(from), pos(to)) else {
            return (None, Vec::new());
        };
        let (lo, hi) = (a.min(b), a.max(b));
        let mut replacement = None;
        let mut properties: Vec<String> = Vec::new();
        for v in &self.versions[lo + 1..=hi] {
            for r in v
                .template
                .resources
                .iter()
                .filter(|r| r.logical_id == logical_id)
            {
                replacement = replacement.max(r.replacement);
                for p in &r.properties {
                    if !properties.contains(p) {
                        properties.push(p.clone());
                    }
                }
            }
        }
        (replacement, properties)
    }
}

#[derive(Debug, Clone)]
pub struct Version {
    pub id: String,
    pub name: String,
    pub description: String,
    pub created: Time,
    pub active: bool,
    /// DEFAULT or DEPRECATED.
    pub guidance: String,
    pub template: Template,
    /// Logical id of a resource that fails when this version is deployed.
    pub fails_on: Option<String>,
    /// The S3 URL its template was loaded from (`LoadTemplateFromURL`), for
    /// versions created through the API.
    pub template_url: Option<String>,
}

/// A world output's value as a template holds it: with the placeholders
/// the sandbox fills in at deployment, a `Fn::Sub` of what they stand for.
fn output_value(value: &str) -> serde_json::Value {
    if !value.contains("${") {
        return serde_json::json!(value);
    }
    let sub = value
        .replace("${StackName}", "${AWS::StackName}")
        .replace("${AccountId}", "${AWS::AccountId}")
        .replace("${Region}", "${AWS::Region}")
        .replace("${Param:", "${");
    serde_json::json!({ "Fn::Sub": sub })
}

#[derive(Debug, Clone, Default)]
pub struct Template {
    pub resources: Vec<TemplateResource>,
    pub parameters: Vec<Parameter>,
    pub outputs: Vec<TemplateOutput>,
}

impl Template {
    /// The template as CloudFormation JSON (what GetTemplate answers and
    /// what the world stores for its own versions).
    pub fn to_json(&self, description: &str) -> String {
        use serde_json::{Map, Value, json};
        let parameters: Map<String, Value> = self
            .parameters
            .iter()
            .map(|p| {
                let mut v = json!({ "Type": p.parameter_type, "Description": p.description });
                if let Some(d) = &p.default {
                    v["Default"] = json!(d);
                }
                if p.no_echo {
                    v["NoEcho"] = json!(true);
                }
                if !p.allowed_values.is_empty() {
                    v["AllowedValues"] = json!(p.allowed_values);
                }
                if let Some(pattern) = &p.allowed_pattern {
                    v["AllowedPattern"] = json!(pattern);
                }
                (p.key.clone(), v)
            })
            .collect();
        let resources: Map<String, Value> = self
            .resources
            .iter()
            .map(|r| (r.logical_id.clone(), json!({ "Type": r.resource_type })))
            .collect();
        let outputs: Map<String, Value> = self
            .outputs
            .iter()
            .map(|o| {
                (
                    o.key.clone(),
                    json!({ "Description": o.description, "Value": output_value(&o.value) }),
                )
            })
            .collect();
        let body = json!({
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": description,
            "Parameters": parameters,
            "Resources": resources,
            "Outputs": outputs,
        });
        serde_json::to_string_pretty(&body).unwrap_or_default()
    }
}

#[derive(Debug, Clone)]
pub struct TemplateResource {
    pub logical_id: String,
    pub resource_type: String,
    /// Sandbox seconds this resource takes to create or update.
    pub seconds: u32,
    /// How updating to this version changes the resource, when the world says so.
    pub replacement: Option<Replacement>,
    /// The properties this version changes on the resource (a plan's details).
    pub properties: Vec<String>,
}

/// Whether an update replaces a resource (CloudFormation's change set `Replacement`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Replacement {
    /// Changed in place.
    False,
    /// Replaced or not, depending on values known only at deployment.
    Conditional,
    /// Deleted and created anew: a new physical resource.
    True,
}

impl Replacement {
    pub fn wire(self) -> &'static str {
        match self {
            Replacement::False => "FALSE",
            Replacement::Conditional => "CONDITIONAL",
            Replacement::True => "TRUE",
        }
    }
    /// A property change's `RequiresRecreation`.
    pub fn recreation(self) -> &'static str {
        match self {
            Replacement::False => "NEVER",
            Replacement::Conditional => "CONDITIONALLY",
            Replacement::True => "ALWAYS",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Parameter {
    pub key: String,
    pub parameter_type: String,
    pub default: Option<String>,
    pub description: String,
    pub no_echo: bool,
    pub allowed_values: Vec<String>,
    pub allowed_pattern: Option<String>,
    pub constraint_description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TemplateOutput {
    pub key: String,
    pub description: String,
    /// Value with `${StackName}`, `${AccountId}`, `${Region}` or `${Param:Key}` substituted.
    pub value: String,
}

#[derive(Debug, Clone)]
pub struct Constraint {
    pub id: String,
    pub owner: String,
    pub portfolio_id: String,
    pub product_id: String,
    /// LAUNCH, NOTIFICATION, RESOURCE_UPDATE, STACKSET, TEMPLATE.
    pub constraint_type: String,
    pub description: String,
    /// The JSON parameters, as AWS stores them.
    pub parameters: String,
}

#[derive(Debug, Clone)]
pub struct TagOption {
    pub id: String,
    pub owner: String,
    pub key: String,
    pub value: String,
    pub active: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PpStatus {
    Available,
    UnderChange,
    Tainted,
    Error,
    PlanInProgress,
}

impl PpStatus {
    pub fn wire(self) -> &'static str {
        match self {
            PpStatus::Available => "AVAILABLE",
            PpStatus::UnderChange => "UNDER_CHANGE",
            PpStatus::Tainted => "TAINTED",
            PpStatus::Error => "ERROR",
            PpStatus::PlanInProgress => "PLAN_IN_PROGRESS",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ProvisionedProduct {
    pub id: String,
    pub account: String,
    pub region: String,
    pub name: String,
    pub product_id: String,
    pub artifact_id: String,
    pub path_id: String,
    pub status: PpStatus,
    pub status_message: String,
    pub created: Time,
    pub idempotency_token: String,
    pub last_record_id: String,
    pub last_provisioning_record_id: String,
    pub last_successful_record_id: Option<String>,
    /// The stack ARN (PhysicalId).
    pub stack_id: String,
    pub tags: Vec<(String, String)>,
    pub user_arn: String,
    pub launch_role_arn: Option<String>,
    /// Current parameter values.
    pub parameters: BTreeMap<String, String>,
}

impl ProvisionedProduct {
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:servicecatalog:{}:{}:stack/{}/{}",
            self.region, self.account, self.name, self.id
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordStatus {
    Created,
    InProgress,
    InProgressInError,
    Succeeded,
    Failed,
}

impl RecordStatus {
    pub fn wire(self) -> &'static str {
        match self {
            RecordStatus::Created => "CREATED",
            RecordStatus::InProgress => "IN_PROGRESS",
            RecordStatus::InProgressInError => "IN_PROGRESS_IN_ERROR",
            RecordStatus::Succeeded => "SUCCEEDED",
            RecordStatus::Failed => "FAILED",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Record {
    pub id: String,
    pub account: String,
    pub region: String,
    pub pp_id: String,
    pub pp_name: String,
    /// PROVISION_PRODUCT, UPDATE_PROVISIONED_PRODUCT, TERMINATE_PROVISIONED_PRODUCT.
    pub record_type: String,
    pub status: RecordStatus,
    pub created: Time,
    pub updated: Time,
    pub product_id: String,
    pub artifact_id: String,
    pub path_id: String,
    pub errors: Vec<(String, String)>,
    pub tags: Vec<(String, String)>,
    pub launch_role_arn: Option<String>,
    pub outputs: Vec<(String, String, String)>,
    /// The parameter values this record deploys.
    pub parameters: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct ShareOperation {
    pub token: String,
    pub portfolio_id: String,
    pub node_value: String,
    pub started: Time,
    /// Every account under the node, in the order the share reaches them.
    pub accounts: Vec<String>,
    /// By account id (among `accounts`): why the share fails there.
    pub failures: BTreeMap<String, String>,
}

/// A share the world says spoke made (`offered_ago` in the world file):
/// `spoke --sandbox` writes it to its journal, marked as seeded, so the
/// rules that read the journal (`share-not-accepted`, `org-share-failed`)
/// have their planted cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeededOffer {
    pub owner: String,
    pub region: String,
    pub portfolio_id: String,
    pub kind: ShareKind,
    pub principal: String,
    pub time: Time,
    /// An organization node's share: its token.
    pub token: Option<String>,
}

/// The launch path id of a portfolio (AWS's `lpv3-…`), the same for every account that sees it.
pub fn launch_path_id(portfolio_id: &str) -> String {
    ids::named_id("lpv3", &[portfolio_id])
}

impl World {
    /// Builds the index [`World::provisioned_in`] reads, if it is missing
    /// or out of date.
    pub fn index_provisioned(&mut self) {
        let stale = self
            .provisioned_index
            .as_ref()
            .is_none_or(|i| i.built_from != self.provisioned.len());
        if stale {
            let mut by_place: HashMap<(String, String), Vec<String>> = HashMap::new();
            for p in self.provisioned.values() {
                by_place
                    .entry((p.account.clone(), p.region.clone()))
                    .or_default()
                    .push(p.id.clone());
            }
            self.provisioned_index = Some(ProvisionedIndex {
                built_from: self.provisioned.len(),
                by_place,
            });
        }
    }

    /// The provisioned products of `account` in `region`: from the index
    /// when it is up to date (see [`World::index_provisioned`]), so that a
    /// hundred accounts' searches at once do not each scan every account's;
    /// else by a scan.
    pub fn provisioned_in(&self, account: &str, region: &str) -> Vec<&ProvisionedProduct> {
        match &self.provisioned_index {
            Some(index) if index.built_from == self.provisioned.len() => index
                .by_place
                .get(&(account.to_string(), region.to_string()))
                .into_iter()
                .flatten()
                .filter_map(|id| self.provisioned.get(id))
                .collect(),
            _ => self
                .provisioned
                .values()
                .filter(|p| p.account == account && p.region == region)
                .collect(),
        }
    }

    /// The portfolio a launch path goes through.
    pub fn portfolio_for_path(&self, path_id: &str) -> Option<&Portfolio> {
        self.portfolios
            .values()
            .find(|p| launch_path_id(&p.id) == path_id)
    }

    /// Accounts an organization node covers (the organization, an OU or one account).
    pub fn accounts_under(&self, kind: ShareKind, principal: &str) -> Vec<String> {
        let Some(org) = &self.organization else {
            return Vec::new();
        };
        match kind {
            ShareKind::Account | ShareKind::OrganizationMemberAccount => {
                vec![principal.to_string()]
            }
            ShareKind::Organization => self
                .accounts
                .values()
                .filter(|a| a.in_organization && a.id != org.management_account_id)
                .map(|a| a.id.clone())
                .collect(),
            // An OU's share covers the OUs nested in it too.
            ShareKind::OrganizationalUnit => {
                let mut out = Vec::new();
                let mut todo: Vec<&OrganizationalUnit> = self.ou(principal).into_iter().collect();
                let mut seen = 0;
                while let Some(ou) = todo.pop() {
                    seen += 1;
                    if seen > org.ous.len() {
                        break;
                    }
                    out.extend(ou.account_ids.iter().cloned());
                    todo.extend(self.ous_under(Some(&ou.id)));
                }
                out
            }
        }
    }

    /// Whether `account` is among [`World::accounts_under`]`(kind, principal)`,
    /// without listing them (asked for every portfolio of most calls).
    pub fn is_under(&self, kind: ShareKind, principal: &str, account: &str) -> bool {
        let Some(org) = &self.organization else {
            return false;
        };
        match kind {
            ShareKind::Account | ShareKind::OrganizationMemberAccount => principal == account,
            ShareKind::Organization => {
                account != org.management_account_id
                    && self
                        .accounts
                        .get(account)
                        .is_some_and(|a| a.in_organization)
            }
            // An OU's share covers the OUs nested in it too.
            ShareKind::OrganizationalUnit => {
                self.ou_chain(self.ou_of(account)).contains(&principal)
            }
        }
    }

    /// Whether `account` sees portfolio `p` as imported through `share_type`:
    /// "IMPORTED" for an accepted account share, "AWS_ORGANIZATIONS" for an
    /// organization node that covers it (no acceptance needed).
    pub fn imports_via(&self, account: &str, p: &Portfolio, share_type: &str) -> bool {
        if p.owner == account {
            return false;
        }
        p.shares.iter().any(|share| match (share.kind, share_type) {
            (ShareKind::Account, "IMPORTED") => {
                share.principal == account
                    && self
                        .accounts
                        .get(account)
                        .is_some_and(|a| a.accepted.contains(&p.id))
            }
            (ShareKind::Account, _) | (_, "IMPORTED") => false,
            (kind, "AWS_ORGANIZATIONS") => self.is_under(kind, &share.principal, account),
            _ => false,
        })
    }

    /// Whether a share that reaches `account` shares `p`'s TagOptions.
    pub fn shares_tag_options_with(&self, account: &str, p: &Portfolio) -> bool {
        p.shares.iter().any(|share| {
            share.share_tag_options
                && match share.kind {
                    ShareKind::Account => share.principal == account,
                    kind => self.is_under(kind, &share.principal, account),
                }
        })
    }

    /// How `account` imported `p`, if it did: an accepted account share first.
    pub fn import_type(&self, account: &str, p: &Portfolio) -> Option<&'static str> {
        ["IMPORTED", "AWS_ORGANIZATIONS"]
            .into_iter()
            .find(|t| self.imports_via(account, p, t))
    }

    /// Portfolios visible to `account` in `region`: its own and those it imported.
    pub fn visible_portfolios<'a>(
        &'a self,
        account: &str,
        region: &str,
    ) -> impl Iterator<Item = &'a Portfolio> + use<'a> {
        let (account, region) = (account.to_string(), region.to_string());
        self.portfolios.values().filter(move |p| {
            p.region == region && (p.owner == account || self.import_type(&account, p).is_some())
        })
    }

    /// Products `account` can reach in `region`: its own and those in portfolios it imported
    /// or holds in a local portfolio.
    pub fn visible_product_ids(&self, account: &str, region: &str) -> BTreeSet<String> {
        let mut ids: BTreeSet<String> = self
            .products
            .values()
            .filter(|p| p.owner_account == account && p.region == region)
            .map(|p| p.id.clone())
            .collect();
        for p in self.visible_portfolios(account, region) {
            ids.extend(p.products.iter().cloned());
        }
        ids
    }
}
