//! Changing product in the update form: another product picked in its
//! Product field reads that product's versions and parameters, the form
//! opens again with them, and the plan says product A → product B.

use super::*;
use crate::ops::act::update::UpdateForm;

fn prepared_update(cmds: &[Command]) -> (u64, Option<String>, Option<String>) {
    cmds.iter()
        .find_map(|c| match c {
            Command::Prepare {
                request,
                what: Prepare::Update {
                    product, version, ..
                },
                ..
            } => Some((*request, product.clone(), version.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("the update is prepared again: {cmds:?}"))
}

/// vpc-legacy to the Sandbox bucket product: a required parameter of its own.
fn to_bucket(state: &State) -> UpdateForm {
    let mut form = update_form(state);
    let bucket = state
        .catalog
        .products
        .iter()
        .find(|p| p.id == "prod-sbx0000001")
        .unwrap();
    form.product_id = bucket.id.clone();
    form.product_name = bucket.name.clone();
    form.versions = bucket.versions.clone();
    form.to = bucket.versions[0].clone();
    form.from = None;
    form.parameters.parameters[0].key = "BucketName".into();
    form
}

#[test]
fn another_product_is_read_then_planned_as_a_change_of_product() {
    let mut state = writable();
    open_update(&mut state);
    let Some(Dialog::Update { form, .. }) = state.dialog.as_mut() else {
        unreachable!("open_update opened it")
    };
    assert!(form.set_value("product", "Sandbox bucket (prod-sbx0000001)"));
    let (request, product, version) = prepared_update(&state.update(ctrl('s')));
    assert_eq!(product.as_deref(), Some("prod-sbx0000001"));
    assert_eq!(version, None, "the other product's latest version");

    let target = to_bucket(&state);
    state.update(Msg::Prepared {
        generation: state.generation(),
        request,
        result: Ok(Prepared::Update(Box::new(target))),
    });
    let Some(Dialog::Update { form, .. }) = state.dialog.as_mut() else {
        panic!("the form again: {:?}", state.dialog)
    };
    assert_eq!(
        form.value("product"),
        Some("Sandbox bucket (prod-sbx0000001)")
    );
    assert!(form.set_value("param:BucketName", "logs"));
    state.update(ctrl('s'));
    let Some(Dialog::Confirm { confirm, .. }) = &state.dialog else {
        panic!("the plan: {:?}", state.dialog)
    };
    let product = confirm
        .plan()
        .iter()
        .find(|l| l.label == "Product")
        .expect("a Product line");
    assert!(
        product
            .from
            .as_deref()
            .is_some_and(|f| f.starts_with("VPC")),
        "{product:?}"
    );
    assert!(product.value.starts_with("Sandbox bucket"), "{product:?}");
    assert!(
        confirm
            .plan()
            .iter()
            .any(|l| l.label == "CidrBlock" && l.value.starts_with("(dropped")),
        "{:?}",
        confirm.plan()
    );
    let cmds = state.update(key('y'));
    assert!(
        cmds.iter().any(|c| matches!(
            c,
            Command::Act { act: Request::Update(r), .. } if r.product_id == "prod-sbx0000001"
        )),
        "{cmds:?}"
    );
}
