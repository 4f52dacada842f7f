//! Constraints of a product in a portfolio, with their parameters decoded.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The constraint types of Service Catalog.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum ConstraintKind {
    Launch,
    Notification,
    ResourceUpdate,
    StackSet,
    Template,
    /// A type this version of spoke does not know.
    Other(String),
}

impl ConstraintKind {
    /// The AWS name: LAUNCH, NOTIFICATION, RESOURCE_UPDATE, STACKSET, TEMPLATE.
    pub fn as_str(&self) -> &str {
        match self {
            ConstraintKind::Launch => "LAUNCH",
            ConstraintKind::Notification => "NOTIFICATION",
            ConstraintKind::ResourceUpdate => "RESOURCE_UPDATE",
            ConstraintKind::StackSet => "STACKSET",
            ConstraintKind::Template => "TEMPLATE",
            ConstraintKind::Other(s) => s,
        }
    }
}

impl From<&str> for ConstraintKind {
    fn from(s: &str) -> Self {
        match s {
            "LAUNCH" => ConstraintKind::Launch,
            "NOTIFICATION" => ConstraintKind::Notification,
            "RESOURCE_UPDATE" => ConstraintKind::ResourceUpdate,
            "STACKSET" => ConstraintKind::StackSet,
            "TEMPLATE" => ConstraintKind::Template,
            other => ConstraintKind::Other(other.to_string()),
        }
    }
}

impl From<String> for ConstraintKind {
    fn from(s: String) -> Self {
        ConstraintKind::from(s.as_str())
    }
}

impl From<ConstraintKind> for String {
    fn from(k: ConstraintKind) -> Self {
        k.as_str().to_string()
    }
}

impl std::fmt::Display for ConstraintKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The role a LAUNCH constraint provisions with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LaunchRole {
    /// One role, in one account.
    RoleArn(String),
    /// A role of that name in whichever account launches (what hub-and-spoke uses).
    LocalRoleName(String),
}

/// One assertion of a template rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assertion {
    /// The condition, rendered readably (`Cpu in ['256', '512']`).
    pub assert: String,
    pub description: Option<String>,
}

/// One rule of a TEMPLATE constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub name: String,
    /// When the rule applies, rendered readably; `None`: always.
    pub condition: Option<String>,
    pub assertions: Vec<Assertion>,
    /// The template parameters its condition and assertions name (`Ref`,
    /// `Fn::ValueOf`), in the order they first appear.
    #[serde(default)]
    pub parameters: Vec<String>,
}

/// The parameters of a constraint (`DescribeConstraint`), decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConstraintParams {
    Launch {
        role: LaunchRole,
    },
    Template {
        rules: Vec<Rule>,
    },
    Notification {
        topics: Vec<String>,
    },
    StackSet {
        accounts: Vec<String>,
        regions: Vec<String>,
        admin_role: Option<String>,
        execution_role: Option<String>,
    },
    ResourceUpdate {
        /// ALLOWED or NOT_ALLOWED.
        tag_update: String,
    },
    /// Parameters that do not decode as their type says: the text as given.
    Raw {
        text: String,
    },
}

impl ConstraintParams {
    /// Decodes the JSON text of a constraint of type `kind`. Never fails:
    /// what does not fit its type comes back as [`ConstraintParams::Raw`].
    pub fn decode(kind: &ConstraintKind, text: &str) -> ConstraintParams {
        let raw = || ConstraintParams::Raw {
            text: text.to_string(),
        };
        let Ok(json) = serde_json::from_str::<Value>(text) else {
            return raw();
        };
        let decoded = match kind {
            ConstraintKind::Launch => decode_launch(&json),
            ConstraintKind::Template => decode_template(&json),
            ConstraintKind::Notification => decode_notification(&json),
            ConstraintKind::StackSet => decode_stack_set(&json),
            ConstraintKind::ResourceUpdate => decode_resource_update(&json),
            ConstraintKind::Other(_) => None,
        };
        decoded.unwrap_or_else(raw)
    }

    /// One line for a table cell.
    pub fn summary(&self) -> String {
        match self {
            ConstraintParams::Launch {
                role: LaunchRole::RoleArn(arn),
            } => format!("role {arn}"),
            ConstraintParams::Launch {
                role: LaunchRole::LocalRoleName(name),
            } => format!("local role {name}"),
            ConstraintParams::Template { rules } => {
                let n = rules.len();
                let names: Vec<&str> = rules.iter().map(|r| r.name.as_str()).collect();
                format!(
                    "{n} rule{}: {}",
                    if n == 1 { "" } else { "s" },
                    names.join(", ")
                )
            }
            ConstraintParams::Notification { topics } => format!("topics {}", topics.join(", ")),
            ConstraintParams::StackSet {
                accounts, regions, ..
            } => format!("accounts {} in {}", accounts.join(", "), regions.join(", ")),
            ConstraintParams::ResourceUpdate { tag_update } => format!("tag updates {tag_update}"),
            ConstraintParams::Raw { text } => text.split_whitespace().collect::<Vec<_>>().join(" "),
        }
    }
}

