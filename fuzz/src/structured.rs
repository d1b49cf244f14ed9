//! `evaluate_structured`: well-formed chains with fuzzed fields, so the fuzzer spends its time
//! in path building and the checks instead of the DER parser.
//!
//! The input is decoded with `arbitrary` into a [`ChainSpec`]: up to [`MAX_CERTS`]
//! certificates, each naming its issuer by index (any index: self-issued certificates,
//! cross-signs, loops and certificates issued by their own child all arise), with fuzzed
//! names, SAN, EKU, key usage, validity, basic and name constraints, policies, hash, key and
//! raw extensions. They are built with `sectrust::testing::CertBuilder` from a few keys made
//! once per process ([`key`]), then evaluated by [`super::chain::evaluate_case`].

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, OnceLock, PoisonError};

use arbitrary::{Arbitrary, Unstructured};
use sectrust::crypto::HashAlgorithm;
use sectrust::policy::{Ios5SmimeHypothesis, SmimeUsage};
use sectrust::testing::{CertBuilder, KeyPair, oids};
use sectrust::{Certificate, ObjectIdentifier};

use super::chain::{Case, Evaluated, PLATFORMS, evaluate_case, host_of};

/// Most certificates in one chain: enough for leaf, two intermediates, a cross-sign and a
/// root, few enough that building stays cheap.
pub const MAX_CERTS: usize = 6;
/// Most entries in any list of a certificate (SAN, subtrees, EKU, policies).
pub const MAX_ITEMS: usize = 4;
/// 2020-01-01T00:00:00Z, the origin of [`Validity`] offsets.
pub const EPOCH: i64 = 1_577_836_800;
/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// How many keys certificates are made with ([`key`]).
pub const KEY_COUNT: usize = 7;

/// Key `index` (modulo [`KEY_COUNT`]): three P-256, one P-384, one Ed25519, RSA-2048 and
/// RSA-1024 (WeakKeySize). Each is made on first use and kept for the process (RSA generation
/// is slow), so inputs that never pick RSA never pay for it.
pub fn key(index: u8) -> KeyPair {
    static KEYS: [OnceLock<KeyPair>; KEY_COUNT] = [const { OnceLock::new() }; KEY_COUNT];
    let i = usize::from(index) % KEY_COUNT;
    KEYS[i]
        .get_or_init(|| match i {
            0..=2 => KeyPair::p256(i as u64 + 1),
            3 => KeyPair::p384(4),
            4 => KeyPair::ed25519(5),
            5 => KeyPair::rsa(2048, 6),
            _ => KeyPair::rsa(1024, 7),
        })
        .clone()
}

/// Most entries of each build memo; a full memo is emptied.
pub const MEMO_CAPACITY: usize = 4096;

type Memo<T> = Mutex<Option<HashMap<String, T>>>;

/// Stand-in issuers by (subject, key, key identifier).
static STAND_INS: Memo<Vec<u8>> = Mutex::new(None);
/// Built certificates by (spec, issuer stand-in).
static BUILT: Memo<Option<Certificate>> = Mutex::new(None);

/// `make()`, remembered under `key`: building is deterministic, mutated inputs repeat most
/// certificates, and signing is, after verification, the biggest cost of this target.
fn memo<T: Clone>(memo: &Memo<T>, key: String, make: impl FnOnce() -> T) -> T {
    let cached = {
        let guard = memo.lock().unwrap_or_else(PoisonError::into_inner);
        guard.as_ref().and_then(|m| m.get(&key).cloned())
    };
    if let Some(value) = cached {
        return value;
    }
    let value = make();
    let mut guard = memo.lock().unwrap_or_else(PoisonError::into_inner);
    let map = guard.get_or_insert_with(HashMap::new);
    if map.len() >= MEMO_CAPACITY {
        map.clear();
    }
    map.insert(key, value.clone());
    value
}

