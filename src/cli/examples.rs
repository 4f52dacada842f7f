//! An example for every command, shown by its `--help` (and `-h`) under
//! its description, above what it already says after (the exit codes).
//! Kept in one table so none is forgotten: a test walks the command tree.

use clap::CommandFactory;

use super::Cli;

/// (the command's path under `spoke`, an example of it).
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "sandbox",
        "spoke sandbox serve --port 4566 --write-aws-config /tmp/sandbox.config",
    ),
    (
        "sandbox serve",
        "spoke sandbox serve --accounts 3 --products 10 --provisioned-per-account 5 --write-aws-config /tmp/sandbox.config",
    ),
    (
        "share",
        "spoke share --portfolio Platform --account 222233334444 --yes",
    ),
    (
        "portfolio",
        "spoke portfolio create --name Platform --provider 'Platform team' --yes",
    ),
    (
        "portfolio create",
        "spoke portfolio create --name Platform --provider 'Platform team' --yes",
    ),
    (
        "portfolio update",
        "spoke portfolio update --portfolio Platform --description 'Shared building blocks' --yes",
    ),
    (
        "portfolio delete",
        "spoke portfolio delete --portfolio Platform --yes",
    ),
    (
        "unshare",
        "spoke unshare --portfolio Platform --account 222233334444 --yes",
    ),
    (
        "accept",
        "spoke accept --profile spoke-dev --portfolio port-abc123 --yes",
    ),
    (
        "launch",
        "spoke launch --product vpc --name team-a-vpc --param CidrBlock=10.1.0.0/16 --yes",
    ),
    ("update", "spoke update --provisioned team-a-vpc --yes"),
    (
        "provision",
        "spoke provision --product vpc --name team-a-vpc --param CidrBlock=10.1.0.0/16 --outputs vpc.json --yes",
    ),
    (
        "product",
        "spoke product create --name vpc --owner platform --template vpc.yaml --portfolio Platform --yes",
    ),
    (
        "product create",
        "spoke product create --name vpc --owner platform --template vpc.yaml --portfolio Platform --yes",
    ),
    (
        "product update",
        "spoke product update --product vpc --description 'A VPC with two subnets' --yes",
    ),
    (
        "product add",
        "spoke product add --product vpc --portfolio Platform --yes",
    ),
    (
        "product remove",
        "spoke product remove --product vpc --portfolio Platform --yes",
    ),
    ("sync", "spoke sync catalog/ --profile hub --yes"),
    ("export", "spoke export catalog/ --profile hub"),
    (
        "principal",
        "spoke principal add --portfolio Platform --principal role/Developer --yes",
    ),
    (
        "principal add",
        "spoke principal add --portfolio Platform --principal role/Developer --yes",
    ),
    (
        "principal remove",
        "spoke principal remove --portfolio Platform --principal role/Developer --yes",
    ),
    ("opt-in", "spoke opt-in --product vpc --yes"),
    (
        "constraint",
        "spoke constraint add --portfolio Platform --product vpc --launch-role SCLaunchRole --yes",
    ),
    (
        "constraint add",
        "spoke constraint add --portfolio Platform --product vpc --launch-role SCLaunchRole --yes",
    ),
    (
        "constraint remove",
        "spoke constraint remove --id cons-abc123 --yes",
    ),
    (
        "version",
        "spoke version deprecate --product vpc --version v1 --yes",
    ),
    (
        "version deprecate",
        "spoke version deprecate --product vpc --version v1 --yes",
    ),
    (
        "version undeprecate",
        "spoke version undeprecate --product vpc --version v1 --yes",
    ),
    (
        "version deactivate",
        "spoke version deactivate --product vpc --version v1 --yes",
    ),
    (
        "version activate",
        "spoke version activate --product vpc --version v1 --yes",
    ),
    (
        "version add",
        "spoke version add --product vpc --name v3 --template vpc.yaml --yes",
    ),
    (
        "version delete",
        "spoke version delete --product vpc --version v1 --yes",
    ),
    (
        "version update",
        "spoke version update --product vpc --version v3 --description 'Two NAT gateways' --yes",
    ),
    ("records", "spoke records --provisioned team-a-vpc"),
    (
        "resources",
        "spoke resources --provisioned team-a-vpc --format json",
    ),
    ("outputs", "spoke outputs --provisioned team-a-vpc"),
    ("parameters", "spoke parameters --provisioned team-a-vpc"),
    (
        "terminate",
        "spoke terminate --provisioned team-a-vpc --yes",
    ),
    ("repair", "spoke repair --provisioned team-a-vpc --yes"),
    (
        "action",
        "spoke action run --provisioned team-a-vpc --action Restart --yes",
    ),
    ("action list", "spoke action list --provisioned team-a-vpc"),
    (
        "action run",
        "spoke action run --provisioned team-a-vpc --action Restart --yes",
    ),
    (
        "drift",
        "spoke drift --profiles spoke-dev,spoke-prod --drifted-only",
    ),
    (
        "matrix",
        "spoke matrix --profile hub --org-role OrganizationAccountAccessRole --format csv",
    ),
    (
        "audit",
        "spoke audit --profiles spoke-dev,spoke-prod --out audit.zip",
    ),
    (
        "lint",
        "spoke lint --profile hub --format sarif --fail-on error",
    ),
    ("log", "spoke log --tail 20"),
    (
        "completions",
        "spoke completions bash > ~/.local/share/bash-completion/completions/spoke",
    ),
    ("man", "spoke man | man -l -"),
];

/// The example of the command at `path`.
pub fn example(path: &str) -> Option<&'static str> {
    EXAMPLES.iter().find(|(p, _)| *p == path).map(|(_, e)| *e)
}

/// spoke's command line: [`Cli`]'s, with each command's example.
pub fn command() -> clap::Command {
    with_examples(Cli::command(), "")
}

fn with_examples(mut cmd: clap::Command, path: &str) -> clap::Command {
    if let Some(example) = example(path) {
        let after = cmd
            .get_after_help()
            .map(|a| format!("\n\n{a}"))
            .unwrap_or_default();
        cmd = cmd.after_help(format!("Example:\n  {example}{after}"));
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(&name, |sub| with_examples(sub, &sub_path));
    }
    cmd
}
