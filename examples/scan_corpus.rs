//! Writes a folder of generated certificates for measuring `sectrust scan` (benches/README.md,
//! "Memory").
//!
//! `cargo run --release --example scan_corpus -- N DIR` writes `DIR/ca/root.pem` and
//! `DIR/ca/intermediate.pem` (the P-256 chain of `sectrust::testing::Pki`) and N TLS server
//! leaves issued by the intermediate, as PEM files in sub-folders of 100
//! (`DIR/site000/leaf-00000.pem`, …). Every leaf has its own dNSName and serial; every tenth is
//! valid for three years, so it breaks on the platforms with the 825-day limit
//! (apple-trust.md §6) and the scan's summary has something to report. Deterministic: the same
//! N gives the same files.
//!
//! Then, for instance:
//!
//! ```sh
//! /usr/bin/time -v cargo run --release --example sectrust -- scan DIR --ssl-from-san \
//!     --platforms ios-12.0..latest --at 2024-06-01T00:00:00Z > /dev/null
//! ```

use std::error::Error;
use std::path::{Path, PathBuf};

use sectrust::certificate::KeyUsage;
use sectrust::testing::{CertBuilder, KeyPair, Pki, oids};

/// Leaves per sub-folder.
const PER_FOLDER: usize = 100;
/// Distinct leaf keys, reused round-robin: a leaf's own key is never used to verify anything,
/// and generating one per leaf would make a large corpus slow to write.
const LEAF_KEYS: u64 = 16;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: scan_corpus N DIR";
    let n: usize = args
        .next()
        .ok_or(usage)?
        .parse()
        .map_err(|e| format!("N: {e}"))?;
    let dir = PathBuf::from(args.next().ok_or(usage)?);
    write_corpus(n, &dir)?;
    println!(
        "{n} leaves, a root and an intermediate in {}",
        dir.display()
    );
    Ok(())
}

fn write_corpus(n: usize, dir: &Path) -> Result<(), Box<dyn Error>> {
    let pki = Pki::new();
    std::fs::create_dir_all(dir.join("ca"))?;
    std::fs::write(dir.join("ca/root.pem"), pki.root.pem())?;
    std::fs::write(dir.join("ca/intermediate.pem"), pki.intermediate.pem())?;
    let keys: Vec<KeyPair> = (0..LEAF_KEYS).map(|i| KeyPair::p256(100 + i)).collect();
    for (i, key) in (0..n).zip(keys.iter().cycle()) {
        let host = format!("host{i:05}.example.com");
        // Three years for every tenth leaf, eleven months for the others.
        let not_after = if i % 10 == 3 {
            "2026-12-01T00:00:00Z"
        } else {
            "2024-12-01T00:00:00Z"
        };
        let leaf = CertBuilder::new(&format!("CN={host},O=Example,C=US"))
            .key(key.clone())
            .serial(10_000 + i as u64)
            .issued_by(&pki.intermediate)
            .validity("2024-01-01T00:00:00Z", not_after)
            .dns(&host)
            .eku(&[oids::server_auth()])
            .key_usage(KeyUsage::DIGITAL_SIGNATURE)
            .build();
        let folder = dir.join(format!("site{:03}", i / PER_FOLDER));
        std::fs::create_dir_all(&folder)?;
        std::fs::write(folder.join(format!("leaf-{i:05}.pem")), leaf.pem())?;
    }
    Ok(())
}
