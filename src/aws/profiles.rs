//! Which AWS profiles exist, and what kind they are.
//!
//! The config and credentials files are parsed here (a small INI reader) only
//! to list profiles and describe them; resolving credentials is left to
//! `aws-config`, which reads the same files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::error::AwsError;

pub use crate::model::{ProfileInfo, ProfileKind};

/// Where profiles come from: the user's AWS files, or a generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileSource {
    config_file: Option<PathBuf>,
    credentials_file: Option<PathBuf>,
    generated: bool,
    pinned_endpoint: Option<String>,
    /// How messages name these files, when not by their paths.
    label: Option<String>,
}

impl ProfileSource {
    /// The user's files: `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`,
    /// else `~/.aws/config` and `~/.aws/credentials`.
    pub fn user() -> Self {
        let home = directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf());
        let resolve = |var: &str, default: &str| -> Option<PathBuf> {
            match std::env::var_os(var) {
                Some(value) if !value.is_empty() => {
                    Some(expand_home(Path::new(&value), home.as_deref()))
                }
                _ => home.as_ref().map(|h| h.join(".aws").join(default)),
            }
        };
        Self {
            config_file: resolve("AWS_CONFIG_FILE", "config"),
            credentials_file: resolve("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
            generated: false,
            pinned_endpoint: None,
            label: None,
        }
    }

    /// A generated config file (the sandbox's), whose every call must go to
    /// `endpoint` whatever the environment says.
    pub fn generated(config_file: PathBuf, endpoint: impl Into<String>) -> Self {
        Self {
            config_file: Some(config_file),
            credentials_file: None,
            generated: true,
            pinned_endpoint: Some(endpoint.into()),
            label: None,
        }
    }

    /// Names the files in messages ("the sandbox") instead of by path.
    pub fn described_as(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn config_file(&self) -> Option<&Path> {
        self.config_file.as_deref()
    }

    pub fn credentials_file(&self) -> Option<&Path> {
        self.credentials_file.as_deref()
    }

    pub fn is_generated(&self) -> bool {
        self.generated
    }

    pub(crate) fn pinned_endpoint(&self) -> Option<&str> {
        self.pinned_endpoint.as_deref()
    }

    /// "~/.aws/config or ~/.aws/credentials", for messages.
    pub fn describe_files(&self) -> String {
        if let Some(label) = &self.label {
            return label.clone();
        }
        let files: Vec<String> = [&self.config_file, &self.credentials_file]
            .into_iter()
            .flatten()
            .map(|p| p.display().to_string())
            .collect();
        if files.is_empty() {
            "the AWS config files (no home directory)".into()
        } else {
            files.join(" or ")
        }
    }

    /// Reads the files and lists their profiles, config file order first.
    /// A missing file counts as empty.
    pub fn discover(&self) -> Result<Vec<ProfileInfo>, AwsError> {
        let config = read_optional(self.config_file.as_deref())?;
        let credentials = read_optional(self.credentials_file.as_deref())?;
        Ok(parse_profiles(&config, &credentials))
    }
}

fn read_optional(path: Option<&Path>) -> Result<String, AwsError> {
    let Some(path) = path else {
        return Ok(String::new());
    };
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(AwsError::ConfigFile {
            path: path.display().to_string(),
            reason: e.to_string(),
        }),
    }
}

fn expand_home(path: &Path, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix("~"), home) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    }
}

/// Profiles from the text of a config file (`[profile x]`, `[default]`) and
/// a credentials file (`[x]`). Keys in the credentials file win, as in the SDK.
pub fn parse_profiles(config: &str, credentials: &str) -> Vec<ProfileInfo> {
    let mut order: Vec<String> = Vec::new();
    let mut merged: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let sections = parse_ini(config, ConfigFlavor::Config)
        .into_iter()
        .chain(parse_ini(credentials, ConfigFlavor::Credentials));
    for (name, keys) in sections {
        if !merged.contains_key(&name) {
            order.push(name.clone());
        }
        merged.entry(name).or_default().extend(keys);
    }
    order
        .into_iter()
        .map(|name| {
            let keys = &merged[&name];
            ProfileInfo {
                kind: kind_of(keys),
                region: keys.get("region").cloned(),
                endpoint_url: keys.get("endpoint_url").cloned(),
                account: account_of(keys),
                name,
            }
        })
        .collect()
}

