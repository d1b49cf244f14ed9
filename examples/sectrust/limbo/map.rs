//! x509-limbo test cases → one sectrust evaluation each: the mapping shared by `sectrust limbo`
//! and `tests/limbo.rs` (which includes this file with `#[path]`, together with
//! `examples/sectrust/rfc3339.rs`, so both run exactly the same logic).
//!
//! Mapping (every evaluation at platform `latest`):
//! - trusted_certs → app anchors (`SecTrustSetAnchorCertificates`, anchors-only on);
//!   untrusted_intermediates → the other certificates passed with the leaf; no system store.
//! - SERVER → `Ssl::server(name)` for a DNS or IP expected_peer_name (several names → one SSL
//!   policy per name, all of which must hold, `apple-trust.md §2`), `Ssl::server_any_host()`
//!   without one. CLIENT → `Ssl::client(name)`, normally without a name; CLIENT with RFC822
//!   peer names → [`ClientEmail`]: the SSL client policy's options plus Apple's `Email` check
//!   (`apple-trust.md §7`) for each address. Apple's stock S/MIME policy would reject these
//!   clientAuth leaves for their EKU, so the case is expressed as a user policy of Apple check
//!   keys — which is what an Apple policy is (`apple-trust.md §2`, STYLE.md).
//! - validation_time → the verify date; fractions of a second are dropped. `null` (limbo: "now")
//!   → [`DEFAULT_VERIFY_TIME`], a fixed instant, so runs are reproducible.
//! - The public-suffix list a device has (`apple-trust.md §6`: no wildcard directly over a public
//!   suffix) is the machine's, [`SYSTEM_PUBLIC_SUFFIX_LIST`], when present; without it only the
//!   label-count rule keeps wildcards off suffixes.
//! - key_usage → `SecPolicyCreateSSLWithKeyUsage`: every listed bit must be set when the leaf
//!   has a keyUsage extension (`apple-trust.md §6`).
//! - extended_key_usage: serverAuth (SERVER) and clientAuth (CLIENT) are what the SSL policies
//!   check anyway; any other purpose cannot be asked of Apple's SSL policy.
//! - A certificate that does not parse is what `SecCertificateCreateWithData` refuses: an
//!   unparseable leaf cannot be evaluated (FAILURE); an unparseable anchor or intermediate is
//!   left out, and the context says so.
//! - CRLs (`has-crl`, or any `crls`): trustd at `latest` checks no CRLs (`apple-trust.md §4,
//!   §9`), so these cases run in the crate's RFC 5280 revocation mode, beyond Apple
//!   (`TrustEvaluatorBuilder::rfc5280_revocation`), with the case's CRLs
//!   (`RevocationInputs::crl_pem`; one that does not parse is left out and noted). Every other
//!   case runs in Apple's mode, without revocation data.
//!
//! SKIPPED, with the reason in the context, when Apple has no way to express the case:
//! a maximum chain depth (`max-chain-depth`: Apple has no such setting — a `max_chain_depth` without that
//! tag, as in `pathological::`, is ignored and the case runs); RFC822 peer names of a SERVER
//! case, or mixed with DNS/IP names (no Apple policy matches both); an extended key usage other than the
//! validation kind's own; a caller-set list of signature algorithms (Apple's are fixed by its
//! rules, `apple-trust.md §2, §6`).
//!
//! SUCCESS iff the verdict is trusted (Proceed or Unspecified).

use std::sync::Arc;

use serde::Deserialize;

use sectrust::certificate::KeyUsage;
use sectrust::path::Work;
use sectrust::policy::hostname::{PublicSuffixList, SuffixSet};
use sectrust::revocation::RevocationInputs;
use sectrust::{
    Certificate, Check, EvaluationInputs, ObjectIdentifier, Platform, Policy, PolicyOptions, Smime,
    SmimeUsage, Ssl, TrustEvaluator, Verdict,
};

/// The verify date for cases whose `validation_time` is `null` (limbo: "now"):
/// 2025-01-01T00:00:00Z, inside every generated certificate's 1970–2970 validity.
pub const DEFAULT_VERIFY_TIME: i64 = 1_735_689_600;

/// Debian's `publicsuffix` package: the Public Suffix List, ICANN and private sections.
pub const SYSTEM_PUBLIC_SUFFIX_LIST: &str = "/usr/share/publicsuffix/public_suffix_list.dat";

/// The limbo file (schema version 1); fields this harness does not use are ignored.
#[derive(Debug, Deserialize)]
pub struct LimboFile {
    /// The schema version.
    pub version: u32,
    /// The test cases.
    pub testcases: Vec<Testcase>,
}

