//! The inventory scan: everything one account sees of its catalog in one
//! region, read with as few calls as the APIs allow, each once.
//!
//! The calls, for P portfolios (L of them local), N products and C
//! constraints (pages: 100 per page for portfolios, shares and provisioned
//! products, 20 for products and constraints):
//!
//! | what | calls |
//! |---|---|
//! | caller identity | `GetCallerIdentity` once per reader (memoized) |
//! | portfolios | `ListPortfolios` + `ListAcceptedPortfolioShares` × 2 (IMPORTED, AWS_ORGANIZATIONS) |
//! | shares | `DescribePortfolioShares` × 4 types × L |
//! | products | `SearchProductsAsAdmin` without portfolio (all pages) |
//! | which portfolios hold each | `SearchProductsAsAdmin` × P (with `PortfolioId`) |
//! | versions | `ListProvisioningArtifacts` × N: once per product, never per provisioned product |
//! | constraints | `ListConstraintsForPortfolio` × P + `DescribeConstraint` × C |
//! | provisioned products | `SearchProvisionedProducts` (Account level, by name, all pages) |
//! | what a failed last request tried | `DescribeRecord` × T (only those whose last request failed) |
//!
//! Membership is read per portfolio rather than with
//! `ListPortfoliosForProduct` per product: accounts hold far fewer
//! portfolios than products (the default sandbox world: 3–4 portfolios for
//! 5–9 products per account), the per-portfolio list can start as soon as
//! the portfolios are known, and it also returns products a portfolio holds
//! that the account-wide search might not.
//!
//! Independent sections run at once; the per-item calls of a section run
//! [`CONCURRENCY`](crate::aws::read::CONCURRENCY) at a time. A failure that
//! makes the session unusable (credentials, network) ends the scan; any
//! other failure is recorded as a [`Problem`] of its section and the rest of
//! the inventory stands.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::Utc;
use futures::StreamExt;
use futures::future::BoxFuture;
use futures::stream::FuturesUnordered;

use crate::aws::read::{CONCURRENCY, concurrently};
use crate::aws::{AwsError, Reader};
use crate::model::{
    Constraint, Inventory, Missing, Portfolio, Principal, Problem, Product, ProvisionedProduct,
    Record, Section, Share, TagOptionEntry, Version,
};

/// What one step of the scan brought back.
enum Step {
    /// The local and the imported portfolios, each read on its own.
    Portfolios {
        local: Result<Vec<Portfolio>, AwsError>,
        imported: Result<Vec<Portfolio>, AwsError>,
    },
    /// With the denial that left only the end-user view, if any.
    Products(Result<Vec<Product>, AwsError>, Option<AwsError>),
    /// With the denial that left only the caller's own, if any.
    Provisioned(
        Result<(Vec<ProvisionedProduct>, FailedRequests), AwsError>,
        Option<AwsError>,
    ),
    Shares(Vec<(String, Result<Vec<Share>, AwsError>)>),
    /// Who may launch from each portfolio, and each local one's TagOptions.
    Access {
        principals: Vec<(String, Result<Vec<Principal>, AwsError>)>,
        tag_options: Vec<(String, Result<Vec<TagOptionEntry>, AwsError>)>,
        reached: Vec<(String, Result<Vec<String>, AwsError>)>,
    },
    Membership(Vec<(String, Result<Vec<Product>, AwsError>)>),
    Constraints {
        listed: Vec<(String, Result<Vec<Constraint>, AwsError>)>,
    },
    Versions(Vec<(String, VersionsRead)>),
    /// Each product's TagOptions (`DescribeProductAsAdmin`), by product id.
    TagOptions(Vec<(String, Result<Vec<TagOptionEntry>, AwsError>)>),
}

/// A product's versions: listed, or (ListProvisioningArtifacts denied) the
/// ones an end user may launch.
enum VersionsRead {
    Listed(Result<Vec<Version>, AwsError>),
    EndUser(Vec<Version>, AwsError),
}

/// Scans the account and region of `reader`. See the module documentation.
pub async fn scan(reader: &Reader) -> Result<Inventory, AwsError> {
    scan_with(reader, |_, _| {}).await
}

