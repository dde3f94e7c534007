//! Selection, ties, rewards, diagnosis, robustness and rank reversal on
//! cohorts small enough to work by hand.

use crate::common;
use landeval::model::Model;
use landeval::report::json::ProjectJson;
use landeval::report::text::vocab;
use landeval::score::reversal::Change;
use landeval::score::{Evaluation, ProjectScore, evaluate_with_threads};
use polars::prelude::*;

/// A project row: id, city, county, x1, x2.
type Row<'a> = (&'a str, &'a str, &'a str, f64, f64);

fn frame(rows: &[Row]) -> DataFrame {
    let col = |f: fn(&Row) -> String| rows.iter().map(f).collect::<Vec<_>>();
    df!(
        "project_id" => col(|r| r.0.to_string()),
        "project_name" => col(|r| format!("项目{}", r.0)),
        "city" => col(|r| r.1.to_string()),
        "county" => col(|r| r.2.to_string()),
        "is_accepted" => rows.iter().map(|_| true).collect::<Vec<_>>(),
        "self_score_total" => rows.iter().map(|_| None::<f64>).collect::<Vec<_>>(),
        "x1" => rows.iter().map(|r| r.3).collect::<Vec<_>>(),
        "x2" => rows.iter().map(|r| r.4).collect::<Vec<_>>(),
    )
    .unwrap()
}

/// Two dimensions of one indicator each: x1 (process) and x2 (result).
fn model(p1: f64, scale: &str, extra: &str) -> Model {
    let text = format!(
        r#"
[model]
id = "t"
name = "t"
version = "1"
seed = 7
{extra}

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
"优秀" = 90
"良好" = 80
"合格" = 60
"#,
        p2 = 100.0 - p1
    );
    Model::parse(&text, "test").unwrap()
}

const LINEAR: &str = r#"{ method = "target", floor = 0.0, target = 1.0 }"#;
const MINMAX: &str = r#"{ method = "minmax" }"#;

fn eval(rows: &[Row], m: &Model, threads: usize) -> Evaluation {
    evaluate_with_threads(&common::with_passing_redlines(frame(rows)), m, threads).unwrap()
}

fn get<'a>(e: &'a Evaluation, id: &str) -> &'a ProjectScore {
    e.projects.iter().find(|p| p.id == id).unwrap()
}

#[test]
fn ties_at_the_cut_off_follow_the_model_policy_not_input_order() {
    // A: 50×0.6 + 50×0.4 = 50; B: 50×0.4 + 50×0.6 = 50 — equal totals, one place.
    let rows = [("A", "c1", "k1", 0.6, 0.4), ("B", "c1", "k1", 0.4, 0.6)];
    let sel = "[selection]\ncount = 1\naccepted_only = false\n[robustness]\ndraws = 0";
    let by_result = model(50.0, LINEAR, &format!("tie_break = [\"dimension:result\"]\n{sel}"));
    let e = eval(&rows, &by_result, 1);
    assert!(get(&e, "B").selected, "B has the higher result score (30 > 20)");
    assert_eq!(get(&e, "A").rank, get(&e, "B").rank, "ties share a rank");
    assert_eq!(e.ties.len(), 1);
    assert_eq!(
        (e.ties[0].above.as_str(), e.ties[0].key.as_str()),
        ("B", "dimension:result")
    );
    assert!(e.ties[0].at_cutoff);
    // Reversed input order: same decision.
    let e = eval(&[rows[1], rows[0]], &by_result, 1);
    assert!(get(&e, "B").selected);
    // Policy on the process dimension picks A.
    let by_process = model(50.0, LINEAR, &format!("tie_break = [\"dimension:process\"]\n{sel}"));
    assert!(get(&eval(&rows, &by_process, 1), "A").selected);
}

