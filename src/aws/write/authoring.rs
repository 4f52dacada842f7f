//! The hub's authoring writes: products and versions, constraints of every
//! type, principals, TagOptions and portfolio details. Each is journaled
//! like every other write (see the parent module).

use std::collections::BTreeMap;

use aws_sdk_servicecatalog::types::{
    PrincipalType, ProductType, ProvisioningArtifactProperties, ProvisioningArtifactType,
};

use super::{Call, WriteError, Writer, harmless_repeat_retries};

/// A product's fields as CreateProduct and UpdateProduct take them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductFields {
    pub name: String,
    pub owner: String,
    pub description: Option<String>,
    pub distributor: Option<String>,
    pub support_email: Option<String>,
}

/// A version to create from a template already in S3.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionSource {
    pub name: String,
    pub description: Option<String>,
    /// `LoadTemplateFromURL`.
    pub template_url: String,
}

fn artifact(v: &VersionSource) -> ProvisioningArtifactProperties {
    ProvisioningArtifactProperties::builder()
        .name(&v.name)
        .set_description(v.description.clone())
        .r#type(ProvisioningArtifactType::CloudFormationTemplate)
        .info("LoadTemplateFromURL", &v.template_url)
        .build()
}

/// The journal's parameters of a call that changes only the fields given.
fn given(fields: &[(&str, Option<&str>)]) -> BTreeMap<String, String> {
    fields
        .iter()
        .filter_map(|(k, v)| Some((k.to_string(), (*v)?.to_string())))
        .collect()
}

fn principal_type(kind: &str) -> PrincipalType {
    PrincipalType::from(kind)
}

