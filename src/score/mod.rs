//! Scoring: indicators, re-weighting, vetoes, adjustments, grades, ranks and
//! demonstration selection under a declarative model.
//!
//! Works on the project table of the metrics stage and never formats report
//! text; its output is plain numbers and statuses.

pub mod aggregate;
pub mod expr;
pub mod obstacle;
mod rank;
pub mod reversal;
pub mod robust;
pub mod scale;
pub mod table;
pub mod weights;

use crate::ingest::NotApplicable;
use crate::model::{MissingPolicy, Model, Scale};
use crate::progress::{Progress, Stage};
use anyhow::Result;
use expr::Named;
use polars::prelude::DataFrame;
use serde::Serialize;

/// How an indicator was treated for one project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Computed and scaled.
    Scored,
    /// The plan set no task (or `applies` is false): dropped, points re-weighted.
    NotApplicable,
    /// No value; scored 0 (`missing = "zero"`).
    MissingZero,
    /// No value; dropped and re-weighted (`missing = "exclude"`).
    MissingExcluded,
    /// No value and the model says that is an error.
    MissingError,
}

impl Status {
    /// Whether the indicator's points stay in the project's denominator.
    pub fn counts(self) -> bool {
        matches!(self, Status::Scored | Status::MissingZero | Status::MissingError)
    }
}

/// One indicator of one project.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorScore {
    pub id: String,
    pub raw: Option<f64>,
    /// The project's planned target (plan scales).
    pub planned: Option<f64>,
    pub scaled: Option<f64>,
    pub status: Status,
    /// Effective full points after re-weighting.
    pub weight: f64,
    pub earned: f64,
    /// Fields the expression read that were missing.
    pub missing_fields: Vec<String>,
}

/// Points of one dimension.
#[derive(Debug, Clone, Serialize)]
pub struct DimensionScore {
    pub id: String,
    pub earned: f64,
    /// The model's full points for the dimension.
    pub points: f64,
}

/// Result of checking one veto.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VetoStatus {
    Passed,
    Breached,
    /// The data needed to check it is missing: until it is filled in, the
    /// project can be neither selected nor rewarded.
    Unknown,
    /// Every blank value the check reads was written “不涉及”.
    NotApplicable,
    /// The model checks it only once the project is carried out
    /// (`[[redline_defer]]`) and the outcome is not in the data yet.
    Deferred,
}

