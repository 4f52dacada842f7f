//! The README's headless examples run as written, in their order, on the
//! default world: each line of the `sh` blocks between "Headless commands"
//! and "The sandbox" that calls a subcommand.

use crate::fixtures;

use fixtures::headless::Env;

/// Splits a shell line into words: double quotes group, a `#` outside
/// them starts a comment.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let (mut quoted, mut any) = (false, false);
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            '#' if !quoted => break,
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

/// The headless examples of the README, in order.
fn examples() -> Vec<Vec<String>> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("## Headless commands").expect("the section");
    let end = readme[start..]
        .find("## The sandbox")
        .map_or(readme.len(), |i| start + i);
    let mut in_block = false;
    let mut out = Vec::new();
    for line in readme[start..end].lines() {
        if line.starts_with("```") {
            in_block = line.trim() == "```sh";
            continue;
        }
        let w = words(line);
        // `spoke SUBCOMMAND …`; `spoke --snapshot …` is the console.
        if in_block
            && w.first().is_some_and(|s| s == "spoke")
            && w.get(1).is_some_and(|s| !s.starts_with('-'))
        {
            out.push(w[1..].to_vec());
        }
    }
    out
}

#[test]
fn the_example_lines_are_read_as_a_shell_would() {
    assert_eq!(
        words(r#"spoke share --portfolio "Data & Analytics" --yes   # a comment"#),
        ["spoke", "share", "--portfolio", "Data & Analytics", "--yes"]
    );
    assert!(examples().len() >= 10, "{:?}", examples());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_headless_examples_run_as_written_on_the_default_world() {
    let env = Env::start(60.0).await;
    // The examples name the templates of the repository's folder.
    let catalog = env.dir.path().join("examples").join("catalog");
    std::fs::create_dir_all(&catalog).unwrap();
    for entry in
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/catalog")).unwrap()
    {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), catalog.join(entry.file_name())).unwrap();
    }
    for args in examples() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = env.spoke(&args).await;
        // Never a mistake of the command line; the acting examples succeed.
        assert_ne!(run.code, 2, "spoke {}: {run}", args.join(" "));
        let acts = [
            "share",
            "unshare",
            "portfolio",
            "accept",
            "launch",
            "update",
            "version",
            "log",
            "product",
            "constraint",
            "opt-in",
            "principal",
            "action",
            "provision",
        ]
        .contains(&args[0])
            && !args.contains(&"--drifted")
            && !args.contains(&"--resume");
        if acts {
            assert_eq!(run.code, 0, "spoke {}: {run}", args.join(" "));
        }
        // Drift: 3 (it drifts) or 0; the bulk runs: 0, or 1 when an update
        // of the world's broken versions fails (documented).
        assert!(
            matches!(run.code, 0 | 1 | 3),
            "spoke {}: {run}",
            args.join(" ")
        );
    }
    assert!(env.dir.path().join("audit.json").exists());
    assert!(env.dir.path().join("audit.md").exists());
    assert!(
        env.dir
            .path()
            .join("tables")
            .join("provisioned.csv")
            .exists()
    );
}
