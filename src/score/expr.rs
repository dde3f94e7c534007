//! Model expressions (`expr`, `when`, `planned`, `per`, `applies`) compiled
//! to polars expressions by polars' own SQL front end.
//!
//! An expression is bounded before polars sees it (length, operators,
//! nesting: polars' parser and planner recurse once per operator and a sum
//! of 60 fields overflows a 2 MB stack in a debug build), parsed and
//! evaluated under the panic guard, and computed in floating point (integer
//! literals and integer columns become Float64, so `power(10, 400)` is ∞,
//! reported as an invalid result, instead of an integer overflow). Errors
//! are Chinese, with polars' text in brackets.

use crate::ingest::guard::{catch_quietly, panic_text};
use anyhow::{Result, anyhow};
use polars::prelude::{DataFrame, DataType, Expr, IntoLazy, UnknownKind, lit};
use std::collections::BTreeSet;

/// Most characters of an expression.
pub const MAX_CHARS: usize = 1_000;
/// Most operators (arithmetic, comparison, AND/OR/NOT, IN, BETWEEN, LIKE, WHEN …).
pub const MAX_OPERATORS: usize = 24;
/// Deepest nesting of brackets (function calls included).
pub const MAX_NESTING: usize = 16;

/// The expression as shown in messages: cut after 60 characters.
pub fn shown(text: &str) -> String {
    let mut s: String = crate::ingest::grid::visible(text).chars().take(60).collect();
    if text.chars().count() > 60 {
        s.push('…');
    }
    s
}

/// Why an expression is too large for polars to handle safely, if it is.
pub fn too_complex(text: &str) -> Option<String> {
    let chars = text.chars().count();
    if chars > MAX_CHARS {
        return Some(format!(
            "过长：{chars} 个字符（上限 {MAX_CHARS}），请拆分为几个指标或派生字段"
        ));
    }
    let (operators, nesting) = measure(text);
    if operators > MAX_OPERATORS {
        return Some(format!(
            "过于复杂：含 {operators} 个运算符（上限 {MAX_OPERATORS}），请拆分为几个指标或简化表达式"
        ));
    }
    if nesting > MAX_NESTING {
        return Some(format!("括号嵌套 {nesting} 层（上限 {MAX_NESTING}），请简化表达式"));
    }
    None
}

