//! The one vocabulary of labels: indicator status, veto status, selection,
//! robustness verdicts, scoring rules and method notes. Every document and
//! the data-quality log take their words from here, so they cannot disagree.

use super::format::fmt_num;
use crate::fields::FieldDict;
use crate::ingest::{BlankCell, Finding, Origins, Severity};
use crate::model::{Adjust, Indicator, Model, Scale, Step, WeightMethod};
use crate::report::DateSource;
use crate::score::robust::Verdict;
use crate::score::weights::MethodNote;
use crate::score::{NotSelected, ScoreIssue, Status, VetoStatus};

/// How an indicator was treated, empty when it was scored normally.
pub fn status_label(s: Status) -> &'static str {
    match s {
        Status::Scored => "",
        Status::NotApplicable => "不适用",
        Status::MissingZero => "缺失计 0",
        Status::MissingExcluded => "缺失不计",
        Status::MissingError => "缺失（错误）",
    }
}

/// Why a project was not selected as a demonstration project.
pub fn not_selected_label(r: NotSelected) -> &'static str {
    match r {
        NotSelected::Vetoed => "一票否决",
        NotSelected::NotAccepted => "未通过整体验收",
        NotSelected::BelowMinimum => "低于入选最低分",
        NotSelected::CityFull => "所在市（州）名额已满",
        NotSelected::CountReached => "示范名额已满",
        NotSelected::GradeTooLow => "未达到要求的评估等级",
        NotSelected::RedlineUnknown => "红线待核实（数据缺失）",
    }
}

/// A red line's status, as every document and sheet prints it.
pub fn veto_status(s: VetoStatus) -> &'static str {
    match s {
        VetoStatus::Passed => "未触碰",
        VetoStatus::Breached => "触碰（一票否决）",
        VetoStatus::Unknown => "待核实（数据缺失）",
        VetoStatus::NotApplicable => "不涉及",
        VetoStatus::Deferred => "实施后核查",
    }
}

/// The ranking table's mark of a project with a red line 待核实.
pub const PENDING: &str = "待核实";

/// The title of a project's farmland map, on every document.
pub const MAP_TITLE: &str = "整治前后耕地分布";

/// The title of the after panel alone (the bulletin's typical cases).
pub const MAP_AFTER_TITLE: &str = "整治后耕地分布";

/// Under a project's farmland map: where it comes from.
pub const MAP_NOTE: &str = "按报送的国土调查图层绘制；图形仅为显示而简化，各项指标按原始图形计算。";

/// In place of the map where a scorecard leaves no room to draw it legibly.
pub const MAP_NO_ROOM: &str = "本页篇幅不足，未绘制整治前后耕地分布图（见该项目的县级自评报告）。";

/// In place of the map when a project submitted no 地类图斑 layer.
pub const NO_MAP: &str = "未报送国土调查地类图斑图层，无整治前后耕地分布图。";

/// Where a document's date came from, as the cover says it.
pub fn date_source(s: DateSource) -> &'static str {
    match s {
        DateSource::Given => "报告日期按 --date 指定",
        DateSource::LatestAcceptance => "报告日期取数据中最晚的整体验收时间",
    }
}

/// A project's selection verdict over the Monte Carlo draws.
pub fn verdict_label(v: Verdict) -> &'static str {
    match v {
        Verdict::StableIn => "稳定入选",
        Verdict::Marginal => "边缘",
        Verdict::StableOut => "稳定落选",
    }
}

/// An indicator's name, its id when the model has none such.
pub fn indicator_name<'a>(model: &'a Model, id: &'a str) -> &'a str {
    model
        .indicators
        .iter()
        .find(|i| i.id == id)
        .map_or(id, |i| i.name.as_str())
}

/// A veto's name, its id when the model has none such.
pub fn veto_name<'a>(model: &'a Model, id: &'a str) -> &'a str {
    model.vetoes.iter().find(|v| v.id == id).map_or(id, |v| v.name.as_str())
}

