//! A small writer of Excel binary workbooks (.xlsb, [MS-XLSB]) for tests:
//! nothing on this machine writes xlsb, so the tests build their own.
//!
//! The package holds the parts Excel writes: `[Content_Types].xml`,
//! `_rels/.rels`, `xl/workbook.bin` with its relationships, one
//! `xl/worksheets/sheetN.bin` per sheet, `xl/styles.bin` and
//! `xl/sharedStrings.bin`. Every `.bin` part is a stream of BIFF12 records:
//! record type and size as variable-length integers (7 bits a byte, high bit
//! = more bytes follow), then the body.

use std::collections::HashMap;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// Record types used here ([MS-XLSB] 2.3.2).
mod rt {
    pub const ROW_HDR: u16 = 0x0000;
    pub const CELL_RK: u16 = 0x0002;
    pub const CELL_ERROR: u16 = 0x0003;
    pub const CELL_BOOL: u16 = 0x0004;
    pub const CELL_REAL: u16 = 0x0005;
    pub const CELL_ST: u16 = 0x0006;
    pub const CELL_ISST: u16 = 0x0007;
    pub const FMLA_NUM: u16 = 0x0009;
    pub const SST_ITEM: u16 = 0x0013;
    pub const FONT: u16 = 0x002B;
    pub const FMT: u16 = 0x002C;
    pub const FILL: u16 = 0x002D;
    pub const BORDER: u16 = 0x002E;
    pub const XF: u16 = 0x002F;
    pub const STYLE: u16 = 0x0030;
    pub const BEGIN_SHEET: u16 = 0x0081;
    pub const END_SHEET: u16 = 0x0082;
    pub const BEGIN_BOOK: u16 = 0x0083;
    pub const END_BOOK: u16 = 0x0084;
    pub const BEGIN_BUNDLE_SHS: u16 = 0x008F;
    pub const END_BUNDLE_SHS: u16 = 0x0090;
    pub const BEGIN_SHEET_DATA: u16 = 0x0091;
    pub const END_SHEET_DATA: u16 = 0x0092;
    pub const WS_DIM: u16 = 0x0094;
    pub const WB_PROP: u16 = 0x0099;
    pub const BUNDLE_SH: u16 = 0x009C;
    pub const BEGIN_SST: u16 = 0x009F;
    pub const END_SST: u16 = 0x00A0;
    pub const MERGE_CELL: u16 = 0x00B0;
    pub const BEGIN_MERGE_CELLS: u16 = 0x00B1;
    pub const END_MERGE_CELLS: u16 = 0x00B2;
    pub const BEGIN_STYLE_SHEET: u16 = 0x0116;
    pub const END_STYLE_SHEET: u16 = 0x0117;
    pub const BEGIN_DXFS: u16 = 0x01F9;
    pub const END_DXFS: u16 = 0x01FA;
    pub const BEGIN_TABLE_STYLES: u16 = 0x01FC;
    pub const END_TABLE_STYLES: u16 = 0x01FD;
    pub const BEGIN_FILLS: u16 = 0x025B;
    pub const END_FILLS: u16 = 0x025C;
    pub const BEGIN_FONTS: u16 = 0x0263;
    pub const END_FONTS: u16 = 0x0264;
    pub const BEGIN_BORDERS: u16 = 0x0265;
    pub const END_BORDERS: u16 = 0x0266;
    pub const BEGIN_FMTS: u16 = 0x0267;
    pub const END_FMTS: u16 = 0x0268;
    pub const BEGIN_CELL_XFS: u16 = 0x0269;
    pub const END_CELL_XFS: u16 = 0x026A;
    pub const BEGIN_STYLES: u16 = 0x026B;
    pub const END_STYLES: u16 = 0x026C;
    pub const BEGIN_CELL_STYLE_XFS: u16 = 0x0272;
    pub const END_CELL_STYLE_XFS: u16 = 0x0273;
}

