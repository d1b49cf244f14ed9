//! What `eval`, `matrix` and `diagnose` share: the files, the policy, the verify time and the
//! anchors on the command line, turned into one leaf, its intermediates, a policy and an
//! evaluator (`apple-trust.md §1`: the inputs of an evaluation).

use std::path::{Path, PathBuf};

use sectrust::formats::Loaded;
use sectrust::policy::{Smime, SmimeUsage};
use sectrust::{BasicX509, Certificate, Policy, Ssl, SystemStore, TrustEvaluator};

use crate::inputs::{Inputs, read_file};
use crate::rfc3339;

/// The inputs of one evaluation, as flags (flattened into each subcommand).
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// .pem, .cer, .der, .p12 or .mobileconfig files, read by content; the first end-entity
    /// certificate is the leaf, CA certificates are intermediates
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Evaluate for a TLS server with this host name (SSL policy)
    #[arg(long, value_name = "HOST", conflicts_with = "smime")]
    pub ssl: Option<String>,
    /// Evaluate for signing mail from this address (S/MIME policy)
    #[arg(long, value_name = "EMAIL")]
    pub smime: Option<String>,
    /// Another address of the same mail account (repeatable; with --smime)
    #[arg(long = "alias", value_name = "B", requires = "smime")]
    pub aliases: Vec<String>,
    /// The verification time, RFC 3339 (default now)
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// A file of certificates to trust as app anchors (repeatable)
    #[arg(long = "anchor", value_name = "F")]
    pub anchors: Vec<PathBuf>,
    /// A folder whose certificate files are the system store
    #[arg(long, value_name = "DIR")]
    pub system_store: Option<PathBuf>,
    /// The password of .p12 files
    #[arg(long, value_name = "PW")]
    pub password: Option<String>,
}

/// One evaluation's inputs, read.
pub struct Setup {
    /// Where the leaf came from (`FILE#N`, or `FILE` for a PKCS#12 identity).
    pub label: String,
    /// The leaf.
    pub leaf: Certificate,
    /// Every other certificate of the files, roots included (a root is trusted only with
    /// `--anchor` or `--system-store`).
    pub intermediates: Vec<Certificate>,
    /// The anchors, settings and verify time (on `latest`; `with_platform` picks another).
    pub evaluator: TrustEvaluator,
    /// The policy of `--ssl` / `--smime`, basic X.509 otherwise.
    pub policy: Box<dyn Policy>,
    /// The policy in words: `basic X.509`, `SSL server www.example.com`, `S/MIME a@b (alias …)`.
    pub policy_label: String,
    /// Unix seconds.
    pub verify_time: i64,
}

impl InputArgs {
    /// Reads the files and builds the evaluator; the error says what to do.
    pub fn setup(&self) -> Result<Setup, String> {
        let password = self.password.as_deref();
        let inputs = Inputs::read(&self.files, password)?;
        let Some((label, leaf)) = inputs.leaves.first().cloned() else {
            return Err(
                "no end-entity certificate in the files given: name the leaf's file (CA \
                 certificates only serve as intermediates or, with --anchor, anchors)"
                    .into(),
            );
        };
        let mut intermediates = inputs.intermediates.clone();
        intermediates.extend(inputs.anchors.iter().cloned());
        let mut anchors = Vec::new();
        for file in &self.anchors {
            anchors.extend(certificates_of(file, password)?);
        }
        let verify_time = match &self.at {
            Some(t) => rfc3339::parse(t).map_err(|e| {
                format!("--at {t}: {e}; write an RFC 3339 time such as 2024-06-01T00:00:00Z")
            })?,
            None => time::OffsetDateTime::now_utc().unix_timestamp(),
        };
        let mut builder = TrustEvaluator::builder()
            .anchors(anchors)
            .anchors_only(false)
            .user_trust(inputs.user_trust.iter().cloned())
            .verify_time_unix(verify_time);
        if let Some(dir) = &self.system_store {
            builder = builder.system_store(system_store(dir)?);
        }
        let (policy, policy_label): (Box<dyn Policy>, String) = match (&self.ssl, &self.smime) {
            (Some(host), _) => (
                Box::new(Ssl::server(host.clone())),
                format!("SSL server {host}"),
            ),
            (None, Some(email)) => {
                let label = if self.aliases.is_empty() {
                    format!("S/MIME {email}")
                } else {
                    format!("S/MIME {email} (alias {})", self.aliases.join(", "))
                };
                let policy = Smime::new(SmimeUsage::SIGN, Some(email.clone()))
                    .with_aliases(self.aliases.clone());
                (Box::new(policy), label)
            }
            (None, None) => (Box::new(BasicX509), "basic X.509".to_owned()),
        };
        Ok(Setup {
            label,
            leaf,
            intermediates,
            evaluator: builder.build(),
            policy,
            policy_label,
            verify_time,
        })
    }
}

/// The first end-entity certificate of `file` (`--control`), with its label.
pub fn leaf_of(file: &Path, password: Option<&str>) -> Result<(String, Certificate), String> {
    let mut inputs = Inputs::default();
    inputs.add(&file.display().to_string(), read_file(file, password)?);
    inputs.leaves.into_iter().next().ok_or_else(|| {
        format!(
            "{}: no end-entity certificate in that file (it holds CA certificates only)",
            file.display()
        )
    })
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