/// Operators and bracket nesting of an SQL expression, outside quotes.
fn measure(text: &str) -> (usize, usize) {
    const WORDS: &[&str] = &["AND", "OR", "NOT", "IS", "IN", "BETWEEN", "LIKE", "ILIKE", "WHEN"];
    let b = text.as_bytes();
    let (mut ops, mut depth, mut deepest) = (0usize, 0usize, 0usize);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\'' | b'"' | b'`' => {
                // Skip a quoted string or identifier ('' and "" escape the quote).
                i += 1;
                while i < b.len() {
                    if b[i] == c {
                        if b.get(i + 1) == Some(&c) {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    i += 1;
                }
            }
            b'(' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b')' | b']' => depth = depth.saturating_sub(1),
            b'+' | b'-' => {
                // The sign of an exponent (1e-5) is not an operator.
                let exponent = i >= 2 && matches!(b[i - 1], b'e' | b'E') && b[i - 2].is_ascii_digit();
                if !exponent {
                    ops += 1;
                }
            }
            b'*' | b'/' | b'%' | b'^' => ops += 1,
            b'<' | b'>' | b'=' | b'!' | b'|' => {
                ops += 1;
                // Two-character operators (<=, <>, !=, ||, ==) count once.
                if matches!(b.get(i + 1), Some(b'=' | b'>' | b'|')) {
                    i += 1;
                }
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                let word = &text[start..i];
                if WORDS.iter().any(|w| w.eq_ignore_ascii_case(word)) {
                    ops += 1;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    (ops, deepest)
}

/// Parse one SQL expression string (bounded, guarded).
pub fn parse(text: &str) -> Result<Expr> {
    if let Some(why) = too_complex(text) {
        return Err(anyhow!("表达式“{}”{why}", shown(text)));
    }
    match catch_quietly(|| polars::sql::sql_expr(text)) {
        Ok(Ok(e)) => Ok(e),
        Ok(Err(e)) => Err(anyhow!(
            "表达式“{}”无法解析，请检查括号、运算符、引号和字段名（{e}）",
            shown(text)
        )),
        Err(p) => Err(anyhow!("表达式“{}”无法解析（{}）", shown(text), panic_text(p.as_ref()))),
    }
}

/// Integer literals as floats (see the module note).
fn in_floats(e: Expr) -> Expr {
    e.map_expr(|e| match e {
        Expr::Literal(v) if matches!(v.get_datatype(), DataType::Unknown(UnknownKind::Int(_))) => {
            match v.extract_i64() {
                Ok(i) => lit(i as f64),
                Err(_) => Expr::Literal(v),
            }
        }
        other => other,
    })
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

/// The compiled expressions of `items`; unknown fields are reported with
/// the expression that names them.
fn compile(frame: &DataFrame, items: &[Named]) -> Result<Vec<Expr>> {
    let known: BTreeSet<&str> = frame.get_column_names().into_iter().map(|s| s.as_str()).collect();
    let mut exprs = Vec::with_capacity(items.len());
    for it in items {
        let e = parse(&it.text).map_err(|e| anyhow!("{}：{e}", it.label))?;
        if let Some(bad) = fields_of(&e).into_iter().find(|f| !known.contains(f.as_str())) {
            return Err(anyhow!("{}“{}”引用了未知字段 {bad}", it.label, shown(&it.text)));
        }
        let ty = if it.as_bool {
            DataType::Boolean
        } else {
            DataType::Float64
        };
        exprs.push(in_floats(e).cast(ty).alias(it.column.as_str()));
    }
    Ok(exprs)
}

/// The frame with integer columns as Float64.
fn integers_as_floats(frame: &DataFrame) -> Result<DataFrame> {
    let mut out = frame.clone();
    for name in frame.get_column_names_owned() {
        let col = frame.column(&name)?;
        if col.dtype().is_integer() {
            out.with_column(col.cast(&DataType::Float64)?)?;
        }
    }
    Ok(out)
}

/// Run one query; a polars error or panic becomes `Err(polars' text)`.
fn run(frame: &DataFrame, exprs: Vec<Expr>) -> std::result::Result<DataFrame, String> {
    match catch_quietly(|| frame.clone().lazy().select(exprs).collect()) {
        Ok(Ok(df)) => Ok(df),
        Ok(Err(e)) => Err(e.to_string()),
        Err(p) => Err(format!("程序内部错误：{}", panic_text(p.as_ref()))),
    }
}

/// What a polars evaluation error means, in Chinese.
fn explain(polars: &str) -> &'static str {
    if polars.contains("conversion from `str`") || polars.contains("from `str` to") {
        "文本字段不能当作数值计算（如对项目名称、县名做 CAST … AS DOUBLE 或算术）"
    } else if polars.contains("overflow") {
        "整数运算溢出"
    } else if polars.contains("cannot compare") || polars.contains("comparison") {
        "不同类型的值不能比较（如数值与文本）"
    } else if polars.contains("not yet implemented") || polars.contains("not supported") {
        "使用了不支持的函数或运算"
    } else {
        "表达式无法计算"
    }
}

/// Evaluate all expressions over `frame` in one query. A failing query is
/// retried one expression at a time to name the expression that fails.
pub fn evaluate(frame: &DataFrame, items: &[Named]) -> Result<DataFrame> {
    let exprs = compile(frame, items)?;
    let frame = integers_as_floats(frame)?;
    match run(&frame, exprs) {
        Ok(df) => Ok(df),
        Err(all) => {
            for it in items {
                let one = compile(&frame, std::slice::from_ref(it))?;
                if let Err(e) = run(&frame, one) {
                    return Err(anyhow!(
                        "{}“{}”无法计算：{}（{e}）",
                        it.label,
                        shown(&it.text),
                        explain(&e)
                    ));
                }
            }
            Err(anyhow!("计算模型表达式失败（{all}）"))
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::df;

    fn named(text: &str) -> Named {
        Named {
            column: "x".into(),
            label: "指标 t 的 expr".into(),
            text: text.into(),
            as_bool: false,
        }
    }

    #[test]
    fn operators_and_nesting_are_counted_outside_quotes() {
        assert_eq!(measure("a + b * 2 - c"), (3, 0));
        assert_eq!(measure("(a - b) / b"), (2, 1));
        assert_eq!(measure("x >= 1e-5 AND name <> 'a+b-c'"), (3, 0));
        assert_eq!(measure("CASE WHEN a > 1 THEN 1 WHEN a < 0 THEN 0 END"), (4, 0));
        assert_eq!(measure("abs(abs(abs(x)))"), (0, 3));
    }

    #[test]
    fn oversized_expressions_are_refused_before_polars_parses_them() {
        let sum = vec!["farmland_before"; 195].join(" + ");
        assert!(parse(&sum).unwrap_err().to_string().contains("过长：3507 个字符"));
        let sum = vec!["a"; 195].join("+");
        assert!(
            parse(&sum)
                .unwrap_err()
                .to_string()
                .contains("含 194 个运算符（上限 24）")
        );
        let long = format!("CASE WHEN a = 1 THEN 1 {} END", "ELSE 0 ".repeat(300_000));
        let e = parse(&long).unwrap_err().to_string();
        assert!(e.contains("过长：") && e.contains('…') && e.len() < 400, "{e}");
        let nested = format!("{}x{}", "abs(".repeat(17), ")".repeat(17));
        assert!(parse(&nested).unwrap_err().to_string().contains("嵌套 17 层"));
    }

    #[test]
    fn a_sum_at_the_limit_still_parses_and_evaluates_on_a_test_thread() {
        // Test threads have 2 MB stacks, like polars' workers.
        let sum = vec!["a"; MAX_OPERATORS + 1].join(" + ");
        let frame = df!("a" => [1.0f64, 2.0]).unwrap();
        let out = evaluate(&frame, &[named(&sum)]).unwrap();
        assert_eq!(floats(&out, "x").unwrap(), vec![Some(25.0), Some(50.0)]);
    }

    #[test]
    fn integer_overflow_becomes_an_invalid_result() {
        let frame = df!("a" => [1i64, 2]).unwrap();
        let out = evaluate(&frame, &[named("power(10, 400) + a")]).unwrap();
        assert_eq!(floats(&out, "x").unwrap(), vec![None, None]);
        let out = evaluate(&frame, &[named("a * 9000000000000000000 * 10")]).unwrap();
        assert_eq!(floats(&out, "x").unwrap(), vec![Some(9e19), Some(1.8e20)]);
    }

    #[test]
    fn type_errors_name_the_expression_in_chinese() {
        let frame = df!("name" => ["甲项目", "乙项目"], "a" => [1.0f64, 2.0]).unwrap();
        let items = [named("a"), named("CAST(name AS DOUBLE)")];
        let items = [
            Named {
                column: "y".into(),
                ..named("a")
            },
            Named {
                label: "指标 bad 的 expr".into(),
                ..named(&items[1].text)
            },
        ];
        let e = evaluate(&frame, &items).unwrap_err().to_string();
        assert!(
            e.starts_with("指标 bad 的 expr“CAST(name AS DOUBLE)”无法计算：文本字段不能当作数值计算"),
            "{e}"
        );
    }
}
