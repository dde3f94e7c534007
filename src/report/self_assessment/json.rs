//! `自评结果.json`: the numbers of a self-assessment.

use super::peers::PeerResults;
use super::view::missing;
use crate::report::ReportInput;
use crate::report::json::ProjectJson;
use crate::report::parts::tool_version;
use crate::report::text::format::date_iso;
use crate::score::ProjectScore;
use anyhow::Result;
use serde::Serialize;

#[derive(Serialize)]
struct SelfNumbers<'a> {
    tool: String,
    date: String,
    /// [id, version].
    model: [&'a str; 2],
    project: ProjectJson<'a>,
    next_grade: Option<NextGradeJson<'a>>,
    obstacles: Vec<ObstacleJson<'a>>,
    cohort: Option<&'a PeerResults>,
    cohort_rank: Option<usize>,
    missing_fields: Vec<String>,
}

/// The next grade above the project's total.
#[derive(Serialize)]
struct NextGradeJson<'a> {
    grade: &'a str,
    bound: f64,
    /// Points missing: bound − total.
    missing: f64,
}

/// One indicator's share of the points the project lost.
#[derive(Serialize)]
struct ObstacleJson<'a> {
    /// Index into the model's indicators.
    index: usize,
    id: &'a str,
    lost: f64,
    degree: f64,
}

/// The text of `自评结果.json`.
pub fn numbers(input: &ReportInput, p: &ProjectScore, peers: Option<&PeerResults>) -> Result<String> {
    let model = input.model;
    let out = SelfNumbers {
        tool: tool_version(),
        date: date_iso(input.date),
        model: [&model.model.id, &model.model.version],
        project: ProjectJson::new(model, p),
        next_grade: p.next_grade.as_ref().map(|g| NextGradeJson {
            grade: model.grade_name(g.next),
            bound: p.total + g.points_missing,
            missing: g.points_missing,
        }),
        obstacles: p
            .obstacles
            .iter()
            .filter_map(|o| {
                Some(ObstacleJson {
                    index: p.indicators.iter().position(|s| s.id == o.id)?,
                    id: &o.id,
                    lost: o.lost,
                    degree: o.degree,
                })
            })
            .collect(),
        cohort: peers,
        cohort_rank: peers.filter(|_| !p.vetoed).map(|c| c.rank_of(p.total)),
        missing_fields: missing(input, p).into_iter().map(|m| m.id).collect(),
    };
    Ok(serde_json::to_string_pretty(&out)?)
}
