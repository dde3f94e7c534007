//! Charts drawn by plotters as SVG (text in the shipped CJK font).

use super::fonts::SANS;
use anyhow::{Result, anyhow};
use plotters::prelude::*;

/// Colours of the dimensions, in model order.
const PALETTE: &[RGBColor] = &[
    RGBColor(0x44, 0x72, 0xC4),
    RGBColor(0xED, 0x7D, 0x31),
    RGBColor(0x70, 0xAD, 0x47),
    RGBColor(0xA5, 0x5E, 0xA8),
    RGBColor(0x26, 0xA6, 0x9A),
];
const VETO_GREY: RGBColor = RGBColor(0xB0, 0xB0, 0xB0);
/// Text of vetoed projects (the reports' red).
const VETO_RED: RGBColor = RGBColor(0xC0, 0x00, 0x00);

/// One bar of the stacked score chart.
pub struct ScoreBar {
    pub label: String,
    /// Points earned per dimension, in model order.
    pub parts: Vec<f64>,
    pub total: f64,
    /// A vetoed project gets no bar: `note` (e.g. the breached red lines) is written instead.
    pub vetoed: bool,
    pub note: String,
}

/// Horizontal bars of total score stacked by dimension, best at the top;
/// vetoed projects (listed last) get their note in red instead of a bar,
/// below a dividing line.
pub fn score_bars(bars: &[ScoreBar], dimensions: &[String]) -> Result<String> {
    const ROW: u32 = 20;
    const TOP: u32 = 46;
    const BOTTOM: u32 = 36;
    const LABEL_W: u32 = 250;
    const WIDTH: u32 = 900;
    let height = TOP + BOTTOM + ROW * bars.len().max(1) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
        let font = |size: u32| (SANS, size).into_font();
        // Legend.
        let mut x = LABEL_W as i32;
        for (i, d) in dimensions.iter().enumerate() {
            let c = PALETTE[i % PALETTE.len()];
            root.draw(&Rectangle::new([(x, 12), (x + 14, 26)], c.filled()))
                .map_err(|e| anyhow!("{e}"))?;
            root.draw(&Text::new(d.clone(), (x + 18, 12), font(14)))
                .map_err(|e| anyhow!("{e}"))?;
            x += 30 + 16 * d.chars().count() as i32;
        }
        if bars.iter().any(|b| b.vetoed) {
            root.draw(&Text::new(
                "一票否决项目不画得分条",
                (x + 4, 12),
                font(14).color(&VETO_RED),
            ))
            .map_err(|e| anyhow!("{e}"))?;
        }

        let (labels, plot) = root.split_horizontally(LABEL_W);
        let mut chart = ChartBuilder::on(&plot)
            .margin_top(TOP)
            .margin_right(40)
            .x_label_area_size(BOTTOM)
            .build_cartesian_2d(0f64..100f64, 0f64..bars.len().max(1) as f64)
            .map_err(|e| anyhow!("{e}"))?;
        chart
            .configure_mesh()
            .disable_mesh()
            .y_labels(0)
            .x_labels(11)
            .x_label_style(font(13))
            .x_desc("得分")
            .axis_desc_style(font(13))
            .draw()
            .map_err(|e| anyhow!("{e}"))?;
        let n = bars.len() as f64;
        for (i, b) in bars.iter().enumerate() {
            let y1 = n - i as f64 - 0.15;
            let y0 = n - i as f64 - 0.85;
            if b.vetoed {
                if i == 0 || !bars[i - 1].vetoed {
                    let y = n - i as f64;
                    chart
                        .draw_series(std::iter::once(PathElement::new(
                            vec![(0.0, y), (100.0, y)],
                            VETO_GREY.stroke_width(1),
                        )))
                        .map_err(|e| anyhow!("{e}"))?;
                }
                chart
                    .draw_series(std::iter::once(Text::new(
                        b.note.clone(),
                        (0.6, y1),
                        font(12).color(&VETO_RED),
                    )))
                    .map_err(|e| anyhow!("{e}"))?;
            } else {
                let mut x0 = 0.0;
                for (k, part) in b.parts.iter().enumerate() {
                    let c = PALETTE[k % PALETTE.len()];
                    chart
                        .draw_series(std::iter::once(Rectangle::new([(x0, y0), (x0 + part, y1)], c.filled())))
                        .map_err(|e| anyhow!("{e}"))?;
                    x0 += part;
                }
                chart
                    .draw_series(std::iter::once(Text::new(
                        format!("{:.1}", b.total),
                        (b.total + 0.6, y1),
                        font(12),
                    )))
                    .map_err(|e| anyhow!("{e}"))?;
            }
            let y_px = TOP as i32 + (i as u32 * ROW) as i32 + 2;
            let label_font = if b.vetoed {
                font(13).color(&VETO_RED)
            } else {
                font(13).color(&BLACK)
            };
            labels
                .draw(&Text::new(truncate(&b.label, 18), (4, y_px), label_font))
                .map_err(|e| anyhow!("{e}"))?;
        }
        root.present().map_err(|e| anyhow!("{e}"))?;
    }
    Ok(svg)
}

