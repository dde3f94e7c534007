//! Issue 14 (crashes, hangs, silent acceptance, English messages) and the
//! silent misreads of issue 13: one small reproducer per finding, made here,
//! each giving a Chinese finding at its file / sheet / cell (or model line)
//! while the rest of the run goes on.

use crate::common::hostile::{
    Cell, chinese_first, found, ledger, ledger_header, ledger_row, members, n, numbers, project_ids, read, read_with,
    replace_in, rezip, show, t, texts, xlsx, zip_of,
};
use crate::common::{self, repo};
use Severity::{Error, Warning};
use landeval::fields::FieldDict;
use landeval::ingest::source::read_sheets;
use landeval::ingest::{Limits, QualityLog, Severity, Source};
use landeval::model::{Model, check_model};
use landeval::pipeline;
use landeval::report::engine::fonts::FontSet;

// ------------------------------------------------------------------ panics → findings

#[test]
fn an_xls_cell_beyond_column_iv_is_refused_before_calamine_allocates_for_it() {
    // Found by the xls fuzz target: a damaged cell record's column (> 255)
    // made calamine lay the sheet out over 65,536 columns and ask for 137 GB,
    // an abort no panic guard catches. Kept in the fuzz corpus.
    let bad = std::fs::read(repo().join("fuzz/corpus/xls/crash-column-beyond-iv.xls")).expect("corpus file");
    let ds = read(&[("坏.xls", bad), ("好.xlsx", ledger(&["H-01"]))]);
    assert!(
        found(
            &ds,
            Error,
            "坏.xls",
            "单元格记录的列号超出 xls 格式的上限（256 列，即 IV 列）"
        )
        .is_some(),
        "{}",
        show(&ds)
    );
    assert_eq!(project_ids(&ds), ["H-01"], "the other file is read");
}

#[test]
fn an_xlsx_cell_reference_beyond_the_grid_refuses_its_sheet_and_the_run_goes_on() {
    let bad = replace_in(
        &ledger(&["H-02"]),
        "xl/worksheets/sheet1.xml",
        r#"r="C2""#,
        r#"r="C99999999999""#,
    );
    let ds = read(&[("坏.xlsx", bad), ("好.xlsx", ledger(&["H-01"]))]);
    assert!(
        found(
            &ds,
            Error,
            "坏.xlsx / 项目台账",
            "单元格位置“C99999999999”超出 Excel 的范围"
        )
        .is_some(),
        "{}",
        show(&ds)
    );
    assert_eq!(project_ids(&ds), vec!["H-01"]);
}

#[test]
fn an_xlsx_whose_workbook_part_is_missing_is_an_error_not_an_empty_file() {
    // Found by the mutation test: one flipped byte turned xl/workbook.xml into
    // xlworkbook.xml; calamine then lists no sheets and reports nothing.
    let renamed: Vec<(String, Vec<u8>)> = members(&ledger(&["W-01"]))
        .into_iter()
        .map(|(n, b)| (n.replace("xl/workbook.xml", "xlworkbook.xml"), b))
        .collect();
    let parts: Vec<(&str, &[u8])> = renamed.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let ds = read(&[("目录.xlsx", zip_of(&parts))]);
    assert!(
        found(&ds, Error, "目录.xlsx", "没有找到任何工作表").is_some(),
        "{}",
        show(&ds)
    );
}

/// formats.xls with bytes changed (offsets checked against the original).
fn damaged_xls(changes: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut d = std::fs::read(repo().join("tests/data/formats.xls")).expect("formats.xls");
    for &(at, was, now) in changes {
        assert_eq!(d[at], was, "tests/data/formats.xls changed at {at}");
        d[at] = now;
    }
    d
}

