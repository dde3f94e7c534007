//! Weighting and aggregation methods on examples small enough to check by hand.

use landeval::model::Aggregation;
use landeval::model::ahp::{ahp, non_reciprocal};
use landeval::score::aggregate::{aggregate, geometric, topsis};
use landeval::score::weights::{critic, entropy};

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() < tol
}

#[test]
fn ahp_of_a_consistent_matrix() {
    // Every row is a multiple of the first: a_ij = w_i / w_j with w = 4:2:1,
    // so the weights are 4/7, 2/7, 1/7, λmax = n = 3 and CI = CR = 0.
    let a = vec![vec![1.0, 2.0, 4.0], vec![0.5, 1.0, 2.0], vec![0.25, 0.5, 1.0]];
    let r = ahp(&a).unwrap();
    for (w, e) in r.weights.iter().zip([4.0 / 7.0, 2.0 / 7.0, 1.0 / 7.0]) {
        assert!(close(*w, e, 1e-12), "{:?}", r.weights);
    }
    assert!(close(r.lambda_max, 3.0, 1e-12));
    assert!(close(r.cr, 0.0, 1e-12));
}

#[test]
fn ahp_of_saatys_classic_three_by_three() {
    // A Saaty-scale matrix [[1,3,5],[1/3,1,3],[1/5,1/3,1]], checked by hand (the
    // published examples are in tests/published_examples.rs). For n = 3 the
    // principal eigenvector equals the normalised row geometric means:
    // (15^(1/3), 1, (1/15)^(1/3)) = (2.4662, 1, 0.4055) / 3.8717
    // = (0.6370, 0.2583, 0.1047); λmax = 3.0385, CI = 0.0385/2 = 0.0193,
    // CR = CI / RI(3) = 0.0193 / 0.58 = 0.0332 < 0.10.
    let t = 1.0 / 3.0;
    let a = vec![vec![1.0, 3.0, 5.0], vec![t, 1.0, 3.0], vec![0.2, t, 1.0]];
    let r = ahp(&a).unwrap();
    let expected = [0.6370, 0.2583, 0.1047];
    for (w, e) in r.weights.iter().zip(expected) {
        assert!(close(*w, e, 5e-5), "{:?}", r.weights);
    }
    assert!(close(r.lambda_max, 3.0385, 5e-5), "{}", r.lambda_max);
    assert!(close(r.ci, 0.0193, 5e-5), "{}", r.ci);
    assert!(close(r.cr, 0.0332, 5e-5), "{}", r.cr);
}

#[test]
fn ahp_flags_non_reciprocal_and_inconsistent_matrices() {
    // a_12 = 3 but a_21 = 1/2: not reciprocal at (1, 2).
    let a = vec![vec![1.0, 3.0, 5.0], vec![0.5, 1.0, 3.0], vec![0.2, 1.0 / 3.0, 1.0]];
    assert_eq!(non_reciprocal(&a), vec![(0, 1)]);
    // A cycle 1 ≻ 2 ≻ 3 ≻ 1 (each 9 times): maximally inconsistent.
    let n = 1.0 / 9.0;
    let c = vec![vec![1.0, 9.0, n], vec![n, 1.0, 9.0], vec![9.0, n, 1.0]];
    assert!(ahp(&c).unwrap().cr >= 0.10);
}

/// The three-project table of the objective-weight tests (columns = indicators).
#[test]
fn entropy_weights_of_a_three_project_table() {
    // A = (1, 0, 0): p = (1, 0, 0), e = 0, d = 1.
    // B = (1, 1, 1): p uniform, e = 1, d = 0 (constant → weight 0).
    // C = (½, ½, 0): p = (½, ½, 0), e = ln 2 / ln 3 = 0.63093, d = 0.36907.
    // Weights d / Σd = 1/1.36907, 0, 0.36907/1.36907 = 0.73042, 0, 0.26958.
    let cols = vec![vec![1.0, 0.0, 0.0], vec![1.0, 1.0, 1.0], vec![0.5, 0.5, 0.0]];
    let w = entropy(&cols);
    assert!(close(w[0], 0.73042, 5e-6), "{w:?}");
    assert_eq!(w[1], 0.0);
    assert!(close(w[2], 0.26958, 5e-6), "{w:?}");
}

#[test]
fn critic_weights_of_a_three_project_table() {
    // A = (1,0,0), B = (0,0,1), C = (1,1,0): each has σ = √(2/9).
    // r_AB = −½, r_AC = ½, r_BC = −1, so Σ(1 − r): A 0 + 1.5 + 0.5 = 2,
    // B 1.5 + 0 + 2 = 3.5, C 0.5 + 2 + 0 = 2.5; weights 2/8, 3.5/8, 2.5/8.
    let cols = vec![vec![1.0, 0.0, 0.0], vec![0.0, 0.0, 1.0], vec![1.0, 1.0, 0.0]];
    let w = critic(&cols);
    for (a, e) in w.iter().zip([0.25, 0.4375, 0.3125]) {
        assert!(close(*a, e, 1e-12), "{w:?}");
    }
}

#[test]
fn topsis_closeness_of_the_same_table() {
    // Rows (projects) P1 = (1,0,1), P2 = (0,0,1), P3 = (0,1,0), equal weights ⅓.
    // Vector norms: A 1, B 1, C √2 → v = ⅓·x/norm. Ideal (⅓, ⅓, 0.2357), anti-ideal 0.
    // P1: D⁺ = ⅓, D⁻ = √(1/9 + 1/18) = 0.40825 → C = 0.55051.
    // P2: D⁺ = √(2/9) = 0.47140, D⁻ = 0.23570 → C = ⅓.
    // P3: D⁺ = 0.40825, D⁻ = ⅓ → C = 0.44949.
    let w = vec![1.0; 9];
    let x = vec![1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0];
    let c = topsis(&w, &x, 3);
    for (a, e) in c.iter().zip([55.051, 100.0 / 3.0, 44.949]) {
        assert!(close(*a, e, 1e-3), "{c:?}");
    }
}

#[test]
fn weighted_geometric_mean_and_its_floor() {
    // 100 × 0.8^0.5 × 0.5^0.3 × 1^0.2 = 100 × 0.894427 × 0.812252 = 72.6501.
    let mut floored = vec![0; 3];
    let g = geometric(&[50.0, 30.0, 20.0], &[0.8, 0.5, 1.0], 0.01, &mut floored);
    assert!(close(g, 72.6501, 1e-4), "{g}");
    assert_eq!(floored, vec![0, 0, 0]);
    // A zero is lifted to the floor 0.01 and counted: 100 × 0.01^0.5 × 1 = 10.
    let r = aggregate(Aggregation::Geometric, &[50.0, 50.0], &[0.0, 1.0], 2, 0.01);
    assert!(close(r.totals[0], 10.0, 1e-9));
    assert_eq!(r.floored, vec![1, 0]);
}

#[test]
fn weighted_sum_is_the_default() {
    // 50 × 0.8 + 30 × 0.5 + 20 × 1 = 75.
    let r = aggregate(Aggregation::Sum, &[50.0, 30.0, 20.0], &[0.8, 0.5, 1.0], 3, 0.01);
    assert!(close(r.totals[0], 75.0, 1e-12));
}
