//! The CT logs a platform trusts, with their states (`apple-trust.md §6`).
//!
//! Build a [`CtLogList`] in code with [`CtLog::new`], or (feature `ct-log-list`, on by default)
//! parse Apple's or Google's v3 JSON log list with [`CtLogList::from_json`]. Times are Unix
//! seconds, like certificate dates; SCT timestamps (milliseconds) are compared against them
//! exactly (`sct_ms > seconds × 1000`).

use std::collections::HashMap;
use std::fmt;

use sha2::{Digest, Sha256};

/// A log's state in the log list, with the time it entered that state (Unix seconds).
///
/// For Apple's policy a log is *current* when qualified, usable or read-only (SCTs after the
/// read-only date are ignored); a retired log still counts for embedded SCTs dated before its
/// retirement; pending and rejected logs count for nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum LogState {
    /// Applied for inclusion; not trusted.
    Pending {
        /// Since when.
        since: i64,
    },
    /// Qualified: trusted.
    Qualified {
        /// Since when.
        since: i64,
    },
    /// Usable: trusted.
    Usable {
        /// Since when.
        since: i64,
    },
    /// Read-only (frozen): trusted for SCTs dated up to `since`.
    ReadOnly {
        /// The read-only date.
        since: i64,
    },
    /// Retired: trusted only for SCTs (and issuance) before `since`.
    Retired {
        /// The retirement date.
        since: i64,
    },
    /// Rejected: never trusted.
    Rejected {
        /// Since when.
        since: i64,
    },
}

impl LogState {
    /// The state's name as in the JSON log list.
    pub const fn name(&self) -> &'static str {
        match self {
            LogState::Pending { .. } => "pending",
            LogState::Qualified { .. } => "qualified",
            LogState::Usable { .. } => "usable",
            LogState::ReadOnly { .. } => "readonly",
            LogState::Retired { .. } => "retired",
            LogState::Rejected { .. } => "rejected",
        }
    }

    /// When the log entered this state (Unix seconds).
    pub const fn since(&self) -> i64 {
        match *self {
            LogState::Pending { since }
            | LogState::Qualified { since }
            | LogState::Usable { since }
            | LogState::ReadOnly { since }
            | LogState::Retired { since }
            | LogState::Rejected { since } => since,
        }
    }

    /// Qualified, usable or read-only: "currently qualified" in Apple's policy.
    pub const fn is_current(&self) -> bool {
        matches!(
            self,
            LogState::Qualified { .. } | LogState::Usable { .. } | LogState::ReadOnly { .. }
        )
    }

    /// Not pending or rejected: SCTs from it can count at all.
    pub const fn is_trusted(&self) -> bool {
        self.is_current() || matches!(self, LogState::Retired { .. })
    }

    /// The retirement date of a retired log.
    pub const fn retired_at(&self) -> Option<i64> {
        match *self {
            LogState::Retired { since } => Some(since),
            _ => None,
        }
    }

    /// The read-only date of a read-only log.
    pub const fn readonly_at(&self) -> Option<i64> {
        match *self {
            LogState::ReadOnly { since } => Some(since),
            _ => None,
        }
    }
}

impl fmt::Display for LogState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} since {}", self.name(), super::utc(self.since()))
    }
}

/// One CT log.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CtLog {
    /// The log ID: SHA-256 of `key_spki_der`.
    pub id: [u8; 32],
    /// The log's public key, a DER SubjectPublicKeyInfo.
    pub key_spki_der: Vec<u8>,
    /// The operator's name (there is no operator-diversity rule; kept for messages).
    pub operator: String,
    /// The log's description, e.g. "Google 'Argon2025h1'" (may be empty).
    pub description: String,
    /// The submission URL, when the list gives one.
    pub url: Option<String>,
    /// The log's state.
    pub state: LogState,
    /// A shard's window for the leaf's notAfter: `[start_inclusive, end_exclusive)`.
    pub temporal_interval: Option<(i64, i64)>,
}