/// Error codes of BrtCellError ([MS-XLSB] 2.5.97.2 BErr).
pub const ERR_NULL: u8 = 0x00;
pub const ERR_DIV0: u8 = 0x07;
pub const ERR_VALUE: u8 = 0x0F;
pub const ERR_REF: u8 = 0x17;
pub const ERR_NAME: u8 = 0x1D;
pub const ERR_NUM: u8 = 0x24;
pub const ERR_NA: u8 = 0x2A;

/// The BErr code of a calamine error value (#VALUE! for codes xlsb lacks).
pub fn error_code(e: &calamine::CellErrorType) -> u8 {
    use calamine::CellErrorType as E;
    match e {
        E::Null => ERR_NULL,
        E::Div0 => ERR_DIV0,
        E::Ref => ERR_REF,
        E::Name => ERR_NAME,
        E::Num => ERR_NUM,
        E::NA => ERR_NA,
        _ => ERR_VALUE,
    }
}

/// Cell XF index of the date style (`yyyy-mm-dd`, custom format 164).
const XF_DATE: u32 = 1;

/// One cell value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A number: BrtCellRk when it fits an RK number, else BrtCellReal.
    Number(f64),
    /// A date as an Excel serial number, shown `yyyy-mm-dd`.
    Date(f64),
    /// Text in the shared-string table (BrtCellIsst), as Excel stores it.
    Text(String),
    /// Text stored in the cell itself (BrtCellSt).
    InlineText(String),
    Bool(bool),
    /// An error code (`ERR_*`).
    Error(u8),
    /// A formula with its cached result (BrtFmlaNum).
    Formula {
        value: f64,
        formula: Formula,
    },
}

/// The formulas the writer can store.
#[derive(Debug, Clone, PartialEq)]
pub enum Formula {
    /// `=SUM(range)` with absolute references, rows and columns 0-based,
    /// inclusive.
    Sum { rows: (u32, u32), cols: (u32, u32) },
    /// `=a+b+…` of number constants.
    Add(Vec<f64>),
}

impl Formula {
    /// The parsed formula tokens (rgce, [MS-XLSB] 2.2.2).
    fn rgce(&self) -> Vec<u8> {
        let mut v = Vec::new();
        match self {
            Formula::Sum { rows, cols } => {
                // PtgArea (absolute: the relative-row and relative-column bits
                // 14 and 15 of the columns clear), then PtgAttrSum.
                v.push(0x25);
                v.extend_from_slice(&rows.0.to_le_bytes());
                v.extend_from_slice(&rows.1.to_le_bytes());
                v.extend_from_slice(&(cols.0 as u16).to_le_bytes());
                v.extend_from_slice(&(cols.1 as u16).to_le_bytes());
                v.extend_from_slice(&[0x19, 0x10, 0, 0]);
            }
            Formula::Add(terms) => {
                // PtgNum for each term, PtgAdd after every term but the first.
                for (i, x) in terms.iter().enumerate() {
                    v.push(0x1F);
                    v.extend_from_slice(&x.to_le_bytes());
                    if i > 0 {
                        v.push(0x03);
                    }
                }
            }
        }
        v
    }
}

/// One worksheet: cells at 0-based (row, column) and merged ranges.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    cells: Vec<(u32, u32, Cell)>,
    /// (first row, last row, first column, last column), inclusive.
    merges: Vec<(u32, u32, u32, u32)>,
}

impl Sheet {
    /// Set a cell (0-based row and column); a later value replaces an earlier one.
    pub fn set(&mut self, row: u32, col: u32, cell: Cell) -> &mut Self {
        self.cells.retain(|(r, c, _)| (*r, *c) != (row, col));
        self.cells.push((row, col, cell));
        self
    }

    /// Merge a range (0-based, inclusive).
    pub fn merge(&mut self, rows: (u32, u32), cols: (u32, u32)) -> &mut Self {
        self.merges.push((rows.0, rows.1, cols.0, cols.1));
        self
    }
}

/// A workbook to be written as xlsb.
#[derive(Debug, Clone, Default)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
}

impl Workbook {
    /// Append a sheet and return it for filling.
    pub fn add_sheet(&mut self, name: &str) -> &mut Sheet {
        self.sheets.push(Sheet {
            name: name.into(),
            ..Sheet::default()
        });
        self.sheets.last_mut().expect("just pushed")
    }

