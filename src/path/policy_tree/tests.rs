//! Policy-processing rules over constructed inputs; the PKITS 4.8–4.12 scenarios mirror the
//! real certificates' policies, mappings and constraints (chains written anchor side first,
//! trust anchor left out, as PKITS lists them).

use super::*;

const ANY: ObjectIdentifier = ANY_POLICY;

/// NIST-test-policy-`k` (2.16.840.1.101.3.2.1.48.k).
fn p(k: u32) -> ObjectIdentifier {
    ObjectIdentifier::new(&format!("2.16.840.1.101.3.2.1.48.{k}")).unwrap()
}

/// A certificate as policy processing sees it.
#[derive(Default, Clone)]
struct Cert {
    policies: Option<Vec<PolicyInformation>>,
    mappings: Option<Vec<(ObjectIdentifier, ObjectIdentifier)>>,
    constraints: Option<PolicyConstraints>,
    inhibit_any_policy: Option<u32>,
    self_issued: bool,
}

/// A certificate without certificatePolicies.
fn none() -> Cert {
    Cert::default()
}

/// A certificate asserting `oids`.
fn pol(oids: &[ObjectIdentifier]) -> Cert {
    Cert {
        policies: Some(
            oids.iter()
                .map(|oid| PolicyInformation {
                    oid: *oid,
                    qualifiers: Vec::new(),
                })
                .collect(),
        ),
        ..Cert::default()
    }
}

impl Cert {
    fn map(mut self, pairs: &[(ObjectIdentifier, ObjectIdentifier)]) -> Self {
        self.mappings = Some(pairs.to_vec());
        self
    }

    /// requireExplicitPolicy.
    fn rep(mut self, skip: u32) -> Self {
        self.constraints
            .get_or_insert_default()
            .require_explicit_policy = Some(skip);
        self
    }

    /// inhibitPolicyMapping.
    fn ipm(mut self, skip: u32) -> Self {
        self.constraints
            .get_or_insert_default()
            .inhibit_policy_mapping = Some(skip);
        self
    }

    /// inhibitAnyPolicy.
    fn iap(mut self, skip: u32) -> Self {
        self.inhibit_any_policy = Some(skip);
        self
    }

    fn self_issued(mut self) -> Self {
        self.self_issued = true;
        self
    }

    fn facts(&self) -> PolicyFacts<'_> {
        PolicyFacts {
            policies: self.policies.as_deref(),
            mappings: self.mappings.as_deref(),
            constraints: self.constraints,
            inhibit_any_policy: self.inhibit_any_policy,
            self_issued: self.self_issued,
        }
    }
}

/// Runs the engine over `leaf_first`.
fn run(leaf_first: &[Cert], settings: &PolicySettings) -> Result<(), (usize, Stop)> {
    let facts: Vec<_> = leaf_first.iter().map(Cert::facts).collect();
    process_facts(&facts, settings)
}

/// Runs the engine over a chain written anchor side first (PKITS order), anchor excluded.
fn chain(anchor_first: &[Cert], settings: &PolicySettings) -> Result<(), (usize, Stop)> {
    let leaf_first: Vec<Cert> = anchor_first.iter().rev().cloned().collect();
    run(&leaf_first, settings)
}

fn valid(anchor_first: &[Cert], settings: &PolicySettings) -> bool {
    chain(anchor_first, settings).is_ok()
}

fn default() -> PolicySettings {
    PolicySettings::default()
}

fn explicit() -> PolicySettings {
    PolicySettings {
        initial_explicit_policy: true,
        ..default()
    }
}

fn initial(set: &[ObjectIdentifier]) -> PolicySettings {
    PolicySettings {
        initial_policy_set: set.to_vec(),
        ..default()
    }
}

fn explicit_initial(set: &[ObjectIdentifier]) -> PolicySettings {
    PolicySettings {
        initial_explicit_policy: true,
        ..initial(set)
    }
}

// --- rules -----------------------------------------------------------------------------------

#[test]
fn empty_path_is_valid() {
    assert_eq!(run(&[], &explicit()), Ok(()));
}

#[test]
fn no_policies_anywhere_is_valid_unless_explicit_policy_is_required() {
    assert_eq!(chain(&[none(), none()], &default()), Ok(()));
    // Explicit from the start: the first certificate (index 1, leaf first) empties the tree.
    assert_eq!(
        chain(&[none(), pol(&[p(1)])], &explicit()),
        Err((1, Stop::NoValidPolicy))
    );
}

