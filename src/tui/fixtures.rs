//! A small catalog as a spoke account sees it, with every drift state and
//! a stack that failed, for the console's tests and snapshots. Fixed times,
//! so that what is drawn never changes.

use chrono::{DateTime, TimeZone, Utc};

use crate::model::{Assertion, Rule};
use crate::model::{
    CallEntry, CallOutcome, CallerIdentity, Constraint, ConstraintKind, ConstraintParams,
    Inventory, LaunchRole, Origin, Portfolio, PpStatus, Product, ProductOrigin, ProvisionedProduct,
    Share, ShareKind, ShareType, StackEvent, Version,
};
use crate::model::{ProfileInfo, ProfileKind};

pub const ACCOUNT: &str = "222222222222";
pub const HUB: &str = "111111111111";

pub fn at(day: u32, hour: u32, min: u32, sec: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, day, hour, min, sec)
        .single()
        .expect("a valid time")
}

pub fn identity() -> CallerIdentity {
    CallerIdentity {
        account_id: ACCOUNT.into(),
        arn: format!("arn:aws:sts::{ACCOUNT}:assumed-role/Operator/ops"),
        user_id: "AROAEXAMPLE:ops".into(),
    }
}

fn portfolio(id: &str, name: &str, provider: &str, origin: Origin) -> Portfolio {
    let owner = match &origin {
        Origin::Local => ACCOUNT.to_string(),
        Origin::Imported { owner_account, .. } => owner_account.clone(),
    };
    Portfolio {
        id: id.into(),
        arn: format!("arn:aws:catalog:eu-west-1:{owner}:portfolio/{id}"),
        name: name.into(),
        description: None,
        provider: Some(provider.into()),
        created: Some(at(1, 9, 0, 0)),
        origin,
    }
}

fn version(id: &str, name: &str, day: u32, active: bool, deprecated: bool) -> Version {
    Version {
        id: id.into(),
        name: name.into(),
        description: None,
        created: Some(at(day, 12, 0, 0)),
        active,
        deprecated,
    }
}

fn product(
    id: &str,
    name: &str,
    owner: &str,
    origin: ProductOrigin,
    portfolios: &[&str],
    versions: Vec<Version>,
) -> Product {
    let account = match &origin {
        ProductOrigin::Local => ACCOUNT.to_string(),
        ProductOrigin::Imported { owner_account } => owner_account.clone(),
        ProductOrigin::Unknown => String::new(),
    };
    Product {
        id: id.into(),
        arn: format!("arn:aws:catalog:eu-west-1:{account}:product/{id}"),
        name: name.into(),
        owner: owner.into(),
        product_type: "CLOUD_FORMATION_TEMPLATE".into(),
        description: None,
        distributor: None,
        created: Some(at(2, 10, 0, 0)),
        origin,
        portfolio_ids: portfolios.iter().map(|p| p.to_string()).collect(),
        versions,
        tag_options: None,
    }
}

fn provisioned(
    id: &str,
    name: &str,
    product: (&str, &str),
    version_id: &str,
    status: PpStatus,
) -> ProvisionedProduct {
    ProvisionedProduct {
        id: id.into(),
        name: name.into(),
        arn: format!("arn:aws:servicecatalog:eu-west-1:{ACCOUNT}:stack/{name}/{id}"),
        product_id: product.0.into(),
        product_name: Some(product.1.into()),
        version_id: version_id.into(),
        version_name: None,
        status,
        status_message: None,
        created: Some(at(10, 8, 0, 0)),
        last_record_id: Some(format!("rec-{id}-1")),
        last_provisioning_record_id: Some(format!("rec-{id}-1")),
        last_successful_record_id: Some(format!("rec-{id}-1")),
        stack_arn: Some(stack_arn(id)),
        owner: Some(format!("arn:aws:sts::{ACCOUNT}:assumed-role/Operator/ops")),
        account: ACCOUNT.into(),
        kind: "CFN_STACK".into(),
        tags: Vec::new(),
    }
}

/// The stack of a provisioned product: `SC-<account>-<id>`.
pub fn stack_arn(pp_id: &str) -> String {
    format!(
        "arn:aws:cloudformation:eu-west-1:{ACCOUNT}:stack/SC-{ACCOUNT}-{pp_id}/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
    )
}