/// A scoring rule as a person reads a scoring sheet, in the indicator's
/// unit and with its points (`60% 及以下得 0 分，100% 及以上得满分 6 分，其间按比例`),
/// for the method table, `model show` and `explain`.
pub fn scale_rule(ind: &Indicator, points: f64) -> String {
    // "60% 及以下", "20 个及以下": no space between a Chinese unit and the word after it.
    let at_or = |x: f64, word: &str| joined(&threshold(ind, x), word);
    let full = format!("满分 {} 分", fmt_num(points, 2));
    match &ind.scale {
        Scale::Plan { cap, .. } => format!(
            "按实施方案目标完成率（实际 ÷ 目标）计分：完成率 {}% 及以上得{full}，其下按比例；方案未设定该项任务的不适用、不扣分",
            fmt_num(cap * 100.0, 2)
        ),
        Scale::Target { floor, target } if floor == target => {
            format!("达到 {}得{full}，否则得 0 分", at_or(*target, ""))
        }
        Scale::Target { floor, target } if floor > target => format!(
            "越低越好：{}得 0 分，{}得{full}，其间按比例",
            at_or(*floor, "及以上"),
            at_or(*target, "及以下")
        ),
        Scale::Target { floor, target } => format!(
            "{}得 0 分，{}得{full}，其间按比例",
            at_or(*floor, "及以下"),
            at_or(*target, "及以上")
        ),
        Scale::Minmax { lower_is_better } => format!(
            "同批比较：{}者得{full}，{}者得 0 分，其间按比例",
            best_word(*lower_is_better),
            worst_word(*lower_is_better)
        ),
        Scale::Rank { lower_is_better } => format!(
            "同批排位：按百分位计分，{}者得{full}，{}者得 0 分",
            best_word(*lower_is_better),
            worst_word(*lower_is_better)
        ),
        Scale::Steps { steps, lower_is_better } => steps_rule(ind, steps, *lower_is_better, points),
        Scale::Bool { invert } => {
            let (yes, no) = if *invert { ("否", "是") } else { ("是", "否") };
            format!("{yes}得{full}，{no}得 0 分")
        }
        Scale::Piecewise { points: knots } => piecewise_rule(ind, knots, points),
    }
}

fn best_word(lower_is_better: bool) -> &'static str {
    if lower_is_better { "最低" } else { "最高" }
}

fn worst_word(lower_is_better: bool) -> &'static str {
    best_word(!lower_is_better)
}

/// A threshold in the indicator's unit: `95%`, `20 个`, `1.5 倍`.
fn threshold(ind: &Indicator, x: f64) -> String {
    match ind.unit.as_deref() {
        Some("%") => format!("{}%", fmt_num(x * 100.0, 2)),
        Some("是/否") | Some("文本") | None => fmt_num(x, 2),
        Some(u) => format!("{} {u}", fmt_num(x, 2)),
    }
}

/// `text` and the Chinese word after it: `60% 及以下`, but `20 个及以下`
/// (no space after a Chinese unit). With an empty word, the text and its spacing.
fn joined(text: &str, word: &str) -> String {
    if text.chars().last().is_some_and(|c| c > '\u{2E80}') {
        format!("{text}{word}")
    } else {
        format!("{text} {word}")
    }
}

/// What a score rate earns: `得满分 6 分`, `得 3.2 分`, `得 0 分`.
fn earns(rate: f64, points: f64) -> String {
    if rate >= 1.0 {
        format!("得满分 {} 分", fmt_num(points, 2))
    } else {
        format!("得 {} 分", fmt_num(rate.max(0.0) * points, 2))
    }
}

/// `≥95% 得满分 4 分；≥90% 得 3.2 分；低于 90% 得 0 分`, best step first.
fn steps_rule(ind: &Indicator, steps: &[Step], lower_is_better: bool, points: f64) -> String {
    let mut sorted: Vec<&Step> = steps.iter().collect();
    sorted.sort_by(|a, b| b.value.total_cmp(&a.value));
    let op = if lower_is_better { "≤" } else { "≥" };
    let mut parts: Vec<String> = sorted
        .iter()
        .map(|s| format!("{op}{}{}", joined(&threshold(ind, s.at), ""), earns(s.value, points)))
        .collect();
    let last = if lower_is_better {
        steps.iter().map(|s| s.at).fold(f64::NEG_INFINITY, f64::max)
    } else {
        steps.iter().map(|s| s.at).fold(f64::INFINITY, f64::min)
    };
    if last.is_finite() {
        let beyond = if lower_is_better { "高于" } else { "低于" };
        parts.push(format!("{beyond} {}得 0 分", joined(&threshold(ind, last), "")));
    }
    parts.join("；")
}

