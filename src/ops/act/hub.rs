//! The hub's actions as one value for a front end that plans, confirms,
//! then runs (the console): what was asked ([`HubInput`]), the plan read
//! for it ([`HubAction`], by the same ops the headless commands run), and
//! how it is applied.

use std::path::PathBuf;

use super::{ActError, opt_in, portfolio, principal, product};
use crate::aws::{Reader, Writer};

/// What a form asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HubInput {
    CreatePortfolio {
        name: String,
        provider: String,
        description: Option<String>,
    },
    CreateProduct {
        name: String,
        owner: String,
        description: Option<String>,
        version: String,
        template: PathBuf,
        bucket: Option<String>,
        portfolio: Option<String>,
    },
    AddVersion {
        product_id: String,
        name: String,
        description: Option<String>,
        template: PathBuf,
        bucket: Option<String>,
    },
    OptIn {
        product_id: String,
        on: bool,
    },
    Principal {
        portfolio_id: String,
        principal: String,
        add: bool,
    },
}

/// A plan, read and checked, ready to confirm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HubAction {
    CreatePortfolio(Box<portfolio::CreatePlan>),
    CreateProduct(Box<product::CreatePlan>),
    AddVersion(Box<product::AddVersionPlan>),
    OptIn(Box<opt_in::OptInPlan>),
    Principal(Box<principal::PrincipalPlan>),
}

impl HubAction {
    pub fn title(&self) -> String {
        match self {
            HubAction::CreatePortfolio(p) => format!("Create the portfolio {}", p.name),
            HubAction::CreateProduct(p) => format!("Create the product {}", p.fields.name),
            HubAction::AddVersion(p) => format!("Add version {} to {}", p.name, p.product.name),
            HubAction::OptIn(p) => format!(
                "Opt {} {} auto-update",
                p.product.name,
                if p.on { "in to" } else { "out of" }
            ),
            HubAction::Principal(p) => format!(
                "{} a principal of {}",
                if p.add { "Add" } else { "Remove" },
                p.portfolio.name
            ),
        }
    }

    pub fn lines(&self) -> Vec<String> {
        match self {
            HubAction::CreatePortfolio(p) => p.lines(),
            HubAction::CreateProduct(p) => p.lines(),
            HubAction::AddVersion(p) => p.lines(),
            HubAction::OptIn(p) => p.lines(),
            HubAction::Principal(p) => p.lines(),
        }
    }

    /// Nothing would be sent: it is so already.
    pub fn nothing_to_do(&self) -> bool {
        match self {
            HubAction::CreatePortfolio(p) => p.existing.is_some(),
            HubAction::CreateProduct(p) => p.existing.is_some(),
            HubAction::AddVersion(_) => false,
            HubAction::OptIn(p) => p.already,
            HubAction::Principal(p) => p.already,
        }
    }
}

/// Reads what the plan needs.
pub async fn plan(reader: &Reader, input: HubInput) -> Result<HubAction, ActError> {
    Ok(match input {
        HubInput::CreatePortfolio {
            name,
            provider,
            description,
        } => HubAction::CreatePortfolio(Box::new(
            portfolio::plan_create(reader, &name, &provider, description.as_deref()).await?,
        )),
        HubInput::CreateProduct {
            name,
            owner,
            description,
            version,
            template,
            bucket,
            portfolio,
        } => HubAction::CreateProduct(Box::new(
            product::plan_create(
                reader,
                &name,
                &owner,
                description.as_deref(),
                &version,
                &template,
                bucket.as_deref(),
                portfolio.as_deref(),
            )
            .await?,
        )),
        HubInput::AddVersion {
            product_id,
            name,
            description,
            template,
            bucket,
        } => HubAction::AddVersion(Box::new(
            product::plan_add_version(
                reader,
                &product_id,
                &name,
                description.as_deref(),
                &template,
                bucket.as_deref(),
            )
            .await?,
        )),
        HubInput::OptIn { product_id, on } => {
            HubAction::OptIn(Box::new(opt_in::plan(reader, &product_id, on).await?))
        }
        HubInput::Principal {
            portfolio_id,
            principal: who,
            add,
        } => HubAction::Principal(Box::new(
            principal::plan(reader, &portfolio_id, &who, add).await?,
        )),
    })
}

/// Applies it: the lines that say what was done.
pub async fn apply(
    writer: &Writer,
    reader: &Reader,
    action: &HubAction,
) -> Result<Vec<String>, ActError> {
    Ok(match action {
        HubAction::CreatePortfolio(p) => {
            let id = portfolio::create(writer, p).await?;
            vec![format!("created the local portfolio {} ({id})", p.name)]
        }
        HubAction::CreateProduct(p) => {
            let (id, version) = product::create(writer, reader, p).await?;
            vec![format!(
                "created {} ({id}) with version {} ({version})",
                p.fields.name, p.version_name
            )]
        }
        HubAction::AddVersion(p) => vec![
            product::add_version(writer, reader, p).await?,
            "the spokes see it at their next read: provisioned products on older versions drift BEHIND".into(),
        ],
        HubAction::OptIn(p) => vec![opt_in::apply(writer, p).await?],
        HubAction::Principal(p) => vec![principal::apply(writer, p).await?],
    })
}
