//! Read one project's field values from the metrics table, for display.

use super::text::fmt_num;
use crate::fields::FieldDict;
use polars::prelude::{AnyValue, DataFrame};
use std::collections::HashMap;

/// The project-level field table (ingest + metrics), indexed by project id.
pub struct FieldTable<'a> {
    frame: &'a DataFrame,
    rows: HashMap<String, usize>,
}

/// A field value as the report shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    Number(f64),
    Text(String),
    Flag(bool),
}

impl<'a> FieldTable<'a> {
    pub fn new(frame: &'a DataFrame) -> Self {
        let rows = frame
            .column("project_id")
            .ok()
            .and_then(|c| c.str().ok().cloned())
            .map(|ids| {
                ids.iter()
                    .enumerate()
                    .filter_map(|(i, id)| id.map(|s| (s.to_string(), i)))
                    .collect()
            })
            .unwrap_or_default();
        Self { frame, rows }
    }

    /// Column names in table order.
    pub fn columns(&self) -> Vec<String> {
        self.frame.get_column_names().iter().map(|s| s.to_string()).collect()
    }

    /// The value of `field` for `project`, `None` when blank or unknown.
    pub fn get(&self, project: &str, field: &str) -> Option<Shown> {
        let row = *self.rows.get(project)?;
        let v = self.frame.column(field).ok()?.get(row).ok()?;
        match v {
            AnyValue::Null => None,
            AnyValue::Boolean(b) => Some(Shown::Flag(b)),
            AnyValue::String(s) => Some(Shown::Text(s.to_string())),
            AnyValue::StringOwned(s) => Some(Shown::Text(s.to_string())),
            AnyValue::Float64(x) => x.is_finite().then_some(Shown::Number(x)),
            AnyValue::Float32(x) => x.is_finite().then_some(Shown::Number(f64::from(x))),
            AnyValue::Int64(x) => Some(Shown::Number(x as f64)),
            AnyValue::Int32(x) => Some(Shown::Number(f64::from(x))),
            AnyValue::UInt32(x) => Some(Shown::Number(f64::from(x))),
            AnyValue::UInt64(x) => Some(Shown::Number(x as f64)),
            other => Some(Shown::Text(other.to_string())),
        }
    }

    /// A number field.
    pub fn num(&self, project: &str, field: &str) -> Option<f64> {
        match self.get(project, field)? {
            Shown::Number(x) => Some(x),
            _ => None,
        }
    }
}

/// A value with its unit, e.g. `1,200 亩` → `1200 亩`, `0.95` of a % field → `95%`.
pub fn display(dict: &FieldDict, field: &str, v: &Shown) -> String {
    let unit = dict
        .field(field)
        .and_then(|f| f.unit.clone())
        .or_else(|| dict.derived(field).and_then(|d| d.unit.clone()));
    match (v, unit.as_deref()) {
        (Shown::Flag(b), _) => if *b { "是" } else { "否" }.into(),
        (Shown::Text(s), _) => s.clone(),
        (Shown::Number(x), Some("%")) => format!("{}%", fmt_num(x * 100.0, 1)),
        (Shown::Number(x), Some(u)) => format!("{} {u}", fmt_num(*x, 2)),
        (Shown::Number(x), None) => fmt_num(*x, 4),
    }
}

/// `名称：值` for a field of a project, `名称：未填写` when blank.
pub fn labelled(dict: &FieldDict, table: &FieldTable, project: &str, field: &str) -> String {
    let name = dict.label(field).unwrap_or(field);
    match table.get(project, field) {
        Some(v) => format!("{name} {}", display(dict, field, &v)),
        None => format!("{name} 未填写"),
    }
}

/// The raw input fields an expression's fields rest on (derived fields are
/// expanded through their `from` lists; detail-sheet ids are dropped).
pub fn input_fields(dict: &FieldDict, fields: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut stack: Vec<String> = fields.into_iter().collect();
    stack.reverse();
    while let Some(f) = stack.pop() {
        if let Some(d) = dict.derived(&f) {
            stack.extend(d.from.iter().rev().cloned());
        } else if dict.field(&f).is_some() && !out.contains(&f) {
            out.push(f);
        }
    }
    out
}
