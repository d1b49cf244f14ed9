//! Platform names on the command line, parsed by the library (`sectrust::Platform`,
//! `sectrust::explain::PlatformSet`); an unknown name's error lists every valid one.

use std::fmt::Write as _;

use sectrust::explain::{PlatformSet, PlatformSetError};
use sectrust::{Os, Platform};

use crate::style::wrap;

/// One profile name (a clap value parser).
pub fn parse_one(name: &str) -> Result<Platform, String> {
    name.parse::<Platform>()
        .map_err(|e| format!("{e}\n{}", valid_names()))
}

/// Profiles, a range, a list or a keyword (`all`, `ios`, `macos`, `majors`, `ios-majors`,
/// `macos-majors`): a clap value parser.
pub fn parse_set(spec: &str) -> Result<PlatformSet, String> {
    spec.parse::<PlatformSet>().map_err(|e| match e {
        PlatformSetError::UnknownPlatform { .. } => format!("{e}\n{}", valid_names()),
        other => other.to_string(),
    })
}

/// Every valid name, per OS, as runs of minor versions (`ios-8.0–8.4`) with the patch
/// profiles of the run (`ios-12.0–12.5 (and 12.1.1)`).
pub fn valid_names() -> String {
    let mut s = format!("valid platform names: latest (= {})", Platform::latest());
    for os in [Os::Ios, Os::Macos] {
        let prefix = if os == Os::Ios { "ios" } else { "macos" };
        // (major, first, last, patch profiles); macOS 10.7–10.15 form one run.
        let mut runs: Vec<(u16, Platform, Platform, Vec<String>)> = Vec::new();
        for p in Platform::all().filter(|p| p.os() == os) {
            let v = p.version();
            match runs.last_mut() {
                Some(run) if run.0 == v.major && v.patch != 0 => run.3.push(v.to_string()),
                Some(run) if run.0 == v.major => run.2 = p,
                _ => runs.push((v.major, p, p, Vec::new())),
            }
        }
        let items: Vec<String> = runs
            .iter()
            .map(|(_, first, last, patches)| span(prefix, *first, *last, patches))
            .collect();
        let _ = write!(s, "\n  {}", wrap(&items.join(", "), 94).join("\n    "));
    }
    let sets = "lists and ranges (--platforms): all, ios, macos, majors, ios-majors, macos-majors, \
                ios-12.0..latest, macos-11.0.., ..ios-9.0, comma-separated";
    let _ = write!(s, "\n  {}", wrap(sets, 94).join("\n    "));
    s
}

/// `ios-8.0–8.4`, `ios-12.0–12.5 (and 12.1.1)`, or `ios-5.0` for a run of one.
fn span(prefix: &str, first: Platform, last: Platform, patches: &[String]) -> String {
    let mut s = if first == last {
        format!("{prefix}-{}", first.version())
    } else {
        format!("{prefix}-{}–{}", first.version(), last.version())
    };
    if !patches.is_empty() {
        s.push_str(&format!(" (and {})", patches.join(", ")));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_names_list_the_valid_ones() {
        let err = parse_one("ios-4.3").unwrap_err();
        for want in [
            "unknown platform \"ios-4.3\"",
            "latest (= ios-26.1)",
            "ios-5.0–5.1",
            "ios-12.0–12.5 (and 12.1.1)",
            "macos-10.7–10.15 (and 10.14.2)",
            "macos-26.0–26.1",
        ] {
            assert!(err.contains(want), "{want}: {err}");
        }
        let err = parse_set("ios-12.0..ios-99.0").unwrap_err();
        assert!(err.contains("ios-8.0–8.4"), "{err}");
        let err = parse_set("ios-14.0..ios-12.0").unwrap_err();
        assert!(err.contains("runs backwards") && !err.contains("valid platform names"));
    }

    #[test]
    fn sets_come_from_the_library() {
        let set = parse_set("ios-12.0..latest").unwrap();
        assert_eq!(set.iter().next(), Some(Platform::ios(12, 0)));
        assert_eq!(set.iter().last(), Some(Platform::latest()));
        assert_eq!(parse_set("all").unwrap().len(), Platform::all().count());
        let majors = parse_set("ios-majors,latest").unwrap();
        assert_eq!(majors.iter().next(), Some(Platform::ios(5, 0)));
    }
}
