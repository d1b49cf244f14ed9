//! The configuration-profile reader: `formats::read_profile` and `formats::load` on XML or
//! binary plists, bare or CMS-signed, the password (for PKCS#12 payloads) picked by the first
//! byte. Invariant: no panic, no unbounded work; both readers agree (`sectrust_fuzz::mobileconfig`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = sectrust_fuzz::mobileconfig(data);
});
