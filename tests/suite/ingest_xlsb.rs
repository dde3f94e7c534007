//! Excel binary workbooks (.xlsb), written by the test writer in
//! `tests/common/xlsb.rs`: every cell record reads back through calamine, a
//! county of the sample province as xlsb scores exactly like the xlsx, the
//! size limits refuse large or bomb-like xlsb files, damaged files give a
//! Chinese error naming the file, and cell errors name the right A1 cell.

use crate::common;

use calamine::{CellErrorType, Data, Reader, Xlsb};
use common::xlsb::{self, Cell, Formula};
use landeval::fields::FieldDict;
use landeval::ingest::{Dataset, Finding, Limits, Severity, Source, ingest_with};
use std::io::Cursor;

fn read_with(name: &str, data: Vec<u8>, limits: &Limits) -> Dataset {
    let src = Source {
        name: name.into(),
        data,
        siblings: Vec::new(),
    };
    ingest_with(&[src], &FieldDict::bundled(), limits)
}

/// Errors about a file (not the run-wide “no projects found”).
fn errors(ds: &Dataset) -> Vec<&Finding> {
    ds.log
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && !f.origin.file.is_empty())
        .collect()
}

/// A project ledger sheet: header in row 1, then one project per row with
/// the given area cell (column C).
fn ledger(rows: &[(&str, Cell)]) -> xlsb::Workbook {
    let mut wb = xlsb::Workbook::default();
    let ws = wb.add_sheet("项目台账");
    for (c, h) in ["项目编号", "项目名称", "整治区域面积（亩）"].iter().enumerate() {
        ws.set(0, c as u32, Cell::Text((*h).into()));
    }
    for (i, (id, area)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.set(r, 0, Cell::Text((*id).into()))
            .set(r, 1, Cell::Text(format!("{id} 项目")))
            .set(r, 2, area.clone());
    }
    wb
}

#[test]
fn every_cell_record_reads_back_through_calamine() {
    let mut wb = xlsb::Workbook::default();
    wb.add_sheet("封面");
    let ws = wb.add_sheet("数据表");
    ws.set(0, 0, Cell::Number(80.0)) // RK integer
        .set(1, 0, Cell::Number(1234.5)) // RK ×100 integer 123450
        .set(2, 0, Cell::Number(0.1 + 0.2)) // not an RK: BrtCellReal
        .set(3, 0, Cell::Number(-0.5)) // RK float (low 34 bits zero)
        .set(0, 1, Cell::Text("䶮村".into()))
        .set(1, 1, Cell::InlineText("乙村".into()))
        .set(2, 1, Cell::Bool(true))
        .set(3, 1, Cell::Error(xlsb::ERR_DIV0))
        // 2024-05-01 is serial 45413: 2024-01-01 is 45292, plus 31+29+31+30 days.
        .set(0, 2, Cell::Date(45413.0))
        .set(
            4,
            0,
            Cell::Formula {
                value: 1314.5,
                formula: Formula::Sum {
                    rows: (0, 1),
                    cols: (0, 0),
                },
            },
        )
        .merge((5, 6), (0, 2));
    let bytes = wb.to_bytes();
    // Kept for checking by hand, e.g. with LibreOffice (tests/data/README.md).
    std::fs::write(common::scratch("ingest-xlsb-cells").join("cells.xlsb"), &bytes).expect("write");
    let mut book = Xlsb::new(Cursor::new(bytes)).expect("xlsb opens");
    assert_eq!(book.sheet_names(), vec!["封面", "数据表"]);
    let range = book.worksheet_range("数据表").expect("sheet");
    assert_eq!(range.start(), Some((0, 0)));
    let at = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(at(0, 0), Data::Int(80));
    assert_eq!(at(1, 0), Data::Float(1234.5));
    assert_eq!(at(2, 0), Data::Float(0.1 + 0.2));
    assert_eq!(at(3, 0), Data::Float(-0.5));
    assert_eq!(at(0, 1), Data::String("䶮村".into()));
    assert_eq!(at(1, 1), Data::String("乙村".into()));
    assert_eq!(at(2, 1), Data::Bool(true));
    assert_eq!(at(3, 1), Data::Error(CellErrorType::Div0));
    assert_eq!(at(4, 0), Data::Float(1314.5));
    match at(0, 2) {
        Data::DateTime(d) => {
            assert_eq!(d.as_f64(), 45413.0);
            assert!(d.is_datetime());
        }
        other => panic!("date cell read as {other:?}"),
    }
    let formulas = book.worksheet_formula("数据表").expect("formulas");
    assert_eq!(formulas.get_value((4, 0)).map(String::as_str), Some("SUM($A$1:$A$2)"));
    assert!(book.worksheet_range("封面").expect("empty sheet").is_empty());
}

