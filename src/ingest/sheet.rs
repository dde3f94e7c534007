//! Reading one sheet: find its header (title rows above it, one or two
//! header rows), map columns to fields and units, then read each data row,
//! skipping and reporting subtotal, note and sign-off rows.

use super::cell::{self, Read, Value};
use super::grid::{Grid, Row};
use super::header::{self, HeaderMatch};
use super::ids;
use super::log::{self, Origin, QualityLog, SheetTally};
use super::plausible::{self, Verdict};
use super::{Collected, RawRow, UnknownUnit};
use crate::fields::{FieldDef, FieldDict, FieldType, PROJECT_ID, unit_factor};
use calamine::Data;
use std::collections::BTreeMap;

/// Rows scanned for the header.
pub const HEADER_SCAN_ROWS: usize = 20;

/// A recognised column: its field and the conversion into the field's unit.
#[derive(Debug, Clone)]
struct Column {
    field: String,
    /// Unit the column is written in, when it differs from the field's.
    unit: Option<String>,
    /// Factor to the field's canonical unit (1 when none).
    factor: f64,
}

/// The header found on a sheet.
#[derive(Debug, Clone)]
pub struct Header {
    /// First row of the header (0-based, absolute).
    pub row: usize,
    /// 1 or 2 rows.
    pub height: usize,
    pub columns: Vec<Option<HeaderMatch>>,
    /// The label of each column as written (two-row labels joined by “/”).
    pub labels: Vec<String>,
}

impl Header {
    /// Number of distinct fields recognised.
    pub fn score(&self) -> usize {
        let mut ids: Vec<&str> = self.columns.iter().flatten().map(|m| m.field.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    }
}

fn text_of(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    }
}

/// Header candidates starting at row `i`: one row, or two rows with the
/// upper labels carried across horizontally merged (empty) cells.
fn header_at(rows: &[Row], dict: &FieldDict, sheet: &str, i: usize, two: bool) -> Header {
    let top = &rows[i];
    let empty = Row::default();
    let below = if two { rows.get(i + 1).unwrap_or(&empty) } else { &empty };
    let width = top.width().max(below.width());
    let mut columns = Vec::with_capacity(width);
    let mut labels = Vec::with_capacity(width);
    let mut parent = String::new();
    for c in 0..width {
        let t = text_of(top.get(c));
        let b = text_of(below.get(c));
        if !t.trim().is_empty() {
            parent = t.clone();
        } else if b.trim().is_empty() {
            parent.clear();
        }
        if !two {
            columns.push(recognise(dict, sheet, std::slice::from_ref(&t)));
            labels.push(t);
            continue;
        }
        let p = if t.trim().is_empty() { parent.clone() } else { t.clone() };
        columns.push(recognise(dict, sheet, &header::two_row_labels(&p, &b)));
        labels.push(match (p.trim().is_empty(), b.trim().is_empty()) {
            (false, false) => format!("{p}/{b}"),
            (true, _) => b,
            (false, true) => p,
        });
    }
    Header {
        row: i,
        height: if two { 2 } else { 1 },
        columns,
        labels,
    }
}

/// The field a column's candidate labels name; a number field written with
/// a unit the dictionary does not know keeps that unit (it is refused later).
fn recognise(dict: &FieldDict, sheet: &str, labels: &[String]) -> Option<HeaderMatch> {
    labels
        .iter()
        .find_map(|l| header::match_header(dict, sheet, l))
        .or_else(|| {
            labels.iter().find_map(|l| {
                header::match_unknown_unit(dict, sheet, l).map(|(m, unit)| HeaderMatch { unit: Some(unit), ..m })
            })
        })
}

