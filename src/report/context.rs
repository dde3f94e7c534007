//! The report's view: every number formatted, every label in Chinese.
//! Built from the evaluation; computes no score.

use super::ReportInput;
use crate::fields::FieldDict;
use crate::ingest::{Origins, Severity};
use crate::model::{Aggregation, Indicator, Model, Scale};
use crate::score::{NotSelected, ProjectScore, Status, VetoStatus};
use serde::Serialize;
use std::collections::BTreeMap;

/// Two decimals, as scores are shown everywhere.
pub fn fmt2(x: f64) -> String {
    unsigned_zero(format!("{x:.2}"))
}

/// "-0.00" (a negative zero, or a tiny negative rounded away) printed as "0.00".
fn unsigned_zero(s: String) -> String {
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => s,
    }
}

/// A number with up to `digits` decimals, trailing zeros trimmed.
pub fn fmt_num(x: f64, digits: usize) -> String {
    let s = unsigned_zero(format!("{x:.digits$}"));
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A scaled value (score rate) as a percentage, `—` when there is none.
pub fn scaled_text(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |x| format!("{}%", fmt_num(x * 100.0, 1)))
}

/// A raw indicator value in its display unit.
pub fn fmt_value(ind: &Indicator, v: Option<f64>) -> String {
    match (v, &ind.scale, ind.unit.as_deref()) {
        (None, _, _) => "—".into(),
        (Some(x), Scale::Bool { .. }, _) => if x != 0.0 { "是" } else { "否" }.into(),
        (Some(x), _, Some("%")) => format!("{}%", fmt_num(x * 100.0, 1)),
        (Some(x), _, Some(u)) => format!("{} {u}", fmt_num(x, 2)),
        (Some(x), _, None) => fmt_num(x, 2),
    }
}

pub fn status_label(s: Status) -> &'static str {
    match s {
        Status::Scored => "",
        Status::NotApplicable => "不适用",
        Status::MissingZero => "缺失计 0",
        Status::MissingExcluded => "缺失不计",
        Status::MissingError => "缺失（错误）",
    }
}

pub fn not_selected_label(r: NotSelected) -> &'static str {
    match r {
        NotSelected::Vetoed => "一票否决",
        NotSelected::NotAccepted => "未通过整体验收",
        NotSelected::BelowMinimum => "低于入选最低分",
        NotSelected::CityFull => "所在市（州）名额已满",
        NotSelected::CountReached => "示范名额已满",
        NotSelected::GradeTooLow => "未达到要求的评估等级",
    }
}

#[derive(Serialize)]
pub struct Ctx {
    pub title: String,
    pub date: String,
    pub date_ymd: [i32; 3],
    pub model: ModelView,
    pub summary: Summary,
    pub ranking: Vec<RankRow>,
    pub cards: Vec<Card>,
    pub quality: Quality,
    pub stamp: Stamp,
    /// Projects whose county gave a self-assessed total: name, self, evaluated, difference.
    pub self_vs: Vec<[String; 4]>,
    /// Robustness of the demonstration candidates; empty until the score
    /// stage provides rank intervals (the template shows the block only when filled).
    pub robustness: Vec<RobustRow>,
    /// Paths of the stacked score charts (one per block of projects).
    pub score_charts: Vec<String>,
    /// Monte Carlo settings and set stability, cut-off swaps and rank reversals, as sentences.
    pub robustness_notes: Vec<String>,
}

/// One demonstration candidate's robustness.
#[derive(Serialize, Default)]
pub struct RobustRow {
    pub rank: String,
    pub name: String,
    /// 稳定入选 / 边缘 / 稳定落选.
    pub verdict: String,
    pub selected: bool,
    pub median_rank: String,
    /// 5–95% rank interval, e.g. `2–5`.
    pub interval: String,
    /// Probability of being selected, e.g. `87.5%`.
    pub probability: String,
}

