//! What differs between two verdicts, and which rows of the rules table — or which inputs —
//! plausibly account for each difference.

use std::fmt;

use crate::certificate::Certificate;
use crate::platform::{Platform, RULES, Rule, RuleId, RuleSet};
use crate::verdict::{AnchorKind, Check, CheckClass, Subtype, TrustResult, Verdict};

/// Checks and the rows of [`RULES`] that plausibly govern them: a row listed here can make the
/// check fail, stop failing, or change its class or subtype between two profiles. Data, read by
/// [`diff`]; a check missing here is tied to no row.
pub const CHECK_RULES: &[CheckRules] = &[
    CheckRules {
        checks: &[Check::SslHostname],
        rules: &[
            RuleId::HostnameCharacterMatcher,
            RuleId::HostnameFirstLabelWildcard,
            RuleId::HostnameWholeLabel,
            RuleId::HostnamePublicSuffixCheck,
            RuleId::HostnameCnFallback,
            RuleId::HostnameUnderscore,
            RuleId::AllowedErrors,
        ],
    },
    CheckRules {
        checks: &[Check::Email],
        rules: &[
            RuleId::Ios5SmimeQuirk,
            RuleId::SmimeCssm,
            RuleId::SmimeSystemLeaves60420,
            RuleId::AllowedErrors,
        ],
    },
    CheckRules {
        checks: &[
            Check::TemporalValidity,
            Check::ValidLeaf,
            Check::ValidIntermediates,
            Check::ValidRoot,
        ],
        rules: &[
            RuleId::SplitValidityChecks,
            RuleId::AppleRootExpirySkip,
            RuleId::AllowedErrors,
        ],
    },
    CheckRules {
        checks: &[Check::WeakKeySize, Check::WeakSignature],
        rules: &[RuleId::WeakKeySizeAndSignature, RuleId::EdwardsKeysWeak],
    },
    CheckRules {
        checks: &[Check::WeakLeaf, Check::WeakIntermediates, Check::WeakRoot],
        rules: &[
            RuleId::WeakChecksInBasic,
            RuleId::WeakChecksRecoverable,
            RuleId::EdwardsKeysWeak,
        ],
    },
    CheckRules {
        checks: &[Check::KeySize],
        rules: &[
            RuleId::SslServerChecks59306,
            RuleId::Subtypes59306,
            RuleId::Subtypes59754,
        ],
    },
    CheckRules {
        checks: &[Check::SignatureHashAlgorithms],
        rules: &[RuleId::SslServerChecks59306, RuleId::Subtypes59306],
    },
    CheckRules {
        checks: &[Check::SystemTrustedWeakKey, Check::SystemTrustedWeakHash],
        rules: &[RuleId::SystemTrustedWeakChains, RuleId::Subtypes59306],
    },
    CheckRules {
        checks: &[Check::ServerAuthEKU],
        rules: &[
            RuleId::SslServerChecks59306,
            RuleId::ServerAuthEkuIntermediates,
        ],
    },
    CheckRules {
        checks: &[Check::ExtendedKeyUsage],
        rules: &[RuleId::IntermediateEkuEnforced],
    },
    CheckRules {
        checks: &[
            Check::ValidityPeriodMaximums,
            Check::SystemTrustValidityPeriod,
            Check::OtherTrustValidityPeriod,
        ],
        rules: &[
            RuleId::SslServerChecks59306,
            RuleId::ValidityMax398,
            RuleId::ValidityLegacyTiers,
            RuleId::OtherValidityInclusiveDate,
            RuleId::SystemTrustValidityKey,
            RuleId::OtherTrustValidityKey,
        ],
    },
    CheckRules {
        checks: &[Check::UnparseableExtension, Check::DuplicateExtension],
        rules: &[RuleId::ExtensionHygiene],
    },
    CheckRules {
        checks: &[Check::SystemTrustedCTRequired],
        rules: &[
            RuleId::CtRequired,
            RuleId::CtLifetimeInDays,
            RuleId::CtIos13ExemptCas,
        ],
    },
    CheckRules {
        checks: &[Check::BlackListedLeaf, Check::GrayListedLeaf],
        rules: &[RuleId::BlockListsInBasic, RuleId::SslBlackListedLeaf55163],
    },
    CheckRules {
        checks: &[Check::BlackListedKey],
        rules: &[RuleId::WoSignStartComDistrust],
    },
    CheckRules {
        checks: &[Check::AnchorTrusted],
        rules: &[
            RuleId::ProfileRootsNeedFullTrust,
            RuleId::LegacyPathScoring,
            RuleId::StopOnSha2Path,
            RuleId::StopOnWeakLeafPath,
            RuleId::PathCap,
        ],
    },
    CheckRules {
        checks: &[Check::MissingIntermediate],
        rules: &[RuleId::LegacyPathScoring, RuleId::PathCap],
    },
    // S/MIME (`apple-trust.md §7`; platforms.md "S/MIME across versions"): the checks the S/MIME
    // rows of the rules table change. `Email` is above, with the pre-iOS-6 quirk. Rows are tied
    // to checks, not to policies: an SSL `KeySize` difference between iOS 14 and 15 also lists
    // `SmimeKeySize60157`, which applies on one side only.
    CheckRules {
        checks: &[Check::EmailProtectionEKU],
        rules: &[RuleId::SmimeSystemLeaves60420],
    },
    CheckRules {
        checks: &[Check::KeyUsage],
        rules: &[
            RuleId::SmimeCssm,
            RuleId::SmimeKeyUsage55163,
            RuleId::SmimeKeyUsage59754,
        ],
    },
    CheckRules {
        checks: &[Check::ExtendedKeyUsage],
        rules: &[
            RuleId::SmimeCssm,
            RuleId::SmimeEku55163,
            RuleId::SmimeEku55471,
            RuleId::SmimeEku59754,
        ],
    },
    CheckRules {
        checks: &[Check::KeySize],
        rules: &[RuleId::SmimeKeySize60157],
    },
    CheckRules {
        checks: &[Check::SignatureHashAlgorithms],
        rules: &[RuleId::SmimeSha1Rejected60420],
    },
    CheckRules {
        checks: &[Check::SystemTrustValidityPeriod],
        rules: &[RuleId::SmimeSystemLeaves60420],
    },
    CheckRules {
        checks: &[
            Check::TemporalValidity,
            Check::ValidLeaf,
            Check::ValidIntermediates,
            Check::ValidRoot,
            Check::BlackListedLeaf,
            Check::GrayListedLeaf,
        ],
        rules: &[RuleId::SmimeIgnoreExpiration],
    },
    CheckRules {
        checks: &[Check::NonEmptySubject],
        rules: &[RuleId::SmimeCssm],
    },
    CheckRules {
        checks: &[Check::Revocation],
        rules: &[
            RuleId::SmimeRevocationMacos,
            RuleId::CrlsCheckedCssm,
            RuleId::CrlsCheckedTrustd,
        ],
    },
];

