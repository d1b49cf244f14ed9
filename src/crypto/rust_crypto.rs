//! The RustCrypto backend (pure Rust).
//!
//! What it verifies (everything else is `Unsupported`):
//! - RSASSA-PKCS1-v1_5 with SHA-1/224/256/384/512 and a 1024–8192-bit modulus.
//! - RSASSA-PSS with SHA-1/224/256/384/512, MGF1 over the same hash, any salt length that fits
//!   the modulus, and a 1024–8192-bit modulus.
//! - ECDSA on P-256, P-384 and P-521, each with SHA-1/224/256/384/512.
//! - Ed25519.
//!
//! The RSA range is the same as the aws-lc-rs backend's widest one; RSA public exponents must be
//! odd and at most 2^33 − 1 (as in aws-lc).

use ed25519_dalek::Signature as Ed25519Signature;
use rsa::pkcs1::RsaPublicKeyRef;
use rsa::pss::Pss;
use rsa::{BoxedUint, PublicKey as RsaPublicKey};
use sha2::Digest;
use sha2::digest::FixedOutputReset;
use signature::Verifier;
use signature::hazmat::PrehashVerifier;

use super::spki::{Curve, Hash, Job, with_digest};
use super::{SignatureAlgorithm, SignatureError, SignatureVerifier};
use crate::certificate::Certificate;
use der::Decode;
use std::ops::RangeInclusive;

/// RSA moduli verified, in bits: the same range as aws-lc-rs's widest parameter sets. RSA-1024
/// chains still exist (their size is judged by the key-size checks, not here); 8192 bounds the
/// cost of one verification.
const RSA_BITS: RangeInclusive<usize> = 1024..=8192;

/// Verifies signatures with the RustCrypto crates.
#[derive(Debug, Clone, Copy, Default)]
pub struct RustCryptoVerifier;

/// ECDSA over `$message` hashed with `$hash`, a DER signature, with a decoded key of crate
/// `$curve`.
macro_rules! verify_ecdsa {
    ($curve:ident, $key:expr, $hash:expr, $message:expr, $signature:expr) => {{
        let mut buf = [0; 64];
        let prehash = &mut buf[..$hash.len()];
        with_digest!($hash, |D| prehash.copy_from_slice(&D::digest($message)));
        let signature =
            $curve::ecdsa::Signature::from_der($signature).map_err(|_| SignatureError::Invalid)?;
        $key.verify_prehash(prehash, &signature)
            .map_err(|_| SignatureError::Invalid)
    }};
}

impl SignatureVerifier for RustCryptoVerifier {
    fn verify(
        &self,
        algorithm: &SignatureAlgorithm,
        spki: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        let job = Job::new(algorithm, spki)?;
        verify_with(&job, &DecodedKey::new(&job)?, message, signature)
    }

    /// Keeps the issuer's decoded key on the issuer (an RSA key with its precomputed modulus
    /// arithmetic, a validated EC or Ed25519 point): any algorithm its SPKI allows uses it.
    fn verify_certificate(
        &self,
        child: &Certificate,
        issuer: &Certificate,
    ) -> Result<(), SignatureError> {
        let job = Job::new(child.signature_algorithm(), issuer.spki_der())?;
        let (message, signature) = (child.tbs_der(), child.signature());
        match issuer
            .key_slot()
            .get_or_prepare(|| DecodedKey::new(&job).ok())
        {
            Some(key) => verify_with(&job, key, message, signature),
            None => verify_with(&job, &DecodedKey::new(&job)?, message, signature),
        }
    }
}

