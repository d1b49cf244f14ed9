//! Path scoring (`apple-trust.md §4`; the ≤ 57337 scores of platforms.md "Path builder", which
//! have no EV points).

use super::validate::Validated;
use crate::anchors::AnchorStatus;
use crate::certificate::{Certificate, KeyAlgorithm};
use crate::platform::{RuleId, RuleSet};

/// Points for a path that passes the policies.
const ACCEPTED: i64 = 10_000_000;
/// Penalty when any signature fails.
const BAD_SIGNATURE: i64 = -100_000;
/// Points for an extended-validation path (current scores only).
const EXTENDED_VALIDATION: i64 = 1_000_000;
/// Points for an anchored path.
const ANCHORED: i64 = 10_000;

/// The score of a validated path.
pub(crate) fn score(
    rules: &RuleSet,
    v: &Validated,
    ends_self_signed: bool,
    verify_time: i64,
) -> i64 {
    let n = v.certs.len() as i64;
    let mut s = 0i64;
    if v.accepted {
        s += ACCEPTED;
    }
    if v.bad_signature {
        s += BAD_SIGNATURE;
    }
    let anchored = is_anchored(v.anchor);
    if anchored {
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
            // The root is the self-signed end; an unrooted path's last certificate counts.
            let is_root = i == last && ends_self_signed;
            if !is_root && !c.is_valid_at(verify_time) {
                s -= 1;
            }
        }
        return s;
    }
    if v.ev {
        s += EXTENDED_VALIDATION;
    }
    if ends_self_signed {
        s += 1000 - n;
    } else {
        s += n;
    }
    if v.certs.iter().all(|c| c.is_valid_at(verify_time)) {
        s += 100;
    }
    if !has_weak_hash(&v.certs, anchored) {
        s += 10;
    }
    if v.certs.iter().all(has_scoring_key_size) {
        s += 10;
    }
    s
}

/// Whether the path counts as anchored for scoring: a trusted or a denied anchor (Apple's
/// `isAnchored`: a Deny setting makes its certificate an anchor that fails).
fn is_anchored(anchor: AnchorStatus) -> bool {
    matches!(anchor, AnchorStatus::Trusted(_) | AnchorStatus::Denied)
}

/// The key-size bonus's test (`apple-trust.md §4`: "RSA ≥ 2048 and EC ≥ 224 throughout";
/// Apple's `SecCertificatePathVCHasWeakKeySize`, which asks `SecCertificateIsAtLeastMinKeySize`
/// with entries for RSA and EC only): any other key — Ed25519, Ed448, DSA, unknown or
/// unparseable — has no entry there and so denies the path its +10, whatever WeakKeySize says.
fn has_scoring_key_size(cert: &Certificate) -> bool {
    let k = cert.public_key();
    match (&k.algorithm, k.bits) {
        (KeyAlgorithm::Rsa, Some(b)) => b >= 2048,
        (KeyAlgorithm::Ec(_), Some(b)) => b >= 224,
        _ => false,
    }
}

/// MD2/MD4/MD5/SHA-1/unknown signatures on the path, the anchor ignored (`apple-trust.md §4`;
/// Apple's `SecCertificatePathVCHasWeakHash`): the last certificate is skipped only when the
/// path is `anchored` (trusted or denied); an unanchored path's last certificate counts.
fn has_weak_hash(certs: &[Certificate], anchored: bool) -> bool {
    let checked = if anchored {
        certs.len().saturating_sub(1)
    } else {
        certs.len()
    };
    certs[..checked]
        .iter()
        .any(|c| c.signature_algorithm().is_weak_for_scoring())
}

/// Whether the path's weak-hash test fails (as the score reads it).
pub(crate) fn path_has_weak_hash(v: &Validated) -> bool {
    has_weak_hash(&v.certs, is_anchored(v.anchor))
}

/// Whether `a` beats `b`: higher score, ties to the path found first.
pub(crate) fn better(a: &Validated, b: &Validated) -> bool {
    a.score > b.score || (a.score == b.score && a.order < b.order)
}
