//! The matrix grouped by OU: one column per OU (by path), each cell the
//! sum of its accounts' version counts with the worst state among them.
//!
//! What was not read stays said: an OU none of whose accounts was read is
//! a column of "not read"; one read in part counts what was read and its
//! column names the accounts that were not (the cells say "k of n
//! accounts not read", coloured as not read at best). An account whose OU
//! is not known goes to [`NO_OU`].
//!
//! [`Matrix::cell`] of a column none of whose accounts was read is `None`
//! ("not read"); [`Matrix::cell_state`] is "not read" at best where some
//! were not.

use std::collections::{BTreeMap, HashMap};

use super::{Matrix, MatrixAccount, MatrixCell, count, order};

/// The column of the accounts whose OU is not known.
pub const NO_OU: &str = "(no OU)";

/// The OU columns of accounts with these ids (in column order): OU path →
/// the account columns in it, paths sorted, [`NO_OU`] last.
pub fn ou_groups<'a>(
    ids: impl Iterator<Item = Option<&'a str>>,
    ou_of: &'a HashMap<String, String>,
) -> BTreeMap<(bool, &'a str), Vec<usize>> {
    let mut groups: BTreeMap<(bool, &str), Vec<usize>> = BTreeMap::new();
    for (c, id) in ids.enumerate() {
        let ou = id.and_then(|id| ou_of.get(id)).map(String::as_str);
        groups
            .entry((ou.is_none(), ou.unwrap_or(NO_OU)))
            .or_default()
            .push(c);
    }
    groups
}

/// The labels of the OU columns [`Matrix::grouped_by`] makes.
pub fn ou_labels<'a>(
    ids: impl Iterator<Item = Option<&'a str>>,
    ou_of: &'a HashMap<String, String>,
) -> Vec<String> {
    ou_groups(ids, ou_of)
        .into_keys()
        .map(|(_, path)| path.to_string())
        .collect()
}

impl Matrix {
    /// The same matrix with OUs across: `ou_of` maps an account id to its
    /// OU's path. Products, their totals and their order are unchanged.
    pub fn grouped_by(&self, ou_of: &HashMap<String, String>) -> Matrix {
        let groups = ou_groups(self.accounts.iter().map(|a| a.account_id.as_deref()), ou_of);
        let columns: Vec<MatrixAccount> = groups
            .iter()
            .map(|(&(_, path), members)| {
                let accounts: Vec<&MatrixAccount> =
                    members.iter().map(|&c| &self.accounts[c]).collect();
                let unread: Vec<&&MatrixAccount> = accounts
                    .iter()
                    .filter(|a| a.unreachable.is_some())
                    .collect();
                let all_unread = unread.len() == accounts.len();
                MatrixAccount {
                    label: path.to_string(),
                    account_id: None,
                    unreachable: all_unread.then(|| {
                        format!("none of its {} account(s) could be read", accounts.len())
                    }),
                    problems: accounts.iter().map(|a| a.problems).sum(),
                    account_ids: accounts
                        .iter()
                        .filter_map(|a| a.account_id.clone())
                        .collect(),
                    members: accounts.iter().map(|a| a.label.clone()).collect(),
                    not_read: unread.iter().map(|a| a.label.clone()).collect(),
                    not_read_ids: unread.iter().filter_map(|a| a.account_id.clone()).collect(),
                }
            })
            .collect();
        let products = self
            .products
            .iter()
            .map(|p| {
                let mut product = p.clone();
                product.cells = groups
                    .values()
                    .map(|members| {
                        let mut cell = MatrixCell::default();
                        for &c in members {
                            let Some(from) = p.cells.get(c) else { continue };
                            if self.accounts[c].unreachable.is_some() {
                                continue;
                            }
                            for v in &from.versions {
                                for _ in 0..v.count {
                                    count(&mut cell.versions, &v.version, &v.version_id, v.state);
                                }
                            }
                            cell.provisioned.extend(from.provisioned.iter().cloned());
                        }
                        order(&mut cell.versions);
                        cell
                    })
                    .collect();
                product
            })
            .collect();
        Matrix {
            accounts: columns,
            products,
        }
    }
}

#[cfg(test)]
mod tests_support {
    pub use super::*;
    pub use crate::model::AccountDrift;

