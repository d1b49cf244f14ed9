//! The aws-lc-rs backend.
//!
//! What it verifies (everything else is `Unsupported`):
//! - RSASSA-PKCS1-v1_5 with SHA-1, SHA-256 or SHA-512 and a 1024–8192-bit modulus (aws-lc's
//!   `*_FOR_LEGACY_USE_ONLY` parameter sets), and with SHA-384 and a 2048–8192-bit modulus (aws-lc
//!   has no SHA-384 set below 2048). No SHA-224.
//! - RSASSA-PSS with SHA-256/384/512, MGF1 over the same hash, salt length = hash length, and a
//!   2048–8192-bit modulus.
//! - ECDSA on P-256 with SHA-1/256/384/512, on P-384 with SHA-256/384/512, on P-521 with
//!   SHA-1/224/256/384/512.
//! - Ed25519.
//!
//! `verify`'s success path does no allocation and no work beyond aws-lc's own: the key bits go
//! straight to [`UnparsedPublicKey`]. `verify_certificate` parses an issuer's key once and keeps
//! it on the certificate ([`ParsedPublicKey`]). Only after a failure is the key looked at again,
//! to tell a malformed key (`BadKey`) or a modulus outside the parameter set's range
//! (`Unsupported`) from a wrong signature (`Invalid`).

use aws_lc_rs::signature::{
    self as alg, EcdsaVerificationAlgorithm, ParsedPublicKey, RsaParameters, UnparsedPublicKey,
    VerificationAlgorithm,
};

use super::spki::{Curve, Hash, Job};
use super::{SignatureAlgorithm, SignatureError, SignatureVerifier};
use crate::certificate::Certificate;

/// Verifies signatures with aws-lc-rs.
#[derive(Debug, Clone, Copy, Default)]
pub struct AwsLcVerifier;

impl SignatureVerifier for AwsLcVerifier {
    fn verify(
        &self,
        algorithm: &SignatureAlgorithm,
        spki: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        let job = Job::new(algorithm, spki)?;
        let (params, key) = Params::new(algorithm, &job)?;
        UnparsedPublicKey::new(params.algorithm(), key)
            .verify(message, signature)
            .map_err(|_| params.failure(key))
    }

    /// Verifies with the issuer's parsed key, kept on the issuer for the algorithm of its first
    /// check (aws-lc binds a parsed key to one algorithm; other algorithms take the unprepared
    /// path). Besides the parse, a kept RSA key keeps aws-lc's Montgomery set-up for its modulus.
    fn verify_certificate(
        &self,
        child: &Certificate,
        issuer: &Certificate,
    ) -> Result<(), SignatureError> {
        let algorithm = child.signature_algorithm();
        let prepared = issuer
            .key_slot()
            .get_or_prepare(|| Prepared::new(algorithm, issuer.spki_der()));
        match prepared {
            Some(p) if p.algorithm == *algorithm => p
                .key
                .verify_sig(child.tbs_der(), child.signature())
                .map_err(|_| p.params.failure(p.key.as_ref())),
            _ => self.verify(
                algorithm,
                issuer.spki_der(),
                child.tbs_der(),
                child.signature(),
            ),
        }
    }
}

/// An issuer's key parsed by aws-lc for one signature algorithm.
struct Prepared {
    algorithm: SignatureAlgorithm,
    params: Params,
    key: ParsedPublicKey,
}

impl Prepared {
    /// `None` when [`AwsLcVerifier::verify`] would fail before verifying (the algorithm or the
    /// key is unsupported or malformed).
    fn new(algorithm: &SignatureAlgorithm, spki: &[u8]) -> Option<Self> {
        let job = Job::new(algorithm, spki).ok()?;
        let (params, key) = Params::new(algorithm, &job).ok()?;
        let key = ParsedPublicKey::new(params.algorithm(), key).ok()?;
        Some(Prepared {
            algorithm: algorithm.clone(),
            params,
            key,
        })
    }
}

