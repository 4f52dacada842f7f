//! Auto-update opt-in: the TagOption `AutoUpdateProvisionedProduct=true`
//! associated with a product (created in the account when it has none),
//! or taken off. Only the account that owns a product associates
//! TagOptions with it; the spokes see it through a share that shares
//! TagOptions, and the bulk update's default policy takes their
//! provisioned products on it.

use std::collections::{BTreeMap, HashSet};

use super::{ActError, launch::find_product};
use crate::aws::{AwsError, Reader, Writer};
use crate::model::bulk::{DEFAULT_OPT_IN_KEY, DEFAULT_OPT_IN_VALUE};
use crate::model::{Product, TagOptionEntry};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptInPlan {
    pub product: Product,
    /// In (true) or out.
    pub on: bool,
    /// The account's TagOption `AutoUpdateProvisionedProduct=true`, if it has one.
    pub tag_option: Option<TagOptionEntry>,
    /// The product is so already: nothing is sent.
    pub already: bool,
}

impl OptInPlan {
    pub fn lines(&self) -> Vec<String> {
        let tag = format!("{DEFAULT_OPT_IN_KEY}={DEFAULT_OPT_IN_VALUE}");
        let name = &self.product.name;
        if self.already {
            return vec![format!(
                "{name} is opted {} already: nothing to do",
                if self.on { "in" } else { "out" }
            )];
        }
        let mut lines = Vec::new();
        if self.on {
            match &self.tag_option {
                Some(t) => lines.push(format!(
                    "associate the TagOption {tag} ({}) with {name}",
                    t.id
                )),
                None => {
                    lines.push(format!("create the TagOption {tag} in this account"));
                    lines.push(format!("associate it with {name}"));
                }
            }
            lines.push(
                "then: spokes that import it through a share with TagOptions see it opted in; `spoke update --drifted` (default policy) takes their provisioned products on older versions".into(),
            );
        } else {
            lines.push(format!("disassociate the TagOption {tag} from {name}"));
            lines.push(
                "then: the default bulk policy leaves its provisioned products alone unless they carry the tag themselves".into(),
            );
        }
        lines
    }
}

/// Only the account that owns a product associates TagOptions with it.
pub fn allowed(product: &Product) -> Result<(), ActError> {
    if product.origin.is_local() {
        return Ok(());
    }
    Err(ActError::Refused(format!(
        "{} is {}: only the account that owns it can associate TagOptions with it — opt it in from there (spoke opt-in --profile HUB --product …), shared with TagOptions",
        product.name,
        product.origin.describe()
    )))
}

/// Reads the product (one this account owns) and the account's TagOptions.
pub async fn plan(reader: &Reader, product: &str, on: bool) -> Result<OptInPlan, ActError> {
    let product = find_product(reader, product).await?;
    allowed(&product)?;
    let (own, on_product) = tokio::join!(
        reader.list_tag_options(Some(DEFAULT_OPT_IN_KEY)),
        reader.product_tag_options(&product.id, None)
    );
    let tag_option = own?
        .into_iter()
        .find(|t| t.is(DEFAULT_OPT_IN_KEY, DEFAULT_OPT_IN_VALUE));
    let has = on_product?.iter().any(TagOptionEntry::opts_in);
    if let Some(t) = &tag_option
        && on
        && !t.active
    {
        return Err(ActError::Refused(format!(
            "the TagOption {DEFAULT_OPT_IN_KEY}={DEFAULT_OPT_IN_VALUE} ({}) of this account is inactive: activate it first (UpdateTagOption), then opt in",
            t.id
        )));
    }
    Ok(OptInPlan {
        already: has == on,
        product,
        on,
        tag_option,
    })
}

pub async fn apply(writer: &Writer, plan: &OptInPlan) -> Result<String, ActError> {
    let name = &plan.product.name;
    if plan.already {
        return Ok(plan.lines().join(""));
    }
    let id = match (&plan.tag_option, plan.on) {
        (Some(t), _) => t.id.clone(),
        (None, true) => {
            writer
                .create_tag_option(DEFAULT_OPT_IN_KEY, DEFAULT_OPT_IN_VALUE)
                .await?
        }
        (None, false) => return Ok(format!("{name} is not opted in: nothing to do")),
    };
    writer.tag_resource(&plan.product.id, &id, plan.on).await?;
    Ok(format!(
        "{name} opted {}",
        if plan.on { "in" } else { "out" }
    ))
}

/// Of `product_ids`, those that carry the TagOption `key=value` as this
/// account sees them: its own products directly, an imported one through
/// the imported portfolios that hold it (a share passes TagOptions on
/// only when it shares them).
pub async fn products_carrying(
    reader: &Reader,
    product_ids: &[String],
    key: &str,
    value: &str,
) -> Result<HashSet<String>, AwsError> {
    let imported = reader.list_imported_portfolios().await?;
    let held = crate::aws::read::concurrently(imported, |p| async move {
        let r = reader.list_products_in(&p.id).await;
        (p.id, r)
    })
    .await;
    // product id → an imported portfolio that holds it.
    let mut source: BTreeMap<String, String> = BTreeMap::new();
    for (portfolio, r) in held {
        for product in r? {
            source
                .entry(product.id)
                .or_insert_with(|| portfolio.clone());
        }
    }
    let read = crate::aws::read::concurrently(product_ids.to_vec(), |id| {
        let via = source.get(&id).cloned();
        async move {
            let r = reader.product_tag_options(&id, via.as_deref()).await;
            (id, r)
        }
    })
    .await;
    let mut carrying = HashSet::new();
    for (id, r) in read {
        if r?.iter().any(|t| t.active && t.is(key, value)) {
            carrying.insert(id);
        }
    }
    Ok(carrying)
}
