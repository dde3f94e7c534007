//! Read-outs of a finished scorecard for the self-assessment: obstacle
//! degrees and the points missing to the next grade.
//!
//! Both only rearrange numbers the score stage produced (effective points,
//! scaled values, total, grade bounds). If the score module grows its own
//! versions, swap these calls for them.

use crate::model::Model;
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
/// (ties in model order): points_i·(1 − s_i) / Σ_j points_j·(1 − s_j),
/// with points the effective (re-weighted) points; indicators that do not
/// count (not applicable, excluded) lose nothing.
pub fn obstacles(p: &ProjectScore) -> Vec<Obstacle> {
    let lost: Vec<f64> = p
        .indicators
        .iter()
        .map(|s| (s.weight * (1.0 - s.scaled.unwrap_or(0.0))).max(0.0))
        .collect();
    let sum: f64 = lost.iter().sum();
    if sum <= 0.0 {
        return Vec::new();
    }
    let mut out: Vec<Obstacle> = p
        .indicators
        .iter()
        .zip(&lost)
        .enumerate()
        .filter(|(_, (_, l))| **l > 1e-9)
        .map(|(i, (s, l))| Obstacle {
            index: i,
            id: s.id.clone(),
            lost: *l,
            degree: l / sum,
        })
        .collect();
    out.sort_by(|a, b| b.degree.total_cmp(&a.degree).then(a.index.cmp(&b.index)));
    out
}

/// The next grade above a total.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NextGrade {
    pub grade: String,
    pub bound: f64,
    /// Points missing: bound − total.
    pub missing: f64,
}

/// The lowest grade bound above `total`, or `None` at the top grade.
pub fn next_grade(model: &Model, total: f64) -> Option<NextGrade> {
    model
        .grade_bounds()
        .into_iter()
        .rev()
        .find(|(_, b)| *b > total + 1e-9)
        .map(|(g, b)| NextGrade {
            grade: g.to_string(),
            bound: b,
            missing: b - total,
        })
}

/// Reward estimate (万元) of a rank under the model's reward tiers, if any tier covers it.
pub fn reward_of(model: &Model, rank: u32) -> Option<f64> {
    model
        .rewards
        .iter()
        .find(|r| (r.ranks[0]..=r.ranks[1]).contains(&rank))
        .map(|r| r.amount)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::{IndicatorScore, Status};

    fn ind(id: &str, weight: f64, scaled: Option<f64>, status: Status) -> IndicatorScore {
        IndicatorScore {
            id: id.into(),
            raw: None,
            planned: None,
            scaled,
            status,
            weight,
            earned: weight * scaled.unwrap_or(0.0),
            missing_fields: vec![],
        }
    }

    fn project(indicators: Vec<IndicatorScore>) -> ProjectScore {
        ProjectScore {
            id: "P".into(),
            name: "P".into(),
            city: String::new(),
            county: String::new(),
            accepted: false,
            indicators,
            dimensions: vec![],
            adjustments: vec![],
            bonus: 0.0,
            deduction: 0.0,
            indicator_total: 0.0,
            total: 0.0,
            vetoes: vec![],
            vetoed: false,
            grade: String::new(),
            rank: None,
            selected: false,
            not_selected: None,
            self_score: None,
            reward: 0.0,
            reward_cut: 0.0,
            obstacles: vec![],
            next_grade: None,
            robustness: None,
        }
    }

    /// Lost points: a 10 × (1 − 0.5) = 5; b 6 × (1 − 1) = 0; c 4 × (1 − 0) = 4 (missing → 0);
    /// d not applicable (weight 0) = 0; e 5 × (1 − 0.8) = 1. Sum 10.
    /// Degrees: a 0.5, c 0.4, e 0.1; b and d are no obstacle.
    #[test]
    fn obstacle_degrees_by_hand() {
        let p = project(vec![
            ind("a", 10.0, Some(0.5), Status::Scored),
            ind("b", 6.0, Some(1.0), Status::Scored),
            ind("c", 4.0, None, Status::MissingZero),
            ind("d", 0.0, None, Status::NotApplicable),
            ind("e", 5.0, Some(0.8), Status::Scored),
        ]);
        let o = obstacles(&p);
        let got: Vec<(&str, f64)> = o.iter().map(|x| (x.id.as_str(), x.degree)).collect();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].0, "a");
        assert!((got[0].1 - 0.5).abs() < 1e-12);
        assert_eq!(got[1].0, "c");
        assert!((got[1].1 - 0.4).abs() < 1e-12);
        assert_eq!(got[2].0, "e");
        assert!((got[2].1 - 0.1).abs() < 1e-9);
        assert!((o[1].lost - 4.0).abs() < 1e-12);
    }

    /// national-2025 grades: 优秀 90, 良好 80, 合格 60.
    /// 72.5 → 良好 needs 7.5; 59 → 合格 needs 1; 95 → none.
    #[test]
    fn next_grade_by_hand() {
        let m = Model::load("national-2025").unwrap();
        let n = next_grade(&m, 72.5).unwrap();
        assert_eq!(n.grade, "良好");
        assert!((n.missing - 7.5).abs() < 1e-12);
        assert_eq!(next_grade(&m, 59.0).unwrap().grade, "合格");
        assert_eq!(next_grade(&m, 80.0).unwrap().grade, "优秀");
        assert!(next_grade(&m, 95.0).is_none());
    }

    /// Tiers 1–3: 1000 万元, 4–8: 600 万元 (Appendix B); rank 9 gets nothing.
    #[test]
    fn reward_tiers_by_rank() {
        let mut m = Model::load("national-2025").unwrap();
        m.rewards = vec![
            crate::model::Reward {
                ranks: [1, 3],
                amount: 1000.0,
            },
            crate::model::Reward {
                ranks: [4, 8],
                amount: 600.0,
            },
        ];
        assert_eq!(reward_of(&m, 3), Some(1000.0));
        assert_eq!(reward_of(&m, 4), Some(600.0));
        assert_eq!(reward_of(&m, 9), None);
    }
}
