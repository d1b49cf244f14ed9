//! RFC 5280 §4.2.1.10 name constraints over a path, as Apple applies them (`apple-trust.md §4`).

use crate::certificate::Certificate;

/// Checks every certificate of `path` (leaf first, anchor last) against the name constraints of
/// the certificates above it (the anchor's own constraints included). Returns the indices of the
/// certificates whose names violate a constraint, in ascending order.
pub fn violations(path: &[Certificate]) -> Vec<usize> {
    todo!()
}
