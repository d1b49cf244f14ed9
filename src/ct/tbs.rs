//! The two things CT needs from a leaf's TBSCertificate: its embedded SCT list, and the
//! precertificate TBS the log signed (RFC 6962 §3.1–3.2).
//!
//! The precertificate TBS is the leaf's TBS without the SCT-list extension. That is
//! necessarily a re-encoding, done as Apple's `SecCertificateCopyPrecertTBS` does it: every
//! field and every other extension is copied byte for byte (as raw DER elements), and only the
//! lengths of the extensions SEQUENCE, its `[3]` wrapper and the TBS SEQUENCE are recomputed.
//! (x509-cert 0.3's `TbsCertificate` has no setters and would re-encode names and times, so
//! the fields stay `der::AnyRef`s; each extension is read with `x509_cert::ext::Extension`.)
//!
//! Out of scope: a precertificate issued by a Precertificate Signing Certificate (RFC 6962
//! §3.1) carries that certificate's issuer name and AKI, not the final issuer's; the log signed
//! over those, so such SCTs do not verify here (Apple's engine does not rewrite them either).

use der::asn1::AnyRef;
use der::{Decode, Encode, Reader, SliceReader, Tag, TagNumber, Tagged};
use x509_cert::ext::Extension;

use super::sct::SCT_LIST_OID;

/// The `[3] EXPLICIT Extensions` tag of a TBSCertificate.
const EXTENSIONS_TAG: Tag = Tag::ContextSpecific {
    constructed: true,
    number: TagNumber(3),
};

/// The raw top-level elements of a TBSCertificate.
fn fields(tbs_der: &[u8]) -> der::Result<Vec<AnyRef<'_>>> {
    let tbs = AnyRef::from_der(tbs_der)?;
    tbs.tag().assert_eq(Tag::Sequence)?;
    elements(tbs.value())
}

/// The DER elements concatenated in `content`.
fn elements(content: &[u8]) -> der::Result<Vec<AnyRef<'_>>> {
    let mut reader = SliceReader::new(content)?;
    let mut out = Vec::new();
    while !reader.is_finished() {
        out.push(AnyRef::decode(&mut reader)?);
    }
    Ok(out)
}

/// Every extension: the raw element and its decoded form.
fn extensions<'a>(fields: &[AnyRef<'a>]) -> der::Result<Vec<(AnyRef<'a>, Extension)>> {
    let Some(wrapper) = fields.iter().find(|f| f.tag() == EXTENSIONS_TAG) else {
        return Ok(Vec::new());
    };
    let list = AnyRef::from_der(wrapper.value())?;
    list.tag().assert_eq(Tag::Sequence)?;
    elements(list.value())?
        .into_iter()
        .map(|raw| Ok((raw, Extension::from_der(&raw.to_der()?)?)))
        .collect()
}

/// The `extnValue` contents of the leaf's SCT-list extension (the first one), if any.
pub(crate) fn embedded_sct_extension(tbs_der: &[u8]) -> der::Result<Option<Vec<u8>>> {
    let fields = fields(tbs_der)?;
    Ok(extensions(&fields)?
        .into_iter()
        .find(|(_, e)| e.extn_id == SCT_LIST_OID)
        .map(|(_, e)| e.extn_value.as_bytes().to_vec()))
}

/// The precertificate TBS: `tbs_der` with every SCT-list extension removed.
///
/// When the SCT list was the only extension, an empty extensions SEQUENCE remains, as in
/// Apple's rebuild (a real precertificate would have held the poison extension there).
pub fn precert_tbs(tbs_der: &[u8]) -> der::Result<Vec<u8>> {
    let fields = fields(tbs_der)?;
    let kept: Vec<AnyRef<'_>> = extensions(&fields)?
        .into_iter()
        .filter(|(_, e)| e.extn_id != SCT_LIST_OID)
        .map(|(raw, _)| raw)
        .collect();
    let ext_seq = encode(Tag::Sequence, &kept)?;
    let wrapper = AnyRef::new(EXTENSIONS_TAG, &ext_seq)?;
    let rebuilt: Vec<AnyRef<'_>> = fields
        .into_iter()
        .map(|f| {
            if f.tag() == EXTENSIONS_TAG {
                wrapper
            } else {
                f
            }
        })
        .collect();
    encode(Tag::Sequence, &rebuilt)
}

