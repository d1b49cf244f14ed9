//! The no-argument demo: basic X.509 on a generated PKI (root → intermediate → leaf, from
//! `sectrust::testing`), the root as app anchor, under a few platform profiles.
//!
//! The output is deterministic: the fixtures use fixed keys and dates, and the verify time is
//! derived from the generated leaf (the midnight at or below the middle of its validity),
//! so the demo does not depend on the clock or on the fixtures' exact dates.

use std::io::{self, Write};

use sectrust::testing::{CertBuilder, Pki};
use sectrust::{BasicX509, Certificate, Platform, TrustEvaluator};

use crate::rfc3339;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// Prints the demo (about 30 lines).
pub fn run(out: &mut impl Write) -> io::Result<()> {
    let pki = Pki::new();
    let (root, intermediate, leaf) = (&pki.root.cert, &pki.intermediate.cert, &pki.leaf.cert);
    let t = verify_time(leaf.not_before(), leaf.not_after());
    let expired = CertBuilder::new("CN=Expired Leaf")
        .issued_by(&pki.intermediate)
        .validity(
            &rfc3339::format(t - 200 * DAY),
            &rfc3339::format(t - 100 * DAY),
        )
        .build()
        .cert;
    let with_intermediate = std::slice::from_ref(intermediate);
    let mut demo = Demo { out, root, t };
    demo.line(&format!(
        "demo — basic X.509, generated root → intermediate → leaf, root as app anchor, at {}",
        rfc3339::format(t)
    ))?;
    demo.line("1. a good chain: trusted (Unspecified) on iOS 13 and on macOS 10.7")?;
    demo.show(Platform::ios(13, 0), leaf, with_intermediate)?;
    demo.show(Platform::macos(10, 7), leaf, with_intermediate)?;
    demo.line("2. an expired leaf: TemporalValidity on iOS 13, ValidLeaf on iOS 12")?;
    demo.show(Platform::ios(13, 0), &expired, with_intermediate)?;
    demo.show(Platform::ios(12, 0), &expired, with_intermediate)?;
    demo.line("3. the intermediate not supplied: MissingIntermediate (-25318)")?;
    demo.show(Platform::ios(13, 0), leaf, &[])
}

/// Where the demo writes, what it anchors on, and when it evaluates.
struct Demo<'a, W> {
    out: &'a mut W,
    root: &'a Certificate,
    t: i64,
}

impl<W: Write> Demo<'_, W> {
    /// A line of text.
    fn line(&mut self, text: &str) -> io::Result<()> {
        writeln!(self.out, "{text}")
    }

    /// Evaluates `leaf` under `platform` and prints the verdict.
    fn show(
        &mut self,
        platform: Platform,
        leaf: &Certificate,
        intermediates: &[Certificate],
    ) -> io::Result<()> {
        let evaluator = TrustEvaluator::builder()
            .platform(platform)
            .anchors([self.root.clone()])
            .verify_time_unix(self.t)
            .build();
        match evaluator.evaluate(leaf, intermediates, &[&BasicX509]) {
            Ok(verdict) => write!(self.out, "{verdict}"),
            Err(e) => writeln!(self.out, "{platform}: cannot evaluate: {e}"),
        }
    }
}

/// The midnight at or below the middle of a validity period (never before its start).
fn verify_time(not_before: i64, not_after: i64) -> i64 {
    let middle = not_before / 2 + not_after / 2;
    (middle.div_euclid(DAY) * DAY).max(not_before)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_time_is_a_midnight_inside_the_validity() {
        let from = rfc3339::parse("2019-01-01T00:00:00Z").unwrap();
        let to = rfc3339::parse("2021-01-01T00:00:00Z").unwrap();
        assert_eq!(
            rfc3339::format(verify_time(from, to)),
            "2020-01-01T00:00:00Z"
        );
        let from = rfc3339::parse("2019-01-01T12:00:00Z").unwrap();
        assert_eq!(
            verify_time(from, from + 3600),
            from,
            "never before notBefore"
        );
        assert_eq!(verify_time(i64::MIN, i64::MAX), -DAY, "no overflow");
    }
}
