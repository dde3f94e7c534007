//! Derived weights: AHP (principal eigenvector, consistency ratio), entropy,
//! CRITIC and their combination. Weights are fractions summing to 1; the
//! scoring shows them as points (× 100).

use crate::model::ahp::{CR_LIMIT, ahp, non_reciprocal};
use crate::model::{AhpMatrix, Model, WeightMethod};
use anyhow::{Result, anyhow, bail};
use serde::Serialize;

/// Entropy weights of columns of non-negative values (one Vec per indicator):
/// p = x / Σx, e = −Σ p ln p / ln n, weight ∝ 1 − e. A column of zeros or
/// constants gets weight 0.
pub fn entropy(cols: &[Vec<f64>]) -> Vec<f64> {
    let d: Vec<f64> = cols
        .iter()
        .map(|c| {
            let n = c.len();
            let sum: f64 = c.iter().sum();
            if n < 2 || sum <= 0.0 {
                return 0.0;
            }
            let e: f64 = -c
                .iter()
                .map(|x| x / sum)
                .filter(|p| *p > 0.0)
                .map(|p| p * p.ln())
                .sum::<f64>()
                / (n as f64).ln();
            let d = 1.0 - e;
            if d < 1e-12 { 0.0 } else { d }
        })
        .collect();
    normalise(d)
}

/// CRITIC weights: C_j = σ_j × Σ_k (1 − r_jk), weight ∝ C (population σ,
/// Pearson r; a constant column has σ = 0 and r = 0 with the others).
pub fn critic(cols: &[Vec<f64>]) -> Vec<f64> {
    let stats: Vec<(f64, f64)> = cols.iter().map(|c| mean_sd(c)).collect();
    let c: Vec<f64> = (0..cols.len())
        .map(|j| {
            let conflict: f64 = (0..cols.len())
                .map(|k| 1.0 - pearson(&cols[j], &cols[k], stats[j], stats[k]))
                .sum();
            stats[j].1 * conflict
        })
        .collect();
    normalise(c)
}

fn mean_sd(c: &[f64]) -> (f64, f64) {
    let n = c.len().max(1) as f64;
    let mean = c.iter().sum::<f64>() / n;
    let var = c.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

fn pearson(a: &[f64], b: &[f64], sa: (f64, f64), sb: (f64, f64)) -> f64 {
    if sa.1 == 0.0 || sb.1 == 0.0 {
        return 0.0;
    }
    let n = a.len().max(1) as f64;
    let cov = a.iter().zip(b).map(|(x, y)| (x - sa.0) * (y - sb.0)).sum::<f64>() / n;
    cov / (sa.1 * sb.1)
}

fn normalise(v: Vec<f64>) -> Vec<f64> {
    let s: f64 = v.iter().sum();
    if s > 0.0 {
        v.into_iter().map(|x| x / s).collect()
    } else {
        v
    }
}

/// One AHP matrix's result, for the report.
#[derive(Debug, Clone, Serialize)]
pub struct AhpReport {
    pub level: String,
    pub items: Vec<String>,
    pub weights: Vec<f64>,
    pub lambda_max: f64,
    pub ci: f64,
    pub cr: f64,
}

/// The weights a model gives its indicators for one cohort.
#[derive(Debug, Clone, Serialize)]
pub struct Derived {
    pub method: WeightMethod,
    /// Points per indicator (model order), summing to the model's total.
    pub points: Vec<f64>,
    pub ahp: Vec<AhpReport>,
    /// What was done (e.g. constant indicators given weight 0).
    pub notes: Vec<MethodNote>,
}

/// Something the method did that a reader of the method section must know.
/// The report words it; the JSON keeps the data.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MethodNote {
    /// An objective method gave weight 0 to an indicator constant over the batch.
    ZeroObjectiveWeight { indicator: String, method: WeightMethod },
    /// Combined weights: `alpha` × subjective + (1 − `alpha`) × objective.
    Combination { alpha: f64 },
    /// Geometric mean: `projects` zero scaled values of an indicator lifted to `floor`.
    FlooredZeros {
        indicator: String,
        projects: usize,
        floor: f64,
    },
    /// A cohort-relative indicator whose scaled values are all equal: it does not affect the order.
    ConstantRelative { indicator: String },
    /// Derived weights normalised and shown as points summing to `total`.
    PointsNormalised { method: WeightMethod, total: f64 },
    /// Nothing in the model depends on the batch: the rank-reversal check does not apply.
    NotBatchRelative,
    /// Objective weights (`method`): `cells` cells where an indicator does
    /// not apply or is excluded were filled with the column mean; per
    /// indicator in `indicators` (those with at least one).
    ObjectiveImputed {
        method: WeightMethod,
        cells: usize,
        indicators: Vec<(String, usize)>,
    },
}

