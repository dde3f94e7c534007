//! Ecosystem-service value (ESV) from 土地利用结构 by the value-equivalent
//! factors of Xie Gaodi et al. 2015, and the GEP figure the models use.
//!
//! ESV = Σ_k A_k（公顷）× Σ_s f_ks × D, per service s and in total, in
//! 万元/年. When a project gives `gep_before/after` (official accounting,
//! 核算) those are used; otherwise the ESV estimate (估算) stands in.

use super::row_origin;
use crate::ingest::{Dataset, Finding, Severity};
use anyhow::{Context, Result, bail};
use polars::prelude::{Column, DataFrame, DataType, Expr, NULL, NamedFrom, Series, col, lit, when};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The factor table shipped with landeval.
pub const BUNDLED_FACTORS: &str = include_str!("../../scoring-models/esv-factors.toml");
/// 亩 per 公顷.
const MU_PER_HA: f64 = 15.0;
/// 元 per 万元.
const YUAN_PER_WAN: f64 = 10_000.0;

/// An ecosystem service (a column of the factor table).
#[derive(Debug, Clone, Deserialize)]
pub struct Service {
    pub id: String,
    pub name: String,
}

/// An ecosystem type (a row of the factor table).
#[derive(Debug, Clone, Deserialize)]
pub struct Ecosystem {
    pub name: String,
    pub factors: Vec<f64>,
}

/// Land-use class names mapped to one ecosystem type.
#[derive(Debug, Clone, Deserialize)]
pub struct ClassMap {
    pub names: Vec<String>,
    /// Ecosystem type; empty means the class has no ecosystem value.
    pub ecosystem: String,
    /// Classes this one is the subtotal of.
    #[serde(default)]
    pub children: Vec<String>,
    /// A fall of this class while farmland grows is flagged.
    #[serde(default)]
    pub watch: bool,
}

/// `esv-factors.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct EsvTable {
    /// D, 元/公顷 per equivalent.
    pub standard_value: f64,
    #[serde(rename = "service")]
    pub services: Vec<Service>,
    #[serde(rename = "ecosystem")]
    pub ecosystems: Vec<Ecosystem>,
    #[serde(rename = "class")]
    pub classes: Vec<ClassMap>,
}

impl EsvTable {
    /// Parse and check a factor table.
    pub fn parse(text: &str) -> Result<Self> {
        let t: EsvTable = toml::from_str(text).context("生态系统服务价值当量因子表 esv-factors.toml 格式错误")?;
        for e in &t.ecosystems {
            if e.factors.len() != t.services.len() {
                bail!(
                    "生态系统“{}”有 {} 个因子，应为 {} 个",
                    e.name,
                    e.factors.len(),
                    t.services.len()
                );
            }
        }
        for c in &t.classes {
            if !c.ecosystem.is_empty() && t.ecosystem(&c.ecosystem).is_none() {
                bail!(
                    "地类“{}”对应的生态系统“{}”不在因子表中",
                    c.names.join("、"),
                    c.ecosystem
                );
            }
        }
        Ok(t)
    }

    /// The table shipped in the binary.
    pub fn bundled() -> Self {
        Self::parse(BUNDLED_FACTORS).expect("bundled esv-factors.toml is valid")
    }

    pub fn ecosystem(&self, name: &str) -> Option<&Ecosystem> {
        self.ecosystems.iter().find(|e| e.name == name)
    }

    /// The mapping entry of a land-use class name.
    pub fn class(&self, name: &str) -> Option<&ClassMap> {
        let name = name.trim();
        self.classes.iter().find(|c| c.names.iter().any(|n| n == name))
    }

    /// Value per 公顷 of each service for a class (元/公顷/年); `None` for an unknown class.
    pub fn value_per_ha(&self, class: &str, d: f64) -> Option<Vec<f64>> {
        let c = self.class(class)?;
        Some(match self.ecosystem(&c.ecosystem) {
            Some(e) => e.factors.iter().map(|f| f * d).collect(),
            None => vec![0.0; self.services.len()],
        })
    }
}

