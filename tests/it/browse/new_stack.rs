//! A stack being created: before CloudFormation reaches its resources, the
//! events screen counts them as pending, from the template (`GetTemplate`),
//! not as 0.

use crate::fixtures;

use crossterm::event::KeyCode;
use fixtures::console::{answer_poll, loaded_with, press, render, text};
use spoke::tui::app::Command;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_stacks_header_counts_the_templates_resources_as_pending() {
    // Real time: the create of S3 Bucket v1.1 takes many seconds, so the
    // first poll sees it at its start.
    let world = fixtures::sandboxed(1.0, spoke::sandbox::Faults::default()).await;
    let reader = world.reader("spoke-data").await;
    let products = reader.list_products_as_end_user().await.unwrap();
    let product = products.iter().find(|p| p.name == "S3 Bucket").unwrap();
    let version = reader
        .versions_as_end_user(&product.id)
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.name == "v1.1")
        .unwrap();
    let path = reader.launch_paths(&product.id).await.unwrap()[0]
        .id
        .clone();
    fixtures::sc(&world.sandbox, "spoke-data")
        .await
        .provision_product()
        .product_id(&product.id)
        .provisioning_artifact_id(&version.id)
        .path_id(&path)
        .provisioned_product_name("data-new-bucket")
        .provision_token("tok-new-stack")
        .send()
        .await
        .expect("the launch starts");
    let resources = world.sandbox.with_world(|w| {
        w.products[&product.id]
            .version(&version.id)
            .unwrap()
            .template
            .resources
            .len()
    });
    assert!(resources >= 2, "a template of {resources} resources");

    let mut inventory = spoke::ops::scan(&reader).await.unwrap();
    inventory
        .provisioned
        .retain(|p| p.name == "data-new-bucket");
    let stack = inventory.provisioned[0].stack_arn.clone().expect("a stack");
    let polled = spoke::ops::stack::poll(&reader, &stack, None)
        .await
        .unwrap();
    assert_eq!(polled.template.as_ref().map(Vec::len), Some(resources));

    let mut state = loaded_with(inventory, true);
    press(&mut state, KeyCode::Char('4'));
    let commands = press(&mut state, KeyCode::Char('5'));
    assert!(matches!(commands.as_slice(), [Command::LoadEvents { .. }]));
    let started = polled
        .events
        .iter()
        .filter(|e| !e.is_stack())
        .map(|e| e.logical_id.clone())
        .collect::<std::collections::HashSet<_>>()
        .len();
    // Feed the poll itself: the fixture answers with the events and the
    // template both.
    answer_poll(&mut state, &commands, Ok(polled));
    let screen = text(&render(&mut state, 150, 30));
    let pending = resources - started;
    assert!(
        screen.contains(&format!("○ {pending} pending")),
        "{resources} resources, {started} started\n{screen}"
    );
}
