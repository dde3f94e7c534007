//! The provincial bulletin (通报): results by city, demonstration list,
//! typical cases in sentences, problems found, progress against plan targets.

use crate::report::ReportInput;
use crate::report::engine::map::{MapStyle, Panels};
use crate::report::fields::FieldTable;
use crate::report::parts::{self, MapView};
use crate::report::text::names::{name_words, project_label};
use crate::report::text::{date_cn, fmt_num, fmt2, money, rank_text};
use crate::score::{ProjectScore, Status, VetoStatus};
use serde::Serialize;
use std::collections::BTreeMap;

/// Number of typical cases written up.
pub const CASES: usize = 3;

/// The issuing authority used when neither `--issuer` nor the model's `[bulletin]` names one.
pub const DEFAULT_ISSUER: &str = "省自然资源厅";

/// The 主送机关 used when the model's `[bulletin]` names none.
pub const DEFAULT_RECIPIENTS: &str = "各市（州）自然资源主管部门";

/// What the command line sets of the bulletin's 版头 and 版记 (GB/T 9704);
/// anything not given comes from the model's `[bulletin]` section.
#[derive(Debug, Clone, Default)]
pub struct BulletinOptions {
    /// `--issuer` 发文机关.
    pub issuer: Option<String>,
    /// `--doc-number` 发文字号, e.g. `青自然资发〔2025〕12号`.
    pub doc_number: Option<String>,
    /// `--cc` 抄送机关 (replaces the model's list when given).
    pub cc: Vec<String>,
    /// `--printer` 印发机关.
    pub printer: Option<String>,
    /// `--print-date` 印发日期 (the document date when not given).
    pub print_date: Option<[i32; 3]>,
}

impl BulletinOptions {
    /// Options naming only the issuing authority.
    pub fn issued_by(issuer: &str) -> Self {
        Self {
            issuer: Some(issuer.to_string()),
            ..Self::default()
        }
    }
}

/// Everything `bulletin.typ.j2` and `bulletin.html.j2` read (also `通报.json`).
#[derive(Serialize)]
pub struct BulletinView {
    /// 发文机关.
    pub issuer: String,
    /// 发文机关标志, e.g. `青岚省自然资源厅文件`.
    pub masthead: String,
    /// 发文字号, e.g. `青自然资发〔2025〕12号`; empty when not given.
    pub doc_number: String,
    /// 主送机关.
    pub recipients: String,
    pub title: String,
    /// The title cut into words a line may not break inside.
    pub title_words: Vec<String>,
    pub year: i32,
    pub date: String,
    pub date_ymd: [i32; 3],
    /// 附注 under the date; empty when none.
    pub note: String,
    /// The opening paragraph.
    pub intro: String,
    /// The model's grades, the fallback last (column order of `CityRow::grades`).
    pub grade_names: Vec<String>,
    pub cities: Vec<CityRow>,
    pub demos: Vec<DemoRow>,
    pub cases: Vec<Case>,
    pub problems: Vec<String>,
    pub progress: Vec<TaskProgress>,
    pub ranking: Vec<RankRow>,
    /// Projects not yet accepted (marked 未验收 wherever listed).
    pub unaccepted: usize,
    /// `name（id 版本 version）`.
    pub model: String,
    /// 版记.
    pub imprint: Imprint,
}

/// 版记: copies to, printing office and printing date.
#[derive(Serialize)]
pub struct Imprint {
    /// 抄送机关; empty when none.
    pub cc: Vec<String>,
    /// 印发机关.
    pub printer: String,
    /// 印发日期, e.g. `2025年9月19日`.
    pub print_date: String,
}

/// A demonstration project.
#[derive(Serialize)]
pub struct DemoRow {
    /// 1, 2, …
    pub order: String,
    pub id: String,
    pub name: String,
    /// City and county.
    pub place: String,
    /// The name with its place in front, the county not repeated.
    pub label: String,
    pub total: String,
    /// Passed the overall acceptance (整体验收).
    pub accepted: bool,
}

