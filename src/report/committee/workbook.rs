//! The committee workbook `评估结果.xlsx`: 排名, 指标得分, 否决与扣分,
//! 示范候选, 数据质量, 原始数据.
//!
//! User strings are written with `write_string`, so a value starting with
//! `=` stays text and never becomes a formula.

use crate::fields::FieldType;
use crate::model::Aggregation;
use crate::report::ReportInput;
use crate::report::fields::{FieldTable, Shown};
use crate::report::text::fmt_num;
use crate::report::text::vocab::{self, not_selected_label, status_label};
use crate::report::workbook::{
    VETOED_FILL, color_scale_rows, filled, new_workbook, num2, opt_num_filled, pct, save, value_unit, vetoed_fill,
    vetoed_note, write_header, write_indicator_value, write_iso_date, write_project_cells, write_quality_sheets,
};
use crate::score::VetoStatus;
use anyhow::Result;
use rust_xlsxwriter::{Chart, ChartFormat, ChartPoint, ChartSolidFill, ChartType, Format, Worksheet};
use std::path::Path;

/// Write `评估结果.xlsx`.
pub fn write(path: &Path, input: &ReportInput) -> Result<()> {
    let title = format!("{}评估结果", input.model.model.name);
    let mut wb = new_workbook(&title, input.date)?;
    ranking_sheet(wb.add_worksheet(), input)?;
    indicator_sheet(wb.add_worksheet(), input)?;
    veto_sheet(wb.add_worksheet(), input)?;
    super::candidates::sheet(wb.add_worksheet(), input)?;
    write_quality_sheets(&mut wb, input.log)?;
    raw_sheet(wb.add_worksheet(), input)?;
    save(wb, &title, path)
}

