//! The console on a saved snapshot (`spoke --snapshot FILE.json`): the
//! executor answers every command from the file, with no AWS call and
//! nothing that could change anything.

use super::app::{Command, Connection, Msg};
use crate::model::Snapshot;
use crate::model::{ProfileInfo, ProfileKind};
use crate::ops::act::request::ActFailure;

/// Why nothing can be changed or followed from a snapshot.
const OFFLINE: &str = "this is a saved snapshot: nothing can be changed from it, and its stack events are those of when it was taken — open the live account to act or follow a stack";

/// The answers to `command` from `snapshot`; `current` is the account
/// opened (its label).
pub fn answer(snapshot: &Snapshot, current: &mut Option<String>, command: Command) -> Vec<Msg> {
    match command {
        // The console's own work: the executor runs it before asking here.
        Command::BuildCatalog { .. } | Command::Discard(_) => vec![],
        // Nothing changes in a snapshot: nothing to read again.
        Command::ReadProvisioned { .. } => vec![],
        Command::Connect {
            generation,
            profile,
            ..
        } => {
            let Some(account) = snapshot.accounts.iter().find(|a| a.label == profile) else {
                let labels: Vec<&str> =
                    snapshot.accounts.iter().map(|a| a.label.as_str()).collect();
                return vec![Msg::ConnectFailed {
                    generation,
                    error: format!(
                        "no account {profile} in the snapshot; it holds: {}",
                        labels.join(", ")
                    ),
                }];
            };
            let Some(inv) = &account.inventory else {
                return vec![Msg::ConnectFailed {
                    generation,
                    error: format!(
                        "{profile} was not read when the snapshot was taken: {}",
                        account
                            .unreachable
                            .as_deref()
                            .unwrap_or("no reason recorded")
                    ),
                }];
            };
            *current = Some(profile.clone());
            vec![Msg::Connected {
                generation,
                read_only: true,
                connection: Connection {
                    profile,
                    region: inv.region.clone(),
                    endpoint: None,
                },
                identity: inv.caller.clone(),
                no_writer: Some("a saved snapshot".into()),
            }]
        }
        // A snapshot changes nothing (the state never asks: it is read-only).
        Command::DetectDrift {
            generation,
            request,
            provisioned_id,
            ..
        } => vec![Msg::DriftDetected {
            generation,
            request,
            provisioned_id,
            result: Err(
                "a saved snapshot is read-only: open the live account to detect drift".into(),
            ),
        }],
        // A snapshot holds no records, resources or outputs: say so.
        Command::LoadLife {
            generation,
            request,
            provisioned_id,
            part,
            ..
        } => vec![Msg::LifeLoaded {
            generation,
            request,
            provisioned_id,
            part,
            result: Err(format!(
                "the snapshot does not hold the {} of provisioned products; open the live account to read them",
                part.noun()
            )),
        }],
        Command::LoadCatalog {
            generation,
            request,
        } => {
            let inventory = current.as_ref().and_then(|label| {
                snapshot
                    .accounts
                    .iter()
                    .find(|a| &a.label == label)
                    .and_then(|a| a.inventory.clone())
            });
            vec![Msg::CatalogLoaded {
                generation,
                request,
                result: inventory
                    .map(Box::new)
                    .ok_or_else(|| "the snapshot has no inventory for this account".to_string()),
            }]
        }
        // A snapshot holds no OU tree: nothing to group by, said so.
        Command::ReadOus {
            generation,
            request,
            ..
        } => vec![Msg::OusRead {
            generation,
            request,
            result: Err(
                "a snapshot holds no OU tree (open the organization live, with --org-role)".into(),
            ),
        }],
        // The rules over what the snapshot holds, as of when it was taken;
        // what they would read beyond it is "not checked".
        Command::Lint {
            generation,
            request,
            config,
            ..
        } => {
            let accounts: Vec<crate::ops::lint::AccountFacts> = snapshot
                .accounts
                .iter()
                .map(|a| crate::ops::lint::AccountFacts {
                    label: a.label.clone(),
                    account: a.account.clone(),
                    inventory: a.inventory.clone(),
                    unreachable: a.unreachable.clone(),
                    extra: Default::default(),
                })
                .collect();
            let offers = crate::ops::lint::Offers::unread("a saved snapshot carries no journal");
            let report = crate::ops::lint::evaluate(&accounts, &config, &offers, snapshot.taken);
            vec![Msg::Linted {
                generation,
                request,
                result: Ok(Box::new(report)),
            }]
        }
        Command::LoadFleet {
            generation,
            request,
            ..
        } => {
            let mut msgs = vec![Msg::FleetMembers {
                generation,
                request,
                result: Ok(snapshot.accounts.len()),
            }];
            msgs.extend(snapshot.accounts.iter().map(|a| Msg::FleetAccount {
                generation,
                request,
                account: Box::new(a.drift()),
            }));
            msgs.push(Msg::FleetLoaded {
                generation,
                request,
            });
            msgs
        }
        Command::LoadEvents {
            generation,
            request,
            stack_id,
            ..
        } => {
            let account = snapshot
                .accounts
                .iter()
                .find(|a| Some(&a.label) == current.as_ref());
            let result = match account {
                Some(a) => match (a.events.get(&stack_id), a.events_not_read.get(&stack_id)) {
                    (Some(events), _) => Ok(events.clone().into()),
                    (None, Some(why)) => {
                        Err(format!("they could not be read when it was taken ({why})"))
                    }
                    (None, None) => Err(
                        "none were captured (the snapshot was written before spoke kept them)"
                            .into(),
                    ),
                },
                None => Err("the account is not in the snapshot".into()),
            };
            vec![Msg::EventsLoaded {
                generation,
                request,
                stack_id,
                result,
            }]
        }
        Command::DiscoverProfiles => vec![Msg::ProfilesDiscovered(Ok(snapshot
            .accounts
            .iter()
            .map(|a| ProfileInfo {
                name: a.label.clone(),
                kind: ProfileKind::Other,
                region: a.inventory.as_ref().map(|i| i.region.clone()),
                endpoint_url: None,
                account: a.account.clone(),
            })
            .collect()))],
        Command::Prepare {
            generation,
            request,
            ..
        } => vec![Msg::Prepared {
            generation,
            request,
            result: Err(ActFailure {
                message: OFFLINE.into(),
                fields: Vec::new(),
                sent_nothing: true,
            }),
        }],
        Command::Act {
            generation,
            request,
            ..
        } => vec![Msg::ActDone {
            generation,
            request,
            result: Err(ActFailure {
                message: OFFLINE.into(),
                fields: Vec::new(),
                sent_nothing: true,
            }),
        }],
        Command::PlanBulk {
            generation,
            request,
            ..
        }
        | Command::ResumeBulk {
            generation,
            request,
        } => vec![Msg::BulkPlanned {
            generation,
            request,
            result: Err(OFFLINE.into()),
            resumed: None,
        }],
        Command::PreviewRisk {
            generation,
            request,
            ..
        } => vec![Msg::RiskPreviewed {
            generation,
            request,
            result: Err(OFFLINE.into()),
        }],
        Command::ApplyBulk { request, .. } => vec![Msg::BulkDone {
            request,
            result: Err(OFFLINE.into()),
        }],
        Command::LoadJournal => vec![Msg::JournalLoaded(Err(
            "a saved snapshot has no journal: `spoke log` reads the journal of this machine".into(),
        ))],
        Command::CancelBulk | Command::Export { .. } => Vec::new(),
    }
}
