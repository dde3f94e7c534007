//! Farmland fragmentation from 图斑明细 (FRAGSTATS definitions on a vector
//! patch table), per project and stage, and the check against the summary sheet.
//!
//! One polars lazy scan groups the patch rows by project and stage; the
//! per-stage aggregates are then turned into the documented fields
//! `patches_<metric>_<before|after|delta|pct>` on the small per-project frame.

use super::project_finding;
use crate::ingest::{Dataset, Finding, Severity};
use anyhow::Result;
use polars::prelude::{DataFrame, DataType, Expr, IntoLazy, JoinArgs, JoinType, NULL, col, lit, when};

/// Stage labels of 图斑明细 and the field suffix each gives.
pub const STAGES: [(&str, &str); 2] = [("整治前", "before"), ("整治后", "after")];
/// Land classes counted as farmland (names and 三调 codes); an empty class counts too.
pub const FARMLAND_CLASSES: &[&str] = &["耕地", "水田", "水浇地", "旱地", "01", "0101", "0102", "0103"];
/// Contiguous-block threshold on plains (亩).
pub const CONTIG_PLAINS_MU: f64 = 100.0;
/// Contiguous-block threshold in hills and mountains (亩).
pub const CONTIG_HILLS_MU: f64 = 50.0;
/// Scattered farmland (零星耕地): patches below this area (亩).
pub const SCATTERED_MU: f64 = 5.0;
/// 千亩方 block (亩).
pub const QIANMU_MU: f64 = 1_000.0;
/// 万亩方 block (亩).
pub const WANMU_MU: f64 = 10_000.0;
/// 亩 per 100 公顷 (PD is patches per 100 ha of project area).
const MU_PER_100_HA: f64 = 1_500.0;

/// The per-stage metrics, as field-id stems (`patches_<stem>_<suffix>`).
pub const METRICS: &[&str] = &[
    "np",
    "ta",
    "pd",
    "mps",
    "area_am",
    "lpi",
    "contig_n",
    "contig_share",
    "scattered_n",
    "qianmu_n",
    "wanmu_n",
];

/// Field id of a metric for a stage suffix or `delta` / `pct`.
pub fn field(stem: &str, suffix: &str) -> String {
    format!("patches_{stem}_{suffix}")
}

/// Whether a patch row is farmland: class empty or one of [`FARMLAND_CLASSES`].
fn is_farmland() -> Expr {
    FARMLAND_CLASSES.iter().fold(col("patch_class").is_null(), |acc, c| {
        acc.or(col("patch_class").eq(lit(*c)))
    })
}

fn count_where(cond: Expr) -> Expr {
    cond.cast(DataType::Float64).sum()
}

fn area_where(cond: Expr) -> Expr {
    when(cond).then(col("patch_area")).otherwise(lit(0.0)).sum()
}

/// Aggregates of farmland patches per (project, stage).
pub fn stage_aggregates(patches: &DataFrame) -> Result<DataFrame> {
    let a = || col("patch_area");
    Ok(patches
        .clone()
        .lazy()
        .filter(is_farmland().and(col("patch_stage").is_not_null()))
        .group_by([col("project_id"), col("patch_stage")])
        .agg([
            a().count().cast(DataType::Float64).alias("np"),
            a().null_count().cast(DataType::Float64).alias("no_area"),
            a().sum().alias("ta"),
            (a() * a()).sum().alias("sum_sq"),
            a().max().alias("largest"),
            count_where(a().gt_eq(lit(CONTIG_HILLS_MU))).alias("n_hills"),
            area_where(a().gt_eq(lit(CONTIG_HILLS_MU))).alias("a_hills"),
            count_where(a().gt_eq(lit(CONTIG_PLAINS_MU))).alias("n_plains"),
            area_where(a().gt_eq(lit(CONTIG_PLAINS_MU))).alias("a_plains"),
            count_where(a().lt(lit(SCATTERED_MU))).alias("scattered_n"),
            count_where(a().gt_eq(lit(QIANMU_MU))).alias("qianmu_n"),
            count_where(a().gt_eq(lit(WANMU_MU))).alias("wanmu_n"),
        ])
        .collect()?)
}

