//! End to end on the sample province with the default model.

use crate::common;

use calamine::{Data, Reader, open_workbook_auto};
use landeval::pipeline::Run;
use landeval::report::RenderOptions;
use landeval::score::ProjectScore;
use std::collections::HashMap;
use std::sync::OnceLock;

fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| common::evaluate(&common::fixture_sources(), "national-2025"))
}

fn project(id: &str) -> &'static ProjectScore {
    run()
        .eval
        .projects
        .iter()
        .find(|p| p.id == id)
        .unwrap_or_else(|| panic!("project {id} scored"))
}

#[test]
fn every_project_is_scored_without_data_errors() {
    let r = run();
    assert_eq!(r.eval.projects.len(), 40);
    assert!(!r.log.has_errors(), "fixture data has errors: {:#?}", r.log.findings);
    for p in &r.eval.projects {
        assert!((0.0..=100.0).contains(&p.total), "{} total {}", p.id, p.total);
        assert_eq!(p.indicators.len(), r.model.indicators.len());
    }
}

#[test]
fn red_line_breakers_are_vetoed_and_never_selected() {
    let r = run();
    let vetoed: Vec<&ProjectScore> = r.eval.projects.iter().filter(|p| p.vetoed).collect();
    // The fixture breaks each of: farmland decreased, PBF over-adjusted,
    // construction land increased, new farmland by map work, by coefficient.
    assert!(vetoed.len() >= 5, "only {} vetoed", vetoed.len());
    for id in [
        "farmland_decreased",
        "pbf_over_adjusted",
        "construction_increased",
        "new_farmland_unmeasured",
    ] {
        assert!(
            vetoed.iter().any(|p| p
                .vetoes
                .iter()
                .any(|v| v.id == id && v.status == landeval::score::VetoStatus::Breached)),
            "no project breaks {id}"
        );
    }
    for p in &vetoed {
        assert_eq!(r.model.grade_name(p.grade), "不合格", "{}", p.id);
        assert!(!p.selected, "{} selected although vetoed", p.id);
        assert_eq!(p.rank, None);
    }
    // Vetoed projects are listed after every eligible one.
    let first_vetoed = r.eval.projects.iter().position(|p| p.vetoed).unwrap();
    assert!(r.eval.projects[first_vetoed..].iter().all(|p| p.vetoed));
}

#[test]
fn selection_respects_count_minimum_and_city_quota() {
    let r = run();
    let rule = r.model.selection.as_ref().unwrap();
    let selected: Vec<&ProjectScore> = r.eval.projects.iter().filter(|p| p.selected).collect();
    assert!(!selected.is_empty());
    assert!(selected.len() <= rule.count);
    let mut per_city: HashMap<&str, usize> = HashMap::new();
    for p in &selected {
        assert!(p.total >= rule.min_score, "{} below minimum", p.id);
        assert!(p.accepted, "{} not accepted", p.id);
        *per_city.entry(&p.city).or_default() += 1;
    }
    assert!(per_city.values().all(|&n| n <= rule.max_per_city.unwrap()));
    // Every unselected eligible project above the minimum was passed over for a stated reason.
    for p in r
        .eval
        .projects
        .iter()
        .filter(|p| !p.selected && !p.vetoed && p.total >= rule.min_score)
    {
        assert!(p.not_selected.is_some(), "{} passed over without reason", p.id);
    }
}

#[test]
fn ranks_are_shared_on_ties_and_follow_totals() {
    let eligible: Vec<&ProjectScore> = run().eval.projects.iter().filter(|p| !p.vetoed).collect();
    for (i, p) in eligible.iter().enumerate() {
        let higher = eligible.iter().filter(|q| q.total > p.total + 1e-6).count() as u32;
        assert_eq!(p.rank, Some(higher + 1), "{} at position {i}", p.id);
    }
}

/// QL-0101-01, worked by hand from its rows in the fixture:
/// 执行过程 25: every task at or above plan (restoration 1500/1000 capped at 1), schedule 100%, 12/12 sub-projects.
/// 管理效能 25: funds 10000 planned = in place = spent; consent 98% ≥ 95%; satisfaction 97% ≥ 95%; 是/是/是.
/// 最终成效 50: patches (10000−5800)/10000 = 42% ≥ 40%; fields 30−5 = 25 ≥ 20; surplus (400−100)/300 = 1;
///   village land (200−160)/200 = 20% ≥ 15%; GEP (25.6−20)/20 = 28% ≥ 25%; restored 1500/12000 = 12.5% ≥ 10%;
///   6 channels; leverage (2500 + 2500)/(2000 + 1500 + 1000 + 500) = 1.
/// Indicators 100; bonus 2 (two townships) + 2 (social capital) + 1 (industry) = 5, capped at 5; total min(105, 100) = 100.
/// No other project is perfect, so its rank is 1.
#[test]
fn exemplar_project_worked_by_hand() {
    let p = project("QL-0101-01");
    assert!((p.indicator_total - 100.0).abs() < 0.01, "{}", p.indicator_total);
    assert!((p.bonus - 5.0).abs() < 0.01);
    assert!((p.total - 100.0).abs() < 0.01);
    assert_eq!(p.rank, Some(1));
    assert_eq!(run().model.grade_name(p.grade), "优秀");
    assert!(p.selected);
}

