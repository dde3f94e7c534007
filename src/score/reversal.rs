//! Rank-reversal check: cohort-relative scalings (minmax, rank), objective
//! weights and TOPSIS let one project's score depend on the others. Remove
//! any one project, or add a copy of the worst eligible one, and report
//! every pair of the top group whose order flips.

use super::table::Table;
use super::{Evaluation, Status};
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
    if removal_is_local(model) {
        removals(model, table, &top, ids, &mut found)?;
    } else {
        for q in 0..table.n {
            let rows: Vec<usize> = (0..table.n).filter(|&r| r != q).collect();
            let order = order_of(model, table, &rows, &eligible)?;
            flips(&top, &order, q, Change::Removed, ids, &mut found);
        }
    }
    let mut bigger = table.clone();
    append_copy(&mut bigger, worst);
    let rows: Vec<usize> = (0..bigger.n).collect();
    let order = order_of(model, &bigger, &rows, &eligible)?;
    flips(&top, &order, worst, Change::CopyAdded, ids, &mut found);
    Ok(found)
}

/// Whether removing a project changes the others' totals only through the
/// cohort statistics of the relative scalings: not under objective weights
/// (entropy, CRITIC, combined) or TOPSIS, where every value counts.
fn removal_is_local(model: &Model) -> bool {
    model.model.aggregation != Aggregation::Topsis
        && !model.weights.as_ref().is_some_and(|w| {
            matches!(
                w.method,
                WeightMethod::Entropy | WeightMethod::Critic | WeightMethod::Combined
            )
        })
}

/// The removal half of the check when removal is local: for each removed
/// project, the cohort statistics less its value (no copy) and the totals
/// of the top group only — the numbers a full re-scoring of the remaining
/// projects gives them, in time linear in the number of projects.
fn removals(model: &Model, table: &Table, top: &[usize], ids: &[String], out: &mut Vec<Reversal>) -> Result<()> {
    let m = table.m;
    let all: Vec<usize> = (0..table.n).collect();
    let methods = super::table::methods(model, None);
    let full = table.cohort_stats(&methods, &all);
    let scaled = table.scaled_with(&all, &methods, &full);
    let derived = super::weights::derive(model, &table.objective_columns(&all, &scaled).0)?;
    for q in 0..table.n {
        let cohort: Vec<_> = full
            .iter()
            .enumerate()
            .map(|(j, stats)| {
                let stats = stats.as_ref()?;
                match (table.status[q * m + j], table.raw[q * m + j]) {
                    (Status::Scored, Some(x)) => stats.without(x),
                    _ => Some(stats.clone()),
                }
            })
            .collect();
        let rows: Vec<usize> = top.iter().copied().filter(|&r| r != q).collect();
        let scaled = table.scaled_with(&rows, &methods, &cohort);
        let total = table
            .finish(model, &rows, scaled, derived.clone(), model.model.aggregation)
            .total;
        // Rows keep the base order: a pair flips when the later one now scores higher.
        for (i, &a) in rows.iter().enumerate() {
            for (k, &b) in rows.iter().enumerate().skip(i + 1) {
                if total[k].total_cmp(&total[i]) == std::cmp::Ordering::Greater {
                    out.push(Reversal {
                        change: Change::Removed,
                        project: ids[q].clone(),
                        was_above: ids[a].clone(),
                        now_above: ids[b].clone(),
                    });
                }
            }
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::robust::SplitMix64;

    /// Two relative indicators (minmax, rank lower-is-better) and a fixed one.
    fn model() -> Model {
        let t = r#"
[model]
id = "t"
name = "t"
version = "1"
[[dimension]]
id = "a"
name = "A"
[[dimension]]
id = "b"
name = "B"
[[indicator]]
id = "x"
name = "X"
dimension = "a"
points = 40
expr = "x"
scale = { method = "minmax" }
[[indicator]]
id = "y"
name = "Y"
dimension = "a"
points = 35
expr = "y"
scale = { method = "rank", lower_is_better = true }
[[indicator]]
id = "z"
name = "Z"
dimension = "b"
points = 25
expr = "z"
scale = { method = "target", floor = 0.0, target = 1.0 }
[grades]
"合格" = 60
"#;
        Model::parse(t, "t").expect("test model")
    }

    /// Seeded raw values with ties (one decimal), blanks and a not-applicable cell.
    fn table(n: usize) -> Table {
        let m = 3;
        let mut g = SplitMix64::for_draw(11, 0);
        let mut raw = Vec::new();
        let mut status = Vec::new();
        for r in 0..n {
            for j in 0..m {
                let v = (g.next_f64() * 10.0).round() / 10.0;
                let (x, s) = match (r * 7 + j) % 23 {
                    0 => (None, Status::MissingZero),
                    5 => (None, Status::NotApplicable),
                    _ => (Some(v), Status::Scored),
                };
                raw.push(x);
                status.push(s);
            }
        }
        Table {
            n,
            m,
            raw,
            planned: vec![None; n * m],
            status,
            adj: (0..n).map(|r| (r % 3) as f64).collect(),
        }
    }

    #[test]
    fn local_removals_give_what_full_rescorings_give() {
        let model = model();
        let t = table(80);
        let ids: Vec<String> = (0..t.n).map(|r| format!("P{r:02}")).collect();
        let all: Vec<usize> = (0..t.n).collect();
        // Base order: by total of the whole cohort, the top group its best 12.
        let eligible = order_of(&model, &t, &all, &all).unwrap();
        let top: Vec<usize> = eligible[..12].to_vec();
        let mut fast = Vec::new();
        removals(&model, &t, &top, &ids, &mut fast).unwrap();
        let mut slow = Vec::new();
        for q in 0..t.n {
            let rows: Vec<usize> = (0..t.n).filter(|&r| r != q).collect();
            let order = order_of(&model, &t, &rows, &eligible).unwrap();
            flips(&top, &order, q, Change::Removed, &ids, &mut slow);
        }
        assert!(!slow.is_empty(), "no reversal to compare");
        assert_eq!(format!("{fast:?}"), format!("{slow:?}"));
    }
}