impl Writer {
    fn call_on(operation: &'static str, targets: Vec<(&'static str, String)>) -> Call<'static> {
        Call {
            operation,
            targets,
            parameters: BTreeMap::new(),
            token: None,
            secrets: Vec::new(),
        }
    }

    /// `CreateProduct` with its first version; (product id, version id).
    pub async fn create_product(
        &self,
        fields: &ProductFields,
        version: &VersionSource,
        token: &str,
    ) -> Result<(String, String), WriteError> {
        let mut parameters = BTreeMap::from([
            ("Name".to_string(), fields.name.clone()),
            ("Owner".to_string(), fields.owner.clone()),
            ("VersionName".to_string(), version.name.clone()),
            (
                "LoadTemplateFromURL".to_string(),
                version.template_url.clone(),
            ),
        ]);
        if let Some(d) = &fields.description {
            parameters.insert("Description".into(), d.clone());
        }
        let call = Call {
            operation: "CreateProduct",
            targets: vec![("product_name", fields.name.clone())],
            parameters,
            token: Some(token),
            secrets: Vec::new(),
        };
        self.journaled(
            call,
            || async {
                let out = self
                    .catalog
                    .create_product()
                    .name(&fields.name)
                    .owner(&fields.owner)
                    .set_description(fields.description.clone())
                    .set_distributor(fields.distributor.clone())
                    .set_support_email(fields.support_email.clone())
                    .product_type(ProductType::CloudFormationTemplate)
                    .provisioning_artifact_parameters(artifact(version))
                    .idempotency_token(token)
                    .customize()
                    .config_override(harmless_repeat_retries())
                    .send()
                    .await
                    .map_err(|e| self.context.map("servicecatalog", "CreateProduct", e))?;
                let product = out
                    .product_view_detail()
                    .and_then(|d| d.product_view_summary())
                    .and_then(|s| s.product_id())
                    .unwrap_or_default()
                    .to_string();
                let version = out
                    .provisioning_artifact_detail()
                    .and_then(|d| d.id())
                    .unwrap_or_default()
                    .to_string();
                Ok((product, version))
            },
            |(p, v): &(String, String)| (None, format!("created {p} with version {v}")),
        )
        .await
    }

    /// `UpdateProduct`: the fields given (`None` leaves one as it is).
    pub async fn update_product(
        &self,
        product_id: &str,
        name: Option<&str>,
        owner: Option<&str>,
        description: Option<&str>,
    ) -> Result<(), WriteError> {
        let parameters = given(&[
            ("Name", name),
            ("Owner", owner),
            ("Description", description),
        ]);
        let call = Call {
            parameters,
            ..Self::call_on("UpdateProduct", vec![("product_id", product_id.into())])
        };
        self.journaled(
            call,
            || async {
                self.catalog
                    .update_product()
                    .id(product_id)
                    .set_name(name.map(str::to_string))
                    .set_owner(owner.map(str::to_string))
                    .set_description(description.map(str::to_string))
                    .send()
                    .await
                    .map_err(|e| self.context.map("servicecatalog", "UpdateProduct", e))?;
                Ok(())
            },
            |_| (None, "updated".into()),
        )
        .await
    }

    /// `CreateProvisioningArtifact`: a new version; its id.
    pub async fn create_version(
        &self,
        product_id: &str,
        version: &VersionSource,
        token: &str,
    ) -> Result<String, WriteError> {
        let mut parameters = BTreeMap::from([
            ("Name".to_string(), version.name.clone()),
            (
                "LoadTemplateFromURL".to_string(),
                version.template_url.clone(),
            ),
        ]);
        if let Some(d) = &version.description {
            parameters.insert("Description".into(), d.clone());
        }
        let call = Call {
            operation: "CreateProvisioningArtifact",
            targets: vec![("product_id", product_id.to_string())],
            parameters,
            token: Some(token),
            secrets: Vec::new(),
        };
        self.journaled(
            call,
            || async {
                let out = self
                    .catalog
                    .create_provisioning_artifact()
                    .product_id(product_id)
                    .parameters(artifact(version))
                    .idempotency_token(token)
                    .customize()
                    .config_override(harmless_repeat_retries())
                    .send()
                    .await
                    .map_err(|e| {
                        self.context
                            .map("servicecatalog", "CreateProvisioningArtifact", e)
                    })?;
                Ok(out
                    .provisioning_artifact_detail()
                    .and_then(|d| d.id())
                    .unwrap_or_default()
                    .to_string())
            },
            |id: &String| (None, format!("created version {id}")),
        )
        .await
    }

    /// `DeleteProvisioningArtifact`.
    pub async fn delete_version(
        &self,
        product_id: &str,
        version_id: &str,
    ) -> Result<(), WriteError> {
        let call = Self::call_on(
            "DeleteProvisioningArtifact",
            vec![
                ("product_id", product_id.to_string()),
                ("version_id", version_id.to_string()),
            ],
        );
        self.journaled(
            call,
            || async {
                self.catalog
                    .delete_provisioning_artifact()
                    .product_id(product_id)
                    .provisioning_artifact_id(version_id)
                    .send()
                    .await
                    .map_err(|e| {
                        self.context
                            .map("servicecatalog", "DeleteProvisioningArtifact", e)
                    })?;
                Ok(())
            },
            |_| (None, "deleted".into()),
        )
        .await
    }

    /// `DisassociateProductFromPortfolio`.
    pub async fn disassociate_product(
        &self,
        product_id: &str,
        portfolio_id: &str,
    ) -> Result<(), WriteError> {
        let call = Self::call_on(
            "DisassociateProductFromPortfolio",
            vec![
                ("product_id", product_id.to_string()),
                ("portfolio_id", portfolio_id.to_string()),
            ],
        );
        self.journaled(
            call,
            || async {
                self.catalog
                    .disassociate_product_from_portfolio()
                    .product_id(product_id)
                    .portfolio_id(portfolio_id)
                    .send()
                    .await
                    .map_err(|e| {
                        self.context
                            .map("servicecatalog", "DisassociateProductFromPortfolio", e)
                    })?;
                Ok(())
            },
            |_| (None, "disassociated".into()),
        )
        .await
    }

    /// `CreateConstraint` of any type, `parameters` its JSON; its id.
    pub async fn create_constraint(
        &self,
        portfolio_id: &str,
        product_id: &str,
        constraint_type: &str,
        parameters: &str,
        description: Option<&str>,
        token: &str,
    ) -> Result<String, WriteError> {
        let call = Call {
            operation: "CreateConstraint",
            targets: vec![
                ("portfolio_id", portfolio_id.to_string()),
                ("product_id", product_id.to_string()),
            ],
            parameters: BTreeMap::from([
                ("Type".into(), constraint_type.to_string()),
                ("Parameters".into(), parameters.to_string()),
            ]),
            token: Some(token),
            secrets: Vec::new(),
        };
        self.journaled(
            call,
            || async {
                let out = self
                    .catalog
                    .create_constraint()
                    .portfolio_id(portfolio_id)
                    .product_id(product_id)
                    .r#type(constraint_type)
                    .parameters(parameters)
                    .set_description(description.map(str::to_string))
                    .idempotency_token(token)
                    .customize()
                    .config_override(harmless_repeat_retries())
                    .send()
                    .await
                    .map_err(|e| self.context.map("servicecatalog", "CreateConstraint", e))?;
                Ok(out
                    .constraint_detail()
                    .and_then(|d| d.constraint_id())
                    .unwrap_or_default()
                    .to_string())
            },
            |id: &String| (None, format!("constraint {id}")),
        )
        .await
    }

    /// `DeleteConstraint`.
    pub async fn delete_constraint(&self, constraint_id: &str) -> Result<(), WriteError> {
        let call = Self::call_on(
            "DeleteConstraint",
            vec![("constraint_id", constraint_id.to_string())],
        );
        self.journaled(
            call,
            || async {
                self.catalog
                    .delete_constraint()
                    .id(constraint_id)
                    .send()
                    .await
                    .map_err(|e| self.context.map("servicecatalog", "DeleteConstraint", e))?;
                Ok(())
            },
            |_| (None, "deleted".into()),
        )
        .await
    }

    /// `AssociatePrincipalWithPortfolio` (`kind` IAM or IAM_PATTERN) or,
    /// when `associate` is false, `DisassociatePrincipalFromPortfolio`.
    pub async fn set_principal(
        &self,
        portfolio_id: &str,
        arn: &str,
        kind: &str,
        associate: bool,
    ) -> Result<(), WriteError> {
        let operation = if associate {
            "AssociatePrincipalWithPortfolio"
        } else {
            "DisassociatePrincipalFromPortfolio"
        };
        let call = Call {
            parameters: BTreeMap::from([("PrincipalType".into(), kind.to_string())]),
            ..Self::call_on(
                operation,
                vec![
                    ("portfolio_id", portfolio_id.to_string()),
                    ("principal_arn", arn.to_string()),
                ],
            )
        };
        self.journaled(
            call,
            || async {
                if associate {
                    self.catalog
                        .associate_principal_with_portfolio()
                        .portfolio_id(portfolio_id)
                        .principal_arn(arn)
                        .principal_type(principal_type(kind))
                        .send()
                        .await
                        .map(|_| ())
                        .map_err(|e| self.context.map("servicecatalog", operation, e))
                } else {
                    self.catalog
                        .disassociate_principal_from_portfolio()
                        .portfolio_id(portfolio_id)
                        .principal_arn(arn)
                        .principal_type(principal_type(kind))
                        .send()
                        .await
                        .map(|_| ())
                        .map_err(|e| self.context.map("servicecatalog", operation, e))
                }
            },
            |_| {
                (
                    None,
                    if associate {
                        "associated"
                    } else {
                        "disassociated"
                    }
                    .into(),
                )
            },
        )
        .await
    }

    /// `CreateTagOption`; its id.
    pub async fn create_tag_option(&self, key: &str, value: &str) -> Result<String, WriteError> {
        let call = Call {
            parameters: BTreeMap::from([
                ("Key".into(), key.to_string()),
                ("Value".into(), value.to_string()),
            ]),
            ..Self::call_on(
                "CreateTagOption",
                vec![("tag_option", format!("{key}={value}"))],
            )
        };
        self.journaled(
            call,
            || async {
                let out = self
                    .catalog
                    .create_tag_option()
                    .key(key)
                    .value(value)
                    .send()
                    .await
                    .map_err(|e| self.context.map("servicecatalog", "CreateTagOption", e))?;
                Ok(out
                    .tag_option_detail()
                    .and_then(|d| d.id())
                    .unwrap_or_default()
                    .to_string())
            },
            |id: &String| (None, format!("created {id}")),
        )
        .await
    }

    /// `AssociateTagOptionWithResource` (a portfolio or a product) or, when
    /// `associate` is false, `DisassociateTagOptionFromResource`.
    pub async fn tag_resource(
        &self,
        resource_id: &str,
        tag_option_id: &str,
        associate: bool,
    ) -> Result<(), WriteError> {
        let operation = if associate {
            "AssociateTagOptionWithResource"
        } else {
            "DisassociateTagOptionFromResource"
        };
        let call = Self::call_on(
            operation,
            vec![
                ("resource_id", resource_id.to_string()),
                ("tag_option_id", tag_option_id.to_string()),
            ],
        );
        self.journaled(
            call,
            || async {
                if associate {
                    self.catalog
                        .associate_tag_option_with_resource()
                        .resource_id(resource_id)
                        .tag_option_id(tag_option_id)
                        .send()
                        .await
                        .map(|_| ())
                        .map_err(|e| self.context.map("servicecatalog", operation, e))
                } else {
                    self.catalog
                        .disassociate_tag_option_from_resource()
                        .resource_id(resource_id)
                        .tag_option_id(tag_option_id)
                        .send()
                        .await
                        .map(|_| ())
                        .map_err(|e| self.context.map("servicecatalog", operation, e))
                }
            },
            |_| {
                (
                    None,
                    if associate {
                        "associated"
                    } else {
                        "disassociated"
                    }
                    .into(),
                )
            },
        )
        .await
    }

    /// `UpdatePortfolio`: the fields given.
    pub async fn update_portfolio(
        &self,
        portfolio_id: &str,
        name: Option<&str>,
        provider: Option<&str>,
        description: Option<&str>,
    ) -> Result<(), WriteError> {
        let parameters = given(&[
            ("DisplayName", name),
            ("ProviderName", provider),
            ("Description", description),
        ]);
        let call = Call {
            parameters,
            ..Self::call_on(
                "UpdatePortfolio",
                vec![("portfolio_id", portfolio_id.to_string())],
            )
        };
        self.journaled(
            call,
            || async {
                self.catalog
                    .update_portfolio()
                    .id(portfolio_id)
                    .set_display_name(name.map(str::to_string))
                    .set_provider_name(provider.map(str::to_string))
                    .set_description(description.map(str::to_string))
                    .send()
                    .await
                    .map_err(|e| self.context.map("servicecatalog", "UpdatePortfolio", e))?;
                Ok(())
            },
            |_| (None, "updated".into()),
        )
        .await
    }
}