/// The aws-lc algorithm one verification uses.
#[derive(Clone, Copy)]
enum Params {
    Rsa(&'static RsaParameters),
    Ecdsa(&'static EcdsaVerificationAlgorithm),
    Ed25519,
}

impl Params {
    /// The parameters for `job`, and the key bytes aws-lc takes for them.
    fn new<'a>(
        algorithm: &SignatureAlgorithm,
        job: &Job<'a>,
    ) -> Result<(Self, &'a [u8]), SignatureError> {
        let unsupported =
            || SignatureError::Unsupported(format!("{algorithm} (aws-lc-rs backend)"));
        match *job {
            Job::RsaPkcs1 { hash, key } => {
                Ok((Params::Rsa(rsa_pkcs1(hash).ok_or_else(unsupported)?), key))
            }
            Job::RsaPss {
                hash,
                salt_len,
                key,
            } => {
                let params = rsa_pss(hash)
                    .filter(|_| usize::try_from(salt_len) == Ok(hash.len()))
                    .ok_or_else(unsupported)?;
                Ok((Params::Rsa(params), key))
            }
            Job::Ecdsa { hash, curve, point } => Ok((
                Params::Ecdsa(ecdsa(curve, hash).ok_or_else(unsupported)?),
                point,
            )),
            Job::Ed25519 { key } => Ok((Params::Ed25519, &key[..])),
        }
    }

    fn algorithm(self) -> &'static dyn VerificationAlgorithm {
        match self {
            Params::Rsa(p) => p,
            Params::Ecdsa(p) => p,
            Params::Ed25519 => &alg::ED25519,
        }
    }

    /// Why a verification with `key` failed: the key looked at again, to tell a malformed key
    /// (`BadKey`) or an RSA modulus outside the parameter set's range (`Unsupported`) from a
    /// wrong signature (`Invalid`).
    fn failure(self, key: &[u8]) -> SignatureError {
        match self {
            Params::Rsa(params) => match RsaParameters::public_modulus_len(key) {
                Err(_) => SignatureError::BadKey("malformed RSAPublicKey".into()),
                Ok(bits)
                    if !(params.min_modulus_len()..=params.max_modulus_len()).contains(&bits) =>
                {
                    SignatureError::Unsupported(format!(
                        "{bits}-bit RSA key: aws-lc-rs verifies {}–{} bits for this algorithm",
                        params.min_modulus_len(),
                        params.max_modulus_len()
                    ))
                }
                Ok(_) => SignatureError::Invalid,
            },
            Params::Ecdsa(alg) => match UnparsedPublicKey::new(alg, key).parse() {
                Ok(_) => SignatureError::Invalid,
                Err(e) => SignatureError::BadKey(format!("EC point: {e}")),
            },
            Params::Ed25519 => SignatureError::Invalid,
        }
    }
}

/// PKCS#1 v1.5 parameters for `hash`, the widest modulus range aws-lc has for it.
fn rsa_pkcs1(hash: Hash) -> Option<&'static RsaParameters> {
    match hash {
        Hash::Sha1 => Some(&alg::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY),
        Hash::Sha224 => None,
        Hash::Sha256 => Some(&alg::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY),
        Hash::Sha384 => Some(&alg::RSA_PKCS1_2048_8192_SHA384),
        Hash::Sha512 => Some(&alg::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY),
    }
}

/// PSS parameters for `hash` (MGF1 over `hash`, salt length = hash length).
fn rsa_pss(hash: Hash) -> Option<&'static RsaParameters> {
    match hash {
        Hash::Sha1 | Hash::Sha224 => None,
        Hash::Sha256 => Some(&alg::RSA_PSS_2048_8192_SHA256),
        Hash::Sha384 => Some(&alg::RSA_PSS_2048_8192_SHA384),
        Hash::Sha512 => Some(&alg::RSA_PSS_2048_8192_SHA512),
    }
}

