//! The county self-assessment (自评报告): one project's score, grade, gap
//! to the next grade, obstacle factors, red-line checklist and missing data;
//! with its workbook and JSON.

pub mod json;
pub mod peers;
pub mod view;
pub mod workbook;

use super::engine::{self, Pdf, VirtualFile, charts};
use super::output::OutputSet;
use super::parts;
use super::{RenderOptions, ReportInput, Written};
use crate::progress::Stage;
use crate::score::ProjectScore;
use anyhow::Result;
use peers::PeerResults;
use std::path::Path;
use view::SelfAssessmentView;

/// The typst template of the report.
pub const TEMPLATE: &str = "self-assessment.typ.j2";

/// Write `自评报告.pdf`, `自评结果.xlsx` and `自评结果.json` for one project.
pub fn write(
    dir: &Path,
    input: &ReportInput,
    project: &str,
    peers: Option<&PeerResults>,
    opts: &RenderOptions,
) -> Result<Written> {
    let mut out = OutputSet::new(dir)?;
    let p = view::find(input, project)?;
    let view = view::build(input, p, peers);
    let markup = engine::render_typst(TEMPLATE, &view, opts.templates.as_deref())?;
    let Pdf { bytes, pages } = opts.progress.stage(Stage::Pdf, || -> Result<Pdf> {
        let mut files = chart_files(p, &view, peers)?;
        files.extend(parts::map_file(input.maps, &p.id, &view::map_style()));
        engine::compile_pdf(markup, files, &opts.fonts()?, input.date)
    })?;
    let pdf = out.write("自评报告.pdf", bytes)?;
    let xlsx = out.final_path("自评结果.xlsx");
    workbook::write(&out.stage("自评结果.xlsx"), input, p, &view, peers)?;
    let json = out.write("自评结果.json", json::numbers(input, p, peers)?)?;
    out.commit()?;
    Ok(Written {
        pdf,
        xlsx,
        json,
        html: None,
        pages,
        annexes: Vec::new(),
    })
}

/// The radar of dimension score rates (the project and the peers' mean) and
/// the bars of the listed obstacle degrees.
fn chart_files(p: &ProjectScore, view: &SelfAssessmentView, peers: Option<&PeerResults>) -> Result<Vec<VirtualFile>> {
    let rate = |earned: f64, points: f64| earned / points.max(1e-9);
    let mut series = vec![(
        "本项目".to_string(),
        p.dimensions
            .iter()
            .map(|d| rate(d.earned, d.points))
            .collect::<Vec<f64>>(),
    )];
    if let Some(c) = peers {
        series.push((
            "同批平均".to_string(),
            p.dimensions
                .iter()
                .map(|d| rate(c.dimension_mean.get(&d.id).copied().unwrap_or(0.0), d.points))
                .collect(),
        ));
    }
    let axes: Vec<String> = view.dims.iter().map(|d| d.name.clone()).collect();
    let bars: Vec<(String, f64)> = view
        .obstacles
        .iter()
        .zip(&p.obstacles)
        .map(|(row, o)| (row.indicator.clone(), o.degree * 100.0))
        .collect();
    Ok(vec![
        VirtualFile::new("/charts/radar.svg", charts::radar(&axes, &series, 17)?),
        VirtualFile::new("/charts/obstacles.svg", charts::hbars(&bars, "%")?),
    ])
}