/// The account a profile's config names: `aws_account_id`, then
/// `sso_account_id`, then the account of `role_arn`; only 12 digits count.
fn account_of(keys: &BTreeMap<String, String>) -> Option<String> {
    let is_account = |a: &str| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit());
    let from_role = keys
        .get("role_arn")
        .and_then(|arn| arn.split(':').nth(4).map(str::to_string));
    [
        keys.get("aws_account_id").cloned(),
        keys.get("sso_account_id").cloned(),
        from_role,
    ]
    .into_iter()
    .flatten()
    .map(|a| a.trim().to_string())
    .find(|a| is_account(a))
}

fn kind_of(keys: &BTreeMap<String, String>) -> ProfileKind {
    let has = |k: &str| keys.get(k).is_some_and(|v| !v.is_empty());
    if has("sso_session") || has("sso_start_url") {
        ProfileKind::Sso
    } else if has("role_arn") && has("web_identity_token_file") {
        ProfileKind::WebIdentity
    } else if has("role_arn") {
        ProfileKind::AssumeRole
    } else if has("credential_process") {
        ProfileKind::CredentialProcess
    } else if has("aws_access_key_id") {
        ProfileKind::Static
    } else {
        ProfileKind::Other
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ConfigFlavor {
    Config,
    Credentials,
}

type Section = (String, BTreeMap<String, String>);

/// Profile sections of one file, in order. Other sections (`[sso-session x]`,
/// `[services x]`, a config section without `profile `) are skipped, and so
/// are indented sub-properties.
fn parse_ini(text: &str, flavor: ConfigFlavor) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut current: Option<usize> = None;
    for raw in text.lines() {
        let indented = raw.starts_with([' ', '\t']);
        let line = raw.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            let header = header.split(']').next().unwrap_or("").trim();
            current = profile_name(header, flavor).map(|name| {
                match sections.iter().position(|(n, _)| *n == name) {
                    Some(i) => i,
                    None => {
                        sections.push((name, BTreeMap::new()));
                        sections.len() - 1
                    }
                }
            });
            continue;
        }
        if indented {
            continue;
        }
        let (Some(i), Some((key, value))) = (current, line.split_once('=')) else {
            continue;
        };
        let value = strip_comment(value.trim());
        sections[i]
            .1
            .insert(key.trim().to_ascii_lowercase(), value.to_string());
    }
    sections
}

fn profile_name(header: &str, flavor: ConfigFlavor) -> Option<String> {
    match flavor {
        ConfigFlavor::Credentials => (!header.is_empty()).then(|| header.to_string()),
        ConfigFlavor::Config => {
            if header == "default" {
                return Some("default".into());
            }
            let rest = header.strip_prefix("profile")?;
            if !rest.starts_with([' ', '\t']) {
                return None;
            }
            let name = rest.trim();
            (!name.is_empty()).then(|| name.to_string())
        }
    }
}

