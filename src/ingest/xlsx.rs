//! xlsx sheets: calamine's cell stream with each cell's number format, plus
//! a scan of the sheet XML for what calamine reads without a word: a cell
//! reference beyond Excel's grid (calamine's arithmetic overflows on it) and
//! a shared-string index that is not a number (calamine reads string #0).

use super::grid::{Collector, Refused, Streamed};
use super::log::{self, Origin, QualityLog};
use calamine::{Data, Xlsx};
use quick_xml::events::Event;
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

/// Excel's last row and column (1-based): XFD1048576.
const EXCEL_ROWS: u64 = 1_048_576;
const EXCEL_COLS: u64 = 16_384;

/// Problems found in one sheet's XML.
#[derive(Debug, Default, PartialEq)]
pub struct SheetScan {
    /// A cell or row reference that is not a valid position (the first one).
    pub bad_reference: Option<String>,
    /// Cells (0-based row, column) of shared-string cells whose index is not a number, with the text found.
    pub bad_string_index: Vec<((usize, usize), String)>,
}

/// A position written `A1`-style, 0-based; `None` when it is not one or lies beyond XFD1048576.
fn parse_ref(r: &[u8]) -> Option<(usize, usize)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = &r[letters..];
    if letters == 0 || letters > 3 || digits.is_empty() || digits.len() > 7 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let col = r[..letters]
        .iter()
        .fold(0u64, |acc, b| acc * 26 + u64::from(b.to_ascii_uppercase() - b'A') + 1);
    let row = digits.iter().fold(0u64, |acc, b| acc * 10 + u64::from(b - b'0'));
    ((1..=EXCEL_ROWS).contains(&row) && (1..=EXCEL_COLS).contains(&col))
        .then(|| ((row - 1) as usize, (col - 1) as usize))
}

/// A row number as written in `<row r="…">`, 0-based.
fn parse_row(r: &[u8]) -> Option<usize> {
    if r.is_empty() || r.len() > 7 || !r.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let row = r.iter().fold(0u64, |acc, b| acc * 10 + u64::from(b - b'0'));
    (1..=EXCEL_ROWS).contains(&row).then(|| (row - 1) as usize)
}

/// The value of attribute `name` in the attribute text of a tag.
fn attr<'a>(tag: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut i = 0;
    while let Some(p) = memchr::memmem::find(&tag[i..], name) {
        let at = i + p;
        let before_ok = at == 0 || tag[at - 1].is_ascii_whitespace();
        let rest = &tag[at + name.len()..];
        let eq = rest.iter().position(|b| !b.is_ascii_whitespace());
        if before_ok && eq.is_some_and(|e| rest[e] == b'=') {
            let rest = &rest[eq.unwrap_or(0) + 1..];
            let q = rest.iter().position(|b| !b.is_ascii_whitespace())?;
            let quote = rest[q];
            if quote != b'"' && quote != b'\'' {
                return None;
            }
            let body = &rest[q + 1..];
            let end = memchr::memchr(quote, body)?;
            return Some(&body[..end]);
        }
        i = at + name.len();
    }
    None
}

/// A tag starting after `<`: whether it closes an element, its local name,
/// the rest of the tag up to `>`, and the position after it.
struct Tag<'a> {
    closing: bool,
    name: &'a [u8],
    attrs: &'a [u8],
    next: usize,
}

fn tag_at(xml: &[u8], from: usize) -> Option<Tag<'_>> {
    let end = from + memchr::memchr(b'>', &xml[from..])?;
    let closing = xml.get(from) == Some(&b'/');
    let tag = &xml[from + usize::from(closing)..end];
    let name_len = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(tag.len());
    let name = &tag[..name_len];
    let local = name.rsplit(|b| *b == b':').next().unwrap_or(name);
    Some(Tag {
        closing,
        name: local,
        attrs: &tag[name_len..],
        next: end + 1,
    })
}

