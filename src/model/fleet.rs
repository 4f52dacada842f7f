//! Many accounts at once: the organization's accounts, and the drift of
//! every provisioned product across a fleet.

use serde::{Deserialize, Serialize};

use super::{
    Drift, DriftSummary, ProvisionedProduct, Version, drift, drift_unread, latest_version,
};

/// One account of an AWS Organization (`ListAccounts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgAccount {
    pub id: String,
    pub name: String,
    /// ACTIVE, SUSPENDED, PENDING_CLOSURE… (`State`, else `Status`).
    pub status: String,
}

impl OrgAccount {
    pub fn is_active(&self) -> bool {
        self.status.is_empty() || self.status == "ACTIVE"
    }
}

/// The drift of one provisioned product, with what it is measured against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftRow {
    /// The profile, or the account's name in organization mode.
    pub label: String,
    pub provisioned: ProvisionedProduct,
    pub drift: Drift,
    /// The name of the version it runs, when still listed.
    pub version_name: String,
    /// The latest active, non-deprecated version.
    pub latest: Option<Version>,
}

impl DriftRow {
    /// `versions`: its product's, or `None` when they were not read (its
    /// drift is then not read, or tainted).
    pub fn new(label: &str, provisioned: ProvisionedProduct, versions: Option<&[Version]>) -> Self {
        let d = match versions {
            Some(vs) => drift(&provisioned, vs),
            None => drift_unread(&provisioned),
        };
        let versions = versions.unwrap_or(&[]);
        let version_name = versions
            .iter()
            .find(|v| v.id == provisioned.version_id)
            .map(|v| v.name.clone())
            .or_else(|| provisioned.version_name.clone())
            .unwrap_or_else(|| provisioned.version_id.clone());
        Self {
            label: label.to_string(),
            drift: d,
            version_name,
            latest: latest_version(versions).cloned(),
            provisioned,
        }
    }

    /// Whether it really drifts (not current, and its versions were read).
    pub fn drifts(&self) -> bool {
        self.drift.drifts()
    }
}

/// What a scan of one account of a fleet found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDrift {
    pub label: String,
    /// Its id, once known.
    pub account: Option<String>,
    pub rows: Vec<DriftRow>,
    /// The versions of each product its provisioned products run.
    pub versions: std::collections::BTreeMap<String, Vec<Version>>,
    /// Why the account (or part of it) could not be read.
    pub problems: Vec<String>,
    /// The account could not be reached at all.
    pub unreachable: Option<String>,
}

impl AccountDrift {
    pub fn unreachable(label: &str, account: Option<String>, reason: String) -> Self {
        Self {
            label: label.to_string(),
            account,
            rows: Vec::new(),
            versions: Default::default(),
            problems: Vec::new(),
            unreachable: Some(reason),
        }
    }

    pub fn summary(&self) -> DriftSummary {
        let mut s = DriftSummary::default();
        for r in &self.rows {
            s.add(r.drift);
        }
        s
    }

    pub fn drifted(&self) -> usize {
        self.rows.iter().filter(|r| r.drifts()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PpStatus;
    use crate::model::product::tests::version;
    use crate::model::provisioned::tests::pp;

    #[test]
    fn a_row_names_its_version_and_the_latest() {
        let versions = vec![
            version("pa-1", Some(1), true, false),
            version("pa-2", Some(2), true, false),
        ];
        let row = DriftRow::new(
            "spoke-001",
            pp("pp-1", "pa-1", PpStatus::Available),
            Some(&versions),
        );
        assert_eq!(row.drift, Drift::Behind(1));
        assert!(row.drifts());
        let unread = DriftRow::new("spoke-001", pp("pp-1", "pa-1", PpStatus::Available), None);
        assert_eq!(unread.drift, Drift::NotRead);
        assert!(!unread.drifts(), "a gap is not drift");
        assert_eq!(row.version_name, "name of pa-1");
        assert_eq!(row.latest.as_ref().map(|v| v.id.as_str()), Some("pa-2"));
        let mut account = AccountDrift::unreachable("x", None, "denied".into());
        assert_eq!(account.drifted(), 0);
        account.rows.push(row);
        assert_eq!(account.summary().behind, 1);
    }
}
