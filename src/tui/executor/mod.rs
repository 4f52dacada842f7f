//! The console's executor: runs each [`Command`] of the state as a task
//! through `ops`, and sends its result back as a [`Msg`] tagged like the
//! command. It holds the connected session of the current generation (and
//! the fleet's members); results of an older generation are never sent
//! for a session that is gone.

mod bulk;

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use futures::FutureExt;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::{AbortHandle, JoinHandle};

use super::app::{Command, Connection, Generation, Msg};
use crate::ops::act::request::{self, ActFailure};
use crate::ops::fleet::{Member, Selection};
use crate::ops::session::CallLog;
use crate::ops::{Cache, Connected, Sessions};

/// What arrives on the loop's channel. A new session travels with its
/// `Connected` message so the executor holds it before the state asks for
/// the first load.
pub enum Event {
    Msg(Msg),
    Session {
        generation: Generation,
        conn: Arc<Connected>,
        msg: Msg,
    },
    /// The accounts of a fleet were reached: kept for its bulk updates.
    Fleet {
        generation: Generation,
        selection: Selection,
        members: Arc<Vec<Member>>,
    },
    /// A task panicked: the console stops rather than run half-broken.
    Panicked(String),
    /// SIGTERM or SIGHUP (the terminal went away): stop as `q` does, so
    /// the terminal is restored and temporary files removed.
    Terminate(&'static str),
}

/// Spawns `task`; if it panics, the loop hears of it and stops.
pub fn spawn_guarded<F>(tx: UnboundedSender<Event>, task: F) -> JoinHandle<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        if let Err(panic) = AssertUnwindSafe(task).catch_unwind().await {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_string());
            let _ = tx.send(Event::Panicked(message));
        }
    })
}

/// Runs [`Command`]s as tasks. Holds the session of the current
/// generation and the log of every AWS call of the console.
pub struct Executor {
    tx: UnboundedSender<Event>,
    /// Where sessions come from, with the one gate every writer comes
    /// from (the read-only rules applied to each account, and the journal:
    /// none, no changes are made) and the console's log of calls.
    sessions: Sessions,
    session: Option<(Generation, Arc<Connected>)>,
    /// The fleet's accounts, once reached.
    fleet: Option<(Generation, Selection, Arc<Vec<Member>>)>,
    /// Set to stop the running bulk update from starting more.
    bulk_cancel: Option<Arc<AtomicBool>>,
    /// A saved snapshot answers every command instead of AWS, with the
    /// account opened.
    snapshot: Option<(Arc<crate::model::Snapshot>, Option<String>)>,
    /// Tasks of a session, aborted when another session starts.
    tasks: Vec<(Generation, AbortHandle)>,
    /// Tasks of no session (reading the profiles).
    other: Vec<AbortHandle>,
    calls_seen: u64,
    cache: Option<Cache>,
}

impl Executor {
    pub fn new(
        tx: UnboundedSender<Event>,
        sessions: Sessions,
        cache: Option<Cache>,
        snapshot: Option<Arc<crate::model::Snapshot>>,
    ) -> Self {
        Self {
            cache,
            tx,
            sessions: sessions.with_log(CallLog::default()),
            session: None,
            fleet: None,
            bulk_cancel: None,
            snapshot: snapshot.map(|s| (s, None)),
            tasks: Vec::new(),
            other: Vec::new(),
            calls_seen: 0,
        }
    }

    /// A new session's handle (dropped if another generation started).
    pub fn hold_session(&mut self, generation: Generation, conn: Arc<Connected>) {
        self.session = Some((generation, conn));
    }

    /// A fleet's members, kept for its bulk updates.
    pub fn hold_fleet(
        &mut self,
        generation: Generation,
        selection: Selection,
        members: Arc<Vec<Member>>,
    ) {
        self.fleet = Some((generation, selection, members));
    }

    /// The calls being tried again now.
    pub fn retrying(&self) -> Vec<String> {
        self.sessions.log().retrying()
    }

    /// The calls logged since the last time.
    pub fn new_calls(&mut self) -> Vec<crate::model::CallEntry> {
        let calls = self.sessions.log();
        if calls.last_seq() == self.calls_seen {
            return Vec::new();
        }
        let calls = calls.since(self.calls_seen);
        if let Some(last) = calls.last() {
            self.calls_seen = last.seq;
        }
        calls
    }

