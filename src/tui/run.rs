//! The event loop: one channel of messages (input, ticks, AWS results);
//! commands run as tokio tasks that report back on the same channel.

use std::sync::Arc;
use std::time::Instant;

use crossterm::event::{Event as TermEvent, EventStream, MouseEventKind};
use std::panic::AssertUnwindSafe;

use futures::{FutureExt, StreamExt};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::{AbortHandle, JoinHandle};

use super::actions;
use super::app::{Command, Connection, Generation, Msg, Overlay, State, TICK};
use super::bulk_tasks;
use super::keymap::Keymap;
use super::terminal;
use super::theme::Theme;
use super::views::{self, ViewState};
use crate::aws::{CallLog, Gate, ProfileSource, Reader, Refusal, Session, Writer};
use crate::ops::Cache;
use crate::ops::fleet::{Member, Selection};
use std::sync::atomic::{AtomicBool, Ordering};

/// What the console opens on.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub source: ProfileSource,
    pub profile: String,
    pub region: Option<String>,
    /// Which accounts are read-only (the gate gives them no writer).
    pub read_only: crate::model::ReadOnlyRules,
    /// Where the last inventory of each profile and region is kept; none, no cache.
    pub cache: Option<Cache>,
    /// The journal every mutation is written to; none, no actions.
    pub journal: Option<std::path::PathBuf>,
    /// Several accounts at once (`--profiles`, `--org-role`).
    pub fleet: Option<Selection>,
    /// The bulk update's opt-in policy (spoke's config; `:bulk POLICY` changes it).
    pub bulk_policy: crate::model::OptIn,
    /// A saved snapshot to browse instead of AWS (offline, read-only).
    pub snapshot: Option<Arc<crate::model::Snapshot>>,
}

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    #[error("internal error in a background task: {0} (a bug; details in the log)")]
    TaskPanicked(String),
}

