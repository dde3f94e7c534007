//! The bulletin's annex workbook `通报附件.xlsx`: 分市情况, 示范项目, 典型案例,
//! 发现的问题, 计划完成, 排名.
//!
//! Scores are written from the evaluation, never parsed back from the
//! view's text; the view gives the order and the words.

use super::view::BulletinView;
use crate::report::ReportInput;
use crate::report::workbook::{
    color_scale_rows, filled, new_workbook, num2, opt_num, pct, save, vetoed_fill, vetoed_note, write_header,
    write_project_cells,
};
use crate::score::ProjectScore;
use anyhow::Result;
use rust_xlsxwriter::{Chart, ChartType, ConditionalFormat3ColorScale, Format, Worksheet};
use std::collections::HashMap;
use std::path::Path;

/// The evaluation's projects by id.
type Projects<'a> = HashMap<&'a str, &'a ProjectScore>;

/// Write `通报附件.xlsx`.
pub fn write(path: &Path, input: &ReportInput, ctx: &BulletinView) -> Result<()> {
    let projects: Projects = input.eval.projects.iter().map(|p| (p.id.as_str(), p)).collect();
    let mut wb = new_workbook(&ctx.title, input.date)?;
    city_sheet(wb.add_worksheet(), ctx)?;
    demo_sheet(wb.add_worksheet(), ctx, &projects)?;
    case_sheet(wb.add_worksheet(), ctx, &projects)?;
    problem_sheet(wb.add_worksheet(), ctx)?;
    progress_sheet(wb.add_worksheet(), ctx)?;
    ranking_sheet(wb.add_worksheet(), ctx, &projects)?;
    save(wb, &ctx.title, path)
}

/// `是` when the flag is set, empty otherwise.
fn yes(flag: bool) -> &'static str {
    if flag { "是" } else { "" }
}

fn demo_sheet(ws: &mut Worksheet, ctx: &BulletinView, projects: &Projects) -> Result<()> {
    ws.set_name("示范项目")?;
    write_header(
        ws,
        &[
            ("序号", 6.0),
            ("项目编号", 13.0),
            ("项目名称", 40.0),
            ("所在地区", 20.0),
            ("得分", 8.0),
            ("未验收", 8.0),
        ],
    )?;
    for (r, d) in (1u32..).zip(&ctx.demos) {
        ws.write_number(r, 0, f64::from(r))?;
        ws.write_string(r, 1, &d.id)?;
        ws.write_string(r, 2, &d.name)?;
        ws.write_string(r, 3, &d.place)?;
        opt_num(ws, r, 4, projects.get(d.id.as_str()).map(|p| p.total), &num2())?;
        ws.write_string(r, 5, yes(!d.accepted))?;
    }
    Ok(())
}

fn case_sheet(ws: &mut Worksheet, ctx: &BulletinView, projects: &Projects) -> Result<()> {
    ws.set_name("典型案例")?;
    write_header(
        ws,
        &[
            ("项目编号", 13.0),
            ("项目名称", 36.0),
            ("所在地区", 18.0),
            ("得分", 8.0),
            ("主要成效", 90.0),
        ],
    )?;
    let wrap = Format::new().set_text_wrap();
    for (r, c) in (1u32..).zip(&ctx.cases) {
        ws.write_string(r, 0, &c.id)?;
        ws.write_string(r, 1, &c.name)?;
        ws.write_string(r, 2, &c.place)?;
        opt_num(ws, r, 3, projects.get(c.id.as_str()).map(|p| p.total), &num2())?;
        ws.write_string_with_format(r, 4, &c.sentence, &wrap)?;
    }
    Ok(())
}

fn problem_sheet(ws: &mut Worksheet, ctx: &BulletinView) -> Result<()> {
    ws.set_name("发现的问题")?;
    write_header(ws, &[("序号", 6.0), ("问题", 100.0)])?;
    let wrap = Format::new().set_text_wrap();
    for (r, p) in (1u32..).zip(&ctx.problems) {
        ws.write_number(r, 0, f64::from(r))?;
        ws.write_string_with_format(r, 1, p, &wrap)?;
    }
    Ok(())
}

fn progress_sheet(ws: &mut Worksheet, ctx: &BulletinView) -> Result<()> {
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
    Ok(())
}

fn ranking_sheet(ws: &mut Worksheet, ctx: &BulletinView, projects: &Projects) -> Result<()> {
    ws.set_name("排名")?;
    write_header(
        ws,
        &[
            ("排名", 6.0),
            ("项目编号", 13.0),
            ("项目名称", 40.0),
            ("市（州）", 10.0),
            ("县（市、区）", 12.0),
            ("得分", 8.0),
            ("等级", 8.0),
            ("示范样板", 8.0),
            ("未验收", 8.0),
            ("一票否决", 8.0),
        ],
    )?;
    let mut eligible = Vec::new();
    for (r, row) in (1u32..).zip(&ctx.ranking) {
        let Some(p) = projects.get(row.id.as_str()) else {
            continue;
        };
        let fill = vetoed_fill(p.vetoed);
        let text = filled(Format::new(), fill);
        write_project_cells(ws, r, p, &text)?;
        ws.write_number_with_format(r, 5, p.total, &filled(num2(), fill))?;
        ws.write_string_with_format(r, 6, &row.grade, &text)?;
        ws.write_string_with_format(r, 7, yes(p.selected), &text)?;
        ws.write_string_with_format(r, 8, yes(!p.accepted), &text)?;
        ws.write_string_with_format(r, 9, yes(p.vetoed), &text)?;
        if !p.vetoed {
            eligible.push(r);
        }
    }
    color_scale_rows(ws, 5, &eligible)?;
    let n = ctx.ranking.len() as u32;
    if n > 0 {
        ws.autofilter(0, 0, n, 9)?;
    }
    vetoed_note(ws, 5, eligible.len() < ctx.ranking.len())?;
    Ok(())
}

fn city_sheet(ws: &mut Worksheet, ctx: &BulletinView) -> Result<()> {
    ws.set_name("分市情况")?;
    let mut heads: Vec<(String, f64)> = vec![
        ("市（州）".into(), 12.0),
        ("项目数".into(), 8.0),
        ("平均得分（未否决项目）".into(), 11.0),
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
