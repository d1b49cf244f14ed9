//! What both backends share: matching a signature algorithm with the key in a DER
//! SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) and deciding what to verify, without copying.
//!
//! The order of the checks fixes which error wins: an algorithm that is never verified
//! (MD2/MD4/MD5, DSA, Ed448, unknown) is `Unsupported` whatever the key; then a malformed SPKI or
//! a key of the wrong family is `BadKey`; then a curve or parameter the backends lack is
//! `Unsupported`.

use ::spki::SubjectPublicKeyInfoRef;
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912::{
    ID_EC_PUBLIC_KEY, ID_RSASSA_PSS, RSA_ENCRYPTION, SECP_256_R_1, SECP_384_R_1, SECP_521_R_1,
};
use const_oid::db::rfc8410::{ID_ED_448, ID_ED_25519};
use der::{Decode, Tag, Tagged};

use super::{HashAlgorithm, SignatureAlgorithm, SignatureError};

/// A digest the backends verify with (the broken ones never get this far).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hash {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    /// `None` for MD2/MD4/MD5.
    fn new(hash: HashAlgorithm) -> Option<Self> {
        match hash {
            HashAlgorithm::Md2 | HashAlgorithm::Md4 | HashAlgorithm::Md5 => None,
            HashAlgorithm::Sha1 => Some(Hash::Sha1),
            HashAlgorithm::Sha224 => Some(Hash::Sha224),
            HashAlgorithm::Sha256 => Some(Hash::Sha256),
            HashAlgorithm::Sha384 => Some(Hash::Sha384),
            HashAlgorithm::Sha512 => Some(Hash::Sha512),
        }
    }

    /// Output length in bytes.
    pub(crate) const fn len(self) -> usize {
        match self {
            Hash::Sha1 => 20,
            Hash::Sha224 => 28,
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }
}

/// Runs `$body` with the type alias `$d` bound to the digest for `$hash` (a [`Hash`], in scope
/// at the call site).
#[cfg(any(feature = "rustcrypto", feature = "formats"))]
macro_rules! with_digest {
    ($hash:expr, |$d:ident| $body:expr) => {
        match $hash {
            Hash::Sha1 => {
                type $d = sha1::Sha1;
                $body
            }
            Hash::Sha224 => {
                type $d = sha2::Sha224;
                $body
            }
            Hash::Sha256 => {
                type $d = sha2::Sha256;
                $body
            }
            Hash::Sha384 => {
                type $d = sha2::Sha384;
                $body
            }
            Hash::Sha512 => {
                type $d = sha2::Sha512;
                $body
            }
        }
    };
}
#[cfg(any(feature = "rustcrypto", feature = "formats"))]
pub(crate) use with_digest;

/// A NIST curve named in an id-ecPublicKey SPKI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Curve {
    P256,
    P384,
    P521,
}

