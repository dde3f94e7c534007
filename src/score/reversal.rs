//! Rank-reversal check: cohort-relative scalings (minmax, rank), objective
//! weights and TOPSIS let one project's score depend on the others. Remove
//! any one project, or add a copy of the worst eligible one, and report
//! every pair of the top group whose order flips.

use super::Evaluation;
use super::table::Table;
use crate::model::{Aggregation, Model, WeightMethod};
use anyhow::Result;
use serde::Serialize;
use std::collections::HashMap;

/// What was changed in the cohort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// One project removed.
    Removed,
    /// A copy of the worst eligible project added.
    CopyAdded,
}

/// One order flip of two top projects under one cohort change.
#[derive(Debug, Clone, Serialize)]
pub struct Reversal {
    pub change: Change,
    /// The project removed or copied.
    pub project: String,
    /// Ahead in the evaluation, behind after the change.
    pub was_above: String,
    pub now_above: String,
}

/// Whether any part of the model depends on the cohort.
pub fn is_relative(model: &Model) -> bool {
    model.indicators.iter().any(|i| i.scale.is_relative())
        || model.model.aggregation == Aggregation::Topsis
        || model.weights.as_ref().is_some_and(|w| {
            matches!(
                w.method,
                WeightMethod::Entropy | WeightMethod::Critic | WeightMethod::Combined
            )
        })
}

/// Size of the top group checked: the selection count, else `top_n` or 10.
pub fn top_size(model: &Model) -> usize {
    model
        .selection
        .as_ref()
        .map_or(model.robustness.top_n.unwrap_or(10), |s| s.count)
}

/// Run the check; empty when the model has nothing cohort-relative.
pub fn check(model: &Model, table: &Table, ids: &[String], eval: &Evaluation) -> Result<Vec<Reversal>> {
    if !is_relative(model) {
        return Ok(Vec::new());
    }
    let row_of: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
    let eligible: Vec<usize> = eval
        .projects
        .iter()
        .filter(|p| !p.vetoed)
        .filter_map(|p| row_of.get(p.id.as_str()).copied())
        .collect();
    let top: Vec<usize> = eligible.iter().copied().take(top_size(model)).collect();
    let Some(&worst) = eligible.last() else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    for q in 0..table.n {
        let rows: Vec<usize> = (0..table.n).filter(|&r| r != q).collect();
        let order = order_of(model, table, &rows, &eligible)?;
        flips(&top, &order, q, Change::Removed, ids, &mut found);
    }
    let mut bigger = table.clone();
    append_copy(&mut bigger, worst);
    let rows: Vec<usize> = (0..bigger.n).collect();
    let order = order_of(model, &bigger, &rows, &eligible)?;
    flips(&top, &order, worst, Change::CopyAdded, ids, &mut found);
    Ok(found)
}

/// Eligible rows (of `eligible`, base order) present in `rows`, ordered by
/// total, equal totals by base position.
fn order_of(model: &Model, table: &Table, rows: &[usize], eligible: &[usize]) -> Result<Vec<usize>> {
    let scored = table.score(model, rows, model.model.aggregation)?;
    let pos: HashMap<usize, usize> = rows.iter().enumerate().map(|(k, &r)| (r, k)).collect();
    let mut present: Vec<(usize, usize, f64)> = eligible
        .iter()
        .enumerate()
        .filter_map(|(b, r)| pos.get(r).map(|&k| (b, *r, scored.total[k])))
        .collect();
    present.sort_by(|x, y| y.2.total_cmp(&x.2).then(x.0.cmp(&y.0)));
    Ok(present.into_iter().map(|(_, r, _)| r).collect())
}

fn flips(top: &[usize], order: &[usize], q: usize, change: Change, ids: &[String], out: &mut Vec<Reversal>) {
    let pos: HashMap<usize, usize> = order.iter().enumerate().map(|(k, &r)| (r, k)).collect();
    for (i, &a) in top.iter().enumerate() {
        for &b in &top[i + 1..] {
            if let (Some(pa), Some(pb)) = (pos.get(&a), pos.get(&b))
                && pb < pa
            {
                out.push(Reversal {
                    change,
                    project: ids[q].clone(),
                    was_above: ids[a].clone(),
                    now_above: ids[b].clone(),
                });
            }
        }
    }
}

/// Append a copy of row `r` (it scores but is not one of the eligible rows compared).
fn append_copy(t: &mut Table, r: usize) {
    let m = t.m;
    let raw = t.raw[r * m..][..m].to_vec();
    let planned = t.planned[r * m..][..m].to_vec();
    let status = t.status[r * m..][..m].to_vec();
    t.raw.extend(raw);
    t.planned.extend(planned);
    t.status.extend(status);
    t.adj.push(t.adj[r]);
    t.n += 1;
}
