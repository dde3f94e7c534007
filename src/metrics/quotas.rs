//! Quotas: linkage surplus (增减挂钩节余指标) and supplementary farmland
//! (补充耕地指标), with values from the model's price table.

use crate::model::Prices;
use polars::prelude::{DataType, Expr, NULL, col, lit};

/// 元 per 万元.
const YUAN_PER_WAN: f64 = 10_000.0;

/// `x × price`, missing when the price is not configured.
fn priced(x: Expr, price: Option<f64>) -> Expr {
    match price {
        Some(p) => x * lit(p),
        None => lit(NULL).cast(DataType::Float64),
    }
}

/// `surplus_quota_computed` = accepted reclaimed − resettlement and new building.
pub fn surplus() -> Expr {
    (col("reclaimed_area") - col("rebuilt_area")).alias("surplus_quota_computed")
}

/// Values of the quotas (after [`surplus`]).
pub fn values(prices: &Prices) -> Vec<Expr> {
    let parts = [
        priced(col("supplementary_quota"), prices.supplementary_area),
        priced(col("supplementary_paddy_quota"), prices.supplementary_paddy),
        priced(
            col("supplementary_grain_quota"),
            prices.supplementary_grain.map(|p| p / YUAN_PER_WAN),
        ),
    ];
    // Sum of the parts that are given; missing when none is.
    let any = parts
        .iter()
        .cloned()
        .map(|e| e.is_not_null())
        .reduce(Expr::or)
        .unwrap_or_else(|| lit(false));
    let sum = parts
        .iter()
        .cloned()
        .map(|e| e.fill_null(lit(0.0)))
        .reduce(|a, b| a + b)
        .unwrap_or_else(|| lit(0.0));
    vec![
        priced(col("surplus_quota_computed"), prices.quota_intra_province).alias("surplus_quota_value_intra"),
        priced(col("surplus_quota_computed"), prices.quota_cross_province).alias("surplus_quota_value_cross"),
        polars::prelude::when(any)
            .then(sum)
            .otherwise(lit(NULL).cast(DataType::Float64))
            .alias("supplementary_quota_value"),
    ]
}