    pub fn execute_all(&mut self, commands: Vec<Command>) {
        for command in commands {
            self.execute(command);
        }
    }

    pub fn execute(&mut self, command: Command) {
        // Work of the console itself, the same live or on a snapshot.
        let command = match command {
            Command::BuildCatalog {
                generation,
                request,
                job,
            } => {
                let tx = self.tx.clone();
                let task = spawn_guarded(self.tx.clone(), async move {
                    let built = match tokio::task::spawn_blocking(move || job.run()).await {
                        Ok(built) => built,
                        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                        Err(_) => return,
                    };
                    let _ = tx.send(Event::Msg(Msg::CatalogBuilt {
                        generation,
                        request,
                        built: Box::new(built),
                    }));
                });
                self.other.push(task.abort_handle());
                return;
            }
            Command::Discard(garbage) => {
                tokio::task::spawn_blocking(move || drop(garbage));
                return;
            }
            command => command,
        };
        if let Command::Export { file, text } = command {
            let tx = self.tx.clone();
            let task = spawn_guarded(self.tx.clone(), async move {
                let result = tokio::task::spawn_blocking(move || export(&file, &text))
                    .await
                    .map_err(|e| e.to_string())
                    .and_then(|r| r);
                let _ = tx.send(Event::Msg(Msg::Exported(result)));
            });
            self.other.push(task.abort_handle());
            return;
        }
        if let Some((snapshot, current)) = &mut self.snapshot {
            for msg in super::offline::answer(snapshot, current, command) {
                let _ = self.tx.send(Event::Msg(msg));
            }
            return;
        }
        self.tasks.retain(|(_, task)| !task.is_finished());
        self.other.retain(|task| !task.is_finished());
        match command {
            // Run above, before a snapshot is asked.
            Command::BuildCatalog { .. } | Command::Discard(_) => {}
            Command::Connect {
                generation,
                profile,
                region,
            } => {
                // A new session: what the old one still has in flight is moot.
                self.session = None;
                self.fleet = None;
                for (_, task) in self.tasks.drain(..) {
                    task.abort();
                }
                let tx = self.tx.clone();
                let sessions = self.sessions.clone();
                let cache = self.cache.clone();
                let task = spawn_guarded(self.tx.clone(), async move {
                    let started = Instant::now();
                    // The last inventory of this profile and region is shown at once,
                    // before any call to AWS (the session itself makes none).
                    let show_cached = |profile: &str, region: &str| {
                        let Some(cached) = cache.as_ref().and_then(|c| {
                            c.load(profile, region)
                                .inspect_err(|e| tracing::warn!(%e, "inventory cache unreadable"))
                                .ok()
                                .flatten()
                        }) else {
                            return;
                        };
                        let _ = tx.send(Event::Msg(Msg::CacheLoaded {
                            generation,
                            age: cached.age_label(),
                            inventory: Box::new(cached.inventory),
                        }));
                    };
                    let event = match sessions
                        .connect_then(&profile, region.as_deref(), show_cached)
                        .await
                    {
                        Ok(conn) => {
                            let connection = Connection {
                                profile: conn.profile().to_string(),
                                region: conn.region().to_string(),
                                endpoint: conn.endpoint().map(str::to_string),
                            };
                            tracing::info!(profile, region = connection.region, account = conn.identity().account_id, elapsed = ?started.elapsed(), "connected");
                            // The gate decides this account: a read-only one gets no writer.
                            let refusal = conn.refusal();
                            let read_only = refusal.is_some_and(|r| r.is_read_only());
                            let no_writer = refusal.map(ToString::to_string);
                            let identity = conn.identity().clone();
                            Event::Session {
                                generation,
                                conn: Arc::new(conn),
                                msg: Msg::Connected {
                                    generation,
                                    read_only,
                                    connection,
                                    identity,
                                    no_writer,
                                },
                            }
                        }
                        Err(error) => {
                            tracing::warn!(profile, %error, "connect failed");
                            Event::Msg(Msg::ConnectFailed {
                                generation,
                                error: error.to_string(),
                            })
                        }
                    };
                    let _ = tx.send(event);
                });
                self.tasks.push((generation, task.abort_handle()));
            }
            Command::LoadCatalog {
                generation,
                request,
            } => {
                let Some(conn) = self.session_for(generation) else {
                    tracing::debug!(generation, "load for a session that is gone; dropped");
                    return;
                };
                let cache = self.cache.clone();
                let tx = self.tx.clone();
                let task = spawn_guarded(self.tx.clone(), async move {
                    let started = Instant::now();
                    let sections = tx.clone();
                    let result = crate::ops::scan_with(conn.reader(), |section, inventory| {
                        let _ = sections.send(Event::Msg(Msg::CatalogSection {
                            generation,
                            request,
                            section,
                            inventory: Box::new(inventory.clone()),
                        }));
                    })
                    .await
                    .map(Box::new)
                    .map_err(|e| e.to_string());
                    tracing::info!(generation, ok = result.is_ok(), elapsed = ?started.elapsed(), "catalog loaded");
                    if let (Some(cache), Ok(inventory)) = (&cache, &result)
                        && let Err(e) = cache.save(conn.profile(), conn.region(), inventory)
                    {
                        tracing::warn!(%e, "inventory not cached");
                    }
                    let _ = tx.send(Event::Msg(Msg::CatalogLoaded {
                        generation,
                        request,
                        result,
                    }));
                });
                self.tasks.push((generation, task.abort_handle()));
            }
            Command::ReadProvisioned {
                generation,
                account,
                id,
            } => {
                let Some(reader) = self.reader_for_account(generation, account.as_deref()) else {
                    return;
                };
                let tx = self.tx.clone();
                let task = spawn_guarded(self.tx.clone(), async move {
                    let result = reader
                        .provisioned_by_id(&id)
                        .await
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Event::Msg(Msg::ProvisionedRead {
                        generation,
                        id,
                        result,
                    }));
                });
                self.tasks.push((generation, task.abort_handle()));
            }
            Command::LoadEvents {
                generation,
                request,
                stack_id,
                since,
            } => {
                let Some(reader) = self.reader_for_stack(generation, &stack_id) else {
                    tracing::debug!(generation, "events for a session that is gone; dropped");
                    return;
                };
                let tx = self.tx.clone();
                let task = spawn_guarded(self.tx.clone(), async move {
                    let result = crate::ops::stack::poll(&reader, &stack_id, since.as_deref())
                        .await
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Event::Msg(Msg::EventsLoaded {
                        generation,
                        request,
                        stack_id,
                        result,
                    }));
                });
                self.tasks.push((generation, task.abort_handle()));
            }
            Command::LoadLife {
                generation,
                request,
                provisioned_id,
                stack_id,
                part,
            } => {
                let Some(reader) = self.reader_for_stack(generation, &stack_id) else {
                    tracing::debug!(
                        generation,
                        "a life read for a session that is gone; dropped"
                    );
                    return;
                };
                let tx = self.tx.clone();
                let task = spawn_guarded(self.tx.clone(), async move {
                    let result = crate::ops::life::load(&reader, part, &provisioned_id, &stack_id)
                        .await
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Event::Msg(Msg::LifeLoaded {
                        generation,
                        request,
                        provisioned_id,
                        part,
                        result,
                    }));
                });
                self.tasks.push((generation, task.abort_handle()));
            }
            Command::DetectDrift {
                generation,
                request,
                provisioned_id,
                name,
                stack_id,
            } => {
                // The executor refuses as well: the gate decides the
                // stack's account, no writer, no call.
                let found = self.writer_for_stack(generation, &stack_id);
                let tx = self.tx.clone();
                let Some(found) = found else {
                    tracing::debug!(
                        generation,
                        "a detection for a session that is gone; dropped"
                    );
                    return;
                };
                // Not aborted by a profile switch: a detection started is
                // followed to its end (its result is dropped by the state).
                let task = spawn_guarded(self.tx.clone(), async move {
                    let result = match found.await {
                        Err(refusal) => Err(format!("not sent: {refusal}")),
                        Ok((writer, reader)) => {
                            let subject = crate::ops::resource_drift::Subject {
                                provisioned_id: &provisioned_id,
                                name: &name,
                                stack: &stack_id,
                            };
                            crate::ops::resource_drift::detect_stack(
                                &writer,
                                &reader,
                                subject,
                                crate::ops::resource_drift::DETECTION_POLLING,
                                |_| {},
                            )
                            .await
                            .map_err(|e| e.to_string())
                        }
                    };
                    let _ = tx.send(Event::Msg(Msg::DriftDetected {
                        generation,
                        request,
                        provisioned_id,
                        result,
                    }));
                });
                self.other.push(task.abort_handle());
            }
            Command::Prepare {
                generation,
                request,
                what,
            } => {
                let Some(conn) = self.session_for(generation) else {
                    return;
                };
                let tx = self.tx.clone();
                let sessions = self.sessions.clone();
                let task = spawn_guarded(self.tx.clone(), async move {
                    let result = request::prepare(&sessions, &conn, what).await;
                    let _ = tx.send(Event::Msg(Msg::Prepared {
                        generation,
                        request,
                        result,
                    }));
                });
                self.tasks.push((generation, task.abort_handle()));
            }
            Command::Act {
                generation,
                request,
                act,
            } => {
                // The executor refuses as well: no writer, no call.
                let Some(conn) = self
                    .session_for(generation)
                    .filter(|conn| conn.writer().is_ok())
                else {
                    let _ = self.tx.send(Event::Msg(Msg::ActDone {
                        generation,
                        request,
                        result: Err(ActFailure {
                            message:
                                "this session cannot change anything (read-only or no journal)"
                                    .into(),
                            fields: Vec::new(),
                            sent_nothing: true,
                        }),
                    }));
                    return;
                };
                let tx = self.tx.clone();
                // Not aborted by a profile switch: a change under way is
                // followed to its end and journaled.
                let task = spawn_guarded(self.tx.clone(), async move {
                    let progress = tx.clone();
                    let result = request::run(&conn, act, |event| {
                        let _ = progress.send(Event::Msg(Msg::ActProgress {
                            generation,
                            request,
                            event,
                        }));
                    })
                    .await;
                    let _ = tx.send(Event::Msg(Msg::ActDone {
                        generation,
                        request,
                        result,
                    }));
                });
                self.other.push(task.abort_handle());
            }
            Command::LoadJournal => {
                let tx = self.tx.clone();
                let path = self
                    .sessions
                    .journal_path()
                    .map(std::path::Path::to_path_buf);
                let task = spawn_guarded(self.tx.clone(), async move {
                    let result = match path {
                        None => Err("no journal: there is no home directory".to_string()),
                        Some(path) => {
                            tokio::task::spawn_blocking(move || crate::journal::read(&path))
                                .await
                                .map_err(|e| e.to_string())
                                .and_then(|r| r.map_err(|e| e.to_string()))
                        }
                    };
                    let _ = tx.send(Event::Msg(Msg::JournalLoaded(result)));
                });
                self.other.push(task.abort_handle());
            }
            Command::ReadOus {
                generation,
                request,
                selection,
            } => {
                let region = self.region_of(generation);
                let tx = self.tx.clone();
                let sessions = self.sessions.clone();
                let task = spawn_guarded(self.tx.clone(), async move {
                    let result = crate::ops::ou::ou_paths(
                        sessions.source(),
                        &selection,
                        region.as_deref(),
                        sessions.log().clone(),
                    )
                    .await
                    .map(std::sync::Arc::new)
                    .map_err(|e| e.to_string());
                    let _ = tx.send(Event::Msg(Msg::OusRead {
                        generation,
                        request,
                        result,
                    }));
                });
                self.other.push(task.abort_handle());
            }
            Command::Lint {
                generation,
                request,
                selection,
                config,
            } => {
                let region = self.region_of(generation);
                let tx = self.tx.clone();
                let sessions = self.sessions.clone();
                let task = spawn_guarded(self.tx.clone(), async move {
                    let result = crate::ops::lint::run(
                        sessions.source(),
                        &selection,
                        region.as_deref(),
                        sessions.log().clone(),
                        &config,
                        sessions.journal_path(),
                    )
                    .await
                    .map(Box::new)
                    .map_err(|e| e.to_string());
                    let _ = tx.send(Event::Msg(Msg::Linted {
                        generation,
                        request,
                        result,
                    }));
                });
                self.other.push(task.abort_handle());
            }
            Command::LoadFleet { .. }
            | Command::PlanBulk { .. }
            | Command::ApplyBulk { .. }
            | Command::PreviewRisk { .. }
            | Command::CancelBulk
            | Command::ResumeBulk { .. } => self.execute_bulk(command),
            // Taken care of above, whatever the session.
            Command::Export { .. } => {}
            Command::DiscoverProfiles => {
                let tx = self.tx.clone();
                let source = self.sessions.source().clone();
                let task = spawn_guarded(self.tx.clone(), async move {
                    let result = tokio::task::spawn_blocking(move || source.discover())
                        .await
                        .map_err(|e| e.to_string())
                        .and_then(|r| r.map_err(|e| e.to_string()));
                    let _ = tx.send(Event::Msg(Msg::ProfilesDiscovered(result)));
                });
                self.other.push(task.abort_handle());
            }
        }
    }

    /// The accounts a bulk update of this session covers: the fleet's, or
    /// the one session's.
    fn members_for(&self, generation: Generation) -> Option<(Selection, Arc<Vec<Member>>)> {
        if let Some((g, selection, members)) = &self.fleet
            && *g == generation
        {
            return Some((selection.clone(), members.clone()));
        }
        let conn = self.session_for(generation)?;
        let selection = Selection::Profiles {
            names: vec![conn.profile().to_string()],
        };
        Some((selection, Arc::new(vec![conn.member()])))
    }

    /// The reader of the account a stack lives in: in a fleet, that
    /// account's (its ARN names it); else the session's.
    fn reader_for_stack(
        &self,
        generation: Generation,
        stack_id: &str,
    ) -> Option<crate::ops::session::Reader> {
        self.reader_for_account(generation, crate::model::account_of_arn(stack_id))
    }

    /// The writer (from the gate, for the stack's account: a fleet's
    /// member, else the session's) and reader a drift detection of
    /// `stack_id` uses, or why not (the gate refused); `None`: the session
    /// is gone.
    fn writer_for_stack(
        &self,
        generation: Generation,
        stack_id: &str,
    ) -> Option<
        impl Future<Output = Result<(crate::ops::session::Writer, crate::ops::session::Reader), String>>
        + Send
        + 'static,
    > {
        let conn = self.session_for(generation)?;
        let account = crate::model::account_of_arn(stack_id).map(str::to_string);
        let member = match (&self.fleet, &account) {
            (Some((g, _, members)), Some(account)) if *g == generation => members
                .iter()
                .find(|m| m.account.as_deref() == Some(account.as_str()))
                .filter(|m| m.reader().is_some())
                .cloned(),
            _ => None,
        };
        let gate = self.sessions.gate().clone();
        Some(async move {
            let own = Some(conn.identity().account_id.as_str()) == account.as_deref();
            match member.filter(|_| !own) {
                Some(m) => {
                    let (session, reader) = m.reach.as_ref().map_err(ToString::to_string)?;
                    let identity = reader.caller_identity().await.map_err(|e| e.to_string())?;
                    let writer = gate
                        .writer(session, &identity, m.name.as_deref())
                        .map_err(|r| r.to_string())?;
                    Ok((writer, reader.clone()))
                }
                None => {
                    let writer = conn.writer().map_err(ToString::to_string)?.clone();
                    Ok((writer, conn.reader().clone()))
                }
            }
        })
    }

    /// The reader of a fleet's member by its account id, else the session's.
    fn reader_for_account(
        &self,
        generation: Generation,
        account: Option<&str>,
    ) -> Option<crate::ops::session::Reader> {
        if let (Some((g, _, members)), Some(account)) = (&self.fleet, account)
            && *g == generation
            && let Some(reader) = members
                .iter()
                .find(|m| m.account.as_deref() == Some(account))
                .and_then(Member::reader)
        {
            return Some(reader.clone());
        }
        self.session_for(generation).map(|c| c.reader().clone())
    }

    /// The session of `generation`, if it is still the current one.
    fn session_for(&self, generation: Generation) -> Option<Arc<Connected>> {
        match &self.session {
            Some((g, conn)) if *g == generation => Some(conn.clone()),
            _ => None,
        }
    }

    pub fn abort_all(&mut self) {
        for (_, task) in self.tasks.drain(..) {
            task.abort();
        }
        for task in self.other.drain(..) {
            task.abort();
        }
    }
}

/// Writes an exported view to `file` in the current directory (readable
/// by the user only): "Exported 14 rows to /path/file.csv".
fn export(file: &str, text: &str) -> Result<String, String> {
    let dir =
        std::env::current_dir().map_err(|e| format!("no current directory to export to: {e}"))?;
    let path = dir.join(file);
    crate::files::write_private(&path, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let rows = text.lines().count().saturating_sub(1);
    Ok(format!("Exported {rows} rows to {}", path.display()))
}
