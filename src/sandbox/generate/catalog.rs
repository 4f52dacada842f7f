//! The hub's catalog of a generated world: kinds of product with their
//! resources, versions (some deprecated), and the spokes' local portfolios.

use std::fmt::Write as _;

use super::*;

/// Resource sets of the kinds of product a generated hub offers.
pub(super) struct Kind {
    pub(super) name: &'static str,
    pub(super) slug: &'static str,
    pub(super) resources: &'static [(&'static str, &'static str, u32)],
}

pub(super) const KINDS: &[Kind] = &[
    Kind {
        name: "S3 Bucket",
        slug: "bucket",
        resources: &[
            ("Bucket", "AWS::S3::Bucket", 3),
            ("BucketPolicy", "AWS::S3::BucketPolicy", 2),
        ],
    },
    Kind {
        name: "SQS Queue",
        slug: "queue",
        resources: &[
            ("Queue", "AWS::SQS::Queue", 3),
            ("DeadLetterQueue", "AWS::SQS::Queue", 3),
            ("QueuePolicy", "AWS::SQS::QueuePolicy", 2),
        ],
    },
    Kind {
        name: "SNS Topic",
        slug: "topic",
        resources: &[
            ("Topic", "AWS::SNS::Topic", 3),
            ("TopicPolicy", "AWS::SNS::TopicPolicy", 2),
        ],
    },
    Kind {
        name: "DynamoDB Table",
        slug: "table",
        resources: &[("Table", "AWS::DynamoDB::Table", 22)],
    },
    Kind {
        name: "Lambda Function",
        slug: "function",
        resources: &[
            ("ExecutionRole", "AWS::IAM::Role", 14),
            ("LogGroup", "AWS::Logs::LogGroup", 2),
            ("Function", "AWS::Lambda::Function", 6),
        ],
    },
    Kind {
        name: "IAM Role",
        slug: "role",
        resources: &[
            ("Role", "AWS::IAM::Role", 14),
            ("Policy", "AWS::IAM::ManagedPolicy", 9),
        ],
    },
    Kind {
        name: "ECR Repository",
        slug: "repo",
        resources: &[("Repository", "AWS::ECR::Repository", 3)],
    },
    Kind {
        name: "KMS Key",
        slug: "key",
        resources: &[
            ("Key", "AWS::KMS::Key", 32),
            ("Alias", "AWS::KMS::Alias", 2),
        ],
    },
];

/// The versions of product `i`: (name, created days ago, deprecated).
pub(super) fn versions(i: usize) -> Vec<(&'static str, u64, bool)> {
    let jitter = (i % 7) as u64;
    match i % 3 {
        0 => vec![
            ("v1.0", 360 + jitter, true),
            ("v1.1", 240 + jitter, false),
            ("v2.0", 120 + jitter, false),
            ("v2.1", 30 + jitter, false),
        ],
        1 => vec![
            ("v1.0", 300 + jitter, false),
            ("v1.1", 150 + jitter, false),
            ("v2.0", 40 + jitter, false),
        ],
        _ => vec![
            ("v1.0", 330 + jitter, false),
            ("v1.1", 200 + jitter, false),
            ("v2.0", 90 + jitter, false),
            ("v2.1", 20 + jitter, false),
        ],
    }
}

