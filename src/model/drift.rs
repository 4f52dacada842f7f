//! Version drift of a provisioned product: pure, from its status and its
//! product's versions.
//!
//! The states, in the order they are decided:
//!
//! 1. **TAINTED** — its last provisioning request did not leave it as asked:
//!    status `TAINTED` (AWS: "the stack has completed the requested operation
//!    but is not exactly what was requested", i.e. an update failed and rolled
//!    back to the version before), status `ERROR` (a failed launch: nothing
//!    runs), or a stable status whose last provisioning record is not its
//!    last successful one (a failure AWS did not flag). While a request runs
//!    (`UNDER_CHANGE`, `PLAN_IN_PROGRESS`) the last record is naturally not
//!    the last successful one, so that is not taint. Records of requests that
//!    provision nothing (service actions) are left out by comparing
//!    `LastProvisioningRecordId`, not `LastRecordId`, when AWS gives it.
//! 2. **NOT_READ** — its product's versions could not be read (the call
//!    failed, or the product itself was not read): nothing is known of its
//!    drift but taint. Decided by the inventory, which knows what was read
//!    ([`Inventory::compute_drift`](super::Inventory::compute_drift)).
//! 3. **UNKNOWN** — its version id is not among the versions read of its
//!    product (the version was deleted, or is no longer visible).
//! 4. **ON_INACTIVE** — its version is inactive (cannot be launched again);
//!    this wins over deprecated when a version is both.
//! 5. **ON_DEPRECATED** — its version's guidance is DEPRECATED.
//! 6. **BEHIND n** — n active, non-deprecated versions are newer than its own.
//! 7. **CURRENT** — otherwise: it runs the latest version.
//!
//! "Newer" is by created time, ties broken by the order AWS lists the
//! versions (oldest first), exactly as [`latest_version`](super::latest_version)
//! picks the latest, so CURRENT always means "runs the latest version".
//! Version names are free text and never compared.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::product::{Version, compare_age};
use super::provisioned::{PpStatus, ProvisionedProduct};

/// How far a provisioned product is from where it should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Drift {
    Current,
    /// This many recommended versions are newer.
    Behind(usize),
    OnDeprecated,
    OnInactive,
    Unknown,
    /// Its product's versions were not read: not a drift, a gap.
    NotRead,
    Tainted,
}

impl Drift {
    /// The state alone, for machines: `BEHIND` (how far is
    /// [`Drift::behind_by`]), `CURRENT`, `ON_DEPRECATED`…
    pub fn state(self) -> &'static str {
        match self {
            Drift::Current => "CURRENT",
            Drift::Behind(_) => "BEHIND",
            Drift::OnDeprecated => "ON_DEPRECATED",
            Drift::OnInactive => "ON_INACTIVE",
            Drift::Unknown => "UNKNOWN",
            Drift::NotRead => "NOT_READ",
            Drift::Tainted => "TAINTED",
        }
    }

    /// How many recommended versions are newer, when it is behind.
    pub fn behind_by(self) -> Option<usize> {
        match self {
            Drift::Behind(n) => Some(n),
            _ => None,
        }
    }

    /// For sorting by urgency: tainted first, current last.
    pub fn severity(self) -> u8 {
        match self {
            Drift::Tainted => 0,
            Drift::OnInactive => 1,
            Drift::OnDeprecated => 2,
            Drift::Unknown => 3,
            Drift::NotRead => 4,
            Drift::Behind(_) => 5,
            Drift::Current => 6,
        }
    }
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Current => f.write_str("CURRENT"),
            Drift::Behind(n) => write!(f, "BEHIND {n}"),
            Drift::OnDeprecated => f.write_str("ON_DEPRECATED"),
            Drift::OnInactive => f.write_str("ON_INACTIVE"),
            Drift::Unknown => f.write_str("UNKNOWN"),
            Drift::NotRead => f.write_str("NOT_READ"),
            Drift::Tainted => f.write_str("TAINTED"),
        }
    }
}

/// Whether the last provisioning request left `pp` other than asked.
pub fn is_tainted(pp: &ProvisionedProduct) -> bool {
    match pp.status {
        PpStatus::Tainted | PpStatus::Error => true,
        PpStatus::UnderChange | PpStatus::PlanInProgress => false,
        PpStatus::Available | PpStatus::Other(_) => pp.last_request_failed(),
    }
}

/// The drift of `pp` when its product's versions were not read: taint is
/// still known (it needs no versions), nothing else is.
pub fn drift_unread(pp: &ProvisionedProduct) -> Drift {
    if is_tainted(pp) {
        Drift::Tainted
    } else {
        Drift::NotRead
    }
}

