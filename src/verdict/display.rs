//! `Display` for [`Verdict`]: a diagnostic a person can read.

use std::fmt;

use super::{AnchorKind, Verdict};

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = if self.is_trusted() {
            "trusted"
        } else {
            "NOT trusted"
        };
        writeln!(
            f,
            "{}: {} ({}) — {status}",
            self.platform,
            self.result,
            self.result.value()
        )?;
        let anchor = match self.anchor {
            AnchorKind::App => "app anchor",
            AnchorKind::User => "user/admin trust setting",
            AnchorKind::System => "system store",
            AnchorKind::None => "no trusted anchor",
        };
        writeln!(f, "chain ({anchor}):")?;
        for (i, cert) in self.chain.iter().enumerate() {
            write!(f, "  [{i}] {cert}")?;
            let failed: Vec<String> = self
                .failures_at(i)
                .map(|x| match x.value {
                    Some(v) => format!("{}={v} ({})", x.check, x.os_status),
                    None => format!("{} ({})", x.check, x.os_status),
                })
                .collect();
            if !failed.is_empty() {
                write!(f, "  ✗ {}", failed.join(", "))?;
            }
            writeln!(f)?;
        }
        if let Some(e) = &self.error {
            writeln!(f, "error: {e}")?;
            writeln!(f, "       {}", e.underlying)?;
        }
        for s in &self.suppressed {
            writeln!(
                f,
                "suppressed: [{}] {} ({:?})",
                s.failure.cert_index, s.failure.check, s.reason
            )?;
        }
        for n in &self.notes {
            writeln!(f, "note: {n}")?;
        }
        Ok(())
    }
}