/// One row of 土地利用结构 (areas in 亩).
#[derive(Debug, Clone, PartialEq)]
pub struct LandUse {
    pub class: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
}

/// A watched class that shrank (area 亩, its ESV 万元/年).
#[derive(Debug, Clone, PartialEq)]
pub struct Shrunk {
    pub class: String,
    pub area: f64,
    pub value: f64,
}

/// ESV of one project.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectEsv {
    /// Per service, 万元/年; `None` when no row gives that stage's area.
    pub before: Option<Vec<f64>>,
    pub after: Option<Vec<f64>>,
    /// Class names with no mapping (valued at 0).
    pub unknown: Vec<usize>,
    /// Subtotal rows skipped because their parts are given.
    pub subtotals: Vec<usize>,
    /// Farmland growth (亩) of the valued rows.
    pub farmland_gain: f64,
    /// Watched classes that shrank.
    pub shrunk: Vec<Shrunk>,
}

impl ProjectEsv {
    pub fn total_before(&self) -> Option<f64> {
        self.before.as_ref().map(|v| v.iter().sum())
    }
    pub fn total_after(&self) -> Option<f64> {
        self.after.as_ref().map(|v| v.iter().sum())
    }

    /// ESV fell while farmland grew at the expense of forest, wetland or water.
    pub fn conversion_loss(&self) -> bool {
        matches!((self.total_before(), self.total_after()), (Some(b), Some(a)) if a < b)
            && self.farmland_gain > 0.0
            && !self.shrunk.is_empty()
    }

    /// The Chinese note naming the classes and areas responsible.
    pub fn conversion_note(&self) -> Option<String> {
        if !self.conversion_loss() {
            return None;
        }
        let (b, a) = (self.total_before()?, self.total_after()?);
        let parts: Vec<String> = self
            .shrunk
            .iter()
            .map(|s| format!("{}减少 {:.2} 亩", s.class, s.area))
            .collect();
        let lost: f64 = self.shrunk.iter().map(|s| s.value).sum();
        Some(format!(
            "耕地增加 {:.2} 亩，同时{}（对应生态系统服务价值 {lost:.2} 万元/年）；生态系统服务价值由 {b:.2} 万元/年降至 {a:.2} 万元/年（{:.1}%）。坑塘、湿地、林地转为耕地会降低生态价值，请核实",
            self.farmland_gain,
            parts.join("、"),
            (a - b) / b.abs().max(f64::MIN_POSITIVE) * 100.0
        ))
    }
}

/// ESV of one project's land-use rows with standard value `d` (元/公顷).
pub fn project_esv(table: &EsvTable, d: f64, rows: &[LandUse]) -> ProjectEsv {
    let n = table.services.len();
    let present: Vec<&str> = rows.iter().map(|r| r.class.trim()).collect();
    let mut out = ProjectEsv {
        before: None,
        after: None,
        unknown: Vec::new(),
        subtotals: Vec::new(),
        farmland_gain: 0.0,
        shrunk: Vec::new(),
    };
    let (mut before, mut after) = (vec![0.0; n], vec![0.0; n]);
    let (mut any_before, mut any_after) = (false, false);
    for (i, r) in rows.iter().enumerate() {
        let Some(map) = table.class(&r.class) else {
            out.unknown.push(i);
            continue;
        };
        if map.children.iter().any(|c| present.contains(&c.as_str())) {
            out.subtotals.push(i);
            continue;
        }
        let per_ha = table.value_per_ha(&r.class, d).unwrap_or_else(|| vec![0.0; n]);
        let wan = |mu: f64, s: usize| mu / MU_PER_HA * per_ha[s] / YUAN_PER_WAN;
        for s in 0..n {
            before[s] += wan(r.before.unwrap_or(0.0), s);
            after[s] += wan(r.after.unwrap_or(0.0), s);
        }
        any_before |= r.before.is_some();
        any_after |= r.after.is_some();
        let change = r.after.unwrap_or(0.0) - r.before.unwrap_or(0.0);
        if map.ecosystem.starts_with("农田") {
            out.farmland_gain += change;
        }
        if map.watch && change < 0.0 {
            out.shrunk.push(Shrunk {
                class: r.class.trim().to_string(),
                area: -change,
                value: (0..n).map(|s| wan(-change, s)).sum(),
            });
        }
    }
    out.before = any_before.then_some(before);
    out.after = any_after.then_some(after);
    out
}