    /// The .xlsb file bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        zip_parts(&self.parts())
    }

    /// The package parts (path in the zip, bytes), in the order they are zipped.
    pub fn parts(&self) -> Vec<(String, Vec<u8>)> {
        let mut sst = Sst::default();
        let sheets: Vec<Vec<u8>> = self.sheets.iter().map(|s| sheet_part(s, &mut sst)).collect();
        let mut parts: Vec<(String, Vec<u8>)> = vec![
            (
                "[Content_Types].xml".into(),
                content_types(self.sheets.len()).into_bytes(),
            ),
            ("_rels/.rels".into(), ROOT_RELS.as_bytes().to_vec()),
            ("xl/workbook.bin".into(), self.workbook_part()),
            (
                "xl/_rels/workbook.bin.rels".into(),
                workbook_rels(self.sheets.len()).into_bytes(),
            ),
        ];
        for (i, bytes) in sheets.into_iter().enumerate() {
            parts.push((format!("xl/worksheets/sheet{}.bin", i + 1), bytes));
        }
        parts.push(("xl/styles.bin".into(), styles_part()));
        parts.push(("xl/sharedStrings.bin".into(), sst.part()));
        parts
    }

    /// xl/workbook.bin ([MS-XLSB] 2.1.7.61): book properties and the sheet list.
    fn workbook_part(&self) -> Vec<u8> {
        let mut w = Records::default();
        w.rec(rt::BEGIN_BOOK, &[]);
        // BrtWbProp: flags (1900 date system), theme version, empty code name.
        w.rec(
            rt::WB_PROP,
            &cat(&[&0u32.to_le_bytes(), &0u32.to_le_bytes(), &wide("")]),
        );
        w.rec(rt::BEGIN_BUNDLE_SHS, &[]);
        for (i, sheet) in self.sheets.iter().enumerate() {
            let n = i as u32 + 1;
            // BrtBundleSh: visible, tab id, relationship id, name.
            w.rec(
                rt::BUNDLE_SH,
                &cat(&[
                    &0u32.to_le_bytes(),
                    &n.to_le_bytes(),
                    &wide(&format!("rId{n}")),
                    &wide(&sheet.name),
                ]),
            );
        }
        w.rec(rt::END_BUNDLE_SHS, &[]);
        w.rec(rt::END_BOOK, &[]);
        w.0
    }
}

/// A BIFF12 record stream.
#[derive(Default)]
struct Records(Vec<u8>);

impl Records {
    fn rec(&mut self, typ: u16, body: &[u8]) {
        // Type: 1 or 2 bytes of 7 bits; size: up to 4 bytes of 7 bits.
        if typ < 0x80 {
            self.0.push(typ as u8);
        } else {
            self.0.push((typ & 0x7F) as u8 | 0x80);
            self.0.push((typ >> 7) as u8);
        }
        let mut len = body.len();
        loop {
            let b = (len & 0x7F) as u8;
            len >>= 7;
            if len == 0 {
                self.0.push(b);
                break;
            }
            self.0.push(b | 0x80);
        }
        self.0.extend_from_slice(body);
    }
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// XLWideString: a count of UTF-16 code units, then the units little-endian.
fn wide(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut v = (units.len() as u32).to_le_bytes().to_vec();
    for u in units {
        v.extend_from_slice(&u.to_le_bytes());
    }
    v
}

/// Shared strings, numbered in order of first use.
#[derive(Default)]
struct Sst {
    index: HashMap<String, u32>,
    items: Vec<String>,
    total: u32,
}

impl Sst {
    fn add(&mut self, s: &str) -> u32 {
        self.total += 1;
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.items.len() as u32;
        self.items.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }

