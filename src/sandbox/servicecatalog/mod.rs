//! Service Catalog over awsJson1_1: dispatch, access rules, and the response
//! shapes shared by several operations.

mod associate;
mod authoring;
mod constraints;
mod launch;
mod plans;
mod portfolio_admin;
mod portfolios;
mod principals;
mod products;
mod provisioned;
mod service_actions;
mod share_status;
mod tag_options;
mod terminate;

use serde_json::{Value, json};

use super::error::ApiError;
use super::protocol::json::{JsonRequest, timestamp};
use super::protocol::paging;
use super::server::Ctx;
use super::world::{
    Constraint, EndUserAccess, Portfolio, Product, ProvisionedProduct, Record, Version, World,
};

/// What an end user with AWSServiceCatalogEndUserReadOnlyAccess may call
/// (plans and provisioned products only at the user level).
const END_USER_OPERATIONS: &[&str] = &[
    "DescribeProduct",
    "DescribeProductView",
    "DescribeProvisioningParameters",
    "DescribeProvisionedProduct",
    "DescribeRecord",
    "GetProvisionedProductOutputs",
    "ListAcceptedPortfolioShares",
    "ListLaunchPaths",
    "ListRecordHistory",
    "ScanProvisionedProducts",
    "SearchProducts",
    "SearchProvisionedProducts",
    "DescribeProvisionedProductPlan",
    "ListProvisionedProductPlans",
    // guess: as AWS's end-user policies list them.
    "ListServiceActionsForProvisioningArtifact",
    "DescribeServiceAction",
    "DescribeServiceActionExecutionParameters",
];

/// What AWSServiceCatalogEndUserFullAccess adds: launching, updating and
/// planning (never associating products, constraining or sharing).
const END_USER_FULL_OPERATIONS: &[&str] = &[
    "ProvisionProduct",
    "UpdateProvisionedProduct",
    "TerminateProvisionedProduct",
    "CreateProvisionedProductPlan",
    "ExecuteProvisionedProductPlan",
    "DeleteProvisionedProductPlan",
    "ExecuteProvisionedProductServiceAction",
];