#[derive(Serialize)]
pub struct ModelView {
    pub id: String,
    pub name: String,
    pub version: String,
    pub basis: Vec<String>,
    pub description: String,
    pub dimensions: Vec<DimView>,
    pub indicators: Vec<IndView>,
    pub vetoes: Vec<[String; 2]>,
    pub adjustments: Vec<[String; 3]>,
    pub grades: Vec<[String; 2]>,
    pub caps: String,
    pub selection: String,
    /// The aggregation's name when it is not the weighted sum, else empty.
    pub aggregation: String,
}

#[derive(Serialize)]
pub struct DimView {
    pub name: String,
    pub points: String,
}

#[derive(Serialize)]
pub struct IndView {
    pub dimension: String,
    pub group: String,
    pub name: String,
    pub points: String,
    pub method: String,
    pub basis: String,
}

#[derive(Serialize)]
pub struct Summary {
    pub projects: usize,
    pub cities: usize,
    pub counties: usize,
    pub vetoed: usize,
    pub selected: usize,
    pub mean: String,
    pub max: String,
    pub min: String,
    pub grades: Vec<[String; 2]>,
    pub selected_list: Vec<[String; 4]>,
    pub vetoed_list: Vec<[String; 3]>,
    /// Reward estimate per project (rank, name, county, 万元) when the model has reward tiers.
    pub rewards: Vec<[String; 4]>,
    pub reward_total: String,
}

#[derive(Serialize)]
pub struct RankRow {
    pub rank: String,
    pub id: String,
    pub name: String,
    pub city: String,
    pub county: String,
    pub dims: Vec<String>,
    pub adjust: String,
    pub total: String,
    pub grade: String,
    pub mark: String,
    pub vetoed: bool,
    pub selected: bool,
}

#[derive(Serialize)]
pub struct Card {
    pub id: String,
    pub name: String,
    pub city: String,
    pub county: String,
    pub rank: String,
    pub total: String,
    pub grade: String,
    pub selection: String,
    pub self_score: String,
    pub dims: Vec<[String; 3]>,
    /// Score rate per dimension (earned ÷ full points), for the radar.
    pub rates: Vec<String>,
    pub rows: Vec<CardRow>,
    pub adjustments: Vec<[String; 2]>,
    pub adjust_total: String,
    pub vetoes: Vec<[String; 2]>,
    pub vetoed: bool,
    /// Input files holding the project's rows.
    pub files: String,
    /// How the project's GEP was obtained (accounted or estimated), empty when neither.
    pub gep_source: String,
    /// Ecosystem value lost by turning ponds, wetland or forest into farmland, empty when none.
    pub esv_note: String,
    /// Why the indicator points do not add up to the total (geometric or TOPSIS aggregation), else empty.
    pub aggregation_note: String,
}

#[derive(Serialize)]
pub struct CardRow {
    pub dimension: String,
    pub name: String,
    pub raw: String,
    pub planned: String,
    pub scaled: String,
    pub weight: String,
    pub earned: String,
    pub status: String,
    pub sources: String,
}

#[derive(Serialize)]
pub struct Quality {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub tallies: Vec<[String; 5]>,
    pub findings: Vec<[String; 4]>,
}

#[derive(Serialize)]
pub struct Stamp {
    pub model: String,
    pub tool: String,
    pub inputs: Vec<[String; 3]>,
}

fn dim_name(model: &Model, id: &str) -> String {
    model.dimension_name(id).to_string()
}

/// Points of an indicator as the evaluation weighted it (derived weights
/// under AHP, entropy, CRITIC or combined; the model's points when fixed).
pub fn indicator_points(model: &Model, method: &crate::score::Method, id: &str) -> f64 {
    method
        .weights
        .iter()
        .find(|w| w.id == id)
        .map(|w| w.points)
        .or_else(|| model.indicators.iter().find(|i| i.id == id).map(|i| i.points))
        .unwrap_or(0.0)
}

/// Full points of a dimension as the evaluation weighted it.
pub fn dimension_points(model: &Model, method: &crate::score::Method, dim: &str) -> f64 {
    model
        .indicators
        .iter()
        .filter(|i| i.dimension == dim)
        .map(|i| indicator_points(model, method, &i.id))
        .sum()
}