/// What arrives on the loop's channel. A new session's reader travels with
/// its `Connected` message so the executor holds it before the state asks
/// for the first load.
enum Event {
    Msg(Msg),
    Session {
        generation: Generation,
        session: Box<Session>,
        reader: Arc<Reader>,
        /// None in a read-only session: it cannot act at all.
        writer: Option<Arc<Writer>>,
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

/// Opens the console and runs it until the user quits.
pub async fn run(options: RunOptions) -> Result<(), TuiError> {
    let mut guard = terminal::enter()?;
    let (tx, mut rx) = unbounded_channel::<Event>();
    let input = spawn_input(tx.clone());
    let ticks = spawn_ticks(tx.clone());
    let signals = spawn_signals(tx.clone());

    // The user's keymap and theme; a bad file is reported and the defaults used.
    let (keymap, keymap_error) = Keymap::load(None);
    let (theme, theme_error) = Theme::load(None);
    let mut state = State::with_keymap(
        options.profile.clone(),
        options.region.clone(),
        // Until the account is known, the header says RO if the profile
        // may turn out read-only; the gate decides once connected.
        options
            .read_only
            .read_only(&crate::model::Subject {
                profile: &options.profile,
                account_id: None,
                account_name: None,
            })
            .is_some(),
        keymap,
    );
    for error in [keymap_error, theme_error].into_iter().flatten() {
        tracing::warn!(%error, "settings file not used");
        state.report(format!("{error} (using the defaults)"));
    }
    let mut view = ViewState::new(theme);
    let mut executor = Executor::new(
        tx,
        options.source,
        options.cache,
        Arc::new(Gate::new(
            options.read_only.clone(),
            options.journal.clone(),
        )),
    );
    executor.snapshot = options.snapshot.clone().map(|s| (s, None));
    state.bulk_policy = options.bulk_policy.clone();
    state.snapshot = options.snapshot.as_ref().map(|s| s.label());
    if let Some(selection) = options.fleet.clone() {
        state.fleet_selection = Some(selection);
        state.go_to(super::screens::Screen::Provisioned);
    }
    let first = state.start();
    executor.execute_all(first);

    let result = async {
        draw(&mut guard.terminal, &state, &mut view)?;
        while let Some(event) = rx.recv().await {
            let mut redraw = apply(event, &mut state, &mut executor)?;
            // Take everything already queued before drawing once.
            while let Ok(event) = rx.try_recv() {
                redraw |= apply(event, &mut state, &mut executor)?;
            }
            if state.should_quit() {
                break;
            }
            if redraw {
                draw(&mut guard.terminal, &state, &mut view)?;
                view.sync(&mut state);
            }
        }
        Ok::<(), TuiError>(())
    }
    .await;

    input.abort();
    ticks.abort();
    signals.abort();
    executor.abort_all();
    drop(guard);
    result
}

/// Feeds one event to the state; true if the screen may have changed.
fn apply(event: Event, state: &mut State, executor: &mut Executor) -> Result<bool, TuiError> {
    let msg = match event {
        Event::Panicked(message) => return Err(TuiError::TaskPanicked(message)),
        Event::Terminate(signal) => {
            tracing::info!(signal, "stopping on a signal");
            state.terminate();
            return Ok(false);
        }
        Event::Msg(msg) => msg,
        Event::Session {
            generation,
            session,
            reader,
            writer,
            msg,
        } => {
            if generation == state.generation {
                executor.session = Some((generation, *session));
                executor.reader = Some((generation, reader));
                executor.writer = writer.map(|w| (generation, w));
            }
            msg
        }
        Event::Fleet {
            generation,
            selection,
            members,
        } => {
            if generation == state.generation {
                executor.fleet = Some((generation, selection, members));
            }
            return Ok(false);
        }
    };
    let mut redraw = !matches!(msg, Msg::Tick) || state.is_busy();
    if matches!(msg, Msg::Tick) {
        // New AWS calls for the `@` log, at most once a tick.
        let calls = executor.new_calls();
        if !calls.is_empty() {
            redraw |= state.overlay == Some(Overlay::Calls);
            state.update(Msg::CallsLogged(calls));
        }
    }
    let commands = state.update(msg);
    executor.execute_all(commands);
    Ok(redraw)
}

/// Spawns `task`; if it panics, the loop hears of it and stops.
fn spawn_guarded<F>(tx: UnboundedSender<Event>, task: F) -> JoinHandle<()>
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

/// Draws unless the terminal was given back by the panic hook.
fn draw(
    terminal: &mut terminal::Term,
    state: &State,
    view: &mut ViewState,
) -> Result<(), TuiError> {
    terminal::draw(terminal, |frame| views::draw(frame, state, view))?;
    Ok(())
}

fn spawn_input(tx: UnboundedSender<Event>) -> JoinHandle<()> {
    spawn_guarded(tx.clone(), async move {
        let mut events = EventStream::new();
        while let Some(event) = events.next().await {
            let msg = match event {
                Ok(TermEvent::Key(key)) => Msg::Key(key),
                Ok(TermEvent::Mouse(mouse)) => match mouse.kind {
                    MouseEventKind::ScrollUp => Msg::ScrollUp,
                    MouseEventKind::ScrollDown => Msg::ScrollDown,
                    _ => continue,
                },
                Ok(TermEvent::Resize(..)) => Msg::Resize,
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!(error = %e, "terminal input failed");
                    break;
                }
            };
            if tx.send(Event::Msg(msg)).is_err() {
                break;
            }
        }
    })
}

/// SIGTERM and SIGHUP become [`Event::Terminate`].
fn spawn_signals(tx: UnboundedSender<Event>) -> JoinHandle<()> {
    spawn_guarded(tx.clone(), async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let (Ok(mut term), Ok(mut hup)) = (
                signal(SignalKind::terminate()),
                signal(SignalKind::hangup()),
            ) else {
                tracing::warn!("cannot listen for SIGTERM/SIGHUP");
                return;
            };
            let name = tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = hup.recv() => "SIGHUP",
            };
            let _ = tx.send(Event::Terminate(name));
        }
        #[cfg(not(unix))]
        drop(tx);
    })
}