impl VetoStatus {
    /// Whether the status keeps a project from selection and reward.
    pub fn blocks(self) -> bool {
        matches!(self, VetoStatus::Breached | VetoStatus::Unknown)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct VetoCheck {
    pub id: String,
    pub status: VetoStatus,
}

/// A triggered bonus or deduction, after its own cap.
#[derive(Debug, Clone, Serialize)]
pub struct AdjustHit {
    pub id: String,
    pub points: f64,
}

/// Why a project above the minimum score was not selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotSelected {
    Vetoed,
    NotAccepted,
    BelowMinimum,
    CityFull,
    CountReached,
    /// Grade below the selection's required grade.
    GradeTooLow,
    /// A red line cannot be checked for lack of data (待核实).
    RedlineUnknown,
}

/// A project's full evaluation.
#[derive(Debug, Clone)]
pub struct ProjectScore {
    pub id: String,
    pub name: String,
    pub city: String,
    pub county: String,
    pub accepted: bool,
    pub indicators: Vec<IndicatorScore>,
    pub dimensions: Vec<DimensionScore>,
    pub adjustments: Vec<AdjustHit>,
    /// Sum of bonuses after the model's cap.
    pub bonus: f64,
    /// Sum of deductions after the model's cap (a positive number).
    pub deduction: f64,
    pub indicator_total: f64,
    /// Σ indicators + bonus − deduction, clamped to 0–100.
    pub total: f64,
    pub vetoes: Vec<VetoCheck>,
    pub vetoed: bool,
    pub grade: crate::model::Grade,
    /// Shared rank among eligible projects (1, 2, 2, 4); none when vetoed.
    pub rank: Option<u32>,
    pub selected: bool,
    pub not_selected: Option<NotSelected>,
    pub self_score: Option<f64>,
    /// Reward funds (万元) after the county cap.
    pub reward: f64,
    /// Reward withheld by the county cap (万元).
    pub reward_cut: f64,
    /// Obstacle degree per indicator, largest first (only those > 0).
    pub obstacles: Vec<obstacle::Obstacle>,
    /// Points missing to the next grade and the indicators that close it.
    pub next_grade: Option<obstacle::GradeGap>,
    /// Monte Carlo figures (eligible projects).
    pub robustness: Option<robust::ProjectRobustness>,
}

impl ProjectScore {
    /// Whether some red line could not be checked for lack of data.
    pub fn redline_unknown(&self) -> bool {
        self.vetoes.iter().any(|v| v.status == VetoStatus::Unknown)
    }
}

/// Weight of one indicator as points.
#[derive(Debug, Clone, Serialize)]
pub struct WeightPoint {
    pub id: String,
    /// The model's fixed points.
    pub model_points: f64,
    /// Points the weighting method gives (equal to the model's for `fixed`).
    pub points: f64,
}

/// How the evaluation weighted and aggregated.
#[derive(Debug, Clone)]
pub struct Method {
    pub weighting: crate::model::WeightMethod,
    pub aggregation: crate::model::Aggregation,
    pub weights: Vec<WeightPoint>,
    pub ahp: Vec<weights::AhpReport>,
    pub tie_break: Vec<String>,
    /// Guards and re-normalisations.
    pub notes: Vec<weights::MethodNote>,
}

impl Method {
    /// Points of an indicator as the evaluation weighted it (derived weights
    /// under AHP, entropy, CRITIC or combined; the model's points when fixed).
    pub fn indicator_points(&self, model: &Model, id: &str) -> f64 {
        self.weights
            .iter()
            .find(|w| w.id == id)
            .map(|w| w.points)
            .or_else(|| model.indicators.iter().find(|i| i.id == id).map(|i| i.points))
            .unwrap_or(0.0)
    }

    /// Full points of a dimension as the evaluation weighted it.
    pub fn dimension_points(&self, model: &Model, dim: &str) -> f64 {
        model
            .indicators
            .iter()
            .filter(|i| i.dimension == dim)
            .map(|i| self.indicator_points(model, &i.id))
            .sum()
    }
}

/// Progress towards one `[[target]]`.
#[derive(Debug, Clone, Serialize)]
pub struct TargetProgress {
    pub id: String,
    /// Sum over accepted, non-vetoed projects (missing values count 0).
    pub achieved: f64,
    pub goal: f64,
    /// achieved ÷ goal (may exceed 1).
    pub share: f64,
    /// Projects that contributed a value.
    pub projects: usize,
}

/// Two projects with equal totals ordered by a tie-break key.
#[derive(Debug, Clone, Serialize)]
pub struct TieDecision {
    pub above: String,
    pub below: String,
    /// The key that decided (e.g. `dimension:result`).
    pub key: String,
    /// Whether the pair straddles the selection cut-off.
    pub at_cutoff: bool,
}

/// The evaluation of a cohort under one model.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Projects in report order: eligible by rank, then vetoed by score.
    pub projects: Vec<ProjectScore>,
    pub method: Method,
    /// Equal totals and the key that ordered them.
    pub ties: Vec<TieDecision>,
    pub robustness: Option<robust::MonteCarloSummary>,
    /// Smallest single-weight changes that swap the projects at the cut-off.
    pub cutoff_swaps: Vec<robust::CutoffSwap>,
    /// Rank reversals of the top group under cohort changes.
    pub reversals: Vec<reversal::Reversal>,
    /// Progress towards the model's programme goals.
    pub progress: Vec<TargetProgress>,
    /// Data problems found while scoring, in the order found.
    pub issues: Vec<ScoreIssue>,
}

/// A data problem the score stage found. The report's vocabulary words it
/// for the data-quality log.
#[derive(Debug, Clone, PartialEq)]
pub enum ScoreIssue {
    /// An indicator's value could not be computed: `fields` are the fields
    /// it read that were blank (none: the expression itself gave no value,
    /// e.g. a division by 0); `status` says how it was scored.
    IndicatorMissing {
        project: String,
        indicator: String,
        status: Status,
        fields: Vec<String>,
    },
    /// A red line could not be checked for lack of data: `fields` are the
    /// fields its condition read that were blank (none: the condition itself
    /// gave no value).
    VetoUnknown {
        project: String,
        veto: String,
        fields: Vec<String>,
    },
}

