//! Shared by the backends' tests: every enabled backend, signers from the RustCrypto crates the
//! `testing` feature brings, and the checks each signature must pass on every backend.

use std::sync::OnceLock;

use const_oid::AssociatedOid;
use const_oid::db::rfc5912::{ID_EC_PUBLIC_KEY, ID_RSASSA_PSS, RSA_ENCRYPTION, SECP_256_R_1};
use const_oid::db::rfc8410::ID_ED_25519;
use der::Encode;
use der::asn1::UintRef;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use rsa::pkcs1::{EncodeRsaPublicKey, RsaPublicKey};
use rsa::pkcs8::EncodePublicKey;
use rsa::{Pkcs1v15Sign, PrivateKey, Pss};
use sha2::digest::FixedOutputReset;
use sha2::{Digest, Sha256};

use super::spki::tests::{ec_spki, spki};
use super::{HashAlgorithm, SignatureAlgorithm, SignatureError, SignatureVerifier};

/// The signed message in every test.
pub(crate) const MESSAGE: &[u8] = b"tbsCertificate stand-in";

/// Every backend compiled in, by name.
#[allow(clippy::vec_init_then_push)] // The pushes are feature-gated.
pub(crate) fn backends() -> Vec<(&'static str, &'static dyn SignatureVerifier)> {
    let mut all: Vec<(&'static str, &'static dyn SignatureVerifier)> = Vec::new();
    #[cfg(feature = "aws-lc-rs")]
    all.push(("aws-lc-rs", &super::AwsLcVerifier));
    #[cfg(feature = "rustcrypto")]
    all.push(("rustcrypto", &super::RustCryptoVerifier));
    all
}

/// A signature over [`MESSAGE`].
pub(crate) struct Signed {
    pub(crate) alg: SignatureAlgorithm,
    pub(crate) spki: Vec<u8>,
    pub(crate) sig: Vec<u8>,
}

/// On every backend not in `unsupported_in`: the signature verifies; a flipped bit, another
/// message, an empty or huge signature, or `other_key` (same kind, different key) is `Invalid`;
/// a key of another family is `BadKey`; the same key under MD5 is `Unsupported`. Backends in
/// `unsupported_in` must answer `Unsupported` for the good signature.
pub(crate) fn check(s: &Signed, other_key: &[u8], unsupported_in: &[&str]) {
    for (name, backend) in backends() {
        let verify = |spki: &[u8], msg: &[u8], sig: &[u8]| backend.verify(&s.alg, spki, msg, sig);
        let ctx = format!("{} on {name}", s.alg);
        if unsupported_in.contains(&name) {
            let r = verify(&s.spki, MESSAGE, &s.sig);
            assert!(
                matches!(r, Err(SignatureError::Unsupported(_))),
                "{ctx}: {r:?}"
            );
            continue;
        }
        assert_eq!(verify(&s.spki, MESSAGE, &s.sig), Ok(()), "{ctx}");
        for i in [0, s.sig.len() / 2, s.sig.len() - 1] {
            let mut flipped = s.sig.clone();
            flipped[i] ^= 0x01;
            assert_eq!(
                verify(&s.spki, MESSAGE, &flipped),
                Err(SignatureError::Invalid),
                "{ctx}: byte {i}"
            );
        }
        assert_eq!(
            verify(&s.spki, b"another message", &s.sig),
            Err(SignatureError::Invalid),
            "{ctx}"
        );
        assert_eq!(
            verify(&s.spki, MESSAGE, &[]),
            Err(SignatureError::Invalid),
            "{ctx}"
        );
        assert_eq!(
            verify(&s.spki, MESSAGE, &vec![0x30; 1 << 20]),
            Err(SignatureError::Invalid),
            "{ctx}"
        );
        assert_eq!(
            verify(other_key, MESSAGE, &s.sig),
            Err(SignatureError::Invalid),
            "{ctx}: other key"
        );
        let r = verify(&wrong_family(&s.alg), MESSAGE, &s.sig);
        assert!(
            matches!(r, Err(SignatureError::BadKey(_))),
            "{ctx}: wrong family: {r:?}"
        );
        let r = backend.verify(&md5_twin(&s.alg), &s.spki, MESSAGE, &s.sig);
        assert!(
            matches!(r, Err(SignatureError::Unsupported(_))),
            "{ctx}: MD5: {r:?}"
        );
    }
}