/// Drops an inline ` #` or ` ;` comment from a value.
fn strip_comment(value: &str) -> &str {
    let cut = value
        .match_indices([' ', '\t'])
        .find(|(i, _)| value[i + 1..].starts_with(['#', ';']))
        .map(|(i, _)| i);
    match cut {
        Some(i) => value[..i].trim_end(),
        None => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
# a comment
[default]
region = us-east-1

[profile hub]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Admin
region = eu-west-1 # home region

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[profile spoke-dev]
role_arn = arn:aws:iam::222222222222:role/Ops
source_profile = hub
s3 =
  max_concurrent_requests = 10

[profile tool]
credential_process = /usr/bin/creds --json
endpoint_url = http://127.0.0.1:4566

[services local]
servicecatalog =
  endpoint_url = http://localhost:1

[notaprofile]
region = ap-south-1
";

    const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = secret

[ci]
aws_access_key_id = AKIACI
aws_secret_access_key = secret
region = us-west-2
";

    #[test]
    fn lists_profiles_from_both_files_in_order() {
        let profiles = parse_profiles(CONFIG, CREDENTIALS);
        let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["default", "hub", "spoke-dev", "tool", "ci"]);
    }

    #[test]
    fn tells_the_kind_of_each_profile() {
        let profiles = parse_profiles(CONFIG, CREDENTIALS);
        let kind = |n: &str| profiles.iter().find(|p| p.name == n).unwrap().kind;
        assert_eq!(kind("default"), ProfileKind::Static);
        assert_eq!(kind("hub"), ProfileKind::Sso);
        assert_eq!(kind("spoke-dev"), ProfileKind::AssumeRole);
        assert_eq!(kind("tool"), ProfileKind::CredentialProcess);
        assert_eq!(kind("ci"), ProfileKind::Static);
    }

    #[test]
    fn reads_region_and_endpoint_without_comments() {
        let profiles = parse_profiles(CONFIG, CREDENTIALS);
        let get = |n: &str| profiles.iter().find(|p| p.name == n).unwrap().clone();
        assert_eq!(get("hub").region.as_deref(), Some("eu-west-1"));
        assert_eq!(get("default").region.as_deref(), Some("us-east-1"));
        assert_eq!(get("ci").region.as_deref(), Some("us-west-2"));
        assert_eq!(get("spoke-dev").region, None);
        assert_eq!(
            get("tool").endpoint_url.as_deref(),
            Some("http://127.0.0.1:4566")
        );
        assert_eq!(
            get("spoke-dev").endpoint_url,
            None,
            "sub-properties are not profile keys"
        );
    }

    #[test]
    fn reads_the_account_a_profile_names() {
        let profiles = parse_profiles(CONFIG, CREDENTIALS);
        let account = |n: &str| {
            profiles
                .iter()
                .find(|p| p.name == n)
                .unwrap()
                .account
                .clone()
        };
        assert_eq!(account("hub").as_deref(), Some("111111111111"));
        assert_eq!(account("spoke-dev").as_deref(), Some("222222222222"));
        assert_eq!(account("default"), None);
        let typed = parse_profiles(
            "[profile a]\naws_account_id = 333333333333\n[profile b]\naws_account_id = 12\n",
            "",
        );
        assert_eq!(typed[0].account.as_deref(), Some("333333333333"));
        assert_eq!(typed[1].account, None, "not 12 digits");
    }

    #[test]
    fn skips_sections_that_are_not_profiles() {
        let profiles = parse_profiles("[profile]\n[profilex]\na=b\n[ profile  x ]\nregion=r\n", "");
        assert_eq!(profiles.len(), 1);
        assert_eq!(profiles[0].name, "x");
        assert_eq!(profiles[0].kind, ProfileKind::Other);
    }

    #[test]
    fn missing_files_mean_no_profiles() {
        let dir = std::env::temp_dir().join(format!("spoke-none-{}", uuid::Uuid::new_v4()));
        let source = ProfileSource::generated(dir.join("config"), "http://127.0.0.1:1");
        assert_eq!(source.discover().unwrap(), Vec::new());
    }

    #[test]
    fn expands_the_home_directory() {
        assert_eq!(
            expand_home(Path::new("~/x/config"), Some(Path::new("/home/op"))),
            PathBuf::from("/home/op/x/config")
        );
        assert_eq!(
            expand_home(Path::new("/etc/aws"), Some(Path::new("/h"))),
            PathBuf::from("/etc/aws")
        );
    }
}
