//! The last inventory of each (profile, region), so the console shows
//! something at once while it scans again.
//!
//! One JSON file per (profile, region) under the user's cache directory,
//! readable by the user only (0600, in a 0700 directory), written to a
//! temporary file and renamed so a reader never sees half a file. It holds
//! what the scan read (names, ids, ARNs, statuses), never a credential.

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::model::Inventory;

/// The layout of the cache files; a file of another format is ignored.
const FORMAT: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("no cache directory: the home directory is unknown")]
    NoDirectory,
    #[error("cannot write the inventory cache {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot read the inventory cache {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot encode the inventory: {0}")]
    Encode(#[from] serde_json::Error),
}

/// An inventory from the cache, with how old it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Cached {
    pub inventory: Inventory,
    /// Since the scan that produced it.
    pub age: TimeDelta,
}

impl Cached {
    /// "12s", "5m", "3h", "2d" old.
    pub fn age_label(&self) -> String {
        age_label(self.age)
    }
}

/// A short age: "12s", "5m", "3h", "2d".
pub fn age_label(age: TimeDelta) -> String {
    let s = age.num_seconds().max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    format: u32,
    profile: String,
    region: String,
    inventory: Inventory,
}

/// The inventory cache in one directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The user's cache directory for spoke (e.g. `~/.cache/spoke`).
    pub fn user() -> Result<Self, CacheError> {
        let dir = crate::settings::dirs::cache_dir().ok_or(CacheError::NoDirectory)?;
        Ok(Self::at(dir.join("inventory")))
    }

    /// A cache in `dir` (tests, or a user's override).
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of a (profile, region).
    pub fn path(&self, profile: &str, region: &str) -> PathBuf {
        self.dir
            .join(format!("{}@{}.json", file_part(profile), file_part(region)))
    }

    /// Saves `inventory` as the last of (profile, region), replacing the one
    /// before atomically. Returns the file written.
    pub fn save(
        &self,
        profile: &str,
        region: &str,
        inventory: &Inventory,
    ) -> Result<PathBuf, CacheError> {
        let path = self.path(profile, region);
        let write_err = |source| CacheError::Write {
            path: path.display().to_string(),
            source,
        };
        let bytes = serde_json::to_vec(&Envelope {
            format: FORMAT,
            profile: profile.to_string(),
            region: region.to_string(),
            inventory: inventory.clone(),
        })?;
        crate::files::replace_private(&path, &bytes).map_err(write_err)?;
        Ok(path)
    }

    /// The last inventory of (profile, region), if there is a readable one,
    /// with its age at `now`. A file that does not decode (another format,
    /// damage) is ignored, as if absent.
    pub fn load_at(
        &self,
        profile: &str,
        region: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Cached>, CacheError> {
        let path = self.path(profile, region);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(CacheError::Read {
                    path: path.display().to_string(),
                    source,
                });
            }
        };
        let envelope: Envelope = match serde_json::from_slice(&bytes) {
            Ok(e) => e,
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "inventory cache ignored");
                return Ok(None);
            }
        };
        if envelope.format != FORMAT || envelope.profile != profile || envelope.region != region {
            return Ok(None);
        }
        let age = now - envelope.inventory.scanned_at;
        Ok(Some(Cached {
            inventory: envelope.inventory,
            age,
        }))
    }

    /// [`Cache::load_at`] now.
    pub fn load(&self, profile: &str, region: &str) -> Result<Option<Cached>, CacheError> {
        self.load_at(profile, region, Utc::now())
    }
}

/// A profile or region name as part of a file name: letters, digits and
/// `-_.` kept, anything else as `%XX`, so names never collide or escape.
fn file_part(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_') || (b == b'.' && !out.is_empty()) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out.is_empty() {
        out.push('%');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CallerIdentity;

    fn inventory(at: DateTime<Utc>) -> Inventory {
        Inventory::empty(
            CallerIdentity {
                account_id: "111122223333".into(),
                arn: "arn:aws:sts::111122223333:assumed-role/Admin/alice".into(),
                user_id: "AROA:alice".into(),
            },
            "us-east-1",
            at,
        )
    }

    #[test]
    fn saves_and_loads_with_its_age() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().join("nested"));
        let scanned = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        assert_eq!(cache.load_at("hub", "us-east-1", scanned).unwrap(), None);
        let path = cache.save("hub", "us-east-1", &inventory(scanned)).unwrap();
        let later = scanned + TimeDelta::seconds(300);
        let cached = cache.load_at("hub", "us-east-1", later).unwrap().unwrap();
        assert_eq!(cached.inventory, inventory(scanned));
        assert_eq!(cached.age, TimeDelta::seconds(300));
        assert_eq!(cached.age_label(), "5m");
        // Another profile or region has its own file.
        assert_eq!(cache.load_at("hub", "eu-west-1", later).unwrap(), None);
        assert_eq!(
            cache.load_at("spoke-dev", "us-east-1", later).unwrap(),
            None
        );
        // Saving again replaces it, and leaves no temporary file behind.
        cache.save("hub", "us-east-1", &inventory(later)).unwrap();
        let cached = cache.load_at("hub", "us-east-1", later).unwrap().unwrap();
        assert_eq!(cached.age, TimeDelta::zero());
        let files: Vec<_> = std::fs::read_dir(cache.dir()).unwrap().collect();
        assert_eq!(files.len(), 1, "{files:?}");
        assert!(path.exists());
    }

    #[cfg(unix)]
    #[test]
    fn only_the_user_can_read_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().join("c"));
        let path = cache
            .save("hub", "us-east-1", &inventory(Utc::now()))
            .unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let mode = std::fs::metadata(cache.dir()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    #[test]
    fn a_damaged_or_foreign_file_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        std::fs::write(cache.path("hub", "us-east-1"), b"{not json").unwrap();
        assert_eq!(cache.load("hub", "us-east-1").unwrap(), None);
        let envelope = serde_json::json!({"format": 99, "profile": "hub", "region": "us-east-1", "inventory": inventory(Utc::now())});
        std::fs::write(cache.path("hub", "us-east-1"), envelope.to_string()).unwrap();
        assert_eq!(cache.load("hub", "us-east-1").unwrap(), None);
    }

    #[test]
    fn names_become_safe_file_names() {
        assert_eq!(file_part("spoke-dev"), "spoke-dev");
        assert_eq!(file_part("../etc/passwd"), "%2E.%2Fetc%2Fpasswd");
        assert_eq!(file_part("a b@c"), "a%20b%40c");
        assert_eq!(file_part(""), "%");
        let cache = Cache::at("/c");
        assert_eq!(
            cache.path("hub", "us-east-1"),
            PathBuf::from("/c/hub@us-east-1.json")
        );
        assert_ne!(cache.path("a@b", "c"), cache.path("a", "b@c"));
    }

    #[test]
    fn ages_read_short() {
        assert_eq!(age_label(TimeDelta::seconds(-5)), "0s");
        assert_eq!(age_label(TimeDelta::seconds(59)), "59s");
        assert_eq!(age_label(TimeDelta::seconds(7200)), "2h");
        assert_eq!(age_label(TimeDelta::days(3)), "3d");
    }
}
