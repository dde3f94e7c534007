//! Aggregation of scaled indicator values into an indicator total (0–100).
//!
//! Matrices are row-major: one row per project, one column per indicator.
//! `w` holds each project's effective points (0 for a dropped indicator),
//! `x` the scaled values (0 where there is none).

use crate::model::Aggregation;

/// Indicator totals and, per indicator, how many zero values the geometric
/// mean had to lift to the floor.
pub struct Aggregated {
    pub totals: Vec<f64>,
    pub floored: Vec<usize>,
}

/// Aggregate `rows` projects of `m` indicators.
pub fn aggregate(method: Aggregation, w: &[f64], x: &[f64], m: usize, floor: f64) -> Aggregated {
    let rows = x.len().checked_div(m).unwrap_or(0);
    let mut floored = vec![0; m];
    let totals = match method {
        Aggregation::Sum => (0..rows)
            .map(|r| weighted_sum(&w[r * m..][..m], &x[r * m..][..m]))
            .collect(),
        Aggregation::Geometric => (0..rows)
            .map(|r| geometric(&w[r * m..][..m], &x[r * m..][..m], floor, &mut floored))
            .collect(),
        Aggregation::Topsis => topsis(w, x, m),
    };
    Aggregated { totals, floored }
}

/// Σ w·x.
pub fn weighted_sum(w: &[f64], x: &[f64]) -> f64 {
    w.iter().zip(x).map(|(a, b)| a * b).sum()
}

/// 100 × Π max(x, floor)^(w / Σw) over the indicators with weight: a
/// project's own available indicators with its re-weighted points (an
/// excluded or not-applicable indicator has weight 0 and drops out of the
/// product; nothing depends on the other projects).
pub fn geometric(w: &[f64], x: &[f64], floor: f64, floored: &mut [usize]) -> f64 {
    let sw: f64 = w.iter().sum();
    if sw <= 0.0 {
        return 0.0;
    }
    let mut log = 0.0;
    for (j, (a, b)) in w.iter().zip(x).enumerate() {
        if *a <= 0.0 {
            continue;
        }
        let v = if *b < floor {
            floored[j] += 1;
            floor
        } else {
            *b
        };
        log += a / sw * v.ln();
    }
    100.0 * log.exp()
}

/// 100 × TOPSIS closeness D⁻ / (D⁺ + D⁻), with each project's own
/// indicators: indicator j is available to project i when its weight
/// w_ij > 0 (an excluded or not-applicable indicator has weight 0).
///
/// - Column j is vector-normalised over the projects it is available to:
///   r_ij = x_ij / √Σ x_kj²;
/// - the ideal and anti-ideal are the best and worst r_ij among those
///   projects, so in the weighted space they are W_j·max r and W_j·min r
///   for the common weights W: a project's re-weighted points never move them;
/// - a project's distances run over its own available indicators, each
///   weighted by its share s_ij = w_ij / Σ_j w_ij (its re-weighted points):
///   D± = √Σ_j (s_ij · (r_ij − r±_j))².
///
/// With every indicator available, s_ij = W_j and this is Hwang & Yoon's
/// TOPSIS. A project equal to both ideals (e.g. all projects identical)
/// gets 100.
pub fn topsis(w: &[f64], x: &[f64], m: usize) -> Vec<f64> {
    let rows = x.len().checked_div(m).unwrap_or(0);
    let available = |r: usize, j: usize| w[r * m + j] > 0.0;
    let norms: Vec<f64> = (0..m)
        .map(|j| {
            (0..rows)
                .filter(|&r| available(r, j))
                .map(|r| x[r * m + j].powi(2))
                .sum::<f64>()
                .sqrt()
        })
        .collect();
    let r = |k: usize| if norms[k % m] > 0.0 { x[k] / norms[k % m] } else { 0.0 };
    let column = |j: usize| (0..rows).filter(move |&i| available(i, j)).map(move |i| r(i * m + j));
    let best: Vec<f64> = (0..m).map(|j| column(j).fold(f64::MIN, f64::max)).collect();
    let worst: Vec<f64> = (0..m).map(|j| column(j).fold(f64::MAX, f64::min)).collect();
    (0..rows)
        .map(|i| {
            let sw: f64 = w[i * m..][..m].iter().sum();
            if sw <= 0.0 {
                return 0.0;
            }
            let dist = |ideal: &[f64]| -> f64 {
                (0..m)
                    .filter(|&j| available(i, j))
                    .map(|j| (w[i * m + j] / sw * (r(i * m + j) - ideal[j])).powi(2))
                    .sum::<f64>()
                    .sqrt()
            };
            let (dp, dm) = (dist(&best), dist(&worst));
            if dp + dm > 0.0 { 100.0 * dm / (dp + dm) } else { 100.0 }
        })
        .collect()
}
