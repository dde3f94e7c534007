//! ods (OpenDocument spreadsheet) sheets, read here rather than by calamine:
//! calamine expands `table:number-rows-repeated` and
//! `table:number-columns-repeated` into a dense range (an 869-byte file can
//! ask for 100 million cells). Here repeated empty cells only move the
//! position; repeated cells that hold data count against the row and column
//! limits, and the bytes they would take written out count against the
//! decompressed-size limit. Percentage cells keep their flag.

use super::grid::{Collector, MAX_CELL_CHARS, Refused, visible};
use super::limits::Limits;
use super::log::{Origin, QualityLog};
use super::source::SheetGrid;
use calamine::Data;
use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};
use std::io::{Cursor, Read};

/// Why an ods file could not be read (Chinese, with the library text).
pub type Failure = String;

/// One cell as written: its value, percent flag, columns it repeats over
/// and its size in the XML.
struct OdsCell {
    data: Data,
    percent: bool,
    repeat: usize,
    bytes: u64,
}

/// The state of the table being read.
struct Table<'a> {
    collector: Collector<'a>,
    row: usize,
    /// Bytes the repeated rows and cells would take written out.
    expanded: u64,
    refused: bool,
}

/// Read the ods workbook's sheets that `wanted` accepts. `Err` when the
/// file's content cannot be read at all.
pub fn read(
    file: &str,
    data: &[u8],
    limits: &Limits,
    wanted: &dyn Fn(&str) -> bool,
    log: &mut QualityLog,
) -> Result<Vec<SheetGrid>, Failure> {
    let xml = content_xml(data)?;
    let budget = limits.max_unzipped_bytes.saturating_sub(xml.len() as u64);
    let mut reader = Reader::from_str(&xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().map_err(|e| corrupt(&e.to_string()))? {
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                let name = visible(&attr(&e, "table:name").unwrap_or_default());
                if !wanted(&name) {
                    reader.read_to_end(e.name()).map_err(|err| corrupt(&err.to_string()))?;
                    out.push(SheetGrid::empty(name));
                    continue;
                }
                let mut table = Table {
                    collector: Collector::new(file, &name, limits),
                    row: 0,
                    expanded: 0,
                    refused: false,
                };
                read_table(&mut reader, &mut table, limits, budget, file, &name, log)?;
                if !table.refused {
                    out.push(SheetGrid {
                        grid: table.collector.finish(),
                        name,
                        csv: false,
                    });
                }
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// `content.xml` of the archive.
fn content_xml(data: &[u8]) -> Result<String, Failure> {
    let mut zip = zip::ZipArchive::new(Cursor::new(data)).map_err(|e| corrupt(&e.to_string()))?;
    let mut f = zip.by_name("content.xml").map_err(|_| {
        "文件不是有效的 ods 工作簿：缺少 content.xml，请用 WPS 或 LibreOffice 打开后重新保存".to_string()
    })?;
    let mut xml = String::new();
    f.read_to_string(&mut xml)
        .map_err(|e| super::source::library_message(&e.to_string()))?;
    Ok(xml)
}

fn corrupt(e: &str) -> Failure {
    format!("文件已损坏：ods 工作簿内容无法解析，请用 WPS 或 LibreOffice 打开后重新保存（{e}）")
}

/// An attribute's unescaped value.
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name).ok().flatten().and_then(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.into_owned())
    })
}

/// A repeat count attribute (1 when absent); `Err` when it is not a number.
fn repeat(e: &BytesStart, name: &str) -> Result<usize, Failure> {
    match attr(e, name) {
        None => Ok(1),
        Some(v) => v
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| corrupt(&format!("{name}=\"{v}\""))),
    }
}

fn read_table(
    reader: &mut Reader<&[u8]>,
    table: &mut Table,
    limits: &Limits,
    budget: u64,
    file: &str,
    sheet: &str,
    log: &mut QualityLog,
) -> Result<(), Failure> {
    loop {
        let start = reader.buffer_position();
        match reader.read_event().map_err(|e| corrupt(&e.to_string()))? {
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                let repeats = repeat(&e, "table:number-rows-repeated")?;
                let cells = read_row(reader)?;
                let bytes = reader.buffer_position() - start;
                if !table.refused {
                    add_row(table, &cells, repeats, bytes, limits, budget, file, sheet, log);
                }
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                let repeats = repeat(&e, "table:number-rows-repeated")?;
                table.row = table.row.saturating_add(repeats);
            }
            // A table nested in a cell or shape is not a sheet: skip it whole.
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                reader.read_to_end(e.name()).map_err(|err| corrupt(&err.to_string()))?;
            }
            Event::End(e) if e.name().as_ref() == "table:table" => return Ok(()),
            Event::Eof => return Err(corrupt("content.xml 在表格结束前中断")),
            _ => {}
        }
    }
}

