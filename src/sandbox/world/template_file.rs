//! CloudFormation templates from their text: JSON or YAML (with the short
//! tags `!Ref`, `!Sub`, `!GetAtt a.b`, … read as their long forms), checked
//! as CloudFormation checks a template before it runs it, and reduced to the
//! sandbox's [`Template`]. Errors are worded as CloudFormation words them
//! (`Template format error: …`).

use serde_json::{Map, Value};

use super::{Parameter, Template, TemplateOutput, TemplateResource};

/// What CloudFormation's ValidateTemplate reports of a template besides its
/// parameters.
#[derive(Debug, Clone, Default)]
pub struct TemplateFile {
    pub template: Template,
    pub description: Option<String>,
    /// `CAPABILITY_IAM` or `CAPABILITY_NAMED_IAM`, when it declares IAM resources.
    pub capabilities: Vec<String>,
    /// "The following resource(s) require capabilities: [AWS::IAM::Role]".
    pub capabilities_reason: Option<String>,
    /// The `Transform` section's macros.
    pub transforms: Vec<String>,
}

/// A template from its text, JSON or YAML.
pub fn parse(bytes: &[u8]) -> Result<Template, String> {
    parse_file(bytes).map(|f| f.template)
}

const SECTIONS: [&str; 10] = [
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Transform",
    "Resources",
    "Outputs",
];

const PSEUDO_PARAMETERS: [&str; 8] = [
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

fn format_error(detail: impl std::fmt::Display) -> String {
    format!("Template format error: {detail}")
}

/// A template from its text, with what ValidateTemplate says of it.
pub fn parse_file(bytes: &[u8]) -> Result<TemplateFile, String> {
    let doc = document(bytes)?;
    let Value::Object(top) = doc else {
        return Err(format_error("unsupported structure."));
    };
    let unknown: Vec<&str> = top
        .keys()
        .map(String::as_str)
        .filter(|k| !SECTIONS.contains(k))
        .collect();
    if !unknown.is_empty() {
        return Err(format_error(format!(
            "Invalid template property or properties [{}]",
            unknown.join(", ")
        )));
    }
    if let Some(v) = top.get("AWSTemplateFormatVersion") {
        let version = scalar(v).unwrap_or_default();
        if version != "2010-09-09" {
            // guess: the wording for a version CloudFormation does not know.
            return Err(format_error(format!(
                "Unsupported template version: {version}"
            )));
        }
    }
    let empty = Map::new();
    let section = |name: &str| -> Result<&Map<String, Value>, String> {
        match top.get(name) {
            None => Ok(&empty),
            Some(Value::Object(m)) => Ok(m),
            // guess: the wording for a section that is not a mapping.
            Some(_) => Err(format_error(format!(
                "{name} must be an object (map) in the template"
            ))),
        }
    };
    let resources = section("Resources")?;
    if resources.is_empty() {
        return Err(format_error(
            "At least one Resources member must be defined.",
        ));
    }
    let parameters_section = section("Parameters")?;
    let outputs_section = section("Outputs")?;
    let mappings = section("Mappings")?;

    let mut parameters = Vec::new();
    for (key, p) in parameters_section {
        parameters.push(parameter(key, p)?);
    }
    let mut template_resources = Vec::new();
    for (logical_id, r) in resources {
        let resource_type = r
            .as_object()
            .and_then(|o| o.get("Type"))
            .and_then(Value::as_str)
            .ok_or_else(|| {
                format_error(format!(
                    "[/Resources/{logical_id}] Every Resources object must contain a Type member."
                ))
            })?;
        let properties = r
            .get("Properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        template_resources.push(TemplateResource {
            logical_id: logical_id.clone(),
            resource_type: resource_type.to_string(),
            seconds: seconds_for(resource_type),
            replacement: None,
            properties,
        });
    }

    // Every Ref and GetAtt must name a parameter, a resource or a pseudo parameter.
    let mut refs = Vec::new();
    for r in resources.values() {
        references(r, &mut refs);
    }
    for o in outputs_section.values() {
        references(o, &mut refs);
    }
    let mut unresolved: Vec<String> = Vec::new();
    for name in refs {
        let known = resources.contains_key(&name)
            || parameters_section.contains_key(&name)
            || PSEUDO_PARAMETERS.contains(&name.as_str());
        if !known && !unresolved.contains(&name) {
            unresolved.push(name);
        }
    }
    if !unresolved.is_empty() {
        return Err(format_error(format!(
            "Unresolved resource dependencies [{}] in the Resources block of the template",
            unresolved.join(", ")
        )));
    }

    let render = Render {
        resources,
        parameters: parameters_section,
        mappings,
    };
    let mut outputs = Vec::new();
    for (key, o) in outputs_section {
        let value = o.as_object().and_then(|o| o.get("Value")).ok_or_else(|| {
            // guess: the wording for an output without a value.
            format_error(format!(
                "Every Outputs member must contain a Value object ({key})"
            ))
        })?;
        outputs.push(TemplateOutput {
            key: key.clone(),
            description: o.get("Description").and_then(scalar).unwrap_or_default(),
            value: render.string(value),
        });
    }

    let (capabilities, capabilities_reason) = capabilities(resources);
    let transforms = match top.get("Transform") {
        Some(Value::Array(list)) => list.iter().filter_map(scalar).collect(),
        Some(v) => scalar(v).into_iter().collect(),
        None => Vec::new(),
    };
    Ok(TemplateFile {
        template: Template {
            resources: template_resources,
            parameters,
            outputs,
        },
        description: top.get("Description").and_then(scalar),
        capabilities,
        capabilities_reason,
        transforms,
    })
}