#[test]
fn explicit_policy_failure_is_reported_where_the_tree_empties() {
    let path = [pol(&[p(1)]).rep(0), pol(&[p(2)]), pol(&[p(2)])];
    assert_eq!(chain(&path, &default()), Err((1, Stop::NoValidPolicy)));
}

#[test]
fn require_explicit_policy_skip_certs_counts_the_certificates_below_it() {
    // As in PKITS 4.9.2/4.9.3: with skipCerts k, the path must hold a valid policy once the
    // k-th certificate below has been processed.
    assert!(valid(&[pol(&[p(1)]).rep(2), none()], &default()));
    assert_eq!(
        chain(&[pol(&[p(1)]).rep(1), none()], &default()),
        Err((0, Stop::NoValidPolicy))
    );
    assert_eq!(
        chain(&[pol(&[p(1)]).rep(0), none(), none()], &default()),
        Err((1, Stop::NoValidPolicy))
    );
}

#[test]
fn require_explicit_policy_zero_on_the_leaf_applies_at_wrap_up() {
    // §6.1.5 (b): the leaf's own requireExplicitPolicy 0 counts, and the wrap-up fails at 0.
    assert!(valid(&[pol(&[p(1)]), pol(&[p(1)]).rep(0)], &default()));
    assert!(valid(&[pol(&[p(1)]), pol(&[p(2)])], &default()));
    assert_eq!(
        chain(&[pol(&[p(1)]), pol(&[p(2)]).rep(0)], &default()),
        Err((0, Stop::NoValidPolicy))
    );
}

#[test]
fn mapping_to_or_from_any_policy_is_rejected_at_the_mapping_certificate() {
    let from_any = [pol(&[ANY]).map(&[(ANY, p(1))]), pol(&[p(1)])];
    assert_eq!(
        chain(&from_any, &default()),
        Err((1, Stop::AnyPolicyMapping))
    );
    let to_any = [pol(&[p(1)]).map(&[(p(1), ANY)]), pol(&[ANY])];
    assert_eq!(chain(&to_any, &default()), Err((1, Stop::AnyPolicyMapping)));
    // Even when the tree is already NULL.
    let null_tree = [none().map(&[(p(1), ANY)]), none()];
    assert_eq!(
        chain(&null_tree, &default()),
        Err((1, Stop::AnyPolicyMapping))
    );
}

#[test]
fn mappings_of_the_final_certificate_are_not_processed() {
    assert!(valid(
        &[pol(&[p(1)]), pol(&[p(1)]).map(&[(p(1), ANY)])],
        &default()
    ));
}

#[test]
fn repeated_policy_in_one_certificate_is_one_node() {
    assert!(valid(
        &[pol(&[p(1), p(1)]), pol(&[p(1)])],
        &explicit_initial(&[p(1)])
    ));
}

#[test]
fn user_initial_policy_set_containing_any_policy_means_any() {
    assert!(valid(
        &[pol(&[p(1)]).rep(0), pol(&[p(1)])],
        &initial(&[p(2), ANY])
    ));
}

#[test]
fn empty_intersection_with_the_user_set_fails_only_under_explicit_policy() {
    let path = [pol(&[p(1)]), pol(&[p(1)])];
    assert!(valid(&path, &initial(&[p(2)])));
    assert_eq!(
        chain(&path, &explicit_initial(&[p(2)])),
        Err((0, Stop::NoValidPolicy))
    );
}

#[test]
fn self_issued_intermediate_does_not_count_against_skip_certs() {
    assert!(valid(
        &[pol(&[p(1)]).rep(2), pol(&[p(1)]).self_issued(), none()],
        &default()
    ));
    assert!(!valid(
        &[pol(&[p(1)]).rep(2), pol(&[p(1)]), none()],
        &default()
    ));
}

#[test]
fn tree_growth_beyond_the_budget_stops_at_that_certificate() {
    // Every certificate asserts P1…P10 and maps each to all ten: the tree grows tenfold per
    // certificate (the CVE-2023-0464 shape).
    let ten: Vec<ObjectIdentifier> = (1..=10).map(p).collect();
    let pairs: Vec<_> = ten
        .iter()
        .flat_map(|from| ten.iter().map(move |to| (*from, *to)))
        .collect();
    let ca = pol(&ten).map(&pairs);
    let path = vec![ca; 8];
    // Sizes after each certificate: 122, 1,322, then 13,322 > 10,000 at certificate 3 of 8,
    // which is index 5 leaf first.
    assert_eq!(chain(&path, &default()), Err((5, Stop::TooLarge)));
}