/// Data rows (1-based sheet rows) of the projects that are not vetoed, in project order.
fn eligible_rows(input: &ReportInput) -> Vec<u32> {
    (1u32..)
        .zip(&input.eval.projects)
        .filter(|(_, p)| !p.vetoed)
        .map(|(r, _)| r)
        .collect()
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
    let n = input.eval.projects.len() as u32;
    for (i, p) in input.eval.projects.iter().enumerate() {
        let r = i as u32 + 1;
        let fill = vetoed_fill(p.vetoed);
        let (text, num) = (filled(Format::new(), fill), filled(num2(), fill));
        write_project_cells(ws, r, p, &text)?;
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
        ws.write_string_with_format(r, c + 3, model.grade_name(p.grade), &text)?;
        ws.write_string_with_format(r, c + 4, if p.selected { "是" } else { "" }, &text)?;
        ws.write_string_with_format(r, c + 5, p.not_selected.map(not_selected_label).unwrap_or(""), &text)?;
        let breached: Vec<&str> = p
            .vetoes
            .iter()
            .zip(&model.vetoes)
            .filter(|(v, _)| v.status == VetoStatus::Breached)
            .map(|(_, m)| m.name.as_str())
            .collect();
        ws.write_string_with_format(r, c + 6, breached.join("、"), &text)?;
        opt_num_filled(ws, r, c + 7, p.self_score, &num2(), fill)?;
    }
    let total_col = 5 + model.dimensions.len() as u16 + u16::from(aggregated) + 2;
    color_scale_rows(ws, total_col, &eligible_rows(input))?;
    ws.autofilter(0, 0, n, total_col + 5)?;
    vetoed_note(ws, total_col, input.eval.projects.iter().any(|p| p.vetoed))?;
    totals_chart(ws, input, total_col)?;
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
            ("原始值", 12.0),
            ("单位", 8.0),
            ("方案目标", 10.0),
            ("得分率", 9.0),
            ("分值（重新分配后）", 10.0),
            ("得分", 9.0),
            ("状态", 10.0),
        ],
    )?;
    let mut r = 1u32;
    let mut eligible = Vec::new();
    for p in &input.eval.projects {
        let fill = vetoed_fill(p.vetoed);
        let (text, num) = (filled(Format::new(), fill), filled(num2(), fill));
        for (s, ind) in p.indicators.iter().zip(&input.model.indicators) {
            ws.write_string_with_format(r, 0, &p.id, &text)?;
            ws.write_string_with_format(r, 1, &p.name, &text)?;
            ws.write_string_with_format(r, 2, input.model.dimension_name(&ind.dimension), &text)?;
            ws.write_string_with_format(r, 3, &ind.name, &text)?;
            write_indicator_value(ws, r, 4, ind, s.raw, fill)?;
            ws.write_string_with_format(r, 5, value_unit(ind), &text)?;
            write_indicator_value(ws, r, 6, ind, s.planned, fill)?;
            opt_num_filled(ws, r, 7, s.scaled, &pct(), fill)?;
            ws.write_number_with_format(r, 8, s.weight, &num)?;
            ws.write_number_with_format(r, 9, s.earned, &num)?;
            ws.write_string_with_format(r, 10, status_label(s.status), &text)?;
            if !p.vetoed {
                eligible.push(r);
            }
            r += 1;
        }
    }
    color_scale_rows(ws, 7, &eligible)?;
    if r > 1 {
        ws.autofilter(0, 0, r - 1, 10)?;
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

/// 原始数据: the project-level field table (every input and derived field),
/// Chinese headers with units.
pub fn raw_sheet(ws: &mut Worksheet, input: &ReportInput) -> Result<()> {
    ws.set_name("原始数据")?;
    let table = FieldTable::new(input.fields);
    let cols: Vec<String> = table.columns();
    let labels: Vec<String> = cols.iter().map(|f| raw_label(input, f)).collect();
    let heads: Vec<(&str, f64)> = labels.iter().map(|l| (l.as_str(), 12.0)).collect();
    write_header(ws, &heads)?;
    ws.set_row_height(0, 42)?;
    ws.set_freeze_panes(1, 2)?;
    // Printed across several pages: the project's id and name on each.
    ws.set_repeat_columns(0, 1)?;
    let percent = pct();
    for (r, p) in (1u32..).zip(&input.eval.projects) {
        for (c, f) in cols.iter().enumerate() {
            let c = c as u16;
            let is_date = input.dict.field(f).is_some_and(|d| d.kind == FieldType::Date);
            match table.get(&p.id, f) {
                None => {}
                Some(Shown::Text(s)) if is_date => write_iso_date(ws, r, c, &s)?,
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

/// A field's column header: its Chinese name with the unit.
fn raw_label(input: &ReportInput, f: &str) -> String {
    match (input.dict.field(f), input.dict.derived(f)) {
        (Some(d), _) => d.header(),
        (None, Some(d)) => match &d.unit {
            Some(u) => format!("{}（{}）", d.name, u),
            None => d.name.clone(),
        },
        _ => f.to_string(),
    }
}

/// A native column chart of the totals on the 排名 sheet (column
/// `total_col`); vetoed projects' bars are grey.
pub fn totals_chart(ws: &mut Worksheet, input: &ReportInput, total_col: u16) -> Result<()> {
    let n = input.eval.projects.len() as u32;
    if n == 0 {
        return Ok(());
    }
    let grey =
        ChartPoint::new().set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(VETOED_FILL)));
    let points: Vec<ChartPoint> = input
        .eval
        .projects
        .iter()
        .map(|p| if p.vetoed { grey.clone() } else { ChartPoint::new() })
        .collect();
    let mut chart = Chart::new(ChartType::Column);
    chart
        .add_series()
        .set_name("总分")
        .set_categories(("排名", 1, 2, n, 2))
        .set_values(("排名", 1, total_col, n, total_col))
        .set_points(&points);
    chart.title().set_name("各项目总分（灰色为一票否决项目）");
    chart.legend().set_hidden();
    chart.set_width(900).set_height(360);
    ws.insert_chart(n + 3, 1, &chart)?;
    Ok(())
}
