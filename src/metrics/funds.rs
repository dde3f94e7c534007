//! Fund integration (资金台账): totals by category, channels, leverage, rates.

use anyhow::Result;
use polars::prelude::{DataFrame, Expr, IntoLazy, col, lit, when};

/// Categories counted as fiscal money (incl. special bonds and treasury bonds).
pub const FISCAL: &[&str] = &["中央财政", "省级财政", "市县财政", "地方政府专项债券", "超长期特别国债"];
/// Policy and commercial finance.
pub const FINANCIAL: &[&str] = &["政策性金融", "商业金融"];
pub const SOCIAL: &[&str] = &["社会资本"];
pub const COLLECTIVE: &[&str] = &["村集体及群众自筹"];

fn in_place_of(categories: &[&str]) -> Expr {
    let is_cat = categories
        .iter()
        .map(|c| col("fund_source").eq(lit(*c)))
        .reduce(Expr::or)
        .expect("non-empty category list");
    when(is_cat).then(col("fund_in_place")).otherwise(lit(0.0)).sum()
}

/// One row per project with fund totals.
pub fn per_project(funds: &DataFrame) -> Result<DataFrame> {
    Ok(funds
        .clone()
        .lazy()
        .group_by([col("project_id")])
        .agg([
            col("fund_planned").sum().alias("fund_planned_total"),
            col("fund_in_place").sum().alias("fund_in_place_total"),
            col("fund_spent").sum().alias("fund_spent_total"),
            in_place_of(FISCAL).alias("fund_fiscal"),
            in_place_of(FINANCIAL).alias("fund_financial"),
            in_place_of(SOCIAL).alias("fund_social"),
            in_place_of(COLLECTIVE).alias("fund_collective"),
            col("fund_channel")
                .drop_nulls()
                .n_unique()
                .cast(polars::prelude::DataType::Float64)
                .alias("fund_channels"),
            col("fund_department")
                .drop_nulls()
                .n_unique()
                .cast(polars::prelude::DataType::Float64)
                .alias("fund_departments"),
        ])
        .collect()?)
}

/// `a / b`, missing when b is missing or not positive.
pub fn ratio(a: &str, b: Expr) -> Expr {
    when(b.clone().gt(lit(0.0)))
        .then(col(a) / b)
        .otherwise(lit(polars::prelude::NULL))
}

/// Leverage and rates, after the join.
pub fn rates() -> Vec<Expr> {
    vec![
        when(col("fund_fiscal").gt(lit(0.0)))
            .then((col("fund_financial") + col("fund_social")) / col("fund_fiscal"))
            .otherwise(lit(polars::prelude::NULL))
            .alias("fund_leverage"),
        ratio("fund_in_place_total", col("fund_planned_total")).alias("fund_in_place_rate"),
        ratio("fund_spent_total", col("fund_in_place_total")).alias("fund_spend_rate"),
    ]
}