impl Writer {
    /// `CreateBucket` in this session's region.
    pub async fn create_bucket(&self, bucket: &str) -> Result<(), WriteError> {
        use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
        let region = self.actor.region.clone();
        let call = Call {
            parameters: BTreeMap::from([("Region".into(), region.clone())]),
            ..Self::call_on("CreateBucket", vec![("bucket", bucket.to_string())])
        };
        self.journaled(
            call,
            || async {
                // us-east-1 takes no location constraint; every other region needs its own.
                let config = (region != "us-east-1").then(|| {
                    CreateBucketConfiguration::builder()
                        .location_constraint(BucketLocationConstraint::from(region.as_str()))
                        .build()
                });
                self.s3
                    .create_bucket()
                    .bucket(bucket)
                    .set_create_bucket_configuration(config)
                    .send()
                    .await
                    .map_err(|e| self.context.map("s3", "CreateBucket", e))?;
                Ok(())
            },
            |_| (None, "created".into()),
        )
        .await
    }

    /// `PutObject` of a template under its content-addressed key.
    pub async fn put_template(
        &self,
        bucket: &str,
        key: &str,
        bytes: &[u8],
        content_type: &str,
    ) -> Result<(), WriteError> {
        let call = Call {
            parameters: BTreeMap::from([("Bytes".into(), bytes.len().to_string())]),
            ..Self::call_on(
                "PutObject",
                vec![("bucket", bucket.to_string()), ("key", key.to_string())],
            )
        };
        self.journaled(
            call,
            || async {
                self.s3
                    .put_object()
                    .bucket(bucket)
                    .key(key)
                    .content_type(content_type)
                    .body(aws_sdk_s3::primitives::ByteStream::from(bytes.to_vec()))
                    .send()
                    .await
                    .map_err(|e| self.context.map("s3", "PutObject", e))?;
                Ok(())
            },
            |_| (None, "stored".into()),
        )
        .await
    }
}