/// Column-name prefixes of the evaluated expressions.
fn col(kind: &str, id: &str) -> String {
    format!("{kind}__{id}")
}

/// Compile every model expression into one query.
fn named_expressions(model: &Model) -> Vec<Named> {
    let mut v = Vec::new();
    let mut add = |kind: &str, id: &str, label: String, text: &str, as_bool: bool| {
        v.push(Named {
            column: col(kind, id),
            label,
            text: text.to_string(),
            as_bool,
        })
    };
    for i in &model.indicators {
        add("raw", &i.id, format!("指标 {} 的 expr", i.id), &i.expr, false);
        if let Scale::Plan { planned, .. } = &i.scale {
            add("plan", &i.id, format!("指标 {} 的 planned", i.id), planned, false);
        }
        if let Some(a) = &i.applies {
            add("applies", &i.id, format!("指标 {} 的 applies", i.id), a, true);
        }
    }
    for t in &model.targets {
        add("target", &t.id, format!("目标 {} 的 expr", t.id), &t.expr, false);
    }
    for w in &model.vetoes {
        add("veto", &w.id, format!("否决项 {} 的 when", w.id), &w.when, true);
    }
    for a in &model.adjustments {
        add("adj", &a.id, format!("加减分项 {} 的 when", a.id), &a.when, true);
        if let Some(p) = &a.per {
            add("per", &a.id, format!("加减分项 {} 的 per", a.id), p, false);
        }
    }
    v
}

/// Score every project of `table` under `model`.
pub fn evaluate(table: &DataFrame, model: &Model) -> Result<Evaluation> {
    evaluate_with_threads(table, model, robust::threads())
}

/// [`evaluate`] with the Monte Carlo on `threads` threads (the figures do
/// not depend on the number).
pub fn evaluate_with_threads(table: &DataFrame, model: &Model, threads: usize) -> Result<Evaluation> {
    evaluate_with(table, model, &NotApplicable::default(), threads)
}

/// [`evaluate_with_threads`] knowing which values were written “不涉及”
/// (`na`, input and derived fields): an indicator or red line whose blank
/// inputs are all such values is not applicable rather than missing.
pub fn evaluate_with(table: &DataFrame, model: &Model, na: &NotApplicable, threads: usize) -> Result<Evaluation> {
    evaluate_observed(table, model, na, threads, &Progress::default())
}

/// [`evaluate_with`], telling `observer` when scoring and the robustness
/// analysis (cut-off swaps, Monte Carlo, rank reversals) start and end.
pub fn evaluate_observed(
    table: &DataFrame,
    model: &Model,
    na: &NotApplicable,
    threads: usize,
    observer: &Progress,
) -> Result<Evaluation> {
    let (mut eval, core, ids) = observer.stage(Stage::Score, || base_evaluation(table, model, na))?;
    observer.stage(Stage::Robustness, || -> Result<()> {
        robust::analyse(model, &core, &ids, &mut eval, threads)?;
        eval.reversals = reversal::check(model, &core, &ids, &eval)?;
        Ok(())
    })?;
    Ok(eval)
}

