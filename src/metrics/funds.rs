//! Fund integration (资金台账): totals by category, channels, leverage, rates,
//! and the lateness of social capital.

use anyhow::Result;
use polars::prelude::{Column, DataFrame, DataType, Expr, IntoLazy, NULL, col, lit, when};
use std::collections::BTreeMap;

/// Government budget money (central, provincial, municipal and county).
pub const BUDGET: &[&str] = &["中央财政", "省级财政", "市县财政"];
/// Special bonds and ultra-long special treasury bonds.
pub const BONDS: &[&str] = &["地方政府专项债券", "超长期特别国债"];
/// Categories counted as fiscal money (budget plus bonds).
pub const FISCAL: &[&str] = &["中央财政", "省级财政", "市县财政", "地方政府专项债券", "超长期特别国债"];
/// Policy and commercial finance.
pub const FINANCIAL: &[&str] = &["政策性金融", "商业金融"];
pub const SOCIAL: &[&str] = &["社会资本"];
pub const COLLECTIVE: &[&str] = &["村集体及群众自筹"];

/// Category field stems (`fund_<stem>`, `fund_<stem>_planned`, `fund_<stem>_spent`) and their sources.
pub const CATEGORIES: &[(&str, &[&str])] = &[
    ("fiscal", FISCAL),
    ("bonds", BONDS),
    ("financial", FINANCIAL),
    ("social", SOCIAL),
    ("collective", COLLECTIVE),
];

/// Sum of `amount` over the lines whose source is one of `categories`.
fn sum_of(amount: &str, categories: &[&str]) -> Expr {
    let is_cat = categories
        .iter()
        .map(|c| col("fund_source").eq(lit(*c)))
        .reduce(Expr::or)
        .unwrap_or_else(|| lit(false));
    when(is_cat).then(col(amount)).otherwise(lit(0.0)).sum()
}

/// One row per project with fund totals.
pub fn per_project(funds: &DataFrame) -> Result<DataFrame> {
    let mut aggs = vec![
        col("fund_planned").sum().alias("fund_planned_total"),
        col("fund_in_place").sum().alias("fund_in_place_total"),
        col("fund_spent").sum().alias("fund_spent_total"),
        col("fund_channel")
            .drop_nulls()
            .n_unique()
            .cast(DataType::Float64)
            .alias("fund_channels"),
        col("fund_department")
            .drop_nulls()
            .n_unique()
            .cast(DataType::Float64)
            .alias("fund_departments"),
    ];
    for (stem, cats) in CATEGORIES {
        aggs.push(sum_of("fund_in_place", cats).alias(format!("fund_{stem}")));
        aggs.push(sum_of("fund_planned", cats).alias(format!("fund_{stem}_planned")));
        aggs.push(sum_of("fund_spent", cats).alias(format!("fund_{stem}_spent")));
    }
    let totals = funds.clone().lazy().group_by([col("project_id")]).agg(aggs).collect()?;
    let late = social_lateness(funds)?;
    Ok(totals
        .lazy()
        .left_join(late.lazy(), col("project_id"), col("project_id"))
        .collect()?)
}

/// `a / b`, missing when b is missing or not positive.
pub fn ratio(a: &str, b: Expr) -> Expr {
    when(b.clone().gt(lit(0.0))).then(col(a) / b).otherwise(lit(NULL))
}

/// Leverage and rates, after the join.
pub fn rates() -> Vec<Expr> {
    vec![
        when(col("fund_fiscal").gt(lit(0.0)))
            .then((col("fund_financial") + col("fund_social")) / col("fund_fiscal"))
            .otherwise(lit(NULL))
            .alias("fund_leverage"),
        ratio("fund_in_place_total", col("fund_planned_total")).alias("fund_in_place_rate"),
        ratio("fund_spent_total", col("fund_in_place_total")).alias("fund_spend_rate"),
    ]
}

/// Days since 1970-01-01 of an ISO date `YYYY-MM-DD` (proleptic Gregorian).
pub fn days_of(iso: &str) -> Option<i64> {
    let mut it = iso.trim().splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.get(..2)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Years one line was late: (in place − due) ÷ 365.25, at least 0.
pub fn years_late(due: &str, in_place: &str) -> Option<f64> {
    Some(((days_of(in_place)? - days_of(due)?) as f64 / 365.25).max(0.0))
}

/// `social_capital_late_years`: the largest lateness of a social-capital line
/// giving both its due date and its in-place date.
fn social_lateness(funds: &DataFrame) -> Result<DataFrame> {
    let ids = funds.column("project_id")?.str()?;
    let source = funds.column("fund_source")?.str()?;
    let due = funds.column("fund_due_on")?.str()?;
    let done = funds.column("fund_in_place_on")?.str()?;
    let mut late: BTreeMap<&str, f64> = BTreeMap::new();
    for i in 0..funds.height() {
        let (Some(id), Some(src), Some(due), Some(done)) = (ids.get(i), source.get(i), due.get(i), done.get(i)) else {
            continue;
        };
        if !SOCIAL.contains(&src) {
            continue;
        }
        if let Some(y) = years_late(due, done) {
            let e = late.entry(id).or_insert(0.0);
            *e = e.max(y);
        }
    }
    let (ids, years): (Vec<String>, Vec<f64>) = late.into_iter().map(|(k, v)| (k.to_string(), v)).unzip();
    Ok(DataFrame::new(
        ids.len(),
        vec![
            Column::new("project_id".into(), ids),
            Column::new("social_capital_late_years".into(), years),
        ],
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_counts_cross_leap_years() {
        assert_eq!(days_of("1970-01-01"), Some(0));
        // 2024 is a leap year: 366 days to 2025-01-01, then 31+28+31+30+31+30+1 = 182 to 2025-07-02.
        assert_eq!(days_of("2025-07-02").unwrap() - days_of("2024-01-01").unwrap(), 548);
        assert_eq!(days_of("2024-13-01"), None);
        assert_eq!(years_late("2024-06-01", "2024-05-01"), Some(0.0));
        assert_eq!(years_late("2023-01-01", "2024-01-01"), Some(365.0 / 365.25));
    }
}
