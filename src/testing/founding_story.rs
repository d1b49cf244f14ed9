//! [`FoundingStory`]: the 2012 report the crate was founded on, on generated certificates.

use super::builder::{CertBuilder, Issued};
use super::{oids, unix};
use crate::certificate::KeyUsage;
use crate::policy::{Smime, SmimeUsage};
use crate::{Platform, TrustEvaluator};

/// Two S/MIME certificates from one CA, one chain, bought the same day, differing only in
/// e-mail address — one for the account's primary address ([`PRIMARY`](Self::PRIMARY)), one
/// for its alias ([`ALIAS`](Self::ALIAS)). Both worked in OS X Mail; on iOS 5 the alias's was
/// "Not Trusted"; iOS 6 fixed it (platforms.md "The pre-iOS-6 S/MIME quirk").
///
/// The demo of the `sectrust` example, the diagnosis tests and the README use this one
/// fixture. Deterministic: fixed keys, dates and verify time.
///
/// ```no_run
/// use sectrust::testing::FoundingStory;
///
/// let story = FoundingStory::new();
/// let v = story.evaluate(&"ios-5.1".parse()?, &story.alias);
/// assert!(!v.is_trusted());
/// # Ok::<(), sectrust::platform::UnknownPlatform>(())
/// ```
#[derive(Clone, Debug)]
pub struct FoundingStory {
    /// `CN=Example Mail Root,O=Example Trust`, self-signed, the anchor.
    pub root: Issued,
    /// `CN=Example Mail CA,O=Example Trust`, issued by the root.
    pub ca: Issued,
    /// The certificate for the primary address: trusted everywhere.
    pub primary: Issued,
    /// The certificate for the alias: "Not Trusted" on iOS 5.
    pub alias: Issued,
}

impl FoundingStory {
    /// The account's primary address.
    pub const PRIMARY: &str = "jane@me.com";
    /// The other address of the same iCloud account.
    pub const ALIAS: &str = "jane@mac.com";
    /// When the story happens: 2012-06-01T00:00:00Z.
    pub const VERIFY_TIME: &str = "2012-06-01T00:00:00Z";

    /// The chain and the two certificates.
    pub fn new() -> Self {
        let root = CertBuilder::new("CN=Example Mail Root,O=Example Trust")
            .validity("2010-01-01T00:00:00Z", "2030-01-01T00:00:00Z")
            .ca(None)
            .build();
        let ca = CertBuilder::new("CN=Example Mail CA,O=Example Trust")
            .validity("2010-01-01T00:00:00Z", "2025-01-01T00:00:00Z")
            .ca(None)
            .issued_by(&root)
            .build();
        let bought = |address: &str| {
            CertBuilder::new(&format!("CN=Jane Appleseed,emailAddress={address}"))
                .validity("2012-03-01T00:00:00Z", "2013-03-01T00:00:00Z")
                .email(address)
                .eku(&[oids::email_protection()])
                .key_usage(KeyUsage::DIGITAL_SIGNATURE | KeyUsage::KEY_ENCIPHERMENT)
                .issued_by(&ca)
                .build()
        };
        FoundingStory {
            primary: bought(Self::PRIMARY),
            alias: bought(Self::ALIAS),
            root,
            ca,
        }
    }

    /// What Mail asks the trust engine about the account: signing, its primary address, with
    /// its alias (`apple-trust.md §7`; the default pre-iOS-6 hypothesis).
    pub fn policy() -> Smime {
        Smime::new(SmimeUsage::SIGN, Some(Self::PRIMARY.into())).with_aliases([Self::ALIAS])
    }

    /// An evaluator with the root as app anchor, at [`VERIFY_TIME`](Self::VERIFY_TIME), on
    /// `latest` (`with_platform` picks another profile).
    pub fn evaluator(&self) -> TrustEvaluator {
        TrustEvaluator::builder()
            .anchors([self.root.cert.clone()])
            .verify_time_unix(unix(Self::VERIFY_TIME))
            .build()
    }

    /// `leaf` (with the CA as intermediate) under [`policy`](Self::policy) on `platform`.
    pub fn evaluate(&self, platform: &Platform, leaf: &Issued) -> crate::Verdict {
        self.evaluator()
            .with_platform(*platform)
            .evaluate(
                &leaf.cert,
                std::slice::from_ref(&self.ca.cert),
                &[&Self::policy()],
            )
            .expect("testing: the founding story's inputs are valid")
    }
}

impl Default for FoundingStory {
    fn default() -> Self {
        Self::new()
    }
}
