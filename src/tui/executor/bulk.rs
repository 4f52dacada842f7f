//! The executor's fleet and bulk-update commands: reaching and scanning
//! the fleet, and the one bulk run of [`crate::ops::bulk::run`], each
//! reporting back with [`Msg`]s tagged like the command.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{Event, Executor, spawn_guarded};
use crate::ops::bulk::run::{self as bulk_run, Applied};
use crate::ops::bulk::{ApplyOptions, PlanOptions};
use crate::ops::fleet;
use crate::tui::app::{BulkOutcome, Command, Msg};

impl Executor {
    /// The region of the current session, else the one every session of
    /// this console uses by default.
    pub(super) fn region_of(&self, generation: crate::tui::app::Generation) -> Option<String> {
        self.session_for(generation)
            .map(|c| c.region().to_string())
            .or_else(|| self.sessions.region(None))
    }

    pub(super) fn execute_bulk(&mut self, command: Command) {
        match command {
            Command::LoadFleet {
                generation,
                request,
                selection,
            } => {
                let region = self.region_of(generation);
                let tx = self.tx.clone();
                let sessions = self.sessions.clone();
                let task = spawn_guarded(self.tx.clone(), async move {
                    let send = |msg: Msg| {
                        let _ = tx.send(Event::Msg(msg));
                    };
                    let scanned = fleet::connect_and_scan(
                        sessions.source(),
                        &selection,
                        region.as_deref(),
                        sessions.log().clone(),
                        |n| {
                            send(Msg::FleetMembers {
                                generation,
                                request,
                                result: Ok(n),
                            })
                        },
                        |account| {
                            send(Msg::FleetAccount {
                                generation,
                                request,
                                account: Box::new(account.clone()),
                            })
                        },
                    )
                    .await;
                    match scanned {
                        Ok((members, _)) => {
                            send(Msg::FleetLoaded {
                                generation,
                                request,
                            });
                            let _ = tx.send(Event::Fleet {
                                generation,
                                selection,
                                members: Arc::new(members),
                            });
                        }
                        Err(e) => send(Msg::FleetMembers {
                            generation,
                            request,
                            result: Err(e.to_string()),
                        }),
                    }
                });
                self.tasks.push((generation, task.abort_handle()));
            }
            Command::PlanBulk {
                generation,
                request,
                only,
                policy,
            } => {
                let Some((selection, members)) = self.members_for(generation) else {
                    return;
                };
                let region = self.session_for(generation).map(|c| c.region().to_string());
                let gate = self.sessions.gate().clone();
                let tx = self.tx.clone();
                let task = spawn_guarded(self.tx.clone(), async move {
                    let options = PlanOptions::new(selection, region, policy);
                    let plan = bulk_run::plan_drifted(&members, &gate, options, Some(only)).await;
                    let _ = tx.send(Event::Msg(Msg::BulkPlanned {
                        generation,
                        request,
                        result: Ok(Box::new(plan)),
                        resumed: None,
                    }));
                });
                self.tasks.push((generation, task.abort_handle()));
            }
            Command::ApplyBulk {
                generation,
                request,
                plan,
            } => {
                // The gate gives each account its writer, or refuses it.
                let sessions = self.sessions.clone();
                let known = self
                    .members_for(generation)
                    .filter(|(selection, _)| *selection == plan.selection);
                let cancel = Arc::new(AtomicBool::new(false));
                self.bulk_cancel = Some(cancel.clone());
                let tx = self.tx.clone();
                // Not aborted by a profile switch: the run is followed to its end.
                let task = spawn_guarded(self.tx.clone(), async move {
                    let members = match known {
                        Some((_, members)) => Ok(members),
                        None => fleet::connect(
                            sessions.source(),
                            &plan.selection,
                            plan.region.as_deref(),
                            sessions.log().clone(),
                        )
                        .await
                        .map(Arc::new)
                        .map_err(|e| e.to_string()),
                    };
                    let result = match members {
                        Ok(members) => {
                            apply(*plan, &members, &sessions, cancel, request, &tx).await
                        }
                        Err(e) => Err(e),
                    };
                    let _ = tx.send(Event::Msg(Msg::BulkDone { request, result }));
                });
                self.other.push(task.abort_handle());
            }
            Command::PreviewRisk {
                generation,
                request,
                plan,
            } => {
                let known = self
                    .members_for(generation)
                    .filter(|(selection, _)| *selection == plan.selection);
                let Some((_, members)) = known else {
                    let _ = self.tx.send(Event::Msg(Msg::RiskPreviewed {
                        generation,
                        request,
                        result: Err("the accounts of this plan are not connected now: press U to plan again".into()),
                    }));
                    return;
                };
                let gate = self.sessions.gate().clone();
                let tx = self.tx.clone();
                // Not aborted by a profile switch: the temporary plans it
                // creates are deleted by the same task.
                let task = spawn_guarded(self.tx.clone(), async move {
                    let cancel = AtomicBool::new(false);
                    let (plan, preview) = bulk_run::preview(*plan, &members, &gate, &cancel).await;
                    let _ = tx.send(Event::Msg(Msg::RiskPreviewed {
                        generation,
                        request,
                        result: Ok((Box::new(plan), preview)),
                    }));
                });
                self.other.push(task.abort_handle());
            }
            Command::CancelBulk => {
                if let Some(cancel) = &self.bulk_cancel {
                    cancel.store(true, Ordering::SeqCst);
                }
            }
            Command::ResumeBulk {
                generation,
                request,
            } => {
                let tx = self.tx.clone();
                let path = self
                    .sessions
                    .journal_path()
                    .map(std::path::Path::to_path_buf);
                let task = spawn_guarded(self.tx.clone(), async move {
                    let found = match path {
                        None => Err("no journal: there is no home directory".to_string()),
                        Some(path) => {
                            tokio::task::spawn_blocking(move || bulk_run::find_stopped(&path))
                                .await
                                .map_err(|e| e.to_string())
                                .and_then(|r| r)
                        }
                    };
                    let (result, resumed) = match found {
                        Ok((plan, counts)) => (Ok(Box::new(plan)), Some(counts)),
                        Err(e) => (Err(e), None),
                    };
                    let _ = tx.send(Event::Msg(Msg::BulkPlanned {
                        generation,
                        request,
                        result,
                        resumed,
                    }));
                });
                self.other.push(task.abort_handle());
            }
            other => tracing::error!(?other, "not a bulk command; dropped"),
        }
    }
}

