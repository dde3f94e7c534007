//! The county self-assessment (自评报告): one project's scorecard against a
//! cohort or the model's targets, grade, points to the next grade, obstacle
//! factors, red-line checklist and the data still to fill in.

use super::ReportInput;
use super::assess::{self, NextGrade, Obstacle};
use super::cohort::Cohort;
use super::context::{fmt_num, fmt_value, fmt2, status_label};
use super::values::{FieldTable, Shown, display, input_fields, labelled};
use crate::model::{Model, Scale};
use crate::score::{ProjectScore, Status, VetoStatus, expr};
use anyhow::{Result, anyhow};
use serde::Serialize;
use std::collections::BTreeMap;

/// Number of obstacle factors listed.
pub const TOP_OBSTACLES: usize = 5;

#[derive(Serialize)]
pub struct SelfCtx {
    pub title: String,
    pub date: String,
    pub date_ymd: [i32; 3],
    pub model: String,
    pub project: Head,
    /// "同批" comparison present.
    pub has_cohort: bool,
    pub basis: String,
    pub position: String,
    pub next_grade: String,
    pub dims: Vec<[String; 4]>,
    pub rows: Vec<Row>,
    /// Why the indicator points do not add up to the total, empty under the weighted sum.
    pub aggregation_note: String,
    pub adjustments: Vec<[String; 2]>,
    pub obstacles: Vec<[String; 5]>,
    pub redlines: Vec<RedLine>,
    pub missing: Vec<[String; 3]>,
    pub findings: Vec<[String; 3]>,
    pub stamp: super::context::Stamp,
}

#[derive(Serialize)]
pub struct Head {
    pub id: String,
    pub name: String,
    pub place: String,
    pub accepted: String,
    pub total: String,
    pub grade: String,
    pub vetoed: bool,
    pub self_score: String,
}

#[derive(Serialize)]
pub struct Row {
    pub dimension: String,
    pub name: String,
    pub raw: String,
    pub target: String,
    pub scaled: String,
    pub cohort: String,
    pub weight: String,
    pub earned: String,
    pub lost: String,
    pub status: String,
}

#[derive(Serialize)]
pub struct RedLine {
    pub name: String,
    pub rule: String,
    pub values: String,
    pub status: String,
    pub ok: bool,
}

/// Numbers of the self-assessment, for `自评结果.json`.
#[derive(Serialize)]
pub struct SelfNumbers<'a> {
    pub tool: String,
    pub date: String,
    pub model: [&'a str; 2],
    pub project: &'a ProjectScore,
    pub next_grade: Option<NextGrade>,
    pub obstacles: Vec<Obstacle>,
    pub cohort: Option<&'a Cohort>,
    pub cohort_rank: Option<usize>,
    pub missing_fields: Vec<String>,
}

/// The assessed project.
pub fn find<'a>(input: &'a ReportInput, id: &str) -> Result<&'a ProjectScore> {
    input.eval.projects.iter().find(|p| p.id == id).ok_or_else(|| {
        let ids: Vec<&str> = input.eval.projects.iter().take(10).map(|p| p.id.as_str()).collect();
        anyhow!("输入数据中没有项目编号为“{id}”的项目（已读取：{}）", ids.join("、"))
    })
}

/// The JSON numbers.
pub fn numbers<'a>(input: &'a ReportInput, p: &'a ProjectScore, cohort: Option<&'a Cohort>) -> SelfNumbers<'a> {
    SelfNumbers {
        tool: format!("landeval {}", env!("CARGO_PKG_VERSION")),
        date: format!("{:04}-{:02}-{:02}", input.date[0], input.date[1], input.date[2]),
        model: [&input.model.model.id, &input.model.model.version],
        project: p,
        next_grade: assess::next_grade(p),
        obstacles: assess::obstacles(p),
        cohort,
        cohort_rank: cohort.filter(|_| !p.vetoed).map(|c| c.rank_of(p.total)),
        missing_fields: missing(input, p).into_iter().map(|m| m.0).collect(),
    }
}

fn dim_name(model: &Model, id: &str) -> String {
    model.dimension_name(id).to_string()
}

