//! Selection integrity (issue 12), the scoring defects, each on a case
//! small enough to check by hand:
//! - “不涉及” means not applicable in every sheet (indicator re-weighted,
//!   red line 不涉及), and `explain` says so;
//! - an excluded indicator under TOPSIS and the geometric mean;
//! - the cells entropy weights fill, and how many.

use crate::common;
use landeval::explain::explain;
use landeval::fields::FieldDict;
use landeval::ingest::Severity;
use landeval::model::Model;
use landeval::pipeline::Run;
use landeval::score::weights::MethodNote;
use landeval::score::{Evaluation, NotSelected, ProjectScore, Status, VetoStatus, evaluate_with_threads};
use landeval::template::{WorkbookData, write_workbook};
use polars::prelude::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn project<'a>(e: &'a Evaluation, id: &str) -> &'a ProjectScore {
    e.projects.iter().find(|p| p.id == id).expect("project")
}

// ------------------------------------------------------------ 不涉及

/// GEP growth (50 points, linear 0 → 25%) and satisfaction (50 points,
/// linear 60% → 100%) in one dimension; the red lines 生态保护红线 and
/// 新增耕地实测 are checked, the other six dropped for the test.
const NA_MODEL: &str = r#"
[model]
id = "na-test"
name = "不涉及测试"
version = "1"
seed = 1

[[redline_drop]]
id = ["farmland_decreased", "quality_fell", "construction_increased", "pbf_over_adjusted", "forced_demolition", "hidden_debt"]
reason = "本测试只核查生态保护红线和新增耕地实测"

[[dimension]]
id = "result"
name = "最终成效"

[[indicator]]
id = "gep_growth"
name = "GEP 增长率"
dimension = "result"
points = 50
expr = "(gep_after - gep_before) / gep_before"
scale = { method = "target", floor = 0.0, target = 0.25 }

[[indicator]]
id = "satisfaction"
name = "群众满意度"
dimension = "result"
points = 50
expr = "satisfaction"
scale = { method = "target", floor = 0.6, target = 1.0 }

[grades]
"合格" = 30

[selection]
count = 3
accepted_only = false

[robustness]
draws = 200
"#;

use crate::common::{num as n, row, text as t};

/// Three projects, rows 2–4 of every sheet, all 90% satisfied:
/// - NA-1: GEP before and after 不涉及; 生态保护红线 before and after 不涉及;
///   新增耕地 不涉及 (核定方式 blank);
/// - BL-2: GEP blank; red line 100 → 100; 新增耕地 10 亩, 核定方式 blank;
/// - MX-3: GEP before 不涉及, after blank; red line before 100, after blank; 新增耕地 0.
fn na_workbook() -> Run {
    let ids = ["NA-1", "BL-2", "MX-3"];
    let mut d = WorkbookData::new();
    d.insert(
        "ledger".into(),
        ids.iter()
            .map(|id| {
                row(&[
                    ("project_id", t(id)),
                    ("project_name", t(&format!("{id} 项目"))),
                    ("city", t("测试市")),
                    ("county", t("测试县")),
                ])
            })
            .collect(),
    );
    d.insert(
        "process".into(),
        ids.iter()
            .map(|id| row(&[("project_id", t(id)), ("satisfaction", n(90.0))]))
            .collect(),
    );
    d.insert(
        "ecology".into(),
        vec![
            row(&[
                ("project_id", t("NA-1")),
                ("gep_before", t("不涉及")),
                ("gep_after", t("不涉及")),
                ("redline_before", t("不涉及")),
                ("redline_after", t("不涉及")),
            ]),
            row(&[
                ("project_id", t("BL-2")),
                ("redline_before", n(100.0)),
                ("redline_after", n(100.0)),
            ]),
            row(&[
                ("project_id", t("MX-3")),
                ("gep_before", t("不涉及")),
                ("redline_before", n(100.0)),
            ]),
        ],
    );
    d.insert(
        "farmland".into(),
        vec![
            row(&[("project_id", t("NA-1")), ("new_farmland", t("不涉及"))]),
            row(&[("project_id", t("BL-2")), ("new_farmland", n(10.0))]),
            row(&[("project_id", t("MX-3")), ("new_farmland", n(0.0))]),
        ],
    );
    let dir = common::scratch("integrity-na");
    let path = dir.join("测试县.xlsx");
    let dict = FieldDict::bundled();
    write_workbook(&path, &dict, &d).unwrap();
    let sources = vec![landeval::ingest::Source::from_path(&path).unwrap()];
    let fonts = landeval::report::engine::fonts::FontSet::load(None).unwrap();
    let ds = landeval::pipeline::read(&sources, &dict, &fonts);
    let model = Model::parse(NA_MODEL, "na-test").unwrap();
    landeval::pipeline::evaluate(ds, dict, model, None).unwrap()
}

