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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_body_without_resources_or_not_a_template_gives_none() {
        assert_eq!(resource_ids("{\"Parameters\": {}}"), None);
        assert_eq!(resource_ids("<html>500</html>: [\n"), None);
        assert_eq!(resource_ids(""), None);
    }
}
