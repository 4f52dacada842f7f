//! Keys → actions, from `assets/keymap.toml` (embedded) with the user's
//! `keymap.toml` laid over it. The help overlay and the hint bar are
//! generated from the same bindings, so they never disagree with the keys.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::settings::{self, FileError};

/// The keymap shipped with spoke.
pub const DEFAULT_KEYMAP: &str = include_str!("../../../assets/keymap.toml");

mod action;
mod file;
mod key;
#[cfg(test)]
mod tests;

pub use action::{Action, Context};
use file::parse_file;
pub use key::Key;

/// One action with its keys and what the help says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub action: Action,
    pub keys: Vec<Key>,
    pub group: String,
    pub help: String,
}

impl Binding {
    /// "j/↓", or "unbound".
    pub fn keys_label(&self) -> String {
        if self.keys.is_empty() {
            return "unbound".into();
        }
        let keys: Vec<String> = self.keys.iter().map(Key::to_string).collect();
        keys.join("/")
    }
}

/// Keys → actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    /// One per action, in [`Action::ALL`] order.
    bindings: Vec<Binding>,
    lookup: HashMap<(Context, Key), Action>,
}

/// A key pressed while typing: a typing action, a character, or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typed {
    /// One of the actions of [`Context::Typing`].
    Do(Action),
    Char(char),
    /// A key that neither does nor types anything here.
    Other,
    /// No key at all: a release, a lone modifier, a lock key.
    Ignored,
}

impl Default for Keymap {
    fn default() -> Self {
        Self::defaults().clone()
    }
}

