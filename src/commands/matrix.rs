//! `spoke matrix`: which version of each product runs in which account of
//! one account or a fleet ([`crate::model::matrix`]), as a table, JSON,
//! CSV or Markdown; `--by ou`, one column per OU (the organization's tree
//! read alongside the scan). Reads only; exit 0, or 1 when an account could
//! not be read (its cells say "not read") or the tree could not be read
//! (nothing printed), 2 for `--by ou` without an organization.

use super::{CommandError, Context, EXIT_FAILED, fleet};
use crate::cli::{Cli, MatrixArgs, MatrixBy, MatrixFormat};
use crate::model::matrix::Matrix;
use crate::ops::fleet::Selection;

pub async fn run(cli: &Cli, args: &MatrixArgs) -> Result<(), CommandError> {
    let ctx = Context::new(cli)?;
    let selection = fleet::selection(cli, &ctx);
    let by_ou = args.by == MatrixBy::Ou;
    if by_ou && !matches!(selection, Selection::Organization { .. }) {
        return Err(CommandError::refused(format!(
            "--by ou: {} is not an organization — {}",
            selection.describe(),
            crate::ops::ou::FIX
        )));
    }
    let machine = !matches!(args.format, MatrixFormat::Table);
    let tree = async {
        match by_ou {
            true => crate::ops::ou::ou_paths(
                ctx.sessions.source(),
                &selection,
                ctx.region.as_deref(),
                ctx.sessions.log().clone(),
            )
            .await
            .map(Some),
            false => Ok(None),
        }
    };
    let (scanned, tree) = tokio::join!(fleet::scan(&ctx, &selection, machine), tree);
    // The tree's error first: it says what to do to group by OU.
    let tree = tree.map_err(CommandError::from_aws)?;
    let (_, accounts) = scanned?;
    let mut matrix = Matrix::of(&accounts);
    if let Some(ou_of) = &tree {
        matrix = matrix.grouped_by(ou_of);
    }
    if let Some(wanted) = &args.product {
        let wanted = wanted.to_lowercase();
        matrix
            .products
            .retain(|p| p.name.to_lowercase().contains(&wanted));
    }
    let text = match args.format {
        MatrixFormat::Table => {
            let mut out = super::aligned(&matrix.rows());
            out.push_str(&format!(
                "\n{} product(s) × {} {}, {} provisioned product(s)\n",
                matrix.products.len(),
                matrix.accounts.len(),
                if by_ou { "OU(s)" } else { "account(s)" },
                matrix.provisioned()
            ));
            out
        }
        MatrixFormat::Json => matrix.to_json(),
        MatrixFormat::Csv => matrix.to_csv(),
        MatrixFormat::Md => matrix.to_markdown(),
    };
    print!("{text}");
    if args.format == MatrixFormat::Json {
        crate::output::json::document_written();
    }
    let unread: Vec<&str> = match by_ou {
        true => matrix
            .accounts
            .iter()
            .flat_map(|a| a.not_read.iter().map(String::as_str))
            .collect(),
        false => matrix
            .accounts
            .iter()
            .filter(|a| a.unreachable.is_some())
            .map(|a| a.label.as_str())
            .collect(),
    };
    if unread.is_empty() {
        Ok(())
    } else {
        Err(CommandError::new(
            EXIT_FAILED,
            format!(
                "{} account(s) could not be read ({}): their cells say \"not read\"",
                unread.len(),
                unread.join(", ")
            ),
        ))
    }
}
