//! Read-outs of a finished scorecard for the reports: obstacle degrees and
//! the points missing to the next grade, as the score stage computed them
//! (`score::obstacle`), with the indicator's place in the model added for
//! display.

use crate::score::ProjectScore;
use serde::Serialize;

/// One indicator's share of the points a project lost.
#[derive(Debug, Clone, Serialize)]
pub struct Obstacle {
    /// Index into the model's indicators.
    pub index: usize,
    pub id: String,
    /// Points lost: effective points × (1 − scaled value).
    pub lost: f64,
    /// Obstacle degree (障碍度) in [0, 1]: lost_i / Σ lost_j.
    pub degree: f64,
}

/// Obstacle degree of every indicator that lost points, largest first
/// (see `score::obstacle::diagnose`).
pub fn obstacles(p: &ProjectScore) -> Vec<Obstacle> {
    p.obstacles
        .iter()
        .filter_map(|o| {
            let index = p.indicators.iter().position(|s| s.id == o.id)?;
            Some(Obstacle {
                index,
                id: o.id.clone(),
                lost: o.lost,
                degree: o.degree,
            })
        })
        .collect()
}

/// The next grade above a project's total.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NextGrade {
    pub grade: String,
    pub bound: f64,
    /// Points missing: bound − total.
    pub missing: f64,
}

/// The next grade of a scored project, or `None` at the top grade or when vetoed.
pub fn next_grade(p: &ProjectScore) -> Option<NextGrade> {
    p.next_grade.as_ref().map(|g| NextGrade {
        grade: g.next.clone(),
        bound: p.total + g.points_missing,
        missing: g.points_missing,
    })
}