/// Rows that change how failures combine into a result (platforms.md "Engines and result
/// model"): tied to every check whose class differs, and to a result that differs while the
/// failures agree.
pub const RESULT_MODEL_RULES: &[RuleId] = &[
    RuleId::CssmEngine,
    RuleId::ResultModel55163,
    RuleId::ResultModel55471,
    RuleId::ResultModel57740,
    RuleId::ResultModel58286,
    RuleId::NoProceedFromTrustSettings,
    RuleId::WeakChecksRecoverable,
    RuleId::AllowedErrors,
];

/// Checks whose outcome depends on how the chain is anchored (app, user, system), so that a
/// different anchor is a plausible input cause (`apple-trust.md §5, §6`).
const ANCHOR_SENSITIVE: &[Check] = &[
    Check::AnchorTrusted,
    Check::MissingIntermediate,
    Check::UsageConstraints,
    Check::SystemTrustedWeakKey,
    Check::SystemTrustedWeakHash,
    Check::SystemTrustedCTRequired,
    Check::ServerAuthEKU,
    Check::ValidityPeriodMaximums,
    Check::SystemTrustValidityPeriod,
    Check::OtherTrustValidityPeriod,
    Check::TemporalValidity,
    Check::ValidRoot,
];

/// One row of [`CHECK_RULES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckRules {
    /// The checks.
    pub checks: &'static [Check],
    /// The rows that plausibly govern them.
    pub rules: &'static [RuleId],
}