/// One line of the ranking annex.
#[derive(Serialize)]
pub struct RankRow {
    pub rank: String,
    pub id: String,
    pub name: String,
    /// The name cut into words a line may not break inside.
    pub name_words: Vec<String>,
    pub city: String,
    pub county: String,
    pub total: String,
    pub grade: String,
    pub vetoed: bool,
    pub selected: bool,
    pub accepted: bool,
}

/// One city's results.
#[derive(Serialize, Clone)]
pub struct CityRow {
    pub city: String,
    pub projects: usize,
    /// Mean total of its eligible (not vetoed) projects.
    pub mean: Option<f64>,
    pub mean_text: String,
    /// Count per grade, in `grade_names` order.
    pub grades: Vec<usize>,
    pub vetoed: usize,
    pub selected: usize,
}

/// A typical case: a project and its headline figures as one sentence.
#[derive(Serialize)]
pub struct Case {
    pub id: String,
    pub name: String,
    pub place: String,
    /// The name with its place in front, the county not repeated.
    pub label: String,
    /// `label` cut into words a line may not break inside (for the heading).
    pub label_words: Vec<String>,
    pub total: String,
    pub accepted: bool,
    pub sentence: String,
    /// The farmland after consolidation (drawn in [`case_map_style`]); the
    /// bulletin shows nothing for a case without one.
    pub map: MapView,
}

/// A typical case's map: the after panel alone, 90 mm wide (centred in the
/// 156 mm type area), at most 90 mm high — about half a page.
pub fn case_map_style() -> MapStyle {
    MapStyle {
        max_panel_height_mm: Some(90.0),
        ..MapStyle::sized(90.0, Panels::After)
    }
}

/// Province-wide completion of one kind of planned task.
#[derive(Serialize, Clone)]
pub struct TaskProgress {
    pub task: String,
    pub unit: String,
    /// Projects whose plan set this task.
    pub projects: usize,
    pub planned: f64,
    pub actual: f64,
    pub rate: f64,
    pub planned_text: String,
    pub actual_text: String,
    pub rate_text: String,
}

/// (task, unit, actual field, planned field).
const TASKS: &[(&str, &str, &str, &str)] = &[
    ("新增耕地", "亩", "new_farmland", "new_farmland_planned"),
    ("高标准农田建设", "亩", "hsf_built", "hsf_planned"),
    ("拆旧复垦", "亩", "reclaimed_area", "reclaimed_area_planned"),
    ("生态保护修复", "亩", "restored_area", "restored_area_planned"),
    (
        "增减挂钩节余指标",
        "亩",
        "surplus_quota_computed",
        "surplus_quota_planned",
    ),
    ("整合资金", "万元", "fund_in_place_total", "funds_integrated_planned"),
];

/// The headline figures of a project as clauses, from the fields it has.
pub fn headline_clauses(table: &FieldTable, id: &str) -> Vec<String> {
    let n = |f: &str| table.num(id, f);
    let mut out = Vec::new();
    if let (Some(b), Some(a)) = (n("farmland_patches_before"), n("farmland_patches_after"))
        && b > 0.0
        && a < b
    {
        out.push(format!("耕地图斑数减少{}%", fmt_num((b - a) / b * 100.0, 1)));
    }
    if let (Some(b), Some(a)) = (n("fields_100mu_before"), n("fields_100mu_after"))
        && a > b
    {
        out.push(format!("新增集中连片田块{}个", fmt_num(a - b, 0)));
    }
    if let Some(x) = n("new_farmland").filter(|x| *x > 0.0) {
        out.push(format!("新增耕地{}亩", fmt_num(x, 1)));
    }
    if let Some(x) = n("reclaimed_area").filter(|x| *x > 0.0) {
        let mut s = format!("拆旧复垦{}亩", fmt_num(x, 1));
        if let Some(q) = n("surplus_quota_computed").filter(|q| *q > 0.0) {
            s.push_str(&format!("、形成节余指标{}亩", fmt_num(q, 1)));
        }
        out.push(s);
    }
    if let (Some(b), Some(a)) = (n("gep_before"), n("gep_after"))
        && b > 0.0
        && a > b
    {
        out.push(format!(
            "GEP由{}亿元增至{}亿元、增长{}%",
            fmt_num(b, 2),
            fmt_num(a, 2),
            fmt_num((a - b) / b * 100.0, 1)
        ));
    } else if let Some(x) = n("restored_area").filter(|x| *x > 0.0) {
        out.push(format!("完成生态保护修复{}亩", fmt_num(x, 1)));
    }
    if let (Some(c), Some(t)) = (n("fund_channels"), n("fund_in_place_total"))
        && t > 0.0
    {
        out.push(format!("整合{}个渠道资金{}", fmt_num(c, 0), money(t)));
    }
    if let Some(x) = n("fund_social").filter(|x| *x > 0.0) {
        out.push(format!("吸引社会资本{}", money(x)));
    }
    out
}

