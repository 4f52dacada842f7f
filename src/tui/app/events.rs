//! The stack events screen: following a stack (polled fast while it
//! moves), the events arriving, following the newest or freezing.

use super::*;
use crate::tui::screens::provisioned_scope;

impl State {
    pub(super) fn on_tick(&mut self) -> Vec<Command> {
        if self.is_busy() {
            self.spinner = self.spinner.wrapping_add(1);
        }
        // Follow the stack on the events screen: fast while it moves. A
        // saved snapshot is not live: nothing is polled.
        let follow = self.screen() == Screen::Events
            && !self.requests.awaits(Kind::Events)
            && self.snapshot.is_none();
        let Some(watch) = self.catalog.watch.as_ref().filter(|_| follow) else {
            return vec![];
        };
        self.ticks_since_poll += 1;
        if TICK * self.ticks_since_poll < watch.poll_interval() {
            return vec![];
        }
        let (stack_id, since) = (
            watch.stack.stack_id.clone(),
            watch.stack.newest_event_id().map(str::to_string),
        );
        self.load_events(stack_id, since)
    }

    pub(super) fn load_events(&mut self, stack_id: String, since: Option<String>) -> Vec<Command> {
        // A snapshot's events are read once, from the file (never polled).
        if self.snapshot.is_some() && since.is_some() {
            return vec![];
        }
        let request = self.requests.issue(Kind::Events);
        self.ticks_since_poll = 0;
        vec![Command::LoadEvents {
            generation: self.requests.generation(),
            request,
            stack_id,
            since,
        }]
    }

    /// On the events screen, the selected event and the filter (to tell
    /// whether a key moved the selection).
    pub(super) fn events_selection(&self) -> Option<(Option<String>, String)> {
        (self.overlay.is_none() && self.screen() == Screen::Events).then(|| {
            let table = &self.level().table;
            (
                table.selected_key().map(str::to_string),
                table.filter().to_string(),
            )
        })
    }

    /// The user moved the selection off the newest event: following stops.
    /// A new filter keeps following, on the newest event it shows.
    pub(super) fn freeze_if_moved(&mut self, before: Option<(Option<String>, String)>) {
        let after = self.events_selection();
        let (Some(before), Some(after)) = (before, after) else {
            return;
        };
        if after == before {
            return;
        }
        let catalog = &self.catalog;
        let level = self
            .nav
            .last_mut()
            .expect("the navigation stack is never empty");
        if after.1 != before.1 {
            level.follow_newest(catalog);
            return;
        }
        if self.catalog.freeze_unless_newest(level) {
            let key = self.keymap.key_label(Action::Follow).unwrap_or_default();
            self.status = info(format!(
                "Frozen: new events no longer move the selection — {key} follows again"
            ));
        }
    }

    /// `f`: follow the newest event of the stack shown, or stop.
    pub(super) fn toggle_follow(&mut self) {
        let level = self.level();
        let shown =
            level.screen == Screen::Events && self.catalog.watch_for(&level.scope).is_some();
        let Some(watch) = self.catalog.watch.as_mut().filter(|_| shown) else {
            let key = self
                .keymap
                .key_label(Action::ScreenEvents)
                .unwrap_or_default();
            self.status = info(format!(
                "Nothing to follow here: open the events of a stack first ({key}, or Enter on a provisioned product)"
            ));
            return;
        };
        watch.follow = !watch.follow;
        self.status = info(if watch.follow {
            "Following: the newest event stays selected as events arrive".into()
        } else {
            "Frozen: new events no longer move the selection".into()
        });
        let catalog = &self.catalog;
        self.nav
            .last_mut()
            .expect("the navigation stack is never empty")
            .follow_newest(catalog);
    }

    /// Starts following a stack (or keeps following it).
    pub(super) fn follow(
        &mut self,
        provisioned_id: String,
        name: String,
        stack_id: String,
    ) -> Vec<Command> {
        if let Some(w) = &self.catalog.watch
            && w.stack.stack_id == stack_id
        {
            return vec![];
        }
        self.catalog.watch = Some(Watch::new(provisioned_id, name, stack_id.clone()));
        self.load_events(stack_id, None)
    }