/// The rows of [`CHECK_RULES`] for `check`, in table order, without duplicates.
pub fn rules_for_check(check: Check) -> Vec<RuleId> {
    let mut out: Vec<RuleId> = Vec::new();
    for row in CHECK_RULES.iter().filter(|r| r.checks.contains(&check)) {
        for &id in row.rules {
            if !out.contains(&id) {
                out.push(id);
            }
        }
    }
    out
}

/// The row of [`RULES`] with this id.
pub(crate) fn rule(id: RuleId) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Which side of a comparison something is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Side {
    /// The first verdict (or platform).
    A,
    /// The second one.
    B,
}

/// A row of the rules table that applies on one side only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RuleRef {
    /// The row.
    pub id: RuleId,
    /// Whether it applies to side A's profile.
    pub in_a: bool,
    /// Whether it applies to side B's profile.
    pub in_b: bool,
    /// What the rule says.
    pub summary: &'static str,
    /// Where it comes from.
    pub evidence: &'static str,
}

impl RuleRef {
    /// `id` as it stands between two rule sets.
    pub(crate) fn between(id: RuleId, a: &RuleSet, b: &RuleSet) -> Option<RuleRef> {
        let row = rule(id)?;
        Some(RuleRef {
            id,
            in_a: a.contains(id),
            in_b: b.contains(id),
            summary: row.summary,
            evidence: row.evidence,
        })
    }

    /// The rows of `ids` that apply on exactly one side.
    pub(crate) fn differing(ids: &[RuleId], a: &RuleSet, b: &RuleSet) -> Vec<RuleRef> {
        ids.iter()
            .filter(|&&id| a.contains(id) != b.contains(id))
            .filter_map(|&id| RuleRef::between(id, a, b))
            .collect()
    }
}

impl fmt::Display for RuleRef {
    /// `HostnameCnFallback (A only): all DNS-looking subject CNs … [≤ 58286 source …]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let applies = match (self.in_a, self.in_b) {
            (true, false) => "A only",
            (false, true) => "B only",
            (true, true) => "both",
            (false, false) => "neither",
        };
        write!(
            f,
            "{:?} ({applies}): {} [{}]",
            self.id, self.summary, self.evidence
        )
    }
}

/// How a failure stands on one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FailureFacts {
    /// Its class on that side's result model.
    pub class: CheckClass,
    /// Its subtype on that side.
    pub subtype: Subtype,
}

/// An input that differs between the two evaluations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum InputKind {
    /// A different chain was chosen (at this index, for a check).
    Chain,
    /// The chain is anchored differently (app / user / system / none, or system-anchored).
    Anchor,
}

/// One check that differs: failed on one side only, or failed on both with another class or
/// subtype.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CheckDiff {
    /// Index in the chosen chain (0 = leaf).
    pub cert_index: usize,
    /// The check.
    pub check: Check,
    /// Its OSStatus.
    pub os_status: i32,
    /// The failure on side A, if it failed there.
    pub a: Option<FailureFacts>,
    /// The failure on side B, if it failed there.
    pub b: Option<FailureFacts>,
    /// Whether side A suppressed this failure (an allowed error of a trust setting, or a caller
    /// exception).
    pub suppressed_in_a: bool,
    /// Whether side B suppressed it.
    pub suppressed_in_b: bool,
    /// The rows of [`CHECK_RULES`] (and, for a class change, [`RESULT_MODEL_RULES`]) for this
    /// check that apply on one side only.
    pub rules: Vec<RuleRef>,
    /// Inputs that differ and plausibly govern this check.
    pub inputs: Vec<InputKind>,
}

