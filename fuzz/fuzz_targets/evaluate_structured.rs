//! Evaluation over well-formed chains built with `sectrust::testing` from fuzzed parameters
//! (`arbitrary`): names, SAN, EKU, key usage, validity, basic and name constraints, policies,
//! cross-signs and loops (`sectrust_fuzz::structured`). Invariants: those of
//! `evaluate_chain` — no panic, determinism, failures from the check table.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = sectrust_fuzz::structured::evaluate_structured(data);
});