fn model_view(model: &Model, method: &crate::score::Method) -> ModelView {
    let dimensions = model
        .dimensions
        .iter()
        .map(|d| DimView {
            name: d.name.clone(),
            points: fmt_num(dimension_points(model, method, &d.id), 2),
        })
        .collect();
    let indicators = model
        .indicators
        .iter()
        .map(|i| IndView {
            dimension: dim_name(model, &i.dimension),
            group: i.group.clone().unwrap_or_default(),
            name: i.name.clone(),
            points: fmt_num(indicator_points(model, method, &i.id), 2),
            method: i.scale.describe(),
            basis: i.basis.clone().unwrap_or_default(),
        })
        .collect();
    let adjustments = model
        .adjustments
        .iter()
        .map(|a| {
            let mut pts = format!("{:+}", a.points);
            if a.per.is_some() {
                pts.push_str("/次");
            }
            if let Some(m) = a.max {
                pts.push_str(&format!("，至多 {}", fmt_num(m, 2)));
            }
            [a.name.clone(), pts, a.basis.clone()]
        })
        .collect();
    let selection = model.selection.as_ref().map_or_else(
        || "本模型不评选示范项目".to_string(),
        |s| {
            let mut t = format!(
                "按排名择优不超过 {} 个，总分不低于 {} 分",
                s.count,
                fmt_num(s.min_score, 2)
            );
            if let Some(m) = s.max_per_city {
                t.push_str(&format!("，每个市（州）至多 {m} 个"));
            }
            if s.accepted_only {
                t.push_str("，须已通过整体验收");
            }
            t + "；触碰红线的项目不得入选。"
        },
    );
    ModelView {
        id: model.model.id.clone(),
        name: model.model.name.clone(),
        version: model.model.version.clone(),
        basis: model.model.basis.clone(),
        description: model.model.description.clone(),
        dimensions,
        indicators,
        vetoes: model.vetoes.iter().map(|v| [v.name.clone(), v.basis.clone()]).collect(),
        adjustments,
        grades: model
            .grade_bounds()
            .iter()
            .map(|(g, b)| [g.to_string(), format!("≥ {}", fmt_num(*b, 2))])
            .collect(),
        caps: format!(
            "加分合计不超过 {} 分，扣分合计不超过 {} 分；总分限定在 0–100 分。",
            fmt_num(model.model.bonus_cap, 2),
            fmt_num(model.model.deduction_cap, 2)
        ),
        selection,
        aggregation: match model.model.aggregation {
            Aggregation::Sum => String::new(),
            other => other.label().to_string(),
        },
    }
}

fn summary(model: &Model, projects: &[ProjectScore]) -> Summary {
    let uniq = |f: fn(&ProjectScore) -> &str| projects.iter().map(f).collect::<std::collections::BTreeSet<_>>().len();
    let totals: Vec<f64> = projects.iter().map(|p| p.total).collect();
    let n = totals.len().max(1) as f64;
    let mut grade_names: Vec<String> = model.grade_bounds().iter().map(|(g, _)| g.to_string()).collect();
    grade_names.push(crate::model::FAIL_GRADE.into());
    let grades = grade_names
        .into_iter()
        .map(|g| {
            let c = projects.iter().filter(|p| p.grade == g).count();
            [g, c.to_string()]
        })
        .collect();
    Summary {
        projects: projects.len(),
        cities: uniq(|p| &p.city),
        counties: uniq(|p| &p.county),
        vetoed: projects.iter().filter(|p| p.vetoed).count(),
        selected: projects.iter().filter(|p| p.selected).count(),
        mean: fmt2(totals.iter().sum::<f64>() / n),
        max: fmt2(totals.iter().copied().fold(f64::NAN, f64::max)),
        min: fmt2(totals.iter().copied().fold(f64::NAN, f64::min)),
        grades,
        selected_list: projects
            .iter()
            .filter(|p| p.selected)
            .map(|p| [rank_text(p), p.name.clone(), p.city.clone(), fmt2(p.total)])
            .collect(),
        vetoed_list: projects
            .iter()
            .filter(|p| p.vetoed)
            .map(|p| [p.name.clone(), p.city.clone(), breached_names(model, p).join("、")])
            .collect(),
        rewards: rewards(projects)
            .iter()
            .map(|(p, a)| [rank_text(p), p.name.clone(), p.county.clone(), fmt_num(*a, 2)])
            .collect(),
        reward_total: fmt_num(rewards(projects).iter().map(|x| x.1).sum(), 2),
    }
}