/// One verification to perform, borrowing the key from the SPKI.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Job<'a> {
    /// RSASSA-PKCS1-v1_5; `key` is the DER RSAPublicKey.
    RsaPkcs1 { hash: Hash, key: &'a [u8] },
    /// RSASSA-PSS with MGF1 over `hash` (the only MGF1 hash either backend does).
    RsaPss {
        hash: Hash,
        salt_len: u32,
        key: &'a [u8],
    },
    /// ECDSA; `point` is the SEC1 point, the signature a DER ECDSA-Sig-Value.
    Ecdsa {
        hash: Hash,
        curve: Curve,
        point: &'a [u8],
    },
    /// Ed25519 (RFC 8032 pure mode).
    Ed25519 { key: &'a [u8; 32] },
}

/// The key in an SPKI, by algorithm family.
enum Key<'a> {
    Rsa {
        key: &'a [u8],
        pss_only: bool,
    },
    /// `curve` is `None` for named curves we lack and for explicit (specifiedCurve) parameters.
    Ec {
        curve: Option<Curve>,
        point: &'a [u8],
    },
    Ed25519(&'a [u8]),
    Other(ObjectIdentifier),
}

impl<'a> Job<'a> {
    /// Decides what to verify for `algorithm` with the key in `spki`.
    pub(crate) fn new(
        algorithm: &SignatureAlgorithm,
        spki: &'a [u8],
    ) -> Result<Self, SignatureError> {
        let unsupported = || Err(SignatureError::Unsupported(algorithm.to_string()));
        let hash = match algorithm {
            SignatureAlgorithm::RsaPkcs1(h) | SignatureAlgorithm::Ecdsa(h) => match Hash::new(*h) {
                Some(hash) => hash,
                None => return unsupported(),
            },
            SignatureAlgorithm::RsaPss {
                hash, mgf1_hash, ..
            } => match Hash::new(*hash) {
                Some(h) if mgf1_hash == hash => h,
                _ => return unsupported(),
            },
            SignatureAlgorithm::Ed25519 => Hash::Sha512,
            SignatureAlgorithm::Ed448
            | SignatureAlgorithm::Dsa(_)
            | SignatureAlgorithm::Unknown(_) => {
                return unsupported();
            }
        };
        let key = Key::parse(spki)?;
        match (algorithm, key) {
            (
                SignatureAlgorithm::RsaPkcs1(_),
                Key::Rsa {
                    key,
                    pss_only: false,
                },
            ) => Ok(Job::RsaPkcs1 { hash, key }),
            (SignatureAlgorithm::RsaPss { salt_len, .. }, Key::Rsa { key, .. }) => {
                Ok(Job::RsaPss {
                    hash,
                    salt_len: *salt_len,
                    key,
                })
            }
            (
                SignatureAlgorithm::Ecdsa(_),
                Key::Ec {
                    curve: Some(curve),
                    point,
                },
            ) => Ok(Job::Ecdsa { hash, curve, point }),
            (SignatureAlgorithm::Ecdsa(_), Key::Ec { curve: None, .. }) => {
                Err(SignatureError::Unsupported(
                    "EC key on a curve other than P-256, P-384 or P-521".into(),
                ))
            }
            (SignatureAlgorithm::Ed25519, Key::Ed25519(key)) => {
                key.try_into().map(|key| Job::Ed25519 { key }).map_err(|_| {
                    SignatureError::BadKey(format!("Ed25519 key of {} bytes, not 32", key.len()))
                })
            }
            (_, key) => Err(SignatureError::BadKey(format!(
                "{} key for {algorithm}",
                key.family()
            ))),
        }
    }
}

impl<'a> Key<'a> {
    /// Splits the SPKI; `BadKey` when it is not DER or its key bits have unused bits.
    fn parse(spki: &'a [u8]) -> Result<Self, SignatureError> {
        let spki = SubjectPublicKeyInfoRef::from_der(spki)
            .map_err(|e| SignatureError::BadKey(format!("SubjectPublicKeyInfo: {e}")))?;
        let bits = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| SignatureError::BadKey("subjectPublicKey has unused bits".into()))?;
        let oid = spki.algorithm.oid;
        Ok(if oid == RSA_ENCRYPTION || oid == ID_RSASSA_PSS {
            // Parameters (NULL, or id-RSASSA-PSS restrictions) are not enforced.
            Key::Rsa {
                key: bits,
                pss_only: oid == ID_RSASSA_PSS,
            }
        } else if oid == ID_EC_PUBLIC_KEY {
            let params = spki
                .algorithm
                .parameters
                .ok_or_else(|| SignatureError::BadKey("EC key without curve parameters".into()))?;
            let curve = match params.tag() {
                Tag::ObjectIdentifier => {
                    let named = params
                        .decode_as::<ObjectIdentifier>()
                        .map_err(|e| SignatureError::BadKey(format!("EC namedCurve: {e}")))?;
                    [
                        (SECP_256_R_1, Curve::P256),
                        (SECP_384_R_1, Curve::P384),
                        (SECP_521_R_1, Curve::P521),
                    ]
                    .into_iter()
                    .find_map(|(oid, curve)| (oid == named).then_some(curve))
                }
                Tag::Sequence => None,
                _ => {
                    return Err(SignatureError::BadKey(
                        "EC key with malformed curve parameters".into(),
                    ));
                }
            };
            Key::Ec { curve, point: bits }
        } else if oid == ID_ED_25519 {
            Key::Ed25519(bits)
        } else {
            Key::Other(oid)
        })
    }

    /// Names the family for error messages.
    fn family(&self) -> String {
        match self {
            Key::Rsa {
                pss_only: false, ..
            } => "RSA".into(),
            Key::Rsa { pss_only: true, .. } => "RSASSA-PSS".into(),
            Key::Ec { .. } => "EC".into(),
            Key::Ed25519(_) => "Ed25519".into(),
            Key::Other(oid) if *oid == ID_ED_448 => "Ed448".into(),
            Key::Other(oid) => format!("{oid}"),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use ::spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
    use der::Encode;
    use der::asn1::{AnyRef, BitStringRef};

    /// DER SPKI with algorithm `oid`, optional parameters DER, and key bits.
    pub(crate) fn spki(oid: ObjectIdentifier, params: Option<&[u8]>, bits: &[u8]) -> Vec<u8> {
        SubjectPublicKeyInfoRef {
            algorithm: AlgorithmIdentifierRef {
                oid,
                parameters: params.map(|p| AnyRef::try_from(p).unwrap()),
            },
            subject_public_key: BitStringRef::from_bytes(bits).unwrap(),
        }
        .to_der()
        .unwrap()
    }

    /// DER SPKI for an EC point on the named curve `curve`.
    pub(crate) fn ec_spki(curve: ObjectIdentifier, point: &[u8]) -> Vec<u8> {
        spki(ID_EC_PUBLIC_KEY, Some(&curve.to_der().unwrap()), point)
    }

    fn err(alg: SignatureAlgorithm, spki: &[u8]) -> SignatureError {
        Job::new(&alg, spki).unwrap_err()
    }

    const NULL: &[u8] = &[5, 0];

    #[test]
    fn broken_and_unknown_algorithms_are_unsupported_whatever_the_key() {
        for alg in [
            SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Md5),
            SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Md2),
            SignatureAlgorithm::Ecdsa(HashAlgorithm::Md4),
            SignatureAlgorithm::Dsa(HashAlgorithm::Sha256),
            SignatureAlgorithm::Ed448,
            SignatureAlgorithm::Unknown(ObjectIdentifier::new_unwrap("1.2.3.4")),
            SignatureAlgorithm::RsaPss {
                hash: HashAlgorithm::Sha256,
                mgf1_hash: HashAlgorithm::Sha1,
                salt_len: 32,
            },
            SignatureAlgorithm::RsaPss {
                hash: HashAlgorithm::Md5,
                mgf1_hash: HashAlgorithm::Md5,
                salt_len: 16,
            },
        ] {
            assert!(
                matches!(err(alg.clone(), b"garbage"), SignatureError::Unsupported(_)),
                "{alg}"
            );
        }
    }

    #[test]
    fn malformed_spki_is_bad_key() {
        let rsa = SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256);
        for bad in [
            &b""[..],
            b"\x30",
            b"\x30\x00",
            b"\x30\x80\x00\x00",
            &[0xff; 300],
        ] {
            assert!(matches!(err(rsa.clone(), bad), SignatureError::BadKey(_)));
        }
        // Trailing data after the SPKI.
        let mut der = spki(RSA_ENCRYPTION, Some(NULL), b"\x30\x00");
        der.push(0);
        assert!(matches!(err(rsa.clone(), &der), SignatureError::BadKey(_)));
        // Unused bits in the key BIT STRING.
        let der = SubjectPublicKeyInfoRef {
            algorithm: AlgorithmIdentifierRef {
                oid: RSA_ENCRYPTION,
                parameters: None,
            },
            subject_public_key: BitStringRef::new(1, &[0x80]).unwrap(),
        }
        .to_der()
        .unwrap();
        assert!(matches!(err(rsa, &der), SignatureError::BadKey(_)));
    }

    #[test]
    fn key_family_must_match() {
        let rsa = spki(RSA_ENCRYPTION, Some(NULL), b"key");
        let pss = spki(ID_RSASSA_PSS, None, b"key");
        let ec = ec_spki(SECP_256_R_1, b"point");
        let ed = spki(ID_ED_25519, None, &[9; 32]);
        let ed448 = spki(ID_ED_448, None, &[9; 57]);
        let pkcs1 = SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256);
        let rsa_pss = SignatureAlgorithm::RsaPss {
            hash: HashAlgorithm::Sha256,
            mgf1_hash: HashAlgorithm::Sha256,
            salt_len: 32,
        };
        let ecdsa = SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha384);
        let ed25519 = SignatureAlgorithm::Ed25519;
        for (alg, key) in [
            (&pkcs1, &ec),
            (&pkcs1, &ed),
            (&pkcs1, &pss),
            (&rsa_pss, &ec),
            (&ecdsa, &rsa),
            (&ecdsa, &ed),
            (&ed25519, &rsa),
            (&ed25519, &ec),
            (&ed25519, &ed448),
        ] {
            assert!(
                matches!(err(alg.clone(), key), SignatureError::BadKey(_)),
                "{alg}"
            );
        }
        assert!(matches!(
            Job::new(&pkcs1, &rsa),
            Ok(Job::RsaPkcs1 {
                hash: Hash::Sha256,
                key: b"key"
            })
        ));
        assert!(matches!(
            Job::new(&rsa_pss, &pss),
            Ok(Job::RsaPss { salt_len: 32, .. })
        ));
        assert!(matches!(Job::new(&rsa_pss, &rsa), Ok(Job::RsaPss { .. })));
        assert!(matches!(
            Job::new(&ecdsa, &ec),
            Ok(Job::Ecdsa {
                hash: Hash::Sha384,
                curve: Curve::P256,
                point: b"point"
            })
        ));
        assert!(matches!(Job::new(&ed25519, &ed), Ok(Job::Ed25519 { key }) if key == &[9; 32]));
    }

    #[test]
    fn ec_parameters() {
        let ecdsa = SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256);
        let secp256k1 = ObjectIdentifier::new_unwrap("1.3.132.0.10");
        assert!(matches!(
            err(ecdsa.clone(), &ec_spki(secp256k1, b"p")),
            SignatureError::Unsupported(_)
        ));
        let explicit = spki(ID_EC_PUBLIC_KEY, Some(b"\x30\x00"), b"p");
        assert!(matches!(
            err(ecdsa.clone(), &explicit),
            SignatureError::Unsupported(_)
        ));
        for params in [None, Some(NULL), Some(&b"\x06\x00"[..])] {
            let der = spki(ID_EC_PUBLIC_KEY, params, b"p");
            assert!(
                matches!(err(ecdsa.clone(), &der), SignatureError::BadKey(_)),
                "{params:?}"
            );
        }
        for (oid, curve) in [(SECP_384_R_1, Curve::P384), (SECP_521_R_1, Curve::P521)] {
            assert!(
                matches!(Job::new(&ecdsa, &ec_spki(oid, b"p")), Ok(Job::Ecdsa { curve: c, .. }) if c == curve)
            );
        }
    }

    #[test]
    fn ed25519_key_must_be_32_bytes() {
        for len in [0, 31, 33, 1000] {
            let der = spki(ID_ED_25519, None, &vec![1; len]);
            assert!(matches!(
                err(SignatureAlgorithm::Ed25519, &der),
                SignatureError::BadKey(_)
            ));
        }
    }
}