impl CheckDiff {
    /// Whether the check failed on side A only.
    pub fn only_in_a(&self) -> bool {
        self.a.is_some() && self.b.is_none()
    }

    /// Whether the check failed on side B only.
    pub fn only_in_b(&self) -> bool {
        self.a.is_none() && self.b.is_some()
    }

    /// Whether nothing (neither a rule row nor an input) accounts for the difference.
    pub fn is_unexplained(&self) -> bool {
        self.rules.is_empty() && self.inputs.is_empty()
    }
}

/// The differences between two verdicts ([`diff`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct VerdictDiff {
    /// Side A's profile.
    pub a_platform: Platform,
    /// Side B's profile.
    pub b_platform: Platform,
    /// Side A's result.
    pub a_result: TrustResult,
    /// Side B's result.
    pub b_result: TrustResult,
    /// Side A's chosen chain (serialised as SHA-256 fingerprints).
    pub a_chain: Vec<Certificate>,
    /// Side B's chosen chain.
    pub b_chain: Vec<Certificate>,
    /// Side A's anchor.
    pub a_anchor: AnchorKind,
    /// Side B's anchor.
    pub b_anchor: AnchorKind,
    /// Inputs that differ: the chain chosen, the anchor.
    pub inputs: Vec<InputKind>,
    /// The checks that differ, certificate index first, then table order.
    pub checks: Vec<CheckDiff>,
    /// When the results differ but the failures do not: the result-model rows that apply on
    /// one side only.
    pub result_rules: Vec<RuleRef>,
}

impl VerdictDiff {
    /// Whether the two verdicts agree in result, chain, anchor and failures.
    pub fn is_empty(&self) -> bool {
        self.a_result == self.b_result && self.inputs.is_empty() && self.checks.is_empty()
    }

    /// The rows of the rules table tied to some difference, each once.
    pub fn rules(&self) -> Vec<RuleRef> {
        let mut out: Vec<RuleRef> = Vec::new();
        for r in self
            .checks
            .iter()
            .flat_map(|c| c.rules.iter())
            .chain(self.result_rules.iter())
        {
            if !out.iter().any(|o| o.id == r.id) {
                out.push(*r);
            }
        }
        out
    }
}

