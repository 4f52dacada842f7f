//! The names that tie a world file together (accounts, TagOptions, products,
//! portfolios) and the lookups that turn a name into its id or say, at the
//! name's line, that it is unknown.

use std::collections::BTreeMap;

use chrono::Duration;
use toml::Spanned;

use super::error::{Source, WorldError};
use super::parse_age;
use super::schema::default_region;
use crate::sandbox::world::{Time, World};

pub(super) struct Names<'a> {
    pub(super) src: &'a Source<'a>,
    /// The moment the world is loaded; ages count back from it.
    pub(super) now: Time,
    /// Account name → account id.
    pub(super) accounts: BTreeMap<String, String>,
    /// (key, value) → TagOption id.
    pub(super) tags: BTreeMap<(String, String), String>,
    /// Product name → product id.
    pub(super) products: BTreeMap<String, String>,
    /// (owner account id, portfolio name) → portfolio id.
    pub(super) portfolios: BTreeMap<(String, String), String>,
}

impl<'a> Names<'a> {
    pub(super) fn new(src: &'a Source<'a>, now: Time) -> Self {
        Self {
            src,
            now,
            accounts: BTreeMap::new(),
            tags: BTreeMap::new(),
            products: BTreeMap::new(),
            portfolios: BTreeMap::new(),
        }
    }

    pub(super) fn account(&self, s: &Spanned<String>) -> Result<String, WorldError> {
        self.accounts.get(s.get_ref()).cloned().ok_or_else(|| {
            let known: Vec<&str> = self.accounts.keys().map(String::as_str).collect();
            self.src.on(
                s,
                format!(
                    "unknown account `{}`; the accounts are: {}",
                    s.get_ref(),
                    known.join(", ")
                ),
            )
        })
    }

    pub(super) fn product(&self, s: &Spanned<String>) -> Result<String, WorldError> {
        self.products.get(s.get_ref()).cloned().ok_or_else(|| {
            self.src.on(
                s,
                format!(
                    "unknown product `{}`: declare it under [[products]]",
                    s.get_ref()
                ),
            )
        })
    }

    /// TagOption ids of `key=value` names, each declared under `[[tag_options]]`.
    pub(super) fn tag_ids(&self, list: &[Spanned<String>]) -> Result<Vec<String>, WorldError> {
        list.iter()
            .map(|s| {
                let (k, v) = s
                    .get_ref()
                    .split_once('=')
                    .ok_or_else(|| self.src.on(s, "a TagOption is written `key=value`"))?;
                self.tags
                    .get(&(k.to_string(), v.to_string()))
                    .cloned()
                    .ok_or_else(|| {
                        self.src.on(
                            s,
                            format!(
                                "unknown TagOption `{}`: declare it under [[tag_options]] first",
                                s.get_ref()
                            ),
                        )
                    })
            })
            .collect()
    }

    /// The moment an age (`40d`) names, or `default_days` before now when none is given.
    pub(super) fn age(
        &self,
        s: Option<&Spanned<String>>,
        default_days: i64,
    ) -> Result<Time, WorldError> {
        match s {
            None => Ok(self.now - Duration::days(default_days)),
            Some(s) => parse_age(s.get_ref()).map(|d| self.now - d).ok_or_else(|| {
                self.src.on(
                    s,
                    format!(
                        "invalid age `{}`: expected a number and a unit, like 40d, 3h, 15m or 90s",
                        s.get_ref()
                    ),
                )
            }),
        }
    }
}

/// The home region of an account (the default region when it is unknown).
pub(super) fn region_of(w: &World, id: &str) -> String {
    w.accounts
        .get(id)
        .map(|a| a.region.clone())
        .unwrap_or_else(default_region)
}