/// A well-formed SPKI of a family that does not fit `alg`.
fn wrong_family(alg: &SignatureAlgorithm) -> Vec<u8> {
    match alg {
        SignatureAlgorithm::RsaPkcs1(_) | SignatureAlgorithm::RsaPss { .. } => {
            p256_key(1).1 // An EC key.
        }
        _ => rsa_key(1024, 0).spki.clone(), // An RSA key.
    }
}

/// The same family with MD5 (Ed25519 has none: RSA-MD5 then).
fn md5_twin(alg: &SignatureAlgorithm) -> SignatureAlgorithm {
    match alg {
        SignatureAlgorithm::Ecdsa(_) => SignatureAlgorithm::Ecdsa(HashAlgorithm::Md5),
        SignatureAlgorithm::RsaPss { .. } => SignatureAlgorithm::RsaPss {
            hash: HashAlgorithm::Md5,
            mgf1_hash: HashAlgorithm::Md5,
            salt_len: 16,
        },
        _ => SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Md5),
    }
}

/// A deterministic RSA key (RustCrypto) and its SPKI.
pub(crate) struct RsaKey {
    pub(crate) key: PrivateKey,
    pub(crate) spki: Vec<u8>,
}

/// RSA key number `n` (0 or 1) of `bits` (1024 or 2048), generated once per test run.
pub(crate) fn rsa_key(bits: usize, n: usize) -> &'static RsaKey {
    static KEYS: [OnceLock<RsaKey>; 4] = [const { OnceLock::new() }; 4];
    let slot = n + if bits == 1024 { 0 } else { 2 };
    KEYS[slot].get_or_init(|| {
        let key = PrivateKey::new(&mut ChaCha20Rng::seed_from_u64(slot as u64), bits).unwrap();
        let spki = key
            .to_public_key()
            .to_public_key_der()
            .unwrap()
            .as_bytes()
            .to_vec();
        RsaKey { key, spki }
    })
}

/// A deterministic P-256 key (RustCrypto) and its SPKI.
pub(crate) fn p256_key(seed: u8) -> (p256::ecdsa::SigningKey, Vec<u8>) {
    let key = p256::ecdsa::SigningKey::from_slice(&[seed; 32]).unwrap();
    let point = key.verifying_key().to_sec1_point(false);
    (key.clone(), ec_spki(SECP_256_R_1, point.as_bytes()))
}

/// A deterministic Ed25519 key (RustCrypto) and its SPKI.
pub(crate) fn ed25519_key(seed: u8) -> (ed25519_dalek::SigningKey, Vec<u8>) {
    let key = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]);
    let spki = spki(ID_ED_25519, None, key.verifying_key().as_bytes());
    (key, spki)
}

/// PKCS#1 v1.5 signature over [`MESSAGE`] with `D` (RustCrypto).
pub(crate) fn rsa_pkcs1_sign<D: Digest + AssociatedOid>(key: &PrivateKey) -> Vec<u8> {
    key.sign(Pkcs1v15Sign::new::<D>(), &D::digest(MESSAGE))
        .unwrap()
}

/// PSS signature over [`MESSAGE`] with `D` and MGF1-`D` (RustCrypto).
pub(crate) fn rsa_pss_sign<D: Digest + FixedOutputReset>(
    key: &PrivateKey,
    salt_len: usize,
) -> Vec<u8> {
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    key.sign_with_rng(
        &mut rng,
        Pss::<D>::new_with_salt(salt_len),
        &D::digest(MESSAGE),
    )
    .unwrap()
}

/// DER SPKI (rsaEncryption) for modulus `n` and exponent `e`, big-endian.
fn rsa_spki(n: &[u8], e: &[u8]) -> Vec<u8> {
    let key = RsaPublicKey {
        modulus: UintRef::new(n).unwrap(),
        public_exponent: UintRef::new(e).unwrap(),
    };
    spki(RSA_ENCRYPTION, Some(&[5, 0]), &key.to_der().unwrap())
}

/// An all-ones (so odd) big-endian integer of exactly `bits` bits.
fn ones(bits: usize) -> Vec<u8> {
    let mut n = vec![0xff; bits.div_ceil(8)];
    if !bits.is_multiple_of(8) {
        n[0] = (1 << (bits % 8)) - 1;
    }
    n
}

