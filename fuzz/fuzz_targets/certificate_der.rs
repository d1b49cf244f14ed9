//! `Certificate::from_der` on arbitrary bytes. On success every accessor is read (names,
//! extensions, SAN, key, validity, Display/Debug) and the certificate round-trips through its
//! DER and PEM. Invariant: no panic, and those facts hold (`sectrust_fuzz::certificate_der`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = sectrust_fuzz::certificate_der(data);
});
