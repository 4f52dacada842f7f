//! Constraints of portfolios, and their parameters.

use aws_sdk_servicecatalog::types::ConstraintDetail;

use super::{Reader, all_pages, optional, text};
use crate::aws::error::AwsError;
use crate::model::{Constraint, ConstraintKind, ConstraintParams};

/// ListConstraintsForPortfolio takes up to 20 per page.
const PAGE: i32 = 20;

impl Reader {
    /// The constraints of a portfolio (local or imported), all products:
    /// `ListConstraintsForPortfolio`. Their `params` are left `None`; see
    /// [`Reader::constraint_params`]. A constraint owned by another account
    /// (the hub that shared the portfolio) is `inherited`.
    pub async fn list_constraints(&self, portfolio_id: &str) -> Result<Vec<Constraint>, AwsError> {
        let me = self.account().await?;
        let me = me.as_str();
        all_pages("ListConstraintsForPortfolio", |token| async move {
            let out = self
                .catalog()
                .list_constraints_for_portfolio()
                .portfolio_id(portfolio_id)
                .page_size(PAGE)
                .set_page_token(token)
                .send()
                .await
                .map_err(|e| {
                    self.session
                        .context
                        .map("servicecatalog", "ListConstraintsForPortfolio", e)
                })?;
            let page = out
                .constraint_details()
                .iter()
                .filter_map(|d| constraint(d, portfolio_id, me))
                .collect();
            Ok((page, out.next_page_token().map(str::to_string)))
        })
        .await
    }

    /// The decoded parameters of a constraint (`DescribeConstraint`).
    pub async fn constraint_params(
        &self,
        constraint_id: &str,
        kind: &ConstraintKind,
    ) -> Result<ConstraintParams, AwsError> {
        let out = self
            .catalog()
            .describe_constraint()
            .id(constraint_id)
            .send()
            .await
            .map_err(|e| {
                self.session
                    .context
                    .map("servicecatalog", "DescribeConstraint", e)
            })?;
        Ok(ConstraintParams::decode(
            kind,
            out.constraint_parameters().unwrap_or("{}"),
        ))
    }
}

/// Maps a `ConstraintDetail` listed for `portfolio_id`, seen from account `me`.
fn constraint(detail: &ConstraintDetail, portfolio_id: &str, me: &str) -> Option<Constraint> {
    let owner = text(detail.owner());
    Some(Constraint {
        id: optional(detail.constraint_id())?,
        kind: ConstraintKind::from(detail.r#type().unwrap_or_default()),
        description: optional(detail.description()),
        inherited: !owner.is_empty() && owner != me,
        owner,
        portfolio_id: detail
            .portfolio_id()
            .filter(|p| !p.is_empty())
            .unwrap_or(portfolio_id)
            .to_string(),
        product_id: text(detail.product_id()),
        params: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constraint_owned_elsewhere_is_inherited() {
        let d = ConstraintDetail::builder()
            .constraint_id("cons-1")
            .r#type("LAUNCH")
            .owner("111122223333")
            .product_id("prod-1")
            .build();
        let c = constraint(&d, "port-1", "222233334444").unwrap();
        assert!(c.inherited);
        assert_eq!(c.kind, ConstraintKind::Launch);
        assert_eq!(c.portfolio_id, "port-1");
        assert!(!constraint(&d, "port-1", "111122223333").unwrap().inherited);
        assert!(constraint(&ConstraintDetail::builder().build(), "p", "1").is_none());
    }
}
