//! Platform names on the command line: one name (`ios-13.0`, `latest`), a comma list, or a
//! range `FROM..TO` over `Platform::all()` within one OS (`ios-12.0..latest`).
//!
//! Local and simple on purpose: the library's own range type will replace it once it lands.

use sectrust::Platform;

/// One platform name (clap value parser); the error lists the valid forms.
pub fn parse_one(name: &str) -> Result<Platform, String> {
    name.parse::<Platform>().map_err(|e| e.to_string())
}

/// `all`, `majors` (the `.0` of every iOS major release, then latest), a range
/// `FROM..TO` (both ends included, in the OS of `FROM`; `latest` as `TO` means that OS's
/// newest profile), or a comma list of names and ranges. Order: as written, duplicates dropped.
pub fn parse_set(spec: &str) -> Result<Vec<Platform>, String> {
    let mut out: Vec<Platform> = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let some: Vec<Platform> = match part {
            "all" => Platform::all().collect(),
            "majors" => majors(),
            _ => match part.split_once("..") {
                Some((from, to)) => range(from.trim(), to.trim())?,
                None => vec![parse_one(part)?],
            },
        };
        for p in some {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    if out.is_empty() {
        return Err("no platform named: give a name, a comma list or a range FROM..TO".into());
    }
    Ok(out)
}

/// The `.0` release of every iOS major version, oldest first (the default of `scan`).
pub fn majors() -> Vec<Platform> {
    let ios = Platform::latest().os();
    let mut v: Vec<Platform> = Platform::all()
        .filter(|p| p.os() == ios && p.version().minor == 0 && p.version().patch == 0)
        .collect();
    if !v.contains(&Platform::latest()) {
        v.push(Platform::latest());
    }
    v
}

fn range(from: &str, to: &str) -> Result<Vec<Platform>, String> {
    let start = parse_one(from)?;
    let end = if to.eq_ignore_ascii_case("latest") {
        Platform::all()
            .filter(|p| p.os() == start.os())
            .max()
            .expect("every OS has profiles")
    } else {
        parse_one(to)?
    };
    if end.os() != start.os() {
        return Err(format!(
            "range {from}..{to} crosses OSes: a range stays within one OS; list two ranges with a comma"
        ));
    }
    if end < start {
        return Err(format!(
            "range {from}..{to} is empty: write the older release first"
        ));
    }
    Ok(Platform::all()
        .filter(|p| p.os() == start.os() && start <= *p && *p <= end)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_lists_and_keywords() {
        let v = parse_set("ios-12.0..latest").unwrap();
        assert_eq!(v.first(), Some(&Platform::ios(12, 0)));
        assert_eq!(v.last(), Some(&Platform::latest()));
        assert!(v.iter().all(|p| p.os() == Platform::latest().os()));
        let v = parse_set("ios-5.1, macos-10.7,ios-5.1").unwrap();
        assert_eq!(v, [Platform::ios(5, 1), Platform::macos(10, 7)]);
        let v = parse_set("macos-10.15..latest").unwrap();
        assert!(v.last().unwrap().os() == Platform::macos(10, 7).os() && v.len() > 30);
        assert_eq!(majors().first(), Some(&Platform::ios(5, 0)));
        assert_eq!(parse_set("all").unwrap().len(), Platform::all().count());
    }

    #[test]
    fn errors_say_what_to_write() {
        for (spec, want) in [
            ("ios-99.0", "ios-MAJOR.MINOR"),
            ("ios-12.0..macos-14.0", "crosses OSes"),
            ("ios-13.0..ios-12.0", "older release first"),
            (" , ", "no platform named"),
        ] {
            let err = parse_set(spec).unwrap_err();
            assert!(err.contains(want), "{spec}: {err}");
        }
    }
}
