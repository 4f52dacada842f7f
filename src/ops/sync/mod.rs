//! `spoke sync`: a folder of `portfolio-*/mapping.yaml` ([`crate::model::mapping`])
//! against the hub's catalog. [`plan`] reads the hub and lists the changes
//! that would bring it in step — portfolios to create or change, products
//! to create, a version only where a template's content changed (its
//! digest is in the key it was stored under), shares and principals to add
//! and to remove, tags, the auto-update opt-in, constraints — and what is
//! in the hub but not in the folder (reported, never deleted). [`apply`]
//! makes them in order, journaled, through the same ops as the other
//! commands.

mod apply;
pub mod export;
mod plan;

pub use apply::apply;
pub use plan::plan;

use std::path::PathBuf;

use crate::model::mapping::Tag;
use crate::model::{Principal, ShareTarget};

/// What `plan` is told besides the folder.
#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    /// `--bucket`, else the profile's `template_bucket`.
    pub bucket: Option<String>,
    /// `--prune`: what is in the hub and not in the folder is deleted
    /// (products taken out of the portfolios, then deleted; portfolios
    /// emptied, then deleted) instead of only reported.
    pub prune: bool,
}

/// One change, naming portfolios and products by name (those created
/// earlier in the same run have no id when it is planned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    CreatePortfolio {
        name: String,
        provider: String,
        description: Option<String>,
    },
    UpdatePortfolio {
        portfolio: String,
        provider: Option<String>,
        description: Option<String>,
    },
    TagPortfolio {
        portfolio: String,
        add: Vec<Tag>,
        remove: Vec<String>,
    },
    CreateProduct {
        portfolio: String,
        name: String,
        owner: String,
        description: Option<String>,
        version: String,
        version_description: Option<String>,
        template: PathBuf,
        digest: String,
    },
    UpdateProduct {
        product: String,
        owner: Option<String>,
        description: Option<String>,
    },
    AddVersion {
        product: String,
        version: String,
        description: Option<String>,
        template: PathBuf,
        digest: String,
    },
    AddToPortfolio {
        product: String,
        portfolio: String,
    },
    Deprecate {
        product: String,
        version_id: String,
        version: String,
    },
    Share {
        portfolio: String,
        target: ShareTarget,
        share_tag_options: bool,
        share_principals: bool,
    },
    Unshare {
        portfolio: String,
        target: ShareTarget,
    },
    AddPrincipal {
        portfolio: String,
        principal: Principal,
    },
    RemovePrincipal {
        portfolio: String,
        principal: Principal,
    },
    OptIn {
        product: String,
    },
    LaunchConstraint {
        portfolio: String,
        product: String,
        role: String,
    },
    TemplateConstraint {
        portfolio: String,
        product: String,
        rules: String,
    },
    /// `--prune`: a product taken out of a portfolio (its constraints
    /// there deleted first).
    RemoveFromPortfolio {
        product: String,
        portfolio: String,
        constraints: Vec<String>,
    },
    /// `--prune`: a product in no portfolio deleted.
    DeleteProduct {
        product: String,
    },
    /// `--prune`: a portfolio emptied (constraints, products, shares,
    /// principals) and deleted.
    DeletePortfolio {
        portfolio: String,
        constraints: Vec<String>,
        products: Vec<String>,
        shares: Vec<ShareTarget>,
        principals: Vec<Principal>,
    },
    /// A TagOption of this account associated with (or, `add` false,
    /// taken off) a portfolio or a product; created when missing.
    TagOption {
        /// "portfolio" or "product".
        kind: &'static str,
        name: String,
        key: String,
        value: String,
        add: bool,
    },
}

