//! Building hostile inputs: small workbooks written with rust_xlsxwriter,
//! zip members rewritten in place, and reading them through the ingest.

use landeval::fields::FieldDict;
use landeval::ingest::{Dataset, Finding, Limits, Severity, Source, ingest_with};
use rust_xlsxwriter::{Format, Workbook};
use std::io::{Cursor, Read, Write};

/// A cell to write.
#[derive(Clone, Debug)]
pub enum Cell {
    Text(String),
    Num(f64),
    /// A number shown with Excel's `0%` format (stored as the fraction).
    Pct(f64),
    /// An Excel date (year, month, day).
    Date(u16, u8, u8),
    Bool(bool),
    /// A formula with its cached result (a number or an error text).
    Formula(String, String),
    Empty,
}

pub fn t(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

pub fn n(x: f64) -> Cell {
    Cell::Num(x)
}

/// An xlsx workbook of the given sheets (rows from A1).
pub fn xlsx(sheets: &[(&str, Vec<Vec<Cell>>)]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let pct = Format::new().set_num_format("0%");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).expect("sheet name");
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                let written = match v {
                    Cell::Text(s) => ws.write_string(r, c, s).map(|_| ()),
                    Cell::Num(x) => ws.write_number(r, c, *x).map(|_| ()),
                    Cell::Pct(x) => ws.write_number_with_format(r, c, *x, &pct).map(|_| ()),
                    Cell::Date(y, m, d) => {
                        let day = rust_xlsxwriter::ExcelDateTime::from_ymd(*y, *m, *d).expect("date");
                        ws.write_datetime_with_format(r, c, &day, &date).map(|_| ())
                    }
                    Cell::Bool(b) => ws.write_boolean(r, c, *b).map(|_| ()),
                    Cell::Formula(f, res) => ws
                        .write_formula(r, c, rust_xlsxwriter::Formula::new(f).set_result(res))
                        .map(|_| ()),
                    Cell::Empty => Ok(()),
                };
                written.expect("cell written");
            }
        }
    }
    wb.save_to_buffer().expect("workbook")
}

/// The ledger header: A 项目编号, B 项目名称, C 市（州）, D 县（市、区）, E 整治区域面积（亩）.
pub fn ledger_header() -> Vec<Cell> {
    vec![
        t("项目编号"),
        t("项目名称"),
        t("市（州）"),
        t("县（市、区）"),
        t("整治区域面积（亩）"),
    ]
}

/// A ledger row of project `id` named `name`.
pub fn ledger_row(id: &str, name: &str) -> Vec<Cell> {
    vec![t(id), t(name), t("甲市"), t("乙县"), n(1000.0)]
}

/// A one-sheet workbook: the ledger with the given projects.
pub fn ledger(ids: &[&str]) -> Vec<u8> {
    let mut rows = vec![ledger_header()];
    rows.extend(ids.iter().map(|id| ledger_row(id, "测试项目")));
    xlsx(&[("项目台账", rows)])
}

/// Rewrite one member of a zip archive (deflated), leaving the others as they are.
pub fn rezip(data: &[u8], member: &str, edit: impl FnOnce(Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut edit = Some(edit);
    let mut zin = zip::ZipArchive::new(Cursor::new(data)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).expect("member");
        let name = f.name().expect("member name").to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).expect("member bytes");
        if name == member
            && let Some(edit) = edit.take()
        {
            bytes = edit(bytes);
        }
        out.start_file(name, opts).expect("start");
        out.write_all(&bytes).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

/// The members of a zip archive: name and bytes, in order.
pub fn members(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zin = zip::ZipArchive::new(Cursor::new(data)).expect("zip");
    (0..zin.len())
        .map(|i| {
            let mut f = zin.by_index(i).expect("member");
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).expect("member bytes");
            (f.name().expect("member name").to_string(), bytes)
        })
        .collect()
}

/// Rewrite a member's text, replacing the first `from` by `to` (which must be present).
pub fn replace_in(data: &[u8], member: &str, from: &str, to: &str) -> Vec<u8> {
    rezip(data, member, |b| {
        let s = String::from_utf8(b).expect("utf-8 member");
        assert!(s.contains(from), "{member} has no {from}");
        s.replacen(from, to, 1).into_bytes()
    })
}

/// A zip with the given members, stored or deflated.
pub fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        out.start_file(*name, opts).expect("start");
        out.write_all(bytes).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

/// Read sources with the default limits.
pub fn read(files: &[(&str, Vec<u8>)]) -> Dataset {
    read_with(files, &Limits::default())
}

pub fn read_with(files: &[(&str, Vec<u8>)], limits: &Limits) -> Dataset {
    let sources: Vec<Source> = files
        .iter()
        .map(|(name, data)| Source::new(*name, data.clone()))
        .collect();
    ingest_with(&sources, &FieldDict::bundled(), limits)
}

/// Findings of a severity at a place (`file / sheet / cell` prefix) whose message contains `text`.
pub fn found<'a>(ds: &'a Dataset, severity: Severity, place: &str, text: &str) -> Option<&'a Finding> {
    ds.log
        .findings
        .iter()
        .find(|f| f.severity == severity && f.origin.to_string().starts_with(place) && f.message.contains(text))
}

/// The log as text, for assertion messages.
pub fn show(ds: &Dataset) -> String {
    ds.log
        .findings
        .iter()
        .map(|f| format!("[{}] {}：{}（{}）", f.severity.label(), f.origin, f.message, f.raw))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The project ids read.
pub fn project_ids(ds: &Dataset) -> Vec<String> {
    ds.projects
        .column("project_id")
        .expect("project_id")
        .str()
        .expect("text")
        .iter()
        .map(|v| v.unwrap_or_default().to_string())
        .collect()
}

/// A text field of the projects, in project order.
pub fn texts(ds: &Dataset, field: &str) -> Vec<Option<String>> {
    ds.projects
        .column(field)
        .expect("column")
        .str()
        .expect("text")
        .iter()
        .map(|v| v.map(str::to_string))
        .collect()
}

/// A number field of the projects, in project order.
pub fn numbers(ds: &Dataset, field: &str) -> Vec<Option<f64>> {
    ds.projects
        .column(field)
        .expect("column")
        .f64()
        .expect("f64")
        .iter()
        .collect()
}

/// Whether a message is Chinese first (its first character is CJK or a Chinese quote).
pub fn chinese_first(message: &str) -> bool {
    message
        .chars()
        .next()
        .is_some_and(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || matches!(c, '“' | '（' | '第'))
}
