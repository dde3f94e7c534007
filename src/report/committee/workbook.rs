//! The committee workbook `评估结果.xlsx`: 排名, 指标得分, 否决与扣分,
//! 示范候选, 数据质量, 原始数据.
//!
//! User strings are written with `write_string`, so a value starting with
//! `=` stays text and never becomes a formula.

use crate::model::Aggregation;
use crate::report::ReportInput;
use crate::report::fields::{FieldTable, Shown};
use crate::report::text::vocab::{self, not_selected_label, status_label};
use crate::report::text::{fmt_num, fmt_value};
use crate::report::workbook::{header_format, new_workbook, opt_num, pct, save, write_header, write_quality_rows};
use crate::score::VetoStatus;
use anyhow::Result;
use rust_xlsxwriter::{Chart, ChartType, ConditionalFormat3ColorScale, Format, Worksheet};
use std::path::Path;

/// Write `评估结果.xlsx`.
pub fn write(path: &Path, input: &ReportInput) -> Result<()> {
    let mut wb = new_workbook(&format!("{}评估结果", input.model.model.name), input.date)?;
    ranking_sheet(wb.add_worksheet(), input)?;
    indicator_sheet(wb.add_worksheet(), input)?;
    veto_sheet(wb.add_worksheet(), input)?;
    super::candidates::sheet(wb.add_worksheet(), input)?;
    quality_sheet(wb.add_worksheet(), input)?;
    raw_sheet(wb.add_worksheet(), input)?;
    save(wb, path)
}

fn ranking_sheet(ws: &mut Worksheet, input: &ReportInput) -> Result<()> {
    ws.set_name("排名")?;
    let model = input.model;
    let mut heads: Vec<(String, f64)> = vec![
        ("排名".into(), 6.0),
        ("项目编号".into(), 13.0),
        ("项目名称".into(), 36.0),
        ("市（州）".into(), 10.0),
        ("县（市、区）".into(), 10.0),
    ];
    for dim in &model.dimensions {
        let points = input.eval.method.dimension_points(model, &dim.id);
        heads.push((format!("{}（{}分）", dim.name, fmt_num(points, 2)), 11.0));
    }
    // Under geometric or TOPSIS aggregation the dimension points do not add
    // up to the indicator total, so the sheet shows that total too.
    let aggregated = model.model.aggregation != Aggregation::Sum;
    if aggregated {
        heads.push((format!("指标总分（{}）", model.model.aggregation.label()), 14.0));
    }
    for h in [
        "加分",
        "扣分",
        "总分",
        "等级",
        "示范样板",
        "未入选原因",
        "否决事项",
        "自评总分",
    ] {
        heads.push((h.into(), if h == "否决事项" { 24.0 } else { 10.0 }));
    }
    let heads_ref: Vec<(&str, f64)> = heads.iter().map(|(s, w)| (s.as_str(), *w)).collect();
    write_header(ws, &heads_ref)?;
    let num = Format::new().set_num_format("0.00");
    let n = input.eval.projects.len() as u32;
    for (i, p) in input.eval.projects.iter().enumerate() {
        let r = i as u32 + 1;
        match p.rank {
            Some(k) => ws.write_number(r, 0, k)?,
            None => ws.write_string(r, 0, "—")?,
        };
        ws.write_string(r, 1, &p.id)?;
        ws.write_string(r, 2, &p.name)?;
        ws.write_string(r, 3, &p.city)?;
        ws.write_string(r, 4, &p.county)?;
        let mut c = 5u16;
        for dsc in &p.dimensions {
            ws.write_number_with_format(r, c, dsc.earned, &num)?;
            c += 1;
        }
        if aggregated {
            ws.write_number_with_format(r, c, p.indicator_total, &num)?;
            c += 1;
        }
        ws.write_number_with_format(r, c, p.bonus, &num)?;
        ws.write_number_with_format(r, c + 1, p.deduction, &num)?;
        ws.write_number_with_format(r, c + 2, p.total, &num)?;
        ws.write_string(r, c + 3, model.grade_name(p.grade))?;
        ws.write_string(r, c + 4, if p.selected { "是" } else { "" })?;
        ws.write_string(r, c + 5, p.not_selected.map(not_selected_label).unwrap_or(""))?;
        let breached: Vec<&str> = p
            .vetoes
            .iter()
            .zip(&model.vetoes)
            .filter(|(v, _)| v.status == VetoStatus::Breached)
            .map(|(_, m)| m.name.as_str())
            .collect();
        ws.write_string(r, c + 6, breached.join("、"))?;
        opt_num(ws, r, c + 7, p.self_score, &num)?;
    }
    let total_col = 5 + model.dimensions.len() as u16 + u16::from(aggregated) + 2;
    if n > 0 {
        ws.add_conditional_format(1, total_col, n, total_col, &ConditionalFormat3ColorScale::new())?;
    }
    ws.autofilter(0, 0, n, total_col + 5)?;
    totals_chart(ws, n, total_col)?;
    Ok(())
}

