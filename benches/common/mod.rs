//! What the benches share: an iteration counter, so `benches/instructions.sh` can divide the
//! instructions callgrind collects in criterion's timing loop by the iterations run (counting
//! calls of a function in the profile is not reliable: callgrind mistakes some jumps for calls).

#[allow(dead_code, reason = "each bench uses what it needs")]
pub mod interleaved;

use std::sync::atomic::{AtomicU64, Ordering};

static ITERATIONS: AtomicU64 = AtomicU64::new(0);

/// `f`, counting its calls: pass this to `Bencher::iter`.
pub fn counted<T>(mut f: impl FnMut() -> T) -> impl FnMut() -> T {
    move || {
        ITERATIONS.fetch_add(1, Ordering::Relaxed);
        f()
    }
}

/// Prints the iterations counted to stderr when `BENCH_ITERATIONS` is set (the script sets it).
pub fn report_iterations() {
    if std::env::var_os("BENCH_ITERATIONS").is_some() {
        eprintln!("bench iterations: {}", ITERATIONS.load(Ordering::Relaxed));
    }
}