/// One limbo test case.
#[derive(Debug, Deserialize)]
pub struct Testcase {
    pub id: String,
    #[serde(default)]
    pub features: Vec<String>,
    pub validation_kind: ValidationKind,
    #[serde(default)]
    pub trusted_certs: Vec<String>,
    #[serde(default)]
    pub untrusted_intermediates: Vec<String>,
    pub peer_certificate: String,
    pub validation_time: Option<String>,
    #[serde(default)]
    pub signature_algorithms: Vec<String>,
    #[serde(default)]
    pub key_usage: Vec<String>,
    #[serde(default)]
    pub extended_key_usage: Vec<String>,
    pub expected_result: Expectation,
    pub expected_peer_name: Option<PeerName>,
    #[serde(default)]
    pub expected_peer_names: Vec<PeerName>,
    #[serde(default)]
    pub crls: Vec<String>,
}

/// `validation_kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum ValidationKind {
    #[serde(rename = "SERVER")]
    Server,
    #[serde(rename = "CLIENT")]
    Client,
}

/// `expected_result`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Expectation {
    #[serde(rename = "SUCCESS")]
    Success,
    #[serde(rename = "FAILURE")]
    Failure,
}

/// A peer name: `{kind: DNS|IP|RFC822, value}`.
#[derive(Debug, Clone, Deserialize)]
pub struct PeerName {
    pub kind: String,
    pub value: String,
}

/// `actual_result` of the results file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actual {
    Success,
    Failure,
    Skipped,
}

impl Actual {
    /// The results file's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Actual::Success => "SUCCESS",
            Actual::Failure => "FAILURE",
            Actual::Skipped => "SKIPPED",
        }
    }

    /// Whether this answer is what the case expects (a skip never is).
    pub fn agrees_with(self, expected: Expectation) -> bool {
        matches!(
            (self, expected),
            (Actual::Success, Expectation::Success) | (Actual::Failure, Expectation::Failure)
        )
    }
}

/// What running one case gave.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub actual: Actual,
    /// Why: the failed checks (`SSLHostname@0, MissingIntermediate@1`), or the skip reason.
    pub context: String,
    /// The path search's work counters (none when skipped or not evaluated).
    pub work: Option<Work>,
}

impl Outcome {
    fn skipped(reason: impl Into<String>) -> Self {
        Outcome {
            actual: Actual::Skipped,
            context: reason.into(),
            work: None,
        }
    }
}

/// What every case shares: the public-suffix list.
#[derive(Debug, Clone, Default)]
pub struct Harness {
    public_suffixes: Option<Arc<dyn PublicSuffixList>>,
}

impl Harness {
    /// A harness with the machine's public-suffix list when there is one.
    pub fn new() -> Self {
        let public_suffixes = std::fs::read_to_string(SYSTEM_PUBLIC_SUFFIX_LIST)
            .ok()
            .map(|text| Arc::new(public_suffix_rules(&text)) as Arc<dyn PublicSuffixList>);
        Harness { public_suffixes }
    }

    /// Whether a public-suffix list was found.
    pub fn has_public_suffix_list(&self) -> bool {
        self.public_suffixes.is_some()
    }

    /// Runs one case.
    pub fn run(&self, case: &Testcase) -> Outcome {
        run(case, self.public_suffixes.as_ref())
    }
}

/// The plain rules of a Public Suffix List file (`co.uk`, `s3.amazonaws.com`); its wildcard
/// (`*.ck`) and exception (`!www.ck`) rules are left out.
fn public_suffix_rules(text: &str) -> SuffixSet {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//") && !l.starts_with(['*', '!']))
        .collect()
}

/// Runs one case.
fn run(case: &Testcase, public_suffixes: Option<&Arc<dyn PublicSuffixList>>) -> Outcome {
    let plan = match plan(case, public_suffixes) {
        Ok(plan) => plan,
        Err(reason) => return Outcome::skipped(reason),
    };
    let mut notes = Vec::new();
    let leaf = match Certificate::from_pem(&case.peer_certificate) {
        Ok(leaf) => leaf,
        Err(e) => {
            return Outcome {
                actual: Actual::Failure,
                context: format!("the peer certificate does not parse: {e}"),
                work: None,
            };
        }
    };
    let anchors = parse_all(&case.trusted_certs, "trusted", &mut notes);
    let intermediates = parse_all(&case.untrusted_intermediates, "intermediate", &mut notes);
    let revocation = crl_inputs(&case.crls, &mut notes);
    let evaluator = TrustEvaluator::builder()
        .platform(Platform::latest())
        .anchors(anchors)
        .verify_time_unix(plan.verify_time)
        .rfc5280_revocation(plan.rfc5280_revocation)
        .build();
    let policies: Vec<&dyn Policy> = plan.policies.iter().map(CasePolicy::as_policy).collect();
    let inputs = EvaluationInputs::new().revocation(revocation);
    match evaluator.evaluate_with_inputs(&leaf, &intermediates, &policies, &inputs) {
        Ok(verdict) => outcome_of(&verdict, notes),
        Err(e) => Outcome {
            actual: Actual::Failure,
            context: format!("evaluation error: {e}"),
            work: None,
        },
    }
}

