//! CSV as spreadsheets read it (RFC 4180), for every table spoke writes.

/// One cell: quoted when it holds a comma, a quote or a line break; a
/// cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is
/// prefixed with `'`.
pub fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// One line of cells, with its line break.
pub fn line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut out = cells
        .iter()
        .map(|c| cell(c.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    out
}

/// Files (name, text) in one zip archive, deflated, in memory: written
/// whole by the caller (atomically, [`crate::files::replace_private`]).
/// Entries carry no time (1980-01-01), so the same tables give the same bytes.
pub fn zipped(files: &[(String, String)]) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o600);
    for (name, text) in files {
        zip.start_file(name.as_str(), options)
            .map_err(std::io::Error::other)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zip_holds_each_file_as_it_is() {
        let files = vec![
            ("a.csv".to_string(), "x,y\n1,2\n".to_string()),
            ("b.csv".to_string(), "é,\"q\"\n".repeat(100)),
        ];
        let bytes = zipped(&files).unwrap();
        assert_eq!(
            zipped(&files).unwrap(),
            bytes,
            "the same tables, the same bytes"
        );
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 2);
        for (name, text) in &files {
            let mut entry = archive.by_name(name).unwrap();
            assert_eq!(entry.compression(), zip::CompressionMethod::Deflated);
            let mut read = String::new();
            std::io::Read::read_to_string(&mut entry, &mut read).unwrap();
            assert_eq!(&read, text);
        }
    }

    #[test]
    fn cells_are_quoted_and_never_formulas() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(line(&["a", "b,c"]), "a,\"b,c\"\n");
    }
}
