//! View pieces more than one document shows: the reproducibility stamp,
//! a project's adjustments, where an indicator's data came from, a project's
//! files, the red-line checklist with the rule, the values and the cells it
//! read, and a project's farmland map.
//!
//! A shared layer: it imports no document.

use super::ReportInput;
use super::engine::VirtualFile;
use super::engine::map::{self, MapStyle, Panels};
use super::fields::{FieldTable, Shown, input_fields, labelled};
use super::text::{signed2, vocab};
use crate::fields::FieldDict;
use crate::ingest::Origins;
use crate::metrics::spatial::drawing::ProjectMap;
use crate::model::{Indicator, Model, Scale, Veto};
use crate::score::{ProjectScore, VetoCheck, expr};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A project's farmland map as a document places it.
#[derive(Serialize, Clone, Debug, Default)]
pub struct MapView {
    /// `整治前后耕地分布` (`整治后耕地分布` for the after panel alone).
    pub title: String,
    /// The SVG's path in the document (`/maps/….svg`); empty when the project has no map.
    pub file: String,
    /// Where the map comes from (under it); empty when there is no map.
    pub note: String,
    /// The line shown in place of the map; empty when there is one.
    pub missing: String,
    /// The line shown where a page leaves no room for the map; empty when there is no map.
    pub no_room: String,
}

/// The map view of project `id` showing `panels`.
pub fn map_view(input: &ReportInput, id: &str, panels: Panels) -> MapView {
    let title = match panels {
        Panels::Both => vocab::MAP_TITLE,
        Panels::After => vocab::MAP_AFTER_TITLE,
    }
    .to_string();
    match input.maps.get(id).filter(|m| map::drawable(m, panels)) {
        Some(_) => MapView {
            title: title.clone(),
            file: map::file_path(id, panels),
            note: vocab::MAP_NOTE.to_string(),
            missing: String::new(),
            no_room: vocab::MAP_NO_ROOM.to_string(),
        },
        None => MapView {
            title,
            file: String::new(),
            note: String::new(),
            missing: vocab::NO_MAP.to_string(),
            no_room: String::new(),
        },
    }
}

/// The SVG file of project `id`'s map drawn in `style`, served at the path
/// [`map_view`] gives; none when the project has no map to draw.
pub fn map_file(maps: &BTreeMap<String, ProjectMap>, id: &str, style: &MapStyle) -> Option<VirtualFile> {
    map_svg(maps, id, style).map(|(path, svg)| VirtualFile::new(path, svg))
}

/// [`map_file`] as (path, SVG text), for a page that inlines the SVG.
pub fn map_svg(maps: &BTreeMap<String, ProjectMap>, id: &str, style: &MapStyle) -> Option<(String, String)> {
    let m = maps.get(id).filter(|m| map::drawable(m, style.panels))?;
    Some((map::file_path(id, style.panels), map::render_svg(m, style)))
}

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

/// One red line of a project's checklist.
#[derive(Serialize)]
pub struct RedLine {
    pub name: String,
    /// The rule and its basis.
    pub rule: String,
    /// The project's values the rule reads, `名称 值；…`.
    pub values: String,
    /// The cells those values came from, `工作表!单元格；…` (empty when none was filled).
    pub cells: String,
    /// 未触碰 / 触碰（一票否决） / 待核实（数据缺失）.
    pub status: String,
    /// Checked and not breached.
    pub ok: bool,
}

/// The project's red-line checklist in the model's order: each rule with
/// the values it read and the cells they came from.
pub fn red_lines(input: &ReportInput, table: &FieldTable, p: &ProjectScore) -> Vec<RedLine> {
    p.vetoes
        .iter()
        .zip(&input.model.vetoes)
        .map(|(check, rule)| red_line(input, table, &p.id, check, rule))
        .collect()
}

fn red_line(input: &ReportInput, table: &FieldTable, project: &str, check: &VetoCheck, rule: &Veto) -> RedLine {
    let direct = expr::parse(&rule.when).map(|e| expr::fields_of(&e)).unwrap_or_default();
    // Derived values the rule reads directly (e.g. the PBF adjustment ratio), then the inputs behind them.
    let mut shown: Vec<String> = direct
        .iter()
        .filter(|f| input.dict.derived(f).is_some())
        .filter(|f| matches!(table.get(project, f), Some(Shown::Number(_))))
        .map(|f| labelled(input.dict, table, project, f))
        .collect();
    let inputs = input_fields(input.dict, direct);
    shown.extend(inputs.iter().map(|f| labelled(input.dict, table, project, f)));
    RedLine {
        name: rule.name.clone(),
        rule: rule.basis.clone(),
        values: shown.join("；"),
        cells: input_cells(&input.dataset.origins, project, &inputs),
        status: vocab::veto_status(check.status).into(),
        ok: !check.status.blocks(),
    }
}

/// `工作表!单元格` of each field the project filled, `；`-joined, in field order.
fn input_cells(origins: &Origins, project: &str, fields: &[String]) -> String {
    let mut out: Vec<String> = Vec::new();
    for f in fields {
        if let Some(o) = origins.cell(project, f) {
            let cell = format!("{}!{}", o.sheet, o.cell);
            if !out.contains(&cell) {
                out.push(cell);
            }
        }
    }
    out.join("；")
}

/// Mean, highest and lowest total over the eligible (not vetoed) projects:
/// the statistics every document states, since a vetoed project's computed
/// total is shown for transparency only.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EligibleStats {
    /// Number of eligible projects (at least 1).
    pub count: usize,
    pub mean: f64,
    pub max: f64,
    pub min: f64,
}

impl EligibleStats {
    /// The statistics of the eligible projects; `None` when all are vetoed.
    pub fn of(projects: &[ProjectScore]) -> Option<Self> {
        let totals: Vec<f64> = projects.iter().filter(|p| !p.vetoed).map(|p| p.total).collect();
        if totals.is_empty() {
            return None;
        }
        Some(Self {
            count: totals.len(),
            mean: totals.iter().sum::<f64>() / totals.len() as f64,
            max: totals.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            min: totals.iter().copied().fold(f64::INFINITY, f64::min),
        })
    }
}