/// Scores, ranks and selection without the robustness analysis, with the
/// scoring core's table and the project ids (table order) it needs.
fn base_evaluation(
    table: &DataFrame,
    model: &Model,
    na: &NotApplicable,
) -> Result<(Evaluation, table::Table, Vec<String>)> {
    let values = expr::evaluate(table, &named_expressions(model))?;
    let n = table.height();
    let ids: Vec<String> = expr::strings(table, "project_id")?
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect();
    let text = |c: &str| -> Result<Vec<String>> {
        Ok(expr::strings(table, c)?
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect())
    };
    let (names, cities, counties) = (text("project_name")?, text("city")?, text("county")?);
    let accepted = expr::bools(table, "is_accepted")?;
    let self_scores = expr::floats(table, "self_score_total")?;

    let mut issues = Vec::new();
    let facts = Facts { table, na, ids: &ids };
    let (table_core, mut indicator_rows) = score_indicators(&facts, model, &values, &mut issues)?;
    let mut core = table_core;
    let mut adjust_rows = Vec::with_capacity(n);
    for p in 0..n {
        let adj = adjust(model, &values, p)?;
        core.adj[p] = adj.1 - adj.2;
        adjust_rows.push(adj);
    }
    let all: Vec<usize> = (0..n).collect();
    let scored = core.score(model, &all, model.model.aggregation)?;
    let method = method_of(model, &scored);
    for (p, row) in indicator_rows.iter_mut().enumerate() {
        for (j, s) in row.iter_mut().enumerate() {
            s.scaled = scored.scaled[p * core.m + j];
            s.weight = scored.weights[p * core.m + j];
            s.earned = s.weight * s.scaled.unwrap_or(0.0);
        }
    }
    let mut projects = Vec::with_capacity(n);
    for (p, (indicators, (adjustments, bonus, deduction))) in indicator_rows.into_iter().zip(adjust_rows).enumerate() {
        let dimensions = model
            .dimensions
            .iter()
            .map(|d| DimensionScore {
                id: d.id.clone(),
                earned: indicators
                    .iter()
                    .zip(&model.indicators)
                    .filter(|(_, m)| m.dimension == d.id)
                    .map(|(s, _)| s.earned)
                    .sum(),
                points: model
                    .indicators
                    .iter()
                    .zip(&scored.derived.points)
                    .filter(|(i, _)| i.dimension == d.id)
                    .map(|(_, p)| p)
                    .sum(),
            })
            .collect();
        let (vetoes, unknown) = check_vetoes(&facts, model, &values, p)?;
        issues.extend(unknown);
        let indicator_total = scored.indicator_total[p];
        let total = scored.total[p];
        let vetoed = vetoes.iter().any(|v| v.status == VetoStatus::Breached);
        projects.push(ProjectScore {
            id: ids[p].clone(),
            name: names[p].clone(),
            city: cities[p].clone(),
            county: counties[p].clone(),
            accepted: accepted[p].unwrap_or(false),
            indicators,
            dimensions,
            adjustments,
            bonus,
            deduction,
            indicator_total,
            total,
            vetoes,
            vetoed,
            grade: model.fail_grade(),
            rank: None,
            selected: false,
            not_selected: None,
            self_score: self_scores[p],
            reward: 0.0,
            reward_cut: 0.0,
            obstacles: Vec::new(),
            next_grade: None,
            robustness: None,
        });
    }
    let ties = rank::grade_rank_select(&mut projects, model);
    for p in projects.iter_mut() {
        obstacle::diagnose(model, p);
    }
    let mut eval = Evaluation {
        projects,
        method,
        ties,
        robustness: None,
        cutoff_swaps: Vec::new(),
        reversals: Vec::new(),
        progress: Vec::new(),
        issues,
    };
    let vetoed: std::collections::HashSet<&str> = eval
        .projects
        .iter()
        .filter(|p| p.vetoed)
        .map(|p| p.id.as_str())
        .collect();
    eval.progress = progress(model, &values, &ids, &accepted, &vetoed)?;
    if !reversal::is_relative(model) {
        eval.method.notes.push(weights::MethodNote::NotBatchRelative);
    }
    Ok((eval, core, ids))
}

/// Progress of every target over accepted projects not in `skip` (the vetoed ones).
fn progress(
    model: &Model,
    values: &DataFrame,
    ids: &[String],
    accepted: &[Option<bool>],
    skip: &std::collections::HashSet<&str>,
) -> Result<Vec<TargetProgress>> {
    model
        .targets
        .iter()
        .map(|t| {
            let v = expr::floats(values, &col("target", &t.id))?;
            let counted: Vec<f64> = (0..ids.len())
                .filter(|&p| accepted[p] == Some(true) && !skip.contains(ids[p].as_str()))
                .filter_map(|p| v[p])
                .collect();
            let achieved: f64 = counted.iter().sum();
            Ok(TargetProgress {
                id: t.id.clone(),
                achieved,
                goal: t.goal,
                share: achieved / t.goal,
                projects: counted.len(),
            })
        })
        .collect()
}

