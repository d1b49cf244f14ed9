//! The valid_policy_tree of RFC 5280 §6.1.2 (a), stored level by level.
//!
//! Nodes are never removed, only marked dead, so indices stay stable while the processing
//! steps add and prune nodes; the size budget counts every node ever created.

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5280::ANY_POLICY;

/// One node: valid_policy and expected_policy_set (qualifiers are not kept: nothing reports
/// them).
#[derive(Debug, Clone)]
pub(super) struct Node {
    pub(super) policy: ObjectIdentifier,
    pub(super) expected: Vec<ObjectIdentifier>,
    /// Index of the parent in the level above (unused for the root).
    pub(super) parent: usize,
    pub(super) alive: bool,
}

/// The tree would exceed [`super::MAX_POLICY_TREE_SIZE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TooLarge;

/// A valid_policy_tree that is not NULL (its root is alive).
#[derive(Debug, Clone)]
pub(super) struct Tree {
    /// `levels[d]` holds the nodes of depth `d`; `levels[0]` is the root alone.
    levels: Vec<Vec<Node>>,
    /// Nodes plus expected-policy entries ever created, for the budget.
    size: usize,
}

impl Tree {
    /// The initial tree: one anyPolicy node of depth 0 expecting {anyPolicy} (§6.1.2 (a)).
    pub(super) fn new() -> Self {
        Tree {
            levels: vec![vec![Node {
                policy: ANY_POLICY,
                expected: vec![ANY_POLICY],
                parent: 0,
                alive: true,
            }]],
            size: 2,
        }
    }

    /// The deepest depth.
    pub(super) fn depth(&self) -> usize {
        self.levels.len() - 1
    }

    /// Whether the root is still alive (the tree is not NULL).
    pub(super) fn is_null(&self) -> bool {
        !self.levels[0][0].alive
    }

    /// Whether node `index` of depth `depth` is alive with valid_policy anyPolicy.
    pub(super) fn is_any(&self, depth: usize, index: usize) -> bool {
        let node = &self.levels[depth][index];
        node.alive && node.policy == ANY_POLICY
    }

    /// Living nodes of depth `depth`, with their indices.
    pub(super) fn level(&self, depth: usize) -> impl Iterator<Item = (usize, &Node)> {
        self.levels[depth]
            .iter()
            .enumerate()
            .filter(|(_, n)| n.alive)
    }

    /// Opens a new, empty deepest level.
    pub(super) fn push_level(&mut self) {
        self.levels.push(Vec::new());
    }

    /// Charges `cost` against the budget.
    fn charge(&mut self, cost: usize) -> Result<(), TooLarge> {
        self.size = self.size.saturating_add(cost);
        if self.size > super::MAX_POLICY_TREE_SIZE {
            return Err(TooLarge);
        }
        Ok(())
    }

    /// Adds a node of depth `depth` under node `parent` of depth `depth - 1`.
    pub(super) fn add(
        &mut self,
        depth: usize,
        parent: usize,
        policy: ObjectIdentifier,
        expected: Vec<ObjectIdentifier>,
    ) -> Result<(), TooLarge> {
        self.charge(1 + expected.len())?;
        self.levels[depth].push(Node {
            policy,
            expected,
            parent,
            alive: true,
        });
        Ok(())
    }

    /// Replaces the expected_policy_set of node `index` of depth `depth`.
    pub(super) fn set_expected(
        &mut self,
        depth: usize,
        index: usize,
        expected: Vec<ObjectIdentifier>,
    ) -> Result<(), TooLarge> {
        self.charge(expected.len())?;
        self.levels[depth][index].expected = expected;
        Ok(())
    }

    /// Marks node `index` of depth `depth` dead; call [`Tree::bury_orphans`] afterwards when it
    /// may have children.
    pub(super) fn kill(&mut self, depth: usize, index: usize) {
        self.levels[depth][index].alive = false;
    }

    /// Kills every node whose parent is dead ("delete this node and all its children").
    pub(super) fn bury_orphans(&mut self) {
        for depth in 1..self.levels.len() {
            let (above, below) = self.levels.split_at_mut(depth);
            let parents = &above[depth - 1];
            for node in &mut below[0] {
                node.alive &= parents[node.parent].alive;
            }
        }
    }

    /// Deletes every node of depth below `depth` without living children, repeatedly
    /// (§6.1.3 (d)(3), §6.1.4 (b)(2)(ii), §6.1.5 (g)(iii)(4)).
    pub(super) fn prune_above(&mut self, depth: usize) {
        for d in (0..depth.min(self.levels.len())).rev() {
            let mut has_child = vec![false; self.levels[d].len()];
            if let Some(children) = self.levels.get(d + 1) {
                for child in children.iter().filter(|c| c.alive) {
                    has_child[child.parent] = true;
                }
            }
            for (node, has_child) in self.levels[d].iter_mut().zip(has_child) {
                node.alive &= has_child;
            }
        }
    }
}
