//! The in-memory scoring core: raw indicator values of a cohort → scaled
//! values → weights → aggregated totals. The evaluation, the Monte Carlo and
//! the rank-reversal check all score through it, on any subset of projects.

use super::Status;
use super::aggregate::{Aggregated, aggregate};
use super::scale::{self, ColumnStats};
use super::weights::{self, Derived};
use crate::model::{Aggregation, Model, Scale};
use anyhow::Result;
use std::borrow::Cow;

/// Raw values of every project (row-major, `n` × `m`) and what does not
/// depend on the cohort.
#[derive(Debug, Clone)]
pub struct Table {
    pub n: usize,
    pub m: usize,
    pub raw: Vec<Option<f64>>,
    pub planned: Vec<Option<f64>>,
    pub status: Vec<Status>,
    /// Bonus − deduction after caps.
    pub adj: Vec<f64>,
}

/// A scored subset of the table, rows in the order asked for.
#[derive(Debug, Clone)]
pub struct Scored {
    pub scaled: Vec<Option<f64>>,
    pub derived: Derived,
    /// Effective points after not-applicable re-weighting.
    pub weights: Vec<f64>,
    pub indicator_total: Vec<f64>,
    /// Indicator total + adjustments, clamped to 0–100.
    pub total: Vec<f64>,
    /// Per indicator: zero values lifted to the floor (geometric mean).
    pub floored: Vec<usize>,
    /// Per indicator: scaled value constant across the rows.
    pub constant: Vec<bool>,
    /// Per indicator: cells the objective weights filled with the column
    /// mean (see [`Table::objective_columns`]).
    pub imputed: Vec<usize>,
}

impl Table {
    /// Scaled values of `rows` (`switch_minmax[j]` scales a `target`
    /// indicator relative to the cohort instead).
    pub fn scaled(&self, model: &Model, rows: &[usize], switch_minmax: Option<&[bool]>) -> Vec<Option<f64>> {
        let methods = methods(model, switch_minmax);
        let cohort = self.cohort_stats(&methods, rows);
        self.scaled_with(rows, &methods, &cohort)
    }

    /// Per indicator: statistics of the scored values of `rows` when its
    /// scaling is relative to the cohort, else `None`.
    pub fn cohort_stats(&self, methods: &[Cow<Scale>], rows: &[usize]) -> Vec<Option<ColumnStats>> {
        let m = self.m;
        methods
            .iter()
            .enumerate()
            .map(|(j, method)| {
                if !method.is_relative() {
                    return None;
                }
                let present: Vec<Option<f64>> = rows
                    .iter()
                    .filter(|&&r| self.status[r * m + j] == Status::Scored)
                    .map(|&r| self.raw[r * m + j])
                    .collect();
                ColumnStats::of(&present)
            })
            .collect()
    }

    /// Scaled values of `rows` under `methods`, relative scalings against `cohort`.
    pub fn scaled_with(
        &self,
        rows: &[usize],
        methods: &[Cow<Scale>],
        cohort: &[Option<ColumnStats>],
    ) -> Vec<Option<f64>> {
        let m = self.m;
        let mut out = vec![None; rows.len() * m];
        for (j, (method, stats)) in methods.iter().zip(cohort).enumerate() {
            for (k, &r) in rows.iter().enumerate() {
                if self.status[r * m + j] == Status::Scored
                    && let Some(x) = self.raw[r * m + j]
                {
                    out[k * m + j] = Some(scale::scale(method, x, self.planned[r * m + j], stats.as_ref()));
                }
            }
        }
        out
    }

    /// Objective-weighting columns (entropy, CRITIC) and, per indicator, how
    /// many cells were filled. A cell is its scaled value; 0 where the value
    /// is missing and counts as 0 (`missing = "zero"`, as it is scored); and
    /// the mean of the column's scaled values where the indicator does not
    /// apply or is excluded (`missing = "exclude"`), so that the cell adds
    /// no contrast of its own (0 when the column has no value at all).
    pub fn objective_columns(&self, rows: &[usize], scaled: &[Option<f64>]) -> (Vec<Vec<f64>>, Vec<usize>) {
        let m = self.m;
        let mut filled = vec![0; m];
        let cols = (0..m)
            .map(|j| {
                let present: Vec<f64> = (0..rows.len()).filter_map(|k| scaled[k * m + j]).collect();
                let mean = if present.is_empty() {
                    0.0
                } else {
                    present.iter().sum::<f64>() / present.len() as f64
                };
                rows.iter()
                    .enumerate()
                    .map(|(k, &r)| match scaled[k * m + j] {
                        Some(s) => s,
                        None if self.status[r * m + j].counts() => 0.0,
                        None => {
                            filled[j] += 1;
                            mean
                        }
                    })
                    .collect()
            })
            .collect();
        (cols, filled)
    }