/// Scan a worksheet's XML (see the module note). Stops at the first bad reference.
pub fn scan_sheet(xml: &[u8]) -> SheetScan {
    let mut out = SheetScan::default();
    let (mut row, mut col) = (0usize, 0usize);
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &xml[i..]) {
        let Some(Tag {
            closing,
            name,
            attrs,
            next,
        }) = tag_at(xml, i + p + 1)
        else {
            break;
        };
        i = next;
        if closing {
            continue;
        }
        match name {
            b"row" => {
                if let Some(r) = attr(attrs, b"r") {
                    match parse_row(r) {
                        Some(r) => row = r,
                        None => {
                            out.bad_reference = Some(format!("第 {} 行", String::from_utf8_lossy(r)));
                            return out;
                        }
                    }
                }
                col = 0;
            }
            b"c" => {
                let pos = match attr(attrs, b"r") {
                    Some(r) => match parse_ref(r) {
                        Some(pos) => pos,
                        None => {
                            out.bad_reference = Some(String::from_utf8_lossy(r).into_owned());
                            return out;
                        }
                    },
                    None => (row, col),
                };
                col = pos.1 + 1;
                let self_closing = attrs.last() == Some(&b'/');
                if !self_closing
                    && attr(attrs, b"t") == Some(b"s")
                    && let Some(v) = shared_index_text(xml, i)
                    && !v.trim().chars().all(|c| c.is_ascii_digit())
                {
                    out.bad_string_index.push((pos, v));
                }
            }
            _ => {}
        }
    }
    out
}

/// The text of the `<v>` element of the cell whose start tag ends at `from`.
fn shared_index_text(xml: &[u8], from: usize) -> Option<String> {
    let mut i = from;
    while let Some(p) = memchr::memchr(b'<', &xml[i..]) {
        let tag = tag_at(xml, i + p + 1)?;
        match (tag.closing, tag.name) {
            (false, b"v") => {
                let end = tag.next + memchr::memchr(b'<', &xml[tag.next..])?;
                return Some(String::from_utf8_lossy(&xml[tag.next..end]).into_owned());
            }
            (true, b"c") => return None,
            _ => i = tag.next,
        }
    }
    None
}

/// Whether a number format code shows a percentage: a `%` outside quoted
/// text, escapes and brackets of its first section.
pub fn is_percent_format(code: &str) -> bool {
    let mut chars = code.chars();
    let (mut quoted, mut bracket) = (false, false);
    while let Some(ch) = chars.next() {
        match ch {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => bracket = true,
            ']' => bracket = false,
            _ if bracket => {}
            ';' => return false,
            '%' => return true,
            _ => {}
        }
    }
    false
}

/// Worksheet paths in the zip by sheet name (from `xl/workbook.xml` and its
/// relationships); empty when they cannot be read (calamine then reports it).
pub fn sheet_paths(data: &[u8]) -> HashMap<String, String> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(data)) else {
        return HashMap::new();
    };
    let (Some(book), Some(rels)) = (
        member_text(&mut zip, "xl/workbook.xml"),
        member_text(&mut zip, "xl/_rels/workbook.xml.rels"),
    ) else {
        return HashMap::new();
    };
    let targets: HashMap<String, String> = elements(&rels, "Relationship", &["Id", "Target"])
        .into_iter()
        .map(|mut v| (std::mem::take(&mut v[0]), std::mem::take(&mut v[1])))
        .collect();
    elements(&book, "sheet", &["name", "r:id"])
        .into_iter()
        .filter_map(|v| {
            let target = targets.get(&v[1])?;
            let path = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("xl/{target}"),
            };
            Some((v[0].clone(), path))
        })
        .collect()
}

/// A zip member as text, if present and readable.
fn member_text(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<String> {
    let mut f = zip.by_name(name).ok()?;
    let mut s = String::new();
    f.read_to_string(&mut s).ok()?;
    Some(s)
}

/// The given attributes of every element with local name `local` (all present).
fn elements(xml: &str, local: &str, names: &[&str]) -> Vec<Vec<String>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == local => {
                let got: Option<Vec<String>> = names
                    .iter()
                    .map(|n| {
                        e.try_get_attribute(n).ok().flatten().and_then(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .ok()
                                .map(|v| v.into_owned())
                        })
                    })
                    .collect();
                out.extend(got);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// The XML of one zip member (for the scan), if readable.
pub fn member_bytes(data: &[u8], path: &str) -> Option<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(data)).ok()?;
    let mut f = zip.by_name(path).ok()?;
    let mut v = Vec::new();
    f.read_to_end(&mut v).ok()?;
    Some(v)
}

