//! Catalog as code: a folder of `portfolio-*/mapping.yaml` files, each a
//! portfolio with its products (templates beside it), shares, tags and
//! principals — the format of AWS's widely copied sync sample, read as it
//! is, with spoke's extensions (organization and OU shares, versions,
//! deprecation, the auto-update opt-in, constraints, TagOptions). Unknown
//! keys are mistakes, named with their file, line and column and the keys
//! expected.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize};

/// One `mapping.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// The portfolio's display name: its identity.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The portfolio's provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default)]
    pub products: Vec<ProductEntry>,
    /// Account shares: added when listed, removed when taken off the list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<AccountEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
    /// Who may launch: `role/NAME` (the hub's), ARNs or patterns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub principals: Vec<String>,
    /// spoke: shared with the whole organization.
    #[serde(default, skip_serializing_if = "is_false")]
    pub organization: bool,
    /// spoke: shared with these OUs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organizational_units: Vec<String>,
    /// spoke: the shares pass the portfolio's TagOptions on.
    #[serde(default, skip_serializing_if = "is_false")]
    pub share_tag_options: bool,
    /// spoke: organization shares pass the principal names on.
    #[serde(default, skip_serializing_if = "is_false")]
    pub share_principals: bool,
    /// spoke: TagOptions of the portfolio.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tag_options: Vec<Tag>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A product of the portfolio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductEntry {
    /// The product's name: its identity.
    pub name: String,
    /// A file beside `mapping.yaml`.
    pub template: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// spoke: the new version's name (default: the next number after the newest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_description: Option<String>,
    /// spoke: keep this many active versions undeprecated (the newest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecate_previous: Option<usize>,
    /// spoke: the TagOption AutoUpdateProvisionedProduct=true.
    #[serde(default, skip_serializing_if = "is_false")]
    pub auto_update: bool,
    /// spoke: a LAUNCH constraint (a role name, or a role ARN).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_role: Option<String>,
    /// spoke: a TEMPLATE constraint's rules (`{NAME: {Assertions: […]}}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_rules: Option<serde_json::Value>,
    /// spoke: TagOptions of the product.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tag_options: Vec<Tag>,
}

/// An account share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// The 12-digit id (a YAML number or string; leading zeros kept).
    #[serde(deserialize_with = "account_number")]
    pub number: String,
}

/// A tag (`Key`, `Value`, as the sample writes them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tag {
    #[serde(rename = "Key")]
    pub key: String,
    #[serde(rename = "Value")]
    pub value: String,
}

fn account_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Number {
        Int(u64),
        Text(String),
    }
    let text = match Number::deserialize(d)? {
        // A YAML number loses an id's leading zeros: put one or two back,
        // never more (a short number is a mistake, not an id).
        Number::Int(n) if (10_000_000_000..1_000_000_000_000).contains(&n) => format!("{n:012}"),
        Number::Int(n) => n.to_string(),
        Number::Text(s) => s.trim().to_string(),
    };
    if text.len() != 12 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(serde::de::Error::custom(format!(
            "`{text}` is not an account number: 12 digits"
        )));
    }
    Ok(text)
}

/// A portfolio folder read: where it is and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioDir {
    pub dir: PathBuf,
    pub mapping: Mapping,
}

/// What is wrong with a folder, where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}{}: {message}", location.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default())]
pub struct MappingError {
    pub path: String,
    /// Line and column, 1-based.
    pub location: Option<(usize, usize)>,
    pub message: String,
}