#[test]
fn damaged_xls_files_are_refused_in_chinese_not_by_a_panic_or_an_abort() {
    // Made by flipping bytes of formats.xls: calamine panicked (slice out of
    // range) on the first; on the second it reserved 10^11 cells for a
    // corrupt DIMENSIONS record, an allocation failure that aborts.
    let slice = damaged_xls(&[(1540, 0x02, 0x58), (5980, 0x00, 0x3D)]);
    let dimensions = damaged_xls(&[(3764, 0x00, 0xAE)]);
    let ds = read(&[
        ("切片.xls", slice),
        ("行列.xls", dimensions),
        ("好.xlsx", ledger(&["H-01"])),
    ]);
    assert!(found(&ds, Error, "切片.xls", "文件已损坏").is_some(), "{}", show(&ds));
    assert!(
        found(
            &ds,
            Error,
            "行列.xls",
            "行列范围记录超出 xls 格式的上限（65536 行 × 256 列）"
        )
        .is_some(),
        "{}",
        show(&ds)
    );
    assert_eq!(project_ids(&ds), vec!["H-01"]);
}

#[test]
fn an_xls_cut_anywhere_in_its_workbook_stream_is_refused() {
    let whole = std::fs::read(repo().join("tests/data/formats.xls")).expect("formats.xls");
    let ok = read(&[("全.xls", whole.clone())]);
    assert!(!ok.log.has_errors(), "{}", show(&ok));
    // formats.xls holds its workbook stream in the first 5376 bytes; what follows
    // (document properties) is not read.
    for cut in (512..5376).step_by(256) {
        let ds = read(&[("截断.xls", whole[..cut].to_vec())]);
        assert!(
            found(&ds, Error, "截断.xls", "").is_some(),
            "cut at {cut}: {}",
            show(&ds)
        );
    }
}

/// The default model with `expr` of its first indicator (`schedule`) replaced.
fn model_with(expr: &str) -> (Model, String) {
    let (_, text) = Model::load_with_source("national-2025").expect("bundled");
    let text = text.replacen(
        "expr = \"schedule_completion\"",
        &format!("expr = {}", toml_string(expr)),
        1,
    );
    let mut m = Model::parse(&text, "t.toml").expect("model parses");
    m.robustness.draws = 0;
    (m, text)
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn schedule_line(text: &str) -> usize {
    text.lines()
        .position(|l| l.contains("id = \"schedule\""))
        .expect("schedule")
        + 1
}

/// One fixture county, read and evaluated under `model` (no robustness draws).
fn evaluate(model: Model) -> anyhow::Result<pipeline::Run> {
    let src = Source::from_path(&repo().join("fixtures/sample-province/杉坳县.xlsx")).expect("fixture");
    let dict = FieldDict::bundled();
    let ds = pipeline::read(&[src], &dict, &FontSet::load(None).expect("fonts"));
    pipeline::evaluate(ds, dict, model, None)
}

#[test]
fn power_10_400_is_refused_by_model_check_and_scores_as_an_invalid_result() {
    let (m, text) = model_with("power(10, 400)");
    let r = check_model(&m, &text, &FieldDict::bundled());
    let line = schedule_line(&text);
    assert!(
        r.errors
            .iter()
            .any(|e| e.starts_with(&format!("第 {line} 行：")) && e.contains("结果不是有限的数")),
        "{:?}",
        r.errors
    );
    // Evaluated anyway: no panic in a polars worker, the indicator has no valid value.
    let run = evaluate(m).expect("evaluation");
    assert!(run.eval.projects.iter().all(|p| p.indicators[0].raw.is_none()));
    assert!(run.log.findings.iter().any(|f| f.message.contains("计算结果无效")));
}

#[test]
fn huge_expressions_are_refused_with_the_model_line_by_check_and_evaluate() {
    let dict = FieldDict::bundled();
    // A sum of 195 field names overflowed the stack; a 1.4 MB CASE hung.
    let fields = [
        "farmland_before",
        "farmland_after",
        "new_farmland",
        "pbf_before",
        "pbf_after",
    ];
    let sum = (0..195).map(|i| fields[i % 5]).collect::<Vec<_>>().join(" + ");
    let case = format!("CASE {} ELSE 0 END", "WHEN farmland_before > 1 THEN 1 ".repeat(45_000));
    assert!(case.len() > 1_400_000);
    let short_sum = vec!["pbf_after"; 60].join("+");
    for (expr, why) in [
        (sum.as_str(), "过长"),
        (case.as_str(), "过长"),
        (short_sum.as_str(), "过于复杂"),
    ] {
        let (m, text) = model_with(expr);
        let r = check_model(&m, &text, &dict);
        let line = schedule_line(&text);
        assert!(
            r.errors
                .iter()
                .any(|e| e.starts_with(&format!("第 {line} 行：指标“schedule”的 expr“")) && e.contains(why)),
            "{:?}",
            r.errors
        );
        let e = evaluate(m).err().expect("evaluate refuses the model").to_string();
        assert!(e.contains("指标 schedule 的 expr") && e.contains(why), "{e}");
    }
}

#[test]
fn a_cast_of_text_fails_model_check_as_evaluate_would() {
    let (m, text) = model_with("CAST(project_name AS DOUBLE)");
    let r = check_model(&m, &text, &FieldDict::bundled());
    assert!(
        r.errors
            .iter()
            .any(|e| e.contains("无法计算：文本字段不能当作数值计算")),
        "{:?}",
        r.errors
    );
    let e = evaluate(m).err().expect("type error").to_string();
    assert!(chinese_first(&e) && e.contains("文本字段不能当作数值计算"), "{e}");
}

#[test]
fn non_finite_numbers_in_a_model_are_refused_with_their_lines() {
    let (_, text) = Model::load_with_source("national-2025").expect("bundled");
    let broken = text
        .replacen("points = 6", "points = nan", 1)
        .replacen("\"优秀\" = 90", "\"优秀\" = nan", 1)
        .replacen("bonus_cap = 5", "bonus_cap = inf", 1)
        .replacen("floor = 0.6", "floor = -inf", 1);
    let e = Model::parse(&broken, "nan.toml").expect_err("refused").to_string();
    let lines: Vec<&str> = e.lines().skip(1).collect();
    assert_eq!(lines.len(), 4, "{e}");
    for (key, value) in [
        ("bonus_cap", "inf"),
        ("floor", "-inf"),
        ("points", "nan"),
        ("优秀", "nan"),
    ] {
        let line = broken
            .lines()
            .position(|l| {
                l.contains(&format!("{key}\" = {value}"))
                    || l.contains(&format!("{key} = {value}"))
                    || l.contains(&format!("{key} = {value},"))
            })
            .map(|i| i + 1)
            .expect("line");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("第 {line} 行：“{key}”的值 {value} 不是有限的数"))),
            "{key}: {e}"
        );
    }
}