/// Log the problems of a scan. A bad reference refuses the sheet (`Err`);
/// cells with a bad string index are returned, to be left out.
pub fn report_scan(
    scan: SheetScan,
    file: &str,
    sheet: &str,
    log: &mut QualityLog,
) -> Result<HashSet<(usize, usize)>, Refused> {
    if let Some(r) = scan.bad_reference {
        log.error(
            Origin::new(file, sheet, String::new()),
            &r,
            format!(
                "工作表中的单元格位置“{r}”超出 Excel 的范围（最大为 XFD1048576），文件已损坏，该工作表未导入；请用 Excel 打开后重新保存"
            ),
        );
        return Err(Refused);
    }
    let mut skip = HashSet::new();
    for ((r, c), v) in scan.bad_string_index {
        log.error(
            Origin::new(file, sheet, log::a1(r as u32, c as u32)),
            &super::grid::visible(&v),
            "单元格的共享字符串编号不是数字，文件已损坏，该单元格未导入；请用 Excel 打开后重新保存".into(),
        );
        skip.insert((r, c));
    }
    Ok(skip)
}

/// Stream one xlsx sheet into `out`, with percent formats; `skip` are cells
/// the scan found broken.
pub fn read_sheet(
    wb: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    skip: &HashSet<(usize, usize)>,
    out: &mut Collector,
    log: &mut QualityLog,
) -> Streamed {
    let mut reader = match wb.worksheet_cells_reader(name) {
        Ok(r) => r,
        Err(e) => return Streamed::Broken(e.to_string()),
    };
    let percent: Vec<bool> = reader
        .styles()
        .iter()
        .map(|s| {
            s.number_format
                .as_ref()
                .is_some_and(|f| is_percent_format(&f.format_code))
        })
        .collect();
    loop {
        match reader.next_cell_with_style_id() {
            Ok(Some((cell, style))) => {
                let (r, c) = cell.get_position();
                let (r, c) = (r as usize, c as usize);
                if skip.contains(&(r, c)) {
                    continue;
                }
                let d = Data::from(cell.get_value().clone());
                let pct = matches!(d, Data::Float(_) | Data::Int(_)) && percent.get(style).copied().unwrap_or(false);
                if out.cell(r, c, d, pct, log).is_err() {
                    return Streamed::Refused;
                }
            }
            Ok(None) => return Streamed::Done,
            Err(e) => return Streamed::Broken(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_beyond_the_grid_are_found() {
        assert_eq!(parse_ref(b"A1"), Some((0, 0)));
        assert_eq!(parse_ref(b"XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_ref(b"XFE1"), None);
        assert_eq!(parse_ref(b"C99999999999"), None);
        assert_eq!(parse_ref(b"A0"), None);
        let xml = br#"<sheetData><row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>abc</v></c><c t="s"><v> 7 </v></c></row><row r="3"><c r="C99999999999"><v>1</v></c></row></sheetData>"#;
        let scan = scan_sheet(xml);
        assert_eq!(scan.bad_string_index, vec![((1, 1), "abc".to_string())]);
        assert_eq!(scan.bad_reference.as_deref(), Some("C99999999999"));
    }

    #[test]
    fn prefixed_tags_and_inline_strings() {
        let xml = br#"<x:row r="1"><x:c r="A1" t="s"><x:v>x1</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>ok</x:t></x:is></x:c><x:c r="C1" t="s"/></x:row>"#;
        assert_eq!(scan_sheet(xml).bad_string_index, vec![((0, 0), "x1".to_string())]);
    }

    #[test]
    fn percent_formats() {
        for code in ["0%", "0.00%", "#,##0.0%", "[Red]0%"] {
            assert!(is_percent_format(code), "{code}");
        }
        for code in ["General", "0.00", r#"0.0"%""#, r"0\%", "yyyy-mm-dd", "0;[Red]-0%"] {
            assert!(!is_percent_format(code), "{code}");
        }
    }
}
