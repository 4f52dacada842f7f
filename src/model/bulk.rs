//! The plan of a bulk update: for each provisioned product, from which
//! version to which, and whether it will be updated or skipped and why.
//! Pure: `ops` adds what needs AWS (the stack's state, the resources an
//! update would replace).

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{Drift, PpStatus, ProvisionedProduct, Version, latest_version};

/// The TagOption AWS's own auto-update solution looks for.
pub const DEFAULT_OPT_IN_KEY: &str = "AutoUpdateProvisionedProduct";
pub const DEFAULT_OPT_IN_VALUE: &str = "true";

/// Which drifted products a bulk update may touch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OptIn {
    /// Every drifted product.
    Everything,
    /// Only products carrying this tag (a TagOption applied at launch).
    Tag { key: String, value: String },
    /// Only products of these names (product names, not provisioned ones).
    Products { names: Vec<String> },
}

/// A policy as the command line and the config write it: `everything`,
/// `tag:KEY=VALUE` (`tag:KEY` means `tag:KEY=true`), `products:A,B`.
impl FromStr for OptIn {
    type Err = String;

    fn from_str(text: &str) -> Result<OptIn, String> {
        let text = text.trim();
        if text == "everything" {
            return Ok(OptIn::Everything);
        }
        if let Some(tag) = text.strip_prefix("tag:") {
            let (key, value) = tag.split_once('=').unwrap_or((tag, "true"));
            if key.trim().is_empty() {
                return Err(
                    "tag:KEY=VALUE needs a key, e.g. tag:AutoUpdateProvisionedProduct=true".into(),
                );
            }
            return Ok(OptIn::Tag {
                key: key.trim().to_string(),
                value: value.trim().to_string(),
            });
        }
        if let Some(names) = text.strip_prefix("products:") {
            let names: Vec<String> = names
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect();
            if names.is_empty() {
                return Err("products:NAME,NAME needs at least one product name".into());
            }
            return Ok(OptIn::Products { names });
        }
        Err(format!(
            "`{text}` is not a policy: use everything, tag:KEY=VALUE or products:NAME,NAME"
        ))
    }
}

impl Default for OptIn {
    fn default() -> Self {
        OptIn::Tag {
            key: DEFAULT_OPT_IN_KEY.to_string(),
            value: DEFAULT_OPT_IN_VALUE.to_string(),
        }
    }
}

impl OptIn {
    /// Whether the policy takes `pp`; `product_tagged`: its product carries
    /// the policy's TagOption (the auto-update convention's opt-in), as
    /// its account sees it.
    pub fn admits(&self, pp: &ProvisionedProduct, product_tagged: bool) -> bool {
        match self {
            OptIn::Everything => true,
            OptIn::Tag { key, value } => {
                product_tagged
                    || pp
                        .tags
                        .iter()
                        .any(|(k, v)| k == key && v.eq_ignore_ascii_case(value))
            }
            OptIn::Products { names } => pp
                .product_name
                .as_ref()
                .is_some_and(|n| names.iter().any(|x| x == n)),
        }
    }

    /// "everything drifted", "tag AutoUpdateProvisionedProduct=true",
    /// "products VPC, RDS".
    pub fn describe(&self) -> String {
        match self {
            OptIn::Everything => "everything drifted".into(),
            OptIn::Tag { key, value } => format!("tag {key}={value}"),
            OptIn::Products { names } => format!("products {}", names.join(", ")),
        }
    }
}

/// Why an item is left alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Skip {
    /// Already on the latest version.
    Current,
    /// A request is running on it.
    UnderChange,
    /// Its last request failed: fix it before updating it in bulk.
    Tainted,
    /// No active, non-deprecated version newer than its own (or its
    /// version is gone).
    NoNewerVersion,
    /// Its product's versions could not be read: there is no latest to go to.
    VersionsNotRead,
    /// The opt-in policy does not admit it.
    NotOptedIn { policy: String },
    /// Its stack is busy (`*_IN_PROGRESS`).
    StackBusy { status: String },
    /// Not a CloudFormation stack (a stack set, Terraform…).
    NoStack { kind: String },
    /// The update would replace or remove resources; included only when
    /// the operator says so.
    Risky { changes: Vec<String> },
    /// What the update would change could not be learned (its plan
    /// failed): treated as risky.
    RiskUnknown { why: String },
    /// The new version has a parameter with no default and no previous value.
    NeedsInput { parameter: String },
    /// Its account is read-only by the rules (`why` names the rule): no
    /// call that changes anything is made there.
    ReadOnly { why: String },
    /// Its status is one spoke does not know (a newer API, or a garbled
    /// answer): nothing is assumed about it.
    UnknownStatus { status: String },
}

