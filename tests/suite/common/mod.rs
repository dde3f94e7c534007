//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod hostile;
pub mod layers;
pub mod xlsb;

use landeval::fields::FieldDict;
use landeval::ingest::Source;
use landeval::model::Model;
use landeval::pipeline::{self, Run};
use landeval::report::engine::fonts::FontSet;
use polars::prelude::DataFrame;
use std::path::{Path, PathBuf};

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Paths of the sample-province workbooks, sorted by name.
pub fn fixture_paths() -> Vec<PathBuf> {
    let dir = repo().join("fixtures/sample-province");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    paths.sort();
    paths
}

/// The sample-province workbooks, sorted by name.
pub fn fixture_sources() -> Vec<Source> {
    fixture_paths()
        .iter()
        .map(|p| Source::from_path(p).expect("readable fixture"))
        .collect()
}

/// Evaluate sources under a bundled model.
pub fn evaluate(sources: &[Source], model: &str) -> Run {
    let dict = FieldDict::bundled();
    let fonts = FontSet::load(None).expect("fonts");
    let ds = pipeline::read(sources, &dict, &fonts);
    pipeline::evaluate(ds, dict, Model::load(model).expect("model"), None).expect("evaluation")
}

/// A fresh scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Decoded streams of a PDF (FlateDecode inflated where possible).
fn pdf_streams(pdf: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(pos) = find(&pdf[i..], b"stream") {
        let mut start = i + pos + b"stream".len();
        if pdf[start..].starts_with(b"\r\n") {
            start += 2;
        } else if pdf[start..].starts_with(b"\n") {
            start += 1;
        } else {
            i = start;
            continue;
        }
        let Some(len) = find(&pdf[start..], b"endstream") else {
            break;
        };
        let raw = &pdf[start..start + len];
        out.push(miniz_oxide::inflate::decompress_to_vec_zlib(raw).unwrap_or_else(|_| raw.to_vec()));
        i = start + len + b"endstream".len();
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Hex tokens `<…>` of a byte string, in order.
fn hex_tokens(s: &str) -> Vec<String> {
    let mut v = Vec::new();
    let mut rest = s;
    while let Some(a) = rest.find('<') {
        if rest[a + 1..].starts_with('<') {
            rest = &rest[a + 2..];
            continue;
        }
        let Some(b) = rest[a + 1..].find('>') else { break };
        let tok: String = rest[a + 1..a + 1 + b].chars().filter(|c| !c.is_whitespace()).collect();
        if tok.chars().all(|c| c.is_ascii_hexdigit()) {
            v.push(tok.to_ascii_uppercase());
        }
        rest = &rest[a + 1 + b + 1..];
    }
    v
}

/// char → code (hex) maps of every ToUnicode CMap in the PDF.
fn to_unicode_maps(streams: &[Vec<u8>]) -> Vec<std::collections::HashMap<char, String>> {
    let mut maps = Vec::new();
    for s in streams {
        let text = String::from_utf8_lossy(s);
        if !text.contains("beginbfchar") && !text.contains("beginbfrange") {
            continue;
        }
        let mut map = std::collections::HashMap::new();
        for section in text.split("beginbfchar").skip(1) {
            let body = section.split("endbfchar").next().unwrap_or("");
            for pair in hex_tokens(body).chunks(2) {
                if let [code, uni] = pair
                    && let Some(c) = utf16_hex_char(uni)
                {
                    map.entry(c).or_insert_with(|| code.clone());
                }
            }
        }
        for section in text.split("beginbfrange").skip(1) {
            let body = section.split("endbfrange").next().unwrap_or("");
            for line in body.lines() {
                let t = hex_tokens(line);
                if let [lo, hi, dst] = t.as_slice()
                    && !line.contains('[')
                {
                    let (lo_n, hi_n) = (
                        u32::from_str_radix(lo, 16).unwrap(),
                        u32::from_str_radix(hi, 16).unwrap(),
                    );
                    let Some(first) = utf16_hex_char(dst) else { continue };
                    for k in 0..=(hi_n - lo_n) {
                        if let Some(c) = char::from_u32(first as u32 + k) {
                            map.entry(c)
                                .or_insert_with(|| format!("{:0w$X}", lo_n + k, w = lo.len()));
                        }
                    }
                }
            }
        }
        maps.push(map);
    }
    maps
}

fn utf16_hex_char(hex: &str) -> Option<char> {
    let units: Vec<u16> = (0..hex.len() / 4)
        .map(|i| u16::from_str_radix(&hex[i * 4..i * 4 + 4], 16).ok())
        .collect::<Option<_>>()?;
    let s = String::from_utf16(&units).ok()?;
    let mut it = s.chars();
    let c = it.next()?;
    it.next().is_none().then_some(c)
}

/// Strings shown in a content stream, as uppercase hex of their bytes:
/// literal `(…)` strings (with escapes) and hex `<…>` strings.
fn shown_strings(content: &[u8]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < content.len() {
        match content[i] {
            b'(' => {
                let (bytes, next) = literal_string(content, i + 1);
                out.extend(bytes.iter().map(|b| format!("{b:02X}")));
                i = next;
            }
            b'<' if content.get(i + 1) != Some(&b'<') => {
                let end = content[i..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(content.len(), |p| i + p);
                let tok: String = String::from_utf8_lossy(&content[i + 1..end])
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                if tok.chars().all(|c| c.is_ascii_hexdigit()) {
                    out.push_str(&tok.to_ascii_uppercase());
                }
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// Decode a PDF literal string starting after its `(`; returns the bytes and
/// the index after the closing `)`.
fn literal_string(c: &[u8], mut i: usize) -> (Vec<u8>, usize) {
    let mut out = Vec::new();
    let mut depth = 1;
    while i < c.len() {
        let b = c[i];
        i += 1;
        match b {
            b'\\' if i < c.len() => {
                let e = c[i];
                i += 1;
                match e {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'0'..=b'7' => {
                        let mut v = u32::from(e - b'0');
                        for _ in 0..2 {
                            match c.get(i) {
                                Some(d @ b'0'..=b'7') => {
                                    v = v * 8 + u32::from(d - b'0');
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push(v as u8);
                    }
                    b'\r' | b'\n' => {}
                    other => out.push(other),
                }
            }
            b'(' => {
                depth += 1;
                out.push(b);
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
                out.push(b);
            }
            _ => out.push(b),
        }
    }
    (out, i)
}

/// Whether the PDF shows `text` through a font whose ToUnicode map lets a
/// reader extract it (what pdftotext relies on).
pub fn pdf_has_text(pdf: &[u8], text: &str) -> bool {
    let streams = pdf_streams(pdf);
    let shown: String = streams
        .iter()
        .filter(|s| find(s, b"BT").is_some() && find(s, b"Tf").is_some())
        .map(|s| shown_strings(s))
        .collect();
    to_unicode_maps(&streams).iter().any(|map| {
        let coded: Option<String> = text.chars().map(|c| map.get(&c).cloned()).collect();
        coded.is_some_and(|needle| {
            let w = needle.len() / text.chars().count().max(1);
            shown.match_indices(&needle).any(|(i, _)| i % w == 0)
        })
    })
}

/// Two frames hold the same rows, column by column, whatever their row
/// order (both sorted by project id).
pub fn assert_same_frames(a: &DataFrame, b: &DataFrame, what: &str) {
    let sorted = |df: &DataFrame| df.sort(["project_id"], Default::default()).expect("sort");
    let (a, b) = (sorted(a), sorted(b));
    assert_eq!(a.height(), b.height(), "{what} rows");
    for col in a.columns() {
        let other = b.column(col.name()).expect("same columns");
        assert!(
            col.as_materialized_series()
                .equals_missing(other.as_materialized_series()),
            "{what}: column {} differs:\n{col:?}\n{other:?}",
            col.name()
        );
    }
}

/// Two runs read the same data: the same projects table and as many fund,
/// patch and land-use rows.
pub fn assert_same_data(a: &Run, b: &Run) {
    assert_same_frames(&a.dataset.projects, &b.dataset.projects, "projects");
    assert_eq!(a.dataset.funds.height(), b.dataset.funds.height(), "fund rows");
    assert_eq!(a.dataset.patches.height(), b.dataset.patches.height(), "patch rows");
    assert_eq!(a.dataset.landuse.height(), b.dataset.landuse.height(), "land-use rows");
}

/// Two runs of the 40-project sample province give every project the same
/// total, rank, grade, veto, selection and indicator values and points.
pub fn assert_same_scores(a: &Run, b: &Run) {
    let (x, y) = (projects_by_id(a), projects_by_id(b));
    assert_eq!(x.len(), 40);
    assert_eq!(x.len(), y.len());
    for (p, q) in x.iter().zip(&y) {
        assert_eq!(p.id, q.id);
        assert_eq!(p.total, q.total, "{} total", p.id);
        assert_eq!(p.rank, q.rank, "{} rank", p.id);
        assert_eq!(p.grade, q.grade, "{} grade", p.id);
        assert_eq!(p.vetoed, q.vetoed, "{} veto", p.id);
        assert_eq!(p.selected, q.selected, "{} selected", p.id);
        for (i, j) in p.indicators.iter().zip(&q.indicators) {
            assert_eq!((i.raw, i.earned), (j.raw, j.earned), "{} {}", p.id, i.id);
        }
    }
}

fn projects_by_id(run: &Run) -> Vec<&landeval::score::ProjectScore> {
    let mut v: Vec<_> = run.eval.projects.iter().collect();
    v.sort_by(|x, y| x.id.cmp(&y.id));
    v
}

/// `frame` with the fields of the national red-line set added, every red
/// line passed: synthetic cohorts are then scored as the pipeline scores
/// real ones (every model checks the national set).
pub fn with_passing_redlines(mut frame: DataFrame) -> DataFrame {
    use polars::prelude::{Column, NamedFrom, Series};
    let n = frame.height();
    for f in [
        "farmland_decreased",
        "quality_fell",
        "construction_increased",
        "redline_reduced",
        "new_farmland_unmeasured",
        "forced_demolition",
        "hidden_debt",
    ] {
        frame
            .with_column(Column::from(Series::new(f.into(), vec![false; n])))
            .expect("new column");
    }
    frame
        .with_column(Column::from(Series::new("pbf_adjust_ratio".into(), vec![0.0; n])))
        .expect("new column");
    frame
}

/// The rows of a dataset as a canonical workbook (`write_workbook` input),
/// so a test can take a fixture county, change a few cells and read it back.
/// Percent fields go back to percentages (95 = 95%), as the template takes them.
pub fn workbook_data(ds: &landeval::ingest::Dataset, dict: &FieldDict) -> landeval::template::WorkbookData {
    use landeval::fields::FieldType;
    use landeval::template::{CellValue, Row};
    use polars::prelude::AnyValue;
    let cell = |f: &landeval::fields::FieldDef, v: AnyValue| -> Option<CellValue> {
        Some(match v {
            AnyValue::Null => return None,
            AnyValue::Float64(x) if f.is_percent() => CellValue::Number((x * 100.0 * 1e9).round() / 1e9),
            AnyValue::Float64(x) => CellValue::Number(x),
            AnyValue::Boolean(b) => CellValue::Bool(b),
            AnyValue::String(s) if f.kind == FieldType::Date => CellValue::Date(s.to_string()),
            AnyValue::String(s) => CellValue::Text(s.to_string()),
            other => CellValue::Text(other.to_string()),
        })
    };
    let rows_of = |frame: &DataFrame, sheet: &str| -> Vec<Row> {
        let fields = dict.sheet_fields(sheet);
        (0..frame.height())
            .map(|i| {
                fields
                    .iter()
                    .filter_map(|f| {
                        let v = frame.column(&f.id).ok()?.get(i).ok()?;
                        cell(f, v).map(|c| (f.id.clone(), c))
                    })
                    .collect()
            })
            .collect()
    };
    let mut out = landeval::template::WorkbookData::new();
    for s in &dict.sheets {
        let frame = match s.id.as_str() {
            "funds" => &ds.funds,
            "patches" => &ds.patches,
            "landuse" => &ds.landuse,
            _ if s.per_project => &ds.projects,
            _ => continue,
        };
        out.insert(s.id.clone(), rows_of(frame, &s.id));
    }
    out
}

/// The row of project `id` on a per-project sheet of `data`.
pub fn row_mut<'a>(
    data: &'a mut landeval::template::WorkbookData,
    sheet: &str,
    id: &str,
) -> &'a mut landeval::template::Row {
    data.get_mut(sheet)
        .and_then(|rows| {
            rows.iter_mut()
                .find(|r| r.get("project_id") == Some(&landeval::template::CellValue::Text(id.to_string())))
        })
        .unwrap_or_else(|| panic!("no row of {id} on {sheet}"))
}

/// One fixture county read back after `edit` changed its cells; the
/// rewritten workbook keeps the county's file name (`tag` names the test's
/// scratch directory).
pub fn edited_county(tag: &str, file: &str, edit: impl FnOnce(&mut landeval::template::WorkbookData)) -> Vec<Source> {
    let dict = FieldDict::bundled();
    let fonts = FontSet::load(None).expect("fonts");
    let original = Source::from_path(&repo().join("fixtures/sample-province").join(file)).expect("fixture");
    let ds = pipeline::read(&[original], &dict, &fonts);
    let mut data = workbook_data(&ds, &dict);
    edit(&mut data);
    let dir = scratch(&format!("edited-{tag}"));
    let path = dir.join(file);
    landeval::template::write_workbook(&path, &dict, &data).expect("workbook written");
    vec![Source::from_path(&path).expect("written workbook")]
}

/// The sample province with one county replaced by its edited copy.
pub fn province_with(tag: &str, file: &str, edit: impl FnOnce(&mut landeval::template::WorkbookData)) -> Vec<Source> {
    let mut sources: Vec<Source> = fixture_sources().into_iter().filter(|s| s.name != file).collect();
    sources.extend(edited_county(tag, file, edit));
    sources
}

/// A workbook row from (field id, value) pairs.
pub fn row(pairs: &[(&str, landeval::template::CellValue)]) -> landeval::template::Row {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

/// A text cell.
pub fn text(s: &str) -> landeval::template::CellValue {
    landeval::template::CellValue::Text(s.into())
}

/// A number cell (percent fields take percentages).
pub fn num(x: f64) -> landeval::template::CellValue {
    landeval::template::CellValue::Number(x)
}

/// Give project `id` of `data` the cells every red line of the national set
/// reads, all passed (farmland 1000 → 1000 亩, 等别 6 → 6, no PBF adjusted, no
/// new farmland, construction 300 → 280 亩, red line 100 → 100 亩, no forced
/// demolition, no hidden debt); cells already there are kept.
pub fn add_passing_redlines(data: &mut landeval::template::WorkbookData, id: &str) {
    use landeval::template::CellValue::{Bool, Number};
    let cells = [
        ("farmland", "farmland_before", Number(1000.0)),
        ("farmland", "farmland_after", Number(1000.0)),
        ("farmland", "quality_grade_before", Number(6.0)),
        ("farmland", "quality_grade_after", Number(6.0)),
        ("farmland", "pbf_adjusted", Number(0.0)),
        ("farmland", "pbf_township_total", Number(800.0)),
        ("farmland", "new_farmland", Number(0.0)),
        ("construction", "construction_before", Number(300.0)),
        ("construction", "construction_after", Number(280.0)),
        ("ecology", "redline_before", Number(100.0)),
        ("ecology", "redline_after", Number(100.0)),
        ("process", "forced_demolition", Bool(false)),
        ("process", "hidden_debt", Bool(false)),
    ];
    for (sheet, field, value) in cells {
        let rows = data.entry(sheet.to_string()).or_default();
        let key = text(id);
        let at = match rows.iter().position(|r| r.get("project_id") == Some(&key)) {
            Some(i) => i,
            None => {
                rows.push(row(&[("project_id", key)]));
                rows.len() - 1
            }
        };
        rows[at].entry(field.to_string()).or_insert(value);
    }
}
