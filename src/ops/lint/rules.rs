//! The registry of the hygiene rules: id, severity, what each means and
//! how it is fixed (the help text of `spoke lint` and of SARIF's rules).

use super::{Fleet, Out, Severity, catalog, provisioned, shares};

/// One rule.
pub struct RuleDoc {
    /// Stable: config switches and SARIF name rules by it.
    pub id: &'static str,
    pub severity: Severity,
    /// One line: what the rule looks for.
    pub title: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// What fixes it.
    pub fix: &'static str,
    pub check: fn(&Fleet<'_>, &mut Out),
}

pub fn rule(id: &str) -> Option<&'static RuleDoc> {
    RULES.iter().find(|r| r.id == id)
}

pub const RULES: &[RuleDoc] = &[
    RuleDoc {
        id: "share-not-accepted",
        severity: Severity::Warning,
        title: "An account share not accepted for more than share_pending_days (its offer time from spoke's journal)",
        why: "Until the spoke accepts it, the portfolio's products cannot be launched there; a share nobody accepts is usually forgotten. AWS does not say when a share was offered: the age is that of spoke's own CreatePortfolioShare in its journal; a pending share spoke did not make (no journal line) is a note whose age is unknown.",
        fix: "Accept it in the recipient account (spoke accept), or unshare it from the hub if it is no longer wanted.",
        check: shares::share_not_accepted,
    },
    RuleDoc {
        id: "org-share-failed",
        severity: Severity::Error,
        title: "An organization or OU share spoke made whose status ended ERROR or COMPLETED_WITH_ERRORS",
        why: "The accounts named in its errors did not get the portfolio: nothing of it can be launched there. Its token is in spoke's journal; DescribePortfolioShareStatus says how it ended (COMPLETED_WITH_ERRORS is a warning: some accounts did get it).",
        fix: "Check the accounts named (active, in the organization, trusted access enabled), then share again with the node (spoke share --ou ID or --organization ID).",
        check: shares::org_share_failed,
    },
    RuleDoc {
        id: "imported-no-launch-constraint",
        severity: Severity::Warning,
        title: "An imported product in a local portfolio without a LAUNCH constraint there",
        why: "With no launch role in the spoke's own portfolio, launches run with the caller's own rights or fail.",
        fix: "Add a LAUNCH constraint (LocalRoleName) to the product in the local portfolio (spoke constraint add).",
        check: catalog::imported_no_launch_constraint,
    },
    RuleDoc {
        id: "portfolio-no-principals",
        severity: Severity::Warning,
        title: "A portfolio with products, shared with nobody, and no principals",
        why: "Nobody can launch from a portfolio with no IAM principal, and no other account reaches it.",
        fix: "Grant access to a role or group (spoke principal add), or share the portfolio.",
        check: catalog::portfolio_no_principals,
    },
    RuleDoc {
        id: "launch-role-missing",
        severity: Severity::Error,
        title: "A LAUNCH constraint whose role does not exist or cannot be used by Service Catalog",
        why: "Every launch and update through the constraint fails until the role exists and trusts servicecatalog.amazonaws.com.",
        fix: "Create the role in the account (trusting servicecatalog.amazonaws.com), or point the constraint at one that exists.",
        check: catalog::launch_role_missing,
    },
    RuleDoc {
        id: "product-no-launchable-version",
        severity: Severity::Error,
        title: "A product with no active, non-deprecated version",
        why: "Nothing can be launched or updated to a recommended version of it.",
        fix: "Publish a new version (spoke version publish) or take a version out of deprecation.",
        check: catalog::no_launchable_version,
    },
    RuleDoc {
        id: "template-rule-unknown-parameter",
        severity: Severity::Warning,
        title: "A TEMPLATE constraint rule naming a parameter the latest version does not have",
        why: "The rule no longer restricts what it was written for, or blocks launches of the latest version.",
        fix: "Rewrite the TEMPLATE constraint for the latest version's parameters (spoke constraint).",
        check: catalog::template_rule_unknown_parameter,
    },
    RuleDoc {
        id: "version-unused",
        severity: Severity::Note,
        title: "An old version no provisioned product uses",
        why: "Versions nobody runs are clutter in every launch form; deprecating or deleting them keeps the choice clear.",
        fix: "Deprecate or delete the version (spoke version).",
        check: catalog::version_unused,
    },
    RuleDoc {
        id: "pp-outdated-version",
        severity: Severity::Warning,
        title: "A provisioned product on a deprecated or inactive version",
        why: "Its owner is told not to use the version (deprecated), or it can no longer be updated in place to itself (inactive).",
        fix: "Update it to the latest version (spoke update).",
        check: provisioned::outdated_version,
    },
    RuleDoc {
        id: "pp-failed",
        severity: Severity::Error,
        title: "A provisioned product TAINTED or in ERROR",
        why: "Its last request failed: what runs is not what its record says, and bulk updates skip it.",
        fix: "Look at its requests and repair it (spoke repair).",
        check: provisioned::failed,
    },
    RuleDoc {
        id: "pp-stuck",
        severity: Severity::Error,
        title: "A provisioned product UNDER_CHANGE for longer than the threshold",
        why: "A request that runs for hours is usually stuck (a wait condition, a resource waiting on a signal); nothing else can be done to it meanwhile.",
        fix: "Look at its stack's events in the CloudFormation console and cancel or signal what waits.",
        check: provisioned::stuck,
    },
    RuleDoc {
        id: "pp-stack-missing",
        severity: Severity::Error,
        title: "A provisioned product whose stack no longer exists",
        why: "Its resources were deleted outside Service Catalog: updating it fails, and it still counts as running.",
        fix: "Terminate it (spoke terminate) and launch it again if it is still needed.",
        check: provisioned::stack_missing,
    },
    RuleDoc {
        id: "product-not-opted-in",
        severity: Severity::Note,
        title: "A product with drifted provisioned products that the bulk update's tag policy leaves alone",
        why: "The bulk update's policy takes only products carrying its tag: these provisioned products stay behind.",
        fix: "Opt the product in to auto-update (spoke opt-in), or tag the provisioned products.",
        check: provisioned::not_opted_in,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "{} twice", r.id);
            assert!(
                r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.id
            );
            assert!(!r.why.is_empty() && !r.fix.is_empty());
        }
    }
}