impl Keymap {
    /// The embedded keymap.
    pub fn defaults() -> &'static Keymap {
        static DEFAULTS: OnceLock<Keymap> = OnceLock::new();
        DEFAULTS.get_or_init(|| {
            Keymap::parse_defaults(DEFAULT_KEYMAP, "assets/keymap.toml")
                .unwrap_or_else(|e| panic!("the embedded keymap is broken: {e}"))
        })
    }

    /// `keymap.toml` in spoke's config directory.
    pub fn user_path() -> Option<PathBuf> {
        settings::dirs::user_file("keymap.toml")
    }

    /// The defaults with the user's file (`path`, else [`Keymap::user_path`])
    /// laid over them. A file with a mistake is not used: the defaults are,
    /// and the mistake comes back to be shown.
    pub fn load(path: Option<&Path>) -> (Keymap, Option<FileError>) {
        settings::file::load_layered(Self::defaults(), "keymap.toml", path, |d, text, path| {
            d.overlay(text, path)
        })
    }

    fn parse_defaults(text: &str, path: &str) -> Result<Keymap, FileError> {
        let file = parse_file(text, path)?;
        let mut bindings = Vec::with_capacity(Action::ALL.len());
        for &action in Action::ALL {
            let Some((_, spec)) = file.iter().find(|(a, _)| *a == action) else {
                return Err(FileError::in_span(
                    path,
                    text,
                    None,
                    format!("action `{}` is missing", action.name()),
                ));
            };
            let missing = |what: &str| {
                FileError::in_span(
                    path,
                    text,
                    Some(spec.span.clone()),
                    format!("action `{}` needs `{what}`", action.name()),
                )
            };
            bindings.push(Binding {
                action,
                keys: spec.keys.clone().ok_or_else(|| missing("keys"))?,
                group: spec.group.clone().ok_or_else(|| missing("group"))?,
                help: spec.help.clone().ok_or_else(|| missing("help"))?,
            });
        }
        Ok(Self::from_bindings(bindings))
    }

    /// This keymap with the actions of `text` rebound.
    pub fn overlay(&self, text: &str, path: &str) -> Result<Keymap, FileError> {
        let file = parse_file(text, path)?;
        let mut bindings = self.bindings.clone();
        let rebound: Vec<Action> = file
            .iter()
            .filter(|(_, s)| s.keys.is_some())
            .map(|(a, _)| *a)
            .collect();
        for (action, spec) in &file {
            let binding = &mut bindings[index(*action)];
            if let Some(help) = &spec.help {
                binding.help = help.clone();
            }
            if let Some(group) = &spec.group {
                binding.group = group.clone();
            }
            let Some(keys) = &spec.keys else { continue };
            binding.keys = keys.clone();
            // A key the user gives to this action leaves whichever default
            // action of the same context had it.
            for other in bindings.iter_mut() {
                if other.action != *action
                    && other.action.context() == action.context()
                    && !rebound.contains(&other.action)
                {
                    other.keys.retain(|k| !keys.contains(k));
                }
            }
        }
        Ok(Self::from_bindings(bindings))
    }

    fn from_bindings(bindings: Vec<Binding>) -> Keymap {
        let mut lookup = HashMap::new();
        for binding in &bindings {
            for key in &binding.keys {
                lookup
                    .entry((binding.action.context(), *key))
                    .or_insert(binding.action);
            }
        }
        Keymap { bindings, lookup }
    }

    /// The action of a key press while browsing, if it has one.
    pub fn action(&self, event: &KeyEvent) -> Option<Action> {
        self.action_in(Context::Browse, event)
    }

    /// The action of a key press in `context`, if it has one.
    pub fn action_in(&self, context: Context, event: &KeyEvent) -> Option<Action> {
        self.lookup.get(&(context, Key::from_event(event))).copied()
    }

    /// What a key press does while typing: its typing action, else the
    /// character it types.
    /// A release or a lone modifier is [`Typed::Ignored`].
    pub fn typed(&self, event: &KeyEvent) -> Typed {
        if event.kind == KeyEventKind::Release
            || matches!(
                event.code,
                KeyCode::Modifier(_)
                    | KeyCode::Null
                    | KeyCode::CapsLock
                    | KeyCode::NumLock
                    | KeyCode::ScrollLock
            )
        {
            return Typed::Ignored;
        }
        if let Some(action) = self.action_in(Context::Typing, event) {
            return Typed::Do(action);
        }
        match typed_char(event) {
            Some(c) => Typed::Char(c),
            None => Typed::Other,
        }
    }

    /// The first key of an action as a hint shows it: `Ctrl-s`.
    pub fn hint(&self, action: Action) -> String {
        self.key_label(action).unwrap_or_else(|| "unbound".into())
    }

    /// `↑/↓`: the first keys of two actions, shown as one hint.
    pub fn hint_pair(&self, first: Action, second: Action) -> String {
        format!("{}/{}", self.hint(first), self.hint(second))
    }

    pub fn binding(&self, action: Action) -> &Binding {
        &self.bindings[index(action)]
    }

    pub fn keys(&self, action: Action) -> &[Key] {
        &self.binding(action).keys
    }

    /// The first key of an action, as the hint bar shows it.
    pub fn key_label(&self, action: Action) -> Option<String> {
        self.keys(action).first().map(Key::to_string)
    }

    pub fn help(&self, action: Action) -> &str {
        &self.binding(action).help
    }

    /// Every binding, in [`Action::ALL`] order.
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The bindings by group, groups in the order they first appear.
    pub fn groups(&self) -> Vec<(&str, Vec<&Binding>)> {
        let mut groups: Vec<(&str, Vec<&Binding>)> = Vec::new();
        for binding in &self.bindings {
            match groups.iter_mut().find(|(g, _)| *g == binding.group) {
                Some((_, list)) => list.push(binding),
                None => groups.push((binding.group.as_str(), vec![binding])),
            }
        }
        groups
    }
}

/// The character a key types, if it types one: not a control character,
/// not with Ctrl or Alt alone (Ctrl and Alt together are AltGr on Windows).
pub fn typed_char(key: &KeyEvent) -> Option<char> {
    let KeyCode::Char(c) = key.code else {
        return None;
    };
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    (ctrl == alt && !c.is_control()).then_some(c)
}

fn index(action: Action) -> usize {
    Action::ALL
        .iter()
        .position(|a| *a == action)
        .expect("every action is in Action::ALL")
}
