//! A project's farmland before and after, side by side, as SVG (hand-written;
//! typst places it with `#image`): contiguous blocks at or above the terrain
//! threshold in one colour, 零星耕地 in another, the other farmland pale,
//! the 永久基本农田 outline dashed, the 整治区域 outline, a scale bar, a north
//! arrow and a legend. Sized for the A4 text width (170 mm).
//!
//! The geometry comes from the metrics stage already simplified and bounded
//! ([`crate::metrics::spatial::drawing`]); here it is only scaled and written
//! as one path per class with relative coordinates of 0.05 mm.

use crate::metrics::spatial::drawing::{ProjectMap, Ring, StageMap};
use std::fmt::Write as _;

/// Colours and size of a map.
#[derive(Debug, Clone)]
pub struct MapStyle {
    /// Width of the drawing in millimetres (both panels and margins).
    pub width_mm: f64,
    pub block: &'static str,
    pub scattered: &'static str,
    pub other: &'static str,
    pub pbf: &'static str,
    pub boundary: &'static str,
}

impl Default for MapStyle {
    fn default() -> Self {
        MapStyle {
            width_mm: 170.0,
            block: "#2e7d32",
            scattered: "#ef6c00",
            other: "#b7dfb9",
            pbf: "#6a1b9a",
            boundary: "#212121",
        }
    }
}

/// The CJK family typst must use for SVG text (generic families are ignored).
const FONT: &str = "Noto Sans CJK SC";
/// Drawing units per millimetre.
const U: f64 = 20.0;

/// One panel's placement: map metres → drawing units.
struct Frame {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    k: f64,
}

impl Frame {
    fn pt(&self, p: [f32; 2]) -> (i64, i64) {
        (
            (self.x + f64::from(p[0]) * self.k).round() as i64,
            (self.y + self.h - f64::from(p[1]) * self.k).round() as i64,
        )
    }
}

/// Path data of rings: `M x y l dx dy … z`, dropping repeated points.
fn path(rings: &[Ring], f: &Frame) -> String {
    let mut d = String::new();
    for r in rings {
        let mut last: Option<(i64, i64)> = None;
        let mut n = 0;
        let start = d.len();
        for p in r {
            let q = f.pt(*p);
            match last {
                None => {
                    let _ = write!(d, "M{} {}l", q.0, q.1);
                }
                Some(l) if l == q => continue,
                Some(l) => {
                    let _ = write!(d, "{} {} ", q.0 - l.0, q.1 - l.1);
                    n += 1;
                }
            }
            last = Some(q);
        }
        if n < 2 {
            d.truncate(start);
        } else {
            d.push('z');
        }
    }
    d
}

