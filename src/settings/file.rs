//! What every settings file shares (the keymap, the theme): reading it if
//! it exists, laying it over the defaults, and reporting a mistake in it
//! (its path, line and column, and what was expected) while the defaults
//! are used.

use std::fmt;
use std::path::Path;

use super::dirs::user_file;

/// A user's settings file that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub path: String,
    /// 1-based line and column, when the mistake has a place.
    pub line: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for FileError {}

impl FileError {
    /// A mistake at byte `offset` of `text`.
    pub fn at(path: &str, text: &str, offset: usize, message: impl Into<String>) -> Self {
        Self {
            path: path.to_string(),
            line: Some(line_col(text, offset)),
            message: message.into(),
        }
    }

    /// A mistake somewhere in `span` (a byte range) of `text`, or nowhere.
    pub fn in_span(
        path: &str,
        text: &str,
        span: Option<std::ops::Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
        match span {
            Some(span) => Self::at(path, text, span.start, message),
            None => Self {
                path: path.to_string(),
                line: None,
                message: message.into(),
            },
        }
    }

    /// A TOML syntax or shape error.
    pub fn toml(path: &str, text: &str, error: &toml::de::Error) -> Self {
        let message = error.message().trim().replace('\n', " ");
        Self::in_span(path, text, error.span(), message)
    }
}

/// The text of a user's file: `None` if it does not exist.
pub fn read_optional(path: &Path) -> Result<Option<String>, FileError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(FileError {
            path: path.display().to_string(),
            line: None,
            message: format!("cannot read it: {e}"),
        }),
    }
}

/// The defaults with the user's file `name` (at `path`, else in spoke's config
/// directory) laid over them by `overlay`. A file with a mistake is not used:
/// the defaults are, and the mistake comes back to be shown.
pub fn load_layered<T: Clone>(
    defaults: &T,
    name: &str,
    path: Option<&Path>,
    overlay: impl FnOnce(&T, &str, &str) -> Result<T, FileError>,
) -> (T, Option<FileError>) {
    let Some(path) = path.map(Path::to_path_buf).or_else(|| user_file(name)) else {
        return (defaults.clone(), None);
    };
    let text = match read_optional(&path) {
        Ok(Some(text)) => text,
        Ok(None) => return (defaults.clone(), None),
        Err(e) => return (defaults.clone(), Some(e)),
    };
    match overlay(defaults, &text, &path.display().to_string()) {
        Ok(layered) => (layered, None),
        Err(e) => (defaults.clone(), Some(e)),
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_from_one() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, 9), (2, 3));
        assert_eq!(line_col(text, 999), (3, 1));
    }

    #[test]
    fn errors_name_the_place() {
        let e = FileError::at("/x/keymap.toml", "a\nbc", 3, "expected a key");
        assert_eq!(e.to_string(), "/x/keymap.toml:2:2: expected a key");
        let e = FileError::in_span("/x/theme.toml", "", None, "cannot read it");
        assert_eq!(e.to_string(), "/x/theme.toml: cannot read it");
    }

    #[test]
    fn a_missing_file_is_no_file() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_optional(&dir.path().join("none.toml")).unwrap(), None);
        let e = read_optional(dir.path()).unwrap_err();
        assert!(e.message.starts_with("cannot read it"), "{e}");
    }
}