/// At most `n` characters, with an ellipsis when cut.
fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

fn err<E: std::fmt::Display>(e: E) -> anyhow::Error {
    anyhow!("绘制图表失败：{e}")
}

/// Radar of dimension score rates (each value in [0, 1]); one polygon per
/// series (name, values), the first filled; a legend when there are several.
/// `font` is the label size in px (larger when the chart is printed small).
pub fn radar(axes: &[String], series: &[(String, Vec<f64>)], font: u32) -> Result<String> {
    let extra = 6 * font.saturating_sub(13);
    let (w, h) = (420 + extra, 380 + extra);
    let r = 130.0_f64;
    let (cx, cy) = (f64::from(w) / 2.0, f64::from(h) / 2.0 + 10.0);
    let n = axes.len().max(3);
    let pt = |k: usize, v: f64| -> (i32, i32) {
        let a = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * k as f64 / n as f64;
        (
            (cx + r * v * a.cos()).round() as i32,
            (cy + r * v * a.sin()).round() as i32,
        )
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let grid = RGBColor(0xC8, 0xC8, 0xC8);
        for ring in [0.25, 0.5, 0.75, 1.0] {
            let mut ps: Vec<(i32, i32)> = (0..n).map(|k| pt(k, ring)).collect();
            ps.push(ps[0]);
            root.draw(&PathElement::new(ps, grid.stroke_width(1))).map_err(err)?;
        }
        for (k, name) in axes.iter().enumerate() {
            root.draw(&PathElement::new(vec![pt(k, 0.0), pt(k, 1.0)], grid.stroke_width(1)))
                .map_err(err)?;
            let (x, y) = pt(k, 1.0 + 0.6 * f64::from(font) / r);
            let w = font as i32 * name.chars().count() as i32;
            let f = font as i32;
            root.draw(&Text::new(
                name.clone(),
                (x - w / 2, y - f / 2),
                (SANS, font).into_font(),
            ))
            .map_err(err)?;
        }
        for (i, (name, vals)) in series.iter().enumerate() {
            let c = PALETTE[i % PALETTE.len()];
            let ps: Vec<(i32, i32)> = vals.iter().enumerate().map(|(k, v)| pt(k, v.clamp(0.0, 1.0))).collect();
            if ps.is_empty() {
                continue;
            }
            if i == 0 {
                root.draw(&Polygon::new(ps.clone(), c.mix(0.25).filled()))
                    .map_err(err)?;
            }
            let mut closed = ps.clone();
            closed.push(ps[0]);
            root.draw(&PathElement::new(closed, c.stroke_width(2))).map_err(err)?;
            if series.len() > 1 {
                let f = font as i32;
                let ly = 10 + (f + 6) * i as i32;
                root.draw(&Rectangle::new([(10, ly), (10 + f, ly + f)], c.filled()))
                    .map_err(err)?;
                root.draw(&Text::new(name.clone(), (16 + f, ly), (SANS, font).into_font()))
                    .map_err(err)?;
            }
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Histogram of the eligible projects' totals in 10-point bins (0–10 …
/// 90–100), with the vetoed projects as a separate grey bar beside it
/// (their computed totals are not binned).
pub fn histogram(totals: &[f64], vetoed: usize) -> Result<String> {
    let mut bins = [0u32; 10];
    for t in totals {
        bins[((t / 10.0).floor().max(0.0) as usize).min(9)] += 1;
    }
    let vetoed = u32::try_from(vetoed).unwrap_or(u32::MAX);
    let top = (*bins.iter().max().unwrap_or(&1)).max(vetoed).max(1);
    // The vetoed bar sits at 103–113, past the 0–100 score axis.
    let right = if vetoed > 0 { 115.0 } else { 100.0 };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 300)).into_drawing_area();
        let font = |s: u32| (SANS, s + 3).into_font();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(14)
            .x_label_area_size(40)
            .y_label_area_size(44)
            .build_cartesian_2d(0f64..right, 0f64..(f64::from(top) * 1.15).ceil())
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(if vetoed > 0 { 13 } else { 11 })
            .x_label_style(font(12))
            .y_label_style(font(12))
            .x_desc("总分")
            .y_desc("项目数")
            .axis_desc_style(font(13))
            .x_label_formatter(&|v| if *v > 100.0 { String::new() } else { format!("{v:.0}") })
            .y_label_formatter(&|v| whole(*v))
            .draw()
            .map_err(err)?;
        let mut bars: Vec<(f64, u32, RGBColor)> = bins
            .iter()
            .enumerate()
            .map(|(i, n)| (i as f64 * 10.0, *n, PALETTE[0]))
            .collect();
        if vetoed > 0 {
            bars.push((103.0, vetoed, VETO_GREY));
        }
        for (x0, n, colour) in bars {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x0 + 0.8, 0.0), (x0 + 9.2, f64::from(n))],
                    colour.filled(),
                )))
                .map_err(err)?;
            if n > 0 {
                let (label, dx) = if x0 > 100.0 {
                    (format!("否决 {n}"), 0.5)
                } else {
                    (n.to_string(), 4.0)
                };
                chart
                    .draw_series(std::iter::once(Text::new(
                        label,
                        (x0 + dx, f64::from(n) + f64::from(top) * 0.08),
                        font(12),
                    )))
                    .map_err(err)?;
            }
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// A project count on an axis: whole numbers only (no `0 0 1 2 2` from rounded half ticks).
fn whole(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        String::new()
    }
}

