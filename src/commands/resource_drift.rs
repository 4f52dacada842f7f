//! `spoke drift --resources`: the CloudFormation resource drift of every
//! provisioned product's stack in one account or a fleet
//! ([`crate::ops::resource_drift`]). Without `--yes`, what the last
//! detection saw (nothing sent); with `--yes`, a detection through each
//! account's writer (a read-only account is refused, and its last results
//! are shown instead, said so). Exit 3 when a stack drifts, else 1 when
//! something could not be read or detected, 2 when AWS refused a
//! detection, 4 when a detection was refused as read-only, 0 otherwise.

use serde::Serialize;

use super::{
    CommandError, Context, EXIT_DRIFT, EXIT_FAILED, EXIT_READ_ONLY, EXIT_REFUSED, aligned, clean,
    fleet,
};
use crate::aws::read::concurrently;
use crate::cli::{Cli, DriftArgs, DriftFormat};
use crate::model::{ProvisionedProduct, StackDrift, StackDriftStatus, resource_drift};
use crate::ops::act::ActError;
use crate::ops::fleet::{Member, Writers};
use crate::ops::resource_drift::{self as ops, DETECTION_POLLING};

/// The `schema_version` of this command's JSON.
const SCHEMA_VERSION: u32 = 1;

/// One provisioned product, checked.
struct Checked {
    pp: ProvisionedProduct,
    /// Its drift, or why it could not be read.
    drift: Result<StackDrift, String>,
    /// Why AWS refused the detection asked for (its last results shown).
    declined: Option<String>,
}

/// One account of the selection.
struct Account {
    label: String,
    account: Option<String>,
    unreachable: Option<String>,
    /// Why no detection was made here though `--yes` asked for one.
    refused: Option<String>,
    products: Vec<Checked>,
}

impl Account {
    fn drifted(&self) -> usize {
        self.products
            .iter()
            .filter(|c| matches!(&c.drift, Ok(d) if d.status == StackDriftStatus::Drifted))
            .count()
    }
}

pub async fn run(cli: &Cli, args: &DriftArgs) -> Result<(), CommandError> {
    let json = match args.format {
        DriftFormat::Table => false,
        DriftFormat::Json => true,
        DriftFormat::Csv => {
            return Err(CommandError::refused(
                "--format csv is not for --resources: use table or json",
            ));
        }
    };
    let ctx = Context::new(cli)?;
    let selection = fleet::selection(cli, &ctx);
    let members = fleet::connect_saying(&ctx, &selection, json).await?;
    let writers = if args.yes {
        fleet::writers(&members, ctx.gate()).await
    } else {
        Writers::none()
    };
    let say = |line: String| {
        if json {
            eprintln!("{}", clean(&line));
        } else {
            println!("{}", clean(&line));
        }
    };
    if members.iter().any(|m| writers.get(&m.label).is_some()) {
        say("Detecting drift (DetectStackDrift) of each stack, then reading what it found…".into());
    }
    let wanted = args.provisioned.as_deref();
    let accounts: Vec<Account> = concurrently(members.iter(), |m| {
        check_account(m, &writers, wanted, args.yes)
    })
    .await;
    if let Some(name) = wanted
        && accounts.iter().all(|a| a.products.is_empty())
        && accounts.iter().all(|a| a.unreachable.is_none())
    {
        return Err(CommandError::refused(format!(
            "no provisioned product {name} in {} — nothing was sent",
            selection.describe()
        )));
    }
    let shown = |c: &&Checked| {
        !args.drifted_only || matches!(&c.drift, Ok(d) if d.status == StackDriftStatus::Drifted)
    };
    if json {
        print!("{}", to_json(&accounts, args.yes, &shown));
        crate::output::json::document_written();
    } else {
        print!("{}", table(&accounts, &shown));
        if args.detail {
            print!("{}", detail(&accounts, &shown));
        }
    }
    for a in &accounts {
        for c in &a.products {
            if let Some(why) = &c.declined {
                say(format!(
                    "{} ({}): detection refused by AWS: {why}",
                    c.pp.name, a.label
                ));
            }
        }
        if let Some(why) = &a.refused {
            say(format!(
                "{}: detection refused — {why}; the last detection's results are shown instead",
                a.label
            ));
        }
    }
    if !args.yes {
        say("Nothing was sent: these are the last detection's results; add --yes to detect drift now (DetectStackDrift)".into());
    }
    outcome(&accounts)
}

