//! The shape of a world file, as serde reads it: every table and field, with
//! its default. Checking references between them is `build`'s work.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::identity;

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
    #[serde(default)]
    pub service_actions: Vec<ServiceActionFile>,
}

/// A self-service action (SSM_AUTOMATION) an account owns.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceActionFile {
    pub account: Spanned<String>,
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: String,
    /// The SSM document it runs (`AWS-RestartEC2Instance`).
    pub document: String,
    #[serde(default = "default_document_version")]
    pub document_version: String,
    /// `LAUNCH_ROLE` (the default) or a role ARN.
    #[serde(default = "default_assume_role")]
    pub assume_role: String,
    #[serde(default)]
    pub parameters: Vec<ActionParameterFile>,
    /// The versions of the owner's products it is associated with.
    #[serde(default)]
    pub products: Vec<ActionTargetFile>,
}

fn default_document_version() -> String {
    "1".into()
}

fn default_assume_role() -> String {
    "LAUNCH_ROLE".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionParameterFile {
    pub name: String,
    /// TARGET or TEXT_VALUE.
    #[serde(rename = "type")]
    pub parameter_type: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionTargetFile {
    pub product: Spanned<String>,
    pub versions: Vec<Spanned<String>>,
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
    /// The id of the OU it sits in (declared before it); absent: under the root.
    #[serde(default)]
    pub parent: Option<Spanned<String>>,
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
    /// Launch roles: IAM roles only Service Catalog may assume
    /// (`servicecatalog.amazonaws.com`), for LAUNCH constraints to name.
    #[serde(default)]
    pub launch_roles: Vec<Spanned<String>>,
}

pub(super) fn default_region() -> String {
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
    /// IAM principals that may launch from it: role, user or group ARNs
    /// (`arn:aws:iam::ACCOUNT:role/NAME`).
    #[serde(default)]
    pub principals: Vec<Spanned<String>>,
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
    /// When spoke made this share (`12d`): `spoke --sandbox` writes a
    /// CreatePortfolioShare line to its journal, marked as seeded by the
    /// world, so the rules that read the journal have their cases.
    pub offered_ago: Option<Spanned<String>>,
    /// An organization or OU share that ended in ERROR for every account
    /// under it, with this message (guess: invented world behaviour; the
    /// portfolio is not shared, and its token answers
    /// DescribePortfolioShareStatus ERROR).
    pub ended_in_error: Option<String>,
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
    /// A resource of its stack that fails to be deleted when it is
    /// terminated (the termination fails; the product becomes TAINTED).
    pub fails_to_delete: Option<Spanned<String>>,
    /// Changes made to its stack's resources outside CloudFormation.
    #[serde(default)]
    pub resource_drift: Vec<DriftFile>,
    /// Its stack was deleted outside Service Catalog (in CloudFormation):
    /// the stack is DELETE_COMPLETE, the provisioned product still AVAILABLE.
    #[serde(default)]
    pub stack_deleted: bool,
}

/// `{ resource = "Bucket", property = "/VersioningConfiguration/Status", actual = "Suspended" }`
/// (without `actual`: the property was removed), or `{ resource = "Queue", deleted = true }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DriftFile {
    /// The resource's logical id.
    pub resource: Spanned<String>,
    /// A JSON pointer into its properties.
    pub property: Option<Spanned<String>>,
    /// The value it actually has.
    pub actual: Option<serde_json::Value>,
    #[serde(default)]
    pub deleted: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepFile {
    pub version: Spanned<String>,
    pub ago: Spanned<String>,
}
