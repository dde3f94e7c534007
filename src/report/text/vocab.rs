//! The one vocabulary of labels: indicator status, veto status, selection,
//! robustness verdicts, scoring rules and method notes. Every document and
//! the data-quality log take their words from here, so they cannot disagree.

use super::format::fmt_num;
use crate::fields::FieldDict;
use crate::ingest::{Finding, Origins, Severity};
use crate::model::{Adjust, Model, Scale};
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
    }
}

/// A red line's status, as every document and sheet prints it.
pub fn veto_status(s: VetoStatus) -> &'static str {
    match s {
        VetoStatus::Passed => "未触碰",
        VetoStatus::Breached => "触碰（一票否决）",
        VetoStatus::Unknown => "待核实（数据缺失）",
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

/// A scoring rule in words, for the method table and `model show`.
pub fn scale_rule(scale: &Scale) -> String {
    match scale {
        Scale::Plan { cap, .. } => {
            format!("完成率：实际 ÷ 实施方案目标，上限 {}%；方案未设定则不适用", cap * 100.0)
        }
        Scale::Target { floor, target } if floor > target => {
            format!("越低越好：{floor} 得 0，{target} 得满分")
        }
        Scale::Target { floor, target } => format!("线性：{floor} 得 0，{target} 得满分"),
        Scale::Minmax { lower_is_better } => {
            if *lower_is_better {
                "同批比较：最低者满分，最高者 0".into()
            } else {
                "同批比较：最高者满分，最低者 0".into()
            }
        }
        Scale::Steps { steps, lower_is_better } => {
            let op = if *lower_is_better { "≤" } else { "≥" };
            steps
                .iter()
                .map(|s| format!("{op}{} 得 {}", s.at, s.value))
                .collect::<Vec<_>>()
                .join("；")
        }
        Scale::Bool { invert } => {
            if *invert {
                "否得满分，是得 0".into()
            } else {
                "是得满分，否得 0".into()
            }
        }
        Scale::Rank { lower_is_better } => {
            if *lower_is_better {
                "同批排位：最低者满分，最高者 0，按百分位".into()
            } else {
                "同批排位：最高者满分，最低者 0，按百分位".into()
            }
        }
        Scale::Piecewise { points } => {
            let pts: Vec<String> = points.iter().map(|p| format!("{} → {}", p[0], p[1])).collect();
            format!("分段线性：{}", pts.join("，"))
        }
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
                .map_or_else(|| "TOPSIS".to_string(), |i| scale_rule(&i.scale));
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
    }
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
            let names: Vec<&str> = fields.iter().map(|f| dict.label(f).unwrap_or(f)).collect();
            let what = if names.is_empty() {
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
                origin: origins.cell(project, "project_id").cloned().unwrap_or_default(),
                raw: project.clone(),
                message: format!(
                    "项目“{project}”指标“{}”{what}；{outcome}",
                    indicator_name(model, indicator)
                ),
            }
        }
        ScoreIssue::VetoUnknown { project, veto } => Finding {
            severity: Severity::Warning,
            origin: origins.cell(project, "project_id").cloned().unwrap_or_default(),
            raw: project.clone(),
            message: format!("项目“{project}”缺少核查否决项“{veto}”所需的数据，无法判断是否触碰红线"),
        },
    }
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