/// Projects awarded reward funds (万元, after the county cap) by the score stage.
pub fn rewards(projects: &[ProjectScore]) -> Vec<(&ProjectScore, f64)> {
    projects
        .iter()
        .filter(|p| p.reward > 0.0)
        .map(|p| (p, p.reward))
        .collect()
}

fn self_vs(projects: &[ProjectScore]) -> Vec<[String; 4]> {
    projects
        .iter()
        .filter_map(|p| {
            p.self_score
                .map(|s| [p.name.clone(), fmt2(s), fmt2(p.total), format!("{:+.2}", p.total - s)])
        })
        .collect()
}

fn breached_names(model: &Model, p: &ProjectScore) -> Vec<String> {
    p.vetoes
        .iter()
        .filter(|v| v.status == VetoStatus::Breached)
        .filter_map(|v| model.vetoes.iter().find(|m| m.id == v.id).map(|m| m.name.clone()))
        .collect()
}

fn rank_text(p: &ProjectScore) -> String {
    p.rank.map_or_else(|| "—".into(), |r| r.to_string())
}

fn adjust_text(p: &ProjectScore) -> String {
    let a = p.bonus - p.deduction;
    if a == 0.0 { "0".into() } else { format!("{a:+.2}") }
}

fn ranking(projects: &[ProjectScore]) -> Vec<RankRow> {
    projects
        .iter()
        .map(|p| RankRow {
            rank: rank_text(p),
            id: p.id.clone(),
            name: p.name.clone(),
            city: p.city.clone(),
            county: p.county.clone(),
            dims: p.dimensions.iter().map(|d| fmt2(d.earned)).collect(),
            adjust: adjust_text(p),
            total: fmt2(p.total),
            grade: p.grade.clone(),
            mark: if p.selected {
                "★".into()
            } else if p.vetoed {
                "否决".into()
            } else {
                String::new()
            },
            vetoed: p.vetoed,
            selected: p.selected,
        })
        .collect()
}

/// Where the fields an indicator reads came from, shortest form.
fn sources(dict: &FieldDict, origins: &Origins, project: &str, ind: &Indicator) -> String {
    let mut fields = crate::score::expr::parse(&ind.expr)
        .map(|e| crate::score::expr::fields_of(&e))
        .unwrap_or_default();
    if let Scale::Plan { planned, .. } = &ind.scale
        && let Ok(e) = crate::score::expr::parse(planned)
    {
        fields.extend(crate::score::expr::fields_of(&e));
    }
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    let mut stack: Vec<String> = fields.into_iter().collect();
    while let Some(f) = stack.pop() {
        if let Some(d) = dict.derived(&f) {
            stack.extend(d.from.iter().cloned());
        } else if let Some(sheet) = dict.sheet(&f) {
            let rows = origins.rows.get(&(f.clone(), project.to_string()));
            let n = rows.map_or(0, |r| r.len());
            let file = rows.and_then(|r| r.first_file()).map(str::to_string);
            push(match file {
                Some(file) => format!("{file} {} {n} 行", sheet.name),
                None => format!("{}（无数据）", sheet.name),
            });
        } else if let Some(o) = origins.cell(project, &f) {
            push(format!("{}!{}", o.sheet, o.cell));
        }
    }
    out.sort();
    out.join("；")
}