/// The evaluation a case asks for.
struct Plan {
    policies: Vec<CasePolicy>,
    verify_time: i64,
    /// The case has CRLs: the RFC 5280 revocation mode, beyond Apple.
    rfc5280_revocation: bool,
}

/// The policy one expected peer name asks for.
#[derive(Debug, Clone, PartialEq)]
enum CasePolicy {
    /// A DNS or IP name (or none): Apple's SSL policy.
    Ssl(Ssl),
    /// A CLIENT case's RFC822 name.
    ClientEmail(ClientEmail),
}

impl CasePolicy {
    fn as_policy(&self) -> &dyn Policy {
        match self {
            CasePolicy::Ssl(p) => p,
            CasePolicy::ClientEmail(p) => p,
        }
    }
}

/// A TLS client identified by an e-mail address: `SecPolicyCreateSSL(false, NULL)`'s options
/// plus the `Email` check with the S/MIME policy's matching rule (`apple-trust.md §6, §7`).
#[derive(Debug, Clone, PartialEq)]
pub struct ClientEmail {
    ssl: Ssl,
    email: Smime,
}

impl ClientEmail {
    /// The client policy for `address`, with `ssl`'s settings (key usage, suffix list).
    fn new(ssl: Ssl, address: &str) -> Self {
        ClientEmail {
            ssl,
            email: Smime::new(SmimeUsage::NONE, Some(address.to_owned())),
        }
    }
}

impl Policy for ClientEmail {
    fn oid(&self) -> ObjectIdentifier {
        self.ssl.oid()
    }

    fn name(&self) -> &str {
        self.ssl.name()
    }

    fn options(&self, platform: &Platform) -> PolicyOptions {
        let mut options = self.ssl.options(platform);
        let email = self.email.options(platform);
        options.insert(Check::Email);
        options.email = email.email;
        options.policy_string = email.policy_string;
        options
    }
}

/// Maps a case to an evaluation, or says why Apple cannot express it (the skip reason).
fn plan(
    case: &Testcase,
    public_suffixes: Option<&Arc<dyn PublicSuffixList>>,
) -> Result<Plan, String> {
    if case.features.iter().any(|f| f == "max-chain-depth") {
        return Err("max chain depth: Apple has no such setting (apple-trust.md §4)".into());
    }
    if !case.signature_algorithms.is_empty() {
        return Err(
            "caller-set signature algorithms: Apple's are fixed by its rules (apple-trust.md §2, §6)"
                .into(),
        );
    }
    let names: Vec<&PeerName> = case
        .expected_peer_name
        .iter()
        .chain(&case.expected_peer_names)
        .collect();
    if let Some(n) = names
        .iter()
        .find(|n| !["DNS", "IP", "RFC822"].contains(&&*n.kind))
    {
        return Err(format!("{} peer name: no Apple policy matches it", n.kind));
    }
    let emails = names.iter().filter(|n| n.kind == "RFC822").count();
    if emails > 0 && (case.validation_kind == ValidationKind::Server || emails < names.len()) {
        return Err(
            "RFC822 peer name of a server, or mixed with DNS/IP names: no Apple policy \
             matches both (apple-trust.md §6, §7)"
                .into(),
        );
    }
    let own_eku = match case.validation_kind {
        ValidationKind::Server => "serverAuth",
        ValidationKind::Client => "clientAuth",
    };
    if let Some(eku) = case.extended_key_usage.iter().find(|e| *e != own_eku) {
        return Err(format!(
            "extended key usage {eku}: Apple's SSL policy checks serverAuth (server) or \
             clientAuth (client) only (apple-trust.md §6)"
        ));
    }
    let key_usage = key_usage_bits(&case.key_usage)?;
    let verify_time = match &case.validation_time {
        Some(t) => crate::rfc3339::parse(t).map_err(|e| format!("validation_time {t:?}: {e}"))?,
        None => DEFAULT_VERIFY_TIME,
    };
    let policy = |name: Option<&str>| {
        let ssl = match (case.validation_kind, name) {
            (ValidationKind::Server, Some(n)) => Ssl::server(n),
            (ValidationKind::Server, None) => Ssl::server_any_host(),
            (ValidationKind::Client, n) => Ssl::client(n),
        };
        let ssl = ssl.with_key_usage(key_usage);
        match public_suffixes {
            Some(list) => ssl.with_public_suffixes(Arc::clone(list)),
            None => ssl,
        }
    };
    let policies = if names.is_empty() {
        vec![CasePolicy::Ssl(policy(None))]
    } else if emails > 0 {
        let client = policy(None);
        let for_address = |n: &&PeerName| ClientEmail::new(client.clone(), &n.value);
        names
            .iter()
            .map(for_address)
            .map(CasePolicy::ClientEmail)
            .collect()
    } else {
        let ssl = |n: &&PeerName| CasePolicy::Ssl(policy(Some(&n.value)));
        names.iter().map(ssl).collect()
    };
    Ok(Plan {
        policies,
        verify_time,
        rfc5280_revocation: case.features.iter().any(|f| f == "has-crl") || !case.crls.is_empty(),
    })
}