fn city_rows(input: &ReportInput) -> Vec<CityRow> {
    let mut by: BTreeMap<&str, Vec<&ProjectScore>> = BTreeMap::new();
    for p in &input.eval.projects {
        by.entry(&p.city).or_default().push(p);
    }
    by.into_iter()
        .map(|(city, ps)| {
            let eligible: Vec<f64> = ps.iter().filter(|p| !p.vetoed).map(|p| p.total).collect();
            let mean = (!eligible.is_empty()).then(|| eligible.iter().sum::<f64>() / eligible.len() as f64);
            CityRow {
                city: city.to_string(),
                projects: ps.len(),
                mean,
                mean_text: mean.map_or_else(|| "—".into(), fmt2),
                grades: input
                    .model
                    .all_grades()
                    .map(|g| ps.iter().filter(|p| p.grade == g).count())
                    .collect(),
                vetoed: ps.iter().filter(|p| p.vetoed).count(),
                selected: ps.iter().filter(|p| p.selected).count(),
            }
        })
        .collect()
}

fn problems(input: &ReportInput) -> Vec<String> {
    let model = input.model;
    let mut out = Vec::new();
    for p in input.eval.projects.iter().filter(|p| p.vetoed) {
        let rules: Vec<String> = p
            .vetoes
            .iter()
            .zip(&model.vetoes)
            .filter(|(v, _)| v.status == VetoStatus::Breached)
            .map(|(_, r)| format!("“{}”", r.name))
            .collect();
        out.push(format!(
            "{}触碰{}红线，实行一票否决，评定为不合格。",
            listed(p),
            rules.join("、")
        ));
    }
    for a in model.adjustments.iter().filter(|a| a.points < 0.0) {
        let hits: Vec<f64> = input
            .eval
            .projects
            .iter()
            .flat_map(|p| p.adjustments.iter().filter(|h| h.id == a.id).map(|h| h.points))
            .collect();
        if !hits.is_empty() {
            out.push(format!(
                "有{}个项目存在“{}”问题，合计扣{}分。",
                hits.len(),
                a.name,
                fmt_num(-hits.iter().sum::<f64>(), 2)
            ));
        }
    }
    let missing = input
        .eval
        .projects
        .iter()
        .filter(|p| {
            p.indicators.iter().any(|s| {
                matches!(
                    s.status,
                    Status::MissingZero | Status::MissingExcluded | Status::MissingError
                )
            })
        })
        .count();
    if missing > 0 {
        out.push(format!("有{missing}个项目报送数据不完整，部分指标按缺失处理。"));
    }
    let unknown = input
        .eval
        .projects
        .iter()
        .filter(|p| p.vetoes.iter().any(|v| v.status == VetoStatus::Unknown))
        .count();
    if unknown > 0 {
        out.push(format!(
            "有{unknown}个项目缺少红线核查所需数据，无法确认是否触碰红线，须补充核实。"
        ));
    }
    out
}

fn progress(input: &ReportInput) -> Vec<TaskProgress> {
    let table = FieldTable::new(input.fields);
    TASKS
        .iter()
        .filter_map(|(task, unit, actual, planned)| {
            let (mut n, mut sp, mut sa) = (0usize, 0.0, 0.0);
            for p in &input.eval.projects {
                if let Some(pl) = table.num(&p.id, planned).filter(|x| *x > 0.0) {
                    n += 1;
                    sp += pl;
                    sa += table.num(&p.id, actual).unwrap_or(0.0);
                }
            }
            (n > 0).then(|| TaskProgress {
                task: task.to_string(),
                unit: unit.to_string(),
                projects: n,
                planned: sp,
                actual: sa,
                rate: sa / sp,
                planned_text: fmt_num(sp, 1),
                actual_text: fmt_num(sa, 1),
                rate_text: format!("{}%", fmt_num(sa / sp * 100.0, 1)),
            })
        })
        .collect()
}

