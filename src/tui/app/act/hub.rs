//! The hub's actions in the console: a new local portfolio (`n` on the
//! portfolios), a new product from a template file (`N` on the products), a
//! new version of the selected product (`n` on the products), the
//! auto-update opt-in (`A`) and a portfolio's principals (`i`). Each opens
//! a form; its submit reads the plan ([`crate::ops::act::hub`]) off the
//! input path; the plan is confirmed like every other.

use std::path::PathBuf;

use super::super::{Command, State, error_status, info};
use super::Dialog;
use crate::ops::act;
use crate::ops::act::hub::{HubAction, HubInput};
use crate::ops::act::request::{Prepare, Request};
use crate::tui::screens::Screen;
use crate::tui::widgets::confirm::PlanLine;
use crate::tui::widgets::form::{Field, Form};

/// Which hub form is open, and what it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HubForm {
    Portfolio,
    Product,
    Version { product_id: String, name: String },
    Principal { portfolio_id: String, name: String },
}

fn text(form: &Form, key: &str) -> String {
    form.value(key).unwrap_or_default().trim().to_string()
}

fn optional(form: &Form, key: &str) -> Option<String> {
    Some(text(form, key)).filter(|t| !t.is_empty())
}

/// `~/x` as the home directory's `x`.
fn path_of(form: &Form) -> PathBuf {
    let typed = text(form, "template");
    match typed.strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME")
            .map(|h| PathBuf::from(h).join(rest))
            .unwrap_or_else(|| PathBuf::from(&typed)),
        None => PathBuf::from(typed),
    }
}

impl State {
    /// The bucket a template form starts with: the profile's
    /// `template_bucket`, else one named for the account and region (the
    /// plan says when it would be created).
    fn template_bucket(&self) -> String {
        if let Some(b) = self.template_buckets.get(self.session.profile()) {
            return b.clone();
        }
        let account = self.identity().map_or("", |i| i.account_id.as_str());
        let region = self
            .session
            .connection()
            .map(|c| c.region.clone())
            .or_else(|| self.session.region().map(str::to_string))
            .unwrap_or_default();
        format!("spoke-templates-{account}-{region}")
    }

    fn open_hub_form(&mut self, kind: HubForm, form: Form) -> Vec<Command> {
        let form = form.plan_only(!self.can_act());
        self.dialog = Some(Dialog::Hub {
            kind: Box::new(kind),
            form,
        });
        vec![]
    }

    /// `n`: a new local portfolio (portfolios) or a new version of the
    /// selected product (products).
    pub(in crate::tui::app) fn start_new(&mut self) -> Vec<Command> {
        match self.screen() {
            Screen::Principals => self.principal_form(true, ""),
            Screen::Portfolios => {
                let form = Form::new("New local portfolio")
                    .intro("A portfolio of this account; share it, or add imported products to it.")
                    .field(Field::text("name", "Name").required().max_len(100))
                    .field(
                        Field::text("provider", "Provider")
                            .required()
                            .max_len(50)
                            .value(self.session.profile().to_string()),
                    )
                    .field(Field::text("description", "Description").max_len(2000))
                    .submit_label("Review");
                self.open_hub_form(HubForm::Portfolio, form)
            }
            Screen::Products | Screen::Versions => {
                let Some(product) = self.selected_product().or_else(|| {
                    self.product_in_scope()
                        .and_then(|id| self.catalog.products.iter().find(|p| p.id == id).cloned())
                }) else {
                    self.status =
                        info("Select a product this account owns to add a version to it".into());
                    return vec![];
                };
                if let Err(why) = act::version::owned(&product) {
                    self.status = info(why.to_string());
                    return vec![];
                }
                let next = format!("v{}", product.versions.len() + 1);
                let form = Form::new(format!("New version of {}", product.name))
                    .intro("From a template file: checked, validated by CloudFormation, stored in S3 under a key made from its content.")
                    .field(Field::text("name", "Version").required().value(next))
                    .field(Field::text("description", "Description"))
                    .field(
                        Field::path("template", "Template file")
                            .required()
                            .help("YAML or JSON; Tab completes the path"),
                    )
                    .field(Field::text("bucket", "S3 bucket").value(self.template_bucket()))
                    .submit_label("Review");
                self.open_hub_form(
                    HubForm::Version {
                        product_id: product.id.clone(),
                        name: product.name.clone(),
                    },
                    form,
                )
            }
            _ => {
                self.status = info(
                    "n makes a new local portfolio (portfolios, 1) or a new version of a product (products, 2)"
                        .into(),
                );
                vec![]
            }
        }
    }

