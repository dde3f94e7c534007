//! 图斑明细 as a parquet file beside the workbooks.
//!
//! A `.parquet` input is read as the 图斑明细 table. Column names go through
//! the same header matching as sheets and csv files (Chinese names, aliases,
//! a unit in brackets such as `面积（公顷）`, converted once per column and
//! logged). The patch frame is built column by column on polars arrays, not
//! through the cell grid, so millions of rows read quickly. Row numbers are
//! the file's data rows counted from 1 (parquet has no header row); they name
//! each patch's origin (`第 N 行`) in messages and in `explain`. Row-level
//! problems are logged one by one for the first [`ROW_MESSAGES`] rows of each
//! kind and file, then summarised with their count.

use super::cell::{self, Read, Value};
use super::header::{self, HeaderMatch};
use super::limits::Limits;
use super::log::{Origin, QualityLog, Severity, SheetTally};
use super::plausible::{self, Verdict};
use super::sheet::convert;
use super::{Collected, DetailRows, Origins, Source};
use crate::fields::{FieldDef, FieldDict, FieldType, PROJECT_ID, unit_factor};
use polars::prelude::{
    BooleanChunked, ChunkApply, Column, DataFrame, DataType, Float64Chunked, IdxSize, IntoSeries, NamedFrom,
    NewChunkedArray, ParquetReader, SerReader, Series, StringChunked,
};
use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

/// Dictionary id of the table a parquet file holds.
pub const SHEET: &str = "patches";
/// Row-level messages logged one by one per kind and file; the rest are counted.
pub const ROW_MESSAGES: usize = 20;
/// Column of a [`PatchTable`] holding the file's data row (from 1).
pub const ROW: &str = "__row";

/// The 图斑明细 rows read from one parquet file.
#[derive(Debug, Clone)]
pub struct PatchTable {
    pub file: String,
    /// The table's name in messages (图斑明细).
    pub sheet: String,
    /// The 项目编号 column as named in the file.
    pub key_column: String,
    /// `project_id` and the 图斑明细 fields typed as in the patch frame, plus [`ROW`].
    pub frame: DataFrame,
}

/// Whether a file is read as parquet (by its extension).
pub fn is_parquet(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, e)| e.eq_ignore_ascii_case("parquet"))
}

/// Where a row of a parquet file is: its data row, counted from 1.
pub fn row_cell(row: u64) -> String {
    format!("第 {row} 行")
}

/// Origin of a row of a parquet file.
pub fn row_origin(file: &str, sheet: &str, row: u64) -> Origin {
    Origin::new(file, sheet, row_cell(row))
}

/// Origin of a value of a parquet file.
pub fn cell_origin(file: &str, sheet: &str, row: u64, column: &str) -> Origin {
    Origin::new(file, sheet, format!("第 {row} 行，列“{column}”"))
}

/// Read a parquet file as 图斑明细 into `out`; problems go to the log and
/// a refused file adds nothing.
pub fn read_patches(src: &Source, dict: &FieldDict, limits: &Limits, out: &mut Collected, log: &mut QualityLog) {
    let file = Origin::new(&src.name, "", String::new());
    let stem = src.name.rsplit_once('.').map_or(src.name.as_str(), |(s, _)| s);
    if let Some(id) = header::match_sheet(dict, stem)
        && id != SHEET
    {
        let name = dict.sheet(id).map_or(id, |s| s.name.as_str());
        log.error(
            file,
            "",
            format!("parquet 文件只能提供“图斑明细”，文件名指向“{name}”，未导入；该表请用工作簿或 csv 文件填报"),
        );
        return;
    }
    if let Err(why) = check_magic(&src.data) {
        log.error(file, "", format!("{why}，文件未导入"));
        return;
    }
    let ctx = Ctx {
        file: &src.name,
        sheet: dict.sheet(SHEET).map_or("图斑明细", |s| s.name.as_str()),
        dict,
    };
    let mut rows = RowLog::default();
    let read = super::guard::catch_quietly(|| read_table(&ctx, &src.data, limits, &mut rows, log));
    rows.finish(&ctx, log);
    match read {
        Ok(Ok(read)) => {
            out.texts.extend(read.texts);
            log.tallies.push(read.tally);
            out.tables.push(read.table);
        }
        Ok(Err(why)) => log.error(file, "", why),
        Err(_) => log.error(
            file,
            "",
            "parquet 文件内容损坏，读取时出错，文件未导入；请从原系统重新导出".into(),
        ),
    }
}