/// The project's name with its place in front, the county not repeated.
fn label(p: &ProjectScore) -> String {
    project_label(&p.city, &p.county, &p.name)
}

/// The label as running text lists a project: `（未验收）` after it when
/// the project has not passed its overall acceptance.
fn listed(p: &ProjectScore) -> String {
    if p.accepted {
        label(p)
    } else {
        format!("{}（未验收）", label(p))
    }
}

/// A 发文字号 as GB/T 9704 writes it: the year in 六角括号 `〔〕` (typed
/// `[2025]`, `【2025】`, `(2025)` or `（2025）`), no `第` before the
/// sequence number and no leading zeros (`〔2025〕012号` → `〔2025〕12号`).
pub fn doc_number(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let opens = ['[', '【', '(', '（', '〔', '［'];
    let closes = [']', '】', ')', '）', '〕', '］'];
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let year = chars.get(i + 1..i + 5).filter(|y| y.iter().all(char::is_ascii_digit));
        match (year, chars.get(i + 5)) {
            (Some(y), Some(c)) if opens.contains(&chars[i]) && closes.contains(c) => {
                out.push('〔');
                out.extend(y);
                out.push('〕');
                i += 6;
                if chars.get(i) == Some(&'第') {
                    i += 1;
                }
                while chars.get(i) == Some(&'0') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                    i += 1;
                }
            }
            _ => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

/// 附注 in parentheses, as GB/T 9704 sets it (`此件公开发布` → `（此件公开发布）`).
fn note(text: &str) -> String {
    let t = text.trim();
    if t.is_empty() || (t.starts_with('（') && t.ends_with('）')) {
        t.to_string()
    } else {
        format!("（{t}）")
    }
}

/// The title, cut where a line may break: `关于 | 2025年度 | 全域土地综合整治项目 | 综合成效评估结果的通报`.
fn title_words(year: i32) -> Vec<String> {
    [
        "关于".to_string(),
        format!("{year}年度"),
        "全域土地综合整治项目".into(),
        "综合成效评估结果的通报".into(),
    ]
    .into()
}

/// The 版头 and 版记 from the options, then the model's `[bulletin]`, then the defaults.
fn letterhead(input: &ReportInput, opts: &BulletinOptions) -> (String, String, String, Imprint) {
    let meta = &input.model.bulletin;
    let issuer = opts
        .issuer
        .clone()
        .or_else(|| meta.issuer.clone())
        .unwrap_or_else(|| DEFAULT_ISSUER.to_string());
    let masthead = match (&opts.issuer, &meta.masthead) {
        (None, Some(m)) => m.clone(),
        _ => format!("{issuer}文件"),
    };
    let recipients = meta
        .recipients
        .clone()
        .unwrap_or_else(|| DEFAULT_RECIPIENTS.to_string());
    let imprint = Imprint {
        cc: if opts.cc.is_empty() {
            meta.cc.clone()
        } else {
            opts.cc.clone()
        },
        printer: opts
            .printer
            .clone()
            .or_else(|| meta.printer.clone())
            .unwrap_or_else(|| format!("{issuer}办公室")),
        print_date: date_cn(opts.print_date.unwrap_or(input.date)),
    };
    (issuer, masthead, recipients, imprint)
}

/// The opening paragraph.
fn intro(input: &ReportInput, cities: usize, selected: usize, unaccepted: usize) -> String {
    let model = input.model;
    let ps = &input.eval.projects;
    let y = input.date[0];
    let counties = ps
        .iter()
        .map(|p| &p.county)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let eligible: Vec<f64> = ps.iter().filter(|p| !p.vetoed).map(|p| p.total).collect();
    let mean = if eligible.is_empty() {
        "—".into()
    } else {
        fmt2(eligible.iter().sum::<f64>() / eligible.len() as f64)
    };
    let grade_text: Vec<String> = model
        .all_grades()
        .map(|g| {
            format!(
                "{}{}个",
                model.grade_name(g),
                ps.iter().filter(|p| p.grade == g).count()
            )
        })
        .collect();
    let vetoed = ps.iter().filter(|p| p.vetoed).count();
    let pending = if unaccepted > 0 {
        format!("其中{unaccepted}个项目尚未通过整体验收，文中和附件中标注“未验收”。")
    } else {
        String::new()
    };
    format!(
        "{y}年度共有{}个全域土地综合整治项目参加综合成效评估，涉及{}个市（州）、{}个县（市、区），{pending}经评估，{}（其中一票否决{}个），未否决项目平均得分{}分。{}",
        ps.len(),
        cities,
        counties,
        grade_text.join("、"),
        vetoed,
        mean,
        if selected == 0 {
            "本年度没有项目达到示范样板项目认定条件。".to_string()
        } else {
            format!("经综合评定，认定{selected}个项目为示范样板项目。")
        }
    )
}

fn cases(input: &ReportInput, selected: &[&ProjectScore]) -> Vec<Case> {
    let table = FieldTable::new(input.fields);
    let case_projects: Vec<&ProjectScore> = if selected.is_empty() {
        input.eval.projects.iter().filter(|p| !p.vetoed).take(CASES).collect()
    } else {
        selected.iter().take(CASES).copied().collect()
    };
    case_projects
        .into_iter()
        .map(|p| {
            let clauses = headline_clauses(&table, &p.id);
            Case {
                id: p.id.clone(),
                name: p.name.clone(),
                place: format!("{}{}", p.city, p.county),
                label: label(p),
                label_words: name_words(&label(p)),
                total: fmt2(p.total),
                accepted: p.accepted,
                sentence: if clauses.is_empty() {
                    String::new()
                } else {
                    format!("通过整治，{}。", clauses.join("，"))
                },
                map: parts::map_view(input, &p.id, Panels::After),
            }
        })
        .collect()
}

fn rank_row(model: &crate::model::Model, p: &ProjectScore) -> RankRow {
    RankRow {
        rank: rank_text(p),
        id: p.id.clone(),
        name: p.name.clone(),
        name_words: name_words(&p.name),
        city: p.city.clone(),
        county: p.county.clone(),
        total: fmt2(p.total),
        grade: model.grade_name(p.grade).to_string(),
        vetoed: p.vetoed,
        selected: p.selected,
        accepted: p.accepted,
    }
}

/// Build the bulletin's view.
pub fn build(input: &ReportInput, opts: &BulletinOptions) -> BulletinView {
    let model = input.model;
    let ps = &input.eval.projects;
    let y = input.date[0];
    let cities = city_rows(input);
    let selected: Vec<&ProjectScore> = ps.iter().filter(|p| p.selected).collect();
    let unaccepted = ps.iter().filter(|p| !p.accepted).count();
    let (issuer, masthead, recipients, imprint) = letterhead(input, opts);
    let title_words = title_words(y);
    BulletinView {
        issuer,
        masthead,
        doc_number: opts.doc_number.as_deref().map(doc_number).unwrap_or_default(),
        recipients,
        title: title_words.concat(),
        title_words,
        year: y,
        date: date_cn(input.date),
        date_ymd: input.date,
        note: model.bulletin.note.as_deref().map(note).unwrap_or_default(),
        intro: intro(input, cities.len(), selected.len(), unaccepted),
        grade_names: model.all_grades().map(|g| model.grade_name(g).to_string()).collect(),
        cities,
        demos: selected
            .iter()
            .enumerate()
            .map(|(i, p)| DemoRow {
                order: (i + 1).to_string(),
                id: p.id.clone(),
                name: p.name.clone(),
                place: format!("{}{}", p.city, p.county),
                label: label(p),
                total: fmt2(p.total),
                accepted: p.accepted,
            })
            .collect(),
        cases: cases(input, &selected),
        problems: problems(input),
        progress: progress(input),
        ranking: ps.iter().map(|p| rank_row(model, p)).collect(),
        unaccepted,
        model: format!(
            "{}（{} 版本 {}）",
            model.model.name, model.model.id, model.model.version
        ),
        imprint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::engine::{self, fonts::FontSet, html};

    fn s(x: &str) -> String {
        x.to_string()
    }

    /// A view with every field filled and every optional block present.
    fn full() -> BulletinView {
        BulletinView {
            issuer: s("样例省自然资源厅"),
            masthead: s("样例省自然资源厅文件"),
            doc_number: s("样自然资发〔2025〕12号"),
            recipients: s("各市（州）自然资源主管部门"),
            title: s("关于2025年度评估结果的通报"),
            title_words: vec![s("关于"), s("2025年度"), s("评估结果的通报")],
            year: 2025,
            date: s("2025年6月30日"),
            date_ymd: [2025, 6, 30],
            note: s("（此件公开发布）"),
            intro: s("2025年度共有2个项目参加评估。"),
            grade_names: vec![s("优秀"), s("不合格")],
            cities: vec![CityRow {
                city: s("样例市"),
                projects: 2,
                mean: Some(88.5),
                mean_text: s("88.50"),
                grades: vec![1, 1],
                vetoed: 1,
                selected: 1,
            }],
            demos: vec![DemoRow {
                order: s("1"),
                id: s("YL-01"),
                name: s("样例县样例项目"),
                place: s("样例市样例县"),
                label: s("样例市样例县样例项目"),
                total: s("88.50"),
                accepted: false,
            }],
            cases: vec![Case {
                id: s("YL-01"),
                name: s("样例县样例项目"),
                place: s("样例市样例县"),
                label: s("样例市样例县样例项目"),
                label_words: vec![s("样例市"), s("样例县"), s("样例项目")],
                total: s("88.50"),
                accepted: false,
                sentence: s("通过整治，新增耕地100亩。"),
                map: MapView {
                    title: s(crate::report::text::vocab::MAP_AFTER_TITLE),
                    file: s("/maps/YL-01-after.svg"),
                    note: s(crate::report::text::vocab::MAP_NOTE),
                    missing: s(""),
                    no_room: s(crate::report::text::vocab::MAP_NO_ROOM),
                },
            }],
            problems: vec![s("1个项目触碰红线。")],
            progress: vec![TaskProgress {
                task: s("新增耕地"),
                unit: s("亩"),
                projects: 1,
                planned: 100.0,
                actual: 90.0,
                rate: 0.9,
                planned_text: s("100"),
                actual_text: s("90"),
                rate_text: s("90%"),
            }],
            ranking: vec![RankRow {
                rank: s("1"),
                id: s("YL-01"),
                name: s("样例县样例项目"),
                name_words: vec![s("样例县"), s("样例项目")],
                city: s("样例市"),
                county: s("样例县"),
                total: s("88.50"),
                grade: s("优秀"),
                vetoed: false,
                selected: true,
                accepted: false,
            }],
            unaccepted: 1,
            model: s("样例模型（sample 版本 1）"),
            imprint: Imprint {
                cc: vec![s("自然资源部国土整治中心"), s("省财政厅")],
                printer: s("样例省自然资源厅办公室"),
                print_date: s("2025年6月30日"),
            },
        }
    }

    #[test]
    fn the_bundled_templates_read_only_fields_the_view_has() {
        let markup = engine::render_typst(super::super::TEMPLATE, &full(), None).expect("renders");
        assert!(markup.contains("/maps/YL-01-after.svg"));
        let files = engine::placeholder_charts(&["/maps/YL-01-after.svg"]);
        let pdf = engine::compile_pdf(markup, files, &FontSet::load(None).unwrap(), [2025, 6, 30]).expect("compiles");
        assert!(pdf.pages >= 2);
        let view = full();
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="1mm" height="1mm"><rect id="case-map"/></svg>"#;
        let maps = [("/maps/YL-01-after.svg".to_string(), svg.to_string())].into();
        let page = html::render(
            super::super::HTML_TEMPLATE,
            &super::super::HtmlPage { view: &view, maps },
            None,
        )
        .expect("renders");
        assert!(page.contains("样例省自然资源厅"));
        assert!(
            page.contains(r#"<rect id="case-map"/>"#),
            "the map is inlined unescaped"
        );
    }

    /// GB/T 9704: 3号 body text, 22 lines to a page, 28 characters to a line.
    /// An opening paragraph of 60 × 28 ideographs fills page 2 completely:
    /// 22 lines of 28 characters, baselines 225 mm / 22 = 28.99 pt apart.
    #[test]
    fn body_pages_hold_22_lines_of_28_characters() {
        let mut view = full();
        view.intro = "整".repeat(28 * 60);
        let markup = engine::render_typst(super::super::TEMPLATE, &view, None).expect("renders");
        let pages =
            engine::text_lines(markup, case_map(37.0), &FontSet::load(None).unwrap(), [2025, 6, 30]).expect("compiles");
        let body: Vec<&engine::TextLine> = pages[1].iter().filter(|l| l.size == 16.0).collect();
        assert_eq!(body.len(), 22, "{body:#?}");
        for l in &body {
            assert_eq!(l.text.chars().count(), 28, "{l:?}");
        }
        let pitch = 225.0 / 25.4 * 72.0 / 22.0;
        for w in body.windows(2) {
            assert!((w[1].baseline - w[0].baseline - pitch).abs() < 0.01, "{w:?}");
        }
    }

    /// The full view's case map as an empty SVG `height_mm` high.
    fn case_map(height_mm: f64) -> Vec<engine::VirtualFile> {
        let svg = format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="120mm" height="{height_mm}mm"/>"#);
        vec![engine::VirtualFile::new("/maps/YL-01-after.svg", svg)]
    }

    /// A typical case's map takes a whole number of lines: the body text
    /// after it stays on the 22-line grid of the page it is on.
    #[test]
    fn the_case_map_keeps_the_text_on_the_grid() {
        let mut view = full();
        view.cases[0].sentence = "整".repeat(28 * 3);
        view.problems = vec!["题".repeat(28 * 4)];
        let markup = engine::render_typst(super::super::TEMPLATE, &view, None).expect("renders");
        let fonts = FontSet::load(None).unwrap();
        let pitch = 225.0 / 25.4 * 72.0 / 22.0;
        for h in [37.0, 51.3] {
            let pages = engine::text_lines(markup.clone(), case_map(h), &fonts, [2025, 6, 30]).expect("compiles");
            let page = pages
                .iter()
                .find(|p| p.iter().any(|l| l.text.contains("整治后耕地分布")))
                .expect("the map's caption is laid out");
            let body: Vec<&engine::TextLine> = page.iter().filter(|l| l.size == 16.0).collect();
            let after = body
                .iter()
                .position(|l| l.text.contains("整治后耕地分布"))
                .expect("caption line");
            assert!(after + 1 < body.len(), "text follows the map on its page");
            for l in &body {
                let lines = (l.baseline - body[0].baseline) / pitch;
                assert!((lines - lines.round()).abs() < 0.01, "{h} mm: {l:?} is off the grid");
            }
        }
    }

    /// The 2号 title breaks between its words only: “关于2025年度全域土地综合整治项目”
    /// (16 characters) fits the 156 mm line, “综合成效评估结果的通报” goes to the second.
    #[test]
    fn the_title_breaks_between_words() {
        let mut view = full();
        view.title_words = title_words(2025);
        view.title = view.title_words.concat();
        let markup = engine::render_typst(super::super::TEMPLATE, &view, None).expect("renders");
        let pages =
            engine::text_lines(markup, case_map(37.0), &FontSet::load(None).unwrap(), [2025, 6, 30]).expect("compiles");
        let title: Vec<&str> = pages[0]
            .iter()
            .filter(|l| l.size == 22.0)
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(title, ["关于2025年度全域土地综合整治项目", "综合成效评估结果的通报"]);
    }

    #[test]
    fn doc_numbers_take_the_standard_form() {
        assert_eq!(doc_number("青自然资发[2025]第012号"), "青自然资发〔2025〕12号");
        assert_eq!(doc_number("青自然资发（2025）3号"), "青自然资发〔2025〕3号");
        assert_eq!(doc_number("青自然资发〔2025〕10号"), "青自然资发〔2025〕10号");
        assert_eq!(doc_number(" 青政办[2025] "), "青政办〔2025〕");
    }
}