/// Compares two verdicts of (usually) the same input: which checks failed on one side only or
/// changed class or subtype, by certificate index; each tied to the rows of [`CHECK_RULES`]
/// that apply on one profile only, or to an input difference (another chain chosen, another
/// anchor). A check tied to neither is [unexplained](CheckDiff::is_unexplained) by the table.
///
/// Indices are compared as they are: when the chains differ, the same index may name two
/// certificates ([`InputKind::Chain`] says so).
pub fn diff(a: &Verdict, b: &Verdict) -> VerdictDiff {
    let (ra, rb) = (a.platform().rules(), b.platform().rules());
    let chain_differs = !same_chain(a.chain(), b.chain());
    let anchor_differs =
        a.anchor() != b.anchor() || a.is_system_anchored() != b.is_system_anchored();
    let mut inputs = Vec::new();
    if chain_differs {
        inputs.push(InputKind::Chain);
    }
    if anchor_differs {
        inputs.push(InputKind::Anchor);
    }

    let mut keys: Vec<(usize, Check)> = a
        .failures()
        .iter()
        .chain(b.failures())
        .map(|f| (f.cert_index, f.check))
        .collect();
    keys.sort();
    keys.dedup();
    let facts = |v: &Verdict, i: usize, c: Check| {
        v.failures_at(i)
            .find(|f| f.check == c)
            .map(|f| FailureFacts {
                class: f.class,
                subtype: f.subtype,
            })
    };
    let suppressed = |v: &Verdict, i: usize, c: Check| {
        v.suppressed()
            .iter()
            .any(|s| s.failure.cert_index == i && s.failure.check == c)
    };
    let mut checks = Vec::new();
    for (index, check) in keys {
        let (fa, fb) = (facts(a, index, check), facts(b, index, check));
        if fa == fb {
            continue;
        }
        let mut ids = rules_for_check(check);
        if let (Some(x), Some(y)) = (fa, fb)
            && x.class != y.class
        {
            for r in RESULT_MODEL_RULES {
                if !ids.contains(r) {
                    ids.push(*r);
                }
            }
        }
        let mut check_inputs = Vec::new();
        let cert_differs = match (a.chain().get(index), b.chain().get(index)) {
            (Some(x), Some(y)) => !x.same_as(y),
            _ => true,
        };
        // Another chain: the certificate at this index differs, or the check is about where
        // the chain ends.
        let chain_ends = matches!(check, Check::AnchorTrusted | Check::MissingIntermediate);
        if chain_differs && (cert_differs || chain_ends) {
            check_inputs.push(InputKind::Chain);
        }
        if anchor_differs && ANCHOR_SENSITIVE.contains(&check) {
            check_inputs.push(InputKind::Anchor);
        }
        checks.push(CheckDiff {
            cert_index: index,
            check,
            os_status: check.os_status(),
            a: fa,
            b: fb,
            suppressed_in_a: suppressed(a, index, check),
            suppressed_in_b: suppressed(b, index, check),
            rules: RuleRef::differing(&ids, &ra, &rb),
            inputs: check_inputs,
        });
    }
    let same_failures = checks.is_empty();
    let result_rules = if a.result() != b.result() && same_failures {
        RuleRef::differing(RESULT_MODEL_RULES, &ra, &rb)
    } else {
        Vec::new()
    };
    VerdictDiff {
        a_platform: a.platform(),
        b_platform: b.platform(),
        a_result: a.result(),
        b_result: b.result(),
        a_chain: a.chain().to_vec(),
        b_chain: b.chain().to_vec(),
        a_anchor: a.anchor(),
        b_anchor: b.anchor(),
        inputs,
        checks,
        result_rules,
    }
}

pub(crate) fn same_chain(a: &[Certificate], b: &[Certificate]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_as(y))
}

fn anchor_name(a: AnchorKind) -> &'static str {
    match a {
        AnchorKind::App => "an app anchor",
        AnchorKind::User => "a user/admin trust setting",
        AnchorKind::System => "the system store",
        _ => "no trusted anchor",
    }
}

