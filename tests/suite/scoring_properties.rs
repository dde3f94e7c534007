//! Property tests of the scoring core (proptest): what must hold for any
//! cohort, not just the hand-worked ones.
//! - raising one project's value on a higher-is-better indicator never lowers its score;
//! - permuting the input rows never changes a rank;
//! - multiplying all points by a constant changes no rank.

use crate::common;
use landeval::model::Model;
use landeval::score::{Evaluation, evaluate_with_threads};
use polars::prelude::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// (x1, x2) per project; ids P00, P01, … in input order.
type Rows = Vec<(f64, f64)>;

fn frame(rows: &[(String, f64, f64)]) -> DataFrame {
    df!(
        "project_id" => rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
        "project_name" => rows.iter().map(|r| format!("项目{}", r.0)).collect::<Vec<_>>(),
        "city" => rows.iter().map(|_| "甲市".to_string()).collect::<Vec<_>>(),
        "county" => rows.iter().map(|_| "乙县".to_string()).collect::<Vec<_>>(),
        "is_accepted" => rows.iter().map(|_| true).collect::<Vec<_>>(),
        "self_score_total" => rows.iter().map(|_| None::<f64>).collect::<Vec<_>>(),
        "x1" => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        "x2" => rows.iter().map(|r| r.2).collect::<Vec<_>>(),
    )
    .unwrap()
}

/// Two indicators in two dimensions with points `p1`, `p2`; no Monte Carlo.
fn model(p1: f64, p2: f64, scale: &str) -> Model {
    let text = format!(
        r#"
[model]
id = "prop"
name = "prop"
version = "1"
seed = 1

[[dimension]]
id = "process"
name = "执行过程"

[[dimension]]
id = "result"
name = "最终成效"

[[indicator]]
id = "x1"
name = "指标一"
dimension = "process"
points = {p1}
expr = "x1"
scale = {scale}

[[indicator]]
id = "x2"
name = "指标二"
dimension = "result"
points = {p2}
expr = "x2"
scale = {scale}

[grades]
"合格" = 60

[robustness]
draws = 0
"#
    );
    Model::parse(&text, "prop").unwrap()
}

const SCALES: [&str; 3] = [
    r#"{ method = "target", floor = 0.0, target = 1.0 }"#,
    r#"{ method = "minmax" }"#,
    r#"{ method = "rank" }"#,
];

fn named(rows: &Rows) -> Vec<(String, f64, f64)> {
    rows.iter()
        .enumerate()
        .map(|(i, (a, b))| (format!("P{i:02}"), *a, *b))
        .collect()
}

fn eval(rows: &[(String, f64, f64)], m: &Model) -> Evaluation {
    evaluate_with_threads(&common::with_passing_redlines(frame(rows)), m, 1).unwrap()
}

fn by_id<T>(e: &Evaluation, f: impl Fn(&landeval::score::ProjectScore) -> T) -> BTreeMap<String, T> {
    e.projects.iter().map(|p| (p.id.clone(), f(p))).collect()
}

/// Values on a 0.001 grid, so that equal values are exactly equal and ties are real ties.
fn value() -> impl Strategy<Value = f64> {
    (0u32..=1500).prop_map(|k| f64::from(k) / 1000.0)
}

fn cohort() -> impl Strategy<Value = Rows> {
    prop::collection::vec((value(), value()), 2..8)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn raising_a_value_never_lowers_the_score(
        rows in cohort(),
        pick in any::<prop::sample::Index>(),
        raise in 1u32..=1000,
        scale in 0usize..3,
    ) {
        let m = model(40.0, 60.0, SCALES[scale]);
        let before = named(&rows);
        let k = pick.index(before.len());
        let mut after = before.clone();
        after[k].1 += f64::from(raise) / 1000.0;
        let id = &before[k].0;
        let t0 = by_id(&eval(&before, &m), |p| p.total)[id];
        let t1 = by_id(&eval(&after, &m), |p| p.total)[id];
        prop_assert!(t1 >= t0 - 1e-9, "{id}: {t0} → {t1}");
    }

    #[test]
    fn input_order_never_changes_a_rank(
        (rows, order) in cohort().prop_flat_map(|r| {
            let n = r.len();
            (Just(r), Just((0..n).collect::<Vec<_>>()).prop_shuffle())
        }),
        scale in 0usize..3,
    ) {
        let m = model(40.0, 60.0, SCALES[scale]);
        let base = named(&rows);
        let shuffled: Vec<_> = order.iter().map(|&i| base[i].clone()).collect();
        let a = by_id(&eval(&base, &m), |p| p.rank);
        let b = by_id(&eval(&shuffled, &m), |p| p.rank);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn scaling_all_points_changes_no_rank(
        rows in cohort(),
        c in 1u32..=10,
        scale in 0usize..3,
    ) {
        // Factor 0.1 … 1.0: totals stay within 0–100, so clamping plays no part.
        let f = f64::from(c) / 10.0;
        let base = by_id(&eval(&named(&rows), &model(40.0, 60.0, SCALES[scale])), |p| p.rank);
        let scaled = by_id(&eval(&named(&rows), &model(40.0 * f, 60.0 * f, SCALES[scale])), |p| p.rank);
        prop_assert_eq!(base, scaled);
    }
}
