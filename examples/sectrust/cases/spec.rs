//! The case file's cases as typed values (`case-format.md` "Input"), decoded from JSON with
//! every field validated. Nothing here touches certificates: references are kept as text and
//! resolved later by [`super::load`], so this layer is testable on its own.

use const_oid::ObjectIdentifier;
use sectrust::{BasicX509, Platform, TrustSettingResult};
use serde_json::Value;

use super::json::{InputError, Object, Path, as_str, lookup};
use crate::rfc3339;

/// One case, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSpec {
    /// Where the case sits (`cases[3]`), for errors found after decoding.
    pub path: Path,
    /// Echoed back.
    pub id: String,
    /// Default `latest`.
    pub platform: Platform,
    /// Unix seconds; `None` = now.
    pub verify_time: Option<i64>,
    /// The leaf (the first certificate of the reference).
    pub leaf: Reference,
    /// Every certificate of every reference.
    pub intermediates: Vec<Reference>,
    /// App anchors.
    pub anchors: Vec<Reference>,
    /// `None` = the default (on when anchors is non-empty).
    pub anchors_only: Option<bool>,
    /// The system store of this case.
    pub system_anchors: Vec<Reference>,
    /// User/admin trust settings.
    pub user_trust: Vec<UserTrustSpec>,
    /// At least one.
    pub policies: Vec<PolicySpec>,
    /// Stapled OCSP responses (DER).
    pub ocsp_responses: Vec<Reference>,
    /// CRLs (DER or PEM).
    pub crls: Vec<Reference>,
    /// Whether a fetcher may be used.
    pub network: bool,
    /// Hypothesis overrides.
    pub quirks: Quirks,
}

/// A certificate, OCSP response or CRL as the case file gives it, with its place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Where it sits, e.g. `cases[3].intermediates[1]`.
    pub path: Path,
    /// What the string says.
    pub source: Source,
}

/// The three spellings of a reference (`case-format.md`: "A certificate C is one of …").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `file:PATH`, PATH relative to the case file's folder (stdin: the current directory).
    File(String),
    /// PEM text (contains `-----BEGIN`).
    Pem(String),
    /// Anything else: base64 of the DER.
    Base64(String),
}

impl Source {
    /// Classifies a reference string: a `file:` prefix wins, then a PEM armour line anywhere,
    /// then base64.
    pub fn classify(text: &str) -> Self {
        if let Some(path) = text.strip_prefix("file:") {
            Source::File(path.to_owned())
        } else if text.contains("-----BEGIN") {
            Source::Pem(text.to_owned())
        } else {
            Source::Base64(text.to_owned())
        }
    }
}

/// A policy kind, as `policies[].kind` and `user_trust[].policy` name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// `SecPolicyCreateBasicX509`.
    Basic,
    /// `SecPolicyCreateSSL`.
    Ssl,
    /// `SecPolicyCreateSMIME`.
    Smime,
    /// `SecPolicyCreateRevocation`.
    Revocation,
    /// `SecPolicyCreateCodeSigning`.
    CodeSigning,
}

/// Case-file names of [`PolicyKind`].
pub const POLICY_KINDS: &[(&str, PolicyKind)] = &[
    ("basic", PolicyKind::Basic),
    ("ssl", PolicyKind::Ssl),
    ("smime", PolicyKind::Smime),
    ("revocation", PolicyKind::Revocation),
    ("code_signing", PolicyKind::CodeSigning),
];

impl PolicyKind {
    /// The case-file name.
    #[cfg(test)]
    pub fn name(self) -> &'static str {
        POLICY_KINDS
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("?", |(n, _)| n)
    }

    /// Apple's policy OID (`apple-trust.md §6–§10`).
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            PolicyKind::Basic => BasicX509::OID,
            PolicyKind::Ssl => sectrust::Ssl::OID,
            PolicyKind::Smime => sectrust::Smime::OID,
            PolicyKind::Revocation => sectrust::Revocation::OID,
            PolicyKind::CodeSigning => sectrust::CodeSigning::OID,
        }
    }

    /// Apple's policy name as trust-setting constraints carry it (`kSecPolicyName…`). `ssl`
    /// names the server policy, `sslServer`.
    pub fn apple_name(self) -> &'static str {
        match self {
            PolicyKind::Basic => "basicX509",
            PolicyKind::Ssl => "sslServer",
            PolicyKind::Smime => "SMIME",
            PolicyKind::Revocation => "revocation",
            PolicyKind::CodeSigning => "CodeSigning",
        }
    }
}

