//! Ingest: spreadsheets → typed polars frames, value origins and a data-quality log.
//!
//! Reads any number of workbooks (xlsx, xls, xlsb, ods) in the canonical
//! layout of `landeval template`, recognising sheets and headers through the
//! field dictionary; csv files hold one table each, and parquet files hold
//! 图斑明细 (see [`parquet`]). Nothing is dropped silently: every skipped row and every
//! unreadable cell is logged with its file, sheet and cell.

pub mod cell;
pub mod csv;
pub mod grid;
pub mod guard;
pub mod header;
pub mod ids;
pub mod layers;
pub mod limits;
pub mod log;
mod ods;
pub mod parquet;
pub mod plausible;
pub mod sheet;
pub mod source;
mod xls;
mod xlsx;

use crate::fields::{FieldDef, FieldDict, FieldType, PROJECT_ID};
use anyhow::Result;
use cell::Value;
pub use limits::Limits;
pub use log::{Finding, Origin, QualityLog, Severity, SheetTally};
use polars::prelude::{Column, DataFrame, NamedFrom, Series};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// An input file's bytes and the name shown in messages.
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub name: String,
    pub data: Vec<u8>,
    /// The files read with it: a Shapefile's `.shx`, `.dbf`, `.prj` and `.cpg`.
    pub siblings: Vec<Source>,
}

impl Source {
    /// A source with no siblings.
    pub fn new(name: impl Into<String>, data: Vec<u8>) -> Self {
        Self {
            name: name.into(),
            data,
            siblings: Vec::new(),
        }
    }

    /// Read a file from disk (inputs are only read, never written). A `.shp`
    /// brings the parts beside it; a FileGDB folder is kept by name only, so
    /// that ingest can say how to export it.
    pub fn from_path(path: &Path) -> Result<Self> {
        Self::read_path(path, &mut layers::shapefile::siblings_on_disk)
    }

    /// Read files as [`Source::from_path`] reads each (stopping at the first that cannot be
    /// read), listing each folder of Shapefiles once for all its `.shp` files.
    pub fn from_paths<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<Self>> {
        let mut folders = HashMap::new();
        paths
            .iter()
            .map(|p| {
                Self::read_path(p.as_ref(), &mut |shp| {
                    layers::shapefile::siblings_listed(shp, &mut folders)
                })
            })
            .collect()
    }

    fn read_path(path: &Path, siblings: &mut dyn FnMut(&Path) -> Vec<Source>) -> Result<Self> {
        let name = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        if is_geodatabase(path) {
            return Ok(Self::new(name, Vec::new()));
        }
        let data = std::fs::read(path).map_err(|e| anyhow::anyhow!(read_error(path, &e)))?;
        let mut src = Self::new(grid::visible(&name), data);
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("shp")) {
            src.siblings = siblings(path);
        }
        Ok(src)
    }
}

/// File extensions landeval reads (lower case): workbooks, csv and parquet
/// tables, and survey layers (a `.shp` brings its `.dbf`, `.shx`, `.prj` and
/// `.cpg`; an `.mdb` is read only to say how to export it).
pub const INPUT_EXTENSIONS: &[&str] = &[
    "xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "tsv", "parquet", "shp", "gpkg", "geojson", "mdb",
];

/// Whether a file name is an input landeval reads (by extension; Excel's
/// `~$` lock files are not).
pub fn is_input_file(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    !name.starts_with("~$") && ext.is_some_and(|e| INPUT_EXTENSIONS.contains(&e.as_str()))
}

/// Whether a folder is an ESRI FileGDB (`*.gdb`), an input of its own (it
/// is refused with a message saying how to export it) rather than a folder
/// of inputs.
pub fn is_geodatabase(path: &Path) -> bool {
    path.is_dir() && path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gdb"))
}

