//! Files only their owner can read: directories 0700, files 0600.
//! Everything spoke writes for the user (cache, journal, exports) goes
//! through here.

use std::io::Write;
use std::path::Path;

/// Creates `dir` and its parents, each new one readable by the owner only.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Writes a new file only its owner can read, and syncs it.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Writes `bytes` to `path` through a temporary file in the same
/// directory, renamed over it: a reader sees the old file or the new one,
/// never half of one.
pub fn replace_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("spoke");
    let temp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4()));
    let written = write_private(&temp, bytes).and_then(|()| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// Opens `path` for appending, creating it readable by the owner only.
/// An existing file keeps its mode unless others can read it, in which
/// case it is narrowed to 0600.
pub fn open_append_private(path: &Path) -> std::io::Result<std::fs::File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.append(true).create(true).read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let file = opts.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata()?.permissions().mode();
        if mode & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    #[cfg(unix)]
    fn files_and_directories_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        replace_private(&nested.join("x.json"), b"{}").unwrap();
        assert_eq!(mode(&nested), 0o700);
        assert_eq!(mode(&nested.join("x.json")), 0o600);
        replace_private(&nested.join("x.json"), b"[]").unwrap();
        assert_eq!(std::fs::read(nested.join("x.json")).unwrap(), b"[]");
        assert_eq!(
            std::fs::read_dir(&nested).unwrap().count(),
            1,
            "no temp file left"
        );

        let log = dir.path().join("log.jsonl");
        std::fs::write(&log, "").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
        open_append_private(&log).unwrap();
        assert_eq!(mode(&log), 0o600, "a file others could read is narrowed");
    }
}