/// One entry of `policies`, with the fields of its kind (`case-format.md` "Policies").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicySpec {
    /// `basic`: no fields.
    Basic,
    /// `ssl`.
    Ssl(SslSpec),
    /// `smime`.
    Smime(SmimeSpec),
    /// `revocation`.
    Revocation(RevocationSpec),
    /// `code_signing`: no fields.
    CodeSigning,
}

/// `SecPolicyCreateSSL(server, hostname)` / `SecPolicyCreateSSLWithKeyUsage`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SslSpec {
    /// Default true.
    pub server: bool,
    /// `None` skips the hostname check.
    pub hostname: Option<String>,
    /// Key usages the leaf must all have when it has a KU extension; empty = no check.
    pub key_usage: Vec<KeyUsageBit>,
}

/// A KeyUsage bit (RFC 5280 §4.2.1.3), by its case-file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUsageBit {
    /// digitalSignature (0).
    DigitalSignature,
    /// nonRepudiation / contentCommitment (1).
    NonRepudiation,
    /// keyEncipherment (2).
    KeyEncipherment,
    /// dataEncipherment (3).
    DataEncipherment,
    /// keyAgreement (4).
    KeyAgreement,
    /// keyCertSign (5).
    KeyCertSign,
    /// cRLSign (6).
    CrlSign,
    /// encipherOnly (7).
    EncipherOnly,
    /// decipherOnly (8).
    DecipherOnly,
}

/// Case-file names of [`KeyUsageBit`].
pub const KEY_USAGE_BITS: &[(&str, KeyUsageBit)] = &[
    ("digital_signature", KeyUsageBit::DigitalSignature),
    ("non_repudiation", KeyUsageBit::NonRepudiation),
    ("key_encipherment", KeyUsageBit::KeyEncipherment),
    ("data_encipherment", KeyUsageBit::DataEncipherment),
    ("key_agreement", KeyUsageBit::KeyAgreement),
    ("key_cert_sign", KeyUsageBit::KeyCertSign),
    ("crl_sign", KeyUsageBit::CrlSign),
    ("encipher_only", KeyUsageBit::EncipherOnly),
    ("decipher_only", KeyUsageBit::DecipherOnly),
];

/// `SecPolicyCreateSMIME(usage, email)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmimeSpec {
    /// `None` skips the Email check.
    pub email: Option<String>,
    /// Other addresses of the same mail account.
    pub aliases: Vec<String>,
    /// Default `[sign]`; empty = usage 0 (no KU check).
    pub usage: Vec<SmimeUsage>,
}

impl SmimeSpec {
    /// Apple's usage flags (`apple-trust.md §7`): the OR of every listed flag.
    pub fn usage_flags(&self) -> u32 {
        self.usage.iter().fold(0, |acc, u| acc | u.flag())
    }
}

/// An S/MIME usage flag, by its case-file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmimeUsage {
    /// 1<<0.
    Sign,
    /// 1<<1.
    KeyEncrypt,
    /// 1<<2.
    DataEncrypt,
    /// 1<<3.
    KeyExchangeDecrypt,
    /// 1<<4.
    KeyExchangeEncrypt,
    /// 1<<5.
    KeyExchangeBoth,
    /// 1<<1 | 1<<2 | 1<<3 | 1<<4.
    AnyEncrypt,
    /// 1<<6 (honoured from iOS 11).
    IgnoreExpiration,
}

/// Case-file names of [`SmimeUsage`].
pub const SMIME_USAGES: &[(&str, SmimeUsage)] = &[
    ("sign", SmimeUsage::Sign),
    ("key_encrypt", SmimeUsage::KeyEncrypt),
    ("data_encrypt", SmimeUsage::DataEncrypt),
    ("key_exchange_decrypt", SmimeUsage::KeyExchangeDecrypt),
    ("key_exchange_encrypt", SmimeUsage::KeyExchangeEncrypt),
    ("key_exchange_both", SmimeUsage::KeyExchangeBoth),
    ("any_encrypt", SmimeUsage::AnyEncrypt),
    ("ignore_expiration", SmimeUsage::IgnoreExpiration),
];

impl SmimeUsage {
    /// Apple's flag value (`apple-trust.md §7`).
    pub fn flag(self) -> u32 {
        match self {
            SmimeUsage::Sign => 1 << 0,
            SmimeUsage::KeyEncrypt => 1 << 1,
            SmimeUsage::DataEncrypt => 1 << 2,
            SmimeUsage::KeyExchangeDecrypt => 1 << 3,
            SmimeUsage::KeyExchangeEncrypt => 1 << 4,
            SmimeUsage::KeyExchangeBoth => 1 << 5,
            SmimeUsage::AnyEncrypt => (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4),
            SmimeUsage::IgnoreExpiration => 1 << 6,
        }
    }
}

