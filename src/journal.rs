//! The audit trail: every mutating AWS call, written before the call and
//! again with its result.
//!
//! One JSON object per line, appended to `journal.jsonl` in the user's
//! data directory (0600 in a 0700 directory), each line flushed and synced
//! before the call it announces is made. A line cut short by a crash is
//! reported by [`read`] as torn, never read as data, and the next append
//! starts on a line of its own.
//!
//! An intent and its result share an `action` id; a bulk run's items share
//! a `batch` id (so an interrupted run can be resumed from the journal).

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a redacted value (a NoEcho parameter) is written as.
pub const REDACTED: &str = "<redacted: NoEcho>";

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("no home directory to keep the journal in — pass --journal FILE")]
    NoDirectory,
    #[error(
        "cannot write the journal {path}: {source} — nothing was changed; fix the file or pass --journal FILE"
    )]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot read the journal {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

/// Before the call, after it, or — for a request that runs on (a launch,
/// an update) — when it settled: SUCCEEDED or FAILED.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Intent,
    Result,
    /// How the request of `record_id` ended, once followed to its end.
    Settled,
    /// A bulk run's item that was not sent (the run halted: a canary
    /// failed, `--max-failures` reached); its outcome says why. Nothing
    /// was called: `spoke update --resume` sends it later.
    Halted,
}

/// Who acts, where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub profile: String,
    pub account: String,
    pub caller_arn: String,
    pub region: String,
}

/// How a call ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub ok: bool,
    /// The error, or a short summary of what was done.
    pub message: String,
}

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub time: DateTime<Utc>,
    /// Ties an intent to its result.
    pub action: String,
    pub phase: Phase,
    /// A bulk run this call belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<String>,
    #[serde(flatten)]
    pub actor: Actor,
    /// The AWS operation, e.g. `ProvisionProduct`.
    pub operation: String,
    /// The ids acted on: `portfolio_id`, `product_id`, `provisioned_product_id`…;
    /// on a result line also the ids the call answered
    /// (`portfolio_share_token` of an organization or OU share).
    #[serde(default)]
    pub targets: BTreeMap<String, String>,
    /// The request's parameters, NoEcho values as [`REDACTED`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, String>,
    /// The idempotency token sent, so a retry or a resumed run reuses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
}

/// An open journal; cheap to clone, every clone appends to the same file.
#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
    file: Arc<Mutex<std::fs::File>>,
}

impl Journal {
    /// `journal.jsonl` in the user's data directory.
    pub fn user_path() -> Result<PathBuf, JournalError> {
        let dir = crate::settings::dirs::data_dir().ok_or(JournalError::NoDirectory)?;
        Ok(dir.join("journal.jsonl"))
    }

    /// Opens (or creates) the journal at `path`. If the last line was cut
    /// short by a crash, the next entry starts on a new line.
    pub fn open(path: impl Into<PathBuf>) -> Result<Journal, JournalError> {
        let path = path.into();
        let write_err = |source| JournalError::Write {
            path: path.display().to_string(),
            source,
        };
        let mut file = crate::files::open_append_private(&path).map_err(write_err)?;
        let len = file.metadata().map_err(write_err)?.len();
        if len > 0 {
            let mut last = [0u8; 1];
            file.seek(SeekFrom::Start(len - 1)).map_err(write_err)?;
            file.read_exact(&mut last).map_err(write_err)?;
            if last[0] != b'\n' {
                file.write_all(b"\n").map_err(write_err)?;
                file.sync_data().map_err(write_err)?;
            }
        }
        Ok(Journal {
            path,
            file: Arc::new(Mutex::new(file)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `entry` as one line, and syncs it to disk before returning.
    pub fn append(&self, entry: &Entry) -> Result<(), JournalError> {
        let mut line = serde_json::to_vec(entry).expect("a journal entry always serializes");
        line.push(b'\n');
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        file.write_all(&line)
            .and_then(|()| file.sync_data())
            .map_err(|source| JournalError::Write {
                path: self.path.display().to_string(),
                source,
            })
    }
}

/// A journal as read back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contents {
    pub entries: Vec<Entry>,
    /// Lines that are not entries: (line number, why). A torn last line
    /// from a crash shows up here, never as an entry.
    pub bad_lines: Vec<(usize, String)>,
}

impl Contents {
    /// The last settled line of each record id.
    pub fn settled(&self) -> std::collections::HashMap<&str, &Entry> {
        self.entries
            .iter()
            .filter(|e| e.phase == Phase::Settled)
            .filter_map(|e| Some((e.record_id.as_deref()?, e)))
            .collect()
    }

    /// The intents with no result: calls that may or may not have been
    /// made when spoke stopped.
    pub fn unfinished(&self) -> Vec<&Entry> {
        let done: std::collections::HashSet<&str> = self
            .entries
            .iter()
            .filter(|e| e.phase == Phase::Result)
            .map(|e| e.action.as_str())
            .collect();
        self.entries
            .iter()
            .filter(|e| e.phase == Phase::Intent && !done.contains(e.action.as_str()))
            .collect()
    }
}

/// Reads the journal at `path`; a missing file is an empty journal.
pub fn read(path: &Path) -> Result<Contents, JournalError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Contents::default()),
        Err(source) => {
            return Err(JournalError::Read {
                path: path.display().to_string(),
                source,
            });
        }
    };
    Ok(parse(&bytes))
}

