//! Ingest: spreadsheets → typed polars frames, value origins and a data-quality log.
//!
//! Reads any number of workbooks (xlsx, xls, xlsb, ods) in the canonical
//! layout of `landeval template`, recognising sheets and headers through the
//! field dictionary. Nothing is dropped silently: every skipped row and every
//! unreadable cell is logged with its file, sheet and cell.

pub mod cell;
pub mod header;
pub mod log;

use crate::fields::{FieldDef, FieldDict, FieldType, PROJECT_ID, unit_factor};
use anyhow::{Context, Result};
use calamine::{Data, Range, Reader, open_workbook_auto_from_rs};
use cell::{Read, Value};
pub use log::{Finding, Origin, QualityLog, Severity, SheetTally};
use polars::prelude::{Column, DataFrame, NamedFrom, Series};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;
use std::path::Path;

/// An input file's bytes and the name shown in messages.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub data: Vec<u8>,
}

impl Source {
    /// Read a file from disk (inputs are only read, never written).
    pub fn from_path(path: &Path) -> Result<Self> {
        let data = std::fs::read(path).with_context(|| format!("无法读取文件 {}", path.display()))?;
        let name = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        Ok(Self { name, data })
    }
}

/// Identity of an input, for the reproducibility stamp.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InputFile {
    pub name: String,
    pub sha256: String,
    pub bytes: usize,
}

/// Where every project value and detail row came from.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// (project id, field id) → cell.
    pub cells: HashMap<(String, String), Origin>,
    /// (sheet id, project id) → the rows of a detail sheet.
    pub rows: HashMap<(String, String), Vec<Origin>>,
}

impl Origins {
    pub fn cell(&self, project: &str, field: &str) -> Option<&Origin> {
        self.cells.get(&(project.to_string(), field.to_string()))
    }
}

/// Everything read from the inputs.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// One row per project: `project_id` and every per-project field, typed.
    pub projects: DataFrame,
    /// One row per fund line (资金台账).
    pub funds: DataFrame,
    /// One row per farmland patch (图斑明细).
    pub patches: DataFrame,
    /// One row per project and land-use class (土地利用结构).
    pub landuse: DataFrame,
    pub origins: Origins,
    pub log: QualityLog,
    pub inputs: Vec<InputFile>,
    /// Every text cell read, with its origin (for the font-coverage check).
    pub texts: Vec<(Origin, String)>,
}

/// A data row of a sheet: field → (value, origin).
#[derive(Debug, Clone)]
struct RawRow {
    project: String,
    key_origin: Origin,
    values: BTreeMap<String, (Value, Origin)>,
}

/// Rows of all files, by sheet id, in input order.
#[derive(Default)]
struct Collected {
    rows: BTreeMap<String, Vec<RawRow>>,
    texts: Vec<(Origin, String)>,
}