/// `67% 及以下得 0 分，80% 得 2.4 分，95% 及以上得满分 4 分，其间按线性插值`.
fn piecewise_rule(ind: &Indicator, knots: &[[f64; 2]], points: f64) -> String {
    let n = knots.len();
    let parts: Vec<String> = knots
        .iter()
        .enumerate()
        .map(|(k, [x, rate])| {
            let value = threshold(ind, *x);
            let value = match (k, n) {
                (_, 1) => joined(&value, ""),
                (0, _) => joined(&value, "及以下"),
                (k, n) if k + 1 == n => joined(&value, "及以上"),
                _ => joined(&value, ""),
            };
            format!("{value}{}", earns(*rate, points))
        })
        .collect();
    if n > 1 {
        format!("{}，其间按线性插值", parts.join("，"))
    } else {
        parts.join("，")
    }
}

/// A method note as a sentence of the method section.
pub fn method_note(model: &Model, note: &MethodNote) -> String {
    match note {
        MethodNote::ZeroObjectiveWeight { indicator, method } => format!(
            "指标“{}”在本批项目中取值相同，{}权重为 0",
            indicator_name(model, indicator),
            method.label()
        ),
        MethodNote::Combination { alpha } => format!(
            "组合权重 = {alpha} × 主观权重 + {} × 客观权重",
            ((1.0 - alpha) * 1e6).round() / 1e6
        ),
        MethodNote::FlooredZeros {
            indicator,
            projects,
            floor,
        } => format!(
            "加权几何平均要求换算值大于 0：指标“{}”有 {projects} 个项目换算值为 0，按下限 {floor} 计算",
            indicator_name(model, indicator)
        ),
        MethodNote::ConstantRelative { indicator } => {
            let how = model
                .indicators
                .iter()
                .find(|i| i.id == *indicator)
                .filter(|i| i.scale.is_relative())
                .map_or_else(|| "TOPSIS".to_string(), |i| scale_rule(i, i.points));
            format!(
                "指标“{}”在本批项目中换算值全部相同，同批比较（{how}）无法区分项目，该指标不影响排序",
                indicator_name(model, indicator)
            )
        }
        MethodNote::PointsNormalised { method, total } => {
            format!("{}得到的权重已归一化并换算为分值，合计 {total:.2} 分", method.label())
        }
        MethodNote::NotBatchRelative => {
            "本模型的换算与权重不依赖同批其他项目，增减项目不会改变其余项目的相对顺序（秩反转检验不适用）".into()
        }
        MethodNote::ObjectiveImputed {
            method,
            cells,
            indicators,
        } => imputation_rule(model, *method, *cells, indicators),
    }
}

/// The imputation rule of the objective weights, with the cells filled.
pub fn imputation_rule(model: &Model, method: WeightMethod, cells: usize, indicators: &[(String, usize)]) -> String {
    let which = if indicators.is_empty() {
        String::new()
    } else {
        let parts: Vec<String> = indicators
            .iter()
            .map(|(id, n)| format!("“{}”{n} 个", indicator_name(model, id)))
            .collect();
        format!("：{}", parts.join("、"))
    };
    format!(
        "{}计算客观权重时，缺失计 0 的单元格按 0 计入，不适用或缺失不计的单元格以该指标其余项目换算值的均值填补（本次共填补 {cells} 个单元格{which}）",
        method.label()
    )
}

