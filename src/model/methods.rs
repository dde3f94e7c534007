//! Model sections for weighting, aggregation and robustness.

use serde::{Deserialize, Serialize};

/// How scaled indicator values combine into the indicator total.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Aggregation {
    /// Σ points × scaled value (default).
    #[default]
    Sum,
    /// 100 × Π scaled^(points / 100).
    Geometric,
    /// 100 × TOPSIS relative closeness to the ideal project.
    Topsis,
}

impl Aggregation {
    /// Chinese name for reports and messages.
    pub fn label(self) -> &'static str {
        match self {
            Aggregation::Sum => "加权求和",
            Aggregation::Geometric => "加权几何平均",
            Aggregation::Topsis => "TOPSIS 贴近度",
        }
    }
}

/// How indicator weights are obtained.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum WeightMethod {
    /// The indicators' `points` (default).
    #[default]
    Fixed,
    /// Analytic hierarchy process from pairwise matrices.
    Ahp,
    /// Entropy weights from the cohort's scaled values.
    Entropy,
    /// CRITIC weights (contrast × conflict) from the cohort.
    Critic,
    /// α × subjective (AHP, or points) + (1 − α) × objective.
    Combined,
}

impl WeightMethod {
    /// Chinese name for reports and messages.
    pub fn label(self) -> &'static str {
        match self {
            WeightMethod::Fixed => "固定分值",
            WeightMethod::Ahp => "层次分析法（AHP）",
            WeightMethod::Entropy => "熵权法",
            WeightMethod::Critic => "CRITIC 法",
            WeightMethod::Combined => "主客观组合赋权",
        }
    }
}

/// `[weights]`: derived weights. Derived weights are shown as points (× 100).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    pub method: WeightMethod,
    /// Share of the subjective weights in `combined` (0–1).
    #[serde(default)]
    pub alpha: Option<f64>,
    /// Objective method of `combined`: `entropy` (default) or `critic`.
    #[serde(default)]
    pub objective: Option<WeightMethod>,
    /// Pairwise matrices: one with `level = "dimensions"`, one per dimension.
    #[serde(default)]
    pub ahp: Vec<AhpMatrix>,
}

/// One pairwise comparison matrix (Saaty 1–9 scale).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AhpMatrix {
    /// `dimensions` for the first level, or a dimension id for its indicators.
    pub level: String,
    /// Dimension or indicator ids, in matrix order.
    pub items: Vec<String>,
    /// Row i, column j: how much more important item i is than item j.
    pub matrix: Vec<Vec<Cell>>,
}

impl AhpMatrix {
    /// Numeric matrix, or the first cell that is not a positive number.
    pub fn values(&self) -> Result<Vec<Vec<f64>>, String> {
        self.matrix
            .iter()
            .map(|row| row.iter().map(Cell::value).collect())
            .collect()
    }
}

/// A matrix cell: a number or a fraction such as `"1/3"`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Cell {
    Num(f64),
    Text(String),
}

impl Cell {
    /// The cell as a positive number.
    pub fn value(&self) -> Result<f64, String> {
        let v = match self {
            Cell::Num(x) => Some(*x),
            Cell::Text(t) => match t.split_once('/') {
                Some((a, b)) => match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
                    (Ok(a), Ok(b)) if b != 0.0 => Some(a / b),
                    _ => None,
                },
                None => t.trim().parse().ok(),
            },
        };
        match v {
            Some(x) if x.is_finite() && x > 0.0 => Ok(x),
            _ => {
                let raw = match self {
                    Cell::Num(x) => x.to_string(),
                    Cell::Text(t) => t.clone(),
                };
                Err(format!("判断矩阵元素“{raw}”不是正数或分数"))
            }
        }
    }
}

/// `[robustness]`: Monte Carlo over the model's uncertain choices.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Robustness {
    /// Number of draws (0 turns the analysis off).
    #[serde(default = "default_draws")]
    pub draws: usize,
    /// Each indicator's weight is multiplied by U(1 − j, 1 + j), then renormalised.
    #[serde(default = "default_jitter")]
    pub weight_jitter: f64,
    /// Draw `target` ↔ `minmax` scaling for each `target` indicator.
    #[serde(default)]
    pub switch_scaling: bool,
    /// Draw weighted sum ↔ weighted geometric mean.
    #[serde(default)]
    pub switch_aggregation: bool,
    /// Size of the top group when the model has no `[selection]` (default 10).
    #[serde(default)]
    pub top_n: Option<usize>,
}

fn default_draws() -> usize {
    10_000
}
fn default_jitter() -> f64 {
    0.25
}

impl Default for Robustness {
    fn default() -> Self {
        Self {
            draws: default_draws(),
            weight_jitter: default_jitter(),
            switch_scaling: false,
            switch_aggregation: false,
            top_n: None,
        }
    }
}
