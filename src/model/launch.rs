//! What a launch or an update needs: launch paths, the parameters of a
//! version (with what template constraints allow), TagOptions, and the
//! checks AWS and CloudFormation make, run before any call so a mistake
//! is shown next to its field and nothing is sent.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A way to launch a product: a portfolio it is in, with its constraints
/// (`ListLaunchPaths`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaunchPath {
    pub id: String,
    /// The portfolio's name.
    pub name: String,
    /// The types of the constraints on this path ("LAUNCH", "TEMPLATE"…).
    pub constraints: Vec<String>,
}

/// A parameter of a version (`DescribeProvisioningParameters`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parameter {
    pub key: String,
    pub default: Option<String>,
    /// `String`, `Number`, `AWS::EC2::KeyPair::KeyName`…
    pub kind: String,
    pub description: Option<String>,
    pub no_echo: bool,
    /// The values allowed, narrowed by the path's template constraints.
    pub allowed: Vec<String>,
    pub pattern: Option<String>,
    pub constraint_description: Option<String>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
}

impl Parameter {
    /// Has no default: the user must give a value.
    pub fn required(&self) -> bool {
        self.default.is_none()
    }
}

/// A TagOption key and the values the portfolio or product allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagOption {
    pub key: String,
    pub values: Vec<String>,
}

/// Everything the launch form of a (product, version, path) shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisioningParameters {
    pub parameters: Vec<Parameter>,
    pub tag_options: Vec<TagOption>,
    /// The path's constraints, described ("LAUNCH: …").
    pub constraints: Vec<String>,
}

/// A parameter of a launch or an update, as sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParamSetting {
    /// This value.
    Value(String),
    /// Keep the value the provisioned product has (`UsePreviousValue`).
    Previous,
}

/// A product to launch, checked and ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchRequest {
    pub product_id: String,
    pub version_id: String,
    pub path_id: Option<String>,
    pub name: String,
    pub parameters: Vec<(String, String)>,
    /// Keys whose values are NoEcho: redacted wherever they are written.
    pub secret_keys: Vec<String>,
    pub tags: Vec<(String, String)>,
    /// `ProvisionToken`: the same token makes a retry harmless.
    pub token: String,
}

impl LaunchRequest {
    /// The values of its NoEcho parameters, to keep them off every screen.
    pub fn secret_values(&self) -> Vec<&str> {
        self.parameters
            .iter()
            .filter(|(k, _)| self.secret_keys.contains(k))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// An update of a provisioned product, checked and ready to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateRequest {
    pub provisioned_product_id: String,
    pub provisioned_product_name: String,
    pub product_id: String,
    pub version_id: String,
    pub path_id: Option<String>,
    pub parameters: Vec<(String, ParamSetting)>,
    pub secret_keys: Vec<String>,
    /// `UpdateToken`.
    pub token: String,
}

impl UpdateRequest {
    /// The values of its NoEcho parameters given anew (a kept one is not
    /// sent), to keep them off every screen.
    pub fn secret_values(&self) -> Vec<&str> {
        self.parameters
            .iter()
            .filter(|(k, _)| self.secret_keys.contains(k))
            .filter_map(|(_, v)| match v {
                ParamSetting::Value(v) => Some(v.as_str()),
                ParamSetting::Previous => None,
            })
            .collect()
    }
}

/// A mistake in what the user typed, tied to the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// A parameter key, or `name`, `version`, `path`, `accounts`…
    pub field: String,
    pub message: String,
    /// Its value is a secret (a NoEcho parameter's): a form asks for it
    /// masked.
    pub secret: bool,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
            secret: false,
        }
    }

    /// The same, about a secret value.
    pub fn secret(self) -> Self {
        Self {
            secret: true,
            ..self
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// The longest provisioned product name AWS takes.
pub const NAME_MAX: usize = 128;

/// A provisioned product name as AWS takes it: `[a-zA-Z0-9][a-zA-Z0-9._-]*`,
/// at most 128 characters (and, being a CloudFormation stack name part, no
/// dot in practice is needed, but AWS allows it).
pub fn check_provisioned_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("a name is required".into());
    }
    if name.chars().count() > NAME_MAX {
        return Err(format!("at most {NAME_MAX} characters"));
    }
    let mut chars = name.chars();
    let first = chars.next().expect("not empty");
    if !first.is_ascii_alphanumeric() {
        return Err("must start with a letter or a digit".into());
    }
    if let Some(bad) = chars.find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(format!(
            "{} is not allowed: use letters, digits, '.', '_' and '-'",
            shown_char(bad)
        ));
    }
    Ok(())
}

