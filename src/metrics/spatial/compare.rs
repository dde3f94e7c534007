//! Computed beside declared: every figure the layers give is set against
//! the one the county typed; a difference over 1% is a warning naming both
//! sources. Models choose by field which one they score:
//! the declared field (e.g. `farmland_before`), the computed one
//! (`layer_ta_before`) or `<declared>_used` — the computed figure when the
//! project has the layer, else the declared one.
//!
//! Also: a blank 耕地图斑数 takes the patch count of the layer, else of the
//! 图斑明细 table, and `farmland_patches_<stage>_source` says which.

use super::super::project_finding;
use crate::ingest::layers::{LayerKind, Stage};
use crate::ingest::{Dataset, Finding, Severity};
use anyhow::Result;
use polars::prelude::{DataFrame, DataType, Expr, NULL, col, lit, when};

/// A declared figure and the field computed from the layers.
pub struct Pair {
    pub declared: &'static str,
    pub computed: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub kind: LayerKind,
    pub stage: Stage,
}

const fn pair(
    declared: &'static str,
    computed: &'static str,
    label: &'static str,
    unit: &'static str,
    kind: LayerKind,
    stage: Stage,
) -> Pair {
    Pair {
        declared,
        computed,
        label,
        unit,
        kind,
        stage,
    }
}

/// Every compared figure.
pub const PAIRS: &[Pair] = &[
    pair(
        "farmland_before",
        "layer_ta_before",
        "整治前耕地面积",
        "亩",
        LayerKind::Dltb,
        Stage::Before,
    ),
    pair(
        "farmland_after",
        "layer_ta_after",
        "整治后耕地面积",
        "亩",
        LayerKind::Dltb,
        Stage::After,
    ),
    pair(
        "farmland_patches_before",
        "layer_np_before",
        "整治前耕地图斑数",
        "个",
        LayerKind::Dltb,
        Stage::Before,
    ),
    pair(
        "farmland_patches_after",
        "layer_np_after",
        "整治后耕地图斑数",
        "个",
        LayerKind::Dltb,
        Stage::After,
    ),
    pair(
        "fields_100mu_before",
        "blocks_contig_n_before",
        "整治前集中连片田块数",
        "个",
        LayerKind::Dltb,
        Stage::Before,
    ),
    pair(
        "fields_100mu_after",
        "blocks_contig_n_after",
        "整治后集中连片田块数",
        "个",
        LayerKind::Dltb,
        Stage::After,
    ),
    pair(
        "max_block_area_after",
        "blocks_max_area_after",
        "整治后最大连片耕地面积",
        "亩",
        LayerKind::Dltb,
        Stage::After,
    ),
    pair(
        "pbf_before",
        "pbf_before_layer",
        "整治前永久基本农田面积",
        "亩",
        LayerKind::Pbf,
        Stage::Before,
    ),
    pair(
        "pbf_after",
        "pbf_after_layer",
        "整治后永久基本农田面积",
        "亩",
        LayerKind::Pbf,
        Stage::After,
    ),
    pair(
        "pbf_adjusted",
        "pbf_adjusted_layer",
        "永久基本农田调整（调出）面积",
        "亩",
        LayerKind::Pbf,
        Stage::Before,
    ),
    pair(
        "redline_before",
        "redline_before_layer",
        "整治前生态保护红线面积",
        "亩",
        LayerKind::Redline,
        Stage::Before,
    ),
    pair(
        "redline_after",
        "redline_after_layer",
        "整治后生态保护红线面积",
        "亩",
        LayerKind::Redline,
        Stage::After,
    ),
];

/// Value of `farmland_patches_<stage>_source`.
pub const SOURCE_DECLARED: &str = "填报";
pub const SOURCE_LAYER: &str = "地类图斑图层";
pub const SOURCE_TABLE: &str = "图斑明细";

fn stages() -> [&'static str; 2] {
    ["before", "after"]
}