#[test]
fn one_certificate_asserting_more_policies_than_the_budget_stops_there() {
    let many: Vec<ObjectIdentifier> = (1..=6000).map(p).collect();
    let path = [pol(&many), pol(&[p(1)])];
    assert_eq!(chain(&path, &default()), Err((1, Stop::TooLarge)));
}

#[test]
fn many_mappings_for_policies_not_in_the_tree_are_cheap_and_harmless() {
    let pairs: Vec<_> = (2..=20_000).map(|k| (p(k), p(k + 1))).collect();
    let path = [pol(&[p(1)]).rep(0).map(&pairs), pol(&[p(1)])];
    assert_eq!(chain(&path, &default()), Ok(()));
}

#[test]
fn wide_but_legitimate_trees_fit_the_budget() {
    let many: Vec<ObjectIdentifier> = (1..=200).map(p).collect();
    let path = vec![pol(&many); 6];
    assert_eq!(chain(&path, &explicit_initial(&many[..3])), Ok(()));
}

// --- NIST PKITS 4.8 Certificate Policies ------------------------------------------------------

fn good_ca() -> Cert {
    pol(&[p(1)])
}

#[test]
fn pkits_4_8_1_all_certificates_same_policy() {
    let path = [good_ca(), pol(&[p(1)])];
    assert!(valid(&path, &explicit()));
    assert!(valid(&path, &explicit_initial(&[p(1)])));
    assert!(!valid(&path, &explicit_initial(&[p(2)])));
    assert!(valid(&path, &explicit_initial(&[p(1), p(2)])));
}

#[test]
fn pkits_4_8_2_all_certificates_no_policies() {
    assert!(valid(&[none(), none()], &default()));
    assert!(!valid(&[none(), none()], &explicit()));
}

#[test]
fn pkits_4_8_3_different_policies() {
    let path = [good_ca(), pol(&[p(2)]), pol(&[p(2)])];
    assert!(valid(&path, &default()));
    assert!(!valid(&path, &explicit()));
    assert!(!valid(&path, &explicit_initial(&[p(1), p(2)])));
}

#[test]
fn pkits_4_8_4_and_5_different_policies_under_require_explicit() {
    assert!(!valid(
        &[good_ca(), pol(&[p(1)]).rep(0), pol(&[p(2)])],
        &default()
    ));
    assert!(!valid(
        &[good_ca(), pol(&[p(2)]).rep(0), pol(&[p(1)])],
        &default()
    ));
}

#[test]
fn pkits_4_8_6_overlapping_policies() {
    let path = [
        pol(&[p(1), p(2), p(3), p(4)]).rep(0),
        pol(&[p(1), p(2), p(3)]),
        pol(&[p(1), p(2)]),
        pol(&[p(1)]),
    ];
    assert!(valid(&path, &default()));
    assert!(valid(&path, &initial(&[p(1)])));
    assert!(!valid(&path, &initial(&[p(2)])));
}

#[test]
fn pkits_4_8_7_to_9_different_policies() {
    let p123 = || pol(&[p(1), p(2), p(3)]).rep(0);
    let p12 = || pol(&[p(1), p(2)]);
    assert!(!valid(
        &[p123(), p12(), pol(&[p(1)]), pol(&[p(2)])],
        &default()
    ));
    let p12_rep = pol(&[p(1), p(2)]).rep(0);
    assert!(!valid(
        &[p12_rep, pol(&[p(1)]), pol(&[p(2)]), pol(&[p(2)])],
        &default()
    ));
    let path = [p123(), p12(), pol(&[p(2)]), pol(&[p(1)]), pol(&[p(1)])];
    assert!(!valid(&path, &default()));
}

#[test]
fn pkits_4_8_10_all_certificates_same_policies() {
    let path = [pol(&[p(1), p(2)]).rep(0), pol(&[p(1), p(2)])];
    assert!(valid(&path, &default()));
    assert!(valid(&path, &initial(&[p(1)])));
    assert!(valid(&path, &initial(&[p(2)])));
}

