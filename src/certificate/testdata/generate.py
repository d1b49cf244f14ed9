"""Regenerates the unit-test certificates of src/certificate (python3 + `cryptography`).

Keys are fresh on every run, so the outputs differ byte for byte; tests only rely on the
structure written here.
"""
import datetime, ipaddress
from cryptography import x509
from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID, AuthorityInformationAccessOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

def t(y, m, d):
    return datetime.datetime(y, m, d, tzinfo=datetime.timezone.utc)

root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
root_name = x509.Name([
    x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Org"),
    x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Roots"),
    x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Test  Unit"),
])
root = (x509.CertificateBuilder()
    .subject_name(root_name).issuer_name(root_name)
    .public_key(root_key.public_key()).serial_number(0x1234)
    .not_valid_before(t(2020, 1, 1)).not_valid_after(t(2040, 1, 1))
    .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
    .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
    .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
    .add_extension(x509.NameConstraints(
        permitted_subtrees=[x509.DNSName("example.com"), x509.IPAddress(ipaddress.ip_network("192.0.2.0/24"))],
        excluded_subtrees=[x509.DirectoryName(x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "ZZ")]))]),
        critical=True)
    .sign(root_key, hashes.SHA256()))

leaf_key = ec.generate_private_key(ec.SECP256R1())
leaf = (x509.CertificateBuilder()
    .subject_name(x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example, Inc."),
        x509.NameAttribute(NameOID.COMMON_NAME, "leaf.example.com"),
        x509.NameAttribute(x509.ObjectIdentifier("2.5.4.13"), "test leaf"),
    ]))
    .issuer_name(root_name)
    .public_key(leaf_key.public_key()).serial_number(0x00ABCDEF)
    .not_valid_before(t(2024, 1, 1)).not_valid_after(t(2025, 1, 1))
    .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    .add_extension(x509.KeyUsage(True, False, True, False, False, False, False, False, False), critical=True)
    .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
    .add_extension(x509.SubjectAlternativeName([
        x509.DNSName("leaf.example.com"), x509.DNSName("*.leaf.example.com"),
        x509.RFC822Name("admin@example.com"), x509.IPAddress(ipaddress.ip_address("192.0.2.1"))]), critical=False)
    .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
    .add_extension(x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier("2.23.140.1.2.1"), ["https://cps.example.com"])]), critical=False)
    .add_extension(x509.AuthorityInformationAccess([
        x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier("http://ocsp.example.com")),
        x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier("http://ca.example.com/root.cer"))]), critical=False)
    .add_extension(x509.UnrecognizedExtension(x509.ObjectIdentifier("1.2.3.4.5"), b"\x05\x00"), critical=True)
    .sign(root_key, hashes.SHA256()))

open("root.pem", "wb").write(root.public_bytes(serialization.Encoding.PEM))
open("leaf.pem", "wb").write(leaf.public_bytes(serialization.Encoding.PEM))