#[test]
fn rsa_moduli_outside_1024_to_8192_bits_are_unsupported() {
    let alg = SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256);
    for bits in [512, 1023, 8193, 9000] {
        let n = ones(bits);
        let spki = rsa_spki(&n, &[1, 0, 1]);
        for (name, backend) in backends() {
            let r = backend.verify(&alg, &spki, MESSAGE, &vec![1; n.len()]);
            assert!(
                matches!(r, Err(SignatureError::Unsupported(_))),
                "{bits} bits on {name}: {r:?}"
            );
        }
    }
}

#[test]
fn rsa_signatures_verify_under_an_id_rsassa_pss_key_only_for_pss() {
    let key = &rsa_key(2048, 0).key;
    let der = key.to_public_key().to_pkcs1_der().unwrap();
    let pss_spki = spki(ID_RSASSA_PSS, None, der.as_bytes());
    let pss = SignatureAlgorithm::RsaPss {
        hash: HashAlgorithm::Sha256,
        mgf1_hash: HashAlgorithm::Sha256,
        salt_len: 32,
    };
    let pkcs1 = SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256);
    let (pss_sig, pkcs1_sig) = (
        rsa_pss_sign::<Sha256>(key, 32),
        rsa_pkcs1_sign::<Sha256>(key),
    );
    for (name, backend) in backends() {
        assert_eq!(
            backend.verify(&pss, &pss_spki, MESSAGE, &pss_sig),
            Ok(()),
            "{name}"
        );
        let r = backend.verify(&pkcs1, &pss_spki, MESSAGE, &pkcs1_sig);
        assert!(matches!(r, Err(SignatureError::BadKey(_))), "{name}: {r:?}");
    }
}

/// A small deterministic generator of hostile bytes (xorshift64).
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[test]
fn hostile_keys_and_signatures_never_verify_and_never_panic() {
    let h = HashAlgorithm::Sha256;
    let algs = [
        SignatureAlgorithm::RsaPkcs1(h),
        SignatureAlgorithm::RsaPss {
            hash: h,
            mgf1_hash: h,
            salt_len: 32,
        },
        SignatureAlgorithm::RsaPss {
            hash: h,
            mgf1_hash: h,
            salt_len: u32::MAX,
        },
        SignatureAlgorithm::Ecdsa(h),
        SignatureAlgorithm::Ed25519,
    ];
    let mut keys = vec![
        rsa_spki(&ones(2048), &[1, 0, 1]), // Well-formed; no signature fits it.
        rsa_spki(&ones(2048)[1..], &[1]),  // e = 1.
        rsa_spki(&[&ones(2047)[..], &[0]].concat(), &[3]), // Even modulus.
        rsa_spki(&ones(2048), &ones(64)),  // Huge exponent.
        rsa_spki(&ones(2048), &[0]),       // e = 0.
        ec_spki(SECP_256_R_1, &[4; 65]),   // Not on the curve.
        ec_spki(SECP_256_R_1, &[0]),       // Point at infinity.
        ec_spki(SECP_256_R_1, &[]),
        spki(ID_ED_25519, None, &[0xff; 32]), // Non-canonical y.
    ];
    for len in [0, 1, 33, 65, 97, 133, 270, 1000] {
        for oid in [RSA_ENCRYPTION, ID_RSASSA_PSS, ID_EC_PUBLIC_KEY, ID_ED_25519] {
            keys.push(spki(
                oid,
                Some(&SECP_256_R_1.to_der().unwrap()),
                &noise(len as u64, len),
            ));
        }
        keys.push(ec_spki(
            SECP_256_R_1,
            &[&[4][..], &noise(len as u64 + 1, len)].concat(),
        ));
    }
    let sigs = [
        vec![],
        noise(1, 64),
        noise(2, 256),
        vec![0; 256],
        vec![0x30; 100_000],
        vec![0x30, 0x06, 2, 1, 0, 2, 1, 0], // ECDSA r = s = 0.
    ];
    for (name, backend) in backends() {
        for alg in &algs {
            for key in &keys {
                for sig in &sigs {
                    let r = backend.verify(alg, key, MESSAGE, sig);
                    assert!(r.is_err(), "{alg} on {name} accepted a hostile input");
                }
            }
        }
    }
}
