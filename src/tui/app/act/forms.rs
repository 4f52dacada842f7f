//! The forms of the actions: built from what `ops::act` read, and read
//! back into its inputs. Parameter fields are keyed `param:KEY`, tag
//! fields `tag:KEY`; an error `ops::act` ties to a field lands next to it.

use std::collections::BTreeMap;

use crate::model::{Portfolio, ShareType};
use crate::ops::act::ActError;
use crate::ops::act::accept::PendingShare;
use crate::ops::act::launch::{LaunchForm, LaunchInput};
use crate::ops::act::share::ShareInput;
use crate::ops::act::update::UpdateForm;
use crate::tui::widgets::confirm::{Confirm, PlanLine};
use crate::tui::widgets::form::{Field, Form};

/// The first option of a tag choice: no tag.
const NO_TAG: &str = "(none)";
/// The first option of the add-products choice.
const DONT_ADD: &str = "(don't add its products now)";
/// The last option of the offered shares: type an id.
const TYPE_ID: &str = "(type a portfolio id below)";
/// The add-products choice that creates the local portfolio.
const NEW_LOCAL: &str = "(a new local portfolio, named below)";

fn param_key(key: &str) -> String {
    format!("param:{key}")
}

/// What the catalog says of the organization, for the share form's help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KnownOrg {
    /// This portfolio is already shared with it.
    SharedWith(String),
    /// Other portfolios are shared with it.
    Seen(String),
    Unknown,
}

/// The submit line of a form, and whether the session is read-only: then
/// the form is marked READ-ONLY and offers no submit key — its plan can
/// still be seen (marked read-only too, with no way to confirm it).
fn review(form: Form, label: &str, read_only: bool) -> Form {
    form.submit_label(label).plan_only(read_only)
}

/// `s`: whom to share `portfolio` with.
pub fn share(portfolio: &Portfolio, organization: &KnownOrg, read_only: bool) -> Form {
    let org_help = match organization {
        KnownOrg::SharedWith(org) => format!("o-… — this portfolio is already shared with {org}"),
        KnownOrg::Seen(org) => format!("o-… — your other portfolios are shared with {org}"),
        KnownOrg::Unknown => "o-… (the organization id, from AWS Organizations)".to_string(),
    };
    let form = Form::new(format!("Share {}", portfolio.name))
        .intro("Share with accounts, an OU or the organization — one kind at a time.")
        .field(Field::note(
            "portfolio",
            "Portfolio",
            format!("{} ({})", portfolio.name, portfolio.id),
        ))
        .field(Field::text("accounts", "Accounts").help(
            "12-digit account ids, separated by commas or spaces; each must accept the share",
        ))
        .field(
            Field::text("ou", "OU")
                .help("ou-… (every account of the OU, through AWS Organizations)"),
        )
        .field(Field::text("organization", "Organization").help(org_help))
        .field(Field::toggle(
            "share_tag_options",
            "Share TagOptions",
            false,
        ))
        .field(
            Field::toggle("share_principals", "Share principals", false).help(
                "organization shares only: the recipients get the portfolio's principal names",
            ),
        );
    review(form, "Review the share", read_only)
}

pub fn share_input(form: &Form) -> ShareInput {
    let text = |k: &str| form.value(k).unwrap_or_default().to_string();
    ShareInput {
        accounts: vec![text("accounts")],
        ou: Some(text("ou")),
        organization: Some(text("organization")),
        share_tag_options: form.is_on("share_tag_options"),
        share_principals: form.is_on("share_principals"),
    }
}

/// What the accept form asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptInput {
    pub portfolio_id: String,
    pub share_type: ShareType,
    /// The portfolio's name and whom it comes from ("hub (111122223333)"),
    /// when the share was picked from those seen.
    pub offered: Option<(String, String)>,
    /// (local portfolio — created if new —, launch role) to add the products to.
    pub add_to: Option<(crate::ops::act::accept::LocalTarget, String)>,
    /// The local portfolio as listed: "Dev Team Catalog (port-…)".
    pub add_to_label: Option<String>,
}

fn share_label(s: &PendingShare) -> String {
    format!(
        "{} ({}) from {} ({})",
        s.portfolio_name, s.portfolio_id, s.owner_profile, s.owner_account
    )
}

