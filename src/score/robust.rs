//! Robustness of the ranking: Monte Carlo over the model's uncertain
//! choices, selection verdicts, stability of the selected set and the
//! smallest weight change that swaps the projects at the cut-off.
//!
//! Draw `d` uses its own generator seeded from (model seed, d), so the
//! numbers are the same for any number of threads.

use super::table::{DimIndex, Table};
use super::{Evaluation, NotSelected, ProjectScore, aggregate};
use crate::model::{Aggregation, Model, Scale};
use anyhow::Result;
use serde::Serialize;
use std::collections::HashMap;

/// Selected in at least this share of draws: 稳定入选; at most 1 − it: 稳定落选.
pub const STABLE: f64 = 0.95;

/// A tiny deterministic generator (splitmix64).
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// The generator of draw `draw` under `seed`.
    pub fn for_draw(seed: u64, draw: u64) -> Self {
        let mut g = Self(seed ^ draw.wrapping_mul(0xD1B5_4A32_D192_ED03));
        g.next_u64();
        g
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A project's selection verdict over the draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 稳定入选: selected in ≥ 95% of draws.
    StableIn,
    /// 边缘: selected in 5–95% of draws.
    Marginal,
    /// 稳定落选: selected in ≤ 5% of draws.
    StableOut,
}

impl Verdict {
    pub fn of(p: f64) -> Self {
        if p >= STABLE {
            Verdict::StableIn
        } else if p <= 1.0 - STABLE {
            Verdict::StableOut
        } else {
            Verdict::Marginal
        }
    }
}

/// Monte Carlo figures of one eligible project.
#[derive(Debug, Clone)]
pub struct ProjectRobustness {
    pub median_rank: u32,
    /// 5th and 95th percentile of the rank.
    pub rank_p05: u32,
    pub rank_p95: u32,
    /// Share of draws in which the project is selected (or in the top N).
    pub p_selected: f64,
    pub verdict: Verdict,
}

/// Settings and cohort-level results of the Monte Carlo.
#[derive(Debug, Clone, Serialize)]
pub struct MonteCarloSummary {
    pub draws: usize,
    pub seed: u64,
    pub weight_jitter: f64,
    pub switch_scaling: bool,
    pub switch_aggregation: bool,
    /// Whether selection follows `[selection]` (else the top `top_n`).
    pub uses_selection_rules: bool,
    pub top_n: usize,
    /// Share of draws whose selected set equals the base selection exactly.
    pub base_set_frequency: f64,
    /// Number of different selected sets seen.
    pub distinct_sets: usize,
    /// Share of the most frequent selected set.
    pub modal_set_frequency: f64,
}

/// The smallest change of one indicator's points that lets `below` overtake `above`.
#[derive(Debug, Clone, Serialize)]
pub struct CutoffSwap {
    pub above: String,
    pub below: String,
    pub indicator: String,
    pub points: f64,
    pub new_points: f64,
    /// new − old points (before renormalising the others).
    pub change: f64,
    /// change ÷ old points.
    pub relative: f64,
}

/// Threads to use: the machine's parallelism.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The cohort of eligible projects prepared for fast draws.
pub struct Sim<'a> {
    model: &'a Model,
    m: usize,
    /// Table rows of the eligible projects, in base order.
    rows: Vec<usize>,
    base: Vec<f64>,
    alt: Option<Vec<f64>>,
    /// `base` and `alt` column-major (indicator × project) for the fast sum.
    base_cols: Vec<f64>,
    alt_cols: Option<Vec<f64>>,
    /// Bits that hold the project index in a sort key.
    index_bits: u32,
    switchable: Vec<bool>,
    status: Vec<super::Status>,
    all_count: Vec<bool>,
    adj: Vec<f64>,
    accepted: Vec<bool>,
    /// Projects that may never be selected (a red line unknown).
    blocked: Vec<bool>,
    city: Vec<u32>,
    points: Vec<f64>,
    dims: DimIndex,
    settings: crate::model::Robustness,
    seed: u64,
}