/// The card's line on where the GEP figures come from (DESIGN §4).
fn gep_source(table: &super::values::FieldTable, id: &str) -> String {
    let method = match table.get(id, "gep_method") {
        Some(super::values::Shown::Text(t)) => t,
        _ => return String::new(),
    };
    let figures = match (table.num(id, "gep_used_before"), table.num(id, "gep_used_after")) {
        (Some(b), Some(a)) => format!("（{} → {} 亿元）", fmt_num(b, 2), fmt_num(a, 2)),
        _ => String::new(),
    };
    if method == "核算" {
        format!("县级填报的核算值{figures}")
    } else {
        format!("估算值（未填报核算结果，按土地利用结构以当量因子法估算生态系统服务价值）{figures}")
    }
}

fn card(input: &ReportInput, table: &super::values::FieldTable, p: &ProjectScore) -> Card {
    let model = input.model;
    let rows = p
        .indicators
        .iter()
        .zip(&model.indicators)
        .map(|(s, ind)| CardRow {
            dimension: dim_name(model, &ind.dimension),
            name: ind.name.clone(),
            raw: fmt_value(ind, s.raw),
            planned: match s.planned {
                Some(x) => fmt_num(x, 2),
                None => String::new(),
            },
            scaled: scaled_text(s.scaled),
            weight: fmt2(s.weight),
            earned: fmt2(s.earned),
            status: status_label(s.status).into(),
            sources: sources(input.dict, &input.dataset.origins, &p.id, ind),
        })
        .collect();
    let dims = p
        .dimensions
        .iter()
        .map(|d| [dim_name(model, &d.id), fmt2(d.earned), fmt_num(d.points, 2)])
        .collect();
    let adjustments = p
        .adjustments
        .iter()
        .filter_map(|h| {
            model
                .adjustments
                .iter()
                .find(|a| a.id == h.id)
                .map(|a| [a.name.clone(), format!("{:+.2}", h.points)])
        })
        .collect();
    let vetoes = p
        .vetoes
        .iter()
        .zip(&model.vetoes)
        .map(|(c, v)| {
            let s = match c.status {
                VetoStatus::Passed => "未触碰",
                VetoStatus::Breached => "触碰（否决）",
                VetoStatus::Unknown => "数据缺失，无法核查",
            };
            [v.name.clone(), s.into()]
        })
        .collect();
    let selection = if p.selected {
        "入选示范样板项目".to_string()
    } else {
        p.not_selected
            .map_or_else(String::new, |r| format!("未入选：{}", not_selected_label(r)))
    };
    let esv_note = match table.get(&p.id, "esv_conversion_note") {
        Some(super::values::Shown::Text(t)) => t,
        _ => String::new(),
    };
    Card {
        aggregation_note: aggregation_note(model, p),
        gep_source: gep_source(table, &p.id),
        esv_note,
        id: p.id.clone(),
        name: p.name.clone(),
        city: p.city.clone(),
        county: p.county.clone(),
        rank: rank_text(p),
        total: fmt2(p.total),
        grade: p.grade.clone(),
        selection,
        self_score: p.self_score.map(fmt2).unwrap_or_default(),
        dims,
        rates: p
            .dimensions
            .iter()
            .map(|d| format!("{:.4}", d.earned / d.points.max(1e-9)))
            .collect(),
        rows,
        adjustments,
        adjust_total: format!("加分 {}，扣分 {}（已按上限封顶）", fmt2(p.bonus), fmt2(p.deduction)),
        vetoes,
        vetoed: p.vetoed,
        files: project_files(&input.dataset.origins, &p.id),
    }
}

/// Under geometric or TOPSIS aggregation the points earned per indicator
/// (points × score rate) do not add up to the indicator total. Says so in
/// words, with the project's two figures; empty under the weighted sum.
pub fn aggregation_note(model: &Model, p: &ProjectScore) -> String {
    let earned: f64 = p.indicators.iter().map(|s| s.earned).sum();
    let how = match model.model.aggregation {
        Aggregation::Sum => return String::new(),
        Aggregation::Geometric => format!(
            "本模型以加权几何平均汇总指标：指标总分 = 100 × Π 得分率^(分值 ÷ 分值合计)，得分率低于 {} 的按 {} 计；\
             短板指标对总分的拉低大于其分值占比",
            model.model.geometric_floor, model.model.geometric_floor
        ),
        Aggregation::Topsis => "本模型以 TOPSIS 贴近度汇总指标：各指标得分率按同批项目向量规范化并乘以权重，\
             求与正理想解（同批各指标最优）和负理想解（同批各指标最差）的距离 D+、D-，\
             指标总分 = 100 × D- ÷ (D+ + D-)，取决于与同批项目的相对位置"
            .to_string(),
    };
    format!(
        "{how}。表中“得分”（分值 × 得分率）合计 {} 分，只表示各指标的完成程度，不直接相加为总分；\
         本项目指标总分 {} 分，加减分另计。",
        fmt2(earned),
        fmt2(p.indicator_total)
    )
}