/// Why bytes are not a readable parquet file, judged by the `PAR1` marks.
fn check_magic(data: &[u8]) -> Result<(), String> {
    const MAGIC: &[u8] = b"PAR1";
    let head = data.starts_with(MAGIC);
    let tail = data.len() >= 12 && data.ends_with(MAGIC);
    if head && tail {
        return Ok(());
    }
    if head {
        return Err("parquet 文件不完整（文件尾缺少 PAR1 标记），可能在复制或下载时被截断；请重新导出".into());
    }
    if looks_like_text(data) {
        return Err("该文件不是 parquet 格式，内容是文本（像是改了扩展名的 csv 文件）；请把扩展名改为 .csv".into());
    }
    Err("该文件不是 parquet 格式（文件头缺少 PAR1 标记），可能已损坏或不是 parquet 文件".into())
}

/// Text (UTF-8 or GBK) with line breaks and no NUL bytes in its first 4 KiB.
fn looks_like_text(data: &[u8]) -> bool {
    let head = &data[..data.len().min(4096)];
    head.contains(&b'\n') && !head.contains(&0) && !super::csv::decode(head).0.contains('\u{FFFD}')
}

struct Ctx<'a> {
    file: &'a str,
    sheet: &'a str,
    dict: &'a FieldDict,
}

impl Ctx<'_> {
    fn at(&self, row: usize, column: &str) -> Origin {
        cell_origin(self.file, self.sheet, row as u64 + 1, column)
    }
    fn column(&self, column: &str) -> Origin {
        Origin::new(self.file, self.sheet, format!("列“{column}”"))
    }
}

/// Row-level findings: the first [`ROW_MESSAGES`] of each kind, then a count.
#[derive(Default)]
struct RowLog {
    /// (severity, kind) → (rows logged, rows not logged).
    counts: BTreeMap<(Severity, String), (usize, usize)>,
}

impl RowLog {
    fn push(
        &mut self,
        log: &mut QualityLog,
        severity: Severity,
        kind: &str,
        origin: Origin,
        raw: &str,
        message: String,
    ) {
        let c = self.counts.entry((severity, kind.to_string())).or_default();
        if c.0 < ROW_MESSAGES {
            c.0 += 1;
            log.push(severity, origin, raw, message);
        } else {
            c.1 += 1;
        }
    }

    fn finish(&self, ctx: &Ctx, log: &mut QualityLog) {
        for ((severity, kind), (shown, more)) in &self.counts {
            if *more > 0 {
                log.push(
                    *severity,
                    Origin::new(ctx.file, ctx.sheet, String::new()),
                    "",
                    format!(
                        "{kind}：除以上 {shown} 行外，另有 {more} 行同样的问题未逐行列出（共 {} 行）",
                        shown + more
                    ),
                );
            }
        }
    }
}

/// A recognised column of the file.
struct Col<'a> {
    name: String,
    field: &'a FieldDef,
    /// Factor to the field's unit (1 when none).
    factor: f64,
}

struct FileRead {
    table: PatchTable,
    tally: SheetTally,
    texts: Vec<(Origin, String)>,
}

