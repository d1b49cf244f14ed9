//! The no-argument demo: the founding story, reproduced on generated certificates.
//!
//! 2012: two S/MIME certificates from one CA, same chain, bought the same day, differing only in
//! e-mail address — one for the account's primary address (`jane@me.com`), one for its alias
//! (`jane@mac.com`). Both worked in OS X Mail; on iOS 5 one was "Not Trusted"; iOS 6 fixed it.
//! The demo evaluates both under macos-10.7, ios-5.1, ios-6.0 and latest and explains the iOS
//! 5.1 failure with the pre-iOS-6 quirk's default hypothesis (platforms.md).
//!
//! Deterministic: the certificates are `sectrust::testing::FoundingStory`'s (fixed keys, dates
//! and verify time).

use std::io::{self, Write};

use sectrust::testing::FoundingStory;
use sectrust::{Platform, Verdict};

use crate::style::wrap;

/// The account's primary address.
const PRIMARY: &str = FoundingStory::PRIMARY;
/// Its alias.
const ALIAS: &str = FoundingStory::ALIAS;
/// The profiles of the story.
const PLATFORMS: [&str; 4] = ["macos-10.7", "ios-5.1", "ios-6.0", "latest"];
/// When the story happens.
const VERIFY_TIME: &str = FoundingStory::VERIFY_TIME;

/// Mail asks the trust engine about the account: its primary address, with its alias.
fn evaluate(story: &FoundingStory, platform: &str, leaf: &sectrust::testing::Issued) -> Verdict {
    let platform: Platform = platform.parse().expect("a known profile");
    story.evaluate(&platform, leaf)
}

/// One table cell: "trusted", or "NOT TRUSTED" with the failed checks.
fn cell(v: &Verdict) -> String {
    if v.is_trusted() {
        "trusted".into()
    } else {
        let checks: Vec<&str> = v.failures().iter().map(|f| f.check.key()).collect();
        format!("NOT TRUSTED ({})", checks.join(", "))
    }
}

/// Prints the demo (about 25 lines).
pub fn run(out: &mut impl Write) -> io::Result<()> {
    let story = FoundingStory::new();
    let certs = [(PRIMARY, &story.primary), (ALIAS, &story.alias)];
    writeln!(
        out,
        "The founding story (2012): two S/MIME certificates from one CA, one chain, bought the same\n\
         day, differing only in e-mail address. Both worked in OS X Mail; on iOS 5 one was\n\
         \"Not Trusted\"; iOS 6 fixed it. Reproduced on generated certificates, at {VERIFY_TIME}:\n\
         account {PRIMARY} (alias {ALIAS}), chain \"Example Mail CA\" → \"Example Mail Root\" (anchor).\n"
    )?;
    let mut header = format!("{:<16}", "certificate");
    for p in PLATFORMS {
        header.push_str(&format!("{p:<22}"));
    }
    writeln!(out, "{}", header.trim_end())?;
    let mut failure = None;
    for (address, leaf) in certs {
        let mut row = format!("{address:<16}");
        for p in PLATFORMS {
            let v = evaluate(&story, p, leaf);
            row.push_str(&format!("{:<22}", cell(&v)));
            if !v.is_trusted() && failure.is_none() {
                failure = Some((address, p, v));
            }
        }
        writeln!(out, "{}", row.trim_end())?;
    }
    let Some((address, platform, v)) = failure else {
        return writeln!(out, "\n(no platform rejected either certificate)");
    };
    let e = v
        .primary_error()
        .expect("an untrusted verdict has a primary error");
    let quirk = v
        .notes()
        .iter()
        .find(|n| n.contains("quirk"))
        .map_or("no quirk named", String::as_str);
    let why = format!(
        "Why {platform} said \"Not Trusted\" for {address}: {} ({}) — check {} failed on \
         certificate {}, OSStatus {} ({}): {}. The verdict names the cause: {quirk}. Apple never \
         published it; this is the default of three selectable hypotheses (also \
         CaseSensitiveAddress and FirstSanAddressOnly). iOS 6 matches every address of the \
         account, so both certificates are trusted there and on every later release.",
        v.result(),
        v.result().value(),
        e.check,
        e.cert_index,
        e.os_status,
        e.check.os_status_name(),
        e.message,
    );
    writeln!(out)?;
    for line in wrap(&why, 96) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