/// Checks `values` (parameter key → value) against `parameters` as
/// CloudFormation would: no unknown key, a value for every parameter with
/// no default (unless `previous` holds it: an update keeps previous
/// values), each value allowed by AllowedValues, pattern and lengths.
pub fn check_parameters(
    parameters: &[Parameter],
    values: &BTreeMap<String, String>,
    previous: &BTreeMap<String, String>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for key in values.keys() {
        if !parameters.iter().any(|p| &p.key == key) {
            let known: Vec<&str> = parameters.iter().map(|p| p.key.as_str()).collect();
            errors.push(FieldError::new(
                key,
                format!(
                    "this version has no parameter {}; its parameters are {}",
                    shown(key),
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
        }
    }
    for p in parameters {
        let Some(value) = values.get(&p.key) else {
            if p.required() && !previous.contains_key(&p.key) {
                errors.push(FieldError::new(
                    &p.key,
                    "required: this parameter has no default",
                ));
            }
            continue;
        };
        if let Err(message) = check_value(p, value) {
            errors.push(FieldError::new(&p.key, message));
        }
    }
    errors
}

/// One value against one parameter's constraints.
pub fn check_value(p: &Parameter, value: &str) -> Result<(), String> {
    if !p.allowed.is_empty() && !p.allowed.iter().any(|a| a == value) {
        let shown_value = if p.no_echo {
            "the value".to_string()
        } else {
            shown(value)
        };
        return Err(format!(
            "{shown_value} is not allowed; allowed: {}",
            p.allowed.join(", ")
        ));
    }
    let len = value.chars().count();
    if let Some(min) = p.min_length.filter(|&m| len < m) {
        return Err(format!("at least {min} characters"));
    }
    if let Some(max) = p.max_length.filter(|&m| len > m) {
        return Err(format!("at most {max} characters"));
    }
    if p.kind == "Number" && value.parse::<f64>().is_err() {
        return Err("must be a number".into());
    }
    if let Some(pattern) = &p.pattern
        && let Some(re) = whole_match(pattern)
        && !re.is_match(value)
    {
        let what = p
            .constraint_description
            .clone()
            .unwrap_or_else(|| format!("it must match {pattern}"));
        let shown_value = if p.no_echo {
            "the value".to_string()
        } else {
            shown(value)
        };
        return Err(format!("{shown_value} is not allowed: {what}"));
    }
    Ok(())
}

/// A CloudFormation AllowedPattern as a regex matching the whole value;
/// none if the pattern is not one the regex crate reads (then AWS judges).
fn whole_match(pattern: &str) -> Option<regex::Regex> {
    regex::Regex::new(&format!("^(?:{pattern})$")).ok()
}

/// A value quoted for a message, cut if long, control characters shown
/// as escapes (they come from the user or from AWS).
pub fn shown(value: &str) -> String {
    const MAX: usize = 40;
    let mut out: String = value.chars().take(MAX).map(visible).collect();
    if value.chars().count() > MAX {
        out.push('…');
    }
    format!("\"{out}\"")
}

fn shown_char(c: char) -> String {
    format!("'{}'", visible(c))
}

fn visible(c: char) -> char {
    if c.is_control() { '�' } else { c }
}

/// A parameter as the user gives it on a command line: `KEY=VALUE`.
pub fn parse_assignment(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("{} is not KEY=VALUE", shown(text))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn param(key: &str, default: Option<&str>, allowed: &[&str]) -> Parameter {
        Parameter {
            key: key.into(),
            default: default.map(str::to_string),
            kind: "String".into(),
            description: None,
            no_echo: false,
            allowed: allowed.iter().map(|s| s.to_string()).collect(),
            pattern: None,
            constraint_description: None,
            min_length: None,
            max_length: None,
        }
    }

    #[test]
    fn names_follow_the_aws_pattern() {
        assert!(check_provisioned_name("dev-vpc_1.a").is_ok());
        assert!(check_provisioned_name("").is_err());
        assert!(check_provisioned_name("-x").unwrap_err().contains("start"));
        assert!(check_provisioned_name("a b").unwrap_err().contains("' '"));
        assert!(
            check_provisioned_name("a\u{1b}[31m")
                .unwrap_err()
                .contains('�')
        );
        assert!(check_provisioned_name(&"a".repeat(129)).is_err());
        assert!(check_provisioned_name("日本").is_err());
    }

    #[test]
    fn parameters_are_checked_like_cloudformation() {
        let params = vec![
            param("Env", None, &["dev", "prod"]),
            param("Size", Some("small"), &[]),
        ];
        let none = BTreeMap::new();
        let errors = check_parameters(&params, &none, &none);
        assert_eq!(
            errors,
            vec![FieldError::new(
                "Env",
                "required: this parameter has no default"
            )]
        );
        let previous = BTreeMap::from([("Env".to_string(), "dev".to_string())]);
        assert!(check_parameters(&params, &none, &previous).is_empty());

        let values = BTreeMap::from([
            ("Env".to_string(), "test".to_string()),
            ("Colour".to_string(), "red".to_string()),
        ]);
        let errors = check_parameters(&params, &values, &none);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].field, "Colour");
        assert!(errors[0].message.contains("Env, Size"));
        assert_eq!(errors[1].field, "Env");
        assert!(errors[1].message.contains("allowed: dev, prod"));
    }

    #[test]
    fn values_must_match_the_allowed_pattern() {
        let mut p = param("Cidr", None, &[]);
        p.pattern = Some(r"(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})/(\d{1,2})".into());
        assert!(check_value(&p, "10.0.0.0/16").is_ok());
        assert!(
            check_value(&p, "10.0.0.0/16 trailing").is_err(),
            "the whole value"
        );
        p.constraint_description = Some("a CIDR block like 10.0.0.0/16".into());
        assert!(check_value(&p, "ten").unwrap_err().contains("a CIDR block"));
        p.pattern = Some("(unclosed".into());
        assert!(
            check_value(&p, "anything").is_ok(),
            "a pattern regex cannot read is left to AWS"
        );
        let mut secret = param("Password", None, &[]);
        secret.no_echo = true;
        secret.pattern = Some("[a-z]{8,}".into());
        let message = check_value(&secret, "Hunter2!").unwrap_err();
        assert!(!message.contains("Hunter2"));
    }

    #[test]
    fn no_echo_values_never_appear_in_messages() {
        let mut p = param("Password", None, &["a", "b"]);
        p.no_echo = true;
        let message = check_value(&p, "hunter2").unwrap_err();
        assert!(!message.contains("hunter2"));
    }

    #[test]
    fn assignments_split_on_the_first_equals() {
        assert_eq!(
            parse_assignment("Url=a=b").unwrap(),
            ("Url".to_string(), "a=b".to_string())
        );
        assert!(parse_assignment("=x").is_err());
        assert!(parse_assignment("novalue").is_err());
    }
}