/// [`scan`], calling `on_section(section, inventory so far)` as each section
/// completes, so a screen can fill as they arrive. Each section is reported
/// once: portfolios, shares, products (with the portfolios that hold them),
/// versions (the drift of every provisioned product is computed then),
/// constraints (with their parameters) and provisioned products, in the
/// order they finish.
pub async fn scan_with(
    reader: &Reader,
    mut on_section: impl FnMut(Section, &Inventory),
) -> Result<Inventory, AwsError> {
    reader.begin_scan();
    let caller = reader.caller_identity().await?;
    let mut scan = Scan::new(Inventory::empty(caller, reader.region(), Utc::now()));

    let mut steps: FuturesUnordered<BoxFuture<'_, Step>> = FuturesUnordered::new();
    // An end user (AWS's end-user read-only policy) is denied the admin
    // calls: each section falls back to what such a caller may read, and
    // says what could not be seen.
    steps.push(Box::pin(async {
        let (local, imported) = futures::join!(
            reader.list_local_portfolios(),
            reader.list_imported_portfolios()
        );
        Step::Portfolios { local, imported }
    }));
    // The versions of the account-wide search's products are asked for as
    // each page arrives, not after the last: a page's products need nothing
    // of the pages after it.
    let (paged_tx, paged_rx) = futures::channel::mpsc::unbounded::<String>();
    steps.push(Box::pin(async move {
        let on_page = |page: &[Product]| {
            for p in page {
                let _ = paged_tx.unbounded_send(p.id.clone());
            }
        };
        let listed = reader.list_products_paged(&on_page).await;
        drop(paged_tx);
        match listed {
            Err(denied @ AwsError::AccessDenied { .. }) => {
                Step::Products(reader.list_products_as_end_user().await, Some(denied))
            }
            other => Step::Products(other, None),
        }
    }));
    scan.versions_pending += 1;
    steps.push(Box::pin(async move {
        Step::Versions(
            paged_rx
                .map(|id| async move {
                    let r = read_versions(reader, &id).await;
                    (id, r)
                })
                .buffer_unordered(CONCURRENCY)
                .collect()
                .await,
        )
    }));
    steps.push(Box::pin(async {
        match reader.list_provisioned_noting().await {
            Ok((list, denied)) => match failed_requests(reader, &list).await {
                Ok(failed) => Step::Provisioned(Ok((list, failed)), denied),
                Err(e) => Step::Provisioned(Err(e), denied),
            },
            Err(e) => Step::Provisioned(Err(e), None),
        }
    }));

    while let Some(step) = steps.next().await {
        // Follow-up calls for what just arrived.
        if scan.absorb(step)? {
            let portfolios = scan.inventory.portfolios.clone();
            let local: Vec<String> = portfolios
                .iter()
                .filter(|p| p.origin.is_local())
                .map(|p| p.id.clone())
                .collect();
            let all: Vec<String> = portfolios.iter().map(|p| p.id.clone()).collect();
            let locals = local.clone();
            steps.push(Box::pin(async move {
                Step::Shares(
                    concurrently(local, |id| async move {
                        let r = reader.list_shares(&id).await;
                        (id, r)
                    })
                    .await,
                )
            }));
            let everyone = all.clone();
            steps.push(Box::pin(async move {
                let reach = locals.clone();
                let (principals, tag_options, reached) = futures::join!(
                    concurrently(everyone, |id| async move {
                        let r = reader.list_principals(&id).await;
                        (id, r)
                    }),
                    concurrently(locals, |id| async move {
                        let r = reader.portfolio_tag_options(&id).await;
                        (id, r)
                    }),
                    concurrently(reach, |id| async move {
                        let r = reader.list_portfolio_access(&id).await;
                        (id, r)
                    })
                );
                Step::Access {
                    principals,
                    tag_options,
                    reached,
                }
            }));
            let ids = all.clone();
            steps.push(Box::pin(async move {
                Step::Membership(
                    concurrently(ids, |id| async move {
                        let r = reader.list_products_in(&id).await;
                        (id, r)
                    })
                    .await,
                )
            }));
            steps.push(Box::pin(async move {
                Step::Constraints {
                    listed: concurrently(all, |id| async move {
                        let r = list_constraints_with_params(reader, &id).await;
                        (id, r)
                    })
                    .await,
                }
            }));
        }
        let wanted = scan.unrequested_products();
        if !wanted.is_empty() {
            scan.versions_pending += 1;
            steps.push(Box::pin(async move {
                Step::Versions(
                    concurrently(wanted, |id| async move {
                        let r = read_versions(reader, &id).await;
                        (id, r)
                    })
                    .await,
                )
            }));
        }
        for section in scan.complete_sections() {
            on_section(section, &scan.inventory);
        }
        if let Some(wanted) = scan.tag_options_wanted.take() {
            steps.push(Box::pin(async move {
                Step::TagOptions(
                    concurrently(wanted, |(id, source)| async move {
                        let r = reader.product_tag_options(&id, source.as_deref()).await;
                        (id, r)
                    })
                    .await,
                )
            }));
        }
    }
    Ok(scan.inventory)
}

