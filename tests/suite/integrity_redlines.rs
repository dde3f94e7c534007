//! Selection integrity (issue 12): every bundled model checks the national
//! red-line set; a project that breaks a red line, or whose red line cannot
//! be checked, is never selected or rewarded — in the base selection and
//! in every Monte Carlo draw.

use crate::common;
use landeval::fields::FieldDict;
use landeval::model::{BUNDLED_MODELS, Model, RedlineSet, check_model, redlines};
use landeval::pipeline::Run;
use landeval::report::committee;
use landeval::report::text::vocab;
use landeval::score::{Evaluation, NotSelected, ProjectScore, VetoStatus};
use landeval::template::CellValue;
use std::sync::OnceLock;

/// The sample province's red-line breakers (fixtures/sample-province/README.md)
/// and the red line each breaks.
const BREAKERS: [(&str, &str); 9] = [
    ("QL-0102-01", "farmland_decreased"),
    ("QL-0203-01", "quality_fell"),
    ("QL-0301-01", "construction_increased"),
    ("QL-0402-01", "redline_reduced"),
    ("QL-0201-02", "pbf_over_adjusted"),
    ("QL-0401-02", "new_farmland_unmeasured"),
    ("QL-0501-01", "new_farmland_unmeasured"),
    ("QL-0302-02", "forced_demolition"),
    ("QL-0502-02", "hidden_debt"),
];

fn evaluate(sources: &[landeval::ingest::Source], id: &str) -> Run {
    let dict = FieldDict::bundled();
    let fonts = landeval::report::engine::fonts::FontSet::load(None).expect("fonts");
    let ds = landeval::pipeline::read(sources, &dict, &fonts);
    let mut m = Model::load(id).expect("bundled model");
    m.robustness.draws = 300;
    landeval::pipeline::evaluate(ds, dict, m, None).expect("evaluation")
}

fn project<'a>(e: &'a Evaluation, id: &str) -> &'a ProjectScore {
    e.projects.iter().find(|p| p.id == id).expect("project")
}

fn status(p: &ProjectScore, veto: &str) -> VetoStatus {
    p.vetoes.iter().find(|v| v.id == veto).expect("veto checked").status
}

/// Nothing selected, rewarded or drawn into a Monte Carlo selection has a
/// red line breached or unknown.
fn nothing_blocked_is_selected(id: &str, e: &Evaluation) {
    for p in &e.projects {
        let blocked = p.vetoes.iter().any(|v| v.status.blocks());
        if blocked {
            assert!(!p.selected, "{id}: {} selected with a red line {:?}", p.id, p.vetoes);
            assert_eq!(p.reward, 0.0, "{id}: {} rewarded", p.id);
            if let Some(r) = &p.robustness
                && e.robustness.as_ref().is_some_and(|s| s.uses_selection_rules)
            {
                assert_eq!(r.p_selected, 0.0, "{id}: {} drawn into a selection", p.id);
            }
        }
    }
}

/// The sample province under `id`: every breaker is vetoed by the red line
/// it breaks, gets no rank, no selection and no reward.
fn breakers_are_vetoed(id: &str) {
    let m = Model::load(id).expect("bundled model");
    assert_eq!(m.model.redlines, RedlineSet::National, "{id}");
    assert!(m.dropped_redlines.is_empty(), "{id} drops {:?}", m.dropped_redlines);
    for line in redlines::lines(RedlineSet::National) {
        assert!(m.vetoes.iter().any(|v| v.id == line.id), "{id} lacks {}", line.id);
    }
    static PROVINCE: OnceLock<Vec<landeval::ingest::Source>> = OnceLock::new();
    let run = evaluate(PROVINCE.get_or_init(common::fixture_sources), id);
    let e = &run.eval;
    for (pid, veto) in BREAKERS {
        let p = project(e, pid);
        assert_eq!(status(p, veto), VetoStatus::Breached, "{id}: {pid} {veto}");
        assert!(p.vetoed && p.rank.is_none() && !p.selected, "{id}: {pid}");
        assert_eq!((p.reward, p.reward_cut), (0.0, 0.0), "{id}: {pid}");
        assert_eq!(model_grade(&m, p), "不合格", "{id}: {pid}");
        if m.selection.is_some() {
            assert_eq!(p.not_selected, Some(NotSelected::Vetoed), "{id}: {pid}");
        }
    }
    nothing_blocked_is_selected(id, e);
}

