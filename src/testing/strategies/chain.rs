//! [`ChainSpec`] and [`GeneratedChain`]: a root, intermediates and a leaf, with cross-signs,
//! loops, same-name impostors and the usual faults, built into certificates.

use std::ops::Range;

use const_oid::ObjectIdentifier;

use proptest::collection::vec;
use proptest::prelude::*;

use super::VERIFY_TIME;
use super::cert::{
    BasicConstraintsSpec, CertSpec, Validity, ca_validity, eku, faulty, key_usage, leaf_validity,
    strong_hash, weak_hash,
};
use super::keys::{KeySpec, key_spec};
use super::names::{
    NameConstraintsSpec, SanEntry, dns_name, name_constraints, ordinary_dns_name, san_list,
};
use crate::certificate::{Certificate, KeyUsage};
use crate::crypto::HashAlgorithm;
use crate::testing::{CertBuilder, Issued};
use crate::{Platform, TrustEvaluator};

/// The organisation every generated subject carries.
const ORG: &str = "O=sectrust proptest";

/// What [`chain_spec`] may generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainConfig {
    /// Intermediates between root and leaf: 0 to this many (default 2).
    pub max_intermediates: usize,
    /// SAN entries on the leaf: 0 to this many minus one (default 5).
    pub max_san: usize,
    /// Whether faults are drawn: expiry and odd windows, SHA-1/MD5, CAs without cA or
    /// keyCertSign, pathLen 0, v1 certificates, corrupt signatures, name constraints, missing
    /// intermediates, unanchored roots (default true). Without faults the CA side of the chain
    /// is sound, so verdicts turn on the leaf (its SAN, EKU, KU, validity, hash) and the policy.
    pub faults: bool,
    /// Whether cross-signs and loops are drawn (default true).
    pub cross_signs: bool,
    /// Same-name impostors (other keys) of the leaf's issuer: 0 to this many (default 2).
    pub max_impostors: usize,
}

impl Default for ChainConfig {
    fn default() -> Self {
        ChainConfig {
            max_intermediates: 2,
            max_san: 5,
            faults: true,
            cross_signs: true,
            max_impostors: 2,
        }
    }
}

/// An extra issuing relation besides root → intermediates → leaf.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CrossSign {
    /// Another root `other` cross-certifies the root: a certificate with the root's subject and
    /// key, issued by `other`. With `anchor_other`, `other` is an anchor too.
    Root {
        /// The other root (self-signed).
        other: CertSpec,
        /// Whether `other` is an anchor.
        anchor_other: bool,
    },
    /// Another root `other` issues a second certificate for the first intermediate (same
    /// subject and key): two routes up from there.
    Intermediate {
        /// The other root (self-signed).
        other: CertSpec,
        /// Whether `other` is an anchor.
        anchor_other: bool,
    },
    /// A loop: the root re-issued (same subject and key) by the bottom-most intermediate, so
    /// the issuer graph has a cycle. Needs at least one intermediate (ignored otherwise).
    Loop,
}

/// A chain as data: what to build, and how to hand it to the evaluator.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChainSpec {
    /// The root (self-signed).
    pub root: CertSpec,
    /// Intermediates, root-most first: `intermediates[0]` is issued by the root, each next one
    /// by the one before; the leaf by the last (or by the root when there is none).
    pub intermediates: Vec<CertSpec>,
    /// The leaf.
    pub leaf: CertSpec,
    /// A cross-sign or loop.
    pub cross: Option<CrossSign>,
    /// Same-name impostors of the leaf's issuer: same subject, another key, issued like the
    /// real one; they do not verify the leaf's signature.
    pub impostors: Vec<KeySpec>,
    /// Whether the root is an (app) anchor.
    pub anchor_root: bool,
    /// Whether the root is also passed among the intermediates.
    pub root_in_intermediates: bool,
    /// An intermediate (index into `intermediates`) that is built but not passed: a missing
    /// intermediate.
    pub omit: Option<usize>,
    /// Order of the intermediates passed to the evaluator: 0 keeps build order (leaf-most
    /// last), any other value shuffles deterministically.
    pub shuffle: u64,
    /// The verify time.
    pub verify_time: i64,
}

