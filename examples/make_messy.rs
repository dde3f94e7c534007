//! The sample province typed the way counties type it.
//!
//! ```text
//! cargo run --example make_messy
//! ```
//!
//! Writes `fixtures/sample-province-messy/` from the same seeded data as
//! `make_fixtures` (the clean `fixtures/sample-province/`): title rows and a
//! caption line naming units (公顷、元), two-row merged headers
//! (`耕地面积 | 整治前 | 整治后`), labels with points and line breaks, shuffled
//! columns, an unknown 备注 column, areas in 公顷 / 平方米 / 亩, money in 元 /
//! 亿元, numbers written as text (`1,234.5`, full-width digits, `95%`),
//! dates and yes/no in several spellings, `—` for blanks, 小计 and 合计 rows,
//! notes and sign-off rows. One county is an `.xls` file (converted with
//! LibreOffice, which must be installed when regenerating), one county is a set
//! of GBK-encoded csv files (one per sheet), and one county's 图斑明细 is a
//! UTF-8-with-BOM csv beside its workbook. Ingesting this directory must
//! give exactly the same scores as the clean fixtures (tests/suite/ingest_messy.rs).
//!
//! Values are converted so that they read back exactly: ingest rounds a
//! converted value to 6 decimals, and every clean value has at most 2.

#[allow(dead_code)]
#[path = "make_fixtures.rs"]
mod clean;

use anyhow::{Context, Result, bail};
use landeval::fields::{FieldDef, FieldDict, FieldType};
use landeval::template::{CellValue, Row, WorkbookData};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook};
use std::path::Path;

const OUT_DIR: &str = "fixtures/sample-province-messy";
/// County written as xls (via LibreOffice).
const XLS_COUNTY: usize = 1;
/// County written as GBK csv files, one per sheet.
const CSV_COUNTY: usize = 2;
/// County whose 图斑明细 is a csv beside the workbook.
const PATCH_CSV_COUNTY: usize = 3;

/// splitmix64, seeded per county: the layout is as reproducible as the data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            xs.swap(i, self.below(i + 1));
        }
    }
}

/// A cell of the messy grid.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    Number(f64),
}

/// How a numeric column is written.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Unit {
    /// The field's own unit, named in the header.
    Canonical,
    /// Area in 公顷 per the caption line (header names no unit).
    CaptionHectare,
    /// Area in 公顷 named in the header.
    Hectare,
    /// Area in 平方米 named in the header.
    SquareMetre,
    /// Money in 元 per the caption line.
    CaptionYuan,
    /// Money in 亿元 named in the header.
    Yi,
}

impl Unit {
    fn header_suffix(self, f: &FieldDef) -> String {
        match self {
            Unit::Canonical => f.unit.as_deref().map(|u| format!("（{u}）")).unwrap_or_default(),
            Unit::CaptionHectare | Unit::CaptionYuan => String::new(),
            Unit::Hectare => "(公顷)".into(),
            Unit::SquareMetre => "（平方米）".into(),
            Unit::Yi => "（亿元）".into(),
        }
    }
    /// The value written for `x` in the field's unit.
    fn write(self, x: f64) -> f64 {
        match self {
            Unit::Canonical => x,
            Unit::CaptionHectare | Unit::Hectare => x / 15.0,
            Unit::SquareMetre => x / 0.0015,
            Unit::CaptionYuan => (x * 10_000.0).round(),
            Unit::Yi => x / 10_000.0,
        }
    }
}

/// One column of a messy sheet: one field, or a before/after pair under a merged parent.
enum Col<'a> {
    Single(&'a FieldDef),
    Pair(String, &'a FieldDef, &'a FieldDef),
    Remark,
}

/// A sheet ready to render: rows of cells and merged ranges (r0, c0, r1, c1).
#[derive(Default)]
struct Grid {
    rows: Vec<Vec<Option<Cell>>>,
    merges: Vec<(u32, u16, u32, u16)>,
}

impl Grid {
    fn set(&mut self, r: usize, c: usize, v: Cell) {
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Vec::new);
        }
        if self.rows[r].len() <= c {
            self.rows[r].resize(c + 1, None);
        }
        self.rows[r][c] = Some(v);
    }
    fn text(&mut self, r: usize, c: usize, s: &str) {
        self.set(r, c, Cell::Text(s.into()));
    }
}

fn area_field(f: &FieldDef) -> bool {
    f.kind == FieldType::Number && f.unit.as_deref() == Some("亩")
}

