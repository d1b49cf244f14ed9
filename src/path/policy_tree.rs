//! RFC 5280 §6.1 certificate-policy processing: the valid_policy_tree with policy mapping,
//! requireExplicitPolicy, inhibitPolicyMapping and inhibitAnyPolicy (`apple-trust.md §4`).
//!
//! The steps follow RFC 5280 §6.1.2 (initialisation), §6.1.3 (d)–(f) (basic certificate
//! processing), §6.1.4 (a)–(b), (h)–(j) (preparation for the next certificate) and §6.1.5 (a),
//! (b), (g) (wrap-up), each function citing its clause. A failure is Apple's `PolicyConstraints`
//! check (`apple-trust.md §2`, forced). trustd itself runs with the RFC's default inputs
//! (user-initial-policy-set = {anyPolicy}, every initial flag off); [`PolicySettings`] lets a
//! caller — NIST PKITS, for one — set them.

#[cfg(test)]
mod tests;
mod tree;

use std::collections::{HashMap, HashSet};

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5280::ANY_POLICY;

use crate::certificate::{Certificate, PolicyConstraints, PolicyInformation};
use tree::{TooLarge, Tree};

/// The most a valid_policy_tree may grow to, counting every node created plus every entry of
/// its expected_policy_set. Processing stops with `Err` at the certificate that would exceed
/// it.
///
/// Why this number: a real path (≤ 10 certificates asserting a handful of policies, a few
/// mappings) builds at most a few hundred nodes, and all of NIST PKITS stays under a hundred;
/// but the RFC's tree can grow exponentially — every certificate asserting k policies, or
/// anyPolicy over k expected policies, multiplies the deepest level — which is what OpenSSL's
/// CVE-2023-0464 and x509-limbo's `pathological::` chains exploit. 10,000 leaves room of two
/// orders of magnitude over anything legitimate while bounding time and memory to milliseconds
/// and a few hundred kilobytes.
pub const MAX_POLICY_TREE_SIZE: usize = 10_000;

/// The initial inputs of RFC 5280 §6.1.1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicySettings {
    /// user-initial-policy-set; empty means {anyPolicy}.
    pub initial_policy_set: Vec<ObjectIdentifier>,
    /// initial-explicit-policy.
    pub initial_explicit_policy: bool,
    /// initial-policy-mapping-inhibit.
    pub initial_policy_mapping_inhibit: bool,
    /// initial-any-policy-inhibit.
    pub initial_any_policy_inhibit: bool,
}

/// Runs policy processing over `path`, leaf first, holding ONLY the certificates RFC 5280
/// processes: the trust anchor is left out by the caller (trustd leaves out an anchored path's
/// last certificate; an unanchored path is processed whole). n = `path.len()`.
///
/// Returns `Err(index)` (leaf-first) of the certificate at which the path fails: where
/// explicit_policy is 0 and the valid_policy_tree is NULL (§6.1.3 (f)); where a
/// policyMappings extension maps to or from anyPolicy (§6.1.4 (a)); where the tree would
/// exceed [`MAX_POLICY_TREE_SIZE`]; or `Err(0)` when the wrap-up finds explicit_policy 0 and
/// the intersection with the user-initial-policy-set empty (§6.1.5 (g)).
pub fn process(path: &[Certificate], settings: &PolicySettings) -> Result<(), usize> {
    let facts: Vec<PolicyFacts<'_>> = path.iter().map(PolicyFacts::of).collect();
    process_facts(&facts, settings).map_err(|(index, _)| index)
}

/// What policy processing reads from one certificate.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PolicyFacts<'a> {
    /// certificatePolicies (`None`: absent).
    pub(crate) policies: Option<&'a [PolicyInformation]>,
    /// policyMappings (issuerDomainPolicy, subjectDomainPolicy).
    pub(crate) mappings: Option<&'a [(ObjectIdentifier, ObjectIdentifier)]>,
    /// policyConstraints.
    pub(crate) constraints: Option<PolicyConstraints>,
    /// inhibitAnyPolicy skipCerts.
    pub(crate) inhibit_any_policy: Option<u32>,
    /// Whether subject and issuer match.
    pub(crate) self_issued: bool,
}

