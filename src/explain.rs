//! `landeval explain`: how one project's score came from which cells.
//!
//! For each indicator: the expression, every field it reads with its value,
//! origin cell (file / sheet / A1) and unit conversion — or, for a derived
//! field, its rule and the detail rows it sums — then the scaling, the
//! re-weighted points and the points earned. Uses only what ingest, metrics
//! and score already expose; computes nothing of its own.

use crate::fields::FieldDict;
use crate::ingest::DetailRows;
use crate::ingest::cell::format_number;
use crate::model::{Indicator, Scale};
use crate::pipeline::Run;
use crate::report::text::vocab;
use crate::score::expr;
use crate::score::{IndicatorScore, ProjectScore, Status, VetoStatus};
use anyhow::{Result, anyhow, bail};
use polars::prelude::{AnyValue, DataFrame};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// Text explaining one project's score (or one indicator of it).
pub fn explain(run: &Run, project: &str, indicator: Option<&str>) -> Result<String> {
    let Some(p) = run.eval.projects.iter().find(|p| p.id == project) else {
        let known: Vec<&str> = run.eval.projects.iter().map(|p| p.id.as_str()).take(10).collect();
        bail!(
            "没有项目编号为“{project}”的项目（输入中的项目如：{}）",
            known.join("、")
        );
    };
    if let Some(id) = indicator
        && !run.model.indicators.iter().any(|i| i.id == id || i.name == id)
    {
        bail!(
            "模型 {} 中没有指标“{id}”（用 landeval model show 查看指标）",
            run.model.model.id
        );
    }
    let table = &run.table;
    let row = row_of(table, project)?;
    let mut out = String::new();
    header(&mut out, run, p);
    for ind in &run.model.indicators {
        if indicator.is_some_and(|id| ind.id != id && ind.name != id) {
            continue;
        }
        let Some(s) = p.indicators.iter().find(|s| s.id == ind.id) else {
            continue;
        };
        explain_indicator(&mut out, run, table, row, project, ind, s)?;
    }
    if indicator.is_none() {
        vetoes(&mut out, run, table, row, project, p)?;
    }
    Ok(out)
}

fn row_of(table: &DataFrame, project: &str) -> Result<usize> {
    let ids = table.column("project_id")?.str()?.clone();
    ids.iter()
        .position(|v| v == Some(project))
        .ok_or_else(|| anyhow!("项目“{project}”不在指标表中"))
}

fn header(out: &mut String, run: &Run, p: &ProjectScore) {
    let _ = writeln!(out, "项目 {}：{}（{} {}）", p.id, p.name, p.city, p.county);
    let rank = p.rank.map_or("—".to_string(), |r| r.to_string());
    let _ = writeln!(
        out,
        "模型 {}（{}）：总分 {} = 指标得分 {} + 加分 {} − 扣分 {}{}；等级 {}；排名 {}{}",
        run.model.model.id,
        run.model.model.version,
        fmt2(p.total),
        fmt2(p.indicator_total),
        fmt2(p.bonus),
        fmt2(p.deduction),
        if (p.indicator_total + p.bonus - p.deduction - p.total).abs() > 1e-9 {
            "（限定在 0–100 分）"
        } else {
            ""
        },
        run.model.grade_name(p.grade),
        rank,
        if p.vetoed { "（一票否决）" } else { "" }
    );
}

fn fmt2(x: f64) -> String {
    format_number((x * 100.0).round() / 100.0)
}

/// A cell of the project table shown as text.
fn shown(table: &DataFrame, row: usize, field: &str) -> String {
    match table.column(field).and_then(|c| c.get(row)) {
        Ok(AnyValue::Null) | Err(_) => "（空）".into(),
        Ok(AnyValue::Float64(x)) => format_number((x * 1e6).round() / 1e6),
        Ok(AnyValue::Boolean(b)) => if b { "是" } else { "否" }.into(),
        Ok(AnyValue::String(s)) => s.to_string(),
        Ok(v) => v.to_string(),
    }
}

fn fields_of(text: &str) -> BTreeSet<String> {
    expr::parse(text).map(|e| expr::fields_of(&e)).unwrap_or_default()
}

/// One line per field read: value and where it came from.
fn inputs(out: &mut String, run: &Run, table: &DataFrame, row: usize, project: &str, fields: &BTreeSet<String>) {
    inputs_at(out, run, table, row, project, fields, 1);
}

fn inputs_at(
    out: &mut String,
    run: &Run,
    table: &DataFrame,
    row: usize,
    project: &str,
    fields: &BTreeSet<String>,
    depth: usize,
) {
    let dict: &FieldDict = &run.dict;
    let indent = "    ".repeat(depth);
    for f in fields {
        let label = dict.label(f).unwrap_or(f);
        let na = run.not_applicable.contains(project, f);
        let value = if na {
            NOT_APPLICABLE.to_string()
        } else {
            shown(table, row, f)
        };
        let unit = dict
            .field(f)
            .and_then(|d| d.unit.clone())
            .or_else(|| dict.derived(f).and_then(|d| d.unit.clone()))
            .filter(|u| u != "是/否")
            .unwrap_or_default();
        let unit = if na { String::new() } else { unit };
        let pct = if unit == "%" && value != "（空）" {
            "（小数，1 = 100%）"
        } else {
            ""
        };
        let unit = if pct.is_empty() { unit } else { String::new() };
        let _ = write!(out, "{indent}{f}（{label}）= {value}{unit}{pct}");
        match run.dataset.origins.cell(project, f) {
            Some(o) => {
                let _ = write!(out, "  ← {o}");
                if let Some(c) = run.dataset.origins.conversion(project, f) {
                    let _ = write!(out, "（单位换算：{c}）");
                }
                out.push('\n');
            }
            None => match dict.derived(f) {
                Some(d) => {
                    let _ = writeln!(out, "  ← 派生：{}", d.rule);
                    let raw: BTreeSet<String> = d.from.iter().filter(|s| dict.sheet(s).is_none()).cloned().collect();
                    if depth < 3 {
                        inputs_at(out, run, table, row, project, &raw, depth + 1);
                    }
                    for src in d.from.iter().filter(|s| dict.sheet(s).is_some()) {
                        detail_rows(out, run, project, src, &indent);
                    }
                }
                None => out.push_str("  ← 未填报\n"),
            },
        }
    }
}