/// The failed requests read, and why the others were not, by provisioned
/// product id.
type FailedRequests = (BTreeMap<String, Record>, BTreeMap<String, String>);

/// The failed last request of each provisioned product whose last request
/// failed (`DescribeRecord`): few, and what an operator needs to repair
/// it. One that cannot be read is kept with the reason (the detail says
/// so); the list itself stands. A failure of the whole session ends the
/// scan, as everywhere.
async fn failed_requests(
    reader: &Reader,
    provisioned: &[ProvisionedProduct],
) -> Result<FailedRequests, AwsError> {
    let failed: Vec<(String, String)> = provisioned
        .iter()
        .filter(|p| crate::model::drift::is_tainted(p))
        .filter_map(|p| {
            let record = p
                .last_provisioning_record_id
                .clone()
                .or_else(|| p.last_record_id.clone())?;
            Some((p.id.clone(), record))
        })
        .collect();
    let mut read = BTreeMap::new();
    let mut unread = BTreeMap::new();
    for (pp, r) in concurrently(failed, |(pp, record)| async move {
        (pp, reader.record(&record).await)
    })
    .await
    {
        match r {
            Ok(record) => {
                read.insert(pp, record);
            }
            Err(e) if e.is_session_wide() => return Err(e),
            Err(e) => {
                unread.insert(pp, e.to_string());
            }
        }
    }
    Ok((read, unread))
}

/// A product's versions: listed, or as an end user may see them.
async fn read_versions(reader: &Reader, id: &str) -> VersionsRead {
    match reader.list_versions(id).await {
        Err(denied @ AwsError::AccessDenied { .. }) => {
            match reader.versions_as_end_user(id).await {
                Ok(vs) => VersionsRead::EndUser(vs, denied),
                Err(e) => VersionsRead::Listed(Err(e)),
            }
        }
        other => VersionsRead::Listed(other),
    }
}

/// The constraints of a portfolio with their parameters: one
/// `DescribeConstraint` per constraint, concurrently. A constraint whose
/// parameters cannot be read keeps `params: None`.
async fn list_constraints_with_params(
    reader: &Reader,
    portfolio_id: &str,
) -> Result<Vec<Constraint>, AwsError> {
    let listed = reader.list_constraints(portfolio_id).await?;
    let described = concurrently(listed, |mut c| async move {
        match reader.constraint_params(&c.id, &c.kind).await {
            Ok(params) => {
                c.params = Some(params);
                Ok(c)
            }
            Err(e) if e.is_session_wide() => Err(e),
            Err(e) => {
                tracing::warn!(constraint = c.id, error = %e, "constraint parameters unreadable");
                Ok(c)
            }
        }
    })
    .await;
    described.into_iter().collect()
}

/// "ListPortfolios is denied to this caller" — a denial in short; AWS's
/// whole message stays in the call log.
fn denial(e: &AwsError) -> String {
    match e {
        AwsError::AccessDenied { operation, .. } => {
            format!("{operation} is denied to this caller")
        }
        other => other.to_string(),
    }
}

/// The state of a scan between steps.
struct Scan {
    inventory: Inventory,
    /// The account-wide product search, once in.
    global: Option<Vec<Product>>,
    /// Whether it failed (its products may still come by portfolio).
    search_failed: bool,
    /// Per portfolio, the products it holds, once all are in.
    membership: Option<Vec<(String, Vec<Product>)>>,
    versions: HashMap<String, Vec<Version>>,
    requested: HashSet<String>,
    versions_pending: usize,
    /// The shares, and who may launch from each portfolio, are in: the
    /// Shares section (a portfolio's access) is both.
    shares_in: bool,
    access_in: bool,
    /// Whether the products' TagOptions were asked for (once the products
    /// are in: an imported product's come through its portfolio).
    tag_options_asked: bool,
    /// (product id, the imported portfolio to read it through) still to ask for.
    tag_options_wanted: Option<Vec<(String, Option<String>)>>,
    /// Sections whose data is in the inventory.
    arrived: BTreeSet<Section>,
    /// Sections reported complete.
    done: BTreeSet<Section>,
    /// The last failure of each operation, said again where a later call
    /// of it was not made (the breaker open).
    causes: HashMap<String, String>,
}

