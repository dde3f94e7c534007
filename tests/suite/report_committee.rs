//! The committee report (评估报告): statistics over the eligible projects,
//! vetoed projects marked everywhere, red-line evidence on the scorecard, GEP
//! estimates scored, scoring rules in words, the grouped data-quality
//! appendix, the table of contents and bookmarks, the report date and where
//! it came from, and the 问题与建议 section. Expected values are the
//! sample province's (fixtures/sample-province/README.md) and can be checked
//! by hand in the workbooks or the report.

use crate::common;

use landeval::fields::FieldDict;
use landeval::ingest::{Severity, Source};
use landeval::model::Model;
use landeval::pipeline::{self, Run};
use landeval::report::committee::problems::Problem;
use landeval::report::committee::quality;
use landeval::report::committee::view::{self, Card, CommitteeView};
use landeval::report::engine::charts::{self, ScoreBar};
use landeval::report::engine::fonts::FontSet;
use landeval::report::text::vocab::scale_rule;
use landeval::report::{DateSource, RenderOptions};
use std::process::Command;
use std::sync::OnceLock;

/// Sources under a model, without the Monte Carlo (fast in debug builds).
fn quick(sources: &[Source], model: Model, date: Option<[i32; 3]>) -> Run {
    let dict = FieldDict::bundled();
    let ds = pipeline::read(sources, &dict, &FontSet::load(None).expect("fonts"));
    let mut model = model;
    model.robustness.draws = 0;
    pipeline::evaluate(ds, dict, model, date).expect("evaluation")
}

fn national() -> Model {
    Model::load("national-2025").expect("model")
}

/// The sample province under national-2025.
fn sample() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| quick(&common::fixture_sources(), national(), None))
}

fn sample_view() -> &'static CommitteeView {
    static VIEW: OnceLock<CommitteeView> = OnceLock::new();
    VIEW.get_or_init(|| view::build(&sample().report_input().expect("dated")))
}

/// The rendered report of the sample province: the main volume, then the scorecard annexes.
fn sample_pdfs() -> &'static (Vec<u8>, Vec<Vec<u8>>) {
    static PDF: OnceLock<(Vec<u8>, Vec<Vec<u8>>)> = OnceLock::new();
    PDF.get_or_init(|| {
        let dir = common::scratch("report-committee-pdf");
        let w = pipeline::write_committee(sample(), &dir, &RenderOptions::default()).expect("written");
        let annexes = w
            .annexes
            .iter()
            .map(|a| std::fs::read(&a.path).expect("annex"))
            .collect();
        (std::fs::read(w.pdf).expect("pdf"), annexes)
    })
}

/// The main volume of the sample province's report.
fn sample_pdf() -> &'static [u8] {
    &sample_pdfs().0
}

fn card<'a>(view: &'a CommitteeView, id: &str) -> &'a Card {
    view.cards.iter().find(|c| c.id == id).expect("card")
}

fn problem<'a>(view: &'a CommitteeView, title: &str) -> &'a Problem {
    view.problems
        .problems
        .iter()
        .find(|p| p.title == title)
        .unwrap_or_else(|| panic!("no problem “{title}”"))
}

/// One county's workbook of the sample province.
fn county(file: &str) -> Vec<Source> {
    common::fixture_sources()
        .into_iter()
        .filter(|s| s.name == file)
        .collect()
}

fn name_of(id: &str) -> String {
    sample()
        .eval
        .projects
        .iter()
        .find(|p| p.id == id)
        .expect("project")
        .name
        .clone()
}

// ---------------------------------------------------------------- item 1

/// 9 of the 40 projects breach a red line (README 特殊项目); the statistics are
/// over the other 31. Their totals as the ranking table prints them (ranks
/// 1–31) add up to 2277.13 (2277.12 unrounded), and 2277.13 / 31 = 73.46 —
/// not the 78.69 of all 40 computed totals.
#[test]
fn statistics_are_over_the_eligible_projects() {
    let s = &sample_view().summary;
    assert_eq!((s.projects, s.vetoed, s.eligible), (40, 9, 31));
    let eligible: Vec<f64> = sample()
        .eval
        .projects
        .iter()
        .filter(|p| !p.vetoed)
        .map(|p| p.total)
        .collect();
    assert_eq!(format!("{:.2}", eligible.iter().sum::<f64>()), "2277.12");
    assert_eq!(s.mean, "73.46");
    assert_eq!((s.max.as_str(), s.min.as_str()), ("100.00", "53.32"));
    // Grades count the eligible projects only: 5 + 6 + 15 + 5 = 31; the 9 vetoed apart.
    let counts: Vec<&str> = s.grades.iter().map(|g| g.count.as_str()).collect();
    assert_eq!(counts, ["5", "6", "15", "5"]);
    // The bulletin states the same mean.
    let bulletin = landeval::report::bulletin::view::build(
        &sample().report_input().unwrap(),
        &landeval::report::bulletin::BulletinOptions::issued_by("青岚省自然资源厅"),
    );
    assert!(
        bulletin.intro.contains("未否决项目平均得分73.46分"),
        "{}",
        bulletin.intro
    );
}

