//! The committee report's view (`ranking.typ.j2`): every number formatted,
//! every label in Chinese. Built from the evaluation; computes no score.

use super::problems::{self, Problems};
use super::quality::{self, Quality};
use crate::model::{Aggregation, Indicator, Model};
use crate::report::ReportInput;
use crate::report::engine::map::{MapStyle, Panels};
use crate::report::fields::{FieldTable, Shown};
use crate::report::parts::{self, AdjustmentRow, EligibleStats, MapView, RedLine, Stamp};
use crate::report::text::vocab::{self, indicator_name};
use crate::report::text::{date_cn, fmt_num, fmt_value, fmt2, method, rank_text, scaled_text, signed2};
use crate::score::robust::Verdict;
use crate::score::{Method, ProjectScore, VetoStatus, expr, reversal};
use serde::Serialize;

/// Everything `ranking.typ.j2` reads.
#[derive(Serialize)]
pub struct CommitteeView {
    pub title: String,
    /// `2025年6月30日`.
    pub date: String,
    pub date_ymd: [i32; 3],
    /// Where the date came from (`--date` or the latest acceptance date), in a sentence.
    pub date_note: String,
    pub model: ModelView,
    pub summary: Overview,
    pub ranking: Vec<RankRow>,
    pub cards: Vec<Card>,
    /// 问题与建议: problems across the cohort with their projects, and recommendations.
    pub problems: Problems,
    pub quality: Quality,
    pub stamp: Stamp,
    /// Projects whose county gave a self-assessed total.
    pub self_vs: SelfVs,
    /// Robustness of the demonstration candidates (empty without a Monte Carlo).
    pub robustness: Vec<RobustRow>,
    /// Paths of the stacked score charts (one per block of projects).
    pub score_charts: Vec<String>,
    /// Monte Carlo settings and set stability, cut-off swaps and rank reversals, as sentences.
    pub robustness_notes: Vec<String>,
}

/// The model as the method section shows it.
#[derive(Serialize)]
pub struct ModelView {
    pub id: String,
    pub name: String,
    pub version: String,
    pub basis: Vec<String>,
    pub description: String,
    pub dimensions: Vec<DimView>,
    pub indicators: Vec<IndView>,
    pub vetoes: Vec<VetoRule>,
    pub adjustments: Vec<AdjustRule>,
    pub grades: Vec<GradeBound>,
    /// The bonus and deduction caps in a sentence.
    pub caps: String,
    /// The selection rules in a sentence.
    pub selection: String,
    /// The aggregation's name when it is not the weighted sum, else empty.
    pub aggregation: String,
    /// The exclusion rule and (objective weights) the imputation rule, one sentence each.
    pub rules: Vec<String>,
    /// The red lines checked, deferred and dropped, in a sentence.
    pub redlines: String,
}

/// A dimension and its full points.
#[derive(Serialize)]
pub struct DimView {
    pub name: String,
    pub points: String,
}

/// An indicator row of the method table.
#[derive(Serialize)]
pub struct IndView {
    pub dimension: String,
    pub group: String,
    pub name: String,
    pub points: String,
    /// The scoring rule in words.
    pub method: String,
    pub basis: String,
}

/// A red line of the model.
#[derive(Serialize)]
pub struct VetoRule {
    pub name: String,
    pub basis: String,
}

/// A bonus or deduction rule of the model.
#[derive(Serialize)]
pub struct AdjustRule {
    pub name: String,
    /// e.g. `+2`, `-1/次，至多 3`.
    pub points: String,
    pub basis: String,
}

/// A grade and its lowest total.
#[derive(Serialize)]
pub struct GradeBound {
    pub name: String,
    /// e.g. `≥ 90`.
    pub bound: String,
}

/// The summary section (一、评估概况).
#[derive(Serialize)]
pub struct Overview {
    pub projects: usize,
    pub cities: usize,
    pub counties: usize,
    pub vetoed: usize,
    /// Projects not vetoed: the set the statistics are over.
    pub eligible: usize,
    pub selected: usize,
    /// Mean, highest and lowest total of the eligible projects, `—` when there are none.
    pub mean: String,
    pub max: String,
    pub min: String,
    /// Eligible projects per grade (vetoed projects are counted apart, in `vetoed`).
    pub grades: Vec<GradeCount>,
    pub selected_list: Vec<SelectedRow>,
    pub vetoed_list: Vec<VetoedRow>,
    /// Reward estimate per project when the model has reward tiers.
    pub rewards: Vec<RewardRow>,
    /// Sum of the rewards, 万元.
    pub reward_total: String,
}