/// The drift of every provisioned product of `member` (or only `wanted`):
/// detected where `detect` and its writer allow, else the last results.
async fn check_account(
    member: &Member,
    writers: &Writers,
    wanted: Option<&str>,
    detect: bool,
) -> Account {
    let mut account = Account {
        label: member.label.clone(),
        account: member.account.clone(),
        unreachable: None,
        refused: None,
        products: Vec::new(),
    };
    let reader = match &member.reach {
        Ok((_, reader)) => reader,
        Err(e) => {
            account.unreachable = Some(e.to_string());
            return account;
        }
    };
    if account.account.is_none() {
        account.account = reader.account().await.ok();
    }
    let provisioned = match reader.list_provisioned().await {
        Ok(p) => p,
        Err(e) => {
            account.unreachable = Some(e.to_string());
            return account;
        }
    };
    let provisioned: Vec<ProvisionedProduct> = provisioned
        .into_iter()
        .filter(|p| wanted.is_none_or(|w| p.id == w || p.name == w))
        .collect();
    let writer = if detect {
        match writers.get(&member.label) {
            Some(w) => Some(w),
            None => {
                account.refused = Some(match writers.refused(&member.label) {
                    Some(refusal) => refusal.to_string(),
                    None => "no writer for this account".into(),
                });
                None
            }
        }
    } else {
        None
    };
    account.products = concurrently(provisioned, |pp| async move {
        let Some(writer) = writer else {
            let drift = ops::last(reader, &pp).await.map_err(|e| e.to_string());
            return Checked {
                pp,
                drift,
                declined: None,
            };
        };
        match ops::detect(writer, reader, &pp, DETECTION_POLLING, |_| {}).await {
            Ok(drift) => Checked {
                pp,
                drift: Ok(drift),
                declined: None,
            },
            Err(ActError::Declined(why)) => {
                let drift = ops::last(reader, &pp).await.map_err(|e| e.to_string());
                Checked {
                    pp,
                    drift,
                    declined: Some(why),
                }
            }
            Err(e) => Checked {
                pp,
                drift: Err(e.to_string()),
                declined: None,
            },
        }
    })
    .await;
    account
}