fn model_grade<'a>(m: &'a Model, p: &ProjectScore) -> &'a str {
    m.grade_name(p.grade)
}

macro_rules! breaker_tests {
    ($($name:ident => $id:literal),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                breakers_are_vetoed($id);
            }
        )*
        /// Every bundled model has its test above.
        #[test]
        fn every_bundled_model_has_a_breaker_test() {
            let tested = [$($id),*];
            for (id, _) in BUNDLED_MODELS {
                assert!(tested.contains(id), "{id} has no red-line test");
            }
        }
    };
}

breaker_tests! {
    national_2025_vetoes_every_breaker => "national-2025",
    sichuan_2025_vetoes_every_breaker => "sichuan-2025",
    sichuan_admission_2025_vetoes_every_breaker => "sichuan-admission-2025",
    ningxia_2025_vetoes_every_breaker => "ningxia-2025",
    qiannan_2025_vetoes_every_breaker => "qiannan-2025",
    haining_2021_vetoes_every_breaker => "haining-2021",
    yunnan_2025_vetoes_every_breaker => "yunnan-2025",
    academic_vetoes_every_breaker => "academic-ahp-entropy-topsis",
}

#[test]
fn sichuan_2025_no_longer_rewards_the_four_breakers() {
    // Before issue 12 sichuan-2025 checked 5 red lines and selected QL-0501-01
    // (系数测算, 1000 万元), QL-0201-02 (PBF 7.0%, 1000), QL-0401-02 (图上作业, 600)
    // and QL-0402-01 (生态保护红线减少, 600): 3,200 万元.
    let run = evaluate(&common::fixture_sources(), "sichuan-2025");
    for pid in ["QL-0501-01", "QL-0201-02", "QL-0401-02", "QL-0402-01"] {
        let p = project(&run.eval, pid);
        assert!(p.vetoed && !p.selected && p.reward == 0.0, "{pid}");
    }
    let total: f64 = run.eval.projects.iter().map(|p| p.reward).sum();
    assert!(total > 0.0, "the clean projects are still rewarded");
}

/// The sample province with three strong, clean projects given a blank
/// red-line cell each: 鹤汀县 QL-0101-01 (the exemplar, first data row of
/// 农用地整治) without 新增耕地核定方式 (column E: 项目编号, 整治前耕地,
/// 整治后耕地, 新增耕地, 核定方式), 芰湖县 QL-0402-02 (second row of
/// 生态保护修复) without 整治后生态保护红线面积 (column F: 项目编号, 生态修复,
/// GEP 前, GEP 后, 红线前, 红线后) and QL-0201-04 without 新增隐性债务.
fn province_with_blanks() -> &'static Vec<landeval::ingest::Source> {
    static P: OnceLock<Vec<landeval::ingest::Source>> = OnceLock::new();
    P.get_or_init(|| {
        let mut sources: Vec<_> = common::fixture_sources()
            .into_iter()
            .filter(|s| !["鹤汀县.xlsx", "芰湖县.xlsx", "苇塘县.xlsx"].contains(&s.name.as_str()))
            .collect();
        sources.extend(common::edited_county("blank-heting", "鹤汀县.xlsx", |d| {
            common::row_mut(d, "farmland", "QL-0101-01").remove("new_farmland_method");
        }));
        sources.extend(common::edited_county("blank-jihu", "芰湖县.xlsx", |d| {
            common::row_mut(d, "ecology", "QL-0402-02").remove("redline_after");
        }));
        sources.extend(common::edited_county("blank-weitang", "苇塘县.xlsx", |d| {
            common::row_mut(d, "process", "QL-0201-04").remove("hidden_debt");
        }));
        sources
    })
}

