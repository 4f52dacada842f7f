//! The version matrix of a fleet: products down, accounts across, each
//! cell the versions of that product running in that account with their
//! counts and the worst drift among them; a summary per product (how many
//! run each version across the fleet). Pure, from what the fleet scan read
//! ([`AccountDrift`]): an account that could not be read is a column of
//! "not read", never of empty cells.

use std::collections::HashMap;

use serde::Serialize;

pub mod group;
pub mod text;

use super::{AccountDrift, Drift};

/// How a cell (or one version in it) stands, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CellState {
    /// Runs the latest version.
    Current,
    /// Newer recommended versions exist.
    Behind,
    Deprecated,
    Inactive,
    /// Its last request failed (TAINTED, ERROR).
    Tainted,
    /// Its version is no longer listed.
    Unknown,
    /// Its product's versions (or the account) were not read.
    NotRead,
}

impl CellState {
    pub fn of(drift: Drift) -> CellState {
        match drift {
            Drift::Current => CellState::Current,
            Drift::Behind(_) => CellState::Behind,
            Drift::OnDeprecated => CellState::Deprecated,
            Drift::OnInactive => CellState::Inactive,
            Drift::Unknown => CellState::Unknown,
            Drift::NotRead => CellState::NotRead,
            Drift::Tainted => CellState::Tainted,
        }
    }

    /// Worst first: what a cell holding several is coloured by.
    fn rank(self) -> u8 {
        match self {
            CellState::Tainted => 0,
            CellState::Inactive => 1,
            CellState::Deprecated => 2,
            CellState::Unknown => 3,
            CellState::NotRead => 4,
            CellState::Behind => 5,
            CellState::Current => 6,
        }
    }

    pub fn worst(self, other: CellState) -> CellState {
        if other.rank() < self.rank() {
            other
        } else {
            self
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            CellState::Current => "current",
            CellState::Behind => "behind",
            CellState::Deprecated => "deprecated",
            CellState::Inactive => "inactive",
            CellState::Tainted => "tainted",
            CellState::Unknown => "unknown version",
            CellState::NotRead => "not read",
        }
    }
}

/// One version of a product in one account (or across the fleet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionCount {
    pub version: String,
    pub version_id: String,
    pub count: usize,
    /// The worst state among them.
    pub state: CellState,
}

/// What runs of one product in one account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MatrixCell {
    /// Newest first (by name as AWS lists them is not an order: by count
    /// of the latest first, then by name).
    pub versions: Vec<VersionCount>,
    /// The provisioned products in it, for Enter on the cell.
    #[serde(skip)]
    pub provisioned: Vec<String>,
}

impl MatrixCell {
    pub fn count(&self) -> usize {
        self.versions.iter().map(|v| v.count).sum()
    }

    /// The worst state of what runs there; `None` when nothing does.
    pub fn state(&self) -> Option<CellState> {
        self.versions
            .iter()
            .map(|v| v.state)
            .reduce(CellState::worst)
    }

