//! From a validated case to library values, and the evaluation itself
//! (`TrustEvaluator::builder()…build().evaluate(leaf, intermediates, policies)`).

use sectrust::policy::{CodeSigning, Ios5SmimeHypothesis, Smime, SmimeUsage, Ssl};
use sectrust::revocation::RevocationInputs;
use sectrust::{
    BasicX509, EvaluationInputs, Policy, Revocation, SystemStore, TrustEvaluator, TrustSetting,
    UsageConstraint, Verdict,
};

use super::json::InputError;
use super::load::Loader;
use super::spec::{CaseSpec, Ios5SmimeQuirk, PolicySpec, SmimeSpec, SslSpec, UserTrustSpec};

/// Evaluates one case. `Err` when the case cannot be evaluated (an input error); trust
/// failures are in the verdict.
pub fn evaluate(case: &CaseSpec, loader: &Loader) -> Result<Verdict, InputError> {
    // Policies first: an unsupported kind is known without reading any certificate.
    let policies = library_policies(case)?;
    let leaf = loader.certificate(&case.leaf)?;
    let intermediates = loader.all_certificates(&case.intermediates)?;
    let anchors = loader.all_certificates(&case.anchors)?;
    let system = SystemStore::from_roots(loader.all_certificates(&case.system_anchors)?);
    let user_trust = case
        .user_trust
        .iter()
        .map(|u| trust_setting(u, loader))
        .collect::<Result<Vec<_>, _>>()?;
    // Stapled or cached OCSP responses and CRLs (apple-trust.md §9).
    let mut revocation = RevocationInputs::new();
    for r in &case.ocsp_responses {
        revocation = revocation.ocsp_response(loader.ocsp_response(r)?);
    }
    for r in &case.crls {
        for der in loader.crls(r)? {
            revocation = revocation.crl(der);
        }
    }

    let anchors_only = case.anchors_only.unwrap_or(!anchors.is_empty());
    let mut builder = TrustEvaluator::builder()
        .platform(case.platform)
        .anchors(anchors)
        .anchors_only(anchors_only)
        .system_store(system)
        .user_trust(user_trust)
        .network_allowed(case.network);
    if let Some(t) = case.verify_time {
        builder = builder.verify_time_unix(t);
    }
    let policy_refs: Vec<&dyn Policy> = policies.iter().map(|p| p.as_ref()).collect();
    builder
        .build()
        .evaluate_with_inputs(
            &leaf,
            &intermediates,
            &policy_refs,
            &EvaluationInputs::new().revocation(revocation),
        )
        .map_err(|e| case.path.error(e.to_string()))
}

/// The library policy of every `policies` entry (every kind of case-format.md).
fn library_policies(case: &CaseSpec) -> Result<Vec<Box<dyn Policy>>, InputError> {
    case.policies
        .iter()
        .enumerate()
        .map(|(i, spec)| match spec {
            PolicySpec::Basic => Ok(Box::new(BasicX509) as Box<dyn Policy>),
            PolicySpec::Smime(s) => {
                Ok(Box::new(smime(s, case.quirks.ios5_smime)) as Box<dyn Policy>)
            }
            PolicySpec::Ssl(s) => Ok(Box::new(ssl(s)) as Box<dyn Policy>),
            PolicySpec::CodeSigning => Ok(Box::new(CodeSigning) as Box<dyn Policy>),
            PolicySpec::Revocation(r) => Revocation::new(r.flags())
                .map(|p| Box::new(p) as Box<dyn Policy>)
                .map_err(|e| case.policy_path(i).error(e.to_string())),
        })
        .collect()
}

/// `SecPolicyCreateSSL(server, hostname)`, or `SecPolicyCreateSSLWithKeyUsage` when the case
/// lists key usages (each a bit of RFC 5280 §4.2.1.3, declared in bit order).
fn ssl(spec: &SslSpec) -> Ssl {
    let policy = match (spec.server, &spec.hostname) {
        (true, Some(host)) => Ssl::server(host.clone()),
        (true, None) => Ssl::server_any_host(),
        (false, name) => Ssl::client(name.clone()),
    };
    let key_usage = spec
        .key_usage
        .iter()
        .fold(0u16, |m, bit| m | 1 << (*bit as u16));
    policy.with_key_usage(key_usage)
}

