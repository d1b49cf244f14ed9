//! Batch evaluation: many leaves under one evaluator, one set of intermediates and policies,
//! sharing a [`SignatureCache`].
//!
//! A fleet's certificates mostly hang under a few intermediates. Evaluated one by one, every
//! leaf pays for its intermediate's signature again; in a batch the cache answers it after the
//! first leaf, so each further leaf costs its own signature check, its parse and the checks.
//! Verdicts are exactly those of [`TrustEvaluator::evaluate`], in the order of the leaves.

use std::borrow::Borrow;
use std::iter::FusedIterator;
use std::sync::Arc;

use crate::evaluator::TrustEvaluator;
use crate::path::SignatureCache;
use crate::{Certificate, Error, Policy, Verdict};

/// The verdicts of a batch, one per leaf and in the leaves' order, computed as the iterator is
/// advanced (nothing is kept: a batch over a million leaves holds one verdict at a time).
/// Made by [`TrustEvaluator::evaluate_batch`].
///
/// Each item is what [`TrustEvaluator::evaluate`] returns for that leaf: trust failures are in
/// the [`Verdict`], `Err` is unusable input (an empty policy list).
#[must_use = "a batch evaluates nothing until it is iterated"]
pub struct Batch<'a, I> {
    evaluator: TrustEvaluator,
    cache: Arc<SignatureCache>,
    leaves: I,
    intermediates: &'a [Certificate],
    policies: Vec<&'a dyn Policy>,
}

impl<'a, I> Batch<'a, I> {
    pub(crate) fn new(
        evaluator: &TrustEvaluator,
        leaves: I,
        intermediates: &'a [Certificate],
        policies: &[&'a dyn Policy],
    ) -> Self {
        let (evaluator, cache) = evaluator.with_shared_cache();
        Batch {
            evaluator,
            cache,
            leaves,
            intermediates,
            policies: policies.to_vec(),
        }
    }

    /// The signature cache this batch shares: the evaluator's own
    /// ([`TrustEvaluatorBuilder::with_cache`](crate::TrustEvaluatorBuilder::with_cache)), or a
    /// fresh one made for the batch. Its [`hits`](SignatureCache::hits) tell how much work
    /// the batch saved; hand it to the next batch's evaluator to keep what it learnt.
    pub fn cache(&self) -> &Arc<SignatureCache> {
        &self.cache
    }
}

impl<I, L> Iterator for Batch<'_, I>
where
    I: Iterator<Item = L>,
    L: Borrow<Certificate>,
{
    type Item = Result<Verdict, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let leaf = self.leaves.next()?;
        Some(
            self.evaluator
                .evaluate(leaf.borrow(), self.intermediates, &self.policies),
        )
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.leaves.size_hint()
    }
}

impl<I, L> ExactSizeIterator for Batch<'_, I>
where
    I: ExactSizeIterator<Item = L>,
    L: Borrow<Certificate>,
{
}

impl<I, L> FusedIterator for Batch<'_, I>
where
    I: FusedIterator<Item = L>,
    L: Borrow<Certificate>,
{
}

impl<I> std::fmt::Debug for Batch<'_, I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch")
            .field("platform", &self.evaluator.platform())
            .field("intermediates", &self.intermediates.len())
            .field(
                "policies",
                &self.policies.iter().map(|p| p.name()).collect::<Vec<_>>(),
            )
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}