const BLANKS: [(&str, &str); 3] = [
    ("QL-0101-01", "new_farmland_unmeasured"),
    ("QL-0402-02", "redline_reduced"),
    ("QL-0201-04", "hidden_debt"),
];

fn unknown_red_lines_block(id: &str) {
    let run = evaluate(province_with_blanks(), id);
    let e = &run.eval;
    for (pid, veto) in BLANKS {
        let p = project(e, pid);
        let deferred = run.model.vetoes.iter().any(|v| v.id == veto && v.deferred.is_some());
        let expected = if deferred {
            VetoStatus::Deferred
        } else {
            VetoStatus::Unknown
        };
        assert_eq!(status(p, veto), expected, "{id}: {pid} {veto}");
        if expected == VetoStatus::Unknown && !p.vetoed {
            assert!(!p.selected && p.reward == 0.0, "{id}: {pid}");
            assert!(p.rank.is_some(), "{id}: {pid} keeps its rank");
            if run.model.selection.is_some() {
                assert_eq!(p.not_selected, Some(NotSelected::RedlineUnknown), "{id}: {pid}");
            }
        }
    }
    nothing_blocked_is_selected(id, e);
}

#[test]
fn no_bundled_model_selects_a_project_with_an_unknown_red_line() {
    for (id, _) in BUNDLED_MODELS {
        unknown_red_lines_block(id);
    }
}

