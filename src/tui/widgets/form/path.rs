//! Completion of a file path as a shell does it: Tab extends the typed
//! path to what every match shares (a directory gets its `/`); when that
//! adds nothing, the matches are listed. `~/` is the home directory.

use std::path::{Path, PathBuf};

/// What Tab does to `typed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completion {
    /// The path, completed further.
    Extended(String),
    /// Several matches share nothing more: their names (a few).
    Choices(Vec<String>),
    /// Nothing matches (or the directory cannot be read).
    None,
}

fn expand(typed: &str) -> PathBuf {
    match typed.strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME")
            .map(|h| Path::new(&h).join(rest))
            .unwrap_or_else(|| PathBuf::from(typed)),
        None => PathBuf::from(typed),
    }
}

/// Completes `typed`, reading the directory it names.
pub fn complete(typed: &str) -> Completion {
    let (dir_part, stem) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let dir = if dir_part.is_empty() {
        PathBuf::from(".")
    } else {
        expand(dir_part)
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Completion::None;
    };
    let mut matches: Vec<(String, bool)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let hidden = name.starts_with('.') && !stem.starts_with('.');
            (name.starts_with(stem) && !hidden)
                .then(|| (name, e.file_type().is_ok_and(|t| t.is_dir())))
        })
        .collect();
    matches.sort();
    match matches.as_slice() {
        [] => Completion::None,
        [(name, dir)] => {
            Completion::Extended(format!("{dir_part}{name}{}", if *dir { "/" } else { "" }))
        }
        many => {
            let first = &many[0].0;
            let shared = many.iter().fold(first.len(), |n, (name, _)| {
                first
                    .char_indices()
                    .zip(name.chars())
                    .take_while(|((_, a), b)| a == b)
                    .last()
                    .map_or(0, |((i, a), _)| i + a.len_utf8())
                    .min(n)
            });
            if shared > stem.len() {
                Completion::Extended(format!("{dir_part}{}", &first[..shared]))
            } else {
                Completion::Choices(
                    many.iter()
                        .map(|(n, d)| format!("{n}{}", if *d { "/" } else { "" }))
                        .collect(),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_extends_to_what_the_matches_share_then_lists_them() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().display().to_string();
        std::fs::write(dir.path().join("queue-v1.yaml"), "").unwrap();
        std::fs::write(dir.path().join("queue-v2.yaml"), "").unwrap();
        std::fs::create_dir(dir.path().join("nested")).unwrap();
        assert_eq!(
            complete(&format!("{base}/q")),
            Completion::Extended(format!("{base}/queue-v"))
        );
        assert_eq!(
            complete(&format!("{base}/queue-v")),
            Completion::Choices(vec!["queue-v1.yaml".into(), "queue-v2.yaml".into()])
        );
        assert_eq!(
            complete(&format!("{base}/n")),
            Completion::Extended(format!("{base}/nested/"))
        );
        assert_eq!(complete(&format!("{base}/zzz")), Completion::None);
        assert_eq!(complete("/no/such/dir/x"), Completion::None);
    }
}
