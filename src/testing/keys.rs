//! Deterministic key pairs and the signatures the fixtures make with them.
//!
//! Every key is derived from a `u64` seed through ChaCha20, so the same calls give the same
//! keys, certificates and fingerprints on every run. ECDSA signs with RFC 6979 nonces, RSA
//! PKCS#1 v1.5 is deterministic by construction, and RSA-PSS salts come from a ChaCha20 stream
//! seeded by the message: every signature is reproducible too.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use const_oid::ObjectIdentifier;
use ecdsa::signature::hazmat::PrehashSigner;
use ed25519_dalek::Signer as _;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{Rng as _, SeedableRng};
use rsa::pkcs8::EncodePublicKey as _;
use rsa::traits::PublicKeyParts as _;
use rsa::{Pkcs1v15Sign, PrivateKey as RsaPrivateKey};
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

use super::asn1::{bit_string, ctx, null, oid, seq, uint};
use super::md5::md5;
use crate::crypto::{HashAlgorithm, SignatureAlgorithm};

/// Generated RSA keys by (bits, seed); each slot is filled once.
type RsaCache = HashMap<(usize, u64), Arc<OnceLock<KeyPair>>>;

/// RSA modulus sizes [`KeyPair::rsa`] generates.
const RSA_SIZES: [usize; 5] = [512, 1024, 2048, 3072, 4096];

/// A deterministic key pair for test certificates (cheap to clone: the key is shared).
///
/// ```
/// use sectrust::testing::KeyPair;
///
/// let a = KeyPair::p256(7);
/// assert_eq!(a.spki_der(), KeyPair::p256(7).spki_der());
/// assert_ne!(a.spki_der(), KeyPair::p256(8).spki_der());
/// ```
#[derive(Clone)]
pub struct KeyPair {
    inner: Arc<Inner>,
    label: String,
}

enum Inner {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    Rsa(RsaPrivateKey),
    Ed25519(ed25519_dalek::SigningKey),
}

impl KeyPair {
    /// A P-256 (secp256r1) key derived from `seed`.
    pub fn p256(seed: u64) -> Self {
        let key = from_seed(seed, 32, |b| p256::ecdsa::SigningKey::from_slice(b).ok());
        Self::new(Inner::P256(key), format!("p256({seed})"))
    }

    /// A P-384 (secp384r1) key derived from `seed`.
    pub fn p384(seed: u64) -> Self {
        let key = from_seed(seed, 48, |b| p384::ecdsa::SigningKey::from_slice(b).ok());
        Self::new(Inner::P384(key), format!("p384({seed})"))
    }

    /// An Ed25519 key derived from `seed`.
    pub fn ed25519(seed: u64) -> Self {
        let key = from_seed(seed, 32, |b| {
            b.try_into().ok().map(ed25519_dalek::SigningKey::from_bytes)
        });
        Self::new(Inner::Ed25519(key), format!("ed25519({seed})"))
    }

    /// An RSA key (public exponent 65537) of `bits` bits derived from `seed`.
    ///
    /// `bits` is 512, 1024, 2048, 3072 or 4096; any other size is rounded up to the next of
    /// those (4096 at most). Generation is slow, so keys are cached for the whole process: the
    /// first `rsa(4096, _)` of a test run takes about a second, later ones are free. 512-bit keys
    /// exist for WeakKeySize tests; they are too small to sign with SHA-384/512 or PSS (see
    /// [`KeyPair::sign`]).
    pub fn rsa(bits: usize, seed: u64) -> Self {
        let bits = RSA_SIZES
            .iter()
            .copied()
            .find(|&size| size >= bits)
            .unwrap_or(RSA_SIZES[RSA_SIZES.len() - 1]);
        static CACHE: OnceLock<Mutex<RsaCache>> = OnceLock::new();
        let slot = {
            let mut cache = CACHE
                .get_or_init(Default::default)
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            Arc::clone(cache.entry((bits, seed)).or_default())
        };
        // Generated outside the map lock: other sizes and seeds are not held up, and two
        // threads asking for the same key wait for one generation.
        slot.get_or_init(|| {
            let mut rng = ChaCha20Rng::seed_from_u64(seed);
            let key = RsaPrivateKey::new_unchecked(&mut rng, bits)
                .expect("testing: RSA generation from a ChaCha20 stream cannot fail");
            Self::new(Inner::Rsa(key), format!("rsa({bits}, {seed})"))
        })
        .clone()
    }