    /// "v2.0×3 v1.0" (a count of 1 is not written).
    pub fn text(&self) -> String {
        self.versions
            .iter()
            .map(|v| match v.count {
                1 => v.version.clone(),
                n => format!("{}×{n}", v.version),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A column: one account of the fleet, or (grouped, see [`group`]) one OU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatrixAccount {
    /// The profile, or the account's name in organization mode; the OU's
    /// path (`Root/Workloads`) in a column of an OU.
    pub label: String,
    pub account_id: Option<String>,
    /// Why it could not be read at all (its cells are "not read"); in a
    /// column of an OU, only when none of its accounts was read.
    pub unreachable: Option<String>,
    /// Parts of it that could not be read.
    pub problems: usize,
    /// A column of an OU: the ids of its accounts (empty for an account).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub account_ids: Vec<String>,
    /// A column of an OU: the labels of its accounts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// A column of an OU: the labels of its accounts that were not read
    /// (its cells count the others and say how many were not).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_read: Vec<String>,
    /// The ids of those, where known.
    #[serde(skip)]
    pub not_read_ids: Vec<String>,
}

impl MatrixAccount {
    /// "2 of 5 accounts not read", for a column of an OU read in part.
    pub fn not_read_words(&self) -> Option<String> {
        (!self.not_read.is_empty()).then(|| {
            format!(
                "{} of {} accounts not read",
                self.not_read.len(),
                self.members.len()
            )
        })
    }
}

/// A row: one product, its cells across the accounts and its totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatrixProduct {
    pub product_id: String,
    pub name: String,
    /// The latest active, non-deprecated version, where read.
    pub latest: Option<String>,
    /// How many run each version, across the fleet.
    pub totals: Vec<VersionCount>,
    pub provisioned: usize,
    /// How many drift (not current, and read).
    pub drifted: usize,
    /// One per account, in the order of [`Matrix::accounts`].
    #[serde(skip)]
    pub cells: Vec<MatrixCell>,
}

impl MatrixProduct {
    pub fn state(&self) -> Option<CellState> {
        self.cells
            .iter()
            .filter_map(MatrixCell::state)
            .reduce(CellState::worst)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Matrix {
    /// Its columns: accounts, or OUs once [`Matrix::grouped_by`].
    pub accounts: Vec<MatrixAccount>,
    pub products: Vec<MatrixProduct>,
}

/// Per version while counting: its name, count and worst state.
pub type Counts = Vec<VersionCount>;

/// Counts one more of `version` in `counts` (its worst state kept).
pub fn count(counts: &mut Counts, version: &str, version_id: &str, state: CellState) {
    match counts.iter_mut().find(|v| v.version_id == version_id) {
        Some(v) => {
            v.count += 1;
            v.state = v.state.worst(state);
        }
        None => counts.push(VersionCount {
            version: version.to_string(),
            version_id: version_id.to_string(),
            count: 1,
            state,
        }),
    }
}

/// The latest first, then the rest by name.
pub fn order(counts: &mut Counts) {
    counts.sort_by(|a, b| {
        (a.state != CellState::Current, &a.version)
            .cmp(&(b.state != CellState::Current, &b.version))
    });
}

impl Matrix {
    /// The matrix of what a fleet scan read: accounts in the order given,
    /// products by name.
    pub fn of(accounts: &[AccountDrift]) -> Matrix {
        let columns: Vec<MatrixAccount> = accounts
            .iter()
            .map(|a| MatrixAccount {
                label: a.label.clone(),
                account_id: a.account.clone(),
                unreachable: a.unreachable.clone(),
                problems: a.problems.len(),
                account_ids: Vec::new(),
                members: Vec::new(),
                not_read: Vec::new(),
                not_read_ids: Vec::new(),
            })
            .collect();
        let mut at: HashMap<&str, usize> = HashMap::new();
        let mut products: Vec<MatrixProduct> = Vec::new();
        for (column, account) in accounts.iter().enumerate() {
            for row in &account.rows {
                let p = &row.provisioned;
                let index = *at.entry(p.product_id.as_str()).or_insert_with(|| {
                    products.push(MatrixProduct {
                        product_id: p.product_id.clone(),
                        name: p
                            .product_name
                            .clone()
                            .unwrap_or_else(|| p.product_id.clone()),
                        latest: None,
                        totals: Vec::new(),
                        provisioned: 0,
                        drifted: 0,
                        cells: vec![MatrixCell::default(); columns.len()],
                    });
                    products.len() - 1
                });
                let product = &mut products[index];
                if product.latest.is_none() {
                    product.latest = row.latest.as_ref().map(|v| v.name.clone());
                }
                let state = CellState::of(row.drift);
                let cell = &mut product.cells[column];
                count(&mut cell.versions, &row.version_name, &p.version_id, state);
                cell.provisioned.push(p.id.clone());
                count(&mut product.totals, &row.version_name, &p.version_id, state);
                product.provisioned += 1;
                if row.drifts() {
                    product.drifted += 1;
                }
            }
        }
        for product in &mut products {
            order(&mut product.totals);
            for cell in &mut product.cells {
                order(&mut cell.versions);
            }
        }
        products.sort_by(|a, b| {
            (a.name.to_lowercase(), &a.product_id).cmp(&(b.name.to_lowercase(), &b.product_id))
        });
        Matrix {
            accounts: columns,
            products,
        }
    }

    /// What the cell of `product` (id) in account column `column` shows:
    /// `None` for an account not read, else the cell (maybe empty).
    pub fn cell(&self, product: usize, column: usize) -> Option<&MatrixCell> {
        let account = self.accounts.get(column)?;
        if account.unreachable.is_some() {
            return None;
        }
        self.products.get(product)?.cells.get(column)
    }

    /// The state a cell is coloured by: the worst of what runs there, and
    /// "not read" as well when some of its OU's accounts were not read.
    pub fn cell_state(&self, product: usize, column: usize) -> Option<CellState> {
        let cell = self.cell(product, column)?;
        let partial = self
            .accounts
            .get(column)
            .is_some_and(|a| a.not_read_words().is_some());
        match (cell.state(), partial) {
            (state, false) => state,
            (None, true) => Some(CellState::NotRead),
            (Some(s), true) => Some(s.worst(CellState::NotRead)),
        }
    }

    /// Whether the columns are OUs.
    pub fn by_ou(&self) -> bool {
        self.accounts.iter().any(|a| !a.members.is_empty())
    }

    /// How many provisioned products the matrix holds.
    pub fn provisioned(&self) -> usize {
        self.products.iter().map(|p| p.provisioned).sum()
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::product::tests::version;
    use crate::model::provisioned::tests::pp;
    use crate::model::{DriftRow, PpStatus};

    pub(super) fn account(label: &str, pps: &[(&str, &str, &str)]) -> AccountDrift {
        let versions = vec![
            version("pa-1", Some(1), true, false),
            version("pa-2", Some(2), true, false),
        ];
        AccountDrift {
            label: label.into(),
            account: Some(format!("id-{label}")),
            rows: pps
                .iter()
                .map(|(id, product, v)| {
                    let mut p = pp(id, v, PpStatus::Available);
                    p.product_id = product.to_string();
                    p.product_name = Some(format!("name {product}"));
                    DriftRow::new(label, p, Some(&versions))
                })
                .collect(),
            versions: Default::default(),
            problems: vec![],
            unreachable: None,
        }
    }

    #[test]
    fn cells_count_the_versions_of_each_product_in_each_account() {
        let a = account(
            "a",
            &[("pp-1", "prod-x", "pa-2"), ("pp-2", "prod-x", "pa-1")],
        );
        let b = account(
            "b",
            &[("pp-3", "prod-x", "pa-1"), ("pp-4", "prod-x", "pa-1")],
        );
        let mut down = AccountDrift::unreachable("c", None, "denied".into());
        down.account = Some("id-c".into());
        let m = Matrix::of(&[a, b, down]);
        assert_eq!(m.products.len(), 1);
        let x = &m.products[0];
        assert_eq!(x.provisioned, 4);
        assert_eq!(x.drifted, 3);
        let cell = m.cell(0, 0).unwrap();
        assert_eq!(cell.text(), "name of pa-2 name of pa-1");
        assert_eq!(cell.state(), Some(CellState::Behind));
        assert_eq!(m.cell(0, 1).unwrap().text(), "name of pa-1×2");
        assert_eq!(
            m.cell(0, 2),
            None,
            "an account not read is not an empty cell"
        );
        let totals: Vec<(usize, CellState)> = x.totals.iter().map(|v| (v.count, v.state)).collect();
        assert_eq!(totals, [(1, CellState::Current), (3, CellState::Behind)]);
    }

    #[test]
    fn the_worst_state_colours_a_cell() {
        let mut a = account(
            "a",
            &[("pp-1", "prod-x", "pa-2"), ("pp-2", "prod-x", "pa-2")],
        );
        a.rows[1].drift = Drift::Tainted;
        let m = Matrix::of(&[a]);
        assert_eq!(m.cell(0, 0).unwrap().state(), Some(CellState::Tainted));
        assert_eq!(m.cell(0, 0).unwrap().count(), 2);
    }
}