/// Spoke `i`'s local portfolio `j`: a few hub products with the team's
/// launch constraint, shared by account with the hub and the next spokes.
pub(super) fn write_spoke_portfolio(out: &mut String, s: &Scale, i: usize, j: usize) {
    let mut products: Vec<usize> = Vec::new();
    for n in 0..PRODUCTS_PER_SPOKE_PORTFOLIO.min(s.products) {
        let mut k = (i * 7 + j * 3 + n * 11) % s.products;
        while products.contains(&k) {
            k = (k + 1) % s.products;
        }
        products.push(k);
    }
    let names: Vec<String> = products
        .iter()
        .map(|&k| format!("\"{}\"", product_name(k)))
        .collect();
    let mut shares = vec!["{ account = \"hub\" }".to_string()];
    for n in 1..=SPOKE_SHARES.min(s.spokes.saturating_sub(1)) {
        let to = spoke_name((i + n) % s.spokes, s.spokes);
        shares.push(if n == 1 {
            format!("{{ account = \"{to}\", accepted = true }}")
        } else {
            format!("{{ account = \"{to}\" }}")
        });
    }
    let me = spoke_name(i, s.spokes);
    let _ = writeln!(
        out,
        "[[portfolios]]\naccount = \"{me}\"\nname = \"{}\"\ndescription = \"What team {me} offers its neighbours\"\nprovider = \"Team {me}\"\ncreated_ago = \"{}d\"\nproducts = [{}]\nshares = [{}]\n",
        spoke_portfolio_name(j),
        200 + j,
        names.join(", "),
        shares.join(", ")
    );
    for &k in &products {
        let _ = writeln!(
            out,
            "[[portfolios.constraints]]\nproduct = \"{}\"\ntype = \"LAUNCH\"\nparameters = {{ LocalRoleName = \"TeamLaunchRole\" }}\n",
            product_name(k)
        );
    }
}

/// Products that carry the AutoUpdateProvisionedProduct=true TagOption.
pub(super) fn opted_in(i: usize) -> bool {
    i.is_multiple_of(4)
}

pub(super) fn write_product(out: &mut String, s: &Scale, i: usize) {
    let kind = &KINDS[i % KINDS.len()];
    let vs = versions(i);
    let latest = vs.len() - 1;
    let tags = if opted_in(i) {
        "[\"AutoUpdateProvisionedProduct=true\"]"
    } else {
        "[]"
    };
    let _ = writeln!(
        out,
        "[[products]]\naccount = \"hub\"\nname = \"{}\"\nowner = \"Platform Engineering\"\ndescription = \"{} for workloads\"\ncreated_ago = \"{}d\"\ntag_options = {tags}\n",
        product_name(i),
        kind.name,
        vs[0].1 + 10
    );
    for (k, (name, days, deprecated)) in vs.iter().enumerate() {
        let replaces = k == latest && s.replacing_latest(i);
        let mut resources: Vec<String> = kind
            .resources
            .iter()
            .enumerate()
            .map(|(n, (id, t, secs))| {
                let replacement = if replaces && n == 0 {
                    ", replacement = \"TRUE\", properties = [\"Name\"]"
                } else {
                    ""
                };
                format!("{{ id = \"{id}\", type = \"{t}\", seconds = {secs}{replacement} }}")
            })
            .collect();
        if k >= 2 {
            resources
                .push("{ id = \"Alarm\", type = \"AWS::CloudWatch::Alarm\", seconds = 2 }".into());
        }
        if k == latest && s.slow_latest(i) {
            resources.push(
                "{ id = \"DataMigration\", type = \"AWS::CloudFormation::WaitCondition\", seconds = 172800 }"
                    .into(),
            );
        }
        let mut parameters =
            vec!["{ key = \"Environment\", default = \"dev\", allowed_values = [\"dev\", \"staging\", \"prod\"] }".to_string()];
        if k >= 1 {
            parameters
                .push("{ key = \"RetentionDays\", type = \"Number\", default = \"30\" }".into());
        }
        let broken = if k == latest && s.broken_latest(i) {
            format!("fails_on = \"{}\"\n", kind.resources[0].0)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "[[products.versions]]\nname = \"{name}\"\ncreated_ago = \"{days}d\"\n{}{broken}resources = [{}]\nparameters = [{}]\noutputs = [{{ key = \"StackName\", value = \"${{StackName}}\" }}]\n",
            if *deprecated {
                "deprecated = true\n"
            } else {
                ""
            },
            resources.join(", "),
            parameters.join(", ")
        );
    }
}