/// `SecPolicyCreateSMIME(usage, email)` with the account's aliases and, when the case names
/// one, the pre-iOS-6 hypothesis (`quirks.ios5_smime`; otherwise the library's default).
fn smime(spec: &SmimeSpec, quirk: Option<Ios5SmimeQuirk>) -> Smime {
    let policy = Smime::new(
        SmimeUsage::from_bits(spec.usage_flags()),
        spec.email.clone(),
    )
    .with_aliases(spec.aliases.iter().cloned());
    match quirk {
        None => policy,
        Some(q) => policy.with_ios5_hypothesis(match q {
            Ios5SmimeQuirk::PrimaryAddressOnly => Ios5SmimeHypothesis::PrimaryAddressOnly,
            Ios5SmimeQuirk::CaseSensitiveAddress => Ios5SmimeHypothesis::CaseSensitiveAddress,
            Ios5SmimeQuirk::FirstSanAddressOnly => Ios5SmimeHypothesis::FirstSanAddressOnly,
        }),
    }
}

/// A user/admin trust setting with its certificate loaded.
fn trust_setting(spec: &UserTrustSpec, loader: &Loader) -> Result<TrustSetting, InputError> {
    Ok(TrustSetting {
        cert: loader.certificate(&spec.cert)?,
        constraints: constraints(spec),
        profile_installed: spec.profile_installed,
        full_trust_enabled: spec.full_trust_enabled,
    })
}