impl Scan {
    fn new(inventory: Inventory) -> Self {
        Self {
            inventory,
            global: None,
            search_failed: false,
            membership: None,
            versions: HashMap::new(),
            requested: HashSet::new(),
            versions_pending: 0,
            tag_options_asked: false,
            shares_in: false,
            access_in: false,
            tag_options_wanted: None,
            arrived: BTreeSet::new(),
            done: BTreeSet::new(),
            causes: HashMap::new(),
        }
    }

    /// Records a failure of `section` (of what `missing` says), or ends the
    /// scan if the session is unusable.
    fn problem(
        &mut self,
        section: Section,
        missing: Missing,
        err: AwsError,
    ) -> Result<(), AwsError> {
        if err.is_session_wide() {
            return Err(err);
        }
        // A denial is the same for every portfolio or product: said once,
        // shortly (AWS's whole message is in the call log), for all of them.
        let denied = matches!(err, AwsError::AccessDenied { .. });
        let missing = match missing {
            Missing::Of(_) if denied => Missing::Each,
            other => other,
        };
        // A call not made because its operation kept failing says why:
        // the failure the others met.
        let said = match &err {
            AwsError::NotAsked { operation, .. } => match self.causes.get(operation) {
                Some(cause) => format!("{err} (each failed: {cause})"),
                None => err.to_string(),
            },
            AwsError::Service { operation, .. } | AwsError::Unreadable { operation, .. } => {
                self.causes.insert(operation.clone(), err.to_string());
                err.to_string()
            }
            _ => err.to_string(),
        };
        let message = match &missing {
            _ if denied => format!("{} not read: {}", section.label(), denial(&err)),
            Missing::Of(id) => format!("{}: {said}", self.name_of(id)),
            Missing::All | Missing::Each => format!("{} not read: {said}", section.label()),
            Missing::Part => said,
        };
        self.note(section, missing, message);
        Ok(())
    }

    /// "portfolio Hub Operations" or "product S3 Bucket", or the id when the
    /// name is not known.
    fn name_of(&self, id: &str) -> String {
        if let Some(p) = self.inventory.portfolio(id) {
            return format!("portfolio {}", p.name);
        }
        let product = self
            .global
            .iter()
            .flatten()
            .chain(&self.inventory.products)
            .find(|p| p.id == id);
        match product {
            Some(p) => format!("product {}", p.name),
            None => id.to_string(),
        }
    }

    /// Records what could not be seen, once.
    fn note(&mut self, section: Section, missing: Missing, message: String) {
        let known = self
            .inventory
            .problems
            .iter()
            .any(|p| p.section == section && p.missing == missing && p.message == message);
        if !known {
            self.inventory.problems.push(Problem {
                section,
                missing,
                message,
            });
        }
    }

    /// Records that `section` was not read at all because `because` was not.
    fn not_read_after(&mut self, section: Section, because: Section) {
        self.note(
            section,
            Missing::All,
            format!(
                "{} not read: the {} they belong to were not read",
                section.label(),
                because.label()
            ),
        );
    }

