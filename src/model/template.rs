//! What spoke reads off a CloudFormation template: the logical ids of its
//! resources (a new stack's resources are pending before CloudFormation
//! reaches them). Templates are JSON or YAML, CloudFormation's short tags
//! (`!Ref`, `!Sub`, `!GetAtt` …) included.

use serde_norway::Value;

/// The logical ids under `Resources`, in the template's order; `None` when
/// the body is neither JSON nor YAML or has no `Resources` map.
pub fn resource_ids(body: &str) -> Option<Vec<String>> {
    let json = serde_json::from_str::<serde_json::Value>(body).ok();
    if let Some(json) = json {
        let resources = json.get("Resources")?.as_object()?;
        return Some(resources.keys().cloned().collect());
    }
    let yaml: Value = serde_norway::from_str(body).ok()?;
    let resources = yaml.get("Resources")?.as_mapping()?;
    Some(
        resources
            .keys()
            .filter_map(|k| k.as_str().map(str::to_string))
            .collect(),
    )
}

/// A template file as spoke publishes it: checked, with its digest, the
/// content-addressed key it is stored under and the parameters it declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateFile {
    pub bytes: Vec<u8>,
    /// SHA-256 of the bytes, hex.
    pub digest: String,
    /// `json` or `yaml`.
    pub format: &'static str,
    pub resources: Vec<String>,
    pub parameters: Vec<TemplateParameter>,
    pub description: Option<String>,
}

/// A parameter a template declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateParameter {
    pub key: String,
    pub kind: String,
    pub default: Option<String>,
    pub description: Option<String>,
    pub no_echo: bool,
}

/// Where templates go in a bucket: one key per content, so the same
/// template is stored once and a changed one never overwrites another.
pub const KEY_PREFIX: &str = "spoke/templates/";

/// The largest `TemplateBody` CloudFormation's ValidateTemplate takes;
/// a larger template is validated from S3 (`TemplateURL`).
pub const MAX_BODY: usize = 51_200;

impl TemplateFile {
    pub fn key(&self) -> String {
        format!("{KEY_PREFIX}{}.{}", self.digest, self.format)
    }

    /// The short digest a plan shows.
    pub fn short_digest(&self) -> &str {
        &self.digest[..12]
    }

    pub fn parameter_line(&self) -> String {
        if self.parameters.is_empty() {
            return "no parameters".into();
        }
        let parts: Vec<String> = self
            .parameters
            .iter()
            .map(|p| match &p.default {
                Some(d) if !p.no_echo => format!("{} ({}, default {d})", p.key, p.kind),
                _ => format!("{} ({})", p.key, p.kind),
            })
            .collect();
        format!("parameters: {}", parts.join(", "))
    }
}

/// The URL Service Catalog loads a template from (`LoadTemplateFromURL`):
/// the bucket's regional virtual-hosted address.
pub fn s3_url(bucket: &str, region: &str, key: &str) -> String {
    let domain = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    format!("https://{bucket}.s3.{region}.{domain}/{key}")
}

/// The bucket and key of an S3 URL in the forms Service Catalog takes
/// (`https://B.s3.R.amazonaws.com/K`, `https://B.s3.amazonaws.com/K`,
/// `https://s3.R.amazonaws.com/B/K`, `https://s3.amazonaws.com/B/K`).
pub fn bucket_and_key(url: &str) -> Option<(String, String)> {
    let rest = url.strip_prefix("https://")?;
    let (host, path) = rest.split_once('/')?;
    let decode = percent_decode;
    if host.starts_with("s3.") || host == "s3.amazonaws.com" {
        let (bucket, key) = path.split_once('/')?;
        return Some((bucket.to_string(), decode(key)));
    }
    let (bucket, _) = host
        .split_once(".s3.")
        .or_else(|| host.split_once(".s3-"))?;
    Some((bucket.to_string(), decode(path)))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The digest a content-addressed template URL carries, if it is one.
pub fn digest_in_url(url: &str) -> Option<&str> {
    let rest = &url[url.find(KEY_PREFIX)? + KEY_PREFIX.len()..];
    let digest = rest.split('.').next()?;
    (digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit())).then_some(digest)
}

