//! County self-assessment on sample-province projects, checked by hand.

use crate::common;

use calamine::{Data, Reader, open_workbook_auto};
use landeval::ingest::Source;
use landeval::pipeline::Run;
use landeval::report::RenderOptions;
use landeval::report::self_assessment::peers::PeerResults;
use std::sync::OnceLock;

fn county(file: &str) -> Vec<Source> {
    vec![Source::from_path(&common::repo().join("fixtures/sample-province").join(file)).unwrap()]
}

/// 鹤汀县 alone (QL-0101-01 … 05), as a county would run it.
fn heting() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| common::evaluate(&county("鹤汀县.xlsx"), "national-2025"))
}

/// QL-0101-02 (hand-worked in end_to_end.rs): total 61.919, indicators 60.919.
/// Points lost per indicator (effective points × (1 − scaled)):
///   执行过程 (× 25/21): schedule 7.143 × 0.25 = 1.786; sub-projects 7.143 × 0.4 = 2.857;
///     new farmland 5.952 × 0.25 = 1.488; restoration 0.
///   管理效能: in place 5 × 0.25 = 1.25; spend 5 × 0.5 = 2.5; consent 4 × 0.2 = 0.8;
///     satisfaction 4 × 0.2 = 0.8; maintenance 2 × 1 = 2.
///   最终成效: patches 8 × 0.375 = 3; fields 6 × 0.5 = 3; surplus 6 × 0.25 = 1.5; village 6 × 1/3 = 2;
///     GEP 8 × 0.6 = 4.8; restored 4 × 0.8 = 3.2; channels 6 × 0.6 = 3.6; leverage 6 × 0.75 = 4.5.
///   Sum 100 − 60.919 = 39.081.
/// Top five: GEP 4.8/39.081 = 12.28%, leverage 11.51%, channels 9.21%, restored 8.19%,
/// then patches and fields tie at 3 (7.68%): model order puts patches first.
/// Next grade 良好 at 80: 80 − 61.919 = 18.081 points missing.
#[test]
fn obstacles_and_next_grade_by_hand() {
    let dir = common::scratch("self-0101-02");
    let w = landeval::pipeline::write_self_assessment(heting(), &dir, "QL-0101-02", None, &RenderOptions::default())
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&w.json).unwrap()).unwrap();
    let ids: Vec<&str> = json["obstacles"]
        .as_array()
        .unwrap()
        .iter()
        .take(5)
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "gep_growth",
            "fund_leverage",
            "fund_channels",
            "restoration_share",
            "patch_reduction"
        ]
    );
    let first = json["obstacles"][0]["degree"].as_f64().unwrap();
    assert!((first - 4.8 / 39.081).abs() < 1e-4, "{first}");
    let next = &json["next_grade"];
    assert_eq!(next["grade"], "良好");
    assert!((next["missing"].as_f64().unwrap() - 18.081).abs() < 0.01);

    let pdf = std::fs::read(&w.pdf).unwrap();
    assert!(common::pdf_has_text(&pdf, "还差"));
    assert!(common::pdf_has_text(&pdf, "18.08"));
    assert!(common::pdf_has_text(&pdf, "12.3%"));
    assert!(common::pdf_has_text(&pdf, "红线核查"));

    let mut wb = open_workbook_auto(&w.xlsx).unwrap();
    let sheet = wb.worksheet_range("障碍因素").unwrap();
    let row1: Vec<&Data> = sheet.rows().nth(1).unwrap().iter().collect();
    assert_eq!(row1[2], &Data::String("GEP 增长率".into()));
    match row1[3] {
        Data::Float(x) => assert!((x - 4.8).abs() < 1e-9),
        other => panic!("lost points {other:?}"),
    }
    for name in ["评分卡", "红线核查", "待补充数据", "数据质量"] {
        assert!(wb.sheet_names().iter().any(|s| s == name), "missing sheet {name}");
    }
}

/// QL-0103-03 lacks 群众满意度, 人均村庄建设用地 before/after and GEP before/after:
/// the report lists the three inputs that cost points, with their sheets. GEP is
/// not among them: its 土地利用结构 gives an estimate that the GEP indicator scores.
#[test]
fn missing_data_lists_the_blank_inputs() {
    let run = common::evaluate(&county("澜坪县.xlsx"), "national-2025");
    let dir = common::scratch("self-0103-03");
    let w =
        landeval::pipeline::write_self_assessment(&run, &dir, "QL-0103-03", None, &RenderOptions::default()).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&w.json).unwrap()).unwrap();
    let mut fields: Vec<&str> = json["missing_fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        ["satisfaction", "village_land_pc_after", "village_land_pc_before"]
    );
    let mut wb = open_workbook_auto(&w.xlsx).unwrap();
    let sheet = wb.worksheet_range("待补充数据").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .skip(1)
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter()
            .any(|r| r[0] == "建设用地整理" && r[1].starts_with("整治前人均村庄建设用地"))
    );
    let pdf = std::fs::read(&w.pdf).unwrap();
    assert!(common::pdf_has_text(&pdf, "验收前须补充的数据"));
    assert!(common::pdf_has_text(&pdf, "群众满意度"));
}

