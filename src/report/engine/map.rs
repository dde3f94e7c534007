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

/// Which stages a map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Panels {
    /// Before and after, side by side.
    #[default]
    Both,
    /// The after stage alone (the bulletin's typical cases).
    After,
}

/// Colours, size and panels of a map.
#[derive(Debug, Clone)]
pub struct MapStyle {
    /// Width of the drawing in millimetres (all panels and margins); draw
    /// at the width the document places it, so text keeps its size.
    pub width_mm: f64,
    /// Height of a panel frame at most (millimetres); the geometry then
    /// shrinks to fit, centred in its frame.
    pub max_panel_height_mm: Option<f64>,
    pub panels: Panels,
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
            max_panel_height_mm: None,
            panels: Panels::Both,
            block: "#2e7d32",
            scattered: "#ef6c00",
            other: "#b7dfb9",
            pbf: "#6a1b9a",
            boundary: "#212121",
        }
    }
}

impl MapStyle {
    /// The default colours at `width_mm`, showing `panels`.
    pub fn sized(width_mm: f64, panels: Panels) -> Self {
        MapStyle {
            width_mm,
            panels,
            ..MapStyle::default()
        }
    }
}

/// Whether a map has anything of `panels` to draw: a 地类图斑 stage
/// (for [`Panels::After`], the after stage).
pub fn drawable(map: &ProjectMap, panels: Panels) -> bool {
    match panels {
        Panels::Both => map.before.is_some() || map.after.is_some(),
        Panels::After => map.after.is_some(),
    }
}

/// The path a document serves the map of `project` at (`/maps/<id>.svg`,
/// `/maps/<id>-after.svg` for the after panel alone): letters, digits and
/// `-` as they are, every other byte as `_xx` (hex), so any project id
/// gives a valid, distinct file name.
pub fn file_path(project: &str, panels: Panels) -> String {
    let mut name = String::with_capacity(project.len() + 16);
    for b in project.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            name.push(b as char);
        } else {
            let _ = write!(name, "_{b:02x}");
        }
    }
    let suffix = match panels {
        Panels::Both => "",
        Panels::After => "-after",
    };
    format!("/maps/{name}{suffix}.svg")
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

/// Text as XML character data or attribute value: markup characters as
/// entities, characters XML 1.0 does not allow (control characters other
/// than tab and line breaks, U+FFFE, U+FFFF) dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Estimated width of `s` at `size_mm` (an ideograph is one em, ASCII about half).
fn text_width(s: &str, size_mm: f64) -> f64 {
    s.chars().map(|c| if c.is_ascii() { 0.56 } else { 1.0 }).sum::<f64>() * size_mm
}

