//! 图斑明细 as a parquet file beside the workbook: same results as the sheet,
//! every compression, units in the column name, and one message per defect
//! naming the file, row and column (none panics). The parquet files are
//! written here with polars' `ParquetWriter` and kept in the scratch
//! directory for inspection.

use crate::common;

use calamine::{Data, DataType as _, Reader, open_workbook_auto};
use landeval::fields::FieldDict;
use landeval::ingest::{Dataset, Limits, Severity, Source, ingest_with};
use polars::prelude::{Column, DataFrame, NamedFrom, ParquetCompression, ParquetWriter, Series};

/// Parquet bytes of a frame.
fn parquet(df: &DataFrame, compression: ParquetCompression) -> Vec<u8> {
    let mut df = df.clone();
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .with_compression(compression)
        .finish(&mut df)
        .expect("write parquet");
    bytes
}

fn source(name: &str, data: Vec<u8>) -> Source {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("ingest-parquet");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    std::fs::write(dir.join(name), &data).expect("scratch file");
    Source::new(name, data)
}

/// A one-project ledger (项目编号 T-01, 平原, 1000 亩) as csv.
fn ledger() -> Source {
    source(
        "测试县-项目台账.csv",
        "项目编号,项目名称,地形,整治区域面积（亩）\nT-01,测试项目,平原,1000\n".into(),
    )
}

fn read(sources: &[Source], limits: &Limits) -> Dataset {
    ingest_with(sources, &FieldDict::bundled(), limits)
}

/// A patch frame with the given columns.
fn frame(columns: Vec<Series>) -> DataFrame {
    let cols: Vec<Column> = columns.into_iter().map(Column::from).collect();
    DataFrame::new_infer_height(cols).expect("frame")
}

fn text(name: &str, v: &[&str]) -> Series {
    Series::new(name.into(), v)
}

/// Three patches of T-01: 2 before (10 + 20 亩), 1 after (35 亩).
fn three_patches() -> DataFrame {
    frame(vec![
        text("项目编号", &["T-01", "T-01", "T-01"]),
        text("阶段", &["整治前", "整治前", "整治后"]),
        text("图斑编号", &["P1", "P2", "P3"]),
        text("地类", &["水田", "旱地", "水田"]),
        Series::new("图斑面积".into(), &[10.0, 20.0, 35.0]),
    ])
}

/// The 图斑明细 sheet of a workbook as a frame with its own header names
/// (numbers stay numbers, everything else text).
fn patch_sheet(path: &std::path::Path) -> DataFrame {
    let mut wb = open_workbook_auto(path).expect("workbook");
    let range = wb.worksheet_range("图斑明细").expect("图斑明细 sheet");
    let rows: Vec<&[Data]> = range.rows().collect();
    let h = rows
        .iter()
        .position(|r| r.iter().any(|d| d.get_string() == Some("项目编号")))
        .expect("header row");
    let body = &rows[h + 1..];
    let columns = rows[h]
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.to_string().is_empty())
        .map(|(c, d)| {
            let name = d.to_string();
            let cells = body.iter().map(|r| r.get(c).cloned().unwrap_or(Data::Empty));
            if name.starts_with("图斑面积") {
                let v: Vec<Option<f64>> = cells.map(|d| d.as_f64()).collect();
                Series::new(name.as_str().into(), v)
            } else {
                let v: Vec<Option<String>> = cells
                    .map(|d| (!matches!(d, Data::Empty)).then(|| d.to_string()))
                    .collect();
                Series::new(name.as_str().into(), v)
            }
        })
        .collect();
    frame(columns)
}