/// A built chain, ready to evaluate: certificates plus the spec they came from.
#[derive(Debug, Clone)]
pub struct GeneratedChain {
    /// What was built (printed by proptest when a property fails).
    pub spec: ChainSpec,
    /// The leaf.
    pub leaf: Certificate,
    /// The other certificates the caller passes, in [`ChainSpec::shuffle`] order.
    pub intermediates: Vec<Certificate>,
    /// The app anchors.
    pub anchors: Vec<Certificate>,
    /// The verify time ([`VERIFY_TIME`] unless a spec says otherwise).
    pub verify_time: i64,
}

impl GeneratedChain {
    /// An evaluator for `platform` with this chain's anchors (anchors-only, as
    /// `SecTrustSetAnchorCertificates`) and verify time.
    pub fn evaluator(&self, platform: Platform) -> TrustEvaluator {
        TrustEvaluator::builder()
            .platform(platform)
            .anchors(self.anchors.iter().cloned())
            .verify_time_unix(self.verify_time)
            .build()
    }

    /// The same chain with the intermediates in another order.
    pub fn with_intermediates(&self, intermediates: Vec<Certificate>) -> Self {
        GeneratedChain {
            intermediates,
            ..self.clone()
        }
    }
}

impl ChainSpec {
    /// Builds the certificates. Deterministic: the same spec gives the same bytes.
    ///
    /// # Panics
    ///
    /// When sectrust's parser rejects a generated certificate (the generators only make
    /// certificates it should accept, so that is a finding).
    pub fn build(&self) -> GeneratedChain {
        let root = build(self.root.builder());
        let mut issuers: Vec<Issued> = Vec::new();
        for spec in &self.intermediates {
            let parent = issuers.last().unwrap_or(&root);
            let next = build(spec.builder().issued_by(parent));
            issuers.push(next);
        }
        let leaf_issuer = issuers.last().unwrap_or(&root).clone();
        let leaf = build(self.leaf.builder().issued_by(&leaf_issuer));

        let mut anchors = Vec::new();
        if self.anchor_root {
            anchors.push(root.cert.clone());
        }
        let mut passed: Vec<Certificate> = issuers
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != self.omit)
            .map(|(_, c)| c.cert.clone())
            .collect();
        match &self.cross {
            Some(CrossSign::Root {
                other,
                anchor_other,
            }) => {
                let other = build(other.builder());
                passed.push(build(self.root.builder().issued_by(&other)).cert);
                if *anchor_other {
                    anchors.push(other.cert);
                }
            }
            Some(CrossSign::Intermediate {
                other,
                anchor_other,
            }) => {
                let other = build(other.builder());
                if let Some(first) = self.intermediates.first() {
                    passed.push(build(first.builder().issued_by(&other)).cert);
                }
                if *anchor_other {
                    anchors.push(other.cert);
                }
            }
            Some(CrossSign::Loop) => {
                if let Some(bottom) = issuers.last() {
                    passed.push(build(self.root.builder().issued_by(bottom)).cert);
                }
            }
            None => {}
        }
        // Impostors: the leaf issuer's spec with another key, issued by the same parent.
        let issuer_spec = self.intermediates.last().unwrap_or(&self.root);
        let parent = issuers.len().checked_sub(2).map_or(&root, |i| &issuers[i]);
        for key in &self.impostors {
            let mut spec = issuer_spec.clone();
            spec.key = *key;
            spec.corrupt_signature = false;
            let builder = if self.intermediates.is_empty() {
                spec.builder()
            } else {
                spec.builder().issued_by(parent)
            };
            passed.push(build(builder).cert);
        }
        if self.root_in_intermediates {
            passed.push(root.cert.clone());
        }
        shuffle(&mut passed, self.shuffle);
        GeneratedChain {
            spec: self.clone(),
            leaf: leaf.cert,
            intermediates: passed,
            anchors,
            verify_time: self.verify_time,
        }
    }

    /// Whether every certificate has exactly one candidate issuer: no cross-sign, loop,
    /// impostor, omitted intermediate or root passed twice. Then there is a single candidate
    /// path and nothing a search order could change.
    pub fn has_single_path(&self) -> bool {
        self.cross.is_none()
            && self.impostors.is_empty()
            && self.omit.is_none()
            && !self.root_in_intermediates
    }
}

