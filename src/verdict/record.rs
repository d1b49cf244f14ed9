//! [`VerdictRecord`]: a verdict as plain data, the shape `serde` writes and reads back.

use super::{AnchorKind, Failure, PrimaryError, Suppressed, TrustResult, Verdict};
use crate::path::Work;
use crate::platform::Platform;

/// A [`Verdict`] as plain, comparable data: every field, with the chain as SHA-256
/// fingerprints (lower-case hex, leaf first).
///
/// With the `serde` feature this is what a verdict serialises to — `Verdict`'s `Serialize`
/// writes its record, so the two shapes cannot drift — and what such JSON deserialises into.
/// A verdict itself cannot be read back: it holds parsed certificates, and the JSON names them
/// by fingerprint only. That is deliberate: a fingerprint names a certificate exactly, the
/// caller already has the certificates, and verdicts stay small enough to log and diff. Match
/// the fingerprints against [`Certificate::sha256_hex`](crate::Certificate::sha256_hex) to
/// get the certificates back.
///
/// Without `serde` a record is still useful to compare two verdicts: `a.to_record() ==
/// b.to_record()` compares everything, certificates by fingerprint.
///
/// ```
/// # let pki = sectrust::testing::Pki::new();
/// # let evaluator = sectrust::TrustEvaluator::builder()
/// #     .anchors([pki.root.cert.clone()])
/// #     .verify_time_unix(sectrust::testing::Pki::T_VALID)
/// #     .build();
/// # let verdict = evaluator.evaluate_default(&pki.leaf.cert, &[pki.intermediate.cert.clone()])?;
/// use sectrust::verdict::VerdictRecord;
///
/// let json = serde_json::to_string(&verdict).unwrap();
/// let back: VerdictRecord = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, verdict.to_record());
/// assert_eq!(back.chain[0], pki.leaf.cert.sha256_hex());
/// # Ok::<(), sectrust::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct VerdictRecord {
    /// [`Verdict::platform`].
    pub platform: Platform,
    /// [`Verdict::result`].
    pub result: TrustResult,
    /// [`Verdict::chain`], as SHA-256 fingerprints (hex), leaf first.
    pub chain: Vec<String>,
    /// [`Verdict::anchor`].
    pub anchor: AnchorKind,
    /// [`Verdict::is_system_anchored`].
    pub system_anchored: bool,
    /// [`Verdict::is_extended_validation`] (absent in JSON written before it existed: `false`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub extended_validation: bool,
    /// [`Verdict::failures`].
    pub failures: Vec<Failure>,
    /// [`Verdict::suppressed`].
    pub suppressed: Vec<Suppressed>,
    /// [`Verdict::primary_error`].
    pub error: Option<PrimaryError>,
    /// [`Verdict::notes`].
    pub notes: Vec<String>,
    /// [`Verdict::work`].
    pub work: Work,
}

impl From<&Verdict> for VerdictRecord {
    fn from(v: &Verdict) -> Self {
        // Destructured field by field: a field added to `Verdict` fails to compile here
        // until the record (and so the serialised form) has it too.
        let Verdict {
            platform,
            result,
            chain,
            anchor,
            system_anchored,
            extended_validation,
            failures,
            suppressed,
            error,
            notes,
            work,
        } = v;
        VerdictRecord {
            platform: *platform,
            result: *result,
            chain: chain.iter().map(|c| c.sha256_hex()).collect(),
            anchor: *anchor,
            system_anchored: *system_anchored,
            extended_validation: *extended_validation,
            failures: failures.clone(),
            suppressed: suppressed.clone(),
            error: error.clone(),
            notes: notes.clone(),
            work: *work,
        }
    }
}

impl Verdict {
    /// The verdict as plain data ([`VerdictRecord`]): what it serialises to, and what compares.
    pub fn to_record(&self) -> VerdictRecord {
        VerdictRecord::from(self)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Verdict {
    /// Writes [`Verdict::to_record`]: certificates as SHA-256 fingerprints (hex).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_record().serialize(s)
    }
}