/// 苇塘县's 图斑明细 (QL-0201-03: 1516 patches before, 1030 after) moved out
/// of its workbook into `苇塘县-图斑明细.parquet` gives the same patch
/// metrics, field table, scores and ranks as the sample province.
#[test]
fn sample_province_with_patches_in_parquet_scores_the_same() {
    let repo = common::repo();
    let clean = common::evaluate(&common::fixture_sources(), "national-2025");
    let patches = patch_sheet(&repo.join("fixtures/sample-province/苇塘县.xlsx"));
    assert_eq!(patches.height(), 1516 + 1030);
    // The messy copy of 苇塘县.xlsx has no 图斑明细 sheet (its patches are a csv there).
    let no_patches = Source::from_path(&repo.join("fixtures/sample-province-messy/苇塘县.xlsx")).expect("xlsx");
    let mut sources: Vec<Source> = common::fixture_sources()
        .into_iter()
        .filter(|s| s.name != "苇塘县.xlsx")
        .collect();
    sources.push(no_patches);
    sources.push(source(
        "苇塘县-图斑明细.parquet",
        parquet(&patches, ParquetCompression::Snappy),
    ));
    let run = common::evaluate(&sources, "national-2025");
    let problems: Vec<String> = run
        .dataset
        .log
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| format!("{} {}：{}", f.severity.label(), f.origin, f.message))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");

    assert_eq!(run.dataset.patches.height(), clean.dataset.patches.height());
    common::assert_same_frames(&clean.dataset.projects, &run.dataset.projects, "projects");
    common::assert_same_frames(&clean.table, &run.table, "field table (with patch metrics)");
    common::assert_same_scores(&clean, &run);

    // Origins: file and data row (from 1) of every patch; all 2546 rows read and used.
    // One group of 2546 rows from the one file; the cells of its first
    // 200 rows are kept (DetailRows::KEPT), the rest only counted.
    let rows = &run.dataset.origins.rows[&("patches".to_string(), "QL-0201-03".to_string())];
    assert_eq!(rows.len(), 2546);
    assert_eq!(rows.groups.len(), 1);
    let g = &rows.groups[0];
    assert_eq!(g.file, "苇塘县-图斑明细.parquet");
    assert_eq!(g.first.len(), landeval::ingest::DetailRows::KEPT);
    assert_eq!(g.first[0], "第 1 行");
    assert_eq!(g.first[199], "第 200 行");
    assert_eq!(rows.get(199).map(|o| o.cell), Some("第 200 行".to_string()));
    assert!(rows.get(200).is_none());
    let t = run
        .dataset
        .log
        .tallies
        .iter()
        .find(|t| t.file == "苇塘县-图斑明细.parquet")
        .expect("tally");
    assert_eq!((t.rows_read, t.rows_used, t.rows_skipped), (2546, 2546, 0));
}

/// The same table written uncompressed, with snappy and with zstd reads
/// identically: 10 + 20 + 35 亩.
#[test]
fn every_compression_reads_the_same() {
    let df = three_patches();
    let mut frames = Vec::new();
    for (label, c) in [
        ("uncompressed", ParquetCompression::Uncompressed),
        ("snappy", ParquetCompression::Snappy),
        ("zstd", ParquetCompression::Zstd(None)),
    ] {
        let name = format!("测试县-图斑明细-{label}.parquet");
        let ds = read(&[ledger(), source(&name, parquet(&df, c))], &Limits::default());
        assert!(!ds.log.has_errors(), "{label}: {:#?}", ds.log.findings);
        let area: Vec<Option<f64>> = ds.patches.column("patch_area").unwrap().f64().unwrap().iter().collect();
        assert_eq!(area, vec![Some(10.0), Some(20.0), Some(35.0)], "{label}");
        frames.push(ds.patches);
    }
    assert!(frames[0].equals_missing(&frames[1]));
    assert!(frames[0].equals_missing(&frames[2]));
}

/// 面积（公顷）: 1 公顷 = 15 亩, so 1 → 15 and 2.5 → 37.5; integer ids and a
/// text stage column read too; the conversion is logged once for the column.
#[test]
fn hectares_in_the_column_name_are_converted_to_mu() {
    let df = frame(vec![
        text("项目编号", &["T-01", "T-01"]),
        text("阶段", &["整治前", "整治后"]),
        Series::new("标识码".into(), &[101i64, 102]),
        Series::new("图斑面积（公顷）".into(), &[1.0, 2.5]),
    ]);
    let ds = read(
        &[
            ledger(),
            source("测试县-图斑明细-公顷.parquet", parquet(&df, ParquetCompression::Snappy)),
        ],
        &Limits::default(),
    );
    assert!(!ds.log.has_errors(), "{:#?}", ds.log.findings);
    let area: Vec<Option<f64>> = ds.patches.column("patch_area").unwrap().f64().unwrap().iter().collect();
    assert_eq!(area, vec![Some(15.0), Some(37.5)]);
    let ids: Vec<Option<&str>> = ds.patches.column("patch_id").unwrap().str().unwrap().iter().collect();
    assert_eq!(ids, vec![Some("101"), Some("102")]);
    let notes: Vec<_> = ds
        .log
        .findings
        .iter()
        .filter(|f| f.message.contains("已换算为“亩”（×15）"))
        .collect();
    assert_eq!(notes.len(), 1, "logged once");
    assert_eq!(notes[0].origin.file, "测试县-图斑明细-公顷.parquet");
    assert_eq!(notes[0].origin.cell, "列“图斑面积（公顷）”");
}

