//! Evaluation over chains cut from the input (length-prefixed DER: leaf, intermediates,
//! anchors; layout in `sectrust_fuzz::chain`) under basic X.509, SSL server and S/MIME on one
//! of five platforms. Invariant: no panic; two evaluations give equal verdicts; every failure's
//! OSStatus and subtype come from the check table; trusted exactly when nothing failed
//! (`sectrust_fuzz::chain::check_verdict`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = sectrust_fuzz::chain::evaluate_chain(data);
});
