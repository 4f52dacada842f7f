use clap::CommandFactory;

use super::sandbox::parse_expire_after;
use super::*;
use crate::sandbox::WorldSource;

fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
    Cli::try_parse_args(std::iter::once("spoke").chain(args.iter().copied()))
}

fn serve(args: &[&str]) -> Result<ServeArgs, clap::Error> {
    let mut all = vec!["sandbox", "serve"];
    all.extend_from_slice(args);
    match parse(&all)?.command {
        Some(Command::Sandbox {
            command: SandboxCommand::Serve(s),
        }) => Ok(s),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn the_definition_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn no_subcommand_opens_the_console() {
    let cli = parse(&["--profile", "hub", "--read-only", "--sandbox"]).unwrap();
    assert!(cli.command.is_none());
    assert_eq!(cli.profile.as_deref(), Some("hub"));
    assert!(cli.read_only && cli.sandbox);
    assert!(!cli.profile_from_env);
}

#[test]
fn serve_takes_faults_and_a_generated_world() {
    let s = serve(&[
        "--accounts",
        "3",
        "--products",
        "10",
        "--provisioned-per-account",
        "5",
        "--throttle-rate",
        "0.1",
        "--expire-account",
        "spoke-dev",
        "spoke-prod",
        "--expire-after",
        "spoke-dev=40",
        "--reset-rate",
        "0.02",
        "--speed",
        "20",
        "--port",
        "4566",
    ])
    .unwrap();
    let opts = s.sandbox_options();
    assert_eq!(opts.port, 4566);
    assert!(matches!(
        opts.world,
        WorldSource::Generated {
            accounts: 3,
            products: 10,
            provisioned_per_account: 5
        }
    ));
    assert_eq!(opts.faults.throttle_rate, 0.1);
    assert_eq!(opts.faults.expired_accounts, ["spoke-dev", "spoke-prod"]);
    assert_eq!(opts.faults.expire_after, [("spoke-dev".to_string(), 40)]);
    assert_eq!(opts.faults.reset_rate, 0.02);
    assert_eq!(opts.speed, 20.0);
    assert!(parse_expire_after("spoke-dev").is_err());
    assert!(parse_expire_after("=4").is_err());
    assert!(parse_expire_after("a=x").is_err());
}

#[test]
fn the_headless_commands_take_their_flags() {
    let cli = parse(&[
        "--journal",
        "/tmp/j.jsonl",
        "launch",
        "--profile",
        "spoke-dev",
        "--product",
        "S3 Bucket",
        "--name",
        "b",
        "--param",
        "Url=a=b",
        "--tag",
        "CostCenter=platform",
        "--yes",
    ])
    .unwrap();
    assert_eq!(
        cli.journal.as_deref(),
        Some(std::path::Path::new("/tmp/j.jsonl"))
    );
    assert_eq!(cli.profile.as_deref(), Some("spoke-dev"));
    match cli.command {
        Some(Command::Launch(l)) => {
            assert_eq!(l.params, [("Url".to_string(), "a=b".to_string())]);
            assert_eq!(l.tags[0].0, "CostCenter");
            assert!(l.yes && !l.no_wait);
        }
        other => panic!("unexpected {other:?}"),
    }
    let share = parse(&["share", "--portfolio", "P", "--account", "1", "2", "--yes"]).unwrap();
    assert!(matches!(share.command, Some(Command::Share(s)) if s.accounts == ["1", "2"]));
    assert!(parse(&["launch", "--product", "p", "--name", "n", "--param", "x"]).is_err());
    // --add-to needs --role and --portfolio; listing needs neither.
    assert!(parse(&["accept", "--portfolio", "port-1", "--add-to", "L"]).is_err());
    assert!(parse(&["accept", "--add-to", "L", "--role", "R"]).is_err());
    assert!(matches!(
        parse(&["accept"]).unwrap().command,
        Some(Command::Accept(AcceptArgs {
            portfolio: None,
            ..
        }))
    ));
    let log = parse(&["log", "--json", "--tail", "3"]).unwrap();
    assert!(matches!(
        log.command,
        Some(Command::Log(LogArgs {
            json: true,
            tail: Some(3),
            ..
        }))
    ));
    assert_eq!(log.verbose, 0);
}

#[test]
fn rates_outside_zero_to_one_are_refused_clearly() {
    let err = serve(&["--error-rate", "1.5"]).unwrap_err().to_string();
    assert!(err.contains("between 0 and 1"), "{err}");
    let err = serve(&["--throttle-rate", "lots"]).unwrap_err().to_string();
    assert!(err.contains("not a number"), "{err}");
    let err = serve(&["--speed", "0"]).unwrap_err().to_string();
    assert!(err.contains("above 0"), "{err}");
}

#[test]
fn a_generated_world_needs_all_three_sizes_and_no_file() {
    assert!(serve(&["--accounts", "3"]).is_err());
    assert!(serve(&["--products", "3"]).is_err());
    assert!(
        serve(&[
            "--accounts",
            "0",
            "--products",
            "1",
            "--provisioned-per-account",
            "1"
        ])
        .is_err()
    );
    assert!(
        serve(&[
            "--world",
            "w.toml",
            "--accounts",
            "1",
            "--products",
            "1",
            "--provisioned-per-account",
            "1"
        ])
        .is_err()
    );
    assert!(matches!(
        serve(&["--world", "w.toml"])
            .unwrap()
            .sandbox_options()
            .world,
        WorldSource::File(_)
    ));
}