/// The catalog of spoke-dev: three portfolios (one local, shared three
/// ways, one share pending; two imported),
/// four products, constraints inherited from the hub, and provisioned
/// products in every drift state.
pub fn inventory() -> Inventory {
    let mut inv = Inventory::empty(identity(), "eu-west-1", at(20, 12, 0, 0));
    inv.portfolios = vec![
        portfolio("port-dev0000001", "Team sandbox", "Dev team", Origin::Local),
        portfolio(
            "port-net0000001",
            "Networking",
            "Platform",
            Origin::Imported {
                owner_account: HUB.into(),
                share_type: ShareType::Organization,
            },
        ),
        portfolio(
            "port-sec0000001",
            "Security baseline",
            "Security",
            Origin::Imported {
                owner_account: "333333333333".into(),
                share_type: ShareType::Account,
            },
        ),
    ];
    let share = |kind, principal: &str, accepted| Share {
        portfolio_id: "port-dev0000001".into(),
        kind,
        principal: principal.into(),
        accepted,
        share_tag_options: false,
        share_principals: false,
    };
    inv.shares = vec![
        share(ShareKind::Account, "444444444444", false),
        share(ShareKind::Account, "555555555555", true),
        share(ShareKind::OrganizationalUnit, "ou-ab12-cdef3456", true),
    ];
    let hub = || ProductOrigin::Imported {
        owner_account: HUB.into(),
    };
    inv.products = vec![
        product(
            "prod-vpc0000001",
            "VPC",
            "Platform",
            hub(),
            &["port-net0000001"],
            vec![
                version("pa-vpc1", "v1", 1, true, false),
                version("pa-vpc2", "v2", 5, true, true),
                version("pa-vpc3", "v3", 9, true, false),
            ],
        ),
        product(
            "prod-tgw0000001",
            "Transit gateway attachment",
            "Platform",
            hub(),
            &["port-net0000001"],
            vec![
                version("pa-tgw1", "1.0", 1, true, false),
                version("pa-tgw2", "1.1", 3, true, false),
            ],
        ),
        product(
            "prod-gdm0000001",
            "GuardDuty member",
            "Security",
            ProductOrigin::Imported {
                owner_account: "333333333333".into(),
            },
            &["port-sec0000001"],
            vec![
                version("pa-gdm1", "2024.1", 1, false, false),
                version("pa-gdm2", "2025.1", 4, true, false),
            ],
        ),
        product(
            "prod-sbx0000001",
            "Sandbox bucket",
            "Dev team",
            ProductOrigin::Local,
            &["port-dev0000001"],
            vec![version("pa-sbx1", "1.0.0", 2, true, false)],
        ),
    ];
    inv.constraints = vec![
        Constraint {
            id: "cons-launch-vpc".into(),
            kind: ConstraintKind::Launch,
            description: Some("Launch as SCLaunchRole".into()),
            owner: HUB.into(),
            portfolio_id: "port-net0000001".into(),
            product_id: "prod-vpc0000001".into(),
            inherited: true,
            params: Some(ConstraintParams::Launch {
                role: LaunchRole::LocalRoleName("SCLaunchRole".into()),
            }),
        },
        Constraint {
            id: "cons-tmpl-vpc".into(),
            kind: ConstraintKind::Template,
            description: None,
            owner: HUB.into(),
            portfolio_id: "port-net0000001".into(),
            product_id: "prod-vpc0000001".into(),
            inherited: true,
            params: Some(ConstraintParams::Template {
                rules: vec![Rule {
                    name: "CidrSize".into(),
                    condition: None,
                    assertions: vec![Assertion {
                        assert: "Netmask in ['/16', '/20']".into(),
                        description: Some("VPCs are /16 or /20".into()),
                    }],
                    parameters: vec!["Netmask".into()],
                }],
            }),
        },
        Constraint {
            id: "cons-launch-sbx".into(),
            kind: ConstraintKind::Launch,
            description: None,
            owner: ACCOUNT.into(),
            portfolio_id: "port-dev0000001".into(),
            product_id: "prod-sbx0000001".into(),
            inherited: false,
            params: Some(ConstraintParams::Launch {
                role: LaunchRole::RoleArn(format!("arn:aws:iam::{ACCOUNT}:role/SandboxLaunch")),
            }),
        },
        Constraint {
            id: "cons-notify-gdm".into(),
            kind: ConstraintKind::Notification,
            description: None,
            owner: "333333333333".into(),
            portfolio_id: "port-sec0000001".into(),
            product_id: "prod-gdm0000001".into(),
            inherited: true,
            params: None,
        },
    ];
    let vpc = ("prod-vpc0000001", "VPC");
    let sbx = ("prod-sbx0000001", "Sandbox bucket");
    inv.provisioned = vec![
        provisioned(
            "pp-vpcmain0001",
            "vpc-main",
            vpc,
            "pa-vpc3",
            PpStatus::Available,
        ),
        provisioned(
            "pp-vpclegacy01",
            "vpc-legacy",
            vpc,
            "pa-vpc1",
            PpStatus::Available,
        ),
        provisioned(
            "pp-vpcedge0001",
            "vpc-edge",
            vpc,
            "pa-vpc2",
            PpStatus::Available,
        ),
        provisioned(
            "pp-tgwattach01",
            "tgw-attach",
            ("prod-tgw0000001", "Transit gateway attachment"),
            "pa-tgw2",
            PpStatus::Tainted,
        ),
        provisioned(
            "pp-guardduty01",
            "guardduty",
            ("prod-gdm0000001", "GuardDuty member"),
            "pa-gdm1",
            PpStatus::Available,
        ),
        provisioned(
            "pp-bucketlogs1",
            "bucket-logs",
            sbx,
            "pa-sbx0",
            PpStatus::Available,
        ),
        provisioned(
            "pp-bucketdata1",
            "bucket-data",
            sbx,
            "pa-sbx1",
            PpStatus::UnderChange,
        ),
    ];
    inv.provisioned[3].status_message =
        Some("Resource handler returned message: \"The subnet is in use\"".into());
    inv.compute_drift();
    inv
}

