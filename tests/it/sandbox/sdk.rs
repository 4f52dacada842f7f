//! The sandbox, driven by the real AWS SDK clients: every operation, paging,
//! the error paths, sharing, provisioning over time, and the call log.

use crate::fixtures;

use std::time::Duration;

use aws_sdk_servicecatalog::types::{
    AccessLevelFilter, AccessLevelFilterKey, DescribePortfolioShareType, OrganizationNode,
    OrganizationNodeType, PortfolioShareType, ProvisioningParameter, RecordStatus,
    UpdateProvisioningParameter,
};
use fixtures::*;
use spoke::sandbox::world::{PpStatus, World};

fn account_filter() -> AccessLevelFilter {
    AccessLevelFilter::builder()
        .key(AccessLevelFilterKey::Account)
        .value("self")
        .build()
}

#[tokio::test]
async fn caller_identity_is_the_account_of_the_key() {
    let sb = sandbox(1.0).await;
    for p in sb.profiles() {
        let id = sts(&sb, &p.name)
            .await
            .get_caller_identity()
            .send()
            .await
            .expect("GetCallerIdentity");
        assert_eq!(id.account(), Some(p.account_id.as_str()));
        assert!(id.arn().unwrap_or_default().contains(&p.account_id));
    }
}

#[tokio::test]
async fn unknown_keys_and_bad_signatures_are_refused_as_aws_does() {
    let sb = sandbox(1.0).await;
    let hub = sb.profiles().into_iter().next().unwrap();
    let unknown = config_with_keys(&sb, &hub.region, "AKIAUNKNOWN000000000", "x").await;
    let e = aws_sdk_servicecatalog::Client::new(&unknown)
        .list_portfolios()
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "UnrecognizedClientException");
    let e = aws_sdk_sts::Client::new(&unknown)
        .get_caller_identity()
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidClientTokenId");

    let wrong_secret =
        config_with_keys(&sb, &hub.region, &hub.access_key_id, "not-the-secret").await;
    let e = aws_sdk_servicecatalog::Client::new(&wrong_secret)
        .list_portfolios()
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidSignatureException");
    let e = aws_sdk_cloudformation::Client::new(&wrong_secret)
        .describe_stacks()
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "SignatureDoesNotMatch");
    let calls = sb.calls();
    assert!(
        calls
            .iter()
            .any(|c| c.outcome == "SignatureDoesNotMatch" && c.account == hub.account_id)
    );
}

#[tokio::test]
async fn expired_credentials_answer_expired_token() {
    let opts = spoke::sandbox::SandboxOptions {
        faults: spoke::sandbox::Faults {
            expired_accounts: vec!["spoke-dev".into()],
            ..Default::default()
        },
        ..Default::default()
    };
    let sb = spoke::sandbox::Sandbox::start(opts).await.unwrap();
    let e = sc(&sb, "spoke-dev")
        .await
        .list_portfolios()
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ExpiredTokenException");
    let e = sts(&sb, "spoke-dev")
        .await
        .get_caller_identity()
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ExpiredToken");
    sc(&sb, "hub")
        .await
        .list_portfolios()
        .send()
        .await
        .expect("other accounts work");
}

