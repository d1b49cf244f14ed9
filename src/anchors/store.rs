//! The platform's system root store.

use std::collections::{HashMap, HashSet};

use const_oid::ObjectIdentifier;

use crate::certificate::Certificate;

/// A platform's system trust store, as the caller loads it (no store is bundled).
///
/// "System-anchored" means the last certificate of the chosen path is byte-identical to one of
/// these (`apple-trust.md §1`). Certificates marked as Apple's own roots cannot be denied and
/// (from iOS 13) skip the expiry check (`apple-trust.md §4, §5`). Roots marked as EV roots
/// carry their extended-validation policy OIDs (Apple's `EVRoots` data, shipped with the
/// store): see [`add_ev_root`](Self::add_ev_root).
#[derive(Debug, Clone, Default)]
pub struct SystemStore {
    roots: Vec<Certificate>,
    apple_roots: HashSet<[u8; 32]>,
    /// EV policy OIDs per root (SHA-256).
    ev_roots: HashMap<[u8; 32], Vec<ObjectIdentifier>>,
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

    /// Adds a root and marks it as an EV root for `policies` (Apple's `EVRoots`: root →
    /// extended-validation policy OIDs); marking it again adds to its OIDs.
    ///
    /// A path is extended validation when it is anchored by the system store at such a root,
    /// its leaf asserts one of the root's OIDs, and RFC 5280 policy processing below the root
    /// with those OIDs as the initial policy set (explicit policy required) leaves a valid
    /// policy — each CA asserting the OID or anyPolicy (`apple-trust.md §4`). Without EV roots
    /// nothing is EV.
    pub fn add_ev_root(
        &mut self,
        root: Certificate,
        policies: impl IntoIterator<Item = ObjectIdentifier>,
    ) {
        let oids = self.ev_roots.entry(*root.sha256()).or_default();
        for oid in policies {
            if !oids.contains(&oid) {
                oids.push(oid);
            }
        }
        self.add(root);
    }

    /// The EV policy OIDs of `cert` when it is a root marked by
    /// [`add_ev_root`](Self::add_ev_root), else empty.
    pub fn ev_policies(&self, cert: &Certificate) -> &[ObjectIdentifier] {
        if self.ev_roots.is_empty() {
            return &[];
        }
        self.ev_roots.get(cert.sha256()).map_or(&[], Vec::as_slice)
    }

    /// Whether `oid` is an EV policy OID of some root of this store.
    pub fn is_ev_policy(&self, oid: &ObjectIdentifier) -> bool {
        self.ev_roots.values().any(|oids| oids.contains(oid))
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