fn read_table(
    ctx: &Ctx,
    data: &[u8],
    limits: &Limits,
    rows: &mut RowLog,
    log: &mut QualityLog,
) -> Result<FileRead, String> {
    let corrupt = |e: polars::prelude::PolarsError| {
        format!("parquet 文件已损坏，无法读取（{e}），文件未导入；请从原系统重新导出")
    };
    let mut reader = ParquetReader::new(Cursor::new(data));
    let meta = reader.get_metadata().map_err(corrupt)?;
    let n = meta.num_rows;
    if n > limits.max_rows {
        return Err(format!(
            "parquet 文件有 {n} 行，超过行数上限 {} 行（可用 --max-rows 调整），已拒绝读取；请拆分文件或调整上限",
            limits.max_rows
        ));
    }
    let unzipped: u64 = meta.row_groups.iter().map(|g| g.total_byte_size() as u64).sum();
    if unzipped > limits.max_unzipped_bytes {
        return Err(format!(
            "parquet 文件解压后大小 {} MB 超过上限 {} MB（可用 --max-unzipped-mb 调整上限），已拒绝读取",
            unzipped / (1024 * 1024),
            limits.max_unzipped_bytes / (1024 * 1024)
        ));
    }
    let schema = reader.schema().map_err(corrupt)?;
    if schema.len() > limits.max_cols {
        return Err(format!(
            "parquet 文件有 {} 列，超过列数上限 {} 列（可用 --max-cols 调整），已拒绝读取",
            schema.len(),
            limits.max_cols
        ));
    }
    let names: Vec<String> = schema.iter_names().map(ToString::to_string).collect();
    let cols = match_columns(ctx, &names, log);
    let missing: Vec<&str> = ctx
        .dict
        .sheet_fields(SHEET)
        .into_iter()
        .filter(|f| (f.required || f.id == PROJECT_ID) && !cols.iter().any(|c| c.field.id == f.id))
        .map(|f| f.name.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "parquet 文件缺少必需的列“{}”，文件未导入；图斑明细应包含列：{}（现有列：{}）",
            missing.join("”“"),
            required_names(ctx.dict).join("、"),
            names.join("、")
        ));
    }
    let df = reader
        .with_columns(Some(cols.iter().map(|c| c.name.clone()).collect()))
        .finish()
        .map_err(corrupt)?;
    build(ctx, &cols, &df, rows, log)
}

fn required_names(dict: &FieldDict) -> Vec<&str> {
    dict.sheet_fields(SHEET)
        .into_iter()
        .filter(|f| f.required || f.id == PROJECT_ID)
        .map(|f| f.name.as_str())
        .collect()
}

/// Match column names to 图斑明细 fields, with units; unknown and duplicate columns logged.
fn match_columns<'a>(ctx: &Ctx<'a>, names: &[String], log: &mut QualityLog) -> Vec<Col<'a>> {
    let mut out: Vec<Col<'a>> = Vec::new();
    for name in names {
        let m = header::match_header(ctx.dict, SHEET, name);
        let Some((m, f)) = m.and_then(|m| ctx.dict.field(&m.field).map(|f| (m, f))) else {
            log.info(
                ctx.column(name),
                name,
                "未识别的列，已忽略（如需导入，请改用填报模板中的列名）".into(),
            );
            continue;
        };
        if out.iter().any(|c| c.field.id == f.id) {
            log.error(
                ctx.column(name),
                name,
                "该列与前面的列对应同一字段，已忽略；请删除重复列".into(),
            );
            continue;
        }
        let factor = column_factor(ctx, f, &m, name, log);
        out.push(Col {
            name: name.clone(),
            field: f,
            factor,
        });
    }
    out
}

/// The factor from the unit named in the column to the field's unit, logged once.
fn column_factor(ctx: &Ctx, f: &FieldDef, m: &HeaderMatch, name: &str, log: &mut QualityLog) -> f64 {
    let (Some(from), Some(to)) = (m.unit.as_deref(), f.unit.as_deref()) else {
        return 1.0;
    };
    if f.kind != FieldType::Number || from == to {
        return 1.0;
    }
    match unit_factor(from, to) {
        Some(k) => {
            log.info(
                ctx.column(name),
                name,
                format!(
                    "单位换算：“{}”按表头以“{from}”填写，已换算为“{to}”（×{}）",
                    f.name,
                    cell::format_number(k)
                ),
            );
            k
        }
        None => {
            log.warn(
                ctx.column(name),
                name,
                format!("表头单位“{from}”无法换算为“{to}”，按“{to}”读取；请核对该列数值的单位"),
            );
            1.0
        }
    }
}

