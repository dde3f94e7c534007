//! The self-assessment's view (`self-assessment.typ.j2`): one project's
//! scorecard against peer results or the model's targets, grade, points to
//! the next grade, obstacle factors, red-line checklist and the data still
//! to fill in.

use super::peers::PeerResults;
use crate::model::{Indicator, Model, Scale};
use crate::report::ReportInput;
use crate::report::engine::map::{MapStyle, Panels};
use crate::report::fields::{FieldTable, display, input_fields};
use crate::report::parts::{self, AdjustmentRow, MapView, RedLine, Stamp};
use crate::report::text::{date_cn, fmt_num, fmt_value, fmt2, method, scaled_text, vocab};
use crate::score::{ProjectScore, Status, VetoStatus, expr};
use anyhow::{Result, anyhow};
use serde::Serialize;
use std::collections::BTreeMap;

/// Number of obstacle factors listed.
pub const TOP_OBSTACLES: usize = 5;

/// Everything `self-assessment.typ.j2` reads.
#[derive(Serialize)]
pub struct SelfAssessmentView {
    pub title: String,
    pub date: String,
    pub date_ymd: [i32; 3],
    /// `name（id 版本 version）`.
    pub model: String,
    pub project: Head,
    /// Peer results were given (`--cohort`).
    pub has_cohort: bool,
    /// What the project is compared against, in a sentence.
    pub basis: String,
    /// The project's place among the peers, empty without them.
    pub position: String,
    /// Points missing to the next grade, in a sentence.
    pub next_grade: String,
    pub dims: Vec<DimRow>,
    pub rows: Vec<IndicatorRow>,
    /// Why the indicator points do not add up to the total, empty under the weighted sum.
    pub aggregation_note: String,
    pub adjustments: Vec<AdjustmentRow>,
    pub obstacles: Vec<ObstacleRow>,
    pub redlines: Vec<RedLine>,
    pub missing: Vec<MissingRow>,
    pub findings: Vec<NoteRow>,
    /// The farmland before and after, side by side (drawn in [`map_style`]).
    pub map: MapView,
    pub stamp: Stamp,
}

/// The self-assessment's map: both stages across the A4 text width
/// (174 mm), panels at most 100 mm high.
pub fn map_style() -> MapStyle {
    MapStyle {
        max_panel_height_mm: Some(100.0),
        ..MapStyle::sized(174.0, Panels::Both)
    }
}

/// The assessed project's head block.
#[derive(Serialize)]
pub struct Head {
    pub id: String,
    pub name: String,
    /// `市 县`.
    pub place: String,
    /// Accepted on a date, or not yet.
    pub accepted: String,
    pub total: String,
    pub grade: String,
    pub vetoed: bool,
    /// The county's own total, empty when not given.
    pub self_score: String,
}

/// One dimension's points.
#[derive(Serialize)]
pub struct DimRow {
    pub name: String,
    pub earned: String,
    pub points: String,
    /// Mean points of the peers, empty without them.
    pub cohort: String,
}

/// One indicator row of the scoring table.
#[derive(Serialize)]
pub struct IndicatorRow {
    pub dimension: String,
    pub name: String,
    pub raw: String,
    /// What full marks require.
    pub target: String,
    pub scaled: String,
    /// Mean score rate of the peers, empty without them.
    pub cohort: String,
    pub weight: String,
    pub earned: String,
    pub lost: String,
    pub status: String,
}

/// One obstacle factor.
#[derive(Serialize)]
pub struct ObstacleRow {
    /// 1, 2, …
    pub order: String,
    pub dimension: String,
    pub indicator: String,
    pub lost: String,
    /// Obstacle degree as a percentage.
    pub degree: String,
}

/// A value to fill before acceptance.
#[derive(Serialize)]
pub struct MissingRow {
    pub sheet: String,
    pub field: String,
    /// The indicators and red lines that need it.
    pub needed_by: String,
}

/// A data-quality finding about the project.
#[derive(Serialize)]
pub struct NoteRow {
    pub severity: String,
    pub place: String,
    pub message: String,
}

/// A field still to fill: (field id, sheet name, field name, what needs it).
pub struct MissingField {
    pub id: String,
    pub sheet: String,
    pub name: String,
    pub needed_by: String,
}

/// The assessed project.
pub fn find<'a>(input: &'a ReportInput, id: &str) -> Result<&'a ProjectScore> {
    input.eval.projects.iter().find(|p| p.id == id).ok_or_else(|| {
        let ids: Vec<&str> = input.eval.projects.iter().take(10).map(|p| p.id.as_str()).collect();
        anyhow!("输入数据中没有项目编号为“{id}”的项目（已读取：{}）", ids.join("、"))
    })
}