impl CtLog {
    /// A log with this key, operator and state; its ID is computed from the key.
    pub fn new(
        key_spki_der: impl Into<Vec<u8>>,
        operator: impl Into<String>,
        state: LogState,
    ) -> Self {
        let key_spki_der = key_spki_der.into();
        CtLog {
            id: Sha256::digest(&key_spki_der).into(),
            key_spki_der,
            operator: operator.into(),
            description: String::new(),
            url: None,
            state,
            temporal_interval: None,
        }
    }

    /// Restricts the log to leaves whose notAfter is in `[start_inclusive, end_exclusive)`.
    pub fn with_temporal_interval(mut self, start_inclusive: i64, end_exclusive: i64) -> Self {
        self.temporal_interval = Some((start_inclusive, end_exclusive));
        self
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// Sets the URL.
    pub fn with_url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Whether the shard accepts a leaf expiring at `not_after` (no interval: every leaf).
    pub fn covers_not_after(&self, not_after: i64) -> bool {
        self.temporal_interval
            .is_none_or(|(start, end)| start <= not_after && not_after < end)
    }

    /// A short name for messages: the description, else the ID's first bytes in hex.
    pub fn label(&self) -> String {
        if self.description.is_empty() {
            super::short_id(&self.id)
        } else {
            self.description.clone()
        }
    }
}

/// The logs a platform trusts, looked up by log ID.
#[derive(Debug, Clone, Default)]
pub struct CtLogList {
    logs: Vec<CtLog>,
    by_id: HashMap<[u8; 32], usize>,
    timestamp: Option<i64>,
}

impl CtLogList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a log (builder style). A second log with the same ID is ignored: the first wins.
    pub fn with_log(mut self, log: CtLog) -> Self {
        self.push(log);
        self
    }

    /// Adds a log. A second log with the same ID is ignored: the first wins.
    pub fn push(&mut self, log: CtLog) {
        if !self.by_id.contains_key(&log.id) {
            self.by_id.insert(log.id, self.logs.len());
            self.logs.push(log);
        }
    }

    /// Sets the list's own timestamp (`log_list_timestamp`, Unix seconds).
    pub fn with_timestamp(mut self, timestamp: i64) -> Self {
        self.timestamp = Some(timestamp);
        self
    }

    /// The list's own timestamp, when known: callers judge freshness from it.
    pub fn timestamp(&self) -> Option<i64> {
        self.timestamp
    }

    /// The log with this ID.
    pub fn get(&self, id: &[u8; 32]) -> Option<&CtLog> {
        self.by_id.get(id).map(|&i| &self.logs[i])
    }

    /// Every log, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &CtLog> {
        self.logs.iter()
    }

    /// The number of logs.
    pub fn len(&self) -> usize {
        self.logs.len()
    }

    /// Whether the list has no log.
    pub fn is_empty(&self) -> bool {
        self.logs.is_empty()
    }
}

/// Why a JSON log list could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LogListError {
    /// Not JSON of the v3 shape.
    #[error("log list JSON: {0}")]
    Json(String),
    /// A base64 field does not decode.
    #[error("log {log}: {field} is not base64")]
    Base64 {
        /// The log's `log_id` as written (or its description).
        log: String,
        /// `log_id` or `key`.
        field: &'static str,
    },
    /// The stated `log_id` is not SHA-256 of the stated key.
    #[error("log {log}: log_id is not SHA-256 of the key")]
    LogIdMismatch {
        /// The log's `log_id` as written.
        log: String,
    },
    /// A log's `state` does not hold exactly one state.
    #[error(
        "log {log}: state must hold exactly one of pending, qualified, usable, readonly, retired, rejected"
    )]
    State {
        /// The log's `log_id` as written.
        log: String,
    },
    /// A timestamp is not RFC 3339.
    #[error("timestamp {0:?} is not RFC 3339")]
    Timestamp(String),
}

