//! The PKCS#12 reader: `formats::read_pkcs12` and `formats::load`, the password picked by the
//! first byte (none, empty, "password", "pässwörd"). Invariant: no panic, no unbounded
//! work; both readers agree on the identity (`sectrust_fuzz::pkcs12`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = sectrust_fuzz::pkcs12(data);
});