impl<'a> PolicyFacts<'a> {
    /// Reads the facts off a parsed certificate.
    pub(crate) fn of(cert: &'a Certificate) -> Self {
        let extensions = cert.extensions();
        PolicyFacts {
            policies: extensions.certificate_policies.as_deref(),
            mappings: extensions.policy_mappings.as_deref(),
            constraints: extensions.policy_constraints,
            inhibit_any_policy: extensions.inhibit_any_policy,
            self_issued: cert.is_self_issued(),
        }
    }
}

/// Why processing stopped at a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// §6.1.3 (f) / §6.1.5: explicit policy required and no valid policy.
    NoValidPolicy,
    /// §6.1.4 (a): a mapping to or from anyPolicy.
    AnyPolicyMapping,
    /// [`MAX_POLICY_TREE_SIZE`] reached.
    TooLarge,
}

impl From<TooLarge> for Stop {
    fn from(_: TooLarge) -> Self {
        Stop::TooLarge
    }
}

/// The state variables of RFC 5280 §6.1.2.
struct State {
    /// valid_policy_tree; `None` is NULL.
    tree: Option<Tree>,
    explicit_policy: u64,
    inhibit_any_policy: u64,
    policy_mapping: u64,
    /// n, the number of certificates processed.
    n: usize,
}