/// The header: among the first rows, the one (or pair) matching most
/// fields, which must include 项目编号. One row wins ties.
pub fn find_header(rows: &[Row], dict: &FieldDict, sheet: &str) -> Option<Header> {
    let mut best: Option<Header> = None;
    for i in 0..rows.len().min(HEADER_SCAN_ROWS) {
        for two in [false, true] {
            if two && i + 1 >= rows.len() {
                continue;
            }
            let h = header_at(rows, dict, sheet, i, two);
            if !h.columns.iter().flatten().any(|m| m.field == PROJECT_ID) {
                continue;
            }
            let key = |h: &Header| (h.score(), h.height == 1);
            if best.as_ref().is_none_or(|b| key(&h) > key(b)) {
                best = Some(h);
            }
        }
    }
    best
}

/// Context of the sheet being read.
pub struct SheetCtx<'a> {
    pub file: &'a str,
    pub sheet_name: &'a str,
    pub sheet_id: &'a str,
    pub dict: &'a FieldDict,
}

impl SheetCtx<'_> {
    fn at(&self, r: usize, c: usize) -> Origin {
        Origin::new(self.file, self.sheet_name, log::a1(r as u32, c as u32))
    }
}

/// Read one sheet's rows into `out`.
pub fn read_sheet(ctx: &SheetCtx, grid: &Grid, out: &mut Collected, log: &mut QualityLog) {
    let rows = grid.rows.as_slice();
    let Some(header) = find_header(rows, ctx.dict, ctx.sheet_id) else {
        if rows.iter().any(|r| !r.is_empty()) {
            log.error(
                Origin::new(ctx.file, ctx.sheet_name, String::new()),
                "",
                format!("未找到表头：前 {HEADER_SCAN_ROWS} 行中没有包含“项目编号”列的表头行，请检查列名"),
            );
        }
        return;
    };
    let captions = caption_lines(ctx, rows, header.row, log);
    let columns = resolve_columns(ctx, &header, &captions, &mut out.unknown_units, log);
    check_required(ctx, &header, &columns, log);
    out.columns.insert(
        (ctx.file.to_string(), ctx.sheet_name.to_string()),
        columns
            .iter()
            .enumerate()
            .filter_map(|(c, m)| m.as_ref().map(|m| (m.field.clone(), c as u32)))
            .collect(),
    );
    let key_col = columns
        .iter()
        .position(|m| m.as_ref().is_some_and(|m| m.field == PROJECT_ID));
    let mut tally = SheetTally {
        file: ctx.file.into(),
        sheet: ctx.sheet_name.into(),
        ..Default::default()
    };
    let mut sums: BTreeMap<usize, f64> = BTreeMap::new();
    let mut watch = PercentWatch::default();
    let first_data = header.row + header.height;
    for (i, row) in rows.iter().enumerate().skip(first_data) {
        if row.iter().all(|(_, d)| is_blank(d)) {
            continue;
        }
        tally.rows_read += 1;
        if let Some((skip, c)) = skip_reason(row) {
            tally.rows_skipped += 1;
            let raw = row.get(c).map(cell::raw_text).unwrap_or_default();
            log.info(ctx.at(i, c), &raw, skip.message());
            if skip == Skip::Total {
                check_total(ctx, row, i, &columns, &sums, log);
            }
            continue;
        }
        let key_c = key_col.unwrap_or(0);
        let Some(project) = project_id(ctx, row.get(key_c), i, key_c, log) else {
            tally.rows_skipped += 1;
            continue;
        };
        let mut values = BTreeMap::new();
        let mut not_applicable = BTreeMap::new();
        let mut conversions = BTreeMap::new();
        for (c, m) in columns.iter().enumerate() {
            let (Some(m), Some(d)) = (m, row.get(c)) else { continue };
            if m.field == PROJECT_ID || matches!(d, Data::Empty) {
                continue;
            }
            let Some(field) = ctx.dict.field(&m.field) else {
                continue;
            };
            let origin = ctx.at(i, c);
            if let Data::String(s) = d {
                out.texts.push((origin.clone(), s.clone()));
            }
            let percent = grid.is_percent(i, c);
            watch.note(c, field, m, d, percent, &origin);
            let v = match read_field(ctx.dict, field, m, d, percent, &origin, log) {
                Field::Value(v) => v,
                Field::NotApplicable => {
                    not_applicable.insert(m.field.clone(), origin);
                    continue;
                }
                Field::None => continue,
            };
            if let Value::Number(x) = v {
                *sums.entry(c).or_default() += x;
                if let (Some(from), Some(to)) = (&m.unit, field.unit.as_deref()) {
                    let shown = if field.is_percent() { x * 100.0 } else { x };
                    conversions.insert(
                        m.field.clone(),
                        format!(
                            "{} {from} × {} = {} {to}",
                            cell::raw_text(d),
                            cell::format_number(m.factor),
                            cell::format_number(round6(shown))
                        ),
                    );
                }
            }
            values.insert(m.field.clone(), (v, origin));
        }
        out.texts.push((ctx.at(i, key_c), project.clone()));
        tally.rows_used += 1;
        out.rows.entry(ctx.sheet_id.to_string()).or_default().push(RawRow {
            project,
            key_origin: ctx.at(i, key_c),
            row: i as u32,
            values,
            not_applicable,
            conversions,
        });
    }
    watch.finish(log);
    log.tallies.push(tally);
}