#[tokio::test]
async fn list_portfolios_pages_and_validates_page_size() {
    let sb = sandbox(1.0).await;
    let client = sc(&sb, "hub").await;
    let all = client
        .list_portfolios()
        .page_size(100)
        .send()
        .await
        .unwrap();
    let total = all.portfolio_details().len();
    assert!(total >= 2, "the hub has portfolios");
    assert!(all.next_page_token().is_none());
    // one per page, following the tokens
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_portfolios()
            .page_size(1)
            .set_page_token(token)
            .send()
            .await
            .unwrap();
        assert!(page.portfolio_details().len() <= 1);
        seen.extend(
            page.portfolio_details()
                .iter()
                .map(|p| p.id().unwrap_or_default().to_string()),
        );
        token = page.next_page_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen.len(), total);
    // the SDK's own paginator agrees
    let pages: Vec<_> = client
        .list_portfolios()
        .page_size(1)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages
            .iter()
            .map(|p| p.portfolio_details().len())
            .sum::<usize>(),
        total
    );

    let e = client
        .list_portfolios()
        .page_size(101)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationException");
    let e = client
        .list_portfolios()
        .page_token("forged.00000000")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidParametersException");
    let e = client
        .describe_portfolio()
        .id("port-doesnotexist1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    let e = client
        .search_products_as_admin()
        .page_size(21)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        code(&e),
        "ValidationException",
        "SearchProductsAsAdmin pages hold at most 20"
    );
}

/// A hub portfolio and the spoke it is shared with but not accepted by, if the world has one.
fn pending_share(w: &World) -> Option<(String, String)> {
    w.portfolios.values().find_map(|p| {
        p.shares
            .iter()
            .filter(|s| s.kind == spoke::sandbox::world::ShareKind::Account)
            .find(|s| {
                w.accounts
                    .get(&s.principal)
                    .is_some_and(|a| !a.accepted.contains(&p.id))
            })
            .map(|s| (p.id.clone(), w.accounts[&s.principal].name.clone()))
    })
}

#[tokio::test]
async fn account_share_is_imported_only_after_acceptance_and_carries_the_hub_constraints() {
    let sb = sandbox(1.0).await;
    let hub = sc(&sb, "hub").await;
    // a fresh share from the hub to a spoke
    let portfolio = hub
        .list_portfolios()
        .send()
        .await
        .unwrap()
        .portfolio_details()[0]
        .id()
        .unwrap()
        .to_string();
    let spoke_name = sb
        .profiles()
        .into_iter()
        .find(|p| p.name != "hub")
        .unwrap()
        .name;
    let spoke_id = account_id(&sb, &spoke_name);
    let spoke = sc(&sb, &spoke_name).await;
    let already = |p: &aws_sdk_servicecatalog::operation::list_accepted_portfolio_shares::ListAcceptedPortfolioSharesOutput| {
        p.portfolio_details().iter().any(|d| d.id() == Some(portfolio.as_str()))
    };
    let before = spoke
        .list_accepted_portfolio_shares()
        .portfolio_share_type(PortfolioShareType::Imported)
        .send()
        .await
        .unwrap();
    if !already(&before) {
        let out = hub
            .create_portfolio_share()
            .portfolio_id(&portfolio)
            .account_id(&spoke_id)
            .send()
            .await
            .unwrap();
        assert!(
            out.portfolio_share_token().is_none(),
            "account shares have no token"
        );
        let shares = hub
            .describe_portfolio_shares()
            .portfolio_id(&portfolio)
            .r#type(DescribePortfolioShareType::Account)
            .send()
            .await
            .unwrap();
        let share = shares
            .portfolio_share_details()
            .iter()
            .find(|s| s.principal_id() == Some(spoke_id.as_str()))
            .expect("listed");
        assert!(!share.accepted());
        let still = spoke
            .list_accepted_portfolio_shares()
            .portfolio_share_type(PortfolioShareType::Imported)
            .send()
            .await
            .unwrap();
        assert!(!already(&still), "not imported before acceptance");
        spoke
            .accept_portfolio_share()
            .portfolio_id(&portfolio)
            .portfolio_share_type(PortfolioShareType::Imported)
            .send()
            .await
            .unwrap();
        let after = spoke
            .list_accepted_portfolio_shares()
            .portfolio_share_type(PortfolioShareType::Imported)
            .send()
            .await
            .unwrap();
        assert!(already(&after), "imported after acceptance");
        let shares = hub
            .describe_portfolio_shares()
            .portfolio_id(&portfolio)
            .r#type(DescribePortfolioShareType::Account)
            .send()
            .await
            .unwrap();
        let share = shares
            .portfolio_share_details()
            .iter()
            .find(|s| s.principal_id() == Some(spoke_id.as_str()))
            .unwrap();
        assert!(share.accepted());
    }
    // the spoke sees the hub's constraints on the imported portfolio, owned by the hub
    let hub_id = account_id(&sb, "hub");
    let cons = spoke
        .list_constraints_for_portfolio()
        .portfolio_id(&portfolio)
        .send()
        .await
        .unwrap();
    for c in cons.constraint_details() {
        assert_eq!(
            c.owner(),
            Some(hub_id.as_str()),
            "inherited constraints are the hub's"
        );
        let d = spoke
            .describe_constraint()
            .id(c.constraint_id().unwrap())
            .send()
            .await
            .unwrap();
        assert!(
            serde_json::from_str::<serde_json::Value>(d.constraint_parameters().unwrap()).is_ok()
        );
    }
    // errors
    let e = spoke
        .accept_portfolio_share()
        .portfolio_id("port-notsharedatall")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    let e = hub
        .create_portfolio_share()
        .portfolio_id(&portfolio)
        .account_id(&hub_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidParametersException");
    let e = hub
        .create_portfolio_share()
        .portfolio_id(&portfolio)
        .account_id("12345")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationException");
    let e = spoke
        .describe_portfolio_shares()
        .portfolio_id(&portfolio)
        .r#type(DescribePortfolioShareType::Account)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        code(&e),
        "ResourceNotFoundException",
        "only the owner sees a portfolio's shares"
    );
}