/// Number of projects of one grade.
#[derive(Serialize)]
pub struct GradeCount {
    pub name: String,
    pub count: String,
}

/// A selected demonstration project.
#[derive(Serialize)]
pub struct SelectedRow {
    pub rank: String,
    pub name: String,
    pub city: String,
    pub total: String,
}

/// A vetoed project and the red lines it breached.
#[derive(Serialize)]
pub struct VetoedRow {
    pub name: String,
    pub city: String,
    /// Names of the breached red lines, `、`-joined.
    pub redlines: String,
}

/// A project's reward estimate.
#[derive(Serialize)]
pub struct RewardRow {
    pub rank: String,
    pub name: String,
    pub county: String,
    /// 万元.
    pub amount: String,
}

/// One line of the ranking table.
#[derive(Serialize)]
pub struct RankRow {
    pub rank: String,
    pub id: String,
    pub name: String,
    pub city: String,
    pub county: String,
    /// Points per dimension, model order.
    pub dims: Vec<String>,
    /// Bonus − deduction, signed, `0` when none.
    pub adjust: String,
    pub total: String,
    pub grade: String,
    /// `★` selected, `否决` vetoed, else empty.
    pub mark: String,
    pub vetoed: bool,
    pub selected: bool,
}

/// One project's scorecard page.
#[derive(Serialize)]
pub struct Card {
    pub id: String,
    pub name: String,
    pub city: String,
    pub county: String,
    pub rank: String,
    pub total: String,
    pub grade: String,
    /// Selected, or why not.
    pub selection: String,
    pub self_score: String,
    pub dims: Vec<CardDim>,
    /// Score rate per dimension (earned ÷ full points), for the radar.
    pub rates: Vec<String>,
    pub rows: Vec<CardRow>,
    pub adjustments: Vec<AdjustmentRow>,
    /// Bonus and deduction after the caps, in a sentence.
    pub adjust_total: String,
    /// The red-line checklist: every red line with its rule, values, cells and status.
    pub vetoes: Vec<RedLine>,
    pub vetoed: bool,
    /// Input files holding the project's rows.
    pub files: String,
    /// How the project's GEP was obtained (accounted or estimated), empty when neither.
    pub gep_source: String,
    /// Ecosystem value lost by turning ponds, wetland or forest into farmland, empty when none.
    pub esv_note: String,
    /// Why the indicator points do not add up to the total (geometric or TOPSIS aggregation), else empty.
    pub aggregation_note: String,
    /// The farmland before and after, side by side (drawn in [`card_map_style`]).
    pub map: MapView,
}

/// Width of the map on a scorecard (mm): the A4 text width, as
/// `ranking.typ.j2` places it under the red lines and adjustments.
pub const CARD_MAP_MM: f64 = 174.0;

/// A scorecard's map: both stages at [`CARD_MAP_MM`], panels at most 38 mm
/// high (about the room below a card of the national model; the template
/// draws the map smaller where a card leaves less).
pub fn card_map_style() -> MapStyle {
    MapStyle {
        max_panel_height_mm: Some(38.0),
        ..MapStyle::sized(CARD_MAP_MM, Panels::Both)
    }
}

/// A dimension's points on a scorecard.
#[derive(Serialize)]
pub struct CardDim {
    pub name: String,
    pub earned: String,
    pub points: String,
}

/// One indicator row of a scorecard.
#[derive(Serialize)]
pub struct CardRow {
    pub dimension: String,
    pub name: String,
    pub raw: String,
    pub planned: String,
    pub scaled: String,
    pub weight: String,
    pub earned: String,
    /// Not applicable, missing …; empty when scored normally.
    pub status: String,
    pub sources: String,
}

/// A county's self-assessed total against the evaluated one.
#[derive(Serialize)]
pub struct SelfVsRow {
    pub name: String,
    pub self_score: String,
    /// The evaluated total; for a vetoed project `不合格（一票否决）`.
    pub evaluated: String,
    /// Evaluated − self-assessed, signed; `—` for a vetoed project.
    pub difference: String,
    pub vetoed: bool,
}

/// The self-assessment comparison: one row per project that gave a
/// self-assessed total, eligible first, and what the eligible rows show.
#[derive(Serialize)]
pub struct SelfVs {
    pub rows: Vec<SelfVsRow>,
    /// The comparison over the eligible projects in a sentence, empty without rows.
    pub note: String,
}