    /// `N`: a new product from a template file.
    pub(in crate::tui::app) fn start_new_product(&mut self) -> Vec<Command> {
        let mut locals: Vec<String> = vec!["(none)".into()];
        locals.extend(
            self.catalog
                .portfolios
                .iter()
                .filter(|p| p.origin.is_local())
                .map(|p| format!("{} ({})", p.name, p.id)),
        );
        let form = Form::new("New product")
            .intro("A product of this account with its first version, from a template file.")
            .field(Field::text("name", "Name").required())
            .field(
                Field::text("owner", "Owner")
                    .required()
                    .help("a team or person; free text"),
            )
            .field(Field::text("description", "Description"))
            .field(
                Field::text("version", "First version")
                    .required()
                    .value("v1"),
            )
            .field(
                Field::path("template", "Template file")
                    .required()
                    .help("YAML or JSON; Tab completes the path"),
            )
            .field(Field::text("bucket", "S3 bucket").value(self.template_bucket()))
            .field(Field::choice("portfolio", "Add to portfolio", locals))
            .submit_label("Review");
        self.open_hub_form(HubForm::Product, form)
    }

    /// `A`: opt the selected product in to auto-update, or out if it is in.
    pub(in crate::tui::app) fn start_opt_in(&mut self) -> Vec<Command> {
        let Some(product) = self.selected_product() else {
            self.status = info("Select a product (products, 2) to opt it in to auto-update".into());
            return vec![];
        };
        if let Err(why) = act::opt_in::allowed(&product) {
            self.status = info(why.to_string());
            return vec![];
        }
        let on = product.auto_update() != Some(true);
        let text = format!("Reading the TagOptions of {}…", product.name);
        self.prepare(
            Prepare::Hub(Box::new(HubInput::OptIn {
                product_id: product.id,
                on,
            })),
            &text,
        )
    }

    /// `i` on a portfolio: who may launch from it (a level of its own);
    /// on that level, `i` takes the selected principal off.
    pub(in crate::tui::app) fn start_principal(&mut self) -> Vec<Command> {
        if self.screen() == Screen::Principals && self.overlay.is_none() {
            let selected = self
                .level()
                .table
                .selected_key()
                .filter(|k| k.starts_with("arn:"))
                .map(str::to_string);
            return match selected {
                Some(arn) => self.principal_form(false, &arn),
                None => {
                    self.status = info("Select a principal to take off (n adds one)".into());
                    vec![]
                }
            };
        }
        let Some(portfolio) = self
            .selected_on(Screen::Portfolios)
            .and_then(|id| self.catalog.portfolios.iter().find(|p| p.id == id).cloned())
        else {
            self.status =
                info("Select a portfolio (portfolios, 1) to see who may launch from it".into());
            return vec![];
        };
        self.push(crate::tui::screens::Level::new(
            Screen::Principals,
            crate::tui::screens::Scope::Portfolio {
                id: portfolio.id.clone(),
                name: portfolio.name.clone(),
            },
        ));
        vec![]
    }

    /// Add (`add`) or take off a principal of the portfolio of the
    /// principals level in front.
    fn principal_form(&mut self, add: bool, principal: &str) -> Vec<Command> {
        let (portfolio_id, name) = match &self.level().scope {
            crate::tui::screens::Scope::Portfolio { id, name } => (id.clone(), name.clone()),
            _ => return vec![],
        };
        let form = Form::new(format!("Principals of {name}"))
            .intro("Who may launch its products: IAM roles, users or groups of this account, or name patterns.")
            .field(
                Field::choice("do", "Do", ["add", "remove"])
                    .value(if add { "add" } else { "remove" }),
            )
            .field(
                Field::text("principal", "Principal")
                    .required()
                    .value(principal.to_string())
                    .help("role/NAME, user/NAME, group/NAME, an ARN, or arn:aws:iam:::role/Dev*"),
            )
            .submit_label("Review");
        self.open_hub_form(HubForm::Principal { portfolio_id, name }, form)
    }

    fn selected_product(&self) -> Option<crate::model::Product> {
        self.selected_on(Screen::Products)
            .and_then(|id| self.catalog.products.iter().find(|p| p.id == id).cloned())
    }

