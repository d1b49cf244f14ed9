//! The PEM and multi-certificate loaders: `Certificate::from_pem_bundle`, `from_pem`,
//! `from_bytes` and `formats::load`. Invariant: no panic; `from_pem` succeeds exactly on a
//! one-certificate bundle; every certificate read round-trips (`sectrust_fuzz::pem_bundle`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = sectrust_fuzz::pem_bundle(data);
});