/// Accumulated results of a range of draws.
struct Tally {
    rank_hist: Vec<u32>,
    selected: Vec<u64>,
    sets: HashMap<u128, u64>,
}

impl<'a> Sim<'a> {
    /// Prepare the eligible `rows` (base order) of `table` with base `points`.
    pub fn new(
        model: &'a Model,
        table: &Table,
        rows: Vec<usize>,
        points: Vec<f64>,
        accepted: Vec<bool>,
        cities: &[String],
    ) -> Self {
        let m = table.m;
        let all: Vec<usize> = (0..table.n).collect();
        let pick = |v: Vec<Option<f64>>| -> Vec<f64> {
            rows.iter()
                .flat_map(|&r| v[r * m..][..m].iter().map(|x| x.unwrap_or(0.0)))
                .collect()
        };
        let settings = model.robustness.clone();
        let switchable: Vec<bool> = model
            .indicators
            .iter()
            .map(|i| settings.switch_scaling && matches!(i.scale, Scale::Target { .. }))
            .collect();
        let base = pick(table.scaled(model, &all, None));
        let alt = switchable
            .iter()
            .any(|s| *s)
            .then(|| pick(table.scaled(model, &all, Some(&switchable))));
        let n = rows.len();
        let transpose = |v: &[f64]| -> Vec<f64> { (0..m * n).map(|k| v[(k % n) * m + k / n]).collect() };
        let base_cols = transpose(&base);
        let alt_cols = alt.as_deref().map(transpose);
        let index_bits = (usize::BITS - n.leading_zeros()).max(1);
        let status: Vec<_> = rows.iter().flat_map(|&r| table.status[r * m..][..m].to_vec()).collect();
        let all_count = rows
            .iter()
            .map(|&r| table.status[r * m..][..m].iter().all(|s| s.counts()))
            .collect();
        let mut city_ids: HashMap<&str, u32> = HashMap::new();
        let city = cities
            .iter()
            .map(|c| {
                let k = city_ids.len() as u32;
                *city_ids.entry(c.as_str()).or_insert(k)
            })
            .collect();
        Self {
            model,
            m,
            adj: rows.iter().map(|&r| table.adj[r]).collect(),
            rows,
            base,
            alt,
            base_cols,
            alt_cols,
            index_bits,
            switchable,
            status,
            all_count,
            blocked: vec![false; n],
            accepted,
            city,
            points,
            dims: DimIndex::of(model),
            settings,
            seed: model.model.seed,
        }
    }

    /// Keep the projects marked in `blocked` (base order) out of every
    /// draw's selection, as the base selection keeps out a project whose
    /// red line is unknown.
    pub fn block(&mut self, blocked: Vec<bool>) {
        if blocked.len() == self.rows.len() {
            self.blocked = blocked;
        }
    }

    fn top_n(&self) -> usize {
        match &self.model.selection {
            Some(s) => s.count,
            None => self.settings.top_n.unwrap_or(10),
        }
        .min(self.rows.len())
    }

