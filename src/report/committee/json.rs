//! `results.json`: every number of the committee report, for other systems
//! (and `self-assess --cohort`).

use super::charts::headline_effects;
use super::view::rewards;
use crate::ingest::{InputFile, QualityLog};
use crate::report::engine::charts::BeforeAfter;
use crate::report::json::{MethodJson, ProjectJson};
use crate::report::parts::tool_version;
use crate::report::text::format::date_iso;
use crate::report::{DateSource, ReportInput};
use crate::score::reversal::Reversal;
use crate::score::robust::{CutoffSwap, MonteCarloSummary};
use crate::score::{TargetProgress, TieDecision};
use anyhow::Result;
use serde::Serialize;

#[derive(Serialize)]
struct JsonModel<'a> {
    id: &'a str,
    name: &'a str,
    version: &'a str,
    /// (id, name, points).
    dimensions: Vec<(&'a str, &'a str, f64)>,
    /// (id, name, dimension, points).
    indicators: Vec<(&'a str, &'a str, &'a str, f64)>,
}

#[derive(Serialize)]
struct Results<'a> {
    tool: String,
    date: String,
    /// Where the date came from: `given` (`--date`) or `latest_acceptance`.
    date_source: DateSource,
    model: JsonModel<'a>,
    inputs: &'a [InputFile],
    projects: Vec<ProjectJson<'a>>,
    /// The four headline effects before/after, as charted.
    headline_effects: Vec<BeforeAfter>,
    /// Reward estimate (万元) per project id, when the model has reward tiers.
    rewards: Vec<(&'a str, f64)>,
    data_quality: &'a QualityLog,
    /// Weights as points, aggregation, AHP consistency, method notes.
    method: MethodJson<'a>,
    ties: &'a [TieDecision],
    robustness: &'a Option<MonteCarloSummary>,
    cutoff_swaps: &'a [CutoffSwap],
    reversals: &'a [Reversal],
    progress: &'a [TargetProgress],
}

/// The text of `results.json`.
pub fn results(input: &ReportInput) -> Result<String> {
    let m = input.model;
    let out = Results {
        tool: tool_version(),
        date: date_iso(input.date),
        date_source: input.date_source,
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
        projects: input.eval.projects.iter().map(|p| ProjectJson::new(m, p)).collect(),
        headline_effects: headline_effects(input),
        rewards: rewards(&input.eval.projects)
            .into_iter()
            .map(|(p, a)| (p.id.as_str(), a))
            .collect(),
        data_quality: input.log,
        method: MethodJson::new(m, &input.eval.method),
        ties: &input.eval.ties,
        robustness: &input.eval.robustness,
        cutoff_swaps: &input.eval.cutoff_swaps,
        reversals: &input.eval.reversals,
        progress: &input.eval.progress,
    };
    Ok(serde_json::to_string_pretty(&out)?)
}