/// `tag { elements… }` in DER.
fn encode(tag: Tag, elements: &[AnyRef<'_>]) -> der::Result<Vec<u8>> {
    let mut content = Vec::new();
    for e in elements {
        e.encode_to_vec(&mut content)?;
    }
    AnyRef::new(tag, &content)?.to_der()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::ct::{TestLog, sct_extension_value, with_embedded_scts};
    use crate::testing::{CertBuilder, Pki};
    use const_oid::ObjectIdentifier;

    /// An extension no parser knows, under the documentation enterprise number (RFC 5612).
    const OTHER: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.32473.1");

    fn log(seed: u64) -> TestLog {
        TestLog::new(100 + seed, super::super::LogState::Usable { since: 0 })
    }

    /// The rebuild equals the same certificate built without the SCT list (the TBS the logs
    /// signed), and only the leaf holds the list.
    #[test]
    fn rebuild_equals_the_certificate_built_without_the_sct_list() {
        let pki = Pki::new();
        let (a, b) = (log(1), log(2));
        let at = Pki::T_VALID;
        let (leaf, precert) = with_embedded_scts(pki.leaf_builder(), &[(&a, at), (&b, at)]);
        assert_ne!(leaf.cert.tbs_der(), precert.cert.tbs_der());
        assert_eq!(
            precert_tbs(leaf.cert.tbs_der()).unwrap(),
            precert.cert.tbs_der()
        );
        let value = embedded_sct_extension(leaf.cert.tbs_der())
            .unwrap()
            .unwrap();
        assert!(value.starts_with(&[0x04]), "an OCTET STRING");
        assert_eq!(
            embedded_sct_extension(precert.cert.tbs_der()).unwrap(),
            None
        );
    }

    #[test]
    fn removes_the_sct_list_between_other_extensions() {
        let pki = Pki::new();
        let other = sct_extension_value(b"opaque");
        let leaf = pki
            .leaf_builder()
            .extension(SCT_LIST_OID, false, sct_extension_value(&[0, 0]))
            .extension(OTHER, false, other.clone())
            .build();
        let pre = pki.leaf_builder().extension(OTHER, false, other).build();
        assert_eq!(
            precert_tbs(leaf.cert.tbs_der()).unwrap(),
            pre.cert.tbs_der()
        );
    }

    #[test]
    fn lengths_are_recomputed_across_length_forms() {
        // A 70,000-byte list gives the leaf's TBS 3-byte lengths; the precertificate's need 2.
        let pki = Pki::new();
        let big = sct_extension_value(&vec![0x5a; 70_000]);
        let leaf = pki
            .leaf_builder()
            .extension(SCT_LIST_OID, false, big)
            .build();
        assert_eq!(&leaf.cert.tbs_der()[..2], [0x30, 0x83]);
        let pre = pki.leaf.cert.tbs_der();
        assert_eq!(&pre[..2], [0x30, 0x82]);
        assert_eq!(precert_tbs(leaf.cert.tbs_der()).unwrap(), pre);
    }

    #[test]
    fn every_occurrence_is_removed_and_an_empty_list_stays() {
        // No SKI/AKI and nothing else: the SCT lists are the only extensions.
        let bare = || CertBuilder::new("CN=Bare").no_ski();
        let twice = bare()
            .extension(SCT_LIST_OID, false, sct_extension_value(&[0, 0]))
            .extension(SCT_LIST_OID, false, sct_extension_value(&[0, 0]))
            .build_der()
            .0;
        let twice = crate::Certificate::from_der(&twice).unwrap();
        let pre = precert_tbs(twice.tbs_der()).unwrap();
        let without = bare().build();
        // Everything but the extensions as in the certificate without any; `[3] { SEQUENCE {} }`.
        let mut expected = fields(without.cert.tbs_der()).unwrap();
        let empty = [0x30, 0x00];
        expected.push(AnyRef::new(EXTENSIONS_TAG, &empty).unwrap());
        assert_eq!(pre, encode(Tag::Sequence, &expected).unwrap());
    }

    #[test]
    fn a_tbs_without_extensions_is_unchanged() {
        let bare = CertBuilder::new("CN=Bare").no_ski().build();
        assert!(bare.cert.extensions().list.is_empty());
        let tbs = bare.cert.tbs_der();
        assert_eq!(precert_tbs(tbs).unwrap(), tbs);
    }

    #[test]
    fn malformed_input_is_an_error() {
        let pki = Pki::new();
        let leaf = pki
            .leaf_builder()
            .extension(SCT_LIST_OID, false, sct_extension_value(&[0, 0]))
            .build();
        let tbs = leaf.cert.tbs_der();
        for cut in [0, 1, 5, tbs.len() - 1] {
            assert!(precert_tbs(&tbs[..cut]).is_err(), "cut {cut}");
        }
        let mut trailing = tbs.to_vec();
        trailing.push(0);
        assert!(precert_tbs(&trailing).is_err());
        // An extensions list holding something that is not an Extension.
        let not_an_extension = [0x30, 0x02, 0x05, 0x00];
        let list = encode(
            Tag::Sequence,
            &[AnyRef::from_der(&not_an_extension).unwrap()],
        )
        .unwrap();
        let bad: Vec<AnyRef<'_>> = fields(tbs)
            .unwrap()
            .into_iter()
            .map(|f| {
                if f.tag() == EXTENSIONS_TAG {
                    AnyRef::new(EXTENSIONS_TAG, &list).unwrap()
                } else {
                    f
                }
            })
            .collect();
        let bad = encode(Tag::Sequence, &bad).unwrap();
        assert!(precert_tbs(&bad).is_err());
        assert!(embedded_sct_extension(&bad).is_err());
    }
}
