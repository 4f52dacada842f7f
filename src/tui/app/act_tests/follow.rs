//! The rows follow what an action changes: UNDER_CHANGE once AWS took the
//! request, the provisioned product alone read again when it settles.

use super::*;
use crate::model::PpStatus;
use crate::ops::act::request::ActOutcome;

fn record_of(pp: &str) -> ActEvent {
    ActEvent::Record(Record {
        id: "rec-1".into(),
        record_type: "UPDATE_PROVISIONED_PRODUCT".into(),
        status: "IN_PROGRESS".into(),
        created: None,
        updated: None,
        version_id: None,
        errors: vec![],
        provisioned_product_id: Some(pp.into()),
        path_id: None,
        outputs: vec![],
    })
}

#[test]
fn a_row_is_under_change_at_once_and_read_again_alone_when_it_settles() {
    let mut state = writable();
    let request = launched(&mut state);
    let generation = state.generation();
    // The record names a provisioned product on screen: it shows
    // UNDER_CHANGE before anything is read again.
    state.update(Msg::ActProgress {
        generation,
        request,
        event: record_of("pp-vpclegacy01"),
    });
    assert_eq!(
        state
            .catalog
            .provisioned_product("pp-vpclegacy01")
            .map(|p| p.status.clone()),
        Some(PpStatus::UnderChange)
    );
    // Done: that provisioned product is read again, not the whole account.
    let commands = state.update(Msg::ActDone {
        generation,
        request,
        result: Ok(ActOutcome {
            ok: true,
            lines: vec!["SUCCEEDED".into()],
            record: None,
        }),
    });
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::ReadProvisioned { id, .. } if id == "pp-vpclegacy01")),
        "{commands:?}"
    );
    assert!(
        !commands
            .iter()
            .any(|c| matches!(c, Command::LoadCatalog { .. })),
        "{commands:?}"
    );
    let mut read = state
        .catalog
        .provisioned_product("pp-vpclegacy01")
        .unwrap()
        .clone();
    read.status = PpStatus::Available;
    state.update(Msg::ProvisionedRead {
        generation,
        id: read.id.clone(),
        result: Ok(Some(read)),
    });
    assert_eq!(
        state
            .catalog
            .provisioned_product("pp-vpclegacy01")
            .map(|p| p.status.clone()),
        Some(PpStatus::Available)
    );
    // A read of an older session is dropped.
    let mut stale = state
        .catalog
        .provisioned_product("pp-vpclegacy01")
        .unwrap()
        .clone();
    stale.status = PpStatus::Error;
    state.update(Msg::ProvisionedRead {
        generation: generation - 1,
        id: stale.id.clone(),
        result: Ok(Some(stale)),
    });
    assert_eq!(
        state
            .catalog
            .provisioned_product("pp-vpclegacy01")
            .map(|p| p.status.clone()),
        Some(PpStatus::Available)
    );
}

#[test]
fn a_launch_joins_the_rows_as_soon_as_aws_names_it() {
    let mut state = writable();
    let request = launched(&mut state);
    let generation = state.generation();
    let commands = state.update(Msg::ActProgress {
        generation,
        request,
        event: record_of("pp-new"),
    });
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::ReadProvisioned { id, .. } if id == "pp-new")),
        "{commands:?}"
    );
    let mut new = state.catalog.provisioned[0].clone();
    new.id = "pp-new".into();
    new.name = "dev-vpc".into();
    new.status = PpStatus::UnderChange;
    state.update(Msg::ProvisionedRead {
        generation,
        id: "pp-new".into(),
        result: Ok(Some(new)),
    });
    assert!(state.catalog.provisioned_product("pp-new").is_some());
}
