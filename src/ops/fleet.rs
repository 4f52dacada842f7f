//! A fleet: many accounts read at once, from several profiles or from one
//! organization through an assumed role.
//!
//! [`connect`] reaches every member (an account that cannot be reached is
//! kept, with the reason — never dropped); [`scan_drift`] reads the drift of
//! every provisioned product of every reachable member, at most
//! [`ACCOUNTS_AT_ONCE`] accounts at a time and, inside each, the per-product
//! calls [`CONCURRENCY`](crate::aws::read::CONCURRENCY) at a time, handing
//! each account's result over as soon as it is complete.
//!
//! The calls of one account: `GetCallerIdentity` (memoized: already made by
//! [`connect`]) and `SearchProvisionedProducts` (100 per page); then one
//! `ListProvisioningArtifacts` per product the *fleet* runs, shared by every
//! account ([`VersionCache`]). Its longest chain of dependent calls is 1
//! (identity) + pages + 1 (versions), plus the AssumeRole in organization
//! mode.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

use futures::StreamExt;
use serde::{Deserialize, Serialize};

use crate::aws::read::concurrently;
use crate::aws::{
    AwsError, CallLog, Gate, ProfileSource, Reader, Refusal, Session, Writer, role_arn,
};
use crate::model::{AccountDrift, CallerIdentity, DriftRow, OrgAccount, Version};
use std::sync::Arc;
use tokio::sync::OnceCell;

/// How many accounts are scanned (or connected) at once. Each account is a
/// short chain (AssumeRole, identity, one search page, its share of the
/// version lists) with its own API limits, so many can run together: at 64,
/// 100 accounts take two waves (`cargo bench --bench drift`: 1.4 s median;
/// 1.7 s at 32).
pub const ACCOUNTS_AT_ONCE: usize = 128;

/// Which accounts make the fleet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Selection {
    /// These profiles, one account each.
    Profiles { names: Vec<String> },
    /// Every active account of the organization that `profile` (its
    /// management account or a delegated administrator) sees, through
    /// role `role` in each (the profile's own account directly).
    Organization { profile: String, role: String },
}

impl Selection {
    /// "profiles hub, spoke-dev" / "organization of hub via OrganizationAccountAccessRole".
    pub fn describe(&self) -> String {
        match self {
            Selection::Profiles { names } => format!("profiles {}", names.join(", ")),
            Selection::Organization { profile, role } => {
                format!("the organization of {profile}, through role {role}")
            }
        }
    }
}

/// One account of the fleet, reached or not.
#[derive(Debug, Clone)]
pub struct Member {
    /// The profile, or the account's name in the organization.
    pub label: String,
    /// Its id, when known (always in organization mode).
    pub account: Option<String>,
    /// Its name in the organization (organization mode only): the
    /// read-only rules' account-name globs match it.
    pub name: Option<String>,
    /// The session and reader, or why the account cannot be reached.
    pub reach: Result<(Session, Reader), AwsError>,
}

impl Member {
    pub fn reader(&self) -> Option<&Reader> {
        self.reach.as_ref().ok().map(|(_, r)| r)
    }

    pub fn session(&self) -> Option<&Session> {
        self.reach.as_ref().ok().map(|(s, _)| s)
    }
}

/// One account to reach: a profile, or an account of the organization
/// reached from the base session.
#[derive(Debug, Clone)]
enum Target {
    Profile(String),
    Organization {
        account: OrgAccount,
        base: std::sync::Arc<OrgBase>,
    },
}

/// What every account of an organization is reached from.
#[derive(Debug)]
struct OrgBase {
    session: Session,
    reader: Reader,
    me: CallerIdentity,
    role: String,
}

/// The accounts of `selection`; in organization mode the base profile is
/// connected and the organization listed (the only failures that stop it).
async fn targets(
    source: &ProfileSource,
    selection: &Selection,
    region: Option<&str>,
    log: CallLog,
) -> Result<Vec<Target>, AwsError> {
    let (tx, rx) = futures::channel::mpsc::unbounded();
    stream_targets(source, selection, region, log, tx).await?;
    Ok(rx.collect().await)
}

