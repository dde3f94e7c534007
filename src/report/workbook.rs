//! Workbook helpers every document's xlsx uses: fixed metadata, header row,
//! number formats, indicator values as numbers, print setup, the grey of
//! vetoed projects, colour scales that leave rows out, and the data-quality
//! sheets (also written alone by `landeval validate`).
//!
//! User strings are written with `write_string`, so a value starting with
//! `=`, `+`, `-` or `@` stays text and never becomes a formula.
//! A shared layer: it imports no document.

use crate::ingest::{QualityLog, Severity};
use crate::model::{Indicator, Scale};
use crate::score::ProjectScore;
use anyhow::{Context, Result};
use rust_xlsxwriter::{
    ConditionalFormat3ColorScale, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Note, Workbook,
    Worksheet, utility::cell_range,
};
use std::path::Path;

/// Sheets whose columns add up to more than this width (Excel character
/// units) print landscape; A4 portrait holds about 90 with default margins.
pub const PORTRAIT_WIDTH: f64 = 90.0;

/// Column width one landscape A4 page takes when printed at no less than
/// about 70%: wider sheets print across several pages, not shrunk to one.
pub const LANDSCAPE_WIDTH: f64 = 190.0;

/// Fill of a vetoed project's cells (as the PDF greys them).
pub const VETOED_FILL: &str = "#D9D9D9";

/// Excel's paper code for A4.
const A4: u8 = 9;

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

/// Give every sheet its page header and footer, then save the workbook,
/// naming the file on failure. Each sheet prints on A4 with `title` and the
/// sheet name at the head of each page and `第 n 页，共 m 页` at the foot
/// (orientation, fitting and repeated header rows are set by [`write_header`]).
pub fn save(mut wb: Workbook, title: &str, path: &Path) -> Result<()> {
    let head = format!("&L{}&R&A", header_text(title));
    for ws in wb.worksheets_mut() {
        ws.set_paper_size(A4)
            .set_header(&head)
            .set_footer("&C第 &P 页，共 &N 页");
    }
    wb.save(path).with_context(|| format!("无法写入 {}", path.display()))
}

/// Text for a page header: `&` doubled (Excel reads `&` as a control code),
/// cut so the whole header stays within Excel's 255 characters.
fn header_text(title: &str) -> String {
    title.replace('&', "&&").chars().take(100).collect()
}

/// Two decimals.
pub fn num2() -> Format {
    Format::new().set_num_format("0.00")
}

/// A fraction shown as a percentage with one decimal.
pub fn pct() -> Format {
    Format::new().set_num_format("0.0%")
}

/// A date as `2025-06-30`.
pub fn date_format() -> Format {
    Format::new().set_num_format("yyyy-mm-dd")
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

/// Header row with column widths; the row is frozen and repeated on every
/// printed page. The sheet prints fitted to the page width: portrait when
/// its columns fit [`PORTRAIT_WIDTH`], else landscape, across as many pages
/// as [`LANDSCAPE_WIDTH`] gives (one for all but the widest sheets).
pub fn write_header(ws: &mut Worksheet, heads: &[(&str, f64)]) -> Result<()> {
    let h = header_format();
    for (c, (text, width)) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *text, &h)?;
        ws.set_column_width(c as u16, *width)?;
    }
    ws.set_row_height(0, 30)?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_repeat_rows(0, 0)?;
    let width: f64 = heads.iter().map(|(_, w)| w).sum();
    if width > PORTRAIT_WIDTH {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(pages_wide(width), 0);
    Ok(())
}

/// Pages across a sheet of this column width prints on.
fn pages_wide(width: f64) -> u16 {
    (width / LANDSCAPE_WIDTH).ceil().clamp(1.0, f64::from(u16::MAX)) as u16
}

/// A number when there is one; the cell stays empty otherwise.
pub fn opt_num(ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>, f: &Format) -> Result<()> {
    if let Some(x) = v {
        ws.write_number_with_format(r, c, x, f)?;
    }
    Ok(())
}

