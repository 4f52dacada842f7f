"""Drives botocore (a client no one here wrote) against the spoke sandbox.

Usage: AWS_CONFIG_FILE=FILE python3 botocore_read.py
Every read operation of the sandbox is called through botocore's own
serializers and parsers, with paging; then Organizations, STS AssumeRole and
the Service Catalog writes, S3, ValidateTemplate and the authoring calls (last, as
they change the world). Each check
prints one line, and the last line is 'N passed, N failed'. Exits non-zero on any failure.
"""
import configparser
import os
import sys

import botocore.session
from botocore.exceptions import ClientError

passed = 0
failed = 0


def check(name, fn):
    global passed, failed
    try:
        fn()
        passed += 1
        print(f"ok   {name}")
    except Exception as e:  # noqa: BLE001 - report every failure and go on
        failed += 1
        print(f"FAIL {name}: {type(e).__name__}: {e}")


def expect_error(code, fn):
    try:
        fn()
    except ClientError as e:
        got = e.response["Error"]["Code"]
        assert got == code, f"expected {code}, got {got}"
        return
    raise AssertionError(f"expected {code}, got success")


def client(profile, service):
    s = botocore.session.Session(profile=profile)
    return s.create_client(service)


def pages(c, op, key, **kw):
    out = []
    for page in c.get_paginator(op).paginate(**kw):
        out.extend(page.get(key, []))
    return out


def manual_pages(call, key, page_size, **kw):
    """Follows PageToken/NextPageToken by hand, for operations botocore has no paginator for."""
    out, token = [], None
    while True:
        args = dict(kw, PageSize=page_size)
        if token:
            args["PageToken"] = token
        page = call(**args)
        out.extend(page.get(key, []))
        token = page.get("NextPageToken")
        if not token:
            return out


def profile_names():
    cp = configparser.ConfigParser()
    cp.read(os.environ["AWS_CONFIG_FILE"])
    return [s.split(" ", 1)[1] for s in cp.sections() if s.startswith("profile ")]


