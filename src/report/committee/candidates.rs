//! The `示范候选` sheet: selection verdicts, robustness, rewards and
//! diagnosis per project, then the cohort-level robustness figures,
//! cut-off swaps, rank reversals and the weights as points.

use crate::report::ReportInput;
use crate::report::text::{method, vocab};
use crate::report::workbook::{
    blank, color_scale_rows, filled, header_format, num2, pct, vetoed_fill, write_header, write_project_cells,
};
use crate::score::reversal::Change;
use anyhow::Result;
use rust_xlsxwriter::{Format, Worksheet};

/// Write the sheet.
pub fn sheet(ws: &mut Worksheet, input: &ReportInput) -> Result<()> {
    ws.set_name("示范候选")?;
    let h = header_format();
    let heads = [
        ("排名", 6.0),
        ("项目编号", 13.0),
        ("项目名称", 30.0),
        ("市（州）", 10.0),
        ("县（市、区）", 10.0),
        ("总分", 8.0),
        ("等级", 7.0),
        ("示范样板", 8.0),
        ("奖励（万元）", 10.0),
        ("封顶扣减（万元）", 10.0),
        ("中位排名", 8.0),
        ("排名 5% 分位", 8.0),
        ("排名 95% 分位", 8.0),
        ("入选概率", 9.0),
        ("稳健性判定", 10.0),
        ("下一等级", 8.0),
        ("差距（分）", 9.0),
        ("最快补齐的指标", 30.0),
        ("主要障碍指标（障碍度）", 40.0),
    ];
    write_header(ws, &heads)?;
    let name = |id: &str| vocab::indicator_name(input.model, id).to_string();
    let mut r = 0u32;
    let mut eligible = Vec::new();
    for p in &input.eval.projects {
        r += 1;
        let fill = vetoed_fill(p.vetoed);
        let (text, num, pc) = (filled(Format::new(), fill), filled(num2(), fill), filled(pct(), fill));
        if !p.vetoed {
            eligible.push(r);
        }
        write_project_cells(ws, r, p, &text)?;
        ws.write_number_with_format(r, 5, p.total, &num)?;
        ws.write_string_with_format(r, 6, input.model.grade_name(p.grade), &text)?;
        ws.write_string_with_format(r, 7, if p.selected { "是" } else { "" }, &text)?;
        ws.write_number_with_format(r, 8, p.reward, &num)?;
        ws.write_number_with_format(r, 9, p.reward_cut, &num)?;
        match &p.robustness {
            Some(rb) => {
                ws.write_number_with_format(r, 10, rb.median_rank, &text)?;
                ws.write_number_with_format(r, 11, rb.rank_p05, &text)?;
                ws.write_number_with_format(r, 12, rb.rank_p95, &text)?;
                ws.write_number_with_format(r, 13, rb.p_selected, &pc)?;
                ws.write_string_with_format(r, 14, vocab::verdict_label(rb.verdict), &text)?;
            }
            None => {
                for c in 10..=14 {
                    blank(ws, r, c, fill)?;
                }
            }
        }
        match &p.next_grade {
            Some(g) => {
                ws.write_string_with_format(r, 15, input.model.grade_name(g.next), &text)?;
                ws.write_number_with_format(r, 16, g.points_missing, &num)?;
                let levers: Vec<String> = g
                    .levers
                    .iter()
                    .map(|o| format!("{}（+{:.2}）", name(&o.id), o.lost))
                    .collect();
                let note = if g.reachable { "" } else { "；指标满分仍不足" };
                ws.write_string_with_format(r, 17, format!("{}{note}", levers.join("、")), &text)?;
            }
            None => {
                for c in 15..=17 {
                    blank(ws, r, c, fill)?;
                }
            }
        }
        let obs: Vec<String> = p
            .obstacles
            .iter()
            .take(3)
            .map(|o| format!("{} {:.1}%", name(&o.id), o.degree * 100.0))
            .collect();
        ws.write_string_with_format(r, 18, obs.join("；"), &text)?;
    }
    // Colour scales over the eligible projects: total score and selection probability.
    color_scale_rows(ws, 5, &eligible)?;
    color_scale_rows(ws, 13, &eligible)?;
    r += 2;
    let mut line = |r: &mut u32, label: &str, text: String| -> Result<()> {
        ws.write_string_with_format(*r, 1, label, &h)?;
        ws.write_string(*r, 2, text)?;
        *r += 1;
        Ok(())
    };
    let e = input.eval;
    if let Some(s) = &e.robustness {
        line(&mut r, "稳健性分析", method::robustness_method(s))?;
        line(&mut r, "入选集合稳定性", method::set_stability(s))?;
    }
    for c in &e.cutoff_swaps {
        line(
            &mut r,
            "临界交换",
            format!(
                "指标“{}”分值由 {:.2} 改为 {:.2}（{:+.1}%），{} 即可追平 {}",
                name(&c.indicator),
                c.points,
                c.new_points,
                c.relative * 100.0,
                c.below,
                c.above
            ),
        )?;
    }
    for t in e.ties.iter().filter(|t| t.at_cutoff) {
        line(
            &mut r,
            "临界同分",
            format!("{} 与 {} 同分，按“{}”决定先后", t.above, t.below, t.key),
        )?;
    }
    for v in &e.reversals {
        let what = match v.change {
            Change::Removed => format!("移除 {}", v.project),
            Change::CopyAdded => format!("加入 {} 的副本", v.project),
        };
        line(
            &mut r,
            "秩反转",
            format!("{what} 后，{} 排到 {} 之前", v.now_above, v.was_above),
        )?;
    }
    let weights: Vec<String> = e
        .method
        .weights
        .iter()
        .map(|w| format!("{} {:.2}", name(&w.id), w.points))
        .collect();
    line(
        &mut r,
        "权重（分）",
        format!(
            "{}；{}：{}",
            e.method.weighting.label(),
            e.method.aggregation.label(),
            weights.join("、")
        ),
    )?;
    for a in &e.method.ahp {
        line(
            &mut r,
            "AHP 一致性",
            format!(
                "判断矩阵“{}”：λmax = {:.4}，CI = {:.4}，CR = {:.4}",
                a.level, a.lambda_max, a.ci, a.cr
            ),
        )?;
    }
    for n in &e.method.notes {
        line(&mut r, "方法说明", vocab::method_note(input.model, n))?;
    }
    Ok(())
}