    /// xl/sharedStrings.bin ([MS-XLSB] 2.1.7.45).
    fn part(&self) -> Vec<u8> {
        let mut w = Records::default();
        let unique = self.items.len() as u32;
        w.rec(rt::BEGIN_SST, &cat(&[&self.total.to_le_bytes(), &unique.to_le_bytes()]));
        for s in &self.items {
            // RichStr without rich runs or phonetics: flags byte 0, then the text.
            w.rec(rt::SST_ITEM, &cat(&[&[0], &wide(s)]));
        }
        w.rec(rt::END_SST, &[]);
        w.0
    }
}

/// The Cell structure that starts every cell record: column and style.
fn cell_head(col: u32, xf: u32) -> Vec<u8> {
    let mut v = col.to_le_bytes().to_vec();
    // iStyleRef (24 bits) then the fPhShow / reserved byte.
    v.extend_from_slice(&xf.to_le_bytes()[..3]);
    v.push(0);
    v
}

/// The RK encoding of a number ([MS-XLSB] 2.5.122), when one is exact.
fn rk(x: f64) -> Option<u32> {
    let int30 =
        |n: f64| (n.fract() == 0.0 && (-(1i64 << 29) as f64..(1i64 << 29) as f64).contains(&n)).then_some(n as i32);
    if let Some(n) = int30(x) {
        return Some(((n << 2) as u32) | 0b10);
    }
    if let Some(n) = int30((x * 100.0).round())
        && f64::from(n) / 100.0 == x
    {
        return Some(((n << 2) as u32) | 0b11);
    }
    let bits = x.to_bits();
    (bits & 0x3_FFFF_FFFF == 0).then_some((bits >> 32) as u32 & !0b11)
}

/// One cell's record.
fn cell_record(w: &mut Records, col: u32, cell: &Cell, sst: &mut Sst) {
    match cell {
        Cell::Number(x) => match rk(*x) {
            Some(r) => w.rec(rt::CELL_RK, &cat(&[&cell_head(col, 0), &r.to_le_bytes()])),
            None => w.rec(rt::CELL_REAL, &cat(&[&cell_head(col, 0), &x.to_le_bytes()])),
        },
        Cell::Date(x) => w.rec(rt::CELL_REAL, &cat(&[&cell_head(col, XF_DATE), &x.to_le_bytes()])),
        Cell::Text(s) => {
            let i = sst.add(s);
            w.rec(rt::CELL_ISST, &cat(&[&cell_head(col, 0), &i.to_le_bytes()]));
        }
        Cell::InlineText(s) => w.rec(rt::CELL_ST, &cat(&[&cell_head(col, 0), &wide(s)])),
        Cell::Bool(b) => w.rec(rt::CELL_BOOL, &cat(&[&cell_head(col, 0), &[u8::from(*b)]])),
        Cell::Error(e) => w.rec(rt::CELL_ERROR, &cat(&[&cell_head(col, 0), &[*e]])),
        Cell::Formula { value, formula } => {
            let rgce = formula.rgce();
            w.rec(
                rt::FMLA_NUM,
                &cat(&[
                    &cell_head(col, 0),
                    &value.to_le_bytes(),
                    &0u16.to_le_bytes(), // grbitFlags
                    &(rgce.len() as u32).to_le_bytes(),
                    &rgce,
                    &0u32.to_le_bytes(), // no extra formula data
                ]),
            );
        }
    }
}

/// xl/worksheets/sheetN.bin ([MS-XLSB] 2.1.7.62).
fn sheet_part(sheet: &Sheet, sst: &mut Sst) -> Vec<u8> {
    let mut cells: Vec<&(u32, u32, Cell)> = sheet.cells.iter().collect();
    cells.sort_by_key(|(r, c, _)| (*r, *c));
    let mut w = Records::default();
    w.rec(rt::BEGIN_SHEET, &[]);
    // BrtWsDim: the used range (rwFirst, rwLast, colFirst, colLast).
    let rows = cells.iter().map(|c| c.0);
    let cols = cells.iter().map(|c| c.1);
    let dim = [
        rows.clone().min().unwrap_or(0),
        rows.max().unwrap_or(0),
        cols.clone().min().unwrap_or(0),
        cols.max().unwrap_or(0),
    ];
    w.rec(
        rt::WS_DIM,
        &dim.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<_>>(),
    );
    w.rec(rt::BEGIN_SHEET_DATA, &[]);
    for row in cells.chunk_by(|a, b| a.0 == b.0) {
        let (r, first, last) = (row[0].0, row[0].1, row[row.len() - 1].1);
        // BrtRowHdr: row, style 0, height 15 pt (300 twips), no flags, one
        // column span covering the row's cells.
        w.rec(
            rt::ROW_HDR,
            &cat(&[
                &r.to_le_bytes(),
                &0u32.to_le_bytes(),
                &300u16.to_le_bytes(),
                &[0, 0, 0],
                &1u32.to_le_bytes(),
                &first.to_le_bytes(),
                &last.to_le_bytes(),
            ]),
        );
        for (_, c, cell) in row {
            cell_record(&mut w, *c, cell, sst);
        }
    }
    w.rec(rt::END_SHEET_DATA, &[]);
    if !sheet.merges.is_empty() {
        w.rec(rt::BEGIN_MERGE_CELLS, &(sheet.merges.len() as u32).to_le_bytes());
        for m in &sheet.merges {
            let rfx: Vec<u8> = [m.0, m.1, m.2, m.3].iter().flat_map(|x| x.to_le_bytes()).collect();
            w.rec(rt::MERGE_CELL, &rfx);
        }
        w.rec(rt::END_MERGE_CELLS, &[]);
    }
    w.rec(rt::END_SHEET, &[]);
    w.0
}

/// BrtColor: a theme colour (fValidRGB, xColorType 3 = theme) or automatic.
fn color(theme: Option<u8>) -> [u8; 8] {
    match theme {
        Some(i) => [0x07, i, 0, 0, 0, 0, 0, 0xFF],
        None => [0x01, 0, 0, 0, 0, 0, 0, 0xFF],
    }
}

/// BrtXF: parent, number format, font, fill, border, alignment and flags.
fn xf(parent: u16, fmt: u16) -> Vec<u8> {
    cat(&[
        &parent.to_le_bytes(),
        &fmt.to_le_bytes(),
        &0u16.to_le_bytes(),      // font
        &0u16.to_le_bytes(),      // fill
        &0u16.to_le_bytes(),      // border
        &[0, 0],                  // rotation, indent
        &0x1010u16.to_le_bytes(), // bottom-aligned (alcv 2), fLocked
        &[0, 0],                  // xfGrbitAtr, unused
    ])
}

/// xl/styles.bin ([MS-XLSB] 2.1.7.50): Excel's default font, fills, border,
/// the Normal style, and two cell formats: 0 General, 1 `yyyy-mm-dd`.
fn styles_part() -> Vec<u8> {
    let mut w = Records::default();
    let one = 1u32.to_le_bytes();
    w.rec(rt::BEGIN_STYLE_SHEET, &[]);
    w.rec(rt::BEGIN_FMTS, &one);
    w.rec(rt::FMT, &cat(&[&164u16.to_le_bytes(), &wide("yyyy-mm-dd")]));
    w.rec(rt::END_FMTS, &[]);
    w.rec(rt::BEGIN_FONTS, &one);
    // BrtFont: 11 pt (220 twentieths), no flags, weight 400, no
    // super/subscript or underline, family 2 (swiss), charset 134 (GB2312),
    // theme text colour, minor scheme, name.
    w.rec(
        rt::FONT,
        &cat(&[
            &220u16.to_le_bytes(),
            &0u16.to_le_bytes(),
            &400u16.to_le_bytes(),
            &0u16.to_le_bytes(),
            &[0, 2, 134, 0],
            &color(Some(1)),
            &[2],
            &wide("等线"),
        ]),
    );
    w.rec(rt::END_FONTS, &[]);
    w.rec(rt::BEGIN_FILLS, &2u32.to_le_bytes());
    for pattern in [0u32, 17] {
        // BrtFill: none and gray125, automatic colours, no gradient.
        w.rec(
            rt::FILL,
            &cat(&[&pattern.to_le_bytes(), &color(None), &color(None), &[0; 4 + 8 * 5 + 4]]),
        );
    }
    w.rec(rt::END_FILLS, &[]);
    w.rec(rt::BEGIN_BORDERS, &one);
    // BrtBorder: no diagonals, five empty edges (style 0, automatic colour).
    let edge = cat(&[&[0, 0], &color(None)]);
    w.rec(rt::BORDER, &cat(&[&[0], &edge, &edge, &edge, &edge, &edge]));
    w.rec(rt::END_BORDERS, &[]);
    w.rec(rt::BEGIN_CELL_STYLE_XFS, &one);
    w.rec(rt::XF, &xf(0xFFFF, 0));
    w.rec(rt::END_CELL_STYLE_XFS, &[]);
    w.rec(rt::BEGIN_CELL_XFS, &2u32.to_le_bytes());
    w.rec(rt::XF, &xf(0, 0));
    w.rec(rt::XF, &xf(0, 164));
    w.rec(rt::END_CELL_XFS, &[]);
    w.rec(rt::BEGIN_STYLES, &one);
    // BrtStyle: Normal, built in (fBuiltIn), built-in style 0, no outline level.
    w.rec(
        rt::STYLE,
        &cat(&[&0u32.to_le_bytes(), &1u16.to_le_bytes(), &[0, 0xFF], &wide("常规")]),
    );
    w.rec(rt::END_STYLES, &[]);
    w.rec(rt::BEGIN_DXFS, &0u32.to_le_bytes());
    w.rec(rt::END_DXFS, &[]);
    w.rec(
        rt::BEGIN_TABLE_STYLES,
        &cat(&[
            &0u32.to_le_bytes(),
            &wide("TableStyleMedium2"),
            &wide("PivotStyleLight16"),
        ]),
    );
    w.rec(rt::END_TABLE_STYLES, &[]);
    w.rec(rt::END_STYLE_SHEET, &[]);
    w.0
}

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>"#;

fn content_types(sheets: usize) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>"#,
    );
    for i in 1..=sheets {
        s.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{i}.bin" ContentType="application/vnd.ms-excel.worksheet"/>"#
        ));
    }
    s.push_str(r#"<Override PartName="/xl/styles.bin" ContentType="application/vnd.ms-excel.styles"/><Override PartName="/xl/sharedStrings.bin" ContentType="application/vnd.ms-excel.sharedStrings"/></Types>"#);
    s
}

