//! Reports: typst PDF (minijinja templates, compiled in-process), xlsx, JSON.
//!
//! Report code formats and lays out; it never computes a score.

pub mod assess;
pub mod bulletin;
pub mod charts;
pub mod cohort;
pub mod context;
pub mod fonts;
pub mod html;
pub mod map;
pub mod self_assess;
pub mod templates;
pub mod values;
mod world;
pub mod xlsx;
pub mod xlsx_candidates;
pub mod xlsx_more;

use crate::fields::FieldDict;
use crate::ingest::{Dataset, QualityLog};
use crate::model::Model;
use crate::score::Evaluation;
use anyhow::{Context, Result, anyhow};
use fonts::FontSet;
use serde::Serialize;
use std::path::{Path, PathBuf};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;

/// Everything a report is made from.
pub struct ReportInput<'a> {
    pub model: &'a Model,
    pub dict: &'a FieldDict,
    pub dataset: &'a Dataset,
    pub eval: &'a Evaluation,
    /// The run's whole data-quality log (ingest, metrics and scoring).
    pub log: &'a QualityLog,
    /// Document date `[year, month, day]`, fixed from `--date` or the data.
    pub date: [i32; 3],
    /// Project-level field table (ingest + metrics), one row per project.
    pub fields: &'a polars::prelude::DataFrame,
}

/// Options of the rendering step.
#[derive(Default, Clone)]
pub struct RenderOptions {
    pub templates: Option<PathBuf>,
    pub fonts: Option<FontSet>,
}

/// Files written by a committee run.
#[derive(Debug, Clone, Serialize)]
pub struct Written {
    pub pdf: PathBuf,
    pub xlsx: PathBuf,
    pub json: PathBuf,
    pub pages: usize,
}

/// Write `评估报告.pdf`, `评估结果.xlsx` and `results.json` into `dir`.
pub fn write_committee(dir: &Path, input: &ReportInput, opts: &RenderOptions) -> Result<Written> {
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建输出目录 {}", dir.display()))?;
    let mut ctx = context::committee(input);
    let score_charts = score_charts(input)?;
    ctx.score_charts = (0..score_charts.len())
        .map(|i| format!("/charts/scores-{i}.svg"))
        .collect();
    let env = templates::environment(opts.templates.as_deref())?;
    let markup = env
        .get_template("ranking.typ.j2")?
        .render(minijinja::Value::from(minijinja::value::Serde(&ctx)))
        .context("渲染报告模板失败")?;
    let fonts = match &opts.fonts {
        Some(f) => f.clone(),
        None => FontSet::load(None)?,
    };
    let mut files: Vec<(String, Vec<u8>)> = ctx
        .score_charts
        .iter()
        .cloned()
        .zip(score_charts.into_iter().map(String::into_bytes))
        .collect();
    files.extend([
        (
            "/charts/distribution.svg".to_string(),
            charts::histogram(&input.eval.projects.iter().map(|p| p.total).collect::<Vec<_>>())?.into_bytes(),
        ),
        (
            "/charts/effects.svg".to_string(),
            charts::before_after(&headline_effects(input))?.into_bytes(),
        ),
        (
            "/charts/rank-intervals.svg".to_string(),
            charts::rank_intervals(&rank_intervals(input))?.into_bytes(),
        ),
    ]);
    let (pdf_bytes, pages) = compile_pdf(markup, files, &fonts, input.date)?;
    let pdf = dir.join("评估报告.pdf");
    std::fs::write(&pdf, pdf_bytes).with_context(|| format!("无法写入 {}", pdf.display()))?;
    let xlsx_path = dir.join("评估结果.xlsx");
    xlsx::write(&xlsx_path, input)?;
    let json = dir.join("results.json");
    std::fs::write(&json, results_json(input)?).with_context(|| format!("无法写入 {}", json.display()))?;
    Ok(Written {
        pdf,
        xlsx: xlsx_path,
        json,
        pages,
    })
}

/// Rank intervals of the robustness table's candidates, for the error-bar chart.
fn rank_intervals(input: &ReportInput) -> Vec<charts::RankInterval> {
    context::robust_candidates(&input.eval.projects)
        .into_iter()
        .filter_map(|p| {
            let r = p.robustness.as_ref()?;
            Some(charts::RankInterval {
                label: p.name.clone(),
                rank: p.rank?,
                median: r.median_rank,
                low: r.rank_p05,
                high: r.rank_p95,
            })
        })
        .collect()
}

/// Files written by a self-assessment or bulletin run.
#[derive(Debug, Clone, Serialize)]
pub struct WrittenSet {
    pub pdf: PathBuf,
    pub xlsx: PathBuf,
    pub json: PathBuf,
    /// The bulletin's web page.
    pub html: Option<PathBuf>,
    pub pages: usize,
}

fn fonts_of(opts: &RenderOptions) -> Result<FontSet> {
    match &opts.fonts {
        Some(f) => Ok(f.clone()),
        None => Ok(FontSet::load(None)?),
    }
}

