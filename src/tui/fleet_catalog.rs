//! The fleet a console session scans: every account's drift as the scans
//! arrive, and the version matrix made of them (built once per change,
//! not once a frame).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::model::AccountDrift;
use crate::model::matrix::Matrix;
use crate::ops::charts::{self, Bar};

/// How many accounts the summary names, each with its drift.
const NAMED: usize = 12;

/// The drift of every account of a fleet, as the scans arrive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FleetCatalog {
    /// "profiles hub, spoke-dev" / "the organization of hub, …".
    pub label: String,
    /// The accounts scanned so far, in order of their labels.
    accounts: Vec<AccountDrift>,
    /// How many accounts the fleet has, once connected.
    pub members: Option<usize>,
    pub loading: bool,
    /// Why the fleet could not be listed (organization mode).
    pub error: Option<String>,
    /// What the matrix screen draws of `accounts`, made at its first use
    /// after they changed.
    made: Made,
    /// The same grouped by OU, and the OU tree it was grouped by.
    grouped: Grouped,
}

/// The version matrix of some accounts and what its screen draws beside
/// it, made once: a frame reads it, never the accounts' rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixMade {
    pub matrix: Matrix,
    /// Drifted per account, the most first (accounts read only).
    pub bars: Vec<Bar>,
    /// Accounts not read.
    pub unread: usize,
    /// Product id → its row in `matrix.products`.
    at: HashMap<String, usize>,
    /// Per product (as `matrix.products`): how many accounts run it.
    running_in: Vec<usize>,
}

impl MatrixMade {
    pub fn of(accounts: &[AccountDrift]) -> MatrixMade {
        MatrixMade::new(Matrix::of(accounts), accounts)
    }

    /// `matrix` (of `accounts`, maybe grouped) and its charts' series.
    pub fn new(matrix: Matrix, accounts: &[AccountDrift]) -> MatrixMade {
        let at = matrix
            .products
            .iter()
            .enumerate()
            .map(|(i, p)| (p.product_id.clone(), i))
            .collect();
        let running_in = matrix
            .products
            .iter()
            .map(|p| p.cells.iter().filter(|c| c.count() > 0).count())
            .collect();
        MatrixMade {
            bars: charts::drift_per_account(accounts),
            unread: accounts.iter().filter(|a| a.unreachable.is_some()).count(),
            matrix,
            at,
            running_in,
        }
    }

    /// The product of id `product_id`, and how many accounts run it.
    pub fn product(
        &self,
        product_id: &str,
    ) -> Option<(&crate::model::matrix::MatrixProduct, usize)> {
        let i = *self.at.get(product_id)?;
        Some((&self.matrix.products[i], self.running_in[i]))
    }
}

/// Made once per change of the accounts; any two are equal (what they
/// were made of is compared).
#[derive(Debug, Clone, Default)]
struct Made(OnceLock<Arc<MatrixMade>>);

impl PartialEq for Made {
    fn eq(&self, _: &Made) -> bool {
        true
    }
}

impl Eq for Made {}

/// The OU tree (account id → OU path) and the matrix grouped by it.
type ByOu = (Arc<HashMap<String, String>>, Arc<MatrixMade>);

#[derive(Debug, Default)]
struct Grouped(Mutex<Option<ByOu>>);

impl Clone for Grouped {
    fn clone(&self) -> Grouped {
        Grouped(Mutex::new(self.0.lock().map(|g| g.clone()).unwrap_or(None)))
    }
}

impl PartialEq for Grouped {
    fn eq(&self, _: &Grouped) -> bool {
        true
    }
}

impl Eq for Grouped {}

impl FleetCatalog {
    pub fn new(label: String) -> FleetCatalog {
        FleetCatalog {
            label,
            loading: true,
            ..FleetCatalog::default()
        }
    }

    /// The accounts scanned so far, in order of their labels.
    pub fn accounts(&self) -> &[AccountDrift] {
        &self.accounts
    }

    /// The accounts, to change: what was made of them is made again.
    pub fn accounts_mut(&mut self) -> &mut Vec<AccountDrift> {
        self.made = Made::default();
        self.grouped = Grouped::default();
        &mut self.accounts
    }

    /// Takes an account's scan, in place of an earlier one of the same
    /// label, kept in order of the labels.
    pub fn arrive(&mut self, account: AccountDrift) {
        let accounts = self.accounts_mut();
        accounts.retain(|a| a.label != account.label);
        let at = accounts.partition_point(|a| a.label.as_str() < account.label.as_str());
        accounts.insert(at, account);
    }

    /// The version matrix of the accounts and its charts' series.
    pub fn matrix(&self) -> Arc<MatrixMade> {
        self.made
            .0
            .get_or_init(|| Arc::new(MatrixMade::of(&self.accounts)))
            .clone()
    }

    /// The version matrix with OUs across, as `paths` (account id → OU
    /// path) groups the accounts: made again only for another tree.
    pub fn matrix_by(&self, paths: &Arc<HashMap<String, String>>) -> Arc<MatrixMade> {
        let mut grouped = match self.grouped.0.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some((tree, made)) = grouped.as_ref()
            && Arc::ptr_eq(tree, paths)
        {
            return made.clone();
        }
        let made = Arc::new(MatrixMade::new(
            self.matrix().matrix.grouped_by(paths),
            &self.accounts,
        ));
        *grouped = Some((paths.clone(), made.clone()));
        made
    }

    pub fn row(&self, id: &str) -> Option<&crate::model::DriftRow> {
        self.accounts
            .iter()
            .flat_map(|a| a.rows.iter())
            .find(|r| r.provisioned.id == id)
    }

    /// "20 of 21 accounts read (1 not read): 120 provisioned, 30 drifted — spoke-001 5 · …".
    pub fn summary(&self) -> String {
        let unreachable = self
            .accounts
            .iter()
            .filter(|a| a.unreachable.is_some())
            .count();
        let drifted: usize = self.accounts.iter().map(|a| a.drifted()).sum();
        let total: usize = self.accounts.iter().map(|a| a.rows.len()).sum();
        let not_read: usize = self.accounts.iter().map(|a| a.summary().not_read).sum();
        // Counts only of what was read, and says how much that is.
        let mut out = format!(
            "{} of {} accounts read{}: {total} provisioned, {drifted} drifted{}",
            self.accounts.len() - unreachable,
            self.members
                .map_or_else(|| "?".to_string(), |n| n.to_string()),
            if unreachable > 0 {
                format!(" ({unreachable} not read)")
            } else {
                String::new()
            },
            if not_read > 0 {
                format!(", {not_read} with versions not read")
            } else {
                String::new()
            }
        );
        // A status line shows a dozen accounts at most; `:matrix` shows all.
        let mut per: Vec<String> = self
            .accounts
            .iter()
            .take(NAMED)
            .map(|a| match &a.unreachable {
                Some(_) => format!("{} ✗", a.label),
                None => format!("{} {}", a.label, a.drifted()),
            })
            .collect();
        if self.accounts.len() > NAMED {
            per.push(format!("… {} more (:matrix)", self.accounts.len() - NAMED));
        }
        if !per.is_empty() {
            out.push_str(" — ");
            out.push_str(&per.join(" · "));
        }
        out
    }
}
