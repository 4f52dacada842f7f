//! The actions an operator takes, as workflows with no terminal: each has
//! a plan (what it will do, checked before any call) and an apply (the
//! journaled calls through [`Writer`](crate::aws::Writer)). The console
//! and the headless commands both run these.
//!
//! [`share`] a portfolio, [`accept`] a share (and add its products to a
//! local portfolio), [`launch`] a product, [`update`] a provisioned
//! product (to another version, or another product), run one of its
//! self-service actions ([`service_action`]), and [`follow`] a request
//! until it settles.

pub mod accept;
pub mod constraint;
pub mod follow;
pub mod hub;
pub mod launch;
pub mod opt_in;
pub mod portfolio;
pub mod principal;
pub mod product;
pub mod provision;
pub mod publish;
pub mod repair;
pub mod request;
pub mod service_action;
pub mod share;
pub mod terminate;
pub mod update;
pub mod version;

use crate::aws::{AwsError, WriteError};
use crate::journal::JournalError;
use crate::model::FieldError;

/// Why an action did not happen, or failed.
#[derive(Debug, thiserror::Error)]
pub enum ActError {
    /// The action cannot be taken now; nothing was sent.
    #[error("{0}")]
    Refused(String),
    /// What was asked is not valid; nothing was sent.
    #[error("{}", invalid_line(.0))]
    Invalid(Vec<FieldError>),
    /// The request was sent, but how it ended cannot be told.
    #[error("{0}")]
    Untracked(String),
    /// AWS refused the request (it names the operation, the HTTP status
    /// and what to do): nothing changed.
    #[error("{0}")]
    Declined(String),
    #[error(transparent)]
    Aws(#[from] AwsError),
    #[error(transparent)]
    Journal(#[from] JournalError),
}

impl From<WriteError> for ActError {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::Aws(e) => ActError::Aws(e),
            WriteError::Journal(e) => ActError::Journal(e),
        }
    }
}

impl ActError {
    /// Nothing was sent to AWS.
    pub fn sent_nothing(&self) -> bool {
        matches!(
            self,
            ActError::Refused(_) | ActError::Invalid(_) | ActError::Journal(_)
        )
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            ActError::Invalid(errors) => errors,
            _ => &[],
        }
    }
}

fn invalid_line(errors: &[FieldError]) -> String {
    let parts: Vec<String> = errors.iter().map(ToString::to_string).collect();
    parts.join("; ")
}

/// The lines of a change of named fields: `field: now → wanted` for each
/// one asked for (`Some`) that differs from what it is.
pub(crate) fn field_changes(fields: &[(&str, Option<&str>, Option<&str>)]) -> Vec<String> {
    fields
        .iter()
        .filter_map(|(field, now, wanted)| {
            let wanted = (*wanted)?;
            (Some(wanted) != *now)
                .then(|| format!("{field}: {} → {wanted}", now.unwrap_or("(none)")))
        })
        .collect()
}

/// A plan's lines for `changes` of `what`: "what is so already: nothing to
/// do" when there are none, else "change what" and each change.
pub(crate) fn change_lines(what: &str, heading: String, changes: Vec<String>) -> Vec<String> {
    if changes.is_empty() {
        return vec![format!("{what} is so already: nothing to do")];
    }
    std::iter::once(heading).chain(changes).collect()
}

/// A fresh idempotency token.
pub fn new_token() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Finds an item by id or by name (ids win); the error lists the choices.
pub(crate) fn pick<'a, T>(
    items: &'a [T],
    wanted: &str,
    what: &str,
    id: impl Fn(&T) -> &str,
    name: impl Fn(&T) -> &str,
) -> Result<&'a T, ActError> {
    if let Some(found) = items.iter().find(|i| id(i) == wanted) {
        return Ok(found);
    }
    let named: Vec<&T> = items.iter().filter(|i| name(i) == wanted).collect();
    match named.as_slice() {
        [one] => Ok(one),
        [] => {
            let choices: Vec<String> = items
                .iter()
                .take(12)
                .map(|i| format!("{} ({})", name(i), id(i)))
                .collect();
            Err(ActError::Refused(format!(
                "no {what} {} — the {what}s are: {}",
                crate::model::launch::shown(wanted),
                if choices.is_empty() {
                    "none".to_string()
                } else {
                    choices.join(", ")
                }
            )))
        }
        many => Err(ActError::Refused(format!(
            "more than one {what} is named {} — give its id: {}",
            crate::model::launch::shown(wanted),
            many.iter().map(|i| id(i)).collect::<Vec<_>>().join(", ")
        ))),
    }
}

#[cfg(test)]
mod field_change_tests {
    #[test]
    fn only_the_fields_asked_for_and_different_are_changes() {
        let lines = super::field_changes(&[
            ("name", Some("A"), Some("B")),
            ("owner", Some("x"), Some("x")),
            ("description", None, Some("new")),
            ("provider", Some("p"), None),
        ]);
        assert_eq!(lines, ["name: A → B", "description: (none) → new"]);
    }
}
