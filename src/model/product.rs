//! Products, their versions (provisioning artifacts), and which is the latest.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a product was created, seen from the account that reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProductOrigin {
    Local,
    /// Created in `owner_account` (the account in the product ARN).
    Imported {
        owner_account: String,
    },
    /// Not known: an end user's view of a product has no ARN to tell.
    Unknown,
}

impl ProductOrigin {
    pub fn is_local(&self) -> bool {
        matches!(self, ProductOrigin::Local)
    }

    /// "local" or "imported from 111122223333".
    pub fn describe(&self) -> String {
        match self {
            ProductOrigin::Local => "local".into(),
            ProductOrigin::Imported { owner_account } => format!("imported from {owner_account}"),
            ProductOrigin::Unknown => "not known (end-user view)".into(),
        }
    }
}

/// A product as an administrator of one account sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: String,
    pub arn: String,
    pub name: String,
    /// The owner named in the product (a team, free text), not an account.
    pub owner: String,
    /// CLOUD_FORMATION_TEMPLATE, MARKETPLACE, TERRAFORM_OPEN_SOURCE, …
    pub product_type: String,
    pub description: Option<String>,
    pub distributor: Option<String>,
    pub created: Option<DateTime<Utc>>,
    pub origin: ProductOrigin,
    /// The portfolios of this account (local or imported) that hold it.
    pub portfolio_ids: Vec<String>,
    /// In the order `ListProvisioningArtifacts` gives them.
    pub versions: Vec<Version>,
    /// Its TagOptions as this account sees them (its own, or those a share
    /// passes on); `None`: not read.
    #[serde(default)]
    pub tag_options: Option<Vec<super::TagOptionEntry>>,
}

impl Product {
    pub fn version(&self, id: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.id == id)
    }

    /// Whether it is opted in to auto-update (the TagOption
    /// `AutoUpdateProvisionedProduct=true`); `None`: its TagOptions were not read.
    pub fn auto_update(&self) -> Option<bool> {
        self.tag_options
            .as_ref()
            .map(|list| list.iter().any(super::TagOptionEntry::opts_in))
    }

    /// Whether it carries the TagOption `key=value` (active).
    pub fn has_tag_option(&self, key: &str, value: &str) -> bool {
        self.tag_options
            .iter()
            .flatten()
            .any(|t| t.active && t.is(key, value))
    }

    /// See [`latest_version`].
    pub fn latest_version(&self) -> Option<&Version> {
        latest_version(&self.versions)
    }
}

/// A version of a product (a provisioning artifact).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    pub id: String,
    /// Free text: "v2.0", "2024-03 release", "latest"… never compared.
    pub name: String,
    pub description: Option<String>,
    pub created: Option<DateTime<Utc>>,
    /// `Active`: an inactive version cannot be launched or updated to.
    pub active: bool,
    /// `Guidance` = DEPRECATED: still usable, no longer recommended.
    pub deprecated: bool,
}

impl Version {
    /// Active and not deprecated: a version one should be on.
    pub fn is_recommended(&self) -> bool {
        self.active && !self.deprecated
    }

    /// "v1.0", "v1.0 (deprecated)", "v1.0 (inactive)".
    pub fn label(&self) -> String {
        if !self.active {
            format!("{} (inactive)", self.name)
        } else if self.deprecated {
            format!("{} (deprecated)", self.name)
        } else {
            self.name.clone()
        }
    }
}

/// The order of versions from oldest to newest: by created time (a version
/// without one is the oldest), then by position in the list, since
/// `ListProvisioningArtifacts` lists them oldest first. Names are free text
/// and never decide. `a` and `b` are indexes into `versions`.
pub(crate) fn compare_age(versions: &[Version], a: usize, b: usize) -> Ordering {
    versions[a]
        .created
        .cmp(&versions[b].created)
        .then(a.cmp(&b))
}

/// The versions from oldest to newest (see [`compare_age`]).
pub fn ordered(versions: &[Version]) -> Vec<&Version> {
    let mut order: Vec<usize> = (0..versions.len()).collect();
    order.sort_by(|&a, &b| compare_age(versions, a, b));
    order.into_iter().map(|i| &versions[i]).collect()
}

/// The newest active, non-deprecated version by created time (ties go to
/// the one listed later), or `None` if every version is inactive or
/// deprecated.
pub fn latest_version(versions: &[Version]) -> Option<&Version> {
    (0..versions.len())
        .filter(|&i| versions[i].is_recommended())
        .max_by(|&a, &b| compare_age(versions, a, b))
        .map(|i| &versions[i])
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A version created `days` days after an epoch; `None` for no time.
    pub fn version(id: &str, days: Option<i64>, active: bool, deprecated: bool) -> Version {
        Version {
            id: id.into(),
            name: format!("name of {id}"),
            description: None,
            created: days.map(|d| {
                DateTime::from_timestamp(1_700_000_000 + d * 86_400, 0).expect("a valid time")
            }),
            active,
            deprecated,
        }
    }

    #[test]
    fn latest_is_the_newest_recommended_by_time_not_by_name() {
        let mut versions = vec![
            version("pa-1", Some(1), true, false),
            version("pa-3", Some(30), true, false),
            version("pa-2", Some(20), true, false),
        ];
        versions[0].name = "zzz".into();
        assert_eq!(latest_version(&versions).unwrap().id, "pa-3");
    }

    #[test]
    fn latest_skips_deprecated_and_inactive() {
        let versions = vec![
            version("pa-1", Some(1), true, false),
            version("pa-2", Some(2), true, true),
            version("pa-3", Some(3), false, false),
        ];
        assert_eq!(latest_version(&versions).unwrap().id, "pa-1");
    }

    #[test]
    fn no_latest_when_nothing_is_recommended() {
        assert_eq!(latest_version(&[]), None);
        let versions = vec![
            version("pa-1", Some(1), true, true),
            version("pa-2", Some(2), false, false),
        ];
        assert_eq!(latest_version(&versions), None);
    }

    #[test]
    fn ties_in_time_go_to_the_later_listed() {
        let versions = vec![
            version("pa-1", Some(5), true, false),
            version("pa-2", Some(5), true, false),
        ];
        assert_eq!(latest_version(&versions).unwrap().id, "pa-2");
    }

    #[test]
    fn a_version_without_a_time_is_the_oldest() {
        let versions = vec![
            version("pa-2", Some(2), true, false),
            version("pa-x", None, true, false),
        ];
        assert_eq!(latest_version(&versions).unwrap().id, "pa-2");
    }

    #[test]
    fn labels_say_deprecated_or_inactive() {
        assert_eq!(version("a", None, true, false).label(), "name of a");
        assert_eq!(
            version("a", None, true, true).label(),
            "name of a (deprecated)"
        );
        assert_eq!(
            version("a", None, false, true).label(),
            "name of a (inactive)"
        );
    }

    #[test]
    fn product_origin_reads_like_the_console() {
        assert_eq!(ProductOrigin::Local.describe(), "local");
        let o = ProductOrigin::Imported {
            owner_account: "111122223333".into(),
        };
        assert_eq!(o.describe(), "imported from 111122223333");
        assert!(!o.is_local());
    }
}