/// limbo's key usage names → RFC 5280 bits.
fn key_usage_bits(names: &[String]) -> Result<u16, String> {
    names.iter().try_fold(0u16, |bits, name| {
        let bit = match name.as_str() {
            "digitalSignature" => KeyUsage::DIGITAL_SIGNATURE,
            "contentCommitment" | "nonRepudiation" => KeyUsage::NON_REPUDIATION,
            "keyEncipherment" => KeyUsage::KEY_ENCIPHERMENT,
            "dataEncipherment" => KeyUsage::DATA_ENCIPHERMENT,
            "keyAgreement" => KeyUsage::KEY_AGREEMENT,
            "keyCertSign" => KeyUsage::KEY_CERT_SIGN,
            "cRLSign" => KeyUsage::CRL_SIGN,
            "encipherOnly" => KeyUsage::ENCIPHER_ONLY,
            "decipherOnly" => KeyUsage::DECIPHER_ONLY,
            other => return Err(format!("unknown key usage {other:?}")),
        };
        Ok(bits | bit)
    })
}

/// Parses each PEM certificate; one that does not parse is left out, as Apple's caller could
/// not have created it, and noted.
fn parse_all(pems: &[String], what: &str, notes: &mut Vec<String>) -> Vec<Certificate> {
    let mut out = Vec::with_capacity(pems.len());
    for (i, pem) in pems.iter().enumerate() {
        match Certificate::from_pem(pem) {
            Ok(c) => out.push(c),
            Err(e) => notes.push(format!(
                "{what} certificate {i} left out (does not parse: {e})"
            )),
        }
    }
    out
}

/// The case's CRLs as revocation inputs; a CRL that does not parse is left out, and noted.
fn crl_inputs(pems: &[String], notes: &mut Vec<String>) -> RevocationInputs {
    let mut inputs = RevocationInputs::new();
    for (i, pem) in pems.iter().enumerate() {
        match inputs.clone().crl_pem(pem) {
            Ok(with) => inputs = with,
            Err(e) => notes.push(format!("CRL {i} left out (does not parse: {e})")),
        }
    }
    inputs
}

