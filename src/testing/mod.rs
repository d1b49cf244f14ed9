//! Test fixtures: deterministic keys and a small certificate-building DSL (feature `testing`).