    /// Score `rows` under the model with the given aggregation.
    pub fn score(&self, model: &Model, rows: &[usize], aggregation: Aggregation) -> Result<Scored> {
        let scaled = self.scaled(model, rows, None);
        let (cols, imputed) = self.objective_columns(rows, &scaled);
        let derived = weights::derive(model, &cols)?;
        let mut scored = self.finish(model, rows, scaled, derived, aggregation);
        scored.imputed = imputed;
        Ok(scored)
    }

    /// Weights, aggregation and totals for already scaled rows.
    pub fn finish(
        &self,
        model: &Model,
        rows: &[usize],
        scaled: Vec<Option<f64>>,
        derived: Derived,
        aggregation: Aggregation,
    ) -> Scored {
        let m = self.m;
        let dims = DimIndex::of(model);
        let mut w = vec![0.0; rows.len() * m];
        for (k, &r) in rows.iter().enumerate() {
            dims.reweight(&derived.points, &self.status[r * m..][..m], &mut w[k * m..][..m]);
        }
        let x: Vec<f64> = scaled.iter().map(|s| s.unwrap_or(0.0)).collect();
        let Aggregated { totals, floored } = aggregate(aggregation, &w, &x, m, model.model.geometric_floor);
        let total = rows
            .iter()
            .zip(&totals)
            .map(|(&r, t)| (t + self.adj[r]).clamp(0.0, 100.0))
            .collect();
        let constant = (0..m)
            .map(|j| {
                let v: Vec<f64> = (0..rows.len()).filter_map(|k| scaled[k * m + j]).collect();
                v.len() > 1 && v.iter().all(|a| (a - v[0]).abs() < 1e-12)
            })
            .collect();
        Scored {
            scaled,
            derived,
            weights: w,
            indicator_total: totals,
            total,
            floored,
            constant,
            imputed: vec![0; m],
        }
    }
}

/// Each indicator's scaling; where `switch_minmax[j]`, a `target` scaling
/// becomes `minmax` (relative to the cohort) in the same direction.
pub fn methods<'m>(model: &'m Model, switch_minmax: Option<&[bool]>) -> Vec<Cow<'m, Scale>> {
    model
        .indicators
        .iter()
        .enumerate()
        .map(|(j, ind)| match (&ind.scale, switch_minmax.map(|s| s[j])) {
            (Scale::Target { floor, target }, Some(true)) => Cow::Owned(Scale::Minmax {
                lower_is_better: floor > target,
            }),
            (s, _) => Cow::Borrowed(s),
        })
        .collect()
}

/// Dimension membership of the indicators, for re-weighting.
pub struct DimIndex {
    /// Dimension index of each indicator.
    pub of: Vec<usize>,
    pub count: usize,
}

impl DimIndex {
    pub fn of(model: &Model) -> Self {
        let of = model
            .indicators
            .iter()
            .map(|i| model.dimensions.iter().position(|d| d.id == i.dimension).unwrap_or(0))
            .collect();
        Self {
            of,
            count: model.dimensions.len().max(1),
        }
    }

    /// Spread each dimension's points over its counted indicators; a
    /// dimension with none counted hands its points to the others.
    pub fn reweight(&self, points: &[f64], status: &[Status], out: &mut [f64]) {
        let mut full = vec![0.0; self.count];
        let mut live = vec![0.0; self.count];
        for (j, p) in points.iter().enumerate() {
            full[self.of[j]] += p;
            if status[j].counts() {
                live[self.of[j]] += p;
            }
        }
        let total: f64 = points.iter().sum();
        let dead: f64 = full.iter().zip(&live).filter(|(_, l)| **l == 0.0).map(|(f, _)| f).sum();
        let boost = if total > dead { total / (total - dead) } else { 0.0 };
        for (j, p) in points.iter().enumerate() {
            let d = self.of[j];
            out[j] = if status[j].counts() && live[d] > 0.0 {
                p * full[d] / live[d] * boost
            } else {
                0.0
            };
        }
    }
}