/// One demonstration candidate's robustness.
#[derive(Serialize)]
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

/// Build the committee report's view.
pub fn build(input: &ReportInput) -> CommitteeView {
    let projects = &input.eval.projects;
    let table = FieldTable::new(input.fields);
    let files = parts::ProjectFiles::of(&input.dataset.origins);
    CommitteeView {
        title: format!("{}评估报告", input.model.model.name),
        date: date_cn(input.date),
        date_ymd: input.date,
        date_note: vocab::date_source(input.date_source).into(),
        model: model_view(input.model, &input.eval.method),
        summary: overview(input.model, projects),
        ranking: ranking(input.model, projects),
        cards: projects.iter().map(|p| card(input, &table, &files, p)).collect(),
        problems: problems::build(input),
        quality: quality::quality(input.log),
        stamp: parts::stamp(input),
        self_vs: self_vs(projects),
        robustness: robust_rows(projects),
        score_charts: Vec::new(),
        robustness_notes: robustness_notes(input),
    }
}

fn model_view(model: &Model, method: &Method) -> ModelView {
    let dimensions = model
        .dimensions
        .iter()
        .map(|d| DimView {
            name: d.name.clone(),
            points: fmt_num(method.dimension_points(model, &d.id), 2),
        })
        .collect();
    let indicators = model
        .indicators
        .iter()
        .map(|i| IndView {
            dimension: model.dimension_name(&i.dimension).to_string(),
            group: i.group.clone().unwrap_or_default(),
            name: i.name.clone(),
            points: fmt_num(method.indicator_points(model, &i.id), 2),
            method: vocab::scale_rule(i, method.indicator_points(model, &i.id)),
            basis: i.basis.clone().unwrap_or_default(),
        })
        .collect();
    let adjustments = model
        .adjustments
        .iter()
        .map(|a| AdjustRule {
            name: a.name.clone(),
            points: vocab::adjust_points(a),
            basis: a.basis.clone(),
        })
        .collect();
    ModelView {
        id: model.model.id.clone(),
        name: model.model.name.clone(),
        version: model.model.version.clone(),
        basis: model.model.basis.clone(),
        description: model.model.description.clone(),
        dimensions,
        indicators,
        vetoes: model
            .vetoes
            .iter()
            .map(|v| VetoRule {
                name: v.name.clone(),
                basis: v.basis.clone(),
            })
            .collect(),
        adjustments,
        grades: model
            .grade_bounds()
            .iter()
            .map(|(g, b)| GradeBound {
                name: g.to_string(),
                bound: format!("≥ {}", fmt_num(*b, 2)),
            })
            .collect(),
        caps: format!(
            "加分合计不超过 {} 分，扣分合计不超过 {} 分；总分限定在 0–100 分。",
            fmt_num(model.model.bonus_cap, 2),
            fmt_num(model.model.deduction_cap, 2)
        ),
        selection: selection_rules(model),
        aggregation: match model.model.aggregation {
            Aggregation::Sum => String::new(),
            other => other.label().to_string(),
        },
        rules: method::method_rules(model, method),
        redlines: method::redline_rule(model),
    }
}

fn selection_rules(model: &Model) -> String {
    let Some(s) = &model.selection else {
        return "本模型不评选示范项目".to_string();
    };
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
    t + "；触碰红线或红线待核实的项目不得入选。"
}

