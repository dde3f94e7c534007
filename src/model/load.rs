//! Reading a model file: every problem the TOML syntax and the model's types
//! allow is reported at once, each in Chinese with its line (the TOML
//! library's text follows in brackets). TOML's `nan` and `inf` (and numbers
//! too large to represent) are refused: a model computes with finite numbers.

use super::{
    Adjust, BulletinMeta, Dimension, Indicator, Model, ModelMeta, Prices, RedlineException, Reward, Robustness,
    Selection, Target, Veto, Weights,
};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

/// Line (1-based) of a byte offset.
pub fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// A TOML or serde message in Chinese, with the original in brackets.
fn chinese(message: &str) -> String {
    let m = message.trim();
    let between = |after: &str| -> Option<String> {
        let rest = &m[m.find(after)? + after.len()..];
        let start = rest.find('`')? + 1;
        let len = rest[start..].find('`')?;
        Some(rest[start..start + len].to_string())
    };
    let what = if m.starts_with("unknown field") {
        format!(
            "未知的键“{}”（请检查拼写，可用的键见模型说明）",
            between("unknown field").unwrap_or_default()
        )
    } else if m.starts_with("missing field") {
        format!("缺少必填的键“{}”", between("missing field").unwrap_or_default())
    } else if m.starts_with("unknown variant") {
        format!("取值“{}”无效", between("unknown variant").unwrap_or_default())
    } else if m.starts_with("invalid type") {
        let want = m.rsplit("expected ").next().unwrap_or("");
        let want = if want.contains("f64")
            || want.contains("integer")
            || want.contains("u32")
            || want.contains("usize")
            || want.contains("u64")
        {
            "数值"
        } else if want.contains("string") {
            "文字（用引号括起）"
        } else if want.contains("sequence") || want.contains("array") {
            "数组（用方括号括起）"
        } else if want.contains("bool") {
            "true 或 false"
        } else {
            "其他类型"
        };
        format!("类型不对，应为{want}")
    } else if m.starts_with("invalid value") || m.starts_with("invalid length") {
        "取值无效".to_string()
    } else if m.contains("duplicate key") {
        "键重复定义".to_string()
    } else if m.contains("invalid string") || m.contains("invalid basic string") || m.contains("unclosed") {
        "字符串格式错误（引号不配对或含有非法字符）".to_string()
    } else {
        "写法不符合 TOML 格式".to_string()
    };
    let original = m.replace('\n', " ");
    format!("{what}（{original}）")
}

/// A problem at a byte offset of the text.
fn at(text: &str, offset: Option<usize>, what: String) -> String {
    match offset {
        Some(o) => format!("第 {} 行：{what}", line_at(text, o)),
        None => what,
    }
}

/// Deserialize one part; a failure becomes a located message.
fn part<T: DeserializeOwned>(text: &str, v: &Spanned<DeValue>, what: &str, out: &mut Vec<String>) {
    if let Err(e) = T::deserialize(ValueDeserializer::from(v.clone())) {
        // Reported as a number that is not finite.
        if e.message().contains("overflowed") {
            return;
        }
        let offset = e.span().map(|s| s.start).unwrap_or(v.span().start);
        out.push(at(text, Some(offset), format!("{what}{}", chinese(e.message()))));
    }
}

/// Each element of an array of tables (`[[indicator]]` …).
fn parts<T: DeserializeOwned>(text: &str, v: &Spanned<DeValue>, what: &str, out: &mut Vec<String>) {
    match v.get_ref() {
        DeValue::Array(items) => {
            for item in items.iter() {
                part::<T>(text, item, what, out);
            }
        }
        _ => out.push(at(text, Some(v.span().start), format!("{what}应写作 [[…]] 表数组"))),
    }
}

/// Floats that are not finite, with their key.
fn non_finite(text: &str, key: &str, v: &Spanned<DeValue>, out: &mut Vec<String>) {
    match v.get_ref() {
        DeValue::Float(f) => {
            let finite = f.as_str().replace('_', "").parse::<f64>().is_ok_and(f64::is_finite);
            if !finite {
                out.push(at(
                    text,
                    Some(v.span().start),
                    format!(
                        "“{key}”的值 {} 不是有限的数（模型中不能使用 nan、inf 或超出范围的数）",
                        f.as_str()
                    ),
                ));
            }
        }
        DeValue::Array(items) => {
            for item in items.iter() {
                non_finite(text, key, item, out);
            }
        }
        DeValue::Table(t) => {
            for (k, item) in t.iter() {
                non_finite(text, k.get_ref(), item, out);
            }
        }
        _ => {}
    }
}

