//! `results.json`: every number of the committee report, for other systems
//! (and `self-assess --cohort`).

use super::charts::headline_effects;
use super::view::rewards;
use crate::ingest::{InputFile, QualityLog};
use crate::report::engine::charts::BeforeAfter;
use crate::report::fields::{FieldTable, Shown};
use crate::report::json::{MethodJson, ProjectJson};
use crate::report::parts::tool_version;
use crate::report::text::format::date_iso;
use crate::report::{DateSource, ReportInput};
use crate::score::reversal::Reversal;
use crate::score::robust::{CutoffSwap, MonteCarloSummary};
use crate::score::{TargetProgress, TieDecision};
use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeMap;

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

/// A project's evaluation and every field of its row in the project table
/// (input fields and the metrics stage's derived fields, `null` when blank).
#[derive(Serialize)]
struct ProjectResults<'a> {
    #[serde(flatten)]
    score: ProjectJson<'a>,
    fields: BTreeMap<String, serde_json::Value>,
}

#[derive(Serialize)]
struct Results<'a> {
    tool: String,
    date: String,
    /// Where the date came from: `given` (`--date`) or `latest_acceptance`.
    date_source: DateSource,
    model: JsonModel<'a>,
    inputs: &'a [InputFile],
    projects: Vec<ProjectResults<'a>>,
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
    let table = FieldTable::new(input.fields);
    let columns = table.columns();
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
        projects: input
            .eval
            .projects
            .iter()
            .map(|p| ProjectResults {
                score: ProjectJson::new(m, p),
                fields: field_values(&table, &columns, &p.id),
            })
            .collect(),
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

/// Every column of a project's row, by field id.
fn field_values(table: &FieldTable, columns: &[String], id: &str) -> BTreeMap<String, serde_json::Value> {
    columns
        .iter()
        .map(|c| {
            let v = match table.get(id, c) {
                None => serde_json::Value::Null,
                Some(Shown::Number(x)) => serde_json::json!(x),
                Some(Shown::Text(t)) => serde_json::Value::String(t),
                Some(Shown::Flag(b)) => serde_json::Value::Bool(b),
            };
            (c.clone(), v)
        })
        .collect()
}