#[test]
fn not_applicable_means_the_same_in_every_sheet() {
    let run = na_workbook();
    let e = &run.eval;
    // Satisfaction 90%: (0.9 − 0.6) / 0.4 = 0.75.
    // NA-1: GEP 不涉及 → not applicable, satisfaction takes the dimension's
    // 100 points: 100 × 0.75 = 75.
    let na = project(e, "NA-1");
    assert_eq!(na.indicators[0].status, Status::NotApplicable);
    assert!(na.indicators[0].missing_fields.is_empty());
    assert!(close(na.indicators[1].weight, 100.0));
    assert!(close(na.total, 75.0), "{}", na.total);
    // BL-2: GEP blank → missing, 0 of 50; 50 × 0.75 = 37.5.
    let bl = project(e, "BL-2");
    assert_eq!(bl.indicators[0].status, Status::MissingZero);
    assert!(close(bl.total, 37.5), "{}", bl.total);
    // MX-3: one GEP cell 不涉及, the other blank → still missing: 37.5.
    let mx = project(e, "MX-3");
    assert_eq!(mx.indicators[0].status, Status::MissingZero);
    assert!(close(mx.total, 37.5), "{}", mx.total);

    // Red lines: NA-1's red-line cells are 不涉及 → 不涉及, and its new farmland
    // 不涉及 leaves nothing to measure; BL-2 has 10 亩 without 核定方式 and MX-3
    // no red line after: unknown, so only NA-1 is selected.
    let status = |p: &ProjectScore, id: &str| p.vetoes.iter().find(|v| v.id == id).unwrap().status;
    assert_eq!(status(na, "redline_reduced"), VetoStatus::NotApplicable);
    assert_eq!(status(na, "new_farmland_unmeasured"), VetoStatus::Passed);
    assert_eq!(status(bl, "new_farmland_unmeasured"), VetoStatus::Unknown);
    assert_eq!(status(mx, "redline_reduced"), VetoStatus::Unknown);
    assert_eq!(status(mx, "new_farmland_unmeasured"), VetoStatus::Passed);
    assert!(na.selected);
    for p in [bl, mx] {
        assert_eq!((p.selected, p.not_selected), (false, Some(NotSelected::RedlineUnknown)));
        assert_eq!(p.robustness.as_ref().map(|r| r.p_selected), Some(0.0), "{}", p.id);
    }
    // The errors name the cells to fill: 农用地整治 column E (核定方式) row 3,
    // 生态保护修复 column F (整治后红线) row 4.
    let errors: Vec<String> = run
        .log
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{} {}", f.origin, f.message))
        .collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors[0].starts_with("测试县.xlsx / 农用地整治 / E3 "), "{errors:#?}");
    assert!(errors[1].starts_with("测试县.xlsx / 生态保护修复 / F4 "), "{errors:#?}");
    // The data-quality log (and so `validate`) says 不涉及 is not applicable.
    assert!(run.log.findings.iter().any(|f| f.severity == Severity::Info
        && f.origin.cell == "C2"
        && f.message.contains("“整治前GEP”填写“不涉及”，按不适用处理（不计为 0）")));
}

#[test]
fn explain_shows_not_applicable_cells_as_such() {
    let run = na_workbook();
    let text = explain(&run, "NA-1", None).unwrap();
    for line in [
        "gep_before（整治前GEP）= 不涉及（不适用）  ← 测试县.xlsx / 生态保护修复 / C2",
        "gep_after（整治后GEP）= 不涉及（不适用）  ← 测试县.xlsx / 生态保护修复 / D2",
        "得分：0 × 得分率 = 0 分（不适用（方案未设定该任务、填报“不涉及”或不满足适用条件），分值按维度内其他指标重新分配）",
        "得分：100 × 得分率 = 75 分（已计分）",
        "生态保护红线面积减少：不涉及",
    ] {
        assert!(text.contains(line), "missing «{line}» in:\n{text}");
    }
    assert!(!text.contains("未填报"), "{text}");
    assert!(!text.contains("缺失字段"), "{text}");
    let blank = explain(&run, "BL-2", None).unwrap();
    assert!(blank.contains("新增耕地未实测：待核实（数据缺失）"), "{blank}");
    assert!(
        blank.contains("gep_before（整治前GEP）= （空）亿元  ← 未填报"),
        "{blank}"
    );
}