/// The format an indicator's values take: a percentage for `%`
/// indicators (stored as fractions), whole numbers without decimals, two
/// decimals otherwise.
pub fn value_format(ind: &Indicator, x: f64) -> Format {
    if ind.unit.as_deref() == Some("%") {
        pct()
    } else if x.fract() == 0.0 {
        Format::new().set_num_format("0")
    } else {
        num2()
    }
}

/// The unit shown beside an indicator's values (`%`, `亩` …; empty for yes/no).
pub fn value_unit(ind: &Indicator) -> &str {
    match ind.scale {
        Scale::Bool { .. } => "",
        _ => ind.unit.as_deref().unwrap_or(""),
    }
}

/// An indicator value as a number in its unit (`0.95` shown as `95.0%`,
/// `800` 亩 as `800`); a yes/no indicator as 是/否; empty when missing.
/// `fill` adds a background (a vetoed project's grey).
pub fn write_indicator_value(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    ind: &Indicator,
    v: Option<f64>,
    fill: Option<&str>,
) -> Result<()> {
    let Some(x) = v else {
        return blank(ws, r, c, fill);
    };
    if matches!(ind.scale, Scale::Bool { .. }) {
        let f = filled(Format::new(), fill);
        ws.write_string_with_format(r, c, if x != 0.0 { "是" } else { "否" }, &f)?;
    } else {
        ws.write_number_with_format(r, c, x, &filled(value_format(ind, x), fill))?;
    }
    Ok(())
}

/// A number, or an empty cell (filled when `fill` is given) when there is none.
pub fn opt_num_filled(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    v: Option<f64>,
    f: &Format,
    fill: Option<&str>,
) -> Result<()> {
    match v {
        Some(x) => {
            ws.write_number_with_format(r, c, x, &filled(f.clone(), fill))?;
            Ok(())
        }
        None => blank(ws, r, c, fill),
    }
}

/// An empty cell, with its background when `fill` is given.
pub fn blank(ws: &mut Worksheet, r: u32, c: u16, fill: Option<&str>) -> Result<()> {
    if fill.is_some() {
        ws.write_blank(r, c, &filled(Format::new(), fill))?;
    }
    Ok(())
}

/// A format with a background fill when one is given.
pub fn filled(f: Format, fill: Option<&str>) -> Format {
    match fill {
        Some(colour) => f.set_background_color(colour),
        None => f,
    }
}

/// The grey of a vetoed project's row, `None` for the others.
pub fn vetoed_fill(vetoed: bool) -> Option<&'static str> {
    vetoed.then_some(VETOED_FILL)
}

/// A project's identity in columns A–E: rank (`—` when vetoed), 项目编号,
/// 项目名称, 市（州）, 县（市、区）, in `text` (a vetoed project's grey).
pub fn write_project_cells(ws: &mut Worksheet, r: u32, p: &ProjectScore, text: &Format) -> Result<()> {
    match p.rank {
        Some(k) => ws.write_number_with_format(r, 0, k, text)?,
        None => ws.write_string_with_format(r, 0, "—", text)?,
    };
    ws.write_string_with_format(r, 1, &p.id, text)?;
    ws.write_string_with_format(r, 2, &p.name, text)?;
    ws.write_string_with_format(r, 3, &p.city, text)?;
    ws.write_string_with_format(r, 4, &p.county, text)?;
    Ok(())
}

/// A note on the score's header cell (column `col`) saying what the grey
/// rows are, when some project is vetoed; the table itself stays a table.
pub fn vetoed_note(ws: &mut Worksheet, col: u16, any_vetoed: bool) -> Result<()> {
    if any_vetoed {
        let note = Note::new("灰色底纹为一票否决项目：不参加排名，所列得分为否决前的得分，不参与色阶。")
            .set_author("landeval")
            .add_author_prefix(false);
        ws.insert_note(0, col, &note)?;
    }
    Ok(())
}

