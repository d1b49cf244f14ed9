//! Loading Apple's trust-store snapshots (`../shared/apple-roots`, feature `apple-roots`): every
//! tag's store against `stores.json`, Apple's own roots marked, selection by release date.
//! Skipped, with a message, when the collection is not there.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use sectrust::anchors::{AppleRoots, StoreSelector};
use sectrust::distrust::DistrustRule;
use sectrust::testing::Pki;
use sectrust::{BasicX509, Certificate, Check, Platform, SystemStore, TrustEvaluator};

fn collection() -> Option<(PathBuf, AppleRoots, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/apple-roots");
    let Ok(json) = std::fs::read_to_string(dir.join("stores.json")) else {
        eprintln!(
            "skipping: no apple-roots collection at {} (stores.json + certs/<sha256>.cer)",
            dir.display()
        );
        return None;
    };
    let roots = AppleRoots::from_json(&json).expect("stores.json parses");
    Some((dir, roots, json))
}

fn loader(dir: &Path) -> impl FnMut(&str) -> Option<Vec<u8>> + '_ {
    move |sha| std::fs::read(dir.join("certs").join(format!("{sha}.cer"))).ok()
}

#[test]
fn every_tag_loads_with_the_counts_of_stores_json() {
    let Some((dir, roots, _)) = collection() else {
        return;
    };
    assert!(!roots.snapshots().is_empty());
    for snapshot in roots.snapshots() {
        let store = roots
            .system_store(snapshot, loader(&dir))
            .unwrap_or_else(|e| panic!("{}: {e}", snapshot.tag));
        assert_eq!(store.len(), snapshot.roots.len(), "{}", snapshot.tag);
        // Apple's own roots are exactly the O=Apple Inc. subjects of the listing.
        let apple_listed = snapshot
            .roots
            .iter()
            .filter(|sha| {
                let info = roots.certificate(sha).expect("every root has metadata");
                info.subject.contains("O=Apple Inc.")
            })
            .count();
        let apple_marked = store
            .roots()
            .iter()
            .filter(|r| store.is_apple_root(r))
            .count();
        assert_eq!(apple_marked, apple_listed, "{}", snapshot.tag);
        assert!(apple_marked > 0, "{}", snapshot.tag);
        for r in store.roots() {
            let info = roots.certificate(r.sha256()).unwrap();
            assert_eq!(&info.spki_sha256, r.spki_sha256(), "{}", snapshot.tag);
        }
    }
}

#[test]
fn the_store_for_a_release_is_the_latest_tag_on_or_before_it() {
    let Some((_, roots, _)) = collection() else {
        return;
    };
    for (platform, tag) in [
        ("ios-11.0", "55093.1.2"),
        ("ios-13.0", "55161.0.3"),
        ("ios-14.0", "55161.0.3"),
        ("macos-11.0", "55188.40.9"),
        ("ios-17.0", "55245.40.7"),
        ("ios-18.0", "55291"),
        ("latest", "55313.0.8"),
    ] {
        let s = roots.snapshot_for(p(platform)).expect(platform);
        assert_eq!(s.short_tag(), tag, "{platform}");
        assert!(s.date <= p(platform).release_date().unwrap(), "{platform}");
    }
    // iOS 5 predates the first snapshot (2011-12-01).
    assert!(
        roots
            .select(&StoreSelector::Platform(p("ios-5.0")))
            .is_err()
    );
}

#[test]
fn generated_chains_are_not_system_anchored_and_apple_roots_are() {
    let Some((dir, _, json)) = collection() else {
        return;
    };
    let store = SystemStore::from_apple_roots_json(&json, loader(&dir), Platform::latest())
        .expect("latest store");
    let pki = Pki::new();
    let v = TrustEvaluator::builder()
        .system_store(store.clone())
        .verify_time_unix(Pki::T_VALID)
        .build()
        .evaluate(
            &pki.leaf.cert,
            &[pki.intermediate.cert.clone(), pki.root.cert.clone()],
            &[&BasicX509],
        )
        .unwrap();
    assert_eq!(v.chain().len(), 3, "{v}");
    assert!(!v.is_system_anchored(), "{v}");
    assert!(v.has_failure(Check::AnchorTrusted), "{v}");

    let apple_root = store
        .roots()
        .iter()
        .find(|r| store.is_apple_root(r) && r.is_self_issued())
        .expect("an Apple root")
        .clone();
    assert!(
        apple_root
            .subject()
            .organizations()
            .any(|o| o == "Apple Inc.")
    );
    let v = TrustEvaluator::builder()
        .system_store(store)
        .verify_time_unix(Pki::T_VALID)
        .build()
        .evaluate(&apple_root, &[], &[&BasicX509])
        .unwrap();
    assert!(v.is_system_anchored(), "{v}");
}

#[test]
fn family_hashes_come_from_the_collection() {
    let Some((dir, roots, _)) = collection() else {
        return;
    };
    let wosign = roots.sha256_where(|c| {
        c.subject.contains("O=WoSign CA Limited") || c.subject.contains("O=StartCom Ltd.")
    });
    assert!(!wosign.is_empty());
    let rule = DistrustRule::wosign_startcom(wosign.clone());
    for sha in &wosign {
        let name: String = sha.iter().map(|b| format!("{b:02x}")).collect();
        let der = std::fs::read(dir.join("certs").join(format!("{name}.cer"))).unwrap();
        let cert = Certificate::from_der(&der).unwrap();
        assert!(rule.matches_certificate(&cert));
    }
}