fn money_field(f: &FieldDef) -> bool {
    f.kind == FieldType::Number && f.unit.as_deref() == Some("万元")
}

/// Columns of a sheet: before/after pairs joined, shuffled, plus 备注.
fn columns<'a>(dict: &'a FieldDict, sheet: &str, rng: &mut Rng) -> Vec<Col<'a>> {
    let fields = dict.sheet_fields(sheet);
    let mut cols = Vec::new();
    let mut used = Vec::new();
    for f in &fields {
        if used.contains(&f.id) {
            continue;
        }
        if let Some(rest) = f.name.strip_prefix("整治前")
            && let Some(after) = fields.iter().find(|g| g.name == format!("整治后{rest}"))
            && after.unit == f.unit
        {
            used.push(after.id.clone());
            cols.push(Col::Pair(rest.to_string(), f, after));
        } else {
            cols.push(Col::Single(f));
        }
        used.push(f.id.clone());
    }
    cols.push(Col::Remark);
    rng.shuffle(&mut cols);
    cols
}

/// The unit a column is written in.
fn unit_for(f: &FieldDef, rng: &mut Rng) -> Unit {
    if area_field(f) {
        [
            Unit::CaptionHectare,
            Unit::CaptionHectare,
            Unit::Hectare,
            Unit::SquareMetre,
            Unit::Canonical,
        ][rng.below(5)]
    } else if money_field(f) {
        [Unit::CaptionYuan, Unit::CaptionYuan, Unit::Yi][rng.below(3)]
    } else {
        Unit::Canonical
    }
}

/// A label written the way clerks write it: line breaks, points, half-width brackets.
fn label(name: &str, suffix: &str, rng: &mut Rng) -> String {
    let mut s = name.to_string();
    match rng.below(4) {
        0 if s.chars().count() > 4 => {
            let cut: String = s.chars().take(s.chars().count() / 2).collect();
            s = format!("{cut}\n{}", &s[cut.len()..]);
        }
        1 => s = format!(" {s} "),
        _ => {}
    }
    let suffix = if rng.below(2) == 0 {
        suffix.replace('（', "(").replace('）', ")")
    } else {
        suffix.to_string()
    };
    let points = if rng.below(4) == 0 {
        format!("（{}分）", 5 + rng.below(4) * 5)
    } else {
        String::new()
    };
    format!("{s}{suffix}{points}")
}

/// `1234567.5` → `1,234,567.5` (shortest exact digits).
fn thousands(x: f64) -> String {
    let s = format!("{x}");
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(a, b)| (a, Some(b)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
            '.' => '．',
            c => c,
        })
        .collect()
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A value as a county writes it.
fn messy_value(f: &FieldDef, v: &CellValue, unit: Unit, rng: &mut Rng) -> Result<Cell> {
    Ok(match v {
        CellValue::Text(s) => Cell::Text(s.clone()),
        CellValue::Bool(b) => {
            let (t, n) = [("是", "否"), ("√", "×"), ("Y", "N"), ("有", "无")][rng.below(4)];
            Cell::Text(if *b { t } else { n }.into())
        }
        CellValue::Date(iso) => {
            let p: Vec<i64> = iso.split('-').map(str::parse).collect::<Result<_, _>>()?;
            let [y, m, d] = p.as_slice() else {
                bail!("bad date {iso}")
            };
            match rng.below(4) {
                0 => Cell::Number((days_from_civil(*y, *m, *d) + 25_569) as f64),
                1 => Cell::Text(format!("{y}/{m}/{d}")),
                2 => Cell::Text(format!("{y}年{m}月{d}日")),
                _ => Cell::Text(iso.clone()),
            }
        }
        CellValue::Number(x) => {
            let w = unit.write(*x);
            let canonical_shown = unit == Unit::Canonical || unit == Unit::CaptionYuan;
            match rng.below(5) {
                0 if canonical_shown => Cell::Text(thousands(w)),
                1 if canonical_shown && w >= 0.0 => Cell::Text(full_width(&format!("{w}"))),
                2 if f.is_percent() => Cell::Text(format!("{w}%")),
                _ => Cell::Number(w),
            }
        }
    })
}

/// The numeric value of a written cell (for 小计 / 合计 rows).
fn written_number(c: &Option<Cell>) -> Option<f64> {
    match c {
        Some(Cell::Number(x)) => Some(*x),
        Some(Cell::Text(t)) => t
            .chars()
            .filter_map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
                '．' => Some('.'),
                ',' | '%' => None,
                c => Some(c),
            })
            .collect::<String>()
            .parse()
            .ok(),
        None => None,
    }
}

