//! The same small ledger read from every supported format gives the same
//! projects: xlsx (written here), xls and ods (committed in tests/data/,
//! converted from `formats.xlsx` by LibreOffice, see tests/data/README.md),
//! csv in UTF-8, UTF-8 with BOM, GBK and GB18030.

use crate::common;

use common::xlsb;

use landeval::fields::FieldDict;
use landeval::ingest::{Dataset, Limits, Severity, Source, ingest_with};
use rust_xlsxwriter::Workbook;

/// The ledger as csv text: a title row, a caption naming 公顷, a header with
/// a points note, numbers as text, a 合计 row and a sign-off row.
/// Hand check: 80 公顷 × 15 = 1200 亩; "1,234.5" 公顷 × 15 = 18517.5 亩.
const LEDGER_CSV: &str = "某县全域土地综合整治项目统计表,,,\n\
填报单位：某县自然资源局  单位：公顷,,,\n\
项目编号,项目名称,整治区域面积（10分）,整体验收时间\n\
T-01,䶮村项目,80,2024年5月\n\
T-02,乙村项目,\"1,234.5\",2024/5/1\n\
合计,,1314.5,\n\
填表人：张三,,,\n";

/// The ledger's non-empty cells: (row, column, text), split on commas
/// outside quotes.
fn ledger_cells() -> Vec<(u32, u16, String)> {
    let mut cells = Vec::new();
    for (r, line) in LEDGER_CSV.lines().enumerate() {
        let mut c = 0u16;
        let mut field = String::new();
        let mut quoted = false;
        for ch in line.chars().chain(std::iter::once(',')) {
            match ch {
                '"' => quoted = !quoted,
                ',' if !quoted => {
                    if !field.is_empty() {
                        cells.push((r as u32, c, std::mem::take(&mut field)));
                    }
                    c += 1;
                }
                ch => field.push(ch),
            }
        }
    }
    cells
}

/// The same table as an xlsx workbook (sheet 项目台账).
fn ledger_xlsx() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("项目台账").expect("name");
    for (r, c, field) in ledger_cells() {
        match field.parse::<f64>() {
            Ok(x) => ws.write_number(r, c, x).map(|_| ()),
            Err(_) => ws.write_string(r, c, &field).map(|_| ()),
        }
        .expect("cell");
    }
    wb.save_to_buffer().expect("xlsx")
}

/// The same table as an xlsb workbook: text shared (as Excel stores it) or
/// inline in the cells, and the 合计 cell as the formula `=80+1234.5` with
/// its cached result 1314.5 (`SUM(C4:C5)` would be 80: C5 is text). A second sheet 说明 is not a data sheet.
fn ledger_xlsb(inline_text: bool) -> Vec<u8> {
    let mut wb = xlsb::Workbook::default();
    let ws = wb.add_sheet("项目台账");
    for (r, c, field) in ledger_cells() {
        let cell = match field.parse::<f64>() {
            Ok(x) if field == "1314.5" => xlsb::Cell::Formula {
                value: x,
                formula: xlsb::Formula::Add(vec![80.0, 1234.5]),
            },
            Ok(x) => xlsb::Cell::Number(x),
            Err(_) if inline_text => xlsb::Cell::InlineText(field),
            Err(_) => xlsb::Cell::Text(field),
        };
        ws.set(r, u32::from(c), cell);
    }
    // The title spans the four columns, as in a real ledger.
    ws.merge((0, 0), (0, 3));
    wb.add_sheet("说明")
        .set(0, 0, xlsb::Cell::Text("本表由某县自然资源局填报".into()));
    wb.to_bytes()
}

fn read(name: &str, data: Vec<u8>) -> Dataset {
    let src = Source {
        name: name.into(),
        data,
        siblings: Vec::new(),
    };
    ingest_with(&[src], &FieldDict::bundled(), &Limits::default())
}

/// (project id, name, area, accepted date) of every project.
fn projects(ds: &Dataset) -> Vec<(String, String, f64, String)> {
    let p = &ds.projects;
    let col = |n: &str| p.column(n).expect("column").clone();
    let (id, name, area, acc) = (
        col("project_id"),
        col("project_name"),
        col("area_total"),
        col("accepted_on"),
    );
    (0..p.height())
        .map(|i| {
            (
                id.str().expect("str").get(i).unwrap_or_default().to_string(),
                name.str().expect("str").get(i).unwrap_or_default().to_string(),
                area.f64().expect("f64").get(i).unwrap_or(f64::NAN),
                acc.str().expect("str").get(i).unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn expected() -> Vec<(String, String, f64, String)> {
    vec![
        ("T-01".into(), "䶮村项目".into(), 1200.0, "2024-05-01".into()),
        ("T-02".into(), "乙村项目".into(), 18517.5, "2024-05-01".into()),
    ]
}

fn assert_clean(name: &str, ds: &Dataset) {
    let errors: Vec<_> = ds
        .log
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:?}");
    assert_eq!(projects(ds), expected(), "{name}");
    let t = &ds.log.tallies[0];
    assert_eq!((t.rows_read, t.rows_used, t.rows_skipped), (4, 2, 2), "{name}");
    assert!(
        !ds.log
            .findings
            .iter()
            .any(|f| f.severity == Severity::Warning && f.message.contains("各行之和")),
        "{name}: the 合计 row agrees"
    );
}

#[test]
fn xlsx_and_csv_in_every_encoding() {
    let dir = common::scratch("ingest-formats");
    let xlsx = ledger_xlsx();
    std::fs::write(dir.join("formats.xlsx"), &xlsx).expect("write");
    assert_clean("xlsx", &read("某县.xlsx", xlsx));

    let utf8 = LEDGER_CSV.as_bytes().to_vec();
    assert_clean("utf8", &read("某县-项目台账.csv", utf8.clone()));
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(&utf8);
    assert_clean("bom", &read("某县-项目台账.csv", bom));
    // 䶮 (U+4DAE) is outside GBK: GB18030 encodes it with four bytes.
    let gb18030 = encoding_rs::GB18030.encode(LEDGER_CSV).0.into_owned();
    let ds = read("某县-项目台账.csv", gb18030);
    assert_clean("gb18030", &ds);
    assert!(ds.log.findings.iter().any(|f| f.message == "按 GBK/GB18030 编码读取"));
    // GBK without that character.
    let gbk_text = LEDGER_CSV.replace('䶮', "甲");
    let gbk = encoding_rs::GBK.encode(&gbk_text).0.into_owned();
    assert_eq!(projects(&read("某县-项目台账.csv", gbk))[0].1, "甲村项目");
}

#[test]
fn committed_xls_and_ods_read_like_the_xlsx() {
    let data = common::repo().join("tests/data");
    for name in ["formats.xls", "formats.ods"] {
        let bytes = std::fs::read(data.join(name)).expect("committed test file");
        assert_clean(name, &read(name, bytes));
    }
}

#[test]
fn xlsb_reads_like_the_xlsx() {
    let dir = common::scratch("ingest-formats-xlsb");
    for inline_text in [false, true] {
        let bytes = ledger_xlsb(inline_text);
        // Kept for checking by hand, e.g. with LibreOffice (tests/data/README.md).
        std::fs::write(dir.join(format!("formats-{inline_text}.xlsb")), &bytes).expect("write");
        let ds = read("某县.xlsb", bytes);
        assert_clean(&format!("xlsb (inline text: {inline_text})"), &ds);
        assert_eq!(ds.log.tallies[0].sheet, "项目台账");
    }
}
