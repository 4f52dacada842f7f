//! The `aws` layer against the embedded sandbox: the same code path as
//! production, pointed at loopback by a generated AWS config file.

use spoke::aws::{AwsError, ProfileKind, ProfileSource, Reader, Session};
use spoke::model::Origin;
use spoke::sandbox::{Faults, Sandbox, SandboxOptions};

async fn sandbox_with(faults: Faults) -> (Sandbox, tempfile::TempDir, ProfileSource) {
    let sandbox = Sandbox::start(SandboxOptions {
        faults,
        ..SandboxOptions::default()
    })
    .await
    .expect("sandbox starts");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    sandbox.write_aws_config(&path).unwrap();
    let source = ProfileSource::generated(path, sandbox.endpoint());
    (sandbox, dir, source)
}

#[tokio::test]
async fn every_sandbox_profile_connects_and_lists_its_portfolios() {
    let (sandbox, _dir, source) = sandbox_with(Faults::default()).await;

    let discovered = source.discover().unwrap();
    let expected = sandbox.profiles();
    assert_eq!(
        discovered.iter().map(|p| &p.name).collect::<Vec<_>>(),
        expected.iter().map(|p| &p.name).collect::<Vec<_>>()
    );
    assert!(discovered.iter().all(|p| p.kind == ProfileKind::Static));

    let mut imported_somewhere = false;
    for profile in &expected {
        let session = Session::connect(&source, &profile.name, None)
            .await
            .unwrap();
        assert_eq!(session.region(), profile.region);
        assert_eq!(session.endpoint(), Some(sandbox.endpoint().as_str()));
        let reader = Reader::new(&session);
        let me = reader.caller_identity().await.unwrap();
        assert_eq!(me.account_id, profile.account_id);

        let portfolios = reader.list_portfolios().await.unwrap();
        for p in &portfolios {
            match &p.origin {
                Origin::Local => assert!(p.arn.contains(&profile.account_id), "{p:?}"),
                Origin::Imported { owner_account, .. } => {
                    imported_somewhere = true;
                    assert_ne!(owner_account, &profile.account_id, "{p:?}");
                }
            }
        }
    }
    assert!(
        imported_somewhere,
        "the default world shares a portfolio from the hub"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_unknown_profile_names_the_known_ones() {
    let (sandbox, _dir, source) = sandbox_with(Faults::default()).await;
    let err = Session::connect(&source, "nope", None).await.unwrap_err();
    assert!(matches!(err, AwsError::UnknownProfile { .. }), "{err:?}");
    let line = err.to_string();
    assert!(
        line.contains("Profile nope") && line.contains("hub"),
        "{line}"
    );
    assert!(!line.contains('\n'));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn expired_credentials_say_what_to_do() {
    let (sandbox, _dir, source) = sandbox_with(Faults {
        expired_accounts: vec!["spoke-dev".into()],
        ..Faults::default()
    })
    .await;
    let session = Session::connect(&source, "spoke-dev", None).await.unwrap();
    let err = Reader::new(&session).list_portfolios().await.unwrap_err();
    assert!(
        matches!(err, AwsError::ExpiredCredentials { .. }),
        "{err:?}: {err}"
    );
    assert!(err.to_string().starts_with("Profile spoke-dev: "), "{err}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_unreachable_endpoint_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    // Port 1 on loopback: nothing listens there.
    std::fs::write(
        &path,
        "[profile gone]\nregion = us-east-1\nendpoint_url = http://127.0.0.1:1\n\
         aws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n",
    )
    .unwrap();
    let source = ProfileSource::generated(path, "http://127.0.0.1:1");
    let session = Session::connect(&source, "gone", None).await.unwrap();
    let err = Reader::new(&session).caller_identity().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot reach http://127.0.0.1:1: connection refused"
    );
}