/// A whole evaluation: certificates, which are anchors, and the evaluation's settings.
#[derive(Debug, Arbitrary)]
pub struct ChainSpec {
    /// The certificates; the first is the leaf.
    pub certs: Vec<CertSpec>,
    /// Indices (modulo the count) of the app anchors.
    pub anchors: Vec<u8>,
    /// Indices of the intermediates passed, in order (repeats allowed).
    pub intermediates: Vec<u8>,
    /// Index into [`PLATFORMS`].
    pub platform: u8,
    /// The verify time.
    pub time: TimeSpec,
    /// The SSL hostname.
    pub host: NameChoice,
    /// The S/MIME address.
    pub email: NameChoice,
    /// S/MIME usage bits (low 7 bits).
    pub smime_usage: u8,
    /// The iOS 5 S/MIME hypothesis.
    pub hypothesis: u8,
    /// Anchors only.
    pub anchors_only: bool,
}

/// One certificate.
#[derive(Debug, Arbitrary)]
pub struct CertSpec {
    /// Subject name.
    pub subject: NameSpec,
    /// Which [`key`].
    pub key: u8,
    /// The issuer's index (modulo the count); `None`: self-signed.
    pub issuer: Option<u8>,
    /// An issuer name other than the issuer's subject.
    pub issuer_name: Option<NameSpec>,
    /// X.509 version (0 reads as 3).
    pub version: u8,
    /// Serial content bytes (default: derived).
    pub serial: Option<Vec<u8>>,
    /// notBefore / notAfter.
    pub validity: Validity,
    /// basicConstraints: cA, pathLen, critical.
    pub basic_constraints: Option<(bool, Option<u8>, bool)>,
    /// keyUsage mask.
    pub key_usage: Option<u16>,
    /// extendedKeyUsage purposes.
    pub eku: Option<Vec<Eku>>,
    /// SAN entries.
    pub san: Vec<San>,
    /// SAN critical flag.
    pub san_critical: bool,
    /// nameConstraints permitted subtrees.
    pub permitted: Vec<San>,
    /// nameConstraints excluded subtrees.
    pub excluded: Vec<San>,
    /// certificatePolicies (test policy numbers; 0 = anyPolicy).
    pub policies: Vec<u8>,
    /// policyMappings.
    pub mappings: Vec<(u8, u8)>,
    /// policyConstraints requireExplicitPolicy.
    pub require_explicit: Option<u8>,
    /// policyConstraints inhibitPolicyMapping.
    pub inhibit_mapping: Option<u8>,
    /// inhibitAnyPolicy.
    pub inhibit_any: Option<u8>,
    /// Signature hash.
    pub hash: u8,
    /// RSASSA-PSS (RSA keys).
    pub pss: bool,
    /// A signature that does not verify.
    pub corrupt_signature: bool,
    /// subjectKeyIdentifier: derived, absent, or given.
    pub ski: KeyId,
    /// authorityKeyIdentifier: derived, absent, or given.
    pub aki: KeyId,
    /// A raw extension.
    pub extra: Option<RawExtension>,
}

/// A validity window in days from 2020-01-01.
#[derive(Debug, Arbitrary)]
pub struct Validity {
    /// notBefore, days from [`EPOCH`].
    pub start_days: i16,
    /// notAfter − notBefore, in days (negative: inverted).
    pub length_days: i16,
    /// Seconds added to notAfter.
    pub extra_seconds: u16,
}

/// The verify time.
#[derive(Debug, Arbitrary)]
pub enum TimeSpec {
    /// The middle of the leaf's validity.
    LeafMiddle,
    /// Days from [`EPOCH`].
    Days(i16),
    /// Exactly at one of the leaf's bounds (true: notAfter).
    LeafBound(bool),
}

/// A name: a DN for subjects, issuers and directory constraints.
#[derive(Debug, Arbitrary)]
pub struct NameSpec {
    /// Common name.
    pub cn: Option<NameChoice>,
    /// Organisation, from a small set.
    pub o: Option<u8>,
    /// emailAddress attribute.
    pub email: Option<NameChoice>,
    /// A second CN (several CNs are legal).
    pub second_cn: Option<NameChoice>,
}