    /// Takes a step's results in. True when the portfolios just arrived,
    /// so that their follow-up calls can start.
    fn absorb(&mut self, step: Step) -> Result<bool, AwsError> {
        match step {
            Step::Portfolios { local, imported } => {
                self.arrived.insert(Section::Portfolios);
                let mut portfolios = Vec::new();
                // Why the local portfolios were not read, if they were not.
                let local_unread = match local {
                    Ok(p) => {
                        portfolios.extend(p);
                        None
                    }
                    Err(denied @ AwsError::AccessDenied { .. }) => {
                        self.note(
                            Section::Portfolios,
                            Missing::Part,
                            format!(
                                "local portfolios and their shares are not shown: {}",
                                denial(&denied)
                            ),
                        );
                        Some(denial(&denied))
                    }
                    Err(e) if e.is_session_wide() => return Err(e),
                    Err(e) => {
                        self.note(
                            Section::Portfolios,
                            Missing::Part,
                            format!("local portfolios not read: {e}"),
                        );
                        Some(e.to_string())
                    }
                };
                let local_read = local_unread.is_none();
                let imported_read = match imported {
                    Ok(p) => {
                        portfolios.extend(p);
                        true
                    }
                    Err(e) if e.is_session_wide() => return Err(e),
                    Err(e) => {
                        self.note(
                            Section::Portfolios,
                            Missing::Part,
                            format!("imported portfolios not read: {}", denial(&e)),
                        );
                        false
                    }
                };
                if !local_read && !imported_read {
                    // Neither half: the section is not read (its notes say why).
                    for p in &mut self.inventory.problems {
                        if p.section == Section::Portfolios {
                            p.missing = Missing::All;
                        }
                    }
                    // Nothing follows from portfolios.
                    self.membership = Some(Vec::new());
                    self.not_read_after(Section::Shares, Section::Portfolios);
                    self.not_read_after(Section::Constraints, Section::Portfolios);
                    self.note(
                        Section::Products,
                        Missing::Part,
                        "which portfolios hold each product is not known: the portfolios were not read".into(),
                    );
                    self.arrived.insert(Section::Shares);
                    self.arrived.insert(Section::Constraints);
                    return Ok(false);
                }
                if let Some(why) = local_unread {
                    self.note(
                        Section::Shares,
                        Missing::All,
                        format!("shares not read: the local portfolios were not read ({why})"),
                    );
                }
                self.inventory.portfolios = portfolios;
                return Ok(true);
            }
            Step::Products(r, denied) => {
                if let Some(denied) = &denied {
                    self.note(
                        Section::Products,
                        Missing::Part,
                        format!(
                            "the products as an end user sees them (SearchProducts), without their origin and portfolios: {}",
                            denial(denied)
                        ),
                    );
                }
                self.global = Some(match r {
                    Ok(p) => {
                        // The admin search's products had their versions
                        // asked for page by page (none came by pages when
                        // it was denied).
                        if denied.is_none() {
                            self.requested.extend(p.iter().map(|p| p.id.clone()));
                        }
                        p
                    }
                    Err(e) => {
                        // The products of the portfolios may still come:
                        // whether any was read is decided when all are in.
                        self.problem(Section::Products, Missing::Part, e)?;
                        self.search_failed = true;
                        Vec::new()
                    }
                });
            }
            Step::Provisioned(r, denied) => {
                if let Some(denied) = denied {
                    self.note(
                        Section::Provisioned,
                        Missing::Part,
                        format!(
                            "only the caller's own provisioned products: account-level {}",
                            denial(&denied)
                        ),
                    );
                }
                match r {
                    Ok((p, (failed, unread))) => {
                        self.inventory.provisioned = p;
                        self.inventory.failed_requests = failed;
                        self.inventory.failed_requests_unread = unread;
                    }
                    Err(e) => self.problem(Section::Provisioned, Missing::All, e)?,
                }
                self.arrived.insert(Section::Provisioned);
            }
            Step::Shares(per_portfolio) => {
                for (id, r) in per_portfolio {
                    match r {
                        Ok(shares) => self.inventory.shares.extend(shares),
                        Err(e) => self.problem(Section::Shares, Missing::Of(id), e)?,
                    }
                }
                self.shares_in = true;
                if self.access_in {
                    self.arrived.insert(Section::Shares);
                }
            }
            Step::Access {
                principals,
                tag_options,
                reached,
            } => {
                for (id, r) in reached {
                    match r {
                        Ok(list) => {
                            self.inventory.portfolio_access.insert(id, list);
                        }
                        Err(e) if e.is_session_wide() => return Err(e),
                        Err(e @ AwsError::AccessDenied { .. }) => self.note(
                            Section::Shares,
                            Missing::Part,
                            format!("the accounts the portfolios reach not read: {}", denial(&e)),
                        ),
                        Err(e) => {
                            let message =
                                format!("the accounts {} reaches not read: {e}", self.name_of(&id));
                            self.note(Section::Shares, Missing::Part, message);
                        }
                    }
                }
                for (id, r) in principals {
                    match r {
                        Ok(list) => {
                            self.inventory.principals.insert(id, list);
                        }
                        Err(e) if e.is_session_wide() => return Err(e),
                        Err(e @ AwsError::AccessDenied { .. }) => self.note(
                            Section::Shares,
                            Missing::Part,
                            format!("principals of the portfolios not read: {}", denial(&e)),
                        ),
                        Err(e) => {
                            let message =
                                format!("principals of {} not read: {e}", self.name_of(&id));
                            self.note(Section::Shares, Missing::Part, message);
                        }
                    }
                }
                for (id, r) in tag_options {
                    match r {
                        Ok(list) => {
                            self.inventory.portfolio_tag_options.insert(id, list);
                        }
                        Err(e) if e.is_session_wide() => return Err(e),
                        Err(e @ AwsError::AccessDenied { .. }) => self.note(
                            Section::Shares,
                            Missing::Part,
                            format!("TagOptions of the portfolios not read: {}", denial(&e)),
                        ),
                        Err(e) => {
                            let message =
                                format!("TagOptions of {} not read: {e}", self.name_of(&id));
                            self.note(Section::Shares, Missing::Part, message);
                        }
                    }
                }
                self.access_in = true;
                if self.shares_in {
                    self.arrived.insert(Section::Shares);
                }
            }
            Step::Membership(per_portfolio) => {
                let mut held = Vec::new();
                for (id, r) in per_portfolio {
                    match r {
                        Ok(products) => held.push((id, products)),
                        Err(e @ AwsError::AccessDenied { .. }) => self.note(
                            Section::Products,
                            Missing::Each,
                            format!(
                                "which portfolios hold each product is not shown: {}",
                                denial(&e)
                            ),
                        ),
                        Err(e) => self.problem(Section::Products, Missing::Of(id), e)?,
                    }
                }
                self.membership = Some(held);
            }
            Step::Constraints { listed } => {
                for (id, r) in listed {
                    match r {
                        Ok(cs) => self.inventory.constraints.extend(cs),
                        Err(e) => self.problem(Section::Constraints, Missing::Of(id), e)?,
                    }
                }
                self.arrived.insert(Section::Constraints);
            }
            Step::TagOptions(per_product) => {
                self.versions_pending -= 1;
                for (id, r) in per_product {
                    match r {
                        Ok(list) => {
                            if let Some(p) = self.inventory.products.iter_mut().find(|p| p.id == id)
                            {
                                p.tag_options = Some(list);
                            }
                        }
                        Err(e) if e.is_session_wide() => return Err(e),
                        Err(e @ AwsError::AccessDenied { .. }) => self.note(
                            Section::Products,
                            Missing::Part,
                            format!("TagOptions (auto-update) not read: {}", denial(&e)),
                        ),
                        Err(e) => {
                            let message =
                                format!("TagOptions of {} not read: {e}", self.name_of(&id));
                            self.note(Section::Products, Missing::Part, message);
                        }
                    }
                }
            }
            Step::Versions(per_product) => {
                self.versions_pending -= 1;
                for (id, r) in per_product {
                    match r {
                        VersionsRead::Listed(Ok(vs)) => {
                            self.versions.insert(id, vs);
                        }
                        VersionsRead::Listed(Err(e)) => {
                            self.problem(Section::Versions, Missing::Of(id), e)?
                        }
                        VersionsRead::EndUser(vs, denied) => {
                            self.note(
                                Section::Versions,
                                Missing::Part,
                                format!(
                                    "versions as an end user sees them (DescribeProduct: active ones only): {}",
                                    denial(&denied)
                                ),
                            );
                            self.versions.insert(id, vs);
                        }
                    }
                }
            }
        }
        Ok(false)
    }