    fn new(inner: Inner, label: String) -> Self {
        KeyPair {
            inner: Arc::new(inner),
            label,
        }
    }

    /// The DER SubjectPublicKeyInfo.
    pub fn spki_der(&self) -> Vec<u8> {
        match &*self.inner {
            Inner::P256(_) => ec_spki(P256_OID, &self.public_key_bits()),
            Inner::P384(_) => ec_spki(P384_OID, &self.public_key_bits()),
            Inner::Rsa(key) => key
                .to_public_key()
                .to_public_key_der()
                .expect("testing: RSA public key encoding cannot fail")
                .to_vec(),
            Inner::Ed25519(_) => seq(&[
                seq(&[oid(&ED25519_OID)]),
                bit_string(&self.public_key_bits()),
            ]),
        }
    }

    /// The subjectPublicKey bits (the BIT STRING's content, without the unused-bits octet).
    pub fn public_key_bits(&self) -> Vec<u8> {
        match &*self.inner {
            Inner::P256(key) => key.verifying_key().to_sec1_point(false).as_bytes().to_vec(),
            Inner::P384(key) => key.verifying_key().to_sec1_point(false).as_bytes().to_vec(),
            Inner::Rsa(key) => {
                use rsa::pkcs1::EncodeRsaPublicKey as _;
                key.to_public_key()
                    .to_pkcs1_der()
                    .expect("testing: RSA public key encoding cannot fail")
                    .to_vec()
            }
            Inner::Ed25519(key) => key.verifying_key().as_bytes().to_vec(),
        }
    }

    /// The RFC 5280 §4.2.1.2 method (1) key identifier: SHA-1 of the subjectPublicKey bits.
    /// The builder's default subjectKeyIdentifier, and its issuer's, is this value.
    pub fn key_id(&self) -> Vec<u8> {
        Sha1::digest(self.public_key_bits()).to_vec()
    }

    /// Key size in bits: the RSA modulus length, the curve size, 256 for Ed25519.
    pub fn bits(&self) -> u32 {
        match &*self.inner {
            Inner::P256(_) | Inner::Ed25519(_) => 256,
            Inner::P384(_) => 384,
            Inner::Rsa(key) => key.n().bit_width(),
        }
    }

    /// Whether this is an RSA key.
    pub fn is_rsa(&self) -> bool {
        matches!(&*self.inner, Inner::Rsa(_))
    }

    /// The signature algorithm this key signs with for `hash` (`pss` selects RSASSA-PSS with
    /// MGF1 over the same hash and a salt as long as the hash; ignored for non-RSA keys).
    ///
    /// Ed25519 ignores `hash`. ECDSA has no MD2/MD4/MD5 identifiers, so an EC key asked for
    /// one of those claims `mdXWithRSAEncryption` and makes a garbage signature: the
    /// certificate is still readable and WeakSignature applies, which is what such tests want.
    pub fn signature_algorithm(&self, hash: HashAlgorithm, pss: bool) -> SignatureAlgorithm {
        match &*self.inner {
            Inner::Rsa(_) if pss => SignatureAlgorithm::RsaPss {
                hash,
                mgf1_hash: hash,
                salt_len: hash_len(hash) as u32,
            },
            Inner::Rsa(_) => SignatureAlgorithm::RsaPkcs1(hash),
            Inner::P256(_) | Inner::P384(_) if hash.is_broken() => {
                SignatureAlgorithm::RsaPkcs1(hash)
            }
            Inner::P256(_) | Inner::P384(_) => SignatureAlgorithm::Ecdsa(hash),
            Inner::Ed25519(_) => SignatureAlgorithm::Ed25519,
        }
    }