/// A string: from a small vocabulary that makes collisions likely, or free text over a safe
/// alphabet.
#[derive(Debug, Arbitrary)]
pub enum NameChoice {
    /// An index into [`VOCABULARY`].
    Known(u8),
    /// Free text (bytes mapped onto [`ALPHABET`]).
    Free(Vec<u8>),
    /// Taken from the leaf (its first dNSName or CN; its first e-mail address).
    FromLeaf,
    /// A known word, upper-cased (hostname and e-mail matching are case-insensitive).
    Upper(u8),
}

/// The vocabulary of [`NameChoice::Known`].
pub const VOCABULARY: &[&str] = &[
    "www.example.com",
    "example.com",
    "*.example.com",
    "mail.example.org",
    "user@example.com",
    "jane@me.com",
    "jane@mac.com",
    ".example.com",
    "Test Root CA",
    "Test Intermediate CA",
    "192.168.1.1",
    "xn--bcher-kva.example",
    "*",
    "localhost",
    "a..b",
    "Example",
];

/// The characters of [`NameChoice::Free`]: nothing `CertBuilder`'s DN syntax treats
/// specially (`,` `+` `=` `\` `#`).
pub const ALPHABET: &[u8] = b"abcxyzABC019.-*@_ ";

/// A GeneralName for SAN entries and name-constraint subtrees.
#[derive(Debug, Arbitrary)]
pub enum San {
    /// dNSName.
    Dns(NameChoice),
    /// rfc822Name.
    Email(NameChoice),
    /// iPAddress (4 bytes; 16 with `v6`), with a prefix length for subtrees.
    Ip {
        /// The address bytes (cycled).
        bytes: [u8; 4],
        /// IPv6.
        v6: bool,
        /// Prefix length for subtrees.
        prefix: u8,
    },
    /// uniformResourceIdentifier.
    Uri(NameChoice),
    /// directoryName.
    Dir(NameSpec),
}

/// An EKU purpose.
#[derive(Debug, Arbitrary)]
pub enum Eku {
    /// serverAuth.
    ServerAuth,
    /// clientAuth.
    ClientAuth,
    /// emailProtection.
    Email,
    /// codeSigning.
    CodeSigning,
    /// anyExtendedKeyUsage.
    Any,
    /// OCSPSigning.
    OcspSigning,
    /// Netscape / Microsoft SGC.
    Sgc(bool),
    /// A private OID.
    Other(u8),
}

/// A key identifier choice.
#[derive(Debug, Arbitrary)]
pub enum KeyId {
    /// The builder's default.
    Default,
    /// Left out.
    Absent,
    /// These bytes.
    Given(Vec<u8>),
}

/// A raw extension: an OID the engine knows (or not), critical or not, arbitrary content.
#[derive(Debug, Arbitrary)]
pub struct RawExtension {
    /// Index into [`RAW_EXTENSION_OIDS`].
    pub oid: u8,
    /// The critical flag.
    pub critical: bool,
    /// extnValue content.
    pub value: Vec<u8>,
}

/// OIDs for [`RawExtension`]: the extensions the engine decodes, an SCT list, and unknown ones.
pub const RAW_EXTENSION_OIDS: &[&str] = &[
    "2.5.29.14",
    "2.5.29.15",
    "2.5.29.17",
    "2.5.29.19",
    "2.5.29.30",
    "2.5.29.32",
    "2.5.29.33",
    "2.5.29.35",
    "2.5.29.36",
    "2.5.29.37",
    "2.5.29.54",
    "1.3.6.1.5.5.7.1.1",
    "1.3.6.1.4.1.11129.2.4.2",
    "1.3.6.1.4.1.11129.2.4.3",
    "1.2.3.4",
];

/// `evaluate_structured`: decodes a [`ChainSpec`], builds its certificates and evaluates the
/// first under basic X.509, SSL server and S/MIME ([`evaluate_case`]). `None` when the input
/// decodes to no certificate.
pub fn evaluate_structured(data: &[u8]) -> Option<Vec<Evaluated>> {
    let spec = ChainSpec::arbitrary_take_rest(Unstructured::new(data)).ok()?;
    Some(evaluate_case(&build_case(&spec)?))
}

