//! `landeval model check`: validate a model against the field dictionary.

use super::{Model, Scale};
use crate::fields::FieldDict;
use serde::Serialize;

/// Problems found in a model, each with the line it concerns.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

impl CheckReport {
    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Line (1-based) of `id = "x"` in the model text, for messages.
fn line_of(text: &str, id: &str) -> usize {
    let needle = format!("\"{id}\"");
    text.lines()
        .position(|l| l.trim_start().starts_with("id") && l.contains(&needle))
        .map_or(0, |i| i + 1)
}

/// Check a parsed model; `text` is its source for line numbers.
pub fn check_model(model: &Model, text: &str, dict: &FieldDict) -> CheckReport {
    let mut r = CheckReport::default();
    let at = |id: &str| format!("第 {} 行", line_of(text, id));
    let total = model.total_points();
    if (total - 100.0).abs() > 1e-6 {
        r.errors.push(format!("全部指标分值合计为 {total}，应为 100"));
    }
    let mut ids = std::collections::BTreeSet::new();
    for i in &model.indicators {
        if !ids.insert(i.id.as_str()) {
            r.errors.push(format!("{}：指标 id “{}”重复", at(&i.id), i.id));
        }
        if !model.dimensions.iter().any(|d| d.id == i.dimension) {
            r.errors
                .push(format!("{}：指标“{}”的维度“{}”未定义", at(&i.id), i.id, i.dimension));
        }
        if i.points <= 0.0 {
            r.errors.push(format!("{}：指标“{}”的分值应大于 0", at(&i.id), i.id));
        }
        check_expr(&mut r, dict, &at(&i.id), &format!("指标“{}”的 expr", i.id), &i.expr);
        if let Some(a) = &i.applies {
            check_expr(&mut r, dict, &at(&i.id), &format!("指标“{}”的 applies", i.id), a);
        }
        check_scale(&mut r, dict, &at(&i.id), &i.id, &i.scale);
    }
    for d in &model.dimensions {
        if model.dimension_points(&d.id) == 0.0 {
            r.warnings.push(format!("{}：维度“{}”没有指标", at(&d.id), d.id));
        }
    }
    for v in &model.vetoes {
        check_expr(&mut r, dict, &at(&v.id), &format!("否决项“{}”的 when", v.id), &v.when);
    }
    for a in &model.adjustments {
        check_expr(&mut r, dict, &at(&a.id), &format!("加减分项“{}”的 when", a.id), &a.when);
        if let Some(p) = &a.per {
            check_expr(&mut r, dict, &at(&a.id), &format!("加减分项“{}”的 per", a.id), p);
        }
    }
    if model.grades.is_empty() {
        r.errors.push("[grades] 至少应有一个等级".into());
    }
    if let Some(s) = &model.selection
        && s.count == 0
    {
        r.errors.push("[selection] count 应大于 0".into());
    }
    r
}

fn check_expr(r: &mut CheckReport, dict: &FieldDict, at: &str, what: &str, text: &str) {
    match polars::sql::sql_expr(text) {
        Err(e) => r.errors.push(format!("{at}：{what}“{text}”无法解析：{e}")),
        Ok(e) => {
            for name in e.meta().root_names() {
                if !dict.knows(name.as_str()) {
                    r.errors.push(format!("{at}：{what}引用了未知字段“{name}”"));
                }
            }
        }
    }
}

fn check_scale(r: &mut CheckReport, dict: &FieldDict, at: &str, id: &str, s: &Scale) {
    match s {
        Scale::Plan { planned, cap } => {
            check_expr(r, dict, at, &format!("指标“{id}”的 planned"), planned);
            if *cap <= 0.0 {
                r.errors.push(format!("{at}：指标“{id}”的 cap 应大于 0"));
            }
        }
        Scale::Target { floor, target } if floor == target => {
            r.errors
                .push(format!("{at}：指标“{id}”的 floor 与 target 相同，无法线性换算"));
        }
        Scale::Steps { steps, .. } => {
            if steps.is_empty() {
                r.errors.push(format!("{at}：指标“{id}”的 steps 为空"));
            }
            if steps.iter().any(|s| !(0.0..=1.0).contains(&s.value)) {
                r.errors.push(format!("{at}：指标“{id}”的 steps 得分比例应在 0–1 之间"));
            }
        }
        _ => {}
    }
}