#[cfg(feature = "ct-log-list")]
mod json {
    //! Google's v3 log-list schema, which Apple's list follows: `operators[].logs[]` (and
    //! `tiled_logs[]`, same fields) with `log_id`, `key`, `url`, `state`, `temporal_interval`.
    //! Unknown fields are ignored; a log without a `state` is left out (its SCTs then count as
    //! from an unknown log).

    use base64ct::{Base64, Encoding};
    use serde::Deserialize;
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    use super::{CtLog, CtLogList, LogListError, LogState};

    #[derive(Deserialize)]
    struct List {
        log_list_timestamp: Option<String>,
        #[serde(default)]
        operators: Vec<Operator>,
    }

    #[derive(Deserialize)]
    struct Operator {
        #[serde(default)]
        name: String,
        #[serde(default)]
        logs: Vec<Log>,
        #[serde(default)]
        tiled_logs: Vec<Log>,
    }

    #[derive(Deserialize)]
    struct Log {
        #[serde(default)]
        description: String,
        log_id: String,
        key: String,
        url: Option<String>,
        submission_url: Option<String>,
        state: Option<State>,
        temporal_interval: Option<Interval>,
    }

    #[derive(Deserialize)]
    struct State {
        pending: Option<Stamp>,
        qualified: Option<Stamp>,
        usable: Option<Stamp>,
        readonly: Option<Stamp>,
        retired: Option<Stamp>,
        rejected: Option<Stamp>,
    }

    #[derive(Deserialize)]
    struct Stamp {
        timestamp: String,
    }

    #[derive(Deserialize)]
    struct Interval {
        start_inclusive: String,
        end_exclusive: String,
    }

    fn time(s: &str) -> Result<i64, LogListError> {
        OffsetDateTime::parse(s, &Rfc3339)
            .map(OffsetDateTime::unix_timestamp)
            .map_err(|_| LogListError::Timestamp(s.to_owned()))
    }

    fn state(s: &State, log: &str) -> Result<LogState, LogListError> {
        type Make = fn(i64) -> LogState;
        let all: [(&Option<Stamp>, Make); 6] = [
            (&s.pending, |since| LogState::Pending { since }),
            (&s.qualified, |since| LogState::Qualified { since }),
            (&s.usable, |since| LogState::Usable { since }),
            (&s.readonly, |since| LogState::ReadOnly { since }),
            (&s.retired, |since| LogState::Retired { since }),
            (&s.rejected, |since| LogState::Rejected { since }),
        ];
        let mut present = all
            .iter()
            .filter_map(|(stamp, make)| stamp.as_ref().map(|t| (t, make)));
        match (present.next(), present.next()) {
            (Some((stamp, make)), None) => Ok(make(time(&stamp.timestamp)?)),
            _ => Err(LogListError::State {
                log: log.to_owned(),
            }),
        }
    }

