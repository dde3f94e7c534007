//! The whole job: ingest → metrics → score → report, and the run's log.

use crate::fields::FieldDict;
use crate::ingest::{self, Dataset, Finding, QualityLog, Severity, Source};
use crate::metrics;
use crate::metrics::spatial::drawing::ProjectMap;
use crate::model::Model;
use crate::progress::{Progress, Stage};
use crate::report::engine::fonts::FontSet;
use crate::report::self_assessment::peers::PeerResults;
use crate::report::{self, DateSource, RenderOptions, ReportDate, ReportInput, Written, text::vocab};
use crate::score::{self, Evaluation};
use anyhow::{Result, anyhow};
use std::collections::BTreeMap;
use std::path::Path;

/// Sample county workbooks bundled in the binary for `landeval demo`.
pub fn demo_sources() -> Vec<Source> {
    include!(concat!(env!("OUT_DIR"), "/demo_fixtures.rs"))
        .iter()
        .map(|(name, data): &(&str, &[u8])| Source::new(*name, data.to_vec()))
        .collect()
}

/// A finished evaluation with its inputs and log.
pub struct Run {
    pub dict: FieldDict,
    pub model: Model,
    pub dataset: Dataset,
    pub eval: Evaluation,
    pub log: QualityLog,
    /// The documents' date: `--date`, else the latest acceptance date; none
    /// when neither exists (documents then refuse to render).
    pub date: Option<ReportDate>,
    /// The project-level field table (ingest + metrics) the scores were computed from.
    pub table: polars::prelude::DataFrame,
    /// Values written “不涉及” and the derived fields that follow from them.
    pub not_applicable: ingest::NotApplicable,
    /// Each project's farmland map from its survey layers (simplified for
    /// drawing only), by project id; projects without layers have none.
    pub maps: BTreeMap<String, ProjectMap>,
}

impl Run {
    /// What the documents are made from; an error in Chinese when the run
    /// has no date (no `--date` and no acceptance date in the data).
    pub fn report_input(&self) -> Result<ReportInput<'_>> {
        let date = self.date.ok_or_else(no_date_error)?;
        Ok(ReportInput {
            model: &self.model,
            dict: &self.dict,
            dataset: &self.dataset,
            eval: &self.eval,
            log: &self.log,
            date: date.ymd,
            date_source: date.source,
            fields: &self.table,
            maps: &self.maps,
        })
    }
}

/// The error when a document needs a date and neither `--date` nor the data gives one.
pub fn no_date_error() -> anyhow::Error {
    anyhow!("数据中没有整体验收时间，无法确定报告日期：请用 --date YYYY-MM-DD 指定报告日期（landeval 从不取系统时钟）")
}

/// Read the inputs and log the text no loaded font can draw.
pub fn read(sources: &[Source], dict: &FieldDict, fonts: &FontSet) -> Dataset {
    read_with(sources, dict, fonts, &ingest::Limits::default())
}

/// [`read`] within the given input limits.
pub fn read_with(sources: &[Source], dict: &FieldDict, fonts: &FontSet, limits: &ingest::Limits) -> Dataset {
    let mut ds = ingest::ingest_with(sources, dict, limits);
    check_fonts(&mut ds, fonts);
    ds
}

fn check_fonts(ds: &mut Dataset, fonts: &FontSet) {
    for (origin, text) in &ds.texts {
        let missing = fonts.uncovered(text);
        if missing.is_empty() {
            continue;
        }
        let chars: Vec<String> = missing.iter().map(|c| format!("“{c}”(U+{:04X})", *c as u32)).collect();
        ds.log.warn(
            origin.clone(),
            text,
            format!(
                "含有内置字体无法显示的字符 {}，PDF 中将显示为空白方框；请用 --font-dir 指定包含该字符的字体目录",
                chars.join("、")
            ),
        );
    }
}

/// Score a dataset under a model (no rendering).
pub fn evaluate(dataset: Dataset, dict: FieldDict, model: Model, date: Option<[i32; 3]>) -> Result<Run> {
    evaluate_observed(dataset, dict, model, date, &Progress::default())
}