/// Rows of 图斑明细 left out: non-farmland classes per project, with the classes.
pub fn excluded(patches: &DataFrame) -> Result<DataFrame> {
    Ok(patches
        .clone()
        .lazy()
        .filter(is_farmland().not())
        .group_by([col("project_id")])
        .agg([
            col("patch_class").count().cast(DataType::Float64).alias("n"),
            col("patch_class").unique_stable().head(Some(5)).alias("classes"),
        ])
        .sort(["project_id"], Default::default())
        .collect()?)
}

/// `x / y`, missing unless y > 0.
fn safe_div(x: Expr, y: Expr) -> Expr {
    when(y.clone().gt(lit(0.0))).then(x / y).otherwise(lit(NULL))
}

/// The metrics of one stage from the aggregates (columns suffixed `_<s>`).
fn stage_metrics(s: &str) -> Vec<Expr> {
    let c = |n: &str| col(format!("{n}_{s}"));
    let hills = col("terrain").eq(lit("丘陵")).or(col("terrain").eq(lit("山区")));
    vec![
        c("np").alias(field("np", s)),
        c("ta").alias(field("ta", s)),
        safe_div(c("np") * lit(MU_PER_100_HA), col("area_total")).alias(field("pd", s)),
        safe_div(c("ta"), c("np")).alias(field("mps", s)),
        safe_div(c("sum_sq"), c("ta")).alias(field("area_am", s)),
        safe_div(c("largest"), c("ta")).alias(field("lpi", s)),
        when(hills.clone())
            .then(c("n_hills"))
            .otherwise(c("n_plains"))
            .alias(field("contig_n", s)),
        safe_div(when(hills).then(c("a_hills")).otherwise(c("a_plains")), c("ta")).alias(field("contig_share", s)),
        c("scattered_n").alias(field("scattered_n", s)),
        c("qianmu_n").alias(field("qianmu_n", s)),
        c("wanmu_n").alias(field("wanmu_n", s)),
    ]
}

/// Δ = after − before and %Δ = Δ ÷ before for every metric.
fn changes() -> Vec<Expr> {
    METRICS
        .iter()
        .flat_map(|m| {
            let (b, a) = (col(field(m, "before")), col(field(m, "after")));
            [
                (a.clone() - b.clone()).alias(field(m, "delta")),
                safe_div(a - b.clone(), b).alias(field(m, "pct")),
            ]
        })
        .collect()
}

/// Every `patches_*` field per project that has patch rows, from the
/// [`stage_aggregates`]; `projects` gives `terrain` (contiguous threshold)
/// and `area_total` (for PD).
pub fn per_project(stages: &DataFrame, projects: &DataFrame) -> Result<DataFrame> {
    let agg = stages.clone().lazy();
    let stage = |label: &str, suffix: &str| {
        let renamed: Vec<Expr> = std::iter::once(col("project_id"))
            .chain(
                [
                    "np",
                    "ta",
                    "sum_sq",
                    "largest",
                    "n_hills",
                    "a_hills",
                    "n_plains",
                    "a_plains",
                    "scattered_n",
                    "qianmu_n",
                    "wanmu_n",
                ]
                .iter()
                .map(|n| col(*n).alias(format!("{n}_{suffix}"))),
            )
            .collect();
        agg.clone().filter(col("patch_stage").eq(lit(label))).select(renamed)
    };
    let ids = agg
        .clone()
        .select([col("project_id")])
        .unique_stable(None, Default::default());
    let info = projects
        .clone()
        .lazy()
        .select([col("project_id"), col("terrain"), col("area_total")]);
    let left = JoinArgs::new(JoinType::Left);
    let on = || [col("project_id")];
    let mut keep: Vec<Expr> = vec![col("project_id")];
    for m in METRICS {
        for s in ["before", "after", "delta", "pct"] {
            keep.push(col(field(m, s)));
        }
    }
    Ok(ids
        .join(info, on(), on(), left.clone())
        .join(stage(STAGES[0].0, STAGES[0].1), on(), on(), left.clone())
        .join(stage(STAGES[1].0, STAGES[1].1), on(), on(), left)
        .with_columns(stage_metrics("before"))
        .with_columns(stage_metrics("after"))
        .with_columns(changes())
        .select(keep)
        .sort(["project_id"], Default::default())
        .collect()?)
}

