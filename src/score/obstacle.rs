//! Diagnosis of one project: obstacle degree per indicator and the points
//! missing to the next grade.

use super::ProjectScore;
use crate::model::{Grade, Model};
use serde::Serialize;

/// Obstacle degree (障碍度) of one indicator:
/// o_i = w_i·(1 − s_i) / Σ_j w_j·(1 − s_j), with w the effective points.
#[derive(Debug, Clone, Serialize)]
pub struct Obstacle {
    pub id: String,
    pub degree: f64,
    /// Points the indicator leaves on the table, w_i·(1 − s_i).
    pub lost: f64,
}

/// Distance to the next grade up.
#[derive(Debug, Clone)]
pub struct GradeGap {
    pub next: Grade,
    pub points_missing: f64,
    /// Fewest indicators (largest lost points first) whose full marks would
    /// close the gap; all indicators with lost points when it cannot be closed.
    pub levers: Vec<Obstacle>,
    /// Whether full marks on `levers` close the gap (adjustments unchanged).
    pub reachable: bool,
}

/// Fill `obstacles` and `next_grade` of a scored and graded project.
pub fn diagnose(model: &Model, p: &mut ProjectScore) {
    let mut lost: Vec<Obstacle> = p
        .indicators
        .iter()
        .filter(|s| s.weight > 0.0)
        .map(|s| Obstacle {
            id: s.id.clone(),
            degree: 0.0,
            lost: s.weight * (1.0 - s.scaled.unwrap_or(0.0)),
        })
        .filter(|o| o.lost > 1e-9)
        .collect();
    let sum: f64 = lost.iter().map(|o| o.lost).sum();
    for o in &mut lost {
        o.degree = o.lost / sum;
    }
    // Largest first; equal losses (to 1e-9 points) keep the model's order (stable sort).
    lost.sort_by_key(|o| std::cmp::Reverse((o.lost * 1e9).round() as i64));
    p.next_grade = if p.vetoed { None } else { gap(model, p.total, &lost) };
    p.obstacles = lost;
}

fn gap(model: &Model, total: f64, lost: &[Obstacle]) -> Option<GradeGap> {
    let bounds = model.grade_bounds();
    let (next, bound) = bounds
        .iter()
        .enumerate()
        .rev()
        .find(|(_, (_, b))| *b > total + 1e-6)
        .map(|(k, (_, b))| (Grade(k), *b))?;
    let missing = bound - total;
    let mut levers = Vec::new();
    let mut gained = 0.0;
    for o in lost {
        if gained + 1e-9 >= missing {
            break;
        }
        gained += o.lost;
        levers.push(o.clone());
    }
    Some(GradeGap {
        next,
        points_missing: missing,
        reachable: gained + 1e-9 >= missing,
        levers,
    })
}
