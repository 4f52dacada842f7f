//! A profile's credentials, resolved once and kept until they are about to
//! expire. The SDK's profile provider copies the whole parsed AWS config
//! (every profile's sections) each time it is asked — cheap for a config
//! of three profiles, 10,001 copies of a 10,001-profile config when an
//! organization's accounts are each reached by AssumeRole from one base
//! profile. This asks it once, and again only near the expiry it gave.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_credential_types::provider::{self, ProvideCredentials, future};
use tokio::sync::Mutex;

/// How long before their expiry credentials are asked for again.
const REFRESH_BEFORE: Duration = Duration::from_secs(5 * 60);

#[derive(Debug)]
pub struct Cached<P> {
    inner: P,
    held: Mutex<Option<Credentials>>,
}

impl<P> Cached<P> {
    pub fn new(inner: P) -> Self {
        Self {
            inner,
            held: Mutex::new(None),
        }
    }
}

/// Whether `credentials` are still good at `now` (with the margin).
fn fresh(credentials: &Credentials, now: SystemTime) -> bool {
    match credentials.expiry() {
        None => true,
        Some(expiry) => now + REFRESH_BEFORE < expiry,
    }
}

impl<P: ProvideCredentials> Cached<P> {
    async fn credentials(&self) -> provider::Result {
        // One asker at a time: the others wait for its answer, not ask too.
        let mut held = self.held.lock().await;
        if let Some(c) = held.as_ref()
            && fresh(c, SystemTime::now())
        {
            return Ok(c.clone());
        }
        let got = self.inner.provide_credentials().await?;
        *held = Some(got.clone());
        Ok(got)
    }
}

impl<P: ProvideCredentials> ProvideCredentials for Cached<P> {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.credentials())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[derive(Debug)]
    struct Counting {
        asked: AtomicUsize,
        expiry: Option<SystemTime>,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            self.asked.fetch_add(1, Ordering::SeqCst);
            future::ProvideCredentials::ready(Ok(Credentials::new(
                "AKID",
                "secret",
                None,
                self.expiry,
                "test",
            )))
        }
    }

    #[tokio::test]
    async fn asks_once_for_credentials_that_do_not_expire() {
        let cached = Cached::new(Counting {
            asked: AtomicUsize::new(0),
            expiry: None,
        });
        for _ in 0..100 {
            cached.provide_credentials().await.unwrap();
        }
        assert_eq!(cached.inner.asked.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn asks_again_when_they_are_about_to_expire() {
        let soon = SystemTime::now() + Duration::from_secs(60);
        let cached = Cached::new(Counting {
            asked: AtomicUsize::new(0),
            expiry: Some(soon),
        });
        cached.provide_credentials().await.unwrap();
        cached.provide_credentials().await.unwrap();
        assert_eq!(cached.inner.asked.load(Ordering::SeqCst), 2);
        let later = SystemTime::now() + Duration::from_secs(3600);
        let cached = Cached::new(Counting {
            asked: AtomicUsize::new(0),
            expiry: Some(later),
        });
        cached.provide_credentials().await.unwrap();
        cached.provide_credentials().await.unwrap();
        assert_eq!(cached.inner.asked.load(Ordering::SeqCst), 1);
    }
}
