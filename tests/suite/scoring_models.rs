//! Every bundled model passes `model check` and runs end to end on the
//! sample province (Monte Carlo shortened to 500 draws to keep tests quick).

use crate::common;

use landeval::fields::FieldDict;
use landeval::ingest::Dataset;
use landeval::metrics;
use landeval::model::{BUNDLED_MODELS, Model, check_model};
use landeval::report::engine::fonts::FontSet;
use landeval::report::text::vocab;
use landeval::score::{self, Evaluation};
use std::sync::OnceLock;

struct Cohort {
    ds: Dataset,
    table: polars::prelude::DataFrame,
}

fn cohort() -> &'static Cohort {
    static C: OnceLock<Cohort> = OnceLock::new();
    C.get_or_init(|| {
        let ds = landeval::pipeline::read(
            &common::fixture_sources(),
            &FieldDict::bundled(),
            &FontSet::load(None).unwrap(),
        );
        let table = metrics::compute(&ds).unwrap().frame;
        Cohort { ds, table }
    })
}

fn run(id: &str) -> (Model, Evaluation) {
    let (mut m, text) = Model::load_with_source(id).unwrap();
    let r = check_model(&m, &text, &FieldDict::bundled());
    assert!(r.ok(), "{id}: {:#?}", r.errors);
    m.robustness.draws = 500;
    let c = cohort();
    let e = score::evaluate(&c.table, &m).unwrap();
    (m, e)
}

fn sane(id: &str) -> (Model, Evaluation) {
    let (m, e) = run(id);
    assert_eq!(e.projects.len(), 40, "{id}");
    let findings: Vec<_> = e
        .issues
        .iter()
        .map(|i| vocab::issue_finding(i, &m, &FieldDict::bundled(), &cohort().ds.origins))
        .collect();
    assert!(
        !findings.iter().any(|f| f.severity == landeval::ingest::Severity::Error),
        "{id}: {findings:#?}"
    );
    for p in &e.projects {
        assert!((0.0..=100.0).contains(&p.total), "{id} {} {}", p.id, p.total);
        assert_eq!(p.vetoed, p.rank.is_none(), "{id} {}", p.id);
        if !p.vetoed {
            assert!(p.robustness.is_some(), "{id} {}", p.id);
        }
    }
    let pts: f64 = e.method.weights.iter().map(|w| w.points).sum();
    assert!((pts - 100.0).abs() < 1e-9, "{id}: weights sum to {pts}");
    assert!(e.robustness.is_some(), "{id}");
    (m, e)
}

#[test]
fn every_bundled_model_has_a_header_citing_its_basis() {
    for (id, text) in BUNDLED_MODELS {
        assert!(text.starts_with('#'), "{id} starts with a header comment");
        assert!(text.contains("依据"), "{id} header names its basis");
        let m = Model::parse(text, id).unwrap();
        assert_eq!(&m.model.id, id);
        assert!(!m.model.basis.is_empty(), "{id}");
    }
}

#[test]
fn national_2025_runs() {
    sane("national-2025");
}

#[test]
fn sichuan_2025_selects_and_rewards_within_the_county_cap() {
    let (m, e) = sane("sichuan-2025");
    let rule = m.selection.as_ref().unwrap();
    let selected: Vec<_> = e.projects.iter().filter(|p| p.selected).collect();
    assert!(!selected.is_empty());
    let mut per_county = std::collections::HashMap::<&str, f64>::new();
    for p in &selected {
        let grade = m.grade_name(p.grade);
        assert!(grade == "良好" || grade == "优秀", "{} {grade}", p.id);
        *per_county.entry(&p.county).or_default() += p.reward;
    }
    assert!(
        per_county
            .values()
            .all(|v| *v <= rule.county_reward_cap.unwrap() + 1e-9)
    );
    // The first selected project gets the top tier (1000 万元).
    assert_eq!(selected[0].reward, 1000.0);
}

