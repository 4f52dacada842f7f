//! The keymap file's format: `down = ["j"]` or `[actions.down]` with
//! `keys`, `help` and `group`, each mistake placed at its line.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use toml::Spanned;

use super::action::Context;
use super::{Action, Key};
use crate::settings::FileError;

/// One action as a file gives it.
pub(super) struct Spec {
    pub(super) span: std::ops::Range<usize>,
    pub(super) keys: Option<Vec<Key>>,
    pub(super) help: Option<String>,
    pub(super) group: Option<String>,
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
/// bound twice in one context, no typing key that types a character.
pub(super) fn parse_file(text: &str, path: &str) -> Result<Vec<(Action, Spec)>, FileError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| FileError::toml(path, text, &e))?;
    let mut actions = Vec::new();
    let mut owner: HashMap<(Context, Key), Action> = HashMap::new();
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
                    if action.context() == Context::Typing && key.types_a_character() {
                        return Err(FileError::in_span(
                            path,
                            text,
                            Some(text_key.span()),
                            format!(
                                "`{}` is a typing action, and `{}` types a character that could then never be typed: bind it to a named key (esc, tab, …) or one with ctrl- or alt-",
                                action.name(),
                                text_key.get_ref()
                            ),
                        ));
                    }
                    if let Some(other) = owner.insert((action.context(), key), action)
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
