//! Workbooks of the self-assessment and the bulletin, and the committee's
//! 示范候选 and 原始数据 sheets. User strings go through `write_string`, so a
//! value starting with `=`, `+`, `-` or `@` stays text, never a formula.

use super::ReportInput;
use super::assess;
use super::bulletin::BulletinCtx;
use super::context::{fmt_value, status_label};
use super::self_assess::SelfCtx;
use super::values::{FieldTable, Shown};
use super::xlsx::{header_format, opt_num, write_header};
use crate::score::ProjectScore;
use anyhow::{Context, Result};
use rust_xlsxwriter::{
    Chart, ChartType, ConditionalFormat3ColorScale, DocProperties, ExcelDateTime, Format, Workbook, Worksheet,
};
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

fn save(mut wb: Workbook, path: &Path) -> Result<()> {
    wb.save(path).with_context(|| format!("无法写入 {}", path.display()))
}

fn num2() -> Format {
    Format::new().set_num_format("0.00")
}

fn pct() -> Format {
    Format::new().set_num_format("0.0%")
}

/// Rows of string arrays under a header.
fn string_rows<const N: usize>(ws: &mut Worksheet, rows: &[[String; N]]) -> Result<()> {
    for (r, row) in (1u32..).zip(rows) {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r, c as u16, v)?;
        }
    }
    Ok(())
}

// ------------------------------------------------------------------ self-assessment