/// The answer and its context: the result, then every failed check as `Key@index`, then notes.
fn outcome_of(verdict: &Verdict, mut notes: Vec<String>) -> Outcome {
    let failed: Vec<String> = verdict
        .failures()
        .iter()
        .map(|f| format!("{}@{}", f.check, f.cert_index))
        .collect();
    let mut context = format!("{}, chain of {}", verdict.result(), verdict.chain().len());
    if !failed.is_empty() {
        context.push_str(": ");
        context.push_str(&failed.join(", "));
    }
    notes.extend(verdict.notes().iter().cloned());
    for note in notes {
        context.push_str("; ");
        context.push_str(&note);
    }
    Outcome {
        actual: if verdict.is_trusted() {
            Actual::Success
        } else {
            Actual::Failure
        },
        context,
        work: Some(verdict.work()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A case with `extra` fields over a minimal SERVER case (certificates left empty).
    fn case(extra: serde_json::Value) -> Testcase {
        let mut v = serde_json::json!({
            "id": "t", "features": [], "validation_kind": "SERVER", "trusted_certs": [],
            "untrusted_intermediates": [], "peer_certificate": "", "validation_time": null,
            "expected_result": "SUCCESS", "expected_peer_name": {"kind": "DNS", "value": "a.example"},
        });
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        serde_json::from_value(v).unwrap()
    }

    fn skip_reason(extra: serde_json::Value) -> String {
        match plan(&case(extra), None) {
            Err(reason) => reason,
            Ok(_) => panic!("not skipped"),
        }
    }

    #[test]
    fn crl_cases_run_in_the_rfc5280_revocation_mode() {
        let with_crl = plan(&case(serde_json::json!({"features": ["has-crl"]})), None).unwrap();
        assert!(with_crl.rfc5280_revocation);
        assert!(
            !plan(&case(serde_json::json!({})), None)
                .unwrap()
                .rfc5280_revocation
        );
        let mut notes = Vec::new();
        crl_inputs(&["not a PEM".to_owned()], &mut notes);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].starts_with("CRL 0 left out"), "{notes:?}");
    }

    #[test]
    fn what_apple_cannot_express_is_skipped_with_the_rule() {
        let depth = skip_reason(serde_json::json!({"features": ["max-chain-depth"]}));
        assert!(depth.starts_with("max chain depth"), "{depth}");
        let email = skip_reason(serde_json::json!({
            "expected_peer_name": {"kind": "RFC822", "value": "a@example.com"},
        }));
        assert!(email.starts_with("RFC822 peer name of a server"), "{email}");
        let eku = skip_reason(serde_json::json!({"extended_key_usage": ["codeSigning"]}));
        assert!(eku.starts_with("extended key usage codeSigning"), "{eku}");
        let algs = skip_reason(serde_json::json!({"signature_algorithms": ["RSA_PKCS1_SHA256"]}));
        assert!(algs.contains("signature algorithms"), "{algs}");
    }

    #[test]
    fn the_case_becomes_ssl_policies_at_a_fixed_time() {
        let p = plan(&case(serde_json::json!({})), None).unwrap();
        assert_eq!(p.verify_time, DEFAULT_VERIFY_TIME);
        assert_eq!(p.policies, vec![CasePolicy::Ssl(Ssl::server("a.example"))]);
        let p = plan(
            &case(serde_json::json!({
                "expected_peer_name": null, "extended_key_usage": ["serverAuth"],
                "key_usage": ["digitalSignature"],
                "validation_time": "2024-03-01T00:00:00.999+00:00",
            })),
            None,
        )
        .unwrap();
        assert_eq!(p.verify_time, 1_709_251_200);
        let want = Ssl::server_any_host().with_key_usage(KeyUsage::DIGITAL_SIGNATURE);
        assert_eq!(p.policies, vec![CasePolicy::Ssl(want)]);
        let client = serde_json::json!({"validation_kind": "CLIENT", "expected_peer_name": null});
        let p = plan(&case(client), None).unwrap();
        assert_eq!(
            p.policies,
            vec![CasePolicy::Ssl(Ssl::client(None::<String>))]
        );
    }

    #[test]
    fn a_client_email_is_the_client_policy_plus_apples_email_check() {
        let client = serde_json::json!({
            "validation_kind": "CLIENT", "expected_peer_name": null,
            "expected_peer_names": [{"kind": "RFC822", "value": "a@example.com"}],
        });
        let p = plan(&case(client), None).unwrap();
        let [CasePolicy::ClientEmail(policy)] = &p.policies[..] else {
            panic!("{:?}", p.policies)
        };
        let platform = Platform::latest();
        let (options, ssl) = (policy.options(&platform), Ssl::client(None::<String>));
        assert!(options.has(Check::Email) && options.email.is_some());
        assert_eq!(options.leaf_eku, ssl.options(&platform).leaf_eku);
        assert_eq!(options.policy_string.as_deref(), Some("a@example.com"));
    }

    #[test]
    fn an_unparseable_peer_fails_and_says_why() {
        let outcome = Harness::default().run(&case(serde_json::json!({})));
        assert_eq!(outcome.actual, Actual::Failure);
        assert!(
            outcome
                .context
                .starts_with("the peer certificate does not parse")
        );
    }

    #[test]
    fn public_suffix_rules_keep_plain_rules_only() {
        let list = public_suffix_rules("// c\ncom\n*.ck\n!www.ck\n\nco.uk\n");
        assert!(list.is_public_suffix("co.uk") && list.is_public_suffix("com"));
        assert!(!list.is_public_suffix("*.ck") && !list.is_public_suffix("www.ck"));
    }
}
