//! The provincial bulletin (通报): GB/T 9704 official-document layout, a
//! single-file web page, the annex workbook and JSON.

pub mod view;
pub mod workbook;

use super::engine::{self, Pdf, VirtualFile, html};
use super::output::OutputSet;
use super::parts;
use super::{RenderOptions, ReportInput, Written};
use crate::progress::Stage;
use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
pub use view::BulletinOptions;
use view::BulletinView;

/// The typst template of the bulletin.
pub const TEMPLATE: &str = "bulletin.typ.j2";
/// The HTML template of the bulletin.
pub const HTML_TEMPLATE: &str = "bulletin.html.j2";

/// Write `通报.pdf`, `通报.html`, `通报附件.xlsx` and `通报.json`.
pub fn write(dir: &Path, input: &ReportInput, bulletin: &BulletinOptions, opts: &RenderOptions) -> Result<Written> {
    let mut out = OutputSet::new(dir)?;
    let view = view::build(input, bulletin);
    let markup = engine::render_typst(TEMPLATE, &view, opts.templates.as_deref())?;
    let maps = case_maps(input, &view);
    let Pdf { bytes, pages } = opts.progress.stage(Stage::Pdf, || -> Result<Pdf> {
        let files = maps
            .iter()
            .map(|(p, svg)| VirtualFile::new(p.clone(), svg.clone()))
            .collect();
        engine::compile_pdf(markup, files, &opts.fonts()?, input.date)
    })?;
    let pdf = out.write("通报.pdf", bytes)?;
    let page = out.write(
        "通报.html",
        html::render(
            HTML_TEMPLATE,
            &HtmlPage { view: &view, maps },
            opts.templates.as_deref(),
        )?,
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

/// What `bulletin.html.j2` reads: the view, and the SVG text of each map by
/// its path (`maps[c.map.file]`), inlined so that the page stays one file.
#[derive(Serialize)]
pub struct HtmlPage<'a> {
    #[serde(flatten)]
    pub view: &'a BulletinView,
    pub maps: BTreeMap<String, String>,
}

/// The SVG of every typical case's map, by the path the case gives.
fn case_maps(input: &ReportInput, view: &BulletinView) -> BTreeMap<String, String> {
    let style = view::case_map_style();
    view.cases
        .iter()
        .filter(|c| !c.map.file.is_empty())
        .filter_map(|c| parts::map_svg(input.maps, &c.id, &style))
        .collect()
}