/// The engine behind [`process`], over plain per-certificate facts (leaf first); the error
/// also says why processing stopped.
pub(crate) fn process_facts(
    path: &[PolicyFacts<'_>],
    settings: &PolicySettings,
) -> Result<(), (usize, Stop)> {
    let n = path.len();
    if n == 0 {
        return Ok(());
    }
    let mut state = State::new(n, settings);
    // RFC order: certificate i = 1 … n is path[n - i]; the leaf, path[0], is certificate n.
    for i in 1..=n {
        let index = n - i;
        let cert = &path[index];
        let step = state.process_certificate(i, cert).and_then(|()| {
            if i < n {
                state.prepare_next(i, cert)
            } else {
                state.wrap_up(cert, settings)
            }
        });
        step.map_err(|stop| (index, stop))?;
    }
    Ok(())
}

impl State {
    /// §6.1.2 (a), (d)–(f).
    fn new(n: usize, settings: &PolicySettings) -> Self {
        let initial = |inhibited: bool| if inhibited { 0 } else { n as u64 + 1 };
        State {
            tree: Some(Tree::new()),
            explicit_policy: initial(settings.initial_explicit_policy),
            inhibit_any_policy: initial(settings.initial_any_policy_inhibit),
            policy_mapping: initial(settings.initial_policy_mapping_inhibit),
            n,
        }
    }

    /// §6.1.3 (d)–(f) for certificate `i`.
    fn process_certificate(&mut self, i: usize, cert: &PolicyFacts<'_>) -> Result<(), Stop> {
        match cert.policies {
            // (d)
            Some(policies) => {
                if let Some(tree) = &mut self.tree {
                    let any_allowed =
                        self.inhibit_any_policy > 0 || (i < self.n && cert.self_issued);
                    grow(tree, i, policies, any_allowed)?;
                    if tree.is_null() {
                        self.tree = None;
                    }
                }
            }
            // (e)
            None => self.tree = None,
        }
        // (f)
        if self.explicit_policy == 0 && self.tree.is_none() {
            return Err(Stop::NoValidPolicy);
        }
        Ok(())
    }

    /// §6.1.4 (a), (b), (h)–(j) after certificate `i` (i < n).
    fn prepare_next(&mut self, i: usize, cert: &PolicyFacts<'_>) -> Result<(), Stop> {
        if let Some(mappings) = cert.mappings {
            // (a)
            if mappings
                .iter()
                .any(|(from, to)| *from == ANY_POLICY || *to == ANY_POLICY)
            {
                return Err(Stop::AnyPolicyMapping);
            }
            // (b)
            if let Some(tree) = &mut self.tree {
                map(tree, i, mappings, self.policy_mapping > 0)?;
                if tree.is_null() {
                    self.tree = None;
                }
            }
        }
        // (h)
        if !cert.self_issued {
            for counter in [
                &mut self.explicit_policy,
                &mut self.policy_mapping,
                &mut self.inhibit_any_policy,
            ] {
                *counter = counter.saturating_sub(1);
            }
        }
        // (i)
        if let Some(pc) = cert.constraints {
            if let Some(r) = pc.require_explicit_policy {
                self.explicit_policy = self.explicit_policy.min(r.into());
            }
            if let Some(m) = pc.inhibit_policy_mapping {
                self.policy_mapping = self.policy_mapping.min(m.into());
            }
        }
        // (j)
        if let Some(skip) = cert.inhibit_any_policy {
            self.inhibit_any_policy = self.inhibit_any_policy.min(skip.into());
        }
        Ok(())
    }

    /// §6.1.5 (a), (b), (g) after certificate n, and the final verdict.
    fn wrap_up(&mut self, cert: &PolicyFacts<'_>, settings: &PolicySettings) -> Result<(), Stop> {
        // (a)
        self.explicit_policy = self.explicit_policy.saturating_sub(1);
        // (b)
        if cert
            .constraints
            .is_some_and(|pc| pc.require_explicit_policy == Some(0))
        {
            self.explicit_policy = 0;
        }
        // (g)
        let user_set = &settings.initial_policy_set;
        let any = user_set.is_empty() || user_set.contains(&ANY_POLICY);
        if let (Some(tree), false) = (&mut self.tree, any) {
            intersect(tree, user_set)?;
            if tree.is_null() {
                self.tree = None;
            }
        }
        if self.explicit_policy > 0 || self.tree.is_some() {
            Ok(())
        } else {
            Err(Stop::NoValidPolicy)
        }
    }
}

/// §6.1.3 (d)(1)–(3): adds depth `i` for a certificate asserting `policies`; `any_allowed` is
/// (d)(2)'s condition for honouring anyPolicy.
fn grow(
    tree: &mut Tree,
    i: usize,
    policies: &[PolicyInformation],
    any_allowed: bool,
) -> Result<(), TooLarge> {
    tree.push_level();
    let parent_depth = i - 1;
    let mut asserted: Vec<ObjectIdentifier> = Vec::new();
    let mut distinct: HashSet<ObjectIdentifier> = HashSet::new();
    let mut has_any = false;
    for p in policies {
        if p.oid == ANY_POLICY {
            has_any = true;
        } else if distinct.insert(p.oid) {
            asserted.push(p.oid);
        }
    }
    // (d)(1): children for every policy a parent expects, else under the anyPolicy parent.
    let mut expecting: HashMap<ObjectIdentifier, Vec<usize>> = HashMap::new();
    let mut any_parents = Vec::new();
    for (k, node) in tree.level(parent_depth) {
        for e in &node.expected {
            expecting.entry(*e).or_default().push(k);
        }
        if node.policy == ANY_POLICY {
            any_parents.push(k);
        }
    }
    for p in &asserted {
        for &k in expecting.get(p).unwrap_or(&any_parents) {
            tree.add(i, k, *p, vec![*p])?;
        }
    }
    // (d)(2): anyPolicy stands for every expected policy without a child yet.
    if has_any && any_allowed {
        let mut seen: HashSet<(usize, ObjectIdentifier)> =
            tree.level(i).map(|(_, c)| (c.parent, c.policy)).collect();
        let mut missing: Vec<(usize, ObjectIdentifier)> = Vec::new();
        for (k, node) in tree.level(parent_depth) {
            for e in &node.expected {
                if seen.insert((k, *e)) {
                    missing.push((k, *e));
                }
            }
        }
        for (k, e) in missing {
            tree.add(i, k, e, vec![e])?;
        }
    }
    // (d)(3)
    tree.prune_above(i);
    Ok(())
}

/// §6.1.4 (b): applies certificate `i`'s policy mappings to depth `i`; `mapping_allowed` is
/// policy_mapping > 0.
fn map(
    tree: &mut Tree,
    i: usize,
    mappings: &[(ObjectIdentifier, ObjectIdentifier)],
    mapping_allowed: bool,
) -> Result<(), TooLarge> {
    // Group the subjectDomainPolicy values by issuerDomainPolicy, in order of appearance.
    let mut order: Vec<ObjectIdentifier> = Vec::new();
    let mut targets: HashMap<ObjectIdentifier, Vec<ObjectIdentifier>> = HashMap::new();
    let mut distinct: HashSet<(ObjectIdentifier, ObjectIdentifier)> = HashSet::new();
    for &(from, to) in mappings {
        if distinct.insert((from, to)) {
            targets
                .entry(from)
                .or_insert_with(|| {
                    order.push(from);
                    Vec::new()
                })
                .push(to);
        }
    }
    // Depth i indexed by valid_policy, and the parents of its anyPolicy nodes.
    let mut holders: HashMap<ObjectIdentifier, Vec<usize>> = HashMap::new();
    let mut any_parents: Vec<usize> = Vec::new();
    for (k, node) in tree.level(i) {
        holders.entry(node.policy).or_default().push(k);
        if node.policy == ANY_POLICY {
            any_parents.push(node.parent);
        }
    }
    for from in order {
        let tos = &targets[&from];
        match holders.get(&from) {
            // (b)(2)(i)
            Some(nodes) if !mapping_allowed => {
                for &k in nodes {
                    tree.kill(i, k);
                }
            }
            // (b)(1): the nodes for ID-P now expect the mapped policies.
            Some(nodes) => {
                for &k in nodes {
                    tree.set_expected(i, k, tos.clone())?;
                }
            }
            // (b)(1): no node for ID-P, but an anyPolicy node at depth i stands for it.
            None if mapping_allowed => {
                for &parent in &any_parents {
                    tree.add(i, parent, from, tos.clone())?;
                }
            }
            None => {}
        }
    }
    if !mapping_allowed {
        // (b)(2)(ii)
        tree.prune_above(i);
    }
    Ok(())
}

/// §6.1.5 (g)(iii): the intersection of the tree with a user-initial-policy-set that is not
/// anyPolicy.
fn intersect(tree: &mut Tree, user_set: &[ObjectIdentifier]) -> Result<(), TooLarge> {
    let n = tree.depth();
    // (1) valid_policy_node_set: the nodes whose parent is anyPolicy.
    let mut node_set: Vec<(usize, usize, ObjectIdentifier)> = Vec::new();
    for depth in 1..=n {
        for (k, node) in tree.level(depth) {
            if tree.is_any(depth - 1, node.parent) {
                node_set.push((depth, k, node.policy));
            }
        }
    }
    // (2) drop those outside the user set (anyPolicy stays).
    for &(depth, k, policy) in &node_set {
        if policy != ANY_POLICY && !user_set.contains(&policy) {
            tree.kill(depth, k);
        }
    }
    tree.bury_orphans();
    // (3) an anyPolicy leaf stands for each user policy not already in the node set.
    let any_leaf = tree
        .level(n)
        .find(|(_, node)| node.policy == ANY_POLICY)
        .map(|(k, node)| (k, node.parent));
    if let Some((k, parent)) = any_leaf {
        let mut present: HashSet<ObjectIdentifier> = node_set.iter().map(|&(_, _, p)| p).collect();
        for p in user_set {
            if present.insert(*p) {
                tree.add(n, parent, *p, vec![*p])?;
            }
        }
        tree.kill(n, k);
    }
    // (4)
    tree.prune_above(n);
    Ok(())
}
