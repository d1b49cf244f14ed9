//! CT exceptions: the domains and CA keys an administrator exempted from CT
//! (`apple-trust.md §6`, "no configured CT exception covers it").

use crate::certificate::Certificate;

/// The CT exceptions of a device (Apple: `SecTrustStoreSetCTExceptions`, or a configuration
/// profile's `kSecCTExceptionsDomainsKey` and `kSecCTExceptionsCAsKey`). A chain they cover
/// needs no SCTs.
///
/// The spec names the exceptions only; the matching follows trustd's as we understand it:
/// - a domain covers the SSL policy's hostname when the two are equal ignoring ASCII case; a
///   domain with a leading `.` also covers every name below it, and the name without the dot
///   (`.example.com` covers `example.com` and `www.example.com`, not `badexample.com`);
/// - a CA key (SHA-256 of a SubjectPublicKeyInfo) covers a chain in which any certificate,
///   the leaf included, has that key.
///
/// ```
/// use sectrust::ct::CtExceptions;
/// let ex = CtExceptions::new().domain(".internal.example");
/// assert!(ex.covers_domain("api.internal.example"));
/// assert!(ex.covers_domain("INTERNAL.example"));
/// assert!(!ex.covers_domain("example"));
/// ```
///
/// It also carries the CAs of Apple's own iOS 13 exemption ([`ios13_exempt_ca`]), which apply
/// only on the profiles of that row.
///
/// [`ios13_exempt_ca`]: Self::ios13_exempt_ca
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CtExceptions {
    domains: Vec<String>,
    keys: Vec<[u8; 32]>,
    ios13_cas: Vec<[u8; 32]>,
}

impl CtExceptions {
    /// No exceptions.
    pub fn new() -> Self {
        Self::default()
    }

    /// Exempts a domain (a leading `.` takes its subdomains too).
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domains.push(domain.into());
        self
    }

    /// Exempts chains holding a certificate whose SubjectPublicKeyInfo has this SHA-256.
    pub fn ca_key_sha256(mut self, spki_sha256: [u8; 32]) -> Self {
        self.keys.push(spki_sha256);
        self
    }

    /// Exempts chains holding a certificate with `ca`'s key.
    pub fn ca(self, ca: &Certificate) -> Self {
        self.ca_key_sha256(*ca.spki_sha256())
    }

    /// Adds one CA of the iOS 13 exemption (platforms.md "Other rules": in 59306 Apple IST CA 2,
    /// Apple IST CA 8 and Google Internet Authority G3 are exempt from CT), by the SHA-256 of
    /// its certificate or of its SubjectPublicKeyInfo, as distrust families are identified
    /// ([`DistrustRule`](crate::distrust::DistrustRule)). The library holds no CA data: the
    /// caller supplies the hashes of those CAs, from the system store it loads.
    ///
    /// Unlike the device's exceptions, these apply only where
    /// [`RuleId::CtIos13ExemptCas`](crate::RuleId::CtIos13ExemptCas) holds (iOS 13, macOS
    /// 10.15): there a chain in which any CA certificate (index ≥ 1) matches needs no SCTs for
    /// `SystemTrustedCTRequired`, and the verdict says so. Which position Apple matched is not
    /// known; any CA of the path is this crate's reading. They do not lift the CT requirement
    /// of Apple's Valid database (`CTRequired`).
    pub fn ios13_exempt_ca(mut self, sha256: [u8; 32]) -> Self {
        self.ios13_cas.push(sha256);
        self
    }

    /// Whether a CA of `chain` (leaf first; the leaf itself excluded) is one of the iOS 13
    /// exemption's CAs, by certificate or SPKI SHA-256. Says nothing about the platform.
    pub fn ios13_exempt_chain(&self, chain: &[Certificate]) -> bool {
        chain.iter().skip(1).any(|c| {
            self.ios13_cas
                .iter()
                .any(|h| h == c.sha256() || h == c.spki_sha256())
        })
    }

    /// Whether there are no exceptions (nor iOS 13 exempt CAs).
    pub fn is_empty(&self) -> bool {
        self.domains.is_empty() && self.keys.is_empty() && self.ios13_cas.is_empty()
    }

    /// Whether a domain exception covers `hostname`.
    pub fn covers_domain(&self, hostname: &str) -> bool {
        self.domains.iter().any(|d| domain_covers(d, hostname))
    }

    /// Whether a CA exception covers `chain` (leaf first).
    pub fn covers_chain(&self, chain: &[Certificate]) -> bool {
        !self.keys.is_empty() && chain.iter().any(|c| self.keys.contains(c.spki_sha256()))
    }

    /// Whether the chain, checked for `hostname` (when the policy has one), is exempt.
    pub fn covers(&self, hostname: Option<&str>, chain: &[Certificate]) -> bool {
        hostname.is_some_and(|h| self.covers_domain(h)) || self.covers_chain(chain)
    }
}