/// Whether each row has a value in a column (text of blanks counts as none).
fn present(s: &Series) -> Vec<bool> {
    match s.str() {
        Ok(ca) => ca.iter().map(|v| v.is_some_and(|t| !t.trim().is_empty())).collect(),
        Err(_) => s.is_not_null().iter().map(|v| v.unwrap_or(false)).collect(),
    }
}

/// Build the typed patch frame of one file.
fn build(ctx: &Ctx, cols: &[Col], df: &DataFrame, rows: &mut RowLog, log: &mut QualityLog) -> Result<FileRead, String> {
    let n = df.height();
    let mut nonblank = vec![false; n];
    let mut typed: HashMap<&str, Series> = HashMap::new();
    let mut texts = Vec::new();
    // Required number columns: which rows have a value.
    let mut required: Vec<(&Col, Vec<bool>)> = Vec::new();
    for c in cols {
        let s = df
            .column(&c.name)
            .map_err(|e| format!("parquet 文件读取列“{}”失败（{e}）", c.name))?
            .as_materialized_series();
        let here = present(s);
        for (b, p) in nonblank.iter_mut().zip(&here) {
            *b |= p;
        }
        if c.field.required && c.field.kind == FieldType::Number {
            required.push((c, here));
        }
        let series = match c.field.kind {
            FieldType::Number => number_column(ctx, c, s, rows, log)?.into_series(),
            _ => {
                let t = visible_column(ctx, c, text_column(c, s)?, rows, log);
                collect_texts(ctx, c, &t, &mut texts);
                let t = if c.field.kind == FieldType::Enum {
                    enum_column(ctx, c, &t, rows, log)
                } else if c.field.id == PROJECT_ID {
                    id_column(ctx, c, &t, rows, log)
                } else {
                    t
                };
                t.into_series()
            }
        };
        typed.insert(c.field.id.as_str(), series.with_name(c.field.id.as_str().into()));
    }
    let key_column = cols
        .iter()
        .find(|c| c.field.id == PROJECT_ID)
        .map_or(String::new(), |c| c.name.clone());
    let key = typed.get(PROJECT_ID).and_then(|s| s.str().ok().cloned());
    let mut keep = Vec::with_capacity(n);
    let mut tally = SheetTally {
        file: ctx.file.into(),
        sheet: ctx.sheet.into(),
        ..Default::default()
    };
    for (i, blank) in nonblank.iter().map(|b| !b).enumerate() {
        let has_key = key.as_ref().is_some_and(|k| k.get(i).is_some());
        keep.push(has_key);
        if blank {
            continue;
        }
        tally.rows_read += 1;
        if has_key {
            tally.rows_used += 1;
            for (c, _) in required.iter().filter(|(_, here)| !here[i]) {
                rows.push(
                    log,
                    Severity::Warning,
                    &format!("“{}”为空", c.field.name),
                    ctx.at(i, &c.name),
                    "",
                    format!("“{}”为空，该图斑未计入耕地破碎度指标；请补填", c.field.name),
                );
            }
        } else {
            tally.rows_skipped += 1;
            rows.push(
                log,
                Severity::Error,
                "缺少项目编号",
                ctx.at(i, &key_column),
                "",
                "该行有数据但缺少项目编号，整行未导入；请补填项目编号".into(),
            );
        }
    }
    let mut columns: Vec<Column> = Vec::new();
    for f in ctx.dict.sheet_fields(SHEET) {
        let s = typed.remove(f.id.as_str()).unwrap_or_else(|| {
            let name = f.id.as_str().into();
            match f.kind {
                FieldType::Number => Series::full_null(name, n, &DataType::Float64),
                FieldType::Bool => Series::full_null(name, n, &DataType::Boolean),
                _ => Series::full_null(name, n, &DataType::String),
            }
        });
        columns.push(s.into());
    }
    let row_numbers: Vec<IdxSize> = (1..=n as IdxSize).collect();
    columns.push(Series::new(ROW.into(), row_numbers).into());
    let frame = DataFrame::new(n, columns)
        .and_then(|df| df.filter(&BooleanChunked::from_slice("keep".into(), &keep)))
        .map_err(|e| format!("parquet 文件整理图斑明细失败（{e}）"))?;
    Ok(FileRead {
        table: PatchTable {
            file: ctx.file.into(),
            sheet: ctx.sheet.into(),
            key_column,
            frame,
        },
        tally,
        texts,
    })
}