/// The findings of a file, as `severity origin：message`.
fn findings(ds: &Dataset, file: &str) -> Vec<String> {
    ds.log
        .findings
        .iter()
        .filter(|f| f.origin.file == file)
        .map(|f| format!("{} {}：{}", f.severity.label(), f.origin, f.message))
        .collect()
}

/// Read a parquet file beside the one-project ledger and expect a finding
/// of `severity` containing `text`.
fn expect(name: &str, bytes: Vec<u8>, limits: Limits, severity: Severity, text: &str) -> Dataset {
    let ds = read(&[ledger(), source(name, bytes)], &limits);
    let all = findings(&ds, name);
    assert!(
        ds.log.findings.iter().any(|f| f.severity == severity
            && f.origin.file == name
            && format!("{}：{}", f.origin, f.message).contains(text)),
        "{name}: expected {severity:?} containing {text:?}, got {all:#?}"
    );
    ds
}

#[test]
fn broken_files_are_refused_with_their_name() {
    let good = parquet(&three_patches(), ParquetCompression::Snappy);
    // Cut in half: the footer and its PAR1 mark are gone.
    let half = good[..good.len() / 2].to_vec();
    let ds = expect(
        "截断-图斑明细.parquet",
        half,
        Limits::default(),
        Severity::Error,
        "截断-图斑明细.parquet：parquet 文件不完整（文件尾缺少 PAR1 标记），可能在复制或下载时被截断",
    );
    assert_eq!(ds.patches.height(), 0);

    // PAR1 at both ends, garbage in between (footer length and metadata overwritten).
    let mut garbled = good.clone();
    let n = garbled.len();
    for b in &mut garbled[4..n - 4] {
        *b = 0xA5;
    }
    expect(
        "损坏-图斑明细.parquet",
        garbled,
        Limits::default(),
        Severity::Error,
        "parquet 文件已损坏，无法读取",
    );

    let random: Vec<u8> = (0u32..3000)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    expect(
        "随机-图斑明细.parquet",
        random,
        Limits::default(),
        Severity::Error,
        "该文件不是 parquet 格式（文件头缺少 PAR1 标记）",
    );

    let csv = "项目编号,阶段,图斑面积\nT-01,整治前,10\n".as_bytes().to_vec();
    expect(
        "改名-图斑明细.parquet",
        csv,
        Limits::default(),
        Severity::Error,
        "内容是文本（像是改了扩展名的 csv 文件）；请把扩展名改为 .csv",
    );
}

/// Random single-byte and truncation damage to a valid file never panics.
#[test]
fn damaged_bytes_never_panic() {
    let good = parquet(&three_patches(), ParquetCompression::Zstd(None));
    let mut seed: u64 = 20_251_123;
    for i in 0..60 {
        let mut bytes = good.clone();
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let at = (seed >> 33) as usize % bytes.len();
        if i % 3 == 0 {
            bytes.truncate(at.max(1));
        } else {
            bytes[at] ^= (seed >> 17) as u8 | 1;
        }
        // Any outcome but a panic; a refused file is named.
        let ds = read(&[ledger(), source("受损-图斑明细.parquet", bytes)], &Limits::default());
        for f in ds.log.findings.iter().filter(|f| f.severity == Severity::Error) {
            assert!(!f.origin.file.is_empty(), "{}", f.message);
        }
    }
}

