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

/// One bar of the stacked score chart.
pub struct ScoreBar {
    pub label: String,
    /// Points earned per dimension, in model order.
    pub parts: Vec<f64>,
    pub total: f64,
    pub vetoed: bool,
}

/// Horizontal bars of total score stacked by dimension, best at the top.
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
        root.draw(&Rectangle::new([(x, 12), (x + 14, 26)], VETO_GREY.filled()))
            .map_err(|e| anyhow!("{e}"))?;
        root.draw(&Text::new("一票否决", (x + 18, 12), font(14)))
            .map_err(|e| anyhow!("{e}"))?;

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
            let mut x0 = 0.0;
            for (k, part) in b.parts.iter().enumerate() {
                let c = if b.vetoed {
                    VETO_GREY
                } else {
                    PALETTE[k % PALETTE.len()]
                };
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
            let y_px = TOP as i32 + (i as u32 * ROW) as i32 + 2;
            labels
                .draw(&Text::new(truncate(&b.label, 18), (4, y_px), font(13)))
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
