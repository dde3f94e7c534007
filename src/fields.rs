//! The field dictionary (`scoring-models/fields.toml`): sheets, fields, units.
//!
//! Ingest reads workbooks through it, metrics documents its derived fields in
//! it, and `model check` validates expressions against it.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The dictionary shipped with landeval.
pub const BUNDLED_FIELDS: &str = include_str!("../scoring-models/fields.toml");

/// Kind of value a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    Text,
    Number,
    Date,
    Bool,
    Enum,
    List,
}

impl FieldType {
    /// Chinese name shown in the 填表说明 sheet.
    pub fn label(self) -> &'static str {
        match self {
            FieldType::Text => "文本",
            FieldType::Number => "数值",
            FieldType::Date => "日期",
            FieldType::Bool => "是/否",
            FieldType::Enum => "下拉选择",
            FieldType::List => "列表（顿号分隔）",
        }
    }
}

/// A worksheet of the canonical workbook.
#[derive(Debug, Clone, Deserialize)]
pub struct SheetDef {
    pub id: String,
    pub name: String,
    /// One row per project (keyed by 项目编号) rather than many.
    pub per_project: bool,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub help: String,
}

/// A column of the canonical workbook.
#[derive(Debug, Clone, Deserialize)]
pub struct FieldDef {
    pub id: String,
    pub name: String,
    pub sheet: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// Unit the value is entered in when the header names none.
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Allowed values of an enum (or list) field.
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub help: String,
}

impl FieldDef {
    /// Header as written in the template: name plus unit, e.g. `新增耕地面积（亩）`.
    pub fn header(&self) -> String {
        match &self.unit {
            Some(u) => format!("{}（{}）", self.name, u),
            None => self.name.clone(),
        }
    }

    /// Percent fields are typed as percentages and stored as fractions.
    pub fn is_percent(&self) -> bool {
        self.unit.as_deref() == Some("%")
    }
}

/// A project-level field computed by the metrics stage.
#[derive(Debug, Clone, Deserialize)]
pub struct DerivedDef {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub unit: Option<String>,
    pub rule: String,
    /// Raw field ids or detail-sheet ids it is computed from.
    #[serde(default)]
    pub from: Vec<String>,
}

/// The whole dictionary.
#[derive(Debug, Clone, Deserialize)]
pub struct FieldDict {
    #[serde(rename = "sheet")]
    pub sheets: Vec<SheetDef>,
    #[serde(rename = "field")]
    pub fields: Vec<FieldDef>,
    #[serde(rename = "derived", default)]
    pub derived: Vec<DerivedDef>,
    /// Header labels of each field, normalised once for ingest (see `ingest::header`).
    #[serde(skip)]
    pub label_cache: std::sync::OnceLock<Vec<Vec<(String, String)>>>,
}

/// The key column present on every sheet.
pub const PROJECT_ID: &str = "project_id";

impl FieldDict {
    /// Parse and check a dictionary.
    pub fn parse(text: &str) -> Result<Self> {
        let dict: FieldDict = toml::from_str(text).context("字段字典 fields.toml 格式错误")?;
        dict.check()?;
        Ok(dict)
    }

    /// The dictionary shipped in the binary.
    pub fn bundled() -> Self {
        Self::parse(BUNDLED_FIELDS).expect("bundled fields.toml is valid")
    }

    fn check(&self) -> Result<()> {
        let mut seen = BTreeMap::new();
        for f in &self.fields {
            if self.sheet(&f.sheet).is_none() {
                bail!("字段 {} 的工作表 {} 未定义", f.id, f.sheet);
            }
            if seen.insert(f.id.as_str(), ()).is_some() {
                bail!("字段 {} 重复定义", f.id);
            }
        }
        for d in &self.derived {
            if seen.insert(d.id.as_str(), ()).is_some() {
                bail!("派生字段 {} 与其他字段重名", d.id);
            }
        }
        if self.field(PROJECT_ID).is_none() {
            bail!("字段字典缺少 project_id");
        }
        Ok(())
    }

    pub fn sheet(&self, id: &str) -> Option<&SheetDef> {
        self.sheets.iter().find(|s| s.id == id)
    }

    pub fn field(&self, id: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// Columns of a sheet in template order; every sheet starts with 项目编号.
    pub fn sheet_fields<'a>(&'a self, sheet: &str) -> Vec<&'a FieldDef> {
        let key = self.field(PROJECT_ID).expect("checked");
        let own = self.fields.iter().filter(|f| f.sheet == sheet && f.id != PROJECT_ID);
        std::iter::once(key).chain(own).collect()
    }

    /// Fields stored one per project (all sheets with `per_project`).
    pub fn project_fields(&self) -> impl Iterator<Item = &FieldDef> {
        self.fields
            .iter()
            .filter(|f| self.sheet(&f.sheet).is_some_and(|s| s.per_project))
    }

    /// Chinese label of any field id, raw or derived.
    pub fn label(&self, id: &str) -> Option<&str> {
        self.field(id)
            .map(|f| f.name.as_str())
            .or_else(|| self.derived.iter().find(|d| d.id == id).map(|d| d.name.as_str()))
    }

    pub fn derived(&self, id: &str) -> Option<&DerivedDef> {
        self.derived.iter().find(|d| d.id == id)
    }

    /// Whether an id names a known raw or derived field.
    pub fn knows(&self, id: &str) -> bool {
        self.label(id).is_some()
    }
}