/// Notes on 图斑明细: non-farmland rows left out and patches without area
/// (`stages` are the [`stage_aggregates`] of `patches`).
pub fn check_rows(patches: &DataFrame, stages: &DataFrame, ds: &Dataset, out: &mut Vec<Finding>) -> Result<()> {
    let ex = excluded(patches)?;
    let ids = ex.column("project_id")?.str()?;
    let n = ex.column("n")?.f64()?;
    let classes = ex.column("classes")?.list()?;
    for i in 0..ex.height() {
        let (Some(id), Some(n)) = (ids.get(i), n.get(i)) else {
            continue;
        };
        let names: Vec<String> = classes
            .get_as_series(i)
            .and_then(|s| s.str().ok().map(|c| c.iter().flatten().map(str::to_string).collect()))
            .unwrap_or_default();
        let mut f = project_finding(
            ds,
            id,
            format!(
                "项目“{id}”图斑明细中有 {n} 个非耕地图斑（地类：{}）未计入耕地破碎度指标",
                names.join("、")
            ),
        );
        f.severity = Severity::Info;
        out.push(f);
    }
    let agg = stages;
    let ids = agg.column("project_id")?.str()?;
    let stages = agg.column("patch_stage")?.str()?;
    let no_area = agg.column("no_area")?.f64()?;
    for i in 0..agg.height() {
        if let (Some(id), Some(st), Some(k)) = (ids.get(i), stages.get(i), no_area.get(i))
            && k > 0.0
        {
            out.push(project_finding(
                ds,
                id,
                format!("项目“{id}”{st}图斑明细中有 {k} 个图斑缺少面积，未计入耕地破碎度指标"),
            ));
        }
    }
    Ok(())
}

/// Projects with patch rows but no terrain: the plains threshold is used.
pub fn check_terrain(frame: &DataFrame, ds: &Dataset, out: &mut Vec<Finding>) -> Result<()> {
    let ids = frame.column("project_id")?.str()?;
    let terrain = frame.column("terrain")?.str()?;
    let np = frame.column(&field("np", "before"))?.f64()?;
    let np_after = frame.column(&field("np", "after"))?.f64()?;
    for i in 0..frame.height() {
        let has_patches = np.get(i).is_some() || np_after.get(i).is_some();
        if let Some(id) = ids.get(i)
            && has_patches
            && terrain.get(i).is_none()
        {
            let mut f = project_finding(
                ds,
                id,
                format!("项目“{id}”未填写地形，集中连片田块按平原门槛 {CONTIG_PLAINS_MU} 亩统计"),
            );
            f.severity = Severity::Info;
            out.push(f);
        }
    }
    Ok(())
}

/// Summary patch counts that differ from the patch table by more than 1%.
pub fn check_counts(frame: &DataFrame, ds: &Dataset, out: &mut Vec<Finding>) -> Result<()> {
    let ids = frame.column("project_id")?.str()?;
    for (summary, stage, suffix) in [
        ("farmland_patches_before", STAGES[0].0, STAGES[0].1),
        ("farmland_patches_after", STAGES[1].0, STAGES[1].1),
    ] {
        let s = frame.column(summary)?.f64()?;
        let d = frame.column(&field("np", suffix))?.f64()?;
        // A count filled in from the patch data is not a declared one.
        let source = frame.column(&format!("{summary}_source"))?.str()?;
        for i in 0..frame.height() {
            let (Some(id), Some(s), Some(d)) = (ids.get(i), s.get(i), d.get(i)) else {
                continue;
            };
            if source.get(i) != Some(super::spatial::compare::SOURCE_DECLARED) {
                continue;
            }
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