fn spawn_ticks(tx: UnboundedSender<Event>) -> JoinHandle<()> {
    spawn_guarded(tx.clone(), async move {
        let mut interval = tokio::time::interval(TICK);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            interval.tick().await;
            if tx.send(Event::Msg(Msg::Tick)).is_err() {
                break;
            }
        }
    })
}

/// Runs [`Command`]s as tasks. Holds the reader of the current session
/// and the log of every AWS call of the console.
struct Executor {
    tx: UnboundedSender<Event>,
    source: ProfileSource,
    session: Option<(Generation, Session)>,
    reader: Option<(Generation, Arc<Reader>)>,
    writer: Option<(Generation, Arc<Writer>)>,
    /// The fleet's accounts, once reached.
    fleet: Option<(Generation, Selection, Arc<Vec<Member>>)>,
    /// Set to stop the running bulk update from starting more.
    bulk_cancel: Option<Arc<AtomicBool>>,
    /// A saved snapshot answers every command instead of AWS, with the
    /// account opened.
    snapshot: Option<(Arc<crate::model::Snapshot>, Option<String>)>,
    /// The one gate every writer comes from: the read-only rules applied
    /// to each account, and the journal (none: no home directory, so no
    /// changes are made).
    gate: Arc<Gate>,
    /// Tasks of a session, aborted when another session starts.
    tasks: Vec<(Generation, AbortHandle)>,
    /// Tasks of no session (reading the profiles).
    other: Vec<AbortHandle>,
    calls: CallLog,
    calls_seen: u64,
    cache: Option<Cache>,
}

impl Executor {
    fn new(
        tx: UnboundedSender<Event>,
        source: ProfileSource,
        cache: Option<Cache>,
        gate: Arc<Gate>,
    ) -> Self {
        Self {
            cache,
            tx,
            source,
            session: None,
            reader: None,
            writer: None,
            fleet: None,
            bulk_cancel: None,
            snapshot: None,
            gate,
            tasks: Vec::new(),
            other: Vec::new(),
            calls: CallLog::default(),
            calls_seen: 0,
        }
    }

    /// The calls logged since the last time.
    fn new_calls(&mut self) -> Vec<crate::model::CallEntry> {
        if self.calls.last_seq() == self.calls_seen {
            return Vec::new();
        }
        let calls = self.calls.since(self.calls_seen);
        if let Some(last) = calls.last() {
            self.calls_seen = last.seq;
        }
        calls
    }

    fn execute_all(&mut self, commands: Vec<Command>) {
        for command in commands {
            self.execute(command);
        }
    }

