//! `landeval template` writes every sheet with unit-bearing headers and instructions.

use crate::common;

use calamine::{Reader, open_workbook_auto};
use landeval::fields::FieldDict;
use std::process::Command;

#[test]
fn template_has_every_sheet_header_and_instructions() {
    let dir = common::scratch("template");
    let path = dir.join("模板.xlsx");
    let status = Command::new(env!("CARGO_BIN_EXE_landeval"))
        .args(["template", "-o"])
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    let dict = FieldDict::bundled();
    let mut wb = open_workbook_auto(&path).unwrap();
    let names = wb.sheet_names();
    for s in &dict.sheets {
        assert!(names.contains(&s.name), "missing sheet {}", s.name);
        let range = wb.worksheet_range(&s.name).unwrap();
        let header: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
        let expected: Vec<String> = dict.sheet_fields(&s.id).iter().map(|f| f.header()).collect();
        assert_eq!(header, expected);
    }
    assert_eq!(dict.field("new_farmland").unwrap().header(), "新增耕地面积（亩）");
    let help = wb.worksheet_range("填表说明").unwrap();
    let text: Vec<String> = help.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
    assert!(
        text.iter().any(|t| t.contains("不得仅靠图上作业")),
        "instructions explain new_farmland_method"
    );
}
