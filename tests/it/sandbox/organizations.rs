//! Organizations' tree through the real aws-sdk-organizations client:
//! ListRoots, ListOrganizationalUnitsForParent, ListAccountsForParent and
//! ListParents, their pages, tokens and errors, on the default world with
//! one OU nested in another.

use crate::fixtures;

use aws_sdk_organizations::types::ParentType;
use fixtures::*;

/// The default world with spoke-prod moved to OU Prod inside Workloads.
fn nested_world() -> String {
    let world = include_str!("../../../assets/sandbox/default.toml");
    let workloads = "accounts = [\"spoke-dev\", \"spoke-prod\"]\n";
    assert!(world.contains(workloads));
    world.replacen(
        workloads,
        "accounts = [\"spoke-dev\"]\n\n[[organization.ous]]\nid = \"ou-a1b2-pr0dpr0d\"\nname = \"Prod\"\nparent = \"ou-a1b2-k7x9q2m4\"\naccounts = [\"spoke-prod\"]\n",
        1,
    )
}

async fn ids_under(client: &aws_sdk_organizations::Client, parent: &str) -> Vec<String> {
    let out = client
        .list_accounts_for_parent()
        .parent_id(parent)
        .send()
        .await
        .unwrap_or_else(|e| panic!("ListAccountsForParent {parent}: {e:?}"));
    assert!(out.next_token().is_none());
    out.accounts()
        .iter()
        .map(|a| a.name().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_tree_is_the_root_its_ous_and_their_accounts() {
    let (sb, _dir) = sandbox_on(&nested_world(), 1.0).await;
    let hub = orgs(&sb, "hub").await;
    let roots = hub.list_roots().send().await.expect("ListRoots");
    assert_eq!(roots.roots().len(), 1);
    let root = &roots.roots()[0];
    let root_id = root.id().unwrap().to_string();
    assert!(root_id.starts_with("r-"), "{root_id}");
    assert_eq!(root.name(), Some("Root"));
    assert_eq!(
        root.arn(),
        Some(format!("arn:aws:organizations::111122223333:root/o-a1b2c3d4e5/{root_id}").as_str())
    );

    let top = hub
        .list_organizational_units_for_parent()
        .parent_id(&root_id)
        .send()
        .await
        .expect("ListOrganizationalUnitsForParent");
    let names: Vec<_> = top
        .organizational_units()
        .iter()
        .filter_map(|o| o.name())
        .collect();
    assert_eq!(names, ["Workloads", "Analytics"]);
    let workloads = top.organizational_units()[0].id().unwrap().to_string();
    assert_eq!(
        top.organizational_units()[0].arn(),
        Some(format!("arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/{workloads}").as_str())
    );
    let inner = hub
        .list_organizational_units_for_parent()
        .parent_id(&workloads)
        .send()
        .await
        .unwrap();
    assert_eq!(inner.organizational_units().len(), 1);
    let prod = inner.organizational_units()[0].id().unwrap().to_string();
    assert_eq!(inner.organizational_units()[0].name(), Some("Prod"));

    assert_eq!(ids_under(&hub, &root_id).await, ["hub"]);
    assert_eq!(ids_under(&hub, &workloads).await, ["spoke-dev"]);
    assert_eq!(ids_under(&hub, &prod).await, ["spoke-prod"]);
    assert_eq!(ids_under(&hub, "ou-a1b2-d4t4p1a7").await, ["spoke-data"]);
    // A nested account's path names every OU above it.
    let out = hub
        .list_accounts_for_parent()
        .parent_id(&prod)
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.accounts()[0].paths(),
        [format!(
            "o-a1b2c3d4e5/{root_id}/{workloads}/{prod}/333344445555/"
        )]
    );

    // ListParents: an account's OU, an OU's parent, the root above.
    let parents = |child: &str| {
        let hub = hub.clone();
        let child = child.to_string();
        async move {
            let out = hub.list_parents().child_id(child).send().await.unwrap();
            let p = &out.parents()[0];
            (p.id().unwrap().to_string(), p.r#type().unwrap().clone())
        }
    };
    assert_eq!(
        parents("333344445555").await,
        (prod.clone(), ParentType::OrganizationalUnit)
    );
    assert_eq!(
        parents(&prod).await,
        (workloads.clone(), ParentType::OrganizationalUnit)
    );
    assert_eq!(
        parents(&workloads).await,
        (root_id.clone(), ParentType::Root)
    );
    assert_eq!(
        parents("111122223333").await,
        (root_id.clone(), ParentType::Root)
    );
    let e = hub
        .list_parents()
        .child_id("999999999999")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ChildNotFoundException");
}

#[tokio::test]
async fn pages_tokens_and_errors_follow_the_model() {
    let sb = sandbox(1.0).await;
    let hub = orgs(&sb, "hub").await;
    let root = hub.list_roots().send().await.unwrap().roots()[0]
        .id()
        .unwrap()
        .to_string();
    // Pages of one: Workloads holds two accounts.
    let first = hub
        .list_accounts_for_parent()
        .parent_id("ou-a1b2-k7x9q2m4")
        .max_results(1)
        .send()
        .await
        .unwrap();
    assert_eq!(first.accounts().len(), 1);
    let token = first.next_token().expect("a second page").to_string();
    let second = hub
        .list_accounts_for_parent()
        .parent_id("ou-a1b2-k7x9q2m4")
        .max_results(1)
        .next_token(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(second.accounts().len(), 1);
    assert!(second.next_token().is_none());
    assert_ne!(first.accounts()[0].id(), second.accounts()[0].id());
    // A token of one parent is refused for another.
    let e = hub
        .list_accounts_for_parent()
        .parent_id("ou-a1b2-d4t4p1a7")
        .next_token(&token)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidInputException");
    let pages: Vec<_> = hub
        .list_organizational_units_for_parent()
        .parent_id(&root)
        .max_results(1)
        .into_paginator()
        .send()
        .collect::<Vec<_>>()
        .await;
    assert_eq!(pages.len(), 2);
    for bad in [0, 21] {
        let e = hub
            .list_accounts_for_parent()
            .parent_id(&root)
            .max_results(bad)
            .send()
            .await
            .unwrap_err();
        assert_eq!(code(&e), "InvalidInputException", "MaxResults {bad}");
        let e = hub.list_roots().max_results(bad).send().await.unwrap_err();
        assert_eq!(code(&e), "InvalidInputException", "MaxResults {bad}");
    }
    // Unknown parents, and ids off the pattern.
    for missing in ["r-zzzz", "ou-a1b2-00000000"] {
        let e = hub
            .list_organizational_units_for_parent()
            .parent_id(missing)
            .send()
            .await
            .unwrap_err();
        assert_eq!(code(&e), "ParentNotFoundException", "{missing}");
        let e = hub
            .list_accounts_for_parent()
            .parent_id(missing)
            .send()
            .await
            .unwrap_err();
        assert_eq!(code(&e), "ParentNotFoundException", "{missing}");
    }
    let e = hub
        .list_accounts_for_parent()
        .parent_id("o-a1b2c3d4e5")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidInputException");
    // A member account may not read the tree; an outsider has no organization.
    let dev = orgs(&sb, "spoke-dev").await;
    let e = dev.list_roots().send().await.unwrap_err();
    assert_eq!(code(&e), "AccessDeniedException");
    let e = dev
        .list_accounts_for_parent()
        .parent_id(&root)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "AccessDeniedException");
    let (sb, _dir) = sandbox_on(super::writes::IDENTITY_WORLD, 1.0).await;
    let e = orgs(&sb, "outsider")
        .await
        .list_roots()
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "AWSOrganizationsNotInUseException");
    let e = orgs(&sb, "dev")
        .await
        .list_roots()
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "AccessDeniedException");
    let out = orgs(&sb, "data")
        .await
        .list_roots()
        .send()
        .await
        .expect("a delegated administrator reads the tree");
    assert_eq!(out.roots().len(), 1);
}