impl Skip {
    /// One line for the plan.
    pub fn describe(&self) -> String {
        match self {
            Skip::Current => "on the latest version".into(),
            Skip::UnderChange => "under change: a request is running".into(),
            Skip::Tainted => "TAINTED: its last request failed — fix it first".into(),
            Skip::NoNewerVersion => "no newer active version to go to".into(),
            Skip::VersionsNotRead => {
                "its product's versions could not be read: refresh, then plan again".into()
            }
            Skip::NotOptedIn { policy } => format!("not opted in ({policy})"),
            Skip::StackBusy { status } => format!("its stack is {status}"),
            Skip::NoStack { kind } => format!("a {kind} product has no stack to update"),
            Skip::Risky { changes } => format!("would {}", changes.join(", ")),
            Skip::RiskUnknown { why } => format!("what it would change is unknown: {why}"),
            Skip::ReadOnly { why } => why.clone(),
            Skip::UnknownStatus { status } => {
                format!("its status {status:?} is not one spoke knows: look at it first")
            }
            Skip::NeedsInput { parameter } => {
                format!("the new version needs a value for {parameter}: update it alone (u)")
            }
        }
    }
}

/// One resource change of a provisioned product plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanChange {
    /// ADD, MODIFY or REMOVE.
    pub action: String,
    pub logical_id: String,
    pub resource_type: String,
    /// For a MODIFY: TRUE, CONDITIONAL or FALSE.
    pub replacement: Option<String>,
}

impl PlanChange {
    /// What makes the change risky, if it is: it removes a resource or may
    /// replace one (a new physical resource, the old one deleted).
    pub fn risk(&self) -> Option<String> {
        let what = format!("{} ({})", self.logical_id, self.resource_type);
        match (self.action.as_str(), self.replacement.as_deref()) {
            ("REMOVE", _) => Some(format!("remove {what}")),
            ("MODIFY", Some("TRUE")) => Some(format!("replace {what}")),
            ("MODIFY", Some("CONDITIONAL")) => Some(format!("maybe replace {what}")),
            _ => None,
        }
    }
}

/// The names of the temporary plans spoke creates to learn an update's
/// risk begin with this; no other plan is ever deleted by spoke.
pub const TEMPORARY_PLAN_PREFIX: &str = "spoke-";

/// A provisioned product plan as ListProvisionedProductPlans lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSummary {
    pub id: String,
    pub name: String,
    pub provisioned_id: String,
}

impl PlanSummary {
    /// One of spoke's temporary plans (named `spoke-…`).
    pub fn is_spokes(&self) -> bool {
        self.name.starts_with(TEMPORARY_PLAN_PREFIX)
    }
}

/// A provisioned product plan as DescribeProvisionedProductPlan tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanState {
    /// The plan's name (spoke names its own `spoke-…`).
    pub name: String,
    /// CREATE_IN_PROGRESS, CREATE_SUCCESS, CREATE_FAILED…
    pub status: String,
    pub message: Option<String>,
    pub changes: Vec<PlanChange>,
}

impl PlanState {
    pub fn is_ready(&self) -> bool {
        self.status != "CREATE_IN_PROGRESS" && !self.status.is_empty()
    }

    pub fn failed(&self) -> bool {
        self.status == "CREATE_FAILED"
    }

    /// Every risky change, described.
    pub fn risks(&self) -> Vec<String> {
        self.changes.iter().filter_map(PlanChange::risk).collect()
    }
}

