//! The matrix as text: aligned columns, CSV (one line per product,
//! account and version), Markdown, and the JSON document; with OUs across
//! (see [`super::group`]) the same, a column per OU, each cell read in part
//! saying how many of its accounts were not read.

use serde::Serialize;

use super::{CellState, Matrix, MatrixCell, VersionCount};

/// What a cell says: its versions with counts, the worst state when not
/// current; "—" where nothing runs, "not read" where the account was not.
pub fn cell_words(cell: Option<&MatrixCell>) -> String {
    match cell {
        None => "not read".to_string(),
        Some(c) if c.versions.is_empty() => "—".to_string(),
        Some(c) => c
            .versions
            .iter()
            .map(|v| {
                let mut words = match v.count {
                    1 => v.version.clone(),
                    n => format!("{}×{n}", v.version),
                };
                if v.state != CellState::Current {
                    words.push_str(&format!(" ({})", v.state.word()));
                }
                words
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// What a cell says in a narrow column: each version with its count and
/// a mark when not current (↓ behind, dep deprecated, off inactive,
/// ✗ tainted, ? unknown) — the colour says the worst.
pub fn cell_marks(cell: Option<&MatrixCell>) -> String {
    match cell {
        None => "not read".to_string(),
        Some(c) if c.versions.is_empty() => "—".to_string(),
        Some(c) => c
            .versions
            .iter()
            .map(|v| {
                let mut words = match v.count {
                    1 => v.version.clone(),
                    n => format!("{}×{n}", v.version),
                };
                words.push_str(mark(v.state));
                words
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// The mark of a state in [`cell_marks`].
pub fn mark(state: CellState) -> &'static str {
    match state {
        CellState::Current => "",
        CellState::Behind => "↓",
        CellState::Deprecated => " dep",
        CellState::Inactive => " off",
        CellState::Tainted => "✗",
        CellState::Unknown => "?",
        CellState::NotRead => " (not read)",
    }
}

/// "v2.0×3 v1.0×1 · 1 of 4 drift".
pub fn totals_words(totals: &[VersionCount], provisioned: usize, drifted: usize) -> String {
    let versions: Vec<String> = totals
        .iter()
        .map(|v| format!("{}×{}", v.version, v.count))
        .collect();
    format!("{} · {drifted} of {provisioned} drift", versions.join(" "))
}

impl Matrix {
    /// What the cell of `product` in `column` says in a table: its words
    /// ([`cell_words`]), and "(k of n accounts not read)" in an OU read in
    /// part.
    pub fn cell_text(&self, product: usize, column: usize) -> String {
        let cell = self.cell(product, column);
        let words = cell_words(cell);
        match (
            cell,
            self.accounts.get(column).and_then(|a| a.not_read_words()),
        ) {
            (Some(_), Some(partial)) => format!("{words} ({partial})"),
            _ => words,
        }
    }

    /// The header and rows of the table: PRODUCT, LATEST, one column per
    /// account (or OU), FLEET.
    pub fn rows(&self) -> Vec<Vec<String>> {
        let mut header = vec!["PRODUCT".to_string(), "LATEST".to_string()];
        header.extend(self.accounts.iter().map(|a| a.label.clone()));
        header.push("FLEET".to_string());
        let mut rows = vec![header];
        for (i, p) in self.products.iter().enumerate() {
            let mut row = vec![
                p.name.clone(),
                p.latest.clone().unwrap_or_else(|| "not read".into()),
            ];
            row.extend((0..self.accounts.len()).map(|c| self.cell_text(i, c)));
            row.push(totals_words(&p.totals, p.provisioned, p.drifted));
            rows.push(row);
        }
        rows
    }

    /// One line per product, account and version that runs there, and one
    /// per account not read (version empty, state NOT_READ). With OUs
    /// across: `ou` and `account_ids` (its accounts, space-separated), and
    /// a NOT_READ line per OU some of whose accounts were not read, naming
    /// those.
    pub fn to_csv(&self) -> String {
        let by_ou = self.by_ou();
        let mut out = crate::csv::line(&[
            "product",
            "product_id",
            if by_ou { "ou" } else { "account" },
            if by_ou { "account_ids" } else { "account_id" },
            "version",
            "version_id",
            "count",
            "state",
        ]);
        for (i, p) in self.products.iter().enumerate() {
            for (c, a) in self.accounts.iter().enumerate() {
                let id = match by_ou {
                    true => a.account_ids.join(" "),
                    false => a.account_id.clone().unwrap_or_default(),
                };
                let not_read = |out: &mut String, ids: &str| {
                    out.push_str(&crate::csv::line(&[
                        p.name.as_str(),
                        &p.product_id,
                        &a.label,
                        ids,
                        "",
                        "",
                        "",
                        "NOT_READ",
                    ]))
                };
                match self.cell(i, c) {
                    None => not_read(&mut out, &id),
                    Some(cell) => {
                        if by_ou && !a.not_read.is_empty() {
                            not_read(&mut out, &a.not_read_ids.join(" "));
                        }
                        for v in &cell.versions {
                            out.push_str(&crate::csv::line(&[
                                p.name.as_str(),
                                &p.product_id,
                                &a.label,
                                &id,
                                &v.version,
                                &v.version_id,
                                &v.count.to_string(),
                                state_code(v.state),
                            ]));
                        }
                    }
                }
            }
        }
        out
    }

    /// A Markdown table (cells' `|` escaped), then what was not read.
    pub fn to_markdown(&self) -> String {
        let esc = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let rows = self.rows();
        let mut out = String::new();
        for (i, row) in rows.iter().enumerate() {
            out.push('|');
            for cell in row {
                out.push_str(&format!(" {} |", esc(cell)));
            }
            out.push('\n');
            if i == 0 {
                out.push('|');
                out.push_str(&" --- |".repeat(row.len()));
                out.push('\n');
            }
        }
        let unread: Vec<String> = self
            .accounts
            .iter()
            .filter_map(|a| match (&a.unreachable, a.not_read_words()) {
                (Some(why), _) => Some(format!("- {}: {why}", a.label)),
                (None, Some(partial)) => Some(format!(
                    "- {}: {partial} ({})",
                    a.label,
                    a.not_read.join(", ")
                )),
                (None, None) => None,
            })
            .collect();
        if !unread.is_empty() {
            out.push_str(if self.by_ou() {
                "\nOUs not read in full (their cells say so):\n\n"
            } else {
                "\nAccounts not read (their cells say so):\n\n"
            });
            out.push_str(&unread.join("\n"));
            out.push('\n');
        }
        out
    }

    /// The JSON document (`schema_version` 1): `columns_are` "account" or
    /// "ou"; `accounts` the columns (an OU's with its `account_ids`,
    /// `members` and those `not_read`); each cell of an OU read in part
    /// with `accounts_not_read`.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Doc<'a> {
            schema_version: u32,
            columns_are: &'static str,
            accounts: &'a [super::MatrixAccount],
            products: Vec<Product<'a>>,
        }
        #[derive(Serialize)]
        struct Product<'a> {
            product_id: &'a str,
            name: &'a str,
            latest: Option<&'a str>,
            provisioned: usize,
            drifted: usize,
            totals: &'a [VersionCount],
            /// One per account, in the order of `accounts`.
            cells: Vec<Cell<'a>>,
        }
        #[derive(Serialize)]
        struct Cell<'a> {
            account: &'a str,
            /// NOT_READ when the account was not; NONE when nothing runs.
            state: &'static str,
            versions: &'a [VersionCount],
            /// An OU read in part: how many of its accounts were not read.
            #[serde(skip_serializing_if = "Option::is_none")]
            accounts_not_read: Option<usize>,
        }
        let products = self
            .products
            .iter()
            .enumerate()
            .map(|(i, p)| Product {
                product_id: &p.product_id,
                name: &p.name,
                latest: p.latest.as_deref(),
                provisioned: p.provisioned,
                drifted: p.drifted,
                totals: &p.totals,
                cells: self
                    .accounts
                    .iter()
                    .enumerate()
                    .map(|(c, a)| {
                        let cell = self.cell(i, c);
                        Cell {
                            account: &a.label,
                            // The worst of what runs, NOT_READ at best in an
                            // OU read in part.
                            state: match cell.map(|_| self.cell_state(i, c)) {
                                None => "NOT_READ",
                                Some(None) => "NONE",
                                Some(Some(s)) => state_code(s),
                            },
                            versions: cell.map_or(&[], |c| c.versions.as_slice()),
                            accounts_not_read: (cell.is_some() && !a.not_read.is_empty())
                                .then_some(a.not_read.len()),
                        }
                    })
                    .collect(),
            })
            .collect();
        let doc = Doc {
            schema_version: 1,
            columns_are: if self.by_ou() { "ou" } else { "account" },
            accounts: &self.accounts,
            products,
        };
        serde_json::to_string_pretty(&doc).expect("the matrix serializes") + "\n"
    }
}

/// The state as JSON and CSV write it.
pub fn state_code(state: CellState) -> &'static str {
    match state {
        CellState::Current => "CURRENT",
        CellState::Behind => "BEHIND",
        CellState::Deprecated => "DEPRECATED",
        CellState::Inactive => "INACTIVE",
        CellState::Tainted => "TAINTED",
        CellState::Unknown => "UNKNOWN",
        CellState::NotRead => "NOT_READ",
    }
}