/// A score-stage issue as a data-quality finding, located at the project's
/// 项目编号 cell.
pub fn issue_finding(issue: &ScoreIssue, model: &Model, dict: &FieldDict, origins: &Origins) -> Finding {
    match issue {
        ScoreIssue::IndicatorMissing {
            project,
            indicator,
            status,
            fields,
        } => {
            // The blank cells to fill when they can be named, else the fields.
            let (at, cells) = cells_to_fill(project, fields, dict, origins);
            let names: Vec<&str> = fields.iter().map(|f| dict.label(f).unwrap_or(f)).collect();
            let what = if !cells.is_empty() {
                format!("缺少：{}", cells.join("、"))
            } else if names.is_empty() {
                "计算结果无效（如除数为 0）".to_string()
            } else {
                format!("缺少：{}", names.join("、"))
            };
            let (severity, outcome) = match status {
                Status::MissingError => (Severity::Error, "模型要求必须填写"),
                Status::MissingExcluded => (Severity::Warning, "该指标不计分，分值在维度内重新分配"),
                _ => (Severity::Warning, "该指标按 0 分计"),
            };
            Finding {
                severity,
                origin: at
                    .or_else(|| origins.cell(project, "project_id").cloned())
                    .unwrap_or_default(),
                raw: String::new(),
                message: format!(
                    "项目“{project}”指标“{}”{what}；{outcome}",
                    indicator_name(model, indicator)
                ),
            }
        }
        ScoreIssue::VetoUnknown { project, veto, fields } => {
            redline_unknown(project, veto, fields, model, dict, origins)
        }
    }
}

/// An unknown red line as an error naming the cells to fill, located at
/// the first of them.
fn redline_unknown(
    project: &str,
    veto: &str,
    fields: &[String],
    model: &Model,
    dict: &FieldDict,
    origins: &Origins,
) -> Finding {
    let (first, cells) = cells_to_fill(project, fields, dict, origins);
    let what = if cells.is_empty() {
        "所需数据无法计算".to_string()
    } else {
        format!("请填写{}", cells.join("、"))
    };
    Finding {
        severity: Severity::Error,
        origin: first
            .or_else(|| origins.cell(project, "project_id").cloned())
            .unwrap_or_default(),
        raw: String::new(),
        message: format!(
            "项目“{project}”红线“{}”无法核查（{}）：{what}（确不涉及的填“不涉及”）；核实前该项目不得入选示范、不得获得奖补",
            veto_name(model, veto),
            veto_status(VetoStatus::Unknown)
        ),
    }
}

/// The blank input cells behind `fields` (through derived fields), each
/// `“名称”（文件 / 工作表 / 单元格）` at the project's row and the field's
/// column of its sheet, or saying that the column or the row is missing;
/// with the first such cell.
fn cells_to_fill(
    project: &str,
    fields: &[String],
    dict: &FieldDict,
    origins: &Origins,
) -> (Option<crate::ingest::Origin>, Vec<String>) {
    let mut first = None;
    let mut cells = Vec::new();
    for f in crate::report::fields::input_fields(dict, fields.iter().cloned()) {
        let Some(def) = dict.field(&f) else { continue };
        // A filled value does not need filling; a “不涉及” that left the
        // value unknown does (e.g. 核定方式 不涉及 with new farmland > 0).
        if origins.cell(project, &f).is_some() && !origins.not_applicable.contains(project, &f) {
            continue;
        }
        let sheet = dict.sheet(&def.sheet).map_or(def.sheet.as_str(), |s| s.name.as_str());
        let (place, at) = match origins.blank_cell(project, &def.sheet, &f) {
            BlankCell::Cell(o) => (o.to_string(), Some(o)),
            BlankCell::NoColumn { file, sheet } => (
                format!("{file} / {sheet} 缺少该列"),
                Some(crate::ingest::Origin::new(&file, &sheet, String::new())),
            ),
            BlankCell::NoRow => (format!("“{sheet}”工作表中没有该项目的行"), None),
        };
        first = first.or(at);
        cells.push(format!("“{}”（{place}）", def.name));
    }
    (first, cells)
}

/// An adjustment rule's points as the method table shows them: `+2`, `-2/次，至多 6`.
pub fn adjust_points(a: &Adjust) -> String {
    let mut points = format!("{:+}", a.points);
    if a.per.is_some() {
        points.push_str("/次");
    }
    if let Some(m) = a.max {
        points.push_str(&format!("，至多 {}", fmt_num(m, 2)));
    }
    points
}