impl Change {
    /// One line of the plan: `+` adds, `~` changes, `-` removes.
    pub fn line(&self) -> String {
        match self {
            Change::CreatePortfolio { name, provider, .. } => {
                format!("+ portfolio {name} (provider {provider})")
            }
            Change::UpdatePortfolio {
                portfolio,
                provider,
                description,
            } => {
                let mut what = Vec::new();
                if let Some(p) = provider {
                    what.push(format!("provider → {p}"));
                }
                if let Some(d) = description {
                    what.push(format!("description → {d}"));
                }
                format!("~ portfolio {portfolio}: {}", what.join(", "))
            }
            Change::TagPortfolio {
                portfolio,
                add,
                remove,
            } => {
                let mut what: Vec<String> = add
                    .iter()
                    .map(|t| format!("+{}={}", t.key, t.value))
                    .collect();
                what.extend(remove.iter().map(|k| format!("-{k}")));
                format!("~ portfolio {portfolio}: tags {}", what.join(" "))
            }
            Change::CreateProduct {
                portfolio,
                name,
                version,
                template,
                digest,
                ..
            } => format!(
                "+ product {name} in {portfolio}, version {version} from {} (sha256 {}…)",
                template.display(),
                &digest[..12]
            ),
            Change::UpdateProduct {
                product,
                owner,
                description,
            } => {
                let mut what = Vec::new();
                if let Some(o) = owner {
                    what.push(format!("owner → {o}"));
                }
                if let Some(d) = description {
                    what.push(format!("description → {d}"));
                }
                format!("~ product {product}: {}", what.join(", "))
            }
            Change::AddVersion {
                product,
                version,
                template,
                digest,
                ..
            } => format!(
                "+ version {version} of {product} from {} (sha256 {}…: the template changed)",
                template.display(),
                &digest[..12]
            ),
            Change::AddToPortfolio { product, portfolio } => {
                format!("+ product {product} into {portfolio}")
            }
            Change::Deprecate {
                product, version, ..
            } => {
                format!("~ deprecate {version} of {product}")
            }
            Change::Share {
                portfolio, target, ..
            } => format!("+ share {portfolio} with {}", target.describe()),
            Change::Unshare { portfolio, target } => format!(
                "- stop sharing {portfolio} with {} (taken off the list)",
                target.describe()
            ),
            Change::AddPrincipal {
                portfolio,
                principal,
            } => format!("+ principal {} of {portfolio}", principal.arn),
            Change::RemovePrincipal {
                portfolio,
                principal,
            } => format!(
                "- principal {} of {portfolio} (taken off the list)",
                principal.arn
            ),
            Change::OptIn { product } => format!("+ opt {product} in to auto-update"),
            Change::LaunchConstraint {
                portfolio,
                product,
                role,
            } => format!("+ LAUNCH constraint on {product} in {portfolio}: role {role}"),
            Change::TemplateConstraint {
                portfolio, product, ..
            } => format!("+ TEMPLATE constraint on {product} in {portfolio}"),
            Change::RemoveFromPortfolio {
                product,
                portfolio,
                constraints,
            } => format!(
                "- product {product} out of {portfolio}{} (not in the folder; --prune)",
                if constraints.is_empty() {
                    String::new()
                } else {
                    format!(", its {} constraint(s) there deleted", constraints.len())
                }
            ),
            Change::DeleteProduct { product } => {
                format!("- DELETE product {product} (in no portfolio of the folder; --prune)")
            }
            Change::DeletePortfolio {
                portfolio,
                constraints,
                products,
                shares,
                principals,
            } => format!(
                "- DELETE portfolio {portfolio} (not in the folder; --prune): {} constraint(s), {} product(s), {} share(s), {} principal(s) removed first",
                constraints.len(),
                products.len(),
                shares.len(),
                principals.len()
            ),
            Change::TagOption {
                kind,
                name,
                key,
                value,
                add: true,
            } => format!("+ TagOption {key}={value} on {kind} {name}"),
            Change::TagOption {
                kind,
                name,
                key,
                value,
                add: false,
            } => format!("- TagOption {key}={value} off {kind} {name} (taken off the list)"),
        }
    }

    /// It takes something away.
    pub fn removes(&self) -> bool {
        matches!(
            self,
            Change::Unshare { .. } | Change::RemovePrincipal { .. }
        )
    }
}

/// The plan of a sync.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncPlan {
    pub changes: Vec<Change>,
    /// In the hub, not in the folder: reported, never deleted.
    pub not_in_folder: Vec<String>,
    /// What else the plan should say (a LAUNCH constraint that differs…).
    pub notes: Vec<String>,
    /// The bucket templates go to.
    pub bucket: Option<String>,
}

impl SyncPlan {
    pub fn in_step(&self) -> bool {
        self.changes.is_empty()
    }

    /// It deletes a product or a portfolio (`--prune`).
    pub fn deletes(&self) -> bool {
        self.changes.iter().any(|c| {
            matches!(
                c,
                Change::DeleteProduct { .. } | Change::DeletePortfolio { .. }
            )
        })
    }

    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.changes.iter().map(Change::line).collect();
        if lines.is_empty() {
            lines.push("in step: nothing to change".into());
        }
        lines.extend(self.not_in_folder.iter().map(|n| {
            format!("? {n}: in the hub, not in the folder (left alone; --prune deletes it)")
        }));
        lines.extend(self.notes.iter().map(|n| format!("note: {n}")));
        lines
    }
}