/// Read all sources into a dataset.
pub fn ingest(sources: &[Source], dict: &FieldDict) -> Dataset {
    let mut log = QualityLog::default();
    let mut collected = Collected::default();
    let mut inputs = Vec::new();
    for src in sources {
        inputs.push(InputFile {
            name: src.name.clone(),
            sha256: hex(&Sha256::digest(&src.data)),
            bytes: src.data.len(),
        });
        read_workbook(src, dict, &mut collected, &mut log);
    }
    assemble(collected, dict, log, inputs)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn read_workbook(src: &Source, dict: &FieldDict, out: &mut Collected, log: &mut QualityLog) {
    let file_origin = Origin::new(&src.name, "", String::new());
    let mut wb = match open_workbook_auto_from_rs(Cursor::new(src.data.clone())) {
        Ok(wb) => wb,
        Err(e) => {
            log.error(
                file_origin,
                "",
                format!("无法打开工作簿（支持 xlsx、xls、xlsb、ods）：{e}"),
            );
            return;
        }
    };
    let mut seen = Vec::new();
    for name in wb.sheet_names() {
        let Some(sheet_id) = header::match_sheet(dict, &name) else {
            if name != "填表说明" {
                log.info(
                    Origin::new(&src.name, &name, String::new()),
                    "",
                    "未识别的工作表，已忽略".into(),
                );
            }
            continue;
        };
        match wb.worksheet_range(&name) {
            Ok(range) => {
                seen.push(sheet_id.to_string());
                read_sheet(&src.name, &name, sheet_id, &range, dict, out, log);
            }
            Err(e) => log.error(
                Origin::new(&src.name, &name, String::new()),
                "",
                format!("无法读取工作表：{e}"),
            ),
        }
    }
    for s in dict.sheets.iter().filter(|s| s.required && !seen.contains(&s.id)) {
        log.warn(
            file_origin.clone(),
            "",
            format!("缺少工作表“{}”，该表的指标按缺失处理", s.name),
        );
    }
}

/// Rows scanned for the header.
const HEADER_SCAN_ROWS: usize = 20;

fn read_sheet(
    file: &str,
    sheet_name: &str,
    sheet_id: &str,
    range: &Range<Data>,
    dict: &FieldDict,
    out: &mut Collected,
    log: &mut QualityLog,
) {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let at = |r: usize, c: usize| Origin::new(file, sheet_name, log::a1(r0 + r as u32, c0 + c as u32));
    let rows: Vec<&[Data]> = range.rows().collect();
    let Some((header_row, columns)) = find_header(&rows, dict, sheet_id) else {
        if !rows.is_empty() {
            log.error(
                Origin::new(file, sheet_name, String::new()),
                "",
                format!("未找到表头：前 {HEADER_SCAN_ROWS} 行中没有包含“项目编号”等列名的行"),
            );
        }
        return;
    };
    note_columns(rows[header_row], &columns, dict, |c| at(header_row, c), log);
    let key_col = columns
        .iter()
        .position(|m| m.as_ref().is_some_and(|m| m.field == PROJECT_ID));
    let mut tally = SheetTally {
        file: file.into(),
        sheet: sheet_name.into(),
        ..Default::default()
    };
    for (i, row) in rows.iter().enumerate().skip(header_row + 1) {
        if row
            .iter()
            .all(|d| matches!(d, Data::Empty) || cell::raw_text(d).trim().is_empty())
        {
            continue;
        }
        tally.rows_read += 1;
        if let Some(reason) = skip_reason(row) {
            tally.rows_skipped += 1;
            log.info(at(i, 0), &first_text(row), reason);
            continue;
        }
        let key_c = key_col.unwrap_or(0);
        let project = match row.get(key_c).map(cell::read_text) {
            Some(Read::Value(Value::Text(t))) => t,
            _ => {
                tally.rows_skipped += 1;
                log.error(at(i, key_c), "", "该行有数据但缺少项目编号，整行未导入".into());
                continue;
            }
        };
        let mut values = BTreeMap::new();
        for (c, m) in columns.iter().enumerate() {
            let (Some(m), Some(d)) = (m, row.get(c)) else { continue };
            if m.field == PROJECT_ID {
                continue;
            }
            let field = dict.field(&m.field).expect("matched field exists");
            let origin = at(i, c);
            if let Data::String(s) = d {
                out.texts.push((origin.clone(), s.clone()));
            }
            if let Some(v) = read_field(field, m.unit.as_deref(), d, &origin, log) {
                values.insert(m.field.clone(), (v, origin));
            }
        }
        out.texts.push((at(i, key_c), project.clone()));
        tally.rows_used += 1;
        out.rows.entry(sheet_id.to_string()).or_default().push(RawRow {
            project,
            key_origin: at(i, key_c),
            values,
        });
    }
    log.tallies.push(tally);
}

/// The header row: the one among the first rows matching most fields,
/// which must include 项目编号.
fn find_header(rows: &[&[Data]], dict: &FieldDict, sheet: &str) -> Option<(usize, Vec<Option<header::HeaderMatch>>)> {
    rows.iter()
        .take(HEADER_SCAN_ROWS)
        .enumerate()
        .map(|(i, row)| {
            let m: Vec<_> = row
                .iter()
                .map(|d| match d {
                    Data::String(s) => header::match_header(dict, sheet, s),
                    _ => None,
                })
                .collect();
            (i, m)
        })
        .filter(|(_, m)| m.iter().flatten().any(|h| h.field == PROJECT_ID))
        .max_by_key(|(i, m)| (m.iter().flatten().count(), std::cmp::Reverse(*i)))
}

/// Log unknown columns, duplicate columns and unit conversions of a header row.
fn note_columns(
    row: &[Data],
    columns: &[Option<header::HeaderMatch>],
    dict: &FieldDict,
    at: impl Fn(usize) -> Origin,
    log: &mut QualityLog,
) {
    let mut seen: Vec<&str> = Vec::new();
    for (c, m) in columns.iter().enumerate() {
        let raw = row.get(c).map(cell::raw_text).unwrap_or_default();
        match m {
            None if !raw.trim().is_empty() => log.info(at(c), &raw, "未识别的列，已忽略".into()),
            None => {}
            Some(m) => {
                if seen.contains(&m.field.as_str()) {
                    log.error(at(c), &raw, "该列与前面的列对应同一字段，请删除重复列".into());
                }
                seen.push(&m.field);
                let f = dict.field(&m.field).expect("matched field exists");
                if let (Some(from), Some(to)) = (m.unit.as_deref(), f.unit.as_deref())
                    && from != to
                {
                    match unit_factor(from, to) {
                        Some(k) => log.info(
                            at(c),
                            &raw,
                            format!("单位换算：{from} → {to}（×{}）", cell::format_number(k)),
                        ),
                        None => log.warn(at(c), &raw, format!("表头单位“{from}”无法换算为“{to}”，按“{to}”读取")),
                    }
                }
            }
        }
    }
}

fn first_text(row: &[Data]) -> String {
    row.iter()
        .map(cell::raw_text)
        .find(|t| !t.trim().is_empty())
        .unwrap_or_default()
}

/// Subtotal, note and sign-off rows are skipped with their reason.
fn skip_reason(row: &[Data]) -> Option<String> {
    let t = header::normalize(&first_text(row));
    if ["合计", "小计", "总计"]
        .iter()
        .any(|k| t.starts_with(k) || t.ends_with(k))
    {
        return Some(format!("“{t}”为汇总行，不参与计算"));
    }
    if ["注:", "注", "说明", "填表人", "审核人", "填报日期", "日期:"]
        .iter()
        .any(|k| t.starts_with(k))
    {
        return Some("说明或签字行，不参与计算".into());
    }
    None
}

/// Read one cell as its field's type, converting units; logs problems.
fn read_field(
    f: &FieldDef,
    header_unit: Option<&str>,
    d: &Data,
    origin: &Origin,
    log: &mut QualityLog,
) -> Option<Value> {
    let raw = cell::raw_text(d);
    let read = match f.kind {
        FieldType::Number => {
            let (r, pct) = cell::read_number(d);
            match r {
                Read::Value(Value::Number(x)) => Read::Value(Value::Number(to_canonical(f, header_unit, x, pct))),
                other => other,
            }
        }
        FieldType::Text | FieldType::List => cell::read_text(d),
        FieldType::Bool => cell::read_bool(d),
        FieldType::Date => cell::read_date(d),
        FieldType::Enum => match cell::read_text(d) {
            Read::Value(Value::Text(t)) if !f.values.contains(&t) => {
                Read::Invalid(format!("“{t}”不是可选值，应为：{}", f.values.join("、")))
            }
            other => other,
        },
    };
    match read {
        Read::Value(v) => Some(v),
        Read::Missing => None,
        Read::Invalid(why) => {
            log.error(origin.clone(), &raw, format!("“{}”{}", f.name, why));
            None
        }
    }
}

/// Convert to the field's canonical unit; percent fields become fractions.
fn to_canonical(f: &FieldDef, header_unit: Option<&str>, x: f64, had_pct_sign: bool) -> f64 {
    if f.is_percent() {
        let k = header_unit.and_then(|u| unit_factor(u, "%")).unwrap_or(1.0);
        return x * k / 100.0;
    }
    let x = if had_pct_sign { x / 100.0 } else { x };
    match (header_unit, f.unit.as_deref()) {
        (Some(from), Some(to)) => x * unit_factor(from, to).unwrap_or(1.0),
        _ => x,
    }
}

/// Join sheets into frames: ledger rows define the projects.
fn assemble(collected: Collected, dict: &FieldDict, mut log: QualityLog, inputs: Vec<InputFile>) -> Dataset {
    let mut origins = Origins::default();
    let mut order: Vec<String> = Vec::new();
    let mut values: HashMap<String, BTreeMap<String, Value>> = HashMap::new();
    let mut first_seen: HashMap<String, Origin> = HashMap::new();
    let empty = Vec::new();

    for row in collected.rows.get("ledger").unwrap_or(&empty) {
        if let Some(prev) = first_seen.get(&row.project) {
            log.error(
                row.key_origin.clone(),
                &row.project,
                format!("项目编号“{}”重复：已在 {prev} 出现，请核对后只保留一行", row.project),
            );
            continue;
        }
        first_seen.insert(row.project.clone(), row.key_origin.clone());
        order.push(row.project.clone());
        values.insert(row.project.clone(), BTreeMap::new());
        origins
            .cells
            .insert((row.project.clone(), PROJECT_ID.into()), row.key_origin.clone());
    }
    if order.is_empty() {
        log.error(
            Origin::default(),
            "",
            "输入中没有找到任何项目（“项目台账”工作表为空或缺失）".into(),
        );
    }

    let mut detail: BTreeMap<&str, Vec<&RawRow>> = BTreeMap::new();
    for sheet in &dict.sheets {
        let rows = collected.rows.get(&sheet.id).unwrap_or(&empty);
        let mut seen_here: HashMap<&str, &Origin> = HashMap::new();
        for row in rows {
            let Some(project_values) = values.get_mut(&row.project) else {
                log.error(
                    row.key_origin.clone(),
                    &row.project,
                    format!("项目编号“{}”未在任何“项目台账”中登记，该行未导入", row.project),
                );
                continue;
            };
            if !sheet.per_project {
                origins
                    .rows
                    .entry((sheet.id.clone(), row.project.clone()))
                    .or_default()
                    .push(row.key_origin.clone());
                detail.entry(sheet.id.as_str()).or_default().push(row);
                continue;
            }
            if sheet.id != "ledger" {
                if let Some(prev) = seen_here.get(row.project.as_str()) {
                    log.error(
                        row.key_origin.clone(),
                        &row.project,
                        format!(
                            "项目编号“{}”在“{}”中重复：已在 {prev} 出现，该行未导入",
                            row.project, sheet.name
                        ),
                    );
                    continue;
                }
                seen_here.insert(&row.project, &row.key_origin);
            }
            for (field, (v, o)) in &row.values {
                project_values.insert(field.clone(), v.clone());
                origins.cells.insert((row.project.clone(), field.clone()), o.clone());
            }
        }
        if sheet.per_project && sheet.required && sheet.id != "ledger" {
            for p in order.iter().filter(|p| !seen_here.contains_key(p.as_str())) {
                let o = first_seen.get(p).cloned().unwrap_or_default();
                log.warn(
                    o,
                    p,
                    format!("项目“{p}”在“{}”工作表中没有数据行，相关指标按缺失处理", sheet.name),
                );
            }
        }
    }

    let projects = project_frame(dict, &order, &values);
    let frame_of = |sheet: &str| detail_frame(dict, sheet, detail.get(sheet).map_or(&[][..], Vec::as_slice));
    Dataset {
        projects,
        funds: frame_of("funds"),
        patches: frame_of("patches"),
        landuse: frame_of("landuse"),
        origins,
        log,
        inputs,
        texts: collected.texts,
    }
}

fn project_frame(dict: &FieldDict, order: &[String], values: &HashMap<String, BTreeMap<String, Value>>) -> DataFrame {
    let mut cols = vec![Column::new(PROJECT_ID.into(), order.to_vec())];
    for f in dict.project_fields().filter(|f| f.id != PROJECT_ID) {
        let cells: Vec<Option<&Value>> = order.iter().map(|p| values.get(p).and_then(|m| m.get(&f.id))).collect();
        cols.push(typed_column(f, &cells));
    }
    DataFrame::new(order.len(), cols).expect("columns have equal length")
}

fn detail_frame(dict: &FieldDict, sheet: &str, rows: &[&RawRow]) -> DataFrame {
    let mut cols = vec![Column::new(
        PROJECT_ID.into(),
        rows.iter().map(|r| r.project.clone()).collect::<Vec<_>>(),
    )];
    for f in dict.sheet_fields(sheet).into_iter().filter(|f| f.id != PROJECT_ID) {
        let cells: Vec<Option<&Value>> = rows.iter().map(|r| r.values.get(&f.id).map(|(v, _)| v)).collect();
        cols.push(typed_column(f, &cells));
    }
    DataFrame::new(rows.len(), cols).expect("columns have equal length")
}

/// A column of the field's polars type: Float64, Boolean or String.
fn typed_column(f: &FieldDef, cells: &[Option<&Value>]) -> Column {
    let name = f.id.as_str().into();
    let series = match f.kind {
        FieldType::Number => Series::new(
            name,
            cells
                .iter()
                .map(|v| match v {
                    Some(Value::Number(x)) => Some(*x),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        ),
        FieldType::Bool => Series::new(
            name,
            cells
                .iter()
                .map(|v| match v {
                    Some(Value::Bool(b)) => Some(*b),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        ),
        _ => Series::new(
            name,
            cells
                .iter()
                .map(|v| match v {
                    Some(Value::Text(s) | Value::Date(s)) => Some(s.clone()),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        ),
    };
    series.into()
}