/// Lay out one sheet of one county.
fn sheet_grid(dict: &FieldDict, county: &str, sheet: &str, rows: &[Row], rng: &mut Rng) -> Result<Grid> {
    let sdef = dict.sheet(sheet).context("sheet")?;
    let cols = columns(dict, sheet, rng);
    let mut g = Grid::default();
    g.text(
        0,
        0,
        &format!("{county}全域土地综合整治项目验收数据统计表（{}）", sdef.name),
    );
    g.text(1, 0, &format!("填报单位：{county}自然资源局        单位：公顷、元"));
    // Expand columns to physical positions with their units.
    let mut phys: Vec<(Option<&FieldDef>, Unit)> = Vec::new();
    for col in &cols {
        let c = phys.len();
        match col {
            Col::Single(f) => {
                let unit = unit_for(f, rng);
                g.text(2, c, &label(&f.name, &unit.header_suffix(f), rng));
                g.merges.push((2, c as u16, 3, c as u16));
                phys.push((Some(f), unit));
            }
            Col::Pair(parent, before, after) => {
                let unit = unit_for(before, rng);
                g.text(2, c, &label(parent, &unit.header_suffix(before), rng));
                g.merges.push((2, c as u16, 2, c as u16 + 1));
                g.text(3, c, "整治前");
                g.text(3, c + 1, "整治后");
                phys.push((Some(before), unit));
                phys.push((Some(after), unit));
            }
            Col::Remark => {
                g.text(2, c, "备注");
                g.merges.push((2, c as u16, 3, c as u16));
                phys.push((None, Unit::Canonical));
            }
        }
    }
    let width = phys.len();
    g.merges.push((0, 0, 0, width.max(2) as u16 - 1));
    g.merges.push((1, 0, 1, width.max(2) as u16 - 1));
    let key = phys
        .iter()
        .position(|(f, _)| f.is_some_and(|f| f.id == "project_id"))
        .context("key column")?;
    let additive = |f: &FieldDef| area_field(f) || money_field(f);
    let mut r = 4;
    let mut first_of_project = r;
    for (i, row) in rows.iter().enumerate() {
        for (c, (f, unit)) in phys.iter().enumerate() {
            match f {
                Some(f) => match row.get(&f.id) {
                    Some(v) => g.set(r, c, messy_value(f, v, *unit, rng)?),
                    None if f.kind == FieldType::Number && rng.below(3) == 0 => {
                        g.text(r, c, ["—", "/", "无", "-"][rng.below(4)]);
                    }
                    None => {}
                },
                None if rng.below(4) == 0 => g.text(r, c, "已核实"),
                None => {}
            }
        }
        r += 1;
        let next_project = rows.get(i + 1).map(|n| n.get("project_id"));
        if !sdef.per_project && sheet == "funds" && next_project != Some(row.get("project_id")) {
            // 小计 of this project's fund lines, written in the same units.
            g.text(r, key, "小计");
            for (c, (f, _)) in phys.iter().enumerate() {
                if f.is_some_and(additive) {
                    let s: f64 = (first_of_project..r)
                        .filter_map(|k| written_number(g.rows[k].get(c)?))
                        .sum();
                    g.set(r, c, Cell::Number(s));
                }
            }
            r += 1;
            first_of_project = r;
        }
    }
    if sdef.per_project || sheet == "funds" {
        g.text(r, key, "合  计");
        for (c, (f, _)) in phys.iter().enumerate() {
            if f.is_some_and(additive) {
                let s: f64 = (4..r)
                    .filter(|&k| !matches!(g.rows[k].get(key), Some(Some(Cell::Text(t))) if t == "小计"))
                    .filter_map(|k| written_number(g.rows[k].get(c)?))
                    .sum();
                g.set(r, c, Cell::Number(s));
            }
        }
        r += 1;
    }
    g.text(
        r,
        0,
        "注：面积单位除表头注明外为公顷，金额单位为元；空白或“—”表示未填报。",
    );
    g.text(
        r + 1,
        0,
        "填表人：王某某        审核人：李某某        日期：2025年1月10日",
    );
    Ok(g)
}