#[test]
fn toml_and_sql_errors_are_chinese_first_with_the_line() {
    let (_, text) = Model::load_with_source("national-2025").expect("bundled");
    let e = Model::parse(&text.replacen("points = 6", "points = = 6", 1), "t.toml")
        .expect_err("syntax")
        .to_string();
    let first = e.lines().nth(1).expect("one problem");
    assert!(
        first.starts_with("第 ") && first.contains("TOML 格式错误") && first.contains("（extra `=`"),
        "{e}"
    );
    let (m, text) = model_with("schedule_completion +");
    let r = check_model(&m, &text, &FieldDict::bundled());
    assert!(
        r.errors
            .iter()
            .any(|e| e.contains("无法解析，请检查括号、运算符、引号和字段名（")),
        "{:?}",
        r.errors
    );
}

// ------------------------------------------------------------------ memory and size

#[test]
fn rows_hold_only_the_cells_with_data() {
    // One cell in column IU (the 255th) on each row: a row keeps one cell, not 255.
    let rows: Vec<Vec<Cell>> = (0..2_000)
        .map(|_| {
            let mut r = vec![Cell::Empty; 254];
            r.push(t("x"));
            r
        })
        .collect();
    let src = Source::new("宽.xlsx", xlsx(&[("项目台账", rows)]));
    let mut log = QualityLog::default();
    let sheets = read_sheets(&src, &Limits::default(), &|_| true, &mut log);
    let grid = &sheets[0].grid;
    assert_eq!(grid.rows.len(), 2_000);
    assert!(grid.rows.iter().all(|r| r.iter().count() == 1 && r.width() == 255));
}