/// A public key decoded for verification.
enum DecodedKey {
    Rsa(RsaPublicKey),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    P521(p521::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
}

impl DecodedKey {
    /// Decodes the key `job` verifies with.
    fn new(job: &Job<'_>) -> Result<Self, SignatureError> {
        let not_on_curve = |_| SignatureError::BadKey("EC point is not on the curve".into());
        Ok(match *job {
            Job::RsaPkcs1 { key, .. } | Job::RsaPss { key, .. } => DecodedKey::Rsa(rsa_key(key)?),
            Job::Ecdsa { curve, point, .. } => match curve {
                Curve::P256 => DecodedKey::P256(
                    p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(not_on_curve)?,
                ),
                Curve::P384 => DecodedKey::P384(
                    p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(not_on_curve)?,
                ),
                Curve::P521 => DecodedKey::P521(
                    p521::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(not_on_curve)?,
                ),
            },
            Job::Ed25519 { key } => {
                DecodedKey::Ed25519(ed25519_dalek::VerifyingKey::from_bytes(key).map_err(|_| {
                    SignatureError::BadKey("Ed25519 key is not a curve point".into())
                })?)
            }
        })
    }
}

/// Verifies `job` with `key`, decoded from the same SPKI (so of the family the job needs).
fn verify_with(
    job: &Job<'_>,
    key: &DecodedKey,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    match (*job, key) {
        (Job::RsaPkcs1 { hash, .. }, DecodedKey::Rsa(key)) => with_digest!(hash, |D| key
            .pkcs1v15_verify::<D>(message, signature))
        .map_err(|_| SignatureError::Invalid),
        (Job::RsaPss { hash, salt_len, .. }, DecodedKey::Rsa(key)) => {
            let salt_len = usize::try_from(salt_len).map_err(|_| SignatureError::Invalid)?;
            with_digest!(hash, |D| pss::<D>(key, salt_len, message, signature))
        }
        (Job::Ecdsa { hash, .. }, DecodedKey::P256(key)) => {
            verify_ecdsa!(p256, key, hash, message, signature)
        }
        (Job::Ecdsa { hash, .. }, DecodedKey::P384(key)) => {
            verify_ecdsa!(p384, key, hash, message, signature)
        }
        (Job::Ecdsa { hash, .. }, DecodedKey::P521(key)) => {
            verify_ecdsa!(p521, key, hash, message, signature)
        }
        (Job::Ed25519 { .. }, DecodedKey::Ed25519(key)) => {
            let signature =
                Ed25519Signature::from_slice(signature).map_err(|_| SignatureError::Invalid)?;
            key.verify(message, &signature)
                .map_err(|_| SignatureError::Invalid)
        }
        // Not reached: the SPKI fixes both the job's key family and the decoded key's.
        _ => Err(SignatureError::BadKey(
            "decoded key does not match the algorithm".into(),
        )),
    }
}

/// Decodes a DER RSAPublicKey; sizes outside 1024–8192 bits are `Unsupported`.
fn rsa_key(der: &[u8]) -> Result<RsaPublicKey, SignatureError> {
    let key = RsaPublicKeyRef::from_der(der)
        .map_err(|e| SignatureError::BadKey(format!("RSAPublicKey: {e}")))?;
    let (n, e) = (key.modulus.as_bytes(), key.public_exponent.as_bytes());
    let bits = bit_len(n);
    if !RSA_BITS.contains(&bits) {
        return Err(SignatureError::Unsupported(format!(
            "{bits}-bit RSA key: the RustCrypto backend verifies {}–{} bits",
            RSA_BITS.start(),
            RSA_BITS.end()
        )));
    }
    if bit_len(e) == 0 {
        return Err(SignatureError::BadKey("RSA public exponent is zero".into()));
    }
    RsaPublicKey::new_with_size_limits(
        BoxedUint::from_be_slice_vartime(n),
        BoxedUint::from_be_slice_vartime(e),
        RSA_BITS,
    )
    .map_err(|e| SignatureError::BadKey(format!("RSA key: {e}")))
}

/// Bit length of a big-endian unsigned integer (leading zero bytes allowed).
fn bit_len(be: &[u8]) -> usize {
    match be.iter().position(|&b| b != 0) {
        Some(i) => (be.len() - i - 1) * 8 + (8 - be[i].leading_zeros() as usize),
        None => 0,
    }
}

/// RSASSA-PSS with MGF1 over `D`.
fn pss<D: Digest + FixedOutputReset>(
    key: &RsaPublicKey,
    salt_len: usize,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    key.verify(
        Pss::<D>::new_with_salt(salt_len),
        &D::digest(message),
        signature,
    )
    .map_err(|_| SignatureError::Invalid)
}

#[cfg(test)]
mod tests {
    use const_oid::ObjectIdentifier;
    use const_oid::db::rfc5912::{SECP_256_R_1, SECP_384_R_1, SECP_521_R_1};
    use signature::hazmat::PrehashSigner;

