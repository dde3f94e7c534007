//! Grades, shared ranks and demonstration selection.

use super::{NotSelected, ProjectScore, TieDecision};
use crate::model::{Grade, Model};
use std::cmp::Ordering;
use std::collections::HashMap;

/// Totals closer than this are ties (guards against float noise).
const TIE: f64 = 1e-6;

fn grade(model: &Model, p: &ProjectScore) -> Grade {
    if p.vetoed {
        return model.fail_grade();
    }
    model
        .grade_bounds()
        .iter()
        .position(|(_, bound)| p.total + TIE >= *bound)
        .map_or_else(|| model.fail_grade(), Grade)
}

/// Tie-break value of one key (higher first); `None` for `project_id`
/// and unknown keys (the model check rejects those).
fn key_value(key: &str, p: &ProjectScore) -> Option<f64> {
    if let Some(d) = key.strip_prefix("dimension:") {
        return Some(p.dimensions.iter().find(|x| x.id == d).map_or(0.0, |x| x.earned));
    }
    if let Some(i) = key.strip_prefix("indicator:") {
        return Some(p.indicators.iter().find(|x| x.id == i).map_or(0.0, |x| x.earned));
    }
    match key {
        "fewer_deductions" => Some(-p.deduction),
        "more_bonus" => Some(p.bonus),
        _ => None,
    }
}

/// Order of two equal totals under the model's tie-break keys, and the
/// index of the key that decided.
pub fn tie_order(keys: &[String], a: &ProjectScore, b: &ProjectScore) -> (Ordering, usize) {
    for (k, key) in keys.iter().enumerate() {
        let o = match (key.as_str(), key_value(key, a), key_value(key, b)) {
            ("project_id", _, _) => a.id.cmp(&b.id),
            (_, Some(x), Some(y)) if (x - y).abs() >= TIE => y.total_cmp(&x),
            _ => Ordering::Equal,
        };
        if o != Ordering::Equal {
            return (o, k);
        }
    }
    (a.id.cmp(&b.id), keys.len())
}

/// Report order: eligible before vetoed; higher total first; equal totals
/// by the model's tie-break keys, never by input order.
fn order(keys: &[String], a: &ProjectScore, b: &ProjectScore) -> Ordering {
    let by_total = if (a.total - b.total).abs() < TIE {
        Ordering::Equal
    } else {
        b.total.total_cmp(&a.total)
    };
    a.vetoed
        .cmp(&b.vetoed)
        .then(by_total)
        .then_with(|| tie_order(keys, a, b).0)
}

/// Grade, rank (1, 2, 2, 4 among eligible projects), select and reward;
/// returns the tie decisions between neighbours with equal totals.
pub fn grade_rank_select(projects: &mut [ProjectScore], model: &Model) -> Vec<TieDecision> {
    for p in projects.iter_mut() {
        p.grade = grade(model, p);
    }
    let keys = model.tie_break_keys();
    projects.sort_by(|a, b| order(&keys, a, b));
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
    reward(projects, model);
    ties(projects, &keys)
}

/// Neighbours with equal totals and the key that ordered them.
fn ties(projects: &[ProjectScore], keys: &[String]) -> Vec<TieDecision> {
    let eligible: Vec<&ProjectScore> = projects.iter().filter(|p| !p.vetoed).collect();
    eligible
        .windows(2)
        .filter(|w| (w[0].total - w[1].total).abs() < TIE)
        .map(|w| TieDecision {
            above: w[0].id.clone(),
            below: w[1].id.clone(),
            key: keys
                .get(tie_order(keys, w[0], w[1]).1)
                .cloned()
                .unwrap_or_else(|| "project_id".into()),
            at_cutoff: w[0].selected && !w[1].selected,
        })
        .collect()
}

/// Reward tiers by place among the selected projects (tied totals share a
/// place, so tied projects get the same tier), each county capped in selection order.
fn reward(projects: &mut [ProjectScore], model: &Model) {
    let cap = model.selection.as_ref().and_then(|s| s.county_reward_cap);
    let mut per_county: HashMap<String, f64> = HashMap::new();
    let totals: Vec<f64> = projects.iter().filter(|p| p.selected).map(|p| p.total).collect();
    for p in projects.iter_mut().filter(|p| p.selected) {
        // Place among the selected, shared on ties (1, 2, 2, 4) like the rank.
        let place = 1 + totals.iter().filter(|t| **t > p.total + TIE).count() as u32;
        let Some(tier) = model
            .rewards
            .iter()
            .find(|r| r.ranks[0] <= place && place <= r.ranks[1])
        else {
            continue;
        };
        let used = per_county.entry(p.county.clone()).or_default();
        let room = cap.map_or(f64::INFINITY, |c| (c - *used).max(0.0));
        p.reward = tier.amount.min(room);
        p.reward_cut = tier.amount - p.reward;
        *used += p.reward;
    }
}

/// Walk the ranking and pick demonstration projects under the model's
/// rules. A project with a breached or unknown red line is never picked
/// (and so never rewarded).
fn select(projects: &mut [ProjectScore], model: &Model) {
    let Some(rule) = &model.selection else { return };
    let mut per_city: HashMap<String, usize> = HashMap::new();
    let mut chosen = 0;
    for p in projects.iter_mut() {
        let reason = if p.vetoed {
            Some(NotSelected::Vetoed)
        } else if p.redline_unknown() {
            Some(NotSelected::RedlineUnknown)
        } else if p.total + TIE < rule.min_score {
            Some(NotSelected::BelowMinimum)
        } else if rule.accepted_only && !p.accepted {
            Some(NotSelected::NotAccepted)
        } else if rule
            .required_grade
            .as_ref()
            .is_some_and(|g| p.grade > model.grade_named(g).unwrap_or_else(|| model.fail_grade()))
        {
            Some(NotSelected::GradeTooLow)
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