/// `SecPolicyCreateRevocation(flags)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevocationSpec {
    /// Required.
    pub method: RevocationMethod,
    /// Default false.
    pub require_positive_response: bool,
    /// Default false.
    pub network_disabled: bool,
}

impl RevocationSpec {
    /// Apple's flags (`apple-trust.md §9`): OCSP 1, CRL 2, RequirePositiveResponse 8,
    /// NetworkAccessDisabled 16. Never 0, since `method` is required.
    pub fn flags(&self) -> u32 {
        let method = match self.method {
            RevocationMethod::Ocsp => 1,
            RevocationMethod::Crl => 2,
            RevocationMethod::Any => 1 | 2,
        };
        method
            | if self.require_positive_response { 8 } else { 0 }
            | if self.network_disabled { 16 } else { 0 }
    }
}

/// `revocation.method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevocationMethod {
    /// `kSecRevocationOCSPMethod`.
    Ocsp,
    /// `kSecRevocationCRLMethod`.
    Crl,
    /// Both.
    Any,
}

/// Case-file names of [`RevocationMethod`].
pub const REVOCATION_METHODS: &[(&str, RevocationMethod)] = &[
    ("ocsp", RevocationMethod::Ocsp),
    ("crl", RevocationMethod::Crl),
    ("any", RevocationMethod::Any),
];

/// One entry of `user_trust` (`apple-trust.md §5`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserTrustSpec {
    /// The certificate (the first of the reference).
    pub cert: Reference,
    /// `kSecTrustSettingsResult`.
    pub result: Option<TrustSettingResult>,
    /// `kSecTrustSettingsPolicy` (OID and name).
    pub policy: Option<PolicyKind>,
    /// `kSecTrustSettingsPolicyString`.
    pub policy_string: Option<String>,
    /// `kSecTrustSettingsAllowedError`; `None` when the key is absent.
    pub allowed_errors: Option<Vec<AllowedError>>,
    /// Installed by a configuration profile.
    pub profile_installed: bool,
    /// The profile root's full-trust switch.
    pub full_trust_enabled: bool,
}

/// Case-file names of [`TrustSettingResult`].
pub const TRUST_RESULTS: &[(&str, TrustSettingResult)] = &[
    ("trust_root", TrustSettingResult::TrustRoot),
    ("trust_as_root", TrustSettingResult::TrustAsRoot),
    ("deny", TrustSettingResult::Deny),
    ("unspecified", TrustSettingResult::Unspecified),
];

/// An allowed error, by its case-file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllowedError {
    /// Expiry (also excuses "not yet valid").
    Expired,
    /// Hostname mismatch.
    Hostname,
    /// Email mismatch.
    Email,
}

/// Case-file names of [`AllowedError`].
pub const ALLOWED_ERRORS: &[(&str, AllowedError)] = &[
    ("expired", AllowedError::Expired),
    ("hostname", AllowedError::Hostname),
    ("email", AllowedError::Email),
];

impl AllowedError {
    /// The CSSM code a trust setting carries (`apple-trust.md §5`; the same values as
    /// `sectrust::anchors::allowed_error`, which the tests check).
    pub fn code(self) -> i64 {
        match self {
            AllowedError::Expired => -2_147_409_654,
            AllowedError::Hostname => -2_147_408_896,
            AllowedError::Email => -2_147_408_872,
        }
    }
}

/// Per-case hypothesis overrides (`quirks`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Quirks {
    /// `ios5_smime`; `None` = the library's default hypothesis.
    pub ios5_smime: Option<Ios5SmimeQuirk>,
}

/// The pre-iOS-6 S/MIME hypotheses (platforms.md "The pre-iOS-6 S/MIME quirk").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ios5SmimeQuirk {
    /// `PrimaryAddressOnly` (the default).
    PrimaryAddressOnly,
    /// `CaseSensitiveAddress`.
    CaseSensitiveAddress,
    /// `FirstSanAddressOnly`.
    FirstSanAddressOnly,
}

