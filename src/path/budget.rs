//! Bounds on the path search, so hostile inputs (loops, fan-out, deep paths) cannot make an
//! evaluation slow (`apple-trust.md §4`; STYLE.md "every search is bounded").
//!
//! Every candidate issuer counts, whether it comes from an anchor source or a parent source.
//! `tests/resource_bounds.rs` pins the counters ([`Work`]) on hostile shapes: a 10,000-certificate
//! chain stops at [`MAX_DEPTH`] (31 steps, 31 signature checks, one path validated); 1,000
//! same-name candidate issuers — intermediates or app anchors — stop at [`APPLE_PATH_CAP`] (100
//! paths) where the platform has it, else at [`MAX_SIGNATURE_CHECKS`] with the rest unverified
//! (about 1,000 steps, `exhausted` set); a 1 MB subjectAltName adds no search work; DER nested
//! 100,000 deep is a parse error or never descended. `tests/properties.rs` checks the bounds on
//! generated chains.

/// Apple's cap on candidate paths, partial ones counted (59306 →, platforms.md "Path builder"),
/// anchor candidates included.
pub const APPLE_PATH_CAP: usize = 100;

/// Certificates pushed onto partial paths, on any platform. Releases before iOS 13 had no path
/// cap; this safety bound (far above any real PKI's fan-out) keeps them bounded too. x509-limbo's
/// `pathological::` shapes need a few hundred steps at most before this bound or the Apple cap.
pub const MAX_SEARCH_STEPS: usize = 2_000;

/// Signature verifications per evaluation (cached per child/issuer pair). Each costs tens of
/// microseconds; 512 keeps a hostile fan-out of same-name issuers under ~50 ms.
pub const MAX_SIGNATURE_CHECKS: usize = 512;

/// Longest path considered, in certificates. Real chains are ≤ 5; Apple has no explicit limit
/// beyond the path cap, so paths are cut (and reported unanchored) only at this depth.
pub const MAX_DEPTH: usize = 32;

/// The work counters of one evaluation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Work {
    /// Certificates pushed onto partial paths.
    pub steps: usize,
    /// Signature verifications performed (cache hits not counted).
    pub signature_checks: usize,
    /// Candidate paths (partial and complete) counted toward Apple's cap.
    pub paths: usize,
    /// Complete candidate paths validated.
    pub validated: usize,
    /// Whether a bound stopped the search early.
    pub exhausted: bool,
}