/// A date stored as `YYYY-MM-DD` as an Excel date; text that is not such
/// a date stays text.
pub fn write_iso_date(ws: &mut Worksheet, r: u32, c: u16, iso: &str) -> Result<()> {
    match ExcelDateTime::parse_from_str(iso) {
        Ok(d) => ws.write_datetime_with_format(r, c, &d, &date_format())?,
        Err(_) => ws.write_string(r, c, iso)?,
    };
    Ok(())
}

/// A 3-colour scale over column `col` of the given rows only: rows left
/// out (vetoed projects) neither take a colour nor stretch the scale.
pub fn color_scale_rows(ws: &mut Worksheet, col: u16, rows: &[u32]) -> Result<()> {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &r in rows {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == r => *last = r,
            _ => runs.push((r, r)),
        }
    }
    let Some(&(first, last)) = runs.first() else {
        return Ok(());
    };
    let ranges: Vec<String> = runs.iter().map(|(a, b)| cell_range(*a, col, *b, col)).collect();
    let scale = ConditionalFormat3ColorScale::new().set_multi_range(ranges.join(" "));
    ws.add_conditional_format(first, col, last, col, &scale)?;
    Ok(())
}

/// The data-quality log as two sheets, one table each: `数据质量` (every
/// finding) and `读取情况` (rows read, imported and skipped per sheet).
pub fn write_quality_sheets(wb: &mut Workbook, log: &QualityLog) -> Result<()> {
    findings_sheet(wb.add_worksheet(), log)?;
    tallies_sheet(wb.add_worksheet(), log)
}

fn findings_sheet(ws: &mut Worksheet, log: &QualityLog) -> Result<()> {
    ws.set_name("数据质量")?;
    write_header(
        ws,
        &[
            ("级别", 6.0),
            ("文件", 24.0),
            ("工作表", 14.0),
            ("单元格", 12.0),
            ("原始内容", 18.0),
            ("说明", 80.0),
        ],
    )?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let red = wrap.clone().set_font_color("#C00000").set_bold();
    let findings = log.sorted();
    for (r, f) in (1u32..).zip(&findings) {
        let sev = if f.severity == Severity::Error { &red } else { &wrap };
        ws.write_string_with_format(r, 0, f.severity.label(), sev)?;
        ws.write_string_with_format(r, 1, &f.origin.file, &wrap)?;
        ws.write_string_with_format(r, 2, &f.origin.sheet, &wrap)?;
        ws.write_string_with_format(r, 3, &f.origin.cell, &wrap)?;
        ws.write_string_with_format(r, 4, &f.raw, &wrap)?;
        ws.write_string_with_format(r, 5, &f.message, &wrap)?;
    }
    ws.autofilter(0, 0, findings.len() as u32, 5)?;
    Ok(())
}

fn tallies_sheet(ws: &mut Worksheet, log: &QualityLog) -> Result<()> {
    ws.set_name("读取情况")?;
    write_header(
        ws,
        &[
            ("文件", 28.0),
            ("工作表", 16.0),
            ("读取行数", 10.0),
            ("导入行数", 10.0),
            ("跳过行数", 10.0),
        ],
    )?;
    for (r, t) in (1u32..).zip(&log.tallies) {
        ws.write_string(r, 0, &t.file)?;
        ws.write_string(r, 1, &t.sheet)?;
        ws.write_number(r, 2, t.rows_read as f64)?;
        ws.write_number(r, 3, t.rows_used as f64)?;
        ws.write_number(r, 4, t.rows_skipped as f64)?;
    }
    Ok(())
}

/// Write the data-quality log alone (`landeval validate`).
pub fn write_quality_workbook(path: &Path, log: &QualityLog) -> Result<()> {
    let title = "数据质量报告";
    let mut wb = new_workbook(title, [2025, 1, 1])?;
    write_quality_sheets(&mut wb, log)?;
    save(wb, title, path)
}