fn event(n: u32, logical: &str, kind: &str, status: &str, reason: Option<&str>) -> StackEvent {
    let stack_name = format!("SC-{ACCOUNT}-pp-tgwattach01");
    StackEvent {
        event_id: format!("ev-{n:03}"),
        stack_id: stack_arn("pp-tgwattach01"),
        stack_name: stack_name.clone(),
        logical_id: if kind == crate::model::STACK_RESOURCE_TYPE {
            stack_name
        } else {
            logical.into()
        },
        physical_id: None,
        resource_type: kind.into(),
        timestamp: at(20, 11, 0, n * 7),
        status: status.into(),
        reason: reason.map(str::to_string),
    }
}

/// The events of the tgw-attach stack, oldest first: an update that failed
/// and rolled back.
pub fn events() -> Vec<StackEvent> {
    let stack = crate::model::STACK_RESOURCE_TYPE;
    let attachment = "AWS::EC2::TransitGatewayAttachment";
    vec![
        event(1, "", stack, "UPDATE_IN_PROGRESS", Some("User Initiated")),
        event(2, "Attachment", attachment, "UPDATE_IN_PROGRESS", None),
        event(
            3,
            "Attachment",
            attachment,
            "UPDATE_FAILED",
            Some("The subnet is in use"),
        ),
        event(
            4,
            "",
            stack,
            "UPDATE_ROLLBACK_IN_PROGRESS",
            Some("The following resource(s) failed to update: [Attachment]"),
        ),
        event(5, "Attachment", attachment, "UPDATE_COMPLETE", None),
        event(
            6,
            "RouteTable",
            "AWS::EC2::RouteTable",
            "DELETE_SKIPPED",
            None,
        ),
        event(7, "", stack, "UPDATE_ROLLBACK_COMPLETE", None),
    ]
}

/// When the stack of bucket-data is looked at in [`moving_events`].
pub fn moving_now() -> DateTime<Utc> {
    at(20, 12, 0, 0)
}