pub fn handle(
    world: &mut World,
    ctx: &Ctx,
    op: &str,
    req: &JsonRequest,
) -> Result<Value, ApiError> {
    check_access(ctx, op, req)?;
    match op {
        "ListPortfolios" => portfolios::list_portfolios(world, ctx, req),
        "DescribePortfolio" => portfolios::describe_portfolio(world, ctx, req),
        "CreatePortfolio" => portfolios::create_portfolio(world, ctx, req),
        "DeletePortfolio" => portfolios::delete_portfolio(world, ctx, req),
        "ListAcceptedPortfolioShares" => portfolios::list_accepted(world, ctx, req),
        "DescribePortfolioShares" => portfolios::describe_shares(world, ctx, req),
        "CreatePortfolioShare" => portfolios::create_share(world, ctx, req),
        "DeletePortfolioShare" => portfolios::delete_share(world, ctx, req),
        "DescribePortfolioShareStatus" => share_status::share_status(world, ctx, req),
        "AcceptPortfolioShare" => portfolios::accept_share(world, ctx, req),
        "ListPortfoliosForProduct" => portfolios::list_for_product(world, ctx, req),
        "ListConstraintsForPortfolio" => portfolios::list_constraints(world, ctx, req),
        "DescribeConstraint" => portfolios::describe_constraint(world, ctx, req),
        "SearchProductsAsAdmin" => products::search_as_admin(world, ctx, req),
        "SearchProducts" => products::search(world, ctx, req),
        "DescribeProduct" => products::describe(world, ctx, req),
        "DescribeProductAsAdmin" => products::describe_as_admin(world, ctx, req),
        "ListProvisioningArtifacts" => products::list_artifacts(world, ctx, req),
        "UpdateProvisioningArtifact" => products::update_artifact(world, ctx, req),
        "DescribeProvisioningArtifact" => authoring::describe_artifact(world, ctx, req),
        "ListTagOptions" => products::list_tag_options(world, ctx, req),
        "ListLaunchPaths" => launch::list_launch_paths(world, ctx, req),
        "DescribeProvisioningParameters" => launch::describe_parameters(world, ctx, req),
        "ProvisionProduct" => launch::provision(world, ctx, req),
        "UpdateProvisionedProduct" => launch::update(world, ctx, req),
        "TerminateProvisionedProduct" => terminate::terminate(world, ctx, req),
        "ListServiceActions" => service_actions::list(world, ctx, req),
        "ListServiceActionsForProvisioningArtifact" => {
            service_actions::list_for_artifact(world, ctx, req)
        }
        "DescribeServiceAction" => service_actions::describe(world, ctx, req),
        "DescribeServiceActionExecutionParameters" => {
            service_actions::execution_parameters(world, ctx, req)
        }
        "ExecuteProvisionedProductServiceAction" => service_actions::execute(world, ctx, req),
        "AssociateServiceActionWithProvisioningArtifact" => {
            service_actions::associate(world, ctx, req)
        }
        "DisassociateServiceActionFromProvisioningArtifact" => {
            service_actions::disassociate(world, ctx, req)
        }
        "SearchProvisionedProducts" => provisioned::search(world, ctx, req),
        "ScanProvisionedProducts" => provisioned::scan(world, ctx, req),
        "DescribeProvisionedProduct" => provisioned::describe(world, ctx, req),
        "DescribeRecord" => provisioned::describe_record(world, ctx, req),
        "ListRecordHistory" => provisioned::record_history(world, ctx, req),
        "GetProvisionedProductOutputs" => provisioned::outputs(world, ctx, req),
        "AssociateProductWithPortfolio" => associate::associate(world, ctx, req),
        "DisassociateProductFromPortfolio" => associate::disassociate(world, ctx, req),
        "CreateConstraint" => constraints::create(world, ctx, req),
        "DeleteConstraint" => constraints::delete(world, ctx, req),
        "UpdatePortfolio" => portfolio_admin::update_portfolio(world, ctx, req),
        "ListPortfolioAccess" => portfolio_admin::list_access(world, ctx, req),
        "AssociatePrincipalWithPortfolio" => principals::associate(world, ctx, req),
        "DisassociatePrincipalFromPortfolio" => principals::disassociate(world, ctx, req),
        "ListPrincipalsForPortfolio" => principals::list(world, ctx, req),
        "CreateTagOption" => tag_options::create(world, ctx, req),
        "AssociateTagOptionWithResource" => tag_options::associate(world, ctx, req),
        "DisassociateTagOptionFromResource" => tag_options::disassociate(world, ctx, req),
        "CreateProduct" => authoring::create_product(world, ctx, req),
        "UpdateProduct" => authoring::update_product(world, ctx, req),
        "DeleteProduct" => authoring::delete_product(world, ctx, req),
        "CreateProvisioningArtifact" => authoring::create_artifact(world, ctx, req),
        "DeleteProvisioningArtifact" => authoring::delete_artifact(world, ctx, req),
        "CreateProvisionedProductPlan" => plans::create(world, ctx, req),
        "DescribeProvisionedProductPlan" => plans::describe(world, ctx, req),
        "ListProvisionedProductPlans" => plans::list(world, ctx, req),
        "DeleteProvisionedProductPlan" => plans::delete(world, ctx, req),
        "ExecuteProvisionedProductPlan" => plans::execute(world, ctx, req),
        other => Err(ApiError::new(
            400,
            "UnknownOperationException",
            format!("The sandbox does not emulate {other}"),
        )),
    }
}

fn access_denied(ctx: &Ctx, action: &str) -> ApiError {
    let arn = &ctx.caller_arn;
    ApiError::new(
        400,
        "AccessDeniedException",
        format!(
            "User: {arn} is not authorized to perform: servicecatalog:{action} on resource: arn:aws:catalog:{}:{}:* because no identity-based policy allows the servicecatalog:{action} action",
            ctx.region, ctx.account
        ),
    )
}