    use super::*;
    use crate::crypto::HashAlgorithm as H;
    use crate::crypto::spki::tests::{ec_spki, spki};
    use crate::crypto::testkit::{
        MESSAGE, Signed, check, ed25519_key, rsa_key, rsa_pkcs1_sign, rsa_pss_sign,
    };

    const HASHES: [(H, Hash); 5] = [
        (H::Sha1, Hash::Sha1),
        (H::Sha224, Hash::Sha224),
        (H::Sha256, Hash::Sha256),
        (H::Sha384, Hash::Sha384),
        (H::Sha512, Hash::Sha512),
    ];

    #[test]
    fn rsa_pkcs1_every_hash_and_size() {
        for bits in [1024, 2048] {
            let (key, other) = (rsa_key(bits, 0), rsa_key(bits, 1));
            for (h, hash) in HASHES {
                let sig = with_digest!(hash, |D| rsa_pkcs1_sign::<D>(&key.key));
                let signed = Signed {
                    alg: SignatureAlgorithm::RsaPkcs1(h),
                    spki: key.spki.clone(),
                    sig,
                };
                // aws-lc-rs lacks SHA-224, and SHA-384 below 2048 bits.
                let aws_lc_gap = h == H::Sha224 || (h == H::Sha384 && bits < 2048);
                check(
                    &signed,
                    &other.spki,
                    if aws_lc_gap { &["aws-lc-rs"] } else { &[] },
                );
            }
        }
    }

    #[test]
    fn rsa_pss_every_hash() {
        let (key, other) = (rsa_key(2048, 0), rsa_key(2048, 1));
        for (h, hash) in HASHES {
            let sig = with_digest!(hash, |D| rsa_pss_sign::<D>(&key.key, hash.len()));
            let signed = Signed {
                alg: SignatureAlgorithm::RsaPss {
                    hash: h,
                    mgf1_hash: h,
                    salt_len: hash.len() as u32,
                },
                spki: key.spki.clone(),
                sig,
            };
            let aws_lc_gap = matches!(h, H::Sha1 | H::Sha224);
            check(
                &signed,
                &other.spki,
                if aws_lc_gap { &["aws-lc-rs"] } else { &[] },
            );
        }
    }

    /// `(spki, DER signature)` over [`MESSAGE`] hashed with `$hash`, from the secret `$secret`.
    macro_rules! ecdsa_signed {
        ($curve:ident, $oid:expr, $secret:expr, $hash:expr) => {{
            let key = $curve::ecdsa::SigningKey::from_slice(&$secret).unwrap();
            let prehash = with_digest!($hash, |D| D::digest(MESSAGE).to_vec());
            let sig: $curve::ecdsa::DerSignature = key.sign_prehash(&prehash).unwrap();
            let point = key.verifying_key().to_sec1_point(false);
            (ec_spki($oid, point.as_bytes()), sig.as_bytes().to_vec())
        }};
    }

