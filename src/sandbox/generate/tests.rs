use super::*;

#[test]
fn portfolios_hold_at_most_fifty_products() {
    assert_eq!(Scale::new(1, 300, 1).portfolio_count(), 6);
    assert_eq!(
        Scale::new(1, 300, 1).with_portfolios(50).portfolio_count(),
        50
    );
    assert_eq!(
        Scale::new(1, 300, 1).with_portfolios(2).portfolio_count(),
        6
    );
    assert_eq!(Scale::new(1, 3, 1).with_portfolios(50).portfolio_count(), 3);
    assert_eq!(Scale::new(1, 0, 1).portfolio_count(), 0);
}

#[test]
fn the_same_scale_gives_the_same_text() {
    assert_eq!(generate(3, 20, 10), generate(3, 20, 10));
    assert_ne!(generate(3, 20, 10), generate(3, 20, 11));
}

#[test]
fn a_fleet_with_trouble_loads_with_each_kind_of_trouble() {
    use crate::sandbox::world::PpStatus;
    let text = generate_with(&Scale::new(20, 40, 12).with_trouble());
    let world = crate::sandbox::scenario::load("fleet.toml", &text, chrono::Utc::now())
        .expect("the generated world loads");
    let pps: Vec<_> = world.provisioned.values().collect();
    let count = |f: &dyn Fn(&&crate::sandbox::world::ProvisionedProduct) -> bool| {
        pps.iter().filter(|p| f(p)).count()
    };
    let latest_of = |p: &crate::sandbox::world::ProvisionedProduct| {
        world.products[&p.product_id]
            .versions
            .last()
            .cloned()
            .unwrap()
    };
    assert_eq!(
        count(&|p| p.status == PpStatus::UnderChange),
        20,
        "one per spoke"
    );
    assert_eq!(
        count(&|p| p.status == PpStatus::Tainted),
        20,
        "one per spoke"
    );
    assert!(
        count(&|p| p.status == PpStatus::Available
            && latest_of(p).fails_on.is_some()
            && p.artifact_id != latest_of(p).id)
            > 5,
        "available ones behind a broken latest version"
    );
    assert!(
        count(&|p| p.status == PpStatus::Available
            && latest_of(p)
                .template
                .resources
                .iter()
                .any(|r| r.replacement.is_some())
            && p.artifact_id != latest_of(p).id)
            > 5,
        "available ones behind a replacing latest version"
    );
    assert!(
        count(&|p| p
            .tags
            .iter()
            .any(|(k, v)| k == "AutoUpdateProvisionedProduct" && v == "true"))
            > 20,
        "opted-in ones"
    );
    // Without trouble, the same world as before, opted-in products tagged.
    let calm = generate(3, 20, 10);
    assert!(!calm.contains("fails_on") && !calm.contains("in_progress"));
    assert!(calm.contains("AutoUpdateProvisionedProduct = \"true\""));
}

#[test]
fn spokes_can_keep_local_portfolios_shared_with_the_hub_and_their_neighbours() {
    use crate::sandbox::world::ShareKind;
    let text = generate_with(&Scale::new(4, 30, 5).with_spoke_portfolios(2));
    let world = crate::sandbox::scenario::load("spokes.toml", &text, chrono::Utc::now())
        .expect("the generated world loads");
    let region = |a: &str| world.accounts[a].region.clone();
    let spokes: Vec<&str> = world
        .accounts
        .values()
        .filter(|a| a.id != HUB_ID)
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(spokes.len(), 4);
    for &spoke in &spokes {
        let local: Vec<_> = world
            .portfolios
            .values()
            .filter(|p| p.owner == spoke)
            .collect();
        assert_eq!(local.len(), 2, "{spoke}");
        for p in &local {
            assert_eq!(p.products.len(), PRODUCTS_PER_SPOKE_PORTFOLIO);
            assert_eq!(p.shares.len(), 1 + SPOKE_SHARES);
            assert!(p.shares.iter().all(|s| s.kind == ShareKind::Account));
            assert!(p.shares.iter().any(|s| s.principal == HUB_ID));
            let constrained = world
                .constraints
                .values()
                .filter(|c| c.portfolio_id == p.id)
                .count();
            assert_eq!(constrained, p.products.len());
        }
        // its own two, the hub's, and the two its neighbour shared and it accepted
        let hub = world
            .portfolios
            .values()
            .filter(|p| p.owner == HUB_ID)
            .count();
        let visible = world.visible_portfolios(spoke, &region(spoke)).count();
        assert_eq!(visible, 2 + hub + 2, "{spoke}");
        let imported_by_account = world
            .portfolios
            .values()
            .filter(|p| world.imports_via(spoke, p, "IMPORTED"))
            .count();
        assert_eq!(imported_by_account, 2, "{spoke}");
    }
    // Off by default: the generated world as before.
    assert!(!generate(3, 20, 10).contains("Team Catalog"));
    // One spoke shares with the hub only.
    let alone = generate_with(&Scale::new(1, 3, 1).with_spoke_portfolios(1));
    let world = crate::sandbox::scenario::load("alone.toml", &alone, chrono::Utc::now())
        .expect("the generated world loads");
    let local: Vec<_> = world
        .portfolios
        .values()
        .filter(|p| p.owner != HUB_ID)
        .collect();
    assert_eq!(local.len(), 1);
    assert_eq!(local[0].products.len(), 3);
    assert_eq!(local[0].shares.len(), 1);
}

#[test]
fn spoke_names_sort_in_order() {
    assert_eq!(spoke_name(0, 5), "spoke-001");
    assert_eq!(spoke_name(99, 100), "spoke-100");
    assert_eq!(spoke_name(0, 1500), "spoke-0001");
}
