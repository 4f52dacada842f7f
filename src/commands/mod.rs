//! The headless commands, for scripts and CI: `share`, `accept`, `launch`,
//! `update` and `log`. Each is a thin front over [`crate::ops::act`]: it
//! reads what the plan needs, prints the plan, and only with `--yes`
//! builds a [`Writer`] and acts. Nothing here decides what AWS allows;
//! `ops::act` does.
//!
//! Output: the plan, progress and results on stdout, one fact a line;
//! errors on stderr (by `main`), one line each. Every value that comes
//! from AWS or from the user goes through [`clean`] before it is printed.

pub mod accept;
mod action;
pub mod audit;
pub mod bulk;
mod bulk_json;
pub mod drift;
mod fleet;
mod follow;
mod hub;
pub mod launch;
mod life;
pub mod lint;
pub mod log;
pub mod matrix;
pub mod portfolio;
mod product;
mod provision;
mod repair;
mod resource_drift;
pub mod share;
pub mod shell;
mod sync;
pub mod update;
pub mod version;

use crate::cli::{Cli, Command};
use crate::model::FieldError;
use crate::ops::Connected;
use crate::ops::act::ActError;
use crate::ops::session::{AwsError, Gate, ProfileSource, Refusal, Sessions, Writer};
use crate::settings::Config;

/// Done; or, without `--yes`, the plan was shown and nothing changed.
pub const EXIT_DONE: i32 = 0;
/// The change failed in AWS (an error, a FAILED record, a share that did
/// not complete), or a read the command's own work needs failed (the
/// message says which read; nothing was sent).
pub const EXIT_FAILED: i32 = 1;
/// Refused or invalid input: nothing was sent.
pub const EXIT_REFUSED: i32 = 2;
/// `spoke drift`: something drifts.
pub const EXIT_DRIFT: i32 = 3;
/// Refused because the session is read-only: nothing was sent.
pub const EXIT_READ_ONLY: i32 = 4;
/// `spoke lint --fail-on SEVERITY`: a finding is at least that severe.
pub const EXIT_FINDINGS: i32 = 5;

/// What `--yes` is missing from, printed after a plan.
pub const NOTHING_CHANGED: &str = "Nothing changed: add --yes to do it";

/// Why a command did not do what it was asked; each line is printed on
/// stderr, and the process exits with `code`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .lines.join("\n"))]
pub struct CommandError {
    pub code: i32,
    pub lines: Vec<String>,
}

impl CommandError {
    pub fn new(code: i32, line: impl Into<String>) -> Self {
        Self {
            code,
            lines: vec![clean(&line.into())],
        }
    }

    /// Refused or invalid: nothing was sent.
    pub fn refused(line: impl Into<String>) -> Self {
        Self::new(EXIT_REFUSED, line)
    }

    /// The change (or a call) failed in AWS.
    pub fn failed(line: impl Into<String>) -> Self {
        Self::new(EXIT_FAILED, line)
    }

    /// An error of `ops::act`: field errors name their flag (`fields`
    /// maps the names `ops` uses to flags; other fields are parameters).
    pub fn from_act(error: ActError, fields: &[(&str, &str)]) -> Self {
        let code = if error.sent_nothing() || matches!(error, ActError::Declined(_)) {
            EXIT_REFUSED
        } else {
            EXIT_FAILED
        };
        let lines = match &error {
            ActError::Invalid(errors) => errors.iter().map(|e| field_line(e, fields)).collect(),
            ActError::Refused(why) => vec![format!("refused: {why} — nothing was sent")],
            ActError::Aws(e) => return Self::from_aws(e.clone()),
            ActError::Journal(e) => vec![e.to_string()],
            ActError::Untracked(why) => vec![why.clone()],
            ActError::Declined(why) => vec![format!("refused by AWS: {why} — nothing changed")],
        };
        Self {
            code,
            lines: lines.iter().map(|l| clean(l)).collect(),
        }
    }

    /// The same error with every NoEcho value in `secrets` masked.
    pub fn without(mut self, secrets: &[String]) -> Self {
        for line in &mut self.lines {
            *line = follow::masked(line, secrets);
        }
        self
    }