#[tokio::test]
async fn the_world_has_a_pending_share_that_a_spoke_can_accept() {
    let sb = sandbox(1.0).await;
    let (portfolio, spoke_name) = sb
        .with_world(|w| pending_share(w))
        .expect("the default world has a pending account share");
    let spoke = sc(&sb, &spoke_name).await;
    spoke
        .accept_portfolio_share()
        .portfolio_id(&portfolio)
        .send()
        .await
        .expect("accept");
    let after = spoke.list_accepted_portfolio_shares().send().await.unwrap();
    assert!(
        after
            .portfolio_details()
            .iter()
            .any(|d| d.id() == Some(portfolio.as_str())),
        "IMPORTED is the default share type"
    );
}

#[tokio::test]
async fn organization_share_needs_no_acceptance_and_reports_its_status() {
    let sb = sandbox(5.0).await;
    let hub = sc(&sb, "hub").await;
    let org_id = sb
        .with_world(|w| w.organization.as_ref().map(|o| o.id.clone()))
        .expect("an organization");
    let portfolios = hub.list_portfolios().page_size(100).send().await.unwrap();
    let portfolio = portfolios
        .portfolio_details()
        .last()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let node = OrganizationNode::builder()
        .r#type(OrganizationNodeType::Organization)
        .value(&org_id)
        .build();
    let token = hub
        .create_portfolio_share()
        .portfolio_id(&portfolio)
        .organization_node(node)
        .send()
        .await
        .unwrap();
    let token = token
        .portfolio_share_token()
        .expect("org shares have a token")
        .to_string();
    let mut status = String::new();
    for _ in 0..50 {
        let s = hub
            .describe_portfolio_share_status()
            .portfolio_share_token(&token)
            .send()
            .await
            .unwrap();
        status = s
            .status()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default();
        if status == "COMPLETED" {
            assert!(!s.share_details().unwrap().successful_shares().is_empty());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, "COMPLETED");
    for p in sb.profiles().into_iter().filter(|p| p.name != "hub") {
        let client = sc(&sb, &p.name).await;
        let orgs = client
            .list_accepted_portfolio_shares()
            .portfolio_share_type(PortfolioShareType::AwsOrganizations)
            .send()
            .await
            .unwrap();
        assert!(
            orgs.portfolio_details()
                .iter()
                .any(|d| d.id() == Some(portfolio.as_str())),
            "{} sees it without accepting",
            p.name
        );
    }
}

#[tokio::test]
async fn products_versions_paths_and_tag_options() {
    let sb = sandbox(1.0).await;
    let hub = sc(&sb, "hub").await;
    let pages: Vec<_> = hub
        .search_products_as_admin()
        .page_size(2)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    let products: Vec<_> = pages
        .iter()
        .flat_map(|p| p.product_view_details().to_vec())
        .collect();
    assert!(products.len() >= 2);
    let first = &products[0];
    let pid = first
        .product_view_summary()
        .unwrap()
        .product_id()
        .unwrap()
        .to_string();
    let d = hub
        .describe_product_as_admin()
        .id(&pid)
        .send()
        .await
        .unwrap();
    assert!(!d.provisioning_artifact_summaries().is_empty());
    let arts = hub
        .list_provisioning_artifacts()
        .product_id(&pid)
        .send()
        .await
        .unwrap();
    assert_eq!(
        arts.provisioning_artifact_details().len(),
        d.provisioning_artifact_summaries().len()
    );
    let ports = hub
        .list_portfolios_for_product()
        .product_id(&pid)
        .send()
        .await
        .unwrap();
    assert!(!ports.portfolio_details().is_empty());
    let paths = hub
        .list_launch_paths()
        .product_id(&pid)
        .send()
        .await
        .unwrap();
    assert_eq!(
        paths.launch_path_summaries().len(),
        ports.portfolio_details().len()
    );
    let tags = hub.list_tag_options().send().await.unwrap();
    assert!(
        tags.tag_option_details()
            .iter()
            .any(|t| t.key() == Some("AutoUpdateProvisionedProduct") && t.value() == Some("true")),
        "the hub's opt-in TagOption"
    );
    let local_only = hub
        .search_products_as_admin()
        .product_source(aws_sdk_servicecatalog::types::ProductSource::Account)
        .send()
        .await
        .unwrap();
    assert!(!local_only.product_view_details().is_empty());
    let e = hub
        .list_provisioning_artifacts()
        .product_id("prod-doesnotexist1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
}

/// A product the hub can launch, with a version that works, and a broken version if any.
/// AWS launches only active versions that are not deprecated.
fn launchable_version(v: &spoke::sandbox::world::Version) -> bool {
    v.active && v.guidance == "DEFAULT" && v.fails_on.is_none()
}

fn launchable(w: &World, account: &str) -> (String, String, Option<String>) {
    let region = &w.accounts[account].region;
    let ids = w.visible_product_ids(account, region);
    let p = w
        .products
        .values()
        .filter(|p| ids.contains(&p.id))
        .filter(|p| {
            w.visible_portfolios(account, region)
                .filter(|x| x.products.contains(&p.id))
                .count()
                == 1
        })
        .find(|p| {
            p.versions.iter().any(launchable_version)
                && p.versions.iter().any(|v| v.active && v.fails_on.is_some())
        })
        .or_else(|| w.products.values().find(|p| ids.contains(&p.id)))
        .expect("a product");
    let good = p
        .versions
        .iter()
        .find(|v| launchable_version(v))
        .unwrap()
        .id
        .clone();
    let broken = p
        .versions
        .iter()
        .find(|v| v.active && v.fails_on.is_some())
        .map(|v| v.id.clone());
    (p.id.clone(), good, broken)
}

#[tokio::test]
async fn provision_moves_through_events_to_succeeded_then_a_broken_update_rolls_back() {
    let sb = sandbox(40.0).await;
    let hub_id = account_id(&sb, "hub");
    let (product, good, broken) = sb.with_world(|w| launchable(w, &hub_id));
    let client = sc(&sb, "hub").await;
    let cfn_client = cfn(&sb, "hub").await;

    let params = client
        .describe_provisioning_parameters()
        .product_id(&product)
        .provisioning_artifact_id(&good)
        .send()
        .await
        .unwrap();
    let values: Vec<ProvisioningParameter> = params
        .provisioning_artifact_parameters()
        .iter()
        .filter(|p| p.default_value().is_none())
        .map(|p| {
            let allowed = p
                .parameter_constraints()
                .map(|c| c.allowed_values().to_vec())
                .unwrap_or_default();
            let v = allowed.first().cloned().unwrap_or_else(|| "value1".into());
            ProvisioningParameter::builder()
                .key(p.parameter_key().unwrap())
                .value(v)
                .build()
        })
        .collect();
    let out = client
        .provision_product()
        .product_id(&product)
        .provisioning_artifact_id(&good)
        .provisioned_product_name("it-test-launch")
        .set_provisioning_parameters(Some(values.clone()))
        .provision_token("tok-launch-1")
        .send()
        .await
        .unwrap();
    let rec = out.record_detail().unwrap();
    assert_eq!(rec.status(), Some(&RecordStatus::Created));
    let record_id = rec.record_id().unwrap().to_string();
    let pp_id = rec.provisioned_product_id().unwrap().to_string();

    // the same token is answered with the same record, nothing launched twice
    let again = client
        .provision_product()
        .product_id(&product)
        .provisioning_artifact_id(&good)
        .provisioned_product_name("it-test-launch")
        .set_provisioning_parameters(Some(values))
        .provision_token("tok-launch-1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.record_detail().unwrap().record_id(),
        Some(record_id.as_str())
    );

    let pp = client
        .describe_provisioned_product()
        .id(&pp_id)
        .send()
        .await
        .unwrap();
    let stack_name = {
        let s = client
            .search_provisioned_products()
            .access_level_filter(account_filter())
            .send()
            .await
            .unwrap();
        let found = s
            .provisioned_products()
            .iter()
            .find(|p| p.id() == Some(pp_id.as_str()))
            .unwrap()
            .clone();
        let physical = found.physical_id().unwrap().to_string();
        assert!(physical.starts_with(&format!(
            "arn:aws:cloudformation:us-east-1:{hub_id}:stack/SC-{hub_id}-{pp_id}/"
        )));
        physical
    };
    assert_eq!(
        pp.provisioned_product_detail()
            .unwrap()
            .status()
            .unwrap()
            .as_str(),
        "UNDER_CHANGE"
    );

    // events arrive over time, newest first
    let mut counts = Vec::new();
    let mut final_status = None;
    for _ in 0..200 {
        let ev = cfn_client
            .describe_stack_events()
            .stack_name(&stack_name)
            .send()
            .await
            .unwrap();
        counts.push(ev.stack_events().len());
        let r = client
            .describe_record()
            .id(&record_id)
            .send()
            .await
            .unwrap();
        let status = r.record_detail().unwrap().status().cloned();
        if matches!(status, Some(RecordStatus::Succeeded | RecordStatus::Failed)) {
            final_status = status;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(final_status, Some(RecordStatus::Succeeded));
    assert!(
        counts.windows(2).all(|w| w[0] <= w[1]),
        "events only grow: {counts:?}"
    );
    assert!(
        counts.first() < counts.last(),
        "events arrived while we watched: {counts:?}"
    );
    let ev = cfn_client
        .describe_stack_events()
        .stack_name(&stack_name)
        .send()
        .await
        .unwrap();
    let newest = &ev.stack_events()[0];
    assert_eq!(
        newest.resource_status().unwrap().as_str(),
        "CREATE_COMPLETE"
    );
    assert_eq!(newest.resource_type(), Some("AWS::CloudFormation::Stack"));
    let stacks = cfn_client
        .describe_stacks()
        .stack_name(&stack_name)
        .send()
        .await
        .unwrap();
    assert_eq!(
        stacks.stacks()[0].stack_status().unwrap().as_str(),
        "CREATE_COMPLETE"
    );
    let resources = cfn_client
        .describe_stack_resources()
        .stack_name(&stack_name)
        .send()
        .await
        .unwrap();
    assert!(!resources.stack_resources().is_empty());
    let template = cfn_client
        .get_template()
        .stack_name(&stack_name)
        .send()
        .await
        .unwrap();
    let ids = spoke::model::template::resource_ids(template.template_body().unwrap()).unwrap();
    for r in resources.stack_resources() {
        assert!(
            ids.iter()
                .any(|id| Some(id.as_str()) == r.logical_resource_id())
        );
    }
    let missing = cfn_client
        .get_template()
        .stack_name("no-such-stack")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&missing), "ValidationError");
    client
        .get_provisioned_product_outputs()
        .provisioned_product_id(&pp_id)
        .send()
        .await
        .unwrap();
    let history = client
        .list_record_history()
        .access_level_filter(account_filter())
        .send()
        .await
        .unwrap();
    assert!(
        history
            .record_details()
            .iter()
            .any(|r| r.record_id() == Some(record_id.as_str()))
    );
    client
        .scan_provisioned_products()
        .access_level_filter(account_filter())
        .send()
        .await
        .unwrap();

    // an update to a broken version fails, rolls back, and leaves the product TAINTED
    let Some(broken) = broken else {
        panic!("the default world has a broken version of a launchable product")
    };
    let up = client
        .update_provisioned_product()
        .provisioned_product_id(&pp_id)
        .provisioning_artifact_id(&broken)
        .set_provisioning_parameters(Some(
            sb.with_world(|w| {
                w.provisioned[&pp_id]
                    .parameters
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .into_iter()
            .map(|k| {
                UpdateProvisioningParameter::builder()
                    .key(k)
                    .use_previous_value(true)
                    .build()
            })
            .collect(),
        ))
        .update_token("tok-update-1")
        .send()
        .await
        .unwrap();
    let upd_record = up.record_detail().unwrap().record_id().unwrap().to_string();
    let e = client
        .update_provisioned_product()
        .provisioned_product_id(&pp_id)
        .update_token("tok-update-2")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        code(&e),
        "InvalidParametersException",
        "an update under change is refused"
    );
    let mut status = None;
    for _ in 0..400 {
        let r = client
            .describe_record()
            .id(&upd_record)
            .send()
            .await
            .unwrap();
        let s = r.record_detail().unwrap().status().cloned();
        if matches!(s, Some(RecordStatus::Succeeded | RecordStatus::Failed)) {
            assert!(!r.record_detail().unwrap().record_errors().is_empty());
            status = s;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(status, Some(RecordStatus::Failed));
    let pp = client
        .describe_provisioned_product()
        .id(&pp_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        pp.provisioned_product_detail()
            .unwrap()
            .status()
            .unwrap()
            .as_str(),
        "TAINTED"
    );
    assert_eq!(
        pp.provisioned_product_detail()
            .unwrap()
            .provisioning_artifact_id(),
        Some(good.as_str()),
        "still on the old version"
    );
    let stacks = cfn_client
        .describe_stacks()
        .stack_name(&stack_name)
        .send()
        .await
        .unwrap();
    assert_eq!(
        stacks.stacks()[0].stack_status().unwrap().as_str(),
        "UPDATE_ROLLBACK_COMPLETE"
    );
    let ev = cfn_client
        .describe_stack_events()
        .stack_name(&stack_name)
        .send()
        .await
        .unwrap();
    assert!(
        ev.stack_events()
            .iter()
            .any(|e| e.resource_status().unwrap().as_str() == "UPDATE_FAILED")
    );
    assert!(sb.with_world(|w| w.provisioned[&pp_id].status == PpStatus::Tainted));
}

#[tokio::test]
async fn provisioning_errors_follow_aws() {
    let sb = sandbox(1.0).await;
    let hub_id = account_id(&sb, "hub");
    let (product, good, _) = sb.with_world(|w| launchable(w, &hub_id));
    let client = sc(&sb, "hub").await;
    let e = client
        .provision_product()
        .product_id(&product)
        .provisioning_artifact_id(&good)
        .provisioned_product_name("bad name with spaces")
        .provision_token("t1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationException");
    let e = client
        .provision_product()
        .product_id(&product)
        .provisioning_artifact_id(&good)
        .provisioned_product_name("ok-name")
        .provisioning_parameters(
            ProvisioningParameter::builder()
                .key("NoSuchParameter")
                .value("x")
                .build(),
        )
        .provision_token("t2")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidParametersException");
    // AWS: no new launch from a deprecated version (updates of products on one still work)
    let deprecated = sb.with_world(|w| {
        w.products
            .values()
            .filter(|p| p.owner_account == hub_id)
            .find_map(|p| {
                let v = p
                    .versions
                    .iter()
                    .find(|v| v.active && v.guidance == "DEPRECATED")?;
                Some((p.id.clone(), v.id.clone()))
            })
    });
    let (product, version) = deprecated.expect("the default world has a deprecated version");
    let paths = client
        .list_launch_paths()
        .product_id(&product)
        .send()
        .await
        .unwrap();
    let path = paths.launch_path_summaries()[0].id().unwrap().to_string();
    let e = client
        .provision_product()
        .product_id(&product)
        .path_id(&path)
        .provisioning_artifact_id(&version)
        .provisioned_product_name("on-deprecated")
        .provision_token("t3")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidParametersException");
    let message = e
        .as_service_error()
        .and_then(|s| s.meta().message())
        .unwrap_or_default()
        .to_string();
    assert!(message.contains("deprecated"), "{message}");
    let e = client
        .describe_provisioned_product()
        .id("pp-doesnotexist12")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    let e = cfn(&sb, "hub")
        .await
        .describe_stack_events()
        .stack_name("no-such-stack")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationError");
    let e = client
        .describe_record()
        .id("rec-doesnotexist1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
}

#[tokio::test]
async fn the_call_log_file_records_every_call_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calls.jsonl");
    let sb = spoke::sandbox::Sandbox::start(spoke::sandbox::SandboxOptions {
        call_log: Some(path.clone()),
        ..Default::default()
    })
    .await
    .unwrap();
    sc(&sb, "hub").await.list_portfolios().send().await.unwrap();
    sts(&sb, "hub")
        .await
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    let _ = sc(&sb, "hub")
        .await
        .describe_portfolio()
        .id("port-nope")
        .send()
        .await;
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["operation"], "ListPortfolios");
    assert_eq!(lines[0]["service"], "servicecatalog");
    assert_eq!(lines[0]["outcome"], "ok");
    assert_eq!(lines[1]["operation"], "GetCallerIdentity");
    assert_eq!(lines[2]["outcome"], "ResourceNotFoundException");
    for l in &lines {
        for key in [
            "time",
            "account",
            "region",
            "service",
            "operation",
            "outcome",
        ] {
            assert!(l.get(key).is_some(), "{key} in {l}");
        }
    }
}

#[tokio::test]
#[allow(deprecated)]
async fn the_generated_aws_config_file_works_with_profile_files() {
    let sb = sandbox(1.0).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    sb.write_aws_config(&path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    for p in sb.profiles() {
        let files = aws_config::profile::profile_file::ProfileFiles::builder()
            .with_file(
                aws_config::profile::profile_file::ProfileFileKind::Config,
                &path,
            )
            .build();
        let conf = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .profile_files(files)
            .profile_name(&p.name)
            .load()
            .await;
        let id = aws_sdk_sts::Client::new(&conf)
            .get_caller_identity()
            .send()
            .await
            .expect("profile works");
        assert_eq!(id.account(), Some(p.account_id.as_str()));
    }
}