fn overview(model: &Model, projects: &[ProjectScore]) -> Overview {
    let uniq = |f: fn(&ProjectScore) -> &str| projects.iter().map(f).collect::<std::collections::BTreeSet<_>>().len();
    let eligible: Vec<&ProjectScore> = projects.iter().filter(|p| !p.vetoed).collect();
    let stats = EligibleStats::of(projects);
    let rewards = rewards(projects);
    Overview {
        projects: projects.len(),
        cities: uniq(|p| &p.city),
        counties: uniq(|p| &p.county),
        vetoed: projects.len() - eligible.len(),
        eligible: eligible.len(),
        selected: projects.iter().filter(|p| p.selected).count(),
        mean: stats.map_or_else(|| "—".into(), |s| fmt2(s.mean)),
        max: stats.map_or_else(|| "—".into(), |s| fmt2(s.max)),
        min: stats.map_or_else(|| "—".into(), |s| fmt2(s.min)),
        grades: model
            .all_grades()
            .map(|g| GradeCount {
                name: model.grade_name(g).to_string(),
                count: eligible.iter().filter(|p| p.grade == g).count().to_string(),
            })
            .collect(),
        selected_list: projects
            .iter()
            .filter(|p| p.selected)
            .map(|p| SelectedRow {
                rank: rank_text(p),
                name: p.name.clone(),
                city: p.city.clone(),
                total: fmt2(p.total),
            })
            .collect(),
        vetoed_list: projects
            .iter()
            .filter(|p| p.vetoed)
            .map(|p| VetoedRow {
                name: p.name.clone(),
                city: p.city.clone(),
                redlines: breached_names(model, p).join("、"),
            })
            .collect(),
        rewards: rewards
            .iter()
            .map(|(p, a)| RewardRow {
                rank: rank_text(p),
                name: p.name.clone(),
                county: p.county.clone(),
                amount: fmt_num(*a, 2),
            })
            .collect(),
        reward_total: fmt_num(rewards.iter().map(|x| x.1).sum(), 2),
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

fn self_vs(projects: &[ProjectScore]) -> SelfVs {
    let rows: Vec<SelfVsRow> = projects
        .iter()
        .filter_map(|p| {
            let s = p.self_score?;
            Some(if p.vetoed {
                SelfVsRow {
                    name: p.name.clone(),
                    self_score: fmt2(s),
                    evaluated: "不合格（一票否决）".into(),
                    difference: "—".into(),
                    vetoed: true,
                }
            } else {
                SelfVsRow {
                    name: p.name.clone(),
                    self_score: fmt2(s),
                    evaluated: fmt2(p.total),
                    difference: signed2(p.total - s),
                    vetoed: false,
                }
            })
        })
        .collect();
    let note = if rows.is_empty() {
        String::new()
    } else {
        self_vs_note(projects)
    };
    SelfVs { rows, note }
}

/// How the eligible projects' self-assessed totals compare with the evaluated ones.
fn self_vs_note(projects: &[ProjectScore]) -> String {
    let diffs: Vec<f64> = projects
        .iter()
        .filter(|p| !p.vetoed)
        .filter_map(|p| Some(p.self_score? - p.total))
        .collect();
    let vetoed = projects.iter().filter(|p| p.vetoed && p.self_score.is_some()).count();
    let vetoed_text = if vetoed > 0 {
        format!("另有 {vetoed} 个填报了自评的项目被一票否决，不作比较。")
    } else {
        String::new()
    };
    if diffs.is_empty() {
        return format!("填报了自评总分的 {vetoed} 个项目均被一票否决，不作比较。");
    }
    let higher = diffs.iter().filter(|d| **d > 0.0).count();
    let mean = diffs.iter().sum::<f64>() / diffs.len() as f64;
    let direction = if mean >= 0.0 { "高" } else { "低" };
    format!(
        "在填报了自评总分的 {} 个未否决项目中，{higher} 个自评高于评估得分；自评平均比评估得分{direction} {} 分。{vetoed_text}",
        diffs.len(),
        fmt2(mean.abs())
    )
}

/// Names of the red lines a project breached.
pub fn breached_names(model: &Model, p: &ProjectScore) -> Vec<String> {
    p.vetoes
        .iter()
        .filter(|v| v.status == VetoStatus::Breached)
        .filter_map(|v| model.vetoes.iter().find(|m| m.id == v.id).map(|m| m.name.clone()))
        .collect()
}

fn adjust_text(p: &ProjectScore) -> String {
    let a = p.bonus - p.deduction;
    if a == 0.0 { "0".into() } else { signed2(a) }
}

fn ranking(model: &Model, projects: &[ProjectScore]) -> Vec<RankRow> {
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
            grade: model.grade_name(p.grade).to_string(),
            mark: if p.selected {
                "★".into()
            } else if p.vetoed {
                "否决".into()
            } else if p.redline_unknown() {
                vocab::PENDING.into()
            } else {
                String::new()
            },
            vetoed: p.vetoed,
            selected: p.selected,
        })
        .collect()
}

/// Fields holding the GEP figures adopted for scoring (accounted, else estimated).
const GEP_ADOPTED: [&str; 4] = ["gep_used_before", "gep_used_after", "gep_used_delta", "gep_used_pct"];
/// Fields holding the accounted GEP only.
const GEP_ACCOUNTED: [&str; 2] = ["gep_before", "gep_after"];

