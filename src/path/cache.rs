//! A signature-verification cache shared across evaluations (STYLE.md: "a signature-verification
//! cache is an interface, so repeated evaluations are cheap").
//!
//! Whether an issuer's key verifies a child's signature does not depend on the platform profile,
//! the verify time, the policies or the anchors, so one answer serves every evaluation of the
//! same pair: [`crate::explain`]'s matrix evaluates one chain under every profile and verifies
//! each signature once.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Default capacity of a [`SignatureCache`], in (issuer key, child certificate) pairs.
///
/// An entry is 65 bytes of key and value plus map overhead (~100 bytes), so 4096 entries are
/// about 400 KB: enough for a server's whole working set of chains (a few thousand distinct
/// certificates), small enough to keep per process without thought.
pub const DEFAULT_SIGNATURE_CACHE_CAPACITY: usize = 4096;

/// The key: SHA-256 of the issuer's SubjectPublicKeyInfo and SHA-256 of the whole child
/// certificate (which covers the signed TBS bytes, the algorithm and the signature value).
type Key = ([u8; 32], [u8; 32]);

/// A thread-safe, bounded cache of signature-verification results, keyed by (issuer SPKI
/// SHA-256, child certificate SHA-256).
///
/// Give one to [`TrustEvaluatorBuilder::with_cache`](crate::TrustEvaluatorBuilder::with_cache)
/// (clones of the evaluator and [`TrustEvaluator::with_platform`](crate::TrustEvaluator::with_platform)
/// share it). Both outcomes are cached: a signature that does not verify never will. Share one
/// cache only among evaluators with the same [`SignatureVerifier`](crate::crypto::SignatureVerifier)
/// — the answers are that backend's.
///
/// Bounded by two generations: new entries go to the young one; when it holds half the
/// capacity it becomes the old one and the previous old one is dropped; a hit in the old
/// generation moves the entry back to the young one. That keeps recently used pairs (an
/// approximate LRU) at the cost of one `HashMap` swap per half-capacity insertions.
/// Verification is done outside the lock.
pub struct SignatureCache {
    capacity: usize,
    inner: Mutex<Generations>,
    hits: AtomicU64,
    misses: AtomicU64,
}

#[derive(Default)]
struct Generations {
    young: HashMap<Key, bool>,
    old: HashMap<Key, bool>,
}

impl SignatureCache {
    /// A cache of [`DEFAULT_SIGNATURE_CACHE_CAPACITY`] entries.
    pub fn new() -> Self {
        Self::with_capacity(DEFAULT_SIGNATURE_CACHE_CAPACITY)
    }

    /// A cache holding at most `capacity` entries (at least 2).
    pub fn with_capacity(capacity: usize) -> Self {
        SignatureCache {
            capacity: capacity.max(2),
            inner: Mutex::new(Generations::default()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The cached result for `issuer_spki_sha256` over `child_sha256`, if any (counts a hit or
    /// a miss).
    pub fn get(&self, issuer_spki_sha256: &[u8; 32], child_sha256: &[u8; 32]) -> Option<bool> {
        let key = (*issuer_spki_sha256, *child_sha256);
        let mut g = self.lock();
        let found = match g.young.get(&key) {
            Some(&ok) => Some(ok),
            None => g.old.remove(&key).inspect(|&ok| {
                g.young.insert(key, ok);
            }),
        };
        if found.is_some() {
            self.hits.fetch_add(1, Ordering::Relaxed);
        } else {
            self.misses.fetch_add(1, Ordering::Relaxed);
        }
        found
    }

    /// Records whether `issuer_spki_sha256`'s key verifies `child_sha256`'s signature.
    pub fn insert(&self, issuer_spki_sha256: &[u8; 32], child_sha256: &[u8; 32], ok: bool) {
        let key = (*issuer_spki_sha256, *child_sha256);
        let half = self.capacity / 2;
        let mut g = self.lock();
        if g.young.len() >= half && !g.young.contains_key(&key) {
            g.old = std::mem::take(&mut g.young);
        }
        g.old.remove(&key);
        g.young.insert(key, ok);
    }

    /// Entries held.
    pub fn len(&self) -> usize {
        let g = self.lock();
        g.young.len() + g.old.len()
    }

    /// Whether no entry is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The capacity.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Lookups answered from the cache so far.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    /// Lookups the cache could not answer so far.
    pub fn misses(&self) -> u64 {
        self.misses.load(Ordering::Relaxed)
    }

    /// Drops every entry (the counters are kept).
    pub fn clear(&self) {
        let mut g = self.lock();
        g.young.clear();
        g.old.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Generations> {
        // A panic while holding the lock cannot leave the maps inconsistent (each operation is
        // a few map calls), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for SignatureCache {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for SignatureCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignatureCache")
            .field("capacity", &self.capacity)
            .field("len", &self.len())
            .field("hits", &self.hits())
            .field("misses", &self.misses())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(n: u8) -> [u8; 32] {
        [n; 32]
    }

    #[test]
    fn remembers_both_outcomes_and_counts() {
        let c = SignatureCache::new();
        assert_eq!(c.get(&k(1), &k(2)), None);
        c.insert(&k(1), &k(2), true);
        c.insert(&k(1), &k(3), false);
        assert_eq!(c.get(&k(1), &k(2)), Some(true));
        assert_eq!(c.get(&k(1), &k(3)), Some(false));
        assert_eq!(
            c.get(&k(2), &k(1)),
            None,
            "the key is ordered: (issuer, child)"
        );
        assert_eq!((c.hits(), c.misses()), (2, 2));
    }

    #[test]
    fn stays_bounded_and_keeps_recently_used_entries() {
        let c = SignatureCache::with_capacity(8);
        c.insert(&k(0), &k(0), true);
        for n in 1..=200u8 {
            c.insert(&k(n), &k(n), true);
            // Entry 0 is used after every insertion: it must survive every generation swap.
            assert_eq!(c.get(&k(0), &k(0)), Some(true), "after {n}");
            assert!(c.len() <= c.capacity(), "{} > {}", c.len(), c.capacity());
        }
        assert_eq!(c.get(&k(1), &k(1)), None, "old unused entries are dropped");
        c.clear();
        assert!(c.is_empty());
    }
}