/// Accounts limited to end-user rights are refused admin calls and account-level access.
fn check_access(ctx: &Ctx, op: &str, req: &JsonRequest) -> Result<(), ApiError> {
    let Some(access) = ctx.end_user else {
        return Ok(());
    };
    let allowed = END_USER_OPERATIONS.contains(&op)
        || (access == EndUserAccess::FullAccess && END_USER_FULL_OPERATIONS.contains(&op));
    if !allowed {
        return Err(access_denied(ctx, op));
    }
    let level = req
        .object("AccessLevelFilter")?
        .and_then(|f| f.get("Key"))
        .and_then(Value::as_str);
    if matches!(level, Some("Account" | "Role")) {
        return Err(access_denied(ctx, op));
    }
    Ok(())
}

/// The page token error of Service Catalog.
fn invalid_token() -> ApiError {
    ApiError::invalid_parameters("The page token is not valid.")
}

/// One page of `items`, with the page size and token the request carries.
fn paged<T: Clone>(
    op: &str,
    ctx: &Ctx,
    req: &JsonRequest,
    items: &[T],
    max: usize,
) -> Result<(Vec<T>, Option<String>), ApiError> {
    let size = paging::page_size(req.int("PageSize")?, max, 20, "pageSize")?;
    let scope = format!("{op}/{}/{}", ctx.account, ctx.region);
    let offset = paging::offset(&scope, req.str("PageToken")?, invalid_token)?;
    Ok(paging::page(&scope, items, offset, size))
}

pub fn portfolio_detail(p: &Portfolio) -> Value {
    json!({
        "Id": p.id, "ARN": p.arn(), "DisplayName": p.name,
        "Description": (!p.description.is_empty()).then_some(&p.description),
        "CreatedTime": timestamp(p.created), "ProviderName": p.provider,
    })
}

/// A portfolio the caller can see (its own or imported), or ResourceNotFoundException.
fn visible_portfolio<'w>(world: &'w World, ctx: &Ctx, id: &str) -> Result<&'w Portfolio, ApiError> {
    world
        .portfolios
        .get(id)
        .filter(|p| {
            p.region == ctx.region
                && (p.owner == ctx.account || world.import_type(&ctx.account, p).is_some())
        })
        .ok_or_else(|| ApiError::not_found(format!("Portfolio {id} not found.")))
}

/// A product the caller can reach, or ResourceNotFoundException.
fn visible_product<'w>(world: &'w World, ctx: &Ctx, id: &str) -> Result<&'w Product, ApiError> {
    world
        .products
        .get(id)
        .filter(|p| {
            // As `World::visible_product_ids`, for one product: no set built.
            (p.owner_account == ctx.account && p.region == ctx.region)
                || world
                    .visible_portfolios(&ctx.account, &ctx.region)
                    .any(|pf| pf.products.iter().any(|x| x == id))
        })
        .ok_or_else(|| ApiError::not_found(format!("Product {id} not found.")))
}

/// Launch paths of a product for the caller: the visible portfolios that hold it.
fn launch_paths<'w>(world: &'w World, ctx: &Ctx, product_id: &str) -> Vec<&'w Portfolio> {
    world
        .visible_portfolios(&ctx.account, &ctx.region)
        .filter(|p| p.products.iter().any(|x| x == product_id))
        .collect()
}

pub fn product_view_summary(world: &World, ctx: &Ctx, p: &Product) -> Value {
    json!({
        "Id": p.view_id, "ProductId": p.id, "Name": p.name, "Owner": p.owner,
        "ShortDescription": (!p.description.is_empty()).then_some(&p.description),
        "Type": p.product_type,
        "Distributor": (!p.distributor.is_empty()).then_some(&p.distributor),
        "HasDefaultPath": launch_paths(world, ctx, &p.id).len() == 1,
        "SupportEmail": (!p.support_email.is_empty()).then_some(&p.support_email),
    })
}

pub fn product_view_detail(world: &World, ctx: &Ctx, p: &Product) -> Value {
    json!({
        "ProductViewSummary": product_view_summary(world, ctx, p),
        "Status": "AVAILABLE",
        "ProductARN": p.arn(),
        "CreatedTime": timestamp(p.created),
    })
}