/// The model's indicators that read GEP, each with whether it scores the
/// adopted value (an estimate counts) or the accounted value only.
fn gep_indicators(model: &Model) -> Vec<(&Indicator, bool)> {
    model
        .indicators
        .iter()
        .filter_map(|ind| {
            let fields = expr::parse(&ind.expr).map(|e| expr::fields_of(&e)).unwrap_or_default();
            let adopted = fields.iter().any(|f| GEP_ADOPTED.contains(&f.as_str()));
            let accounted = fields.iter().any(|f| GEP_ACCOUNTED.contains(&f.as_str()));
            (adopted || accounted).then_some((ind, adopted))
        })
        .collect()
}

/// The card's line on where the GEP figures come from (DESIGN §4) and, for
/// an estimate, whether the GEP indicators score it.
fn gep_source(model: &Model, table: &FieldTable, p: &ProjectScore) -> String {
    let method = match table.get(&p.id, "gep_method") {
        Some(Shown::Text(t)) => t,
        _ => return String::new(),
    };
    let figures = match (table.num(&p.id, "gep_used_before"), table.num(&p.id, "gep_used_after")) {
        (Some(b), Some(a)) => format!("（{} → {} 亿元）", fmt_num(b, 2), fmt_num(a, 2)),
        _ => String::new(),
    };
    if method == "核算" {
        return format!("县级填报的核算值{figures}");
    }
    let mut line = format!("估算值（未填报核算结果，按土地利用结构以当量因子法估算生态系统服务价值）{figures}");
    for (ind, adopted) in gep_indicators(model) {
        if adopted {
            line.push_str(&format!("；指标“{}”按此估算值计分", ind.name));
        } else {
            let status = model
                .indicators
                .iter()
                .position(|i| i.id == ind.id)
                .and_then(|k| p.indicators.get(k))
                .map_or("", |s| vocab::status_label(s.status));
            line.push_str(&format!(
                "；本模型的指标“{}”只采用填报的 GEP 核算值，估算值不用于计分{}",
                ind.name,
                if status.is_empty() {
                    String::new()
                } else {
                    format!("（该指标{status}）")
                }
            ));
        }
    }
    line
}