def run():
    profiles = profile_names()
    assert "hub" in profiles, profiles
    for p in profiles:
        sts = client(p, "sts")
        check(f"{p}: sts get_caller_identity", lambda: sts.get_caller_identity()["Account"])

    sc = client("hub", "servicecatalog")
    cfn = client("hub", "cloudformation")
    state = {}

    def portfolios():
        one_per_page = pages(sc, "list_portfolios", "PortfolioDetails", PaginationConfig={"PageSize": 1})
        all_at_once = sc.list_portfolios(PageSize=100)["PortfolioDetails"]
        assert len(one_per_page) == len(all_at_once) >= 2, (len(one_per_page), len(all_at_once))
        assert all(p["CreatedTime"].year > 2000 for p in all_at_once)
        state["portfolio"] = all_at_once[0]["Id"]

    check("hub: list_portfolios pages of 1 equal one page of 100", portfolios)
    check("hub: describe_portfolio", lambda: sc.describe_portfolio(Id=state["portfolio"])["PortfolioDetail"]["ARN"])
    for t in ["ACCOUNT", "ORGANIZATION", "ORGANIZATIONAL_UNIT", "ORGANIZATION_MEMBER_ACCOUNT"]:
        check(f"hub: describe_portfolio_shares {t}", lambda t=t: sc.describe_portfolio_shares(PortfolioId=state["portfolio"], Type=t))

    def products():
        items = pages(sc, "search_products_as_admin", "ProductViewDetails", PaginationConfig={"PageSize": 2})
        assert len(items) >= 2
        state["product"] = items[0]["ProductViewSummary"]["ProductId"]

    check("hub: search_products_as_admin paginated", products)
    check("hub: describe_product_as_admin", lambda: sc.describe_product_as_admin(Id=state["product"])["ProvisioningArtifactSummaries"][0]["Id"])
    check("hub: list_portfolios_for_product", lambda: pages(sc, "list_portfolios_for_product", "PortfolioDetails", ProductId=state["product"]))

    def end_user_view():
        views = manual_pages(sc.search_products, "ProductViewSummaries", 2)
        assert len(views) >= 2 and all("ProductId" in v for v in views)
        described = sc.describe_product(Id=views[0]["ProductId"])
        assert described["ProductViewSummary"]["ProductId"] == views[0]["ProductId"]
        assert all("Guidance" in a for a in described["ProvisioningArtifacts"])
        assert described["LaunchPaths"]

    check("hub: search_products and describe_product (the end-user view)", end_user_view)

    def artifacts():
        arts = sc.list_provisioning_artifacts(ProductId=state["product"])["ProvisioningArtifactDetails"]
        assert arts and all("Active" in a and "Guidance" in a for a in arts)
        state["artifact"] = arts[0]["Id"]

    check("hub: list_provisioning_artifacts", artifacts)

    def constraints():
        items = pages(sc, "list_constraints_for_portfolio", "ConstraintDetails", PortfolioId=state["portfolio"])
        for c in items:
            sc.describe_constraint(Id=c["ConstraintId"])["ConstraintParameters"]

    check("hub: list_constraints_for_portfolio + describe_constraint", constraints)

    def paths():
        items = pages(sc, "list_launch_paths", "LaunchPathSummaries", ProductId=state["product"])
        assert items
        state["path"] = items[0]["Id"]

    check("hub: list_launch_paths", paths)
    check(
        "hub: describe_provisioning_parameters",
        lambda: sc.describe_provisioning_parameters(ProductId=state["product"], ProvisioningArtifactId=state["artifact"], PathId=state["path"]),
    )
    check("hub: list_tag_options", lambda: pages(sc, "list_tag_options", "TagOptionDetails"))

    for p in profiles:
        spoke = client(p, "servicecatalog")
        spoke_cfn = client(p, "cloudformation")
        acc = {"Key": "Account", "Value": "self"}

        def provisioned(spoke=spoke, spoke_cfn=spoke_cfn, p=p):
            items = manual_pages(spoke.search_provisioned_products, "ProvisionedProducts", 3, AccessLevelFilter=acc)
            scanned = manual_pages(spoke.scan_provisioned_products, "ProvisionedProducts", 20, AccessLevelFilter=acc)
            assert len({pp["Id"] for pp in items}) == len(items), "no duplicates across pages"
            assert len(items) == len(scanned), (len(items), len(scanned))
            for pp in items[:3]:
                spoke.describe_provisioned_product(Id=pp["Id"])
                spoke.describe_record(Id=pp["LastRecordId"])
                spoke.get_provisioned_product_outputs(ProvisionedProductId=pp["Id"])
                events = pages(spoke_cfn, "describe_stack_events", "StackEvents", StackName=pp["PhysicalId"])
                assert events, pp["PhysicalId"]
                assert events[0]["Timestamp"] >= events[-1]["Timestamp"], "newest first"
                spoke_cfn.describe_stacks(StackName=pp["PhysicalId"])["Stacks"][0]["StackStatus"]
                resources = spoke_cfn.describe_stack_resources(StackName=pp["PhysicalId"])["StackResources"]
                body = spoke_cfn.get_template(StackName=pp["PhysicalId"])["TemplateBody"]
                # botocore decodes a JSON template body into a dict.
                assert {r["LogicalResourceId"] for r in resources} <= set(body["Resources"]), body
            manual_pages(spoke.list_record_history, "RecordDetails", 20, AccessLevelFilter=acc)
            pages(spoke_cfn, "describe_stacks", "Stacks")

        check(f"{p}: provisioned products, records, outputs, stacks and events", provisioned)
        for kind in ["IMPORTED", "AWS_ORGANIZATIONS"]:
            check(f"{p}: list_accepted_portfolio_shares {kind}", lambda spoke=spoke, kind=kind: pages(spoke, "list_accepted_portfolio_shares", "PortfolioDetails", PortfolioShareType=kind))

    identity_and_writes(profiles)

    check("error: ResourceNotFoundException", lambda: expect_error("ResourceNotFoundException", lambda: sc.describe_portfolio(Id="port-doesnotexist1")))
    check("error: ValidationException on PageSize", lambda: expect_error("ValidationException", lambda: sc.list_portfolios(PageSize=101)))
    check("error: CloudFormation ValidationError", lambda: expect_error("ValidationError", lambda: cfn.describe_stack_events(StackName="nope")))