    /// Totals of one draw (eligible projects, base order).
    fn draw_totals(&self, draw: u64, w: &mut [f64], x: &mut [f64]) -> Vec<f64> {
        let (m, n) = (self.m, self.rows.len());
        let mut g = SplitMix64::for_draw(self.seed, draw);
        let j = self.settings.weight_jitter;
        let mut pts: Vec<f64> = self
            .points
            .iter()
            .map(|p| p * (1.0 + j * (2.0 * g.next_f64() - 1.0)))
            .collect();
        let (old, new): (f64, f64) = (self.points.iter().sum(), pts.iter().sum());
        if new > 0.0 {
            pts.iter_mut().for_each(|p| *p *= old / new);
        }
        let switch: Vec<bool> = self.switchable.iter().map(|s| *s && g.next_f64() < 0.5).collect();
        let base_agg = self.model.model.aggregation;
        let agg = if self.settings.switch_aggregation && g.next_f64() < 0.5 {
            if base_agg == Aggregation::Sum {
                Aggregation::Geometric
            } else {
                Aggregation::Sum
            }
        } else {
            base_agg
        };
        if agg == Aggregation::Sum {
            return self.sum_totals(&pts, &switch, w);
        }
        for r in 0..n {
            let (wr, xr) = (&mut w[r * m..][..m], &mut x[r * m..][..m]);
            if self.all_count[r] {
                wr.copy_from_slice(&pts);
            } else {
                self.dims.reweight(&pts, &self.status[r * m..][..m], wr);
            }
            xr.copy_from_slice(&self.base[r * m..][..m]);
            if let Some(alt) = &self.alt {
                for (k, s) in switch.iter().enumerate() {
                    if *s {
                        xr[k] = alt[r * m + k];
                    }
                }
            }
        }
        let ind = aggregate::aggregate(agg, w, x, m, self.model.model.geometric_floor).totals;
        ind.iter()
            .zip(&self.adj)
            .map(|(t, a)| (t + a).clamp(0.0, 100.0))
            .collect()
    }

    /// Weighted-sum totals, column by column so the compiler can vectorise
    /// across projects (each project still sums its indicators in order);
    /// projects with a dropped indicator are re-weighted one by one.
    fn sum_totals(&self, pts: &[f64], switch: &[bool], w: &mut [f64]) -> Vec<f64> {
        let (m, n) = (self.m, self.rows.len());
        let mut tot = vec![0.0; n];
        for j in 0..m {
            let col = match &self.alt_cols {
                Some(alt) if switch[j] => &alt[j * n..][..n],
                _ => &self.base_cols[j * n..][..n],
            };
            let p = pts[j];
            tot.iter_mut().zip(col).for_each(|(t, x)| *t += p * x);
        }
        for r in (0..n).filter(|&r| !self.all_count[r]) {
            let wr = &mut w[r * m..][..m];
            self.dims.reweight(pts, &self.status[r * m..][..m], wr);
            tot[r] = (0..m)
                .map(|k| {
                    let x = match &self.alt {
                        Some(alt) if switch[k] => alt[r * m + k],
                        _ => self.base[r * m + k],
                    };
                    wr[k] * x
                })
                .sum();
        }
        tot.iter_mut()
            .zip(&self.adj)
            .for_each(|(t, a)| *t = (*t + a).clamp(0.0, 100.0));
        tot
    }

    /// Selected positions (eligible index) under the rules, given the order.
    fn select(&self, order: &[u32], totals: &[f64], out: &mut Vec<u32>, per_city: &mut [usize]) {
        out.clear();
        let Some(rule) = &self.model.selection else {
            out.extend_from_slice(&order[..self.top_n()]);
            return;
        };
        per_city.iter_mut().for_each(|c| *c = 0);
        let required = rule
            .required_grade
            .as_ref()
            .and_then(|g| self.model.grades.get(g).copied());
        for &p in order {
            if out.len() >= rule.count {
                break;
            }
            let (i, t) = (p as usize, totals[p as usize]);
            if self.blocked[i]
                || t + 1e-6 < rule.min_score
                || (rule.accepted_only && !self.accepted[i])
                || required.is_some_and(|b| t + 1e-6 < b)
            {
                continue;
            }
            let c = &mut per_city[self.city[i] as usize];
            if rule.max_per_city.is_some_and(|mx| *c >= mx) {
                continue;
            }
            *c += 1;
            out.push(p);
        }
    }

