//! View pieces more than one document shows: the reproducibility stamp,
//! a project's adjustments, where an indicator's data came from, a project's files.
//!
//! A shared layer: it imports no document.

use super::ReportInput;
use super::text::signed2;
use crate::fields::FieldDict;
use crate::ingest::Origins;
use crate::model::{Indicator, Model, Scale};
use crate::score::{ProjectScore, expr};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// The reproducibility stamp: model, tool version, SHA-256 of every input.
#[derive(Serialize)]
pub struct Stamp {
    /// `id 版本 version`.
    pub model: String,
    /// `landeval x.y.z`.
    pub tool: String,
    pub inputs: Vec<InputRow>,
}

/// One input file of the stamp.
#[derive(Serialize)]
pub struct InputRow {
    pub name: String,
    pub sha256: String,
    /// `12345 字节`.
    pub size: String,
}

/// The stamp of a run.
pub fn stamp(input: &ReportInput) -> Stamp {
    Stamp {
        model: format!("{} 版本 {}", input.model.model.id, input.model.model.version),
        tool: tool_version(),
        inputs: input
            .dataset
            .inputs
            .iter()
            .map(|i| InputRow {
                name: i.name.clone(),
                sha256: i.sha256.clone(),
                size: format!("{} 字节", i.bytes),
            })
            .collect(),
    }
}

/// `landeval x.y.z`.
pub fn tool_version() -> String {
    format!("landeval {}", env!("CARGO_PKG_VERSION"))
}

/// A triggered bonus or deduction as shown.
#[derive(Serialize)]
pub struct AdjustmentRow {
    pub name: String,
    /// Signed points, e.g. `+2.00`.
    pub points: String,
}

/// The project's triggered adjustments, in the model's order of hits.
pub fn adjustments(model: &Model, p: &ProjectScore) -> Vec<AdjustmentRow> {
    p.adjustments
        .iter()
        .filter_map(|h| {
            model.adjustments.iter().find(|a| a.id == h.id).map(|a| AdjustmentRow {
                name: a.name.clone(),
                points: signed2(h.points),
            })
        })
        .collect()
}

/// Where the fields an indicator reads came from, shortest form
/// (`file sheet n 行` for detail sheets, `sheet!cell` for single values).
pub fn sources(dict: &FieldDict, origins: &Origins, project: &str, ind: &Indicator) -> String {
    let mut fields = expr::parse(&ind.expr).map(|e| expr::fields_of(&e)).unwrap_or_default();
    if let Scale::Plan { planned, .. } = &ind.scale
        && let Ok(e) = expr::parse(planned)
    {
        fields.extend(expr::fields_of(&e));
    }
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    let mut stack: Vec<String> = fields.into_iter().collect();
    while let Some(f) = stack.pop() {
        if let Some(d) = dict.derived(&f) {
            stack.extend(d.from.iter().cloned());
        } else if let Some(sheet) = dict.sheet(&f) {
            let rows = origins.rows.get(&(f.clone(), project.to_string()));
            let n = rows.map_or(0, |r| r.len());
            let file = rows.and_then(|r| r.first_file()).map(str::to_string);
            push(match file {
                Some(file) => format!("{file} {} {n} 行", sheet.name),
                None => format!("{}（无数据）", sheet.name),
            });
        } else if let Some(o) = origins.cell(project, &f) {
            push(format!("{}!{}", o.sheet, o.cell));
        }
    }
    out.sort();
    out.join("；")
}

/// The input files of every project, gathered in one pass over the origins
/// (a lookup per scorecard instead of a scan of every origin).
pub struct ProjectFiles<'a>(HashMap<&'a str, BTreeSet<&'a str>>);

impl<'a> ProjectFiles<'a> {
    /// Index every project's files.
    pub fn of(origins: &'a Origins) -> Self {
        let mut map: HashMap<&'a str, BTreeSet<&'a str>> = HashMap::new();
        for ((p, _), o) in &origins.cells {
            map.entry(p.as_str()).or_default().insert(o.file.as_str());
        }
        for ((_, p), rows) in &origins.rows {
            let files = map.entry(p.as_str()).or_default();
            files.extend(rows.groups.iter().map(|g| g.file.as_str()));
        }
        Self(map)
    }

    /// Distinct files any of a project's cells or rows came from, `、`-joined.
    pub fn get(&self, project: &str) -> String {
        self.0
            .get(project)
            .map(|files| files.iter().copied().collect::<Vec<_>>().join("、"))
            .unwrap_or_default()
    }
}