/// A text column: strings trimmed (blank → missing), floats without a
/// spurious `.0`, integers, dates and other flat types cast to text.
fn text_column(c: &Col, s: &Series) -> Result<StringChunked, String> {
    let name = || c.field.id.as_str().into();
    let dt = s.dtype();
    let trim = |ca: &StringChunked| {
        let trimmed = ca.iter().map(|v| v.map(str::trim).filter(|t| !t.is_empty()));
        StringChunked::from_iter_options(name(), trimmed)
    };
    if let Ok(ca) = s.str() {
        return Ok(trim(ca));
    }
    if dt.is_float() {
        let f = s.cast(&DataType::Float64).map_err(|_| wrong_type(c, dt, "文本"))?;
        let f = f.f64().map_err(|_| wrong_type(c, dt, "文本"))?;
        return Ok(StringChunked::from_iter_options(
            name(),
            f.iter().map(|v| v.filter(|x| x.is_finite()).map(cell::format_number)),
        ));
    }
    if dt.is_nested() {
        return Err(wrong_type(c, dt, "文本"));
    }
    let t = s
        .strict_cast(&DataType::String)
        .map_err(|_| wrong_type(c, dt, "文本"))?;
    t.str().map(trim).map_err(|_| wrong_type(c, dt, "文本"))
}

fn wrong_type(c: &Col, dt: &DataType, want: &str) -> String {
    format!(
        "parquet 文件的列“{}”（{}）类型为 {dt}，无法读取为{want}，文件未导入；请在导出时把该列设为{want}",
        c.name, c.field.name
    )
}

/// Stage values outside the field's list are logged and left missing.
fn enum_column(ctx: &Ctx, c: &Col, t: &StringChunked, rows: &mut RowLog, log: &mut QualityLog) -> StringChunked {
    let f = c.field;
    let kind = format!("“{}”不是可选值", f.name);
    let checked = t.iter().enumerate().map(|(i, v)| {
        let v = v?;
        if f.values.iter().any(|x| x == v) {
            return Some(v);
        }
        rows.push(
            log,
            Severity::Error,
            &kind,
            ctx.at(i, &c.name),
            v,
            format!("“{}”“{v}”不是可选值，应为：{}", f.name, f.values.join("、")),
        );
        None
    });
    StringChunked::from_iter_options(f.id.as_str().into(), checked)
}