/// Why a file could not be read, in Chinese with the path and what to do
/// (the system's text follows in brackets).
pub fn read_error(path: &Path, e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let p = grid::visible(&path.display().to_string());
    let what = match e.kind() {
        K::NotFound => format!("找不到文件“{p}”：请检查路径和文件名是否正确（文件名中的空格需用引号括起）"),
        K::PermissionDenied => format!("没有读取文件“{p}”的权限：请检查文件权限，或先复制到自己的文件夹再读取"),
        K::IsADirectory => format!("“{p}”是文件夹而不是文件：请指定其中的工作簿文件"),
        K::InvalidFilename => format!("文件名“{p}”无效：请检查路径"),
        K::OutOfMemory => format!("读取文件“{p}”时内存不足：请拆分文件后重试"),
        _ if path.is_dir() => format!("“{p}”是文件夹而不是文件：请指定其中的工作簿文件"),
        _ => format!("无法读取文件“{p}”：请确认文件未被其他程序占用且磁盘可读"),
    };
    format!("{what}（{e}）")
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
    pub rows: HashMap<(String, String), DetailRows>,
    /// (project id, field id) → the unit conversion applied, e.g. `12.5 公顷 × 15 = 187.5 亩`.
    pub conversions: HashMap<(String, String), String>,
    /// (sheet id, project id) → the project's row on a per-project sheet,
    /// so that a blank cell can be named.
    pub project_rows: HashMap<(String, String), SheetRow>,
    /// (file, sheet name) → field id → 0-based column of that sheet.
    pub columns: HashMap<(String, String), BTreeMap<String, u32>>,
    /// (project id, field id) of the cells written “不涉及” (their origin is in `cells`).
    pub not_applicable: NotApplicable,
}

/// A data row of a sheet: its file, sheet and 0-based row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    pub file: String,
    pub sheet: String,
    pub row: u32,
}

/// Where the value of a blank project field would have to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlankCell {
    /// The cell to fill in.
    Cell(Origin),
    /// The project's row exists but its sheet has no column for the field.
    NoColumn { file: String, sheet: String },
    /// The project has no row on the field's sheet.
    NoRow,
}

/// Values marked “不涉及” (not applicable): (project id, field id).
/// Ingest records the cells so written; metrics adds the derived fields
/// computed only from such values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NotApplicable(std::collections::HashSet<(String, String)>);

impl NotApplicable {
    pub fn insert(&mut self, project: &str, field: &str) {
        self.0.insert((project.to_string(), field.to_string()));
    }

