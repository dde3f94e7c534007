//! The committee report (评估报告): ranking, demonstration selection with
//! robustness, one scorecard per project; with its workbook and `results.json`.

mod candidates;
pub mod charts;
pub mod json;
pub mod problems;
pub mod quality;
pub mod view;
pub mod workbook;

use super::engine::{self, Pdf};
use super::{RenderOptions, ReportInput, Written, write_file};
use anyhow::{Context, Result};
use std::path::Path;

/// The typst template of the report.
pub const TEMPLATE: &str = "ranking.typ.j2";

/// Write `评估报告.pdf`, `评估结果.xlsx` and `results.json` into `dir`.
pub fn write(dir: &Path, input: &ReportInput, opts: &RenderOptions) -> Result<Written> {
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建输出目录 {}", dir.display()))?;
    let mut view = view::build(input);
    let (chart_paths, files) = charts::files(input)?;
    view.score_charts = chart_paths;
    let markup = engine::render_typst(TEMPLATE, &view, opts.templates.as_deref())?;
    let Pdf { bytes, pages } = engine::compile_pdf(markup, files, &opts.fonts()?, input.date)?;
    let pdf = dir.join("评估报告.pdf");
    write_file(&pdf, bytes)?;
    let xlsx = dir.join("评估结果.xlsx");
    workbook::write(&xlsx, input)?;
    let json = dir.join("results.json");
    write_file(&json, json::results(input)?)?;
    Ok(Written {
        pdf,
        xlsx,
        json,
        html: None,
        pages,
    })
}
