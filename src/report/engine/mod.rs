//! The rendering engine every document uses: templates (minijinja → typst
//! markup or HTML), the typst world with the embedded fonts, PDF export,
//! and the plotters charts.
//!
//! A shared layer: it imports no document.

pub mod charts;
pub mod fonts;
pub mod html;
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
    let today =
        Datetime::from_ymd(date[0], date[1] as u8, date[2] as u8).ok_or_else(|| anyhow!("无效的日期 {date:?}"))?;
    let files = files.into_iter().map(|f| (f.path, f.bytes)).collect();
    let world = world::ReportWorld::new(markup, files, fonts, today);
    let t = std::time::Instant::now();
    let warned = typst::compile::<PagedDocument>(&world);
    eprintln!("TIMING   typst::compile {:.2}", t.elapsed().as_secs_f64());
    let t = std::time::Instant::now();
    let doc = warned.output.map_err(|errs| {
        let msgs: Vec<String> = errs.iter().map(|e| e.message.to_string()).collect();
        anyhow!("排版报告失败：{}", msgs.join("；"))
    })?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom("landeval-report".into()),
        timestamp: Some(typst_pdf::Timestamp::new_utc(today)),
        ..Default::default()
    };
    let bytes = typst_pdf::pdf(&doc, &options).map_err(|errs| {
        let msgs: Vec<String> = errs.iter().map(|e| e.message.to_string()).collect();
        anyhow!("导出 PDF 失败：{}", msgs.join("；"))
    })?;
    eprintln!("TIMING   pdf export {:.2}", t.elapsed().as_secs_f64());
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
    if std::env::var_os("TMP_NO_EVICT").is_none() {
        let age = std::env::var("TMP_EVICT_AGE").ok().and_then(|a| a.parse().ok()).unwrap_or(1);
        typst::comemo::evict(age);
    }
}

/// A small SVG for every chart a template places, for template tests.
#[cfg(test)]
pub(crate) fn placeholder_charts(paths: &[&str]) -> Vec<VirtualFile> {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#;
    paths.iter().map(|p| VirtualFile::new(*p, svg)).collect()
}