impl Drift {
    /// Whether this is a real drift from the latest version (not current,
    /// and not a gap in what was read).
    pub fn drifts(self) -> bool {
        !matches!(self, Drift::Current | Drift::NotRead)
    }
}

/// The drift of `pp`, given the versions of its product (as listed by
/// `ListProvisioningArtifacts`). See the module documentation.
pub fn drift(pp: &ProvisionedProduct, versions: &[Version]) -> Drift {
    if is_tainted(pp) {
        return Drift::Tainted;
    }
    let Some(own) = versions.iter().position(|v| v.id == pp.version_id) else {
        return Drift::Unknown;
    };
    let version = &versions[own];
    if !version.active {
        return Drift::OnInactive;
    }
    if version.deprecated {
        return Drift::OnDeprecated;
    }
    let newer = (0..versions.len())
        .filter(|&i| {
            versions[i].is_recommended() && compare_age(versions, i, own) == Ordering::Greater
        })
        .count();
    if newer == 0 {
        Drift::Current
    } else {
        Drift::Behind(newer)
    }
}

/// Provisioned products counted by drift state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftSummary {
    pub total: usize,
    pub current: usize,
    /// Products behind, whatever by how many.
    pub behind: usize,
    pub on_deprecated: usize,
    pub on_inactive: usize,
    pub unknown: usize,
    /// Products whose versions were not read: counted apart, never as drift.
    #[serde(default)]
    pub not_read: usize,
    pub tainted: usize,
}

impl DriftSummary {
    pub fn add(&mut self, drift: Drift) {
        self.total += 1;
        match drift {
            Drift::Current => self.current += 1,
            Drift::Behind(_) => self.behind += 1,
            Drift::OnDeprecated => self.on_deprecated += 1,
            Drift::OnInactive => self.on_inactive += 1,
            Drift::Unknown => self.unknown += 1,
            Drift::NotRead => self.not_read += 1,
            Drift::Tainted => self.tainted += 1,
        }
    }
}

impl FromIterator<Drift> for DriftSummary {
    fn from_iter<I: IntoIterator<Item = Drift>>(iter: I) -> Self {
        let mut summary = DriftSummary::default();
        for d in iter {
            summary.add(d);
        }
        summary
    }
}

