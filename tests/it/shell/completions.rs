//! `spoke completions SHELL`: a script for every shell, valid where the
//! shell is here to say so; the shell's call back answers with the
//! profiles of the AWS files and the products of the inventory cache —
//! and nothing, quietly, when there are none.

use super::{installed, spoke};

const SHELLS: [&str; 5] = ["bash", "zsh", "fish", "powershell", "elvish"];

#[test]
fn a_script_for_every_shell_that_its_shell_accepts() {
    let dir = tempfile::tempdir().unwrap();
    for shell in SHELLS {
        let out = spoke(dir.path(), &[], &["completions", shell]);
        assert!(out.status.success(), "{shell}: {out:?}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains("SPOKE_COMPLETE"), "{shell}: {script}");
        assert!(
            script.contains(env!("CARGO_BIN_EXE_spoke")),
            "{shell} calls this spoke back"
        );
        let checker = match shell {
            "bash" => Some("bash"),
            "zsh" => Some("zsh"),
            _ => None,
        };
        let Some(checker) = checker else { continue };
        if !installed(checker) {
            println!("note: {checker} is not installed: `{checker} -n` of its script skipped");
            continue;
        }
        let file = dir.path().join(format!("spoke.{shell}"));
        std::fs::write(&file, &script).unwrap();
        let check = std::process::Command::new(checker)
            .arg("-n")
            .arg(&file)
            .output()
            .unwrap();
        assert!(check.status.success(), "{checker} -n: {check:?}\n{script}");
    }
}

/// What fish would be offered for the command line `words` (the last one
/// being completed).
fn offered(
    dir: &std::path::Path,
    vars: &[(&str, &std::path::Path)],
    words: &[&str],
) -> Vec<String> {
    let fish = std::path::Path::new("fish");
    let mut all = vars.to_vec();
    all.push(("SPOKE_COMPLETE", fish));
    let mut args = vec!["--", "spoke"];
    args.extend_from_slice(words);
    let out = spoke(dir, &all, &args);
    assert!(out.status.success(), "{out:?}");
    assert!(
        out.stderr.is_empty(),
        "nothing on the user's prompt: {out:?}"
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').next().unwrap_or("").to_string())
        .collect()
}

#[test]
fn the_shell_is_offered_profiles_and_cached_products_without_aws() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing yet: no config, no cache — no candidates and no error.
    assert!(offered(dir.path(), &[], &["drift", "--profile", ""]).is_empty());
    assert!(offered(dir.path(), &[], &["launch", "--product", ""]).is_empty());

    let config = dir.path().join("aws-config");
    std::fs::write(
        &config,
        "[default]\nregion = us-east-1\n[profile hub]\nregion = us-east-1\n[profile spoke-dev]\nregion = us-east-1\n",
    )
    .unwrap();
    let vars = [("AWS_CONFIG_FILE", config.as_path())];
    assert_eq!(
        offered(dir.path(), &vars, &["drift", "--profile", ""]),
        ["default", "hub", "spoke-dev"]
    );
    assert_eq!(
        offered(dir.path(), &vars, &["--profile", "sp"]),
        ["spoke-dev"]
    );
    assert_eq!(
        offered(dir.path(), &vars, &["drift", "--profiles", "hub,"]),
        ["hub,default", "hub,hub", "hub,spoke-dev"]
    );

    // The cache the console writes (XDG_CACHE_HOME/spoke/inventory).
    let cache = dir.path().join("home/.cache/spoke/inventory");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(
        cache.join("hub@us-east-1.json"),
        r#"{"format":1,"profile":"hub","region":"us-east-1","inventory":{"products":[{"name":"vpc"},{"name":"bucket"}]}}"#,
    )
    .unwrap();
    assert_eq!(
        offered(dir.path(), &vars, &["launch", "--product", ""]),
        ["bucket", "vpc"]
    );
    assert_eq!(
        offered(dir.path(), &vars, &["matrix", "--product", "v"]),
        ["vpc"]
    );
    // The command tree itself.
    let commands = offered(dir.path(), &vars, &["dr"]);
    assert_eq!(commands, ["drift"]);
}
