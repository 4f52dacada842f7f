//! The shell's side of the command line: examples in every `--help`,
//! completions, the man page, and the global -q/-v/--color flags.

use super::*;

fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
    Cli::try_parse_args(std::iter::once("spoke").chain(args.iter().copied()))
}

/// Every command under `cmd`, with its path ("version add").
fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<(String, clap::Command)>) {
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let p = if path.is_empty() {
            sub.get_name().to_string()
        } else {
            format!("{path} {}", sub.get_name())
        };
        out.push((p.clone(), sub.clone()));
        walk(sub, &p, out);
    }
}

/// Shell words, single quotes kept together; stops at `>` or `|`.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '\'' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            '>' | '|' if !quoted => break,
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

#[test]
fn every_command_says_what_it_does_and_shows_an_example() {
    let mut all = Vec::new();
    walk(&command(), "", &mut all);
    assert!(all.len() > 40, "the tree: {}", all.len());
    for (path, cmd) in &all {
        let about = cmd.get_about().map(|a| a.to_string()).unwrap_or_default();
        assert!(
            about.chars().next().is_some_and(char::is_uppercase) && about.len() > 10,
            "`spoke {path}` has no description: {about:?}"
        );
        let after = cmd
            .get_after_help()
            .map(|a| a.to_string())
            .unwrap_or_default();
        let example = after
            .lines()
            .skip_while(|l| *l != "Example:")
            .nth(1)
            .unwrap_or_else(|| panic!("`spoke {path}` --help shows no example:\n{after}"));
        let example = example.trim();
        assert!(
            example.starts_with(&format!("spoke {path}")),
            "`spoke {path}`'s example is of another command: {example}"
        );
        let args = words(example);
        parse(&args[1..].iter().map(String::as_str).collect::<Vec<_>>())
            .unwrap_or_else(|e| panic!("`{example}` does not parse: {e}"));
    }
    // No example for a command that is not there.
    for (path, _) in EXAMPLES {
        assert!(
            all.iter().any(|(p, _)| p == path),
            "no command `spoke {path}`"
        );
    }
    let help = command()
        .find_subcommand_mut("drift")
        .unwrap()
        .render_help()
        .to_string();
    assert!(help.contains("Example:\n  spoke drift"), "{help}");
    assert!(help.contains("Exit codes"), "the exit codes stay: {help}");
}

#[test]
fn the_global_output_flags() {
    let cli = parse(&["drift", "-q"]).unwrap();
    assert!(cli.quiet && cli.verbose == 0);
    let cli = parse(&["-vv", "drift"]).unwrap();
    assert_eq!(cli.verbose, 2);
    assert!(parse(&["drift", "-q", "-v"]).is_err(), "-q and -v conflict");
    assert_eq!(parse(&["drift"]).unwrap().color, ColorChoice::Auto);
    assert_eq!(
        parse(&["--color", "never", "drift"]).unwrap().color,
        ColorChoice::Never
    );
    assert!(parse(&["--color", "sometimes"]).is_err());
    // `spoke log -v` keeps meaning whole lines.
    let cli = parse(&["log", "-v"]).unwrap();
    assert_eq!(cli.verbose, 1);
    assert!(matches!(
        cli.command,
        Some(Command::Man(_)) | Some(Command::Log(_))
    ));
    assert!(matches!(
        parse(&["completions", "zsh"]).unwrap().command,
        Some(Command::Completions(CompletionsArgs { shell: Shell::Zsh }))
    ));
    assert!(parse(&["completions", "tcsh"]).is_err());
}

#[test]
fn completions_read_profiles_and_cached_products_only() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        "[default]\nregion = us-east-1\n[profile hub]\nregion = eu-west-1\n[profile spoke-dev]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = hub\n",
    )
    .unwrap();
    let credentials = dir.path().join("credentials");
    std::fs::write(
        &credentials,
        "[ci]\naws_access_key_id = AKIA\naws_secret_access_key = x\n",
    )
    .unwrap();
    let source = crate::aws::ProfileSource::generated(config, "http://127.0.0.1:1");
    assert_eq!(profile_names(&source), ["default", "hub", "spoke-dev"]);
    // Nothing there: no candidates, no error.
    let none = crate::aws::ProfileSource::generated(dir.path().join("absent"), "http://x");
    assert!(profile_names(&none).is_empty());

    let cache_dir = dir.path().join("inventory");
    assert!(
        product_names(&cache_dir).is_empty(),
        "no cache, no candidates"
    );
    let cache = crate::ops::Cache::at(&cache_dir);
    let sandbox = crate::ops::Cache::at(cache_dir.join("sandbox"));
    let mut inventory = crate::model::Inventory::empty(
        crate::model::CallerIdentity {
            account_id: "111122223333".into(),
            arn: "arn:aws:iam::111122223333:user/a".into(),
            user_id: "a".into(),
        },
        "us-east-1",
        chrono::Utc::now(),
    );
    let product = |name: &str| crate::model::Product {
        id: format!("prod-{name}"),
        arn: "arn".into(),
        name: name.to_string(),
        owner: "o".into(),
        product_type: "CLOUD_FORMATION_TEMPLATE".into(),
        description: None,
        distributor: None,
        created: None,
        origin: crate::model::ProductOrigin::Unknown,
        portfolio_ids: Vec::new(),
        versions: Vec::new(),
        tag_options: None,
    };
    inventory.products = vec![product("vpc"), product("Data Lake")];
    cache.save("hub", "us-east-1", &inventory).unwrap();
    inventory.products = vec![product("vpc"), product("bucket")];
    sandbox.save("hub", "us-east-1", &inventory).unwrap();
    std::fs::write(cache_dir.join("broken@x.json"), "{not json").unwrap();
    assert_eq!(product_names(&cache_dir), ["Data Lake", "bucket", "vpc"]);
}