/// One before/after panel: (title with unit, before, after).
#[derive(serde::Serialize)]
pub struct BeforeAfter {
    pub title: String,
    pub before: f64,
    pub after: f64,
}

/// Side-by-side before/after bars, one small panel per headline effect.
pub fn before_after(panels: &[BeforeAfter]) -> Result<String> {
    let n = panels.len().max(1) as u32;
    let (pw, h) = (220u32, 260u32);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (pw * n, h)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let areas = root.split_evenly((1, n as usize));
        let font = |s: u32| (SANS, s + 6).into_font();
        for (area, p) in areas.iter().zip(panels) {
            let top = p.before.max(p.after).max(1e-9) * 1.25;
            let mut chart = ChartBuilder::on(area)
                .margin(10)
                .caption(&p.title, font(14))
                .x_label_area_size(30)
                .y_label_area_size(0)
                .build_cartesian_2d(0f64..2f64, 0f64..top)
                .map_err(err)?;
            chart
                .configure_mesh()
                .disable_mesh()
                .disable_y_axis()
                .x_labels(0)
                .draw()
                .map_err(err)?;
            for (k, (label, v)) in [("整治前", p.before), ("整治后", p.after)].iter().enumerate() {
                let x0 = k as f64;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x0 + 0.2, 0.0), (x0 + 0.8, *v)],
                        PALETTE[k].filled(),
                    )))
                    .map_err(err)?;
                chart
                    .draw_series(std::iter::once(Text::new(
                        crate::report::text::fmt_num(*v, 1),
                        (x0 + 0.25, *v + top * 0.1),
                        font(12),
                    )))
                    .map_err(err)?;
                chart
                    .draw_series(std::iter::once(Text::new(
                        label.to_string(),
                        (x0 + 0.25, top * -0.02),
                        font(12),
                    )))
                    .map_err(err)?;
            }
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Horizontal bars with a value label, e.g. obstacle degrees in percent.
pub fn hbars(items: &[(String, f64)], unit: &str) -> Result<String> {
    const ROW: u32 = 28;
    let height = 30 + ROW * items.len().max(1) as u32;
    let top = items.iter().map(|x| x.1).fold(0.0, f64::max).max(1e-9) * 1.2;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let (labels, plot) = root.split_horizontally(260);
        let font = |s: u32| (SANS, s + 2).into_font();
        let n = items.len() as f64;
        let mut chart = ChartBuilder::on(&plot)
            .margin_top(10)
            .margin_right(20)
            .x_label_area_size(20)
            .build_cartesian_2d(0f64..top, 0f64..n.max(1.0))
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .y_labels(0)
            .x_labels(0)
            .draw()
            .map_err(err)?;
        for (i, (label, v)) in items.iter().enumerate() {
            let y1 = n - i as f64 - 0.2;
            let y0 = n - i as f64 - 0.8;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y0), (*v, y1)],
                    PALETTE[1].filled(),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{}{unit}", crate::report::text::fmt_num(*v, 1)),
                    (*v + top * 0.01, y1 - 0.1),
                    font(13),
                )))
                .map_err(err)?;
            labels
                .draw(&Text::new(
                    truncate(label, 18),
                    (4, 14 + (i as u32 * ROW) as i32),
                    font(14),
                ))
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// One candidate's rank interval: label, evaluated rank, median, 5% and 95% rank.
pub struct RankInterval {
    pub label: String,
    pub rank: u32,
    pub median: u32,
    pub low: u32,
    pub high: u32,
}