fn render(opts: &RenderOptions, name: &str, ctx: &impl Serialize) -> Result<String> {
    let env = templates::environment(opts.templates.as_deref())?;
    env.get_template(name)?
        .render(minijinja::Value::from(minijinja::value::Serde(ctx)))
        .with_context(|| format!("渲染模板 {name} 失败"))
}

fn write_file(path: &Path, bytes: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("无法写入 {}", path.display()))
}

/// Write `自评报告.pdf`, `自评结果.xlsx` and `自评结果.json` for one project.
pub fn write_self_assessment(
    dir: &Path,
    input: &ReportInput,
    project: &str,
    cohort: Option<&cohort::Cohort>,
    opts: &RenderOptions,
) -> Result<WrittenSet> {
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建输出目录 {}", dir.display()))?;
    let p = self_assess::find(input, project)?;
    let ctx = self_assess::context(input, p, cohort);
    let markup = render(opts, "self-assessment.typ.j2", &ctx)?;
    let mut series = vec![(
        "本项目".to_string(),
        p.dimensions
            .iter()
            .map(|d| d.earned / d.points.max(1e-9))
            .collect::<Vec<f64>>(),
    )];
    if let Some(c) = cohort {
        series.push((
            "同批平均".to_string(),
            p.dimensions
                .iter()
                .map(|d| c.dimension_mean.get(&d.id).copied().unwrap_or(0.0) / d.points.max(1e-9))
                .collect(),
        ));
    }
    let axes: Vec<String> = ctx.dims.iter().map(|d| d[0].clone()).collect();
    let radar = charts::radar(&axes, &series, 17)?;
    let bars: Vec<(String, f64)> = ctx
        .obstacles
        .iter()
        .zip(assess::obstacles(p))
        .map(|(o, x)| (o[2].clone(), x.degree * 100.0))
        .collect();
    let obstacles = charts::hbars(&bars, "%")?;
    let (pdf_bytes, pages) = compile_pdf(
        markup,
        vec![
            ("/charts/radar.svg".into(), radar.into_bytes()),
            ("/charts/obstacles.svg".into(), obstacles.into_bytes()),
        ],
        &fonts_of(opts)?,
        input.date,
    )?;
    let pdf = dir.join("自评报告.pdf");
    write_file(&pdf, pdf_bytes)?;
    let xlsx_path = dir.join("自评结果.xlsx");
    xlsx_more::self_assessment(&xlsx_path, input, p, &ctx)?;
    let json = dir.join("自评结果.json");
    write_file(
        &json,
        serde_json::to_string_pretty(&self_assess::numbers(input, p, cohort))?,
    )?;
    Ok(WrittenSet {
        pdf,
        xlsx: xlsx_path,
        json,
        html: None,
        pages,
    })
}

/// Write `通报.pdf`, `通报.html`, `通报附件.xlsx` and `通报.json`.
pub fn write_bulletin(dir: &Path, input: &ReportInput, issuer: &str, opts: &RenderOptions) -> Result<WrittenSet> {
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建输出目录 {}", dir.display()))?;
    let ctx = bulletin::context(input, issuer);
    let markup = render(opts, "bulletin.typ.j2", &ctx)?;
    let (pdf_bytes, pages) = compile_pdf(markup, vec![], &fonts_of(opts)?, input.date)?;
    let pdf = dir.join("通报.pdf");
    write_file(&pdf, pdf_bytes)?;
    let html = dir.join("通报.html");
    write_file(&html, html::bulletin(&ctx, opts.templates.as_deref())?)?;
    let xlsx_path = dir.join("通报附件.xlsx");
    xlsx_more::bulletin(&xlsx_path, input, &ctx)?;
    let json = dir.join("通报.json");
    write_file(&json, serde_json::to_string_pretty(&ctx)?)?;
    Ok(WrittenSet {
        pdf,
        xlsx: xlsx_path,
        json,
        html: Some(html),
        pages,
    })
}

/// The four headline effects before and after, over the projects that give both values:
/// farmland patches and contiguous fields (sums), village land per capita (mean), GEP (sum).
pub fn headline_effects(input: &ReportInput) -> Vec<charts::BeforeAfter> {
    let table = values::FieldTable::new(input.fields);
    let specs: [(&str, &str, &str, bool); 4] = [
        (
            "耕地图斑数（个）",
            "farmland_patches_before",
            "farmland_patches_after",
            false,
        ),
        ("集中连片田块（个）", "fields_100mu_before", "fields_100mu_after", false),
        (
            "人均村庄建设用地（m²）",
            "village_land_pc_before",
            "village_land_pc_after",
            true,
        ),
        ("GEP（亿元）", "gep_before", "gep_after", false),
    ];
    specs
        .iter()
        .filter_map(|(title, b, a, mean)| {
            let pairs: Vec<(f64, f64)> = input
                .eval
                .projects
                .iter()
                .filter_map(|p| Some((table.num(&p.id, b)?, table.num(&p.id, a)?)))
                .collect();
            if pairs.is_empty() {
                return None;
            }
            let k = if *mean { pairs.len() as f64 } else { 1.0 };
            Some(charts::BeforeAfter {
                title: title.to_string(),
                before: pairs.iter().map(|x| x.0).sum::<f64>() / k,
                after: pairs.iter().map(|x| x.1).sum::<f64>() / k,
            })
        })
        .collect()
}