fn domain_covers(exception: &str, hostname: &str) -> bool {
    if exception.eq_ignore_ascii_case(hostname) {
        return true;
    }
    let Some(bare) = exception.strip_prefix('.') else {
        return false;
    };
    if bare.eq_ignore_ascii_case(hostname) {
        return true;
    }
    // `hostname` ends with the whole exception, dot included.
    hostname.len() > exception.len()
        && hostname
            .get(hostname.len() - exception.len()..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(exception))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::Pki;

    #[test]
    fn domains() {
        let ex = CtExceptions::new()
            .domain("exact.example")
            .domain(".tree.example");
        for (host, covered) in [
            ("exact.example", true),
            ("EXACT.Example", true),
            ("www.exact.example", false),
            ("tree.example", true),
            ("a.b.tree.example", true),
            ("A.TREE.EXAMPLE", true),
            ("subtree.example", false),
            ("example", false),
            ("", false),
            ("é.tree.example", true),
        ] {
            assert_eq!(ex.covers_domain(host), covered, "{host}");
        }
        assert!(!CtExceptions::new().covers_domain("exact.example"));
        // A multi-byte character straddling the cut is no match, not a panic.
        assert!(!CtExceptions::new().domain(".ab").covers_domain("éab"));
    }

    #[test]
    fn ca_keys_cover_any_certificate_of_the_chain() {
        let pki = Pki::new();
        let chain = [
            pki.leaf.cert.clone(),
            pki.intermediate.cert.clone(),
            pki.root.cert.clone(),
        ];
        let by_intermediate = CtExceptions::new().ca(&pki.intermediate.cert);
        assert!(by_intermediate.covers_chain(&chain));
        assert!(!by_intermediate.covers_chain(&chain[..1]));
        assert!(by_intermediate.covers(None, &chain));
        let by_domain = CtExceptions::new().domain(Pki::HOSTNAME);
        assert!(!by_domain.covers(None, &chain));
        assert!(by_domain.covers(Some(Pki::HOSTNAME), &chain));
        assert!(CtExceptions::new().is_empty() && !by_domain.is_empty());
    }

    #[test]
    fn ios13_cas_match_a_ca_by_certificate_or_key_never_the_leaf() {
        let pki = Pki::new();
        let chain = [
            pki.leaf.cert.clone(),
            pki.intermediate.cert.clone(),
            pki.root.cert.clone(),
        ];
        let by_cert = CtExceptions::new().ios13_exempt_ca(*pki.intermediate.cert.sha256());
        let by_key = CtExceptions::new().ios13_exempt_ca(*pki.root.cert.spki_sha256());
        let leaf = CtExceptions::new().ios13_exempt_ca(*pki.leaf.cert.sha256());
        assert!(by_cert.ios13_exempt_chain(&chain) && by_key.ios13_exempt_chain(&chain));
        assert!(!leaf.ios13_exempt_chain(&chain));
        // Not a device exception: `covers` ignores them.
        assert!(!by_cert.covers(None, &chain) && !by_cert.is_empty());
    }
}