#[test]
fn ningxia_2025_vetoes_pbf_over_five_percent() {
    let (_, e) = sane("ningxia-2025");
    let p = e.projects.iter().find(|p| p.id == "QL-0201-02").unwrap();
    assert!(p.vetoed, "PBF adjusted 7.0% > 5%");
}

#[test]
fn qiannan_2025_tracks_the_2030_targets() {
    let (_, e) = sane("qiannan-2025");
    let goals: Vec<(&str, f64)> = e.progress.iter().map(|p| (p.id.as_str(), p.goal)).collect();
    assert_eq!(
        goals,
        vec![
            ("farmland_consolidation", 73500.0),
            ("construction_consolidation", 2300.0),
            ("restoration", 3500.0),
            ("villages", 12.0)
        ]
    );
    for p in &e.progress {
        assert!(p.achieved > 0.0 && p.projects > 0, "{p:?}");
        assert!((p.share - p.achieved / p.goal).abs() < 1e-12);
    }
}

#[test]
fn haining_2021_applies_3_plus_x_and_checks_rank_reversal() {
    let (m, e) = run("haining-2021");
    for p in e.projects.iter().filter(|p| !p.vetoed) {
        let block = p.indicators.iter().find(|s| s.id == "max_block").and_then(|s| s.raw);
        assert!(
            block.is_some_and(|b| b >= 1000.0),
            "{} eligible without a 1,000-mu block",
            p.id
        );
    }
    assert!(
        landeval::score::reversal::is_relative(&m),
        "rank scaling is cohort-relative"
    );
    eprintln!(
        "haining: {} eligible, {} reversals",
        e.projects.iter().filter(|p| !p.vetoed).count(),
        e.reversals.len()
    );
}

#[test]
fn yunnan_2025_scores_potential_before_the_project() {
    let (m, e) = sane("yunnan-2025");
    // Only the baseline and the plan are read: no field of the result sheets.
    for i in &m.indicators {
        assert!(!i.expr.contains("_after"), "{} reads a result field", i.id);
    }
    assert!(
        e.projects
            .iter()
            .any(|p| m.grade_name(p.grade) == "潜力大" || m.grade_name(p.grade) == "潜力较大")
    );
}

#[test]
fn academic_model_combines_ahp_and_entropy_and_ranks_by_topsis() {
    let (m, e) = sane("academic-ahp-entropy-topsis");
    // Four AHP matrices, each consistent (CR < 0.10).
    assert_eq!(e.method.ahp.len(), 4);
    assert!(e.method.ahp.iter().all(|a| a.cr < 0.10));
    // Derived points differ from the fallback points and sum to 100.
    assert!(
        e.method
            .weights
            .iter()
            .any(|w| (w.points - w.model_points).abs() > 0.01)
    );
    assert!(
        e.method
            .notes
            .iter()
            .any(|n| vocab::method_note(&m, n).contains("组合权重"))
    );
    // Obstacle degrees of each project sum to 1.
    for p in e.projects.iter().filter(|p| !p.obstacles.is_empty()) {
        let s: f64 = p.obstacles.iter().map(|o| o.degree).sum();
        assert!((s - 1.0).abs() < 1e-9, "{} {s}", p.id);
    }
}

#[test]
fn scorecards_explain_why_points_do_not_add_up_under_topsis() {
    use landeval::report::text::fmt2;
    use landeval::report::text::method::aggregation_note;
    let (m, e) = sane("academic-ahp-entropy-topsis");
    // Under TOPSIS Σ points × rate is not the indicator total; the note
    // gives both figures of the project.
    let p = e
        .projects
        .iter()
        .find(|p| {
            let earned: f64 = p.indicators.iter().map(|s| s.earned).sum();
            (earned - p.indicator_total).abs() > 0.5
        })
        .expect("some project whose points differ from its TOPSIS total");
    let earned: f64 = p.indicators.iter().map(|s| s.earned).sum();
    let note = aggregation_note(&m, p);
    assert!(note.contains("TOPSIS"), "{note}");
    assert!(note.contains(&format!("合计 {} 分", fmt2(earned))), "{note}");
    assert!(
        note.contains(&format!("指标总分 {} 分", fmt2(p.indicator_total))),
        "{note}"
    );
    // Under the weighted sum the points are the total: no note.
    let (m, e) = sane("national-2025");
    assert!(e.projects.iter().all(|p| aggregation_note(&m, p).is_empty()));
}