/// The text as a JSON value: JSON when it opens with `{`, else YAML.
fn document(bytes: &[u8]) -> Result<Value, String> {
    let text = std::str::from_utf8(bytes)
        // guess: the wording for a template that is not UTF-8.
        .map_err(|_| format_error("YAML not well-formed."))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| {
            format_error(format!(
                "JSON not well-formed. (line {}, column {})",
                e.line(),
                e.column()
            ))
        });
    }
    let yaml: serde_norway::Value = serde_norway::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(" (line {}, column {})", l.line(), l.column()))
            .unwrap_or_default();
        format_error(format!("YAML not well-formed.{at}"))
    })?;
    from_yaml(yaml)
}

/// A YAML value as JSON, each short-form tag as its long form.
fn from_yaml(v: serde_norway::Value) -> Result<Value, String> {
    use serde_norway::Value as Y;
    Ok(match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => serde_json::from_str(&n.to_string()).unwrap_or(Value::Null),
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .map(from_yaml)
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Y::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    // guess: the wording for a key that is not a scalar.
                    _ => return Err(format_error("YAML not well-formed.")),
                };
                out.insert(key, from_yaml(v)?);
            }
            Value::Object(out)
        }
        Y::Tagged(t) => {
            let tag = t.tag.to_string();
            let name = tag.trim_start_matches('!');
            let value = from_yaml(t.value)?;
            let long = match name {
                "Ref" => "Ref".to_string(),
                "Condition" => "Condition".to_string(),
                "GetAtt" => {
                    // `!GetAtt Resource.Attribute` is `Fn::GetAtt: [Resource, Attribute]`.
                    let value = match value {
                        Value::String(s) => match s.split_once('.') {
                            Some((r, a)) => Value::Array(vec![r.into(), a.into()]),
                            None => Value::String(s),
                        },
                        other => other,
                    };
                    let mut m = Map::new();
                    m.insert("Fn::GetAtt".into(), value);
                    return Ok(Value::Object(m));
                }
                "Sub" | "Join" | "If" | "Equals" | "Select" | "Split" | "FindInMap" | "Base64"
                | "Cidr" | "ImportValue" | "GetAZs" | "And" | "Or" | "Not" | "Transform"
                | "Length" | "ToJsonString" => format!("Fn::{name}"),
                other => {
                    // guess: the wording for a tag CloudFormation does not know.
                    return Err(format_error(format!(
                        "YAML not well-formed. Unknown tag !{other}"
                    )));
                }
            };
            let mut m = Map::new();
            m.insert(long, value);
            Value::Object(m)
        }
    })
}

/// A scalar as text (strings as they are, numbers and booleans written out).
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

const PARAMETER_TYPES: [&str; 4] = ["String", "Number", "List<Number>", "CommaDelimitedList"];

