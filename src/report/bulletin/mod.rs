//! The provincial bulletin (通报): GB/T 9704 official-document layout, a
//! single-file web page, the annex workbook and JSON.

pub mod view;
pub mod workbook;

use super::engine::{self, Pdf, html};
use super::{RenderOptions, ReportInput, Written, write_file};
use anyhow::{Context, Result};
use std::path::Path;
pub use view::BulletinOptions;

/// The typst template of the bulletin.
pub const TEMPLATE: &str = "bulletin.typ.j2";
/// The HTML template of the bulletin.
pub const HTML_TEMPLATE: &str = "bulletin.html.j2";

/// Write `通报.pdf`, `通报.html`, `通报附件.xlsx` and `通报.json`.
pub fn write(dir: &Path, input: &ReportInput, bulletin: &BulletinOptions, opts: &RenderOptions) -> Result<Written> {
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建输出目录 {}", dir.display()))?;
    let view = view::build(input, bulletin);
    let markup = engine::render_typst(TEMPLATE, &view, opts.templates.as_deref())?;
    let Pdf { bytes, pages } = engine::compile_pdf(markup, Vec::new(), &opts.fonts()?, input.date)?;
    let pdf = dir.join("通报.pdf");
    write_file(&pdf, bytes)?;
    let page = dir.join("通报.html");
    write_file(&page, html::render(HTML_TEMPLATE, &view, opts.templates.as_deref())?)?;
    let xlsx = dir.join("通报附件.xlsx");
    workbook::write(&xlsx, input, &view)?;
    let json = dir.join("通报.json");
    write_file(&json, serde_json::to_string_pretty(&view)?)?;
    Ok(Written {
        pdf,
        xlsx,
        json,
        html: Some(page),
        pages,
    })
}