/// The county whose workbook is rewritten as xlsb.
const COUNTY: &str = "杉坳县";

#[test]
fn a_county_as_xlsb_scores_exactly_like_the_xlsx() {
    let clean = common::fixture_sources();
    let mut sources = Vec::new();
    for src in &clean {
        if src.name.contains(COUNTY) {
            // Every sheet, cell by cell: numbers, dates, text.
            let wb = xlsb::from_workbook_bytes(&src.data);
            assert!(wb.sheets.len() > 1, "all sheets of {}", src.name);
            let data = wb.to_bytes();
            let dir = common::scratch("ingest-xlsb-county");
            std::fs::write(dir.join(format!("{COUNTY}.xlsb")), &data).expect("write");
            sources.push(Source {
                name: format!("{COUNTY}.xlsb"),
                data,
                siblings: Vec::new(),
            });
        } else {
            sources.push(src.clone());
        }
    }
    assert!(sources.iter().any(|s| s.name.ends_with(".xlsb")));
    let a = common::evaluate(&clean, "national-2025");
    let b = common::evaluate(&sources, "national-2025");
    let issues = |run: &landeval::pipeline::Run| {
        let mut v: Vec<String> = run
            .dataset
            .log
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .map(|f| format!("{} {}：{}", f.severity.label(), f.origin.cell, f.message))
            .collect();
        v.sort();
        v
    };
    assert_eq!(issues(&a), issues(&b), "same findings");

    common::assert_same_data(&a, &b);
    common::assert_same_scores(&a, &b);
    // The county's projects really came from the xlsb.
    let from_xlsb = b
        .dataset
        .log
        .tallies
        .iter()
        .filter(|t| t.file.ends_with(".xlsb"))
        .map(|t| t.rows_used)
        .sum::<usize>();
    assert!(from_xlsb > 0, "rows read from the xlsb");
}

#[test]
fn text_and_error_cells_in_a_number_column_name_their_cell() {
    // Row 3 (T-02) holds “约300”, row 4 (T-03) the error #DIV/0!: cells C3 and C4.
    let wb = ledger(&[
        ("T-01", Cell::Number(80.0)),
        ("T-02", Cell::Text("约300".into())),
        ("T-03", Cell::Error(xlsb::ERR_DIV0)),
    ]);
    let ds = read_with("某县.xlsb", wb.to_bytes(), &Limits::default());
    let errs = errors(&ds);
    let at = |cell: &str| {
        errs.iter()
            .find(|f| f.origin.cell == cell)
            .unwrap_or_else(|| panic!("no error at {cell}: {errs:#?}"))
    };
    let c3 = at("C3");
    assert_eq!(
        (c3.origin.file.as_str(), c3.origin.sheet.as_str()),
        ("某县.xlsb", "项目台账")
    );
    assert_eq!(c3.raw, "约300");
    assert!(at("C4").message.contains("Excel 错误值 #DIV/0!"), "{:?}", at("C4"));
    assert_eq!(errs.len(), 2, "{errs:#?}");
}

#[test]
fn xlsb_beyond_the_row_column_or_size_limits_is_refused() {
    // Five data rows (rows 2–6) with at most 4 rows allowed: row 5 (A5, index 4)
    // is the first cell beyond the limit.
    let rows: Vec<(String, Cell)> = (1..=5).map(|i| (format!("T-{i:02}"), Cell::Number(10.0))).collect();
    let rows: Vec<(&str, Cell)> = rows.iter().map(|(id, c)| (id.as_str(), c.clone())).collect();
    let bytes = ledger(&rows).to_bytes();
    let small = Limits {
        max_rows: 4,
        ..Limits::default()
    };
    let ds = read_with("大表.xlsb", bytes.clone(), &small);
    let errs = errors(&ds);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].origin.file, "大表.xlsb");
    assert_eq!(errs[0].origin.sheet, "项目台账");
    assert_eq!(errs[0].origin.cell, "A5");
    assert!(
        errs[0].message.contains("行数超过上限 4 行（可用 --max-rows 调整）"),
        "{}",
        errs[0].message
    );
    assert_eq!(ds.projects.height(), 0);

    // Three columns allowed: the header's third column C (index 2) is the last one.
    let narrow = Limits {
        max_cols: 2,
        ..Limits::default()
    };
    let ds = read_with("大表.xlsb", bytes, &narrow);
    let errs = errors(&ds);
    assert_eq!(errs[0].origin.cell, "C1");
    assert!(errs[0].message.contains("列数超过上限 2 列（可用 --max-cols 调整）"));

    // A bomb: 60,000 rows of the same number. Each row is a 27-byte BrtRowHdr
    // and a 14-byte BrtCellRk, so the sheet unzips to 60,000 × 41 = 2,460,000
    // bytes (2 MB in whole MiB) from a small file; the limit is 1 MB.
    let mut wb = xlsb::Workbook::default();
    let ws = wb.add_sheet("项目台账");
    for r in 0..60_000 {
        ws.set(r, 0, Cell::Number(1.0));
    }
    let bomb = wb.to_bytes();
    assert!(bomb.len() < 200_000, "compressed to {} bytes", bomb.len());
    let tight = Limits {
        max_unzipped_bytes: 1024 * 1024,
        ..Limits::default()
    };
    let ds = read_with("炸弹.xlsb", bomb, &tight);
    let errs = errors(&ds);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].origin.file, "炸弹.xlsb");
    assert!(
        errs[0].message.contains("工作簿解压后大小 2 MB 超过上限 1 MB"),
        "{}",
        errs[0].message
    );
}

