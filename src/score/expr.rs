//! Model expressions (`expr`, `when`, `planned`, `per`, `applies`) compiled
//! to polars expressions by polars' own SQL front end.

use anyhow::{Result, anyhow};
use polars::prelude::{DataFrame, DataType, Expr, IntoLazy};
use std::collections::BTreeSet;

/// Parse one SQL expression string.
pub fn parse(text: &str) -> Result<Expr> {
    polars::sql::sql_expr(text).map_err(|e| anyhow!("表达式“{text}”无法解析：{e}"))
}

/// Field ids an expression reads.
pub fn fields_of(expr: &Expr) -> BTreeSet<String> {
    expr.clone()
        .meta()
        .root_names()
        .into_iter()
        .map(|n| n.to_string())
        .collect()
}

/// One named expression to evaluate over the project table.
pub struct Named {
    /// Output column name.
    pub column: String,
    /// Where it comes from, for messages (e.g. `指标 patch_reduction 的 expr`).
    pub label: String,
    pub text: String,
    pub as_bool: bool,
}

/// Evaluate all expressions over `frame` in one query. Unknown fields are
/// reported with the expression that names them.
pub fn evaluate(frame: &DataFrame, items: &[Named]) -> Result<DataFrame> {
    let known: BTreeSet<&str> = frame.get_column_names().into_iter().map(|s| s.as_str()).collect();
    let mut exprs = Vec::with_capacity(items.len());
    for it in items {
        let e = parse(&it.text).map_err(|e| anyhow!("{}：{e}", it.label))?;
        if let Some(bad) = fields_of(&e).into_iter().find(|f| !known.contains(f.as_str())) {
            return Err(anyhow!("{}“{}”引用了未知字段 {bad}", it.label, it.text));
        }
        let ty = if it.as_bool {
            DataType::Boolean
        } else {
            DataType::Float64
        };
        exprs.push(e.cast(ty).alias(it.column.as_str()));
    }
    frame
        .clone()
        .lazy()
        .select(exprs)
        .collect()
        .map_err(|e| anyhow!("计算模型表达式失败：{e}"))
}

/// A Float64 column as finite values (NaN and ±∞ become missing).
pub fn floats(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>> {
    Ok(df
        .column(name)?
        .f64()?
        .iter()
        .map(|v| v.filter(|x| x.is_finite()))
        .collect())
}

/// A Boolean column.
pub fn bools(df: &DataFrame, name: &str) -> Result<Vec<Option<bool>>> {
    Ok(df.column(name)?.bool()?.iter().collect())
}

/// A String column.
pub fn strings(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
    Ok(df.column(name)?.str()?.iter().map(|v| v.map(str::to_string)).collect())
}