fn scalar(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// Checks a template file as CloudFormation would before it is sent: JSON
/// or YAML (CloudFormation's short tags read as their long forms), a
/// mapping with a non-empty `Resources` mapping, each resource with a
/// `Type`. The error says what is wrong and where.
pub fn check(bytes: &[u8]) -> Result<TemplateFile, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (byte {}): a template is JSON or YAML",
            e.valid_up_to()
        )
    })?;
    if text.trim().is_empty() {
        return Err(
            "the file is empty: a template is JSON or YAML with a Resources section".into(),
        );
    }
    let (value, format): (serde_json::Value, &'static str) =
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(v) => (v, "json"),
            Err(json) if text.trim_start().starts_with('{') => {
                return Err(format!("not valid JSON: {json}"));
            }
            Err(_) => {
                let yaml: Value =
                    serde_norway::from_str(text).map_err(|e| format!("not valid YAML: {e}"))?;
                (yaml_to_json(yaml), "yaml")
            }
        };
    let top = value
        .as_object()
        .ok_or("the template is not a mapping of sections (Resources, Parameters, …)")?;
    let resources = top
        .get("Resources")
        .and_then(|r| r.as_object())
        .filter(|r| !r.is_empty())
        .ok_or("Template format error: At least one Resources member must be defined.")?;
    for (id, r) in resources {
        if r.get("Type").and_then(|t| t.as_str()).is_none() {
            return Err(format!(
                "Template format error: resource {id} has no Type (e.g. Type: AWS::S3::Bucket)"
            ));
        }
    }
    let parameters = top
        .get("Parameters")
        .and_then(|p| p.as_object())
        .map(|ps| {
            ps.iter()
                .map(|(key, p)| TemplateParameter {
                    key: key.clone(),
                    kind: p
                        .get("Type")
                        .and_then(scalar)
                        .unwrap_or_else(|| "String".into()),
                    default: p.get("Default").and_then(scalar),
                    description: p.get("Description").and_then(scalar),
                    no_echo: p
                        .get("NoEcho")
                        .is_some_and(|v| v == &serde_json::json!(true) || v == "true"),
                })
                .collect()
        })
        .unwrap_or_default();
    use sha2::Digest;
    Ok(TemplateFile {
        digest: hex::encode(sha2::Sha256::digest(bytes)),
        format,
        resources: resources.keys().cloned().collect(),
        parameters,
        description: top.get("Description").and_then(scalar),
        bytes: bytes.to_vec(),
    })
}

/// A template's body as JSON (YAML's short tags in their long forms);
/// `None` when it is neither.
fn parse(body: &str) -> Option<serde_json::Value> {
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(v) => Some(v),
        Err(_) => serde_norway::from_str::<Value>(body).ok().map(yaml_to_json),
    }
}

/// The outputs of a template whose value takes a NoEcho parameter's value
/// (`Ref`, or `${Name}` in `Fn::Sub`, however deep): CloudFormation masks
/// the parameter but not the output, so spoke masks the output. `None`
/// when the body is not a template spoke can read.
pub fn secret_outputs(body: &str) -> Option<Vec<String>> {
    let top = parse(body)?;
    let top = top.as_object()?;
    let no_echo: Vec<&str> = top
        .get("Parameters")
        .and_then(|p| p.as_object())
        .map(|ps| {
            ps.iter()
                .filter(|(_, p)| {
                    p.get("NoEcho")
                        .is_some_and(|v| v == &serde_json::json!(true) || v == "true")
                })
                .map(|(k, _)| k.as_str())
                .collect()
        })
        .unwrap_or_default();
    let Some(outputs) = top.get("Outputs").and_then(|o| o.as_object()) else {
        return Some(Vec::new());
    };
    Some(
        outputs
            .iter()
            .filter(|(_, o)| {
                let mut names = Vec::new();
                if let Some(value) = o.get("Value") {
                    referenced(value, &mut names);
                }
                names.iter().any(|n| no_echo.contains(&n.as_str()))
            })
            .map(|(k, _)| k.clone())
            .collect(),
    )
}

/// The names `v` refers to: `Ref` targets and `${Name}` of `Fn::Sub`.
fn referenced(v: &serde_json::Value, names: &mut Vec<String>) {
    use serde_json::Value as J;
    match v {
        J::Object(m) => {
            for (k, inner) in m {
                match (k.as_str(), inner) {
                    ("Ref", J::String(name)) => names.push(name.clone()),
                    ("Fn::Sub", J::String(text)) => sub_names(text, names),
                    ("Fn::Sub", J::Array(parts)) => {
                        if let Some(J::String(text)) = parts.first() {
                            sub_names(text, names);
                        }
                        parts.iter().skip(1).for_each(|p| referenced(p, names));
                    }
                    _ => referenced(inner, names),
                }
            }
        }
        J::Array(items) => items.iter().for_each(|i| referenced(i, names)),
        _ => {}
    }
}

/// `${Name}` in a `Fn::Sub` string (not `${!Literal}`, not `${Res.Attr}`).
fn sub_names(text: &str, names: &mut Vec<String>) {
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find('}') else { break };
        let name = &rest[..end];
        if !name.starts_with('!') && !name.contains('.') {
            names.push(name.trim().to_string());
        }
        rest = &rest[end..];
    }
}