    /// Products known (from the account-wide search or a portfolio) whose
    /// versions were not asked for yet; marks them asked.
    fn unrequested_products(&mut self) -> Vec<String> {
        // Until the account-wide search is in, its products' versions are
        // being asked for page by page: a portfolio's products wait for it.
        if self.global.is_none() {
            return Vec::new();
        }
        let known = self
            .global
            .iter()
            .flatten()
            .chain(self.membership.iter().flatten().flat_map(|(_, ps)| ps))
            .map(|p| p.id.clone());
        let mut wanted = Vec::new();
        for id in known {
            if self.requested.insert(id.clone()) {
                wanted.push(id);
            }
        }
        wanted
    }

    /// Sections that just became complete, each reported once, with the
    /// inventory brought up to date for them.
    fn complete_sections(&mut self) -> Vec<Section> {
        // The product lists are taken by the merge: once in, Products stays arrived.
        if self.global.is_some() && self.membership.is_some() {
            self.arrived.insert(Section::Products);
            // The TagOptions are read with the versions: the Versions
            // section waits for them.
            if !self.tag_options_asked {
                self.tag_options_asked = true;
                self.versions_pending += 1;
            }
        }
        // Every product's versions were asked for before this point (see the loop).
        if self.arrived.contains(&Section::Products) && self.versions_pending == 0 {
            self.arrived.insert(Section::Versions);
        }
        let now_done: Vec<Section> = self.arrived.difference(&self.done).copied().collect();
        if now_done.contains(&Section::Products) {
            self.merge_products();
            self.mark_unread_products();
            self.tag_options_wanted = Some(self.tag_option_sources());
        }
        if now_done.contains(&Section::Versions) {
            self.attach_versions();
        }
        let drift_ready = [Section::Versions, Section::Provisioned]
            .iter()
            .all(|s| self.arrived.contains(s));
        if drift_ready
            && (now_done.contains(&Section::Versions) || now_done.contains(&Section::Provisioned))
        {
            self.inventory.compute_drift();
        }
        if !now_done.is_empty() {
            self.sort_pieces();
        }
        self.done.extend(now_done.iter().copied());
        now_done
    }