impl std::fmt::Display for DriftSummary {
    /// "44 provisioned: 12 current, 20 behind, 3 on deprecated, 1 on inactive, 2 tainted"
    /// (states with none are left out).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} provisioned", self.total)?;
        let parts: Vec<String> = [
            (self.current, "current"),
            (self.behind, "behind"),
            (self.on_deprecated, "on deprecated"),
            (self.on_inactive, "on inactive"),
            (self.unknown, "unknown"),
            (self.tainted, "tainted"),
            (self.not_read, "versions not read"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if !parts.is_empty() {
            write!(f, ": {}", parts.join(", "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::product::tests::version;
    use crate::model::provisioned::tests::pp;

    /// v1 (day 1), v2 (day 2), v3 (day 3), all recommended.
    fn three() -> Vec<Version> {
        vec![
            version("pa-1", Some(1), true, false),
            version("pa-2", Some(2), true, false),
            version("pa-3", Some(3), true, false),
        ]
    }

    fn on(version_id: &str) -> ProvisionedProduct {
        pp("pp-1", version_id, PpStatus::Available)
    }

    #[test]
    fn current_on_the_latest() {
        assert_eq!(drift(&on("pa-3"), &three()), Drift::Current);
    }

    #[test]
    fn behind_counts_newer_recommended_versions() {
        assert_eq!(drift(&on("pa-2"), &three()), Drift::Behind(1));
        assert_eq!(drift(&on("pa-1"), &three()), Drift::Behind(2));
    }

    #[test]
    fn newer_is_by_time_not_list_order_nor_name() {
        let mut versions = three();
        versions.reverse();
        versions[0].name = "a".into();
        assert_eq!(drift(&on("pa-1"), &versions), Drift::Behind(2));
        assert_eq!(drift(&on("pa-3"), &versions), Drift::Current);
    }

    #[test]
    fn newer_deprecated_or_inactive_versions_do_not_count() {
        let mut versions = three();
        versions[1].deprecated = true;
        versions[2].active = false;
        assert_eq!(drift(&on("pa-1"), &versions), Drift::Current);
        versions.push(version("pa-4", Some(4), true, false));
        assert_eq!(drift(&on("pa-1"), &versions), Drift::Behind(1));
    }

    #[test]
    fn ties_in_time_follow_the_list_order_like_latest_version() {
        let versions = vec![
            version("pa-a", Some(5), true, false),
            version("pa-b", Some(5), true, false),
        ];
        assert_eq!(drift(&on("pa-a"), &versions), Drift::Behind(1));
        assert_eq!(drift(&on("pa-b"), &versions), Drift::Current);
        assert_eq!(crate::model::latest_version(&versions).unwrap().id, "pa-b");
    }

    #[test]
    fn current_always_means_on_the_latest() {
        // Every (pp version, version set) combination over a few shapes.
        let shapes: Vec<Vec<Version>> = vec![
            three(),
            vec![
                version("pa-1", Some(5), true, false),
                version("pa-2", Some(5), true, false),
                version("pa-3", None, true, false),
            ],
            vec![
                version("pa-1", Some(1), true, false),
                version("pa-2", Some(9), true, true),
                version("pa-3", Some(3), true, false),
            ],
        ];
        for versions in &shapes {
            let latest = crate::model::latest_version(versions).map(|v| v.id.clone());
            for v in versions {
                let d = drift(&on(&v.id), versions);
                assert_eq!(
                    d == Drift::Current,
                    latest.as_deref() == Some(v.id.as_str()),
                    "{} in {versions:?}: {d}",
                    v.id
                );
            }
        }
    }

    #[test]
    fn deprecated_and_inactive_versions() {
        let mut versions = three();
        versions[0].deprecated = true;
        assert_eq!(drift(&on("pa-1"), &versions), Drift::OnDeprecated);
        versions[0].active = false;
        assert_eq!(drift(&on("pa-1"), &versions), Drift::OnInactive);
    }

    #[test]
    fn all_versions_deprecated() {
        let versions = vec![
            version("pa-1", Some(1), true, true),
            version("pa-2", Some(2), true, true),
        ];
        assert_eq!(drift(&on("pa-2"), &versions), Drift::OnDeprecated);
        assert_eq!(drift(&on("pa-1"), &versions), Drift::OnDeprecated);
    }

    #[test]
    fn unknown_when_the_version_is_gone() {
        assert_eq!(drift(&on("pa-9"), &three()), Drift::Unknown);
        assert_eq!(drift(&on("pa-1"), &[]), Drift::Unknown);
    }

    #[test]
    fn tainted_by_status() {
        for status in [PpStatus::Tainted, PpStatus::Error] {
            let p = pp("pp-1", "pa-3", status);
            assert_eq!(drift(&p, &three()), Drift::Tainted);
        }
        // Even on a version that is gone: taint is what needs attention.
        let p = pp("pp-1", "pa-9", PpStatus::Tainted);
        assert_eq!(drift(&p, &three()), Drift::Tainted);
    }

    #[test]
    fn tainted_when_the_last_request_failed_but_status_says_available() {
        let mut p = on("pa-3");
        p.last_provisioning_record_id = Some("rec-2".into());
        assert_eq!(drift(&p, &three()), Drift::Tainted);
    }

    #[test]
    fn not_tainted_while_a_request_runs() {
        let mut p = pp("pp-1", "pa-2", PpStatus::UnderChange);
        p.last_provisioning_record_id = Some("rec-2".into());
        assert_eq!(drift(&p, &three()), Drift::Behind(1));
        p.status = PpStatus::PlanInProgress;
        assert_eq!(drift(&p, &three()), Drift::Behind(1));
    }

    #[test]
    fn a_first_launch_in_progress_is_judged_by_its_version() {
        let mut p = pp("pp-1", "pa-3", PpStatus::UnderChange);
        p.last_successful_record_id = None;
        assert_eq!(drift(&p, &three()), Drift::Current);
    }

    #[test]
    fn drift_reads_like_the_screen() {
        assert_eq!(Drift::Behind(2).to_string(), "BEHIND 2");
        assert_eq!(Drift::OnDeprecated.to_string(), "ON_DEPRECATED");
        assert!(Drift::Tainted.severity() < Drift::Current.severity());
        let json = serde_json::to_string(&Drift::Behind(3)).unwrap();
        assert_eq!(json, r#"{"BEHIND":3}"#);
        assert_eq!(
            serde_json::from_str::<Drift>(&json).unwrap(),
            Drift::Behind(3)
        );
    }

    #[test]
    fn the_summary_counts_states() {
        let summary: DriftSummary = [
            Drift::Current,
            Drift::Behind(1),
            Drift::Behind(3),
            Drift::OnDeprecated,
            Drift::Tainted,
        ]
        .into_iter()
        .collect();
        assert_eq!(summary.total, 5);
        assert_eq!(summary.behind, 2);
        assert_eq!(
            summary.to_string(),
            "5 provisioned: 1 current, 2 behind, 1 on deprecated, 1 tainted"
        );
        assert_eq!(DriftSummary::default().to_string(), "0 provisioned");
        let all: DriftSummary = [Drift::OnInactive, Drift::Unknown].into_iter().collect();
        assert_eq!(all.to_string(), "2 provisioned: 1 on inactive, 1 unknown");
    }
}