/// [`evaluate`], telling `progress` when the metrics, scoring and robustness stages start and end.
pub fn evaluate_observed(
    dataset: Dataset,
    dict: FieldDict,
    model: Model,
    date: Option<[i32; 3]>,
    progress: &Progress,
) -> Result<Run> {
    let mut dataset = dataset;
    crate::model::inputs::review(&mut dataset, &model, &dict, date);
    let table = progress.stage(Stage::Metrics, || metrics::compute_with(&dataset, &model.prices))?;
    let not_applicable = metrics::not_applicable(&table.frame, &dataset.origins.not_applicable, &dict)?;
    let eval = score::evaluate_observed(
        &table.frame,
        &model,
        &not_applicable,
        score::robust::threads(),
        progress,
    )?;
    let mut log = dataset.log.clone();
    log.findings.extend(table.findings);
    log.findings.extend(
        eval.issues
            .iter()
            .map(|i| vocab::issue_finding(i, &model, &dict, &dataset.origins)),
    );
    let date = report_date(&dataset, date);
    let maps = table
        .spatial
        .projects
        .into_iter()
        .filter_map(|p| Some((p.project, p.map?)))
        .collect();
    Ok(Run {
        dict,
        model,
        dataset,
        eval,
        log,
        date,
        table: table.frame,
        not_applicable,
        maps,
    })
}

/// The documents' date: `given` (`--date`) when there is one, else the
/// latest overall-acceptance date of the data; none when neither exists.
pub fn report_date(ds: &Dataset, given: Option<[i32; 3]>) -> Option<ReportDate> {
    match given {
        Some(ymd) => Some(ReportDate {
            ymd,
            source: DateSource::Given,
        }),
        None => data_date(ds).map(|ymd| ReportDate {
            ymd,
            source: DateSource::LatestAcceptance,
        }),
    }
}

/// The latest overall-acceptance date (整体验收时间) in the data, if any.
pub fn data_date(ds: &Dataset) -> Option<[i32; 3]> {
    let column = ds.projects.column("accepted_on").ok()?;
    column.str().ok()?.iter().flatten().filter_map(parse_ymd).max()
}

/// `YYYY-MM-DD` → `[y, m, d]`.
pub fn parse_ymd(s: &str) -> Option<[i32; 3]> {
    let iso = ingest::cell::parse_date_text(s)?;
    let mut it = iso.split('-').map(|p| p.parse::<i32>().ok());
    Some([it.next()??, it.next()??, it.next()??])
}

/// Render the committee outputs of a run.
pub fn write_committee(run: &Run, dir: &Path, opts: &RenderOptions) -> Result<Written> {
    report::committee::write(dir, &run.report_input()?, opts)
}

/// Render the county self-assessment of one project of a run.
pub fn write_self_assessment(
    run: &Run,
    dir: &Path,
    project: &str,
    peers: Option<&PeerResults>,
    opts: &RenderOptions,
) -> Result<Written> {
    report::self_assessment::write(dir, &run.report_input()?, project, peers, opts)
}

/// Render the provincial bulletin of a run.
pub fn write_bulletin(
    run: &Run,
    dir: &Path,
    bulletin: &report::bulletin::BulletinOptions,
    opts: &RenderOptions,
) -> Result<Written> {
    report::bulletin::write(dir, &run.report_input()?, bulletin, opts)
}

/// The log printed as a plain table for the terminal: the totals first,
/// then up to `limit` findings, most severe first.
pub fn log_table(log: &QualityLog, limit: usize) -> String {
    let mut out = format!(
        "合计：错误 {} 条，警告 {} 条，提示 {} 条\n",
        log.count(Severity::Error),
        log.count(Severity::Warning),
        log.count(Severity::Info)
    );
    let sorted = log.sorted();
    for f in sorted.iter().take(limit) {
        out.push_str(&format_finding(f));
        out.push('\n');
    }
    if sorted.len() > limit {
        out.push_str(&format!("……另有 {} 条，详见数据质量表\n", sorted.len() - limit));
    }
    out
}

fn format_finding(f: &Finding) -> String {
    let raw = if f.raw.is_empty() {
        String::new()
    } else {
        format!("（原值：{}）", f.raw)
    };
    let place = f.origin.to_string();
    if place.is_empty() {
        format!("[{}] {}{}", f.severity.label(), f.message, raw)
    } else {
        format!("[{}] {place}：{}{}", f.severity.label(), f.message, raw)
    }
}