/// ECDSA (DER signature) for the curve of the key and the hash of the algorithm.
fn ecdsa(curve: Curve, hash: Hash) -> Option<&'static EcdsaVerificationAlgorithm> {
    match (curve, hash) {
        (Curve::P256, Hash::Sha1) => Some(&alg::ECDSA_P256_SHA1_ASN1),
        (Curve::P256, Hash::Sha256) => Some(&alg::ECDSA_P256_SHA256_ASN1),
        (Curve::P256, Hash::Sha384) => Some(&alg::ECDSA_P256_SHA384_ASN1),
        (Curve::P256, Hash::Sha512) => Some(&alg::ECDSA_P256_SHA512_ASN1),
        (Curve::P384, Hash::Sha256) => Some(&alg::ECDSA_P384_SHA256_ASN1),
        (Curve::P384, Hash::Sha384) => Some(&alg::ECDSA_P384_SHA384_ASN1),
        (Curve::P384, Hash::Sha512) => Some(&alg::ECDSA_P384_SHA512_ASN1),
        (Curve::P521, Hash::Sha1) => Some(&alg::ECDSA_P521_SHA1_ASN1),
        (Curve::P521, Hash::Sha224) => Some(&alg::ECDSA_P521_SHA224_ASN1),
        (Curve::P521, Hash::Sha256) => Some(&alg::ECDSA_P521_SHA256_ASN1),
        (Curve::P521, Hash::Sha384) => Some(&alg::ECDSA_P521_SHA384_ASN1),
        (Curve::P521, Hash::Sha512) => Some(&alg::ECDSA_P521_SHA512_ASN1),
        (Curve::P256 | Curve::P384, Hash::Sha224) | (Curve::P384, Hash::Sha1) => None,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use aws_lc_rs::digest::{self, SHA1_FOR_LEGACY_USE_ONLY, SHA224, SHA384, SHA512};
    use aws_lc_rs::encoding::AsDer;
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::rsa::KeySize;
    use aws_lc_rs::signature::{
        EcdsaKeyPair, EcdsaSigningAlgorithm, Ed25519KeyPair, KeyPair, RsaEncoding, RsaKeyPair,
    };
    use rsa::Pkcs1v15Sign;
    use sha2::Sha256;
    use signature::hazmat::PrehashSigner;

    use super::*;
    use crate::crypto::HashAlgorithm as H;
    use crate::crypto::testkit::{
        MESSAGE, Signed, check, ed25519_key, p256_key, rsa_key, rsa_pkcs1_sign, rsa_pss_sign,
    };

    /// ECDSA P-256 DER signature over the digest `prehash` of [`MESSAGE`] (RustCrypto).
    fn p256_sign(key: &p256::ecdsa::SigningKey, prehash: &[u8]) -> Vec<u8> {
        let sig: p256::ecdsa::DerSignature = key.sign_prehash(prehash).unwrap();
        sig.as_bytes().to_vec()
    }

    /// One of two RSA-2048 key pairs made by aws-lc, with its SPKI.
    fn rsa_pair(n: usize) -> &'static (RsaKeyPair, Vec<u8>) {
        static KEYS: [OnceLock<(RsaKeyPair, Vec<u8>)>; 2] = [const { OnceLock::new() }; 2];
        KEYS[n].get_or_init(|| {
            let pair = RsaKeyPair::generate(KeySize::Rsa2048).unwrap();
            let spki = pair.public_key().as_der().unwrap().as_ref().to_vec();
            (pair, spki)
        })
    }

    fn rsa_signed(alg: SignatureAlgorithm, encoding: &'static dyn RsaEncoding) -> Signed {
        let (pair, spki) = rsa_pair(0);
        let mut sig = vec![0; pair.public_modulus_len()];
        pair.sign(encoding, &SystemRandom::new(), MESSAGE, &mut sig)
            .unwrap();
        Signed {
            alg,
            spki: spki.clone(),
            sig,
        }
    }

    #[test]
    fn rsa_pkcs1_signed_by_aws_lc_verifies_everywhere() {
        for (h, encoding) in [
            (H::Sha256, &alg::RSA_PKCS1_SHA256),
            (H::Sha384, &alg::RSA_PKCS1_SHA384),
            (H::Sha512, &alg::RSA_PKCS1_SHA512),
        ] {
            check(
                &rsa_signed(SignatureAlgorithm::RsaPkcs1(h), encoding),
                &rsa_pair(1).1,
                &[],
            );
        }
    }

    #[test]
    fn rsa_pss_signed_by_aws_lc_verifies_everywhere() {
        for (h, salt_len, encoding) in [
            (H::Sha256, 32, &alg::RSA_PSS_SHA256),
            (H::Sha384, 48, &alg::RSA_PSS_SHA384),
            (H::Sha512, 64, &alg::RSA_PSS_SHA512),
        ] {
            let alg = SignatureAlgorithm::RsaPss {
                hash: h,
                mgf1_hash: h,
                salt_len,
            };
            check(&rsa_signed(alg, encoding), &rsa_pair(1).1, &[]);
        }
    }

    #[test]
    fn ecdsa_signed_by_aws_lc_verifies_everywhere() {
        let signing: [(H, &'static EcdsaSigningAlgorithm); 6] = [
            (H::Sha256, &alg::ECDSA_P256_SHA256_ASN1_SIGNING),
            (H::Sha384, &alg::ECDSA_P384_SHA384_ASN1_SIGNING),
            (H::Sha224, &alg::ECDSA_P521_SHA224_ASN1_SIGNING),
            (H::Sha256, &alg::ECDSA_P521_SHA256_ASN1_SIGNING),
            (H::Sha384, &alg::ECDSA_P521_SHA384_ASN1_SIGNING),
            (H::Sha512, &alg::ECDSA_P521_SHA512_ASN1_SIGNING),
        ];
        for (h, signing) in signing {
            let spki = |pair: &EcdsaKeyPair| pair.public_key().as_der().unwrap().as_ref().to_vec();
            let (pair, other) = (
                EcdsaKeyPair::generate(signing).unwrap(),
                EcdsaKeyPair::generate(signing).unwrap(),
            );
            let signed = Signed {
                alg: SignatureAlgorithm::Ecdsa(h),
                spki: spki(&pair),
                sig: pair
                    .sign(&SystemRandom::new(), MESSAGE)
                    .unwrap()
                    .as_ref()
                    .to_vec(),
            };
            check(&signed, &spki(&other), &[]);
        }
    }

    #[test]
    fn ed25519_signed_by_aws_lc_verifies_everywhere() {
        let spki = |pair: &Ed25519KeyPair| pair.public_key().as_der().unwrap().as_ref().to_vec();
        let (pair, other) = (
            Ed25519KeyPair::generate().unwrap(),
            Ed25519KeyPair::generate().unwrap(),
        );
        let signed = Signed {
            alg: SignatureAlgorithm::Ed25519,
            spki: spki(&pair),
            sig: pair.sign(MESSAGE).as_ref().to_vec(),
        };
        check(&signed, &spki(&other), &[]);
        // The RustCrypto encoding of an Ed25519 key is the same SPKI.
        let (key, spki) = ed25519_key(3);
        let sig = ed25519_dalek::Signer::sign(&key, MESSAGE)
            .to_bytes()
            .to_vec();
        let signed = Signed {
            alg: SignatureAlgorithm::Ed25519,
            spki,
            sig,
        };
        check(&signed, &ed25519_key(4).1, &[]);
    }

    /// SHA-1 DigestInfo prefix (RFC 8017 §9.2 note 1), for signing SHA-1 without the `sha1` crate.
    const SHA1_PREFIX: &[u8] = &[
        0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14,
    ];

    #[test]
    fn rsa_1024_uses_the_legacy_parameter_sets() {
        let (key, other) = (rsa_key(1024, 0), rsa_key(1024, 1));
        let sha1 = Pkcs1v15Sign {
            hash_len: Some(20),
            prefix: SHA1_PREFIX.into(),
        };
        let sha1_sig = key
            .key
            .sign(
                sha1,
                digest::digest(&SHA1_FOR_LEGACY_USE_ONLY, MESSAGE).as_ref(),
            )
            .unwrap();
        let sha384 = Pkcs1v15Sign::new::<sha2::Sha384>();
        for (h, sig, unsupported_in) in [
            (H::Sha1, sha1_sig, &[][..]),
            (H::Sha256, rsa_pkcs1_sign::<Sha256>(&key.key), &[]),
            (H::Sha512, rsa_pkcs1_sign::<sha2::Sha512>(&key.key), &[]),
            // aws-lc-rs has SHA-384 only for 2048 bits and up.
            (
                H::Sha384,
                key.key
                    .sign(sha384, digest::digest(&SHA384, MESSAGE).as_ref())
                    .unwrap(),
                &["aws-lc-rs"],
            ),
        ] {
            let signed = Signed {
                alg: SignatureAlgorithm::RsaPkcs1(h),
                spki: key.spki.clone(),
                sig,
            };
            check(&signed, &other.spki, unsupported_in);
        }
        // PSS: 2048 bits and up only.
        let signed = Signed {
            alg: SignatureAlgorithm::RsaPss {
                hash: H::Sha256,
                mgf1_hash: H::Sha256,
                salt_len: 32,
            },
            spki: key.spki.clone(),
            sig: rsa_pss_sign::<Sha256>(&key.key, 32),
        };
        check(&signed, &other.spki, &["aws-lc-rs"]);
    }

    #[test]
    fn rsa_signed_by_rustcrypto_verifies_in_aws_lc() {
        let (key, other) = (rsa_key(2048, 0), rsa_key(2048, 1));
        let signed = Signed {
            alg: SignatureAlgorithm::RsaPkcs1(H::Sha256),
            spki: key.spki.clone(),
            sig: rsa_pkcs1_sign::<Sha256>(&key.key),
        };
        check(&signed, &other.spki, &[]);
        for (salt_len, unsupported_in) in [(32, &[][..]), (0, &["aws-lc-rs"]), (20, &["aws-lc-rs"])]
        {
            let signed = Signed {
                alg: SignatureAlgorithm::RsaPss {
                    hash: H::Sha256,
                    mgf1_hash: H::Sha256,
                    salt_len,
                },
                spki: key.spki.clone(),
                sig: rsa_pss_sign::<Sha256>(&key.key, salt_len as usize),
            };
            check(&signed, &other.spki, unsupported_in);
        }
        let signed = Signed {
            alg: SignatureAlgorithm::RsaPkcs1(H::Sha224),
            spki: key.spki.clone(),
            sig: rsa_pkcs1_sign::<sha2::Sha224>(&key.key),
        };
        check(&signed, &other.spki, &["aws-lc-rs"]);
    }

    #[test]
    fn ecdsa_p256_with_any_hash() {
        let (key, spki) = p256_key(5);
        let other = p256_key(6).1;
        for (h, digest_alg, unsupported_in) in [
            (H::Sha1, &SHA1_FOR_LEGACY_USE_ONLY, &[][..]),
            (H::Sha224, &SHA224, &["aws-lc-rs"]),
            (H::Sha256, &digest::SHA256, &[]),
            (H::Sha384, &SHA384, &[]),
            (H::Sha512, &SHA512, &[]),
        ] {
            let signed = Signed {
                alg: SignatureAlgorithm::Ecdsa(h),
                spki: spki.clone(),
                sig: p256_sign(&key, digest::digest(digest_alg, MESSAGE).as_ref()),
            };
            check(&signed, &other, unsupported_in);
        }
    }

    #[test]
    fn parameter_ranges_are_the_documented_ones() {
        let hashes = [
            Hash::Sha1,
            Hash::Sha224,
            Hash::Sha256,
            Hash::Sha384,
            Hash::Sha512,
        ];
        for h in hashes {
            if let Some(params) = rsa_pkcs1(h) {
                let min = if h == Hash::Sha384 { 2048 } else { 1024 };
                assert_eq!(params.min_modulus_len(), min, "{params:?}");
                assert_eq!(params.max_modulus_len(), 8192, "{params:?}");
            }
            if let Some(params) = rsa_pss(h) {
                assert_eq!(params.min_modulus_len(), 2048, "{params:?}");
                assert_eq!(params.max_modulus_len(), 8192, "{params:?}");
            }
        }
    }
}
