//! `spoke man`: roff that `man -l` renders, and a page per command.

use super::{installed, spoke};

#[test]
fn the_man_page_renders_with_man() {
    let dir = tempfile::tempdir().unwrap();
    let out = spoke(dir.path(), &[], &["man"]);
    assert!(out.status.success(), "{out:?}");
    let roff = String::from_utf8(out.stdout).unwrap();
    assert!(
        roff.starts_with(".ie"),
        "roff: {}",
        &roff[..roff.len().min(200)]
    );
    assert!(roff.contains(".SH NAME") && roff.contains(".SH SYNOPSIS"));
    let page = dir.path().join("spoke.1");
    std::fs::write(&page, &roff).unwrap();
    if installed("man") {
        let shown = std::process::Command::new("man")
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "100")
            .args(["-P", "cat", "-l"])
            .arg(&page)
            .output()
            .unwrap();
        assert!(shown.status.success(), "man -l: {shown:?}");
        let text = String::from_utf8_lossy(&shown.stdout);
        assert!(text.contains("NAME") && text.contains("SYNOPSIS"), "{text}");
        assert!(text.contains("spoke"), "{text}");
    } else {
        println!("note: man is not installed: `man -l` of the page skipped");
    }

    let pages = dir.path().join("pages");
    let out = spoke(dir.path(), &[], &["man", "--out", pages.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    for name in [
        "spoke.1",
        "spoke-drift.1",
        "spoke-sandbox-serve.1",
        "spoke-version-add.1",
    ] {
        let text =
            std::fs::read_to_string(pages.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(text.contains(".SH SYNOPSIS"), "{name}");
    }
}
