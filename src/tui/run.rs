//! The event loop: one channel of messages (input, ticks, AWS results);
//! commands run as tokio tasks that report back on the same channel.

use std::sync::Arc;

use crossterm::event::{Event as TermEvent, EventStream, MouseEventKind};
use futures::StreamExt;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

use super::app::{Msg, Overlay, State, TICK};
use super::executor::{Event, Executor, spawn_guarded};
use super::keymap::Keymap;
use super::terminal;
use super::theme::Theme;
use super::views::{self, ViewState};
use crate::ops::fleet::Selection;
use crate::ops::{Cache, Sessions};

/// What the console opens on.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Where sessions come from: the profiles, the config's region, and
    /// the gate (which accounts are read-only, the journal every change is
    /// written to: none, no actions).
    pub sessions: Sessions,
    pub profile: String,
    /// The region asked for (`--region`); none, the config's or the profile's.
    pub region: Option<String>,
    /// Where the last inventory of each profile and region is kept; none, no cache.
    pub cache: Option<Cache>,
    /// Several accounts at once (`--profiles`, `--org-role`).
    pub fleet: Option<Selection>,
    /// The bulk update's opt-in policy (spoke's config; `:bulk POLICY` changes it).
    pub bulk_policy: crate::model::OptIn,
    /// The hygiene rules' switches and thresholds, for `:xray`.
    pub lint: crate::ops::lint::LintConfig,
    /// The bucket templates go to, by profile (spoke's config).
    pub template_buckets: std::collections::BTreeMap<String, String>,
    /// A saved snapshot to browse instead of AWS (offline, read-only).
    pub snapshot: Option<Arc<crate::model::Snapshot>>,
    /// The endpoint's clock runs apart from the wall clock (a sandbox at
    /// `--speed` other than 1): the header says so.
    pub clock_note: Option<String>,
    /// Draw in colour (else bold and reverse only: `--color never`, `NO_COLOR`).
    pub colours: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    #[error("internal error in a background task: {0} (a bug; details in the log)")]
    TaskPanicked(String),
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
    let theme = if options.colours {
        theme
    } else {
        theme.without_colours()
    };
    let mut state = State::with_keymap(
        options.profile.clone(),
        options.region.clone(),
        // Until the account is known, the header says RO if the profile
        // may turn out read-only; the gate decides once connected.
        options
            .sessions
            .rules()
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
        options.sessions.clone(),
        options.cache,
        options.snapshot.clone(),
    );
    let mut state = state
        .with_bulk_policy(options.bulk_policy.clone())
        .with_lint(options.lint.clone())
        .with_template_buckets(options.template_buckets.clone())
        .with_snapshot(options.snapshot.as_ref().map(|s| s.label()))
        .with_clock_note(options.clock_note.clone())
        .with_fleet(options.fleet.clone());
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
            if let Some(text) = state.take_clipboard() {
                terminal::copy(&mut guard.terminal, &text)?;
            }
            if redraw {
                draw(&mut guard.terminal, &state, &mut view)?;
                state.update(view.drawn());
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
            conn,
            msg,
        } => {
            if generation == state.generation() {
                executor.hold_session(generation, conn);
            }
            msg
        }
        Event::Fleet {
            generation,
            selection,
            members,
        } => {
            if generation == state.generation() {
                executor.hold_fleet(generation, selection, members);
            }
            return Ok(false);
        }
    };
    let mut redraw = !matches!(msg, Msg::Tick) || state.is_busy();
    if matches!(msg, Msg::Tick) {
        // New AWS calls for the `@` log, at most once a tick.
        let calls = executor.new_calls();
        if !calls.is_empty() {
            redraw |= state.overlay() == Some(Overlay::Calls);
            state.update(Msg::CallsLogged(calls));
        }
        // A wait for a call tried again is said on the status line.
        let retrying = executor.retrying();
        if retrying.as_slice() != state.calls().retrying() {
            redraw = true;
            state.update(Msg::Retrying(retrying));
        }
    }
    let commands = state.update(msg);
    executor.execute_all(commands);
    Ok(redraw)
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