/// Derive indicator points. `cols` holds each indicator's values over the
/// cohort (scaled 0–1) for the objective methods.
pub fn derive(model: &Model, cols: &[Vec<f64>]) -> Result<Derived> {
    let total = model.total_points();
    let fixed: Vec<f64> = model.indicators.iter().map(|i| i.points / total).collect();
    let exact = || Derived {
        method: WeightMethod::Fixed,
        points: model.indicators.iter().map(|i| i.points).collect(),
        ahp: Vec::new(),
        notes: Vec::new(),
    };
    let Some(spec) = &model.weights else {
        return Ok(exact());
    };
    if spec.method == WeightMethod::Fixed {
        return Ok(exact());
    }
    let mut notes = Vec::new();
    let mut reports = Vec::new();
    let objective = |method: WeightMethod, notes: &mut Vec<MethodNote>| -> Result<Vec<f64>> {
        let w = if method == WeightMethod::Critic {
            critic(cols)
        } else {
            entropy(cols)
        };
        if w.iter().all(|x| *x == 0.0) {
            bail!("{}：全部指标在本批项目中取值相同，无法客观赋权", method.label());
        }
        for (i, x) in model.indicators.iter().zip(&w) {
            if *x == 0.0 {
                notes.push(MethodNote::ZeroObjectiveWeight {
                    indicator: i.id.clone(),
                    method,
                });
            }
        }
        Ok(w)
    };
    let w = match spec.method {
        WeightMethod::Fixed => return Ok(exact()),
        WeightMethod::Ahp => ahp_weights(model, &fixed, &mut reports)?,
        WeightMethod::Entropy | WeightMethod::Critic => objective(spec.method, &mut notes)?,
        WeightMethod::Combined => {
            let alpha = spec.alpha.unwrap_or(0.5);
            if !(0.0..=1.0).contains(&alpha) {
                bail!("[weights] alpha 应在 0–1 之间，现为 {alpha}");
            }
            let subj = if spec.ahp.is_empty() {
                fixed
            } else {
                ahp_weights(model, &fixed, &mut reports)?
            };
            let obj = objective(spec.objective.unwrap_or(WeightMethod::Entropy), &mut notes)?;
            notes.push(MethodNote::Combination { alpha });
            subj.iter()
                .zip(&obj)
                .map(|(s, o)| alpha * s + (1.0 - alpha) * o)
                .collect()
        }
    };
    Ok(as_points(spec.method, w, total, reports, notes))
}

fn as_points(method: WeightMethod, w: Vec<f64>, total: f64, ahp: Vec<AhpReport>, notes: Vec<MethodNote>) -> Derived {
    let s: f64 = w.iter().sum();
    Derived {
        method,
        points: w.iter().map(|x| x / s * total).collect(),
        ahp,
        notes,
    }
}

/// Global AHP weights: dimension weight × local indicator weight. Levels
/// without a matrix use the ratio of the model's points.
fn ahp_weights(model: &Model, fixed: &[f64], reports: &mut Vec<AhpReport>) -> Result<Vec<f64>> {
    let spec = model.weights.as_ref().map(|w| w.ahp.as_slice()).unwrap_or_default();
    let solve = |m: &AhpMatrix, reports: &mut Vec<AhpReport>| -> Result<Vec<f64>> {
        let a = m.values().map_err(|e| anyhow!("判断矩阵“{}”：{e}", m.level))?;
        if a.len() != m.items.len() {
            bail!("判断矩阵“{}”有 {} 行，但列出了 {} 项", m.level, a.len(), m.items.len());
        }
        if let Some((i, j)) = non_reciprocal(&a).first() {
            bail!(
                "判断矩阵“{}”不满足互反性：第 {} 行第 {} 列与第 {} 行第 {} 列应互为倒数",
                m.level,
                i + 1,
                j + 1,
                j + 1,
                i + 1
            );
        }
        let r = ahp(&a)?;
        if r.cr >= CR_LIMIT {
            bail!(
                "判断矩阵“{}”一致性比率 CR = {:.4} ≥ 0.10，未通过一致性检验，请调整判断矩阵",
                m.level,
                r.cr
            );
        }
        reports.push(AhpReport {
            level: m.level.clone(),
            items: m.items.clone(),
            weights: r.weights.clone(),
            lambda_max: r.lambda_max,
            ci: r.ci,
            cr: r.cr,
        });
        Ok(r.weights)
    };
    let total = model.total_points();
    let dim_w: Vec<f64> = match spec.iter().find(|m| m.level == "dimensions") {
        Some(m) => {
            let w = solve(m, reports)?;
            model
                .dimensions
                .iter()
                .map(|d| {
                    m.items
                        .iter()
                        .position(|x| *x == d.id)
                        .map(|k| w[k])
                        .ok_or_else(|| anyhow!("判断矩阵“dimensions”缺少维度“{}”", d.id))
                })
                .collect::<Result<_>>()?
        }
        None => model
            .dimensions
            .iter()
            .map(|d| model.dimension_points(&d.id) / total)
            .collect(),
    };
    let mut out = vec![0.0; model.indicators.len()];
    for (d, dw) in model.dimensions.iter().zip(&dim_w) {
        let members: Vec<usize> = (0..model.indicators.len())
            .filter(|&k| model.indicators[k].dimension == d.id)
            .collect();
        let local: Vec<f64> = match spec.iter().find(|m| m.level == d.id) {
            Some(m) => {
                let w = solve(m, reports)?;
                members
                    .iter()
                    .map(|&k| {
                        let id = &model.indicators[k].id;
                        m.items
                            .iter()
                            .position(|x| x == id)
                            .map(|p| w[p])
                            .ok_or_else(|| anyhow!("判断矩阵“{}”缺少指标“{id}”", m.level))
                    })
                    .collect::<Result<_>>()?
            }
            None => {
                let s: f64 = members.iter().map(|&k| fixed[k]).sum();
                members.iter().map(|&k| fixed[k] / s).collect()
            }
        };
        for (&k, l) in members.iter().zip(local) {
            out[k] = dw * l;
        }
    }
    Ok(out)
}
