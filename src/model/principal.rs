//! Who may launch from a portfolio: its principals.

use serde::{Deserialize, Serialize};

/// An IAM user, group or role (`IAM`, a full ARN), or a name pattern
/// matched in every account the portfolio is shared with (`IAM_PATTERN`,
/// an ARN with no account: `arn:aws:iam:::role/Dev*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub arn: String,
    /// IAM or IAM_PATTERN.
    pub kind: String,
}

impl Principal {
    /// What a user writes: a full ARN, `role/NAME` (`user/…`, `group/…`)
    /// in `account`, or a pattern ARN (no account) — checked as AWS checks
    /// them, with the reason when it is not one.
    pub fn parse(text: &str, account: &str, partition: &str) -> Result<Principal, String> {
        let text = text.trim();
        let expected = "an IAM ARN (arn:aws:iam::123456789012:role/NAME), role/NAME, user/NAME, group/NAME, or a pattern (arn:aws:iam:::role/Dev*)";
        if let Some((what, name)) = text.split_once('/')
            && !text.starts_with("arn:")
        {
            if !matches!(what, "role" | "user" | "group") || name.is_empty() {
                return Err(format!("`{text}` is not a principal: use {expected}"));
            }
            let kind = if name.contains(['*', '?']) {
                "IAM_PATTERN"
            } else {
                "IAM"
            };
            let account = if kind == "IAM" { account } else { "" };
            return Ok(Principal {
                arn: format!("arn:{partition}:iam::{account}:{text}"),
                kind: kind.into(),
            });
        }
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        let [prefix, _, service, region, acct, resource] = parts[..] else {
            return Err(format!("`{text}` is not a principal: use {expected}"));
        };
        let (what, name) = resource.split_once('/').unwrap_or((resource, ""));
        if prefix != "arn"
            || service != "iam"
            || !region.is_empty()
            || !matches!(what, "role" | "user" | "group")
            || name.is_empty()
        {
            return Err(format!("`{text}` is not a principal: use {expected}"));
        }
        let kind = if acct.is_empty() {
            "IAM_PATTERN"
        } else if acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit()) {
            if name.contains(['*', '?']) {
                return Err(format!(
                    "`{text}`: a pattern names no account (arn:aws:iam:::{what}/{name})"
                ));
            }
            "IAM"
        } else {
            return Err(format!("`{text}`: `{acct}` is not a 12-digit account id"));
        };
        Ok(Principal {
            arn: text.to_string(),
            kind: kind.into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Principal;

    #[test]
    fn short_names_are_the_accounts_own_and_patterns_name_no_account() {
        let p = Principal::parse("role/Admin", "111111111111", "aws").unwrap();
        assert_eq!(p.arn, "arn:aws:iam::111111111111:role/Admin");
        assert_eq!(p.kind, "IAM");
        let p = Principal::parse("role/Dev*", "111111111111", "aws").unwrap();
        assert_eq!(
            (p.arn.as_str(), p.kind.as_str()),
            ("arn:aws:iam:::role/Dev*", "IAM_PATTERN")
        );
        let p = Principal::parse("arn:aws:iam:::role/Ops", "1", "aws").unwrap();
        assert_eq!(p.kind, "IAM_PATTERN");
        let p = Principal::parse("arn:aws:iam::222222222222:user/a", "1", "aws").unwrap();
        assert_eq!(p.kind, "IAM");
    }

    #[test]
    fn anything_else_says_what_a_principal_is() {
        for bad in [
            "Admin",
            "policy/P",
            "arn:aws:s3:::b",
            "arn:aws:iam::12:role/A",
            "role/",
        ] {
            let e = Principal::parse(bad, "111111111111", "aws").unwrap_err();
            assert!(e.contains(bad), "{e}");
        }
        assert!(Principal::parse("arn:aws:iam::111111111111:role/A*", "1", "aws").is_err());
    }
}

/// An IAM role as `GetRole` describes it: enough to tell whether a LAUNCH
/// constraint can use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IamRole {
    pub name: String,
    pub arn: String,
    /// The trust policy (JSON, decoded); `None` when IAM sent none.
    pub trust_policy: Option<String>,
}

impl IamRole {
    /// Whether its trust policy lets Service Catalog assume it (what a
    /// launch role needs); `None`: the policy was not sent or is not JSON.
    pub fn trusts_service(&self, service: &str) -> Option<bool> {
        let doc: serde_json::Value = serde_json::from_str(self.trust_policy.as_deref()?).ok()?;
        let statements = match doc.get("Statement")? {
            serde_json::Value::Array(list) => list.clone(),
            one => vec![one.clone()],
        };
        Some(statements.iter().any(|s| {
            s.get("Effect").and_then(|e| e.as_str()) == Some("Allow")
                && s.get("Principal")
                    .and_then(|p| p.get("Service"))
                    .is_some_and(|v| match v {
                        serde_json::Value::String(x) => x == service,
                        serde_json::Value::Array(xs) => xs.iter().any(|x| x == service),
                        _ => false,
                    })
        }))
    }
}