    pub fn ou_map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(a, o)| (format!("id-{a}"), o.to_string()))
            .collect()
    }

    /// Accounts a, b (Root/Prod), c (Root/Dev), d (no OU), e (Root/Dev, not read).
    pub fn fleet() -> Vec<AccountDrift> {
        let mut e = AccountDrift::unreachable("e", None, "denied".into());
        e.account = Some("id-e".into());
        let account = crate::model::matrix::tests::account;
        vec![
            account("a", &[("pp-1", "x", "pa-2"), ("pp-2", "x", "pa-1")]),
            account("b", &[("pp-3", "x", "pa-1")]),
            account("c", &[("pp-4", "x", "pa-2")]),
            account("d", &[("pp-5", "x", "pa-1")]),
            e,
        ]
    }

    /// [`fleet`] by OU, e (not read) in Root/Dev with c.
    pub fn grouped() -> Matrix {
        Matrix::of(&fleet()).grouped_by(&ou_map(&[
            ("a", "Root/Prod"),
            ("b", "Root/Prod"),
            ("c", "Root/Dev"),
            ("e", "Root/Dev"),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::*;
    use crate::model::matrix::CellState;
    use crate::model::matrix::text::cell_words;

    #[test]
    fn columns_are_ous_and_cells_sum_their_accounts() {
        let m = Matrix::of(&fleet());
        let ous = ou_map(&[
            ("a", "Root/Prod"),
            ("b", "Root/Prod"),
            ("c", "Root/Dev"),
            ("e", "Root/Dev"),
        ]);
        let g = m.grouped_by(&ous);
        assert!(g.by_ou());
        let labels: Vec<&str> = g.accounts.iter().map(|a| a.label.as_str()).collect();
        assert_eq!(labels, ["Root/Dev", "Root/Prod", NO_OU]);
        assert_eq!(g.accounts[1].account_ids, ["id-a", "id-b"]);
        // Root/Prod: pa-2 once, pa-1 twice (a's and b's), worst behind.
        let prod = g.cell(0, 1).unwrap();
        assert_eq!(prod.text(), "name of pa-2 name of pa-1×2");
        assert_eq!(prod.count(), 3);
        assert_eq!(g.cell_state(0, 1), Some(CellState::Behind));
        assert_eq!(prod.provisioned, ["pp-1", "pp-2", "pp-3"]);
        // The totals are the fleet's, unchanged.
        assert_eq!(g.products[0].totals, m.products[0].totals);
        assert_eq!(g.provisioned(), m.provisioned());
        // (no OU): d.
        assert_eq!(g.cell(0, 2).unwrap().count(), 1);
        assert_eq!(g.accounts[2].members, ["d"]);
    }

    #[test]
    fn an_ou_read_in_part_counts_what_was_read_and_says_what_was_not() {
        let m = Matrix::of(&fleet());
        let ous = ou_map(&[("c", "Root/Dev"), ("e", "Root/Dev")]);
        let g = m.grouped_by(&ous);
        let dev = &g.accounts[0];
        assert_eq!(dev.label, "Root/Dev");
        assert_eq!(dev.unreachable, None);
        assert_eq!(dev.not_read, ["e"]);
        assert_eq!(
            dev.not_read_words().as_deref(),
            Some("1 of 2 accounts not read")
        );
        let cell = g.cell(0, 0).unwrap();
        assert_eq!(cell.count(), 1, "c's one, nothing made up for e");
        assert_eq!(
            g.cell_state(0, 0),
            Some(CellState::NotRead),
            "current at best is not claimed"
        );
    }

    #[test]
    fn an_ou_none_of_whose_accounts_was_read_is_not_read() {
        let m = Matrix::of(&fleet());
        let g = m.grouped_by(&ou_map(&[("e", "Root/Gone")]));
        let gone = g
            .accounts
            .iter()
            .position(|a| a.label == "Root/Gone")
            .unwrap();
        assert!(g.accounts[gone].unreachable.is_some());
        assert_eq!(g.accounts[gone].not_read, ["e"]);
        assert_eq!(g.cell(0, gone), None);
        assert_eq!(cell_words(g.cell(0, gone)), "not read");
    }
}

#[cfg(test)]
mod text_tests {
    use super::tests_support::*;

    #[test]
    fn every_format_says_the_columns_are_ous_and_what_was_not_read() {
        let g = grouped();
        let json: serde_json::Value = serde_json::from_str(&g.to_json()).unwrap();
        assert_eq!(json["schema_version"], 1);
        assert_eq!(json["columns_are"], "ou");
        assert_eq!(json["accounts"][0]["label"], "Root/Dev");
        assert_eq!(json["accounts"][0]["account_ids"][1], "id-e");
        let dev = &json["products"][0]["cells"][0];
        assert_eq!(dev["accounts_not_read"], 1);
        assert_eq!(dev["state"], "NOT_READ");
        assert_eq!(dev["versions"][0]["count"], 1);
        let csv = g.to_csv();
        assert!(
            csv.starts_with("product,product_id,ou,account_ids,"),
            "{csv}"
        );
        assert!(csv.contains(",Root/Dev,id-e,,,,NOT_READ\n"), "{csv}");
        assert!(csv.contains(",Root/Prod,id-a id-b,"), "{csv}");
        let md = g.to_markdown();
        assert!(md.contains("(1 of 2 accounts not read)"), "{md}");
        assert!(
            md.contains("- Root/Dev: 1 of 2 accounts not read (e)"),
            "{md}"
        );
        let flat: serde_json::Value =
            serde_json::from_str(&crate::model::matrix::Matrix::of(&fleet()).to_json()).unwrap();
        assert_eq!(flat["columns_are"], "account");
        assert!(flat["accounts"][0].get("account_ids").is_none());
    }
}
