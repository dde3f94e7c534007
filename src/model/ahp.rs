//! The analytic hierarchy process on one pairwise matrix: principal
//! eigenvector, λmax, consistency index and ratio (Saaty). Used by the model
//! check (a matrix with CR ≥ 0.10 is refused) and by the score stage's weights.

use anyhow::{Result, bail};
use serde::Serialize;

/// Saaty's random consistency index for n = 1…15.
const RANDOM_INDEX: [f64; 15] = [
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
];

/// A consistency ratio at or above this is refused.
pub const CR_LIMIT: f64 = 0.10;

/// The eigenvector weights of one pairwise matrix and its consistency.
#[derive(Debug, Clone, Serialize)]
pub struct Ahp {
    pub weights: Vec<f64>,
    pub lambda_max: f64,
    /// Consistency index (λmax − n) / (n − 1).
    pub ci: f64,
    /// Consistency ratio CI / RI (0 for n ≤ 2).
    pub cr: f64,
}

/// Principal eigenvector (power iteration, normalised to sum 1), λmax, CI, CR.
pub fn ahp(a: &[Vec<f64>]) -> Result<Ahp> {
    let n = a.len();
    if n == 0 || a.iter().any(|r| r.len() != n) {
        bail!("判断矩阵应为 n×n 方阵");
    }
    let mut w = vec![1.0 / n as f64; n];
    for _ in 0..1000 {
        let mut next: Vec<f64> = (0..n).map(|i| (0..n).map(|j| a[i][j] * w[j]).sum()).collect();
        let s: f64 = next.iter().sum();
        next.iter_mut().for_each(|x| *x /= s);
        let delta: f64 = next.iter().zip(&w).map(|(x, y)| (x - y).abs()).sum();
        w = next;
        if delta < 1e-14 {
            break;
        }
    }
    let lambda_max = (0..n)
        .map(|i| (0..n).map(|j| a[i][j] * w[j]).sum::<f64>() / w[i])
        .sum::<f64>()
        / n as f64;
    let ci = if n > 1 {
        (lambda_max - n as f64) / (n - 1) as f64
    } else {
        0.0
    };
    let ri = RANDOM_INDEX.get(n - 1).copied().unwrap_or(1.59);
    let cr = if ri > 0.0 { (ci / ri).max(0.0) } else { 0.0 };
    Ok(Ahp {
        weights: w,
        lambda_max,
        ci,
        cr,
    })
}

/// Cells (i, j) whose value is not the reciprocal of (j, i), 0-based.
pub fn non_reciprocal(a: &[Vec<f64>]) -> Vec<(usize, usize)> {
    let mut bad = Vec::new();
    for i in 0..a.len() {
        for j in i..a.len() {
            let (x, y) = (a[i][j], a.get(j).and_then(|r| r.get(i)).copied().unwrap_or(f64::NAN));
            if (x * y - 1.0).abs() >= 1e-3 || x.is_nan() || y.is_nan() {
                bad.push((i, j));
            }
        }
    }
    bad
}