    /// An AWS error: a profile that cannot be used is the caller's input
    /// (2); anything AWS answered is a failure (1).
    /// A read the command needs failed: which read, why, and that nothing
    /// was sent.
    pub fn from_read(what: &str, error: AwsError) -> Self {
        let code = Self::from_aws(error.clone()).code;
        Self::new(
            code,
            format!("could not read {what}, which this needs: {error} — nothing was sent"),
        )
    }

    pub fn from_aws(error: AwsError) -> Self {
        let code = match error {
            AwsError::UnknownProfile { .. }
            | AwsError::NoRegion { .. }
            | AwsError::ConfigFile { .. } => EXIT_REFUSED,
            _ => EXIT_FAILED,
        };
        Self::new(code, error.to_string())
    }
}

/// `--param Env: "test" is not allowed; allowed: dev, prod`.
fn field_line(error: &FieldError, fields: &[(&str, &str)]) -> String {
    let flag = match fields.iter().find(|(name, _)| *name == error.field) {
        Some((_, flag)) => (*flag).to_string(),
        None => match error.field.strip_prefix("tag:") {
            Some(key) => format!("--tag {key}"),
            None => format!("--param {}", error.field),
        },
    };
    format!("{flag}: {}", error.message)
}

/// Runs the headless command of `cli` (the others — no command, or
/// `sandbox` — are not run here).
pub async fn run(cli: &Cli) -> Result<(), CommandError> {
    let Some(command) = &cli.command else {
        return Ok(());
    };
    crate::output::json::start(command.name(), command.json());
    let result = dispatch(cli).await;
    match &result {
        Ok(()) => crate::output::json::finish(),
        // A verdict (drift found, changes pending, findings at --fail-on)
        // is the result the command printed, not an error of it.
        Err(error) if [EXIT_DRIFT, EXIT_FINDINGS].contains(&error.code) => {
            crate::output::json::finish()
        }
        Err(error) => crate::output::json::error(error.code, &error.lines),
    }
    result
}

async fn dispatch(cli: &Cli) -> Result<(), CommandError> {
    match &cli.command {
        Some(Command::Share(args)) => share::run(cli, args).await,
        Some(Command::Unshare(args)) => share::unshare(cli, args).await,
        Some(Command::Portfolio(args)) => portfolio::run(cli, args).await,
        Some(Command::Accept(args)) => accept::run(cli, args).await,
        Some(Command::Launch(args)) => launch::run(cli, args).await,
        Some(Command::Update(args)) => update::run(cli, args).await,
        Some(Command::Provision(args)) => provision::run(cli, args).await,
        Some(Command::Version(args)) => version::run(cli, args).await,
        Some(Command::Principal(args)) => hub::principal(cli, args).await,
        Some(Command::Product(args)) => product::run(cli, args).await,
        Some(Command::Sync(args)) => sync::run(cli, args).await,
        Some(Command::Export(args)) => sync::export(cli, args).await,
        Some(Command::OptIn(args)) => hub::opt_in(cli, args).await,
        Some(Command::Constraint(args)) => hub::constraint(cli, args).await,
        Some(Command::Records(args)) => life::records(cli, args).await,
        Some(Command::Resources(args)) => life::resources(cli, args).await,
        Some(Command::Outputs(args)) => life::outputs(cli, args).await,
        Some(Command::Parameters(args)) => life::parameters(cli, args).await,
        Some(Command::Terminate(args)) => life::terminate(cli, args).await,
        Some(Command::Repair(args)) => repair::run(cli, args).await,
        Some(Command::Action(args)) => action::run(cli, args).await,
        Some(Command::Drift(args)) => drift::run(cli, args).await,
        Some(Command::Matrix(args)) => matrix::run(cli, args).await,
        Some(Command::Audit(args)) => audit::run(cli, args).await,
        Some(Command::Lint(args)) => lint::run(cli, args).await,
        Some(Command::Log(args)) => log::run(cli, args),
        Some(Command::Completions(args)) => shell::completions(args),
        Some(Command::Man(args)) => shell::man(args),
        Some(Command::Sandbox { .. }) | None => Ok(()),
    }
}

