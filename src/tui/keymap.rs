//! Keys → actions, from `assets/keymap.toml` (embedded) with the user's
//! `keymap.toml` laid over it. The help overlay and the hint bar are
//! generated from the same bindings, so they never disagree with the keys.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use toml::Spanned;

use super::settings::{self, FileError};

/// The keymap shipped with spoke.
pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

macro_rules! actions {
    ($($variant:ident => $name:literal,)*) => {
        /// Everything a key can do outside text input.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($variant,)*
        }

        impl Action {
            /// Every action, in the order the help lists them.
            pub const ALL: &[Action] = &[$(Action::$variant,)*];

            /// The name in the keymap file.
            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }

            pub fn from_name(name: &str) -> Option<Action> {
                match name {
                    $($name => Some(Action::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

actions! {
    Down => "down",
    Up => "up",
    Top => "top",
    Bottom => "bottom",
    PageDown => "page_down",
    PageUp => "page_up",
    Drill => "drill",
    Back => "back",
    ShowConstraints => "show_constraints",
    ScreenPortfolios => "screen_portfolios",
    ScreenProducts => "screen_products",
    ScreenConstraints => "screen_constraints",
    ScreenProvisioned => "screen_provisioned",
    ScreenEvents => "screen_events",
    Command => "command",
    Profiles => "profiles",
    Filter => "filter",
    SortNext => "sort_next",
    SortReverse => "sort_reverse",
    Mark => "mark",
    MarkAll => "mark_all",
    ClearMarks => "clear_marks",
    Detail => "detail",
    Follow => "follow",
    Share => "share",
    Accept => "accept",
    Launch => "launch",
    Update => "update",
    BulkUpdate => "bulk_update",
    Export => "export",
    Refresh => "refresh",
    Calls => "calls",
    Help => "help",
    Quit => "quit",
}

/// A key as the keymap names it: modifiers normalized so that what the
/// terminal sends and what the file says compare equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

const KEY_NAMES: &str = "up, down, left, right, home, end, pgup, pgdn, enter, esc, tab, \
                         backspace, delete, insert, space, f1 … f12";

impl Key {
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Self {
        Self::normalize(code, modifiers)
    }

    pub fn char(c: char) -> Self {
        Self::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    /// The key of a terminal event.
    pub fn from_event(event: &KeyEvent) -> Self {
        Self::normalize(event.code, event.modifiers)
    }

    fn normalize(code: KeyCode, modifiers: KeyModifiers) -> Self {
        let mut modifiers =
            modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            // The character already says whether shift was held.
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::Char(if c.is_ascii_lowercase() {
                    c.to_ascii_uppercase()
                } else {
                    c
                })
            }
            KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            // Terminals send Ctrl-\ ] ^ _ as bytes 0x1C–0x1F, which crossterm
            // reports as Ctrl-4 … Ctrl-7.
            KeyCode::Char(c @ '4'..='7') if modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(['\\', ']', '^', '_'][(c as u8 - b'4') as usize])
            }
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        };
        Key { code, modifiers }
    }

    /// Parses `j`, `G`, `?`, `space`, `enter`, `ctrl-a`, `shift-tab`, `f5`…
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut rest = text;
        let mut modifiers = KeyModifiers::NONE;
        loop {
            let lower = rest.to_ascii_lowercase();
            let prefix = [
                ("ctrl-", KeyModifiers::CONTROL),
                ("alt-", KeyModifiers::ALT),
                ("shift-", KeyModifiers::SHIFT),
            ]
            .into_iter()
            .find(|(p, _)| lower.starts_with(p) && rest.len() > p.len());
            match prefix {
                Some((p, m)) => {
                    modifiers |= m;
                    rest = &rest[p.len()..];
                }
                None => break,
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => return Err("an empty key, expected one character or a key name".into()),
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pgup" | "pageup" => KeyCode::PageUp,
                "pgdn" | "pgdown" | "pagedown" => KeyCode::PageDown,
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" if modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                "space" => KeyCode::Char(' '),
                name => match name.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    Some(n @ 1..=12) => KeyCode::F(n),
                    _ => {
                        return Err(format!(
                            "unknown key `{text}`, expected one character or a name ({KEY_NAMES}), \
                             with ctrl-, alt- or shift- before it"
                        ));
                    }
                },
            },
        };
        Ok(Self::normalize(code, modifiers))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Insert => f.write_str("Ins"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

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
    lookup: HashMap<Key, Action>,
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
        settings::user_file("keymap.toml")
    }

    /// The defaults with the user's file (`path`, else [`Keymap::user_path`])
    /// laid over them. A file with a mistake is not used: the defaults are,
    /// and the mistake comes back to be shown.
    pub fn load(path: Option<&Path>) -> (Keymap, Option<FileError>) {
        settings::load_layered(Self::defaults(), "keymap.toml", path, |d, text, path| {
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
            // action had it.
            for other in bindings.iter_mut() {
                if other.action != *action && !rebound.contains(&other.action) {
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
                lookup.entry(*key).or_insert(binding.action);
            }
        }
        Keymap { bindings, lookup }
    }

    /// The action of a key press, if it has one.
    pub fn action(&self, event: &KeyEvent) -> Option<Action> {
        self.lookup.get(&Key::from_event(event)).copied()
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

fn index(action: Action) -> usize {
    Action::ALL
        .iter()
        .position(|a| *a == action)
        .expect("every action is in Action::ALL")
}

/// One action as a file gives it.
struct Spec {
    span: std::ops::Range<usize>,
    keys: Option<Vec<Key>>,
    help: Option<String>,
    group: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    actions: BTreeMap<Spanned<String>, Spanned<RawSpec>>,
}

/// `down = ["j"]` or `[actions.down] keys = ["j"] help = "…"`.
#[derive(Default)]
struct RawSpec {
    keys: Option<Vec<Spanned<String>>>,
    help: Option<String>,
    group: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    keys: Option<Vec<Spanned<String>>>,
    help: Option<String>,
    group: Option<String>,
}

impl<'de> Deserialize<'de> for RawSpec {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SpecVisitor;
        impl<'de> Visitor<'de> for SpecVisitor {
            type Value = RawSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of keys, or a table with `keys`, `help` and `group`")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawSpec, A::Error> {
                let keys = Vec::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(RawSpec {
                    keys: Some(keys),
                    ..RawSpec::default()
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawSpec, A::Error> {
                let t = RawTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RawSpec {
                    keys: t.keys,
                    help: t.help,
                    group: t.group,
                })
            }
        }
        deserializer.deserialize_any(SpecVisitor)
    }
}

/// The actions of a keymap file, checked: known names, valid keys, no key
/// bound twice.
fn parse_file(text: &str, path: &str) -> Result<Vec<(Action, Spec)>, FileError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| FileError::toml(path, text, &e))?;
    let mut actions = Vec::new();
    let mut owner: HashMap<Key, Action> = HashMap::new();
    for (name, spec) in raw.actions {
        let Some(action) = Action::from_name(name.get_ref()) else {
            let names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
            return Err(FileError::in_span(
                path,
                text,
                Some(name.span()),
                format!(
                    "unknown action `{}`, expected one of: {}",
                    name.get_ref(),
                    names.join(", ")
                ),
            ));
        };
        let span = spec.span();
        let spec = spec.into_inner();
        let keys = match spec.keys {
            None => None,
            Some(list) => {
                let mut keys = Vec::with_capacity(list.len());
                for text_key in list {
                    let key = Key::parse(text_key.get_ref()).map_err(|message| {
                        FileError::in_span(path, text, Some(text_key.span()), message)
                    })?;
                    if let Some(other) = owner.insert(key, action)
                        && other != action
                    {
                        return Err(FileError::in_span(
                            path,
                            text,
                            Some(text_key.span()),
                            format!(
                                "key `{}` is bound to both `{}` and `{}`",
                                text_key.get_ref(),
                                other.name(),
                                action.name()
                            ),
                        ));
                    }
                    if !keys.contains(&key) {
                        keys.push(key);
                    }
                }
                Some(keys)
            }
        };
        actions.push((
            action,
            Spec {
                span,
                keys,
                help: spec.help,
                group: spec.group,
            },
        ));
    }
    Ok(actions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn the_embedded_keymap_binds_every_action() {
        let keymap = Keymap::defaults();
        for &action in Action::ALL {
            let binding = keymap.binding(action);
            assert!(!binding.keys.is_empty(), "{action:?} has no key");
            assert!(!binding.help.is_empty(), "{action:?} has no help");
        }
        assert_eq!(
            keymap.groups().iter().map(|(g, _)| *g).collect::<Vec<_>>(),
            [
                "Move",
                "Navigate",
                "Table",
                "Stack events",
                "Act",
                "Console"
            ]
        );
    }

    #[test]
    fn keys_parse_as_the_file_writes_them() {
        let cases: &[(&str, KeyCode, KeyModifiers)] = &[
            ("j", KeyCode::Char('j'), KeyModifiers::NONE),
            ("G", KeyCode::Char('G'), KeyModifiers::NONE),
            ("shift-g", KeyCode::Char('G'), KeyModifiers::NONE),
            ("?", KeyCode::Char('?'), KeyModifiers::NONE),
            ("-", KeyCode::Char('-'), KeyModifiers::NONE),
            ("down", KeyCode::Down, KeyModifiers::NONE),
            ("ctrl-a", KeyCode::Char('a'), KeyModifiers::CONTROL),
            ("Ctrl-A", KeyCode::Char('a'), KeyModifiers::CONTROL),
            ("ctrl-\\", KeyCode::Char('\\'), KeyModifiers::CONTROL),
            ("ctrl--", KeyCode::Char('-'), KeyModifiers::CONTROL),
            ("shift-tab", KeyCode::BackTab, KeyModifiers::NONE),
            ("space", KeyCode::Char(' '), KeyModifiers::NONE),
            ("enter", KeyCode::Enter, KeyModifiers::NONE),
            ("esc", KeyCode::Esc, KeyModifiers::NONE),
            ("pgup", KeyCode::PageUp, KeyModifiers::NONE),
            ("pgdn", KeyCode::PageDown, KeyModifiers::NONE),
            ("alt-f5", KeyCode::F(5), KeyModifiers::ALT),
        ];
        for (text, code, modifiers) in cases {
            assert_eq!(
                Key::parse(text).unwrap(),
                Key {
                    code: *code,
                    modifiers: *modifiers
                },
                "{text}"
            );
        }
        assert!(Key::parse("").is_err());
        assert!(Key::parse("f13").is_err());
        let e = Key::parse("dwon").unwrap_err();
        assert!(e.contains("unknown key `dwon`"), "{e}");
    }

    #[test]
    fn terminal_events_find_their_action() {
        let keymap = Keymap::defaults();
        let cases = [
            (press(KeyCode::Char('j'), KeyModifiers::NONE), Action::Down),
            (press(KeyCode::Down, KeyModifiers::NONE), Action::Down),
            // Terminals report G with shift held.
            (
                press(KeyCode::Char('G'), KeyModifiers::SHIFT),
                Action::Bottom,
            ),
            (
                press(KeyCode::Char('a'), KeyModifiers::CONTROL),
                Action::MarkAll,
            ),
            // Ctrl-\ arrives as Ctrl-4 from a plain terminal.
            (
                press(KeyCode::Char('4'), KeyModifiers::CONTROL),
                Action::ClearMarks,
            ),
            (
                press(KeyCode::Char('\\'), KeyModifiers::CONTROL),
                Action::ClearMarks,
            ),
            (press(KeyCode::Char(' '), KeyModifiers::NONE), Action::Mark),
            (press(KeyCode::Char('?'), KeyModifiers::SHIFT), Action::Help),
            (press(KeyCode::Enter, KeyModifiers::NONE), Action::Drill),
            (press(KeyCode::Esc, KeyModifiers::NONE), Action::Back),
            (
                press(KeyCode::Char('3'), KeyModifiers::NONE),
                Action::ScreenConstraints,
            ),
        ];
        for (event, action) in cases {
            assert_eq!(keymap.action(&event), Some(action), "{event:?}");
        }
        assert_eq!(
            keymap.action(&press(KeyCode::Char('z'), KeyModifiers::NONE)),
            None
        );
    }

    #[test]
    fn a_user_file_rebinds_and_takes_keys_from_the_defaults() {
        let keymap = Keymap::defaults()
            .overlay(
                "[actions]\ndown = [\"n\", \"down\"]\n\n[actions.quit]\nkeys = [\"j\"]\nhelp = \"leave\"\n",
                "/home/op/.config/spoke/keymap.toml",
            )
            .unwrap();
        let key = |c| press(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(keymap.action(&key('n')), Some(Action::Down));
        assert_eq!(keymap.action(&key('j')), Some(Action::Quit));
        assert_eq!(keymap.action(&key('q')), None);
        assert_eq!(keymap.help(Action::Quit), "leave");
        assert_eq!(keymap.binding(Action::Down).keys_label(), "n/↓");
        // Actions the file leaves alone keep their keys and help.
        assert_eq!(keymap.action(&key('k')), Some(Action::Up));
        assert_eq!(keymap.help(Action::Up), "previous row");
    }

    #[test]
    fn a_bad_file_names_its_line_and_what_was_expected() {
        let path = "/home/op/.config/spoke/keymap.toml";
        let bad = |text: &str| Keymap::defaults().overlay(text, path).unwrap_err();

        let e = bad("[actions]\ndown = [\"j\"]\ndwon = [\"n\"]\n");
        assert_eq!(e.line, Some((3, 1)), "{e}");
        assert!(
            e.to_string().starts_with(&format!(
                "{path}:3:1: unknown action `dwon`, expected one of: down, up"
            )),
            "{e}"
        );

        let e = bad("[actions]\n\ndown = [\"j\", \"pgdwn\"]\n");
        assert_eq!(e.line, Some((3, 14)), "{e}");
        assert!(e.message.contains("unknown key `pgdwn`"), "{e}");

        let e = bad("[actions]\ndown = [\"x\"]\nup = [\"x\"]\n");
        assert_eq!(e.line, Some((3, 7)), "{e}");
        assert!(e.message.contains("bound to both `down` and `up`"), "{e}");

        let e = bad("[actions.down]\nkyes = [\"x\"]\n");
        assert_eq!(e.line.map(|l| l.0), Some(2), "{e}");
        assert!(e.message.contains("unknown field `kyes`"), "{e}");

        let e = bad("[actions]\ndown = 3\n");
        assert_eq!(e.line.map(|l| l.0), Some(2), "{e}");
        assert!(e.message.contains("a list of keys"), "{e}");

        let e = bad("[actions\n");
        assert_eq!(e.line.map(|l| l.0), Some(1), "{e}");

        let e = bad("[keys]\n");
        assert!(e.message.contains("unknown field `keys`"), "{e}");
    }

    #[test]
    fn load_uses_the_defaults_when_the_file_is_bad_or_missing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keymap.toml");
        let (keymap, error) = Keymap::load(Some(&path));
        assert_eq!(&keymap, Keymap::defaults());
        assert_eq!(error, None);

        std::fs::write(&path, "[actions]\nup = [\"e\"]\n").unwrap();
        let (keymap, error) = Keymap::load(Some(&path));
        assert_eq!(error, None);
        assert_eq!(keymap.keys(Action::Up), [Key::char('e')]);

        std::fs::write(&path, "[actions]\nup = [\"nope-key\"]\n").unwrap();
        let (keymap, error) = Keymap::load(Some(&path));
        assert_eq!(&keymap, Keymap::defaults());
        let error = error.unwrap();
        assert_eq!(error.path, path.display().to_string());
        assert_eq!(error.line, Some((2, 7)));
    }

    #[test]
    fn keys_read_well_in_the_help() {
        let keymap = Keymap::defaults();
        assert_eq!(keymap.binding(Action::Down).keys_label(), "j/↓");
        assert_eq!(keymap.binding(Action::ClearMarks).keys_label(), "Ctrl-\\");
        assert_eq!(keymap.key_label(Action::Mark).as_deref(), Some("Space"));
        assert_eq!(keymap.binding(Action::PageUp).keys_label(), "PgUp/Ctrl-b");
    }
}
