//! The hub's authoring calls in the sandbox, through the real SDK client:
//! principals, TagOptions, UpdatePortfolio, ListPortfolioAccess,
//! DisassociateProductFromPortfolio and DeleteConstraint, with AWS's refusals.

use crate::fixtures;

use aws_sdk_servicecatalog::types::{PrincipalType, Tag};
use fixtures::*;
use spoke::sandbox::Sandbox;

fn portfolio_of(sb: &Sandbox, owner: &str, name: &str) -> String {
    let owner = account_id(sb, owner);
    sb.with_world(|w| {
        w.portfolios
            .values()
            .find(|p| p.owner == owner && p.name == name)
            .map(|p| p.id.clone())
    })
    .unwrap_or_else(|| panic!("no portfolio {name}"))
}

fn product_of(sb: &Sandbox, name: &str) -> String {
    sb.with_world(|w| {
        w.products
            .values()
            .find(|p| p.name == name)
            .map(|p| p.id.clone())
    })
    .unwrap_or_else(|| panic!("no product {name}"))
}

#[tokio::test]
async fn principals_are_added_listed_and_removed_and_keep_a_portfolio_from_being_deleted() {
    let sb = sandbox(1.0).await;
    let hub = sc(&sb, "hub").await;
    let created = hub
        .create_portfolio()
        .display_name("Team")
        .provider_name("Platform")
        .idempotency_token("t-team")
        .send()
        .await
        .unwrap();
    let id = created
        .portfolio_detail()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let hub_id = account_id(&sb, "hub");
    let role = format!("arn:aws:iam::{hub_id}:role/Launcher");
    hub.associate_principal_with_portfolio()
        .portfolio_id(&id)
        .principal_arn(&role)
        .principal_type(PrincipalType::Iam)
        .send()
        .await
        .unwrap();
    hub.associate_principal_with_portfolio()
        .portfolio_id(&id)
        .principal_arn("arn:aws:iam:::role/Dev*")
        .principal_type(PrincipalType::IamPattern)
        .send()
        .await
        .unwrap();
    let bad = hub
        .associate_principal_with_portfolio()
        .portfolio_id(&id)
        .principal_arn("role/Admin")
        .principal_type(PrincipalType::Iam)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&bad), "InvalidParametersException");
    let listed = hub
        .list_principals_for_portfolio()
        .portfolio_id(&id)
        .send()
        .await
        .unwrap();
    let arns: Vec<&str> = listed
        .principals()
        .iter()
        .filter_map(|p| p.principal_arn())
        .collect();
    assert_eq!(arns, [role.as_str(), "arn:aws:iam:::role/Dev*"]);
    assert_eq!(
        listed.principals()[1].principal_type(),
        Some(&PrincipalType::IamPattern)
    );

    let in_use = hub.delete_portfolio().id(&id).send().await.unwrap_err();
    assert_eq!(code(&in_use), "ResourceInUseException");

    for (arn, kind) in [
        (role.as_str(), PrincipalType::Iam),
        ("arn:aws:iam:::role/Dev*", PrincipalType::IamPattern),
    ] {
        hub.disassociate_principal_from_portfolio()
            .portfolio_id(&id)
            .principal_arn(arn)
            .principal_type(kind)
            .send()
            .await
            .unwrap();
    }
    let gone = hub
        .disassociate_principal_from_portfolio()
        .portfolio_id(&id)
        .principal_arn(&role)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&gone), "ResourceNotFoundException");
    hub.delete_portfolio().id(&id).send().await.unwrap();
}

#[tokio::test]
async fn tag_options_are_created_once_and_associated_only_with_what_the_account_owns() {
    let sb = sandbox(1.0).await;
    let hub = sc(&sb, "hub").await;
    let made = hub
        .create_tag_option()
        .key("Team")
        .value("payments")
        .send()
        .await
        .unwrap();
    let tag = made.tag_option_detail().unwrap().id().unwrap().to_string();
    let twice = hub
        .create_tag_option()
        .key("Team")
        .value("payments")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&twice), "DuplicateResourceException");
    let bad = hub
        .create_tag_option()
        .key("Team")
        .value("a;b")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&bad), "ValidationException");

    let product = product_of(&sb, "DynamoDB Table");
    hub.associate_tag_option_with_resource()
        .resource_id(&product)
        .tag_option_id(&tag)
        .send()
        .await
        .unwrap();
    let again = hub
        .associate_tag_option_with_resource()
        .resource_id(&product)
        .tag_option_id(&tag)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&again), "DuplicateResourceException");
    let described = hub
        .describe_product_as_admin()
        .id(&product)
        .send()
        .await
        .unwrap();
    assert!(
        described
            .tag_options()
            .iter()
            .any(|t| t.key() == Some("Team") && t.value() == Some("payments"))
    );

    // A spoke cannot put its TagOptions on the hub's product.
    let dev = sc(&sb, "spoke-dev").await;
    let theirs = dev
        .create_tag_option()
        .key("Team")
        .value("payments")
        .send()
        .await
        .unwrap();
    let theirs = theirs
        .tag_option_detail()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let refused = dev
        .associate_tag_option_with_resource()
        .resource_id(&product)
        .tag_option_id(&theirs)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&refused), "ResourceNotFoundException");

    hub.disassociate_tag_option_from_resource()
        .resource_id(&product)
        .tag_option_id(&tag)
        .send()
        .await
        .unwrap();
    let not_there = hub
        .disassociate_tag_option_from_resource()
        .resource_id(&product)
        .tag_option_id(&tag)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&not_there), "ResourceNotFoundException");
}

