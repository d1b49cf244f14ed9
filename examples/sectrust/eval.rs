//! `sectrust eval FILE... [--ssl HOST | --smime EMAIL] [--platform P] [--at TIME]
//! [--anchor F]... [--system-store DIR] [--password PW] [--json]`: the user's own files under
//! one policy on one platform.
//!
//! Files are read by content. The first end-entity certificate found is the leaf; every CA
//! certificate is offered as an intermediate (a root given here is *not* trusted: pass it with
//! `--anchor`); `--anchor` files are app anchors; `--system-store DIR` makes every certificate
//! file in DIR (not its subfolders) the system store. Prints the verdict, or its JSON.
//! Exit 0 trusted, 1 not trusted, 2 unreadable input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sectrust::formats::Loaded;
use sectrust::policy::{Smime, SmimeUsage};
use sectrust::{BasicX509, Certificate, Platform, Policy, Ssl, SystemStore, TrustEvaluator};

use crate::inputs::{Inputs, read_file};
use crate::{platforms, rfc3339};

/// The parsed command line.
#[derive(Debug, clap::Args)]
#[command(
    override_usage = "sectrust eval FILE... [--ssl HOST | --smime EMAIL] [--platform P] [--at TIME]\n                     [--anchor F]... [--system-store DIR] [--password PW] [--json]"
)]
pub struct Args {
    /// .pem, .cer, .der, .p12 or .mobileconfig files, read by content
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Evaluate for a TLS server with this host name (SSL policy)
    #[arg(long, value_name = "HOST", conflicts_with = "smime")]
    ssl: Option<String>,
    /// Evaluate for signing mail from this address (S/MIME policy)
    #[arg(long, value_name = "EMAIL")]
    smime: Option<String>,
    /// The platform profile: latest, ios-MAJOR.MINOR or macos-MAJOR.MINOR
    #[arg(long, value_name = "P", default_value = "latest", value_parser = platforms::parse_one)]
    platform: Platform,
    /// The verification time, RFC 3339 (default now)
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// A file of certificates to trust as app anchors (repeatable)
    #[arg(long = "anchor", value_name = "F")]
    anchors: Vec<PathBuf>,
    /// A folder whose certificate files are the system store
    #[arg(long, value_name = "DIR")]
    system_store: Option<PathBuf>,
    /// The password of .p12 files
    #[arg(long, value_name = "PW")]
    password: Option<String>,
    /// Print the verdict as JSON
    #[arg(long)]
    json: bool,
}

/// Runs the subcommand.
pub fn main(args: Args) -> ExitCode {
    match run(&args, &mut std::io::stdout().lock()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(why) => {
            eprintln!("sectrust eval: {why}");
            ExitCode::from(2)
        }
    }
}

/// Evaluates and prints; `Ok(trusted)`.
fn run(args: &Args, out: &mut impl Write) -> Result<bool, String> {
    let password = args.password.as_deref();
    let inputs = Inputs::read(&args.files, password)?;
    let Some((_, leaf)) = inputs.leaves.first() else {
        return Err(
            "no end-entity certificate in the files given: name the leaf's file (CA \
                    certificates only serve as intermediates or, with --anchor, anchors)"
                .into(),
        );
    };
    let mut intermediates = inputs.intermediates.clone();
    intermediates.extend(inputs.anchors.iter().cloned());
    let mut anchors = Vec::new();
    for file in &args.anchors {
        anchors.extend(certificates_of(file, password)?);
    }
    let verify_time = match &args.at {
        Some(t) => rfc3339::parse(t).map_err(|e| format!("--at {t}: {e}"))?,
        None => time::OffsetDateTime::now_utc().unix_timestamp(),
    };
    let mut builder = TrustEvaluator::builder()
        .platform(args.platform)
        .anchors(anchors)
        .anchors_only(false)
        .user_trust(inputs.user_trust.iter().cloned())
        .verify_time_unix(verify_time);
    if let Some(dir) = &args.system_store {
        builder = builder.system_store(system_store(dir)?);
    }
    let policy: Box<dyn Policy> = match (&args.ssl, &args.smime) {
        (Some(host), _) => Box::new(Ssl::server(host.clone())),
        (None, Some(email)) => Box::new(Smime::new(SmimeUsage::SIGN, Some(email.clone()))),
        (None, None) => Box::new(BasicX509),
    };
    let verdict = builder
        .build()
        .evaluate(leaf, &intermediates, &[policy.as_ref()])
        .map_err(|e| e.to_string())?;
    let text = if args.json {
        serde_json::to_string_pretty(&verdict).map_err(|e| e.to_string())? + "\n"
    } else {
        verdict.to_string()
    };
    out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    Ok(verdict.is_trusted())
}

/// Every certificate a file holds (a PKCS#12 identity's certificate and chain included).
fn certificates_of(file: &Path, password: Option<&str>) -> Result<Vec<Certificate>, String> {
    let mut inputs = Inputs::default();
    inputs.add(&file.display().to_string(), read_file(file, password)?);
    let mut certs: Vec<Certificate> = inputs.leaves.into_iter().map(|(_, c)| c).collect();
    certs.extend(inputs.intermediates);
    certs.extend(inputs.anchors);
    Ok(certs)
}

/// The certificates of every file directly in `dir`; files that hold none are skipped.
fn system_store(dir: &Path) -> Result<SystemStore, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("--system-store {}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    let mut roots = Vec::new();
    for path in paths {
        if let Ok(Loaded::Certificates(certs)) = read_file(&path, None) {
            roots.extend(certs);
        }
    }
    if roots.is_empty() {
        return Err(format!(
            "--system-store {}: no certificate file in that folder (PEM or DER)",
            dir.display()
        ));
    }
    Ok(SystemStore::from_roots(roots))
}