#[test]
fn an_unknown_red_line_is_an_error_naming_the_cell_to_fill() {
    let run = evaluate(province_with_blanks(), "national-2025");
    // QL-0101-01 had 100 points and rank 1 (selected); now rank 1, not selected.
    let top = project(&run.eval, "QL-0101-01");
    assert_eq!(top.rank, Some(1));
    assert!(!top.selected);
    let errors: Vec<_> = run
        .log
        .findings
        .iter()
        .filter(|f| f.severity == landeval::ingest::Severity::Error)
        .collect();
    let cell = |file: &str, sheet: &str, cell: &str| {
        errors
            .iter()
            .find(|f| f.origin.file == file && f.origin.sheet == sheet && f.origin.cell == cell)
            .unwrap_or_else(|| panic!("no error at {file} / {sheet} / {cell}: {errors:#?}"))
    };
    let f = cell("鹤汀县.xlsx", "农用地整治", "E2");
    assert!(
        f.message.contains("红线“新增耕地未实测”无法核查（待核实（数据缺失））")
            && f.message
                .contains("请填写“新增耕地核定方式”（鹤汀县.xlsx / 农用地整治 / E2）")
            && f.message.contains("不得入选示范、不得获得奖补"),
        "{}",
        f.message
    );
    let f = cell("芰湖县.xlsx", "生态保护修复", "F3");
    assert!(f.message.contains("“整治后生态保护红线面积”"), "{}", f.message);
    assert!(run.log.has_errors(), "evaluate exits 1");

    // The reports say 待核实: the ranking's mark, the scorecard's red line
    // and the reason in results.json.
    let input = run.report_input().unwrap();
    let view = committee::view::build(&input);
    let row = view.ranking.iter().find(|r| r.id == "QL-0101-01").expect("row");
    assert_eq!(row.mark, vocab::PENDING);
    let card = view.cards.iter().find(|c| c.id == "QL-0101-01").expect("card");
    let line = card
        .vetoes
        .iter()
        .find(|v| v.name == "新增耕地未实测")
        .expect("red line");
    assert_eq!(line.status, "待核实（数据缺失）");
    assert!(!line.ok);
    let json: serde_json::Value = serde_json::from_str(&committee::json::results(&input).unwrap()).unwrap();
    let p = json["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "QL-0101-01")
        .unwrap();
    assert_eq!(p["not_selected"], "redline_unknown");
    assert_eq!(
        vocab::not_selected_label(NotSelected::RedlineUnknown),
        "红线待核实（数据缺失）"
    );
}

#[test]
fn blank_new_farmland_is_unknown_and_zero_or_not_applicable_passes() {
    // Before issue 12 a blank 新增耕地面积 passed the red line silently.
    let sources = common::province_with("nf", "稻溪县.xlsx", |d| {
        common::row_mut(d, "farmland", "QL-0401-01").remove("new_farmland");
        let r = common::row_mut(d, "farmland", "QL-0401-03");
        r.insert("new_farmland".into(), CellValue::Text("不涉及".into()));
        r.remove("new_farmland_method");
        let r = common::row_mut(d, "farmland", "QL-0401-02");
        r.insert("new_farmland".into(), CellValue::Number(0.0));
    });
    let run = evaluate(&sources, "national-2025");
    let e = &run.eval;
    assert_eq!(
        status(project(e, "QL-0401-01"), "new_farmland_unmeasured"),
        VetoStatus::Unknown
    );
    assert_eq!(
        status(project(e, "QL-0401-03"), "new_farmland_unmeasured"),
        VetoStatus::Passed
    );
    // QL-0401-02 was vetoed for 图上作业; with 0 亩 of new farmland there is nothing to measure.
    assert_eq!(
        status(project(e, "QL-0401-02"), "new_farmland_unmeasured"),
        VetoStatus::Passed
    );
}

// ------------------------------------------------------------ the model side

fn model_text(extra: &str, selection: &str) -> String {
    format!(
        r#"
[model]
id = "t"
name = "t"
version = "1"
{extra}

[[dimension]]
id = "d"
name = "维度"

[[indicator]]
id = "x"
name = "指标"
dimension = "d"
points = 100
expr = "satisfaction"
scale = {{ method = "target", floor = 0.0, target = 1.0 }}

[grades]
"合格" = 60
{selection}
"#
    )
}

const SELECTS: &str = "[selection]\ncount = 3\n\n[[reward]]\nranks = [1, 3]\namount = 100\n";

#[test]
fn a_model_includes_the_national_set_by_default_and_may_not_redefine_it() {
    let m = Model::parse(&model_text("", ""), "t").unwrap();
    let ids: Vec<&str> = m.vetoes.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids.len(), 8);
    assert!(m.vetoes.iter().all(|v| v.shared == Some(RedlineSet::National)));
    // Redefining one is refused; so is dropping without a reason or an unknown id.
    let own = "[[veto]]\nid = \"farmland_decreased\"\nname = \"耕地减少\"\nwhen = \"farmland_after < 0\"\n";
    let err = format!("{:#}", Model::parse(&model_text("", own), "t").unwrap_err());
    assert!(err.contains("已在全国红线集中"), "{err}");
    let no_reason = "[[redline_drop]]\nid = \"hidden_debt\"\nreason = \" \"\n";
    let err = format!("{:#}", Model::parse(&model_text("", no_reason), "t").unwrap_err());
    assert!(err.contains("必须写明 reason"), "{err}");
    let unknown = "[[redline_drop]]\nid = \"hidden_debts\"\nreason = \"x\"\n";
    let err = format!("{:#}", Model::parse(&model_text("", unknown), "t").unwrap_err());
    assert!(err.contains("不在全国红线集中"), "{err}");
    let other_set = "redlines = \"provincial\"";
    assert!(Model::parse(&model_text(other_set, ""), "t").is_err());
}