    pub fn contains(&self, project: &str, field: &str) -> bool {
        self.0.contains(&(project.to_string(), field.to_string()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Origins {
    pub fn cell(&self, project: &str, field: &str) -> Option<&Origin> {
        self.cells.get(&(project.to_string(), field.to_string()))
    }

    /// Where a blank value of a per-project field of `sheet` would go: the
    /// project's row on that sheet and the field's column in that file.
    pub fn blank_cell(&self, project: &str, sheet: &str, field: &str) -> BlankCell {
        let Some(at) = self.project_rows.get(&(sheet.to_string(), project.to_string())) else {
            return BlankCell::NoRow;
        };
        match self
            .columns
            .get(&(at.file.clone(), at.sheet.clone()))
            .and_then(|c| c.get(field))
        {
            Some(&col) => BlankCell::Cell(Origin::new(&at.file, &at.sheet, log::a1(at.row, col))),
            None => BlankCell::NoColumn {
                file: at.file.clone(),
                sheet: at.sheet.clone(),
            },
        }
    }

    /// The unit conversion applied to a project value, if any.
    pub fn conversion(&self, project: &str, field: &str) -> Option<&str> {
        self.conversions
            .get(&(project.to_string(), field.to_string()))
            .map(String::as_str)
    }
}

/// The rows of one detail sheet for one project, grouped by file and sheet
/// in reading order. Each group keeps its row count and the cells of its
/// first [`DetailRows::KEPT`] rows, so millions of patch rows cost no memory
/// per row.
#[derive(Debug, Clone, Default)]
pub struct DetailRows {
    pub groups: Vec<RowGroup>,
}

/// Consecutive rows from one file and sheet.
#[derive(Debug, Clone)]
pub struct RowGroup {
    pub file: String,
    pub sheet: String,
    /// The cells of the first rows (at most [`DetailRows::KEPT`]), e.g. `A5` or `第 1 行`.
    pub first: Vec<String>,
    pub count: usize,
}

impl DetailRows {
    /// Cells kept per group, for messages that name a row.
    pub const KEPT: usize = 200;
    /// Cells listed per group by `explain`.
    pub const SHOWN: usize = 10;

    /// Add a row; `cell` is called only while the group keeps fewer than
    /// [`Self::KEPT`] cells.
    pub fn push(&mut self, file: &str, sheet: &str, cell: impl FnOnce() -> String) {
        let group = match self.groups.last_mut() {
            Some(g) if g.file == file && g.sheet == sheet => g,
            _ => {
                self.groups.push(RowGroup {
                    file: file.to_string(),
                    sheet: sheet.to_string(),
                    first: Vec::new(),
                    count: 0,
                });
                self.groups.last_mut().expect("just pushed")
            }
        };
        if group.first.len() < Self::KEPT {
            group.first.push(cell());
        }
        group.count += 1;
    }

    /// Origin of the `i`-th row, if its cell is kept.
    pub fn get(&self, mut i: usize) -> Option<Origin> {
        for g in &self.groups {
            if i < g.count {
                return g.first.get(i).map(|c| Origin::new(&g.file, &g.sheet, c.clone()));
            }
            i -= g.count;
        }
        None
    }

    /// Rows in all groups.
    pub fn len(&self) -> usize {
        self.groups.iter().map(|g| g.count).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The file of the first row.
    pub fn first_file(&self) -> Option<&str> {
        self.groups.first().map(|g| g.file.as_str())
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
    /// Survey polygon layers (地类图斑, 永久基本农田, 生态保护红线, 整治区域), bound to projects.
    pub layers: layers::SpatialData,
    /// Columns not imported because their unit cannot be converted.
    pub unknown_units: Vec<UnknownUnit>,
}

/// A data row of a sheet: field → (value, origin).
#[derive(Debug, Clone)]
pub struct RawRow {
    pub project: String,
    pub key_origin: Origin,
    /// 0-based row on its sheet.
    pub row: u32,
    pub values: BTreeMap<String, (Value, Origin)>,
    /// Fields written “不涉及”, with their cells.
    pub not_applicable: BTreeMap<String, Origin>,
    /// Field → how its value was converted from the unit it was written in.
    pub conversions: BTreeMap<String, String>,
}

/// A column whose header names a unit that cannot be converted to its
/// field's unit (`整治前耕地面积（垧）`): the column was not imported. Kept as
/// data so that a model that reads the field can make it an error.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UnknownUnit {
    pub field: String,
    /// The unit as written.
    pub unit: String,
    /// The header cell.
    pub origin: Origin,
}

/// Rows of all files, by sheet id, in input order.
#[derive(Default)]
pub struct Collected {
    pub rows: BTreeMap<String, Vec<RawRow>>,
    pub texts: Vec<(Origin, String)>,
    /// 图斑明细 read from parquet files, in input order.
    pub tables: Vec<parquet::PatchTable>,
    /// Columns not imported for their unit.
    pub unknown_units: Vec<UnknownUnit>,
    /// (file, sheet name) → field id → 0-based column.
    pub columns: HashMap<(String, String), BTreeMap<String, u32>>,
}

impl Collected {
    /// Add what a later file's reading collected, as if it had been read into `self`.
    fn append(&mut self, later: Collected) {
        for (sheet, rows) in later.rows {
            self.rows.entry(sheet).or_default().extend(rows);
        }
        self.texts.extend(later.texts);
        self.tables.extend(later.tables);
        self.unknown_units.extend(later.unknown_units);
        self.columns.extend(later.columns);
    }
}

/// Read all sources into a dataset, with the default limits.
pub fn ingest(sources: &[Source], dict: &FieldDict) -> Dataset {
    ingest_with(sources, dict, &Limits::default())
}

/// Read all sources into a dataset within the given limits.
pub fn ingest_with(sources: &[Source], dict: &FieldDict, limits: &Limits) -> Dataset {
    let given: std::collections::HashSet<&str> = sources.iter().map(|s| s.name.as_str()).collect();
    // Files are read in parallel, each into rows and a log of its own; appended in input
    // order they are what reading the files one after another gives (reading a file only
    // adds to the rows and the log, never looks at what other files added).
    let read: Vec<(Vec<InputFile>, bool, Collected, QualityLog)> = sources
        .par_iter()
        .map(|src| {
            let mut log = QualityLog::default();
            let mut collected = Collected::default();
            // A sibling also given on its own is listed once.
            let siblings = src.siblings.iter().filter(|s| !given.contains(s.name.as_str()));
            let inputs = std::iter::once(src)
                .chain(siblings)
                .map(|s| InputFile {
                    name: s.name.clone(),
                    sha256: hex(&Sha256::digest(&s.data)),
                    bytes: s.data.len(),
                })
                .collect();
            // Layers are read later, bound to the ledger's projects.
            let layer = layers::is_layer_file(&src.name);
            if !layer && parquet::is_parquet(&src.name) {
                parquet::read_patches(src, dict, limits, &mut collected, &mut log);
            } else if !layer {
                read_workbook(src, dict, limits, &mut collected, &mut log);
            }
            (inputs, layer, collected, log)
        })
        .collect();
    let mut log = QualityLog::default();
    let mut collected = Collected::default();
    let mut inputs = Vec::new();
    let mut layer_sources = Vec::new();
    for (src, (files, layer, c, l)) in sources.iter().zip(read) {
        inputs.extend(files);
        if layer {
            layer_sources.push(src);
        }
        collected.append(c);
        log.findings.extend(l.findings);
        log.tallies.extend(l.tallies);
    }
    let manifest = layers::manifest_of(collected.rows.get("layer_manifest"));
    let mut ds = assemble(collected, dict, log, inputs);
    if !layer_sources.is_empty() {
        let known = ds
            .projects
            .column(PROJECT_ID)
            .ok()
            .and_then(|c| c.str().ok().map(|c| c.iter().flatten().map(str::to_string).collect()))
            .unwrap_or_default();
        ds.layers = layers::read_all(&layer_sources, &manifest, &known, &mut ds.log);
    }
    ds
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn read_workbook(src: &Source, dict: &FieldDict, limits: &Limits, out: &mut Collected, log: &mut QualityLog) {
    let file_origin = Origin::new(&src.name, "", String::new());
    let wanted = |name: &str| header::match_sheet(dict, name).is_some();
    let sheets = source::read_sheets(src, limits, &wanted, log);
    let mut seen = Vec::new();
    let is_workbook = !sheets.iter().any(|s| s.csv);
    for sg in &sheets {
        let sheet_id = match header::match_sheet(dict, &sg.name) {
            Some(id) => id,
            None if sg.csv => match guess_sheet(dict, &sg.grid.rows) {
                Some(id) => id,
                None => {
                    log.error(
                        file_origin.clone(),
                        "",
                        "无法判断该 csv 文件对应哪张表：请在文件名中写明表名（如“某县-图斑明细.csv”）".into(),
                    );
                    continue;
                }
            },
            None => {
                if sg.name != "填表说明" {
                    log.info(
                        Origin::new(&src.name, &sg.name, String::new()),
                        "",
                        "未识别的工作表，已忽略（工作表名应为填报模板中的表名）".into(),
                    );
                }
                continue;
            }
        };
        seen.push(sheet_id.to_string());
        let sheet_name = if sg.csv {
            dict.sheet(sheet_id).map_or(sg.name.as_str(), |s| s.name.as_str())
        } else {
            sg.name.as_str()
        };
        let ctx = sheet::SheetCtx {
            file: &src.name,
            sheet_name,
            sheet_id,
            dict,
        };
        sheet::read_sheet(&ctx, &sg.grid, out, log);
    }
    if is_workbook && !sheets.is_empty() {
        for s in dict.sheets.iter().filter(|s| s.required && !seen.contains(&s.id)) {
            log.warn(
                file_origin.clone(),
                "",
                format!("缺少工作表“{}”，该表的指标按缺失处理", s.name),
            );
        }
    }
}

/// The dictionary sheet whose header best matches a csv file's rows.
fn guess_sheet<'a>(dict: &'a FieldDict, rows: &[grid::Row]) -> Option<&'a str> {
    dict.sheets
        .iter()
        .filter_map(|s| sheet::find_header(rows, dict, &s.id).map(|h| (h.score(), s.id.as_str())))
        .filter(|(score, _)| *score >= 2)
        .max_by_key(|(score, _)| *score)
        .map(|(_, id)| id)
}

/// Join sheets into frames: ledger rows define the projects.
fn assemble(collected: Collected, dict: &FieldDict, mut log: QualityLog, inputs: Vec<InputFile>) -> Dataset {
    let mut origins = Origins {
        columns: collected.columns,
        ..Origins::default()
    };
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
                    format!(
                        "项目编号“{}”未在任何“项目台账”中登记，该行未导入{}",
                        row.project,
                        ids::odd_hint(&row.project)
                    ),
                );
                continue;
            };
            if !sheet.per_project {
                let key = &row.key_origin;
                origins
                    .rows
                    .entry((sheet.id.clone(), row.project.clone()))
                    .or_default()
                    .push(&key.file, &key.sheet, || key.cell.clone());
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
            origins.project_rows.insert(
                (sheet.id.clone(), row.project.clone()),
                SheetRow {
                    file: row.key_origin.file.clone(),
                    sheet: row.key_origin.sheet.clone(),
                    row: row.row,
                },
            );
            for (field, (v, o)) in &row.values {
                project_values.insert(field.clone(), v.clone());
                origins.cells.insert((row.project.clone(), field.clone()), o.clone());
            }
            for (field, o) in &row.not_applicable {
                origins.not_applicable.insert(&row.project, field);
                origins.cells.insert((row.project.clone(), field.clone()), o.clone());
            }
            for (field, note) in &row.conversions {
                origins
                    .conversions
                    .insert((row.project.clone(), field.clone()), note.clone());
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
    let mut patches = frame_of("patches");
    let known = |id: &str| values.contains_key(id);
    for table in collected.tables {
        let file = Origin::new(&table.file, "", String::new());
        if let Err(why) = parquet::attach(table, &known, &mut origins, &mut log)
            .and_then(|rows| patches.vstack_mut_owned(rows).map(|_| ()).map_err(|e| e.to_string()))
        {
            log.error(file, "", format!("图斑明细未能并入（{why}）"));
        }
    }
    Dataset {
        projects,
        funds: frame_of("funds"),
        patches,
        landuse: frame_of("landuse"),
        origins,
        log,
        inputs,
        texts: collected.texts,
        layers: layers::SpatialData::default(),
        unknown_units: collected.unknown_units,
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

#[cfg(test)]
mod detail_rows_tests {
    use super::DetailRows;

    #[test]
    fn rows_group_by_file_and_keep_their_cells() {
        let mut rows = DetailRows::default();
        for r in 5..8 {
            rows.push("甲县.xlsx", "资金台账", || format!("A{r}"));
        }
        rows.push("甲县-图斑明细.parquet", "图斑明细", || "第 1 行".into());
        // Three rows of the workbook, then one of the parquet file.
        assert_eq!(rows.len(), 4);
        assert_eq!(rows.groups.len(), 2);
        assert_eq!(rows.first_file(), Some("甲县.xlsx"));
        assert_eq!(rows.get(2).map(|o| o.cell), Some("A7".to_string()));
        let fourth = rows.get(3).expect("row 4");
        assert_eq!(
            (fourth.file.as_str(), fourth.cell.as_str()),
            ("甲县-图斑明细.parquet", "第 1 行")
        );
        assert!(rows.get(4).is_none());
    }
}
