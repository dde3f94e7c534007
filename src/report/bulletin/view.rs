//! The provincial bulletin (通报): results by city, demonstration list,
//! typical cases in sentences, problems found, progress against plan targets.

use crate::report::ReportInput;
use crate::report::fields::FieldTable;
use crate::report::text::{date_cn, fmt_num, fmt2, money, rank_text};
use crate::score::{ProjectScore, Status, VetoStatus};
use serde::Serialize;
use std::collections::BTreeMap;

/// Number of typical cases written up.
pub const CASES: usize = 3;

/// Everything `bulletin.typ.j2` and `bulletin.html.j2` read (also `通报.json`).
#[derive(Serialize)]
pub struct BulletinView {
    /// 发文机关.
    pub issuer: String,
    pub title: String,
    pub year: i32,
    pub date: String,
    pub date_ymd: [i32; 3],
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
    /// `name（id 版本 version）`.
    pub model: String,
}

/// A demonstration project.
#[derive(Serialize)]
pub struct DemoRow {
    /// 1, 2, …
    pub order: String,
    pub name: String,
    /// City and county.
    pub place: String,
    pub total: String,
}

/// One line of the ranking annex.
#[derive(Serialize)]
pub struct RankRow {
    pub rank: String,
    pub name: String,
    pub city: String,
    pub county: String,
    pub total: String,
    pub grade: String,
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
    pub name: String,
    pub place: String,
    pub total: String,
    pub sentence: String,
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
            "{}{}{}触碰{}红线，实行一票否决，评定为不合格。",
            p.city,
            p.county,
            p.name,
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
                "{}个项目存在“{}”问题，合计扣{}分。",
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
        out.push(format!("{missing}个项目报送数据不完整，部分指标按缺失处理。"));
    }
    let unknown = input
        .eval
        .projects
        .iter()
        .filter(|p| p.vetoes.iter().any(|v| v.status == VetoStatus::Unknown))
        .count();
    if unknown > 0 {
        out.push(format!(
            "{unknown}个项目缺少红线核查所需数据，无法确认是否触碰红线，须补充核实。"
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

/// Build the bulletin's view; `issuer` is the issuing authority (发文机关).
pub fn build(input: &ReportInput, issuer: &str) -> BulletinView {
    let model = input.model;
    let ps = &input.eval.projects;
    let y = input.date[0];
    let grade_names: Vec<String> = model.all_grades().map(|g| model.grade_name(g).to_string()).collect();
    let cities = city_rows(input);
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
    let selected: Vec<&ProjectScore> = ps.iter().filter(|p| p.selected).collect();
    let intro = format!(
        "{y}年度共有{}个全域土地综合整治项目参加综合成效评估，涉及{}个市（州）、{}个县（市、区）。经评估，{}（其中一票否决{}个），未否决项目平均得分{}分。{}",
        ps.len(),
        cities.len(),
        counties,
        grade_text.join("、"),
        vetoed,
        mean,
        if selected.is_empty() {
            "本年度没有项目达到示范样板项目认定条件。".to_string()
        } else {
            format!("经综合评定，认定{}个项目为示范样板项目。", selected.len())
        }
    );
    let table = FieldTable::new(input.fields);
    let case_projects: Vec<&ProjectScore> = if selected.is_empty() {
        ps.iter().filter(|p| !p.vetoed).take(CASES).collect()
    } else {
        selected.iter().take(CASES).copied().collect()
    };
    let cases = case_projects
        .into_iter()
        .map(|p| {
            let clauses = headline_clauses(&table, &p.id);
            Case {
                name: p.name.clone(),
                place: format!("{}{}", p.city, p.county),
                total: fmt2(p.total),
                sentence: if clauses.is_empty() {
                    String::new()
                } else {
                    format!("通过整治，{}。", clauses.join("，"))
                },
            }
        })
        .collect();
    BulletinView {
        issuer: issuer.to_string(),
        title: format!("关于{y}年度全域土地综合整治项目综合成效评估结果的通报"),
        year: y,
        date: date_cn(input.date),
        date_ymd: input.date,
        intro,
        grade_names,
        cities,
        demos: selected
            .iter()
            .enumerate()
            .map(|(i, p)| DemoRow {
                order: (i + 1).to_string(),
                name: p.name.clone(),
                place: format!("{}{}", p.city, p.county),
                total: fmt2(p.total),
            })
            .collect(),
        cases,
        problems: problems(input),
        progress: progress(input),
        ranking: ps
            .iter()
            .map(|p| RankRow {
                rank: rank_text(p),
                name: p.name.clone(),
                city: p.city.clone(),
                county: p.county.clone(),
                total: fmt2(p.total),
                grade: model.grade_name(p.grade).to_string(),
            })
            .collect(),
        model: format!(
            "{}（{} 版本 {}）",
            model.model.name, model.model.id, model.model.version
        ),
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
            title: s("关于2025年度评估结果的通报"),
            year: 2025,
            date: s("2025年6月30日"),
            date_ymd: [2025, 6, 30],
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
                name: s("样例项目"),
                place: s("样例市样例县"),
                total: s("88.50"),
            }],
            cases: vec![Case {
                name: s("样例项目"),
                place: s("样例市样例县"),
                total: s("88.50"),
                sentence: s("通过整治，新增耕地100亩。"),
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
                name: s("样例项目"),
                city: s("样例市"),
                county: s("样例县"),
                total: s("88.50"),
                grade: s("优秀"),
            }],
            model: s("样例模型（sample 版本 1）"),
        }
    }

    #[test]
    fn the_bundled_templates_read_only_fields_the_view_has() {
        let markup = engine::render_typst(super::super::TEMPLATE, &full(), None).expect("renders");
        let pdf =
            engine::compile_pdf(markup, Vec::new(), &FontSet::load(None).unwrap(), [2025, 6, 30]).expect("compiles");
        assert!(pdf.pages >= 2);
        let page = html::render(super::super::HTML_TEMPLATE, &full(), None).expect("renders");
        assert!(page.contains("样例省自然资源厅"));
    }
}