/// Parses journal bytes: one entry per complete line.
pub fn parse(bytes: &[u8]) -> Contents {
    let mut contents = Contents::default();
    let complete = bytes.ends_with(b"\n");
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    let last = lines.len().saturating_sub(1);
    for (i, line) in lines.iter().enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let number = i + 1;
        if i == last && !complete {
            contents.bad_lines.push((
                number,
                "cut short (spoke stopped while writing it); not read".into(),
            ));
            continue;
        }
        match serde_json::from_slice::<Entry>(line) {
            Ok(entry) => contents.entries.push(entry),
            Err(e) => contents
                .bad_lines
                .push((number, format!("not an entry: {e}"))),
        }
    }
    contents
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str, phase: Phase) -> Entry {
        Entry {
            time: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            action: action.into(),
            phase,
            batch: None,
            actor: Actor {
                profile: "spoke-dev".into(),
                account: "222233334444".into(),
                caller_arn: "arn:aws:sts::222233334444:assumed-role/Admin/alice".into(),
                region: "us-east-1".into(),
            },
            operation: "ProvisionProduct".into(),
            targets: BTreeMap::from([("product_id".into(), "prod-1".into())]),
            parameters: BTreeMap::from([("DbPassword".into(), REDACTED.into())]),
            token: Some("tok-1".into()),
            record_id: None,
            outcome: None,
        }
    }

    #[test]
    fn appends_lines_and_reads_them_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j/journal.jsonl");
        let journal = Journal::open(&path).unwrap();
        journal.append(&entry("a1", Phase::Intent)).unwrap();
        let mut done = entry("a1", Phase::Result);
        done.outcome = Some(Outcome {
            ok: true,
            message: "record rec-1".into(),
        });
        journal.append(&done).unwrap();
        journal.append(&entry("a2", Phase::Intent)).unwrap();
        let contents = read(&path).unwrap();
        assert_eq!(contents.entries.len(), 3);
        assert!(contents.bad_lines.is_empty());
        assert_eq!(contents.entries[1], done);
        let open: Vec<&str> = contents
            .unfinished()
            .iter()
            .map(|e| e.action.as_str())
            .collect();
        assert_eq!(open, ["a2"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_torn_last_line_is_reported_not_read_and_the_next_entry_starts_clean() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let whole = serde_json::to_string(&entry("a1", Phase::Intent)).unwrap();
        std::fs::write(&path, format!("{whole}\n{}", &whole[..whole.len() / 2])).unwrap();
        let contents = read(&path).unwrap();
        assert_eq!(contents.entries.len(), 1);
        assert_eq!(contents.bad_lines.len(), 1);
        assert!(contents.bad_lines[0].1.contains("cut short"));

        let journal = Journal::open(&path).unwrap();
        journal.append(&entry("a2", Phase::Intent)).unwrap();
        let contents = read(&path).unwrap();
        assert_eq!(contents.entries.len(), 2, "the new entry is whole");
        assert_eq!(contents.bad_lines.len(), 1, "the torn line stays reported");
        assert!(contents.bad_lines[0].1.contains("not an entry"));
    }

    #[test]
    fn garbage_never_panics() {
        for bytes in [&b""[..], b"\n\n", b"{", b"[1,2]\n", b"\xff\xfe\n", b"{}\n"] {
            let contents = parse(bytes);
            assert!(contents.entries.is_empty());
        }
        assert_eq!(
            read(Path::new("/nonexistent/j.jsonl"))
                .unwrap()
                .entries
                .len(),
            0
        );
    }
}