/// Reads one `mapping.yaml`.
pub fn parse(path: &Path, text: &str) -> Result<Mapping, MappingError> {
    let mapping: Mapping = serde_norway::from_str(text).map_err(|e| MappingError {
        path: path.display().to_string(),
        location: e.location().map(|l| (l.line(), l.column())),
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or("")
            .to_string(),
    })?;
    let error = |message: String| MappingError {
        path: path.display().to_string(),
        location: None,
        message,
    };
    if mapping.name.trim().is_empty() {
        return Err(error(
            "`name` is empty: the portfolio's display name".into(),
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for p in &mapping.products {
        if !seen.insert(p.name.as_str()) {
            return Err(error(format!("product `{}` is listed twice", p.name)));
        }
        if p.template.trim().is_empty() {
            return Err(error(format!(
                "product `{}` names no template file",
                p.name
            )));
        }
    }
    Ok(mapping)
}

/// Reads every `portfolio-*/mapping.yaml` under `dir`, sorted by folder.
pub fn read_dir(dir: &Path) -> Result<Vec<PortfolioDir>, MappingError> {
    let error = |path: &Path, message: String| MappingError {
        path: path.display().to_string(),
        location: None,
        message,
    };
    let entries =
        std::fs::read_dir(dir).map_err(|e| error(dir, format!("cannot read the folder: {e}")))?;
    let mut folders: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| e.file_name().to_string_lossy().starts_with("portfolio-"))
        .map(|e| e.path())
        .collect();
    folders.sort();
    if folders.is_empty() {
        return Err(error(
            dir,
            "no portfolio-* folder with a mapping.yaml: nothing to sync".into(),
        ));
    }
    let mut out = Vec::new();
    let mut names = std::collections::BTreeMap::new();
    for folder in folders {
        let path = folder.join("mapping.yaml");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| error(&path, format!("cannot read it: {e}")))?;
        let mapping = parse(&path, &text)?;
        if let Some(other) = names.insert(mapping.name.clone(), path.clone()) {
            return Err(error(
                &path,
                format!(
                    "the portfolio `{}` is also named in {}",
                    mapping.name,
                    other.display()
                ),
            ));
        }
        for p in &mapping.products {
            let file = folder.join(&p.template);
            if !file.is_file() {
                return Err(error(
                    &path,
                    format!(
                        "product `{}`: its template {} is not there",
                        p.name,
                        file.display()
                    ),
                ));
            }
        }
        out.push(PortfolioDir {
            dir: folder,
            mapping,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str =
        "name: Infrastructure            # the portfolio's display name: its identity
description: Includes all the products related to infrastructure
owner: operations
products:
- name: vpc-product
  template: product-vpc.yaml
  owner: team1@example.com
  description: creates a vpc and all related components
accounts:
- identifier: Test Account
  number: 123456789012
tags:
- Key: keyname1
  Value: value1
principals:
- role/Admin
";

    #[test]
    fn the_samples_format_is_read_as_it_is() {
        let m = parse(Path::new("mapping.yaml"), SAMPLE).unwrap();
        assert_eq!(m.name, "Infrastructure");
        assert_eq!(m.owner.as_deref(), Some("operations"));
        assert_eq!(m.products[0].template, "product-vpc.yaml");
        assert_eq!(m.accounts[0].number, "123456789012");
        assert_eq!(m.tags[0].key, "keyname1");
        assert_eq!(m.principals, ["role/Admin"]);
    }

    #[test]
    fn an_unknown_key_names_its_file_line_column_and_the_keys_expected() {
        let text = SAMPLE.replace("  owner: team1", "  ownr: team1");
        let e = parse(Path::new("p/mapping.yaml"), &text).unwrap_err();
        let shown = e.to_string();
        assert!(shown.starts_with("p/mapping.yaml:7:"), "{shown}");
        assert!(shown.contains("unknown field `ownr`"), "{shown}");
        assert!(shown.contains("expected one of"), "{shown}");
    }

    #[test]
    fn account_numbers_are_twelve_digits_and_keep_their_zeros() {
        let text = SAMPLE.replace("number: 123456789012", "number: \"012345678901\"");
        assert_eq!(
            parse(Path::new("m"), &text).unwrap().accounts[0].number,
            "012345678901"
        );
        let text = SAMPLE.replace("number: 123456789012", "number: 1234");
        let e = parse(Path::new("m"), &text).unwrap_err();
        assert!(e.to_string().contains("12 digits"), "{e}");
    }
}