/// Previews the risk of what was not previewed, then saves, applies and
/// reports `plan` with `members` (each given its writer, or refused, by
/// the gate), honouring what the journal says of its batch.
async fn apply(
    mut plan: crate::ops::bulk::BulkPlan,
    members: &[crate::ops::fleet::Member],
    sessions: &crate::ops::Sessions,
    cancel: Arc<AtomicBool>,
    request: u64,
    tx: &tokio::sync::mpsc::UnboundedSender<Event>,
) -> Result<BulkOutcome, String> {
    let gate = sessions.gate();
    let journal_path = gate
        .journal_path()
        .ok_or("no journal to record changes in (no home directory): nothing was sent")?;
    let writers = fleet::writers(members, gate).await;
    let preview = crate::ops::bulk::preview_risk(
        &mut plan,
        members,
        &writers,
        crate::ops::bulk::plan::PLAN_POLL,
        &cancel,
    )
    .await;
    if preview.cancelled {
        return Err("cancelled while the risk was previewed: nothing was updated".into());
    }
    let options = ApplyOptions {
        cancel,
        ..ApplyOptions::default()
    };
    let progress = |progress| {
        let _ = tx.send(Event::Msg(Msg::BulkProgress { request, progress }));
    };
    let Applied { ends, report } = bulk_run::apply_saved(
        &plan,
        members,
        &writers,
        journal_path,
        None,
        &options,
        &progress,
    )
    .await?;
    let leftover = preview
        .leftover
        .iter()
        .map(|l| l.line(plan.region.as_deref()))
        .collect();
    Ok(BulkOutcome {
        ends,
        report: report.map(|p| p.display().to_string()),
        leftover,
    })
}
