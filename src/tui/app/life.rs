//! A provisioned product's life in the console: `h` its records, `r` its
//! stack's resources, `t` its outputs, `e` its self-service actions, each a level read when opened (off
//! the input path; the answer comes back as [`Msg::LifeLoaded`], tagged,
//! so an older one is dropped).
//!
//! [`Msg::LifeLoaded`]: super::msg::Msg::LifeLoaded

use super::State;
use super::msg::{Command, Generation};
use super::status::{busy, error_status, info};
use crate::ops::life::{LifeData, LifePart};
use crate::tui::keymap::Action;
use crate::tui::screens::{Level, Life, Scope, Screen, provisioned_scope};
use crate::tui::views::life::{part_of, screen_of};

impl State {
    /// The provisioned product the keys of its life apply to: the one
    /// selected on a provisioned screen, else the one a level is of.
    fn life_subject(&self) -> Result<Scope, String> {
        let level = self.level();
        if let Scope::Provisioned { .. } = &level.scope {
            return Ok(level.scope.clone());
        }
        if level.screen != Screen::Provisioned {
            return Err(
                "records, resources, outputs and actions belong to a provisioned product: select one on the provisioned screen (4)"
                    .into(),
            );
        }
        let key = level
            .table
            .selected_key()
            .ok_or("no provisioned product selected")?;
        provisioned_scope(&self.catalog, key)
    }

    /// `h`, `r`, `t`: opens `screen` (records, resources or outputs) of
    /// the selected provisioned product and reads it.
    pub(super) fn open_life(&mut self, screen: Screen) -> Vec<Command> {
        let Some(part) = part_of(screen) else {
            return vec![];
        };
        let scope = match self.life_subject() {
            Ok(scope) => scope,
            Err(why) => {
                self.status = info(why);
                return vec![];
            }
        };
        let Scope::Provisioned { id, name, stack } = &scope else {
            return vec![];
        };
        let (id, name, stack) = (id.clone(), name.clone(), stack.clone());
        // From one part of its life to another: in place, not stacked.
        if part_of(self.level().screen).is_some() && self.level().scope == scope {
            self.nav.pop();
        }
        if self
            .catalog
            .life
            .as_ref()
            .is_none_or(|l| l.provisioned_id != id)
        {
            self.catalog.life = Some(Life {
                provisioned_id: id.clone(),
                ..Life::default()
            });
        }
        let request = self.requests.issue_untracked();
        if let Some(life) = self.catalog.life.as_mut() {
            life.pending.insert(part, request);
            life.parts.remove(&part);
        }
        self.push(Level::new(screen, scope));
        self.status = busy(format!("Reading the {} of {name}…", part.noun()));
        vec![Command::LoadLife {
            generation: self.requests.generation(),
            request,
            provisioned_id: id,
            stack_id: stack,
            part,
        }]
    }

    pub(super) fn on_life_loaded(
        &mut self,
        generation: Generation,
        request: u64,
        provisioned_id: String,
        part: LifePart,
        result: Result<LifeData, String>,
    ) -> Vec<Command> {
        if !self.requests.current(generation) {
            return vec![];
        }
        let Some(life) = self
            .catalog
            .life
            .as_mut()
            .filter(|l| l.provisioned_id == provisioned_id)
            .filter(|l| l.pending.get(&part) == Some(&request))
        else {
            return vec![];
        };
        life.pending.remove(&part);
        let screen = screen_of(part);
        // The key that opens it again, as the keymap binds it.
        let again = match part {
            LifePart::Records => Action::Records,
            LifePart::Resources => Action::Resources,
            LifePart::Outputs => Action::Outputs,
            LifePart::Parameters => Action::Parameters,
            LifePart::Drift => Action::ResourceDrift,
            LifePart::Actions => Action::ServiceActions,
        };
        let again = self
            .keymap
            .key_label(again)
            .map_or_else(|| "opening it".to_string(), |k| k.to_string());
        self.status = match &result {
            Ok(LifeData::Drift(drift)) => info(format!("Stack drift: {}", drift.summary())),
            Ok(data) => info(format!("{} {}", count(data), part.noun())),
            Err(why) => error_status(format!(
                "{} ({}) failed: {why} — {again} again retries",
                part.operation(),
                part.noun(),
            )),
        };
        life.parts.insert(part, result);
        self.rebuild_screen(screen);
        vec![]
    }

    /// Whether `part` of the provisioned product in `scope` is on its way.
    pub(super) fn life_pending(&self, scope: &Scope, part: LifePart) -> bool {
        let Scope::Provisioned { id, .. } = scope else {
            return false;
        };
        self.catalog
            .life
            .as_ref()
            .is_some_and(|l| &l.provisioned_id == id && l.pending.contains_key(&part))
    }
}

fn count(data: &LifeData) -> usize {
    match data {
        LifeData::Records(r) => r.len(),
        LifeData::Resources(r) => r.len(),
        LifeData::Outputs(o) => o.len(),
        LifeData::Parameters(p) => p.lines.len(),
        LifeData::Drift(d) => d.resources.len(),
        LifeData::Actions(a) => a.len(),
    }
}