/// [`targets`], each sent to `out` as soon as it is known: in organization
/// mode, page by page of ListAccounts (the first accounts are reached while
/// the next page is asked for). Returns how many there are.
async fn stream_targets(
    source: &ProfileSource,
    selection: &Selection,
    region: Option<&str>,
    log: CallLog,
    out: futures::channel::mpsc::UnboundedSender<Target>,
) -> Result<usize, AwsError> {
    match selection {
        Selection::Profiles { names } => {
            for name in names {
                let _ = out.unbounded_send(Target::Profile(name.clone()));
            }
            Ok(names.len())
        }
        Selection::Organization { profile, role } => {
            let base = Session::connect_with_log(source, profile, region, log).await?;
            let base_reader = Reader::new(&base);
            // Who the profile is (for the role ARNs' partition and its own
            // account) and the organization's accounts, asked together; the
            // accounts go on as their page arrives, once the identity is in.
            let (page_tx, mut page_rx) = futures::channel::mpsc::unbounded::<OrgAccount>();
            let reader = &base_reader;
            let listing = async move {
                let on_page = |page: &[OrgAccount]| {
                    for a in page {
                        let _ = page_tx.unbounded_send(a.clone());
                    }
                };
                reader.list_org_accounts_paged(&on_page).await
            };
            let forwarding = async {
                let me = reader.caller_identity().await?;
                let base = std::sync::Arc::new(OrgBase {
                    session: base.clone(),
                    reader: reader.clone(),
                    me,
                    role: role.clone(),
                });
                let mut n = 0;
                while let Some(account) = page_rx.next().await {
                    n += 1;
                    let _ = out.unbounded_send(Target::Organization {
                        account,
                        base: base.clone(),
                    });
                }
                Ok::<usize, AwsError>(n)
            };
            let (listed, forwarded) = tokio::join!(listing, forwarding);
            listed.map_err(|e| match e {
                AwsError::AccessDenied {
                    profile,
                    message,
                    status,
                    ..
                } => AwsError::AccessDenied {
                    profile,
                    operation: "ListAccounts".into(),
                    status,
                    message: format!(
                        "{message} — organization mode needs the management account or a delegated administrator"
                    ),
                },
                other => other,
            })?;
            forwarded
        }
    }
}

/// Reaches one target: its session, and its caller identity asked once
/// (so an account with bad credentials shows its reason at once).
async fn reach(
    source: &ProfileSource,
    region: Option<&str>,
    log: CallLog,
    target: Target,
) -> Member {
    match target {
        Target::Profile(name) => {
            let reach = async {
                let session = Session::connect_with_log(source, &name, region, log).await?;
                let reader = Reader::new(&session);
                reader.caller_identity().await?;
                Ok((session, reader))
            }
            .await;
            let account = match &reach {
                Ok((_, r)) => r.account().await.ok(),
                Err(_) => None,
            };
            Member {
                label: name,
                account,
                name: None,
                reach,
            }
        }
        Target::Organization { account, base } => {
            let label = if account.name.is_empty() {
                account.id.clone()
            } else {
                account.name.clone()
            };
            let reach = if !account.is_active() {
                Err(AwsError::Other {
                    operation: "ListAccounts".into(),
                    detail: format!("the account is {}", account.status),
                })
            } else if account.id == base.me.account_id {
                Ok((base.session.clone(), base.reader.clone()))
            } else {
                let arn = role_arn(&base.me.arn, &account.id, &base.role);
                match base.session.assume(&arn, &label).await {
                    Ok(session) => {
                        let reader = Reader::new(&session);
                        reader.caller_identity().await.map(|_| (session, reader))
                    }
                    Err(e) => Err(e),
                }
            };
            Member {
                label,
                account: Some(account.id),
                name: (!account.name.is_empty()).then_some(account.name),
                reach,
            }
        }
    }
}

/// Reaches every account of `selection`, [`ACCOUNTS_AT_ONCE`] at a time.
/// Fails only when the organization itself cannot be listed.
pub async fn connect(
    source: &ProfileSource,
    selection: &Selection,
    region: Option<&str>,
    log: CallLog,
) -> Result<Vec<Member>, AwsError> {
    let targets = targets(source, selection, region, log.clone()).await?;
    Ok(futures::stream::iter(
        targets
            .into_iter()
            .map(|t| reach(source, region, log.clone(), t))
            .collect::<Vec<_>>(),
    )
    .buffered(ACCOUNTS_AT_ONCE)
    .collect()
    .await)
}

