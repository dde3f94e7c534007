//! A malformed workbook gives precise Chinese messages and exit code 1.

use crate::common;

use landeval::fields::FieldDict;
use landeval::template::{CellValue, WorkbookData, write_workbook};
use std::process::Command;

use crate::common::{row, text};

/// One project; text in a numeric cell (农用地整治!C2, new farmland is column C
/// after 项目编号 and the two farmland areas) and a fund row for an unknown project.
fn bad_workbook(path: &std::path::Path) {
    let mut data = WorkbookData::new();
    data.insert(
        "ledger".into(),
        vec![row(&[
            ("project_id", text("BAD-01")),
            ("project_name", text("测试县全域土地综合整治项目")),
            ("city", text("测试市")),
            ("county", text("测试县")),
        ])],
    );
    data.insert(
        "farmland".into(),
        vec![row(&[
            ("project_id", text("BAD-01")),
            ("farmland_before", CellValue::Number(1000.0)),
            ("farmland_after", CellValue::Number(1010.0)),
            ("new_farmland", text("约300")),
        ])],
    );
    data.insert(
        "funds".into(),
        vec![row(&[
            ("project_id", text("BAD-99")),
            ("fund_source", text("中央财政")),
            ("fund_channel", text("高标准农田建设补助资金")),
            ("fund_planned", CellValue::Number(100.0)),
        ])],
    );
    write_workbook(path, &FieldDict::bundled(), &data).unwrap();
}

#[test]
fn malformed_workbook_is_reported_with_cells_and_exit_code_1() {
    let dir = common::scratch("bad-input");
    let input = dir.join("坏数据.xlsx");
    bad_workbook(&input);
    let headers = FieldDict::bundled();
    let col = headers
        .sheet_fields("farmland")
        .iter()
        .position(|f| f.id == "new_farmland")
        .unwrap();
    assert_eq!(col, 3, "new_farmland is the fourth column (D)");

    let out = Command::new(env!("CARGO_BIN_EXE_landeval"))
        .args(["--quiet", "evaluate"])
        .arg(&input)
        .arg("-o")
        .arg(dir.join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        stderr.contains("坏数据.xlsx / 农用地整治 / D2") && stderr.contains("“新增耕地面积”是估计值，请填写确切数值"),
        "stderr: {stderr}"
    );
    assert!(stderr.contains("原值：约300"), "stderr: {stderr}");
    assert!(
        stderr.contains("坏数据.xlsx / 资金台账 / A2") && stderr.contains("项目编号“BAD-99”未在任何“项目台账”中登记"),
        "stderr: {stderr}"
    );
    assert!(dir.join("out/数据质量.xlsx").exists());
    assert!(!dir.join("out/评估报告.pdf").exists(), "no report from erroneous data");
}

#[test]
fn validate_exits_1_and_duplicate_ids_name_both_files() {
    let dir = common::scratch("dup-input");
    let mut data = WorkbookData::new();
    data.insert(
        "ledger".into(),
        vec![row(&[
            ("project_id", text("DUP-01")),
            ("project_name", text("甲项目")),
            ("city", text("甲市")),
            ("county", text("甲县")),
        ])],
    );
    let (a, b) = (dir.join("甲县.xlsx"), dir.join("乙县.xlsx"));
    write_workbook(&a, &FieldDict::bundled(), &data).unwrap();
    write_workbook(&b, &FieldDict::bundled(), &data).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_landeval"))
        .current_dir(&dir)
        .args(["validate", "甲县.xlsx", "乙县.xlsx"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout.contains("[错误] 乙县.xlsx / 项目台账 / A2：项目编号“DUP-01”重复：已在 甲县.xlsx / 项目台账 / A2 出现"),
        "stdout: {stdout}"
    );
    assert!(dir.join("数据质量.xlsx").exists());
}

#[test]
fn characters_no_font_covers_are_reported_with_their_cell() {
    let dir = common::scratch("font-coverage");
    let mut data = WorkbookData::new();
    data.insert(
        "ledger".into(),
        vec![row(&[
            ("project_id", text("GLYPH-01")),
            ("project_name", text("𓀀村全域土地综合整治项目")),
            ("city", text("甲市")),
            ("county", text("甲县")),
        ])],
    );
    // Red lines checkable: validate scores like evaluate, and a red line it
    // cannot check is an error.
    common::add_passing_redlines(&mut data, "GLYPH-01");
    write_workbook(&dir.join("字形.xlsx"), &FieldDict::bundled(), &data).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_landeval"))
        .current_dir(&dir)
        .args(["validate", "字形.xlsx"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // A warning, not an error: the data is valid, only the PDF could not show it.
    assert_eq!(out.status.code(), Some(0), "stdout: {stdout}");
    assert!(
        stdout.contains("[警告] 字形.xlsx / 项目台账 / B2：含有内置字体无法显示的字符 “𓀀”(U+13000)")
            && stdout.contains("--font-dir"),
        "stdout: {stdout}"
    );
}