/// A YAML value as JSON; a tagged value (`!Ref X`) as its long form
/// (`{"Ref": "X"}`, `{"Fn::GetAtt": …}`).
fn yaml_to_json(v: Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(b),
        Value::Number(n) => serde_json::to_value(&n).unwrap_or(J::Null),
        Value::String(s) => J::String(s),
        Value::Sequence(seq) => J::Array(seq.into_iter().map(yaml_to_json).collect()),
        Value::Mapping(m) => J::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Value::String(s) => s,
                        other => serde_norway::to_string(&other)
                            .unwrap_or_default()
                            .trim()
                            .to_string(),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        Value::Tagged(t) => {
            let tag = t.tag.to_string();
            let name = tag.trim_start_matches('!');
            let key = if name == "Ref" || name == "Condition" {
                name.to_string()
            } else {
                format!("Fn::{name}")
            };
            let inner = yaml_to_json(t.value);
            serde_json::json!({ key: inner })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_that_take_a_no_echo_parameter_are_secret() {
        let yaml = r#"
Parameters:
  DbPassword: {Type: String, NoEcho: true}
  Name: {Type: String}
Resources:
  Db: {Type: AWS::RDS::DBInstance}
Outputs:
  Password: {Value: !Ref DbPassword}
  Url: {Value: !Sub "postgres://admin:${DbPassword}@${Db.Endpoint.Address}/x"}
  Joined: {Value: !Join ["", ["a", !Ref DbPassword]]}
  Plain: {Value: !Sub "${Name}-${!DbPassword}"}
  Endpoint: {Value: !GetAtt Db.Endpoint.Address}
"#;
        let mut secret = secret_outputs(yaml).unwrap();
        secret.sort();
        assert_eq!(secret, ["Joined", "Password", "Url"]);
        let json = r#"{"Parameters": {"Token": {"Type": "String", "NoEcho": "true"}},
            "Resources": {"R": {"Type": "AWS::SNS::Topic"}},
            "Outputs": {"T": {"Value": {"Fn::Sub": ["x-${V}", {"V": {"Ref": "Token"}}]}},
                        "N": {"Value": {"Ref": "R"}}}}"#;
        assert_eq!(secret_outputs(json).unwrap(), ["T"]);
        assert_eq!(
            secret_outputs("Resources: {R: {Type: X}}").unwrap(),
            Vec::<String>::new()
        );
        assert_eq!(secret_outputs(": not yaml ["), None);
    }

    #[test]
    fn reads_the_resources_of_a_json_template() {
        let body = r#"{"Resources": {"Vpc": {"Type": "AWS::EC2::VPC"}, "Subnet": {"Type": "AWS::EC2::Subnet"}}}"#;
        let mut ids = resource_ids(body).unwrap();
        ids.sort();
        assert_eq!(ids, ["Subnet", "Vpc"]);
    }

    #[test]
    fn reads_the_resources_of_a_yaml_template_with_short_tags() {
        let body = "AWSTemplateFormatVersion: '2010-09-09'\n\
                    Parameters:\n  Env: {Type: String}\n\
                    Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub '${Env}-data'\n\
                    \x20 Policy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref Bucket\n      PolicyDocument: {Statement: [{Resource: !GetAtt Bucket.Arn}]}\n";
        assert_eq!(resource_ids(body).unwrap(), ["Bucket", "Policy"]);
    }

    #[test]
    fn a_template_file_is_checked_with_its_parameters_and_a_key_from_its_content() {
        let body = b"Description: A bucket\nParameters:\n  Env: {Type: String, Default: dev}\n  Secret: {Type: String, NoEcho: true}\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub '${Env}-data'\n";
        let t = check(body).unwrap();
        assert_eq!(t.format, "yaml");
        assert_eq!(t.resources, ["Bucket"]);
        assert_eq!(
            t.parameter_line(),
            "parameters: Env (String, default dev), Secret (String)"
        );
        assert!(t.parameters[1].no_echo);
        assert_eq!(t.key(), format!("spoke/templates/{}.yaml", t.digest));
        assert_eq!(t.description.as_deref(), Some("A bucket"));
        let url = s3_url("b", "eu-west-1", &t.key());
        assert_eq!(digest_in_url(&url), Some(t.digest.as_str()));
        assert_eq!(digest_in_url("https://b.s3.amazonaws.com/x.yaml"), None);
        // The same bytes, the same key; one byte more, another.
        assert_eq!(check(body).unwrap().key(), t.key());
        let mut other = body.to_vec();
        other.push(b'\n');
        assert_ne!(check(&other).unwrap().key(), t.key());
    }

    #[test]
    fn a_file_that_is_not_a_template_says_why() {
        assert!(check(b"").unwrap_err().contains("empty"));
        assert!(
            check(b"{\"Resources\": ")
                .unwrap_err()
                .contains("not valid JSON")
        );
        assert!(check(b"a: [\n").unwrap_err().contains("not valid YAML"));
        assert!(
            check(b"Parameters: {}\n")
                .unwrap_err()
                .contains("At least one Resources member")
        );
        assert!(
            check(b"Resources:\n  B: {Properties: {}}\n")
                .unwrap_err()
                .contains("B has no Type")
        );
        assert!(check(&[0xff, 0xfe]).unwrap_err().contains("UTF-8"));
        assert!(check(b"- a\n- b\n").unwrap_err().contains("not a mapping"));
    }

    #[test]
    fn a_body_without_resources_or_not_a_template_gives_none() {
        assert_eq!(resource_ids("{\"Parameters\": {}}"), None);
        assert_eq!(resource_ids("<html>500</html>: [\n"), None);
        assert_eq!(resource_ids(""), None);
    }
}