/// Case-file names of [`Ios5SmimeQuirk`].
pub const IOS5_SMIME_QUIRKS: &[(&str, Ios5SmimeQuirk)] = &[
    ("primary_address_only", Ios5SmimeQuirk::PrimaryAddressOnly),
    (
        "case_sensitive_address",
        Ios5SmimeQuirk::CaseSensitiveAddress,
    ),
    (
        "first_san_address_only",
        Ios5SmimeQuirk::FirstSanAddressOnly,
    ),
];

/// The `id` of a case when it is a string: echoed even when the rest of the case is unusable.
pub fn case_id(case: &Value) -> Option<String> {
    case.get("id").and_then(Value::as_str).map(str::to_owned)
}

impl CaseSpec {
    /// Decodes and validates the case at `path`; the first problem found, in field order,
    /// is the error.
    pub fn decode(case: &Value, path: &Path) -> Result<Self, InputError> {
        let o = Object::new(case, path)?;
        Ok(CaseSpec {
            path: path.clone(),
            id: o.required_string("id")?.to_owned(),
            platform: platform(&o)?,
            verify_time: verify_time(&o)?,
            leaf: reference(&o.path_of("leaf"), o.required("leaf")?)?,
            intermediates: o.list("intermediates", reference)?,
            anchors: o.list("anchors", reference)?,
            anchors_only: o.bool("anchors_only")?,
            system_anchors: o.list("system_anchors", reference)?,
            user_trust: o.list("user_trust", user_trust)?,
            policies: policies(&o)?,
            ocsp_responses: o.list("ocsp_responses", reference)?,
            crls: o.list("crls", reference)?,
            network: o.bool("network")?.unwrap_or(false),
            quirks: quirks(&o)?,
        })
    }

    /// The path of `policies[index]`.
    pub fn policy_path(&self, index: usize) -> Path {
        self.path.key("policies").index(index)
    }
}

/// `platform`, default `latest`.
fn platform(o: &Object<'_>) -> Result<Platform, InputError> {
    match o.string("platform")? {
        None => Ok(Platform::latest()),
        Some(name) => name
            .parse()
            .map_err(|e: sectrust::platform::UnknownPlatform| {
                o.path_of("platform").error(e.to_string())
            }),
    }
}

/// `verify_time` as Unix seconds.
fn verify_time(o: &Object<'_>) -> Result<Option<i64>, InputError> {
    let Some(text) = o.string("verify_time")? else {
        return Ok(None);
    };
    rfc3339::parse(text).map(Some).map_err(|why| {
        o.path_of("verify_time")
            .error(format!("not an RFC 3339 time ({text:?}): {why}"))
    })
}

/// A reference string.
fn reference(path: &Path, value: &Value) -> Result<Reference, InputError> {
    let text = as_str(value, path)?;
    if text.trim().is_empty() {
        return Err(path.error("empty reference (expected PEM, base64 DER or file:PATH)"));
    }
    Ok(Reference {
        path: path.clone(),
        source: Source::classify(text),
    })
}

/// `policies`: required, at least one.
fn policies(o: &Object<'_>) -> Result<Vec<PolicySpec>, InputError> {
    o.required("policies")?;
    let list = o.list("policies", policy)?;
    if list.is_empty() {
        return Err(o.path_of("policies").error(
            "must hold at least one policy (an explicitly empty policy list is errSecParam)",
        ));
    }
    Ok(list)
}

/// One policy, with the fields of its kind. Fields of other kinds are ignored.
fn policy(path: &Path, value: &Value) -> Result<PolicySpec, InputError> {
    let o = Object::new(value, path)?;
    let kind = lookup(
        POLICY_KINDS,
        o.required_string("kind")?,
        "policy kind",
        &o.path_of("kind"),
    )?;
    Ok(match kind {
        PolicyKind::Basic => PolicySpec::Basic,
        PolicyKind::CodeSigning => PolicySpec::CodeSigning,
        PolicyKind::Ssl => PolicySpec::Ssl(SslSpec {
            server: o.bool("server")?.unwrap_or(true),
            hostname: o.string("hostname")?.map(str::to_owned),
            key_usage: o.list("key_usage", |p, v| {
                lookup(KEY_USAGE_BITS, as_str(v, p)?, "key usage", p)
            })?,
        }),
        PolicyKind::Smime => PolicySpec::Smime(SmimeSpec {
            email: o.string("email")?.map(str::to_owned),
            aliases: o.list("aliases", |p, v| as_str(v, p).map(str::to_owned))?,
            usage: if o.has("usage") {
                o.list("usage", |p, v| {
                    lookup(SMIME_USAGES, as_str(v, p)?, "S/MIME usage", p)
                })?
            } else {
                vec![SmimeUsage::Sign]
            },
        }),
        PolicyKind::Revocation => PolicySpec::Revocation(RevocationSpec {
            method: lookup(
                REVOCATION_METHODS,
                o.required_string("method")?,
                "revocation method",
                &o.path_of("method"),
            )?,
            require_positive_response: o.bool("require_positive_response")?.unwrap_or(false),
            network_disabled: o.bool("network_disabled")?.unwrap_or(false),
        }),
    })
}