fn build(builder: CertBuilder) -> Issued {
    builder
        .try_build()
        .unwrap_or_else(|e| panic!("strategies: sectrust rejected a generated certificate: {e}"))
}

/// Deterministic Fisher–Yates with SplitMix64; seed 0 keeps the order.
fn shuffle<T>(items: &mut [T], seed: u64) {
    if seed == 0 {
        return;
    }
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    for i in (1..items.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

/// Seeds for role `n` (each role its own range; see [`key_spec`]).
fn seeds(role: u64) -> Range<u64> {
    let start = 1_000 * (role + 1);
    start..start + 1_000
}

/// The strategies of a [`CertSpec`]'s fields, combined.
struct Fields {
    subject: BoxedStrategy<String>,
    key: BoxedStrategy<KeySpec>,
    validity: BoxedStrategy<Validity>,
    hash: BoxedStrategy<HashAlgorithm>,
    basic_constraints: BoxedStrategy<BasicConstraintsSpec>,
    key_usage: BoxedStrategy<Option<u16>>,
    eku: BoxedStrategy<Option<Vec<ObjectIdentifier>>>,
    san: BoxedStrategy<Vec<SanEntry>>,
    name_constraints: BoxedStrategy<NameConstraintsSpec>,
    faults: bool,
}

impl Fields {
    fn spec(self) -> BoxedStrategy<CertSpec> {
        let version = faulty(self.faults, Just(3u8), Just(1u8));
        let corrupt = faulty(self.faults, Just(false), Just(true));
        let parts = (
            (
                self.subject,
                self.key,
                1..u64::MAX,
                self.validity,
                self.hash,
            ),
            (self.basic_constraints, self.key_usage, self.eku, self.san),
            (self.name_constraints, version, corrupt),
        );
        parts
            .prop_map(|(a, b, c)| CertSpec {
                subject: a.0,
                key: a.1,
                serial: a.2,
                validity: a.3,
                hash: a.4,
                basic_constraints: b.0,
                key_usage: b.1,
                eku: b.2,
                san: b.3,
                name_constraints: c.0,
                version: c.1,
                corrupt_signature: c.2,
            })
            .boxed()
    }
}

/// A CA certificate spec with `subject` and a key seeded for `role` (give each CA of a chain
/// its own role): sound — a ten-year window, SHA-2, cA without a path length, the default
/// keyUsage, v3 — unless `faults`, which now and then breaks one field: an odd window, SHA-1
/// or MD5, a path length, no basicConstraints or cA false, a keyUsage without (or with)
/// keyCertSign, an EKU, name constraints, v1, a corrupt signature.
pub fn ca_cert_spec(subject: String, role: u64, faults: bool) -> BoxedStrategy<CertSpec> {
    Fields {
        subject: Just(subject).boxed(),
        key: key_spec(seeds(role), 1 + role.min(3)).boxed(),
        validity: ca_validity(faults),
        hash: faulty(faults, strong_hash(), weak_hash()),
        basic_constraints: faulty(
            faults,
            Just(BasicConstraintsSpec::Ca(None)),
            prop_oneof![
                (0u32..3).prop_map(|n| BasicConstraintsSpec::Ca(Some(n))),
                Just(BasicConstraintsSpec::Absent),
                Just(BasicConstraintsSpec::NotCa),
            ],
        ),
        key_usage: faulty(
            faults,
            Just(None),
            prop_oneof![
                Just(Some(KeyUsage::DIGITAL_SIGNATURE)),
                Just(Some(KeyUsage::KEY_CERT_SIGN | KeyUsage::DIGITAL_SIGNATURE)),
            ],
        ),
        eku: faulty(faults, Just(None), eku()),
        san: Just(Vec::new()).boxed(),
        name_constraints: faulty(
            faults,
            Just(NameConstraintsSpec::default()),
            name_constraints(),
        ),
        faults,
    }
    .spec()
}

/// A leaf certificate spec: subject CN `Gen Leaf` or a DNS name; a SAN of up to
/// `config.max_san` entries that usually starts with an ordinary dNSName; EKU and KU drawn;
/// a validity within the SSL lifetime limit; with `config.faults`, now and then an odd window,
/// SHA-1 or MD5, basicConstraints (cA false, or a cA leaf), v1, a corrupt signature.
pub fn leaf_cert_spec(config: ChainConfig) -> BoxedStrategy<CertSpec> {
    let faults = config.faults;
    let cn = prop_oneof![
        2 => Just("Gen Leaf".to_owned()),
        1 => dns_name(),
    ];
    let first = prop_oneof![
        5 => ordinary_dns_name().prop_map(|d| vec![SanEntry::Dns(d)]),
        1 => Just(Vec::new()),
    ];
    let san = (first, san_list(config.max_san)).prop_map(|(mut first, rest)| {
        first.extend(rest);
        first
    });
    let hash = if faults {
        prop_oneof![8 => strong_hash(), 1 => weak_hash()].boxed()
    } else {
        Just(HashAlgorithm::Sha256).boxed()
    };
    let bc = if faults {
        prop_oneof![
            12 => Just(BasicConstraintsSpec::Absent),
            3 => Just(BasicConstraintsSpec::NotCa),
            1 => Just(BasicConstraintsSpec::Ca(None)),
        ]
        .boxed()
    } else {
        Just(BasicConstraintsSpec::Absent).boxed()
    };
    Fields {
        subject: cn.prop_map(|cn| format!("CN={cn},{ORG}")).boxed(),
        key: key_spec(seeds(10), 5).boxed(),
        validity: leaf_validity(faults),
        hash,
        basic_constraints: bc,
        key_usage: key_usage().boxed(),
        eku: eku().boxed(),
        san: san.boxed(),
        name_constraints: Just(NameConstraintsSpec::default()).boxed(),
        faults,
    }
    .spec()
}

/// A [`ChainSpec`] under `config`: a root, 0 to `max_intermediates` intermediates and a leaf,
/// with (per the config) faults, a cross-sign or loop, impostors, a missing intermediate, an
/// unanchored root and a shuffled intermediate order.
pub fn chain_spec(config: ChainConfig) -> impl Strategy<Value = ChainSpec> {
    let root = ca_cert_spec(format!("CN=Gen Root,{ORG}"), 0, config.faults);
    let intermediates = (0..=config.max_intermediates).prop_flat_map(move |n| {
        (0..n)
            .map(|i| {
                ca_cert_spec(
                    format!("CN=Gen Intermediate {i},{ORG}"),
                    1 + i as u64,
                    config.faults,
                )
            })
            .collect::<Vec<_>>()
    });
    let other_root = move || ca_cert_spec(format!("CN=Gen Other Root,{ORG}"), 100, false);
    let cross = if config.cross_signs {
        prop_oneof![
            8 => Just(None),
            1 => (other_root(), any::<bool>())
                .prop_map(|(other, anchor_other)| Some(CrossSign::Root { other, anchor_other })),
            1 => (other_root(), any::<bool>())
                .prop_map(|(other, anchor_other)| Some(CrossSign::Intermediate { other, anchor_other })),
            1 => Just(Some(CrossSign::Loop)),
        ]
        .boxed()
    } else {
        Just(None).boxed()
    };
    let impostors = vec(
        (1_000_000u64..2_000_000).prop_map(KeySpec::P256),
        0..=config.max_impostors,
    );
    let faults = config.faults;
    let anchor_root = faulty(faults, Just(true), Just(false));
    let root_in_intermediates = prop_oneof![6 => Just(false), 1 => Just(true)];
    let omit = faulty(faults, Just(None), (0usize..4).prop_map(Some));
    (
        root,
        intermediates,
        leaf_cert_spec(config),
        cross,
        impostors,
        anchor_root,
        root_in_intermediates,
        omit,
        any::<u64>(),
    )
        .prop_map(
            |(root, intermediates, leaf, cross, impostors, anchor_root, root_in, omit, shuffle)| {
                let omit = omit.filter(|&i| i < intermediates.len());
                ChainSpec {
                    root,
                    intermediates,
                    leaf,
                    cross,
                    impostors,
                    anchor_root,
                    root_in_intermediates: root_in,
                    omit,
                    shuffle,
                    verify_time: VERIFY_TIME,
                }
            },
        )
}

/// [`chain_spec`] built into a [`GeneratedChain`].
pub fn generated_chain(config: ChainConfig) -> impl Strategy<Value = GeneratedChain> {
    chain_spec(config).prop_map(|spec| spec.build())
}