/// A number column in the field's unit: numeric columns cast, text parsed
/// like a spreadsheet cell; unreadable and empty values logged with their row.
fn number_column(
    ctx: &Ctx,
    c: &Col,
    s: &Series,
    rows: &mut RowLog,
    log: &mut QualityLog,
) -> Result<Float64Chunked, String> {
    let f = c.field;
    let name = f.id.as_str().into();
    let dt = s.dtype();
    let invalid = format!("“{}”不是有效的数值", f.name);
    let values: Float64Chunked = if let Ok(ca) = s.str() {
        let parsed = ca.iter().enumerate().map(|(i, v)| {
            let t = v?;
            match cell::read_number_text(t) {
                (Read::Value(Value::Number(x)), pct) => Some(if pct { x / 100.0 } else { x }),
                (Read::NotApplicable, _) => {
                    let message = format!("“{}”填写“不涉及”，按不适用处理（不计为 0）", f.name);
                    rows.push(log, Severity::Info, &message, ctx.at(i, &c.name), t, message.clone());
                    None
                }
                (Read::Invalid(why), _) => {
                    let message = format!("“{}”{why}", f.name);
                    rows.push(log, Severity::Error, &invalid, ctx.at(i, &c.name), t, message);
                    None
                }
                (Read::Missing | Read::Value(_), _) => None,
            }
        });
        Float64Chunked::from_iter_options(name, parsed)
    } else if dt.is_primitive_numeric() || matches!(dt, DataType::Null) {
        let cast = s.cast(&DataType::Float64).map_err(|_| wrong_type(c, dt, "数值"))?;
        let ca = cast.f64().map_err(|_| wrong_type(c, dt, "数值"))?;
        let checked = ca.iter().enumerate().map(|(i, v)| {
            let x = v?;
            if x.is_finite() {
                return Some(x);
            }
            let message = format!("{invalid}（{x}）");
            rows.push(
                log,
                Severity::Error,
                &invalid,
                ctx.at(i, &c.name),
                &x.to_string(),
                message,
            );
            None
        });
        Float64Chunked::from_iter_options(name, checked)
    } else {
        return Err(wrong_type(c, dt, "数值"));
    };
    let values = if c.factor == 1.0 {
        values
    } else {
        values.apply_values(|x| convert(x, c.factor))
    };
    Ok(plausible_column(ctx, c, values, rows, log))
}

/// Values checked against the field's plausibility rule: errors logged and
/// left missing, warnings logged.
fn plausible_column(
    ctx: &Ctx,
    c: &Col,
    values: Float64Chunked,
    rows: &mut RowLog,
    log: &mut QualityLog,
) -> Float64Chunked {
    let f = c.field;
    let Some(rule) = ctx.dict.plausible_rule(f) else {
        return values;
    };
    let checked = values.iter().enumerate().map(|(i, v)| {
        let x = v?;
        let (severity, why) = match plausible::number(f, rule, x) {
            Verdict::Fine => return Some(x),
            Verdict::Warn(why) => (Severity::Warning, why),
            Verdict::Error(why) => (Severity::Error, why),
        };
        let kind = format!("“{}”数值不合理", f.name);
        rows.push(log, severity, &kind, ctx.at(i, &c.name), &plausible::shown(x), why);
        (severity != Severity::Error).then_some(x)
    });
    Float64Chunked::from_iter_options(f.id.as_str().into(), checked)
}

/// Texts with control characters written out visibly (`\u{1b}`), logged.
fn visible_column(ctx: &Ctx, c: &Col, t: StringChunked, rows: &mut RowLog, log: &mut QualityLog) -> StringChunked {
    if !t.iter().flatten().any(super::grid::has_hidden) {
        return t;
    }
    let shown = t.iter().enumerate().map(|(i, v)| {
        let v = v?;
        if !super::grid::has_hidden(v) {
            return Some(v.to_string());
        }
        let shown = super::grid::visible(v);
        rows.push(
            log,
            Severity::Warning,
            "含有不可见的控制字符",
            ctx.at(i, &c.name),
            &shown,
            "单元格含有不可见的控制字符，已按原样标出（如 \\u{1b}）；请在原系统中删除这些字符".into(),
        );
        Some(shown)
    });
    StringChunked::from_iter_options(c.field.id.as_str().into(), shown)
}