fn local_label(p: &Portfolio) -> String {
    format!("{} ({})", p.name, p.id)
}

/// `a`: which share to accept, and where its products go.
pub fn accept(
    shares: &[PendingShare],
    problems: &[String],
    locals: &[&Portfolio],
    read_only: bool,
) -> Form {
    let mut offered: Vec<String> = shares.iter().map(share_label).collect();
    offered.push(TYPE_ID.to_string());
    let intro = match (shares.len(), problems.is_empty()) {
        (0, true) => "No share waiting for this account was seen from your other profiles; type the portfolio id the hub gave you.".to_string(),
        (n, true) => format!("{n} share(s) offered to this account, seen from your other profiles."),
        (_, false) => format!(
            "Some profiles could not be read, so shares may be missing: {}",
            problems.join("; ")
        ),
    };
    let mut add: Vec<String> = vec![DONT_ADD.to_string()];
    add.extend(locals.iter().map(|p| local_label(p)));
    add.push(NEW_LOCAL.to_string());
    let form = Form::new("Accept a portfolio share")
        .intro(intro)
        .field(Field::choice("offered", "Share", offered))
        .field(Field::text("portfolio_id", "Portfolio id").help("port-… — only when typing an id"))
        .field(Field::choice(
            "share_type",
            "Share type",
            ["account share (IMPORTED)", "organization (AWS_ORGANIZATIONS)"],
        ))
        .field(Field::choice("add_to", "Add products to", add).help(
            "hub-and-spoke: add the imported products to a local portfolio with this account's launch role",
        ))
        .field(
            Field::text("new_local", "New portfolio")
                .help("the local portfolio to create — only with “a new local portfolio”"),
        )
        .field(Field::text("role", "Launch role").value("SCLaunchRole").help(
            "a role name every account has (LocalRoleName), or a role ARN",
        ))
        .field(Field::text("principal", "Principals").help(
            "who may launch from the local portfolio: role/NAME, ARNs or patterns, separated by commas",
        ));
    review(form, "Review", read_only)
}

pub fn accept_input(form: &Form, shares: &[PendingShare]) -> Result<AcceptInput, ActError> {
    let chosen = form.selected("offered").and_then(|i| shares.get(i));
    let offered = chosen.map(|s| {
        (
            s.portfolio_name.clone(),
            format!("{} ({})", s.owner_profile, s.owner_account),
        )
    });
    let (portfolio_id, share_type) = match chosen {
        Some(s) => (s.portfolio_id.clone(), s.share_type),
        None => {
            let id = form
                .value("portfolio_id")
                .unwrap_or_default()
                .trim()
                .to_string();
            crate::ops::act::accept::check_portfolio_id(&id).map_err(|m| {
                ActError::Invalid(vec![crate::model::FieldError::new("portfolio_id", m)])
            })?;
            let share_type = if form.selected("share_type") == Some(1) {
                ShareType::Organization
            } else {
                ShareType::Account
            };
            (id, share_type)
        }
    };
    let invalid =
        |field: &str, m: String| ActError::Invalid(vec![crate::model::FieldError::new(field, m)]);
    let new_name = form
        .value("new_local")
        .unwrap_or_default()
        .trim()
        .to_string();
    let add_to_label = match form.value("add_to") {
        Some(NEW_LOCAL) => Some(format!("a new local portfolio {new_name}")),
        Some(label) if label != DONT_ADD => Some(label.to_string()),
        _ => None,
    };
    let principals: Vec<String> = form
        .value("principal")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    let add_to = match form.value("add_to") {
        Some(label) if label != DONT_ADD => {
            let target = if label == NEW_LOCAL {
                if new_name.is_empty() || new_name.chars().count() > 100 {
                    return Err(invalid(
                        "new_local",
                        "the new local portfolio's name: 1 to 100 characters".into(),
                    ));
                }
                crate::ops::act::accept::LocalTarget {
                    wanted: new_name.clone(),
                    create: true,
                    principals,
                }
            } else {
                let id = label
                    .rsplit_once('(')
                    .map(|(_, id)| id.trim_end_matches(')').to_string())
                    .unwrap_or_default();
                crate::ops::act::accept::LocalTarget {
                    wanted: id,
                    create: false,
                    principals,
                }
            };
            let role = form.value("role").unwrap_or_default().trim().to_string();
            crate::ops::act::accept::parse_role(&role).map_err(|m| invalid("role", m))?;
            Some((target, role))
        }
        _ => None,
    };
    Ok(AcceptInput {
        portfolio_id,
        share_type,
        offered,
        add_to,
        add_to_label,
    })
}