/// The certificates and settings a spec describes.
pub fn build_case(spec: &ChainSpec) -> Option<Case> {
    let specs = &spec.certs[..spec.certs.len().min(MAX_CERTS)];
    if specs.is_empty() {
        return None;
    }
    let key_of = |c: &CertSpec| key(c.key);
    // Every certificate's issuer may come later in the list (or be itself): issue from a
    // stand-in with the issuer's subject, key and key identifier.
    let stand_ins: Vec<Vec<u8>> = specs
        .iter()
        .map(|c| {
            let key = format!("{:?} {} {:?}", c.subject, c.key, c.ski);
            memo(&STAND_INS, key, || {
                let b = CertBuilder::new(&dn(&c.subject, "")).key(key_of(c));
                key_ids(b, c, false).build_der().0
            })
        })
        .collect();
    // Fields the parser refuses (a raw extension, an odd serial) drop that certificate; a
    // leaf that drops out ends the run.
    let built: Vec<_> = specs
        .iter()
        .map(|c| {
            let issuer = c.issuer.map(|i| usize::from(i) % specs.len());
            let issuer_key = issuer.map(|i| (&specs[i].subject, specs[i].key, &specs[i].ski));
            let key = format!("{c:?} {issuer_key:?}");
            memo(&BUILT, key, || {
                let mut b = CertBuilder::new(&dn(&c.subject, "")).key(key_of(c));
                if let Some(i) = issuer {
                    b = b.issued_by_der(&stand_ins[i], &key_of(&specs[i]));
                }
                fields(b, c).try_build().ok().map(|issued| issued.cert)
            })
        })
        .collect();
    let leaf = built[0].clone()?;
    let certs: Vec<_> = built.into_iter().flatten().collect();
    let pick = |indices: &[u8]| {
        indices
            .iter()
            .take(MAX_CERTS * 2)
            .map(|&i| certs[usize::from(i) % certs.len()].clone())
            .collect::<Vec<_>>()
    };
    let resolve = |choice: &NameChoice, from_leaf: String| match choice {
        NameChoice::FromLeaf => from_leaf,
        other => text(other),
    };
    let leaf_email = leaf
        .email_addresses()
        .first()
        .map_or_else(String::new, |e| (*e).to_owned());
    let verify_time = match spec.time {
        TimeSpec::LeafMiddle => leaf.not_before() / 2 + leaf.not_after() / 2,
        TimeSpec::Days(d) => EPOCH + i64::from(d) * DAY,
        TimeSpec::LeafBound(false) => leaf.not_before(),
        TimeSpec::LeafBound(true) => leaf.not_after(),
    };
    Some(Case {
        platform: PLATFORMS[usize::from(spec.platform) % PLATFORMS.len()]
            .parse()
            .expect("a known platform"),
        verify_time,
        host: resolve(&spec.host, host_of(&leaf)),
        email: resolve(&spec.email, leaf_email),
        intermediates: pick(&spec.intermediates),
        anchors: pick(&spec.anchors),
        leaf,
        anchors_only: spec.anchors_only,
        smime_usage: SmimeUsage::from_bits(u32::from(spec.smime_usage & 0x7F)),
        hypothesis: match spec.hypothesis % 3 {
            0 => Ios5SmimeHypothesis::PrimaryAddressOnly,
            1 => Ios5SmimeHypothesis::CaseSensitiveAddress,
            _ => Ios5SmimeHypothesis::FirstSanAddressOnly,
        },
    })
}