/// A required column a detail sheet (图斑明细, 资金台账 …) lacks is an error: its
/// rows cannot be used as they are. (Per-project sheets keep their other columns.)
fn check_required(ctx: &SheetCtx, header: &Header, columns: &[Option<Column>], log: &mut QualityLog) {
    if ctx.dict.sheet(ctx.sheet_id).is_none_or(|s| s.per_project) {
        return;
    }
    for f in ctx.dict.sheet_fields(ctx.sheet_id).into_iter().filter(|f| f.required) {
        if !columns.iter().flatten().any(|c| c.field == f.id) {
            log.error(
                Origin::new(ctx.file, ctx.sheet_name, log::a1(header.row as u32, 0)),
                "",
                format!(
                    "缺少必填列“{}”（表头第 {} 行）：该表的数据无法按规定计算；请按填报模板补充该列（可用列名：{}）",
                    f.header(),
                    header.row + 1,
                    std::iter::once(f.name.as_str())
                        .chain(f.aliases.iter().map(String::as_str))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            );
        }
    }
}

/// The project id of a row, with full-width and look-alike characters made
/// plain (reported); `None` (logged) when the row has none.
fn project_id(ctx: &SheetCtx, d: Option<&Data>, i: usize, c: usize, log: &mut QualityLog) -> Option<String> {
    let Some(Read::Value(Value::Text(t))) = d.map(cell::read_text) else {
        log.error(
            ctx.at(i, c),
            "",
            "该行有数据但缺少项目编号，整行未导入；请补填项目编号".into(),
        );
        return None;
    };
    let (id, changed) = ids::normalize(&t);
    if !changed.is_empty() {
        log.warn(
            ctx.at(i, c),
            &t,
            format!(
                "项目编号“{t}”含有全角或形近字符 {}，已按“{id}”读取；请在原表中改为半角字符",
                ids::describe(&changed)
            ),
        );
    }
    if id.is_empty() {
        log.error(
            ctx.at(i, c),
            &t,
            "项目编号只含不可见字符，整行未导入；请补填项目编号".into(),
        );
        return None;
    }
    Some(id)
}

/// Plain numbers (no percent format, no % sign) read in percent fields, by
/// column: a column whose values are all fractions ≤ 1 was probably typed
/// as fractions (0.98 for 98%) and is read as 0.98%.
#[derive(Default)]
struct PercentWatch {
    /// Column → (field name, cells with their raw text and value).
    columns: BTreeMap<usize, (String, Vec<PlainNumber>)>,
}

/// A plain number read in a percent field: cell, raw text, value.
type PlainNumber = (Origin, String, f64);

impl PercentWatch {
    fn note(&mut self, c: usize, f: &FieldDef, col: &Column, d: &Data, percent: bool, origin: &Origin) {
        if !f.is_percent() || percent || col.unit.is_some() {
            return;
        }
        if let (Read::Value(Value::Number(x)), false) = cell::read_number(d) {
            let entry = self.columns.entry(c).or_insert_with(|| (f.name.clone(), Vec::new()));
            entry.1.push((origin.clone(), cell::raw_text(d), x));
        }
    }

    fn finish(self, log: &mut QualityLog) {
        for (name, cells) in self.columns.into_values() {
            let fractions = cells.iter().all(|(_, _, x)| (0.0..=1.0).contains(x))
                && cells.iter().any(|(_, _, x)| *x > 0.0 && *x < 1.0);
            if !fractions {
                continue;
            }
            for (origin, raw, x) in cells {
                log.warn(
                    origin,
                    &raw,
                    format!(
                        "“{name}”为 {raw}，按百分数读作 {raw}%；该列数值都不大于 1，可能是按小数填写的（{raw} 表示 {}%）：如是，请改为 {}，或把单元格设为百分比格式",
                        cell::format_number(round6(x * 100.0)),
                        cell::format_number(round6(x * 100.0))
                    ),
                );
            }
        }
    }
}

/// Caption lines above the header naming units, with their cells.
fn caption_lines(ctx: &SheetCtx, rows: &[Row], header_row: usize, log: &mut QualityLog) -> Vec<(String, Origin)> {
    let mut out = Vec::new();
    for (r, row) in rows.iter().enumerate().take(header_row) {
        for (c, d) in row.iter() {
            if let Data::String(s) = d {
                for u in header::caption_units(s) {
                    out.push((u, ctx.at(r, c)));
                }
                if let Some(u) = header::caption_unknown_unit(s) {
                    log.warn(
                        ctx.at(r, c),
                        s,
                        format!(
                            "说明行中的单位“{u}”无法识别，未按它换算；表头未写单位的列按标准单位（亩、万元等）读取，请核对或在表头中写明单位"
                        ),
                    );
                }
            }
        }
    }
    out
}

/// Columns with their units: the header's unit, else a caption unit of the
/// same kind as the field's; conversions, unknown and duplicate columns logged.
fn resolve_columns(
    ctx: &SheetCtx,
    header: &Header,
    captions: &[(String, Origin)],
    unknown: &mut Vec<UnknownUnit>,
    log: &mut QualityLog,
) -> Vec<Option<Column>> {
    let mut seen: Vec<&str> = Vec::new();
    let at = |c: usize| ctx.at(header.row + header.height - 1, c);
    let mut out = Vec::new();
    for (c, m) in header.columns.iter().enumerate() {
        let raw = header.labels.get(c).cloned().unwrap_or_default();
        let Some(m) = m else {
            if !raw.trim().is_empty() {
                log.info(
                    at(c),
                    &raw,
                    "未识别的列，已忽略（如需导入，请改用填报模板中的列名）".into(),
                );
            }
            out.push(None);
            continue;
        };
        if seen.contains(&m.field.as_str()) {
            log.error(at(c), &raw, "该列与前面的列对应同一字段，请删除重复列".into());
            out.push(None);
            continue;
        }
        seen.push(&m.field);
        let Some(f) = ctx.dict.field(&m.field) else {
            out.push(None);
            continue;
        };
        let column = column_unit(f, m, &raw, captions, at(c), log);
        if column.is_none() {
            unknown.push(UnknownUnit {
                field: f.id.clone(),
                unit: m.unit.clone().unwrap_or_default(),
                origin: at(c),
            });
        }
        out.push(column);
    }
    out
}

/// The column's conversion into the field's unit; `None` (logged) when the
/// header names a unit that cannot be converted: the column is not imported
/// rather than read in the wrong unit.
fn column_unit(
    f: &FieldDef,
    m: &HeaderMatch,
    raw: &str,
    captions: &[(String, Origin)],
    at: Origin,
    log: &mut QualityLog,
) -> Option<Column> {
    let plain = Column {
        field: m.field.clone(),
        unit: None,
        factor: 1.0,
    };
    let Some(to) = f.unit.as_deref() else {
        return Some(plain);
    };
    if f.kind != FieldType::Number {
        return Some(plain);
    }
    let (from, source) = match &m.unit {
        Some(u) if u == to => return Some(plain),
        Some(u) => (u.clone(), "表头".to_string()),
        None => match captions.iter().find(|(u, _)| u != to && unit_factor(u, to).is_some()) {
            Some((u, o)) => (u.clone(), format!(" {} 处的单位说明", o.cell)),
            None => return Some(plain),
        },
    };
    match unit_factor(&from, to) {
        Some(k) if from != to => {
            log.info(
                at,
                raw,
                format!(
                    "单位换算：“{}”按{source}以“{from}”填写，已换算为“{to}”（×{}）",
                    f.name,
                    cell::format_number(k)
                ),
            );
            Some(Column {
                field: m.field.clone(),
                unit: Some(from),
                factor: k,
            })
        }
        Some(_) => Some(plain),
        None => {
            log.warn(at, raw, unknown_unit_message(f, &from));
            None
        }
    }
}

/// The finding for a column in a unit that cannot be converted to the field's.
pub fn unknown_unit_message(f: &FieldDef, unit: &str) -> String {
    let to = f.unit.as_deref().unwrap_or("");
    let how = if crate::fields::is_convertible_unit(unit) || header::as_unit(unit).is_some() {
        format!("无法换算为“{to}”")
    } else {
        "无法识别".to_string()
    };
    format!(
        "表头单位“{unit}”{how}，“{}”该列未导入；可用的单位：{}",
        f.name,
        crate::fields::units_like(to).join("、")
    )
}

/// Why a row is skipped.
#[derive(Debug, Clone, PartialEq)]
enum Skip {
    /// 合计 / 总计: checked against the sum of the rows.
    Total,
    /// 小计.
    Subtotal,
    /// 注：…, 填表人：…, 审核人：…, 日期.
    Note,
}

impl Skip {
    fn message(&self) -> String {
        match self {
            Skip::Total => "合计行，不作为项目数据导入（已与各行之和核对）".into(),
            Skip::Subtotal => "小计行，不作为项目数据导入".into(),
            Skip::Note => "说明或签字行，不作为项目数据导入".into(),
        }
    }
}

/// Empty, or text of blanks only (checked without formatting numbers).
fn is_blank(d: &Data) -> bool {
    match d {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn first_col(row: &Row) -> usize {
    row.iter().find(|(_, d)| !is_blank(d)).map_or(0, |(c, _)| c)
}

/// Subtotal, note and sign-off rows are skipped with their reason: a short
/// text cell anywhere in the row saying 合计/总计/小计 (columns may be in any
/// order), or a first text starting like a note or signature.
fn skip_reason(row: &Row) -> Option<(Skip, usize)> {
    for (c, d) in row.iter() {
        let Data::String(s) = d else { continue };
        if !s.contains('计') {
            continue;
        }
        let t = header::normalize(s);
        if t.chars().count() > 12 {
            continue;
        }
        let has = |k: &str| t.starts_with(k) || t.ends_with(k);
        if has("合计") || has("总计") {
            return Some((Skip::Total, c));
        }
        if has("小计") {
            return Some((Skip::Subtotal, c));
        }
    }
    let Some(Data::String(first)) = row.get(first_col(row)) else {
        return None;
    };
    let t = header::normalize(first);
    const NOTES: &[&str] = &[
        "注:",
        "注",
        "说明",
        "备注:",
        "填表人",
        "填报人",
        "审核人",
        "负责人",
        "联系人",
        "联系电话",
        "填报日期",
        "填表日期",
        "日期",
        "单位负责人",
        "制表",
    ];
    NOTES
        .iter()
        .any(|k| t.starts_with(k))
        .then_some((Skip::Note, first_col(row)))
}

/// Tolerance of a 合计 row against the sum of the rows.
const TOTAL_TOLERANCE: f64 = 0.005;

/// Compare a 合计 row's numbers with the sums of the rows read so far.
fn check_total(
    ctx: &SheetCtx,
    row: &Row,
    i: usize,
    columns: &[Option<Column>],
    sums: &BTreeMap<usize, f64>,
    log: &mut QualityLog,
) {
    for (c, col) in columns.iter().enumerate() {
        let (Some(col), Some(d)) = (col, row.get(c)) else {
            continue;
        };
        let Some(f) = ctx.dict.field(&col.field) else { continue };
        let additive = f.kind == FieldType::Number
            && f.unit.as_deref().is_some_and(|u| {
                unit_factor(u, "亩").is_some() || unit_factor(u, "万元").is_some() || u == "个" || u == "件"
            });
        if !additive {
            continue;
        }
        let (Read::Value(Value::Number(x)), _) = cell::read_number(d) else {
            continue;
        };
        let total = convert(x, col.factor);
        let sum = sums.get(&c).copied().unwrap_or(0.0);
        let diff = (total - sum).abs();
        if diff > TOTAL_TOLERANCE * total.abs().max(sum.abs()) && diff > 1e-9 {
            let unit = f.unit.as_deref().unwrap_or("");
            log.warn(
                ctx.at(i, c),
                &cell::raw_text(d),
                format!(
                    "合计行的“{}”为 {}{unit}，与各行之和 {}{unit} 相差 {:.1}%（超过 0.5%），请核对各行数据或合计数",
                    f.name,
                    cell::format_number(round6(total)),
                    cell::format_number(round6(sum)),
                    diff / total.abs().max(sum.abs()) * 100.0
                ),
            );
        }
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Apply a unit factor; converted values are rounded to 6 decimals so that
/// a value written in another unit reads back exactly (e.g. 亩 → 公顷 → 亩).
pub fn convert(x: f64, factor: f64) -> f64 {
    if factor == 1.0 { x } else { round6(x * factor) }
}

/// What a cell gave its field.
enum Field {
    Value(Value),
    /// “不涉及”: not applicable to the project.
    NotApplicable,
    /// Blank, a placeholder or an error (logged).
    None,
}

/// Read one cell as its field's type, converting units; logs problems.
fn read_field(
    dict: &FieldDict,
    f: &FieldDef,
    col: &Column,
    d: &Data,
    percent_format: bool,
    origin: &Origin,
    log: &mut QualityLog,
) -> Field {
    let read = match f.kind {
        FieldType::Number => {
            let (r, pct) = cell::read_number(d);
            match r {
                // The stored value of a percent-formatted cell is the fraction (98% is 0.98).
                Read::Value(Value::Number(x)) if percent_format && f.is_percent() => Read::Value(Value::Number(x)),
                Read::Value(Value::Number(x)) if percent_format => Read::Value(Value::Number(convert(x, col.factor))),
                Read::Value(Value::Number(x)) => Read::Value(Value::Number(to_canonical(f, col, x, pct))),
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
        Read::Value(v) => match plausible::check(dict, f, &v) {
            Verdict::Fine => Field::Value(v),
            Verdict::Warn(why) => {
                log.warn(origin.clone(), &cell::raw_text(d), why);
                Field::Value(v)
            }
            Verdict::Error(why) => {
                log.error(origin.clone(), &cell::raw_text(d), why);
                Field::None
            }
        },
        Read::Missing => Field::None,
        Read::NotApplicable => {
            log.info(
                origin.clone(),
                &cell::raw_text(d),
                format!("“{}”填写“不涉及”，按不适用处理（不计为 0）", f.name),
            );
            Field::NotApplicable
        }
        Read::Invalid(why) => {
            log.error(origin.clone(), &cell::raw_text(d), format!("“{}”{}", f.name, why));
            Field::None
        }
    }
}

/// Convert to the field's canonical unit; percent fields become fractions.
/// (A cell formatted as a percentage already holds the fraction: 98% is 0.98.)
fn to_canonical(f: &FieldDef, col: &Column, x: f64, had_pct_sign: bool) -> f64 {
    if f.is_percent() {
        // A ‰ column converts to %, then every percent field is stored as a fraction.
        return convert(x, col.factor) / 100.0;
    }
    let x = if had_pct_sign { x / 100.0 } else { x };
    convert(x, col.factor)
}
