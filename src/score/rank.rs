//! Grades, shared ranks and demonstration selection.

use super::{NotSelected, ProjectScore};
use crate::model::{FAIL_GRADE, Model};
use std::cmp::Ordering;
use std::collections::HashMap;

/// Totals closer than this are ties (guards against float noise).
const TIE: f64 = 1e-6;

fn grade(model: &Model, p: &ProjectScore) -> String {
    if p.vetoed {
        return FAIL_GRADE.into();
    }
    model
        .grade_bounds()
        .into_iter()
        .find(|(_, bound)| p.total + TIE >= *bound)
        .map_or_else(|| FAIL_GRADE.into(), |(g, _)| g.to_string())
}

/// Report order: eligible before vetoed; higher total first; ties by the
/// results dimension (the last), then by project id so the order never
/// depends on input order.
fn order(a: &ProjectScore, b: &ProjectScore) -> Ordering {
    let by_total = |x: &ProjectScore, y: &ProjectScore| {
        if (x.total - y.total).abs() < TIE {
            Ordering::Equal
        } else {
            y.total.total_cmp(&x.total)
        }
    };
    let results = |x: &ProjectScore| x.dimensions.last().map_or(0.0, |d| d.earned);
    a.vetoed
        .cmp(&b.vetoed)
        .then_with(|| by_total(a, b))
        .then_with(|| results(b).total_cmp(&results(a)))
        .then_with(|| a.id.cmp(&b.id))
}

/// Grade, rank (1, 2, 2, 4 among eligible projects) and select.
pub fn grade_rank_select(projects: &mut [ProjectScore], model: &Model) {
    for p in projects.iter_mut() {
        p.grade = grade(model, p);
    }
    projects.sort_by(order);
    let mut prev: Option<(f64, u32)> = None;
    for (i, p) in projects.iter_mut().filter(|p| !p.vetoed).enumerate() {
        let r = match prev {
            Some((t, r)) if (t - p.total).abs() < TIE => r,
            _ => i as u32 + 1,
        };
        p.rank = Some(r);
        prev = Some((p.total, r));
    }
    select(projects, model);
}

/// Walk the ranking and pick demonstration projects under the model's rules.
fn select(projects: &mut [ProjectScore], model: &Model) {
    let Some(rule) = &model.selection else { return };
    let mut per_city: HashMap<String, usize> = HashMap::new();
    let mut chosen = 0;
    for p in projects.iter_mut() {
        let reason = if p.vetoed {
            Some(NotSelected::Vetoed)
        } else if p.total + TIE < rule.min_score {
            Some(NotSelected::BelowMinimum)
        } else if rule.accepted_only && !p.accepted {
            Some(NotSelected::NotAccepted)
        } else if rule
            .max_per_city
            .is_some_and(|m| per_city.get(&p.city).copied().unwrap_or(0) >= m)
        {
            Some(NotSelected::CityFull)
        } else if chosen >= rule.count {
            Some(NotSelected::CountReached)
        } else {
            None
        };
        match reason {
            None => {
                p.selected = true;
                chosen += 1;
                *per_city.entry(p.city.clone()).or_default() += 1;
            }
            Some(r) => p.not_selected = Some(r),
        }
    }
}
