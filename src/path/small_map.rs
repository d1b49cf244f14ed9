//! The path builder's per-evaluation memo: a list while small, a hash map beyond.
//!
//! An ordinary evaluation checks two or three signatures and completes one or two paths; for
//! those, comparing keys (a pointer, then DER bytes that differ within the first few dozen
//! octets) is cheaper than hashing them (a keyed hash of the whole DER, about 2,500
//! instructions for an RSA certificate). Past [`LIST_LIMIT`] entries the memo moves to a hash
//! map, so hostile inputs with many candidates still cost what a hash map costs.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};

/// Entries kept in the list before the memo becomes a hash map.
const LIST_LIMIT: usize = 16;

/// A map from `K` to `V`: a list of up to [`LIST_LIMIT`] entries searched by equality, then a
/// hash map with hasher `S`.
pub(crate) enum SmallMap<K, V, S> {
    /// Few entries, searched in order.
    List(Vec<(K, V)>),
    /// Many entries.
    Hashed(HashMap<K, V, S>),
}

impl<K, V, S> Default for SmallMap<K, V, S> {
    fn default() -> Self {
        SmallMap::List(Vec::new())
    }
}

impl<K: Eq + Hash, V, S: BuildHasher + Default> SmallMap<K, V, S> {
    /// The value of `key`, if present.
    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        match self {
            SmallMap::List(list) => list.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            SmallMap::Hashed(map) => map.get(key),
        }
    }

    /// Whether `key` is present.
    pub(crate) fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }

    /// Sets `key` to `value`; returns whether the key was new.
    pub(crate) fn insert(&mut self, key: K, value: V) -> bool {
        match self {
            SmallMap::List(list) => {
                if let Some(slot) = list.iter_mut().find(|(k, _)| *k == key) {
                    slot.1 = value;
                    return false;
                }
                if list.len() < LIST_LIMIT {
                    list.push((key, value));
                    return true;
                }
                let mut map: HashMap<K, V, S> =
                    HashMap::with_capacity_and_hasher(LIST_LIMIT * 2, S::default());
                map.extend(list.drain(..));
                map.insert(key, value);
                *self = SmallMap::Hashed(map);
                true
            }
            SmallMap::Hashed(map) => map.insert(key, value).is_none(),
        }
    }

    /// Entries held.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        match self {
            SmallMap::List(list) => list.len(),
            SmallMap::Hashed(map) => map.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::hash_map::RandomState;

    /// The same answers as a `HashMap` across the switch from list to hash map.
    #[test]
    fn answers_as_a_hash_map_before_and_after_the_switch() {
        let mut small: SmallMap<u32, u32, RandomState> = SmallMap::default();
        let mut reference: HashMap<u32, u32> = HashMap::new();
        for i in 0..200u32 {
            let key = (i * 7) % 40;
            assert_eq!(small.insert(key, i), reference.insert(key, i).is_none());
            for probe in 0..45 {
                assert_eq!(small.get(&probe), reference.get(&probe), "{i} {probe}");
                assert_eq!(small.contains_key(&probe), reference.contains_key(&probe));
            }
            assert_eq!(small.len(), reference.len());
        }
        assert!(matches!(small, SmallMap::Hashed(_)));
    }
}