/// [`connect`] and [`scan_drift`] in one pass: each account is scanned as
/// soon as it is reached (no account waits for the slowest to connect).
/// `on_count` hears how many accounts there are, `on_account` each as it
/// is complete. Members and results in selection order.
pub async fn connect_and_scan(
    source: &ProfileSource,
    selection: &Selection,
    region: Option<&str>,
    log: CallLog,
    on_count: impl FnOnce(usize),
    mut on_account: impl FnMut(&AccountDrift),
) -> Result<(Vec<Member>, Vec<AccountDrift>), AwsError> {
    let cache = &VersionCache::default();
    // Listing, reaching and scanning are three stages, reaching and scanning
    // ACCOUNTS_AT_ONCE wide, each driven on its own (joined, not chained: a
    // chained stage is only polled when the next has room), so an account
    // is reached as soon as it is listed, while the ones before it are
    // still scanned.
    let (target_tx, target_rx) = futures::channel::mpsc::unbounded();
    // The listing is a chain of pages, each waiting for the last one's
    // token: it runs as a task of its own, so that a page's answer is
    // taken when it comes, not when the reaching and the scanning of the
    // accounts before it let this task be polled (on a multi-threaded
    // runtime the two go on side by side).
    let listed = Aborting(tokio::spawn({
        let (source, selection, log) = (source.clone(), selection.clone(), log.clone());
        let region = region.map(str::to_string);
        async move { stream_targets(&source, &selection, region.as_deref(), log, target_tx).await }
    }));
    let listing = async move {
        let listed = match listed.await {
            Ok(listed) => listed,
            Err(e) => Err(AwsError::Other {
                operation: "ListAccounts".into(),
                detail: format!("the listing stopped: {e}"),
            }),
        };
        if let Ok(n) = &listed {
            on_count(*n);
        }
        listed
    };
    // Reached accounts wait for the scan in a queue as wide as the scan:
    // each holds its session's clients, so reaching does not run
    // thousands ahead of scanning when the scan is the slower.
    let (reached_tx, reached_rx) = futures::channel::mpsc::channel(ACCOUNTS_AT_ONCE);
    let reaching = async move {
        target_rx
            .enumerate()
            .map(|(i, t)| {
                let log = log.clone();
                async move { (i, reach(source, region, log, t).await) }
            })
            .buffer_unordered(ACCOUNTS_AT_ONCE)
            .for_each(|reached| {
                let mut tx = reached_tx.clone();
                async move {
                    let _ = futures::SinkExt::send(&mut tx, reached).await;
                }
            })
            .await;
    };
    let mut done = Vec::new();
    let scanning = async {
        let mut stream = reached_rx
            .map(|(i, mut member)| async move {
                let drift = account_drift(&member, cache).await;
                // Kept for the caller (writers, reports), not its clients:
                // an SDK client per account of 10,000 is most of the memory.
                if let Ok((_, reader)) = &mut member.reach {
                    *reader = reader.without_clients();
                }
                (i, member, drift)
            })
            .buffer_unordered(ACCOUNTS_AT_ONCE);
        while let Some((i, member, drift)) = stream.next().await {
            on_account(&drift);
            done.push((i, member, drift));
        }
    };
    let (listed, (), ()) = tokio::join!(listing, reaching, scanning);
    listed?;
    done.sort_by_key(|(i, ..)| *i);
    Ok(done.into_iter().map(|(_, m, d)| (m, d)).unzip())
}

/// A task that ends with the scan that spawned it: a scan dropped (a
/// console that moved on) stops its listing too.
struct Aborting<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for Aborting<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<T> std::future::Future for Aborting<T> {
    type Output = Result<T, tokio::task::JoinError>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        std::pin::Pin::new(&mut self.0).poll(cx)
    }
}

/// The versions of each product, read once for the whole fleet: a
/// product's versions are the product's, the same from every account that
/// can see it (the hub's products imported by a hundred spokes are listed
/// once, not a hundred times). Concurrent askers of one product wait for
/// the one call; a failure is not kept, so the next account tries with its
/// own credentials.
#[derive(Debug, Default)]
pub struct VersionCache {
    cells: std::sync::Mutex<HashMap<String, Arc<OnceCell<Vec<Version>>>>>,
}

impl VersionCache {
    async fn versions(&self, reader: &Reader, product_id: &str) -> Result<Vec<Version>, AwsError> {
        let cell = {
            let mut cells = self.cells.lock().unwrap_or_else(|p| p.into_inner());
            cells.entry(product_id.to_string()).or_default().clone()
        };
        cell.get_or_try_init(|| reader.list_versions(product_id))
            .await
            .cloned()
    }
}