#[test]
fn a_missing_required_column_is_named() {
    let df = frame(vec![
        text("项目编号", &["T-01"]),
        text("阶段", &["整治前"]),
        text("地类", &["水田"]),
    ]);
    let ds = expect(
        "缺列-图斑明细.parquet",
        parquet(&df, ParquetCompression::Snappy),
        Limits::default(),
        Severity::Error,
        "parquet 文件缺少必需的列“图斑面积”，文件未导入",
    );
    assert_eq!(ds.patches.height(), 0);
}

/// Area as text: row 2 (“约3亩”) is an estimate and row 3 is empty; row 1
/// “1,234.5” reads as 1234.5.
#[test]
fn text_areas_are_parsed_and_bad_ones_named_by_row() {
    let df = frame(vec![
        text("项目编号", &["T-01", "T-01", "T-01"]),
        text("阶段", &["整治前", "整治前", "整治后"]),
        Series::new("图斑面积".into(), &[Some("1,234.5"), Some("约3亩"), None]),
    ]);
    let name = "文本面积-图斑明细.parquet";
    let ds = expect(
        name,
        parquet(&df, ParquetCompression::Snappy),
        Limits::default(),
        Severity::Error,
        "文本面积-图斑明细.parquet / 图斑明细 / 第 2 行，列“图斑面积”：“图斑面积”是估计值",
    );
    expect(
        name,
        parquet(&df, ParquetCompression::Snappy),
        Limits::default(),
        Severity::Warning,
        "第 3 行，列“图斑面积”：“图斑面积”为空，该图斑未计入耕地破碎度指标",
    );
    let area: Vec<Option<f64>> = ds.patches.column("patch_area").unwrap().f64().unwrap().iter().collect();
    assert_eq!(area, vec![Some(1234.5), None, None], "the rows stay, without area");
}

/// Null areas in a float column are named by row.
#[test]
fn null_areas_are_named_by_row() {
    let df = frame(vec![
        text("项目编号", &["T-01", "T-01"]),
        text("阶段", &["整治前", "整治后"]),
        Series::new("图斑面积(平方米)".into(), &[Some(6_666.67), None]),
    ]);
    let ds = expect(
        "空面积-图斑明细.parquet",
        parquet(&df, ParquetCompression::Snappy),
        Limits::default(),
        Severity::Warning,
        "空面积-图斑明细.parquet / 图斑明细 / 第 2 行，列“图斑面积(平方米)”：“图斑面积”为空",
    );
    // 6666.67 m² × 0.0015 = 10.000005 亩.
    let area = ds.patches.column("patch_area").unwrap().f64().unwrap().get(0);
    assert_eq!(area, Some(10.000005));
}

/// Unknown project ids: the csv path's message, once per id with the count;
/// an integer id column reads as text. Rows without id and bad stages are named.
#[test]
fn unknown_projects_missing_ids_and_bad_stages() {
    let df = frame(vec![
        Series::new("项目代码".into(), &[Some(777i64), Some(777), None]),
        text("阶段", &["整治前", "整治前", "整治后"]),
        Series::new("图斑面积".into(), &[1.0, 2.0, 3.0]),
    ]);
    let name = "未登记-图斑明细.parquet";
    let bytes = parquet(&df, ParquetCompression::Snappy);
    let ds = expect(
        name,
        bytes.clone(),
        Limits::default(),
        Severity::Error,
        "第 1 行，列“项目代码”：项目编号“777”未在任何“项目台账”中登记，该行及同编号的另外 1 行未导入",
    );
    expect(
        name,
        bytes,
        Limits::default(),
        Severity::Error,
        "第 3 行，列“项目代码”：该行有数据但缺少项目编号，整行未导入",
    );
    assert_eq!(ds.patches.height(), 0);
    let t = ds.log.tallies.iter().find(|t| t.file == name).expect("tally");
    assert_eq!((t.rows_read, t.rows_used, t.rows_skipped), (3, 2, 1));

    let df = frame(vec![
        text("项目编号", &["T-01"]),
        text("阶段", &["整治中"]),
        Series::new("图斑面积".into(), &[1.0]),
    ]);
    expect(
        "阶段-图斑明细.parquet",
        parquet(&df, ParquetCompression::Snappy),
        Limits::default(),
        Severity::Error,
        "第 1 行，列“阶段”：“阶段”“整治中”不是可选值，应为：整治前、整治后",
    );
}