/// `V`: which version of `product` to change, and how.
pub fn versions(
    product: &crate::model::Product,
    versions: &[crate::model::Version],
    read_only: bool,
) -> Form {
    let latest = crate::model::latest_version(versions).map(|v| v.id.clone());
    let labels: Vec<String> = versions.iter().map(version_label).collect();
    let mut field = Field::choice("version", "Version", labels);
    if let Some(v) = latest
        .as_ref()
        .and_then(|id| versions.iter().find(|v| &v.id == id))
    {
        field = field.value(version_label(v));
    }
    let form = Form::new(format!("Versions of {}", product.name))
        .intro("The hub's side: what every account that imported it sees at its next read.")
        .field(field)
        .field(Field::choice(
            "action",
            "Do",
            crate::ops::act::version::VersionAction::ALL.map(|a| a.verb().to_string()),
        ));
    review(form, "Review", read_only)
}

pub fn version_label(v: &crate::model::Version) -> String {
    format!("{} ({})", v.label(), v.id)
}

/// The version and the action chosen in the versions form.
pub fn versions_input(
    form: &Form,
    versions: &[crate::model::Version],
) -> Option<(String, crate::ops::act::version::VersionAction)> {
    let version = form.selected("version").and_then(|i| versions.get(i))?;
    let action = form
        .selected("action")
        .and_then(|i| crate::ops::act::version::VersionAction::ALL.get(i).copied())?;
    Some((version.id.clone(), action))
}

/// `l`: the launch form. `kept` holds values typed before the version or
/// path changed, by field key.
pub fn launch(launch: &LaunchForm, kept: &BTreeMap<String, String>, read_only: bool) -> Form {
    let versions: Vec<String> = launch
        .launchable_versions()
        .iter()
        .map(|v| v.label())
        .collect();
    let mut form = review(
        Form::new(format!("Launch {}", launch.product_name)),
        "Review the launch",
        read_only,
    );
    form.push(Field::choice("version", "Version", versions).value(launch.version.label()));
    if launch.paths.len() > 1 {
        let mut paths: Vec<String> = Vec::new();
        if launch.path.is_none() {
            paths.push("(pick a launch path)".into());
        }
        paths.extend(launch.paths.iter().map(path_label));
        let mut field = Field::choice("path", "Launch path", paths)
            .help("this product is in several portfolios; each may constrain it differently");
        if let Some(p) = &launch.path {
            field = field.value(path_label(p));
        }
        form.push(field.required());
    } else if let Some(p) = &launch.path {
        form.push(Field::note("path", "Launch path", path_label(p)));
    }
    if launch.path.is_none() {
        form.set_form_error("Pick a launch path, then Ctrl-s to read its parameters.");
        return form;
    }
    form.push(
        Field::text("name", "Name")
            .required()
            .value(kept.get("name").cloned().unwrap_or_default())
            .help("the provisioned product's name: letters, digits, '.', '_' and '-'"),
    );
    for p in &launch.parameters.parameters {
        let key = param_key(&p.key);
        let mut help: Vec<String> = Vec::new();
        if let Some(d) = &p.description {
            help.push(d.clone());
        }
        if let Some(c) = &p.constraint_description {
            help.push(c.clone());
        }
        let kept_value = kept.get(&key).cloned();
        let field = if !p.allowed.is_empty() {
            let mut field = Field::choice(&key, &p.key, p.allowed.clone());
            if let Some(v) = kept_value.as_ref().or(p.default.as_ref()) {
                field = field.value(v.clone());
            }
            field
        } else {
            let field = if p.no_echo {
                Field::masked(&key, &p.key)
            } else {
                Field::text(&key, &p.key)
            };
            match kept_value.or_else(|| p.default.clone()) {
                Some(v) => field.value(v),
                None => field,
            }
        };
        let field = field.help(help.join(" — "));
        form.push(if p.required() {
            field.required()
        } else {
            field
        });
    }
    for t in &launch.parameters.tag_options {
        let key = format!("tag:{}", t.key);
        let mut options = vec![NO_TAG.to_string()];
        options.extend(t.values.iter().cloned());
        let mut field = Field::choice(&key, format!("Tag {}", t.key), options).help("a TagOption");
        if let Some(v) = kept.get(&key) {
            field = field.value(v.clone());
        }
        form.push(field);
    }
    for c in &launch.parameters.constraints {
        form.push(Field::note("constraint", "Constraint", c.clone()));
    }
    form
}