/// Factor converting a value in `from` to the canonical `to` unit, if the
/// pair is convertible. Same unit gives 1.
pub fn unit_factor(from: &str, to: &str) -> Option<f64> {
    if from == to {
        return Some(1.0);
    }
    let (kf, ff) = unit_base(from)?;
    let (kt, ft) = unit_base(to)?;
    (kf == kt).then_some(ff / ft)
}

/// Whether a text is a convertible unit (area, money or ratio).
pub fn is_convertible_unit(u: &str) -> bool {
    unit_base(u).is_some()
}

/// A convertible unit's kind and its size in the kind's base unit.
fn unit_base(u: &str) -> Option<(&'static str, f64)> {
    Some(match u {
        "亩" => ("area", 1.0),
        "公顷" | "hm2" | "hm²" | "ha" => ("area", 15.0),
        "平方米" | "m2" | "m²" | "㎡" => ("area", 15.0 / 10_000.0),
        "平方公里" | "km2" | "km²" => ("area", 1_500.0),
        "万元" => ("money", 1.0),
        "元" => ("money", 1e-4),
        "千元" => ("money", 1e-1),
        "亿元" => ("money", 1e4),
        "公斤" | "千克" | "kg" => ("mass", 1.0),
        "吨" | "t" => ("mass", 1_000.0),
        "万公斤" => ("mass", 10_000.0),
        "%" | "％" => ("ratio", 1e-2),
        "‰" => ("ratio", 1e-3),
        _ => return None,
    })
}

/// The field reference (`docs/fields.md`): every sheet with its columns, then
/// every derived field, as Markdown. `cargo run --example field_docs` writes it;
/// a test fails when the committed file is stale.
pub fn reference_markdown(dict: &FieldDict) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = String::from(
        "# 字段字典\n\n\
         本文件由 `scoring-models/fields.toml` 生成（`cargo run --example field_docs`），请勿手改。\n\
         “编号”是评估模型表达式中使用的字段名；表头写法不必一字不差，别名和单位换算见 README“输入数据”。\n",
    );
    for sheet in &dict.sheets {
        out.push_str(&format!(
            "\n## {}（`{}`）\n\n{}{}\n\n| 编号 | 表头 | 类型 | 别名 | 说明 |\n|---|---|---|---|---|\n",
            sheet.name,
            sheet.id,
            if sheet.required { "必填。" } else { "选填。" },
            cell(&sheet.help)
        ));
        for f in dict.sheet_fields(&sheet.id) {
            let mut help = cell(&f.help);
            if !f.values.is_empty() {
                help.push_str(&format!("（可选：{}）", f.values.join("、")));
            }
            out.push_str(&format!(
                "| `{}` | {}{} | {} | {} | {} |\n",
                f.id,
                cell(&f.header()),
                if f.required { "（必填）" } else { "" },
                f.kind.label(),
                cell(&f.aliases.join("、")),
                help
            ));
        }
    }
    out.push_str("\n## 派生字段（由指标计算阶段生成，模型可直接引用）\n\n| 编号 | 名称 | 单位 | 计算规则 | 来自 |\n|---|---|---|---|---|\n");
    for d in &dict.derived {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            d.id,
            cell(&d.name),
            d.unit.as_deref().unwrap_or(""),
            cell(&d.rule),
            d.from.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(" ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_dictionary_covers_every_sheet() {
        let d = FieldDict::bundled();
        for s in &d.sheets {
            assert!(d.sheet_fields(&s.id).len() >= 2, "sheet {} has no fields", s.id);
        }
        assert_eq!(d.sheet_fields("funds")[0].id, PROJECT_ID);
    }

    #[test]
    fn units_convert_to_canonical() {
        assert_eq!(unit_factor("公顷", "亩"), Some(15.0));
        assert_eq!(unit_factor("亿元", "万元"), Some(10_000.0));
        assert_eq!(unit_factor("万元", "亿元"), Some(1e-4));
        assert!((unit_factor("平方米", "亩").unwrap() - 0.0015).abs() < 1e-12);
        assert_eq!(unit_factor("亩", "万元"), None);
        assert_eq!(unit_factor("吨", "公斤"), Some(1_000.0));
    }
}
