"""Reads back, through botocore, what `spoke sync` made in an empty hub.

Usage: AWS_CONFIG_FILE=FILE python3 sync_readback.py
Prints one line per check and exits non-zero on the first failure.
"""
import sys

import botocore.session


def client(service):
    return botocore.session.Session(profile="hub").create_client(service)


def main():
    sc = client("servicecatalog")
    portfolios = sc.list_portfolios()["PortfolioDetails"]
    assert [p["DisplayName"] for p in portfolios] == ["Infrastructure"], portfolios
    p = portfolios[0]
    assert p["ProviderName"] == "operations", p
    assert p["Description"] == "Includes all the products related to infrastructure", p
    described = sc.describe_portfolio(Id=p["Id"])
    assert described["Tags"] == [{"Key": "keyname1", "Value": "value1"}], described["Tags"]
    print("ok   portfolio, provider, description, tags")

    shares = sc.describe_portfolio_shares(PortfolioId=p["Id"], Type="ACCOUNT")
    assert [s["PrincipalId"] for s in shares["PortfolioShareDetails"]] == ["222233334444"], shares
    print("ok   the account share")

    principals = sc.list_principals_for_portfolio(PortfolioId=p["Id"])["Principals"]
    assert principals == [
        {"PrincipalARN": "arn:aws:iam::111122223333:role/Admin", "PrincipalType": "IAM"}
    ], principals
    print("ok   the principal")

    products = sc.search_products_as_admin(PortfolioId=p["Id"])["ProductViewDetails"]
    assert len(products) == 1, products
    view = products[0]["ProductViewSummary"]
    assert view["Name"] == "queue-product" and view["Owner"] == "team1@example.com", view
    versions = sc.list_provisioning_artifacts(ProductId=view["ProductId"])["ProvisioningArtifactDetails"]
    assert [v["Name"] for v in versions] == ["v1"], versions
    artifact = sc.describe_provisioning_artifact(
        ProductId=view["ProductId"], ProvisioningArtifactId=versions[0]["Id"]
    )
    url = artifact["Info"]["TemplateUrl"]
    assert "/spoke/templates/" in url, url
    print("ok   the product, its one version, its template in S3")
    print("4 passed, 0 failed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"FAIL {e}")
        sys.exit(1)