    /// Signs `message` under `algorithm` and returns the signature as it goes in the
    /// certificate's BIT STRING (ECDSA: the DER `Ecdsa-Sig-Value`).
    ///
    /// When the key cannot make that signature — the algorithm is for another key type, the
    /// hash is MD2 or MD4 (no implementation here), the RSA key is too small for the hash or
    /// PSS, or the algorithm is DSA, Ed448 or unknown — the result is deterministic garbage of a
    /// plausible length (the modulus length for RSA keys), i.e. a well-formed certificate whose
    /// signature does not verify. MD2/MD4 "signatures" are a real RSA operation over a digest
    /// field that is not the MD2/MD4 digest: Apple never verifies those (`apple-trust.md §2`).
    /// MD5 signatures are genuine.
    pub fn sign(&self, algorithm: &SignatureAlgorithm, message: &[u8]) -> Vec<u8> {
        self.try_sign(algorithm, message)
            .unwrap_or_else(|| garbage(message, self.signature_len()))
    }

    fn try_sign(&self, algorithm: &SignatureAlgorithm, message: &[u8]) -> Option<Vec<u8>> {
        match (&*self.inner, algorithm) {
            (Inner::Rsa(key), SignatureAlgorithm::RsaPkcs1(hash)) => {
                let digest = digest(*hash, message)
                    .unwrap_or_else(|| Sha256::digest(message)[..16].to_vec());
                let digest_info = seq(&[
                    seq(&[oid(&hash_oid(*hash)), null()]),
                    super::asn1::octets(&digest),
                ]);
                key.sign(Pkcs1v15Sign::new_unprefixed(), &digest_info).ok()
            }
            (
                Inner::Rsa(key),
                SignatureAlgorithm::RsaPss {
                    hash,
                    mgf1_hash,
                    salt_len,
                },
            ) if hash == mgf1_hash => {
                let salt_len = *salt_len as usize;
                let mut rng = ChaCha20Rng::from_seed(Sha256::digest(message).into());
                match hash {
                    HashAlgorithm::Sha1 => pss::<Sha1>(key, &mut rng, message, salt_len),
                    HashAlgorithm::Sha224 => pss::<Sha224>(key, &mut rng, message, salt_len),
                    HashAlgorithm::Sha256 => pss::<Sha256>(key, &mut rng, message, salt_len),
                    HashAlgorithm::Sha384 => pss::<Sha384>(key, &mut rng, message, salt_len),
                    HashAlgorithm::Sha512 => pss::<Sha512>(key, &mut rng, message, salt_len),
                    HashAlgorithm::Md2 | HashAlgorithm::Md4 | HashAlgorithm::Md5 => None,
                }
            }
            (Inner::P256(key), SignatureAlgorithm::Ecdsa(hash)) => {
                let prehash = digest(*hash, message)?;
                let sig: p256::ecdsa::Signature = key.sign_prehash(&prehash).ok()?;
                Some(sig.to_der().as_bytes().to_vec())
            }
            (Inner::P384(key), SignatureAlgorithm::Ecdsa(hash)) => {
                let prehash = digest(*hash, message)?;
                let sig: p384::ecdsa::Signature = key.sign_prehash(&prehash).ok()?;
                Some(sig.to_der().as_bytes().to_vec())
            }
            (Inner::Ed25519(key), SignatureAlgorithm::Ed25519) => {
                Some(key.sign(message).to_bytes().to_vec())
            }
            _ => None,
        }
    }

    /// A plausible signature length for garbage signatures.
    fn signature_len(&self) -> usize {
        match &*self.inner {
            Inner::Rsa(key) => key.size(),
            Inner::P256(_) => 72,
            Inner::P384(_) => 104,
            Inner::Ed25519(_) => 64,
        }
    }
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyPair::{}", self.label)
    }
}

impl PartialEq for KeyPair {
    /// Keys are equal when their public keys are.
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner) || self.spki_der() == other.spki_der()
    }
}