def identity_and_writes(profiles):
    """Organizations, STS AssumeRole and the Service Catalog writes, through botocore's parsers."""
    orgs = client("hub", "organizations")

    def list_accounts():
        accounts = pages(orgs, "list_accounts", "Accounts", PaginationConfig={"PageSize": 1})
        assert len(accounts) == len(profiles), (len(accounts), profiles)
        for a in accounts:
            assert a["Status"] == "ACTIVE" and a["JoinedMethod"] in ("CREATED", "INVITED"), a
            assert a["Arn"].startswith("arn:aws:organizations::"), a["Arn"]
            assert a["JoinedTimestamp"].year > 2000

    check("hub: organizations list_accounts paginated", list_accounts)
    check(
        "spoke-dev: organizations list_accounts is AccessDeniedException",
        lambda: expect_error("AccessDeniedException", lambda: client("spoke-dev", "organizations").list_accounts()),
    )

    def assume_role():
        sts = client("hub", "sts")
        out = sts.assume_role(
            RoleArn="arn:aws:iam::222233334444:role/OrganizationAccountAccessRole",
            RoleSessionName="botocore",
            DurationSeconds=900,
        )
        c = out["Credentials"]
        assert c["AccessKeyId"].startswith("ASIA") and c["Expiration"].year > 2000, c
        s = botocore.session.Session(profile="hub")
        kw = dict(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
        me = s.create_client("sts", **kw).get_caller_identity()
        assert me["Arn"] == out["AssumedRoleUser"]["Arn"], (me, out["AssumedRoleUser"])
        assert me["Account"] == "222233334444"
        s.create_client("servicecatalog", **kw).list_portfolios()

    check("hub: sts assume_role, then its temporary credentials", assume_role)
    check(
        "spoke-dev: sts assume_role into spoke-prod is AccessDenied",
        lambda: expect_error(
            "AccessDenied",
            lambda: client("spoke-dev", "sts").assume_role(
                RoleArn="arn:aws:iam::333344445555:role/OrganizationAccountAccessRole", RoleSessionName="denied-session"
            ),
        ),
    )

    def update_artifact():
        hub = client("hub", "servicecatalog")
        product = hub.search_products_as_admin()["ProductViewDetails"][0]["ProductViewSummary"]["ProductId"]
        artifact = hub.list_provisioning_artifacts(ProductId=product)["ProvisioningArtifactDetails"][0]
        out = hub.update_provisioning_artifact(
            ProductId=product, ProvisioningArtifactId=artifact["Id"], Guidance=artifact["Guidance"], Active=artifact["Active"]
        )
        assert out["Status"] == "AVAILABLE", out
        assert out["ProvisioningArtifactDetail"]["Id"] == artifact["Id"], out
        assert out["ProvisioningArtifactDetail"]["CreatedTime"].year > 2000
        expect_error(
            "ResourceNotFoundException",
            lambda: client("spoke-dev", "servicecatalog").update_provisioning_artifact(
                ProductId=product, ProvisioningArtifactId=artifact["Id"], Guidance="DEPRECATED"
            ),
        )

    check("hub: update_provisioning_artifact, and a spoke does not find the hub's product", update_artifact)

    def unshare():
        hub = client("hub", "servicecatalog")
        portfolio = hub.list_portfolios()["PortfolioDetails"][0]["Id"]
        hub.create_portfolio_share(PortfolioId=portfolio, AccountId="999988887777")
        out = hub.delete_portfolio_share(PortfolioId=portfolio, AccountId="999988887777")
        assert "PortfolioShareToken" not in out, out
        expect_error(
            "ResourceNotFoundException",
            lambda: hub.delete_portfolio_share(PortfolioId=portfolio, AccountId="999988887777"),
        )

    check("hub: delete_portfolio_share, and again: not found", unshare)

    def create_and_delete_portfolio():
        hub = client("hub", "servicecatalog")
        out = hub.create_portfolio(DisplayName="Botocore", ProviderName="Tests", IdempotencyToken="botocore-1")
        detail = out["PortfolioDetail"]
        assert detail["DisplayName"] == "Botocore" and detail["CreatedTime"].year > 2000, detail
        again = hub.create_portfolio(DisplayName="Botocore", ProviderName="Tests", IdempotencyToken="botocore-1")
        assert again["PortfolioDetail"]["Id"] == detail["Id"], "the same token, the same portfolio"
        hub.delete_portfolio(Id=detail["Id"])
        expect_error("ResourceNotFoundException", lambda: hub.delete_portfolio(Id=detail["Id"]))
        busy = hub.list_portfolios()["PortfolioDetails"][0]["Id"]
        expect_error("ResourceInUseException", lambda: hub.delete_portfolio(Id=busy))

    check("hub: create_portfolio (idempotent) and delete_portfolio (refused while in use)", create_and_delete_portfolio)

    dev = client("spoke-dev", "servicecatalog")

    def plans():
        bastion = dev.search_products_as_admin(Filters={"FullTextSearch": ["Bastion"]})["ProductViewDetails"][0]
        product = bastion["ProductViewSummary"]["ProductId"]
        v2 = [a for a in dev.list_provisioning_artifacts(ProductId=product)["ProvisioningArtifactDetails"] if a["Name"] == "v2"][0]
        plan = dev.create_provisioned_product_plan(
            PlanName="botocore",
            PlanType="CLOUDFORMATION",
            ProductId=product,
            ProvisionedProductName="dev-bastion",
            ProvisioningArtifactId=v2["Id"],
            IdempotencyToken="botocore-plan",
        )
        d = dev.describe_provisioned_product_plan(PlanId=plan["PlanId"])
        assert d["ProvisionedProductPlanDetails"]["Status"] in ("CREATE_IN_PROGRESS", "CREATE_SUCCESS")
        group = [c for c in d["ResourceChanges"] if c["LogicalResourceId"] == "SecurityGroup"][0]
        assert (group["Action"], group["Replacement"]) == ("MODIFY", "TRUE"), group
        assert group["Details"][0]["Target"]["RequiresRecreation"] == "ALWAYS", group
        listed = manual_pages(dev.list_provisioned_product_plans, "ProvisionedProductPlans", 20)
        assert [p["PlanId"] for p in listed] == [plan["PlanId"]], listed
        dev.delete_provisioned_product_plan(PlanId=plan["PlanId"])

    check("spoke-dev: provisioned product plan create, describe, list, delete", plans)

    def associate_and_constrain():
        hub = client("hub", "servicecatalog")
        ops = [p for p in hub.list_portfolios()["PortfolioDetails"] if p["DisplayName"] == "Hub Operations"][0]["Id"]
        table = hub.search_products_as_admin(Filters={"FullTextSearch": ["DynamoDB"]})["ProductViewDetails"][0]
        product = table["ProductViewSummary"]["ProductId"]
        hub.associate_product_with_portfolio(ProductId=product, PortfolioId=ops)
        out = hub.create_constraint(
            PortfolioId=ops,
            ProductId=product,
            Type="NOTIFICATION",
            Parameters='{"NotificationArns":["arn:aws:sns:us-east-1:111122223333:botocore"]}',
            IdempotencyToken="botocore-constraint",
        )
        assert out["ConstraintDetail"]["Type"] == "NOTIFICATION", out
        hub.describe_constraint(Id=out["ConstraintDetail"]["ConstraintId"])
        expect_error(
            "DuplicateResourceException",
            lambda: hub.create_constraint(
                PortfolioId=ops, ProductId=product, Type="LAUNCH", IdempotencyToken="botocore-launch-2",
                Parameters='{"LocalRoleName":"A"}',
            )
            and hub.create_constraint(
                PortfolioId=ops, ProductId=product, Type="LAUNCH", IdempotencyToken="botocore-launch-3",
                Parameters='{"LocalRoleName":"B"}',
            ),
        )

    check("hub: associate_product_with_portfolio and create_constraint", associate_and_constrain)

    template = (
        "Description: botocore's queue\n"
        "Parameters:\n  Env:\n    Type: String\n    Default: dev\n    Description: Where\n"
        "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '${AWS::StackName}-${Env}'\n"
        "Outputs:\n  Arn:\n    Value: !GetAtt Q.Arn\n"
    )

    def s3_objects():
        from botocore.config import Config

        s = botocore.session.Session(profile="hub")
        s3 = s.create_client("s3", config=Config(s3={"addressing_style": "path"}))
        s3.create_bucket(Bucket="botocore-templates")
        head = s3.head_bucket(Bucket="botocore-templates")
        assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"] == "us-east-1", head
        put = s3.put_object(Bucket="botocore-templates", Key="q/v1.yaml", Body=template.encode(), ContentType="text/yaml")
        import hashlib

        assert put["ETag"] == '"%s"' % hashlib.md5(template.encode()).hexdigest(), put
        got = s3.get_object(Bucket="botocore-templates", Key="q/v1.yaml")
        assert got["Body"].read() == template.encode()
        assert got["ContentType"] == "text/yaml", got
        big = bytes(i % 251 for i in range(100_000))
        s3.put_object(Bucket="botocore-templates", Key="big.bin", Body=big)
        assert s3.get_object(Bucket="botocore-templates", Key="big.bin")["Body"].read() == big
        assert s3.head_object(Bucket="botocore-templates", Key="big.bin")["ContentLength"] == len(big)
        expect_error("NoSuchKey", lambda: s3.get_object(Bucket="botocore-templates", Key="missing"))
        expect_error("404", lambda: s3.head_object(Bucket="botocore-templates", Key="missing"))
        expect_error("NoSuchBucket", lambda: s3.put_object(Bucket="botocore-none", Key="k", Body=b"x"))
        dev = botocore.session.Session(profile="spoke-dev").create_client(
            "s3", config=Config(s3={"addressing_style": "path"})
        )
        expect_error("BucketAlreadyExists", lambda: dev.create_bucket(Bucket="botocore-templates"))

    check("hub: s3 create_bucket, head_bucket, put_object, get_object, head_object", s3_objects)

    def validate():
        cf = client("hub", "cloudformation")
        out = cf.validate_template(TemplateBody=template)
        assert out["Description"] == "botocore's queue", out
        assert [(p["ParameterKey"], p.get("DefaultValue"), p["NoEcho"]) for p in out["Parameters"]] == [
            ("Env", "dev", False)
        ], out
        by_url = cf.validate_template(TemplateURL="https://botocore-templates.s3.us-east-1.amazonaws.com/q/v1.yaml")
        assert by_url["Parameters"] == out["Parameters"], by_url
        expect_error("ValidationError", lambda: cf.validate_template(TemplateBody="Description: none\n"))

    check("hub: cloudformation validate_template by body and by S3 URL", validate)

    authoring(template)


def authoring(template):
    """The hub's authoring calls, after S3 holds botocore's template: TagOptions,
    principals, UpdatePortfolio, ListPortfolioAccess, products and their
    versions, DisassociateProductFromPortfolio and DeleteConstraint."""
    from botocore.config import Config

    hub = client("hub", "servicecatalog")
    dev = client("spoke-dev", "servicecatalog")
    hub_id = client("hub", "sts").get_caller_identity()["Account"]
    v1_url = "https://botocore-templates.s3.us-east-1.amazonaws.com/q/v1.yaml"
    v2_url = "https://botocore-templates.s3.us-east-1.amazonaws.com/q/v2.yaml"
    state = {}

    def is_empty(out):
        assert set(out) == {"ResponseMetadata"}, out

    def portfolio():
        out = hub.create_portfolio(DisplayName="Botocore Authoring", ProviderName="Tests", IdempotencyToken="botocore-authoring")
        state["portfolio"] = out["PortfolioDetail"]["Id"]

    check("hub: create_portfolio for the authoring calls", portfolio)

    def tag_options():
        out = hub.create_tag_option(Key="BotocoreTeam", Value="alpha")["TagOptionDetail"]
        assert (out["Key"], out["Value"], out["Active"], out["Owner"]) == ("BotocoreTeam", "alpha", True, hub_id), out
        assert out["Id"], out
        expect_error("DuplicateResourceException", lambda: hub.create_tag_option(Key="BotocoreTeam", Value="alpha"))
        is_empty(hub.associate_tag_option_with_resource(ResourceId=state["portfolio"], TagOptionId=out["Id"]))
        expect_error(
            "DuplicateResourceException",
            lambda: hub.associate_tag_option_with_resource(ResourceId=state["portfolio"], TagOptionId=out["Id"]),
        )
        listed = pages(hub, "list_tag_options", "TagOptionDetails", Filters={"Key": "BotocoreTeam"})
        assert [t["Id"] for t in listed] == [out["Id"]], listed
        is_empty(hub.disassociate_tag_option_from_resource(ResourceId=state["portfolio"], TagOptionId=out["Id"]))
        expect_error(
            "ResourceNotFoundException",
            lambda: hub.disassociate_tag_option_from_resource(ResourceId=state["portfolio"], TagOptionId=out["Id"]),
        )

    check("hub: create_tag_option, associate_tag_option_with_resource, disassociate_tag_option_from_resource", tag_options)

    def principals():
        role = f"arn:aws:iam::{hub_id}:role/BotocoreLauncher"
        is_empty(hub.associate_principal_with_portfolio(PortfolioId=state["portfolio"], PrincipalARN=role, PrincipalType="IAM"))
        hub.associate_principal_with_portfolio(
            PortfolioId=state["portfolio"], PrincipalARN="arn:aws:iam:::role/Botocore*", PrincipalType="IAM_PATTERN"
        )
        expect_error(
            "InvalidParametersException",
            lambda: hub.associate_principal_with_portfolio(PortfolioId=state["portfolio"], PrincipalARN="role/Admin", PrincipalType="IAM"),
        )
        listed = pages(hub, "list_principals_for_portfolio", "Principals", PortfolioId=state["portfolio"], PaginationConfig={"PageSize": 1})
        assert [(p["PrincipalARN"], p["PrincipalType"]) for p in listed] == [
            (role, "IAM"),
            ("arn:aws:iam:::role/Botocore*", "IAM_PATTERN"),
        ], listed
        is_empty(hub.disassociate_principal_from_portfolio(PortfolioId=state["portfolio"], PrincipalARN=role))
        hub.disassociate_principal_from_portfolio(
            PortfolioId=state["portfolio"], PrincipalARN="arn:aws:iam:::role/Botocore*", PrincipalType="IAM_PATTERN"
        )
        expect_error(
            "ResourceNotFoundException",
            lambda: hub.disassociate_principal_from_portfolio(PortfolioId=state["portfolio"], PrincipalARN=role),
        )
        assert hub.list_principals_for_portfolio(PortfolioId=state["portfolio"])["Principals"] == []

    check("hub: associate_principal_with_portfolio, list_principals_for_portfolio paginated, disassociate_principal_from_portfolio", principals)

    def update_portfolio():
        out = hub.update_portfolio(
            Id=state["portfolio"], Description="Botocore's portfolio", ProviderName="Botocore", AddTags=[{"Key": "Owner", "Value": "botocore"}]
        )
        d = out["PortfolioDetail"]
        assert (d["Id"], d["Description"], d["ProviderName"]) == (state["portfolio"], "Botocore's portfolio", "Botocore"), d
        assert d["CreatedTime"].year > 2000 and d["ARN"].endswith("/" + state["portfolio"]), d
        assert out["Tags"] == [{"Key": "Owner", "Value": "botocore"}], out
        out = hub.update_portfolio(Id=state["portfolio"], RemoveTags=["Owner"])
        assert out["Tags"] == [] and out["PortfolioDetail"]["DisplayName"] == "Botocore Authoring", out
        expect_error("ResourceNotFoundException", lambda: dev.update_portfolio(Id=state["portfolio"], Description="not mine"))

    check("hub: update_portfolio", update_portfolio)

    def portfolio_access():
        shared = [p for p in hub.list_portfolios()["PortfolioDetails"] if p["DisplayName"] == "Data & Analytics"][0]["Id"]
        one_call = hub.list_portfolio_access(PortfolioId=shared)["AccountIds"]
        by_one = manual_pages(hub.list_portfolio_access, "AccountIds", 1, PortfolioId=shared)
        assert one_call and by_one == one_call, (by_one, one_call)
        assert all(len(a) == 12 and a.isdigit() and a != hub_id for a in one_call), one_call
        assert hub.list_portfolio_access(PortfolioId=state["portfolio"])["AccountIds"] == []
        expect_error("ResourceNotFoundException", lambda: dev.list_portfolio_access(PortfolioId=shared))

    check("hub: list_portfolio_access paged by hand", portfolio_access)

    def products():
        s3 = botocore.session.Session(profile="hub").create_client("s3", config=Config(s3={"addressing_style": "path"}))
        v2 = template.replace("Q:\n", "Q2:\n").replace("Q.Arn", "Q2.Arn")
        s3.put_object(Bucket="botocore-templates", Key="q/v2.yaml", Body=v2.encode(), ContentType="text/yaml")
        create = lambda: hub.create_product(  # noqa: E731
            Name="Botocore Queue",
            Owner="Botocore",
            Description="botocore's product",
            ProductType="CLOUD_FORMATION_TEMPLATE",
            Tags=[{"Key": "Made", "Value": "botocore"}],
            ProvisioningArtifactParameters={"Name": "v1", "Type": "CLOUD_FORMATION_TEMPLATE", "Info": {"LoadTemplateFromURL": v1_url}},
            IdempotencyToken="botocore-product",
        )
        out = create()
        view = out["ProductViewDetail"]
        summary = view["ProductViewSummary"]
        assert (summary["Name"], summary["Owner"], summary["Type"]) == ("Botocore Queue", "Botocore", "CLOUD_FORMATION_TEMPLATE"), view
        assert summary["ShortDescription"] == "botocore's product", summary
        assert view["Status"] == "AVAILABLE" and view["CreatedTime"].year > 2000, view
        assert view["ProductARN"] == f"arn:aws:catalog:us-east-1:{hub_id}:product/{summary['ProductId']}", view
        art = out["ProvisioningArtifactDetail"]
        assert (art["Name"], art["Type"], art["Active"], art["Guidance"]) == ("v1", "CLOUD_FORMATION_TEMPLATE", True, "DEFAULT"), art
        assert art["CreatedTime"].year > 2000, art
        assert out["Tags"] == [{"Key": "Made", "Value": "botocore"}], out
        again = create()
        assert again["ProductViewDetail"]["ProductViewSummary"]["ProductId"] == summary["ProductId"], "the same token, the same product"
        assert again["ProvisioningArtifactDetail"]["Id"] == art["Id"]
        state["product"], state["v1"] = summary["ProductId"], art["Id"]
        expect_error(
            "InvalidParametersException",
            lambda: hub.create_product(
                Name="Botocore Missing",
                Owner="Botocore",
                ProductType="CLOUD_FORMATION_TEMPLATE",
                ProvisioningArtifactParameters={"Name": "v1", "Info": {"LoadTemplateFromURL": v1_url.replace("v1", "none")}},
                IdempotencyToken="botocore-missing",
            ),
        )
        described = hub.describe_product_as_admin(Id=state["product"])
        assert [a["Id"] for a in described["ProvisioningArtifactSummaries"]] == [art["Id"]], described

    check("hub: s3 put_object, then create_product (idempotent) from its URL", products)

    def update_product():
        out = hub.update_product(
            Id=state["product"], Name="Botocore Queue 2", SupportEmail="botocore@example.com", AddTags=[{"Key": "Team", "Value": "b"}], RemoveTags=["Made"]
        )
        summary = out["ProductViewDetail"]["ProductViewSummary"]
        assert (summary["ProductId"], summary["Name"], summary["Owner"]) == (state["product"], "Botocore Queue 2", "Botocore"), summary
        assert summary["SupportEmail"] == "botocore@example.com", summary
        assert out["ProductViewDetail"]["CreatedTime"].year > 2000
        assert out["Tags"] == [{"Key": "Team", "Value": "b"}], out
        expect_error("ResourceNotFoundException", lambda: dev.update_product(Id=state["product"], Name="not mine"))

    check("hub: update_product", update_product)

    def versions():
        add = lambda name, token: hub.create_provisioning_artifact(  # noqa: E731
            ProductId=state["product"],
            Parameters={"Name": name, "Description": "the second", "Type": "CLOUD_FORMATION_TEMPLATE", "Info": {"LoadTemplateFromURL": v2_url}},
            IdempotencyToken=token,
        )
        out = add("v2", "botocore-v2")
        d = out["ProvisioningArtifactDetail"]
        assert (d["Name"], d["Description"], d["Active"], d["Guidance"]) == ("v2", "the second", True, "DEFAULT"), d
        assert d["CreatedTime"].year > 2000 and d["Id"] != state["v1"], d
        assert out["Status"] == "AVAILABLE" and out["Info"] == {"TemplateUrl": v2_url}, out
        assert add("v2", "botocore-v2")["ProvisioningArtifactDetail"]["Id"] == d["Id"], "the same token, the same version"
        expect_error("InvalidParametersException", lambda: add("v2", "botocore-v2-again"))
        listed = hub.list_provisioning_artifacts(ProductId=state["product"])["ProvisioningArtifactDetails"]
        assert [a["Id"] for a in listed] == [state["v1"], d["Id"]], listed
        is_empty(hub.delete_provisioning_artifact(ProductId=state["product"], ProvisioningArtifactId=d["Id"]))
        expect_error(
            "InvalidParametersException",
            lambda: hub.delete_provisioning_artifact(ProductId=state["product"], ProvisioningArtifactId=state["v1"]),
        )
        expect_error(
            "ResourceNotFoundException",
            lambda: dev.delete_provisioning_artifact(ProductId=state["product"], ProvisioningArtifactId=state["v1"]),
        )

    check("hub: create_provisioning_artifact (idempotent), delete_provisioning_artifact (not the last)", versions)

    def disassociate_and_unconstrain():
        hub.associate_product_with_portfolio(ProductId=state["product"], PortfolioId=state["portfolio"])
        c = hub.create_constraint(
            PortfolioId=state["portfolio"],
            ProductId=state["product"],
            Type="NOTIFICATION",
            Parameters='{"NotificationArns":["arn:aws:sns:us-east-1:111122223333:botocore"]}',
            IdempotencyToken="botocore-authoring-constraint",
        )["ConstraintDetail"]["ConstraintId"]
        expect_error(
            "ResourceInUseException",
            lambda: hub.disassociate_product_from_portfolio(ProductId=state["product"], PortfolioId=state["portfolio"]),
        )
        expect_error("ResourceInUseException", lambda: hub.delete_portfolio(Id=state["portfolio"]))
        is_empty(hub.delete_constraint(Id=c))
        expect_error("ResourceNotFoundException", lambda: hub.delete_constraint(Id=c))
        is_empty(hub.disassociate_product_from_portfolio(ProductId=state["product"], PortfolioId=state["portfolio"]))
        expect_error(
            "ResourceNotFoundException",
            lambda: hub.disassociate_product_from_portfolio(ProductId=state["product"], PortfolioId=state["portfolio"]),
        )
        hub.delete_portfolio(Id=state["portfolio"])

    check("hub: delete_constraint, disassociate_product_from_portfolio, then delete_portfolio", disassociate_and_unconstrain)


def lifecycle():
    """Drift detection, self-service actions and a termination (last: it removes a provisioned product)."""
    import time

    prod = client("spoke-prod", "servicecatalog")
    prod_cfn = client("spoke-prod", "cloudformation")
    acc = {"Key": "Account", "Value": "self"}
    by_name = {
        pp["Name"]: pp
        for pp in manual_pages(prod.search_provisioned_products, "ProvisionedProducts", 20, AccessLevelFilter=acc)
    }

    def drift():
        stack = by_name["prod-audit-logs"]["PhysicalId"]
        detection = prod_cfn.detect_stack_drift(StackName=stack)["StackDriftDetectionId"]
        for _ in range(200):
            status = prod_cfn.describe_stack_drift_detection_status(StackDriftDetectionId=detection)
            if status["DetectionStatus"] != "DETECTION_IN_PROGRESS":
                break
            time.sleep(0.05)
        assert status["DetectionStatus"] == "DETECTION_COMPLETE", status
        assert status["StackDriftStatus"] == "DRIFTED", status
        drifts = prod_cfn.describe_stack_resource_drifts(StackName=stack, MaxResults=10)["StackResourceDrifts"]
        kinds = {d["LogicalResourceId"]: d["StackResourceDriftStatus"] for d in drifts}
        assert kinds == {"Bucket": "MODIFIED", "BucketPolicy": "DELETED"}, kinds
        bucket = next(d for d in drifts if d["LogicalResourceId"] == "Bucket")
        assert bucket["PropertyDifferences"][0]["PropertyPath"] == "/VersioningConfiguration/Status"
        info = prod_cfn.describe_stacks(StackName=stack)["Stacks"][0]["DriftInformation"]
        assert info["StackDriftStatus"] == "DRIFTED" and "LastCheckTimestamp" in info, info

    check("spoke-prod: detect_stack_drift, describe_stack_drift_detection_status, describe_stack_resource_drifts", drift)

    def actions():
        db = by_name["prod-ledger-db"]
        listed = manual_pages(
            prod.list_service_actions_for_provisioning_artifact,
            "ServiceActionSummaries",
            1,
            ProductId=db["ProductId"],
            ProvisioningArtifactId=db["ProvisioningArtifactId"],
        )
        assert {a["Name"] for a in listed} == {"Reboot database", "Rotate credentials"}, listed
        reboot = next(a for a in listed if a["Name"] == "Reboot database")["Id"]
        detail = prod.describe_service_action(Id=reboot)["ServiceActionDetail"]
        assert detail["Definition"]["Name"] == "AWS-RebootRdsInstance", detail
        params = prod.describe_service_action_execution_parameters(ProvisionedProductId=db["Id"], ServiceActionId=reboot)
        assert params["ServiceActionParameters"][0]["Type"] == "TARGET", params
        rec = prod.execute_provisioned_product_service_action(
            ProvisionedProductId=db["Id"], ServiceActionId=reboot, ExecuteToken="botocore-reboot"
        )["RecordDetail"]
        assert rec["RecordType"] == "EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION", rec
        assert client("hub", "servicecatalog").list_service_actions()["ServiceActionSummaries"]

    check("spoke-prod: service actions listed, described, their parameters, executed", actions)

    def terminate():
        pp = by_name["prod-pagerduty-alerts"]
        rec = prod.terminate_provisioned_product(ProvisionedProductId=pp["Id"], TerminateToken="botocore-end")["RecordDetail"]
        assert rec["RecordType"] == "TERMINATE_PROVISIONED_PRODUCT", rec
        again = prod.terminate_provisioned_product(ProvisionedProductId=pp["Id"], TerminateToken="botocore-end")
        assert again["RecordDetail"]["RecordId"] == rec["RecordId"]
        for _ in range(400):
            status = prod.describe_record(Id=rec["RecordId"])["RecordDetail"]["Status"]
            if status not in ("CREATED", "IN_PROGRESS"):
                break
            time.sleep(0.05)
        assert status == "SUCCEEDED", status
        expect_error("ResourceNotFoundException", lambda: prod.describe_provisioned_product(Id=pp["Id"]))
        stack = prod_cfn.describe_stacks(StackName=pp["PhysicalId"])["Stacks"][0]
        assert stack["StackStatus"] == "DELETE_COMPLETE", stack

    check("spoke-prod: terminate_provisioned_product, idempotent, then gone", terminate)


if __name__ == "__main__":
    run()
    lifecycle()
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
