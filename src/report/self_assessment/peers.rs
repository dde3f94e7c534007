//! Peer results read from a committee run's `results.json` (e.g. last year's
//! provincial results, `--cohort`), to compare a county's self-assessment against.

use anyhow::{Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Deserialize)]
struct JsonModel {
    #[serde(default)]
    id: String,
    #[serde(default)]
    version: String,
}

#[derive(Debug, Clone, Deserialize)]
struct JsonIndicator {
    id: String,
    #[serde(default)]
    scaled: Option<f64>,
    #[serde(default)]
    status: String,
}

#[derive(Debug, Clone, Deserialize)]
struct JsonDimension {
    id: String,
    #[serde(default)]
    earned: f64,
}

#[derive(Debug, Clone, Deserialize)]
struct JsonProject {
    id: String,
    total: f64,
    #[serde(default)]
    vetoed: bool,
    #[serde(default)]
    indicators: Vec<JsonIndicator>,
    #[serde(default)]
    dimensions: Vec<JsonDimension>,
}

#[derive(Debug, Clone, Deserialize)]
struct JsonResults {
    model: JsonModel,
    #[serde(default)]
    date: String,
    projects: Vec<JsonProject>,
}

/// Summary statistics of the peer projects.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PeerResults {
    /// File name shown in the report.
    pub source: String,
    pub model_id: String,
    pub model_version: String,
    pub date: String,
    /// Totals of the cohort's eligible (not vetoed) projects.
    pub totals: Vec<f64>,
    /// Number of cohort projects, vetoed included.
    pub size: usize,
    /// Mean scaled value per indicator id, over projects where it counted.
    pub indicator_mean: BTreeMap<String, f64>,
    /// Mean points per dimension id.
    pub dimension_mean: BTreeMap<String, f64>,
}

impl PeerResults {
    /// Read a `results.json`, leaving out the project being assessed.
    pub fn load(path: &Path, exclude: &str) -> Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("无法读取同批结果 {}", path.display()))?;
        let r: JsonResults = serde_json::from_str(&text)
            .with_context(|| format!("{} 不是 landeval 输出的 results.json", path.display()))?;
        let projects: Vec<&JsonProject> = r.projects.iter().filter(|p| p.id != exclude).collect();
        let mut sums: BTreeMap<String, (f64, usize)> = BTreeMap::new();
        let mut dims: BTreeMap<String, (f64, usize)> = BTreeMap::new();
        for p in &projects {
            for i in &p.indicators {
                let counts = matches!(i.status.as_str(), "scored" | "missing_zero" | "missing_error");
                if counts {
                    let e = sums.entry(i.id.clone()).or_default();
                    e.0 += i.scaled.unwrap_or(0.0);
                    e.1 += 1;
                }
            }
            for d in &p.dimensions {
                let e = dims.entry(d.id.clone()).or_default();
                e.0 += d.earned;
                e.1 += 1;
            }
        }
        let mean = |m: BTreeMap<String, (f64, usize)>| {
            m.into_iter()
                .filter(|(_, (_, n))| *n > 0)
                .map(|(k, (s, n))| (k, s / n as f64))
                .collect()
        };
        Ok(Self {
            source: path
                .file_name()
                .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
            model_id: r.model.id,
            model_version: r.model.version,
            date: r.date,
            totals: projects.iter().filter(|p| !p.vetoed).map(|p| p.total).collect(),
            size: projects.len(),
            indicator_mean: mean(sums),
            dimension_mean: mean(dims),
        })
    }

    /// The rank a total would take among the cohort's eligible projects
    /// (shared ranks: 1 + number of strictly higher totals).
    pub fn rank_of(&self, total: f64) -> usize {
        1 + self.totals.iter().filter(|t| **t > total + 1e-9).count()
    }

    /// Mean total of the eligible projects.
    pub fn mean_total(&self) -> Option<f64> {
        (!self.totals.is_empty()).then(|| self.totals.iter().sum::<f64>() / self.totals.len() as f64)
    }
}