fn string_at<'a>(json: &'a Value, key: &str) -> Option<&'a str> {
    json.get(key).and_then(Value::as_str)
}

fn strings_at(json: &Value, key: &str) -> Option<Vec<String>> {
    json.get(key)?
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn decode_launch(json: &Value) -> Option<ConstraintParams> {
    let role = match (string_at(json, "RoleArn"), string_at(json, "LocalRoleName")) {
        (Some(arn), None) => LaunchRole::RoleArn(arn.to_string()),
        (None, Some(name)) => LaunchRole::LocalRoleName(name.to_string()),
        _ => return None,
    };
    Some(ConstraintParams::Launch { role })
}

fn decode_notification(json: &Value) -> Option<ConstraintParams> {
    Some(ConstraintParams::Notification {
        topics: strings_at(json, "NotificationArns")?,
    })
}

fn decode_resource_update(json: &Value) -> Option<ConstraintParams> {
    let tag_update = string_at(json.get("Properties")?, "TagUpdateOnProvisionedProduct")?;
    Some(ConstraintParams::ResourceUpdate {
        tag_update: tag_update.to_string(),
    })
}

fn decode_stack_set(json: &Value) -> Option<ConstraintParams> {
    let props = json.get("Properties")?;
    Some(ConstraintParams::StackSet {
        accounts: strings_at(props, "AccountList")?,
        regions: strings_at(props, "RegionList")?,
        admin_role: string_at(props, "AdminRole").map(str::to_string),
        execution_role: string_at(props, "ExecutionRole").map(str::to_string),
    })
}

fn decode_template(json: &Value) -> Option<ConstraintParams> {
    let rules = json.get("Rules")?.as_object()?;
    let mut decoded = Vec::with_capacity(rules.len());
    for (name, rule) in rules {
        let assertions = rule
            .get("Assertions")?
            .as_array()?
            .iter()
            .map(|a| {
                Some(Assertion {
                    assert: render_intrinsic(a.get("Assert")?),
                    description: string_at(a, "AssertDescription").map(str::to_string),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let mut parameters = Vec::new();
        for part in ["RuleCondition", "Assertions"] {
            if let Some(v) = rule.get(part) {
                referenced(v, &mut parameters);
            }
        }
        decoded.push(Rule {
            name: name.clone(),
            condition: rule.get("RuleCondition").map(render_intrinsic),
            assertions,
            parameters,
        });
    }
    Some(ConstraintParams::Template { rules: decoded })
}

/// The parameter names `value` refers to (`{"Ref": P}`, `{"Fn::ValueOf":
/// [P, attribute]}`), added to `out` once each. Pseudo parameters
/// (`AWS::Region`) are not the template's.
fn referenced(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| referenced(v, out)),
        Value::Object(map) => {
            for (key, arg) in map {
                let name = match key.as_str() {
                    "Ref" => arg.as_str(),
                    "Fn::ValueOf" => arg.get(0).and_then(Value::as_str),
                    _ => None,
                };
                match name {
                    Some(n) if !n.starts_with("AWS::") => {
                        if !out.iter().any(|x| x == n) {
                            out.push(n.to_string());
                        }
                    }
                    Some(_) => {}
                    None => referenced(arg, out),
                }
            }
        }
        _ => {}
    }
}

/// Renders a rule function of a CloudFormation template rule readably:
/// `{"Fn::Equals": [{"Ref": "Env"}, "prod"]}` → `Env == 'prod'`.
/// Anything it does not know is shown as compact JSON.
pub fn render_intrinsic(value: &Value) -> String {
    match value {
        Value::String(s) => format!("'{s}'"),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(render_intrinsic).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Object(map) if map.len() == 1 => {
            let Some((key, arg)) = map.iter().next() else {
                return value.to_string();
            };
            render_function(key, arg).unwrap_or_else(|| value.to_string())
        }
        other => other.to_string(),
    }
}

fn render_function(name: &str, arg: &Value) -> Option<String> {
    let args = || arg.as_array().map(Vec::as_slice);
    Some(match name {
        "Ref" => arg.as_str()?.to_string(),
        "Fn::ValueOf" => match args()? {
            [param, attribute] => {
                format!("{}.{}", param.as_str()?, attribute.as_str().unwrap_or("?"))
            }
            _ => return None,
        },
        "Fn::ValueOfAll" => match args()? {
            [ptype, attribute] => {
                format!(
                    "all {}.{}",
                    ptype.as_str()?,
                    attribute.as_str().unwrap_or("?")
                )
            }
            _ => return None,
        },
        "Fn::RefAll" => format!("all {}", arg.as_str()?),
        "Fn::Equals" => match args()? {
            [a, b] => format!("{} == {}", render_intrinsic(a), render_intrinsic(b)),
            _ => return None,
        },
        "Fn::Not" => match args()? {
            [a] => format!("not ({})", render_intrinsic(a)),
            _ => return None,
        },
        "Fn::And" | "Fn::Or" => {
            let op = if name == "Fn::And" { " and " } else { " or " };
            let parts: Vec<String> = args()?
                .iter()
                .map(|a| format!("({})", render_intrinsic(a)))
                .collect();
            parts.join(op)
        }
        "Fn::Contains" => match args()? {
            [list, x] => format!("{} in {}", render_intrinsic(x), render_intrinsic(list)),
            _ => return None,
        },
        "Fn::EachMemberEquals" => match args()? {
            [list, x] => format!(
                "each of {} == {}",
                render_intrinsic(list),
                render_intrinsic(x)
            ),
            _ => return None,
        },
        "Fn::EachMemberIn" => match args()? {
            [a, b] => format!("each of {} in {}", render_intrinsic(a), render_intrinsic(b)),
            _ => return None,
        },
        _ => return None,
    })
}

/// A constraint on a product in a portfolio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Constraint {
    pub id: String,
    pub kind: ConstraintKind,
    pub description: Option<String>,
    /// The account that owns the constraint.
    pub owner: String,
    pub portfolio_id: String,
    pub product_id: String,
    /// Owned by another account (the hub that shared the portfolio).
    pub inherited: bool,
    /// `None` if `DescribeConstraint` could not be read.
    pub params: Option<ConstraintParams>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(kind: &str, text: &str) -> ConstraintParams {
        ConstraintParams::decode(&ConstraintKind::from(kind), text)
    }

    #[test]
    fn kinds_round_trip_through_their_aws_names() {
        for name in [
            "LAUNCH",
            "NOTIFICATION",
            "RESOURCE_UPDATE",
            "STACKSET",
            "TEMPLATE",
            "FUTURE",
        ] {
            let kind = ConstraintKind::from(name);
            assert_eq!(kind.as_str(), name);
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<ConstraintKind>(&json).unwrap(), kind);
        }
        assert_eq!(
            ConstraintKind::from("FUTURE"),
            ConstraintKind::Other("FUTURE".into())
        );
    }

    #[test]
    fn launch_roles() {
        assert_eq!(
            decode("LAUNCH", r#"{"LocalRoleName":"SCLaunchRole"}"#),
            ConstraintParams::Launch {
                role: LaunchRole::LocalRoleName("SCLaunchRole".into())
            }
        );
        let arn = "arn:aws:iam::111122223333:role/X";
        let p = decode("LAUNCH", &format!(r#"{{"RoleArn":"{arn}"}}"#));
        assert_eq!(
            p,
            ConstraintParams::Launch {
                role: LaunchRole::RoleArn(arn.into())
            }
        );
        assert_eq!(p.summary(), format!("role {arn}"));
        // Both or neither: not a valid LAUNCH constraint.
        assert!(matches!(
            decode("LAUNCH", r#"{"RoleArn":"a","LocalRoleName":"b"}"#),
            ConstraintParams::Raw { .. }
        ));
        assert!(matches!(
            decode("LAUNCH", "{}"),
            ConstraintParams::Raw { .. }
        ));
    }

    #[test]
    fn notification_topics() {
        let p = decode(
            "NOTIFICATION",
            r#"{"NotificationArns":["arn:aws:sns:us-east-1:1:a","arn:aws:sns:us-east-1:1:b"]}"#,
        );
        assert_eq!(
            p,
            ConstraintParams::Notification {
                topics: vec![
                    "arn:aws:sns:us-east-1:1:a".into(),
                    "arn:aws:sns:us-east-1:1:b".into()
                ]
            }
        );
    }

    #[test]
    fn stack_set_accounts_and_regions() {
        let p = decode(
            "STACKSET",
            r#"{"Version":"String","Properties":{"AccountList":["1","2"],"RegionList":["us-east-1"],"AdminRole":"arn:admin","ExecutionRole":"Exec"}}"#,
        );
        assert_eq!(
            p,
            ConstraintParams::StackSet {
                accounts: vec!["1".into(), "2".into()],
                regions: vec!["us-east-1".into()],
                admin_role: Some("arn:admin".into()),
                execution_role: Some("Exec".into()),
            }
        );
        assert_eq!(p.summary(), "accounts 1, 2 in us-east-1");
    }

    #[test]
    fn tag_update_policy() {
        let p = decode(
            "RESOURCE_UPDATE",
            r#"{"Version":"2.0","Properties":{"TagUpdateOnProvisionedProduct":"NOT_ALLOWED"}}"#,
        );
        assert_eq!(
            p,
            ConstraintParams::ResourceUpdate {
                tag_update: "NOT_ALLOWED".into()
            }
        );
    }

    #[test]
    fn template_rules_with_conditions_and_assertions() {
        let text = r#"{"Rules":{
            "ProdIsMultiAz":{"RuleCondition":{"Fn::Equals":[{"Ref":"Environment"},"prod"]},
                "Assertions":[{"Assert":{"Fn::Equals":[{"Ref":"MultiAZ"},"true"]},"AssertDescription":"Multi-AZ in prod"}]},
            "RestrictCpu":{"Assertions":[{"Assert":{"Fn::Contains":[["256","512"],{"Ref":"Cpu"}]}}]}
        }}"#;
        let ConstraintParams::Template { rules } = decode("TEMPLATE", text) else {
            panic!("not a template");
        };
        assert_eq!(
            rules,
            vec![
                Rule {
                    name: "ProdIsMultiAz".into(),
                    condition: Some("Environment == 'prod'".into()),
                    assertions: vec![Assertion {
                        assert: "MultiAZ == 'true'".into(),
                        description: Some("Multi-AZ in prod".into()),
                    }],
                    parameters: vec!["Environment".into(), "MultiAZ".into()],
                },
                Rule {
                    name: "RestrictCpu".into(),
                    condition: None,
                    assertions: vec![Assertion {
                        assert: "Cpu in ['256', '512']".into(),
                        description: None,
                    }],
                    parameters: vec!["Cpu".into()],
                },
            ]
        );
        assert_eq!(
            ConstraintParams::Template { rules }.summary(),
            "2 rules: ProdIsMultiAz, RestrictCpu"
        );
    }

    #[test]
    fn rule_functions_render_readably() {
        let r = |text: &str| render_intrinsic(&serde_json::from_str(text).unwrap());
        assert_eq!(
            r(
                r#"{"Fn::And":[{"Fn::Equals":[{"Ref":"A"},"x"]},{"Fn::Not":[{"Fn::Equals":[{"Ref":"B"},"y"]}]}]}"#
            ),
            "(A == 'x') and (not (B == 'y'))"
        );
        assert_eq!(r(r#"{"Fn::Or":[{"Ref":"A"},{"Ref":"B"}]}"#), "(A) or (B)");
        assert_eq!(
            r(
                r#"{"Fn::EachMemberIn":[{"Fn::ValueOfAll":["AWS::EC2::Subnet::Id","VpcId"]},{"Fn::RefAll":"AWS::EC2::VPC::Id"}]}"#
            ),
            "each of all AWS::EC2::Subnet::Id.VpcId in all AWS::EC2::VPC::Id"
        );
        assert_eq!(
            r(r#"{"Fn::EachMemberEquals":[{"Fn::ValueOf":["Subnets","VpcId"]},{"Ref":"Vpc"}]}"#),
            "each of Subnets.VpcId == Vpc"
        );
        // Unknown functions and odd shapes stay JSON.
        assert_eq!(r(r#"{"Fn::Mystery":[1]}"#), r#"{"Fn::Mystery":[1]}"#);
        assert_eq!(r(r#"{"Fn::Equals":[1]}"#), r#"{"Fn::Equals":[1]}"#);
        assert_eq!(r("42"), "42");
        assert_eq!(r(r#"{"a":1,"b":2}"#), r#"{"a":1,"b":2}"#);
    }

    #[test]
    fn what_does_not_parse_stays_raw() {
        assert_eq!(
            decode("TEMPLATE", "not json"),
            ConstraintParams::Raw {
                text: "not json".into()
            }
        );
        assert!(matches!(
            decode("TEMPLATE", r#"{"Rules":{"R":{"Assertions":"no"}}}"#),
            ConstraintParams::Raw { .. }
        ));
        assert!(matches!(
            decode("NOTIFICATION", r#"{"NotificationArns":[1]}"#),
            ConstraintParams::Raw { .. }
        ));
        assert!(matches!(
            decode("STACKSET", r#"{"Properties":{}}"#),
            ConstraintParams::Raw { .. }
        ));
        let p = decode("SOMETHING_NEW", "{\"a\":\n 1}");
        assert_eq!(p.summary(), "{\"a\": 1}");
    }

    #[test]
    fn params_survive_serde() {
        let p = decode("LAUNCH", r#"{"LocalRoleName":"R"}"#);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<ConstraintParams>(&json).unwrap(), p);
    }
}