/// The usage constraints of a setting: none when the entry has none of `policy`,
/// `policy_string`, `allowed_errors` and `result` (an empty list anchors a self-signed
/// certificate for everything, `apple-trust.md §5`); otherwise one constraint holding exactly
/// the keys given.
pub fn constraints(spec: &UserTrustSpec) -> Vec<UsageConstraint> {
    if spec.policy.is_none()
        && spec.policy_string.is_none()
        && spec.allowed_errors.is_none()
        && spec.result.is_none()
    {
        return Vec::new();
    }
    let mut c = UsageConstraint::default();
    if let Some(kind) = spec.policy {
        c.policy_oid = Some(kind.oid());
        c.policy_name = Some(kind.apple_name().to_owned());
    }
    c.policy_string = spec.policy_string.clone();
    c.allowed_errors = spec
        .allowed_errors
        .iter()
        .flatten()
        .map(|e| e.code())
        .collect();
    c.result = spec.result;
    vec![c]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::json::Path;
    use crate::cases::spec::{AllowedError, PolicyKind, Reference, Source};
    use sectrust::TrustSettingResult;
    use serde_json::json;

    fn user_trust() -> UserTrustSpec {
        UserTrustSpec {
            cert: Reference {
                path: Path::root("cases")
                    .index(0)
                    .key("user_trust")
                    .index(0)
                    .key("cert"),
                source: Source::File("root.pem".into()),
            },
            result: None,
            policy: None,
            policy_string: None,
            allowed_errors: None,
            profile_installed: false,
            full_trust_enabled: false,
        }
    }

    #[test]
    fn a_bare_setting_has_no_constraint() {
        assert_eq!(constraints(&user_trust()), vec![]);
        // profile flags alone do not make a constraint
        let mut u = user_trust();
        u.profile_installed = true;
        assert_eq!(constraints(&u), vec![]);
    }

    #[test]
    fn each_key_makes_one_constraint() {
        let mut u = user_trust();
        u.result = Some(TrustSettingResult::Deny);
        let [c] = &constraints(&u)[..] else { panic!() };
        assert_eq!(c.result, Some(TrustSettingResult::Deny));
        assert_eq!((c.policy_oid, c.policy_name.as_deref()), (None, None));

        let mut u = user_trust();
        u.allowed_errors = Some(vec![]);
        let [c] = &constraints(&u)[..] else { panic!() };
        assert_eq!((c.result, c.allowed_errors.len()), (None, 0));

        let mut u = user_trust();
        u.policy_string = Some("a.example".into());
        assert_eq!(
            constraints(&u)[0].policy_string.as_deref(),
            Some("a.example")
        );
    }

    #[test]
    fn policy_and_allowed_errors_map_to_apple_values() {
        let mut u = user_trust();
        u.policy = Some(PolicyKind::Ssl);
        u.allowed_errors = Some(vec![AllowedError::Hostname, AllowedError::Expired]);
        u.result = Some(TrustSettingResult::TrustAsRoot);
        let [c] = &constraints(&u)[..] else { panic!() };
        assert_eq!(
            c.policy_oid.map(|o| o.to_string()).as_deref(),
            Some("1.2.840.113635.100.1.3")
        );
        assert_eq!(c.policy_name.as_deref(), Some("sslServer"));
        assert_eq!(c.allowed_errors, vec![-2_147_408_896, -2_147_409_654]);
        assert_eq!(c.result, Some(TrustSettingResult::TrustAsRoot));
        assert_eq!((c.key_usage, c.application.as_deref()), (None, None));
        assert!(c.policy_options.is_none());
    }

    #[test]
    fn revocation_is_supported_with_apples_flags() {
        let case = json!({"id": "a", "leaf": "file:x", "policies": [
            {"kind": "revocation", "method": "crl", "require_positive_response": true}
        ]});
        let spec = CaseSpec::decode(&case, &Path::root("cases").index(0)).unwrap();
        let policies = library_policies(&spec).unwrap();
        assert_eq!(policies[0].name(), "revocation");
        assert_eq!(policies[0].oid().to_string(), "1.2.840.113635.100.1.21");
    }

    #[test]
    fn basic_is_supported() {
        let case = json!({"id": "a", "leaf": "file:x", "policies": [{"kind": "basic"}]});
        let spec = CaseSpec::decode(&case, &Path::root("cases").index(0)).unwrap();
        let policies = library_policies(&spec).unwrap();
        assert_eq!(policies.len(), 1);
        assert_eq!(policies[0].name(), "basicX509");
        // then the leaf is read, and is missing
        let e = evaluate(&spec, &Loader::new("/nonexistent")).unwrap_err();
        assert!(
            e.to_string().starts_with("cases[0].leaf: cannot read file"),
            "{e}"
        );
    }

    #[test]
    fn smime_maps_email_aliases_usage_and_the_ios5_hypothesis() {
        let case = json!({
            "id": "a", "leaf": "file:x",
            "policies": [{"kind": "smime", "email": "a@me.com", "aliases": ["a@mac.com"],
                          "usage": ["key_encrypt", "ignore_expiration"]}],
            "quirks": {"ios5_smime": "first_san_address_only"}
        });
        let spec = CaseSpec::decode(&case, &Path::root("cases").index(0)).unwrap();
        let PolicySpec::Smime(s) = &spec.policies[0] else {
            panic!("an smime spec")
        };
        let policy = smime(s, spec.quirks.ios5_smime);
        assert_eq!(policy.email(), Some("a@me.com"));
        assert_eq!(policy.aliases(), ["a@mac.com"]);
        assert_eq!(policy.usage().bits(), (1 << 1) | (1 << 6));
        assert_eq!(
            policy.ios5_hypothesis(),
            Ios5SmimeHypothesis::FirstSanAddressOnly
        );
        let policies = library_policies(&spec).unwrap();
        assert_eq!(policies[0].name(), "SMIME");
        // no quirk named: the library default
        let default = smime(s, None);
        assert_eq!(
            default.ios5_hypothesis(),
            Ios5SmimeHypothesis::PrimaryAddressOnly
        );
    }
}