/// Applies every field of `c` but subject, key and issuer.
fn fields(mut b: CertBuilder, c: &CertSpec) -> CertBuilder {
    if let Some(name) = &c.issuer_name {
        b = b.issuer_name(&dn(name, "Nobody"));
    }
    b = b.version(match c.version % 4 {
        0 => 3,
        v => v,
    });
    if let Some(serial) = &c.serial {
        b = b.serial_bytes(serial.iter().copied().take(24).collect());
    }
    let not_before = EPOCH + i64::from(c.validity.start_days) * DAY;
    let not_after =
        not_before + i64::from(c.validity.length_days) * DAY + i64::from(c.validity.extra_seconds);
    b = b.validity_unix(not_before, not_after);
    if let Some((ca, path_len, critical)) = c.basic_constraints {
        b = b.basic_constraints(ca, path_len.map(u32::from), critical);
    }
    if let Some(mask) = c.key_usage {
        b = b.key_usage(mask & 0x1FF);
    }
    if let Some(eku) = &c.eku {
        let purposes: Vec<ObjectIdentifier> = eku.iter().take(MAX_ITEMS).map(eku_oid).collect();
        b = b.eku(&purposes);
    }
    for san in c.san.iter().take(MAX_ITEMS) {
        b = match san {
            San::Dns(n) => b.dns(&text(n)),
            San::Email(n) => b.email(&text(n)),
            San::Ip { bytes, v6, .. } => b.ip(ip(bytes, *v6)),
            San::Uri(n) => b.uri(&format!("https://{}/", text(n))),
            San::Dir(name) => b.san_dir(&dn(name, "Dir")),
        };
    }
    if !c.san.is_empty() {
        b = b.san_critical(c.san_critical);
    }
    for (subtrees, permitted) in [(&c.permitted, true), (&c.excluded, false)] {
        for s in subtrees.iter().take(MAX_ITEMS) {
            b = subtree(b, s, permitted);
        }
    }
    if !c.policies.is_empty() {
        let policies: Vec<_> = c
            .policies
            .iter()
            .take(MAX_ITEMS)
            .map(|&p| policy(p))
            .collect();
        b = b.policies(&policies);
    }
    if !c.mappings.is_empty() {
        let mappings: Vec<_> = c
            .mappings
            .iter()
            .take(MAX_ITEMS)
            .map(|&(a, z)| (policy(a), policy(z)))
            .collect();
        b = b.policy_mappings(&mappings);
    }
    if let Some(n) = c.require_explicit {
        b = b.require_explicit_policy(u32::from(n % 8));
    }
    if let Some(n) = c.inhibit_mapping {
        b = b.inhibit_policy_mapping(u32::from(n % 8));
    }
    if let Some(n) = c.inhibit_any {
        b = b.inhibit_any_policy(u32::from(n % 8));
    }
    b = b.signature_hash(match c.hash % 8 {
        0..=2 => HashAlgorithm::Sha256,
        3 => HashAlgorithm::Sha1,
        4 => HashAlgorithm::Sha384,
        5 => HashAlgorithm::Sha512,
        6 => HashAlgorithm::Md5,
        _ => HashAlgorithm::Sha224,
    });
    if c.pss {
        b = b.pss();
    }
    if c.corrupt_signature {
        b = b.corrupt_signature();
    }
    b = key_ids(b, c, true);
    if let Some(raw) = &c.extra {
        let oid = RAW_EXTENSION_OIDS[usize::from(raw.oid) % RAW_EXTENSION_OIDS.len()];
        b = b.extension(
            ObjectIdentifier::new_unwrap(oid),
            raw.critical,
            raw.value.clone(),
        );
    }
    b
}

/// subjectKeyIdentifier (and, unless `stand_in`, authorityKeyIdentifier) as the spec says.
fn key_ids(mut b: CertBuilder, c: &CertSpec, with_aki: bool) -> CertBuilder {
    b = match &c.ski {
        KeyId::Default => b,
        KeyId::Absent => b.no_ski(),
        KeyId::Given(id) => b.ski(id.clone()),
    };
    if with_aki {
        b = match &c.aki {
            KeyId::Default => b,
            KeyId::Absent => b.no_aki(),
            KeyId::Given(id) => b.aki(id.clone()),
        };
    }
    b
}

