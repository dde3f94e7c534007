//! The canonical input workbook: blank template (`landeval template`) or
//! filled with rows (used by the fixture generator).

use crate::fields::{FieldDef, FieldDict, FieldType};
use anyhow::{Context, Result};
use rust_xlsxwriter::{
    DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};
use std::collections::BTreeMap;
use std::path::Path;

/// A value to write into a canonical workbook.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Text(String),
    /// Number in the field's unit; percent fields take percentages (95 = 95%).
    Number(f64),
    Bool(bool),
    /// ISO date `YYYY-MM-DD`.
    Date(String),
}

/// One row: field id → value. Missing keys are left blank.
pub type Row = BTreeMap<String, CellValue>;

/// Rows per sheet id.
pub type WorkbookData = BTreeMap<String, Vec<Row>>;

/// How many rows of a blank template carry drop-down validation.
const VALIDATED_ROWS: u32 = 2000;

/// Write a canonical workbook with every sheet of the dictionary.
pub fn write_workbook(path: &Path, dict: &FieldDict, data: &WorkbookData) -> Result<()> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2025, 1, 1).map_err(anyhow::Error::msg)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("全域土地综合整治项目评估数据")
            .set_author("landeval")
            .set_creation_datetime(&created),
    );
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color("#DDEBF7")
        .set_border(FormatBorder::Thin);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for sheet in &dict.sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&sheet.name)?;
        let cols = dict.sheet_fields(&sheet.id);
        for (c, f) in cols.iter().enumerate() {
            let c = c as u16;
            ws.write_string_with_format(0, c, f.header(), &header)?;
            ws.set_column_width(c, column_width(f))?;
            add_validation(ws, c, f)?;
        }
        ws.set_row_height(0, 32)?;
        ws.set_freeze_panes(1, 1)?;
        for (r, row) in data.get(&sheet.id).into_iter().flatten().enumerate() {
            let r = r as u32 + 1;
            for (c, f) in cols.iter().enumerate() {
                if let Some(v) = row.get(&f.id) {
                    write_cell(ws, r, c as u16, v, &date)?;
                }
            }
        }
    }
    write_instructions(&mut wb, dict, &header)?;
    wb.save(path).with_context(|| format!("无法写入 {}", path.display()))?;
    Ok(())
}

fn column_width(f: &FieldDef) -> f64 {
    let chars = f.header().chars().count() as f64;
    (chars * 1.6).clamp(10.0, 28.0)
}

fn add_validation(ws: &mut Worksheet, col: u16, f: &FieldDef) -> Result<()> {
    let choices: Vec<&str> = match f.kind {
        FieldType::Bool => vec!["是", "否"],
        FieldType::Enum => f.values.iter().map(String::as_str).collect(),
        _ => return Ok(()),
    };
    let v = DataValidation::new()
        .allow_list_strings(&choices)?
        .set_error_title("输入值无效")?
        .set_error_message(format!("请从下拉列表选择：{}", choices.join("、")))?;
    ws.add_data_validation(1, col, VALIDATED_ROWS, col, &v)?;
    Ok(())
}

fn write_cell(ws: &mut Worksheet, r: u32, c: u16, v: &CellValue, date: &Format) -> Result<()> {
    match v {
        CellValue::Text(s) => {
            ws.write_string(r, c, s)?;
        }
        CellValue::Number(x) => {
            ws.write_number(r, c, *x)?;
        }
        CellValue::Bool(b) => {
            ws.write_string(r, c, if *b { "是" } else { "否" })?;
        }
        CellValue::Date(d) => {
            let dt = ExcelDateTime::parse_from_str(d).map_err(anyhow::Error::msg)?;
            ws.write_datetime_with_format(r, c, &dt, date)?;
        }
    }
    Ok(())
}

/// The 填表说明 sheet: one row per column of every sheet.
fn write_instructions(wb: &mut Workbook, dict: &FieldDict, header: &Format) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name("填表说明")?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let heads = ["工作表", "列名（表头）", "类型", "单位", "必填", "可用别名", "填写说明"];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, header)?;
    }
    for (c, w) in [14.0, 30.0, 14.0, 10.0, 6.0, 30.0, 60.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let mut r = 1u32;
    for sheet in &dict.sheets {
        ws.write_string_with_format(r, 0, &sheet.name, &wrap)?;
        ws.write_string_with_format(r, 6, format!("【工作表】{}", sheet.help), &wrap)?;
        r += 1;
        for f in dict.sheet_fields(&sheet.id) {
            let unit = f.unit.clone().unwrap_or_default();
            let mut help = f.help.clone();
            if f.kind == FieldType::Enum {
                help.push_str(&format!(" 可选值：{}。", f.values.join("、")));
            }
            if f.is_percent() {
                help.push_str(" 按百分数填写，如 95 表示 95%。");
            }
            let cells = [
                sheet.name.clone(),
                f.header(),
                f.kind.label().to_string(),
                unit,
                if f.required { "是".into() } else { String::new() },
                f.aliases.join("、"),
                help,
            ];
            for (c, s) in cells.iter().enumerate() {
                ws.write_string_with_format(r, c as u16, s, &wrap)?;
            }
            r += 1;
        }
    }
    let notes = [
        "通用规则：",
        "1. 每个工作表第一列为“项目编号”，各表以此关联；同一项目编号在多个文件中重复出现视为错误。",
        "2. 表头可带单位，如“面积（公顷）”“金额（元）”，导入时自动换算为亩、万元，并在数据质量报告中说明。",
        "3. 数值可写 1,234.5 或 12.3%；“—”“/”“无”或空白视为未填写（缺失），不视为 0。",
        "4. 名称为“合计”“小计”“总计”的行不参与计算，并在数据质量报告中列出。",
        "5. 实施方案未设定的目标任务请留空：该项指标不适用、不扣分，分值在同一维度内重新分配。",
        "6. 国土调查图层（选填，与工作簿一起提交）：三调或年度变更调查的地类图斑（DLTB）、永久基本农田、生态保护红线图层，\
         及项目范围（整治区域），可为 Shapefile（.shp 连同同名 .shx、.dbf、.prj、.cpg）、GeoPackage（.gpkg）或 GeoJSON；\
         ArcGIS 文件地理数据库（.gdb）、MDB 请先导出为 GeoPackage 或 Shapefile。",
        "7. 图层属于哪个项目、哪个阶段，无需 GIS 操作，三种写法任选其一：①文件名写明项目编号和“整治前”或“整治后”，\
         非地类图斑图层再加图层名，如“QL-0103-02-整治前.shp”“QL-0103-02-整治后-永久基本农田.shp”“QL-0103-02-整治区域.shp”；\
         ②在“空间数据清单”工作表每个文件填一行（文件名、项目编号、阶段、图层类型），与文件名不一致时以清单为准；\
         ③一个图层含多个项目时，在属性表中设“XMBH”（项目编号）字段。",
        "8. 图层中的耕地按地类编码 DLBM 0101 水田、0102 水浇地、0103 旱地识别；图斑面积取 TBDLMJ，无则 TBMJ 减扣除面积，\
         再无则按图形计算。相接或间隔不超过 8 米（田间道路、沟渠、田坎）的耕地图斑合并为一个连片地块。\
         图层算出的耕地面积、图斑数、连片地块、永久基本农田和生态保护红线面积与本工作簿填报数相差超过 1% 时，数据质量报告给出警告。",
    ];
    r += 1;
    for n in notes {
        ws.write_string(r, 0, n)?;
        r += 1;
    }
    Ok(())
}