fn text(out: &mut String, x: f64, y: f64, size_mm: f64, anchor: &str, s: &str) {
    let _ = write!(
        out,
        r##"<text x="{x:.0}" y="{y:.0}" font-family="{FONT}" font-size="{:.0}" text-anchor="{anchor}" fill="#212121">{}</text>"##,
        size_mm * U,
        escape(s)
    );
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A round length near a quarter of the panel width: 1, 2 or 5 × 10ⁿ metres.
fn scale_length(width_m: f64) -> f64 {
    let target = width_m / 4.0;
    let p = 10f64.powf(target.log10().floor());
    [5.0, 2.0, 1.0]
        .iter()
        .map(|m| m * p)
        .find(|l| *l <= target)
        .unwrap_or(p)
}

fn length_label(m: f64) -> String {
    if m >= 1000.0 {
        format!("{} 公里", m / 1000.0)
    } else {
        format!("{m} 米")
    }
}

fn scale_bar(out: &mut String, f: &Frame, width_m: f64) {
    let l = scale_length(width_m);
    let len = l * f.k;
    let (x, y) = (f.x + 2.0 * U, f.y + f.h - 3.0 * U);
    let _ = write!(
        out,
        r##"<rect x="{x:.0}" y="{:.0}" width="{:.0}" height="{:.0}" fill="#ffffff" fill-opacity="0.8"/>"##,
        y - 4.5 * U,
        len + 14.0 * U,
        6.0 * U
    );
    let _ = write!(
        out,
        r##"<path d="M{:.0} {:.0}h{len:.0}M{:.0} {:.0}v{:.0}M{:.0} {:.0}v{:.0}M{:.0} {:.0}v{:.0}" stroke="#212121" stroke-width="{:.0}" fill="none"/>"##,
        x + U,
        y,
        x + U,
        y - U,
        U,
        x + U + len / 2.0,
        y - 0.6 * U,
        0.6 * U,
        x + U + len,
        y - U,
        U,
        0.3 * U
    );
    text(out, x + U, y - 1.6 * U, 2.4, "middle", "0");
    text(out, x + U + len + 1.2 * U, y + 0.4 * U, 2.4, "start", &length_label(l));
}

fn north_arrow(out: &mut String, f: &Frame) {
    let (cx, top) = (f.x + f.w - 5.0 * U, f.y + 2.0 * U);
    let _ = write!(
        out,
        r##"<path d="M{cx:.0} {top:.0}l{:.0} {:.0}l{:.0} {:.0}z" fill="#212121"/><path d="M{cx:.0} {top:.0}l{:.0} {:.0}l{:.0} {:.0}z" fill="#ffffff" stroke="#212121" stroke-width="{:.0}"/>"##,
        -1.6 * U,
        6.0 * U,
        1.6 * U,
        -1.5 * U,
        1.6 * U,
        6.0 * U,
        -1.6 * U,
        -1.5 * U,
        0.15 * U
    );
    text(out, cx, top + 9.0 * U, 2.6, "middle", "北");
}

fn panel(
    out: &mut String,
    f: &Frame,
    map: &ProjectMap,
    stage: Option<&StageMap>,
    title: &str,
    style: &MapStyle,
    inset: f64,
) {
    let _ = write!(
        out,
        r##"<rect x="{:.0}" y="{:.0}" width="{:.0}" height="{:.0}" fill="#fafafa" stroke="#9e9e9e" stroke-width="{:.0}"/>"##,
        f.x,
        f.y,
        f.w,
        f.h,
        0.2 * U
    );
    let caption = match stage {
        Some(s) => format!(
            "{title}：耕地 {:.0} 亩，图斑 {} 个，集中连片地块 {} 个",
            s.farmland_mu, s.patches, s.contig_blocks
        ),
        None => format!("{title}：无地类图斑图层"),
    };
    text(out, f.x, f.y - 2.0 * U, 3.0, "start", &caption);
    // Geometry sits `inset` inside the frame (its y axis runs up from the inner bottom edge).
    let f = &Frame {
        x: f.x + inset,
        y: f.y + inset,
        w: f.w - 2.0 * inset,
        h: f.h - 2.0 * inset,
        k: f.k,
    };
    if let Some(s) = stage {
        for (rings, fill) in [
            (&s.other, style.other),
            (&s.scattered, style.scattered),
            (&s.blocks, style.block),
        ] {
            let d = path(rings, f);
            if !d.is_empty() {
                let _ = write!(
                    out,
                    r#"<path d="{d}" fill="{fill}" fill-rule="evenodd" stroke="none"/>"#
                );
            }
        }
        let d = path(&s.pbf_cells, f);
        if !d.is_empty() {
            let _ = write!(
                out,
                r#"<path d="{d}" fill="{}" fill-opacity="0.2" stroke="none"/>"#,
                style.pbf
            );
        }
        let d = path(&s.pbf, f);
        if !d.is_empty() {
            let _ = write!(
                out,
                r#"<path d="{d}" fill="none" stroke="{}" stroke-width="{:.0}" stroke-dasharray="{:.0} {:.0}"/>"#,
                style.pbf,
                0.25 * U,
                0.8 * U,
                0.5 * U
            );
        }
    }
    let d = path(&map.boundary, f);
    if !d.is_empty() {
        let _ = write!(
            out,
            r#"<path d="{d}" fill="none" stroke="{}" stroke-width="{:.0}"/>"#,
            style.boundary,
            0.4 * U
        );
    }
    north_arrow(out, f);
    scale_bar(out, f, f.w / f.k);
}

fn legend(out: &mut String, x: f64, y: f64, map: &ProjectMap, style: &MapStyle) {
    let items = [
        (
            style.block,
            format!("集中连片地块（≥ {:.0} 亩）", map.threshold_mu),
            false,
        ),
        (style.other, "其他耕地".to_string(), false),
        (style.scattered, "零星耕地（连片后 < 5 亩）".to_string(), false),
        (style.pbf, "永久基本农田".to_string(), true),
        (style.boundary, "整治区域".to_string(), true),
    ];
    let mut cx = x;
    for (colour, label, line) in items {
        if line {
            let dash = if colour == style.pbf {
                r#" stroke-dasharray="16 10""#
            } else {
                ""
            };
            let _ = write!(
                out,
                r#"<rect x="{cx:.0}" y="{:.0}" width="{:.0}" height="{:.0}" fill="none" stroke="{colour}" stroke-width="{:.0}"{dash}/>"#,
                y - 2.6 * U,
                4.0 * U,
                3.0 * U,
                0.35 * U
            );
        } else {
            let _ = write!(
                out,
                r#"<rect x="{cx:.0}" y="{:.0}" width="{:.0}" height="{:.0}" fill="{colour}"/>"#,
                y - 2.6 * U,
                4.0 * U,
                3.0 * U
            );
        }
        text(out, cx + 5.0 * U, y, 2.6, "start", &label);
        cx += (7.0 + 2.6 * label.chars().count() as f64) * U;
    }
}

/// The before/after map of one project as an SVG document.
pub fn render_svg(map: &ProjectMap, style: &MapStyle) -> String {
    let width = style.width_mm * U;
    let gap = 6.0 * U;
    let pw = (width - gap) / 2.0;
    let aspect = if map.width_m > 0.0 {
        (map.height_m / map.width_m).clamp(0.4, 1.4)
    } else {
        1.0
    };
    let ph = pw * aspect;
    let top = 7.0 * U;
    let height = top + ph + 10.0 * U;
    // 3 mm inside the panel frame, so the boundary outline stays visible.
    let inset = 3.0 * U;
    let k = ((pw - 2.0 * inset) / map.width_m.max(1.0)).min((ph - 2.0 * inset) / map.height_m.max(1.0));
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}mm" height="{:.1}mm" viewBox="0 0 {width:.0} {height:.0}">"#,
        style.width_mm,
        height / U
    );
    for (i, (stage, title)) in [(map.before.as_ref(), "整治前"), (map.after.as_ref(), "整治后")]
        .into_iter()
        .enumerate()
    {
        let f = Frame {
            x: i as f64 * (pw + gap),
            y: top,
            w: pw,
            h: ph,
            k,
        };
        panel(&mut out, &f, map, stage, title, style, inset);
    }
    legend(&mut out, 0.0, top + ph + 6.5 * U, map, style);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::spatial::drawing::StageMap;

    fn square(x: f32, y: f32, s: f32) -> Ring {
        vec![[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]
    }

    #[test]
    fn both_panels_legend_scale_and_north_arrow_are_drawn() {
        let stage = |blocks: usize| StageMap {
            blocks: (0..blocks).map(|i| square(i as f32 * 300.0, 0.0, 250.0)).collect(),
            scattered: vec![square(900.0, 900.0, 20.0)],
            pbf: vec![square(0.0, 0.0, 600.0)],
            patches: blocks + 1,
            contig_blocks: blocks,
            farmland_mu: 100.0,
            ..Default::default()
        };
        let map = ProjectMap {
            project: "T-01".into(),
            threshold_mu: 100.0,
            width_m: 1000.0,
            height_m: 1000.0,
            boundary: vec![square(0.0, 0.0, 1000.0)],
            before: Some(stage(1)),
            after: Some(stage(3)),
        };
        let svg = render_svg(&map, &MapStyle::default());
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        for needle in [
            "整治前",
            "整治后",
            "集中连片地块（≥ 100 亩）",
            "零星耕地",
            "永久基本农田",
            "北",
            "200 米",
            FONT,
        ] {
            assert!(svg.contains(needle), "{needle}");
        }
        // The after panel has three block squares: three subpaths in the block colour.
        let blocks = svg.matches(&format!(r#"fill="{}""#, MapStyle::default().block)).count();
        assert_eq!(blocks, 2 + 1, "one block path per panel and the legend swatch");
        let after_path = svg
            .split("<path d=\"")
            .filter(|p| p.contains(&format!(r#"fill="{}""#, MapStyle::default().block)))
            .nth(1)
            .unwrap_or_default();
        assert_eq!(after_path.matches('M').count(), 3);
        // A 1 km extent: the scale bar is 200 m (the largest round length ≤ 250 m).
        assert_eq!(scale_length(1000.0), 200.0);
        assert_eq!(scale_length(4300.0), 1000.0);
    }
}