/// 25 unreadable areas: 20 named one by one, then one line for the other 5.
#[test]
fn many_bad_rows_are_summarised_after_twenty() {
    let ids = vec!["T-01"; 25];
    let stages = vec!["整治前"; 25];
    let areas = vec!["不详"; 25];
    let df = frame(vec![
        text("项目编号", &ids),
        text("阶段", &stages),
        text("图斑面积", &areas),
    ]);
    let name = "多错-图斑明细.parquet";
    let ds = expect(
        name,
        parquet(&df, ParquetCompression::Snappy),
        Limits::default(),
        Severity::Error,
        "“图斑面积”不是有效的数值：除以上 20 行外，另有 5 行同样的问题未逐行列出（共 25 行）",
    );
    let named = findings(&ds, name)
        .iter()
        .filter(|f| f.contains("行，列“图斑面积”"))
        .count();
    assert_eq!(named, 20);
}

#[test]
fn row_limit_and_wrong_types_are_refused() {
    let ds = expect(
        "超限-图斑明细.parquet",
        parquet(&three_patches(), ParquetCompression::Snappy),
        Limits {
            max_rows: 2,
            ..Limits::default()
        },
        Severity::Error,
        "parquet 文件有 3 行，超过行数上限 2 行（可用 --max-rows 调整），已拒绝读取",
    );
    assert_eq!(ds.patches.height(), 0);

    let df = frame(vec![
        text("项目编号", &["T-01"]),
        text("阶段", &["整治前"]),
        Series::new("图斑面积".into(), &[true]),
    ]);
    expect(
        "布尔-图斑明细.parquet",
        parquet(&df, ParquetCompression::Snappy),
        Limits::default(),
        Severity::Error,
        "parquet 文件的列“图斑面积”（图斑面积）类型为 bool，无法读取为数值，文件未导入",
    );

    let df = frame(vec![
        text("项目编号", &["T-01"]),
        text("阶段", &["整治前"]),
        Series::new("地类".into(), &[Series::new("".into(), &[1i32, 2])]),
        Series::new("图斑面积".into(), &[1.0]),
    ]);
    expect(
        "列表-图斑明细.parquet",
        parquet(&df, ParquetCompression::Snappy),
        Limits::default(),
        Severity::Error,
        "parquet 文件的列“地类”（地类）类型为 list",
    );

    expect(
        "测试县-资金台账.parquet",
        parquet(&three_patches(), ParquetCompression::Snappy),
        Limits::default(),
        Severity::Error,
        "parquet 文件只能提供“图斑明细”，文件名指向“资金台账”，未导入",
    );
}

/// Negative areas, full-width ids and control characters, as in the workbook sheets.
#[test]
fn implausible_areas_odd_ids_and_control_characters_are_named_by_row() {
    let df = frame(vec![
        text("项目编号", &["T-01", "Ｔ－01", "T-01"]),
        text("阶段", &["整治前", "整治前", "整治后"]),
        text("地类", &["水田", "旱\u{1b}地", "水田"]),
        Series::new("图斑面积".into(), &[-5.0, 20.0, 35.0]),
    ]);
    let name = "合理-图斑明细.parquet";
    let bytes = parquet(&df, ParquetCompression::Snappy);
    let ds = expect(
        name,
        bytes.clone(),
        Limits::default(),
        Severity::Error,
        "合理-图斑明细.parquet / 图斑明细 / 第 1 行，列“图斑面积”：“图斑面积”为 -5 亩，不能为负数",
    );
    expect(
        name,
        bytes.clone(),
        Limits::default(),
        Severity::Warning,
        "第 2 行，列“项目编号”：项目编号“Ｔ－01”含有全角或形近字符",
    );
    expect(
        name,
        bytes,
        Limits::default(),
        Severity::Warning,
        "第 2 行，列“地类”：单元格含有不可见的控制字符",
    );
    let ids: Vec<Option<&str>> = ds.patches.column("project_id").unwrap().str().unwrap().iter().collect();
    assert_eq!(ids, vec![Some("T-01"), Some("T-01"), Some("T-01")]);
    let area: Vec<Option<f64>> = ds.patches.column("patch_area").unwrap().f64().unwrap().iter().collect();
    assert_eq!(area, vec![None, Some(20.0), Some(35.0)]);
}
