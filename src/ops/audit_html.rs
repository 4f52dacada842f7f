//! The audit as one HTML file: what the Markdown report says of the fleet
//! — drift per account (a table and a chart), the version matrix with its
//! cells coloured by drift, each product's versions across the fleet — with
//! the charts as inline SVG and the style inline: no script, no network,
//! fit to attach to a ticket. An account not read says so in every place
//! it would appear.

use std::fmt::Write as _;

use super::charts::{self, colour, escape};
use crate::model::matrix::Matrix;
use crate::model::matrix::text::cell_words;
use crate::model::{AccountDrift, AccountSnapshot, Snapshot};

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#212121}\
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bdbdbd;padding:3px 8px;text-align:left;font-size:13px}\
th{background:#eeeeee}.num{text-align:right}.legend span{display:inline-block;padding:2px 8px;margin-right:6px;color:#fff;font-size:12px}";

pub fn html(s: &Snapshot) -> String {
    let accounts: Vec<AccountDrift> = s.accounts.iter().map(AccountSnapshot::drift).collect();
    let matrix = Matrix::of(&accounts);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Service Catalog audit</title><style>{STYLE}</style></head><body>"
    );
    let _ = write!(
        out,
        "<h1>Service Catalog audit</h1><p>Taken {} by {} from {}.</p>",
        s.taken.format("%Y-%m-%d %H:%M:%S UTC"),
        escape(&s.tool),
        escape(&s.source)
    );
    drift_table(&mut out, &accounts);
    out.push_str(&charts::svg(
        "Drifted provisioned products per account",
        &charts::drift_per_account(&accounts),
    ));
    let _ = write!(out, "<h2>Version matrix</h2>");
    legend(&mut out);
    matrix_table(&mut out, &matrix);
    let _ = write!(out, "<h2>Versions across the fleet</h2>");
    for p in &matrix.products {
        let title = format!(
            "{} (latest {}): {} provisioned, {} drift",
            p.name,
            p.latest.as_deref().unwrap_or("not read"),
            p.provisioned,
            p.drifted
        );
        out.push_str(&charts::svg(&title, &charts::versions_of(p)));
    }
    out.push_str("</body></html>\n");
    out
}

fn drift_table(out: &mut String, accounts: &[AccountDrift]) {
    let _ = write!(
        out,
        "<h2>Drift by account</h2><table><tr><th>account</th><th>id</th><th>provisioned</th><th>current</th><th>behind</th><th>on deprecated</th><th>on inactive</th><th>unknown</th><th>tainted</th><th>versions not read</th></tr>"
    );
    for a in accounts {
        let id = escape(a.account.as_deref().unwrap_or(""));
        match &a.unreachable {
            // No counts for what was not read: a 0 would say "none".
            Some(why) => {
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td>{id}</td><td colspan=\"8\">not read: {}</td></tr>",
                    escape(&a.label),
                    escape(why)
                );
            }
            None => {
                let d = a.summary();
                let _ = write!(out, "<tr><td>{}</td><td>{id}</td>", escape(&a.label));
                for n in [
                    d.total,
                    d.current,
                    d.behind,
                    d.on_deprecated,
                    d.on_inactive,
                    d.unknown,
                    d.tainted,
                    d.not_read,
                ] {
                    let _ = write!(out, "<td class=\"num\">{n}</td>");
                }
                out.push_str("</tr>");
            }
        }
    }
    out.push_str("</table>");
}

fn legend(out: &mut String) {
    use crate::model::matrix::CellState::*;
    out.push_str("<p class=\"legend\">");
    for state in [
        Current, Behind, Deprecated, Inactive, Tainted, Unknown, NotRead,
    ] {
        let _ = write!(
            out,
            "<span style=\"background:{}\">{}</span>",
            colour(state),
            state.word()
        );
    }
    out.push_str("</p>");
}

fn matrix_table(out: &mut String, matrix: &Matrix) {
    out.push_str("<table><tr><th>product</th><th>latest</th>");
    for a in &matrix.accounts {
        let _ = write!(out, "<th>{}</th>", escape(&a.label));
    }
    out.push_str("</tr>");
    for (i, p) in matrix.products.iter().enumerate() {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td>",
            escape(&p.name),
            escape(p.latest.as_deref().unwrap_or("not read"))
        );
        for c in 0..matrix.accounts.len() {
            let cell = matrix.cell(i, c);
            let state = match cell {
                None => Some(crate::model::matrix::CellState::NotRead),
                Some(cell) => cell.state(),
            };
            let style = state.map_or(String::new(), |s| {
                format!(" style=\"background:{};color:#fff\"", colour(s))
            });
            let _ = write!(out, "<td{style}>{}</td>", escape(&cell_words(cell)));
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
}
