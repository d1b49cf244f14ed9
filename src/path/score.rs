//! Path scoring (`apple-trust.md §4`; the ≤ 57337 scores of platforms.md "Path builder").

use super::validate::Validated;
use crate::anchors::AnchorStatus;
use crate::certificate::{Certificate, KeyAlgorithm};
use crate::platform::{RuleId, RuleSet};

/// Points for a path that passes the policies.
const ACCEPTED: i64 = 10_000_000;
/// Penalty when any signature fails.
const BAD_SIGNATURE: i64 = -100_000;
/// Points for an anchored path.
const ANCHORED: i64 = 10_000;

/// The score of a validated path.
pub(crate) fn score(
    rules: &RuleSet,
    v: &Validated,
    ends_self_signed: bool,
    verify_time: i64,
    weak_key: impl Fn(&Certificate) -> bool,
) -> i64 {
    let n = v.certs.len() as i64;
    let mut s = 0i64;
    if v.accepted {
        s += ACCEPTED;
    }
    if v.bad_signature {
        s += BAD_SIGNATURE;
    }
    if matches!(v.anchor, AnchorStatus::Trusted(_) | AnchorStatus::Denied) {
        s += ANCHORED;
    }
    if rules.contains(RuleId::LegacyPathScoring) {
        // ≤ 57337: +10 per certificate, +10 for a self-signed end (+5 for each self-signed
        // certificate mid-chain), −1 per invalid non-root.
        s += 10 * n;
        if ends_self_signed {
            s += 10;
        }
        let last = v.certs.len().saturating_sub(1);
        for (i, c) in v.certs.iter().enumerate() {
            if i > 0 && i < last && c.is_self_issued() {
                s += 5;
            }
            if i < last && !c.is_valid_at(verify_time) {
                s -= 1;
            }
        }
        return s;
    }
    if ends_self_signed {
        s += 1000 - n;
    } else {
        s += n;
    }
    if v.certs.iter().all(|c| c.is_valid_at(verify_time)) {
        s += 100;
    }
    if !has_weak_hash(&v.certs) {
        s += 10;
    }
    let strong_keys = v.certs.iter().all(|c| {
        let k = c.public_key();
        match (&k.algorithm, k.bits) {
            (KeyAlgorithm::Rsa, Some(b)) => b >= 2048,
            (KeyAlgorithm::Ec(_), Some(b)) => b >= 224,
            _ => !weak_key(c),
        }
    });
    if strong_keys {
        s += 10;
    }
    s
}

/// MD2/MD4/MD5/SHA-1/unknown signatures anywhere but the anchor (`apple-trust.md §4`).
pub(crate) fn has_weak_hash(certs: &[Certificate]) -> bool {
    let below_anchor = certs.len().saturating_sub(1).max(1).min(certs.len());
    certs[..below_anchor]
        .iter()
        .any(|c| c.signature_algorithm().is_weak_for_scoring())
}

/// Whether `a` beats `b`: higher score, ties to the path found first.
pub(crate) fn better(a: &Validated, b: &Validated) -> bool {
    a.score > b.score || (a.score == b.score && a.order < b.order)
}