    fn run_range(&self, draws: std::ops::Range<u64>) -> Tally {
        let (m, n) = (self.m, self.rows.len());
        let mut t = Tally {
            rank_hist: vec![0; n * n],
            selected: vec![0; n],
            sets: HashMap::new(),
        };
        let (mut w, mut x) = (vec![0.0; n * m], vec![0.0; n * m]);
        let mut keys: Vec<u64> = Vec::with_capacity(n);
        let bits = self.index_bits;
        let mut order: Vec<u32> = Vec::with_capacity(n);
        let mut chosen = Vec::new();
        let mut per_city = vec![0usize; self.city.iter().max().map_or(0, |c| *c as usize + 1)];
        for d in draws {
            let totals = self.draw_totals(d, &mut w, &mut x);
            keys.clear();
            keys.extend(totals.iter().enumerate().map(|(i, v)| sort_key(*v, i, bits)));
            keys.sort_unstable();
            order.clear();
            let mask = (1u64 << bits) - 1;
            order.extend(keys.iter().map(|k| (k & mask) as u32));
            for (rank, &p) in order.iter().enumerate() {
                t.rank_hist[p as usize * n + rank] += 1;
            }
            self.select(&order, &totals, &mut chosen, &mut per_city);
            for &p in &chosen {
                t.selected[p as usize] += 1;
            }
            *t.sets.entry(set_key(&chosen)).or_default() += 1;
        }
        t
    }

    /// Run all draws on `threads` threads; the result does not depend on it.
    fn run(&self, threads: usize) -> Tally {
        let draws = self.settings.draws as u64;
        let threads = (threads.max(1) as u64).min(draws.max(1));
        let chunk = draws.div_ceil(threads);
        let parts: Vec<Tally> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|k| {
                    let range = (k * chunk).min(draws)..((k + 1) * chunk).min(draws);
                    s.spawn(move || self.run_range(range))
                })
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        let n = self.rows.len();
        let mut total = Tally {
            rank_hist: vec![0; n * n],
            selected: vec![0; n],
            sets: HashMap::new(),
        };
        for p in parts {
            total.rank_hist.iter_mut().zip(&p.rank_hist).for_each(|(a, b)| *a += b);
            total.selected.iter_mut().zip(&p.selected).for_each(|(a, b)| *a += b);
            for (k, v) in p.sets {
                *total.sets.entry(k).or_default() += v;
            }
        }
        total
    }
}

/// Sort key of a draw: higher totals first, then base order. The total's
/// f64 bits (monotone for non-negative values) keep all but the lowest
/// `bits` mantissa bits (totals within ~1e-12 relative count as equal, as
/// in the base ranking's tolerance), the index fills the rest.
fn sort_key(total: f64, index: usize, bits: u32) -> u64 {
    let t = !(total.max(0.0).to_bits()) >> bits << bits;
    t | index as u64
}

/// An order-independent 128-bit key of a set of positions.
fn set_key(set: &[u32]) -> u128 {
    let (mut a, mut b) = (0u64, 0u64);
    for &p in set {
        a = a.wrapping_add(mix(u64::from(p) + 1));
        b ^= mix(u64::from(p) ^ 0xA5A5_A5A5_0000_0000);
    }
    (u128::from(a) << 64) | u128::from(b) | (set.len() as u128) << 120
}

/// Rank at quantile `q` (1-based ranks) from a histogram.
fn quantile(hist: &[u32], total: u64, q: f64) -> u32 {
    let target = (q * total as f64).ceil().max(1.0) as u64;
    let mut acc = 0u64;
    for (r, c) in hist.iter().enumerate() {
        acc += u64::from(*c);
        if acc >= target {
            return r as u32 + 1;
        }
    }
    hist.len() as u32
}

/// Per-project Monte Carlo results for the eligible projects in base order.
pub struct Outcome {
    pub projects: Vec<ProjectRobustness>,
    pub summary: MonteCarloSummary,
}