/// The (non-empty) texts an SVG chart draws, in order.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_string())
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// Totals 55, 65, 65 (and 40, 45 of no bin of interest) with two vetoed
/// projects: bars 2 (40–50), 1 (50–60), 2 (60–70), and the vetoed pair as a
/// separate bar labelled 否决 2; the axis counts 0, 1, 2, 3 once each.
#[test]
fn the_histogram_bins_eligible_totals_and_shows_vetoed_apart() {
    let svg = charts::histogram(&[40.0, 45.0, 55.0, 65.0, 65.0], 2).expect("svg");
    let texts = svg_texts(&svg);
    let axis: Vec<&str> = texts.iter().skip(2).take(4).map(String::as_str).collect();
    assert_eq!(axis, ["0", "1", "2", "3"], "{texts:?}");
    let bars: Vec<&str> = texts.iter().rev().take(4).rev().map(String::as_str).collect();
    assert_eq!(bars, ["2", "1", "2", "否决 2"], "{texts:?}");
    let without = charts::histogram(&[55.0, 65.0, 65.0], 0).expect("svg");
    assert!(!without.contains("否决"));
}

/// A vetoed project's bar (computed total 98.16) is not drawn: its row says
/// which red line it breached, and no 98.2 label appears.
#[test]
fn vetoed_projects_get_no_score_bar() {
    let dims = vec!["执行过程".to_string(), "管理效能".to_string(), "最终成效".to_string()];
    let bars = [
        ScoreBar {
            label: "1 甲项目".into(),
            parts: vec![20.0, 20.0, 40.0],
            total: 80.0,
            vetoed: false,
            note: String::new(),
        },
        ScoreBar {
            label: "否决 乙项目".into(),
            parts: vec![25.0, 23.16, 50.0],
            total: 98.16,
            vetoed: true,
            note: "一票否决：耕地面积减少".into(),
        },
    ];
    let texts = svg_texts(&charts::score_bars(&bars, &dims).expect("svg"));
    assert!(texts.iter().any(|t| t == "一票否决：耕地面积减少"), "{texts:?}");
    assert!(texts.iter().any(|t| t == "80.0"), "{texts:?}");
    assert!(
        !texts.iter().any(|t| t.contains("98.2")),
        "no total for the vetoed bar: {texts:?}"
    );
}

/// The self-assessment table: the 7 vetoed projects with a self-assessed total
/// are marked, without a difference; of the 14 eligible ones, 12 assessed
/// themselves higher (the table's negative differences).
#[test]
fn self_assessments_of_vetoed_projects_are_marked() {
    let sv = &sample_view().self_vs;
    assert_eq!(sv.rows.len(), 21);
    let vetoed: Vec<_> = sv.rows.iter().filter(|r| r.vetoed).collect();
    assert_eq!(vetoed.len(), 7);
    assert!(
        vetoed
            .iter()
            .all(|r| r.evaluated == "不合格（一票否决）" && r.difference == "—")
    );
    assert!(
        sv.note
            .starts_with("在填报了自评总分的 14 个未否决项目中，12 个自评高于评估得分"),
        "{}",
        sv.note
    );
}

// ---------------------------------------------------------------- item 2

/// QL-0502-02 declares new hidden debt (麦垄县.xlsx 过程管理 N3 = 是);
/// QL-0201-02 adjusted 768.71 亩 of PBF of 10981.56 亩 (7.0%).
#[test]
fn a_vetoed_scorecard_shows_rule_values_and_cells() {
    let debt = card(sample_view(), "QL-0502-02");
    let line = debt.vetoes.iter().find(|v| !v.ok).expect("breached line");
    assert_eq!(line.name, "新增地方政府隐性债务");
    assert_eq!(line.status, "触碰（一票否决）");
    assert!(line.rule.starts_with("不新增地方政府隐性债务"), "{}", line.rule);
    assert_eq!(line.values, "新增地方政府隐性债务 是");
    assert_eq!(line.cells, "过程管理!N3");

    let pbf = card(sample_view(), "QL-0201-02");
    let line = pbf.vetoes.iter().find(|v| !v.ok).expect("breached line");
    assert_eq!(line.name, "永久基本农田调整超过 5%");
    assert!(line.values.contains("永久基本农田调整比例 7%"), "{}", line.values);
    assert!(
        line.values.contains("768.71 亩") && line.values.contains("10981.56 亩"),
        "{}",
        line.values
    );
    assert_eq!(line.cells.split('；').count(), 2, "{}", line.cells);

    // The self-assessment's checklist is the same builder.
    let input = sample().report_input().unwrap();
    let p = sample().eval.projects.iter().find(|p| p.id == "QL-0201-02").unwrap();
    let sa = landeval::report::self_assessment::view::build(&input, p, None);
    let same = sa.redlines.iter().find(|r| r.name == line.name).unwrap();
    assert_eq!((&same.values, &same.cells), (&line.values, &line.cells));
}