/// Rank intervals of the demonstration candidates as error bars (rank 1 at the
/// left): a line from the 5% to the 95% rank, a dot at the median and a
/// diamond at the evaluated rank.
pub fn rank_intervals(items: &[RankInterval]) -> Result<String> {
    const ROW: u32 = 26;
    let height = 50 + ROW * items.len().max(1) as u32;
    let worst = items.iter().map(|x| x.high.max(x.rank)).max().unwrap_or(1) as f64 + 1.0;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let (labels, plot) = root.split_horizontally(260);
        let font = |s: u32| (SANS, s + 2).into_font();
        let n = items.len() as f64;
        let mut chart = ChartBuilder::on(&plot)
            .margin_top(10)
            .margin_right(20)
            .x_label_area_size(40)
            .build_cartesian_2d(0.5f64..worst, 0f64..n.max(1.0))
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_label_style(font(12))
            .x_desc("名次（5%–95% 区间，圆点为中位数，三角为本次评估名次）")
            .axis_desc_style(font(12))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .draw()
            .map_err(err)?;
        for (i, it) in items.iter().enumerate() {
            let y = n - i as f64 - 0.5;
            let (lo, hi) = (f64::from(it.low), f64::from(it.high));
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(lo, y), (hi, y)],
                    PALETTE[0].stroke_width(3),
                )))
                .map_err(err)?;
            for x in [lo, hi] {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(x, y - 0.2), (x, y + 0.2)],
                        PALETTE[0].stroke_width(2),
                    )))
                    .map_err(err)?;
            }
            chart
                .draw_series(std::iter::once(Circle::new(
                    (f64::from(it.median), y),
                    5,
                    PALETTE[0].filled(),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(TriangleMarker::new(
                    (f64::from(it.rank), y),
                    6,
                    PALETTE[1].filled(),
                )))
                .map_err(err)?;
            labels
                .draw(&Text::new(
                    truncate(&it.label, 18),
                    (4, 14 + (i as u32 * ROW) as i32),
                    font(14),
                ))
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}