#[test]
fn reward_tiers_are_capped_per_county() {
    // Totals 90, 80, 70, 60 (x1 = x2 = total/100). Tiers: ranks 1–2 1000 万元,
    // 3–4 600 万元; county cap 1500 万元.
    // P1 (k1) 1000; P2 (k1) min(1000, 1500 − 1000) = 500, 500 withheld;
    // P3 (k2) 600; P4 (k1) county used up → 0, 600 withheld.
    let rows = [
        ("P1", "c1", "k1", 0.9, 0.9),
        ("P2", "c1", "k1", 0.8, 0.8),
        ("P3", "c2", "k2", 0.7, 0.7),
        ("P4", "c3", "k1", 0.6, 0.6),
    ];
    let extra = "[selection]\ncount = 4\naccepted_only = false\ncounty_reward_cap = 1500\n\
                 [[reward]]\nranks = [1, 2]\namount = 1000\n[[reward]]\nranks = [3, 4]\namount = 600\n\
                 [robustness]\ndraws = 0";
    let e = eval(&rows, &model(50.0, LINEAR, extra), 1);
    let got: Vec<(f64, f64)> = ["P1", "P2", "P3", "P4"]
        .iter()
        .map(|id| (get(&e, id).reward, get(&e, id).reward_cut))
        .collect();
    assert_eq!(got, vec![(1000.0, 0.0), (500.0, 500.0), (600.0, 0.0), (0.0, 600.0)]);
}

#[test]
fn required_grade_keeps_lower_grades_out() {
    // P2 scores 70 (合格) and cannot be selected when 良好 is required.
    let rows = [("P1", "c1", "k1", 0.9, 0.9), ("P2", "c1", "k1", 0.7, 0.7)];
    let extra = "[selection]\ncount = 2\naccepted_only = false\nrequired_grade = \"良好\"\n[robustness]\ndraws = 0";
    let e = eval(&rows, &model(50.0, LINEAR, extra), 1);
    assert!(get(&e, "P1").selected);
    assert_eq!(
        get(&e, "P2").not_selected,
        Some(landeval::score::NotSelected::GradeTooLow)
    );
}

#[test]
fn obstacle_degree_and_gap_to_the_next_grade() {
    // x1 = 0.5, x2 = 0.75: lost points 25 and 12.5 → degrees 2/3 and 1/3.
    // Total 62.5 (合格); 良好 needs 80: 17.5 missing, x1 alone (25) closes it.
    let rows = [("P1", "c1", "k1", 0.5, 0.75)];
    let m = model(50.0, LINEAR, "[robustness]\ndraws = 0");
    let e = eval(&rows, &m, 1);
    let p = get(&e, "P1");
    assert_eq!(p.obstacles[0].id, "x1");
    assert!((p.obstacles[0].degree - 2.0 / 3.0).abs() < 1e-12);
    assert!((p.obstacles[1].degree - 1.0 / 3.0).abs() < 1e-12);
    let g = p.next_grade.as_ref().unwrap();
    assert_eq!(m.grade_name(g.next), "良好");
    assert!((g.points_missing - 17.5).abs() < 1e-9);
    assert_eq!(g.levers.len(), 1);
    assert!(g.reachable);
}

fn robust_rows() -> Vec<Row<'static>> {
    vec![
        ("P1", "c1", "k1", 0.90, 0.70),
        ("P2", "c1", "k1", 0.70, 0.88),
        ("P3", "c2", "k2", 0.80, 0.79),
        ("P4", "c2", "k2", 0.95, 0.60),
        ("P5", "c3", "k3", 0.60, 0.95),
        ("P6", "c3", "k3", 0.50, 0.50),
    ]
}

#[test]
fn monte_carlo_is_identical_for_one_and_four_threads() {
    let extra = "aggregation = \"sum\"\n[selection]\ncount = 2\naccepted_only = false\n\
                 [robustness]\ndraws = 3000\nswitch_scaling = true\nswitch_aggregation = true";
    let m = model(50.0, LINEAR, extra);
    let one = eval(&robust_rows(), &m, 1);
    let four = eval(&robust_rows(), &m, 4);
    let figures = |e: &Evaluation| {
        let projects: Vec<_> = e.projects.iter().map(|p| ProjectJson::new(&m, p).robustness).collect();
        serde_json::to_string(&(&e.robustness, projects)).unwrap()
    };
    assert_eq!(figures(&one), figures(&four));
    // Every draw selects exactly two projects, so P(selected) sums to 2.
    let sum: f64 = one
        .projects
        .iter()
        .filter_map(|p| p.robustness.as_ref())
        .map(|r| r.p_selected)
        .sum();
    assert!((sum - 2.0).abs() < 1e-9, "{sum}");
    // P6 is last on both indicators: it can never be selected.
    let p6 = get(&one, "P6").robustness.as_ref().unwrap();
    assert_eq!(p6.p_selected, 0.0);
    assert_eq!(vocab::verdict_label(p6.verdict), "稳定落选");
    assert_eq!((p6.median_rank, p6.rank_p05, p6.rank_p95), (6, 6, 6));
    let s = one.robustness.as_ref().unwrap();
    assert_eq!(s.draws, 3000);
    assert!(s.base_set_frequency > 0.0 && s.base_set_frequency <= 1.0);
}