// ---------------------------------------------------------------- item 3

/// QL-0103-03 left GEP blank but filled 土地利用结构: the GEP indicator scores
/// the estimate, (after − before) ÷ before of the adopted values, linear 0 → 25%
/// over 8 points.
#[test]
fn an_estimated_gep_is_scored_and_the_card_says_so() {
    let run = sample();
    let p = run.eval.projects.iter().find(|p| p.id == "QL-0103-03").unwrap();
    let k = run.model.indicators.iter().position(|i| i.id == "gep_growth").unwrap();
    let s = &p.indicators[k];
    let table = landeval::report::fields::FieldTable::new(&run.table);
    let (b, a) = (
        table.num(&p.id, "gep_used_before").unwrap(),
        table.num(&p.id, "gep_used_after").unwrap(),
    );
    let growth = (a - b) / b;
    assert!((s.raw.unwrap() - growth).abs() < 1e-12);
    assert!(
        (s.earned - 8.0 * growth / 0.25).abs() < 1e-9,
        "{} vs {}",
        s.earned,
        8.0 * growth / 0.25
    );
    let c = card(sample_view(), "QL-0103-03");
    assert!(c.gep_source.starts_with("估算值"), "{}", c.gep_source);
    assert!(
        c.gep_source.ends_with("；指标“GEP 增长率”按此估算值计分"),
        "{}",
        c.gep_source
    );
    assert!(c.rows[k].status.is_empty(), "scored, not missing");
}

/// A model whose GEP indicator reads the accounted GEP only: the card says
/// plainly that the estimate is not scored.
#[test]
fn a_model_scoring_accounted_gep_only_says_why() {
    let mut m = national();
    let ind = m.indicators.iter_mut().find(|i| i.id == "gep_growth").unwrap();
    ind.expr = "(gep_after - gep_before) / gep_before".into();
    let sources: Vec<Source> = common::fixture_sources()
        .into_iter()
        .filter(|s| s.name == "澜坪县.xlsx")
        .collect();
    let run = quick(&sources, m, None);
    let v = view::build(&run.report_input().unwrap());
    let c = card(&v, "QL-0103-03");
    assert!(
        c.gep_source
            .ends_with("；本模型的指标“GEP 增长率”只采用填报的 GEP 核算值，估算值不用于计分（该指标缺失计 0）"),
        "{}",
        c.gep_source
    );
}

// ---------------------------------------------------------------- item 4

#[test]
fn scoring_rules_read_like_a_scoring_sheet() {
    let m = national();
    let rule = |id: &str| {
        let i = m.indicators.iter().find(|i| i.id == id).unwrap();
        scale_rule(i, i.points)
    };
    // target 0.6 → 1.0 on 6 points, unit %.
    assert_eq!(
        rule("schedule"),
        "60% 及以下得 0 分，100% 及以上得满分 6 分，其间按比例"
    );
    // steps 0.95 → 1, 0.9 → 0.8, 0.8 → 0.5 on 4 points: 3.2 and 2 points.
    assert_eq!(
        rule("villager_consent"),
        "≥95% 得满分 4 分；≥90% 得 3.2 分；≥80% 得 2 分；低于 80% 得 0 分"
    );
    // target 1 → 6 channels on 6 points, unit 个.
    assert_eq!(
        rule("fund_channels"),
        "1 个及以下得 0 分，6 个及以上得满分 6 分，其间按比例"
    );
    assert_eq!(rule("villager_reps"), "是得满分 2 分，否得 0 分");
    assert!(rule("new_farmland_completion").contains("完成率 100% 及以上得满分 5 分"));
    // Piecewise, lower is better: 0% → full, 5% → 0.6 × 10 = 6, 5.01% → 0.
    let mut ind = m.indicators[0].clone();
    ind.unit = Some("%".into());
    ind.scale = landeval::model::Scale::Piecewise {
        points: vec![[0.0, 1.0], [0.05, 0.6], [0.0501, 0.0]],
    };
    assert_eq!(
        scale_rule(&ind, 10.0),
        "0% 及以下得满分 10 分，5% 得 6 分，5.01% 及以上得 0 分，其间按线性插值"
    );
    // The method table uses the same words.
    let row = sample_view()
        .model
        .indicators
        .iter()
        .find(|i| i.name == "村民同意率")
        .unwrap();
    assert_eq!(row.method, rule("villager_consent"));
}

