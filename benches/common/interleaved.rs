//! Interleaved timing of two routines: rounds of a few calls of one, then of the other, so that
//! a shared machine's changing speed (other tenants, frequency) hits both sides alike. Criterion
//! measures its benches one after the other, several seconds each; on this machine that alone
//! moves a ratio by ±15 %.

use std::fmt;
use std::time::Instant;

/// Rounds per comparison and calls per round, for routines of up to a millisecond.
pub const ROUNDS: usize = 300;
pub const CALLS: usize = 20;

/// Two routines compared in interleaved rounds.
pub struct Comparison {
    /// What is compared.
    pub label: String,
    /// Median time per call over the rounds, µs.
    pub median: (f64, f64),
    /// Fastest round's time per call, µs.
    pub min: (f64, f64),
    /// Median of the per-round ratios a / b.
    pub median_ratio: f64,
}

impl Comparison {
    /// The ratio of the fastest rounds: the least disturbed measurement of each side.
    pub fn ratio_of_minimums(&self) -> f64 {
        self.min.0 / self.min.1
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:32} median {:9.2} µs / {:9.2} µs, fastest {:9.2} µs / {:9.2} µs, \
             ratio: median {:.3}, of fastest {:.3}",
            self.label,
            self.median.0,
            self.median.1,
            self.min.0,
            self.min.1,
            self.median_ratio,
            self.ratio_of_minimums()
        )
    }
}

/// Times `a` and `b` in [`ROUNDS`] alternating rounds of [`CALLS`] calls.
pub fn compare(label: impl Into<String>, a: impl FnMut(), b: impl FnMut()) -> Comparison {
    compare_with(label, ROUNDS, CALLS, a, b)
}

/// Times `a` and `b` in `rounds` alternating rounds of `calls` calls (after a warm-up round of
/// each); times are per call.
pub fn compare_with(
    label: impl Into<String>,
    rounds: usize,
    calls: usize,
    mut a: impl FnMut(),
    mut b: impl FnMut(),
) -> Comparison {
    let round = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        for _ in 0..calls {
            f();
        }
        start.elapsed().as_secs_f64() * 1e6 / calls as f64
    };
    round(&mut a);
    round(&mut b);
    let (mut ta, mut tb, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds.max(1) {
        let x = round(&mut a);
        let y = round(&mut b);
        ta.push(x);
        tb.push(y);
        ratios.push(x / y);
    }
    Comparison {
        label: label.into(),
        median: (median(&mut ta), median(&mut tb)),
        min: (minimum(&ta), minimum(&tb)),
        median_ratio: median(&mut ratios),
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn minimum(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}