/// The method section of an evaluation, with its guard notes.
fn method_of(model: &Model, scored: &table::Scored) -> Method {
    let mut notes = scored.derived.notes.clone();
    for (j, ind) in model.indicators.iter().enumerate() {
        if scored.floored[j] > 0 {
            notes.push(weights::MethodNote::FlooredZeros {
                indicator: ind.id.clone(),
                projects: scored.floored[j],
                floor: model.model.geometric_floor,
            });
        }
        let relative = ind.scale.is_relative() || model.model.aggregation == crate::model::Aggregation::Topsis;
        if scored.constant[j] && relative {
            notes.push(weights::MethodNote::ConstantRelative {
                indicator: ind.id.clone(),
            });
        }
    }
    if let Some(method) = objective_method(model) {
        notes.push(weights::MethodNote::ObjectiveImputed {
            method,
            cells: scored.imputed.iter().sum(),
            indicators: model
                .indicators
                .iter()
                .zip(&scored.imputed)
                .filter(|(_, n)| **n > 0)
                .map(|(i, n)| (i.id.clone(), *n))
                .collect(),
        });
    }
    if scored.derived.method != crate::model::WeightMethod::Fixed {
        notes.push(weights::MethodNote::PointsNormalised {
            method: scored.derived.method,
            total: scored.derived.points.iter().sum(),
        });
    }
    Method {
        weighting: scored.derived.method,
        aggregation: model.model.aggregation,
        weights: model
            .indicators
            .iter()
            .zip(&scored.derived.points)
            .map(|(i, p)| WeightPoint {
                id: i.id.clone(),
                model_points: i.points,
                points: *p,
            })
            .collect(),
        ahp: scored.derived.ahp.clone(),
        tie_break: model.tie_break_keys(),
        notes,
    }
}

/// The project table with what ingest and metrics know about its blanks.
struct Facts<'a> {
    table: &'a DataFrame,
    na: &'a NotApplicable,
    ids: &'a [String],
}

impl Facts<'_> {
    /// Fields among `read` that are null for project row `p`.
    fn blank(&self, read: &std::collections::BTreeSet<String>, p: usize) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for f in read {
            if self.table.column(f)?.get(p)?.is_null() {
                out.push(f.clone());
            }
        }
        Ok(out)
    }

    /// Whether blank `fields` were all written “不涉及” (at least one).
    fn all_not_applicable(&self, fields: &[String], p: usize) -> bool {
        !fields.is_empty() && fields.iter().all(|f| self.na.contains(&self.ids[p], f))
    }
}

/// The objective method the model's weights use, if any (entropy or CRITIC,
/// alone or combined).
pub fn objective_method(model: &Model) -> Option<crate::model::WeightMethod> {
    use crate::model::WeightMethod as W;
    let spec = model.weights.as_ref()?;
    match spec.method {
        W::Entropy | W::Critic => Some(spec.method),
        W::Combined => Some(spec.objective.unwrap_or(W::Entropy)),
        W::Fixed | W::Ahp => None,
    }
}