/// What full marks require, in words.
fn target_text(ind: &crate::model::Indicator, planned: Option<f64>) -> String {
    match &ind.scale {
        Scale::Plan { .. } => planned.map_or_else(|| "方案未设定".into(), |x| format!("方案目标 {}", fmt_num(x, 2))),
        Scale::Target { target, .. } => format!("满分 {}", fmt_value(ind, Some(*target))),
        Scale::Steps { steps, lower_is_better } => {
            steps
                .iter()
                .max_by(|a, b| a.value.total_cmp(&b.value))
                .map_or_else(String::new, |s| {
                    format!(
                        "满分 {}{}",
                        if *lower_is_better { "≤" } else { "≥" },
                        fmt_value(ind, Some(s.at))
                    )
                })
        }
        Scale::Bool { invert } => format!("满分：{}", if *invert { "否" } else { "是" }),
        Scale::Minmax { .. } | Scale::Rank { .. } => "同批比较".into(),
        Scale::Piecewise { points } => points
            .iter()
            .find(|p| p[1] >= 1.0)
            .map_or_else(|| "分段线性".into(), |p| format!("满分 {}", fmt_value(ind, Some(p[0])))),
    }
}

/// Fields to fill before acceptance: (field id, sheet name, field name, what needs it).
fn missing(input: &ReportInput, p: &ProjectScore) -> Vec<(String, String, String, String)> {
    let mut need: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut add = |field: String, why: String| {
        if !order.contains(&field) {
            order.push(field.clone());
        }
        let e = need.entry(field).or_default();
        if !e.contains(&why) {
            e.push(why);
        }
    };
    let table = FieldTable::new(input.fields);
    for (s, ind) in p.indicators.iter().zip(&input.model.indicators) {
        if !matches!(
            s.status,
            Status::MissingZero | Status::MissingExcluded | Status::MissingError
        ) {
            continue;
        }
        for f in input_fields(input.dict, s.missing_fields.iter().cloned()) {
            if table.get(&p.id, &f).is_none() {
                add(f, format!("指标“{}”", ind.name));
            }
        }
    }
    for (v, rule) in p.vetoes.iter().zip(&input.model.vetoes) {
        if v.status != VetoStatus::Unknown {
            continue;
        }
        let fields = expr::parse(&rule.when).map(|e| expr::fields_of(&e)).unwrap_or_default();
        for f in input_fields(input.dict, fields) {
            if table.get(&p.id, &f).is_none() {
                add(f, format!("红线“{}”", rule.name));
            }
        }
    }
    order
        .into_iter()
        .map(|f| {
            let def = input.dict.field(&f);
            let sheet = def
                .and_then(|d| input.dict.sheet(&d.sheet))
                .map_or_else(String::new, |s| s.name.clone());
            let name = def.map_or_else(|| f.clone(), |d| d.header());
            let why = need.get(&f).map(|v| v.join("、")).unwrap_or_default();
            (f, sheet, name, why)
        })
        .collect()
}

fn red_lines(input: &ReportInput, p: &ProjectScore) -> Vec<RedLine> {
    let table = FieldTable::new(input.fields);
    p.vetoes
        .iter()
        .zip(&input.model.vetoes)
        .map(|(v, rule)| {
            let direct = expr::parse(&rule.when).map(|e| expr::fields_of(&e)).unwrap_or_default();
            let mut shown: Vec<String> = direct
                .iter()
                .filter(|f| input.dict.derived(f).is_some())
                .filter(|f| matches!(table.get(&p.id, f), Some(Shown::Number(_))))
                .map(|f| labelled(input.dict, &table, &p.id, f))
                .collect();
            shown.extend(
                input_fields(input.dict, direct)
                    .iter()
                    .map(|f| labelled(input.dict, &table, &p.id, f)),
            );
            let status = match v.status {
                VetoStatus::Passed => "符合",
                VetoStatus::Breached => "触碰红线（一票否决）",
                VetoStatus::Unknown => "数据缺失，无法核查",
            };
            RedLine {
                name: rule.name.clone(),
                rule: rule.basis.clone(),
                values: shown.join("；"),
                status: status.into(),
                ok: v.status == VetoStatus::Passed,
            }
        })
        .collect()
}