/// The drift of one member's provisioned products, the versions shared
/// through `cache`.
pub async fn account_drift(member: &Member, cache: &VersionCache) -> AccountDrift {
    let reader = match &member.reach {
        Ok((_, reader)) => reader,
        Err(e) => {
            return AccountDrift::unreachable(&member.label, member.account.clone(), e.to_string());
        }
    };
    let provisioned = match reader.list_provisioned().await {
        Ok(p) => p,
        Err(e) => {
            return AccountDrift::unreachable(&member.label, member.account.clone(), e.to_string());
        }
    };
    let products: BTreeSet<String> = provisioned.iter().map(|p| p.product_id.clone()).collect();
    // Accounts scanned together mostly run the same products: each asks for
    // them in its own order, so that together they list different products
    // at once instead of all waiting on the same few.
    let mut products: Vec<String> = products.into_iter().collect();
    products.sort_by_cached_key(|id| {
        let mut h = std::hash::DefaultHasher::new();
        (&member.label, id).hash(&mut h);
        h.finish()
    });
    let listed = concurrently(products, |id| async move {
        let r = cache.versions(reader, &id).await;
        (id, r)
    })
    .await;
    let mut versions = BTreeMap::new();
    // The same failure for many products is said once, naming them.
    let mut failed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, r) in listed {
        match r {
            Ok(v) => {
                versions.insert(id, v);
            }
            Err(e) => failed.entry(e.to_string()).or_default().push(id),
        }
    }
    let problems = failed
        .into_iter()
        .map(|(e, ids)| match ids.as_slice() {
            [one] => format!("versions of {one}: {e}"),
            _ => format!(
                "versions of {} products ({}{}): {e}",
                ids.len(),
                ids[..3.min(ids.len())].join(", "),
                if ids.len() > 3 { ", …" } else { "" }
            ),
        })
        .collect();
    let rows = provisioned
        .into_iter()
        .map(|p| {
            // A product whose versions failed is not in `versions`: its
            // provisioned products' drift is not read, never made up.
            let vs = versions.get(&p.product_id).map(Vec::as_slice);
            DriftRow::new(&member.label, p, vs)
        })
        .collect();
    AccountDrift {
        label: member.label.clone(),
        account: reader.account().await.ok().or(member.account.clone()),
        rows,
        versions,
        problems,
        unreachable: None,
    }
}

/// [`account_drift`] of every member, [`ACCOUNTS_AT_ONCE`] at a time,
/// `on_account` called as each completes; the result in member order.
pub async fn scan_drift(
    members: &[Member],
    mut on_account: impl FnMut(&AccountDrift),
) -> Vec<AccountDrift> {
    let mut done: Vec<(usize, AccountDrift)> = Vec::with_capacity(members.len());
    let cache = &VersionCache::default();
    let mut stream = futures::stream::iter(
        members
            .iter()
            .enumerate()
            .map(|(i, m)| async move { (i, account_drift(m, cache).await) })
            .collect::<Vec<_>>(),
    )
    .buffer_unordered(ACCOUNTS_AT_ONCE);
    while let Some((i, account)) = stream.next().await {
        on_account(&account);
        done.push((i, account));
    }
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, a)| a).collect()
}

/// The writers of a fleet, each given by the [`Gate`] for its own
/// account, and the members it refused (by label).
#[derive(Debug, Default)]
pub struct Writers {
    by_label: HashMap<String, Writer>,
    refused: BTreeMap<String, Refusal>,
}

impl Writers {
    /// No member may write (a read-only plan, a test).
    pub fn none() -> Writers {
        Writers::default()
    }

    pub fn get(&self, label: &str) -> Option<&Writer> {
        self.by_label.get(label)
    }

    /// Why `label` was given no writer, if it was refused.
    pub fn refused(&self, label: &str) -> Option<&Refusal> {
        self.refused.get(label)
    }

    /// Every refused member, by label.
    pub fn refusals(&self) -> impl Iterator<Item = (&String, &Refusal)> {
        self.refused.iter()
    }

    /// The same writers, their journal lines tagged with a bulk run's id.
    pub fn in_batch(&self, batch: &str) -> Writers {
        Writers {
            by_label: self
                .by_label
                .iter()
                .map(|(l, w)| (l.clone(), w.in_batch(batch)))
                .collect(),
            refused: self.refused.clone(),
        }
    }
}

/// Asks `gate` for a writer for every reachable member, each decided on
/// its own account (its profile, id and organization name): a read-only
/// member is refused, with the reason, and the others are given one.
pub async fn writers(members: &[Member], gate: &Gate) -> Writers {
    let mut writers = Writers::default();
    for m in members {
        if let Ok((session, reader)) = &m.reach
            && let Ok(identity) = reader.caller_identity().await
        {
            match gate.writer(session, &identity, m.name.as_deref()) {
                Ok(writer) => {
                    writers.by_label.insert(m.label.clone(), writer);
                }
                Err(refusal) => {
                    writers.refused.insert(m.label.clone(), refusal);
                }
            }
        }
    }
    writers
}

impl Member {
    /// The member of one connected session.
    pub fn of_session(session: Session, reader: Reader, account: Option<String>) -> Member {
        Member {
            label: session.profile().to_string(),
            account,
            name: None,
            reach: Ok((session, reader)),
        }
    }
}