impl Eq for KeyPair {}

/// The DER AlgorithmIdentifier for `algorithm`, as the builder writes it (RSA PKCS#1 v1.5 with
/// NULL parameters; ECDSA, EdDSA and DSA without parameters; PSS with RFC 4055 parameters,
/// defaults omitted). MD-family ECDSA is written as `mdXWithRSAEncryption` (see
/// [`KeyPair::signature_algorithm`]); an unknown OID is written without parameters.
pub fn algorithm_identifier_der(algorithm: &SignatureAlgorithm) -> Vec<u8> {
    use HashAlgorithm as H;
    let rsa = |n: u32| ObjectIdentifier::new_unwrap("1.2.840.113549.1.1").push_arc(n);
    let pkcs1 = |h: &HashAlgorithm| -> ObjectIdentifier {
        let arc = match h {
            H::Md2 => 2,
            H::Md4 => 3,
            H::Md5 => 4,
            H::Sha1 => 5,
            H::Sha256 => 11,
            H::Sha384 => 12,
            H::Sha512 => 13,
            H::Sha224 => 14,
        };
        rsa(arc).expect("testing: valid OID arc")
    };
    match algorithm {
        SignatureAlgorithm::RsaPkcs1(h) => seq(&[oid(&pkcs1(h)), null()]),
        SignatureAlgorithm::Ecdsa(h) if h.is_broken() => seq(&[oid(&pkcs1(h)), null()]),
        SignatureAlgorithm::Ecdsa(h) => {
            let id = match h {
                H::Sha1 => "1.2.840.10045.4.1",
                H::Sha224 => "1.2.840.10045.4.3.1",
                H::Sha384 => "1.2.840.10045.4.3.3",
                H::Sha512 => "1.2.840.10045.4.3.4",
                _ => "1.2.840.10045.4.3.2",
            };
            seq(&[oid(&ObjectIdentifier::new_unwrap(id))])
        }
        SignatureAlgorithm::RsaPss {
            hash,
            mgf1_hash,
            salt_len,
        } => {
            // RSASSA-PSS-params (RFC 4055 §3.1): SHA-1, MGF1-SHA-1 and 20 are the defaults.
            let hash_id = |h: &HashAlgorithm| seq(&[oid(&hash_oid(*h)), null()]);
            let mut params = Vec::new();
            if *hash != H::Sha1 {
                params.push(ctx(0, true, &hash_id(hash)));
            }
            if *mgf1_hash != H::Sha1 {
                let mgf1 = seq(&[oid(&MGF1_OID), hash_id(mgf1_hash)]);
                params.push(ctx(1, true, &mgf1));
            }
            if *salt_len != 20 {
                params.push(ctx(2, true, &uint(u64::from(*salt_len))));
            }
            seq(&[oid(&rsa(10).expect("testing: valid OID arc")), seq(&params)])
        }
        SignatureAlgorithm::Ed25519 => seq(&[oid(&ED25519_OID)]),
        SignatureAlgorithm::Ed448 => seq(&[oid(&ObjectIdentifier::new_unwrap("1.3.101.113"))]),
        SignatureAlgorithm::Dsa(h) => {
            let id = match h {
                H::Sha224 => "2.16.840.1.101.3.4.3.1",
                H::Sha256 => "2.16.840.1.101.3.4.3.2",
                H::Sha384 => "2.16.840.1.101.3.4.3.3",
                H::Sha512 => "2.16.840.1.101.3.4.3.4",
                _ => "1.2.840.10040.4.3",
            };
            seq(&[oid(&ObjectIdentifier::new_unwrap(id))])
        }
        SignatureAlgorithm::Unknown(id) => seq(&[oid(id)]),
    }
}

const P256_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const EC_PUBLIC_KEY_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ED25519_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const MGF1_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8");

