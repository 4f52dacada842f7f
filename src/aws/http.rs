//! The one HTTPS client of the process, shared by every session and SDK
//! client of every account.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::runtime_components::{
    RuntimeComponents, RuntimeComponentsBuilder,
};
use aws_smithy_types::config_bag::ConfigBag;

/// The one HTTPS client of the process, shared by every session and SDK
/// client (the SDK's default is a new client, with its own TLS roots and
/// connection pool, for each service client: two megabytes an account in
/// a fleet of a hundred). As the SDK's default: rustls with aws-lc, the
/// proxy from the environment.
pub(crate) fn shared_http_client() -> SharedHttpClient {
    use aws_smithy_http_client::proxy::ProxyConfig;
    use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
    use aws_smithy_http_client::{Builder, ConnectorBuilder};
    static CLIENT: std::sync::OnceLock<SharedHttpClient> = std::sync::OnceLock::new();
    CLIENT
        .get_or_init(|| {
            let hyper = Builder::new().build_with_connector_fn(|settings, components| {
                let mut connector = ConnectorBuilder::default()
                    .tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc));
                connector.set_connector_settings(settings.cloned());
                if let Some(components) = components {
                    connector.set_sleep_impl(components.sleep_impl());
                }
                connector.set_proxy_config(Some(ProxyConfig::from_env()));
                connector.build()
            });
            SharedHttpClient::new(Validated(hyper))
        })
        .clone()
}

/// The shared client, validated once: the SDK asks every new service
/// client to validate its HTTP client, and hyper's answers by building a
/// whole TLS connector (the root certificates parsed again) only to drop
/// it — for an organization of 10,000 accounts, a sixth of the scan's CPU
/// time. The connectors that carry requests are built and cached as before.
#[derive(Debug)]
struct Validated(SharedHttpClient);

impl HttpClient for Validated {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.0.http_connector(settings, components)
    }

    fn validate_base_client_config(
        &self,
        runtime_components: &RuntimeComponentsBuilder,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        static ONCE: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
        ONCE.get_or_init(|| {
            self.0
                .validate_base_client_config(runtime_components, cfg)
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(Into::into)
    }

    fn validate_final_config(
        &self,
        runtime_components: &RuntimeComponents,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.validate_final_config(runtime_components, cfg)
    }

    fn connector_metadata(
        &self,
    ) -> Option<aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata> {
        self.0.connector_metadata()
    }
}
