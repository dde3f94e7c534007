//! Metrics: detail sheets and raw fields → documented project-level fields.
//!
//! Adds the derived fields of `fields.toml` (`[[derived]]`) to the project
//! frame: fund totals and rates, quotas and their value, fragmentation from
//! 图斑明细, ecosystem-service value from 土地利用结构 and the GEP used, and
//! the red-line fields the models' vetoes test.

pub mod funds;
pub mod gep;
pub mod patches;
pub mod quotas;
pub mod redlines;
pub mod spatial;

use crate::fields::FieldDict;
use crate::ingest::{Dataset, Finding, NotApplicable, Origin, Severity};
use crate::model::Prices;
use anyhow::{Context, Result};
use polars::prelude::{Column, DataFrame, IntoLazy, NamedFrom, Series, col};

/// The project frame with every derived field, and what metrics noticed.
#[derive(Debug, Clone)]
pub struct ProjectTable {
    pub frame: DataFrame,
    pub findings: Vec<Finding>,
    /// Spatial evidence per project with survey layers, with each project's map drawing.
    pub spatial: spatial::SpatialOutput,
}

/// Compute all derived fields with no price table and the bundled ESV standard value.
pub fn compute(ds: &Dataset) -> Result<ProjectTable> {
    compute_with(ds, &Prices::default())
}

/// Compute all derived fields; `prices` is the model's `[prices]` section.
pub fn compute_with(ds: &Dataset, prices: &Prices) -> Result<ProjectTable> {
    let mut findings = Vec::new();
    let mut frame = ds.projects.clone();
    add_list_counts(&mut frame)?;
    add_not_applicable_flag(
        &mut frame,
        &ds.origins.not_applicable,
        "new_farmland",
        redlines::NEW_FARMLAND_NA,
    )?;
    let funds = funds::per_project(&ds.funds).context("计算资金指标失败")?;
    let stages = patches::stage_aggregates(&ds.patches).context("计算耕地破碎度指标失败")?;
    let patches = patches::per_project(&stages, &ds.projects).context("计算耕地破碎度指标失败")?;
    let esv_table = gep::EsvTable::bundled();
    let d = prices.esv_standard_value.unwrap_or(esv_table.standard_value);
    let esv = gep::per_project(ds, &esv_table, d, &mut findings).context("估算生态系统服务价值失败")?;
    let spatial = spatial::compute(ds, &spatial::SpatialOptions::default()).context("计算图层空间指标失败")?;
    let frame = frame
        .lazy()
        .left_join(funds.lazy(), col("project_id"), col("project_id"))
        .left_join(patches.lazy(), col("project_id"), col("project_id"))
        .left_join(esv.lazy(), col("project_id"), col("project_id"))
        .left_join(spatial.frame.clone().lazy(), col("project_id"), col("project_id"))
        .with_columns(spatial::compare::sources())
        .with_columns(spatial::compare::filled())
        .with_columns(spatial::compare::used())
        .with_columns(funds::rates())
        .with_columns(redlines::fields())
        .with_columns(redlines::over_limits())
        .with_column(quotas::surplus())
        .with_columns(quotas::values(prices))
        .with_columns(gep::gep_fields())
        .with_columns(gep::gep_changes())
        .with_column(col("accepted_on").is_not_null().alias("is_accepted"))
        .collect()
        .context("计算派生指标失败")?
        .drop(redlines::NEW_FARMLAND_NA)?;
    check_surplus(&frame, ds, &mut findings)?;
    patches::check_counts(&frame, ds, &mut findings)?;
    patches::check_terrain(&frame, ds, &mut findings)?;
    patches::check_rows(&ds.patches, &stages, ds, &mut findings)?;
    spatial::compare::check(&frame, ds, &mut findings)?;
    Ok(ProjectTable {
        frame,
        findings,
        spatial,
    })
}

/// A Boolean column `name`: whether each project's `field` was written “不涉及”.
fn add_not_applicable_flag(frame: &mut DataFrame, na: &NotApplicable, field: &str, name: &str) -> Result<()> {
    let flags: Vec<bool> = frame
        .column("project_id")?
        .str()?
        .iter()
        .map(|id| id.is_some_and(|id| na.contains(id, field)))
        .collect();
    frame.with_column(Column::from(Series::new(name.into(), flags)))?;
    Ok(())
}