    /// `5` or `:events`: the events of the provisioned product selected on
    /// the nearest provisioned screen, else those followed last.
    pub(super) fn go_to_events(&mut self) -> Vec<Command> {
        let selected = self
            .nav
            .iter()
            .rev()
            .find(|l| l.screen == Screen::Provisioned)
            .and_then(|l| l.table.selected_key().map(str::to_string));
        if let Some(key) = selected {
            match provisioned_scope(&self.catalog, &key) {
                Ok(scope) => {
                    let Scope::Provisioned { id, name, stack } = scope.clone() else {
                        unreachable!("a provisioned product's scope is Provisioned")
                    };
                    let mut commands = self.follow(id, name, stack);
                    self.nav.clear();
                    self.push(Level::new(Screen::Events, scope));
                    if commands.is_empty() {
                        commands = self.load_events_if_not_yet();
                    }
                    return commands;
                }
                Err(why) => self.status = info(why),
            }
        }
        self.go_to(Screen::Events);
        self.load_events_if_not_yet()
    }

    /// The followed stack's events, if never read and not on their way.
    pub(super) fn load_events_if_not_yet(&mut self) -> Vec<Command> {
        match &self.catalog.watch {
            Some(w) if !w.loaded && !self.requests.awaits(Kind::Events) => {
                let id = w.stack.stack_id.clone();
                self.load_events(id, None)
            }
            _ => vec![],
        }
    }

    pub(super) fn on_events_loaded(
        &mut self,
        generation: Generation,
        request: u64,
        stack_id: String,
        result: Result<crate::ops::stack::Polled, String>,
    ) -> Vec<Command> {
        if !self.requests.accepts(Kind::Events, generation, request) {
            return vec![];
        }
        self.requests.settle(Kind::Events);
        self.ticks_since_poll = 0;
        let Some(watch) = self
            .catalog
            .watch
            .as_mut()
            .filter(|w| w.stack.stack_id == stack_id)
        else {
            return vec![];
        };
        match result {
            Ok(polled) => {
                watch.loaded = true;
                let new = watch.stack.append(polled.events);
                if let Some(template) = polled.template {
                    watch.stack.set_template(template);
                }
                let failed = std::mem::take(&mut watch.failed_polls);
                watch.poll_error = None;
                let name = watch.name.clone();
                if new > 0 {
                    self.rebuild_screen(Screen::Events);
                }
                if failed > 0 {
                    // Read from the newest event held: what came
                    // while polls failed is all there, once.
                    self.status = info(format!(
                        "Stack events of {name}: polling works again — caught up with {new} new event{} after {failed} failed poll{}",
                        plural(new),
                        plural(failed as usize),
                    ));
                } else if self.status.kind == StatusKind::Busy && !self.is_busy() {
                    self.status = info(format!(
                        "{} events of {}",
                        self.catalog
                            .watch
                            .as_ref()
                            .map_or(0, |w| w.stack.events().len()),
                        self.catalog.watch.as_ref().map_or("", |w| w.name.as_str())
                    ));
                }
            }
            // A snapshot holds no events of this stack: the screen says why.
            Err(error) if self.snapshot.is_some() => {
                watch.loaded = true;
                watch.poll_error = Some(error);
            }
            Err(error) => {
                watch.failed_polls += 1;
                watch.poll_error = Some(error.clone());
                let every = views::events::elapsed(
                    chrono::TimeDelta::from_std(watch.poll_interval()).unwrap_or_default(),
                );
                self.status = error_status(format!(
                    "Stack events of {}: {} — {} poll{} failed in a row; still polling every {every}, the events will catch up",
                    watch.name,
                    error,
                    watch.failed_polls,
                    plural(watch.failed_polls as usize),
                ));
            }
        }
        vec![]
    }
}
