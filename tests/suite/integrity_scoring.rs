//! Selection integrity (issue 12), the scoring defects, each on a case
//! small enough to check by hand: an excluded indicator under TOPSIS and
//! the geometric mean.

use crate::common;
use landeval::model::Model;
use landeval::score::{Evaluation, ProjectScore, Status, evaluate_with_threads};
use polars::prelude::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn project<'a>(e: &'a Evaluation, id: &str) -> &'a ProjectScore {
    e.projects.iter().find(|p| p.id == id).expect("project")
}

// ------------------------------------------------------------ synthetic cohorts

/// Rows: id, x1, x2 (None: missing).
fn frame(rows: &[(&str, f64, Option<f64>)]) -> DataFrame {
    let df = df!(
        "project_id" => rows.iter().map(|r| r.0.to_string()).collect::<Vec<_>>(),
        "project_name" => rows.iter().map(|r| r.0.to_string()).collect::<Vec<_>>(),
        "city" => rows.iter().map(|_| "市").collect::<Vec<_>>(),
        "county" => rows.iter().map(|_| "县").collect::<Vec<_>>(),
        "is_accepted" => rows.iter().map(|_| true).collect::<Vec<_>>(),
        "self_score_total" => rows.iter().map(|_| None::<f64>).collect::<Vec<_>>(),
        "x1" => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        "x2" => rows.iter().map(|r| r.2).collect::<Vec<_>>(),
    )
    .unwrap();
    common::with_passing_redlines(df)
}

/// x1 and x2, 50 points each, in one dimension, scaled as they are
/// (linear 0 → 1); x2 is excluded where missing.
fn model(extra: &str) -> Model {
    let text = format!(
        r#"
[model]
id = "t"
name = "t"
version = "1"
seed = 3
{extra}

[[dimension]]
id = "d"
name = "维度"

[[indicator]]
id = "x1"
name = "指标一"
dimension = "d"
points = 50
expr = "x1"
scale = {{ method = "target", floor = 0.0, target = 1.0 }}

[[indicator]]
id = "x2"
name = "指标二"
dimension = "d"
points = 50
expr = "x2"
scale = {{ method = "target", floor = 0.0, target = 1.0 }}
missing = "exclude"

[grades]
"合格" = 60

[robustness]
draws = 0
"#
    );
    Model::parse(&text, "t").unwrap()
}

fn totals(e: &Evaluation) -> Vec<(String, f64)> {
    let mut v: Vec<(String, f64)> = e.projects.iter().map(|p| (p.id.clone(), p.total)).collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

#[test]
fn topsis_with_an_excluded_indicator_checked_by_hand() {
    // A = (0.64, 0.6), B = (0.48, 0.8), C = (0.6, —), C's x2 excluded.
    // Column x1 over A, B, C: √(0.64² + 0.48² + 0.6²) = √1 = 1; column x2 over
    // A, B only: √(0.6² + 0.8²) = 1. So r = x.
    // Ideal (best) r⁺ = (0.64, 0.8), anti-ideal r⁻ = (0.48, 0.6).
    // A and B: weights ½, ½.
    //   A: D⁺ = ½√(0² + 0.2²) = 0.1,  D⁻ = ½√(0.16² + 0²) = 0.08 → 0.08 / 0.18 = 44.44;
    //   B: D⁺ = ½√(0.16² + 0²) = 0.08, D⁻ = ½√(0² + 0.2²) = 0.1  → 0.1 / 0.18 = 55.56.
    // C: x2 excluded, x1 takes the dimension's 100 points (share 1):
    //   D⁺ = |0.6 − 0.64| = 0.04, D⁻ = |0.6 − 0.48| = 0.12 → 0.12 / 0.16 = 75.
    // (Before issue 12 C's weighted 1 × 0.6 set the ideal of x1 for everyone
    // (A's and B's are ½ × 0.64, ½ × 0.48) and its missing x2 counted as 0 in
    // its own distances: B 59.3, C 47.4.)
    let rows = [("A", 0.64, Some(0.6)), ("B", 0.48, Some(0.8)), ("C", 0.6, None)];
    let e = evaluate_with_threads(&frame(&rows), &model("aggregation = \"topsis\""), 1).unwrap();
    let got = totals(&e);
    let want = [("A", 0.08 / 0.18 * 100.0), ("B", 0.1 / 0.18 * 100.0), ("C", 75.0)];
    for ((id, total), (wid, w)) in got.iter().zip(want) {
        assert_eq!(id, wid);
        assert!((total - w).abs() < 1e-9, "{id}: {total} ≠ {w}");
    }
    assert_eq!(project(&e, "C").indicators[1].status, Status::MissingExcluded);
    assert!(close(project(&e, "C").indicators[0].weight, 100.0));
}

#[test]
fn geometric_mean_with_an_excluded_indicator_checked_by_hand() {
    // A: 100 × 0.64^½ × 0.6^½ = 100 × √0.384 = 61.968;
    // C: x2 excluded, x1 has the whole weight: 100 × 0.6 = 60.
    let rows = [("A", 0.64, Some(0.6)), ("C", 0.6, None)];
    let e = evaluate_with_threads(&frame(&rows), &model("aggregation = \"geometric\""), 1).unwrap();
    assert!(close(project(&e, "A").total, 100.0 * 0.384_f64.sqrt()));
    assert!(close(project(&e, "C").total, 60.0));
}