/// `pieces` packed greedily into lines at most `width_mm` wide (a piece wider
/// than that gets a line of its own).
fn pack(pieces: &[String], size_mm: f64, width_mm: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for p in pieces {
        match lines.last_mut() {
            Some(l) if text_width(l, size_mm) + text_width(p, size_mm) <= width_mm => l.push_str(p),
            _ => lines.push(p.clone()),
        }
    }
    lines
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

/// Caption font size and line pitch (mm).
const CAPTION: f64 = 3.0;
const CAPTION_PITCH: f64 = 4.0;
/// Legend font size and row pitch (mm).
const LEGEND: f64 = 2.6;
const LEGEND_PITCH: f64 = 4.5;

/// A panel's caption in pieces a line may break between.
fn caption_pieces(stage: Option<&StageMap>, title: &str) -> Vec<String> {
    match stage {
        Some(s) => vec![
            format!("{title}："),
            format!("耕地 {:.0} 亩，", s.farmland_mu),
            format!("图斑 {} 个，", s.patches),
            format!("集中连片地块 {} 个", s.contig_blocks),
        ],
        None => vec![format!("{title}："), "无地类图斑图层".to_string()],
    }
}

/// One panel: `f` is its frame, `lines` its caption above the frame.
fn panel(out: &mut String, f: &Frame, map: &ProjectMap, stage: Option<&StageMap>, lines: &[String], style: &MapStyle) {
    let _ = write!(
        out,
        r##"<rect x="{:.0}" y="{:.0}" width="{:.0}" height="{:.0}" fill="#fafafa" stroke="#9e9e9e" stroke-width="{:.0}"/>"##,
        f.x,
        f.y,
        f.w,
        f.h,
        0.2 * U
    );
    for (i, line) in lines.iter().enumerate() {
        let baseline = f.y - 2.0 * U - (lines.len() - 1 - i) as f64 * CAPTION_PITCH * U;
        text(out, f.x, baseline, CAPTION, "start", line);
    }
    // Geometry sits 3 mm inside the frame (so the boundary outline stays
    // visible), centred; its y axis runs up from its bottom edge.
    let inset = 3.0 * U;
    let inner = Frame {
        x: f.x + inset,
        y: f.y + inset,
        w: f.w - 2.0 * inset,
        h: f.h - 2.0 * inset,
        k: f.k,
    };
    let (gw, gh) = (map.width_m * f.k, map.height_m * f.k);
    let g = &Frame {
        x: inner.x + ((inner.w - gw) / 2.0).max(0.0),
        y: inner.y + ((inner.h - gh) / 2.0).max(0.0),
        w: gw,
        h: gh,
        k: f.k,
    };
    if let Some(s) = stage {
        stage_paths(out, s, g, style);
    }
    let d = path(&map.boundary, g);
    if !d.is_empty() {
        let _ = write!(
            out,
            r#"<path d="{d}" fill="none" stroke="{}" stroke-width="{:.0}"/>"#,
            style.boundary,
            0.4 * U
        );
    }
    north_arrow(out, &inner);
    // A quarter of the geometry's width: where the frame is wider than the geometry, the
    // bar then stays in the margin beside it.
    scale_bar(out, &inner, map.width_m.max(1.0));
}

/// A stage's farmland classes and 永久基本农田 (cells and dashed outline).
fn stage_paths(out: &mut String, s: &StageMap, g: &Frame, style: &MapStyle) {
    for (rings, fill) in [
        (&s.other, style.other),
        (&s.scattered, style.scattered),
        (&s.blocks, style.block),
    ] {
        let d = path(rings, g);
        if !d.is_empty() {
            let _ = write!(
                out,
                r#"<path d="{d}" fill="{fill}" fill-rule="evenodd" stroke="none"/>"#
            );
        }
    }
    let d = path(&s.pbf_cells, g);
    if !d.is_empty() {
        let _ = write!(
            out,
            r#"<path d="{d}" fill="{}" fill-opacity="0.2" stroke="none"/>"#,
            style.pbf
        );
    }
    let d = path(&s.pbf, g);
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

/// The legend's entries: colour, label, drawn as an outline.
fn legend_items(map: &ProjectMap, style: &MapStyle) -> Vec<(&'static str, String, bool)> {
    vec![
        (
            style.block,
            format!("集中连片地块（≥ {:.0} 亩）", map.threshold_mu),
            false,
        ),
        (style.other, "其他耕地".to_string(), false),
        (style.scattered, "零星耕地（连片后 < 5 亩）".to_string(), false),
        (style.pbf, "永久基本农田".to_string(), true),
        (style.boundary, "整治区域".to_string(), true),
    ]
}

/// Width of a legend entry (swatch, gap, label, spacing), mm.
fn legend_item_width(label: &str) -> f64 {
    7.0 + text_width(label, LEGEND)
}

/// Rows of legend entries (indices) that fit `width_mm`.
fn legend_rows(items: &[(&'static str, String, bool)], width_mm: f64) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut used = 0.0;
    for (i, (_, label, _)) in items.iter().enumerate() {
        let w = legend_item_width(label);
        match rows.last_mut() {
            Some(r) if used + w <= width_mm => {
                r.push(i);
                used += w;
            }
            _ => {
                rows.push(vec![i]);
                used = w;
            }
        }
    }
    rows
}

fn legend(out: &mut String, y: f64, items: &[(&'static str, String, bool)], rows: &[Vec<usize>], style: &MapStyle) {
    for (r, row) in rows.iter().enumerate() {
        let y = y + r as f64 * LEGEND_PITCH * U;
        let mut cx = 0.0;
        for &i in row {
            let (colour, label, line) = &items[i];
            let swatch = if *line {
                let dash = if *colour == style.pbf {
                    r#" stroke-dasharray="16 10""#
                } else {
                    ""
                };
                format!(r#"fill="none" stroke="{colour}" stroke-width="{:.0}"{dash}"#, 0.35 * U)
            } else {
                format!(r#"fill="{colour}""#)
            };
            let _ = write!(
                out,
                r#"<rect x="{cx:.0}" y="{:.0}" width="{:.0}" height="{:.0}" {swatch}/>"#,
                y - 2.6 * U,
                4.0 * U,
                3.0 * U
            );
            text(out, cx + 5.0 * U, y, LEGEND, "start", label);
            cx += legend_item_width(label) * U;
        }
    }
}

/// Width and height of each panel frame (drawing units): the style's width
/// shared by the `n` panels, as high as the extent's shape asks (clamped to
/// 0.4–1.4 of the width) up to [`MapStyle::max_panel_height_mm`]; the
/// geometry is centred in the frame. (Frames keep the full width even when
/// the cap leaves them wider than the geometry: the captions then fit on
/// fewer lines, which is what a scorecard is short of.)
fn panel_size(map: &ProjectMap, style: &MapStyle, n: f64, gap: f64) -> (f64, f64) {
    let pw = (style.width_mm * U - gap * (n - 1.0)) / n;
    let aspect = if map.width_m > 0.0 {
        (map.height_m / map.width_m).clamp(0.4, 1.4)
    } else {
        1.0
    };
    let ph = style
        .max_panel_height_mm
        .map_or(pw * aspect, |m| (pw * aspect).min(m * U));
    (pw, ph)
}

/// The map of one project as an SVG document: before and after side by
/// side, or the after panel alone ([`MapStyle::panels`]).
pub fn render_svg(map: &ProjectMap, style: &MapStyle) -> String {
    let stages: Vec<(Option<&StageMap>, &str)> = match style.panels {
        Panels::Both => vec![(map.before.as_ref(), "整治前"), (map.after.as_ref(), "整治后")],
        Panels::After => vec![(map.after.as_ref(), "整治后")],
    };
    let gap = 6.0 * U;
    let inset = 3.0 * U;
    let n = stages.len() as f64;
    let (pw, ph) = panel_size(map, style, n, gap);
    let width = n * pw + gap * (n - 1.0);
    let captions: Vec<Vec<String>> = stages
        .iter()
        .map(|(s, title)| pack(&caption_pieces(*s, title), CAPTION, pw / U))
        .collect();
    let lines = captions.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let top = (7.0 + (lines - 1) as f64 * CAPTION_PITCH) * U;
    let items = legend_items(map, style);
    let rows = legend_rows(&items, width / U);
    let height = top + ph + (10.0 + (rows.len().max(1) - 1) as f64 * LEGEND_PITCH) * U;
    let k = ((pw - 2.0 * inset) / map.width_m.max(1.0)).min((ph - 2.0 * inset) / map.height_m.max(1.0));
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{:.1}mm" height="{:.1}mm" viewBox="0 0 {width:.0} {height:.0}">"#,
        width / U,
        height / U
    );
    for (i, ((stage, _), lines)) in stages.iter().zip(&captions).enumerate() {
        let f = Frame {
            x: i as f64 * (pw + gap),
            y: top,
            w: pw,
            h: ph,
            k,
        };
        panel(&mut out, &f, map, *stage, lines, style);
    }
    legend(&mut out, top + ph + 6.5 * U, &items, &rows, style);
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

    fn stage(blocks: usize) -> StageMap {
        StageMap {
            blocks: (0..blocks).map(|i| square(i as f32 * 300.0, 0.0, 250.0)).collect(),
            scattered: vec![square(900.0, 900.0, 20.0)],
            pbf: vec![square(0.0, 0.0, 600.0)],
            patches: blocks + 1,
            contig_blocks: blocks,
            farmland_mu: 100.0,
            ..Default::default()
        }
    }

    fn sample() -> ProjectMap {
        ProjectMap {
            project: "T-01".into(),
            threshold_mu: 100.0,
            width_m: 1000.0,
            height_m: 1000.0,
            boundary: vec![square(0.0, 0.0, 1000.0)],
            before: Some(stage(1)),
            after: Some(stage(3)),
        }
    }

    /// The drawing's size in mm from its `width`/`height` attributes.
    fn size_mm(svg: &str) -> (f64, f64) {
        let attr = |name: &str| -> f64 {
            let start = svg.find(&format!(" {name}=\"")).expect(name) + name.len() + 3;
            let end = start + svg[start..].find("mm").expect("mm");
            svg[start..end].parse().expect("number")
        };
        (attr("width"), attr("height"))
    }

    /// Largest x reached by a text's estimated extent or a rect (drawing units).
    fn right_edge(svg: &str) -> f64 {
        let mut max = 0.0f64;
        for t in svg.split("<text ").skip(1) {
            let x: f64 = t["x=\"".len()..].split('"').next().unwrap().parse().unwrap();
            let size: f64 = t
                .split("font-size=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let body = t.split('>').nth(1).unwrap().split('<').next().unwrap();
            let body = body.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
            let w = text_width(&body, size / U) * U;
            let anchor_start = t.contains(r#"text-anchor="start""#);
            max = max.max(if anchor_start { x + w } else { x + w / 2.0 });
        }
        for r in svg.split("<rect ").skip(1) {
            let num = |a: &str| -> f64 {
                r.split(&format!("{a}=\""))
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap()
            };
            max = max.max(num("x") + num("width"));
        }
        max
    }

    #[test]
    fn both_panels_legend_scale_and_north_arrow_are_drawn() {
        let map = sample();
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

    #[test]
    fn the_after_panel_alone_is_one_panel() {
        let svg = render_svg(&sample(), &MapStyle::sized(100.0, Panels::After));
        assert!(svg.contains("整治后") && !svg.contains("整治前"));
        // One frame, one block path (3 squares) and the legend swatch.
        assert_eq!(svg.matches(r##"fill="#fafafa""##).count(), 1);
        assert_eq!(
            svg.matches(&format!(r#"fill="{}""#, MapStyle::default().block)).count(),
            2
        );
        assert!(drawable(&sample(), Panels::After));
        let before_only = ProjectMap {
            after: None,
            ..sample()
        };
        assert!(!drawable(&before_only, Panels::After) && drawable(&before_only, Panels::Both));
    }

    /// At 100 mm the captions and the legend wrap onto more lines instead of
    /// running past the panel or the drawing; nothing reaches past the width.
    #[test]
    fn a_narrow_map_wraps_captions_and_legend_within_its_width() {
        let wide = render_svg(&sample(), &MapStyle::default());
        let narrow = render_svg(&sample(), &MapStyle::sized(100.0, Panels::Both));
        assert!(right_edge(&wide) <= 170.0 * U, "{}", right_edge(&wide));
        assert!(right_edge(&narrow) <= 100.0 * U, "{}", right_edge(&narrow));
        assert!(narrow.matches("<text ").count() > wide.matches("<text ").count());
        assert_eq!(size_mm(&narrow).0, 100.0);
        // Panel caption lines of the narrow map each fit their panel (47 mm).
        let pw = (100.0 - 6.0) / 2.0;
        for line in pack(&caption_pieces(sample().before.as_ref(), "整治前"), CAPTION, pw) {
            assert!(text_width(&line, CAPTION) <= pw, "{line}");
        }
    }

    #[test]
    fn a_panel_height_cap_shortens_the_drawing() {
        let tall = ProjectMap {
            height_m: 1400.0,
            ..sample()
        };
        let free = size_mm(&render_svg(&tall, &MapStyle::default())).1;
        let capped = MapStyle {
            max_panel_height_mm: Some(50.0),
            ..MapStyle::default()
        };
        let svg = render_svg(&tall, &capped);
        let (w, h) = size_mm(&svg);
        assert!(h < free - 50.0, "{h} vs {free}");
        assert!((h - (7.0 + 50.0 + 10.0)).abs() < 0.2, "{h}");
        assert_eq!(w, 170.0);
        // The frames are 50 mm high; the 1000 × 1400 m extent is drawn
        // 44 mm high (50 mm less the insets), 31.4 mm wide, centred in its
        // 82 mm frame: the boundary starts (82 − 6 − 31.4) / 2 + 3 = 25.3 mm in.
        assert_eq!(svg.matches(r##"height="1000" fill="#fafafa""##).count(), 2, "{svg}");
        let boundary = svg
            .split(r#"<path d="M"#)
            .find(|p| p.contains("stroke=\"#212121\" stroke-width=\"8\""))
            .unwrap();
        let x0: f64 = boundary.split(' ').next().unwrap().parse().unwrap();
        assert!((x0 / U - 25.3).abs() < 0.1, "{x0}");
        assert!(right_edge(&svg) <= w * U + 0.5, "{}", right_edge(&svg));
    }

    #[test]
    fn text_is_escaped_and_stripped_of_characters_xml_forbids() {
        assert_eq!(
            escape("<a & \"b\">\u{1}\u{7}'c'\n"),
            "&lt;a &amp; &quot;b&quot;&gt;&apos;c&apos; "
        );
        let mut out = String::new();
        text(&mut out, 0.0, 0.0, 3.0, "start", "</text><script>x</script>\u{0}");
        assert!(!out.contains("<script") && !out.contains('\u{0}'), "{out}");
    }

    #[test]
    fn file_paths_are_safe_and_distinct() {
        assert_eq!(file_path("QL-0103-02", Panels::Both), "/maps/QL-0103-02.svg");
        assert_eq!(file_path("QL-0103-02", Panels::After), "/maps/QL-0103-02-after.svg");
        let odd = ["../x", "a/b", "a_2fb", "", "青岚 1"];
        let paths: std::collections::BTreeSet<String> = odd.iter().map(|p| file_path(p, Panels::Both)).collect();
        assert_eq!(paths.len(), odd.len());
        for p in &paths {
            let name = &p["/maps/".len()..];
            assert!(
                name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
                "{p}"
            );
            assert!(!name.contains(".."), "{p}");
        }
    }
}