#[test]
fn cut_off_swap_is_the_smallest_single_weight_change() {
    // 50/50 points. Selected (count 1): P1 = 50×0.9 + 50×0.5 = 70;
    // next P2 = 50×0.5 + 50×0.8 = 65. Raising x2 to p (x1 stays 50, all
    // renormalised) ties them when 0.9·50 + 0.5p = 0.5·50 + 0.8p → p = 66.67,
    // a change of +16.67; lowering x1 to q: 0.9q + 25 = 0.5q + 40 → q = 37.5,
    // a change of −12.5, the smaller one.
    let rows = [("P1", "c1", "k1", 0.9, 0.5), ("P2", "c1", "k1", 0.5, 0.8)];
    let extra = "[selection]\ncount = 1\naccepted_only = false\n[robustness]\ndraws = 0";
    let e = eval(&rows, &model(50.0, LINEAR, extra), 1);
    let s = &e.cutoff_swaps[0];
    assert_eq!(
        (s.above.as_str(), s.below.as_str(), s.indicator.as_str()),
        ("P1", "P2", "x1")
    );
    assert!((s.change + 12.5).abs() < 1e-6, "{s:?}");
    assert!((s.relative + 0.25).abs() < 1e-6);
}

#[test]
fn rank_reversal_built_by_hand_is_reported() {
    // Minmax scaling, x1 60 points, x2 40. A = (10, 5), B = (8, 7), D = (2, 10).
    // With D: x1 range 2–10, x2 range 5–10 → A = 60 + 0 = 60,
    // B = 60×6/8 + 40×2/5 = 61, D = 0 + 40 = 40: B ahead of A.
    // Without D: x1 range 8–10, x2 range 5–7 → A = 60, B = 0 + 40 = 40: A ahead.
    // Adding a copy of D changes no range: no reversal.
    let rows = [
        ("A", "c1", "k1", 10.0, 5.0),
        ("B", "c2", "k2", 8.0, 7.0),
        ("D", "c3", "k3", 2.0, 10.0),
    ];
    let extra = "[selection]\ncount = 2\naccepted_only = false\n[robustness]\ndraws = 0";
    let e = eval(&rows, &model(60.0, MINMAX, extra), 1);
    assert!((get(&e, "B").total - 61.0).abs() < 1e-9);
    assert!((get(&e, "A").total - 60.0).abs() < 1e-9);
    assert_eq!(e.reversals.len(), 1, "{:?}", e.reversals);
    let r = &e.reversals[0];
    assert_eq!(r.change, Change::Removed);
    assert_eq!(
        (r.project.as_str(), r.was_above.as_str(), r.now_above.as_str()),
        ("D", "B", "A")
    );
}

#[test]
fn permuting_input_order_changes_no_rank_and_raising_a_value_never_lowers_a_score() {
    let extra = "[selection]\ncount = 2\naccepted_only = false\n[robustness]\ndraws = 200";
    let ranks = |rows: &[Row], m: &Model| {
        let e = eval(rows, m, 1);
        let mut v: Vec<(String, Option<u32>, bool)> =
            e.projects.iter().map(|p| (p.id.clone(), p.rank, p.selected)).collect();
        v.sort();
        v
    };
    let m = model(50.0, LINEAR, extra);
    let base = ranks(&robust_rows(), &m);
    let mut rev = robust_rows();
    rev.reverse();
    assert_eq!(ranks(&rev, &m), base);
    // Raising one project's value on a higher-is-better indicator never lowers its score.
    let mut up = robust_rows();
    up[5].3 = 0.9;
    let before = get(&eval(&robust_rows(), &m, 1), "P6").total;
    assert!(get(&eval(&up, &m, 1), "P6").total >= before);
}