/// A private key from `len`-byte candidates of the ChaCha20 stream seeded with `seed`: the first
/// candidate `make` accepts (EC scalars out of range, probability ~2^-32, are skipped).
fn from_seed<T>(seed: u64, len: usize, make: impl Fn(&[u8]) -> Option<T>) -> T {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut candidate = vec![0u8; len];
    loop {
        rng.fill_bytes(&mut candidate);
        if let Some(key) = make(&candidate) {
            return key;
        }
    }
}

/// SubjectPublicKeyInfo for an EC point on a named curve.
fn ec_spki(curve: ObjectIdentifier, point: &[u8]) -> Vec<u8> {
    seq(&[
        seq(&[oid(&EC_PUBLIC_KEY_OID), oid(&curve)]),
        bit_string(point),
    ])
}

/// The digest algorithm's own OID (DigestInfo, PSS parameters).
fn hash_oid(hash: HashAlgorithm) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(match hash {
        HashAlgorithm::Md2 => "1.2.840.113549.2.2",
        HashAlgorithm::Md4 => "1.2.840.113549.2.4",
        HashAlgorithm::Md5 => "1.2.840.113549.2.5",
        HashAlgorithm::Sha1 => "1.3.14.3.2.26",
        HashAlgorithm::Sha224 => "2.16.840.1.101.3.4.2.4",
        HashAlgorithm::Sha256 => "2.16.840.1.101.3.4.2.1",
        HashAlgorithm::Sha384 => "2.16.840.1.101.3.4.2.2",
        HashAlgorithm::Sha512 => "2.16.840.1.101.3.4.2.3",
    })
}

/// Digest output length in bytes.
fn hash_len(hash: HashAlgorithm) -> usize {
    match hash {
        HashAlgorithm::Md2 | HashAlgorithm::Md4 | HashAlgorithm::Md5 => 16,
        HashAlgorithm::Sha1 => 20,
        HashAlgorithm::Sha224 => 28,
        HashAlgorithm::Sha256 => 32,
        HashAlgorithm::Sha384 => 48,
        HashAlgorithm::Sha512 => 64,
    }
}

/// `hash(message)`; `None` for MD2 and MD4, which are not implemented.
fn digest(hash: HashAlgorithm, message: &[u8]) -> Option<Vec<u8>> {
    Some(match hash {
        HashAlgorithm::Md2 | HashAlgorithm::Md4 => return None,
        HashAlgorithm::Md5 => md5(message).to_vec(),
        HashAlgorithm::Sha1 => Sha1::digest(message).to_vec(),
        HashAlgorithm::Sha224 => Sha224::digest(message).to_vec(),
        HashAlgorithm::Sha256 => Sha256::digest(message).to_vec(),
        HashAlgorithm::Sha384 => Sha384::digest(message).to_vec(),
        HashAlgorithm::Sha512 => Sha512::digest(message).to_vec(),
    })
}

/// RSASSA-PSS with MGF1 over `D` and the given salt length.
fn pss<D: Digest + sha2::digest::FixedOutputReset>(
    key: &RsaPrivateKey,
    rng: &mut ChaCha20Rng,
    message: &[u8],
    salt_len: usize,
) -> Option<Vec<u8>> {
    let hashed = D::digest(message);
    key.sign_with_rng(rng, rsa::pss::Pss::<D>::new_with_salt(salt_len), &hashed)
        .ok()
}