/// What every AWS command starts from: the settings, the profile and
/// region, whether it may change anything, and the sessions (with their
/// gate and journal) of [`crate::ops::session`].
#[derive(Debug, Clone)]
pub struct Context {
    pub profile: String,
    /// `--region`, else the config's (none: the profile's own).
    pub region: Option<String>,
    /// Why the profile is read-only whatever account it reaches, if it
    /// is (refused before any call); the gate decides each account.
    pub read_only: Option<String>,
    /// Where sessions come from, and the gate every writer comes from:
    /// the read-only rules (the flags laid over spoke's config), and the
    /// journal (`--journal`, else the user's), opened by the first writer.
    pub sessions: Sessions,
    /// The bulk update's policy from spoke's config, if it sets one.
    pub bulk_policy: Option<crate::model::OptIn>,
    /// The profile's `template_bucket` from spoke's config.
    pub template_bucket: Option<String>,
    /// The hygiene rules' switches and thresholds (`[lint]`).
    pub lint: crate::ops::lint::LintConfig,
}

impl Context {
    pub fn new(cli: &Cli) -> Result<Self, CommandError> {
        if cli.sandbox {
            return Err(CommandError::refused(
                "--sandbox opens the console only: for a headless command, run `spoke sandbox serve --write-aws-config FILE` and set AWS_CONFIG_FILE=FILE",
            ));
        }
        let config = Config::load(cli.config.as_deref())
            .map_err(|e| CommandError::refused(e.to_string()))?;
        let bulk_policy = config.policy().map_err(CommandError::refused)?;
        let profile = cli
            .profile
            .clone()
            .or(config.profile.clone())
            .unwrap_or_else(|| "default".to_string());
        let template_bucket = config
            .profiles
            .get(&profile)
            .and_then(|p| p.template_bucket.clone());
        let config_name = crate::settings::source_name(cli.config.as_deref());
        let rules = config.read_only_rules(&config_name, cli.read_only, cli.write);
        let read_only = rules.read_only_whatever_account(&profile);
        let journal = cli
            .journal
            .clone()
            .or_else(|| crate::journal::Journal::user_path().ok());
        let sessions = Sessions::new(ProfileSource::user(), config.region.clone(), rules, journal);
        Ok(Self {
            profile,
            region: sessions.region(cli.region.as_deref()),
            read_only,
            sessions,
            lint: config.lint.to_config(bulk_policy.clone()),
            bulk_policy,
            template_bucket,
        })
    }

    /// A mutating command calls this first: when the profile is read-only
    /// whatever account it reaches, it refuses before any call is made
    /// (the gate still decides the account once it is known).
    pub fn refuse_if_read_only(&self, what: &str) -> Result<(), CommandError> {
        match &self.read_only {
            None => Ok(()),
            Some(why) => Err(read_only_error(
                &format!("this session is read-only ({why})"),
                what,
            )),
        }
    }

    /// The gate every writer of this run comes from.
    pub fn gate(&self) -> &Gate {
        self.sessions.gate()
    }

    /// Connects to the profile and asks who we are (one read call); says
    /// whom on stdout.
    pub async fn connect(&self) -> Result<Connected, CommandError> {
        self.connect_saying(false).await
    }

    /// [`Context::connect`], saying whom on stderr (when stdout carries
    /// JSON for a program to read), or on stdout.
    pub async fn connect_saying(&self, on_stderr: bool) -> Result<Connected, CommandError> {
        let conn = self
            .sessions
            .connect(&self.profile, self.region.as_deref())
            .await
            .map_err(CommandError::from_aws)?;
        let banner = format!(
            "{} · {} · {} · {}",
            clean(conn.profile()),
            clean(&conn.identity().account_id),
            clean(&conn.identity().arn),
            clean(conn.region())
        );
        crate::output::json::set(
            "session",
            serde_json::json!({
                "profile": conn.profile(),
                "account": conn.identity().account_id,
                "arn": conn.identity().arn,
                "region": conn.region(),
            }),
        );
        // Who we are is not a result: -q leaves it out.
        if crate::output::quiet() {
            // nothing
        } else if on_stderr {
            eprintln!("{banner}");
        } else {
            crate::say!("{banner}");
        }
        Ok(conn)
    }
}