/// QL-0101-02, worked by hand:
/// 执行过程: schedule 90% → (0.9−0.6)/0.4 = 0.75 × 6 = 4.5; sub-projects 8/10 → (0.8−0.5)/0.5 = 0.6 × 6 = 3.6;
///   new farmland 300/400 = 0.75 × 5 = 3.75; high-standard farmland: no planned task → not applicable;
///   restoration 500/500 = 1 × 4 = 4. Applicable points 21 re-weighted to 25: (4.5+3.6+3.75+4) × 25/21 = 18.869.
/// 管理效能: in place 1800/2000 = 0.9 → 0.75 × 5 = 3.75; spent 1440/1800 = 0.8 → 0.5 × 5 = 2.5;
///   consent 92% → step 0.8 × 4 = 3.2; satisfaction 90% → (0.9−0.7)/0.25 = 0.8 × 4 = 3.2; reps 是 2; maintenance 否 0;
///   registered 是 3. Sum 17.65.
/// 最终成效: patches 25% → 0.625 × 8 = 5; fields +10 → 0.5 × 6 = 3; surplus (400−100)/400 = 0.75 × 6 = 4.5;
///   village land 10% → 0.6667 × 6 = 4; GEP 10% → 0.4 × 8 = 3.2; restored 500/25000 = 2% → 0.2 × 4 = 0.8;
///   3 channels → (3−1)/5 = 0.4 × 6 = 2.4; leverage 360/1440 = 0.25 × 6 = 1.5. Sum 24.4.
/// Adjustments: social capital +2, one audit issue −1. Total 60.919 + 1 = 61.919 → 合格.
#[test]
fn ordinary_project_worked_by_hand() {
    let p = project("QL-0101-02");
    let dims: Vec<f64> = p.dimensions.iter().map(|d| d.earned).collect();
    assert!((dims[0] - 18.869).abs() < 0.01, "{dims:?}");
    assert!((dims[1] - 17.65).abs() < 0.01, "{dims:?}");
    assert!((dims[2] - 24.4).abs() < 0.01, "{dims:?}");
    assert!((p.bonus - 2.0).abs() < 0.01 && (p.deduction - 1.0).abs() < 0.01);
    assert!((p.total - 61.919).abs() < 0.01, "{}", p.total);
    assert_eq!(run().model.grade_name(p.grade), "合格");
    let hsf = p.indicators.iter().find(|i| i.id == "hsf_completion").unwrap();
    assert_eq!(hsf.status, landeval::score::Status::NotApplicable);
}

#[test]
fn outputs_agree_with_each_other() {
    let dir = common::scratch("e2e-outputs");
    let written = landeval::pipeline::write_committee(run(), &dir, &RenderOptions::default()).unwrap();
    assert!(written.total_pages() > 40, "only {} pages", written.total_pages());

    // results.json
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&written.json).unwrap()).unwrap();
    let json_totals: HashMap<String, f64> = json["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap().to_string(), p["total"].as_f64().unwrap()))
        .collect();
    assert_eq!(json_totals.len(), 40);
    // Each project carries every field of the project table, input and derived:
    // QL-0101-01's 项目台账 says 鹤汀县, and its 资金台账 lists 6 channels.
    let first = json["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "QL-0101-01")
        .unwrap();
    assert_eq!(first["fields"]["county"], "鹤汀县");
    assert_eq!(first["fields"]["fund_channels"], 6.0);
    assert_eq!(
        first["fields"].as_object().unwrap().len(),
        run().table.width(),
        "one entry per column of the project table"
    );

    // 排名 sheet read back with calamine: one row per project, same totals.
    let mut wb = open_workbook_auto(&written.xlsx).unwrap();
    let sheet = wb.worksheet_range("排名").unwrap();
    let header: Vec<String> = sheet.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let id_col = header.iter().position(|h| h == "项目编号").unwrap();
    let total_col = header.iter().position(|h| h == "总分").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().skip(1).collect();
    assert_eq!(rows.len(), 40);
    for row in rows {
        let id = row[id_col].to_string();
        let total = match &row[total_col] {
            Data::Float(f) => *f,
            other => panic!("total of {id} is {other:?}"),
        };
        assert!((json_totals[&id] - total).abs() < 1e-9, "{id}");
    }
    for name in ["指标得分", "否决与扣分", "数据质量"] {
        assert!(wb.sheet_names().iter().any(|s| s == name), "missing sheet {name}");
    }

    // The PDF carries the top project's name as extractable text.
    let pdf = std::fs::read(&written.pdf).unwrap();
    let top = &run().eval.projects[0];
    assert!(common::pdf_has_text(&pdf, &top.name), "PDF lacks {}", top.name);
    assert!(common::pdf_has_text(&pdf, "一票否决"));
    assert!(!common::pdf_has_text(&pdf, "这段文字不在报告中"));
}

#[test]
fn outputs_are_byte_identical_across_runs() {
    let (a, b) = (common::scratch("e2e-det-a"), common::scratch("e2e-det-b"));
    let wa = landeval::pipeline::write_committee(run(), &a, &RenderOptions::default()).unwrap();
    let again = common::evaluate(&common::fixture_sources(), "national-2025");
    let wb = landeval::pipeline::write_committee(&again, &b, &RenderOptions::default()).unwrap();
    assert_eq!(wa.annexes.len(), wb.annexes.len());
    let annexes = wa.annexes.iter().zip(&wb.annexes).map(|(x, y)| (&x.path, &y.path));
    for (x, y) in [(&wa.pdf, &wb.pdf), (&wa.xlsx, &wb.xlsx), (&wa.json, &wb.json)]
        .into_iter()
        .chain(annexes)
    {
        assert!(
            std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
            "{} differs between runs",
            x.display()
        );
    }
}
