//! The self-assessment workbook `自评结果.xlsx`: 评分卡, 障碍因素, 红线核查,
//! 待补充数据, 数据质量.

use super::peers::PeerResults;
use super::view::SelfAssessmentView;
use crate::model::Indicator;
use crate::report::ReportInput;
use crate::report::text::{method, vocab::status_label};
use crate::report::workbook::{
    new_workbook, num2, opt_num, pct, save, value_unit, write_header, write_indicator_value,
};
use crate::score::ProjectScore;
use crate::score::obstacle::Obstacle;
use anyhow::Result;
use rust_xlsxwriter::{Chart, ChartType, ConditionalFormat3ColorScale, Format, Worksheet};
use std::path::Path;

/// Write `自评结果.xlsx`; `peers` gives the 同批平均得分率 column.
pub fn write(
    path: &Path,
    input: &ReportInput,
    p: &ProjectScore,
    ctx: &SelfAssessmentView,
    peers: Option<&PeerResults>,
) -> Result<()> {
    let mut wb = new_workbook(&ctx.title, input.date)?;
    scorecard_sheet(wb.add_worksheet(), input, p, ctx, peers)?;
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
    for (r, m) in (1u32..).zip(&ctx.missing) {
        ws.write_string(r, 0, &m.sheet)?;
        ws.write_string(r, 1, &m.field)?;
        ws.write_string(r, 2, &m.needed_by)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("数据质量")?;
    write_header(ws, &[("级别", 6.0), ("位置", 40.0), ("说明", 80.0)])?;
    for (r, f) in (1u32..).zip(&ctx.findings) {
        ws.write_string(r, 0, &f.severity)?;
        ws.write_string(r, 1, &f.place)?;
        ws.write_string(r, 2, &f.message)?;
    }
    save(wb, &ctx.title, path)
}

fn scorecard_sheet(
    ws: &mut Worksheet,
    input: &ReportInput,
    p: &ProjectScore,
    ctx: &SelfAssessmentView,
    peers: Option<&PeerResults>,
) -> Result<()> {
    ws.set_name("评分卡")?;
    write_header(
        ws,
        &[
            ("维度", 10.0),
            ("指标", 24.0),
            ("原始值", 12.0),
            ("单位", 8.0),
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
        write_indicator_value(ws, r, 2, ind, s.raw, None)?;
        ws.write_string(r, 3, value_unit(ind))?;
        ws.write_string(r, 4, &row.target)?;
        opt_num(ws, r, 5, s.scaled, &pc)?;
        opt_num(ws, r, 6, peers.and_then(|c| c.indicator_mean.get(&s.id)).copied(), &pc)?;
        ws.write_number_with_format(r, 7, s.weight, &num)?;
        ws.write_number_with_format(r, 8, s.earned, &num)?;
        ws.write_number_with_format(r, 9, (s.weight - s.earned).max(0.0), &num)?;
        ws.write_string(r, 10, status_label(s.status))?;
        r += 1;
    }
    if r > 1 {
        ws.add_conditional_format(1, 5, r - 1, 5, &ConditionalFormat3ColorScale::new())?;
    }
    summary(ws, r + 1, input, p, ctx)
}

/// The project, its score and grade under the table, from row `r`.
fn summary(ws: &mut Worksheet, r: u32, input: &ReportInput, p: &ProjectScore, ctx: &SelfAssessmentView) -> Result<()> {
    let bold = Format::new().set_bold();
    for (k, (label, value)) in [
        ("项目编号", p.id.as_str()),
        ("项目名称", p.name.as_str()),
        ("市（州）", p.city.as_str()),
        ("县（市、区）", p.county.as_str()),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(r + k as u32, 0, *label, &bold)?;
        ws.write_string(r + k as u32, 1, *value)?;
    }
    ws.write_string_with_format(r + 4, 0, "自评得分", &bold)?;
    ws.write_number_with_format(r + 4, 1, p.total, &num2())?;
    ws.write_string_with_format(r + 5, 0, "等级", &bold)?;
    ws.write_string(r + 5, 1, &ctx.project.grade)?;
    ws.write_string_with_format(r + 6, 0, "下一等级", &bold)?;
    ws.write_string(r + 6, 1, &ctx.next_grade)?;
    let note = method::aggregation_note(input.model, p);
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
    let obstacles: Vec<(&Obstacle, &Indicator)> = p
        .obstacles
        .iter()
        .filter_map(|o| Some((o, input.model.indicators.iter().find(|i| i.id == o.id)?)))
        .collect();
    let (num, pc) = (num2(), pct());
    for (r, (o, ind)) in (1u32..).zip(&obstacles) {
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