/// Text-only cells for csv; full-width and thousands forms survive as text.
fn csv_bytes(g: &Grid, gbk: bool) -> Vec<u8> {
    let mut s = String::new();
    for row in &g.rows {
        let line: Vec<String> = row
            .iter()
            .map(|c| match c {
                Some(Cell::Text(t)) if t.contains([',', '"', '\n']) => format!("\"{}\"", t.replace('"', "\"\"")),
                Some(Cell::Text(t)) => t.clone(),
                Some(Cell::Number(x)) => format!("{x}"),
                None => String::new(),
            })
            .collect();
        s.push_str(&line.join(","));
        s.push_str("\r\n");
    }
    if gbk {
        encoding_rs::GBK.encode(&s).0.into_owned()
    } else {
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice(s.as_bytes());
        b
    }
}

fn write_xlsx(path: &Path, sheets: &[(String, Grid)]) -> Result<()> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2025, 1, 1).map_err(anyhow::Error::msg)?;
    wb.set_properties(
        &DocProperties::new()
            .set_author("landeval")
            .set_creation_datetime(&created),
    );
    let center = Format::new().set_align(FormatAlign::Center).set_text_wrap();
    for (name, g) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        for &(r0, c0, r1, c1) in &g.merges {
            if (r0, c0) == (r1, c1) {
                continue;
            }
            let v = match g.rows.get(r0 as usize).and_then(|r| r.get(c0 as usize)) {
                Some(Some(Cell::Text(t))) => t.clone(),
                _ => String::new(),
            };
            ws.merge_range(r0, c0, r1, c1, &v, &center)?;
        }
        for (r, row) in g.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let merged = g
                    .merges
                    .iter()
                    .any(|&(r0, c0, r1, c1)| (r0, c0) != (r1, c1) && r0 as usize == r && c0 as usize == c);
                match cell {
                    _ if merged => {}
                    Some(Cell::Text(t)) => {
                        ws.write_string(r as u32, c as u16, t)?;
                    }
                    Some(Cell::Number(x)) => {
                        ws.write_number(r as u32, c as u16, *x)?;
                    }
                    None => {}
                }
            }
        }
    }
    wb.save(path).with_context(|| format!("无法写入 {}", path.display()))?;
    Ok(())
}

/// Convert an xlsx to xls with LibreOffice (only when regenerating fixtures).
fn to_xls(xlsx: &Path, out_dir: &Path) -> Result<()> {
    let status = std::process::Command::new("libreoffice")
        .args(["--headless", "--convert-to", "xls", "--outdir"])
        .arg(out_dir)
        .arg(xlsx)
        .status()
        .context("需要 libreoffice 才能生成 xls 样例")?;
    if !status.success() {
        bail!("libreoffice 转换失败：{}", xlsx.display());
    }
    std::fs::remove_file(xlsx)?;
    Ok(())
}

fn main() -> Result<()> {
    let dict = FieldDict::bundled();
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join(OUT_DIR);
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    std::fs::create_dir_all(&out)?;
    for (ci, (county, data)) in clean::county_workbooks()?.iter().enumerate() {
        let mut rng = Rng(20251017 ^ (ci as u64 + 1).wrapping_mul(0x9E37));
        let sheets = messy_sheets(&dict, county, data, &mut rng)?;
        if ci == CSV_COUNTY {
            for (name, g) in &sheets {
                std::fs::write(out.join(format!("{county}-{name}.csv")), csv_bytes(g, true))?;
            }
            continue;
        }
        let (book, patch_csv): (Vec<_>, Vec<_>) = sheets
            .into_iter()
            .partition(|(name, _)| ci != PATCH_CSV_COUNTY || name != "图斑明细");
        for (name, g) in &patch_csv {
            std::fs::write(out.join(format!("{county}-{name}.csv")), csv_bytes(g, false))?;
        }
        let path = out.join(format!("{county}.xlsx"));
        write_xlsx(&path, &book)?;
        if ci == XLS_COUNTY {
            to_xls(&path, &out)?;
        }
    }
    let mut names: Vec<String> = std::fs::read_dir(&out)?
        .map(|e| Ok(e?.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_>>()?;
    names.sort();
    println!("写入 {}：{}", out.display(), names.join("、"));
    Ok(())
}

/// Every sheet with rows, laid out messily, in dictionary order.
fn messy_sheets(dict: &FieldDict, county: &str, data: &WorkbookData, rng: &mut Rng) -> Result<Vec<(String, Grid)>> {
    let mut out = Vec::new();
    for s in &dict.sheets {
        let rows = data.get(&s.id).map_or(&[][..], Vec::as_slice);
        if rows.is_empty() {
            continue;
        }
        out.push((s.name.clone(), sheet_grid(dict, county, &s.id, rows, rng)?));
    }
    Ok(out)
}
