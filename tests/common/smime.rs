//! S/MIME fixtures: a root and an intermediate, an S/MIME leaf preset, and evaluation by kind
//! of anchor (`apple-trust.md §7`).

use sectrust::policy::{Smime, SmimeUsage};
use sectrust::testing::{CertBuilder, Issued, oids};
use sectrust::{Check, Policy, SystemStore, TrustEvaluator, TrustResult, TrustSetting, Verdict};

use super::{T, assert_fails, certs, p};

/// The address the preset leaf is issued for.
pub const ADDRESS: &str = "jane@example.com";

/// How the chain is anchored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The root is an app anchor.
    App,
    /// The root is in the system store (and no app anchor is set).
    System,
    /// The root is an app anchor AND in the system store: still system-anchored.
    AppAndSystem,
    /// The root is trusted by a user setting.
    UserRoot,
    /// The leaf itself is trusted by a user setting (TrustAsRoot).
    UserLeaf,
}

/// A root → intermediate pair issuing S/MIME leaves.
pub struct SmimePki {
    pub root: Issued,
    pub inter: Issued,
}

impl SmimePki {
    pub fn new() -> Self {
        Self::with_inter(|b| b)
    }

    /// With the intermediate customised.
    pub fn with_inter(inter: impl FnOnce(CertBuilder) -> CertBuilder) -> Self {
        let root = CertBuilder::new("CN=Mail Root,O=sectrust").ca(None).build();
        let inter = inter(
            CertBuilder::new("CN=Mail CA,O=sectrust")
                .ca(None)
                .issued_by(&root),
        )
        .build();
        SmimePki { root, inter }
    }

    /// A leaf for [`ADDRESS`]: subject `CN=Jane Doe`, SAN rfc822Name, EKU emailProtection,
    /// keyUsage digitalSignature | keyEncipherment, valid 2020–2030.
    pub fn leaf(&self) -> CertBuilder {
        self.leaf_without_eku().eku(&[oids::email_protection()])
    }

    /// [`leaf`](Self::leaf) without the EKU extension.
    pub fn leaf_without_eku(&self) -> CertBuilder {
        self.bare_leaf("CN=Jane Doe,O=Example")
            .email(ADDRESS)
            .key_usage(
                sectrust::certificate::KeyUsage::DIGITAL_SIGNATURE
                    | sectrust::certificate::KeyUsage::KEY_ENCIPHERMENT,
            )
    }

    /// A leaf with this subject and the emailProtection EKU only (no SAN, no KU).
    pub fn named_leaf(&self, subject: &str) -> CertBuilder {
        self.bare_leaf(subject).eku(&[oids::email_protection()])
    }

    /// A leaf with only a subject and this issuer (no SAN, EKU or KU).
    pub fn bare_leaf(&self, subject: &str) -> CertBuilder {
        CertBuilder::new(subject).issued_by(&self.inter)
    }

    /// Evaluates `leaf` under `policy`, app-anchored at the root, at [`T`].
    pub fn eval(&self, platform: &str, policy: &Smime, leaf: &Issued) -> Verdict {
        self.eval_anchored(platform, policy, leaf, Anchor::App)
    }

    /// Evaluates `leaf` under `policy` with the given anchoring, at [`T`].
    pub fn eval_anchored(
        &self,
        platform: &str,
        policy: &Smime,
        leaf: &Issued,
        anchor: Anchor,
    ) -> Verdict {
        let root = self.root.cert.clone();
        let mut b = TrustEvaluator::builder()
            .platform(p(platform))
            .verify_time_unix(T);
        b = match anchor {
            Anchor::App => b.anchors([root]),
            Anchor::System => b.system_store(SystemStore::from_roots([root])),
            Anchor::AppAndSystem => b
                .anchors([root.clone()])
                .system_store(SystemStore::from_roots([root])),
            Anchor::UserRoot => b.user_trust([TrustSetting::trust_root(root)]),
            Anchor::UserLeaf => b.user_trust([TrustSetting::with_constraint(
                leaf.cert.clone(),
                sectrust::UsageConstraint::result(sectrust::TrustSettingResult::TrustAsRoot),
            )]),
        };
        let policies: [&dyn Policy; 1] = [policy];
        b.build()
            .evaluate(&leaf.cert, &certs(&[&self.inter]), &policies)
            .expect("evaluation")
    }
}

/// The sign policy for `email`.
pub fn sign_for(email: &str) -> Smime {
    Smime::new(SmimeUsage::SIGN, Some(email.to_owned()))
}

/// Exactly one failure, Email on the leaf: RecoverableTrustFailure, −67623, the name message.
pub fn assert_email_fails(v: &Verdict) {
    assert_fails(
        v,
        TrustResult::RecoverableTrustFailure,
        &[(0, Check::Email)],
    );
    let e = v.primary_error().expect("an error");
    assert_eq!(e.os_status, -67623);
    assert!(
        e.message.ends_with("certificate name does not match input"),
        "{e:?}"
    );
}
