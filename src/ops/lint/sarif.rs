//! A lint report as SARIF 2.1.0, so a pipeline can show the findings as
//! code-scanning alerts: the rules in `tool.driver.rules` with their help,
//! one result per finding located by logical location (the entity's ARN or
//! id, in its account: there is no file), and what could not be checked as
//! notifications of the invocation.

use serde_json::{Value, json};

use super::{Report, Severity, rule};

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The SARIF log of `report`.
pub fn to_sarif(report: &Report) -> Value {
    let rules: Vec<Value> = report
        .rules
        .iter()
        .filter_map(|id| rule(id))
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": { "text": r.title },
                "fullDescription": { "text": r.why },
                "help": { "text": format!("{} Fix: {}", r.why, r.fix) },
                "defaultConfiguration": { "level": level(r.severity) },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let index = report.rules.iter().position(|id| *id == f.rule);
            let qualified = f
                .entity
                .arn
                .clone()
                .unwrap_or_else(|| format!("{}/{}", f.account, f.entity.id));
            let mut result = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": { "text": format!("{} — fix: {}", f.message, f.fix.describe()) },
                "locations": [{
                    "logicalLocations": [{
                        "name": f.entity.name,
                        "fullyQualifiedName": qualified,
                        "kind": f.entity.kind,
                    }],
                    "message": { "text": format!("{} ({})", f.label, f.account) },
                }],
                "partialFingerprints": {
                    "spokeFinding/v1": format!("{}:{}:{}", f.rule, f.account, f.entity.id),
                },
                "properties": {
                    "account": f.account,
                    "profile": f.label,
                    "entityId": f.entity.id,
                },
            });
            if let Some(i) = index {
                result["ruleIndex"] = json!(i);
            }
            result
        })
        .collect();
    let notifications: Vec<Value> = report
        .unchecked
        .iter()
        .map(|u| {
            json!({
                "level": "warning",
                "message": { "text": format!("{} not checked in {}: {}", u.rule, u.label, u.why) },
                "associatedRule": { "id": u.rule },
            })
        })
        .chain(report.accounts.iter().filter_map(|a| {
            Some(json!({
                "level": "error",
                "message": { "text": format!("{} not read: {}", a.label, a.unreachable.as_ref()?) },
            }))
        }))
        .collect();
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "spoke",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                },
            },
            "invocations": [{
                "executionSuccessful": report.accounts.iter().all(|a| a.unreachable.is_none()),
                "endTimeUtc": report.checked_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    })
}
