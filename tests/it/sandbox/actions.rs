//! Self-service actions through the real SDK client: the default world's
//! actions seen from the hub and from a spoke that imported the product,
//! their execution parameters, an execution that follows to SUCCEEDED, and
//! the refusals.

use crate::fixtures::*;

use std::time::Duration;

use aws_sdk_servicecatalog::types::{RecordStatus, ServiceActionDefinitionKey};
use spoke::sandbox::Sandbox;

use super::lifecycle::{pp_id, product, settled, version};

fn action_id(sb: &Sandbox, name: &str) -> String {
    sb.with_world(|w| {
        w.service_actions
            .values()
            .find(|a| a.name == name)
            .map(|a| a.id.clone())
    })
    .unwrap_or_else(|| panic!("no action {name}"))
}

#[tokio::test]
async fn a_spoke_sees_the_hubs_actions_on_a_product_it_imported() {
    let sb = sandbox(1.0).await;
    let (rds, _) = product(&sb, "RDS PostgreSQL");
    let v2 = version(&sb, "RDS PostgreSQL", "v2.0");
    let v1 = version(&sb, "RDS PostgreSQL", "v1.0");
    for profile in ["hub", "spoke-prod"] {
        let client = sc(&sb, profile).await;
        let out = client
            .list_service_actions_for_provisioning_artifact()
            .product_id(&rds)
            .provisioning_artifact_id(&v2)
            .send()
            .await
            .expect("ListServiceActionsForProvisioningArtifact");
        let mut names: Vec<_> = out
            .service_action_summaries()
            .iter()
            .filter_map(|s| s.name())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["Reboot database", "Rotate credentials"],
            "{profile}"
        );
        let none = client
            .list_service_actions_for_provisioning_artifact()
            .product_id(&rds)
            .provisioning_artifact_id(&v1)
            .send()
            .await
            .unwrap();
        assert!(none.service_action_summaries().is_empty());
    }
    let prod = sc(&sb, "spoke-prod").await;
    let detail = prod
        .describe_service_action()
        .id(action_id(&sb, "Reboot database"))
        .send()
        .await
        .expect("DescribeServiceAction");
    let d = detail.service_action_detail().unwrap();
    assert_eq!(
        d.service_action_summary()
            .and_then(|s| s.definition_type())
            .map(|t| t.as_str()),
        Some("SSM_AUTOMATION")
    );
    let def = d.definition().unwrap();
    assert_eq!(
        def.get(&ServiceActionDefinitionKey::Name)
            .map(String::as_str),
        Some("AWS-RebootRdsInstance")
    );
    assert_eq!(
        def.get(&ServiceActionDefinitionKey::Parameters)
            .map(String::as_str),
        Some(r#"[{"Name":"InstanceId","Type":"TARGET"}]"#)
    );
    // ListServiceActions: the owner's only; paged by at most 20
    let hub = sc(&sb, "hub").await;
    let mine = hub.list_service_actions().send().await.unwrap();
    assert_eq!(mine.service_action_summaries().len(), 3);
    let theirs = prod.list_service_actions().send().await.unwrap();
    assert!(theirs.service_action_summaries().is_empty());
    let e = hub
        .list_service_actions()
        .page_size(21)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationException");
    // unknown ids
    let e = prod
        .describe_service_action()
        .id("act-nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    let e = prod
        .list_service_actions_for_provisioning_artifact()
        .product_id("prod-nope")
        .provisioning_artifact_id(&v2)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
}

#[tokio::test]
async fn an_action_runs_to_succeeded_and_is_in_the_history() {
    let sb = sandbox(10.0).await;
    let prod = sc(&sb, "spoke-prod").await;
    // prod-ledger-db runs RDS PostgreSQL v2.0
    let pp = pp_id(&sb, "prod-ledger-db");
    let reboot = action_id(&sb, "Reboot database");
    let params = prod
        .describe_service_action_execution_parameters()
        .provisioned_product_id(&pp)
        .service_action_id(&reboot)
        .send()
        .await
        .expect("DescribeServiceActionExecutionParameters");
    let p = &params.service_action_parameters()[0];
    assert_eq!(p.name(), Some("InstanceId"));
    assert_eq!(p.r#type(), Some("TARGET"));
    let db = sb.with_world(|w| {
        let stack = &w.stacks[&w.provisioned[&pp].stack_id];
        stack.resources["DBInstance"].physical_id.clone()
    });
    assert_eq!(p.default_values(), [db]);
    let out = prod
        .execute_provisioned_product_service_action()
        .provisioned_product_id(&pp)
        .service_action_id(&reboot)
        .execute_token("reboot-1")
        .send()
        .await
        .expect("ExecuteProvisionedProductServiceAction");
    let r = out.record_detail().unwrap();
    assert_eq!(
        r.record_type(),
        Some("EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION")
    );
    assert_eq!(r.status(), Some(&RecordStatus::Created));
    let rec = r.record_id().unwrap().to_string();
    // the same token answers the same record
    let again = prod
        .execute_provisioned_product_service_action()
        .provisioned_product_id(&pp)
        .service_action_id(&reboot)
        .execute_token("reboot-1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.record_detail().and_then(|r| r.record_id()),
        Some(rec.as_str())
    );
    assert_eq!(
        settled(&prod, &rec, Duration::from_secs(10)).await,
        RecordStatus::Succeeded
    );
    let history = prod
        .list_record_history()
        .search_filter(
            aws_sdk_servicecatalog::types::ListRecordHistorySearchFilter::builder()
                .key("provisionedproduct")
                .value(&pp)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let records = history.record_details();
    assert_eq!(records[0].record_id(), Some(rec.as_str()), "newest first");
    assert!(
        records
            .iter()
            .all(|r| r.provisioned_product_id() == Some(pp.as_str()))
    );
}

#[tokio::test]
async fn an_action_is_refused_off_its_versions_while_under_change_and_for_unknown_ids() {
    let sb = sandbox(1.0).await;
    let prod = sc(&sb, "spoke-prod").await;
    let rotate = action_id(&sb, "Rotate credentials");
    // prod-payments-db runs v1.1: Rotate credentials is on v2.0 only
    let e = prod
        .execute_provisioned_product_service_action()
        .provisioned_product_id(pp_id(&sb, "prod-payments-db"))
        .service_action_id(&rotate)
        .execute_token("rotate-1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidParametersException");
    // prod-orders-db is UNDER_CHANGE
    let e = prod
        .execute_provisioned_product_service_action()
        .provisioned_product_id(pp_id(&sb, "prod-orders-db"))
        .service_action_id(action_id(&sb, "Reboot database"))
        .execute_token("reboot-2")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidStateException");
    let e = prod
        .execute_provisioned_product_service_action()
        .provisioned_product_id("pp-nope")
        .service_action_id(&rotate)
        .execute_token("x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    let e = prod
        .execute_provisioned_product_service_action()
        .provisioned_product_id(pp_id(&sb, "prod-ledger-db"))
        .service_action_id("act-nope")
        .execute_token("y")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
}

#[tokio::test]
async fn the_owner_associates_and_disassociates_an_action() {
    let sb = sandbox(1.0).await;
    let hub = sc(&sb, "hub").await;
    let (rds, _) = product(&sb, "RDS PostgreSQL");
    let v1 = version(&sb, "RDS PostgreSQL", "v1.0");
    let rotate = action_id(&sb, "Rotate credentials");
    let assoc = || {
        hub.associate_service_action_with_provisioning_artifact()
            .product_id(&rds)
            .provisioning_artifact_id(&v1)
            .service_action_id(&rotate)
    };
    assoc().send().await.expect("associate");
    let e = assoc().send().await.unwrap_err();
    assert_eq!(code(&e), "DuplicateResourceException");
    let listed = hub
        .list_service_actions_for_provisioning_artifact()
        .product_id(&rds)
        .provisioning_artifact_id(&v1)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.service_action_summaries().len(), 1);
    let dis = || {
        hub.disassociate_service_action_from_provisioning_artifact()
            .product_id(&rds)
            .provisioning_artifact_id(&v1)
            .service_action_id(&rotate)
    };
    dis().send().await.expect("disassociate");
    let e = dis().send().await.unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
    // a spoke cannot associate the hub's action
    let dev = sc(&sb, "spoke-dev").await;
    let e = dev
        .associate_service_action_with_provisioning_artifact()
        .product_id(&rds)
        .provisioning_artifact_id(&v1)
        .service_action_id(&rotate)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
}

#[tokio::test]
async fn a_text_value_is_logged_as_sent_and_one_over_512_characters_refused() {
    let sb = sandbox(1.0).await;
    let prod = sc(&sb, "spoke-prod").await;
    let restart = action_id(&sb, "Restart service");
    let pp = pp_id(&sb, "prod-orders-api");
    // ExecutionParameterValue: 0 to 512 characters.
    let e = prod
        .execute_provisioned_product_service_action()
        .provisioned_product_id(&pp)
        .service_action_id(&restart)
        .execute_token("restart-long")
        .parameters("Reason", vec!["a".repeat(513)])
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ValidationException");
    prod.execute_provisioned_product_service_action()
        .provisioned_product_id(&pp)
        .service_action_id(&restart)
        .execute_token("restart-ok")
        .parameters("Reason", vec!["deploy 42".to_string()])
        .send()
        .await
        .expect("ExecuteProvisionedProductServiceAction");
    let sent: Vec<_> = sb
        .calls()
        .into_iter()
        .filter(|c| c.operation == "ExecuteProvisionedProductServiceAction" && c.outcome == "ok")
        .map(|c| c.parameters)
        .collect();
    assert_eq!(
        sent,
        [Some(serde_json::json!({"Reason": ["deploy 42"]}))],
        "the call log holds what was sent"
    );
}