fn parameter(key: &str, p: &Value) -> Result<Parameter, String> {
    let Some(p) = p.as_object() else {
        return Err(format_error(
            "Every Parameters object must contain a Type member.",
        ));
    };
    let parameter_type = p
        .get("Type")
        .and_then(Value::as_str)
        .ok_or_else(|| format_error("Every Parameters object must contain a Type member."))?;
    let known = PARAMETER_TYPES.contains(&parameter_type)
        || parameter_type.starts_with("AWS::")
        || parameter_type.starts_with("List<AWS::");
    if !known {
        return Err(format_error(format!(
            "Unrecognized parameter type: {parameter_type}"
        )));
    }
    let no_echo = match p.get("NoEcho") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    };
    Ok(Parameter {
        key: key.to_string(),
        parameter_type: parameter_type.to_string(),
        default: p.get("Default").and_then(|d| match d {
            Value::Array(items) => Some(
                items
                    .iter()
                    .filter_map(scalar)
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            other => scalar(other),
        }),
        description: p.get("Description").and_then(scalar).unwrap_or_default(),
        no_echo,
        allowed_values: p
            .get("AllowedValues")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(scalar).collect())
            .unwrap_or_default(),
        allowed_pattern: p.get("AllowedPattern").and_then(scalar),
        constraint_description: p.get("ConstraintDescription").and_then(scalar),
    })
}

