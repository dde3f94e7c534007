//! The JSON schema of a project's evaluation, shared by `results.json` and
//! `自评结果.json`: the score stage's numbers and statuses, with grades and
//! verdicts spelled as the reports spell them.
//!
//! A shared layer: it imports no document.

use super::text::{method, vocab};
use crate::model::{DroppedRedline, Model, RedlineSet, WeightMethod};
use crate::score::obstacle::Obstacle;
use crate::score::robust::Verdict;
use crate::score::weights::AhpReport;
use crate::score::{
    AdjustHit, DimensionScore, IndicatorScore, Method, NotSelected, ProjectScore, VetoCheck, WeightPoint,
};
use serde::Serialize;

/// One project, as other systems read it.
#[derive(Serialize)]
pub struct ProjectJson<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub city: &'a str,
    pub county: &'a str,
    pub accepted: bool,
    pub indicators: &'a [IndicatorScore],
    pub dimensions: &'a [DimensionScore],
    pub adjustments: &'a [AdjustHit],
    pub bonus: f64,
    pub deduction: f64,
    pub indicator_total: f64,
    pub total: f64,
    pub vetoes: &'a [VetoCheck],
    pub vetoed: bool,
    /// The grade's name.
    pub grade: &'a str,
    pub rank: Option<u32>,
    pub selected: bool,
    pub not_selected: Option<NotSelected>,
    pub self_score: Option<f64>,
    /// 万元, after the county cap.
    pub reward: f64,
    pub reward_cut: f64,
    pub obstacles: &'a [Obstacle],
    pub next_grade: Option<GradeGapJson<'a>>,
    pub robustness: Option<RobustnessJson>,
}

/// The points missing to the next grade.
#[derive(Serialize)]
pub struct GradeGapJson<'a> {
    /// The next grade's name.
    pub next: &'a str,
    pub points_missing: f64,
    pub levers: &'a [Obstacle],
    pub reachable: bool,
}

/// A project's Monte Carlo figures.
#[derive(Serialize)]
pub struct RobustnessJson {
    pub median_rank: u32,
    pub rank_p05: u32,
    pub rank_p95: u32,
    pub p_selected: f64,
    pub verdict: Verdict,
    pub verdict_label: &'static str,
}

impl<'a> ProjectJson<'a> {
    pub fn new(model: &'a Model, p: &'a ProjectScore) -> Self {
        Self {
            id: &p.id,
            name: &p.name,
            city: &p.city,
            county: &p.county,
            accepted: p.accepted,
            indicators: &p.indicators,
            dimensions: &p.dimensions,
            adjustments: &p.adjustments,
            bonus: p.bonus,
            deduction: p.deduction,
            indicator_total: p.indicator_total,
            total: p.total,
            vetoes: &p.vetoes,
            vetoed: p.vetoed,
            grade: model.grade_name(p.grade),
            rank: p.rank,
            selected: p.selected,
            not_selected: p.not_selected,
            self_score: p.self_score,
            reward: p.reward,
            reward_cut: p.reward_cut,
            obstacles: &p.obstacles,
            next_grade: p.next_grade.as_ref().map(|g| GradeGapJson {
                next: model.grade_name(g.next),
                points_missing: g.points_missing,
                levers: &g.levers,
                reachable: g.reachable,
            }),
            robustness: p.robustness.as_ref().map(|r| RobustnessJson {
                median_rank: r.median_rank,
                rank_p05: r.rank_p05,
                rank_p95: r.rank_p95,
                p_selected: r.p_selected,
                verdict: r.verdict,
                verdict_label: vocab::verdict_label(r.verdict),
            }),
        }
    }
}

/// How the evaluation weighted and aggregated, its notes in words.
#[derive(Serialize)]
pub struct MethodJson<'a> {
    pub weighting: WeightMethod,
    pub aggregation: crate::model::Aggregation,
    pub weights: &'a [WeightPoint],
    pub ahp: &'a [AhpReport],
    pub tie_break: &'a [String],
    pub notes: Vec<String>,
    /// The exclusion rule and (objective weights) the imputation rule, in words.
    pub rules: Vec<String>,
    /// The red lines the model checks, defers and drops.
    pub redlines: RedlinesJson<'a>,
}

/// The red lines of a model, as other systems read them.
#[derive(Serialize)]
pub struct RedlinesJson<'a> {
    /// The shared set included (`national`).
    pub set: RedlineSet,
    /// Ids of every red line checked (the set's, then the model's own).
    pub checked: Vec<&'a str>,
    /// Red lines checked only once the outcome exists: (id, reason).
    pub deferred: Vec<(&'a str, &'a str)>,
    /// Red lines of the set the model does not check, with reasons.
    pub dropped: &'a [DroppedRedline],
    /// The rule in a sentence, as the method section prints it.
    pub summary: String,
}

impl<'a> MethodJson<'a> {
    pub fn new(model: &'a Model, m: &'a Method) -> Self {
        Self {
            weighting: m.weighting,
            aggregation: m.aggregation,
            weights: &m.weights,
            ahp: &m.ahp,
            tie_break: &m.tie_break,
            notes: m.notes.iter().map(|n| vocab::method_note(model, n)).collect(),
            rules: method::method_rules(model, m),
            redlines: RedlinesJson {
                set: model.model.redlines,
                checked: model.vetoes.iter().map(|v| v.id.as_str()).collect(),
                deferred: model
                    .vetoes
                    .iter()
                    .filter_map(|v| v.deferred.as_deref().map(|r| (v.id.as_str(), r)))
                    .collect(),
                dropped: &model.dropped_redlines,
                summary: method::redline_rule(model),
            },
        }
    }
}