/// One name-constraint subtree.
fn subtree(b: CertBuilder, s: &San, permitted: bool) -> CertBuilder {
    match (s, permitted) {
        (San::Dns(n), true) => b.permitted_dns(&text(n)),
        (San::Dns(n), false) => b.excluded_dns(&text(n)),
        (San::Email(n), true) => b.permitted_email(&text(n)),
        (San::Email(n), false) => b.excluded_email(&text(n)),
        (San::Ip { bytes, v6, prefix }, _) => {
            let max = if *v6 { 128 } else { 32 };
            let net = format!("{}/{}", ip(bytes, *v6), prefix % (max + 1));
            if permitted {
                b.permitted_ip(&net)
            } else {
                b.excluded_ip(&net)
            }
        }
        (San::Uri(n), true) => b.permitted_uri(&text(n)),
        (San::Uri(n), false) => b.excluded_uri(&text(n)),
        (San::Dir(name), true) => b.permitted_dir(&dn(name, "Dir")),
        (San::Dir(name), false) => b.excluded_dir(&dn(name, "Dir")),
    }
}

/// The DN string `CertBuilder` reads, e.g. `CN=www.example.com,O=Example`; `fallback` is the
/// CN of a spec with no attribute at all (`""` leaves the name empty).
pub fn dn(name: &NameSpec, fallback: &str) -> String {
    const ORGS: &[&str] = &["Example", "Other", "Évil Corp", "example"];
    let mut parts = Vec::new();
    if let Some(cn) = &name.cn {
        parts.push(format!("CN={}", text(cn)));
    }
    if let Some(cn) = &name.second_cn {
        parts.push(format!("CN={}", text(cn)));
    }
    if let Some(e) = &name.email {
        parts.push(format!("emailAddress={}", ascii(&text(e))));
    }
    if let Some(o) = name.o {
        parts.push(format!("O={}", ORGS[usize::from(o) % ORGS.len()]));
    }
    if parts.is_empty() && !fallback.is_empty() {
        parts.push(format!("CN={fallback}"));
    }
    parts.join(",")
}

/// The text of a choice; never empty, never with DN syntax characters.
pub fn text(choice: &NameChoice) -> String {
    let s = match choice {
        NameChoice::Known(i) => VOCABULARY[usize::from(*i) % VOCABULARY.len()].to_owned(),
        NameChoice::Upper(i) => VOCABULARY[usize::from(*i) % VOCABULARY.len()].to_ascii_uppercase(),
        NameChoice::Free(bytes) => bytes
            .iter()
            .take(40)
            .map(|&b| char::from(ALPHABET[usize::from(b) % ALPHABET.len()]))
            .collect(),
        NameChoice::FromLeaf => "leaf".to_owned(),
    };
    let s = s.trim().to_owned();
    if s.is_empty() { "x".to_owned() } else { s }
}

/// `s` with non-ASCII characters replaced (IA5String attributes).
fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii() { c } else { 'x' })
        .collect()
}

/// An IPv4 address, or an IPv6 address with the bytes cycled.
fn ip(bytes: &[u8; 4], v6: bool) -> IpAddr {
    if v6 {
        let mut b = [0u8; 16];
        for (i, x) in b.iter_mut().enumerate() {
            *x = bytes[i % 4];
        }
        IpAddr::from(b)
    } else {
        IpAddr::from(*bytes)
    }
}

/// The EKU purpose's OID.
fn eku_oid(e: &Eku) -> ObjectIdentifier {
    match e {
        Eku::ServerAuth => oids::server_auth(),
        Eku::ClientAuth => oids::client_auth(),
        Eku::Email => oids::email_protection(),
        Eku::CodeSigning => oids::code_signing(),
        Eku::Any => oids::any_eku(),
        Eku::OcspSigning => oids::ocsp_signing(),
        Eku::Sgc(true) => oids::ms_sgc(),
        Eku::Sgc(false) => oids::ns_sgc(),
        Eku::Other(n) => oids::test_policy(1000 + u32::from(*n)),
    }
}

/// A certificate policy: anyPolicy for 0, else a test policy.
fn policy(n: u8) -> ObjectIdentifier {
    match n % 6 {
        0 => oids::any_policy(),
        n => oids::test_policy(u32::from(n)),
    }
}