    /// A hub form submitted: what it asks, then its plan is read.
    pub(in crate::tui::app) fn submit_hub(
        &mut self,
        kind: HubForm,
        mut form: Form,
    ) -> Vec<Command> {
        form.clear_errors();
        let missing: Vec<String> = form
            .fields()
            .iter()
            .filter(|f| f.is_required())
            .map(|f| f.key().to_string())
            .filter(|k| text(&form, k).is_empty())
            .collect();
        for key in &missing {
            form.set_error(key, "required");
        }
        if !missing.is_empty() {
            form.focus_first_error();
            self.dialog = Some(Dialog::Hub {
                kind: Box::new(kind),
                form,
            });
            return vec![];
        }
        let input = match &kind {
            HubForm::Portfolio => HubInput::CreatePortfolio {
                name: text(&form, "name"),
                provider: text(&form, "provider"),
                description: optional(&form, "description"),
            },
            HubForm::Product => HubInput::CreateProduct {
                name: text(&form, "name"),
                owner: text(&form, "owner"),
                description: optional(&form, "description"),
                version: text(&form, "version"),
                template: path_of(&form),
                bucket: optional(&form, "bucket"),
                portfolio: form
                    .value("portfolio")
                    .filter(|v| *v != "(none)")
                    .and_then(|v| v.rsplit_once('('))
                    .map(|(_, id)| id.trim_end_matches(')').to_string()),
            },
            HubForm::Version { product_id, .. } => HubInput::AddVersion {
                product_id: product_id.clone(),
                name: text(&form, "name"),
                description: optional(&form, "description"),
                template: path_of(&form),
                bucket: optional(&form, "bucket"),
            },
            HubForm::Principal { portfolio_id, .. } => HubInput::Principal {
                portfolio_id: portfolio_id.clone(),
                principal: text(&form, "principal"),
                add: form.selected("do") != Some(1),
            },
        };
        let commands = self.prepare(
            Prepare::Hub(Box::new(input)),
            "Reading what the plan needs…",
        );
        self.dialog = Some(Dialog::Hub {
            kind: Box::new(kind),
            form,
        });
        commands
    }

    /// A hub plan read: confirmed, or reported when there is nothing to do.
    pub(in crate::tui::app) fn on_hub_planned(&mut self, action: HubAction) {
        let title = action.title();
        if action.nothing_to_do() {
            self.dialog = Some(Dialog::Report {
                title,
                lines: action.lines(),
                ok: true,
            });
            return;
        }
        let lines = action.lines().into_iter().map(PlanLine::text).collect();
        self.confirm(Request::Hub(Box::new(action)), &title, lines, None);
    }

    /// A hub plan that could not be read: its mistakes next to their
    /// fields, the form kept.
    pub(in crate::tui::app) fn on_hub_refused(&mut self, failure: &act::request::ActFailure) {
        if let Some(Dialog::Hub { form, .. }) = self.dialog.as_mut() {
            form.clear_errors();
            let mut elsewhere = Vec::new();
            for e in &failure.fields {
                if !form.set_error(&e.field, e.message.clone()) {
                    elsewhere.push(e.to_string());
                }
            }
            if failure.fields.is_empty() {
                form.set_form_error(failure.message.clone());
            } else if !elsewhere.is_empty() {
                form.set_form_error(elsewhere.join("; "));
            }
            form.focus_first_error();
        } else {
            self.status = error_status(failure.message.clone());
        }
    }
}

/// `S`: which share of a local portfolio to remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnshareChoice {
    pub portfolio: crate::model::Portfolio,
    /// The shares offered, in the form's order.
    pub shares: Vec<crate::model::Share>,
}

impl State {
    /// `S` on a local portfolio: stop sharing it with one of its shares.
    pub(in crate::tui::app) fn start_unshare(&mut self) -> Vec<Command> {
        let Some(portfolio) = self
            .selected_on(Screen::Portfolios)
            .and_then(|id| self.catalog.portfolios.iter().find(|p| p.id == id).cloned())
        else {
            self.status =
                info("Select a local portfolio (portfolios, 1) to stop sharing it".into());
            return vec![];
        };
        if !portfolio.origin.is_local() {
            self.status = error_status(format!(
                "{} is {}: only the account that owns it can stop sharing it",
                portfolio.name,
                portfolio.origin.describe()
            ));
            return vec![];
        }
        if !self
            .catalog
            .read_of(crate::model::Section::Shares, &portfolio.id)
            .is_read()
        {
            self.status = error_status(format!(
                "Whom {} is shared with was not read: nothing to choose from (R reads it again; spoke unshare takes the target by id)",
                portfolio.name
            ));
            return vec![];
        }
        let shares: Vec<crate::model::Share> = self
            .catalog
            .shares_of(&portfolio.id)
            .filter(|s| s.kind != crate::model::ShareKind::OrganizationMemberAccount)
            .cloned()
            .collect();
        if shares.is_empty() {
            self.status = info(format!("{} is shared with no one", portfolio.name));
            return vec![];
        }
        let names = self.names();
        let labels: Vec<String> = shares
            .iter()
            .map(|s| {
                format!(
                    "{} {} · {}",
                    crate::tui::views::portfolios::kind_label(s.kind),
                    names.principal(&s.principal),
                    s.state()
                )
            })
            .collect();
        let form = Form::new(format!("Stop sharing {}", portfolio.name))
            .intro("The accounts lose the imported portfolio; what they launched keeps running.")
            .field(Field::choice("share", "Share", labels))
            .submit_label("Review")
            .plan_only(!self.can_act());
        self.dialog = Some(Dialog::Unshare {
            choice: Box::new(UnshareChoice { portfolio, shares }),
            form,
        });
        vec![]
    }