/// Build the self-assessment context.
pub fn context(input: &ReportInput, p: &ProjectScore, cohort: Option<&Cohort>) -> SelfCtx {
    let model = input.model;
    let [y, m, d] = input.date;
    let table = FieldTable::new(input.fields);
    let rows = p
        .indicators
        .iter()
        .zip(&model.indicators)
        .map(|(s, ind)| Row {
            dimension: dim_name(model, &ind.dimension),
            name: ind.name.clone(),
            raw: fmt_value(ind, s.raw),
            target: target_text(ind, s.planned),
            scaled: super::context::scaled_text(s.scaled),
            cohort: cohort
                .and_then(|c| c.indicator_mean.get(&s.id))
                .map_or_else(String::new, |x| format!("{}%", fmt_num(x * 100.0, 1))),
            weight: fmt2(s.weight),
            earned: fmt2(s.earned),
            lost: fmt2((s.weight - s.earned).max(0.0)),
            status: status_label(s.status).into(),
        })
        .collect();
    let dims = p
        .dimensions
        .iter()
        .map(|dsc| {
            [
                dim_name(model, &dsc.id),
                fmt2(dsc.earned),
                fmt_num(dsc.points, 2),
                cohort
                    .and_then(|c| c.dimension_mean.get(&dsc.id))
                    .map_or_else(String::new, |x| fmt2(*x)),
            ]
        })
        .collect();
    let obstacles = assess::obstacles(p)
        .into_iter()
        .take(TOP_OBSTACLES)
        .enumerate()
        .map(|(k, o)| {
            let ind = &model.indicators[o.index];
            [
                (k + 1).to_string(),
                dim_name(model, &ind.dimension),
                ind.name.clone(),
                fmt2(o.lost),
                format!("{}%", fmt_num(o.degree * 100.0, 1)),
            ]
        })
        .collect();
    let next_grade = if p.vetoed {
        "项目触碰法定红线，一票否决，等级为不合格；须先整改消除否决事项，得分才计入等级。".to_string()
    } else {
        match assess::next_grade(p) {
            Some(n) => format!(
                "距“{}”等级（{} 分）还差 {} 分。",
                n.grade,
                fmt_num(n.bound, 2),
                fmt2(n.missing)
            ),
            None => "已达到最高等级。".into(),
        }
    };
    let (basis, position) = match cohort {
        Some(c) => {
            let mut basis = format!(
                "对照同批结果 {}（{} 个项目，模型 {} 版本 {}{}）",
                c.source,
                c.size,
                c.model_id,
                c.model_version,
                if c.date.is_empty() {
                    String::new()
                } else {
                    format!("，{}", c.date)
                }
            );
            if c.model_id != model.model.id || c.model_version != model.model.version {
                basis.push_str(&format!(
                    "；注意：同批结果所用模型与本次自评模型（{} 版本 {}）不同，比较仅供参考",
                    model.model.id, model.model.version
                ));
            }
            let pos = if p.vetoed {
                "因一票否决，不参加同批排名。".to_string()
            } else {
                format!(
                    "按本次自评得分，在同批 {} 个未否决项目中约列第 {} 位（同批平均 {} 分）。",
                    c.totals.len(),
                    c.rank_of(p.total),
                    c.mean_total().map_or_else(|| "—".into(), fmt2)
                )
            };
            (basis, pos)
        }
        None => (
            "对照评估模型的目标值（未提供同批结果；目标类指标按模型设定的满分值计分，方案类指标按本项目实施方案目标计分）"
                .to_string(),
            String::new(),
        ),
    };
    let accepted = match table.get(&p.id, "accepted_on") {
        Some(v) => format!("已于 {} 通过整体验收", display(input.dict, "accepted_on", &v)),
        None => "尚未整体验收（验收前自评）".into(),
    };
    let findings = input
        .log
        .sorted()
        .into_iter()
        .filter(|f| f.raw == p.id || f.message.contains(&format!("“{}”", p.id)))
        .map(|f| [f.severity.label().to_string(), f.origin.to_string(), f.message.clone()])
        .collect();
    SelfCtx {
        title: format!("{}自评报告", p.name),
        date: format!("{y}年{m}月{d}日"),
        date_ymd: [y, m, d],
        model: format!(
            "{}（{} 版本 {}）",
            model.model.name, model.model.id, model.model.version
        ),
        project: Head {
            id: p.id.clone(),
            name: p.name.clone(),
            place: format!("{} {}", p.city, p.county),
            accepted,
            total: fmt2(p.total),
            grade: p.grade.clone(),
            vetoed: p.vetoed,
            self_score: p.self_score.map(fmt2).unwrap_or_default(),
        },
        has_cohort: cohort.is_some(),
        basis,
        position,
        next_grade,
        dims,
        rows,
        aggregation_note: super::context::aggregation_note(model, p),
        adjustments: p
            .adjustments
            .iter()
            .filter_map(|h| {
                model
                    .adjustments
                    .iter()
                    .find(|a| a.id == h.id)
                    .map(|a| [a.name.clone(), format!("{:+.2}", h.points)])
            })
            .collect(),
        obstacles,
        redlines: red_lines(input, p),
        missing: missing(input, p)
            .into_iter()
            .map(|(_, sheet, name, why)| [sheet, name, why])
            .collect(),
        findings,
        stamp: super::context::stamp(input),
    }
}
