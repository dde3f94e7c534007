//! The provincial bulletin (通报): GB/T 9704 official-document layout, a
//! single-file web page, the annex workbook and JSON.

pub mod view;
pub mod workbook;

use super::engine::{self, Pdf, html};
use super::output::OutputSet;
use super::{RenderOptions, ReportInput, Written};
use crate::progress::Stage;
use anyhow::Result;
use std::path::Path;
pub use view::BulletinOptions;

/// The typst template of the bulletin.
pub const TEMPLATE: &str = "bulletin.typ.j2";
/// The HTML template of the bulletin.
pub const HTML_TEMPLATE: &str = "bulletin.html.j2";

/// Write `通报.pdf`, `通报.html`, `通报附件.xlsx` and `通报.json`.
pub fn write(dir: &Path, input: &ReportInput, bulletin: &BulletinOptions, opts: &RenderOptions) -> Result<Written> {
    let mut out = OutputSet::new(dir)?;
    let view = view::build(input, bulletin);
    let markup = engine::render_typst(TEMPLATE, &view, opts.templates.as_deref())?;
    let Pdf { bytes, pages } = opts.progress.stage(Stage::Pdf, || -> Result<Pdf> {
        engine::compile_pdf(markup, Vec::new(), &opts.fonts()?, input.date)
    })?;
    let pdf = out.write("通报.pdf", bytes)?;
    let page = out.write(
        "通报.html",
        html::render(HTML_TEMPLATE, &view, opts.templates.as_deref())?,
    )?;
    let xlsx = out.final_path("通报附件.xlsx");
    workbook::write(&out.stage("通报附件.xlsx"), input, &view)?;
    let json = out.write("通报.json", serde_json::to_string_pretty(&view)?)?;
    out.commit()?;
    Ok(Written {
        pdf,
        xlsx,
        json,
        html: Some(page),
        pages,
        annexes: Vec::new(),
    })
}
