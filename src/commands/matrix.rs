//! `spoke matrix`: which version of each product runs in which account of
//! one account or a fleet ([`crate::model::matrix`]), as a table, JSON,
//! CSV or Markdown. Reads only; exit 0, or 1 when an account could not be
//! read (its cells say "not read").

use super::{CommandError, Context, EXIT_FAILED, fleet};
use crate::cli::{Cli, MatrixArgs, MatrixFormat};
use crate::model::matrix::Matrix;

pub async fn run(cli: &Cli, args: &MatrixArgs) -> Result<(), CommandError> {
    let ctx = Context::new(cli)?;
    let selection = fleet::selection(cli, &ctx);
    let machine = !matches!(args.format, MatrixFormat::Table);
    let (_, accounts) = fleet::scan(&ctx, &selection, machine).await?;
    let mut matrix = Matrix::of(&accounts);
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
                "\n{} product(s) × {} account(s), {} provisioned product(s)\n",
                matrix.products.len(),
                matrix.accounts.len(),
                matrix.provisioned()
            ));
            out
        }
        MatrixFormat::Json => matrix.to_json(),
        MatrixFormat::Csv => matrix.to_csv(),
        MatrixFormat::Md => matrix.to_markdown(),
    };
    print!("{text}");
    let unread: Vec<&str> = matrix
        .accounts
        .iter()
        .filter(|a| a.unreachable.is_some())
        .map(|a| a.label.as_str())
        .collect();
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
