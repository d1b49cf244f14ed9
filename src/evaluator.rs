//! The evaluator (placeholder while the engine is written).
