//! Legal red lines as fields (missing when the data to check is missing).
//!
//! Rules (自然资发〔2024〕149号; 宁夏 2025 实施意见; 四川省 2025 实施意见):
//! farmland area not decreased, quality not lowered, PBF not decreased,
//! construction land not increased, ecological red line not reduced, PBF
//! adjustment ≤ 5% of the township's delineated PBF, new farmland
//! field-measured, no forced relocation. `hidden_debt` is an input field
//! (过程管理) used by the vetoes as it is.
//!
//! A blank input leaves its red line without a value (unknown), never
//! passed: blank means “not given”. New farmland is the one gate: a project
//! whose 新增耕地面积 is 0 or written “不涉及” has nothing to measure.

use polars::prelude::{DataType, Expr, NULL, col, lit, when};

use super::funds::ratio;

/// Largest PBF adjustment allowed, as a share of the township's delineated PBF.
pub const PBF_ADJUST_LIMIT: f64 = 0.05;

/// Temporary column: whether 新增耕地面积 was written “不涉及”.
pub const NEW_FARMLAND_NA: &str = "new_farmland__not_applicable";

/// Red-line fields whose own rule decides what “不涉及” means (so metrics
/// does not derive their applicability from their inputs).
pub const DECIDES_NOT_APPLICABLE: &[&str] = &["new_farmland_unmeasured"];

/// The red-line fields.
pub fn fields() -> Vec<Expr> {
    vec![
        col("farmland_after")
            .lt(col("farmland_before"))
            .alias("farmland_decreased"),
        // 等别: 1 best … 10 worst, so a larger number after is a fall in quality.
        col("quality_grade_after")
            .gt(col("quality_grade_before"))
            .alias("quality_fell"),
        col("pbf_after").lt(col("pbf_before")).alias("pbf_decreased"),
        ratio("pbf_adjusted", col("pbf_township_total")).alias("pbf_adjust_ratio"),
        // Net new PBF (after − before) per mu adjusted.
        when(col("pbf_adjusted").gt(lit(0.0)))
            .then((col("pbf_after") - col("pbf_before")) / col("pbf_adjusted"))
            .otherwise(lit(NULL).cast(DataType::Float64))
            .alias("new_pbf_ratio"),
        col("construction_after")
            .gt(col("construction_before"))
            .alias("construction_increased"),
        col("redline_after").lt(col("redline_before")).alias("redline_reduced"),
        // 0 or 不涉及: nothing to measure. Blank area or blank method: unknown.
        when(col(NEW_FARMLAND_NA).or(col("new_farmland").lt_eq(lit(0.0))))
            .then(lit(false))
            .when(col("new_farmland").is_null().or(col("new_farmland_method").is_null()))
            .then(lit(NULL).cast(DataType::Boolean))
            .otherwise(col("new_farmland_method").neq(lit("实测")))
            .alias("new_farmland_unmeasured"),
        col("forced_demolition").alias("forced_relocation"),
    ]
}

/// Fields computed from the red-line fields.
pub fn over_limits() -> Vec<Expr> {
    vec![
        col("pbf_adjust_ratio")
            .gt(lit(PBF_ADJUST_LIMIT))
            .alias("pbf_over_adjusted"),
    ]
}