fn card(input: &ReportInput, table: &FieldTable, files: &parts::ProjectFiles, p: &ProjectScore) -> Card {
    let model = input.model;
    let rows = p
        .indicators
        .iter()
        .zip(&model.indicators)
        .map(|(s, ind)| CardRow {
            dimension: model.dimension_name(&ind.dimension).to_string(),
            name: ind.name.clone(),
            raw: fmt_value(ind, s.raw),
            planned: s.planned.map(|x| fmt_num(x, 2)).unwrap_or_default(),
            scaled: scaled_text(s.scaled),
            weight: fmt2(s.weight),
            earned: fmt2(s.earned),
            status: vocab::status_label(s.status).into(),
            sources: parts::sources(input.dict, &input.dataset.origins, &p.id, ind),
        })
        .collect();
    let dims = p
        .dimensions
        .iter()
        .map(|d| CardDim {
            name: model.dimension_name(&d.id).to_string(),
            earned: fmt2(d.earned),
            points: fmt_num(d.points, 2),
        })
        .collect();
    let selection = if p.selected {
        "入选示范样板项目".to_string()
    } else {
        p.not_selected
            .map_or_else(String::new, |r| format!("未入选：{}", vocab::not_selected_label(r)))
    };
    let esv_note = match table.get(&p.id, "esv_conversion_note") {
        Some(Shown::Text(t)) => t,
        _ => String::new(),
    };
    Card {
        aggregation_note: method::aggregation_note(model, p),
        gep_source: gep_source(model, table, p),
        esv_note,
        id: p.id.clone(),
        name: p.name.clone(),
        city: p.city.clone(),
        county: p.county.clone(),
        rank: rank_text(p),
        total: fmt2(p.total),
        grade: model.grade_name(p.grade).to_string(),
        selection,
        self_score: p.self_score.map(fmt2).unwrap_or_default(),
        dims,
        rates: p
            .dimensions
            .iter()
            .map(|d| format!("{:.4}", d.earned / d.points.max(1e-9)))
            .collect(),
        rows,
        adjustments: parts::adjustments(model, p),
        adjust_total: format!("加分 {}，扣分 {}（已按上限封顶）", fmt2(p.bonus), fmt2(p.deduction)),
        vetoes: parts::red_lines(input, table, p),
        vetoed: p.vetoed,
        files: files.get(&p.id),
        map: parts::map_view(input, &p.id, Panels::Both),
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
                .is_some_and(|r| p.selected || r.verdict != Verdict::StableOut)
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
                verdict: vocab::verdict_label(r.verdict).into(),
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

/// The Monte Carlo set-up and what it found, cut-off swaps and rank reversals, in words.
fn robustness_notes(input: &ReportInput) -> Vec<String> {
    let eval = input.eval;
    let Some(s) = &eval.robustness else { return Vec::new() };
    let projects = &eval.projects;
    let mut notes = vec![method::robustness_method(s), method::set_stability(s)];
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
    if reversal::is_relative(input.model) {
        if eval.reversals.is_empty() {
            notes.push("秩反转检验：移除任一项目或加入最差项目的副本，前列项目的先后次序均不变。".into());
        }
        for r in &eval.reversals {
            let what = match r.change {
                reversal::Change::Removed => format!("移除{}后", project_name(projects, &r.project)),
                reversal::Change::CopyAdded => {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::committee::problems::{Advice, Problem, ProblemLine};
    use crate::report::committee::quality::{FindingGroup, TallyRow};
    use crate::report::committee::volumes;
    use crate::report::engine::{self, fonts::FontSet, placeholder_charts};
    use crate::report::parts::InputRow;

    fn s(x: &str) -> String {
        x.to_string()
    }

    /// A card; `vetoed` takes the template's other branches.
    fn card(vetoed: bool) -> Card {
        Card {
            id: s("QL-1"),
            name: s("样例项目"),
            city: s("样例市"),
            county: s("样例县"),
            rank: s(if vetoed { "—" } else { "1" }),
            total: s("88.50"),
            grade: s("良好"),
            selection: s("入选示范样板项目"),
            self_score: s("90.00"),
            dims: vec![CardDim {
                name: s("执行过程"),
                earned: s("20.00"),
                points: s("25"),
            }],
            rates: vec![s("0.8000"), s("0.5000"), s("1.0000")],
            rows: vec![CardRow {
                dimension: s("执行过程"),
                name: s("实施进度完成率"),
                raw: s("95%"),
                planned: s("100"),
                scaled: s("95%"),
                weight: s("6.00"),
                earned: s("5.70"),
                status: s(if vetoed { "缺失计 0" } else { "" }),
                sources: s("项目台账!C3"),
            }],
            adjustments: vec![AdjustmentRow {
                name: s("跨乡镇整治"),
                points: s("+2.00"),
            }],
            adjust_total: s("加分 2.00，扣分 0.00（已按上限封顶）"),
            vetoes: vec![RedLine {
                name: s("耕地面积减少"),
                rule: s("确保耕地数量不减少"),
                values: s("整治前耕地面积 100 亩；整治后耕地面积 90 亩"),
                cells: s("农用地整治!B3；农用地整治!C3"),
                status: s(if vetoed {
                    "触碰（一票否决）"
                } else {
                    "未触碰"
                }),
                ok: !vetoed,
            }],
            vetoed,
            files: s("样例县.xlsx"),
            gep_source: s("县级填报的核算值"),
            esv_note: s("坑塘转为耕地"),
            aggregation_note: s("本模型以 TOPSIS 贴近度汇总指标"),
            // The vetoed card has no map: the other branch of the template.
            map: MapView {
                title: s(vocab::MAP_TITLE),
                file: if vetoed { s("") } else { s("/maps/QL-1.svg") },
                note: if vetoed { s("") } else { s(vocab::MAP_NOTE) },
                missing: if vetoed { s(vocab::NO_MAP) } else { s("") },
                no_room: if vetoed { s("") } else { s(vocab::MAP_NO_ROOM) },
            },
        }
    }

    /// A view with every field filled and every optional block present.
    fn full() -> CommitteeView {
        CommitteeView {
            title: s("样例评估报告"),
            date: s("2025年6月30日"),
            date_ymd: [2025, 6, 30],
            date_note: s("报告日期按 --date 指定"),
            model: ModelView {
                id: s("sample"),
                name: s("样例模型"),
                version: s("1"),
                basis: vec![s("自然资发〔2024〕149号"), s("财预〔2020〕10号")],
                description: s("说明"),
                dimensions: vec![DimView {
                    name: s("执行过程"),
                    points: s("25"),
                }],
                indicators: vec![IndView {
                    dimension: s("执行过程"),
                    group: s("集中连片"),
                    name: s("实施进度完成率"),
                    points: s("6"),
                    method: s("线性"),
                    basis: s("依据"),
                }],
                vetoes: vec![VetoRule {
                    name: s("耕地面积减少"),
                    basis: s("确保耕地数量不减少"),
                }],
                adjustments: vec![AdjustRule {
                    name: s("跨乡镇整治"),
                    points: s("+2"),
                    basis: s("依据"),
                }],
                grades: vec![GradeBound {
                    name: s("优秀"),
                    bound: s("≥ 90"),
                }],
                caps: s("加分合计不超过 5 分"),
                selection: s("按排名择优"),
                aggregation: s("TOPSIS 贴近度"),
                rules: vec![
                    s("缺失不计的指标不计入该项目。"),
                    s("熵权法计算客观权重时……（本次共填补 1 个单元格）。"),
                ],
                redlines: s("一票否决事项包括全国红线集 8 条。"),
            },
            summary: Overview {
                projects: 2,
                cities: 1,
                counties: 1,
                vetoed: 1,
                eligible: 1,
                selected: 1,
                mean: s("80.00"),
                max: s("88.50"),
                min: s("71.50"),
                grades: vec![GradeCount {
                    name: s("优秀"),
                    count: s("1"),
                }],
                selected_list: vec![SelectedRow {
                    rank: s("1"),
                    name: s("样例项目"),
                    city: s("样例市"),
                    total: s("88.50"),
                }],
                vetoed_list: vec![VetoedRow {
                    name: s("否决项目"),
                    city: s("样例市"),
                    redlines: s("耕地面积减少"),
                }],
                rewards: vec![RewardRow {
                    rank: s("1"),
                    name: s("样例项目"),
                    county: s("样例县"),
                    amount: s("1000"),
                }],
                reward_total: s("1000"),
            },
            ranking: [false, true]
                .iter()
                .map(|&vetoed| RankRow {
                    rank: s("1"),
                    id: s("QL-1"),
                    name: s("样例项目"),
                    city: s("样例市"),
                    county: s("样例县"),
                    dims: vec![s("20.00")],
                    adjust: s("+2.00"),
                    total: s("88.50"),
                    grade: s("良好"),
                    mark: s("★"),
                    vetoed,
                    selected: !vetoed,
                })
                .collect(),
            cards: vec![card(false), card(true)],
            problems: Problems {
                problems: vec![Problem {
                    title: s("触碰法定红线"),
                    finding: s("1 个项目触碰法定红线"),
                    lines: [true, false]
                        .iter()
                        .map(|&full| ProblemLine {
                            label: s("耕地面积减少（1 个）"),
                            detail: s(if full {
                                "缺少整治后耕地面积（农用地整治）"
                            } else {
                                ""
                            }),
                            projects: s(if full { "否决项目" } else { "" }),
                        })
                        .collect(),
                }],
                advice: vec![Advice {
                    title: s("限期整改红线问题"),
                    text: s("责成有关县（市、区）整改"),
                }],
            },
            quality: Quality {
                errors: 1,
                warnings: 1,
                infos: 1,
                total: 3,
                tallies: vec![TallyRow {
                    file: s("样例县.xlsx"),
                    sheet: s("项目台账"),
                    read: s("3"),
                    used: s("2"),
                    skipped: s("1"),
                }],
                groups: vec![FindingGroup {
                    severity: s("警告"),
                    sheet: s("项目台账"),
                    message: s("估计值（原值：约300）"),
                    count: 2,
                    places: s("样例县.xlsx C3；样例县.xlsx C4"),
                    ids: Vec::new(),
                }],
            },
            stamp: Stamp {
                model: s("sample 版本 1"),
                tool: s("landeval 0.1.0"),
                inputs: vec![InputRow {
                    name: s("样例县.xlsx"),
                    sha256: s("00ff"),
                    size: s("10 字节"),
                }],
            },
            self_vs: SelfVs {
                rows: [false, true]
                    .iter()
                    .map(|&vetoed| SelfVsRow {
                        name: s("样例项目"),
                        self_score: s("90.00"),
                        evaluated: s(if vetoed { "不合格（一票否决）" } else { "88.50" }),
                        difference: s(if vetoed { "—" } else { "-1.50" }),
                        vetoed,
                    })
                    .collect(),
                note: s("在填报了自评总分的 1 个未否决项目中，1 个自评高于评估得分"),
            },
            robustness: [true, false]
                .iter()
                .map(|&selected| RobustRow {
                    rank: s("1"),
                    name: s("样例项目"),
                    verdict: s("稳定入选"),
                    selected,
                    median_rank: s("1"),
                    interval: s("1–2"),
                    probability: s("97.0%"),
                })
                .collect(),
            score_charts: vec![s("/charts/scores-0.svg"), s("/charts/scores-1.svg")],
            robustness_notes: vec![s("按模型种子抽样")],
        }
    }

    #[test]
    fn the_bundled_template_reads_only_fields_the_view_has() {
        // The main volume and a scorecard annex (volumes.rs) render from the same template.
        let view = full();
        let cities: Vec<&str> = view.cards.iter().map(|c| c.city.as_str()).collect();
        let annexes = volumes::plan(&cities, &[], volumes::MAX_CARDS);
        let base = minijinja::Value::from(minijinja::value::Serde(&view));
        let main = volumes::markup(&base, &view.cards, &annexes, None, None).expect("renders");
        let files = placeholder_charts(&[
            "/charts/scores-0.svg",
            "/charts/scores-1.svg",
            "/charts/distribution.svg",
            "/charts/effects.svg",
            "/charts/rank-intervals.svg",
        ]);
        let fonts = FontSet::load(None).unwrap();
        let pdf = engine::compile_pdf(main, files, &fonts, [2025, 6, 30]).expect("compiles");
        assert!(pdf.pages >= 4, "{} pages", pdf.pages);
        let annex = volumes::markup(&base, &view.cards, &annexes, Some(0), None).expect("renders");
        assert!(annex.contains("/maps/QL-1.svg") && annex.contains(vocab::NO_MAP));
        let pdf = engine::compile_pdf(annex, placeholder_charts(&["/maps/QL-1.svg"]), &fonts, [2025, 6, 30])
            .expect("compiles");
        assert!(pdf.pages >= 4, "{} pages", pdf.pages);
    }

    /// A scorecard as full as the national model makes one: 22 indicator
    /// rows and 8 red lines, `breached` of them with their details.
    fn crowded_card(breached: usize) -> Card {
        let mut c = card(breached > 0);
        c.map = full().cards[0].map.clone();
        c.rows = (0..22).map(|_| card(false).rows.remove(0)).collect();
        c.vetoes = (0..8)
            .map(|k| RedLine {
                ok: k >= breached,
                ..card(k < breached).vetoes.remove(0)
            })
            .collect();
        c
    }

    /// An annex of `cards` with a map of the scorecard's real size (174 ×
    /// 55 mm: two 38 mm panels, captions and legend): its page count.
    fn annex_pages(cards: Vec<Card>) -> usize {
        let mut view = full();
        view.cards = cards;
        let cities: Vec<&str> = view.cards.iter().map(|c| c.city.as_str()).collect();
        let annexes = volumes::plan(&cities, &[], volumes::MAX_CARDS);
        let base = minijinja::Value::from(minijinja::value::Serde(&view));
        let markup = volumes::markup(&base, &view.cards, &annexes, Some(0), None).expect("renders");
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="174mm" height="55mm"><rect width="10" height="10"/></svg>"#;
        let files = vec![engine::VirtualFile::new("/maps/QL-1.svg", svg)];
        engine::compile_pdf(markup, files, &FontSet::load(None).unwrap(), [2025, 6, 30])
            .expect("compiles")
            .pages
    }

    /// Cover, contents, then one page per scorecard, map or not: a card
    /// whose red-line details leave less room draws its map smaller, or
    /// (three red-line details) says in a line that there was no room.
    #[test]
    fn a_scorecard_with_a_map_stays_one_page() {
        assert_eq!(annex_pages(vec![crowded_card(0)]), 3);
        assert_eq!(annex_pages(vec![crowded_card(3)]), 3);
        assert_eq!(annex_pages(vec![crowded_card(3), crowded_card(0), card(true)]), 5);
    }

    #[test]
    fn a_template_reading_an_unknown_field_fails() {
        let dir = std::env::temp_dir().join(format!("landeval-tpl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(super::super::TEMPLATE),
            "{% for r in ranking %}{{ r.no_such_field }}{% endfor %}",
        )
        .unwrap();
        let err = engine::render_typst(super::super::TEMPLATE, &full(), Some(&dir)).unwrap_err();
        assert!(format!("{err:#}").contains("undefined"), "{err:#}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