#[test]
fn model_show_prints_the_rules_in_words() {
    let out = Command::new(env!("CARGO_BIN_EXE_landeval"))
        .args(["model", "show", "national-2025"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("60% 及以下得 0 分，100% 及以上得满分 6 分，其间按比例"),
        "{text}"
    );
}

// ---------------------------------------------------------------- item 5

/// The messy copy writes one 小计 row after each project's fund lines: 40
/// subtotal rows, one line in the appendix with its count and first cells.
#[test]
fn repeated_findings_are_grouped_per_kind_and_sheet() {
    let run = quick(&crate::ingest_messy::messy_sources(), national(), None);
    let q = quality::quality(&run.log);
    assert_eq!(q.total, run.log.findings.len());
    assert_eq!(
        q.groups.iter().map(|g| g.count).sum::<usize>(),
        q.total,
        "every finding in one group"
    );
    let subtotals: Vec<_> = q
        .groups
        .iter()
        .filter(|g| g.sheet == "资金台账" && g.message.starts_with("小计行"))
        .collect();
    assert_eq!(subtotals.len(), 1);
    assert_eq!(subtotals[0].count, 40);
    assert_eq!(subtotals[0].severity, "提示");
    assert!(
        subtotals[0].places.ends_with("等，涉及 12 个文件"),
        "{}",
        subtotals[0].places
    );
    assert_eq!(subtotals[0].places.split('；').count(), quality::FIRST_PLACES);
    assert!(q.groups.len() < 80, "{} lines for {} findings", q.groups.len(), q.total);
}

// ---------------------------------------------------------------- items 6, 8 (rendered)

/// Outline titles of a PDF (`/Title<FEFF…>` of its outline items), in order.
fn bookmarks(pdf: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Title<FEFF")
        .filter_map(|(i, m)| {
            let hex = &text[i + m.len()..];
            let hex = &hex[..hex.find('>')?];
            let units: Vec<u16> = (0..hex.len() / 4)
                .filter_map(|k| u16::from_str_radix(&hex[4 * k..4 * k + 4], 16).ok())
                .collect();
            Some(String::from_utf16_lossy(&units))
        })
        .collect()
}

#[test]
fn the_report_has_a_table_of_contents_and_bookmarks() {
    let pdf = sample_pdf();
    assert!(common::pdf_has_text(pdf, "目录"));
    let marks = bookmarks(pdf);
    for section in ["一、评估概况", "四、问题与建议", "五、项目评分卡", "附录一　数据质量"]
    {
        assert!(marks.iter().any(|m| m == section), "{section} in {marks:?}");
    }
    // One bookmark per scorecard, in the annex volumes: 31 ranked, 9 vetoed.
    let marks: Vec<String> = sample_pdfs().1.iter().flat_map(|a| bookmarks(a)).collect();
    assert_eq!(marks.iter().filter(|m| m.starts_with("第 ")).count(), 31);
    assert_eq!(marks.iter().filter(|m| m.starts_with("一票否决　")).count(), 9);
    assert!(marks.contains(&format!("第 1 名　{}", name_of("QL-0101-01"))));
    assert!(marks.contains(&format!("一票否决　{}", name_of("QL-0102-01"))));
}

#[test]
fn the_report_states_eligible_statistics_and_has_problems_and_advice() {
    let pdf = sample_pdf();
    for text in [
        "未否决的 31 个项目平均得分 73.46 分",
        "四、问题与建议",
        "发现的问题",
        "限期整改红线问题",
        "一票否决项目不画得分条",
        "报告日期取数据中最晚的整体验收时间",
    ] {
        assert!(common::pdf_has_text(pdf, text), "«{text}» missing");
    }
}

// ---------------------------------------------------------------- item 7

/// The latest 整体验收时间 of the 37 accepted sample projects is 2025-09-19.
#[test]
fn the_report_date_says_where_it_came_from() {
    let input = sample().report_input().unwrap();
    assert_eq!(
        (input.date, input.date_source),
        ([2025, 9, 19], DateSource::LatestAcceptance)
    );
    assert_eq!(sample_view().date_note, "报告日期取数据中最晚的整体验收时间");
    let given = quick(&county("鹤汀县.xlsx"), national(), Some([2026, 1, 15]));
    let input = given.report_input().unwrap();
    assert_eq!((input.date, input.date_source), ([2026, 1, 15], DateSource::Given));
    assert_eq!(view::build(&input).date_note, "报告日期按 --date 指定");
}

/// The candidate townships are not yet projects: no acceptance date at all.
#[test]
fn without_acceptance_dates_a_date_is_required() {
    let path = common::repo().join("fixtures/candidate-townships/候选乡镇.xlsx");
    let sources = vec![Source::from_path(&path).unwrap()];
    let run = quick(&sources, Model::load("sichuan-admission-2025").unwrap(), None);
    assert!(run.date.is_none());
    let err = run.report_input().err().expect("no date");
    assert!(err.to_string().contains("请用 --date YYYY-MM-DD 指定报告日期"), "{err}");
    let out = Command::new(env!("CARGO_BIN_EXE_landeval"))
        .arg("evaluate")
        .arg(&path)
        .args(["--model", "sichuan-admission-2025", "--quiet", "-o"])
        .arg(common::scratch("report-committee-nodate"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("数据中没有整体验收时间") && stderr.contains("--date"),
        "{stderr}"
    );
}

// ---------------------------------------------------------------- item 8

/// The problems come from the data (README 特殊项目 and the ranking table).
#[test]
fn problems_name_the_projects_concerned() {
    let v = sample_view();
    let vetoes = problem(v, "触碰法定红线");
    let unmeasured = vetoes
        .lines
        .iter()
        .find(|l| l.label == "新增耕地未实测（2 个）")
        .unwrap();
    assert_eq!(
        unmeasured.projects,
        format!("{}、{}", name_of("QL-0501-01"), name_of("QL-0401-02"))
    );
    assert_eq!(
        vetoes.lines.len(),
        8,
        "each of the 8 red lines is breached once or twice"
    );

    // QL-0103-03 left 群众满意度 blank (README 缺失值).
    let missing = problem(v, "数据缺失");
    let l = missing
        .lines
        .iter()
        .find(|l| l.label.starts_with("群众满意度"))
        .unwrap();
    assert_eq!(l.label, "群众满意度（缺失计 0，1 个）");
    assert_eq!(l.detail, "缺少群众满意度（过程管理）");
    assert_eq!(l.projects, name_of("QL-0103-03"));

    // Three declared surplus quotas disagree with reclaimed − rebuilt (README 节余指标不一致).
    let quality = problem(v, "数据质量问题");
    let l = quality
        .lines
        .iter()
        .find(|l| l.label == "建设用地整理（警告 3 条）")
        .unwrap();
    for id in ["QL-0102-03", "QL-0301-03", "QL-0501-02"] {
        assert!(l.projects.contains(&name_of(id)), "{id} in {}", l.projects);
    }
    // Missing values are reported once, under 数据缺失, not again as data-quality warnings.
    assert!(
        quality.lines.iter().all(|l| !l.detail.contains("指标“")),
        "{:?}",
        quality.lines.len()
    );

    // 9 differences of −10 or less in the self-assessment table.
    let gap = problem(v, "县级自评偏高");
    assert_eq!(gap.lines[0].label, "自评高出评估得分 10 分以上（9 个）");

    // Every problem has its recommendation.
    assert_eq!(v.problems.problems.len(), v.problems.advice.len());
}

/// 鹤汀县 alone has no vetoed project and no surplus-quota mismatch: those
/// problems are not mentioned at all.
#[test]
fn problems_that_did_not_occur_are_not_mentioned() {
    let sources: Vec<Source> = common::fixture_sources()
        .into_iter()
        .filter(|s| s.name == "鹤汀县.xlsx")
        .collect();
    let run = quick(&sources, national(), None);
    assert!(run.eval.projects.iter().all(|p| !p.vetoed));
    assert!(
        run.log
            .findings
            .iter()
            .all(|f| f.severity == Severity::Info || !f.message.contains("节余指标"))
    );
    let v = view::build(&run.report_input().unwrap());
    let titles: Vec<&str> = v.problems.problems.iter().map(|p| p.title.as_str()).collect();
    assert!(!titles.contains(&"触碰法定红线"), "{titles:?}");
    assert!(!titles.contains(&"数据质量问题"), "{titles:?}");
    assert!(titles.contains(&"共性短板指标"), "{titles:?}");
}
