//! Per-evaluation anchor resolution: which certificate is an anchor, from which source, and
//! which usage constraints apply to it (`apple-trust.md §4, §5`).

use const_oid::ObjectIdentifier;

use super::settings::{KEY_USAGE_ANY, KEY_USAGE_SIGN_CERT};
use super::{SystemStore, TrustSetting, TrustSettingResult, UsageConstraint};
use crate::certificate::Certificate;
use crate::platform::{Os, Platform, RuleId};
use crate::policy::PolicyOptions;
use crate::verdict::AnchorKind;

/// A policy as trust-setting constraints see it: identity plus options.
#[derive(Debug, Clone)]
pub(crate) struct PolicyInfo {
    pub(crate) oid: ObjectIdentifier,
    pub(crate) name: String,
    pub(crate) options: PolicyOptions,
}

/// Whether and how a certificate anchors a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AnchorStatus {
    /// A trusted anchor of this kind.
    Trusted(AnchorKind),
    /// A user/admin Deny setting: the chain stops here and fails UsageConstraints.
    Denied,
    /// Not an anchor.
    No,
}

/// The anchor sources of one evaluation, in Apple's precedence.
#[derive(Debug)]
pub(crate) struct AnchorIndex<'a> {
    pub(crate) app: &'a [Certificate],
    pub(crate) anchors_only: bool,
    pub(crate) system: &'a SystemStore,
    pub(crate) user: &'a [TrustSetting],
    pub(crate) platform: Platform,
    pub(crate) policies: &'a [PolicyInfo],
}