/// What full marks require, in words.
fn target_text(ind: &Indicator, planned: Option<f64>) -> String {
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

/// Fields to fill before acceptance, in the order the indicators and red lines need them.
pub fn missing(input: &ReportInput, p: &ProjectScore) -> Vec<MissingField> {
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
            let needed_by = need.get(&f).map(|v| v.join("、")).unwrap_or_default();
            MissingField {
                id: f,
                sheet,
                name,
                needed_by,
            }
        })
        .collect()
}

fn indicator_rows(model: &Model, p: &ProjectScore, peers: Option<&PeerResults>) -> Vec<IndicatorRow> {
    p.indicators
        .iter()
        .zip(&model.indicators)
        .map(|(s, ind)| IndicatorRow {
            dimension: model.dimension_name(&ind.dimension).to_string(),
            name: ind.name.clone(),
            raw: fmt_value(ind, s.raw),
            target: target_text(ind, s.planned),
            scaled: scaled_text(s.scaled),
            cohort: peers
                .and_then(|c| c.indicator_mean.get(&s.id))
                .map_or_else(String::new, |x| format!("{}%", fmt_num(x * 100.0, 1))),
            weight: fmt2(s.weight),
            earned: fmt2(s.earned),
            lost: fmt2((s.weight - s.earned).max(0.0)),
            status: vocab::status_label(s.status).into(),
        })
        .collect()
}

fn dim_rows(model: &Model, p: &ProjectScore, peers: Option<&PeerResults>) -> Vec<DimRow> {
    p.dimensions
        .iter()
        .map(|d| DimRow {
            name: model.dimension_name(&d.id).to_string(),
            earned: fmt2(d.earned),
            points: fmt_num(d.points, 2),
            cohort: peers
                .and_then(|c| c.dimension_mean.get(&d.id))
                .map_or_else(String::new, |x| fmt2(*x)),
        })
        .collect()
}

/// The indicator of an obstacle, with its place in the model.
fn obstacle_indicator<'a>(model: &'a Model, id: &str) -> Option<&'a Indicator> {
    model.indicators.iter().find(|i| i.id == id)
}

fn obstacle_rows(model: &Model, p: &ProjectScore) -> Vec<ObstacleRow> {
    p.obstacles
        .iter()
        .filter_map(|o| Some((o, obstacle_indicator(model, &o.id)?)))
        .take(TOP_OBSTACLES)
        .enumerate()
        .map(|(k, (o, ind))| ObstacleRow {
            order: (k + 1).to_string(),
            dimension: model.dimension_name(&ind.dimension).to_string(),
            indicator: ind.name.clone(),
            lost: fmt2(o.lost),
            degree: format!("{}%", fmt_num(o.degree * 100.0, 1)),
        })
        .collect()
}

/// The comparison basis and the project's place among the peers.
fn basis_and_position(model: &Model, p: &ProjectScore, peers: Option<&PeerResults>) -> (String, String) {
    let Some(c) = peers else {
        return (
            "对照评估模型的目标值（未提供同批结果；目标类指标按模型设定的满分值计分，方案类指标按本项目实施方案目标计分）"
                .to_string(),
            String::new(),
        );
    };
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
    let position = if p.vetoed {
        "因一票否决，不参加同批排名。".to_string()
    } else {
        format!(
            "按本次自评得分，在同批 {} 个未否决项目中约列第 {} 位（同批平均 {} 分）。",
            c.totals.len(),
            c.rank_of(p.total),
            c.mean_total().map_or_else(|| "—".into(), fmt2)
        )
    };
    (basis, position)
}