    /// The share picked: the plan, confirmed by typing the portfolio's name.
    pub(in crate::tui::app) fn submit_unshare(
        &mut self,
        choice: UnshareChoice,
        form: Form,
    ) -> Vec<Command> {
        let Some(share) = form.selected("share").and_then(|i| choice.shares.get(i)) else {
            self.dialog = Some(Dialog::Unshare {
                choice: Box::new(choice),
                form,
            });
            return vec![];
        };
        use crate::model::ShareKind;
        let input = act::share::ShareInput {
            accounts: match share.kind {
                ShareKind::Account => vec![share.principal.clone()],
                _ => Vec::new(),
            },
            ou: (share.kind == ShareKind::OrganizationalUnit).then(|| share.principal.clone()),
            organization: (share.kind == ShareKind::Organization).then(|| share.principal.clone()),
            share_tag_options: false,
            share_principals: false,
        };
        let own = self
            .identity()
            .map_or("", |i| i.account_id.as_str())
            .to_string();
        let existing: Vec<crate::model::Share> = self
            .catalog
            .shares_of(&choice.portfolio.id)
            .cloned()
            .collect();
        match act::share::plan_unshare(&choice.portfolio, &own, &input, Some(&existing)) {
            Ok(plan) => {
                let title = format!("Stop sharing {}", choice.portfolio.name);
                let lines = plan.lines().into_iter().map(PlanLine::text).collect();
                let word = choice.portfolio.name.clone();
                self.confirm_typed(Request::Unshare(Box::new(plan)), &title, lines, word);
            }
            Err(e) => {
                self.status = error_status(e.to_string());
                self.dialog = Some(Dialog::Unshare {
                    choice: Box::new(choice),
                    form,
                });
            }
        }
        vec![]
    }
}

impl State {
    /// `:sync DIR`: the folder read and the hub compared, off the input path.
    pub(in crate::tui::app) fn start_sync(&mut self, dir: &str, prune: bool) -> Vec<Command> {
        let dir = match dir.strip_prefix("~/") {
            Some(rest) => std::env::var_os("HOME")
                .map(|h| PathBuf::from(h).join(rest))
                .unwrap_or_else(|| PathBuf::from(dir)),
            None => PathBuf::from(dir),
        };
        let bucket = self.template_buckets.get(self.session.profile()).cloned();
        let text = format!("Comparing the hub with {}…", dir.display());
        self.prepare(Prepare::Sync { dir, bucket, prune }, &text)
    }

    /// The sync's plan: nothing to do, or the changes, confirmed by
    /// typing `sync` — `prune` when it deletes (read-only: shown, never
    /// confirmed).
    pub(in crate::tui::app) fn on_sync_planned(&mut self, plan: crate::ops::sync::SyncPlan) {
        let title = format!("Sync: {} change(s)", plan.changes.len());
        if plan.in_step() {
            self.dialog = Some(Dialog::Report {
                title: "Sync: in step".into(),
                lines: plan.lines(),
                ok: true,
            });
            return;
        }
        let lines = plan
            .lines()
            .into_iter()
            .map(|l| {
                let tone = if l.starts_with('-') {
                    crate::tui::widgets::confirm::PlanTone::Danger
                } else {
                    crate::tui::widgets::confirm::PlanTone::Normal
                };
                PlanLine::text(l).tone(tone)
            })
            .collect();
        // What deletes is confirmed with the word that says so.
        let word = if plan.deletes() { "prune" } else { "sync" };
        self.confirm_typed(Request::Sync(Box::new(plan)), &title, lines, word.into());
    }
}