    /// Each product, with the imported portfolio its shared TagOptions
    /// come through (none for the account's own products).
    fn tag_option_sources(&self) -> Vec<(String, Option<String>)> {
        self.inventory
            .products
            .iter()
            .map(|p| {
                let source = if p.origin.is_local() {
                    None
                } else {
                    p.portfolio_ids
                        .iter()
                        .find(|id| {
                            self.inventory
                                .portfolio(id)
                                .is_some_and(|pf| !pf.origin.is_local())
                        })
                        .cloned()
                };
                (p.id.clone(), source)
            })
            .collect()
    }

    /// The account-wide products and those of each portfolio, as one list
    /// by name, each knowing the portfolios that hold it.
    fn merge_products(&mut self) {
        let mut products: Vec<Product> = self.global.take().unwrap_or_default();
        let mut index: HashMap<String, usize> = products
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        for (portfolio_id, held) in self.membership.take().unwrap_or_default() {
            for product in held {
                let i = *index.entry(product.id.clone()).or_insert_with(|| {
                    products.push(product);
                    products.len() - 1
                });
                if !products[i].portfolio_ids.contains(&portfolio_id) {
                    products[i].portfolio_ids.push(portfolio_id.clone());
                }
            }
        }
        // Portfolio order as listed (local first), not arrival order.
        let order: HashMap<&str, usize> = self
            .inventory
            .portfolios
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        for p in &mut products {
            p.portfolio_ids
                .sort_by_key(|id| order.get(id.as_str()).copied().unwrap_or(usize::MAX));
        }
        products.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        self.inventory.products = products;
    }

    /// With the products in: when none was read and a product call failed,
    /// the products are not read (not "none"), and neither are versions.
    fn mark_unread_products(&mut self) {
        if self.inventory.products.is_empty() && self.search_failed {
            for p in &mut self.inventory.problems {
                if p.section == Section::Products {
                    p.missing = Missing::All;
                }
            }
            self.not_read_after(Section::Versions, Section::Products);
        }
    }

    fn attach_versions(&mut self) {
        for p in &mut self.inventory.products {
            if let Some(vs) = self.versions.remove(&p.id) {
                p.versions = vs;
            }
        }
    }

    /// Orders what arrives in pieces: shares and constraints by portfolio
    /// (as listed), then product name.
    fn sort_pieces(&mut self) {
        let order: HashMap<String, usize> = self
            .inventory
            .portfolios
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        let rank = |id: &str| order.get(id).copied().unwrap_or(usize::MAX);
        let names: HashMap<String, String> = self
            .inventory
            .products
            .iter()
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect();
        let name = |id: &str| names.get(id).cloned().unwrap_or_default();
        self.inventory.shares.sort_by(|a, b| {
            (rank(&a.portfolio_id), a.kind, &a.principal).cmp(&(
                rank(&b.portfolio_id),
                b.kind,
                &b.principal,
            ))
        });
        self.inventory.constraints.sort_by(|a, b| {
            (rank(&a.portfolio_id), name(&a.product_id), &a.kind, &a.id).cmp(&(
                rank(&b.portfolio_id),
                name(&b.product_id),
                &b.kind,
                &b.id,
            ))
        });
    }
}