fn workbook_rels(sheets: usize) -> String {
    const NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for i in 1..=sheets {
        s.push_str(&format!(
            r#"<Relationship Id="rId{i}" Type="{NS}/worksheet" Target="worksheets/sheet{i}.bin"/>"#
        ));
    }
    let (st, ss) = (sheets + 1, sheets + 2);
    s.push_str(&format!(
        r#"<Relationship Id="rId{st}" Type="{NS}/styles" Target="styles.bin"/><Relationship Id="rId{ss}" Type="{NS}/sharedStrings" Target="sharedStrings.bin"/></Relationships>"#
    ));
    s
}

/// A deflated zip of the parts, with fixed timestamps (same bytes every run).
pub fn zip_parts(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut z = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    for (name, bytes) in parts {
        z.start_file(name.as_str(), opts).expect("zip entry");
        z.write_all(bytes).expect("zip write");
    }
    z.finish().expect("zip").into_inner()
}

/// Every sheet of an xlsx (or any workbook calamine reads), cell by cell at
/// absolute positions: numbers, dates, strings, booleans and errors.
pub fn from_workbook_bytes(data: &[u8]) -> Workbook {
    use calamine::{Data, Reader, open_workbook_auto_from_rs};
    let mut src = open_workbook_auto_from_rs(Cursor::new(data)).expect("readable workbook");
    let mut wb = Workbook::default();
    for name in src.sheet_names() {
        let range = src.worksheet_range(&name).expect("sheet");
        let sheet = wb.add_sheet(&name);
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, d) in range.used_cells() {
            let cell = match d {
                Data::Float(x) => Cell::Number(*x),
                Data::Int(i) => Cell::Number(*i as f64),
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
                Data::Bool(b) => Cell::Bool(*b),
                Data::DateTime(dt) => Cell::Date(dt.as_f64()),
                Data::Error(e) => Cell::Error(error_code(e)),
                Data::Empty => continue,
            };
            sheet.set(r0 + r as u32, c0 + c as u32, cell);
        }
    }
    wb
}
