//! Legal red lines as boolean fields (missing when the data to check is missing).
//!
//! Rules (自然资发〔2024〕149号; 宁夏 2025 实施意见): farmland area not decreased,
//! quality not lowered, construction land not increased, ecological red line
//! not reduced, PBF adjustment ≤ 5% of the township's delineated PBF, new
//! farmland field-measured.

use polars::prelude::{Expr, col, lit, when};

use super::funds::ratio;

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
        col("construction_after")
            .gt(col("construction_before"))
            .alias("construction_increased"),
        col("redline_after").lt(col("redline_before")).alias("redline_reduced"),
        when(col("new_farmland").is_null().or(col("new_farmland").lt_eq(lit(0.0))))
            .then(lit(false))
            .when(col("new_farmland_method").is_null())
            .then(lit(polars::prelude::NULL).cast(polars::prelude::DataType::Boolean))
            .otherwise(col("new_farmland_method").neq(lit("实测")))
            .alias("new_farmland_unmeasured"),
    ]
}