    #[test]
    fn ecdsa_every_curve_and_hash() {
        /// P-521 secrets must stay below the group order.
        fn p521_secret(seed: u8) -> [u8; 66] {
            let mut secret = [seed; 66];
            secret[0] = 0;
            secret
        }
        for (h, hash) in HASHES {
            let alg = SignatureAlgorithm::Ecdsa(h);
            let cases = [
                (
                    "P-256",
                    ecdsa_signed!(p256, SECP_256_R_1, [1; 32], hash),
                    ecdsa_signed!(p256, SECP_256_R_1, [2; 32], hash).0,
                ),
                (
                    "P-384",
                    ecdsa_signed!(p384, SECP_384_R_1, [1; 48], hash),
                    ecdsa_signed!(p384, SECP_384_R_1, [2; 48], hash).0,
                ),
                (
                    "P-521",
                    ecdsa_signed!(p521, SECP_521_R_1, p521_secret(1), hash),
                    ecdsa_signed!(p521, SECP_521_R_1, p521_secret(2), hash).0,
                ),
            ];
            for (curve, (spki, sig), other) in cases {
                let aws_lc_gap = matches!(
                    (curve, h),
                    ("P-256" | "P-384", H::Sha224) | ("P-384", H::Sha1)
                );
                let signed = Signed {
                    alg: alg.clone(),
                    spki,
                    sig,
                };
                check(
                    &signed,
                    &other,
                    if aws_lc_gap { &["aws-lc-rs"] } else { &[] },
                );
            }
        }
    }

    #[test]
    fn ed25519_signed_by_dalek() {
        let (key, spki) = ed25519_key(1);
        let sig = signature::Signer::sign(&key, MESSAGE).to_bytes().to_vec();
        let signed = Signed {
            alg: SignatureAlgorithm::Ed25519,
            spki,
            sig,
        };
        check(&signed, &ed25519_key(2).1, &[]);
    }

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_len(&[]), 0);
        assert_eq!(bit_len(&[0, 0]), 0);
        assert_eq!(bit_len(&[1]), 1);
        assert_eq!(bit_len(&[0, 0x80, 0]), 16);
        assert_eq!(bit_len(&[0xff; 128]), 1024);
    }

    #[test]
    fn malformed_keys_are_bad_keys() {
        let rsa_spki = |n: &[u8], e: &[u8]| {
            use der::Encode;
            let key = rsa::pkcs1::RsaPublicKey {
                modulus: der::asn1::UintRef::new(n).unwrap(),
                public_exponent: der::asn1::UintRef::new(e).unwrap(),
            };
            let oid = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
            spki(oid, None, &key.to_der().unwrap())
        };
        let pkcs1 = SignatureAlgorithm::RsaPkcs1(H::Sha256);
        // About half of all y coordinates are not on edwards25519; take the first such.
        let not_a_point = (0..=255u8)
            .map(|y| [&[y][..], &[0; 31]].concat())
            .find(|b| {
                ed25519_dalek::VerifyingKey::from_bytes(b.as_slice().try_into().unwrap()).is_err()
            })
            .unwrap();
        let n = [0xff; 256];
        let even = [&[0xff; 255][..], &[0xfe]].concat();
        for (key, why) in [
            (rsa_spki(&n, &[1]), "e = 1"),
            (rsa_spki(&n, &[0]), "e = 0"),
            (rsa_spki(&n, &[2]), "even e"),
            (rsa_spki(&n, &[1, 0, 0, 0, 0, 1]), "e > 2^33"),
            (rsa_spki(&even, &[3]), "even n"),
            (ec_spki(SECP_384_R_1, &[4; 97]), "EC point off the curve"),
            (
                spki(
                    ObjectIdentifier::new_unwrap("1.3.101.112"),
                    None,
                    &not_a_point,
                ),
                "Ed25519 non-point",
            ),
        ] {
            let alg = match why {
                w if w.starts_with("EC") => SignatureAlgorithm::Ecdsa(H::Sha256),
                w if w.starts_with("Ed") => SignatureAlgorithm::Ed25519,
                _ => pkcs1.clone(),
            };
            let r = RustCryptoVerifier.verify(&alg, &key, MESSAGE, &[0; 256]);
            assert!(matches!(r, Err(SignatureError::BadKey(_))), "{why}: {r:?}");
        }
    }
}