impl fmt::Display for VerdictDiff {
    /// One line for the results, one per differing check with the rows and inputs tied to it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "A = {}: {}; B = {}: {}",
            self.a_platform, self.a_result, self.b_platform, self.b_result
        )?;
        if self.is_empty() {
            return writeln!(f, "  no difference");
        }
        if self.inputs.contains(&InputKind::Chain) {
            let names = |c: &[Certificate]| {
                c.iter()
                    .map(|x| x.to_string())
                    .collect::<Vec<_>>()
                    .join(" → ")
            };
            writeln!(f, "  different chains: A {}", names(&self.a_chain))?;
            writeln!(f, "                    B {}", names(&self.b_chain))?;
        }
        if self.inputs.contains(&InputKind::Anchor) {
            writeln!(
                f,
                "  anchored by {} on A, by {} on B",
                anchor_name(self.a_anchor),
                anchor_name(self.b_anchor)
            )?;
        }
        for c in &self.checks {
            let sides = match (c.a, c.b) {
                (Some(_), None) => "fails on A only".to_owned(),
                (None, Some(_)) => "fails on B only".to_owned(),
                (Some(x), Some(y)) => format!(
                    "fails on both: {:?}/{:?} on A, {:?}/{:?} on B",
                    x.class, x.subtype, y.class, y.subtype
                ),
                (None, None) => "fails on neither".to_owned(),
            };
            write!(
                f,
                "  [{}] {} −{} {sides}",
                c.cert_index,
                c.check,
                c.os_status.unsigned_abs()
            )?;
            if c.suppressed_in_a || c.suppressed_in_b {
                let side = if c.suppressed_in_a { "A" } else { "B" };
                write!(f, " (suppressed on {side}: allowed error or exception)")?;
            }
            writeln!(f)?;
            for r in &c.rules {
                writeln!(f, "      rule {r}")?;
            }
            for i in &c.inputs {
                let what = match i {
                    InputKind::Chain => "input: another chain was chosen",
                    InputKind::Anchor => "input: the chain is anchored differently",
                };
                writeln!(f, "      {what}")?;
            }
            if c.is_unexplained() {
                writeln!(f, "      no rule row or input difference accounts for it")?;
            }
        }
        for r in &self.result_rules {
            writeln!(f, "  result model: rule {r}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mapped_rule_has_a_row_and_every_row_is_mapped_once_per_check() {
        for row in CHECK_RULES {
            assert!(!row.checks.is_empty() && !row.rules.is_empty());
            for id in row.rules {
                assert!(rule(*id).is_some(), "{id:?} has no row in RULES");
            }
        }
        for id in RESULT_MODEL_RULES {
            assert!(rule(*id).is_some(), "{id:?}");
        }
        assert!(rules_for_check(Check::SslHostname).contains(&RuleId::HostnameCnFallback));
        assert!(rules_for_check(Check::ValidLeaf).contains(&RuleId::SplitValidityChecks));
        assert!(rules_for_check(Check::KeySize).contains(&RuleId::SslServerChecks59306));
        assert!(rules_for_check(Check::BasicConstraints).is_empty());
    }

    #[test]
    fn every_smime_row_is_tied_to_the_checks_it_changes() {
        let smime = RULES
            .iter()
            .map(|r| r.id)
            .filter(|id| format!("{id:?}").contains("Smime"));
        for id in smime {
            assert!(
                CHECK_RULES.iter().any(|row| row.rules.contains(&id)),
                "{id:?} is tied to no check"
            );
        }
        let email = rules_for_check(Check::Email);
        assert_eq!(email[..2], [RuleId::Ios5SmimeQuirk, RuleId::SmimeCssm]);
        assert!(rules_for_check(Check::KeyUsage).contains(&RuleId::SmimeKeyUsage59754));
        let eku = rules_for_check(Check::ExtendedKeyUsage);
        assert_eq!(eku[0], RuleId::IntermediateEkuEnforced);
        assert!(eku.contains(&RuleId::SmimeEku55163) && eku.contains(&RuleId::SmimeEku59754));
        assert_eq!(
            rules_for_check(Check::EmailProtectionEKU),
            [RuleId::SmimeSystemLeaves60420]
        );
    }

    #[test]
    fn rule_refs_keep_only_rows_on_one_side() {
        let (a, b) = (Platform::ios(12, 0).rules(), Platform::ios(13, 0).rules());
        let refs = RuleRef::differing(&rules_for_check(Check::SslHostname), &a, &b);
        let ids: Vec<RuleId> = refs.iter().map(|r| r.id).collect();
        assert_eq!(ids, [RuleId::HostnameCnFallback]);
        let cn = refs
            .iter()
            .find(|r| r.id == RuleId::HostnameCnFallback)
            .unwrap();
        assert!(cn.in_a && !cn.in_b);
        assert!(cn.to_string().starts_with("HostnameCnFallback (A only): "));
    }
}