impl<'a> AnchorIndex<'a> {
    fn user_setting(&self, cert: &Certificate) -> Option<&'a TrustSetting> {
        self.user.iter().find(|s| s.cert.same_as(cert))
    }

    /// Whether `cert` has a user/admin trust setting: only then do [`status`](Self::status)
    /// and [`is_user_trusted`](Self::is_user_trusted) read their `self_signed` argument.
    pub(crate) fn has_user_setting(&self, cert: &Certificate) -> bool {
        self.user_setting(cert).is_some()
    }

    /// Anchor status of `cert` (`apple-trust.md §5`, "A certificate is an anchor when").
    pub(crate) fn status(
        &self,
        cert: &Certificate,
        is_leaf: bool,
        self_signed: bool,
    ) -> AnchorStatus {
        if self.app.iter().any(|a| a.same_as(cert)) {
            return AnchorStatus::Trusted(AnchorKind::App);
        }
        if self.anchors_only {
            return AnchorStatus::No;
        }
        if self.system.is_apple_root(cert) {
            return AnchorStatus::Trusted(AnchorKind::System);
        }
        if let Some(setting) = self.user_setting(cert) {
            match self.user_decision(setting, is_leaf, self_signed) {
                AnchorStatus::No => {}
                decided => return decided,
            }
        }
        if self.system.contains(cert) {
            return AnchorStatus::Trusted(AnchorKind::System);
        }
        AnchorStatus::No
    }

    fn user_decision(
        &self,
        setting: &TrustSetting,
        is_leaf: bool,
        self_signed: bool,
    ) -> AnchorStatus {
        let needs_full_trust = setting.profile_installed
            && !setting.full_trust_enabled
            && self.platform.has(RuleId::ProfileRootsNeedFullTrust)
            && self.policies.iter().any(|p| p.options.tls);
        if needs_full_trust {
            return AnchorStatus::No;
        }
        if setting.constraints.is_empty() {
            return if self_signed {
                AnchorStatus::Trusted(AnchorKind::User)
            } else {
                AnchorStatus::No
            };
        }
        match self.first_matching(&setting.constraints, is_leaf) {
            Some(c) => match (c.effective_result(), self_signed) {
                (TrustSettingResult::TrustRoot, true)
                | (TrustSettingResult::TrustAsRoot, false) => {
                    AnchorStatus::Trusted(AnchorKind::User)
                }
                (TrustSettingResult::Deny, _) => AnchorStatus::Denied,
                _ => AnchorStatus::No,
            },
            None => AnchorStatus::No,
        }
    }

    /// The first constraint of `constraints` that matches some evaluated policy.
    pub(crate) fn first_matching<'c>(
        &self,
        constraints: &'c [UsageConstraint],
        is_leaf: bool,
    ) -> Option<&'c UsageConstraint> {
        constraints.iter().find(|c| self.matches(c, is_leaf))
    }

    /// Whether `c` matches any evaluated policy (`apple-trust.md §5`, "Matching details").
    pub(crate) fn matches(&self, c: &UsageConstraint, is_leaf: bool) -> bool {
        if c.policy_options.is_some() {
            return false;
        }
        if c.application.is_some() && self.platform.os() == Os::Macos {
            // No application context is emulated: an application-scoped constraint never
            // matches on macOS (on iOS the key is ignored).
            return false;
        }
        self.policies
            .iter()
            .any(|p| constraint_matches_policy(c, p, is_leaf))
    }

    /// The usage constraints that apply to `cert` (`apple-trust.md §5`): those of the anchor
    /// source that made it an anchor, otherwise those of the last anchor source that contained
    /// it — trustd's `SecPathBuilderIsAnchor`, which walks the anchor sources in precedence
    /// order and reports where it stopped.
    ///
    /// Only the user store carries constraints here (app anchors, Apple's roots and the system
    /// store have none). So the user setting's constraints apply when the user store anchors
    /// (or denies) the certificate, or when no later source holds it; a system root whose user
    /// setting does not anchor it (`Unspecified`, or a constraint that does not match) is
    /// anchored by the system store and gets the system store's constraints: none.
    ///
    /// With anchors-only on, the user and system stores are parent sources for chaining, not
    /// anchor sources, and trustd reads constraints from anchor sources only: a certificate
    /// reached through them carries none (no allowed errors, no carried policy options). The
    /// "user-anchored" exemptions still look at the user store through
    /// [`is_user_trusted`](Self::is_user_trusted).
    pub(crate) fn constraints_for(
        &self,
        cert: &Certificate,
        is_leaf: bool,
        self_signed: bool,
    ) -> Option<&'a [UsageConstraint]> {
        if self.anchors_only
            || self.app.iter().any(|a| a.same_as(cert))
            || self.system.is_apple_root(cert)
        {
            return None;
        }
        let setting = self.user_setting(cert)?;
        let user_anchors = self.user_decision(setting, is_leaf, self_signed) != AnchorStatus::No;
        if user_anchors || !self.system.contains(cert) {
            Some(setting.constraints.as_slice())
        } else {
            None
        }
    }

    /// Whether `cert` makes a successful chain Proceed rather than Unspecified (`apple-trust.md
    /// §1`): it is in the user store, the store is an anchor source, and its first matching
    /// constraint is TrustRoot / TrustAsRoot or none matches.
    pub(crate) fn gives_proceed(&self, cert: &Certificate, is_leaf: bool) -> bool {
        if self.anchors_only {
            return false;
        }
        match self.user_setting(cert) {
            Some(s) => match self.first_matching(&s.constraints, is_leaf) {
                None => true,
                Some(c) => matches!(
                    c.effective_result(),
                    TrustSettingResult::TrustRoot | TrustSettingResult::TrustAsRoot
                ),
            },
            None => false,
        }
    }

    /// Whether `cert` is itself in the user store (used by the "user-anchored" exemptions, which
    /// look at the user store even with anchors-only on, `apple-trust.md §5`).
    pub(crate) fn is_user_trusted(
        &self,
        cert: &Certificate,
        is_leaf: bool,
        self_signed: bool,
    ) -> bool {
        self.user_setting(cert).is_some_and(|s| {
            matches!(
                self.user_decision(s, is_leaf, self_signed),
                AnchorStatus::Trusted(_)
            )
        })
    }

    /// Anchors whose subject matches `cert`'s issuer, in precedence order.
    pub(crate) fn issuers_of(&self, cert: &Certificate, out: &mut Vec<Certificate>) {
        let issuer = cert.issuer();
        let mut push = |c: &Certificate| {
            if c.subject().matches(issuer) && !out.iter().any(|o| o.same_as(c)) {
                out.push(c.clone());
            }
        };
        self.app.iter().for_each(&mut push);
        if !self.anchors_only {
            self.system
                .roots()
                .iter()
                .filter(|r| self.system.is_apple_root(r))
                .for_each(&mut push);
            self.user.iter().map(|s| &s.cert).for_each(&mut push);
            self.system.roots().iter().for_each(&mut push);
        }
    }

    /// Certificates of the stores that are not anchor sources under anchors-only but still
    /// serve for chaining (`apple-trust.md §4`).
    pub(crate) fn chaining_only(&self) -> Vec<Certificate> {
        if !self.anchors_only {
            return Vec::new();
        }
        self.system
            .roots()
            .iter()
            .chain(self.user.iter().map(|s| &s.cert))
            .cloned()
            .collect()
    }
}

fn constraint_matches_policy(c: &UsageConstraint, p: &PolicyInfo, is_leaf: bool) -> bool {
    let oid_match = c.policy_oid.map(|o| o == p.oid);
    let name_match = c
        .policy_name
        .as_deref()
        .map(|n| n == p.name || (n == "sslServer" && oid_match == Some(true) && !p.options.client));
    let policy_given = oid_match.is_some() || name_match.is_some();
    if oid_match == Some(false) || name_match == Some(false) {
        return false;
    }
    if let Some(s) = &c.policy_string {
        let matched = policy_given
            && p.options
                .policy_string
                .as_deref()
                .is_some_and(|ps| ps.eq_ignore_ascii_case(s));
        if !matched {
            return false;
        }
    }
    if let Some(ku) = c.key_usage {
        let computed =
            if is_leaf { 0 } else { KEY_USAGE_SIGN_CERT } | p.options.trust_settings_key_usage;
        if ku != KEY_USAGE_ANY && ku != computed {
            return false;
        }
    }
    true
}