/// Run the Monte Carlo of a prepared cohort; `base_selected` marks the base selection.
pub fn simulate(sim: &Sim, base_selected: &[bool], threads: usize) -> Outcome {
    let n = sim.rows.len();
    let draws = sim.settings.draws.max(1) as u64;
    let t = sim.run(threads);
    let projects = (0..n)
        .map(|i| {
            let hist = &t.rank_hist[i * n..][..n];
            let p = t.selected[i] as f64 / draws as f64;
            let verdict = Verdict::of(p);
            ProjectRobustness {
                median_rank: quantile(hist, draws, 0.5),
                rank_p05: quantile(hist, draws, 0.05),
                rank_p95: quantile(hist, draws, 0.95),
                p_selected: p,
                verdict,
            }
        })
        .collect();
    let base: Vec<u32> = (0..n as u32).filter(|&i| base_selected[i as usize]).collect();
    let base_count = t.sets.get(&set_key(&base)).copied().unwrap_or(0);
    let modal = t.sets.values().copied().max().unwrap_or(0);
    Outcome {
        projects,
        summary: MonteCarloSummary {
            draws: sim.settings.draws,
            seed: sim.seed,
            weight_jitter: sim.settings.weight_jitter,
            switch_scaling: sim.alt.is_some(),
            switch_aggregation: sim.settings.switch_aggregation,
            uses_selection_rules: sim.model.selection.is_some(),
            top_n: sim.top_n(),
            base_set_frequency: base_count as f64 / draws as f64,
            distinct_sets: t.sets.len(),
            modal_set_frequency: modal as f64 / draws as f64,
        },
    }
}

/// Fill the evaluation's robustness figures and cut-off swaps.
pub fn analyse(model: &Model, table: &Table, ids: &[String], eval: &mut Evaluation, threads: usize) -> Result<()> {
    let row_of: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
    let eligible: Vec<&ProjectScore> = eval.projects.iter().filter(|p| !p.vetoed).collect();
    let rows: Vec<usize> = eligible
        .iter()
        .filter_map(|p| row_of.get(p.id.as_str()).copied())
        .collect();
    if rows.len() != eligible.len() || rows.is_empty() {
        return Ok(());
    }
    let points: Vec<f64> = eval.method.weights.iter().map(|w| w.points).collect();
    let base_selected: Vec<bool> = match &model.selection {
        Some(_) => eligible.iter().map(|p| p.selected).collect(),
        None => {
            let top = model.robustness.top_n.unwrap_or(10);
            (0..eligible.len()).map(|i| i < top).collect()
        }
    };
    eval.cutoff_swaps = cutoff_swaps(model, table, &rows, &eligible, &points)?;
    if model.robustness.draws == 0 {
        return Ok(());
    }
    let accepted = eligible.iter().map(|p| p.accepted).collect();
    let cities: Vec<String> = eligible.iter().map(|p| p.city.clone()).collect();
    let mut sim = Sim::new(model, table, rows, points, accepted, &cities);
    sim.block(eligible.iter().map(|p| p.redline_unknown()).collect());
    let out = simulate(&sim, &base_selected, threads);
    let mut it = out.projects.into_iter();
    for p in eval.projects.iter_mut().filter(|p| !p.vetoed) {
        p.robustness = it.next();
    }
    eval.robustness = Some(out.summary);
    Ok(())
}

/// Pairs at the cut-off (upper, lower): the last selected project and the
/// first one below it left out by count, minimum score or grade; and each
/// project left out by its city's quota with the lowest selected project of
/// that city. Without `[selection]`: the two sides of the top-N boundary.
fn cutoff_pairs(model: &Model, eligible: &[&ProjectScore]) -> Vec<(usize, usize)> {
    if model.selection.is_none() {
        let top = model.robustness.top_n.unwrap_or(10);
        return if top < eligible.len() && top > 0 {
            vec![(top - 1, top)]
        } else {
            Vec::new()
        };
    }
    let Some(last) = eligible.iter().rposition(|p| p.selected) else {
        return Vec::new();
    };
    let mut pairs = Vec::new();
    if let Some((next, _)) = eligible.iter().enumerate().skip(last + 1).find(|(_, p)| {
        matches!(
            p.not_selected,
            Some(NotSelected::CountReached | NotSelected::BelowMinimum | NotSelected::GradeTooLow)
        )
    }) {
        pairs.push((last, next));
    }
    for (b, p) in eligible.iter().enumerate().take(last) {
        if p.not_selected == Some(NotSelected::CityFull)
            && let Some(a) = eligible[..b].iter().rposition(|q| q.selected && q.city == p.city)
        {
            pairs.push((a, b));
        }
    }
    pairs
}