/// How `explain` shows a value written “不涉及” (or derived only from such values).
const NOT_APPLICABLE: &str = "不涉及（不适用）";

/// The detail rows a derived field sums (资金台账, 图斑明细 …).
fn detail_rows(out: &mut String, run: &Run, project: &str, sheet: &str, indent: &str) {
    let Some(rows) = run.dataset.origins.rows.get(&(sheet.to_string(), project.to_string())) else {
        return;
    };
    for g in &rows.groups {
        let shown = &g.first[..g.first.len().min(DetailRows::SHOWN)];
        let more = if g.count > shown.len() { " 等" } else { "" };
        let _ = writeln!(
            out,
            "{indent}    {} / {}：{}{more}（共 {} 行）",
            g.file,
            g.sheet,
            shown.join("、"),
            g.count
        );
    }
}

fn status_text(s: Status) -> &'static str {
    match s {
        Status::Scored => "已计分",
        Status::NotApplicable => {
            "不适用（方案未设定该任务、填报“不涉及”或不满足适用条件），分值按维度内其他指标重新分配"
        }
        Status::MissingZero => "数据缺失，按 0 分计",
        Status::MissingExcluded => "数据缺失，不计入，分值按维度内其他指标重新分配",
        Status::MissingError => "数据缺失（模型要求必须填报）",
    }
}

fn opt(x: Option<f64>) -> String {
    x.map_or("（无）".into(), |v| format_number((v * 1e6).round() / 1e6))
}

fn explain_indicator(
    out: &mut String,
    run: &Run,
    table: &DataFrame,
    row: usize,
    project: &str,
    ind: &Indicator,
    s: &IndicatorScore,
) -> Result<()> {
    let _ = writeln!(
        out,
        "\n【{}】{}（满分 {} 分）",
        ind.id,
        ind.name,
        format_number(ind.points)
    );
    let _ = writeln!(out, "  计算式：{}", ind.expr);
    let mut fields = fields_of(&ind.expr);
    if let Scale::Plan { planned, .. } = &ind.scale {
        let _ = writeln!(out, "  方案目标：{planned}");
        fields.extend(fields_of(planned));
    }
    if let Some(a) = &ind.applies {
        let _ = writeln!(out, "  适用条件：{a}");
        fields.extend(fields_of(a));
    }
    out.push_str("  取值：\n");
    inputs(out, run, table, row, project, &fields);
    let raw = match (s.raw, ind.unit.as_deref()) {
        (Some(x), Some("%")) => format!("{} = {}%", opt(Some(x)), opt(Some(x * 100.0))),
        (Some(x), Some(u)) => format!("{}{u}", opt(Some(x))),
        (x, _) => opt(x),
    };
    let _ = writeln!(out, "  原始值：{raw}");
    if s.planned.is_some() {
        let _ = writeln!(out, "  目标值：{}", opt(s.planned));
    }
    let _ = writeln!(
        out,
        "  标准化：{} → 得分率 {}",
        crate::report::text::vocab::scale_rule(ind, if s.weight > 0.0 { s.weight } else { ind.points }),
        opt(s.scaled)
    );
    let _ = writeln!(
        out,
        "  得分：{} × 得分率 = {} 分（{}）",
        fmt2(s.weight),
        fmt2(s.earned),
        status_text(s.status)
    );
    if !s.missing_fields.is_empty() {
        let names: Vec<&str> = s
            .missing_fields
            .iter()
            .map(|f| run.dict.label(f).unwrap_or(f))
            .collect();
        let _ = writeln!(out, "  缺失字段：{}", names.join("、"));
    }
    Ok(())
}

fn vetoes(out: &mut String, run: &Run, table: &DataFrame, row: usize, project: &str, p: &ProjectScore) -> Result<()> {
    out.push_str("\n【一票否决】\n");
    for v in &run.model.vetoes {
        let status = p.vetoes.iter().find(|c| c.id == v.id).map(|c| c.status);
        let text = status.map_or("—", vocab::veto_status);
        let _ = writeln!(out, "  {}：{text}（条件 {}）", v.name, v.when);
        if let Some(reason) = v.deferred.as_deref().filter(|_| status == Some(VetoStatus::Deferred)) {
            let _ = writeln!(out, "    模型说明：{reason}");
        }
        if status.is_some_and(|s| s != VetoStatus::Passed) {
            inputs(out, run, table, row, project, &fields_of(&v.when));
        }
    }
    Ok(())
}