/// Field ids of the ESV of service `s` (`esv_<id>_<before|after|delta>`).
pub fn service_field(service: &str, suffix: &str) -> String {
    format!("esv_{service}_{suffix}")
}

/// Land-use rows of every project, in input order.
fn rows_by_project(landuse: &DataFrame) -> Result<BTreeMap<String, Vec<LandUse>>> {
    let ids = landuse.column("project_id")?.str()?;
    let classes = landuse.column("landuse_class")?.str()?;
    let before = landuse.column("landuse_before")?.f64()?;
    let after = landuse.column("landuse_after")?.f64()?;
    let mut out: BTreeMap<String, Vec<LandUse>> = BTreeMap::new();
    for i in 0..landuse.height() {
        let Some(id) = ids.get(i) else { continue };
        out.entry(id.to_string()).or_default().push(LandUse {
            class: classes.get(i).unwrap_or_default().to_string(),
            before: before.get(i),
            after: after.get(i),
        });
    }
    Ok(out)
}

/// The `esv_*` fields per project having land-use rows, and what was noticed.
pub fn per_project(ds: &Dataset, table: &EsvTable, d: f64, out: &mut Vec<Finding>) -> Result<DataFrame> {
    let rows = rows_by_project(&ds.landuse)?;
    let n = table.services.len();
    let mut ids = Vec::new();
    let mut svc: Vec<[Vec<Option<f64>>; 3]> = vec![Default::default(); n];
    let mut totals: [Vec<Option<f64>>; 2] = Default::default();
    let (mut flags, mut notes) = (Vec::new(), Vec::new());
    for (id, rows) in &rows {
        let e = project_esv(table, d, rows);
        note_rows(ds, id, rows, &e, out);
        ids.push(id.clone());
        for (s, cols) in svc.iter_mut().enumerate() {
            let b = e.before.as_ref().map(|v| v[s]);
            let a = e.after.as_ref().map(|v| v[s]);
            cols[0].push(b);
            cols[1].push(a);
            cols[2].push(a.zip(b).map(|(a, b)| a - b));
        }
        totals[0].push(e.total_before());
        totals[1].push(e.total_after());
        let known = e.before.is_some() && e.after.is_some();
        flags.push(known.then(|| e.conversion_loss()));
        let note = e.conversion_note();
        if let Some(text) = &note {
            out.push(Finding {
                severity: Severity::Warning,
                origin: row_origin(ds, "landuse", id, 0),
                raw: String::new(),
                message: format!("项目“{id}”{text}"),
            });
        }
        notes.push(note);
    }
    let mut cols = vec![Column::new("project_id".into(), ids.clone())];
    for (s, c) in table.services.iter().zip(svc) {
        for (suffix, values) in ["before", "after", "delta"].iter().zip(c) {
            cols.push(Column::new(service_field(&s.id, suffix).into(), values));
        }
    }
    let [tb, ta] = totals;
    cols.push(Series::new("esv_before".into(), tb).into());
    cols.push(Series::new("esv_after".into(), ta).into());
    cols.push(Series::new("esv_conversion_loss".into(), flags).into());
    cols.push(Series::new("esv_conversion_note".into(), notes).into());
    Ok(DataFrame::new(ids.len(), cols)?)
}