/// One line of a bulk plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkItem {
    pub profile: String,
    pub account: String,
    pub provisioned_id: String,
    pub provisioned_name: String,
    pub product_id: String,
    pub product_name: String,
    pub from_id: String,
    pub from_name: String,
    pub to_id: Option<String>,
    pub to_name: Option<String>,
    pub drift: Drift,
    /// None: it will be updated.
    pub skip: Option<Skip>,
}

impl BulkItem {
    pub fn will_update(&self) -> bool {
        self.skip.is_none()
    }
}

/// The plan of one provisioned product, from what the inventory knows
/// (the stack's state and the risk come later, from AWS).
pub fn plan_item(
    profile: &str,
    pp: &ProvisionedProduct,
    versions: &[Version],
    drift: &Drift,
    policy: &OptIn,
    product_tagged: bool,
) -> BulkItem {
    let latest = latest_version(versions);
    let from_name = versions
        .iter()
        .find(|v| v.id == pp.version_id)
        .map(|v| v.name.clone())
        .or_else(|| pp.version_name.clone())
        .unwrap_or_else(|| pp.version_id.clone());
    let skip = if pp.status.is_in_progress() {
        Some(Skip::UnderChange)
    } else if let PpStatus::Other(status) = &pp.status {
        Some(Skip::UnknownStatus {
            status: status.clone(),
        })
    } else if matches!(pp.status, PpStatus::Tainted | PpStatus::Error)
        || matches!(drift, Drift::Tainted)
    {
        Some(Skip::Tainted)
    } else if !pp.kind.is_empty() && pp.kind != "CFN_STACK" {
        Some(Skip::NoStack {
            kind: pp.kind.clone(),
        })
    } else {
        match drift {
            Drift::Current => Some(Skip::Current),
            Drift::Unknown => Some(Skip::NoNewerVersion),
            // Nothing is updated to a version spoke did not read.
            Drift::NotRead => Some(Skip::VersionsNotRead),
            Drift::Behind(_) | Drift::OnDeprecated | Drift::OnInactive
                if latest.is_none_or(|l| l.id == pp.version_id) =>
            {
                Some(Skip::NoNewerVersion)
            }
            _ if !policy.admits(pp, product_tagged) => Some(Skip::NotOptedIn {
                policy: policy.describe(),
            }),
            _ => None,
        }
    };
    BulkItem {
        profile: profile.to_string(),
        account: pp.account.clone(),
        provisioned_id: pp.id.clone(),
        provisioned_name: pp.name.clone(),
        product_id: pp.product_id.clone(),
        product_name: pp
            .product_name
            .clone()
            .unwrap_or_else(|| pp.product_id.clone()),
        from_id: pp.version_id.clone(),
        from_name,
        to_id: latest.map(|v| v.id.clone()),
        to_name: latest.map(|v| v.name.clone()),
        drift: *drift,
        skip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::drift;
    use crate::model::product::tests::version;
    use crate::model::provisioned::tests::pp;

    fn versions() -> Vec<Version> {
        vec![
            version("pa-1", Some(1), true, false),
            version("pa-2", Some(2), true, true),
            version("pa-3", Some(3), true, false),
        ]
    }

    fn item(p: &ProvisionedProduct, policy: &OptIn) -> BulkItem {
        let d = drift(p, &versions());
        plan_item("spoke-dev", p, &versions(), &d, policy, false)
    }

    #[test]
    fn removals_and_replacements_are_risky() {
        let change = |action: &str, replacement: Option<&str>| PlanChange {
            action: action.into(),
            logical_id: "Bucket".into(),
            resource_type: "AWS::S3::Bucket".into(),
            replacement: replacement.map(str::to_string),
        };
        let plan = PlanState {
            name: "spoke-1234abcd-web".into(),
            status: "CREATE_SUCCESS".into(),
            message: None,
            changes: vec![
                change("ADD", None),
                change("MODIFY", Some("FALSE")),
                change("MODIFY", Some("TRUE")),
                change("MODIFY", Some("CONDITIONAL")),
                change("REMOVE", None),
            ],
        };
        assert!(plan.is_ready() && !plan.failed());
        assert_eq!(
            plan.risks(),
            vec![
                "replace Bucket (AWS::S3::Bucket)",
                "maybe replace Bucket (AWS::S3::Bucket)",
                "remove Bucket (AWS::S3::Bucket)"
            ]
        );
    }

    #[test]
    fn drifted_products_are_updated_to_the_latest() {
        let p = pp("pp-1", "pa-1", PpStatus::Available);
        let it = item(&p, &OptIn::Everything);
        assert!(it.will_update());
        assert_eq!(it.to_id.as_deref(), Some("pa-3"));
        assert_eq!(it.from_name, "name of pa-1");
        let on_deprecated = pp("pp-2", "pa-2", PpStatus::Available);
        assert!(item(&on_deprecated, &OptIn::Everything).will_update());
    }

    #[test]
    fn each_skip_has_its_reason() {
        let current = pp("pp-1", "pa-3", PpStatus::Available);
        assert_eq!(item(&current, &OptIn::Everything).skip, Some(Skip::Current));
        let busy = pp("pp-1", "pa-1", PpStatus::UnderChange);
        assert_eq!(
            item(&busy, &OptIn::Everything).skip,
            Some(Skip::UnderChange)
        );
        let tainted = pp("pp-1", "pa-1", PpStatus::Tainted);
        assert_eq!(item(&tainted, &OptIn::Everything).skip, Some(Skip::Tainted));
        // A status from a newer API (or a garbled answer) is not guessed at.
        let strange = pp("pp-1", "pa-1", PpStatus::Other("AVAILABLE_SOMEHOW".into()));
        assert_eq!(
            item(&strange, &OptIn::Everything).skip,
            Some(Skip::UnknownStatus {
                status: "AVAILABLE_SOMEHOW".into()
            })
        );
        let gone = pp("pp-1", "pa-9", PpStatus::Available);
        assert_eq!(
            item(&gone, &OptIn::Everything).skip,
            Some(Skip::NoNewerVersion)
        );
        let mut stackset = pp("pp-1", "pa-1", PpStatus::Available);
        stackset.kind = "CFN_STACKSET".into();
        assert!(matches!(
            item(&stackset, &OptIn::Everything).skip,
            Some(Skip::NoStack { .. })
        ));
    }

    #[test]
    fn the_policy_decides_among_drifted_products() {
        let mut p = pp("pp-1", "pa-1", PpStatus::Available);
        let by_tag = OptIn::default();
        assert!(matches!(
            item(&p, &by_tag).skip,
            Some(Skip::NotOptedIn { .. })
        ));
        p.tags = vec![(DEFAULT_OPT_IN_KEY.into(), "True".into())];
        assert!(item(&p, &by_tag).will_update());
        let by_name = OptIn::Products {
            names: vec!["Product".into()],
        };
        assert!(item(&p, &by_name).will_update());
        let other = OptIn::Products {
            names: vec!["RDS".into()],
        };
        assert!(!item(&p, &other).will_update());
        // Not drifted stays "current", whatever the policy.
        let current = pp("pp-1", "pa-3", PpStatus::Available);
        assert_eq!(item(&current, &other).skip, Some(Skip::Current));
    }

    #[test]
    fn policies_parse_as_written_and_mistakes_say_what_to_write() {
        assert_eq!("everything".parse(), Ok(OptIn::Everything));
        assert_eq!(
            " tag:Team=core ".parse(),
            Ok(OptIn::Tag {
                key: "Team".into(),
                value: "core".into()
            })
        );
        assert_eq!(
            "tag:AutoUpdate".parse::<OptIn>().map(|p| p.describe()),
            Ok(OptIn::Tag {
                key: "AutoUpdate".into(),
                value: "true".into()
            }
            .describe())
        );
        assert_eq!(
            "products:A, B,".parse(),
            Ok(OptIn::Products {
                names: vec!["A".into(), "B".into()]
            })
        );
        assert!(
            "tag:=x"
                .parse::<OptIn>()
                .unwrap_err()
                .contains("needs a key")
        );
        assert!(
            "products:"
                .parse::<OptIn>()
                .unwrap_err()
                .contains("at least one")
        );
        assert!(
            "all"
                .parse::<OptIn>()
                .unwrap_err()
                .contains("use everything, tag:KEY=VALUE")
        );
    }
}
