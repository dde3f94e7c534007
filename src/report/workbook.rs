//! Workbook helpers every document's xlsx uses: fixed metadata, header row,
//! number formats, and the data-quality sheet (also written alone by
//! `landeval validate`).
//!
//! User strings are written with `write_string`, so a value starting with
//! `=`, `+`, `-` or `@` stays text and never becomes a formula.
//! A shared layer: it imports no document.

use crate::ingest::{QualityLog, Severity};
use anyhow::{Context, Result};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet};
use std::path::Path;

/// A workbook whose metadata is fixed by the report date (never the clock).
pub fn new_workbook(title: &str, date: [i32; 3]) -> Result<Workbook> {
    let mut wb = Workbook::new();
    let [y, m, d] = date;
    let created = ExcelDateTime::from_ymd(y as u16, m as u8, d as u8).map_err(anyhow::Error::msg)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_author("landeval")
            .set_creation_datetime(&created),
    );
    Ok(wb)
}

/// Save a workbook, naming the file on failure.
pub fn save(mut wb: Workbook, path: &Path) -> Result<()> {
    wb.save(path).with_context(|| format!("无法写入 {}", path.display()))
}

/// Two decimals.
pub fn num2() -> Format {
    Format::new().set_num_format("0.00")
}

/// A fraction shown as a percentage with one decimal.
pub fn pct() -> Format {
    Format::new().set_num_format("0.0%")
}

/// The header cells' look: bold, wrapped, centred, light blue, thin border.
pub fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color("#DDEBF7")
        .set_border(FormatBorder::Thin)
}

/// Header row with column widths; the row is frozen.
pub fn write_header(ws: &mut Worksheet, heads: &[(&str, f64)]) -> Result<()> {
    let h = header_format();
    for (c, (text, width)) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *text, &h)?;
        ws.set_column_width(c as u16, *width)?;
    }
    ws.set_row_height(0, 30)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A number when there is one; the cell stays empty otherwise.
pub fn opt_num(ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>, f: &Format) -> Result<()> {
    if let Some(x) = v {
        ws.write_number_with_format(r, c, x, f)?;
    }
    Ok(())
}

/// The data-quality log as a sheet: findings, and the row accounting per sheet to their right.
pub fn write_quality_rows(ws: &mut Worksheet, log: &QualityLog) -> Result<()> {
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
pub fn write_quality_workbook(path: &Path, log: &QualityLog) -> Result<()> {
    let mut wb = new_workbook("数据质量报告", [2025, 1, 1])?;
    let ws = wb.add_worksheet();
    ws.set_name("数据质量")?;
    write_quality_rows(ws, log)?;
    save(wb, path)
}