/// Build the self-assessment's view.
pub fn build(input: &ReportInput, p: &ProjectScore, peers: Option<&PeerResults>) -> SelfAssessmentView {
    let model = input.model;
    let table = FieldTable::new(input.fields);
    let (basis, position) = basis_and_position(model, p, peers);
    let accepted = match table.get(&p.id, "accepted_on") {
        Some(v) => format!("已于 {} 通过整体验收", display(input.dict, "accepted_on", &v)),
        None => "尚未整体验收（验收前自评）".into(),
    };
    let findings = input
        .log
        .sorted()
        .into_iter()
        .filter(|f| f.raw == p.id || f.message.contains(&format!("“{}”", p.id)))
        .map(|f| NoteRow {
            severity: f.severity.label().to_string(),
            place: f.origin.to_string(),
            message: f.message.clone(),
        })
        .collect();
    SelfAssessmentView {
        title: format!("{}自评报告", p.name),
        date: date_cn(input.date),
        date_ymd: input.date,
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
            grade: model.grade_name(p.grade).to_string(),
            vetoed: p.vetoed,
            self_score: p.self_score.map(fmt2).unwrap_or_default(),
        },
        has_cohort: peers.is_some(),
        basis,
        position,
        next_grade: method::grade_gap(model, p),
        dims: dim_rows(model, p, peers),
        rows: indicator_rows(model, p, peers),
        aggregation_note: method::aggregation_note(model, p),
        adjustments: parts::adjustments(model, p),
        obstacles: obstacle_rows(model, p),
        redlines: parts::red_lines(input, &table, p),
        missing: missing(input, p)
            .into_iter()
            .map(|m| MissingRow {
                sheet: m.sheet,
                field: m.name,
                needed_by: m.needed_by,
            })
            .collect(),
        findings,
        map: parts::map_view(input, &p.id, Panels::Both),
        stamp: parts::stamp(input),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::engine::{self, fonts::FontSet, placeholder_charts};
    use crate::report::parts::InputRow;

    fn s(x: &str) -> String {
        x.to_string()
    }

    /// A view with every field filled; `peers` and `vetoed` switch the template's branches.
    fn full(peers: bool, vetoed: bool) -> SelfAssessmentView {
        SelfAssessmentView {
            title: s("样例项目自评报告"),
            date: s("2025年6月30日"),
            date_ymd: [2025, 6, 30],
            model: s("样例模型（sample 版本 1）"),
            project: Head {
                id: s("QL-1"),
                name: s("样例项目"),
                place: s("样例市 样例县"),
                accepted: s("尚未整体验收（验收前自评）"),
                total: s("88.50"),
                grade: s("良好"),
                vetoed,
                self_score: s("90.00"),
            },
            has_cohort: peers,
            basis: s("对照同批结果"),
            position: s("约列第 2 位"),
            next_grade: s("距“优秀”等级（90 分）还差 1.50 分。"),
            dims: vec![DimRow {
                name: s("执行过程"),
                earned: s("20.00"),
                points: s("25"),
                cohort: s("18.00"),
            }],
            rows: vec![IndicatorRow {
                dimension: s("执行过程"),
                name: s("实施进度完成率"),
                raw: s("95%"),
                target: s("满分 100%"),
                scaled: s("95%"),
                cohort: s("90%"),
                weight: s("6.00"),
                earned: s("5.70"),
                lost: s("0.30"),
                status: s("缺失计 0"),
            }],
            aggregation_note: s("本模型以 TOPSIS 贴近度汇总指标"),
            adjustments: vec![AdjustmentRow {
                name: s("跨乡镇整治"),
                points: s("+2.00"),
            }],
            obstacles: vec![ObstacleRow {
                order: s("1"),
                dimension: s("执行过程"),
                indicator: s("实施进度完成率"),
                lost: s("0.30"),
                degree: s("100%"),
            }],
            redlines: [true, false]
                .iter()
                .map(|&ok| RedLine {
                    name: s("耕地面积减少"),
                    rule: s("确保耕地数量不减少"),
                    values: s("整治前耕地面积 100 亩"),
                    cells: s("农用地整治!B3；农用地整治!C3"),
                    status: s(if ok { "未触碰" } else { "待核实（数据缺失）" }),
                    ok,
                })
                .collect(),
            missing: vec![MissingRow {
                sheet: s("农用地整治"),
                field: s("新增耕地核定方式"),
                needed_by: s("红线“新增耕地未实测”"),
            }],
            findings: vec![NoteRow {
                severity: s("警告"),
                place: s("样例县.xlsx / 项目台账 / C3"),
                message: s("估计值"),
            }],
            // The vetoed variant has no map: the template's other branch.
            map: MapView {
                title: s(vocab::MAP_TITLE),
                file: if vetoed { s("") } else { s("/maps/QL-1.svg") },
                note: if vetoed { s("") } else { s(vocab::MAP_NOTE) },
                missing: if vetoed { s(vocab::NO_MAP) } else { s("") },
                no_room: if vetoed { s("") } else { s(vocab::MAP_NO_ROOM) },
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
        }
    }

    #[test]
    fn the_bundled_template_reads_only_fields_the_view_has() {
        for (peers, vetoed) in [(true, false), (false, true)] {
            let markup = engine::render_typst(super::super::TEMPLATE, &full(peers, vetoed), None).expect("renders");
            assert_eq!(markup.contains("/maps/QL-1.svg"), !vetoed);
            assert_eq!(markup.contains(vocab::NO_MAP), vetoed);
            let files = placeholder_charts(&["/charts/radar.svg", "/charts/obstacles.svg", "/maps/QL-1.svg"]);
            let pdf =
                engine::compile_pdf(markup, files, &FontSet::load(None).unwrap(), [2025, 6, 30]).expect("compiles");
            assert!(pdf.pages >= 1);
        }
    }
}