/// The values written “不涉及” (ingest's cells) and the derived fields that
/// follow from them: a derived field without a value is not applicable when
/// a blank field it is computed from (`from` in `fields.toml`, through other
/// derived fields) is not applicable: the county declared a fact it needs
/// not applicable, so a missing alternative (GEP written 不涉及 and no land
/// use structure to estimate it from) does not make it missing. Detail
/// sheets it reads never make it so; a red-line field listed in
/// [`redlines::DECIDES_NOT_APPLICABLE`] decides for itself.
pub fn not_applicable(frame: &DataFrame, inputs: &NotApplicable, dict: &FieldDict) -> Result<NotApplicable> {
    let mut out = inputs.clone();
    if inputs.is_empty() {
        return Ok(out);
    }
    let ids: Vec<Option<String>> = frame
        .column("project_id")?
        .str()?
        .iter()
        .map(|v| v.map(str::to_string))
        .collect();
    let blank = |field: &str, p: usize| -> bool {
        frame
            .column(field)
            .ok()
            .and_then(|c| c.get(p).ok())
            .is_some_and(|v| v.is_null())
    };
    let derived: Vec<_> = dict
        .derived
        .iter()
        .filter(|d| !redlines::DECIDES_NOT_APPLICABLE.contains(&d.id.as_str()))
        .collect();
    // Derived fields read other derived fields: repeat until nothing changes.
    loop {
        let mut changed = false;
        for (p, id) in ids.iter().enumerate() {
            let Some(id) = id else { continue };
            for d in &derived {
                if out.contains(id, &d.id) || !blank(&d.id, p) {
                    continue;
                }
                let from: Vec<&String> = d.from.iter().filter(|f| dict.sheet(f).is_none()).collect();
                if from.iter().any(|f| blank(f, p) && out.contains(id, f)) {
                    out.insert(id, &d.id);
                    changed = true;
                }
            }
        }
        if !changed {
            return Ok(out);
        }
    }
}

/// Items of a 、-separated list.
pub fn split_list(s: &str) -> Vec<&str> {
    s.split(['、', ',', '，', ';', '；', ' ', '/'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .collect()
}

/// `township_count` and `content_type_count` from the list fields.
fn add_list_counts(frame: &mut DataFrame) -> Result<()> {
    for (src, dst) in [("townships", "township_count"), ("content_types", "content_type_count")] {
        let counts: Vec<Option<f64>> = frame
            .column(src)?
            .str()?
            .iter()
            .map(|v| v.map(|s| split_list(s).len() as f64))
            .collect();
        frame.with_column(Column::from(Series::new(dst.into(), counts)))?;
    }
    Ok(())
}

/// Declared surplus quota should equal reclaimed − rebuilt.
fn check_surplus(frame: &DataFrame, ds: &Dataset, out: &mut Vec<Finding>) -> Result<()> {
    let ids = frame.column("project_id")?.str()?;
    let declared = frame.column("surplus_quota")?.f64()?;
    let computed = frame.column("surplus_quota_computed")?.f64()?;
    for i in 0..frame.height() {
        let (Some(id), Some(d), Some(c)) = (ids.get(i), declared.get(i), computed.get(i)) else {
            continue;
        };
        if (d - c).abs() > 0.5_f64.max(0.01 * c.abs()) {
            out.push(Finding {
                severity: Severity::Warning,
                origin: ds.origins.cell(id, "surplus_quota").cloned().unwrap_or_default(),
                raw: format!("{d}"),
                message: format!(
                    "项目“{id}”申报的节余指标 {d:.2} 亩与核算值（拆旧复垦 − 安置及建新）{c:.2} 亩不一致；评分采用核算值"
                ),
            });
        }
    }
    Ok(())
}

/// Origin of the `i`-th row of a detail sheet for a project (its 项目编号 cell).
fn row_origin(ds: &Dataset, sheet: &str, project: &str, i: usize) -> Origin {
    ds.origins
        .rows
        .get(&(sheet.to_string(), project.to_string()))
        .and_then(|rows| rows.get(i))
        .unwrap_or_default()
}

/// A finding about a whole project, located at its 项目编号 cell.
fn project_finding(ds: &Dataset, id: &str, message: String) -> Finding {
    Finding {
        severity: Severity::Warning,
        origin: ds
            .origins
            .cell(id, "project_id")
            .cloned()
            .unwrap_or_else(Origin::default),
        raw: id.to_string(),
        message,
    }
}