#[tokio::test]
async fn a_spoke_sees_a_products_tag_options_only_through_a_share_that_shares_them() {
    let sb = sandbox(1.0).await;
    // Platform Foundations is shared with the organization, TagOptions included.
    let shared = portfolio_of(&sb, "hub", "Platform Foundations");
    let product = product_of(&sb, "S3 Bucket");
    let data = sc(&sb, "spoke-data").await;
    let plain = data
        .describe_product_as_admin()
        .id(&product)
        .send()
        .await
        .unwrap();
    assert!(plain.tag_options().is_empty(), "{:?}", plain.tag_options());
    let through = data
        .describe_product_as_admin()
        .id(&product)
        .source_portfolio_id(&shared)
        .send()
        .await
        .unwrap();
    assert!(
        through
            .tag_options()
            .iter()
            .any(|t| t.key() == Some("AutoUpdateProvisionedProduct")),
        "{:?}",
        through.tag_options()
    );
}

#[tokio::test]
async fn update_portfolio_and_portfolio_access() {
    let sb = sandbox(1.0).await;
    let hub = sc(&sb, "hub").await;
    let id = portfolio_of(&sb, "hub", "Data & Analytics");
    let out = hub
        .update_portfolio()
        .id(&id)
        .description("Data products")
        .add_tags(Tag::builder().key("Owner").value("data").build().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.portfolio_detail().unwrap().description(),
        Some("Data products")
    );
    assert_eq!(out.tags()[0].key(), "Owner");
    let empty = hub
        .update_portfolio()
        .id(&id)
        .display_name("")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&empty), "ValidationException");
    let access = hub
        .list_portfolio_access()
        .portfolio_id(&id)
        .send()
        .await
        .unwrap();
    let mut accounts: Vec<&str> = access.account_ids().iter().map(String::as_str).collect();
    accounts.sort();
    let mut expected = [account_id(&sb, "spoke-data"), account_id(&sb, "spoke-dev")];
    expected.sort();
    assert_eq!(
        accounts,
        expected.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let dev = sc(&sb, "spoke-dev").await;
    let not_theirs = dev
        .list_portfolio_access()
        .portfolio_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&not_theirs), "ResourceNotFoundException");
}

#[tokio::test]
async fn a_product_leaves_a_portfolio_only_once_its_constraints_are_deleted() {
    let sb = sandbox(1.0).await;
    let hub = sc(&sb, "hub").await;
    let portfolio = portfolio_of(&sb, "hub", "Platform Foundations");
    let product = product_of(&sb, "S3 Bucket");
    let refused = hub
        .disassociate_product_from_portfolio()
        .portfolio_id(&portfolio)
        .product_id(&product)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&refused), "ResourceInUseException");
    let constraints = hub
        .list_constraints_for_portfolio()
        .portfolio_id(&portfolio)
        .product_id(&product)
        .send()
        .await
        .unwrap();
    assert!(!constraints.constraint_details().is_empty());
    for c in constraints.constraint_details() {
        hub.delete_constraint()
            .id(c.constraint_id().unwrap())
            .send()
            .await
            .unwrap();
    }
    let gone = hub
        .delete_constraint()
        .id(constraints.constraint_details()[0].constraint_id().unwrap())
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&gone), "ResourceNotFoundException");
    hub.disassociate_product_from_portfolio()
        .portfolio_id(&portfolio)
        .product_id(&product)
        .send()
        .await
        .unwrap();
    let twice = hub
        .disassociate_product_from_portfolio()
        .portfolio_id(&portfolio)
        .product_id(&product)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&twice), "ResourceNotFoundException");
}
