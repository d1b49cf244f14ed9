//! Extended validation (`apple-trust.md §4, §9`): which paths are EV, from the EV roots the
//! caller marks in the system store ([`SystemStore::add_ev_root`], Apple's `EVRoots` data).
//!
//! The spec does not say what makes a path EV; the emulator decides as trustd most plausibly
//! does: a path is EV when it is anchored by the system store (an app or user anchor is not
//! an EV root, even when the same certificate is one) at a root with EV policy OIDs, its leaf
//! asserts one of them, and RFC 5280 policy processing of the certificates below the root
//! with those OIDs as the user-initial-policy-set and initial-explicit-policy set leaves a
//! valid policy (each CA asserts the OID, or anyPolicy, or maps it). Whether the path passes
//! the policies is not part of it (a rejected path can be EV, `apple-trust.md §4`); the
//! verdict reports EV only for an accepted path. trustd's further EV-only requirements (its
//! EV policy's key-size and CT checks, a revocation response) are not emulated.
//!
//! [`SystemStore::add_ev_root`]: crate::anchors::SystemStore::add_ev_root

use super::policy_tree::{self, PolicySettings};
use crate::anchors::{AnchorIndex, AnchorStatus};
use crate::certificate::Certificate;
use crate::verdict::AnchorKind;

/// Whether some path from `leaf` could be EV (Apple's `canBeEV`): the system store is an
/// anchor source and the leaf asserts a policy OID of one of its EV roots. When it cannot, the
/// builder's stopping rule treats every path as "cannot be EV".
pub(crate) fn leaf_can_be_ev(anchors: &AnchorIndex<'_>, leaf: &Certificate) -> bool {
    !anchors.anchors_only && asserted(leaf).any(|oid| anchors.system.is_ev_policy(oid))
}

/// Whether the path `certs` (leaf first) ending at `anchor` is EV (module docs).
pub(crate) fn is_ev(
    anchors: &AnchorIndex<'_>,
    certs: &[Certificate],
    anchor: AnchorStatus,
) -> bool {
    let (Some(leaf), Some(root)) = (certs.first(), certs.last()) else {
        return false;
    };
    if certs.len() < 2 || anchor != AnchorStatus::Trusted(AnchorKind::System) {
        return false;
    }
    let oids = anchors.system.ev_policies(root);
    if !asserted(leaf).any(|oid| oids.contains(oid)) {
        return false;
    }
    let settings = PolicySettings {
        initial_policy_set: oids.to_vec(),
        initial_explicit_policy: true,
        ..PolicySettings::default()
    };
    policy_tree::process(&certs[..certs.len() - 1], &settings).is_ok()
}

/// The policy OIDs `cert` asserts.
fn asserted(cert: &Certificate) -> impl Iterator<Item = &const_oid::ObjectIdentifier> {
    cert.extensions()
        .certificate_policies
        .iter()
        .flatten()
        .map(|p| &p.oid)
}
