//! The committee report (评估报告): ranking, demonstration selection with
//! robustness, one scorecard per project in annex volumes by city; with
//! its workbook and `results.json`.

mod candidates;
pub mod charts;
pub mod json;
pub mod problems;
pub mod quality;
pub mod view;
pub mod volumes;
pub mod workbook;

use super::output::OutputSet;
use super::{RenderOptions, ReportInput, Volume, Written};
use crate::progress::Stage;
use anyhow::Result;
use minijinja::Value;
use minijinja::value::Serde;
use std::path::Path;
use volumes::{ANNEX_PREFIX, ANNEX_SUFFIX, MAIN_FILE, MAX_CARDS, Volumes};

/// The typst template of the report (main volume and annexes alike).
pub const TEMPLATE: &str = "ranking.typ.j2";
/// File name of the workbook.
pub const XLSX_FILE: &str = "评估结果.xlsx";
/// File name of the JSON.
pub const JSON_FILE: &str = "results.json";

/// Write `评估报告.pdf`, its scorecard annexes `评估报告-评分卡-<市>.pdf`,
/// `评估结果.xlsx` and `results.json` into `dir`, replacing an earlier
/// run's set only when all are complete (annexes of cities no longer
/// present are removed then).
pub fn write(dir: &Path, input: &ReportInput, opts: &RenderOptions) -> Result<Written> {
    let mut out = OutputSet::new(dir)?;
    let mut view = view::build(input);
    let (chart_paths, files) = charts::files(input)?;
    view.score_charts = chart_paths;
    let cards = std::mem::take(&mut view.cards);
    let cities: Vec<&str> = cards.iter().map(|c| c.city.as_str()).collect();
    let annexes = volumes::plan(&cities, &city_order(input), MAX_CARDS);
    let main = (out.stage(MAIN_FILE), out.final_path(MAIN_FILE));
    let annex_paths = annexes
        .iter()
        .map(|a| (out.stage(&a.file), out.final_path(&a.file)))
        .collect();
    out.replaces(ANNEX_PREFIX, ANNEX_SUFFIX);
    let fonts = opts.fonts()?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let pages = Volumes {
        base: Value::from(Serde(&view)),
        cards: &cards,
        annexes: &annexes,
        files,
        maps: input.maps,
        templates: opts.templates.as_deref(),
        fonts: &fonts,
        date: input.date,
    }
    .compile(main, annex_paths, threads, &opts.progress)?;
    drop(cards);
    let xlsx_tmp = out.stage(XLSX_FILE);
    opts.progress.stage(Stage::Xlsx, || workbook::write(&xlsx_tmp, input))?;
    opts.progress.stage(Stage::Json, || -> Result<()> {
        out.write(JSON_FILE, json::results(input)?).map(drop)
    })?;
    let written = Written {
        pdf: out.final_path(MAIN_FILE),
        xlsx: out.final_path(XLSX_FILE),
        json: out.final_path(JSON_FILE),
        html: None,
        pages: pages[0],
        annexes: annexes
            .iter()
            .zip(&pages[1..])
            .map(|(a, &pages)| Volume {
                path: out.final_path(&a.file),
                pages,
            })
            .collect(),
    };
    out.commit()?;
    Ok(written)
}

/// Cities in the order of the project ledger (the order the input lists them).
fn city_order(input: &ReportInput) -> Vec<String> {
    let Some(cities) = input.fields.column("city").ok().and_then(|c| c.str().ok().cloned()) else {
        return Vec::new();
    };
    let mut seen = std::collections::HashSet::new();
    cities
        .iter()
        .map(|c| c.unwrap_or_default().to_string())
        .filter(|c| seen.insert(c.clone()))
        .collect()
}