#[test]
fn sichuan_admission_2025_scores_candidate_townships() {
    let path = common::repo().join("fixtures/candidate-townships/候选乡镇.xlsx");
    let sources = vec![landeval::ingest::Source::from_path(&path).unwrap()];
    let dict = FieldDict::bundled();
    let ds = landeval::pipeline::read(&sources, &dict, &FontSet::load(None).unwrap());
    assert!(!ds.log.has_errors(), "{:#?}", ds.log.findings);
    let table = metrics::compute(&ds).unwrap().frame;
    let (mut m, text) = Model::load_with_source("sichuan-admission-2025").unwrap();
    assert!(check_model(&m, &text, &dict).ok());
    m.robustness.draws = 1000;
    let e = score::evaluate(&table, &m).unwrap();
    assert_eq!(e.projects.len(), 12);
    let selected: Vec<&str> = e
        .projects
        .iter()
        .filter(|p| p.selected)
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(selected.len(), 5, "{selected:?}");
    // 苇荡镇 (HX-0201): consent 97%, 7,400 patches on 28,000 mu, 251 m² per person,
    // integrated funds 7,700 of 11,200 万元 — strong on need, conditions and capacity.
    assert!(selected.contains(&"HX-0201"), "{selected:?}");
    // 沄川镇 (HX-0203): consent 79% and little potential — not admitted.
    assert!(!selected.contains(&"HX-0203"));
    // HX-0401 scores 71.63, fifth, but its land tenure is disputed (权属清晰无争议 is an
    // admission condition): vetoed, and the sixth, HX-0302 (71.28), takes its place.
    let disputed = e.projects.iter().find(|p| p.id == "HX-0401").unwrap();
    assert!(disputed.vetoed && disputed.rank.is_none());
    assert!(
        !selected.contains(&"HX-0401") && selected.contains(&"HX-0302"),
        "{selected:?}"
    );
    for p in e.projects.iter().filter(|p| !p.vetoed) {
        assert!(p.robustness.is_some(), "{}", p.id);
    }
}

#[test]
fn workbook_and_json_carry_the_robustness_figures() {
    use calamine::{Data, Reader, open_workbook_auto};
    let dict = FieldDict::bundled();
    let ds = landeval::pipeline::read(&common::fixture_sources(), &dict, &FontSet::load(None).unwrap());
    let mut m = Model::load("sichuan-2025").unwrap();
    m.robustness.draws = 400;
    let run = landeval::pipeline::evaluate(ds, dict, m, Some([2025, 12, 31])).unwrap();
    let dir = common::scratch("scoring_models_outputs");
    let path = dir.join("评估结果.xlsx");
    landeval::report::committee::workbook::write(&path, &run.report_input().unwrap()).unwrap();
    let mut wb = open_workbook_auto(&path).unwrap();
    let sheet = wb.worksheet_range("示范候选").unwrap();
    let head: Vec<String> = sheet.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let col = head.iter().position(|h| h == "稳健性判定").unwrap();
    let first = run.eval.projects.iter().position(|p| p.selected).unwrap() + 1;
    let verdict = sheet.get((first, col)).unwrap();
    let expected = vocab::verdict_label(run.eval.projects[first - 1].robustness.as_ref().unwrap().verdict);
    assert_eq!(verdict, &Data::String(expected.to_string()));
    let json: serde_json::Value =
        serde_json::from_str(&landeval::report::committee::json::results(&run.report_input().unwrap()).unwrap())
            .unwrap();
    assert_eq!(json["robustness"]["draws"], 400);
    assert!(json["method"]["weights"].as_array().unwrap().len() == run.model.indicators.len());
    assert!(json["projects"][0]["robustness"]["p_selected"].is_number());
    assert!(json["projects"][0]["reward"].is_number());
}