pub fn artifact_detail(v: &Version) -> Value {
    json!({
        "Id": v.id, "Name": v.name,
        "Description": (!v.description.is_empty()).then_some(&v.description),
        "Type": "CLOUD_FORMATION_TEMPLATE", "CreatedTime": timestamp(v.created),
        "Active": v.active, "Guidance": v.guidance,
    })
}

pub fn constraint_detail(c: &Constraint) -> Value {
    json!({
        "ConstraintId": c.id, "Type": c.constraint_type,
        "Description": (!c.description.is_empty()).then_some(&c.description),
        "Owner": c.owner, "ProductId": c.product_id, "PortfolioId": c.portfolio_id,
    })
}

/// A member that is absent rather than empty (a provisioned product a plan reserved has no record yet).
fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

fn tags(list: &[(String, String)]) -> Value {
    Value::Array(
        list.iter()
            .map(|(k, v)| json!({"Key": k, "Value": v}))
            .collect(),
    )
}

/// The ProvisionedProductAttribute shape (SearchProvisionedProducts).
pub fn pp_attribute(world: &World, pp: &ProvisionedProduct) -> Value {
    let product = world.products.get(&pp.product_id);
    json!({
        "Name": pp.name, "Arn": pp.arn(), "Type": "CFN_STACK", "Id": pp.id,
        "Status": pp.status.wire(),
        "StatusMessage": (!pp.status_message.is_empty()).then_some(&pp.status_message),
        "CreatedTime": timestamp(pp.created), "IdempotencyToken": pp.idempotency_token,
        "LastRecordId": non_empty(&pp.last_record_id),
        "LastProvisioningRecordId": non_empty(&pp.last_provisioning_record_id),
        "LastSuccessfulProvisioningRecordId": pp.last_successful_record_id,
        "Tags": tags(&pp.tags), "PhysicalId": pp.stack_id,
        "ProductId": pp.product_id, "ProductName": product.map(|p| p.name.clone()),
        "ProvisioningArtifactId": pp.artifact_id,
        "ProvisioningArtifactName": product.and_then(|p| p.version(&pp.artifact_id)).map(|v| v.name.clone()),
        "UserArn": pp.user_arn, "UserArnSession": pp.user_arn,
    })
}

/// The ProvisionedProductDetail shape (Scan/DescribeProvisionedProduct).
pub fn pp_detail(pp: &ProvisionedProduct) -> Value {
    json!({
        "Name": pp.name, "Arn": pp.arn(), "Type": "CFN_STACK", "Id": pp.id,
        "Status": pp.status.wire(),
        "StatusMessage": (!pp.status_message.is_empty()).then_some(&pp.status_message),
        "CreatedTime": timestamp(pp.created), "IdempotencyToken": pp.idempotency_token,
        "LastRecordId": non_empty(&pp.last_record_id),
        "LastProvisioningRecordId": non_empty(&pp.last_provisioning_record_id),
        "LastSuccessfulProvisioningRecordId": pp.last_successful_record_id,
        "ProductId": pp.product_id, "ProvisioningArtifactId": pp.artifact_id,
        "LaunchRoleArn": pp.launch_role_arn,
    })
}

pub fn record_detail(r: &Record) -> Value {
    json!({
        "RecordId": r.id, "ProvisionedProductName": r.pp_name, "Status": r.status.wire(),
        "CreatedTime": timestamp(r.created), "UpdatedTime": timestamp(r.updated),
        "ProvisionedProductType": "CFN_STACK", "RecordType": r.record_type,
        "ProvisionedProductId": r.pp_id, "ProductId": r.product_id,
        "ProvisioningArtifactId": r.artifact_id, "PathId": r.path_id,
        "RecordErrors": r.errors.iter().map(|(c, d)| json!({"Code": c, "Description": d})).collect::<Vec<_>>(),
        "RecordTags": tags(&r.tags),
        "LaunchRoleArn": r.launch_role_arn,
    })
}

/// The model's `Id` shape: 1 to 100 characters of `[a-zA-Z0-9_\-]`.
fn check_id(member: &str, value: &str) -> Result<(), ApiError> {
    if value.is_empty() || value.len() > 100 {
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must have length between 1 and 100"
        )));
    }
    if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_\\-]*"
        )));
    }
    Ok(())
}
