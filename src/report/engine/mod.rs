//! The rendering engine every document uses: templates (minijinja → typst
//! markup or HTML), the typst world with the embedded fonts, PDF export,
//! and the plotters charts.
//!
//! A shared layer: it imports no document.

pub mod charts;
pub mod fonts;
pub mod html;
pub mod map;
pub mod templates;
mod world;

use anyhow::{Context, Result, anyhow};
use fonts::FontSet;
use serde::Serialize;
use std::path::Path;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;

/// A virtual file served to typst by path (e.g. `/charts/radar.svg`).
pub struct VirtualFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl VirtualFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// A compiled PDF and its page count.
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

/// Render the typst template `name` (bundled, or overridden in `templates`)
/// with a view; every interpolated value is escaped for typst markup.
pub fn render_typst(name: &str, view: &impl Serialize, templates: Option<&Path>) -> Result<String> {
    let env = templates::environment(templates)?;
    env.get_template(name)?
        .render(minijinja::Value::from(minijinja::value::Serde(view)))
        .with_context(|| format!("渲染模板 {name} 失败"))
}

/// Compile typst markup to PDF; `date` fixes the document date (never the clock).
/// Safe to call from several threads at once.
pub fn compile_pdf(markup: String, files: Vec<VirtualFile>, fonts: &FontSet, date: [i32; 3]) -> Result<Pdf> {
    let (doc, today) = compile(markup, files, fonts, date)?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom("landeval-report".into()),
        timestamp: Some(typst_pdf::Timestamp::new_utc(today)),
        ..Default::default()
    };
    let bytes = typst_pdf::pdf(&doc, &options).map_err(|errs| {
        let msgs: Vec<String> = errs.iter().map(|e| e.message.to_string()).collect();
        anyhow!("导出 PDF 失败：{}", msgs.join("；"))
    })?;
    let pages = doc.pages().len();
    drop(doc);
    release_caches();
    Ok(Pdf { bytes, pages })
}

/// Drop typst's memoised results that no compilation has used since the
/// previous call, so that a process compiling many documents (the
/// committee report's volumes, on several threads) holds the layout of the
/// documents in flight, not of every document it compiled.
pub fn release_caches() {
    typst::comemo::evict(1);
}

/// Lay out typst markup into pages.
fn compile(
    markup: String,
    files: Vec<VirtualFile>,
    fonts: &FontSet,
    date: [i32; 3],
) -> Result<(PagedDocument, Datetime)> {
    let today =
        Datetime::from_ymd(date[0], date[1] as u8, date[2] as u8).ok_or_else(|| anyhow!("无效的日期 {date:?}"))?;
    let files = files.into_iter().map(|f| (f.path, f.bytes)).collect();
    let world = world::ReportWorld::new(markup, files, fonts, today);
    let warned = typst::compile::<PagedDocument>(&world);
    let doc = warned.output.map_err(|errs| {
        let msgs: Vec<String> = errs.iter().map(|e| e.message.to_string()).collect();
        anyhow!("排版报告失败：{}", msgs.join("；"))
    })?;
    Ok((doc, today))
}

/// One laid-out line of text: its baseline from the top of the page (pt),
/// font size (pt) and text, for layout tests that count lines and characters.
#[cfg(test)]
#[derive(Debug, Clone)]
pub(crate) struct TextLine {
    pub baseline: f64,
    pub size: f64,
    pub text: String,
}

/// The text lines of every page (with `files` served), top to bottom: runs
/// on the same baseline at the same size join into one line.
#[cfg(test)]
pub(crate) fn text_lines(
    markup: String,
    files: Vec<VirtualFile>,
    fonts: &FontSet,
    date: [i32; 3],
) -> Result<Vec<Vec<TextLine>>> {
    use typst::layout::{Frame, FrameItem, Point};
    fn walk(frame: &Frame, at: Point, out: &mut Vec<TextLine>) {
        for (pos, item) in frame.items() {
            let p = at + *pos;
            match item {
                FrameItem::Group(g) => walk(&g.frame, p + Point::new(g.transform.tx, g.transform.ty), out),
                FrameItem::Text(t) => {
                    let (y, size) = (p.y.to_pt(), t.size.to_pt());
                    match out
                        .iter_mut()
                        .find(|l| (l.baseline - y).abs() < 0.5 && (l.size - size).abs() < 0.01)
                    {
                        Some(l) => l.text.push_str(&t.text),
                        None => out.push(TextLine {
                            baseline: y,
                            size,
                            text: t.text.to_string(),
                        }),
                    }
                }
                _ => {}
            }
        }
    }
    let (doc, _) = compile(markup, files, fonts, date)?;
    Ok(doc
        .pages()
        .iter()
        .map(|page| {
            let mut lines = Vec::new();
            walk(&page.frame, Point::zero(), &mut lines);
            lines.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
            lines
        })
        .collect())
}

/// A small SVG for every chart a template places, for template tests.
#[cfg(test)]
pub(crate) fn placeholder_charts(paths: &[&str]) -> Vec<VirtualFile> {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#;
    paths.iter().map(|p| VirtualFile::new(*p, svg)).collect()
}