/// Unknown classes and skipped subtotal rows, located at their rows.
fn note_rows(ds: &Dataset, id: &str, rows: &[LandUse], e: &ProjectEsv, out: &mut Vec<Finding>) {
    for &i in &e.unknown {
        out.push(Finding {
            severity: Severity::Warning,
            origin: row_origin(ds, "landuse", id, i),
            raw: rows[i].class.clone(),
            message: format!(
                "地类“{}”在生态系统服务价值当量因子表中没有对应的生态系统类型，估算 ESV 时按 0 计",
                rows[i].class
            ),
        });
    }
    for &i in &e.subtotals {
        out.push(Finding {
            severity: Severity::Info,
            origin: row_origin(ds, "landuse", id, i),
            raw: rows[i].class.clone(),
            message: format!("“{}”为其下属地类的合计，估算 ESV 时不重复计算", rows[i].class),
        });
    }
}

/// Δ and %Δ of the total ESV, and the GEP used: accounted when both
/// `gep_before/after` are given, else the ESV estimate in 亿元.
pub fn gep_fields() -> Vec<Expr> {
    let accounted = col("gep_before").is_not_null().and(col("gep_after").is_not_null());
    let estimated = col("esv_before").is_not_null().and(col("esv_after").is_not_null());
    let used = |stage: &str| {
        when(accounted.clone())
            .then(col(format!("gep_{stage}")))
            .when(estimated.clone())
            .then(col(format!("esv_{stage}")) / lit(YUAN_PER_WAN))
            .otherwise(lit(NULL).cast(DataType::Float64))
            .alias(format!("gep_used_{stage}"))
    };
    vec![
        (col("esv_after") - col("esv_before")).alias("esv_delta"),
        when(col("esv_before").gt(lit(0.0)))
            .then((col("esv_after") - col("esv_before")) / col("esv_before"))
            .otherwise(lit(NULL).cast(DataType::Float64))
            .alias("esv_pct"),
        when(accounted.clone())
            .then(lit(true))
            .when(estimated.clone())
            .then(lit(false))
            .otherwise(lit(NULL).cast(DataType::Boolean))
            .alias("gep_accounted"),
        when(accounted.clone())
            .then(lit("核算"))
            .when(estimated.clone())
            .then(lit("估算"))
            .otherwise(lit(NULL).cast(DataType::String))
            .alias("gep_method"),
        used("before"),
        used("after"),
    ]
}

/// Δ and %Δ of the GEP used (after [`gep_fields`]).
pub fn gep_changes() -> Vec<Expr> {
    vec![
        (col("gep_used_after") - col("gep_used_before")).alias("gep_used_delta"),
        when(col("gep_used_before").gt(lit(0.0)))
            .then((col("gep_used_after") - col("gep_used_before")) / col("gep_used_before"))
            .otherwise(lit(NULL).cast(DataType::Float64))
            .alias("gep_used_pct"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_table_has_14_types_and_11_services() {
        let t = EsvTable::bundled();
        assert_eq!(t.services.len(), 11);
        assert_eq!(t.ecosystems.len(), 14);
        assert_eq!(t.standard_value, 3406.50);
        // Paddy water supply is negative.
        assert_eq!(t.ecosystem("农田-水田").unwrap().factors[2], -2.63);
    }

    #[test]
    fn subtotal_row_is_not_counted_twice() {
        let t = EsvTable::bundled();
        let row = |c: &str, b: f64| LandUse {
            class: c.into(),
            before: Some(b),
            after: Some(b),
        };
        let with_total = project_esv(&t, 1000.0, &[row("耕地", 30.0), row("旱地", 30.0)]);
        let alone = project_esv(&t, 1000.0, &[row("旱地", 30.0)]);
        assert_eq!(with_total.subtotals, vec![0]);
        assert_eq!(with_total.total_before(), alone.total_before());
    }
}