/// `len` deterministic bytes derived from `message`: SHA-256 in counter mode.
fn garbage(message: &[u8], len: usize) -> Vec<u8> {
    let seed = Sha256::digest(message);
    let mut out = Vec::with_capacity(len + 32);
    let mut counter = 0u32;
    while out.len() < len {
        let mut h = Sha256::new();
        h.update(seed);
        h.update(counter.to_be_bytes());
        out.extend_from_slice(&h.finalize());
        counter += 1;
    }
    out.truncate(len);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::{Decode as _, Encode as _};
    use ecdsa::signature::Verifier as _;
    use rsa::pkcs8::DecodePublicKey as _;

    const MSG: &[u8] = b"to be signed";

    #[test]
    fn keys_are_deterministic_per_seed() {
        for (a, b, c) in [
            (KeyPair::p256(1), KeyPair::p256(1), KeyPair::p256(2)),
            (KeyPair::p384(1), KeyPair::p384(1), KeyPair::p384(2)),
            (
                KeyPair::ed25519(1),
                KeyPair::ed25519(1),
                KeyPair::ed25519(2),
            ),
            (
                KeyPair::rsa(1024, 1),
                KeyPair::rsa(1024, 1),
                KeyPair::rsa(1024, 2),
            ),
        ] {
            assert_eq!(a.spki_der(), b.spki_der(), "{a:?}");
            assert_ne!(a.spki_der(), c.spki_der(), "{a:?}");
            assert_eq!(a, b);
        }
    }

    #[test]
    fn spki_is_well_formed_for_every_key_type() {
        for (key, bits) in [
            (KeyPair::p256(1), 256),
            (KeyPair::p384(1), 384),
            (KeyPair::ed25519(1), 256),
            (KeyPair::rsa(512, 1), 512),
            (KeyPair::rsa(1024, 1), 1024),
        ] {
            let spki = spki::SubjectPublicKeyInfoOwned::from_der(&key.spki_der())
                .unwrap_or_else(|e| panic!("{key:?}: {e}"));
            assert_eq!(spki.subject_public_key.raw_bytes(), key.public_key_bits());
            assert_eq!(key.bits(), bits, "{key:?}");
            assert_eq!(key.key_id().len(), 20);
        }
    }

    #[test]
    fn rsa_sizes_round_up_and_are_cached() {
        let a = KeyPair::rsa(1000, 9);
        assert_eq!(a.bits(), 1024);
        assert!(Arc::ptr_eq(&a.inner, &KeyPair::rsa(1024, 9).inner));
        assert!(a.is_rsa());
    }

    #[test]
    fn ecdsa_signatures_verify_and_are_deterministic() {
        let key = KeyPair::p256(3);
        let verifying = p256::ecdsa::VerifyingKey::from_public_key_der(&key.spki_der()).unwrap();
        for hash in [
            HashAlgorithm::Sha1,
            HashAlgorithm::Sha256,
            HashAlgorithm::Sha384,
        ] {
            let alg = key.signature_algorithm(hash, false);
            assert_eq!(alg, SignatureAlgorithm::Ecdsa(hash));
            let sig = key.sign(&alg, MSG);
            assert_eq!(sig, key.sign(&alg, MSG), "RFC 6979 is deterministic");
            let sig = p256::ecdsa::Signature::from_der(&sig).unwrap();
            let prehash = digest(hash, MSG).unwrap();
            use ecdsa::signature::hazmat::PrehashVerifier as _;
            verifying.verify_prehash(&prehash, &sig).unwrap();
        }
        let key = KeyPair::p384(3);
        let verifying = p384::ecdsa::VerifyingKey::from_public_key_der(&key.spki_der()).unwrap();
        let sig = key.sign(&SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha384), MSG);
        verifying
            .verify(MSG, &p384::ecdsa::Signature::from_der(&sig).unwrap())
            .unwrap();
    }

    #[test]
    fn rsa_pkcs1_signatures_verify() {
        let key = KeyPair::rsa(1024, 4);
        let public = rsa::PublicKey::from_public_key_der(&key.spki_der()).unwrap();
        for hash in [
            HashAlgorithm::Sha1,
            HashAlgorithm::Sha256,
            HashAlgorithm::Sha384,
            HashAlgorithm::Sha512,
        ] {
            let sig = key.sign(&SignatureAlgorithm::RsaPkcs1(hash), MSG);
            assert_eq!(sig.len(), 128);
            let result = match hash {
                HashAlgorithm::Sha1 => public.pkcs1v15_verify::<Sha1>(MSG, &sig),
                HashAlgorithm::Sha256 => public.pkcs1v15_verify::<Sha256>(MSG, &sig),
                HashAlgorithm::Sha384 => public.pkcs1v15_verify::<Sha384>(MSG, &sig),
                _ => public.pkcs1v15_verify::<Sha512>(MSG, &sig),
            };
            result.unwrap_or_else(|e| panic!("{hash:?}: {e}"));
        }
    }

    #[test]
    fn rsa_md5_signature_is_genuine() {
        let key = KeyPair::rsa(1024, 4);
        let public = rsa::PublicKey::from_public_key_der(&key.spki_der()).unwrap();
        let sig = key.sign(&SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Md5), MSG);
        let prefix = [
            0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05,
            0x05, 0x00, 0x04, 0x10,
        ];
        let scheme = Pkcs1v15Sign {
            hash_len: Some(16),
            prefix: Box::new(prefix),
        };
        public.verify(scheme, &md5(MSG), &sig).unwrap();
    }

    #[test]
    fn rsa_pss_signatures_verify_and_are_deterministic() {
        let key = KeyPair::rsa(1024, 4);
        let public = rsa::PublicKey::from_public_key_der(&key.spki_der()).unwrap();
        let alg = key.signature_algorithm(HashAlgorithm::Sha256, true);
        let sig = key.sign(&alg, MSG);
        assert_eq!(sig, key.sign(&alg, MSG));
        public.pss_verify::<Sha256>(MSG, &sig).unwrap();
    }

    #[test]
    fn ed25519_signatures_verify() {
        let key = KeyPair::ed25519(5);
        let alg = key.signature_algorithm(HashAlgorithm::Sha1, false);
        assert_eq!(alg, SignatureAlgorithm::Ed25519);
        let sig = key.sign(&alg, MSG);
        let spki = spki::SubjectPublicKeyInfoOwned::from_der(&key.spki_der()).unwrap();
        let public = ed25519_dalek::VerifyingKey::from_bytes(
            spki.subject_public_key.raw_bytes().try_into().unwrap(),
        )
        .unwrap();
        let sig = ed25519_dalek::Signature::from_slice(&sig).unwrap();
        public.verify(MSG, &sig).unwrap();
    }

    #[test]
    fn impossible_signatures_are_deterministic_garbage() {
        let rsa512 = KeyPair::rsa(512, 1);
        let sha512 = SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha512);
        let sig = rsa512.sign(&sha512, MSG);
        assert_eq!(sig.len(), 64);
        assert_eq!(sig, rsa512.sign(&sha512, MSG));
        // A mismatched algorithm still yields bytes.
        assert_eq!(KeyPair::p256(1).sign(&sha512, MSG).len(), 72);
        // An EC key asked for MD5 claims the RSA identifier.
        assert_eq!(
            KeyPair::p256(1).signature_algorithm(HashAlgorithm::Md5, false),
            SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Md5)
        );
    }

    #[test]
    fn algorithm_identifiers_decode() {
        use spki::AlgorithmIdentifierOwned as Alg;
        let cases = [
            (
                SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256),
                "1.2.840.113549.1.1.11",
                true,
            ),
            (
                SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Md5),
                "1.2.840.113549.1.1.4",
                true,
            ),
            (
                SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256),
                "1.2.840.10045.4.3.2",
                false,
            ),
            (
                SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha1),
                "1.2.840.10045.4.1",
                false,
            ),
            (SignatureAlgorithm::Ed25519, "1.3.101.112", false),
        ];
        for (alg, id, has_params) in cases {
            let decoded = Alg::from_der(&algorithm_identifier_der(&alg)).unwrap();
            assert_eq!(decoded.oid, ObjectIdentifier::new_unwrap(id), "{alg}");
            assert_eq!(decoded.parameters.is_some(), has_params, "{alg}");
        }
        // PSS with SHA-256 matches the rsa crate's own encoding of the same parameters.
        let ours = algorithm_identifier_der(
            &KeyPair::rsa(1024, 1).signature_algorithm(HashAlgorithm::Sha256, true),
        );
        let theirs = rsa::pss::get_default_pss_signature_algo_id::<Sha256>()
            .unwrap()
            .to_der()
            .unwrap();
        assert_eq!(ours, theirs);
    }
}