/// The names `Ref` and `Fn::GetAtt` point at, anywhere in `v`.
fn references(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if m.len() == 1 {
                match (m.get("Ref"), m.get("Fn::GetAtt")) {
                    (Some(Value::String(name)), _) => out.push(name.clone()),
                    (_, Some(Value::Array(parts))) => {
                        if let Some(Value::String(r)) = parts.first() {
                            out.push(r.clone());
                        }
                    }
                    (_, Some(Value::String(s))) => {
                        out.push(s.split('.').next().unwrap_or(s).to_string())
                    }
                    _ => {}
                }
            }
            for v in m.values() {
                references(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

/// A deterministic 2–20 sandbox seconds for a resource type, so stacks take
/// plausible time.
fn seconds_for(resource_type: &str) -> u32 {
    2 + stable_hash(resource_type) % 19
}

/// The IAM resources a template declares, and whether any is named.
fn capabilities(resources: &Map<String, Value>) -> (Vec<String>, Option<String>) {
    const IAM: [(&str, &str); 8] = [
        ("AWS::IAM::AccessKey", ""),
        ("AWS::IAM::Group", "GroupName"),
        ("AWS::IAM::InstanceProfile", "InstanceProfileName"),
        ("AWS::IAM::ManagedPolicy", "ManagedPolicyName"),
        ("AWS::IAM::Policy", ""),
        ("AWS::IAM::Role", "RoleName"),
        ("AWS::IAM::User", "UserName"),
        ("AWS::IAM::UserToGroupAddition", ""),
    ];
    let mut types: Vec<String> = Vec::new();
    let mut named = false;
    for r in resources.values() {
        let Some(t) = r.get("Type").and_then(Value::as_str) else {
            continue;
        };
        let Some((_, name_property)) = IAM.iter().find(|(iam, _)| *iam == t) else {
            continue;
        };
        if !name_property.is_empty()
            && r.get("Properties")
                .and_then(|p| p.get(*name_property))
                .is_some()
        {
            named = true;
        }
        if !types.iter().any(|x| x == t) {
            types.push(t.to_string());
        }
    }
    if types.is_empty() {
        return (Vec::new(), None);
    }
    let capability = if named {
        "CAPABILITY_NAMED_IAM"
    } else {
        "CAPABILITY_IAM"
    };
    (
        vec![capability.to_string()],
        Some(format!(
            "The following resource(s) require capabilities: [{}]",
            types.join(", ")
        )),
    )
}

/// Renders intrinsic functions as plausible values, with the placeholders
/// the sandbox fills in at deployment (`${StackName}`, `${AccountId}`,
/// `${Region}`, `${Param:Key}`).
struct Render<'a> {
    resources: &'a Map<String, Value>,
    parameters: &'a Map<String, Value>,
    mappings: &'a Map<String, Value>,
}

impl Render<'_> {
    fn string(&self, v: &Value) -> String {
        match v {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            Value::Number(_) | Value::Bool(_) => scalar(v).unwrap_or_default(),
            Value::Array(_) => self.list(v).join(","),
            Value::Object(m) if m.len() == 1 => {
                let (name, arg) = m.iter().next().expect("one member");
                self.function(name, arg)
                    .unwrap_or_else(|| serde_json::to_string(v).unwrap_or_default())
            }
            Value::Object(_) => serde_json::to_string(v).unwrap_or_default(),
        }
    }

    fn list(&self, v: &Value) -> Vec<String> {
        match v {
            Value::Array(items) => items.iter().map(|i| self.string(i)).collect(),
            Value::Object(m) if m.len() == 1 => {
                let (name, arg) = m.iter().next().expect("one member");
                let args = arg.as_array().map(Vec::as_slice).unwrap_or_default();
                match name.as_str() {
                    "Fn::Split" if args.len() == 2 => {
                        let delimiter = self.string(&args[0]);
                        let text = self.string(&args[1]);
                        if delimiter.is_empty() {
                            vec![text]
                        } else {
                            text.split(delimiter.as_str()).map(str::to_string).collect()
                        }
                    }
                    "Fn::GetAZs" => ["a", "b", "c"]
                        .iter()
                        .map(|z| format!("${{Region}}{z}"))
                        .collect(),
                    "Fn::Cidr" if args.len() == 3 => {
                        let count = self.string(&args[1]).parse::<u32>().unwrap_or(1).min(256);
                        let bits = self.string(&args[2]).parse::<u32>().unwrap_or(8).min(32);
                        (0..count)
                            .map(|i| format!("10.0.{i}.0/{}", 32 - bits))
                            .collect()
                    }
                    _ => vec![self.string(v)],
                }
            }
            other => vec![self.string(other)],
        }
    }

    fn reference(&self, name: &str) -> String {
        match name {
            "AWS::StackName" => "${StackName}".into(),
            "AWS::AccountId" => "${AccountId}".into(),
            "AWS::Region" => "${Region}".into(),
            "AWS::Partition" => "aws".into(),
            "AWS::URLSuffix" => "amazonaws.com".into(),
            "AWS::NoValue" => String::new(),
            "AWS::NotificationARNs" => String::new(),
            "AWS::StackId" => {
                "arn:aws:cloudformation:${Region}:${AccountId}:stack/${StackName}".into()
            }
            p if self.parameters.contains_key(p) => format!("${{Param:{p}}}"),
            r => {
                let resource_type = self
                    .resources
                    .get(r)
                    .and_then(|r| r.get("Type"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let suffix = format!("{:X}", stable_hash(r));
                match resource_type {
                    // A bucket's name is lower case.
                    "AWS::S3::Bucket" => format!(
                        "${{StackName}}-{}-{}",
                        r.to_lowercase(),
                        suffix.to_lowercase()
                    ),
                    _ => format!("${{StackName}}-{r}-{suffix}"),
                }
            }
        }
    }

    fn attribute(&self, resource: &str, attribute: &str) -> String {
        let resource_type = self
            .resources
            .get(resource)
            .and_then(|r| r.get("Type"))
            .and_then(Value::as_str)
            .unwrap_or("AWS::Unknown::Resource");
        let service = resource_type
            .split("::")
            .nth(1)
            .unwrap_or("unknown")
            .to_lowercase();
        let kind = resource_type
            .split("::")
            .nth(2)
            .unwrap_or("resource")
            .to_lowercase();
        let id = self.reference(resource);
        if attribute == "Arn" || attribute.ends_with("Arn") {
            match service.as_str() {
                "s3" => format!("arn:aws:s3:::{id}"),
                "iam" => format!("arn:aws:iam::${{AccountId}}:{kind}/{id}"),
                _ => format!("arn:aws:{service}:${{Region}}:${{AccountId}}:{kind}/{id}"),
            }
        } else if attribute == "DomainName" && service == "s3" {
            format!("{id}.s3.amazonaws.com")
        } else {
            format!("{id}-{attribute}")
        }
    }

    fn function(&self, name: &str, arg: &Value) -> Option<String> {
        let args = arg.as_array().map(Vec::as_slice).unwrap_or_default();
        Some(match name {
            "Ref" => self.reference(arg.as_str()?),
            "Fn::GetAtt" => match arg {
                Value::Array(parts) if parts.len() == 2 => {
                    self.attribute(parts[0].as_str()?, &self.string(&parts[1]))
                }
                Value::String(s) => {
                    let (r, a) = s.split_once('.')?;
                    self.attribute(r, a)
                }
                _ => return None,
            },
            "Fn::Sub" => {
                let (text, vars) = match arg {
                    Value::String(s) => (s.clone(), None),
                    Value::Array(parts) if !parts.is_empty() => {
                        (parts[0].as_str()?.to_string(), parts.get(1))
                    }
                    _ => return None,
                };
                self.sub(&text, vars.and_then(Value::as_object))
            }
            "Fn::Join" if args.len() == 2 => self.list(&args[1]).join(&self.string(&args[0])),
            "Fn::Select" if args.len() == 2 => {
                let i = self.string(&args[0]).parse::<usize>().ok()?;
                self.list(&args[1]).get(i).cloned().unwrap_or_default()
            }
            "Fn::Split" | "Fn::GetAZs" | "Fn::Cidr" => {
                let mut m = Map::new();
                m.insert(name.to_string(), arg.clone());
                self.list(&Value::Object(m)).join(",")
            }
            // guess: the condition holds (the sandbox evaluates no conditions).
            "Fn::If" if args.len() == 3 => self.string(&args[1]),
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" | "Condition" => "true".into(),
            "Fn::Base64" => crate::sandbox::protocol::base64::encode(self.string(arg).as_bytes()),
            "Fn::FindInMap" if args.len() >= 3 => {
                let (map, top, second) = (
                    self.string(&args[0]),
                    self.string(&args[1]),
                    self.string(&args[2]),
                );
                self.mappings
                    .get(&map)
                    .and_then(|m| m.get(&top))
                    .and_then(|m| m.get(&second))
                    .map(|v| self.string(v))
                    .unwrap_or_default()
            }
            // guess: an export's value is not known to the template; its name stands in.
            "Fn::ImportValue" => self.string(arg),
            "Fn::Length" => self.list(arg).len().to_string(),
            "Fn::ToJsonString" => serde_json::to_string(arg).unwrap_or_default(),
            _ => return None,
        })
    }

    /// `Fn::Sub`'s `${Name}`, `${Resource.Attribute}` and `${!Literal}`.
    fn sub(&self, text: &str, vars: Option<&Map<String, Value>>) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                return out;
            };
            let name = &after[..end];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str(&format!("${{{literal}}}"));
            } else if let Some(v) = vars.and_then(|m| m.get(name)) {
                out.push_str(&self.string(v));
            } else if let Some((r, a)) = name.split_once('.') {
                out.push_str(&self.attribute(r, a));
            } else {
                out.push_str(&self.reference(name));
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// FNV-1a: the same every run.
fn stable_hash(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = r#"
AWSTemplateFormatVersion: 2010-09-09
Description: A bucket and a role
Parameters:
  Env:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
    Description: Where it runs
  Secret:
    Type: String
    NoEcho: true
  Port:
    Type: Number
    Default: 8080
    AllowedPattern: "[0-9]+"
    ConstraintDescription: digits only
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${AWS::StackName}-${Env}"
      Tags:
        - Key: env
          Value: !If [IsProd, prod, !Ref Env]
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
Outputs:
  BucketName:
    Description: The bucket
    Value: !Ref Bucket
  BucketArn:
    Value: !GetAtt Bucket.Arn
  Where:
    Value: !Join ["-", [!Ref "AWS::Region", !Ref Env, !Select [1, !Split [",", "a,b,c"]]]]
  Plain:
    Value: literal text
  Encoded:
    Value: !Base64 hi
"#;

    #[test]
    fn reads_yaml_with_short_tags() {
        let f = parse_file(YAML.as_bytes()).unwrap();
        let t = &f.template;
        assert_eq!(f.description.as_deref(), Some("A bucket and a role"));
        let keys: Vec<&str> = t.parameters.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["Env", "Port", "Secret"]);
        let env = &t.parameters[0];
        assert_eq!(env.default.as_deref(), Some("dev"));
        assert_eq!(env.allowed_values, ["dev", "prod"]);
        assert_eq!(env.description, "Where it runs");
        let port = &t.parameters[1];
        assert_eq!(port.parameter_type, "Number");
        assert_eq!(port.default.as_deref(), Some("8080"));
        assert_eq!(port.allowed_pattern.as_deref(), Some("[0-9]+"));
        assert_eq!(port.constraint_description.as_deref(), Some("digits only"));
        assert!(t.parameters[2].no_echo);

        let bucket = &t.resources[0];
        assert_eq!(bucket.logical_id, "Bucket");
        assert_eq!(bucket.resource_type, "AWS::S3::Bucket");
        assert_eq!(bucket.properties, ["BucketName", "Tags"]);
        assert!((2..=20).contains(&bucket.seconds));
        assert_eq!(bucket.replacement, None);
        assert_eq!(f.capabilities, ["CAPABILITY_IAM"]);
        assert_eq!(
            f.capabilities_reason.as_deref(),
            Some("The following resource(s) require capabilities: [AWS::IAM::Role]")
        );

        let out = |k: &str| {
            t.outputs
                .iter()
                .find(|o| o.key == k)
                .map(|o| o.value.clone())
                .unwrap()
        };
        assert!(out("BucketName").starts_with("${StackName}-bucket-"));
        assert!(out("BucketArn").starts_with("arn:aws:s3:::${StackName}-bucket-"));
        assert_eq!(out("Where"), "${Region}-${Param:Env}-b");
        assert_eq!(out("Plain"), "literal text");
        assert_eq!(out("Encoded"), "aGk=");
        let described = t.outputs.iter().find(|o| o.key == "BucketName").unwrap();
        assert_eq!(described.description, "The bucket");
    }

    #[test]
    fn reads_json_and_the_same_seconds_each_time() {
        let json = br#"{"Resources": {"T": {"Type": "AWS::DynamoDB::Table"}},
            "Outputs": {"Name": {"Value": {"Fn::Sub": "${T}-x"}}}}"#;
        let a = parse(json).unwrap();
        let b = parse(json).unwrap();
        assert_eq!(a.resources[0].seconds, b.resources[0].seconds);
        assert!(a.outputs[0].value.starts_with("${StackName}-T-"));
        assert!(a.outputs[0].value.ends_with("-x"));
    }

    #[test]
    fn named_iam_needs_the_named_capability() {
        let yaml =
            b"Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: fixed\n";
        let f = parse_file(yaml).unwrap();
        assert_eq!(f.capabilities, ["CAPABILITY_NAMED_IAM"]);
        let yaml =
            b"Transform: AWS::Serverless-2016-10-31\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n";
        let f = parse_file(yaml).unwrap();
        assert!(f.capabilities.is_empty());
        assert_eq!(f.transforms, ["AWS::Serverless-2016-10-31"]);
    }

    #[test]
    fn errors_are_worded_as_cloudformation_words_them() {
        assert_eq!(
            parse(b"Description: nothing\n").unwrap_err(),
            "Template format error: At least one Resources member must be defined."
        );
        assert_eq!(
            parse(b"Resources: {}\n").unwrap_err(),
            "Template format error: At least one Resources member must be defined."
        );
        assert_eq!(
            parse(b"Resource:\n  A:\n    Type: AWS::SQS::Queue\n").unwrap_err(),
            "Template format error: Invalid template property or properties [Resource]"
        );
        let e = parse(b"Resources:\n  A: [\n").unwrap_err();
        assert!(
            e.starts_with("Template format error: YAML not well-formed."),
            "{e}"
        );
        let e = parse(b"{\"Resources\": ").unwrap_err();
        assert!(
            e.starts_with("Template format error: JSON not well-formed."),
            "{e}"
        );
        assert_eq!(
            parse(b"just text").unwrap_err(),
            "Template format error: unsupported structure."
        );
        assert_eq!(
            parse(b"Resources:\n  A:\n    Properties: {}\n").unwrap_err(),
            "Template format error: [/Resources/A] Every Resources object must contain a Type member."
        );
        assert_eq!(
            parse(b"Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties:\n      Name: !Ref Missing\n")
                .unwrap_err(),
            "Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template"
        );
        assert_eq!(
            parse(b"Parameters:\n  P:\n    Type: Strin\nResources:\n  A:\n    Type: AWS::SQS::Queue\n")
                .unwrap_err(),
            "Template format error: Unrecognized parameter type: Strin"
        );
    }
}