/// Distinct files any of a project's cells or rows came from.
fn project_files(origins: &Origins, project: &str) -> String {
    let cells = origins
        .cells
        .iter()
        .filter(|((p, _), _)| p == project)
        .map(|(_, o)| &o.file);
    let rows = origins
        .rows
        .iter()
        .filter(|((_, p), _)| p == project)
        .flat_map(|(_, v)| v.groups.iter().map(|g| &g.file));
    let files: std::collections::BTreeSet<&String> = cells.chain(rows).collect();
    files.into_iter().cloned().collect::<Vec<_>>().join("、")
}

fn quality(input: &ReportInput) -> Quality {
    let log = input.log;
    Quality {
        errors: log.count(Severity::Error),
        warnings: log.count(Severity::Warning),
        infos: log.count(Severity::Info),
        tallies: log
            .tallies
            .iter()
            .map(|t| {
                [
                    t.file.clone(),
                    t.sheet.clone(),
                    t.rows_read.to_string(),
                    t.rows_used.to_string(),
                    t.rows_skipped.to_string(),
                ]
            })
            .collect(),
        findings: log
            .sorted()
            .into_iter()
            .map(|f| {
                [
                    f.severity.label().to_string(),
                    f.origin.to_string(),
                    f.raw.clone(),
                    f.message.clone(),
                ]
            })
            .collect(),
    }
}

/// Build the committee report's context.
pub fn committee(input: &ReportInput) -> Ctx {
    let projects = &input.eval.projects;
    let [y, m, d] = input.date;
    let mut by_city: BTreeMap<&str, usize> = BTreeMap::new();
    for p in projects {
        *by_city.entry(&p.city).or_default() += 1;
    }
    Ctx {
        title: format!("{}评估报告", input.model.model.name),
        date: format!("{y}年{m}月{d}日"),
        date_ymd: [y, m, d],
        model: model_view(input.model, &input.eval.method),
        summary: summary(input.model, projects),
        ranking: ranking(projects),
        cards: {
            let table = super::values::FieldTable::new(input.fields);
            projects.iter().map(|p| card(input, &table, p)).collect()
        },
        quality: quality(input),
        stamp: stamp(input),
        self_vs: self_vs(projects),
        robustness: robust_rows(projects),
        score_charts: Vec::new(),
        robustness_notes: robustness_notes(input),
    }
}

/// Demonstration candidates for the robustness table: eligible projects that are
/// selected or not stably out, in ranking order.
pub fn robust_candidates(projects: &[ProjectScore]) -> Vec<&ProjectScore> {
    projects
        .iter()
        .filter(|p| !p.vetoed)
        .filter(|p| {
            p.robustness
                .as_ref()
                .is_some_and(|r| p.selected || r.verdict != crate::score::robust::Verdict::StableOut)
        })
        .collect()
}

fn robust_rows(projects: &[ProjectScore]) -> Vec<RobustRow> {
    robust_candidates(projects)
        .into_iter()
        .filter_map(|p| {
            let r = p.robustness.as_ref()?;
            Some(RobustRow {
                rank: rank_text(p),
                name: p.name.clone(),
                verdict: r.verdict_label.clone(),
                selected: p.selected,
                median_rank: r.median_rank.to_string(),
                interval: format!("{}–{}", r.rank_p05, r.rank_p95),
                probability: format!("{:.1}%", r.p_selected * 100.0),
            })
        })
        .collect()
}