/// Write `自评结果.xlsx`.
pub fn self_assessment(path: &Path, input: &ReportInput, p: &ProjectScore, ctx: &SelfCtx) -> Result<()> {
    let mut wb = new_workbook(&ctx.title, input.date)?;
    scorecard_sheet(wb.add_worksheet(), input, p, ctx)?;
    obstacle_sheet(wb.add_worksheet(), input, p)?;
    let ws = wb.add_worksheet();
    ws.set_name("红线核查")?;
    write_header(
        ws,
        &[("红线", 22.0), ("规定", 50.0), ("本项目数据", 60.0), ("结论", 18.0)],
    )?;
    for (r, l) in (1u32..).zip(&ctx.redlines) {
        ws.write_string(r, 0, &l.name)?;
        ws.write_string(r, 1, &l.rule)?;
        ws.write_string(r, 2, &l.values)?;
        let red = Format::new().set_font_color("#C00000").set_bold();
        if l.ok {
            ws.write_string(r, 3, &l.status)?;
        } else {
            ws.write_string_with_format(r, 3, &l.status, &red)?;
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name("待补充数据")?;
    write_header(ws, &[("工作表", 14.0), ("数据项", 36.0), ("影响", 60.0)])?;
    string_rows(ws, &ctx.missing)?;
    let ws = wb.add_worksheet();
    ws.set_name("数据质量")?;
    write_header(ws, &[("级别", 6.0), ("位置", 40.0), ("说明", 80.0)])?;
    string_rows(ws, &ctx.findings)?;
    save(wb, path)
}

fn scorecard_sheet(ws: &mut Worksheet, input: &ReportInput, p: &ProjectScore, ctx: &SelfCtx) -> Result<()> {
    ws.set_name("评分卡")?;
    write_header(
        ws,
        &[
            ("维度", 10.0),
            ("指标", 24.0),
            ("原始值", 14.0),
            ("满分要求", 18.0),
            ("得分率", 9.0),
            ("同批平均得分率", 10.0),
            ("分值", 8.0),
            ("得分", 8.0),
            ("失分", 8.0),
            ("状态", 10.0),
        ],
    )?;
    let (num, pc) = (num2(), pct());
    let mut r = 1u32;
    for ((s, ind), row) in p.indicators.iter().zip(&input.model.indicators).zip(&ctx.rows) {
        ws.write_string(r, 0, &row.dimension)?;
        ws.write_string(r, 1, &ind.name)?;
        ws.write_string(r, 2, fmt_value(ind, s.raw))?;
        ws.write_string(r, 3, &row.target)?;
        opt_num(ws, r, 4, s.scaled, &pc)?;
        if !row.cohort.is_empty() {
            let v: Option<f64> = row.cohort.trim_end_matches('%').parse::<f64>().ok().map(|x| x / 100.0);
            opt_num(ws, r, 5, v, &pc)?;
        }
        ws.write_number_with_format(r, 6, s.weight, &num)?;
        ws.write_number_with_format(r, 7, s.earned, &num)?;
        ws.write_number_with_format(r, 8, (s.weight - s.earned).max(0.0), &num)?;
        ws.write_string(r, 9, status_label(s.status))?;
        r += 1;
    }
    if r > 1 {
        ws.add_conditional_format(1, 4, r - 1, 4, &ConditionalFormat3ColorScale::new())?;
    }
    // Summary under the table.
    let bold = Format::new().set_bold();
    let r = r + 1;
    for (k, (label, value)) in [
        ("项目编号", p.id.clone()),
        ("项目名称", p.name.clone()),
        ("市（州）", p.city.clone()),
        ("县（市、区）", p.county.clone()),
        ("自评得分", ctx.project.total.clone()),
        ("等级", p.grade.clone()),
        ("下一等级", ctx.next_grade.clone()),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(r + k as u32, 0, *label, &bold)?;
        ws.write_string(r + k as u32, 1, value)?;
    }
    ws.write_number_with_format(r + 4, 2, p.total, &num)?;
    let note = super::context::aggregation_note(input.model, p);
    if !note.is_empty() {
        ws.write_string_with_format(r + 8, 0, "说明", &bold)?;
        ws.write_string(r + 8, 1, format!("注：{note}"))?;
    }
    Ok(())
}

fn obstacle_sheet(ws: &mut Worksheet, input: &ReportInput, p: &ProjectScore) -> Result<()> {
    ws.set_name("障碍因素")?;
    write_header(
        ws,
        &[
            ("序号", 6.0),
            ("维度", 10.0),
            ("指标", 26.0),
            ("失分", 8.0),
            ("障碍度", 9.0),
        ],
    )?;
    let obstacles = assess::obstacles(p);
    let (num, pc) = (num2(), pct());
    for (r, o) in (1u32..).zip(&obstacles) {
        let ind = &input.model.indicators[o.index];
        let dim = input.model.dimension_name(&ind.dimension);
        ws.write_number(r, 0, f64::from(r))?;
        ws.write_string(r, 1, dim)?;
        ws.write_string(r, 2, &ind.name)?;
        ws.write_number_with_format(r, 3, o.lost, &num)?;
        ws.write_number_with_format(r, 4, o.degree, &pc)?;
    }
    let n = obstacles.len() as u32;
    if n > 0 {
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_name("障碍度")
            .set_categories(("障碍因素", 1, 2, n, 2))
            .set_values(("障碍因素", 1, 4, n, 4));
        chart.title().set_name("障碍因素（障碍度）");
        chart.legend().set_hidden();
        chart.y_axis().set_reverse();
        ws.insert_chart(1, 6, &chart)?;
    }
    Ok(())
}

// ------------------------------------------------------------------ bulletin

/// Write `通报附件.xlsx`.
pub fn bulletin(path: &Path, input: &ReportInput, ctx: &BulletinCtx) -> Result<()> {
    let mut wb = new_workbook(&ctx.title, input.date)?;
    city_sheet(wb.add_worksheet(), ctx)?;
    let ws = wb.add_worksheet();
    ws.set_name("示范项目")?;
    write_header(
        ws,
        &[("序号", 6.0), ("项目名称", 40.0), ("所在地区", 20.0), ("得分", 8.0)],
    )?;
    for (r, d) in (1u32..).zip(&ctx.demos) {
        ws.write_string(r, 0, &d[0])?;
        ws.write_string(r, 1, &d[1])?;
        ws.write_string(r, 2, &d[2])?;
        ws.write_number_with_format(r, 3, d[3].parse::<f64>().unwrap_or(0.0), &num2())?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("典型案例")?;
    write_header(
        ws,
        &[
            ("项目名称", 36.0),
            ("所在地区", 18.0),
            ("得分", 8.0),
            ("主要成效", 90.0),
        ],
    )?;
    for (r, c) in (1u32..).zip(&ctx.cases) {
        ws.write_string(r, 0, &c.name)?;
        ws.write_string(r, 1, &c.place)?;
        ws.write_string(r, 2, &c.total)?;
        ws.write_string(r, 3, &c.sentence)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("发现的问题")?;
    write_header(ws, &[("序号", 6.0), ("问题", 100.0)])?;
    for (r, p) in (1u32..).zip(&ctx.problems) {
        ws.write_number(r, 0, f64::from(r))?;
        ws.write_string(r, 1, p)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("计划完成")?;
    write_header(
        ws,
        &[
            ("任务", 18.0),
            ("单位", 6.0),
            ("设定任务的项目数", 10.0),
            ("计划", 12.0),
            ("完成", 12.0),
            ("完成率", 9.0),
        ],
    )?;
    for (r, g) in (1u32..).zip(&ctx.progress) {
        ws.write_string(r, 0, &g.task)?;
        ws.write_string(r, 1, &g.unit)?;
        ws.write_number(r, 2, g.projects as f64)?;
        ws.write_number_with_format(r, 3, g.planned, &num2())?;
        ws.write_number_with_format(r, 4, g.actual, &num2())?;
        ws.write_number_with_format(r, 5, g.rate, &pct())?;
    }
    if !ctx.progress.is_empty() {
        let n = ctx.progress.len() as u32;
        ws.add_conditional_format(1, 5, n, 5, &ConditionalFormat3ColorScale::new())?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("排名")?;
    write_header(
        ws,
        &[
            ("排名", 6.0),
            ("项目名称", 40.0),
            ("市（州）", 10.0),
            ("县（市、区）", 12.0),
            ("得分", 8.0),
            ("等级", 8.0),
        ],
    )?;
    for (r, row) in (1u32..).zip(&ctx.ranking) {
        match row[0].parse::<f64>() {
            Ok(k) => ws.write_number(r, 0, k)?,
            Err(_) => ws.write_string(r, 0, &row[0])?,
        };
        ws.write_string(r, 1, &row[1])?;
        ws.write_string(r, 2, &row[2])?;
        ws.write_string(r, 3, &row[3])?;
        ws.write_number_with_format(r, 4, row[4].parse::<f64>().unwrap_or(0.0), &num2())?;
        ws.write_string(r, 5, &row[5])?;
    }
    save(wb, path)
}

fn city_sheet(ws: &mut Worksheet, ctx: &BulletinCtx) -> Result<()> {
    ws.set_name("分市情况")?;
    let mut heads: Vec<(String, f64)> = vec![
        ("市（州）".into(), 12.0),
        ("项目数".into(), 8.0),
        ("平均得分".into(), 9.0),
    ];
    heads.extend(ctx.grade_names.iter().map(|g| (g.clone(), 8.0)));
    heads.push(("一票否决".into(), 8.0));
    heads.push(("示范样板".into(), 8.0));
    let h: Vec<(&str, f64)> = heads.iter().map(|(s, w)| (s.as_str(), *w)).collect();
    write_header(ws, &h)?;
    for (r, c) in (1u32..).zip(&ctx.cities) {
        ws.write_string(r, 0, &c.city)?;
        ws.write_number(r, 1, c.projects as f64)?;
        opt_num(ws, r, 2, c.mean, &num2())?;
        let mut col = 3u16;
        for n in &c.grades {
            ws.write_number(r, col, *n as f64)?;
            col += 1;
        }
        ws.write_number(r, col, c.vetoed as f64)?;
        ws.write_number(r, col + 1, c.selected as f64)?;
    }
    let n = ctx.cities.len() as u32;
    if n > 0 {
        ws.add_conditional_format(1, 2, n, 2, &ConditionalFormat3ColorScale::new())?;
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_name("平均得分")
            .set_categories(("分市情况", 1, 0, n, 0))
            .set_values(("分市情况", 1, 2, n, 2));
        chart.title().set_name("各市（州）未否决项目平均得分");
        chart.legend().set_hidden();
        ws.insert_chart(n + 3, 0, &chart)?;
    }
    Ok(())
}

// ------------------------------------------------------------------ committee extras

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