    fn log(raw: Log, operator: &str) -> Result<Option<CtLog>, LogListError> {
        let Some(raw_state) = &raw.state else {
            return Ok(None);
        };
        let name = raw.log_id.clone();
        let b64 = |field: &'static str, value: &str| {
            Base64::decode_vec(value.trim()).map_err(|_| LogListError::Base64 {
                log: name.clone(),
                field,
            })
        };
        let stated_id = b64("log_id", &raw.log_id)?;
        let key = b64("key", &raw.key)?;
        let mut ct_log =
            CtLog::new(key, operator, state(raw_state, &name)?).with_description(raw.description);
        if stated_id != ct_log.id {
            return Err(LogListError::LogIdMismatch { log: name });
        }
        ct_log.url = raw.url.or(raw.submission_url);
        if let Some(i) = raw.temporal_interval {
            ct_log =
                ct_log.with_temporal_interval(time(&i.start_inclusive)?, time(&i.end_exclusive)?);
        }
        Ok(Some(ct_log))
    }

    impl CtLogList {
        /// Parses a v3 JSON log list (Google's `log_list.json` or Apple's
        /// `current_log_list.json`). Every log's `log_id` must be SHA-256 of its `key`.
        pub fn from_json(json: &[u8]) -> Result<CtLogList, LogListError> {
            let raw: List =
                serde_json::from_slice(json).map_err(|e| LogListError::Json(e.to_string()))?;
            let mut list = CtLogList::new();
            if let Some(t) = &raw.log_list_timestamp {
                list = list.with_timestamp(time(t)?);
            }
            for op in raw.operators {
                for raw_log in op.logs.into_iter().chain(op.tiled_logs) {
                    if let Some(l) = log(raw_log, &op.name)? {
                        list.push(l);
                    }
                }
            }
            Ok(list)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states() {
        let ro = LogState::ReadOnly { since: 5 };
        assert!(ro.is_current() && ro.is_trusted());
        assert_eq!(ro.readonly_at(), Some(5));
        let retired = LogState::Retired { since: 7 };
        assert!(!retired.is_current() && retired.is_trusted());
        assert_eq!(retired.retired_at(), Some(7));
        for s in [
            LogState::Pending { since: 0 },
            LogState::Rejected { since: 0 },
        ] {
            assert!(!s.is_trusted() && !s.is_current());
        }
        assert!(LogState::Usable { since: 0 }.is_current());
        assert!(LogState::Qualified { since: 0 }.is_current());
    }

    #[test]
    fn builder_computes_ids_and_first_log_wins() {
        let a = CtLog::new(b"key A".to_vec(), "Op", LogState::Usable { since: 0 });
        assert_eq!(a.id, <[u8; 32]>::from(Sha256::digest(b"key A")));
        let dup = CtLog::new(b"key A".to_vec(), "Other", LogState::Rejected { since: 0 });
        let list = CtLogList::new().with_log(a.clone()).with_log(dup);
        assert_eq!(list.len(), 1);
        assert_eq!(list.get(&a.id).unwrap().operator, "Op");
        assert!(list.get(&[0; 32]).is_none());
    }

    #[test]
    fn temporal_interval_is_half_open() {
        let l = CtLog::new(vec![1], "Op", LogState::Usable { since: 0 })
            .with_temporal_interval(100, 200);
        assert!(!l.covers_not_after(99));
        assert!(l.covers_not_after(100));
        assert!(l.covers_not_after(199));
        assert!(!l.covers_not_after(200));
        assert!(
            CtLog::new(vec![1], "Op", LogState::Usable { since: 0 }).covers_not_after(i64::MIN)
        );
    }

    #[cfg(feature = "ct-log-list")]
    mod json {
        use super::*;
        use base64ct::{Base64, Encoding};

        fn entry(key: &[u8], state: &str, extra: &str) -> String {
            let id = Base64::encode_string(&Sha256::digest(key));
            format!(
                r#"{{"description": "Test '{state}'", "log_id": "{id}", "key": "{}",
                    "url": "https://ct.example/{state}/", "mmd": 86400,
                    "state": {{"{state}": {{"timestamp": "2021-01-01T00:00:00Z"{extra}}}}}}}"#,
                Base64::encode_string(key)
            )
        }

        fn list(logs: &[String]) -> String {
            format!(
                r#"{{"version": "3.7", "log_list_timestamp": "2024-06-01T12:00:00Z",
                   "operators": [{{"name": "Example", "email": ["ct@example.com"],
                   "logs": [{}]}}]}}"#,
                logs.join(",")
            )
        }

        #[test]
        fn parses_googles_v3_format() {
            let shard = entry(b"key 1", "usable", "").replace(
                r#""mmd""#,
                r#""temporal_interval": {"start_inclusive": "2025-01-01T00:00:00Z",
                   "end_exclusive": "2025-07-01T00:00:00Z"}, "mmd""#,
            );
            let frozen = entry(
                b"key 2",
                "readonly",
                r#", "final_tree_head": {"sha256_root_hash": "AAAA", "tree_size": 3}"#,
            );
            let json = list(&[
                shard,
                frozen,
                entry(b"key 3", "retired", ""),
                entry(b"key 4", "pending", ""),
            ]);
            let parsed = CtLogList::from_json(json.as_bytes()).unwrap();
            assert_eq!(parsed.len(), 4);
            assert_eq!(parsed.timestamp(), Some(1_717_243_200));
            let jan_2021 = 1_609_459_200;
            let first = parsed.iter().next().unwrap();
            assert_eq!(first.operator, "Example");
            assert_eq!(first.description, "Test 'usable'");
            assert_eq!(first.url.as_deref(), Some("https://ct.example/usable/"));
            assert_eq!(first.state, LogState::Usable { since: jan_2021 });
            assert_eq!(
                first.temporal_interval,
                Some((1_735_689_600, 1_751_328_000))
            );
            assert_eq!(first.key_spki_der, b"key 1");
            let states: Vec<_> = parsed.iter().map(|l| l.state).collect();
            assert_eq!(states[1], LogState::ReadOnly { since: jan_2021 });
            assert_eq!(states[2], LogState::Retired { since: jan_2021 });
            assert_eq!(states[3], LogState::Pending { since: jan_2021 });
        }

        #[test]
        fn tiled_logs_and_missing_state() {
            let tiled = entry(b"tiled", "qualified", "").replace(r#""url""#, r#""submission_url""#);
            let stateless = format!(
                r#"{{"log_id": "{}", "key": "{}"}}"#,
                Base64::encode_string(&Sha256::digest(b"x")),
                Base64::encode_string(b"x")
            );
            let json = format!(
                r#"{{"operators": [{{"name": "T", "logs": [{stateless}], "tiled_logs": [{tiled}]}}]}}"#
            );
            let parsed = CtLogList::from_json(json.as_bytes()).unwrap();
            assert_eq!(parsed.len(), 1);
            let l = parsed.iter().next().unwrap();
            assert!(matches!(l.state, LogState::Qualified { .. }));
            assert_eq!(l.url.as_deref(), Some("https://ct.example/qualified/"));
            assert_eq!(parsed.timestamp(), None);
        }

        #[test]
        fn rejects_bad_lists() {
            let bad_id = entry(b"key 1", "usable", "").replace(
                &Base64::encode_string(&Sha256::digest(b"key 1")),
                &Base64::encode_string(&[0u8; 32]),
            );
            assert!(matches!(
                CtLogList::from_json(list(&[bad_id]).as_bytes()),
                Err(LogListError::LogIdMismatch { .. })
            ));
            let two_states = entry(b"k", "usable", "").replace(
                r#""state": {"#,
                r#""state": {"retired": {"timestamp": "2022-01-01T00:00:00Z"}, "#,
            );
            assert!(matches!(
                CtLogList::from_json(list(&[two_states]).as_bytes()),
                Err(LogListError::State { .. })
            ));
            let no_state =
                entry(b"k", "usable", "").replace(r#""state": {"usable""#, r#""state": {"other""#);
            assert!(matches!(
                CtLogList::from_json(list(&[no_state]).as_bytes()),
                Err(LogListError::State { .. })
            ));
            let bad_time = entry(b"k", "usable", "").replace("2021-01-01T00:00:00Z", "yesterday");
            assert!(matches!(
                CtLogList::from_json(list(&[bad_time]).as_bytes()),
                Err(LogListError::Timestamp(_))
            ));
            let bad_key = entry(b"k", "usable", "").replace(r#""key": ""#, r#""key": "!!"#);
            assert!(matches!(
                CtLogList::from_json(list(&[bad_key]).as_bytes()),
                Err(LogListError::Base64 { field: "key", .. })
            ));
            assert!(matches!(
                CtLogList::from_json(b"{\"operators\": 3}"),
                Err(LogListError::Json(_))
            ));
            assert!(CtLogList::from_json(b"").is_err());
        }
    }
}
