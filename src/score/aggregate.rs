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

/// 100 × Π max(x, floor)^(w / Σw) over the indicators with weight.
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

/// 100 × TOPSIS closeness D⁻ / (D⁺ + D⁻): columns vector-normalised
/// (x / √Σx²), weighted by each project's weight share, ideal and anti-ideal
/// the column maximum and minimum over the cohort. A project equal to both
/// (all projects identical) gets 100.
pub fn topsis(w: &[f64], x: &[f64], m: usize) -> Vec<f64> {
    let rows = x.len().checked_div(m).unwrap_or(0);
    let norms: Vec<f64> = (0..m)
        .map(|j| (0..rows).map(|r| x[r * m + j].powi(2)).sum::<f64>().sqrt())
        .collect();
    let v: Vec<f64> = (0..rows * m)
        .map(|k| {
            let (r, j) = (k / m, k % m);
            let sw: f64 = w[r * m..][..m].iter().sum();
            if norms[j] > 0.0 && sw > 0.0 {
                w[k] / sw * x[k] / norms[j]
            } else {
                0.0
            }
        })
        .collect();
    let best: Vec<f64> = (0..m)
        .map(|j| (0..rows).map(|r| v[r * m + j]).fold(f64::MIN, f64::max))
        .collect();
    let worst: Vec<f64> = (0..m)
        .map(|j| (0..rows).map(|r| v[r * m + j]).fold(f64::MAX, f64::min))
        .collect();
    (0..rows)
        .map(|r| {
            let row = &v[r * m..][..m];
            let dp = row.iter().zip(&best).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt();
            let dm = row.iter().zip(&worst).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt();
            if dp + dm > 0.0 { 100.0 * dm / (dp + dm) } else { 100.0 }
        })
        .collect()
}