    fn execute(&mut self, command: Command) {
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
            Command::Connect {
                generation,
                profile,
                region,
            } => {
                // A new session: what the old one still has in flight is moot.
                self.session = None;
                self.reader = None;
                self.writer = None;
                self.fleet = None;
                for (_, task) in self.tasks.drain(..) {
                    task.abort();
                }
                let tx = self.tx.clone();
                let source = self.source.clone();
                let log = self.calls.clone();
                let cache = self.cache.clone();
                let gate = self.gate.clone();
                let task = spawn_guarded(self.tx.clone(), async move {
                    let started = Instant::now();
                    // The last inventory of this profile and region is shown at once,
                    // before any call to AWS (the session itself makes none).
                    let show_cached = |session: &Session| {
                        let Some(cached) = cache.as_ref().and_then(|c| {
                            c.load(session.profile(), session.region())
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
                    let event = match connect(
                        &source,
                        &profile,
                        region.as_deref(),
                        log,
                        &gate,
                        show_cached,
                    )
                    .await
                    {
                        Ok(Connected {
                            connection,
                            session,
                            reader,
                            writer,
                            identity,
                        }) => {
                            tracing::info!(profile, region = connection.region, account = identity.account_id, elapsed = ?started.elapsed(), "connected");
                            let (writer, no_writer, read_only) = match writer {
                                Ok(w) => (Some(Arc::new(w)), None, false),
                                Err(refusal) => {
                                    (None, Some(refusal.to_string()), refusal.is_read_only())
                                }
                            };
                            Event::Session {
                                generation,
                                session: Box::new(session),
                                reader: Arc::new(reader),
                                writer,
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
                let Some(reader) = self.reader_for(generation) else {
                    tracing::debug!(generation, "load for a session that is gone; dropped");
                    return;
                };
                let cache = self.cache.clone();
                let tx = self.tx.clone();
                let task = spawn_guarded(self.tx.clone(), async move {
                    let started = Instant::now();
                    let sections = tx.clone();
                    let result = crate::ops::scan_with(&reader, |section, inventory| {
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
                        && let Err(e) = cache.save(reader.profile(), reader.region(), inventory)
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
                    let result = reader
                        .events_since(&stack_id, since.as_deref())
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
            Command::Prepare {
                generation,
                request,
                what,
            } => {
                let Some(reader) = self.reader_for(generation) else {
                    return;
                };
                let tx = self.tx.clone();
                let source = self.source.clone();
                let log = self.calls.clone();
                let task = spawn_guarded(self.tx.clone(), async move {
                    let result = actions::prepare(&reader, &source, log, what).await;
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
                let (Some(reader), Some(writer)) =
                    (self.reader_for(generation), self.writer_for(generation))
                else {
                    let _ = self.tx.send(Event::Msg(Msg::ActDone {
                        generation,
                        request,
                        result: Err(actions::ActFailure {
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
                    let result = actions::run(writer, reader, act, |event| {
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
                    .gate
                    .journal_path()
                    .map(std::path::Path::to_path_buf)
                    .or_else(|| crate::journal::Journal::user_path().ok());
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
            Command::LoadFleet {
                generation,
                request,
                selection,
            } => {
                let region = self.reader_for(generation).map(|r| r.region().to_string());
                let tx = self.tx.clone();
                let source = self.source.clone();
                let log = self.calls.clone();
                let task = spawn_guarded(self.tx.clone(), async move {
                    let send = |msg: Msg| {
                        let _ = tx.send(Event::Msg(msg));
                    };
                    if let Some(members) = bulk_tasks::load_fleet(
                        &source,
                        &selection,
                        region.as_deref(),
                        log,
                        generation,
                        request,
                        &send,
                    )
                    .await
                    {
                        let _ = tx.send(Event::Fleet {
                            generation,
                            selection,
                            members: Arc::new(members),
                        });
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
                let region = self.reader_for(generation).map(|r| r.region().to_string());
                let gate = self.gate.clone();
                let tx = self.tx.clone();
                let task = spawn_guarded(self.tx.clone(), async move {
                    let result =
                        bulk_tasks::plan(&members, selection, region, &gate, only, policy).await;
                    let _ = tx.send(Event::Msg(Msg::BulkPlanned {
                        generation,
                        request,
                        result,
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
                let gate = self.gate.clone();
                let known = self
                    .members_for(generation)
                    .filter(|(selection, _)| *selection == plan.selection);
                let cancel = Arc::new(AtomicBool::new(false));
                self.bulk_cancel = Some(cancel.clone());
                let tx = self.tx.clone();
                let source = self.source.clone();
                let log = self.calls.clone();
                // Not aborted by a profile switch: the run is followed to its end.
                let task = spawn_guarded(self.tx.clone(), async move {
                    let members = match known {
                        Some((_, members)) => Ok(members),
                        None => crate::ops::fleet::connect(
                            &source,
                            &plan.selection,
                            plan.region.as_deref(),
                            log,
                        )
                        .await
                        .map(Arc::new)
                        .map_err(|e| e.to_string()),
                    };
                    let send = |msg: Msg| {
                        let _ = tx.send(Event::Msg(msg));
                    };
                    let result = match members {
                        Ok(members) => {
                            bulk_tasks::apply(&plan, &members, &gate, cancel, request, &send).await
                        }
                        Err(e) => Err(e),
                    };
                    send(Msg::BulkDone { request, result });
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
                let gate = self.gate.clone();
                let tx = self.tx.clone();
                // Not aborted by a profile switch: the temporary plans it
                // creates are deleted by the same task.
                let task = spawn_guarded(self.tx.clone(), async move {
                    let done = bulk_tasks::preview(plan, &members, &gate).await;
                    let _ = tx.send(Event::Msg(Msg::RiskPreviewed {
                        generation,
                        request,
                        result: Ok(done),
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
                    .gate
                    .journal_path()
                    .map(std::path::Path::to_path_buf)
                    .or_else(|| crate::journal::Journal::user_path().ok());
                let task = spawn_guarded(self.tx.clone(), async move {
                    let found = match path {
                        None => Err("no journal: there is no home directory".to_string()),
                        Some(path) => {
                            tokio::task::spawn_blocking(move || bulk_tasks::find_stopped(&path))
                                .await
                                .map_err(|e| e.to_string())
                                .and_then(|r| r)
                        }
                    };
                    let (result, resumed) = match found {
                        Ok((plan, counts)) => (Ok(plan), Some(counts)),
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
            // Taken care of above, whatever the session.
            Command::Export { .. } => {}
            Command::DiscoverProfiles => {
                let tx = self.tx.clone();
                let source = self.source.clone();
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
        let (g, session) = self.session.as_ref()?;
        if *g != generation {
            return None;
        }
        let reader = self.reader_for(generation)?;
        let selection = Selection::Profiles {
            names: vec![session.profile().to_string()],
        };
        let member = Member::of_session(session.clone(), (*reader).clone(), None);
        Some((selection, Arc::new(vec![member])))
    }

    /// The reader of the account a stack lives in: in a fleet, that
    /// account's (its ARN names it); else the session's.
    fn reader_for_stack(&self, generation: Generation, stack_id: &str) -> Option<Arc<Reader>> {
        if let (Some((g, _, members)), Some(account)) =
            (&self.fleet, crate::model::account_of_arn(stack_id))
            && *g == generation
            && let Some(reader) = members
                .iter()
                .find(|m| m.account.as_deref() == Some(account))
                .and_then(Member::reader)
        {
            return Some(Arc::new(reader.clone()));
        }
        self.reader_for(generation)
    }

    fn writer_for(&self, generation: Generation) -> Option<Arc<Writer>> {
        match &self.writer {
            Some((g, writer)) if *g == generation => Some(writer.clone()),
            _ => None,
        }
    }

    fn reader_for(&self, generation: Generation) -> Option<Arc<Reader>> {
        match &self.reader {
            Some((g, reader)) if *g == generation => Some(reader.clone()),
            _ => None,
        }
    }

    fn abort_all(&mut self) {
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

/// A connected session: its reader, and its writer or why there is none.
struct Connected {
    connection: Connection,
    session: Session,
    reader: Reader,
    writer: Result<Writer, Refusal>,
    identity: crate::model::CallerIdentity,
}

async fn connect(
    source: &ProfileSource,
    profile: &str,
    region: Option<&str>,
    log: CallLog,
    gate: &Gate,
    before_identity: impl FnOnce(&Session),
) -> Result<Connected, crate::aws::AwsError> {
    let session = Session::connect_with_log(source, profile, region, log).await?;
    before_identity(&session);
    let reader = Reader::new(&session);
    let identity = reader.caller_identity().await?;
    let connection = Connection {
        profile: session.profile().to_string(),
        region: session.region().to_string(),
        endpoint: session.endpoint().map(str::to_string),
    };
    // The gate decides this account: a read-only one gets no writer.
    let writer = gate.writer(&session, &identity, None);
    Ok(Connected {
        connection,
        session,
        reader,
        writer,
        identity,
    })
}