/// Projects per stacked score chart (one chart fits on a page).
const BARS_PER_CHART: usize = 40;

/// Dimension points for a stacked bar. Under geometric or TOPSIS aggregation
/// they are shares of the indicator total in proportion to each dimension's
/// points earned (points × score rate), so the bar ends at the total.
fn dimension_parts(model: &crate::model::Model, p: &crate::score::ProjectScore) -> Vec<f64> {
    let earned: Vec<f64> = p.dimensions.iter().map(|d| d.earned).collect();
    let sum: f64 = earned.iter().sum();
    if model.model.aggregation == crate::model::Aggregation::Sum || sum <= 0.0 {
        return earned;
    }
    earned.iter().map(|e| e / sum * p.indicator_total).collect()
}

fn score_charts(input: &ReportInput) -> Result<Vec<String>> {
    let bars: Vec<charts::ScoreBar> = input
        .eval
        .projects
        .iter()
        .map(|p| charts::ScoreBar {
            label: format!("{} {}", p.rank.map_or("—".to_string(), |r| r.to_string()), p.name),
            parts: dimension_parts(input.model, p),
            total: p.total,
            vetoed: p.vetoed,
        })
        .collect();
    let dims: Vec<String> = input.model.dimensions.iter().map(|d| d.name.clone()).collect();
    if bars.is_empty() {
        return Ok(vec![charts::score_bars(&[], &dims)?]);
    }
    bars.chunks(BARS_PER_CHART)
        .map(|chunk| charts::score_bars(chunk, &dims))
        .collect()
}

/// Compile typst markup to PDF bytes; returns the page count too.
pub fn compile_pdf(
    markup: String,
    files: Vec<(String, Vec<u8>)>,
    fonts: &FontSet,
    date: [i32; 3],
) -> Result<(Vec<u8>, usize)> {
    let today =
        Datetime::from_ymd(date[0], date[1] as u8, date[2] as u8).ok_or_else(|| anyhow!("无效的日期 {date:?}"))?;
    let world = world::ReportWorld::new(markup, files, fonts, today);
    let warned = typst::compile::<PagedDocument>(&world);
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
    Ok((bytes, doc.pages().len()))
}

#[derive(Serialize)]
struct JsonModel<'a> {
    id: &'a str,
    name: &'a str,
    version: &'a str,
    dimensions: Vec<(&'a str, &'a str, f64)>,
    indicators: Vec<(&'a str, &'a str, &'a str, f64)>,
}

#[derive(Serialize)]
struct JsonOut<'a> {
    tool: String,
    date: String,
    model: JsonModel<'a>,
    inputs: &'a [crate::ingest::InputFile],
    projects: &'a [crate::score::ProjectScore],
    /// The four headline effects before/after, as charted.
    headline_effects: Vec<charts::BeforeAfter>,
    /// Reward estimate (万元) per project id, when the model has reward tiers.
    rewards: Vec<(&'a str, f64)>,
    data_quality: &'a QualityLog,
    /// Weights as points, aggregation, AHP consistency, guard notes.
    method: &'a crate::score::Method,
    ties: &'a [crate::score::TieDecision],
    robustness: &'a Option<crate::score::robust::Summary>,
    cutoff_swaps: &'a [crate::score::robust::CutoffSwap],
    reversals: &'a [crate::score::reversal::Reversal],
    progress: &'a [crate::score::Progress],
}

/// `results.json`: every number of the reports.
pub fn results_json(input: &ReportInput) -> Result<String> {
    let m = input.model;
    let out = JsonOut {
        tool: format!("landeval {}", env!("CARGO_PKG_VERSION")),
        date: format!("{:04}-{:02}-{:02}", input.date[0], input.date[1], input.date[2]),
        model: JsonModel {
            id: &m.model.id,
            name: &m.model.name,
            version: &m.model.version,
            dimensions: m
                .dimensions
                .iter()
                .map(|d| (d.id.as_str(), d.name.as_str(), m.dimension_points(&d.id)))
                .collect(),
            indicators: m
                .indicators
                .iter()
                .map(|i| (i.id.as_str(), i.name.as_str(), i.dimension.as_str(), i.points))
                .collect(),
        },
        inputs: &input.dataset.inputs,
        projects: &input.eval.projects,
        headline_effects: headline_effects(input),
        rewards: context::rewards(&input.eval.projects)
            .into_iter()
            .map(|(p, a)| (p.id.as_str(), a))
            .collect(),
        data_quality: input.log,
        method: &input.eval.method,
        ties: &input.eval.ties,
        robustness: &input.eval.robustness,
        cutoff_swaps: &input.eval.cutoff_swaps,
        reversals: &input.eval.reversals,
        progress: &input.eval.progress,
    };
    Ok(serde_json::to_string_pretty(&out)?)
}
