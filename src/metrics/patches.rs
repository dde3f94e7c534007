//! Farmland patches (图斑明细): counts per stage, checked against the summary sheet.

use super::project_finding;
use crate::ingest::{Dataset, Finding};
use anyhow::Result;
use polars::prelude::{DataFrame, DataType, IntoLazy, col, lit, when};

/// `patches_np_before` / `patches_np_after` per project having patch rows.
pub fn per_project(patches: &DataFrame) -> Result<DataFrame> {
    let count_stage = |stage: &str| {
        when(col("patch_stage").eq(lit(stage)))
            .then(lit(1.0))
            .otherwise(lit(0.0))
            .sum()
            .cast(DataType::Float64)
    };
    Ok(patches
        .clone()
        .lazy()
        .group_by([col("project_id")])
        .agg([
            count_stage("整治前").alias("patches_np_before"),
            count_stage("整治后").alias("patches_np_after"),
        ])
        .collect()?)
}

/// Summary patch counts that differ from the patch table by more than 1%.
pub fn check_counts(frame: &DataFrame, ds: &Dataset, out: &mut Vec<Finding>) -> Result<()> {
    let ids = frame.column("project_id")?.str()?;
    for (summary, detail, stage) in [
        ("farmland_patches_before", "patches_np_before", "整治前"),
        ("farmland_patches_after", "patches_np_after", "整治后"),
    ] {
        let s = frame.column(summary)?.f64()?;
        let d = frame.column(detail)?.f64()?;
        for i in 0..frame.height() {
            let (Some(id), Some(s), Some(d)) = (ids.get(i), s.get(i), d.get(i)) else {
                continue;
            };
            if (s - d).abs() > 0.01 * s.abs().max(1.0) {
                out.push(project_finding(
                    ds,
                    id,
                    format!("项目“{id}”{stage}耕地图斑数：汇总表填报 {s} 个，图斑明细为 {d} 个，相差超过 1%"),
                ));
            }
        }
    }
    Ok(())
}