/// The exit: drift first, then what kept this from a clean bill of health.
fn outcome(accounts: &[Account]) -> Result<(), CommandError> {
    let drifted: usize = accounts.iter().map(Account::drifted).sum();
    let checked = || accounts.iter().flat_map(|a| &a.products);
    let failed = checked().filter(|c| c.drift.is_err()).count()
        + accounts.iter().filter(|a| a.unreachable.is_some()).count();
    let declined = checked().filter(|c| c.declined.is_some()).count();
    let refused = accounts.iter().filter(|a| a.refused.is_some()).count();
    let gaps = [
        (failed, "could not be read"),
        (declined, "refused by CloudFormation"),
        (refused, "refused as read-only"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect::<Vec<_>>()
    .join(", ");
    let and_gaps = if gaps.is_empty() {
        String::new()
    } else {
        format!(" ({gaps})")
    };
    if drifted > 0 {
        return Err(CommandError::new(
            EXIT_DRIFT,
            format!(
                "{drifted} stack{} drifted from {} template: resources changed outside CloudFormation{and_gaps}",
                if drifted == 1 { "" } else { "s" },
                if drifted == 1 { "its" } else { "their" },
            ),
        ));
    }
    let code = if failed > 0 {
        EXIT_FAILED
    } else if declined > 0 {
        EXIT_REFUSED
    } else if refused > 0 {
        EXIT_READ_ONLY
    } else {
        return Ok(());
    };
    Err(CommandError::new(
        code,
        format!("no stack drifts in what was read, but {gaps}"),
    ))
}

fn when(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map_or_else(
        || "never".into(),
        |t| t.format("%Y-%m-%d %H:%M:%S").to_string(),
    )
}

/// "2 of 3", or "—" when nothing was checked.
fn drifted_count(d: &StackDrift) -> String {
    if d.resources.is_empty() {
        "—".into()
    } else {
        format!("{} of {}", d.drifted().count(), d.resources.len())
    }
}

const HEADER: [&str; 7] = [
    "ACCOUNT",
    "PROVISIONED",
    "ID",
    "STACK DRIFT",
    "RESOURCES DRIFTED",
    "LAST CHECKED",
    "NOTE",
];

fn cells(a: &Account, c: &Checked) -> [String; 7] {
    let (status, count, checked, note) = match &c.drift {
        Ok(d) => (
            d.status.to_string(),
            drifted_count(d),
            when(d.last_checked),
            match (&c.declined, &d.note) {
                (Some(_), _) => {
                    "detection refused by CloudFormation (below); its last results".into()
                }
                (None, Some(note)) => note.clone(),
                (None, None) if d.fresh => "detected now".into(),
                (None, None) if d.last_checked.is_none() => "never checked".into(),
                (None, None) => "last detection".into(),
            },
        ),
        Err(why) => ("NOT READ".into(), "—".into(), "—".into(), why.clone()),
    };
    [
        a.label.clone(),
        c.pp.name.clone(),
        c.pp.id.clone(),
        status,
        count,
        checked,
        note,
    ]
}

/// Aligned columns, then one line per account that could not be read and
/// a total.
fn table(accounts: &[Account], shown: &dyn Fn(&&Checked) -> bool) -> String {
    let mut rows: Vec<[String; 7]> = vec![HEADER.map(str::to_string)];
    for a in accounts {
        rows.extend(a.products.iter().filter(shown).map(|c| cells(a, c)));
    }
    let mut out = aligned(&rows);
    for a in accounts {
        if let Some(why) = &a.unreachable {
            out.push_str(&format!("{}: NOT READ — {}\n", clean(&a.label), clean(why)));
        }
    }
    let checked: usize = accounts.iter().map(|a| a.products.len()).sum();
    let drifted: usize = accounts.iter().map(Account::drifted).sum();
    out.push_str(&format!(
        "{drifted} of {checked} stack{} drifted\n",
        if checked == 1 { "" } else { "s" }
    ));
    out
}

/// Each drifted product's drifted resources and their property differences.
fn detail(accounts: &[Account], shown: &dyn Fn(&&Checked) -> bool) -> String {
    let mut out = String::new();
    for a in accounts {
        for c in a.products.iter().filter(shown) {
            let Ok(d) = &c.drift else { continue };
            if d.drifted().next().is_none() {
                continue;
            }
            out.push_str(&format!(
                "\n{} ({}): {}\n",
                clean(&c.pp.name),
                clean(&a.label),
                clean(&d.summary())
            ));
            for r in d.drifted() {
                out.push_str(&format!(
                    "  {} {} {} {}\n",
                    clean(&r.logical_id),
                    clean(&r.resource_type),
                    r.status,
                    clean(if r.physical_id.is_empty() {
                        "—"
                    } else {
                        &r.physical_id
                    })
                ));
                for diff in &r.differences {
                    out.push_str(&format!(
                        "    {}\n",
                        clean(&resource_drift::difference_line(diff))
                    ));
                }
            }
        }
    }
    out
}

#[derive(Serialize)]
struct JsonAccount<'a> {
    label: &'a str,
    account: Option<&'a str>,
    unreachable: Option<&'a str>,
    /// Why no detection was made though one was asked for.
    detection_refused: Option<&'a str>,
    drifted: usize,
    provisioned: Vec<JsonProduct<'a>>,
}

#[derive(Serialize)]
struct JsonProduct<'a> {
    id: &'a str,
    name: &'a str,
    stack: Option<&'a str>,
    /// The drift as read (`stack_drift_status`, `last_checked`, `fresh`,
    /// `note`, `resources` with their `differences`), or absent with `error`.
    drift: Option<&'a StackDrift>,
    error: Option<&'a str>,
    detection_refused: Option<&'a str>,
}

fn to_json(accounts: &[Account], detected: bool, shown: &dyn Fn(&&Checked) -> bool) -> String {
    let list: Vec<JsonAccount<'_>> = accounts
        .iter()
        .map(|a| JsonAccount {
            label: &a.label,
            account: a.account.as_deref(),
            unreachable: a.unreachable.as_deref(),
            detection_refused: a.refused.as_deref(),
            drifted: a.drifted(),
            provisioned: a
                .products
                .iter()
                .filter(shown)
                .map(|c| JsonProduct {
                    id: &c.pp.id,
                    name: &c.pp.name,
                    stack: c.pp.stack_arn.as_deref(),
                    drift: c.drift.as_ref().ok(),
                    error: c.drift.as_ref().err().map(String::as_str),
                    detection_refused: c.declined.as_deref(),
                })
                .collect(),
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&serde_json::json!({
        "schema_version": SCHEMA_VERSION,
        "detection_asked": detected,
        "accounts": list,
    }))
    .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_not_read_is_never_a_clean_bill() {
        let a = Account {
            label: "spoke-dev".into(),
            account: None,
            unreachable: Some("expired".into()),
            refused: None,
            products: Vec::new(),
        };
        let e = outcome(&[a]).unwrap_err();
        assert_eq!(e.code, EXIT_FAILED);
        assert!(e.lines[0].contains("1 could not be read"), "{e:?}");
        let refused = Account {
            label: "spoke-prod".into(),
            account: None,
            unreachable: None,
            refused: Some("read-only".into()),
            products: Vec::new(),
        };
        assert_eq!(outcome(&[refused]).unwrap_err().code, EXIT_READ_ONLY);
    }
}