#[test]
fn pkits_4_8_11_all_certificates_any_policy() {
    // With {P1} the anyPolicy leaf stands for P1 (§6.1.5 (g)(iii)(3)).
    let path = [pol(&[ANY]).rep(0), pol(&[ANY])];
    assert!(valid(&path, &default()));
    assert!(valid(&path, &initial(&[p(1)])));
}

#[test]
fn pkits_4_8_12_different_policies() {
    assert!(!valid(&[pol(&[p(3)]).rep(0), pol(&[p(4)])], &default()));
}

#[test]
fn pkits_4_8_13_all_certificates_same_policies() {
    let path = [pol(&[p(1), p(2), p(3)]).rep(0), pol(&[p(1), p(2), p(3)])];
    for k in 1..=3 {
        assert!(valid(&path, &initial(&[p(k)])));
    }
}

#[test]
fn pkits_4_8_14_any_policy() {
    let path = [pol(&[ANY]).rep(0), pol(&[p(1)])];
    assert!(valid(&path, &initial(&[p(1)])));
    assert!(!valid(&path, &initial(&[p(2)])));
}

#[test]
fn pkits_4_8_15_to_20_qualifiers_do_not_matter() {
    assert!(valid(&[pol(&[p(1)])], &default()));
    assert!(valid(&[good_ca(), pol(&[p(1), p(2)])], &default()));
    assert!(valid(&[good_ca(), pol(&[ANY])], &default()));
    let path = [pol(&[p(1), p(2)]).rep(0), pol(&[p(1), ANY])];
    assert!(valid(&path, &initial(&[p(1)])));
    assert!(valid(&path, &initial(&[p(2)])));
    assert!(valid(
        &[good_ca(), pol(&[p(1)])],
        &explicit_initial(&[p(1)])
    ));
}

// --- NIST PKITS 4.9 Require Explicit Policy ---------------------------------------------------

fn rep_chain(first: Cert, ee: Cert) -> Vec<Cert> {
    vec![first, good_ca(), good_ca(), good_ca(), ee]
}

#[test]
fn pkits_4_9_1_to_4_require_explicit_policy_distance() {
    assert!(valid(&rep_chain(pol(&[p(1)]).rep(10), none()), &default()));
    assert!(valid(&rep_chain(pol(&[p(1)]).rep(5), none()), &default()));
    assert_eq!(
        chain(&rep_chain(pol(&[p(1)]).rep(4), none()), &default()),
        Err((0, Stop::NoValidPolicy))
    );
    assert!(valid(
        &rep_chain(pol(&[p(1)]).rep(0), pol(&[p(1)])),
        &default()
    ));
}

#[test]
fn pkits_4_9_5_smallest_require_explicit_policy_wins() {
    let path = [
        pol(&[p(1)]).rep(7),
        pol(&[p(1)]).rep(2),
        pol(&[p(1)]).rep(4),
        good_ca(),
        none(),
    ];
    assert!(!valid(&path, &default()));
}

#[test]
fn pkits_4_9_6_to_8_self_issued_require_explicit_policy() {
    let ca = || pol(&[p(1)]).rep(2);
    let self_issued = || pol(&[p(1)]).self_issued();
    assert!(valid(&[ca(), self_issued(), none()], &default()));
    assert!(!valid(
        &[ca(), self_issued(), good_ca(), none()],
        &default()
    ));
    assert!(!valid(
        &[ca(), self_issued(), good_ca(), self_issued(), none()],
        &default()
    ));
}

// --- NIST PKITS 4.10 Policy Mappings ----------------------------------------------------------

#[test]
fn pkits_4_10_1_and_2_mapping_one_to_two() {
    let ca = || pol(&[p(1)]).rep(0).map(&[(p(1), p(2))]);
    let path = [ca(), pol(&[p(2)])];
    assert!(valid(&path, &initial(&[p(1)])));
    assert!(!valid(&path, &initial(&[p(2)])));
    let inhibit = PolicySettings {
        initial_policy_mapping_inhibit: true,
        ..default()
    };
    assert!(!valid(&path, &inhibit));
    let path = [ca(), pol(&[p(1)])];
    assert!(!valid(&path, &default()));
    assert!(!valid(&path, &inhibit));
}