/// Project ids with full-width and look-alike characters made plain (logged).
fn id_column(ctx: &Ctx, c: &Col, t: &StringChunked, rows: &mut RowLog, log: &mut QualityLog) -> StringChunked {
    if t.iter().flatten().all(str::is_ascii) {
        return t.clone();
    }
    let fixed = t.iter().enumerate().map(|(i, v)| {
        let v = v?;
        let (id, changed) = super::ids::normalize(v);
        if !changed.is_empty() {
            rows.push(
                log,
                Severity::Warning,
                "项目编号含有全角或形近字符",
                ctx.at(i, &c.name),
                v,
                format!(
                    "项目编号“{v}”含有全角或形近字符 {}，已按“{id}”读取；请在原系统中改为半角字符",
                    super::ids::describe(&changed)
                ),
            );
        }
        Some(id).filter(|id| !id.is_empty())
    });
    StringChunked::from_iter_options(c.field.id.as_str().into(), fixed)
}

/// Distinct non-ASCII texts of a column with their first row (for the font check).
fn collect_texts(ctx: &Ctx, c: &Col, t: &StringChunked, out: &mut Vec<(Origin, String)>) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, v) in t.iter().enumerate() {
        if let Some(v) = v.filter(|v| !v.is_ascii()) {
            first.entry(v).or_insert(i);
        }
    }
    let mut found: Vec<(usize, &str)> = first.into_iter().map(|(v, i)| (i, v)).collect();
    found.sort_unstable();
    out.extend(found.into_iter().map(|(i, v)| (ctx.at(i, &c.name), v.to_string())));
}

/// Join a file's patches to the known projects: rows of unknown projects are
/// logged (one message per project id) and dropped; kept rows get their
/// origins. Returns the frame without the row column.
pub fn attach(
    table: PatchTable,
    known: &dyn Fn(&str) -> bool,
    origins: &mut Origins,
    log: &mut QualityLog,
) -> Result<DataFrame, String> {
    let fail = |e: polars::prelude::PolarsError| format!("{} 的图斑明细整理失败（{e}）", table.file);
    let frame = &table.frame;
    let ids = frame.column(PROJECT_ID).and_then(|c| c.str().cloned()).map_err(fail)?;
    let rows = frame.column(ROW).and_then(|c| c.idx().cloned()).map_err(fail)?;
    let mut keep = Vec::with_capacity(frame.height());
    let mut kept: HashMap<&str, DetailRows> = HashMap::new();
    // Unknown project ids in order of first row: (id, first row, rows).
    let mut unknown: Vec<(&str, u64, usize)> = Vec::new();
    let mut unknown_at: HashMap<&str, usize> = HashMap::new();
    let mut last: Option<(&str, bool)> = None;
    for (id, row) in ids.iter().zip(rows.iter()) {
        let (Some(id), Some(row)) = (id, row) else {
            keep.push(false);
            continue;
        };
        let ok = match last {
            Some((l, ok)) if l == id => ok,
            _ => known(id),
        };
        last = Some((id, ok));
        keep.push(ok);
        let row = u64::from(row);
        if ok {
            kept.entry(id)
                .or_default()
                .push(&table.file, &table.sheet, || row_cell(row));
        } else if let Some(&k) = unknown_at.get(id) {
            unknown[k].2 += 1;
        } else {
            unknown_at.insert(id, unknown.len());
            unknown.push((id, row, 1));
        }
    }
    for (id, list) in kept {
        let rows = origins.rows.entry((SHEET.to_string(), id.to_string())).or_default();
        if rows.is_empty() {
            *rows = list;
        } else {
            rows.groups.extend(list.groups);
        }
    }
    for (id, row, count) in unknown {
        let tail = if count > 1 {
            format!("该行及同编号的另外 {} 行未导入", count - 1)
        } else {
            "该行未导入".into()
        };
        log.error(
            cell_origin(&table.file, &table.sheet, row, &table.key_column),
            id,
            format!(
                "项目编号“{id}”未在任何“项目台账”中登记，{tail}{}",
                super::ids::odd_hint(id)
            ),
        );
    }
    frame
        .filter(&BooleanChunked::from_slice("keep".into(), &keep))
        .and_then(|df| df.drop(ROW))
        .map_err(fail)
}