fn project_name<'a>(projects: &'a [ProjectScore], id: &'a str) -> &'a str {
    projects.iter().find(|p| p.id == id).map_or(id, |p| p.name.as_str())
}

fn indicator_name<'a>(model: &'a Model, id: &'a str) -> &'a str {
    model
        .indicators
        .iter()
        .find(|i| i.id == id)
        .map_or(id, |i| i.name.as_str())
}

/// The Monte Carlo set-up, in words.
pub fn robustness_method(s: &crate::score::robust::Summary) -> String {
    format!(
        "按模型种子 {} 抽样 {} 次：每个指标的分值在 ±{:.0}% 内随机扰动后按总分 100 重新归一{}{}；每次按{}重新排名遴选。",
        s.seed,
        s.draws,
        s.weight_jitter * 100.0,
        if s.switch_scaling {
            "，目标值法与极差法随机互换"
        } else {
            ""
        },
        if s.switch_aggregation {
            "，加权求和与加权几何平均随机互换"
        } else {
            ""
        },
        if s.uses_selection_rules {
            "模型的遴选规则".to_string()
        } else {
            format!("前 {} 名", s.top_n)
        },
    )
}

/// How often the selected set recurs across the draws, in words.
pub fn set_stability(s: &crate::score::robust::Summary) -> String {
    format!(
        "本次入选组合在 {:.1}% 的抽样中完全重现；共出现 {} 种不同的入选组合，最常见的一种占 {:.1}%。",
        s.base_set_frequency * 100.0,
        s.distinct_sets,
        s.modal_set_frequency * 100.0
    )
}

/// The Monte Carlo set-up and what it found, cut-off swaps and rank reversals, in words.
fn robustness_notes(input: &ReportInput) -> Vec<String> {
    let eval = input.eval;
    let Some(s) = &eval.robustness else { return Vec::new() };
    let projects = &eval.projects;
    let mut notes = vec![robustness_method(s), set_stability(s)];
    for c in &eval.cutoff_swaps {
        notes.push(format!(
            "临界：{}（入选）与{}（未入选）——“{}”的分值由 {} 调为 {}（{:+.1}%），两者即可互换。",
            project_name(projects, &c.above),
            project_name(projects, &c.below),
            indicator_name(input.model, &c.indicator),
            fmt_num(c.points, 2),
            fmt_num(c.new_points, 2),
            c.relative * 100.0
        ));
    }
    if crate::score::reversal::is_relative(input.model) {
        if eval.reversals.is_empty() {
            notes.push("秩反转检验：移除任一项目或加入最差项目的副本，前列项目的先后次序均不变。".into());
        }
        for r in &eval.reversals {
            let what = match r.change {
                crate::score::reversal::Change::Removed => format!("移除{}后", project_name(projects, &r.project)),
                crate::score::reversal::Change::CopyAdded => {
                    format!("加入{}的副本后", project_name(projects, &r.project))
                }
            };
            notes.push(format!(
                "秩反转：{what}，{}反超{}（同批相对计分的固有缺陷，请委员会知悉）。",
                project_name(projects, &r.now_above),
                project_name(projects, &r.was_above)
            ));
        }
    }
    notes
}

/// The reproducibility stamp: model, tool version, SHA-256 of every input.
pub fn stamp(input: &ReportInput) -> Stamp {
    Stamp {
        model: format!("{} 版本 {}", input.model.model.id, input.model.model.version),
        tool: format!("landeval {}", env!("CARGO_PKG_VERSION")),
        inputs: input
            .dataset
            .inputs
            .iter()
            .map(|i| [i.name.clone(), i.sha256.clone(), format!("{} 字节", i.bytes)])
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_zero_prints_without_sign() {
        assert_eq!(fmt2(-0.0), "0.00");
        assert_eq!(fmt2(-0.004), "0.00");
        assert_eq!(fmt2(-1.5), "-1.50");
        assert_eq!(fmt_num(-0.0, 2), "0");
        assert_eq!(fmt_num(-2.26, 1), "-2.3");
    }
}