#[test]
fn pkits_4_10_3_and_4_mapping_chains() {
    let cas = || {
        vec![
            pol(&[p(1), p(2)]).rep(0).map(&[(p(1), p(3))]),
            pol(&[p(2), p(5)]).map(&[(p(2), p(4)), (p(5), p(7))]),
            pol(&[p(3), p(4)]).map(&[(p(4), p(8))]),
        ]
    };
    let with = |ee: Cert| {
        let mut path = cas();
        path.push(ee);
        path
    };
    assert!(!valid(&with(pol(&[p(8)])), &initial(&[p(1)])));
    assert!(valid(&with(pol(&[p(8)])), &initial(&[p(2)])));
    assert!(!valid(&with(pol(&[p(3)])), &default()));
}

#[test]
fn pkits_4_10_5_and_6_one_to_many_mapping() {
    let cas = || {
        vec![
            pol(&[p(1)])
                .rep(0)
                .map(&[(p(1), p(2)), (p(1), p(3)), (p(1), p(4))]),
            pol(&[p(2), p(4)]).map(&[(p(2), p(5)), (p(4), p(6))]),
        ]
    };
    for ee in [p(6), p(5)] {
        let mut path = cas();
        path.push(pol(&[ee]));
        assert!(valid(&path, &initial(&[p(1)])));
        assert!(!valid(&path, &initial(&[p(6)])));
    }
}

#[test]
fn pkits_4_10_7_and_8_mapping_from_and_to_any_policy() {
    let from_any = [pol(&[ANY]).map(&[(ANY, p(1))]).rep(0), pol(&[p(1)])];
    assert!(!valid(&from_any, &default()));
    let to_any = [pol(&[p(1)]).map(&[(p(1), ANY)]).rep(0), pol(&[ANY])];
    assert!(!valid(&to_any, &default()));
}

#[test]
fn pkits_4_10_9_to_11_mapping_under_any_policy() {
    // §6.1.4 (b)(1): no P1 node, but the anyPolicy node stands for it.
    let any_ca = || pol(&[ANY]).rep(0).map(&[(p(1), p(2))]);
    assert!(valid(&[any_ca(), pol(&[p(1)])], &default()));
    assert!(!valid(&[good_ca(), any_ca(), pol(&[p(1)])], &default()));
    assert!(valid(&[good_ca(), any_ca(), pol(&[p(2)])], &default()));
}

#[test]
fn pkits_4_10_12_mapping_with_any_policy_leaf() {
    let path = [
        pol(&[p(1), p(2)]).rep(0).map(&[(p(1), p(3))]),
        pol(&[p(3), ANY]),
    ];
    assert!(valid(&path, &initial(&[p(1)])));
    assert!(valid(&path, &initial(&[p(2)])));
}

#[test]
fn pkits_4_10_13_and_14_mapping_beside_any_policy() {
    let ca = || pol(&[p(1), ANY]).rep(0).map(&[(p(1), p(2))]);
    let path = [ca(), pol(&[p(2)])];
    assert!(valid(&path, &default()));
    assert!(valid(&path, &initial(&[p(1), p(2)])));
    assert!(!valid(&path, &initial(&[p(2)])));
    assert!(valid(&[ca(), pol(&[p(1)])], &default()));
}

// --- NIST PKITS 4.11 Inhibit Policy Mapping ---------------------------------------------------

#[test]
fn pkits_4_11_1_inhibit_policy_mapping_zero() {
    let path = [
        pol(&[p(1)]).rep(0).ipm(0),
        pol(&[p(1)]).map(&[(p(1), p(2))]),
        pol(&[p(1), p(2)]),
    ];
    assert!(!valid(&path, &default()));
}

#[test]
fn pkits_4_11_2_to_4_inhibit_policy_mapping_one() {
    let ca = || pol(&[p(1), p(2)]).rep(0).ipm(1);
    let sub_ca = || pol(&[p(1), p(2)]).map(&[(p(1), p(3)), (p(2), p(4))]);
    let sub_sub_ca = || pol(&[p(3), p(4)]).map(&[(p(3), p(5))]);
    assert!(valid(&[ca(), sub_ca(), pol(&[p(3)])], &default()));
    assert!(!valid(
        &[ca(), sub_ca(), sub_sub_ca(), pol(&[p(5)])],
        &default()
    ));
    assert!(valid(
        &[ca(), sub_ca(), sub_sub_ca(), pol(&[p(4)])],
        &default()
    ));
}

