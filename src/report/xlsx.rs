//! The committee workbook: 排名, 指标得分, 否决与扣分, 示范候选, 数据质量, 原始数据.
//!
//! User strings are written with `write_string`, so a value starting with
//! `=` stays text and never becomes a formula.

use super::ReportInput;
use super::context::{fmt_value, not_selected_label, status_label};
use crate::ingest::Severity;
use crate::model::Aggregation;
use crate::score::VetoStatus;
use anyhow::{Context, Result};
use rust_xlsxwriter::{
    ConditionalFormat3ColorScale, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};
use std::path::Path;

pub(crate) fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color("#DDEBF7")
        .set_border(FormatBorder::Thin)
}

pub(crate) fn write_header(ws: &mut Worksheet, heads: &[(&str, f64)]) -> Result<()> {
    let h = header_format();
    for (c, (text, width)) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *text, &h)?;
        ws.set_column_width(c as u16, *width)?;
    }
    ws.set_row_height(0, 30)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

pub(crate) fn opt_num(ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>, f: &Format) -> Result<()> {
    if let Some(x) = v {
        ws.write_number_with_format(r, c, x, f)?;
    }
    Ok(())
}

/// Write `评估结果.xlsx`.
pub fn write(path: &Path, input: &ReportInput) -> Result<()> {
    let mut wb = Workbook::new();
    let [y, m, d] = input.date;
    let created = ExcelDateTime::from_ymd(y as u16, m as u8, d as u8).map_err(anyhow::Error::msg)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{}评估结果", input.model.model.name))
            .set_author("landeval")
            .set_creation_datetime(&created),
    );
    ranking_sheet(wb.add_worksheet(), input)?;
    indicator_sheet(wb.add_worksheet(), input)?;
    veto_sheet(wb.add_worksheet(), input)?;
    super::xlsx_candidates::sheet(wb.add_worksheet(), input)?;
    quality_sheet(wb.add_worksheet(), input)?;
    super::xlsx_more::raw_sheet(wb.add_worksheet(), input)?;
    wb.save(path).with_context(|| format!("无法写入 {}", path.display()))?;
    Ok(())
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
        let points = super::context::dimension_points(model, &input.eval.method, &dim.id);
        heads.push((
            format!("{}（{}分）", dim.name, super::context::fmt_num(points, 2)),
            11.0,
        ));
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
        ws.write_string(r, c + 3, &p.grade)?;
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
    super::xlsx_more::totals_chart(ws, n, total_col)?;
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
            let kind = match v.status {
                VetoStatus::Breached => "否决",
                VetoStatus::Unknown => "无法核查",
                VetoStatus::Passed => continue,
            };
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

/// The data-quality log as a sheet (also used by `landeval validate`).
pub fn write_quality_rows(ws: &mut Worksheet, log: &crate::ingest::QualityLog) -> Result<()> {
    write_header(
        ws,
        &[
            ("级别", 6.0),
            ("文件", 22.0),
            ("工作表", 12.0),
            ("单元格", 8.0),
            ("原始内容", 16.0),
            ("说明", 70.0),
        ],
    )?;
    let red = Format::new().set_font_color("#C00000").set_bold();
    let plain = Format::new();
    for (r, f) in (1u32..).zip(log.sorted()) {
        let sev = if f.severity == Severity::Error { &red } else { &plain };
        ws.write_string_with_format(r, 0, f.severity.label(), sev)?;
        ws.write_string(r, 1, &f.origin.file)?;
        ws.write_string(r, 2, &f.origin.sheet)?;
        ws.write_string(r, 3, &f.origin.cell)?;
        ws.write_string(r, 4, &f.raw)?;
        ws.write_string(r, 5, &f.message)?;
    }
    // Row accounting per sheet, to the right of the findings.
    let h = header_format();
    for (c, (t, w)) in [
        ("文件", 22.0),
        ("工作表", 12.0),
        ("读取行数", 9.0),
        ("导入行数", 9.0),
        ("跳过行数", 9.0),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(0, 7 + c as u16, *t, &h)?;
        ws.set_column_width(7 + c as u16, *w)?;
    }
    for (i, t) in log.tallies.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 7, &t.file)?;
        ws.write_string(r, 8, &t.sheet)?;
        ws.write_number(r, 9, t.rows_read as f64)?;
        ws.write_number(r, 10, t.rows_used as f64)?;
        ws.write_number(r, 11, t.rows_skipped as f64)?;
    }
    Ok(())
}

/// Write the data-quality log alone (`landeval validate`).
pub fn write_quality_workbook(path: &Path, log: &crate::ingest::QualityLog) -> Result<()> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2025, 1, 1).map_err(anyhow::Error::msg)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("数据质量报告")
            .set_author("landeval")
            .set_creation_datetime(&created),
    );
    let ws = wb.add_worksheet();
    ws.set_name("数据质量")?;
    write_quality_rows(ws, log)?;
    wb.save(path).with_context(|| format!("无法写入 {}", path.display()))?;
    Ok(())
}