/// "Networking (lpv3-…) · LAUNCH, TEMPLATE": the path and its constraints.
fn path_label(p: &crate::model::LaunchPath) -> String {
    if p.constraints.is_empty() {
        format!("{} ({}) · no constraints", p.name, p.id)
    } else {
        format!("{} ({}) · {}", p.name, p.id, p.constraints.join(", "))
    }
}

/// Every value of a form by field key (to keep them across a reload).
pub fn launch_values(form: &Form) -> BTreeMap<String, String> {
    form.values()
        .into_iter()
        .map(|(k, v)| (k, v.as_str().to_string()))
        .collect()
}

/// The chosen version id, path id, and the input to check.
pub fn launch_input(form: &Form, launch: &LaunchForm) -> (String, Option<String>, LaunchInput) {
    let versions = launch.launchable_versions();
    let version = form
        .selected("version")
        .and_then(|i| versions.get(i))
        .map_or_else(|| launch.version.id.clone(), |v| v.id.clone());
    let path = match form.value("path") {
        Some(label) => launch
            .paths
            .iter()
            .find(|p| path_label(p) == label)
            .map(|p| p.id.clone()),
        None => launch.path.as_ref().map(|p| p.id.clone()),
    };
    let mut values = BTreeMap::new();
    let mut tags = Vec::new();
    for (key, value) in form.values() {
        if let Some(param) = key.strip_prefix("param:") {
            values.insert(param.to_string(), value.as_str().to_string());
        } else if let Some(tag) = key.strip_prefix("tag:")
            && value.as_str() != NO_TAG
        {
            tags.push((tag.to_string(), value.as_str().to_string()));
        }
    }
    let input = LaunchInput {
        name: form.value("name").unwrap_or_default().trim().to_string(),
        values,
        tags,
    };
    (version, path, input)
}

/// The products the update form offers: the one updated to first, then
/// the others of `others` (id, name) by name.
fn product_choices(update: &UpdateForm, others: &[(String, String)]) -> Vec<(String, String)> {
    let mut rest: Vec<(String, String)> = others
        .iter()
        .filter(|(id, _)| *id != update.product_id)
        .cloned()
        .collect();
    rest.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    std::iter::once((update.product_id.clone(), update.product_name.clone()))
        .chain(rest)
        .collect()
}

/// `u`: the update form: the product (another one changes product: its
/// versions and parameters are read), the version (latest preselected)
/// and a field per parameter, empty for "keep the value it has".
pub fn update(
    update: &UpdateForm,
    others: &[(String, String)],
    kept: &BTreeMap<String, String>,
    read_only: bool,
) -> Form {
    let versions: Vec<String> = update.target_versions().iter().map(|v| v.label()).collect();
    let products: Vec<String> = product_choices(update, others)
        .into_iter()
        .map(|(id, name)| format!("{name} ({id})"))
        .collect();
    let from = update.from_label();
    let new_in = if update.changes_product() {
        format!("new in {}", update.product_name)
    } else {
        "new in this version".to_string()
    };
    let mut form = review(
        Form::new(format!("Update {}", update.provisioned.name))
            .intro("Parameters left empty keep the value they have (UsePreviousValue)."),
        "Review the update",
        read_only,
    )
    .field(
        Field::choice("product", "Product", products.clone())
            .value(products[0].clone())
            .help(format!("now on {from} — pick another to change product")),
    )
    .field(Field::choice("version", "Version", versions).value(update.to.label()));
    for p in &update.parameters.parameters {
        let key = param_key(&p.key);
        let now = update.previous.get(&p.key);
        let mut help = match now {
            Some(_) if p.no_echo => "now: **** — leave empty to keep".to_string(),
            Some(v) => format!("now: {v} — leave empty to keep"),
            None => match &p.default {
                Some(d) if d.is_empty() => format!("{new_in}; empty by default"),
                Some(d) => format!("{new_in}; default {d}"),
                None => format!("{new_in}, no default: a value is required"),
            },
        };
        if let Some(d) = &p.description {
            help = format!("{d} — {help}");
        }
        let kept_value = kept.get(&key).cloned().unwrap_or_default();
        let field = if !p.allowed.is_empty() {
            let mut options = vec![match now {
                Some(_) => "(keep)".to_string(),
                None => "(default)".to_string(),
            }];
            options.extend(p.allowed.iter().cloned());
            Field::choice(&key, &p.key, options).value(kept_value)
        } else if p.no_echo {
            Field::masked(&key, &p.key).value(kept_value)
        } else {
            Field::text(&key, &p.key).value(kept_value)
        };
        let field = field.help(help);
        form.push(if now.is_none() && p.required() {
            field.required()
        } else {
            field
        });
    }
    // The version is what an update most often changes.
    form.focus("version");
    form
}