/// The line a message starts with (`第 N 行：`), 0 when none.
fn line_of_message(m: &str) -> usize {
    m.strip_prefix("第 ")
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Parse a model, or every problem found (located, Chinese).
pub fn parse(text: &str) -> Result<Model, Vec<String>> {
    let (doc, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        return Err(syntax
            .iter()
            .map(|e| {
                at(
                    text,
                    e.span().map(|s| s.start),
                    format!("TOML 格式错误：{}", chinese(e.message())),
                )
            })
            .collect());
    }
    let mut errors = Vec::new();
    let table = doc.get_ref();
    for (k, v) in table.iter() {
        non_finite(text, k.get_ref(), v, &mut errors);
    }
    for (k, v) in table.iter() {
        match k.get_ref().as_ref() {
            "model" => part::<ModelMeta>(text, v, "[model]：", &mut errors),
            "dimension" => parts::<Dimension>(text, v, "[[dimension]]：", &mut errors),
            "indicator" => parts::<Indicator>(text, v, "[[indicator]]：", &mut errors),
            "veto" => parts::<Veto>(text, v, "[[veto]]：", &mut errors),
            "redline_drop" => parts::<RedlineException>(text, v, "[[redline_drop]]：", &mut errors),
            "redline_defer" => parts::<RedlineException>(text, v, "[[redline_defer]]：", &mut errors),
            "adjust" => parts::<Adjust>(text, v, "[[adjust]]：", &mut errors),
            "target" => parts::<Target>(text, v, "[[target]]：", &mut errors),
            "reward" => parts::<Reward>(text, v, "[[reward]]：", &mut errors),
            "grades" => part::<BTreeMap<String, f64>>(text, v, "[grades]：", &mut errors),
            "selection" => part::<Selection>(text, v, "[selection]：", &mut errors),
            "prices" => part::<Prices>(text, v, "[prices]：", &mut errors),
            "weights" => part::<Weights>(text, v, "[weights]：", &mut errors),
            "robustness" => part::<Robustness>(text, v, "[robustness]：", &mut errors),
            "bulletin" => part::<BulletinMeta>(text, v, "[bulletin]：", &mut errors),
            other => errors.push(at(
                text,
                Some(k.span().start),
                format!(
                    "未知的节“{other}”（可用：model、dimension、indicator、veto、redline_drop、redline_defer、adjust、grades、selection、reward、prices、weights、robustness、target、bulletin）"
                ),
            )),
        }
    }
    for required in ["model", "dimension", "indicator", "grades"] {
        if !table.iter().any(|(k, _)| k.get_ref().as_ref() == required) {
            let shape = if matches!(required, "dimension" | "indicator") {
                format!("[[{required}]]")
            } else {
                format!("[{required}]")
            };
            errors.push(format!("缺少 {shape} 节"));
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| line_of_message(e));
        return Err(errors);
    }
    toml::from_str::<Model>(text).map_err(|e| vec![at(text, e.span().map(|s| s.start), chinese(e.message()))])
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[model]
id = "t"
name = "测试"
version = "1"

[[dimension]]
id = "d"
name = "维度"

[[indicator]]
id = "a"
name = "甲"
dimension = "d"
points = 100
expr = "satisfaction"
scale = { method = "target", floor = 0.5, target = 1.0 }

[grades]
"合格" = 60
"#;

    #[test]
    fn a_good_model_parses() {
        assert!(parse(GOOD).is_ok());
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let bad = GOOD
            .replace("points = 100", "points = nan\npointz = 3")
            .replace("\"合格\" = 60", "\"合格\" = inf\n\"良好\" = 1e400")
            .replace("name = \"维度\"", "name = 5");
        let errors = parse(&bad).unwrap_err();
        let all = errors.join("\n");
        // In line order: dimension name (9), points (15), pointz (16), grades (21, 22).
        assert!(
            errors[0].starts_with("第 9 行：[[dimension]]：类型不对，应为文字"),
            "{all}"
        );
        assert!(
            errors[1].starts_with("第 15 行：“points”的值 nan 不是有限的数"),
            "{all}"
        );
        assert!(
            errors[2].starts_with("第 16 行：[[indicator]]：未知的键“pointz”"),
            "{all}"
        );
        assert!(errors[3].starts_with("第 21 行：“合格”的值 inf 不是有限的数"), "{all}");
        assert!(
            errors[4].starts_with("第 22 行：“良好”的值 1e400 不是有限的数"),
            "{all}"
        );
        assert_eq!(errors.len(), 5, "{all}");
    }

    #[test]
    fn syntax_errors_are_chinese_with_the_library_text() {
        let errors = parse(&GOOD.replace("points = 100", "points = = 100")).unwrap_err();
        assert!(errors[0].starts_with("第 15 行：TOML 格式错误："), "{errors:?}");
        assert!(errors[0].contains('（'), "{errors:?}");
        let missing = parse("[model]\nid = \"x\"\nname = \"x\"\nversion = \"1\"\n").unwrap_err();
        assert!(missing.contains(&"缺少 [grades] 节".to_string()), "{missing:?}");
    }
}