/// An ods package with the given content.xml.
fn ods(content: &str) -> Vec<u8> {
    zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", content.as_bytes()),
    ])
}

fn ods_content(table: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>{table}</office:spreadsheet></office:body></office:document-content>"#
    )
}

fn ods_cell(text: &str) -> String {
    format!(r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#)
}

#[test]
fn repeated_ods_rows_and_columns_count_against_the_limits() {
    // 390,000 rows × 255 columns from a file of under a kilobyte.
    let bomb = ods(&ods_content(
        r#"<table:table table:name="项目台账"><table:table-row table:number-rows-repeated="390000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="255"/></table:table-row></table:table>"#,
    ));
    assert!(bomb.len() < 1_000, "{} bytes", bomb.len());
    let ds = read(&[("炸弹.ods", bomb), ("好.xlsx", ledger(&["H-01"]))]);
    assert!(
        found(&ds, Error, "炸弹.ods / 项目台账", "展开后超过解压大小上限 1024 MB").is_some(),
        "{}",
        show(&ds)
    );
    assert_eq!(project_ids(&ds), vec!["H-01"]);
    // Rows repeated past --max-rows.
    let tall = ods(&ods_content(&format!(
        r#"<table:table table:name="项目台账"><table:table-row>{}</table:table-row><table:table-row table:number-rows-repeated="3000000">{}</table:table-row></table:table>"#,
        ods_cell("项目编号"),
        ods_cell("X")
    )));
    let ds = read(&[("高.ods", tall)]);
    assert!(
        found(&ds, Error, "高.ods / 项目台账", "行数超过上限 2000000 行").is_some(),
        "{}",
        show(&ds)
    );
}

#[test]
fn trailing_empty_ods_rows_as_libreoffice_writes_them_cost_nothing() {
    let content = ods_content(&format!(
        r#"<table:table table:name="项目台账"><table:table-row>{}{}</table:table-row><table:table-row>{}{}<table:table-cell table:number-columns-repeated="1022"/></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>"#,
        ods_cell("项目编号"),
        ods_cell("项目名称"),
        ods_cell("O-01"),
        ods_cell("甲 &amp; 乙<text:s text:c=\"2\"/>项目")
    ));
    let ds = read(&[("库.ods", ods(&content))]);
    assert_eq!(project_ids(&ds), vec!["O-01"]);
    assert_eq!(texts(&ds, "project_name"), vec![Some("甲 & 乙  项目".to_string())]);
}

#[test]
fn a_ten_million_character_csv_field_is_refused_at_its_cell() {
    let csv = format!("项目编号,项目名称\nX-01,{}\nX-02,正常项目\n", "长".repeat(10_000_000));
    let ds = read(&[("某县-项目台账.csv", csv.into_bytes())]);
    assert!(
        found(&ds, Error, "某县-项目台账.csv / B2", "超过 32767 个字符").is_some(),
        "{}",
        show(&ds)
    );
    assert_eq!(project_ids(&ds), vec!["X-01", "X-02"]);
}

#[test]
fn an_unclosed_csv_quote_is_an_error_at_its_cell() {
    let ds = read(&[(
        "某县-项目台账.csv",
        "项目编号,项目名称\nX-01,\"甲项目\nX-02,乙项目\n".as_bytes().to_vec(),
    )]);
    assert!(
        found(&ds, Error, "某县-项目台账.csv / B2", "引号没有闭合").is_some(),
        "{}",
        show(&ds)
    );
}

// ------------------------------------------------------------------ silent acceptance

#[test]
fn a_shared_string_index_that_is_not_a_number_is_an_error_at_its_cell() {
    let data = rezip(&ledger(&["S-01"]), "xl/worksheets/sheet1.xml", |b| {
        let s = String::from_utf8(b).expect("xml");
        let at = s.find(r#"<c r="B2" t="s"><v>"#).expect("B2 is a shared string") + r#"<c r="B2" t="s"><v>"#.len();
        let end = at + s[at..].find('<').expect("</v>");
        format!("{}abc{}", &s[..at], &s[end..]).into_bytes()
    });
    let ds = read(&[("串.xlsx", data)]);
    assert!(
        found(&ds, Error, "串.xlsx / 项目台账 / B2", "共享字符串编号不是数字").is_some(),
        "{}",
        show(&ds)
    );
    // Not string #0 (“项目编号”): the name is simply missing.
    assert_eq!(texts(&ds, "project_name"), vec![None]);
}

#[test]
fn implausible_areas_amounts_shares_and_dates_are_reported_at_their_cells() {
    let header = vec![
        t("项目编号"),
        t("项目名称"),
        t("整治区域面积（亩）"),
        t("计划总投资（万元）"),
        t("整体验收时间"),
    ];
    let row = |id: &str, area: f64, invest: f64, accepted: Cell| vec![t(id), t("项目"), n(area), n(invest), accepted];
    let ledger_rows = vec![
        header,
        row("P-01", -1e9, 100.0, Cell::Date(2024, 5, 1)),
        row("P-02", 500.0, 1e20, Cell::Date(2024, 5, 1)),
        row("P-03", 500.0, 5e-324, Cell::Date(2024, 5, 1)),
        row("P-04", 500.0, 100.0, Cell::Date(2999, 1, 1)),
    ];
    let process = vec![
        vec![t("项目编号"), t("群众满意度")],
        vec![t("P-01"), n(190.0)],
        vec![t("P-02"), n(96.0)],
    ];
    let ds = read(&[("合理.xlsx", xlsx(&[("项目台账", ledger_rows), ("过程管理", process)]))]);
    let at = |severity, cell: &str, text: &str| {
        assert!(
            found(&ds, severity, &format!("合理.xlsx / {cell}"), text).is_some(),
            "{cell}: {}",
            show(&ds)
        );
    };
    at(Error, "项目台账 / C2", "“整治区域面积”为 -1000000000 亩，不能为负数");
    at(
        Error,
        "项目台账 / D3",
        "“计划总投资”为 1e20 万元，超过合理上限 100000000 万元",
    );
    at(
        Warning,
        "项目台账 / D4",
        "“计划总投资”为 5e-324 万元，不为 0 但小于 0.0001 万元",
    );
    at(Error, "项目台账 / E5", "“整体验收时间”为 2999-01-01，晚于 2100-12-31");
    at(Error, "过程管理 / B2", "“群众满意度”为 190%，超过合理上限 100%");
    // Errors are not imported; the plausible values are.
    assert_eq!(
        numbers(&ds, "area_total"),
        vec![None, Some(500.0), Some(500.0), Some(500.0)]
    );
    assert_eq!(numbers(&ds, "satisfaction"), vec![None, Some(0.96), None, None]);
}

#[test]
fn a_date_after_the_given_report_date_is_an_error() {
    let rows = vec![
        vec![t("项目编号"), t("项目名称"), t("整体验收时间")],
        vec![t("D-01"), t("项目"), Cell::Date(2025, 6, 30)],
    ];
    let dict = FieldDict::bundled();
    let ds = read(&[("日期.xlsx", xlsx(&[("项目台账", rows)]))]);
    let mut m = Model::load("national-2025").expect("model");
    m.robustness.draws = 0;
    let run = pipeline::evaluate(ds, dict, m, Some([2025, 1, 1])).expect("evaluation");
    assert!(
        run.log.findings.iter().any(|f| f.severity == Error
            && f.origin.to_string() == "日期.xlsx / 项目台账 / C2"
            && f.message.contains("晚于报告日期 2025-01-01")),
        "{:?}",
        run.log.findings
    );
}

#[test]
fn a_cell_holding_1e999_is_an_invalid_number_not_a_date() {
    let data = replace_in(
        &ledger(&["N-01"]),
        "xl/worksheets/sheet1.xml",
        "<v>1000</v>",
        "<v>1e999</v>",
    );
    let ds = read(&[("大数.xlsx", data)]);
    let f = found(
        &ds,
        Error,
        "大数.xlsx / 项目台账 / E2",
        "不是有效的数值（超出可表示的数值范围）",
    );
    assert!(f.is_some_and(|f| !f.message.contains("日期")), "{}", show(&ds));
}

// ------------------------------------------------------------------ percent cells (issue 13)

#[test]
fn percent_formatted_cells_are_fractions_and_fraction_columns_are_warned() {
    let header = vec![t("项目编号"), t("村民同意率"), t("群众满意度")];
    let formatted = vec![
        header.clone(),
        // Typed 98% and 95% in Excel: stored 0.98 and 0.95 with the 0% format.
        vec![t("P-01"), Cell::Pct(0.98), Cell::Pct(0.95)],
        // Typed 97 (the dictionary's way: percent fields hold percentages).
        vec![t("P-02"), n(97.0), n(93.0)],
    ];
    let mut ledger_rows = vec![ledger_header()];
    ledger_rows.push(ledger_row("P-01", "甲"));
    ledger_rows.push(ledger_row("P-02", "乙"));
    let path = common::scratch("percent").join("百分比.xlsx");
    let data = xlsx(&[("项目台账", ledger_rows.clone()), ("过程管理", formatted)]);
    std::fs::write(&path, &data).expect("kept for a look in Excel");
    let ds = read(&[("百分比.xlsx", data)]);
    let problems = |ds: &landeval::ingest::Dataset| {
        ds.log
            .findings
            .iter()
            .any(|f| f.severity != Severity::Info && f.origin.sheet == "过程管理")
    };
    assert!(!problems(&ds), "{}", show(&ds));
    assert_eq!(numbers(&ds, "villager_consent"), vec![Some(0.98), Some(0.97)]);
    assert_eq!(numbers(&ds, "satisfaction"), vec![Some(0.95), Some(0.93)]);
    // Fractions typed without the format: read as 0.98% and warned at each cell.
    let plain = vec![
        header,
        vec![t("P-01"), n(0.98), n(96.0)],
        vec![t("P-02"), n(0.9), n(94.0)],
    ];
    let ds = read(&[("小数.xlsx", xlsx(&[("项目台账", ledger_rows), ("过程管理", plain)]))]);
    for cell in ["B2", "B3"] {
        assert!(
            found(
                &ds,
                Warning,
                &format!("小数.xlsx / 过程管理 / {cell}"),
                "该列数值都不大于 1，可能是按小数填写的"
            )
            .is_some(),
            "{}",
            show(&ds)
        );
    }
    assert!(
        found(&ds, Warning, "小数.xlsx / 过程管理 / C", "").is_none(),
        "{}",
        show(&ds)
    );
    let consent: Vec<f64> = numbers(&ds, "villager_consent").into_iter().flatten().collect();
    assert!(
        (consent[0] - 0.0098).abs() < 1e-12 && (consent[1] - 0.009).abs() < 1e-12,
        "{consent:?}"
    );
}

#[test]
fn ods_percentage_cells_are_fractions() {
    let content = ods_content(&format!(
        r#"<table:table table:name="项目台账"><table:table-row>{}</table:table-row><table:table-row>{}</table:table-row></table:table><table:table table:name="过程管理"><table:table-row>{}{}</table:table-row><table:table-row>{}<table:table-cell office:value-type="percentage" office:value="0.98"><text:p>98%</text:p></table:table-cell></table:table-row></table:table>"#,
        ods_cell("项目编号"),
        ods_cell("O-01"),
        ods_cell("项目编号"),
        ods_cell("村民同意率"),
        ods_cell("O-01"),
    ));
    let ds = read(&[("百分比.ods", ods(&content))]);
    assert_eq!(numbers(&ds, "villager_consent"), vec![Some(0.98)], "{}", show(&ds));
}

// ------------------------------------------------------------------ units (issue 13)

/// A ledger and a farmland sheet whose 整治前耕地面积 header names `unit`.
fn farmland_in(unit: &str) -> Vec<u8> {
    let mut ledger_rows = vec![ledger_header()];
    ledger_rows.push(ledger_row("U-01", "甲"));
    let farmland = vec![
        vec![
            t("项目编号"),
            t(&format!("整治前耕地面积（{unit}）")),
            t("整治后耕地面积（亩）"),
        ],
        vec![t("U-01"), n(80.0), n(1210.0)],
    ];
    xlsx(&[("项目台账", ledger_rows), ("农用地整治", farmland)])
}

#[test]
fn an_unknown_unit_on_a_red_line_field_is_an_error_naming_the_red_line() {
    let ds = read(&[("垧.xlsx", farmland_in("垧"))]);
    let f = found(
        &ds,
        Warning,
        "垧.xlsx / 农用地整治 / B1",
        "表头单位“垧”无法识别，“整治前耕地面积”该列未导入；可用的单位：亩、公顷、平方米、平方公里",
    );
    assert!(f.is_some(), "{}", show(&ds));
    assert_eq!(ds.unknown_units.len(), 1);
    assert_eq!(numbers(&ds, "farmland_before"), vec![None]);
    let mut m = Model::load("national-2025").expect("model");
    m.robustness.draws = 0;
    let run = pipeline::evaluate(ds, FieldDict::bundled(), m, None).expect("evaluation");
    let escalated = run
        .log
        .findings
        .iter()
        .find(|f| f.origin.to_string() == "垧.xlsx / 农用地整治 / B1")
        .expect("the unit finding");
    assert_eq!(escalated.severity, Error);
    assert!(
        escalated.message.contains("否决项“耕地面积减少”"),
        "{}",
        escalated.message
    );
    // The red line that cannot be checked is named in Chinese.
    assert!(
        run.log
            .findings
            .iter()
            .any(|f| f.severity == Error && f.message.contains("红线“耕地面积减少”无法核查")),
        "{:?}",
        run.log.findings
    );
    assert!(
        !run.log
            .findings
            .iter()
            .any(|f| f.message.contains("farmland_decreased"))
    );
}

#[test]
fn a_unit_of_another_kind_refuses_the_column_instead_of_reading_it_as_mu() {
    let ds = read(&[("万元.xlsx", farmland_in("万元"))]);
    assert!(
        found(
            &ds,
            Warning,
            "万元.xlsx / 农用地整治 / B1",
            "表头单位“万元”无法换算为“亩”"
        )
        .is_some(),
        "{}",
        show(&ds)
    );
    assert_eq!(numbers(&ds, "farmland_before"), vec![None]);
}

// ------------------------------------------------------------------ ids (issue 13)

#[test]
fn full_width_ids_are_read_as_half_width_and_look_alikes_are_named() {
    let mut ledger_rows = vec![ledger_header()];
    ledger_rows.push(ledger_row("QL-0101-02", "甲"));
    let farmland = vec![
        vec![t("项目编号"), t("整治前耕地面积（亩）")],
        vec![t("QL－0101－02"), n(1200.0)],
        // Cyrillic А (U+0410) in place of the Latin A.
        vec![t("QL-0101-0\u{410}"), n(900.0)],
    ];
    let ds = read(&[(
        "编号.xlsx",
        xlsx(&[("项目台账", ledger_rows), ("农用地整治", farmland)]),
    )]);
    assert!(
        found(
            &ds,
            Warning,
            "编号.xlsx / 农用地整治 / A2",
            "含有全角或形近字符 “－”(U+FF0D)，已按“QL-0101-02”读取"
        )
        .is_some(),
        "{}",
        show(&ds)
    );
    assert_eq!(numbers(&ds, "farmland_before"), vec![Some(1200.0)]);
    assert!(
        found(
            &ds,
            Error,
            "编号.xlsx / 农用地整治 / A3",
            "未在任何“项目台账”中登记，该行未导入（编号中含有 “А”(U+0410)"
        )
        .is_some(),
        "{}",
        show(&ds)
    );
}

// ------------------------------------------------------------------ control characters

/// A ledger whose project name holds an ESC sequence.
fn escape_ledger() -> Vec<u8> {
    let mut rows = vec![ledger_header()];
    rows.push(ledger_row("E-01", "甲\u{1b}[31m项目"));
    xlsx(&[("项目台账", rows)])
}

#[test]
fn control_characters_are_shown_visibly_reported_and_the_report_is_written() {
    let dir = common::scratch("control-characters");
    let data = escape_ledger();
    let ds = read(&[("控制.xlsx", data.clone())]);
    assert!(
        found(&ds, Warning, "控制.xlsx / 项目台账 / B2", "不可见的控制字符 U+001B").is_some(),
        "{}",
        show(&ds)
    );
    assert_eq!(texts(&ds, "project_name"), vec![Some("甲\\u{1b}[31m项目".to_string())]);
    // The committee report renders (an ESC once broke the SVG charts).
    let mut m = Model::load("national-2025").expect("model");
    m.robustness.draws = 0;
    let run = pipeline::evaluate(ds, FieldDict::bundled(), m, Some([2025, 12, 31])).expect("evaluation");
    let written = pipeline::write_committee(&run, &dir, &Default::default()).expect("report written");
    assert!(written.pdf.exists());
    // validate prints no raw control character.
    std::fs::write(dir.join("控制.xlsx"), data).expect("input");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_landeval"))
        .current_dir(&dir)
        .args(["validate", "控制.xlsx"])
        .output()
        .expect("validate runs");
    assert!(!out.stdout.contains(&0x1b) && !out.stderr.contains(&0x1b));
    assert!(String::from_utf8_lossy(&out.stdout).contains("甲\\u{1b}[31m项目"));
}

// ------------------------------------------------------------------ English leaks

/// A zip whose central directory declares `member` smaller than it is.
fn understated(data: &[u8], member: &str) -> Vec<u8> {
    let mut d = data.to_vec();
    let mut i = 0;
    while let Some(p) = d[i..].windows(4).position(|w| w == b"PK\x01\x02") {
        let at = i + p;
        let name_len = u16::from_le_bytes([d[at + 28], d[at + 29]]) as usize;
        if &d[at + 46..at + 46 + name_len] == member.as_bytes() {
            d[at + 24..at + 28].copy_from_slice(&10u32.to_le_bytes());
            return d;
        }
        i = at + 4;
    }
    panic!("{member} not in the archive");
}

#[test]
fn library_errors_reach_the_user_in_chinese_with_the_original_in_brackets() {
    let good = ledger(&["L-01"]);
    let files = vec![
        ("空.xlsx", Vec::new()),
        ("半截.xlsx", good[..good.len() / 2].to_vec()),
        ("文字.xlsx", b"hello, not a workbook".to_vec()),
        ("声明.xlsx", understated(&good, "xl/worksheets/sheet1.xml")),
    ];
    let ds = read(&files);
    for (name, _) in &files {
        let f = found(&ds, Error, name, "").unwrap_or_else(|| panic!("{name}: {}", show(&ds)));
        assert!(chinese_first(&f.message), "{name}: {}", f.message);
    }
    assert!(found(&ds, Error, "文字.xlsx", "无法识别文件格式").is_some_and(|f| f.message.contains("（Cannot detect")));
    assert!(
        found(&ds, Error, "声明.xlsx", "实际解压大小超过目录中声明的大小")
            .is_some_and(|f| f.message.contains("（") && f.message.contains("declared uncompressed size")),
        "{}",
        show(&ds)
    );
    let missing = Source::from_path(std::path::Path::new("/没有这个目录/甲县.xlsx"))
        .unwrap_err()
        .to_string();
    assert!(
        missing.starts_with("找不到文件“/没有这个目录/甲县.xlsx”") && missing.contains("（"),
        "{missing}"
    );
    let limits = Limits {
        max_unzipped_bytes: 1024,
        ..Limits::default()
    };
    let ds = read_with(&[("大.xlsx", good)], &limits);
    assert!(
        found(&ds, Error, "大.xlsx", "--max-unzipped-mb").is_some(),
        "{}",
        show(&ds)
    );
}