/// The writer of `conn`'s account, from the gate (which applies the
/// read-only rules to it), journaling to `--journal` or the user's
/// journal. Asked only once the user said `--yes`; `what` says what it is
/// for, in the refusal.
pub fn writer<'a>(conn: &'a Connected, what: &str) -> Result<&'a Writer, CommandError> {
    conn.writer().map_err(|refusal| match refusal {
        Refusal::ReadOnly { .. } => read_only_error(&refusal.to_string(), what),
        Refusal::NoJournal(why) => CommandError::refused(why.clone()),
    })
}

/// "refused: spoke-prod (…) is read-only (…), so spoke will not … — nothing was sent".
fn read_only_error(why: &str, what: &str) -> CommandError {
    CommandError::new(
        EXIT_READ_ONLY,
        format!(
            "refused: {why}, so spoke will not {what} — nothing was sent; run it in a read-write session to change anything"
        ),
    )
}

/// Prints a plan's lines, indented, under a title.
pub fn print_plan(title: &str, lines: &[String]) {
    crate::output::json::plan(
        &clean(title),
        &lines.iter().map(|l| clean(l)).collect::<Vec<_>>(),
    );
    crate::say!("{}", clean(title));
    for line in lines {
        crate::say!("  {}", clean(line));
    }
}

/// Rows as aligned columns (two spaces apart, cells cleaned), a line each.
pub fn aligned<R: AsRef<[String]>>(rows: &[R]) -> String {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (i, c) in row.as_ref().iter().enumerate() {
            let w = clean(c).chars().count();
            match widths.get_mut(i) {
                Some(max) => *max = (*max).max(w),
                None => widths.push(w),
            }
        }
    }
    let mut out = String::new();
    for row in rows {
        let line: Vec<String> = row
            .as_ref()
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{:<w$}", clean(c)))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// Prints that nothing was done, for want of `--yes`.
pub fn print_nothing_changed() {
    crate::output::json::planned();
    crate::say!("{NOTHING_CHANGED}");
}

pub use crate::output::clean;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_never_reach_the_screen() {
        assert_eq!(clean("ok\u{1b}[31mred\u{7}"), "ok\u{FFFD}[31mred\u{FFFD}");
        assert_eq!(clean("a\nb\tc"), "a b c");
        assert_eq!(clean("\u{9b}2J"), "\u{FFFD}2J");
        assert_eq!(clean("abc\u{202E}def"), "abc\u{FFFD}def");
        assert_eq!(clean("Données · ok"), "Données · ok");
    }

    #[test]
    fn field_errors_name_their_flag() {
        let fields = [("name", "--name"), ("accounts", "--account")];
        let error = ActError::Invalid(vec![
            FieldError::new("Env", "\"test\" is not allowed; allowed: dev, prod"),
            FieldError::new("name", "a name is required"),
            FieldError::new("tag:CostCenter", "\"x\" is not allowed"),
        ]);
        let e = CommandError::from_act(error, &fields);
        assert_eq!(e.code, EXIT_REFUSED);
        assert_eq!(
            e.lines,
            [
                "--param Env: \"test\" is not allowed; allowed: dev, prod",
                "--name: a name is required",
                "--tag CostCenter: \"x\" is not allowed",
            ]
        );
        let refused = CommandError::from_act(ActError::Refused("busy".into()), &fields);
        assert_eq!(refused.code, EXIT_REFUSED);
        assert!(refused.lines[0].contains("nothing was sent"));
        let aws = CommandError::from_act(
            ActError::Aws(AwsError::Other {
                operation: "ProvisionProduct".into(),
                detail: "boom".into(),
            }),
            &fields,
        );
        assert_eq!(aws.code, EXIT_FAILED);
    }

    #[test]
    fn an_unknown_profile_is_invalid_input() {
        let e = CommandError::from_aws(AwsError::UnknownProfile {
            profile: "x".into(),
            files: "f".into(),
            hint: "h".into(),
        });
        assert_eq!(e.code, EXIT_REFUSED);
    }
}