/// The events of the bucket-data stack (its product is under change),
/// oldest first: created on the 10th, and an update that started two
/// minutes before [`moving_now`] and is still moving: Bucket done, Queue
/// in progress, a new Role created, Topic and OldAlarm not reached yet.
pub fn moving_events() -> Vec<StackEvent> {
    let stack_name = format!("SC-{ACCOUNT}-pp-bucketdata1");
    let stack = crate::model::STACK_RESOURCE_TYPE;
    let mut n = 0;
    let mut event =
        |time: DateTime<Utc>, logical: &str, kind: &str, status: &str, reason: Option<&str>| {
            n += 1;
            StackEvent {
                event_id: format!("bd-{n:03}"),
                stack_id: stack_arn("pp-bucketdata1"),
                stack_name: stack_name.clone(),
                logical_id: if kind == stack {
                    stack_name.clone()
                } else {
                    logical.into()
                },
                physical_id: None,
                resource_type: kind.into(),
                timestamp: time,
                status: status.into(),
                reason: reason.map(str::to_string),
            }
        };
    let bucket = "AWS::S3::Bucket";
    let queue = "AWS::SQS::Queue";
    let topic = "AWS::SNS::Topic";
    let alarm = "AWS::CloudWatch::Alarm";
    let role = "AWS::IAM::Role";
    vec![
        event(
            at(10, 8, 0, 1),
            "",
            stack,
            "CREATE_IN_PROGRESS",
            Some("User Initiated"),
        ),
        event(
            at(10, 8, 0, 3),
            "Bucket",
            bucket,
            "CREATE_IN_PROGRESS",
            None,
        ),
        event(at(10, 8, 0, 3), "Queue", queue, "CREATE_IN_PROGRESS", None),
        event(at(10, 8, 0, 4), "Topic", topic, "CREATE_IN_PROGRESS", None),
        event(at(10, 8, 0, 24), "Bucket", bucket, "CREATE_COMPLETE", None),
        event(at(10, 8, 0, 25), "Queue", queue, "CREATE_COMPLETE", None),
        event(at(10, 8, 0, 26), "Topic", topic, "CREATE_COMPLETE", None),
        event(
            at(10, 8, 0, 27),
            "OldAlarm",
            alarm,
            "CREATE_IN_PROGRESS",
            None,
        ),
        event(at(10, 8, 0, 29), "OldAlarm", alarm, "CREATE_COMPLETE", None),
        event(at(10, 8, 0, 31), "", stack, "CREATE_COMPLETE", None),
        event(
            at(20, 11, 58, 0),
            "",
            stack,
            "UPDATE_IN_PROGRESS",
            Some("User Initiated"),
        ),
        event(
            at(20, 11, 58, 2),
            "Bucket",
            bucket,
            "UPDATE_IN_PROGRESS",
            None,
        ),
        event(at(20, 11, 58, 4), "Role", role, "CREATE_IN_PROGRESS", None),
        event(
            at(20, 11, 58, 5),
            "Role",
            role,
            "CREATE_IN_PROGRESS",
            Some("Resource creation Initiated"),
        ),
        event(
            at(20, 11, 58, 40),
            "Bucket",
            bucket,
            "UPDATE_COMPLETE",
            None,
        ),
        event(
            at(20, 11, 58, 41),
            "Queue",
            queue,
            "UPDATE_IN_PROGRESS",
            None,
        ),
        event(at(20, 11, 59, 20), "Role", role, "CREATE_COMPLETE", None),
    ]
}

/// Profiles of every kind.
pub fn profiles() -> Vec<ProfileInfo> {
    let profile = |name: &str, kind, region: Option<&str>, endpoint: Option<&str>| ProfileInfo {
        name: name.into(),
        kind,
        region: region.map(str::to_string),
        endpoint_url: endpoint.map(str::to_string),
        account: None,
    };
    vec![
        profile(
            "hub",
            ProfileKind::Static,
            Some("eu-west-1"),
            Some("http://127.0.0.1:41234"),
        ),
        profile("spoke-dev", ProfileKind::Sso, Some("eu-west-1"), None),
        profile(
            "spoke-prod",
            ProfileKind::AssumeRole,
            Some("eu-central-1"),
            None,
        ),
        profile("ci", ProfileKind::CredentialProcess, None, None),
    ]
}

/// A few AWS calls, one throttled and retried, one denied.
pub fn calls() -> Vec<CallEntry> {
    let call = |seq: u64, sec: u32, service: &str, op: &str, outcome, attempts, ms| CallEntry {
        seq,
        started: at(20, 12, 0, sec),
        service: service.into(),
        operation: op.into(),
        profile: "spoke-dev".into(),
        account: Some(ACCOUNT.into()),
        region: "eu-west-1".into(),
        outcome,
        attempts,
        duration_ms: ms,
        target: None,
    };
    vec![
        call(1, 0, "STS", "GetCallerIdentity", CallOutcome::Ok, 1, 41),
        call(
            2,
            1,
            "ServiceCatalog",
            "ListPortfolios",
            CallOutcome::Ok,
            1,
            88,
        ),
        call(
            3,
            1,
            "ServiceCatalog",
            "SearchProductsAsAdmin",
            CallOutcome::Ok,
            3,
            1450,
        ),
        call(
            4,
            2,
            "ServiceCatalog",
            "DescribeConstraint",
            CallOutcome::Error("AccessDeniedException".into()),
            1,
            63,
        ),
    ]
}