#[test]
fn pkits_4_11_5_and_6_smallest_inhibit_policy_mapping_wins() {
    let path = [
        pol(&[p(1)]).rep(0).ipm(5),
        pol(&[p(1)]).ipm(1),
        good_ca(),
        pol(&[p(1)]).map(&[(p(1), p(2))]),
        pol(&[p(2)]),
    ];
    assert!(!valid(&path, &default()));
    let path = [
        pol(&[p(1), p(2)]).rep(0).ipm(1),
        pol(&[p(1), p(2)]).ipm(5),
        pol(&[p(1), p(2)]).map(&[(p(1), p(3))]),
        pol(&[p(3)]),
    ];
    assert!(!valid(&path, &default()));
}

#[test]
fn pkits_4_11_7_to_11_self_issued_inhibit_policy_mapping() {
    let ca = || pol(&[p(1)]).rep(0).ipm(1);
    let self_issued = || pol(&[p(1)]).self_issued();
    let sub_ca = || pol(&[p(1)]).map(&[(p(1), p(2))]);
    assert!(valid(
        &[ca(), self_issued(), sub_ca(), pol(&[p(2)])],
        &default()
    ));
    let sub_sub_ca = || pol(&[p(2)]).map(&[(p(2), p(3))]);
    for ee in [p(3), p(2)] {
        let path = [ca(), self_issued(), sub_ca(), sub_sub_ca(), pol(&[ee])];
        assert!(!valid(&path, &default()));
    }
    let self_issued_sub = || pol(&[p(2)]).map(&[(p(2), p(3))]).self_issued();
    for ee in [p(3), p(2)] {
        let path = [ca(), self_issued(), sub_ca(), self_issued_sub(), pol(&[ee])];
        assert!(!valid(&path, &default()));
    }
}

// --- NIST PKITS 4.12 Inhibit Any Policy -------------------------------------------------------

#[test]
fn pkits_4_12_1_and_2_inhibit_any_policy_zero() {
    let ca = || pol(&[p(1)]).rep(0).iap(0);
    assert!(!valid(&[ca(), pol(&[ANY])], &default()));
    assert!(valid(&[ca(), pol(&[ANY, p(1)])], &default()));
}

#[test]
fn pkits_4_12_3_and_4_inhibit_any_policy_one() {
    let ca = || pol(&[p(1)]).rep(0).iap(1);
    let path = [ca(), pol(&[ANY]), pol(&[p(1)])];
    assert!(valid(&path, &default()));
    let inhibit = PolicySettings {
        initial_any_policy_inhibit: true,
        ..default()
    };
    assert!(!valid(&path, &inhibit));
    assert!(!valid(&[ca(), pol(&[ANY]), pol(&[ANY])], &default()));
}

#[test]
fn pkits_4_12_5_and_6_smallest_inhibit_any_policy_wins() {
    let path = [
        pol(&[p(1)]).rep(0).iap(5),
        pol(&[p(1)]).iap(1),
        good_ca(),
        pol(&[ANY]),
    ];
    assert!(!valid(&path, &default()));
    let path = [pol(&[p(1)]).rep(0).iap(1), pol(&[p(1)]).iap(5), pol(&[ANY])];
    assert!(!valid(&path, &default()));
}

#[test]
fn pkits_4_12_7_to_10_self_issued_inhibit_any_policy() {
    let ca = || pol(&[p(1)]).rep(0).iap(1);
    let self_issued = || pol(&[p(1)]).self_issued();
    let sub_ca2 = || pol(&[ANY]);
    assert!(valid(
        &[ca(), self_issued(), sub_ca2(), pol(&[p(1)])],
        &default()
    ));
    let path = [ca(), self_issued(), sub_ca2(), pol(&[ANY]), pol(&[p(1)])];
    assert!(!valid(&path, &default()));
    // A self-issued intermediate may use anyPolicy whatever inhibit_anyPolicy says …
    let path = [
        ca(),
        self_issued(),
        sub_ca2(),
        pol(&[ANY]).self_issued(),
        pol(&[p(1)]),
    ];
    assert!(valid(&path, &default()));
    // … but a self-issued leaf may not (i = n).
    let path = [ca(), self_issued(), sub_ca2(), pol(&[ANY]).self_issued()];
    assert_eq!(chain(&path, &default()), Err((0, Stop::NoValidPolicy)));
}
