//! `:xray`: the hygiene findings, read off the input path (every account
//! of the fleet, or the one open, with the rules' extra reads — reads
//! only), and Enter on a finding: the plan of the action that fixes it,
//! where spoke has that action, through the same flows as its key.

use std::sync::Arc;

use super::requests::Kind;
use super::{Command, State, busy, error_status, info};
use crate::ops::fleet::Selection;
use crate::ops::lint::Fix;
use crate::tui::screens::{LintShown, Screen};
use crate::tui::views::xray;

impl State {
    /// `:xray` (and R on it): opens the screen and reads the findings.
    pub(super) fn open_xray(&mut self) -> Vec<Command> {
        self.go_to(Screen::Xray);
        self.load_xray()
    }

    pub(super) fn load_xray(&mut self) -> Vec<Command> {
        if self.session.connection().is_none() {
            self.status =
                error_status("Not connected: nothing to read the x-ray from (R retries)".into());
            return vec![];
        }
        let selection = self
            .fleet_selection
            .clone()
            .unwrap_or_else(|| Selection::Profiles {
                names: vec![self.session.profile().to_string()],
            });
        let request = self.requests.issue(Kind::Lint);
        let kept = self.catalog.lint.take().and_then(|l| l.report);
        self.catalog.lint = Some(LintShown {
            loading: true,
            report: kept,
            error: None,
        });
        self.rebuild_screen(Screen::Xray);
        self.status = busy(format!("Reading the x-ray of {}…", selection.describe()));
        vec![Command::Lint {
            generation: self.requests.generation(),
            request,
            selection,
            config: Box::new(self.lint_config.clone()),
        }]
    }

    pub(super) fn on_linted(&mut self, result: Result<Box<crate::ops::lint::Report>, String>) {
        self.requests.settle(Kind::Lint);
        let lint = self.catalog.lint.get_or_insert_with(LintShown::default);
        lint.loading = false;
        match result {
            Ok(report) => {
                self.status = info(format!(
                    "X-ray: {} finding(s) ({} error, {} warning), {} rule(s) not checked, over {} account(s)",
                    report.findings.len(),
                    report.at_least(crate::ops::lint::Severity::Error),
                    report.at_least(crate::ops::lint::Severity::Warning)
                        - report.at_least(crate::ops::lint::Severity::Error),
                    report.unchecked.len(),
                    report.accounts.len()
                ));
                lint.report = Some(Arc::new(*report));
                lint.error = None;
            }
            Err(e) => {
                // The last findings stay, said to be older.
                self.status = error_status(format!("The x-ray could not be read: {e} (R retries)"));
                lint.error = Some(e);
            }
        }
        self.rebuild_screen(Screen::Xray);
    }

    /// Enter on a finding: the plan of its fix, by the flow of its key.
    pub(super) fn drill_finding(&mut self) -> Vec<Command> {
        let Some(key) = self.level().table.selected_key().map(str::to_string) else {
            return vec![];
        };
        let Some(finding) = xray::finding(&self.catalog, &key).cloned() else {
            self.status =
                info("A rule not checked has no fix to open: its input was not read".into());
            return vec![];
        };
        let own = self
            .identity()
            .map(|i| i.account_id.clone())
            .unwrap_or_default();
        let elsewhere = |account: &str| {
            (account != own).then(|| {
                format!(
                    "{} concerns account {account}, not the one open ({own}): open its profile (P), then :xray",
                    finding.rule
                )
            })
        };
        match &finding.fix {
            Fix::Console { what } => {
                self.status = info(format!("Not something spoke does: {what}"));
                vec![]
            }
            Fix::Update {
                account,
                provisioned,
            }
            | Fix::Repair {
                account,
                provisioned,
            } => {
                if let Some(why) = elsewhere(account) {
                    self.status = error_status(why);
                    return vec![];
                }
                let repair = matches!(finding.fix, Fix::Repair { .. });
                self.go_to(Screen::Provisioned);
                if !self.level_mut().table.select_key(provisioned) {
                    self.status = error_status(format!(
                        "{} is no longer on the provisioned screen: R reads again",
                        finding.entity.name
                    ));
                    return vec![];
                }
                if repair {
                    self.start_repair()
                } else {
                    self.start_update()
                }
            }
            Fix::Accept { account, .. } => {
                if let Some(why) = elsewhere(account) {
                    self.status = error_status(format!(
                        "{why} — the share is accepted by the account it is offered to"
                    ));
                    return vec![];
                }
                self.start_accept()
            }
            Fix::OptIn { account, product } => {
                if let Some(why) = elsewhere(account) {
                    self.status = error_status(why);
                    return vec![];
                }
                self.go_to(Screen::Products);
                if !self.level_mut().table.select_key(product) {
                    self.status = error_status(format!(
                        "{} is no longer on the products screen: R reads again",
                        finding.entity.name
                    ));
                    return vec![];
                }
                self.start_opt_in()
            }
            Fix::Share {
                account,
                portfolio,
                target,
            } => {
                if let Some(why) = elsewhere(account) {
                    self.status = error_status(format!(
                        "{why} — a portfolio is shared again by the account that owns it"
                    ));
                    return vec![];
                }
                self.go_to(Screen::Portfolios);
                if !self.level_mut().table.select_key(portfolio) {
                    self.status = error_status(format!(
                        "{portfolio} is no longer on the portfolios screen: R reads again"
                    ));
                    return vec![];
                }
                let commands = self.start_share();
                if let Some(super::act::Dialog::Share { form, .. }) = &mut self.dialog {
                    let key = match target {
                        crate::model::ShareTarget::Organization(_) => "organization",
                        _ => "ou",
                    };
                    form.set_value(key, target.id());
                    self.status = info(format!(
                        "Share again with {} once the accounts its errors name are fixed",
                        target.describe()
                    ));
                }
                commands
            }
        }
    }
}