/// `farmland_patches_<stage>_source`: where the count comes from (before any fill).
pub fn sources() -> Vec<Expr> {
    stages()
        .iter()
        .map(|s| {
            let declared = col(format!("farmland_patches_{s}"));
            when(declared.is_not_null())
                .then(lit(SOURCE_DECLARED))
                .when(col(format!("layer_np_{s}")).is_not_null())
                .then(lit(SOURCE_LAYER))
                .when(col(format!("patches_np_{s}")).is_not_null())
                .then(lit(SOURCE_TABLE))
                .otherwise(lit(NULL).cast(DataType::String))
                .alias(format!("farmland_patches_{s}_source"))
        })
        .collect()
}

/// A blank 耕地图斑数 filled from the layer, else from 图斑明细.
pub fn filled() -> Vec<Expr> {
    stages()
        .iter()
        .map(|s| {
            let declared = col(format!("farmland_patches_{s}"));
            when(declared.clone().is_not_null())
                .then(declared)
                .when(col(format!("layer_np_{s}")).is_not_null())
                .then(col(format!("layer_np_{s}")))
                .otherwise(col(format!("patches_np_{s}")))
                .alias(format!("farmland_patches_{s}"))
        })
        .collect()
}

/// `<declared>_used` for every pair, and the PBF adjustment ratio from the layers.
pub fn used() -> Vec<Expr> {
    let mut out: Vec<Expr> = PAIRS
        .iter()
        .map(|p| {
            when(col(p.computed).is_not_null())
                .then(col(p.computed))
                .otherwise(col(p.declared))
                .alias(format!("{}_used", p.declared))
        })
        .collect();
    out.push(
        when(col("pbf_township_total").gt(lit(0.0)))
            .then(col("pbf_adjusted_layer") / col("pbf_township_total"))
            .otherwise(lit(NULL).cast(DataType::Float64))
            .alias("pbf_adjust_ratio_layer"),
    );
    out
}

/// Warnings where a computed figure differs from the declared one by more than 1%.
pub fn check(frame: &DataFrame, ds: &Dataset, out: &mut Vec<Finding>) -> Result<()> {
    let ids = frame.column("project_id")?.str()?;
    for p in PAIRS {
        let d = frame.column(p.declared)?.f64()?;
        let c = frame.column(p.computed)?.f64()?;
        let source = frame
            .column(&format!("{}_source", p.declared))
            .ok()
            .and_then(|s| s.str().ok().cloned());
        for i in 0..frame.height() {
            let (Some(id), Some(dv), Some(cv)) = (ids.get(i), d.get(i), c.get(i)) else {
                continue;
            };
            if source.as_ref().is_some_and(|s| s.get(i) != Some(SOURCE_DECLARED)) {
                continue;
            }
            let diff = (dv - cv).abs();
            if diff <= 0.01 * dv.abs().max(cv.abs()) || diff < 0.5 {
                continue;
            }
            out.push(finding(ds, p, id, dv, cv));
        }
    }
    Ok(())
}

fn finding(ds: &Dataset, p: &Pair, id: &str, declared: f64, computed: f64) -> Finding {
    let cell = ds.origins.cell(id, p.declared).cloned();
    let files: Vec<&str> = ds
        .layers
        .layers
        .iter()
        .filter(|l| l.project == id && l.kind == p.kind && (l.stage == Some(p.stage) || p.declared == "pbf_adjusted"))
        .map(|l| l.file.as_str())
        .collect();
    let pct = if declared != 0.0 {
        format!("{:.1}%", 100.0 * (computed - declared).abs() / declared.abs())
    } else {
        "—".into()
    };
    let mut f = project_finding(
        ds,
        id,
        format!(
            "项目“{id}”{}：填报 {} {u}（{}），{}图层计算为 {} {u}（{}），相差 {pct}，超过 1%；\
             模型可选用 {}（填报）、{}（图层）或 {}_used（有图层时用图层值）",
            p.label,
            fmt(declared),
            cell.as_ref().map_or_else(|| "填报表".to_string(), ToString::to_string),
            p.kind.label(),
            fmt(computed),
            files.join("、"),
            p.declared,
            p.computed,
            p.declared,
            u = p.unit,
        ),
    );
    if let Some(c) = cell {
        f.origin = c;
    }
    f.severity = Severity::Warning;
    f.raw = fmt(declared);
    f
}

fn fmt(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e12 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}