impl Writer {
    /// `UpdateProvisioningArtifact` of a version's name or description.
    pub async fn rename_version(
        &self,
        product_id: &str,
        version_id: &str,
        name: Option<&str>,
        description: Option<&str>,
    ) -> Result<(), WriteError> {
        let parameters = given(&[("Name", name), ("Description", description)]);
        let call = Call {
            parameters,
            ..Self::call_on(
                "UpdateProvisioningArtifact",
                vec![
                    ("product_id", product_id.to_string()),
                    ("version_id", version_id.to_string()),
                ],
            )
        };
        self.journaled(
            call,
            || async {
                self.catalog
                    .update_provisioning_artifact()
                    .product_id(product_id)
                    .provisioning_artifact_id(version_id)
                    .set_name(name.map(str::to_string))
                    .set_description(description.map(str::to_string))
                    .send()
                    .await
                    .map_err(|e| {
                        self.context
                            .map("servicecatalog", "UpdateProvisioningArtifact", e)
                    })?;
                Ok(())
            },
            |_| (None, "updated".into()),
        )
        .await
    }
}

impl Writer {
    /// `UpdatePortfolio` of its tags: `add` (key, value) and `remove` keys.
    pub async fn tag_portfolio(
        &self,
        portfolio_id: &str,
        add: &[(String, String)],
        remove: &[String],
    ) -> Result<(), WriteError> {
        use aws_sdk_servicecatalog::types::Tag;
        let mut parameters = BTreeMap::new();
        if !add.is_empty() {
            let shown: Vec<String> = add.iter().map(|(k, v)| format!("{k}={v}")).collect();
            parameters.insert("AddTags".to_string(), shown.join(","));
        }
        if !remove.is_empty() {
            parameters.insert("RemoveTags".to_string(), remove.join(","));
        }
        let call = Call {
            parameters,
            ..Self::call_on(
                "UpdatePortfolio",
                vec![("portfolio_id", portfolio_id.to_string())],
            )
        };
        let tags: Vec<Tag> = add
            .iter()
            .filter_map(|(k, v)| Tag::builder().key(k).value(v).build().ok())
            .collect();
        self.journaled(
            call,
            || async {
                self.catalog
                    .update_portfolio()
                    .id(portfolio_id)
                    .set_add_tags((!tags.is_empty()).then(|| tags.clone()))
                    .set_remove_tags((!remove.is_empty()).then(|| remove.to_vec()))
                    .send()
                    .await
                    .map_err(|e| self.context.map("servicecatalog", "UpdatePortfolio", e))?;
                Ok(())
            },
            |_| (None, "tagged".into()),
        )
        .await
    }
}

impl Writer {
    /// `DeleteProduct`: a product in no portfolio.
    pub async fn delete_product(&self, product_id: &str) -> Result<(), WriteError> {
        let call = Self::call_on(
            "DeleteProduct",
            vec![("product_id", product_id.to_string())],
        );
        self.journaled(
            call,
            || async {
                self.catalog
                    .delete_product()
                    .id(product_id)
                    .send()
                    .await
                    .map_err(|e| self.context.map("servicecatalog", "DeleteProduct", e))?;
                Ok(())
            },
            |_| (None, "deleted".into()),
        )
        .await
    }
}
