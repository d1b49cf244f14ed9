//! The platform's system root store.

use std::collections::HashSet;

use crate::certificate::Certificate;

/// A platform's system trust store, as the caller loads it (no store is bundled).
///
/// "System-anchored" means the last certificate of the chosen path is byte-identical to one of
/// these (`apple-trust.md §1`). Certificates marked as Apple's own roots cannot be denied and
/// (from iOS 13) skip the expiry check (`apple-trust.md §4, §5`).
#[derive(Debug, Clone, Default)]
pub struct SystemStore {
    roots: Vec<Certificate>,
    apple_roots: HashSet<[u8; 32]>,
}

impl SystemStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store holding `roots`.
    pub fn from_roots(roots: impl IntoIterator<Item = Certificate>) -> Self {
        let mut s = Self::new();
        for r in roots {
            s.add(r);
        }
        s
    }

    /// Adds a root (duplicates are ignored).
    pub fn add(&mut self, root: Certificate) {
        if !self.contains(&root) {
            self.roots.push(root);
        }
    }

    /// Adds a root and marks it as one of Apple's own roots.
    pub fn add_apple_root(&mut self, root: Certificate) {
        self.apple_roots.insert(*root.sha256());
        self.add(root);
    }

    /// Whether `cert` is byte-identical to a root of this store.
    pub fn contains(&self, cert: &Certificate) -> bool {
        self.roots.iter().any(|r| r.same_as(cert))
    }

    /// Whether `cert` is marked as an Apple root.
    pub fn is_apple_root(&self, cert: &Certificate) -> bool {
        !self.apple_roots.is_empty() && self.apple_roots.contains(cert.sha256())
    }

    /// The roots.
    pub fn roots(&self) -> &[Certificate] {
        &self.roots
    }

    /// Number of roots.
    pub fn len(&self) -> usize {
        self.roots.len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }
}