/// One user/admin trust setting.
fn user_trust(path: &Path, value: &Value) -> Result<UserTrustSpec, InputError> {
    let o = Object::new(value, path)?;
    Ok(UserTrustSpec {
        cert: reference(&o.path_of("cert"), o.required("cert")?)?,
        result: o.name("result", TRUST_RESULTS, "trust setting result")?,
        policy: o.name("policy", POLICY_KINDS, "policy kind")?,
        policy_string: o.string("policy_string")?.map(str::to_owned),
        allowed_errors: o
            .has("allowed_errors")
            .then(|| {
                o.list("allowed_errors", |p, v| {
                    lookup(ALLOWED_ERRORS, as_str(v, p)?, "allowed error", p)
                })
            })
            .transpose()?,
        profile_installed: o.bool("profile_installed")?.unwrap_or(false),
        full_trust_enabled: o.bool("full_trust_enabled")?.unwrap_or(false),
    })
}

/// `quirks`, an optional object.
fn quirks(o: &Object<'_>) -> Result<Quirks, InputError> {
    let Some(value) = o.get("quirks") else {
        return Ok(Quirks::default());
    };
    let path = o.path_of("quirks");
    let q = Object::new(value, &path)?;
    Ok(Quirks {
        ios5_smime: q.name("ios5_smime", IOS5_SMIME_QUIRKS, "ios5_smime hypothesis")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sectrust::Check;
    use sectrust::policy::Policy;
    use serde_json::json;

    fn decode(case: Value) -> Result<CaseSpec, String> {
        CaseSpec::decode(&case, &Path::root("cases").index(0)).map_err(|e| e.to_string())
    }

    fn minimal() -> Value {
        json!({"id": "a", "leaf": "MIIB", "policies": [{"kind": "basic"}]})
    }

    fn with(key: &str, value: Value) -> Value {
        let mut case = minimal();
        case[key] = value;
        case
    }

    fn error_of(case: Value) -> String {
        decode(case).expect_err("should be an input error")
    }

    #[test]
    fn minimal_case_takes_the_defaults() {
        let c = decode(minimal()).unwrap();
        assert_eq!(c.id, "a");
        assert_eq!(c.platform, Platform::latest());
        assert_eq!(c.verify_time, None);
        assert_eq!(c.leaf.source, Source::Base64("MIIB".into()));
        assert_eq!(c.leaf.path.to_string(), "cases[0].leaf");
        assert!(c.intermediates.is_empty() && c.anchors.is_empty());
        assert_eq!(c.anchors_only, None);
        assert!(c.system_anchors.is_empty() && c.user_trust.is_empty());
        assert_eq!(c.policies, vec![PolicySpec::Basic]);
        assert!(c.ocsp_responses.is_empty() && c.crls.is_empty());
        assert!(!c.network);
        assert_eq!(c.quirks, Quirks::default());
    }

    #[test]
    fn full_case_decodes_every_field() {
        let c = decode(json!({
            "id": "full",
            "platform": "ios-13.0",
            "verify_time": "2015-09-04T00:00:00Z",
            "leaf": "file:certs/leaf.cer",
            "intermediates": ["-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"],
            "anchors": ["file:root.pem"],
            "anchors_only": false,
            "system_anchors": ["file:sys.pem"],
            "user_trust": [{"cert": "file:root.pem", "result": "deny"}],
            "policies": [{"kind": "basic"}, {"kind": "code_signing"}],
            "ocsp_responses": ["MAA="],
            "crls": ["file:a.crl"],
            "network": true,
            "quirks": {"ios5_smime": "case_sensitive_address"},
            "future_field": {"ignored": true}
        }))
        .unwrap();
        assert_eq!(c.platform, Platform::ios(13, 0));
        assert_eq!(c.verify_time, Some(1_441_324_800));
        assert_eq!(c.leaf.source, Source::File("certs/leaf.cer".into()));
        assert!(matches!(c.intermediates[0].source, Source::Pem(_)));
        assert_eq!(
            c.intermediates[0].path.to_string(),
            "cases[0].intermediates[0]"
        );
        assert_eq!(c.anchors_only, Some(false));
        assert_eq!(
            c.system_anchors[0].path.to_string(),
            "cases[0].system_anchors[0]"
        );
        assert_eq!(c.user_trust[0].result, Some(TrustSettingResult::Deny));
        assert_eq!(c.policies, vec![PolicySpec::Basic, PolicySpec::CodeSigning]);
        assert_eq!(c.ocsp_responses[0].source, Source::Base64("MAA=".into()));
        assert_eq!(c.crls[0].source, Source::File("a.crl".into()));
        assert!(c.network);
        assert_eq!(
            c.quirks.ios5_smime,
            Some(Ios5SmimeQuirk::CaseSensitiveAddress)
        );
    }

    #[test]
    fn null_means_absent() {
        let c = decode(json!({
            "id": "n", "leaf": "MIIB", "policies": [{"kind": "basic"}],
            "platform": null, "verify_time": null, "intermediates": null,
            "anchors_only": null, "network": null, "quirks": null
        }))
        .unwrap();
        assert_eq!(c.platform, Platform::latest());
        assert_eq!(c.anchors_only, None);
        assert!(!c.network);
    }

    #[test]
    fn errors_name_the_field() {
        let cases = [
            (json!([]), "cases[0]: expected an object, found an array"),
            (
                json!({"leaf": "x", "policies": [{"kind": "basic"}]}),
                "cases[0].id: missing required field",
            ),
            (
                with("id", json!(7)),
                "cases[0].id: expected a string, found a number",
            ),
            (
                with("platform", json!("android-14")),
                "cases[0].platform: unknown platform \"android-14\"",
            ),
            (
                with("verify_time", json!("yesterday")),
                "cases[0].verify_time: not an RFC 3339 time",
            ),
            (
                with("verify_time", json!(1_441_324_800)),
                "cases[0].verify_time: expected a string",
            ),
            (
                with("leaf", json!(null)),
                "cases[0].leaf: missing required field",
            ),
            (with("leaf", json!("  ")), "cases[0].leaf: empty reference"),
            (
                with("leaf", json!(["MIIB"])),
                "cases[0].leaf: expected a string, found an array",
            ),
            (
                with("intermediates", json!(["MIIB", 3])),
                "cases[0].intermediates[1]: expected a string, found a number",
            ),
            (
                with("anchors", json!("MIIB")),
                "cases[0].anchors: expected an array, found a string",
            ),
            (
                with("anchors_only", json!("yes")),
                "cases[0].anchors_only: expected true or false",
            ),
            (
                with("system_anchors", json!([{}])),
                "cases[0].system_anchors[0]: expected a string",
            ),
            (
                with("policies", json!([])),
                "cases[0].policies: must hold at least one policy",
            ),
            (
                with("policies", json!(null)),
                "cases[0].policies: missing required field",
            ),
            (
                with("policies", json!([{}])),
                "cases[0].policies[0].kind: missing required field",
            ),
            (
                with("policies", json!([{"kind": "basic"}, {"kind": "eap"}])),
                "cases[0].policies[1].kind: unknown policy kind \"eap\" (expected one of: basic, \
                 ssl, smime, revocation, code_signing)",
            ),
            (
                with("ocsp_responses", json!([true])),
                "cases[0].ocsp_responses[0]: expected a string",
            ),
            (
                with("crls", json!({})),
                "cases[0].crls: expected an array, found an object",
            ),
            (
                with("network", json!(1)),
                "cases[0].network: expected true or false",
            ),
            (
                with("quirks", json!([])),
                "cases[0].quirks: expected an object",
            ),
            (
                with("quirks", json!({"ios5_smime": "guess"})),
                "cases[0].quirks.ios5_smime: unknown ios5_smime hypothesis \"guess\"",
            ),
        ];
        for (case, want) in cases {
            let got = error_of(case.clone());
            assert!(got.starts_with(want), "{case}\n got: {got}\nwant: {want}");
        }
    }

    #[test]
    fn ssl_fields_and_defaults() {
        let c = decode(with("policies", json!([{"kind": "ssl"}]))).unwrap();
        assert_eq!(
            c.policies[0],
            PolicySpec::Ssl(SslSpec {
                server: true,
                hostname: None,
                key_usage: vec![]
            })
        );
        let c = decode(with(
            "policies",
            json!([{"kind": "ssl", "server": false, "hostname": "a.example",
                    "key_usage": ["digital_signature", "key_encipherment"]}]),
        ))
        .unwrap();
        assert_eq!(
            c.policies[0],
            PolicySpec::Ssl(SslSpec {
                server: false,
                hostname: Some("a.example".into()),
                key_usage: vec![KeyUsageBit::DigitalSignature, KeyUsageBit::KeyEncipherment]
            })
        );
        for (policy, want) in [
            (
                json!({"kind": "ssl", "server": "yes"}),
                "cases[0].policies[0].server: expected true",
            ),
            (
                json!({"kind": "ssl", "hostname": 5}),
                "cases[0].policies[0].hostname: expected a string",
            ),
            (
                json!({"kind": "ssl", "key_usage": ["sign"]}),
                "cases[0].policies[0].key_usage[0]: unknown key usage \"sign\"",
            ),
        ] {
            let got = error_of(with("policies", json!([policy])));
            assert!(got.starts_with(want), "got: {got}");
        }
    }

    #[test]
    fn smime_fields_defaults_and_flags() {
        let c = decode(with("policies", json!([{"kind": "smime"}]))).unwrap();
        let PolicySpec::Smime(s) = &c.policies[0] else {
            panic!("{:?}", c.policies)
        };
        assert_eq!((s.email.as_deref(), s.aliases.len()), (None, 0));
        assert_eq!(
            (s.usage.clone(), s.usage_flags()),
            (vec![SmimeUsage::Sign], 1)
        );

        let c = decode(with(
            "policies",
            json!([{"kind": "smime", "email": "a@me.com", "aliases": ["a@mac.com"], "usage": []}]),
        ))
        .unwrap();
        let PolicySpec::Smime(s) = &c.policies[0] else {
            panic!("{:?}", c.policies)
        };
        assert_eq!(s.email.as_deref(), Some("a@me.com"));
        assert_eq!(s.aliases, vec!["a@mac.com".to_owned()]);
        assert_eq!(s.usage_flags(), 0, "an empty list is usage 0");

        let every: Vec<&str> = SMIME_USAGES.iter().map(|(n, _)| *n).collect();
        let c = decode(with("policies", json!([{"kind": "smime", "usage": every}]))).unwrap();
        let PolicySpec::Smime(s) = &c.policies[0] else {
            panic!("{:?}", c.policies)
        };
        assert_eq!(s.usage_flags(), 0x7f);
        assert_eq!(SmimeUsage::AnyEncrypt.flag(), 0x1e);

        for (policy, want) in [
            (
                json!({"kind": "smime", "aliases": "b@x"}),
                "cases[0].policies[0].aliases: expected an array",
            ),
            (
                json!({"kind": "smime", "aliases": [1]}),
                "cases[0].policies[0].aliases[0]: expected a string",
            ),
            (
                json!({"kind": "smime", "usage": ["encrypt"]}),
                "cases[0].policies[0].usage[0]: unknown S/MIME usage \"encrypt\"",
            ),
        ] {
            let got = error_of(with("policies", json!([policy])));
            assert!(got.starts_with(want), "got: {got}");
        }
    }

    #[test]
    fn revocation_fields_and_flags() {
        let c = decode(with(
            "policies",
            json!([{"kind": "revocation", "method": "any", "require_positive_response": true,
                    "network_disabled": true}]),
        ))
        .unwrap();
        let PolicySpec::Revocation(r) = c.policies[0] else {
            panic!("{:?}", c.policies)
        };
        assert_eq!(r.flags(), 1 | 2 | 8 | 16);
        let c = decode(with(
            "policies",
            json!([{"kind": "revocation", "method": "crl"}]),
        ))
        .unwrap();
        let PolicySpec::Revocation(r) = c.policies[0] else {
            panic!("{:?}", c.policies)
        };
        assert_eq!(r.flags(), 2);
        for (policy, want) in [
            (
                json!({"kind": "revocation"}),
                "cases[0].policies[0].method: missing required field",
            ),
            (
                json!({"kind": "revocation", "method": "both"}),
                "cases[0].policies[0].method: unknown revocation method \"both\"",
            ),
            (
                json!({"kind": "revocation", "method": "ocsp", "network_disabled": "no"}),
                "cases[0].policies[0].network_disabled: expected true or false",
            ),
        ] {
            let got = error_of(with("policies", json!([policy])));
            assert!(got.starts_with(want), "got: {got}");
        }
    }

    #[test]
    fn user_trust_fields() {
        let c = decode(with(
            "user_trust",
            json!([
                {"cert": "file:a.pem"},
                {"cert": "file:b.pem", "result": "trust_as_root", "policy": "ssl",
                 "policy_string": "a.example", "allowed_errors": ["expired", "hostname", "email"],
                 "profile_installed": true, "full_trust_enabled": true},
                {"cert": "file:c.pem", "allowed_errors": []}
            ]),
        ))
        .unwrap();
        let [a, b, empty] = &c.user_trust[..] else {
            panic!("{:?}", c.user_trust)
        };
        assert_eq!(a.cert.source, Source::File("a.pem".into()));
        assert_eq!(
            (a.result, a.policy, a.allowed_errors.clone()),
            (None, None, None)
        );
        assert!(!a.profile_installed && !a.full_trust_enabled);
        assert_eq!(b.result, Some(TrustSettingResult::TrustAsRoot));
        assert_eq!(b.policy, Some(PolicyKind::Ssl));
        assert_eq!(b.policy_string.as_deref(), Some("a.example"));
        assert_eq!(
            b.allowed_errors,
            Some(vec![
                AllowedError::Expired,
                AllowedError::Hostname,
                AllowedError::Email
            ])
        );
        assert!(b.profile_installed && b.full_trust_enabled);
        assert_eq!(empty.allowed_errors, Some(vec![]));

        for (entry, want) in [
            (
                json!({}),
                "cases[0].user_trust[0].cert: missing required field",
            ),
            (
                json!("file:a.pem"),
                "cases[0].user_trust[0]: expected an object",
            ),
            (
                json!({"cert": "x", "result": "trust"}),
                "cases[0].user_trust[0].result: unknown trust setting result \"trust\"",
            ),
            (
                json!({"cert": "x", "policy": "eap"}),
                "cases[0].user_trust[0].policy: unknown policy kind \"eap\"",
            ),
            (
                json!({"cert": "x", "allowed_errors": [0]}),
                "cases[0].user_trust[0].allowed_errors[0]: expected a string",
            ),
            (
                json!({"cert": "x", "allowed_errors": ["revoked"]}),
                "cases[0].user_trust[0].allowed_errors[0]: unknown allowed error \"revoked\"",
            ),
            (
                json!({"cert": "x", "profile_installed": 1}),
                "cases[0].user_trust[0].profile_installed: expected true or false",
            ),
        ] {
            let got = error_of(with("user_trust", json!([entry])));
            assert!(got.starts_with(want), "got: {got}");
        }
    }

    #[test]
    fn references_are_classified() {
        assert_eq!(
            Source::classify("file:x/y.cer"),
            Source::File("x/y.cer".into())
        );
        assert_eq!(
            Source::classify("MIIBxx=="),
            Source::Base64("MIIBxx==".into())
        );
        assert!(matches!(
            Source::classify("junk\n-----BEGIN CERTIFICATE-----\n"),
            Source::Pem(_)
        ));
    }

    #[test]
    fn the_id_survives_a_bad_case() {
        assert_eq!(case_id(&json!({"id": "x", "leaf": 3})), Some("x".into()));
        assert_eq!(case_id(&json!({"id": 3})), None);
        assert_eq!(case_id(&json!("id")), None);
    }

    #[test]
    fn policy_tables_match_apple_and_the_library() {
        assert_eq!(PolicyKind::Basic.oid(), BasicX509::OID);
        assert_eq!(PolicyKind::Basic.apple_name(), BasicX509.name());
        let oids: Vec<String> = POLICY_KINDS
            .iter()
            .map(|(_, k)| k.oid().to_string())
            .collect();
        assert_eq!(
            oids,
            [
                "1.2.840.113635.100.1.2",
                "1.2.840.113635.100.1.3",
                "1.2.840.113635.100.1.8",
                "1.2.840.113635.100.1.21",
                "1.2.840.113635.100.1.16"
            ]
        );
        for (name, kind) in POLICY_KINDS {
            assert_eq!(kind.name(), *name);
        }
    }

    #[test]
    fn allowed_error_codes_match_the_library() {
        use sectrust::anchors::allowed_error;
        assert_eq!(
            allowed_error(Check::TemporalValidity),
            Some(AllowedError::Expired.code())
        );
        assert_eq!(
            allowed_error(Check::SslHostname),
            Some(AllowedError::Hostname.code())
        );
        assert_eq!(
            allowed_error(Check::Email),
            Some(AllowedError::Email.code())
        );
        assert_eq!(AllowedError::Expired.code(), -2_147_409_654);
        assert_eq!(AllowedError::Hostname.code(), -2_147_408_896);
        assert_eq!(AllowedError::Email.code(), -2_147_408_872);
    }
}