fn indicator_sheet(ws: &mut Worksheet, input: &ReportInput) -> Result<()> {
    ws.set_name("指标得分")?;
    write_header(
        ws,
        &[
            ("项目编号", 13.0),
            ("项目名称", 30.0),
            ("维度", 10.0),
            ("指标", 22.0),
            ("原始值", 14.0),
            ("方案目标", 10.0),
            ("得分率", 9.0),
            ("分值（重新分配后）", 10.0),
            ("得分", 9.0),
            ("状态", 10.0),
        ],
    )?;
    let num = Format::new().set_num_format("0.00");
    let pct = Format::new().set_num_format("0.0%");
    let mut r = 1u32;
    for p in &input.eval.projects {
        for (s, ind) in p.indicators.iter().zip(&input.model.indicators) {
            ws.write_string(r, 0, &p.id)?;
            ws.write_string(r, 1, &p.name)?;
            let dim = input.model.dimension_name(&ind.dimension);
            ws.write_string(r, 2, dim)?;
            ws.write_string(r, 3, &ind.name)?;
            ws.write_string(r, 4, fmt_value(ind, s.raw))?;
            opt_num(ws, r, 5, s.planned, &num)?;
            opt_num(ws, r, 6, s.scaled, &pct)?;
            ws.write_number_with_format(r, 7, s.weight, &num)?;
            ws.write_number_with_format(r, 8, s.earned, &num)?;
            ws.write_string(r, 9, status_label(s.status))?;
            r += 1;
        }
    }
    if r > 1 {
        ws.add_conditional_format(1, 6, r - 1, 6, &ConditionalFormat3ColorScale::new())?;
        ws.autofilter(0, 0, r - 1, 9)?;
    }
    Ok(())
}

fn veto_sheet(ws: &mut Worksheet, input: &ReportInput) -> Result<()> {
    ws.set_name("否决与扣分")?;
    write_header(
        ws,
        &[
            ("项目编号", 13.0),
            ("项目名称", 30.0),
            ("类型", 8.0),
            ("事项", 22.0),
            ("分值", 8.0),
            ("依据", 60.0),
        ],
    )?;
    let num = Format::new().set_num_format("+0.00;-0.00;0");
    let mut r = 1u32;
    for p in &input.eval.projects {
        for (v, m) in p.vetoes.iter().zip(&input.model.vetoes) {
            if !v.status.blocks() {
                continue;
            }
            let kind = vocab::veto_status(v.status);
            ws.write_string(r, 0, &p.id)?;
            ws.write_string(r, 1, &p.name)?;
            ws.write_string(r, 2, kind)?;
            ws.write_string(r, 3, &m.name)?;
            ws.write_string(r, 5, &m.basis)?;
            r += 1;
        }
        for h in &p.adjustments {
            let Some(m) = input.model.adjustments.iter().find(|a| a.id == h.id) else {
                continue;
            };
            ws.write_string(r, 0, &p.id)?;
            ws.write_string(r, 1, &p.name)?;
            ws.write_string(r, 2, if h.points >= 0.0 { "加分" } else { "扣分" })?;
            ws.write_string(r, 3, &m.name)?;
            ws.write_number_with_format(r, 4, h.points, &num)?;
            ws.write_string(r, 5, &m.basis)?;
            r += 1;
        }
    }
    if r > 1 {
        ws.autofilter(0, 0, r - 1, 5)?;
    }
    Ok(())
}

fn quality_sheet(ws: &mut Worksheet, input: &ReportInput) -> Result<()> {
    ws.set_name("数据质量")?;
    write_quality_rows(ws, input.log)
}

/// 原始数据: the project-level field table (every input and derived field),
/// Chinese headers with units.
pub fn raw_sheet(ws: &mut Worksheet, input: &ReportInput) -> Result<()> {
    ws.set_name("原始数据")?;
    let table = FieldTable::new(input.fields);
    let cols: Vec<String> = table.columns();
    let h = header_format();
    for (c, f) in cols.iter().enumerate() {
        let label = match (input.dict.field(f), input.dict.derived(f)) {
            (Some(d), _) => d.header(),
            (None, Some(d)) => match &d.unit {
                Some(u) => format!("{}（{}）", d.name, u),
                None => d.name.clone(),
            },
            _ => f.clone(),
        };
        ws.write_string_with_format(0, c as u16, label, &h)?;
        ws.set_column_width(c as u16, 12)?;
    }
    ws.set_row_height(0, 42)?;
    ws.set_freeze_panes(1, 2)?;
    let percent = pct();
    for (r, p) in (1u32..).zip(&input.eval.projects) {
        for (c, f) in cols.iter().enumerate() {
            let c = c as u16;
            match table.get(&p.id, f) {
                None => {}
                Some(Shown::Text(s)) => {
                    ws.write_string(r, c, s)?;
                }
                Some(Shown::Flag(b)) => {
                    ws.write_string(r, c, if b { "是" } else { "否" })?;
                }
                Some(Shown::Number(x)) => {
                    let is_pct = input.dict.field(f).is_some_and(|d| d.is_percent())
                        || input.dict.derived(f).is_some_and(|d| d.unit.as_deref() == Some("%"));
                    if is_pct {
                        ws.write_number_with_format(r, c, x, &percent)?;
                    } else {
                        ws.write_number(r, c, x)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// A native column chart of the totals on the 排名 sheet (column `total_col`).
pub fn totals_chart(ws: &mut Worksheet, n: u32, total_col: u16) -> Result<()> {
    if n == 0 {
        return Ok(());
    }
    let mut chart = Chart::new(ChartType::Column);
    chart
        .add_series()
        .set_name("总分")
        .set_categories(("排名", 1, 2, n, 2))
        .set_values(("排名", 1, total_col, n, total_col));
    chart.title().set_name("各项目总分");
    chart.legend().set_hidden();
    chart.set_width(900).set_height(360);
    ws.insert_chart(n + 3, 1, &chart)?;
    Ok(())
}