/// What was typed in the update form, by field key (to keep it across a reload).
pub fn update_changes(form: &Form) -> BTreeMap<String, String> {
    launch_values(form)
}

/// The chosen product id and version id, and the parameters changed
/// (key → value).
pub fn update_input(
    form: &Form,
    update: &UpdateForm,
) -> (String, String, BTreeMap<String, String>) {
    let product = form
        .value("product")
        .and_then(|label| {
            let label = label.strip_suffix(')')?;
            let (_, id) = label.rsplit_once(" (")?;
            Some(id.to_string())
        })
        .unwrap_or_else(|| update.product_id.clone());
    let versions = update.target_versions();
    let version = form
        .selected("version")
        .and_then(|i| versions.get(i))
        .map_or_else(|| update.to.id.clone(), |v| v.id.clone());
    let changes = form
        .values()
        .into_iter()
        .filter_map(|(k, v)| {
            let key = k.strip_prefix("param:")?.to_string();
            let value = v.as_str().to_string();
            (!value.is_empty() && value != "(keep)" && value != "(default)").then_some((key, value))
        })
        .collect();
    (product, version, changes)
}

/// Shows an action's errors on its form: each next to its field, the
/// rest above the fields.
pub fn show_errors(form: &mut Form, error: &ActError) {
    form.clear_errors();
    let fields = error.field_errors();
    if fields.is_empty() {
        form.set_form_error(error.to_string());
        return;
    }
    let mut elsewhere = Vec::new();
    for e in fields {
        let placed = form.set_error(&e.field, e.message.clone())
            || form.set_error(&param_key(&e.field), e.message.clone());
        if !placed {
            elsewhere.push(e.to_string());
        }
    }
    if !elsewhere.is_empty() {
        form.set_form_error(elsewhere.join("; "));
    }
    form.focus_first_error();
}

/// The plan of an action and its question. `blocked`: it cannot be
/// confirmed — a read-only session (the dialog says so), or `why` (no
/// journal to record the change in).
pub fn confirm(title: &str, lines: Vec<PlanLine>, blocked: bool, why: Option<&str>) -> Confirm {
    let mut confirm = Confirm::new(title, "Do it?")
        .lines(lines)
        .read_only(blocked);
    if let Some(why) = why.filter(|_| blocked) {
        confirm = confirm.note(format!("Cannot be done here: {why}."));
    }
    confirm
}
/// An error AWS gave for a submitted form: next to the field it names
/// (a parameter key, the name), and above the fields in full.
pub fn place_aws_error(form: &mut Form, message: &str) {
    form.clear_errors();
    form.set_form_error(format!("AWS refused it: {message}"));
    let lower = message.to_lowercase();
    if lower.contains("provisioned product with the name")
        || lower.contains("provisionedproductname")
    {
        form.set_error("name", "AWS: this name is taken or not valid".to_string());
    }
    let keys: Vec<String> = form
        .fields()
        .iter()
        .filter_map(|f| f.key().strip_prefix("param:").map(str::to_string))
        .collect();
    for key in keys {
        let quoted = [
            format!("'{key}'"),
            format!("\"{key}\""),
            format!("[{key}]"),
            format!("parameter {key}"),
        ];
        if quoted.iter().any(|q| message.contains(q.as_str())) {
            form.set_error(
                &format!("param:{key}"),
                "AWS refused this value (see above)".to_string(),
            );
        }
    }
    form.focus_first_error();
}