/// A vetoed project: the checklist names the breached rule with the project's values,
/// and the next-grade line says the veto must go first.
#[test]
fn vetoed_project_shows_the_breached_rule() {
    let run = heting();
    let vetoed = run.eval.projects.iter().find(|p| p.vetoed);
    let Some(p) = vetoed else {
        // 鹤汀县 has no vetoed project: use the whole province.
        let all = common::evaluate(&common::fixture_sources(), "national-2025");
        let p = all.eval.projects.iter().find(|p| p.vetoed).unwrap().id.clone();
        return check_vetoed(&all, &p);
    };
    check_vetoed(run, &p.id.clone());
}

fn check_vetoed(run: &Run, id: &str) {
    let dir = common::scratch("self-vetoed");
    let w = landeval::pipeline::write_self_assessment(run, &dir, id, None, &RenderOptions::default()).unwrap();
    let pdf = std::fs::read(&w.pdf).unwrap();
    assert!(common::pdf_has_text(&pdf, "触碰（一票否决）"));
    assert!(common::pdf_has_text(&pdf, "须先整改消除否决事项"));
    let mut wb = open_workbook_auto(&w.xlsx).unwrap();
    let sheet = wb.worksheet_range("红线核查").unwrap();
    assert!(
        sheet
            .rows()
            .any(|r| r[3] == Data::String("触碰（一票否决）".into()) && !r[2].to_string().is_empty())
    );
}

/// Against a cohort: QL-0101-02 (61.919) would rank below every cohort project
/// with a higher total. The cohort is the whole province's results.json minus itself.
#[test]
fn cohort_rank_counts_higher_totals() {
    let all = common::evaluate(&common::fixture_sources(), "national-2025");
    let cdir = common::scratch("self-cohort-src");
    let results = cdir.join("results.json");
    std::fs::write(
        &results,
        landeval::report::committee::json::results(&all.report_input().unwrap()).unwrap(),
    )
    .unwrap();
    let cohort = PeerResults::load(&results, "QL-0101-02").unwrap();
    assert_eq!(cohort.size, 39);
    let higher = all
        .eval
        .projects
        .iter()
        .filter(|p| !p.vetoed && p.id != "QL-0101-02" && p.total > 61.92)
        .count();
    assert_eq!(cohort.rank_of(61.919), higher + 1);

    let dir = common::scratch("self-cohort");
    let w = landeval::pipeline::write_self_assessment(
        heting(),
        &dir,
        "QL-0101-02",
        Some(&cohort),
        &RenderOptions::default(),
    )
    .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&w.json).unwrap()).unwrap();
    assert_eq!(json["cohort_rank"].as_u64().unwrap() as usize, higher + 1);
    let pdf = std::fs::read(&w.pdf).unwrap();
    assert!(common::pdf_has_text(&pdf, "同批平均"));
}

#[test]
fn unknown_project_is_an_error_naming_it() {
    let dir = common::scratch("self-unknown");
    let e = landeval::pipeline::write_self_assessment(heting(), &dir, "QL-9999-99", None, &RenderOptions::default())
        .unwrap_err();
    assert!(e.to_string().contains("QL-9999-99"), "{e}");
}

#[test]
fn self_assessment_is_byte_identical_across_runs() {
    let (a, b) = (common::scratch("self-det-a"), common::scratch("self-det-b"));
    let wa =
        landeval::pipeline::write_self_assessment(heting(), &a, "QL-0101-03", None, &RenderOptions::default()).unwrap();
    let again = common::evaluate(&county("鹤汀县.xlsx"), "national-2025");
    let wb =
        landeval::pipeline::write_self_assessment(&again, &b, "QL-0101-03", None, &RenderOptions::default()).unwrap();
    for (x, y) in [(&wa.pdf, &wb.pdf), (&wa.xlsx, &wb.xlsx), (&wa.json, &wb.json)] {
        assert!(
            std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
            "{} differs between runs",
            x.display()
        );
    }
}