#[test]
fn a_dropped_red_line_is_reported_and_warned_about_when_the_model_rewards() {
    let drop = "[[redline_drop]]\nid = \"pbf_over_adjusted\"\nreason = \"本省未采用 5% 口径\"\n";
    let text = model_text("", &format!("{drop}{SELECTS}"));
    let m = Model::parse(&text, "t").unwrap();
    assert_eq!(m.vetoes.len(), 7);
    assert_eq!(m.dropped_redlines[0].id, "pbf_over_adjusted");
    let report = check_model(&m, &text, &FieldDict::bundled());
    assert!(report.ok(), "{:?}", report.errors);
    assert!(
        report.warnings.iter().any(|w| w.contains("遴选并奖补")
            && w.contains("永久基本农田调整超过 5%")
            && w.contains("本省未采用 5% 口径")),
        "{:?}",
        report.warnings
    );
    let sentence = landeval::report::text::method::redline_rule(&m);
    assert!(
        sentence.contains("全国红线集（自然资发〔2024〕149号等）7 条")
            && sentence.contains("本模型不核查“永久基本农田调整超过 5%”，理由：本省未采用 5% 口径"),
        "{sentence}"
    );
    // Without selection or reward: no warning.
    let text = model_text("", drop);
    let m = Model::parse(&text, "t").unwrap();
    assert!(check_model(&m, &text, &FieldDict::bundled()).warnings.is_empty());
}

#[test]
fn deferring_is_for_models_before_the_project_and_warned_about_after_acceptance() {
    let defer = "[[redline_defer]]\nid = [\"farmland_decreased\", \"quality_fell\"]\nreason = \"尚未实施\"\n";
    let text = model_text("", &format!("{defer}{SELECTS}"));
    let m = Model::parse(&text, "t").unwrap();
    assert_eq!(m.vetoes.iter().filter(|v| v.deferred.is_some()).count(), 2);
    let w = check_model(&m, &text, &FieldDict::bundled()).warnings;
    assert_eq!(w.iter().filter(|w| w.contains("推迟核查红线")).count(), 2, "{w:?}");
    // The admission model selects candidates before acceptance: no warning.
    let (m, text) = Model::load_with_source("sichuan-admission-2025").unwrap();
    let w = check_model(&m, &text, &FieldDict::bundled()).warnings;
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(m.vetoes.iter().filter(|v| v.deferred.is_some()).count(), 7);
    assert!(m.vetoes.iter().any(|v| v.id == "hidden_debt" && v.deferred.is_none()));
}

#[test]
fn candidate_townships_defer_the_outcome_red_lines_but_check_hidden_debt() {
    let path = common::repo().join("fixtures/candidate-townships/候选乡镇.xlsx");
    let sources = vec![landeval::ingest::Source::from_path(&path).unwrap()];
    let run = evaluate(&sources, "sichuan-admission-2025");
    let p = &run.eval.projects[0];
    assert_eq!(status(p, "farmland_decreased"), VetoStatus::Deferred);
    assert_eq!(status(p, "hidden_debt"), VetoStatus::Passed);
    assert!(!run.log.has_errors(), "{:#?}", run.log.findings);
    assert_eq!(run.eval.projects.iter().filter(|p| p.selected).count(), 5);
}

#[test]
fn the_method_section_and_results_json_state_the_red_lines() {
    let run = evaluate(&common::fixture_sources(), "sichuan-admission-2025");
    let input = run.report_input().unwrap();
    let view = committee::view::build(&input);
    assert!(
        view.model
            .redlines
            .contains("全国红线集（自然资发〔2024〕149号等）8 条和本模型自定的 2 条")
            && view.model.redlines.contains("尚无整治结果时记为“实施后核查”"),
        "{}",
        view.model.redlines
    );
    let markup = committee::volumes::main_markup(&view, None).unwrap();
    assert!(markup.contains("全国红线集"), "the template prints the sentence");
    let json: serde_json::Value = serde_json::from_str(&committee::json::results(&input).unwrap()).unwrap();
    let r = &json["method"]["redlines"];
    assert_eq!(r["set"], "national");
    assert_eq!(r["checked"].as_array().unwrap().len(), 10);
    assert_eq!(r["deferred"].as_array().unwrap().len(), 7);
}