#[test]
fn not_applicable_gep_on_the_sample_province() {
    // QL-0501-03 under national-2025: GEP growth (8 of the 最终成效 points)
    // blank scores 0 (65.59); written 不涉及 it drops out and is re-weighted (70.97).
    let sources = common::province_with("na-gep", "桐沣县.xlsx", |d| {
        let r = common::row_mut(d, "ecology", "QL-0501-03");
        r.insert("gep_before".into(), t("不涉及"));
        r.insert("gep_after".into(), t("不涉及"));
    });
    let run = common::evaluate(&sources, "national-2025");
    let p = project(&run.eval, "QL-0501-03");
    let gep = p.indicators.iter().find(|s| s.id == "gep_growth").unwrap();
    assert_eq!(gep.status, Status::NotApplicable);
    assert_eq!(format!("{:.2}", p.total), "70.97");
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

#[test]
fn entropy_weights_fill_excluded_cells_with_the_column_mean_and_count_them() {
    // x1 = (0.1, 0.2, 0.3); x2 = (0.2, 0.4, —): C's excluded x2 is filled with the mean 0.3.
    // x2: p = (2, 4, 3) / 9; e = −Σ p ln p / ln 3
    //     = (0.222·1.504 + 0.444·0.811 + 0.333·1.099) / 1.0986 = 1.06086 / 1.09861 = 0.965634; d = 0.034366.
    // x1: p = (1, 2, 3) / 6; e = (0.1667·1.7918 + 0.3333·1.0986 + 0.5·0.6931) / 1.0986
    //     = 1.01140 / 1.09861 = 0.920620; d = 0.079380.
    // Points: x1 100 × 0.079380 / 0.113747 = 69.79, x2 100 × 0.034366 / 0.113747 = 30.21.
    // (Over the available projects only, x2 would give p = (1, 2) / 3,
    // e = 0.918296, d = 0.081704 and 50.72 points: the filled mean adds no contrast.)
    let rows = [("A", 0.1, Some(0.2)), ("B", 0.2, Some(0.4)), ("C", 0.3, None)];
    let e = evaluate_with_threads(&frame(&rows), &model("[weights]\nmethod = \"entropy\""), 1).unwrap();
    let pts: Vec<f64> = e.method.weights.iter().map(|w| w.points).collect();
    assert!((pts[0] - 69.7869).abs() < 1e-3, "{pts:?}");
    assert!((pts[1] - 30.2131).abs() < 1e-3, "{pts:?}");
    let note = e
        .method
        .notes
        .iter()
        .find(|n| matches!(n, MethodNote::ObjectiveImputed { .. }))
        .expect("imputation note");
    assert_eq!(
        note,
        &MethodNote::ObjectiveImputed {
            method: landeval::model::WeightMethod::Entropy,
            cells: 1,
            indicators: vec![("x2".into(), 1)],
        }
    );
    let m = model("[weights]\nmethod = \"entropy\"");
    let rules = landeval::report::text::method::method_rules(&m, &e.method);
    assert_eq!(rules.len(), 2, "{rules:?}");
    assert!(rules[0].starts_with("不适用（实施方案未设定该任务、填报“不涉及”或不满足适用条件）或缺失不计"));
    assert_eq!(
        rules[1],
        "熵权法计算客观权重时，缺失计 0 的单元格按 0 计入，不适用或缺失不计的单元格以该指标其余项目换算值的均值填补\
         （本次共填补 1 个单元格：“指标二”1 个）。"
    );
}

#[test]
fn the_committee_method_section_states_both_rules() {
    let run = common::evaluate(&common::fixture_sources(), "academic-ahp-entropy-topsis");
    let input = run.report_input().unwrap();
    let view = landeval::report::committee::view::build(&input);
    assert_eq!(view.model.rules.len(), 2, "{:?}", view.model.rules);
    assert!(view.model.rules[0].contains("TOPSIS 的正、负理想解只由具备该指标的项目按统一权重确定"));
    // QL-0103-03 lacks satisfaction and village land per person (two
    // indicators excluded; its GEP growth uses the estimate from its land
    // use structure): two cells filled.
    assert!(
        view.model.rules[1].contains("本次共填补 2 个单元格"),
        "{}",
        view.model.rules[1]
    );
    let markup = landeval::report::committee::volumes::main_markup(&view, None).unwrap();
    assert!(markup.contains("本次共填补 2 个单元格"));
    assert!(markup.contains("按其重新分配后的权重计算"));
}