/// For each pair at the cut-off, the smallest change of a single
/// indicator's points (others unchanged, all renormalised) that lets the
/// lower project reach the upper one's total.
fn cutoff_swaps(
    model: &Model,
    table: &Table,
    rows: &[usize],
    eligible: &[&ProjectScore],
    points: &[f64],
) -> Result<Vec<CutoffSwap>> {
    let mut out = Vec::new();
    for (a, b) in cutoff_pairs(model, eligible) {
        if let Some(s) = cutoff_swap(model, table, rows, eligible, points, a, b)? {
            out.push(s);
        }
    }
    Ok(out)
}

/// The smallest single-indicator change that lets eligible `b` reach `a`.
fn cutoff_swap(
    model: &Model,
    table: &Table,
    rows: &[usize],
    eligible: &[&ProjectScore],
    points: &[f64],
    a: usize,
    b: usize,
) -> Result<Option<CutoffSwap>> {
    let all: Vec<usize> = (0..table.n).collect();
    let scaled = table.scaled(model, &all, None);
    let base = super::weights::derive(model, &table.objective_columns(&all, &scaled).0)?;
    // With fixed scaled values and weights, a total depends on its own row
    // only, except under TOPSIS (ideal points over the cohort): score just
    // the pair there, the same arithmetic as over the whole table.
    let (ra, rb) = (rows[a], rows[b]);
    let (rows, scaled, ia, ib) = if model.model.aggregation == Aggregation::Topsis {
        (all, scaled, ra, rb)
    } else {
        let m = table.m;
        let pair: Vec<Option<f64>> = [ra, rb].iter().flat_map(|&r| scaled[r * m..][..m].to_vec()).collect();
        (vec![ra, rb], pair, 0, 1)
    };
    let gap = |k: usize, p: f64| -> f64 {
        let mut d = base.clone();
        d.points[k] = p;
        let s: f64 = d.points.iter().sum();
        let total: f64 = points.iter().sum();
        d.points.iter_mut().for_each(|x| *x *= total / s);
        let sc = table.finish(model, &rows, scaled.clone(), d, model.model.aggregation);
        sc.total[ia] - sc.total[ib]
    };
    let mut best: Option<CutoffSwap> = None;
    for (k, ind) in model.indicators.iter().enumerate() {
        let p0 = points[k];
        for dir in [-1.0, 1.0] {
            let limit = if dir < 0.0 { p0 } else { 3.0 * p0.max(1.0) };
            if let Some(delta) = first_crossing(|d| gap(k, p0 + dir * d), limit) {
                let change = dir * delta;
                if best.as_ref().is_none_or(|b| change.abs() < b.change.abs()) {
                    best = Some(CutoffSwap {
                        above: eligible[a].id.clone(),
                        below: eligible[b].id.clone(),
                        indicator: ind.id.clone(),
                        points: p0,
                        new_points: p0 + change,
                        change,
                        relative: if p0 > 0.0 { change / p0 } else { 0.0 },
                    });
                }
            }
        }
    }
    Ok(best)
}

/// Smallest `d` in (0, limit] where `f(d) ≤ 0`, given `f(0) > 0`: a scan
/// of 200 steps, then bisection.
fn first_crossing(f: impl Fn(f64) -> f64, limit: f64) -> Option<f64> {
    if f(0.0) <= 0.0 {
        return Some(0.0);
    }
    let steps = 200;
    let mut lo = 0.0;
    for s in 1..=steps {
        let hi = limit * s as f64 / steps as f64;
        if f(hi) <= 0.0 {
            let mut hi = hi;
            for _ in 0..50 {
                let mid = 0.5 * (lo + hi);
                if f(mid) <= 0.0 {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            return Some(hi);
        }
        lo = hi;
    }
    None
}
