//! Time and peak memory of reading the hostile inputs of issue 14 (not a
//! test: numbers depend on the machine). Each scenario runs in its own
//! process so that its peak resident memory (VmHWM) is its own.
//!
//! `cargo run --release --example hostile_inputs [rows]` writes the files
//! to the system's temporary directory and reads each in a child process.

use landeval::fields::FieldDict;
use landeval::ingest::{Source, ingest};
use rust_xlsxwriter::Workbook;
use std::io::{Cursor, Write};
use std::time::Instant;

/// One cell in column IU on each of `rows` rows (issue 14: 1,000,000 rows, 5 MB, exhausted 6 GB).
fn wide_xlsx(rows: u32) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("项目台账").expect("name");
    for r in 0..rows {
        ws.write_number(r, 254, 1.0).expect("cell");
    }
    wb.save_to_buffer().expect("xlsx")
}

/// 390,000 repeated rows × 255 repeated columns in under a kilobyte.
fn ods_bomb() -> Vec<u8> {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet><table:table table:name="项目台账"><table:table-row table:number-rows-repeated="390000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="255"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    w.start_file("mimetype", opts).expect("zip");
    w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .expect("zip");
    w.start_file("content.xml", opts).expect("zip");
    w.write_all(content.as_bytes()).expect("zip");
    w.finish().expect("zip").into_inner()
}

/// A csv with one field of ten million characters.
fn long_csv() -> Vec<u8> {
    format!("项目编号,项目名称\nX-01,{}\n", "长".repeat(10_000_000)).into_bytes()
}

/// Peak resident memory of this process, MB.
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Read one file and print what it cost.
fn run(path: &std::path::Path) {
    let source = Source::from_path(path).expect("input");
    let bytes = source.data.len();
    let dict = FieldDict::bundled();
    let start = Instant::now();
    let ds = ingest(&[source], &dict);
    let secs = start.elapsed().as_secs_f64();
    let first = ds
        .log
        .findings
        .first()
        .map_or(String::new(), |f| f.message.chars().take(50).collect());
    println!(
        "{:<22} {bytes:>9} bytes  read {secs:>6.2} s  peak {:>6.0} MB  findings {:>3}  first: {first}",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        peak_mb(),
        ds.log.findings.len()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(path) = args.get(1).filter(|a| a.contains('.')) {
        run(std::path::Path::new(path));
        return;
    }
    let rows = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join("landeval-hostile");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let files = [
        ("宽-一百万行.xlsx", wide_xlsx(rows)),
        ("重复行列.ods", ods_bomb()),
        ("长字段-项目台账.csv", long_csv()),
    ];
    let me = std::env::current_exe().expect("exe");
    for (name, data) in files {
        let path = dir.join(name);
        std::fs::write(&path, data).expect("write");
        let status = std::process::Command::new(&me).arg(&path).status();
        if !status.is_ok_and(|st| st.success()) {
            println!("{name}: failed");
        }
    }
}