/// Raw values and statuses (the scoring core's table) and the indicator
/// rows to fill, one Vec per project.
fn score_indicators(
    facts: &Facts,
    model: &Model,
    values: &DataFrame,
    issues: &mut Vec<ScoreIssue>,
) -> Result<(table::Table, Vec<Vec<IndicatorScore>>)> {
    let ids = facts.ids;
    let n = ids.len();
    let m = model.indicators.len();
    let mut core = table::Table {
        n,
        m,
        raw: vec![None; n * m],
        planned: vec![None; n * m],
        status: vec![Status::Scored; n * m],
        adj: vec![0.0; n],
    };
    let mut rows: Vec<Vec<IndicatorScore>> = vec![Vec::new(); n];
    for (j, ind) in model.indicators.iter().enumerate() {
        let raw = expr::floats(values, &col("raw", &ind.id))?;
        let planned = match &ind.scale {
            Scale::Plan { .. } => expr::floats(values, &col("plan", &ind.id))?,
            _ => vec![None; n],
        };
        let applies = match &ind.applies {
            Some(_) => expr::bools(values, &col("applies", &ind.id))?,
            None => vec![Some(true); n],
        };
        let read = expr::fields_of(&expr::parse(&ind.expr)?);
        for p in 0..n {
            let not_applicable = applies[p] == Some(false)
                || (matches!(ind.scale, Scale::Plan { .. }) && !planned[p].is_some_and(|x| x > 0.0));
            let mut missing_fields = facts.blank(&read, p)?;
            let status = match (not_applicable, raw[p]) {
                (true, _) => Status::NotApplicable,
                (false, Some(_)) => Status::Scored,
                (false, None) if facts.all_not_applicable(&missing_fields, p) => {
                    // Written 不涉及: nothing is missing.
                    missing_fields.clear();
                    Status::NotApplicable
                }
                (false, None) => {
                    let status = match ind.missing {
                        MissingPolicy::Zero => Status::MissingZero,
                        MissingPolicy::Exclude => Status::MissingExcluded,
                        MissingPolicy::Error => Status::MissingError,
                    };
                    issues.push(ScoreIssue::IndicatorMissing {
                        project: ids[p].clone(),
                        indicator: ind.id.clone(),
                        status,
                        fields: missing_fields.clone(),
                    });
                    status
                }
            };
            core.raw[p * m + j] = raw[p];
            core.planned[p * m + j] = planned[p];
            core.status[p * m + j] = status;
            rows[p].push(IndicatorScore {
                id: ind.id.clone(),
                raw: raw[p],
                planned: planned[p],
                scaled: None,
                status,
                weight: 0.0,
                earned: 0.0,
                missing_fields,
            });
        }
    }
    Ok((core, rows))
}

/// Every red line of project row `p`, and an issue for each one the data
/// cannot decide. A red line without a value is not applicable when all the
/// blank fields it reads were written “不涉及”, deferred when the model
/// defers it, and otherwise unknown.
fn check_vetoes(
    facts: &Facts,
    model: &Model,
    values: &DataFrame,
    p: usize,
) -> Result<(Vec<VetoCheck>, Vec<ScoreIssue>)> {
    let mut checks = Vec::with_capacity(model.vetoes.len());
    let mut issues = Vec::new();
    for v in &model.vetoes {
        let status = match values.column(&col("veto", &v.id))?.bool()?.get(p) {
            Some(true) => VetoStatus::Breached,
            Some(false) => VetoStatus::Passed,
            None => {
                let blank = facts.blank(&expr::fields_of(&expr::parse(&v.when)?), p)?;
                if facts.all_not_applicable(&blank, p) {
                    VetoStatus::NotApplicable
                } else if v.deferred.is_some() {
                    VetoStatus::Deferred
                } else {
                    issues.push(ScoreIssue::VetoUnknown {
                        project: facts.ids[p].clone(),
                        veto: v.id.clone(),
                        fields: blank,
                    });
                    VetoStatus::Unknown
                }
            }
        };
        checks.push(VetoCheck {
            id: v.id.clone(),
            status,
        });
    }
    Ok((checks, issues))
}

/// Triggered adjustments with item caps, then the model's bonus/deduction caps.
fn adjust(model: &Model, values: &DataFrame, p: usize) -> Result<(Vec<AdjustHit>, f64, f64)> {
    let mut hits = Vec::new();
    for a in &model.adjustments {
        if values.column(&col("adj", &a.id))?.bool()?.get(p) != Some(true) {
            continue;
        }
        let times = match &a.per {
            Some(_) => values.column(&col("per", &a.id))?.f64()?.get(p).unwrap_or(1.0),
            None => 1.0,
        };
        let mut pts = a.points * times;
        if let Some(max) = a.max {
            pts = pts.clamp(-max, max);
        }
        hits.push(AdjustHit {
            id: a.id.clone(),
            points: pts,
        });
    }
    // fold from +0.0: an empty f64 `sum()` is -0.0, which prints as "-0.00".
    let bonus = hits.iter().fold(0.0, |acc, h| acc + h.points.max(0.0));
    let deduction = hits.iter().fold(0.0, |acc, h| acc + (-h.points).max(0.0));
    Ok((
        hits,
        bonus.min(model.model.bonus_cap),
        deduction.min(model.model.deduction_cap),
    ))
}