/// Add a row (repeated `repeats` times) to the table; refuses the table
/// (logged) when a limit is passed.
#[allow(clippy::too_many_arguments)]
fn add_row(
    table: &mut Table,
    cells: &[OdsCell],
    repeats: usize,
    bytes: u64,
    limits: &Limits,
    budget: u64,
    file: &str,
    sheet: &str,
    log: &mut QualityLog,
) {
    let r0 = table.row;
    table.row = table.row.saturating_add(repeats);
    if cells.iter().all(|c| matches!(c.data, Data::Empty)) {
        return;
    }
    let last = r0.saturating_add(repeats - 1);
    if last >= limits.max_rows {
        super::grid::too_big(file, sheet, limits, last.max(limits.max_rows), 0, log);
        table.refused = true;
        return;
    }
    let cell_copies: u64 = cells
        .iter()
        .filter(|c| !matches!(c.data, Data::Empty))
        .map(|c| c.bytes.saturating_mul(c.repeat as u64 - 1))
        .sum();
    let row_bytes = bytes.saturating_add(cell_copies);
    table.expanded = table
        .expanded
        .saturating_add(cell_copies)
        .saturating_add(row_bytes.saturating_mul(repeats as u64 - 1));
    if table.expanded > budget {
        log.error(
            Origin::new(file, sheet, String::new()),
            "",
            format!(
                "工作表中重复的行列（table:number-rows-repeated 等）展开后超过解压大小上限 {} MB，已拒绝读取（可用 --max-unzipped-mb 调整上限）",
                limits.max_unzipped_bytes / (1024 * 1024)
            ),
        );
        table.refused = true;
        return;
    }
    for r in r0..=last {
        let mut c = 0usize;
        for cell in cells {
            if matches!(cell.data, Data::Empty) {
                c = c.saturating_add(cell.repeat);
                continue;
            }
            for _ in 0..cell.repeat {
                if table.collector.cell(r, c, cell.data.clone(), cell.percent, log) == Err(Refused) {
                    table.refused = true;
                    return;
                }
                c += 1;
            }
        }
    }
}

/// The cells of a row up to its end tag.
fn read_row(reader: &mut Reader<&[u8]>) -> Result<Vec<OdsCell>, Failure> {
    let mut cells = Vec::new();
    loop {
        let start = reader.buffer_position();
        match reader.read_event().map_err(|e| corrupt(&e.to_string()))? {
            Event::Start(e) if is_cell(&e) => {
                let (data, percent) = typed_value(&e);
                let repeat = repeat(&e, "table:number-columns-repeated")?;
                let text = read_cell_text(reader, e.name().as_ref())?;
                let data = match data {
                    Some(d) => d,
                    None if text.is_empty() => Data::Empty,
                    None => Data::String(text),
                };
                let bytes = reader.buffer_position() - start;
                cells.push(OdsCell {
                    data,
                    percent,
                    repeat,
                    bytes,
                });
            }
            Event::Empty(e) if is_cell(&e) => {
                let (data, percent) = typed_value(&e);
                cells.push(OdsCell {
                    data: data.unwrap_or(Data::Empty),
                    percent,
                    repeat: repeat(&e, "table:number-columns-repeated")?,
                    bytes: reader.buffer_position() - start,
                });
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => return Ok(cells),
            Event::Eof => return Err(corrupt("content.xml 在行结束前中断")),
            _ => {}
        }
    }
}

fn is_cell(e: &BytesStart) -> bool {
    matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell")
}

/// The value a cell's attributes give (`None`: the text content is the
/// value) and whether it is a percentage.
fn typed_value(e: &BytesStart) -> (Option<Data>, bool) {
    let kind = attr(e, "office:value-type").unwrap_or_default();
    let number = || {
        attr(e, "office:value")
            .and_then(|v| v.trim().parse::<f64>().ok())
            .map(Data::Float)
    };
    match kind.as_str() {
        "float" | "currency" => (number(), false),
        "percentage" => (number(), true),
        "date" => (attr(e, "office:date-value").map(Data::DateTimeIso), false),
        "time" => (attr(e, "office:time-value").map(Data::DurationIso), false),
        "boolean" => (
            attr(e, "office:boolean-value").map(|v| Data::Bool(v.trim().eq_ignore_ascii_case("true"))),
            false,
        ),
        "string" => (attr(e, "office:string-value").map(Data::String), false),
        _ => (None, false),
    }
}

/// The text of a cell up to its end tag: paragraphs joined by line breaks,
/// `text:s` spaces, tabs; annotations left out. Text beyond the cell limit
/// is cut one character after it (the collector then refuses the cell).
fn read_cell_text(reader: &mut Reader<&[u8]>, end: &str) -> Result<String, Failure> {
    let end = end.to_string();
    let mut s = String::new();
    let mut paragraphs = 0usize;
    let push = |s: &mut String, t: &str| {
        if s.len() <= 4 * MAX_CELL_CHARS {
            s.push_str(t);
        }
    };
    loop {
        match reader.read_event().map_err(|e| corrupt(&e.to_string()))? {
            Event::Text(t) => push(&mut s, &t.xml10_content()),
            Event::CData(t) => push(&mut s, &t.xml10_content()),
            Event::GeneralRef(r) => push(&mut s, &entity(&r)),
            Event::Start(e) if e.name().as_ref() == "office:annotation" => {
                reader.read_to_end(e.name()).map_err(|err| corrupt(&err.to_string()))?;
            }
            Event::Start(e) if e.name().as_ref() == "text:p" => {
                if paragraphs > 0 {
                    push(&mut s, "\n");
                }
                paragraphs += 1;
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "text:s" => {
                let n = attr(&e, "text:c").and_then(|v| v.parse::<usize>().ok()).unwrap_or(1);
                push(&mut s, &" ".repeat(n.min(MAX_CELL_CHARS + 1)));
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "text:tab" => push(&mut s, "\t"),
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "text:line-break" => push(&mut s, "\n"),
            Event::End(e) if e.name().as_ref() == end => return Ok(s),
            Event::Eof => return Err(corrupt("content.xml 在单元格结束前中断")),
            _ => {}
        }
    }
}

/// An entity reference as text (`&amp;`, `&#x4E00;` …); unknown ones as written.
fn entity(r: &BytesRef) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name = r.xml10_content();
    match quick_xml::escape::resolve_predefined_entity(&name) {
        Some(t) => t.to_string(),
        None => format!("&{name};"),
    }
}