/// The parts of a one-project ledger with `edit` applied to one part.
fn damaged(part: &str, edit: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    let mut parts = ledger(&[("T-01", Cell::Number(80.0))]).parts();
    let (_, bytes) = parts.iter_mut().find(|(p, _)| p == part).expect("part");
    edit(bytes);
    xlsb::zip_parts(&parts)
}

/// The only error of a damaged file: it names the file and is in Chinese.
/// The one error a damaged file gives. A copy of the file is kept under
/// `target/tmp/ingest-xlsb-damaged/` for trying with the CLI.
fn the_error(name: &str, data: Vec<u8>) -> Finding {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("ingest-xlsb-damaged");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    std::fs::write(dir.join(name), &data).expect("write");
    let ds = read_with(name, data, &Limits::default());
    let errs = errors(&ds);
    assert_eq!(errs.len(), 1, "{name}: {errs:#?}");
    let e = errs[0].clone();
    assert_eq!(e.origin.file, name);
    assert!(
        e.message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{}",
        e.message
    );
    assert_eq!(ds.projects.height(), 0, "{name}");
    e
}

#[test]
fn damaged_xlsb_gives_a_chinese_error_naming_the_file() {
    let good = ledger(&[("T-01", Cell::Number(80.0))]).to_bytes();
    assert!(errors(&read_with("好.xlsb", good.clone(), &Limits::default())).is_empty());

    // Cut in half: the zip directory at the end is gone.
    let e = the_error("截断.xlsb", good[..good.len() / 2].to_vec());
    assert!(e.message.contains("文件已损坏"), "{}", e.message);

    // Bytes of the compressed sheet overwritten: the zip's checksum or the
    // deflate stream fails.
    let mut flipped = good.clone();
    let name = b"xl/worksheets/sheet1.bin";
    let at = find(&flipped, name).expect("local header") + name.len() + 2;
    for b in &mut flipped[at..at + 8] {
        *b ^= 0x5A;
    }
    the_error("乱码.xlsb", flipped);

    // A sheet cut in the middle of its last cell record.
    let e = the_error(
        "半页.xlsb",
        damaged("xl/worksheets/sheet1.bin", |b| {
            let keep = find(b, &[0x92, 0x01, 0x00]).expect("BrtEndSheetData") - 3;
            b.truncate(keep);
        }),
    );
    assert_eq!(e.origin.sheet, "项目台账");
    assert!(e.message.contains("工作表内容损坏"), "{}", e.message);

    // A shared-string index beyond the table (BrtCellIsst: type 07, size 0C,
    // column, style, index).
    let e = the_error(
        "串号.xlsb",
        damaged("xl/worksheets/sheet1.bin", |b| {
            let at = find(b, &[0x07, 0x0C]).expect("BrtCellIsst") + 10;
            b[at..at + 4].copy_from_slice(&9999u32.to_le_bytes());
        }),
    );
    assert!(e.message.contains("工作簿内容无法解析"), "{}", e.message);

    // A sheet whose relationship id is not in workbook.bin.rels.
    let e = the_error(
        "缺表.xlsb",
        damaged("xl/_rels/workbook.bin.rels", |b| {
            let at = find(b, b"\"rId1\"").expect("rId1");
            b[at + 4] = b'9';
        }),
    );
    assert!(e.message.contains("工作簿内容无法解析"), "{}", e.message);

    // A workbook part that is not a record stream at all.
    the_error("无目录.xlsb", damaged("xl/workbook.bin", |b| b.truncate(3)));
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
